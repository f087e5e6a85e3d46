//! The `werun` command-line tool, run as a user runs it: `decrypt` on the
//! test vectors (JSON, the 31-day table, and each class of error with its
//! exit code and the likely cause) and on the official sample as backends
//! meet it (wrapped, indented, mangled), `seal` round-tripping through
//! `decrypt`, the appid rule both share, and the session key's sources.

#[path = "common/vectors.rs"]
mod vectors;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use vectors::{Vector, named as vector};

const WERUN: &str = env!("CARGO_BIN_EXE_werun");

/// The plaintext of a vector that decrypts.
fn plaintext(v: &Vector) -> &str {
    v.plaintext
        .as_deref()
        .expect("an OK vector carries its plaintext")
}

fn werun(args: &[&str], stdin: Option<&str>) -> Output {
    werun_with_env(args, stdin, &[])
}

/// `werun` with `env` set, and without the session key a developer may have
/// exported, unless `env` sets it.
fn werun_with_env(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(WERUN)
        .args(args)
        .env_remove("WERUN_SESSION_KEY")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running werun");
    if let Some(input) = stdin {
        let written = child.stdin.take().unwrap().write_all(input.as_bytes());
        // A usage error ends werun before it reads its input.
        if let Err(e) = written {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

/// `decrypt` with the vector's key, iv and appid, without the data.
fn decrypt_args(v: &Vector) -> [&str; 7] {
    [
        "decrypt",
        "--session-key",
        &v.session_key,
        "--iv",
        &v.iv,
        "--appid",
        &v.appid,
    ]
}

fn decrypt(v: &Vector, data: &str, extra: &[&str]) -> Output {
    werun(
        &[&decrypt_args(v)[..], &["--data", data], extra].concat(),
        None,
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn assert_fails(output: &Output, code: i32, cause: &str) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stderr: {}",
        text(&output.stderr)
    );
    assert!(
        output.stdout.is_empty(),
        "nothing on stdout: {}",
        text(&output.stdout)
    );
    assert!(
        text(&output.stderr).contains(cause),
        "stderr names {cause:?}: {}",
        text(&output.stderr)
    );
}

#[test]
fn decrypt_prints_the_plaintext_byte_for_byte() {
    let v = vector("wxbizdatacrypt-official-sample");
    let output = decrypt(&v, &v.encrypted_data, &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), format!("{}\n", plaintext(&v)));
}

#[test]
fn decrypt_reads_the_data_from_a_file_or_standard_input() {
    let v = vector("werun-normal-0");
    let file = std::env::temp_dir().join(format!("werun-cli-{}.txt", std::process::id()));
    std::fs::write(&file, format!("{}\n", v.encrypted_data)).unwrap();
    let base = decrypt_args(&v);
    let from_file = werun(
        &[&base[..], &["--data-file", file.to_str().unwrap()]].concat(),
        None,
    );
    let from_stdin = werun(&base, Some(&v.encrypted_data));
    std::fs::remove_file(&file).unwrap();
    for output in [from_file, from_stdin] {
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert_eq!(text(&output.stdout).trim_end(), plaintext(&v));
    }
}

#[test]
fn a_file_whose_leading_plus_became_a_space_gets_the_url_decoded_hint() {
    let key = "tiihtNczf5v6AKRyjwEUhQ==";
    // Sealed until the data starts with '+' (one in 64 does): a space
    // there is a blank at a line's end, but a URL-decoded '+' all the same.
    let sealed = std::iter::repeat_with(|| {
        werun::open_data::seal(
            &werun::open_data::SessionKey::from_base64(key).unwrap(),
            br#"{"a":1}"#,
        )
        .unwrap()
    })
    .take(10_000)
    .find(|sealed| sealed.encrypted_data.starts_with('+'))
    .expect("one of 10 000 starts with '+'");
    let file = std::env::temp_dir().join(format!("werun-cli-plus-{}.txt", std::process::id()));
    std::fs::write(&file, format!(" {}\n", &sealed.encrypted_data[1..])).unwrap();
    let output = werun(
        &[
            "decrypt",
            "--session-key",
            key,
            "--iv",
            &sealed.iv,
            "--skip-watermark-check",
            "--data-file",
            file.to_str().unwrap(),
        ],
        None,
    );
    std::fs::remove_file(&file).unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("URL-decoded"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn decrypt_table_shows_31_days_their_total_and_average() {
    let v = vector("werun-normal-0");
    let output = decrypt(&v, &v.encrypted_data, &["--table"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let table = text(&output.stdout);
    let payload: serde_json::Value = serde_json::from_str(plaintext(&v)).unwrap();
    let steps: Vec<i64> = payload["stepInfoList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["step"].as_i64().unwrap())
        .collect();
    let day_rows = table
        .lines()
        .filter(|line| line.as_bytes().first().is_some_and(u8::is_ascii_digit))
        .count();
    assert_eq!(day_rows, 31, "{table}");
    let total: i64 = steps.iter().sum();
    let grouped = |n: i64| {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    assert!(
        table.contains(&format!("total{:>16}", grouped(total))),
        "{table}"
    );
    assert!(
        table.contains(&format!("average{:>14}  (31 days)", grouped(total / 31))),
        "{table}"
    );
    assert!(table.contains('█'), "a bar chart: {table}");
}

#[test]
fn each_error_class_has_its_exit_code_and_names_the_likely_cause() {
    let v = vector("werun-normal-0");
    let url_decoded = v.encrypted_data.replace('+', " ");
    let wrong_key = Vector {
        session_key: "AAECAwQFBgcICQoLDA0ODw==".into(),
        ..v.clone()
    };
    let other_app = Vector {
        appid: "wx0000000000000000".into(),
        ..v.clone()
    };
    let user_info = vector("wxbizdatacrypt-official-sample");
    let no_args: &[&str] = &[];
    for (vector, data, args, exit_code, cause) in [
        (&v, &url_decoded, no_args, 3, "URL-decoded"),
        (&wrong_key, &v.encrypted_data, no_args, 4, "session key"),
        (&other_app, &v.encrypted_data, no_args, 5, "another app"),
        (
            &user_info,
            &user_info.encrypted_data,
            &["--table"],
            6,
            "stepInfoList",
        ),
    ] {
        assert_fails(&decrypt(vector, data, args), exit_code, cause);
    }

    let missing = werun(
        &[
            "decrypt",
            "--session-key",
            "k",
            "--iv",
            "i",
            "--appid",
            "a",
            "--data-file",
            "/nonexistent/werun",
        ],
        None,
    );
    assert_fails(&missing, 7, "cannot read");
}

/// Seals `input` with `werun seal` and decrypts the result with `werun decrypt`.
fn seal_then_decrypt(key: &str, seal_args: &[&str], input: &str, decrypt_args: &[&str]) -> Output {
    let sealed = werun(
        &[&["seal", "--session-key", key], seal_args].concat(),
        Some(input),
    );
    assert!(sealed.status.success(), "{}", text(&sealed.stderr));
    let sealed: serde_json::Value = serde_json::from_slice(&sealed.stdout).unwrap();
    let (data, iv) = (
        sealed["encryptedData"].as_str().unwrap(),
        sealed["iv"].as_str().unwrap(),
    );
    let decrypt = [
        "decrypt",
        "--session-key",
        key,
        "--iv",
        iv,
        "--appid",
        "wx4f4bc4dec97d474b",
        "--data",
        data,
    ];
    let opened = werun(&[&decrypt[..], decrypt_args].concat(), None);
    assert!(opened.status.success(), "{}", text(&opened.stderr));
    opened
}

#[test]
fn seal_then_decrypt_round_trips_steps_and_json() {
    let key = "tiihtNczf5v6AKRyjwEUhQ==";
    // 2024-12-16 12:00 UTC+8, and the day before.
    let steps = r#"[{"timestamp":1734321600,"step":4321},{"timestamp":1734235200,"step":1000},{"timestamp":1734235201,"step":234}]"#;
    let table = seal_then_decrypt(key, &["--now", "1734321600"], steps, &["--table"]);
    let table = text(&table.stdout);
    let row = |date: &str, steps: &str| format!("{date:<10}  {steps:>9}");
    assert!(
        table.contains(&row("2024-12-16", "4,321")),
        "today: {table}"
    );
    assert!(
        table.contains(&row("2024-12-15", "1,234")),
        "yesterday, summed: {table}"
    );
    assert!(
        table.contains(&row("2024-11-16", "0")),
        "the window's first day: {table}"
    );
    assert!(!table.contains("2024-11-15"), "31 days only: {table}");

    let json =
        r#"{"phoneNumber":"13800000000","watermark":{"timestamp":1,"appid":"wx4f4bc4dec97d474b"}}"#;
    let opened = seal_then_decrypt(key, &["--input", "json"], json, &[]);
    assert_eq!(text(&opened.stdout).trim_end(), json);
}

#[test]
fn seal_refuses_what_it_cannot_seal() {
    assert_fails(
        &werun(&["seal", "--session-key", "dG9vIHNob3J0"], Some("[]")),
        3,
        "16 bytes",
    );
    let key = "tiihtNczf5v6AKRyjwEUhQ==";
    assert_fails(
        &werun(&["seal", "--session-key", key], Some("[{\"timestamp\":1}]")),
        3,
        "JSON array",
    );
    let negative = r#"[{"timestamp":1734321600,"step":-5}]"#;
    assert_fails(
        &werun(&["seal", "--session-key", key], Some(negative)),
        6,
        "-5",
    );
    assert_fails(
        &werun(
            &["seal", "--session-key", key, "--input", "json"],
            Some("{steps"),
        ),
        3,
        "not JSON",
    );
}

/// Asserts that both commands' `--help` says each of `needles`.
#[track_caller]
fn help_says(needles: &[&str]) {
    for command in ["decrypt", "seal"] {
        let help = text(&werun(&[command, "--help"], None).stdout);
        for needle in needles {
            assert!(
                help.contains(needle),
                "{command} --help lacks {needle:?}:\n{help}"
            );
        }
    }
}

#[test]
fn help_documents_every_exit_code() {
    help_says(&[
        "0 done",
        "2 usage",
        "3 an input",
        "4 decryption",
        "5 watermark",
        "6 not a WeRun",
        "7 a file",
    ]);
}

#[test]
fn decrypt_takes_the_json_an_app_uploads() {
    let key = "tiihtNczf5v6AKRyjwEUhQ==";
    let sealed = werun(
        &["seal", "--session-key", key, "--input", "json"],
        Some(r#"{"a":1}"#),
    );
    assert!(sealed.status.success(), "{}", text(&sealed.stderr));
    let sealed: serde_json::Value = serde_json::from_slice(&sealed.stdout).unwrap();
    let iv = sealed["iv"].as_str().unwrap();
    // As getWeRunData resolves it, with errMsg and cloudID beside the two fields.
    let mut uploaded = sealed.clone();
    uploaded["errMsg"] = "getWeRunData:ok".into();
    uploaded["cloudID"] = "cloud-1".into();
    let uploaded = uploaded.to_string();
    let args = [
        "decrypt",
        "--session-key",
        key,
        "--appid",
        "wx4f4bc4dec97d474b",
    ];
    let out = werun(&args, Some(&uploaded));
    // {"a":1} has no watermark: decrypt says so, after decrypting it.
    assert_fails(&out, 5, "watermark");

    let with_same_iv = werun(&[&args[..], &["--iv", iv]].concat(), Some(&uploaded));
    assert_fails(&with_same_iv, 5, "watermark");
    let other_iv = werun(
        &[&args[..], &["--iv", "AAAAAAAAAAAAAAAAAAAAAA=="]].concat(),
        Some(&uploaded),
    );
    assert_fails(&other_iv, 2, "give the iv once");
    let no_iv = werun(&args, Some(sealed["encryptedData"].as_str().unwrap()));
    assert_fails(&no_iv, 2, "no iv");
    let not_a_payload = werun(&args, Some(r#"{"encryptedData": 1}"#));
    assert_fails(&not_a_payload, 3, "not {\"encryptedData\", \"iv\"} strings");
}

/// The README's walk-through ("Try it"), run as written there, with the
/// built binary in place of `cargo run --release --`.
#[test]
fn the_readme_walk_through_ends_in_a_31_day_table() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let section = readme
        .split("## Try it: a decrypted 31-day table")
        .nth(1)
        .expect("the README's walk-through");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("its shell block");
    assert!(block.contains("cargo run --release -- seal") && block.contains("--table"));
    let command = block.replace("cargo run --release --", WERUN);
    let out = Command::new("sh")
        .args(["-c", &format!("set -e; {command}")])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let days: Vec<&str> = table
        .lines()
        .filter(|line| line.starts_with("2026-"))
        .collect();
    assert_eq!(days.len(), 31, "{table}");
    assert!(
        days[0].starts_with("2026-10-30") && days[30].starts_with("2026-11-29"),
        "{table}"
    );
    // examples/steps.json: two walks a day, none on three days of the window.
    assert_eq!(
        days.iter()
            .filter(|line| line.split_whitespace().nth(1) == Some("0"))
            .count(),
        3
    );
    let samples: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/examples/steps.json")).unwrap(),
    )
    .unwrap();
    let first_day = 1_795_881_600 - 30 * 86_400;
    let in_window: i64 = samples
        .iter()
        .filter(|s| s["timestamp"].as_i64().unwrap() >= first_day)
        .map(|s| s["step"].as_i64().unwrap())
        .sum();
    let total = table
        .lines()
        .find(|line| line.starts_with("total"))
        .unwrap();
    assert_eq!(
        total.split_whitespace().nth(1).unwrap().replace(',', ""),
        in_window.to_string()
    );
}

#[test]
fn the_table_adds_up_steps_beyond_i64_and_writes_any_offset() {
    let key = "tiihtNczf5v6AKRyjwEUhQ==";
    let appid = "wx4f4bc4dec97d474b";
    // Two days near i64::MAX: a sum that does not fit an i64.
    let payload = format!(
        r#"{{"stepInfoList":[{{"timestamp":1795795200,"step":{max}}},{{"timestamp":1795881600,"step":{max}}}],"watermark":{{"timestamp":1795924800,"appid":"{appid}"}}}}"#,
        max = i64::MAX
    );
    let sealed = werun(
        &["seal", "--session-key", key, "--input", "json"],
        Some(&payload),
    );
    assert!(sealed.status.success(), "{}", text(&sealed.stderr));
    let sealed = text(&sealed.stdout);
    let table = werun(
        &[
            "decrypt",
            "--session-key",
            key,
            "--appid",
            appid,
            "--table",
            "--utc-offset-minutes",
            "-30",
        ],
        Some(&sealed),
    );
    assert!(table.status.success(), "{}", text(&table.stderr));
    let table = text(&table.stdout);
    let total = (2 * i128::from(i64::MAX)).to_string();
    let total_line = table
        .lines()
        .find(|line| line.starts_with("total"))
        .unwrap();
    assert_eq!(
        total_line
            .split_whitespace()
            .nth(1)
            .unwrap()
            .replace(',', ""),
        total,
        "{table}"
    );
    assert!(table.contains("(UTC-00:30)"), "{table}");
}

#[test]
fn an_offset_werun_cannot_have_is_a_usage_error() {
    for command in [
        vec![
            "seal",
            "--session-key",
            "tiihtNczf5v6AKRyjwEUhQ==",
            "--utc-offset-minutes",
            "100000",
        ],
        vec![
            "decrypt",
            "--session-key",
            "k",
            "--appid",
            "a",
            "--iv",
            "i",
            "--utc-offset-minutes",
            "-721",
        ],
    ] {
        let out = werun(&command, None);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{command:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("-720..=840"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn decrypt_takes_the_official_sample_wrapped_indented_or_with_a_newline() {
    let v = vectors::official_sample();
    let data = &v.encrypted_data;
    let file = std::env::temp_dir().join(format!("werun-cli-wrapped-{}.txt", std::process::id()));
    std::fs::write(&file, vectors::mime_wrapped(data)).unwrap();
    let base = decrypt_args(&v);
    // The JSON an app uploads, its encryptedData MIME-wrapped.
    let uploaded =
        serde_json::json!({"encryptedData": vectors::mime_wrapped(data), "iv": v.iv}).to_string();
    let uploaded_args = [&base[..3], &base[5..]].concat();
    for (form, output) in [
        (
            "followed by a newline",
            decrypt(&v, &format!("{data}\n"), &[]),
        ),
        (
            "indented as WeChat's PHP demo",
            decrypt(&v, &vectors::php_demo_indented(data), &[]),
        ),
        (
            "MIME-wrapped in a file",
            werun(
                &[&base[..], &["--data-file", file.to_str().unwrap()]].concat(),
                None,
            ),
        ),
        (
            "MIME-wrapped in the uploaded JSON",
            werun(&uploaded_args, Some(&uploaded)),
        ),
    ] {
        assert!(output.status.success(), "{form}: {}", text(&output.stderr));
        assert_eq!(
            text(&output.stdout),
            format!("{}\n", plaintext(&v)),
            "{form}"
        );
    }
    std::fs::remove_file(&file).unwrap();
}

#[test]
fn decrypt_names_how_the_data_was_mangled() {
    let v = vectors::official_sample();
    let data = &v.encrypted_data;
    // wechatpy's padder pads to 32-byte blocks.
    let (padded, padding) = vectors::official_sample_padded_to(32);
    assert!(padding > 16, "{padding}");
    for (form, mangled, exit_code, cause) in [
        ("URL-decoded", vectors::url_decoded(data), 3, "URL-decoded"),
        (
            "percent-encoded",
            vectors::percent_encoded(data),
            3,
            "percent-encoded",
        ),
        (
            "padded to 32-byte blocks",
            padded,
            4,
            &*format!("padding after decrypting is {padding} bytes"),
        ),
    ] {
        let output = decrypt(&v, &mangled, &[]);
        assert_fails(&output, exit_code, cause);
        assert!(
            !text(&output.stderr).contains("wrong session key"),
            "{form}: {}",
            text(&output.stderr)
        );
    }
}

#[test]
fn seal_and_decrypt_share_one_appid_rule_and_the_check_is_skipped_only_on_request() {
    let key = "tiihtNczf5v6AKRyjwEUhQ==";
    let too_long = "w".repeat(257);
    for appid in ["", too_long.as_str()] {
        assert_fails(
            &werun(
                &["seal", "--session-key", key, "--appid", appid],
                Some("[]"),
            ),
            2,
            "appid",
        );
        assert_fails(
            &werun(
                &[
                    "decrypt",
                    "--session-key",
                    key,
                    "--iv",
                    "i",
                    "--data",
                    "d",
                    "--appid",
                    appid,
                ],
                None,
            ),
            2,
            "appid",
        );
    }
    // The hint for an empty appid can be followed as written.
    let v = vector("wrong-appid");
    // decrypt_args without its --appid, then the data and `extra`.
    let without_appid = |extra: &[&str]| {
        werun(
            &[
                &decrypt_args(&v)[..5],
                &["--data", &v.encrypted_data],
                extra,
            ]
            .concat(),
            None,
        )
    };
    let empty = without_appid(&["--appid", ""]);
    assert_fails(&empty, 2, "--skip-watermark-check");
    let skipped = without_appid(&["--skip-watermark-check"]);
    assert!(skipped.status.success(), "{}", text(&skipped.stderr));
    assert!(text(&skipped.stdout).starts_with("{\"stepInfoList\""));
    // Without either, or with both, or skipping for --table: usage errors.
    let base = ["decrypt", "--session-key", key, "--iv", "i", "--data", "d"];
    for extra in [
        &[][..],
        &["--appid", "wx4f4bc4dec97d474b", "--skip-watermark-check"][..],
        &["--skip-watermark-check", "--table"][..],
    ] {
        let output = werun(&[&base[..], extra].concat(), None);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{extra:?}: {}",
            text(&output.stderr)
        );
    }
}

#[test]
fn the_session_key_comes_from_a_file_standard_input_or_the_environment() {
    let v = vector("werun-normal-0");
    let key = v.session_key.as_str();
    let file = std::env::temp_dir().join(format!("werun-cli-key-{}.txt", std::process::id()));
    std::fs::write(&file, format!("{key}\n")).unwrap();
    let file = file.to_str().unwrap();
    let rest = [
        "--iv",
        &v.iv,
        "--appid",
        &v.appid,
        "--data",
        &v.encrypted_data,
    ];
    for (source, output) in [
        (
            "a file",
            werun(
                &[&["decrypt", "--session-key-file", file][..], &rest].concat(),
                None,
            ),
        ),
        (
            "standard input",
            werun(
                &[&["decrypt", "--session-key-file", "-"][..], &rest].concat(),
                Some(&format!("{key}\r\n")),
            ),
        ),
        (
            "WERUN_SESSION_KEY",
            werun_with_env(
                &[&["decrypt"][..], &rest].concat(),
                None,
                &[("WERUN_SESSION_KEY", key)],
            ),
        ),
    ] {
        assert!(
            output.status.success(),
            "{source}: {}",
            text(&output.stderr)
        );
        assert_eq!(text(&output.stdout).trim_end(), plaintext(&v), "{source}");
    }

    // seal reads it the same ways: sealed under the file's key, opened under
    // the environment's.
    let sealed = werun(
        &["seal", "--session-key-file", file, "--input", "json"],
        Some(plaintext(&v)),
    );
    assert!(sealed.status.success(), "{}", text(&sealed.stderr));
    let opened = werun_with_env(
        &["decrypt", "--appid", &v.appid],
        Some(&text(&sealed.stdout)),
        &[("WERUN_SESSION_KEY", key)],
    );
    assert!(opened.status.success(), "{}", text(&opened.stderr));
    assert_eq!(text(&opened.stdout).trim_end(), plaintext(&v));
    std::fs::remove_file(file).unwrap();
}

#[test]
fn the_session_key_is_given_exactly_once_and_never_shown() {
    // A key whose every run of characters is its own, and a wrong one for v.
    let key = "AAECAwQFBgcICQoLDA0ODw==";
    let v = vector("werun-normal-0");
    let data = [
        "--iv",
        &v.iv,
        "--appid",
        &v.appid,
        "--data",
        &v.encrypted_data,
    ];
    let env = [("WERUN_SESSION_KEY", key)];
    let decrypt_with = |flags: &[&str], stdin: Option<&str>, env: &[(&str, &str)]| {
        werun_with_env(&[&["decrypt"][..], flags, &data].concat(), stdin, env)
    };
    let no_data = ["--iv", &v.iv, "--appid", &v.appid];
    for (case, output, exit_code, cause) in [
        ("no key", decrypt_with(&[], None, &[]), 2, "no session key"),
        (
            "a flag and a file",
            decrypt_with(
                &["--session-key", key, "--session-key-file", "/dev/null"],
                None,
                &[],
            ),
            2,
            "cannot be used with",
        ),
        (
            "a flag and the environment",
            decrypt_with(&["--session-key", key], None, &env),
            2,
            "given twice",
        ),
        (
            "a file and the environment",
            decrypt_with(&["--session-key-file", "/dev/null"], None, &env),
            2,
            "given twice",
        ),
        (
            "the key and the data both on standard input",
            werun(
                &[&["decrypt", "--session-key-file", "-"][..], &no_data].concat(),
                Some(key),
            ),
            2,
            "standard input cannot hold both",
        ),
        (
            "seal's key and input both on standard input",
            werun(&["seal", "--session-key-file", "-"], Some(key)),
            2,
            "standard input cannot hold both",
        ),
        (
            "a missing key file",
            decrypt_with(&["--session-key-file", "/nonexistent/key"], None, &[]),
            7,
            "cannot read",
        ),
        (
            "a wrong key from the environment",
            decrypt_with(&[], None, &env),
            4,
            "session key",
        ),
        (
            "a wrong key from a flag",
            decrypt_with(&["--session-key", key], None, &[]),
            4,
            "session key",
        ),
        (
            "a key with a space inside",
            werun_with_env(
                &[&["decrypt"][..], &data].concat(),
                None,
                &[(
                    "WERUN_SESSION_KEY",
                    &format!("{} {}", &v.session_key[..8], &v.session_key[9..]),
                )],
            ),
            3,
            "URL-decoded",
        ),
    ] {
        assert_eq!(
            output.status.code(),
            Some(exit_code),
            "{case}: {}",
            text(&output.stderr)
        );
        let stderr = text(&output.stderr);
        assert!(stderr.contains(cause), "{case}: {stderr}");
        for shown in [key, &v.session_key[..12], &key[..12]] {
            assert!(!stderr.contains(shown), "{case} shows the key: {stderr}");
        }
    }
}

#[test]
fn help_says_where_the_session_key_may_come_from() {
    help_says(&[
        "--session-key-file",
        "WERUN_SESSION_KEY",
        "standard input",
        "ps",
    ]);
    let help = text(&werun(&["decrypt", "--help"], None).stdout);
    assert!(help.contains("--skip-watermark-check"), "{help}");
    assert!(help.contains("wrapped across lines"), "{help}");
}
