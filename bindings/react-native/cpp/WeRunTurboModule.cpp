// See WeRunTurboModule.h for the threading and lifetime rules this follows.
#include "WeRunTurboModule.h"

#include <react/bridging/LongLivedObject.h>

#include <atomic>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace facebook::react {

namespace {

using namespace werun::js;

std::atomic<uint64_t> calls_in_flight{0};
std::atomic<uint64_t> calls_cancelled{0};

// Logs what cannot be reported to JS (a JS call that failed with no caller
// left to throw to). Never key material: werun keeps that out of every
// string it returns.
void log_error(const std::string &message) {
    std::fprintf(stderr, "werun: %s\n", message.c_str());
}

// ---- JS values -------------------------------------------------------------------------------

// args[index], or undefined when JS passed fewer arguments.
const jsi::Value &arg(const jsi::Value *args, size_t count, size_t index) {
    static const jsi::Value undefined;
    return index < count ? args[index] : undefined;
}

bool is_nullish(const jsi::Value &value) {
    return value.isUndefined() || value.isNull();
}

// An object that is not a function, as `typeof value === 'object'` says.
bool is_plain_object(jsi::Runtime &rt, const jsi::Value &value) {
    return value.isObject() && !value.getObject(rt).isFunction(rt);
}

bool is_function(jsi::Runtime &rt, const jsi::Value &value) {
    return value.isObject() && value.getObject(rt).isFunction(rt);
}

jsi::String make_string(jsi::Runtime &rt, const std::string &text) {
    return jsi::String::createFromUtf8(rt, text);
}

// The value's text, or nullopt when it is not a string.
std::optional<std::string> string_of(jsi::Runtime &rt, const jsi::Value &value) {
    if (!value.isString()) return std::nullopt;
    return value.getString(rt).utf8(rt);
}

std::optional<int64_t> integer_of(const jsi::Value &value, double min, double max) {
    int64_t number = 0;
    if (!value.isNumber() || !integer_in_range(value.getNumber(), min, max, &number)) return std::nullopt;
    return number;
}

// Through the global constructor, not jsi::JSError::createTypeError, which
// JSI has only since React Native 0.80.
[[noreturn]] void throw_type_error(jsi::Runtime &rt, const std::string &message) {
    jsi::Function type_error = rt.global().getPropertyAsFunction(rt, "TypeError");
    throw jsi::JSError(rt, type_error.callAsConstructor(rt, make_string(rt, message)));
}

// An Error carrying the core's sentence as `message` and the status name as
// `code`, such as WERUN_ERR_DECRYPT.
[[noreturn]] void throw_refusal(jsi::Runtime &rt, const Refusal &refusal) {
    jsi::Function error_class = rt.global().getPropertyAsFunction(rt, "Error");
    jsi::Object error = error_class.callAsConstructor(rt, make_string(rt, refusal.message)).getObject(rt);
    error.setProperty(rt, "code", jsi::String::createFromAscii(rt, werun_status_name(refusal.status)));
    throw jsi::JSError(rt, jsi::Value(std::move(error)));
}

// How js_api.h's rules read this engine's values (see its list). With
// OnThrow::Refuse a read that throws is caught and refused; with
// OnThrow::Propagate its exception unwinds to the caller.
struct JsiValues {
    using Value = jsi::Value;
    jsi::Runtime &rt;
    OnThrow on_throw = OnThrow::Refuse;

    // read(), or nullopt if it throws and reads refuse.
    template <class Read>
    auto guarded(Read read) const -> std::optional<decltype(read())> {
        if (on_throw == OnThrow::Propagate) return read();
        try {
            return read();
        } catch (const jsi::JSError &) {
            return std::nullopt;
        }
    }

