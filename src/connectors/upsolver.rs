//! Upsolver: a destination, files in the bucket Upsolver reads (named `upsolver-appflow-…`).
//! AppFlow user guide, "Upsolver"
//! (<https://docs.aws.amazon.com/appflow/latest/userguide/upsolver.html>).
//!
//! What AWS documents, and what flowform enforces:
//! - destination only, without a connector profile: the flow schema has
//!   `UpsolverDestinationProperties` (`BucketName`, `BucketPrefix`, `S3OutputFormatConfig`)
//!   and no Upsolver source or profile;
//! - the bucket: the schema's pattern on `BucketName` is `^(upsolver-appflow)\S*`, so the
//!   bucket's physical name must start with `upsolver-appflow` (a created bucket must be
//!   given such a `bucket-name`); AppFlow writes to it as it does to an S3 destination, so
//!   the bucket gets AppFlow's write statement through the shared permissions pass;
//! - the files: `S3OutputFormatConfig` holds the same file type, aggregation and key naming
//!   as S3's (without `PreserveSourceDataTyping`), the shared `files` keys; its
//!   `PrefixConfig` is required, so an empty one is written when no naming is set;
//! - no error handling in the schema, and no event-flow restriction documented.

use serde::Deserialize;

use crate::cfn::Expr;
use crate::cfn::generated::flow::{
    DestinationConnectorProperties, PrefixConfig, UpsolverDestinationProperties, UpsolverS3OutputFormatConfig,
};
use crate::input::lower::{At, Lowerer};
use crate::input::raw::Sp;
use crate::model::validate::Checker;
use crate::model::{AnyFlow, BucketRef, Path};
use crate::synth::Synth;

use super::files::{
    Aggregation, FileType, OutputFiles, OutputKeys, Prefix, TomlAggregation, TomlFileType, TomlPathPrefix,
    TomlPrefixFormat, TomlPrefixType,
};
use super::{Access, BucketUse, ConnectorType, DestinationConnector, Lower};

/// `destination.upsolver`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlUpsolverDestination {
    /// The bucket Upsolver reads (a `[bucket.<name>]` whose name starts with
    /// `upsolver-appflow`).
    pub bucket: Sp<String>,
    /// The key prefix to write under.
    #[cfg_attr(feature = "schema", schemars(transform = crate::input::raw::with_limits(&UpsolverDestinationProperties::BUCKET_PREFIX_LIMITS)))]
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
}

/// Writes files into the bucket Upsolver reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpsolverDestination {
    pub(crate) bucket: BucketRef,
    pub(crate) prefix: Option<String>,
    pub(crate) files: OutputFiles,
}

impl UpsolverDestination {
    /// Writes JSON files to `bucket`, whose name starts with `upsolver-appflow`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let mut stack = Stack::new("lake");
    /// let bucket = stack.add_bucket(Bucket::owned("upsolver").bucket_name("upsolver-appflow-acme"));
    /// let destination = UpsolverDestination::new(&bucket)
    ///     .prefix("crm/accounts")
    ///     .file_type(FileType::Parquet)
    ///     .aggregation(Aggregation::SingleFile { target_size_mb: Some(128) });
    /// # let _ = destination;
    /// ```
    pub fn new(bucket: impl Into<BucketRef>) -> Self {
        UpsolverDestination {
            bucket: bucket.into(),
            prefix: None,
            files: OutputFiles::default(),
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
}

impl Lower for UpsolverDestination {
    const CONNECTOR: ConnectorType = ConnectorType::Upsolver;
    type Toml = TomlUpsolverDestination;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &TomlUpsolverDestination) -> Option<Self> {
        let bucket = lowerer.string(&at.key("bucket"), &raw.bucket);
        let mut model = UpsolverDestination::new(BucketRef::named(bucket));
        model.prefix = lowerer.opt_string(&at.key("prefix"), &raw.prefix);
        let keys = OutputKeys {
            file_type: &raw.file_type,
            aggregation: &raw.aggregation,
            target_file_size_mb: &raw.target_file_size_mb,
            prefix_type: &raw.prefix_type,
            prefix_format: &raw.prefix_format,
            prefix_hierarchy: &raw.prefix_hierarchy,
        };
        model.files = keys.lower(lowerer, at);
        Some(model)
    }
}

impl DestinationConnector for UpsolverDestination {
    fn buckets(&self) -> Vec<BucketUse<'_>> {
        vec![BucketUse {
            at: &["bucket"],
            bucket: &self.bucket,
            access: Access::Write,
            prefix: self
                .prefix
                .as_deref()
                .map(|prefix| (prefix, UpsolverDestinationProperties::BUCKET_PREFIX_LIMITS)),
            name: Some(UpsolverDestinationProperties::BUCKET_NAME_LIMITS),
        }]
    }

    fn check(&self, checker: &mut Checker<'_>, _flow: &AnyFlow, path: &Path) {
        self.files.check(checker, path);
    }

    fn synthesize(&self, synth: &Synth<'_>) -> DestinationConnectorProperties {
        DestinationConnectorProperties {
            upsolver: Some(Box::new(UpsolverDestinationProperties {
                bucket_name: synth.bucket_name(self.bucket.name()),
                bucket_prefix: self.prefix.clone().map(Expr::Str),
                s3_output_format_config: UpsolverS3OutputFormatConfig {
                    aggregation_config: self.files.aggregation_config(),
                    file_type: Some(self.files.file_type.into()),
                    // Required by the schema, all of its properties optional.
                    prefix_config: self.files.prefix_config().unwrap_or(PrefixConfig {
                        prefix_type: None,
                        prefix_format: None,
                        path_prefix_hierarchy: Vec::new(),
                    }),
                },
            })),
            ..DestinationConnectorProperties::default()
        }
    }
}

/// `flowform import`: the `upsolver = { ... }` destination table of these `Upsolver`
/// destination properties.
#[cfg(feature = "deploy")]
pub(crate) fn import_destination(
    properties: &serde_json::Value,
    context: &mut dyn super::import::ImportContext,
) -> Option<String> {
    let keys = super::files::import_files(properties, context)?;
    Some(super::import::table("upsolver", &keys))
}

#[cfg(all(test, feature = "deploy"))]
mod import_tests {
    use serde_json::json;

    use crate::connectors::import::testing::{compiled, flow};

    #[test]
    fn an_upsolver_destination_is_imported_with_its_file_layout() {
        let source = json!({"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "acme-in", "bucketPrefix": "a"}}});
        let destination = json!({
            "connectorType": "Upsolver",
            "destinationConnectorProperties": {"Upsolver": {
                "bucketName": "upsolver-appflow-acme",
                "s3OutputFormatConfig": {"fileType": "PARQUET", "prefixConfig": {"prefixType": "PATH", "prefixFormat": "DAY"}}
            }}
        });
        let toml = compiled(flow(source, destination));
        assert!(
            toml.contains("destination.upsolver = { bucket = \"upsolver-appflow-acme\", file-type = \"parquet\", prefix-type = \"path\", prefix-format = \"day\" }"),
            "{toml}"
        );
    }
}
