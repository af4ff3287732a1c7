//! Shapes many connectors share, each with its TOML form, lowering, checks and
//! synthesis: the settings every connector profile has ([`ConnectorProfile`]), where
//! failed records go ([`ErrorHandling`]), and a write operation with the fields that
//! identify records ([`WriteOperation`]).

use serde::Deserialize;

use crate::cfn::appflow::{ErrorHandlingConfig, WriteOperationType};
use crate::input::lower::{At, Lowerer};
use crate::input::raw::Sp;
use crate::model::validate::Checker;
use crate::model::{BucketRef, ErrorKind, KeyRef, Path};
use crate::synth::Synth;

use super::{Access, BucketUse};

/// A connector profile: the settings every connector's profile has, and the connector's
/// own (`S`, e.g. [`super::salesforce::SalesforceSettings`]).
///
/// The settings methods (the connector's, [`ConnectorProfile::encryption_key`],
/// [`ConnectorProfile::profile_name`]) configure a profile the stack creates; an imported
/// profile is used as it exists, so they leave it unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorProfile<S> {
    pub(crate) base: ProfileBase,
    pub(crate) settings: S,
}

/// The settings every connector profile has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileBase {
    pub(crate) name: String,
    pub(crate) import: Option<String>,
    pub(crate) key: Option<KeyRef>,
    pub(crate) profile_name: Option<String>,
}

impl ProfileBase {
    /// The profile's name in the stack.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The existing profile (name or ARN) an imported profile uses.
    pub fn imported(&self) -> Option<&str> {
        self.import.as_deref()
    }

    /// The key AppFlow encrypts the credentials of a created profile with.
    pub fn key(&self) -> Option<&KeyRef> {
        self.key.as_ref().filter(|_| self.import.is_none())
    }

    /// The physical name given to a created profile, if one was.
    pub fn profile_name(&self) -> Option<&str> {
        self.profile_name.as_deref().filter(|_| self.import.is_none())
    }

    /// The name AppFlow knows the profile by: an imported profile's (from its ARN), or the
    /// one a created profile gets (`<stack>-<name>` unless given).
    pub(crate) fn physical_name(&self, stack: &str) -> String {
        match &self.import {
            Some(existing) => existing
                .rsplit_once("connectorprofile/")
                .map_or(existing.as_str(), |(_, name)| name)
                .to_owned(),
            None => self
                .profile_name
                .clone()
                .unwrap_or_else(|| crate::model::names::physical_name(stack, &self.name)),
        }
    }
}

impl<S: Default> ConnectorProfile<S> {
    /// A profile the stack creates, with the connector's `settings`.
    pub(crate) fn owned(name: impl Into<String>, settings: S) -> Self {
        ConnectorProfile {
            base: ProfileBase {
                name: name.into(),
                ..ProfileBase::default()
            },
            settings,
        }
    }

    /// An existing profile, by profile name or ARN.
    pub fn imported(name: impl Into<String>, profile: impl Into<String>) -> Self {
        ConnectorProfile {
            base: ProfileBase {
                name: name.into(),
                import: Some(profile.into()),
                ..ProfileBase::default()
            },
            settings: S::default(),
        }
    }
}

impl<S> ConnectorProfile<S> {
    /// Changes the connector's settings of a profile the stack creates.
    pub(crate) fn configure(mut self, change: impl FnOnce(&mut S)) -> Self {
        if self.base.import.is_none() {
            change(&mut self.settings);
        }
        self
    }

    /// Encrypts the stored credentials with this key instead of the AWS-managed one.
    pub fn encryption_key(mut self, key: impl Into<KeyRef>) -> Self {
        if self.base.import.is_none() {
            self.base.key = Some(key.into());
        }
        self
    }

    /// Gives the profile this physical name instead of `<stack>-<name>`.
    pub fn profile_name(mut self, profile_name: impl Into<String>) -> Self {
        if self.base.import.is_none() {
            self.base.profile_name = Some(profile_name.into());
        }
        self
    }

    /// The profile's name in the stack.
    pub fn name(&self) -> &str {
        &self.base.name
    }

    /// Whether the stack creates this profile.
    pub fn is_owned(&self) -> bool {
        self.base.import.is_none()
    }
}

/// The keys every `[profile.<name>.<connector>]` table has beside the connector's own.
/// Each connector's table declares them itself (serde's `flatten` would lose spans and
/// unknown-key errors); this borrows them for [`lower_profile`].
pub(crate) struct ProfileKeys<'a> {
    /// `import`: an existing profile, by name or ARN.
    pub import: &'a Option<Sp<String>>,
    /// `key`: the KMS key (a `[key.<name>]`) the credentials are encrypted with.
    pub key: &'a Option<Sp<String>>,
    /// `profile-name`: the physical name.
    pub profile_name: &'a Option<Sp<String>>,
}