    bool is_object(const jsi::Value &value) const { return is_plain_object(rt, value); }
    bool is_function(const jsi::Value &value) const { return facebook::react::is_function(rt, value); }
    bool is_array(const jsi::Value &value) const { return value.isObject() && value.getObject(rt).isArray(rt); }
    bool is_nullish(const jsi::Value &value) const { return facebook::react::is_nullish(value); }
    std::optional<jsi::Value> get(const jsi::Value &object, const char *name) const {
        return guarded([&] { return object.getObject(rt).getProperty(rt, name); });
    }
    std::optional<uint32_t> length(const jsi::Value &array) const {
        return guarded([&] { return static_cast<uint32_t>(array.getObject(rt).getArray(rt).size(rt)); });
    }
    std::optional<jsi::Value> element(const jsi::Value &array, uint32_t index) const {
        return guarded([&] { return array.getObject(rt).getArray(rt).getValueAtIndex(rt, index); });
    }
    std::optional<std::string> string_of(const jsi::Value &value) const {
        return facebook::react::string_of(rt, value);
    }
    std::optional<std::string> to_string(const jsi::Value &value) const {
        return guarded([&] { return value.toString(rt).utf8(rt); });
    }
    std::optional<int64_t> integer_of(const jsi::Value &value, double min, double max) const {
        return facebook::react::integer_of(value, min, max);
    }
    std::optional<bool> bool_of(const jsi::Value &value) const {
        if (!value.isBool()) return std::nullopt;
        return value.getBool();
    }
};

// Throws the TypeError js_api.h's argument readers found (with
// OnThrow::Propagate, a read that threw has already unwound).
[[noreturn]] void throw_unread(jsi::Runtime &rt, const std::string &type_error) {
    throw_type_error(rt, type_error);
}

// Reports a throw from a user callback like any uncaught JS error: through
// ErrorUtils.reportFatalError, as React Native's own error handling does,
// or, without ErrorUtils, by rethrowing it to the CallInvoker's task runner.
void report_uncaught(jsi::Runtime &rt, jsi::Value error) {
    jsi::Value error_utils = rt.global().getProperty(rt, "ErrorUtils");
    if (error_utils.isObject()) {
        jsi::Value report = error_utils.getObject(rt).getProperty(rt, "reportFatalError");
        if (is_function(rt, report)) {
            report.getObject(rt).getFunction(rt).call(rt, error);
            return;
        }
    }
    throw jsi::JSError(rt, std::move(error));
}

}  // namespace

// ---- One runtime's JS state --------------------------------------------------------------------

// The JS values a runtime's calls and host share, and its calls in flight,
// used on its JS thread only. Made by the module's first call (or host) in
// the runtime, it caches the Promise constructor, Promise.resolve,
// Promise.reject and Promise.prototype.then as they were then, one executor
// for every call's promise, and the result's property names, so that a call
// neither looks them up again nor makes an executor of its own (a host
// function made per call costs about a quarter of a bare round trip on
// JSC: bench/rn/compare.sh).
//
// A call in flight has a slot: its promise's resolve at that index of the
// JS array `settlers_` (in JS rather than as a jsi::Function each, so a call
// holds no JSI handle: neither the engine's protection nor a malloc'd
// pointer value), and its option's callbacks, if it passed any, in `calls_`.
// Only resolve is kept: a failure resolves the promise with a promise
// already rejected (Promise.reject), so the engine can collect each call's
// reject function at once.
//
// Lives in the runtime's LongLivedObjectCollection, which React Native
// clears on the JS thread when it tears the runtime down, so none of its JS
// values outlives the runtime or is released on another thread; the module,
// the calls' records and the executor hold it weakly.
class WeRunJsState : public LongLivedObject {
  public:
    // A call's option.success, .fail and .complete (js_api.h's Callback
    // order), those it passed.
    struct Callbacks {
        std::optional<jsi::Function> functions[3];
    };

    // Throws what JS throws if a lookup fails.
    static std::shared_ptr<WeRunJsState> make(jsi::Runtime &rt) {
        std::shared_ptr<WeRunJsState> state(new WeRunJsState(rt));
        state->executor_.emplace(jsi::Function::createFromHostFunction(
            rt, jsi::PropNameID::forAscii(rt, "executor"), 2,
            [weak = std::weak_ptr<WeRunJsState>(state)](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args,
                                                        size_t count) {
                auto state = weak.lock();
                if (state && state->creating_ && count >= 1) {
                    state->settlers_.setValueAtIndex(rt, *state->creating_, args[0]);
                    state->creating_.reset();  // one promise per call
                }
                return jsi::Value::undefined();
            }));
        return state;
    }

