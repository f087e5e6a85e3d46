//! `werun decrypt` and `werun seal`: WeChat open-data payloads for backend
//! developers, from the command line.

use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgGroup, Args, ValueEnum};
use werun::core::{DEFAULT_UTC_OFFSET_MINUTES, MAX_UTC_OFFSET_MINUTES, MIN_UTC_OFFSET_MINUTES};
use werun::open_data::{
    self, Error, ErrorKind, SessionKey, StepSample, StepWindowPlaintext, check_appid, seal,
};
use zeroize::Zeroizing;

/// How `werun decrypt` and `werun seal` fail, one exit code per class of
/// error (0 is success, 2 clap's usage error); `--help` lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// The arguments do not fit together (clap's own usage errors are 2 too).
    Usage = 2,
    /// An input was refused before decrypting: bad base64, a key or iv
    /// that is not 16 bytes, a truncated ciphertext, an empty or
    /// over-long field.
    BadInput = 3,
    /// Decrypting gave garbage: usually the wrong or a stale session key.
    Decrypt = 4,
    /// `watermark.appid` is another app's.
    Watermark = 5,
    /// The plaintext is JSON but not a WeRun payload (`--table`), or the
    /// steps to seal are refused.
    NotWeRunData = 6,
    /// A file or standard input could not be read.
    Io = 7,
}

/// The text after `--help` for `decrypt` and `seal`: where the session key
/// comes from, and the exit codes.
pub(crate) const AFTER_HELP: &str = "The session key comes from exactly one of: --session-key-file FILE ('-' for standard input), \
the WERUN_SESSION_KEY environment variable, or --session-key KEY, which other users can see in ps. \
No message of werun's ever shows it.

Exit codes: 0 done; 2 usage error (also: no iv, or two different ones; no session key, or more than one); \
3 an input refused before decrypting (base64, sizes); \
4 decryption gave garbage (usually a wrong or stale session key); 5 watermark.appid is another app's; \
6 not a WeRun payload (--table), or steps refused (seal); 7 a file or standard input could not be read.";

impl Exit {
    fn of(kind: ErrorKind) -> Exit {
        match kind {
            ErrorKind::Decrypt => Exit::Decrypt,
            ErrorKind::Watermark => Exit::Watermark,
            ErrorKind::InvalidData => Exit::NotWeRunData,
            _ => Exit::BadInput,
        }
    }
}

fn fail(exit: Exit, message: &str) -> ExitCode {
    eprintln!("werun: {message}");
    ExitCode::from(exit as u8)
}

fn fail_with(error: &Error) -> ExitCode {
    fail(Exit::of(error.kind), &error.message)
}

/// Where the encrypted data comes from: the flag, a file, or standard input.
/// Each holds either the base64 `encryptedData` (with `--iv`) or the JSON the
/// app uploads, `{"encryptedData", "iv", …}`, as `werun seal` prints it.
#[derive(Args)]
#[group(multiple = false)]
pub(crate) struct DataSource {
    /// The base64 `encryptedData`, or the JSON `{"encryptedData", "iv"}`.
    #[arg(long)]
    data: Option<String>,
    /// A file holding the base64 `encryptedData` or the JSON `{"encryptedData", "iv"}`
    /// (surrounding whitespace is ignored).
    #[arg(long, value_name = "FILE")]
    data_file: Option<PathBuf>,
}

/// The JSON an app uploads after getWeRunData (and `werun seal` prints):
/// its other fields (`errMsg`, `cloudID`) are ignored.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Uploaded {
    encrypted_data: String,
    iv: String,
}

/// The encrypted data and iv: bare base64 with `--iv`, or the uploaded JSON,
/// which carries its own iv.
fn data_and_iv(text: &str, iv: Option<&str>) -> Result<(String, String), (Exit, String)> {
    if !text.trim_start().starts_with('{') {
        return match iv {
            Some(iv) => Ok((text.to_owned(), iv.to_owned())),
            None => Err((
                Exit::Usage,
                "no iv: pass --iv with the base64 encryptedData, or the payload as the app \
                 uploads it, {\"encryptedData\", \"iv\"}"
                    .to_owned(),
            )),
        };
    }
    let uploaded: Uploaded = serde_json::from_str(text).map_err(|e| {
        (
            Exit::BadInput,
            format!("the data is JSON, but not {{\"encryptedData\", \"iv\"}} strings: {e}"),
        )
    })?;
    match iv {
        Some(iv) if iv != uploaded.iv => Err((
            Exit::Usage,
            "--iv differs from the payload's \"iv\"; give the iv once".to_owned(),
        )),
        _ => Ok((uploaded.encrypted_data, uploaded.iv)),
    }
}

