//! Regression tests for what the fuzz targets found (scripts/fuzz.sh; the
//! inputs are kept in fuzz/regressions/ and seed every fuzz run).

#[path = "common/vectors.rs"]
mod vectors;

use werun::open_data;
use werun::open_data::ErrorKind;

const KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==";
const OTHER_APPID: &str = "wx0000000000000000";

/// WeChat's official sample, sealed for the appid wx4f4bc4dec97d474b.
fn official_sample() -> (String, String) {
    let sample = vectors::named("wxbizdatacrypt-official-sample");
    (sample.encrypted_data, sample.iv)
}

/// open_data_decrypt found that an appid of any length was quoted whole in
/// the watermark error: an unbounded message, which echoed whatever the
/// caller put in the appid (there, the session key). An appid longer than
/// any appid is now refused before decrypting.
#[test]
fn an_appid_over_256_bytes_is_refused_before_decrypting() {
    let (encrypted_data, iv) = official_sample();
    let appid = format!("wx{}", KEY.repeat(12));
    for error in [
        open_data::decrypt(KEY, &encrypted_data, &iv, Some(&appid)).unwrap_err(),
        open_data::decrypt_we_run_data(KEY, &encrypted_data, &iv, &appid).unwrap_err(),
    ] {
        assert_eq!(error.kind, ErrorKind::InvalidArgument);
        assert_eq!(
            error.message,
            format!("appid is {} bytes; the limit is 256", appid.len())
        );
    }
    let error = open_data::decrypt(KEY, &encrypted_data, &iv, Some(OTHER_APPID)).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Watermark);
    assert!(error.message.len() < 200, "{}", error.message);
}
