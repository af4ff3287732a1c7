//! Datadog: a source (an object of the account) and a profile of its instance URL and its API credentials.
//! AppFlow user guide, "Datadog" (<https://docs.aws.amazon.com/appflow/latest/userguide/datadog.html>).
//!
//! What AWS documents, and what flowform enforces:
//! - source only: "You can use Datadog as a source only" (the flow schema has no
//!   Datadog destination); the page names no change events, so no event-triggered
//!   flows (flow-triggers.html: event flows are "available only for SaaS applications that
//!   provide change events");
//! - a flow needs a date range ("You must configure your flow with a date range and query filter"): one without a `between` filter gets a warning (the shared `SourceRules` check; AppFlow's own schedule floor, a minute, is its page's maximum frequency);
//! - profile: "an API key and an application key" (`ApiKey`, `ApplicationKey`, both required
//!   by the schema) and `InstanceUrl` (required). The console asks for a Datadog region, not
//!   a URL, and AWS does not document the URL's form: flowform checks only that it is an
//!   `https://` URL, and its examples use the US1 API host, `https://api.datadoghq.com`
//!   (thin evidence, said so in the README);
//! - filters: the schema's operator set (`DatadogConnectorOperator`), applied by the shared operator check from
//!   the generated facts;
//! - object names: AWS documents none (AppFlow lists them for the account), so any name
//!   without spaces is accepted.

use crate::model::{ProfileRef, Text};

use super::SourceRules;
use super::common::{ConnectorProfile, ObjectSource, ObjectWords, object_source};
use super::keyed::keyed_profile;

/// How messages name Datadog objects.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Datadog object",
    help: "name the object as AppFlow lists it for the account",
    what: "Datadog object",
    allowed: "object names have no spaces",
};

/// What the guide allows a flow from Datadog.
const RULES: SourceRules = SourceRules::named("Datadog").needs_date_range();

/// A Datadog connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type DatadogConnectorProfile = ConnectorProfile<DatadogSettings>;

keyed_profile! {
    /// The Datadog settings of a connector profile the stack creates.
    DatadogSettings, TomlDatadogProfile: Datadog as "Datadog", datadog,
    url DatadogConnectorProfileProperties = "https://api.datadoghq.com",
    credentials DatadogConnectorProfileCredentials {
        api_key = "api-key": "the organization's API key",
        application_key = "application-key": "an application key of the organization",
    },
    check |_, _, _| {}
}

impl ConnectorProfile<DatadogSettings> {
    /// A profile the stack creates; give it its credentials with [`api_key`](ConnectorProfile::api_key), [`application_key`](ConnectorProfile::application_key).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let keys = SecretRef::named("datadog");
    /// let profile = DatadogConnectorProfile::new("monitoring", "https://api.datadoghq.com")
    ///     .api_key(Credential::secret(&keys, "apiKey"))
    ///     .application_key(Credential::secret(&keys, "applicationKey"));
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(name: impl Into<String>, instance_url: impl Into<Text>) -> Self {
        ConnectorProfile::owned(
            name,
            DatadogSettings {
                instance_url: instance_url.into(),
                ..DatadogSettings::default()
            },
        )
    }
}

/// Reads a Datadog object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatadogSource(pub(crate) ObjectSource);

impl DatadogSource {
    /// Reads `object` through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = DatadogSource::new(ProfileRef::named("monitoring"), "logs");
    /// # let _ = source;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        DatadogSource(ObjectSource::new(profile, object))
    }
}

object_source! { DatadogSource: Datadog, datadog = DatadogSourceProperties, OBJECT, |_, _, _, _| {}, RULES }