/// The text of `path`, or of standard input without one.
fn read_input(path: Option<&Path>) -> Result<String, String> {
    match path {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display())),
        None => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map(|_| text)
                .map_err(|e| format!("cannot read standard input: {e}"))
        }
    }
}

impl DataSource {
    /// Whether the data comes from standard input.
    fn is_stdin(&self) -> bool {
        self.data.is_none() && self.data_file.is_none()
    }

    fn read(&self) -> Result<String, String> {
        match &self.data {
            Some(data) => Ok(data.clone()),
            // Untrimmed: decrypting drops line breaks and the blanks around
            // them itself, and a blank at an end may be a URL-decoded '+'.
            None => read_input(self.data_file.as_deref()),
        }
    }
}

/// The environment variable the session key may come from.
const SESSION_KEY_ENV: &str = "WERUN_SESSION_KEY";

/// Where the session key comes from: a file or standard input, the
/// environment, or the command line, where `ps` shows it to other users.
#[derive(Args)]
#[group(multiple = false)]
pub(crate) struct KeySource {
    /// The base64 session key the backend got from code2Session. Other users
    /// can see it in `ps`: prefer --session-key-file or WERUN_SESSION_KEY.
    #[arg(long, value_name = "KEY")]
    session_key: Option<String>,
    /// A file holding the base64 session key, '-' for standard input (line
    /// breaks and blanks around it are ignored).
    #[arg(long, value_name = "FILE")]
    session_key_file: Option<PathBuf>,
}

impl KeySource {
    /// The session key's text from its one source. When standard input is
    /// already the data's, `data_flags` names the flags that read the data
    /// from elsewhere.
    ///
    /// Errors never quote the key.
    fn text(&self, data_flags: Option<&str>) -> Result<Zeroizing<String>, (Exit, String)> {
        let from_env = std::env::var_os(SESSION_KEY_ENV).filter(|value| !value.is_empty());
        let flag = match (&self.session_key, &self.session_key_file) {
            (Some(_), _) => Some("--session-key"),
            (_, Some(_)) => Some("--session-key-file"),
            (None, None) => None,
        };
        if let (Some(flag), Some(_)) = (flag, &from_env) {
            return Err((
                Exit::Usage,
                format!(
                    "the session key is given twice, by {SESSION_KEY_ENV} and by {flag}; give it once (unset {SESSION_KEY_ENV}, or drop {flag})"
                ),
            ));
        }
        match (&self.session_key, &self.session_key_file, from_env) {
            (Some(key), _, _) => Ok(Zeroizing::new(key.clone())),
            (_, Some(path), _) if path.as_os_str() == "-" => {
                if let Some(data_flags) = data_flags {
                    return Err((
                        Exit::Usage,
                        format!(
                            "standard input cannot hold both the session key (--session-key-file -) and the data; \
                             pass the data with {data_flags}"
                        ),
                    ));
                }
                read_input(None)
                    .map(Zeroizing::new)
                    .map_err(|e| (Exit::Io, e))
            }
            (_, Some(path), _) => read_input(Some(path))
                .map(Zeroizing::new)
                .map_err(|e| (Exit::Io, e)),
            (None, None, Some(value)) => value.into_string().map(Zeroizing::new).map_err(|_| {
                (
                    Exit::BadInput,
                    format!("{SESSION_KEY_ENV} is not UTF-8, so not a base64 session key"),
                )
            }),
            (None, None, None) => Err((
                Exit::Usage,
                format!(
                    "no session key: pass --session-key-file FILE ('-' for standard input), set {SESSION_KEY_ENV}, \
                     or pass --session-key KEY (which ps shows)"
                ),
            )),
        }
    }
}

/// `--appid` for `seal` and `decrypt`: werun's one rule for an appid, so that
/// what one seals the other opens.
fn appid_for(if_empty: &'static str) -> impl Fn(&str) -> Result<String, String> + Clone {
    move |appid| {
        check_appid(appid, if_empty)
            .map(|()| appid.to_owned())
            .map_err(|error| error.message)
    }
}

/// The offsets werun's days may have, as the core allows them.
fn utc_offset_minutes() -> clap::builder::RangedI64ValueParser<i32> {
    clap::value_parser!(i32)
        .range(i64::from(MIN_UTC_OFFSET_MINUTES)..=i64::from(MAX_UTC_OFFSET_MINUTES))
}

