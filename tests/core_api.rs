//! The safe Rust API that Rust hosts (such as ohos-rs modules) use directly.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use werun::core::{
    Authorization, CallResult, Context, Host, HostAnswer, HostFailure, MAX_APPID_LEN,
    MAX_HOST_FAILURE_MESSAGE_LEN, MAX_UTC_OFFSET_MINUTES, MIN_UTC_OFFSET_MINUTES, RequestId,
    Settings, Status, StepSample, answer, cancel,
};
use werun::open_data::decrypt_we_run_data;

const APPID: &str = "wx9c1951875b6dc967";
const SESSION_KEY: &str = "CAhsXN7MvEhLFyovz1GhLg==";

fn wait(start: impl FnOnce(Box<dyn FnOnce(&CallResult) + Send>)) -> CallResult {
    let (tx, rx) = mpsc::channel();
    start(Box::new(move |result: &CallResult| {
        tx.send(result.clone()).unwrap()
    }));
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the call completes")
}

fn logged_in(host: Host) -> Context {
    let context = Context::new(APPID).unwrap();
    context.set_host(Some(host.with_login(|request| {
        answer(
            request,
            HostAnswer::Login {
                code: "c0de",
                session_key: Some(SESSION_KEY),
                expires_in_s: 0,
            },
        )
        .unwrap();
    })));
    let result = wait(|done| {
        context.login(done);
    });
    assert_eq!(result.err_msg, "login:ok");
    context
}

#[test]
fn a_rust_host_seals_raw_steps_that_the_backend_decrypts() {
    let context = logged_in(Host::new().with_get_steps(|request| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        answer(
            request,
            HostAnswer::Steps(&[StepSample {
                timestamp: now,
                step: 4321,
            }]),
        )
        .unwrap();
    }));
    let result = wait(|done| {
        context.get_we_run_data(done);
    });
    assert_eq!(result.status, Status::Ok, "{}", result.err_msg);
    let sealed = result.sealed.unwrap();
    let data = decrypt_we_run_data(SESSION_KEY, &sealed.encrypted_data, &sealed.iv, APPID).unwrap();
    assert_eq!(data.step_info_list.len(), 31);
    assert_eq!(data.step_info_list[30].step, 4321);
    assert_eq!(context.authorization(), Authorization::Granted);
}

#[test]
fn a_panicking_host_hook_fails_the_call_with_internal_error() {
    let context = logged_in(Host::new().with_get_steps(|_| panic!("host bug")));
    let result = wait(|done| {
        context.get_we_run_data(done);
    });
    assert_eq!(result.status, Status::Panic);
    assert_eq!(result.err_msg, "getWeRunData:fail internal error");
}

#[test]
fn a_panicking_completion_does_not_disturb_other_calls() {
    let context = logged_in(Host::new());
    context.check_session(|_| panic!("app bug"));
    let result = wait(|done| {
        context.check_session(done);
    });
    assert_eq!(result.err_msg, "checkSession:ok");
}

/// Counts its drops: the host a context releases, held by its hooks.
struct Tracked(Arc<AtomicUsize>);

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn dropping_the_context_cancels_calls_and_drops_the_host_once() {
    let releases = Arc::new(AtomicUsize::new(0));
    let tracked = Tracked(releases.clone());
    let pending: Arc<Mutex<Vec<RequestId>>> = Arc::default();
    let seen = pending.clone();
    let context = logged_in(Host::new().with_get_steps(move |request| {
        let _keep = &tracked;
        seen.lock().unwrap().push(request);
    }));
    let results: Arc<Mutex<Vec<CallResult>>> = Arc::default();
    let mut calls = Vec::new();
    for _ in 0..3 {
        let sink = results.clone();
        calls.push(context.get_we_run_data(move |r| sink.lock().unwrap().push(r.clone())));
    }
    drop(context);
    let results = results.lock().unwrap();
    assert_eq!(results.len(), 3);
    assert!(
        results
            .iter()
            .all(|r| r.err_msg == "getWeRunData:fail cancelled")
    );
    assert_eq!(releases.load(Ordering::SeqCst), 1);
    let request = pending.lock().unwrap()[0];
    let late = answer(request, HostAnswer::Steps(&[])).unwrap_err();
    assert_eq!(late.status, Status::StaleRequest);
    assert_eq!(cancel(calls[0]).unwrap_err().status, Status::StaleRequest);
}

