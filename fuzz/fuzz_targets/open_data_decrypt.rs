//! WeChat's open-data decrypt over all four inputs. The input is the four
//! fields, one per line: session key, encrypted data, iv, then an optional
//! appid. Oracle: never a panic; an error has one of the documented kinds
//! and a short sentence that does not quote the key; a success with an appid has
//! that appid in its watermark and, for WeRun data, the days the general JSON
//! path reads from the same payload. And werun's rule for whitespace: a
//! success means each base64 field is standard base64 once its lines are
//! stripped of their blanks and joined; the encrypted data wrapped at 76
//! columns with "\r\n" and indented decrypts exactly as it does on one line;
//! "URL-decoded" is said only of a base64 field with a ' ' in it; and
//! padding is named only when it is over one block.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use libfuzzer_sys::fuzz_target;
use werun::open_data::{self, ErrorKind, MAX_ENCODED_LEN};

/// A field as werun reads it, per its documented rule: each line without the
/// spaces, tabs and CRs at its ends, the lines joined.
fn joined(text: &str) -> String {
    text.split('\n').map(|line| line.trim_matches([' ', '\t', '\r'])).collect()
}

/// `text` as a backend may receive it: MIME's 76 columns and "\r\n", each
/// line after the first indented as WeChat's PHP demo indents its sample.
fn wrapped(text: &str) -> String {
    let lines: Vec<String> = text.chars().collect::<Vec<_>>().chunks(76).map(|line| line.iter().collect()).collect();
    lines.join("\r\n                ")
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut fields = text.splitn(4, '\n');
    let (key, encrypted_data, iv) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""), fields.next().unwrap_or(""));
    let appid = fields.next();

    let check_error = |error: &open_data::Error| {
        assert!(
            matches!(error.kind, ErrorKind::InvalidArgument | ErrorKind::Decrypt | ErrorKind::Watermark | ErrorKind::InvalidData),
            "{error:?}"
        );
        assert!(!error.message.is_empty());
        // The key is never quoted. (The appid is the caller's and may be; and
        // a "key" short or spaced enough to be a word of a sentence proves
        // nothing.)
        let key_like = key.len() >= 16 && key.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b));
        if key_like && !appid.is_some_and(|appid| appid.contains(key)) {
            assert!(!error.message.contains(key), "an error quotes the key: {}", error.message);
        }
        // At most two quoted appids of at most 256 bytes each, every byte
        // escaped to at most 10 characters, and the sentence around them.
        assert!(error.message.len() <= 6 * 1024, "an unbounded error message: {} bytes", error.message.len());
        // (Refused before decrypting: a watermark error may quote an appid
        // that says anything.)
        if error.kind == ErrorKind::InvalidArgument && error.message.contains("URL-decoded") {
            // (A field here is one line: a ' ' anywhere in it, inside or a
            // '+' lost at an end.)
            assert!([key, encrypted_data, iv].iter().any(|field| field.contains(' ')), "{error:?}");
        }
        if let Some(rest) = error.message.strip_prefix("the PKCS#7 padding after decrypting is ") {
            let padding: usize = rest.split(' ').next().unwrap().parse().unwrap();
            assert!(padding > 16, "{error:?}");
        }
    };

    let decrypted = open_data::decrypt(key, encrypted_data, iv, appid);
    match &decrypted {
        Ok(plaintext) => {
            let json: serde_json::Value = serde_json::from_str(plaintext).expect("decrypt returns JSON");
            if let Some(appid) = appid {
                assert_eq!(json["watermark"]["appid"].as_str(), Some(appid));
            }
            for field in [key, encrypted_data, iv] {
                assert!(STANDARD.decode(joined(field)).is_ok(), "accepted, but not base64 once joined: {field:?}");
            }
        }
        Err(error) => check_error(error),
    }
    let wrapped_data = wrapped(encrypted_data);
    if !encrypted_data.contains(char::is_whitespace) && wrapped_data.len() <= MAX_ENCODED_LEN {
        assert_eq!(open_data::decrypt(key, &wrapped_data, iv, appid), decrypted, "wrapped, it decrypts otherwise");
    }
    let we_run_appid = appid.unwrap_or("wx4f4bc4dec97d474b");
    match open_data::decrypt_we_run_data(key, encrypted_data, iv, we_run_appid) {
        Ok(data) => {
            // The typed reader agrees with the general JSON path: what it
            // accepts, decrypt accepts too, with the same days.
            let plaintext = open_data::decrypt(key, encrypted_data, iv, Some(we_run_appid))
                .expect("what decrypt_we_run_data accepts, decrypt accepts");
            let json: serde_json::Value = serde_json::from_str(&plaintext).expect("decrypt returns JSON");
            let days: Vec<(i64, i64)> = json["stepInfoList"]
                .as_array()
                .expect("a stepInfoList array")
                .iter()
                .map(|day| (day["timestamp"].as_i64().unwrap(), day["step"].as_i64().unwrap()))
                .collect();
            let read: Vec<(i64, i64)> = data.step_info_list.iter().map(|day| (day.timestamp, day.step)).collect();
            assert_eq!(days, read);
            assert!(read.iter().all(|&(_, step)| step >= 0));
        }
        Err(error) => check_error(&error),
    }
});