/// `werun decrypt`.
#[derive(Args)]
#[command(group(ArgGroup::new("watermark").required(true).args(["appid", "skip_watermark_check"])))]
pub(crate) struct Decrypt {
    #[command(flatten)]
    key: KeySource,
    /// The base64 `iv` that came with the data; not needed when the data is
    /// the uploaded JSON, which holds it.
    #[arg(long)]
    iv: Option<String>,
    /// The mini program's appid; `watermark.appid` must be it.
    #[arg(long, value_parser = appid_for(
        "appid is empty: pass the mini program's appid, or --skip-watermark-check to decrypt without checking watermark.appid"
    ))]
    appid: Option<String>,
    /// Decrypt without checking `watermark.appid`, so another app's payload
    /// opens too (not with --table, which reads the payload for an appid).
    #[arg(long, conflicts_with = "table")]
    skip_watermark_check: bool,
    #[command(flatten)]
    source: DataSource,
    /// Show a WeRun payload as a 31-day table with a bar chart, the total and
    /// the daily average, instead of its JSON.
    #[arg(long)]
    table: bool,
    /// The days' UTC offset for --table's dates, in minutes (WeChat's: 480).
    #[arg(long, default_value_t = DEFAULT_UTC_OFFSET_MINUTES, allow_negative_numbers = true,
          value_parser = utc_offset_minutes())]
    utc_offset_minutes: i32,
}

impl Decrypt {
    pub(crate) fn run(&self) -> ExitCode {
        let stdin_holds_data = self.source.is_stdin().then_some("--data or --data-file");
        let key = match self.key.text(stdin_holds_data) {
            Ok(key) => key,
            Err((exit, message)) => return fail(exit, &message),
        };
        let text = match self.source.read() {
            Ok(text) => text,
            Err(message) => return fail(Exit::Io, &message),
        };
        let (data, iv) = match data_and_iv(&text, self.iv.as_deref()) {
            Ok(parts) => parts,
            Err((exit, message)) => return fail(exit, &message),
        };
        // clap lets --table come only with --appid.
        let Some(appid) = self.appid.as_deref().filter(|_| self.table) else {
            return match open_data::decrypt(&key, &data, &iv, self.appid.as_deref()) {
                Ok(plaintext) => {
                    println!("{plaintext}");
                    ExitCode::SUCCESS
                }
                Err(error) => fail_with(&error),
            };
        };
        match open_data::decrypt_we_run_data(&key, &data, &iv, appid) {
            Ok(payload) => {
                print!(
                    "{}",
                    step_table(
                        &payload.step_info_list,
                        payload.watermark_timestamp,
                        self.utc_offset_minutes
                    )
                );
                ExitCode::SUCCESS
            }
            Err(error) => fail_with(&error),
        }
    }
}

/// The days as a table: date, steps, a bar scaled to the best day; then the
/// total and the daily average.
pub(crate) fn step_table(
    days: &[open_data::StepInfo],
    sealed_at: i64,
    utc_offset_minutes: i32,
) -> String {
    const BAR: usize = 40;
    let best = days.iter().map(|day| day.step).max().unwrap_or(0).max(1);
    // i128: a payload's steps are any non-negative i64s, whose sum is not.
    let total: i128 = days.iter().map(|day| i128::from(day.step)).sum();
    let mut table = String::new();
    let _ = writeln!(table, "{:<10}  {:>9}", "date", "steps");
    for day in days {
        let width = (day.step.clamp(0, best) as u128 * BAR as u128 / best as u128) as usize;
        let date = local_date(day.timestamp, utc_offset_minutes);
        let _ = writeln!(
            table,
            "{date:<10}  {:>9}  {}",
            group_thousands(day.step.into()),
            "█".repeat(width)
        );
    }
    let average = if days.is_empty() {
        0
    } else {
        total / days.len() as i128
    };
    let _ = writeln!(table, "{:<10}  {:>9}", "total", group_thousands(total));
    let _ = writeln!(
        table,
        "{:<10}  {:>9}  ({} days)",
        "average",
        group_thousands(average),
        days.len()
    );
    let offset = time::UtcOffset::from_whole_seconds(utc_offset_minutes * 60)
        .ok()
        .and_then(|offset| {
            offset
                .format(time::macros::format_description!(
                    "[offset_hour sign:mandatory]:[offset_minute]"
                ))
                .ok()
        })
        .unwrap_or_default();
    let _ = writeln!(
        table,
        "sealed at {} (UTC{offset})",
        local_date_time(sealed_at, utc_offset_minutes),
    );
    table
}

