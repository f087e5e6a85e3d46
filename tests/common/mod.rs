//! The FFI harness: shared helpers for the integration tests that drive
//! werun only through its `extern "C"` functions, as a C host would. (The
//! open-data vectors are in `vectors.rs`, which a test includes on its own.)
//!
//! Recorders and host states are leaked on purpose: a call that finishes
//! after a failed assertion (on a timeout's thread, say) must never touch
//! freed memory, and a test process is short-lived.

#![allow(dead_code)] // each test crate uses a different subset

use std::collections::HashMap;
use std::ffi::{CStr, CString, c_char, c_void};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub use werun::ffi::werun_status::*;
pub use werun::ffi::*;

pub const APPID: &str = "wx4f4bc4dec97d474b";
/// WeChat's published sample session key: 16 bytes once decoded.
pub const SESSION_KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==";
/// Bytes 0..16: another valid session key.
pub const OTHER_SESSION_KEY: &str = "AAECAwQFBgcICQoLDA0ODw==";
/// 16 zero bytes: a valid IV.
pub const ZERO_IV: &str = "AAAAAAAAAAAAAAAAAAAAAA==";
pub const DAY: i64 = 86_400;
/// WeChat's default day alignment: 00:00 UTC+8.
pub const UTC8_SECONDS: i64 = 8 * 3600;
/// How long to wait for something werun finishes on another thread. This
/// bounds a hang; it is never a timing assertion.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Locks a test mutex; a poisoned one only means another assertion failed.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn c_string(text: &str) -> CString {
    CString::new(text).expect("test strings have no NUL")
}

fn c_ptr(text: &Option<CString>) -> *const c_char {
    text.as_ref().map_or(ptr::null(), |text| text.as_ptr())
}

/// # Safety
/// `ptr` is NULL or a NUL-terminated string.
unsafe fn copy_c_str(ptr: *const c_char) -> Option<String> {
    // SAFETY: forwarded from the caller.
    (!ptr.is_null()).then(|| {
        unsafe { CStr::from_ptr(ptr) }
            .to_string_lossy()
            .into_owned()
    })
}

/// This thread's `werun_last_error()`, copied.
pub fn last_error() -> String {
    // SAFETY: werun_last_error always returns a valid NUL-terminated string.
    unsafe { copy_c_str(werun_last_error()) }.expect("werun_last_error is never NULL")
}

// ---------------------------------------------------------------------------
// Results and the recorder passed as user_data.

/// A copy of a `werun_result`, which is only borrowed during the callback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub status: u32,
    pub err_msg: String,
    pub encrypted_data: Option<String>,
    pub iv: Option<String>,
    pub cloud_id: Option<String>,
    pub code: Option<String>,
}

impl Outcome {
    /// # Safety
    /// `result` points to a live `werun_result`.
    unsafe fn copy(result: *const werun_result) -> Outcome {
        // SAFETY: forwarded from the caller; werun_result's strings are
        // NULL or NUL-terminated.
        unsafe {
            let result = &*result;
            Outcome {
                status: result.status,
                err_msg: copy_c_str(result.err_msg).unwrap_or_default(),
                encrypted_data: copy_c_str(result.encrypted_data),
                iv: copy_c_str(result.iv),
                cloud_id: copy_c_str(result.cloud_id),
                code: copy_c_str(result.code),
            }
        }
    }

    /// Asserts a failure with exactly this status and errMsg, and no payload.
    #[track_caller]
    pub fn assert_fail(&self, status: werun_status, err_msg: &str) {
        assert_eq!(
            (self.status, self.err_msg.as_str()),
            (status as u32, err_msg),
            "{self:?}"
        );
        self.assert_no_payload();
    }

    /// Asserts a failure with this status whose errMsg starts with `prefix`,
    /// and returns the rest of the errMsg.
    #[track_caller]
    pub fn assert_fail_starting(&self, status: werun_status, prefix: &str) -> &str {
        assert_eq!(self.status, status as u32, "{self:?}");
        self.assert_no_payload();
        self.err_msg
            .strip_prefix(prefix)
            .unwrap_or_else(|| panic!("errMsg {:?} does not start with {prefix:?}", self.err_msg))
    }

