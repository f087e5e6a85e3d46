//! The native host implementation and its answers to requests.

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use super::boundary::{Error, ffi_boundary, optional_str, required, required_str};
use super::context::{context, werun_context};
use super::status::{authorization_code, werun_status};
use crate::core::{
    Authorization, Host, HostAnswer, HostFailure, RequestId, StepSample, answer, answer_steps,
};

/// A host hook: answer `request` with one `werun_request_*` function, before
/// returning or later, from any thread.
pub type werun_host_fn = Option<unsafe extern "C" fn(host_data: *mut c_void, request: u64)>;

/// A native host implementation: the platform's step source.
///
/// Threading: hooks run on a thread that called into werun (the call function
/// itself, or the `werun_request_*` answer that unblocked the next step; a
/// call started from a timeout's callback runs on the thread werun started
/// for that timeout, or on werun's timer thread if the system refused one),
/// and with no werun lock held, so a hook may answer
/// synchronously. Hooks and `host_data` must be usable from any thread
/// that calls into werun.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct werun_host {
    /// Passed to every hook; never dereferenced by werun. Who frees it: the
    /// host, never werun. werun passes it to `release` once, when the host is
    /// replaced or its context freed, and never uses it after that: free it
    /// in `release`. With a NULL `release`, free it after
    /// `werun_context_free` of the context returns OK.
    pub host_data: *mut c_void,
    /// NULL: login is unsupported.
    pub login: werun_host_fn,
    /// NULL: `scope.werun` counts as granted.
    pub authorize: werun_host_fn,
    /// NULL: getWeRunData is unsupported.
    pub get_steps: werun_host_fn,
    /// Nullable. Told each `WERUN_AUTH_*` change werun makes, to persist it.
    pub authorization_changed: Option<unsafe extern "C" fn(host_data: *mut c_void, state: u32)>,
    /// Nullable. Runs once, when the host is replaced or its context freed.
    pub release: Option<unsafe extern "C" fn(host_data: *mut c_void)>,
}

/// A raw step sample: unix seconds at any instant of a day, and its steps.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct werun_step {
    pub timestamp: i64,
    pub step: i64,
}

impl From<werun_step> for StepSample {
    fn from(step: werun_step) -> StepSample {
        StepSample {
            timestamp: step.timestamp,
            step: step.step,
        }
    }
}

/// A host's `werun_step` array, read one sample at a time as the core asks
/// for them. Nothing is copied or allocated up front, so the core refuses a
/// `len` over its limit before any sample is read, whatever the length.
struct HostSteps {
    next: *const werun_step,
    left: usize,
}

impl HostSteps {
    /// # Safety
    /// `steps` points to `len` readable `werun_step`s (or `len` is 0), which
    /// stay readable while this is iterated.
    unsafe fn new(steps: *const werun_step, len: usize) -> HostSteps {
        HostSteps {
            next: steps,
            left: len,
        }
    }
}

impl Iterator for HostSteps {
    type Item = StepSample;

