//! The small slice of CloudFormation (and S3) the deploy workflow needs, as a trait.
//!
//! The workflow never touches the AWS SDK directly: it talks to [`CloudFormation`], which
//! [`super::aws::AwsCloud`] implements with the SDK and the tests implement with fakes
//! for the states a real endpoint will not produce on demand (throttling, a stack stuck
//! in `UPDATE_ROLLBACK_FAILED`, a change set that fails). The types here are plain data,
//! so statuses stay strings: CloudFormation adds status values over time (the SDK maps
//! `REVIEW_IN_PROGRESS` in events to an "unknown" variant), and the workflow must treat a
//! value it has never seen sensibly rather than fail to parse it.

use std::collections::BTreeMap;

/// An error from a CloudFormation or S3 call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Whether retrying can help.
    pub kind: ApiErrorKind,
    /// The service's error code (`ValidationError`, `Throttling`, ...), or a short name
    /// of the failure when there was no response (`DispatchFailure`).
    pub code: String,
    /// The service's message.
    pub message: String,
}

/// The code of [`ApiError::interrupted`] (no AWS error code has a space).
const INTERRUPTED: &str = "Ctrl-C";

/// Whether an [`ApiError`] is worth retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// The service asked us to slow down: retry with backoff.
    Throttling,
    /// No answer, a timeout or a server error: retry with backoff.
    Transient,
    /// Anything else: retrying gives the same answer.
    Permanent,
}

impl ApiError {
    /// A permanent error with this code and message.
    pub fn permanent(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            kind: ApiErrorKind::Permanent,
            code: code.into(),
            message: message.into(),
        }
    }

    /// The error of a call Ctrl-C stopped: not made because Ctrl-C came first, or
    /// abandoned while in flight (see [`super::retry::Retrying`]).
    pub fn interrupted(call: &str) -> Self {
        ApiError::permanent(INTERRUPTED, format!("Ctrl-C stopped {call}"))
    }

    /// Whether Ctrl-C stopped the call.
    pub fn is_interrupted(&self) -> bool {
        self.code == INTERRUPTED
    }

    /// Whether the error says the stack does not exist (CloudFormation answers a
    /// `ValidationError` "Stack with id X does not exist").
    pub fn is_missing_stack(&self) -> bool {
        self.code == "ValidationError" && self.message.contains("does not exist")
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// What `DescribeStacks` says about a stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackInfo {
    /// The stack ID (an ARN); it keeps naming the stack after a delete.
    pub id: String,
    /// The stack name.
    pub name: String,
    /// The stack status (`CREATE_COMPLETE`, `ROLLBACK_COMPLETE`, ...).
    pub status: String,
    /// Why the stack is in that status, when CloudFormation says.
    pub status_reason: Option<String>,
    /// The parameter values the stack was last deployed with (NoEcho ones masked).
    pub parameters: BTreeMap<String, String>,
    /// The stack outputs, in the order CloudFormation lists them.
    pub outputs: Vec<StackOutput>,
    /// The tags of the stack itself.
    pub tags: BTreeMap<String, String>,
}

/// One stack output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackOutput {
    /// The output's logical name.
    pub key: String,
    /// Its value.
    pub value: String,
}

/// `CREATE` for a stack that does not exist yet, `UPDATE` for one that does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeSetType {
    /// The change set creates the stack.
    Create,
    /// The change set updates an existing stack.
    Update,
}

/// Where CloudFormation reads a template from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateSource {
    /// Inline, up to 51,200 bytes.
    Body(String),
    /// An S3 object URL, up to 1 MB.
    Url(String),
}

/// A parameter value of a change set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParameterValue {
    /// This value.
    Value(String),
    /// The value the stack already has (`UsePreviousValue`).
    Previous,
}

/// Everything `CreateChangeSet` is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSetRequest {
    /// The stack name.
    pub stack_name: String,
    /// The change set name.
    pub change_set_name: String,
    /// Create or update.
    pub change_set_type: ChangeSetType,
    /// The template.
    pub template: TemplateSource,
    /// Parameter values by name; parameters left out take their defaults.
    pub parameters: BTreeMap<String, ParameterValue>,
    /// `CAPABILITY_IAM` / `CAPABILITY_NAMED_IAM` when the template creates IAM resources.
    pub capabilities: Vec<String>,
    /// The role CloudFormation assumes to deploy (`--role-arn`).
    pub role_arn: Option<String>,
    /// What the change set is for.
    pub description: String,
    /// `ClientToken`: the same on every retry of this request, so CloudFormation knows a
    /// retry is not a second change set.
    pub client_token: String,
    /// Tags of the stack itself (CloudFormation also propagates them to its resources).
    pub tags: BTreeMap<String, String>,
    /// SNS topics CloudFormation sends the stack's events to (`NotificationARNs`).
    pub notification_arns: Vec<String>,
    /// `ImportExistingResources`: adopt existing resources of the same name instead of
    /// failing on them.
    pub import_existing: bool,
}

/// The IDs `CreateChangeSet` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSetIds {
    /// The change set ID (an ARN).
    pub id: String,
    /// The stack ID (an ARN).
    pub stack_id: String,
}

/// What `DescribeChangeSet` says (all pages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSetInfo {
    /// `CREATE_PENDING`, `CREATE_IN_PROGRESS`, `CREATE_COMPLETE`, `FAILED`, ...
    pub status: String,
    /// Why it failed, when it did.
    pub status_reason: Option<String>,
    /// `AVAILABLE` when it can be executed.
    pub execution_status: String,
    /// The resource changes.
    pub changes: Vec<ResourceChange>,
}

