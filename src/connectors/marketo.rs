//! Marketo: a source (an object such as `leads`), a destination (an object) and an OAuth
//! client-credentials connector profile.
//!
//! What AWS documents, and what flowform enforces:
//! - source and destination: "You can use Marketo as a source or destination" (AppFlow
//!   guide, marketo.html); no change events, so no event-triggered flows;
//! - schedules: "you can run schedule-triggered flows at a maximum frequency of one flow
//!   run per hour" (marketo.html), so a faster schedule is an error (the shared
//!   `SourceRules` check);
//! - destination: `MarketoDestinationProperties` has only `Object` and
//!   `ErrorHandlingConfig` (`additionalProperties: false`), so there is no write operation
//!   to choose, and `operation`/`id-fields` are unknown keys;
//! - profile: `InstanceUrl`, `ClientId` and `ClientSecret`: "You must provide Amazon AppFlow
//!   with your client ID and client secret" (marketo.html), Marketo's REST API knows only the
//!   client-credentials grant (Adobe, Marketo REST authentication), and the CloudFormation
//!   note that OAuth profiles need fetched tokens does not name Marketo. An access token is
//!   optional. No public report shows a profile created without one: thin evidence, said
//!   so in the README;
//! - filters: `MarketoConnectorOperator` compares with `LESS_THAN`, `GREATER_THAN` and
//!   `BETWEEN` only; the shared operator check applies it from the generated facts.

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::cfn::generated::flow::{DestinationConnectorProperties, MarketoDestinationProperties};
use crate::input::lower::{At, Lowerer};
use crate::input::raw::{Sp, TomlText};
use crate::model::validate::Checker;
use crate::model::{AnyFlow, Credential, Path, ProfileRef, SecretRef, Text};
use crate::synth::Synth;

use super::common::{
    self, ConnectorProfile, ErrorHandling, InstanceOAuth, OAuthClient, ObjectSource, ObjectWords, TomlErrorHandling,
    instance_oauth_profile, object_source,
};
use super::{BucketUse, ConnectorType, DestinationConnector, Lower, SourceRules};

/// How messages name Marketo objects.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Marketo object",
    help: "name the object as Marketo's API does, e.g. `leads`",
    what: "Marketo object",
    allowed: "object names have no spaces, e.g. `leads`",
};

/// What the guide allows a flow from Marketo: "you can run schedule-triggered flows at a
/// maximum frequency of one flow run per hour" (marketo.html).
const RULES: SourceRules = SourceRules::named("Marketo").at_most_every(3_600);

// ---------------------------------------------------------------------------------------
// TOML

/// `destination.marketo`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlMarketoDestination {
    /// The profile (a `[profile.<name>]`).
    pub profile: Sp<String>,
    /// The object, e.g. `leads`.
    pub object: Sp<TomlText>,
    /// Where failed records go.
    pub error_handling: Option<Sp<TomlErrorHandling>>,
}

// ---------------------------------------------------------------------------------------
// Model

/// The Marketo settings of a connector profile the stack creates: its instance URL and
/// OAuth client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarketoSettings(pub(crate) InstanceOAuth);

/// A Marketo connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type MarketoConnectorProfile = ConnectorProfile<MarketoSettings>;

impl ConnectorProfile<MarketoSettings> {
    /// A profile the stack creates for the Marketo instance at `instance_url`; give it its
    /// credentials with [`MarketoConnectorProfile::client_credentials_grant`].
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let profile = MarketoConnectorProfile::new("marketing", "https://123-ABC-456.mktorest.com")
    ///     .client_credentials_grant(SecretRef::named("marketo-app"));
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(name: impl Into<String>, instance_url: impl Into<Text>) -> Self {
        ConnectorProfile::owned(name, MarketoSettings(InstanceOAuth::new(instance_url)))
    }

    /// Authenticates as the API service whose `clientId` and `clientSecret` are in
    /// `client_secret` (TOML `oauth.client-secret`).
    pub fn client_credentials_grant(self, client_secret: impl Into<SecretRef>) -> Self {
        let client = OAuthClient::from_secret(client_secret);
        self.configure(|settings| settings.0.client = Some(client))
    }

    /// Starts with this access token (TOML `oauth.access-token`).
    pub fn access_token(self, access_token: Credential) -> Self {
        self.configure(|settings| settings.0.access_token = Some(access_token))
    }
}

/// Reads a Marketo object, e.g. `leads`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketoSource(pub(crate) ObjectSource);

