//! Custom connectors: AppFlow's newer managed connectors (HubSpot, Google Analytics 4,
//! JDBC, ... written `ConnectorType: CustomConnector` with a `ConnectorLabel`) and the
//! connectors a team builds with the Custom Connector SDK and registers
//! ([`registration`]). One generic source, destination and profile hold everything the
//! schema has for them; [`presets`] are thin typed layers over them for the managed
//! connectors the reference library covers.
//!
//! What AWS documents, and what flowform enforces (evidence in each item's comment):
//! - the profile names its connector by label, `ConnectorLabel` ("The label of the
//!   connector. The label is unique for each ConnectorRegistration in your AWS account.
//!   Only needed if calling for CUSTOMCONNECTOR connector type",
//!   AWS::AppFlow::ConnectorProfile); the flow's `SourceFlowConfig` and
//!   `DestinationFlowConfig` carry `CustomConnector` and the profile's name only (the
//!   reference library's templates, APPFLOW.md §1.1);
//! - authentication: `CustomConnectorProfileCredentials.AuthenticationType` is `OAUTH2`,
//!   `APIKEY`, `BASIC` or `CUSTOM`, each with its own credentials object (`Oauth2`,
//!   `ApiKey`, `Basic`, `Custom`); `OAUTH2` also writes `OAuth2Properties` (grant type,
//!   token URL, token URL custom properties) among the profile's properties;
//! - OAuth through CloudFormation: AppFlow cannot run the authorization itself, so an
//!   authorization-code profile needs an access token (a stale one is renewed with the
//!   refresh token: DEPLOY-TIME.md #2) or an authorization code to exchange
//!   (`OAuthRequest`); flowform never writes a placeholder token (the reference
//!   library's `dummyAccessToken`, APPFLOW.md §7.4);
//! - the source's `ApiVersion` is `SourceFlowConfig.ApiVersion`, which AppFlow reads for
//!   custom connectors (DEPLOY-TIME.md #8), and the destination's
//!   `DestinationFlowConfig.ApiVersion`;
//! - filters and other tasks: the schema's `CustomConnector` operator set, applied by the
//!   shared operator check from the generated facts.

pub mod presets;
pub mod registration;
/// `flowform import`: the `custom = { ... }` source table of these `CustomConnector`
/// source properties (entity, properties, data transfer API; the flow's API version).
#[cfg(feature = "deploy")]
pub(crate) fn import_source(
    properties: &serde_json::Value,
    api_version: Option<&str>,
    profile: &str,
    context: &mut dyn crate::connectors::import::ImportContext,
) -> Option<String> {
    use crate::connectors::import::{kebab, quoted, table, text};
    let mut keys = import_entity(properties, profile, context)?;
    if let Some(version) = api_version {
        keys.push(format!("api-version = {}", quoted(version)));
    }
    let api = &properties["dataTransferApi"];
    if let (Some(name), Some(kind)) = (text(api, "Name"), text(api, "Type")) {
        keys.push(format!(
            "data-transfer-api = {{ name = {}, type = {} }}",
            quoted(name),
            quoted(&kebab(kind))
        ));
    }
    Some(table("custom", &keys))
}

/// `flowform import`: the `custom = { ... }` destination table of these `CustomConnector`
/// destination properties.
#[cfg(feature = "deploy")]
pub(crate) fn import_destination(
    properties: &serde_json::Value,
    profile: &str,
    context: &mut dyn crate::connectors::import::ImportContext,
) -> Option<String> {
    use crate::connectors::import::{error_handling, table, write_operation};
    let mut keys = import_entity(properties, profile, context)?;
    keys.extend(write_operation(properties));
    keys.extend(error_handling(&properties["errorHandlingConfig"], context));
    Some(table("custom", &keys))
}

/// `profile`, `entity` and `properties` of a custom connector's side.
#[cfg(feature = "deploy")]
fn import_entity(
    properties: &serde_json::Value,
    profile: &str,
    context: &mut dyn crate::connectors::import::ImportContext,
) -> Option<Vec<String>> {
    use crate::connectors::import::{quoted, text};
    let mut keys = vec![
        format!("profile = {}", quoted(&context.profile(profile, "custom"))),
        format!("entity = {}", quoted(text(properties, "entityName")?)),
    ];
    if let Some(custom) = properties["customProperties"]
        .as_object()
        .filter(|custom| !custom.is_empty())
    {
        let entries: Vec<String> = custom
            .iter()
            .map(|(key, value)| format!("{} = {}", quoted(key), quoted(value.as_str().unwrap_or_default())))
            .collect();
        keys.push(format!("properties = {{ {} }}", entries.join(", ")));
    }
    Some(keys)
}

#[cfg(test)]
mod testing;

use std::collections::BTreeMap;

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::cfn::Expr;
use crate::cfn::generated::connector_profile::{
    self as cp, ApiKeyCredentials, BasicAuthCredentials, ConnectorOAuthRequest, ConnectorProfileCredentials,
    ConnectorProfileProperties, CustomAuthCredentials, CustomConnectorProfileCredentials,
    CustomConnectorProfileProperties, OAuth2Credentials, OAuth2GrantType, OAuth2Properties,
};
use crate::cfn::generated::flow::{
    CustomConnectorDestinationProperties, CustomConnectorSourceProperties,
    CustomConnectorSourcePropertiesDataTransferApi, CustomConnectorSourcePropertiesDataTransferApiType,
    DestinationConnectorProperties, SourceConnectorProperties,
};
use crate::cfn::{Limits, generated::flow};
use crate::input::InputError;
use crate::input::lower::{At, Lowerer};
use crate::input::raw::{Sp, TomlCredential, TomlText};
use crate::model::validate::Checker;
use crate::model::{AnyFlow, Credential, ErrorKind, Path, ProfileRef, SecretRef, Text};
use crate::synth::Synth;

use super::common::{
    self, BasicAuth, ConnectorProfile, ErrorHandling, OAuthClient, ProfileKeys, TomlBasicAuth, TomlErrorHandling,
    TomlWriteOperation, WriteOperation,
};
use super::{
    BucketUse, ConnectorType, DestinationConnector, Lower, LowerProfile, Profile, ProfileConnector, SourceConnector,
    SourceRules,
};

/// The authentication types, as messages name their keys.
const WAYS: &str = "`oauth2 = { ... }`, `api-key = { key, secret-key }`, `basic = { username, password }` or `custom = { type, credentials }`";

// ---------------------------------------------------------------------------------------
// Presets' descriptor

/// What a preset fixes of the generic connector: how the file and messages name it, and
/// the label AppFlow knows it by.
#[derive(Debug, PartialEq, Eq)]
pub struct Preset {
    /// Its TOML key (`[profile.<name>.<key>]`, `source.<key>`), e.g. `hubspot`.
    pub key: &'static str,
    /// The `ConnectorLabel` of AppFlow's managed connector, e.g. `HubSpot`.
    pub label: &'static str,
    /// The connector as AWS's connector list names it, for messages.
    pub name: &'static str,
}

// ---------------------------------------------------------------------------------------
// Model: the profile

/// Which connector a custom profile uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectorLabel {
    /// A connector AppFlow manages (or one registered outside this file), by its label,
    /// e.g. `HubSpot` (TOML `label`).
    Managed(String),
    /// A connector this file registers, by its `[connector.<name>]` name (TOML `connector`).
    Registered(String),
}

