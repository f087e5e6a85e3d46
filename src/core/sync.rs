//! The locks of a context's state machine: std's, or loom's when the crate is
//! built with `--cfg loom` for the model-checking tests (`loom_model`), so
//! that loom explores every interleaving of the threads racing on a call.
//! The registry's lock is switched too. The timer thread does not exist
//! under loom, so it only ever takes std's. [`lock`] is the crate's one lock
//! helper, for all of them.

use std::sync::PoisonError;

#[cfg(loom)]
pub(crate) use loom::sync::{Condvar, Mutex, MutexGuard};
// Which contexts' callbacks a thread is running: per loom thread under loom.
#[cfg(loom)]
pub(crate) use loom::thread_local;
#[cfg(not(loom))]
pub(crate) use std::sync::{Condvar, Mutex, MutexGuard};
#[cfg(not(loom))]
pub(crate) use std::thread_local;

/// Locks a core mutex (a context's state, the registry, the timer). No user
/// code ever runs under one, so a poisoned lock only means a core bug already
/// reported as a panic; keep going.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
