//! Lifecycles through the C ABI: timeouts and late answers, cancellation,
//! freeing with calls in flight, host replacement and release, BUSY, and a
//! concurrency smoke test.

mod common;

use std::collections::HashMap;
use std::ffi::c_void;
use std::ptr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use common::*;

// --- Timeouts ---------------------------------------------------------------

/// A request left unanswered until it times out.
struct Unanswered {
    api: Api,
    hook: Hook,
    /// The calls that wait on it: authorize and get_steps are shared.
    waiting: usize,
    /// Whether the context is logged in (it is, but for the login case).
    logged_in: bool,
    /// Answers sent after the timeout, each stale.
    late: Vec<Reply>,
    /// The authorization throughout: a timeout does not change it.
    authorization: u32,
    /// The requests `[login, authorize, get_steps]` the host received in the
    /// end, after the timed-out one and the next call's.
    requests: [usize; 3],
}

/// A timeout fails every call waiting on the request; a late answer is stale
/// and changes nothing (a late login makes no session, a late grant no
/// authorization); the next call sends a new request.
#[test]
fn a_timed_out_request_fails_its_calls_and_a_late_answer_is_stale() {
    let cases = [
        Unanswered {
            api: Api::Login,
            hook: Hook::Login,
            waiting: 1,
            logged_in: false,
            late: vec![Reply::login("late", Some(SESSION_KEY), 0)],
            authorization: WERUN_AUTH_NOT_DETERMINED,
            requests: [2, 0, 0],
        },
        Unanswered {
            api: Api::GetWeRunData,
            hook: Hook::Authorize,
            waiting: 1,
            logged_in: true,
            late: vec![Reply::Authorize(1)],
            authorization: WERUN_AUTH_NOT_DETERMINED,
            requests: [1, 2, 0],
        },
        Unanswered {
            api: Api::GetWeRunData,
            hook: Hook::GetSteps,
            waiting: 2,
            logged_in: true,
            late: vec![
                Reply::Steps(vec![]),
                Reply::fail(WERUN_ERR_AUTH_DENIED, None),
            ],
            authorization: WERUN_AUTH_GRANTED,
            requests: [1, 0, 2],
        },
    ];
    for case in cases {
        let name = case.hook;
        let host = HostState::new();
        let ctx = match case.hook {
            Hook::Login => Ctx::with_host(&host.werun_host(ALL_HOOKS)),
            Hook::Authorize => Ctx::logged_in(host, ALL_HOOKS),
            Hook::GetSteps => Ctx::ready(host, &[Hook::Login, Hook::GetSteps]),
        };
        ctx.set_timeout_ms(50);
        let recorders: Vec<_> = (0..case.waiting).map(|_| Recorder::new()).collect();
        for recorder in &recorders {
            ctx.start(case.api, recorder);
        }
        let timeout = format!("{}:fail timeout", case.api.name());
        for recorder in &recorders {
            recorder.wait().assert_fail(WERUN_ERR_TIMEOUT, &timeout);
        }
        assert_eq!(ctx.authorization(), case.authorization, "{name:?}");
        assert!(host.authorization_changes().is_empty(), "{name:?}");

        let request = host.only_request(case.hook);
        for reply in &case.late {
            assert_eq!(reply.send(request), WERUN_ERR_STALE_REQUEST, "{reply:?}");
        }
        // Each call completed once, and nothing changed.
        for recorder in &recorders {
            recorder.outcome();
        }
        assert_eq!(ctx.authorization(), case.authorization, "{name:?}");
        assert!(host.authorization_changes().is_empty(), "{name:?}");
        let session = ctx.run(Api::CheckSession);
        if case.logged_in {
            assert_eq!(session.err_msg, "checkSession:ok", "{name:?}");
        } else {
            session.assert_fail(WERUN_ERR_NOT_LOGGED_IN, "checkSession:fail session expired");
        }

        // The next call is not parked on the timed-out request: it sends
        // a new one (an undetermined authorization is asked again).
        ctx.start(case.api, Recorder::new());
        let requests =
            [Hook::Login, Hook::Authorize, Hook::GetSteps].map(|hook| host.requests(hook).len());
        assert_eq!(requests, case.requests, "{name:?}");
    }
}

