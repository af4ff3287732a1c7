//! Google Analytics (Universal Analytics): a source (a report of a view) and an OAuth
//! profile. AppFlow user guide, "Google Analytics"
//! (<https://docs.aws.amazon.com/appflow/latest/userguide/google-analytics.html>).
//!
//! What AWS documents, and what flowform enforces:
//! - retired upstream: "The Google Analytics connector transfers data only from Universal
//!   Analytics properties. If you want to transfer data from Google Analytics 4 properties
//!   instead, use the Google Analytics 4 connector", and "In time, Google Analytics will end
//!   support for Universal Analytics properties". Google stopped processing standard
//!   Universal Analytics properties on 2023-07-01 and 360 properties on 2024-07-01
//!   (Google Analytics Help, "Universal Analytics is going away"; AWS has published no
//!   notice for the connector). The profile is emitted as the schema has it, with a warning;
//! - source only: "You can use Google Analytics as a source only"; no change events, so no
//!   event-triggered flows; "a maximum frequency of one flow run per day" (the shared
//!   `SourceRules` check);
//! - profile: `ClientId` and `ClientSecret` (schema-required), and the tokens: through
//!   CloudFormation "you must fetch the access and refresh tokens" for OAuth connectors
//!   "such as [...] Google Analytics" (AWS::AppFlow::ConnectorProfile),
//!   so `oauth` takes an access token and a refresh token; there are no profile properties
//!   in the schema, so the profile writes `ConnectorProfileProperties: {}`;
//! - filters and tasks: the schema's `GoogleAnalyticsConnectorOperator` is `PROJECTION` and
//!   `BETWEEN` alone, so no field can be mapped (`NO_OP`): the shared operator check refuses
//!   such a flow, and the README says to create its flows in the
//!   console; not checked either: "9 dimension and 10 metrics" per run, JSON files only in
//!   S3.

use miette::Diagnostic;
use thiserror::Error;

use crate::cfn::generated::connector_profile::{
    ConnectorProfileCredentials, ConnectorProfileProperties, GoogleAnalyticsConnectorProfileCredentials,
};
use crate::input::lower::{At, Lowerer};
use crate::input::raw::Sp;
use crate::model::validate::Checker;
use crate::model::{Credential, Path, ProfileRef, Text};
use crate::synth::Synth;

use super::common::{
    self, ConnectorProfile, OAuthTokens, ObjectSource, ObjectWords, ProfileKeys, TomlOAuthTokens, object_source,
};
use super::{ConnectorType, LowerProfile, ProfileConnector, SourceRules};

/// How messages name Google Analytics objects.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Google Analytics object",
    help: "name the report as AppFlow lists it for the account",
    what: "Google Analytics object",
    allowed: "object names have no spaces",
};

/// What the guide allows a flow from Google Analytics: one scheduled run a day.
const RULES: SourceRules = SourceRules::named("Google Analytics").at_most_every(86_400);

// ---------------------------------------------------------------------------------------
// Model

/// The Google Analytics settings of a connector profile the stack creates: an OAuth client
/// with its tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoogleAnalyticsSettings {
    pub(crate) oauth: Option<OAuthTokens>,
}

/// A Google Analytics connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type GoogleAnalyticsConnectorProfile = ConnectorProfile<GoogleAnalyticsSettings>;

impl ConnectorProfile<GoogleAnalyticsSettings> {
    /// A profile the stack creates; give it its OAuth client with
    /// [`oauth`](ConnectorProfile::oauth).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let app = SecretRef::named("ga-app");
    /// let profile = GoogleAnalyticsConnectorProfile::new("analytics")
    ///     .oauth(OAuthTokens::new(&app, Credential::secret(&app, "accessToken")).refresh_token(Credential::secret(&app, "refreshToken")));
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        ConnectorProfile::owned(name, GoogleAnalyticsSettings::default())
    }

    /// Signs in as an OAuth client with its tokens (TOML `oauth`).
    pub fn oauth(self, tokens: OAuthTokens) -> Self {
        self.configure(|settings| settings.oauth = Some(tokens))
    }
}

/// Reads a Google Analytics (Universal Analytics) report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoogleAnalyticsSource(pub(crate) ObjectSource);

impl GoogleAnalyticsSource {
    /// Reads `object` through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = GoogleAnalyticsSource::new(ProfileRef::named("analytics"), "reports");
    /// # let _ = source;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        GoogleAnalyticsSource(ObjectSource::new(profile, object))
    }
}

