//! How AppFlow writes files into a bucket, for every destination that writes them (S3,
//! and the data-lake destination whose bucket is S3 too): their type, how records are
//! grouped into files, and how their keys are named. The TOML keys are the same in each destination's table (`file-type`,
//! `aggregation`, `target-file-size-mb`, `prefix-type`, `prefix-format`,
//! `prefix-hierarchy`), lowered by `OutputKeys::lower` and written by
//! `OutputFiles`'s methods into the schema's `AggregationConfig` and `PrefixConfig`.

use serde::Deserialize;

use crate::cfn::Expr;
use crate::cfn::generated::flow::{self, AggregationConfig, AggregationType, PrefixConfig};
use crate::input::InputError;
use crate::input::lower::{Allowed, At, Lowerer};
use crate::input::raw::Sp;
use crate::model::validate::Checker;
use crate::model::{ErrorKind, Path};

// ---------------------------------------------------------------------------------------
// TOML

/// The type of the files AppFlow writes.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlFileType {
    /// CSV.
    Csv,
    /// JSON lines.
    Json,
    /// Apache Parquet.
    Parquet,
}

/// How records are grouped into files.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlAggregation {
    /// A file per batch.
    None,
    /// One file per run.
    SingleFile,
}

/// Where the date goes in written keys.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlPrefixType {
    /// In the file name.
    Filename,
    /// In the folder path.
    Path,
    /// In both.
    PathAndFilename,
}

/// The granularity of the date in written keys.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlPrefixFormat {
    /// Year.
    Year,
    /// Month.
    Month,
    /// Day.
    Day,
    /// Hour.
    Hour,
    /// Minute.
    Minute,
}

/// An extra folder level.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlPathPrefix {
    /// A folder per run.
    ExecutionId,
    /// A folder per schema version.
    SchemaVersion,
}

/// The file keys of a destination's table, borrowed for [`OutputKeys::lower`] (each
/// destination's table declares them itself: serde's `flatten` would lose spans and
/// unknown-key errors).
pub(crate) struct OutputKeys<'a> {
    /// `file-type`.
    pub file_type: &'a Option<TomlFileType>,
    /// `aggregation`.
    pub aggregation: &'a Option<Sp<TomlAggregation>>,
    /// `target-file-size-mb`.
    pub target_file_size_mb: &'a Option<Sp<i64>>,
    /// `prefix-type`.
    pub prefix_type: &'a Option<TomlPrefixType>,
    /// `prefix-format`.
    pub prefix_format: &'a Option<TomlPrefixFormat>,
    /// `prefix-hierarchy`.
    pub prefix_hierarchy: &'a [TomlPathPrefix],
}

impl OutputKeys<'_> {
    /// Lowers the keys of the destination's table at `at`.
    pub(crate) fn lower(&self, lowerer: &mut Lowerer, at: &At) -> OutputFiles {
        let mut files = OutputFiles::default();
        if let Some(file_type) = self.file_type {
            files.file_type = match file_type {
                TomlFileType::Csv => FileType::Csv,
                TomlFileType::Json => FileType::Json,
                TomlFileType::Parquet => FileType::Parquet,
            };
        }
        let target = self.target_file_size_mb.as_ref().and_then(|t| {
            lowerer.count(
                &at.key("aggregation").key("target-size"),
                t,
                "the target file size (MB)",
                Allowed::Positive,
            )
        });
        match (self.aggregation.as_ref().map(|a| *a.get()), self.target_file_size_mb) {
            (Some(TomlAggregation::SingleFile), _) => {
                files.aggregation = Some(Aggregation::SingleFile { target_size_mb: target })
            }
            (_, Some(size)) => lowerer.error(InputError::TargetSizeWithoutSingleFile, size.span()),
            (Some(TomlAggregation::None), None) => files.aggregation = Some(Aggregation::None),
            (None, None) => {}
        }
        if self.prefix_type.is_some() || self.prefix_format.is_some() || !self.prefix_hierarchy.is_empty() {
            files.file_prefix = Some(Prefix {
                prefix_type: self.prefix_type.map(|t| match t {
                    TomlPrefixType::Filename => PrefixType::Filename,
                    TomlPrefixType::Path => PrefixType::Path,
                    TomlPrefixType::PathAndFilename => PrefixType::PathAndFilename,
                }),
                format: self.prefix_format.map(|f| match f {
                    TomlPrefixFormat::Year => PrefixFormat::Year,
                    TomlPrefixFormat::Month => PrefixFormat::Month,
                    TomlPrefixFormat::Day => PrefixFormat::Day,
                    TomlPrefixFormat::Hour => PrefixFormat::Hour,
                    TomlPrefixFormat::Minute => PrefixFormat::Minute,
                }),
                hierarchy: self
                    .prefix_hierarchy
                    .iter()
                    .map(|p| match p {
                        TomlPathPrefix::ExecutionId => PathPrefix::ExecutionId,
                        TomlPathPrefix::SchemaVersion => PathPrefix::SchemaVersion,
                    })
                    .collect(),
            });
        }
        files
    }
}

// ---------------------------------------------------------------------------------------
// Model

/// The files a destination writes: their type (JSON unless set), grouping and key naming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutputFiles {
    pub(crate) file_type: FileType,
    pub(crate) aggregation: Option<Aggregation>,
    pub(crate) file_prefix: Option<Prefix>,
}

