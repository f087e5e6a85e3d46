//! The call functions through the C ABI: the errMsg table, the getWeRunData
//! order, login and checkSession, single-flight, and the callback contract.

mod common;

use std::collections::HashSet;
use std::ptr;
use std::thread;
use std::time::Duration;

use common::*;

fn ok(err_msg: &str) -> Outcome {
    Outcome {
        status: WERUN_OK as u32,
        err_msg: err_msg.to_owned(),
        encrypted_data: None,
        iv: None,
        cloud_id: None,
        code: None,
    }
}

/// Starts `count` getWeRunData calls from as many threads at once.
fn start_concurrently(ctx: &Ctx, count: usize) -> Vec<&'static Recorder> {
    thread::scope(|scope| {
        let threads: Vec<_> = (0..count)
            .map(|_| {
                scope.spawn(|| {
                    let recorder = Recorder::new();
                    ctx.start(Api::GetWeRunData, recorder);
                    recorder
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    })
}

/// A context whose host answers every request from inside its hook: login
/// with "code" and [`SESSION_KEY`], a grant, and one sample.
fn answering_from_inside() -> (&'static HostState, Ctx) {
    let host = HostState::new();
    let ctx = Ctx::with_host(&host.werun_host(ALL_HOOKS));
    host.script(Hook::Login, Reply::login("code", Some(SESSION_KEY), 0));
    host.script(Hook::Authorize, Reply::Authorize(1));
    host.script(Hook::GetSteps, Reply::Steps(vec![step(unix_now(), 1)]));
    (host, ctx)
}

// --- The errMsg table -------------------------------------------------------

#[test]
fn ok_results_carry_the_api_name_and_their_payload() {
    let host = HostState::new();
    let ctx = Ctx::with_host(&host.werun_host(ALL_HOOKS));
    host.script(Hook::Login, Reply::login("code-42", Some(SESSION_KEY), 0));
    host.script(Hook::Authorize, Reply::Authorize(1));
    host.script(Hook::GetSteps, Reply::Steps(vec![]));

    let login = ctx.run(Api::Login);
    assert_eq!(
        login,
        Outcome {
            code: Some("code-42".into()),
            ..ok("login:ok")
        }
    );
    assert_eq!(ctx.run(Api::CheckSession), ok("checkSession:ok"));
    let data = ctx.run(Api::GetWeRunData);
    data.assert_we_run_data();
    assert_eq!(data.cloud_id, None);
}

#[test]
fn unsupported_apis_fail_with_the_taro_harmony_wording() {
    let no_host = Ctx::new();
    let only_authorize = HostState::new();
    let partial = Ctx::with_host(&only_authorize.werun_host(&[Hook::Authorize]));
    for ctx in [&no_host, &partial] {
        ctx.run(Api::GetWeRunData).assert_fail(
            WERUN_ERR_UNSUPPORTED,
            "getWeRunData:fail 暂时不支持 API getWeRunData",
        );
        ctx.run(Api::Login)
            .assert_fail(WERUN_ERR_UNSUPPORTED, "login:fail 暂时不支持 API login");
    }
    assert_eq!(only_authorize.hook_calls(), 0);
}

#[test]
fn a_host_can_report_an_api_unsupported() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    host.script(Hook::Login, Reply::fail(WERUN_ERR_UNSUPPORTED, None));
    host.script(
        Hook::GetSteps,
        Reply::fail(WERUN_ERR_UNSUPPORTED, Some("ignored")),
    );

    ctx.run(Api::Login)
        .assert_fail(WERUN_ERR_UNSUPPORTED, "login:fail 暂时不支持 API login");
    ctx.run(Api::GetWeRunData).assert_fail(
        WERUN_ERR_UNSUPPORTED,
        "getWeRunData:fail 暂时不支持 API getWeRunData",
    );
    assert_eq!(host.reply_statuses(), [WERUN_OK, WERUN_OK]);
}

#[test]
fn not_logged_in_reads_need_login_or_session_expired() {
    let host = HostState::new();
    let ctx = Ctx::with_host(&host.werun_host(ALL_HOOKS));
    ctx.run(Api::GetWeRunData)
        .assert_fail(WERUN_ERR_NOT_LOGGED_IN, "getWeRunData:fail need login");
    ctx.run(Api::CheckSession)
        .assert_fail(WERUN_ERR_NOT_LOGGED_IN, "checkSession:fail session expired");
}

#[test]
fn auth_deny_reads_auth_deny_for_each_api() {
    let host = HostState::new();
    let ctx = Ctx::logged_in(host, ALL_HOOKS);
    ctx.set_authorization(WERUN_AUTH_DENIED);
    ctx.run(Api::GetWeRunData)
        .assert_fail(WERUN_ERR_AUTH_DENIED, "getWeRunData:fail auth deny");

    // Refusing a login is not a refusal of scope.werun.
    ctx.set_authorization(WERUN_AUTH_NOT_DETERMINED);
    host.script(Hook::Login, Reply::fail(WERUN_ERR_AUTH_DENIED, None));
    ctx.run(Api::Login)
        .assert_fail(WERUN_ERR_AUTH_DENIED, "login:fail auth deny");
    assert_eq!(ctx.authorization(), WERUN_AUTH_NOT_DETERMINED);
    assert!(host.authorization_changes().is_empty());
}

#[test]
fn timeouts_read_timeout_for_each_api() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    ctx.set_timeout_ms(50);
    let (login, data) = (Recorder::new(), Recorder::new());
    ctx.start(Api::Login, login);
    ctx.start(Api::GetWeRunData, data);
    login
        .wait()
        .assert_fail(WERUN_ERR_TIMEOUT, "login:fail timeout");
    data.wait()
        .assert_fail(WERUN_ERR_TIMEOUT, "getWeRunData:fail timeout");
}

#[test]
fn cancelled_reads_cancelled_for_each_api() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    for (api, err_msg) in [
        (Api::Login, "login:fail cancelled"),
        (Api::GetWeRunData, "getWeRunData:fail cancelled"),
    ] {
        let recorder = Recorder::new();
        let call = ctx.start(api, recorder);
        assert_eq!(cancel(call), WERUN_OK);
        recorder.outcome().assert_fail(WERUN_ERR_CANCELLED, err_msg);
    }
}

