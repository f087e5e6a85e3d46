/*
 * What a C backend or native host would write instead of werun, for
 * bench/callgrind.sh: WeChat's published open-data algorithm (WXBizDataCrypt)
 * with OpenSSL's EVP API and cJSON, written from the algorithm:
 *
 *   decrypt: base64-decode the session key, iv and encryptedData
 *            (EVP_DecodeBlock), AES-128-CBC decrypt with PKCS#7 (EVP), parse
 *            the JSON (cJSON), check watermark.appid, read stepInfoList into
 *            an array of {timestamp, step}.
 *   seal:    the reverse, as werun seals: a fresh IV (RAND_bytes), AES-128-CBC
 *            with PKCS#7, base64 (EVP_EncodeBlock); for 31 days, first sum the
 *            raw samples per UTC+8 day and serialise them with cJSON (or,
 *            the floor, with snprintf).
 *
 * cJSON (libcjson-dev) rather than json-c (libjson-c-dev): it is the JSON
 * library OpenHarmony ships to native code (third_party/cJSON) and the usual
 * choice in embedded and mobile C, and it is the cheaper, harder baseline of
 * the two: a plain DOM without json-c's reference counts and hash tables.
 * Parsing this 31-day plaintext, walking it and freeing it took 131 000
 * instructions with cJSON 1.7.15 and 222 000 with json-c 0.16 (callgrind,
 * Debian 12).
 *
 * Kind to OpenSSL: the AES-128-CBC implementation is fetched once
 * (EVP_CIPHER_fetch), not looked up per call as EVP_aes_128_cbc() does.
 *
 * Every mode first checks its work against werun's through the C ABI and
 * exits 3 on a mismatch, so a comparison never compares different work.
 *
 * Usage:
 *   wxbiz_openssl payload                         -> encryptedData, iv, plaintext (3 lines)
 *   wxbiz_openssl decrypt <key> <data> <iv> <appid> <iterations>
 *   wxbiz_openssl seal-json <key> <json> <iterations>
 *   wxbiz_openssl seal-days <key> <appid> <iterations>
 *   wxbiz_openssl seal-days-printf <key> <appid> <iterations>  (JSON by snprintf)
 * The payload is sealed from werun_days.h's fixture; `decrypt` takes the
 * same arguments as bench/c/decrypt.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "werun.h"
#include "werun_days.h"

#include <cJSON.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum wx_error {
    WX_OK = 0,
    WX_BAD_ARGUMENT, /* not base64, wrong key or iv length, ciphertext not blocks */
    WX_DECRYPT,      /* bad padding, or not JSON */
    WX_WATERMARK,    /* watermark.appid missing or another app's */
    WX_BAD_DATA,     /* stepInfoList missing or malformed */
    WX_OPENSSL,
};

static EVP_CIPHER *aes_128_cbc;

/* ---- base64 ---------------------------------------------------------------- */

/*
 * EVP_DecodeBlock decodes whole 4-character groups and counts '=' padding as
 * zero bytes in its result, so the padding is subtracted here. It rejects
 * characters outside the standard alphabet (returns -1). `out` needs
 * strlen(in) / 4 * 3 bytes. Returns the decoded length, or -1.
 */
static int b64_decode(const char *in, size_t in_len, unsigned char *out) {
    if (in_len == 0 || in_len % 4 != 0 || in_len > INT32_MAX) return -1;
    int len = EVP_DecodeBlock(out, (const unsigned char *)in, (int)in_len);
    if (len < 0) return -1;
    if (in[in_len - 1] == '=') --len;
    if (in[in_len - 2] == '=') --len;
    return len;
}

/* A 16-byte key or iv: 24 base64 characters ending "==". */
static int b64_decode_16(const char *in, unsigned char out[16]) {
    unsigned char buffer[18];
    size_t in_len = strlen(in);
    if (in_len != 24 || b64_decode(in, in_len, buffer) != 16) return -1;
    memcpy(out, buffer, 16);
    OPENSSL_cleanse(buffer, sizeof buffer);
    return 0;
}

/* NUL-terminated standard base64 with padding, no newlines; free() it. */
static char *b64_encode(const unsigned char *in, int in_len) {
    char *out = malloc(4 * (((size_t)in_len + 2) / 3) + 1);
    if (out != NULL) EVP_EncodeBlock((unsigned char *)out, in, in_len);
    return out;
}

/* ---- AES-128-CBC with PKCS#7 ------------------------------------------------ */

