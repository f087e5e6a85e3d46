//! Deadlines for host requests, served by one process-wide timer thread.
//!
//! The thread only fails expired requests' calls with TIMEOUT; it never runs a
//! host hook. Its lock is a leaf: it is released before any context is locked.
//!
//! Under loom there is no timer thread (the model drives expiry itself), so
//! everything but the two no-op entry points is left out there, and the lock
//! below is always std's.

#[cfg(not(loom))]
use std::collections::BTreeSet;
#[cfg(not(loom))]
use std::sync::LazyLock;
#[cfg(not(loom))]
use std::thread;
use std::time::Instant;

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
            for request in expired {
                // A request that finished earlier is no longer registered.
                if let Some(owner) = registry::owner(request.0) {
                    owner.expire(request);
                }
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

#[cfg(all(test, not(loom)))]
pub(crate) fn is_scheduled(request: RequestId) -> bool {
    lock(&TIMER.deadlines)
        .pending
        .iter()
        .any(|(_, pending)| *pending == request)
}
