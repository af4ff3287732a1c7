//! Salesforce: a source (an object), a destination (an object, with a write operation)
//! and a connector profile (OAuth). This module holds all of it, stage by stage: the
//! TOML tables, the model and its builders, lowering, the connector's own checks, and
//! synthesis. It is longer than most modules because it is the whole connector, and
//! keeping it in one file keeps the connector's name in one place.

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::cfn::Expr;
use crate::cfn::generated::connector_profile::{
    ConnectorProfileCredentials, ConnectorProfileProperties, OAuth2GrantType, SalesforceConnectorProfileCredentials,
    SalesforceConnectorProfileProperties,
};
use crate::cfn::generated::flow::{
    self, DestinationConnectorProperties, SalesforceDestinationProperties, SalesforceSourceProperties,
    SourceConnectorProperties,
};
use crate::input::InputError;
use crate::input::lower::{At, Lowerer};
use crate::input::raw::{Sp, TomlCredential, TomlText};
use crate::model::validate::Checker;
use crate::model::{AnyFlow, Credential, Path, ProfileRef, SecretRef, Text};
use crate::synth::Synth;

use super::common::{
    self, ConnectorProfile, ErrorHandling, ObjectWords, ProfileKeys, TomlErrorHandling, TomlWriteOperation,
    WriteOperation, lower_profile,
};
use super::{BucketUse, ConnectorType, DestinationConnector, Lower, LowerProfile, ProfileConnector, SourceConnector};

// ---------------------------------------------------------------------------------------
// TOML

/// `[profile.<name>.salesforce]`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlSalesforceProfile {
    /// An existing profile, by name or ARN; no other key may be set then.
    pub import: Option<Sp<String>>,
    /// The Salesforce instance, e.g. `https://acme.my.salesforce.com`, or a reference to it.
    // `pattern` and `maxLength` constrain only a string: a reference table passes them.
    #[cfg_attr(feature = "schema", schemars(extend("pattern" = r"^https://\S+$", "maxLength" = 256)))]
    pub instance_url: Option<Sp<TomlText>>,
    /// Whether the instance is a sandbox.
    pub sandbox: Option<Sp<bool>>,
    /// The KMS key (a `[key.<name>]`) the profile's credentials are encrypted with.
    pub key: Option<Sp<String>>,
    /// The physical profile name (default `<stack>-<name>`).
    pub profile_name: Option<Sp<String>>,
    /// Connect through AWS PrivateLink (`ConnectionMode: Private`), for the connectors
    /// AppFlow integrates with it.
    pub private: Option<Sp<bool>>,
    /// OAuth credentials: `refresh-token` + `access-token` + `client-secret`, `jwt`, or
    /// `access-token` alone.
    pub oauth: Option<Sp<TomlOAuth>>,
}

/// Salesforce OAuth credentials. Each credential is a reference, never a value.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[cfg_attr(feature = "schema", schemars(extend("minProperties" = 1, "dependentRequired" = { "refresh-token": ["access-token", "client-secret"] })))]
pub struct TomlOAuth {
    /// The refresh token (refresh-token grant; needs `client-secret`).
    pub refresh_token: Option<Sp<TomlCredential>>,
    /// The secret (a `[secret.<name>]`) holding the connected app's `clientId` and
    /// `clientSecret`.
    pub client_secret: Option<Sp<String>>,
    /// An access token: alone, or with a refresh token (the refresh-token grant needs both;
    /// AppFlow refreshes an expired one).
    pub access_token: Option<Sp<TomlCredential>>,
    /// A JWT bearer token.
    pub jwt: Option<Sp<TomlCredential>>,
    /// Not allowed: AppFlow does not support the client-credentials grant for Salesforce
    /// (an error says so and what to use instead).
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub client_credentials: Option<Sp<String>>,
}

/// `source.salesforce`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlSalesforceSource {
    /// The profile (a `[profile.<name>]`).
    pub profile: Sp<String>,
    /// The object, e.g. `Account`.
    pub object: Sp<TomlText>,
    /// Not allowed: the native Salesforce connector ignores it (an error says so).
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub api_version: Option<Sp<String>>,
    /// `automatic`, `bulkv2` or `rest-sync`.
    pub data_transfer_api: Option<Sp<TomlDataTransferApi>>,
    /// Pick up fields added after the flow was created.
    pub dynamic_field_update: Option<bool>,
    /// Include deleted records.
    pub include_deleted_records: Option<bool>,
}

/// The Salesforce API AppFlow uses.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlDataTransferApi {
    /// Chosen by transfer size.
    Automatic,
    /// Bulk API 2.0.
    Bulkv2,
    /// The synchronous REST API.
    RestSync,
}

