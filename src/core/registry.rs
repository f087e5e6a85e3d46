//! Process-wide ids for calls and requests, and a registry from an id to its
//! owner.
//!
//! `werun_cancel` and the `werun_request_*` answers carry only an id, so the
//! id must lead back to its context without trusting a pointer: the registry
//! holds a weak reference, and an id whose owner is gone is simply stale.
//! It knows nothing of what it holds; the context module keeps the one
//! registry of contexts.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use super::sync::{Mutex, lock};

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh id, never handed out before in this process (0 is never used).
pub(crate) fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Which owner each id belongs to, held weakly.
pub(crate) struct Registry<T> {
    owners: Mutex<HashMap<u64, Weak<T>>>,
}

impl<T> Default for Registry<T> {
    fn default() -> Self {
        Registry {
            owners: Mutex::new(HashMap::new()),
        }
    }
}

impl<T> Registry<T> {
    pub(crate) fn register(&self, id: u64, owner: &Arc<T>) {
        lock(&self.owners).insert(id, Arc::downgrade(owner));
    }

    pub(crate) fn unregister(&self, ids: impl IntoIterator<Item = u64>) {
        let mut owners = lock(&self.owners);
        for id in ids {
            owners.remove(&id);
        }
    }

    /// The live owner of `id`, if any.
    pub(crate) fn owner(&self, id: u64) -> Option<Arc<T>> {
        lock(&self.owners).get(&id)?.upgrade()
    }
}
