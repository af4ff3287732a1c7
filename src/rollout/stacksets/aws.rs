//! [`StackSets`] over the AWS SDK for Rust: each call's request built by a function of
//! its own, so the unit tests compare what is sent with the API reference without a
//! network.

use std::collections::BTreeMap;

use aws_sdk_cloudformation as cfn;
use aws_sdk_cloudformation::operation::create_stack_instances::builders::CreateStackInstancesFluentBuilder;
use aws_sdk_cloudformation::operation::create_stack_set::builders::CreateStackSetFluentBuilder;
use aws_sdk_cloudformation::operation::delete_stack_instances::builders::DeleteStackInstancesFluentBuilder;
use aws_sdk_cloudformation::operation::update_stack_instances::builders::UpdateStackInstancesFluentBuilder;
use aws_sdk_cloudformation::operation::update_stack_set::builders::UpdateStackSetFluentBuilder;
use aws_sdk_cloudformation::types::{
    AutoDeployment, CallAs, Capability, ConcurrencyMode, DeploymentTargets, ManagedExecution, Parameter,
    PermissionModels, RegionConcurrencyType, StackSetOperationPreferences, Tag,
};

use super::api::{
    Instance, InstancesRequest, Operation, OperationResult, Place, StackSetDefinition, StackSetInfo, StackSets,
};
use crate::deploy::api::{ApiError, ParameterValue, TemplateSource};
use crate::deploy::aws::api_error;
use crate::rollout::targets::{Amount, Permissions, Preferences};

/// The StackSets calls of one caller.
pub struct AwsStackSets {
    client: cfn::Client,
    /// `CallAs = DELEGATED_ADMIN` on every call (service-managed, from a delegated
    /// administrator account).
    delegated_admin: bool,
}

impl AwsStackSets {
    /// The calls through `client`, as a delegated administrator when `delegated_admin`.
    pub fn new(client: cfn::Client, delegated_admin: bool) -> AwsStackSets {
        AwsStackSets {
            client,
            delegated_admin,
        }
    }

    fn call_as(&self) -> Option<CallAs> {
        self.delegated_admin.then_some(CallAs::DelegatedAdmin)
    }
}

/// `StackSetOperationPreferences`.
pub fn preferences(preferences: &Preferences) -> StackSetOperationPreferences {
    let mut built = StackSetOperationPreferences::builder()
        .set_region_order((!preferences.region_order.is_empty()).then(|| preferences.region_order.clone()))
        .region_concurrency_type(if preferences.regions_in_parallel {
            RegionConcurrencyType::Parallel
        } else {
            RegionConcurrencyType::Sequential
        })
        .concurrency_mode(if preferences.soft_failure_tolerance {
            ConcurrencyMode::SoftFailureTolerance
        } else {
            ConcurrencyMode::StrictFailureTolerance
        });
    built = match preferences.max_concurrent {
        Some(Amount::Count(count)) => built.max_concurrent_count(count as i32),
        Some(Amount::Percentage(percentage)) => built.max_concurrent_percentage(percentage as i32),
        None => built,
    };
    built = match preferences.failure_tolerance {
        Some(Amount::Count(count)) => built.failure_tolerance_count(count as i32),
        Some(Amount::Percentage(percentage)) => built.failure_tolerance_percentage(percentage as i32),
        None => built,
    };
    built.build()
}

/// `Parameters` of a stack set: a value, or `UsePreviousValue`.
fn stack_set_parameters(values: &BTreeMap<String, ParameterValue>) -> Vec<Parameter> {
    values
        .iter()
        .map(|(key, value)| {
            let parameter = Parameter::builder().parameter_key(key);
            match value {
                ParameterValue::Value(value) => parameter.parameter_value(value).build(),
                ParameterValue::Previous => parameter.use_previous_value(true).build(),
            }
        })
        .collect()
}