#[test]
fn a_new_timeout_applies_only_to_requests_sent_afterwards() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    let patient = Recorder::new();
    ctx.start(Api::GetWeRunData, patient);
    ctx.set_timeout_ms(50);
    let hasty = Recorder::new();
    ctx.start(Api::Login, hasty);
    hasty
        .wait()
        .assert_fail(WERUN_ERR_TIMEOUT, "login:fail timeout");

    patient.assert_untouched();
    assert_eq!(
        answer_steps(host.only_request(Hook::GetSteps), &[]),
        WERUN_OK
    );
    patient.outcome().assert_we_run_data();
}

#[test]
fn a_zero_timeout_is_refused() {
    let ctx = Ctx::new();
    // SAFETY: live context.
    let status = unsafe { werun_context_set_timeout_ms(ctx.ptr(), 0) };
    assert_eq!(status, WERUN_ERR_INVALID_ARGUMENT);
    assert!(!last_error().is_empty());
}

/// Two contexts' timeout completions, each waiting for the other to start.
#[derive(Default)]
struct Rendezvous {
    sides: Mutex<[SideSeen; 2]>,
    changed: std::sync::Condvar,
}

/// What one side's completion saw.
#[derive(Clone, Copy, Debug, Default)]
struct SideSeen {
    started: bool,
    /// Once it finished: its status, and whether the other side started in
    /// time.
    finished: Option<(u32, bool)>,
}

/// One side of a [`Rendezvous`], passed as `user_data`.
struct Side {
    rendezvous: &'static Rendezvous,
    index: usize,
}

unsafe extern "C" fn meet_in_complete(user_data: *mut c_void, result: *const werun_result) {
    // SAFETY: user_data is a leaked Side; result is live during the callback.
    let (side, status) = unsafe { (&*user_data.cast::<Side>(), (*result).status) };
    let rendezvous = side.rendezvous;
    let other = 1 - side.index;
    let mut sides = lock(&rendezvous.sides);
    sides[side.index].started = true;
    rendezvous.changed.notify_all();
    // Generous, so that a timer that runs callbacks itself fails this test
    // instead of hanging it; a pass never waits for it.
    let (mut sides, _) = rendezvous
        .changed
        .wait_timeout_while(sides, Duration::from_secs(20), |sides| {
            !sides[other].started
        })
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let met = sides[other].started;
    sides[side.index].finished = Some((status, met));
    rendezvous.changed.notify_all();
}

/// A slow timeout completion delays no other context's timeouts: each of
/// two contexts' timeout completions waits until the other's has started,
/// which only works if werun runs them on threads of their own.
#[test]
fn a_blocked_timeout_completion_does_not_delay_another_contexts_timeout() {
    let rendezvous: &'static Rendezvous = Box::leak(Box::default());
    let contexts: Vec<_> = (0..2)
        .map(|index| {
            let host = HostState::new();
            let ctx = Ctx::with_host(&host.werun_host(&[Hook::Login]));
            ctx.set_timeout_ms(1);
            let side: &'static Side = Box::leak(Box::new(Side { rendezvous, index }));
            let callbacks = werun_callbacks {
                user_data: ptr::from_ref(side).cast_mut().cast(),
                complete: Some(meet_in_complete),
                ..null_callbacks()
            };
            assert_eq!(
                ctx.try_start(Api::Login, &callbacks, ptr::null_mut()),
                WERUN_OK
            );
            ctx
        })
        .collect();
    let sides = lock(&rendezvous.sides);
    let (sides, _) = rendezvous
        .changed
        .wait_timeout_while(sides, Duration::from_secs(45), |sides| {
            sides.iter().any(|side| side.finished.is_none())
        })
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for side in sides.iter() {
        assert!(
            side.started,
            "a timeout's completion never started: {sides:?}"
        );
        let (status, met) = side
            .finished
            .expect("a timeout's completion never finished");
        assert_eq!(status, WERUN_ERR_TIMEOUT as u32);
        assert!(met, "a timeout's completion waited in vain for the other's");
    }
    drop(sides);
    drop(contexts);
}

// --- Cancellation -----------------------------------------------------------

#[test]
fn cancel_fails_the_call_exactly_once_and_a_second_cancel_is_stale() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    let recorder = Recorder::new();
    let call = ctx.start(Api::GetWeRunData, recorder);
    recorder.assert_untouched();

    assert_eq!(cancel(call), WERUN_OK);
    recorder
        .outcome()
        .assert_fail(WERUN_ERR_CANCELLED, "getWeRunData:fail cancelled");
    assert_eq!(cancel(call), WERUN_ERR_STALE_REQUEST);
    assert!(!last_error().is_empty());
    recorder.outcome();
}

