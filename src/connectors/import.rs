//! `flowform import`'s part in the connectors: a source's or destination's table, written
//! from its connector properties as AppFlow's API gives them (`DescribeFlow`, the API
//! reference's member names), by the connector's own module, through the registry's
//! `import_endpoint`; here, the pieces several share.

use serde_json::Value;

/// What a connector's table names beside itself: buckets and connector profiles, written
/// into the file as imported items.
pub(crate) trait ImportContext {
    /// The file's name of bucket `bucket` (an imported `[bucket.*]`).
    fn bucket(&mut self, bucket: &str) -> String;
    /// The file's name of connector profile `profile` (an imported `[profile.*.<key>]`).
    fn profile(&mut self, profile: &str, key: &'static str) -> String;
}

/// A TOML string.
pub(crate) fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// A TOML array of strings.
pub(crate) fn quoted_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|item| quoted(item)).collect();
    format!("[{}]", items.join(", "))
}

/// An API enum value (`REST_SYNC`, `PathAndFilename`) as the file spells it
/// (`rest-sync`, `path-and-filename`).
pub(crate) fn kebab(value: &str) -> String {
    // `SCREAMING_CASE` words are split at `_`, `CamelCase` ones at their capitals.
    let camel = value.chars().any(|c| c.is_ascii_lowercase());
    let mut out = String::new();
    for (index, c) in value.chars().enumerate() {
        if c == '_' {
            out.push('-');
        } else if camel && c.is_ascii_uppercase() && index > 0 {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The string at `key` of `value`.
pub(crate) fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key)?.as_str()
}

/// `<key> = { ... }` of `keys`.
pub(crate) fn table(key: &str, keys: &[String]) -> String {
    format!("{key} = {{ {} }}", keys.join(", "))
}

/// The `error-handling = { ... }` of an `errorHandlingConfig`.
pub(crate) fn error_handling(config: &Value, context: &mut dyn ImportContext) -> Option<String> {
    let mut keys = Vec::new();
    if let Some(bucket) = text(config, "bucketName") {
        keys.push(format!("bucket = {}", quoted(&context.bucket(bucket))));
    }
    if let Some(prefix) = text(config, "bucketPrefix") {
        keys.push(format!("prefix = {}", quoted(prefix)));
    }
    if let Some(fail) = config.get("failOnFirstDestinationError").and_then(Value::as_bool) {
        keys.push(format!("fail-on-first-error = {fail}"));
    }
    (!keys.is_empty()).then(|| table("error-handling", &keys))
}

/// A side of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// `sourceFlowConfig`.
    Source,
    /// A `destinationFlowConfigList` entry.
    Destination,
}

/// The `apiVersion` beside a side's properties, which the caller puts there (it is the
/// flow config's, not the connector's).
pub(crate) fn api_version(properties: &Value) -> Option<&str> {
    text(properties, API_VERSION)
}

/// The member of a side's properties `import` puts a flow config's `apiVersion` in (no
/// connector's properties have a member of that name).
pub(crate) const API_VERSION: &str = "flowform:apiVersion";

/// `<key> = { profile, object, operation?, id-fields?, error-handling? }` of a
/// destination that writes objects.
pub(crate) fn object_destination(
    key: &'static str,
    properties: &Value,
    profile: &str,
    with_operation: bool,
    context: &mut dyn ImportContext,
) -> Option<String> {
    let mut keys = profile_and_object(key, properties, profile, context)?;
    if with_operation {
        keys.extend(write_operation(properties));
    }
    keys.extend(error_handling(&properties["errorHandlingConfig"], context));
    Some(table(key, &keys))
}

/// `operation = "..."` and `id-fields = [...]` of a destination's `writeOperationType` and
/// `idFieldNames`, when it has them.
pub(crate) fn write_operation(properties: &Value) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(operation) = text(properties, "writeOperationType") {
        keys.push(format!("operation = {}", quoted(&kebab(operation))));
    }
    let ids: Vec<String> = properties["idFieldNames"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|id| id.as_str().map(str::to_owned))
        .collect();
    if !ids.is_empty() {
        keys.push(format!("id-fields = {}", quoted_list(&ids)));
    }
    keys
}

