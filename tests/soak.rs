//! Soak through the C ABI: many getWeRunData calls, each sealed, at steady
//! memory; and 10 000 calls in flight at once. Prints the resident set size
//! (RSS) as it goes.
//!
//! `WERUN_SOAK_CALLS` sets the number of calls (default 20 000);
//! scripts/test.sh and scripts/reliability.sh run one million, optimised,
//! for the figures in docs/RELIABILITY.md. The only bound checked here is a
//! leak's: after a warm-up tenth of the calls, RSS may not grow by more than
//! 16 MiB, where a leak of even 20 bytes a call over a million calls would
//! show as 19 MiB.

mod common;

use std::ffi::{CString, c_void};
use std::ptr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use common::*;

const MIB: f64 = 1024.0 * 1024.0;
const LEAK_BOUND_BYTES: u64 = 16 << 20;

fn calls_from_env() -> u64 {
    std::env::var("WERUN_SOAK_CALLS")
        .ok()
        .and_then(|calls| calls.parse().ok())
        .unwrap_or(20_000)
}

/// This process's resident set size, in bytes.
fn rss_bytes() -> u64 {
    let status =
        std::fs::read_to_string("/proc/self/status").expect("/proc/self/status is readable");
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status");
    kib * 1024
}

static COMPLETED: AtomicU64 = AtomicU64::new(0);
static SUCCEEDED: AtomicU64 = AtomicU64::new(0);

unsafe extern "C" fn count_success(_: *mut c_void, _: *const werun_result) {
    SUCCEEDED.fetch_add(1, Ordering::Relaxed);
}

unsafe extern "C" fn count_complete(_: *mut c_void, _: *const werun_result) {
    COMPLETED.fetch_add(1, Ordering::Relaxed);
}

const CALLBACKS: werun_callbacks = werun_callbacks {
    user_data: ptr::null_mut(),
    success: Some(count_success),
    fail: None,
    complete: Some(count_complete),
};

/// A native host that answers login and get_steps from inside its hooks, as
/// a host reading a local cache would; with `hold_steps`, it keeps the
/// get_steps request instead, for the caller to answer.
struct SyncHost {
    steps: Vec<werun_step>,
    hold_steps: bool,
    held: AtomicU64,
}

unsafe extern "C" fn answer_login_now(_: *mut c_void, request: u64) {
    answer_login(request, "code", Some(SESSION_KEY), 0);
}

unsafe extern "C" fn answer_steps_now(host_data: *mut c_void, request: u64) {
    // SAFETY: host_data is the &'static SyncHost set below.
    let host = unsafe { &*host_data.cast::<SyncHost>() };
    if host.hold_steps {
        host.held.store(request, Ordering::SeqCst);
    } else {
        answer_steps(request, &host.steps);
    }
}

fn context_with(host: &'static SyncHost) -> *mut werun_context {
    let appid = CString::new(APPID).unwrap();
    let mut ctx = ptr::null_mut();
    let werun_host = werun_host {
        host_data: ptr::from_ref(host).cast_mut().cast(),
        login: Some(answer_login_now),
        authorize: None,
        get_steps: Some(answer_steps_now),
        authorization_changed: None,
        release: None,
    };
    // SAFETY: valid strings, out-param and host; the host data is 'static.
    unsafe {
        assert_eq!(werun_context_new(appid.as_ptr(), &mut ctx), WERUN_OK);
        assert_eq!(werun_context_set_host(ctx, &werun_host), WERUN_OK);
        assert_eq!(werun_context_set_max_in_flight(ctx, 20_000), WERUN_OK);
        assert_eq!(werun_login(ctx, &CALLBACKS, ptr::null_mut()), WERUN_OK);
    }
    ctx
}

/// Both tests count completions in the same statics; they take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn thirty_one_days() -> Vec<werun_step> {
    let now = unix_now();
    (0..31)
        .map(|day| step(now - day * DAY, 5_000 + day))
        .collect()
}

#[test]
fn calls_run_at_steady_memory() {
    let _turn = lock(&ONE_AT_A_TIME);
    let calls = calls_from_env();
    let host: &'static SyncHost = Box::leak(Box::new(SyncHost {
        steps: thirty_one_days(),
        hold_steps: false,
        held: AtomicU64::new(0),
    }));
    let ctx = context_with(host);
    let start_rss = rss_bytes();
    let mut warm_rss = start_rss;
    let (completed_before, succeeded_before) = (
        COMPLETED.load(Ordering::SeqCst),
        SUCCEEDED.load(Ordering::SeqCst),
    );
    for i in 0..calls {
        if i == calls / 10 {
            warm_rss = rss_bytes();
        }
        // SAFETY: live context, static callbacks.
        assert_eq!(
            unsafe { werun_get_we_run_data(ctx, &CALLBACKS, ptr::null_mut()) },
            WERUN_OK
        );
    }
    let end_rss = rss_bytes();
    // SAFETY: freed once.
    unsafe { werun_context_free(ctx) };
    assert_eq!(COMPLETED.load(Ordering::SeqCst) - completed_before, calls);
    assert_eq!(
        SUCCEEDED.load(Ordering::SeqCst) - succeeded_before,
        calls,
        "every call was sealed"
    );
    eprintln!(
        "soak: {calls} getWeRunData calls sealed; RSS {:.1} MiB at the start, {:.1} MiB after the first tenth, {:.1} MiB at the end",
        start_rss as f64 / MIB,
        warm_rss as f64 / MIB,
        end_rss as f64 / MIB
    );
    assert!(
        end_rss <= warm_rss + LEAK_BOUND_BYTES,
        "RSS grew from {warm_rss} to {end_rss} bytes after the warm-up: a leak?"
    );
}

#[test]
fn ten_thousand_calls_in_flight_complete_once_each() {
    let _turn = lock(&ONE_AT_A_TIME);
    const IN_FLIGHT: u64 = 10_000;
    let host: &'static SyncHost = Box::leak(Box::new(SyncHost {
        steps: thirty_one_days(),
        hold_steps: true,
        held: AtomicU64::new(0),
    }));
    let ctx = context_with(host);
    let completed_before = COMPLETED.load(Ordering::SeqCst);
    let before = rss_bytes();
    for _ in 0..IN_FLIGHT {
        // SAFETY: live context, static callbacks.
        assert_eq!(
            unsafe { werun_get_we_run_data(ctx, &CALLBACKS, ptr::null_mut()) },
            WERUN_OK
        );
    }
    let waiting = rss_bytes();
    assert_eq!(
        COMPLETED.load(Ordering::SeqCst),
        completed_before,
        "no call completed before the answer"
    );
    let request = host.held.load(Ordering::SeqCst);
    assert_ne!(request, 0);
    // One answer, shared by all of them; each is sealed with its own IV.
    assert_eq!(answer_steps(request, &host.steps), WERUN_OK);
    assert_eq!(
        COMPLETED.load(Ordering::SeqCst) - completed_before,
        IN_FLIGHT
    );
    // SAFETY: freed once.
    unsafe { werun_context_free(ctx) };
    eprintln!(
        "in flight: {IN_FLIGHT} calls waiting on one request took {:.2} MiB of RSS ({:.0} bytes a call); all completed once",
        waiting.saturating_sub(before) as f64 / MIB,
        waiting.saturating_sub(before) as f64 / IN_FLIGHT as f64
    );
}