#[test]
fn cancelling_the_only_waiter_withdraws_the_request() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    let cancelled = Recorder::new();
    let call = ctx.start(Api::GetWeRunData, cancelled);
    let withdrawn = host.only_request(Hook::GetSteps);
    assert_eq!(cancel(call), WERUN_OK);

    assert_eq!(answer_steps(withdrawn, &[]), WERUN_ERR_STALE_REQUEST);
    cancelled
        .outcome()
        .assert_fail(WERUN_ERR_CANCELLED, "getWeRunData:fail cancelled");
    // A new call is not parked on the withdrawn request.
    let next = Recorder::new();
    ctx.start(Api::GetWeRunData, next);
    let requests = host.requests(Hook::GetSteps);
    assert_eq!(requests.len(), 2);
    assert_eq!(answer_steps(requests[1], &[]), WERUN_OK);
    next.outcome().assert_we_run_data();
}

#[test]
fn cancelling_one_of_two_waiters_leaves_the_other_to_be_answered() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    let (cancelled, kept) = (Recorder::new(), Recorder::new());
    let call = ctx.start(Api::GetWeRunData, cancelled);
    ctx.start(Api::GetWeRunData, kept);
    assert_eq!(cancel(call), WERUN_OK);
    kept.assert_untouched();

    assert_eq!(
        answer_steps(host.only_request(Hook::GetSteps), &[]),
        WERUN_OK
    );
    kept.outcome().assert_we_run_data();
    cancelled
        .outcome()
        .assert_fail(WERUN_ERR_CANCELLED, "getWeRunData:fail cancelled");
}

#[test]
fn cancelling_a_finished_or_unknown_call_is_stale() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    let finished = Recorder::new();
    let call = ctx.start(Api::CheckSession, finished);
    let answered = Recorder::new();
    let answered_call = ctx.start(Api::GetWeRunData, answered);
    assert_eq!(
        answer_steps(host.only_request(Hook::GetSteps), &[]),
        WERUN_OK
    );

    for call in [call, answered_call, 0, u64::MAX] {
        assert_eq!(cancel(call), WERUN_ERR_STALE_REQUEST, "{call}");
        assert!(!last_error().is_empty());
    }
    assert_eq!(finished.outcome().err_msg, "checkSession:ok");
    answered.outcome().assert_we_run_data();
}

#[test]
fn a_request_id_is_not_a_call_id_and_a_call_id_is_not_a_request_id() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    let recorder = Recorder::new();
    let call = ctx.start(Api::GetWeRunData, recorder);
    let request = host.only_request(Hook::GetSteps);
    assert_ne!(call, request);

    assert_eq!(cancel(request), WERUN_ERR_STALE_REQUEST);
    assert_eq!(answer_steps(call, &[]), WERUN_ERR_STALE_REQUEST);
    recorder.assert_untouched();
    assert_eq!(answer_steps(request, &[]), WERUN_OK);
    recorder.outcome().assert_we_run_data();
}

// --- Free -------------------------------------------------------------------

#[test]
fn freeing_the_context_cancels_every_call_in_flight_before_it_returns() {
    let host = HostState::new();
    let ctx = Ctx::logged_in(host, ALL_HOOKS);
    let (login, authorizing, reading) = (Recorder::new(), Recorder::new(), Recorder::new());
    let calls = [
        ctx.start(Api::Login, login),
        ctx.start(Api::GetWeRunData, authorizing),
        {
            ctx.set_authorization(WERUN_AUTH_GRANTED);
            ctx.start(Api::GetWeRunData, reading)
        },
    ];
    let requests = [
        host.last_request(Hook::Login),
        host.only_request(Hook::Authorize),
        host.only_request(Hook::GetSteps),
    ];

    ctx.free();
    login
        .outcome()
        .assert_fail(WERUN_ERR_CANCELLED, "login:fail cancelled");
    for recorder in [authorizing, reading] {
        recorder
            .outcome()
            .assert_fail(WERUN_ERR_CANCELLED, "getWeRunData:fail cancelled");
    }
    assert_eq!(host.releases(), 1);

    assert_eq!(
        answer_login(requests[0], "late", Some(SESSION_KEY), 0),
        WERUN_ERR_STALE_REQUEST
    );
    assert_eq!(answer_authorize(requests[1], 1), WERUN_ERR_STALE_REQUEST);
    assert_eq!(answer_steps(requests[2], &[]), WERUN_ERR_STALE_REQUEST);
    for call in calls {
        assert_eq!(cancel(call), WERUN_ERR_STALE_REQUEST);
    }
    assert_eq!(host.releases(), 1);
    assert!(host.authorization_changes().is_empty());
}

