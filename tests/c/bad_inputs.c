/*
 * The bad-input matrix: every extern fn of werun.h given each kind of bad
 * input it can get (NULL in each pointer, invalid UTF-8, an empty string, an
 * oversize input, an out-of-range integer or status) must return a specific
 * status and set werun_last_error() to a sentence saying why, with no crash
 * and no leak (tests/c/run.sh also runs this under valgrind and ASan).
 *
 * With --table, it prints the matrix as Markdown table rows, which run.sh
 * compares with docs/BAD_INPUTS.md (WERUN_BLESS=1 tests/c/run.sh rewrites the table), so
 * the published table is exactly what was checked. It exits non-zero if any
 * row returned another status or a sentence without its expected words.
 */
#include "werun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define APPID "wx4f4bc4dec97d474b"
#define SESSION_KEY "tiihtNczf5v6AKRyjwEUhQ=="
#define IV "AAAAAAAAAAAAAAAAAAAAAA=="
/* A 16-byte ciphertext: the right shape, whatever it decrypts to. */
#define BLOCK "AAAAAAAAAAAAAAAAAAAAAA=="
#define NOT_UTF8 "\xff\xfe"
/* 48 bytes of '0' (0x30) sealed under SESSION_KEY and IV with no padding
   added: well-formed PKCS#7 padding of 48 bytes, over one block. */
#define PADDED_TO_48 "QiLL3POiR3ldp5A3kYb3FPdIT5Mws6ObJhRbyVMS41yvsb5fa0zoZFhhYkCFQ/YO"

static int failed;
static int rows;

/* ---- Rows ------------------------------------------------------------------- */

static void print_cell(const char *text) {
    for (; *text != '\0'; ++text) {
        if (*text == '|') {
            fputs("\\|", stdout);
        } else {
            putchar(*text);
        }
    }
}

/*
 * Checks one bad input and prints its row. `status` is what the function
 * returned; the last error is read at once, before any other werun call.
 * `words` must appear in the sentence (NULL for a function with no status).
 */
static void row(const char *function, const char *argument, const char *input, werun_status status,
                werun_status expected, const char *words) {
    char sentence[1024];
    snprintf(sentence, sizeof sentence, "%s", werun_last_error());
    rows++;
    if (status != expected) {
        failed++;
        fprintf(stderr, "%s(%s = %s): got %s, expected %s (\"%s\")\n", function, argument, input,
                werun_status_name(status), werun_status_name(expected), sentence);
    } else if (words != NULL && strstr(sentence, words) == NULL) {
        failed++;
        fprintf(stderr, "%s(%s = %s): the last error \"%s\" does not say \"%s\"\n", function, argument, input,
                sentence, words);
    }
    printf("| `%s` | `%s` | %s | `%s` | ", function, argument, input, werun_status_name(status));
    print_cell(sentence);
    printf(" |\n");
}

/* For a function without a status: it must return, and change nothing. */
static void no_op_row(const char *function, const char *argument, const char *input) {
    rows++;
    printf("| `%s` | `%s` | %s | (none: does nothing) | |\n", function, argument, input);
}

