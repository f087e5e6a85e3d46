/*
 * Drives login -> checkSession -> getWeRunData -> decrypt through the C ABI
 * with a native host, the way a platform bridge would.
 *
 * Every flow runs twice: once with the host answering synchronously from
 * inside its hooks, and once with the hooks queueing the request ids for the
 * main thread to answer afterwards, like a bridge with an event loop.
 */
#include "werun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define APPID "wx4f4bc4dec97d474b"
#define OTHER_APPID "wx0000000000000000"
/* The session key of WeChat's published decryption sample: 16 bytes once decoded. */
#define SESSION_KEY "tiihtNczf5v6AKRyjwEUhQ=="
#define LOGIN_CODE "0a3Xkn000OJ9ZS1M7V300Wb9RJ2Xkn0t"
#define SESSION_LIFETIME_S 7200

#define DAY_S 86400
/* WeChat's days run from 00:00 UTC+8, the core's default. */
#define UTC_OFFSET_S (8 * 3600)
#define WINDOW_DAYS 31

/* ---- Checks ----------------------------------------------------------------- */

static const char *current_test = "";
static int passed;
static int failed;

static void check_at(int ok, const char *what, const char *file, int line) {
    if (ok) {
        passed++;
        return;
    }
    failed++;
    fprintf(stderr, "%s:%d: [%s] CHECK failed: %s\n", file, line, current_test, what);
}

static void check_status_at(uint32_t actual, uint32_t expected, const char *what, const char *file, int line) {
    if (actual == expected) {
        passed++;
        return;
    }
    /* Read before anything else: the next werun_ call may invalidate it. */
    char detail[512];
    snprintf(detail, sizeof detail, "%s", werun_last_error());
    check_at(0, what, file, line);
    fprintf(stderr, "  got %s, expected %s (last error: \"%s\")\n", werun_status_name(actual),
            werun_status_name(expected), detail);
}

static void check_str_at(const char *actual, const char *expected, const char *what, const char *file, int line) {
    if (actual != NULL && strcmp(actual, expected) == 0) {
        passed++;
        return;
    }
    check_at(0, what, file, line);
    fprintf(stderr, "  got \"%s\", expected \"%s\"\n", actual != NULL ? actual : "(null)", expected);
}

