//! Typed properties of `AWS::AppFlow::Flow` and `AWS::AppFlow::ConnectorProfile`.
//!
//! Names and enum values are spelled exactly as the official resource schemas in
//! `schema/cloudformation/` spell them, oddities included (`KMSArn`,
//! `isSandboxEnvironment`, `OAuth2GrantType`, `Map_all`). Only the parts flowform emits are
//! modelled; the tests walk every emitted path and enum value
//! against the schemas. Optional properties are left out of the JSON when unset.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::value::Expr;
pub use crate::connectors::facts::{ConnectorType, Operator, TaskPropertyKey};

/// A resource tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// The tag key.
    pub key: String,
    /// The tag value.
    pub value: String,
}

/// `AWS::AppFlow::Flow` properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FlowProperties {
    /// `FlowName`: the physical name (create-only: changing it replaces the flow).
    pub flow_name: String,
    /// `Description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `FlowStatus`; only for scheduled and event-triggered flows, and left out for a
    /// draft (a literal [`FlowStatus`], or an `Fn::If` over an activation parameter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_status: Option<Expr>,
    /// `KMSArn`: the key AppFlow encrypts the flow's data with.
    #[serde(rename = "KMSArn", skip_serializing_if = "Option::is_none")]
    pub kms_arn: Option<Expr>,
    /// `TriggerConfig`.
    pub trigger_config: TriggerConfig,
    /// `SourceFlowConfig`.
    pub source_flow_config: SourceFlowConfig,
    /// `DestinationFlowConfigList`.
    pub destination_flow_config_list: Vec<DestinationFlowConfig>,
    /// `Tasks`, in flowform's documented order.
    pub tasks: Vec<Task>,
    /// `MetadataCatalogConfig`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_catalog_config: Option<MetadataCatalogConfig>,
    /// `Tags`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

impl FlowProperties {
    /// Every value of the flow that may refer to another resource, for rewriting
    /// references when the flow moves to a stack of its own.
    pub fn exprs_mut(&mut self) -> Vec<&mut Expr> {
        let mut exprs: Vec<&mut Expr> = Vec::new();
        exprs.extend(self.kms_arn.as_mut());
        if let Some(properties) = &mut self.trigger_config.trigger_properties {
            exprs.extend(properties.schedule_start_time.as_mut());
        }
        exprs.extend(self.source_flow_config.connector_profile_name.as_mut());
        if let SourceConnectorProperties::S3(s3) = &mut self.source_flow_config.source_connector_properties {
            exprs.push(&mut s3.bucket_name);
        }
        for destination in &mut self.destination_flow_config_list {
            exprs.extend(destination.connector_profile_name.as_mut());
            match &mut destination.destination_connector_properties {
                DestinationConnectorProperties::S3(s3) => exprs.push(&mut s3.bucket_name),
                DestinationConnectorProperties::Salesforce(salesforce) => {
                    if let Some(handling) = &mut salesforce.error_handling_config {
                        exprs.extend(handling.bucket_name.as_mut());
                    }
                }
                DestinationConnectorProperties::EventBridge(eventbridge) => {
                    exprs.push(&mut eventbridge.object);
                    if let Some(handling) = &mut eventbridge.error_handling_config {
                        exprs.extend(handling.bucket_name.as_mut());
                    }
                }
            }
        }
        if let Some(catalog) = &mut self.metadata_catalog_config {
            exprs.push(&mut catalog.glue_data_catalog.database_name);
            exprs.push(&mut catalog.glue_data_catalog.role_arn);
        }
        exprs
    }
}

/// `FlowStatus` of a triggered flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum FlowStatus {
    /// The flow runs on its trigger.
    Active,
    /// The flow exists but does not run.
    Suspended,
    /// The flow is saved but not validated or activated.
    Draft,
}

impl FlowStatus {
    /// The value as CloudFormation spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            FlowStatus::Active => "Active",
            FlowStatus::Suspended => "Suspended",
            FlowStatus::Draft => "Draft",
        }
    }
}

/// `TriggerConfig`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TriggerConfig {
    /// `TriggerType`.
    pub trigger_type: TriggerType,
    /// `TriggerProperties` (scheduled flows only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger_properties: Option<ScheduledTriggerProperties>,
}