#[test]
fn host_failures_carry_the_host_message_or_host_error() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    for (message, shown) in [
        (Some("no network"), "no network"),
        (Some("健康服务不可用"), "健康服务不可用"),
        (Some(""), "host error"),
        (None, "host error"),
    ] {
        for (api, hook) in [
            (Api::Login, Hook::Login),
            (Api::GetWeRunData, Hook::GetSteps),
        ] {
            host.script(hook, Reply::fail(WERUN_ERR_HOST, message));
            ctx.run(api)
                .assert_fail(WERUN_ERR_HOST, &format!("{}:fail {shown}", api.name()));
        }
    }
}

#[test]
fn invalid_host_data_reads_invalid_host_data_with_the_detail() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);

    host.script(Hook::Login, Reply::login("", Some(SESSION_KEY), 0));
    let detail = ctx
        .run(Api::Login)
        .assert_fail_starting(WERUN_ERR_INVALID_DATA, "login:fail invalid host data: ")
        .to_owned();
    assert!(detail.contains("code"), "{detail}");

    host.script(Hook::GetSteps, Reply::Steps(vec![step(0, -1)]));
    let outcome = ctx.run(Api::GetWeRunData);
    let detail = outcome.assert_fail_starting(
        WERUN_ERR_INVALID_DATA,
        "getWeRunData:fail invalid host data: ",
    );
    assert!(
        detail.contains("sample 0") && detail.contains("-1"),
        "{detail}"
    );
    assert_eq!(
        host.reply_statuses(),
        [WERUN_ERR_INVALID_DATA, WERUN_ERR_INVALID_DATA]
    );

    // A host that finds its own answer unusable (a binding whose app resolved
    // the wrong shape) fails the request with INVALID_DATA: the same status
    // and wording, and the failing itself succeeds.
    let shape = "getSteps() must resolve an array of { timestamp, step }";
    for (api, hook) in [
        (Api::Login, Hook::Login),
        (Api::GetWeRunData, Hook::GetSteps),
    ] {
        host.script(hook, Reply::fail(WERUN_ERR_INVALID_DATA, Some(shape)));
        ctx.run(api).assert_fail(
            WERUN_ERR_INVALID_DATA,
            &format!("{}:fail invalid host data: {shape}", api.name()),
        );
        host.script(hook, Reply::fail(WERUN_ERR_INVALID_DATA, None));
        ctx.run(api).assert_fail(
            WERUN_ERR_INVALID_DATA,
            &format!("{}:fail invalid host data", api.name()),
        );
    }
    assert_eq!(host.reply_statuses()[2..], [WERUN_OK; 4]);
}

