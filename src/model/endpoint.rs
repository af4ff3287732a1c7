//! Flow sources and destinations.
//!
//! Sources: [`SalesforceSource`], [`S3Source`]. Destinations: [`S3Destination`],
//! [`SalesforceDestination`], [`EventBridgeDestination`]. Each converts into the
//! [`Source`] or [`Destination`] enum a flow holds.

use crate::cfn::appflow::{
    AggregationType, ConnectorType, DataTransferApi, FileType, InputFileType, PathPrefix, PrefixFormat, PrefixType,
    WriteOperationType,
};

use super::resources::{BucketRef, ProfileRef};

/// Where a flow reads from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A Salesforce object.
    Salesforce(SalesforceSource),
    /// Files under an S3 prefix.
    S3(S3Source),
}

impl Source {
    /// The connector, as AppFlow names it.
    pub fn connector(&self) -> ConnectorType {
        match self {
            Source::Salesforce(_) => ConnectorType::Salesforce,
            Source::S3(_) => ConnectorType::S3,
        }
    }

    /// The connector profile it reads through, if its connector has one.
    pub fn profile(&self) -> Option<&ProfileRef> {
        match self {
            Source::Salesforce(source) => Some(&source.profile),
            Source::S3(_) => None,
        }
    }

    /// The buckets it reads.
    pub fn buckets(&self) -> Vec<&BucketRef> {
        match self {
            Source::Salesforce(_) => Vec::new(),
            Source::S3(source) => vec![&source.bucket],
        }
    }
}

/// Reads one Salesforce object.
///
/// There is no API version setting: `SourceFlowConfig.ApiVersion` is for custom
/// connectors, and the native Salesforce connector ignores it and uses the version of
/// its connection (terraform-provider-awscc#889; DEPLOY-TIME.md rule 8).
#[derive(Debug, Clone, PartialEq)]
pub struct SalesforceSource {
    pub(crate) profile: ProfileRef,
    pub(crate) object: String,
    pub(crate) data_transfer_api: Option<DataTransferApi>,
    pub(crate) dynamic_field_update: Option<bool>,
    pub(crate) include_deleted_records: Option<bool>,
}

impl SalesforceSource {
    /// Reads `object` (e.g. `Account`) through `profile`.
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<String>) -> Self {
        SalesforceSource {
            profile: profile.into(),
            object: object.into(),
            data_transfer_api: None,
            dynamic_field_update: None,
            include_deleted_records: None,
        }
    }

    /// Chooses REST, Bulk API 2.0, or automatic.
    pub fn data_transfer_api(mut self, api: DataTransferApi) -> Self {
        self.data_transfer_api = Some(api);
        self
    }

    /// Picks up fields added to the object after the flow was created.
    pub fn dynamic_field_update(mut self, enabled: bool) -> Self {
        self.dynamic_field_update = Some(enabled);
        self
    }

    /// Includes deleted records.
    pub fn include_deleted_records(mut self, enabled: bool) -> Self {
        self.include_deleted_records = Some(enabled);
        self
    }
}

impl From<SalesforceSource> for Source {
    fn from(source: SalesforceSource) -> Self {
        Source::Salesforce(source)
    }
}

/// Reads files under an S3 prefix.
#[derive(Debug, Clone, PartialEq)]
pub struct S3Source {
    pub(crate) bucket: BucketRef,
    pub(crate) prefix: String,
    pub(crate) format: Option<InputFileType>,
}

impl S3Source {
    /// Reads the files of `bucket` under `prefix`.
    pub fn new(bucket: impl Into<BucketRef>, prefix: impl Into<String>) -> Self {
        S3Source {
            bucket: bucket.into(),
            prefix: prefix.into(),
            format: None,
        }
    }

    /// The input files' format (CSV or JSON).
    pub fn format(mut self, format: InputFileType) -> Self {
        self.format = Some(format);
        self
    }
}

impl From<S3Source> for Source {
    fn from(source: S3Source) -> Self {
        Source::S3(source)
    }
}

/// Where a flow writes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Destination {
    /// An S3 prefix.
    S3(S3Destination),
    /// A Salesforce object.
    Salesforce(SalesforceDestination),
    /// An EventBridge partner event bus.
    EventBridge(EventBridgeDestination),
}

impl Destination {
    /// The connector, as AppFlow names it.
    pub fn connector(&self) -> ConnectorType {
        match self {
            Destination::S3(_) => ConnectorType::S3,
            Destination::Salesforce(_) => ConnectorType::Salesforce,
            Destination::EventBridge(_) => ConnectorType::EventBridge,
        }
    }

