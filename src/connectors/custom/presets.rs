//! Presets: AppFlow's managed connectors that CloudFormation writes as custom connectors,
//! each a thin typed layer over the generic one ([`super`]): its label, the shape of its
//! authentication, its token URL, how its entity is named and its API version. A preset
//! lowers into the generic profile, source and destination, so everything the generic
//! connector checks and writes holds for it too, and a connector without a preset is
//! written with `custom` today.
//!
//! What each writes is the reference library's (`cdklabs/cdk-appflow` `src/<connector>/`,
//! APPFLOW.md §1.2), without its placeholders: where the library writes
//! `dummyAccessToken` or `dummyRefreshToken` (APPFLOW.md §7.4), a preset asks for the
//! token. The API version a source takes by default is the one the library's version enum
//! offers, where it offers one (HubSpot's and Google Ads' have several: the file says).
//!
//! Evidence is the library's, which its integration tests deploy; AWS documents these
//! connectors' console settings, not their CloudFormation values, so the labels,
//! authentication type names and credential keys below are that library's and no more.

use serde::Deserialize;

use crate::input::InputError;
use crate::input::lower::{At, Lowerer};
use crate::input::raw::{Sp, TomlCredential, TomlText};
use crate::model::{Credential, ProfileRef, Text};

use super::super::common::{
    self, BasicAuth, ConnectorProfile, ProfileKeys, TomlErrorHandling, TomlWriteOperation, WriteOperation,
};
use super::super::{LowerPreset, LowerProfilePreset};
use super::{
    ConnectorLabel, CustomAuth, CustomConnectorProfile, CustomCredentials, CustomDestination, CustomSettings,
    CustomSource, GrantType, OAuth2, Preset, TomlOAuth2,
};

// ---------------------------------------------------------------------------------------
// The presets

/// A preset's descriptor, and the defaults it fills in.
struct Defaults {
    preset: Preset,
    /// The API version a source or destination takes when the file gives none.
    api_version: Option<&'static str>,
    /// The token URL of its OAuth profile when the file gives none.
    token_url: Option<&'static str>,
}

macro_rules! defaults {
    ($name:ident = $key:literal, $label:literal, $words:literal, api $api:expr, token $token:expr) => {
        static $name: Defaults = Defaults {
            preset: Preset {
                key: $key,
                label: $label,
                name: $words,
            },
            api_version: $api,
            token_url: $token,
        };
    };
}

// Token URLs: the library's defaults (`src/<connector>/profile.ts`).
const GOOGLE_TOKEN_URL: &str = "https://oauth2.googleapis.com/token";
const MICROSOFT_TOKEN_URL: &str = "https://login.microsoftonline.com/common/oauth2/v2.0/token";

defaults!(ASANA = "asana", "Asana", "Asana", api Some("1.0"), token None);
defaults!(GITHUB = "github", "GitHub", "GitHub", api Some("v3"), token Some("https://github.com/login/oauth/access_token"));
defaults!(GOOGLE_ADS = "googleads", "GoogleAds", "Google Ads", api None, token Some(GOOGLE_TOKEN_URL));
defaults!(GOOGLE_ANALYTICS_4 = "googleanalytics4", "GoogleAnalytics4", "Google Analytics 4", api Some("v1beta"), token Some(GOOGLE_TOKEN_URL));
defaults!(GOOGLE_BIGQUERY = "bigquery", "GoogleBigQuery", "Google BigQuery", api Some("v2"), token Some(GOOGLE_TOKEN_URL));
defaults!(HUBSPOT = "hubspot", "HubSpot", "HubSpot", api None, token Some("https://api.hubapi.com/oauth/v1/token"));
defaults!(MAILCHIMP = "mailchimp", "Mailchimp", "Mailchimp", api Some("3.0"), token None);
defaults!(DYNAMICS_365 = "dynamics365", "MicrosoftDynamics365", "Microsoft Dynamics 365", api Some("v9.2"), token Some(MICROSOFT_TOKEN_URL));
defaults!(SHAREPOINT = "sharepoint", "MicrosoftSharePointOnline", "Microsoft SharePoint Online", api Some("v1.0"), token Some(MICROSOFT_TOKEN_URL));
defaults!(MARKETING_CLOUD = "marketingcloud", "SalesforceMarketingCloud", "Salesforce Marketing Cloud", api Some("v1"), token None);
defaults!(JDBC = "jdbc", "JDBCsmall", "JDBC (small data scale)", api Some("V1"), token None);
defaults!(RDS_POSTGRESQL = "rdspostgresql", "AmazonRDSPostgreSQL", "Amazon RDS for PostgreSQL", api Some("1.0"), token None);

impl Defaults {
    /// A profile of the preset's connector the stack creates.
    fn profile(&'static self, name: impl Into<String>) -> CustomConnectorProfile {
        CustomConnectorProfile::new(name, self.preset.label).preset(&self.preset)
    }

    /// `oauth`, with the preset's token URL where it has none.
    fn oauth(&self, mut oauth: OAuth2) -> OAuth2 {
        if oauth.token_url.is_none() {
            oauth.token_url = self.token_url.map(Text::from);
        }
        oauth
    }

    /// A source of the preset reading `entity`, at `api_version` or the preset's.
    fn source(
        &'static self,
        profile: impl Into<ProfileRef>,
        entity: impl Into<Text>,
        api_version: Option<Text>,
    ) -> CustomSource {
        let mut source = CustomSource::new(profile, entity).preset(&self.preset);
        source.api_version = api_version.or_else(|| self.api_version.map(Text::from));
        source
    }

    /// A destination of the preset writing `entity`, at `api_version` or the preset's.
    fn destination(
        &'static self,
        profile: impl Into<ProfileRef>,
        entity: impl Into<Text>,
        api_version: Option<Text>,
    ) -> CustomDestination {
        let mut destination = CustomDestination::new(profile, entity).preset(&self.preset);
        destination.api_version = api_version.or_else(|| self.api_version.map(Text::from));
        destination
    }
}

/// Asana: a personal access token (`CUSTOM`, type `PAT`, credential `patToken`).
pub struct Asana;

impl Asana {
    /// A profile signing in with a personal access token.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let asana = SecretRef::named("asana");
    /// let profile = Asana::profile("work", Credential::secret(&asana, "patToken"));
    /// let source = Asana::source(ProfileRef::named("work"), "tasks");
    /// # let _ = (profile, source);
    /// ```
    pub fn profile(name: impl Into<String>, token: Credential) -> CustomConnectorProfile {
        ASANA
            .profile(name)
            .custom_auth(CustomCredentials::new("PAT").credential("patToken", token))
    }

    /// Reads `object` (API version `1.0`).
    pub fn source(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> CustomSource {
        ASANA.source(profile, object, None)
    }
}

/// GitHub: a user name and personal access token (`CUSTOM`, type
/// `BasicAuthPersonalAccessToken`), or an OAuth access token.
pub struct GitHub;

impl GitHub {
    /// A profile signing in as `username` with a personal access token.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let github = SecretRef::named("github");
    /// let profile = GitHub::profile(
    ///     "code",
    ///     Credential::secret(&github, "username"),
    ///     Credential::secret(&github, "personalAccessToken"),
    /// );
    /// let source = GitHub::source(ProfileRef::named("code"), "issues");
    /// # let _ = (profile, source);
    /// ```
    pub fn profile(name: impl Into<String>, username: Credential, token: Credential) -> CustomConnectorProfile {
        GITHUB
            .profile(name)
            .custom_auth(basic_pat(BasicAuth::new(username, token)))
    }

