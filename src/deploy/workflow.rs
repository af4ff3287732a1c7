//! Deploying one stack through a change set: create it, review it, execute it, follow it.
//!
//! Longer than most modules: the two change sets of a deploy (the second activating flows
//! that await it), their parameters, and the tests of both.

use std::collections::BTreeMap;
use std::time::Instant;

use jiff::Timestamp;

use super::api::{
    ApiError, ChangeSetIds, ChangeSetInfo, ChangeSetRequest, ChangeSetType, CloudFormation, Finding, FindingsOf,
    ParameterValue, StackInfo, TemplateSource,
};
use super::review;
use super::start_time::start_time_values;
use super::ui::Ui;
use super::watch::{EventStream, Watched, follow, is_settled, is_success};
use super::{Failure, StackPlan};
use crate::split::MAX_INLINE_TEMPLATE_BYTES;

/// The settings of a deploy that apply to every stack.
#[derive(Debug, Clone, Default)]
pub struct DeploySettings {
    /// `--parameter K=V` values (each stack takes those it declares).
    pub parameters: BTreeMap<String, String>,
    /// `--role-arn`: the role CloudFormation deploys with.
    pub role_arn: Option<String>,
    /// `--template-bucket`: where templates over 51,200 bytes are uploaded.
    pub template_bucket: Option<String>,
    /// `--no-execute`: create and show the change set, then stop.
    pub no_execute: bool,
    /// `diff --change-set`: create and show the change set, then delete it.
    pub preview: bool,
    /// `--notification-arn`: SNS topics for the stack's events.
    pub notification_arns: Vec<String>,
    /// `--disable-rollback`: keep what was provisioned when the operation fails.
    pub disable_rollback: bool,
    /// `--termination-protection`: turned on once the stack exists.
    pub termination_protection: bool,
    /// `--import-existing`: adopt existing named resources (CloudFormation's automatic
    /// import) instead of failing on their names.
    pub import_existing: bool,
    /// `--require-approval broadening`: ask before changes to what grants access.
    pub require_approval_broadening: bool,
    /// The time start-time parameters are computed from.
    pub now: Option<Timestamp>,
}

/// How deploying a stack ended well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deployed {
    /// The change set was executed and the stack is `CREATE_COMPLETE`/`UPDATE_COMPLETE`.
    Executed(StackInfo),
    /// The template and parameters match what is deployed.
    NoChanges,
    /// `--no-execute`: the change set (this ID) is ready for review.
    Prepared(String),
    /// `diff --change-set`: the change set was shown (it has changes) and deleted.
    Previewed,
}

/// What a change set that is not executed leaves behind, to clean up.
struct Pending<'a> {
    stack: &'a str,
    change_set_id: String,
    /// The change set created the stack (it sits empty in `REVIEW_IN_PROGRESS`).
    created_stack: bool,
}

impl Pending<'_> {
    /// Deletes the change set, and the empty stack it created; says so.
    async fn discard(&self, api: &impl CloudFormation, ui: &mut Ui) {
        let deleted = api.delete_change_set(&self.change_set_id).await;
        let stack_deleted = if self.created_stack {
            api.delete_stack(self.stack, None).await
        } else {
            Ok(())
        };
        match (deleted, stack_deleted) {
            (Ok(()), Ok(())) if self.created_stack => {
                ui.line(format!("  deleted the change set and the empty stack {}", self.stack))
            }
            (Ok(()), Ok(())) => ui.line("  deleted the change set"),
            (Err(error), _) | (_, Err(error)) => ui.line(format!(
                "  could not delete the change set {}: {error}; delete it in the console",
                self.change_set_id
            )),
        }
    }
}

/// Which change set of a deploy this is.
enum Phase<'p> {
    /// The change set of the template as it is: flows awaiting activation stay drafts
    /// until what they write to exists (a partner event source associated with its bus).
    Deploy,
    /// The second change set: the stack is up, the partner event sources are associated
    /// with their buses, and these activation parameters become `Active`.
    Activate(&'p [String]),
}

