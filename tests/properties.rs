//! Properties that hold for any input, checked with proptest: the step
//! window is always 31 ascending local midnights ending today, summing
//! exactly the samples inside it, and whatever is sealed opens again, byte
//! for byte, under its key and only under it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use proptest::prelude::*;
use werun::open_data::{
    self, ErrorKind, MAX_DAY_TOTAL, SessionKey, StepInfo, StepSample, StepWindowPlaintext,
    WINDOW_DAYS, normalize_step_window,
};

const DAY: i64 = 86_400;

/// Unix seconds from 2017 to 2096.
fn any_now() -> impl Strategy<Value = i64> {
    1_500_000_000i64..4_000_000_000
}

fn any_offset_minutes() -> impl Strategy<Value = i32> {
    -720i32..=840
}

/// Up to 200 samples from 40 days before `now` to 2 days after, small
/// enough that no day can pass the plausibility limit.
fn samples_around(now: i64) -> impl Strategy<Value = Vec<StepSample>> {
    prop::collection::vec(
        ((now - 40 * DAY)..(now + 2 * DAY), 0i64..=4_000)
            .prop_map(|(timestamp, step)| StepSample { timestamp, step }),
        0..200,
    )
}

/// Any i64, but as often a small, plausible or extreme one.
fn edgy_i64() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i64>(),
        -3i64..=3,
        0i64..=2 * MAX_DAY_TOTAL,
        0i64..=4_102_444_800,
        Just(i64::MIN),
        Just(i64::MAX),
    ]
}

fn local_day(timestamp: i64, offset_minutes: i32) -> i64 {
    (timestamp + i64::from(offset_minutes) * 60).div_euclid(DAY)
}

/// What the window must be: 31 ascending midnights ending on `now`'s local
/// day, each the sum of its samples.
fn check_window(window: &[StepInfo], samples: &[StepSample], now: i64, offset_minutes: i32) {
    assert_eq!(window.len(), WINDOW_DAYS);
    let offset = i64::from(offset_minutes) * 60;
    let today = local_day(now, offset_minutes);
    for (i, day) in window.iter().enumerate() {
        assert_eq!(
            (day.timestamp + offset).rem_euclid(DAY),
            0,
            "entry {i} is a local midnight"
        );
        let expected_day = today - (WINDOW_DAYS as i64 - 1) + i as i64;
        assert_eq!(
            local_day(day.timestamp, offset_minutes),
            expected_day,
            "entry {i}'s day"
        );
        let sum: i64 = samples
            .iter()
            .filter(|sample| local_day(sample.timestamp, offset_minutes) == expected_day)
            .map(|sample| sample.step)
            .sum();
        assert_eq!(day.step, sum, "entry {i} sums its day's samples");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_window_is_31_ascending_midnights_ending_today_summing_its_samples(
        (now, samples) in any_now().prop_flat_map(|now| (Just(now), samples_around(now))),
        offset_minutes in any_offset_minutes(),
    ) {
        let window = normalize_step_window(samples.iter().copied(), now, offset_minutes).unwrap();
        check_window(&window, &samples, now, offset_minutes);
    }

    /// Any i64s at all, biased to the edges so that windows are built as
    /// often as refused: never a panic; either the window's invariants or an
    /// error that names a sample.
    #[test]
    fn any_samples_give_a_valid_window_or_an_error_naming_the_sample(
        samples in prop::collection::vec(
            (edgy_i64(), edgy_i64()).prop_map(|(timestamp, step)| StepSample { timestamp, step }),
            0..50,
        ),
        now in edgy_i64(),
        offset_minutes in any_offset_minutes(),
    ) {
        match normalize_step_window(samples.iter().copied(), now, offset_minutes) {
            Ok(window) => {
                prop_assert_eq!(window.len(), WINDOW_DAYS);
                prop_assert!(window.windows(2).all(|pair| pair[0].timestamp <= pair[1].timestamp));
                prop_assert!(window.iter().all(|day| (0..=MAX_DAY_TOTAL).contains(&day.step)));
                prop_assert!(samples.iter().all(|s| s.timestamp >= 0 && s.step >= 0));
            }
            Err(detail) => {
                let index = detail
                    .strip_prefix("step sample ")
                    .and_then(|rest| rest.split([' ', ':']).next())
                    .and_then(|index| index.parse::<usize>().ok());
                prop_assert!(index.is_some_and(|index| index < samples.len()), "{}", detail);
            }
        }
    }

    #[test]
    fn what_is_sealed_opens_byte_for_byte_under_its_key_and_appid(
        key in any::<[u8; 16]>(),
        (now, samples) in any_now().prop_flat_map(|now| (Just(now), samples_around(now))),
        offset_minutes in any_offset_minutes(),
        appid in "[a-zA-Z0-9_\u{4e00}-\u{4e0f}]{1,64}",
    ) {
        let window = normalize_step_window(samples.iter().copied(), now, offset_minutes).unwrap();
        let plaintext = StepWindowPlaintext::new(samples, now, offset_minutes, &appid).unwrap();
        let sealed = plaintext.seal(&SessionKey::from_bytes(key)).unwrap();
        let key_base64 = STANDARD.encode(key);

        let opened = open_data::decrypt(&key_base64, &sealed.encrypted_data, &sealed.iv, Some(&appid)).unwrap();
        prop_assert_eq!(opened.as_str(), plaintext.as_str());
        let data = open_data::decrypt_we_run_data(&key_base64, &sealed.encrypted_data, &sealed.iv, &appid).unwrap();
        prop_assert_eq!(data.step_info_list, window);
        prop_assert_eq!(data.watermark_timestamp, now);
        let json = open_data::decrypt_we_run_data_json(&key_base64, &sealed.encrypted_data, &sealed.iv, &appid).unwrap();
        prop_assert_eq!(json.as_str(), plaintext.as_str());
    }

    #[test]
    fn a_payload_never_opens_under_another_key(
        key in any::<[u8; 16]>(),
        other in any::<[u8; 16]>(),
        now in any_now(),
    ) {
        prop_assume!(key != other);
        let plaintext = StepWindowPlaintext::new([], now, 480, "wx4f4bc4dec97d474b").unwrap();
        let sealed = plaintext.seal(&SessionKey::from_bytes(key)).unwrap();
        let error = open_data::decrypt_we_run_data(
            &STANDARD.encode(other),
            &sealed.encrypted_data,
            &sealed.iv,
            "wx4f4bc4dec97d474b",
        )
        .unwrap_err();
        prop_assert!(
            matches!(error.kind, ErrorKind::Decrypt | ErrorKind::Watermark | ErrorKind::InvalidData),
            "{:?}",
            error
        );
    }
}