    #[track_caller]
    fn assert_no_payload(&self) {
        let payload = [&self.encrypted_data, &self.iv, &self.cloud_id, &self.code];
        assert!(payload.iter().all(|field| field.is_none()), "{self:?}");
    }

    /// Asserts a getWeRunData success and returns `(encrypted_data, iv)`.
    #[track_caller]
    pub fn assert_we_run_data(&self) -> (&str, &str) {
        assert_eq!(self.status, WERUN_OK as u32, "{self:?}");
        assert_eq!(self.err_msg, "getWeRunData:ok");
        assert_eq!(self.code, None);
        match (&self.encrypted_data, &self.iv) {
            (Some(encrypted_data), Some(iv)) => (encrypted_data, iv),
            _ => panic!("a getWeRunData success without encrypted_data and iv: {self:?}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Callback {
    Success,
    Fail,
    Complete,
}

/// Passed as `user_data`: counts every callback and keeps a copy of each
/// result, so that a test can assert the exactly-once contract.
#[derive(Default)]
pub struct Recorder {
    successes: AtomicUsize,
    fails: AtomicUsize,
    completes: AtomicUsize,
    log: Mutex<Vec<(Callback, Outcome)>>,
    completed: Condvar,
}

impl Recorder {
    pub fn new() -> &'static Recorder {
        Box::leak(Box::default())
    }

    pub fn callbacks(&'static self) -> werun_callbacks {
        werun_callbacks {
            user_data: ptr::from_ref(self).cast_mut().cast(),
            success: Some(on_success),
            fail: Some(on_fail),
            complete: Some(on_complete),
        }
    }

    /// `[successes, fails, completes]` so far.
    pub fn counts(&self) -> [usize; 3] {
        [&self.successes, &self.fails, &self.completes].map(|count| count.load(Ordering::SeqCst))
    }

    pub fn is_complete(&self) -> bool {
        self.completes.load(Ordering::SeqCst) > 0
    }

    /// Asserts that no callback has run (yet).
    #[track_caller]
    pub fn assert_untouched(&self) {
        assert_eq!(self.counts(), [0, 0, 0], "{:?}", lock(&self.log));
    }

    /// Asserts the contract for a finished call: exactly one of success or
    /// fail (success iff OK), then complete exactly once, with equal results.
    #[track_caller]
    pub fn outcome(&self) -> Outcome {
        let log = lock(&self.log).clone();
        let [(first, outcome), (Callback::Complete, completed)] = log.as_slice() else {
            panic!("expected one success or fail, then one complete; got {log:?}");
        };
        let expected = if outcome.status == WERUN_OK as u32 {
            Callback::Success
        } else {
            Callback::Fail
        };
        assert_eq!(*first, expected, "{log:?}");
        assert_eq!(outcome, completed, "complete saw another result");
        assert_eq!(self.counts().iter().sum::<usize>(), 2);
        outcome.clone()
    }

    /// Waits (up to [`PATIENCE`]) for complete, then checks as [`Self::outcome`].
    #[track_caller]
    pub fn wait(&self) -> Outcome {
        let deadline = Instant::now() + PATIENCE;
        let mut log = lock(&self.log);
        while !self.is_complete() {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "the call never completed: {log:?}");
            log = self
                .completed
                .wait_timeout(log, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        drop(log);
        self.outcome()
    }

    fn record(&self, callback: Callback, result: *const werun_result) {
        let counter = match callback {
            Callback::Success => &self.successes,
            Callback::Fail => &self.fails,
            Callback::Complete => &self.completes,
        };
        // SAFETY: werun passes a result that is live during the callback.
        let outcome = unsafe { Outcome::copy(result) };
        let mut log = lock(&self.log);
        log.push((callback, outcome));
        counter.fetch_add(1, Ordering::SeqCst);
        self.completed.notify_all();
    }
}

/// # Safety
/// `user_data` is the `&'static Recorder` that `Recorder::callbacks` set.
unsafe fn recorder<'a>(user_data: *mut c_void) -> &'a Recorder {
    // SAFETY: forwarded from the caller.
    unsafe { &*user_data.cast::<Recorder>() }
}

unsafe extern "C" fn on_success(user_data: *mut c_void, result: *const werun_result) {
    // SAFETY: user_data was set by Recorder::callbacks.
    unsafe { recorder(user_data) }.record(Callback::Success, result);
}

unsafe extern "C" fn on_fail(user_data: *mut c_void, result: *const werun_result) {
    // SAFETY: as above.
    unsafe { recorder(user_data) }.record(Callback::Fail, result);
}

unsafe extern "C" fn on_complete(user_data: *mut c_void, result: *const werun_result) {
    // SAFETY: as above.
    unsafe { recorder(user_data) }.record(Callback::Complete, result);
}

/// Callbacks that are all NULL, which the contract allows.
pub fn null_callbacks() -> werun_callbacks {
    werun_callbacks {
        user_data: ptr::null_mut(),
        success: None,
        fail: None,
        complete: None,
    }
}

// ---------------------------------------------------------------------------
// Host answers.

/// One answer to a host request, with its strings already converted, so that
/// a scripted hook can send it without anything that could panic.
#[derive(Clone, Debug)]
pub enum Reply {
    Login {
        code: CString,
        session_key: Option<CString>,
        expires_in_s: u32,
    },
    Authorize(u32),
    Steps(Vec<werun_step>),
    Sealed {
        encrypted_data: CString,
        iv: CString,
        cloud_id: Option<CString>,
    },
    Fail {
        status: u32,
        message: Option<CString>,
    },
}

impl Reply {
    pub fn login(code: &str, session_key: Option<&str>, expires_in_s: u32) -> Reply {
        Reply::Login {
            code: c_string(code),
            session_key: session_key.map(c_string),
            expires_in_s,
        }
    }

    pub fn sealed(encrypted_data: &str, iv: &str, cloud_id: Option<&str>) -> Reply {
        Reply::Sealed {
            encrypted_data: c_string(encrypted_data),
            iv: c_string(iv),
            cloud_id: cloud_id.map(c_string),
        }
    }

    pub fn fail(status: werun_status, message: Option<&str>) -> Reply {
        Reply::Fail {
            status: status as u32,
            message: message.map(c_string),
        }
    }

    pub fn send(&self, request: u64) -> werun_status {
        // SAFETY: every pointer is NULL where nullable, or borrowed from self.
        unsafe {
            match self {
                Reply::Login {
                    code,
                    session_key,
                    expires_in_s,
                } => werun_request_answer_login(
                    request,
                    code.as_ptr(),
                    c_ptr(session_key),
                    *expires_in_s,
                ),
                Reply::Authorize(granted) => werun_request_answer_authorize(request, *granted),
                Reply::Steps(steps) => {
                    werun_request_answer_steps(request, steps.as_ptr(), steps.len())
                }
                Reply::Sealed {
                    encrypted_data,
                    iv,
                    cloud_id,
                } => werun_request_answer_sealed(
                    request,
                    encrypted_data.as_ptr(),
                    iv.as_ptr(),
                    c_ptr(cloud_id),
                ),
                Reply::Fail { status, message } => {
                    werun_request_fail(request, *status, c_ptr(message))
                }
            }
        }
    }
}

pub fn answer_login(
    request: u64,
    code: &str,
    session_key: Option<&str>,
    expires_in_s: u32,
) -> werun_status {
    Reply::login(code, session_key, expires_in_s).send(request)
}

pub fn answer_authorize(request: u64, granted: u32) -> werun_status {
    werun_request_answer_authorize(request, granted)
}

pub fn answer_steps(request: u64, steps: &[werun_step]) -> werun_status {
    Reply::Steps(steps.to_vec()).send(request)
}

pub fn answer_sealed(
    request: u64,
    encrypted_data: &str,
    iv: &str,
    cloud_id: Option<&str>,
) -> werun_status {
    Reply::sealed(encrypted_data, iv, cloud_id).send(request)
}

pub fn fail_request(request: u64, status: werun_status, message: Option<&str>) -> werun_status {
    Reply::fail(status, message).send(request)
}

pub fn cancel(call: u64) -> werun_status {
    werun_cancel(call)
}

pub fn step(timestamp: i64, step: i64) -> werun_step {
    werun_step { timestamp, step }
}

/// The sum of the steps of every entry.
pub fn total(steps: &[werun_step]) -> i64 {
    steps.iter().map(|s| s.step).sum()
}

/// Unix seconds now.
pub fn unix_now() -> i64 {
    let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    i64::try_from(elapsed.as_secs()).unwrap()
}

// ---------------------------------------------------------------------------
// A scriptable native host.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Hook {
    Login,
    Authorize,
    GetSteps,
}

pub const ALL_HOOKS: &[Hook] = &[Hook::Login, Hook::Authorize, Hook::GetSteps];

/// A request a hook received, and the thread it ran on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Received {
    pub hook: Hook,
    pub request: u64,
    pub thread: ThreadId,
}

/// What a native host built from `extern "C"` hooks saw. By default a hook
/// only records its request, for the test to answer; [`HostState::script`]
/// makes it answer synchronously from inside the hook instead.
#[derive(Default)]
pub struct HostState {
    received: Mutex<Vec<Received>>,
    arrived: Condvar,
    hook_calls: AtomicUsize,
    authorization_changes: Mutex<Vec<u32>>,
    releases: AtomicUsize,
    scripts: Mutex<HashMap<Hook, Reply>>,
    /// What each scripted reply returned, in order.
    reply_statuses: Mutex<Vec<werun_status>>,
    /// How long each hook takes after recording its request.
    delay: Mutex<Duration>,
    hooks_returned: AtomicUsize,
}

impl HostState {
    pub fn new() -> &'static HostState {
        Box::leak(Box::default())
    }

