//! Calls through the C ABI: a getWeRunData round trip with a native host
//! that answers from inside its hook, and a single-flight fan-out of 100
//! concurrent calls answered by one get_steps answer.

use std::ffi::{CString, c_void};
use std::ptr;
use std::sync::atomic::{AtomicU64, Ordering};

use criterion::{Criterion, criterion_group, criterion_main};
use werun::ffi::werun_status::*;
use werun::ffi::*;

const KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==\0";

static COMPLETED: AtomicU64 = AtomicU64::new(0);
static HELD: AtomicU64 = AtomicU64::new(0);

unsafe extern "C" fn count_complete(_: *mut c_void, _: *const werun_result) {
    COMPLETED.fetch_add(1, Ordering::Relaxed);
}

const CALLBACKS: werun_callbacks = werun_callbacks {
    user_data: ptr::null_mut(),
    success: None,
    fail: None,
    complete: Some(count_complete),
};

fn days() -> Vec<werun_step> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    (0..31)
        .map(|day| werun_step {
            timestamp: now - day * 86_400,
            step: 4_000 + day,
        })
        .collect()
}

unsafe extern "C" fn login_now(_: *mut c_void, request: u64) {
    // SAFETY: NUL-terminated literals.
    unsafe { werun_request_answer_login(request, c"code".as_ptr(), KEY.as_ptr().cast(), 0) };
}

unsafe extern "C" fn steps_now(host_data: *mut c_void, request: u64) {
    // SAFETY: host_data is the leaked Vec<werun_step> set below.
    let days = unsafe { &*host_data.cast::<Vec<werun_step>>() };
    // SAFETY: a live slice.
    unsafe { werun_request_answer_steps(request, days.as_ptr(), days.len()) };
}

unsafe extern "C" fn steps_later(_: *mut c_void, request: u64) {
    HELD.store(request, Ordering::SeqCst);
}

fn context(get_steps: unsafe extern "C" fn(*mut c_void, u64)) -> *mut werun_context {
    let appid = CString::new("wx4f4bc4dec97d474b").unwrap();
    let days: &'static Vec<werun_step> = Box::leak(Box::new(days()));
    let host = werun_host {
        host_data: ptr::from_ref(days).cast_mut().cast(),
        login: Some(login_now),
        authorize: None,
        get_steps: Some(get_steps),
        authorization_changed: None,
        release: None,
    };
    let mut ctx = ptr::null_mut();
    // SAFETY: valid arguments; the host data is 'static.
    unsafe {
        assert_eq!(werun_context_new(appid.as_ptr(), &mut ctx), WERUN_OK);
        assert_eq!(werun_context_set_host(ctx, &host), WERUN_OK);
        assert_eq!(werun_login(ctx, &CALLBACKS, ptr::null_mut()), WERUN_OK);
    }
    ctx
}

fn call_benches(c: &mut Criterion) {
    let ctx = context(steps_now);
    c.bench_function(
        "C ABI: getWeRunData round trip, native host answering in its hook",
        |b| {
            // SAFETY: a live context and static callbacks.
            b.iter(|| unsafe {
                assert_eq!(
                    werun_get_we_run_data(ctx, &CALLBACKS, ptr::null_mut()),
                    WERUN_OK
                )
            })
        },
    );
    // SAFETY: freed once.
    unsafe { werun_context_free(ctx) };

    let ctx = context(steps_later);
    let days = days();
    c.bench_function(
        "C ABI: 100 concurrent getWeRunData calls, one get_steps answer",
        |b| {
            b.iter(|| {
                let before = COMPLETED.load(Ordering::Relaxed);
                // SAFETY: a live context, static callbacks, a live slice.
                unsafe {
                    for _ in 0..100 {
                        werun_get_we_run_data(ctx, &CALLBACKS, ptr::null_mut());
                    }
                    werun_request_answer_steps(
                        HELD.load(Ordering::SeqCst),
                        days.as_ptr(),
                        days.len(),
                    );
                }
                assert_eq!(COMPLETED.load(Ordering::Relaxed) - before, 100);
            })
        },
    );
    // SAFETY: freed once.
    unsafe { werun_context_free(ctx) };
}

criterion_group!(benches, call_benches);
criterion_main!(benches);