static char *repeated(char c, size_t length) {
    char *text = (char *)malloc(length + 1);
    if (text == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    memset(text, c, length);
    text[length] = '\0';
    return text;
}

/* ---- A host whose hooks keep the request ids -------------------------------------- */

static uint64_t last_request;

static void keep_request(void *host_data, uint64_t request) {
    (void)host_data;
    last_request = request;
}

static void ignore_result(void *user_data, const werun_result *result) {
    (void)user_data;
    (void)result;
}

static werun_callbacks callbacks = {NULL, NULL, NULL, ignore_result};

/* A new pending request of the hook `start` reaches. */
static uint64_t new_request(werun_context *ctx, werun_status (*start)(werun_context *, const werun_callbacks *,
                                                                       uint64_t *)) {
    last_request = 0;
    if (start(ctx, &callbacks, NULL) != WERUN_OK || last_request == 0) {
        fprintf(stderr, "setting up a request failed: %s\n", werun_last_error());
        exit(2);
    }
    return last_request;
}

/* Ends a request the bad answer left pending, so its call completes. */
static void end_request(uint64_t request) { werun_request_fail(request, WERUN_ERR_HOST, NULL); }

/* ---- The matrix ------------------------------------------------------------------ */

static void context_functions(void) {
    werun_context *ctx = NULL;
    char *long_appid = repeated('w', 257);

    row("werun_context_new", "appid", "NULL", werun_context_new(NULL, &ctx), WERUN_ERR_NULL_ARGUMENT, "appid");
    row("werun_context_new", "appid", "not UTF-8", werun_context_new(NOT_UTF8, &ctx), WERUN_ERR_INVALID_ARGUMENT,
        "UTF-8");
    row("werun_context_new", "appid", "\"\"", werun_context_new("", &ctx), WERUN_ERR_INVALID_ARGUMENT, "empty");
    row("werun_context_new", "appid", "257 bytes", werun_context_new(long_appid, &ctx), WERUN_ERR_INVALID_ARGUMENT,
        "256");
    row("werun_context_new", "out", "NULL", werun_context_new(APPID, NULL), WERUN_ERR_NULL_ARGUMENT, "out");
    free(long_appid);

    werun_settings settings = {0, 0, 0, 0};
    row("werun_context_configure", "ctx", "NULL", werun_context_configure(NULL, &settings), WERUN_ERR_NULL_ARGUMENT,
        "ctx");
    row("werun_context_set_timeout_ms", "ctx", "NULL", werun_context_set_timeout_ms(NULL, 1000),
        WERUN_ERR_NULL_ARGUMENT, "ctx");
    row("werun_context_set_utc_offset_minutes", "ctx", "NULL", werun_context_set_utc_offset_minutes(NULL, 480),
        WERUN_ERR_NULL_ARGUMENT, "ctx");
    row("werun_context_set_max_in_flight", "ctx", "NULL", werun_context_set_max_in_flight(NULL, 1),
        WERUN_ERR_NULL_ARGUMENT, "ctx");
    row("werun_context_set_authorization", "ctx", "NULL",
        werun_context_set_authorization(NULL, WERUN_AUTH_GRANTED), WERUN_ERR_NULL_ARGUMENT, "ctx");
    uint32_t state = 0;
    row("werun_context_get_authorization", "ctx", "NULL", werun_context_get_authorization(NULL, &state),
        WERUN_ERR_NULL_ARGUMENT, "ctx");
    row("werun_context_logout", "ctx", "NULL", werun_context_logout(NULL), WERUN_ERR_NULL_ARGUMENT, "ctx");
    row("werun_context_set_host", "ctx", "NULL", werun_context_set_host(NULL, NULL), WERUN_ERR_NULL_ARGUMENT,
        "ctx");
    werun_context_free(NULL);
    no_op_row("werun_context_free", "ctx", "NULL");

    if (werun_context_new(APPID, &ctx) != WERUN_OK) exit(2);
    row("werun_context_configure", "settings", "NULL", werun_context_configure(ctx, NULL), WERUN_ERR_NULL_ARGUMENT,
        "settings");
    settings.fields = 1u << 3;
    row("werun_context_configure", "settings", "fields 0x8 (no WERUN_SETTING_*)",
        werun_context_configure(ctx, &settings), WERUN_ERR_INVALID_ARGUMENT, "unknown bits 0x8");
    settings.fields = WERUN_SETTING_TIMEOUT_MS;
    settings.timeout_ms = 0;
    row("werun_context_configure", "settings", "timeout_ms 0", werun_context_configure(ctx, &settings),
        WERUN_ERR_INVALID_ARGUMENT, "timeout");
    settings.fields = WERUN_SETTING_UTC_OFFSET_MINUTES;
    settings.utc_offset_minutes = 841;
    row("werun_context_configure", "settings", "utc_offset_minutes 841", werun_context_configure(ctx, &settings),
        WERUN_ERR_INVALID_ARGUMENT, "841");
    settings.fields = WERUN_SETTING_MAX_IN_FLIGHT;
    settings.max_in_flight = 0;
    row("werun_context_configure", "settings", "max_in_flight 0", werun_context_configure(ctx, &settings),
        WERUN_ERR_INVALID_ARGUMENT, "max in flight");
    settings.fields = WERUN_SETTING_TIMEOUT_MS | WERUN_SETTING_UTC_OFFSET_MINUTES | WERUN_SETTING_MAX_IN_FLIGHT;
    settings.timeout_ms = 5000;
    row("werun_context_configure", "settings", "timeout_ms 5000, utc_offset_minutes 841, max_in_flight 0",
        werun_context_configure(ctx, &settings), WERUN_ERR_INVALID_ARGUMENT, "no setting was changed");
    row("werun_context_set_timeout_ms", "timeout_ms", "0", werun_context_set_timeout_ms(ctx, 0),
        WERUN_ERR_INVALID_ARGUMENT, "timeout");
    row("werun_context_set_utc_offset_minutes", "minutes", "-721",
        werun_context_set_utc_offset_minutes(ctx, -721), WERUN_ERR_INVALID_ARGUMENT, "-721");
    row("werun_context_set_utc_offset_minutes", "minutes", "841", werun_context_set_utc_offset_minutes(ctx, 841),
        WERUN_ERR_INVALID_ARGUMENT, "841");
    row("werun_context_set_utc_offset_minutes", "minutes", "INT32_MIN",
        werun_context_set_utc_offset_minutes(ctx, INT32_MIN), WERUN_ERR_INVALID_ARGUMENT, "-2147483648");
    row("werun_context_set_max_in_flight", "max", "0", werun_context_set_max_in_flight(ctx, 0),
        WERUN_ERR_INVALID_ARGUMENT, "at least 1");
    row("werun_context_set_authorization", "state", "3", werun_context_set_authorization(ctx, 3),
        WERUN_ERR_INVALID_ARGUMENT, "3");
    row("werun_context_set_authorization", "state", "UINT32_MAX", werun_context_set_authorization(ctx, UINT32_MAX),
        WERUN_ERR_INVALID_ARGUMENT, "4294967295");
    row("werun_context_get_authorization", "state_out", "NULL", werun_context_get_authorization(ctx, NULL),
        WERUN_ERR_NULL_ARGUMENT, "state_out");

    row("werun_get_we_run_data", "ctx", "NULL", werun_get_we_run_data(NULL, &callbacks, NULL),
        WERUN_ERR_NULL_ARGUMENT, "ctx");
    row("werun_get_we_run_data", "callbacks", "NULL", werun_get_we_run_data(ctx, NULL, NULL),
        WERUN_ERR_NULL_ARGUMENT, "callbacks");
    row("werun_login", "ctx", "NULL", werun_login(NULL, &callbacks, NULL), WERUN_ERR_NULL_ARGUMENT, "ctx");
    row("werun_login", "callbacks", "NULL", werun_login(ctx, NULL, NULL), WERUN_ERR_NULL_ARGUMENT, "callbacks");
    row("werun_check_session", "ctx", "NULL", werun_check_session(NULL, &callbacks, NULL),
        WERUN_ERR_NULL_ARGUMENT, "ctx");
    row("werun_check_session", "callbacks", "NULL", werun_check_session(ctx, NULL, NULL),
        WERUN_ERR_NULL_ARGUMENT, "callbacks");
    row("werun_cancel", "call", "0", werun_cancel(0), WERUN_ERR_STALE_REQUEST, "call is unknown");
    row("werun_cancel", "call", "UINT64_MAX", werun_cancel(UINT64_MAX), WERUN_ERR_STALE_REQUEST, "call is unknown");
    werun_context_free(ctx);
}

static void host_answers(void) {
    werun_context *ctx = NULL;
    if (werun_context_new(APPID, &ctx) != WERUN_OK) exit(2);
    werun_host host = {NULL, keep_request, keep_request, keep_request, NULL, NULL};
    werun_context_set_host(ctx, &host);
    char *long_text = repeated('c', 4097);

    uint64_t login = new_request(ctx, werun_login);
    row("werun_request_answer_login", "code", "NULL", werun_request_answer_login(login, NULL, SESSION_KEY, 0),
        WERUN_ERR_NULL_ARGUMENT, "code");
    row("werun_request_answer_login", "code", "not UTF-8", werun_request_answer_login(login, NOT_UTF8, NULL, 0),
        WERUN_ERR_INVALID_ARGUMENT, "UTF-8");
    row("werun_request_answer_login", "session_key", "not UTF-8",
        werun_request_answer_login(login, "code", NOT_UTF8, 0), WERUN_ERR_INVALID_ARGUMENT, "UTF-8");
    row("werun_request_answer_login", "code", "\"\"", werun_request_answer_login(login, "", SESSION_KEY, 0),
        WERUN_ERR_INVALID_DATA, "empty");
    login = new_request(ctx, werun_login);
    row("werun_request_answer_login", "code", "4097 bytes", werun_request_answer_login(login, long_text, NULL, 0),
        WERUN_ERR_INVALID_DATA, "4096");
    login = new_request(ctx, werun_login);
    row("werun_request_answer_login", "session_key", "\"\"", werun_request_answer_login(login, "code", "", 0),
        WERUN_ERR_INVALID_DATA, "empty");
    login = new_request(ctx, werun_login);
    row("werun_request_answer_login", "session_key", "12 bytes decoded",
        werun_request_answer_login(login, "code", "AAAAAAAAAAAAAAAA", 0), WERUN_ERR_INVALID_DATA, "16 bytes");
    login = new_request(ctx, werun_login);
    row("werun_request_answer_login", "session_key", "URL-decoded (' ' for '+')",
        werun_request_answer_login(login, "code", "tiih Nczf5v6AKRyjwEUhQ==", 0), WERUN_ERR_INVALID_DATA,
        "URL-decoded");
    row("werun_request_answer_login", "request", "unknown", werun_request_answer_login(UINT64_MAX, "code", NULL, 0),
        WERUN_ERR_STALE_REQUEST, "unknown");

    login = new_request(ctx, werun_login);
    werun_request_answer_login(login, "code", SESSION_KEY, 0);
    uint64_t authorize = new_request(ctx, werun_get_we_run_data);
    row("werun_request_answer_authorize", "granted", "2", werun_request_answer_authorize(authorize, 2),
        WERUN_ERR_INVALID_ARGUMENT, "granted");
    row("werun_request_answer_authorize", "request", "a login request",
        werun_request_answer_authorize(new_request(ctx, werun_login), 1), WERUN_ERR_INVALID_ARGUMENT, "login");
    end_request(last_request);
    row("werun_request_answer_authorize", "request", "unknown", werun_request_answer_authorize(UINT64_MAX, 1),
        WERUN_ERR_STALE_REQUEST, "unknown");
    end_request(authorize);

    werun_context_set_authorization(ctx, WERUN_AUTH_GRANTED);
    uint64_t steps = new_request(ctx, werun_get_we_run_data);
    row("werun_request_answer_steps", "steps", "NULL with len 1", werun_request_answer_steps(steps, NULL, 1),
        WERUN_ERR_NULL_ARGUMENT, "steps");
    werun_step negative = {(int64_t)time(NULL), -5};
    row("werun_request_answer_steps", "steps", "a negative step", werun_request_answer_steps(steps, &negative, 1),
        WERUN_ERR_INVALID_DATA, "-5");
    steps = new_request(ctx, werun_get_we_run_data);
    werun_step before_1970 = {-86400, 1};
    row("werun_request_answer_steps", "steps", "a negative timestamp",
        werun_request_answer_steps(steps, &before_1970, 1), WERUN_ERR_INVALID_DATA, "-86400");
    steps = new_request(ctx, werun_get_we_run_data);
    werun_step implausible[2] = {{(int64_t)time(NULL), 600000}, {(int64_t)time(NULL), 600000}};
    row("werun_request_answer_steps", "steps", "a day over 1 000 000", werun_request_answer_steps(steps, implausible, 2),
        WERUN_ERR_INVALID_DATA, "1000000");
    steps = new_request(ctx, werun_get_we_run_data);
    size_t too_many = 100001;
    werun_step *many = (werun_step *)calloc(too_many, sizeof *many);
    if (many == NULL) exit(2);
    row("werun_request_answer_steps", "len", "100 001", werun_request_answer_steps(steps, many, too_many),
        WERUN_ERR_INVALID_DATA, "100000");
    free(many);
    row("werun_request_answer_steps", "request", "unknown", werun_request_answer_steps(UINT64_MAX, NULL, 0),
        WERUN_ERR_STALE_REQUEST, "unknown");

    steps = new_request(ctx, werun_get_we_run_data);
    row("werun_request_answer_sealed", "encrypted_data", "NULL", werun_request_answer_sealed(steps, NULL, IV, NULL),
        WERUN_ERR_NULL_ARGUMENT, "encrypted_data");
    row("werun_request_answer_sealed", "iv", "NULL", werun_request_answer_sealed(steps, BLOCK, NULL, NULL),
        WERUN_ERR_NULL_ARGUMENT, "iv");
    row("werun_request_answer_sealed", "encrypted_data", "not UTF-8",
        werun_request_answer_sealed(steps, NOT_UTF8, IV, NULL), WERUN_ERR_INVALID_ARGUMENT, "UTF-8");
    row("werun_request_answer_sealed", "cloud_id", "not UTF-8",
        werun_request_answer_sealed(steps, BLOCK, IV, NOT_UTF8), WERUN_ERR_INVALID_ARGUMENT, "UTF-8");
    row("werun_request_answer_sealed", "encrypted_data", "\"\"", werun_request_answer_sealed(steps, "", IV, NULL),
        WERUN_ERR_INVALID_DATA, "empty");
    steps = new_request(ctx, werun_get_we_run_data);
    row("werun_request_answer_sealed", "iv", "12 bytes decoded",
        werun_request_answer_sealed(steps, BLOCK, "AAAAAAAAAAAAAAAA", NULL), WERUN_ERR_INVALID_DATA, "16 bytes");
    steps = new_request(ctx, werun_get_we_run_data);
    row("werun_request_answer_sealed", "encrypted_data", "12 bytes decoded",
        werun_request_answer_sealed(steps, "AAAAAAAAAAAAAAAA", IV, NULL), WERUN_ERR_INVALID_DATA, "multiple of 16");
    steps = new_request(ctx, werun_get_we_run_data);
    row("werun_request_answer_sealed", "encrypted_data", "followed by a newline",
        werun_request_answer_sealed(steps, BLOCK "\n", IV, NULL), WERUN_ERR_INVALID_DATA, "one line");
    steps = new_request(ctx, werun_get_we_run_data);
    char *huge = repeated('A', (1 << 20) + 4);
    row("werun_request_answer_sealed", "encrypted_data", "over 1 MiB", werun_request_answer_sealed(steps, huge, IV, NULL),
        WERUN_ERR_INVALID_DATA, "limit");
    steps = new_request(ctx, werun_get_we_run_data);
    row("werun_request_answer_sealed", "request", "a login request",
        werun_request_answer_sealed(new_request(ctx, werun_login), BLOCK, IV, NULL), WERUN_ERR_INVALID_ARGUMENT,
        "login");
    end_request(last_request);

    row("werun_request_fail", "status", "WERUN_OK", werun_request_fail(steps, WERUN_OK, NULL),
        WERUN_ERR_INVALID_ARGUMENT, "status");
    row("werun_request_fail", "status", "WERUN_ERR_TIMEOUT", werun_request_fail(steps, WERUN_ERR_TIMEOUT, NULL),
        WERUN_ERR_INVALID_ARGUMENT, "status");
    row("werun_request_fail", "status", "UINT32_MAX", werun_request_fail(steps, (werun_status)UINT32_MAX, NULL),
        WERUN_ERR_INVALID_ARGUMENT, "status");
    row("werun_request_fail", "message", "not UTF-8", werun_request_fail(steps, WERUN_ERR_HOST, NOT_UTF8),
        WERUN_ERR_INVALID_ARGUMENT, "UTF-8");
    row("werun_request_fail", "message", "4097 bytes", werun_request_fail(steps, WERUN_ERR_HOST, long_text),
        WERUN_ERR_INVALID_ARGUMENT, "4096");
    row("werun_request_fail", "request", "unknown", werun_request_fail(UINT64_MAX, WERUN_ERR_HOST, NULL),
        WERUN_ERR_STALE_REQUEST, "unknown");
    end_request(steps);

    free(huge);
    free(long_text);
    werun_context_free(ctx);
}

static void open_data_functions(void) {
    char *json = NULL, *data = NULL, *iv = NULL;
    werun_step *steps = NULL;
    size_t len = 0;
    int64_t timestamp = 0;
    char *huge = repeated('A', (1 << 20) + 4);

    row("werun_open_data_decrypt", "session_key", "NULL", werun_open_data_decrypt(NULL, BLOCK, IV, NULL, &json),
        WERUN_ERR_NULL_ARGUMENT, "session_key");
    row("werun_open_data_decrypt", "encrypted_data", "NULL",
        werun_open_data_decrypt(SESSION_KEY, NULL, IV, NULL, &json), WERUN_ERR_NULL_ARGUMENT, "encrypted_data");
    row("werun_open_data_decrypt", "iv", "NULL", werun_open_data_decrypt(SESSION_KEY, BLOCK, NULL, NULL, &json),
        WERUN_ERR_NULL_ARGUMENT, "iv");
    row("werun_open_data_decrypt", "json_out", "NULL", werun_open_data_decrypt(SESSION_KEY, BLOCK, IV, NULL, NULL),
        WERUN_ERR_NULL_ARGUMENT, "json_out");
    row("werun_open_data_decrypt", "session_key", "not UTF-8",
        werun_open_data_decrypt(NOT_UTF8, BLOCK, IV, NULL, &json), WERUN_ERR_INVALID_ARGUMENT, "UTF-8");
    row("werun_open_data_decrypt", "appid", "not UTF-8",
        werun_open_data_decrypt(SESSION_KEY, BLOCK, IV, NOT_UTF8, &json), WERUN_ERR_INVALID_ARGUMENT, "UTF-8");
    row("werun_open_data_decrypt", "session_key", "\"\"", werun_open_data_decrypt("", BLOCK, IV, NULL, &json),
        WERUN_ERR_INVALID_ARGUMENT, "empty");
    row("werun_open_data_decrypt", "encrypted_data", "\"\"",
        werun_open_data_decrypt(SESSION_KEY, "", IV, NULL, &json), WERUN_ERR_INVALID_ARGUMENT, "empty");
    row("werun_open_data_decrypt", "encrypted_data", "over 1 MiB",
        werun_open_data_decrypt(SESSION_KEY, huge, IV, NULL, &json), WERUN_ERR_INVALID_ARGUMENT, "limit");
    row("werun_open_data_decrypt", "iv", "12 bytes decoded",
        werun_open_data_decrypt(SESSION_KEY, BLOCK, "AAAAAAAAAAAAAAAA", NULL, &json), WERUN_ERR_INVALID_ARGUMENT,
        "16 bytes");
    row("werun_open_data_decrypt", "encrypted_data", "URL-safe base64",
        werun_open_data_decrypt(SESSION_KEY, "AAAAAAAAAAAAAAAAAAAA-_==", IV, NULL, &json),
        WERUN_ERR_INVALID_ARGUMENT, "URL-safe");
    row("werun_open_data_decrypt", "encrypted_data", "' ' inside a line (URL-decoded '+')",
        werun_open_data_decrypt(SESSION_KEY, "AAAAAAAAAA AAAAAAAAAAA==\r\n", IV, NULL, &json),
        WERUN_ERR_INVALID_ARGUMENT, "URL-decoded");
    row("werun_open_data_decrypt", "encrypted_data", "percent-encoded (%3D for '=')",
        werun_open_data_decrypt(SESSION_KEY, "AAAAAAAAAAAAAAAAAAAAAA%3D%3D", IV, NULL, &json),
        WERUN_ERR_INVALID_ARGUMENT, "percent-encoded");
    row("werun_open_data_decrypt", "encrypted_data", "48 bytes of padding",
        werun_open_data_decrypt(SESSION_KEY, PADDED_TO_48, IV, NULL, &json), WERUN_ERR_DECRYPT, "48 bytes");

    row("werun_open_data_encrypt", "session_key", "NULL", werun_open_data_encrypt(NULL, "{}", &data, &iv),
        WERUN_ERR_NULL_ARGUMENT, "session_key");
    row("werun_open_data_encrypt", "json", "NULL", werun_open_data_encrypt(SESSION_KEY, NULL, &data, &iv),
        WERUN_ERR_NULL_ARGUMENT, "json");
    row("werun_open_data_encrypt", "encrypted_data_out", "NULL",
        werun_open_data_encrypt(SESSION_KEY, "{}", NULL, &iv), WERUN_ERR_NULL_ARGUMENT, "encrypted_data_out");
    row("werun_open_data_encrypt", "iv_out", "NULL", werun_open_data_encrypt(SESSION_KEY, "{}", &data, NULL),
        WERUN_ERR_NULL_ARGUMENT, "iv_out");
    row("werun_open_data_encrypt", "json", "not UTF-8", werun_open_data_encrypt(SESSION_KEY, NOT_UTF8, &data, &iv),
        WERUN_ERR_INVALID_ARGUMENT, "UTF-8");
    row("werun_open_data_encrypt", "json", "\"\"", werun_open_data_encrypt(SESSION_KEY, "", &data, &iv),
        WERUN_ERR_INVALID_ARGUMENT, "JSON");
    row("werun_open_data_encrypt", "json", "not JSON", werun_open_data_encrypt(SESSION_KEY, "{steps", &data, &iv),
        WERUN_ERR_INVALID_ARGUMENT, "JSON");
    row("werun_open_data_encrypt", "json", "over 1 MiB", werun_open_data_encrypt(SESSION_KEY, huge, &data, &iv),
        WERUN_ERR_INVALID_ARGUMENT, "limit");
    row("werun_open_data_encrypt", "session_key", "17 bytes decoded",
        werun_open_data_encrypt("AAAAAAAAAAAAAAAAAAAAAAA=", "{}", &data, &iv), WERUN_ERR_INVALID_ARGUMENT, "17 bytes");

    row("werun_we_run_data_decrypt", "appid", "NULL",
        werun_we_run_data_decrypt(SESSION_KEY, BLOCK, IV, NULL, &steps, &len, &timestamp), WERUN_ERR_NULL_ARGUMENT,
        "appid");
    row("werun_we_run_data_decrypt", "steps_out", "NULL",
        werun_we_run_data_decrypt(SESSION_KEY, BLOCK, IV, APPID, NULL, &len, &timestamp), WERUN_ERR_NULL_ARGUMENT,
        "steps_out");
    row("werun_we_run_data_decrypt", "len_out", "NULL",
        werun_we_run_data_decrypt(SESSION_KEY, BLOCK, IV, APPID, &steps, NULL, &timestamp), WERUN_ERR_NULL_ARGUMENT,
        "len_out");
    row("werun_we_run_data_decrypt", "watermark_timestamp_out", "NULL",
        werun_we_run_data_decrypt(SESSION_KEY, BLOCK, IV, APPID, &steps, &len, NULL), WERUN_ERR_NULL_ARGUMENT,
        "watermark_timestamp_out");
    row("werun_we_run_data_decrypt", "appid", "\"\"",
        werun_we_run_data_decrypt(SESSION_KEY, BLOCK, IV, "", &steps, &len, &timestamp), WERUN_ERR_INVALID_ARGUMENT,
        "appid");
    char *long_appid = repeated('w', 257);
    row("werun_we_run_data_decrypt", "appid", "257 bytes",
        werun_we_run_data_decrypt(SESSION_KEY, BLOCK, IV, long_appid, &steps, &len, &timestamp),
        WERUN_ERR_INVALID_ARGUMENT, "256");
    row("werun_open_data_decrypt", "appid", "257 bytes", werun_open_data_decrypt(SESSION_KEY, BLOCK, IV, long_appid, &json),
        WERUN_ERR_INVALID_ARGUMENT, "256");
    free(long_appid);
    row("werun_we_run_data_decrypt", "encrypted_data", "a block of garbage",
        werun_we_run_data_decrypt(SESSION_KEY, BLOCK, IV, APPID, &steps, &len, &timestamp), WERUN_ERR_DECRYPT,
        "padding");

    row("werun_we_run_data_decrypt_json", "session_key", "NULL",
        werun_we_run_data_decrypt_json(NULL, BLOCK, IV, APPID, &json), WERUN_ERR_NULL_ARGUMENT, "session_key");
    row("werun_we_run_data_decrypt_json", "encrypted_data", "NULL",
        werun_we_run_data_decrypt_json(SESSION_KEY, NULL, IV, APPID, &json), WERUN_ERR_NULL_ARGUMENT,
        "encrypted_data");
    row("werun_we_run_data_decrypt_json", "iv", "NULL",
        werun_we_run_data_decrypt_json(SESSION_KEY, BLOCK, NULL, APPID, &json), WERUN_ERR_NULL_ARGUMENT, "iv");
    row("werun_we_run_data_decrypt_json", "appid", "NULL",
        werun_we_run_data_decrypt_json(SESSION_KEY, BLOCK, IV, NULL, &json), WERUN_ERR_NULL_ARGUMENT, "appid");
    row("werun_we_run_data_decrypt_json", "json_out", "NULL",
        werun_we_run_data_decrypt_json(SESSION_KEY, BLOCK, IV, APPID, NULL), WERUN_ERR_NULL_ARGUMENT, "json_out");
    row("werun_we_run_data_decrypt_json", "appid", "\"\"",
        werun_we_run_data_decrypt_json(SESSION_KEY, BLOCK, IV, "", &json), WERUN_ERR_INVALID_ARGUMENT, "appid");
    row("werun_we_run_data_decrypt_json", "session_key", "not UTF-8",
        werun_we_run_data_decrypt_json(NOT_UTF8, BLOCK, IV, APPID, &json), WERUN_ERR_INVALID_ARGUMENT, "UTF-8");
    row("werun_we_run_data_decrypt_json", "encrypted_data", "a block of garbage",
        werun_we_run_data_decrypt_json(SESSION_KEY, BLOCK, IV, APPID, &json), WERUN_ERR_DECRYPT, "padding");

    werun_string_free(NULL);
    no_op_row("werun_string_free", "s", "NULL");
    werun_steps_free(NULL, 0);
    no_op_row("werun_steps_free", "steps", "NULL");
    werun_steps_free(NULL, 5);
    no_op_row("werun_steps_free", "steps", "NULL with len 5");
    free(huge);
}

/* werun_status_name has no status to return: out of range, it names none. */
static void status_names(void) {
    const uint32_t out_of_range[] = {WERUN_ERR_REENTRANT + 1, UINT32_MAX};
    for (size_t i = 0; i < 2; ++i) {
        const char *name = werun_status_name(out_of_range[i]);
        rows++;
        if (strcmp(name, "WERUN_UNKNOWN") != 0) {
            failed++;
            fprintf(stderr, "werun_status_name(%u) = %s, expected WERUN_UNKNOWN\n", out_of_range[i], name);
        }
        printf("| `werun_status_name` | `status` | %u | (a name: `%s`) | |\n", out_of_range[i], name);
    }
}

int main(int argc, char **argv) {
    /* The table goes to stdout only with --table (run.sh compares it with
     * docs/BAD_INPUTS.md); every other run is quiet but for its summary. */
    if (argc < 2 || strcmp(argv[1], "--table") != 0) {
        if (freopen("/dev/null", "w", stdout) == NULL) return 2;
    }
    printf("| function | argument | bad input | returns | werun_last_error() |\n");
    printf("|---|---|---|---|---|\n");
    context_functions();
    host_answers();
    open_data_functions();
    status_names();
    fprintf(stderr, "bad_inputs: %d rows, %d failed\n", rows, failed);
    return failed == 0 ? 0 : 1;
}