impl Default for OutputFiles {
    fn default() -> Self {
        OutputFiles {
            file_type: FileType::Json,
            aggregation: None,
            file_prefix: None,
        }
    }
}

impl OutputFiles {
    /// A target file size is at least one MB (`path` is the destination's table).
    pub(crate) fn check(&self, checker: &mut Checker<'_>, path: &Path) {
        if let Some(Aggregation::SingleFile {
            target_size_mb: Some(0),
        }) = self.aggregation
        {
            checker.error(
                path.key("aggregation").key("target-size"),
                ErrorKind::ZeroLength {
                    what: "the target file size",
                },
            );
        }
    }

    /// Its `AggregationConfig`, if the grouping is set.
    pub(crate) fn aggregation_config(&self) -> Option<AggregationConfig> {
        self.aggregation.map(|aggregation| AggregationConfig {
            aggregation_type: Some(aggregation.aggregation_type()),
            target_file_size: match aggregation {
                Aggregation::SingleFile { target_size_mb } => target_size_mb.map(|mb| Expr::Int(mb.into())),
                Aggregation::None => None,
            },
        })
    }

    /// Its `PrefixConfig`, if the key naming is set.
    pub(crate) fn prefix_config(&self) -> Option<PrefixConfig> {
        self.file_prefix.as_ref().map(|prefix| PrefixConfig {
            prefix_type: prefix.prefix_type.map(Into::into),
            prefix_format: prefix.format.map(Into::into),
            path_prefix_hierarchy: prefix.hierarchy.iter().map(|&level| level.into()).collect(),
        })
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

/// `FileType`: the type of the files AppFlow writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileType {
    /// Comma-separated values.
    Csv,
    /// JSON lines.
    Json,
    /// Apache Parquet.
    Parquet,
}

impl From<FileType> for flow::FileType {
    fn from(value: FileType) -> Self {
        match value {
            FileType::Csv => flow::FileType::Csv,
            FileType::Json => flow::FileType::Json,
            FileType::Parquet => flow::FileType::Parquet,
        }
    }
}

/// `PrefixType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrefixType {
    /// The date goes into the file name.
    Filename,
    /// The date goes into the folder path.
    Path,
    /// The date goes into both (the reference library spells this `PATH_AND_FILE`, which
    /// CloudFormation rejects).
    PathAndFilename,
}

impl From<PrefixType> for flow::PrefixType {
    fn from(value: PrefixType) -> Self {
        match value {
            PrefixType::Filename => flow::PrefixType::Filename,
            PrefixType::Path => flow::PrefixType::Path,
            PrefixType::PathAndFilename => flow::PrefixType::PathAndFilename,
        }
    }
}

/// `PrefixFormat`: the granularity of the date in the prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

impl From<PrefixFormat> for flow::PrefixFormat {
    fn from(value: PrefixFormat) -> Self {
        match value {
            PrefixFormat::Year => flow::PrefixFormat::Year,
            PrefixFormat::Month => flow::PrefixFormat::Month,
            PrefixFormat::Day => flow::PrefixFormat::Day,
            PrefixFormat::Hour => flow::PrefixFormat::Hour,
            PrefixFormat::Minute => flow::PrefixFormat::Minute,
        }
    }
}

/// One level of `PathPrefixHierarchy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathPrefix {
    /// A folder per flow run.
    ExecutionId,
    /// A folder per source schema version.
    SchemaVersion,
}

impl From<PathPrefix> for flow::PathPrefix {
    fn from(value: PathPrefix) -> Self {
        match value {
            PathPrefix::ExecutionId => flow::PathPrefix::ExecutionId,
            PathPrefix::SchemaVersion => flow::PathPrefix::SchemaVersion,
        }
    }
}

/// `flowform import`: the keys of a destination that writes files: its `bucket` and
/// `prefix` (`bucketName`, `bucketPrefix`) and the file layout (`file-type`,
/// `aggregation`, `prefix-type`, `prefix-format`) of its `s3OutputFormatConfig`.
#[cfg(feature = "deploy")]
pub(crate) fn import_files(
    properties: &serde_json::Value,
    context: &mut dyn super::import::ImportContext,
) -> Option<Vec<String>> {
    use super::import::{kebab, quoted, text};
    let bucket = text(properties, "bucketName")?;
    let mut keys = vec![format!("bucket = {}", quoted(&context.bucket(bucket)))];
    if let Some(prefix) = text(properties, "bucketPrefix").filter(|prefix| !prefix.is_empty()) {
        keys.push(format!("prefix = {}", quoted(prefix)));
    }
    let format = &properties["s3OutputFormatConfig"];
    if let Some(file_type) = text(format, "fileType") {
        keys.push(format!("file-type = {}", quoted(&kebab(file_type))));
    }
    if let Some(aggregation) = text(&format["aggregationConfig"], "aggregationType") {
        keys.push(format!("aggregation = {}", quoted(&kebab(aggregation))));
    }
    let prefix = &format["prefixConfig"];
    if let Some(prefix_type) = text(prefix, "prefixType") {
        keys.push(format!("prefix-type = {}", quoted(&kebab(prefix_type))));
    }
    if let Some(prefix_format) = text(prefix, "prefixFormat") {
        keys.push(format!("prefix-format = {}", quoted(&kebab(prefix_format))));
    }
    Some(keys)
}