    /// A profile with an OAuth access token (token URL GitHub's unless `oauth` has one).
    pub fn oauth_profile(name: impl Into<String>, oauth: OAuth2) -> CustomConnectorProfile {
        GITHUB.profile(name).oauth2(GITHUB.oauth(oauth))
    }

    /// Reads `object` (API version `v3`).
    pub fn source(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> CustomSource {
        GITHUB.source(profile, object, None)
    }
}

/// GitHub's basic authentication, as the reference library writes it.
fn basic_pat(basic: BasicAuth) -> CustomCredentials {
    CustomCredentials::new("BasicAuthPersonalAccessToken")
        .credential("username", basic.username)
        .credential("personalAccessToken", basic.password)
}

/// Google Ads: OAuth, and the developer token and API version as profile properties.
pub struct GoogleAds;

impl GoogleAds {
    /// A profile with `oauth` (Google's token URL unless it has one), the account's
    /// `developer_token` and the Google Ads `api_version`, e.g. `v16`.
    pub fn profile(
        name: impl Into<String>,
        oauth: OAuth2,
        developer_token: impl Into<Text>,
        api_version: impl Into<Text>,
    ) -> CustomConnectorProfile {
        GOOGLE_ADS
            .profile(name)
            .oauth2(GOOGLE_ADS.oauth(oauth))
            .property("developerToken", developer_token)
            .property("apiVersion", api_version)
    }

    /// Reads `object` at `api_version`, e.g. `v16`.
    pub fn source(
        profile: impl Into<ProfileRef>,
        object: impl Into<Text>,
        api_version: impl Into<Text>,
    ) -> CustomSource {
        GOOGLE_ADS.source(profile, object, Some(api_version.into()))
    }
}

/// Google Analytics 4: OAuth.
pub struct GoogleAnalytics4;

impl GoogleAnalytics4 {
    /// A profile with `oauth` (Google's token URL unless it has one).
    pub fn profile(name: impl Into<String>, oauth: OAuth2) -> CustomConnectorProfile {
        GOOGLE_ANALYTICS_4.profile(name).oauth2(GOOGLE_ANALYTICS_4.oauth(oauth))
    }

    /// Reads `object` (API version `v1beta`).
    pub fn source(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> CustomSource {
        GOOGLE_ANALYTICS_4.source(profile, object, None)
    }
}

/// Google BigQuery: OAuth; a table is `table/<project>/<dataset>/<table>`.
pub struct GoogleBigQuery;

impl GoogleBigQuery {
    /// A profile with `oauth` (Google's token URL unless it has one).
    pub fn profile(name: impl Into<String>, oauth: OAuth2) -> CustomConnectorProfile {
        GOOGLE_BIGQUERY.profile(name).oauth2(GOOGLE_BIGQUERY.oauth(oauth))
    }

    /// Reads `table` of `dataset` in `project` (API version `v2`).
    pub fn source(profile: impl Into<ProfileRef>, project: &str, dataset: &str, table: &str) -> CustomSource {
        GOOGLE_BIGQUERY.source(profile, format!("table/{project}/{dataset}/{table}"), None)
    }
}

/// HubSpot: OAuth; an entity is a path, e.g. `["association_label", "ticket", "contact"]`.
pub struct HubSpot;

impl HubSpot {
    /// A profile with `oauth` (HubSpot's token URL unless it has one).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let app = SecretRef::named("hubspot");
    /// let oauth = OAuth2::authorization_code()
    ///     .client(&app)
    ///     .access_token(Credential::secret(&app, "accessToken"))
    ///     .refresh_token(Credential::secret(&app, "refreshToken"));
    /// let profile = HubSpot::profile("crm", oauth);
    /// let source = HubSpot::source(ProfileRef::named("crm"), &["company"], "v3");
    /// # let _ = (profile, source);
    /// ```
    pub fn profile(name: impl Into<String>, oauth: OAuth2) -> CustomConnectorProfile {
        HUBSPOT.profile(name).oauth2(HUBSPOT.oauth(oauth))
    }

    /// Reads the entity at `path` (joined with `/`) at `api_version` (`v1` to `v4`).
    pub fn source(profile: impl Into<ProfileRef>, path: &[&str], api_version: impl Into<Text>) -> CustomSource {
        HUBSPOT.source(profile, path.join("/"), Some(api_version.into()))
    }

    /// Writes to the entity at `path` with `operation` at `api_version`.
    pub fn destination(
        profile: impl Into<ProfileRef>,
        path: &[&str],
        api_version: impl Into<Text>,
        operation: impl Into<WriteOperation>,
    ) -> CustomDestination {
        HUBSPOT
            .destination(profile, path.join("/"), Some(api_version.into()))
            .operation(operation)
    }
}

/// Mailchimp: an API key (`CUSTOM`, type `api_key`) and the instance URL.
pub struct Mailchimp;

impl Mailchimp {
    /// A profile for the account at `instance_url` (e.g. `https://us1.api.mailchimp.com`)
    /// with its API key.
    pub fn profile(
        name: impl Into<String>,
        instance_url: impl Into<Text>,
        api_key: Credential,
    ) -> CustomConnectorProfile {
        MAILCHIMP
            .profile(name)
            .custom_auth(CustomCredentials::new("api_key").credential("api_key", api_key))
            .property("instanceUrl", instance_url)
    }

    /// Reads `object` (API version `3.0`).
    pub fn source(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> CustomSource {
        MAILCHIMP.source(profile, object, None)
    }
}

/// Microsoft Dynamics 365: OAuth and the instance URL.
pub struct MicrosoftDynamics365;

impl MicrosoftDynamics365 {
    /// A profile for the organization at `instance_url` (e.g.
    /// `https://acme.api.crm.dynamics.com`) with `oauth` (Microsoft's `common` token URL
    /// unless it has one).
    pub fn profile(name: impl Into<String>, instance_url: impl Into<Text>, oauth: OAuth2) -> CustomConnectorProfile {
        DYNAMICS_365
            .profile(name)
            .oauth2(DYNAMICS_365.oauth(oauth))
            .property("instanceUrl", instance_url)
    }

    /// Reads `entity` (API version `v9.2`).
    pub fn source(profile: impl Into<ProfileRef>, entity: impl Into<Text>) -> CustomSource {
        DYNAMICS_365.source(profile, entity, None)
    }
}

/// Microsoft SharePoint Online: OAuth; a source is a site and its entities (or drives).
pub struct MicrosoftSharePointOnline;

impl MicrosoftSharePointOnline {
    /// A profile with `oauth` (Microsoft's `common` token URL unless it has one).
    pub fn profile(name: impl Into<String>, oauth: OAuth2) -> CustomConnectorProfile {
        SHAREPOINT.profile(name).oauth2(SHAREPOINT.oauth(oauth))
    }

