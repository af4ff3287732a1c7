//! The StackSets calls the engine makes, as a trait with plain data, like
//! [`crate::deploy::api::CloudFormation`]: [`super::aws`] implements it with the AWS SDK,
//! the tests with a fake (the local CloudFormation has no StackSets).
//!
//! Names and values are the API's (CloudFormation API reference: `CreateStackSet`,
//! `UpdateStackSet`, `CreateStackInstances`, `UpdateStackInstances`,
//! `DeleteStackInstances`, `DescribeStackSetOperation`, `ListStackSetOperationResults`).

use std::collections::BTreeMap;

use crate::deploy::api::{ApiError, ParameterValue, TemplateSource};
use crate::deploy::retry::{Retrying, Stop};
use crate::rollout::targets::{Permissions, Preferences};

/// What `DescribeStackSet` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackSetInfo {
    /// `ACTIVE` or `DELETED`.
    pub status: String,
    /// The template as the stack set has it.
    pub template_body: String,
    /// Its parameter values (a `NoEcho` one masked).
    pub parameters: BTreeMap<String, String>,
    /// `Capabilities`.
    pub capabilities: Vec<String>,
    /// `Tags`.
    pub tags: BTreeMap<String, String>,
    /// `ManagedExecution.Active`.
    pub managed_execution: bool,
    /// `AutoDeployment` (`Enabled`, `RetainStacksOnAccountRemoval`), service-managed.
    pub auto_deployment: Option<(bool, bool)>,
    /// `AdministrationRoleARN`.
    pub administration_role: Option<String>,
    /// `ExecutionRoleName`.
    pub execution_role_name: Option<String>,
}

/// Everything `CreateStackSet` / `UpdateStackSet` are given about the stack set itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackSetDefinition {
    /// `StackSetName`: the stack name of every instance.
    pub name: String,
    /// `Description`.
    pub description: String,
    /// `TemplateBody` or `TemplateURL`.
    pub template: TemplateSource,
    /// `Parameters`: a value for every parameter, so each can be overridden per target
    /// ("You can only override the parameter values that are specified in the stack set",
    /// `ParameterOverrides`, `CreateStackInstances`); `Previous` keeps the stack set's
    /// (`UsePreviousValue`).
    pub parameters: BTreeMap<String, ParameterValue>,
    /// `Capabilities`.
    pub capabilities: Vec<String>,
    /// `Tags`.
    pub tags: BTreeMap<String, String>,
    /// `PermissionModel` and what goes with it.
    pub permissions: Permissions,
    /// `ManagedExecution.Active`.
    pub managed_execution: bool,
}

/// Where stack instances are: accounts (self-managed) or organizational units
/// (`DeploymentTargets.OrganizationalUnitIds`, service-managed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// `Accounts`.
    Accounts(Vec<String>),
    /// `DeploymentTargets.OrganizationalUnitIds`.
    Units(Vec<String>),
}

/// `CreateStackInstances` / `UpdateStackInstances`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstancesRequest {
    /// `StackSetName`.
    pub stack_set: String,
    /// `Accounts` or `DeploymentTargets`.
    pub place: Place,
    /// `Regions`.
    pub regions: Vec<String>,
    /// `ParameterOverrides`.
    pub overrides: BTreeMap<String, String>,
    /// `OperationPreferences`.
    pub preferences: Preferences,
    /// `OperationId`: the same on every retry, so a retry is not a second operation.
    pub operation_id: String,
}

/// One stack instance (`ListStackInstances`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// `Account`.
    pub account: String,
    /// `Region`.
    pub region: String,
    /// `OrganizationalUnitId` (service-managed).
    pub unit: Option<String>,
    /// `Status`: `CURRENT`, `OUTDATED`, `INOPERABLE`.
    pub status: String,
    /// `StatusReason`.
    pub reason: Option<String>,
}

/// What `DescribeStackSetOperation` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// `QUEUED`, `RUNNING`, `SUCCEEDED`, `FAILED`, `STOPPING`, `STOPPED`.
    pub status: String,
    /// `StatusReason`.
    pub reason: Option<String>,
}

impl Operation {
    /// Whether the operation has ended.
    pub fn is_done(&self) -> bool {
        matches!(self.status.as_str(), "SUCCEEDED" | "FAILED" | "STOPPED")
    }
}

/// One instance's result of an operation (`ListStackSetOperationResults`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationResult {
    /// `Account`.
    pub account: String,
    /// `Region`.
    pub region: String,
    /// `OrganizationalUnitId` (service-managed).
    pub unit: Option<String>,
    /// `PENDING`, `RUNNING`, `SUCCEEDED`, `FAILED`, `CANCELLED`.
    pub status: String,
    /// `StatusReason`.
    pub reason: Option<String>,
}

