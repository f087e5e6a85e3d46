//! Stress through the C ABI: many threads doing random things at once to a
//! few contexts (calls of all kinds, host answers and second answers,
//! cancels, short timeouts, logouts, and frees racing everything), then
//! every call that was accepted must have had exactly one of success or fail
//! and exactly one complete, calls past the max in flight included (they
//! fail with BUSY before the call function returns). Also:
//! creating and freeing 10 000 contexts leaves no thread behind.
//!
//! `WERUN_STRESS_OPS` sets the number of operations (default 400 000; the
//! figures in docs/RELIABILITY.md come from scripts/reliability.sh, which
//! runs more, optimised).

mod common;

use std::ffi::{CString, c_void};
use std::ptr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};
use std::thread;

use common::*;

const THREADS: usize = 8;
const SLOTS: usize = 4;

fn ops_from_env() -> usize {
    std::env::var("WERUN_STRESS_OPS")
        .ok()
        .and_then(|ops| ops.parse().ok())
        .unwrap_or(400_000)
}

/// A small, fast, seedable generator; the stress needs spread, not quality.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Counts one call's callbacks.
#[derive(Default)]
struct Counts {
    success: AtomicU32,
    fail: AtomicU32,
    complete: AtomicU32,
    /// Fails with BUSY.
    busy: AtomicU32,
}

unsafe extern "C" fn count_success(user_data: *mut c_void, _: *const werun_result) {
    // SAFETY: user_data is a leaked &'static Counts.
    unsafe { &*user_data.cast::<Counts>() }
        .success
        .fetch_add(1, Ordering::SeqCst);
}

unsafe extern "C" fn count_fail(user_data: *mut c_void, result: *const werun_result) {
    // SAFETY: as above; werun passes a result live during the callback.
    let (counts, result) = unsafe { (&*user_data.cast::<Counts>(), &*result) };
    counts.fail.fetch_add(1, Ordering::SeqCst);
    if result.status == WERUN_ERR_BUSY as u32 {
        counts.busy.fetch_add(1, Ordering::SeqCst);
    }
}

unsafe extern "C" fn count_complete(user_data: *mut c_void, _: *const werun_result) {
    // SAFETY: as above.
    unsafe { &*user_data.cast::<Counts>() }
        .complete
        .fetch_add(1, Ordering::SeqCst);
}

/// The host of one slot: its hooks queue the request ids.
#[derive(Default)]
struct Requests(Mutex<Vec<(u8, u64)>>);

const LOGIN: u8 = 0;
const AUTHORIZE: u8 = 1;
const GET_STEPS: u8 = 2;

fn queue(host_data: *mut c_void, kind: u8, request: u64) {
    // SAFETY: host_data is a leaked &'static Requests.
    lock(&unsafe { &*host_data.cast::<Requests>() }.0).push((kind, request));
}

unsafe extern "C" fn queue_login(host_data: *mut c_void, request: u64) {
    queue(host_data, LOGIN, request);
}

unsafe extern "C" fn queue_authorize(host_data: *mut c_void, request: u64) {
    queue(host_data, AUTHORIZE, request);
}

unsafe extern "C" fn queue_get_steps(host_data: *mut c_void, request: u64) {
    queue(host_data, GET_STEPS, request);
}

struct ContextPtr(*mut werun_context);
// SAFETY: contexts may be used from any thread; free takes the slot's write lock.
unsafe impl Send for ContextPtr {}
// SAFETY: as above.
unsafe impl Sync for ContextPtr {}

/// A context that a thread may free and replace while others use it: users
/// hold the read lock, a free holds the write lock, as the ABI requires.
struct Slot {
    ctx: RwLock<ContextPtr>,
    requests: &'static Requests,
}