/* Returns the plaintext (NUL-terminated, *out_len bytes; free() it), or NULL. */
static unsigned char *cbc_decrypt(const unsigned char key[16], const unsigned char iv[16], const unsigned char *in,
                                  int in_len, int *out_len) {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    unsigned char *out = malloc((size_t)in_len + 16 + 1);
    int update_len = 0, final_len = 0;
    if (ctx == NULL || out == NULL || !EVP_DecryptInit_ex2(ctx, aes_128_cbc, key, iv, NULL) ||
        !EVP_DecryptUpdate(ctx, out, &update_len, in, in_len) ||
        !EVP_DecryptFinal_ex(ctx, out + update_len, &final_len)) { /* bad padding */
        EVP_CIPHER_CTX_free(ctx);
        free(out);
        ERR_clear_error();
        return NULL;
    }
    EVP_CIPHER_CTX_free(ctx);
    *out_len = update_len + final_len;
    out[*out_len] = '\0';
    return out;
}

/* Returns the ciphertext (*out_len bytes; free() it), or NULL. */
static unsigned char *cbc_encrypt(const unsigned char key[16], const unsigned char iv[16], const unsigned char *in,
                                  int in_len, int *out_len) {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    unsigned char *out = malloc((size_t)in_len + 16);
    int update_len = 0, final_len = 0;
    if (ctx == NULL || out == NULL || !EVP_EncryptInit_ex2(ctx, aes_128_cbc, key, iv, NULL) ||
        !EVP_EncryptUpdate(ctx, out, &update_len, in, in_len) ||
        !EVP_EncryptFinal_ex(ctx, out + update_len, &final_len)) {
        EVP_CIPHER_CTX_free(ctx);
        free(out);
        return NULL;
    }
    EVP_CIPHER_CTX_free(ctx);
    *out_len = update_len + final_len;
    return out;
}

/* ---- WXBizDataCrypt decrypt, WeRun payload -------------------------------- */

typedef struct wx_we_run {
    bench_day *days; /* free() it */
    size_t len;
    int64_t watermark_timestamp;
} wx_we_run;

/* An integral JSON number that fits an int64_t (cJSON keeps numbers as doubles). */
static int json_int64(const cJSON *item, int64_t *out) {
    if (!cJSON_IsNumber(item)) return 0;
    double value = item->valuedouble;
    if (!(value >= -9223372036854775808.0 && value < 9223372036854775808.0)) return 0;
    int64_t integer = (int64_t)value;
    if ((double)integer != value) return 0;
    *out = integer;
    return 1;
}

static enum wx_error wx_we_run_decrypt(const char *session_key, const char *encrypted_data, const char *iv,
                                       const char *appid, wx_we_run *out) {
    unsigned char key_bytes[16], iv_bytes[16];
    if (b64_decode_16(session_key, key_bytes) != 0 || b64_decode_16(iv, iv_bytes) != 0) return WX_BAD_ARGUMENT;

    size_t data_len = strlen(encrypted_data);
    unsigned char *ciphertext = malloc(data_len / 4 * 3 + 1);
    if (ciphertext == NULL) return WX_OPENSSL;
    int ciphertext_len = b64_decode(encrypted_data, data_len, ciphertext);
    if (ciphertext_len <= 0 || ciphertext_len % 16 != 0) {
        free(ciphertext);
        OPENSSL_cleanse(key_bytes, sizeof key_bytes);
        return WX_BAD_ARGUMENT;
    }
    int plaintext_len = 0;
    unsigned char *plaintext = cbc_decrypt(key_bytes, iv_bytes, ciphertext, ciphertext_len, &plaintext_len);
    OPENSSL_cleanse(key_bytes, sizeof key_bytes);
    free(ciphertext);
    if (plaintext == NULL) return WX_DECRYPT;

    cJSON *root = cJSON_ParseWithLength((const char *)plaintext, (size_t)plaintext_len);
    free(plaintext);
    if (root == NULL) return WX_DECRYPT;

    enum wx_error error = WX_OK;
    const cJSON *watermark = cJSON_GetObjectItemCaseSensitive(root, "watermark");
    const cJSON *watermark_appid = cJSON_GetObjectItemCaseSensitive(watermark, "appid");
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "stepInfoList");
    int64_t watermark_timestamp = 0;
    if (!cJSON_IsString(watermark_appid) || strcmp(watermark_appid->valuestring, appid) != 0) {
        error = WX_WATERMARK;
    } else if (!cJSON_IsArray(list) ||
               !json_int64(cJSON_GetObjectItemCaseSensitive(watermark, "timestamp"), &watermark_timestamp)) {
        error = WX_BAD_DATA;
    } else {
        size_t len = (size_t)cJSON_GetArraySize(list);
        bench_day *days = malloc((len ? len : 1) * sizeof *days);
        size_t i = 0;
        const cJSON *entry;
        cJSON_ArrayForEach(entry, list) {
            if (days == NULL ||
                !json_int64(cJSON_GetObjectItemCaseSensitive(entry, "timestamp"), &days[i].timestamp) ||
                !json_int64(cJSON_GetObjectItemCaseSensitive(entry, "step"), &days[i].step) || days[i].step < 0) {
                error = WX_BAD_DATA;
                break;
            }
            ++i;
        }
        if (error == WX_OK) {
            out->days = days;
            out->len = len;
            out->watermark_timestamp = watermark_timestamp;
        } else {
            free(days);
        }
    }
    cJSON_Delete(root);
    return error;
}

