//! Host answers through the C ABI: raw steps, sealed passthrough, bad data,
//! unusable answers, host failures and stale answers.

mod common;

use std::ffi::{CStr, CString, c_char};
use std::ptr;

use common::*;

/// A context logged in with [`SESSION_KEY`], `scope.werun` granted, and
/// `waiting` getWeRunData calls parked on one get_steps request.
fn waiting_on_get_steps(waiting: usize) -> (Ctx, u64, Vec<&'static Recorder>) {
    let host = HostState::new();
    let ctx = Ctx::ready(host, &[Hook::Login, Hook::GetSteps]);
    let recorders: Vec<_> = (0..waiting).map(|_| Recorder::new()).collect();
    for recorder in &recorders {
        ctx.start(Api::GetWeRunData, recorder);
    }
    (ctx, host.only_request(Hook::GetSteps), recorders)
}

/// Answers `samples` to a fresh get_steps request and decrypts the result.
fn window_for(ctx: &Ctx, host: &HostState, samples: &[werun_step]) -> WeRunData {
    let recorder = Recorder::new();
    ctx.start(Api::GetWeRunData, recorder);
    assert_eq!(
        answer_steps(host.last_request(Hook::GetSteps), samples),
        WERUN_OK
    );
    let outcome = recorder.outcome();
    let (data, iv) = outcome.assert_we_run_data();
    decrypt_we_run_data(SESSION_KEY, data, iv).unwrap()
}

/// The local day number of `timestamp` for a UTC offset in seconds.
fn local_day(timestamp: i64, offset: i64) -> i64 {
    (timestamp + offset).div_euclid(DAY)
}

/// Asserts that `window` is 31 ascending local midnights, 86 400 s apart,
/// ending on the watermark's day, each holding the sum of its day's samples.
#[track_caller]
fn assert_window(window: &WeRunData, samples: &[werun_step], offset: i64) {
    let steps = &window.steps;
    assert_eq!(steps.len(), 31);
    assert!(
        steps
            .windows(2)
            .all(|w| w[1].timestamp - w[0].timestamp == DAY)
    );
    assert!(
        steps
            .iter()
            .all(|s| (s.timestamp + offset).rem_euclid(DAY) == 0),
        "not local midnights for offset {offset}: {steps:?}"
    );
    assert_eq!(
        local_day(steps[30].timestamp, offset),
        local_day(window.watermark_timestamp, offset),
        "the last entry is today"
    );
    for entry in steps {
        let day = local_day(entry.timestamp, offset);
        let expected: i64 = samples
            .iter()
            .filter(|s| local_day(s.timestamp, offset) == day)
            .map(|s| s.step)
            .sum();
        assert_eq!(entry.step, expected, "day starting {}", entry.timestamp);
    }
}

// --- Raw steps --------------------------------------------------------------

#[test]
fn raw_steps_become_31_utc8_midnights_summed_per_day_ending_today() {
    let host = HostState::new();
    let ctx = Ctx::logged_in(host, &[Hook::Login, Hook::GetSteps]);
    // Two samples a day (01:00 and 23:00 UTC+8) for 40 days, except 3 days ago.
    let now = unix_now();
    let midnight = now - (now + UTC8_SECONDS).rem_euclid(DAY);
    let mut samples = Vec::new();
    for days_back in (0..40).filter(|&d| d != 3) {
        let day = midnight - days_back * DAY;
        samples.push(step(day + 3600, 1000 + days_back));
        samples.push(step(day + 23 * 3600, 7));
    }
    samples.push(step(midnight + 2 * DAY, 50_000)); // the future: outside

    let window = window_for(&ctx, host, &samples);
    assert_window(&window, &samples, UTC8_SECONDS);
    // Only the day without samples is 0 (two if the day turned meanwhile).
    let empty_days = window.steps.iter().filter(|s| s.step == 0).count();
    assert!((1..=2).contains(&empty_days), "{:?}", window.steps);
}

#[test]
fn no_samples_give_31_days_of_zero_steps() {
    let host = HostState::new();
    let ctx = Ctx::logged_in(host, &[Hook::Login, Hook::GetSteps]);
    let window = window_for(&ctx, host, &[]);
    assert_window(&window, &[], UTC8_SECONDS);
    assert_eq!(total(&window.steps), 0);
}

