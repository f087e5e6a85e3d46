// werun's JS API as both JS bindings expose it (the HarmonyOS Node-API module
// and the React Native TurboModule), minus the JS engine: the API and hook
// names, the sentences of the TypeErrors that type checks throw, configure's
// options and rules, the order a call's result is delivered in, how a JS
// host's hook is called and its answer read, and the C ABI calls that answer
// a host request.
//
// A rule written here holds on both platforms. The rules that read JS values
// are templates over a small adapter each binding supplies for its engine
// (`Js`, listed under "Reading JS values" below); the rest take plain C++
// values. Nothing here keeps JS values past a call. The one stateful piece is
// ConfiguredContext, one per JS runtime, used on its JS thread; everything
// else holds no state.
//
// Header-only C++17 over werun.h.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "werun.h"

namespace werun::js {

// ---- Calls --------------------------------------------------------------------------

enum class Api : uint8_t { GetWeRunData, Login, CheckSession };

inline const char *api_name(Api api) {
    switch (api) {
        case Api::GetWeRunData:
            return "getWeRunData";
        case Api::Login:
            return "login";
        case Api::CheckSession:
            return "checkSession";
    }
    return "";
}

using CallFunction = werun_status (*)(werun_context *, const werun_callbacks *, uint64_t *);

inline CallFunction call_function(Api api) {
    switch (api) {
        case Api::GetWeRunData:
            return werun_get_we_run_data;
        case Api::Login:
            return werun_login;
        case Api::CheckSession:
            return werun_check_session;
    }
    return nullptr;
}

// The properties of a call's result object, in the order they are set.
enum Field : uint32_t { kErrMsg, kEncryptedData, kIv, kCloudId, kCode, kFieldCount };
constexpr const char *kFieldNames[kFieldCount] = {"errMsg", "encryptedData", "iv", "cloudID", "code"};

// A call's result, copied out of werun's borrowed werun_result so it can cross
// to the JS thread.
struct CallResult {
    uint32_t status = WERUN_OK;
    std::string err_msg;
    std::optional<std::string> encrypted_data;
    std::optional<std::string> iv;
    std::optional<std::string> cloud_id;
    std::optional<std::string> code;

    static std::optional<std::string> copy(const char *text) {
        return text == nullptr ? std::nullopt : std::optional<std::string>(text);
    }

    static CallResult from(const werun_result &result) {
        CallResult copied;
        copied.status = result.status;
        copied.err_msg = result.err_msg != nullptr ? result.err_msg : "";
        copied.encrypted_data = copy(result.encrypted_data);
        copied.iv = copy(result.iv);
        copied.cloud_id = copy(result.cloud_id);
        copied.code = copy(result.code);
        return copied;
    }

    bool ok() const { return status == WERUN_OK; }

