// werun's Node-API module for HarmonyOS (and Node.js, where it is tested).
//
// It only marshals values and hops threads. Every rule (errMsg strings, login,
// scope.werun authorization, timeouts, sealing) lives in the Rust core behind
// werun.h; what the two JS bindings share beyond the core (names, TypeError
// sentences, reading configure's options and a call's option, the order a
// result is delivered in, calling a JS host's hooks and reading their
// answers) is in ../../../../common/js_api.h; the Node-API plumbing (status
// checks, values, OHOS/Node differences) is in napi_plumbing.h.
//
// Threading: werun may finish a call, or call a host hook, on any thread. JS
// values are touched only on the JS thread: results and hook calls are copied
// into plain C++ structs and posted through napi_threadsafe_functions: one per
// env for call results (shared by its calls), one per JS host for hook calls.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "js_api.h"
#include "napi_plumbing.h"
#include "werun.h"

#if defined(WERUN_NAPI_BENCH)
// For bench_exports.inc, included inside this file's anonymous namespace.
#include <chrono>
#include <thread>
#endif

namespace {

using namespace werun::js;
using namespace werun::napi;

// ---- Per-env state ----------------------------------------------------------

struct EnvState;
struct PendingCall;

// The env's one threadsafe function for call results, shared with every call
// the core still holds. Owned by the env (until its teardown), the threadsafe
// function (until it is finalized) and each call record (until it is freed),
// so a call completing on another thread after the env is gone still finds
// it; the last owner to let go deletes it.
struct CallChannel {
    // Guards `tsfn` against the threads that post results. Recursive: some
    // runtimes may finalize a threadsafe function from inside a call on the
    // JS thread.
    std::recursive_mutex mutex;
    // nullptr once the env closed it or the runtime finalized it: results are
    // then no longer posted. Written on the JS thread only, under `mutex`.
    napi_threadsafe_function tsfn = nullptr;
    // The env's state while it lives; nullptr once it is torn down. JS thread only.
    EnvState *state = nullptr;
    std::atomic<size_t> owners{1};

    void acquire() { owners.fetch_add(1, std::memory_order_relaxed); }
    void release() {
        if (owners.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            delete this;
        }
    }
};

// One env's werun: its context, its calls in flight and the cached values.
// Used on the JS thread only; freed by the env's cleanup hook.
struct EnvState {
    napi_env env = nullptr;
    std::unique_ptr<ConfiguredContext> context = std::make_unique<ConfiguredContext>();
    // Created by the first call.
    CallChannel *channel = nullptr;
    // The calls whose result is not delivered yet (a doubly-linked list), and
    // how many: the event loop is kept alive only while there are any.
    PendingCall *calls = nullptr;
    size_t in_flight = 0;
    // The call whose promise is being constructed: the executor stores its
    // resolve in a slot of `settlers` for it.
    PendingCall *creating = nullptr;
    // The calls' slots in `settlers`.
    SlotTable slots;

    // Built-ins the module uses on every call, fetched once per env.
    napi_ref promise_class = nullptr;
    napi_ref promise_resolve = nullptr;  // Promise.resolve
    napi_ref promise_then = nullptr;     // Promise.prototype.then
    napi_ref executor = nullptr;         // promise_executor, for every call's promise
    napi_ref json = nullptr;
    napi_ref json_parse = nullptr;
    // The resolve function of each call's promise, slot i at index i. In JS
    // rather than in a napi_ref per call: no native memory per call, and
    // nothing per call to free at teardown, when the array goes with the env.
    // Only resolve is kept: a failure resolves the promise with a rejected
    // one (settle), so the engine can collect each call's reject function at
    // once (about 70 bytes a call in flight).
    napi_ref settlers = nullptr;

    napi_ref *cached_refs[7] = {&promise_class, &promise_resolve, &promise_then, &executor,
                                &json,          &json_parse,      &settlers};

    bool cache_values();
    void delete_cached_refs() { werun::napi::delete_references(env, cached_refs); }
    void link(PendingCall *call);
    void unlink(PendingCall *call);
    void free_slot(uint32_t slot);
};

constexpr uint32_t kNoSlot = UINT32_MAX;

EnvState *env_state(napi_env env) {
    void *data = nullptr;
    napi_get_instance_data(env, &data);
    return static_cast<EnvState *>(data);
}

ConfiguredContext *instance_of(napi_env env) {
    EnvState *state = env_state(env);
    return state != nullptr ? state->context.get() : nullptr;
}

// The configured context, or nullptr with a TypeError pending.
werun_context *configured_context(napi_env env, EnvState *state, const char *function) {
    if (state == nullptr || state->context == nullptr || state->context->get() == nullptr) {
        throw_type_error(env, not_configured(function));
        return nullptr;
    }
    return state->context->get();
}

werun_context *configured_context(napi_env env, const char *function) {
    return configured_context(env, env_state(env), function);
}

// ---- Calls: getWeRunData, login, checkSession --------------------------------

// One call in flight. Owned by the env (its registry, until the result is
// delivered or the env is torn down) and by the core (until it completes the
// call; then by the channel's queue until the result reaches call_js); the
// last of the two to let go deletes it.
// Kept small (48 bytes, bench/in-flight.mjs), as one exists for each call in
// flight: the option's callbacks, which promise-style calls do not pass, live
// apart.
struct PendingCall {
    // `option.success`, `option.fail` and `option.complete` (js_api.h's
    // Callback order), those passed.
    struct Callbacks {
        napi_ref refs[3] = {nullptr, nullptr, nullptr};
    };