fn parameters(values: &BTreeMap<String, String>) -> Vec<Parameter> {
    values
        .iter()
        .map(|(key, value)| Parameter::builder().parameter_key(key).parameter_value(value).build())
        .collect()
}

fn capabilities(names: &[String]) -> Vec<Capability> {
    names.iter().map(|name| Capability::from(name.as_str())).collect()
}

fn tags(values: &BTreeMap<String, String>) -> Vec<Tag> {
    values
        .iter()
        .map(|(key, value)| Tag::builder().key(key).value(value).build())
        .collect()
}

/// The fields `CreateStackSet` and `UpdateStackSet` share, set on `$call`: their fluent
/// builders are different types with the same setters, so a macro rather than a function.
macro_rules! stack_set_fields {
    ($call:expr, $definition:expr) => {{
        let definition: &StackSetDefinition = $definition;
        let call = $call
            .stack_set_name(&definition.name)
            .description(&definition.description)
            .set_parameters(Some(stack_set_parameters(&definition.parameters)))
            .set_capabilities(Some(capabilities(&definition.capabilities)))
            .managed_execution(ManagedExecution::builder().active(definition.managed_execution).build());
        let call = match &definition.template {
            TemplateSource::Body(body) => call.template_body(body),
            TemplateSource::Url(url) => call.template_url(url),
        };
        match &definition.permissions {
            Permissions::SelfManaged {
                administration_role,
                execution_role_name,
            } => call
                .permission_model(PermissionModels::SelfManaged)
                .set_administration_role_arn(administration_role.clone())
                .set_execution_role_name(execution_role_name.clone()),
            Permissions::ServiceManaged {
                auto_deployment,
                retain_stacks_on_account_removal,
                ..
            } => call
                .permission_model(PermissionModels::ServiceManaged)
                .auto_deployment(auto(*auto_deployment, *retain_stacks_on_account_removal)),
        }
    }};
}

/// The fields the three stack instance requests share, set on `$call` (as
/// `stack_set_fields`, a macro over three builder types).
macro_rules! instance_fields {
    ($call:expr, $request:expr, $call_as:expr) => {{
        let request: &InstancesRequest = $request;
        let call = $call
            .stack_set_name(&request.stack_set)
            .set_regions(Some(request.regions.clone()))
            .operation_preferences(preferences(&request.preferences))
            .operation_id(&request.operation_id)
            .set_call_as($call_as);
        match &request.place {
            Place::Accounts(accounts) => call.set_accounts(Some(accounts.clone())),
            Place::Units(ids) => call.deployment_targets(units(ids)),
        }
    }};
}

/// An instance's account, region, unit, status and reason from `$summary` into `$kind`:
/// `StackInstanceSummary` and `StackSetOperationResultSummary` have the same accessors.
macro_rules! per_instance {
    ($kind:ident, $summary:expr) => {
        $kind {
            account: $summary.account().unwrap_or_default().to_string(),
            region: $summary.region().unwrap_or_default().to_string(),
            unit: $summary.organizational_unit_id().map(str::to_string),
            status: $summary.status().map(|s| s.as_str().to_string()).unwrap_or_default(),
            reason: $summary.status_reason().map(str::to_string),
        }
    };
}

/// `CreateStackSet` (tags only when there are some).
pub fn create_stack_set_call(
    client: &cfn::Client,
    definition: &StackSetDefinition,
    token: &str,
    call_as: Option<CallAs>,
) -> CreateStackSetFluentBuilder {
    stack_set_fields!(client.create_stack_set(), definition)
        .set_tags((!definition.tags.is_empty()).then(|| tags(&definition.tags)))
        .client_request_token(token)
        .set_call_as(call_as)
}

/// `AutoDeployment`: "RetainStacksOnAccountRemoval ... only if Enabled is true"
/// (CloudFormation API reference, `AutoDeployment`).
fn auto(enabled: bool, retain: bool) -> AutoDeployment {
    AutoDeployment::builder()
        .enabled(enabled)
        .set_retain_stacks_on_account_removal(enabled.then_some(retain))
        .build()
}

