//! Calls: what a caller gets back, the errMsg strings, and the completer that
//! delivers a result exactly once.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::status::Status;
use crate::open_data::Sealed;

/// The mini-program API a call belongs to; it prefixes every errMsg.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Api {
    GetWeRunData,
    Login,
    CheckSession,
}

impl Api {
    pub fn name(self) -> &'static str {
        match self {
            Api::GetWeRunData => "getWeRunData",
            Api::Login => "login",
            Api::CheckSession => "checkSession",
        }
    }
}

/// Identifies one call for [`crate::core::cancel`]. Process-wide and never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallId(pub u64);

/// The one wording of every host answer that was refused, whoever refused it
/// (the core checking values, or a binding checking shapes):
/// `<api>:fail invalid host data: <detail>` for the calls, and
/// `invalid host data: <detail>` for the answering function's error.
pub(crate) const INVALID_HOST_DATA: &str = "invalid host data";

/// Why a call failed. Each reason maps to one status and one errMsg.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    Unsupported,
    NotLoggedIn,
    AuthDenied,
    Timeout,
    Cancelled,
    /// The max in flight calls were already waiting on the host.
    Busy,
    /// The host failed the request; the message may be empty.
    Host(String),
    /// The host answered with data that was refused; the detail says why.
    InvalidData(String),
    /// The core caught a panic of its own.
    Panic,
}

impl Failure {
    pub fn status(&self) -> Status {
        match self {
            Failure::Unsupported => Status::Unsupported,
            Failure::NotLoggedIn => Status::NotLoggedIn,
            Failure::AuthDenied => Status::AuthDenied,
            Failure::Timeout => Status::Timeout,
            Failure::Cancelled => Status::Cancelled,
            Failure::Busy => Status::Busy,
            Failure::Host(_) => Status::Host,
            Failure::InvalidData(_) => Status::InvalidData,
            Failure::Panic => Status::Panic,
        }
    }

    /// The errMsg, exactly as the mini-program runtime words it.
    pub fn err_msg(&self, api: Api) -> String {
        let expired = api == Api::CheckSession;
        let api = api.name();
        match self {
            Failure::Unsupported => format!("{api}:fail 暂时不支持 API {api}"),
            Failure::NotLoggedIn if expired => format!("{api}:fail session expired"),
            Failure::NotLoggedIn => format!("{api}:fail need login"),
            Failure::AuthDenied => format!("{api}:fail auth deny"),
            Failure::Timeout => format!("{api}:fail timeout"),
            Failure::Cancelled => format!("{api}:fail cancelled"),
            Failure::Busy => format!("{api}:fail busy"),
            Failure::Host(message) if message.is_empty() => format!("{api}:fail host error"),
            Failure::Host(message) => format!("{api}:fail {message}"),
            Failure::InvalidData(detail) if detail.is_empty() => {
                format!("{api}:fail {INVALID_HOST_DATA}")
            }
            Failure::InvalidData(detail) => format!("{api}:fail {INVALID_HOST_DATA}: {detail}"),
            Failure::Panic => format!("{api}:fail internal error"),
        }
    }
}

/// What a call delivers: the fields of Taro's callback result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallResult {
    pub status: Status,
    pub err_msg: String,
    /// `encryptedData`, `iv` and `cloudID`: getWeRunData success only.
    pub sealed: Option<Sealed>,
    /// The login code: login success only.
    pub code: Option<String>,
}

impl CallResult {
    pub fn ok(api: Api) -> CallResult {
        CallResult {
            status: Status::Ok,
            err_msg: format!("{}:ok", api.name()),
            sealed: None,
            code: None,
        }
    }

    pub fn failed(api: Api, failure: &Failure) -> CallResult {
        CallResult {
            status: failure.status(),
            err_msg: failure.err_msg(api),
            sealed: None,
            code: None,
        }
    }

    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok
    }
}

/// Receives a call's result. It runs exactly once, with no library lock held,
/// on the calling thread or on whichever thread finished the call.
pub type Completion = Box<dyn FnOnce(&CallResult) + Send>;

/// Owns a call's completion and guarantees it runs exactly once.
///
/// `complete` consumes the completer. A completer dropped without completing
/// (only possible while a panic unwinds through the core) completes the call
/// with `internal error`, so a call never hangs. Debug builds also assert
/// that this happens only while unwinding.
pub(crate) struct Completer {
    api: Api,
    call: CallId,
    completion: Option<Completion>,
}

