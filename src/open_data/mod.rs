//! WeChat's open-data algorithm: AES-128-CBC with PKCS#7 padding, key =
//! base64-decoded session key, iv = base64-decoded iv, both 16 bytes, and
//! standard padded base64 on the wire. Backends decrypt with WeChat's
//! published sample; this module is the same algorithm in both directions,
//! and lays a host's raw step samples into the 31-day window WeChat seals.
//!
//! Decrypting reads its inputs as the samples' decoders do: base64 may be
//! wrapped across lines (line breaks, and the blanks at either end of each
//! line, are dropped). A blank inside a line, percent- or URL-safe
//! encoding, and PKCS#7 padding over one block (wechatpy pads to 32-byte
//! blocks) are refused, each with its cause.

mod base64_field;
mod cipher;
mod error;
mod step_window;
mod we_run;

pub use base64_field::MAX_ENCODED_LEN;
pub use cipher::{Sealed, SessionKey, seal};
pub use error::{Error, ErrorKind};
pub use step_window::{
    MAX_DAY_TOTAL, MAX_SAMPLES, StepSample, StepWindowPlaintext, WINDOW_DAYS, normalize_step_window,
};
pub use we_run::{StepInfo, WeRunData, we_run_plaintext};

/// The longest appid werun accepts anywhere: far above WeChat's 18 bytes,
/// and what bounds the watermark check.
pub const MAX_APPID_LEN: usize = 256;

/// werun's one rule for an appid, wherever one is passed in: not empty, and
/// at most [`MAX_APPID_LEN`] bytes. `if_empty` is the sentence for an empty one.
pub fn check_appid(appid: &str, if_empty: &str) -> Result<(), Error> {
    if appid.is_empty() {
        return Err(Error::invalid_argument(if_empty));
    }
    if appid.len() > MAX_APPID_LEN {
        return Err(Error::invalid_argument(format!(
            "appid is {} bytes; the limit is {MAX_APPID_LEN}",
            appid.len()
        )));
    }
    Ok(())
}
use base64_field::{decode_canonical_field, decode_field};
use cipher::open_in_place;

/// Decrypts open data exactly as WeChat's sample does and returns the
/// plaintext byte for byte. With `appid`, `watermark.appid` must equal it.
/// The base64 inputs may be wrapped across lines (see the module's docs).
///
/// Errors: `InvalidArgument` for inputs that are malformed before decrypting,
/// `Decrypt` for garbage after decrypting (or padding over one block),
/// `Watermark` for an appid mismatch.
pub fn decrypt(
    session_key: &str,
    encrypted_data: &str,
    iv: &str,
    appid: Option<&str>,
) -> Result<String, Error> {
    if let Some(appid) = appid {
        check_appid_argument(appid)?;
    }
    let plaintext = open_text(session_key, encrypted_data, iv)?;
    // JSON whose watermark matches, checked without building a tree; any
    // other text takes the general path, whose errors say what is wrong.
    if we_run::has_watermark(&plaintext, appid) {
        return Ok(plaintext);
    }
    let json = parse_json(&plaintext)?;
    if let Some(appid) = appid {
        check_watermark(&json, appid)?;
    }
    Ok(plaintext)
}

/// Seals `json` under `session_key` with a fresh random IV.
pub fn encrypt(session_key: &str, json: &str) -> Result<Sealed, Error> {
    let key = SessionKey::from_base64(session_key).map_err(Error::invalid_argument)?;
    if json.len() > MAX_ENCODED_LEN {
        return Err(Error::invalid_argument(format!(
            "json is {} bytes; the limit is {MAX_ENCODED_LEN}",
            json.len()
        )));
    }
    // Validated without building a tree: only the verdict is needed.
    serde_json::from_str::<serde::de::IgnoredAny>(json)
        .map_err(|e| Error::invalid_argument(format!("json is not valid JSON: {e}")))?;
    seal(&key, json.as_bytes())
}

/// Decrypts a WeRun payload and returns its `stepInfoList` and watermark time.
///
/// Count and order are not enforced, because the payload may come from
/// WeChat itself. `InvalidData` when `stepInfoList` is missing or malformed.
pub fn decrypt_we_run_data(
    session_key: &str,
    encrypted_data: &str,
    iv: &str,
    appid: &str,
) -> Result<WeRunData, Error> {
    check_appid_argument(appid)?;
    let plaintext = open_text(session_key, encrypted_data, iv)?;
    read_we_run_data(&plaintext, appid)
}