#[test]
fn the_utc_offset_moves_the_day_boundaries() {
    let host = HostState::new();
    let ctx = Ctx::logged_in(host, &[Hook::Login, Hook::GetSteps]);
    // SAFETY: live context.
    let status = unsafe { werun_context_set_utc_offset_minutes(ctx.ptr(), -300) };
    assert_eq!(status, WERUN_OK);

    // A sample every six hours: which day each lands in depends on the offset.
    let now = unix_now();
    let samples: Vec<_> = (0..35 * 4)
        .map(|i| step(now - i * 6 * 3600, i + 1))
        .collect();
    let window = window_for(&ctx, host, &samples);
    assert_window(&window, &samples, -300 * 60);
    assert!(
        window
            .steps
            .iter()
            .all(|s| (s.timestamp + UTC8_SECONDS).rem_euclid(DAY) != 0)
    );
}

#[test]
fn utc_offsets_outside_minus_12_to_plus_14_hours_are_refused() {
    let ctx = Ctx::new();
    for (minutes, expected) in [
        (-720, WERUN_OK),
        (840, WERUN_OK),
        (-721, WERUN_ERR_INVALID_ARGUMENT),
        (841, WERUN_ERR_INVALID_ARGUMENT),
    ] {
        // SAFETY: live context.
        let status = unsafe { werun_context_set_utc_offset_minutes(ctx.ptr(), minutes) };
        assert_eq!(status, expected, "{minutes}");
    }
}

