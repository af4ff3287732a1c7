//! ServiceNow: a source (a table of the instance) and a profile of the instance URL with
//! basic authentication or an OAuth client. AppFlow user guide, "ServiceNow"
//! (<https://docs.aws.amazon.com/appflow/latest/userguide/servicenow.html>).
//!
//! What AWS documents, and what flowform enforces:
//! - source only: "You can use ServiceNow as a source only"; "You can run your flows either
//!   on demand, or on schedule", so no event-triggered flows; "a maximum frequency of one
//!   flow run per minute", AppFlow's own floor;
//! - profile: "either Basic Auth or OAuth2 authentication … If you choose Basic Auth,
//!   you'll need to provide your username, password, and Instance URL. If you choose
//!   OAuth2, you'll need to provide your Client ID, Client secret, and Instance URL". The
//!   schema makes none of `Username`, `Password` and `OAuth2Credentials` required, so
//!   flowform requires exactly one way. Through CloudFormation an OAuth profile needs its
//!   tokens ("you must fetch the access and refresh tokens", AWS::AppFlow::ConnectorProfile),
//!   so `oauth` takes an access token, and a refresh token to renew it;
//! - instance URL: AWS's CloudFormation example connects to
//!   `https://<instance-name>.service-now.com` ("Create a flow using AWS CloudFormation
//!   resources", AppFlow user guide), so another form is a warning;
//! - not checked, because nothing in the file says it: "ServiceNow can process up to 100,000
//!   records as part of a single flow run"; an incremental flow reads `sys_updated_on`
//!   (both in the README);
//! - filters: the schema's `ServiceNowConnectorOperator`, applied by the shared operator
//!   check from the generated facts.

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::cfn::Expr;
use crate::cfn::generated::connector_profile::{
    ConnectorProfileCredentials, ConnectorProfileProperties, OAuth2Credentials, ServiceNowConnectorProfileCredentials,
    ServiceNowConnectorProfileProperties,
};
use crate::input::InputError;
use crate::input::lower::{At, Lowerer};
use crate::input::raw::{Sp, TomlText};
use crate::model::validate::Checker;
use crate::model::{Credential, Path, ProfileRef, Text};
use crate::synth::Synth;

use super::common::{
    self, BasicAuth, ConnectorProfile, OAuthTokens, ObjectSource, ObjectWords, ProfileKeys, TomlBasicAuth,
    TomlOAuthTokens, object_source,
};
use super::{ConnectorType, LowerProfile, ProfileConnector, SourceRules};

/// How messages name ServiceNow tables.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the ServiceNow table",
    help: "name the table, e.g. `incident`",
    what: "ServiceNow table",
    allowed: "table names have no spaces, e.g. `incident`",
};

/// The instance URL's form in messages.
const URL_EXAMPLE: &str = "https://acme.service-now.com";

/// The two ways, as messages name them.
const WAYS: &str = "`basic = { username, password }`, or `oauth = { client-secret, access-token, refresh-token }`";

// ---------------------------------------------------------------------------------------
// Model

/// How AppFlow signs in to ServiceNow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceNowAuth {
    /// A user name and password.
    Basic(BasicAuth),
    /// An OAuth client, with the tokens CloudFormation needs.
    OAuth(OAuthTokens),
}

/// The ServiceNow settings of a connector profile the stack creates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceNowSettings {
    pub(crate) instance_url: Text,
    pub(crate) auth: Option<ServiceNowAuth>,
}

/// A ServiceNow connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type ServiceNowConnectorProfile = ConnectorProfile<ServiceNowSettings>;

