//! `werun demo`: a host and a backend, end to end, on embedded data.

use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use werun::core::{CallId, CallResult, Context, Host, HostAnswer, StepSample, answer};
use werun::open_data::decrypt_we_run_data;

const APPID: &str = "wx4f4bc4dec97d474b";
/// Steps per day, oldest first, as a phone's step source might report them.
const DAILY_STEPS: [i64; 31] = [
    8_412, 10_233, 6_021, 12_876, 9_954, 3_110, 0, 7_745, 11_402, 13_580, 9_001, 4_420, 15_032,
    8_890, 0, 6_754, 10_100, 12_345, 7_777, 9_420, 5_505, 14_210, 11_111, 8_080, 2_345, 0, 9_876,
    10_987, 12_001, 6_543, 4_321,
];

pub(crate) fn run() -> ExitCode {
    match walk_through() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("demo failed: {message}");
            ExitCode::FAILURE
        }
    }
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Two samples per day (morning and evening) ending today, as raw samples.
fn embedded_samples(now: i64) -> Vec<StepSample> {
    let day = 86_400;
    DAILY_STEPS
        .iter()
        .enumerate()
        .flat_map(|(index, &steps)| {
            let at = now - (30 - index as i64) * day;
            let morning = steps / 3;
            [
                StepSample {
                    timestamp: at - (at + 8 * 3600) % day + 9 * 3600,
                    step: morning,
                },
                StepSample {
                    timestamp: at - (at + 8 * 3600) % day + 19 * 3600,
                    step: steps - morning,
                },
            ]
        })
        .collect()
}

/// Runs a call to completion and returns its result.
fn call(
    start: impl FnOnce(Box<dyn FnOnce(&CallResult) + Send>) -> CallId,
) -> Result<CallResult, String> {
    let (done, finished) = mpsc::channel();
    start(Box::new(move |result: &CallResult| {
        let _ = done.send(result.clone());
    }));
    finished
        .recv_timeout(Duration::from_secs(15))
        .map_err(|_| "the call never completed".to_owned())
}

fn walk_through() -> Result<(), String> {
    println!(
        "werun {} demo: a host and a backend, end to end\n",
        env!("CARGO_PKG_VERSION")
    );

    println!("1. A React Native app without a host implementation (today's situation)");
    let bare = Context::new(APPID).map_err(|e| e.to_string())?;
    let result = call(|done| bare.get_we_run_data(done))?;
    println!(
        "   getWeRunData -> {} ({})\n",
        result.err_msg, result.status
    );

    // The session key WeChat's code2Session would give the backend for this code.
    let mut key = [0u8; 16];
    getrandom::fill(&mut key).map_err(|e| e.to_string())?;
    let session_key = STANDARD.encode(key);

    let context = Context::new(APPID).map_err(|e| e.to_string())?;
    let host_key = session_key.clone();
    context.set_host(Some(
        Host::new()
            .with_login(move |request| {
                let _ = answer(
                    request,
                    HostAnswer::Login {
                        code: "081demoCode",
                        session_key: Some(&host_key),
                        expires_in_s: 7200,
                    },
                );
            })
            .with_get_steps(|request| {
                let samples = embedded_samples(now());
                let _ = answer(request, HostAnswer::Steps(&samples));
            })
            .with_authorization_changed(|state| {
                println!("   (host persists scope.werun = {state:?})")
            }),
    ));

    println!("2. The same app with a host over the phone's step source");
    let result = call(|done| context.login(done))?;
    println!(
        "   login -> {} code={}",
        result.err_msg,
        result.code.as_deref().unwrap_or("-")
    );
    let result = call(|done| context.check_session(done))?;
    println!("   checkSession -> {}", result.err_msg);
    let result = call(|done| context.get_we_run_data(done))?;
    println!("   getWeRunData -> {}", result.err_msg);
    let sealed = result.sealed.ok_or("getWeRunData returned no payload")?;
    println!(
        "   encryptedData: {}…({} chars)",
        &sealed.encrypted_data[..48],
        sealed.encrypted_data.len()
    );
    println!("   iv:            {}\n", sealed.iv);

    println!("3. The backend decrypts it with WeChat's algorithm and checks the watermark");
    let data = decrypt_we_run_data(&session_key, &sealed.encrypted_data, &sealed.iv, APPID)
        .map_err(|e| e.to_string())?;
    println!(
        "   watermark: appid {APPID}, timestamp {}",
        data.watermark_timestamp
    );
    println!(
        "   {:>12}  {:>10}  {:>7}",
        "day (UTC+8)", "timestamp", "steps"
    );
    for day in &data.step_info_list {
        println!(
            "   {:>12}  {:>10}  {:>7}",
            utc8_date(day.timestamp),
            day.timestamp,
            day.step
        );
    }
    let total: i64 = data.step_info_list.iter().map(|d| d.step).sum();
    println!(
        "   {} days, {total} steps in all",
        data.step_info_list.len()
    );
    Ok(())
}

/// A UTC+8 calendar date, from days since the epoch (Howard Hinnant's algorithm).
fn utc8_date(timestamp: i64) -> String {
    let days = (timestamp + 8 * 3600).div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
