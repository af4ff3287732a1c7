//! A destination that loads a table from records AppFlow stages in an S3 bucket first (a
//! warehouse's COPY): its profile, table and error handling, and the
//! intermediate bucket, which is the profile's (it names it, as `BucketName`) unless the
//! profile is imported and so unknown here: then the destination names it.

use serde::Deserialize;

use crate::cfn::Expr;
use crate::cfn::Limits;
use crate::cfn::resources::{IamRoleProperties, InlinePolicy, PolicyDocument, Statement};
use crate::cfn::{Resource, ResourceProperties};
use crate::input::lower::{At, Lowerer};
use crate::input::raw::{Sp, TomlText};
use crate::model::validate::Checker;
use crate::model::{BucketRef, ErrorKind, Path, ProfileRef, Text};
use crate::synth::Synth;

use super::common::{self, ErrorHandling, ObjectWords, TomlErrorHandling};
use super::{Access, BucketUse};

/// The statements of a role a warehouse reads what AppFlow staged with: `object_actions`
/// on the objects under `prefix` of `bucket`, `s3:ListBucket` and `s3:GetBucketLocation` on
/// the bucket, and `kms:Decrypt` on its key (the key of a bucket the stack creates with one;
/// without, it is SSE-S3, nothing to decrypt with KMS; for an imported bucket, whose key is
/// unknown, AWS's own `*`).
pub(crate) fn staged_read_statements(
    synth: &Synth<'_>,
    bucket: &BucketRef,
    prefix: Option<&str>,
    object_actions: &[&str],
) -> Vec<Statement> {
    let objects = synth.bucket_arn(bucket.name(), Some(prefix.unwrap_or_default()));
    let mut statements = vec![
        Statement::allow(
            object_actions.iter().map(|action| (*action).to_owned()).collect(),
            vec![objects],
        ),
        Statement::allow(
            vec!["s3:ListBucket".into(), "s3:GetBucketLocation".into()],
            vec![synth.bucket_arn(bucket.name(), None)],
        ),
    ];
    let key = match synth.bucket_key_arn(bucket.name()) {
        Some(key) => Some(key),
        None if synth.bucket_is_imported(bucket.name()) => Some(Expr::Str("*".into())),
        None => None,
    };
    if let Some(key) = key {
        statements.push(Statement::allow(vec!["kms:Decrypt".into()], vec![key]));
    }
    statements
}

/// A role a warehouse profile's stack creates for it, once per profile.
pub(crate) struct ProfileRole {
    /// Its logical ID.
    pub id: String,
    /// Its `Description`.
    pub description: String,
    /// Who may assume it.
    pub trust: Statement,
    /// The name of its one inline policy.
    pub policy_name: &'static str,
    /// That policy's statements.
    pub statements: Vec<Statement>,
    /// The description of the output that gives its ARN (`<id>Arn`).
    pub output: String,
}

impl ProfileRole {
    /// Adds the role (shared: a profile's) and its ARN output; returns the ARN.
    pub(crate) fn create(self, synth: &mut Synth<'_>) -> Expr {
        let role = IamRoleProperties {
            description: self.description,
            assume_role_policy_document: PolicyDocument::new(vec![self.trust]),
            policies: vec![InlinePolicy {
                policy_name: self.policy_name.into(),
                policy_document: PolicyDocument::new(self.statements),
            }],
            tags: synth.tags(&Default::default()),
        };
        let id = self.id;
        synth.shared_resource(id.clone(), Resource::new(ResourceProperties::IamRole(role)));
        synth.output(format!("{id}Arn"), self.output, Expr::get_att(&id, "Arn"));
        Expr::get_att(id, "Arn")
    }
}

/// `destination.<warehouse>`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlStagedDestination {
    /// The profile (a `[profile.<name>]`).
    pub profile: Sp<String>,
    /// The table.
    pub object: Sp<TomlText>,
    /// The intermediate bucket (a `[bucket.<name>]`): only with an imported profile, whose
    /// bucket flowform does not know; a created profile's is used otherwise.
    pub bucket: Option<Sp<String>>,
    /// The prefix in that bucket.
    pub prefix: Option<Sp<String>>,
    /// Where failed records go.
    pub error_handling: Option<Sp<TomlErrorHandling>>,
}

