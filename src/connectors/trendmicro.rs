//! Trend Micro: a source (an object of the account) and a profile of its API credentials.
//! AppFlow user guide, "Trend Micro" (<https://docs.aws.amazon.com/appflow/latest/userguide/trend-micro.html>).
//!
//! What AWS documents, and what flowform enforces:
//! - source only: "You can use Trend Micro as a source only" (the flow schema has no
//!   Trend Micro destination); the page names no change events, so no event-triggered
//!   flows (flow-triggers.html: event flows are "available only for SaaS applications that
//!   provide change events");
//! - schedules: "a maximum frequency of one flow run per hour", so a faster schedule is an error (the shared `SourceRules` check);
//! - profile: "an API secret" (`ApiSecretKey`, required by the schema); the schema has no
//!   Trend Micro profile properties, so the profile writes `ConnectorProfileProperties: {}`;
//! - filters: the schema's operator set (`TrendmicroConnectorOperator`), applied by the shared operator check from
//!   the generated facts;
//! - object names: AWS documents none (AppFlow lists them for the account), so any name
//!   without spaces is accepted.

use crate::model::{ProfileRef, Text};

use super::SourceRules;
use super::common::{ConnectorProfile, ObjectSource, ObjectWords, object_source};
use super::keyed::keyed_profile;

/// How messages name Trend Micro objects.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Trend Micro object",
    help: "name the object as AppFlow lists it for the account",
    what: "Trend Micro object",
    allowed: "object names have no spaces",
};

/// What the guide allows a flow from Trend Micro.
const RULES: SourceRules = SourceRules::named("Trend Micro").at_most_every(3_600);

/// A Trend Micro connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type TrendMicroConnectorProfile = ConnectorProfile<TrendMicroSettings>;

keyed_profile! {
    /// The Trend Micro settings of a connector profile the stack creates.
    TrendMicroSettings, TomlTrendMicroProfile: Trendmicro as "Trend Micro", trendmicro,
    private_link true,
    credentials TrendmicroConnectorProfileCredentials {
        api_secret_key = "api-secret-key": "an API secret key of the Trend Micro account",
    },
    check |_, _, _| {}
}

impl ConnectorProfile<TrendMicroSettings> {
    /// A profile the stack creates; give it its credentials with [`api_secret_key`](ConnectorProfile::api_secret_key).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let keys = SecretRef::named("trendmicro");
    /// let profile = TrendMicroConnectorProfile::new("security")
    ///     .api_secret_key(Credential::secret(&keys, "apiSecretKey"));
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        ConnectorProfile::owned(name, TrendMicroSettings::default())
    }
}

/// Reads a Trend Micro object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendMicroSource(pub(crate) ObjectSource);

impl TrendMicroSource {
    /// Reads `object` through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = TrendMicroSource::new(ProfileRef::named("security"), "antimalware");
    /// # let _ = source;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        TrendMicroSource(ObjectSource::new(profile, object))
    }
}

object_source! { TrendMicroSource: Trendmicro, trendmicro = TrendmicroSourceProperties, OBJECT, |_, _, _, _| {}, RULES }
