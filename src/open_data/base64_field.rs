//! Standard base64 for the open-data fields, read as backends meet it: wrapped
//! across lines, indented or followed by a newline, which is forgiven; or
//! mangled on the way (URL-decoded, percent-encoded, URL-safe), which is
//! refused with a sentence naming the field and the usual cause.

use zeroize::Zeroizing;

/// Longest base64 input accepted by decrypt and seal, so that a hostile input
/// costs bounded work: 1 MiB, far above a 31-day payload (about 2 KiB).
pub const MAX_ENCODED_LEN: usize = 1 << 20;

/// What is dropped next to a line break (`\n`) and at either end of the
/// text: the indentation and trailing blanks of wrapped base64, and the `\r`
/// of `\r\n`. Anywhere else, inside a line, they are errors.
const BLANKS: [char; 3] = [' ', '\t', '\r'];

pub(crate) fn encode(bytes: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(bytes)
}

/// Decodes standard padded base64 that may be wrapped across lines: line
/// breaks, and the blanks (space, tab, `\r`) at either end of each line,
/// are dropped first, as WeChat's published samples (PHP's, Python's and
/// Node's base64 decoders) drop them. A blank inside a line is an error:
/// a ' ' there is what a URL-decoded '+' looks like. The error is a
/// sentence naming `field`.
///
/// It never quotes the input, because the input may be a session key.
pub(crate) fn decode_field(field: &str, text: &str) -> Result<Vec<u8>, String> {
    check_size(field, text)?;
    // Clean input, the usual case, costs one SIMD pass: whitespace is looked
    // for only when that pass fails.
    if let Ok(bytes) = base64_simd::STANDARD.decode_to_vec(text) {
        return Ok(bytes);
    }
    // The text may be a session key: its copy is wiped when dropped.
    let unwrapped = Zeroizing::new(unwrap_lines(text));
    if unwrapped.is_empty() {
        return Err(format!("{field} holds only whitespace"));
    }
    base64_simd::STANDARD
        .decode_to_vec(unwrapped.as_str())
        .map_err(|_| refusal(field, text, &unwrapped))
}

/// Decodes standard padded base64 on one line, nothing dropped: for text
/// werun hands on unchanged (a host's sealed answer goes to the app, then
/// to a backend that may be strict).
pub(crate) fn decode_canonical_field(field: &str, text: &str) -> Result<Vec<u8>, String> {
    check_size(field, text)?;
    base64_simd::STANDARD.decode_to_vec(text).map_err(|_| {
        let unwrapped = Zeroizing::new(unwrap_lines(text));
        if unwrapped.len() != text.len()
            && base64_simd::STANDARD
                .decode_to_vec(unwrapped.as_str())
                .is_ok()
        {
            format!(
                "{field} is wrapped across lines or has blanks around it; it is handed on unchanged, so it must be one line of standard base64"
            )
        } else {
            refusal(field, text, &unwrapped)
        }
    })
}

fn check_size(field: &str, text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err(format!("{field} is empty"));
    }
    if text.len() > MAX_ENCODED_LEN {
        return Err(format!(
            "{field} is {} bytes; the limit is {MAX_ENCODED_LEN}",
            text.len()
        ));
    }
    Ok(())
}

/// The text without its line breaks and the blanks at either end of each line.
fn unwrap_lines(text: &str) -> String {
    let mut unwrapped = String::with_capacity(text.len());
    for line in text.split('\n') {
        unwrapped.push_str(line.trim_matches(BLANKS));
    }
    unwrapped
}

/// Why `text`, `unwrapped` once its lines are joined, is not base64: the
/// usual cause when the text shows one.
fn refusal(field: &str, text: &str, unwrapped: &str) -> String {
    if looks_percent_encoded(unwrapped) {
        format!(
            "{field} is not standard base64: it contains %2B, %2F or %3D, so it looks percent-encoded (URL-encoded); pass the original string, or decode %2B to '+', %2F to '/' and %3D to '='"
        )
    } else if unwrapped.contains(' ') || plus_became_space_at_an_end(text) {
        format!(
            "{field} is not standard base64: it contains ' ' where base64 has '+', so it looks URL-decoded; pass the original string, or replace ' ' with '+'"
        )
    } else if unwrapped.contains(['-', '_']) {
        format!(
            "{field} is not standard base64: it contains '-' or '_', so it looks URL-safe base64"
        )
    } else if unwrapped.contains(BLANKS) {
        format!("{field} is not standard base64: it contains a tab or a '\\r' inside a line")
    } else if ends_inside_a_group(unwrapped) {
        format!(
            "{field} is {} characters of base64, not a multiple of 4: it ends inside a 4-character group, so it looks truncated (or its '=' padding was dropped)",
            unwrapped.len()
        )
    } else {
        format!("{field} is not standard padded base64")
    }
}

