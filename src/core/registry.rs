//! Process-wide ids for calls and requests, and which context owns each.
//!
//! `werun_cancel` and the `werun_request_*` answers carry only an id, so the
//! id must lead back to its context without trusting a pointer: the registry
//! holds a weak reference, and an id whose context is gone is simply stale.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use super::context::Shared;
use super::sync::{Mutex, lock};

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

type Owners = Mutex<HashMap<u64, Weak<Shared>>>;

// Under loom the map is loom's too, made afresh for each explored
// interleaving, so that loom sees an answer race a free through it.
#[cfg(not(loom))]
static OWNERS: std::sync::LazyLock<Owners> = std::sync::LazyLock::new(Default::default);
#[cfg(loom)]
loom::lazy_static! {
    static ref OWNERS: Owners = Owners::default();
}

/// A fresh id, never handed out before in this process (0 is never used).
pub(crate) fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

pub(crate) fn register(id: u64, owner: &Arc<Shared>) {
    lock(&OWNERS).insert(id, Arc::downgrade(owner));
}

pub(crate) fn unregister(ids: impl IntoIterator<Item = u64>) {
    let mut owners = lock(&OWNERS);
    for id in ids {
        owners.remove(&id);
    }
}

/// The live context that owns `id`, if any.
pub(crate) fn owner(id: u64) -> Option<Arc<Shared>> {
    lock(&OWNERS).get(&id)?.upgrade()
}