    // The result object's properties: `set(field, text)` for errMsg, then for
    // each other field the result has, while `set` returns true. False when
    // one did not.
    template <class Set>
    bool set_fields(Set set) const {
        const std::optional<std::string> *others[] = {&encrypted_data, &iv, &cloud_id, &code};
        if (!set(kErrMsg, err_msg)) return false;
        for (uint32_t i = 0; i < 4; ++i) {
            if (*others[i] && !set(static_cast<Field>(kEncryptedData + i), **others[i])) return false;
        }
        return true;
    }
};

// A call's callbacks, in the order its option names them (kCallbackSlots).
enum class Callback { Success, Fail, Complete };

// WeChat's order for delivering a call's result, on the JS thread: success
// or fail, then complete, then the promise, resolved on success and rejected
// otherwise. A callback's throw does not stop the later steps; `delivery`
// catches it and reports it as uncaught, when its engine allows (see each
// binding). `Delivery` has:
//   void call(Callback);   runs that callback if the option had one
//   void settle(bool ok);  resolves (ok) or rejects the call's promise
template <class Delivery>
void deliver_in_order(Delivery &delivery, bool ok) {
    delivery.call(ok ? Callback::Success : Callback::Fail);
    delivery.call(Callback::Complete);
    delivery.settle(ok);
}

inline std::string option_not_object(Api api) {
    return std::string("werun.") + api_name(api) + "(option): option must be an object";
}

inline std::string option_callback_not_function(Api api, const char *slot) {
    return std::string("werun.") + api_name(api) + "(option): option." + slot + " must be a function";
}

// Option fields holding callbacks, in the order they are read.
constexpr const char *kCallbackSlots[] = {"success", "fail", "complete"};

inline std::string not_configured(const char *function) {
    return std::string("werun.") + function + "() needs werun.configure({ appid }) to be called first";
}

// ---- configure --------------------------------------------------------------------------

constexpr const char *kConfigureNotObject = "werun.configure(options): options must be an object with an appid string";
constexpr const char *kConfigureAppidNotString =
    "werun.configure(options): options.appid must be a string, such as \"wx4f4bc4dec97d474b\"";

// An integer setting of configure: its name and the range its C type holds.
// Which values inside that range are allowed is the core's rule.
struct IntegerSetting {
    const char *name;
    double min;
    double max;
};

constexpr IntegerSetting kTimeoutMs{"timeoutMs", 0, 4294967295.0};
constexpr IntegerSetting kUtcOffsetMinutes{"utcOffsetMinutes", -2147483648.0, 2147483647.0};
constexpr IntegerSetting kMaxInFlight{"maxInFlight", 0, 4294967295.0};

inline std::string setting_not_integer(const IntegerSetting &setting) {
    return std::string("werun.configure(options): options.") + setting.name + " must be an integer from " +
           std::to_string(static_cast<int64_t>(setting.min)) + " to " +
           std::to_string(static_cast<int64_t>(setting.max));
}

// A JS number that is an integer in [min, max]: finite, whole, and exactly
// representable, so the C value is the JS value.
inline bool integer_in_range(double number, double min, double max, int64_t *out) {
    if (!std::isfinite(number) || std::trunc(number) != number || number < min || number > max) {
        return false;
    }
    *out = static_cast<int64_t>(number);
    return true;
}

constexpr double kMaxSafeInteger = 9007199254740991.0;

// The settings configure was given; absent ones keep their current value.
struct Settings {
    std::optional<int64_t> timeout_ms;
    std::optional<int64_t> utc_offset_minutes;
    std::optional<int64_t> max_in_flight;
};

// What configure(options) was given.
struct ConfigureOptions {
    std::string appid;
    Settings settings;
};

// A failure with the status and sentence a binding throws as an Error whose
// `code` is the status name.
struct Refusal {
    werun_status status;
    std::string message;

    // The core's sentence for its last non-OK return on this thread, copied at
    // once: the next werun call replaces it.
    static Refusal last(werun_status status) { return Refusal{status, werun_last_error()}; }
};

// One JS runtime's werun context, created by the first configure. Used on the
// JS thread only.
class ConfiguredContext {
  public:
    ConfiguredContext() = default;
    ConfiguredContext(const ConfiguredContext &) = delete;
    ConfiguredContext &operator=(const ConfiguredContext &) = delete;
    // Fails every call in flight with CANCELLED and releases the host.
    ~ConfiguredContext() { werun_context_free(context_); }

    werun_context *get() const { return context_; }

    // configure's rules: the first call creates the context, or leaves werun
    // unconfigured if anything is refused; a later call changes the settings
    // it names, all of them or (if the core refuses any) none; the appid
    // never changes.
    std::optional<Refusal> configure(const ConfigureOptions &options) {
        return configure(options.appid, options.settings);
    }

    std::optional<Refusal> configure(const std::string &appid, const Settings &settings) {
        bool created = false;
        if (context_ == nullptr) {
            werun_status status = werun_context_new(appid.c_str(), &context_);
            if (status != WERUN_OK) {
                return Refusal::last(status);
            }
            appid_ = appid;
            created = true;
        } else if (appid != appid_) {
            return Refusal{WERUN_ERR_INVALID_ARGUMENT, "werun is configured for appid \"" + appid_ +
                                                           "\"; the appid cannot change while the app runs"};
        }
        // One call: the core applies every setting or, refusing any, none.
        werun_settings c_settings = to_c(settings);
        werun_status status = werun_context_configure(context_, &c_settings);
        if (status == WERUN_OK) {
            return std::nullopt;
        }
        Refusal refusal = Refusal::last(status);
        if (created) {
            werun_context_free(context_);
            context_ = nullptr;
            appid_.clear();
        }
        return refusal;
    }