/// Deploys `plan` through a change set, then, when the template has flows awaiting
/// activation (activation parameters still `Draft`), activates them through a second
/// change set. Such a flow writes to something that exists only once the flow does: a
/// partner event source AppFlow creates with the flow, associated with a bus created after
/// it, and only then may the flow be activated (the destination's connector module cites
/// the evidence; DEPLOY-TIME.md rule 3).
/// `FlowStatus` is updatable in place (the update handler may call StartFlow), so the
/// second change set only modifies the flows.
pub async fn deploy_stack(
    api: &impl CloudFormation,
    ui: &mut Ui,
    plan: &StackPlan,
    settings: &DeploySettings,
) -> Result<Deployed, Failure> {
    let (deployed, drafts) = deploy_change_set(api, ui, plan, settings, Phase::Deploy).await?;
    if drafts.is_empty() || matches!(deployed, Deployed::Prepared(_) | Deployed::Previewed) {
        if !drafts.is_empty() {
            ui.line(format!(
                "  after this change set, flowform deploy activates {} with a second change set ({})",
                drafts_summary(&drafts),
                drafts.join(", ")
            ));
        }
        return Ok(deployed);
    }
    ui.line(format!(
        "stack {}: activating {}: their partner event sources now exist and are associated with their event buses",
        plan.stack,
        drafts_summary(&drafts)
    ));
    let (activated, _) = deploy_change_set(api, ui, plan, settings, Phase::Activate(&drafts)).await?;
    Ok(match (activated, deployed) {
        (Deployed::NoChanges, first) => first,
        (second, _) => second,
    })
}

/// `1 flow awaiting activation` / `3 flows awaiting activation`.
fn drafts_summary(drafts: &[String]) -> String {
    match drafts.len() {
        1 => "1 flow awaiting activation".into(),
        n => format!("{n} flows awaiting activation"),
    }
}

