//! Outcomes of the core's operations, and its error type.

use std::fmt;

/// The outcome of a call or an operation. The C ABI gives each its
/// `werun_status` code (`src/ffi/status.rs`); the core knows no numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Ok,
    InvalidArgument,
    Unsupported,
    NotLoggedIn,
    AuthDenied,
    Timeout,
    Cancelled,
    Host,
    InvalidData,
    Decrypt,
    Watermark,
    StaleRequest,
    Busy,
    Panic,
    Reentrant,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
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