/* ---- seal ------------------------------------------------------------------- */

typedef struct wx_sealed {
    char *encrypted_data; /* free() both */
    char *iv;
} wx_sealed;

/* Encrypts `plaintext` under a fresh IV; both outputs base64. */
static enum wx_error seal_bytes(const unsigned char key[16], const unsigned char *plaintext, int plaintext_len,
                                wx_sealed *out) {
    unsigned char iv[16];
    if (RAND_bytes(iv, sizeof iv) != 1) return WX_OPENSSL;
    int ciphertext_len = 0;
    unsigned char *ciphertext = cbc_encrypt(key, iv, plaintext, plaintext_len, &ciphertext_len);
    if (ciphertext == NULL) return WX_OPENSSL;
    out->encrypted_data = b64_encode(ciphertext, ciphertext_len);
    out->iv = b64_encode(iv, sizeof iv);
    free(ciphertext);
    return out->encrypted_data && out->iv ? WX_OK : WX_OPENSSL;
}

/* As werun_open_data_encrypt: a base64 key, and `json` must be valid JSON. */
static enum wx_error wx_seal_json(const char *session_key, const char *json, wx_sealed *out) {
    unsigned char key[16];
    if (b64_decode_16(session_key, key) != 0) return WX_BAD_ARGUMENT;
    size_t json_len = strlen(json);
    cJSON *parsed = cJSON_ParseWithLength(json, json_len);
    if (parsed == NULL) return WX_BAD_ARGUMENT;
    cJSON_Delete(parsed);
    enum wx_error error = seal_bytes(key, (const unsigned char *)json, (int)json_len, out);
    OPENSSL_cleanse(key, sizeof key);
    return error;
}

/*
 * Sums raw samples into their UTC+8 days, the 31 ending today, oldest first;
 * returns the first day's number (days since the epoch, local).
 */
static int64_t sum_per_day(const bench_day *samples, size_t len, int64_t now, int64_t steps[BENCH_DAYS]) {
    int64_t first_day = bench_floor_div(now + BENCH_UTC_OFFSET_SECONDS, BENCH_DAY_SECONDS) - (BENCH_DAYS - 1);
    memset(steps, 0, BENCH_DAYS * sizeof steps[0]);
    for (size_t i = 0; i < len; ++i) {
        int64_t day = bench_floor_div(samples[i].timestamp + BENCH_UTC_OFFSET_SECONDS, BENCH_DAY_SECONDS) - first_day;
        if (day >= 0 && day < BENCH_DAYS) steps[day] += samples[i].step;
    }
    return first_day;
}

/*
 * The 31-day compact JSON WeChat seals, from raw samples: each summed into
 * its UTC+8 day, the 31 days ending today, oldest first; then the watermark.
 * NULL on failure; free() it.
 */
static char *we_run_plaintext(const bench_day *samples, size_t len, int64_t now, const char *appid) {
    int64_t steps[BENCH_DAYS];
    int64_t first_day = sum_per_day(samples, len, now, steps);
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "stepInfoList");
    for (int day = 0; list != NULL && day < BENCH_DAYS; ++day) {
        cJSON *entry = cJSON_CreateObject();
        cJSON_AddItemToArray(list, entry);
        cJSON_AddNumberToObject(entry, "timestamp",
                                (double)((first_day + day) * BENCH_DAY_SECONDS - BENCH_UTC_OFFSET_SECONDS));
        cJSON_AddNumberToObject(entry, "step", (double)steps[day]);
    }
    cJSON *watermark = cJSON_AddObjectToObject(root, "watermark");
    cJSON_AddNumberToObject(watermark, "timestamp", (double)now);
    cJSON_AddStringToObject(watermark, "appid", appid);
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return text;
}