    ~WeRunJsState() override = default;

    // A new call's promise (`new Promise(executor)`, which runs the executor
    // synchronously); its slot in *slot.
    jsi::Value start(jsi::Runtime &rt, Api api, std::unique_ptr<Callbacks> callbacks, uint32_t *slot) {
        *slot = take_slot();
        calls_[*slot] = Call{std::move(callbacks), api};
        creating_ = *slot;
        try {
            jsi::Value promise = promise_class_.callAsConstructor(rt, *executor_);
            creating_.reset();
            return promise;
        } catch (...) {
            creating_.reset();
            free_slot(rt, *slot);
            throw;
        }
    }

    // Frees the slot of a call werun refused to start; its promise never settles.
    void abandon(jsi::Runtime &rt, uint32_t slot) { free_slot(rt, slot); }

    // js_api.h's order, success or fail, then complete, then the promise.
    // The slot is freed first, so a callback may start calls. A callback's
    // throw is reported as uncaught once the promise is settled.
    void deliver(jsi::Runtime &rt, uint32_t slot, const CallResult &result) {
        Call call = std::move(calls_[slot]);
        jsi::Value resolve = settlers_.getValueAtIndex(rt, slot);
        free_slot(rt, slot);

        jsi::Object object(rt);
        result.set_fields([&](Field field, const std::string &text) {
            object.setProperty(rt, names_[field], make_string(rt, text));
            return true;
        });

        struct Delivery {
            jsi::Runtime &rt;
            WeRunJsState &state;
            const Call &pending;
            const jsi::Value &resolve;
            const jsi::Object &object;
            std::vector<jsi::Value> thrown;

            void call(Callback which) {
                if (!pending.callbacks) return;
                std::optional<jsi::Function> &callback = pending.callbacks->functions[static_cast<int>(which)];
                if (!callback) return;
                try {
                    callback->call(rt, object);
                } catch (const jsi::JSError &error) {
                    thrown.emplace_back(rt, error.value());
                }
            }
            void settle(bool ok) {
                if (!is_function(rt, resolve)) {
                    log_error(std::string(api_name(pending.api)) + ": a promise without resolve");
                    return;
                }
                jsi::Function settle = resolve.getObject(rt).getFunction(rt);
                if (ok) {
                    settle.call(rt, object);
                } else {
                    settle.call(rt, state.promise_reject_.callWithThis(rt, state.promise_class_, object));
                }
            }
        } delivery{rt, *this, call, resolve, object, {}};
        deliver_in_order(delivery, result.ok());
        for (jsi::Value &error : delivery.thrown) {
            report_uncaught(rt, std::move(error));
        }
    }

    // Promise.resolve(value).then(fulfilled, rejected).
    void resolve_then(jsi::Runtime &rt, const jsi::Value &value, const jsi::Function &fulfilled,
                      const jsi::Function &rejected) const {
        jsi::Value promise = promise_resolve_.callWithThis(rt, promise_class_, value);
        then_.callWithThis(rt, promise.getObject(rt), fulfilled, rejected);
    }

  private:
    struct Call {
        std::unique_ptr<Callbacks> callbacks;  // null if the option had none
        Api api = Api::GetWeRunData;
    };

    explicit WeRunJsState(jsi::Runtime &rt)
        : LongLivedObject(rt),
          promise_class_(rt.global().getPropertyAsFunction(rt, "Promise")),
          promise_resolve_(promise_class_.getPropertyAsFunction(rt, "resolve")),
          promise_reject_(promise_class_.getPropertyAsFunction(rt, "reject")),
          then_(promise_class_.getPropertyAsObject(rt, "prototype").getPropertyAsFunction(rt, "then")),
          settlers_(rt, 0) {
        names_.reserve(kFieldCount);
        for (const char *name : kFieldNames) names_.push_back(jsi::PropNameID::forAscii(rt, name));
    }