/// The OAuth 2.0 grant a custom connector's profile uses (`OAuth2GrantType`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum GrantType {
    /// Authorization code: the user signed in once; the profile carries the tokens (or the
    /// code) that sign-in gave.
    #[default]
    AuthorizationCode,
    /// Client credentials: AppFlow asks the token URL for a token with the client's ID and
    /// secret.
    ClientCredentials,
    /// JWT bearer.
    JwtBearer,
}

impl From<GrantType> for OAuth2GrantType {
    fn from(grant: GrantType) -> Self {
        match grant {
            GrantType::AuthorizationCode => OAuth2GrantType::AuthorizationCode,
            GrantType::ClientCredentials => OAuth2GrantType::ClientCredentials,
            GrantType::JwtBearer => OAuth2GrantType::JwtBearer,
        }
    }
}

/// OAuth 2.0 settings and credentials of a custom connector's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OAuth2 {
    pub(crate) grant: GrantType,
    pub(crate) client: Option<OAuthClient>,
    pub(crate) access_token: Option<Credential>,
    pub(crate) refresh_token: Option<Credential>,
    pub(crate) auth_code: Option<Credential>,
    pub(crate) redirect_uri: Option<Text>,
    pub(crate) token_url: Option<Text>,
    pub(crate) token_url_properties: BTreeMap<String, Text>,
}

impl OAuth2 {
    /// The authorization-code grant: give it the tokens the sign-in returned.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let app = SecretRef::named("zoom-app");
    /// let oauth = OAuth2::authorization_code()
    ///     .client(&app)
    ///     .access_token(Credential::secret(&app, "accessToken"))
    ///     .refresh_token(Credential::secret(&app, "refreshToken"))
    ///     .token_url("https://zoom.us/oauth/token");
    /// # let _ = oauth;
    /// ```
    pub fn authorization_code() -> Self {
        OAuth2::default()
    }

    /// The client-credentials grant: AppFlow gets tokens from `token_url` with the client
    /// whose `clientId` and `clientSecret` are in `client_secret`.
    pub fn client_credentials(client_secret: impl Into<SecretRef>, token_url: impl Into<Text>) -> Self {
        OAuth2 {
            grant: GrantType::ClientCredentials,
            client: Some(OAuthClient::from_secret(client_secret)),
            token_url: Some(token_url.into()),
            ..OAuth2::default()
        }
    }

    /// The JWT-bearer grant.
    pub fn jwt_bearer() -> Self {
        OAuth2 {
            grant: GrantType::JwtBearer,
            ..OAuth2::default()
        }
    }

    /// The OAuth client whose `clientId` and `clientSecret` are in `secret` (TOML
    /// `client-secret`).
    pub fn client(mut self, secret: impl Into<SecretRef>) -> Self {
        self.client = Some(OAuthClient::from_secret(secret));
        self
    }

    /// The access token (TOML `access-token`).
    pub fn access_token(mut self, token: Credential) -> Self {
        self.access_token = Some(token);
        self
    }

    /// The refresh token AppFlow renews the access token with (TOML `refresh-token`).
    pub fn refresh_token(mut self, token: Credential) -> Self {
        self.refresh_token = Some(token);
        self
    }

    /// An authorization code for AppFlow to exchange, and the redirect URI it was issued
    /// for (TOML `auth-code`, `redirect-uri`: the schema's `OAuthRequest`).
    pub fn auth_code(mut self, code: Credential, redirect_uri: impl Into<Text>) -> Self {
        self.auth_code = Some(code);
        self.redirect_uri = Some(redirect_uri.into());
        self
    }

    /// The token URL (TOML `token-url`).
    pub fn token_url(mut self, url: impl Into<Text>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// A custom property of the token request (TOML `token-url-properties`).
    pub fn token_url_property(mut self, key: impl Into<String>, value: impl Into<Text>) -> Self {
        self.token_url_properties.insert(key.into(), value.into());
        self
    }

    /// Every credential, with its keys below the profile's table (`at`, the OAuth table's).
    fn credentials(&self, at: &'static [&'static str]) -> Vec<(&'static [&'static str], &Credential)> {
        let mut found: Vec<(&'static [&'static str], &Credential)> = Vec::new();
        if let Some(client) = &self.client {
            found.extend(client.credentials().map(|(_, credential)| (at, credential)));
        }
        found.extend(
            [&self.access_token, &self.refresh_token, &self.auth_code]
                .into_iter()
                .flatten()
                .map(|credential| (at, credential)),
        );
        found
    }
}

/// A custom authentication scheme's credentials: the connector's scheme name and its
/// values (`CustomAuthCredentials`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomCredentials {
    pub(crate) kind: String,
    /// The secret values, references only.
    pub(crate) secrets: BTreeMap<String, Credential>,
    /// Values of the credentials map that are not secret (a database's host name and
    /// port): set by presets, which know which they are.
    pub(crate) settings: BTreeMap<String, Text>,
}

impl CustomCredentials {
    /// The connector's custom authentication type, e.g. `PAT` (TOML `custom.type`).
    pub fn new(kind: impl Into<String>) -> Self {
        CustomCredentials {
            kind: kind.into(),
            secrets: BTreeMap::new(),
            settings: BTreeMap::new(),
        }
    }

    /// A credential of the map, e.g. `patToken` (TOML `custom.credentials`).
    pub fn credential(mut self, key: impl Into<String>, credential: Credential) -> Self {
        self.secrets.insert(key.into(), credential);
        self
    }

    /// A value of the map that is no secret.
    pub(crate) fn setting(mut self, key: impl Into<String>, value: impl Into<Text>) -> Self {
        self.settings.insert(key.into(), value.into());
        self
    }
}

/// How AppFlow authenticates to a custom connector's application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomAuth {
    /// `OAUTH2`.
    OAuth2(Box<OAuth2>),
    /// `APIKEY`: an API key, and the secret key where the application has one.
    ApiKey {
        /// The API key.
        key: Credential,
        /// The API secret key.
        secret_key: Option<Credential>,
    },
    /// `BASIC`: a user name and password.
    Basic(BasicAuth),
    /// `CUSTOM`: the connector's own scheme.
    Custom(CustomCredentials),
}

/// The custom-connector settings of a connector profile the stack creates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomSettings {
    pub(crate) label: Option<ConnectorLabel>,
    pub(crate) auth: Option<CustomAuth>,
    pub(crate) properties: BTreeMap<String, Text>,
    pub(crate) preset: Option<&'static Preset>,
}

/// A custom connector's profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type CustomConnectorProfile = ConnectorProfile<CustomSettings>;

impl ConnectorProfile<CustomSettings> {
    /// A profile the stack creates for the connector AppFlow knows by `label` (a managed
    /// connector such as `Zoom`, or one registered outside this stack); give it its
    /// credentials with [`oauth2`](ConnectorProfile::oauth2) or its kin.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let keys = SecretRef::named("stripe");
    /// let profile = CustomConnectorProfile::new("payments", "Stripe")
    ///     .api_key(Credential::secret(&keys, "apiKey"), None);
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(name: impl Into<String>, label: impl Into<String>) -> Self {
        let settings = CustomSettings {
            label: Some(ConnectorLabel::Managed(label.into())),
            ..CustomSettings::default()
        };
        ConnectorProfile::owned(name, settings)
    }

    /// A profile the stack creates for the connector it registers as `connector` (a
    /// [`RegisteredConnector`](registration::RegisteredConnector)): the profile takes its
    /// label and is created after it.
    pub fn registered(name: impl Into<String>, connector: impl Into<String>) -> Self {
        let settings = CustomSettings {
            label: Some(ConnectorLabel::Registered(connector.into())),
            ..CustomSettings::default()
        };
        ConnectorProfile::owned(name, settings)
    }

