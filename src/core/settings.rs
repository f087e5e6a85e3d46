//! A context's settings: their defaults, their limits, and the one check
//! every change of them goes through ([`Context::configure`]).
//!
//! The defaults below are the only definition of each number. Docs that
//! restate one (the C header, the JS types, the guides) are checked against
//! these by `tests/defaults.rs`.
//!
//! [`Context::configure`]: super::Context::configure

use std::time::Duration;

use super::status::Error;

/// How long a host request may stay unanswered, unless set otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(10_000);
/// WeChat aligns WeRun days to 00:00 UTC+8.
pub const DEFAULT_UTC_OFFSET_MINUTES: i32 = 480;
/// The most calls that may wait on the host at once, unless set otherwise.
pub const DEFAULT_MAX_IN_FLIGHT: u32 = 1024;

/// The shortest timeout.
pub const MIN_TIMEOUT: Duration = Duration::from_millis(1);
/// The longest timeout, about 49.7 days: what the C ABI's `uint32_t`
/// milliseconds hold, and short enough that a deadline never overflows.
pub const MAX_TIMEOUT: Duration = Duration::from_millis(u32::MAX as u64);
pub const MIN_UTC_OFFSET_MINUTES: i32 = -720;
pub const MAX_UTC_OFFSET_MINUTES: i32 = 840;

/// A change to a context's settings, for [`Context::configure`]: each `Some`
/// is applied, each `None` keeps its current value. Start from
/// `Settings::default()`, which changes nothing:
///
/// ```
/// # use std::time::Duration;
/// # use werun::core::{Context, Settings};
/// let context = Context::new("wx4f4bc4dec97d474b")?;
/// context.configure(Settings {
///     timeout: Some(Duration::from_secs(5)),
///     max_in_flight: Some(64),
///     ..Settings::default()
/// })?;
/// # Ok::<(), werun::core::Error>(())
/// ```
///
/// [`Context::configure`]: super::Context::configure
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// How long a host request may stay unanswered before its calls fail with
    /// TIMEOUT: [`MIN_TIMEOUT`]..=[`MAX_TIMEOUT`]; default
    /// [`DEFAULT_TIMEOUT`]. Applies to requests sent afterwards.
    pub timeout: Option<Duration>,
    /// The offset from UTC of the step days' midnight, in minutes:
    /// [`MIN_UTC_OFFSET_MINUTES`]..=[`MAX_UTC_OFFSET_MINUTES`]; default
    /// [`DEFAULT_UTC_OFFSET_MINUTES`].
    pub utc_offset_minutes: Option<i32>,
    /// The most calls that may wait on the host at once, at least 1; past it,
    /// a call that would wait fails at once with BUSY.
    /// Default [`DEFAULT_MAX_IN_FLIGHT`].
    pub max_in_flight: Option<u32>,
}

impl Settings {
    /// `Err(InvalidArgument)` naming every refused setting, with the value it
    /// was given.
    pub(crate) fn check(&self) -> Result<(), Error> {
        let mut refused = Vec::new();
        match self.timeout {
            Some(timeout) if timeout < MIN_TIMEOUT => refused.push(format!(
                "the timeout must be at least {} (got {})",
                as_millis(MIN_TIMEOUT),
                as_millis(timeout)
            )),
            Some(timeout) if timeout > MAX_TIMEOUT => refused.push(format!(
                "the timeout must be at most {} (got {})",
                as_millis(MAX_TIMEOUT),
                as_millis(timeout)
            )),
            _ => {}
        }
        match self.utc_offset_minutes {
            Some(minutes)
                if !(MIN_UTC_OFFSET_MINUTES..=MAX_UTC_OFFSET_MINUTES).contains(&minutes) =>
            {
                refused.push(format!(
                    "the UTC offset must be within {MIN_UTC_OFFSET_MINUTES}..={MAX_UTC_OFFSET_MINUTES} minutes (got {minutes})"
                ));
            }
            _ => {}
        }
        if self.max_in_flight == Some(0) {
            refused.push("the max in flight must be at least 1 (got 0)".to_owned());
        }
        if refused.is_empty() {
            return Ok(());
        }
        Err(Error::invalid_argument(format!(
            "{}; {NO_SETTING_CHANGED}",
            refused.join(", and ")
        )))
    }
}

/// How every refused configure ends, whoever refused it (the core checking
/// values, or the C ABI an unknown flag): a refusal applies nothing.
pub(crate) const NO_SETTING_CHANGED: &str = "no setting was changed";

/// A duration as C and JS callers give it, "5000 ms"; exactly, for one that
/// is not whole milliseconds.
fn as_millis(duration: Duration) -> String {
    if duration.subsec_nanos() % 1_000_000 == 0 {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{duration:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_to_change_is_allowed() {
        assert_eq!(Settings::default().check(), Ok(()));
    }

    #[test]
    fn the_bounds_are_allowed_and_one_past_them_refused() {
        let timeout = |timeout| Settings {
            timeout: Some(timeout),
            ..Settings::default()
        };
        let offset = |minutes| Settings {
            utc_offset_minutes: Some(minutes),
            ..Settings::default()
        };
        let max = |max| Settings {
            max_in_flight: Some(max),
            ..Settings::default()
        };
        for allowed in [
            timeout(MIN_TIMEOUT),
            timeout(MAX_TIMEOUT),
            offset(MIN_UTC_OFFSET_MINUTES),
            offset(MAX_UTC_OFFSET_MINUTES),
            max(1),
            max(u32::MAX),
        ] {
            assert_eq!(allowed.check(), Ok(()), "{allowed:?}");
        }
        for (refused, words) in [
            (
                timeout(Duration::ZERO),
                "the timeout must be at least 1 ms (got 0 ms)",
            ),
            (timeout(Duration::from_micros(999)), "(got 999µs)"),
            (
                timeout(MAX_TIMEOUT + Duration::from_millis(1)),
                "the timeout must be at most 4294967295 ms (got 4294967296 ms)",
            ),
            (timeout(Duration::MAX), "the timeout must be at most"),
            (offset(MIN_UTC_OFFSET_MINUTES - 1), "(got -721)"),
            (offset(MAX_UTC_OFFSET_MINUTES + 1), "(got 841)"),
            (max(0), "the max in flight must be at least 1 (got 0)"),
        ] {
            let error = refused.check().unwrap_err();
            assert_eq!(error.status, super::super::Status::InvalidArgument);
            assert!(error.message.contains(words), "{error:?}");
            assert!(
                error.message.ends_with("; no setting was changed"),
                "{error:?}"
            );
        }
    }

    #[test]
    fn every_refused_setting_is_named_and_an_allowed_one_is_not() {
        let message = Settings {
            timeout: Some(Duration::ZERO),
            utc_offset_minutes: Some(9999),
            max_in_flight: Some(0),
        }
        .check()
        .unwrap_err()
        .message;
        assert_eq!(
            message,
            "the timeout must be at least 1 ms (got 0 ms), and the UTC offset must be within -720..=840 minutes (got 9999), and the max in flight must be at least 1 (got 0); no setting was changed"
        );
        let message = Settings {
            timeout: Some(Duration::from_millis(5)),
            utc_offset_minutes: Some(9999),
            max_in_flight: Some(2),
        }
        .check()
        .unwrap_err()
        .message;
        assert!(!message.contains("timeout"), "{message}");
        assert!(!message.contains("max in flight"), "{message}");
    }
}