impl MarketoSource {
    /// Reads `object` through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = MarketoSource::new(ProfileRef::named("marketing"), "leads");
    /// # let _ = source;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        MarketoSource(ObjectSource::new(profile, object))
    }
}

/// Writes to a Marketo object (AppFlow imports the records in bulk; CloudFormation has no
/// setting for how).
#[derive(Debug, Clone, PartialEq)]
pub struct MarketoDestination {
    pub(crate) profile: ProfileRef,
    pub(crate) object: Text,
    pub(crate) error_handling: Option<ErrorHandling>,
}

impl MarketoDestination {
    /// Writes to `object` through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let destination = MarketoDestination::new(ProfileRef::named("marketing"), "leads");
    /// # let _ = destination;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        MarketoDestination {
            profile: profile.into(),
            object: object.into(),
            error_handling: None,
        }
    }

    /// Where failed records go.
    pub fn error_handling(mut self, error_handling: ErrorHandling) -> Self {
        self.error_handling = Some(error_handling);
        self
    }
}

/// A warning only a Marketo profile has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum MarketoWarning {
    /// An instance URL not of the `https://<Munchkin ID>.mktorest.com` form.
    #[error("instance URL `{url}` is not a `https://<Munchkin ID>.mktorest.com` URL")]
    #[diagnostic(
        code(flowform::marketo::unusual_instance_url),
        severity(Warning),
        help(
            "AppFlow connects to the instance's REST endpoint, such as `https://123-ABC-456.mktorest.com` (Admin → Web Services shows it); check this is yours"
        )
    )]
    UnusualInstanceUrl {
        /// The URL.
        url: String,
    },
}

impl crate::model::Label for MarketoWarning {}

// ---------------------------------------------------------------------------------------
// Lowering

impl Lower for MarketoDestination {
    const CONNECTOR: ConnectorType = ConnectorType::Marketo;
    type Toml = TomlMarketoDestination;

    fn lower(lowerer: &mut Lowerer, at: &At, mk: &TomlMarketoDestination) -> Option<Self> {
        let profile = lowerer.string(&at.key("profile"), &mk.profile);
        let object = lowerer.text(&at.key("object"), &mk.object);
        let mut model = MarketoDestination::new(ProfileRef::named(profile), object);
        model.error_handling = TomlErrorHandling::lower(lowerer, &at.key("error-handling"), &mk.error_handling);
        Some(model)
    }
}

// ---------------------------------------------------------------------------------------
// Checks and synthesis

instance_oauth_profile! {
    MarketoSettings: Marketo, marketo = (MarketoConnectorProfileProperties, MarketoConnectorProfileCredentials),
    "https://<Munchkin ID>.mktorest.com",
    check_profile
}

/// The connector's own rules for a profile it creates.
fn check_profile(settings: &MarketoSettings, checker: &mut Checker<'_>, path: &Path) {
    let example = "https://123-ABC-456.mktorest.com";
    if let Some(host) = settings.0.check_url(checker, path, example) {
        // A Munchkin ID is three digits, three letters and three digits (Adobe's
        // example endpoint is `https://284-RPR-133.mktorest.com`).
        let munchkin = host.strip_suffix(".mktorest.com").unwrap_or_default();
        let parts: Vec<&str> = munchkin.split('-').collect();
        let munchkin_like = parts.len() == 3
            && parts.iter().all(|part| part.len() == 3)
            && parts[0].chars().chain(parts[2].chars()).all(|c| c.is_ascii_digit())
            && parts[1].chars().all(|c| c.is_ascii_alphabetic());
        if !munchkin_like {
            checker.warn(
                path.key("instance-url"),
                MarketoWarning::UnusualInstanceUrl {
                    url: settings.0.instance_url.literal().unwrap_or_default().to_owned(),
                }
                .into(),
            );
        }
    }
}

object_source! { MarketoSource: Marketo, marketo = MarketoSourceProperties, OBJECT, |_, _, _, _| {}, RULES }

impl DestinationConnector for MarketoDestination {
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
    }

    fn synthesize(&self, synth: &Synth<'_>) -> DestinationConnectorProperties {
        DestinationConnectorProperties {
            marketo: Some(Box::new(MarketoDestinationProperties {
                error_handling_config: ErrorHandling::synthesize(&self.error_handling, synth),
                object: synth.text(&self.object),
            })),
            ..DestinationConnectorProperties::default()
        }
    }
}