/// A completion that owns the last `Arc<Context>` drops the context from
/// inside its own callback, on the thread that answered. The drop cannot wait
/// for that callback, so it does not: it returns, the other call in flight is
/// cancelled, and the host is released once the callback has finished.
/// (Before, the drop waited for itself, and the answering thread hung.)
#[test]
fn a_context_dropped_inside_its_own_completion_does_not_wait_for_it() {
    let releases = Arc::new(AtomicUsize::new(0));
    let tracked = Tracked(releases.clone());
    let login = Inbox::default();
    let hook = login.hook();
    let context = Arc::new(Context::new(APPID).unwrap());
    context.set_host(Some(Host::new().with_login(move |request| {
        let _keep = &tracked;
        hook(request);
    })));
    let (checked, check) = mpsc::channel();
    let owner = context.clone();
    context.login(move |result| {
        // Inside its own callback, freeing is flagged, and dropping does
        // not wait for this callback.
        checked
            .send((result.err_msg.clone(), owner.check_free()))
            .unwrap();
        drop(owner);
    });
    let other = Results::default();
    context.login(other.completion());
    assert_eq!(context.check_free(), Ok(()));
    drop(context);
    let first = login.all()[0];
    let answering = std::thread::spawn(move || {
        let login = HostAnswer::Login {
            code: "code",
            session_key: None,
            expires_in_s: 0,
        };
        answer(first, login)
    });
    let (err_msg, flagged) = check.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(err_msg, "login:ok");
    assert_eq!(flagged.unwrap_err().status, Status::Reentrant);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !answering.is_finished() {
        assert!(
            std::time::Instant::now() < deadline,
            "the drop waited for itself"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(answering.join().unwrap(), Ok(()));
    assert_eq!(other.err_msgs(), ["login:fail cancelled"]);
    assert_eq!(releases.load(Ordering::SeqCst), 1);
    let second = login.all()[1];
    let late = answer(second, HostAnswer::Fail(HostFailure::Unsupported)).unwrap_err();
    assert_eq!(late.status, Status::StaleRequest);
}

#[test]
fn debug_output_of_a_context_and_host_carries_no_secrets() {
    let context = logged_in(Host::new());
    let shown = format!("{context:?}");
    assert!(shown.contains(APPID));
    assert!(!shown.contains(SESSION_KEY));
}

// --- Helpers for calls left waiting on the host ------------------------------

/// What a hook or a completion received, in order: shared with the closure
/// that [`Log::hook`] or [`Log::completion`] hands to werun.
struct Log<T>(Arc<Mutex<Vec<T>>>);

/// The requests a hook received, for the test to answer.
type Inbox = Log<RequestId>;
/// The results of calls, in the order they completed.
type Results = Log<CallResult>;
/// The authorization changes a host was told about.
type Told = Log<Authorization>;

impl<T> Default for Log<T> {
    fn default() -> Self {
        Log(Arc::default())
    }
}

impl<T: Clone + Send + 'static> Log<T> {
    fn hook(&self) -> impl Fn(T) + Send + Sync + 'static {
        let log = self.0.clone();
        move |item| log.lock().unwrap().push(item)
    }

    fn all(&self) -> Vec<T> {
        self.0.lock().unwrap().clone()
    }
}

impl Inbox {
    #[track_caller]
    fn only(&self) -> RequestId {
        match self.all().as_slice() {
            [request] => *request,
            other => panic!("expected one request, got {other:?}"),
        }
    }
}

impl Results {
    fn completion(&self) -> impl FnOnce(&CallResult) + Send + 'static {
        let hook = self.hook();
        move |result| hook(result.clone())
    }

    fn err_msgs(&self) -> Vec<String> {
        self.all()
            .into_iter()
            .map(|result| result.err_msg)
            .collect()
    }
}

/// A context logged in through `host` plus a get_steps hook, with one
/// getWeRunData call waiting on that hook's request.
fn waiting_on_get_steps(host: Host) -> (Context, Inbox, Results) {
    let get_steps = Inbox::default();
    let context = logged_in(host.with_get_steps(get_steps.hook()));
    let results = Results::default();
    context.get_we_run_data(results.completion());
    (context, get_steps, results)
}

fn unix_now() -> i64 {
    let elapsed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(elapsed.as_secs()).unwrap()
}

// --- Settings -----------------------------------------------------------------