/// Set by a complete callback that takes its time on another thread.
#[derive(Default)]
struct SlowCallback {
    started: AtomicBool,
    finished: AtomicBool,
}

unsafe extern "C" fn slow_complete(user_data: *mut c_void, _result: *const werun_result) {
    // SAFETY: user_data is the leaked SlowCallback the test passed.
    let slow = unsafe { &*user_data.cast::<SlowCallback>() };
    slow.started.store(true, Ordering::SeqCst);
    thread::sleep(Duration::from_millis(300));
    slow.finished.store(true, Ordering::SeqCst);
}

#[test]
fn free_waits_for_a_callback_running_on_another_thread() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    let slow: &'static SlowCallback = Box::leak(Box::default());
    let callbacks = werun_callbacks {
        user_data: ptr::from_ref(slow).cast_mut().cast(),
        complete: Some(slow_complete),
        ..null_callbacks()
    };
    assert_eq!(
        ctx.try_start(Api::GetWeRunData, &callbacks, ptr::null_mut()),
        WERUN_OK
    );
    let request = host.only_request(Hook::GetSteps);
    let answering = thread::spawn(move || answer_steps(request, &[]));

    let deadline = Instant::now() + PATIENCE;
    while !slow.started.load(Ordering::SeqCst) {
        assert!(Instant::now() < deadline, "the callback never started");
        thread::yield_now();
    }
    ctx.free();
    assert!(
        slow.finished.load(Ordering::SeqCst),
        "werun_context_free returned while a callback was still running"
    );
    assert_eq!(answering.join().unwrap(), WERUN_OK);
    assert_eq!(host.releases(), 1);
}

#[test]
fn free_waits_for_a_hook_running_on_another_thread() {
    let host = HostState::new();
    let ctx = Ctx::logged_in(host, ALL_HOOKS);
    let recorder = Recorder::new();
    ctx.start(Api::GetWeRunData, recorder);
    let authorize = host.only_request(Hook::Authorize);
    host.slow_down(Duration::from_millis(300));
    // The grant runs the get_steps hook on the answering thread.
    let answering = thread::spawn(move || answer_authorize(authorize, 1));

    host.wait_for_request(Hook::GetSteps, 1);
    ctx.free();
    assert_eq!(
        host.hooks_returned(),
        host.hook_calls(),
        "werun_context_free returned while a hook was still running"
    );
    assert_eq!(host.releases(), 1);
    assert_eq!(answering.join().unwrap(), WERUN_OK);
    recorder
        .outcome()
        .assert_fail(WERUN_ERR_CANCELLED, "getWeRunData:fail cancelled");
}

// --- Free from inside a callback -------------------------------------------

/// A callback or hook that tries to free its own context, and what each try
/// returned.
struct FreesItsContext {
    ctx: AtomicPtr<werun_context>,
    tries: Mutex<Vec<(werun_status, String)>>,
}

impl FreesItsContext {
    fn new(ctx: &Ctx) -> &'static FreesItsContext {
        Box::leak(Box::new(FreesItsContext {
            ctx: AtomicPtr::new(ctx.ptr()),
            tries: Mutex::new(Vec::new()),
        }))
    }

    fn user_data(&'static self) -> *mut c_void {
        ptr::from_ref(self).cast_mut().cast()
    }

    /// Callbacks whose `complete` tries to free the context.
    fn callbacks(&'static self) -> werun_callbacks {
        werun_callbacks {
            user_data: self.user_data(),
            complete: Some(free_in_complete),
            ..null_callbacks()
        }
    }

    fn try_free(&self) {
        // SAFETY: the context is live (this is one of its callbacks), or is
        // being freed by the free that runs this callback.
        let status = unsafe { werun_context_free(self.ctx.load(Ordering::SeqCst)) };
        lock(&self.tries).push((status, last_error()));
    }

    /// Waits (up to [`PATIENCE`]) for `count` tries.
    fn wait_for_tries(&self, count: usize) {
        let deadline = Instant::now() + PATIENCE;
        while lock(&self.tries).len() < count {
            assert!(
                Instant::now() < deadline,
                "werun_context_free from inside a callback never returned"
            );
            thread::sleep(Duration::from_millis(1));
        }
    }

    /// Every try was refused with REENTRANT and the sentence saying why.
    #[track_caller]
    fn assert_refused(&self, count: usize) {
        let tries = lock(&self.tries);
        assert_eq!(tries.len(), count, "{tries:?}");
        for (status, message) in tries.iter() {
            assert_eq!(*status, WERUN_ERR_REENTRANT, "{message}");
            assert!(
                message.contains("cannot be freed from inside one of its own callbacks")
                    && message.contains("still alive"),
                "{message}"
            );
        }
    }
}