/// `TriggerType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TriggerType {
    /// Run when started by hand or through the API.
    OnDemand,
    /// Run on a schedule.
    Scheduled,
    /// Run on events from the source.
    Event,
}

/// `ScheduledTriggerProperties`. Times are epoch seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScheduledTriggerProperties {
    /// `ScheduleExpression`, in AppFlow's form (`rate(5minutes)`, `cron(...)`).
    pub schedule_expression: String,
    /// `DataPullMode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_pull_mode: Option<DataPullMode>,
    /// `ScheduleStartTime`: a `Ref` to a template parameter, so a deploy can move it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_start_time: Option<Expr>,
    /// `ScheduleEndTime`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_end_time: Option<i64>,
    /// `ScheduleOffset`, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_offset: Option<u32>,
    /// `TimeZone`, an IANA name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// `FirstExecutionFrom`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_execution_from: Option<i64>,
    /// `FlowErrorDeactivationThreshold` (1–100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_error_deactivation_threshold: Option<u8>,
}

/// `DataPullMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DataPullMode {
    /// Every run transfers all records.
    Complete,
    /// Every run transfers records changed since the previous run.
    Incremental,
}

/// `SourceFlowConfig`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SourceFlowConfig {
    /// `ConnectorType`.
    pub connector_type: ConnectorType,
    /// `ConnectorProfileName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connector_profile_name: Option<Expr>,
    /// `ApiVersion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `SourceConnectorProperties`.
    pub source_connector_properties: SourceConnectorProperties,
    /// `IncrementalPullConfig`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incremental_pull_config: Option<IncrementalPullConfig>,
}

/// `SourceConnectorProperties`: exactly one connector's properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum SourceConnectorProperties {
    /// `Salesforce`.
    Salesforce(SalesforceSourceProperties),
    /// `S3`.
    S3(S3SourceProperties),
}

/// `SalesforceSourceProperties`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SalesforceSourceProperties {
    /// `Object`.
    pub object: String,
    /// `DataTransferApi`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_transfer_api: Option<DataTransferApi>,
    /// `EnableDynamicFieldUpdate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_dynamic_field_update: Option<bool>,
    /// `IncludeDeletedRecords`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_deleted_records: Option<bool>,
}

/// Salesforce `DataTransferApi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DataTransferApi {
    /// AppFlow picks REST or Bulk API 2.0 by the size of the transfer.
    Automatic,
    /// Always Bulk API 2.0.
    Bulkv2,
    /// Always the synchronous REST API.
    RestSync,
}

/// `S3SourceProperties`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct S3SourceProperties {
    /// `BucketName`.
    pub bucket_name: Expr,
    /// `BucketPrefix` (required by the schema, may be empty).
    pub bucket_prefix: String,
    /// `S3InputFormatConfig`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub s3_input_format_config: Option<S3InputFormatConfig>,
}

/// `S3InputFormatConfig`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct S3InputFormatConfig {
    /// `S3InputFileType`.
    pub s3_input_file_type: InputFileType,
}

/// `S3InputFileType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum InputFileType {
    /// Comma-separated values.
    Csv,
    /// JSON lines.
    Json,
}

/// `IncrementalPullConfig`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IncrementalPullConfig {
    /// `DatetimeTypeFieldName`.
    pub datetime_type_field_name: String,
}

/// `DestinationFlowConfig`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DestinationFlowConfig {
    /// `ConnectorType`.
    pub connector_type: ConnectorType,
    /// `ConnectorProfileName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connector_profile_name: Option<Expr>,
    /// `ApiVersion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `DestinationConnectorProperties`.
    pub destination_connector_properties: DestinationConnectorProperties,
}

/// `DestinationConnectorProperties`: exactly one connector's properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum DestinationConnectorProperties {
    /// `S3`.
    S3(S3DestinationProperties),
    /// `Salesforce`.
    Salesforce(SalesforceDestinationProperties),
    /// `EventBridge`.
    EventBridge(EventBridgeDestinationProperties),
}

/// `S3DestinationProperties`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct S3DestinationProperties {
    /// `BucketName`.
    pub bucket_name: Expr,
    /// `BucketPrefix`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket_prefix: Option<String>,
    /// `S3OutputFormatConfig`.
    pub s3_output_format_config: S3OutputFormatConfig,
}

