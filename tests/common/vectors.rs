//! The open-data test vectors (tests/data/open-data.json): WeChat's official
//! sample and generated WeRun payloads, each with the status it expects.
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