/// `destination.salesforce`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlSalesforceDestination {
    /// The profile (a `[profile.<name>]`).
    pub profile: Sp<String>,
    /// The object, e.g. `Contact`.
    pub object: Sp<TomlText>,
    /// `insert`, `upsert`, `update` or `delete`.
    pub operation: Sp<TomlWriteOperation>,
    /// Fields that identify existing records (required for upsert and update).
    #[serde(default)]
    pub id_fields: Vec<Sp<String>>,
    /// Not allowed: the native Salesforce connector ignores it (an error says so).
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub api_version: Option<Sp<String>>,
    /// `automatic`, `bulkv2` or `rest-sync`.
    pub data_transfer_api: Option<Sp<TomlDataTransferApi>>,
    /// Where failed records go.
    pub error_handling: Option<Sp<TomlErrorHandling>>,
}

/// `flowform import`: the `salesforce = { ... }` source table of these `Salesforce`
/// source properties, reading through profile `profile`.
#[cfg(feature = "deploy")]
pub(crate) fn import_source(
    properties: &serde_json::Value,
    profile: &str,
    context: &mut dyn super::import::ImportContext,
) -> Option<String> {
    use super::import::{kebab, profile_and_object, quoted, table, text};
    let mut keys = profile_and_object("salesforce", properties, profile, context)?;
    if let Some(api) = text(properties, "dataTransferApi") {
        keys.push(format!("data-transfer-api = {}", quoted(&kebab(api))));
    }
    for (member, key) in [
        ("enableDynamicFieldUpdate", "dynamic-field-update"),
        ("includeDeletedRecords", "include-deleted-records"),
    ] {
        if properties[member].as_bool() == Some(true) {
            keys.push(format!("{key} = true"));
        }
    }
    Some(table("salesforce", &keys))
}

/// `flowform import`: the `salesforce = { ... }` destination table of these `Salesforce`
/// destination properties.
#[cfg(feature = "deploy")]
pub(crate) fn import_destination(
    properties: &serde_json::Value,
    profile: &str,
    context: &mut dyn super::import::ImportContext,
) -> Option<String> {
    use super::import::{error_handling, kebab, profile_and_object, quoted, table, text, write_operation};
    let mut keys = profile_and_object("salesforce", properties, profile, context)?;
    // Salesforce's operation is required in the file; AppFlow's default is an insert.
    let mut operation = write_operation(properties);
    if text(properties, "writeOperationType").is_none() {
        operation.insert(0, format!("operation = {}", quoted("insert")));
    }
    keys.extend(operation);
    if let Some(api) = text(properties, "dataTransferApi") {
        keys.push(format!("data-transfer-api = {}", quoted(&kebab(api))));
    }
    keys.extend(error_handling(&properties["errorHandlingConfig"], context));
    Some(table("salesforce", &keys))
}

// ---------------------------------------------------------------------------------------
// Model

/// How AppFlow authenticates to Salesforce.
///
/// There is no client-credentials grant: the schema's `OAuth2GrantType` enum still lists
/// `CLIENT_CREDENTIALS`, but AppFlow's API model says since 2024-10-11 "The
/// CLIENT_CREDENTIALS value is not supported for Salesforce" (API reference,
/// SalesforceConnectorProfileCredentials and SalesforceMetadata), and such a profile fails
/// with "AuthCode cannot be blank for connector: SALESFORCE" (terraform-provider-aws#43998).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SalesforceAuth {
    /// OAuth refresh-token grant (`AUTHORIZATION_CODE`): an access and a refresh token plus
    /// the connected app's client ID and secret, stored in a secret AppFlow reads itself.
    ///
    /// Both tokens are required: through CloudFormation "you must fetch the access and
    /// refresh tokens" (AWS::AppFlow::ConnectorProfile), and without the access token
    /// AppFlow fails with "AuthCode cannot be blank" (terraform-provider-aws#26396). An
    /// expired access token is fine: AppFlow refreshes it.
    RefreshToken {
        /// The access token AppFlow starts with.
        access_token: Credential,
        /// The refresh token.
        refresh_token: Credential,
        /// The secret holding `clientId` and `clientSecret` (`ClientCredentialsArn`).
        client_credentials: SecretRef,
    },

    /// OAuth JWT bearer flow (`JWT_BEARER`).
    JwtBearer {
        /// The signed JWT.
        jwt: Credential,
        /// The connected app's client credentials, when the org requires them.
        client_credentials: Option<SecretRef>,
    },
    /// A bare access token (it expires; for short-lived setups and tests).
    AccessToken {
        /// The access token.
        access_token: Credential,
    },
}

impl SalesforceAuth {
    /// The secret AppFlow reads the connected app's client ID and secret from
    /// (`ClientCredentialsArn`), if the grant has one.
    pub fn client_credentials(&self) -> Option<&SecretRef> {
        match self {
            SalesforceAuth::RefreshToken { client_credentials, .. } => Some(client_credentials),
            SalesforceAuth::JwtBearer { client_credentials, .. } => client_credentials.as_ref(),
            SalesforceAuth::AccessToken { .. } => None,
        }
    }
}