    /// Reads `entities` of `site` (API version `v1.0`), as the custom property
    /// `subEntities`, a JSON array.
    pub fn source(profile: impl Into<ProfileRef>, site: impl Into<Text>, entities: &[&str]) -> CustomSource {
        SHAREPOINT
            .source(profile, site, None)
            .property("subEntities", sub_entities(entities.iter().copied()))
    }
}

/// `subEntities` as the library writes it: a JSON array of strings.
fn sub_entities<'a>(entities: impl Iterator<Item = &'a str>) -> String {
    serde_json::to_string(&entities.collect::<Vec<_>>()).unwrap_or_default()
}

/// Salesforce Marketing Cloud: an OAuth client (client credentials) and the instance URL.
pub struct SalesforceMarketingCloud;

impl SalesforceMarketingCloud {
    /// A profile for `instance_url` with `oauth`, a client-credentials grant
    /// ([`OAuth2::client_credentials`]) with the tenant's token URL.
    pub fn profile(name: impl Into<String>, instance_url: impl Into<Text>, oauth: OAuth2) -> CustomConnectorProfile {
        MARKETING_CLOUD
            .profile(name)
            .oauth2(oauth)
            .property("instanceUrl", instance_url)
    }

    /// Reads `object` (API version `v1`).
    pub fn source(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> CustomSource {
        MARKETING_CLOUD.source(profile, object, None)
    }
}

/// A JDBC driver the JDBC connector has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JdbcDriver {
    /// `postgresql`.
    PostgreSql,
    /// `mysql`.
    MySql,
}

impl JdbcDriver {
    /// As the connector's credentials name it.
    fn as_str(self) -> &'static str {
        match self {
            JdbcDriver::PostgreSql => "postgresql",
            JdbcDriver::MySql => "mysql",
        }
    }
}

/// A database's address and user: the credentials map of the JDBC and RDS connectors
/// (`CUSTOM`, type `CUSTOM`), whose non-secret values are settings.
fn database_credentials(
    driver: JdbcDriver,
    host: Text,
    port: u16,
    database: Text,
    user: BasicAuth,
) -> CustomCredentials {
    CustomCredentials::new("CUSTOM")
        .credential("username", user.username)
        .credential("password", user.password)
        .setting("driver", driver.as_str())
        .setting("hostname", host)
        .setting("port", port.to_string())
        .setting("database", database)
}

/// JDBC at small data scale: a database by driver, host, port and database; tables are
/// `schema.table`.
pub struct JdbcSmallDataScale;

impl JdbcSmallDataScale {
    /// A profile for `database` at `host:port` through `driver`, signing in as `user`.
    pub fn profile(
        name: impl Into<String>,
        driver: JdbcDriver,
        host: impl Into<Text>,
        port: u16,
        database: impl Into<Text>,
        user: BasicAuth,
    ) -> CustomConnectorProfile {
        JDBC.profile(name)
            .custom_auth(database_credentials(driver, host.into(), port, database.into(), user))
    }

    /// Reads `schema.table` (API version `V1`).
    pub fn source(profile: impl Into<ProfileRef>, schema: &str, table: &str) -> CustomSource {
        JDBC.source(profile, format!("{schema}.{table}"), None)
    }

    /// Inserts into `schema.table` (API version `V1`).
    pub fn destination(profile: impl Into<ProfileRef>, schema: &str, table: &str) -> CustomDestination {
        JDBC.destination(profile, format!("{schema}.{table}"), None)
            .operation(WriteOperation::insert())
    }
}

/// Amazon RDS for PostgreSQL: a destination table `schema.table`, inserted into.
pub struct RdsPostgreSql;

impl RdsPostgreSql {
    /// PostgreSQL's default port.
    pub const DEFAULT_PORT: u16 = 5432;

    /// A profile for `database` at `host:port`, signing in as `user`.
    pub fn profile(
        name: impl Into<String>,
        host: impl Into<Text>,
        port: u16,
        database: impl Into<Text>,
        user: BasicAuth,
    ) -> CustomConnectorProfile {
        RDS_POSTGRESQL.profile(name).custom_auth(database_credentials(
            JdbcDriver::PostgreSql,
            host.into(),
            port,
            database.into(),
            user,
        ))
    }

