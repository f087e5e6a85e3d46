//! Raw step samples to the WeRun payload: WeChat's 31-day window, and the
//! one pipeline from samples to a sealed payload.

use std::collections::HashMap;

use super::cipher::{Sealed, SessionKey, seal};
use super::error::Error;
use super::we_run::{StepInfo, we_run_plaintext};

/// Days in a WeRun window: 30 past days plus today.
pub const WINDOW_DAYS: usize = 31;
/// A day total above this is implausible and rejected.
pub const MAX_DAY_TOTAL: i64 = 1_000_000;
/// Most samples accepted in one answer, so a host cannot cause unbounded work.
pub const MAX_SAMPLES: usize = 100_000;

const DAY: i128 = 86_400;

/// A raw sample from a step source: unix seconds at any instant of a day.
///
/// Deserializes from `{"timestamp", "step"}`, as the CLI's `werun seal`
/// reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct StepSample {
    pub timestamp: i64,
    pub step: i64,
}

/// Sums `samples` per local day and lays them into 31 ascending entries, each
/// at local midnight, the last being the day of `now`; missing days are 0.
///
/// More than [`MAX_SAMPLES`] are refused by their count, before any is read:
/// a source that reads lazily costs nothing then, whatever length it claims.
/// Every sample is validated, including those outside the
/// window; the error names the offending entry by index and value.
pub fn normalize_step_window<S>(
    samples: S,
    now: i64,
    utc_offset_minutes: i32,
) -> Result<Vec<StepInfo>, String>
where
    S: IntoIterator<Item = StepSample>,
    S::IntoIter: ExactSizeIterator,
{
    let samples = samples.into_iter();
    if samples.len() > MAX_SAMPLES {
        return Err(format!(
            "{} step samples in one answer; the limit is {MAX_SAMPLES}",
            samples.len()
        ));
    }
    let offset = i128::from(utc_offset_minutes) * 60;
    let local_day = |timestamp: i64| (i128::from(timestamp) + offset).div_euclid(DAY);
    let today = local_day(now);
    let first_day = today - (WINDOW_DAYS as i128 - 1);

    // The window's days in an array; days outside it, which are checked for
    // plausibility but not sealed, in a map made only if a sample needs it.
    let mut window = [0i64; WINDOW_DAYS];
    let mut outside: HashMap<i128, i64> = HashMap::new();
    // `len` is the source's word: one that claims fewer than it yields is
    // still stopped at the limit.
    for (index, sample) in samples.enumerate() {
        if index == MAX_SAMPLES {
            return Err(format!(
                "more than {MAX_SAMPLES} step samples in one answer; the limit is {MAX_SAMPLES}"
            ));
        }
        if sample.timestamp < 0 {
            return Err(format!(
                "step sample {index} has timestamp {}; timestamps are non-negative unix seconds",
                sample.timestamp
            ));
        }
        if sample.step < 0 {
            return Err(format!(
                "step sample {index} has step {}; steps are non-negative",
                sample.step
            ));
        }
        let day = local_day(sample.timestamp);
        let total = match usize::try_from(day - first_day) {
            Ok(slot) if slot < WINDOW_DAYS => &mut window[slot],
            _ => outside.entry(day).or_insert(0),
        };
        *total = total.saturating_add(sample.step);
        if *total > MAX_DAY_TOTAL {
            return Err(format!(
                "step sample {index} (step {}) brings its day's total to {}, over the plausible {MAX_DAY_TOTAL}",
                sample.step, *total
            ));
        }
    }

    Ok((0..WINDOW_DAYS)
        .map(|slot| StepInfo {
            timestamp: i64::try_from((first_day + slot as i128) * DAY - offset).unwrap_or(i64::MAX),
            step: window[slot],
        })
        .collect())
}

/// Raw step samples as the plaintext WeChat seals WeRun data in: the one
/// pipeline from samples to `encryptedData`, which the core, `werun seal`,
/// the benchmarks and the fuzz target all run.
///
/// Written once, sealed as often as needed: each [`seal`](Self::seal) takes
/// a fresh IV, so every call waiting on one answer gets its own ciphertext.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepWindowPlaintext(String);

impl StepWindowPlaintext {
    /// `samples` summed into the window ending on `now`'s day
    /// ([`normalize_step_window`], whose error this returns), written as the
    /// compact WeRun JSON with `now` and `appid` in its watermark
    /// ([`we_run_plaintext`]).
    pub fn new<S>(
        samples: S,
        now: i64,
        utc_offset_minutes: i32,
        appid: &str,
    ) -> Result<StepWindowPlaintext, String>
    where
        S: IntoIterator<Item = StepSample>,
        S::IntoIter: ExactSizeIterator,
    {
        let window = normalize_step_window(samples, now, utc_offset_minutes)?;
        Ok(StepWindowPlaintext(we_run_plaintext(&window, now, appid)))
    }