/// The Salesforce settings of a connector profile the stack creates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesforceSettings {
    pub(crate) instance_url: Text,
    pub(crate) sandbox: bool,
    pub(crate) auth: Option<SalesforceAuth>,
}

/// A Salesforce connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type SalesforceConnectorProfile = ConnectorProfile<SalesforceSettings>;

impl ConnectorProfile<SalesforceSettings> {
    /// A profile the stack creates for the Salesforce instance at `instance_url`.
    /// Set its credentials with one of the `*_grant`/`access_token` methods.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let client = SecretRef::named("sf-client");
    /// let profile = SalesforceConnectorProfile::new("salesforce", "https://acme.my.salesforce.com")
    ///     .refresh_token_grant(
    ///         Credential::secret(&client, "accessToken"),
    ///         Credential::secret(&client, "refreshToken"),
    ///         &client,
    ///     );
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(name: impl Into<String>, instance_url: impl Into<Text>) -> Self {
        ConnectorProfile::owned(
            name,
            SalesforceSettings {
                instance_url: instance_url.into(),
                ..SalesforceSettings::default()
            },
        )
    }

    /// Marks the instance as a sandbox (`isSandboxEnvironment`).
    pub fn sandbox(self, sandbox: bool) -> Self {
        self.configure(|settings| settings.sandbox = sandbox)
    }

    /// Authenticates with an access token, a refresh token and the connected app's
    /// client-credentials secret (AppFlow needs both tokens; an expired access token is
    /// refreshed).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let tokens = SecretRef::named("sf-tokens");
    /// let app = SecretRef::named("sf-app");
    /// let profile = SalesforceConnectorProfile::new("sf", "https://acme.my.salesforce.com")
    ///     .sandbox(false)
    ///     .refresh_token_grant(
    ///         Credential::secret(&tokens, "accessToken"),
    ///         Credential::secret(&tokens, "refreshToken"),
    ///         &app,
    ///     );
    /// assert!(profile.is_owned());
    /// ```
    pub fn refresh_token_grant(
        self,
        access_token: Credential,
        refresh_token: Credential,
        client_credentials: impl Into<SecretRef>,
    ) -> Self {
        self.auth(SalesforceAuth::RefreshToken {
            access_token,
            refresh_token,
            client_credentials: client_credentials.into(),
        })
    }

    /// Authenticates with a JWT bearer token (TOML `oauth.jwt`); add the connected app's
    /// secret with [`SalesforceConnectorProfile::client_secret`] if the org requires it.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let profile = SalesforceConnectorProfile::new("sf", "https://acme.my.salesforce.com")
    ///     .jwt_grant(Credential::parameter("SfJwt"))
    ///     .client_secret(SecretRef::named("sf-app"));
    /// assert!(profile.is_owned());
    /// ```
    pub fn jwt_grant(self, jwt: Credential) -> Self {
        self.auth(SalesforceAuth::JwtBearer {
            jwt,
            client_credentials: None,
        })
    }

    /// The secret holding the connected app's `clientId` and `clientSecret` (TOML
    /// `oauth.client-secret`), for the JWT grant; the refresh-token grant takes it as an
    /// argument.
    pub fn client_secret(self, secret: impl Into<SecretRef>) -> Self {
        let secret = secret.into();
        self.configure(|settings| match &mut settings.auth {
            Some(SalesforceAuth::JwtBearer { client_credentials, .. }) => *client_credentials = Some(secret),
            Some(SalesforceAuth::RefreshToken { client_credentials, .. }) => *client_credentials = secret,
            _ => {}
        })
    }

    /// Authenticates with an access token alone.
    pub fn access_token(self, access_token: Credential) -> Self {
        self.auth(SalesforceAuth::AccessToken { access_token })
    }

    /// Sets the authentication (replacing any set before).
    pub fn auth(self, auth: SalesforceAuth) -> Self {
        self.configure(|settings| settings.auth = Some(auth))
    }
}

/// Reads one Salesforce object.
///
/// There is no API version setting: `SourceFlowConfig.ApiVersion` is for custom
/// connectors, and the native Salesforce connector ignores it and uses the version of
/// its connection (terraform-provider-awscc#889; DEPLOY-TIME.md rule 8).
#[derive(Debug, Clone, PartialEq)]
pub struct SalesforceSource {
    pub(crate) profile: ProfileRef,
    pub(crate) object: Text,
    pub(crate) data_transfer_api: Option<DataTransferApi>,
    pub(crate) dynamic_field_update: Option<bool>,
    pub(crate) include_deleted_records: Option<bool>,
}

