//! SAP OData: a source (an OData service's entity set, paged and in parallel), a
//! destination (with write operation, id fields, success responses and error handling) and
//! a profile of the SAP application with basic authentication or an OAuth client. AppFlow
//! user guide, "SAP OData" (<https://docs.aws.amazon.com/appflow/latest/userguide/sapodata.html>).
//!
//! Longer than most modules: a source, a destination and a profile, each with more settings
//! than most connectors have.
//!
//! What AWS documents, and what flowform enforces:
//! - profile: the schema requires none of its properties, but the API reference marks
//!   `applicationHostUrl`, `applicationServicePath`, `clientNumber` and `portNumber`
//!   "Required: Yes", so flowform requires them; the client number is "3 digit ...
//!   Acceptable values are [001-999]"; the logon language, two characters;
//!   "Basic - Supported for OData V2.0 and OData V4.0", "OAuth 2.0 - Supported for only OData
//!   V2.0": exactly one of `basic` and `oauth`. An OAuth profile needs the API's required
//!   `OAuthProperties` (`AuthCodeUrl`, `TokenUrl`, `OAuthScopes`) and, through
//!   CloudFormation, its tokens ("you must fetch the access and refresh tokens");
//! - private connections: "You need to create VPC Endpoint Service for your SAP OData
//!   instance", named `com.amazonaws.vpce.<region>.vpce-svc-…` (`PrivateLinkServiceName`,
//!   the API's pattern), with `private = true`, and both go together;
//! - source: `ObjectPath`, `paginationConfig.maxPageSize` (1–10000; "For transfers of
//!   OData records, the maximum page size is 3,000": more is a warning, as it is allowed for
//!   ODP), `parallelismConfig.maxParallelism` (1–10); "a maximum frequency of one flow runs
//!   per minute", AppFlow's floor; no change events, so no event flows;
//! - destination: "fetch, create, and update records": insert (the default) and update;
//!   upsert and delete are in the schema but nothing documents them for SAP, so they are a
//!   warning. "To capture the SAP success response for new records", a bucket that "must
//!   be in the same AWS Region as the flow": it and the error bucket get AppFlow's write
//!   statement through the shared permissions pass.

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::cfn::Expr;
use crate::cfn::generated::connector_profile::{
    BasicAuthCredentials, ConnectorProfileCredentials, ConnectorProfileProperties, OAuthProperties,
    SAPODataConnectorProfileCredentials, SAPODataConnectorProfileCredentialsOAuthCredentials,
    SAPODataConnectorProfileProperties,
};
use crate::cfn::generated::flow::{
    DestinationConnectorProperties, SAPODataDestinationProperties, SAPODataPaginationConfig, SAPODataParallelismConfig,
    SAPODataSourceProperties, SourceConnectorProperties, SuccessResponseHandlingConfig,
};
use crate::input::InputError;
use crate::input::lower::{At, Lowerer};
use crate::input::raw::{Sp, TomlText};
use crate::model::validate::Checker;
use crate::model::{AnyFlow, BucketRef, Credential, Path, ProfileRef, Text};
use crate::synth::Synth;

use super::common::{
    self, BasicAuth, ConnectorProfile, ErrorHandling, OAuthTokens, ObjectWords, ProfileKeys, TomlBasicAuth,
    TomlErrorHandling, TomlOAuthTokens, TomlWriteOperation, WriteOperation, WriteOperationType,
};
use super::{
    Access, BucketUse, ConnectorType, DestinationConnector, Lower, LowerProfile, ProfileConnector, SourceConnector,
    SourceRules,
};

/// How messages name SAP OData object paths.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the SAP OData object path",
    help: "name the entity set's path in the service, e.g. `/sap/opu/odata/sap/API_SALES_ORDER_SRV/A_SalesOrder`",
    what: "SAP OData object path",
    allowed: "object paths have no spaces",
};

/// The two ways, as messages name them.
const WAYS: &str = "`basic = { username, password }`, or `oauth = { client-secret, access-token, refresh-token }` with `oauth-properties`";

/// The prefix of PrivateLink service names (the API's pattern for `PrivateLinkServiceName`).
const SERVICE_NAME_PREFIX: &str = "com.amazonaws.vpce.";

/// "For transfers of OData records, the maximum page size is 3,000" (10,000 for ODP).
const ODATA_MAX_PAGE_SIZE: i64 = 3_000;

// ---------------------------------------------------------------------------------------
// Profile model

