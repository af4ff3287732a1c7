//! Rolling stacks out through StackSets: for each stack of the file (main stack first,
//! its flow stacks import its exports in each account and region), create or update the
//! stack set, then bring each target's stack instances to the target's values, one
//! operation at a time, following each operation's instances as they go.
//!
//! The stack set gives every parameter a value, since only parameters "specified in the
//! stack set" can be overridden (CloudFormation API reference, `CreateStackInstances`,
//! `ParameterOverrides`): `--parameter`, else a value every target of the file has alike
//! (its `[values]`), else, for a parameter every target overrides, the value the stack set
//! already has (`UsePreviousValue` for a `NoEcho` one, which is masked), else the
//! template's default, else the first target's value. Each target's own values (those
//! `--parameter` does not set) are its instances' overrides, always given in full, because
//! `UpdateStackInstances` sets a parameter left out of the overrides back to the stack
//! set's value (same reference). A stack set whose template, parameters and settings are
//! as deployed is not updated, and instances that are `CURRENT` with the target's
//! overrides are not touched, so a re-run with one target's value changed runs one
//! operation, on that target's instances (and one for each target whose instances an
//! earlier operation left `OUTDATED`). `--target` limits the instance operations (and
//! `destroy`) to those targets; the stack set's own values still come from the whole file.
//!
//! Longer than most modules: deploy, destroy and diff share its ledger of rows, its
//! context and its grouping of places into requests, and are read best side by side.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::api::{InstancesRequest, OperationResult, Place, StackSetDefinition, StackSetInfo, StackSets};
use crate::deploy::api::{ParameterValue, TemplateSource};
use crate::deploy::ui::Ui;
use crate::deploy::{Failure, StackPlan, diff};
use crate::rollout::summary::{Outcome, Row};
use crate::rollout::targets::{Permissions, StackSetSettings, Target, Targets};

/// What every stack set of a run shares.
pub struct Context<'a> {
    /// The targets of this run (`--target` selects some).
    pub targets: &'a Targets,
    /// Every target of the file: the stack sets' own values come from them all.
    pub all: &'a Targets,
    /// `--recheck`: update the stack sets (and so every instance) even when they are as
    /// deployed.
    pub recheck: bool,
    /// The engine's settings.
    pub settings: &'a StackSetSettings,
    /// `--parameter` values: the stack sets' own, for every target.
    pub parameters: &'a BTreeMap<String, String>,
    /// The stack sets' description.
    pub description: &'a str,
}

impl Context<'_> {
    fn service_managed(&self) -> bool {
        matches!(self.settings.permissions, Permissions::ServiceManaged { .. })
    }

    /// Where an instance is, as the targets name it: its account, or its unit.
    fn place_of(&self, instance: &super::api::Instance) -> String {
        if self.service_managed() {
            instance.unit.clone().unwrap_or_default()
        } else {
            instance.account.clone()
        }
    }

    /// Where `target`'s instances are: its accounts, or its organizational units.
    fn places(&self, target: &Target) -> Vec<String> {
        if self.service_managed() {
            target.organizational_units.clone()
        } else {
            target.accounts.clone()
        }
    }
}

/// A request's `OperationId`: unique per operation, the same on each retry of it; the
/// API's pattern `[a-zA-Z0-9][-a-zA-Z0-9]*`, at most 128 characters.
fn operation_id(kind: &str, stack: &str, sequence: usize) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let mut id = format!("flowform-{kind}-{now}-{sequence}-{stack}");
    id.truncate(128);
    id
}

/// The rows of a run: one per stack, target and place (account or unit) and region.
struct Ledger {
    rows: Vec<Row>,
}

impl Ledger {
    fn new(cx: &Context<'_>, plans: &[StackPlan]) -> Ledger {
        let mut rows = Vec::new();
        for plan in plans {
            for target in &cx.targets.targets {
                let places = cx.places(target);
                for place in &places {
                    for region in &target.regions {
                        rows.push(Row {
                            target: target.name.clone(),
                            label: label(target, place, region, places.len()),
                            account: place.clone(),
                            region: region.clone(),
                            stack: plan.stack.clone(),
                            outcome: Outcome::NotStarted,
                            outputs: Vec::new(),
                            note: None,
                        });
                    }
                }
            }
        }
        Ledger { rows }
    }