    /// Authenticates with OAuth 2.0 (TOML `oauth2`).
    pub fn oauth2(self, oauth: OAuth2) -> Self {
        self.configure(|settings| settings.auth = Some(CustomAuth::OAuth2(Box::new(oauth))))
    }

    /// Authenticates with an API key, and its secret key if the application has one (TOML
    /// `api-key`).
    pub fn api_key(self, key: Credential, secret_key: Option<Credential>) -> Self {
        self.configure(|settings| settings.auth = Some(CustomAuth::ApiKey { key, secret_key }))
    }

    /// Authenticates with a user name and password (TOML `basic`).
    pub fn basic(self, username: Credential, password: Credential) -> Self {
        self.configure(|settings| settings.auth = Some(CustomAuth::Basic(BasicAuth::new(username, password))))
    }

    /// Authenticates with the connector's own scheme (TOML `custom`).
    pub fn custom_auth(self, credentials: CustomCredentials) -> Self {
        self.configure(|settings| settings.auth = Some(CustomAuth::Custom(credentials)))
    }

    /// A profile property the connector reads, e.g. `instanceUrl` (TOML `properties`).
    pub fn property(self, key: impl Into<String>, value: impl Into<Text>) -> Self {
        self.configure(|settings| {
            settings.properties.insert(key.into(), value.into());
        })
    }

    /// Marks the profile as `preset`'s.
    pub(crate) fn preset(self, preset: &'static Preset) -> Self {
        self.configure(|settings| settings.preset = Some(preset))
    }
}

// ---------------------------------------------------------------------------------------
// Model: the source and destination

/// How AppFlow reads a custom connector's entity (`DataTransferApi.Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferApiType {
    /// `SYNC`.
    Sync,
    /// `ASYNC`.
    Async,
    /// `AUTOMATIC`: AppFlow chooses by the volume.
    Automatic,
}

/// The API of the connector's application a source reads through, by name and type
/// (`DataTransferApi`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferApi {
    pub(crate) name: String,
    pub(crate) kind: TransferApiType,
}

impl TransferApi {
    /// The API `name`, e.g. `BULK`, read the `kind` way.
    pub fn new(name: impl Into<String>, kind: TransferApiType) -> Self {
        TransferApi {
            name: name.into(),
            kind,
        }
    }
}

/// Reads an entity of a custom connector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomSource {
    pub(crate) profile: ProfileRef,
    pub(crate) entity: Text,
    pub(crate) properties: BTreeMap<String, Text>,
    pub(crate) transfer_api: Option<TransferApi>,
    pub(crate) api_version: Option<Text>,
    pub(crate) preset: Option<&'static Preset>,
}

impl CustomSource {
    /// Reads `entity` through `profile` (a custom connector's).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = CustomSource::new(ProfileRef::named("meetings"), "meetings")
    ///     .api_version("v2")
    ///     .property("type", "scheduled");
    /// # let _ = source;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, entity: impl Into<Text>) -> Self {
        CustomSource {
            profile: profile.into(),
            entity: entity.into(),
            properties: BTreeMap::new(),
            transfer_api: None,
            api_version: None,
            preset: None,
        }
    }

    /// The connector's API version (TOML `api-version`: `SourceFlowConfig.ApiVersion`).
    pub fn api_version(mut self, version: impl Into<Text>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// A custom property the connector reads for the entity (TOML `properties`).
    pub fn property(mut self, key: impl Into<String>, value: impl Into<Text>) -> Self {
        self.properties.insert(key.into(), value.into());
        self
    }

    /// The API the connector reads through (TOML `data-transfer-api`).
    pub fn transfer_api(mut self, api: TransferApi) -> Self {
        self.transfer_api = Some(api);
        self
    }

    /// Marks the source as `preset`'s.
    pub(crate) fn preset(mut self, preset: &'static Preset) -> Self {
        self.preset = Some(preset);
        self
    }
}

/// Writes to an entity of a custom connector.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomDestination {
    pub(crate) profile: ProfileRef,
    pub(crate) entity: Text,
    pub(crate) properties: BTreeMap<String, Text>,
    pub(crate) operation: Option<WriteOperation>,
    pub(crate) error_handling: Option<ErrorHandling>,
    pub(crate) api_version: Option<Text>,
    pub(crate) preset: Option<&'static Preset>,
}

impl CustomDestination {
    /// Writes to `entity` through `profile` (a custom connector's), the connector's
    /// default way unless [`operation`](CustomDestination::operation) says.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let destination = CustomDestination::new(ProfileRef::named("crm"), "contacts")
    ///     .operation(WriteOperation::upsert(["email"]));
    /// # let _ = destination;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, entity: impl Into<Text>) -> Self {
        CustomDestination {
            profile: profile.into(),
            entity: entity.into(),
            properties: BTreeMap::new(),
            operation: None,
            error_handling: None,
            api_version: None,
            preset: None,
        }
    }

    /// The write operation, with its id fields (TOML `operation`, `id-fields`).
    pub fn operation(mut self, operation: impl Into<WriteOperation>) -> Self {
        self.operation = Some(operation.into());
        self
    }

    /// The connector's API version (TOML `api-version`: `DestinationFlowConfig.ApiVersion`).
    pub fn api_version(mut self, version: impl Into<Text>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// A custom property the connector reads for the entity (TOML `properties`).
    pub fn property(mut self, key: impl Into<String>, value: impl Into<Text>) -> Self {
        self.properties.insert(key.into(), value.into());
        self
    }

    /// Where failed records go.
    pub fn error_handling(mut self, error_handling: ErrorHandling) -> Self {
        self.error_handling = Some(error_handling);
        self
    }

    /// Marks the destination as `preset`'s.
    pub(crate) fn preset(mut self, preset: &'static Preset) -> Self {
        self.preset = Some(preset);
        self
    }
}

// ---------------------------------------------------------------------------------------
// TOML

/// `[profile.<name>.custom]`: a profile of any custom connector.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlCustomProfile {
    /// An existing profile, by name or ARN; no other key may be set then.
    pub import: Option<Sp<String>>,
    /// The KMS key (a `[key.<name>]`) the profile's credentials are encrypted with.
    pub key: Option<Sp<String>>,
    /// The physical profile name (default `<stack>-<name>`).
    pub profile_name: Option<Sp<String>>,
    /// Connect through AWS PrivateLink (`ConnectionMode: Private`), where the connector
    /// supports it.
    pub private: Option<Sp<bool>>,
    /// The label of the connector AppFlow knows, e.g. `Zoom` or `HubSpot` (AppFlow's
    /// managed connectors), or of one registered outside this file.
    #[cfg_attr(feature = "schema", schemars(extend("pattern" = r"^[a-zA-Z0-9][\w!@#.-]+$", "maxLength" = 256)))]
    pub label: Option<Sp<String>>,
    /// A connector this file registers (a `[connector.<name>]`), instead of `label`.
    pub connector: Option<Sp<String>>,
    /// Profile properties the connector reads, e.g. `{ instanceUrl = "https://..." }`.
    #[serde(default)]
    pub properties: BTreeMap<String, Sp<TomlText>>,
    /// OAuth 2.0.
    pub oauth2: Option<Sp<TomlOAuth2>>,
    /// An API key, and its secret key.
    pub api_key: Option<Sp<TomlApiKey>>,
    /// A user name and password.
    pub basic: Option<Sp<TomlBasicAuth>>,
    /// The connector's own scheme: its type and credentials.
    pub custom: Option<Sp<TomlCustomAuth>>,
}

