//! Deadlines for host requests, served by one process-wide timer thread.
//!
//! The timer thread never runs user code. On expiry it fails the expired
//! requests' calls with TIMEOUT, under each owning context's lock, and hands
//! the completions, one batch per context, to a short-lived thread of their
//! own (timeouts are rare). A slow or blocked callback therefore delays only
//! the completions after it in its own batch: never another batch, another
//! context, or a later timeout. If no thread can be spawned, the batch runs
//! on the timer thread, late but exactly once.
//!
//! The timer's lock is a leaf: it is released before any context is locked.
//!
//! Under loom there is no timer thread (the model drives expiry itself), so
//! everything but the two no-op entry points is left out there, and the lock
//! below is always std's.

#[cfg(not(loom))]
use std::collections::BTreeSet;
#[cfg(not(loom))]
use std::sync::{Arc, LazyLock};
#[cfg(not(loom))]
use std::thread;
use std::time::Instant;

#[cfg(not(loom))]
use super::context::{DetachedEffects, Shared};
#[cfg(not(loom))]
use super::registry;
use super::request::RequestId;
#[cfg(not(loom))]
use super::sync::{Condvar, Mutex, lock};

#[cfg(not(loom))]
struct Timer {
    deadlines: Mutex<Deadlines>,
    changed: Condvar,
}

#[cfg(not(loom))]
#[derive(Default)]
struct Deadlines {
    /// Pending deadlines, earliest first; finished requests are removed, so
    /// this holds at most one entry per request in flight.
    pending: BTreeSet<(Instant, RequestId)>,
    /// When the timer thread next looks by itself: `None` while it waits for
    /// a notification, a past instant while it is awake. A new deadline
    /// wakes it only if it is earlier, so a steady stream of requests, each
    /// due later than the one before, costs no wake-up.
    wake_at: Option<Instant>,
}

#[cfg(not(loom))]
static TIMER: LazyLock<&'static Timer> = LazyLock::new(|| {
    let timer: &'static Timer = Box::leak(Box::new(Timer {
        deadlines: Mutex::new(Deadlines::default()),
        changed: Condvar::new(),
    }));
    thread::Builder::new()
        .name("werun-timer".into())
        .spawn(move || timer.run())
        .expect("spawning the werun timer thread");
    timer
});

/// Fails `request` with TIMEOUT at `deadline` unless it finished before.
/// Under loom the model drives expiry itself; no timer thread runs.
#[cfg(loom)]
pub(crate) fn schedule(_deadline: Instant, _request: RequestId) {}

/// Fails `request` with TIMEOUT at `deadline` unless it finished before.
#[cfg(not(loom))]
pub(crate) fn schedule(deadline: Instant, request: RequestId) {
    let timer = *TIMER;
    let mut deadlines = lock(&timer.deadlines);
    deadlines.pending.insert((deadline, request));
    if deadlines.wake_at.is_none_or(|wake_at| deadline < wake_at) {
        timer.changed.notify_one();
    }
}

/// Forgets the deadline of a request that finished in time.
#[cfg(not(loom))]
pub(crate) fn unschedule(deadline: Instant, request: RequestId) {
    lock(&TIMER.deadlines).pending.remove(&(deadline, request));
}

#[cfg(loom)]
pub(crate) fn unschedule(_deadline: Instant, _request: RequestId) {}

#[cfg(not(loom))]
impl Timer {
    fn run(&self) {
        loop {
            let expired = self.wait_for_expired();
            // Every state change first, then the threads that run user code.
            let batches: Vec<_> = by_owner(expired)
                .into_iter()
                .filter_map(|(owner, requests)| owner.expire(&requests))
                .collect();
            for batch in batches {
                run_on_a_thread_of_its_own(batch);
            }
        }
    }

    fn wait_for_expired(&self) -> Vec<RequestId> {
        let mut deadlines = lock(&self.deadlines);
        loop {
            let now = Instant::now();
            deadlines.wake_at = Some(now);
            let mut expired = Vec::new();
            while let Some(&(deadline, request)) = deadlines.pending.first() {
                if deadline > now {
                    break;
                }
                deadlines.pending.pop_first();
                expired.push(request);
            }
            if !expired.is_empty() {
                return expired;
            }
            let next = deadlines.pending.first().map(|(deadline, _)| *deadline);
            deadlines.wake_at = next;
            deadlines = match next {
                Some(deadline) => {
                    let wait = deadline.saturating_duration_since(now);
                    self.changed
                        .wait_timeout(deadlines, wait)
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .0
                }
                None => self
                    .changed
                    .wait(deadlines)
                    .unwrap_or_else(|poisoned| poisoned.into_inner()),
            };
        }
    }
}

/// The expired requests still registered, grouped by the context that owns
/// them. A request that finished earlier is no longer registered.
#[cfg(not(loom))]
fn by_owner(requests: Vec<RequestId>) -> Vec<(Arc<Shared>, Vec<RequestId>)> {
    let mut owners: Vec<(Arc<Shared>, Vec<RequestId>)> = Vec::new();
    for request in requests {
        let Some(owner) = registry::owner(request.0) else {
            continue;
        };
        match owners
            .iter_mut()
            .find(|(known, _)| Arc::ptr_eq(known, &owner))
        {
            Some((_, owned)) => owned.push(request),
            None => owners.push((owner, vec![request])),
        }
    }
    owners
}

/// Runs `batch` on a new thread, so that its callbacks delay nothing else.
/// If the thread cannot be spawned, runs it here instead: the batch sits in
/// a slot both sides may take from, so it runs exactly once either way, even
/// though a failed spawn drops the closure it was given.
#[cfg(not(loom))]
fn run_on_a_thread_of_its_own(batch: DetachedEffects) {
    let slot = Arc::new(Mutex::new(Some(batch)));
    let theirs = Arc::clone(&slot);
    let spawned = thread::Builder::new()
        .name("werun-timeout".into())
        .spawn(move || run_once(&theirs));
    if spawned.is_err() {
        run_once(&slot);
    }
}

#[cfg(not(loom))]
fn run_once(slot: &Mutex<Option<DetachedEffects>>) {
    // Taken in its own statement: the slot's lock is released before any
    // user code runs.
    let batch = lock(slot).take();
    if let Some(batch) = batch {
        batch.run();
    }
}

#[cfg(all(test, not(loom)))]
pub(crate) fn is_scheduled(request: RequestId) -> bool {
    lock(&TIMER.deadlines)
        .pending
        .iter()
        .any(|(_, pending)| *pending == request)
}

#[cfg(all(test, not(loom)))]
mod tests {
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
}