    fn next(&mut self) -> Option<StepSample> {
        if self.left == 0 {
            return None;
        }
        // SAFETY: `next` is within the array of `left` more samples (new's
        // contract).
        let step = unsafe { self.next.read() };
        self.next = self.next.wrapping_add(1);
        self.left -= 1;
        Some(step.into())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for HostSteps {}

/// The C host, shared by the hooks of one `Host`; released when the last goes.
struct ForeignHost(werun_host);

// SAFETY: `werun_host` documents that hooks and host_data must be usable
// from any thread that calls into werun.
unsafe impl Send for ForeignHost {}
// SAFETY: as above; werun never touches host_data itself.
unsafe impl Sync for ForeignHost {}

impl ForeignHost {
    fn call(&self, hook: werun_host_fn, request: RequestId) {
        if let Some(hook) = hook {
            // SAFETY: the host supplied this hook for this purpose.
            unsafe { hook(self.0.host_data, request.0) };
        }
    }

    fn authorization_changed(&self, state: Authorization) {
        if let Some(hook) = self.0.authorization_changed {
            // SAFETY: the host supplied this hook for this purpose.
            unsafe { hook(self.0.host_data, authorization_code(state)) };
        }
    }
}

impl Drop for ForeignHost {
    fn drop(&mut self) {
        if let Some(release) = self.0.release {
            // SAFETY: the host supplied release to run once, here.
            unsafe { release(self.0.host_data) };
        }
    }
}

fn core_host(foreign: werun_host) -> Host {
    let shared = Arc::new(ForeignHost(foreign));
    let hook = |select: fn(&werun_host) -> werun_host_fn| {
        select(&foreign).map(|_| {
            let shared = shared.clone();
            move |request| shared.call(select(&shared.0), request)
        })
    };
    let mut host = Host::new();
    if let Some(login) = hook(|h| h.login) {
        host = host.with_login(login);
    }
    if let Some(authorize) = hook(|h| h.authorize) {
        host = host.with_authorize(authorize);
    }
    if let Some(get_steps) = hook(|h| h.get_steps) {
        host = host.with_get_steps(get_steps);
    }
    // Always installed, even without a hook: it owns the host until release.
    host.with_authorization_changed(move |state| shared.authorization_changed(state))
}

/// Installs `host` (copied), replacing and releasing any previous one; NULL
/// clears it. Requests already sent stay answerable.
///
/// Ownership: on OK, werun holds `host->host_data` until it calls `release`
/// with it (once: when this host is replaced or the context freed; hooks
/// already running finish first). On any other return (NULL_ARGUMENT for a
/// NULL `ctx`), werun kept nothing: `release` is never called for this
/// `host`, its `host_data` stays the caller's to free, and the previous host,
/// if any, stays installed.
///
/// Returns: OK, NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_context_set_host(
    ctx: *mut werun_context,
    host: *const werun_host,
) -> werun_status {
    ffi_boundary(|| {
        // SAFETY: the caller passes a live context or NULL.
        let ctx = unsafe { context(ctx) }?;
        // SAFETY: the caller passes a readable werun_host or NULL.
        let host = unsafe { host.as_ref() }.copied();
        ctx.set_host(host.map(core_host));
        Ok(())
    })
}

/// Answers a `login` request: the code, an optional base64 session key (16
/// bytes once decoded; without one, getWeRunData cannot seal raw steps), and
/// the session lifetime in seconds (0: no expiry).
///
/// Returns: OK; NULL_ARGUMENT or INVALID_ARGUMENT for an unusable call (the
/// request stays pending); INVALID_DATA for an empty code or a bad key (the
/// request is consumed and its calls fail); STALE_REQUEST.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_request_answer_login(
    request: u64,
    code: *const c_char,
    session_key: *const c_char,
    expires_in_s: u32,
) -> werun_status {
    ffi_boundary(|| {
        // SAFETY: the caller passes C strings or NULL.
        let code = unsafe { required_str(code, "code") }?;
        // SAFETY: as above.
        let session_key = unsafe { optional_str(session_key, "session_key") }?;
        Ok(answer(
            RequestId(request),
            HostAnswer::Login {
                code,
                session_key,
                expires_in_s,
            },
        )?)
    })
}

/// Answers an `authorize` request: `granted` is 1 (granted) or 0 (refused).
/// A grant moves the waiting calls on to `get_steps` on this thread; a
/// refusal fails them with AUTH_DENIED and is remembered.
///
/// Returns: OK; INVALID_ARGUMENT for another value or the wrong request (it
/// stays pending); STALE_REQUEST.
#[unsafe(no_mangle)]
pub extern "C" fn werun_request_answer_authorize(request: u64, granted: u32) -> werun_status {
    ffi_boundary(|| {
        let granted = match granted {
            0 => false,
            1 => true,
            other => {
                return Err(Error::invalid_argument(format!(
                    "granted is {other}; it must be 0 or 1"
                )));
            }
        };
        Ok(answer(
            RequestId(request),
            HostAnswer::Authorize { granted },
        )?)
    })
}

