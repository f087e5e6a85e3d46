//! Strict standard base64 for the open-data fields, with errors that name the
//! field and the usual cause.

use super::cipher::MAX_ENCODED_LEN;

pub(crate) fn encode(bytes: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(bytes)
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
    base64_simd::STANDARD.decode_to_vec(text).map_err(|_| {
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

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use proptest::prelude::*;

    #[test]
    fn only_canonical_padded_base64_decodes() {
        assert_eq!(decode_field("f", "QQ==").unwrap(), b"A");
        for text in [
            "QR==", "QQ=", "QQ", "QQ===", "Q===", "QQ==QQ==", "QQ\n==", "-_8=",
        ] {
            assert!(decode_field("f", text).is_err(), "{text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// The SIMD decoder accepts exactly what the `base64` crate's strict
        /// standard engine accepts, with the same bytes, and encodes alike.
        #[test]
        fn decoding_agrees_with_the_base64_crate(
            text in prop_oneof![
                "[A-Za-z0-9+/=]{0,40}",
                "[A-Za-z0-9+/]{0,40}={0,3}",
                prop::collection::vec(any::<u8>(), 0..40).prop_map(|bytes| STANDARD.encode(bytes)),
                "[A-Za-z0-9+/= \\-_\r\n%]{1,40}",
            ],
        ) {
            let ours = if text.is_empty() { None } else { decode_field("f", &text).ok() };
            let theirs = if text.is_empty() { None } else { STANDARD.decode(&text).ok() };
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn encoding_agrees_with_the_base64_crate(bytes in prop::collection::vec(any::<u8>(), 0..100)) {
            prop_assert_eq!(encode(&bytes), STANDARD.encode(&bytes));
        }
    }
}
