// The Node-API plumbing under werun_napi.cpp: status checks, reading and
// making values, throwing, the differences between OpenHarmony's Node-API
// and Node's, the lifetime of a record owned by both werun and a threadsafe
// function, and the adapter through which js_api.h's rules read values.
// Nothing here knows werun's API; werun_napi.cpp is its only user.
#pragma once

#if defined(__OHOS__)
#include <hilog/log.h>
#include <napi/native_api.h>
#else
#include <node_api.h>
#endif

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>

#include "js_api.h"
#include "werun.h"

namespace werun::napi {

// ---- OpenHarmony and Node ------------------------------------------------------------

// Logs what cannot be reported to JS: to hilog on OHOS, to stderr on Node.
inline void log_error(const std::string &message) {
#if defined(__OHOS__)
    OH_LOG_Print(LOG_APP, LOG_ERROR, 0x057E, "werun", "%{public}s", message.c_str());
#else
    std::fprintf(stderr, "werun: %s\n", message.c_str());
#endif
}

// Node: napi_fatal_exception raises 'uncaughtException' and returns when a
// listener handles it. OHOS: napi_fatal_exception kills the app, so the
// exception is rethrown from the threadsafe-function callback instead, whose
// TryCatch hands it to the runtime's uncaught-exception handler: that ends
// the callback, so OHOS reports last and at most one.
#if defined(__OHOS__)
constexpr bool kReportsUncaughtAtOnce = false;
#else
constexpr bool kReportsUncaughtAtOnce = true;
#endif

inline void report_uncaught(napi_env env, napi_value exception) {
    if (exception == nullptr) {
        return;
    }
#if defined(__OHOS__)
    napi_throw(env, exception);
#else
    napi_fatal_exception(env, exception);
#endif
}

// ---- Status checks ---------------------------------------------------------------------

// The message of the last failed Node-API call, copied before the next call
// overwrites it.
inline std::string last_napi_error(napi_env env) {
    const napi_extended_error_info *info = nullptr;
    if (napi_get_last_error_info(env, &info) == napi_ok && info != nullptr && info->error_message != nullptr) {
        return info->error_message;
    }
    return "unknown Node-API error";
}

// Makes sure a JS exception is pending after a failed Node-API call.
inline void throw_napi_error(napi_env env, napi_status status) {
    std::string message = last_napi_error(env);
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending && status != napi_pending_exception) {
        napi_throw_error(env, "WERUN_NAPI", message.c_str());
    }
}

// Returns `failed` from the enclosing function, with a JS exception
// pending, when the Node-API call `call` fails.
#define NAPI_OK_OR(env, call, failed)                                \
    do {                                                             \
        napi_status napi_ok_status_ = (call);                        \
        if (napi_ok_status_ != napi_ok) {                            \
            ::werun::napi::throw_napi_error((env), napi_ok_status_); \
            return failed;                                           \
        }                                                            \
    } while (0)

// For functions that return napi_value, and those that return bool.
#define NAPI_OK(env, call) NAPI_OK_OR(env, call, nullptr)
#define NAPI_OK_BOOL(env, call) NAPI_OK_OR(env, call, false)

// Clears the pending exception, if any; returns it (or nullptr).
inline napi_value take_exception(napi_env env) {
    napi_value exception = nullptr;
    napi_get_and_clear_last_exception(env, &exception);
    return exception;
}

// ---- Values ----------------------------------------------------------------------------

inline napi_valuetype type_of(napi_env env, napi_value value) {
    napi_valuetype type = napi_undefined;
    napi_typeof(env, value, &type);
    return type;
}

inline bool is_nullish(napi_env env, napi_value value) {
    napi_valuetype type = type_of(env, value);
    return type == napi_undefined || type == napi_null;
}

inline napi_value undefined_value(napi_env env) {
    napi_value undefined = nullptr;
    napi_get_undefined(env, &undefined);
    return undefined;
}

// Strings up to this many bytes are read in one call (a 31-day payload's
// encryptedData is about 1.7 KB); longer ones ask for their length first.
constexpr size_t kOneReadBytes = 4096;

inline bool read_string(napi_env env, napi_value value, std::string *out) {
    size_t length = 0;
    char buffer[kOneReadBytes + 1];
    if (napi_get_value_string_utf8(env, value, buffer, sizeof buffer, &length) != napi_ok) {
        return false;
    }
    // Node-API copies whole characters, at most sizeof buffer - 1 bytes: a
    // string it cut short fills all but at most 3 of them.
    if (length + 3 < kOneReadBytes) {
        out->assign(buffer, length);
        return true;
    }
    if (napi_get_value_string_utf8(env, value, nullptr, 0, &length) != napi_ok) {
        return false;
    }
    out->assign(length, '\0');
    return napi_get_value_string_utf8(env, value, &(*out)[0], length + 1, &length) == napi_ok;
}

// ASCII text (base64 payloads, most errMsgs) is the same in Latin-1, which
// the engine copies without decoding UTF-8.
inline bool is_ascii(const std::string &text) {
    unsigned char any = 0;
    for (char c : text) any |= static_cast<unsigned char>(c);
    return any < 0x80;
}

inline napi_value make_string(napi_env env, const std::string &text) {
    napi_value value = nullptr;
    if (is_ascii(text)) {
        napi_create_string_latin1(env, text.c_str(), text.size(), &value);
    } else {
        napi_create_string_utf8(env, text.c_str(), text.size(), &value);
    }
    return value;
}