impl SalesforceSource {
    /// Reads `object` (e.g. `Account`, or a reference: [`Text`]) through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = SalesforceSource::new(ProfileRef::named("sf"), "Account")
    ///     .data_transfer_api(DataTransferApi::Bulkv2)
    ///     .include_deleted_records(true)
    ///     .dynamic_field_update(false);
    /// // The object may also come from a parameter, a secret, SSM or an export.
    /// let from_parameter = SalesforceSource::new(ProfileRef::named("sf"), Text::parameter("SfObject"));
    /// assert_ne!(source, from_parameter);
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        SalesforceSource {
            profile: profile.into(),
            object: object.into(),
            data_transfer_api: None,
            dynamic_field_update: None,
            include_deleted_records: None,
        }
    }

    /// Chooses REST, Bulk API 2.0, or automatic.
    pub fn data_transfer_api(mut self, api: DataTransferApi) -> Self {
        self.data_transfer_api = Some(api);
        self
    }

    /// Picks up fields added to the object after the flow was created.
    pub fn dynamic_field_update(mut self, enabled: bool) -> Self {
        self.dynamic_field_update = Some(enabled);
        self
    }

    /// Includes deleted records.
    pub fn include_deleted_records(mut self, enabled: bool) -> Self {
        self.include_deleted_records = Some(enabled);
        self
    }
}

/// Writes to a Salesforce object.
#[derive(Debug, Clone, PartialEq)]
pub struct SalesforceDestination {
    pub(crate) profile: ProfileRef,
    pub(crate) object: Text,
    pub(crate) operation: WriteOperation,
    pub(crate) data_transfer_api: Option<DataTransferApi>,
    pub(crate) error_handling: Option<ErrorHandling>,
}

impl SalesforceDestination {
    /// Writes to `object` through `profile` with `operation` (TOML `operation`); an
    /// upsert, update or delete names its id fields with [`SalesforceDestination::id_fields`].
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let destination = SalesforceDestination::new(ProfileRef::named("crm"), "Contact", WriteOperationType::Upsert)
    ///     .id_fields(["External_Id__c"]);
    /// # let _ = destination;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>, operation: impl Into<WriteOperation>) -> Self {
        SalesforceDestination {
            profile: profile.into(),
            object: object.into(),
            operation: operation.into(),
            data_transfer_api: None,
            error_handling: None,
        }
    }

    /// Chooses REST, Bulk API 2.0, or automatic.
    pub fn data_transfer_api(mut self, api: DataTransferApi) -> Self {
        self.data_transfer_api = Some(api);
        self
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

// ---------------------------------------------------------------------------------------
// Diagnostics

/// An error only a Salesforce profile, source or destination has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum SalesforceError {
    /// A Salesforce instance URL that is not the org's API host.
    #[error("instance URL `{url}` is {reason}")]
    #[diagnostic(
        code(flowform::salesforce::instance_url),
        help("use the org's My Domain URL, `{suggestion}` (Setup → My Domain shows it)")
    )]
    NotApiHost {
        /// The URL given.
        url: String,
        /// What kind of URL it is.
        reason: &'static str,
        /// The URL to use.
        suggestion: String,
    },

    /// The client-credentials grant, which AppFlow refuses for Salesforce.
    #[error("AppFlow does not support the client-credentials grant for Salesforce")]
    #[diagnostic(
        code(flowform::salesforce::client_credentials_unsupported),
        help(
            "use the refresh-token grant (`access-token` + `refresh-token` + `client-secret`) or a JWT bearer token (`jwt`); AppFlow's API reference says \"The CLIENT_CREDENTIALS value is not supported for Salesforce\""
        )
    )]
    ClientCredentialsUnsupported,

    /// A refresh-token grant without the access token AppFlow creates the profile from.
    #[error("a refresh-token grant needs an access token too")]
    #[diagnostic(
        code(flowform::salesforce::missing_access_token),
        help(
            "add `access-token = {{ secret = \"...\", key = \"accessToken\" }}` (or a parameter): AppFlow creates the profile from the access token and fails without one (\"AuthCode cannot be blank\"); an expired one is fine, AppFlow refreshes it with the refresh token"
        )
    )]
    MissingAccessToken,

    /// `api-version` on the native connector, which ignores it.
    #[error("`api-version` has no effect on the native Salesforce connector")]
    #[diagnostic(
        code(flowform::salesforce::api_version_ignored),
        help(
            "remove it: AppFlow uses the Salesforce API version of the connection (the setting exists for custom connectors)"
        )
    )]
    ApiVersionIgnored,
}

impl crate::model::Label for SalesforceError {
    fn label(&self) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed(match self {
            SalesforceError::NotApiHost { .. } => "here",
            SalesforceError::ClientCredentialsUnsupported => "not supported by AppFlow",
            SalesforceError::MissingAccessToken => "no `access-token`",
            SalesforceError::ApiVersionIgnored => "ignored by AppFlow",
        })
    }
}

