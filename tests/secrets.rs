//! What werun must never reveal or repeat: the session key in any errMsg,
//! `werun_last_error()` or Debug output, whatever is wrong with it; and an IV,
//! across a large sample of seals.

mod common;

use std::collections::HashSet;
use std::ffi::CString;
use std::ptr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::*;
use werun::core::{Context, Host, HostAnswer, answer};
use werun::open_data::{self, SessionKey};

/// A key whose base64 holds '+' and '/', so URL-decoding and URL-safe
/// mangling change it.
const KEY: &str = "++8+kXq//gxV1/Ooa/viGQ==";

/// Every way to see the key in a text: its base64 (any 8 characters of it in
/// a row), and its bytes in hex or as decimal numbers.
fn reveals_key(text: &str) -> bool {
    let base64 = KEY.trim_end_matches('=');
    let runs = (0..=base64.len() - 8).map(|start| &base64[start..start + 8]);
    let bytes = STANDARD.decode(KEY).unwrap();
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    let decimal = format!("{:?}", bytes);
    runs.into_iter().any(|run| text.contains(run))
        || text.to_lowercase().contains(&hex[..16])
        || text.contains(&decimal[1..decimal.len() / 2])
}

/// The key, mangled the ways keys get mangled on their way to a backend.
fn broken_keys() -> Vec<(&'static str, String)> {
    vec![
        ("URL-decoded", KEY.replace('+', " ")),
        (
            "URL-decoded and wrapped",
            format!("{}\r\n  {}", &KEY[..12], &KEY[12..]).replace('+', " "),
        ),
        (
            "percent-encoded",
            KEY.replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D"),
        ),
        ("URL-safe", KEY.replace('+', "-").replace('/', "_")),
        ("unpadded", KEY.trim_end_matches('=').to_owned()),
        ("truncated", KEY[..20].to_owned()),
        ("too long", format!("{}AAAA", KEY.trim_end_matches('='))),
        ("two keys", format!("{KEY}{KEY}")),
        ("with a stray byte", format!("{KEY}!")),
    ]
}

#[track_caller]
fn assert_hidden(what: &str, text: &str) {
    assert!(
        !reveals_key(text),
        "{what} reveals the session key: {text:?}"
    );
}

#[test]
fn the_detector_sees_the_key() {
    assert!(reveals_key(&format!("key {KEY}")));
    assert!(reveals_key("xx8+kXq//gxxx"));
    assert!(!reveals_key("session_key decodes to 19 bytes"));
}

#[test]
fn a_broken_key_in_a_login_answer_is_described_never_quoted() {
    let host = HostState::new();
    let ctx = Ctx::with_host(&host.werun_host(&[Hook::Login]));
    for (how, key) in broken_keys() {
        let recorder = Recorder::new();
        ctx.start(Api::Login, recorder);
        let request = host.last_request(Hook::Login);
        assert_eq!(
            answer_login(request, "code", Some(&key), 0),
            WERUN_ERR_INVALID_DATA,
            "{how}"
        );
        assert_hidden(&format!("werun_last_error for a {how} key"), &last_error());
        let outcome = recorder.outcome();
        assert_eq!(outcome.status, WERUN_ERR_INVALID_DATA as u32, "{how}");
        assert_hidden(&format!("the errMsg for a {how} key"), &outcome.err_msg);
    }
}