/// `<key> = { profile, object }` of the one member of `sourceConnectorProperties` (named
/// for the connector, which is not always its `connectorType`'s spelling).
pub(crate) fn object_source(
    key: &'static str,
    properties: &Value,
    profile: &str,
    context: &mut dyn ImportContext,
) -> Option<String> {
    let (_, connector) = properties
        .as_object()?
        .iter()
        .find(|(member, _)| *member != API_VERSION)?;
    Some(table(key, &profile_and_object(key, connector, profile, context)?))
}

/// `profile = "..."` and `object = "..."` of a connector `key`'s properties.
pub(crate) fn profile_and_object(
    key: &'static str,
    properties: &Value,
    profile: &str,
    context: &mut dyn ImportContext,
) -> Option<Vec<String>> {
    Some(vec![
        format!("profile = {}", quoted(&context.profile(profile, key))),
        format!("object = {}", quoted(text(properties, "object")?)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_enums_are_spelled_as_the_file_spells_them() {
        assert_eq!(kebab("REST_SYNC"), "rest-sync");
        assert_eq!(kebab("PATH_AND_FILENAME"), "path-and-filename");
        assert_eq!(kebab("SingleFile"), "single-file");
        assert_eq!(kebab("PARQUET"), "parquet");
        assert_eq!(kebab("BULKV2"), "bulkv2");
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! What the connectors' import tests share: a flow as `DescribeFlow` gives it, and its
    //! import compiled.

    use serde_json::{Value, json};

    /// An on-demand flow from `source` (a `sourceFlowConfig`) to `destination` (one
    /// `destinationFlowConfigList` entry), mapping `Id`.
    pub(crate) fn flow(source: Value, destination: Value) -> Value {
        json!({
            "flowName": "console-accounts",
            "flowStatus": "Active",
            "triggerConfig": {"triggerType": "OnDemand"},
            "sourceFlowConfig": source,
            "destinationFlowConfigList": [destination],
            "tasks": [{"taskType": "Map", "sourceFields": ["Id"], "connectorOperator": {"Any": "NO_OP"}, "destinationField": "Id"}]
        })
    }

    /// A destination writing JSON files to bucket `acme.lake`.
    pub(crate) fn files_destination() -> Value {
        json!({
            "connectorType": "S3",
            "destinationConnectorProperties": {"S3": {"bucketName": "acme.lake", "s3OutputFormatConfig": {"fileType": "JSON"}}}
        })
    }

    /// Imports `flow` into stack `crm`, checks it left nothing out and compiles: the TOML.
    pub(crate) fn compiled(flow: Value) -> String {
        let imported = crate::operate::import::import("crm", &[flow]);
        assert_eq!(imported.notes, Vec::<String>::new(), "{}", imported.toml);
        if let Err(report) = crate::compile_source("imported.toml", &imported.toml, &crate::CompileOptions::default()) {
            let lines: Vec<String> = report.diagnostics.iter().map(|d| d.one_line()).collect();
            panic!("{}\n{}", imported.toml, lines.join("\n"));
        }
        imported.toml
    }

    #[test]
    fn a_connector_import_cannot_write_leaves_its_flow_out_with_a_note() {
        let source =
            json!({"connectorType": "SomeLaterConnector", "sourceConnectorProperties": {"SomeLaterConnector": {}}});
        let imported = crate::operate::import::import("crm", &[flow(source, files_destination())]);
        assert!(!imported.toml.contains("[flow."), "{}", imported.toml);
        assert_eq!(imported.flows, 0);
        assert_eq!(imported.notes.len(), 1);
        assert!(
            imported.notes[0].contains("cannot write SomeLaterConnector sources"),
            "{:?}",
            imported.notes
        );
    }
}
