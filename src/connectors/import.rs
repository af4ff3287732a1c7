//! `flowform import`'s part in the connectors: a source's or destination's table, written
//! from its connector properties as AppFlow's API gives them (`DescribeFlow`, the API
//! reference's member names), by the connector's own module; the dispatch over the
//! connectors whose import is written, and the pieces several share.

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

/// The table (`<key> = { ... }`) of the `side` of connector `connector_type` with these
/// `sourceConnectorProperties` or `destinationConnectorProperties`; `None` for a connector
/// whose import is not written.
pub(crate) fn endpoint(
    side: Side,
    connector_type: &str,
    properties: &Value,
    profile: Option<&str>,
    context: &mut dyn ImportContext,
) -> Option<String> {
    let own = &properties[connector_type];
    match (side, connector_type) {
        (Side::Source, "S3") => super::s3::import_source(own, context),
        (Side::Destination, "S3") => super::s3::import_destination(own, context),
        (Side::Source, "Salesforce") => super::salesforce::import_source(own, profile?, context),
        (Side::Destination, "Salesforce") => super::salesforce::import_destination(own, profile?, context),
        (Side::Source, "CustomConnector") => {
            super::custom::import_source(own, api_version(properties), profile?, context)
        }
        (Side::Destination, "CustomConnector") => super::custom::import_destination(own, profile?, context),
        (Side::Destination, "EventBridge") => super::eventbridge::import_destination(own, context),
        (Side::Destination, "Upsolver") => super::upsolver::import_destination(own, context),
        (Side::Destination, "LookoutMetrics") => Some("lookoutmetrics = {}".to_owned()),
        (Side::Destination, "Redshift") => super::staged::import_destination("redshift", own, profile?, context),
        (Side::Destination, "Snowflake") => super::staged::import_destination("snowflake", own, profile?, context),
        (Side::Source, "Veeva") => super::veeva::import_source(own, profile?, context),
        (Side::Source, "SAPOData") => super::sapodata::import_source(own, profile?, context),
        (Side::Destination, "SAPOData") => super::sapodata::import_destination(own, profile?, context),
        (Side::Destination, "Zendesk") => object_destination("zendesk", own, profile?, true, context),
        (Side::Destination, "Marketo") => object_destination("marketo", own, profile?, false, context),
        (Side::Source, _) => {
            let (_, key) = OBJECT_SOURCES.iter().find(|(kind, _)| *kind == connector_type)?;
            object_source(key, properties, profile?, context)
        }
        (Side::Destination, _) => None,
    }
}

/// The `apiVersion` beside a side's properties, which the caller puts there (it is the
/// flow config's, not the connector's).
fn api_version(properties: &Value) -> Option<&str> {
    text(properties, API_VERSION)
}

/// The member of a side's properties `import` puts a flow config's `apiVersion` in (no
/// connector's properties have a member of that name).
pub(crate) const API_VERSION: &str = "flowform:apiVersion";