/// # Safety
/// `data` is the `&'static FreesItsContext` the test passed.
unsafe fn frees<'a>(data: *mut c_void) -> &'a FreesItsContext {
    // SAFETY: forwarded from the caller.
    unsafe { &*data.cast::<FreesItsContext>() }
}

unsafe extern "C" fn free_in_complete(user_data: *mut c_void, _result: *const werun_result) {
    // SAFETY: user_data is a FreesItsContext.
    unsafe { frees(user_data) }.try_free();
}

/// A login hook that tries to free the context, then answers.
unsafe extern "C" fn free_in_login(host_data: *mut c_void, request: u64) {
    // SAFETY: host_data is a FreesItsContext.
    unsafe { frees(host_data) }.try_free();
    assert_eq!(
        answer_login(request, "code", Some(SESSION_KEY), 0),
        WERUN_OK
    );
}

/// A get_steps hook that tries to free the context, then answers.
unsafe extern "C" fn free_in_get_steps(host_data: *mut c_void, request: u64) {
    // SAFETY: host_data is a FreesItsContext.
    unsafe { frees(host_data) }.try_free();
    assert_eq!(answer_steps(request, &[]), WERUN_OK);
}

unsafe extern "C" fn free_in_authorization_changed(host_data: *mut c_void, _state: u32) {
    // SAFETY: host_data is a FreesItsContext.
    unsafe { frees(host_data) }.try_free();
}

unsafe extern "C" fn free_in_release(host_data: *mut c_void) {
    // SAFETY: host_data is a FreesItsContext.
    unsafe { frees(host_data) }.try_free();
}

/// The context is still alive and usable after a refused free.
#[track_caller]
fn assert_alive(ctx: &Ctx) {
    ctx.run(Api::CheckSession)
        .assert_fail(WERUN_ERR_NOT_LOGGED_IN, "checkSession:fail session expired");
}

/// Freeing a context from inside a call's completion would wait for that
/// very completion: it is refused, on whichever thread the completion runs
/// (the caller's, an answering thread, a timeout's thread), and the
/// context stays alive until freed from outside.
#[test]
fn free_from_inside_a_completion_is_refused_and_the_context_stays_alive() {
    // On the calling thread, before the call function returns.
    let host = HostState::new();
    let ctx = Ctx::new();
    let inside = FreesItsContext::new(&ctx);
    assert_eq!(
        ctx.try_start(Api::CheckSession, &inside.callbacks(), ptr::null_mut()),
        WERUN_OK
    );
    inside.assert_refused(1);
    assert_alive(&ctx);
    ctx.free();

    // On the thread that answered.
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    let inside = FreesItsContext::new(&ctx);
    assert_eq!(
        ctx.try_start(Api::GetWeRunData, &inside.callbacks(), ptr::null_mut()),
        WERUN_OK
    );
    let request = host.only_request(Hook::GetSteps);
    let answering = thread::spawn(move || answer_steps(request, &[]));
    inside.wait_for_tries(1);
    assert_eq!(answering.join().unwrap(), WERUN_OK);
    inside.assert_refused(1);
    assert_eq!(ctx.run(Api::CheckSession).err_msg, "checkSession:ok");
    assert_eq!(host.releases(), 0);
    ctx.free();
    assert_eq!(host.releases(), 1);

    // On the thread werun starts for a timeout.
    let host = HostState::new();
    let ctx = Ctx::with_host(&host.werun_host(&[Hook::Login]));
    ctx.set_timeout_ms(20);
    let inside = FreesItsContext::new(&ctx);
    assert_eq!(
        ctx.try_start(Api::Login, &inside.callbacks(), ptr::null_mut()),
        WERUN_OK
    );
    inside.wait_for_tries(1);
    inside.assert_refused(1);
    assert_alive(&ctx);
    ctx.free();
    assert_eq!(host.releases(), 1);
}

