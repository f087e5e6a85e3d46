//! `werun_context_configure` through the C ABI: every named setting is
//! applied or none is, the flags say which fields are read, and the three
//! single setters are shorthands with the same rules and sentences.

mod common;

use std::ptr;

use common::*;

fn configure(ctx: &Ctx, settings: &werun_settings) -> werun_status {
    // SAFETY: live context; settings is readable.
    unsafe { werun_context_configure(ctx.ptr(), settings) }
}

/// A logged-in context, `scope.werun` granted, whose host never answers
/// get_steps on its own.
fn ready() -> (Ctx, &'static HostState) {
    let host = HostState::new();
    (Ctx::ready(host, &[Hook::Login, Hook::GetSteps]), host)
}

/// How many of `up_to` getWeRunData calls the context takes before one fails
/// BUSY (at once); the calls it took wait on the host until the context is
/// freed.
fn calls_admitted(ctx: &Ctx, up_to: usize) -> usize {
    (0..up_to).take_while(|_| !starts_busy(ctx)).count()
}

/// Starts a getWeRunData call: true if it failed BUSY before returning,
/// false if it waits on the host.
fn starts_busy(ctx: &Ctx) -> bool {
    let recorder = Recorder::new();
    let status = ctx.try_start(Api::GetWeRunData, &recorder.callbacks(), ptr::null_mut());
    assert_eq!(status, WERUN_OK);
    if !recorder.is_complete() {
        return false;
    }
    let outcome = recorder.outcome();
    assert_eq!(outcome.status, WERUN_ERR_BUSY as u32, "{outcome:?}");
    assert_eq!(outcome.err_msg, "getWeRunData:fail busy");
    true
}

#[test]
fn a_refused_configure_applies_none_of_its_settings() {
    // Each names a valid max in flight of 1 beside something refused.
    let cases = [
        (
            WERUN_SETTING_TIMEOUT_MS,
            werun_settings {
                timeout_ms: 0,
                ..werun_settings::default()
            },
            "the timeout must be at least 1 ms (got 0 ms)",
        ),
        (
            WERUN_SETTING_UTC_OFFSET_MINUTES,
            werun_settings {
                utc_offset_minutes: 841,
                ..werun_settings::default()
            },
            "the UTC offset must be within -720..=840 minutes (got 841)",
        ),
        (
            1 << 31,
            werun_settings::default(),
            "settings->fields has unknown bits 0x80000000",
        ),
    ];
    for (flag, settings, words) in cases {
        let (ctx, _host) = ready();
        let settings = werun_settings {
            fields: WERUN_SETTING_MAX_IN_FLIGHT | flag,
            max_in_flight: 1,
            ..settings
        };
        assert_eq!(configure(&ctx, &settings), WERUN_ERR_INVALID_ARGUMENT);
        let sentence = last_error();
        assert!(sentence.contains(words), "{sentence}");
        assert!(sentence.ends_with("; no setting was changed"), "{sentence}");
        assert!(!sentence.contains("max in flight"), "{sentence}");
        // Still the default, far more than the 1 it was given.
        assert_eq!(calls_admitted(&ctx, 3), 3, "{words}");
    }
}

#[test]
fn every_refused_setting_is_named_in_one_sentence() {
    let ctx = Ctx::new();
    let settings = werun_settings {
        fields: WERUN_SETTING_TIMEOUT_MS
            | WERUN_SETTING_UTC_OFFSET_MINUTES
            | WERUN_SETTING_MAX_IN_FLIGHT,
        timeout_ms: 0,
        utc_offset_minutes: i32::MIN,
        max_in_flight: 0,
    };
    assert_eq!(configure(&ctx, &settings), WERUN_ERR_INVALID_ARGUMENT);
    assert_eq!(
        last_error(),
        "the timeout must be at least 1 ms (got 0 ms), and the UTC offset must be within \
         -720..=840 minutes (got -2147483648), and the max in flight must be at least 1 (got 0); \
         no setting was changed"
    );
}