#[test]
fn a_context_refuses_an_empty_or_overlong_appid_and_settings_out_of_range() {
    let empty = Context::new("").unwrap_err();
    assert_eq!(
        (empty.status, empty.message.as_str()),
        (Status::InvalidArgument, "appid is empty")
    );
    let longest = "w".repeat(MAX_APPID_LEN);
    assert_eq!(Context::new(&longest).unwrap().appid(), longest);
    let overlong = Context::new(&format!("{longest}x")).unwrap_err();
    assert_eq!(overlong.status, Status::InvalidArgument);
    assert_eq!(
        overlong.message,
        format!(
            "appid is {} bytes; the limit is {MAX_APPID_LEN}",
            MAX_APPID_LEN + 1
        )
    );

    let context = Context::new(APPID).unwrap();
    assert_eq!(context.appid(), APPID);
    let refused = |result: Result<(), werun::core::Error>| {
        let error = result.unwrap_err();
        assert_eq!(error.status, Status::InvalidArgument, "{error:?}");
        assert!(!error.message.is_empty());
    };
    refused(context.set_timeout(Duration::ZERO));
    context.set_timeout(Duration::from_millis(1)).unwrap();
    refused(context.set_utc_offset_minutes(MIN_UTC_OFFSET_MINUTES - 1));
    refused(context.set_utc_offset_minutes(MAX_UTC_OFFSET_MINUTES + 1));
    context
        .set_utc_offset_minutes(MIN_UTC_OFFSET_MINUTES)
        .unwrap();
    context
        .set_utc_offset_minutes(MAX_UTC_OFFSET_MINUTES)
        .unwrap();
    refused(context.set_max_in_flight(0));
    context.set_max_in_flight(1).unwrap();
}

#[test]
fn logout_ends_the_session_and_set_authorization_does_not_notify() {
    let told = Told::default();
    let context = logged_in(
        Host::new()
            .with_get_steps(|_| {})
            .with_authorization_changed(told.hook()),
    );
    for state in [
        Authorization::Denied,
        Authorization::Granted,
        Authorization::NotDetermined,
    ] {
        context.set_authorization(state);
        assert_eq!(context.authorization(), state);
    }
    assert!(told.all().is_empty());

    let ok = wait(|done| {
        context.check_session(done);
    });
    assert_eq!(
        (ok.status, ok.err_msg.as_str()),
        (Status::Ok, "checkSession:ok")
    );
    context.logout();
    let expired = wait(|done| {
        context.check_session(done);
    });
    assert_eq!(
        (expired.status, expired.err_msg.as_str()),
        (Status::NotLoggedIn, "checkSession:fail session expired")
    );
    let need_login = wait(|done| {
        context.get_we_run_data(done);
    });
    assert_eq!(need_login.err_msg, "getWeRunData:fail need login");
}

// --- Calls waiting on the host -------------------------------------------------

#[test]
fn past_max_in_flight_a_call_is_busy_and_a_cancel_makes_room() {
    let get_steps = Inbox::default();
    let context = logged_in(Host::new().with_get_steps(get_steps.hook()));
    context.set_max_in_flight(1).unwrap();
    let results = Results::default();
    let first = context.get_we_run_data(results.completion());

    // Past the max, a call that would wait completes at once, through fail.
    let busy = context.get_we_run_data(results.completion());
    assert_eq!(results.err_msgs(), ["getWeRunData:fail busy"]);
    assert_eq!(results.all()[0].status, Status::Busy);
    assert_eq!(cancel(busy).unwrap_err().status, Status::StaleRequest);
    let busy_login = wait(|done| {
        context.login(done);
    });
    assert_eq!(
        (busy_login.status, busy_login.err_msg.as_str()),
        (Status::Busy, "login:fail busy")
    );
    assert_eq!(get_steps.all().len(), 1, "a BUSY call sends no request");
    // A call that needs no host is never BUSY.
    let session = wait(|done| {
        context.check_session(done);
    });
    assert_eq!(session.err_msg, "checkSession:ok");

    cancel(first).unwrap();
    assert_eq!(
        results.err_msgs(),
        ["getWeRunData:fail busy", "getWeRunData:fail cancelled"]
    );
    assert_eq!(results.all()[1].status, Status::Cancelled);
    assert_eq!(cancel(first).unwrap_err().status, Status::StaleRequest);
    // The only waiter gone, its request was withdrawn.
    let withdrawn = get_steps.only();
    let late = answer(withdrawn, HostAnswer::Steps(&[])).unwrap_err();
    assert_eq!(late.status, Status::StaleRequest);

    context.get_we_run_data(results.completion());
    assert_eq!(get_steps.all().len(), 2);
}

