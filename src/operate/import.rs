//! `flowform import`: flows that exist in an account (made in the console, by the CDK, by
//! raw CloudFormation) → the flowform TOML that deploys the same flows.
//!
//! What it writes: every bucket a flow reads or writes as an imported `[bucket.*]`, every
//! connector profile as an imported `[profile.*]` (the existing connection, its
//! credentials staying where they are: nothing secret is ever fetched or written), and
//! each flow with its trigger, source, destination and tasks in flowform's vocabulary
//! (`map-all`, `map`, `concat`, `arithmetic`, `mask`, `truncate`, `filter`, `validate`).
//! The stack keeps what it adopts (`retention = "all"`, which CloudFormation's import
//! requires), and a flow keeps its physical name, so `flowform deploy --import-existing`
//! adopts it instead of recreating it (a recreated flow loses its run history).
//!
//! What it cannot express yet is said, one note each: connectors other than S3 and
//! Salesforce sources (the flow is left out, with what to write by hand), tasks of other
//! kinds (left out of their flow). AppFlow's automatic `PROJECTION` filter is not a task
//! of the file: flowform writes it again from the mappings.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::Timestamp;

use super::api::{EndpointDefinition, EndpointProperties, FlowDefinition, ScheduleDefinition, TaskDefinition};
use crate::model::names;

/// The TOML of the imported flows, and a note for everything left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The flow file.
    pub toml: String,
    /// What could not be expressed, one line each.
    pub notes: Vec<String>,
}

/// A TOML string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// A TOML array of strings.
fn quoted_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|item| quoted(item)).collect();
    format!("[{}]", items.join(", "))
}

/// A name valid in a flowform file (`check_name`): other characters become `-`, at most
/// 64 characters, starting with a letter or digit.
fn item_name(text: &str) -> String {
    let mut name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(names::MAX_NAME_LENGTH)
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        name.replace_range(..name.chars().next().map_or(0, char::len_utf8), "x");
    }
    if name.is_empty() { "imported".into() } else { name }
}

