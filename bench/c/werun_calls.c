/*
 * werun's side of bench/callgrind.sh: one C-ABI operation, `iterations` times,
 * after checking its result once (exit 3 if wrong). Run under callgrind with
 * two iteration counts, the difference is the per-call instruction count.
 *
 * Usage:
 *   werun_calls decrypt <key> <data> <iv> <appid> <iterations>
 *       werun_we_run_data_decrypt: decrypt, watermark, 31 days.
 *   werun_calls seal-json <key> <json> <iterations>
 *       werun_open_data_encrypt: check the JSON, fresh IV, AES, base64.
 *   werun_calls roundtrip <key> <appid> <iterations>
 *       werun_get_we_run_data with a native host answering get_steps from
 *       inside its hook: the call, the 31 days summed from raw samples,
 *       serialised, sealed under a fresh IV, the callbacks.
 *   werun_calls cpuid
 *       the CPU features the (possibly emulated) CPU reports that pick an
 *       AES implementation, one `name=0|1` each.
 */
#define _POSIX_C_SOURCE 200809L
#include "werun.h"
#include "werun_days.h"

#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *what, int code) {
    fprintf(stderr, "werun_calls: %s: %s\n", what, werun_last_error());
    exit(code);
}

static long iterations_arg(const char *text) {
    char *end = NULL;
    long n = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || n < 0) die("iterations must be a non-negative integer", 2);
    return n;
}

/* ---- the round trip's native host ------------------------------------------- */

static const char *session_key;
static bench_day samples[BENCH_DAYS];
static unsigned long completed;
static char *captured_data, *captured_iv;

static void login_now(void *host_data, uint64_t request) {
    (void)host_data;
    werun_request_answer_login(request, "code", session_key, 0);
}

static void steps_now(void *host_data, uint64_t request) {
    (void)host_data;
    werun_request_answer_steps(request, (const werun_step *)samples, BENCH_DAYS);
}

static void count_complete(void *user_data, const werun_result *result) {
    (void)user_data;
    if (result->status == WERUN_OK) ++completed;
}

static void capture_success(void *user_data, const werun_result *result) {
    (void)user_data;
    captured_data = strdup(result->encrypted_data);
    captured_iv = strdup(result->iv);
}

static void print_failure(void *user_data, const werun_result *result) {
    (void)user_data;
    fprintf(stderr, "werun_calls: call failed: %s\n", result->err_msg);
}

static int roundtrip(const char *key, const char *appid, long iterations) {
    session_key = key;
    bench_samples((int64_t)time(NULL), samples);
    werun_context *ctx = NULL;
    werun_host host = {0};
    host.login = login_now;
    host.get_steps = steps_now;
    werun_callbacks count = {NULL, NULL, print_failure, count_complete};
    werun_callbacks capture = {NULL, capture_success, print_failure, count_complete};
    if (werun_context_new(appid, &ctx) != WERUN_OK || werun_context_set_host(ctx, &host) != WERUN_OK ||
        werun_login(ctx, &count, NULL) != WERUN_OK || completed != 1)
        die("setting up the context", 1);

    /* Once, checked: werun's seal opens to the fixture's 31 days. */
    if (werun_get_we_run_data(ctx, &capture, NULL) != WERUN_OK || completed != 2 || captured_data == NULL)
        die("getWeRunData", 1);
    werun_step *steps = NULL;
    size_t len = 0;
    int64_t watermark = 0;
    bench_day want[BENCH_DAYS];
    bench_expected_days((int64_t)time(NULL), want);
    if (werun_we_run_data_decrypt(key, captured_data, captured_iv, appid, &steps, &len, &watermark) != WERUN_OK ||
        bench_check_days("werun's seal", steps, len, want))
        die("werun's getWeRunData seal does not open to the fixture", 3);
    werun_steps_free(steps, len);
    free(captured_data);
    free(captured_iv);

    for (long i = 0; i < iterations; ++i) {
        if (werun_get_we_run_data(ctx, &count, NULL) != WERUN_OK) die("getWeRunData", 1);
    }
    /* Every call completed inside its own werun_get_we_run_data. */
    if (completed != 2 + (unsigned long)iterations) die("calls did not complete synchronously", 3);
    werun_context_free(ctx);
    return 0;
}

/* ---- main ---------------------------------------------------------------------- */

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "decrypt") == 0 && argc == 7) {
        const char *key = argv[2], *data = argv[3], *iv = argv[4], *appid = argv[5];
        long iterations = iterations_arg(argv[6]);
        for (long i = 0; i < iterations; ++i) {
            werun_step *steps = NULL;
            size_t len = 0;
            int64_t timestamp = 0;
            if (werun_we_run_data_decrypt(key, data, iv, appid, &steps, &len, &timestamp) != WERUN_OK)
                die("werun_we_run_data_decrypt", 1);
            if (len != BENCH_DAYS) die("not 31 days", 3);
            werun_steps_free(steps, len);
        }
    } else if (strcmp(mode, "seal-json") == 0 && argc == 5) {
        const char *key = argv[2], *json = argv[3];
        long iterations = iterations_arg(argv[4]);
        char *data = NULL, *iv = NULL, *opened = NULL;
        if (werun_open_data_encrypt(key, json, &data, &iv) != WERUN_OK) die("werun_open_data_encrypt", 1);
        if (werun_open_data_decrypt(key, data, iv, NULL, &opened) != WERUN_OK || strcmp(opened, json) != 0)
            die("werun_open_data_encrypt's output does not open to its input", 3);
        werun_string_free(opened);
        werun_string_free(data);
        werun_string_free(iv);
        for (long i = 0; i < iterations; ++i) {
            if (werun_open_data_encrypt(key, json, &data, &iv) != WERUN_OK) die("werun_open_data_encrypt", 1);
            werun_string_free(data);
            werun_string_free(iv);
        }
    } else if (strcmp(mode, "roundtrip") == 0 && argc == 5) {
        return roundtrip(argv[2], argv[3], iterations_arg(argv[4]));
    } else if (strcmp(mode, "cpuid") == 0 && argc == 2) {
        unsigned a = 0, b = 0, c = 0, d = 0;
        unsigned ecx1 = 0, ebx7 = 0, ecx7 = 0;
        if (__get_cpuid(1, &a, &b, &c, &d)) ecx1 = c;
        if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
            ebx7 = b;
            ecx7 = c;
        }
        printf("aes=%u pclmulqdq=%u avx=%u avx2=%u vaes=%u avx512f=%u\n", (ecx1 >> 25) & 1, (ecx1 >> 1) & 1,
               (ecx1 >> 28) & 1, (ebx7 >> 5) & 1, (ecx7 >> 9) & 1, (ebx7 >> 16) & 1);
    } else {
        fprintf(stderr,
                "usage: werun_calls decrypt <session_key> <encrypted_data> <iv> <appid> <iterations>\n"
                "       werun_calls seal-json <session_key> <json> <iterations>\n"
                "       werun_calls roundtrip <session_key> <appid> <iterations>\n"
                "       werun_calls cpuid\n");
        return 2;
    }
    return 0;
}