/// `UpdateStackSet` of every instance (no `Accounts`, `Regions` or `DeploymentTargets`:
/// "If you don't specify ... the stack set is updated in all accounts and Regions"); the
/// tags always, since an empty list removes the stack set's tags, as the file says.
pub fn update_stack_set_call(
    client: &cfn::Client,
    definition: &StackSetDefinition,
    preferences_: &Preferences,
    operation_id: &str,
    call_as: Option<CallAs>,
) -> UpdateStackSetFluentBuilder {
    stack_set_fields!(client.update_stack_set(), definition)
        .set_tags(Some(tags(&definition.tags)))
        .operation_preferences(preferences(preferences_))
        .operation_id(operation_id)
        .set_call_as(call_as)
}

/// `DeploymentTargets` of organizational units.
fn units(ids: &[String]) -> DeploymentTargets {
    DeploymentTargets::builder()
        .set_organizational_unit_ids(Some(ids.to_vec()))
        .build()
}

/// `CreateStackInstances`.
pub fn create_instances_call(
    client: &cfn::Client,
    request: &InstancesRequest,
    call_as: Option<CallAs>,
) -> CreateStackInstancesFluentBuilder {
    instance_fields!(client.create_stack_instances(), request, call_as)
        .set_parameter_overrides(Some(parameters(&request.overrides)))
}

/// `UpdateStackInstances`: the overrides are the target's whole set (a parameter left out
/// goes back to the stack set's value).
pub fn update_instances_call(
    client: &cfn::Client,
    request: &InstancesRequest,
    call_as: Option<CallAs>,
) -> UpdateStackInstancesFluentBuilder {
    instance_fields!(client.update_stack_instances(), request, call_as)
        .set_parameter_overrides(Some(parameters(&request.overrides)))
}

/// `DeleteStackInstances`, the stacks deleted (`RetainStacks = false`).
pub fn delete_instances_call(
    client: &cfn::Client,
    request: &InstancesRequest,
    call_as: Option<CallAs>,
) -> DeleteStackInstancesFluentBuilder {
    instance_fields!(client.delete_stack_instances(), request, call_as).retain_stacks(false)
}

/// Whether an error says there is no such stack set.
fn is_missing(error: &ApiError) -> bool {
    error.code == "StackSetNotFoundException"
}

impl StackSets for AwsStackSets {
    async fn describe_stack_set(&self, name: &str) -> Result<Option<StackSetInfo>, ApiError> {
        let answer = self
            .client
            .describe_stack_set()
            .stack_set_name(name)
            .set_call_as(self.call_as())
            .send()
            .await;
        let answer = match answer {
            Ok(answer) => answer,
            Err(error) => {
                let error = api_error(error);
                return if is_missing(&error) { Ok(None) } else { Err(error) };
            }
        };
        Ok(answer.stack_set().map(|found| StackSetInfo {
            status: found.status().map(|s| s.as_str().to_string()).unwrap_or_default(),
            template_body: found.template_body().unwrap_or_default().to_string(),
            parameters: found
                .parameters()
                .iter()
                .filter_map(|p| Some((p.parameter_key()?.to_string(), p.parameter_value()?.to_string())))
                .collect(),
            capabilities: found.capabilities().iter().map(|c| c.as_str().to_string()).collect(),
            tags: found
                .tags()
                .iter()
                .filter_map(|tag| Some((tag.key()?.to_string(), tag.value()?.to_string())))
                .collect(),
            managed_execution: found.managed_execution().and_then(|m| m.active()).unwrap_or(false),
            auto_deployment: found.auto_deployment().map(|auto| {
                (
                    auto.enabled().unwrap_or(false),
                    auto.retain_stacks_on_account_removal().unwrap_or(false),
                )
            }),
            administration_role: found.administration_role_arn().map(str::to_string),
            execution_role_name: found.execution_role_name().map(str::to_string),
        }))
    }