/// How AppFlow signs in to SAP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SapODataAuth {
    /// A user name and password.
    Basic(BasicAuth),
    /// An OAuth client with its tokens, and the SAP OAuth endpoints.
    OAuth {
        /// The client and its tokens.
        tokens: OAuthTokens,
        /// The SAP endpoints and scopes.
        properties: SapOAuthProperties,
    },
}

/// The SAP OAuth endpoints and scopes (`OAuthProperties`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SapOAuthProperties {
    /// "The authorization code url required to redirect to SAP Login Page".
    pub auth_code_url: String,
    /// The token URL, "to fetch access/refresh tokens ... and also to refresh expired access
    /// token".
    pub token_url: String,
    /// The OAuth scopes, e.g. `/IWFND/SG_MED_CATALOG_0002`.
    pub scopes: Vec<String>,
}

/// The SAP OData settings of a connector profile the stack creates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SapODataSettings {
    pub(crate) host_url: Text,
    pub(crate) service_path: Text,
    pub(crate) client_number: Text,
    pub(crate) port: i64,
    pub(crate) logon_language: Option<Text>,
    pub(crate) disable_sso: Option<bool>,
    pub(crate) private_link_service_name: Option<Text>,
    pub(crate) auth: Option<SapODataAuth>,
}

/// A SAP OData connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type SapODataConnectorProfile = ConnectorProfile<SapODataSettings>;

impl ConnectorProfile<SapODataSettings> {
    /// A profile the stack creates for the SAP application at `host_url` and `port`, its
    /// catalog service at `service_path`, client `client_number` (`001`–`999`); give it its
    /// credentials with [`basic`](ConnectorProfile::basic) or
    /// [`oauth`](ConnectorProfile::oauth).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let user = SecretRef::named("sap-user");
    /// let profile = SapODataConnectorProfile::new(
    ///     "erp",
    ///     "https://sap.acme.com",
    ///     443,
    ///     "/sap/opu/odata/iwfnd/catalogservice;v=2",
    ///     "010",
    /// )
    /// .logon_language("EN")
    /// .disable_sso(true)
    /// .basic(Credential::secret(&user, "username"), Credential::secret(&user, "password"));
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(
        name: impl Into<String>,
        host_url: impl Into<Text>,
        port: u16,
        service_path: impl Into<Text>,
        client_number: impl Into<Text>,
    ) -> Self {
        let settings = SapODataSettings {
            host_url: host_url.into(),
            service_path: service_path.into(),
            client_number: client_number.into(),
            port: port.into(),
            ..SapODataSettings::default()
        };
        ConnectorProfile::owned(name, settings)
    }

    /// Signs in with a user name and password (TOML `basic`).
    pub fn basic(self, username: Credential, password: Credential) -> Self {
        self.configure(|settings| settings.auth = Some(SapODataAuth::Basic(BasicAuth::new(username, password))))
    }

    /// Signs in as an OAuth client with its tokens (TOML `oauth`), at the SAP endpoints and
    /// scopes of `properties` (TOML `oauth-properties`).
    pub fn oauth(self, tokens: OAuthTokens, properties: SapOAuthProperties) -> Self {
        self.configure(|settings| settings.auth = Some(SapODataAuth::OAuth { tokens, properties }))
    }

    /// The two-character logon language, e.g. `EN` (TOML `logon-language`).
    pub fn logon_language(self, language: impl Into<Text>) -> Self {
        let language = language.into();
        self.configure(|settings| settings.logon_language = Some(language))
    }

    /// Bypass SAP's single sign-on settings, which "can prevent Amazon AppFlow from
    /// connecting" with basic authentication (TOML `disable-sso`).
    pub fn disable_sso(self, disable: bool) -> Self {
        self.configure(|settings| settings.disable_sso = Some(disable))
    }

    /// The VPC endpoint service of the SAP instance, with
    /// [`private_connection`](ConnectorProfile::private_connection) (TOML
    /// `private-link-service-name`).
    pub fn private_link_service_name(self, name: impl Into<Text>) -> Self {
        let name = name.into();
        self.configure(|settings| settings.private_link_service_name = Some(name))
    }
}

// ---------------------------------------------------------------------------------------
// Profile TOML

/// `oauth-properties` of a SAP OData profile.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlSapOAuthProperties {
    /// The URL that redirects to the SAP login page for the authorization code.
    pub auth_code_url: Sp<String>,
    /// The URL that issues and refreshes tokens.
    pub token_url: Sp<String>,
    /// The OAuth scopes.
    #[serde(default)]
    pub scopes: Vec<Sp<String>>,
}

