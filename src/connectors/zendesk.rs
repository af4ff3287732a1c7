//! Zendesk: a source (an object such as `tickets`), a destination (an object, with insert,
//! update or upsert) and an OAuth connector profile.
//!
//! What AWS documents, and what flowform enforces (evidence in each item's comment):
//! - source and destination: "You can use Zendesk as a source or a destination" (AppFlow
//!   guide, zendesk.html); no change events, so no event-triggered flows (flow-triggers:
//!   event flows are "available only for SaaS applications that provide change events");
//! - destination operations: the guide offers "Insert new records", "Update existing
//!   records" (matched on "a Zendesk record ID or external field") and "Upsert records"
//!   (on "a Zendesk external field"); the schema's `DELETE` is not offered, so it is refused;
//! - profile: `InstanceUrl` and `ClientId` + `ClientSecret` (schema-required), and the
//!   access token, which the schema leaves optional but CloudFormation needs: "connectors
//!   that implement OAuth (such as [...] Zendesk [...]), you
//!   must fetch the access and refresh tokens" (AWS::AppFlow::ConnectorProfile). Zendesk
//!   has no refresh-token field; tokens of OAuth clients made after 2026-04-30 expire
//!   (Zendesk's notice of its refresh-token rollout), which AppFlow cannot renew: the
//!   README says so and suggests a console-made profile, imported;
//! - filters: the schema's `ZendeskConnectorOperator` holds `GREATER_THAN` as its only
//!   comparison; the shared operator check applies it from the generated facts.

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::cfn::Expr;
use crate::cfn::generated::flow::{DestinationConnectorProperties, ZendeskDestinationProperties};
use crate::input::lower::{At, Lowerer};
use crate::input::raw::{Sp, TomlText};
use crate::model::validate::Checker;
use crate::model::{AnyFlow, Path, ProfileRef, Text};
use crate::synth::Synth;

use super::common::{
    self, ClientAndTokenSettings, ConnectorProfile, ErrorHandling, InstanceOAuth, ObjectSource, ObjectWords,
    TomlErrorHandling, TomlWriteOperation, WriteOperation, WriteOperationType, instance_oauth_profile, object_source,
};
use super::{BucketUse, ConnectorType, DestinationConnector, Lower};

/// How messages name Zendesk objects.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Zendesk object",
    help: "name the object as Zendesk's API does, e.g. `tickets`",
    what: "Zendesk object",
    allowed: "object names have no spaces, e.g. `tickets` or `users`",
};

// ---------------------------------------------------------------------------------------
// TOML

/// `destination.zendesk`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlZendeskDestination {
    /// The profile (a `[profile.<name>]`).
    pub profile: Sp<String>,
    /// The object, e.g. `tickets`.
    pub object: Sp<TomlText>,
    /// `insert` (default), `update` or `upsert`.
    pub operation: Option<Sp<TomlWriteOperation>>,
    /// Fields that identify existing records (required for update and upsert).
    #[serde(default)]
    pub id_fields: Vec<Sp<String>>,
    /// Where failed records go.
    pub error_handling: Option<Sp<TomlErrorHandling>>,
}

// ---------------------------------------------------------------------------------------
// Model

/// The Zendesk settings of a connector profile the stack creates: its instance URL and
/// OAuth client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZendeskSettings(pub(crate) InstanceOAuth);

/// A Zendesk connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type ZendeskConnectorProfile = ConnectorProfile<ZendeskSettings>;

impl ClientAndTokenSettings for ZendeskSettings {
    fn instance_oauth_mut(&mut self) -> &mut InstanceOAuth {
        &mut self.0
    }
}

impl ConnectorProfile<ZendeskSettings> {
    /// A profile the stack creates for the Zendesk account at `instance_url`; give it its
    /// credentials with [`ZendeskConnectorProfile::oauth`].
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let app = SecretRef::named("zendesk-app");
    /// let profile = ZendeskConnectorProfile::new("support", "https://acme.zendesk.com")
    ///     .oauth(&app, Credential::secret(&app, "accessToken"));
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(name: impl Into<String>, instance_url: impl Into<Text>) -> Self {
        ConnectorProfile::owned(name, ZendeskSettings(InstanceOAuth::new(instance_url)))
    }
}