/// A table a warehouse loads from the records AppFlow stages in a bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedDestination {
    pub(crate) profile: ProfileRef,
    pub(crate) object: Text,
    pub(crate) bucket: Option<BucketRef>,
    pub(crate) prefix: Option<String>,
    pub(crate) error_handling: Option<ErrorHandling>,
}

impl StagedDestination {
    /// Loads `object` through `profile`.
    pub(crate) fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        StagedDestination {
            profile: profile.into(),
            object: object.into(),
            bucket: None,
            prefix: None,
            error_handling: None,
        }
    }

    /// Lowers the table at `at`.
    pub(crate) fn lower(lowerer: &mut Lowerer, at: &At, raw: &TomlStagedDestination) -> Self {
        let profile = lowerer.string(&at.key("profile"), &raw.profile);
        let mut model =
            StagedDestination::new(ProfileRef::named(profile), lowerer.text(&at.key("object"), &raw.object));
        model.bucket = lowerer.opt_string(&at.key("bucket"), &raw.bucket).map(BucketRef::named);
        model.prefix = lowerer.opt_string(&at.key("prefix"), &raw.prefix);
        model.error_handling = TomlErrorHandling::lower(lowerer, &at.key("error-handling"), &raw.error_handling);
        model
    }

    /// Its own intermediate bucket, with the schema's `prefix_limits` on `BucketPrefix`, and
    /// the error bucket.
    pub(crate) fn buckets(&self, prefix_limits: Limits) -> Vec<BucketUse<'_>> {
        let own = self.bucket.as_ref().map(|bucket| BucketUse {
            at: &["bucket"],
            bucket,
            access: Access::Write,
            prefix: self.prefix.as_deref().map(|prefix| (prefix, prefix_limits)),
            name: None,
        });
        own.into_iter()
            .chain(ErrorHandling::bucket_use(&self.error_handling))
            .collect()
    }

    /// The table is named (with `words`), and an imported profile's destination names its
    /// intermediate bucket.
    pub(crate) fn check(&self, checker: &mut Checker<'_>, path: &Path, words: &ObjectWords) {
        common::check_object(checker, path.key("object"), &self.object, words);
        let Some(profile) = checker.profile(self.profile.name()) else {
            return;
        };
        let imported = profile.base().imported().is_some();
        let owned_has_bucket = !imported && profile.connector_side().staging_bucket().is_some();
        if imported && self.bucket.is_none() {
            checker.error(path.clone(), ErrorKind::IntermediateBucketUnknown);
        } else if owned_has_bucket && self.bucket.is_some() {
            // No AWS text says the two may differ: one place says where records are staged.
            checker.error(path.key("bucket"), ErrorKind::IntermediateBucketTwice);
        }
    }

    /// `(IntermediateBucketName, BucketPrefix)`: its own, else its created profile's.
    /// Validation requires a known bucket before synthesis runs, so `NoValue` stands only
    /// for one no valid stack lacks.
    pub(crate) fn staging(&self, synth: &Synth<'_>) -> (Expr, Option<Expr>) {
        let profile = synth.profile(self.profile.name());
        let staging = match &self.bucket {
            Some(bucket) => Some((bucket, self.prefix.as_deref())),
            None => profile
                .filter(|profile| profile.base().imported().is_none())
                .and_then(|profile| profile.connector_side().staging_bucket()),
        };
        match staging {
            Some((bucket, prefix)) => (
                synth.bucket_name(bucket.name()),
                prefix.map(|prefix| Expr::Str(prefix.to_owned())),
            ),
            None => (Expr::no_value(), None),
        }
    }
}