impl ConnectorProfile<ServiceNowSettings> {
    /// A profile the stack creates for the instance at `instance_url`; give it its
    /// credentials with [`basic`](ConnectorProfile::basic) or
    /// [`oauth`](ConnectorProfile::oauth).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let user = SecretRef::named("snow-user");
    /// let basic = ServiceNowConnectorProfile::new("itsm", "https://acme.service-now.com")
    ///     .basic(Credential::secret(&user, "username"), Credential::secret(&user, "password"));
    /// let app = SecretRef::named("snow-app");
    /// let tokens = OAuthTokens::new(&app, Credential::secret(&app, "accessToken"))
    ///     .refresh_token(Credential::secret(&app, "refreshToken"));
    /// let oauth = ServiceNowConnectorProfile::new("itsm", "https://acme.service-now.com").oauth(tokens);
    /// assert!(basic.is_owned() && oauth.is_owned());
    /// ```
    pub fn new(name: impl Into<String>, instance_url: impl Into<Text>) -> Self {
        let settings = ServiceNowSettings {
            instance_url: instance_url.into(),
            auth: None,
        };
        ConnectorProfile::owned(name, settings)
    }

    /// Signs in with a user name and password (TOML `basic`).
    pub fn basic(self, username: Credential, password: Credential) -> Self {
        self.configure(|settings| settings.auth = Some(ServiceNowAuth::Basic(BasicAuth::new(username, password))))
    }

    /// Signs in as an OAuth client with its tokens (TOML `oauth`).
    pub fn oauth(self, tokens: OAuthTokens) -> Self {
        self.configure(|settings| settings.auth = Some(ServiceNowAuth::OAuth(tokens)))
    }
}

/// Reads a ServiceNow table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceNowSource(pub(crate) ObjectSource);

impl ServiceNowSource {
    /// Reads the table `object` through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = ServiceNowSource::new(ProfileRef::named("itsm"), "incident");
    /// # let _ = source;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        ServiceNowSource(ObjectSource::new(profile, object))
    }
}

object_source! {
    ServiceNowSource: Servicenow, service_now = ServiceNowSourceProperties, OBJECT, |_, _, _, _| {}, SourceRules::named("ServiceNow")
}

// ---------------------------------------------------------------------------------------
// TOML

/// `[profile.<name>.servicenow]`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlServiceNowProfile {
    /// An existing profile, by name or ARN; no other key may be set then.
    pub import: Option<Sp<String>>,
    /// The instance's URL, e.g. `https://acme.service-now.com`, or a reference to it.
    #[cfg_attr(feature = "schema", schemars(extend("pattern" = r"^https://\S+$", "maxLength" = 256)))]
    pub instance_url: Option<Sp<TomlText>>,
    /// The KMS key (a `[key.<name>]`) the profile's credentials are encrypted with.
    pub key: Option<Sp<String>>,
    /// The physical profile name (default `<stack>-<name>`).
    pub profile_name: Option<Sp<String>>,
    /// Connect through AWS PrivateLink (`ConnectionMode: Private`), for the connectors
    /// AppFlow integrates with it.
    pub private: Option<Sp<bool>>,
    /// Basic authentication: `username` and `password`.
    pub basic: Option<Sp<TomlBasicAuth>>,
    /// OAuth: `client-secret`, `access-token` and `refresh-token`.
    pub oauth: Option<Sp<TomlOAuthTokens>>,
}

impl LowerProfile for ConnectorProfile<ServiceNowSettings> {
    const CONNECTOR: ConnectorType = ConnectorType::Servicenow;
    type Toml = TomlServiceNowProfile;

    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<TomlServiceNowProfile>) -> Option<Self> {
        let table = raw.get();
        let keys = ProfileKeys {
            import: &table.import,
            key: &table.key,
            profile_name: &table.profile_name,
            private: &table.private,
        };
        let others = table.instance_url.is_some() || table.basic.is_some() || table.oauth.is_some();
        common::lower_profile(lowerer, name, at, raw.span(), keys, others, |lowerer| {
            let Some(url) = &table.instance_url else {
                lowerer.error(InputError::MissingInstanceUrl { example: URL_EXAMPLE }, raw.span());
                return None;
            };
            let mut settings = ServiceNowSettings {
                instance_url: lowerer.text(&at.key("instance-url"), url),
                auth: None,
            };
            match (&table.basic, &table.oauth) {
                (Some(_), Some(_)) => {
                    let ways = "basic or OAuth";
                    lowerer.error(InputError::ConflictingGrants { ways, grants: WAYS }, raw.span());
                    return None;
                }
                (Some(basic), None) => {
                    settings.auth =
                        TomlBasicAuth::lower(basic, lowerer, name, &at.key("basic")).map(ServiceNowAuth::Basic);
                }
                (None, Some(oauth)) => {
                    let tokens = TomlOAuthTokens::lower(oauth, lowerer, name, &at.key("oauth"), "ServiceNow");
                    settings.auth = tokens.map(ServiceNowAuth::OAuth);
                }
                // Validation reports the profile without credentials.
                (None, None) => {}
            }
            Some(ConnectorProfile::owned(name, settings))
        })
    }
}

