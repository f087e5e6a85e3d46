//! Raw steps to a sealed WeRun payload, through the one pipeline the core,
//! the CLI and the benches run (`StepWindowPlaintext`): any timestamps,
//! steps, counts and UTC offsets. The input is 8 bytes of `now`, 4 of the
//! offset, then 16 bytes per sample (timestamp, step; little-endian i64s).
//! Oracle: an error names its sample; a payload seals and opens back to 31
//! ascending local midnights ending on `now`'s day, each the sum of its
//! samples, watermarked `now`.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use libfuzzer_sys::fuzz_target;
use werun::open_data::{self, SessionKey, StepSample, StepWindowPlaintext, WINDOW_DAYS, we_run_plaintext};

const DAY: i128 = 86_400;
const KEY: [u8; 16] = *b"werun-fuzz-key16";
const APPID: &str = "wx4f4bc4dec97d474b";

fn i64_at(bytes: &[u8]) -> i64 {
    i64::from_le_bytes(bytes.try_into().unwrap())
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 12 {
        return;
    }
    let now = i64_at(&data[..8]);
    let offset_minutes = -720 + (u32::from_le_bytes(data[8..12].try_into().unwrap()) % 1561) as i32;
    let samples: Vec<StepSample> = data[12..]
        .chunks_exact(16)
        .map(|chunk| StepSample { timestamp: i64_at(&chunk[..8]), step: i64_at(&chunk[8..]) })
        .collect();

    let plaintext = match StepWindowPlaintext::new(samples.iter().copied(), now, offset_minutes, APPID) {
        Ok(plaintext) => plaintext,
        Err(detail) => {
            assert!(detail.starts_with("step sample "), "{detail}");
            return;
        }
    };
    let sealed = plaintext.seal(&SessionKey::from_bytes(KEY)).unwrap();
    let opened =
        open_data::decrypt_we_run_data(&STANDARD.encode(KEY), &sealed.encrypted_data, &sealed.iv, APPID).unwrap();
    assert_eq!(opened.watermark_timestamp, now);
    let window = opened.step_info_list;
    // Every entry opens back as it was written, those the oracle below cannot
    // place (a midnight outside i64) included.
    assert_eq!(we_run_plaintext(&window, now, APPID), plaintext.as_str());
    assert_eq!(window.len(), WINDOW_DAYS);
    let offset = i128::from(offset_minutes) * 60;
    let local_day = |timestamp: i64| (i128::from(timestamp) + offset).div_euclid(DAY);
    let today = local_day(now);
    for (i, day) in window.iter().enumerate() {
        let expected_day = today - (WINDOW_DAYS as i128 - 1) + i as i128;
        if let Ok(midnight) = i64::try_from(expected_day * DAY - offset) {
            assert_eq!(day.timestamp, midnight, "entry {i}");
            let sum: i64 = samples.iter().filter(|s| local_day(s.timestamp) == expected_day).map(|s| s.step).sum();
            assert_eq!(day.step, sum, "entry {i}");
        }
    }
});
