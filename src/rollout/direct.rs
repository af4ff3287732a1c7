//! The direct engine: in each target account and region, assume the target's role and
//! run `flowform deploy`'s change-set workflow (or `diff`, or `destroy`) there.
//!
//! For vendors without an AWS Organization over their customers' accounts: each customer
//! creates a role that trusts the vendor's account with an external ID (`flowform policy
//! --targets` prints it), and the vendor's credentials assume it (STS `AssumeRole`, the
//! external ID against the confused-deputy problem: IAM user guide, "Access to AWS
//! accounts owned by third parties"). Deployments run several at once (the file's
//! `concurrency`) when no question can come up (`--yes`, or no terminal), each one's lines
//! prefixed with its label; one failing does not stop the others, and every deployment
//! started runs to its end. Ctrl-C starts no further deployment.
//!
//! A re-run leaves alone each stack whose deployed template, parameter values and tags are
//! what the deploy would send ([`crate::deploy::current`]): it reads the stack and creates
//! no change set, so changing one customer's value touches only that customer.

use std::collections::BTreeMap;

use futures_util::stream::{self, StreamExt};

use super::summary::{Outcome, Row};
use super::targets::{Deployment, Targets};
use crate::deploy::api::{CloudFormation, StackInfo};
use crate::deploy::aws::AwsCloud;
use crate::deploy::current::up_to_date;
use crate::deploy::retry::{RetryPolicy, Retrying};
use crate::deploy::ui::Ui;
use crate::deploy::workflow::{DeploySettings, Deployed, deploy_stack};
use crate::deploy::{Failure, Planned, StackDiff, destroy_stack, diff_stack};

/// What every deployment of a run shares.
pub struct Run<'a> {
    /// The caller's connection; each deployment assumes its role from it.
    pub base: &'a AwsCloud,
    /// The targets.
    pub targets: &'a Targets,
    /// The stacks of each stack name the targets deploy under (`None`: the file's own).
    pub plans: &'a BTreeMap<Option<String>, Planned>,
}

impl Run<'_> {
    fn planned(&self, deployment: &Deployment<'_>) -> &Planned {
        // Every target's stack name was compiled (`command`), so the entry exists.
        &self.plans[&deployment.target.stack]
    }
}

/// Connects to a deployment's account and region: the target's role assumed, or the
/// caller's own credentials when the target names no role (its account must then be the
/// caller's).
pub async fn connect(base: &AwsCloud, deployment: &Deployment<'_>, ui: &Ui) -> Result<Retrying<AwsCloud>, String> {
    let target = deployment.target;
    let cloud = match &target.role {
        Some(role) => {
            let arn = role.arn(base.partition(), deployment.account);
            base.assume(
                &arn,
                target.external_id.as_deref(),
                deployment.account,
                deployment.region,
            )
            .await?
        }
        None if base.account() == deployment.account => base.in_region(deployment.region),
        None => {
            return Err(format!(
                "target `{}` is account {}, but the credentials are of account {} and the target names no role to assume: give it `role`, or `role-name` in [rollout]",
                target.name,
                deployment.account,
                base.account()
            ));
        }
    };
    Ok(Retrying {
        inner: cloud,
        policy: RetryPolicy::default(),
        interrupt: ui.interrupt.clone(),
    })
}