/// `<key> = { profile, object, operation?, id-fields?, error-handling? }` of a
/// destination that writes objects (Zendesk's, Marketo's).
fn object_destination(
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

/// The connectors whose source is `{ profile, object }` (`common::object_source!`), by
/// `connectorType`, with their key in the file. Amplitude and Google Analytics are not
/// among them: flowform writes no flow of theirs (the README says why).
const OBJECT_SOURCES: &[(&str, &str)] = &[
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

/// `<key> = { profile, object }` of the one member of `sourceConnectorProperties` (named
/// for the connector, e.g. `Zendesk`).
fn object_source(
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
mod flow_tests {
    //! `flowform import` of whole flows whose tables these connectors write.

    use serde_json::{Value, json};

    use crate::operate::import::import;

    fn salesforce_flow() -> Value {
        json!({
            "flowName": "console-accounts",
            "flowStatus": "Suspended",
            "kmsArn": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "triggerConfig": {"triggerType": "Event"},
            "sourceFlowConfig": {
                "connectorType": "Salesforce",
                "connectorProfileName": "my-sf.connection",
                "sourceConnectorProperties": {"Salesforce": {
                    "object": "Account", "dataTransferApi": "REST_SYNC", "enableDynamicFieldUpdate": true
                }}
            },
            "destinationFlowConfigList": [{
                "connectorType": "S3",
                "destinationConnectorProperties": {"S3": {
                    "bucketName": "acme.lake",
                    "s3OutputFormatConfig": {"fileType": "JSON", "aggregationConfig": {"aggregationType": "SingleFile"}, "preserveSourceDataTyping": true}
                }}
            }],
            "tasks": [{"taskType": "Map", "sourceFields": ["Id"], "connectorOperator": {"Salesforce": "NO_OP"}, "destinationField": "Id"}]
        })
    }

    #[test]
    fn a_salesforce_flow_uses_its_existing_connection_and_compiles() {
        let imported = import("crm", &[salesforce_flow()]);
        let toml = &imported.toml;
        assert_eq!(imported.notes, Vec::<String>::new());
        assert_eq!(imported.flows, 1);
        assert!(
            toml.contains("[profile.my-sf-connection.salesforce]\nimport = \"my-sf.connection\""),
            "{toml}"
        );
        assert!(toml.contains("[bucket.acme-lake]\nimport = \"acme.lake\""), "{toml}");
        assert!(
            toml.contains("[key.1234abcd-12ab-34cd-56ef-1234567890ab]\nimport = \"arn:aws:kms:"),
            "{toml}"
        );
        assert!(toml.contains("name = \"console-accounts\""), "{toml}");
        assert!(toml.contains("trigger.event = { status = \"suspended\" }"), "{toml}");
        assert!(
            toml.contains("source.salesforce = { profile = \"my-sf-connection\", object = \"Account\", data-transfer-api = \"rest-sync\", dynamic-field-update = true }"),
            "{toml}"
        );
        assert!(
            toml.contains("destination.s3 = { bucket = \"acme-lake\", file-type = \"json\", aggregation = \"single-file\", preserve-source-data-typing = true }"),
            "{toml}"
        );
        assert!(toml.contains("map-fields = [\"Id\"]"), "{toml}");
        if let Err(report) = crate::compile_source("imported.toml", toml, &crate::CompileOptions::default()) {
            let lines: Vec<String> = report.diagnostics.iter().map(|d| d.one_line()).collect();
            panic!("{toml}\n{}", lines.join("\n"));
        }
    }

    #[test]
    fn an_object_source_is_written_for_every_connector_of_that_shape() {
        let mut flow = salesforce_flow();
        flow["sourceFlowConfig"] = json!({
            "connectorType": "Zendesk",
            "connectorProfileName": "support",
            "sourceConnectorProperties": {"Zendesk": {"object": "tickets"}}
        });
        flow["triggerConfig"] = json!({"triggerType": "OnDemand"});
        let imported = import("crm", &[flow]);
        let toml = &imported.toml;
        assert!(
            toml.contains("source.zendesk = { profile = \"support\", object = \"tickets\" }"),
            "{toml}"
        );
        assert!(
            toml.contains("[profile.support.zendesk]\nimport = \"support\""),
            "{toml}"
        );
        if let Err(report) = crate::compile_source("imported.toml", toml, &crate::CompileOptions::default()) {
            let lines: Vec<String> = report.diagnostics.iter().map(|d| d.one_line()).collect();
            panic!("{toml}\n{}", lines.join("\n"));
        }
    }

    #[test]
    fn custom_connector_and_object_destinations_compile() {
        let mut flow = salesforce_flow();
        flow["sourceFlowConfig"] = json!({
            "connectorType": "CustomConnector",
            "connectorProfileName": "hubspot",
            "apiVersion": "v1",
            "sourceConnectorProperties": {"CustomConnector": {
                "entityName": "company", "customProperties": {"region": "eu"}
            }}
        });
        flow["triggerConfig"] = json!({"triggerType": "OnDemand"});
        flow["destinationFlowConfigList"] = json!([{
            "connectorType": "Zendesk",
            "connectorProfileName": "support",
            "destinationConnectorProperties": {"Zendesk": {
                "object": "users", "writeOperationType": "UPSERT", "idFieldNames": ["external_id"],
                "errorHandlingConfig": {"bucketName": "acme.errors", "bucketPrefix": "zendesk", "failOnFirstDestinationError": false}
            }}
        }]);
        let imported = import("crm", &[flow]);
        let toml = &imported.toml;
        assert_eq!(imported.notes, Vec::<String>::new());
        assert!(
            toml.contains("source.custom = { profile = \"hubspot\", entity = \"company\", properties = { \"region\" = \"eu\" }, api-version = \"v1\" }"),
            "{toml}"
        );
        assert!(
            toml.contains("destination.zendesk = { profile = \"support\", object = \"users\", operation = \"upsert\", id-fields = [\"external_id\"], error-handling = { bucket = \"acme-errors\", prefix = \"zendesk\", fail-on-first-error = false } }"),
            "{toml}"
        );
        if let Err(report) = crate::compile_source("imported.toml", toml, &crate::CompileOptions::default()) {
            let lines: Vec<String> = report.diagnostics.iter().map(|d| d.one_line()).collect();
            panic!("{toml}\n{}", lines.join("\n"));
        }
    }

    /// Imports `flow` and compiles what it wrote; the TOML.
    fn compiled(flow: Value) -> String {
        let imported = import("crm", &[flow]);
        assert_eq!(imported.notes, Vec::<String>::new(), "{}", imported.toml);
        if let Err(report) = crate::compile_source("imported.toml", &imported.toml, &crate::CompileOptions::default()) {
            let lines: Vec<String> = report.diagnostics.iter().map(|d| d.one_line()).collect();
            panic!("{}\n{}", imported.toml, lines.join("\n"));
        }
        imported.toml
    }

    #[test]
    fn warehouse_destinations_and_the_other_sources_compile() {
        let mut flow = salesforce_flow();
        flow["triggerConfig"] = json!({"triggerType": "OnDemand"});
        flow["destinationFlowConfigList"] = json!([{
            "connectorType": "Redshift",
            "connectorProfileName": "warehouse",
            "destinationConnectorProperties": {"Redshift": {
                "object": "public.accounts", "intermediateBucketName": "acme-staging", "bucketPrefix": "appflow"
            }}
        }]);
        let toml = compiled(flow.clone());
        assert!(
            toml.contains("destination.redshift = { profile = \"warehouse\", object = \"public.accounts\", bucket = \"acme-staging\", prefix = \"appflow\" }"),
            "{toml}"
        );
        flow["sourceFlowConfig"] = json!({
            "connectorType": "Veeva",
            "connectorProfileName": "vault",
            "sourceConnectorProperties": {"Veeva": {"object": "product__v", "includeAllVersions": false}}
        });
        let toml = compiled(flow.clone());
        assert!(
            toml.contains(
                "source.veeva = { profile = \"vault\", object = \"product__v\", include-all-versions = false }"
            ),
            "{toml}"
        );
        flow["sourceFlowConfig"] = json!({
            "connectorType": "SAPOData",
            "connectorProfileName": "sap",
            "sourceConnectorProperties": {"SAPOData": {
                "objectPath": "/sap/opu/odata/sap/API_SALES_ORDER_SRV/A_SalesOrder",
                "paginationConfig": {"maxPageSize": 1000}, "parallelismConfig": {"maxParallelism": 5}
            }}
        });
        flow["destinationFlowConfigList"] = json!([{
            "connectorType": "Upsolver",
            "destinationConnectorProperties": {"Upsolver": {
                "bucketName": "upsolver-appflow-acme", "s3OutputFormatConfig": {"fileType": "PARQUET", "prefixConfig": {"prefixType": "PATH", "prefixFormat": "DAY"}}
            }}
        }]);
        let toml = compiled(flow.clone());
        assert!(toml.contains("page-size = 1000, parallelism = 5"), "{toml}");
        flow["sourceFlowConfig"] = json!({
            "connectorType": "S3",
            "sourceConnectorProperties": {"S3": {"bucketName": "acme-in", "bucketPrefix": "partners"}}
        });
        flow["destinationFlowConfigList"] = json!([{
            "connectorType": "SAPOData",
            "connectorProfileName": "sap",
            "destinationConnectorProperties": {"SAPOData": {
                "objectPath": "/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner",
                "writeOperationType": "INSERT",
                "successResponseHandlingConfig": {"bucketName": "acme-responses", "bucketPrefix": "sap"}
            }}
        }]);
        let written = compiled(flow);
        assert!(
            written.contains(
                "operation = \"insert\", success-response = { bucket = \"acme-responses\", prefix = \"sap\" }"
            ),
            "{written}"
        );
        assert!(toml.contains("destination.upsolver = { bucket = \"upsolver-appflow-acme\", file-type = \"parquet\", prefix-type = \"path\", prefix-format = \"day\" }"), "{toml}");
    }

    #[test]
    fn a_connector_import_cannot_write_leaves_its_flow_out_with_a_note() {
        let mut flow = salesforce_flow();
        flow["sourceFlowConfig"]["connectorType"] = json!("Amplitude");
        let imported = import("crm", &[flow]);
        assert!(!imported.toml.contains("[flow."), "{}", imported.toml);
        assert_eq!(imported.flows, 0);
        assert_eq!(imported.notes.len(), 1);
        assert!(
            imported.notes[0].contains("cannot write Amplitude sources"),
            "{:?}",
            imported.notes
        );
    }
}