/// The OAuth 2.0 grant type.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlGrantType {
    /// `AUTHORIZATION_CODE` (the default).
    AuthorizationCode,
    /// `CLIENT_CREDENTIALS`.
    ClientCredentials,
    /// `JWT_BEARER`.
    JwtBearer,
}

/// `oauth2 = { ... }`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlOAuth2 {
    /// `authorization-code` (default), `client-credentials` or `jwt-bearer`.
    pub grant_type: Option<Sp<TomlGrantType>>,
    /// The secret (a `[secret.<name>]`) holding the OAuth client's `clientId` and
    /// `clientSecret`.
    pub client_secret: Option<Sp<String>>,
    /// The access token (an authorization-code profile needs it, or `auth-code`).
    pub access_token: Option<Sp<TomlCredential>>,
    /// The refresh token AppFlow renews the access token with.
    pub refresh_token: Option<Sp<TomlCredential>>,
    /// An authorization code for AppFlow to exchange (with `redirect-uri`).
    pub auth_code: Option<Sp<TomlCredential>>,
    /// The redirect URI the authorization code was issued for.
    pub redirect_uri: Option<Sp<TomlText>>,
    /// The token URL, e.g. `https://api.hubapi.com/oauth/v1/token`.
    pub token_url: Option<Sp<TomlText>>,
    /// Custom properties of the token request.
    #[serde(default)]
    pub token_url_properties: BTreeMap<String, Sp<TomlText>>,
}

/// `api-key = { key, secret-key }`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlApiKey {
    /// The API key, as a credential.
    pub key: Option<Sp<TomlCredential>>,
    /// The API secret key, as a credential.
    pub secret_key: Option<Sp<TomlCredential>>,
}

/// `custom = { type, credentials }`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlCustomAuth {
    /// The connector's custom authentication type, e.g. `PAT`.
    #[serde(rename = "type")]
    pub kind: Sp<String>,
    /// Its credentials by name, each a credential, e.g. `{ patToken = { secret = ..., key = ... } }`.
    #[serde(default)]
    pub credentials: BTreeMap<String, Sp<TomlCredential>>,
}

/// `source.custom`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlCustomSource {
    /// The profile (a `[profile.<name>]` of a custom connector).
    pub profile: Sp<String>,
    /// The entity, as the connector names it.
    pub entity: Sp<TomlText>,
    /// The connector's API version (`SourceFlowConfig.ApiVersion`).
    pub api_version: Option<Sp<TomlText>>,
    /// Custom properties the connector reads for the entity.
    #[serde(default)]
    pub properties: BTreeMap<String, Sp<TomlText>>,
    /// The API to read through: `{ name, type = "sync" | "async" | "automatic" }`.
    pub data_transfer_api: Option<Sp<TomlTransferApi>>,
}

/// `data-transfer-api = { name, type }`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlTransferApi {
    /// The API's name, as the connector names it.
    pub name: Sp<String>,
    /// `sync`, `async` or `automatic`.
    #[serde(rename = "type")]
    pub kind: Sp<TomlTransferApiType>,
}

/// How AppFlow reads through the API.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlTransferApiType {
    /// `SYNC`.
    Sync,
    /// `ASYNC`.
    Async,
    /// `AUTOMATIC`.
    Automatic,
}

/// `destination.custom`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlCustomDestination {
    /// The profile (a `[profile.<name>]` of a custom connector).
    pub profile: Sp<String>,
    /// The entity, as the connector names it.
    pub entity: Sp<TomlText>,
    /// The connector's API version (`DestinationFlowConfig.ApiVersion`).
    pub api_version: Option<Sp<TomlText>>,
    /// Custom properties the connector reads for the entity.
    #[serde(default)]
    pub properties: BTreeMap<String, Sp<TomlText>>,
    /// `insert`, `upsert`, `update` or `delete` (the connector's default when left out).
    pub operation: Option<Sp<TomlWriteOperation>>,
    /// Fields that identify existing records (for upsert, update and delete).
    #[serde(default)]
    pub id_fields: Vec<Sp<String>>,
    /// Where failed records go.
    pub error_handling: Option<Sp<TomlErrorHandling>>,
}

// ---------------------------------------------------------------------------------------
// Lowering

/// Lowers a map of texts at `at`.
pub(crate) fn lower_texts(
    lowerer: &mut Lowerer,
    at: &At,
    raw: &BTreeMap<String, Sp<TomlText>>,
) -> BTreeMap<String, Text> {
    raw.iter()
        .map(|(key, value)| (key.clone(), lowerer.text(&at.key(key), value)))
        .collect()
}

/// Lowers one optional credential of profile `name` at `at`; `Err` after reporting a
/// plaintext value (and marking the profile's credentials unreadable).
fn lower_credential(
    lowerer: &mut Lowerer,
    name: &str,
    at: &At,
    raw: &Option<Sp<TomlCredential>>,
) -> Result<Option<Credential>, ()> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    match lowerer.credential(at, raw) {
        Some(credential) => Ok(Some(credential)),
        None => {
            lowerer.credentials_unreadable(name);
            Err(())
        }
    }
}

impl TomlOAuth2 {
    /// Lowers `oauth2` of profile `name` at `at`; `None` after reporting a plaintext value.
    pub(crate) fn lower(raw: &Sp<TomlOAuth2>, lowerer: &mut Lowerer, name: &str, at: &At) -> Option<OAuth2> {
        lowerer.record(at, raw.span());
        let table = raw.get();
        let access_token = lower_credential(lowerer, name, &at.key("access-token"), &table.access_token);
        let refresh_token = lower_credential(lowerer, name, &at.key("refresh-token"), &table.refresh_token);
        let auth_code = lower_credential(lowerer, name, &at.key("auth-code"), &table.auth_code);
        let (Ok(access_token), Ok(refresh_token), Ok(auth_code)) = (access_token, refresh_token, auth_code) else {
            return None;
        };
        let grant = match table.grant_type.as_ref().map(|grant| *grant.get()) {
            None | Some(TomlGrantType::AuthorizationCode) => GrantType::AuthorizationCode,
            Some(TomlGrantType::ClientCredentials) => GrantType::ClientCredentials,
            Some(TomlGrantType::JwtBearer) => GrantType::JwtBearer,
        };
        if let Some(grant) = &table.grant_type {
            lowerer.record(&at.key("grant-type"), grant.span());
        }
        let client = lowerer
            .opt_string(&at.key("client-secret"), &table.client_secret)
            .map(|secret| OAuthClient::from_secret(SecretRef::named(secret)));
        Some(OAuth2 {
            grant,
            client,
            access_token,
            refresh_token,
            auth_code,
            redirect_uri: common::optional_text(lowerer, at, "redirect-uri", &table.redirect_uri),
            token_url: common::optional_text(lowerer, at, "token-url", &table.token_url),
            token_url_properties: lower_texts(lowerer, &at.key("token-url-properties"), &table.token_url_properties),
        })
    }
}

