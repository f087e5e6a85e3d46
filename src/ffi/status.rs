//! Status codes and the library's identity.

use std::ffi::{CString, c_char};
use std::sync::LazyLock;

use crate::core::{Authorization, Status};

/// The result of every fallible werun function. Values are never renumbered.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum werun_status {
    WERUN_OK = 0,
    /// A required pointer argument was NULL.
    WERUN_ERR_NULL_ARGUMENT = 1,
    /// An argument was out of range, not UTF-8, malformed, or the wrong kind.
    WERUN_ERR_INVALID_ARGUMENT = 2,
    /// No host implementation provides this API.
    WERUN_ERR_UNSUPPORTED = 3,
    /// No live session: call login first.
    WERUN_ERR_NOT_LOGGED_IN = 4,
    /// The user refused `scope.werun`.
    WERUN_ERR_AUTH_DENIED = 5,
    /// The host did not answer in time.
    WERUN_ERR_TIMEOUT = 6,
    /// The call was cancelled, or its context freed.
    WERUN_ERR_CANCELLED = 7,
    /// The host failed the request.
    WERUN_ERR_HOST = 8,
    /// The host answered with data that was refused.
    WERUN_ERR_INVALID_DATA = 9,
    /// Decrypted bytes were garbage: bad padding, not UTF-8, or not JSON.
    WERUN_ERR_DECRYPT = 10,
    /// `watermark.appid` was missing or another app's.
    WERUN_ERR_WATERMARK = 11,
    /// The request or call is unknown or already finished.
    WERUN_ERR_STALE_REQUEST = 12,
    /// Too many calls are waiting on the host.
    WERUN_ERR_BUSY = 13,
    /// werun caught an internal panic.
    WERUN_ERR_PANIC = 14,
    /// Called from inside one of the same context's callbacks or hooks,
    /// where it cannot complete (`werun_context_free`); nothing was done.
    WERUN_ERR_REENTRANT = 15,
}

impl From<Status> for werun_status {
    fn from(status: Status) -> werun_status {
        match status {
            Status::Ok => werun_status::WERUN_OK,
            Status::InvalidArgument => werun_status::WERUN_ERR_INVALID_ARGUMENT,
            Status::Unsupported => werun_status::WERUN_ERR_UNSUPPORTED,
            Status::NotLoggedIn => werun_status::WERUN_ERR_NOT_LOGGED_IN,
            Status::AuthDenied => werun_status::WERUN_ERR_AUTH_DENIED,
            Status::Timeout => werun_status::WERUN_ERR_TIMEOUT,
            Status::Cancelled => werun_status::WERUN_ERR_CANCELLED,
            Status::Host => werun_status::WERUN_ERR_HOST,
            Status::InvalidData => werun_status::WERUN_ERR_INVALID_DATA,
            Status::Decrypt => werun_status::WERUN_ERR_DECRYPT,
            Status::Watermark => werun_status::WERUN_ERR_WATERMARK,
            Status::StaleRequest => werun_status::WERUN_ERR_STALE_REQUEST,
            Status::Busy => werun_status::WERUN_ERR_BUSY,
            Status::Panic => werun_status::WERUN_ERR_PANIC,
            Status::Reentrant => werun_status::WERUN_ERR_REENTRANT,
        }
    }
}

/// `scope.werun` has not been asked yet.
pub const WERUN_AUTH_NOT_DETERMINED: u32 = 0;
/// The user allowed `scope.werun`.
pub const WERUN_AUTH_GRANTED: u32 = 1;
/// The user refused `scope.werun`; getWeRunData fails without asking again.
pub const WERUN_AUTH_DENIED: u32 = 2;