    /// Inserts into `schema.table` (API version `1.0`).
    pub fn destination(profile: impl Into<ProfileRef>, schema: &str, table: &str) -> CustomDestination {
        RDS_POSTGRESQL
            .destination(profile, format!("{schema}.{table}"), None)
            .operation(WriteOperation::insert())
    }
}

// ---------------------------------------------------------------------------------------
// TOML: profiles

/// Writes a preset's profile table: the keys every profile has, then its own.
macro_rules! preset_profile_table {
    ($(#[$doc:meta])* $name:ident { $( $(#[$field_doc:meta])* $field:ident: $ty:ty, )* }) => {
        $(#[$doc])*
        #[derive(Debug, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        pub struct $name {
            /// An existing profile, by name or ARN; no other key may be set then.
            pub import: Option<Sp<String>>,
            /// The KMS key (a `[key.<name>]`) the profile's credentials are encrypted with.
            pub key: Option<Sp<String>>,
            /// The physical profile name (default `<stack>-<name>`).
            pub profile_name: Option<Sp<String>>,
            /// Connect through AWS PrivateLink (`ConnectionMode: Private`), where the
            /// connector supports it.
            pub private: Option<Sp<bool>>,
            $( $(#[$field_doc])* pub $field: $ty, )*
        }

        impl $name {
            /// The table as [`lower_preset_profile`] reads it, spanning `span`; `others`:
            /// whether a key of the preset's own is set.
            fn preset_table(&self, span: std::ops::Range<usize>, others: bool) -> PresetTable<'_> {
                let keys = ProfileKeys {
                    import: &self.import,
                    key: &self.key,
                    profile_name: &self.profile_name,
                    private: &self.private,
                };
                PresetTable { span, keys, others }
            }
        }
    };
}

/// A preset's profile table as [`lower_preset_profile`] reads it.
struct PresetTable<'a> {
    /// The table's span.
    span: std::ops::Range<usize>,
    /// The keys every profile has.
    keys: ProfileKeys<'a>,
    /// Whether any key of the preset's own is set.
    others: bool,
}

/// Lowers a preset's profile table: an import, or the profile `settings` builds (`None`
/// after reporting what it lacks).
fn lower_preset_profile(
    lowerer: &mut Lowerer,
    name: &str,
    at: &At,
    table: PresetTable<'_>,
    defaults: &'static Defaults,
    settings: impl FnOnce(&mut Lowerer, &mut CustomSettings) -> Option<()>,
) -> Option<CustomConnectorProfile> {
    let PresetTable { span, keys, others } = table;
    let mut profile = common::lower_profile(lowerer, name, at, span, keys, others, |lowerer| {
        let mut custom = CustomSettings {
            label: Some(ConnectorLabel::Managed(defaults.preset.label.to_owned())),
            ..CustomSettings::default()
        };
        settings(lowerer, &mut custom)?;
        Some(ConnectorProfile::owned(name, custom))
    })?;
    // An imported profile is the preset's too: its paths and messages say so.
    profile.settings.preset = Some(&defaults.preset);
    Some(profile)
}

/// The OAuth table of a preset's profile, with the preset's token URL and `grant` as
/// defaults; `None` after reporting a credential that cannot be read.
fn lower_oauth(
    lowerer: &mut Lowerer,
    name: &str,
    at: &At,
    raw: &Option<Sp<TomlOAuth2>>,
    defaults: &Defaults,
    grant: GrantType,
) -> Option<Option<CustomAuth>> {
    let Some(raw) = raw else {
        return Some(None);
    };
    let mut oauth = TomlOAuth2::lower(raw, lowerer, name, &at.key("oauth2"))?;
    if raw.get().grant_type.is_none() {
        oauth.grant = grant;
    }
    Some(Some(CustomAuth::OAuth2(Box::new(defaults.oauth(oauth)))))
}

/// A credential of a preset's profile; `None` when missing, `Err` after reporting one
/// that cannot be read.
fn credential(
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

/// A required text of a preset's profile; `None` after reporting it missing.
fn required(
    lowerer: &mut Lowerer,
    at: &At,
    key: &str,
    raw: &Option<Sp<TomlText>>,
    span: std::ops::Range<usize>,
) -> Option<Text> {
    common::required_text(lowerer, at, key, raw, span)
}

preset_profile_table! {
    /// `[profile.<name>.asana]`.
    TomlAsanaProfile {
        /// The personal access token, as a credential.
        pat: Option<Sp<TomlCredential>>,
    }
}

impl LowerProfilePreset for TomlAsanaProfile {
    type Model = CustomConnectorProfile;
    type Toml = Self;

    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<Self>) -> Option<CustomConnectorProfile> {
        let table = raw.get();
        let others = table.pat.is_some();
        lower_preset_profile(
            lowerer,
            name,
            at,
            table.preset_table(raw.span(), others),
            &ASANA,
            |lowerer, settings| {
                if let Some(token) = credential(lowerer, name, &at.key("pat"), &table.pat).ok()? {
                    let credentials = CustomCredentials::new("PAT").credential("patToken", token);
                    settings.auth = Some(CustomAuth::Custom(credentials));
                }
                Some(())
            },
        )
    }
}

/// `basic = { username, personal-access-token }`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlGitHubBasic {
    /// The GitHub user name, as a credential.
    pub username: Sp<TomlCredential>,
    /// The personal access token, as a credential.
    pub personal_access_token: Sp<TomlCredential>,
}

preset_profile_table! {
    /// `[profile.<name>.github]`.
    TomlGitHubProfile {
        /// A user name and personal access token.
        basic: Option<Sp<TomlGitHubBasic>>,
        /// An OAuth access token (`access-token`; GitHub's token URL unless `token-url`).
        oauth2: Option<Sp<TomlOAuth2>>,
    }
}

impl LowerProfilePreset for TomlGitHubProfile {
    type Model = CustomConnectorProfile;
    type Toml = Self;

    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<Self>) -> Option<CustomConnectorProfile> {
        let table = raw.get();
        let others = table.basic.is_some() || table.oauth2.is_some();
        lower_preset_profile(
            lowerer,
            name,
            at,
            table.preset_table(raw.span(), others),
            &GITHUB,
            |lowerer, settings| {
                match (&table.basic, &table.oauth2) {
                    (Some(_), Some(_)) => {
                        let grants = "`basic = { username, personal-access-token }`, or `oauth2 = { access-token }`";
                        lowerer.error(
                            InputError::ConflictingGrants {
                                ways: "basic or OAuth",
                                grants,
                            },
                            raw.span(),
                        );
                        return None;
                    }
                    (Some(basic), None) => {
                        let at = at.key("basic");
                        lowerer.record(&at, basic.span());
                        let username = lowerer.credential(&at.key("username"), &basic.get().username);
                        let token =
                            lowerer.credential(&at.key("personal-access-token"), &basic.get().personal_access_token);
                        let (Some(username), Some(token)) = (username, token) else {
                            lowerer.credentials_unreadable(name);
                            return None;
                        };
                        settings.auth = Some(CustomAuth::Custom(basic_pat(BasicAuth::new(username, token))));
                    }
                    (None, oauth) => {
                        settings.auth = lower_oauth(lowerer, name, at, oauth, &GITHUB, GrantType::AuthorizationCode)?;
                    }
                }
                Some(())
            },
        )
    }
}

preset_profile_table! {
    /// `[profile.<name>.googleads]`.
    TomlGoogleAdsProfile {
        /// OAuth: `client-secret`, `access-token`, `refresh-token` (Google's token URL unless `token-url`).
        oauth2: Option<Sp<TomlOAuth2>>,
        /// The Google Ads developer token, or a reference to it (a profile property).
        developer_token: Option<Sp<TomlText>>,
        /// The Google Ads API version, e.g. `v16`.
        api_version: Option<Sp<TomlText>>,
        /// The manager account's ID, for a client account reached through one.
        manager_id: Option<Sp<TomlText>>,
    }
}

impl LowerProfilePreset for TomlGoogleAdsProfile {
    type Model = CustomConnectorProfile;
    type Toml = Self;

    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<Self>) -> Option<CustomConnectorProfile> {
        let table = raw.get();
        let others = table.oauth2.is_some() || table.developer_token.is_some() || table.api_version.is_some();
        lower_preset_profile(
            lowerer,
            name,
            at,
            table.preset_table(raw.span(), others),
            &GOOGLE_ADS,
            |lowerer, settings| {
                let token = required(lowerer, at, "developer-token", &table.developer_token, raw.span());
                let version = required(lowerer, at, "api-version", &table.api_version, raw.span());
                settings.properties.insert("developerToken".into(), token?);
                settings.properties.insert("apiVersion".into(), version?);
                if let Some(manager) = common::optional_text(lowerer, at, "manager-id", &table.manager_id) {
                    settings.properties.insert("managerID".into(), manager);
                }
                settings.auth = lower_oauth(
                    lowerer,
                    name,
                    at,
                    &table.oauth2,
                    &GOOGLE_ADS,
                    GrantType::AuthorizationCode,
                )?;
                Some(())
            },
        )
    }
}

