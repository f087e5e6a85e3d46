//! The open-data test vectors (tests/data/open-data.json): WeChat's official
//! sample and generated WeRun payloads, each with the status it expects; and
//! the official sample in the forms backends meet it in (wrapped, indented,
//! URL-mangled, padded to larger blocks).
//!
//! A test file that needs only the vectors includes this file alone:
//!
//! ```ignore
//! #[path = "common/vectors.rs"]
//! mod vectors;
//! ```

use serde_json::Value;

/// One vector, its strings as the file has them.
#[derive(Clone, Debug)]
#[allow(
    dead_code,
    reason = "each test crate reads its own subset of the fields"
)]
pub struct Vector {
    pub name: String,
    pub appid: String,
    pub session_key: String,
    pub iv: String,
    pub encrypted_data: String,
    /// The decrypted text, byte for byte; every OK vector carries one.
    pub plaintext: Option<String>,
    /// The status name `werun_open_data_decrypt` returns.
    pub expect: String,
    /// The status name `werun_we_run_data_decrypt` returns: `expect` unless
    /// the vector says otherwise.
    pub expect_steps: String,
}

/// Every vector, in the file's order.
pub fn all() -> Vec<Vector> {
    let file: Value =
        serde_json::from_str(include_str!("../data/open-data.json")).expect("the vectors are JSON");
    file["cases"]
        .as_array()
        .expect("the vectors' cases")
        .iter()
        .map(|case| {
            let text = |key: &str| case[key].as_str().map(str::to_owned);
            let field = |key: &str| text(key).unwrap_or_else(|| panic!("a vector without {key}"));
            let expect = field("expect");
            Vector {
                name: field("name"),
                appid: field("appid"),
                session_key: field("session_key"),
                iv: field("iv"),
                encrypted_data: field("encrypted_data"),
                plaintext: text("plaintext"),
                expect_steps: text("expect_steps").unwrap_or_else(|| expect.clone()),
                expect,
            }
        })
        .collect()
}

/// The vector named `name`.
pub fn named(name: &str) -> Vector {
    all()
        .into_iter()
        .find(|vector| vector.name == name)
        .unwrap_or_else(|| panic!("no vector named {name}"))
}

/// WeChat's official sample, which the forms below are made from.
#[allow(dead_code, reason = "each test crate uses its own forms")]
pub fn official_sample() -> Vector {
    named("wxbizdatacrypt-official-sample")
}

/// `text` in lines of `width` characters joined by `separator`.
fn wrap(text: &str, width: usize, separator: &str) -> String {
    text.as_bytes()
        .chunks(width)
        .map(|line| std::str::from_utf8(line).expect("base64 is ASCII"))
        .collect::<Vec<_>>()
        .join(separator)
}

/// `text` as MIME wraps base64: lines of 76 characters, each ended by `\r\n`.
#[allow(dead_code, reason = "each test crate uses its own forms")]
pub fn mime_wrapped(text: &str) -> String {
    format!("{}\r\n", wrap(text, 76, "\r\n"))
}

/// `text` as WeChat's PHP demo (demo.php) writes the official sample: lines
/// of 32 characters, each after the first indented by 16 spaces.
#[allow(dead_code, reason = "each test crate uses its own forms")]
pub fn php_demo_indented(text: &str) -> String {
    wrap(text, 32, &format!("\n{}", " ".repeat(16)))
}

/// `text` after a URL or form encoder: '+', '/' and '=' percent-encoded.
#[allow(dead_code, reason = "each test crate uses its own forms")]
pub fn percent_encoded(text: &str) -> String {
    text.replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

/// `text` after a URL decoder: every '+' a ' '.
#[allow(dead_code, reason = "each test crate uses its own forms")]
pub fn url_decoded(text: &str) -> String {
    text.replace('+', " ")
}

/// The official sample's plaintext sealed again under its key and iv, padded
/// with PKCS#7 to `block`-byte blocks (wechatpy's `PKCS7Encoder` pads to 32):
/// the base64 encrypted data, and the padding's length.
#[allow(dead_code, reason = "each test crate uses its own forms")]
pub fn official_sample_padded_to(block: usize) -> (String, usize) {
    use aes::Aes128;
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use cbc::cipher::block_padding::NoPadding;
    use cbc::cipher::{BlockModeEncrypt, KeyIvInit};

    let v = official_sample();
    let key: [u8; 16] = STANDARD.decode(&v.session_key).unwrap().try_into().unwrap();
    let iv: [u8; 16] = STANDARD.decode(&v.iv).unwrap().try_into().unwrap();
    let mut buffer = v.plaintext.expect("the sample's plaintext").into_bytes();
    let padding = block - buffer.len() % block;
    buffer.resize(buffer.len() + padding, u8::try_from(padding).unwrap());
    let len = buffer.len();
    cbc::Encryptor::<Aes128>::new(&key.into(), &iv.into())
        .encrypt_padded::<NoPadding>(&mut buffer, len)
        .unwrap();
    (STANDARD.encode(&buffer), padding)
}