    /// The connector profile it writes through, if its connector has one.
    pub fn profile(&self) -> Option<&ProfileRef> {
        match self {
            Destination::Salesforce(destination) => Some(&destination.profile),
            Destination::S3(_) | Destination::EventBridge(_) => None,
        }
    }

    /// The buckets it writes to: its own, and the one failed records go to.
    pub fn buckets(&self) -> Vec<&BucketRef> {
        let error_handling = match self {
            Destination::S3(destination) => return vec![&destination.bucket],
            Destination::Salesforce(destination) => &destination.error_handling,
            Destination::EventBridge(destination) => &destination.error_handling,
        };
        error_handling
            .as_ref()
            .and_then(|handling| handling.bucket.as_ref())
            .into_iter()
            .collect()
    }
}

/// How AppFlow groups records into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// A file per batch of records.
    None,
    /// One file per run, split when it reaches `target_size_mb` (if set).
    SingleFile {
        /// The target file size, MB.
        target_size_mb: Option<u32>,
    },
}

impl Aggregation {
    pub(crate) fn aggregation_type(self) -> AggregationType {
        match self {
            Aggregation::None => AggregationType::None,
            Aggregation::SingleFile { .. } => AggregationType::SingleFile,
        }
    }
}

/// How AppFlow names the folders and files it writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefix {
    /// Where the date goes.
    pub prefix_type: Option<PrefixType>,
    /// The date's granularity.
    pub format: Option<PrefixFormat>,
    /// Extra folder levels.
    pub hierarchy: Vec<PathPrefix>,
}

/// Registers the written data in the Glue Data Catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlueCatalog {
    pub(crate) database: GlueDatabase,
    pub(crate) table_prefix: String,
    pub(crate) role_arn: Option<String>,
}

/// The Glue database a catalog writes tables to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlueDatabase {
    /// An existing database.
    Existing(String),
    /// A database the stack creates (once, however many flows use it).
    Created(String),
}

impl GlueDatabase {
    /// The database name.
    pub fn name(&self) -> &str {
        match self {
            GlueDatabase::Existing(name) | GlueDatabase::Created(name) => name,
        }
    }
}

impl GlueCatalog {
    /// Tables named `<table_prefix>...` in `database`. Without [`GlueCatalog::role_arn`],
    /// the stack creates a role AppFlow uses to write the catalog.
    pub fn new(database: GlueDatabase, table_prefix: impl Into<String>) -> Self {
        GlueCatalog {
            database,
            table_prefix: table_prefix.into(),
            role_arn: None,
        }
    }

    /// Uses this existing role instead of creating one.
    pub fn role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.role_arn = Some(role_arn.into());
        self
    }
}

/// Writes to an S3 prefix.
#[derive(Debug, Clone, PartialEq)]
pub struct S3Destination {
    pub(crate) bucket: BucketRef,
    pub(crate) prefix: Option<String>,
    pub(crate) file_type: FileType,
    pub(crate) aggregation: Option<Aggregation>,
    pub(crate) file_prefix: Option<Prefix>,
    pub(crate) preserve_source_data_typing: Option<bool>,
    pub(crate) catalog: Option<GlueCatalog>,
}

impl S3Destination {
    /// Writes JSON files to `bucket` (at its root until [`S3Destination::prefix`] is set).
    pub fn new(bucket: impl Into<BucketRef>) -> Self {
        S3Destination {
            bucket: bucket.into(),
            prefix: None,
            file_type: FileType::Json,
            aggregation: None,
            file_prefix: None,
            preserve_source_data_typing: None,
            catalog: None,
        }
    }

    /// The key prefix to write under.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// CSV, JSON (the default) or Parquet.
    pub fn file_type(mut self, file_type: FileType) -> Self {
        self.file_type = file_type;
        self
    }

    /// How records are grouped into files.
    pub fn aggregation(mut self, aggregation: Aggregation) -> Self {
        self.aggregation = Some(aggregation);
        self
    }

    /// How folders and files are named.
    pub fn file_prefix(mut self, prefix: Prefix) -> Self {
        self.file_prefix = Some(prefix);
        self
    }

    /// Keeps the source's data types instead of writing everything as strings.
    pub fn preserve_source_data_typing(mut self, preserve: bool) -> Self {
        self.preserve_source_data_typing = Some(preserve);
        self
    }

    /// Registers the output in the Glue Data Catalog.
    pub fn catalog(mut self, catalog: GlueCatalog) -> Self {
        self.catalog = Some(catalog);
        self
    }
}

impl From<S3Destination> for Destination {
    fn from(destination: S3Destination) -> Self {
        Destination::S3(destination)
    }
}

/// Where records AppFlow fails to write go, and whether the run stops at the first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorHandling {
    /// The bucket failed records are written to.
    pub bucket: Option<BucketRef>,
    /// The prefix inside that bucket.
    pub prefix: Option<String>,
    /// Stop the run at the first failed record.
    pub fail_on_first_error: Option<bool>,
}

