/*
 * Checks include/werun.h against the C ABI sketch in the spec (issue 2).
 *
 * Almost everything here is a compile-time assertion, so a mismatch in a
 * name, a signature, a field's type or a field's position fails the build.
 * Compile it as C and as C++: in C an enum is compatible with its underlying
 * integer type, so only the C++ build tells `werun_status` from `uint32_t`.
 * Linking the binary proves that every function is exported with C linkage.
 */
#include "werun.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __cplusplus
#include <type_traits>
#define STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#define ALIGN_OF(type) alignof(type)
/* decltype of an unparenthesised member access is the member's declared type. */
#define HAS_TYPE(expr, ...) (std::is_same<decltype(expr), __VA_ARGS__>::value)
#else
#define STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#define ALIGN_OF(type) _Alignof(type)
#define HAS_TYPE(expr, ...) _Generic((expr), __VA_ARGS__: 1, default: 0)
#endif

#define SAME_TYPE(a, b) HAS_TYPE((a *)0, b *)

/* ---- Enumerators and constants ------------------------------------------ */

#define EXPECT_ENUMERATOR(name, value) STATIC_ASSERT(name == value, #name " == " #value)

EXPECT_ENUMERATOR(WERUN_OK, 0);
EXPECT_ENUMERATOR(WERUN_ERR_NULL_ARGUMENT, 1);
EXPECT_ENUMERATOR(WERUN_ERR_INVALID_ARGUMENT, 2);
EXPECT_ENUMERATOR(WERUN_ERR_UNSUPPORTED, 3);
EXPECT_ENUMERATOR(WERUN_ERR_NOT_LOGGED_IN, 4);
EXPECT_ENUMERATOR(WERUN_ERR_AUTH_DENIED, 5);
EXPECT_ENUMERATOR(WERUN_ERR_TIMEOUT, 6);
EXPECT_ENUMERATOR(WERUN_ERR_CANCELLED, 7);
EXPECT_ENUMERATOR(WERUN_ERR_HOST, 8);
EXPECT_ENUMERATOR(WERUN_ERR_INVALID_DATA, 9);
EXPECT_ENUMERATOR(WERUN_ERR_DECRYPT, 10);
EXPECT_ENUMERATOR(WERUN_ERR_WATERMARK, 11);
EXPECT_ENUMERATOR(WERUN_ERR_STALE_REQUEST, 12);
EXPECT_ENUMERATOR(WERUN_ERR_BUSY, 13);
EXPECT_ENUMERATOR(WERUN_ERR_PANIC, 14);
EXPECT_ENUMERATOR(WERUN_ERR_REENTRANT, 15);

/* The sketch makes these macros, so they must work in #if as well. */
#if !defined(WERUN_AUTH_NOT_DETERMINED) || !defined(WERUN_AUTH_GRANTED) || !defined(WERUN_AUTH_DENIED)
#error "the WERUN_AUTH_* macros are missing"
#endif
#if WERUN_AUTH_NOT_DETERMINED != 0 || WERUN_AUTH_GRANTED != 1 || WERUN_AUTH_DENIED != 2
#error "the WERUN_AUTH_* macros have the wrong values"
#endif

/* Flags of werun_settings.fields: distinct bits, usable in #if. */
#if !defined(WERUN_SETTING_TIMEOUT_MS) || !defined(WERUN_SETTING_UTC_OFFSET_MINUTES) \
    || !defined(WERUN_SETTING_MAX_IN_FLIGHT)
#error "the WERUN_SETTING_* macros are missing"
#endif
#if WERUN_SETTING_TIMEOUT_MS != 1 || WERUN_SETTING_UTC_OFFSET_MINUTES != 2 || WERUN_SETTING_MAX_IN_FLIGHT != 4
#error "the WERUN_SETTING_* macros have the wrong values"
#endif

/* ---- Tagged and typedef'd names are the same types ------------------------ */