    /// A `werun_host` with the given request hooks, plus
    /// `authorization_changed` and `release`.
    pub fn werun_host(&'static self, hooks: &[Hook]) -> werun_host {
        let hook = |wanted: Hook, hook: unsafe extern "C" fn(*mut c_void, u64)| {
            hooks.contains(&wanted).then_some(hook)
        };
        werun_host {
            host_data: ptr::from_ref(self).cast_mut().cast(),
            login: hook(Hook::Login, host_login),
            authorize: hook(Hook::Authorize, host_authorize),
            get_steps: hook(Hook::GetSteps, host_get_steps),
            authorization_changed: Some(host_authorization_changed),
            release: Some(host_release),
        }
    }

    /// From now on, `hook` answers every request with `reply` before it
    /// returns.
    pub fn script(&self, hook: Hook, reply: Reply) {
        lock(&self.scripts).insert(hook, reply);
    }

    pub fn received(&self) -> Vec<Received> {
        lock(&self.received).clone()
    }

    /// The requests received after the first `start`, of any hook.
    pub fn received_since(&self, start: usize) -> Vec<Received> {
        lock(&self.received)
            .get(start..)
            .unwrap_or_default()
            .to_vec()
    }

    /// The requests `hook` received, in order.
    pub fn requests(&self, hook: Hook) -> Vec<u64> {
        lock(&self.received)
            .iter()
            .filter(|received| received.hook == hook)
            .map(|received| received.request)
            .collect()
    }