/// `[profile.<name>.sapodata]`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlSapODataProfile {
    /// An existing profile, by name or ARN; no other key may be set then.
    pub import: Option<Sp<String>>,
    /// The SAP application's URL, e.g. `https://sap.acme.com`.
    pub application_host_url: Option<Sp<TomlText>>,
    /// The catalog service's path, e.g. `/sap/opu/odata/iwfnd/catalogservice;v=2`.
    pub application_service_path: Option<Sp<TomlText>>,
    /// The three-digit client number, `001` to `999`.
    pub client_number: Option<Sp<TomlText>>,
    /// The port, 1 to 65535.
    pub port_number: Option<Sp<i64>>,
    /// The two-character logon language, e.g. `EN`.
    pub logon_language: Option<Sp<TomlText>>,
    /// Bypass SAP's single sign-on settings.
    pub disable_sso: Option<bool>,
    /// With `private = true`: the SAP instance's VPC endpoint service name.
    pub private_link_service_name: Option<Sp<TomlText>>,
    /// Basic authentication: `username` and `password`.
    pub basic: Option<Sp<TomlBasicAuth>>,
    /// OAuth: `client-secret`, `access-token` and `refresh-token`.
    pub oauth: Option<Sp<TomlOAuthTokens>>,
    /// With `oauth`: the SAP endpoints and scopes.
    pub oauth_properties: Option<Sp<TomlSapOAuthProperties>>,
    /// The KMS key (a `[key.<name>]`) the profile's credentials are encrypted with.
    pub key: Option<Sp<String>>,
    /// The physical profile name (default `<stack>-<name>`).
    pub profile_name: Option<Sp<String>>,
    /// Connect through AWS PrivateLink (`ConnectionMode: Private`), to the endpoint service
    /// `private-link-service-name`.
    pub private: Option<Sp<bool>>,
}

impl LowerProfile for ConnectorProfile<SapODataSettings> {
    const CONNECTOR: ConnectorType = ConnectorType::SAPOData;
    type Toml = TomlSapODataProfile;

    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<TomlSapODataProfile>) -> Option<Self> {
        let t = raw.get();
        let keys = ProfileKeys {
            import: &t.import,
            key: &t.key,
            profile_name: &t.profile_name,
            private: &t.private,
        };
        let others = t.application_host_url.is_some()
            || t.application_service_path.is_some()
            || t.client_number.is_some()
            || t.port_number.is_some()
            || t.logon_language.is_some()
            || t.disable_sso.is_some()
            || t.private_link_service_name.is_some()
            || t.basic.is_some()
            || t.oauth.is_some()
            || t.oauth_properties.is_some();
        common::lower_profile(lowerer, name, at, raw.span(), keys, others, |lowerer| {
            let host_url =
                common::required_text(lowerer, at, "application-host-url", &t.application_host_url, raw.span());
            let service_path = common::required_text(
                lowerer,
                at,
                "application-service-path",
                &t.application_service_path,
                raw.span(),
            );
            let client_number = common::required_text(lowerer, at, "client-number", &t.client_number, raw.span());
            let port = match &t.port_number {
                Some(port) => {
                    lowerer.record(&at.key("port-number"), port.span());
                    *port.get()
                }
                None => {
                    lowerer.error(
                        InputError::MissingKey {
                            name: "port-number".into(),
                        },
                        raw.span(),
                    );
                    return None;
                }
            };
            let (Some(host_url), Some(service_path), Some(client_number)) = (host_url, service_path, client_number)
            else {
                return None;
            };
            let mut settings = SapODataSettings {
                host_url,
                service_path,
                client_number,
                port,
                logon_language: common::optional_text(lowerer, at, "logon-language", &t.logon_language),
                disable_sso: t.disable_sso,
                private_link_service_name: common::optional_text(
                    lowerer,
                    at,
                    "private-link-service-name",
                    &t.private_link_service_name,
                ),
                auth: None,
            };
            match (&t.basic, &t.oauth) {
                (Some(_), Some(_)) => {
                    let ways = "basic or OAuth";
                    lowerer.error(InputError::ConflictingGrants { ways, grants: WAYS }, raw.span());
                    return None;
                }
                (Some(basic), None) => {
                    if let Some(properties) = &t.oauth_properties {
                        lowerer.error(SapODataError::OAuthPropertiesWithoutOAuth, properties.span());
                    }
                    settings.auth =
                        TomlBasicAuth::lower(basic, lowerer, name, &at.key("basic")).map(SapODataAuth::Basic);
                }
                (None, Some(oauth)) => {
                    let tokens = TomlOAuthTokens::lower(oauth, lowerer, name, &at.key("oauth"), "SAP OData");
                    let Some(properties) = &t.oauth_properties else {
                        lowerer.error(SapODataError::MissingOAuthProperties, oauth.span());
                        return None;
                    };
                    let at = at.key("oauth-properties");
                    lowerer.record(&at, properties.span());
                    let properties = properties.get();
                    let scopes_at = at.key("scopes");
                    let properties = SapOAuthProperties {
                        auth_code_url: lowerer.string(&at.key("auth-code-url"), &properties.auth_code_url),
                        token_url: lowerer.string(&at.key("token-url"), &properties.token_url),
                        scopes: properties
                            .scopes
                            .iter()
                            .enumerate()
                            .map(|(index, scope)| lowerer.string(&scopes_at.index(index), scope))
                            .collect(),
                    };
                    settings.auth = tokens.map(|tokens| SapODataAuth::OAuth { tokens, properties });
                }
                // Validation reports the profile without credentials.
                (None, None) => {}
            }
            Some(ConnectorProfile::owned(name, settings))
        })
    }
}

