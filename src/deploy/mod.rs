//! `flowform deploy`, `diff` and `destroy`: a wrapped CloudFormation change-set workflow.
//!
//! - [`api`]: the CloudFormation calls the workflow makes, as a trait with plain data.
//! - [`aws`]: that trait over the AWS SDK; [`retry`]: backoff for throttled calls.
//! - [`workflow`]: deploying one stack (change set, review, confirmation, execution);
//!   [`batch`]: the stacks of a run in order, a split's flow stacks several at a time.
//! - [`watch`]: following a stack operation and streaming its events.
//! - [`current`]: whether a stack is up to date without a change set (a rollout's re-run).
//! - [`review`], [`diff`], [`start_time`]: the pure parts (review table, template diff,
//!   start-time parameter values), unit-tested without any endpoint.
//! - [`ui`]: output, prompts and Ctrl-C; [`command`]: the command lines; [`values`]: the
//!   per-environment values files of `deploy --parameters`.
//!
//! Templates are always synthesized in memory from the flow files at the moment of the
//! deploy, never read from earlier `synth` output. Split stacks are deployed main stack
//! first (the flow stacks import its exports) and destroyed in the opposite order.

pub mod api;
pub mod aws;
pub mod batch;
pub mod command;
pub mod current;
pub mod diff;
pub mod retry;
pub mod review;
pub mod start_time;
pub mod ui;
pub mod values;
pub mod watch;
pub mod workflow;

#[cfg(test)]
mod tests;

use serde_json::Value;

use self::api::{ApiError, CloudFormation};
use self::ui::Ui;
use self::watch::{EventStream, Watched, follow};
use crate::split::StackTemplate;
use crate::{Format, emit};

/// One stack to deploy or compare: its name, its template as JSON text and as a value.
#[derive(Debug, Clone, PartialEq)]
pub struct StackPlan {
    /// The stack name.
    pub stack: String,
    /// The template JSON, exactly as it is sent.
    pub body: String,
    /// The same template, parsed.
    pub template: Value,
    /// The tags of the stack itself.
    pub tags: std::collections::BTreeMap<String, String>,
}

impl StackPlan {
    /// The plan for a synthesized stack.
    pub fn new(template: &StackTemplate) -> StackPlan {
        StackPlan {
            stack: template.stack.clone(),
            body: emit(&template.template, Format::Json),
            // The same serialization as the body, as a value (it cannot fail: every
            // key is a string).
            template: serde_json::to_value(&template.template).unwrap_or(Value::Null),
            tags: template.tags.clone(),
        }
    }
}

/// What a run of `deploy`, `diff` or `destroy` works on, synthesized from the flow files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Planned {
    /// The stacks, in deploy order (each file's main stack before its flow stacks).
    pub stacks: Vec<StackPlan>,
    /// Flow stacks the locks place flows in that the files no longer give any: a deploy
    /// deletes them (before updating the main stack, whose exports they may import).
    pub emptied: Vec<String>,
    /// The lock files whose contents changed, and their new text.
    pub locks: Vec<(std::path::PathBuf, String)>,
}

impl Planned {
    /// The stacks to delete to destroy everything the files deploy, in an order that
    /// works with exports in use: flow stacks (emptied ones too) before the main stacks
    /// whose exports they import.
    pub fn destroy_order(&self) -> Vec<String> {
        let mut order = self.emptied.clone();
        order.extend(self.stacks.iter().rev().map(|plan| plan.stack.clone()));
        order
    }
}

/// Why a command failed, and the exit code that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What went wrong and what to do about it.
    pub message: String,
    /// 1 for failures, 130 for Ctrl-C.
    pub exit: u8,
}

impl Failure {
    /// A failure (exit code 1).
    pub fn new(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            exit: 1,
        }
    }

    /// Ctrl-C (exit code 130, as for a shell's interrupted command).
    pub fn interrupted(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            exit: 130,
        }
    }
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Failure {
        if error.is_interrupted() {
            Failure::interrupted(format!("interrupted: {}; flowform made no further call", error.message))
        } else if error.code == "NoResponse" {
            Failure::new(format!("no answer from AWS: {}", error.message))
        } else {
            Failure::new(format!("AWS said {error}"))
        }
    }
}

/// What `diff` found for one stack.
#[derive(Debug, Clone, PartialEq)]
pub enum StackDiff {
    /// The stack does not exist: a deploy creates it with these resources.
    New(Vec<diff::Entry>),
    /// The stack exists; these are the differences (none: up to date).
    Existing(Vec<diff::Entry>),
}

