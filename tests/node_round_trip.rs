//! What the core seals through the C ABI decrypts in Node with `node:crypto`,
//! following WeChat's published algorithm: the app's backend needs no werun.

use std::ffi::{CStr, c_void};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Mutex;

use serde_json::{Value, json};
use werun::ffi::*;

const APPID: &CStr = c"wx9c1951875b6dc967";
const SESSION_KEY: &CStr = c"CAhsXN7MvEhLFyovz1GhLg==";

/// Answers every hook synchronously from inside the hook.
unsafe extern "C" fn login(_: *mut c_void, request: u64) {
    // SAFETY: valid C strings.
    let status = unsafe {
        werun_request_answer_login(request, c"081code".as_ptr(), SESSION_KEY.as_ptr(), 0)
    };
    assert_eq!(status, werun_status::WERUN_OK);
}

unsafe extern "C" fn get_steps(host_data: *mut c_void, request: u64) {
    // SAFETY: host_data is the `Vec<werun_step>` set up by the test.
    let steps = unsafe { &*(host_data as *const Vec<werun_step>) };
    // SAFETY: `steps` holds `len` samples.
    let status = unsafe { werun_request_answer_steps(request, steps.as_ptr(), steps.len()) };
    assert_eq!(status, werun_status::WERUN_OK);
}

unsafe extern "C" fn keep_result(user_data: *mut c_void, result: *const werun_result) {
    // SAFETY: user_data is the test's Mutex; result is valid during the callback.
    let (slot, result) = unsafe { (&*(user_data as *const Mutex<Option<Value>>), &*result) };
    let text = |p: *const std::ffi::c_char| {
        // SAFETY: werun's strings are valid during the callback.
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned())
    };
    *slot.lock().unwrap() = Some(json!({
        "errMsg": text(result.err_msg),
        "encryptedData": text(result.encrypted_data),
        "iv": text(result.iv),
    }));
}

fn call(
    start: unsafe extern "C" fn(
        *mut werun_context,
        *const werun_callbacks,
        *mut u64,
    ) -> werun_status,
    ctx: *mut werun_context,
) -> Value {
    let slot = Mutex::new(None);
    let callbacks = werun_callbacks {
        user_data: &slot as *const _ as *mut c_void,
        success: Some(keep_result),
        fail: Some(keep_result),
        complete: None,
    };
    // SAFETY: a live context and callbacks that outlive the synchronous call.
    assert_eq!(
        unsafe { start(ctx, &callbacks, std::ptr::null_mut()) },
        werun_status::WERUN_OK
    );
    slot.into_inner()
        .unwrap()
        .expect("the host answers synchronously")
}

#[test]
fn node_crypto_decrypts_what_werun_sealed_with_wechats_algorithm() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let steps: Vec<werun_step> = (0..31)
        .map(|days_ago| werun_step {
            timestamp: now - days_ago * 86_400,
            step: 1000 + days_ago,
        })
        .collect();
    let mut ctx = std::ptr::null_mut();
    // SAFETY: a valid C string and out-param.
    assert_eq!(
        unsafe { werun_context_new(APPID.as_ptr(), &mut ctx) },
        werun_status::WERUN_OK
    );
    let host = werun_host {
        host_data: &steps as *const _ as *mut c_void,
        login: Some(login),
        authorize: None,
        get_steps: Some(get_steps),
        authorization_changed: None,
        release: None,
    };
    // SAFETY: ctx is live; host is copied.
    assert_eq!(
        unsafe { werun_context_set_host(ctx, &host) },
        werun_status::WERUN_OK
    );
    assert_eq!(call(werun_login, ctx)["errMsg"], "login:ok");
    let sealed = call(werun_get_we_run_data, ctx);
    assert_eq!(sealed["errMsg"], "getWeRunData:ok");
    // SAFETY: ctx is live and freed once.
    unsafe { werun_context_free(ctx) };

    let input = json!({
        "sessionKey": SESSION_KEY.to_str().unwrap(),
        "encryptedData": sealed["encryptedData"],
        "iv": sealed["iv"],
        "appid": APPID.to_str().unwrap(),
    });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/node/wechat_decrypt.mjs");
    let mut node = Command::new("node")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running node (the test command installs Node.js)");
    node.stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let output = node.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "node: {}",
        String::from_utf8_lossy(&output.stderr)
    );

    let decrypted: Value = serde_json::from_slice(&output.stdout).unwrap();
    let list = decrypted["stepInfoList"].as_array().unwrap();
    assert_eq!(list.len(), 31);
    assert_eq!(decrypted["watermark"]["appid"], APPID.to_str().unwrap());
    let got: Vec<i64> = list.iter().map(|d| d["step"].as_i64().unwrap()).collect();
    let expected: Vec<i64> = (0..31).rev().map(|days_ago| 1000 + days_ago).collect();
    assert_eq!(got, expected, "oldest first, one sample per day");
}
