//! Following a stack operation: polling `DescribeStacks` and streaming new stack events.
//!
//! The SDK's `wait_until_*` waiters poll no faster than every 30 s and print nothing, so
//! flowform polls itself at `--poll-interval`, prints each new event once (events are
//! de-duplicated by ID and printed oldest first), keeps a "resources done / total" count,
//! and stops at the first status that is not `*_IN_PROGRESS`.

use std::collections::HashSet;
use std::time::Instant;

use super::api::{ApiError, CloudFormation, StackEvent, StackInfo};
use super::ui::Ui;

/// Pages of events read back per poll at most before giving up on finding the last one
/// seen (a stack with a long history and a very slow poll).
const MAX_EVENT_PAGES: usize = 20;

/// Whether `status` is a settled stack status. Unknown values count as settled only
/// when they do not say they are in progress, and `REVIEW_IN_PROGRESS` (a stack a change
/// set was created for) counts as settled: nothing will happen to it by itself.
pub fn is_settled(status: &str) -> bool {
    status == "REVIEW_IN_PROGRESS" || !status.ends_with("_IN_PROGRESS")
}

/// Whether a settled status means the operation succeeded.
pub fn is_success(status: &str) -> bool {
    matches!(
        status,
        "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "DELETE_COMPLETE" | "IMPORT_COMPLETE"
    )
}

/// The stack's events, remembering which have been shown.
#[derive(Debug, Default)]
pub struct EventStream {
    seen: HashSet<String>,
    /// The newest event ID seen: reading stops there.
    newest: Option<String>,
    /// Logical IDs whose operation completed (for the done count).
    done: HashSet<String>,
    /// Failed resources and why, in the order they failed.
    pub failures: indexmap::IndexMap<String, String>,
    /// Resources CloudFormation kept instead of deleting them (`DELETE_SKIPPED`: their
    /// `DeletionPolicy` retains them): (logical ID, type, physical ID).
    pub kept: Vec<(String, String, Option<String>)>,
}

/// The command that deletes a kept resource of `resource_type`, by its physical ID.
pub fn delete_command(resource_type: &str, physical_id: &str) -> Option<String> {
    Some(match resource_type {
        "AWS::S3::Bucket" => format!("aws s3 rb s3://{physical_id} --force"),
        "AWS::KMS::Key" => format!("aws kms schedule-key-deletion --key-id {physical_id} --pending-window-in-days 7"),
        "AWS::SecretsManager::Secret" => format!("aws secretsmanager delete-secret --secret-id {physical_id}"),
        "AWS::Glue::Database" => format!("aws glue delete-database --name {physical_id}"),
        // A queue's physical ID is its URL.
        "AWS::SQS::Queue" => format!("aws sqs delete-queue --queue-url {physical_id}"),
        "AWS::CustomerProfiles::Domain" => format!("aws customer-profiles delete-domain --domain-name {physical_id}"),
        "AWS::AppFlow::Flow" => format!("aws appflow delete-flow --flow-name {physical_id}"),
        "AWS::AppFlow::ConnectorProfile" => {
            format!("aws appflow delete-connector-profile --connector-profile-name {physical_id}")
        }
        _ => return None,
    })
}

/// Lines naming each resource in `kept`, with the command that deletes it.
pub fn kept_lines(kept: &[(String, String, Option<String>)]) -> Vec<String> {
    let mut lines = Vec::new();
    if kept.is_empty() {
        return lines;
    }
    lines.push(format!(
        "  Kept in the account ({} resource{}, DeletionPolicy retains them; they are no longer part of any stack):",
        kept.len(),
        if kept.len() == 1 { "" } else { "s" }
    ));
    for (logical_id, resource_type, physical_id) in kept {
        let physical = physical_id.as_deref().unwrap_or("(unknown physical ID)");
        lines.push(format!("    {resource_type} {logical_id}: {physical}"));
        if let Some(command) = physical_id.as_deref().and_then(|id| delete_command(resource_type, id)) {
            lines.push(format!("      delete it with: {command}"));
        }
    }
    lines
}

impl EventStream {
    /// Marks every event the stack has now as seen, so only later ones are shown.
    pub async fn skip_existing(&mut self, api: &impl CloudFormation, stack: &str) -> Result<(), ApiError> {
        self.fetch_new(api, stack).await.map(|_| ())
    }