  private:
    // The settings given, each with its WERUN_SETTING_* flag; the values fit
    // their C types (read_configure_options checked the ranges).
    static werun_settings to_c(const Settings &settings) {
        werun_settings c{};
        if (settings.timeout_ms) {
            c.fields |= WERUN_SETTING_TIMEOUT_MS;
            c.timeout_ms = static_cast<uint32_t>(*settings.timeout_ms);
        }
        if (settings.utc_offset_minutes) {
            c.fields |= WERUN_SETTING_UTC_OFFSET_MINUTES;
            c.utc_offset_minutes = static_cast<int32_t>(*settings.utc_offset_minutes);
        }
        if (settings.max_in_flight) {
            c.fields |= WERUN_SETTING_MAX_IN_FLIGHT;
            c.max_in_flight = static_cast<uint32_t>(*settings.max_in_flight);
        }
        return c;
    }

    werun_context *context_ = nullptr;
    std::string appid_;
};

// ---- Starting a call -------------------------------------------------------------------------

// Starts `api` on `context`; the core then runs `complete(user_data, result)`
// exactly once, on any thread, possibly before this returns (BUSY, for one,
// completes at once with the core's "<api>:fail busy"). nullopt then;
// otherwise the core ran no callback and never will, and the binding throws
// the refusal.
inline std::optional<Refusal> start_call(werun_context *context, Api api, void *user_data, werun_result_fn complete) {
    werun_callbacks callbacks{};
    callbacks.user_data = user_data;
    callbacks.complete = complete;
    werun_status started = call_function(api)(context, &callbacks, nullptr);
    if (started == WERUN_OK) return std::nullopt;
    return Refusal::last(started);
}

// The slots of an env's or runtime's calls in flight: each call's index into
// the JS array where its binding keeps the call's promise's resolve. Freed
// slots are reused. Once every slot is free after a burst of more than
// kSlotsKeptIdle calls, the table starts over, and the binding replaces its
// array with an empty one, so the room the burst grew is given back. Used on
// the JS thread only.
class SlotTable {
  public:
    static constexpr uint32_t kSlotsKeptIdle = 1024;

    uint32_t take() {
        if (free_.empty()) return count_++;
        uint32_t slot = free_.back();
        free_.pop_back();
        return slot;
    }

    // Frees `slot`. True if the table started over (every slot is free, and
    // there were more than kSlotsKeptIdle): the binding then replaces its
    // array instead of emptying the slot.
    bool free(uint32_t slot) {
        if (free_.size() + 1 == count_ && count_ > kSlotsKeptIdle) {
            free_ = std::vector<uint32_t>();
            count_ = 0;
            return true;
        }
        free_.push_back(slot);
        return false;
    }

    // How many slots there are, in use or free.
    uint32_t count() const { return count_; }