    uint32_t take_slot() {
        uint32_t slot = slots_.take();
        if (slot == calls_.size()) calls_.emplace_back();
        return slot;
    }

    // Empties a slot (so it keeps no promise alive) for reuse; once the slot
    // table starts over (SlotTable::free), replaces the array and the table
    // of callbacks.
    void free_slot(jsi::Runtime &rt, uint32_t slot) {
        calls_[slot] = Call{};
        if (slots_.free(slot)) {
            settlers_ = jsi::Array(rt, 0);
            calls_ = std::vector<Call>();
            return;
        }
        settlers_.setValueAtIndex(rt, slot, jsi::Value::undefined());
    }

    jsi::Function promise_class_;
    jsi::Function promise_resolve_;
    jsi::Function promise_reject_;
    jsi::Function then_;                  // Promise.prototype.then
    std::vector<jsi::PropNameID> names_;  // kFieldNames
    std::optional<jsi::Function> executor_;
    // The slot of the call whose promise is being constructed, for the executor.
    std::optional<uint32_t> creating_;
    jsi::Array settlers_;
    SlotTable slots_;
    std::vector<Call> calls_;  // by slot
};

namespace {

// ---- Calls: getWeRunData, login, checkSession ---------------------------------------------------

// What werun holds for a call until it completes it, on any thread: where
// to post its result, and its slot in its runtime's WeRunJsState.
struct CallRecord {
    std::shared_ptr<CallInvoker> invoker;
    std::weak_ptr<WeRunJsState> js;
    uint32_t slot;

    CallRecord(std::shared_ptr<CallInvoker> invoker, std::weak_ptr<WeRunJsState> js, uint32_t slot)
        : invoker(std::move(invoker)), js(std::move(js)), slot(slot) {
        calls_in_flight.fetch_add(1, std::memory_order_relaxed);
    }
    ~CallRecord() { calls_in_flight.fetch_sub(1, std::memory_order_relaxed); }
    CallRecord(const CallRecord &) = delete;
    CallRecord &operator=(const CallRecord &) = delete;

    // Posts the copied result to the JS thread. The task holds no JS value,
    // and locks the state only there (whoever lets it go last must do so on
    // the JS thread): if the runtime is gone, so is its state, and the
    // result is dropped.
    void post(CallResult result) {
        invoker->invokeAsync([js = js, slot = slot, result = std::move(result)](jsi::Runtime &rt) {
            if (auto state = js.lock()) state->deliver(rt, slot, result);
        });
    }
};

// werun's `complete` callback: any thread, result borrowed for its duration.
void on_call_complete(void *user_data, const werun_result *result) {
    std::unique_ptr<CallRecord> record(static_cast<CallRecord *>(user_data));
    if (result->status == WERUN_ERR_CANCELLED) {
        calls_cancelled.fetch_add(1, std::memory_order_relaxed);
    }
    record->post(CallResult::from(*result));
}

// ---- The JS host implementation -----------------------------------------------------------------

// The JS side of a host: the object and its hooks. Lives in the runtime's
// LongLivedObjectCollection until werun releases the host.
class JsHost : public LongLivedObject {
  public:
    JsHost(jsi::Runtime &rt, std::shared_ptr<WeRunJsState> state, jsi::Value object)
        : LongLivedObject(rt), state_(std::move(state)), object_(std::move(object)) {}

    void set_hook(Hook hook, jsi::Value function) { hooks_[static_cast<int>(hook)].emplace(std::move(function)); }
    bool has_hook(Hook hook) const { return hooks_[static_cast<int>(hook)].has_value(); }

    // On the JS thread: js_api.h's call_hook.
    void call(jsi::Runtime &rt, Hook hook, uint64_t request) {
        const std::optional<jsi::Value> &function = hooks_[static_cast<int>(hook)];
        call_hook(HookValues{{rt}, *state_}, &object_, function ? &*function : nullptr, hook, request);
    }

