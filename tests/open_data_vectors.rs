//! WeChat's official decryption sample and generated WeRun payloads, decrypted
//! through the C ABI, each with the status the vector expects.

#[path = "common/vectors.rs"]
mod vectors;

use std::ffi::{CStr, CString, c_char};
use std::ops::Deref;
use std::ptr;

use serde_json::Value;
use werun::ffi::*;

/// A vector with the strings the C ABI takes as C strings; the rest (name,
/// plaintext, expected statuses) is read through to the shared vector.
struct Vector {
    vector: vectors::Vector,
    appid: CString,
    session_key: CString,
    iv: CString,
    encrypted_data: CString,
}

impl Deref for Vector {
    type Target = vectors::Vector;

    fn deref(&self) -> &vectors::Vector {
        &self.vector
    }
}

impl From<vectors::Vector> for Vector {
    fn from(vector: vectors::Vector) -> Vector {
        let c = |text: &str| CString::new(text).unwrap();
        Vector {
            appid: c(&vector.appid),
            session_key: c(&vector.session_key),
            iv: c(&vector.iv),
            encrypted_data: c(&vector.encrypted_data),
            vector,
        }
    }
}

fn vectors() -> Vec<Vector> {
    vectors::all().into_iter().map(Vector::from).collect()
}

fn name(status: werun_status) -> String {
    // SAFETY: werun_status_name returns a static C string.
    unsafe { CStr::from_ptr(werun_status_name(status as u32)) }
        .to_string_lossy()
        .into_owned()
}

fn last_error() -> String {
    // SAFETY: valid until the next werun call on this thread.
    unsafe { CStr::from_ptr(werun_last_error()) }
        .to_string_lossy()
        .into_owned()
}

fn take_string(s: *mut c_char) -> String {
    // SAFETY: s came from werun and is freed once.
    let text = unsafe { CStr::from_ptr(s) }.to_str().unwrap().to_owned();
    unsafe { werun_string_free(s) };
    text
}

impl Vector {
    fn named(name: &str) -> Vector {
        vectors::named(name).into()
    }

    /// `werun_open_data_decrypt` on this vector, with `appid` (nullable).
    fn decrypt(&self, appid: *const c_char) -> (werun_status, *mut c_char) {
        let mut json: *mut c_char = ptr::null_mut();
        // SAFETY: valid C strings (appid may be NULL) and a writable out-param.
        let status = unsafe {
            werun_open_data_decrypt(
                self.session_key.as_ptr(),
                self.encrypted_data.as_ptr(),
                self.iv.as_ptr(),
                appid,
                &mut json,
            )
        };
        (status, json)
    }

    /// `werun_we_run_data_decrypt` on this vector: the status, and the steps,
    /// their count and the watermark time, which start as NULL, `usize::MAX`
    /// and -1 so that a failure can be seen to leave them untouched.
    fn decrypt_steps(&self) -> (werun_status, *mut werun_step, usize, i64) {
        let (mut steps, mut len, mut watermark) = (ptr::null_mut(), usize::MAX, -1i64);
        // SAFETY: valid C strings and writable out-params.
        let status = unsafe {
            werun_we_run_data_decrypt(
                self.session_key.as_ptr(),
                self.encrypted_data.as_ptr(),
                self.iv.as_ptr(),
                self.appid.as_ptr(),
                &mut steps,
                &mut len,
                &mut watermark,
            )
        };
        (status, steps, len, watermark)
    }

    /// `werun_we_run_data_decrypt_json` on this vector: the status and the
    /// JSON, which starts as NULL so that a failure can be seen to leave it.
    fn decrypt_json(&self) -> (werun_status, *mut c_char) {
        let mut json: *mut c_char = ptr::null_mut();
        // SAFETY: valid C strings and a writable out-param.
        let status = unsafe {
            werun_we_run_data_decrypt_json(
                self.session_key.as_ptr(),
                self.encrypted_data.as_ptr(),
                self.iv.as_ptr(),
                self.appid.as_ptr(),
                &mut json,
            )
        };
        (status, json)
    }
}

#[test]
fn every_vector_decrypts_to_its_expected_status_and_plaintext() {
    let vectors = vectors();
    assert!(vectors.len() >= 16, "the vector file was truncated");
    for v in &vectors {
        let (status, json) = v.decrypt(v.appid.as_ptr());
        assert_eq!(name(status), v.expect, "{}: {}", v.name, last_error());
        if status == werun_status::WERUN_OK {
            let json = take_string(json);
            let expected = v
                .plaintext
                .as_deref()
                .expect("OK vectors carry a plaintext");
            assert_eq!(
                json, expected,
                "{}: the plaintext must come back byte for byte",
                v.name
            );
        } else {
            assert!(
                json.is_null(),
                "{}: out-params are written only on OK",
                v.name
            );
            assert!(
                !last_error().is_empty(),
                "{}: a failure explains itself",
                v.name
            );
            assert!(
                !last_error().contains(v.session_key.to_str().unwrap()),
                "{}: the session key must never appear in an error",
                v.name
            );
        }
    }
}

