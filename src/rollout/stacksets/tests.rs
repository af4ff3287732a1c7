//! The StackSets engine against a fake StackSets API (the local CloudFormation has none)
//! that answers as the API reference says: operations run at once, each instance of a
//! request gets a result, overrides are kept per instance; and the SDK requests compared
//! with the reference field by field.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;

use super::api::*;
use super::engine::{self, Context};
use crate::deploy::StackPlan;
use crate::deploy::api::{ApiError, ParameterValue, TemplateSource};
use crate::deploy::ui::testing::Screen;
use crate::deploy::ui::{Prompt, Ui};
use crate::deploy::values::testing::NoOutside;
use crate::rollout::summary::{Outcome, Row};
use crate::rollout::targets::{self, Preferences, Targets};

/// An instance and its parameter overrides.
type Kept = (Instance, BTreeMap<String, String>);

#[derive(Default)]
struct Fake {
    stack_sets: RefCell<BTreeMap<String, StackSetInfo>>,
    /// Per stack set: each instance and its overrides.
    instances: RefCell<BTreeMap<String, Vec<Kept>>>,
    operations: RefCell<BTreeMap<String, Vec<OperationResult>>>,
    /// Every call, with what it was given that the tests look at.
    calls: RefCell<Vec<String>>,
    /// An account whose instances fail, and why.
    failing: std::cell::Cell<Option<(&'static str, &'static str)>>,
    /// The accounts of each organizational unit (service-managed).
    units: BTreeMap<&'static str, Vec<&'static str>>,
    /// An action the fake refuses (`LimitExceededException`).
    refuse: RefCell<Option<&'static str>>,
}