STATIC_ASSERT(SAME_TYPE(enum werun_status, werun_status), "enum werun_status is werun_status");
STATIC_ASSERT(SAME_TYPE(struct werun_context, werun_context), "struct werun_context is werun_context");
STATIC_ASSERT(SAME_TYPE(struct werun_result, werun_result), "struct werun_result is werun_result");
STATIC_ASSERT(SAME_TYPE(struct werun_callbacks, werun_callbacks), "struct werun_callbacks is werun_callbacks");
STATIC_ASSERT(SAME_TYPE(struct werun_host, werun_host), "struct werun_host is werun_host");
STATIC_ASSERT(SAME_TYPE(struct werun_step, werun_step), "struct werun_step is werun_step");
STATIC_ASSERT(SAME_TYPE(struct werun_settings, werun_settings), "struct werun_settings is werun_settings");

STATIC_ASSERT(HAS_TYPE((werun_result_fn)0, void (*)(void *user_data, const werun_result *result)),
              "werun_result_fn has the sketch's signature");
STATIC_ASSERT(HAS_TYPE((werun_host_fn)0, void (*)(void *host_data, uint64_t request)),
              "werun_host_fn has the sketch's signature");

/* ---- Struct layouts --------------------------------------------------------
 * A struct matches when its fields have the sketch's types, the first sits at
 * offset 0, each one follows the previous one directly (allowing only
 * alignment padding), and the last one ends the struct.
 */

#define FIELD_TYPE_IS(type, field, ...) HAS_TYPE(((type *)0)->field, __VA_ARGS__)
#define FIELD_END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
#define ALIGN_UP(n, align) (((n) + (align) - 1) / (align) * (align))