impl LowerProfile for ConnectorProfile<CustomSettings> {
    const CONNECTOR: ConnectorType = ConnectorType::CustomConnector;
    type Toml = TomlCustomProfile;

    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<TomlCustomProfile>) -> Option<Self> {
        let table = raw.get();
        let keys = ProfileKeys {
            import: &table.import,
            key: &table.key,
            profile_name: &table.profile_name,
            private: &table.private,
        };
        let auths = [
            table.oauth2.is_some(),
            table.api_key.is_some(),
            table.basic.is_some(),
            table.custom.is_some(),
        ];
        let others = table.label.is_some()
            || table.connector.is_some()
            || !table.properties.is_empty()
            || auths.iter().any(|set| *set);
        common::lower_profile(lowerer, name, at, raw.span(), keys, others, |lowerer| {
            let label = match (&table.label, &table.connector) {
                (Some(label), None) => ConnectorLabel::Managed(lowerer.string(&at.key("label"), label)),
                (None, Some(connector)) => ConnectorLabel::Registered(lowerer.string(&at.key("connector"), connector)),
                (Some(_), Some(connector)) => {
                    lowerer.error(CustomError::LabelAndConnector, connector.span());
                    return None;
                }
                (None, None) => {
                    lowerer.error(CustomError::MissingLabel, raw.span());
                    return None;
                }
            };
            if auths.iter().filter(|set| **set).count() > 1 {
                let ways = "one authentication type";
                lowerer.error(InputError::ConflictingGrants { ways, grants: WAYS }, raw.span());
                return None;
            }
            let auth = lower_auth(lowerer, name, at, table)?;
            let settings = CustomSettings {
                label: Some(label),
                auth,
                properties: lower_texts(lowerer, &at.key("properties"), &table.properties),
                preset: None,
            };
            Some(ConnectorProfile::owned(name, settings))
        })
    }
}

/// The authentication of a `custom` profile's table: `Some(None)` when none is set
/// (validation reports it), `None` after reporting one that cannot be read.
fn lower_auth(lowerer: &mut Lowerer, name: &str, at: &At, table: &TomlCustomProfile) -> Option<Option<CustomAuth>> {
    if let Some(oauth) = &table.oauth2 {
        return TomlOAuth2::lower(oauth, lowerer, name, &at.key("oauth2"))
            .map(|oauth| Some(CustomAuth::OAuth2(Box::new(oauth))));
    }
    if let Some(basic) = &table.basic {
        return TomlBasicAuth::lower(basic, lowerer, name, &at.key("basic"))
            .map(|basic| Some(CustomAuth::Basic(basic)));
    }
    if let Some(api_key) = &table.api_key {
        let at = at.key("api-key");
        lowerer.record(&at, api_key.span());
        let key = lower_credential(lowerer, name, &at.key("key"), &api_key.get().key).ok()?;
        let secret_key = lower_credential(lowerer, name, &at.key("secret-key"), &api_key.get().secret_key).ok()?;
        let Some(key) = key else {
            lowerer.error(
                CustomError::AuthWithoutCredentials {
                    auth: "api-key",
                    needs: "`key`",
                },
                api_key.span(),
            );
            lowerer.credentials_unreadable(name);
            return None;
        };
        return Some(Some(CustomAuth::ApiKey { key, secret_key }));
    }
    if let Some(custom) = &table.custom {
        let at = at.key("custom");
        lowerer.record(&at, custom.span());
        let mut credentials = CustomCredentials::new(lowerer.string(&at.key("type"), &custom.get().kind));
        let mut readable = true;
        for (key, raw) in &custom.get().credentials {
            match lowerer.credential(&at.key("credentials").key(key), raw) {
                Some(credential) => credentials = credentials.credential(key, credential),
                None => readable = false,
            }
        }
        if !readable {
            lowerer.credentials_unreadable(name);
            return None;
        }
        return Some(Some(CustomAuth::Custom(credentials)));
    }
    Some(None)
}

impl Lower for CustomSource {
    const CONNECTOR: ConnectorType = ConnectorType::CustomConnector;
    type Toml = TomlCustomSource;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &TomlCustomSource) -> Option<Self> {
        let profile = lowerer.string(&at.key("profile"), &raw.profile);
        let mut source = CustomSource::new(ProfileRef::named(profile), lowerer.text(&at.key("entity"), &raw.entity));
        source.api_version = common::optional_text(lowerer, at, "api-version", &raw.api_version);
        source.properties = lower_texts(lowerer, &at.key("properties"), &raw.properties);
        if let Some(api) = &raw.data_transfer_api {
            let at = at.key("data-transfer-api");
            lowerer.record(&at, api.span());
            lowerer.record(&at.key("type"), api.get().kind.span());
            let kind = match api.get().kind.get() {
                TomlTransferApiType::Sync => TransferApiType::Sync,
                TomlTransferApiType::Async => TransferApiType::Async,
                TomlTransferApiType::Automatic => TransferApiType::Automatic,
            };
            source.transfer_api = Some(TransferApi::new(lowerer.string(&at.key("name"), &api.get().name), kind));
        }
        Some(source)
    }
}

impl Lower for CustomDestination {
    const CONNECTOR: ConnectorType = ConnectorType::CustomConnector;
    type Toml = TomlCustomDestination;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &TomlCustomDestination) -> Option<Self> {
        let profile = lowerer.string(&at.key("profile"), &raw.profile);
        let entity = lowerer.text(&at.key("entity"), &raw.entity);
        let mut destination = CustomDestination::new(ProfileRef::named(profile), entity);
        destination.api_version = common::optional_text(lowerer, at, "api-version", &raw.api_version);
        destination.properties = lower_texts(lowerer, &at.key("properties"), &raw.properties);
        destination.operation = match &raw.operation {
            Some(operation) => Some(TomlWriteOperation::lower(lowerer, at, operation, &raw.id_fields)),
            None if !raw.id_fields.is_empty() => {
                Some(TomlWriteOperation::lower_or_insert(lowerer, at, &None, &raw.id_fields))
            }
            None => None,
        };
        destination.error_handling = TomlErrorHandling::lower(lowerer, &at.key("error-handling"), &raw.error_handling);
        Some(destination)
    }
}

// ---------------------------------------------------------------------------------------
// Checks

/// Each value of `map` (at `path`, the map's table) within `limits` where it is a literal
/// (references are checked by the shared pass, from `texts`), its keys named.
pub(crate) fn check_texts(checker: &mut Checker<'_>, path: &Path, map: &BTreeMap<String, Text>, limits: &Limits) {
    for (key, value) in map {
        let at = path.key(key);
        if key.trim().is_empty() {
            let help = "name the property as the connector documents it";
            checker.error(
                at.clone(),
                ErrorKind::Empty {
                    what: "a property name",
                    help,
                },
            );
        }
        check_literal(checker, at, value, limits);
    }
}

/// `text` within `limits` where it is a literal.
fn check_literal(checker: &mut Checker<'_>, path: Path, text: &Text, limits: &Limits) {
    if let Some(value) = text.literal()
        && !value.trim().is_empty()
    {
        checker.check_limits(|| path, limits, value);
    }
}

/// A literal `text` at `path` within `limits`, and not blank.
fn check_required_text(checker: &mut Checker<'_>, path: Path, text: &Text, what: &'static str, limits: &Limits) {
    if text.literal().is_some_and(|value| value.trim().is_empty()) {
        let help = "name it as the connector does (AppFlow lists a connector's entities in the console)";
        checker.error(path, ErrorKind::Empty { what, help });
        return;
    }
    check_literal(checker, path, text, limits);
}

