//! A context: configuration, host, session, `scope.werun` authorization, and
//! the calls and host requests in flight.
//!
//! Every state change happens under one mutex; everything that runs user code
//! (completions, hooks) is collected as [`Effects`] and run after the mutex is
//! released. Whoever removes a call from `calls` completes it, so an answer, a
//! timeout, a cancel and a free can race and the call still completes once.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::authorization::Authorization;
use super::call::{Api, CallId, CallResult, Completer, Completion, Failure, INVALID_HOST_DATA};
use super::effects::{Effects, SealJob};
use super::host::Host;
use super::injected_panic::{self, Site};
use super::registry::{self, Registry};
use super::request::{HostAnswer, HostFailure, RequestId, RequestKind};
use super::session::Session;
use super::settings::{
    DEFAULT_MAX_IN_FLIGHT, DEFAULT_TIMEOUT, DEFAULT_UTC_OFFSET_MINUTES, Settings,
};
use super::status::{Error, Status};
use super::sync::{Condvar, Mutex, MutexGuard, lock, thread_local};
use super::timer::Timer;
use crate::open_data::{self, Sealed, SessionKey, StepSample, StepWindowPlaintext};

pub use crate::open_data::MAX_APPID_LEN;

/// werun's one rule for an appid (`open_data::check_appid`), as a core error.
pub(crate) fn check_appid(appid: &str, if_empty: &str) -> Result<(), Error> {
    Ok(open_data::check_appid(appid, if_empty)?)
}
const MAX_LOGIN_CODE_LEN: usize = 4096;

/// Which context owns each call and request id.
// Under loom the map is loom's too, made afresh for each explored
// interleaving, so that loom sees an answer race a free through it.
#[cfg(not(loom))]
static CONTEXTS: std::sync::LazyLock<Registry<Shared>> =
    std::sync::LazyLock::new(Registry::default);
#[cfg(loom)]
loom::lazy_static! {
    static ref CONTEXTS: Registry<Shared> = Registry::default();
}

/// The deadlines of every context's host requests.
static TIMER: std::sync::LazyLock<&'static Timer> =
    std::sync::LazyLock::new(|| Timer::start(expire_requests));

/// The live context that owns the call or request `id`, if any.
pub(crate) fn owner(id: u64) -> Option<Arc<Shared>> {
    CONTEXTS.owner(id)
}

/// One app's werun state. Dropping it fails every call in flight with
/// CANCELLED, waits for callbacks running on other threads, and then drops
/// (releases) the host.
///
/// Dropped from inside one of its own callbacks or hooks (a completion that
/// owned the last `Arc<Context>`, say), it cannot wait for that callback, nor
/// for the rest of the batch of callbacks it belongs to: those finish after
/// the drop returns, and the host is released when the last of them does.
/// Nothing is freed under them, since every callback owns what it captured.
/// [`Context::check_free`] tells whether a drop here would be such a drop;
/// the C ABI refuses one (`werun_context_free`), because C callers free
/// their callbacks' data as soon as the free returns.
pub struct Context {
    shared: Arc<Shared>,
}

pub(crate) struct Shared {
    appid: String,
    state: Mutex<State>,
    /// Signalled when `State::running` drops to zero.
    idle: Condvar,
}

struct State {
    closed: bool,
    timeout: Duration,
    utc_offset_minutes: i32,
    max_in_flight: u32,
    host: Option<Arc<Host>>,
    session: Option<Session>,
    authorization: Authorization,
    calls: HashMap<CallId, PendingCall>,
    requests: HashMap<RequestId, PendingRequest>,
    /// The authorize request concurrent getWeRunData calls share.
    shared_authorize: Option<RequestId>,
    /// The get_steps request concurrent getWeRunData calls share.
    shared_steps: Option<RequestId>,
    /// Batches of effects running right now, on any thread.
    running: usize,
}

struct PendingCall {
    completer: Completer,
    request: RequestId,
}

struct PendingRequest {
    kind: RequestKind,
    deadline: Instant,
    waiters: Vec<CallId>,
}

/// Where a new or resumed call goes next.
enum Route {
    Finish(CallResult),
    Wait(RequestKind),
}