    /// The one request `hook` received; fails if there were more or none.
    #[track_caller]
    pub fn only_request(&self, hook: Hook) -> u64 {
        match self.requests(hook).as_slice() {
            [request] => *request,
            other => panic!("expected one {hook:?} request, got {other:?}"),
        }
    }

    /// The latest request `hook` received.
    #[track_caller]
    pub fn last_request(&self, hook: Hook) -> u64 {
        *self
            .requests(hook)
            .last()
            .unwrap_or_else(|| panic!("no {hook:?} request"))
    }

    /// Waits (up to [`PATIENCE`]) until `hook` has received `count` requests,
    /// and returns the `count`-th.
    #[track_caller]
    pub fn wait_for_request(&self, hook: Hook, count: usize) -> u64 {
        let deadline = Instant::now() + PATIENCE;
        let mut received = lock(&self.received);
        loop {
            let requests: Vec<_> = received.iter().filter(|r| r.hook == hook).collect();
            if let Some(nth) = requests.get(count - 1) {
                return nth.request;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "no {hook:?} request #{count} arrived");
            received = self
                .arrived
                .wait_timeout(received, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// From now on, every hook takes `delay` (after recording its request)
    /// before it replies and returns.
    pub fn slow_down(&self, delay: Duration) {
        *lock(&self.delay) = delay;
    }

    pub fn hook_calls(&self) -> usize {
        self.hook_calls.load(Ordering::SeqCst)
    }

    /// How many hook calls have returned.
    pub fn hooks_returned(&self) -> usize {
        self.hooks_returned.load(Ordering::SeqCst)
    }

    pub fn authorization_changes(&self) -> Vec<u32> {
        lock(&self.authorization_changes).clone()
    }

    pub fn releases(&self) -> usize {
        self.releases.load(Ordering::SeqCst)
    }

    pub fn reply_statuses(&self) -> Vec<werun_status> {
        lock(&self.reply_statuses).clone()
    }

    fn receive(&self, hook: Hook, request: u64) {
        self.hook_calls.fetch_add(1, Ordering::SeqCst);
        lock(&self.received).push(Received {
            hook,
            request,
            thread: thread::current().id(),
        });
        self.arrived.notify_all();
        let delay = *lock(&self.delay);
        if !delay.is_zero() {
            thread::sleep(delay);
        }
        // No lock is held while replying: the reply may run further hooks on
        // this thread (a grant runs get_steps).
        let reply = lock(&self.scripts).get(&hook).cloned();
        if let Some(reply) = reply {
            let status = reply.send(request);
            lock(&self.reply_statuses).push(status);
        }
        self.hooks_returned.fetch_add(1, Ordering::SeqCst);
    }
}

/// # Safety
/// `host_data` is the `&'static HostState` that `HostState::werun_host` set.
unsafe fn host_state<'a>(host_data: *mut c_void) -> &'a HostState {
    // SAFETY: forwarded from the caller.
    unsafe { &*host_data.cast::<HostState>() }
}

unsafe extern "C" fn host_login(host_data: *mut c_void, request: u64) {
    // SAFETY: host_data was set by HostState::werun_host.
    unsafe { host_state(host_data) }.receive(Hook::Login, request);
}

unsafe extern "C" fn host_authorize(host_data: *mut c_void, request: u64) {
    // SAFETY: as above.
    unsafe { host_state(host_data) }.receive(Hook::Authorize, request);
}

unsafe extern "C" fn host_get_steps(host_data: *mut c_void, request: u64) {
    // SAFETY: as above.
    unsafe { host_state(host_data) }.receive(Hook::GetSteps, request);
}

unsafe extern "C" fn host_authorization_changed(host_data: *mut c_void, state: u32) {
    // SAFETY: as above.
    lock(&unsafe { host_state(host_data) }.authorization_changes).push(state);
}

unsafe extern "C" fn host_release(host_data: *mut c_void) {
    // SAFETY: as above.
    unsafe { host_state(host_data) }
        .releases
        .fetch_add(1, Ordering::SeqCst);
}

// ---------------------------------------------------------------------------
// The context.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    GetWeRunData,
    Login,
    CheckSession,
}

pub const ALL_APIS: [Api; 3] = [Api::GetWeRunData, Api::Login, Api::CheckSession];

/// The signature the three call functions share.
pub type CallFn =
    unsafe extern "C" fn(*mut werun_context, *const werun_callbacks, *mut u64) -> werun_status;

impl Api {
    /// The name that prefixes its errMsg.
    pub fn name(self) -> &'static str {
        match self {
            Api::GetWeRunData => "getWeRunData",
            Api::Login => "login",
            Api::CheckSession => "checkSession",
        }
    }

    pub fn function(self) -> CallFn {
        match self {
            Api::GetWeRunData => werun_get_we_run_data,
            Api::Login => werun_login,
            Api::CheckSession => werun_check_session,
        }
    }
}

/// An owned `werun_context`, freed on drop.
pub struct Ctx(*mut werun_context);

// SAFETY: werun contexts may be used from any thread concurrently, except
// for free, which takes the Ctx by value.
unsafe impl Send for Ctx {}
// SAFETY: as above.
unsafe impl Sync for Ctx {}

impl Ctx {
    #[track_caller]
    pub fn new() -> Ctx {
        let appid = c_string(APPID);
        let mut ctx = ptr::null_mut();
        // SAFETY: valid string and out-param.
        let status = unsafe { werun_context_new(appid.as_ptr(), &mut ctx) };
        assert_eq!(status, WERUN_OK, "{}", last_error());
        Ctx(ctx)
    }