/// The StackSets calls of a rollout. `CallAs` (delegated administrator) is the
/// implementation's, set once.
#[allow(async_fn_in_trait)]
pub trait StackSets {
    /// `DescribeStackSet`; `None` when there is no such stack set.
    async fn describe_stack_set(&self, name: &str) -> Result<Option<StackSetInfo>, ApiError>;
    /// `CreateStackSet` (`ClientRequestToken` = `token`).
    async fn create_stack_set(&self, definition: &StackSetDefinition, token: &str) -> Result<(), ApiError>;
    /// `UpdateStackSet` of every instance; the operation's ID.
    async fn update_stack_set(
        &self,
        definition: &StackSetDefinition,
        preferences: &Preferences,
        operation_id: &str,
    ) -> Result<String, ApiError>;
    /// `DeleteStackSet`.
    async fn delete_stack_set(&self, name: &str) -> Result<(), ApiError>;
    /// `ListStackInstances`, every page.
    async fn list_stack_instances(&self, name: &str) -> Result<Vec<Instance>, ApiError>;
    /// `DescribeStackInstance`'s `ParameterOverrides`.
    async fn instance_overrides(
        &self,
        name: &str,
        account: &str,
        region: &str,
    ) -> Result<BTreeMap<String, String>, ApiError>;
    /// `CreateStackInstances`; the operation's ID.
    async fn create_stack_instances(&self, request: &InstancesRequest) -> Result<String, ApiError>;
    /// `UpdateStackInstances`; the operation's ID.
    async fn update_stack_instances(&self, request: &InstancesRequest) -> Result<String, ApiError>;
    /// `DeleteStackInstances` with `RetainStacks = false` (the request's overrides are
    /// not used); the operation's ID.
    async fn delete_stack_instances(&self, request: &InstancesRequest) -> Result<String, ApiError>;
    /// `DescribeStackSetOperation`.
    async fn describe_operation(&self, name: &str, operation_id: &str) -> Result<Operation, ApiError>;
    /// `ListStackSetOperationResults`, every page.
    async fn operation_results(&self, name: &str, operation_id: &str) -> Result<Vec<OperationResult>, ApiError>;
}

impl<C: StackSets> StackSets for Retrying<C> {
    async fn describe_stack_set(&self, name: &str) -> Result<Option<StackSetInfo>, ApiError> {
        self.run("DescribeStackSet", Stop::Abandon, async || {
            self.inner.describe_stack_set(name).await
        })
        .await
    }

    async fn create_stack_set(&self, definition: &StackSetDefinition, token: &str) -> Result<(), ApiError> {
        self.run("CreateStackSet", Stop::Finish, async || {
            self.inner.create_stack_set(definition, token).await
        })
        .await
    }

    async fn update_stack_set(
        &self,
        definition: &StackSetDefinition,
        preferences: &Preferences,
        operation_id: &str,
    ) -> Result<String, ApiError> {
        self.run("UpdateStackSet", Stop::Finish, async || {
            self.inner.update_stack_set(definition, preferences, operation_id).await
        })
        .await
    }

    async fn delete_stack_set(&self, name: &str) -> Result<(), ApiError> {
        self.run("DeleteStackSet", Stop::Finish, async || {
            self.inner.delete_stack_set(name).await
        })
        .await
    }

    async fn list_stack_instances(&self, name: &str) -> Result<Vec<Instance>, ApiError> {
        self.run("ListStackInstances", Stop::Abandon, async || {
            self.inner.list_stack_instances(name).await
        })
        .await
    }

    async fn instance_overrides(
        &self,
        name: &str,
        account: &str,
        region: &str,
    ) -> Result<BTreeMap<String, String>, ApiError> {
        self.run("DescribeStackInstance", Stop::Abandon, async || {
            self.inner.instance_overrides(name, account, region).await
        })
        .await
    }

    async fn create_stack_instances(&self, request: &InstancesRequest) -> Result<String, ApiError> {
        self.run("CreateStackInstances", Stop::Finish, async || {
            self.inner.create_stack_instances(request).await
        })
        .await
    }

    async fn update_stack_instances(&self, request: &InstancesRequest) -> Result<String, ApiError> {
        self.run("UpdateStackInstances", Stop::Finish, async || {
            self.inner.update_stack_instances(request).await
        })
        .await
    }

    async fn delete_stack_instances(&self, request: &InstancesRequest) -> Result<String, ApiError> {
        self.run("DeleteStackInstances", Stop::Finish, async || {
            self.inner.delete_stack_instances(request).await
        })
        .await
    }

    async fn describe_operation(&self, name: &str, operation_id: &str) -> Result<Operation, ApiError> {
        self.run("DescribeStackSetOperation", Stop::Abandon, async || {
            self.inner.describe_operation(name, operation_id).await
        })
        .await
    }

    async fn operation_results(&self, name: &str, operation_id: &str) -> Result<Vec<OperationResult>, ApiError> {
        self.run("ListStackSetOperationResults", Stop::Abandon, async || {
            self.inner.operation_results(name, operation_id).await
        })
        .await
    }
}
