//! Connectors: one module each, and the one registry that lists them.
//!
//! A connector module holds everything that differs between connectors: its TOML tables,
//! their lowering, its model types and builders, its own checks, what it asks the
//! permissions pass for, and what it synthesizes. The rules every connector shares are
//! written once, against what a connector declares through the traits below:
//!
//! - the TOML front end reads `source.<key>`, `destination.<key>` and
//!   `[profile.<name>.<key>]` from the tables `registry!` builds, and checks that
//!   exactly one connector is named;
//! - validation checks the references a connector declares ([`ProfileRef`]s and
//!   [`BucketUse`]s), that a flow's profile is of its connector, that filters use
//!   operators the source connector's `ConnectorOperator` enum allows (from [`facts`],
//!   generated from the official schemas), and that credentials are references;
//! - the permissions pass grants what the declared buckets, secrets and keys need;
//! - synthesis writes `SourceFlowConfig`/`DestinationFlowConfig` around the connector's
//!   own properties;
//! - `flowform import` asks the connector's module for its table, written from what
//!   AppFlow's API says of an existing flow (`import`, for the connectors that have one).
//!
//! Adding a connector is its module, one line in `registry!`'s invocation below, and
//! (for a connector AppFlow adds later) a regenerate of [`facts`]: the README's "Adding a
//! connector" says how.

pub mod amplitude;
pub mod common;
pub(crate) mod constraints;
pub mod custom;
pub mod customerprofiles;
pub mod datadog;
pub mod dynatrace;
pub mod eventbridge;
#[rustfmt::skip]
pub mod facts;
pub mod files;
pub mod googleanalytics;
#[cfg(feature = "deploy")]
pub(crate) mod import;
pub mod infornexus;
pub(crate) mod keyed;
pub mod lookoutmetrics;
pub mod marketo;
pub mod pardot;
pub mod redshift;
pub mod s3;
pub mod salesforce;
pub mod sapodata;
pub mod servicenow;
pub mod singular;
pub mod slack;
pub mod snowflake;
pub mod staged;
pub mod trendmicro;
pub mod upsolver;
pub mod veeva;
pub mod zendesk;

use crate::cfn::Limits;
use crate::cfn::ResourceProperties;
use crate::cfn::generated::connector_profile::{ConnectorProfileCredentials, ConnectorProfileProperties};
use crate::cfn::generated::flow::{DestinationConnectorProperties, Flow, SourceConnectorProperties};
use crate::input::lower::{At, Lowerer};
use crate::input::raw::Sp;
use crate::model::validate::Checker;
use crate::model::{AnyFlow, BucketRef, Credential, DomainRef, Path, ProfileRef, SecretRef, Text};
use crate::synth::Synth;

pub use common::{ConnectorProfile, ErrorHandling, WriteOperation};
pub use facts::ConnectorType;

/// For tests outside this folder, which must not name a connector: the TOML key of a SaaS
/// connector whose profile takes `instance-url` and OAuth tokens, and whose source reads an
/// `object` through a `profile`.
#[cfg(test)]
pub(crate) const SAAS_TEST_KEY: &str = "salesforce";

/// The model types and builders of every connector, re-exported by [`crate::model`].
pub mod prelude {
    pub use super::amplitude::{AmplitudeConnectorProfile, AmplitudeSettings, AmplitudeSource};
    pub use super::common::{
        BasicAuth, ConnectorProfile, ErrorHandling, OAuthClient, OAuthTokens, WriteOperation, WriteOperationType,
    };
    pub use super::custom::presets::{
        Asana, GitHub, GoogleAds, GoogleAnalytics4, GoogleBigQuery, HubSpot, JdbcDriver, JdbcSmallDataScale, Mailchimp,
        MicrosoftDynamics365, MicrosoftSharePointOnline, RdsPostgreSql, SalesforceMarketingCloud,
    };
    pub use super::custom::registration::{ConnectorFunction, FunctionCode, RegisteredConnector};
    pub use super::custom::{
        ConnectorLabel, CustomAuth, CustomConnectorProfile, CustomCredentials, CustomDestination, CustomSettings,
        CustomSource, GrantType, OAuth2, TransferApi, TransferApiType,
    };
    pub use super::customerprofiles::CustomerProfilesDestination;
    pub use super::datadog::{DatadogConnectorProfile, DatadogSettings, DatadogSource};
    pub use super::dynatrace::{DynatraceConnectorProfile, DynatraceSettings, DynatraceSource};
    pub use super::eventbridge::{EventBridgeDestination, PartnerBus};
    pub use super::files::{Aggregation, FileType, PathPrefix, Prefix, PrefixFormat, PrefixType};
    pub use super::googleanalytics::{GoogleAnalyticsConnectorProfile, GoogleAnalyticsSettings, GoogleAnalyticsSource};
    pub use super::infornexus::{InforNexusConnectorProfile, InforNexusSettings, InforNexusSource};
    pub use super::lookoutmetrics::LookoutMetricsDestination;
    pub use super::marketo::{MarketoConnectorProfile, MarketoDestination, MarketoSettings, MarketoSource};
    pub use super::pardot::{PardotConnectorProfile, PardotSettings, PardotSource};
    pub use super::redshift::{RedshiftConnection, RedshiftConnectorProfile, RedshiftDestination, RedshiftSettings};
    pub use super::s3::{GlueCatalog, GlueDatabase, InputFileType, S3Destination, S3Source};
    pub use super::salesforce::{
        DataTransferApi, SalesforceAuth, SalesforceConnectorProfile, SalesforceDestination, SalesforceSettings,
        SalesforceSource,
    };
    pub use super::sapodata::{
        SapOAuthProperties, SapODataAuth, SapODataConnectorProfile, SapODataDestination, SapODataSettings,
        SapODataSource,
    };
    pub use super::servicenow::{ServiceNowAuth, ServiceNowConnectorProfile, ServiceNowSettings, ServiceNowSource};
    pub use super::singular::{SingularConnectorProfile, SingularSettings, SingularSource};
    pub use super::slack::{SlackConnectorProfile, SlackSettings, SlackSource};
    pub use super::snowflake::{
        SnowflakeConnectorProfile, SnowflakeDestination, SnowflakeSettings, StorageIntegration,
    };
    pub use super::trendmicro::{TrendMicroConnectorProfile, TrendMicroSettings, TrendMicroSource};
    pub use super::upsolver::UpsolverDestination;
    pub use super::veeva::{VeevaConnectorProfile, VeevaSettings, VeevaSource};
    pub use super::zendesk::{ZendeskConnectorProfile, ZendeskDestination, ZendeskSettings, ZendeskSource};
    pub use super::{Destination, Profile, Source};
}