/// One change set: create it, review it, execute it. Also returns the activation
/// parameters it left at `Draft` (to activate next).
async fn deploy_change_set(
    api: &impl CloudFormation,
    ui: &mut Ui,
    plan: &StackPlan,
    settings: &DeploySettings,
    phase: Phase<'_>,
) -> Result<(Deployed, Vec<String>), Failure> {
    let stack = plan.stack.as_str();
    let mut existing = api.describe_stack(stack).await?;
    if let Some(info) = &existing {
        if info.status == "ROLLBACK_COMPLETE" {
            delete_failed_creation(api, ui, info).await?;
            existing = None;
        } else {
            check_deployable(info)?;
        }
    }
    let change_set_type = match &existing {
        Some(info) if info.status != "REVIEW_IN_PROGRESS" => ChangeSetType::Update,
        _ => ChangeSetType::Create,
    };
    let previous = match (&existing, change_set_type) {
        (Some(info), ChangeSetType::Update) => info.parameters.clone(),
        _ => BTreeMap::new(),
    };
    if change_set_type == ChangeSetType::Update && !settings.preview {
        discard_leftovers(api, ui, stack).await;
    }
    let template = template_source(api, ui, plan, settings).await?;
    let (parameters, drafts) = match phase {
        Phase::Deploy => {
            let asked = ask_missing(ui, plan, settings, &previous, change_set_type).await?;
            let planned = parameter_values(plan, &asked, &previous, change_set_type)
                .map_err(|missing| missing_failure(plan, &missing))?;
            (planned.values, planned.drafts)
        }
        Phase::Activate(drafts) => (activation_values(plan, drafts), Vec::new()),
    };
    let change_set_name = format!("flowform-{}", Timestamp::now().as_millisecond());
    let request = ChangeSetRequest {
        stack_name: stack.to_string(),
        change_set_name: change_set_name.clone(),
        change_set_type,
        template,
        parameters,
        capabilities: capabilities(plan),
        role_arn: settings.role_arn.clone(),
        description: match phase {
            Phase::Deploy => format!("flowform deploy of {stack}"),
            Phase::Activate(_) => format!("flowform deploy of {stack}: activation of its flows awaiting it"),
        },
        // Unique per change set, and the change set name's characters satisfy the
        // token's pattern (`[a-zA-Z0-9][-a-zA-Z0-9]*`, CloudFormation API reference).
        client_token: change_set_name.clone(),
        tags: plan.tags.clone(),
        notification_arns: settings.notification_arns.clone(),
        import_existing: settings.import_existing,
    };
    if settings.import_existing {
        for line in review::not_importable(&plan.template) {
            ui.line(line);
        }
    }
    let ids = api.create_change_set(&request).await?;
    let pending = Pending {
        stack,
        change_set_id: ids.id.clone(),
        created_stack: existing.is_none(),
    };
    ui.line(format!("stack {stack}: creating change set {change_set_name}"));
    let Some(change_set) = wait_for_change_set(api, ui, &ids.id).await? else {
        pending.discard(api, ui).await;
        return Err(Failure::interrupted(format!(
            "interrupted while CloudFormation prepared the change set; nothing was deployed to {stack}"
        )));
    };
    if change_set.status == "FAILED" {
        let reason = change_set.status_reason.unwrap_or_default();
        if is_no_change(&reason) {
            ui.line(format!("stack {stack}: no changes (already up to date)"));
            pending.discard(api, ui).await;
            return Ok((Deployed::NoChanges, drafts));
        }
        ui.line(format!("stack {stack}: the change set failed: {reason}"));
        let found = findings(api, FindingsOf::ChangeSet(&ids.id)).await;
        print_findings(ui, &found, false);
        pending.discard(api, ui).await;
        return Err(Failure::new(format!(
            "CloudFormation rejected the change set for {stack}: {reason}"
        )));
    }
    let kind = match (&phase, change_set_type) {
        (Phase::Activate(_), _) => "activates the flows",
        (_, ChangeSetType::Create) => "creates the stack",
        (_, ChangeSetType::Update) => "updates the stack",
    };
    let count = change_set.changes.len();
    ui.line(format!(
        "stack {stack}: change set {change_set_name} {kind}: {count} change{}",
        if count == 1 { "" } else { "s" }
    ));
    for line in review::table(&change_set.changes) {
        ui.line(line);
    }
    for line in review::suspended_new_flows(&change_set.changes, &plan.template) {
        ui.line(line);
    }
    print_findings(ui, &findings(api, FindingsOf::ChangeSet(&ids.id)).await, true);
    if !request.capabilities.is_empty() {
        ui.line(format!(
            "  acknowledging {}: the stack creates IAM resources (listed above)",
            request.capabilities.join(" and ")
        ));
    }
    let impossible = review::impossible_replacements(&change_set.changes);
    if !impossible.is_empty() {
        for problem in &impossible {
            ui.line(format!("  {problem}"));
        }
        pending.discard(api, ui).await;
        return Err(Failure::new(format!(
            "the change set for {stack} cannot succeed: {}",
            impossible.join("; ")
        )));
    }
    if settings.preview {
        pending.discard(api, ui).await;
        return Ok((Deployed::Previewed, drafts));
    }
    if settings.no_execute {
        ui.line(format!(
            "  not executed (--no-execute). Execute it with `aws cloudformation execute-change-set --change-set-name {}`, or delete it with `aws cloudformation delete-change-set --change-set-name {}`",
            ids.id, ids.id
        ));
        return Ok((Deployed::Prepared(ids.id), drafts));
    }
    let deployed_template = if change_set_type == ChangeSetType::Update
        && change_set
            .changes
            .iter()
            .any(|c| c.action == "Remove" && review::is_destructive(c))
    {
        // A removed resource's fate is the policy it was deployed with.
        api.get_template(stack)
            .await
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or(serde_json::Value::Null)
    } else {
        serde_json::Value::Null
    };
    let (fates, any_deleted) = review::data_fate(&change_set.changes, &deployed_template, &plan.template);
    for line in &fates {
        ui.line(line);
    }
    if let Err(failure) = approve(ui, stack, &change_set, any_deleted).await {
        pending.discard(api, ui).await;
        return Err(failure);
    }
    if settings.require_approval_broadening
        && let Err(failure) = approve_broadening(ui, stack, &change_set).await
    {
        pending.discard(api, ui).await;
        return Err(failure);
    }
    let mut events = EventStream::default();
    let skipped = events.skip_existing(api, &ids.stack_id).await;
    // The last moment Ctrl-C leaves nothing deployed: the change set goes.
    if ui.interrupt.is_set() || skipped.as_ref().is_err_and(ApiError::is_interrupted) {
        pending.discard(api, ui).await;
        return Err(Failure::interrupted(format!(
            "interrupted before the change set was executed; nothing was deployed to {stack}"
        )));
    }
    skipped?;
    let execution = Execution {
        ids: &ids,
        token: format!("{change_set_name}-execute"),
        total: count,
    };
    let deployed = execute(api, ui, stack, &execution, events, settings).await?;
    Ok((deployed, drafts))
}