#[test]
fn raw_steps_are_sealed_as_compact_json_with_the_appid_watermark() {
    let (_ctx, request, recorders) = waiting_on_get_steps(1);
    let before = unix_now();
    assert_eq!(answer_steps(request, &[step(before, 12)]), WERUN_OK);
    let after = unix_now();
    let outcome = recorders[0].outcome();
    let (data, iv) = outcome.assert_we_run_data();

    let json = open_data_decrypt(SESSION_KEY, data, iv);
    assert!(
        json.starts_with(r#"{"stepInfoList":[{"timestamp":"#),
        "{json}"
    );
    assert!(!json.contains([' ', '\n']), "{json}");
    let (_, watermark) = json.split_once(r#"}],"watermark":{"timestamp":"#).unwrap();
    let timestamp = watermark
        .strip_suffix(&format!(r#","appid":"{APPID}"}}}}"#))
        .unwrap_or_else(|| panic!("{json}"));
    let timestamp: i64 = timestamp.parse().unwrap();
    assert!(
        (before..=after).contains(&timestamp),
        "the watermark is now"
    );
}

// --- Sealed passthrough -----------------------------------------------------

#[test]
fn sealed_answers_pass_through_unchanged() {
    let host = HostState::new();
    // Relaying needs no session key.
    let ctx = Ctx::with_host(&host.werun_host(&[Hook::Login, Hook::GetSteps]));
    ctx.log_in(host, None, 0);
    let (data, iv) = open_data_encrypt(OTHER_SESSION_KEY, r#"{"relayed":true}"#);

    let (first, second) = (Recorder::new(), Recorder::new());
    ctx.start(Api::GetWeRunData, first);
    ctx.start(Api::GetWeRunData, second);
    let request = host.only_request(Hook::GetSteps);
    assert_eq!(
        answer_sealed(request, &data, &iv, Some("cloud-7")),
        WERUN_OK
    );
    for recorder in [first, second] {
        let outcome = recorder.outcome();
        assert_eq!(outcome.assert_we_run_data(), (data.as_str(), iv.as_str()));
        assert_eq!(outcome.cloud_id.as_deref(), Some("cloud-7"));
    }

    let without_cloud_id = Recorder::new();
    ctx.start(Api::GetWeRunData, without_cloud_id);
    let request = host.last_request(Hook::GetSteps);
    assert_eq!(answer_sealed(request, &data, &iv, None), WERUN_OK);
    let outcome = without_cloud_id.outcome();
    assert_eq!(outcome.assert_we_run_data(), (data.as_str(), iv.as_str()));
    assert_eq!(outcome.cloud_id, None);
}

// --- Bad data ---------------------------------------------------------------

/// Sends `bad` to a get_steps request two calls wait on, and asserts that it
/// is refused with INVALID_DATA, that both calls failed at once saying
/// `detail`, and that the request was consumed.
#[track_caller]
fn assert_refused(bad: Reply, detail: &[&str]) {
    let (_ctx, request, recorders) = waiting_on_get_steps(2);
    assert_eq!(bad.send(request), WERUN_ERR_INVALID_DATA, "{bad:?}");
    let error = last_error();
    for part in detail {
        assert!(error.contains(part), "{error:?} lacks {part:?}");
    }
    for recorder in &recorders {
        let outcome = recorder.outcome();
        let shown = outcome.assert_fail_starting(
            WERUN_ERR_INVALID_DATA,
            "getWeRunData:fail invalid host data: ",
        );
        for part in detail {
            assert!(shown.contains(part), "{shown:?} lacks {part:?}");
        }
    }
    assert_eq!(answer_steps(request, &[]), WERUN_ERR_STALE_REQUEST);
    for recorder in &recorders {
        recorder.outcome();
    }
}

#[test]
fn a_negative_step_is_refused_naming_the_sample() {
    let now = unix_now();
    assert_refused(
        Reply::Steps(vec![step(now, 10), step(now, -5)]),
        &["sample 1", "-5"],
    );
}

#[test]
fn a_negative_step_outside_the_window_is_refused_too() {
    let long_ago = unix_now() - 100 * DAY;
    assert_refused(Reply::Steps(vec![step(long_ago, -3)]), &["sample 0", "-3"]);
}

#[test]
fn a_negative_timestamp_is_refused_naming_the_sample() {
    assert_refused(
        Reply::Steps(vec![step(unix_now(), 1), step(-1, 10)]),
        &["sample 1", "timestamp -1"],
    );
}

#[test]
fn a_day_total_over_a_million_steps_is_refused() {
    let now = unix_now();
    assert_refused(
        Reply::Steps(vec![step(now, 600_000), step(now, 400_001)]),
        &["sample 1", "400001", "1000001"],
    );
    // Exactly a million is plausible.
    let (_ctx, request, recorders) = waiting_on_get_steps(1);
    let million = [step(now, 600_000), step(now, 400_000)];
    assert_eq!(answer_steps(request, &million), WERUN_OK);
    recorders[0].outcome().assert_we_run_data();
}

#[test]
fn more_than_100_000_samples_are_refused() {
    let samples = vec![step(unix_now(), 0); 100_001];
    assert_refused(Reply::Steps(samples), &["100001"]);
}

#[test]
fn a_count_over_the_limit_is_refused_before_any_sample_is_read() {
    // A host claiming 2^60 samples behind a one-sample array: werun neither
    // copies nor reads them, and names the count it was given.
    let (_ctx, request, recorders) = waiting_on_get_steps(1);
    let one = [step(unix_now(), 1)];
    // SAFETY: werun reads no sample of an answer over its limit (the point
    // of this test); the array outlives the call.
    let status = unsafe { werun_request_answer_steps(request, one.as_ptr(), 1 << 60) };
    assert_eq!(status, WERUN_ERR_INVALID_DATA);
    assert_eq!(
        last_error(),
        "invalid host data: 1152921504606846976 step samples in one answer; the limit is 100000"
    );
    recorders[0].outcome().assert_fail_starting(
        WERUN_ERR_INVALID_DATA,
        "getWeRunData:fail invalid host data: 1152921504606846976 step samples",
    );
}

#[test]
fn sealed_data_that_is_not_base64_is_refused() {
    assert_refused(
        Reply::sealed("not base64!", ZERO_IV, None),
        &["encryptedData", "base64"],
    );
    assert_refused(
        Reply::sealed("AAAAAAAAAAAAAAAAAAAAAA==", "%%%", None),
        &["iv", "base64"],
    );
}

#[test]
fn a_sealed_iv_that_is_not_16_bytes_is_refused() {
    let (data, _) = open_data_encrypt(SESSION_KEY, "{}");
    // 15 bytes.
    assert_refused(
        Reply::sealed(&data, "AAAAAAAAAAAAAAAAAAAA", None),
        &["iv", "15 bytes"],
    );
}

#[test]
fn a_sealed_ciphertext_that_is_not_a_positive_multiple_of_16_is_refused() {
    assert_refused(
        Reply::sealed("AAAAAAAAAAAAAAAAAAAA", ZERO_IV, None),
        &["15 bytes", "multiple of 16"],
    );
    assert_refused(Reply::sealed("", ZERO_IV, None), &["empty"]);
}

// --- Unusable answers -------------------------------------------------------

/// The answer functions with raw C strings, for NULL and non-UTF-8 ones.
fn c_ptr(text: Option<&CStr>) -> *const c_char {
    text.map_or(ptr::null(), CStr::as_ptr)
}

fn login_raw(request: u64, code: Option<&CStr>, session_key: Option<&CStr>) -> werun_status {
    // SAFETY: each pointer is NULL or a NUL-terminated string.
    unsafe { werun_request_answer_login(request, c_ptr(code), c_ptr(session_key), 0) }
}

fn sealed_raw(
    request: u64,
    encrypted_data: Option<&CStr>,
    iv: Option<&CStr>,
    cloud_id: Option<&CStr>,
) -> werun_status {
    // SAFETY: as above.
    unsafe {
        werun_request_answer_sealed(request, c_ptr(encrypted_data), c_ptr(iv), c_ptr(cloud_id))
    }
}

fn fail_raw(request: u64, status: u32, message: Option<&CStr>) -> werun_status {
    // SAFETY: as above.
    unsafe { werun_request_fail(request, status, c_ptr(message)) }
}

type Answer = Box<dyn Fn() -> werun_status>;

/// An answer the request must refuse, with the status it must return.
type Unusable = (werun_status, Answer);

/// A string that outlives every answer built on it (leaked, as the harness's
/// recorders are).
fn leaked(text: String) -> &'static CStr {
    Box::leak(CString::new(text).unwrap().into_boxed_c_str())
}

/// Unusable answers to a get_steps request.
fn unusable_for_get_steps(request: u64) -> Vec<Unusable> {
    let (data, iv) = open_data_encrypt(SESSION_KEY, "{}");
    let (data, iv) = (Some(leaked(data)), Some(leaked(iv)));
    let long_message: &'static str = "x".repeat(4097).leak();
    let mut answers: Vec<Unusable> = vec![
        (
            WERUN_ERR_NULL_ARGUMENT,
            // SAFETY: NULL with a non-zero length is what is being tested.
            Box::new(move || unsafe { werun_request_answer_steps(request, ptr::null(), 3) }),
        ),
        (
            WERUN_ERR_NULL_ARGUMENT,
            Box::new(move || sealed_raw(request, None, iv, None)),
        ),
        (
            WERUN_ERR_NULL_ARGUMENT,
            Box::new(move || sealed_raw(request, data, None, None)),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || sealed_raw(request, Some(c"\xff"), iv, None)),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || sealed_raw(request, data, iv, Some(c"\xfe\xff"))),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || answer_login(request, "code", Some(SESSION_KEY), 0)),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || answer_authorize(request, 1)),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || fail_raw(request, WERUN_ERR_HOST as u32, Some(c"\xff"))),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || fail_request(request, WERUN_ERR_HOST, Some(long_message))),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || fail_request(request, WERUN_ERR_INVALID_DATA, Some(long_message))),
        ),
    ];
    // Only HOST, AUTH_DENIED, UNSUPPORTED and INVALID_DATA can fail a request.
    for status in [0, 4, 6, 12, 15, 99, u32::MAX] {
        let answer = move || fail_raw(request, status, Some(c"msg"));
        answers.push((WERUN_ERR_INVALID_ARGUMENT, Box::new(answer)));
    }
    answers
}

