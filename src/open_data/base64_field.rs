//! Strict standard base64 for the open-data fields, with errors that name the
//! field and the usual cause.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::cipher::MAX_ENCODED_LEN;

pub(crate) fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes standard padded base64. The error is a sentence naming `field`.
///
/// It never quotes the input, because the input may be a session key.
pub(crate) fn decode_field(field: &str, text: &str) -> Result<Vec<u8>, String> {
    if text.is_empty() {
        return Err(format!("{field} is empty"));
    }
    if text.len() > MAX_ENCODED_LEN {
        return Err(format!(
            "{field} is {} bytes; the limit is {MAX_ENCODED_LEN}",
            text.len()
        ));
    }
    STANDARD.decode(text).map_err(|_| {
        if text.contains(' ') {
            format!(
                "{field} is not standard base64: it contains ' ' where base64 has '+', so it looks URL-decoded; pass the original string, or replace ' ' with '+'"
            )
        } else if text.contains(['-', '_']) {
            format!("{field} is not standard base64: it contains '-' or '_', so it looks URL-safe base64")
        } else {
            format!("{field} is not standard padded base64")
        }
    })
}