#[test]
fn a_refused_configure_applies_none_of_its_settings() {
    let get_steps = Inbox::default();
    let context = logged_in(Host::new().with_get_steps(get_steps.hook()));
    let refused = context
        .configure(Settings {
            max_in_flight: Some(1),
            utc_offset_minutes: Some(MAX_UTC_OFFSET_MINUTES + 1),
            ..Settings::default()
        })
        .unwrap_err();
    assert_eq!(refused.status, Status::InvalidArgument);
    assert!(refused.message.contains("UTC offset"), "{refused:?}");
    assert!(!refused.message.contains("max in flight"), "{refused:?}");
    // Max in flight is still the default: a second call waits too.
    let results = Results::default();
    context.get_we_run_data(results.completion());
    context.get_we_run_data(results.completion());

    context
        .configure(Settings {
            max_in_flight: Some(2),
            ..Settings::default()
        })
        .unwrap();
    assert!(results.all().is_empty(), "both calls wait");
    context.get_we_run_data(results.completion());
    assert_eq!(results.err_msgs(), ["getWeRunData:fail busy"]);
}

#[test]
fn an_answer_of_the_wrong_kind_is_refused_and_the_request_stays_pending() {
    let (_context, get_steps, results) = waiting_on_get_steps(Host::new());
    let request = get_steps.only();

    for wrong in [
        HostAnswer::Login {
            code: "c",
            session_key: None,
            expires_in_s: 0,
        },
        HostAnswer::Authorize { granted: true },
    ] {
        let error = answer(request, wrong).unwrap_err();
        assert_eq!(error.status, Status::InvalidArgument, "{wrong:?}");
        assert!(results.all().is_empty());
    }
    answer(request, HostAnswer::Steps(&[])).unwrap();
    assert_eq!(results.err_msgs(), ["getWeRunData:ok"]);
    let again = answer(request, HostAnswer::Steps(&[])).unwrap_err();
    assert_eq!(again.status, Status::StaleRequest);
}

#[test]
fn one_authorize_serves_every_waiting_call_and_the_grant_is_told_to_the_host() {
    let (authorize, get_steps) = (Inbox::default(), Inbox::default());
    let told = Told::default();
    let context = logged_in(
        Host::new()
            .with_authorize(authorize.hook())
            .with_get_steps(get_steps.hook())
            .with_authorization_changed(told.hook()),
    );
    let results = Results::default();
    context.get_we_run_data(results.completion());
    context.get_we_run_data(results.completion());
    assert!(get_steps.all().is_empty());

    answer(authorize.only(), HostAnswer::Authorize { granted: true }).unwrap();
    assert_eq!(context.authorization(), Authorization::Granted);
    assert_eq!(told.all(), [Authorization::Granted]);
    // A payload sealed elsewhere is passed through as it is.
    let iv = "AAAAAAAAAAAAAAAAAAAAAA==";
    answer(
        get_steps.only(),
        HostAnswer::Sealed {
            encrypted_data: iv,
            iv,
            cloud_id: Some("cloud-1"),
        },
    )
    .unwrap();
    let results = results.all();
    assert_eq!(results.len(), 2);
    for result in results {
        assert_eq!(result.err_msg, "getWeRunData:ok");
        let sealed = result.sealed.expect("a sealed payload");
        assert_eq!(
            (
                sealed.encrypted_data.as_str(),
                sealed.iv.as_str(),
                sealed.cloud_id.as_deref()
            ),
            (iv, iv, Some("cloud-1"))
        );
        assert_eq!(result.code, None);
    }
    assert_eq!(authorize.all().len(), 1);
}

#[test]
fn host_failures_fail_the_waiting_calls_with_their_wording() {
    for (failure, status, err_msg) in [
        (
            HostFailure::Host("no sensor"),
            Status::Host,
            "getWeRunData:fail no sensor",
        ),
        (
            HostFailure::Host(""),
            Status::Host,
            "getWeRunData:fail host error",
        ),
        (
            HostFailure::Unsupported,
            Status::Unsupported,
            "getWeRunData:fail 暂时不支持 API getWeRunData",
        ),
        (
            HostFailure::AuthDenied,
            Status::AuthDenied,
            "getWeRunData:fail auth deny",
        ),
        (
            HostFailure::InvalidData("getSteps() must resolve an array"),
            Status::InvalidData,
            "getWeRunData:fail invalid host data: getSteps() must resolve an array",
        ),
    ] {
        let told = Told::default();
        let (context, get_steps, results) =
            waiting_on_get_steps(Host::new().with_authorization_changed(told.hook()));
        answer(get_steps.only(), HostAnswer::Fail(failure)).unwrap();
        let result = &results.all()[0];
        assert_eq!((result.status, result.err_msg.as_str()), (status, err_msg));
        assert!(result.sealed.is_none());
        // Without an authorize hook the call granted scope.werun; only a
        // denial takes it back.
        let expected = if failure == HostFailure::AuthDenied {
            vec![Authorization::Granted, Authorization::Denied]
        } else {
            vec![Authorization::Granted]
        };
        assert_eq!(told.all(), expected, "{failure:?}");
        assert_eq!(context.authorization(), *expected.last().unwrap());
    }
}

