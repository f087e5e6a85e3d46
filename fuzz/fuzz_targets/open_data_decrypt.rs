//! WeChat's open-data decrypt over all four inputs. The input is the four
//! fields, one per line: session key, encrypted data, iv, then an optional
//! appid. Oracle: never a panic; an error has one of the documented kinds
//! and a short sentence that does not quote the key; a success with an appid has
//! that appid in its watermark and, for WeRun data, the days the general JSON
//! path reads from the same payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use werun::open_data::{self, ErrorKind};

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
