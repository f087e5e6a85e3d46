//! One-shot panics at chosen places in the core, for the panic-containment
//! tests. Compiled in only with the cargo feature `testing`; without it,
//! [`hit`] is an empty inline function and nothing here exists.

/// Where an armed panic fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Site {
    /// While a new call is routed, before it is accepted: the call function
    /// must return PANIC and run no callback.
    Route = 1,
    /// While a waiting call is sealed, after it was accepted: the call must
    /// complete once, with PANIC.
    Seal = 2,
}

#[cfg(feature = "testing")]
mod armed {
    use super::Site;
    use std::sync::atomic::{AtomicU32, Ordering};

    static ARMED: AtomicU32 = AtomicU32::new(0);

    impl Site {
        pub fn from_code(code: u32) -> Option<Site> {
            [Site::Route, Site::Seal]
                .into_iter()
                .find(|site| *site as u32 == code)
        }
    }

    /// Arms one panic at `site`, replacing any armed before.
    pub fn arm(site: Site) {
        ARMED.store(site as u32, Ordering::SeqCst);
    }

    /// Panics once if `site` is armed.
    pub(crate) fn hit(site: Site) {
        if ARMED
            .compare_exchange(site as u32, 0, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            panic!("werun testing: the panic armed at {site:?}");
        }
    }
}

#[cfg(feature = "testing")]
pub use armed::arm;
#[cfg(feature = "testing")]
pub(crate) use armed::hit;

#[cfg(not(feature = "testing"))]
#[inline(always)]
pub(crate) fn hit(_site: Site) {}