/// The same for host hooks: the request hooks and `authorization_changed`.
#[test]
fn free_from_inside_a_host_hook_is_refused_and_the_context_stays_alive() {
    let ctx = Ctx::new();
    let inside = FreesItsContext::new(&ctx);
    let host = werun_host {
        host_data: inside.user_data(),
        login: Some(free_in_login),
        authorize: None,
        get_steps: Some(free_in_get_steps),
        authorization_changed: Some(free_in_authorization_changed),
        release: None,
    };
    ctx.set_host(Some(&host));
    // The login hook tries, then answers; the call still succeeds.
    assert_eq!(ctx.run(Api::Login).err_msg, "login:ok");
    inside.assert_refused(1);
    // Without an authorize hook, getWeRunData grants scope.werun, telling
    // authorization_changed, which tries; then get_steps tries and answers.
    let recorder = Recorder::new();
    ctx.start(Api::GetWeRunData, recorder);
    assert_eq!(recorder.outcome().err_msg, "getWeRunData:ok");
    inside.assert_refused(3);
    assert_eq!(ctx.authorization(), WERUN_AUTH_GRANTED);
    assert_eq!(ctx.run(Api::CheckSession).err_msg, "checkSession:ok");
    ctx.free();
}

/// The callbacks `werun_context_free` itself runs (a cancelled call's, and
/// the host's release) are the context's own too: freeing it again from
/// them is refused, not a double free.
#[test]
fn free_from_inside_the_callbacks_free_runs_is_refused() {
    unsafe extern "C" fn leave_pending(_host_data: *mut c_void, _request: u64) {}
    let ctx = Ctx::new();
    let inside = FreesItsContext::new(&ctx);
    ctx.set_host(Some(&werun_host {
        host_data: inside.user_data(),
        login: Some(leave_pending),
        authorize: None,
        get_steps: None,
        authorization_changed: None,
        release: Some(free_in_release),
    }));
    assert_eq!(
        ctx.try_start(Api::Login, &inside.callbacks(), ptr::null_mut()),
        WERUN_OK
    );
    ctx.free();
    // The cancelled login's complete, then release.
    inside.assert_refused(2);
}

// --- Host replacement -------------------------------------------------------

#[test]
fn replacing_the_host_releases_the_old_one_exactly_once() {
    let (old, new) = (HostState::new(), HostState::new());
    let ctx = Ctx::with_host(&old.werun_host(ALL_HOOKS));
    let pending = Recorder::new();
    ctx.start(Api::Login, pending);

    ctx.set_host(Some(&new.werun_host(ALL_HOOKS)));
    assert_eq!(old.releases(), 1);
    assert_eq!(new.releases(), 0);
    // A request already sent stays answerable.
    let request = old.only_request(Hook::Login);
    assert_eq!(answer_login(request, "old", Some(SESSION_KEY), 0), WERUN_OK);
    assert_eq!(pending.outcome().code.as_deref(), Some("old"));
    // New requests go to the new host.
    ctx.start(Api::Login, Recorder::new());
    assert_eq!(old.requests(Hook::Login).len(), 1);
    assert_eq!(new.requests(Hook::Login).len(), 1);

    ctx.free();
    assert_eq!(old.releases(), 1);
    assert_eq!(new.releases(), 1);
}

#[test]
fn clearing_the_host_releases_it_and_makes_login_and_get_we_run_data_unsupported() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, ALL_HOOKS);
    ctx.set_host(None);
    assert_eq!(host.releases(), 1);

    ctx.run(Api::GetWeRunData).assert_fail(
        WERUN_ERR_UNSUPPORTED,
        "getWeRunData:fail 暂时不支持 API getWeRunData",
    );
    ctx.run(Api::Login)
        .assert_fail(WERUN_ERR_UNSUPPORTED, "login:fail 暂时不支持 API login");
    // The session is the context's, not the host's.
    assert_eq!(ctx.run(Api::CheckSession).err_msg, "checkSession:ok");
    ctx.free();
    assert_eq!(host.releases(), 1);
    assert_eq!(host.hook_calls(), 1);
}