/// The settings of a source or destination that may be references.
fn endpoint_texts<'a>(
    entity: &'a Text,
    api_version: &'a Option<Text>,
    properties: &'a BTreeMap<String, Text>,
) -> Vec<(&'static [&'static str], &'a Text)> {
    let mut found: Vec<(&'static [&'static str], &Text)> = vec![(&["entity"], entity)];
    found.extend(api_version.iter().map(|version| (&["api-version"] as &[&str], version)));
    found.extend(properties.values().map(|text| (&["properties"] as &[&str], text)));
    found
}

/// The connector registered by this stack that `profile` (a source's or destination's)
/// uses, if it names one.
fn registered<'c>(checker: &'c Checker<'_>, profile: &ProfileRef) -> Option<&'c registration::RegisteredConnector> {
    let Some(Profile::Custom(custom)) = checker.profile(profile.name()) else {
        return None;
    };
    match &custom.settings.label {
        Some(ConnectorLabel::Registered(name)) => checker.registered_connector(name),
        _ => None,
    }
}

/// The connector a source or destination uses through its profile: `profile` must be a
/// custom connector's, and of `preset`'s label when the endpoint is a preset's.
fn accepts(preset: Option<&'static Preset>, profile: &Profile) -> bool {
    let Profile::Custom(custom) = profile else {
        return false;
    };
    match (preset, &custom.settings.label) {
        (None, _) => true,
        // An imported profile's label is unknown here.
        (Some(_), None) => true,
        (Some(preset), Some(ConnectorLabel::Managed(label))) => label == preset.label,
        (Some(_), Some(ConnectorLabel::Registered(_))) => false,
    }
}

impl ProfileConnector for CustomSettings {
    fn has_credentials(&self) -> bool {
        self.auth.is_some()
    }

    fn supports_private_connection(&self) -> bool {
        // "Private connections are supported for custom connectors" is not stated for every
        // connector: a connector built with the SDK declares it, and AppFlow refuses a
        // private profile for one that does not. flowform lets the profile ask.
        true
    }

    fn credential_ways(&self) -> &'static str {
        WAYS
    }

    fn credentials(&self) -> Vec<(&'static [&'static str], &Credential)> {
        match &self.auth {
            None => Vec::new(),
            Some(CustomAuth::OAuth2(oauth)) => oauth.credentials(&["oauth2"]),
            Some(CustomAuth::ApiKey { key, secret_key }) => std::iter::once((&["api-key", "key"] as &[&str], key))
                .chain(
                    secret_key
                        .iter()
                        .map(|secret| (&["api-key", "secret-key"] as &[&str], secret)),
                )
                .collect(),
            Some(CustomAuth::Basic(basic)) => basic.credentials().to_vec(),
            Some(CustomAuth::Custom(custom)) => custom
                .secrets
                .values()
                .map(|credential| (&["custom", "credentials"] as &[&str], credential))
                .collect(),
        }
    }

    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        let mut found: Vec<(&'static [&'static str], &Text)> = self
            .properties
            .values()
            .map(|text| (&["properties"] as &[&str], text))
            .collect();
        match &self.auth {
            Some(CustomAuth::OAuth2(oauth)) => {
                found.extend(
                    oauth
                        .token_url
                        .iter()
                        .map(|url| (&["oauth2", "token-url"] as &[&str], url)),
                );
                found.extend(
                    oauth
                        .redirect_uri
                        .iter()
                        .map(|uri| (&["oauth2", "redirect-uri"] as &[&str], uri)),
                );
                found.extend(
                    oauth
                        .token_url_properties
                        .values()
                        .map(|text| (&["oauth2", "token-url-properties"] as &[&str], text)),
                );
            }
            Some(CustomAuth::Custom(custom)) => {
                found.extend(
                    custom
                        .settings
                        .values()
                        .map(|text| (&["custom", "credentials"] as &[&str], text)),
                );
            }
            _ => {}
        }
        found
    }

    fn preset_key(&self) -> Option<&'static str> {
        self.preset.map(|preset| preset.key)
    }

    fn registered_connector(&self) -> Option<&str> {
        match &self.label {
            Some(ConnectorLabel::Registered(connector)) => Some(connector),
            _ => None,
        }
    }

    fn check(&self, checker: &mut Checker<'_>, path: &Path) {
        match &self.label {
            Some(ConnectorLabel::Managed(label)) => {
                checker.check_limits(
                    || path.key("label"),
                    &cp::ConnectorProfile::CONNECTOR_LABEL_LIMITS,
                    label,
                );
            }
            Some(ConnectorLabel::Registered(connector)) => {
                checker.check_reference(|| path.key("connector"), "connector", connector);
            }
            // A profile made in the Rust API always has one; an imported one is not checked.
            None => {}
        }
        check_texts(
            checker,
            &path.key("properties"),
            &self.properties,
            &CustomConnectorProfileProperties::PROFILE_PROPERTIES_LIMITS,
        );
        match &self.auth {
            Some(CustomAuth::OAuth2(oauth)) => check_oauth(checker, &path.key("oauth2"), oauth),
            Some(CustomAuth::Custom(custom)) => {
                if custom.kind.trim().is_empty() {
                    let help = "name the connector's custom authentication type, e.g. `PAT`";
                    checker.error(
                        path.key("custom").key("type"),
                        ErrorKind::Empty {
                            what: "the authentication type",
                            help,
                        },
                    );
                }
                if custom.secrets.is_empty() && custom.settings.is_empty() {
                    let error = CustomError::AuthWithoutCredentials {
                        auth: "custom",
                        needs: "`credentials`",
                    };
                    checker.error(path.key("custom"), error.into());
                }
                let limits = CustomAuthCredentials::CREDENTIALS_MAP_LIMITS;
                check_texts(
                    checker,
                    &path.key("custom").key("credentials"),
                    &custom.settings,
                    &limits,
                );
            }
            _ => {}
        }
    }

    fn synthesize(
        &self,
        synth: &mut Synth<'_>,
        _profile: &str,
    ) -> (ConnectorProfileProperties, ConnectorProfileCredentials) {
        let mut properties = CustomConnectorProfileProperties {
            oauth2_properties: None,
            profile_properties: self
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), synth.text(v)))
                .collect(),
        };
        let credentials = match &self.auth {
            Some(CustomAuth::OAuth2(oauth)) => {
                properties.oauth2_properties = Some(OAuth2Properties {
                    oauth2_grant_type: Some(oauth.grant.into()),
                    token_url: oauth.token_url.as_ref().map(|url| synth.text(url)),
                    token_url_custom_properties: oauth
                        .token_url_properties
                        .iter()
                        .map(|(k, v)| (k.clone(), synth.text(v)))
                        .collect(),
                });
                let oauth_request = oauth.auth_code.as_ref().map(|code| ConnectorOAuthRequest {
                    auth_code: Some(synth.credential(code)),
                    redirect_uri: oauth.redirect_uri.as_ref().map(|uri| synth.text(uri)),
                });
                let (client_id, client_secret) = match &oauth.client {
                    Some(client) => (
                        Some(synth.credential(&client.id)),
                        Some(synth.credential(&client.secret)),
                    ),
                    None => (None, None),
                };
                CustomConnectorProfileCredentials {
                    authentication_type: cp::AuthenticationType::Oauth2,
                    oauth2: Some(OAuth2Credentials {
                        access_token: oauth.access_token.as_ref().map(|token| synth.credential(token)),
                        client_id,
                        client_secret,
                        oauth_request,
                        refresh_token: oauth.refresh_token.as_ref().map(|token| synth.credential(token)),
                    }),
                    ..no_credentials(cp::AuthenticationType::Oauth2)
                }
            }
            Some(CustomAuth::ApiKey { key, secret_key }) => CustomConnectorProfileCredentials {
                api_key: Some(ApiKeyCredentials {
                    api_key: synth.credential(key),
                    api_secret_key: secret_key.as_ref().map(|secret| synth.credential(secret)),
                }),
                ..no_credentials(cp::AuthenticationType::Apikey)
            },
            Some(CustomAuth::Basic(basic)) => CustomConnectorProfileCredentials {
                basic: Some(BasicAuthCredentials {
                    password: synth.credential(&basic.password),
                    username: synth.credential(&basic.username),
                }),
                ..no_credentials(cp::AuthenticationType::Basic)
            },
            Some(CustomAuth::Custom(custom)) => {
                let mut map: indexmap::IndexMap<String, Expr> = custom
                    .secrets
                    .iter()
                    .map(|(k, v)| (k.clone(), synth.credential(v)))
                    .collect();
                map.extend(custom.settings.iter().map(|(k, v)| (k.clone(), synth.text(v))));
                map.sort_keys();
                CustomConnectorProfileCredentials {
                    custom: Some(CustomAuthCredentials {
                        credentials_map: map,
                        custom_authentication_type: Expr::Str(custom.kind.clone()),
                    }),
                    ..no_credentials(cp::AuthenticationType::Custom)
                }
            }
            // Validation reports a profile without credentials before synthesis runs.
            None => no_credentials(cp::AuthenticationType::Custom),
        };
        (
            ConnectorProfileProperties {
                custom_connector: Some(Box::new(properties)),
                ..ConnectorProfileProperties::default()
            },
            ConnectorProfileCredentials {
                custom_connector: Some(Box::new(credentials)),
                ..ConnectorProfileCredentials::default()
            },
        )
    }

    fn connector_label(&self, _synth: &Synth<'_>) -> Option<Expr> {
        match &self.label {
            Some(ConnectorLabel::Managed(label)) => Some(Expr::Str(label.clone())),
            // `Ref` of `AWS::AppFlow::Connector` is its label (its primary identifier), and
            // makes the profile wait for the registration.
            Some(ConnectorLabel::Registered(connector)) => {
                Some(Expr::reference(crate::model::names::connector_id(connector)))
            }
            None => None,
        }
    }
}