// ---------------------------------------------------------------------------------------
// Profile checks and synthesis

impl ProfileConnector for SapODataSettings {
    fn has_credentials(&self) -> bool {
        self.auth.is_some()
    }

    fn credential_ways(&self) -> &'static str {
        WAYS
    }

    fn supports_private_connection(&self) -> bool {
        true
    }

    fn private_link_service_name(&self) -> Option<Option<&Text>> {
        Some(self.private_link_service_name.as_ref())
    }

    fn credentials(&self) -> Vec<(&'static [&'static str], &Credential)> {
        match &self.auth {
            None => Vec::new(),
            Some(SapODataAuth::Basic(basic)) => basic.credentials().to_vec(),
            Some(SapODataAuth::OAuth { tokens, .. }) => tokens.credentials(),
        }
    }

    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        let mut texts: Vec<(&'static [&'static str], &Text)> = vec![
            (&["application-host-url"], &self.host_url),
            (&["application-service-path"], &self.service_path),
            (&["client-number"], &self.client_number),
        ];
        let optional: [(&'static [&'static str], &Option<Text>); 2] = [
            (&["logon-language"], &self.logon_language),
            (&["private-link-service-name"], &self.private_link_service_name),
        ];
        texts.extend(
            optional
                .into_iter()
                .filter_map(|(at, text)| text.as_ref().map(|text| (at, text))),
        );
        texts
    }

    fn check(&self, checker: &mut Checker<'_>, path: &Path) {
        checker.check_number(
            || path.key("port-number"),
            &SAPODataConnectorProfileProperties::PORT_NUMBER_LIMITS,
            self.port,
        );
        if self.client_number.literal() == Some("000") {
            checker.error(path.key("client-number"), SapODataError::ClientNumberZero.into());
        }
        if let Some(SapODataAuth::OAuth { properties, .. }) = &self.auth {
            let at = path.key("oauth-properties");
            checker.check_limits(
                || at.key("auth-code-url"),
                &OAuthProperties::AUTH_CODE_URL_LIMITS,
                &properties.auth_code_url,
            );
            checker.check_limits(
                || at.key("token-url"),
                &OAuthProperties::TOKEN_URL_LIMITS,
                &properties.token_url,
            );
            for (index, scope) in properties.scopes.iter().enumerate() {
                checker.check_limits(
                    || at.key("scopes").index(index),
                    &OAuthProperties::OAUTH_SCOPES_LIMITS,
                    scope,
                );
            }
        }
        match (
            &self.private_link_service_name,
            self.private_link_service_name.as_ref().and_then(Text::literal),
        ) {
            (Some(_), Some(service)) if !service.starts_with(SERVICE_NAME_PREFIX) => {
                let error = SapODataError::InvalidServiceName {
                    name: service.to_owned(),
                };
                checker.error(path.key("private-link-service-name"), error.into());
            }
            _ => {}
        }
    }

    fn synthesize(
        &self,
        synth: &mut Synth<'_>,
        _profile: &str,
    ) -> (ConnectorProfileProperties, ConnectorProfileCredentials) {
        let mut credentials = SAPODataConnectorProfileCredentials {
            basic_auth_credentials: None,
            oauth_credentials: None,
        };
        let mut oauth_properties = None;
        match &self.auth {
            Some(SapODataAuth::Basic(basic)) => {
                credentials.basic_auth_credentials = Some(BasicAuthCredentials {
                    password: synth.credential(&basic.password),
                    username: synth.credential(&basic.username),
                });
            }
            Some(SapODataAuth::OAuth { tokens, properties }) => {
                let (client_id, client_secret, access_token, refresh_token) = tokens.synthesize(synth);
                credentials.oauth_credentials = Some(SAPODataConnectorProfileCredentialsOAuthCredentials {
                    access_token: Some(access_token),
                    client_id: Some(client_id),
                    client_secret: Some(client_secret),
                    connector_oauth_request: None,
                    refresh_token,
                });
                oauth_properties = Some(OAuthProperties {
                    auth_code_url: Some(Expr::Str(properties.auth_code_url.clone())),
                    oauth_scopes: properties.scopes.iter().cloned().map(Expr::Str).collect(),
                    token_url: Some(Expr::Str(properties.token_url.clone())),
                });
            }
            // Validation reports a profile without credentials before synthesis runs.
            None => {}
        }
        let properties = SAPODataConnectorProfileProperties {
            application_host_url: Some(synth.text(&self.host_url)),
            application_service_path: Some(synth.text(&self.service_path)),
            client_number: Some(synth.text(&self.client_number)),
            disable_sso: self.disable_sso.map(Expr::Bool),
            logon_language: self.logon_language.as_ref().map(|text| synth.text(text)),
            oauth_properties,
            port_number: Some(Expr::Int(self.port)),
            private_link_service_name: self.private_link_service_name.as_ref().map(|text| synth.text(text)),
        };
        (
            ConnectorProfileProperties {
                sapo_data: Some(Box::new(properties)),
                ..ConnectorProfileProperties::default()
            },
            ConnectorProfileCredentials {
                sapo_data: Some(Box::new(credentials)),
                ..ConnectorProfileCredentials::default()
            },
        )
    }
}