// --- The getWeRunData order -------------------------------------------------

#[test]
fn without_a_get_steps_hook_get_we_run_data_is_unsupported_before_anything_else() {
    let host = HostState::new();
    let ctx = Ctx::with_host(&host.werun_host(&[Hook::Login, Hook::Authorize]));
    ctx.set_authorization(WERUN_AUTH_DENIED);
    // Neither the missing session nor the denial is reported.
    ctx.run(Api::GetWeRunData).assert_fail(
        WERUN_ERR_UNSUPPORTED,
        "getWeRunData:fail 暂时不支持 API getWeRunData",
    );
    ctx.log_in(host, Some(SESSION_KEY), 0);
    ctx.run(Api::GetWeRunData).assert_fail(
        WERUN_ERR_UNSUPPORTED,
        "getWeRunData:fail 暂时不支持 API getWeRunData",
    );
    assert!(host.requests(Hook::Authorize).is_empty());
}

#[test]
fn without_a_live_session_get_we_run_data_never_calls_the_host() {
    let host = HostState::new();
    let ctx = Ctx::with_host(&host.werun_host(ALL_HOOKS));
    for state in [
        WERUN_AUTH_NOT_DETERMINED,
        WERUN_AUTH_GRANTED,
        WERUN_AUTH_DENIED,
    ] {
        ctx.set_authorization(state);
        ctx.run(Api::GetWeRunData)
            .assert_fail(WERUN_ERR_NOT_LOGGED_IN, "getWeRunData:fail need login");
        assert_eq!(ctx.authorization(), state);
    }
    assert_eq!(host.hook_calls(), 0);
    assert!(host.authorization_changes().is_empty());
}

#[test]
fn a_remembered_denial_fails_at_once_without_asking_authorize() {
    let host = HostState::new();
    let ctx = Ctx::logged_in(host, ALL_HOOKS);
    ctx.set_authorization(WERUN_AUTH_DENIED);
    for _ in 0..2 {
        ctx.run(Api::GetWeRunData)
            .assert_fail(WERUN_ERR_AUTH_DENIED, "getWeRunData:fail auth deny");
    }
    assert!(host.requests(Hook::Authorize).is_empty());
    assert!(host.requests(Hook::GetSteps).is_empty());
    assert!(host.authorization_changes().is_empty());
}

#[test]
fn concurrent_calls_share_one_authorize_and_a_grant_runs_get_steps_on_the_answering_thread() {
    let host = HostState::new();
    let ctx = Ctx::logged_in(host, ALL_HOOKS);
    let recorders = start_concurrently(&ctx, 8);
    let authorize = host.only_request(Hook::Authorize);
    assert!(host.requests(Hook::GetSteps).is_empty());
    recorders.iter().for_each(|r| r.assert_untouched());

    let answering = thread::spawn(move || {
        assert_eq!(answer_authorize(authorize, 1), WERUN_OK);
        thread::current().id()
    });
    let answering = answering.join().unwrap();

    assert_eq!(ctx.authorization(), WERUN_AUTH_GRANTED);
    assert_eq!(host.authorization_changes(), [WERUN_AUTH_GRANTED]);
    let get_steps: Vec<_> = host
        .received()
        .into_iter()
        .filter(|r| r.hook == Hook::GetSteps)
        .collect();
    assert_eq!(get_steps.len(), 1, "one get_steps for all waiting calls");
    assert_eq!(get_steps[0].thread, answering);

    assert_eq!(answer_steps(get_steps[0].request, &[]), WERUN_OK);
    for recorder in recorders {
        recorder.outcome().assert_we_run_data();
    }
    // Granted stays granted: the next call goes straight to get_steps.
    let recorder = Recorder::new();
    ctx.start(Api::GetWeRunData, recorder);
    assert_eq!(host.requests(Hook::Authorize).len(), 1);
    assert_eq!(host.requests(Hook::GetSteps).len(), 2);
}