    CallChannel *channel;
    // The env's registry; JS thread only.
    PendingCall *prev = nullptr;
    PendingCall *next = nullptr;
    // Set on completion (any thread), read on the JS thread after the hop.
    std::unique_ptr<CallResult> result;
    // Created and deleted on the JS thread only, while the env lives; null
    // if the call passed no callback.
    std::unique_ptr<Callbacks> callbacks;
    // The slot of the env's `settlers` holding the promise's resolve. JS thread only.
    uint32_t slot = kNoSlot;
    Api api;
    std::atomic<uint8_t> owners{2};

    PendingCall(CallChannel *channel_, Api api_) : channel(channel_), api(api_) { channel->acquire(); }
    ~PendingCall() { channel->release(); }

    napi_ref callback(Callback which) const {
        return callbacks != nullptr ? callbacks->refs[static_cast<int>(which)] : nullptr;
    }
    void delete_references(napi_env env) {
        if (callbacks != nullptr) {
            napi_ref *refs = callbacks->refs;
            werun::napi::delete_references(env, {&refs[0], &refs[1], &refs[2]});
            callbacks.reset();
        }
    }

    void release_owner() {
        if (owners.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            delete this;
        }
    }
};
static_assert(sizeof(void *) != 8 || sizeof(PendingCall) == 48, "a call in flight is 48 bytes on 64-bit");

void EnvState::link(PendingCall *call) {
    call->prev = nullptr;
    call->next = calls;
    if (calls != nullptr) calls->prev = call;
    calls = call;
    if (in_flight++ == 0 && channel->tsfn != nullptr) {
        napi_ref_threadsafe_function(env, channel->tsfn);  // keep the event loop alive
    }
}

// Empties a slot of `settlers` (so it keeps no promise alive) for reuse; once
// the slot table starts over (SlotTable::free), replaces the whole array.
void EnvState::free_slot(uint32_t slot) {
    if (slots.free(slot)) {
        napi_value fresh = nullptr;
        napi_ref fresh_ref = nullptr;
        if (napi_create_array(env, &fresh) == napi_ok && napi_create_reference(env, fresh, 1, &fresh_ref) == napi_ok) {
            napi_delete_reference(env, settlers);
            settlers = fresh_ref;
            return;
        }
        // The old array stays: every other slot is empty, and slots taken
        // again overwrite it from index 0.
    }
    napi_value array = nullptr;
    if (napi_get_reference_value(env, settlers, &array) == napi_ok && array != nullptr) {
        napi_set_element(env, array, slot, undefined_value(env));
    }
}

void EnvState::unlink(PendingCall *call) {
    if (call->prev != nullptr) call->prev->next = call->next;
    if (call->next != nullptr) call->next->prev = call->prev;
    if (calls == call) calls = call->next;
    call->prev = call->next = nullptr;
    if (--in_flight == 0 && channel->tsfn != nullptr) {
        napi_unref_threadsafe_function(env, channel->tsfn);
    }
}

// Posts a completed call to the JS thread, handing the core's share of it to
// the channel's queue; if the channel is closed (the env is going or gone),
// drops that share instead, and the env's teardown frees the rest.
void post_result(PendingCall *call) {
    CallChannel *channel = call->channel;
    // Held across the post: once the call is queued, the JS thread may free
    // it, and with it its share of the channel, before this returns.
    channel->acquire();
    napi_status status = napi_closing;
    {
        std::lock_guard<std::recursive_mutex> lock(channel->mutex);
        if (channel->tsfn != nullptr) {
            // Fails with napi_closing once the runtime is tearing the env down.
            status = napi_call_threadsafe_function(channel->tsfn, call, napi_tsfn_nonblocking);
        }
    }
    if (status != napi_ok) {
        call->release_owner();
    }
    channel->release();
}

// werun's `complete` callback: any thread, result borrowed for its duration;
// possibly inside the JS call that started it.
void on_call_complete(void *user_data, const werun_result *result) {
    auto *call = static_cast<PendingCall *>(user_data);
    call->result = std::make_unique<CallResult>(CallResult::from(*result));
    post_result(call);
}

// Calls a user callback; returns what it threw, or nullptr.
napi_value invoke_callback(napi_env env, napi_ref callback, napi_value result) {
    napi_value function = nullptr;
    if (callback == nullptr || napi_get_reference_value(env, callback, &function) != napi_ok || function == nullptr) {
        return nullptr;
    }
    if (napi_call_function(env, undefined_value(env), function, 1, &result, nullptr) != napi_ok) {
        return take_exception(env);
    }
    return nullptr;
}

// Resolves (`ok`) or rejects the call's promise with `value`, and frees its
// slot. A rejection resolves the promise with a promise already rejected with
// `value` (a deferred concluded at once, so none is ever left to leak): the
// caller sees the same rejection, two microtask turns later.
napi_status settle(napi_env env, EnvState *state, PendingCall *call, bool ok, napi_value value) {
    napi_value array = nullptr, function = nullptr;
    napi_status status = napi_get_reference_value(env, state->settlers, &array);
    if (status == napi_ok) status = napi_get_element(env, array, call->slot, &function);
    if (status == napi_ok && !ok) {
        napi_deferred rejected = nullptr;
        napi_value settled = nullptr;
        status = napi_create_promise(env, &rejected, &settled);
        if (status == napi_ok) status = napi_reject_deferred(env, rejected, value);
        if (status == napi_ok) value = settled;
    }
    if (status == napi_ok) status = napi_call_function(env, undefined_value(env), function, 1, &value, nullptr);
    state->free_slot(call->slot);
    call->slot = kNoSlot;
    return status;
}

// Every call's `new Promise(executor)`, which runs this synchronously: it
// keeps resolve for the call being created.
napi_value promise_executor(napi_env env, napi_callback_info info) {
    size_t argc = 1;
    napi_value resolve = nullptr;
    void *data = nullptr;
    if (napi_get_cb_info(env, info, &argc, &resolve, nullptr, &data) != napi_ok || argc < 1) {
        return nullptr;
    }
    auto *state = static_cast<EnvState *>(data);
    PendingCall *call = state->creating;
    if (call == nullptr) {
        return nullptr;
    }
    state->creating = nullptr;  // one promise per call
    napi_value array = nullptr;
    uint32_t slot = state->slots.take();
    if (napi_get_reference_value(env, state->settlers, &array) != napi_ok || array == nullptr ||
        napi_set_element(env, array, slot, resolve) != napi_ok) {
        state->free_slot(slot);
        return nullptr;  // new_promise sees the missing slot
    }
    call->slot = slot;
    return nullptr;
}

// The promise of `call`, its resolve kept for the call; nullptr with an
// exception pending otherwise.
napi_value new_promise(napi_env env, EnvState *state, PendingCall *call) {
    napi_value promise_class = cached(env, state->promise_class);
    napi_value executor = cached(env, state->executor);
    napi_value promise = nullptr;
    if (promise_class == nullptr || executor == nullptr) {
        throw_napi_error(env, napi_generic_failure);
        return nullptr;
    }
    state->creating = call;
    napi_status status = napi_new_instance(env, promise_class, 1, &executor, &promise);
    state->creating = nullptr;
    if (status == napi_ok && call->slot == kNoSlot) {
        status = napi_generic_failure;
    }
    if (status != napi_ok) {
        throw_napi_error(env, status);
        return nullptr;
    }
    return promise;
}

// The result object. Its fields are defined in one Node-API call, by their
// UTF-8 names, which the engine turns into its own property keys: fewer
// instructions (callgrind) than a write per field, or than fetching keys
// cached in a JS array.
napi_value build_result(napi_env env, const CallResult &call) {
    napi_value result = nullptr;
    NAPI_OK(env, napi_create_object(env, &result));
    napi_property_descriptor fields[kFieldCount];
    size_t count = 0;
    bool ok = call.set_fields([&](Field field, const std::string &text) {
        napi_property_descriptor &descriptor = fields[count++];
        descriptor = napi_property_descriptor{};
        descriptor.utf8name = kFieldNames[field];
        descriptor.attributes =
            static_cast<napi_property_attributes>(napi_writable | napi_enumerable | napi_configurable);
        descriptor.value = make_string(env, text);
        return descriptor.value != nullptr;
    });
    if (!ok || napi_define_properties(env, result, count, fields) != napi_ok) {
        return nullptr;
    }
    return result;
}

// js_api.h's deliver_in_order on Node-API. A throw is reported at once on
// Node; OHOS keeps the first for its caller to report last.
struct NapiDelivery {
    napi_env env;
    EnvState *state;
    PendingCall *pending;
    napi_value result;
    napi_value thrown = nullptr;

