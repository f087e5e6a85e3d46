//! Calls: getWeRunData, login and checkSession with success/fail/complete
//! callbacks, and cancellation.

use std::ffi::{CString, c_char, c_void};
use std::ptr;

use super::boundary::{c_string_lossy, ffi_boundary, required};
use super::context::{context, werun_context};
use super::status::werun_status;
use crate::core::{Api, CallId, CallResult, Context, cancel};

/// What a call delivers; the fields of Taro's callback result.
///
/// Ownership: borrowed; valid only during the callback. Copy what you keep.
#[repr(C)]
pub struct werun_result {
    /// A `werun_status` value.
    pub status: u32,
    /// The errMsg, such as "getWeRunData:ok" or "getWeRunData:fail auth deny";
    /// always set.
    pub err_msg: *const c_char,
    /// Base64 `encryptedData` on getWeRunData success, else NULL.
    pub encrypted_data: *const c_char,
    /// Base64 `iv` on getWeRunData success, else NULL.
    pub iv: *const c_char,
    /// `cloudID` on getWeRunData success when the host gave one, else NULL.
    pub cloud_id: *const c_char,
    /// The login code on login success, else NULL.
    pub code: *const c_char,
}

/// A result callback. `user_data` is `werun_callbacks.user_data`.
pub type werun_result_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, result: *const werun_result)>;

/// The callbacks of one call. Each function pointer may be NULL.
///
/// The callback contract, for `werun_get_we_run_data`, `werun_login` and
/// `werun_check_session`:
/// - They return only OK, NULL_ARGUMENT or PANIC. Every outcome, unsupported
///   and BUSY included, is delivered through `fail` with its errMsg, as
///   WeChat delivers them: past the max in flight
///   (`werun_context_set_max_in_flight`), a call that would wait on the host
///   fails with BUSY and "<api>:fail busy" before the call function returns.
///   So do not retry from `fail` on BUSY right away: that recursion has no
///   bound. Retry once a call has completed, or later.
/// - If a call function returns anything but OK, no callback ever runs.
/// - If it returns OK, exactly one of `success` or `fail` runs, then
///   `complete` runs exactly once, each with the same result.
/// - Callbacks may run before the call function returns, on the caller's
///   thread, or later on the thread that answered or cancelled the call, or
///   on a short-lived thread werun starts for a timeout, so they must be safe
///   to call from any thread. Timeouts do not wait for callbacks: werun's
///   timer thread runs none (unless the system refuses it a new thread), so
///   a slow callback delays only the callbacks of its own context that timed
///   out at the same moment.
/// - No werun lock is held while a callback or host hook runs: both may call
///   back into werun, except `werun_context_free` on their own context.
/// - `user_data` is never dereferenced by werun.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct werun_callbacks {
    /// Passed to each callback of this call. Who frees it: the caller, never
    /// werun. werun stops using it when `complete` returns (free it there or
    /// after), or at once if the call function returns anything but OK (no
    /// callback ever runs then).
    pub user_data: *mut c_void,
    pub success: werun_result_fn,
    pub fail: werun_result_fn,
    pub complete: werun_result_fn,
}

/// The caller's callbacks, moved to whichever thread finishes the call.
struct ForeignCallbacks(werun_callbacks);

/// The callbacks of a call that set only `complete`, as the JS bindings'
/// calls do: half the size of [`ForeignCallbacks`], so the completion the
/// core keeps for each call in flight is too.
struct ForeignComplete {
    user_data: *mut c_void,
    complete: unsafe extern "C" fn(*mut c_void, *const werun_result),
}

// SAFETY: the callback contract requires callbacks and their user_data to be
// usable from any thread.
unsafe impl Send for ForeignCallbacks {}
// SAFETY: as for ForeignCallbacks.
unsafe impl Send for ForeignComplete {}

impl ForeignCallbacks {
    fn deliver(&self, result: &CallResult) {
        let callbacks = self.0;
        let outcome = if result.is_ok() {
            callbacks.success
        } else {
            callbacks.fail
        };
        deliver(callbacks.user_data, [outcome, callbacks.complete], result);
    }
}

impl ForeignComplete {
    fn deliver(&self, result: &CallResult) {
        deliver(self.user_data, [Some(self.complete), None], result);
    }
}