impl werun_status {
    /// Every status, in code order: `ALL[code]` has that code.
    pub(crate) const ALL: [werun_status; 16] = [
        werun_status::WERUN_OK,
        werun_status::WERUN_ERR_NULL_ARGUMENT,
        werun_status::WERUN_ERR_INVALID_ARGUMENT,
        werun_status::WERUN_ERR_UNSUPPORTED,
        werun_status::WERUN_ERR_NOT_LOGGED_IN,
        werun_status::WERUN_ERR_AUTH_DENIED,
        werun_status::WERUN_ERR_TIMEOUT,
        werun_status::WERUN_ERR_CANCELLED,
        werun_status::WERUN_ERR_HOST,
        werun_status::WERUN_ERR_INVALID_DATA,
        werun_status::WERUN_ERR_DECRYPT,
        werun_status::WERUN_ERR_WATERMARK,
        werun_status::WERUN_ERR_STALE_REQUEST,
        werun_status::WERUN_ERR_BUSY,
        werun_status::WERUN_ERR_PANIC,
        werun_status::WERUN_ERR_REENTRANT,
    ];

    /// The status with this code, if any.
    pub(crate) fn from_code(code: u32) -> Option<werun_status> {
        werun_status::ALL.get(usize::try_from(code).ok()?).copied()
    }
}

/// The core's authorization as its `WERUN_AUTH_*` code.
pub(crate) fn authorization_code(state: Authorization) -> u32 {
    match state {
        Authorization::NotDetermined => WERUN_AUTH_NOT_DETERMINED,
        Authorization::Granted => WERUN_AUTH_GRANTED,
        Authorization::Denied => WERUN_AUTH_DENIED,
    }
}

/// A `WERUN_AUTH_*` code as the core's authorization; `None` for any other.
pub(crate) fn authorization_from_code(code: u32) -> Option<Authorization> {
    [
        Authorization::NotDetermined,
        Authorization::Granted,
        Authorization::Denied,
    ]
    .into_iter()
    .find(|state| authorization_code(*state) == code)
}

/// The ABI version this library implements: 1.
#[unsafe(no_mangle)]
pub extern "C" fn werun_abi_version() -> u32 {
    1
}

/// The crate version, such as "0.1.0".
///
/// Ownership: static; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn werun_version() -> *const c_char {
    const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

/// The enumerator's name for `status`, such as "WERUN_ERR_TIMEOUT", or
/// "WERUN_UNKNOWN" when out of range.
///
/// Ownership: static; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn werun_status_name(status: u32) -> *const c_char {
    // The enumerators' names are the variants' own (their Debug text).
    static NAMES: LazyLock<Vec<CString>> = LazyLock::new(|| {
        werun_status::ALL
            .iter()
            .map(|status| CString::new(format!("{status:?}")).expect("status names have no NUL"))
            .collect()
    });
    match werun_status::from_code(status) {
        Some(status) => NAMES[status as usize].as_ptr(),
        None => c"WERUN_UNKNOWN".as_ptr(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_status_at_its_code() {
        for (code, status) in werun_status::ALL.iter().enumerate() {
            assert_eq!(*status as usize, code);
        }
        // The header's last enumerator is ALL's last: a status added to the
        // enum but not to ALL fails here.
        let header = include_str!("../../include/werun.h");
        let last = header
            .lines()
            .filter_map(|line| line.trim().strip_prefix("WERUN_ERR_"))
            .filter_map(|rest| rest.split(" = ").nth(1))
            .filter_map(|value| value.trim_end_matches(',').parse::<usize>().ok())
            .max();
        assert_eq!(last, Some(werun_status::ALL.len() - 1));
    }

    #[test]
    fn authorization_codes_are_the_c_constants_both_ways() {
        for (state, code) in [
            (Authorization::NotDetermined, WERUN_AUTH_NOT_DETERMINED),
            (Authorization::Granted, WERUN_AUTH_GRANTED),
            (Authorization::Denied, WERUN_AUTH_DENIED),
        ] {
            assert_eq!(authorization_code(state), code);
            assert_eq!(authorization_from_code(code), Some(state));
        }
        assert_eq!(authorization_from_code(3), None);
        assert_eq!(authorization_from_code(u32::MAX), None);
    }
}