impl StackDiff {
    /// Whether a deploy would change anything.
    pub fn has_changes(&self) -> bool {
        match self {
            StackDiff::New(_) => true,
            StackDiff::Existing(entries) => !entries.is_empty(),
        }
    }
}

/// Compares `plan` with the template deployed for its stack.
pub async fn diff_stack(api: &impl CloudFormation, plan: &StackPlan) -> Result<StackDiff, Failure> {
    let exists = api
        .describe_stack(&plan.stack)
        .await?
        .is_some_and(|info| info.status != "REVIEW_IN_PROGRESS");
    if !exists {
        return Ok(StackDiff::New(diff::diff_templates(&Value::Null, &plan.template)));
    }
    let deployed_text = api.get_template(&plan.stack).await?;
    let deployed: Value = serde_json::from_str(&deployed_text).map_err(|error| {
        Failure::new(format!(
            "the template deployed as {} is not JSON ({error}); flowform deploys JSON, so the stack was deployed by another tool and cannot be compared",
            plan.stack
        ))
    })?;
    Ok(StackDiff::Existing(diff::diff_templates(&deployed, &plan.template)))
}

/// Deletes `stack` after confirmation, following its events; `Ok(false)` when it did not
/// exist.
pub async fn destroy_stack(
    api: &impl CloudFormation,
    ui: &mut Ui,
    stack: &str,
    role_arn: Option<&str>,
) -> Result<bool, Failure> {
    let Some(info) = api.describe_stack(stack).await? else {
        ui.line(format!("stack {stack} does not exist: nothing to delete"));
        return Ok(false);
    };
    let total = api
        .get_template(&info.id)
        .await
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .and_then(|template| template["Resources"].as_object().map(|r| r.len()))
        .unwrap_or(0);
    if !ui.yes {
        if !ui.can_ask() {
            return Err(Failure::new(format!(
                "refusing to delete stack {stack} ({total} resources) without confirmation: there is no terminal to ask on; pass --yes"
            )));
        }
        let question = format!(
            "Delete stack {stack} ({}) and its {total} resources? Resources with DeletionPolicy Retain are kept.",
            info.status
        );
        if !ui.confirm(&question).await {
            return Err(Failure::new(format!("stack {stack} was not deleted")));
        }
    }
    let mut events = EventStream::default();
    events.skip_existing(api, &info.id).await?;
    api.delete_stack(&info.id, role_arn).await.map_err(|error| {
        if error.message.contains("TerminationProtection") || error.message.contains("termination protection") {
            Failure::new(format!(
                "stack {stack} has termination protection, so CloudFormation refuses to delete it; if it really is to go, turn it off (`aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name {stack}`) and destroy again"
            ))
        } else if error.message.contains("imported by") || error.message.contains("in use by") {
            Failure::new(format!(
                "stack {stack} cannot be deleted: {}; another stack imports its exports, so delete that stack first (`flowform destroy FILE` deletes a file's flow stacks before its main stack), or remove its `Fn::ImportValue`",
                error.message
            ))
        } else {
            Failure::from(error)
        }
    })?;
    ui.line(format!("stack {stack}: deleting"));
    match follow(api, ui, &info.id, &mut events, total).await? {
        Watched::Gone => {}
        Watched::Settled(after) if after.status == "DELETE_COMPLETE" => {}
        Watched::Settled(after) => {
            let reasons = after
                .status_reason
                .iter()
                .chain(events.failures.values())
                .any(|reason| reason.contains("in use by"));
            if reasons {
                // CloudFormation refuses to remove an export another stack imports
                // ("Export ... cannot be deleted as it is in use by ...").
                ui.line(format!(
                    "  another stack imports an export of {stack}: delete that stack first (`flowform destroy FILE` deletes a file's flow stacks before its main stack), or remove its `Fn::ImportValue`, then destroy again"
                ));
            }
            return Err(workflow::failed(
                ui,
                stack,
                &after.status,
                after.status_reason.as_deref(),
                &events,
                &[],
            ));
        }
        Watched::Interrupted(status) => {
            return Err(Failure::interrupted(format!(
                "stopped waiting: stack {stack} is {status} and CloudFormation carries on deleting it; follow it with `aws cloudformation describe-stack-events --stack-name {}`",
                info.id
            )));
        }
    }
    ui.line(format!("stack {stack}: DELETE_COMPLETE"));
    for line in watch::kept_lines(&events.kept) {
        ui.line(line);
    }
    Ok(true)
}