// object[name], or nullptr with the getter's exception pending.
inline napi_value property(napi_env env, napi_value object, const char *name) {
    napi_value value = nullptr;
    if (napi_get_named_property(env, object, name, &value) != napi_ok) {
        return nullptr;
    }
    return value;
}

// A JS number that is an integer in [min, max], exactly representable.
inline bool read_integer(napi_env env, napi_value value, double min, double max, int64_t *out) {
    double number = 0;
    return type_of(env, value) == napi_number && napi_get_value_double(env, value, &number) == napi_ok &&
           js::integer_in_range(number, min, max, out);
}

inline napi_value cached(napi_env env, napi_ref ref) {
    napi_value value = nullptr;
    if (napi_get_reference_value(env, ref, &value) != napi_ok) {
        return nullptr;
    }
    return value;
}

// Deletes each reference that is set, and unsets it.
template <size_t N>
void delete_references(napi_env env, napi_ref *const (&refs)[N]) {
    for (napi_ref *ref : refs) {
        if (*ref != nullptr) {
            napi_delete_reference(env, *ref);
            *ref = nullptr;
        }
    }
}

// ---- Throwing ----------------------------------------------------------------------------

inline void throw_type_error(napi_env env, const std::string &message) {
    napi_throw_type_error(env, nullptr, message.c_str());
}

// An Error carrying the core's sentence as `message` and the status name as
// `code`, such as WERUN_ERR_DECRYPT.
inline void throw_werun_error(napi_env env, werun_status status, const std::string &message) {
    napi_value error = nullptr;
    if (napi_create_error(env, make_string(env, werun_status_name(status)), make_string(env, message), &error) ==
        napi_ok) {
        napi_throw(env, error);
    }
}

inline void throw_last_werun_error(napi_env env, werun_status status) {
    // Copied at once: the next werun call may replace it.
    throw_werun_error(env, status, werun_last_error());
}

// After reading an API's arguments with js_api.h: throws its TypeError, or,
// when it has none (a read threw), leaves that exception pending.
inline void throw_unread(napi_env env, const std::string &type_error) {
    if (!type_error.empty()) throw_type_error(env, type_error);
}

// ---- Owned by werun and a threadsafe function ------------------------------------------

// Owned jointly by werun (until it releases it, on any thread) and a
// threadsafe function (until it is finalized, on the JS thread); the last of
// the two to let go deletes it.
template <typename Derived>
struct SharedWithTsfn {
    napi_threadsafe_function tsfn = nullptr;
    // Recursive: some runtimes may finalize a threadsafe function from inside
    // a call on the JS thread.
    std::recursive_mutex mutex;
    bool tsfn_alive = true;
    int owners = 2;

    void release_owner() {
        bool last = false;
        {
            std::lock_guard<std::recursive_mutex> lock(mutex);
            last = --owners == 0;
        }
        if (last) {
            delete static_cast<Derived *>(this);
        }
    }
};

// ---- js_api.h's adapter ------------------------------------------------------------------

// How js_api.h's rules read Node-API values (see its list). With
// OnThrow::Refuse, a read that throws leaves no exception pending: the value
// is refused instead, and the next read works. With OnThrow::Propagate, the
// exception stays pending for the caller.
struct NapiValues {
    using Value = napi_value;
    napi_env env;
    js::OnThrow on_throw = js::OnThrow::Refuse;

    void threw() const {
        if (on_throw == js::OnThrow::Refuse) take_exception(env);
    }
    bool is_object(napi_value value) const { return type_of(env, value) == napi_object; }
    bool is_function(napi_value value) const { return type_of(env, value) == napi_function; }
    bool is_array(napi_value value) const {
        bool array = false;
        return napi_is_array(env, value, &array) == napi_ok && array;
    }
    bool is_nullish(napi_value value) const { return napi::is_nullish(env, value); }
    std::optional<napi_value> get(napi_value object, const char *name) const {
        napi_value value = property(env, object, name);
        if (value == nullptr) {
            threw();
            return std::nullopt;
        }
        return value;
    }
    std::optional<uint32_t> length(napi_value array) const {
        uint32_t length = 0;
        if (napi_get_array_length(env, array, &length) != napi_ok) {
            threw();
            return std::nullopt;
        }
        return length;
    }
    std::optional<napi_value> element(napi_value array, uint32_t index) const {
        napi_value value = nullptr;
        if (napi_get_element(env, array, index, &value) != napi_ok) {
            threw();
            return std::nullopt;
        }
        return value;
    }
    std::optional<std::string> string_of(napi_value value) const {
        std::string text;
        if (type_of(env, value) != napi_string || !read_string(env, value, &text)) return std::nullopt;
        return text;
    }
    // nullptr (no value at all, such as a throw without an exception) has none.
    std::optional<std::string> to_string(napi_value value) const {
        napi_value coerced = nullptr;
        if (value == nullptr || napi_coerce_to_string(env, value, &coerced) != napi_ok) {
            threw();
            return std::nullopt;
        }
        std::string text;
        read_string(env, coerced, &text);
        return text;
    }
    std::optional<int64_t> integer_of(napi_value value, double min, double max) const {
        int64_t number = 0;
        if (!read_integer(env, value, min, max, &number)) return std::nullopt;
        return number;
    }
    std::optional<bool> bool_of(napi_value value) const {
        bool flag = false;
        if (type_of(env, value) != napi_boolean || napi_get_value_bool(env, value, &flag) != napi_ok) {
            return std::nullopt;
        }
        return flag;
    }
};

}  // namespace werun::napi