/// Writes the profile table and lowering of a preset whose profile is OAuth and, with
/// `instance-url`, the instance URL (`instanceUrl`); `$grant` is its default grant.
macro_rules! oauth_profile {
    ($(#[$doc:meta])* $toml:ident, $defaults:ident, $grant:expr) => {
        preset_profile_table! {
            $(#[$doc])*
            $toml {
                /// OAuth: `client-secret`, `access-token`, `refresh-token`, `token-url`.
                oauth2: Option<Sp<TomlOAuth2>>,
            }
        }

        impl LowerProfilePreset for $toml {
            type Model = CustomConnectorProfile;
            type Toml = Self;

            fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<Self>) -> Option<CustomConnectorProfile> {
                let table = raw.get();
                let others = table.oauth2.is_some();
                lower_preset_profile(lowerer, name, at, table.preset_table(raw.span(), others), &$defaults, |lowerer, settings| {
                    settings.auth = lower_oauth(lowerer, name, at, &table.oauth2, &$defaults, $grant)?;
                    Some(())
                })
            }
        }
    };
    ($(#[$doc:meta])* $toml:ident, $defaults:ident, $grant:expr, instance_url) => {
        preset_profile_table! {
            $(#[$doc])*
            $toml {
                /// The instance's URL, or a reference to it (the profile property `instanceUrl`).
                instance_url: Option<Sp<TomlText>>,
                /// OAuth: `client-secret`, `access-token`, `refresh-token`, `token-url`.
                oauth2: Option<Sp<TomlOAuth2>>,
            }
        }

        impl LowerProfilePreset for $toml {
            type Model = CustomConnectorProfile;
            type Toml = Self;

            fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<Self>) -> Option<CustomConnectorProfile> {
                let table = raw.get();
                let others = table.oauth2.is_some() || table.instance_url.is_some();
                lower_preset_profile(lowerer, name, at, table.preset_table(raw.span(), others), &$defaults, |lowerer, settings| {
                    let url = required(lowerer, at, "instance-url", &table.instance_url, raw.span())?;
                    settings.properties.insert("instanceUrl".into(), url);
                    settings.auth = lower_oauth(lowerer, name, at, &table.oauth2, &$defaults, $grant)?;
                    Some(())
                })
            }
        }
    };
}

oauth_profile! {
    /// `[profile.<name>.googleanalytics4]`.
    TomlGoogleAnalytics4Profile, GOOGLE_ANALYTICS_4, GrantType::AuthorizationCode
}
oauth_profile! {
    /// `[profile.<name>.bigquery]`.
    TomlGoogleBigQueryProfile, GOOGLE_BIGQUERY, GrantType::AuthorizationCode
}
oauth_profile! {
    /// `[profile.<name>.hubspot]`.
    TomlHubSpotProfile, HUBSPOT, GrantType::AuthorizationCode
}
oauth_profile! {
    /// `[profile.<name>.sharepoint]`.
    TomlMicrosoftSharePointOnlineProfile, SHAREPOINT, GrantType::AuthorizationCode
}
oauth_profile! {
    /// `[profile.<name>.dynamics365]`.
    TomlMicrosoftDynamics365Profile, DYNAMICS_365, GrantType::AuthorizationCode, instance_url
}
oauth_profile! {
    /// `[profile.<name>.marketingcloud]`: client credentials by default.
    TomlSalesforceMarketingCloudProfile, MARKETING_CLOUD, GrantType::ClientCredentials, instance_url
}

preset_profile_table! {
    /// `[profile.<name>.mailchimp]`.
    TomlMailchimpProfile {
        /// The account's API URL, e.g. `https://us1.api.mailchimp.com`, or a reference to it.
        instance_url: Option<Sp<TomlText>>,
        /// The API key, as a credential.
        api_key: Option<Sp<TomlCredential>>,
    }
}

impl LowerProfilePreset for TomlMailchimpProfile {
    type Model = CustomConnectorProfile;
    type Toml = Self;

    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<Self>) -> Option<CustomConnectorProfile> {
        let table = raw.get();
        let others = table.instance_url.is_some() || table.api_key.is_some();
        lower_preset_profile(
            lowerer,
            name,
            at,
            table.preset_table(raw.span(), others),
            &MAILCHIMP,
            |lowerer, settings| {
                let url = required(lowerer, at, "instance-url", &table.instance_url, raw.span())?;
                settings.properties.insert("instanceUrl".into(), url);
                if let Some(key) = credential(lowerer, name, &at.key("api-key"), &table.api_key).ok()? {
                    settings.auth = Some(CustomAuth::Custom(
                        CustomCredentials::new("api_key").credential("api_key", key),
                    ));
                }
                Some(())
            },
        )
    }
}

/// A JDBC driver.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlJdbcDriver {
    /// PostgreSQL.
    Postgresql,
    /// MySQL.
    Mysql,
}

preset_profile_table! {
    /// `[profile.<name>.jdbc]`.
    TomlJdbcProfile {
        /// `postgresql` or `mysql`.
        driver: Option<Sp<TomlJdbcDriver>>,
        /// The database server's host name, or a reference to it.
        hostname: Option<Sp<TomlText>>,
        /// The database server's port.
        #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 65535)))]
        port: Option<Sp<i64>>,
        /// The database, or a reference to it.
        database: Option<Sp<TomlText>>,
        /// The user name, as a credential.
        username: Option<Sp<TomlCredential>>,
        /// The password, as a credential.
        password: Option<Sp<TomlCredential>>,
    }
}

preset_profile_table! {
    /// `[profile.<name>.rdspostgresql]`.
    TomlRdsPostgreSqlProfile {
        /// The instance's endpoint, or a reference to it.
        hostname: Option<Sp<TomlText>>,
        /// The port (default 5432).
        #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 65535)))]
        port: Option<Sp<i64>>,
        /// The database, or a reference to it.
        database: Option<Sp<TomlText>>,
        /// The user name, as a credential.
        username: Option<Sp<TomlCredential>>,
        /// The password, as a credential.
        password: Option<Sp<TomlCredential>>,
    }
}

/// A database profile's keys, as [`lower_database`] reads them.
struct DatabaseKeys<'a> {
    hostname: &'a Option<Sp<TomlText>>,
    port: &'a Option<Sp<i64>>,
    database: &'a Option<Sp<TomlText>>,
    username: &'a Option<Sp<TomlCredential>>,
    password: &'a Option<Sp<TomlCredential>>,
    /// The port when the table gives none, if the connector has a default.
    default_port: Option<u16>,
}

/// The address and user of a database profile (its table spans `span`) through `driver`:
/// its credentials map, in `settings`.
fn lower_database(
    lowerer: &mut Lowerer,
    name: &str,
    at: &At,
    span: std::ops::Range<usize>,
    driver: JdbcDriver,
    keys: DatabaseKeys<'_>,
    settings: &mut CustomSettings,
) -> Option<()> {
    let host = required(lowerer, at, "hostname", keys.hostname, span.clone());
    let database = required(lowerer, at, "database", keys.database, span.clone());
    let port = match (keys.port, keys.default_port) {
        (Some(port), _) => {
            lowerer.record(&at.key("port"), port.span());
            match u16::try_from(*port.get()) {
                Ok(port) if port > 0 => Some(port),
                _ => {
                    let (value, min, max) = (*port.get(), 1, 65_535);
                    let what = "a port";
                    lowerer.error(InputError::CountOutOfRange { what, value, min, max }, port.span());
                    None
                }
            }
        }
        (None, Some(port)) => Some(port),
        (None, None) => {
            lowerer.error(InputError::MissingKey { name: "port".into() }, span);
            None
        }
    };
    let username = credential(lowerer, name, &at.key("username"), keys.username).ok()?;
    let password = credential(lowerer, name, &at.key("password"), keys.password).ok()?;
    let (host, database, port) = (host?, database?, port?);
    if let (Some(username), Some(password)) = (username, password) {
        let user = BasicAuth::new(username, password);
        let credentials = database_credentials(driver, host, port, database, user);
        settings.auth = Some(CustomAuth::Custom(credentials));
    }
    Some(())
}

impl LowerProfilePreset for TomlJdbcProfile {
    type Model = CustomConnectorProfile;
    type Toml = Self;

    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<Self>) -> Option<CustomConnectorProfile> {
        let t = raw.get();
        let others = t.driver.is_some() || t.hostname.is_some() || t.database.is_some() || t.username.is_some();
        lower_preset_profile(
            lowerer,
            name,
            at,
            t.preset_table(raw.span(), others),
            &JDBC,
            |lowerer, settings| {
                let Some(driver) = &t.driver else {
                    lowerer.error(InputError::MissingKey { name: "driver".into() }, raw.span());
                    return None;
                };
                lowerer.record(&at.key("driver"), driver.span());
                let driver = match driver.get() {
                    TomlJdbcDriver::Postgresql => JdbcDriver::PostgreSql,
                    TomlJdbcDriver::Mysql => JdbcDriver::MySql,
                };
                let keys = DatabaseKeys {
                    hostname: &t.hostname,
                    port: &t.port,
                    database: &t.database,
                    username: &t.username,
                    password: &t.password,
                    default_port: None,
                };
                lower_database(lowerer, name, at, raw.span(), driver, keys, settings)
            },
        )
    }
}