  private:
    // JsiValues plus calling a hook and attaching its handlers.
    struct HookValues : JsiValues {
        const WeRunJsState &state;

        std::optional<jsi::Value> call(const jsi::Value &function, const jsi::Value &self, jsi::Value *thrown) const {
            try {
                return function.getObject(rt).getFunction(rt).callWithThis(rt, self.getObject(rt));
            } catch (const jsi::JSError &error) {
                *thrown = jsi::Value(rt, error.value());
                return std::nullopt;
            }
        }

        // Promise.resolve(value).then(fulfilled, rejected); the handlers hold
        // no JS value. Why not, or nullopt.
        std::optional<std::string> resolve_then(const jsi::Value &value, Hook hook, uint64_t request) const {
            try {
                auto name = jsi::PropNameID::forAscii(rt, "werunHostAnswer");
                jsi::Function fulfilled = jsi::Function::createFromHostFunction(
                    rt, name, 1,
                    [hook, request](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args, size_t count) {
                        try {
                            on_hook_fulfilled(JsiValues{rt}, hook, request, arg(args, count, 0));
                        } catch (const jsi::JSError &error) {
                            fail_with_problem(request, answer_unreadable(hook, error.getMessage()));
                        }
                        return jsi::Value::undefined();
                    });
                jsi::Function rejected = jsi::Function::createFromHostFunction(
                    rt, name, 1, [request](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args, size_t count) {
                        on_hook_rejected(JsiValues{rt}, request, arg(args, count, 0));
                        return jsi::Value::undefined();
                    });
                state.resolve_then(rt, value, fulfilled, rejected);
            } catch (const jsi::JSError &error) {
                return error.getMessage();
            }
            return std::nullopt;
        }
    };

    std::shared_ptr<WeRunJsState> state_;
    jsi::Value object_;
    std::optional<jsi::Value> hooks_[3];
};

// What werun holds for a host (its host_data) until it releases it.
struct HostRecord {
    std::shared_ptr<CallInvoker> invoker;
    std::weak_ptr<JsHost> js;
};

// Posts a hook call to the JS thread. A host released meanwhile fails the
// request as withdrawn.
void post_hook(void *host_data, uint64_t request, Hook hook) {
    auto *record = static_cast<HostRecord *>(host_data);
    record->invoker->invokeAsync([js = record->js, hook, request](jsi::Runtime &rt) {
        if (auto host = js.lock()) {
            host->call(rt, hook, request);
        } else {
            fail_request(request, hook_withdrawn(hook));
        }
    });
}

// werun's `release`: the host was replaced or its context freed, on any
// thread. Its JS values are let go on the JS thread.
void on_host_release(void *host_data) {
    std::unique_ptr<HostRecord> record(static_cast<HostRecord *>(host_data));
    record->invoker->invokeAsync([js = record->js](jsi::Runtime &) {
        if (auto host = js.lock()) host->allowRelease();
    });
}

// ---- Decrypt helpers --------------------------------------------------------------------------

DecryptArgs read_decrypt_args(jsi::Runtime &rt, const jsi::Value *args, size_t count, const char *function,
                              bool appid_optional) {
    std::string type_error;
    auto read = werun::js::read_decrypt_args(JsiValues{rt}, args, count, function, appid_optional, &type_error);
    if (!read) throw_type_error(rt, type_error);
    return std::move(*read);
}

}  // namespace

// ---- The module ---------------------------------------------------------------------------------

template <WeRunTurboModule::Method method>
jsi::Value WeRunTurboModule::invoke(jsi::Runtime &rt, TurboModule &module, const jsi::Value *args, size_t count) {
    return (static_cast<WeRunTurboModule &>(module).*method)(rt, args, count);
}

