//! Amazon S3: a source (files under a prefix) and a destination (a prefix, with file
//! format, aggregation, key naming and an optional Glue Data Catalog). It has no
//! connector profile: AppFlow reaches buckets through their bucket policies, which the
//! permissions pass writes from the [`BucketUse`]s declared here.
//!
//! Longer than most modules because it is the whole connector (TOML, model, lowering,
//! checks, synthesis), S3's destination having the most settings of any.

use serde::Deserialize;

use crate::cfn::Expr;
use crate::cfn::generated::flow::{
    self, DestinationConnectorProperties, S3DestinationProperties, S3InputFormatConfig, S3OutputFormatConfig,
    S3SourceProperties, SourceConnectorProperties,
};
use crate::input::lower::{At, Lowerer};
use crate::input::raw::Sp;
use crate::model::validate::{Checker, arn_parts};
use crate::model::{AnyFlow, BucketRef, ErrorKind, Path};
use crate::synth::Synth;

use super::files::{
    Aggregation, FileType, OutputFiles, OutputKeys, Prefix, TomlAggregation, TomlFileType, TomlPathPrefix,
    TomlPrefixFormat, TomlPrefixType,
};
use super::{Access, BucketUse, ConnectorType, DestinationConnector, Lower, SourceConnector};

// ---------------------------------------------------------------------------------------
// TOML

/// `source.s3`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlS3Source {
    /// The bucket (a `[bucket.<name>]`).
    pub bucket: Sp<String>,
    /// The folder to read.
    #[cfg_attr(feature = "schema", schemars(transform = crate::input::raw::with_limits(&S3SourceProperties::BUCKET_PREFIX_LIMITS)))]
    pub prefix: Sp<String>,
    /// `csv` or `json`.
    pub format: Option<TomlInputFormat>,
}

/// S3 input file format.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlInputFormat {
    /// CSV.
    Csv,
    /// JSON lines.
    Json,
}

/// `destination.s3`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlS3Destination {
    /// The bucket (a `[bucket.<name>]`).
    pub bucket: Sp<String>,
    /// The key prefix to write under.
    #[cfg_attr(feature = "schema", schemars(transform = crate::input::raw::with_limits(&S3DestinationProperties::BUCKET_PREFIX_LIMITS)))]
    pub prefix: Option<Sp<String>>,
    /// `csv`, `json` (default) or `parquet`.
    pub file_type: Option<TomlFileType>,
    /// `none` or `single-file`.
    pub aggregation: Option<Sp<TomlAggregation>>,
    /// Target file size in MB (with `aggregation = "single-file"`).
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub target_file_size_mb: Option<Sp<i64>>,
    /// Where the date goes: `filename`, `path` or `path-and-filename`.
    pub prefix_type: Option<TomlPrefixType>,
    /// The date's granularity: `year`, `month`, `day`, `hour` or `minute`.
    pub prefix_format: Option<TomlPrefixFormat>,
    /// Extra folder levels: `execution-id`, `schema-version`.
    #[serde(default)]
    pub prefix_hierarchy: Vec<TomlPathPrefix>,
    /// Keep the source's data types.
    pub preserve_source_data_typing: Option<bool>,
    /// Register the output in the Glue Data Catalog.
    pub catalog: Option<Sp<TomlCatalog>>,
}

/// `destination.s3.catalog`: the Glue Data Catalog.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlCatalog {
    /// The Glue database (lowercase letters, digits, `_`).
    #[cfg_attr(feature = "schema", schemars(transform = crate::input::raw::with_limits(&flow::GlueDataCatalog::DATABASE_NAME_LIMITS)))]
    pub database: Sp<String>,
    /// Create the database in this stack (default: it exists).
    #[serde(default)]
    pub create_database: bool,
    /// The prefix of the tables AppFlow creates.
    #[cfg_attr(feature = "schema", schemars(transform = crate::input::raw::with_limits(&flow::GlueDataCatalog::TABLE_PREFIX_LIMITS)))]
    pub table_prefix: Sp<String>,
    /// An existing role for AppFlow to use (default: the stack creates one).
    pub role_arn: Option<Sp<String>>,
}

