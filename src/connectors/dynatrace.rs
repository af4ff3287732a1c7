//! Dynatrace: a source (an object of the account) and a profile of its instance URL and its API credentials.
//! AppFlow user guide, "Dynatrace" (<https://docs.aws.amazon.com/appflow/latest/userguide/dynatrace.html>).
//!
//! What AWS documents, and what flowform enforces:
//! - source only: "You can use Dynatrace as a source only" (the flow schema has no
//!   Dynatrace destination); the page names no change events, so no event-triggered
//!   flows (flow-triggers.html: event flows are "available only for SaaS applications that
//!   provide change events");
//! - a flow needs "a date filter with a date range that does not exceed 30 days": a `between` range of datetimes longer than 30 days is an error, a flow without one a warning (the shared `SourceRules` check);
//! - profile: "an API token" (`ApiToken`, required by the schema) and `InstanceUrl`
//!   (required). The console asks for the environment's subdomain, and AWS does not document
//!   the URL's form: flowform checks only that it is an `https://` URL, and its examples use
//!   Dynatrace's SaaS form `https://<environment-id>.live.dynatrace.com` (Dynatrace's own
//!   documentation; thin evidence for AppFlow, said so in the README);
//! - filters: the schema's operator set (`DynatraceConnectorOperator`), applied by the shared operator check from
//!   the generated facts;
//! - object names: AWS documents none (AppFlow lists them for the account), so any name
//!   without spaces is accepted.

use crate::model::{ProfileRef, Text};

use super::SourceRules;
use super::common::{ConnectorProfile, ObjectSource, ObjectWords, object_source};
use super::keyed::keyed_profile;

/// How messages name Dynatrace objects.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Dynatrace object",
    help: "name the object as AppFlow lists it for the account",
    what: "Dynatrace object",
    allowed: "object names have no spaces",
};

/// What the guide allows a flow from Dynatrace.
const RULES: SourceRules = SourceRules::named("Dynatrace")
    .needs_date_range()
    .date_range_at_most_days(30);

/// A Dynatrace connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type DynatraceConnectorProfile = ConnectorProfile<DynatraceSettings>;

keyed_profile! {
    /// The Dynatrace settings of a connector profile the stack creates.
    DynatraceSettings, TomlDynatraceProfile: Dynatrace as "Dynatrace", dynatrace,
    url DynatraceConnectorProfileProperties = "https://abc12345.live.dynatrace.com",
    credentials DynatraceConnectorProfileCredentials {
        api_token = "api-token": "an API token of the environment",
    },
    check |_, _, _| {}
}

impl ConnectorProfile<DynatraceSettings> {
    /// A profile the stack creates; give it its credentials with [`api_token`](ConnectorProfile::api_token).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let keys = SecretRef::named("dynatrace");
    /// let profile = DynatraceConnectorProfile::new("observability", "https://abc12345.live.dynatrace.com")
    ///     .api_token(Credential::secret(&keys, "apiToken"));
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(name: impl Into<String>, instance_url: impl Into<Text>) -> Self {
        ConnectorProfile::owned(
            name,
            DynatraceSettings {
                instance_url: instance_url.into(),
                ..DynatraceSettings::default()
            },
        )
    }
}

/// Reads a Dynatrace object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DynatraceSource(pub(crate) ObjectSource);

impl DynatraceSource {
    /// Reads `object` through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = DynatraceSource::new(ProfileRef::named("observability"), "problems");
    /// # let _ = source;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        DynatraceSource(ObjectSource::new(profile, object))
    }
}

object_source! { DynatraceSource: Dynatrace, dynatrace = DynatraceSourceProperties, OBJECT, |_, _, _, _| {}, RULES }