#[test]
fn without_an_authorize_hook_the_first_call_grants_and_notifies_once() {
    let host = HostState::new();
    let ctx = Ctx::logged_in(host, &[Hook::Login, Hook::GetSteps]);
    assert_eq!(ctx.authorization(), WERUN_AUTH_NOT_DETERMINED);
    let (first, second) = (Recorder::new(), Recorder::new());
    ctx.start(Api::GetWeRunData, first);
    assert_eq!(ctx.authorization(), WERUN_AUTH_GRANTED);
    ctx.start(Api::GetWeRunData, second);

    assert_eq!(host.authorization_changes(), [WERUN_AUTH_GRANTED]);
    assert_eq!(
        answer_steps(host.only_request(Hook::GetSteps), &[]),
        WERUN_OK
    );
    first.outcome().assert_we_run_data();
    second.outcome().assert_we_run_data();
}

#[test]
fn setting_the_authorization_directly_does_not_notify_the_host() {
    let host = HostState::new();
    let ctx = Ctx::logged_in(host, ALL_HOOKS);
    for state in [
        WERUN_AUTH_GRANTED,
        WERUN_AUTH_DENIED,
        WERUN_AUTH_NOT_DETERMINED,
    ] {
        ctx.set_authorization(state);
        assert_eq!(ctx.authorization(), state);
    }
    // SAFETY: live context.
    let status = unsafe { werun_context_set_authorization(ctx.ptr(), 3) };
    assert_eq!(status, WERUN_ERR_INVALID_ARGUMENT);
    assert!(!last_error().is_empty());
    assert_eq!(ctx.authorization(), WERUN_AUTH_NOT_DETERMINED);
    assert!(host.authorization_changes().is_empty());
}

/// The ways a session ends, each returning the context without one.
type EndSession = fn(&'static HostState) -> Ctx;

#[test]
fn a_session_that_expired_or_was_logged_out_fails_check_session_and_get_we_run_data() {
    let expired: EndSession = |host| {
        let ctx = Ctx::with_host(&host.werun_host(&[Hook::Login, Hook::GetSteps]));
        ctx.log_in(host, Some(SESSION_KEY), 1);
        assert_eq!(ctx.run(Api::CheckSession), ok("checkSession:ok"));
        thread::sleep(Duration::from_millis(1100));
        ctx
    };
    let logged_out: EndSession = |host| {
        let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
        ctx.logout();
        ctx
    };
    for (name, end_session) in [("expired", expired), ("logged out", logged_out)] {
        let host = HostState::new();
        let ctx = end_session(host);
        ctx.run(Api::CheckSession)
            .assert_fail(WERUN_ERR_NOT_LOGGED_IN, "checkSession:fail session expired");
        ctx.run(Api::GetWeRunData)
            .assert_fail(WERUN_ERR_NOT_LOGGED_IN, "getWeRunData:fail need login");
        assert!(host.requests(Hook::GetSteps).is_empty(), "{name}");
    }
}

#[test]
fn concurrent_calls_share_one_get_steps_request_and_each_gets_a_fresh_iv() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    let recorders = start_concurrently(&ctx, 8);
    let request = host.only_request(Hook::GetSteps);
    let now = unix_now();
    let samples: Vec<_> = (0..31)
        .map(|day| step(now - day * DAY, 1000 + day))
        .collect();
    assert_eq!(answer_steps(request, &samples), WERUN_OK);

    let outcomes: Vec<_> = recorders.iter().map(|r| r.outcome()).collect();
    let ivs: HashSet<_> = outcomes.iter().map(|o| o.assert_we_run_data().1).collect();
    assert_eq!(ivs.len(), outcomes.len(), "every call has its own iv");
    let decrypted: Vec<_> = outcomes
        .iter()
        .map(|outcome| {
            let (data, iv) = outcome.assert_we_run_data();
            decrypt_we_run_data(SESSION_KEY, data, iv).unwrap().steps
        })
        .collect();
    assert_eq!(decrypted[0].len(), 31);
    assert!(decrypted.iter().all(|steps| *steps == decrypted[0]));
}