/// Deletes the change sets earlier `--no-execute` runs left on `stack` (flowform's, named
/// `flowform-*`): CloudFormation deletes a stack's other change sets when one is executed,
/// but unexecuted ones pile up otherwise. A failure to list or delete is only said.
async fn discard_leftovers(api: &impl CloudFormation, ui: &mut Ui, stack: &str) {
    let Ok(listed) = api.list_change_sets(stack).await else {
        return;
    };
    for (id, name) in listed.into_iter().filter(|(_, name)| name.starts_with("flowform-")) {
        match api.delete_change_set(&id).await {
            Ok(()) => ui.line(format!(
                "stack {stack}: deleted the change set {name} an earlier --no-execute left"
            )),
            Err(error) => ui.line(format!(
                "stack {stack}: could not delete the earlier change set {name}: {error}"
            )),
        }
    }
}

/// Asks for confirmation when the change set removes or replaces resources.
/// `deletes_data`: whether any old resource is deleted rather than kept (see
/// [`review::data_fate`]), so the question says what is lost only when something is.
async fn approve(ui: &mut Ui, stack: &str, change_set: &ChangeSetInfo, deletes_data: bool) -> Result<(), Failure> {
    if !change_set.changes.iter().any(review::is_destructive) {
        return Ok(());
    }
    let summary = review::destructive_summary(&change_set.changes);
    let loss = if deletes_data {
        "data is lost where the old resource is deleted, as listed above"
    } else {
        "every old resource is kept in the account, as listed above"
    };
    ask_to_execute(ui, stack, &format!("{summary} ({loss})")).await
}

/// With `--require-approval broadening`: asks when the change set adds or changes a
/// resource that grants access (see [`review::broadening`]), as `cdk deploy
/// --require-approval broadening` does.
async fn approve_broadening(ui: &mut Ui, stack: &str, change_set: &ChangeSetInfo) -> Result<(), Failure> {
    let broadening = review::broadening(&change_set.changes);
    if broadening.is_empty() {
        return Ok(());
    }
    for change in &broadening {
        ui.line(format!(
            "  permissions: {} {} {}",
            change.action, change.resource_type, change.logical_id
        ));
    }
    let summary = format!(
        "changes {} resource{} that grant access (listed above; --require-approval broadening)",
        broadening.len(),
        if broadening.len() == 1 { "" } else { "s" }
    );
    ask_to_execute(ui, stack, &summary).await
}

/// Asks whether to execute a change set that `summary` describes; `--yes` approves, no
/// terminal refuses, Ctrl-C and "no" decline.
async fn ask_to_execute(ui: &mut Ui, stack: &str, summary: &str) -> Result<(), Failure> {
    if ui.yes {
        ui.line(format!("  the change set {summary} (approved by --yes)"));
        return Ok(());
    }
    if !ui.can_ask() {
        return Err(Failure::new(format!(
            "refusing to execute the change set for {stack}: it {summary} and there is no terminal to confirm on; review it with `flowform diff`, then rerun with --yes to approve"
        )));
    }
    let question = format!("The change set {summary}. Execute it?");
    if ui.confirm(&question).await {
        Ok(())
    } else if ui.interrupt.is_set() {
        Err(Failure::interrupted(format!(
            "interrupted at the prompt: nothing was deployed to {stack}"
        )))
    } else {
        Err(Failure::new(format!(
            "not executed: the change set for {stack} was declined"
        )))
    }
}

/// The change set to execute.
struct Execution<'a> {
    /// Its IDs.
    ids: &'a ChangeSetIds,
    /// The client request token of its execution.
    token: String,
    /// How many resources it changes (for the progress count).
    total: usize,
}