#[test]
fn every_vector_decrypts_as_we_run_data_to_its_expected_status() {
    for v in vectors() {
        let (status, steps, len, watermark) = v.decrypt_steps();
        assert_eq!(name(status), v.expect_steps, "{}: {}", v.name, last_error());
        if status != werun_status::WERUN_OK {
            assert_eq!(
                (len, watermark),
                (usize::MAX, -1),
                "{}: untouched on failure",
                v.name
            );
            continue;
        }
        let plaintext: Value = serde_json::from_str(v.plaintext.as_deref().unwrap()).unwrap();
        let expected = plaintext["stepInfoList"].as_array().unwrap();
        // SAFETY: werun returned `len` steps at `steps`.
        let got = unsafe { std::slice::from_raw_parts(steps, len) };
        assert_eq!(len, 31, "{}: WeRun payloads hold 31 days", v.name);
        for (day, want) in got.iter().zip(expected) {
            assert_eq!(
                day.timestamp,
                want["timestamp"].as_i64().unwrap(),
                "{}",
                v.name
            );
            assert_eq!(day.step, want["step"].as_i64().unwrap(), "{}", v.name);
        }
        assert_eq!(
            watermark,
            plaintext["watermark"]["timestamp"].as_i64().unwrap()
        );
        // WeChat's shape: ascending midnights at UTC+8, the last on the watermark's day.
        assert!(
            got.iter().all(|d| (d.timestamp + 8 * 3600) % 86_400 == 0),
            "{}",
            v.name
        );
        assert!(
            got.windows(2)
                .all(|w| w[1].timestamp - w[0].timestamp == 86_400)
        );
        assert_eq!(
            got.last().unwrap().timestamp,
            watermark - (watermark + 8 * 3600) % 86_400,
            "{}",
            v.name
        );
        // SAFETY: freed once with the length werun gave.
        unsafe { werun_steps_free(steps, len) };
    }
}

/// The JSON form gives the same status and error as the typed one for every
/// vector, and on OK the same days: WeChat's compact text, byte for byte the
/// plaintext when that was already compact.
#[test]
fn every_vector_decrypts_as_we_run_json_like_the_typed_form() {
    for v in vectors() {
        let (status, json) = v.decrypt_json();
        let json_error = last_error();
        let (typed, steps, len, watermark) = v.decrypt_steps();
        assert_eq!(name(status), name(typed), "{}", v.name);
        if status != werun_status::WERUN_OK {
            assert!(json.is_null(), "{}: untouched on failure", v.name);
            assert_eq!(json_error, last_error(), "{}: the same explanation", v.name);
            continue;
        }
        let text = take_string(json);
        // SAFETY: werun returned `len` steps at `steps`.
        let days: Vec<Value> = unsafe { std::slice::from_raw_parts(steps, len) }
            .iter()
            .map(|day| serde_json::json!({"timestamp": day.timestamp, "step": day.step}))
            .collect();
        // SAFETY: freed once with the length werun gave.
        unsafe { werun_steps_free(steps, len) };
        let appid = v.appid.to_str().unwrap();
        let expected = serde_json::json!({
            "stepInfoList": days,
            "watermark": {"timestamp": watermark, "appid": appid},
        });
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            expected,
            "{}",
            v.name
        );
        assert!(
            text.starts_with("{\"stepInfoList\":[{\"timestamp\":")
                && text.ends_with(&format!(",\"appid\":\"{appid}\"}}}}")),
            "{}: compact, in WeChat's key order: {text}",
            v.name
        );
        let plaintext = v.plaintext.as_deref().unwrap();
        if !plaintext.contains(char::is_whitespace) {
            assert_eq!(
                text, plaintext,
                "{}: a compact payload comes back as it is",
                v.name
            );
        }
    }
}

/// Seals `json` under `key` with `werun_open_data_encrypt`: the encrypted
/// data and the iv, both to be freed with `take_string`.
fn encrypt(key: &CStr, json: &CStr) -> (*mut c_char, *mut c_char) {
    let (mut data, mut iv) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY: valid C strings and writable out-params.
    let status =
        unsafe { werun_open_data_encrypt(key.as_ptr(), json.as_ptr(), &mut data, &mut iv) };
    assert_eq!(status, werun_status::WERUN_OK, "{}", last_error());
    (data, iv)
}

