//! Panic containment through the C ABI, with the test-only
//! `werun_testing_arm_panic` (cargo feature `testing`): a panic inside the
//! core never crosses the boundary, a call it hits completes exactly once,
//! and the context goes on working.
//!
//! Run with `cargo test --features testing --test panic_containment`. The
//! tests share the one armed site, so they take turns.

mod common;

use std::sync::Mutex;

use common::*;

unsafe extern "C" {
    fn werun_testing_arm_panic(site: u32) -> werun_status;
}

const ROUTE: u32 = 1;
const SEAL: u32 = 2;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

#[track_caller]
fn arm(site: u32) {
    // SAFETY: no pointers.
    assert_eq!(unsafe { werun_testing_arm_panic(site) }, WERUN_OK);
}

#[test]
fn a_panic_while_waiting_calls_are_sealed_completes_each_once_with_panic() {
    let _turn = lock(&ONE_AT_A_TIME);
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    let recorders = [Recorder::new(), Recorder::new(), Recorder::new()];
    for recorder in recorders {
        ctx.start(Api::GetWeRunData, recorder);
    }
    arm(SEAL);
    let request = host.only_request(Hook::GetSteps);
    // The panic hits sealing after the answer was accepted: the answer
    // stands, and every waiting call completes with PANIC.
    assert_eq!(answer_steps(request, &[step(unix_now(), 10)]), WERUN_OK);
    for recorder in recorders {
        assert_eq!(recorder.counts(), [0, 1, 1], "fail and complete, once each");
        recorder
            .outcome()
            .assert_fail(WERUN_ERR_PANIC, "getWeRunData:fail internal error");
    }

    // The process and the context live on.
    let next = Recorder::new();
    ctx.start(Api::GetWeRunData, next);
    let request = host.last_request(Hook::GetSteps);
    assert_eq!(answer_steps(request, &[step(unix_now(), 10)]), WERUN_OK);
    next.outcome().assert_we_run_data();
}

#[test]
fn a_panic_before_a_call_is_accepted_returns_panic_and_runs_no_callback() {
    let _turn = lock(&ONE_AT_A_TIME);
    let host = HostState::new();
    let ctx = Ctx::logged_in(host, &[Hook::Login, Hook::GetSteps]);
    let mut refused = Vec::new();
    for api in ALL_APIS {
        arm(ROUTE);
        let recorder = Recorder::new();
        let mut call = 0;
        assert_eq!(
            ctx.try_start(api, &recorder.callbacks(), &mut call),
            WERUN_ERR_PANIC
        );
        assert!(last_error().contains("panic"), "{}", last_error());
        assert_eq!(call, 0, "call_out is written only on OK");
        recorder.assert_untouched();
        refused.push(recorder);
        // The lock the panic poisoned does not stop the next call.
        assert_eq!(ctx.run(Api::CheckSession).err_msg, "checkSession:ok");
    }
    // Freeing the context cancels what is in flight; the refused calls never
    // were, so their callbacks never run.
    ctx.free();
    for recorder in refused {
        recorder.assert_untouched();
    }
}

#[test]
fn an_unknown_site_is_refused() {
    let _turn = lock(&ONE_AT_A_TIME);
    for site in [0, 3, u32::MAX] {
        // SAFETY: no pointers.
        assert_eq!(
            unsafe { werun_testing_arm_panic(site) },
            WERUN_ERR_INVALID_ARGUMENT
        );
        assert!(
            last_error().contains("not a panic site"),
            "{}",
            last_error()
        );
    }
}
