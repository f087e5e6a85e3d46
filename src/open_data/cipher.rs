//! AES-128-CBC with PKCS#7 under a session key.

use aes::Aes128;
use cbc::cipher::block_padding::{NoPadding, Pkcs7};
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use std::fmt;
use zeroize::Zeroizing;

use super::base64_field::{decode_field, encode};
use super::error::{Error, ErrorKind};

/// A sealed payload as a mini program receives it: `encryptedData`, `iv` and,
/// when the host relayed one, `cloudID`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    pub encrypted_data: String,
    pub iv: String,
    pub cloud_id: Option<String>,
}

const BLOCK: usize = 16;

/// A 16-byte session key. Zeroized on drop; `Debug` never shows it.
///
/// The bytes live in one heap cell that never moves: moving a `SessionKey`
/// (into a session, out of it on logout) moves only the pointer, so no stale
/// copy of the key is left behind where it was, and the cell is zeroized
/// before it is freed.
#[derive(Clone)]
pub struct SessionKey(Box<Zeroizing<[u8; BLOCK]>>);

impl SessionKey {
    /// Decodes a base64 session key. The error describes the problem without
    /// quoting the key; it names the field ("session_key …").
    pub fn from_base64(text: &str) -> Result<SessionKey, String> {
        let bytes = Zeroizing::new(decode_field("session_key", text)?);
        if bytes.len() != BLOCK {
            return Err(format!(
                "session_key decodes to {} bytes; a session key is 16 bytes (AES-128)",
                bytes.len()
            ));
        }
        let mut key = SessionKey(Box::new(Zeroizing::new([0; BLOCK])));
        key.0.copy_from_slice(&bytes);
        Ok(key)
    }

    pub fn from_bytes(bytes: [u8; BLOCK]) -> SessionKey {
        SessionKey(Box::new(Zeroizing::new(bytes)))
    }
}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKey(<redacted>)")
    }
}

/// Seals `plaintext` under `key` with a fresh IV from the OS's CSPRNG.
pub fn seal(key: &SessionKey, plaintext: &[u8]) -> Result<Sealed, Error> {
    let mut iv = [0u8; BLOCK];
    getrandom::fill(&mut iv).map_err(|e| {
        Error::new(
            ErrorKind::Random,
            format!("the operating system's random number generator failed: {e}"),
        )
    })?;
    let ciphertext = cbc::Encryptor::<Aes128>::new((&**key.0).into(), &iv.into())
        .encrypt_padded_vec::<Pkcs7>(plaintext);
    Ok(Sealed {
        encrypted_data: encode(&ciphertext),
        iv: encode(&iv),
        cloud_id: None,
    })
}

/// Decrypts `buffer` (whole blocks: see `check_ciphertext_len`) in place and
/// returns the plaintext's length (the padding removed) at its start.
pub(crate) fn open_in_place(
    key: &SessionKey,
    iv: &[u8; BLOCK],
    buffer: &mut [u8],
) -> Result<usize, Error> {
    let plaintext = cbc::Decryptor::<Aes128>::new((&**key.0).into(), iv.into())
        .decrypt_padded::<NoPadding>(buffer)
        .map_err(|_| Error::invalid_argument("encrypted data is not whole AES blocks"))?;
    unpadded_len(plaintext)
}

/// The length of `plaintext` without its PKCS#7 padding: `n` bytes of value
/// `n`, each checked, `n` at most one block, as WeChat pads open data and as
/// its own Node and PHP decryptors (OpenSSL) require.
///
/// Well-formed padding over a block (wechatpy's `PKCS7Encoder` pads to
/// 32-byte blocks) is refused too, but named: no wrong key gives that many
/// equal bytes, so the key is not blamed.
fn unpadded_len(plaintext: &[u8]) -> Result<usize, Error> {
    let padding = usize::from(plaintext.last().copied().unwrap_or(0));
    let well_formed = padding != 0
        && padding <= plaintext.len()
        && plaintext[plaintext.len() - padding..]
            .iter()
            .all(|&byte| usize::from(byte) == padding);
    if !well_formed && looks_cut_text(plaintext) {
        return Err(Error::new(
            ErrorKind::Decrypt,
            format!(
                "the data decrypts to JSON text that stops without PKCS#7 padding after {} bytes: the session key is right, but the encrypted data looks truncated (cut on a {BLOCK}-byte block boundary)",
                plaintext.len()
            ),
        ));
    }
    if !well_formed {
        return Err(Error::new(
            ErrorKind::Decrypt,
            "bad padding after decrypting: usually a stale or wrong session key (call login again before getWeRunData) or a wrong iv",
        ));
    }
    if padding > BLOCK {
        return Err(Error::new(
            ErrorKind::Decrypt,
            format!(
                "the PKCS#7 padding after decrypting is {padding} bytes, more than one {BLOCK}-byte block: the session key is right, but the payload was padded to larger blocks (wechatpy's PKCS7Encoder pads to 32); WeChat pads open data to 16-byte blocks, and its own Node and PHP decryptors refuse this too"
            ),
        ));
    }
    Ok(plaintext.len() - padding)
}