    #[track_caller]
    pub fn with_host(host: &werun_host) -> Ctx {
        let ctx = Ctx::new();
        ctx.set_host(Some(host));
        ctx
    }

    /// A context whose host has `hooks` (which must include login) and whose
    /// session (with [`SESSION_KEY`], never expiring) came from a login the
    /// host answered.
    #[track_caller]
    pub fn logged_in(host: &'static HostState, hooks: &[Hook]) -> Ctx {
        let ctx = Ctx::with_host(&host.werun_host(hooks));
        ctx.log_in(host, Some(SESSION_KEY), 0);
        ctx
    }

    /// As [`Ctx::logged_in`], with `scope.werun` already granted (so the
    /// host is not told), so that getWeRunData goes straight to get_steps.
    #[track_caller]
    pub fn ready(host: &'static HostState, hooks: &[Hook]) -> Ctx {
        let ctx = Ctx::logged_in(host, hooks);
        ctx.set_authorization(WERUN_AUTH_GRANTED);
        ctx
    }

    pub fn ptr(&self) -> *mut werun_context {
        self.0
    }

    #[track_caller]
    pub fn set_host(&self, host: Option<&werun_host>) {
        let host = host.map_or(ptr::null(), ptr::from_ref);
        // SAFETY: live context; host is NULL or readable.
        assert_eq!(unsafe { werun_context_set_host(self.0, host) }, WERUN_OK);
    }

