//! What can go wrong in open data. The kinds are open data's own; the core
//! maps each to its status (`core::Error: From<open_data::Error>`), so this
//! module depends on nothing else in the crate.

use std::fmt;

/// What kind of problem an open-data operation met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// An input malformed before any decrypting: not standard base64, a key
    /// or iv that is not 16 bytes, an empty or overlong appid, too long.
    InvalidArgument,
    /// Decrypted, but not the expected data (a WeRun payload without a
    /// well-formed `stepInfoList`).
    InvalidData,
    /// Garbage after decrypting: bad padding, not UTF-8, not JSON.
    Decrypt,
    /// `watermark.appid` is missing or another app's.
    Watermark,
    /// The operating system's random number generator failed.
    Random,
}

/// A failed open-data operation: its kind and a sentence saying why.
///
/// Messages never contain key material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
        }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidArgument, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

impl std::error::Error for Error {}