fn group_thousands(value: i128) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if value < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A unix time as a date-time at `utc_offset_minutes`.
fn local(timestamp: i64, utc_offset_minutes: i32) -> Option<time::OffsetDateTime> {
    let offset = time::UtcOffset::from_whole_seconds(utc_offset_minutes * 60).ok()?;
    Some(
        time::OffsetDateTime::from_unix_timestamp(timestamp)
            .ok()?
            .to_offset(offset),
    )
}

fn local_date(timestamp: i64, utc_offset_minutes: i32) -> String {
    local(timestamp, utc_offset_minutes)
        .and_then(|at| {
            at.format(time::macros::format_description!("[year]-[month]-[day]"))
                .ok()
        })
        .unwrap_or_else(|| timestamp.to_string())
}

fn local_date_time(timestamp: i64, utc_offset_minutes: i32) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    local(timestamp, utc_offset_minutes)
        .and_then(|at| at.format(format).ok())
        .unwrap_or_else(|| timestamp.to_string())
}

/// What `werun seal` seals.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SealInput {
    /// Raw samples, `[{"timestamp": unix seconds, "step": n}, …]`, windowed
    /// into 31 days ending today and sealed as WeChat seals WeRun data.
    Steps,
    /// Any JSON, sealed byte for byte.
    Json,
}

/// `werun seal`.
#[derive(Args)]
pub(crate) struct Seal {
    #[command(flatten)]
    key: KeySource,
    /// The appid the watermark names (steps only).
    #[arg(long, default_value = "wx4f4bc4dec97d474b", value_parser = appid_for(
        "appid is empty: pass the mini program's appid, which the watermark names and decrypt checks"
    ))]
    appid: String,
    /// What the input is.
    #[arg(long, value_enum, default_value_t = SealInput::Steps)]
    input: SealInput,
    /// The input; without it, standard input.
    #[arg(long, value_name = "FILE")]
    file: Option<PathBuf>,
    /// The watermark time, in unix seconds, and the day the window ends on
    /// (default: now).
    #[arg(long)]
    now: Option<i64>,
    /// The days' UTC offset, in minutes (WeChat's: 480).
    #[arg(long, default_value_t = DEFAULT_UTC_OFFSET_MINUTES, allow_negative_numbers = true,
          value_parser = utc_offset_minutes())]
    utc_offset_minutes: i32,
}

impl Seal {
    pub(crate) fn run(&self) -> ExitCode {
        let stdin_holds_input = self.file.is_none().then_some("--file");
        let key = match self.key.text(stdin_holds_input).and_then(|text| {
            SessionKey::from_base64(&text).map_err(|message| (Exit::BadInput, message))
        }) {
            Ok(key) => key,
            Err((exit, message)) => return fail(exit, &message),
        };
        let input = match read_input(self.file.as_deref()) {
            Ok(input) => input,
            Err(message) => return fail(Exit::Io, &message),
        };
        let sealed = match self.input {
            SealInput::Json => match serde_json::from_str::<serde_json::Value>(&input) {
                Ok(_) => seal(&key, input.as_bytes()),
                Err(e) => return fail(Exit::BadInput, &format!("the input is not JSON: {e}")),
            },
            SealInput::Steps => {
                let samples = match serde_json::from_str::<Vec<StepSample>>(&input) {
                    Ok(samples) => samples,
                    Err(e) => {
                        return fail(
                            Exit::BadInput,
                            &format!(
                                "the input is not a JSON array of {{\"timestamp\", \"step\"}} integers: {e}"
                            ),
                        );
                    }
                };
                let now = self
                    .now
                    .unwrap_or_else(|| time::OffsetDateTime::now_utc().unix_timestamp());
                match StepWindowPlaintext::new(samples, now, self.utc_offset_minutes, &self.appid) {
                    Ok(plaintext) => plaintext.seal(&key),
                    Err(detail) => return fail(Exit::NotWeRunData, &detail),
                }
            }
        };
        match sealed {
            Ok(sealed) => {
                let out =
                    serde_json::json!({ "encryptedData": sealed.encrypted_data, "iv": sealed.iv });
                println!("{out}");
                ExitCode::SUCCESS
            }
            Err(error) => fail_with(&error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_groups_read_as_people_write_them() {
        assert_eq!(local_date(1_734_278_400, 480), "2024-12-16");
        assert_eq!(local_date(0, 0), "1970-01-01");
        assert_eq!(local_date(951_782_400, 0), "2000-02-29");
        assert_eq!(
            local_date_time(1_734_278_400 + 3_723, 480),
            "2024-12-16 01:02:03"
        );
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(0), "0");
    }
}