    async fn create_stack_set(&self, definition: &StackSetDefinition, token: &str) -> Result<(), ApiError> {
        create_stack_set_call(&self.client, definition, token, self.call_as())
            .send()
            .await
            .map_err(api_error)?;
        Ok(())
    }

    async fn update_stack_set(
        &self,
        definition: &StackSetDefinition,
        preferences: &Preferences,
        operation_id: &str,
    ) -> Result<String, ApiError> {
        let answer = update_stack_set_call(&self.client, definition, preferences, operation_id, self.call_as())
            .send()
            .await
            .map_err(api_error)?;
        Ok(answer.operation_id().unwrap_or(operation_id).to_string())
    }

    async fn delete_stack_set(&self, name: &str) -> Result<(), ApiError> {
        self.client
            .delete_stack_set()
            .stack_set_name(name)
            .set_call_as(self.call_as())
            .send()
            .await
            .map_err(api_error)?;
        Ok(())
    }

    async fn list_stack_instances(&self, name: &str) -> Result<Vec<Instance>, ApiError> {
        let summaries = self
            .client
            .list_stack_instances()
            .stack_set_name(name)
            .set_call_as(self.call_as())
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(api_error)?;
        Ok(summaries
            .iter()
            .map(|summary| per_instance!(Instance, summary))
            .collect())
    }

    async fn instance_overrides(
        &self,
        name: &str,
        account: &str,
        region: &str,
    ) -> Result<BTreeMap<String, String>, ApiError> {
        let answer = self
            .client
            .describe_stack_instance()
            .stack_set_name(name)
            .stack_instance_account(account)
            .stack_instance_region(region)
            .set_call_as(self.call_as())
            .send()
            .await
            .map_err(api_error)?;
        Ok(answer
            .stack_instance()
            .map(|instance| {
                instance
                    .parameter_overrides()
                    .iter()
                    .filter_map(|p| Some((p.parameter_key()?.to_string(), p.parameter_value()?.to_string())))
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn create_stack_instances(&self, request: &InstancesRequest) -> Result<String, ApiError> {
        let answer = create_instances_call(&self.client, request, self.call_as())
            .send()
            .await
            .map_err(api_error)?;
        Ok(answer.operation_id().unwrap_or(&request.operation_id).to_string())
    }

    async fn update_stack_instances(&self, request: &InstancesRequest) -> Result<String, ApiError> {
        let answer = update_instances_call(&self.client, request, self.call_as())
            .send()
            .await
            .map_err(api_error)?;
        Ok(answer.operation_id().unwrap_or(&request.operation_id).to_string())
    }

    async fn delete_stack_instances(&self, request: &InstancesRequest) -> Result<String, ApiError> {
        let answer = delete_instances_call(&self.client, request, self.call_as())
            .send()
            .await
            .map_err(api_error)?;
        Ok(answer.operation_id().unwrap_or(&request.operation_id).to_string())
    }

    async fn describe_operation(&self, name: &str, operation_id: &str) -> Result<Operation, ApiError> {
        let answer = self
            .client
            .describe_stack_set_operation()
            .stack_set_name(name)
            .operation_id(operation_id)
            .set_call_as(self.call_as())
            .send()
            .await
            .map_err(api_error)?;
        let operation = answer.stack_set_operation();
        Ok(Operation {
            status: operation
                .and_then(|o| o.status())
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            reason: operation.and_then(|o| o.status_reason()).map(str::to_string),
        })
    }

    async fn operation_results(&self, name: &str, operation_id: &str) -> Result<Vec<OperationResult>, ApiError> {
        let summaries = self
            .client
            .list_stack_set_operation_results()
            .stack_set_name(name)
            .operation_id(operation_id)
            .set_call_as(self.call_as())
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(api_error)?;
        Ok(summaries
            .iter()
            .map(|summary| per_instance!(OperationResult, summary))
            .collect())
    }
}