/// A timestamp as a TOML datetime.
fn datetime(time: Timestamp) -> String {
    time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The flowform file of `flows`, for stack `stack`.
pub fn import(stack: &str, flows: &[FlowDefinition]) -> Imported {
    let mut notes = Vec::new();
    let mut used = Used::default();
    let mut bodies = Vec::new();
    for flow in flows {
        match flow_table(stack, flow, &mut used, &mut notes) {
            Some(body) => bodies.push(body),
            None => continue,
        }
    }
    let mut toml = String::new();
    let _ = writeln!(
        toml,
        "# Written by `flowform import`: the flows as they exist in the account."
    );
    let _ = writeln!(
        toml,
        "# Deploy with `flowform deploy <file> --import-existing` to adopt them (nothing is recreated)."
    );
    let _ = writeln!(toml, "\n[stack]\nname = {}", quoted(stack));
    let _ = writeln!(
        toml,
        "# Adopted resources must be kept when the stack is deleted (CloudFormation's import requires it)."
    );
    let _ = writeln!(toml, "retention = \"all\"");
    for (name, key) in &used.keys {
        let _ = writeln!(
            toml,
            "\n# The key AppFlow reports for the flows that name it (AppFlow's own key too, when a flow\n# has none of yours): keep it, a changed `KMSArn` replaces the flow.\n[key.{name}]\nimport = {}",
            quoted(key)
        );
    }
    for (name, bucket) in &used.buckets {
        let _ = writeln!(toml, "\n[bucket.{name}]\nimport = {}", quoted(bucket));
    }
    for (name, (connector, profile)) in &used.profiles {
        let _ = writeln!(
            toml,
            "\n# The existing connection, its credentials where they are.\n[profile.{name}.{connector}]\nimport = {}",
            quoted(profile)
        );
    }
    for body in bodies {
        toml.push('\n');
        toml.push_str(&body);
    }
    Imported { toml, notes }
}

/// The existing resources the imported flows use, by their names in the file.
#[derive(Default)]
struct Used {
    /// Bucket name in the file → bucket.
    buckets: BTreeMap<String, String>,
    /// Profile name in the file → (connector key, profile).
    profiles: BTreeMap<String, (String, String)>,
    /// Key name in the file → key ARN.
    keys: BTreeMap<String, String>,
}

/// The `[flow.*]` table of `flow`, recording the buckets, profiles and keys it uses; `None`
/// (and a note) when its source or destination is one `import` cannot write.
fn flow_table(stack: &str, flow: &FlowDefinition, used: &mut Used, notes: &mut Vec<String>) -> Option<String> {
    let (buckets, profiles) = (&mut used.buckets, &mut used.profiles);
    let [destination] = flow.destinations.as_slice() else {
        notes.push(format!(
            "flow {}: {} destinations; flowform flows have one (left out)",
            flow.name,
            flow.destinations.len()
        ));
        return None;
    };
    let mut bucket_item = |bucket: &str| -> String {
        let name = item_name(bucket);
        buckets.insert(name.clone(), bucket.to_owned());
        name
    };
    let Some(source) = endpoint(&flow.source, true, &mut bucket_item) else {
        notes.push(left_out(flow, "source", &flow.source));
        return None;
    };
    let Some(destination_table) = endpoint(destination, false, &mut bucket_item) else {
        notes.push(left_out(flow, "destination", destination));
        return None;
    };
    for side in [&flow.source, destination] {
        if let Some(profile) = &side.profile {
            profiles.insert(
                item_name(profile),
                (side.connector.to_ascii_lowercase(), profile.clone()),
            );
        }
    }
    let short = flow.name.strip_prefix(&format!("{stack}-"));
    let table = item_name(short.unwrap_or(&flow.name));
    let mut body = format!("[flow.{table}]\n");
    if names::physical_name(stack, &table) != flow.name {
        let _ = writeln!(body, "name = {}", quoted(&flow.name));
    }
    if let Some(description) = &flow.description {
        let _ = writeln!(body, "description = {}", quoted(description));
    }
    if let Some(arn) = &flow.kms_arn {
        // Named after the key's ID (`key/<id>`), shared by the flows that use it.
        let key = item_name(arn.rsplit('/').next().unwrap_or(arn));
        used.keys.insert(key.clone(), arn.clone());
        let _ = writeln!(body, "key = {}", quoted(&key));
    }
    if let Some(trigger) = trigger(flow) {
        let _ = writeln!(body, "trigger.{trigger}");
    }
    let _ = writeln!(body, "source.{source}");
    let _ = writeln!(body, "destination.{destination_table}");
    tasks(flow, &mut body, notes);
    if !flow.tags.is_empty() {
        let tags: Vec<String> = flow
            .tags
            .iter()
            .map(|(k, v)| format!("{} = {}", quoted(k), quoted(v)))
            .collect();
        let _ = writeln!(body, "tags = {{ {} }}", tags.join(", "));
    }
    Some(body)
}

/// The note for a flow left out for its `side`'s connector.
fn left_out(flow: &FlowDefinition, side: &str, endpoint: &EndpointDefinition) -> String {
    format!(
        "flow {}: flowform import cannot write a {} {side} yet (left out); write its `{side}.<connector>` table by hand, as the README's connector sections show",
        flow.name, endpoint.connector
    )
}

/// The `source.<connector> = {...}` (or destination) line's right part; `None` for a
/// connector `import` does not write.
fn endpoint(
    endpoint: &EndpointDefinition,
    is_source: bool,
    bucket_item: &mut impl FnMut(&str) -> String,
) -> Option<String> {
    let mut keys: Vec<String> = Vec::new();
    let connector = match &endpoint.properties {
        EndpointProperties::Other => return None,
        EndpointProperties::S3 {
            bucket,
            prefix,
            file_type,
            prefix_type,
            prefix_format,
            aggregation,
            preserve_source_data_typing,
        } => {
            keys.push(format!("bucket = {}", quoted(&bucket_item(bucket))));
            if let Some(prefix) = prefix.as_deref().filter(|p| !p.is_empty() || is_source) {
                keys.push(format!("prefix = {}", quoted(prefix)));
            }
            let key = if is_source { "format" } else { "file-type" };
            if let Some(file_type) = file_type {
                keys.push(format!("{key} = {}", quoted(&file_type.to_ascii_lowercase())));
            }
            if let Some(prefix_type) = prefix_type {
                keys.push(format!(
                    "prefix-type = {}",
                    quoted(&prefix_type.to_ascii_lowercase().replace('_', "-"))
                ));
            }
            if let Some(prefix_format) = prefix_format {
                keys.push(format!(
                    "prefix-format = {}",
                    quoted(&prefix_format.to_ascii_lowercase())
                ));
            }
            if let Some(aggregation) = aggregation {
                let value = if aggregation == "SingleFile" {
                    "single-file"
                } else {
                    "none"
                };
                keys.push(format!("aggregation = {}", quoted(value)));
            }
            if let Some(preserve) = preserve_source_data_typing {
                keys.push(format!("preserve-source-data-typing = {preserve}"));
            }
            "s3"
        }
        EndpointProperties::SalesforceSource {
            object,
            data_transfer_api,
            dynamic_field_update,
            include_deleted_records,
        } => {
            if let Some(profile) = &endpoint.profile {
                keys.push(format!("profile = {}", quoted(&item_name(profile))));
            }
            keys.push(format!("object = {}", quoted(object)));
            if let Some(api) = data_transfer_api {
                keys.push(format!(
                    "data-transfer-api = {}",
                    quoted(&api.to_ascii_lowercase().replace('_', "-"))
                ));
            }
            if *dynamic_field_update {
                keys.push("dynamic-field-update = true".into());
            }
            if *include_deleted_records {
                keys.push("include-deleted-records = true".into());
            }
            "salesforce"
        }
    };
    Some(format!("{connector} = {{ {} }}", keys.join(", ")))
}

/// The `trigger.<kind> = {...}` line's right part; `None` for on-demand flows (the default).
fn trigger(flow: &FlowDefinition) -> Option<String> {
    match flow.trigger.as_str() {
        "Scheduled" => {
            let schedule = flow.schedule.clone().unwrap_or_default();
            Some(format!(
                "schedule = {{ {} }}",
                schedule_keys(&schedule, &flow.status).join(", ")
            ))
        }
        "Event" => Some(format!("event = {{ status = {} }}", quoted(&status(&flow.status)))),
        _ => None,
    }
}

/// A flow status as the file writes it.
fn status(status: &str) -> String {
    match status {
        "Suspended" => "suspended",
        "Draft" => "draft",
        _ => "active",
    }
    .into()
}

fn schedule_keys(schedule: &ScheduleDefinition, flow_status: &str) -> Vec<String> {
    let mut keys = vec![format!("expression = {}", quoted(&schedule.expression))];
    if schedule.pull_mode.as_deref() == Some("Incremental") {
        keys.push("pull = \"incremental\"".into());
        if let Some(field) = &schedule.timestamp_field {
            keys.push(format!("timestamp-field = {}", quoted(field)));
        }
    }
    for (key, time) in [
        ("start", schedule.start),
        ("end", schedule.end),
        ("first-execution-from", schedule.first_execution_from),
    ] {
        if let Some(time) = time {
            keys.push(format!("{key} = {}", datetime(time)));
        }
    }
    if let Some(zone) = &schedule.time_zone {
        keys.push(format!("time-zone = {}", quoted(zone)));
    }
    if let Some(offset) = schedule.offset.filter(|offset| *offset > 0) {
        keys.push(format!("offset = {offset}"));
    }
    if let Some(threshold) = schedule.error_deactivation_threshold {
        keys.push(format!("error-deactivation-threshold = {threshold}"));
    }
    keys.push(format!("status = {}", quoted(&status(flow_status))));
    keys
}

/// The flow's tasks in flowform's vocabulary, written to `body`.
fn tasks(flow: &FlowDefinition, body: &mut String, notes: &mut Vec<String>) {
    let mut lists: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut map_fields = Vec::new();
    let mut map_all = None;
    let tasks = &flow.tasks;
    let property = |task: &TaskDefinition, key: &str| task.properties.get(key).cloned();
    // The `Map` that moves a concat's or an arithmetic's value into place.
    let computed = |field: &str| {
        tasks
            .iter()
            .find(|t| t.task_type == "Map" && t.source_fields.first().map(String::as_str) == Some(field))
    };
    for task in tasks {
        let field = task.source_fields.first().cloned().unwrap_or_default();
        let operator = task.operator.as_deref().unwrap_or("NO_OP");
        match task.task_type.as_str() {
            "Filter" if operator == "PROJECTION" => {}
            "Map_all" => {
                let exclude: Vec<String> = property(task, "EXCLUDE_SOURCE_FIELDS_LIST")
                    .and_then(|list| serde_json::from_str(&list).ok())
                    .unwrap_or_default();
                map_all = Some(if exclude.is_empty() {
                    "{}".to_owned()
                } else {
                    format!("{{ exclude = {} }}", quoted_list(&exclude))
                });
            }
            "Map"
                if tasks
                    .iter()
                    .any(|t| t.destination_field.as_deref() == Some(field.as_str()) && t.task_type != "Map") =>
            {
                // Written with its concat or arithmetic.
            }
            "Map" => {
                let to = task.destination_field.clone().unwrap_or_else(|| field.clone());
                let (from_type, to_type) = (
                    property(task, "SOURCE_DATA_TYPE"),
                    property(task, "DESTINATION_DATA_TYPE"),
                );
                if to == field && from_type.is_none() && to_type.is_none() {
                    map_fields.push(field);
                    continue;
                }
                let mut keys = vec![format!("from = {}", quoted(&field)), format!("to = {}", quoted(&to))];
                keys.extend(from_type.map(|t| format!("from-type = {}", quoted(&t))));
                keys.extend(to_type.map(|t| format!("to-type = {}", quoted(&t))));
                lists
                    .entry("map")
                    .or_default()
                    .push(format!("{{ {} }}", keys.join(", ")));
            }
            "Merge" | "Arithmetic" => {
                let combined = task.destination_field.clone().unwrap_or_default();
                let Some(map) = computed(&combined) else {
                    notes.push(format!(
                        "flow {}: a {} task without its Map (left out)",
                        flow.name, task.task_type
                    ));
                    continue;
                };
                let to = map.destination_field.clone().unwrap_or_default();
                let mut keys = Vec::new();
                if task.task_type == "Merge" {
                    keys.push(format!("from = {}", quoted_list(&task.source_fields)));
                    keys.push(format!(
                        "format = {}",
                        quoted(&property(task, "CONCAT_FORMAT").unwrap_or_default())
                    ));
                } else {
                    let op = match operator {
                        "ADDITION" => "add",
                        "SUBTRACTION" => "subtract",
                        "MULTIPLICATION" => "multiply",
                        _ => "divide",
                    };
                    let left = task.source_fields.first().cloned().unwrap_or_default();
                    let right = task.source_fields.get(1).cloned().unwrap_or_default();
                    keys.push(format!(
                        "op = {}, left = {}, right = {}",
                        quoted(op),
                        quoted(&left),
                        quoted(&right)
                    ));
                }
                keys.push(format!("to = {}", quoted(&to)));
                // flowform requires the computed value's type.
                let to_type = property(map, "DESTINATION_DATA_TYPE").unwrap_or_else(|| "string".into());
                keys.push(format!("to-type = {}", quoted(&to_type)));
                let list = if task.task_type == "Merge" {
                    "concat"
                } else {
                    "arithmetic"
                };
                lists
                    .entry(list)
                    .or_default()
                    .push(format!("{{ {} }}", keys.join(", ")));
            }
            "Mask" => {
                let length = property(task, "MASK_LENGTH").unwrap_or_default();
                let mut keys = vec![format!("field = {}", quoted(&field))];
                match operator {
                    "MASK_FIRST_N" => keys.push(format!("first = {length}")),
                    "MASK_LAST_N" => keys.push(format!("last = {length}")),
                    _ => {}
                }
                if let Some(mask) = property(task, "MASK_VALUE") {
                    keys.push(format!("char = {}", quoted(&mask)));
                }
                lists
                    .entry("mask")
                    .or_default()
                    .push(format!("{{ {} }}", keys.join(", ")));
            }
            "Truncate" => {
                let length = property(task, "TRUNCATE_LENGTH").unwrap_or_default();
                lists
                    .entry("truncate")
                    .or_default()
                    .push(format!("{{ field = {}, length = {length} }}", quoted(&field)));
            }
            "Validate" => {
                let check = match operator {
                    "VALIDATE_NON_NULL" => "not-null",
                    "VALIDATE_NON_ZERO" => "non-zero",
                    "VALIDATE_NON_NEGATIVE" => "non-negative",
                    _ => "numeric",
                };
                let action = match property(task, "VALIDATION_ACTION").as_deref() {
                    Some("DropDataset") => ", action = \"terminate-flow\"",
                    _ => "",
                };
                lists.entry("validate").or_default().push(format!(
                    "{{ field = {}, check = {}{action} }}",
                    quoted(&field),
                    quoted(check)
                ));
            }
            "Filter" => match filter(task, &field, operator) {
                Some(filter) => lists.entry("filter").or_default().push(filter),
                None => notes.push(format!(
                    "flow {}: its {operator} filter on `{field}` is not one flowform writes (left out)",
                    flow.name
                )),
            },
            other => notes.push(format!(
                "flow {}: a {other} task on `{field}` is not one flowform writes (left out)",
                flow.name
            )),
        }
    }
    if let Some(map_all) = map_all {
        let _ = writeln!(body, "map-all = {map_all}");
    }
    if !map_fields.is_empty() {
        let _ = writeln!(body, "map-fields = {}", quoted_list(&map_fields));
    }
    // Written in flowform's task order (mappings, transforms, filters, validations).
    for key in ["map", "concat", "arithmetic", "mask", "truncate", "filter", "validate"] {
        if let Some(items) = lists.get(key) {
            let _ = writeln!(body, "{key} = [\n  {},\n]", items.join(",\n  "));
        }
    }
}

/// A filter task as flowform writes it, if it is one flowform writes.
fn filter(task: &TaskDefinition, field: &str, operator: &str) -> Option<String> {
    let data_type = task
        .properties
        .get("DATA_TYPE")
        .cloned()
        .unwrap_or_else(|| "string".into());
    let kind = match data_type.as_str() {
        "string" | "boolean" | "datetime" => data_type.clone(),
        _ => "number".into(),
    };
    let value = |text: &str| -> Option<String> {
        Some(match kind.as_str() {
            "string" => quoted(text),
            "boolean" => text.parse::<bool>().ok()?.to_string(),
            "datetime" => datetime(Timestamp::from_millisecond(text.parse().ok()?).ok()?),
            _ if text.parse::<i64>().is_ok() => text.to_owned(),
            _ => text.parse::<f64>().ok()?.to_string(),
        })
    };
    let values = task.properties.get("VALUES");
    let (op, written) = match operator {
        "EQUAL_TO" | "NOT_EQUAL_TO" if values.is_some() => {
            let items: Option<Vec<String>> = values?.split(',').map(value).collect();
            let op = if operator == "EQUAL_TO" { "in" } else { "not-in" };
            (op, format!("[{}]", items?.join(", ")))
        }
        "BETWEEN" => {
            let lower = value(task.properties.get("LOWER_BOUND")?)?;
            let upper = value(task.properties.get("UPPER_BOUND")?)?;
            ("between", format!("[{lower}, {upper}]"))
        }
        _ => {
            let op = match operator {
                "EQUAL_TO" => "=",
                "NOT_EQUAL_TO" => "!=",
                "LESS_THAN" => "<",
                "LESS_THAN_OR_EQUAL_TO" => "<=",
                "GREATER_THAN" => ">",
                "GREATER_THAN_OR_EQUAL_TO" => ">=",
                "CONTAINS" => "contains",
                _ => return None,
            };
            (op, value(task.properties.get("VALUE")?)?)
        }
    };
    let mut keys = vec![
        format!("field = {}", quoted(field)),
        format!("type = {}", quoted(&kind)),
        format!("op = {}", quoted(op)),
        format!("value = {written}"),
    ];
    if kind == "number" && data_type != "double" {
        keys.push(format!("data-type = {}", quoted(&data_type)));
    }
    Some(format!("{{ {} }}", keys.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operate::api::TaskDefinition;

    fn salesforce_flow() -> FlowDefinition {
        FlowDefinition {
            name: "console-accounts".into(),
            trigger: "Event".into(),
            status: "Suspended".into(),
            source: EndpointDefinition {
                connector: "Salesforce".into(),
                profile: Some("my-sf.connection".into()),
                properties: EndpointProperties::SalesforceSource {
                    object: "Account".into(),
                    data_transfer_api: Some("REST_SYNC".into()),
                    dynamic_field_update: true,
                    include_deleted_records: false,
                },
            },
            destinations: vec![EndpointDefinition {
                connector: "S3".into(),
                profile: None,
                properties: EndpointProperties::S3 {
                    bucket: "acme.lake".into(),
                    prefix: None,
                    file_type: Some("JSON".into()),
                    prefix_type: None,
                    prefix_format: None,
                    aggregation: Some("SingleFile".into()),
                    preserve_source_data_typing: Some(true),
                },
            }],
            kms_arn: Some("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab".into()),
            tasks: vec![TaskDefinition {
                task_type: "Map".into(),
                source_fields: vec!["Id".into()],
                operator: Some("NO_OP".into()),
                destination_field: Some("Id".into()),
                ..TaskDefinition::default()
            }],
            ..FlowDefinition::default()
        }
    }

    #[test]
    fn a_salesforce_flow_uses_its_existing_connection_and_compiles() {
        let imported = import("crm", &[salesforce_flow()]);
        let toml = &imported.toml;
        assert_eq!(imported.notes, Vec::<String>::new());
        assert!(
            toml.contains("[profile.my-sf-connection.salesforce]\nimport = \"my-sf.connection\""),
            "{toml}"
        );
        assert!(toml.contains("[bucket.acme-lake]\nimport = \"acme.lake\""), "{toml}");
        assert!(toml.contains("name = \"console-accounts\""), "{toml}");
        assert!(toml.contains("trigger.event = { status = \"suspended\" }"), "{toml}");
        assert!(
            toml.contains("source.salesforce = { profile = \"my-sf-connection\", object = \"Account\", data-transfer-api = \"rest-sync\", dynamic-field-update = true }"),
            "{toml}"
        );
        assert!(toml.contains("map-fields = [\"Id\"]"), "{toml}");
        assert!(
            toml.contains("key = \"1234abcd-12ab-34cd-56ef-1234567890ab\""),
            "{toml}"
        );
        assert!(
            toml.contains("[key.1234abcd-12ab-34cd-56ef-1234567890ab]\nimport = \"arn:aws:kms:"),
            "{toml}"
        );
        if let Err(report) = crate::compile_source("imported.toml", toml, &crate::CompileOptions::default()) {
            let lines: Vec<String> = report.diagnostics.iter().map(|d| d.one_line()).collect();
            panic!("{toml}\n{}", lines.join("\n"));
        }
    }

    #[test]
    fn a_connector_import_cannot_write_leaves_its_flow_out_with_a_note() {
        let mut flow = salesforce_flow();
        flow.source.connector = "Zendesk".into();
        flow.source.properties = EndpointProperties::Other;
        let imported = import("crm", &[flow]);
        assert!(!imported.toml.contains("[flow."), "{}", imported.toml);
        assert_eq!(imported.notes.len(), 1);
        assert!(
            imported.notes[0].contains("cannot write a Zendesk source"),
            "{:?}",
            imported.notes
        );
    }
}
