//! Unit tests of `State::route`, the pure function that decides where a new
//! call goes (finished at once, or parked on a host request) and where a
//! getWeRunData call resumes after a grant: the order host, session,
//! authorization, then steps.

use super::*;

/// Which hooks a host has; `None` is no host at all.
type Hooks = Option<&'static [RequestKind]>;

const NO_HOST: Hooks = None;
const LOGIN_ONLY: Hooks = Some(&[RequestKind::Login]);
const NO_GET_STEPS: Hooks = Some(&[RequestKind::Login, RequestKind::Authorize]);
const NO_AUTHORIZE: Hooks = Some(&[RequestKind::Login, RequestKind::GetSteps]);
const EVERY_HOOK: Hooks = Some(&[
    RequestKind::Login,
    RequestKind::Authorize,
    RequestKind::GetSteps,
]);
const ALL_HOSTS: [Hooks; 5] = [NO_HOST, LOGIN_ONLY, NO_GET_STEPS, NO_AUTHORIZE, EVERY_HOOK];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Login {
    None,
    Expired,
    Live,
}

const ALL_LOGINS: [Login; 3] = [Login::None, Login::Expired, Login::Live];
const ALL_AUTHORIZATIONS: [Authorization; 3] = [
    Authorization::NotDetermined,
    Authorization::Granted,
    Authorization::Denied,
];

fn host(hooks: &[RequestKind]) -> Host {
    let mut host = Host::new();
    for kind in hooks {
        host = match kind {
            RequestKind::Login => host.with_login(|_| {}),
            RequestKind::Authorize => host.with_authorize(|_| {}),
            RequestKind::GetSteps => host.with_get_steps(|_| {}),
        };
    }
    host
}

/// A fresh context's state with this host, login and authorization, and the
/// instant to route at.
fn state(hooks: Hooks, login: Login, authorization: Authorization) -> (State, Instant) {
    let logged_in_at = Instant::now();
    let now = logged_in_at + Duration::from_secs(10);
    let session = match login {
        Login::None => None,
        Login::Expired => Some(Session::new(None, 5, logged_in_at)),
        Login::Live => Some(Session::new(None, 60, logged_in_at)),
    };
    let state = State {
        closed: false,
        timeout: DEFAULT_TIMEOUT,
        utc_offset_minutes: DEFAULT_UTC_OFFSET_MINUTES,
        max_in_flight: DEFAULT_MAX_IN_FLIGHT,
        host: hooks.map(|hooks| Arc::new(host(hooks))),
        session,
        authorization,
        calls: HashMap::new(),
        requests: HashMap::new(),
        shared_authorize: None,
        shared_steps: None,
        running: 0,
    };
    (state, now)
}

/// A [`Route`], comparable.
#[derive(Debug, PartialEq)]
enum Routed {
    Wait(RequestKind),
    Finish(CallResult),
}

impl Routed {
    #[track_caller]
    fn err_msg(self) -> String {
        match self {
            Routed::Finish(result) => result.err_msg,
            Routed::Wait(kind) => panic!("waits on {kind:?}"),
        }
    }
}

/// Where `api` goes.
fn route(api: Api, hooks: Hooks, login: Login, authorization: Authorization) -> Routed {
    let (state, now) = state(hooks, login, authorization);
    match state.route(api, now) {
        Route::Wait(kind) => Routed::Wait(kind),
        Route::Finish(result) => Routed::Finish(result),
    }
}

fn fails(api: Api, failure: Failure) -> Routed {
    Routed::Finish(CallResult::failed(api, &failure))
}

#[test]
fn check_session_finishes_at_once_ok_only_with_a_live_session_whatever_the_host() {
    for hooks in ALL_HOSTS {
        for authorization in ALL_AUTHORIZATIONS {
            for (login, expected) in [
                (Login::None, fails(Api::CheckSession, Failure::NotLoggedIn)),
                (
                    Login::Expired,
                    fails(Api::CheckSession, Failure::NotLoggedIn),
                ),
                (
                    Login::Live,
                    Routed::Finish(CallResult::ok(Api::CheckSession)),
                ),
            ] {
                let routed = route(Api::CheckSession, hooks, login, authorization);
                assert_eq!(routed, expected, "{hooks:?} {login:?} {authorization:?}");
            }
        }
    }
    let expired = route(
        Api::CheckSession,
        EVERY_HOOK,
        Login::Expired,
        Authorization::Granted,
    );
    assert_eq!(expired.err_msg(), "checkSession:fail session expired");
}

#[test]
fn login_waits_on_the_login_hook_whatever_the_session_and_authorization() {
    for hooks in ALL_HOSTS {
        let has_login = hooks.is_some_and(|hooks| hooks.contains(&RequestKind::Login));
        for login in ALL_LOGINS {
            for authorization in ALL_AUTHORIZATIONS {
                let expected = if has_login {
                    Routed::Wait(RequestKind::Login)
                } else {
                    fails(Api::Login, Failure::Unsupported)
                };
                let routed = route(Api::Login, hooks, login, authorization);
                assert_eq!(routed, expected, "{hooks:?} {login:?} {authorization:?}");
            }
        }
    }
    let unsupported = route(Api::Login, NO_HOST, Login::None, Authorization::Granted);
    assert_eq!(unsupported.err_msg(), "login:fail 暂时不支持 API login");
}

