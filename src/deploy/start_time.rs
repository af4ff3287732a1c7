//! Start-time parameters of scheduled flows: the value a deploy passes.
//!
//! AppFlow refuses a `ScheduleStartTime` in the past, on create and on every update of
//! the flow. flowform therefore makes the start time a `Number` parameter whose default is
//! the time the user wrote, and a deploy passes:
//!
//! - the value the stack already has, while that is still in the future, so a redeploy
//!   changes nothing;
//! - otherwise the default, while that is still in the future;
//! - otherwise the first slot of the schedule after now (plus a margin for the change set
//!   to be reviewed and executed): for `rate(N unit)` the default advanced by whole
//!   periods, so runs stay on the grid the user chose; for `cron(...)` the next whole
//!   minute after the margin (the cron expression itself fixes the run times).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::Value;

use crate::model::{ParsedSchedule, Schedule};

/// How far in the future a start time must be, to leave room for review and execution.
pub const MARGIN_SECONDS: i64 = 300;

/// For each start-time parameter of `template` (a parameter a scheduled flow's
/// `ScheduleStartTime` refers to): the value to deploy, given the `previous` parameter
/// values of the stack (empty for a new stack).
pub fn start_time_values(
    template: &Value,
    previous: &BTreeMap<String, String>,
    now: Timestamp,
) -> BTreeMap<String, i64> {
    let earliest = now.as_second() + MARGIN_SECONDS;
    let mut values = BTreeMap::new();
    let resources = template.get("Resources").and_then(Value::as_object);
    for resource in resources.into_iter().flat_map(|r| r.values()) {
        if resource.get("Type").and_then(Value::as_str) != Some("AWS::AppFlow::Flow") {
            continue;
        }
        let trigger = &resource["Properties"]["TriggerConfig"]["TriggerProperties"];
        let Some(parameter) = trigger["ScheduleStartTime"]["Ref"].as_str() else {
            continue;
        };
        let Some(default) = template["Parameters"][parameter]["Default"]
            .as_str()
            .and_then(|d| d.parse::<i64>().ok())
        else {
            continue;
        };
        let expression = trigger["ScheduleExpression"].as_str().unwrap_or_default();
        let kept = previous
            .get(parameter)
            .and_then(|value| value.parse::<i64>().ok())
            .filter(|&value| value >= earliest);
        let value = kept.unwrap_or_else(|| next_slot(default, expression, earliest));
        values.insert(parameter.to_string(), value);
    }
    values
}

/// The first start time at or after `earliest` on the schedule that starts at `start`.
fn next_slot(start: i64, expression: &str, earliest: i64) -> i64 {
    if start >= earliest {
        return start;
    }
    match Schedule::expression(expression).parse() {
        Ok(ParsedSchedule::Rate { value, unit }) => {
            let period = i64::from(value) * unit.seconds();
            let periods = (earliest - start + period - 1) / period;
            start + periods * period
        }
        // Cron schedules run at the times the expression names; the start only has to
        // be in the future. Whole minutes keep the value readable.
        _ => (earliest + 59) / 60 * 60,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template(expression: &str, default: i64) -> Value {
        json!({
            "Parameters": {"FStartTime": {"Type": "Number", "Default": default.to_string()}},
            "Resources": {"F": {"Type": "AWS::AppFlow::Flow", "Properties": {"TriggerConfig": {
                "TriggerType": "Scheduled",
                "TriggerProperties": {"ScheduleExpression": expression, "ScheduleStartTime": {"Ref": "FStartTime"}}
            }}}}
        })
    }

    const NOW: i64 = 1_800_000_000;

    fn now() -> Timestamp {
        Timestamp::from_second(NOW).unwrap()
    }

    #[test]
    fn a_future_default_is_kept() {
        let start = NOW + 3_600;
        let values = start_time_values(&template("rate(1hours)", start), &BTreeMap::new(), now());
        assert_eq!(values["FStartTime"], start);
    }

    #[test]
    fn a_past_rate_start_moves_forward_by_whole_periods() {
        let start = NOW - 10 * 86_400 - 1_234;
        let values = start_time_values(&template("rate(1hours)", start), &BTreeMap::new(), now());
        let value = values["FStartTime"];
        assert_eq!((value - start) % 3_600, 0, "stays on the hourly grid");
        assert!((NOW + MARGIN_SECONDS..NOW + MARGIN_SECONDS + 3_600).contains(&value));
    }

    #[test]
    fn a_past_cron_start_becomes_the_next_minute_after_the_margin() {
        let values = start_time_values(&template("cron(0 12 * * ? *)", NOW - 99), &BTreeMap::new(), now());
        let value = values["FStartTime"];
        assert_eq!(value % 60, 0);
        assert!((NOW + MARGIN_SECONDS..NOW + MARGIN_SECONDS + 60).contains(&value));
    }

    #[test]
    fn the_deployed_value_is_kept_while_it_is_in_the_future() {
        let deployed = NOW + 7_200;
        let previous = BTreeMap::from([("FStartTime".to_string(), deployed.to_string())]);
        let values = start_time_values(&template("rate(5minutes)", NOW - 1_000), &previous, now());
        assert_eq!(values["FStartTime"], deployed);
        let stale = BTreeMap::from([("FStartTime".to_string(), (NOW - 60).to_string())]);
        let values = start_time_values(&template("rate(5minutes)", NOW - 1_000), &stale, now());
        assert!(values["FStartTime"] >= NOW + MARGIN_SECONDS);
    }

    #[test]
    fn templates_without_scheduled_flows_need_nothing() {
        let values = start_time_values(
            &json!({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}),
            &BTreeMap::new(),
            now(),
        );
        assert!(values.is_empty());
    }
}