/// Lowers the shared keys of a profile table: an imported profile when `import` is set
/// (an error if `others` says another key is set too), else `owned()` with `key` and
/// `profile-name` applied. `owned` returns `None` after reporting what it lacks.
pub(crate) fn lower_profile<S: Default>(
    lowerer: &mut Lowerer,
    name: &str,
    at: &At,
    span: std::ops::Range<usize>,
    raw: ProfileKeys<'_>,
    others: bool,
    owned: impl FnOnce(&mut Lowerer) -> Option<ConnectorProfile<S>>,
) -> Option<ConnectorProfile<S>> {
    if let Some(existing) = raw.import {
        if others || raw.key.is_some() || raw.profile_name.is_some() {
            lowerer.error(
                "flowform::input::import_with_settings",
                format!("imported profile `{name}` cannot be configured here"),
                span,
                "has `import` and other settings",
                "an imported profile is used as it exists: keep only `import`, or remove it to create the profile",
            );
        }
        return Some(ConnectorProfile::imported(
            name,
            lowerer.string(&at.key("import"), existing),
        ));
    }
    let mut profile = owned(lowerer)?;
    if let Some(key) = lowerer.opt_string(&at.key("key"), raw.key) {
        profile = profile.encryption_key(KeyRef::named(key));
    }
    if let Some(profile_name) = lowerer.opt_string(&at.key("profile-name"), raw.profile_name) {
        profile = profile.profile_name(profile_name);
    }
    Some(profile)
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

    /// The bucket failed records go to, as a destination's [`BucketUse`].
    pub(crate) fn bucket_use(handling: &Option<ErrorHandling>) -> Option<BucketUse<'_>> {
        let bucket = handling.as_ref()?.bucket.as_ref()?;
        Some(BucketUse {
            at: &["error-handling", "bucket"],
            bucket,
            access: Access::Write,
        })
    }

    /// Its `ErrorHandlingConfig`.
    pub(crate) fn synthesize(handling: &Option<ErrorHandling>, synth: &Synth<'_>) -> Option<ErrorHandlingConfig> {
        handling.as_ref().map(|handling| ErrorHandlingConfig {
            bucket_name: handling.bucket.as_ref().map(|bucket| synth.bucket_name(bucket.name())),
            bucket_prefix: handling.prefix.clone(),
            fail_on_first_error: handling.fail_on_first_error,
        })
    }
}

/// Where failed records go.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlErrorHandling {
    /// The bucket (a `[bucket.<name>]`).
    pub bucket: Option<Sp<String>>,
    /// The prefix inside it.
    pub prefix: Option<Sp<String>>,
    /// Stop the run at the first failed record.
    pub fail_on_first_error: Option<bool>,
}

impl TomlErrorHandling {
    /// Lowers `error-handling` at `at`.
    pub(crate) fn lower(lowerer: &mut Lowerer, at: &At, raw: &Option<Sp<TomlErrorHandling>>) -> Option<ErrorHandling> {
        let raw = raw.as_ref()?;
        lowerer.record(at, raw.span());
        let handling = raw.get();
        Some(ErrorHandling {
            bucket: lowerer
                .opt_string(&at.key("bucket"), &handling.bucket)
                .map(BucketRef::named),
            prefix: lowerer.opt_string(&at.key("prefix"), &handling.prefix),
            fail_on_first_error: handling.fail_on_first_error,
        })
    }
}

/// A write operation and the fields that identify existing records.
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

    /// Delete records matched on `id_fields` (empty: the record ID).
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

    /// An insert takes no id fields; upsert and update need them (`ids` is the path of
    /// `id-fields`).
    pub(crate) fn check(&self, checker: &mut Checker<'_>, ids: &Path) {
        match self.kind {
            WriteOperationType::Insert if !self.id_fields.is_empty() => checker.error(
                ids.clone(),
                ErrorKind::IdFields {
                    message: "an insert takes no id fields",
                    help: "remove the id fields, or use upsert, update or delete",
                },
            ),
            WriteOperationType::Upsert | WriteOperationType::Update if self.id_fields.is_empty() => checker.error(
                ids.clone(),
                ErrorKind::IdFields {
                    message: "upsert and update need id fields to match existing records",
                    help: "name the field(s) that identify a record, e.g. an external ID such as `External_Id__c`",
                },
            ),
            _ => {}
        }
        for (index, field) in self.id_fields.iter().enumerate() {
            checker.check_field_name(|| ids.index(index), field);
        }
    }
}

/// A write operation.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlWriteOperation {
    /// Create records.
    Insert,
    /// Update or create.
    Upsert,
    /// Update.
    Update,
    /// Delete.
    Delete,
}

impl TomlWriteOperation {
    /// Lowers `operation` with its `id-fields` (at `at`, the destination's table).
    pub(crate) fn lower(
        lowerer: &mut Lowerer,
        at: &At,
        operation: &Sp<TomlWriteOperation>,
        id_fields: &[Sp<String>],
    ) -> WriteOperation {
        let kind = match operation.get() {
            TomlWriteOperation::Insert => WriteOperationType::Insert,
            TomlWriteOperation::Upsert => WriteOperationType::Upsert,
            TomlWriteOperation::Update => WriteOperationType::Update,
            TomlWriteOperation::Delete => WriteOperationType::Delete,
        };
        lowerer.record(&at.key("operation"), operation.span());
        let ids_at = at.key("id-fields");
        let ids: Vec<String> = id_fields
            .iter()
            .enumerate()
            .map(|(i, field)| lowerer.string(&ids_at.index(i), field))
            .collect();
        // A message about the id fields points at the first, or at the operation that
        // needs them.
        let span = id_fields.first().map_or(operation.span(), |first| first.span());
        lowerer.record(&ids_at, span);
        WriteOperation::with_ids(kind, ids)
    }
}