impl Context {
    /// A context for the mini program `appid`, which goes into every
    /// watermark. Defaults: [`DEFAULT_TIMEOUT`], [`DEFAULT_UTC_OFFSET_MINUTES`],
    /// [`DEFAULT_MAX_IN_FLIGHT`] (the one definition of each), no host, no
    /// session, authorization not determined.
    pub fn new(appid: &str) -> Result<Context, Error> {
        check_appid(appid, "appid is empty")?;
        let state = State {
            closed: false,
            timeout: DEFAULT_TIMEOUT,
            utc_offset_minutes: DEFAULT_UTC_OFFSET_MINUTES,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            host: None,
            session: None,
            authorization: Authorization::NotDetermined,
            calls: HashMap::new(),
            requests: HashMap::new(),
            shared_authorize: None,
            shared_steps: None,
            running: 0,
        };
        Ok(Context {
            shared: Arc::new(Shared {
                appid: appid.to_owned(),
                state: Mutex::new(state),
                idle: Condvar::new(),
            }),
        })
    }

    pub fn appid(&self) -> &str {
        &self.shared.appid
    }

    /// Applies every setting `settings` names, or none: all are checked
    /// first, and if any is refused (`InvalidArgument`, naming each refused
    /// one), nothing changes. They are applied under one lock, so a call
    /// started concurrently sees all of them or none.
    pub fn configure(&self, settings: Settings) -> Result<(), Error> {
        settings.check()?;
        let Settings {
            timeout,
            utc_offset_minutes,
            max_in_flight,
        } = settings;
        let mut state = self.state();
        state.timeout = timeout.unwrap_or(state.timeout);
        state.utc_offset_minutes = utc_offset_minutes.unwrap_or(state.utc_offset_minutes);
        state.max_in_flight = max_in_flight.unwrap_or(state.max_in_flight);
        Ok(())
    }

    /// Shorthand for [`Context::configure`] with [`Settings::timeout`] alone.
    pub fn set_timeout(&self, timeout: Duration) -> Result<(), Error> {
        self.configure(Settings {
            timeout: Some(timeout),
            ..Settings::default()
        })
    }

    /// Shorthand for [`Context::configure`] with
    /// [`Settings::utc_offset_minutes`] alone.
    pub fn set_utc_offset_minutes(&self, minutes: i32) -> Result<(), Error> {
        self.configure(Settings {
            utc_offset_minutes: Some(minutes),
            ..Settings::default()
        })
    }

    /// Shorthand for [`Context::configure`] with [`Settings::max_in_flight`]
    /// alone.
    pub fn set_max_in_flight(&self, max: u32) -> Result<(), Error> {
        self.configure(Settings {
            max_in_flight: Some(max),
            ..Settings::default()
        })
    }

    /// Sets the authorization without notifying the host, which made (or
    /// restored) this change itself.
    pub fn set_authorization(&self, authorization: Authorization) {
        self.state().authorization = authorization;
    }

    pub fn authorization(&self) -> Authorization {
        self.state().authorization
    }

    /// Drops the session; its key is zeroized.
    pub fn logout(&self) {
        let session = self.state().session.take();
        drop(session);
    }

    /// Installs `host`, or clears it with `None`. The previous host is dropped
    /// once no hook of it is running. Requests already sent stay answerable.
    pub fn set_host(&self, host: Option<Host>) {
        let previous = std::mem::replace(&mut self.state().host, host.map(Arc::new));
        // Dropped here, outside the lock: releasing a host runs user code.
        drop(previous);
    }

    /// Starts `getWeRunData`. `completion` runs exactly once, possibly
    /// before this returns.
    pub fn get_we_run_data(&self, completion: impl FnOnce(&CallResult) + Send + 'static) -> CallId {
        self.start(Api::GetWeRunData, Box::new(completion))
    }

    /// Starts `login`: every call is forwarded to the host's login hook.
    pub fn login(&self, completion: impl FnOnce(&CallResult) + Send + 'static) -> CallId {
        self.start(Api::Login, Box::new(completion))
    }

    /// Starts `checkSession`, which completes before this returns.
    pub fn check_session(&self, completion: impl FnOnce(&CallResult) + Send + 'static) -> CallId {
        self.start(Api::CheckSession, Box::new(completion))
    }