/// Runs `work` for each deployment, at most `concurrency` at once when no question can
/// come up (each with a [`Ui::child`] labelled with the deployment), else one after
/// another on `ui`; a deployment not started because Ctrl-C came first gets
/// `not_started`. The results in `deployments` order.
pub async fn fan_out<'t, T>(
    ui: &mut Ui,
    deployments: &[Deployment<'t>],
    concurrency: usize,
    work: impl AsyncFn(Deployment<'t>, &mut Ui) -> T,
    not_started: impl Fn(Deployment<'t>) -> T,
) -> Vec<T> {
    let together = (ui.yes || !ui.can_ask()) && concurrency > 1 && deployments.len() > 1;
    if !together {
        let mut results = Vec::with_capacity(deployments.len());
        for deployment in deployments {
            if ui.interrupt.is_set() {
                results.push(not_started(*deployment));
                continue;
            }
            ui.line(format!(
                "== {} (account {}, region {})",
                deployment.label(),
                deployment.account,
                deployment.region
            ));
            results.push(work(*deployment, ui).await);
        }
        return results;
    }
    ui.line(format!(
        "rolling out to {} deployments, {} at a time",
        deployments.len(),
        concurrency.min(deployments.len())
    ));
    let work = &work;
    let not_started = &not_started;
    let mut finished: Vec<(usize, T)> = stream::iter(deployments.iter().copied().enumerate())
        .map(|(position, deployment)| {
            let mut child = ui.child(&deployment.label());
            async move {
                if child.interrupt.is_set() {
                    return (position, not_started(deployment));
                }
                (position, work(deployment, &mut child).await)
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    finished.sort_by_key(|(position, _)| *position);
    finished.into_iter().map(|(_, result)| result).collect()
}

/// A row of `deployment` for `stack`.
pub fn row(deployment: &Deployment<'_>, stack: &str, outcome: Outcome) -> Row {
    Row {
        target: deployment.target.name.clone(),
        label: deployment.label(),
        account: deployment.account.to_string(),
        region: deployment.region.to_string(),
        stack: stack.to_string(),
        outcome,
        outputs: Vec::new(),
        note: None,
    }
}

/// Rows of every stack of `planned`, not started, the first failed with `message`.
fn all_failed(deployment: &Deployment<'_>, stacks: &[String], message: String) -> Vec<Row> {
    stacks
        .iter()
        .enumerate()
        .map(|(index, stack)| {
            let mut failed = row(deployment, stack, Outcome::NotStarted);
            if index == 0 {
                failed.outcome = Outcome::Failed;
                failed.note = Some(message.clone());
            }
            failed
        })
        .collect()
}

/// How a deploy of one deployment ended, for its rows.
fn failure_row(deployment: &Deployment<'_>, stack: &str, failure: Failure) -> Row {
    let mut failed = row(
        deployment,
        stack,
        if failure.exit == 130 {
            Outcome::Interrupted
        } else {
            Outcome::Failed
        },
    );
    failed.note = Some(failure.message);
    failed
}

/// Deploys the stacks of every deployment with `settings` (each target's values as its
/// parameters); `recheck` creates a change set even for stacks that are up to date.
pub async fn deploy(run: &Run<'_>, ui: &mut Ui, settings: &DeploySettings, recheck: bool) -> Vec<Row> {
    let deployments = run.targets.deployments();
    let results = fan_out(
        ui,
        &deployments,
        run.targets.concurrency,
        async |deployment, ui| deploy_one(run, &deployment, ui, settings, recheck).await,
        |deployment| {
            let planned = run.planned(&deployment);
            planned
                .stacks
                .iter()
                .map(|plan| row(&deployment, &plan.stack, Outcome::NotStarted))
                .collect()
        },
    )
    .await;
    results.into_iter().flatten().collect()
}

async fn deploy_one(
    run: &Run<'_>,
    deployment: &Deployment<'_>,
    ui: &mut Ui,
    settings: &DeploySettings,
    recheck: bool,
) -> Vec<Row> {
    let planned = run.planned(deployment);
    let stacks: Vec<String> = planned.stacks.iter().map(|plan| plan.stack.clone()).collect();
    let api = match connect(run.base, deployment, ui).await {
        Ok(api) => api,
        Err(message) => {
            ui.line(format!("error: {message}"));
            return all_failed(deployment, &stacks, message);
        }
    };
    ui.line(format!(
        "AWS account {} as {}, region {}",
        api.inner.account(),
        api.inner.caller(),
        api.inner.region()
    ));
    let mut settings = settings.clone();
    settings.template_bucket = deployment.target.template_bucket.clone();
    for (key, value) in &deployment.target.values {
        settings
            .parameters
            .entry(key.clone())
            .or_insert_with(|| value.value.clone());
    }
    let mut rows = Vec::new();
    for stack in &planned.emptied {
        match prune(&api, ui, stack, &settings).await {
            Ok(Some(outcome)) => rows.push(row(deployment, stack, outcome)),
            Ok(None) => {}
            Err(failure) => {
                rows.push(failure_row(deployment, stack, failure));
                rows.extend(stacks.iter().map(|stack| row(deployment, stack, Outcome::NotStarted)));
                return rows;
            }
        }
    }
    let mut stopped = false;
    for plan in &planned.stacks {
        if stopped || ui.interrupt.is_set() {
            rows.push(row(deployment, &plan.stack, Outcome::NotStarted));
            continue;
        }
        match deploy_plan(&api, ui, plan, &settings, recheck).await {
            Ok((outcome, info)) => {
                let mut done = row(deployment, &plan.stack, outcome);
                done.outputs = info.map(|info| info.outputs).unwrap_or_default();
                rows.push(done);
            }
            Err(failure) => {
                ui.line(format!("error: {}", failure.message));
                rows.push(failure_row(deployment, &plan.stack, failure));
                stopped = true;
            }
        }
    }
    rows
}

/// Deploys one stack unless it is up to date; how it ended and the stack as deployed.
async fn deploy_plan(
    api: &impl CloudFormation,
    ui: &mut Ui,
    plan: &crate::deploy::StackPlan,
    settings: &DeploySettings,
    recheck: bool,
) -> Result<(Outcome, Option<StackInfo>), Failure> {
    let existing = api
        .describe_stack(&plan.stack)
        .await?
        .filter(|info| info.status != "REVIEW_IN_PROGRESS");
    if let Some(info) = &existing
        && !recheck
        && up_to_date(api, plan, settings, info).await?
    {
        ui.line(format!(
            "stack {}: up to date (template, parameter values and tags as deployed; no change set)",
            plan.stack
        ));
        protect(api, &plan.stack, settings).await?;
        return Ok((Outcome::Unchanged, existing));
    }
    // A stack whose creation failed and was rolled back is deleted and created again.
    let created = existing.as_ref().is_none_or(|info| info.status == "ROLLBACK_COMPLETE");
    Ok(match deploy_stack(api, ui, plan, settings).await? {
        Deployed::Executed(info) if created => (Outcome::Created, Some(info)),
        Deployed::Executed(info) => (Outcome::Updated, Some(info)),
        Deployed::NoChanges => {
            protect(api, &plan.stack, settings).await?;
            (Outcome::Unchanged, existing)
        }
        Deployed::Prepared(_) | Deployed::Previewed => (Outcome::Prepared, None),
    })
}

/// `--termination-protection` on a stack already up to date (perhaps deployed without it),
/// as `flowform deploy` does.
async fn protect(api: &impl CloudFormation, stack: &str, settings: &DeploySettings) -> Result<(), Failure> {
    if settings.termination_protection && !settings.no_execute {
        api.set_termination_protection(stack, true).await?;
    }
    Ok(())
}

/// Deletes a flow stack the file left without flows, if it exists (`None` if not).
async fn prune(
    api: &impl CloudFormation,
    ui: &mut Ui,
    stack: &str,
    settings: &DeploySettings,
) -> Result<Option<Outcome>, Failure> {
    if api.describe_stack(stack).await?.is_none() {
        return Ok(None);
    }
    if settings.no_execute {
        ui.line(format!(
            "stack {stack}: every flow of it was removed from the file; a deploy without --no-execute deletes it"
        ));
        return Ok(Some(Outcome::Prepared));
    }
    ui.line(format!(
        "stack {stack}: every flow of it was removed from the file, so it is deleted (its flows would keep running)"
    ));
    destroy_stack(api, ui, stack, settings.role_arn.as_deref()).await?;
    Ok(Some(Outcome::Deleted))
}

/// What `diff` found in one deployment: its rows, the lines to print, and the JSON.
pub struct DiffFound {
    /// One row per stack.
    pub rows: Vec<Row>,
    /// The diff, as `diff` prints it.
    pub lines: Vec<String>,
    /// `{"stack", "status", "changes"}` of each stack.
    pub json: Vec<serde_json::Value>,
}

/// Compares every deployment's stacks with the synthesized templates.
pub async fn diff<'a>(run: &Run<'a>, ui: &mut Ui) -> Vec<(Deployment<'a>, DiffFound)> {
    let deployments = run.targets.deployments();
    // A diff asks nothing: deployments are compared together.
    fan_out(
        ui,
        &deployments,
        run.targets.concurrency,
        async |deployment, ui| (deployment, diff_one(run, &deployment, ui).await),
        |deployment| {
            (
                deployment,
                DiffFound {
                    rows: Vec::new(),
                    lines: Vec::new(),
                    json: Vec::new(),
                },
            )
        },
    )
    .await
}

async fn diff_one(run: &Run<'_>, deployment: &Deployment<'_>, ui: &mut Ui) -> DiffFound {
    let planned = run.planned(deployment);
    let stacks: Vec<String> = planned.stacks.iter().map(|plan| plan.stack.clone()).collect();
    let mut found = DiffFound {
        rows: Vec::new(),
        lines: Vec::new(),
        json: Vec::new(),
    };
    let api = match connect(run.base, deployment, ui).await {
        Ok(api) => api,
        Err(message) => {
            found.rows = all_failed(deployment, &stacks, message);
            return found;
        }
    };
    for stack in &planned.emptied {
        match api.describe_stack(stack).await {
            Ok(Some(_)) => {
                found.lines.push(format!(
                    "stack {stack}: every flow of it was removed from the file; a deploy deletes it"
                ));
                found
                    .json
                    .push(serde_json::json!({"stack": stack, "status": "emptied", "changes": []}));
                found.rows.push(row(deployment, stack, Outcome::Differences(1)));
            }
            Ok(None) => {}
            Err(error) => found.rows.push(failure_row(deployment, stack, error.into())),
        }
    }
    for plan in &planned.stacks {
        match diff_stack(&api, plan).await {
            Ok(stack_diff) => {
                found
                    .lines
                    .extend(crate::deploy::command::diff_lines(&plan.stack, &stack_diff));
                let (status, entries, outcome) = match &stack_diff {
                    StackDiff::New(entries) => ("new", entries, Outcome::New),
                    StackDiff::Existing(entries) => ("deployed", entries, Outcome::Differences(entries.len())),
                };
                found.json.push(serde_json::json!({
                    "stack": plan.stack,
                    "status": status,
                    "changes": crate::deploy::diff::to_json(entries),
                }));
                found.rows.push(row(deployment, &plan.stack, outcome));
            }
            Err(failure) => found.rows.push(failure_row(deployment, &plan.stack, failure)),
        }
    }
    found
}

/// Deletes every deployment's stacks (flow stacks first).
pub async fn destroy(run: &Run<'_>, ui: &mut Ui, role_arn: Option<&str>) -> Vec<Row> {
    let deployments = run.targets.deployments();
    let results = fan_out(
        ui,
        &deployments,
        run.targets.concurrency,
        async |deployment, ui| destroy_one(run, &deployment, ui, role_arn).await,
        |deployment| {
            run.planned(&deployment)
                .destroy_order()
                .iter()
                .map(|stack| row(&deployment, stack, Outcome::NotStarted))
                .collect()
        },
    )
    .await;
    results.into_iter().flatten().collect()
}

async fn destroy_one(run: &Run<'_>, deployment: &Deployment<'_>, ui: &mut Ui, role_arn: Option<&str>) -> Vec<Row> {
    let stacks = run.planned(deployment).destroy_order();
    let api = match connect(run.base, deployment, ui).await {
        Ok(api) => api,
        Err(message) => {
            ui.line(format!("error: {message}"));
            return all_failed(deployment, &stacks, message);
        }
    };
    let mut rows = Vec::new();
    let mut stopped = false;
    for stack in &stacks {
        if stopped || ui.interrupt.is_set() {
            rows.push(row(deployment, stack, Outcome::NotStarted));
            continue;
        }
        match destroy_stack(&api, ui, stack, role_arn).await {
            Ok(true) => rows.push(row(deployment, stack, Outcome::Deleted)),
            Ok(false) => rows.push(row(deployment, stack, Outcome::Absent)),
            Err(failure) => {
                ui.line(format!("error: {}", failure.message));
                rows.push(failure_row(deployment, stack, failure));
                stopped = true;
            }
        }
    }
    rows
}