/// Decrypted bytes that read as the start of a JSON object: '{', then UTF-8
/// text (a character cut at the very end allowed) with no control character
/// but tab and line breaks. A wrong key makes every block noise, and a wrong
/// iv the first; either is all but certain to fail this, while text cut
/// after whole blocks passes it.
fn looks_cut_text(plaintext: &[u8]) -> bool {
    let text = match std::str::from_utf8(plaintext) {
        Ok(text) => text,
        // Only the last character is incomplete: the cut went through it.
        Err(error) if error.error_len().is_none() => {
            std::str::from_utf8(&plaintext[..error.valid_up_to()]).unwrap_or("")
        }
        Err(_) => return false,
    };
    text.len() >= BLOCK
        && text.starts_with('{')
        && !text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

pub(crate) fn check_ciphertext_len(ciphertext: &[u8]) -> Result<(), String> {
    if ciphertext.is_empty() || ciphertext.len() % BLOCK != 0 {
        return Err(format!(
            "encrypted data decodes to {} bytes; AES-CBC ciphertext is a positive multiple of 16 (truncated?)",
            ciphertext.len()
        ));
    }
    Ok(())
}

pub(crate) fn check_iv_len(iv: &[u8]) -> Result<[u8; BLOCK], String> {
    iv.try_into()
        .map_err(|_| format!("iv decodes to {} bytes; an iv is 16 bytes", iv.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_open_gives_back_the_plaintext() {
        let key = SessionKey::from_bytes([7; 16]);
        let sealed = seal(&key, b"{\"a\":1}").unwrap();
        let iv = check_iv_len(&decode_field("iv", &sealed.iv).unwrap()).unwrap();
        let mut buffer = decode_field("encryptedData", &sealed.encrypted_data).unwrap();
        let len = open_in_place(&key, &iv, &mut buffer).unwrap();
        assert_eq!(&buffer[..len], b"{\"a\":1}");
    }

    #[test]
    fn text_cut_on_a_block_boundary_is_named_truncated_not_a_wrong_key() {
        let key = SessionKey::from_bytes([7; 16]);
        // 3-byte characters, so that some cuts split one.
        let text = r#"{"stepInfoList":[{"timestamp":1445866601,"step":100}],"watermark":{"appid":"wx微信运动"}}"#;
        let sealed = seal(&key, text.as_bytes()).unwrap();
        let iv = check_iv_len(&decode_field("iv", &sealed.iv).unwrap()).unwrap();
        let whole = decode_field("encryptedData", &sealed.encrypted_data).unwrap();
        for blocks in 1..whole.len() / BLOCK {
            let mut cut = whole[..blocks * BLOCK].to_vec();
            let error = open_in_place(&key, &iv, &mut cut).unwrap_err();
            assert_eq!(error.kind, ErrorKind::Decrypt);
            assert!(
                error.message.contains("looks truncated")
                    && error
                        .message
                        .contains(&format!("after {} bytes", blocks * BLOCK)),
                "{blocks} blocks: {}",
                error.message
            );
        }
        // A wrong key is still blamed on the key.
        for wrong in 0..32u8 {
            let mut buffer = whole.clone();
            let wrong_key = SessionKey::from_bytes([wrong.wrapping_add(8); 16]);
            if let Err(error) = open_in_place(&wrong_key, &iv, &mut buffer) {
                assert!(!error.message.contains("truncated"), "{}", error.message);
            }
        }
    }

    /// `plaintext` followed by `padding` bytes of value `padding`, sealed
    /// under `key` and a zero iv, as a padder with larger blocks seals it.
    fn sealed_with_padding(key: &SessionKey, plaintext: &[u8], padding: u8) -> Vec<u8> {
        let mut buffer = plaintext.to_vec();
        buffer.resize(plaintext.len() + usize::from(padding), padding);
        let len = buffer.len();
        cbc::Encryptor::<Aes128>::new((&**key.0).into(), &[0; BLOCK].into())
            .encrypt_padded::<NoPadding>(&mut buffer, len)
            .unwrap();
        buffer
    }

    #[test]
    fn padding_over_one_block_is_refused_and_named_not_blamed_on_the_key() {
        let key = SessionKey::from_bytes([7; 16]);
        let open = |mut buffer: Vec<u8>| {
            open_in_place(&key, &[0; BLOCK], &mut buffer).map(|len| buffer[..len].to_vec())
        };
        // 12 bytes of text: 4 bytes of padding for 16-byte blocks, 20 for
        // 32-byte blocks (wechatpy's), 36 and 52 for 48- and 64-byte ones.
        let text = b"{\"a\":123456}";
        assert_eq!(text.len(), 12);
        assert_eq!(open(sealed_with_padding(&key, text, 4)).unwrap(), text);
        for padding in [20u8, 36, 52] {
            let error = open(sealed_with_padding(&key, text, padding)).unwrap_err();
            assert_eq!(error.kind, ErrorKind::Decrypt);
            assert!(
                error
                    .message
                    .contains(&format!("padding after decrypting is {padding} bytes")),
                "{}",
                error.message
            );
            assert!(
                !error.message.contains("wrong session key"),
                "{}",
                error.message
            );
        }
        // One padding byte off: not padding, so most likely the wrong key.
        let mut forged = text.to_vec();
        forged.extend_from_slice(&[20; 19]);
        forged.push(19);
        let error = open(sealed_with_padding(&key, &forged, 0)).unwrap_err();
        assert!(
            error.message.contains("wrong session key"),
            "{}",
            error.message
        );
    }

    #[test]
    fn debug_output_never_shows_the_key() {
        let key = SessionKey::from_base64("tiihtNczf5v6AKRyjwEUhQ==").unwrap();
        let shown = format!("{key:?}");
        assert!(!shown.contains("tiih"));
        assert!(!shown.contains("182")); // first key byte in decimal
    }

    #[test]
    fn a_key_of_the_wrong_length_is_described_not_quoted() {
        let err = SessionKey::from_base64("mAcg9IKnc30aCgz5csVb41WDZeTSR70V").unwrap_err();
        assert!(err.contains("24 bytes"), "{err}");
        assert!(!err.contains("mAcg"), "{err}");
    }
}