/// A payload with whitespace, another key order and an unknown field comes
/// back as the compact text WeChat seals, without the unknown field.
#[test]
fn a_payload_in_another_form_comes_back_compact() {
    let key = c"tiihtNczf5v6AKRyjwEUhQ==";
    let json = c"{ \"watermark\": {\"appid\": \"wxa\", \"timestamp\": 7}, \"extra\": [1],\n \"stepInfoList\": [{\"step\": 3, \"timestamp\": 1}] }";
    let (data, iv) = encrypt(key, json);
    let mut out = ptr::null_mut();
    // SAFETY: strings werun just returned, still owned here.
    let status = unsafe {
        werun_we_run_data_decrypt_json(key.as_ptr(), data, iv, c"wxa".as_ptr(), &mut out)
    };
    assert_eq!(status, werun_status::WERUN_OK, "{}", last_error());
    assert_eq!(
        take_string(out),
        r#"{"stepInfoList":[{"timestamp":1,"step":3}],"watermark":{"timestamp":7,"appid":"wxa"}}"#
    );
    take_string(data);
    take_string(iv);
}

#[test]
fn a_url_decoded_payload_is_diagnosed_as_such() {
    let v = Vector::named("plus-became-space");
    let (status, _) = v.decrypt(v.appid.as_ptr());
    assert_eq!(status, werun_status::WERUN_ERR_INVALID_ARGUMENT);
    assert!(last_error().contains("URL-decoded"), "{}", last_error());
}

/// The official sample with `encrypted_data` in another form.
fn official_sample_as(encrypted_data: String) -> Vector {
    vectors::Vector {
        encrypted_data,
        ..vectors::official_sample()
    }
    .into()
}

/// WeChat's official sample as backends meet it, wrapped or followed by a
/// newline, decrypts through the C ABI to its plaintext, byte for byte; and so
/// does a WeRun payload through the WeRun decrypt functions.
#[test]
fn wrapped_and_newline_terminated_base64_decrypts_as_wechat_samples_accept_it() {
    let official = vectors::official_sample();
    let data = &official.encrypted_data;
    for (form, text) in [
        ("followed by a newline", format!("{data}\n")),
        (
            "MIME-wrapped at 76 with \\r\\n",
            vectors::mime_wrapped(data),
        ),
        (
            "indented as WeChat's PHP demo",
            vectors::php_demo_indented(data),
        ),
    ] {
        let v = official_sample_as(text);
        let (status, json) = v.decrypt(v.appid.as_ptr());
        assert_eq!(status, werun_status::WERUN_OK, "{form}: {}", last_error());
        assert_eq!(
            take_string(json),
            official.plaintext.as_deref().unwrap(),
            "{form}"
        );
        // Not WeRun data, but past the base64: the typed reader says so.
        assert_eq!(name(v.decrypt_steps().0), v.expect_steps, "{form}");
        assert!(
            last_error().contains("stepInfoList"),
            "{form}: {}",
            last_error()
        );
    }

    // The key and iv too, and the WeRun functions.
    let we_run = vectors::named("werun-normal-0");
    let v: Vector = vectors::Vector {
        session_key: format!("{}\r\n", we_run.session_key),
        iv: format!("  {}\n", we_run.iv),
        encrypted_data: vectors::mime_wrapped(&we_run.encrypted_data),
        ..we_run.clone()
    }
    .into();
    let (status, json) = v.decrypt(v.appid.as_ptr());
    assert_eq!(status, werun_status::WERUN_OK, "{}", last_error());
    assert_eq!(take_string(json), we_run.plaintext.as_deref().unwrap());
    let (status, steps, len, _) = v.decrypt_steps();
    assert_eq!(
        (status, len),
        (werun_status::WERUN_OK, 31),
        "{}",
        last_error()
    );
    // SAFETY: freed once with the length werun gave.
    unsafe { werun_steps_free(steps, len) };
    let (status, json) = v.decrypt_json();
    assert_eq!(status, werun_status::WERUN_OK, "{}", last_error());
    assert_eq!(take_string(json), we_run.plaintext.as_deref().unwrap());
}

/// The ways a payload is mangled on its way to a backend are each refused
/// with their own cause, never blaming the key when the key is right.
#[test]
fn mangled_base64_is_refused_with_its_cause() {
    let official = vectors::official_sample();
    let data = &official.encrypted_data;
    for (form, text, cause) in [
        ("URL-decoded", vectors::url_decoded(data), "URL-decoded"),
        (
            "URL-decoded, then wrapped",
            vectors::mime_wrapped(&vectors::url_decoded(data)),
            "URL-decoded",
        ),
        (
            "percent-encoded",
            vectors::percent_encoded(data),
            "percent-encoded",
        ),
        (
            "percent-encoded, then wrapped",
            vectors::php_demo_indented(&vectors::percent_encoded(data)),
            "percent-encoded",
        ),
    ] {
        let v = official_sample_as(text);
        let (status, json) = v.decrypt(v.appid.as_ptr());
        assert_eq!(status, werun_status::WERUN_ERR_INVALID_ARGUMENT, "{form}");
        assert!(json.is_null(), "{form}");
        assert!(last_error().contains(cause), "{form}: {}", last_error());
        assert!(!last_error().contains(&official.session_key), "{form}");
    }
}