// ---------------------------------------------------------------------------------------
// Source

/// `source.sapodata`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlSapODataSource {
    /// The profile (a `[profile.<name>]`).
    pub profile: Sp<String>,
    /// The entity set's path in the service.
    pub object_path: Sp<TomlText>,
    /// Records per page, 1 to 10000 (at most 3000 for OData records).
    pub page_size: Option<Sp<i64>>,
    /// Requests at once, 1 to 10.
    pub parallelism: Option<Sp<i64>>,
}

/// Reads an SAP OData entity set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SapODataSource {
    pub(crate) profile: ProfileRef,
    pub(crate) object_path: Text,
    pub(crate) page_size: Option<i64>,
    pub(crate) parallelism: Option<i64>,
}

impl SapODataSource {
    /// Reads `object_path` through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = SapODataSource::new(ProfileRef::named("erp"), "/sap/opu/odata/sap/API_SALES_ORDER_SRV/A_SalesOrder")
    ///     .page_size(3000)
    ///     .parallelism(4);
    /// # let _ = source;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object_path: impl Into<Text>) -> Self {
        SapODataSource {
            profile: profile.into(),
            object_path: object_path.into(),
            page_size: None,
            parallelism: None,
        }
    }

    /// The records per page (TOML `page-size`).
    pub fn page_size(mut self, size: i64) -> Self {
        self.page_size = Some(size);
        self
    }

    /// The requests AppFlow makes at once (TOML `parallelism`).
    pub fn parallelism(mut self, processes: i64) -> Self {
        self.parallelism = Some(processes);
        self
    }
}

impl Lower for SapODataSource {
    const CONNECTOR: ConnectorType = ConnectorType::SAPOData;
    type Toml = TomlSapODataSource;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &TomlSapODataSource) -> Option<Self> {
        let profile = lowerer.string(&at.key("profile"), &raw.profile);
        let mut source = SapODataSource::new(
            ProfileRef::named(profile),
            lowerer.text(&at.key("object-path"), &raw.object_path),
        );
        for (key, raw, slot) in [
            ("page-size", &raw.page_size, &mut source.page_size),
            ("parallelism", &raw.parallelism, &mut source.parallelism),
        ] {
            if let Some(raw) = raw {
                lowerer.record(&at.key(key), raw.span());
                *slot = Some(*raw.get());
            }
        }
        Some(source)
    }
}