#define EXPECT_FIRST_FIELD(type, field, ...)                                                  \
    STATIC_ASSERT(offsetof(type, field) == 0 && FIELD_TYPE_IS(type, field, __VA_ARGS__),      \
                  #type " starts with " #__VA_ARGS__ " " #field)

#define EXPECT_NEXT_FIELD(type, prev, field, ...)                                             \
    STATIC_ASSERT(offsetof(type, field) == ALIGN_UP(FIELD_END(type, prev), ALIGN_OF(__VA_ARGS__)) \
                      && FIELD_TYPE_IS(type, field, __VA_ARGS__),                             \
                  #type "." #prev " is followed by " #__VA_ARGS__ " " #field)

#define EXPECT_LAST_FIELD(type, field) \
    STATIC_ASSERT(sizeof(type) == FIELD_END(type, field), #type " ends with " #field)

EXPECT_FIRST_FIELD(werun_result, status, uint32_t);
EXPECT_NEXT_FIELD(werun_result, status, err_msg, const char *);
EXPECT_NEXT_FIELD(werun_result, err_msg, encrypted_data, const char *);
EXPECT_NEXT_FIELD(werun_result, encrypted_data, iv, const char *);
EXPECT_NEXT_FIELD(werun_result, iv, cloud_id, const char *);
EXPECT_NEXT_FIELD(werun_result, cloud_id, code, const char *);
EXPECT_LAST_FIELD(werun_result, code);

EXPECT_FIRST_FIELD(werun_callbacks, user_data, void *);
EXPECT_NEXT_FIELD(werun_callbacks, user_data, success, werun_result_fn);
EXPECT_NEXT_FIELD(werun_callbacks, success, fail, werun_result_fn);
EXPECT_NEXT_FIELD(werun_callbacks, fail, complete, werun_result_fn);
EXPECT_LAST_FIELD(werun_callbacks, complete);

EXPECT_FIRST_FIELD(werun_host, host_data, void *);
EXPECT_NEXT_FIELD(werun_host, host_data, login, werun_host_fn);
EXPECT_NEXT_FIELD(werun_host, login, authorize, werun_host_fn);
EXPECT_NEXT_FIELD(werun_host, authorize, get_steps, werun_host_fn);
EXPECT_NEXT_FIELD(werun_host, get_steps, authorization_changed, void (*)(void *host_data, uint32_t state));
EXPECT_NEXT_FIELD(werun_host, authorization_changed, release, void (*)(void *host_data));
EXPECT_LAST_FIELD(werun_host, release);

EXPECT_FIRST_FIELD(werun_step, timestamp, int64_t);
EXPECT_NEXT_FIELD(werun_step, timestamp, step, int64_t);
EXPECT_LAST_FIELD(werun_step, step);

/* Fields are only ever appended (werun_settings' doc): these keep their places. */
EXPECT_FIRST_FIELD(werun_settings, fields, uint32_t);
EXPECT_NEXT_FIELD(werun_settings, fields, timeout_ms, uint32_t);
EXPECT_NEXT_FIELD(werun_settings, timeout_ms, utc_offset_minutes, int32_t);
EXPECT_NEXT_FIELD(werun_settings, utc_offset_minutes, max_in_flight, uint32_t);
EXPECT_LAST_FIELD(werun_settings, max_in_flight);

/* ---- Function signatures ----------------------------------------------------
 * Every function of the sketch with the sketch's exact type. The list is
 * expanded twice: into compile-time type assertions, and into a table of
 * addresses whose relocations make the linker look up every symbol.
 */

#define WERUN_FUNCTIONS(X)                                                                     \
    X(werun_abi_version, uint32_t (*)(void))                                                   \
    X(werun_version, const char *(*)(void))                                                    \
    X(werun_status_name, const char *(*)(uint32_t status))                                     \
    X(werun_last_error, const char *(*)(void))                                                 \
    X(werun_context_new, werun_status (*)(const char *appid, werun_context **out))             \
    X(werun_context_configure, werun_status (*)(werun_context *ctx, const werun_settings *settings)) \
    X(werun_context_set_timeout_ms, werun_status (*)(werun_context *ctx, uint32_t timeout_ms)) \
    X(werun_context_set_utc_offset_minutes, werun_status (*)(werun_context *ctx, int32_t minutes)) \
    X(werun_context_set_max_in_flight, werun_status (*)(werun_context *ctx, uint32_t max))     \
    X(werun_context_set_authorization, werun_status (*)(werun_context *ctx, uint32_t state))   \
    X(werun_context_get_authorization,                                                         \
      werun_status (*)(const werun_context *ctx, uint32_t *state_out))                         \
    X(werun_context_logout, werun_status (*)(werun_context *ctx))                              \
    X(werun_context_free, werun_status (*)(werun_context *ctx))                                \
    X(werun_get_we_run_data,                                                                   \
      werun_status (*)(werun_context *ctx, const werun_callbacks *callbacks, uint64_t *call_out)) \
    X(werun_login,                                                                             \
      werun_status (*)(werun_context *ctx, const werun_callbacks *callbacks, uint64_t *call_out)) \
    X(werun_check_session,                                                                     \
      werun_status (*)(werun_context *ctx, const werun_callbacks *callbacks, uint64_t *call_out)) \
    X(werun_cancel, werun_status (*)(uint64_t call))                                           \
    X(werun_context_set_host, werun_status (*)(werun_context *ctx, const werun_host *host))    \
    X(werun_request_answer_login,                                                              \
      werun_status (*)(uint64_t request, const char *code, const char *session_key,            \
                       uint32_t expires_in_s))                                                 \
    X(werun_request_answer_authorize, werun_status (*)(uint64_t request, uint32_t granted))    \
    X(werun_request_answer_steps,                                                              \
      werun_status (*)(uint64_t request, const werun_step *steps, size_t len))                 \
    X(werun_request_answer_sealed,                                                             \
      werun_status (*)(uint64_t request, const char *encrypted_data, const char *iv,           \
                       const char *cloud_id))                                                  \
    X(werun_request_fail, werun_status (*)(uint64_t request, uint32_t status, const char *message)) \
    X(werun_open_data_decrypt,                                                                 \
      werun_status (*)(const char *session_key, const char *encrypted_data, const char *iv,    \
                       const char *appid, char **json_out))                                    \
    X(werun_open_data_encrypt,                                                                 \
      werun_status (*)(const char *session_key, const char *json, char **encrypted_data_out,   \
                       char **iv_out))                                                         \
    X(werun_we_run_data_decrypt,                                                               \
      werun_status (*)(const char *session_key, const char *encrypted_data, const char *iv,    \
                       const char *appid, werun_step **steps_out, size_t *len_out,             \
                       int64_t *watermark_timestamp_out))                                      \
    X(werun_we_run_data_decrypt_json,                                                          \
      werun_status (*)(const char *session_key, const char *encrypted_data, const char *iv,    \
                       const char *appid, char **json_out))                                    \
    X(werun_string_free, void (*)(char *s))                                                    \
    X(werun_steps_free, void (*)(werun_step *steps, size_t len))

#define EXPECT_SIGNATURE(fn, ...) STATIC_ASSERT(HAS_TYPE(&fn, __VA_ARGS__), #fn " has the sketch's signature");
WERUN_FUNCTIONS(EXPECT_SIGNATURE)

/* void (*)(void) is the generic function pointer type: casting to it and back is well defined. */
typedef void (*any_fn)(void);

struct exported_fn {
    const char *name;
    any_fn address;
};

#define EXPORTED_FN(fn, ...) {#fn, (any_fn)&fn},
static const struct exported_fn exported_fns[] = {WERUN_FUNCTIONS(EXPORTED_FN)};

/* ---- Run-time checks of the static metadata -------------------------------- */

static int passed;
static int failed;

#define CHECK(expr) check((expr) != 0, #expr, __FILE__, __LINE__)

static void check(int ok, const char *expr, const char *file, int line) {
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, expr);
    }
}

static int is_nonempty(const char *s) {
    return s != NULL && s[0] != '\0';
}

static int str_eq(const char *actual, const char *expected) {
    if (actual != NULL && strcmp(actual, expected) == 0) {
        return 1;
    }
    fprintf(stderr, "  got \"%s\", expected \"%s\"\n", actual ? actual : "(null)", expected);
    return 0;
}

#define STATUS_NAME(name) {name, #name}

static const struct {
    werun_status status;
    const char *name;
} status_names[] = {
    STATUS_NAME(WERUN_OK),
    STATUS_NAME(WERUN_ERR_NULL_ARGUMENT),
    STATUS_NAME(WERUN_ERR_INVALID_ARGUMENT),
    STATUS_NAME(WERUN_ERR_UNSUPPORTED),
    STATUS_NAME(WERUN_ERR_NOT_LOGGED_IN),
    STATUS_NAME(WERUN_ERR_AUTH_DENIED),
    STATUS_NAME(WERUN_ERR_TIMEOUT),
    STATUS_NAME(WERUN_ERR_CANCELLED),
    STATUS_NAME(WERUN_ERR_HOST),
    STATUS_NAME(WERUN_ERR_INVALID_DATA),
    STATUS_NAME(WERUN_ERR_DECRYPT),
    STATUS_NAME(WERUN_ERR_WATERMARK),
    STATUS_NAME(WERUN_ERR_STALE_REQUEST),
    STATUS_NAME(WERUN_ERR_BUSY),
    STATUS_NAME(WERUN_ERR_PANIC),
    STATUS_NAME(WERUN_ERR_REENTRANT),
};

#define LENGTH(array) (sizeof(array) / sizeof((array)[0]))

STATIC_ASSERT(LENGTH(status_names) == WERUN_ERR_REENTRANT + 1, "status_names lists every status");

static void check_status_names(void) {
    for (size_t i = 0; i < LENGTH(status_names); i++) {
        CHECK(str_eq(werun_status_name((uint32_t)status_names[i].status), status_names[i].name));
    }
    CHECK(str_eq(werun_status_name((uint32_t)LENGTH(status_names)), "WERUN_UNKNOWN"));
    CHECK(str_eq(werun_status_name(UINT32_MAX), "WERUN_UNKNOWN"));
}

int main(void) {
    /* Nothing has failed on this thread yet. */
    CHECK(str_eq(werun_last_error(), ""));

    CHECK(werun_abi_version() == 1);
    CHECK(is_nonempty(werun_version()));
    check_status_names();

    for (size_t i = 0; i < LENGTH(exported_fns); i++) {
        check(exported_fns[i].address != NULL, exported_fns[i].name, __FILE__, __LINE__);
    }

    printf("abi_conformance: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