/// Executes the change set and follows the stack until it settles, printing the `events`
/// after those already seen.
async fn execute(
    api: &impl CloudFormation,
    ui: &mut Ui,
    stack: &str,
    execution: &Execution<'_>,
    mut events: EventStream,
    settings: &DeploySettings,
) -> Result<Deployed, Failure> {
    let (ids, total) = (execution.ids, execution.total);
    let started = Instant::now();
    api.execute_change_set(&ids.id, &execution.token, settings.disable_rollback)
        .await?;
    ui.line(format!("stack {stack}: executing"));
    match follow(api, ui, &ids.stack_id, &mut events, total).await? {
        Watched::Settled(info) if is_success(&info.status) => {
            ui.line(format!(
                "stack {stack}: {} in {:.1}s",
                info.status,
                started.elapsed().as_secs_f64()
            ));
            if settings.termination_protection {
                api.set_termination_protection(&ids.stack_id, true).await?;
                ui.line(format!(
                    "  termination protection on: a delete is refused until `aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name {stack}`"
                ));
            }
            if !info.outputs.is_empty() {
                ui.line("  Outputs:");
                for output in &info.outputs {
                    ui.line(format!("    {} = {}", output.key, output.value));
                }
            }
            Ok(Deployed::Executed(info))
        }
        Watched::Settled(info) => {
            let found = findings(api, FindingsOf::Stack(&ids.stack_id)).await;
            Err(failed(
                ui,
                stack,
                &info.status,
                info.status_reason.as_deref(),
                &events,
                &found,
            ))
        }
        Watched::Gone => Err(failed(ui, stack, "DELETE_COMPLETE", None, &events, &[])),
        Watched::Interrupted(status) => Err(Failure::interrupted(format!(
            "stopped waiting: stack {stack} is {status} and CloudFormation carries on without flowform. Follow it with `aws cloudformation describe-stack-events --stack-name {stack}` (or in the console), then run `flowform diff` to check the result"
        ))),
    }
}

/// Reports a stack operation that ended in `status`, with every failed resource.
/// `findings` are the operation's validation findings: a stack that fails CloudFormation's
/// pre-deployment validation fails before any resource, and only `DescribeEvents` says why.
pub(crate) fn failed(
    ui: &mut Ui,
    stack: &str,
    status: &str,
    reason: Option<&str>,
    events: &EventStream,
    findings: &[Finding],
) -> Failure {
    ui.line(format!(
        "stack {stack}: {status}{}",
        reason.map(|r| format!(" ({r})")).unwrap_or_default()
    ));
    if !events.failures.is_empty() {
        ui.line("  Failed resources:");
        for (logical_id, why) in &events.failures {
            ui.line(format!("    {logical_id}: {why}"));
        }
    }
    let errors = print_findings(ui, findings, false);
    // A rollback keeps what its policy retains (RetainExceptOnCreate does not, on create).
    for line in super::watch::kept_lines(&events.kept) {
        ui.line(line);
    }
    let first = events
        .failures
        .iter()
        .next()
        .map(|(id, why)| format!(": {id}: {why}"))
        .or_else(|| errors.first().map(|finding| format!(": {}", finding.reason)))
        .unwrap_or_default();
    let rolled_back = if status.contains("ROLLBACK") {
        "; the changes were rolled back"
    } else {
        ""
    };
    Failure::new(format!("deploying {stack} failed ({status}){first}{rolled_back}"))
}

/// The validation findings of `of`, or none when CloudFormation cannot say (an endpoint or
/// a policy without `DescribeEvents`): findings only explain, they decide nothing.
pub(crate) async fn findings(api: &impl CloudFormation, of: FindingsOf<'_>) -> Vec<Finding> {
    api.validation_findings(of).await.unwrap_or_default()
}

/// Prints the failed findings that are warnings (`warnings`) or errors, one line each;
/// returns them.
fn print_findings<'f>(ui: &mut Ui, findings: &'f [Finding], warnings: bool) -> Vec<&'f Finding> {
    let shown: Vec<&Finding> = findings
        .iter()
        .filter(|finding| finding.status == "FAILED" && finding.is_warning() == warnings)
        .collect();
    for finding in &shown {
        let place: Vec<&str> = [finding.logical_id.as_deref(), finding.path.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let place = if place.is_empty() {
            String::new()
        } else {
            format!(" ({})", place.join(", "))
        };
        ui.line(format!(
            "  CloudFormation validation {} {}{place}: {}",
            if warnings { "warning" } else { "error" },
            finding.name,
            finding.reason
        ));
    }
    shown
}

/// Waits for the change set to be ready; `None` on Ctrl-C.
async fn wait_for_change_set(
    api: &impl CloudFormation,
    ui: &mut Ui,
    change_set_id: &str,
) -> Result<Option<ChangeSetInfo>, ApiError> {
    let started = Instant::now();
    let mut reported = 0;
    loop {
        let info = match api.describe_change_set(change_set_id).await {
            Err(error) if error.is_interrupted() => return Ok(None),
            answer => answer?,
        };
        if !matches!(info.status.as_str(), "CREATE_PENDING" | "CREATE_IN_PROGRESS") {
            return Ok(Some(info));
        }
        // A big stack's change set takes a minute or more: a line every 10 s says it is
        // still coming.
        let waited = started.elapsed().as_secs();
        if waited / 10 > reported {
            reported = waited / 10;
            ui.line(format!("  still creating the change set ({waited}s, {})", info.status));
        }
        if ui.interrupt.sleep(ui.poll_interval).await {
            return Ok(None);
        }
    }
}