    /// The events since the last call, oldest first.
    async fn fetch_new(&mut self, api: &impl CloudFormation, stack: &str) -> Result<Vec<StackEvent>, ApiError> {
        let mut fresh = Vec::new();
        let mut token: Option<String> = None;
        'pages: for _ in 0..MAX_EVENT_PAGES {
            let page = api.stack_events(stack, token.as_deref()).await?;
            for event in page.events {
                if Some(&event.id) == self.newest.as_ref() {
                    break 'pages;
                }
                if self.seen.insert(event.id.clone()) {
                    fresh.push(event);
                }
            }
            token = page.next_token;
            if token.is_none() {
                break;
            }
        }
        if let Some(newest) = fresh.first() {
            self.newest = Some(newest.id.clone());
        }
        fresh.reverse();
        Ok(fresh)
    }
}

/// How following an operation ended.
#[derive(Debug)]
pub enum Watched {
    /// The stack settled in this state (success or not: see [`is_success`]).
    Settled(StackInfo),
    /// The stack is gone (deleted, and CloudFormation no longer describes it).
    Gone,
    /// Ctrl-C: the operation goes on without us; the last status seen.
    Interrupted(String),
}

/// Follows `stack` (its ID) until it settles, printing new events with a progress count
/// out of `total` resources.
pub async fn follow(
    api: &impl CloudFormation,
    ui: &mut Ui,
    stack: &str,
    events: &mut EventStream,
    total: usize,
) -> Result<Watched, ApiError> {
    let started = Instant::now();
    let mut status = "IN_PROGRESS".to_string();
    loop {
        // Ctrl-C during a call in flight is Ctrl-C while waiting.
        let info = match api.describe_stack(stack).await {
            Err(error) if error.is_interrupted() => return Ok(Watched::Interrupted(status)),
            answer => answer?,
        };
        // Events after the status, so the events that led to a settled status are all
        // printed before it is reported.
        let fresh = match events.fetch_new(api, stack).await {
            Err(error) if error.is_interrupted() => Vec::new(),
            answer => answer?,
        };
        for event in fresh {
            print_event(ui, events, &event, total, started);
        }
        status = match info {
            None => return Ok(Watched::Gone),
            Some(info) if is_settled(&info.status) => return Ok(Watched::Settled(info)),
            Some(info) => info.status,
        };
        if ui.interrupt.sleep(ui.poll_interval).await {
            return Ok(Watched::Interrupted(status));
        }
    }
}

fn print_event(ui: &mut Ui, events: &mut EventStream, event: &StackEvent, total: usize, started: Instant) {
    if !event.is_stack_event() && (event.status.ends_with("_COMPLETE") || event.status.ends_with("_SKIPPED")) {
        events.done.insert(event.logical_id.clone());
    }
    if event.status == "DELETE_SKIPPED" && !event.is_stack_event() {
        events.kept.push((
            event.logical_id.clone(),
            event.resource_type.clone(),
            event.physical_id.clone(),
        ));
    }
    let failed = event.status.ends_with("_FAILED");
    if failed && !event.is_stack_event() {
        let reason = event.reason.clone().unwrap_or_else(|| "no reason given".into());
        events.failures.entry(event.logical_id.clone()).or_insert(reason);
    }
    let progress = format!(
        "[{}/{total} {:.1}s]",
        events.done.len().min(total),
        started.elapsed().as_secs_f64()
    );
    let mut line = format!(
        "  {progress} {:<28} {:<34} {}",
        event.status, event.resource_type, event.logical_id
    );
    if let Some(reason) = &event.reason
        && (failed || event.is_stack_event() || event.status.contains("ROLLBACK"))
    {
        line.push_str(&format!(": {reason}"));
    }
    ui.line(line.trim_end());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_settle_unless_in_progress() {
        for settled in [
            "CREATE_COMPLETE",
            "ROLLBACK_COMPLETE",
            "UPDATE_ROLLBACK_FAILED",
            "REVIEW_IN_PROGRESS",
            "SOME_NEW_STATUS",
        ] {
            assert!(is_settled(settled), "{settled}");
        }
        for moving in [
            "CREATE_IN_PROGRESS",
            "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
            "UPDATE_ROLLBACK_IN_PROGRESS",
        ] {
            assert!(!is_settled(moving), "{moving}");
        }
        assert!(is_success("UPDATE_COMPLETE"));
        assert!(!is_success("UPDATE_ROLLBACK_COMPLETE"));
        assert!(!is_success("ROLLBACK_COMPLETE"));
    }
}