/// One resource change of a change set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceChange {
    /// `Add`, `Modify`, `Remove`, `Import`, `Dynamic`.
    pub action: String,
    /// The resource's logical ID.
    pub logical_id: String,
    /// The resource type.
    pub resource_type: String,
    /// `True`, `False` or `Conditional` for a `Modify`.
    pub replacement: Option<String>,
    /// The properties whose change forces the replacement (from the change details).
    pub replacing_properties: Vec<String>,
}

/// One stack event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackEvent {
    /// The event ID: unique, the key events are de-duplicated by.
    pub id: String,
    /// The resource's logical ID (the stack name for the stack's own events).
    pub logical_id: String,
    /// The resource type (`AWS::CloudFormation::Stack` for the stack itself).
    pub resource_type: String,
    /// The resource status (`CREATE_COMPLETE`, ...), possibly one the SDK does not know.
    pub status: String,
    /// Why, when CloudFormation says (failures always say).
    pub reason: Option<String>,
    /// The physical resource's ID (a bucket's name, a key's ID, a secret's ARN, ...).
    pub physical_id: Option<String>,
}

impl StackEvent {
    /// Whether the event is about the stack itself rather than one of its resources.
    pub fn is_stack_event(&self) -> bool {
        self.resource_type == "AWS::CloudFormation::Stack"
    }
}

/// One page of `DescribeStackEvents`, newest event first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventPage {
    /// The events, newest first.
    pub events: Vec<StackEvent>,
    /// The token of the next (older) page.
    pub next_token: Option<String>,
}

/// What CloudFormation's pre-deployment validation found (`DescribeEvents`, the events
/// with a `ValidationName`): "With WARN findings, CloudFormation creates the change set,
/// and you review the findings before you execute it. With FAIL findings, the change set
/// fails" (CloudFormation Hooks user guide, "View findings from controls"); a stack
/// operation that fails validation says "Validation failed with N error(s). Call
/// DescribeEvents" ("Validate stack deployments", CloudFormation user guide).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Finding {
    /// The check (`NAME_CONFLICT_VALIDATION`, ...).
    pub name: String,
    /// `FAILED`, `SKIPPED`, ...
    pub status: String,
    /// `FAIL` (blocks the operation) or `WARN`.
    pub mode: String,
    /// What CloudFormation says.
    pub reason: String,
    /// Where in the template (`/Resources/Lake/Properties/BucketName`).
    pub path: Option<String>,
    /// The resource it is about.
    pub logical_id: Option<String>,
}

impl Finding {
    /// Whether it is a warning rather than an error.
    pub fn is_warning(&self) -> bool {
        self.mode == "WARN"
    }
}

/// Whose validation findings to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingsOf<'a> {
    /// A change set, by ID.
    ChangeSet(&'a str),
    /// A stack's operations, by name or ID.
    Stack(&'a str),
}

/// The CloudFormation (and S3 upload) calls the workflow makes.
///
/// Implementations return [`ApiErrorKind::Throttling`] / [`ApiErrorKind::Transient`] for
/// errors worth retrying; [`super::retry::Retrying`] does the retrying.
// The workflow runs on a current-thread runtime and never sends these futures to another
// thread, so the traits' futures need no `Send` bound.
#[allow(async_fn_in_trait)]
pub trait CloudFormation {
    /// `DescribeStacks` for one stack (name or ID); `None` when it does not exist.
    async fn describe_stack(&self, stack: &str) -> Result<Option<StackInfo>, ApiError>;
    /// `CreateChangeSet`.
    async fn create_change_set(&self, request: &ChangeSetRequest) -> Result<ChangeSetIds, ApiError>;
    /// `DescribeChangeSet` by change set ID, every page.
    async fn describe_change_set(&self, change_set_id: &str) -> Result<ChangeSetInfo, ApiError>;
    /// `ExecuteChangeSet` by change set ID.
    /// `token` is the `ClientRequestToken`, the same on every retry of one execution;
    /// `disable_rollback` keeps what was provisioned when the operation fails.
    async fn execute_change_set(
        &self,
        change_set_id: &str,
        token: &str,
        disable_rollback: bool,
    ) -> Result<(), ApiError>;
    /// `UpdateTerminationProtection`.
    async fn set_termination_protection(&self, stack: &str, enabled: bool) -> Result<(), ApiError>;
    /// `ListChangeSets` of a stack, every page: (ID, name) of each.
    async fn list_change_sets(&self, stack: &str) -> Result<Vec<(String, String)>, ApiError>;
    /// `DeleteChangeSet` by change set ID.
    async fn delete_change_set(&self, change_set_id: &str) -> Result<(), ApiError>;
    /// `DescribeEvents`: the validation findings of a change set or a stack, every page.
    async fn validation_findings(&self, of: FindingsOf<'_>) -> Result<Vec<Finding>, ApiError>;
    /// One page of `DescribeStackEvents` (newest first).
    async fn stack_events(&self, stack: &str, next_token: Option<&str>) -> Result<EventPage, ApiError>;
    /// `GetTemplate` (the original template as deployed).
    async fn get_template(&self, stack: &str) -> Result<String, ApiError>;
    /// `DeleteStack`.
    async fn delete_stack(&self, stack: &str, role_arn: Option<&str>) -> Result<(), ApiError>;
    /// Uploads a template to S3 (`PutObject`) and returns the URL CloudFormation reads
    /// it from.
    async fn upload_template(&self, bucket: &str, key: &str, body: &str) -> Result<String, ApiError>;
}