/// Reads a Zendesk object, e.g. `tickets`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZendeskSource(pub(crate) ObjectSource);

impl ZendeskSource {
    /// Reads `object` through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = ZendeskSource::new(ProfileRef::named("support"), "tickets");
    /// # let _ = source;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        ZendeskSource(ObjectSource::new(profile, object))
    }
}

/// Writes to a Zendesk object.
#[derive(Debug, Clone, PartialEq)]
pub struct ZendeskDestination {
    pub(crate) profile: ProfileRef,
    pub(crate) object: Text,
    pub(crate) operation: WriteOperation,
    pub(crate) error_handling: Option<ErrorHandling>,
}

impl ZendeskDestination {
    /// Writes to `object` through `profile` with `operation` (insert, update or upsert).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let destination = ZendeskDestination::new(
    ///     ProfileRef::named("support"),
    ///     "users",
    ///     WriteOperation::upsert(["external_id"]),
    /// );
    /// # let _ = destination;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>, operation: impl Into<WriteOperation>) -> Self {
        ZendeskDestination {
            profile: profile.into(),
            object: object.into(),
            operation: operation.into(),
            error_handling: None,
        }
    }

    /// The fields that identify existing records (TOML `id-fields`).
    pub fn id_fields<I: IntoIterator<Item = S>, S: Into<String>>(mut self, fields: I) -> Self {
        self.operation.id_fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// Where failed records go.
    pub fn error_handling(mut self, error_handling: ErrorHandling) -> Self {
        self.error_handling = Some(error_handling);
        self
    }
}

/// An error only a Zendesk profile or destination has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum ZendeskError {
    /// A delete: AppFlow offers insert, update and upsert only.
    #[error("AppFlow cannot delete Zendesk records")]
    #[diagnostic(
        code(flowform::zendesk::delete_unsupported),
        help(
            "use `insert`, `update` or `upsert`: those are the write operations AppFlow offers for a Zendesk destination (AppFlow guide, Zendesk)"
        )
    )]
    DeleteUnsupported,

    /// A created profile without its access token.
    #[error("a Zendesk profile needs an access token")]
    #[diagnostic(
        code(flowform::zendesk::missing_access_token),
        help(
            "add `oauth.access-token = {{ secret = \"...\", key = \"accessToken\" }}` (or a parameter): through CloudFormation AppFlow cannot run the OAuth authorization itself, \"you must fetch the access and refresh tokens\" (AWS::AppFlow::ConnectorProfile); or create the profile in the AppFlow console and `import` it"
        )
    )]
    MissingAccessToken,
}

/// A warning only a Zendesk profile has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum ZendeskWarning {
    /// An instance URL not of the `https://<subdomain>.zendesk.com` form.
    #[error("instance URL `{url}` is not a `https://<subdomain>.zendesk.com` URL")]
    #[diagnostic(
        code(flowform::zendesk::unusual_instance_url),
        severity(Warning),
        help("AppFlow connects to the account's Zendesk URL, such as `https://acme.zendesk.com`; check this is yours")
    )]
    UnusualInstanceUrl {
        /// The URL.
        url: String,
    },
}

impl crate::model::Label for ZendeskError {}
impl crate::model::Label for ZendeskWarning {}

// ---------------------------------------------------------------------------------------
// Lowering

impl Lower for ZendeskDestination {
    const CONNECTOR: ConnectorType = ConnectorType::Zendesk;
    type Toml = TomlZendeskDestination;

    fn lower(lowerer: &mut Lowerer, at: &At, zd: &TomlZendeskDestination) -> Option<Self> {
        let operation = TomlWriteOperation::lower_or_insert(lowerer, at, &zd.operation, &zd.id_fields);
        let profile = lowerer.string(&at.key("profile"), &zd.profile);
        let object = lowerer.text(&at.key("object"), &zd.object);
        let mut model = ZendeskDestination::new(ProfileRef::named(profile), object, operation);
        model.error_handling = TomlErrorHandling::lower(lowerer, &at.key("error-handling"), &zd.error_handling);
        Some(model)
    }
}

// ---------------------------------------------------------------------------------------
// Checks and synthesis

instance_oauth_profile! {
    ZendeskSettings: Zendesk, zendesk = (ZendeskConnectorProfileProperties, ZendeskConnectorProfileCredentials),
    "https://<subdomain>.zendesk.com",
    check_profile
}