fn pairs(values: &BTreeMap<String, String>) -> String {
    values
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A stack set's parameters as `k=v`, `k=<previous>` for `UsePreviousValue`.
fn stack_set_pairs(values: &BTreeMap<String, ParameterValue>) -> String {
    values
        .iter()
        .map(|(k, v)| match v {
            ParameterValue::Value(v) => format!("{k}={v}"),
            ParameterValue::Previous => format!("{k}=<previous>"),
        })
        .collect::<Vec<_>>()
        .join(",")
}

impl Fake {
    fn log(&self, call: String) {
        self.calls.borrow_mut().push(call);
    }

    /// Keeps the stack set as `definition` says.
    fn keep(&self, definition: &StackSetDefinition) {
        let TemplateSource::Body(body) = &definition.template else {
            panic!("inline templates in these tests")
        };
        let before = self.stack_sets.borrow().get(&definition.name).cloned();
        let parameters = definition
            .parameters
            .iter()
            .filter_map(|(name, value)| match value {
                ParameterValue::Value(value) => Some((name.clone(), value.clone())),
                ParameterValue::Previous => before
                    .as_ref()
                    .and_then(|b| b.parameters.get(name))
                    .map(|v| (name.clone(), v.clone())),
            })
            .collect();
        let (auto_deployment, administration_role, execution_role_name) = match &definition.permissions {
            crate::rollout::targets::Permissions::SelfManaged {
                administration_role,
                execution_role_name,
            } => (None, administration_role.clone(), execution_role_name.clone()),
            crate::rollout::targets::Permissions::ServiceManaged {
                auto_deployment,
                retain_stacks_on_account_removal,
                ..
            } => (
                Some((*auto_deployment, *auto_deployment && *retain_stacks_on_account_removal)),
                None,
                None,
            ),
        };
        self.stack_sets.borrow_mut().insert(
            definition.name.clone(),
            StackSetInfo {
                status: "ACTIVE".into(),
                template_body: body.clone(),
                parameters,
                capabilities: definition.capabilities.clone(),
                tags: definition.tags.clone(),
                managed_execution: definition.managed_execution,
                auto_deployment,
                administration_role,
                execution_role_name,
            },
        );
    }

    fn calls(&self) -> Vec<String> {
        self.calls.borrow().clone()
    }

    /// The accounts a request covers.
    fn accounts(&self, place: &Place) -> Vec<(String, Option<String>)> {
        match place {
            Place::Accounts(accounts) => accounts.iter().map(|a| (a.clone(), None)).collect(),
            Place::Units(units) => units
                .iter()
                .flat_map(|unit| {
                    self.units
                        .get(unit.as_str())
                        .into_iter()
                        .flatten()
                        .map(move |account| (account.to_string(), Some(unit.clone())))
                })
                .collect(),
        }
    }

    /// Logs the request (`CreateStackInstances <stack set> <place> <regions> <overrides>`)
    /// and runs it at once.
    fn operate(&self, request: &InstancesRequest, kind: &str) -> String {
        let action = match kind {
            "create" => "CreateStackInstances",
            "update" => "UpdateStackInstances",
            _ => "DeleteStackInstances",
        };
        let overrides = if kind == "delete" {
            String::new()
        } else {
            format!(" {}", pairs(&request.overrides))
        };
        self.log(format!(
            "{action} {} {:?} {}{overrides}",
            request.stack_set,
            request.place,
            request.regions.join(",")
        ));
        let mut results = Vec::new();
        let mut instances = self.instances.borrow_mut();
        let list = instances.entry(request.stack_set.clone()).or_default();
        for (account, unit) in self.accounts(&request.place) {
            for region in &request.regions {
                let failed = self.failing.get().filter(|(bad, _)| *bad == account);
                results.push(OperationResult {
                    account: account.clone(),
                    region: region.clone(),
                    unit: unit.clone(),
                    status: if failed.is_some() { "FAILED" } else { "SUCCEEDED" }.into(),
                    reason: failed.map(|(_, reason)| reason.to_string()),
                });
                let position = list
                    .iter()
                    .position(|(i, _)| i.account == account && &i.region == region);
                match (kind, position) {
                    ("delete", Some(position)) => {
                        list.remove(position);
                    }
                    ("create", None) => list.push((
                        Instance {
                            account: account.clone(),
                            region: region.clone(),
                            unit: unit.clone(),
                            status: if failed.is_some() { "OUTDATED" } else { "CURRENT" }.into(),
                            reason: None,
                        },
                        request.overrides.clone(),
                    )),
                    ("update", Some(position)) => {
                        list[position].1 = request.overrides.clone();
                        list[position].0.status = if failed.is_some() { "OUTDATED" } else { "CURRENT" }.into();
                    }
                    _ => {}
                }
            }
        }
        self.operations
            .borrow_mut()
            .insert(request.operation_id.clone(), results);
        request.operation_id.clone()
    }
}

impl StackSets for Fake {
    async fn describe_stack_set(&self, name: &str) -> Result<Option<StackSetInfo>, ApiError> {
        Ok(self.stack_sets.borrow().get(name).cloned())
    }

    async fn create_stack_set(&self, definition: &StackSetDefinition, _token: &str) -> Result<(), ApiError> {
        self.log(format!(
            "CreateStackSet {} {:?} {}",
            definition.name,
            definition.permissions,
            stack_set_pairs(&definition.parameters)
        ));
        self.keep(definition);
        Ok(())
    }

    async fn update_stack_set(
        &self,
        definition: &StackSetDefinition,
        _preferences: &Preferences,
        operation_id: &str,
    ) -> Result<String, ApiError> {
        self.log(format!(
            "UpdateStackSet {} {}",
            definition.name,
            stack_set_pairs(&definition.parameters)
        ));
        self.keep(definition);
        let results = self
            .instances
            .borrow()
            .get(&definition.name)
            .cloned()
            .unwrap_or_default();
        let results = results
            .into_iter()
            .map(|(instance, _)| OperationResult {
                account: instance.account,
                region: instance.region,
                unit: instance.unit,
                status: "SUCCEEDED".into(),
                reason: None,
            })
            .collect();
        self.operations.borrow_mut().insert(operation_id.to_string(), results);
        Ok(operation_id.to_string())
    }

    async fn delete_stack_set(&self, name: &str) -> Result<(), ApiError> {
        self.log(format!("DeleteStackSet {name}"));
        if self.instances.borrow().get(name).is_some_and(|list| !list.is_empty()) {
            return Err(ApiError::permanent(
                "StackSetNotEmptyException",
                "the stack set has instances",
            ));
        }
        self.stack_sets.borrow_mut().remove(name);
        Ok(())
    }

    async fn list_stack_instances(&self, name: &str) -> Result<Vec<Instance>, ApiError> {
        Ok(self
            .instances
            .borrow()
            .get(name)
            .into_iter()
            .flatten()
            .map(|(instance, _)| instance.clone())
            .collect())
    }

    async fn instance_overrides(
        &self,
        name: &str,
        account: &str,
        region: &str,
    ) -> Result<BTreeMap<String, String>, ApiError> {
        Ok(self
            .instances
            .borrow()
            .get(name)
            .into_iter()
            .flatten()
            .find(|(i, _)| i.account == account && i.region == region)
            .map(|(_, overrides)| overrides.clone())
            .unwrap_or_default())
    }

    async fn create_stack_instances(&self, request: &InstancesRequest) -> Result<String, ApiError> {
        if *self.refuse.borrow() == Some("CreateStackInstances") {
            return Err(ApiError::permanent(
                "LimitExceededException",
                "too many stack instances",
            ));
        }
        Ok(self.operate(request, "create"))
    }

    async fn update_stack_instances(&self, request: &InstancesRequest) -> Result<String, ApiError> {
        Ok(self.operate(request, "update"))
    }

    async fn delete_stack_instances(&self, request: &InstancesRequest) -> Result<String, ApiError> {
        Ok(self.operate(request, "delete"))
    }

    async fn describe_operation(&self, _name: &str, operation_id: &str) -> Result<Operation, ApiError> {
        let results = self.operations.borrow().get(operation_id).cloned().unwrap_or_default();
        let failed = results.iter().any(|r| r.status == "FAILED");
        Ok(Operation {
            status: if failed { "FAILED" } else { "SUCCEEDED" }.into(),
            reason: failed.then(|| "The operation failed in some accounts".into()),
        })
    }

    async fn operation_results(&self, _name: &str, operation_id: &str) -> Result<Vec<OperationResult>, ApiError> {
        Ok(self.operations.borrow().get(operation_id).cloned().unwrap_or_default())
    }
}

fn ui() -> (Ui, Screen) {
    let screen = Screen::default();
    (
        Ui::new(Box::new(screen.clone()), Prompt::None, true, Duration::from_millis(1)),
        screen,
    )
}

fn run<T>(future: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

fn targets(text: &str) -> Targets {
    targets::parse(std::path::Path::new("accounts.toml"), text, &NoOutside).unwrap()
}

const SELF_MANAGED: &str = r#"
[rollout]
engine = "stacksets"
execution-role-name = "FlowformExecution"
preferences = { max-concurrent = 2, failure-tolerance = 1 }

[values]
RecordObject = "Account"

[target.acme]
account = "111111111111"
regions = ["us-east-1", "eu-west-1"]
values = { InstanceUrl = "https://acme.example.com" }

[target.globex]
account = "222222222222"
regions = ["us-east-1"]
values = { InstanceUrl = "https://globex.example.com", RecordObject = "Contact" }
"#;

fn plans() -> Vec<(StackPlan, TemplateSource)> {
    let template = json!({
        "Parameters": {
            "InstanceUrl": {"Type": "String"},
            "RecordObject": {"Type": "String", "Default": "Account"},
        },
        "Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}},
    });
    let plan = StackPlan {
        stack: "crm-sync".into(),
        body: template.to_string(),
        template,
        tags: BTreeMap::new(),
    };
    let body = TemplateSource::Body(plan.body.clone());
    vec![(plan, body)]
}

fn deploy(fake: &Fake, targets: &Targets) -> (Vec<Row>, String) {
    let crate::rollout::targets::Engine::StackSets(settings) = &targets.engine else {
        panic!("a StackSets file")
    };
    let parameters = BTreeMap::new();
    let cx = Context {
        targets,
        all: targets,
        recheck: false,
        settings,
        parameters: &parameters,
        description: "test",
    };
    let (mut ui, screen) = ui();
    let rows = run(engine::deploy(fake, &mut ui, &cx, &plans()));
    (rows, screen.text())
}

fn outcomes(rows: &[Row]) -> Vec<(String, String, Outcome)> {
    rows.iter()
        .map(|row| (row.label.clone(), row.account.clone(), row.outcome.clone()))
        .collect()
}

#[test]
fn a_stack_set_is_created_then_each_target_gets_its_instances_with_its_values() {
    let fake = Fake::default();
    let (rows, screen) = deploy(&fake, &targets(SELF_MANAGED));
    assert_eq!(
        fake.calls(),
        [
            // Every parameter has a stack set value, so each can be overridden.
            "CreateStackSet crm-sync SelfManaged { administration_role: None, execution_role_name: Some(\"FlowformExecution\") } InstanceUrl=https://acme.example.com,RecordObject=Account",
            "CreateStackInstances crm-sync Accounts([\"111111111111\"]) us-east-1,eu-west-1 InstanceUrl=https://acme.example.com,RecordObject=Account",
            "CreateStackInstances crm-sync Accounts([\"222222222222\"]) us-east-1 InstanceUrl=https://globex.example.com,RecordObject=Contact",
        ]
    );
    assert_eq!(
        outcomes(&rows),
        [
            ("acme/us-east-1".into(), "111111111111".into(), Outcome::Created),
            ("acme/eu-west-1".into(), "111111111111".into(), Outcome::Created),
            ("globex/us-east-1".into(), "222222222222".into(), Outcome::Created),
        ]
    );
    assert!(screen.contains("  111111111111 eu-west-1: SUCCEEDED"), "{screen}");

    // A re-run with nothing changed makes no operation; one target's value changed
    // updates that target's instances only.
    fake.calls.borrow_mut().clear();
    let (rows, _) = deploy(&fake, &targets(SELF_MANAGED));
    assert!(fake.calls().is_empty(), "{:?}", fake.calls());
    assert!(rows.iter().all(|row| row.outcome == Outcome::Unchanged), "{rows:?}");
    let changed = SELF_MANAGED.replace("RecordObject = \"Contact\"", "RecordObject = \"Opportunity\"");
    let (rows, _) = deploy(&fake, &targets(&changed));
    assert_eq!(
        fake.calls(),
        [
            "UpdateStackInstances crm-sync Accounts([\"222222222222\"]) us-east-1 InstanceUrl=https://globex.example.com,RecordObject=Opportunity"
        ]
    );
    assert_eq!(rows[2].outcome, Outcome::Updated);
    assert_eq!(rows[0].outcome, Outcome::Unchanged);

    // A changed template updates the stack set, every instance with it.
    fake.calls.borrow_mut().clear();
    fake.stack_sets.borrow_mut().get_mut("crm-sync").unwrap().template_body = "{}".into();
    let (rows, _) = deploy(&fake, &targets(&changed));
    assert_eq!(
        fake.calls(),
        ["UpdateStackSet crm-sync InstanceUrl=https://acme.example.com,RecordObject=Account"]
    );
    assert!(rows.iter().all(|row| row.outcome == Outcome::Updated), "{rows:?}");
}

#[test]
fn a_failed_instance_is_its_target_s_row_with_the_reason() {
    let fake = Fake::default();
    fake.failing.set(Some((
        "222222222222",
        "ResourceLogicalId:Bucket, ResourceType:AWS::S3::Bucket, ResourceStatusReason:Access Denied",
    )));
    let (rows, screen) = deploy(&fake, &targets(SELF_MANAGED));
    assert_eq!(rows[0].outcome, Outcome::Created);
    assert_eq!(rows[2].outcome, Outcome::Failed);
    assert!(
        rows[2].note.as_deref().unwrap().contains("Access Denied"),
        "{:?}",
        rows[2]
    );
    assert!(
        screen.contains("222222222222 us-east-1: FAILED: ResourceLogicalId:Bucket"),
        "{screen}"
    );

    // Fixed, the re-run brings the failed (OUTDATED) instance up to date, and only it.
    fake.failing.set(None);
    fake.calls.borrow_mut().clear();
    let (rows, _) = deploy(&fake, &targets(SELF_MANAGED));
    assert_eq!(
        fake.calls(),
        [
            "UpdateStackInstances crm-sync Accounts([\"222222222222\"]) us-east-1 InstanceUrl=https://globex.example.com,RecordObject=Contact"
        ]
    );
    assert_eq!(rows[2].outcome, Outcome::Updated);
}

#[test]
fn service_managed_stack_sets_deploy_to_organizational_units() {
    let text = r#"
[rollout]
engine = "stacksets"
permission-model = "service-managed"

[target.platform]
organizational-units = ["ou-ab12-cd34ef56"]
regions = ["us-east-1", "eu-west-1"]
values = { InstanceUrl = "https://corp.example.com" }
"#;
    let fake = Fake {
        units: [("ou-ab12-cd34ef56", vec!["444444444444", "555555555555"])].into(),
        ..Fake::default()
    };
    let (rows, _) = deploy(&fake, &targets(text));
    assert_eq!(
        fake.calls(),
        [
            "CreateStackSet crm-sync ServiceManaged { auto_deployment: true, retain_stacks_on_account_removal: false, delegated_admin: false } InstanceUrl=https://corp.example.com,RecordObject=Account",
            "CreateStackInstances crm-sync Units([\"ou-ab12-cd34ef56\"]) us-east-1,eu-west-1 InstanceUrl=https://corp.example.com",
        ]
    );
    assert_eq!(
        outcomes(&rows),
        [
            ("platform/us-east-1".into(), "ou-ab12-cd34ef56".into(), Outcome::Created),
            ("platform/eu-west-1".into(), "ou-ab12-cd34ef56".into(), Outcome::Created),
        ]
    );
    // Re-run: the unit's instances have the target's overrides, nothing to do.
    fake.calls.borrow_mut().clear();
    deploy(&fake, &targets(text));
    assert!(fake.calls().is_empty(), "{:?}", fake.calls());
}

#[test]
fn destroy_deletes_the_instances_then_the_stack_set() {
    let fake = Fake::default();
    let read = targets(SELF_MANAGED);
    deploy(&fake, &read);
    fake.calls.borrow_mut().clear();
    let crate::rollout::targets::Engine::StackSets(settings) = &read.engine else {
        panic!()
    };
    let parameters = BTreeMap::new();
    let cx = Context {
        targets: &read,
        all: &read,
        recheck: false,
        settings,
        parameters: &parameters,
        description: "test",
    };
    let (mut ui, _) = ui();
    let stacks: Vec<StackPlan> = plans().into_iter().map(|(plan, _)| plan).collect();
    let rows = run(engine::destroy(&fake, &mut ui, &cx, &stacks));
    assert_eq!(
        fake.calls(),
        [
            // One request per set of regions (a request is accounts × regions).
            "DeleteStackInstances crm-sync Accounts([\"222222222222\"]) us-east-1",
            "DeleteStackInstances crm-sync Accounts([\"111111111111\"]) us-east-1,eu-west-1",
            "DeleteStackSet crm-sync",
        ]
    );
    assert!(rows.iter().all(|row| row.outcome == Outcome::Deleted), "{rows:?}");
    let rows = run(engine::destroy(&fake, &mut ui, &cx, &stacks));
    assert!(rows.iter().all(|row| row.outcome == Outcome::Absent), "{rows:?}");
}

#[test]
fn diff_says_what_a_deploy_would_create_and_change() {
    let fake = Fake::default();
    let read = targets(SELF_MANAGED);
    let crate::rollout::targets::Engine::StackSets(settings) = &read.engine else {
        panic!()
    };
    let parameters = BTreeMap::new();
    let cx = Context {
        targets: &read,
        all: &read,
        recheck: false,
        settings,
        parameters: &parameters,
        description: "test",
    };
    let stacks: Vec<StackPlan> = plans().into_iter().map(|(plan, _)| plan).collect();
    let (rows, lines) = run(engine::diff(&fake, &cx, &stacks)).unwrap();
    assert!(rows.iter().all(|row| row.outcome == Outcome::New), "{rows:?}");
    assert_eq!(lines[0], "stack set crm-sync: not deployed; a deploy creates it");
    deploy(&fake, &read);
    let changed = targets(&SELF_MANAGED.replace("RecordObject = \"Contact\"", "RecordObject = \"Opportunity\""));
    let cx = Context {
        targets: &changed,
        all: &changed,
        ..cx
    };
    let (rows, lines) = run(engine::diff(&fake, &cx, &stacks)).unwrap();
    assert_eq!(lines, ["stack set crm-sync: no differences"]);
    assert_eq!(
        rows.iter().map(|row| row.outcome.clone()).collect::<Vec<_>>(),
        [
            Outcome::Differences(0),
            Outcome::Differences(0),
            Outcome::Differences(1)
        ]
    );
}

#[test]
fn flows_activated_in_a_second_change_set_are_refused() {
    let template =
        json!({"Parameters": {"EventsFlowStatus": {"Type": "String", "AllowedValues": ["Draft", "Active"]}}});
    let plan = StackPlan {
        stack: "events".into(),
        body: template.to_string(),
        template,
        tags: BTreeMap::new(),
    };
    let failure = engine::check_plans(&[plan]).unwrap_err();
    assert!(failure.message.contains("direct engine"), "{}", failure.message);
}

/// The requests the SDK sends, field by field against the CloudFormation API reference.
mod requests {
    use aws_sdk_cloudformation::types::{CallAs, ConcurrencyMode, PermissionModels, RegionConcurrencyType};

    use super::*;
    use crate::rollout::stacksets::aws::*;
    use crate::rollout::targets::{Amount, Permissions};

    fn client() -> aws_sdk_cloudformation::Client {
        let config = aws_sdk_cloudformation::Config::builder()
            .behavior_version(aws_sdk_cloudformation::config::BehaviorVersion::latest())
            .region(aws_sdk_cloudformation::config::Region::new("us-east-1"))
            .build();
        aws_sdk_cloudformation::Client::from_conf(config)
    }

    fn definition(permissions: Permissions) -> StackSetDefinition {
        StackSetDefinition {
            name: "crm-sync".into(),
            description: "flowform".into(),
            template: TemplateSource::Body("{}".into()),
            parameters: [(
                "InstanceUrl".to_string(),
                ParameterValue::Value("https://a.example.com".to_string()),
            )]
            .into(),
            capabilities: vec!["CAPABILITY_IAM".into()],
            tags: BTreeMap::new(),
            permissions,
            managed_execution: true,
        }
    }

    #[test]
    fn create_stack_set_names_its_permission_model_and_roles() {
        let call = create_stack_set_call(
            &client(),
            &definition(Permissions::SelfManaged {
                administration_role: Some("arn:aws:iam::999999999999:role/Admin".into()),
                execution_role_name: Some("FlowformExecution".into()),
            }),
            "token-1",
            None,
        );
        let input = call.as_input();
        assert_eq!(input.get_permission_model(), &Some(PermissionModels::SelfManaged));
        assert_eq!(
            input.get_administration_role_arn().as_deref(),
            Some("arn:aws:iam::999999999999:role/Admin")
        );
        assert_eq!(input.get_execution_role_name().as_deref(), Some("FlowformExecution"));
        assert_eq!(
            input.get_auto_deployment(),
            &None,
            "AutoDeployment is service-managed only"
        );
        assert_eq!(input.get_client_request_token().as_deref(), Some("token-1"));
        assert_eq!(
            input.get_managed_execution().as_ref().and_then(|m| m.active()),
            Some(true)
        );
        let parameter = &input.get_parameters().as_ref().unwrap()[0];
        assert_eq!(parameter.parameter_key(), Some("InstanceUrl"));

        let call = create_stack_set_call(
            &client(),
            &definition(Permissions::ServiceManaged {
                auto_deployment: false,
                retain_stacks_on_account_removal: true,
                delegated_admin: true,
            }),
            "token-2",
            Some(CallAs::DelegatedAdmin),
        );
        let input = call.as_input();
        assert_eq!(input.get_permission_model(), &Some(PermissionModels::ServiceManaged));
        let auto = input.get_auto_deployment().as_ref().unwrap();
        assert_eq!(auto.enabled(), Some(false));
        assert_eq!(
            auto.retain_stacks_on_account_removal(),
            None,
            "RetainStacksOnAccountRemoval only with Enabled"
        );
        assert_eq!(input.get_call_as(), &Some(CallAs::DelegatedAdmin));
        assert_eq!(input.get_execution_role_name(), &None);
    }

    #[test]
    fn instance_requests_carry_their_place_regions_overrides_and_preferences() {
        let request = InstancesRequest {
            stack_set: "crm-sync".into(),
            place: Place::Units(vec!["ou-ab12-cd34ef56".into()]),
            regions: vec!["us-east-1".into(), "eu-west-1".into()],
            overrides: [("RecordObject".to_string(), "Contact".to_string())].into(),
            preferences: Preferences {
                max_concurrent: Some(Amount::Percentage(25)),
                failure_tolerance: Some(Amount::Count(1)),
                region_order: vec!["eu-west-1".into(), "us-east-1".into()],
                regions_in_parallel: true,
                soft_failure_tolerance: true,
            },
            operation_id: "flowform-create-1".into(),
        };
        let call = create_instances_call(&client(), &request, None);
        let input = call.as_input();
        assert_eq!(input.get_accounts(), &None, "Accounts or DeploymentTargets, not both");
        assert_eq!(
            input
                .get_deployment_targets()
                .as_ref()
                .unwrap()
                .organizational_unit_ids(),
            ["ou-ab12-cd34ef56"]
        );
        assert_eq!(
            input.get_regions().as_deref(),
            Some(&["us-east-1".to_string(), "eu-west-1".to_string()][..])
        );
        let overrides = input.get_parameter_overrides().as_ref().unwrap();
        assert_eq!(
            (overrides[0].parameter_key(), overrides[0].parameter_value()),
            (Some("RecordObject"), Some("Contact"))
        );
        let preferences = input.get_operation_preferences().as_ref().unwrap();
        assert_eq!(preferences.max_concurrent_percentage(), Some(25));
        assert_eq!(preferences.max_concurrent_count(), None);
        assert_eq!(preferences.failure_tolerance_count(), Some(1));
        assert_eq!(preferences.region_order(), ["eu-west-1", "us-east-1"]);
        assert_eq!(
            preferences.region_concurrency_type(),
            Some(&RegionConcurrencyType::Parallel)
        );
        assert_eq!(
            preferences.concurrency_mode(),
            Some(&ConcurrencyMode::SoftFailureTolerance)
        );
        assert_eq!(input.get_operation_id().as_deref(), Some("flowform-create-1"));

        let request = InstancesRequest {
            place: Place::Accounts(vec!["111111111111".into()]),
            ..request
        };
        let input = delete_instances_call(&client(), &request, None);
        let input = input.as_input();
        assert_eq!(input.get_retain_stacks(), &Some(false), "RetainStacks is required");
        assert_eq!(input.get_accounts().as_deref(), Some(&["111111111111".to_string()][..]));
        let update = update_instances_call(&client(), &request, None);
        assert!(update.as_input().get_parameter_overrides().is_some());
    }
}

/// Deploys or destroys the targets `only` names of `all` (`--target`).
fn run_selected(fake: &Fake, all: &Targets, only: &[&str], destroy: bool) -> Vec<Row> {
    let mut selected = all.clone();
    selected
        .select(&only.iter().map(|name| name.to_string()).collect::<Vec<_>>())
        .unwrap();
    let crate::rollout::targets::Engine::StackSets(settings) = &all.engine else {
        panic!("a StackSets file")
    };
    let parameters = BTreeMap::new();
    let cx = Context {
        targets: &selected,
        all,
        recheck: false,
        settings,
        parameters: &parameters,
        description: "test",
    };
    let (mut ui, _) = ui();
    if destroy {
        let stacks: Vec<StackPlan> = plans().into_iter().map(|(plan, _)| plan).collect();
        run(engine::destroy(fake, &mut ui, &cx, &stacks))
    } else {
        run(engine::deploy(fake, &mut ui, &cx, &plans()))
    }
}

#[test]
fn the_first_target_s_value_is_its_own_and_settings_changes_update_the_stack_set() {
    let fake = Fake::default();
    deploy(&fake, &targets(SELF_MANAGED));
    fake.calls.borrow_mut().clear();
    // acme's URL is the stack set's value only because acme came first: changing it
    // updates acme's instances, not the stack set (every target overrides it).
    let moved = SELF_MANAGED.replace("https://acme.example.com", "https://acme2.example.com");
    deploy(&fake, &targets(&moved));
    assert_eq!(
        fake.calls(),
        [
            "UpdateStackInstances crm-sync Accounts([\"111111111111\"]) us-east-1,eu-west-1 InstanceUrl=https://acme2.example.com,RecordObject=Account"
        ]
    );
    // A setting of the stack set (its execution role) changed: the stack set is updated.
    fake.calls.borrow_mut().clear();
    let renamed = moved.replace("FlowformExecution", "FlowformExecution2");
    deploy(&fake, &targets(&renamed));
    assert_eq!(fake.calls().len(), 1, "{:?}", fake.calls());
    assert!(
        fake.calls()[0].starts_with("UpdateStackSet crm-sync"),
        "{:?}",
        fake.calls()
    );
}

#[test]
fn selected_targets_are_deployed_and_destroyed_alone() {
    let fake = Fake::default();
    let all = targets(SELF_MANAGED);
    let rows = run_selected(&fake, &all, &["globex"], false);
    assert_eq!(
        fake.calls()[1..],
        [
            "CreateStackInstances crm-sync Accounts([\"222222222222\"]) us-east-1 InstanceUrl=https://globex.example.com,RecordObject=Contact"
        ]
    );
    assert_eq!(rows.len(), 1, "{rows:?}");
    deploy(&fake, &all);
    fake.calls.borrow_mut().clear();
    let rows = run_selected(&fake, &all, &["acme"], true);
    assert_eq!(
        fake.calls(),
        ["DeleteStackInstances crm-sync Accounts([\"111111111111\"]) us-east-1,eu-west-1"],
        "globex's instance and the stack set stay"
    );
    assert!(rows.iter().all(|row| row.outcome == Outcome::Deleted), "{rows:?}");
    assert!(fake.stack_sets.borrow().contains_key("crm-sync"));
}

#[test]
fn a_refused_call_fails_its_target_and_leaves_the_others_as_they_were() {
    let fake = Fake::default();
    deploy(&fake, &targets(SELF_MANAGED));
    // globex's instance vanished (deleted by hand), so it is created again, and that
    // call is refused; acme, up to date, stays unchanged.
    fake.instances
        .borrow_mut()
        .get_mut("crm-sync")
        .unwrap()
        .retain(|(instance, _)| instance.account != "222222222222");
    *fake.refuse.borrow_mut() = Some("CreateStackInstances");
    let (rows, _) = deploy(&fake, &targets(SELF_MANAGED));
    assert_eq!(
        outcomes(&rows),
        [
            ("acme/us-east-1".into(), "111111111111".into(), Outcome::Unchanged),
            ("acme/eu-west-1".into(), "111111111111".into(), Outcome::Unchanged),
            ("globex/us-east-1".into(), "222222222222".into(), Outcome::Failed),
        ]
    );
    assert!(
        rows[2].note.as_deref().unwrap().contains("LimitExceededException"),
        "{rows:?}"
    );
}