    /// Records what an operation did to the rows of `stack` it covers: `done` where its
    /// instances succeeded, a failure (with the reason) where any failed.
    fn record(&mut self, stack: &str, results: &[OperationResult], done: Outcome, service_managed: bool) {
        for row in self.rows.iter_mut().filter(|row| row.stack == stack) {
            let mine: Vec<&OperationResult> = results
                .iter()
                .filter(|result| {
                    result.region == row.region
                        && if service_managed {
                            result.unit.as_deref() == Some(row.account.as_str())
                        } else {
                            result.account == row.account
                        }
                })
                .collect();
            if mine.is_empty() {
                continue;
            }
            match mine.iter().find(|result| result.status != "SUCCEEDED") {
                Some(failed) => {
                    row.outcome = Outcome::Failed;
                    row.note = Some(format!(
                        "account {} {}: {}",
                        failed.account,
                        failed.status,
                        failed.reason.as_deref().unwrap_or("no reason given")
                    ));
                }
                None => row.outcome = done.clone(),
            }
        }
    }

    /// Every row of `stack` and `target` no operation touched: unchanged.
    fn settle(&mut self, stack: &str, target: &str) {
        for row in self
            .rows
            .iter_mut()
            .filter(|row| row.stack == stack && row.target == target)
        {
            if row.outcome == Outcome::NotStarted {
                row.outcome = Outcome::Unchanged;
            }
        }
    }

    /// The rows of `stack` for `target` (all its targets when `None`: the stack set
    /// itself failed) not settled yet: failed (or interrupted) with `failure`, the message
    /// on the first; the targets after it stay not started.
    fn fail(&mut self, stack: &str, target: Option<&str>, failure: &Failure) {
        let outcome = if failure.exit == 130 {
            Outcome::Interrupted
        } else {
            Outcome::Failed
        };
        let mut first = true;
        for row in self
            .rows
            .iter_mut()
            .filter(|row| row.stack == stack && target.is_none_or(|target| row.target == target))
        {
            if row.outcome == Outcome::NotStarted {
                row.outcome = outcome.clone();
                if first {
                    row.note = Some(failure.message.clone());
                    first = false;
                }
            }
        }
    }

    fn failed(&self, stack: &str) -> bool {
        self.rows
            .iter()
            .any(|row| row.stack == stack && matches!(row.outcome, Outcome::Failed | Outcome::Interrupted))
    }
}

/// `acme/us-east-1`, with the account or unit when the target has several.
fn label(target: &Target, place: &str, region: &str, places: usize) -> String {
    if places > 1 {
        format!("{}/{place}/{region}", target.name)
    } else {
        format!("{}/{region}", target.name)
    }
}

/// The parameter values of the stack set of `plan`, given the stack set as it is (see the
/// module's documentation).
fn stack_set_parameters(
    cx: &Context<'_>,
    plan: &StackPlan,
    existing: Option<&StackSetInfo>,
) -> BTreeMap<String, ParameterValue> {
    let mut values = BTreeMap::new();
    for (name, declaration) in plan.template["Parameters"].as_object().into_iter().flatten() {
        let given: Vec<&str> = cx
            .all
            .targets
            .iter()
            .filter_map(|target| target.values.get(name).map(|v| v.value.as_str()))
            .collect();
        let everyone = !given.is_empty() && given.len() == cx.all.targets.len();
        let alike = everyone && given.windows(2).all(|w| w[0] == w[1]);
        let value = if let Some(value) = cx.parameters.get(name) {
            Some(ParameterValue::Value(value.clone()))
        } else if alike {
            Some(ParameterValue::Value(given[0].to_string()))
        } else if let (true, Some(current)) = (everyone, existing.and_then(|info| info.parameters.get(name))) {
            // Every instance overrides it: the stack set's own value is left as it is.
            Some(if is_secret(declaration) {
                ParameterValue::Previous
            } else {
                ParameterValue::Value(current.clone())
            })
        } else {
            match &declaration["Default"] {
                Value::String(text) => Some(ParameterValue::Value(text.clone())),
                Value::Null => given.first().map(|v| ParameterValue::Value(v.to_string())),
                other => Some(ParameterValue::Value(other.to_string())),
            }
        };
        if let Some(value) = value {
            values.insert(name.clone(), value);
        }
    }
    values
}

