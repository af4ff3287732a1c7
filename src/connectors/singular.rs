//! Singular: a source (an object of the account) and a profile of its API credentials.
//! AppFlow user guide, "Singular" (<https://docs.aws.amazon.com/appflow/latest/userguide/singular.html>).
//!
//! What AWS documents, and what flowform enforces:
//! - source only: "You can use Singular as a source only" (the flow schema has no
//!   Singular destination); the page names no change events, so no event-triggered
//!   flows (flow-triggers.html: event flows are "available only for SaaS applications that
//!   provide change events");
//! - schedules: "a maximum frequency of one flow run per hour", so a faster schedule is an
//!   error (the shared `SourceRules` check);
//! - not checked: "The date range for the flow cannot exceed 30 days" (the schema's
//!   `SingularConnectorOperator` has no `BETWEEN`, so a flow cannot state a range) and "The
//!   flow cannot return more than 100,000 records"; the README repeats both;
//! - profile: "an API key" (`ApiKey`, required by the schema); the schema has no Singular
//!   profile properties, so the profile writes `ConnectorProfileProperties: {}`;
//! - filters: the schema's operator set (`SingularConnectorOperator`), applied by the shared operator check from
//!   the generated facts;
//! - object names: AWS documents none (AppFlow lists them for the account), so any name
//!   without spaces is accepted.

use crate::model::{ProfileRef, Text};

use super::SourceRules;
use super::common::{ConnectorProfile, ObjectSource, ObjectWords, object_source};
use super::keyed::keyed_profile;

/// How messages name Singular objects.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Singular object",
    help: "name the object as AppFlow lists it for the account",
    what: "Singular object",
    allowed: "object names have no spaces",
};

/// What the guide allows a flow from Singular.
const RULES: SourceRules = SourceRules::named("Singular").at_most_every(3_600);

/// A Singular connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type SingularConnectorProfile = ConnectorProfile<SingularSettings>;

keyed_profile! {
    /// The Singular settings of a connector profile the stack creates.
    SingularSettings, TomlSingularProfile: Singular as "Singular", singular,
    private_link true,
    credentials SingularConnectorProfileCredentials {
        api_key = "api-key": "the account's Singular API key",
    },
    check |_, _, _| {}
}

impl ConnectorProfile<SingularSettings> {
    /// A profile the stack creates; give it its credentials with [`api_key`](ConnectorProfile::api_key).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let keys = SecretRef::named("singular");
    /// let profile = SingularConnectorProfile::new("attribution")
    ///     .api_key(Credential::secret(&keys, "apiKey"));
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        ConnectorProfile::owned(name, SingularSettings::default())
    }
}

/// Reads a Singular object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SingularSource(pub(crate) ObjectSource);

impl SingularSource {
    /// Reads `object` through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = SingularSource::new(ProfileRef::named("attribution"), "reports");
    /// # let _ = source;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        SingularSource(ObjectSource::new(profile, object))
    }
}

object_source! { SingularSource: Singular, singular = SingularSourceProperties, OBJECT, |_, _, _, _| {}, RULES }