/// Unusable answers to a login request.
fn unusable_for_login(request: u64) -> Vec<Unusable> {
    vec![
        (
            WERUN_ERR_NULL_ARGUMENT,
            Box::new(move || login_raw(request, None, None)),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || login_raw(request, Some(c"\xc3\x28"), None)),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || login_raw(request, Some(c"code"), Some(c"\xff"))),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || answer_steps(request, &[])),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || answer_sealed(request, ZERO_IV, ZERO_IV, None)),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || answer_authorize(request, 1)),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || fail_raw(request, 99, None)),
        ),
    ]
}

/// Unusable answers to an authorize request.
fn unusable_for_authorize(request: u64) -> Vec<Unusable> {
    vec![
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || answer_authorize(request, 2)),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || answer_authorize(request, u32::MAX)),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || answer_steps(request, &[])),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || answer_login(request, "code", None, 0)),
        ),
        (
            WERUN_ERR_INVALID_ARGUMENT,
            Box::new(move || fail_request(request, WERUN_ERR_TIMEOUT, None)),
        ),
    ]
}

/// A request a call waits on, the answers it must refuse, and the one that
/// then completes the call.
struct Pending {
    hook: Hook,
    unusable: fn(u64) -> Vec<Unusable>,
    /// The authorization, before and after the refused answers.
    authorization: u32,
    usable: Reply,
}

