//! The WeRun payload: `{"stepInfoList":[{"timestamp","step"}…],"watermark":{…}}`.

use serde::{Deserialize, Serialize};

/// One day of a WeRun payload: local midnight (unix seconds) and its steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepInfo {
    pub timestamp: i64,
    pub step: i64,
}

/// A decrypted WeRun payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeRunData {
    pub step_info_list: Vec<StepInfo>,
    pub watermark_timestamp: i64,
}

#[derive(Serialize)]
struct Plaintext<'a> {
    #[serde(rename = "stepInfoList")]
    step_info_list: &'a [StepInfo],
    watermark: Watermark<'a>,
}

#[derive(Serialize)]
struct Watermark<'a> {
    timestamp: i64,
    appid: &'a str,
}

/// The compact JSON WeChat seals: `stepInfoList` then `watermark`
/// (`timestamp`, `appid`), no whitespace.
pub fn we_run_plaintext(step_info_list: &[StepInfo], now: i64, appid: &str) -> String {
    let plaintext = Plaintext {
        step_info_list,
        watermark: Watermark {
            timestamp: now,
            appid,
        },
    };
    serde_json::to_string(&plaintext).expect("serialising integers and strings cannot fail")
}

/// The shape of a well-formed payload, for reading it without a JSON tree.
/// Unknown fields are ignored, as the general path ignores them.
#[derive(Deserialize)]
struct WellFormed<'a> {
    #[serde(rename = "stepInfoList")]
    step_info_list: Vec<StepInfo>,
    #[serde(borrow)]
    watermark: WellFormedWatermark<'a>,
}

#[derive(Deserialize)]
struct WellFormedWatermark<'a> {
    timestamp: i64,
    #[serde(borrow)]
    appid: std::borrow::Cow<'a, str>,
}

/// The payload, if it is well formed for `appid`: integer timestamps,
/// non-negative integer steps, and `watermark.appid` equal to `appid`.
/// `None` for anything else, which the general path then explains.
pub(crate) fn read_well_formed(plaintext: &str, appid: &str) -> Option<WeRunData> {
    let payload: WellFormed<'_> = serde_json::from_str(plaintext).ok()?;
    let valid =
        payload.watermark.appid == appid && payload.step_info_list.iter().all(|day| day.step >= 0);
    valid.then_some(WeRunData {
        step_info_list: payload.step_info_list,
        watermark_timestamp: payload.watermark.timestamp,
    })
}

/// Reads the payload in the exact form WeChat and werun seal it, without a
/// JSON parser: `{"stepInfoList":[{"timestamp":T,"step":S},…],"watermark":
/// {"timestamp":T,"appid":"A"}}`, compact, in that key order, with integer
/// timestamps, non-negative integer steps, and `A` (free of escapes and
/// control characters) equal to `appid`. Such a text is also exactly what
/// [`we_run_plaintext`] writes for the result, so callers that want the
/// canonical JSON can hand it on as it is.
///
/// `None` for any other text, even valid JSON (whitespace, another key order,
/// extra fields, escapes): the serde paths read those, and explain the bad ones.
pub(crate) fn read_compact(plaintext: &str, appid: &str) -> Option<WeRunData> {
    let mut reader = Compact {
        rest: plaintext.as_bytes(),
    };
    reader.expect(b"{\"stepInfoList\":[")?;
    // 31 days is what WeChat sends; a longer list only grows the vector.
    let mut step_info_list = Vec::with_capacity(31);
    if !reader.eat(b']') {
        loop {
            reader.expect(b"{\"timestamp\":")?;
            let timestamp = reader.integer()?;
            reader.expect(b",\"step\":")?;
            let step = reader.integer().filter(|step| *step >= 0)?;
            reader.expect(b"}")?;
            step_info_list.push(StepInfo { timestamp, step });
            if !reader.eat(b',') {
                reader.expect(b"]")?;
                break;
            }
        }
    }
    reader.expect(b",\"watermark\":{\"timestamp\":")?;
    let watermark_timestamp = reader.integer()?;
    reader.expect(b",\"appid\":\"")?;
    reader.expect_text(appid)?;
    reader.expect(b"\"}}")?;
    let plain_appid = appid
        .bytes()
        .all(|byte| byte >= 0x20 && byte != b'"' && byte != b'\\');
    (reader.rest.is_empty() && plain_appid).then_some(WeRunData {
        step_info_list,
        watermark_timestamp,
    })
}