fn new_context(requests: &'static Requests) -> ContextPtr {
    let appid = CString::new(APPID).unwrap();
    let mut ctx = ptr::null_mut();
    // SAFETY: valid string and out-param.
    assert_eq!(
        unsafe { werun_context_new(appid.as_ptr(), &mut ctx) },
        WERUN_OK
    );
    let host = werun_host {
        host_data: ptr::from_ref(requests).cast_mut().cast(),
        login: Some(queue_login),
        authorize: Some(queue_authorize),
        get_steps: Some(queue_get_steps),
        authorization_changed: None,
        release: None,
    };
    // SAFETY: live context, readable host; the host data is 'static.
    unsafe {
        assert_eq!(werun_context_set_host(ctx, &host), WERUN_OK);
        assert_eq!(werun_context_set_timeout_ms(ctx, 200), WERUN_OK);
        assert_eq!(werun_context_set_max_in_flight(ctx, 16), WERUN_OK);
    }
    ContextPtr(ctx)
}

/// Every call started, with what its call function returned.
static STARTED: Mutex<Vec<(werun_status, &'static Counts)>> = Mutex::new(Vec::new());
static CALL_IDS: Mutex<Vec<u64>> = Mutex::new(Vec::new());
static STALE_SECOND_ANSWERS: AtomicU64 = AtomicU64::new(0);
/// The two tests take turns: one counts the threads the other starts.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn answer(rng: &mut XorShift, kind: u8, request: u64) -> werun_status {
    match kind {
        LOGIN => answer_login(request, "code", Some(SESSION_KEY), 0),
        AUTHORIZE => answer_authorize(request, u32::from(rng.below(4) != 0)),
        _ => match rng.below(4) {
            0 => answer_sealed(request, ZERO_IV, ZERO_IV, None),
            1 => fail_request(request, WERUN_ERR_HOST, Some("sensor busy")),
            _ => answer_steps(request, &[step(unix_now(), rng.below(10_000) as i64)]),
        },
    }
}