/*
 * The same text written with snprintf instead of cJSON, the floor of the C
 * alternative (cJSON 1.7.15 prints every number with "%1.15g" and reads it
 * back with sscanf). `appid` must need no JSON escaping (json_plain).
 */
static char *we_run_plaintext_printf(const bench_day *samples, size_t len, int64_t now, const char *appid) {
    int64_t steps[BENCH_DAYS];
    int64_t first_day = sum_per_day(samples, len, now, steps);
    size_t size = 128 + strlen(appid) + BENCH_DAYS * 72, used = 0;
    char *text = malloc(size);
    if (text == NULL) return NULL;
    used += (size_t)snprintf(text, size, "{\"stepInfoList\":[");
    for (int day = 0; day < BENCH_DAYS; ++day) {
        used += (size_t)snprintf(text + used, size - used, "%s{\"timestamp\":%lld,\"step\":%lld}", day ? "," : "",
                                 (long long)((first_day + day) * BENCH_DAY_SECONDS - BENCH_UTC_OFFSET_SECONDS),
                                 (long long)steps[day]);
    }
    snprintf(text + used, size - used, "],\"watermark\":{\"timestamp\":%lld,\"appid\":\"%s\"}}", (long long)now,
             appid);
    return text;
}

/* Nothing in `text` that JSON would escape. */
static int json_plain(const char *text) {
    for (; *text; ++text)
        if (*text == '"' || *text == '\\' || (unsigned char)*text < 0x20) return 0;
    return 1;
}

/*
 * As werun seals getWeRunData's answer: the key was decoded once, at login.
 * `use_printf`: the JSON by we_run_plaintext_printf instead of cJSON.
 */
static enum wx_error wx_seal_days(const unsigned char key[16], const bench_day *samples, size_t len, const char *appid,
                                  int use_printf, wx_sealed *out) {
    int64_t now = (int64_t)time(NULL);
    char *plaintext = use_printf ? we_run_plaintext_printf(samples, len, now, appid)
                                 : we_run_plaintext(samples, len, now, appid);
    if (plaintext == NULL) return WX_OPENSSL;
    enum wx_error error = seal_bytes(key, (const unsigned char *)plaintext, (int)strlen(plaintext), out);
    free(plaintext);
    return error;
}

static void sealed_free(wx_sealed *sealed) {
    free(sealed->encrypted_data);
    free(sealed->iv);
}

/* ---- checks against werun ---------------------------------------------------- */

static void die(const char *what, int code) {
    fprintf(stderr, "wxbiz_openssl: %s\n", what);
    exit(code);
}

/* Decrypts with both, and exits 3 unless both give the same days and time. */
static void check_same_as_werun(const char *key, const char *data, const char *iv, const char *appid,
                                const bench_day *want) {
    wx_we_run mine = {0};
    enum wx_error error = wx_we_run_decrypt(key, data, iv, appid, &mine);
    if (error != WX_OK) {
        fprintf(stderr, "wxbiz_openssl: OpenSSL+cJSON decrypt failed: error %d\n", (int)error);
        exit(3);
    }
    werun_step *steps = NULL;
    size_t len = 0;
    int64_t timestamp = 0;
    if (werun_we_run_data_decrypt(key, data, iv, appid, &steps, &len, &timestamp) != WERUN_OK) {
        fprintf(stderr, "wxbiz_openssl: werun decrypt failed: %s\n", werun_last_error());
        exit(3);
    }
    int mismatch = len != BENCH_DAYS ||
                   bench_check_days("OpenSSL+cJSON vs werun", mine.days, mine.len, (const bench_day *)steps) ||
                   mine.watermark_timestamp != timestamp;
    if (want != NULL) mismatch = mismatch || bench_check_days("werun vs the fixture", steps, len, want);
    werun_steps_free(steps, len);
    free(mine.days);
    if (mismatch) die("OpenSSL+cJSON and werun disagree on the payload", 3);
}

/* ---- main ---------------------------------------------------------------------- */

static long iterations_arg(const char *text) {
    char *end = NULL;
    long n = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || n < 0) die("iterations must be a non-negative integer", 2);
    return n;
}