/// The failure message's limit is the core's, so a Rust host meets it too:
/// one byte over is refused and the request stays pending; at the limit the
/// message reaches the errMsg whole.
#[test]
fn a_host_failure_message_over_the_limit_is_refused_and_the_request_stays_pending() {
    fn failure(invalid_data: bool, message: &str) -> HostFailure<'_> {
        if invalid_data {
            HostFailure::InvalidData(message)
        } else {
            HostFailure::Host(message)
        }
    }
    for (invalid_data, status, wording) in [
        (false, Status::Host, ""),
        (true, Status::InvalidData, "invalid host data: "),
    ] {
        let (_context, get_steps, results) = waiting_on_get_steps(Host::new());
        let request = get_steps.only();
        let too_long = "x".repeat(MAX_HOST_FAILURE_MESSAGE_LEN + 1);
        let error =
            answer(request, HostAnswer::Fail(failure(invalid_data, &too_long))).unwrap_err();
        assert_eq!(
            (error.status, error.message.as_str()),
            (
                Status::InvalidArgument,
                "message is 4097 bytes; the limit is 4096"
            )
        );
        assert!(results.all().is_empty());

        let longest = "y".repeat(MAX_HOST_FAILURE_MESSAGE_LEN);
        answer(request, HostAnswer::Fail(failure(invalid_data, &longest))).unwrap();
        let result = &results.all()[0];
        assert_eq!(result.status, status);
        assert_eq!(
            result.err_msg,
            format!("getWeRunData:fail {wording}{longest}")
        );
    }
}

#[test]
fn refused_steps_fail_the_call_with_invalid_host_data_and_consume_the_request() {
    let (_context, get_steps, results) = waiting_on_get_steps(Host::new());
    let request = get_steps.only();
    let negative = [StepSample {
        timestamp: unix_now(),
        step: -1,
    }];
    let error = answer(request, HostAnswer::Steps(&negative)).unwrap_err();
    assert_eq!(error.status, Status::InvalidData);
    assert!(
        error.message.starts_with("invalid host data: "),
        "{error:?}"
    );

    let result = &results.all()[0];
    assert_eq!(result.status, Status::InvalidData);
    let detail = result
        .err_msg
        .strip_prefix("getWeRunData:fail invalid host data: ")
        .unwrap_or_else(|| panic!("{result:?}"));
    assert!(detail.contains("-1"), "{detail}");
    let again = answer(request, HostAnswer::Steps(&[])).unwrap_err();
    assert_eq!(again.status, Status::StaleRequest);
}

#[test]
fn a_login_answer_with_a_bad_session_key_fails_the_login_without_quoting_it() {
    let login = Inbox::default();
    let context = Context::new(APPID).unwrap();
    context.set_host(Some(Host::new().with_login(login.hook())));
    let results = Results::default();
    context.login(results.completion());
    let key = "S3CR3T-KEY_not-base64";
    let error = answer(
        login.only(),
        HostAnswer::Login {
            code: "c0de",
            session_key: Some(key),
            expires_in_s: 0,
        },
    )
    .unwrap_err();
    assert_eq!(error.status, Status::InvalidData);
    assert!(!error.message.contains(key), "{error:?}");
    let result = &results.all()[0];
    assert_eq!(result.status, Status::InvalidData);
    assert!(!result.err_msg.contains(key), "{result:?}");
    assert_eq!(result.code, None);
    let session = wait(|done| {
        context.check_session(done);
    });
    assert_eq!(session.status, Status::NotLoggedIn);
}

#[test]
fn an_unanswered_request_times_out_and_a_late_answer_is_stale() {
    let get_steps = Inbox::default();
    let context = logged_in(Host::new().with_get_steps(get_steps.hook()));
    context.set_timeout(Duration::from_millis(50)).unwrap();
    let result = wait(|done| {
        context.get_we_run_data(done);
    });
    assert_eq!(
        (result.status, result.err_msg.as_str()),
        (Status::Timeout, "getWeRunData:fail timeout")
    );
    let late = answer(get_steps.only(), HostAnswer::Steps(&[])).unwrap_err();
    assert_eq!(late.status, Status::StaleRequest);
}