    #[track_caller]
    pub fn set_timeout_ms(&self, timeout_ms: u32) {
        // SAFETY: live context.
        let status = unsafe { werun_context_set_timeout_ms(self.0, timeout_ms) };
        assert_eq!(status, WERUN_OK);
    }

    #[track_caller]
    pub fn set_authorization(&self, state: u32) {
        // SAFETY: live context.
        let status = unsafe { werun_context_set_authorization(self.0, state) };
        assert_eq!(status, WERUN_OK);
    }

    #[track_caller]
    pub fn authorization(&self) -> u32 {
        let mut state = u32::MAX;
        // SAFETY: live context and a writable out-param.
        let status = unsafe { werun_context_get_authorization(self.0, &mut state) };
        assert_eq!(status, WERUN_OK);
        state
    }

    #[track_caller]
    pub fn logout(&self) {
        // SAFETY: live context.
        assert_eq!(unsafe { werun_context_logout(self.0) }, WERUN_OK);
    }

    /// Calls the call function of `api` as given, and returns its status.
    pub fn try_start(
        &self,
        api: Api,
        callbacks: *const werun_callbacks,
        call_out: *mut u64,
    ) -> werun_status {
        // SAFETY: live context; callbacks NULL or readable; call_out NULL or
        // writable.
        unsafe { api.function()(self.0, callbacks, call_out) }
    }

    /// Starts a call that reports to `recorder`; asserts that the call
    /// function returned OK, and returns the call id.
    #[track_caller]
    pub fn start(&self, api: Api, recorder: &'static Recorder) -> u64 {
        let mut call = 0;
        let status = self.try_start(api, &recorder.callbacks(), &mut call);
        assert_eq!(status, WERUN_OK, "{}", last_error());
        assert_ne!(call, 0, "call_out was not written");
        call
    }

    /// Starts `api` and returns its outcome, which must already be there:
    /// for calls the library answers itself, or the host answers from
    /// inside its hook.
    #[track_caller]
    pub fn run(&self, api: Api) -> Outcome {
        let recorder = Recorder::new();
        self.start(api, recorder);
        recorder.outcome()
    }

