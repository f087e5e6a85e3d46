//! Timeouts do not wait for callbacks: the timer thread runs none, and one
//! context's blocked timeout completion holds up no other timeout.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread;
use std::time::Duration;

use crate::core::{CallResult, Context, Host, Status};

/// Bounds a wait that the timer's old design would make endless. A pass
/// never waits for it; it is not a timing assertion.
const PATIENCE: Duration = Duration::from_secs(20);

/// A context whose login hook never answers, so that every login times
/// out after 1 ms.
fn unanswered_logins() -> Context {
    let context = Context::new("wx1").unwrap();
    context.set_host(Some(Host::new().with_login(|_| {})));
    context.set_timeout(Duration::from_millis(1)).unwrap();
    context
}

/// What a timeout's completion saw: its status, whether what it waited
/// for happened, and the name of the thread it ran on.
type Seen = (Status, bool, Option<String>);

fn seen(result: &CallResult, met: bool) -> Seen {
    let thread = thread::current().name().map(str::to_owned);
    (result.status, met, thread)
}

#[track_caller]
fn assert_timed_out_off_the_timer_thread(results: &Receiver<Seen>, waited_for: &str) {
    let (status, met, thread) = results
        .recv_timeout(PATIENCE * 2)
        .expect("a timeout's completion never finished");
    assert_eq!(status, Status::Timeout);
    assert!(
        met,
        "a timeout's completion waited in vain for {waited_for}"
    );
    assert_ne!(
        thread.as_deref(),
        Some("werun-timer"),
        "user code ran on the timer thread"
    );
}

/// Each context's timeout completion waits until the other's has
/// started: on one thread, whichever ran first would wait in vain.
#[test]
fn a_blocked_timeout_completion_does_not_delay_another_contexts_timeouts() {
    let (done, results) = channel();
    let (a_started, a_seen) = channel::<()>();
    let (b_started, b_seen) = channel::<()>();
    let a = unanswered_logins();
    let b = unanswered_logins();
    let sides: [(&Context, Sender<()>, Receiver<()>); 2] =
        [(&a, a_started, b_seen), (&b, b_started, a_seen)];
    for (context, started, other_started) in sides {
        let done = done.clone();
        context.login(move |result| {
            let _ = started.send(());
            let met = other_started.recv_timeout(PATIENCE).is_ok();
            let _ = done.send(seen(result, met));
        });
    }
    for _ in 0..2 {
        assert_timed_out_off_the_timer_thread(&results, "the other context's");
    }
}

/// A timeout's completion starts a second login and waits for its
/// timeout to complete too: a later timeout of the same context is not
/// held up behind it either.
#[test]
fn a_blocked_timeout_completion_does_not_delay_a_later_timeout() {
    let (done, results) = channel();
    let context = Arc::new(unanswered_logins());
    let inner = Arc::clone(&context);
    let outer_done = done.clone();
    context.login(move |result| {
        let (finished, second_finished) = channel();
        inner.login(move |result| {
            let _ = done.send(seen(result, true));
            let _ = finished.send(());
        });
        let met = second_finished.recv_timeout(PATIENCE).is_ok();
        let _ = outer_done.send(seen(result, met));
    });
    assert_timed_out_off_the_timer_thread(&results, "nothing");
    assert_timed_out_off_the_timer_thread(&results, "the later timeout");
}

/// The last reference to a context dropped inside one of its timeout
/// completions while another batch of its completions is blocked on
/// another thread: the drop waits for that batch and returns once it ends.
/// (`close` once woke only when no batch at all was left running, which
/// the dropping batch itself never lets happen.)
#[test]
fn a_drop_inside_a_completion_returns_once_another_threads_batch_ends() {
    let context = Arc::new(unanswered_logins());
    let (done, finished) = channel();
    let (a_started, a_has_started) = channel();
    let (release_a, a_released) = channel::<()>();
    let a_done = done.clone();
    context.login(move |_| {
        let _ = a_started.send(());
        let released = a_released.recv_timeout(PATIENCE).is_ok();
        let _ = a_done.send(("a", released));
    });
    a_has_started
        .recv_timeout(PATIENCE)
        .expect("the first login never timed out");

    // The second login times out later, in a batch of its own, and its
    // completion holds the last reference.
    context.set_timeout(Duration::from_millis(200)).unwrap();
    let (dropping, b_is_dropping) = channel();
    let last = Arc::clone(&context);
    context.login(move |_| {
        let _ = dropping.send(());
        drop(last);
        let _ = done.send(("b", true));
    });
    drop(context);
    // Releases the first batch once the second is inside its drop.
    let releaser = thread::spawn(move || {
        if b_is_dropping.recv_timeout(PATIENCE).is_ok() {
            thread::sleep(Duration::from_millis(50));
        }
        let _ = release_a.send(());
    });

    let mut ended: Vec<_> = (0..2)
        .map(|_| {
            finished
                .recv_timeout(PATIENCE * 2)
                .expect("a batch never ended: the drop inside a completion hung")
        })
        .collect();
    ended.sort_unstable();
    assert_eq!(ended, [("a", true), ("b", true)]);
    releaser.join().unwrap();
}