int main(int argc, char **argv) {
    aes_128_cbc = EVP_CIPHER_fetch(NULL, "AES-128-CBC", NULL);
    if (aes_128_cbc == NULL) die("OpenSSL has no AES-128-CBC", 1);
    const char *mode = argc > 1 ? argv[1] : "";

    if (strcmp(mode, "payload") == 0 && argc == 2) {
        int64_t now = (int64_t)time(NULL);
        bench_day samples[BENCH_DAYS], want[BENCH_DAYS];
        bench_samples(now, samples);
        bench_expected_days(now, want);
        unsigned char key[16];
        if (b64_decode_16(BENCH_SESSION_KEY, key) != 0) die("bad fixture key", 1);
        char *plaintext = we_run_plaintext(samples, BENCH_DAYS, now, BENCH_APPID);
        wx_sealed sealed = {0};
        if (plaintext == NULL || seal_bytes(key, (const unsigned char *)plaintext, (int)strlen(plaintext), &sealed))
            die("sealing the payload failed", 1);
        check_same_as_werun(BENCH_SESSION_KEY, sealed.encrypted_data, sealed.iv, BENCH_APPID, want);
        printf("%s\n%s\n%s\n", sealed.encrypted_data, sealed.iv, plaintext);
        sealed_free(&sealed);
        free(plaintext);
    } else if (strcmp(mode, "decrypt") == 0 && argc == 7) {
        const char *key = argv[2], *data = argv[3], *iv = argv[4], *appid = argv[5];
        long iterations = iterations_arg(argv[6]);
        check_same_as_werun(key, data, iv, appid, NULL);
        for (long i = 0; i < iterations; ++i) {
            wx_we_run result;
            if (wx_we_run_decrypt(key, data, iv, appid, &result) != WX_OK) die("decrypt failed", 1);
            free(result.days);
        }
    } else if (strcmp(mode, "seal-json") == 0 && argc == 5) {
        const char *key = argv[2], *json = argv[3];
        long iterations = iterations_arg(argv[4]);
        /* werun must read back what this sealed: the same plaintext, byte for byte. */
        wx_sealed sealed = {0};
        char *opened = NULL;
        if (wx_seal_json(key, json, &sealed) != WX_OK) die("seal-json failed", 1);
        if (werun_open_data_decrypt(key, sealed.encrypted_data, sealed.iv, NULL, &opened) != WERUN_OK ||
            strcmp(opened, json) != 0)
            die("werun does not read back what OpenSSL sealed", 3);
        werun_string_free(opened);
        sealed_free(&sealed);
        for (long i = 0; i < iterations; ++i) {
            if (wx_seal_json(key, json, &sealed) != WX_OK) die("seal-json failed", 1);
            sealed_free(&sealed);
        }
    } else if ((strcmp(mode, "seal-days") == 0 || strcmp(mode, "seal-days-printf") == 0) && argc == 5) {
        int use_printf = strcmp(mode, "seal-days-printf") == 0;
        const char *appid = argv[3];
        long iterations = iterations_arg(argv[4]);
        unsigned char key[16];
        if (b64_decode_16(argv[2], key) != 0) die("bad session key", 2);
        if (use_printf && !json_plain(appid)) die("seal-days-printf: the appid would need JSON escaping", 2);
        int64_t now = (int64_t)time(NULL);
        bench_day samples[BENCH_DAYS], want[BENCH_DAYS];
        bench_samples(now, samples);
        bench_expected_days(now, want);
        if (use_printf) { /* byte for byte what cJSON writes */
            char *by_cjson = we_run_plaintext(samples, BENCH_DAYS, now, appid);
            char *by_printf = we_run_plaintext_printf(samples, BENCH_DAYS, now, appid);
            if (by_cjson == NULL || by_printf == NULL || strcmp(by_cjson, by_printf) != 0)
                die("snprintf and cJSON write different JSON", 3);
            free(by_cjson);
            free(by_printf);
        }
        wx_sealed sealed = {0};
        if (wx_seal_days(key, samples, BENCH_DAYS, appid, use_printf, &sealed) != WX_OK) die("seal-days failed", 1);
        check_same_as_werun(argv[2], sealed.encrypted_data, sealed.iv, appid, want);
        sealed_free(&sealed);
        for (long i = 0; i < iterations; ++i) {
            if (wx_seal_days(key, samples, BENCH_DAYS, appid, use_printf, &sealed) != WX_OK)
                die("seal-days failed", 1);
            sealed_free(&sealed);
        }
    } else {
        fprintf(stderr,
                "usage: wxbiz_openssl payload\n"
                "       wxbiz_openssl decrypt <session_key> <encrypted_data> <iv> <appid> <iterations>\n"
                "       wxbiz_openssl seal-json <session_key> <json> <iterations>\n"
                "       wxbiz_openssl seal-days <session_key> <appid> <iterations>\n"
                "       wxbiz_openssl seal-days-printf <session_key> <appid> <iterations>\n");
        return 2;
    }
    EVP_CIPHER_free(aes_128_cbc);
    return 0;
}
