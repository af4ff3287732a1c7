//! Starting a run and following it to its end, and how runs are printed: the numbers the
//! AppFlow console's run history shows (status, start, elapsed time, records processed,
//! data processed and written, the error message).

use std::time::{SystemTime, UNIX_EPOCH};

use jiff::{SignedDuration, Timestamp};

use super::DeployedFlow;
use super::api::{ApiError, AppFlow, Execution};
use crate::deploy::Failure;
use crate::deploy::api::ApiErrorKind;
use crate::deploy::ui::Ui;

/// How a followed run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It succeeded.
    Succeeded(Execution),
    /// It failed (or was cancelled).
    Failed(Execution),
    /// It was started and not followed (`--no-wait`): its execution ID.
    Started(String),
}

/// A `StartFlow` client token unique to this call: a retried call with it starts one run
/// ("If you use a different value for clientToken, Amazon AppFlow considers it a new call
/// to StartFlow", AppFlow API reference).
pub(super) fn client_token() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("flowform-{}-{nanos}", std::process::id())
}

/// What Ctrl-C during a run says: the run goes on in AppFlow, and `file`'s history shows it.
fn interrupted(file: &str, flow: &DeployedFlow, execution: Option<&str>) -> Failure {
    let run = match execution {
        Some(id) => format!("run {id}"),
        None => "the run (if StartFlow got through)".into(),
    };
    Failure::interrupted(format!(
        "interrupted: {run} of {} goes on in AppFlow; follow it with `flowform history {file} {}`, or `aws appflow describe-flow-execution-records --flow-name {}`",
        flow.name, flow.name, flow.name
    ))
}

/// Why flow `flow` of `file` cannot be run on demand, if it cannot.
pub fn not_on_demand(file: &str, flow: &DeployedFlow) -> Option<String> {
    let how = match flow.trigger.as_str() {
        "OnDemand" => return None,
        "Scheduled" => "its schedule",
        _ => "its source's events",
    };
    Some(format!(
        "flow {} runs on {how}, not on demand: `flowform start {file} {}` activates it, `flowform stop {file} {}` suspends it",
        flow.name, flow.name, flow.name
    ))
}

/// Starts a run of on-demand flow `flow` of `file` and (with `wait`) follows it to its
/// end, printing a line whenever its status or numbers change.
pub async fn run(
    api: &impl AppFlow,
    ui: &mut Ui,
    file: &str,
    flow: &DeployedFlow,
    wait: bool,
) -> Result<Outcome, Failure> {
    if let Some(message) = not_on_demand(file, flow) {
        return Err(Failure { message, exit: 2 });
    }
    let token = client_token();
    let started = ui
        .interrupt
        .run(api.start_flow(&flow.name, &token))
        .await
        .ok_or_else(|| interrupted(file, flow, None))?
        .map_err(|error| not_deployed(flow, error))?;
    let Some(id) = started.execution_id else {
        return Err(Failure::new(format!(
            "AppFlow answered StartFlow for {} without a run (flow status {})",
            flow.name, started.flow_status
        )));
    };
    ui.line(format!("flow {}: run {id} started", flow.name));
    if !wait {
        return Ok(Outcome::Started(id));
    }
    let mut shown = String::new();
    loop {
        if ui.interrupt.sleep(ui.poll_interval).await {
            return Err(interrupted(file, flow, Some(&id)));
        }
        let page = match ui.interrupt.run(api.executions(&flow.name, 10, None)).await {
            None => return Err(interrupted(file, flow, Some(&id))),
            Some(Ok(page)) => page,
            // A throttled or unanswered poll is tried again at the next tick.
            Some(Err(error)) if error.kind != ApiErrorKind::Permanent => continue,
            Some(Err(error)) => return Err(error.into()),
        };
        // The run shows up in the records a moment after it starts.
        let Some(execution) = page.executions.into_iter().find(|execution| execution.id == id) else {
            continue;
        };
        let line = format!("  {}", progress(&execution));
        if line != shown {
            ui.line(&line);
            shown = line;
        }
        if execution.is_finished() {
            return Ok(if execution.succeeded() {
                Outcome::Succeeded(execution)
            } else {
                Outcome::Failed(execution)
            });
        }
    }
}