impl SourceConnector for SapODataSource {
    fn profile(&self) -> Option<&ProfileRef> {
        Some(&self.profile)
    }

    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        vec![(&["object-path"], &self.object_path)]
    }

    fn rules(&self) -> SourceRules {
        SourceRules::named("SAP OData")
    }

    fn check(&self, checker: &mut Checker<'_>, _flow: &AnyFlow, path: &Path) {
        common::check_object(checker, path.key("object-path"), &self.object_path, &OBJECT);
        if let Some(size) = self.page_size {
            checker.check_number(
                || path.key("page-size"),
                &SAPODataPaginationConfig::MAX_PAGE_SIZE_LIMITS,
                size,
            );
            if size > ODATA_MAX_PAGE_SIZE && size <= 10_000 {
                checker.warn(
                    path.key("page-size"),
                    SapODataWarning::PageSizeOverODataMaximum { size }.into(),
                );
            }
        }
        if let Some(processes) = self.parallelism {
            checker.check_number(
                || path.key("parallelism"),
                &SAPODataParallelismConfig::MAX_PARALLELISM_LIMITS,
                processes,
            );
        }
    }

    fn synthesize(&self, synth: &Synth<'_>) -> SourceConnectorProperties {
        SourceConnectorProperties {
            sapo_data: Some(Box::new(SAPODataSourceProperties {
                object_path: synth.text(&self.object_path),
                pagination_config: self.page_size.map(|size| SAPODataPaginationConfig {
                    max_page_size: Expr::Int(size),
                }),
                parallelism_config: self.parallelism.map(|processes| SAPODataParallelismConfig {
                    max_parallelism: Expr::Int(processes),
                }),
            })),
            ..SourceConnectorProperties::default()
        }
    }
}

// ---------------------------------------------------------------------------------------
// Destination

/// `success-response` of a SAP OData destination.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlSuccessResponse {
    /// The bucket (a `[bucket.<name>]`) SAP's responses to new records are written to.
    pub bucket: Sp<String>,
    /// The prefix inside it.
    pub prefix: Option<Sp<String>>,
}

/// `destination.sapodata`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlSapODataDestination {
    /// The profile (a `[profile.<name>]`).
    pub profile: Sp<String>,
    /// The entity set's path in the service.
    pub object_path: Sp<TomlText>,
    /// `insert` (default) or `update` (`upsert` and `delete`: a warning).
    pub operation: Option<Sp<TomlWriteOperation>>,
    /// Fields that identify existing records (required for update).
    #[serde(default)]
    pub id_fields: Vec<Sp<String>>,
    /// Where SAP's responses to new records go.
    pub success_response: Option<Sp<TomlSuccessResponse>>,
    /// Where failed records go.
    pub error_handling: Option<Sp<TomlErrorHandling>>,
}

/// Writes to an SAP OData entity set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SapODataDestination {
    pub(crate) profile: ProfileRef,
    pub(crate) object_path: Text,
    pub(crate) operation: WriteOperation,
    pub(crate) success_bucket: Option<(BucketRef, Option<String>)>,
    pub(crate) error_handling: Option<ErrorHandling>,
}

impl SapODataDestination {
    /// Writes to `object_path` through `profile` with `operation`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let responses = BucketRef::named("responses");
    /// let destination = SapODataDestination::new(
    ///     ProfileRef::named("erp"),
    ///     "/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner",
    ///     WriteOperation::insert(),
    /// )
    /// .success_response(&responses, "sap/business-partners");
    /// # let _ = destination;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object_path: impl Into<Text>, operation: WriteOperation) -> Self {
        SapODataDestination {
            profile: profile.into(),
            object_path: object_path.into(),
            operation,
            success_bucket: None,
            error_handling: None,
        }
    }

    /// Where SAP's responses to new records go (TOML `success-response`).
    pub fn success_response(mut self, bucket: impl Into<BucketRef>, prefix: impl Into<String>) -> Self {
        self.success_bucket = Some((bucket.into(), Some(prefix.into())));
        self
    }

    /// Where failed records go.
    pub fn error_handling(mut self, error_handling: ErrorHandling) -> Self {
        self.error_handling = Some(error_handling);
        self
    }
}

impl Lower for SapODataDestination {
    const CONNECTOR: ConnectorType = ConnectorType::SAPOData;
    type Toml = TomlSapODataDestination;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &TomlSapODataDestination) -> Option<Self> {
        let operation = TomlWriteOperation::lower_or_insert(lowerer, at, &raw.operation, &raw.id_fields);
        let profile = lowerer.string(&at.key("profile"), &raw.profile);
        let object_path = lowerer.text(&at.key("object-path"), &raw.object_path);
        let mut model = SapODataDestination::new(ProfileRef::named(profile), object_path, operation);
        if let Some(success) = &raw.success_response {
            let at = at.key("success-response");
            lowerer.record(&at, success.span());
            let bucket = lowerer.string(&at.key("bucket"), &success.get().bucket);
            let prefix = lowerer.opt_string(&at.key("prefix"), &success.get().prefix);
            model.success_bucket = Some((BucketRef::named(bucket), prefix));
        }
        model.error_handling = TomlErrorHandling::lower(lowerer, &at.key("error-handling"), &raw.error_handling);
        Some(model)
    }
}