impl ErrorHandling {
    /// Failed records go to `bucket`.
    pub fn to_bucket(bucket: impl Into<BucketRef>) -> Self {
        ErrorHandling {
            bucket: Some(bucket.into()),
            ..ErrorHandling::default()
        }
    }

    /// Under this prefix.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// Stop the run at the first failed record.
    pub fn fail_on_first_error(mut self, fail: bool) -> Self {
        self.fail_on_first_error = Some(fail);
        self
    }
}

/// A Salesforce write operation and the fields that identify existing records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOperation {
    pub(crate) kind: WriteOperationType,
    pub(crate) id_fields: Vec<String>,
}

impl WriteOperation {
    /// Create new records.
    pub fn insert() -> Self {
        WriteOperation {
            kind: WriteOperationType::Insert,
            id_fields: Vec::new(),
        }
    }

    /// Update records matched on `id_fields` (e.g. an external ID), create the rest.
    pub fn upsert<I: IntoIterator<Item = S>, S: Into<String>>(id_fields: I) -> Self {
        Self::with_ids(WriteOperationType::Upsert, id_fields)
    }

    /// Update records matched on `id_fields`.
    pub fn update<I: IntoIterator<Item = S>, S: Into<String>>(id_fields: I) -> Self {
        Self::with_ids(WriteOperationType::Update, id_fields)
    }

    /// Delete records matched on `id_fields` (empty: the Salesforce record ID).
    pub fn delete<I: IntoIterator<Item = S>, S: Into<String>>(id_fields: I) -> Self {
        Self::with_ids(WriteOperationType::Delete, id_fields)
    }

    /// Any operation with any id fields; validation checks the combination.
    pub fn with_ids<I: IntoIterator<Item = S>, S: Into<String>>(kind: WriteOperationType, id_fields: I) -> Self {
        WriteOperation {
            kind,
            id_fields: id_fields.into_iter().map(Into::into).collect(),
        }
    }
}

/// Writes to a Salesforce object.
#[derive(Debug, Clone, PartialEq)]
pub struct SalesforceDestination {
    pub(crate) profile: ProfileRef,
    pub(crate) object: String,
    pub(crate) operation: WriteOperation,
    pub(crate) data_transfer_api: Option<DataTransferApi>,
    pub(crate) error_handling: Option<ErrorHandling>,
}

impl SalesforceDestination {
    /// Writes to `object` through `profile` with `operation`.
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<String>, operation: WriteOperation) -> Self {
        SalesforceDestination {
            profile: profile.into(),
            object: object.into(),
            operation,
            data_transfer_api: None,
            error_handling: None,
        }
    }

    /// Chooses REST, Bulk API 2.0, or automatic.
    pub fn data_transfer_api(mut self, api: DataTransferApi) -> Self {
        self.data_transfer_api = Some(api);
        self
    }

    /// Where failed records go.
    pub fn error_handling(mut self, error_handling: ErrorHandling) -> Self {
        self.error_handling = Some(error_handling);
        self
    }
}

impl From<SalesforceDestination> for Destination {
    fn from(destination: SalesforceDestination) -> Self {
        Destination::Salesforce(destination)
    }
}

/// The partner event bus an EventBridge destination publishes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartnerBus {
    /// `aws.partner/appflow/salesforce.com/<this account>[/<suffix>]`.
    Salesforce {
        /// An optional suffix naming the bus.
        suffix: Option<String>,
    },
    /// A bus name given in full.
    Named(String),
}

/// Publishes events to an EventBridge partner event bus.
#[derive(Debug, Clone, PartialEq)]
pub struct EventBridgeDestination {
    pub(crate) bus: PartnerBus,
    pub(crate) error_handling: Option<ErrorHandling>,
}

impl EventBridgeDestination {
    /// Publishes to `bus`.
    pub fn new(bus: PartnerBus) -> Self {
        EventBridgeDestination {
            bus,
            error_handling: None,
        }
    }

    /// Publishes to the Salesforce partner bus of this account, optionally suffixed.
    pub fn salesforce(suffix: Option<&str>) -> Self {
        Self::new(PartnerBus::Salesforce {
            suffix: suffix.map(str::to_owned),
        })
    }

    /// Where events AppFlow fails to publish go.
    pub fn error_handling(mut self, error_handling: ErrorHandling) -> Self {
        self.error_handling = Some(error_handling);
        self
    }
}

impl From<EventBridgeDestination> for Destination {
    fn from(destination: EventBridgeDestination) -> Self {
        Destination::EventBridge(destination)
    }
}