/// `StartFlow`'s error, with what to do when the flow is not deployed.
fn not_deployed(flow: &DeployedFlow, error: ApiError) -> Failure {
    if error.code == "ResourceNotFoundException" {
        Failure::new(format!(
            "flow {} does not exist in this account and region: deploy stack {} first (`flowform deploy`)",
            flow.name, flow.stack
        ))
    } else {
        error.into()
    }
}

/// A run's status and numbers on one line: `Successful  42 records  4.2 kB read  4.2 kB
/// written  2.0 s`.
pub fn progress(execution: &Execution) -> String {
    let mut parts = vec![format!("{:<11}", execution.status)];
    if let Some(records) = execution.records {
        parts.push(format!("{records} record{}", if records == 1 { "" } else { "s" }));
    }
    if let Some(bytes) = execution.bytes_processed {
        parts.push(format!("{} read", bytes_text(bytes)));
    }
    if let Some(bytes) = execution.bytes_written {
        parts.push(format!("{} written", bytes_text(bytes)));
    }
    if let Some(duration) = execution.duration() {
        parts.push(duration_text(duration));
    }
    parts.join("  ")
}

/// The summary of a run that ended.
pub fn summary(flow: &str, execution: &Execution) -> String {
    let elapsed = execution.duration().map(duration_text).unwrap_or_else(|| "?".into());
    if execution.succeeded() {
        format!(
            "run {} of {flow} succeeded in {elapsed}: {} records",
            execution.id,
            execution.records.unwrap_or(0)
        )
    } else {
        let ended = match execution.status.as_str() {
            "Error" => "failed".to_owned(),
            "Canceled" => "was cancelled".to_owned(),
            other => format!("ended {other}"),
        };
        let mut text = format!("run {} of {flow} {ended} after {elapsed}", execution.id);
        if let Some(message) = &execution.message {
            text.push_str(": ");
            text.push_str(message);
        }
        if let Some(failures) = execution.put_failures.filter(|count| *count > 0) {
            text.push_str(&format!(" ({failures} records could not be written)"));
        }
        text
    }
}

/// Bytes as the console shows them: B, kB, MB, GB (powers of 1,000).
pub fn bytes_text(bytes: i64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1_000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1_000.0;
    let mut unit = 0;
    while value >= 1_000.0 && unit + 1 < UNITS.len() {
        value /= 1_000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A duration as `2.0 s`, `3 min 4 s` or `1 h 2 min`.
pub fn duration_text(duration: SignedDuration) -> String {
    let seconds = duration.as_secs_f64().max(0.0);
    if seconds < 60.0 {
        return format!("{seconds:.1} s");
    }
    let whole = seconds as u64;
    if whole < 3_600 {
        format!("{} min {} s", whole / 60, whole % 60)
    } else {
        format!("{} h {} min", whole / 3_600, whole % 3_600 / 60)
    }
}

/// A time as the tables show it: UTC, to the second.
pub fn time_text(time: Option<Timestamp>) -> String {
    match time {
        Some(time) => time.strftime("%Y-%m-%d %H:%M:%S").to_string(),
        None => "-".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_in_the_console() {
        assert_eq!(bytes_text(999), "999 B");
        assert_eq!(bytes_text(4_200), "4.2 kB");
        assert_eq!(bytes_text(3_500_000_000), "3.5 GB");
        assert_eq!(duration_text(SignedDuration::from_millis(2_049)), "2.0 s");
        assert_eq!(duration_text(SignedDuration::from_secs(184)), "3 min 4 s");
        assert_eq!(duration_text(SignedDuration::from_secs(3_720)), "1 h 2 min");
        let started: Timestamp = "2030-01-01T10:00:00Z".parse().unwrap();
        let run = Execution {
            id: "e1".into(),
            status: "Error".into(),
            started: Some(started),
            updated: Some(started + SignedDuration::from_secs(3)),
            records: Some(1),
            message: Some("the bucket is empty".into()),
            put_failures: Some(2),
            ..Execution::default()
        };
        assert_eq!(progress(&run), "Error        1 record  3.0 s");
        assert_eq!(
            summary("crm-copy", &run),
            "run e1 of crm-copy failed after 3.0 s: the bucket is empty (2 records could not be written)"
        );
        assert_eq!(time_text(Some(started)), "2030-01-01 10:00:00");
    }
}
