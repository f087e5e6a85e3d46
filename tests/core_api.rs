//! The safe Rust API that Rust hosts (such as ohos-rs modules) use directly.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use werun::core::{
    Authorization, CallResult, Context, Host, HostAnswer, RequestId, Status, StepSample, answer,
    cancel,
};
use werun::open_data::decrypt_we_run_data;

const APPID: &str = "wx9c1951875b6dc967";
const SESSION_KEY: &str = "CAhsXN7MvEhLFyovz1GhLg==";

fn wait(start: impl FnOnce(Box<dyn FnOnce(&CallResult) + Send>)) -> CallResult {
    let (tx, rx) = mpsc::channel();
    start(Box::new(move |result: &CallResult| {
        tx.send(result.clone()).unwrap()
    }));
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the call completes")
}

fn logged_in(host: Host) -> Context {
    let context = Context::new(APPID).unwrap();
    context.set_host(Some(host.with_login(|request| {
        answer(
            request,
            HostAnswer::Login {
                code: "c0de",
                session_key: Some(SESSION_KEY),
                expires_in_s: 0,
            },
        )
        .unwrap();
    })));
    let result = wait(|done| {
        context.login(done).unwrap();
    });
    assert_eq!(result.err_msg, "login:ok");
    context
}

#[test]
fn a_rust_host_seals_raw_steps_that_the_backend_decrypts() {
    let context = logged_in(Host::new().with_get_steps(|request| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        answer(
            request,
            HostAnswer::Steps(&[StepSample {
                timestamp: now,
                step: 4321,
            }]),
        )
        .unwrap();
    }));
    let result = wait(|done| {
        context.get_we_run_data(done).unwrap();
    });
    assert_eq!(result.status, Status::Ok, "{}", result.err_msg);
    let sealed = result.sealed.unwrap();
    let data = decrypt_we_run_data(SESSION_KEY, &sealed.encrypted_data, &sealed.iv, APPID).unwrap();
    assert_eq!(data.step_info_list.len(), 31);
    assert_eq!(data.step_info_list[30].step, 4321);
    assert_eq!(context.authorization(), Authorization::Granted);
}

#[test]
fn a_panicking_host_hook_fails_the_call_with_internal_error() {
    let context = logged_in(Host::new().with_get_steps(|_| panic!("host bug")));
    let result = wait(|done| {
        context.get_we_run_data(done).unwrap();
    });
    assert_eq!(result.status, Status::Panic);
    assert_eq!(result.err_msg, "getWeRunData:fail internal error");
}

#[test]
fn a_panicking_completion_does_not_disturb_other_calls() {
    let context = logged_in(Host::new());
    context.check_session(|_| panic!("app bug")).unwrap();
    let result = wait(|done| {
        context.check_session(done).unwrap();
    });
    assert_eq!(result.err_msg, "checkSession:ok");
}

#[test]
fn dropping_the_context_cancels_calls_and_drops_the_host_once() {
    struct Tracked(Arc<AtomicUsize>);
    impl Drop for Tracked {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let releases = Arc::new(AtomicUsize::new(0));
    let tracked = Tracked(releases.clone());
    let pending: Arc<Mutex<Vec<RequestId>>> = Arc::default();
    let seen = pending.clone();
    let context = logged_in(Host::new().with_get_steps(move |request| {
        let _keep = &tracked;
        seen.lock().unwrap().push(request);
    }));
    let results: Arc<Mutex<Vec<CallResult>>> = Arc::default();
    let mut calls = Vec::new();
    for _ in 0..3 {
        let sink = results.clone();
        calls.push(
            context
                .get_we_run_data(move |r| sink.lock().unwrap().push(r.clone()))
                .unwrap(),
        );
    }
    drop(context);
    let results = results.lock().unwrap();
    assert_eq!(results.len(), 3);
    assert!(
        results
            .iter()
            .all(|r| r.err_msg == "getWeRunData:fail cancelled")
    );
    assert_eq!(releases.load(Ordering::SeqCst), 1);
    let request = pending.lock().unwrap()[0];
    let late = answer(request, HostAnswer::Steps(&[])).unwrap_err();
    assert_eq!(late.status, Status::StaleRequest);
    assert_eq!(cancel(calls[0]).unwrap_err().status, Status::StaleRequest);
}

#[test]
fn debug_output_of_a_context_and_host_carries_no_secrets() {
    let context = logged_in(Host::new());
    let shown = format!("{context:?}");
    assert!(shown.contains(APPID));
    assert!(!shown.contains(SESSION_KEY));
}
