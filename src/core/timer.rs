//! Deadlines for host requests, served by one process-wide timer thread.
//!
//! The timer knows nothing of contexts: its thread hands each batch of
//! expired requests to the function it was started with
//! (`context::expire_requests`), which fails their calls and runs no user
//! code on this thread unless no other thread can be spawned (see there).
//!
//! The timer's lock is a leaf: it is released before the expiry function
//! runs, and that function may lock anything.
//!
//! Under loom there is no timer thread (the model drives expiry itself):
//! [`Timer::start`] starts none and scheduling does nothing.

#[cfg(not(loom))]
use std::collections::BTreeSet;
#[cfg(not(loom))]
use std::panic::{AssertUnwindSafe, catch_unwind};
#[cfg(not(loom))]
use std::thread;
use std::time::Instant;

use super::request::RequestId;
#[cfg(not(loom))]
use super::sync::{Condvar, Mutex, lock};

/// What the timer thread does with requests whose deadline has passed.
pub(crate) type OnExpired = fn(Vec<RequestId>);

#[cfg(not(loom))]
pub(crate) struct Timer {
    deadlines: Mutex<Deadlines>,
    changed: Condvar,
    on_expired: OnExpired,
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
impl Timer {
    /// Starts the timer thread, which lives as long as the process.
    pub(crate) fn start(on_expired: OnExpired) -> &'static Timer {
        let timer: &'static Timer = Box::leak(Box::new(Timer {
            deadlines: Mutex::new(Deadlines::default()),
            changed: Condvar::new(),
            on_expired,
        }));
        thread::Builder::new()
            .name("werun-timer".into())
            .spawn(move || timer.run())
            .expect("spawning the werun timer thread");
        timer
    }

    /// Hands `request` to the expiry function at `deadline` unless it was
    /// unscheduled before.
    pub(crate) fn schedule(&self, deadline: Instant, request: RequestId) {
        let mut deadlines = lock(&self.deadlines);
        deadlines.pending.insert((deadline, request));
        if deadlines.wake_at.is_none_or(|wake_at| deadline < wake_at) {
            self.changed.notify_one();
        }
    }

    /// Forgets the deadline of a request that finished in time.
    pub(crate) fn unschedule(&self, deadline: Instant, request: RequestId) {
        lock(&self.deadlines).pending.remove(&(deadline, request));
    }

    #[cfg(test)]
    pub(crate) fn is_scheduled(&self, request: RequestId) -> bool {
        lock(&self.deadlines)
            .pending
            .iter()
            .any(|(_, pending)| *pending == request)
    }

    fn run(&self) {
        loop {
            let expired = self.wait_for_expired();
            // Only a core bug can panic here; it must not end the one thread
            // every context's timeouts depend on.
            let _ = catch_unwind(AssertUnwindSafe(|| (self.on_expired)(expired)));
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

/// Under loom: no thread, and no deadline is kept.
#[cfg(loom)]
pub(crate) struct Timer;

#[cfg(loom)]
impl Timer {
    pub(crate) fn start(_on_expired: OnExpired) -> &'static Timer {
        &Timer
    }

    pub(crate) fn schedule(&self, _deadline: Instant, _request: RequestId) {}

    pub(crate) fn unschedule(&self, _deadline: Instant, _request: RequestId) {}
}