/// The sources a Lookout for Metrics destination takes, as the guide names them: "Amplitude,
/// Dynatrace, Google Analytics, Infor Nexus, Marketo, Salesforce, ServiceNow, Singular,
/// Trend Micro, Veeva, Zendesk" (AppFlow user guide, lookout.html). A list across
/// connectors, so it is the registry's.
pub(crate) const LOOKOUT_METRICS_SOURCES: [(ConnectorType, &str); 11] = [
    (ConnectorType::Amplitude, "Amplitude"),
    (ConnectorType::Dynatrace, "Dynatrace"),
    (ConnectorType::Googleanalytics, "Google Analytics"),
    (ConnectorType::Infornexus, "Infor Nexus"),
    (ConnectorType::Marketo, "Marketo"),
    (ConnectorType::Salesforce, "Salesforce"),
    (ConnectorType::Servicenow, "ServiceNow"),
    (ConnectorType::Singular, "Singular"),
    (ConnectorType::Trendmicro, "Trend Micro"),
    (ConnectorType::Veeva, "Veeva"),
    (ConnectorType::Zendesk, "Zendesk"),
];

/// How a connector uses a bucket: AppFlow reads a source's files and writes a
/// destination's (and failed records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `s3:GetObject`, `s3:ListBucket`.
    Read,
    /// `s3:PutObject` and friends.
    Write,
}

/// A bucket an endpoint uses, with the keys under the endpoint's table that name it.
#[derive(Debug, Clone, Copy)]
pub struct BucketUse<'a> {
    /// The keys below the endpoint's table, e.g. `["error-handling", "bucket"]`.
    pub at: &'static [&'static str],
    /// The bucket.
    pub bucket: &'a BucketRef,
    /// What AppFlow does with it.
    pub access: Access,
    /// The key prefix AppFlow reads or writes under (the `prefix` key beside the bucket's),
    /// with the schema's limits on the property it becomes.
    pub prefix: Option<(&'a str, Limits)>,
    /// The schema's limits on the bucket's name, where they are more than S3's own naming
    /// rules (Upsolver's `upsolver-appflow` prefix): the bucket must then have a known name.
    pub name: Option<Limits>,
}

/// A name an endpoint creates in the account, which must not clash with another.
#[derive(Debug, Clone)]
pub struct CreatedName {
    /// What it names, e.g. `partner event source`.
    pub kind: &'static str,
    /// The name (`<account>` stands for the account ID).
    pub name: String,
    /// The keys below the endpoint's table the name comes from (empty: the table).
    pub at: &'static [&'static str],
}

/// What a source connector's page in the AppFlow user guide says a flow from it may do.
/// The shared validation applies these rules, so a connector states them and never checks
/// them itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SourceRules {
    /// The connector as the guide names it, for messages (e.g. `Trend Micro`).
    pub name: &'static str,
    /// The most frequent schedule the guide allows, as the seconds between two runs ("you
    /// can run schedule-triggered flows at a maximum frequency of one flow run per ...").
    pub shortest_schedule: Option<i64>,
    /// The guide says a flow must have a date range (a `between` filter).
    pub needs_date_range: bool,
    /// The longest date range the guide allows, in days.
    pub longest_date_range_days: Option<i64>,
}

impl SourceRules {
    /// A connector whose guide page sets no such rule.
    pub const NONE: SourceRules = SourceRules {
        name: "",
        shortest_schedule: None,
        needs_date_range: false,
        longest_date_range_days: None,
    };

    /// Rules for the connector the guide calls `name`, none set yet.
    pub const fn named(name: &'static str) -> SourceRules {
        SourceRules {
            name,
            ..SourceRules::NONE
        }
    }

    /// At most one scheduled run every `seconds`.
    pub const fn at_most_every(self, seconds: i64) -> SourceRules {
        SourceRules {
            shortest_schedule: Some(seconds),
            ..self
        }
    }

    /// A date range is required.
    pub const fn needs_date_range(self) -> SourceRules {
        SourceRules {
            needs_date_range: true,
            ..self
        }
    }

    /// A date range of at most `days`.
    pub const fn date_range_at_most_days(self, days: i64) -> SourceRules {
        SourceRules {
            longest_date_range_days: Some(days),
            ..self
        }
    }
}