impl DestinationConnector for SapODataDestination {
    fn profile(&self) -> Option<&ProfileRef> {
        Some(&self.profile)
    }

    fn buckets(&self) -> Vec<BucketUse<'_>> {
        let success = self.success_bucket.as_ref().map(|(bucket, prefix)| BucketUse {
            at: &["success-response", "bucket"],
            bucket,
            access: Access::Write,
            prefix: prefix
                .as_deref()
                .map(|prefix| (prefix, SuccessResponseHandlingConfig::BUCKET_PREFIX_LIMITS)),
            name: None,
        });
        success
            .into_iter()
            .chain(ErrorHandling::bucket_use(&self.error_handling))
            .collect()
    }

    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        vec![(&["object-path"], &self.object_path)]
    }

    fn check(&self, checker: &mut Checker<'_>, _flow: &AnyFlow, path: &Path) {
        common::check_object(checker, path.key("object-path"), &self.object_path, &OBJECT);
        if matches!(
            self.operation.kind,
            WriteOperationType::Upsert | WriteOperationType::Delete
        ) {
            let operation = if self.operation.kind == WriteOperationType::Upsert {
                "upsert"
            } else {
                "delete"
            };
            checker.warn(
                path.key("operation"),
                SapODataWarning::UndocumentedOperation { operation }.into(),
            );
        }
        self.operation
            .check(checker, <Self as Lower>::CONNECTOR, &path.key("id-fields"));
    }

    fn synthesize(&self, synth: &Synth<'_>) -> DestinationConnectorProperties {
        DestinationConnectorProperties {
            sapo_data: Some(Box::new(SAPODataDestinationProperties {
                error_handling_config: ErrorHandling::synthesize(&self.error_handling, synth),
                id_field_names: self.operation.id_fields.iter().cloned().map(Expr::Str).collect(),
                object_path: synth.text(&self.object_path),
                success_response_handling_config: self.success_bucket.as_ref().map(|(bucket, prefix)| {
                    SuccessResponseHandlingConfig {
                        bucket_name: Some(synth.bucket_name(bucket.name())),
                        bucket_prefix: prefix.clone().map(Expr::Str),
                    }
                }),
                write_operation_type: Some(self.operation.kind.into()),
            })),
            ..DestinationConnectorProperties::default()
        }
    }
}

// ---------------------------------------------------------------------------------------
// Diagnostics

/// An error only a SAP OData profile has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum SapODataError {
    /// An OAuth profile without the SAP endpoints.
    #[error("a SAP OData OAuth profile needs `oauth-properties`")]
    #[diagnostic(
        code(flowform::sapodata::missing_oauth_properties),
        help(
            "add `oauth-properties = {{ auth-code-url = \"...\", token-url = \"...\", scopes = [...] }}`: the AppFlow API requires `AuthCodeUrl`, `TokenUrl` and `OAuthScopes` (OAuthProperties)"
        )
    )]
    MissingOAuthProperties,
    /// OAuth endpoints on a profile that signs in with basic authentication.
    #[error("`oauth-properties` go with `oauth`")]
    #[diagnostic(
        code(flowform::sapodata::oauth_properties_without_oauth),
        help(
            "remove `oauth-properties`, or sign in with `oauth = {{ client-secret, access-token, refresh-token }}` instead of `basic`"
        )
    )]
    OAuthPropertiesWithoutOAuth,
    /// Client 000.
    #[error("SAP client `000` is not one AppFlow connects to")]
    #[diagnostic(
        code(flowform::sapodata::client_number_zero),
        help("\"enter your 3 digit client number. Acceptable values are [001-999]\" (AppFlow user guide, SAP OData)")
    )]
    ClientNumberZero,
    /// A PrivateLink service name not of the API's form.
    #[error("`{name}` is not a VPC endpoint service name")]
    #[diagnostic(
        code(flowform::sapodata::invalid_service_name),
        help(
            "use the SAP instance's endpoint service name, `com.amazonaws.vpce.<region>.vpce-svc-…` (the AppFlow API's pattern for `PrivateLinkServiceName`)"
        )
    )]
    InvalidServiceName {
        /// The name given.
        name: String,
    },
}