/// One line (a final line break allowed, as a file has) whose spaces are
/// only at its ends, dropped as blanks, but which decodes with them as '+':
/// a URL-decoded '+' at the start or the end.
fn plus_became_space_at_an_end(text: &str) -> bool {
    let line = text.strip_suffix('\n').unwrap_or(text);
    let line = line.strip_suffix('\r').unwrap_or(line);
    !line.contains('\n')
        && line.contains(' ')
        && base64_simd::STANDARD
            .decode_to_vec(Zeroizing::new(line.replace(' ', "+")).as_str())
            .is_ok()
}

/// Base64's alphabet with at most two '=' at the end, but a length that is
/// not a multiple of 4: what a cut (or dropped padding) leaves.
fn ends_inside_a_group(unwrapped: &str) -> bool {
    let body = unwrapped.trim_end_matches('=');
    unwrapped.len() % 4 != 0
        && unwrapped.len() - body.len() <= 2
        && body
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'+' || byte == b'/')
}

/// `%2B`, `%2F` or `%3D` (any case): '+', '/' or '=' through a URL encoder.
fn looks_percent_encoded(text: &str) -> bool {
    text.as_bytes().windows(3).any(|escape| {
        escape[0] == b'%'
            && matches!(
                (escape[1], escape[2].to_ascii_uppercase()),
                (b'2', b'B' | b'F') | (b'3', b'D')
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use proptest::prelude::*;

    #[test]
    fn only_standard_padded_base64_decodes_once_its_lines_are_joined() {
        for text in [
            "QQ==",
            "QQ==\n",
            "QQ==\r\n",
            " QQ== ",
            "QQ\n==",
            "QQ\r\n  ==\r\n",
            "\tQQ\n\t==",
            "QUJD\n\nREVG",
        ] {
            assert!(decode_field("f", text).is_ok(), "{text:?}");
        }
        assert_eq!(decode_field("f", "QUJD\r\n    REVG\n").unwrap(), b"ABCDEF");
        for text in [
            "QR==", "QQ=", "QQ", "QQ===", "Q===", "QQ==QQ==", "-_8=", "Q Q==", "Q\tQ==", "Q\rQ==",
            "QQ%3D%3D", "\n", " \r\n\t",
        ] {
            assert!(decode_field("f", text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn each_refusal_names_its_usual_cause() {
        let cause = |text: &str| decode_field("encrypted_data", text).unwrap_err();
        assert!(cause("a+b/cQ==".replace('+', " ").as_str()).contains("URL-decoded"));
        assert!(cause("QUJD\n    RE VG").contains("URL-decoded"));
        // A '+' at either end of one line: dropped as a blank, but named.
        assert!(cause(" UJDREVG").contains("URL-decoded"));
        assert!(cause("QUJDREV ").contains("URL-decoded"));
        // ... also on a line that ends with a line break, as in a file.
        assert!(cause(" UJDREVG\n").contains("URL-decoded"));
        assert!(cause("QUJDREV \r\n").contains("URL-decoded"));
        for percent in [
            "a%2Bb%2FcQ%3D%3D",
            "ab%2bcd",
            "abc%2f",
            "QQ%3d%3d",
            "QQ%3\r\n  D%3D",
        ] {
            assert!(cause(percent).contains("percent-encoded"), "{percent}");
        }
        assert!(cause("a-b_cQ==").contains("URL-safe"));
        assert!(cause("QQ\t==").contains("tab"));
        // Cut inside a 4-character group (or its padding dropped).
        for cut in ["QQ=", "QUJDR", "QUJDREVGRw", "QUJDREVGRw="] {
            assert_eq!(
                cause(cut),
                format!(
                    "encrypted_data is {} characters of base64, not a multiple of 4: it ends inside a 4-character group, so it looks truncated (or its '=' padding was dropped)",
                    cut.len()
                )
            );
        }
        for misplaced in ["Q=QQ", "QQ===", "QQ=Q="] {
            assert_eq!(
                cause(misplaced),
                "encrypted_data is not standard padded base64",
                "{misplaced}"
            );
        }
        assert_eq!(cause(" \n "), "encrypted_data holds only whitespace");
        assert_eq!(cause(""), "encrypted_data is empty");
        // Indentation is not a URL-decoded '+': the text is wrong otherwise.
        assert!(cause("QQ\n    =").contains("3 characters of base64, not a multiple of 4"));
    }

    #[test]
    fn text_handed_on_must_be_one_line() {
        assert_eq!(decode_canonical_field("iv", "QQ==").unwrap(), b"A");
        let wrapped = decode_canonical_field("iv", "QQ==\n").unwrap_err();
        assert!(wrapped.contains("one line"), "{wrapped}");
        let spaced = decode_canonical_field("iv", "Q Q==").unwrap_err();
        assert!(spaced.contains("URL-decoded"), "{spaced}");
    }

    /// `text` wrapped every `width` characters, with `newline` and then `indent`.
    fn wrap(text: &str, width: usize, newline: &str, indent: &str) -> String {
        let lines: Vec<&str> = text
            .as_bytes()
            .chunks(width)
            .map(|line| std::str::from_utf8(line).unwrap())
            .collect();
        lines.join(&format!("{newline}{indent}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// On one line without blanks, the SIMD decoder accepts exactly what
        /// the `base64` crate's strict standard engine accepts, with the same
        /// bytes, and encodes alike.
        #[test]
        fn decoding_agrees_with_the_base64_crate(
            text in prop_oneof![
                "[A-Za-z0-9+/=]{0,40}",
                "[A-Za-z0-9+/]{0,40}={0,3}",
                prop::collection::vec(any::<u8>(), 0..40).prop_map(|bytes| STANDARD.encode(bytes)),
                "[A-Za-z0-9+/=\\-_%]{1,40}",
            ],
        ) {
            let ours = if text.is_empty() { None } else { decode_field("f", &text).ok() };
            let theirs = if text.is_empty() { None } else { STANDARD.decode(&text).ok() };
            prop_assert_eq!(&ours, &theirs);
            let canonical = if text.is_empty() { None } else { decode_canonical_field("f", &text).ok() };
            prop_assert_eq!(canonical, theirs);
        }

        /// Any text at all decodes to what the base64 crate makes of it once
        /// every line is stripped of its blanks and the lines are joined;
        /// one-line text handed on decodes only as the crate decodes it.
        #[test]
        fn whitespace_is_dropped_only_around_line_breaks(text in "[A-Za-z0-9+/= \t\r\n\\-_%]{1,60}") {
            let joined: String = text
                .split('\n')
                .map(|line| line.trim_matches(|c| c == ' ' || c == '\t' || c == '\r'))
                .collect();
            let theirs = if joined.is_empty() { None } else { STANDARD.decode(&joined).ok() };
            prop_assert_eq!(decode_field("f", &text).ok(), theirs);
            prop_assert_eq!(decode_canonical_field("f", &text).ok(), STANDARD.decode(&text).ok());
        }

        /// Base64 wrapped at any width, with `\n` or `\r\n`, indented or not,
        /// with or without a final newline, decodes to the same bytes.
        #[test]
        fn wrapped_base64_decodes_to_the_same_bytes(
            bytes in prop::collection::vec(any::<u8>(), 1..200),
            width in 1usize..100,
            newline in prop_oneof![Just("\n"), Just("\r\n")],
            indent in "[ \t]{0,16}",
            trailing in prop_oneof![Just(""), Just("\n"), Just("\r\n")],
        ) {
            let text = format!("{}{trailing}", wrap(&STANDARD.encode(&bytes), width, newline, &indent));
            prop_assert_eq!(decode_field("f", &text).unwrap(), bytes);
        }

        /// A '+' that became ' ' inside a line is refused as URL-decoded,
        /// wrapped or not.
        #[test]
        fn a_space_inside_a_line_is_refused_as_url_decoded(
            bytes in prop::collection::vec(any::<u8>(), 3..200),
            at in any::<prop::sample::Index>(),
            width in prop_oneof![Just(usize::MAX), Just(76usize), Just(32usize)],
        ) {
            let text = STANDARD.encode(&bytes);
            // A position strictly inside a line, so the ' ' is not at its edge.
            let inner: Vec<usize> = (1..text.len() - 1)
                .filter(|&i| i % width.min(text.len()) != 0 && (i + 1) % width.min(text.len()) != 0)
                .collect();
            prop_assume!(!inner.is_empty());
            let i = inner[at.index(inner.len())];
            let spaced = format!("{} {}", &text[..i], &text[i + 1..]);
            let wrapped = if width == usize::MAX { spaced } else { wrap(&spaced, width, "\r\n", "") };
            let error = decode_field("f", &wrapped).unwrap_err();
            prop_assert!(error.contains("URL-decoded"), "{}", error);
        }

        #[test]
        fn encoding_agrees_with_the_base64_crate(bytes in prop::collection::vec(any::<u8>(), 0..100)) {
            prop_assert_eq!(encode(&bytes), STANDARD.encode(&bytes));
        }
    }
}