    /// The JSON text, `{"stepInfoList":[…],"watermark":{…}}`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Seals the payload under `key` with a fresh IV from the OS.
    pub fn seal(&self, key: &SessionKey) -> Result<Sealed, Error> {
        seal(key, self.0.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UTC8: i32 = 480;
    // 2024-12-16T00:00:00+08:00
    const MIDNIGHT_UTC8: i64 = 1_734_278_400;

    fn sample(timestamp: i64, step: i64) -> StepSample {
        StepSample { timestamp, step }
    }

    #[test]
    fn yields_31_ascending_midnights_ending_today() {
        let now = MIDNIGHT_UTC8 + 10 * 3600;
        let window = normalize_step_window([], now, UTC8).unwrap();
        assert_eq!(window.len(), WINDOW_DAYS);
        assert_eq!(window.last().unwrap().timestamp, MIDNIGHT_UTC8);
        assert_eq!(window[0].timestamp, MIDNIGHT_UTC8 - 30 * 86_400);
        assert!(
            window
                .windows(2)
                .all(|w| w[1].timestamp - w[0].timestamp == 86_400)
        );
        assert!(window.iter().all(|d| d.step == 0));
    }

    #[test]
    fn sums_samples_per_local_day_and_ignores_the_outside() {
        let now = MIDNIGHT_UTC8 + 23 * 3600;
        let samples = [
            sample(MIDNIGHT_UTC8 + 60, 100),
            sample(MIDNIGHT_UTC8 + 20 * 3600, 50),
            sample(MIDNIGHT_UTC8 - 1, 7), // yesterday, 23:59:59
            sample(MIDNIGHT_UTC8 - 31 * 86_400, 999), // 31 days ago: outside
            sample(MIDNIGHT_UTC8 + 86_400, 5), // tomorrow: outside
        ];
        let window = normalize_step_window(samples, now, UTC8).unwrap();
        assert_eq!(window[30].step, 150);
        assert_eq!(window[29].step, 7);
        assert_eq!(window.iter().map(|d| d.step).sum::<i64>(), 157);
    }

    #[test]
    fn day_boundaries_follow_the_utc_offset() {
        // 2024-12-16T00:00:00Z is already 08:00 on the 16th in UTC+8, but
        // still 19:00 on the 15th in UTC-5.
        let utc_midnight = 1_734_307_200;
        let window = normalize_step_window([sample(utc_midnight, 1)], utc_midnight, -300).unwrap();
        assert_eq!(window[30].timestamp, utc_midnight - 86_400 + 5 * 3600);
        assert_eq!(window[30].step, 1);
    }

    #[test]
    fn bad_samples_are_named_even_outside_the_window() {
        let now = MIDNIGHT_UTC8;
        let err = normalize_step_window([sample(now, 1), sample(5, -2)], now, UTC8).unwrap_err();
        assert_eq!(err, "step sample 1 has step -2; steps are non-negative");
        let err = normalize_step_window([sample(-1, 2)], now, UTC8).unwrap_err();
        assert!(err.contains("sample 0 has timestamp -1"), "{err}");
        let err = normalize_step_window([sample(10, 600_000), sample(20, 400_001)], now, UTC8)
            .unwrap_err();
        assert!(err.contains("step sample 1 (step 400001)"), "{err}");
        assert!(err.contains("1000001"), "{err}");
    }

    /// Claims `len` samples and fails the test if one is read.
    struct Unread(usize);

    impl Iterator for Unread {
        type Item = StepSample;
        fn next(&mut self) -> Option<StepSample> {
            panic!("a sample was read");
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            (self.0, Some(self.0))
        }
    }

    impl ExactSizeIterator for Unread {}

    #[test]
    fn too_many_samples_are_refused_by_their_count_before_any_is_read() {
        let err = normalize_step_window(Unread(1 << 60), MIDNIGHT_UTC8, UTC8).unwrap_err();
        assert_eq!(
            err,
            "1152921504606846976 step samples in one answer; the limit is 100000"
        );
        let err = normalize_step_window(Unread(MAX_SAMPLES + 1), MIDNIGHT_UTC8, UTC8).unwrap_err();
        assert_eq!(
            err,
            "100001 step samples in one answer; the limit is 100000"
        );
    }

    /// Yields zero-step samples without end, but claims to hold none.
    struct Understated;

    impl Iterator for Understated {
        type Item = StepSample;
        fn next(&mut self) -> Option<StepSample> {
            Some(sample(MIDNIGHT_UTC8, 0))
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            (0, Some(0))
        }
    }

    impl ExactSizeIterator for Understated {}

    #[test]
    fn a_source_that_understates_its_length_is_still_stopped_at_the_limit() {
        let err = normalize_step_window(Understated, MIDNIGHT_UTC8, UTC8).unwrap_err();
        assert_eq!(
            err,
            "more than 100000 step samples in one answer; the limit is 100000"
        );
    }

    #[test]
    fn the_pipeline_seals_the_windows_json_with_a_fresh_iv_each_time() {
        let now = MIDNIGHT_UTC8 + 3600;
        let samples = [sample(now, 812), sample(now - 86_400, 4_000)];
        let plaintext = StepWindowPlaintext::new(samples, now, UTC8, "wx1").unwrap();
        let window = normalize_step_window(samples, now, UTC8).unwrap();
        assert_eq!(plaintext.as_str(), we_run_plaintext(&window, now, "wx1"));

        let key = "tiihtNczf5v6AKRyjwEUhQ==";
        let session_key = SessionKey::from_base64(key).unwrap();
        let first = plaintext.seal(&session_key).unwrap();
        let second = plaintext.seal(&session_key).unwrap();
        assert_ne!(first.iv, second.iv);
        for sealed in [first, second] {
            let opened =
                super::super::decrypt(key, &sealed.encrypted_data, &sealed.iv, Some("wx1"));
            assert_eq!(opened.unwrap(), plaintext.as_str());
        }

        let err = StepWindowPlaintext::new([sample(now, -1)], now, UTC8, "wx1").unwrap_err();
        assert_eq!(err, "step sample 0 has step -1; steps are non-negative");
    }

    #[test]
    fn extreme_values_do_not_overflow() {
        let window = normalize_step_window([sample(i64::MAX, 1)], i64::MAX, 840).unwrap();
        assert_eq!(window.len(), WINDOW_DAYS);
        let err = normalize_step_window([sample(0, i64::MAX)], 0, -720).unwrap_err();
        assert!(err.contains("over the plausible"), "{err}");
    }
}