/// Whether a declared parameter is `NoEcho` (CloudFormation masks its value).
fn is_secret(declaration: &Value) -> bool {
    declaration["NoEcho"] == true || declaration["NoEcho"] == "true"
}

/// Whether the stack set `info` already is `definition`: template, parameters (a secret
/// one cannot be compared: it is taken as unchanged), capabilities, tags and settings.
fn as_deployed(info: &StackSetInfo, definition: &StackSetDefinition, plan: &StackPlan) -> bool {
    let template = serde_json::from_str::<Value>(&info.template_body).ok().as_ref() == Some(&plan.template);
    let parameters = definition.parameters.len() == info.parameters.len()
        && definition.parameters.iter().all(|(name, value)| match value {
            ParameterValue::Previous => true,
            ParameterValue::Value(_) if is_secret(&plan.template["Parameters"][name]) => true,
            ParameterValue::Value(value) => info.parameters.get(name) == Some(value),
        });
    let mut capabilities = info.capabilities.clone();
    capabilities.sort();
    let mut wanted = definition.capabilities.clone();
    wanted.sort();
    let settings = match &definition.permissions {
        Permissions::SelfManaged {
            administration_role,
            execution_role_name,
        } => {
            administration_role
                .as_ref()
                .is_none_or(|role| info.administration_role.as_ref() == Some(role))
                && execution_role_name
                    .as_ref()
                    .is_none_or(|name| info.execution_role_name.as_ref() == Some(name))
        }
        Permissions::ServiceManaged {
            auto_deployment,
            retain_stacks_on_account_removal,
            ..
        } => {
            let retain = *auto_deployment && *retain_stacks_on_account_removal;
            info.auto_deployment
                .is_some_and(|(enabled, kept)| enabled == *auto_deployment && (!enabled || kept == retain))
        }
    };
    template
        && parameters
        && capabilities == wanted
        && info.tags == definition.tags
        && info.managed_execution == definition.managed_execution
        && settings
}

/// `target`'s overrides for the stack set of `plan`: its values of the parameters the
/// template declares, but those `--parameter` sets for every target.
fn overrides(cx: &Context<'_>, target: &Target, plan: &StackPlan) -> BTreeMap<String, String> {
    target
        .values
        .iter()
        .filter(|(name, _)| {
            plan.template["Parameters"].get(name.as_str()).is_some() && !cx.parameters.contains_key(name.as_str())
        })
        .map(|(name, value)| (name.clone(), value.value.clone()))
        .collect()
}

/// Refuses what StackSets cannot deploy: a flow awaiting activation (a flow writing to a
/// partner event source becomes `Active` in a second change set, once the event source is
/// associated with its bus; StackSets have one operation per update).
pub fn check_plans(plans: &[StackPlan]) -> Result<(), Failure> {
    for plan in plans {
        let awaiting = plan.template["Parameters"]
            .as_object()
            .into_iter()
            .flatten()
            .any(|(name, declaration)| {
                crate::model::names::is_status_parameter(name)
                    && declaration["AllowedValues"]
                        .as_array()
                        .is_some_and(|values| values.iter().any(|value| value == "Active"))
            });
        if awaiting {
            return Err(Failure::new(format!(
                "stack {} has flows that are activated after their event bus exists (a second change set), which a stack set cannot do; roll it out with the direct engine (`engine = \"direct\"`)",
                plan.stack
            )));
        }
    }
    Ok(())
}