WeRunTurboModule::WeRunTurboModule(std::shared_ptr<CallInvoker> jsInvoker)
    : TurboModule(std::string(kModuleName), std::move(jsInvoker)) {
    methodMap_["configure"] = MethodMetadata{1, invoke<&WeRunTurboModule::configure>};
    methodMap_["setHostImplementation"] = MethodMetadata{1, invoke<&WeRunTurboModule::setHostImplementation>};
    methodMap_["getWeRunData"] = MethodMetadata{1, invoke<&WeRunTurboModule::getWeRunData>};
    methodMap_["login"] = MethodMetadata{1, invoke<&WeRunTurboModule::login>};
    methodMap_["checkSession"] = MethodMetadata{1, invoke<&WeRunTurboModule::checkSession>};
    methodMap_["getAuthorization"] = MethodMetadata{0, invoke<&WeRunTurboModule::getAuthorization>};
    methodMap_["setAuthorization"] = MethodMetadata{1, invoke<&WeRunTurboModule::setAuthorization>};
    methodMap_["logout"] = MethodMetadata{0, invoke<&WeRunTurboModule::logout>};
    methodMap_["decryptOpenData"] = MethodMetadata{4, invoke<&WeRunTurboModule::decryptOpenData>};
    methodMap_["decryptWeRunData"] = MethodMetadata{4, invoke<&WeRunTurboModule::decryptWeRunData>};
}

WeRunTurboModule::~WeRunTurboModule() = default;

WeRunTurboModule::CallCounts WeRunTurboModule::callCounts() {
    return CallCounts{calls_in_flight.load(), calls_cancelled.load()};
}

werun_context *WeRunTurboModule::configuredContext(jsi::Runtime &rt, const char *function) const {
    if (context_.get() == nullptr) throw_type_error(rt, not_configured(function));
    return context_.get();
}

jsi::Value WeRunTurboModule::configure(jsi::Runtime &rt, const jsi::Value *args, size_t count) {
    std::string type_error;
    auto options =
        read_configure_options(JsiValues{rt, OnThrow::Propagate}, count > 0 ? &args[0] : nullptr, &type_error);
    if (!options) throw_unread(rt, type_error);
    if (auto refusal = context_.configure(*options)) throw_refusal(rt, *refusal);
    return jsi::Value::undefined();
}

jsi::Value WeRunTurboModule::setHostImplementation(jsi::Runtime &rt, const jsi::Value *args, size_t count) {
    werun_context *context = configuredContext(rt, "setHostImplementation");
    std::optional<jsi::Value> hooks[3];
    std::string type_error;
    bool present = false;
    if (!read_host(JsiValues{rt, OnThrow::Propagate}, count > 0 ? &args[0] : nullptr, &present, hooks, &type_error)) {
        throw_unread(rt, type_error);
    }
    if (!present) {
        werun_context_set_host(context, nullptr);
        return jsi::Value::undefined();
    }
    auto host = std::make_shared<JsHost>(rt, jsState(rt), jsi::Value(rt, args[0]));
    for (Hook hook : kHooks) {
        if (hooks[static_cast<int>(hook)]) host->set_hook(hook, std::move(*hooks[static_cast<int>(hook)]));
    }

    LongLivedObjectCollection::get(rt).add(host);
    auto *record = new HostRecord{jsInvoker_, host};
    if (auto refusal = set_host<post_hook>(context, record, on_host_release, host->has_hook(Hook::Login),
                                           host->has_hook(Hook::Authorize), host->has_hook(Hook::GetSteps))) {
        delete record;  // werun did not take it
        host->allowRelease();
        throw_refusal(rt, *refusal);
    }
    return jsi::Value::undefined();
}

std::shared_ptr<WeRunJsState> WeRunTurboModule::jsState(jsi::Runtime &rt) {
    if (auto state = js_state_.lock()) return state;
    auto state = WeRunJsState::make(rt);
    LongLivedObjectCollection::get(rt).add(state);
    js_state_ = state;
    return state;
}