// ---------------------------------------------------------------------------------------
// Checks and synthesis

impl ProfileConnector for ServiceNowSettings {
    fn has_credentials(&self) -> bool {
        self.auth.is_some()
    }

    fn credential_ways(&self) -> &'static str {
        WAYS
    }

    fn credentials(&self) -> Vec<(&'static [&'static str], &Credential)> {
        match &self.auth {
            None => Vec::new(),
            Some(ServiceNowAuth::Basic(basic)) => basic.credentials().to_vec(),
            Some(ServiceNowAuth::OAuth(tokens)) => tokens.credentials(),
        }
    }

    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        vec![(&["instance-url"], &self.instance_url)]
    }

    fn check(&self, checker: &mut Checker<'_>, path: &Path) {
        let Some(url) = self.instance_url.literal() else {
            return;
        };
        if let Some(host) = common::check_instance_url(checker, &path.key("instance-url"), url, URL_EXAMPLE)
            && !host.ends_with(".service-now.com")
        {
            let warning = ServiceNowWarning::UnusualInstanceUrl { url: url.to_owned() };
            checker.warn(path.key("instance-url"), warning.into());
        }
    }

    fn synthesize(
        &self,
        synth: &mut Synth<'_>,
        _profile: &str,
    ) -> (ConnectorProfileProperties, ConnectorProfileCredentials) {
        let properties = ServiceNowConnectorProfileProperties {
            instance_url: synth.text(&self.instance_url),
        };
        let mut credentials = ServiceNowConnectorProfileCredentials {
            oauth2_credentials: None,
            password: None,
            username: None,
        };
        match &self.auth {
            Some(ServiceNowAuth::Basic(basic)) => {
                credentials.username = Some(synth.credential(&basic.username));
                credentials.password = Some(synth.credential(&basic.password));
            }
            Some(ServiceNowAuth::OAuth(tokens)) => {
                let (client_id, client_secret, access_token, refresh_token) = tokens.synthesize(synth);
                credentials.oauth2_credentials = Some(OAuth2Credentials {
                    access_token: Some(access_token),
                    client_id: Some(client_id),
                    client_secret: Some(client_secret),
                    oauth_request: None,
                    refresh_token,
                });
            }
            // Validation reports a profile without credentials before synthesis runs.
            None => credentials.username = Some(Expr::no_value()),
        }
        (
            ConnectorProfileProperties {
                service_now: Some(Box::new(properties)),
                ..ConnectorProfileProperties::default()
            },
            ConnectorProfileCredentials {
                service_now: Some(Box::new(credentials)),
                ..ConnectorProfileCredentials::default()
            },
        )
    }
}

// ---------------------------------------------------------------------------------------
// Diagnostics

/// A warning only a ServiceNow profile has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum ServiceNowWarning {
    /// An instance URL not of the `https://<instance>.service-now.com` form.
    #[error("instance URL `{url}` is not a `https://<instance>.service-now.com` URL")]
    #[diagnostic(
        code(flowform::servicenow::unusual_instance_url),
        severity(Warning),
        help(
            "AWS's example connects to `https://<instance-name>.service-now.com` (AppFlow user guide, \"Create a flow using AWS CloudFormation resources\"): check this is your instance"
        )
    )]
    UnusualInstanceUrl {
        /// The URL.
        url: String,
    },
}

impl crate::model::Label for ServiceNowWarning {}
