//! Open data, the backend side: the algorithm of WeChat's published
//! decryption sample, in both directions.

use std::ffi::{CString, c_char};
use std::ptr;

use super::boundary::Error;
use super::boundary::{
    ffi_boundary, ffi_boundary_void, optional_str, required_non_null, required_str,
};
use super::host::werun_step;
use super::status::werun_status;
use crate::open_data;

fn into_c_string(text: String, what: &str) -> Result<*mut c_char, Error> {
    CString::new(text).map(CString::into_raw).map_err(|_| {
        Error::new(
            werun_status::WERUN_ERR_DECRYPT,
            format!("the {what} contains a NUL byte"),
        )
    })
}

/// The decrypt functions' four strings: the session key, the encrypted data
/// and the iv, required; the appid, required when `appid_required`.
///
/// # Safety
/// Each pointer is a C string or NULL.
unsafe fn decrypt_args<'a>(
    session_key: *const c_char,
    encrypted_data: *const c_char,
    iv: *const c_char,
    appid: *const c_char,
    appid_required: bool,
) -> Result<(&'a str, &'a str, &'a str, Option<&'a str>), Error> {
    // SAFETY: per this function's contract.
    unsafe {
        Ok((
            required_str(session_key, "session_key")?,
            required_str(encrypted_data, "encrypted_data")?,
            required_str(iv, "iv")?,
            if appid_required {
                Some(required_str(appid, "appid")?)
            } else {
                optional_str(appid, "appid")?
            },
        ))
    }
}

/// Decrypts with `decrypt` and writes its text to `*json_out`, for the two
/// decrypt functions that return JSON.
///
/// # Safety
/// As for those functions.
unsafe fn decrypt_to_json(
    args: [*const c_char; 4],
    appid_required: bool,
    json_out: *mut *mut c_char,
    decrypt: impl FnOnce(&str, &str, &str, Option<&str>) -> Result<String, open_data::Error>,
) -> werun_status {
    ffi_boundary(|| {
        let [session_key, encrypted_data, iv, appid] = args;
        // SAFETY: the caller passes C strings or NULL.
        let (session_key, encrypted_data, iv, appid) =
            unsafe { decrypt_args(session_key, encrypted_data, iv, appid, appid_required) }?;
        required_non_null(json_out, "json_out")?;
        let json = into_c_string(
            decrypt(session_key, encrypted_data, iv, appid)?,
            "plaintext",
        )?;
        // SAFETY: checked non-NULL; the caller provides a writable slot.
        unsafe { json_out.write(json) };
        Ok(())
    })
}

/// Decrypts open data (AES-128-CBC, PKCS#7, key and iv base64) and writes the
/// plaintext, byte for byte. With a non-NULL `appid`, `watermark.appid` must
/// equal it.
///
/// The base64 strings may be wrapped across lines, as WeChat's samples
/// accept them: line breaks, and the spaces, tabs and CRs at either end of
/// each line, are dropped. PKCS#7 padding over one 16-byte block (wechatpy
/// pads to 32-byte blocks) is refused, as WeChat's own decryptors refuse
/// it, with its length named.
///
/// Ownership: on OK, free `*json_out` with `werun_string_free`.
/// Returns: OK; INVALID_ARGUMENT before decrypting (not standard base64: a
/// space inside a line (URL-decoded), %2B, %2F or %3D (percent-encoded),
/// '-' or '_' (URL-safe); empty, a key or iv that is not 16 bytes, a
/// ciphertext that is not a positive multiple of 16, over 1 MiB, an empty
/// appid or one over 256 bytes); DECRYPT (bad padding, padding over 16
/// bytes, not UTF-8, not JSON); WATERMARK; NULL_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_open_data_decrypt(
    session_key: *const c_char,
    encrypted_data: *const c_char,
    iv: *const c_char,
    appid: *const c_char,
    json_out: *mut *mut c_char,
) -> werun_status {
    // SAFETY: the caller passes C strings or NULL, and a writable slot.
    unsafe {
        decrypt_to_json(
            [session_key, encrypted_data, iv, appid],
            false,
            json_out,
            open_data::decrypt,
        )
    }
}