fn act(slots: &[Slot], rng: &mut XorShift) {
    let slot = &slots[rng.below(SLOTS)];
    match rng.below(100) {
        0..=49 => {
            let ctx = slot.ctx.read().unwrap();
            let api = match rng.below(10) {
                0..=5 => werun_get_we_run_data,
                6..=8 => werun_login,
                _ => werun_check_session,
            };
            let counts: &'static Counts = Box::leak(Box::default());
            let callbacks = werun_callbacks {
                user_data: ptr::from_ref(counts).cast_mut().cast(),
                success: Some(count_success),
                fail: Some(count_fail),
                complete: Some(count_complete),
            };
            let mut call = 0;
            // SAFETY: live context (read lock held), readable callbacks.
            let status = unsafe { api(ctx.0, &callbacks, &mut call) };
            lock(&STARTED).push((status, counts));
            if status == WERUN_OK {
                lock(&CALL_IDS).push(call);
            }
        }
        50..=79 => {
            let taken = {
                let mut requests = lock(&slot.requests.0);
                (!requests.is_empty()).then(|| {
                    let index = rng.below(requests.len());
                    requests.swap_remove(index)
                })
            };
            if let Some((kind, request)) = taken {
                let first = answer(rng, kind, request);
                assert!(
                    matches!(
                        first,
                        WERUN_OK | WERUN_ERR_STALE_REQUEST | WERUN_ERR_INVALID_DATA
                    ),
                    "{first:?}"
                );
                if rng.below(5) == 0 {
                    assert_eq!(
                        answer(rng, kind, request),
                        WERUN_ERR_STALE_REQUEST,
                        "a second answer"
                    );
                    STALE_SECOND_ANSWERS.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        80..=89 => {
            let call = {
                let calls = lock(&CALL_IDS);
                (!calls.is_empty()).then(|| calls[rng.below(calls.len())])
            };
            if let Some(call) = call {
                assert!(matches!(cancel(call), WERUN_OK | WERUN_ERR_STALE_REQUEST));
            }
        }
        90..=94 => {
            let ctx = slot.ctx.read().unwrap();
            // SAFETY: live context (read lock held).
            unsafe {
                match rng.below(3) {
                    0 => werun_context_set_timeout_ms(ctx.0, 1 + rng.below(300) as u32),
                    1 => werun_context_logout(ctx.0),
                    _ => werun_context_set_authorization(ctx.0, rng.below(3) as u32),
                };
            }
        }
        _ => {
            let mut ctx = slot.ctx.write().unwrap();
            let old = std::mem::replace(&mut *ctx, new_context(slot.requests));
            // SAFETY: the write lock excludes every other use of `old`.
            unsafe { werun_context_free(old.0) };
        }
    }
}

#[test]
fn every_call_completes_exactly_once_under_random_interleavings() {
    let _turn = lock(&ONE_AT_A_TIME);
    let ops = ops_from_env();
    let slots: Vec<Slot> = (0..SLOTS)
        .map(|_| {
            let requests: &'static Requests = Box::leak(Box::default());
            Slot {
                ctx: RwLock::new(new_context(requests)),
                requests,
            }
        })
        .collect();
    thread::scope(|scope| {
        for seed in 1..=THREADS as u64 {
            let slots = &slots;
            scope.spawn(move || {
                let mut rng = XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                for _ in 0..ops / THREADS {
                    act(slots, &mut rng);
                }
            });
        }
    });
    // Every thread has finished; each context is freed once.
    for slot in slots {
        let ctx = slot.ctx.into_inner().unwrap();
        // SAFETY: no other use remains; freed once.
        unsafe { werun_context_free(ctx.0) };
    }

    let started = lock(&STARTED);
    let (mut accepted, mut busy) = (0, 0);
    for (status, counts) in started.iter() {
        let [success, fail, complete, refused] = [
            &counts.success,
            &counts.fail,
            &counts.complete,
            &counts.busy,
        ]
        .map(|count| count.load(Ordering::SeqCst));
        assert_eq!(*status, WERUN_OK, "a call function returned {status:?}");
        accepted += 1;
        assert_eq!((success + fail, complete), (1, 1), "a call's callbacks");
        busy += refused;
    }
    eprintln!(
        "stress: {ops} operations on {THREADS} threads, {accepted} calls completed exactly once, \
         {busy} of them failed with BUSY, {} second answers stale",
        STALE_SECOND_ANSWERS.load(Ordering::Relaxed)
    );
    assert!(
        accepted > ops / 4,
        "the mix started too few calls: {accepted}"
    );
}

fn thread_count() -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|tasks| tasks.count())
        .unwrap_or(0)
}

#[test]
fn creating_and_freeing_10_000_contexts_leaves_no_thread_behind() {
    let _turn = lock(&ONE_AT_A_TIME);
    let requests: &'static Requests = Box::leak(Box::default());
    // The first request starts werun's one timer thread; count after it.
    // SAFETY (for the calls below): each context is live until freed once.
    let warm_up = new_context(requests);
    let mut call = 0;
    let callbacks = null_callbacks();
    unsafe {
        werun_login(warm_up.0, &callbacks, &mut call);
        werun_context_free(warm_up.0);
    }
    let before = thread_count();
    for _ in 0..10_000 {
        let ctx = new_context(requests);
        // SAFETY: live context; a pending login schedules a timeout, then
        // the free cancels it.
        unsafe {
            werun_login(ctx.0, &callbacks, &mut call);
            werun_context_free(ctx.0);
        }
    }
    lock(&requests.0).clear();
    let after = thread_count();
    assert!(before > 0, "/proc/self/task is readable");
    // A thread per context would show as thousands; the slack absorbs the
    // test harness's own threads coming and going meanwhile.
    assert!(
        after < before + 8,
        "{before} threads before, {after} after 10 000 contexts"
    );
    eprintln!("threads: {before} before, {after} after creating and freeing 10 000 contexts");
}