impl LowerProfilePreset for TomlRdsPostgreSqlProfile {
    type Model = CustomConnectorProfile;
    type Toml = Self;

    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<Self>) -> Option<CustomConnectorProfile> {
        let t = raw.get();
        let others = t.hostname.is_some() || t.database.is_some() || t.username.is_some() || t.port.is_some();
        lower_preset_profile(
            lowerer,
            name,
            at,
            t.preset_table(raw.span(), others),
            &RDS_POSTGRESQL,
            |lowerer, settings| {
                let keys = DatabaseKeys {
                    hostname: &t.hostname,
                    port: &t.port,
                    database: &t.database,
                    username: &t.username,
                    password: &t.password,
                    default_port: Some(RdsPostgreSql::DEFAULT_PORT),
                };
                lower_database(lowerer, name, at, raw.span(), JdbcDriver::PostgreSql, keys, settings)
            },
        )
    }
}

// ---------------------------------------------------------------------------------------
// TOML: sources and destinations

/// `source.<preset>` for a preset that reads an `object`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlPresetObjectSource {
    /// The profile (a `[profile.<name>]` of the connector).
    pub profile: Sp<String>,
    /// The object (`EntityName`), as the connector names it.
    pub object: Sp<TomlText>,
    /// The connector's API version (the preset's by default).
    pub api_version: Option<Sp<TomlText>>,
}

impl TomlPresetObjectSource {
    /// Lowers the table at `at` as `defaults`' source.
    fn lower_as(&self, lowerer: &mut Lowerer, at: &At, defaults: &'static Defaults) -> Option<CustomSource> {
        let profile = lowerer.string(&at.key("profile"), &self.profile);
        let object = lowerer.text(&at.key("object"), &self.object);
        let version = common::optional_text(lowerer, at, "api-version", &self.api_version);
        if version.is_none() && defaults.api_version.is_none() {
            let error = InputError::MissingKey {
                name: "api-version".into(),
            };
            lowerer.error(error, self.profile.span().start..self.object.span().end);
            return None;
        }
        Some(defaults.source(ProfileRef::named(profile), object, version))
    }
}

/// Writes the source tables of the presets that read an `object`: each its own type (the
/// registry keys types), all the same table.
macro_rules! object_sources {
    ($( $(#[$doc:meta])* $name:ident = $defaults:ident; )*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Deserialize)]
            #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
            #[serde(transparent)]
            pub struct $name(pub TomlPresetObjectSource);

            impl LowerPreset for $name {
                type Model = CustomSource;
                type Toml = Self;

                fn lower(lowerer: &mut Lowerer, at: &At, raw: &Self) -> Option<CustomSource> {
                    raw.0.lower_as(lowerer, at, &$defaults)
                }
            }
        )*
    };
}

object_sources! {
    /// `source.asana`.
    TomlAsanaSource = ASANA;
    /// `source.github`.
    TomlGitHubSource = GITHUB;
    /// `source.googleads` (`api-version` required).
    TomlGoogleAdsSource = GOOGLE_ADS;
    /// `source.googleanalytics4`.
    TomlGoogleAnalytics4Source = GOOGLE_ANALYTICS_4;
    /// `source.mailchimp`.
    TomlMailchimpSource = MAILCHIMP;
    /// `source.dynamics365`.
    TomlMicrosoftDynamics365Source = DYNAMICS_365;
    /// `source.marketingcloud`.
    TomlSalesforceMarketingCloudSource = MARKETING_CLOUD;
}

/// `source.bigquery`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlGoogleBigQuerySource {
    /// The profile (a `[profile.<name>.bigquery]`).
    pub profile: Sp<String>,
    /// The Google Cloud project.
    pub project: Sp<String>,
    /// The dataset.
    pub dataset: Sp<String>,
    /// The table.
    pub table: Sp<String>,
    /// The API version (default `v2`).
    pub api_version: Option<Sp<TomlText>>,
}

impl LowerPreset for TomlGoogleBigQuerySource {
    type Model = CustomSource;
    type Toml = Self;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &Self) -> Option<CustomSource> {
        let profile = lowerer.string(&at.key("profile"), &raw.profile);
        let project = lowerer.string(&at.key("project"), &raw.project);
        let dataset = lowerer.string(&at.key("dataset"), &raw.dataset);
        let table = lowerer.string(&at.key("table"), &raw.table);
        // A message about the entity points at the table.
        lowerer.record(&at.key("entity"), raw.table.span());
        let version = common::optional_text(lowerer, at, "api-version", &raw.api_version);
        let entity = format!("table/{project}/{dataset}/{table}");
        Some(GOOGLE_BIGQUERY.source(ProfileRef::named(profile), entity, version))
    }
}

/// `source.hubspot`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlHubSpotSource {
    /// The profile (a `[profile.<name>.hubspot]`).
    pub profile: Sp<String>,
    /// The entity's path, e.g. `["association_label", "ticket", "contact"]`.
    pub entity: Sp<Vec<String>>,
    /// The HubSpot API version: `v1` to `v4`.
    pub api_version: Sp<TomlText>,
}

impl LowerPreset for TomlHubSpotSource {
    type Model = CustomSource;
    type Toml = Self;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &Self) -> Option<CustomSource> {
        let profile = lowerer.string(&at.key("profile"), &raw.profile);
        lowerer.record(&at.key("entity"), raw.entity.span());
        let version = lowerer.text(&at.key("api-version"), &raw.api_version);
        Some(HUBSPOT.source(ProfileRef::named(profile), raw.entity.get().join("/"), Some(version)))
    }
}

/// `destination.hubspot`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlHubSpotDestination {
    /// The profile (a `[profile.<name>.hubspot]`).
    pub profile: Sp<String>,
    /// The entity's path, e.g. `["company"]`.
    pub entity: Sp<Vec<String>>,
    /// The HubSpot API version: `v1` to `v4`.
    pub api_version: Sp<TomlText>,
    /// `insert` (default), `upsert`, `update` or `delete`.
    pub operation: Option<Sp<TomlWriteOperation>>,
    /// Fields that identify existing records (for upsert, update and delete).
    #[serde(default)]
    pub id_fields: Vec<Sp<String>>,
    /// Where failed records go.
    pub error_handling: Option<Sp<TomlErrorHandling>>,
}

impl LowerPreset for TomlHubSpotDestination {
    type Model = CustomDestination;
    type Toml = Self;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &Self) -> Option<CustomDestination> {
        let profile = lowerer.string(&at.key("profile"), &raw.profile);
        lowerer.record(&at.key("entity"), raw.entity.span());
        let version = lowerer.text(&at.key("api-version"), &raw.api_version);
        let operation = TomlWriteOperation::lower_or_insert(lowerer, at, &raw.operation, &raw.id_fields);
        let mut destination = HUBSPOT
            .destination(ProfileRef::named(profile), raw.entity.get().join("/"), Some(version))
            .operation(operation);
        destination.error_handling = TomlErrorHandling::lower(lowerer, &at.key("error-handling"), &raw.error_handling);
        Some(destination)
    }
}