fn definition(
    cx: &Context<'_>,
    plan: &StackPlan,
    template: &TemplateSource,
    existing: Option<&StackSetInfo>,
) -> StackSetDefinition {
    StackSetDefinition {
        name: plan.stack.clone(),
        description: cx.description.to_string(),
        template: template.clone(),
        parameters: stack_set_parameters(cx, plan, existing),
        capabilities: crate::deploy::workflow::capabilities(plan),
        tags: plan.tags.clone(),
        permissions: cx.settings.permissions.clone(),
        managed_execution: cx.settings.managed_execution,
    }
}

/// Deploys `plans` (with their template sources), stack set by stack set; a stack set
/// that fails stops the ones after it (a flow stack imports the main stack's exports).
pub async fn deploy(
    api: &impl StackSets,
    ui: &mut Ui,
    cx: &Context<'_>,
    plans: &[(StackPlan, TemplateSource)],
) -> Vec<Row> {
    let stacks: Vec<StackPlan> = plans.iter().map(|(plan, _)| plan.clone()).collect();
    let mut ledger = Ledger::new(cx, &stacks);
    for (plan, template) in plans {
        let mut current = None;
        if let Err(failure) = deploy_stack_set(api, ui, cx, plan, template, &mut ledger, &mut current).await {
            ui.line(format!("stack set {}: {}", plan.stack, failure.message));
            ledger.fail(&plan.stack, current.as_deref(), &failure);
        }
        if ledger.failed(&plan.stack) || ui.interrupt.is_set() {
            break;
        }
    }
    ledger.rows
}

/// Brings the stack set of `plan` and the targets' instances of it up to date;
/// `current` names the target being worked on, for the rows a failure marks.
async fn deploy_stack_set(
    api: &impl StackSets,
    ui: &mut Ui,
    cx: &Context<'_>,
    plan: &StackPlan,
    template: &TemplateSource,
    ledger: &mut Ledger,
    current: &mut Option<String>,
) -> Result<(), Failure> {
    let stack = plan.stack.as_str();
    let existing = api
        .describe_stack_set(stack)
        .await?
        .filter(|info| info.status != "DELETED");
    let definition = definition(cx, plan, template, existing.as_ref());
    let mut sequence = 0;
    match &existing {
        None => {
            api.create_stack_set(&definition, &operation_id("create", stack, sequence))
                .await?;
            ui.line(format!("stack set {stack}: created ({})", permission_text(cx)));
        }
        Some(info) if !cx.recheck && as_deployed(info, &definition, plan) => {
            ui.line(format!(
                "stack set {stack}: template, parameters and settings as deployed"
            ));
        }
        Some(_) => {
            sequence += 1;
            let id = api
                .update_stack_set(
                    &definition,
                    &cx.settings.preferences,
                    &operation_id("update", stack, sequence),
                )
                .await?;
            ui.line(format!(
                "stack set {stack}: updating every stack instance (operation {id})"
            ));
            let results = follow(api, ui, stack, &id).await?;
            ledger.record(stack, &results, Outcome::Updated, cx.service_managed());
        }
    }
    let instances = api.list_stack_instances(stack).await?;
    let known: BTreeSet<(String, String)> = instances
        .iter()
        .map(|instance| (cx.place_of(instance), instance.region.clone()))
        .collect();
    for target in &cx.targets.targets {
        *current = Some(target.name.clone());
        let overrides = overrides(cx, target, plan);
        let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut changed: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for place in cx.places(target) {
            for region in &target.regions {
                if !known.contains(&(place.clone(), region.clone())) {
                    missing.entry(place.clone()).or_default().push(region.clone());
                    continue;
                }
                let here: Vec<&super::api::Instance> = instances
                    .iter()
                    .filter(|i| &i.region == region && cx.place_of(i) == place)
                    .collect();
                // An instance a failed operation left `OUTDATED` (or `INOPERABLE`) is
                // brought up to date again, its overrides the same or not.
                let stale = here.iter().any(|i| i.status != "CURRENT");
                let account = here.first().map(|i| i.account.clone()).unwrap_or_default();
                if stale || api.instance_overrides(stack, &account, region).await? != overrides {
                    changed.entry(place.clone()).or_default().push(region.clone());
                }
            }
        }
        for (kind, groups, done) in [
            ("create", missing, Outcome::Created),
            ("update", changed, Outcome::Updated),
        ] {
            for (places, regions) in grouped(groups) {
                sequence += 1;
                let request = InstancesRequest {
                    stack_set: stack.to_string(),
                    place: if cx.service_managed() {
                        Place::Units(places.clone())
                    } else {
                        Place::Accounts(places.clone())
                    },
                    regions: regions.clone(),
                    overrides: overrides.clone(),
                    preferences: cx.settings.preferences.clone(),
                    operation_id: operation_id(kind, stack, sequence),
                };
                let id = if kind == "create" {
                    api.create_stack_instances(&request).await?
                } else {
                    api.update_stack_instances(&request).await?
                };
                ui.line(format!(
                    "stack set {stack}: {} {} in {} for target {} (operation {id})",
                    if kind == "create" {
                        "creating the stack instances of"
                    } else {
                        "updating the stack instances of"
                    },
                    places.join(", "),
                    regions.join(", "),
                    target.name
                ));
                let results = follow(api, ui, stack, &id).await?;
                ledger.record(stack, &results, done.clone(), cx.service_managed());
            }
        }
        ledger.settle(stack, &target.name);
    }
    *current = None;
    let wanted: BTreeSet<(String, String)> = cx
        .all
        .targets
        .iter()
        .flat_map(|target| {
            cx.places(target)
                .into_iter()
                .flat_map(move |place| target.regions.iter().map(move |region| (place.clone(), region.clone())))
        })
        .collect();
    let strays: Vec<String> = known
        .difference(&wanted)
        .map(|(place, region)| format!("{place} {region}"))
        .collect();
    if !strays.is_empty() {
        ui.line(format!(
            "stack set {stack}: stack instances no target names are left as they are: {} (delete them with `aws cloudformation delete-stack-instances`, or add them to the targets file)",
            strays.join(", ")
        ));
    }
    Ok(())
}