    void call_back(napi_ref callback) {
        napi_value exception = invoke_callback(env, callback, result);
        if (kReportsUncaughtAtOnce) {
            report_uncaught(env, exception);
        } else if (thrown == nullptr) {
            thrown = exception;
        }
    }
    void call(Callback which) { call_back(pending->callback(which)); }
    void settle(bool ok) {
        if (::settle(env, state, pending, ok, result) != napi_ok) {
            log_error("could not settle a promise: " + last_napi_error(env));
        }
    }
};

// The threadsafe function's call_js, on the JS thread: js_api.h's order,
// success/fail, complete, then the promise. Without an env (the runtime is
// tearing the threadsafe function down) or once the env is torn down, only
// the queue's share of the call is dropped: the env's registry owns the rest.
void deliver_result(napi_env env, napi_value, void *, void *data) {
    auto *call = static_cast<PendingCall *>(data);
    EnvState *state = env != nullptr ? call->channel->state : nullptr;
    if (state == nullptr) {
        call->release_owner();
        return;
    }
    state->unlink(call);
    const CallResult &outcome = *call->result;
    napi_value result = build_result(env, outcome);
    if (result == nullptr) {
        // Out of memory, in practice: settle with the error rather than hang.
        log_error("could not build a call result: " + last_napi_error(env));
        napi_value error = take_exception(env);
        settle(env, state, call, false, error != nullptr ? error : undefined_value(env));
        call->delete_references(env);
        delete call;  // both shares: the queue's and the registry's
        return;
    }
    NapiDelivery delivery{env, state, call, result};
    deliver_in_order(delivery, outcome.ok());
    call->delete_references(env);
    delete call;                            // both shares: the queue's and the registry's
    report_uncaught(env, delivery.thrown);  // OHOS: last, as rethrowing ends this callback
}

// The runtime is done with the threadsafe function: results can no longer be
// posted. Results still queued reach deliver_result without an env after this.
void channel_finalized(napi_env, void *data, void *) {
    auto *channel = static_cast<CallChannel *>(data);
    {
        std::lock_guard<std::recursive_mutex> lock(channel->mutex);
        channel->tsfn = nullptr;
    }
    channel->release();
}

// The env's channel, created by its first call; nullptr with an exception
// pending if it cannot be created or the runtime already closed it.
CallChannel *open_channel(napi_env env, EnvState *state) {
    if (state->channel == nullptr) {
        auto *channel = new CallChannel();
        channel->state = state;
        channel->acquire();  // the threadsafe function's share, until channel_finalized
        napi_threadsafe_function tsfn = nullptr;
        napi_status status =
            napi_create_threadsafe_function(env, nullptr, nullptr, make_string(env, "werun.call"), 0, 1, channel,
                                            channel_finalized, nullptr, deliver_result, &tsfn);
        if (status != napi_ok) {
            delete channel;
            throw_napi_error(env, status);
            return nullptr;
        }
        channel->tsfn = tsfn;
        // Referenced only while calls are in flight (EnvState::link).
        napi_unref_threadsafe_function(env, tsfn);
        state->channel = channel;
    }
    if (state->channel->tsfn == nullptr) {
        napi_throw_error(env, "WERUN_NAPI", "the JS runtime is shutting down");
        return nullptr;
    }
    return state->channel;
}

// Reads `option.success`, `option.fail`, `option.complete` into references;
// false with an exception pending otherwise.
bool read_option(napi_env env, const napi_value *option, Api api, PendingCall *call) {
    std::optional<napi_value> callbacks[3];
    std::string type_error;
    if (!read_call_option(NapiValues{env, OnThrow::Propagate}, api, option, callbacks, &type_error)) {
        throw_unread(env, type_error);
        return false;
    }
    for (size_t i = 0; i < 3; ++i) {
        if (!callbacks[i]) continue;
        if (call->callbacks == nullptr) call->callbacks = std::make_unique<PendingCall::Callbacks>();
        NAPI_OK_BOOL(env, napi_create_reference(env, *callbacks[i], 1, &call->callbacks->refs[i]));
    }
    return true;
}

napi_value start_call(napi_env env, napi_callback_info info, Api api) {
    size_t argc = 1;
    napi_value option = nullptr;
    NAPI_OK(env, napi_get_cb_info(env, info, &argc, &option, nullptr, nullptr));
    EnvState *state = env_state(env);
    werun_context *context = configured_context(env, state, api_name(api));
    if (context == nullptr) {
        return nullptr;
    }
    CallChannel *channel = open_channel(env, state);
    if (channel == nullptr) {
        return nullptr;
    }
    auto *call = new PendingCall(channel, api);
    napi_value promise = nullptr;
    if (!read_option(env, argc > 0 ? &option : nullptr, api, call) ||
        (promise = new_promise(env, state, call)) == nullptr) {
        if (call->slot != kNoSlot) state->free_slot(call->slot);
        call->delete_references(env);
        delete call;
        return nullptr;
    }
    // Registered before the core sees it: the core may complete it before
    // returning, on this thread or another.
    state->link(call);

    if (auto refusal = werun::js::start_call(context, api, call, on_call_complete)) {
        // The core ran no callback and never will: both shares are this one's.
        state->unlink(call);
        state->free_slot(call->slot);
        call->delete_references(env);
        delete call;
        throw_werun_error(env, refusal->status, refusal->message);
        return nullptr;
    }
    return promise;
}

napi_value get_we_run_data(napi_env env, napi_callback_info info) {
    return start_call(env, info, Api::GetWeRunData);
}

napi_value login(napi_env env, napi_callback_info info) {
    return start_call(env, info, Api::Login);
}

napi_value check_session(napi_env env, napi_callback_info info) {
    return start_call(env, info, Api::CheckSession);
}

// ---- Env teardown --------------------------------------------------------------

// The env's cleanup hook (app exit, worker termination). In order: the core
// fails every call in flight with CANCELLED (their results are queued, or
// dropped if the runtime already closed the channel) and releases the host;
// the channel is closed, so a result completing later is dropped rather than
// posted; then every call still registered is freed (its references first,
// while the env can still delete them), each exactly once with the queue's
// share of it (deliver_result without an env).
void cleanup_env(void *data) {
    auto *state = static_cast<EnvState *>(data);
    napi_env env = state->env;
    state->context.reset();
    if (CallChannel *channel = state->channel) {
        napi_threadsafe_function tsfn = nullptr;
        {
            std::lock_guard<std::recursive_mutex> lock(channel->mutex);
            std::swap(tsfn, channel->tsfn);
        }
        channel->state = nullptr;
        if (tsfn != nullptr) {
            // Fails harmlessly if the runtime is already closing it; results
            // still queued reach deliver_result without an env.
            napi_release_threadsafe_function(tsfn, napi_tsfn_abort);
        }
    }
    while (PendingCall *call = state->calls) {
        state->calls = call->next;
        call->prev = call->next = nullptr;
        call->delete_references(env);
        call->release_owner();
    }
    state->delete_cached_refs();
    if (state->channel != nullptr) {
        state->channel->release();
    }
    delete state;
}

bool EnvState::cache_values() {
    napi_value global = nullptr, promise = nullptr, resolve = nullptr, prototype = nullptr, then = nullptr,
               json_object = nullptr, parse = nullptr, executor_function = nullptr, settler_array = nullptr;
    NAPI_OK_BOOL(env, napi_get_global(env, &global));
    NAPI_OK_BOOL(env, napi_get_named_property(env, global, "Promise", &promise));
    NAPI_OK_BOOL(env, napi_get_named_property(env, promise, "resolve", &resolve));
    NAPI_OK_BOOL(env, napi_get_named_property(env, promise, "prototype", &prototype));
    NAPI_OK_BOOL(env, napi_get_named_property(env, prototype, "then", &then));
    NAPI_OK_BOOL(env, napi_get_named_property(env, global, "JSON", &json_object));
    NAPI_OK_BOOL(env, napi_get_named_property(env, json_object, "parse", &parse));
    NAPI_OK_BOOL(env,
                 napi_create_function(env, "executor", NAPI_AUTO_LENGTH, promise_executor, this, &executor_function));
    NAPI_OK_BOOL(env, napi_create_array(env, &settler_array));
    napi_value values[7] = {promise, resolve, then, executor_function, json_object, parse, settler_array};
    for (size_t i = 0; i < 7; ++i) {
        NAPI_OK_BOOL(env, napi_create_reference(env, values[i], 1, cached_refs[i]));
    }
    return true;
}

// ---- The JS host implementation -----------------------------------------------

// A JS host. Owned jointly by werun (until its `release`) and the host's
// threadsafe function (until it is finalized); the last to let go deletes it.
struct HostBinding : SharedWithTsfn<HostBinding> {
    napi_ref object = nullptr;
    napi_ref hooks[3] = {nullptr, nullptr, nullptr};