/// Seals `json` (valid JSON) under `session_key` with a fresh random IV, as
/// WeChat does; for backend test fixtures.
///
/// Ownership: on OK, free both outputs with `werun_string_free`.
/// Returns: OK, NULL_ARGUMENT, INVALID_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_open_data_encrypt(
    session_key: *const c_char,
    json: *const c_char,
    encrypted_data_out: *mut *mut c_char,
    iv_out: *mut *mut c_char,
) -> werun_status {
    ffi_boundary(|| {
        // SAFETY: the caller passes C strings or NULL.
        let (session_key, json) = unsafe {
            (
                required_str(session_key, "session_key")?,
                required_str(json, "json")?,
            )
        };
        required_non_null(encrypted_data_out, "encrypted_data_out")?;
        required_non_null(iv_out, "iv_out")?;
        let sealed = open_data::encrypt(session_key, json)?;
        let encrypted_data = into_c_string(sealed.encrypted_data, "encrypted data")?;
        let iv = into_c_string(sealed.iv, "iv")?;
        // SAFETY: both checked non-NULL; the caller provides writable slots.
        unsafe {
            encrypted_data_out.write(encrypted_data);
            iv_out.write(iv);
        }
        Ok(())
    })
}

/// Decrypts a WeRun payload, checks `watermark.appid`, and writes its
/// `stepInfoList` and `watermark.timestamp`. Count and order are not
/// enforced, because the payload may come from WeChat itself.
///
/// Ownership: on OK, free `*steps_out` with `werun_steps_free(*steps_out,
/// *len_out)`. An empty list gives NULL and 0.
/// Returns: as `werun_open_data_decrypt`, plus INVALID_DATA when
/// `stepInfoList` is missing or not an array of objects with an integer
/// `timestamp` and a non-negative integer `step`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_we_run_data_decrypt(
    session_key: *const c_char,
    encrypted_data: *const c_char,
    iv: *const c_char,
    appid: *const c_char,
    steps_out: *mut *mut werun_step,
    len_out: *mut usize,
    watermark_timestamp_out: *mut i64,
) -> werun_status {
    ffi_boundary(|| {
        // SAFETY: the caller passes C strings or NULL.
        let (session_key, encrypted_data, iv, appid) =
            unsafe { decrypt_args(session_key, encrypted_data, iv, appid, true) }?;
        let appid = appid.unwrap_or_default();
        required_non_null(steps_out, "steps_out")?;
        required_non_null(len_out, "len_out")?;
        required_non_null(watermark_timestamp_out, "watermark_timestamp_out")?;
        let data = open_data::decrypt_we_run_data(session_key, encrypted_data, iv, appid)?;
        let len = data.step_info_list.len();
        let steps = if len == 0 {
            ptr::null_mut()
        } else {
            let steps: Box<[werun_step]> = data
                .step_info_list
                .iter()
                .map(|info| werun_step {
                    timestamp: info.timestamp,
                    step: info.step,
                })
                .collect();
            Box::into_raw(steps).cast::<werun_step>()
        };
        // SAFETY: all checked non-NULL; the caller provides writable slots.
        unsafe {
            steps_out.write(steps);
            len_out.write(len);
            watermark_timestamp_out.write(data.watermark_timestamp);
        }
        Ok(())
    })
}

/// Decrypts a WeRun payload, checks it as `werun_we_run_data_decrypt` does,
/// and writes it as the compact JSON WeChat seals:
/// `{"stepInfoList":[{"timestamp":…,"step":…},…],"watermark":{"timestamp":…,"appid":"…"}}`.
/// A payload already in that form, as WeChat's and werun's are, comes back
/// byte for byte; any other is written again in it, without unknown fields.
/// For bindings that hand the days to a JSON parser.
///
/// Ownership: on OK, free `*json_out` with `werun_string_free`.
/// Returns: as `werun_we_run_data_decrypt`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_we_run_data_decrypt_json(
    session_key: *const c_char,
    encrypted_data: *const c_char,
    iv: *const c_char,
    appid: *const c_char,
    json_out: *mut *mut c_char,
) -> werun_status {
    // SAFETY: the caller passes C strings or NULL, and a writable slot.
    unsafe {
        decrypt_to_json(
            [session_key, encrypted_data, iv, appid],
            true,
            json_out,
            |key, data, iv, appid| {
                open_data::decrypt_we_run_data_json(key, data, iv, appid.unwrap_or_default())
            },
        )
    }
}

/// Frees a string werun returned. NULL does nothing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_string_free(s: *mut c_char) {
    ffi_boundary_void(|| {
        if !s.is_null() {
            // SAFETY: a non-NULL s came from werun and is freed once.
            drop(unsafe { CString::from_raw(s) });
        }
    });
}

/// Frees steps from `werun_we_run_data_decrypt`, with the length it gave.
/// NULL does nothing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_steps_free(steps: *mut werun_step, len: usize) {
    ffi_boundary_void(|| {
        if !steps.is_null() {
            // SAFETY: steps and len came from werun_we_run_data_decrypt, freed once.
            drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(steps, len)) });
        }
    });
}