/// Answers a `get_steps` request with raw samples. werun sums them per local
/// day into 31 midnight entries ending today, and seals the result under the
/// session key for each waiting call. `steps` may be NULL when `len` is 0.
///
/// Returns: OK; NULL_ARGUMENT or INVALID_ARGUMENT for an unusable call (the
/// request stays pending); INVALID_DATA for a negative value, an implausible
/// day total (over 1 000 000), over 100 000 samples (refused by `len`, before
/// any is read), or a session without a key (the request is consumed and its
/// calls fail); STALE_REQUEST.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_request_answer_steps(
    request: u64,
    steps: *const werun_step,
    len: usize,
) -> werun_status {
    ffi_boundary(|| {
        let steps: *const werun_step = if len == 0 {
            std::ptr::null()
        } else {
            // SAFETY: the caller passes a readable array or NULL.
            unsafe { required(steps, "steps") }?
        };
        // SAFETY: the array holds `len` samples, per the contract, and is
        // read before this function returns.
        let samples = unsafe { HostSteps::new(steps, len) };
        Ok(answer_steps(RequestId(request), samples)?)
    })
}

/// Answers a `get_steps` request with a payload sealed elsewhere (for example
/// relayed from WeChat). werun checks the shape (standard base64 on one line,
/// a 16-byte IV, a ciphertext that is a positive multiple of 16) and passes
/// it through unchanged.
///
/// Returns: OK; NULL_ARGUMENT or INVALID_ARGUMENT for an unusable call (the
/// request stays pending); INVALID_DATA for a bad shape (the request is
/// consumed and its calls fail); STALE_REQUEST.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_request_answer_sealed(
    request: u64,
    encrypted_data: *const c_char,
    iv: *const c_char,
    cloud_id: *const c_char,
) -> werun_status {
    ffi_boundary(|| {
        // SAFETY: the caller passes C strings or NULL.
        let encrypted_data = unsafe { required_str(encrypted_data, "encrypted_data") }?;
        // SAFETY: as above.
        let iv = unsafe { required_str(iv, "iv") }?;
        // SAFETY: as above.
        let cloud_id = unsafe { optional_str(cloud_id, "cloud_id") }?;
        Ok(answer(
            RequestId(request),
            HostAnswer::Sealed {
                encrypted_data,
                iv,
                cloud_id,
            },
        )?)
    })
}

/// Fails any request. `status` is:
/// - HOST: "<api>:fail <message>", or "<api>:fail host error" when the
///   message is NULL or empty;
/// - AUTH_DENIED: "<api>:fail auth deny"; on authorize or get_steps it also
///   records DENIED and notifies the host;
/// - UNSUPPORTED: the unsupported errMsg;
/// - INVALID_DATA: "<api>:fail invalid host data: <message>", the wording of
///   every refused answer, for a host that finds its own answer unusable (a
///   binding whose app resolved the wrong shape). The calls fail with
///   INVALID_DATA; this function returns OK.
///
/// The message (HOST, INVALID_DATA) is at most 4096 bytes, since it is copied
/// into every errMsg.
///
/// Returns: OK; INVALID_ARGUMENT for another status, non-UTF-8 or an
/// over-long (over 4096 bytes) message (the request stays pending);
/// STALE_REQUEST.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_request_fail(
    request: u64,
    status: u32,
    message: *const c_char,
) -> werun_status {
    ffi_boundary(|| {
        // SAFETY: the caller passes a C string or NULL.
        let message = unsafe { optional_str(message, "message") }?.unwrap_or("");
        let failure = match werun_status::from_code(status) {
            Some(werun_status::WERUN_ERR_HOST) => HostFailure::Host(message),
            Some(werun_status::WERUN_ERR_AUTH_DENIED) => HostFailure::AuthDenied,
            Some(werun_status::WERUN_ERR_UNSUPPORTED) => HostFailure::Unsupported,
            Some(werun_status::WERUN_ERR_INVALID_DATA) => HostFailure::InvalidData(message),
            _ => {
                return Err(Error::invalid_argument(format!(
                    "status {status} cannot fail a request; use WERUN_ERR_HOST (8), WERUN_ERR_AUTH_DENIED (5), WERUN_ERR_UNSUPPORTED (3) or WERUN_ERR_INVALID_DATA (9)"
                )));
            }
        };
        Ok(answer(RequestId(request), HostAnswer::Fail(failure))?)
    })
}
