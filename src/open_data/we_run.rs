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
}