    void delete_references(napi_env env) {
        werun::napi::delete_references(env, {&object, &hooks[0], &hooks[1], &hooks[2]});
    }
};

// A hook call on its way to the JS thread.
struct HookCall {
    Hook hook;
    uint64_t request;
};

void post_hook(void *host_data, uint64_t request, Hook hook) {
    auto *binding = static_cast<HostBinding *>(host_data);
    auto *hook_call = new HookCall{hook, request};
    napi_status status = napi_closing;
    {
        std::lock_guard<std::recursive_mutex> lock(binding->mutex);
        if (binding->tsfn_alive) {
            status = napi_call_threadsafe_function(binding->tsfn, hook_call, napi_tsfn_nonblocking);
        }
    }
    if (status != napi_ok) {
        delete hook_call;
        fail_request(request, hook_unreachable(hook));
    }
}

// werun's `release`: the host was replaced or its context freed.
void on_host_release(void *host_data) {
    auto *binding = static_cast<HostBinding *>(host_data);
    {
        std::lock_guard<std::recursive_mutex> lock(binding->mutex);
        if (binding->tsfn_alive) {
            // Hook calls still queued reach deliver_hook without an env and
            // are failed there.
            napi_release_threadsafe_function(binding->tsfn, napi_tsfn_abort);
        }
    }
    binding->release_owner();
}

void host_tsfn_finalized(napi_env env, void *data, void *) {
    auto *binding = static_cast<HostBinding *>(data);
    {
        std::lock_guard<std::recursive_mutex> lock(binding->mutex);
        binding->tsfn_alive = false;
    }
    binding->delete_references(env);
    binding->release_owner();
}

// ---- Settling a hook's promise ---------------------------------------------------

// Shared by the two handlers attached with then(); freed when both are collected.
struct HookSettlement {
    Hook hook;
    uint64_t request;
    int handlers = 2;
};

void settlement_collected(napi_env, void *data, void *) {
    auto *settlement = static_cast<HookSettlement *>(data);
    if (--settlement->handlers == 0) {
        delete settlement;
    }
}

HookSettlement *settlement_of(napi_env env, napi_callback_info info, napi_value *value) {
    size_t argc = 1;
    void *data = nullptr;
    *value = nullptr;
    if (napi_get_cb_info(env, info, &argc, value, nullptr, &data) != napi_ok) {
        return nullptr;
    }
    if (argc == 0 || *value == nullptr) {
        *value = undefined_value(env);
    }
    return static_cast<HookSettlement *>(data);
}

napi_value hook_fulfilled(napi_env env, napi_callback_info info) {
    napi_value value = nullptr;
    HookSettlement *settlement = settlement_of(env, info, &value);
    if (settlement != nullptr) {
        on_hook_fulfilled(NapiValues{env}, settlement->hook, settlement->request, value);
        take_exception(env);  // nothing may escape into the promise chain
    }
    return nullptr;
}

napi_value hook_rejected(napi_env env, napi_callback_info info) {
    napi_value reason = nullptr;
    HookSettlement *settlement = settlement_of(env, info, &reason);
    if (settlement != nullptr) {
        on_hook_rejected(NapiValues{env}, settlement->request, reason);
    }
    return nullptr;
}

// js_api.h's call_hook on Node-API: NapiValues plus calling a hook and
// attaching its handlers.
struct NapiHookValues : NapiValues {
    std::optional<napi_value> call(napi_value function, napi_value self, napi_value *thrown) const {
        napi_value returned = nullptr;
        if (napi_call_function(env, self, function, 0, nullptr, &returned) != napi_ok) {
            *thrown = take_exception(env);
            return std::nullopt;
        }
        return returned;
    }