#define CHECK(expr) check_at((expr) != 0, #expr, __FILE__, __LINE__)
#define CHECK_STATUS(expr, expected) \
    check_status_at((uint32_t)(expr), (uint32_t)(expected), #expr, __FILE__, __LINE__)
#define CHECK_STR(actual, expected) check_str_at((actual), (expected), #actual, __FILE__, __LINE__)
#define FAIL(what) check_at(0, (what), __FILE__, __LINE__)

/* A NULL argument must be refused, and werun_last_error() must say why. */
static void check_null_argument_at(werun_status status, const char *what, const char *file, int line) {
    const char *detail = werun_last_error();
    int explained = detail != NULL && detail[0] != '\0';

    check_status_at((uint32_t)status, WERUN_ERR_NULL_ARGUMENT, what, file, line);
    check_at(explained, "werun_last_error() is set", file, line);
}

#define CHECK_NULL_ARGUMENT(expr) check_null_argument_at((expr), #expr, __FILE__, __LINE__)

/* ---- Recording callbacks ------------------------------------------------------
 * Results are borrowed for the duration of the callback, so keep copies.
 */

struct outcome {
    int successes;
    int failures;
    int completions;
    int bad_completions; /* complete ran first, again, or with a different result */
    uint32_t status;
    char *err_msg;
    char *encrypted_data;
    char *iv;
    char *cloud_id;
    char *code;
};

static char *copy_string(const char *s) {
    if (s == NULL) {
        return NULL;
    }
    size_t size = strlen(s) + 1;
    char *copy = (char *)malloc(size);
    if (copy == NULL) {
        perror("malloc");
        exit(2);
    }
    memcpy(copy, s, size);
    return copy;
}

static int same_string(const char *a, const char *b) {
    return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

static void outcome_init(struct outcome *o) {
    memset(o, 0, sizeof *o);
}

static void free_strings(struct outcome *o) {
    free(o->err_msg);
    free(o->encrypted_data);
    free(o->iv);
    free(o->cloud_id);
    free(o->code);
}

static void outcome_free(struct outcome *o) {
    free_strings(o);
    outcome_init(o);
}

static void record(struct outcome *o, const werun_result *result) {
    free_strings(o);
    o->status = result->status;
    o->err_msg = copy_string(result->err_msg);
    o->encrypted_data = copy_string(result->encrypted_data);
    o->iv = copy_string(result->iv);
    o->cloud_id = copy_string(result->cloud_id);
    o->code = copy_string(result->code);
}

static int same_result(const struct outcome *o, const werun_result *result) {
    return o->status == result->status && same_string(o->err_msg, result->err_msg) &&
           same_string(o->encrypted_data, result->encrypted_data) && same_string(o->iv, result->iv) &&
           same_string(o->cloud_id, result->cloud_id) && same_string(o->code, result->code);
}

static void on_success(void *user_data, const werun_result *result) {
    struct outcome *o = (struct outcome *)user_data;
    o->successes++;
    record(o, result);
}

static void on_fail(void *user_data, const werun_result *result) {
    struct outcome *o = (struct outcome *)user_data;
    o->failures++;
    record(o, result);
}

static void on_complete(void *user_data, const werun_result *result) {
    struct outcome *o = (struct outcome *)user_data;
    o->completions++;
    if (o->successes + o->failures != 1 || o->completions != 1 || !same_result(o, result)) {
        o->bad_completions++;
    }
}

static werun_callbacks recording_callbacks(struct outcome *o) {
    werun_callbacks callbacks;
    callbacks.user_data = o;
    callbacks.success = on_success;
    callbacks.fail = on_fail;
    callbacks.complete = on_complete;
    return callbacks;
}

/* A call that returned OK ran exactly one of success or fail, then complete once. */
static void check_outcome_at(const struct outcome *o, werun_status status, const char *err_msg, const char *file,
                             int line) {
    int ok = status == WERUN_OK;

    check_at(o->successes == (ok ? 1 : 0) && o->failures == (ok ? 0 : 1),
             ok ? "success ran once and fail never" : "fail ran once and success never", file, line);
    check_at(o->completions == 1, "complete ran exactly once", file, line);
    check_at(o->bad_completions == 0, "complete ran last, with the same result", file, line);
    check_status_at(o->status, (uint32_t)status, "result status", file, line);
    check_str_at(o->err_msg, err_msg, "result errMsg", file, line);
    if (!ok) {
        check_at(o->encrypted_data == NULL && o->iv == NULL && o->cloud_id == NULL && o->code == NULL,
                 "a failed result carries only status and errMsg", file, line);
    }
}

#define CHECK_OUTCOME(o, status, err_msg) check_outcome_at((o), (status), (err_msg), __FILE__, __LINE__)

/* ---- A native host ------------------------------------------------------------ */

enum answer_mode { ANSWER_IN_HOOK, ANSWER_LATER };
enum request_kind { LOGIN, AUTHORIZE, GET_STEPS, REQUEST_KINDS };

#define MAX_SAMPLES 16
#define QUEUE_CAPACITY 8

struct queued_request {
    enum request_kind kind;
    uint64_t id;
};

struct host {
    enum answer_mode mode;
    uint32_t grant; /* the answer to authorize: 1 grants scope.werun, 0 denies it */
    werun_step samples[MAX_SAMPLES];
    size_t sample_count;

    int calls[REQUEST_KINDS];
    int authorization_changes;
    uint32_t last_authorization;
    int releases;

    struct queued_request queue[QUEUE_CAPACITY];
    size_t queue_head;
    size_t queue_len;
};

static void host_init(struct host *h, enum answer_mode mode, uint32_t grant) {
    memset(h, 0, sizeof *h);
    h->mode = mode;
    h->grant = grant;
}

static werun_status answer(const struct host *h, enum request_kind kind, uint64_t request) {
    switch (kind) {
    case LOGIN:
        return werun_request_answer_login(request, LOGIN_CODE, SESSION_KEY, SESSION_LIFETIME_S);
    case AUTHORIZE:
        return werun_request_answer_authorize(request, h->grant);
    case GET_STEPS:
        return werun_request_answer_steps(request, h->samples, h->sample_count);
    case REQUEST_KINDS:
        break;
    }
    abort();
}

/* Answers a request, and checks that it cannot be answered twice. */
static void answer_once(const struct host *h, enum request_kind kind, uint64_t request) {
    CHECK_STATUS(answer(h, kind, request), WERUN_OK);
    CHECK_STATUS(answer(h, kind, request), WERUN_ERR_STALE_REQUEST);
}

static void on_request(struct host *h, enum request_kind kind, uint64_t request) {
    h->calls[kind]++;
    if (h->mode == ANSWER_IN_HOOK) {
        answer_once(h, kind, request);
    } else if (h->queue_len < QUEUE_CAPACITY) {
        h->queue[h->queue_len].kind = kind;
        h->queue[h->queue_len].id = request;
        h->queue_len++;
    } else {
        FAIL("the host's queue overflowed");
    }
}

/* The event loop of an ANSWER_LATER host. Answering one request may queue the next. */
static void answer_queued(struct host *h) {
    while (h->queue_head < h->queue_len) {
        struct queued_request request = h->queue[h->queue_head++];
        answer_once(h, request.kind, request.id);
    }
    h->queue_head = 0;
    h->queue_len = 0;
}

static void host_login(void *host_data, uint64_t request) {
    on_request((struct host *)host_data, LOGIN, request);
}

static void host_authorize(void *host_data, uint64_t request) {
    on_request((struct host *)host_data, AUTHORIZE, request);
}

static void host_get_steps(void *host_data, uint64_t request) {
    on_request((struct host *)host_data, GET_STEPS, request);
}

static void host_authorization_changed(void *host_data, uint32_t state) {
    struct host *h = (struct host *)host_data;
    h->authorization_changes++;
    h->last_authorization = state;
}

static void host_release(void *host_data) {
    ((struct host *)host_data)->releases++;
}

static werun_host host_hooks(struct host *h) {
    werun_host hooks;
    hooks.host_data = h;
    hooks.login = host_login;
    hooks.authorize = host_authorize;
    hooks.get_steps = host_get_steps;
    hooks.authorization_changed = host_authorization_changed;
    hooks.release = host_release;
    return hooks;
}

static werun_context *context_with_host(struct host *h) {
    werun_context *ctx = NULL;
    CHECK_STATUS(werun_context_new(APPID, &ctx), WERUN_OK);
    werun_host hooks = host_hooks(h);
    CHECK_STATUS(werun_context_set_host(ctx, &hooks), WERUN_OK);
    return ctx;
}

static uint32_t authorization(const werun_context *ctx) {
    uint32_t state = UINT32_MAX;
    CHECK_STATUS(werun_context_get_authorization(ctx, &state), WERUN_OK);
    return state;
}

typedef werun_status (*call_fn)(werun_context *ctx, const werun_callbacks *callbacks, uint64_t *call_out);

/* Makes one call and lets the host answer what it was asked; the call has completed on return. */
static void run_call(call_fn call, werun_context *ctx, struct host *h, struct outcome *o) {
    werun_callbacks callbacks = recording_callbacks(o);
    uint64_t id = 0;

    outcome_init(o);
    CHECK_STATUS(call(ctx, &callbacks, &id), WERUN_OK);
    if (h != NULL && h->queue_len > 0) {
        CHECK(o->completions == 0); /* still waiting for the host */
        answer_queued(h);
    }
    CHECK_STATUS(werun_cancel(id), WERUN_ERR_STALE_REQUEST); /* it has finished */
}

/* ---- Steps ---------------------------------------------------------------------- */

/* Unix time of the UTC+8 midnight that starts the day containing `t`. */
static int64_t day_start(int64_t t) {
    int64_t local = t + UTC_OFFSET_S;
    return local - local % DAY_S - UTC_OFFSET_S;
}

static void add_sample(struct host *h, int64_t timestamp, int64_t step) {
    if (h->sample_count == MAX_SAMPLES) {
        FAIL("too many samples");
        return;
    }
    h->samples[h->sample_count].timestamp = timestamp;
    h->samples[h->sample_count].step = step;
    h->sample_count++;
}

/* Several samples on a few days, out of order, including the edges of days and of the window. */
static void add_recent_samples(struct host *h, int64_t now) {
    int64_t today = day_start(now);

    add_sample(h, today - DAY_S, 5000);                         /* yesterday's first second */
    add_sample(h, today - 1, 2021);                             /* yesterday's last second */
    add_sample(h, today, 1200);                                 /* today's first second */
    add_sample(h, now, 34);
    add_sample(h, today - 7 * DAY_S + 8 * 3600, 3000);
    add_sample(h, today - 7 * DAY_S + 12 * 3600, 4500);
    add_sample(h, today - 7 * DAY_S + 19 * 3600, 812);
    add_sample(h, today - 30 * DAY_S + 12 * 3600, 999);         /* the oldest day in the window */
    add_sample(h, today - WINDOW_DAYS * DAY_S + 12 * 3600, 77777); /* before the window: ignored */
}

static int64_t steps_on_day(const struct host *h, int64_t midnight) {
    int64_t sum = 0;
    for (size_t i = 0; i < h->sample_count; i++) {
        if (day_start(h->samples[i].timestamp) == midnight) {
            sum += h->samples[i].step;
        }
    }
    return sum;
}

/* Decrypts getWeRunData's result as the app's backend would, and compares it with what the host gave. */
static void check_we_run_data(const struct outcome *o, const struct host *h, int64_t started) {
    werun_step *days = NULL;
    size_t len = 0;
    int64_t watermark = 0;

    CHECK(o->encrypted_data != NULL && o->iv != NULL);
    CHECK_STATUS(werun_we_run_data_decrypt(SESSION_KEY, o->encrypted_data, o->iv, APPID, &days, &len, &watermark),
                 WERUN_OK);
    CHECK(len == WINDOW_DAYS);
    if (days == NULL || len != WINDOW_DAYS) {
        werun_steps_free(days, len);
        return;
    }

    CHECK(started <= watermark && watermark <= (int64_t)time(NULL));
    CHECK(days[WINDOW_DAYS - 1].timestamp == day_start(watermark));

    int64_t total = 0;
    for (size_t i = 0; i < WINDOW_DAYS; i++) {
        int64_t expected = steps_on_day(h, days[i].timestamp);
        if (days[i].step != expected) {
            fprintf(stderr, "  day %zu (%lld) has %lld steps, expected %lld\n", i, (long long)days[i].timestamp,
                    (long long)days[i].step, (long long)expected);
        }
        CHECK(days[i].step == expected);
        CHECK(i == 0 || days[i].timestamp - days[i - 1].timestamp == DAY_S);
        total += days[i].step;
    }
    CHECK(total > 0);

    werun_steps_free(days, len);
}

static void check_open_data(const struct outcome *o) {
    char *json = NULL;

    CHECK_STATUS(werun_open_data_decrypt(SESSION_KEY, o->encrypted_data, o->iv, APPID, &json), WERUN_OK);
    CHECK(json != NULL && strncmp(json, "{\"stepInfoList\":[", strlen("{\"stepInfoList\":[")) == 0);
    CHECK(json != NULL && strstr(json, "\"appid\":\"" APPID "\"") != NULL);
    werun_string_free(json);

    json = NULL;
    CHECK_STATUS(werun_open_data_decrypt(SESSION_KEY, o->encrypted_data, o->iv, OTHER_APPID, &json),
                 WERUN_ERR_WATERMARK);
    CHECK(json == NULL); /* out-params are written only on OK */
}

/* ---- Tests -------------------------------------------------------------------------- */

static void login(werun_context *ctx, struct host *h) {
    struct outcome o;

    run_call(werun_login, ctx, h, &o);
    CHECK_OUTCOME(&o, WERUN_OK, "login:ok");
    CHECK_STR(o.code, LOGIN_CODE);
    CHECK(o.encrypted_data == NULL && o.iv == NULL && o.cloud_id == NULL);
    outcome_free(&o);
}

static void test_full_flow(enum answer_mode mode) {
    struct host h;
    struct outcome o;
    struct outcome first;
    struct outcome second;
    int64_t started = (int64_t)time(NULL);

    current_test = mode == ANSWER_IN_HOOK ? "full flow, answered inside the hooks" : "full flow, answered later";
    host_init(&h, mode, 1);
    add_recent_samples(&h, started);
    werun_context *ctx = context_with_host(&h);

    run_call(werun_check_session, ctx, &h, &o);
    CHECK_OUTCOME(&o, WERUN_ERR_NOT_LOGGED_IN, "checkSession:fail session expired");
    outcome_free(&o);

    login(ctx, &h);
    CHECK(h.calls[LOGIN] == 1);

    run_call(werun_check_session, ctx, &h, &o);
    CHECK_OUTCOME(&o, WERUN_OK, "checkSession:ok");
    outcome_free(&o);

    CHECK(authorization(ctx) == WERUN_AUTH_NOT_DETERMINED);
    run_call(werun_get_we_run_data, ctx, &h, &first);
    CHECK_OUTCOME(&first, WERUN_OK, "getWeRunData:ok");
    CHECK(first.cloud_id == NULL && first.code == NULL);
    CHECK(h.calls[AUTHORIZE] == 1 && h.calls[GET_STEPS] == 1);
    CHECK(h.authorization_changes == 1 && h.last_authorization == WERUN_AUTH_GRANTED);
    CHECK(authorization(ctx) == WERUN_AUTH_GRANTED);
    check_we_run_data(&first, &h, started);
    check_open_data(&first);

    /* Granted once is granted for good; every result is sealed with a fresh IV. */
    run_call(werun_get_we_run_data, ctx, &h, &second);
    CHECK_OUTCOME(&second, WERUN_OK, "getWeRunData:ok");
    CHECK(h.calls[AUTHORIZE] == 1 && h.calls[GET_STEPS] == 2);
    CHECK(h.authorization_changes == 1);
    CHECK(second.iv != NULL && !same_string(first.iv, second.iv));
    check_we_run_data(&second, &h, started);
    outcome_free(&first);
    outcome_free(&second);

    CHECK_STATUS(werun_context_logout(ctx), WERUN_OK);
    run_call(werun_get_we_run_data, ctx, &h, &o);
    CHECK_OUTCOME(&o, WERUN_ERR_NOT_LOGGED_IN, "getWeRunData:fail need login");
    CHECK(h.calls[GET_STEPS] == 2);
    outcome_free(&o);

    werun_context_free(ctx);
    CHECK(h.releases == 1);
}

static void test_authorization_denied(enum answer_mode mode) {
    struct host h;
    struct outcome o;

    current_test = mode == ANSWER_IN_HOOK ? "denied inside the hook" : "denied later";
    host_init(&h, mode, 0);
    werun_context *ctx = context_with_host(&h);
    login(ctx, &h);

    /* The second call fails at once: WeChat does not ask again after a refusal. */
    for (int attempt = 0; attempt < 2; attempt++) {
        run_call(werun_get_we_run_data, ctx, &h, &o);
        CHECK_OUTCOME(&o, WERUN_ERR_AUTH_DENIED, "getWeRunData:fail auth deny");
        CHECK(h.calls[AUTHORIZE] == 1);
        CHECK(h.calls[GET_STEPS] == 0);
        outcome_free(&o);
    }
    CHECK(h.authorization_changes == 1 && h.last_authorization == WERUN_AUTH_DENIED);
    CHECK(authorization(ctx) == WERUN_AUTH_DENIED);

    werun_context_free(ctx);
    CHECK(h.releases == 1);
}

static void test_unsupported_without_host(void) {
    werun_context *ctx = NULL;
    struct outcome o;

    current_test = "no host";
    CHECK_STATUS(werun_context_new(APPID, &ctx), WERUN_OK);

    run_call(werun_get_we_run_data, ctx, NULL, &o);
    CHECK_OUTCOME(&o, WERUN_ERR_UNSUPPORTED, "getWeRunData:fail 暂时不支持 API getWeRunData");
    outcome_free(&o);

    run_call(werun_login, ctx, NULL, &o);
    CHECK_OUTCOME(&o, WERUN_ERR_UNSUPPORTED, "login:fail 暂时不支持 API login");
    outcome_free(&o);

    /* Callbacks and call_out may each be NULL. */
    werun_callbacks only_complete = recording_callbacks(&o);
    only_complete.success = NULL;
    only_complete.fail = NULL;
    outcome_init(&o);
    CHECK_STATUS(werun_check_session(ctx, &only_complete, NULL), WERUN_OK);
    CHECK(o.completions == 1);
    werun_callbacks none;
    memset(&none, 0, sizeof none);
    CHECK_STATUS(werun_check_session(ctx, &none, NULL), WERUN_OK);

    werun_context_free(ctx);
}

static void test_null_arguments(void) {
    werun_context *ctx = NULL;
    struct host h;
    struct outcome o;
    werun_callbacks callbacks = recording_callbacks(&o);
    uint32_t state = UINT32_MAX;

    current_test = "NULL arguments";
    CHECK_NULL_ARGUMENT(werun_context_new(NULL, &ctx));
    CHECK(ctx == NULL);
    CHECK_NULL_ARGUMENT(werun_context_new(APPID, NULL));

    host_init(&h, ANSWER_LATER, 1);
    ctx = context_with_host(&h);
    outcome_init(&o);
    CHECK_NULL_ARGUMENT(werun_login(NULL, &callbacks, NULL));
    CHECK_NULL_ARGUMENT(werun_login(ctx, NULL, NULL));
    CHECK_NULL_ARGUMENT(werun_check_session(NULL, &callbacks, NULL));
    CHECK_NULL_ARGUMENT(werun_get_we_run_data(ctx, NULL, NULL));
    CHECK_NULL_ARGUMENT(werun_context_get_authorization(ctx, NULL));
    CHECK_NULL_ARGUMENT(werun_context_get_authorization(NULL, &state));
    CHECK(state == UINT32_MAX);
    CHECK(h.calls[LOGIN] == 0);
    CHECK(o.completions == 0); /* no callback runs unless the call returned OK */

    /* An unusable answer leaves the request pending. */
    CHECK_STATUS(werun_login(ctx, &callbacks, NULL), WERUN_OK);
    CHECK(h.queue_len == 1);
    CHECK_NULL_ARGUMENT(werun_request_answer_login(h.queue[0].id, NULL, SESSION_KEY, SESSION_LIFETIME_S));
    CHECK(o.completions == 0);
    answer_queued(&h);
    CHECK_OUTCOME(&o, WERUN_OK, "login:ok");
    outcome_free(&o);

    werun_step *steps = NULL;
    size_t len = 12345;
    int64_t watermark = 0;
    char *json = NULL;
    CHECK_NULL_ARGUMENT(werun_we_run_data_decrypt(NULL, "AAAA", "AAAA", APPID, &steps, &len, &watermark));
    CHECK_NULL_ARGUMENT(werun_we_run_data_decrypt(SESSION_KEY, "AAAA", "AAAA", NULL, &steps, &len, &watermark));
    CHECK(steps == NULL && len == 12345);
    CHECK_NULL_ARGUMENT(werun_open_data_decrypt(SESSION_KEY, "AAAA", "AAAA", APPID, NULL));
    CHECK_NULL_ARGUMENT(werun_open_data_decrypt(SESSION_KEY, NULL, "AAAA", APPID, &json));
    CHECK(json == NULL);

    /* The frees accept NULL. */
    werun_context_free(NULL);
    werun_string_free(NULL);
    werun_steps_free(NULL, 0);

    werun_context_free(ctx);
    CHECK(h.releases == 1);
}

static void test_release_once(void) {
    struct host first;
    struct host second;

    current_test = "host release";
    host_init(&first, ANSWER_IN_HOOK, 1);
    host_init(&second, ANSWER_IN_HOOK, 1);
    werun_context *ctx = context_with_host(&first);

    werun_host hooks = host_hooks(&second);
    CHECK_STATUS(werun_context_set_host(ctx, &hooks), WERUN_OK);
    CHECK(first.releases == 1 && second.releases == 0); /* a replaced host is released */

    werun_context_free(ctx);
    CHECK(first.releases == 1 && second.releases == 1);
}

int main(void) {
    test_null_arguments();
    test_unsupported_without_host();
    test_full_flow(ANSWER_IN_HOOK);
    test_full_flow(ANSWER_LATER);
    test_authorization_denied(ANSWER_IN_HOOK);
    test_authorization_denied(ANSWER_LATER);
    test_release_once();

    printf("login_flow: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
