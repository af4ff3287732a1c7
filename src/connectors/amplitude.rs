//! Amplitude: a source (an Amplitude object) and a profile of an API key and a secret key.
//! AppFlow user guide, "Amplitude" (<https://docs.aws.amazon.com/appflow/latest/userguide/amplitude.html>).
//!
//! What AWS documents, and what flowform enforces:
//! - source only: "You can use Amplitude as a source only" (the flow schema has no
//!   Amplitude destination); the page names no change events, so no event-triggered flows
//!   (flow-triggers.html: event flows are "available only for SaaS applications that
//!   provide change events");
//! - schedules: "you can run schedule-triggered flows at a maximum frequency of one flow
//!   run per day", so a faster schedule is an error (the shared `SourceRules` check);
//! - profile: "the API key and secret key for the project", `ApiKey` and `SecretKey`, both
//!   required by the schema (`AmplitudeConnectorProfileCredentials`); the schema has no
//!   Amplitude profile properties, so the profile writes `ConnectorProfileProperties: {}`;
//! - filters: the schema's `AmplitudeConnectorOperator` is `BETWEEN` alone, so the only
//!   filter is a range; the shared operator check applies it from the generated facts;
//! - not checked, because nothing in the file says it: "Amplitude can process 25 MB of data
//!   as part of a single flow run" (the README repeats it);
//! - object names: AWS documents none (AppFlow lists them for the account), so any name
//!   without spaces is accepted.

use crate::model::{ProfileRef, Text};

use super::SourceRules;
use super::common::{ConnectorProfile, ObjectSource, ObjectWords, object_source};
use super::keyed::keyed_profile;

/// How messages name Amplitude objects.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Amplitude object",
    help: "name the object as AppFlow lists it for the project",
    what: "Amplitude object",
    allowed: "object names have no spaces",
};

/// What the guide allows a flow from Amplitude: one scheduled run a day.
const RULES: SourceRules = SourceRules::named("Amplitude").at_most_every(86_400);

/// An Amplitude connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type AmplitudeConnectorProfile = ConnectorProfile<AmplitudeSettings>;

keyed_profile! {
    /// The Amplitude settings of a connector profile the stack creates: the project's API
    /// key and secret key.
    AmplitudeSettings, TomlAmplitudeProfile: Amplitude as "Amplitude", amplitude,
    credentials AmplitudeConnectorProfileCredentials {
        api_key = "api-key": "the Amplitude project's API key",
        secret_key = "secret-key": "the Amplitude project's secret key",
    },
    check |_, _, _| {}
}

impl ConnectorProfile<AmplitudeSettings> {
    /// A profile the stack creates; give it its keys with
    /// [`api_key`](ConnectorProfile::api_key) and [`secret_key`](ConnectorProfile::secret_key).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let keys = SecretRef::named("amplitude");
    /// let profile = AmplitudeConnectorProfile::new("product")
    ///     .api_key(Credential::secret(&keys, "apiKey"))
    ///     .secret_key(Credential::secret(&keys, "secretKey"));
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        ConnectorProfile::owned(name, AmplitudeSettings::default())
    }
}

/// Reads an Amplitude object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmplitudeSource(pub(crate) ObjectSource);

impl AmplitudeSource {
    /// Reads `object` through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = AmplitudeSource::new(ProfileRef::named("product"), "events");
    /// # let _ = source;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        AmplitudeSource(ObjectSource::new(profile, object))
    }
}

object_source! { AmplitudeSource: Amplitude, amplitude = AmplitudeSourceProperties, OBJECT, |_, _, _, _| {}, RULES }