// --- login ------------------------------------------------------------------

#[test]
fn every_login_is_forwarded_even_while_another_is_pending() {
    let host = HostState::new();
    let ctx = Ctx::with_host(&host.werun_host(ALL_HOOKS));
    let (first, second) = (Recorder::new(), Recorder::new());
    ctx.start(Api::Login, first);
    ctx.start(Api::Login, second);
    let requests = host.requests(Hook::Login);
    assert_eq!(requests.len(), 2, "logins are not single-flight");

    assert_eq!(
        answer_login(requests[1], "code-2", Some(SESSION_KEY), 0),
        WERUN_OK
    );
    first.assert_untouched();
    assert_eq!(
        answer_login(requests[0], "code-1", Some(SESSION_KEY), 0),
        WERUN_OK
    );
    assert_eq!(first.outcome().code.as_deref(), Some("code-1"));
    assert_eq!(second.outcome().code.as_deref(), Some("code-2"));
}

#[test]
fn a_new_login_replaces_the_session_and_its_key() {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    ctx.log_in(host, Some(OTHER_SESSION_KEY), 0);
    host.script(Hook::GetSteps, Reply::Steps(vec![step(unix_now(), 321)]));

    let outcome = ctx.run(Api::GetWeRunData);
    let (data, iv) = outcome.assert_we_run_data();
    let steps = decrypt_we_run_data(OTHER_SESSION_KEY, data, iv)
        .unwrap()
        .steps;
    assert_eq!(total(&steps), 321);
    assert!(decrypt_we_run_data(SESSION_KEY, data, iv).is_err());
}

#[test]
fn a_session_key_that_is_not_16_bytes_fails_the_login_without_leaking_it() {
    let host = HostState::new();
    let ctx = Ctx::with_host(&host.werun_host(ALL_HOOKS));
    // 12 bytes, 24 bytes, and not base64 at all.
    for key in [
        "U0VDUkVUU0VDUkVU",
        "mAcg9IKnc30aCgz5csVb41WDZeTSR70V",
        "S3CR3T-KEY_not-base64",
    ] {
        let recorder = Recorder::new();
        ctx.start(Api::Login, recorder);
        let request = host.last_request(Hook::Login);
        let status = answer_login(request, "code", Some(key), 0);
        assert_eq!(status, WERUN_ERR_INVALID_DATA);
        let error = last_error();
        assert!(error.contains("session_key"), "{error}");
        assert!(!error.contains(key), "{error}");

        let outcome = recorder.outcome();
        let detail =
            outcome.assert_fail_starting(WERUN_ERR_INVALID_DATA, "login:fail invalid host data: ");
        assert!(detail.contains("session_key"), "{detail}");
        assert!(!outcome.err_msg.contains(key), "{outcome:?}");
        // The refused answer consumed the request.
        let retry = answer_login(request, "code", Some(SESSION_KEY), 0);
        assert_eq!(retry, WERUN_ERR_STALE_REQUEST);
        ctx.run(Api::CheckSession)
            .assert_fail(WERUN_ERR_NOT_LOGGED_IN, "checkSession:fail session expired");
    }
}

#[test]
fn a_session_without_a_key_cannot_seal_raw_steps() {
    let host = HostState::new();
    let ctx = Ctx::with_host(&host.werun_host(&[Hook::Login, Hook::GetSteps]));
    ctx.log_in(host, None, 0);
    assert_eq!(ctx.run(Api::CheckSession), ok("checkSession:ok"));

    let recorder = Recorder::new();
    ctx.start(Api::GetWeRunData, recorder);
    let status = answer_steps(host.only_request(Hook::GetSteps), &[step(unix_now(), 5)]);
    assert_eq!(status, WERUN_ERR_INVALID_DATA);
    assert!(last_error().contains("no session key"), "{}", last_error());
    let outcome = recorder.outcome();
    let detail = outcome.assert_fail_starting(
        WERUN_ERR_INVALID_DATA,
        "getWeRunData:fail invalid host data: ",
    );
    assert!(detail.contains("no session key"), "{detail}");
}

