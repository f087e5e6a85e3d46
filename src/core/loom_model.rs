//! Model checks of the call-completion races with loom: every interleaving
//! (exhaustively, with no preemption bound) of a host answer, a timeout, a
//! cancel, a second answer and a context free racing on one waiting call. In each, the
//! call completes exactly once, with a result one of the racers explains,
//! and the free returns only after any completion running elsewhere.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --lib loom_model` (in a
//! target directory of its own; scripts/test.sh does). The context's lock,
//! its condition variable and the id registry are loom's then; the timer
//! thread does not run, so the model expires the request itself, as the
//! timer would, and runs the timeout's completion on the expiring thread.

use std::sync::Arc;
use std::sync::Mutex as StdMutex;

use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;

use super::{
    Authorization, CallId, Context, Host, HostAnswer, HostFailure, RequestId, Status, answer,
    cancel, context,
};

const KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==";
const BLOCK: &str = "AAAAAAAAAAAAAAAAAAAAAA==";

/// How many times the call completed, and with which statuses.
#[derive(Default)]
struct Completions {
    count: AtomicUsize,
    statuses: StdMutex<Vec<Status>>,
}

/// A logged-in context with one getWeRunData call waiting on its get_steps
/// request.
fn waiting_call() -> (Context, RequestId, CallId, Arc<Completions>) {
    let context = Context::new("wx4f4bc4dec97d474b").unwrap();
    let requests: Arc<StdMutex<Vec<RequestId>>> = Arc::default();
    let seen = requests.clone();
    context.set_host(Some(
        Host::new()
            .with_login(|request| {
                let login = HostAnswer::Login {
                    code: "code",
                    session_key: Some(KEY),
                    expires_in_s: 0,
                };
                answer(request, login).unwrap();
            })
            .with_get_steps(move |request| seen.lock().unwrap().push(request)),
    ));
    context.set_authorization(Authorization::Granted);
    context.login(|result| assert!(result.is_ok()));
    let completions = Arc::new(Completions::default());
    let sink = completions.clone();
    let call = context.get_we_run_data(move |result| {
        sink.statuses.lock().unwrap().push(result.status);
        sink.count.fetch_add(1, Ordering::SeqCst);
    });
    let request = requests.lock().unwrap()[0];
    (context, request, call, completions)
}

fn sealed() -> HostAnswer<'static> {
    HostAnswer::Sealed {
        encrypted_data: BLOCK,
        iv: BLOCK,
        cloud_id: None,
    }
}

/// What the timer does when the request's deadline passes: the state change,
/// then the completions, here on the expiring thread, as on the thread the
/// timer hands them to (which starts only after the state change).
fn expire(request: RequestId) {
    let batch = context::owner(request.0).and_then(|owner| owner.expire(&[request]));
    if let Some(batch) = batch {
        batch.run();
    }
}

/// Runs `check` in every interleaving loom explores, and reports how many
/// there were (the figure in docs/RELIABILITY.md).
fn model(name: &str, check: impl Fn() + Sync + Send + 'static) {
    let interleavings = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = interleavings.clone();
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = None;
    builder.check(move || {
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        check();
    });
    let explored = interleavings.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!("loom: {name}: {explored} interleavings explored");
    assert!(
        explored > 1,
        "loom explored a single interleaving: the model races nothing"
    );
}

#[track_caller]
fn assert_completed_once_with(completions: &Completions, allowed: &[Status]) {
    assert_eq!(
        completions.count.load(Ordering::SeqCst),
        1,
        "completed exactly once"
    );
    let statuses = completions.statuses.lock().unwrap();
    assert!(allowed.contains(&statuses[0]), "{statuses:?}");
}

#[test]
fn loom_model_answer_timeout_and_cancel_race() {
    model("answer_timeout_and_cancel_race", || {
        let (context, request, call, completions) = waiting_call();
        let answering = thread::spawn(move || answer(request, sealed()).map_err(|e| e.status));
        let expiring = thread::spawn(move || expire(request));
        let cancelled = cancel(call).map_err(|e| e.status);
        let answered = answering.join().unwrap();
        expiring.join().unwrap();

        assert_completed_once_with(
            &completions,
            &[Status::Ok, Status::Timeout, Status::Cancelled],
        );
        let status = completions.statuses.lock().unwrap()[0];
        // Whoever completed the call saw success; the others found it gone.
        assert_eq!(answered.is_ok(), status == Status::Ok);
        assert_eq!(cancelled.is_ok(), status == Status::Cancelled);
        assert!(answered.err().is_none_or(|s| s == Status::StaleRequest));
        drop(context);
        assert_eq!(
            completions.count.load(Ordering::SeqCst),
            1,
            "the free ran nothing more"
        );
    });
}

#[test]
fn loom_model_an_answer_races_the_free() {
    model("an_answer_races_the_free", || {
        let (context, request, _call, completions) = waiting_call();
        let answering = thread::spawn(move || answer(request, sealed()).map_err(|e| e.status));
        // The free waits for a completion running on the answering thread,
        // so the call has completed, once, when it returns.
        drop(context);
        assert_completed_once_with(&completions, &[Status::Ok, Status::Cancelled]);
        let answered = answering.join().unwrap();
        let status = completions.statuses.lock().unwrap()[0];
        assert_eq!(answered.is_ok(), status == Status::Ok);
        assert!(answered.err().is_none_or(|s| s == Status::StaleRequest));
    });
}

#[test]
fn loom_model_two_answers_race_and_one_wins() {
    model("two_answers_race_and_one_wins", || {
        let (context, request, _call, completions) = waiting_call();
        let first = thread::spawn(move || answer(request, sealed()).map_err(|e| e.status));
        let failure = HostAnswer::Fail(HostFailure::Host("sensor busy"));
        let second = answer(request, failure).map_err(|e| e.status);
        let first = first.join().unwrap();
        assert!(first.is_ok() != second.is_ok(), "{first:?} {second:?}");
        assert!(
            [first, second]
                .iter()
                .all(|r| r.is_ok() || *r == Err(Status::StaleRequest))
        );
        assert_completed_once_with(&completions, &[Status::Ok, Status::Host]);
        drop(context);
    });
}

#[test]
fn loom_model_cancel_and_timeout_race_the_free() {
    model("cancel_and_timeout_race_the_free", || {
        let (context, request, call, completions) = waiting_call();
        let cancelling = thread::spawn(move || cancel(call).map_err(|e| e.status));
        let expiring = thread::spawn(move || expire(request));
        drop(context);
        assert_completed_once_with(&completions, &[Status::Cancelled, Status::Timeout]);
        let cancelled = cancelling.join().unwrap();
        expiring.join().unwrap();
        assert!(cancelled.err().is_none_or(|s| s == Status::StaleRequest));
    });
}
