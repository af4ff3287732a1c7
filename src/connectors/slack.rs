//! Slack: a source (an object of the workspace) and an OAuth connector profile.
//!
//! What AWS documents, and what flowform enforces (evidence in each item's comment):
//! - source only: the flow schema has `SlackSourceProperties` and no Slack destination,
//!   and no change events, so no event-triggered flows (flow-triggers: event flows are
//!   "available only for SaaS applications that provide change events");
//! - profile: `InstanceUrl` ("the location of the Slack resource", AppFlow API reference,
//!   SlackConnectorProfileProperties) and `ClientId` + `ClientSecret` (schema-required),
//!   and the access token, which the schema leaves optional but CloudFormation needs:
//!   "connectors that implement OAuth (such as [...] Slack [...]), you must fetch the
//!   access and refresh tokens" (AWS::AppFlow::ConnectorProfile);
//! - filters and tasks: the schema's `SlackConnectorOperator` (`BETWEEN` and `EQUAL_TO` as
//!   its only comparisons); the shared operator check applies it from the generated facts.
//!
//! Added by following the README's "Adding a connector" alone: this module, its lines in
//! the registry, an example and a UI case.

use miette::Diagnostic;
use thiserror::Error;

use crate::model::validate::Checker;
use crate::model::{Path, ProfileRef, Text};

use super::common::{
    ClientAndTokenSettings, ConnectorProfile, InstanceOAuth, ObjectSource, ObjectWords, instance_oauth_profile,
    object_source,
};

/// How messages name Slack objects.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Slack object",
    help: "name the object as AppFlow lists it for the workspace",
    what: "Slack object",
    allowed: "object names have no spaces",
};

// ---------------------------------------------------------------------------------------
// Model

/// The Slack settings of a connector profile the stack creates: its workspace URL and
/// OAuth client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlackSettings(pub(crate) InstanceOAuth);

/// A Slack connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type SlackConnectorProfile = ConnectorProfile<SlackSettings>;

impl ClientAndTokenSettings for SlackSettings {
    fn instance_oauth_mut(&mut self) -> &mut InstanceOAuth {
        &mut self.0
    }
}

impl ConnectorProfile<SlackSettings> {
    /// A profile the stack creates for the Slack workspace at `instance_url`; give it its
    /// credentials with [`SlackConnectorProfile::oauth`].
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let app = SecretRef::named("slack-app");
    /// let profile = SlackConnectorProfile::new("chat", "https://acme.slack.com")
    ///     .oauth(&app, Credential::secret(&app, "accessToken"));
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(name: impl Into<String>, instance_url: impl Into<Text>) -> Self {
        ConnectorProfile::owned(name, SlackSettings(InstanceOAuth::new(instance_url)))
    }
}

/// Reads a Slack object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlackSource(pub(crate) ObjectSource);

impl SlackSource {
    /// Reads `object` through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = SlackSource::new(ProfileRef::named("chat"), "conversations");
    /// # let _ = source;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        SlackSource(ObjectSource::new(profile, object))
    }
}

/// An error only a Slack profile has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum SlackError {
    /// A created profile without its access token.
    #[error("a Slack profile needs an access token")]
    #[diagnostic(
        code(flowform::slack::missing_access_token),
        help(
            "add `oauth.access-token = {{ secret = \"...\", key = \"accessToken\" }}` (or a parameter): through CloudFormation AppFlow cannot run the OAuth authorization itself, \"you must fetch the access and refresh tokens\" (AWS::AppFlow::ConnectorProfile); or create the profile in the AppFlow console and `import` it"
        )
    )]
    MissingAccessToken,
}

impl crate::model::Label for SlackError {}

// ---------------------------------------------------------------------------------------
// Checks and synthesis

instance_oauth_profile! {
    SlackSettings: Slack, slack = (SlackConnectorProfileProperties, SlackConnectorProfileCredentials),
    "https://<workspace>.slack.com",
    check_profile
}

/// The connector's own rules for a profile it creates.
fn check_profile(settings: &SlackSettings, checker: &mut Checker<'_>, path: &Path) {
    settings.0.check_url(checker, path, "https://acme.slack.com");
    if settings.0.client.is_some() && settings.0.access_token.is_none() {
        checker.error(path.key("oauth"), SlackError::MissingAccessToken.into());
    }
}

object_source! { SlackSource: Slack, slack = SlackSourceProperties, OBJECT, |_, _, _, _| {} }
