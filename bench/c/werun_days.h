/*
 * The 31-day WeRun fixture shared by bench/c/werun_calls.c and
 * bench/c/wxbiz_openssl.c (bench/callgrind.sh): the same session key, appid
 * and days as bench/compare.mjs and bench/napi/bench_exports.inc, so every
 * program measures the same payload.
 *
 * The days: 31 local (UTC+8) midnights ending today, oldest first, day i
 * with 4000 + 97 i steps, as compare.mjs's weRunPlaintext lays them out.
 * As raw samples (what a host hands werun_request_answer_steps), day i is
 * one sample at now - (30 - i) days.
 */
#ifndef WERUN_BENCH_DAYS_H
#define WERUN_BENCH_DAYS_H

#include <stdint.h>
#include <stdio.h>

#define BENCH_SESSION_KEY "tiihtNczf5v6AKRyjwEUhQ=="
#define BENCH_APPID "wx4f4bc4dec97d474b"
#define BENCH_DAYS 31
#define BENCH_DAY_SECONDS 86400
/* WeChat aligns days to 00:00 UTC+8, werun's default. */
#define BENCH_UTC_OFFSET_SECONDS (8 * 3600)

typedef struct bench_day {
    int64_t timestamp;
    int64_t step;
} bench_day;

static inline int64_t bench_floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The raw samples for `now`: day i is one sample at now - (30 - i) days. */
static inline void bench_samples(int64_t now, bench_day samples[BENCH_DAYS]) {
    for (int i = 0; i < BENCH_DAYS; ++i) {
        samples[i].timestamp = now - (int64_t)(BENCH_DAYS - 1 - i) * BENCH_DAY_SECONDS;
        samples[i].step = 4000 + 97 * i;
    }
}

/* The days werun (or anyone) must report for bench_samples(now). */
static inline void bench_expected_days(int64_t now, bench_day days[BENCH_DAYS]) {
    int64_t today = bench_floor_div(now + BENCH_UTC_OFFSET_SECONDS, BENCH_DAY_SECONDS);
    for (int i = 0; i < BENCH_DAYS; ++i) {
        days[i].timestamp = (today - (BENCH_DAYS - 1) + i) * BENCH_DAY_SECONDS - BENCH_UTC_OFFSET_SECONDS;
        days[i].step = 4000 + 97 * i;
    }
}

/*
 * 0 when `got` (len entries) are `want` (BENCH_DAYS entries), else prints the
 * first difference, prefixed by `what`, and returns 1. `got` is an array of
 * werun_step or bench_day: both are two int64_t, timestamp then step.
 */
static inline int bench_check_days(const char *what, const void *got, size_t len, const bench_day *want) {
    if (len != BENCH_DAYS) {
        fprintf(stderr, "%s: %zu days, want %d\n", what, len, BENCH_DAYS);
        return 1;
    }
    const int64_t *g = (const int64_t *)got;
    for (size_t i = 0; i < len; ++i) {
        if (g[2 * i] != want[i].timestamp || g[2 * i + 1] != want[i].step) {
            fprintf(stderr, "%s: day %zu is {%lld, %lld}, want {%lld, %lld}\n", what, i, (long long)g[2 * i],
                    (long long)g[2 * i + 1], (long long)want[i].timestamp, (long long)want[i].step);
            return 1;
        }
    }
    return 0;
}

#endif