#[test]
fn get_we_run_data_checks_the_host_then_the_session_then_the_authorization() {
    use Authorization::{Denied, Granted, NotDetermined};
    use RequestKind::{Authorize, GetSteps};
    let unsupported = || fails(Api::GetWeRunData, Failure::Unsupported);
    let need_login = || fails(Api::GetWeRunData, Failure::NotLoggedIn);
    let denied = || fails(Api::GetWeRunData, Failure::AuthDenied);
    let cases = [
        // Without a get_steps hook, nothing else is looked at.
        (NO_HOST, Login::Live, Granted, unsupported()),
        (NO_HOST, Login::None, Denied, unsupported()),
        (LOGIN_ONLY, Login::Live, Granted, unsupported()),
        (NO_GET_STEPS, Login::Live, NotDetermined, unsupported()),
        (NO_GET_STEPS, Login::None, Denied, unsupported()),
        // Then the session, before any authorization.
        (EVERY_HOOK, Login::None, Denied, need_login()),
        (EVERY_HOOK, Login::Expired, Granted, need_login()),
        (NO_AUTHORIZE, Login::None, NotDetermined, need_login()),
        // Then a remembered denial, with or without an authorize hook.
        (EVERY_HOOK, Login::Live, Denied, denied()),
        (NO_AUTHORIZE, Login::Live, Denied, denied()),
        // Undetermined: asked through authorize if the host has it, else
        // straight to the steps (the grant is the caller's to record).
        (
            EVERY_HOOK,
            Login::Live,
            NotDetermined,
            Routed::Wait(Authorize),
        ),
        (
            NO_AUTHORIZE,
            Login::Live,
            NotDetermined,
            Routed::Wait(GetSteps),
        ),
        // Granted: straight to the steps.
        (EVERY_HOOK, Login::Live, Granted, Routed::Wait(GetSteps)),
        (NO_AUTHORIZE, Login::Live, Granted, Routed::Wait(GetSteps)),
    ];
    for (hooks, login, authorization, expected) in cases {
        let routed = route(Api::GetWeRunData, hooks, login, authorization);
        assert_eq!(routed, expected, "{hooks:?} {login:?} {authorization:?}");
    }
    let [unsupported, need_login, denied] =
        [unsupported(), need_login(), denied()].map(|result| result.err_msg());
    assert_eq!(unsupported, "getWeRunData:fail 暂时不支持 API getWeRunData");
    assert_eq!(need_login, "getWeRunData:fail need login");
    assert_eq!(denied, "getWeRunData:fail auth deny");
}

/// Only checkSession can succeed without the host: a login or getWeRunData
/// that finishes at once has failed, and a call that waits only ever waits on
/// its own kind of request.
#[test]
fn only_check_session_succeeds_without_asking_the_host() {
    for api in [Api::GetWeRunData, Api::Login, Api::CheckSession] {
        for hooks in ALL_HOSTS {
            for login in ALL_LOGINS {
                for authorization in ALL_AUTHORIZATIONS {
                    let case = format!("{api:?} {hooks:?} {login:?} {authorization:?}");
                    match route(api, hooks, login, authorization) {
                        Routed::Finish(result) => {
                            assert_eq!(
                                result.is_ok(),
                                api == Api::CheckSession && login == Login::Live,
                                "{case}"
                            );
                        }
                        Routed::Wait(kind) => {
                            let expected: &[RequestKind] = match api {
                                Api::Login => &[RequestKind::Login],
                                Api::GetWeRunData => {
                                    &[RequestKind::Authorize, RequestKind::GetSteps]
                                }
                                Api::CheckSession => &[],
                            };
                            assert!(expected.contains(&kind), "{case}: {kind:?}");
                            let hooks = hooks.expect("waiting needs a host");
                            assert!(hooks.contains(&kind), "{case}: no hook for {kind:?}");
                        }
                    }
                }
            }
        }
    }
}

/// A session's expiry is checked at the instant routed at, not when the
/// state was built.
#[test]
fn the_session_is_live_until_the_instant_it_expires() {
    let (state, now) = state(EVERY_HOOK, Login::Live, Authorization::Granted);
    let live =
        |at| matches!(state.route(Api::CheckSession, at), Route::Finish(result) if result.is_ok());
    assert!(live(now));
    // Logged in 10 s before `now`, for 60 s.
    assert!(live(now + Duration::from_secs(49)));
    assert!(!live(now + Duration::from_secs(50)));
    assert!(matches!(
        state.route(Api::GetWeRunData, now + Duration::from_secs(50)),
        Route::Finish(result) if result.status == Status::NotLoggedIn
    ));
}