/// Places with the same regions to do, together: one request each (a request is the
/// cross product of its accounts and regions).
fn grouped(by_place: BTreeMap<String, Vec<String>>) -> Vec<(Vec<String>, Vec<String>)> {
    let mut groups: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for (place, regions) in by_place {
        groups.entry(regions).or_default().push(place);
    }
    groups.into_iter().map(|(regions, places)| (places, regions)).collect()
}

fn permission_text(cx: &Context<'_>) -> &'static str {
    match &cx.settings.permissions {
        Permissions::SelfManaged { .. } => "self-managed permissions",
        Permissions::ServiceManaged {
            auto_deployment: true, ..
        } => "service-managed permissions, deployed to accounts that join the units",
        Permissions::ServiceManaged { .. } => "service-managed permissions",
    }
}

/// Follows operation `id` of stack set `stack` to its end, saying each instance's status
/// as it changes; the instances' results. Ctrl-C stops following (the operation goes on
/// in CloudFormation, and the message says how to follow or stop it).
pub async fn follow(api: &impl StackSets, ui: &mut Ui, stack: &str, id: &str) -> Result<Vec<OperationResult>, Failure> {
    let mut seen: BTreeMap<(String, String), String> = BTreeMap::new();
    loop {
        let operation = api.describe_operation(stack, id).await?;
        let results = api.operation_results(stack, id).await?;
        for result in &results {
            let key = (result.account.clone(), result.region.clone());
            if seen.get(&key) != Some(&result.status) {
                let reason = result
                    .reason
                    .as_deref()
                    .filter(|reason| !reason.is_empty())
                    .map(|reason| format!(": {reason}"))
                    .unwrap_or_default();
                ui.line(format!(
                    "  {} {}: {}{reason}",
                    result.account, result.region, result.status
                ));
                seen.insert(key, result.status.clone());
            }
        }
        if operation.is_done() {
            if operation.status != "SUCCEEDED" && results.iter().all(|r| r.status == "SUCCEEDED") {
                return Err(Failure::new(format!(
                    "operation {id} of stack set {stack} ended {}: {}",
                    operation.status,
                    operation.reason.as_deref().unwrap_or("no reason given")
                )));
            }
            ui.line(format!("stack set {stack}: operation {id} {}", operation.status));
            return Ok(results);
        }
        if ui.interrupt.sleep(ui.poll_interval).await {
            return Err(Failure::interrupted(format!(
                "stopped following operation {id} of stack set {stack}; CloudFormation carries on: follow it with `aws cloudformation describe-stack-set-operation --stack-set-name {stack} --operation-id {id}`, or stop it with `aws cloudformation stop-stack-set-operation --stack-set-name {stack} --operation-id {id}`"
            )));
        }
    }
}

/// Deletes the stack instances of `plans` (in reverse: flow stacks first), then the stack
/// sets; a stack set that is not there is absent.
pub async fn destroy(api: &impl StackSets, ui: &mut Ui, cx: &Context<'_>, plans: &[StackPlan]) -> Vec<Row> {
    let mut ledger = Ledger::new(cx, plans);
    for plan in plans.iter().rev() {
        if let Err(failure) = destroy_stack_set(api, ui, cx, plan, &mut ledger).await {
            ui.line(format!("stack set {}: {}", plan.stack, failure.message));
            ledger.fail(&plan.stack, None, &failure);
            break;
        }
        if ui.interrupt.is_set() {
            break;
        }
    }
    ledger.rows
}

async fn destroy_stack_set(
    api: &impl StackSets,
    ui: &mut Ui,
    cx: &Context<'_>,
    plan: &StackPlan,
    ledger: &mut Ledger,
) -> Result<(), Failure> {
    let stack = plan.stack.as_str();
    let exists = api
        .describe_stack_set(stack)
        .await?
        .is_some_and(|info| info.status != "DELETED");
    if !exists {
        ui.line(format!("stack set {stack} does not exist: nothing to delete"));
        for row in ledger.rows.iter_mut().filter(|row| row.stack == stack) {
            row.outcome = Outcome::Absent;
        }
        return Ok(());
    }
    let instances = api.list_stack_instances(stack).await?;
    // The selected targets' instances (all of the file's targets', without --target).
    let selected: Vec<&super::api::Instance> = instances
        .iter()
        .filter(|instance| {
            cx.targets.targets.iter().any(|target| {
                target.regions.contains(&instance.region) && cx.places(target).contains(&cx.place_of(instance))
            })
        })
        .collect();
    let whole = cx.targets.targets.len() == cx.all.targets.len();
    let others = instances.len() - selected.len();
    if !ui.yes {
        if !ui.can_ask() {
            return Err(Failure::new(format!(
                "refusing to delete {} stack instances of stack set {stack} without confirmation: there is no terminal to ask on; pass --yes",
                selected.len()
            )));
        }
        let question = if whole && others == 0 {
            format!(
                "Delete stack set {stack} and its {} stack instances (every account's and region's stack)?",
                selected.len()
            )
        } else {
            format!(
                "Delete {} stack instances of stack set {stack} (those of the targets named)?",
                selected.len()
            )
        };
        if !ui.confirm(&question).await {
            return Err(Failure::new(format!("stack set {stack} was not changed")));
        }
    }
    let mut by_place: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for instance in &selected {
        let regions = by_place.entry(cx.place_of(instance)).or_default();
        if !regions.contains(&instance.region) {
            regions.push(instance.region.clone());
        }
    }
    for (sequence, (places, regions)) in grouped(by_place).into_iter().enumerate() {
        let request = InstancesRequest {
            stack_set: stack.to_string(),
            place: if cx.service_managed() {
                Place::Units(places.clone())
            } else {
                Place::Accounts(places.clone())
            },
            regions: regions.clone(),
            overrides: BTreeMap::new(),
            preferences: cx.settings.preferences.clone(),
            operation_id: operation_id("delete", stack, sequence),
        };
        let id = api.delete_stack_instances(&request).await?;
        ui.line(format!(
            "stack set {stack}: deleting the stack instances of {} in {} (operation {id})",
            places.join(", "),
            regions.join(", ")
        ));
        let results = follow(api, ui, stack, &id).await?;
        ledger.record(stack, &results, Outcome::Deleted, cx.service_managed());
        if results.iter().any(|result| result.status != "SUCCEEDED") {
            return Err(Failure::new(format!(
                "some stack instances of {stack} were not deleted, so the stack set stays"
            )));
        }
    }
    if whole && others == 0 {
        api.delete_stack_set(stack).await?;
        ui.line(format!("stack set {stack}: deleted"));
    } else {
        ui.line(format!(
            "stack set {stack}: kept, with the stack instances of {}",
            if whole {
                format!("{others} places no target names")
            } else {
                "the targets not named".to_string()
            }
        ));
    }
    for row in ledger.rows.iter_mut().filter(|row| row.stack == stack) {
        if row.outcome == Outcome::NotStarted {
            row.outcome = Outcome::Absent;
        }
    }
    Ok(())
}

/// What `diff` finds for the stack sets of `plans`: the template diff of each stack set
/// (printed lines), and a row per target instance: new, or its differences (template
/// entries, plus one for overrides that are not the target's values).
pub async fn diff(
    api: &impl StackSets,
    cx: &Context<'_>,
    plans: &[StackPlan],
) -> Result<(Vec<Row>, Vec<String>), Failure> {
    let mut ledger = Ledger::new(cx, plans);
    let mut lines = Vec::new();
    for plan in plans {
        let stack = plan.stack.as_str();
        let existing = api
            .describe_stack_set(stack)
            .await?
            .filter(|info| info.status != "DELETED");
        let Some(info) = existing else {
            lines.push(format!("stack set {stack}: not deployed; a deploy creates it"));
            lines.extend(diff::render(&diff::diff_templates(&Value::Null, &plan.template)));
            for row in ledger.rows.iter_mut().filter(|row| row.stack == stack) {
                row.outcome = Outcome::New;
            }
            continue;
        };
        let deployed = serde_json::from_str::<Value>(&info.template_body).unwrap_or(Value::Null);
        let entries = diff::diff_templates(&deployed, &plan.template);
        let found = crate::deploy::StackDiff::Existing(entries.clone());
        lines.extend(
            crate::deploy::command::diff_lines(stack, &found)
                .into_iter()
                .map(|line| line.replacen("stack ", "stack set ", 1)),
        );
        let definition = definition(cx, plan, &TemplateSource::Body(plan.body.clone()), Some(&info));
        let parameters_differ = entries.is_empty() && !as_deployed(&info, &definition, plan);
        if parameters_differ {
            lines.push(format!("stack set {stack}: its parameter values or settings change"));
        }
        let instances = api.list_stack_instances(stack).await?;
        for target in &cx.targets.targets {
            let wanted = overrides(cx, target, plan);
            for place in cx.places(target) {
                for region in &target.regions {
                    let instance = instances.iter().find(|instance| {
                        &instance.region == region
                            && if cx.service_managed() {
                                instance.unit.as_deref() == Some(place.as_str())
                            } else {
                                instance.account == place
                            }
                    });
                    let outcome = match instance {
                        None => Outcome::New,
                        Some(instance) => {
                            let overrides_differ = instance.status != "CURRENT"
                                || api.instance_overrides(stack, &instance.account, region).await? != wanted;
                            Outcome::Differences(
                                entries.len() + usize::from(parameters_differ) + usize::from(overrides_differ),
                            )
                        }
                    };
                    let label = label(target, &place, region, cx.places(target).len());
                    for row in ledger
                        .rows
                        .iter_mut()
                        .filter(|row| row.stack == stack && row.label == label)
                    {
                        row.outcome = outcome.clone();
                    }
                }
            }
        }
    }
    Ok((ledger.rows, lines))
}