#[test]
fn the_decrypt_and_encrypt_helpers_never_quote_a_key() {
    let (encrypted_data, iv) =
        open_data_encrypt(KEY, "{\"watermark\":{\"appid\":\"wx\",\"timestamp\":1}}");
    let mut keys = broken_keys();
    // A well-formed key that is not the one used: a bad-padding failure.
    keys.push(("wrong", OTHER_SESSION_KEY.to_owned()));
    for (how, key) in keys {
        let [key, data, iv_c, appid, json] = [
            key.as_str(),
            encrypted_data.as_str(),
            iv.as_str(),
            APPID,
            "{}",
        ]
        .map(|s| CString::new(s).unwrap());
        let mut out = ptr::null_mut();
        // SAFETY: valid strings and out-params throughout.
        let statuses = unsafe {
            let open = werun_open_data_decrypt(
                key.as_ptr(),
                data.as_ptr(),
                iv_c.as_ptr(),
                appid.as_ptr(),
                &mut out,
            );
            assert_hidden(
                &format!("werun_open_data_decrypt's error for a {how} key"),
                &last_error(),
            );
            let (mut steps, mut len, mut timestamp) = (ptr::null_mut(), 0, 0);
            let steps_status = werun_we_run_data_decrypt(
                key.as_ptr(),
                data.as_ptr(),
                iv_c.as_ptr(),
                appid.as_ptr(),
                &mut steps,
                &mut len,
                &mut timestamp,
            );
            assert_hidden(
                &format!("werun_we_run_data_decrypt's error for a {how} key"),
                &last_error(),
            );
            let (mut sealed, mut sealed_iv) = (ptr::null_mut(), ptr::null_mut());
            let seal =
                werun_open_data_encrypt(key.as_ptr(), json.as_ptr(), &mut sealed, &mut sealed_iv);
            if seal != WERUN_OK {
                assert_hidden(
                    &format!("werun_open_data_encrypt's error for a {how} key"),
                    &last_error(),
                );
            }
            werun_string_free(sealed);
            werun_string_free(sealed_iv);
            [open, steps_status, seal]
        };
        let failed = |status: werun_status| status != WERUN_OK;
        assert!(
            failed(statuses[0]) && failed(statuses[1]),
            "{how}: {statuses:?}"
        );
        if how != "wrong" {
            assert_eq!(statuses[2], WERUN_ERR_INVALID_ARGUMENT, "{how}");
        } else {
            assert_eq!(statuses[2], WERUN_OK, "a well-formed key seals");
        }
    }
}

#[test]
fn debug_output_never_shows_the_key() {
    let key = SessionKey::from_base64(KEY).unwrap();
    assert_hidden("SessionKey's Debug", &format!("{key:?} {key:#?}"));

    let context = Context::new(APPID).unwrap();
    context.set_host(Some(Host::new().with_login(|request| {
        let login = HostAnswer::Login {
            code: "code",
            session_key: Some(KEY),
            expires_in_s: 0,
        };
        answer(request, login).unwrap();
    })));
    context.login(|result| assert!(result.is_ok()));
    assert_hidden("Context's Debug", &format!("{context:?} {context:#?}"));

    for (how, broken) in broken_keys() {
        let error =
            open_data::decrypt(&broken, "AAAAAAAAAAAAAAAAAAAAAA==", ZERO_IV, None).unwrap_err();
        assert_hidden(
            &format!("the Debug of the decrypt error for a {how} key"),
            &format!("{error:?}"),
        );
        assert_hidden(
            &format!("the decrypt error for a {how} key"),
            &error.message,
        );
    }
}

/// IVs come from the OS's CSPRNG, one per seal: in a large sample, none
/// repeats, and each is 16 bytes.
#[test]
fn no_iv_repeats_in_200_000_seals() {
    const SEALS: usize = 200_000;
    let key = CString::new(KEY).unwrap();
    let json = CString::new("{}").unwrap();
    let mut seen = HashSet::with_capacity(SEALS);
    for _ in 0..SEALS {
        let (mut sealed, mut iv) = (ptr::null_mut(), ptr::null_mut());
        // SAFETY: valid strings and out-params; each output is freed once.
        let iv_text = unsafe {
            assert_eq!(
                werun_open_data_encrypt(key.as_ptr(), json.as_ptr(), &mut sealed, &mut iv),
                WERUN_OK
            );
            let text = std::ffi::CStr::from_ptr(iv).to_str().unwrap().to_owned();
            werun_string_free(sealed);
            werun_string_free(iv);
            text
        };
        let iv: [u8; 16] = STANDARD
            .decode(&iv_text)
            .unwrap()
            .try_into()
            .expect("a 16-byte iv");
        assert!(
            seen.insert(iv),
            "the iv {iv_text} repeated after {} seals",
            seen.len()
        );
    }
}