// ---------------------------------------------------------------------------------------
// Model

/// Reads files under an S3 prefix.
#[derive(Debug, Clone, PartialEq)]
pub struct S3Source {
    pub(crate) bucket: BucketRef,
    pub(crate) prefix: String,
    pub(crate) format: Option<InputFileType>,
}

impl S3Source {
    /// Reads the files of `bucket` under `prefix`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let exports = BucketRef::named("exports");
    /// let source = S3Source::new(&exports, "crm/accounts").format(InputFileType::Csv);
    /// # let _ = source;
    /// ```
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
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let created = GlueCatalog::new(GlueDatabase::Created("crm".into()), "crm_");
    /// let existing = GlueCatalog::new(GlueDatabase::Existing("analytics".into()), "crm_")
    ///     .role_arn("arn:aws:iam::123456789012:role/appflow-glue");
    /// assert_ne!(created, existing);
    /// ```
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
    pub(crate) files: OutputFiles,
    pub(crate) preserve_source_data_typing: Option<bool>,
    pub(crate) catalog: Option<GlueCatalog>,
}

impl S3Destination {
    /// Writes JSON files to `bucket` (at its root until [`S3Destination::prefix`] is set).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let lake = BucketRef::named("lake");
    /// let destination = S3Destination::new(&lake)
    ///     .prefix("accounts")
    ///     .file_type(FileType::Parquet)
    ///     .aggregation(Aggregation::SingleFile { target_size_mb: Some(128) })
    ///     .file_prefix(Prefix {
    ///         prefix_type: Some(PrefixType::Path),
    ///         format: Some(PrefixFormat::Day),
    ///         hierarchy: vec![PathPrefix::ExecutionId],
    ///     })
    ///     .preserve_source_data_typing(true)
    ///     .catalog(GlueCatalog::new(GlueDatabase::Created("crm".into()), "crm_"));
    /// # let _ = destination;
    /// ```
    pub fn new(bucket: impl Into<BucketRef>) -> Self {
        S3Destination {
            bucket: bucket.into(),
            prefix: None,
            files: OutputFiles::default(),
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
        self.files.file_type = file_type;
        self
    }

    /// How records are grouped into files.
    pub fn aggregation(mut self, aggregation: Aggregation) -> Self {
        self.files.aggregation = Some(aggregation);
        self
    }

    /// How folders and files are named.
    pub fn file_prefix(mut self, prefix: Prefix) -> Self {
        self.files.file_prefix = Some(prefix);
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

// ---------------------------------------------------------------------------------------
// Enums of the model, and the CloudFormation values they become

/// `S3InputFileType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFileType {
    /// Comma-separated values.
    Csv,
    /// JSON lines.
    Json,
}

impl From<InputFileType> for flow::S3InputFormatConfigS3InputFileType {
    fn from(value: InputFileType) -> Self {
        match value {
            InputFileType::Csv => flow::S3InputFormatConfigS3InputFileType::Csv,
            InputFileType::Json => flow::S3InputFormatConfigS3InputFileType::Json,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Diagnostics

// ---------------------------------------------------------------------------------------
// Lowering

impl Lower for S3Source {
    const CONNECTOR: ConnectorType = ConnectorType::S3;
    type Toml = TomlS3Source;

    fn lower(lowerer: &mut Lowerer, at: &At, s3: &TomlS3Source) -> Option<Self> {
        let bucket = lowerer.string(&at.key("bucket"), &s3.bucket);
        let mut model = S3Source::new(BucketRef::named(bucket), lowerer.string(&at.key("prefix"), &s3.prefix));
        model.format = s3.format.map(|format| match format {
            TomlInputFormat::Csv => InputFileType::Csv,
            TomlInputFormat::Json => InputFileType::Json,
        });
        Some(model)
    }
}

impl Lower for S3Destination {
    const CONNECTOR: ConnectorType = ConnectorType::S3;
    type Toml = TomlS3Destination;

    fn lower(lowerer: &mut Lowerer, at: &At, s3: &TomlS3Destination) -> Option<Self> {
        let bucket = lowerer.string(&at.key("bucket"), &s3.bucket);
        let mut model = S3Destination::new(BucketRef::named(bucket));
        model.prefix = lowerer.opt_string(&at.key("prefix"), &s3.prefix);
        let keys = OutputKeys {
            file_type: &s3.file_type,
            aggregation: &s3.aggregation,
            target_file_size_mb: &s3.target_file_size_mb,
            prefix_type: &s3.prefix_type,
            prefix_format: &s3.prefix_format,
            prefix_hierarchy: &s3.prefix_hierarchy,
        };
        model.files = keys.lower(lowerer, at);
        model.preserve_source_data_typing = s3.preserve_source_data_typing;
        if let Some(catalog) = &s3.catalog {
            let at = at.key("catalog");
            lowerer.record(&at, catalog.span());
            let raw = catalog.get();
            let name = lowerer.string(&at.key("database"), &raw.database);
            let database = if raw.create_database {
                GlueDatabase::Created(name)
            } else {
                GlueDatabase::Existing(name)
            };
            let mut model_catalog =
                GlueCatalog::new(database, lowerer.string(&at.key("table-prefix"), &raw.table_prefix));
            if let Some(role) = lowerer.opt_string(&at.key("role-arn"), &raw.role_arn) {
                model_catalog = model_catalog.role_arn(role);
            }
            model.catalog = Some(model_catalog);
        }
        Some(model)
    }
}

// ---------------------------------------------------------------------------------------
// Checks and synthesis

impl SourceConnector for S3Source {
    fn buckets(&self) -> Vec<BucketUse<'_>> {
        vec![BucketUse {
            at: &["bucket"],
            bucket: &self.bucket,
            access: Access::Read,
            prefix: Some((&self.prefix, S3SourceProperties::BUCKET_PREFIX_LIMITS)),
            name: None,
        }]
    }

    fn check(&self, checker: &mut Checker<'_>, _flow: &AnyFlow, path: &Path) {
        if self.prefix.trim().is_empty() {
            checker.error(
                path.key("prefix"),
                ErrorKind::Empty {
                    what: "the S3 source prefix",
                    help: "AppFlow reads the files under a folder: name it, e.g. `exports/accounts`",
                },
            );
        }
    }

    fn synthesize(&self, synth: &Synth<'_>) -> SourceConnectorProperties {
        SourceConnectorProperties {
            s3: Some(Box::new(S3SourceProperties {
                bucket_name: synth.bucket_name(self.bucket.name()),
                bucket_prefix: Expr::Str(self.prefix.clone()),
                s3_input_format_config: self.format.map(|format| S3InputFormatConfig {
                    s3_input_file_type: Some(format.into()),
                }),
            })),
            ..SourceConnectorProperties::default()
        }
    }
}

impl DestinationConnector for S3Destination {
    fn buckets(&self) -> Vec<BucketUse<'_>> {
        vec![BucketUse {
            at: &["bucket"],
            bucket: &self.bucket,
            access: Access::Write,
            prefix: self
                .prefix
                .as_deref()
                .map(|prefix| (prefix, S3DestinationProperties::BUCKET_PREFIX_LIMITS)),
            name: None,
        }]
    }

    fn catalog(&self) -> Option<&GlueCatalog> {
        self.catalog.as_ref()
    }

    // Event flows may write to S3: AWS's own `AWS::AppFlow::Flow` example is an event flow
    // to S3 (DEPLOY-TIME.md rule 5).
    fn check(&self, checker: &mut Checker<'_>, _flow: &AnyFlow, path: &Path) {
        self.files.check(checker, path);
        if let Some(catalog) = &self.catalog {
            check_catalog(checker, &path.key("catalog"), catalog);
        }
    }

    fn synthesize(&self, synth: &Synth<'_>) -> DestinationConnectorProperties {
        DestinationConnectorProperties {
            s3: Some(Box::new(S3DestinationProperties {
                bucket_name: synth.bucket_name(self.bucket.name()),
                bucket_prefix: self.prefix.clone().map(Expr::Str),
                s3_output_format_config: Some(S3OutputFormatConfig {
                    file_type: Some(self.files.file_type.into()),
                    aggregation_config: self.files.aggregation_config(),
                    prefix_config: self.files.prefix_config(),
                    preserve_source_data_typing: self.preserve_source_data_typing.map(Expr::Bool),
                }),
            })),
            ..DestinationConnectorProperties::default()
        }
    }
}

/// `flowform import`: the `s3 = { ... }` source table of these `S3` source properties.
#[cfg(feature = "deploy")]
pub(crate) fn import_source(
    properties: &serde_json::Value,
    context: &mut dyn super::import::ImportContext,
) -> Option<String> {
    use super::import::{kebab, quoted, text};
    let bucket = text(properties, "bucketName")?;
    let mut keys = vec![
        format!("bucket = {}", quoted(&context.bucket(bucket))),
        format!(
            "prefix = {}",
            quoted(text(properties, "bucketPrefix").unwrap_or_default())
        ),
    ];
    if let Some(format) = text(&properties["s3InputFormatConfig"], "s3InputFileType") {
        keys.push(format!("format = {}", quoted(&kebab(format))));
    }
    Some(super::import::table("s3", &keys))
}

/// `flowform import`: the `s3 = { ... }` destination table of these `S3` destination
/// properties. A Glue catalog is the flow's (`metadataCatalogConfig`), not read here.
#[cfg(feature = "deploy")]
pub(crate) fn import_destination(
    properties: &serde_json::Value,
    context: &mut dyn super::import::ImportContext,
) -> Option<String> {
    let mut keys = super::files::import_files(properties, context)?;
    if let Some(preserve) = properties["s3OutputFormatConfig"]["preserveSourceDataTyping"].as_bool() {
        keys.push(format!("preserve-source-data-typing = {preserve}"));
    }
    Some(super::import::table("s3", &keys))
}

fn check_catalog(checker: &mut Checker<'_>, path: &Path, catalog: &GlueCatalog) {
    let database = catalog.database.name();
    checker.check_limits(
        || path.key("database"),
        &flow::GlueDataCatalog::DATABASE_NAME_LIMITS,
        database,
    );
    if database.is_empty()
        || !database
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        checker.error(
            path.key("database"),
            ErrorKind::InvalidCharacters {
                what: "Glue database name",
                value: database.into(),
                allowed: "Glue database names are lowercase letters, digits and `_`",
            },
        );
    }
    if catalog.table_prefix.trim().is_empty() {
        checker.error(
            path.key("table-prefix"),
            ErrorKind::Empty {
                what: "the Glue table prefix",
                help: "give a prefix for the tables AppFlow creates, e.g. `crm_`",
            },
        );
    } else if !catalog
        .table_prefix
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        // Glue stores table names in lowercase letters, digits and `_`, and the prefix also
        // lands in the Glue role's policy, where `${...}` would be an IAM policy variable.
        checker.error(
            path.key("table-prefix"),
            ErrorKind::InvalidCharacters {
                what: "Glue table prefix",
                value: catalog.table_prefix.clone(),
                allowed: "Glue table names are lowercase letters, digits and `_`",
            },
        );
    } else {
        checker.check_limits(
            || path.key("table-prefix"),
            &flow::GlueDataCatalog::TABLE_PREFIX_LIMITS,
            &catalog.table_prefix,
        );
    }
    if let Some(role) = &catalog.role_arn
        && !arn_parts(role, "iam").is_some_and(|resource| resource.starts_with("role/"))
    {
        checker.error(
            path.key("role-arn"),
            ErrorKind::InvalidArn {
                what: "IAM role",
                value: role.clone(),
                example: "arn:aws:iam::123456789012:role/appflow-glue",
            },
        );
    }
}