    /// `Err(Reentrant)` if this thread is inside one of this context's
    /// callbacks or hooks, where dropping it cannot wait for them all.
    pub fn check_free(&self) -> Result<(), Error> {
        if self.shared.batches_running_here() > 0 {
            return Err(Error::reentrant_free());
        }
        Ok(())
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.shared.state)
    }

    /// Every call completes: past the max in flight, a call that would wait
    /// on the host fails with BUSY (`<api>:fail busy`) before this returns,
    /// as WeChat delivers every outcome through `fail`.
    fn start(&self, api: Api, completion: Completion) -> CallId {
        let call = CallId(registry::next_id());
        let mut state = self.state();
        // Routed before the completer exists: a panic here drops the
        // completion unrun, and the caller sees PANIC instead of a callback.
        injected_panic::hit(Site::Route);
        let route = state.route(api, Instant::now());
        let completer = Completer::new(api, call, completion);
        let mut effects = Effects::default();
        match route {
            Route::Finish(result) => effects.complete(completer, result),
            Route::Wait(_) if state.calls.len() >= state.max_in_flight as usize => {
                effects.complete(completer, CallResult::failed(api, &Failure::Busy));
            }
            Route::Wait(kind) => {
                if kind == RequestKind::GetSteps
                    && state.authorization == Authorization::NotDetermined
                {
                    // No authorize hook: scope.werun counts as granted.
                    state.change_authorization(Authorization::Granted, &mut effects);
                }
                state.wait_on(kind, call, completer, &self.shared, &mut effects);
            }
        }
        self.shared.finish(state, effects);
        call
    }
}

impl Drop for Context {
    fn drop(&mut self) {
        self.shared.close();
    }
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("appid", &self.shared.appid)
            .finish_non_exhaustive()
    }
}

impl State {
    fn live_session(&self, now: Instant) -> bool {
        self.session
            .as_ref()
            .is_some_and(|session| session.is_live(now))
    }

    /// The getWeRunData order: host, session, authorization, then steps.
    fn route(&self, api: Api, now: Instant) -> Route {
        let host = self.host.as_deref();
        let fail = |failure| Route::Finish(CallResult::failed(api, &failure));
        match api {
            Api::CheckSession if self.live_session(now) => Route::Finish(CallResult::ok(api)),
            Api::CheckSession => fail(Failure::NotLoggedIn),
            Api::Login if host.is_some_and(|h| h.login.is_some()) => {
                Route::Wait(RequestKind::Login)
            }
            Api::Login => fail(Failure::Unsupported),
            Api::GetWeRunData => {
                let Some(host) = host.filter(|h| h.get_steps.is_some()) else {
                    return fail(Failure::Unsupported);
                };
                if !self.live_session(now) {
                    return fail(Failure::NotLoggedIn);
                }
                match self.authorization {
                    Authorization::Denied => fail(Failure::AuthDenied),
                    Authorization::NotDetermined if host.authorize.is_some() => {
                        Route::Wait(RequestKind::Authorize)
                    }
                    Authorization::NotDetermined | Authorization::Granted => {
                        Route::Wait(RequestKind::GetSteps)
                    }
                }
            }
        }
    }

    /// Parks `call` on a request of `kind`: the shared one for authorize and
    /// get_steps if one is pending, else a new one whose hook runs after the
    /// lock is released.
    fn wait_on(
        &mut self,
        kind: RequestKind,
        call: CallId,
        completer: Completer,
        shared: &Arc<Shared>,
        effects: &mut Effects,
    ) {
        let slot = match kind {
            RequestKind::Login => None,
            RequestKind::Authorize => self.shared_authorize,
            RequestKind::GetSteps => self.shared_steps,
        };
        let request = match slot {
            Some(request) => request,
            None => self.send_request(kind, shared, effects),
        };
        self.requests
            .get_mut(&request)
            .expect("a shared request slot names a pending request")
            .waiters
            .push(call);
        self.calls.insert(call, PendingCall { completer, request });
        CONTEXTS.register(call.0, shared);
    }