/// Whether a failed change set only says there is nothing to change.
fn is_no_change(reason: &str) -> bool {
    reason.contains("didn't contain changes") || reason.contains("No updates are to be performed")
}

/// A stack that cannot be updated now, with what to do about it.
fn check_deployable(info: &StackInfo) -> Result<(), Failure> {
    let stack = &info.name;
    let status = info.status.as_str();
    if !is_settled(status) {
        return Err(Failure::new(format!(
            "stack {stack} is busy ({status}); wait for that operation to end (`aws cloudformation describe-stack-events --stack-name {stack}`), then deploy again"
        )));
    }
    let advice = match status {
        "UPDATE_ROLLBACK_FAILED" => format!(
            "its last update failed and so did the rollback. Fix the cause (see `aws cloudformation describe-stack-events --stack-name {stack}`), then run `aws cloudformation continue-update-rollback --stack-name {stack}` (with --resources-to-skip for resources that cannot roll back) and deploy again"
        ),
        "DELETE_FAILED" => format!(
            "a delete of it failed; run `flowform destroy {stack}` again (after fixing the cause in the stack events), or `aws cloudformation delete-stack --stack-name {stack} --retain-resources ...`"
        ),
        "ROLLBACK_FAILED" => format!(
            "its creation failed and so did the rollback; delete it (`flowform destroy {stack}`, retaining what cannot be deleted), then deploy again"
        ),
        _ if status.ends_with("_FAILED") => {
            format!(
                "CloudFormation cannot update it from this status; see `aws cloudformation describe-stack-events --stack-name {stack}`"
            )
        }
        _ => return Ok(()),
    };
    Err(Failure::new(format!("stack {stack} is in {status}: {advice}")))
}

/// A stack whose creation failed and rolled back (`ROLLBACK_COMPLETE`) cannot be updated;
/// it is empty, so it is deleted (after confirmation) and created anew.
async fn delete_failed_creation(api: &impl CloudFormation, ui: &mut Ui, info: &StackInfo) -> Result<(), Failure> {
    let stack = &info.name;
    ui.line(format!(
        "stack {stack} is in ROLLBACK_COMPLETE: its creation failed and was rolled back. CloudFormation cannot update such a stack; it has no resources and must be deleted before it is created again."
    ));
    if !ui.yes && !ui.can_ask() {
        return Err(Failure::new(format!(
            "stack {stack} is in ROLLBACK_COMPLETE; delete it with `flowform destroy {stack}` (or deploy with --yes to delete it and create it again)"
        )));
    }
    if !ui
        .confirm(&format!("Delete the empty stack {stack} and create it again?"))
        .await
    {
        return Err(Failure::new(format!(
            "stack {stack} is in ROLLBACK_COMPLETE and was not deleted; delete it with `flowform destroy {stack}`, then deploy again"
        )));
    }
    let mut events = EventStream::default();
    events.skip_existing(api, &info.id).await?;
    api.delete_stack(&info.id, None).await?;
    match follow(api, ui, &info.id, &mut events, 0).await? {
        Watched::Gone => Ok(()),
        Watched::Settled(after) if after.status == "DELETE_COMPLETE" => Ok(()),
        Watched::Settled(after) => Err(failed(
            ui,
            stack,
            &after.status,
            after.status_reason.as_deref(),
            &events,
            &[],
        )),
        Watched::Interrupted(status) => Err(Failure::interrupted(format!(
            "stopped waiting for the delete of {stack} ({status}); deploy again once it is gone"
        ))),
    }
}