// --- The callback contract --------------------------------------------------

#[test]
fn call_functions_reject_a_null_context_or_null_callbacks_without_calling_back() {
    let ctx = Ctx::new();
    let recorder = Recorder::new();
    for api in ALL_APIS {
        let mut call = u64::MAX;
        // SAFETY: NULL is what is being tested; the other pointers are valid.
        let status = unsafe { api.function()(ptr::null_mut(), &recorder.callbacks(), &mut call) };
        assert_eq!(status, WERUN_ERR_NULL_ARGUMENT, "{api:?}");
        assert!(last_error().contains("ctx"), "{}", last_error());
        assert_eq!(call, u64::MAX, "call_out is written only on OK");

        let status = ctx.try_start(api, ptr::null(), &mut call);
        assert_eq!(status, WERUN_ERR_NULL_ARGUMENT, "{api:?}");
        assert!(last_error().contains("callbacks"), "{}", last_error());
        assert_eq!(call, u64::MAX);
    }
    recorder.assert_untouched();
}

#[test]
fn callbacks_may_all_be_null() {
    let (host, ctx) = answering_from_inside();

    for api in [
        Api::Login,
        Api::CheckSession,
        Api::GetWeRunData,
        Api::CheckSession,
    ] {
        let status = ctx.try_start(api, &null_callbacks(), ptr::null_mut());
        assert_eq!(status, WERUN_OK, "{api:?}");
    }
    // The calls really ran: the login made a session that the others used.
    assert_eq!(host.reply_statuses(), [WERUN_OK; 3]);
    assert_eq!(ctx.run(Api::CheckSession), ok("checkSession:ok"));
}

#[test]
fn failures_are_delivered_through_fail_while_the_call_function_returns_ok() {
    // Unsupported, need login, auth deny and session expired all come back
    // through `fail`; `Ctx::start` asserts the OK return.
    let ctx = Ctx::new();
    for api in ALL_APIS {
        let recorder = Recorder::new();
        ctx.start(api, recorder);
        assert_eq!(recorder.counts(), [0, 1, 1], "{api:?}");
    }
}

#[test]
fn a_hook_that_answers_from_inside_itself_completes_the_call_before_it_returns() {
    let (host, ctx) = answering_from_inside();

    // `run` asserts the outcome right after the call function returned.
    assert_eq!(ctx.run(Api::Login).code.as_deref(), Some("code"));
    ctx.run(Api::GetWeRunData).assert_we_run_data();
    assert_eq!(host.reply_statuses(), [WERUN_OK; 3]);
    let this = thread::current().id();
    assert!(host.received().iter().all(|r| r.thread == this));
}

#[test]
fn a_host_that_answers_later_from_another_thread_completes_the_call() {
    let host = HostState::new();
    let ctx = Ctx::with_host(&host.werun_host(ALL_HOOKS));
    let answerer = thread::spawn(move || {
        let login = host.wait_for_request(Hook::Login, 1);
        assert_eq!(answer_login(login, "late", Some(SESSION_KEY), 0), WERUN_OK);
        let authorize = host.wait_for_request(Hook::Authorize, 1);
        assert_eq!(answer_authorize(authorize, 1), WERUN_OK);
        let get_steps = host.wait_for_request(Hook::GetSteps, 1);
        assert_eq!(answer_steps(get_steps, &[step(unix_now(), 9)]), WERUN_OK);
    });

    let login = Recorder::new();
    ctx.start(Api::Login, login);
    assert_eq!(login.wait().code.as_deref(), Some("late"));
    let data = Recorder::new();
    ctx.start(Api::GetWeRunData, data);
    let outcome = data.wait();
    let (encrypted, iv) = outcome.assert_we_run_data();
    let steps = decrypt_we_run_data(SESSION_KEY, encrypted, iv)
        .unwrap()
        .steps;
    assert_eq!(total(&steps), 9);
    answerer.join().unwrap();
}

#[test]
fn last_error_is_empty_on_a_thread_that_never_failed() {
    let error = thread::spawn(last_error).join().unwrap();
    assert_eq!(error, "");
}