  private:
    std::vector<uint32_t> free_;
    uint32_t count_ = 0;
};

// ---- scope.werun ----------------------------------------------------------------------------

constexpr const char *kSetAuthorizationBadState =
    "werun.setAuthorization(state): state must be 'granted', 'denied' or 'notDetermined'";

inline const char *authorization_name(uint32_t state) {
    switch (state) {
        case WERUN_AUTH_GRANTED:
            return "granted";
        case WERUN_AUTH_DENIED:
            return "denied";
        default:
            return "notDetermined";
    }
}

inline std::optional<uint32_t> parse_authorization(const std::string &name) {
    for (uint32_t state : {WERUN_AUTH_NOT_DETERMINED, WERUN_AUTH_GRANTED, WERUN_AUTH_DENIED}) {
        if (name == authorization_name(state)) return state;
    }
    return std::nullopt;
}

// ---- The JS host implementation ---------------------------------------------------------------

enum class Hook { Login, Authorize, GetSteps };

constexpr Hook kHooks[] = {Hook::Login, Hook::Authorize, Hook::GetSteps};

inline const char *hook_name(Hook hook) {
    switch (hook) {
        case Hook::Login:
            return "login";
        case Hook::Authorize:
            return "authorize";
        case Hook::GetSteps:
            return "getSteps";
    }
    return "";
}

// Fills the hooks of `native` for a JS host whose hook calls all go through
// `post(host_data, request, hook)`; a hook the JS host lacks stays NULL, so
// the core treats its API as the host not providing it.
template <void (*post)(void *host_data, uint64_t request, Hook hook)>
void set_hooks(werun_host *native, bool has_login, bool has_authorize, bool has_get_steps) {
    werun_host_fn login = [](void *data, uint64_t request) {
        post(data, request, Hook::Login);
    };
    werun_host_fn authorize = [](void *data, uint64_t request) {
        post(data, request, Hook::Authorize);
    };
    werun_host_fn get_steps = [](void *data, uint64_t request) {
        post(data, request, Hook::GetSteps);
    };
    native->login = has_login ? login : nullptr;
    native->authorize = has_authorize ? authorize : nullptr;
    native->get_steps = has_get_steps ? get_steps : nullptr;
}

// Hands a JS host to `context`: its hooks post through `post`, those it
// lacks stay NULL, and werun calls `release(host_data)` once done with it.
// The refusal when werun did not take it (it then never calls `release`).
template <void (*post)(void *host_data, uint64_t request, Hook hook)>
std::optional<Refusal> set_host(werun_context *context, void *host_data, void (*release)(void *host_data),
                                bool has_login, bool has_authorize, bool has_get_steps) {
    werun_host native{};
    native.host_data = host_data;
    set_hooks<post>(&native, has_login, has_authorize, has_get_steps);
    native.authorization_changed = nullptr;
    native.release = release;
    werun_status status = werun_context_set_host(context, &native);
    if (status != WERUN_OK) return Refusal::last(status);
    return std::nullopt;
}

constexpr const char *kHostNotObject = "werun.setHostImplementation(host): host must be an object or null";

inline std::string hook_not_function(Hook hook) {
    return std::string("werun.setHostImplementation(host): host.") + hook_name(hook) +
           " must be a function returning a Promise";
}

// Fails a host request with `message` as the errMsg's reason. STALE_REQUEST
// only means its calls already ended (a timeout, a teardown). A message the
// core refuses (over its length limit) would leave the request pending until
// its timeout, so the request then fails with the core's own "host error".
inline void fail_request(uint64_t request, const std::string &message) {
    if (werun_request_fail(request, WERUN_ERR_HOST, message.c_str()) == WERUN_ERR_INVALID_ARGUMENT) {
        werun_request_fail(request, WERUN_ERR_HOST, nullptr);
    }
}

inline std::string hook_withdrawn(Hook hook) {
    return std::string("the JS host's ") + hook_name(hook) + "() was withdrawn";
}

inline std::string hook_unreachable(Hook hook) {
    return std::string("the JS host's ") + hook_name(hook) + "() cannot run: the JS runtime is shutting down";
}

// Why a hook's answer was refused. The core words it, as it words a native
// host's refused answer: `<api>:fail invalid host data: <problem>`.
using Problem = std::optional<std::string>;

inline void fail_with_problem(uint64_t request, const std::string &problem) {
    if (werun_request_fail(request, WERUN_ERR_INVALID_DATA, problem.c_str()) == WERUN_ERR_INVALID_ARGUMENT) {
        werun_request_fail(request, WERUN_ERR_INVALID_DATA, nullptr);
    }
}

constexpr const char *kLoginAnswerShape =
    "login() must resolve { code: string, sessionKey?: string, expiresIn?: integer }";
constexpr const char *kAuthorizeAnswerShape = "authorize() must resolve a boolean";
constexpr const char *kGetStepsAnswerShape =
    "getSteps() must resolve an array of { timestamp, step } or { encryptedData: string, iv: string, "
    "cloudID?: string }";

inline std::string shape_problem(const char *shape, const std::string &detail) {
    return std::string(shape) + "; " + detail;
}

inline std::string sample_not_object(uint32_t index) {
    return "getSteps() resolved an array whose element " + std::to_string(index) +
           " is not a { timestamp, step } object";
}

inline std::string sample_timestamp_not_integer(uint32_t index) {
    return "getSteps() sample " + std::to_string(index) + ": timestamp must be an integer number of unix seconds";
}

inline std::string sample_step_not_integer(uint32_t index) {
    return "getSteps() sample " + std::to_string(index) + ": step must be an integer number";
}

// C strings end at NUL, so a JS string holding one would be silently cut.
inline Problem nul_problem(const char *hook, const char *field, const std::optional<std::string> &text) {
    if (text && text->find('\0') != std::string::npos) {
        return std::string(hook) + "() resolved a " + field + " containing a NUL character";
    }
    return std::nullopt;
}

// An answer the core could not take at all (the request stays pending), as a
// problem; an answer it refused on its merits has already failed the request.
inline Problem unusable_answer(werun_status status) {
    if (status == WERUN_ERR_NULL_ARGUMENT || status == WERUN_ERR_INVALID_ARGUMENT) {
        return std::string(werun_last_error());
    }
    return std::nullopt;
}

struct LoginAnswer {
    std::string code;
    std::optional<std::string> session_key;
    uint32_t expires_in = 0;
};

inline Problem answer_login(uint64_t request, const LoginAnswer &answer) {
    for (auto problem :
         {nul_problem("login", "code", answer.code), nul_problem("login", "sessionKey", answer.session_key)}) {
        if (problem) return problem;
    }
    return unusable_answer(werun_request_answer_login(
        request, answer.code.c_str(), answer.session_key ? answer.session_key->c_str() : nullptr, answer.expires_in));
}

inline void answer_authorize(uint64_t request, bool granted) {
    werun_request_answer_authorize(request, granted ? 1 : 0);
}

inline Problem answer_steps(uint64_t request, const std::vector<werun_step> &steps) {
    return unusable_answer(werun_request_answer_steps(request, steps.data(), steps.size()));
}

struct SealedAnswer {
    std::string encrypted_data;
    std::string iv;
    std::optional<std::string> cloud_id;
};

inline Problem answer_sealed(uint64_t request, const SealedAnswer &answer) {
    for (auto problem :
         {nul_problem("getSteps", "encryptedData", answer.encrypted_data), nul_problem("getSteps", "iv", answer.iv),
          nul_problem("getSteps", "cloudID", answer.cloud_id)}) {
        if (problem) return problem;
    }
    return unusable_answer(werun_request_answer_sealed(request, answer.encrypted_data.c_str(), answer.iv.c_str(),
                                                       answer.cloud_id ? answer.cloud_id->c_str() : nullptr));
}

// ---- Reading JS values, once for both engines ----------------------------------------------
// `Js` adapts one engine's values; each binding supplies one, used on the JS
// thread only:
//   using Value = ...;                                   the engine's value
//   bool is_object(const Value &) const;                 typeof v === 'object', not null
//   bool is_function(const Value &) const;               typeof v === 'function'
//   bool is_array(const Value &) const;                  Array.isArray(v)
//   bool is_nullish(const Value &) const;                undefined or null
//   std::optional<Value> get(const Value &object, const char *name) const;
//                                                        nullopt when the read throws
//   std::optional<uint32_t> length(const Value &array) const;           likewise
//   std::optional<Value> element(const Value &array, uint32_t index) const;  likewise
//   std::optional<std::string> string_of(const Value &) const;         a string's text
//   std::optional<std::string> to_string(const Value &) const;         String(v); nullopt
//                                                        when that throws (a Symbol)
//   std::optional<int64_t> integer_of(const Value &, double min, double max) const;
//   std::optional<bool> bool_of(const Value &) const;
// An adapter is made with an OnThrow, which says what a read that throws does.
// Only types are checked here (strings, integers, booleans); value rules such
// as non-negative steps are the core's.

// What an adapter does with an exception a read throws. Refuse: it is caught
// and the read yields nullopt (a host's answer: the request fails instead).
// Propagate: it stays the API caller's (reading an API's arguments); the read
// yields nullopt where the engine reports a throw by its return value
// (Node-API) and unwinds where the engine throws a C++ exception (JSI).
enum class OnThrow { Refuse, Propagate };

// The message of a rejection or throw, for a failed host request's errMsg:
// `reason.message` when it is a string, else String(reason); "" when even
// that throws (a Symbol), which the core turns into "host error". Read with
// an OnThrow::Refuse adapter.
template <class Js>
std::string reason_message(const Js &js, const typename Js::Value &reason) {
    if (js.is_object(reason) || js.is_function(reason)) {
        if (auto message = js.get(reason, "message")) {
            if (auto text = js.string_of(*message)) return std::move(*text);
        }
    }
    return js.to_string(reason).value_or(std::string());
}

// ---- Reading an API's arguments ----------------------------------------------------------------
// Read with an OnThrow::Propagate adapter. Each returns nullopt (or false)
// when the arguments cannot be used: with the TypeError's message in
// `*type_error`, or with `*type_error` left empty when a read threw, whose
// exception then stands.

// configure(options): an object with an appid string without NUL, and
// optional integer settings, each in its C type's range.
template <class Js>
std::optional<ConfigureOptions> read_configure_options(const Js &js, const typename Js::Value *options,
                                                       std::string *type_error) {
    if (options == nullptr || !js.is_object(*options)) {
        *type_error = kConfigureNotObject;
        return std::nullopt;
    }
    auto appid_value = js.get(*options, "appid");
    if (!appid_value) return std::nullopt;
    auto appid = js.string_of(*appid_value);
    if (!appid || appid->find('\0') != std::string::npos) {
        *type_error = kConfigureAppidNotString;
        return std::nullopt;
    }
    ConfigureOptions read{std::move(*appid), Settings{}};
    const std::pair<IntegerSetting, std::optional<int64_t> *> slots[] = {
        {kTimeoutMs, &read.settings.timeout_ms},
        {kUtcOffsetMinutes, &read.settings.utc_offset_minutes},
        {kMaxInFlight, &read.settings.max_in_flight}};
    for (const auto &[setting, slot] : slots) {
        auto value = js.get(*options, setting.name);
        if (!value) return std::nullopt;
        if (js.is_nullish(*value)) continue;
        *slot = js.integer_of(*value, setting.min, setting.max);
        if (!*slot) {
            *type_error = setting_not_integer(setting);
            return std::nullopt;
        }
    }
    return read;
}

// Reads the N functions `object` may hold, named by `name(i)`, into
// `functions[i]`: each is a function or nullish (left empty); for one that is
// not, `not_function(i)` is the TypeError's message.
template <class Js, size_t N, class Name, class NotFunction>
bool read_functions(const Js &js, const typename Js::Value &object, Name name,
                    std::optional<typename Js::Value> (&functions)[N], NotFunction not_function,
                    std::string *type_error) {
    for (size_t i = 0; i < N; ++i) {
        auto value = js.get(object, name(i));
        if (!value) return false;
        if (js.is_nullish(*value)) continue;
        if (!js.is_function(*value)) {
            *type_error = not_function(i);
            return false;
        }
        functions[i] = std::move(*value);
    }
    return true;
}

// A call's option: absent (nullptr), undefined or null, or an object whose
// success, fail and complete (kCallbackSlots) are each a function or
// nullish. Fills `callbacks[i]` with each function present.
template <class Js>
bool read_call_option(const Js &js, Api api, const typename Js::Value *option,
                      std::optional<typename Js::Value> (&callbacks)[3], std::string *type_error) {
    if (option == nullptr || js.is_nullish(*option)) return true;
    if (!js.is_object(*option)) {
        *type_error = option_not_object(api);
        return false;
    }
    return read_functions(
        js, *option, [](size_t i) { return kCallbackSlots[i]; }, callbacks,
        [api](size_t i) { return option_callback_not_function(api, kCallbackSlots[i]); }, type_error);
}

// setHostImplementation(host): absent, undefined or null (`*present` false:
// the host is removed), or an object whose login, authorize and getSteps
// (kHooks) are each a function or nullish. Fills `hooks[i]` with each
// function present.
template <class Js>
bool read_host(const Js &js, const typename Js::Value *host, bool *present,
               std::optional<typename Js::Value> (&hooks)[3], std::string *type_error) {
    *present = host != nullptr && !js.is_nullish(*host);
    if (!*present) return true;
    if (!js.is_object(*host)) {
        *type_error = kHostNotObject;
        return false;
    }
    return read_functions(
        js, *host, [](size_t i) { return hook_name(kHooks[i]); }, hooks,
        [](size_t i) { return hook_not_function(kHooks[i]); }, type_error);
}

// ---- Reading a hook's answer -------------------------------------------------------------------
// Read with an OnThrow::Refuse adapter.

// An optional string field: absent, undefined and null are std::nullopt in
// `*out`; false when the read throws or the value is another type.
template <class Js>
bool read_optional_string(const Js &js, const typename Js::Value &object, const char *name,
                          std::optional<std::string> *out) {
    auto value = js.get(object, name);
    if (!value) return false;
    if (js.is_nullish(*value)) return true;
    *out = js.string_of(*value);
    return out->has_value();
}

template <class Js>
Problem answer_login_value(const Js &js, uint64_t request, const typename Js::Value &value) {
    if (!js.is_object(value)) {
        return std::string(kLoginAnswerShape) + ", not a " + (js.is_nullish(value) ? "nullish value" : "non-object");
    }
    LoginAnswer answer;
    auto code = js.get(value, "code");
    auto text = code ? js.string_of(*code) : std::nullopt;
    if (!text) return shape_problem(kLoginAnswerShape, "code is missing or not a string");
    answer.code = std::move(*text);
    if (!read_optional_string(js, value, "sessionKey", &answer.session_key)) {
        return shape_problem(kLoginAnswerShape, "sessionKey is not a string");
    }
    auto expires_in = js.get(value, "expiresIn");
    if (!expires_in) return shape_problem(kLoginAnswerShape, "expiresIn cannot be read");
    if (!js.is_nullish(*expires_in)) {
        auto seconds = js.integer_of(*expires_in, 0, 4294967295.0);
        if (!seconds) {
            return shape_problem(kLoginAnswerShape,
                                 "expiresIn is not an integer number of seconds from 0 to 4294967295");
        }
        answer.expires_in = static_cast<uint32_t>(*seconds);
    }
    return answer_login(request, answer);
}

template <class Js>
Problem answer_steps_value(const Js &js, uint64_t request, const typename Js::Value &array) {
    auto length = js.length(array);
    if (!length) return std::string("getSteps() resolved an array that cannot be read");
    std::vector<werun_step> steps;
    for (uint32_t index = 0; index < *length; ++index) {
        auto sample = js.element(array, index);
        if (!sample || !js.is_object(*sample)) return sample_not_object(index);
        auto timestamp = js.get(*sample, "timestamp");
        auto seconds = timestamp ? js.integer_of(*timestamp, -kMaxSafeInteger, kMaxSafeInteger) : std::nullopt;
        if (!seconds) return sample_timestamp_not_integer(index);
        auto step = js.get(*sample, "step");
        auto count = step ? js.integer_of(*step, -kMaxSafeInteger, kMaxSafeInteger) : std::nullopt;
        if (!count) return sample_step_not_integer(index);
        steps.push_back(werun_step{*seconds, *count});
    }
    return answer_steps(request, steps);
}

template <class Js>
Problem answer_get_steps_value(const Js &js, uint64_t request, const typename Js::Value &value) {
    if (js.is_array(value)) return answer_steps_value(js, request, value);
    if (!js.is_object(value)) return std::string(kGetStepsAnswerShape);
    SealedAnswer answer;
    auto encrypted_data = js.get(value, "encryptedData");
    auto data_text = encrypted_data ? js.string_of(*encrypted_data) : std::nullopt;
    if (!data_text) return shape_problem(kGetStepsAnswerShape, "encryptedData is missing or not a string");
    auto iv = js.get(value, "iv");
    auto iv_text = iv ? js.string_of(*iv) : std::nullopt;
    if (!iv_text) return shape_problem(kGetStepsAnswerShape, "iv is missing or not a string");
    if (!read_optional_string(js, value, "cloudID", &answer.cloud_id)) {
        return shape_problem(kGetStepsAnswerShape, "cloudID is not a string");
    }
    answer.encrypted_data = std::move(*data_text);
    answer.iv = std::move(*iv_text);
    return answer_sealed(request, answer);
}

// Answers `request` from what `hook`'s promise resolved; returns a problem
// when its type is wrong (the caller fails the request with it).
template <class Js>
Problem answer_value(const Js &js, Hook hook, uint64_t request, const typename Js::Value &value) {
    switch (hook) {
        case Hook::Login:
            return answer_login_value(js, request, value);
        case Hook::Authorize: {
            auto granted = js.bool_of(value);
            if (!granted) return std::string(kAuthorizeAnswerShape);
            answer_authorize(request, *granted);
            return std::nullopt;
        }
        case Hook::GetSteps:
            return answer_get_steps_value(js, request, value);
    }
    return std::nullopt;
}

// Why a hook could not even be asked: the request fails as a host failure.
constexpr const char *kHostUnreachable = "the JS host is no longer reachable";

inline std::string cannot_wait_for(Hook hook, const std::string &why) {
    return std::string("cannot wait for ") + hook_name(hook) + "(): " + why;
}

// A resolved value whose reading threw past the adapter (such as an
// array-like Proxy whose length throws, on an engine that unwinds).
inline std::string answer_unreadable(Hook hook, const std::string &why) {
    return std::string(hook_name(hook)) + "() resolved a value that cannot be read: " + why;
}

// ---- Calling a hook ------------------------------------------------------------------------------
// Beyond the reader's list, calling a hook takes from `Js` (OnThrow::Refuse):
//   std::optional<Value> call(const Value &function, const Value &self, Value *thrown) const;
//       function.call(self); nullopt, with what it threw in `*thrown`, when it throws
//   std::optional<std::string> resolve_then(const Value &value, Hook hook, uint64_t request) const;
//       Promise.resolve(value).then(fulfilled, rejected), so a hook may return
//       a promise, a thenable or a plain value; `fulfilled` runs
//       on_hook_fulfilled and `rejected` on_hook_rejected, and neither holds
//       a JS value. Why it could not, or nullopt.

// What a hook's promise fulfilled with answers its request, or fails it
// with the problem its type has.
template <class Js>
void on_hook_fulfilled(const Js &js, Hook hook, uint64_t request, const typename Js::Value &value) {
    if (Problem problem = answer_value(js, hook, request, value)) fail_with_problem(request, *problem);
}

// A hook's promise rejected: the request fails with the reason's message.
template <class Js>
void on_hook_rejected(const Js &js, uint64_t request, const typename Js::Value &reason) {
    fail_request(request, reason_message(js, reason));
}

// On the JS thread: calls `function` (nullptr when the host's hook cannot be
// reached any more) with `this` set to the host, and answers `request` when
// what it returned settles. A throw fails the request like a rejection.
template <class Js>
void call_hook(const Js &js, const typename Js::Value *host, const typename Js::Value *function, Hook hook,
               uint64_t request) {
    if (host == nullptr || function == nullptr) {
        fail_request(request, kHostUnreachable);
        return;
    }
    typename Js::Value thrown{};
    auto returned = js.call(*function, *host, &thrown);
    if (!returned) {
        fail_request(request, reason_message(js, thrown));
        return;
    }
    if (auto why = js.resolve_then(*returned, hook, request)) {
        fail_request(request, cannot_wait_for(hook, *why));
    }
}

// ---- Decrypt helpers ------------------------------------------------------------------------

inline std::string decrypt_arg_not_string(const char *function, const char *name) {
    return std::string("werun.") + function + ": " + name + " must be a string";
}

constexpr const char *kDecryptOpenDataSignature = "decryptOpenData(sessionKey, encryptedData, iv, appid?)";
constexpr const char *kDecryptWeRunDataSignature = "decryptWeRunData(sessionKey, encryptedData, iv, appid)";
constexpr const char *kDecryptArgNames[] = {"sessionKey", "encryptedData", "iv", "appid"};

// The four string arguments of a decrypt helper; appid may be absent.
struct DecryptArgs {
    std::string session_key;
    std::string encrypted_data;
    std::string iv;
    std::optional<std::string> appid;