/// A cursor over the compact form, for [`read_compact`].
struct Compact<'a> {
    rest: &'a [u8],
}

impl Compact<'_> {
    /// Skips `literal`, a constant: its length is known, so the comparison
    /// is a few loads rather than a call to `memcmp`.
    fn expect<const N: usize>(&mut self, literal: &[u8; N]) -> Option<()> {
        let (head, rest) = self.rest.split_first_chunk::<N>()?;
        (head == literal).then(|| self.rest = rest)
    }

    fn expect_text(&mut self, text: &str) -> Option<()> {
        self.rest = self.rest.strip_prefix(text.as_bytes())?;
        Some(())
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.expect(&[byte]).is_some()
    }

    /// A JSON integer as JSON writes it (`-`?, no leading zero) that fits
    /// an i64; `None` for anything else, overflow included.
    fn integer(&mut self) -> Option<i64> {
        let negative = self.eat(b'-');
        let mut magnitude: u64 = 0;
        let mut digits = 0;
        while let Some(digit) = self.rest.get(digits).map(|byte| byte.wrapping_sub(b'0')) {
            if digit > 9 {
                break;
            }
            magnitude = magnitude.checked_mul(10)?.checked_add(u64::from(digit))?;
            digits += 1;
        }
        if digits == 0 || (digits > 1 && self.rest[0] == b'0') {
            return None;
        }
        self.rest = &self.rest[digits..];
        if negative {
            // "-0" is valid JSON but not what a writer of integers produces.
            (magnitude != 0)
                .then(|| 0i64.checked_sub_unsigned(magnitude))
                .flatten()
        } else {
            i64::try_from(magnitude).ok()
        }
    }
}

#[derive(Deserialize)]
struct WithWatermark<'a> {
    #[serde(borrow)]
    watermark: AppidOnly<'a>,
}

#[derive(Deserialize)]
struct AppidOnly<'a> {
    #[serde(borrow)]
    appid: std::borrow::Cow<'a, str>,
}

/// Whether `plaintext` is JSON and, with `appid`, an object whose
/// `watermark.appid` is `appid`: read without a JSON tree, the rest of the
/// text checked but skipped. `false` leaves the verdict to the general path.
pub(crate) fn has_watermark(plaintext: &str, appid: Option<&str>) -> bool {
    match appid {
        None => serde_json::from_str::<serde::de::IgnoredAny>(plaintext).is_ok(),
        Some(appid) => {
            read_compact(plaintext, appid).is_some()
                || serde_json::from_str::<WithWatermark<'_>>(plaintext)
                    .is_ok_and(|payload| payload.watermark.appid == appid)
        }
    }
}