impl crate::model::Label for SalesforceWarning {}

/// A warning only a Salesforce profile has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum SalesforceWarning {
    /// An instance URL that is not on a Salesforce domain.
    #[error("instance URL `{url}` is not a `*.salesforce.com` My Domain URL")]
    #[diagnostic(
        code(flowform::salesforce::unusual_instance_url),
        severity(Warning),
        help(
            "AppFlow connects to the org's My Domain URL, such as `https://acme.my.salesforce.com`; check this is your org's"
        )
    )]
    UnusualInstanceUrl {
        /// The URL.
        url: String,
    },
}

/// The Salesforce API AppFlow uses (`DataTransferApi`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataTransferApi {
    /// AppFlow picks REST or Bulk API 2.0 by the size of the transfer.
    Automatic,
    /// Always Bulk API 2.0.
    Bulkv2,
    /// Always the synchronous REST API.
    RestSync,
}

impl From<DataTransferApi> for flow::DataTransferApi {
    fn from(value: DataTransferApi) -> Self {
        match value {
            DataTransferApi::Automatic => flow::DataTransferApi::Automatic,
            DataTransferApi::Bulkv2 => flow::DataTransferApi::Bulkv2,
            DataTransferApi::RestSync => flow::DataTransferApi::RestSync,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Lowering

impl LowerProfile for SalesforceConnectorProfile {
    const CONNECTOR: ConnectorType = ConnectorType::Salesforce;
    type Toml = TomlSalesforceProfile;

    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<TomlSalesforceProfile>) -> Option<Self> {
        let sf = raw.get();
        let keys = ProfileKeys {
            import: &sf.import,
            key: &sf.key,
            profile_name: &sf.profile_name,
            private: &sf.private,
        };
        let others = sf.instance_url.is_some() || sf.sandbox.is_some() || sf.oauth.is_some();
        lower_profile(lowerer, name, at, raw.span(), keys, others, |lowerer| {
            let Some(url) = &sf.instance_url else {
                let example = "https://<your domain>.my.salesforce.com";
                lowerer.error(InputError::MissingInstanceUrl { example }, raw.span());
                return None;
            };
            let mut profile = SalesforceConnectorProfile::new(name, lowerer.text(&at.key("instance-url"), url));
            if let Some(sandbox) = &sf.sandbox {
                lowerer.record(&at.key("sandbox"), sandbox.span());
                profile = profile.sandbox(*sandbox.get());
            }
            if let Some(oauth) = &sf.oauth {
                match lower_oauth(lowerer, &at.key("oauth"), oauth) {
                    Some(auth) => profile = profile.auth(auth),
                    // The credentials were written but wrong, and that error is reported:
                    // "no credentials" from validation would only repeat it less precisely.
                    None => lowerer.credentials_unreadable(name),
                }
            }
            Some(profile)
        })
    }
}

fn lower_oauth(lowerer: &mut Lowerer, at: &At, raw: &Sp<TomlOAuth>) -> Option<SalesforceAuth> {
    lowerer.record(at, raw.span());
    let oauth = raw.get();
    let refresh_token = oauth
        .refresh_token
        .as_ref()
        .map(|c| lowerer.credential(&at.key("refresh-token"), c));
    let access_token = oauth
        .access_token
        .as_ref()
        .map(|c| lowerer.credential(&at.key("access-token"), c));
    let jwt = oauth.jwt.as_ref().map(|c| lowerer.credential(&at.key("jwt"), c));
    let client_secret = lowerer
        .opt_string(&at.key("client-secret"), &oauth.client_secret)
        .map(SecretRef::named);
    if let Some(client_credentials) = &oauth.client_credentials {
        // The schema's enum lists CLIENT_CREDENTIALS, but AppFlow rejects it for
        // Salesforce: "The CLIENT_CREDENTIALS value is not supported for Salesforce"
        // (AppFlow API reference, SalesforceConnectorProfileCredentials, since the
        // model update of 2024-10-11), and such a profile fails with "AuthCode cannot
        // be blank for connector: SALESFORCE" (terraform-provider-aws#43998).
        lowerer.error(SalesforceError::ClientCredentialsUnsupported, client_credentials.span());
        return None;
    }
    let grants = [
        refresh_token.is_some(),
        jwt.is_some(),
        access_token.is_some() && refresh_token.is_none(),
    ];
    const GRANTS: &str = "`refresh-token` + `access-token` + `client-secret`, or `jwt`, or `access-token` alone";
    match grants.iter().filter(|set| **set).count() {
        1 => {}
        0 => {
            // The caller marks the profile's credentials unreadable, which silences
            // validation's "no credentials": this is the only report of the mistake.
            let keys = "`refresh-token`, `jwt` or `access-token`";
            lowerer.error(InputError::NoGrant { grants: GRANTS, keys }, raw.span());
            return None;
        }
        _ => {
            let ways = "refresh token, JWT or access token";
            lowerer.error(InputError::ConflictingGrants { ways, grants: GRANTS }, raw.span());
            return None;
        }
    }
    if let Some(jwt) = jwt {
        return Some(SalesforceAuth::JwtBearer {
            jwt: jwt?,
            client_credentials: client_secret,
        });
    }
    let Some(refresh) = refresh_token else {
        return Some(SalesforceAuth::AccessToken {
            access_token: access_token.flatten()?,
        });
    };
    let Some(client_credentials) = client_secret else {
        lowerer.error(InputError::MissingClientSecret, raw.span());
        return None;
    };
    // AWS::AppFlow::ConnectorProfile: for OAuth connectors created through
    // CloudFormation "you must fetch the access and refresh tokens"; without an access
    // token AppFlow takes the authorization-code path and fails ("AuthCode cannot be
    // blank for connector: SALESFORCE", terraform-provider-aws#26396; DEPLOY-TIME.md
    // rule 2). A stale access token is fine: AppFlow refreshes it.
    let Some(access) = access_token else {
        lowerer.error(SalesforceError::MissingAccessToken, raw.span());
        return None;
    };
    Some(SalesforceAuth::RefreshToken {
        access_token: access?,
        refresh_token: refresh?,
        client_credentials,
    })
}

fn lower_data_transfer_api(
    lowerer: &mut Lowerer,
    at: &At,
    raw: &Option<Sp<TomlDataTransferApi>>,
) -> Option<DataTransferApi> {
    raw.as_ref().map(|api| {
        lowerer.record(at, api.span());
        match api.get() {
            TomlDataTransferApi::Automatic => DataTransferApi::Automatic,
            TomlDataTransferApi::Bulkv2 => DataTransferApi::Bulkv2,
            TomlDataTransferApi::RestSync => DataTransferApi::RestSync,
        }
    })
}

/// `api-version` on a native Salesforce source or destination: an error, because
/// `SourceFlowConfig.ApiVersion` / `DestinationFlowConfig.ApiVersion` exist for custom
/// connectors and the native connector silently uses its connection's version instead
/// (terraform-provider-awscc#889; DEPLOY-TIME.md rule 8).
fn refuse_api_version(lowerer: &mut Lowerer, raw: &Option<Sp<String>>) {
    if let Some(version) = raw {
        lowerer.error(SalesforceError::ApiVersionIgnored, version.span());
    }
}

impl Lower for SalesforceSource {
    const CONNECTOR: ConnectorType = ConnectorType::Salesforce;
    /// Change data capture and platform events start event-triggered flows (AppFlow
    /// guide, Salesforce; DEPLOY-TIME.md rule 5).
    const EMITS_EVENTS: bool = true;
    type Toml = TomlSalesforceSource;

    fn lower(lowerer: &mut Lowerer, at: &At, sf: &TomlSalesforceSource) -> Option<Self> {
        let profile = lowerer.string(&at.key("profile"), &sf.profile);
        let mut model = SalesforceSource::new(ProfileRef::named(profile), lowerer.text(&at.key("object"), &sf.object));
        refuse_api_version(lowerer, &sf.api_version);
        model.data_transfer_api = lower_data_transfer_api(lowerer, &at.key("data-transfer-api"), &sf.data_transfer_api);
        model.dynamic_field_update = sf.dynamic_field_update;
        model.include_deleted_records = sf.include_deleted_records;
        Some(model)
    }
}

impl Lower for SalesforceDestination {
    const CONNECTOR: ConnectorType = ConnectorType::Salesforce;
    type Toml = TomlSalesforceDestination;

    fn lower(lowerer: &mut Lowerer, at: &At, sf: &TomlSalesforceDestination) -> Option<Self> {
        let operation = TomlWriteOperation::lower(lowerer, at, &sf.operation, &sf.id_fields);
        let profile = lowerer.string(&at.key("profile"), &sf.profile);
        let object = lowerer.text(&at.key("object"), &sf.object);
        let mut model = SalesforceDestination::new(ProfileRef::named(profile), object, operation);
        refuse_api_version(lowerer, &sf.api_version);
        model.data_transfer_api = lower_data_transfer_api(lowerer, &at.key("data-transfer-api"), &sf.data_transfer_api);
        model.error_handling = TomlErrorHandling::lower(lowerer, &at.key("error-handling"), &sf.error_handling);
        Some(model)
    }
}

// ---------------------------------------------------------------------------------------
// Checks and synthesis

/// The JSON keys AppFlow reads from a Salesforce client-credentials secret. No AWS page
/// spells them; cdk-appflow's `SalesforceConnectorProfile` and public AppFlow setups
/// (re:Post answers) use these, so the evidence is practitioner-level.
const CLIENT_SECRET_KEYS: [&str; 2] = ["clientId", "clientSecret"];

/// How messages name Salesforce objects.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Salesforce object",
    help: "name the object, e.g. `Account`",
    what: "Salesforce object",
    allowed: "object names have no spaces, e.g. `Account` or `Invoice__c`",
};

/// An instance URL AppFlow can connect to: the org's My Domain URL. AppFlow itself only
/// checks for whitespace, but its examples use `https://<domain>.my.salesforce.com`;
/// Lightning (`*.lightning.force.com`) and setup URLs are not API hosts, and
/// `login`/`test.salesforce.com` are login hosts, not an org (Salesforce My Domain
/// docs; AWS::AppFlow::ConnectorProfile SalesforceConnectorProfileProperties).
fn check_instance_url(checker: &mut Checker<'_>, path: Path, url: &str) {
    let Some(host) = common::check_instance_url(checker, &path, url, "https://acme.my.salesforce.com") else {
        return;
    };
    let rest = url["https://".len()..].split_once('/').map_or("", |(_, rest)| rest);
    let my_domain = |replaced: &str, by: &str| {
        let domain = host.strip_suffix(replaced).unwrap_or(&host);
        ["https://", domain, by].concat()
    };
    let problem = if host.ends_with(".lightning.force.com") {
        Some((
            "a Lightning Experience URL, not the API host",
            my_domain(".lightning.force.com", ".my.salesforce.com"),
        ))
    } else if host.ends_with(".my.salesforce-setup.com") {
        Some((
            "a Setup URL, not the API host",
            my_domain(".my.salesforce-setup.com", ".my.salesforce.com"),
        ))
    } else if matches!(host.as_str(), "login.salesforce.com" | "test.salesforce.com") {
        Some((
            "Salesforce's login host, not an org",
            "https://<your domain>.my.salesforce.com".into(),
        ))
    } else if host.ends_with(".force.com") || host.ends_with(".site.com") {
        Some((
            "a site or Visualforce URL, not the API host",
            "https://<your domain>.my.salesforce.com".into(),
        ))
    } else if !rest.is_empty() {
        Some(("a page URL, not the instance", ["https://", host.as_str()].concat()))
    } else {
        None
    };
    match problem {
        Some((reason, suggestion)) => checker.error(
            path,
            SalesforceError::NotApiHost {
                url: url.into(),
                reason,
                suggestion,
            }
            .into(),
        ),
        None if !host.ends_with(".salesforce.com") => {
            checker.warn(path, SalesforceWarning::UnusualInstanceUrl { url: url.into() }.into());
        }
        None => {}
    }
}

impl ProfileConnector for SalesforceSettings {
    fn has_credentials(&self) -> bool {
        self.auth.is_some()
    }

