/*
 * Times werun's decrypt+parse through the C ABI: werun_we_run_data_decrypt
 * (decrypt, check the watermark, parse the 31 days) on one payload, and the
 * same through werun_open_data_decrypt (decrypt and validate the JSON only).
 *
 * Usage: decrypt <session_key> <encrypted_data> <iv> <appid> <iterations>
 * Prints: {"weRunDataDecrypt": ns per call, "openDataDecrypt": ns per call}
 * after a warm-up, as the median of 7 rounds.
 */
#define _POSIX_C_SOURCE 199309L
#include "werun.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_ns_per_call(int steps_variant, char **argv, long iterations) {
    double rounds[7];
    for (int round = 0; round < 7; ++round) {
        double start = now_ns();
        for (long i = 0; i < iterations; ++i) {
            if (steps_variant) {
                werun_step *steps = NULL;
                size_t len = 0;
                int64_t timestamp = 0;
                if (werun_we_run_data_decrypt(argv[1], argv[2], argv[3], argv[4], &steps, &len, &timestamp) != WERUN_OK) {
                    fprintf(stderr, "decrypt failed: %s\n", werun_last_error());
                    exit(1);
                }
                werun_steps_free(steps, len);
            } else {
                char *json = NULL;
                if (werun_open_data_decrypt(argv[1], argv[2], argv[3], argv[4], &json) != WERUN_OK) {
                    fprintf(stderr, "decrypt failed: %s\n", werun_last_error());
                    exit(1);
                }
                werun_string_free(json);
            }
        }
        rounds[round] = (now_ns() - start) / (double)iterations;
    }
    qsort(rounds, 7, sizeof rounds[0], compare_doubles);
    return rounds[3];
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: decrypt <session_key> <encrypted_data> <iv> <appid> <iterations>\n");
        return 2;
    }
    long iterations = atol(argv[5]);
    median_ns_per_call(1, argv, iterations / 10 + 1); /* warm-up */
    double steps = median_ns_per_call(1, argv, iterations);
    double open = median_ns_per_call(0, argv, iterations);
    printf("{\"weRunDataDecrypt\": %.1f, \"openDataDecrypt\": %.1f}\n", steps, open);
    return 0;
}