#[test]
fn configure_applies_every_named_setting() {
    let (ctx, host) = ready();
    let settings = werun_settings {
        fields: WERUN_SETTING_TIMEOUT_MS
            | WERUN_SETTING_UTC_OFFSET_MINUTES
            | WERUN_SETTING_MAX_IN_FLIGHT,
        timeout_ms: 30,
        utc_offset_minutes: -300,
        max_in_flight: 1,
    };
    assert_eq!(configure(&ctx, &settings), WERUN_OK, "{}", last_error());

    // max_in_flight: a second call is BUSY. timeout_ms: the first fails soon.
    let waiting = Recorder::new();
    ctx.start(Api::GetWeRunData, waiting);
    assert!(starts_busy(&ctx));
    waiting
        .wait()
        .assert_fail(WERUN_ERR_TIMEOUT, "getWeRunData:fail timeout");

    // utc_offset_minutes: the days start at 00:00 UTC-5.
    let answered = Recorder::new();
    ctx.start(Api::GetWeRunData, answered);
    let request = host.last_request(Hook::GetSteps);
    assert_eq!(answer_steps(request, &[step(unix_now(), 7)]), WERUN_OK);
    let outcome = answered.outcome();
    let (data, iv) = outcome.assert_we_run_data();
    let window = decrypt_we_run_data(SESSION_KEY, data, iv).unwrap();
    assert!(
        window
            .steps
            .iter()
            .all(|s| (s.timestamp - 300 * 60).rem_euclid(DAY) == 0),
        "{:?}",
        window.steps
    );
}

#[test]
fn fields_without_their_flag_are_not_read() {
    let (ctx, _host) = ready();
    // Every field holds a value that would be refused, and none is named.
    let garbage = werun_settings {
        fields: 0,
        timeout_ms: 0,
        utc_offset_minutes: i32::MIN,
        max_in_flight: 0,
    };
    assert_eq!(configure(&ctx, &garbage), WERUN_OK, "{}", last_error());
    let only_max = werun_settings {
        fields: WERUN_SETTING_MAX_IN_FLIGHT,
        max_in_flight: 2,
        ..garbage
    };
    assert_eq!(configure(&ctx, &only_max), WERUN_OK, "{}", last_error());
    assert_eq!(calls_admitted(&ctx, 3), 2);
}

#[test]
fn a_null_context_or_settings_is_refused() {
    let ctx = Ctx::new();
    let settings = werun_settings::default();
    // SAFETY: NULL is what is being tested; settings is readable.
    let status = unsafe { werun_context_configure(ptr::null_mut(), &settings) };
    assert_eq!(
        (status, last_error().as_str()),
        (WERUN_ERR_NULL_ARGUMENT, "ctx is NULL")
    );
    // SAFETY: live context; NULL settings is what is being tested.
    let status = unsafe { werun_context_configure(ctx.ptr(), ptr::null()) };
    assert_eq!(
        (status, last_error().as_str()),
        (WERUN_ERR_NULL_ARGUMENT, "settings is NULL")
    );
}

/// The shorthands are configure with one flag: the same rules, the same
/// sentences, and no other setting changes.
#[test]
fn each_single_setter_is_configure_with_its_flag_alone() {
    let (ctx, _host) = ready();
    type Setter = fn(&Ctx) -> werun_status;
    let refused: [(Setter, werun_settings); 3] = [
        // SAFETY (each setter): live context.
        (
            |ctx| unsafe { werun_context_set_timeout_ms(ctx.ptr(), 0) },
            werun_settings {
                fields: WERUN_SETTING_TIMEOUT_MS,
                timeout_ms: 0,
                ..werun_settings::default()
            },
        ),
        (
            |ctx| unsafe { werun_context_set_utc_offset_minutes(ctx.ptr(), 841) },
            werun_settings {
                fields: WERUN_SETTING_UTC_OFFSET_MINUTES,
                utc_offset_minutes: 841,
                ..werun_settings::default()
            },
        ),
        (
            |ctx| unsafe { werun_context_set_max_in_flight(ctx.ptr(), 0) },
            werun_settings {
                fields: WERUN_SETTING_MAX_IN_FLIGHT,
                max_in_flight: 0,
                ..werun_settings::default()
            },
        ),
    ];
    for (set, settings) in refused {
        assert_eq!(set(&ctx), WERUN_ERR_INVALID_ARGUMENT);
        let sentence = last_error();
        assert_eq!(configure(&ctx, &settings), WERUN_ERR_INVALID_ARGUMENT);
        assert_eq!(last_error(), sentence);
    }

    // SAFETY: live context.
    assert_eq!(
        unsafe { werun_context_set_max_in_flight(ctx.ptr(), 2) },
        WERUN_OK
    );
    // SAFETY: live context.
    assert_eq!(
        unsafe { werun_context_set_timeout_ms(ctx.ptr(), 60_000) },
        WERUN_OK
    );
    assert_eq!(
        calls_admitted(&ctx, 3),
        2,
        "setting the timeout kept max in flight"
    );
}