/// What every source connector declares to the shared passes.
pub(crate) trait SourceConnector {
    /// What the AppFlow guide says a flow from it may do.
    fn rules(&self) -> SourceRules {
        SourceRules::NONE
    }
    /// The connector profile it reads through, if its connector has one.
    fn profile(&self) -> Option<&ProfileRef> {
        None
    }
    /// The buckets it reads.
    fn buckets(&self) -> Vec<BucketUse<'_>> {
        Vec::new()
    }
    /// Its settings that may be references, with the keys below its table that hold them.
    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        Vec::new()
    }
    /// The connector's API version (`SourceFlowConfig.ApiVersion`), for the connectors
    /// AppFlow reads one for (custom connectors).
    fn api_version(&self) -> Option<&Text> {
        None
    }
    /// The TOML key it was written with, where several keys (a connector's presets) lower
    /// into one model type; `None`: the registry's key for its type.
    fn preset_key(&self) -> Option<&'static str> {
        None
    }
    /// Whether it can go through `profile`; `None`: when the profile has its TOML key.
    fn accepts_profile(&self, _profile: &Profile) -> Option<bool> {
        None
    }
    /// The connector's own rules; `path` is its table (`flow.<name>.source.<key>`).
    fn check(&self, checker: &mut Checker<'_>, flow: &AnyFlow, path: &Path);
    /// Its `SourceConnectorProperties`.
    fn synthesize(&self, synth: &Synth<'_>) -> SourceConnectorProperties;
}

/// What every destination connector declares to the shared passes.
pub(crate) trait DestinationConnector {
    /// The connector profile it writes through, if its connector has one.
    fn profile(&self) -> Option<&ProfileRef> {
        None
    }
    /// The buckets it writes: its own, and the one failed records go to.
    fn buckets(&self) -> Vec<BucketUse<'_>> {
        Vec::new()
    }
    /// Its settings that may be references, with the keys below its table that hold them.
    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        Vec::new()
    }
    /// Names it creates in the account (checked for clashes with every other).
    fn created_names(&self) -> Vec<CreatedName> {
        Vec::new()
    }
    /// The Glue Data Catalog it registers its output in, if any.
    fn catalog(&self) -> Option<&s3::GlueCatalog> {
        None
    }
    /// Whether an active flow to it must start as a draft and be activated by a second
    /// deploy, once what it writes to exists (see `deploy`).
    fn needs_activation(&self) -> bool {
        false
    }
    /// The Customer Profiles domain it writes to, if any.
    fn domain(&self) -> Option<&DomainRef> {
        None
    }
    /// The connector's API version (`DestinationFlowConfig.ApiVersion`), for the
    /// connectors AppFlow reads one for (custom connectors).
    fn api_version(&self) -> Option<&Text> {
        None
    }
    /// The TOML key it was written with, where several keys (a connector's presets) lower
    /// into one model type; `None`: the registry's key for its type.
    fn preset_key(&self) -> Option<&'static str> {
        None
    }
    /// Whether it can go through `profile`; `None`: when the profile has its TOML key.
    fn accepts_profile(&self, _profile: &Profile) -> Option<bool> {
        None
    }
    /// The connector's own rules; `path` is its table (`flow.<name>.destination.<key>`).
    fn check(&self, checker: &mut Checker<'_>, flow: &AnyFlow, path: &Path);
    /// Its `DestinationConnectorProperties`.
    fn synthesize(&self, synth: &Synth<'_>) -> DestinationConnectorProperties;
    /// The resource that stands for the flow, and the resources it must wait for, for a
    /// destination whose service creates the AppFlow flow itself from a definition; `flow`
    /// is the `AWS::AppFlow::Flow` flowform would write otherwise. `None`: that flow is the
    /// resource.
    fn flow_resource(&self, _synth: &Synth<'_>, _flow: &Flow) -> Option<(ResourceProperties, Vec<String>)> {
        None
    }
    /// Resources it needs beside the flow (`flow_id` is the flow's logical ID).
    fn synthesize_beside(&self, _synth: &mut Synth<'_>, _flow: &AnyFlow, _flow_id: &str) {}
}

/// What every connector profile declares to the shared passes. The settings all profiles
/// share (name, import, key, physical name) are a [`ConnectorProfile`]'s; this is the rest.
pub(crate) trait ProfileConnector {
    /// Whether credentials are set (an owned profile without them is an error).
    fn has_credentials(&self) -> bool;
    /// Whether AppFlow connects to it through AWS PrivateLink when asked
    /// (`ConnectionMode: Private`): only for the applications "integrated with AWS
    /// PrivateLink" (AppFlow user guide, private-flows.html).
    fn supports_private_connection(&self) -> bool {
        false
    }
    /// The PrivateLink service name a private profile connects to, for the connectors
    /// whose schema has one (`PrivateLinkServiceName`): `Some(None)` when it has the
    /// property and it is not set.
    fn private_link_service_name(&self) -> Option<Option<&Text>> {
        None
    }
    /// The ways it authenticates, for the message of a profile without credentials.
    fn credential_ways(&self) -> &'static str {
        "OAuth credentials: `oauth.client-secret`, and `oauth.access-token` where the connector needs one"
    }
    /// Every credential, with the keys below the profile's table that hold it.
    fn credentials(&self) -> Vec<(&'static [&'static str], &Credential)>;
    /// The buckets AppFlow uses through the profile (a warehouse's intermediate bucket),
    /// with their keys below the profile's table: checked, and granted, as an endpoint's.
    fn buckets(&self) -> Vec<BucketUse<'_>> {
        Vec::new()
    }
    /// The bucket and prefix AppFlow stages records in for the profile's warehouse (a
    /// staged destination's intermediate bucket), if it has one.
    fn staging_bucket(&self) -> Option<(&BucketRef, Option<&str>)> {
        None
    }
    /// Secrets AppFlow reads itself by ARN (client credentials, the schema's
    /// `ClientCredentialsArn`), with their keys.
    fn secrets(&self) -> Vec<(&'static [&'static str], &SecretRef)> {
        Vec::new()
    }
    /// Its settings that may be references, with the keys below its table that hold them.
    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        Vec::new()
    }
    /// The TOML key it was written with, where several keys (a connector's presets) lower
    /// into one model type; `None`: the registry's key for its type.
    fn preset_key(&self) -> Option<&'static str> {
        None
    }
    /// The connector the stack registers that it uses (a `[connector.<name>]`), if any.
    fn registered_connector(&self) -> Option<&str> {
        None
    }
    /// Its `ConnectorLabel`, for the connectors that have one (custom connectors).
    fn connector_label(&self, _synth: &Synth<'_>) -> Option<crate::cfn::Expr> {
        None
    }
    /// The connector's own rules; `path` is its table (`profile.<name>.<key>`).
    fn check(&self, checker: &mut Checker<'_>, path: &Path);
    /// Its `ConnectorProfileProperties` and `ConnectorProfileCredentials`; `profile` is the
    /// profile's name in the stack, for the resources it creates beside itself.
    fn synthesize(
        &self,
        synth: &mut Synth<'_>,
        profile: &str,
    ) -> (ConnectorProfileProperties, ConnectorProfileCredentials);
}

/// A connector's TOML table and how it lowers into its model type.
pub(crate) trait Lower: Sized {
    /// The connector, as AppFlow names it.
    const CONNECTOR: ConnectorType;
    /// Sources only: whether its events can trigger a flow.
    const EMITS_EVENTS: bool = false;
    /// The raw TOML table.
    type Toml;
    /// Lowers `raw`, recording spans under `at`; `None` after reporting an error.
    fn lower(lowerer: &mut Lowerer, at: &At, raw: &Self::Toml) -> Option<Self>;
}

/// A destination's TOML table and how it lowers: every [`Lower`] type's, and those of the
/// destinations AppFlow's flow schema has no connector for (a Customer Profiles domain:
/// its flow is an `AWS::CustomerProfiles::Integration`).
pub(crate) trait LowerDestination: Sized {
    /// The connector, as AppFlow's flow schema names it, if it has one.
    const CONNECTOR: Option<ConnectorType>;
    /// The raw TOML table.
    type Toml;
    /// Lowers `raw`, recording spans under `at`; `None` after reporting an error.
    fn lower(lowerer: &mut Lowerer, at: &At, raw: &Self::Toml) -> Option<Self>;
}

impl<T: Lower> LowerDestination for T {
    const CONNECTOR: Option<ConnectorType> = Some(T::CONNECTOR);
    type Toml = T::Toml;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &Self::Toml) -> Option<Self> {
        <T as Lower>::lower(lowerer, at, raw)
    }
}

/// A connector profile's TOML table and how it lowers into its model type.
pub(crate) trait LowerProfile: Sized {
    /// The connector, as AppFlow names it.
    const CONNECTOR: ConnectorType;
    /// The raw TOML table (the shared keys, `import`, `key` and `profile-name`, included).
    type Toml;
    /// Lowers profile `name`'s table `raw` (its span included), recording spans under `at`.
    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<Self::Toml>) -> Option<Self>;
}