/// Each unusable answer is refused with its status and a reason in
/// `werun_last_error`, leaving the request pending, its call waiting and the
/// authorization unchanged; a usable answer then completes the call.
#[test]
fn unusable_answers_leave_the_request_pending() {
    let cases = [
        Pending {
            hook: Hook::GetSteps,
            unusable: unusable_for_get_steps,
            authorization: WERUN_AUTH_GRANTED,
            usable: Reply::Steps(vec![step(unix_now(), 4)]),
        },
        Pending {
            hook: Hook::Login,
            unusable: unusable_for_login,
            authorization: WERUN_AUTH_NOT_DETERMINED,
            usable: Reply::login("code", Some(SESSION_KEY), 0),
        },
        Pending {
            hook: Hook::Authorize,
            unusable: unusable_for_authorize,
            authorization: WERUN_AUTH_NOT_DETERMINED,
            usable: Reply::Authorize(1),
        },
    ];
    for case in cases {
        let name = case.hook;
        let host = HostState::new();
        let (ctx, api) = match case.hook {
            Hook::Login => (Ctx::with_host(&host.werun_host(ALL_HOOKS)), Api::Login),
            Hook::Authorize => (Ctx::logged_in(host, ALL_HOOKS), Api::GetWeRunData),
            Hook::GetSteps => (
                Ctx::ready(host, &[Hook::Login, Hook::GetSteps]),
                Api::GetWeRunData,
            ),
        };
        let waiting = Recorder::new();
        ctx.start(api, waiting);
        let request = host.only_request(case.hook);
        assert_eq!(ctx.authorization(), case.authorization, "{name:?}");

        for (index, (expected, answer)) in (case.unusable)(request).into_iter().enumerate() {
            assert_eq!(answer(), expected, "{name:?}: unusable answer #{index}");
            assert!(!last_error().is_empty());
            waiting.assert_untouched();
        }
        assert_eq!(ctx.authorization(), case.authorization, "{name:?}");
        assert!(host.authorization_changes().is_empty(), "{name:?}");

        assert_eq!(case.usable.send(request), WERUN_OK, "{name:?}");
        if case.hook == Hook::Authorize {
            assert_eq!(
                answer_steps(host.only_request(Hook::GetSteps), &[]),
                WERUN_OK
            );
        }
        let outcome = waiting.outcome();
        match api {
            Api::Login => assert_eq!(outcome.code.as_deref(), Some("code")),
            _ => {
                outcome.assert_we_run_data();
            }
        }
    }
}

// --- Denials and host failures ---------------------------------------------