pub(crate) fn parse_step_info_list(json: &serde_json::Value) -> Result<Vec<StepInfo>, String> {
    let list = json
        .get("stepInfoList")
        .ok_or("the payload has no stepInfoList")?
        .as_array()
        .ok_or("stepInfoList is not an array")?;
    list.iter()
        .enumerate()
        .map(|(index, entry)| {
            let timestamp = entry
                .get("timestamp")
                .and_then(serde_json::Value::as_i64)
                .ok_or_else(|| {
                    format!("stepInfoList[{index}].timestamp is missing or not an integer")
                })?;
            let step = entry
                .get("step")
                .and_then(serde_json::Value::as_i64)
                .filter(|step| *step >= 0)
                .ok_or_else(|| {
                    format!("stepInfoList[{index}].step is missing or not a non-negative integer")
                })?;
            Ok(StepInfo { timestamp, step })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plaintext_is_compact_and_in_wechat_key_order() {
        let days = [StepInfo {
            timestamp: 1_700_000_000,
            step: 12,
        }];
        assert_eq!(
            we_run_plaintext(&days, 1_700_000_500, "wx\"1"),
            r#"{"stepInfoList":[{"timestamp":1700000000,"step":12}],"watermark":{"timestamp":1700000500,"appid":"wx\"1"}}"#
        );
    }

    #[test]
    fn only_a_well_formed_payload_for_the_appid_takes_the_fast_path() {
        let good = r#"{"stepInfoList":[{"timestamp":1,"step":2}],"watermark":{"timestamp":9,"appid":"wx1"},"extra":0}"#;
        let data = read_well_formed(good, "wx1").unwrap();
        assert_eq!(
            data.step_info_list,
            vec![StepInfo {
                timestamp: 1,
                step: 2
            }]
        );
        assert_eq!(data.watermark_timestamp, 9);
        for (plaintext, appid) in [
            (good, "wx2"),
            (
                r#"{"stepInfoList":[{"timestamp":1,"step":-2}],"watermark":{"timestamp":9,"appid":"wx1"}}"#,
                "wx1",
            ),
            (
                r#"{"stepInfoList":[{"timestamp":1.5,"step":2}],"watermark":{"timestamp":9,"appid":"wx1"}}"#,
                "wx1",
            ),
            (r#"{"stepInfoList":[],"watermark":{"appid":"wx1"}}"#, "wx1"),
            (r#"{"stepInfoList":[]}"#, "wx1"),
        ] {
            assert!(read_well_formed(plaintext, appid).is_none(), "{plaintext}");
        }
    }

    #[test]
    fn malformed_step_lists_name_the_entry() {
        let json = serde_json::json!({"stepInfoList":[{"timestamp":1,"step":2},{"timestamp":1,"step":-3}]});
        assert_eq!(
            parse_step_info_list(&json).unwrap_err(),
            "stepInfoList[1].step is missing or not a non-negative integer"
        );
        let json = serde_json::json!({"stepInfoList":[{"timestamp":1.5,"step":2}]});
        assert!(
            parse_step_info_list(&json)
                .unwrap_err()
                .contains("[0].timestamp")
        );
        let json = serde_json::json!({"stepInfoList":[3]});
        assert!(parse_step_info_list(&json).is_err());
        let json = serde_json::json!({"stepInfoList":[]});
        assert_eq!(parse_step_info_list(&json).unwrap(), vec![]);
    }

    #[test]
    fn the_compact_reader_takes_only_the_exact_form() {
        let good = r#"{"stepInfoList":[{"timestamp":-1,"step":0},{"timestamp":1700000000,"step":12}],"watermark":{"timestamp":9,"appid":"wx1"}}"#;
        let data = read_compact(good, "wx1").unwrap();
        assert_eq!(
            data.step_info_list,
            vec![
                StepInfo {
                    timestamp: -1,
                    step: 0
                },
                StepInfo {
                    timestamp: 1_700_000_000,
                    step: 12
                }
            ]
        );
        assert_eq!(data.watermark_timestamp, 9);
        let empty = r#"{"stepInfoList":[],"watermark":{"timestamp":9,"appid":"wx1"}}"#;
        assert_eq!(read_compact(empty, "wx1").unwrap().step_info_list, vec![]);
        for (plaintext, appid) in [
            (good, "wx2"),
            (good, "wx"),
            (&good.replace("\"step\":12", "\"step\":-12"), "wx1"),
            (&good.replace("\"step\":12", "\"step\":012"), "wx1"),
            (&good.replace("\"step\":0", "\"step\":-0"), "wx1"),
            (&good.replace("\"step\":12", "\"step\":12.0"), "wx1"),
            (&good.replace("\"step\":12", "\"step\":1e3"), "wx1"),
            (
                &good.replace("\"step\":12", "\"step\":9223372036854775808"),
                "wx1",
            ),
            (&good.replace(",\"step", ", \"step"), "wx1"),
            (&good.replace("}}", "},\"extra\":1}"), "wx1"),
            (&format!("{good} "), "wx1"),
            (&good.replace("wx1", "wx\\u0031"), "wx1"),
            (&good.replace("wx1", "w\\\"x"), "w\"x"),
            (&good.replace("[{", "[ {"), "wx1"),
            (
                r#"{"stepInfoList":[{"step":1,"timestamp":2}],"watermark":{"timestamp":9,"appid":"wx1"}}"#,
                "wx1",
            ),
            (
                r#"{"watermark":{"timestamp":9,"appid":"wx1"},"stepInfoList":[]}"#,
                "wx1",
            ),
            (
                r#"{"stepInfoList":[,],"watermark":{"timestamp":9,"appid":"wx1"}}"#,
                "wx1",
            ),
            (
                r#"{"stepInfoList":[{"timestamp":1,"step":2},],"watermark":{"timestamp":9,"appid":"wx1"}}"#,
                "wx1",
            ),
        ] {
            assert!(read_compact(plaintext, appid).is_none(), "{plaintext}");
        }
    }

    #[test]
    fn the_watermark_is_found_without_a_tree_or_left_to_the_general_path() {
        let user = r#"{"openId":"o","watermark":{"timestamp":1,"appid":"wx1"},"x":[1,{"y":null}]}"#;
        assert!(has_watermark(user, Some("wx1")));
        assert!(has_watermark(user, None));
        for (text, appid) in [
            (user, Some("wx2")),
            (r#"{"watermark":{"appid":1}}"#, Some("1")),
            (r#"{"watermark":"wx1"}"#, Some("wx1")),
            (r#"["watermark"]"#, Some("wx1")),
            (r#"{"watermark":{"appid":"wx1"}"#, Some("wx1")),
            (r#"{"watermark":{"appid":"wx1"}"#, None),
            ("", None),
        ] {
            assert!(!has_watermark(text, appid), "{text} {appid:?}");
        }
    }

    use proptest::prelude::*;

    fn any_days() -> impl Strategy<Value = Vec<StepInfo>> {
        let value = prop_oneof![any::<i64>(), -3i64..=3, 0i64..=4_102_444_800];
        prop::collection::vec(
            (value.clone(), value).prop_map(|(timestamp, step)| StepInfo { timestamp, step }),
            0..40,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// What werun writes, the compact reader reads back exactly, unless
        /// a step is negative or the appid needs escaping: then the general
        /// reader decides.
        #[test]
        fn the_compact_reader_reads_what_werun_writes(
            days in any_days(),
            now in any::<i64>(),
            appid in "[a-zA-Z0-9_\"\\\\\u{0}-\u{1f}\u{7f}\u{4e00}-\u{4e0f}]{1,32}",
        ) {
            let text = we_run_plaintext(&days, now, &appid);
            let compact = read_compact(&text, &appid);
            let expected = WeRunData { step_info_list: days.clone(), watermark_timestamp: now };
            let readable = days.iter().all(|day| day.step >= 0);
            let plain = !appid.chars().any(|c| c < ' ' || c == '"' || c == '\\');
            prop_assert_eq!(compact.as_ref(), (readable && plain).then_some(&expected));
            prop_assert_eq!(read_well_formed(&text, &appid), readable.then_some(expected));
        }

        /// Whatever the compact reader accepts, even from a damaged text, is
        /// what serde reads from it, and the text is exactly what werun would
        /// write for it: the reader never accepts a text the general path
        /// would read differently.
        #[test]
        fn the_compact_reader_never_disagrees_with_serde(
            days in any_days(),
            now in any::<i64>(),
            position in any::<prop::sample::Index>(),
            replacement in prop::sample::select(b"0123456789-+.eE ,:{}[]\"\\ax\n".to_vec()),
            insert in any::<bool>(),
        ) {
            let text = we_run_plaintext(&days, now, "wx1");
            let mut bytes = text.into_bytes();
            let at = position.index(bytes.len() + 1);
            if insert || at == bytes.len() {
                bytes.insert(at, replacement);
            } else {
                bytes[at] = replacement;
            }
            let damaged = String::from_utf8(bytes).unwrap();
            if let Some(data) = read_compact(&damaged, "wx1") {
                prop_assert_eq!(read_well_formed(&damaged, "wx1"), Some(data.clone()));
                prop_assert_eq!(we_run_plaintext(&data.step_info_list, data.watermark_timestamp, "wx1"), damaged);
            }
        }
    }
}
