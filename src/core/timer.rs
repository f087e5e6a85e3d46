//! Deadlines for host requests, served by one process-wide timer thread.
//!
//! The thread only fails expired requests' calls with TIMEOUT; it never runs a
//! host hook. Its lock is a leaf: it is released before any context is locked.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::{Condvar, LazyLock, Mutex};
use std::thread;
use std::time::Instant;

use super::lock;
use super::registry;
use super::request::RequestId;

struct Timer {
    deadlines: Mutex<BinaryHeap<Reverse<(Instant, RequestId)>>>,
    changed: Condvar,
}

static TIMER: LazyLock<&'static Timer> = LazyLock::new(|| {
    let timer: &'static Timer = Box::leak(Box::new(Timer {
        deadlines: Mutex::new(BinaryHeap::new()),
        changed: Condvar::new(),
    }));
    thread::Builder::new()
        .name("werun-timer".into())
        .spawn(move || timer.run())
        .expect("spawning the werun timer thread");
    timer
});

/// Fails `request` with TIMEOUT at `deadline` unless it finished before.
pub(crate) fn schedule(deadline: Instant, request: RequestId) {
    let timer = *TIMER;
    let mut deadlines = lock(&timer.deadlines);
    let earliest = deadlines
        .peek()
        .is_none_or(|Reverse((first, _))| deadline < *first);
    deadlines.push(Reverse((deadline, request)));
    if earliest {
        timer.changed.notify_one();
    }
}

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
            let mut expired = Vec::new();
            while let Some(Reverse((deadline, request))) = deadlines.peek().copied() {
                if deadline > now {
                    break;
                }
                deadlines.pop();
                expired.push(request);
            }
            if !expired.is_empty() {
                return expired;
            }
            deadlines = match deadlines.peek() {
                Some(Reverse((deadline, _))) => {
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