/// A preset's TOML table and how it lowers into its connector's model type: a TOML key of
/// its own over another type's model (`source.hubspot` → a custom connector's source).
pub(crate) trait LowerPreset {
    /// The model type it lowers into.
    type Model;
    /// The raw TOML table.
    type Toml;
    /// Lowers `raw`, recording spans under `at`; `None` after reporting an error.
    fn lower(lowerer: &mut Lowerer, at: &At, raw: &Self::Toml) -> Option<Self::Model>;
}

/// A preset's profile table and how it lowers into its connector's profile.
pub(crate) trait LowerProfilePreset {
    /// The model type it lowers into.
    type Model;
    /// The raw TOML table (the shared keys included).
    type Toml;
    /// Lowers profile `name`'s table `raw` (its span included), recording spans under `at`.
    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<Self::Toml>) -> Option<Self::Model>;
}

/// An error only one connector has: its module's own diagnostics.
#[derive(Debug, Clone, PartialEq, thiserror::Error, miette::Diagnostic)]
pub enum ConnectorError {
    /// Salesforce's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Salesforce(#[from] salesforce::SalesforceError),
    /// EventBridge's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    EventBridge(#[from] eventbridge::EventBridgeError),
    /// Zendesk's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Zendesk(#[from] zendesk::ZendeskError),
    /// Slack's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Slack(#[from] slack::SlackError),
    /// Veeva's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Veeva(#[from] veeva::VeevaError),
    /// Pardot's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Pardot(#[from] pardot::PardotError),
    /// Lookout for Metrics'.
    #[error(transparent)]
    #[diagnostic(transparent)]
    LookoutMetrics(#[from] lookoutmetrics::LookoutMetricsError),
    /// Snowflake's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Snowflake(#[from] snowflake::SnowflakeError),
    /// Redshift's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Redshift(#[from] redshift::RedshiftError),
    /// SAP OData's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    SapOData(#[from] sapodata::SapODataError),
    /// Customer Profiles'.
    #[error(transparent)]
    #[diagnostic(transparent)]
    CustomerProfiles(#[from] customerprofiles::CustomerProfilesError),
    /// Custom connectors'.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Custom(#[from] custom::CustomError),
    /// Custom connector registrations'.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Registration(#[from] custom::registration::RegistrationError),
}

impl crate::model::Label for ConnectorError {
    fn label(&self) -> std::borrow::Cow<'static, str> {
        match self {
            ConnectorError::Salesforce(error) => error.label(),
            ConnectorError::EventBridge(error) => error.label(),
            ConnectorError::Zendesk(error) => error.label(),
            ConnectorError::Slack(error) => error.label(),
            ConnectorError::Veeva(error) => error.label(),
            ConnectorError::Pardot(error) => error.label(),
            ConnectorError::LookoutMetrics(error) => error.label(),
            ConnectorError::Snowflake(error) => error.label(),
            ConnectorError::Redshift(error) => error.label(),
            ConnectorError::SapOData(error) => error.label(),
            ConnectorError::CustomerProfiles(error) => error.label(),
            ConnectorError::Custom(error) => error.label(),
            ConnectorError::Registration(error) => error.label(),
        }
    }
}

/// A warning only one connector has.
#[derive(Debug, Clone, PartialEq, thiserror::Error, miette::Diagnostic)]
pub enum ConnectorWarning {
    /// Salesforce's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Salesforce(#[from] salesforce::SalesforceWarning),
    /// Zendesk's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Zendesk(#[from] zendesk::ZendeskWarning),
    /// Marketo's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Marketo(#[from] marketo::MarketoWarning),
    /// Veeva's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Veeva(#[from] veeva::VeevaWarning),
    /// Google Analytics'.
    #[error(transparent)]
    #[diagnostic(transparent)]
    GoogleAnalytics(#[from] googleanalytics::GoogleAnalyticsWarning),
    /// Lookout for Metrics'.
    #[error(transparent)]
    #[diagnostic(transparent)]
    LookoutMetrics(#[from] lookoutmetrics::LookoutMetricsWarning),
    /// Snowflake's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Snowflake(#[from] snowflake::SnowflakeWarning),
    /// Redshift's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Redshift(#[from] redshift::RedshiftWarning),
    /// SAP OData's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    SapOData(#[from] sapodata::SapODataWarning),
    /// ServiceNow's.
    #[error(transparent)]
    #[diagnostic(transparent)]
    ServiceNow(#[from] servicenow::ServiceNowWarning),
    /// Customer Profiles'.
    #[error(transparent)]
    #[diagnostic(transparent)]
    CustomerProfiles(#[from] customerprofiles::CustomerProfilesWarning),
}

impl crate::model::Label for ConnectorWarning {
    fn label(&self) -> std::borrow::Cow<'static, str> {
        match self {
            ConnectorWarning::Salesforce(warning) => warning.label(),
            ConnectorWarning::Zendesk(warning) => warning.label(),
            ConnectorWarning::Marketo(warning) => warning.label(),
            ConnectorWarning::Veeva(warning) => warning.label(),
            ConnectorWarning::GoogleAnalytics(warning) => warning.label(),
            ConnectorWarning::LookoutMetrics(warning) => warning.label(),
            ConnectorWarning::Snowflake(warning) => warning.label(),
            ConnectorWarning::Redshift(warning) => warning.label(),
            ConnectorWarning::SapOData(warning) => warning.label(),
            ConnectorWarning::ServiceNow(warning) => warning.label(),
            ConnectorWarning::CustomerProfiles(warning) => warning.label(),
        }
    }
}

/// Lets a connector report `$error` as a model error (or warning) of its own kind.
macro_rules! connector_diagnostics {
    ($($kind:ident: $error:ty => $wrapper:ident,)*) => {
        $(
            impl From<$error> for crate::model::$kind {
                fn from(error: $error) -> Self {
                    crate::model::$kind::Connector($wrapper::from(error))
                }
            }
        )*
    };
}

connector_diagnostics! {
    ErrorKind: salesforce::SalesforceError => ConnectorError,
    ErrorKind: eventbridge::EventBridgeError => ConnectorError,
    ErrorKind: zendesk::ZendeskError => ConnectorError,
    ErrorKind: slack::SlackError => ConnectorError,
    ErrorKind: veeva::VeevaError => ConnectorError,
    ErrorKind: pardot::PardotError => ConnectorError,
    ErrorKind: lookoutmetrics::LookoutMetricsError => ConnectorError,
    ErrorKind: snowflake::SnowflakeError => ConnectorError,
    ErrorKind: redshift::RedshiftError => ConnectorError,
    ErrorKind: sapodata::SapODataError => ConnectorError,
    ErrorKind: customerprofiles::CustomerProfilesError => ConnectorError,
    ErrorKind: custom::CustomError => ConnectorError,
    ErrorKind: custom::registration::RegistrationError => ConnectorError,
    WarningKind: salesforce::SalesforceWarning => ConnectorWarning,
    WarningKind: zendesk::ZendeskWarning => ConnectorWarning,
    WarningKind: marketo::MarketoWarning => ConnectorWarning,
    WarningKind: veeva::VeevaWarning => ConnectorWarning,
    WarningKind: googleanalytics::GoogleAnalyticsWarning => ConnectorWarning,
    WarningKind: lookoutmetrics::LookoutMetricsWarning => ConnectorWarning,
    WarningKind: snowflake::SnowflakeWarning => ConnectorWarning,
    WarningKind: redshift::RedshiftWarning => ConnectorWarning,
    WarningKind: sapodata::SapODataWarning => ConnectorWarning,
    WarningKind: servicenow::ServiceNowWarning => ConnectorWarning,
    WarningKind: customerprofiles::CustomerProfilesWarning => ConnectorWarning,
}

/// Builds, from one list per role, the model enums ([`Source`], [`Destination`],
/// [`Profile`]), the TOML choice tables (`source.<key>`, ...), and their dispatch. Each
/// entry is `<field> = "<TOML key>" => <variant>(<model type>)`; the model type implements the role's
/// trait and [`Lower`]/[`LowerProfile`], and its doc comment becomes the TOML key's
/// description in the JSON Schema.
macro_rules! registry {
    (
        sources { $( $(#[$s_doc:meta])* $s_key:ident = $s_name:literal => $s_variant:ident($s_type:ty), )* }
        source_presets { $( $(#[$sp_doc:meta])* $sp_key:ident = $sp_name:literal => $sp_variant:ident via $sp_type:ty, )* }
        destinations { $( $(#[$d_doc:meta])* $d_key:ident = $d_name:literal => $d_variant:ident($d_type:ty), )* }
        destination_presets { $( $(#[$dp_doc:meta])* $dp_key:ident = $dp_name:literal => $dp_variant:ident via $dp_type:ty, )* }
        profiles { $( $(#[$p_doc:meta])* $p_key:ident = $p_name:literal => $p_variant:ident($p_type:ty), )* }
        profile_presets { $( $(#[$pp_doc:meta])* $pp_key:ident = $pp_name:literal => $pp_variant:ident via $pp_type:ty, )* }
    ) => {
        /// Where a flow reads from: one connector's source.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Source {
            $( $(#[$s_doc])* $s_variant($s_type), )*
        }

        $(
            impl From<$s_type> for Source {
                fn from(source: $s_type) -> Self {
                    Source::$s_variant(source)
                }
            }
        )*

        impl Source {
            /// The source connectors whose events can trigger a flow.
            pub fn event_connectors() -> Vec<ConnectorType> {
                let mut found = Vec::new();
                $(
                    if <$s_type as Lower>::EMITS_EVENTS {
                        found.push(<$s_type as Lower>::CONNECTOR);
                    }
                )*
                found
            }

            /// Whether its events can trigger a flow.
            pub fn emits_events(&self) -> bool {
                match self {
                    $( Source::$s_variant(_) => <$s_type as Lower>::EMITS_EVENTS, )*
                }
            }

            /// The connector's side of the source.
            pub(crate) fn endpoint(&self) -> &dyn SourceConnector {
                match self {
                    $( Source::$s_variant(source) => source, )*
                }
            }

            /// The connector, as AppFlow names it.
            pub fn connector(&self) -> ConnectorType {
                match self {
                    $( Source::$s_variant(_) => <$s_type as Lower>::CONNECTOR, )*
                }
            }

            /// The connector as its page in the AppFlow user guide names it, for messages
            /// (`Trend Micro`; the schema's spelling, `Trendmicro`, when it sets no rules).
            pub fn name(&self) -> &'static str {
                match self.endpoint().rules().name {
                    "" => self.connector().as_str(),
                    name => name,
                }
            }

            /// The connector profile it goes through, if its connector has one.
            pub fn profile(&self) -> Option<&ProfileRef> {
                self.endpoint().profile()
            }

            /// The buckets it uses.
            pub fn buckets(&self) -> Vec<&BucketRef> {
                self.endpoint().buckets().into_iter().map(|used| used.bucket).collect()
            }

            /// Its key in the TOML (`source.<key>`), which paths go through.
            pub fn key(&self) -> &'static str {
                if let Some(key) = self.endpoint().preset_key() {
                    return key;
                }
                match self {
                    $( Source::$s_variant(_) => $s_name, )*
                }
            }
        }

        /// Where a flow writes to: one connector's destination.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Destination {
            $( $(#[$d_doc])* $d_variant($d_type), )*
        }

        $(
            impl From<$d_type> for Destination {
                fn from(destination: $d_type) -> Self {
                    Destination::$d_variant(destination)
                }
            }
        )*

        impl Destination {
            /// The connector's side of the destination.
            pub(crate) fn endpoint(&self) -> &dyn DestinationConnector {
                match self {
                    $( Destination::$d_variant(destination) => destination, )*
                }
            }

            /// The connector, as AppFlow's flow schema names it: `None` for a destination
            /// whose flow is not an `AWS::AppFlow::Flow` (a Customer Profiles domain).
            pub fn connector(&self) -> Option<ConnectorType> {
                match self {
                    $( Destination::$d_variant(_) => <$d_type as LowerDestination>::CONNECTOR, )*
                }
            }

            /// The connector profile it goes through, if its connector has one.
            pub fn profile(&self) -> Option<&ProfileRef> {
                self.endpoint().profile()
            }

            /// The buckets it uses.
            pub fn buckets(&self) -> Vec<&BucketRef> {
                self.endpoint().buckets().into_iter().map(|used| used.bucket).collect()
            }

            /// Its key in the TOML (`destination.<key>`), which paths go through.
            pub fn key(&self) -> &'static str {
                if let Some(key) = self.endpoint().preset_key() {
                    return key;
                }
                match self {
                    $( Destination::$d_variant(_) => $d_name, )*
                }
            }
        }

        /// A connector profile: one connector's.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Profile {
            $( $(#[$p_doc])* $p_variant($p_type), )*
        }

        $(
            impl From<$p_type> for Profile {
                fn from(profile: $p_type) -> Self {
                    Profile::$p_variant(profile)
                }
            }
        )*

        impl Profile {
            /// The connector, as AppFlow names it.
            pub fn connector(&self) -> ConnectorType {
                match self {
                    $( Profile::$p_variant(_) => <$p_type as LowerProfile>::CONNECTOR, )*
                }
            }

            /// The connector's side of the profile.
            pub(crate) fn connector_side(&self) -> &dyn ProfileConnector {
                match self {
                    $( Profile::$p_variant(profile) => &profile.settings, )*
                }
            }

            /// The settings every profile shares.
            pub fn base(&self) -> &common::ProfileBase {
                match self {
                    $( Profile::$p_variant(profile) => &profile.base, )*
                }
            }

            /// Its key in the TOML (`[profile.<name>.<key>]`), which paths go through.
            pub fn key(&self) -> &'static str {
                if let Some(key) = self.connector_side().preset_key() {
                    return key;
                }
                match self {
                    $( Profile::$p_variant(_) => $p_name, )*
                }
            }
        }

        // Each connector's table is boxed, here and in `TomlDestination` and `TomlProfile`
        // (not in doc comments: they are the JSON Schema's descriptions). Inline, the
        // struct held every connector's raw table at once (5.7 KB for sources, 19 KB for
        // profiles, growing with each connector), and moving a flow's raw form was a fifth
        // of lowering's instructions.
        /// Where a flow reads from: exactly one connector.
        #[derive(Debug, serde::Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        #[cfg_attr(feature = "schema", schemars(extend("minProperties" = 1, "maxProperties" = 1)))]
        pub struct TomlSource {
            $( $(#[$s_doc])* #[serde(rename = $s_name)] pub(crate) $s_key: Option<Box<Sp<<$s_type as Lower>::Toml>>>, )*
            $( $(#[$sp_doc])* #[serde(rename = $sp_name)] pub(crate) $sp_key: Option<Box<Sp<<$sp_type as LowerPreset>::Toml>>>, )*
        }

        impl TomlSource {
            /// Which connectors the table names, by TOML key.
            pub(crate) fn chosen(&self) -> Vec<(&'static str, bool)> {
                vec![ $( ($s_name, self.$s_key.is_some()), )* $( ($sp_name, self.$sp_key.is_some()), )* ]
            }

            /// Lowers the one connector named (the caller checked there is one).
            pub(crate) fn lower(&self, lowerer: &mut Lowerer, at: &At) -> Option<Source> {
                $(
                    if let Some(raw) = &self.$s_key {
                        let at = at.key($s_name);
                        lowerer.record(&at, raw.span());
                        return <$s_type as Lower>::lower(lowerer, &at, raw.get()).map(Source::$s_variant);
                    }
                )*
                $(
                    if let Some(raw) = &self.$sp_key {
                        let at = at.key($sp_name);
                        lowerer.record(&at, raw.span());
                        return <$sp_type as LowerPreset>::lower(lowerer, &at, raw.get()).map(Source::$sp_variant);
                    }
                )*
                None
            }
        }

        /// Where a flow writes to: exactly one connector.
        #[derive(Debug, serde::Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        #[cfg_attr(feature = "schema", schemars(extend("minProperties" = 1, "maxProperties" = 1)))]
        pub struct TomlDestination {
            $( $(#[$d_doc])* #[serde(rename = $d_name)] pub(crate) $d_key: Option<Box<Sp<<$d_type as LowerDestination>::Toml>>>, )*
            $( $(#[$dp_doc])* #[serde(rename = $dp_name)] pub(crate) $dp_key: Option<Box<Sp<<$dp_type as LowerPreset>::Toml>>>, )*
        }

        impl TomlDestination {
            /// Which connectors the table names, by TOML key.
            pub(crate) fn chosen(&self) -> Vec<(&'static str, bool)> {
                vec![ $( ($d_name, self.$d_key.is_some()), )* $( ($dp_name, self.$dp_key.is_some()), )* ]
            }

            /// Lowers the one connector named (the caller checked there is one).
            pub(crate) fn lower(&self, lowerer: &mut Lowerer, at: &At) -> Option<Destination> {
                $(
                    if let Some(raw) = &self.$d_key {
                        let at = at.key($d_name);
                        lowerer.record(&at, raw.span());
                        return <$d_type as LowerDestination>::lower(lowerer, &at, raw.get()).map(Destination::$d_variant);
                    }
                )*
                $(
                    if let Some(raw) = &self.$dp_key {
                        let at = at.key($dp_name);
                        lowerer.record(&at, raw.span());
                        return <$dp_type as LowerPreset>::lower(lowerer, &at, raw.get()).map(Destination::$dp_variant);
                    }
                )*
                None
            }
        }

        /// `[profile.<name>.<connector>]`: a connector profile.
        #[derive(Debug, serde::Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        #[cfg_attr(feature = "schema", schemars(extend("minProperties" = 1, "maxProperties" = 1)))]
        pub struct TomlProfile {
            $( $(#[$p_doc])* #[serde(rename = $p_name)] pub(crate) $p_key: Option<Box<Sp<<$p_type as LowerProfile>::Toml>>>, )*
            $( $(#[$pp_doc])* #[serde(rename = $pp_name)] pub(crate) $pp_key: Option<Box<Sp<<$pp_type as LowerProfilePreset>::Toml>>>, )*
        }

        impl TomlProfile {
            /// The TOML keys of every profile connector, for messages.
            pub(crate) const KEYS: &'static [&'static str] = &[ $( $p_name, )* $( $pp_name, )* ];

            /// Which connectors the table names, by TOML key.
            pub(crate) fn chosen(&self) -> Vec<(&'static str, bool)> {
                vec![ $( ($p_name, self.$p_key.is_some()), )* $( ($pp_name, self.$pp_key.is_some()), )* ]
            }

            /// Lowers the one connector named (the caller checked there is one).
            pub(crate) fn lower(&self, lowerer: &mut Lowerer, name: &str, at: &At) -> Option<Profile> {
                $(
                    if let Some(raw) = &self.$p_key {
                        let at = at.key($p_name);
                        lowerer.record(&at, raw.span());
                        return <$p_type as LowerProfile>::lower(lowerer, name, &at, raw).map(Profile::$p_variant);
                    }
                )*
                $(
                    if let Some(raw) = &self.$pp_key {
                        let at = at.key($pp_name);
                        lowerer.record(&at, raw.span());
                        return <$pp_type as LowerProfilePreset>::lower(lowerer, name, &at, raw).map(Profile::$pp_variant);
                    }
                )*
                None
            }
        }
    };
}

registry! {
    sources {
        /// A Salesforce object.
        salesforce = "salesforce" => Salesforce(salesforce::SalesforceSource),
        /// Files under an S3 prefix.
        s3 = "s3" => S3(s3::S3Source),
        /// A Zendesk object, e.g. `tickets`.
        zendesk = "zendesk" => Zendesk(zendesk::ZendeskSource),
        /// A Marketo object, e.g. `leads`.
        marketo = "marketo" => Marketo(marketo::MarketoSource),
        /// A Slack object of the workspace.
        slack = "slack" => Slack(slack::SlackSource),
        /// An Amplitude object, e.g. `events`.
        amplitude = "amplitude" => Amplitude(amplitude::AmplitudeSource),
        /// A Datadog object, e.g. `logs`.
        datadog = "datadog" => Datadog(datadog::DatadogSource),
        /// A Dynatrace object, e.g. `problems`.
        dynatrace = "dynatrace" => Dynatrace(dynatrace::DynatraceSource),
        /// A Singular object, e.g. `reports`.
        singular = "singular" => Singular(singular::SingularSource),
        /// A Trend Micro object.
        trendmicro = "trendmicro" => TrendMicro(trendmicro::TrendMicroSource),
        /// An Infor Nexus object.
        infornexus = "infornexus" => InforNexus(infornexus::InforNexusSource),
        /// A Veeva Vault object, or `documents/types/<type>` to extract documents.
        veeva = "veeva" => Veeva(veeva::VeevaSource),
        /// A ServiceNow table, e.g. `incident`.
        servicenow = "servicenow" => ServiceNow(servicenow::ServiceNowSource),
        /// A Google Analytics (Universal Analytics) report.
        googleanalytics = "googleanalytics" => GoogleAnalytics(googleanalytics::GoogleAnalyticsSource),
        /// A Pardot object, e.g. `prospect`.
        pardot = "pardot" => Pardot(pardot::PardotSource),
        /// An SAP OData entity set, paged and in parallel.
        sapodata = "sapodata" => SapOData(sapodata::SapODataSource),
        /// An entity of any custom connector: AppFlow's managed ones by label, or one the stack registers.
        custom = "custom" => Custom(custom::CustomSource),
    }
    source_presets {
        /// An Asana object (a custom connector).
        asana = "asana" => Custom via custom::presets::TomlAsanaSource,
        /// A GitHub object (a custom connector).
        github = "github" => Custom via custom::presets::TomlGitHubSource,
        /// A Google Ads report object (a custom connector).
        googleads = "googleads" => Custom via custom::presets::TomlGoogleAdsSource,
        /// A Google Analytics 4 object (a custom connector).
        googleanalytics4 = "googleanalytics4" => Custom via custom::presets::TomlGoogleAnalytics4Source,
        /// A Google BigQuery table (a custom connector).
        bigquery = "bigquery" => Custom via custom::presets::TomlGoogleBigQuerySource,
        /// A HubSpot entity path, e.g. `["company"]` (a custom connector).
        hubspot = "hubspot" => Custom via custom::presets::TomlHubSpotSource,
        /// A Mailchimp object (a custom connector).
        mailchimp = "mailchimp" => Custom via custom::presets::TomlMailchimpSource,
        /// A Microsoft Dynamics 365 entity (a custom connector).
        dynamics365 = "dynamics365" => Custom via custom::presets::TomlMicrosoftDynamics365Source,
        /// A Microsoft SharePoint Online site's entities or drives (a custom connector).
        sharepoint = "sharepoint" => Custom via custom::presets::TomlMicrosoftSharePointOnlineSource,
        /// A Salesforce Marketing Cloud object (a custom connector).
        marketingcloud = "marketingcloud" => Custom via custom::presets::TomlSalesforceMarketingCloudSource,
        /// A table of a database through JDBC (a custom connector, small data scale).
        jdbc = "jdbc" => Custom via custom::presets::TomlJdbcSource,
    }
    destinations {
        /// An S3 prefix.
        s3 = "s3" => S3(s3::S3Destination),
        /// A Salesforce object.
        salesforce = "salesforce" => Salesforce(salesforce::SalesforceDestination),
        /// An EventBridge partner event bus (event-triggered flows only).
        eventbridge = "eventbridge" => EventBridge(eventbridge::EventBridgeDestination),
        /// A Zendesk object: insert, update or upsert.
        zendesk = "zendesk" => Zendesk(zendesk::ZendeskDestination),
        /// A Marketo object.
        marketo = "marketo" => Marketo(marketo::MarketoDestination),
        /// Files in the bucket Upsolver reads (`upsolver-appflow-...`).
        upsolver = "upsolver" => Upsolver(upsolver::UpsolverDestination),
        /// The flow a Lookout for Metrics detector reads (a retired service).
        lookoutmetrics = "lookoutmetrics" => LookoutMetrics(lookoutmetrics::LookoutMetricsDestination),
        /// A Snowflake table, loaded from the profile's bucket.
        snowflake = "snowflake" => Snowflake(snowflake::SnowflakeDestination),
        /// A Redshift table (insert only), loaded from the profile's bucket.
        redshift = "redshift" => Redshift(redshift::RedshiftDestination),
        /// An SAP OData entity set: insert or update, with success responses and error handling.
        sapodata = "sapodata" => SapOData(sapodata::SapODataDestination),
        /// An object type of a Customer Profiles domain (the flow becomes the domain's integration).
        customerprofiles = "customerprofiles" => CustomerProfiles(customerprofiles::CustomerProfilesDestination),
        /// An entity of any custom connector: AppFlow's managed ones by label, or one the stack registers.
        custom = "custom" => Custom(custom::CustomDestination),
    }
    destination_presets {
        /// A HubSpot entity path: insert, upsert, update or delete (a custom connector).
        hubspot = "hubspot" => Custom via custom::presets::TomlHubSpotDestination,
        /// A table of a database through JDBC: insert (a custom connector, small data scale).
        jdbc = "jdbc" => Custom via custom::presets::TomlJdbcDestination,
        /// A table of an Amazon RDS for PostgreSQL database: insert (a custom connector).
        rdspostgresql = "rdspostgresql" => Custom via custom::presets::TomlRdsPostgreSqlDestination,
    }
    profiles {
        /// A Salesforce profile.
        salesforce = "salesforce" => Salesforce(salesforce::SalesforceConnectorProfile),
        /// A Zendesk profile: the account's URL and an OAuth client with its access token.
        zendesk = "zendesk" => Zendesk(zendesk::ZendeskConnectorProfile),
        /// A Marketo profile: the instance's REST endpoint and an OAuth client.
        marketo = "marketo" => Marketo(marketo::MarketoConnectorProfile),
        /// A Slack profile: the workspace's URL and an OAuth client with its access token.
        slack = "slack" => Slack(slack::SlackConnectorProfile),
        /// An Amplitude profile: the project's API key and secret key.
        amplitude = "amplitude" => Amplitude(amplitude::AmplitudeConnectorProfile),
        /// A Datadog profile: the site's API URL, an API key and an application key.
        datadog = "datadog" => Datadog(datadog::DatadogConnectorProfile),
        /// A Dynatrace profile: the environment's URL and an API token.
        dynatrace = "dynatrace" => Dynatrace(dynatrace::DynatraceConnectorProfile),
        /// A Singular profile: the account's API key.
        singular = "singular" => Singular(singular::SingularConnectorProfile),
        /// A Trend Micro profile: an API secret key.
        trendmicro = "trendmicro" => TrendMicro(trendmicro::TrendMicroConnectorProfile),
        /// An Infor Nexus profile: the instance URL and its HMAC keys.
        infornexus = "infornexus" => InforNexus(infornexus::InforNexusConnectorProfile),
        /// A Veeva profile: the Vault's URL, a user name and a password.
        veeva = "veeva" => Veeva(veeva::VeevaConnectorProfile),
        /// A ServiceNow profile: the instance URL, and basic authentication or an OAuth client.
        servicenow = "servicenow" => ServiceNow(servicenow::ServiceNowConnectorProfile),
        /// A Google Analytics (Universal Analytics) profile: an OAuth client with its tokens.
        googleanalytics = "googleanalytics" => GoogleAnalytics(googleanalytics::GoogleAnalyticsConnectorProfile),
        /// A Pardot profile: the business unit and the OAuth tokens.
        pardot = "pardot" => Pardot(pardot::PardotConnectorProfile),
        /// A Snowflake profile: the warehouse, its stage and bucket, and a user.
        snowflake = "snowflake" => Snowflake(snowflake::SnowflakeConnectorProfile),
        /// A Redshift profile: a cluster, a Serverless workgroup or a JDBC URL, and the roles.
        redshift = "redshift" => Redshift(redshift::RedshiftConnectorProfile),
        /// A SAP OData profile: the application, its catalog service and client, basic or OAuth.
        sapodata = "sapodata" => SapOData(sapodata::SapODataConnectorProfile),
        /// A profile of any custom connector: its label (or registered connector), authentication and properties.
        custom = "custom" => Custom(custom::CustomConnectorProfile),
    }
    profile_presets {
        /// An Asana profile: a personal access token.
        asana = "asana" => Custom via custom::presets::TomlAsanaProfile,
        /// A GitHub profile: a user name and personal access token, or an OAuth access token.
        github = "github" => Custom via custom::presets::TomlGitHubProfile,
        /// A Google Ads profile: OAuth tokens, the developer token and API version.
        googleads = "googleads" => Custom via custom::presets::TomlGoogleAdsProfile,
        /// A Google Analytics 4 profile: OAuth tokens.
        googleanalytics4 = "googleanalytics4" => Custom via custom::presets::TomlGoogleAnalytics4Profile,
        /// A Google BigQuery profile: OAuth tokens.
        bigquery = "bigquery" => Custom via custom::presets::TomlGoogleBigQueryProfile,
        /// A HubSpot profile: OAuth tokens.
        hubspot = "hubspot" => Custom via custom::presets::TomlHubSpotProfile,
        /// A Mailchimp profile: the API key and instance URL.
        mailchimp = "mailchimp" => Custom via custom::presets::TomlMailchimpProfile,
        /// A Microsoft Dynamics 365 profile: the instance URL and OAuth tokens.
        dynamics365 = "dynamics365" => Custom via custom::presets::TomlMicrosoftDynamics365Profile,
        /// A Microsoft SharePoint Online profile: OAuth tokens.
        sharepoint = "sharepoint" => Custom via custom::presets::TomlMicrosoftSharePointOnlineProfile,
        /// A Salesforce Marketing Cloud profile: the instance URL and an OAuth client (client credentials).
        marketingcloud = "marketingcloud" => Custom via custom::presets::TomlSalesforceMarketingCloudProfile,
        /// A JDBC profile (small data scale): the driver, host, port, database and a user.
        jdbc = "jdbc" => Custom via custom::presets::TomlJdbcProfile,
        /// An Amazon RDS for PostgreSQL profile: the host, port, database and a user.
        rdspostgresql = "rdspostgresql" => Custom via custom::presets::TomlRdsPostgreSqlProfile,
    }
}

#[cfg(feature = "deploy")]
/// `flowform import`: the table (`<key> = { ... }`) of the `side` of connector
/// `connector_type` with these `sourceConnectorProperties` or
/// `destinationConnectorProperties`, written by the connector's module; `None` for a
/// connector whose import is not written.
pub(crate) fn import_endpoint(
    side: import::Side,
    connector_type: &str,
    properties: &serde_json::Value,
    profile: Option<&str>,
    context: &mut dyn import::ImportContext,
) -> Option<String> {
    let own = &properties[connector_type];
    match (side, connector_type) {
        (import::Side::Source, "S3") => s3::import_source(own, context),
        (import::Side::Destination, "S3") => s3::import_destination(own, context),
        (import::Side::Source, "Salesforce") => salesforce::import_source(own, profile?, context),
        (import::Side::Destination, "Salesforce") => salesforce::import_destination(own, profile?, context),
        (import::Side::Source, "CustomConnector") => {
            custom::import_source(own, import::api_version(properties), profile?, context)
        }
        (import::Side::Destination, "CustomConnector") => custom::import_destination(own, profile?, context),
        (import::Side::Destination, "EventBridge") => eventbridge::import_destination(own, context),
        (import::Side::Destination, "Upsolver") => upsolver::import_destination(own, context),
        (import::Side::Destination, "LookoutMetrics") => Some("lookoutmetrics = {}".to_owned()),
        (import::Side::Destination, "Redshift") => staged::import_destination("redshift", own, profile?, context),
        (import::Side::Destination, "Snowflake") => staged::import_destination("snowflake", own, profile?, context),
        (import::Side::Source, "Veeva") => veeva::import_source(own, profile?, context),
        (import::Side::Source, "SAPOData") => sapodata::import_source(own, profile?, context),
        (import::Side::Destination, "SAPOData") => sapodata::import_destination(own, profile?, context),
        (import::Side::Destination, "Zendesk") => import::object_destination("zendesk", own, profile?, true, context),
        (import::Side::Destination, "Marketo") => import::object_destination("marketo", own, profile?, false, context),
        (import::Side::Source, _) => {
            let (_, key) = IMPORTED_OBJECT_SOURCES
                .iter()
                .find(|(kind, _)| *kind == connector_type)?;
            import::object_source(key, properties, profile?, context)
        }
        (import::Side::Destination, _) => None,
    }
}

#[cfg(feature = "deploy")]
/// The connectors whose source is `{ profile, object }` (`common::object_source!`), by
/// `connectorType`, with their key in the file. Amplitude and Google Analytics are not
/// among them: flowform writes no flow of theirs (the README says why).
const IMPORTED_OBJECT_SOURCES: &[(&str, &str)] = &[
    ("Zendesk", "zendesk"),
    ("Marketo", "marketo"),
    ("Slack", "slack"),
    ("Datadog", "datadog"),
    ("Dynatrace", "dynatrace"),
    ("Singular", "singular"),
    ("Trendmicro", "trendmicro"),
    ("Infornexus", "infornexus"),
    ("Servicenow", "servicenow"),
    ("Pardot", "pardot"),
];
