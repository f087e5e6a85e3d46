//! The login session: the code the host returned, its session key and expiry.

use std::time::{Duration, Instant};

use crate::open_data::SessionKey;

/// A session from a successful login. The key is zeroized when the session is
/// dropped: on logout, on replacement by a newer login, and on context free.
#[derive(Debug)]
pub(crate) struct Session {
    key: Option<SessionKey>,
    expires_at: Option<Instant>,
}

impl Session {
    /// `expires_in_s == 0` means the session never expires.
    pub(crate) fn new(key: Option<SessionKey>, expires_in_s: u32, now: Instant) -> Session {
        let expires_at = (expires_in_s > 0)
            .then(|| now.checked_add(Duration::from_secs(u64::from(expires_in_s))))
            .flatten();
        Session { key, expires_at }
    }

    pub(crate) fn is_live(&self, now: Instant) -> bool {
        self.expires_at.is_none_or(|expiry| now < expiry)
    }

    pub(crate) fn key(&self) -> Option<&SessionKey> {
        self.key.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_expires_after_its_lifetime_and_zero_means_never() {
        let start = Instant::now();
        let session = Session::new(None, 2, start);
        assert!(session.is_live(start + Duration::from_secs(1)));
        assert!(!session.is_live(start + Duration::from_secs(2)));
        let forever = Session::new(None, 0, start);
        assert!(forever.is_live(start + Duration::from_secs(10 * 365 * 86_400)));
    }
}