/// `S3OutputFormatConfig`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct S3OutputFormatConfig {
    /// `FileType`.
    pub file_type: FileType,
    /// `AggregationConfig`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aggregation_config: Option<AggregationConfig>,
    /// `PrefixConfig`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix_config: Option<PrefixConfig>,
    /// `PreserveSourceDataTyping`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preserve_source_data_typing: Option<bool>,
}

/// `FileType` of S3 output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum FileType {
    /// Comma-separated values.
    Csv,
    /// JSON lines.
    Json,
    /// Apache Parquet.
    Parquet,
}

/// `AggregationConfig`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AggregationConfig {
    /// `AggregationType`.
    pub aggregation_type: AggregationType,
    /// `TargetFileSize`, MB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_file_size: Option<u32>,
}

/// `AggregationType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AggregationType {
    /// One file per record batch.
    None,
    /// One file per run (split at the target size).
    SingleFile,
}

/// `PrefixConfig`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixConfig {
    /// `PrefixType`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix_type: Option<PrefixType>,
    /// `PrefixFormat`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix_format: Option<PrefixFormat>,
    /// `PathPrefixHierarchy`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path_prefix_hierarchy: Vec<PathPrefix>,
}

/// `PrefixType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PrefixType {
    /// The date goes into the file name.
    Filename,
    /// The date goes into the folder path.
    Path,
    /// The date goes into both (the reference library spells this `PATH_AND_FILE`, which
    /// CloudFormation rejects).
    PathAndFilename,
}

/// `PrefixFormat`: the granularity of the date in the prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PrefixFormat {
    /// `YEAR`.
    Year,
    /// `MONTH`.
    Month,
    /// `DAY`.
    Day,
    /// `HOUR`.
    Hour,
    /// `MINUTE`.
    Minute,
}

/// One level of `PathPrefixHierarchy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PathPrefix {
    /// A folder per flow run.
    ExecutionId,
    /// A folder per source schema version.
    SchemaVersion,
}

/// `SalesforceDestinationProperties`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SalesforceDestinationProperties {
    /// `Object`.
    pub object: String,
    /// `WriteOperationType`.
    pub write_operation_type: WriteOperationType,
    /// `IdFieldNames`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub id_field_names: Vec<String>,
    /// `DataTransferApi`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_transfer_api: Option<DataTransferApi>,
    /// `ErrorHandlingConfig`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_handling_config: Option<ErrorHandlingConfig>,
}

/// `WriteOperationType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum WriteOperationType {
    /// Create new records.
    Insert,
    /// Update matching records, create the others.
    Upsert,
    /// Update matching records.
    Update,
    /// Delete matching records.
    Delete,
}

/// `EventBridgeDestinationProperties`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventBridgeDestinationProperties {
    /// `Object`: the partner event bus.
    pub object: Expr,
    /// `ErrorHandlingConfig`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_handling_config: Option<ErrorHandlingConfig>,
}

/// `ErrorHandlingConfig`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorHandlingConfig {
    /// `BucketName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket_name: Option<Expr>,
    /// `BucketPrefix`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket_prefix: Option<String>,
    /// `FailOnFirstError`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_on_first_error: Option<bool>,
}

/// `MetadataCatalogConfig`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetadataCatalogConfig {
    /// `GlueDataCatalog`.
    pub glue_data_catalog: GlueDataCatalog,
}

/// `GlueDataCatalog`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GlueDataCatalog {
    /// `DatabaseName`.
    pub database_name: Expr,
    /// `TablePrefix`.
    pub table_prefix: String,
    /// `RoleArn`.
    pub role_arn: Expr,
}

/// A `Task`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Task {
    /// `TaskType`.
    pub task_type: TaskType,
    /// `SourceFields`.
    pub source_fields: Vec<String>,
    /// `ConnectorOperator`.
    pub connector_operator: ConnectorOperator,
    /// `TaskProperties`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub task_properties: Vec<TaskProperty>,
    /// `DestinationField`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_field: Option<String>,
}

/// `TaskType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TaskType {
    /// `Arithmetic`.
    Arithmetic,
    /// `Filter` (also the `PROJECTION` task).
    Filter,
    /// `Map`.
    Map,
    /// `Map_all`.
    #[serde(rename = "Map_all")]
    MapAll,
    /// `Mask`.
    Mask,
    /// `Merge`.
    Merge,
    /// `Truncate`.
    Truncate,
    /// `Validate`.
    Validate,
}