/// Implements, for `$destination` (`struct $destination(StagedDestination)`), its builders
/// (`intermediate_bucket`, `error_handling`), `Lower` from a [`TomlStagedDestination`] and
/// `DestinationConnector`: it is checked with `$words` and written as
/// `DestinationConnectorProperties.$field = $properties { Object, IntermediateBucketName,
/// BucketPrefix, ErrorHandlingConfig }`.
macro_rules! staged_destination {
    ($destination:ident: $connector:ident, $field:ident = $properties:ident, $words:expr) => {
        impl $destination {
            /// The intermediate bucket and prefix, for an imported profile (TOML `bucket`,
            /// `prefix`).
            pub fn intermediate_bucket(
                mut self,
                bucket: impl Into<$crate::model::BucketRef>,
                prefix: impl Into<String>,
            ) -> Self {
                self.0.bucket = Some(bucket.into());
                self.0.prefix = Some(prefix.into());
                self
            }

            /// Where failed records go.
            pub fn error_handling(mut self, error_handling: $crate::connectors::common::ErrorHandling) -> Self {
                self.0.error_handling = Some(error_handling);
                self
            }
        }

        impl $crate::connectors::Lower for $destination {
            const CONNECTOR: $crate::connectors::ConnectorType = $crate::connectors::ConnectorType::$connector;
            type Toml = $crate::connectors::staged::TomlStagedDestination;

            fn lower(
                lowerer: &mut $crate::input::lower::Lowerer,
                at: &$crate::input::lower::At,
                raw: &$crate::connectors::staged::TomlStagedDestination,
            ) -> Option<Self> {
                Some($destination(
                    $crate::connectors::staged::StagedDestination::lower(lowerer, at, raw),
                ))
            }
        }

        impl $crate::connectors::DestinationConnector for $destination {
            fn profile(&self) -> Option<&$crate::model::ProfileRef> {
                Some(&self.0.profile)
            }

            fn buckets(&self) -> Vec<$crate::connectors::BucketUse<'_>> {
                self.0
                    .buckets($crate::cfn::generated::flow::$properties::BUCKET_PREFIX_LIMITS)
            }

            fn texts(&self) -> Vec<(&'static [&'static str], &$crate::model::Text)> {
                vec![(&["object"], &self.0.object)]
            }

            fn check(
                &self,
                checker: &mut $crate::model::validate::Checker<'_>,
                _flow: &$crate::model::AnyFlow,
                path: &$crate::model::Path,
            ) {
                self.0.check(checker, path, &$words);
            }

            fn synthesize(
                &self,
                synth: &$crate::synth::Synth<'_>,
            ) -> $crate::cfn::generated::flow::DestinationConnectorProperties {
                let (intermediate_bucket_name, bucket_prefix) = self.0.staging(synth);
                $crate::cfn::generated::flow::DestinationConnectorProperties {
                    $field: Some(Box::new($crate::cfn::generated::flow::$properties {
                        bucket_prefix,
                        error_handling_config: $crate::connectors::common::ErrorHandling::synthesize(
                            &self.0.error_handling,
                            synth,
                        ),
                        intermediate_bucket_name,
                        object: synth.text(&self.0.object),
                    })),
                    ..Default::default()
                }
            }
        }
    };
}
pub(crate) use staged_destination;

/// `flowform import`: the `<key> = { ... }` destination table of a warehouse destination's
/// properties (`key` is the warehouse's); the staging bucket is written, as the profile is
/// imported (flowform does not know an imported profile's bucket).
#[cfg(feature = "deploy")]
pub(crate) fn import_destination(
    key: &'static str,
    properties: &serde_json::Value,
    profile: &str,
    context: &mut dyn super::import::ImportContext,
) -> Option<String> {
    use super::import::{error_handling, profile_and_object, quoted, table, text};
    let mut keys = profile_and_object(key, properties, profile, context)?;
    if let Some(bucket) = text(properties, "intermediateBucketName") {
        keys.push(format!("bucket = {}", quoted(&context.bucket(bucket))));
    }
    if let Some(prefix) = text(properties, "bucketPrefix") {
        keys.push(format!("prefix = {}", quoted(prefix)));
    }
    keys.extend(error_handling(&properties["errorHandlingConfig"], context));
    Some(table(key, &keys))
}