#[test]
fn a_host_without_release_or_authorization_changed_hooks_works() {
    let host = HostState::new();
    let bare = werun_host {
        authorization_changed: None,
        release: None,
        ..host.werun_host(&[Hook::Login, Hook::GetSteps])
    };
    let ctx = Ctx::with_host(&bare);
    ctx.log_in(host, Some(SESSION_KEY), 0);
    host.script(Hook::GetSteps, Reply::Steps(vec![]));
    ctx.run(Api::GetWeRunData).assert_we_run_data();
    assert_eq!(ctx.authorization(), WERUN_AUTH_GRANTED);
    ctx.free();
    assert_eq!(host.releases(), 0);
    assert!(host.authorization_changes().is_empty());
}

/// A failed set_host takes nothing: its release never runs, and the host
/// installed before stays.
#[test]
fn a_failed_set_host_never_releases_the_host_it_was_given() {
    let installed = HostState::new();
    let ctx = Ctx::with_host(&installed.werun_host(&[Hook::Login]));
    let refused = HostState::new();
    // SAFETY: a NULL context is what is being tested; the host is readable.
    let status = unsafe { werun_context_set_host(ptr::null_mut(), &refused.werun_host(ALL_HOOKS)) };
    assert_eq!(status, WERUN_ERR_NULL_ARGUMENT);
    ctx.start(Api::Login, Recorder::new());
    assert_eq!(installed.requests(Hook::Login).len(), 1);
    ctx.free();
    assert_eq!(installed.releases(), 1);
    assert_eq!(refused.releases(), 0);
    assert_eq!(refused.hook_calls(), 0);
}

// --- BUSY -------------------------------------------------------------------

#[test]
fn past_max_in_flight_calls_fail_busy_once_before_returning() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    // SAFETY: live context.
    assert_eq!(
        unsafe { werun_context_set_max_in_flight(ctx.ptr(), 0) },
        WERUN_ERR_INVALID_ARGUMENT
    );
    // SAFETY: live context.
    assert_eq!(
        unsafe { werun_context_set_max_in_flight(ctx.ptr(), 2) },
        WERUN_OK
    );
    let waiting = [Recorder::new(), Recorder::new()];
    let first = ctx.start(Api::GetWeRunData, waiting[0]);
    // call_out may be NULL.
    let status = ctx.try_start(Api::Login, &waiting[1].callbacks(), ptr::null_mut());
    assert_eq!(status, WERUN_OK);

    for (api, err_msg) in [
        (Api::GetWeRunData, "getWeRunData:fail busy"),
        (Api::Login, "login:fail busy"),
    ] {
        let refused = Recorder::new();
        let mut call = u64::MAX;
        let status = ctx.try_start(api, &refused.callbacks(), &mut call);
        assert_eq!(status, WERUN_OK, "{api:?}");
        // Completed before the call function returned, exactly once.
        let outcome = refused.outcome();
        assert_eq!(outcome.status, WERUN_ERR_BUSY as u32, "{api:?}");
        assert_eq!(outcome.err_msg, err_msg);
        assert_ne!(call, u64::MAX, "call_out is written on OK");
        assert_eq!(cancel(call), WERUN_ERR_STALE_REQUEST, "already finished");
    }
    // A call that needs no host is never BUSY.
    assert_eq!(ctx.run(Api::CheckSession).err_msg, "checkSession:ok");

    // Room again once one finishes.
    assert_eq!(cancel(first), WERUN_OK);
    let admitted = Recorder::new();
    ctx.start(Api::GetWeRunData, admitted);

    ctx.free();
    for recorder in [waiting[0], waiting[1], admitted] {
        assert_eq!(recorder.outcome().status, WERUN_ERR_CANCELLED as u32);
    }
    // The refused calls never reached the host: one login to log in, one
    // waiting; one get_steps withdrawn by the cancel, one admitted.
    assert_eq!(host.requests(Hook::Login).len(), 2);
    assert_eq!(host.requests(Hook::GetSteps).len(), 2);
}

// --- Concurrency ------------------------------------------------------------

/// xorshift64: test-only randomness, reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Answers get_steps requests that nobody has claimed yet, from whichever
/// thread calls it: mostly sealed, sometimes raw steps or a failure, and
/// sometimes not at all.
struct Answerer {
    host: &'static HostState,
    claimed: Mutex<usize>,
    encrypted_data: String,
    iv: String,
}