/// Inline for small templates; uploaded to `--template-bucket` for large ones.
pub(crate) async fn template_source(
    api: &impl CloudFormation,
    ui: &mut Ui,
    plan: &StackPlan,
    settings: &DeploySettings,
) -> Result<TemplateSource, Failure> {
    let size = plan.body.len();
    if size <= MAX_INLINE_TEMPLATE_BYTES {
        return Ok(TemplateSource::Body(plan.body.clone()));
    }
    let Some(bucket) = &settings.template_bucket else {
        return Err(Failure::new(format!(
            "the template of {} is {size} bytes, over the 51,200 bytes CloudFormation accepts inline; pass --template-bucket BUCKET (an S3 bucket in the same region you can write to) and flowform uploads it there",
            plan.stack
        )));
    };
    let key = format!("flowform/{}/{:016x}.template.json", plan.stack, fingerprint(&plan.body));
    let url = api.upload_template(bucket, &key, &plan.body).await?;
    ui.line(format!(
        "stack {}: template ({size} bytes) uploaded to s3://{bucket}/{key}",
        plan.stack
    ));
    Ok(TemplateSource::Url(url))
}

/// A content fingerprint (FNV-1a), so identical templates reuse one object key.
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `CAPABILITY_IAM` and `CAPABILITY_NAMED_IAM` when the template creates IAM resources
/// (a Glue role): the user reviews them in the change set like everything else.
pub(crate) fn capabilities(plan: &StackPlan) -> Vec<String> {
    let creates_iam = plan.template["Resources"].as_object().is_some_and(|resources| {
        resources
            .values()
            .any(|r| r["Type"].as_str().is_some_and(|t| t.starts_with("AWS::IAM::")))
    });
    if creates_iam {
        vec!["CAPABILITY_IAM".into(), "CAPABILITY_NAMED_IAM".into()]
    } else {
        Vec::new()
    }
}

/// The parameter values of a change set, and the activation parameters it leaves at
/// `Draft` (to activate after it).
pub(crate) struct ParameterPlan {
    pub(crate) values: BTreeMap<String, ParameterValue>,
    pub(crate) drafts: Vec<String>,
}

/// `settings` with a value for each `NoEcho` parameter that has none yet (a first
/// deploy), asked for on the terminal without echo; as they were when nothing is missing
/// or there is no terminal (the deploy then stops naming every parameter to pass).
async fn ask_missing(
    ui: &mut Ui,
    plan: &StackPlan,
    settings: &DeploySettings,
    previous: &BTreeMap<String, String>,
    change_set_type: ChangeSetType,
) -> Result<DeploySettings, Failure> {
    let Err(missing) = parameter_values(plan, settings, previous, change_set_type) else {
        return Ok(settings.clone());
    };
    let no_echo = |name: &String| plan.template["Parameters"][name]["NoEcho"] == true;
    if !ui.can_ask() || !missing.iter().all(no_echo) {
        return Ok(settings.clone());
    }
    ui.line(format!(
        "stack {} needs {} (NoEcho: CloudFormation keeps them, later deploys reuse them)",
        plan.stack,
        missing.join(", ")
    ));
    let mut asked = settings.clone();
    for name in missing {
        match ui.ask_secret(&name).await {
            Some(value) => {
                asked.parameters.insert(name, value);
            }
            None if ui.interrupt.is_set() => {
                return Err(Failure::interrupted(format!(
                    "interrupted at the prompt: nothing was deployed to {}",
                    plan.stack
                )));
            }
            None => break,
        }
    }
    Ok(asked)
}

/// Why a deploy cannot start: parameters without a value, and how to pass them.
fn missing_failure(plan: &StackPlan, missing: &[String]) -> Failure {
    let flags: Vec<String> = missing.iter().map(|name| format!("--parameter {name}=...")).collect();
    Failure::new(format!(
        "stack {} needs a value for {} (no default; credentials are NoEcho parameters): pass {}",
        plan.stack,
        missing.join(", "),
        flags.join(" ")
    ))
}