/// The connector's own rules for a profile it creates.
fn check_profile(settings: &ZendeskSettings, checker: &mut Checker<'_>, path: &Path) {
    let example = "https://acme.zendesk.com";
    if let Some(host) = settings.0.check_url(checker, path, example) {
        let subdomain = host.strip_suffix(".zendesk.com").unwrap_or_default();
        let plain = !subdomain.is_empty()
            && subdomain.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && settings
                .0
                .instance_url
                .literal()
                .and_then(|url| url.get("https://".len()..))
                .is_some_and(|rest| rest.trim_end_matches('/') == host);
        if !plain {
            checker.warn(
                path.key("instance-url"),
                ZendeskWarning::UnusualInstanceUrl {
                    url: settings.0.instance_url.literal().unwrap_or_default().to_owned(),
                }
                .into(),
            );
        }
    }
    if settings.0.client.is_some() && settings.0.access_token.is_none() {
        checker.error(path.key("oauth"), ZendeskError::MissingAccessToken.into());
    }
}

object_source! { ZendeskSource: Zendesk, zendesk = ZendeskSourceProperties, OBJECT, |_, _, _, _| {} }

impl DestinationConnector for ZendeskDestination {
    fn profile(&self) -> Option<&ProfileRef> {
        Some(&self.profile)
    }

    fn buckets(&self) -> Vec<BucketUse<'_>> {
        ErrorHandling::bucket_use(&self.error_handling).into_iter().collect()
    }

    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        vec![(&["object"], &self.object)]
    }

    fn check(&self, checker: &mut Checker<'_>, _flow: &AnyFlow, path: &Path) {
        common::check_object(checker, path.key("object"), &self.object, &OBJECT);
        if self.operation.kind == WriteOperationType::Delete {
            checker.error(path.key("operation"), ZendeskError::DeleteUnsupported.into());
        }
        self.operation
            .check(checker, <Self as Lower>::CONNECTOR, &path.key("id-fields"));
    }

    fn synthesize(&self, synth: &Synth<'_>) -> DestinationConnectorProperties {
        DestinationConnectorProperties {
            zendesk: Some(Box::new(ZendeskDestinationProperties {
                error_handling_config: ErrorHandling::synthesize(&self.error_handling, synth),
                id_field_names: self.operation.id_fields.iter().cloned().map(Expr::Str).collect(),
                object: synth.text(&self.object),
                write_operation_type: Some(self.operation.kind.into()),
            })),
            ..DestinationConnectorProperties::default()
        }
    }
}

#[cfg(all(test, feature = "deploy"))]
mod import_tests {
    use serde_json::json;

    use crate::connectors::import::testing::{compiled, files_destination, flow};

    #[test]
    fn a_zendesk_source_and_destination_are_imported() {
        let source = json!({
            "connectorType": "Zendesk",
            "connectorProfileName": "support",
            "sourceConnectorProperties": {"Zendesk": {"object": "tickets"}}
        });
        let toml = compiled(flow(source, files_destination()));
        assert!(
            toml.contains("source.zendesk = { profile = \"support\", object = \"tickets\" }"),
            "{toml}"
        );
        assert!(
            toml.contains("[profile.support.zendesk]\nimport = \"support\""),
            "{toml}"
        );
        let source = json!({
            "connectorType": "S3",
            "sourceConnectorProperties": {"S3": {"bucketName": "acme-in", "bucketPrefix": "users"}}
        });
        let destination = json!({
            "connectorType": "Zendesk",
            "connectorProfileName": "support",
            "destinationConnectorProperties": {"Zendesk": {
                "object": "users", "writeOperationType": "UPSERT", "idFieldNames": ["external_id"],
                "errorHandlingConfig": {"bucketName": "acme.errors", "bucketPrefix": "zendesk", "failOnFirstDestinationError": false}
            }}
        });
        let toml = compiled(flow(source, destination));
        assert!(
            toml.contains("destination.zendesk = { profile = \"support\", object = \"users\", operation = \"upsert\", id-fields = [\"external_id\"], error-handling = { bucket = \"acme-errors\", prefix = \"zendesk\", fail-on-first-error = false } }"),
            "{toml}"
        );
    }
}
