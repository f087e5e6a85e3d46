//! Requests to the host and the answers it gives.

use crate::core::status::Error;
use crate::open_data::StepSample;

/// The longest message a host may fail a request with, in bytes: it is copied
/// into the errMsg of every call waiting on the request.
pub const MAX_HOST_FAILURE_MESSAGE_LEN: usize = 4096;

/// Identifies one host request. Process-wide and never reused, so an answer
/// that arrives after its context was freed is recognised as stale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// Which hook a request was sent to, and so which answer it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestKind {
    Login,
    Authorize,
    GetSteps,
}

impl RequestKind {
    pub fn name(self) -> &'static str {
        match self {
            RequestKind::Login => "login",
            RequestKind::Authorize => "authorize",
            RequestKind::GetSteps => "get_steps",
        }
    }
}

/// The host's answer to a request.
#[derive(Clone, Copy, Debug)]
pub enum HostAnswer<'a> {
    /// To `login`: a code, an optional base64 session key (16 bytes decoded),
    /// and the lifetime in seconds (0: no expiry).
    Login {
        code: &'a str,
        session_key: Option<&'a str>,
        expires_in_s: u32,
    },
    /// To `authorize`: whether the user granted `scope.werun`.
    Authorize { granted: bool },
    /// To `get_steps`: raw samples the core sums, windows and seals. (A
    /// source read one sample at a time goes to [`crate::core::answer_steps`].)
    Steps(&'a [StepSample]),
    /// To `get_steps`: a payload sealed elsewhere, passed through after a
    /// shape check.
    Sealed {
        encrypted_data: &'a str,
        iv: &'a str,
        cloud_id: Option<&'a str>,
    },
    /// To any request: the host could not answer it.
    Fail(HostFailure<'a>),
}

impl HostAnswer<'_> {
    /// Refuses an answer no request could take, before its request is looked
    /// up: INVALID_ARGUMENT, and the request stays pending.
    pub(crate) fn check(&self) -> Result<(), Error> {
        if let HostAnswer::Fail(HostFailure::Host(message) | HostFailure::InvalidData(message)) =
            self
            && message.len() > MAX_HOST_FAILURE_MESSAGE_LEN
        {
            return Err(Error::invalid_argument(format!(
                "message is {} bytes; the limit is {MAX_HOST_FAILURE_MESSAGE_LEN}",
                message.len()
            )));
        }
        Ok(())
    }

    pub(crate) fn fits(&self, kind: RequestKind) -> bool {
        matches!(
            (self, kind),
            (HostAnswer::Fail(_), _)
                | (HostAnswer::Login { .. }, RequestKind::Login)
                | (HostAnswer::Authorize { .. }, RequestKind::Authorize)
                | (
                    HostAnswer::Steps(_) | HostAnswer::Sealed { .. },
                    RequestKind::GetSteps
                )
        )
    }

    pub(crate) fn name(&self) -> &'static str {
        match self {
            HostAnswer::Login { .. } => "a login answer",
            HostAnswer::Authorize { .. } => "an authorize answer",
            HostAnswer::Steps(_) => "a steps answer",
            HostAnswer::Sealed { .. } => "a sealed answer",
            HostAnswer::Fail(_) => "a failure",
        }
    }
}

/// How a host fails a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostFailure<'a> {
    /// `<api>:fail <message>`, or `<api>:fail host error` when empty. At most
    /// [`MAX_HOST_FAILURE_MESSAGE_LEN`] bytes; a longer one is refused with
    /// INVALID_ARGUMENT and the request stays pending.
    Host(&'a str),
    /// `<api>:fail auth deny`; on authorize or get_steps it also records DENIED.
    AuthDenied,
    /// The platform lacks the capability: the unsupported errMsg.
    Unsupported,
    /// The host's own answer was unusable, as a binding finds when an app's
    /// hook resolves the wrong shape: INVALID_DATA and `<api>:fail invalid
    /// host data: <detail>`, the wording of every answer the core refuses.
    /// The same length limit as `Host`.
    InvalidData(&'a str),
}