    fn send_request(
        &mut self,
        kind: RequestKind,
        shared: &Arc<Shared>,
        effects: &mut Effects,
    ) -> RequestId {
        let request = RequestId(registry::next_id());
        let deadline = Instant::now() + self.timeout;
        self.requests.insert(
            request,
            PendingRequest {
                kind,
                deadline,
                waiters: Vec::new(),
            },
        );
        match kind {
            RequestKind::Login => {}
            RequestKind::Authorize => self.shared_authorize = Some(request),
            RequestKind::GetSteps => self.shared_steps = Some(request),
        }
        CONTEXTS.register(request.0, shared);
        TIMER.schedule(deadline, request);
        let host = self.host.clone().expect("routing checked the host");
        effects.call_hook(host, kind, request);
        request
    }

    fn pending_kind(&self, request: RequestId) -> Result<RequestKind, Error> {
        if self.closed {
            return Err(Error::stale_request());
        }
        self.requests
            .get(&request)
            .map(|pending| pending.kind)
            .ok_or_else(Error::stale_request)
    }

    /// Removes `request` and hands back the calls that waited on it.
    fn take_request(&mut self, request: RequestId) -> Vec<(CallId, Completer)> {
        let Some(pending) = self.requests.remove(&request) else {
            return Vec::new();
        };
        if self.shared_authorize == Some(request) {
            self.shared_authorize = None;
        }
        if self.shared_steps == Some(request) {
            self.shared_steps = None;
        }
        CONTEXTS.unregister([request.0]);
        TIMER.unschedule(pending.deadline, request);
        // The calls stay registered: a call moving on to another request
        // (after a grant) must stay cancellable. Completing one unregisters it.
        pending
            .waiters
            .into_iter()
            .filter_map(|call| Some((call, self.calls.remove(&call)?.completer)))
            .collect()
    }

    fn change_authorization(&mut self, authorization: Authorization, effects: &mut Effects) {
        if self.authorization != authorization {
            self.authorization = authorization;
            if let Some(host) = &self.host {
                effects.notify_authorization(host.clone(), authorization);
            }
        }
    }
}