/// `ConnectorOperator`: `{"<source connector>": "<operator>"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectorOperator {
    /// The source connector, whose key the operator sits under.
    pub connector: ConnectorType,
    /// The operator.
    pub operator: Operator,
}

impl Serialize for ConnectorOperator {
    /// Keyed as the schema's `ConnectorOperator` spells the connector, which is not always
    /// its `ConnectorType` spelling (`ServiceNow` against `Servicenow`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let key = self
            .connector
            .facts()
            .operators
            .as_ref()
            .map_or(self.connector.as_str(), |operators| operators.key);
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(key, &self.operator)?;
        map.end()
    }
}

/// Whether the schema's `ConnectorOperator` enum of `connector` (as a source) holds
/// `operator` (from the generated facts).
pub fn operator_allowed(connector: ConnectorType, operator: Operator) -> bool {
    connector
        .facts()
        .operators
        .as_ref()
        .is_some_and(|operators| operators.operators.contains(&operator))
}

/// One `TaskProperties` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaskProperty {
    /// `Key`.
    pub key: TaskPropertyKey,
    /// `Value` (always a string, and never empty).
    pub value: String,
}

impl TaskProperty {
    /// A `{Key, Value}` pair.
    pub fn new(key: TaskPropertyKey, value: impl Into<String>) -> Self {
        TaskProperty {
            key,
            value: value.into(),
        }
    }
}

/// `AWS::AppFlow::ConnectorProfile` properties (Salesforce).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectorProfileProperties {
    /// `ConnectorProfileName`.
    pub connector_profile_name: String,
    /// `ConnectorType`.
    pub connector_type: ConnectorType,
    /// `ConnectionMode`.
    pub connection_mode: ConnectionMode,
    /// `KMSArn`: the key AppFlow encrypts the profile's credentials with.
    #[serde(rename = "KMSArn", skip_serializing_if = "Option::is_none")]
    pub kms_arn: Option<Expr>,
    /// `ConnectorProfileConfig`.
    pub connector_profile_config: ConnectorProfileConfig,
}

/// `ConnectionMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ConnectionMode {
    /// Over the internet.
    Public,
    /// Over AWS PrivateLink.
    Private,
}

/// `ConnectorProfileConfig`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectorProfileConfig {
    /// `ConnectorProfileProperties`.
    pub connector_profile_properties: ProfileProperties,
    /// `ConnectorProfileCredentials`.
    pub connector_profile_credentials: ProfileCredentials,
}

/// `ConnectorProfileProperties`, by connector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ProfileProperties {
    /// `Salesforce`.
    Salesforce(SalesforceProfileProperties),
}

/// `SalesforceConnectorProfileProperties`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SalesforceProfileProperties {
    /// `InstanceUrl`.
    #[serde(rename = "InstanceUrl")]
    pub instance_url: String,
    /// `isSandboxEnvironment` (lower-case initial, as the schema spells it).
    #[serde(rename = "isSandboxEnvironment")]
    pub is_sandbox_environment: bool,
}

/// `ConnectorProfileCredentials`, by connector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ProfileCredentials {
    /// `Salesforce`.
    Salesforce(SalesforceProfileCredentials),
}

/// `SalesforceConnectorProfileCredentials`. Every value is a reference (a dynamic
/// reference or a `NoEcho` parameter), never a literal secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SalesforceProfileCredentials {
    /// `AccessToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<Expr>,
    /// `RefreshToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Expr>,
    /// `JwtToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwt_token: Option<Expr>,
    /// `ClientCredentialsArn`: the secret holding the connected app's client ID and secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_credentials_arn: Option<Expr>,
    /// `OAuth2GrantType`.
    #[serde(rename = "OAuth2GrantType", skip_serializing_if = "Option::is_none")]
    pub oauth2_grant_type: Option<OAuth2GrantType>,
}

/// `OAuth2GrantType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OAuth2GrantType {
    /// Client credentials.
    ClientCredentials,
    /// Authorization code (with a refresh token).
    AuthorizationCode,
    /// JWT bearer token.
    JwtBearer,
}