object_source! { GoogleAnalyticsSource: Googleanalytics, google_analytics = GoogleAnalyticsSourceProperties, OBJECT, |_, _, _, _| {}, RULES }

// ---------------------------------------------------------------------------------------
// TOML

/// `[profile.<name>.googleanalytics]`.
#[derive(Debug, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlGoogleAnalyticsProfile {
    /// An existing profile, by name or ARN; no other key may be set then.
    pub import: Option<Sp<String>>,
    /// The KMS key (a `[key.<name>]`) the profile's credentials are encrypted with.
    pub key: Option<Sp<String>>,
    /// The physical profile name (default `<stack>-<name>`).
    pub profile_name: Option<Sp<String>>,
    /// Connect through AWS PrivateLink (`ConnectionMode: Private`), for the connectors
    /// AppFlow integrates with it.
    pub private: Option<Sp<bool>>,
    /// OAuth: `client-secret`, `access-token` and `refresh-token`.
    pub oauth: Option<Sp<TomlOAuthTokens>>,
}

impl LowerProfile for ConnectorProfile<GoogleAnalyticsSettings> {
    const CONNECTOR: ConnectorType = ConnectorType::Googleanalytics;
    type Toml = TomlGoogleAnalyticsProfile;

    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<TomlGoogleAnalyticsProfile>) -> Option<Self> {
        let table = raw.get();
        let keys = ProfileKeys {
            import: &table.import,
            key: &table.key,
            profile_name: &table.profile_name,
            private: &table.private,
        };
        common::lower_profile(lowerer, name, at, raw.span(), keys, table.oauth.is_some(), |lowerer| {
            let oauth = table
                .oauth
                .as_ref()
                .and_then(|oauth| TomlOAuthTokens::lower(oauth, lowerer, name, &at.key("oauth"), "Google Analytics"));
            Some(ConnectorProfile::owned(name, GoogleAnalyticsSettings { oauth }))
        })
    }
}

// ---------------------------------------------------------------------------------------
// Checks and synthesis

impl ProfileConnector for GoogleAnalyticsSettings {
    fn has_credentials(&self) -> bool {
        self.oauth.is_some()
    }

    fn credential_ways(&self) -> &'static str {
        "`oauth = { client-secret, access-token, refresh-token }`"
    }

    fn credentials(&self) -> Vec<(&'static [&'static str], &Credential)> {
        self.oauth.as_ref().map(OAuthTokens::credentials).unwrap_or_default()
    }

    fn check(&self, checker: &mut Checker<'_>, path: &Path) {
        checker.warn(path.clone(), GoogleAnalyticsWarning::UniversalAnalyticsRetired.into());
    }

    fn synthesize(
        &self,
        synth: &mut Synth<'_>,
        _profile: &str,
    ) -> (ConnectorProfileProperties, ConnectorProfileCredentials) {
        // Validation reports a profile without credentials before synthesis runs.
        let credentials = self.oauth.as_ref().map(|oauth| {
            let (client_id, client_secret, access_token, refresh_token) = oauth.synthesize(synth);
            GoogleAnalyticsConnectorProfileCredentials {
                access_token: Some(access_token),
                client_id,
                client_secret,
                connector_oauth_request: None,
                refresh_token,
            }
        });
        (
            // No Google Analytics entry in the schema's properties; the API requires the member.
            ConnectorProfileProperties::default(),
            ConnectorProfileCredentials {
                google_analytics: credentials.map(Box::new),
                ..ConnectorProfileCredentials::default()
            },
        )
    }
}

/// A warning only a Google Analytics profile has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum GoogleAnalyticsWarning {
    /// The connector reads Universal Analytics, which Google has shut down.
    #[error("the Google Analytics connector reads Universal Analytics, which Google has shut down")]
    #[diagnostic(
        code(flowform::googleanalytics::universal_analytics_retired),
        severity(Warning),
        help(
            "Google stopped processing Universal Analytics properties on 2023-07-01 (360 properties on 2024-07-01), so this profile is likely to find no data; AppFlow's guide: \"If you want to transfer data from Google Analytics 4 properties instead, use the Google Analytics 4 connector\" (a custom connector in AppFlow)"
        )
    )]
    UniversalAnalyticsRetired,
}

impl crate::model::Label for GoogleAnalyticsWarning {}
