//! Infor Nexus: a source (an object of the account) and a profile of its instance URL and its API credentials.
//! AppFlow user guide, "Infor Nexus" (<https://docs.aws.amazon.com/appflow/latest/userguide/infor-nexus.html>).
//!
//! What AWS documents, and what flowform enforces:
//! - source only: "You can use Infor Nexus as a source only" (the flow schema has no
//!   Infor Nexus destination); the page names no change events, so no event-triggered
//!   flows (flow-triggers.html: event flows are "available only for SaaS applications that
//!   provide change events");
//! - schedules: "a maximum frequency of one flow run per minute", AppFlow's own floor, so no rule of its own;
//! - profile: AppFlow "uses hash-based message authentication (HMAC)", with "your access
//!   key ID, user ID, secret access key, and data key" (`AccessKeyId`, `UserId`,
//!   `SecretAccessKey`, `Datakey`, all required by the schema), and `InstanceUrl`
//!   (required). The console asks for a subdomain and AWS does not document the URL's
//!   form: flowform checks only that it is an `https://` URL (thin evidence, said so in the
//!   README);
//! - filters: the schema's operator set (`InforNexusConnectorOperator`), applied by the shared operator check from
//!   the generated facts;
//! - object names: AWS documents none (AppFlow lists them for the account), so any name
//!   without spaces is accepted.

use crate::model::{ProfileRef, Text};

use super::SourceRules;
use super::common::{ConnectorProfile, ObjectSource, ObjectWords, object_source};
use super::keyed::keyed_profile;

/// How messages name Infor Nexus objects.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Infor Nexus object",
    help: "name the object as AppFlow lists it for the account",
    what: "Infor Nexus object",
    allowed: "object names have no spaces",
};

/// What the guide allows a flow from Infor Nexus.
const RULES: SourceRules = SourceRules::named("Infor Nexus");

/// A Infor Nexus connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type InforNexusConnectorProfile = ConnectorProfile<InforNexusSettings>;

keyed_profile! {
    /// The Infor Nexus settings of a connector profile the stack creates.
    InforNexusSettings, TomlInforNexusProfile: Infornexus as "Infor Nexus", infor_nexus,
    url InforNexusConnectorProfileProperties = "https://network.infornexus.com",
    credentials InforNexusConnectorProfileCredentials {
        access_key_id = "access-key-id": "the access key ID",
        user_id = "user-id": "the user ID",
        secret_access_key = "secret-access-key": "the secret access key",
        datakey = "datakey": "the data key",
    },
    check |_, _, _| {}
}

impl ConnectorProfile<InforNexusSettings> {
    /// A profile the stack creates; give it its credentials with [`access_key_id`](ConnectorProfile::access_key_id), [`user_id`](ConnectorProfile::user_id), [`secret_access_key`](ConnectorProfile::secret_access_key), [`datakey`](ConnectorProfile::datakey).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let keys = SecretRef::named("infornexus");
    /// let profile = InforNexusConnectorProfile::new("supply-chain", "https://network.infornexus.com")
    ///     .access_key_id(Credential::secret(&keys, "accessKeyId"))
    ///     .user_id(Credential::secret(&keys, "userId"))
    ///     .secret_access_key(Credential::secret(&keys, "secretAccessKey"))
    ///     .datakey(Credential::secret(&keys, "datakey"));
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(name: impl Into<String>, instance_url: impl Into<Text>) -> Self {
        ConnectorProfile::owned(
            name,
            InforNexusSettings {
                instance_url: instance_url.into(),
                ..InforNexusSettings::default()
            },
        )
    }
}

/// Reads a Infor Nexus object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InforNexusSource(pub(crate) ObjectSource);

impl InforNexusSource {
    /// Reads `object` through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = InforNexusSource::new(ProfileRef::named("supply-chain"), "orders");
    /// # let _ = source;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        InforNexusSource(ObjectSource::new(profile, object))
    }
}

object_source! { InforNexusSource: Infornexus, infor_nexus = InforNexusSourceProperties, OBJECT, |_, _, _, _| {}, RULES }
