//! A host's already-sealed getSteps answer, through a real context: the input
//! is `encryptedData`, a newline, then `iv`. Oracle: the answer is accepted
//! exactly when its shape is (standard base64, a 16-byte iv, a ciphertext
//! that is a positive multiple of 16 bytes), and then passed through as is;
//! otherwise the call fails with invalid host data; either way it completes
//! exactly once.
#![no_main]

use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use libfuzzer_sys::fuzz_target;
use werun::core::{Authorization, CallResult, Context, Host, HostAnswer, RequestId, Status, answer};

fn shape_is_valid(encrypted_data: &str, iv: &str) -> bool {
    let within = |text: &str| !text.is_empty() && text.len() <= 1 << 20;
    let data = within(encrypted_data).then(|| STANDARD.decode(encrypted_data).ok()).flatten();
    let iv = within(iv).then(|| STANDARD.decode(iv).ok()).flatten();
    matches!((data, iv), (Some(data), Some(iv)) if !data.is_empty() && data.len() % 16 == 0 && iv.len() == 16)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (encrypted_data, iv) = text.split_once('\n').unwrap_or((&text, ""));

    let requests: Arc<Mutex<Vec<RequestId>>> = Arc::default();
    let context = Context::new("wx4f4bc4dec97d474b").unwrap();
    let seen = requests.clone();
    context.set_host(Some(
        Host::new()
            .with_login(|request| {
                let login = HostAnswer::Login { code: "code", session_key: None, expires_in_s: 0 };
                answer(request, login).unwrap();
            })
            .with_get_steps(move |request| seen.lock().unwrap().push(request)),
    ));
    context.set_authorization(Authorization::Granted);
    context.login(|result| assert!(result.is_ok()));

    let results: Arc<Mutex<Vec<CallResult>>> = Arc::default();
    let sink = results.clone();
    context.get_we_run_data(move |result| sink.lock().unwrap().push(result.clone()));
    let request = requests.lock().unwrap()[0];
    let outcome = answer(request, HostAnswer::Sealed { encrypted_data, iv, cloud_id: None });

    let results = results.lock().unwrap();
    assert_eq!(results.len(), 1, "the call completed exactly once");
    if shape_is_valid(encrypted_data, iv) {
        assert!(outcome.is_ok(), "{outcome:?}");
        let sealed = results[0].sealed.as_ref().expect("a success carries the payload");
        assert_eq!((sealed.encrypted_data.as_str(), sealed.iv.as_str()), (encrypted_data, iv));
    } else {
        assert_eq!(outcome.unwrap_err().status, Status::InvalidData);
        assert_eq!(results[0].status, Status::InvalidData);
        assert!(results[0].err_msg.starts_with("getWeRunData:fail invalid host data: sealed answer: "));
    }
});
