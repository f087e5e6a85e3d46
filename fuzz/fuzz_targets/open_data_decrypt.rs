//! WeChat's open-data decrypt over all four inputs. The input is the four
//! fields, one per line: session key, encrypted data, iv, then an optional
//! appid. Oracle: never a panic; an error has one of the documented statuses
//! and a short sentence that does not quote the key; a success with an appid has
//! that appid in its watermark and, for WeRun data, days that serialise back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use werun::core::Status;
use werun::open_data;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut fields = text.splitn(4, '\n');
    let (key, encrypted_data, iv) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""), fields.next().unwrap_or(""));
    let appid = fields.next();

    let check_error = |error: &werun::core::Error| {
        assert!(
            matches!(error.status, Status::InvalidArgument | Status::Decrypt | Status::Watermark | Status::InvalidData),
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
    };

    match open_data::decrypt(key, encrypted_data, iv, appid) {
        Ok(plaintext) => {
            let json: serde_json::Value = serde_json::from_str(&plaintext).expect("decrypt returns JSON");
            if let Some(appid) = appid {
                assert_eq!(json["watermark"]["appid"].as_str(), Some(appid));
            }
        }
        Err(error) => check_error(&error),
    }
    match open_data::decrypt_we_run_data(key, encrypted_data, iv, appid.unwrap_or("wx4f4bc4dec97d474b")) {
        Ok(data) => {
            let again = open_data::we_run_plaintext(&data.step_info_list, data.watermark_timestamp, "wx");
            assert!(again.starts_with("{\"stepInfoList\":["));
        }
        Err(error) => check_error(&error),
    }
});
