/*
 * A complete native host for werun, in C: what a platform bridge does.
 *
 * The host is the app's step source. werun calls its hooks with a request id;
 * the host answers with werun_request_* (here from another thread, as a host
 * reading a health store would), and werun completes the app's calls with
 * WeChat's results. The end plays the backend: it decrypts what
 * getWeRunData sealed, as the app's server would with the session key.
 *
 * Build and run (from the repository root; docs/guides/c-host.md explains):
 *   cargo build --release --no-default-features --lib
 *   cc -std=c11 -I include examples/c_host.c target/release/libwerun.a \
 *      -lpthread -ldl -lm -o c_host && ./c_host
 *
 * tests/c/run.sh builds it as C and as C++ and runs it, also under valgrind
 * and ASan/UBSan.
 */
#define _POSIX_C_SOURCE 200809L
#include "werun.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define APPID "wx4f4bc4dec97d474b"
/* What the backend's code2Session would return for the login code. */
#define SESSION_KEY "tiihtNczf5v6AKRyjwEUhQ=="

/* ---- The host: hooks hand requests to a worker thread that answers them --- */

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    uint64_t login;     /* a pending login request, or 0 */
    uint64_t get_steps; /* a pending get_steps request, or 0 */
    int stopping;
} host_queue;

/* Hooks run on whatever thread called into werun, with no werun lock held;
 * they must not block. These only queue the request. */
static void on_login(void *host_data, uint64_t request) {
    host_queue *queue = (host_queue *)host_data;
    pthread_mutex_lock(&queue->lock);
    queue->login = request;
    pthread_cond_signal(&queue->changed);
    pthread_mutex_unlock(&queue->lock);
}

static void on_get_steps(void *host_data, uint64_t request) {
    host_queue *queue = (host_queue *)host_data;
    pthread_mutex_lock(&queue->lock);
    queue->get_steps = request;
    pthread_cond_signal(&queue->changed);
    pthread_mutex_unlock(&queue->lock);
}

/* Runs once, when the host is replaced or its context freed. */
static void on_release(void *host_data) {
    host_queue *queue = (host_queue *)host_data;
    pthread_mutex_lock(&queue->lock);
    queue->stopping = 1;
    pthread_cond_signal(&queue->changed);
    pthread_mutex_unlock(&queue->lock);
}

/* The host's own thread: asks "the backend" for a login, reads "the health
 * store" for steps, and answers werun. Answers may come from any thread. */
static void *answer_requests(void *argument) {
    host_queue *queue = (host_queue *)argument;
    pthread_mutex_lock(&queue->lock);
    while (!queue->stopping) {
        uint64_t login = queue->login, get_steps = queue->get_steps;
        queue->login = queue->get_steps = 0;
        if (login == 0 && get_steps == 0) {
            pthread_cond_wait(&queue->changed, &queue->lock);
            continue;
        }
        pthread_mutex_unlock(&queue->lock);
        if (login != 0) {
            werun_request_answer_login(login, "081example", SESSION_KEY, 7200);
        }
        if (get_steps != 0) {
            /* Daily totals, one sample per day at noon; any instant of a
             * day will do: werun sums samples per day. */
            werun_step days[31];
            int64_t now = (int64_t)time(NULL);
            for (int i = 0; i < 31; ++i) {
                days[i].timestamp = now - (int64_t)(30 - i) * 86400;
                days[i].step = 3000 + (i * 7919) % 9000;
            }
            if (werun_request_answer_steps(get_steps, days, 31) != WERUN_OK) {
                fprintf(stderr, "steps refused: %s\n", werun_last_error());
            }
        }
        pthread_mutex_lock(&queue->lock);
    }
    pthread_mutex_unlock(&queue->lock);
    return NULL;
}

/* ---- The app: calls with callbacks, waiting for complete ------------------ */

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t done;
    int complete;
    char err_msg[256];
    char *encrypted_data; /* copied: the result is borrowed */
    char *iv;
} call_result;

