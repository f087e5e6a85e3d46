//! Outcome codes shared by the core, the C ABI and the bindings.

use std::fmt;

/// The outcome of a call or an operation.
///
/// The numeric values are the C ABI's `werun_status` and are never renumbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Ok = 0,
    NullArgument = 1,
    InvalidArgument = 2,
    Unsupported = 3,
    NotLoggedIn = 4,
    AuthDenied = 5,
    Timeout = 6,
    Cancelled = 7,
    Host = 8,
    InvalidData = 9,
    Decrypt = 10,
    Watermark = 11,
    StaleRequest = 12,
    Busy = 13,
    Panic = 14,
    Reentrant = 15,
}

impl Status {
    pub const ALL: [Status; 16] = [
        Status::Ok,
        Status::NullArgument,
        Status::InvalidArgument,
        Status::Unsupported,
        Status::NotLoggedIn,
        Status::AuthDenied,
        Status::Timeout,
        Status::Cancelled,
        Status::Host,
        Status::InvalidData,
        Status::Decrypt,
        Status::Watermark,
        Status::StaleRequest,
        Status::Busy,
        Status::Panic,
        Status::Reentrant,
    ];

    pub fn code(self) -> u32 {
        self as u32
    }

    pub fn from_code(code: u32) -> Option<Status> {
        Status::ALL.get(usize::try_from(code).ok()?).copied()
    }

    /// The C enumerator's name, such as `WERUN_ERR_TIMEOUT`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "WERUN_OK",
            Status::NullArgument => "WERUN_ERR_NULL_ARGUMENT",
            Status::InvalidArgument => "WERUN_ERR_INVALID_ARGUMENT",
            Status::Unsupported => "WERUN_ERR_UNSUPPORTED",
            Status::NotLoggedIn => "WERUN_ERR_NOT_LOGGED_IN",
            Status::AuthDenied => "WERUN_ERR_AUTH_DENIED",
            Status::Timeout => "WERUN_ERR_TIMEOUT",
            Status::Cancelled => "WERUN_ERR_CANCELLED",
            Status::Host => "WERUN_ERR_HOST",
            Status::InvalidData => "WERUN_ERR_INVALID_DATA",
            Status::Decrypt => "WERUN_ERR_DECRYPT",
            Status::Watermark => "WERUN_ERR_WATERMARK",
            Status::StaleRequest => "WERUN_ERR_STALE_REQUEST",
            Status::Busy => "WERUN_ERR_BUSY",
            Status::Panic => "WERUN_ERR_PANIC",
            Status::Reentrant => "WERUN_ERR_REENTRANT",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A failed operation: a status and a sentence for `werun_last_error`.
///
/// Messages never contain key material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub status: Status,
    pub message: String,
}

impl Error {
    pub fn new(status: Status, message: impl Into<String>) -> Error {
        Error {
            status,
            message: message.into(),
        }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(Status::InvalidArgument, message)
    }

    pub fn stale_request() -> Error {
        Error::new(
            Status::StaleRequest,
            "the request is unknown or already finished (answered, timed out, withdrawn or its context was freed)",
        )
    }

    /// A context freed from inside one of its own callbacks or hooks: freeing
    /// waits for its callbacks to return, this one included.
    pub fn reentrant_free() -> Error {
        Error::new(
            Status::Reentrant,
            "a context cannot be freed from inside one of its own callbacks or hooks (freeing waits for them to return, the calling one included); it is still alive and usable: free it after the callback returns",
        )
    }

    pub fn stale_call() -> Error {
        Error::new(
            Status::StaleRequest,
            "the call is unknown or already finished (completed, cancelled or its context was freed)",
        )
    }
}

/// Open data's errors as the core's: each kind has its status.
impl From<crate::open_data::Error> for Error {
    fn from(error: crate::open_data::Error) -> Error {
        use crate::open_data::ErrorKind;
        let status = match error.kind {
            ErrorKind::InvalidArgument => Status::InvalidArgument,
            ErrorKind::InvalidData => Status::InvalidData,
            ErrorKind::Decrypt => Status::Decrypt,
            ErrorKind::Watermark => Status::Watermark,
            ErrorKind::Random => Status::Panic,
        };
        Error::new(status, error.message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

impl std::error::Error for Error {}