    const char *appid_or_null() const { return appid ? appid->c_str() : nullptr; }
};

// The arguments of decryptOpenData and decryptWeRunData, read with a binding's
// reader (see answer_value): four strings without NUL, of which only the
// appid may be missing, and only when `appid_optional`. Otherwise nullopt,
// with the TypeError's message in `*type_error`.
template <class Js>
std::optional<DecryptArgs> read_decrypt_args(const Js &js, const typename Js::Value *args, size_t count,
                                             const char *function, bool appid_optional, std::string *type_error) {
    std::optional<std::string> texts[4];
    for (size_t i = 0; i < 4; ++i) {
        if (i >= count || js.is_nullish(args[i])) {
            if (i == 3 && appid_optional) continue;
        } else if (auto text = js.string_of(args[i]); text && text->find('\0') == std::string::npos) {
            texts[i] = std::move(text);
            continue;
        }
        *type_error = decrypt_arg_not_string(function, kDecryptArgNames[i]);
        return std::nullopt;
    }
    return DecryptArgs{std::move(*texts[0]), std::move(*texts[1]), std::move(*texts[2]), std::move(texts[3])};
}

// werun_open_data_decrypt's plaintext, or the refusal to throw.
inline std::pair<std::string, std::optional<Refusal>> decrypt_open_data(const DecryptArgs &args) {
    char *json = nullptr;
    werun_status status = werun_open_data_decrypt(args.session_key.c_str(), args.encrypted_data.c_str(),
                                                  args.iv.c_str(), args.appid_or_null(), &json);
    if (status != WERUN_OK) {
        return {std::string(), Refusal::last(status)};
    }
    std::string text(json);
    werun_string_free(json);
    return {std::move(text), std::nullopt};
}

// werun_we_run_data_decrypt_json's text, or the refusal to throw: the days
// and watermark as WeChat's compact JSON (the plaintext itself when it is in
// that form), checked by the core, for the engine's JSON parser. One JSON
// parse is far cheaper than building 31 objects one property at a time
// through the engine's C API.
inline std::pair<std::string, std::optional<Refusal>> decrypt_we_run_data_json(const DecryptArgs &args) {
    char *json = nullptr;
    werun_status status = werun_we_run_data_decrypt_json(args.session_key.c_str(), args.encrypted_data.c_str(),
                                                         args.iv.c_str(), args.appid_or_null(), &json);
    if (status != WERUN_OK) {
        return {std::string(), Refusal::last(status)};
    }
    std::string text(json);
    werun_string_free(json);
    return {std::move(text), std::nullopt};
}

}  // namespace werun::js