impl Answerer {
    fn new(host: &'static HostState) -> Answerer {
        let (encrypted_data, iv) = open_data_encrypt(SESSION_KEY, r#"{"stepInfoList":[]}"#);
        Answerer {
            host,
            claimed: Mutex::new(0),
            encrypted_data,
            iv,
        }
    }

    fn answer_pending(&self, rng: &mut Rng) {
        let fresh = {
            let mut claimed = lock(&self.claimed);
            let fresh = self.host.received_since(*claimed);
            *claimed += fresh.len();
            fresh
        };
        for received in fresh.iter().filter(|r| r.hook == Hook::GetSteps) {
            let request = received.request;
            let status = match rng.below(32) {
                0 => continue, // left to time out
                1 => answer_steps(request, &[step(unix_now(), 1)]),
                2 => fail_request(request, WERUN_ERR_HOST, Some("flaky")),
                _ => answer_sealed(request, &self.encrypted_data, &self.iv, None),
            };
            // Stale when every waiter was cancelled or the request timed out.
            assert!(
                matches!(status, WERUN_OK | WERUN_ERR_STALE_REQUEST),
                "{status:?}: {}",
                last_error()
            );
        }
    }
}

struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

type Started = (werun_status, &'static Recorder);

/// Starts `count` getWeRunData calls, and after each one, at random, cancels
/// one of them (maybe finished already) or answers whatever is pending.
fn call_cancel_and_answer(ctx: &Ctx, answerer: &Answerer, seed: u64, count: usize) -> Vec<Started> {
    let mut rng = Rng(seed);
    let mut started: Vec<(werun_status, u64, &'static Recorder)> = Vec::with_capacity(count);
    for _ in 0..count {
        let recorder = Recorder::new();
        let mut call = 0;
        let status = ctx.try_start(Api::GetWeRunData, &recorder.callbacks(), &mut call);
        started.push((status, call, recorder));
        match rng.below(8) {
            0 | 1 => {
                let (_, victim, _) = started[rng.below(started.len() as u64) as usize];
                assert!(matches!(cancel(victim), WERUN_OK | WERUN_ERR_STALE_REQUEST));
            }
            2..=4 => answerer.answer_pending(&mut rng),
            _ => {}
        }
    }
    started
        .into_iter()
        .map(|(status, _, recorder)| (status, recorder))
        .collect()
}

#[test]
fn racing_calls_answers_cancels_and_timeouts_complete_every_call_exactly_once() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    // Short, so that timeouts race with answers.
    ctx.set_timeout_ms(2);
    let answerer = Answerer::new(host);
    let callers_done = AtomicBool::new(false);

    let calls: Vec<Started> = thread::scope(|scope| {
        scope.spawn(|| {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
            while !callers_done.load(Ordering::SeqCst) {
                answerer.answer_pending(&mut rng);
                thread::sleep(Duration::from_millis(1));
            }
        });
        // Stops the answerer even when a caller's assertion fails.
        let _stop = SetOnDrop(&callers_done);
        let callers: Vec<_> = (1..=8u64)
            .map(|seed| {
                let (ctx, answerer) = (&ctx, &answerer);
                let seed = seed.wrapping_mul(0x2545_F491_4F6C_DD1D);
                scope.spawn(move || call_cancel_and_answer(ctx, answerer, seed, 2000))
            })
            .collect();
        callers
            .into_iter()
            .flat_map(|caller| caller.join().unwrap())
            .collect()
    });

    let mut seen = HashMap::new();
    for (status, recorder) in &calls {
        let outcome = match status {
            WERUN_OK => {
                let outcome = recorder.wait();
                if outcome.status == WERUN_OK as u32 {
                    outcome.assert_we_run_data();
                }
                outcome.status
            }
            other => panic!("a call function returned {other:?}"),
        };
        *seen.entry(outcome).or_insert(0) += 1;
    }
    let expected = [
        WERUN_OK,
        WERUN_ERR_CANCELLED,
        WERUN_ERR_HOST,
        WERUN_ERR_TIMEOUT,
        WERUN_ERR_BUSY,
    ];
    assert!(
        seen.keys()
            .all(|s| expected.iter().any(|e| *e as u32 == *s)),
        "{seen:?}"
    );
    assert!(seen.contains_key(&(WERUN_OK as u32)), "{seen:?}");
    assert!(seen.contains_key(&(WERUN_ERR_CANCELLED as u32)), "{seen:?}");

    ctx.free();
    // Nothing ran twice, late or after the free.
    for (_, recorder) in &calls {
        recorder.outcome();
    }
    assert_eq!(host.releases(), 1);
}