    // Promise.resolve(value).then(hook_fulfilled, hook_rejected); why not, or
    // nullopt.
    std::optional<std::string> resolve_then(napi_value value, Hook hook, uint64_t request) const {
        if (attach_handlers(value, hook, request)) return std::nullopt;
        std::string message = last_napi_error(env);
        take_exception(env);
        return message;
    }

  private:
    bool attach_handlers(napi_value value, Hook hook, uint64_t request) const {
        EnvState *state = env_state(env);
        napi_value promise_class = cached(env, state->promise_class), resolve = cached(env, state->promise_resolve);
        napi_value then = cached(env, state->promise_then), promise = nullptr;
        if (promise_class == nullptr || resolve == nullptr || then == nullptr) {
            throw_napi_error(env, napi_generic_failure);
            return false;
        }
        NAPI_OK_BOOL(env, napi_call_function(env, promise_class, resolve, 1, &value, &promise));

        auto *settlement = new HookSettlement{hook, request};
        napi_value handlers[2] = {nullptr, nullptr};
        napi_callback callbacks[2] = {hook_fulfilled, hook_rejected};
        for (int i = 0; i < 2; ++i) {
            if (napi_create_function(env, "werunHostAnswer", NAPI_AUTO_LENGTH, callbacks[i], settlement,
                                     &handlers[i]) != napi_ok ||
                napi_add_finalizer(env, handlers[i], settlement, settlement_collected, nullptr, nullptr) != napi_ok) {
                // The handlers made so far own their share; drop the rest.
                settlement->handlers -= 2 - i;
                if (settlement->handlers == 0) delete settlement;
                throw_napi_error(env, napi_generic_failure);
                return false;
            }
        }
        NAPI_OK_BOOL(env, napi_call_function(env, promise, then, 2, handlers, nullptr));
        return true;
    }
};

// On the JS thread: call the JS hook and answer the request when it settles.
void deliver_hook(napi_env env, napi_value, void *context, void *data) {
    auto *hook_call = static_cast<HookCall *>(data);
    const HookCall call = *hook_call;
    delete hook_call;
    if (env == nullptr) {
        // The host was replaced or the runtime is going away; `context` may
        // already be gone.
        fail_request(call.request, hook_withdrawn(call.hook));
        return;
    }
    auto *binding = static_cast<HostBinding *>(context);
    napi_value object = cached(env, binding->object);
    napi_value hook = cached(env, binding->hooks[static_cast<int>(call.hook)]);
    call_hook(NapiHookValues{{env}}, object != nullptr ? &object : nullptr, hook != nullptr ? &hook : nullptr,
              call.hook, call.request);
}

napi_value set_host_implementation(napi_env env, napi_callback_info info) {
    size_t argc = 1;
    napi_value host = nullptr;
    NAPI_OK(env, napi_get_cb_info(env, info, &argc, &host, nullptr, nullptr));
    werun_context *context = configured_context(env, "setHostImplementation");
    if (context == nullptr) {
        return nullptr;
    }
    std::optional<napi_value> hooks[3];
    std::string type_error;
    bool present = false;
    if (!read_host(NapiValues{env, OnThrow::Propagate}, argc > 0 ? &host : nullptr, &present, hooks, &type_error)) {
        throw_unread(env, type_error);
        return nullptr;
    }
    if (!present) {
        werun_context_set_host(context, nullptr);
        return nullptr;
    }

    auto *binding = new HostBinding();
    napi_status status = napi_create_reference(env, host, 1, &binding->object);
    for (int i = 0; i < 3 && status == napi_ok; ++i) {
        if (hooks[i]) {
            status = napi_create_reference(env, *hooks[i], 1, &binding->hooks[i]);
        }
    }
    if (status == napi_ok) {
        status = napi_create_threadsafe_function(env, nullptr, nullptr, make_string(env, "werun.host"), 0, 1, binding,
                                                 host_tsfn_finalized, binding, deliver_hook, &binding->tsfn);
    }
    if (status != napi_ok) {
        throw_napi_error(env, status);
        binding->delete_references(env);
        delete binding;
        return nullptr;
    }
    // A registered host must not keep the app's event loop alive by itself;
    // calls in flight keep it alive through the env's call channel.
    napi_unref_threadsafe_function(env, binding->tsfn);

    if (auto refusal = set_host<post_hook>(context, binding, on_host_release, hooks[0].has_value(),
                                           hooks[1].has_value(), hooks[2].has_value())) {
        on_host_release(binding);  // werun did not take it
        throw_werun_error(env, refusal->status, refusal->message);
    }
    return nullptr;
}

// ---- configure, authorization, logout ---------------------------------------------

napi_value configure(napi_env env, napi_callback_info info) {
    size_t argc = 1;
    napi_value options = nullptr;
    NAPI_OK(env, napi_get_cb_info(env, info, &argc, &options, nullptr, nullptr));
    std::string type_error;
    auto read = read_configure_options(NapiValues{env, OnThrow::Propagate}, argc > 0 ? &options : nullptr, &type_error);
    if (!read) {
        throw_unread(env, type_error);
        return nullptr;
    }
    if (auto refusal = instance_of(env)->configure(*read)) {
        throw_werun_error(env, refusal->status, refusal->message);
    }
    return nullptr;
}

napi_value get_authorization(napi_env env, napi_callback_info) {
    werun_context *context = configured_context(env, "getAuthorization");
    if (context == nullptr) {
        return nullptr;
    }
    uint32_t state = WERUN_AUTH_NOT_DETERMINED;
    werun_status status = werun_context_get_authorization(context, &state);
    if (status != WERUN_OK) {
        throw_last_werun_error(env, status);
        return nullptr;
    }
    return make_string(env, authorization_name(state));
}

napi_value set_authorization(napi_env env, napi_callback_info info) {
    size_t argc = 1;
    napi_value value = nullptr;
    NAPI_OK(env, napi_get_cb_info(env, info, &argc, &value, nullptr, nullptr));
    werun_context *context = configured_context(env, "setAuthorization");
    if (context == nullptr) {
        return nullptr;
    }
    std::string name;
    std::optional<uint32_t> state;
    if (argc > 0 && type_of(env, value) == napi_string && read_string(env, value, &name)) {
        state = parse_authorization(name);
    }
    if (!state) {
        throw_type_error(env, kSetAuthorizationBadState);
        return nullptr;
    }
    werun_status status = werun_context_set_authorization(context, *state);
    if (status != WERUN_OK) {
        throw_last_werun_error(env, status);
    }
    return nullptr;
}

napi_value logout(napi_env env, napi_callback_info) {
    werun_context *context = configured_context(env, "logout");
    if (context == nullptr) {
        return nullptr;
    }
    werun_status status = werun_context_logout(context);
    if (status != WERUN_OK) {
        throw_last_werun_error(env, status);
    }
    return nullptr;
}

// ---- Decrypt helpers (no configure needed) ------------------------------------------

// Reads a decrypt helper's four string arguments; appid may be absent when
// `appid_optional`. False with a TypeError pending otherwise.
bool read_decrypt_args(napi_env env, napi_callback_info info, const char *function, bool appid_optional,
                       DecryptArgs *out) {
    size_t argc = 4;
    napi_value args[4] = {nullptr, nullptr, nullptr, nullptr};
    NAPI_OK_BOOL(env, napi_get_cb_info(env, info, &argc, args, nullptr, nullptr));
    std::string type_error;
    auto read = werun::js::read_decrypt_args(NapiValues{env}, args, argc, function, appid_optional, &type_error);
    if (!read) {
        throw_type_error(env, type_error);
        return false;
    }
    *out = std::move(*read);
    return true;
}

// JSON.parse(text), with JSON.parse as it was when the module loaded.
napi_value parse_json(napi_env env, const std::string &text) {
    EnvState *state = env_state(env);
    napi_value json = state != nullptr ? cached(env, state->json) : nullptr;
    napi_value parse = state != nullptr ? cached(env, state->json_parse) : nullptr, result = nullptr;
    if (json == nullptr || parse == nullptr) {
        throw_napi_error(env, napi_generic_failure);
        return nullptr;
    }
    napi_value argument = make_string(env, text);
    NAPI_OK(env, napi_call_function(env, json, parse, 1, &argument, &result));
    return result;
}

napi_value decrypt_open_data(napi_env env, napi_callback_info info) {
    DecryptArgs args;
    if (!read_decrypt_args(env, info, kDecryptOpenDataSignature, true, &args)) {
        return nullptr;
    }
    auto [json, refusal] = werun::js::decrypt_open_data(args);
    if (refusal) {
        throw_werun_error(env, refusal->status, refusal->message);
        return nullptr;
    }
    return parse_json(env, json);
}

napi_value decrypt_we_run_data(napi_env env, napi_callback_info info) {
    DecryptArgs args;
    if (!read_decrypt_args(env, info, kDecryptWeRunDataSignature, false, &args)) {
        return nullptr;
    }
    auto [json, refusal] = werun::js::decrypt_we_run_data_json(args);
    if (refusal) {
        throw_werun_error(env, refusal->status, refusal->message);
        return nullptr;
    }
    return parse_json(env, json);
}

#if defined(WERUN_NAPI_BENCH)
// Benchmarks only, never in a shipped build: bench/compare.sh defines
// WERUN_NAPI_BENCH and puts bench/napi/ on the include path, whose file adds
// exports reaching this env's context (a native host, to time the binding
// without a JS host's hops).
#include "bench_exports.inc"
#endif

// ---- Registration -----------------------------------------------------------------

napi_value init(napi_env env, napi_value exports) {
    auto *state = new EnvState();
    state->env = env;
    if (!state->cache_values()) {
        state->delete_cached_refs();
        delete state;
        return nullptr;
    }
    if (napi_set_instance_data(env, state, nullptr, nullptr) != napi_ok ||
        napi_add_env_cleanup_hook(env, cleanup_env, state) != napi_ok) {
        state->delete_cached_refs();
        delete state;
        throw_napi_error(env, napi_generic_failure);
        return nullptr;
    }
    const napi_property_descriptor functions[] = {
        {"configure", nullptr, configure, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
        {"setHostImplementation", nullptr, set_host_implementation, nullptr, nullptr, nullptr, napi_enumerable,
         nullptr},
        {"getWeRunData", nullptr, get_we_run_data, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
        {"login", nullptr, login, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
        {"checkSession", nullptr, check_session, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
        {"getAuthorization", nullptr, get_authorization, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
        {"setAuthorization", nullptr, set_authorization, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
        {"logout", nullptr, logout, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
        {"decryptOpenData", nullptr, decrypt_open_data, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
        {"decryptWeRunData", nullptr, decrypt_we_run_data, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
    };
    NAPI_OK(env, napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions));
#if defined(WERUN_NAPI_BENCH)
    bench_define_exports(env, exports);
#endif
    return exports;
}

napi_module werun_module = {
    1,          // nm_version
    0,          // nm_flags
    __FILE__,   // nm_filename
    init,       // nm_register_func
    "werun",    // nm_modname: `import werun from 'libwerun.so'`
    nullptr,    // nm_priv
    {nullptr},  // reserved
};

}  // namespace

// The OHOS loader only sees modules registered from a constructor; it never
// looks up napi_register_module_v1, so NAPI_MODULE alone would silently fail.
extern "C" __attribute__((constructor)) void werun_register_module(void) {
    napi_module_register(&werun_module);
}

#if !defined(__OHOS__)
// Node.js runs the constructor only when it first loads the library. A worker
// thread that loads it again finds the module through this well-known symbol.
extern "C" NAPI_MODULE_EXPORT napi_value napi_register_module_v1(napi_env env, napi_value exports) {
    return init(env, exports);
}
#endif