/// A refusal answered to the request getWeRunData calls wait on, and what it
/// leaves behind.
struct Refusal {
    name: &'static str,
    /// The request the calls wait on: authorize (logged in, undetermined) or
    /// get_steps (`scope.werun` already granted).
    hook: Hook,
    answer: Reply,
    err_msg: (werun_status, &'static str),
    /// The authorization afterwards; a denial is also told to the host.
    authorization: u32,
}

/// Refusing `scope.werun` (authorize answered 0, or either request failed
/// with AUTH_DENIED) records the denial, notifies the host, and is
/// remembered: the next call fails at once without asking the host. A host
/// error fails the calls with its message and leaves the authorization
/// alone.
#[test]
fn a_refusal_fails_every_waiting_call_and_only_a_denial_is_recorded() {
    let deny = (WERUN_ERR_AUTH_DENIED, "getWeRunData:fail auth deny");
    let cases = [
        Refusal {
            name: "authorize answered 0",
            hook: Hook::Authorize,
            answer: Reply::Authorize(0),
            err_msg: deny,
            authorization: WERUN_AUTH_DENIED,
        },
        Refusal {
            name: "authorize failed with AUTH_DENIED",
            hook: Hook::Authorize,
            answer: Reply::fail(WERUN_ERR_AUTH_DENIED, Some("no")),
            err_msg: deny,
            authorization: WERUN_AUTH_DENIED,
        },
        Refusal {
            name: "get_steps failed with AUTH_DENIED",
            hook: Hook::GetSteps,
            answer: Reply::fail(WERUN_ERR_AUTH_DENIED, None),
            err_msg: deny,
            authorization: WERUN_AUTH_DENIED,
        },
        Refusal {
            name: "authorize failed with a host error",
            hook: Hook::Authorize,
            answer: Reply::fail(WERUN_ERR_HOST, Some("dialog failed")),
            err_msg: (WERUN_ERR_HOST, "getWeRunData:fail dialog failed"),
            authorization: WERUN_AUTH_NOT_DETERMINED,
        },
    ];
    for case in cases {
        let name = case.name;
        let host = HostState::new();
        let ctx = match case.hook {
            Hook::GetSteps => Ctx::ready(host, ALL_HOOKS),
            _ => Ctx::logged_in(host, ALL_HOOKS),
        };
        let waiting = [Recorder::new(), Recorder::new()];
        for recorder in waiting {
            ctx.start(Api::GetWeRunData, recorder);
        }
        let request = host.only_request(case.hook);

        assert_eq!(case.answer.send(request), WERUN_OK, "{name}");
        for recorder in waiting {
            let (status, err_msg) = case.err_msg;
            recorder.outcome().assert_fail(status, err_msg);
        }
        assert_eq!(ctx.authorization(), case.authorization, "{name}");
        let told: &[u32] = match case.authorization {
            WERUN_AUTH_DENIED => &[WERUN_AUTH_DENIED],
            _ => &[],
        };
        assert_eq!(host.authorization_changes(), told, "{name}");
        if case.authorization != WERUN_AUTH_DENIED {
            continue;
        }

        // Remembered: the next call asks the host nothing.
        ctx.run(Api::GetWeRunData)
            .assert_fail(WERUN_ERR_AUTH_DENIED, "getWeRunData:fail auth deny");
        let other = match case.hook {
            Hook::GetSteps => Hook::Authorize,
            _ => Hook::GetSteps,
        };
        assert_eq!(host.requests(case.hook).len(), 1, "{name}");
        assert!(host.requests(other).is_empty(), "{name}");
        assert_eq!(host.authorization_changes(), [WERUN_AUTH_DENIED], "{name}");
    }
}

// --- Stale answers ----------------------------------------------------------

/// Every kind of answer, for sending to one request.
fn every_answer() -> Vec<Reply> {
    let (data, iv) = open_data_encrypt(SESSION_KEY, "{}");
    vec![
        Reply::login("code", Some(OTHER_SESSION_KEY), 0),
        Reply::Authorize(1),
        Reply::Authorize(0),
        Reply::Steps(vec![step(unix_now(), 1)]),
        Reply::sealed(&data, &iv, None),
        Reply::fail(WERUN_ERR_HOST, Some("late")),
        Reply::fail(WERUN_ERR_AUTH_DENIED, None),
        Reply::fail(WERUN_ERR_UNSUPPORTED, None),
    ]
}

#[test]
fn answers_to_unknown_requests_are_stale() {
    for request in [0, u64::MAX, u64::MAX / 2] {
        for reply in every_answer() {
            assert_eq!(reply.send(request), WERUN_ERR_STALE_REQUEST, "{reply:?}");
            assert!(last_error().contains("request"), "{}", last_error());
        }
    }
}

#[test]
fn a_second_answer_to_a_finished_request_is_stale_and_changes_nothing() {
    let host = HostState::new();
    let ctx = Ctx::logged_in(host, ALL_HOOKS);
    let login = host.only_request(Hook::Login);
    let waiting = Recorder::new();
    ctx.start(Api::GetWeRunData, waiting);
    let authorize = host.only_request(Hook::Authorize);
    assert_eq!(answer_authorize(authorize, 1), WERUN_OK);
    let get_steps = host.only_request(Hook::GetSteps);
    assert_eq!(answer_steps(get_steps, &[]), WERUN_OK);
    let outcome = waiting.outcome();

    for request in [login, authorize, get_steps] {
        for reply in every_answer() {
            assert_eq!(reply.send(request), WERUN_ERR_STALE_REQUEST, "{reply:?}");
        }
    }
    assert_eq!(waiting.outcome(), outcome);
    assert_eq!(ctx.authorization(), WERUN_AUTH_GRANTED);
    assert_eq!(host.authorization_changes(), [WERUN_AUTH_GRANTED]);
    assert_eq!(host.hook_calls(), 3);
    // The session is still the first login's, with SESSION_KEY.
    host.script(Hook::GetSteps, Reply::Steps(vec![step(unix_now(), 2)]));
    let outcome = ctx.run(Api::GetWeRunData);
    let (data, iv) = outcome.assert_we_run_data();
    assert!(decrypt_we_run_data(SESSION_KEY, data, iv).is_ok());
}