/// `source.sharepoint`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlMicrosoftSharePointOnlineSource {
    /// The profile (a `[profile.<name>.sharepoint]`).
    pub profile: Sp<String>,
    /// The site, as AppFlow lists it (`EntityName`).
    pub site: Sp<TomlText>,
    /// The site's entities to read (the custom property `subEntities`).
    #[serde(default)]
    pub entities: Vec<Sp<String>>,
    /// The site's drives to read (the older name of `entities`).
    #[serde(default)]
    pub drives: Vec<Sp<String>>,
    /// The API version (default `v1.0`).
    pub api_version: Option<Sp<TomlText>>,
}

impl LowerPreset for TomlMicrosoftSharePointOnlineSource {
    type Model = CustomSource;
    type Toml = Self;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &Self) -> Option<CustomSource> {
        let profile = lowerer.string(&at.key("profile"), &raw.profile);
        let site = lowerer.text(&at.key("site"), &raw.site);
        lowerer.record(&at.key("entity"), raw.site.span());
        let version = common::optional_text(lowerer, at, "api-version", &raw.api_version);
        let (key, entities) = match (raw.entities.is_empty(), raw.drives.is_empty()) {
            (false, true) => ("entities", &raw.entities),
            (true, false) => ("drives", &raw.drives),
            (false, false) => {
                let ways = "entities or drives";
                let grants = "`entities` (`drives` is its older name)";
                lowerer.error(InputError::ConflictingGrants { ways, grants }, raw.drives[0].span());
                return None;
            }
            (true, true) => {
                lowerer.error(
                    InputError::MissingKey {
                        name: "entities".into(),
                    },
                    raw.site.span(),
                );
                return None;
            }
        };
        let at_entities = at.key(key);
        let names: Vec<String> = entities
            .iter()
            .enumerate()
            .map(|(i, entity)| lowerer.string(&at_entities.index(i), entity))
            .collect();
        let source = SHAREPOINT
            .source(ProfileRef::named(profile), site, version)
            .property("subEntities", sub_entities(names.iter().map(String::as_str)));
        Some(source)
    }
}

/// `source.jdbc`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlJdbcSource {
    /// The profile (a `[profile.<name>.jdbc]`).
    pub profile: Sp<String>,
    /// The schema.
    pub schema: Sp<String>,
    /// The table.
    pub table: Sp<String>,
    /// The API version (default `V1`).
    pub api_version: Option<Sp<TomlText>>,
}

impl LowerPreset for TomlJdbcSource {
    type Model = CustomSource;
    type Toml = Self;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &Self) -> Option<CustomSource> {
        let profile = lowerer.string(&at.key("profile"), &raw.profile);
        let entity = schema_table(lowerer, at, &raw.schema, &raw.table);
        let version = common::optional_text(lowerer, at, "api-version", &raw.api_version);
        Some(JDBC.source(ProfileRef::named(profile), entity, version))
    }
}

/// `schema.table`, the entity of a database connector.
fn schema_table(lowerer: &mut Lowerer, at: &At, schema: &Sp<String>, table: &Sp<String>) -> String {
    let schema = lowerer.string(&at.key("schema"), schema);
    let name = lowerer.string(&at.key("table"), table);
    lowerer.record(&at.key("entity"), table.span());
    format!("{schema}.{name}")
}

/// `destination.jdbc` and `destination.rdspostgresql`: a table, inserted into.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlDatabaseDestination {
    /// The profile (a `[profile.<name>]` of the connector).
    pub profile: Sp<String>,
    /// The schema, e.g. `public`.
    pub schema: Sp<String>,
    /// The table.
    pub table: Sp<String>,
    /// The API version (the connector's by default).
    pub api_version: Option<Sp<TomlText>>,
    /// Where failed records go.
    pub error_handling: Option<Sp<TomlErrorHandling>>,
}

impl TomlDatabaseDestination {
    /// Lowers the table at `at` as `defaults`' destination: an insert, the only write the
    /// reference library offers for these connectors.
    fn lower_as(&self, lowerer: &mut Lowerer, at: &At, defaults: &'static Defaults) -> CustomDestination {
        let profile = lowerer.string(&at.key("profile"), &self.profile);
        let entity = schema_table(lowerer, at, &self.schema, &self.table);
        let version = common::optional_text(lowerer, at, "api-version", &self.api_version);
        let mut destination = defaults
            .destination(ProfileRef::named(profile), entity, version)
            .operation(WriteOperation::insert());
        destination.error_handling = TomlErrorHandling::lower(lowerer, &at.key("error-handling"), &self.error_handling);
        destination
    }
}

/// `destination.jdbc`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct TomlJdbcDestination(pub TomlDatabaseDestination);

impl LowerPreset for TomlJdbcDestination {
    type Model = CustomDestination;
    type Toml = Self;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &Self) -> Option<CustomDestination> {
        Some(raw.0.lower_as(lowerer, at, &JDBC))
    }
}

/// `destination.rdspostgresql`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct TomlRdsPostgreSqlDestination(pub TomlDatabaseDestination);

