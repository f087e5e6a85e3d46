//! The C-string boundary: arbitrary bytes, NUL-terminated, into the extern
//! fns that take strings. The first byte picks the function, the rest splits
//! at NUL bytes into its string arguments (any bytes, UTF-8 or not). Oracle:
//! no crash; only the statuses the header documents for that function; a
//! sentence in werun_last_error() for every non-OK; every output freed.
#![no_main]

use std::ffi::{CStr, CString, c_char};
use std::ptr;

use libfuzzer_sys::fuzz_target;
use werun::ffi::werun_status::{self, *};
use werun::ffi::*;

fn check(status: werun_status, allowed: &[werun_status]) {
    assert!(allowed.contains(&status), "{status:?} is not documented here");
    if status != WERUN_OK {
        // SAFETY: werun_last_error always returns a valid string.
        let sentence = unsafe { CStr::from_ptr(werun_last_error()) };
        assert!(!sentence.to_bytes().is_empty(), "{status:?} without a sentence");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let strings: Vec<CString> = rest.split(|&byte| byte == 0).take(4).map(|s| CString::new(s).unwrap()).collect();
    let arg = |i: usize| strings.get(i).map_or(ptr::null(), |s| s.as_ptr());
    let optional = |i: usize| if strings.len() > i { arg(i) } else { ptr::null::<c_char>() };

    // SAFETY: every pointer is NULL or a NUL-terminated string that outlives
    // the call; every out-param is writable; every output is freed once.
    unsafe {
        match selector % 6 {
            0 => {
                let mut ctx = ptr::null_mut();
                let status = werun_context_new(arg(0), &mut ctx);
                check(status, &[WERUN_OK, WERUN_ERR_NULL_ARGUMENT, WERUN_ERR_INVALID_ARGUMENT]);
                werun_context_free(ctx);
            }
            1 => {
                let mut json = ptr::null_mut();
                let status = werun_open_data_decrypt(arg(0), arg(1), arg(2), optional(3), &mut json);
                check(status, &[
                    WERUN_OK,
                    WERUN_ERR_NULL_ARGUMENT,
                    WERUN_ERR_INVALID_ARGUMENT,
                    WERUN_ERR_DECRYPT,
                    WERUN_ERR_WATERMARK,
                ]);
                werun_string_free(json);
            }
            2 => {
                let (mut steps, mut len, mut timestamp) = (ptr::null_mut(), 0, 0);
                let status = werun_we_run_data_decrypt(arg(0), arg(1), arg(2), arg(3), &mut steps, &mut len, &mut timestamp);
                check(status, &[
                    WERUN_OK,
                    WERUN_ERR_NULL_ARGUMENT,
                    WERUN_ERR_INVALID_ARGUMENT,
                    WERUN_ERR_DECRYPT,
                    WERUN_ERR_WATERMARK,
                    WERUN_ERR_INVALID_DATA,
                ]);
                werun_steps_free(steps, len);
            }
            3 => {
                let (mut sealed, mut iv) = (ptr::null_mut(), ptr::null_mut());
                let status = werun_open_data_encrypt(arg(0), arg(1), &mut sealed, &mut iv);
                check(status, &[WERUN_OK, WERUN_ERR_NULL_ARGUMENT, WERUN_ERR_INVALID_ARGUMENT]);
                werun_string_free(sealed);
                werun_string_free(iv);
            }
            4 => {
                // No request is pending in this process, so any id is stale,
                // unless the strings are unusable first.
                let request = u64::from(selector);
                let status = werun_request_answer_login(request, arg(0), optional(1), 0);
                check(status, &[WERUN_ERR_NULL_ARGUMENT, WERUN_ERR_INVALID_ARGUMENT, WERUN_ERR_STALE_REQUEST]);
                let status = werun_request_answer_sealed(request, arg(0), arg(1), optional(2));
                check(status, &[WERUN_ERR_NULL_ARGUMENT, WERUN_ERR_INVALID_ARGUMENT, WERUN_ERR_STALE_REQUEST]);
            }
            _ => {
                let status = werun_request_fail(u64::from(selector), WERUN_ERR_HOST as u32, optional(0));
                check(status, &[WERUN_ERR_INVALID_ARGUMENT, WERUN_ERR_STALE_REQUEST]);
            }
        }
    }
});