    /// Logs in through the host's login hook (which must not be scripted),
    /// answering with `session_key` and `expires_in_s`.
    #[track_caller]
    pub fn log_in(&self, host: &HostState, session_key: Option<&str>, expires_in_s: u32) {
        let recorder = Recorder::new();
        self.start(Api::Login, recorder);
        let request = host.last_request(Hook::Login);
        let status = answer_login(request, "login-code", session_key, expires_in_s);
        assert_eq!(status, WERUN_OK, "{}", last_error());
        assert_eq!(recorder.outcome().err_msg, "login:ok");
    }

    /// Frees the context now (`werun_context_free`).
    pub fn free(self) {
        drop(self);
    }
}

impl Drop for Ctx {
    fn drop(&mut self) {
        // SAFETY: the pointer came from werun_context_new and is freed once.
        let status = unsafe { werun_context_free(self.0) };
        if !thread::panicking() {
            assert_eq!(status, WERUN_OK, "{}", last_error());
        }
    }
}

// ---------------------------------------------------------------------------
// The backend side.

/// A decrypted WeRun payload.
#[derive(Debug)]
pub struct WeRunData {
    pub steps: Vec<werun_step>,
    pub watermark_timestamp: i64,
}

/// Decrypts a getWeRunData success with `session_key`, checking the appid.
pub fn decrypt_we_run_data(
    session_key: &str,
    encrypted_data: &str,
    iv: &str,
) -> Result<WeRunData, werun_status> {
    let [key, data, iv, appid] = [session_key, encrypted_data, iv, APPID].map(c_string);
    let mut steps = ptr::null_mut();
    let mut len = 0;
    let mut watermark_timestamp = 0;
    // SAFETY: valid strings and out-params.
    let status = unsafe {
        werun_we_run_data_decrypt(
            key.as_ptr(),
            data.as_ptr(),
            iv.as_ptr(),
            appid.as_ptr(),
            &mut steps,
            &mut len,
            &mut watermark_timestamp,
        )
    };
    if status != WERUN_OK {
        return Err(status);
    }
    let copied = if len == 0 {
        Vec::new()
    } else {
        // SAFETY: on OK, steps points to len entries.
        unsafe { std::slice::from_raw_parts(steps, len) }.to_vec()
    };
    // SAFETY: freed once, with the length werun gave.
    unsafe { werun_steps_free(steps, len) };
    Ok(WeRunData {
        steps: copied,
        watermark_timestamp,
    })
}

/// Decrypts open data with `session_key` and returns the plaintext.
#[track_caller]
pub fn open_data_decrypt(session_key: &str, encrypted_data: &str, iv: &str) -> String {
    let [key, data, iv] = [session_key, encrypted_data, iv].map(c_string);
    let mut json = ptr::null_mut();
    // SAFETY: valid strings and out-param; appid may be NULL.
    let status = unsafe {
        werun_open_data_decrypt(
            key.as_ptr(),
            data.as_ptr(),
            iv.as_ptr(),
            ptr::null(),
            &mut json,
        )
    };
    assert_eq!(status, WERUN_OK, "{}", last_error());
    // SAFETY: on OK, json is a NUL-terminated string werun allocated.
    let text = unsafe { copy_c_str(json) }.expect("json_out was written");
    // SAFETY: freed once.
    unsafe { werun_string_free(json) };
    text
}

/// Seals `json` under `session_key`; returns `(encrypted_data, iv)`.
#[track_caller]
pub fn open_data_encrypt(session_key: &str, json: &str) -> (String, String) {
    let [key, json] = [session_key, json].map(c_string);
    let (mut data, mut iv) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY: valid strings and out-params.
    let status =
        unsafe { werun_open_data_encrypt(key.as_ptr(), json.as_ptr(), &mut data, &mut iv) };
    assert_eq!(status, WERUN_OK, "{}", last_error());
    // SAFETY: on OK, both are NUL-terminated strings werun allocated, each
    // freed once.
    unsafe {
        let sealed = (copy_c_str(data).unwrap(), copy_c_str(iv).unwrap());
        werun_string_free(data);
        werun_string_free(iv);
        sealed
    }
}