/// Credentials of `kind` with none of its objects set yet.
fn no_credentials(kind: cp::AuthenticationType) -> CustomConnectorProfileCredentials {
    CustomConnectorProfileCredentials {
        api_key: None,
        authentication_type: kind,
        basic: None,
        custom: None,
        oauth2: None,
    }
}

/// An OAuth 2.0 profile has what its grant needs.
fn check_oauth(checker: &mut Checker<'_>, path: &Path, oauth: &OAuth2) {
    match oauth.grant {
        GrantType::AuthorizationCode => {
            // CloudFormation cannot sign in: without a token or a code AppFlow has nothing
            // to start from (DEPLOY-TIME.md #2, "AuthCode cannot be blank").
            if oauth.access_token.is_none() && oauth.auth_code.is_none() {
                checker.error(path.clone(), CustomError::OAuthWithoutToken.into());
            }
        }
        GrantType::ClientCredentials => {
            if oauth.client.is_none() || oauth.token_url.is_none() {
                checker.error(path.clone(), CustomError::ClientCredentialsIncomplete.into());
            }
        }
        GrantType::JwtBearer => {}
    }
    if oauth.auth_code.is_some() && oauth.redirect_uri.is_none() {
        checker.error(path.key("auth-code"), CustomError::AuthCodeWithoutRedirect.into());
    }
    check_texts(
        checker,
        &path.key("token-url-properties"),
        &oauth.token_url_properties,
        &OAuth2Properties::TOKEN_URL_CUSTOM_PROPERTIES_LIMITS,
    );
    if let Some(url) = &oauth.token_url {
        check_literal(checker, path.key("token-url"), url, &OAuth2Properties::TOKEN_URL_LIMITS);
    }
}

impl SourceConnector for CustomSource {
    fn rules(&self) -> SourceRules {
        match self.preset {
            Some(preset) => SourceRules::named(preset.name),
            None => SourceRules::named("custom connector"),
        }
    }

    fn profile(&self) -> Option<&ProfileRef> {
        Some(&self.profile)
    }

    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        endpoint_texts(&self.entity, &self.api_version, &self.properties)
    }

    fn api_version(&self) -> Option<&Text> {
        self.api_version.as_ref()
    }

    fn preset_key(&self) -> Option<&'static str> {
        self.preset.map(|preset| preset.key)
    }

    fn accepts_profile(&self, profile: &Profile) -> Option<bool> {
        Some(accepts(self.preset, profile))
    }

    fn check(&self, checker: &mut Checker<'_>, flow: &AnyFlow, path: &Path) {
        // The operators the connector declares, for a registered one that does.
        let declared = registered(checker, &self.profile)
            .and_then(|connector| Some((connector.name.clone(), connector.operators.clone()?)));
        if let Some((connector, operators)) = declared {
            for (index, filter) in flow.filters.iter().enumerate() {
                let operator = filter.op.operator();
                if !operators.contains(&operator) {
                    let at = Path::root()
                        .key("flow")
                        .key(&flow.name)
                        .key("filter")
                        .index(index)
                        .key("op");
                    let declared = operators.iter().map(|op| format!("`{}`", op.as_str())).collect();
                    let error = CustomError::OperatorNotDeclared {
                        operator: operator.as_str(),
                        connector: connector.clone(),
                        declared,
                    };
                    checker.error(at, error.into());
                }
            }
        }
        let limits = CustomConnectorSourceProperties::ENTITY_NAME_LIMITS;
        check_required_text(checker, path.key("entity"), &self.entity, "the entity", &limits);
        let limits = CustomConnectorSourceProperties::CUSTOM_PROPERTIES_LIMITS;
        check_texts(checker, &path.key("properties"), &self.properties, &limits);
        if let Some(version) = &self.api_version {
            check_literal(
                checker,
                path.key("api-version"),
                version,
                &flow::SourceFlowConfig::API_VERSION_LIMITS,
            );
        }
        if let Some(api) = &self.transfer_api {
            let limits = CustomConnectorSourcePropertiesDataTransferApi::NAME_LIMITS;
            checker.check_limits(|| path.key("data-transfer-api").key("name"), &limits, &api.name);
        }
    }

    fn synthesize(&self, synth: &Synth<'_>) -> SourceConnectorProperties {
        SourceConnectorProperties {
            custom_connector: Some(Box::new(CustomConnectorSourceProperties {
                custom_properties: self
                    .properties
                    .iter()
                    .map(|(k, v)| (k.clone(), synth.text(v)))
                    .collect(),
                data_transfer_api: self.transfer_api.as_ref().map(|api| {
                    CustomConnectorSourcePropertiesDataTransferApi {
                        name: Expr::Str(api.name.clone()),
                        r#type: match api.kind {
                            TransferApiType::Sync => CustomConnectorSourcePropertiesDataTransferApiType::Sync,
                            TransferApiType::Async => CustomConnectorSourcePropertiesDataTransferApiType::Async,
                            TransferApiType::Automatic => CustomConnectorSourcePropertiesDataTransferApiType::Automatic,
                        },
                    }
                }),
                entity_name: synth.text(&self.entity),
            })),
            ..SourceConnectorProperties::default()
        }
    }
}