fn fail_all(waiters: Vec<(CallId, Completer)>, failure: &Failure, effects: &mut Effects) {
    for (_, completer) in waiters {
        let result = CallResult::failed(completer.api(), failure);
        effects.complete(completer, result);
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

fn invalid_data(detail: String) -> (Failure, Error) {
    (
        Failure::InvalidData(detail.clone()),
        Error::new(
            Status::InvalidData,
            format!("{INVALID_HOST_DATA}: {detail}"),
        ),
    )
}

impl Shared {
    /// Releases the lock, then runs `effects`, counted in `running` so that
    /// `close` can wait for them.
    fn finish(self: &Arc<Self>, mut state: MutexGuard<'_, State>, effects: Effects) {
        if effects.is_empty() {
            return;
        }
        state.running += 1;
        drop(state);
        self.run_counted(effects);
    }

    /// Runs a batch of effects already counted in `running`, on this thread.
    fn run_counted(self: &Arc<Self>, effects: Effects) {
        let _running = RunningEffects::new(self);
        // Only a core bug can panic here. The completers `effects` still owns
        // then complete with internal error as they drop, so contain the
        // panic: the caller's call function has already accepted the call.
        let _ = catch_unwind(AssertUnwindSafe(|| {
            CONTEXTS.unregister(effects.finished_calls().map(|call| call.0));
            effects.run(|request, failure| self.fail_request(request, failure));
        }));
    }

    pub(crate) fn answer(
        self: &Arc<Self>,
        request: RequestId,
        answer: HostAnswer<'_>,
    ) -> Result<(), Error> {
        if let HostAnswer::Steps(samples) = answer {
            return self.answer_steps(request, samples.iter().copied());
        }
        let mut state = lock(&self.state);
        let kind = state.pending_kind(request)?;
        if !answer.fits(kind) {
            return Err(Error::invalid_argument(format!(
                "request {} is a {} request and {} does not answer it; it is still pending",
                request.0,
                kind.name(),
                answer.name()
            )));
        }
        let waiters = state.take_request(request);
        let mut effects = Effects::default();
        let mut outcome = Ok(());
        match answer {
            HostAnswer::Login {
                code,
                session_key,
                expires_in_s,
            } => match check_login(code, session_key) {
                Ok(key) => {
                    state.session = Some(Session::new(key, expires_in_s, Instant::now()));
                    for (_, completer) in waiters {
                        let mut result = CallResult::ok(completer.api());
                        result.code = Some(code.to_owned());
                        effects.complete(completer, result);
                    }
                }
                Err(detail) => {
                    let (failure, error) = invalid_data(detail);
                    fail_all(waiters, &failure, &mut effects);
                    outcome = Err(error);
                }
            },
            HostAnswer::Authorize { granted: true } => {
                state.change_authorization(Authorization::Granted, &mut effects);
                let now = Instant::now();
                for (call, completer) in waiters {
                    match state.route(Api::GetWeRunData, now) {
                        Route::Finish(result) => effects.complete(completer, result),
                        Route::Wait(kind) => {
                            state.wait_on(kind, call, completer, self, &mut effects)
                        }
                    }
                }
            }
            HostAnswer::Authorize { granted: false } => {
                state.change_authorization(Authorization::Denied, &mut effects);
                fail_all(waiters, &Failure::AuthDenied, &mut effects);
            }
            HostAnswer::Sealed {
                encrypted_data,
                iv,
                cloud_id,
            } => match open_data::check_sealed_shape(encrypted_data, iv) {
                Ok(()) => {
                    let sealed = Sealed {
                        encrypted_data: encrypted_data.to_owned(),
                        iv: iv.to_owned(),
                        cloud_id: cloud_id.map(str::to_owned),
                    };
                    for (_, completer) in waiters {
                        let mut result = CallResult::ok(completer.api());
                        result.sealed = Some(sealed.clone());
                        effects.complete(completer, result);
                    }
                }
                Err(detail) => {
                    let (failure, error) = invalid_data(format!("sealed answer: {detail}"));
                    fail_all(waiters, &failure, &mut effects);
                    outcome = Err(error);
                }
            },
            HostAnswer::Fail(failure) => {
                let failure = match failure {
                    HostFailure::Host(message) => Failure::Host(message.to_owned()),
                    HostFailure::Unsupported => Failure::Unsupported,
                    HostFailure::InvalidData(detail) => Failure::InvalidData(detail.to_owned()),
                    HostFailure::AuthDenied => {
                        if kind != RequestKind::Login {
                            state.change_authorization(Authorization::Denied, &mut effects);
                        }
                        Failure::AuthDenied
                    }
                };
                fail_all(waiters, &failure, &mut effects);
            }
            HostAnswer::Steps(_) => unreachable!("handled by answer_steps"),
        }
        self.finish(state, effects);
        outcome
    }

    /// Raw samples are windowed and serialised outside the lock, then each
    /// waiting call is sealed with its own IV after the lock is released.
    pub(crate) fn answer_steps(
        self: &Arc<Self>,
        request: RequestId,
        samples: impl ExactSizeIterator<Item = StepSample>,
    ) -> Result<(), Error> {
        let utc_offset_minutes = {
            let state = lock(&self.state);
            let kind = state.pending_kind(request)?;
            if kind != RequestKind::GetSteps {
                return Err(Error::invalid_argument(format!(
                    "request {} is a {} request and steps do not answer it; it is still pending",
                    request.0,
                    kind.name()
                )));
            }
            state.utc_offset_minutes
        };
        let plaintext =
            StepWindowPlaintext::new(samples, unix_now(), utc_offset_minutes, &self.appid);

        let mut state = lock(&self.state);
        state.pending_kind(request)?;
        let waiters = state.take_request(request);
        let mut effects = Effects::default();
        let key = state.session.as_ref().map(|session| session.key().cloned());
        let rejected = match (plaintext, key) {
            (Ok(plaintext), Some(Some(key))) => {
                let completers = waiters.into_iter().map(|(_, completer)| completer).collect();
                effects.seal(SealJob::new(plaintext, key, completers));
                Ok(())
            }
            (Ok(_), None) => {
                // Logged out while the host was reading steps.
                fail_all(waiters, &Failure::NotLoggedIn, &mut effects);
                Ok(())
            }
            (Ok(_), Some(None)) => Err((
                waiters,
                "the session has no session key (the login answer gave none), so the steps cannot be sealed"
                    .to_owned(),
            )),
            (Err(detail), _) => Err((waiters, detail)),
        };
        let outcome = rejected.map_err(|(waiters, detail)| {
            let (failure, error) = invalid_data(detail);
            fail_all(waiters, &failure, &mut effects);
            error
        });
        self.finish(state, effects);
        outcome
    }

    pub(crate) fn cancel(self: &Arc<Self>, call: CallId) -> Result<(), Error> {
        let mut state = lock(&self.state);
        if state.closed {
            return Err(Error::stale_call());
        }
        let pending = state.calls.remove(&call).ok_or_else(Error::stale_call)?;
        let request = pending.request;
        let withdrawn = state.requests.get_mut(&request).is_some_and(|waiting| {
            waiting.waiters.retain(|waiter| *waiter != call);
            waiting.waiters.is_empty()
        });
        if withdrawn {
            // No call waits on it any more: a later answer is stale.
            state.take_request(request);
        }
        let mut effects = Effects::default();
        let result = CallResult::failed(pending.completer.api(), &Failure::Cancelled);
        effects.complete(pending.completer, result);
        self.finish(state, effects);
        Ok(())
    }

    /// Fails the calls of `requests`, which were not answered in time, with
    /// TIMEOUT; requests that finished meanwhile are skipped. Authorization
    /// stays as it was. The state changes before this returns; the
    /// completions are handed back, counted as running (so a free waits for
    /// them), for the caller to run on a thread of its choice, so that the
    /// timer thread runs no user code. (Under loom only the model calls it.)
    #[cfg_attr(loom, allow(dead_code))]
    pub(crate) fn expire(self: &Arc<Self>, requests: &[RequestId]) -> Option<DetachedEffects> {
        let mut state = lock(&self.state);
        let mut effects = Effects::default();
        for &request in requests {
            if state.pending_kind(request).is_ok() {
                let waiters = state.take_request(request);
                fail_all(waiters, &Failure::Timeout, &mut effects);
            }
        }
        if effects.is_empty() {
            return None;
        }
        state.running += 1;
        drop(state);
        Some(DetachedEffects {
            shared: Arc::clone(self),
            effects: Some(effects),
        })
    }

    pub(crate) fn fail_request(self: &Arc<Self>, request: RequestId, failure: &Failure) {
        let mut state = lock(&self.state);
        if state.pending_kind(request).is_err() {
            return;
        }
        let waiters = state.take_request(request);
        let mut effects = Effects::default();
        fail_all(waiters, failure, &mut effects);
        self.finish(state, effects);
    }

    fn close(&self) {
        let mut state = lock(&self.state);
        state.closed = true;
        let calls: Vec<_> = state.calls.drain().collect();
        let requests: Vec<_> = state
            .requests
            .drain()
            .map(|(request, pending)| {
                TIMER.unschedule(pending.deadline, request);
                request.0
            })
            .collect();
        CONTEXTS.unregister(
            requests
                .into_iter()
                .chain(calls.iter().map(|(call, _)| call.0)),
        );
        state.shared_authorize = None;
        state.shared_steps = None;
        let session = state.session.take();
        let host = state.host.take();
        drop(state);
        drop(session);

        for (_, pending) in calls {
            let result = CallResult::failed(pending.completer.api(), &Failure::Cancelled);
            pending.completer.complete(&result);
        }
        // Completions and hooks already running on other threads finish
        // before the host is released and this returns. Batches running on
        // this thread (a drop from inside a callback) cannot be waited for:
        // they hold the host until they finish.
        let here = self.batches_running_here();
        let mut state = lock(&self.state);
        while state.running > here {
            state = self
                .idle
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        drop(state);
        drop(host);
    }
}

thread_local! {
    /// The contexts (their `Shared`'s address) whose batches of effects this
    /// thread is running, innermost last: a callback may call into another
    /// context, or into its own again.
    // Not `const { }`: loom's thread_local! (sync::thread_local) takes none.
    #[allow(clippy::missing_const_for_thread_local)]
    static RUNNING_HERE: std::cell::RefCell<Vec<usize>> = std::cell::RefCell::new(Vec::new());
}

impl Shared {
    fn address(&self) -> usize {
        std::ptr::from_ref(self) as usize
    }

    /// How many of this context's batches of effects this thread is inside.
    fn batches_running_here(&self) -> usize {
        let address = self.address();
        RUNNING_HERE.with(|running| running.borrow().iter().filter(|&&a| a == address).count())
    }
}

/// A batch of effects whose state change is made, counted in
/// `State::running` until it has run: `close` waits for it like any other
/// batch. [`Shared::expire`] hands one back so that the timer can run it on
/// another thread; [`DetachedEffects::run`] runs it exactly once, on the
/// thread that calls it. One dropped unrun (only a panic's unwinding can do
/// that, a bug in the core) runs as it drops, on whichever thread drops it,
/// the timer's included, so its calls still complete and a free does not
/// wait for it forever.
#[must_use = "a free waits until the batch has run"]
#[cfg_attr(loom, allow(dead_code))]
pub(crate) struct DetachedEffects {
    shared: Arc<Shared>,
    effects: Option<Effects>,
}

impl DetachedEffects {
    #[cfg_attr(loom, allow(dead_code))]
    pub(crate) fn run(mut self) {
        if let Some(effects) = self.effects.take() {
            self.shared.run_counted(effects);
        }
    }
}

impl Drop for DetachedEffects {
    fn drop(&mut self) {
        if let Some(effects) = self.effects.take() {
            self.shared.run_counted(effects);
        }
    }
}

/// The timer thread's expiry function. Every expired request's calls fail
/// with TIMEOUT under its context's lock first; then each context's batch of
/// completions runs on a short-lived thread of its own (timeouts are rare),
/// so the timer thread runs no user code. A slow or blocked callback
/// delays only the completions after it in its own batch: never another
/// batch, another context, or a later timeout. If no thread can be spawned,
/// the batch runs on the timer thread, late but exactly once.
#[cfg_attr(loom, allow(dead_code))]
fn expire_requests(expired: Vec<RequestId>) {
    let batches: Vec<_> = by_owner(expired)
        .into_iter()
        .filter_map(|(owner, requests)| owner.expire(&requests))
        .collect();
    for batch in batches {
        run_on_a_thread_of_its_own(batch);
    }
}

/// The expired requests still registered, grouped by the context that owns
/// them. A request that finished earlier is no longer registered.
#[cfg_attr(loom, allow(dead_code))]
fn by_owner(requests: Vec<RequestId>) -> Vec<(Arc<Shared>, Vec<RequestId>)> {
    let mut owners: Vec<(Arc<Shared>, Vec<RequestId>)> = Vec::new();
    for request in requests {
        let Some(owner) = owner(request.0) else {
            continue;
        };
        match owners
            .iter_mut()
            .find(|(known, _)| Arc::ptr_eq(known, &owner))
        {
            Some((_, owned)) => owned.push(request),
            None => owners.push((owner, vec![request])),
        }
    }
    owners
}

/// Runs `batch` on a new thread, so that its callbacks delay nothing else.
/// If the thread cannot be spawned, runs it here instead: the batch sits in
/// a slot both sides may take from, so it runs exactly once either way, even
/// though a failed spawn drops the closure it was given.
#[cfg_attr(loom, allow(dead_code))]
fn run_on_a_thread_of_its_own(batch: DetachedEffects) {
    let slot = Arc::new(Mutex::new(Some(batch)));
    let theirs = Arc::clone(&slot);
    let spawned = std::thread::Builder::new()
        .name("werun-timeout".into())
        .spawn(move || run_once(&theirs));
    if spawned.is_err() {
        run_once(&slot);
    }
}

#[cfg_attr(loom, allow(dead_code))]
fn run_once(slot: &Mutex<Option<DetachedEffects>>) {
    // Taken in its own statement: the slot's lock is released before any
    // user code runs.
    let batch = lock(slot).take();
    if let Some(batch) = batch {
        batch.run();
    }
}

/// Counts a batch of effects as running, on this thread and in `running`,
/// until it is dropped, even by a panic.
struct RunningEffects<'a>(&'a Shared);

impl<'a> RunningEffects<'a> {
    fn new(shared: &'a Shared) -> RunningEffects<'a> {
        RUNNING_HERE.with(|running| running.borrow_mut().push(shared.address()));
        RunningEffects(shared)
    }
}

impl Drop for RunningEffects<'_> {
    fn drop(&mut self) {
        RUNNING_HERE.with(|running| {
            let mut running = running.borrow_mut();
            if let Some(at) = running.iter().rposition(|&a| a == self.0.address()) {
                running.remove(at);
            }
        });
        let mut state = lock(&self.0.state);
        state.running -= 1;
        // Only `close` waits, and for `running` to fall to the batches of
        // its own thread, which need not be 0 (a drop inside a callback):
        // so every decrement after the close is signalled.
        if state.closed {
            self.0.idle.notify_all();
        }
    }
}

/// Validates a login answer's data; the error never quotes the key.
fn check_login(code: &str, session_key: Option<&str>) -> Result<Option<SessionKey>, String> {
    if code.is_empty() {
        return Err("the login code is empty".to_owned());
    }
    if code.len() > MAX_LOGIN_CODE_LEN {
        return Err(format!(
            "the login code is {} bytes; the limit is {MAX_LOGIN_CODE_LEN}",
            code.len()
        ));
    }
    session_key.map(SessionKey::from_base64).transpose()
}

#[cfg(test)]
mod route_tests;

#[cfg(all(test, not(loom)))]
mod timeout_tests;

// Left out under loom: its locks work only inside a model, and no timer
// runs there, so there are no deadlines to see.
#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::core::answer;

    fn settings_in_force(context: &Context) -> (Duration, i32, u32) {
        let state = context.state();
        (state.timeout, state.utc_offset_minutes, state.max_in_flight)
    }

    #[test]
    fn configure_applies_every_named_setting_or_none() {
        let context = Context::new("wx1").unwrap();
        let defaults = (
            DEFAULT_TIMEOUT,
            DEFAULT_UTC_OFFSET_MINUTES,
            DEFAULT_MAX_IN_FLIGHT,
        );
        assert_eq!(settings_in_force(&context), defaults);
        // One refused setting keeps the valid ones from being applied.
        let refused = context.configure(Settings {
            timeout: Some(Duration::from_millis(5)),
            utc_offset_minutes: Some(9999),
            max_in_flight: Some(2),
        });
        assert_eq!(refused.unwrap_err().status, Status::InvalidArgument);
        assert_eq!(settings_in_force(&context), defaults);

        context
            .configure(Settings {
                timeout: Some(Duration::from_millis(5)),
                max_in_flight: Some(2),
                ..Settings::default()
            })
            .unwrap();
        let configured = (Duration::from_millis(5), DEFAULT_UTC_OFFSET_MINUTES, 2);
        assert_eq!(settings_in_force(&context), configured);
        // Nothing named, nothing changed.
        context.configure(Settings::default()).unwrap();
        assert_eq!(settings_in_force(&context), configured);
        // The shorthands go through the same check.
        assert!(context.set_max_in_flight(0).is_err());
        assert!(context.set_timeout(Duration::ZERO).is_err());
        assert!(context.set_utc_offset_minutes(-721).is_err());
        assert_eq!(settings_in_force(&context), configured);
        context.set_utc_offset_minutes(0).unwrap();
        assert_eq!(
            settings_in_force(&context),
            (Duration::from_millis(5), 0, 2)
        );
    }

    #[test]
    fn a_request_answered_in_time_leaves_no_deadline_behind() {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let context = Context::new("wx1").unwrap();
        context.set_host(Some(
            Host::new().with_login(move |request| seen.lock().unwrap().push(request)),
        ));
        context.login(|_| {});
        context.login(|_| {});
        let (answered, withdrawn) = {
            let requests = requests.lock().unwrap();
            (requests[0], requests[1])
        };
        assert!(TIMER.is_scheduled(answered) && TIMER.is_scheduled(withdrawn));
        let login = HostAnswer::Login {
            code: "c",
            session_key: None,
            expires_in_s: 0,
        };
        answer(answered, login).unwrap();
        assert!(!TIMER.is_scheduled(answered));
        drop(context);
        assert!(!TIMER.is_scheduled(withdrawn));
    }
}