/// Decrypts a WeRun payload, checks it as [`decrypt_we_run_data`] does, and
/// returns it as the compact JSON WeChat seals (`stepInfoList`, then
/// `watermark` with `timestamp` and `appid`): the plaintext itself when it is
/// already in that form, as WeChat's and werun's are, else the same data
/// written again, without unknown fields.
pub fn decrypt_we_run_data_json(
    session_key: &str,
    encrypted_data: &str,
    iv: &str,
    appid: &str,
) -> Result<String, Error> {
    check_appid_argument(appid)?;
    let plaintext = open_text(session_key, encrypted_data, iv)?;
    if we_run::read_compact(&plaintext, appid).is_some() {
        return Ok(plaintext);
    }
    let data = read_we_run_data(&plaintext, appid)?;
    Ok(we_run_plaintext(
        &data.step_info_list,
        data.watermark_timestamp,
        appid,
    ))
}

/// The days and watermark time of a decrypted WeRun payload for `appid`.
fn read_we_run_data(plaintext: &str, appid: &str) -> Result<WeRunData, Error> {
    // The payload as WeChat and werun seal it, read without a parser; then
    // any other well-formed one, read straight into its types; anything else
    // takes the general path below, whose errors say exactly what is wrong.
    if let Some(data) = we_run::read_compact(plaintext, appid) {
        return Ok(data);
    }
    if let Some(data) = we_run::read_well_formed(plaintext, appid) {
        return Ok(data);
    }
    let json = parse_json(plaintext)?;
    let watermark_timestamp = check_watermark(&json, appid)?;
    let step_info_list = we_run::parse_step_info_list(&json)
        .map_err(|detail| Error::new(ErrorKind::InvalidData, detail))?;
    Ok(WeRunData {
        step_info_list,
        watermark_timestamp,
    })
}

/// Checks the shape of an already sealed answer without a key: standard
/// base64 on one line (it is handed on unchanged, so nothing is forgiven), a
/// 16-byte IV, and a ciphertext that is a positive multiple of 16.
pub fn check_sealed_shape(encrypted_data: &str, iv: &str) -> Result<(), String> {
    let ciphertext = decode_canonical_field("encryptedData", encrypted_data)?;
    cipher::check_ciphertext_len(&ciphertext)?;
    let iv = decode_canonical_field("iv", iv)?;
    cipher::check_iv_len(&iv)?;
    Ok(())
}

/// Decrypts to text: the base64 inputs checked, AES-CBC opened, UTF-8 checked.
fn open_text(session_key: &str, encrypted_data: &str, iv: &str) -> Result<String, Error> {
    let key = SessionKey::from_base64(session_key).map_err(Error::invalid_argument)?;
    let mut buffer =
        decode_field("encrypted_data", encrypted_data).map_err(Error::invalid_argument)?;
    cipher::check_ciphertext_len(&buffer).map_err(Error::invalid_argument)?;
    let iv = decode_field("iv", iv).map_err(Error::invalid_argument)?;
    let iv = cipher::check_iv_len(&iv).map_err(Error::invalid_argument)?;
    // Decrypted where it was decoded: the buffer becomes the text.
    let len = open_in_place(&key, &iv, &mut buffer)?;
    buffer.truncate(len);
    String::from_utf8(buffer).map_err(|_| {
        Error::new(
            ErrorKind::Decrypt,
            "the decrypted bytes are not UTF-8: usually a wrong session key or iv",
        )
    })
}

fn parse_json(plaintext: &str) -> Result<serde_json::Value, Error> {
    serde_json::from_str(plaintext).map_err(|e| {
        Error::new(
            ErrorKind::Decrypt,
            format!("the decrypted text is not JSON ({e}): usually a wrong session key or iv"),
        )
    })
}

/// An appid that matches no watermark (empty, or longer than any appid) is
/// refused before decrypting.
fn check_appid_argument(appid: &str) -> Result<(), Error> {
    check_appid(
        appid,
        "appid is empty: pass the mini program's appid (or, for open data, none to skip the watermark check)",
    )
}

fn check_watermark(json: &serde_json::Value, appid: &str) -> Result<i64, Error> {
    let watermark = &json["watermark"];
    match watermark["appid"].as_str() {
        None => Err(Error::new(
            ErrorKind::Watermark,
            "the payload has no watermark.appid string",
        )),
        Some(found) if found != appid && found.len() > MAX_APPID_LEN => Err(Error::new(
            ErrorKind::Watermark,
            format!(
                "watermark.appid is {} bytes long, expected {appid:?}: the payload was sealed for another app",
                found.len()
            ),
        )),
        Some(found) if found != appid => Err(Error::new(
            ErrorKind::Watermark,
            format!(
                "watermark.appid is {found:?}, expected {appid:?}: the payload was sealed for another app"
            ),
        )),
        Some(_) => Ok(watermark["timestamp"].as_i64().unwrap_or(0)),
    }
}