    // "The following SaaS applications are integrated with AWS PrivateLink: Salesforce, ..."
    // (AppFlow user guide, private-flows.html).
    fn supports_private_connection(&self) -> bool {
        true
    }

    fn credential_ways(&self) -> &'static str {
        "OAuth credentials: a refresh token with a client-credentials secret, a JWT bearer token, or an access token"
    }

    fn credentials(&self) -> Vec<(&'static [&'static str], &Credential)> {
        match &self.auth {
            Some(SalesforceAuth::RefreshToken {
                refresh_token,
                access_token,
                ..
            }) => vec![
                (&["oauth", "refresh-token"], refresh_token),
                (&["oauth", "access-token"], access_token),
            ],
            Some(SalesforceAuth::JwtBearer { jwt, .. }) => vec![(&["oauth", "jwt"], jwt)],
            Some(SalesforceAuth::AccessToken { access_token }) => vec![(&["oauth", "access-token"], access_token)],
            None => Vec::new(),
        }
    }

    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        vec![(&["instance-url"], &self.instance_url)]
    }

    fn secrets(&self) -> Vec<(&'static [&'static str], &SecretRef)> {
        let secret = self.auth.as_ref().and_then(SalesforceAuth::client_credentials);
        secret
            .map(|secret| (&["oauth", "client-secret"][..], secret))
            .into_iter()
            .collect()
    }

    fn check(&self, checker: &mut Checker<'_>, path: &Path) {
        if let Some(url) = self.instance_url.literal() {
            check_instance_url(checker, path.key("instance-url"), url);
        }
        if let Some(secret) = self.auth.as_ref().and_then(SalesforceAuth::client_credentials) {
            // AppFlow reads the connected app's `clientId` and `clientSecret` itself, by
            // ARN (`ClientCredentialsArn`).
            checker.check_secret_keys(path.key("oauth").key("client-secret"), secret, &CLIENT_SECRET_KEYS);
        }
    }

    fn synthesize(
        &self,
        synth: &mut Synth<'_>,
        _profile: &str,
    ) -> (ConnectorProfileProperties, ConnectorProfileCredentials) {
        let mut credentials = SalesforceConnectorProfileCredentials {
            access_token: None,
            refresh_token: None,
            jwt_token: None,
            client_credentials_arn: None,
            oauth2_grant_type: None,
            connector_oauth_request: None,
        };
        match &self.auth {
            Some(SalesforceAuth::RefreshToken {
                refresh_token,
                access_token,
                ..
            }) => {
                credentials.refresh_token = Some(synth.credential(refresh_token));
                credentials.access_token = Some(synth.credential(access_token));
                credentials.oauth2_grant_type = Some(OAuth2GrantType::AuthorizationCode);
            }
            Some(SalesforceAuth::JwtBearer { jwt, .. }) => {
                credentials.jwt_token = Some(synth.credential(jwt));
                credentials.oauth2_grant_type = Some(OAuth2GrantType::JwtBearer);
            }
            Some(SalesforceAuth::AccessToken { access_token }) => {
                credentials.access_token = Some(synth.credential(access_token));
            }
            None => {}
        }
        if let Some(secret) = self.auth.as_ref().and_then(SalesforceAuth::client_credentials) {
            credentials.client_credentials_arn = Some(synth.secret_arn(secret.name()));
        }
        (
            ConnectorProfileProperties {
                salesforce: Some(Box::new(SalesforceConnectorProfileProperties {
                    instance_url: Some(synth.text(&self.instance_url)),
                    is_sandbox_environment: Some(Expr::Bool(self.sandbox)),
                    use_private_link_for_metadata_and_authorization: None,
                })),
                ..ConnectorProfileProperties::default()
            },
            ConnectorProfileCredentials {
                salesforce: Some(Box::new(credentials)),
                ..ConnectorProfileCredentials::default()
            },
        )
    }
}