/// The value of every parameter the template declares: `--parameter`, the start time of
/// a scheduled flow, the status of a flow awaiting activation, the previous value, or the
/// default; or every parameter that has none of them. Also returns the activation
/// parameters set to `Draft`, to activate after this change set.
pub(crate) fn parameter_values(
    plan: &StackPlan,
    settings: &DeploySettings,
    previous: &BTreeMap<String, String>,
    change_set_type: ChangeSetType,
) -> Result<ParameterPlan, Vec<String>> {
    let now = settings.now.unwrap_or_else(Timestamp::now);
    let start_times = start_time_values(&plan.template, previous, now);
    let mut values = BTreeMap::new();
    let mut missing = Vec::new();
    let mut drafts = Vec::new();
    let declared = plan.template["Parameters"].as_object().cloned().unwrap_or_default();
    for (name, declaration) in &declared {
        if let Some(value) = settings.parameters.get(name) {
            values.insert(name.clone(), ParameterValue::Value(value.clone()));
        } else if is_activation(name, declaration) {
            // Active already stays active; a new flow (or one left a draft) is created
            // or kept a draft now and activated by the next change set.
            let status = if previous.get(name).is_some_and(|value| value == "Active") {
                "Active"
            } else {
                drafts.push(name.clone());
                "Draft"
            };
            values.insert(name.clone(), ParameterValue::Value(status.into()));
        } else if let Some(value) = start_times.get(name) {
            values.insert(name.clone(), ParameterValue::Value(value.to_string()));
        } else if declaration.get("Default").is_some() {
            // CloudFormation takes the default.
        } else if change_set_type == ChangeSetType::Update && previous.contains_key(name) {
            values.insert(name.clone(), ParameterValue::Previous);
        } else {
            missing.push(name.clone());
        }
    }
    if missing.is_empty() {
        return Ok(ParameterPlan { values, drafts });
    }
    Err(missing)
}

/// Whether a declared parameter is the activation parameter of a flow
/// (`<Flow>FlowStatus`, `Draft` or `Active`; see `synth`).
fn is_activation(name: &str, declaration: &serde_json::Value) -> bool {
    crate::model::names::is_status_parameter(name)
        && declaration["AllowedValues"]
            .as_array()
            .is_some_and(|values| values.iter().any(|value| value == "Active"))
}

/// The parameters of the activation change set: `drafts` become `Active`, every other
/// parameter keeps the value the first change set just gave it.
fn activation_values(plan: &StackPlan, drafts: &[String]) -> BTreeMap<String, ParameterValue> {
    let declared = plan.template["Parameters"].as_object().cloned().unwrap_or_default();
    declared
        .keys()
        .map(|name| {
            let value = if drafts.contains(name) {
                ParameterValue::Value("Active".into())
            } else {
                ParameterValue::Previous
            };
            (name.clone(), value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn plan() -> StackPlan {
        let template = json!({"Parameters": {
            "EventsFlowStatus": {"Type": "String", "Default": "Draft", "AllowedValues": ["Draft", "Active"]},
            "CrmJwt": {"Type": "String", "NoEcho": true},
        }});
        StackPlan {
            stack: "crm".into(),
            body: template.to_string(),
            template,
            tags: Default::default(),
        }
    }

    fn settings(parameters: &[(&str, &str)]) -> DeploySettings {
        DeploySettings {
            parameters: parameters.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect(),
            ..DeploySettings::default()
        }
    }

    #[test]
    fn a_new_flow_awaiting_activation_starts_as_a_draft_and_is_activated_next() {
        let ParameterPlan { values, drafts } = parameter_values(
            &plan(),
            &settings(&[("CrmJwt", "jwt")]),
            &BTreeMap::new(),
            ChangeSetType::Create,
        )
        .unwrap();
        assert_eq!(values["EventsFlowStatus"], ParameterValue::Value("Draft".into()));
        assert_eq!(drafts, ["EventsFlowStatus"]);
        let activation = activation_values(&plan(), &drafts);
        assert_eq!(activation["EventsFlowStatus"], ParameterValue::Value("Active".into()));
        assert_eq!(activation["CrmJwt"], ParameterValue::Previous, "the credential is kept");
    }

    #[test]
    fn an_active_flow_stays_active_and_an_explicit_value_wins() {
        let previous: BTreeMap<String, String> = [
            ("EventsFlowStatus".to_string(), "Active".to_string()),
            ("CrmJwt".to_string(), "****".to_string()),
        ]
        .into();
        let ParameterPlan { values, drafts } =
            parameter_values(&plan(), &settings(&[]), &previous, ChangeSetType::Update).unwrap();
        assert_eq!(values["EventsFlowStatus"], ParameterValue::Value("Active".into()));
        assert_eq!(values["CrmJwt"], ParameterValue::Previous);
        assert!(drafts.is_empty());
        let ParameterPlan { values, drafts } = parameter_values(
            &plan(),
            &settings(&[("EventsFlowStatus", "Draft")]),
            &previous,
            ChangeSetType::Update,
        )
        .unwrap();
        assert_eq!(values["EventsFlowStatus"], ParameterValue::Value("Draft".into()));
        assert!(drafts.is_empty(), "a status passed by hand is not overridden");
    }
}