impl DestinationConnector for CustomDestination {
    fn profile(&self) -> Option<&ProfileRef> {
        Some(&self.profile)
    }

    fn buckets(&self) -> Vec<BucketUse<'_>> {
        ErrorHandling::bucket_use(&self.error_handling).into_iter().collect()
    }

    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        endpoint_texts(&self.entity, &self.api_version, &self.properties)
    }

    fn api_version(&self) -> Option<&Text> {
        self.api_version.as_ref()
    }

    fn preset_key(&self) -> Option<&'static str> {
        self.preset.map(|preset| preset.key)
    }

    fn accepts_profile(&self, profile: &Profile) -> Option<bool> {
        Some(accepts(self.preset, profile))
    }

    fn check(&self, checker: &mut Checker<'_>, _flow: &AnyFlow, path: &Path) {
        let limits = CustomConnectorDestinationProperties::ENTITY_NAME_LIMITS;
        check_required_text(checker, path.key("entity"), &self.entity, "the entity", &limits);
        let limits = CustomConnectorDestinationProperties::CUSTOM_PROPERTIES_LIMITS;
        check_texts(checker, &path.key("properties"), &self.properties, &limits);
        if let Some(version) = &self.api_version {
            let limits = flow::DestinationFlowConfig::API_VERSION_LIMITS;
            check_literal(checker, path.key("api-version"), version, &limits);
        }
        if let Some(operation) = &self.operation {
            operation.check(checker, ConnectorType::CustomConnector, &path.key("id-fields"));
            let declared = registered(checker, &self.profile)
                .and_then(|connector| Some((connector.name.clone(), connector.write_operations.clone()?)));
            if let Some((connector, operations)) = declared
                && !operations.contains(&operation.kind)
            {
                let error = CustomError::WriteOperationNotDeclared {
                    operation: flow::WriteOperationType::from(operation.kind).as_str(),
                    connector,
                };
                checker.error(path.key("operation"), error.into());
            }
        }
    }

    fn synthesize(&self, synth: &Synth<'_>) -> DestinationConnectorProperties {
        DestinationConnectorProperties {
            custom_connector: Some(Box::new(CustomConnectorDestinationProperties {
                custom_properties: self
                    .properties
                    .iter()
                    .map(|(k, v)| (k.clone(), synth.text(v)))
                    .collect(),
                entity_name: synth.text(&self.entity),
                error_handling_config: ErrorHandling::synthesize(&self.error_handling, synth),
                id_field_names: self
                    .operation
                    .iter()
                    .flat_map(|operation| operation.id_fields.iter().cloned().map(Expr::Str))
                    .collect(),
                write_operation_type: self.operation.as_ref().map(|operation| operation.kind.into()),
            })),
            ..DestinationConnectorProperties::default()
        }
    }
}

// ---------------------------------------------------------------------------------------
// Diagnostics

/// An error only a custom connector's profile, source or destination has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum CustomError {
    /// A created profile that names no connector.
    #[error("a custom connector profile needs the connector's label")]
    #[diagnostic(
        code(flowform::custom::missing_label),
        help(
            "add `label = \"...\"`, the label AppFlow knows the connector by (e.g. `Zoom`, `HubSpot`; `aws appflow describe-connectors` lists them), or `connector = \"...\"`, a `[connector.<name>]` of this file; AWS::AppFlow::ConnectorProfile writes it as `ConnectorLabel`"
        )
    )]
    MissingLabel,

    /// Both a label and a registered connector.
    #[error("a profile names its connector once")]
    #[diagnostic(
        code(flowform::custom::label_and_connector),
        help("keep `label` for a connector AppFlow already knows, or `connector` for one this file registers")
    )]
    LabelAndConnector,

    /// An authentication table without the credential it is.
    #[error("`{auth}` needs {needs}")]
    #[diagnostic(
        code(flowform::custom::auth_without_credentials),
        help(
            "give the credentials as references: `{{ secret = \"...\", key = \"...\" }}` or `{{ parameter = \"...\" }}`"
        )
    )]
    AuthWithoutCredentials {
        /// The authentication table.
        auth: &'static str,
        /// What it lacks.
        needs: &'static str,
    },

    /// An authorization-code profile with neither an access token nor a code.
    #[error("an authorization-code OAuth profile needs an access token or an authorization code")]
    #[diagnostic(
        code(flowform::custom::oauth_without_token),
        help(
            "add `access-token` (and `refresh-token`, so AppFlow renews it) from the sign-in, or `auth-code` with `redirect-uri`: through CloudFormation AppFlow cannot sign in itself (\"you must fetch the access and refresh tokens\", AWS::AppFlow::ConnectorProfile); flowform writes no placeholder token"
        )
    )]
    OAuthWithoutToken,

    /// A client-credentials grant without its client or token URL.
    #[error("a client-credentials OAuth profile needs `client-secret` and `token-url`")]
    #[diagnostic(
        code(flowform::custom::client_credentials_incomplete),
        help(
            "AppFlow asks `token-url` for tokens with the client's ID and secret: add `client-secret` (a `[secret.<name>]` with `clientId` and `clientSecret`) and `token-url`"
        )
    )]
    ClientCredentialsIncomplete,

    /// A filter whose operator the registered connector does not declare.
    #[error("connector `{connector}` does not support `{operator}`")]
    #[diagnostic(
        code(flowform::custom::operator_not_declared),
        help("its `[connector.{connector}]` declares {}: filter with one of those, or add the operator there if the connector supports it (`aws appflow describe-connector` lists `supportedOperators`)", declared.join(", "))
    )]
    OperatorNotDeclared {
        /// The operator the filter needs.
        operator: &'static str,
        /// The registered connector.
        connector: String,
        /// What it declares.
        declared: Vec<String>,
    },

    /// A write operation the registered connector does not declare.
    #[error("connector `{connector}` does not support `{operation}`")]
    #[diagnostic(
        code(flowform::custom::write_operation_not_declared),
        help(
            "use a write operation its `[connector.{connector}]` lists in `write-operations`, or add this one there if the connector supports it (`supportedWriteOperations`)"
        )
    )]
    WriteOperationNotDeclared {
        /// The operation.
        operation: &'static str,
        /// The registered connector.
        connector: String,
    },

    /// An authorization code without its redirect URI.
    #[error("an authorization code needs the redirect URI it was issued for")]
    #[diagnostic(
        code(flowform::custom::auth_code_without_redirect),
        help("add `redirect-uri`: AppFlow sends it with the code to the token URL (`OAuthRequest.RedirectUri`)")
    )]
    AuthCodeWithoutRedirect,
}

impl crate::model::Label for CustomError {}

#[cfg(all(test, feature = "deploy"))]
mod import_tests {
    use serde_json::json;

    use crate::connectors::import::testing::{compiled, files_destination, flow};

    #[test]
    fn a_custom_connector_source_is_imported_with_its_api_version() {
        let source = json!({
            "connectorType": "CustomConnector",
            "connectorProfileName": "crm-api",
            "apiVersion": "v1",
            "sourceConnectorProperties": {"CustomConnector": {
                "entityName": "company", "customProperties": {"region": "eu"}
            }}
        });
        let toml = compiled(flow(source, files_destination()));
        assert!(
            toml.contains("source.custom = { profile = \"crm-api\", entity = \"company\", properties = { \"region\" = \"eu\" }, api-version = \"v1\" }"),
            "{toml}"
        );
    }
}