/// Runs `callbacks` in order, each that is set, on one borrowed view of `result`.
fn deliver(user_data: *mut c_void, callbacks: [werun_result_fn; 2], result: &CallResult) {
    let err_msg = c_string_lossy(&result.err_msg);
    let sealed = result.sealed.as_ref();
    let encrypted_data = sealed.map(|s| c_string_lossy(&s.encrypted_data));
    let iv = sealed.map(|s| c_string_lossy(&s.iv));
    let cloud_id = sealed
        .and_then(|s| s.cloud_id.as_deref())
        .map(c_string_lossy);
    let code = result.code.as_deref().map(c_string_lossy);
    let as_ptr = |s: &Option<CString>| s.as_ref().map_or(ptr::null(), |s| s.as_ptr());
    let view = werun_result {
        status: werun_status::from(result.status) as u32,
        err_msg: err_msg.as_ptr(),
        encrypted_data: as_ptr(&encrypted_data),
        iv: as_ptr(&iv),
        cloud_id: as_ptr(&cloud_id),
        code: as_ptr(&code),
    };
    for callback in callbacks.into_iter().flatten() {
        // SAFETY: the caller supplied these pointers for this purpose;
        // `view` and its strings outlive the call.
        unsafe { callback(user_data, &view) };
    }
}

/// Starts a call of `api` on `ctx` that completes through `completion`.
fn begin(ctx: &Context, api: Api, completion: impl FnOnce(&CallResult) + Send + 'static) -> CallId {
    match api {
        Api::GetWeRunData => ctx.get_we_run_data(completion),
        Api::Login => ctx.login(completion),
        Api::CheckSession => ctx.check_session(completion),
    }
}

/// Starts a call; shared by the three call functions.
///
/// # Safety
/// As for the call functions.
unsafe fn start_call(
    ctx: *mut werun_context,
    callbacks: *const werun_callbacks,
    call_out: *mut u64,
    api: Api,
) -> werun_status {
    ffi_boundary(|| {
        // SAFETY: the caller passes a live context or NULL.
        let ctx = unsafe { context(ctx) }?;
        // SAFETY: the caller passes a readable werun_callbacks or NULL.
        let callbacks = *unsafe { required(callbacks, "callbacks") }?;
        let call = match callbacks {
            werun_callbacks {
                user_data,
                success: None,
                fail: None,
                complete: Some(complete),
            } => {
                let callbacks = ForeignComplete {
                    user_data,
                    complete,
                };
                begin(ctx, api, move |result| callbacks.deliver(result))
            }
            _ => {
                let callbacks = ForeignCallbacks(callbacks);
                begin(ctx, api, move |result| callbacks.deliver(result))
            }
        };
        if !call_out.is_null() {
            // SAFETY: non-NULL call_out is a writable slot, per the contract.
            unsafe { call_out.write(call.0) };
        }
        Ok(())
    })
}

/// Starts `getWeRunData`: the user's step counts for the last 31 days,
/// sealed for the app's backend.
///
/// In order, it fails with UNSUPPORTED without a host `get_steps` hook,
/// NOT_LOGGED_IN without a live session (the host is not called), and
/// AUTH_DENIED once `scope.werun` was refused (without asking again). An
/// undetermined authorization is asked through the host's `authorize` hook,
/// one request shared by concurrent calls. Then the host's `get_steps` is
/// asked, one request shared by concurrent calls, and each call is sealed
/// with its own fresh IV.
///
/// `callbacks` is required; `call_out` may be NULL, else receives the id for
/// `werun_cancel`. See `werun_callbacks` for the callback contract.
/// Returns: OK, NULL_ARGUMENT, PANIC.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_get_we_run_data(
    ctx: *mut werun_context,
    callbacks: *const werun_callbacks,
    call_out: *mut u64,
) -> werun_status {
    // SAFETY: forwarded from the caller.
    unsafe { start_call(ctx, callbacks, call_out, Api::GetWeRunData) }
}

/// Starts `login`: forwarded to the host's `login` hook every time (logins
/// are not shared: each yields a new code). On success the session replaces
/// any older one and `result.code` holds the code; the session key never
/// reaches a callback. UNSUPPORTED without a `login` hook.
///
/// Returns: OK, NULL_ARGUMENT, PANIC.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_login(
    ctx: *mut werun_context,
    callbacks: *const werun_callbacks,
    call_out: *mut u64,
) -> werun_status {
    // SAFETY: forwarded from the caller.
    unsafe { start_call(ctx, callbacks, call_out, Api::Login) }
}

/// Starts `checkSession`: "checkSession:ok" while a session exists and has
/// not expired, else NOT_LOGGED_IN with "checkSession:fail session expired".
/// It completes before returning.
///
/// Returns: OK, NULL_ARGUMENT, PANIC.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_check_session(
    ctx: *mut werun_context,
    callbacks: *const werun_callbacks,
    call_out: *mut u64,
) -> werun_status {
    // SAFETY: forwarded from the caller.
    unsafe { start_call(ctx, callbacks, call_out, Api::CheckSession) }
}

/// Fails the call `call` with CANCELLED, running its fail and complete
/// callbacks before returning. If no other call waits on its host request,
/// the request is withdrawn and a later answer returns STALE_REQUEST.
///
/// Returns: OK, or STALE_REQUEST if the call already finished or is unknown.
#[unsafe(no_mangle)]
pub extern "C" fn werun_cancel(call: u64) -> werun_status {
    ffi_boundary(|| Ok(cancel(CallId(call))?))
}