impl Completer {
    pub(crate) fn new(api: Api, call: CallId, completion: Completion) -> Completer {
        Completer {
            api,
            call,
            completion: Some(completion),
        }
    }

    pub(crate) fn api(&self) -> Api {
        self.api
    }

    pub(crate) fn call(&self) -> CallId {
        self.call
    }

    pub(crate) fn complete(mut self, result: &CallResult) {
        if let Some(completion) = self.completion.take() {
            run_completion(completion, result);
        }
    }
}

impl Drop for Completer {
    fn drop(&mut self) {
        if let Some(completion) = self.completion.take() {
            // Release builds: the call still completes, with internal error.
            run_completion(completion, &CallResult::failed(self.api, &Failure::Panic));
            // Debug builds also catch the bug (libsignal's practice): outside
            // a panic's unwinding, every completer is completed,
            // so one that reaches here is a path that forgot to complete.
            // The completion has run first, so the call does not hang.
            debug_assert!(
                std::thread::panicking(),
                "a {} call's completer was dropped without completing it",
                self.api.name()
            );
        }
    }
}

fn run_completion(completion: Completion, result: &CallResult) {
    // A panicking Rust completion is the caller's bug, but it must not unwind
    // into whichever thread happened to finish the call.
    let _ = catch_unwind(AssertUnwindSafe(|| completion(result)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn err_msgs_match_the_mini_program_wording() {
        let cases = [
            (
                Api::GetWeRunData,
                Failure::Unsupported,
                "getWeRunData:fail 暂时不支持 API getWeRunData",
            ),
            (
                Api::Login,
                Failure::Unsupported,
                "login:fail 暂时不支持 API login",
            ),
            (
                Api::GetWeRunData,
                Failure::NotLoggedIn,
                "getWeRunData:fail need login",
            ),
            (
                Api::CheckSession,
                Failure::NotLoggedIn,
                "checkSession:fail session expired",
            ),
            (
                Api::GetWeRunData,
                Failure::AuthDenied,
                "getWeRunData:fail auth deny",
            ),
            (Api::Login, Failure::Timeout, "login:fail timeout"),
            (
                Api::GetWeRunData,
                Failure::Cancelled,
                "getWeRunData:fail cancelled",
            ),
            (
                Api::Login,
                Failure::Host("no network".into()),
                "login:fail no network",
            ),
            (
                Api::Login,
                Failure::Host(String::new()),
                "login:fail host error",
            ),
            (
                Api::GetWeRunData,
                Failure::InvalidData("x".into()),
                "getWeRunData:fail invalid host data: x",
            ),
            (
                Api::Login,
                Failure::InvalidData(String::new()),
                "login:fail invalid host data",
            ),
            (
                Api::CheckSession,
                Failure::Panic,
                "checkSession:fail internal error",
            ),
        ];
        for (api, failure, expected) in cases {
            assert_eq!(failure.err_msg(api), expected);
        }
        assert_eq!(CallResult::ok(Api::CheckSession).err_msg, "checkSession:ok");
    }

    fn recording_completer(api: Api) -> (Completer, Arc<Mutex<Vec<CallResult>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let completer = Completer::new(
            api,
            CallId(1),
            Box::new(move |result: &CallResult| sink.lock().unwrap().push(result.clone())),
        );
        (completer, seen)
    }

    #[test]
    fn a_completer_lost_to_a_panic_still_completes_with_internal_error() {
        let (completer, seen) = recording_completer(Api::GetWeRunData);
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(move || {
            let _owned = completer;
            panic!("bug in the core");
        }));
        assert!(outcome.is_err());
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].status, Status::Panic);
        assert_eq!(seen[0].err_msg, "getWeRunData:fail internal error");
    }

    // The debug assertion: dropped without a panic in flight, a completer
    // still completes the call, then reports the forgotten completion.
    #[cfg(debug_assertions)]
    #[test]
    fn a_completer_dropped_without_a_panic_completes_then_trips_the_debug_assertion() {
        let (completer, seen) = recording_completer(Api::Login);
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(move || drop(completer)));
        let message = *outcome
            .expect_err("the debug assertion fires")
            .downcast::<String>()
            .unwrap();
        assert_eq!(
            message,
            "a login call's completer was dropped without completing it"
        );
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].err_msg, "login:fail internal error");
    }
}