static char *copy_string(const char *text) {
    if (text == NULL) return NULL;
    size_t length = strlen(text) + 1;
    char *copy = (char *)malloc(length);
    if (copy != NULL) memcpy(copy, text, length);
    return copy;
}

/* `complete` runs exactly once per call, on any thread. */
static void on_complete(void *user_data, const werun_result *result) {
    call_result *call = (call_result *)user_data;
    pthread_mutex_lock(&call->lock);
    snprintf(call->err_msg, sizeof call->err_msg, "%s", result->err_msg);
    call->encrypted_data = copy_string(result->encrypted_data);
    call->iv = copy_string(result->iv);
    call->complete = 1;
    pthread_cond_signal(&call->done);
    pthread_mutex_unlock(&call->lock);
}

typedef werun_status (*call_function)(werun_context *, const werun_callbacks *, uint64_t *);

/* Starts a call and waits for its result; 0 on success. */
static int run_call(werun_context *ctx, call_function start, call_result *call) {
    memset(call, 0, sizeof *call);
    pthread_mutex_init(&call->lock, NULL);
    pthread_cond_init(&call->done, NULL);
    werun_callbacks callbacks = {call, NULL, NULL, on_complete};
    werun_status status = start(ctx, &callbacks, NULL);
    if (status != WERUN_OK) { /* then no callback ever runs */
        fprintf(stderr, "the call was refused: %s\n", werun_last_error());
        return 1;
    }
    pthread_mutex_lock(&call->lock);
    while (!call->complete) pthread_cond_wait(&call->done, &call->lock);
    pthread_mutex_unlock(&call->lock);
    return 0;
}

static void free_call(call_result *call) {
    free(call->encrypted_data);
    free(call->iv);
    pthread_cond_destroy(&call->done);
    pthread_mutex_destroy(&call->lock);
}

int main(void) {
    werun_context *ctx = NULL;
    if (werun_context_new(APPID, &ctx) != WERUN_OK) {
        fprintf(stderr, "werun_context_new: %s\n", werun_last_error());
        return 1;
    }

    host_queue queue;
    memset(&queue, 0, sizeof queue);
    pthread_mutex_init(&queue.lock, NULL);
    pthread_cond_init(&queue.changed, NULL);
    pthread_t answerer;
    pthread_create(&answerer, NULL, answer_requests, &queue);

    /* No authorize hook: scope.werun counts as granted. */
    werun_host host = {&queue, on_login, NULL, on_get_steps, NULL, on_release};
    werun_context_set_host(ctx, &host);

    int failed = 0;
    call_result login, data;
    failed |= run_call(ctx, werun_login, &login);
    printf("login        -> %s\n", login.err_msg);
    failed |= run_call(ctx, werun_get_we_run_data, &data);
    printf("getWeRunData -> %s\n", data.err_msg);

    /* The backend's side: decrypt with the session key, check the appid. */
    if (data.encrypted_data != NULL) {
        werun_step *steps = NULL;
        size_t days = 0;
        int64_t sealed_at = 0;
        if (werun_we_run_data_decrypt(SESSION_KEY, data.encrypted_data, data.iv, APPID, &steps, &days,
                                      &sealed_at) == WERUN_OK) {
            int64_t total = 0;
            for (size_t i = 0; i < days; ++i) total += steps[i].step;
            printf("backend      -> %zu days, %lld steps, today %lld\n", days, (long long)total,
                   days > 0 ? (long long)steps[days - 1].step : 0LL);
            werun_steps_free(steps, days);
        } else {
            fprintf(stderr, "decrypt: %s\n", werun_last_error());
            failed = 1;
        }
    } else {
        failed = 1;
    }
    free_call(&login);
    free_call(&data);

    /* Cancels anything in flight, then releases the host (on_release). */
    werun_context_free(ctx);
    pthread_join(answerer, NULL);
    pthread_cond_destroy(&queue.changed);
    pthread_mutex_destroy(&queue.lock);
    return failed;
}