jsi::Value WeRunTurboModule::startCall(jsi::Runtime &rt, const jsi::Value *args, size_t count, Api api) {
    werun_context *context = configuredContext(rt, api_name(api));
    std::optional<jsi::Value> read[3];
    std::string type_error;
    if (!read_call_option(JsiValues{rt, OnThrow::Propagate}, api, &arg(args, count, 0), read, &type_error)) {
        throw_unread(rt, type_error);
    }
    std::unique_ptr<WeRunJsState::Callbacks> callbacks;
    for (size_t i = 0; i < 3; ++i) {
        if (!read[i]) continue;
        if (!callbacks) callbacks = std::make_unique<WeRunJsState::Callbacks>();
        callbacks->functions[i].emplace(read[i]->getObject(rt).getFunction(rt));
    }
    std::shared_ptr<WeRunJsState> state = jsState(rt);
    uint32_t slot = 0;
    jsi::Value promise = state->start(rt, api, std::move(callbacks), &slot);

    auto record = std::make_unique<CallRecord>(jsInvoker_, state, slot);
    if (auto refusal = werun::js::start_call(context, api, record.get(), on_call_complete)) {
        state->abandon(rt, slot);
        throw_refusal(rt, *refusal);
    }
    record.release();  // werun owns it until on_call_complete
    return promise;
}

jsi::Value WeRunTurboModule::getWeRunData(jsi::Runtime &rt, const jsi::Value *args, size_t count) {
    return startCall(rt, args, count, Api::GetWeRunData);
}

jsi::Value WeRunTurboModule::login(jsi::Runtime &rt, const jsi::Value *args, size_t count) {
    return startCall(rt, args, count, Api::Login);
}

jsi::Value WeRunTurboModule::checkSession(jsi::Runtime &rt, const jsi::Value *args, size_t count) {
    return startCall(rt, args, count, Api::CheckSession);
}

jsi::Value WeRunTurboModule::getAuthorization(jsi::Runtime &rt, const jsi::Value *, size_t) {
    uint32_t state = WERUN_AUTH_NOT_DETERMINED;
    werun_status status = werun_context_get_authorization(configuredContext(rt, "getAuthorization"), &state);
    if (status != WERUN_OK) throw_refusal(rt, Refusal::last(status));
    return jsi::String::createFromAscii(rt, authorization_name(state));
}

jsi::Value WeRunTurboModule::setAuthorization(jsi::Runtime &rt, const jsi::Value *args, size_t count) {
    werun_context *context = configuredContext(rt, "setAuthorization");
    std::optional<std::string> name = count > 0 ? string_of(rt, args[0]) : std::nullopt;
    std::optional<uint32_t> state = name ? parse_authorization(*name) : std::nullopt;
    if (!state) throw_type_error(rt, kSetAuthorizationBadState);
    werun_status status = werun_context_set_authorization(context, *state);
    if (status != WERUN_OK) throw_refusal(rt, Refusal::last(status));
    return jsi::Value::undefined();
}

jsi::Value WeRunTurboModule::logout(jsi::Runtime &rt, const jsi::Value *, size_t) {
    werun_status status = werun_context_logout(configuredContext(rt, "logout"));
    if (status != WERUN_OK) throw_refusal(rt, Refusal::last(status));
    return jsi::Value::undefined();
}

jsi::Value WeRunTurboModule::decryptOpenData(jsi::Runtime &rt, const jsi::Value *args, size_t count) {
    DecryptArgs decrypt_args = read_decrypt_args(rt, args, count, kDecryptOpenDataSignature, true);
    auto [json, refusal] = werun::js::decrypt_open_data(decrypt_args);
    if (refusal) throw_refusal(rt, *refusal);
    return jsi::Value::createFromJsonUtf8(rt, reinterpret_cast<const uint8_t *>(json.data()), json.size());
}

jsi::Value WeRunTurboModule::decryptWeRunData(jsi::Runtime &rt, const jsi::Value *args, size_t count) {
    DecryptArgs decrypt_args = read_decrypt_args(rt, args, count, kDecryptWeRunDataSignature, false);
    auto [text, refusal] = werun::js::decrypt_we_run_data_json(decrypt_args);
    if (refusal) throw_refusal(rt, *refusal);
    return jsi::Value::createFromJsonUtf8(rt, reinterpret_cast<const uint8_t *>(text.data()), text.size());
}

}  // namespace facebook::react