/// Padding to 32-byte blocks (wechatpy's) or larger is refused, as WeChat's
/// own decryptors refuse it, but named by its length, not blamed on the
/// session key; padding to 16-byte blocks, sealed the same way, opens.
#[test]
fn padding_over_one_block_is_refused_naming_its_length_not_the_key() {
    let official = vectors::official_sample();
    let (data, padding) = vectors::official_sample_padded_to(16);
    assert!(padding <= 16);
    let v = official_sample_as(data);
    let (status, json) = v.decrypt(v.appid.as_ptr());
    assert_eq!(status, werun_status::WERUN_OK, "{}", last_error());
    assert_eq!(take_string(json), official.plaintext.as_deref().unwrap());

    for block in [32, 48] {
        let (data, padding) = vectors::official_sample_padded_to(block);
        assert!(padding > 16, "the sample pads past one block: {padding}");
        let v = official_sample_as(data);
        let (status, json) = v.decrypt(v.appid.as_ptr());
        assert_eq!(status, werun_status::WERUN_ERR_DECRYPT, "{block}");
        assert!(json.is_null());
        let error = last_error();
        assert!(
            error.contains(&format!("padding after decrypting is {padding} bytes")),
            "{error}"
        );
        assert!(!error.contains("wrong session key"), "{error}");
        assert_eq!(name(v.decrypt_steps().0), "WERUN_ERR_DECRYPT", "{block}");
        assert_eq!(last_error(), error, "{block}: the same sentence");
    }
}

#[test]
fn a_null_appid_skips_the_watermark_check() {
    let v = Vector::named("wrong-appid");
    let (status, json) = v.decrypt(ptr::null());
    assert_eq!(status, werun_status::WERUN_OK, "{}", last_error());
    assert!(take_string(json).starts_with("{\"stepInfoList\""));
}

#[test]
fn encrypt_then_decrypt_round_trips_and_uses_a_fresh_iv() {
    let key = c"tiihtNczf5v6AKRyjwEUhQ==";
    let json = c"{\"stepInfoList\":[],\"watermark\":{\"timestamp\":1,\"appid\":\"wxa\"}}";
    let mut seen_ivs = Vec::new();
    for _ in 0..2 {
        let (data, iv) = encrypt(key, json);
        let mut plaintext = ptr::null_mut();
        // SAFETY: strings werun just returned, still owned here.
        let status = unsafe {
            werun_open_data_decrypt(key.as_ptr(), data, iv, c"wxa".as_ptr(), &mut plaintext)
        };
        assert_eq!(status, werun_status::WERUN_OK, "{}", last_error());
        assert_eq!(take_string(plaintext), json.to_str().unwrap());
        let (mut steps, mut len, mut watermark) = (ptr::null_mut(), 1usize, 0i64);
        // SAFETY: as above.
        let status = unsafe {
            werun_we_run_data_decrypt(
                key.as_ptr(),
                data,
                iv,
                c"wxa".as_ptr(),
                &mut steps,
                &mut len,
                &mut watermark,
            )
        };
        assert_eq!(status, werun_status::WERUN_OK, "{}", last_error());
        assert_eq!(
            (steps, len, watermark),
            (ptr::null_mut(), 0, 1),
            "an empty list is NULL and 0"
        );
        // SAFETY: freeing NULL with 0 is allowed.
        unsafe { werun_steps_free(steps, len) };
        take_string(data);
        seen_ivs.push(take_string(iv));
    }
    assert_ne!(seen_ivs[0], seen_ivs[1]);
}

#[test]
fn encrypt_refuses_text_that_is_not_json() {
    let (mut data, mut iv) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY: valid C strings and writable out-params.
    let status = unsafe {
        werun_open_data_encrypt(
            c"tiihtNczf5v6AKRyjwEUhQ==".as_ptr(),
            c"{oops".as_ptr(),
            &mut data,
            &mut iv,
        )
    };
    assert_eq!(status, werun_status::WERUN_ERR_INVALID_ARGUMENT);
    assert!(data.is_null() && iv.is_null());
    assert!(last_error().contains("not valid JSON"), "{}", last_error());
}
