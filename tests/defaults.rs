//! The settings' defaults are defined once, in `src/core/settings.rs`. The
//! docs people read them in (the C header, the JS types, the guides) restate
//! them; this test lists every restatement and fails when one disagrees with
//! the core's constant, so a changed default cannot leave a doc behind.
//!
//! A doc that newly states a default gets a row here.

use std::path::Path;

use werun::core::{
    DEFAULT_MAX_IN_FLIGHT, DEFAULT_TIMEOUT, DEFAULT_UTC_OFFSET_MINUTES, MAX_TIMEOUT,
    MAX_UTC_OFFSET_MINUTES, MIN_UTC_OFFSET_MINUTES,
};

/// Every place that states a default (or a range), as the text it must
/// contain there.
fn restatements() -> Vec<(&'static str, String)> {
    let timeout_ms = DEFAULT_TIMEOUT.as_millis();
    assert_eq!(
        timeout_ms % 1000,
        0,
        "the guides state the timeout in whole seconds"
    );
    let timeout_s = timeout_ms / 1000;
    let offset = DEFAULT_UTC_OFFSET_MINUTES;
    assert_eq!(offset % 60, 0, "the guides state the offset as UTC+<hours>");
    let utc = format!("UTC{:+}", offset / 60);
    let max = DEFAULT_MAX_IN_FLIGHT;
    let (min_offset, max_offset) = (MIN_UTC_OFFSET_MINUTES, MAX_UTC_OFFSET_MINUTES);
    vec![
        // The C header (from src/ffi's doc comments): werun_settings' fields.
        (
            "include/werun.h",
            format!("in ms: at least 1; default {timeout_ms}."),
        ),
        (
            "include/werun.h",
            format!(
                "in minutes: {min_offset}..={max_offset}; default {offset} (WeChat's days start at 00:00 {utc})"
            ),
        ),
        ("include/werun.h", format!("at least 1; default {max}.")),
        // The JS types, one source for both bindings.
        (
            "bindings/harmony/types/libwerun/index.d.ts",
            format!("in ms (an integer, at least 1; default {timeout_ms})"),
        ),
        (
            "bindings/harmony/types/libwerun/index.d.ts",
            format!(
                "in minutes (an integer, {min_offset}..{max_offset}; default {offset}, WeChat's {utc})"
            ),
        ),
        (
            "bindings/harmony/types/libwerun/index.d.ts",
            format!("(an integer, at least 1; default {max})"),
        ),
        // What the conformance suites reset to between cases.
        (
            "bindings/js/conformance/helpers.mjs",
            format!(
                "DEFAULT_SETTINGS = Object.freeze({{ timeoutMs: {}, utcOffsetMinutes: {offset}, maxInFlight: {max} }})",
                thousands(timeout_ms)
            ),
        ),
        // The reference's table of settings.
        (
            "docs/reference.md",
            format!("| 1..={} ms | {timeout_ms} ms |", MAX_TIMEOUT.as_millis()),
        ),
        (
            "docs/reference.md",
            format!("| {min_offset}..={max_offset} | {offset} ({utc}, WeChat's days) |"),
        ),
        ("docs/reference.md", format!("| at least 1 | {max} |")),
        // The JS API table, guides and limits.
        (
            "bindings/harmony/README.md",
            format!(
                "Defaults: timeoutMs {timeout_ms}, utcOffsetMinutes {offset} ({utc}), maxInFlight {max}."
            ),
        ),
        (
            "bindings/harmony/README.md",
            format!("midnight {utc} by default"),
        ),
        (
            "docs/guides/c-host.md",
            format!("({utc} unless `werun_context_configure`"),
        ),
        (
            "docs/guides/c-host.md",
            format!("`werun_settings.timeout_ms`, {timeout_ms} ms by default"),
        ),
        (
            "docs/guides/harmony.md",
            format!("WeChat's days start at 00:00 {utc}, and so do werun's by default"),
        ),
        (
            "docs/guides/react-native.md",
            format!("werun's days start at 00:00 {utc} by default"),
        ),
        (
            "docs/guides/taro.md",
            format!("({timeout_s} s by default, `configure({{ timeoutMs }})`)"),
        ),
        (
            "docs/guides/taro.md",
            format!("**Days** start at 00:00 {utc} as on WeChat"),
        ),
        ("README.md", format!("({utc} unless configured)")),
        (
            "README.md",
            format!("**Timeouts** ({timeout_s} s by default)"),
        ),
        (
            "docs/BAD_INPUTS.md",
            format!("| calls waiting on the host | {max} by default"),
        ),
        (
            "docs/RELIABILITY.md",
            format!("{max} calls waiting per context by default"),
        ),
        (
            "SECURITY.md",
            format!("{max} calls waiting on the host by default"),
        ),
    ]
}

/// 10000 as JS writes it in the suites: 10_000.
fn thousands(n: u128) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('_');
        }
        grouped.push(digit);
    }
    grouped
}

/// The file's text with comment markers and line breaks folded into single
/// spaces, so a sentence reads the same however it is wrapped.
fn prose(path: &str) -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    text.lines()
        .map(|line| {
            let line = line.trim();
            ["///", "//!", "//", "/**", "*/", "*"]
                .iter()
                .find_map(|marker| line.strip_prefix(marker))
                .unwrap_or(line)
                .trim()
        })
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `text` holds `phrase` not inside a longer number: "default 1024"
/// must not match "default 10240".
fn states(text: &str, phrase: &str) -> bool {
    let is_digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == '_');
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        let starts_with_digit = phrase.chars().next().is_some_and(|c| c.is_ascii_digit());
        let ends_with_digit = phrase
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit());
        let runs_on_before = starts_with_digit && is_digit(before);
        let runs_on_after = ends_with_digit && is_digit(after);
        !runs_on_before && !runs_on_after
    })
}

#[test]
fn every_restated_default_agrees_with_the_core() {
    let wrong: Vec<String> = restatements()
        .into_iter()
        .filter(|(path, phrase)| !states(&prose(path), phrase))
        .map(|(path, phrase)| format!("{path}: expected \"{phrase}\""))
        .collect();
    assert!(
        wrong.is_empty(),
        "these docs no longer state the core's defaults (src/core/settings.rs) as expected; \
         fix the doc, or the phrase here if it was reworded:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn a_phrase_inside_a_longer_number_does_not_count() {
    assert!(states("default 1024.", "default 1024"));
    assert!(!states("default 10240.", "default 1024"));
    assert!(!states("x 11024 calls", "1024 calls"));
    assert!(!states("timeoutMs: 10_0000", "timeoutMs: 10_000"));
    assert_eq!(thousands(10_000), "10_000");
    assert_eq!(thousands(1_000_000), "1_000_000");
    assert_eq!(thousands(999), "999");
}