impl LowerPreset for TomlRdsPostgreSqlDestination {
    type Model = CustomDestination;
    type Toml = Self;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &Self) -> Option<CustomDestination> {
        Some(raw.0.lower_as(lowerer, at, &RDS_POSTGRESQL))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testing::{compile, resource};

    const OAUTH: &str = r#"oauth2 = { client-secret = "app", access-token = { secret = "app", key = "accessToken" }, refresh-token = { secret = "app", key = "refreshToken" } }"#;

    #[test]
    fn google_ads_writes_its_properties_and_google_token_url() {
        let template = compile(&format!(
            "[profile.ads.googleads]\n{OAUTH}\ndeveloper-token = {{ secret = \"app\", key = \"developerToken\" }}\napi-version = \"v16\"\nmanager-id = \"1234567890\"\n\
             [flow.f]\nsource.googleads = {{ profile = \"ads\", object = \"campaign\", api-version = \"v16\" }}\ndestination.s3 = {{ bucket = \"lake\" }}\nmap-all = {{}}\n"
        ))
        .expect("compiles");
        let profile = resource(&template, "AWS::AppFlow::ConnectorProfile");
        assert_eq!(profile["ConnectorLabel"], "GoogleAds");
        let properties = &profile["ConnectorProfileConfig"]["ConnectorProfileProperties"]["CustomConnector"];
        assert_eq!(
            properties["OAuth2Properties"]["TokenUrl"],
            "https://oauth2.googleapis.com/token"
        );
        assert_eq!(properties["OAuth2Properties"]["OAuth2GrantType"], "AUTHORIZATION_CODE");
        assert_eq!(properties["ProfileProperties"]["apiVersion"], "v16");
        assert_eq!(properties["ProfileProperties"]["managerID"], "1234567890");
        let token = properties["ProfileProperties"]["developerToken"]
            .as_str()
            .expect("a reference");
        assert!(token.starts_with("{{resolve:secretsmanager:"), "{token}");
        let source = &resource(&template, "AWS::AppFlow::Flow")["SourceFlowConfig"];
        assert_eq!(source["ApiVersion"], "v16");
        assert_eq!(source["ConnectorType"], "CustomConnector");
    }

    #[test]
    fn a_google_ads_source_needs_its_api_version() {
        let errors = compile(&format!(
            "[profile.ads.googleads]\n{OAUTH}\ndeveloper-token = \"t\"\napi-version = \"v16\"\n\
             [flow.f]\nsource.googleads = {{ profile = \"ads\", object = \"campaign\" }}\ndestination.s3 = {{ bucket = \"lake\" }}\nmap-all = {{}}\n"
        ))
        .expect_err("no API version");
        assert_eq!(errors, ["flowform::input::missing_key"]);
    }

    #[test]
    fn bigquery_names_a_table_by_project_and_dataset() {
        let template = compile(&format!(
            "[profile.bq.bigquery]\n{OAUTH}\n\
             [flow.f]\nsource.bigquery = {{ profile = \"bq\", project = \"acme\", dataset = \"sales\", table = \"orders\" }}\ndestination.s3 = {{ bucket = \"lake\" }}\nmap-all = {{}}\n"
        ))
        .expect("compiles");
        let source = &resource(&template, "AWS::AppFlow::Flow")["SourceFlowConfig"];
        assert_eq!(
            source["SourceConnectorProperties"]["CustomConnector"]["EntityName"],
            "table/acme/sales/orders"
        );
        assert_eq!(source["ApiVersion"], "v2");
        assert_eq!(
            resource(&template, "AWS::AppFlow::ConnectorProfile")["ConnectorLabel"],
            "GoogleBigQuery"
        );
    }

    #[test]
    fn sharepoint_reads_a_sites_entities_as_a_json_array() {
        let template = compile(&format!(
            "[profile.sp.sharepoint]\n{OAUTH}\n\
             [flow.f]\nsource.sharepoint = {{ profile = \"sp\", site = \"acme.sharepoint.com,1,2\", entities = [\"Documents\", \"Reports\"] }}\ndestination.s3 = {{ bucket = \"lake\" }}\nmap-all = {{}}\n"
        ))
        .expect("compiles");
        let source = &resource(&template, "AWS::AppFlow::Flow")["SourceFlowConfig"];
        let custom = &source["SourceConnectorProperties"]["CustomConnector"];
        assert_eq!(custom["EntityName"], "acme.sharepoint.com,1,2");
        assert_eq!(custom["CustomProperties"]["subEntities"], r#"["Documents","Reports"]"#);
        assert_eq!(source["ApiVersion"], "v1.0");
        let errors = compile(&format!(
            "[profile.sp.sharepoint]\n{OAUTH}\n\
             [flow.f]\nsource.sharepoint = {{ profile = \"sp\", site = \"s\", entities = [\"a\"], drives = [\"b\"] }}\ndestination.s3 = {{ bucket = \"lake\" }}\nmap-all = {{}}\n"
        ))
        .expect_err("entities and drives");
        assert_eq!(errors, ["flowform::profile::conflicting_credentials"]);
    }

    #[test]
    fn the_generic_form_writes_every_authentication_and_the_data_transfer_api() {
        let template = compile(
            "[profile.keys.custom]\nlabel = \"Acme\"\napi-key = { key = { secret = \"app\", key = \"k\" }, secret-key = { parameter = \"AcmeSecret\" } }\n\
             [profile.code.custom]\nlabel = \"Zoom\"\noauth2 = { auth-code = { parameter = \"Code\" }, redirect-uri = \"https://example.com/cb\", token-url = \"https://zoom.us/oauth/token\", token-url-properties = { audience = \"api\" } }\n\
             [profile.own.custom]\nlabel = \"Own\"\ncustom = { type = \"TOKEN\", credentials = { b = { secret = \"app\", key = \"b\" }, a = { secret = \"app\", key = \"a\" } } }\n\
             [flow.f]\nsource.custom = { profile = \"keys\", entity = \"orders\", properties = { region = \"eu\" }, data-transfer-api = { name = \"BULK\", type = \"async\" } }\ndestination.s3 = { bucket = \"lake\" }\nmap-all = {}\n\
             [flow.g]\nsource.custom = { profile = \"code\", entity = \"meetings\" }\ndestination.s3 = { bucket = \"lake\" }\nmap-all = {}\n\
             [flow.h]\nsource.s3 = { bucket = \"lake\", prefix = \"in\" }\ndestination.custom = { profile = \"own\", entity = \"items\", operation = \"delete\", id-fields = [\"id\"] }\nmap-all = {}\n",
        )
        .expect("compiles");
        let resources = template["Resources"].as_object().expect("resources");
        let credentials = |id: &str| {
            resources[id]["Properties"]["ConnectorProfileConfig"]["ConnectorProfileCredentials"]["CustomConnector"]
                .clone()
        };
        let keys = credentials("KeysProfile");
        assert_eq!(keys["AuthenticationType"], "APIKEY");
        assert_eq!(keys["ApiKey"]["ApiSecretKey"], json!({"Ref": "AcmeSecret"}));
        let code = credentials("CodeProfile");
        assert_eq!(code["Oauth2"]["OAuthRequest"]["AuthCode"], json!({"Ref": "Code"}));
        assert_eq!(code["Oauth2"]["OAuthRequest"]["RedirectUri"], "https://example.com/cb");
        let code_properties = &resources["CodeProfile"]["Properties"]["ConnectorProfileConfig"]["ConnectorProfileProperties"]
            ["CustomConnector"]["OAuth2Properties"];
        assert_eq!(code_properties["TokenUrlCustomProperties"], json!({"audience": "api"}));
        let own = credentials("OwnProfile");
        assert_eq!(own["Custom"]["CustomAuthenticationType"], "TOKEN");
        let names: Vec<&String> = own["Custom"]["CredentialsMap"]
            .as_object()
            .expect("a map")
            .keys()
            .collect();
        assert_eq!(names, ["a", "b"]);
        let source =
            &resources["FFlow"]["Properties"]["SourceFlowConfig"]["SourceConnectorProperties"]["CustomConnector"];
        assert_eq!(source["DataTransferApi"], json!({"Name": "BULK", "Type": "ASYNC"}));
        assert_eq!(source["CustomProperties"], json!({"region": "eu"}));
        let destination = &resources["HFlow"]["Properties"]["DestinationFlowConfigList"][0]["DestinationConnectorProperties"]
            ["CustomConnector"];
        assert_eq!(destination["WriteOperationType"], "DELETE");
        assert_eq!(destination["IdFieldNames"], json!(["id"]));
    }

    #[test]
    fn a_preset_source_takes_a_custom_profile_of_its_label_only() {
        let flow = "[flow.f]\nsource.hubspot = { profile = \"p\", entity = [\"company\"], api-version = \"v3\" }\ndestination.s3 = { bucket = \"lake\" }\nmap-all = {}\n";
        let same = format!("[profile.p.custom]\nlabel = \"HubSpot\"\n{OAUTH}\n{flow}");
        assert!(compile(&same).is_ok());
        let other = format!("[profile.p.custom]\nlabel = \"Zoom\"\n{OAUTH}\n{flow}");
        assert_eq!(
            compile(&other).expect_err("another label"),
            ["flowform::profile::other_connector"]
        );
        // A generic source goes through any custom connector's profile, a preset's too.
        let generic = format!(
            "[profile.p.hubspot]\n{OAUTH}\n[flow.f]\nsource.custom = {{ profile = \"p\", entity = \"company\" }}\ndestination.s3 = {{ bucket = \"lake\" }}\nmap-all = {{}}\n"
        );
        assert!(compile(&generic).is_ok());
    }
}
