//! The official schemas' constraints on a connector's properties (`facts`), applied to
//! the values flowform writes there: lengths and patterns come from the schemas, read
//! by the generator, never typed by hand.
//!
//! A connector's settings that may be references ([`super::SourceConnector::texts`] and
//! its kin) are checked here by the shared pass, the TOML key naming the property
//! (`instance-url` is `InstanceUrl`). Emptiness is left to the model's own rule
//! (`ErrorKind::Empty`), which says what to write: every pattern of these properties
//! (`\S+`, `^\S+$`) fails on an empty or blank value, and one message is enough.

use super::facts::{ConnectorType, PropertiesFacts, PropertyFacts};
use crate::cfn::Limits;

/// Where in a connector's schema entries a property is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// `SourceConnectorProperties.<Connector>`.
    Source,
    /// `DestinationConnectorProperties.<Connector>`.
    Destination,
    /// `ConnectorProfileProperties.<Connector>`.
    Profile,
}

/// The schema's facts on the property a TOML key of `connector`'s `role` table becomes,
/// if the schema has one by that name (`instance-url` → `InstanceUrl`).
pub(crate) fn property(connector: ConnectorType, role: Role, toml_key: &str) -> Option<&'static PropertyFacts> {
    schema_property(connector, role, &pascal_case(toml_key))
}

/// The schema's facts on the property `name` (as the schema spells it) of `connector`'s
/// `role` entries, if it has one.
pub(crate) fn schema_property(connector: ConnectorType, role: Role, name: &str) -> Option<&'static PropertyFacts> {
    let facts = connector.facts();
    let entries: &Option<PropertiesFacts> = match role {
        Role::Source => &facts.source,
        Role::Destination => &facts.destination,
        Role::Profile => &facts.profile_properties,
    };
    entries.as_ref()?.properties.iter().find(|p| p.name == name)
}

/// The schema's facts on the credential property `name` of `connector`'s profile
/// (`ConnectorProfileCredentials.<Connector>.<name>`), if it has one.
pub(crate) fn credential_property(connector: ConnectorType, name: &str) -> Option<&'static PropertyFacts> {
    let credentials = connector.facts().profile_credentials.as_ref()?;
    credentials.properties.iter().find(|p| p.name == name)
}

/// `instance-url` → `InstanceUrl`.
fn pascal_case(key: &str) -> String {
    key.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

impl PropertyFacts {
    /// The schema's limits on the property (on its items, for an array).
    pub const fn limits(&self) -> Limits {
        Limits {
            property: self.name,
            pattern: self.pattern,
            min_length: self.min_length,
            max_length: self.max_length,
            minimum: self.minimum,
            maximum: self.maximum,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectors::facts::CONNECTORS;
    use regex::Regex;

    /// The first connector whose `role` table has the property `key` becomes.
    fn with(role: Role, key: &str) -> ConnectorType {
        let found = CONNECTORS
            .iter()
            .find(|c| property(c.connector_type, role, key).is_some());
        found.expect("some connector has it").connector_type
    }

    #[test]
    fn toml_keys_find_their_schema_properties() {
        let url = property(with(Role::Profile, "instance-url"), Role::Profile, "instance-url").unwrap();
        assert_eq!(url.name, "InstanceUrl");
        let object = with(Role::Source, "object");
        assert_eq!(property(object, Role::Source, "object").unwrap().name, "Object");
        assert!(property(object, Role::Source, "no-such-key").is_none());
    }

    #[test]
    fn lengths_and_patterns_come_from_the_facts() {
        let object = property(with(Role::Source, "object"), Role::Source, "object").unwrap();
        let max = object.max_length.expect("objects have a maximum length") as usize;
        assert_eq!(object.limits().violation("Account"), None);
        let long = "A".repeat(max + 1);
        assert!(
            object
                .limits()
                .violation(&long)
                .unwrap()
                .contains(&format!("limit is {max}"))
        );
        let connector = with(Role::Destination, "id-field-names");
        let id_fields = property(connector, Role::Destination, "id-field-names").unwrap();
        assert!(id_fields.limits().violation("two words").unwrap().contains(r"`^\S+$`"));
    }

    #[test]
    fn every_pattern_of_the_schemas_compiles() {
        for connector in &CONNECTORS {
            let entries = [&connector.source, &connector.destination, &connector.profile_properties];
            for property in entries.into_iter().flatten().flat_map(|e| e.properties) {
                if let Some(pattern) = property.pattern {
                    assert!(Regex::new(pattern).is_ok(), "{pattern}");
                }
            }
        }
    }
}