impl SourceConnector for SalesforceSource {
    fn profile(&self) -> Option<&ProfileRef> {
        Some(&self.profile)
    }

    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        vec![(&["object"], &self.object)]
    }

    fn check(&self, checker: &mut Checker<'_>, _flow: &AnyFlow, path: &Path) {
        common::check_object(checker, path.key("object"), &self.object, &OBJECT);
    }

    fn synthesize(&self, synth: &Synth<'_>) -> SourceConnectorProperties {
        SourceConnectorProperties {
            salesforce: Some(Box::new(SalesforceSourceProperties {
                object: synth.text(&self.object),
                data_transfer_api: self.data_transfer_api.map(Into::into),
                enable_dynamic_field_update: self.dynamic_field_update.map(Expr::Bool),
                include_deleted_records: self.include_deleted_records.map(Expr::Bool),
            })),
            ..SourceConnectorProperties::default()
        }
    }
}

impl DestinationConnector for SalesforceDestination {
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
        self.operation
            .check(checker, <Self as Lower>::CONNECTOR, &path.key("id-fields"));
    }

    fn synthesize(&self, synth: &Synth<'_>) -> DestinationConnectorProperties {
        DestinationConnectorProperties {
            salesforce: Some(Box::new(SalesforceDestinationProperties {
                object: synth.text(&self.object),
                write_operation_type: Some(self.operation.kind.into()),
                id_field_names: self.operation.id_fields.iter().cloned().map(Expr::Str).collect(),
                data_transfer_api: self.data_transfer_api.map(Into::into),
                error_handling_config: ErrorHandling::synthesize(&self.error_handling, synth),
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
    fn a_salesforce_flow_is_imported_with_its_connection_and_key() {
        let source = json!({
            "connectorType": "Salesforce",
            "connectorProfileName": "my-sf.connection",
            "sourceConnectorProperties": {"Salesforce": {
                "object": "Account", "dataTransferApi": "REST_SYNC", "enableDynamicFieldUpdate": true
            }}
        });
        let mut described = flow(source, files_destination());
        described["kmsArn"] = json!("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        described["flowStatus"] = json!("Suspended");
        described["triggerConfig"] = json!({"triggerType": "Event"});
        let toml = compiled(described);
        assert!(
            toml.contains("[profile.my-sf-connection.salesforce]\nimport = \"my-sf.connection\""),
            "{toml}"
        );
        assert!(toml.contains("[bucket.acme-lake]\nimport = \"acme.lake\""), "{toml}");
        assert!(
            toml.contains("[key.1234abcd-12ab-34cd-56ef-1234567890ab]\nimport = \"arn:aws:kms:"),
            "{toml}"
        );
        assert!(toml.contains("name = \"console-accounts\""), "{toml}");
        assert!(toml.contains("trigger.event = { status = \"suspended\" }"), "{toml}");
        assert!(
            toml.contains("source.salesforce = { profile = \"my-sf-connection\", object = \"Account\", data-transfer-api = \"rest-sync\", dynamic-field-update = true }"),
            "{toml}"
        );
        assert!(toml.contains("map-fields = [\"Id\"]"), "{toml}");
    }
}