/// A warning only a SAP OData source or destination has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum SapODataWarning {
    /// A page size over the OData maximum, allowed for ODP providers only.
    #[error("a page of {size} records is more than OData transfers allow")]
    #[diagnostic(
        code(flowform::sapodata::page_size),
        severity(Warning),
        help(
            "\"For transfers of OData records, the maximum page size is 3,000. For transfers of data that comes from an ODP provider, the maximum page size is 10,000\" (AWS::AppFlow::Flow SAPODataPaginationConfig): keep it if this is an ODP provider"
        )
    )]
    PageSizeOverODataMaximum {
        /// The page size.
        size: i64,
    },
    /// A write operation AWS does not document for SAP.
    #[error("AWS documents no {operation} for SAP OData")]
    #[diagnostic(
        code(flowform::sapodata::undocumented_operation),
        severity(Warning),
        help(
            "the AppFlow guide says the connector can \"fetch, create, and update records\"; the schema allows this operation, but no AWS text shows it working with SAP"
        )
    )]
    UndocumentedOperation {
        /// `upsert` or `delete`.
        operation: &'static str,
    },
}

impl crate::model::Label for SapODataError {}
impl crate::model::Label for SapODataWarning {}

/// `flowform import`: the `sapodata = { ... }` source table of these `SAPOData` source
/// properties.
#[cfg(feature = "deploy")]
pub(crate) fn import_source(
    properties: &serde_json::Value,
    profile: &str,
    context: &mut dyn super::import::ImportContext,
) -> Option<String> {
    use super::import::{quoted, table, text};
    let mut keys = vec![
        format!("profile = {}", quoted(&context.profile(profile, "sapodata"))),
        format!("object-path = {}", quoted(text(properties, "objectPath")?)),
    ];
    if let Some(size) = properties["paginationConfig"]["maxPageSize"].as_i64() {
        keys.push(format!("page-size = {size}"));
    }
    if let Some(parallelism) = properties["parallelismConfig"]["maxParallelism"].as_i64() {
        keys.push(format!("parallelism = {parallelism}"));
    }
    Some(table("sapodata", &keys))
}

/// `flowform import`: the `sapodata = { ... }` destination table of these `SAPOData`
/// destination properties.
#[cfg(feature = "deploy")]
pub(crate) fn import_destination(
    properties: &serde_json::Value,
    profile: &str,
    context: &mut dyn super::import::ImportContext,
) -> Option<String> {
    use super::import::{error_handling, quoted, table, text, write_operation};
    let mut keys = vec![
        format!("profile = {}", quoted(&context.profile(profile, "sapodata"))),
        format!("object-path = {}", quoted(text(properties, "objectPath")?)),
    ];
    keys.extend(write_operation(properties));
    let success = &properties["successResponseHandlingConfig"];
    if let Some(bucket) = text(success, "bucketName") {
        let mut response = vec![format!("bucket = {}", quoted(&context.bucket(bucket)))];
        response.extend(text(success, "bucketPrefix").map(|prefix| format!("prefix = {}", quoted(prefix))));
        keys.push(table("success-response", &response));
    }
    keys.extend(error_handling(&properties["errorHandlingConfig"], context));
    Some(table("sapodata", &keys))
}

#[cfg(all(test, feature = "deploy"))]
mod import_tests {
    use serde_json::json;

    use crate::connectors::import::testing::{compiled, files_destination, flow};

    #[test]
    fn an_sap_odata_source_and_destination_are_imported() {
        let source = json!({
            "connectorType": "SAPOData",
            "connectorProfileName": "sap",
            "sourceConnectorProperties": {"SAPOData": {
                "objectPath": "/sap/opu/odata/sap/API_SALES_ORDER_SRV/A_SalesOrder",
                "paginationConfig": {"maxPageSize": 1000}, "parallelismConfig": {"maxParallelism": 5}
            }}
        });
        let toml = compiled(flow(source, files_destination()));
        assert!(toml.contains("page-size = 1000, parallelism = 5"), "{toml}");
        let source = json!({"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "acme-in", "bucketPrefix": "partners"}}});
        let destination = json!({
            "connectorType": "SAPOData",
            "connectorProfileName": "sap",
            "destinationConnectorProperties": {"SAPOData": {
                "objectPath": "/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner",
                "writeOperationType": "INSERT",
                "successResponseHandlingConfig": {"bucketName": "acme-responses", "bucketPrefix": "sap"}
            }}
        });
        let toml = compiled(flow(source, destination));
        assert!(
            toml.contains(
                "operation = \"insert\", success-response = { bucket = \"acme-responses\", prefix = \"sap\" }"
            ),
            "{toml}"
        );
    }
}
