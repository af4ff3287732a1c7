//! `flowform import`: flows that exist in an account (made in the console, by the CDK, by
//! raw CloudFormation) → the flowform TOML that deploys the same flows.
//!
//! It reads `DescribeFlow`'s answer as the API sends it (JSON, the API reference's member
//! names) and writes: every bucket a flow reads or writes as an imported `[bucket.*]`,
//! every connector profile as an imported `[profile.*]` (the existing connection, its
//! credentials staying where they are: nothing secret is ever fetched or written), a
//! flow's key as an imported `[key.*]`, and each flow with its trigger, source,
//! destination and tasks in flowform's vocabulary (`map-all`, `map-fields`, `map`,
//! `concat`, `arithmetic`, `mask`, `truncate`, `filter`, `validate`). A source's or
//! destination's own table is written by its connector's module
//! (`crate::connectors::import`). The stack keeps what it adopts (`retention = "all"`,
//! which CloudFormation's import requires), and a flow keeps its physical name, so
//! `flowform deploy --import-existing` adopts it instead of recreating it (a recreated
//! flow loses its run history).
//!
//! What it cannot express is a note: a connector whose import is not written yet (the
//! flow is left out, with what to write by hand), a task of another kind (left out of its
//! flow). AppFlow's automatic `PROJECTION` filter is not a task of the file: flowform
//! writes it again from the mappings.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::Timestamp;
use serde_json::Value;

use crate::connectors::import::{API_VERSION, ImportContext, Side, quoted, quoted_list, text};
use crate::model::names;

/// The TOML of the imported flows, and a note for everything left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The flow file.
    pub toml: String,
    /// What could not be expressed, one line each.
    pub notes: Vec<String>,
    /// How many flows it holds.
    pub flows: usize,
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
    if name.is_empty() {
        return "imported".into();
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        name.replace_range(..1, "x");
    }
    name
}

/// An API timestamp (epoch seconds, as restJson1 sends them) as a TOML datetime.
fn datetime(value: &Value) -> Option<String> {
    let seconds = value.as_f64()?;
    let time = Timestamp::from_millisecond((seconds * 1000.0).round() as i64).ok()?;
    Some(time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// The existing resources the imported flows use, by their names in the file.
#[derive(Default)]
struct Used {
    /// Bucket name in the file → bucket.
    buckets: BTreeMap<String, String>,
    /// Profile name in the file → (connector key, profile).
    profiles: BTreeMap<String, (&'static str, String)>,
    /// Key name in the file → key ARN.
    keys: BTreeMap<String, String>,
}

impl ImportContext for Used {
    fn bucket(&mut self, bucket: &str) -> String {
        let name = item_name(bucket);
        self.buckets.insert(name.clone(), bucket.to_owned());
        name
    }

    fn profile(&mut self, profile: &str, key: &'static str) -> String {
        let name = item_name(profile);
        self.profiles.insert(name.clone(), (key, profile.to_owned()));
        name
    }
}

/// The flowform file of `flows` (`DescribeFlow` answers), for stack `stack`.
pub fn import(stack: &str, flows: &[Value]) -> Imported {
    let mut notes = Vec::new();
    let mut used = Used::default();
    let bodies: Vec<String> = flows
        .iter()
        .filter_map(|flow| flow_table(stack, flow, &mut used, &mut notes))
        .collect();
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
    let count = bodies.len();
    for body in bodies {
        toml.push('\n');
        toml.push_str(&body);
    }
    Imported {
        toml,
        notes,
        flows: count,
    }
}

/// The note for a flow left out for its `side`'s connector.
fn left_out(name: &str, side: &str, connector: &str) -> String {
    format!(
        "flow {name}: flowform import cannot write {connector} {side}s yet (left out); write its `{side}.<connector>` table by hand, as the README's connector sections show"
    )
}

/// The `[flow.*]` table of `flow`, recording the buckets, profiles and keys it uses; `None`
/// (and a note) when its source or destination is one `import` cannot write.
fn flow_table(stack: &str, flow: &Value, used: &mut Used, notes: &mut Vec<String>) -> Option<String> {
    let name = text(flow, "flowName").unwrap_or_default().to_owned();
    let destinations = flow["destinationFlowConfigList"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let [destination] = destinations.as_slice() else {
        notes.push(format!(
            "flow {name}: {} destinations; flowform flows have one (left out)",
            destinations.len()
        ));
        return None;
    };
    let source = &flow["sourceFlowConfig"];
    let source_type = text(source, "connectorType").unwrap_or_default();
    let mut source_properties = source["sourceConnectorProperties"].clone();
    if let (Some(version), Some(map)) = (text(source, "apiVersion"), source_properties.as_object_mut()) {
        map.insert(API_VERSION.into(), Value::String(version.to_owned()));
    }
    let Some(source_table) = crate::connectors::import_endpoint(
        Side::Source,
        source_type,
        &source_properties,
        text(source, "connectorProfileName"),
        used,
    ) else {
        notes.push(left_out(&name, "source", source_type));
        return None;
    };
    let destination_type = text(destination, "connectorType").unwrap_or_default();
    let Some(destination_table) = crate::connectors::import_endpoint(
        Side::Destination,
        destination_type,
        &destination["destinationConnectorProperties"],
        text(destination, "connectorProfileName"),
        used,
    ) else {
        notes.push(left_out(&name, "destination", destination_type));
        return None;
    };
    let short = name.strip_prefix(&format!("{stack}-"));
    let table = item_name(short.unwrap_or(&name));
    let mut body = format!("[flow.{table}]\n");
    if names::physical_name(stack, &table) != name {
        let _ = writeln!(body, "name = {}", quoted(&name));
    }
    if let Some(description) = text(flow, "description").filter(|d| !d.is_empty()) {
        let _ = writeln!(body, "description = {}", quoted(description));
    }
    if let Some(arn) = text(flow, "kmsArn") {
        // Named after the key's ID (`key/<id>`), shared by the flows that use it.
        let key = item_name(arn.rsplit('/').next().unwrap_or(arn));
        used.keys.insert(key.clone(), arn.to_owned());
        let _ = writeln!(body, "key = {}", quoted(&key));
    }
    if let Some(trigger) = trigger(flow) {
        let _ = writeln!(body, "trigger.{trigger}");
    }
    let _ = writeln!(body, "source.{source_table}");
    let _ = writeln!(body, "destination.{destination_table}");
    let tasks = flow["tasks"].as_array().cloned().unwrap_or_default();
    write_tasks(&name, &tasks, &mut body, notes);
    if let Some(tags) = flow["tags"].as_object().filter(|tags| !tags.is_empty()) {
        let tags: Vec<String> = tags
            .iter()
            .map(|(k, v)| format!("{} = {}", quoted(k), quoted(v.as_str().unwrap_or_default())))
            .collect();
        let _ = writeln!(body, "tags = {{ {} }}", tags.join(", "));
    }
    Some(body)
}

/// A flow status as the file writes it.
fn status(status: &str) -> &'static str {
    match status {
        "Suspended" => "suspended",
        "Draft" => "draft",
        _ => "active",
    }
}

/// The `trigger.<kind> = {...}` line's right part; `None` for on-demand flows (the default).
fn trigger(flow: &Value) -> Option<String> {
    let config = &flow["triggerConfig"];
    let flow_status = status(text(flow, "flowStatus").unwrap_or("Active"));
    match text(config, "triggerType")? {
        "Scheduled" => {
            let scheduled = &config["triggerProperties"]["Scheduled"];
            let mut keys = vec![format!(
                "expression = {}",
                quoted(text(scheduled, "scheduleExpression").unwrap_or_default())
            )];
            if text(scheduled, "dataPullMode") == Some("Incremental") {
                keys.push("pull = \"incremental\"".into());
                let field = &flow["sourceFlowConfig"]["incrementalPullConfig"];
                if let Some(field) = text(field, "datetimeTypeFieldName") {
                    keys.push(format!("timestamp-field = {}", quoted(field)));
                }
            }
            for (member, key) in [
                ("scheduleStartTime", "start"),
                ("scheduleEndTime", "end"),
                ("firstExecutionFrom", "first-execution-from"),
            ] {
                if let Some(time) = datetime(&scheduled[member]) {
                    keys.push(format!("{key} = {time}"));
                }
            }
            if let Some(zone) = text(scheduled, "timezone") {
                keys.push(format!("time-zone = {}", quoted(zone)));
            }
            if let Some(offset) = scheduled["scheduleOffset"].as_i64().filter(|offset| *offset > 0) {
                keys.push(format!("offset = {offset}"));
            }
            if let Some(threshold) = scheduled["flowErrorDeactivationThreshold"].as_i64() {
                keys.push(format!("error-deactivation-threshold = {threshold}"));
            }
            keys.push(format!("status = {}", quoted(flow_status)));
            Some(format!("schedule = {{ {} }}", keys.join(", ")))
        }
        "Event" => Some(format!("event = {{ status = {} }}", quoted(flow_status))),
        _ => None,
    }
}

/// One task, read from its API form.
struct Task<'a> {
    kind: &'a str,
    fields: Vec<String>,
    operator: &'a str,
    destination: Option<&'a str>,
    properties: &'a Value,
}

impl<'a> Task<'a> {
    fn of(value: &'a Value) -> Task<'a> {
        Task {
            kind: text(value, "taskType").unwrap_or_default(),
            fields: value["sourceFields"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f.as_str().map(str::to_owned))
                .collect(),
            // `connectorOperator` holds one member, named for the source connector.
            operator: value["connectorOperator"]
                .as_object()
                .and_then(|operator| operator.values().next())
                .and_then(Value::as_str)
                .unwrap_or("NO_OP"),
            destination: text(value, "destinationField"),
            properties: &value["taskProperties"],
        }
    }

    fn property(&self, key: &str) -> Option<String> {
        text(self.properties, key).map(str::to_owned)
    }

    fn field(&self) -> String {
        self.fields.first().cloned().unwrap_or_default()
    }
}

/// The flow's tasks in flowform's vocabulary, written to `body`.
fn write_tasks(flow: &str, tasks: &[Value], body: &mut String, notes: &mut Vec<String>) {
    let tasks: Vec<Task> = tasks.iter().map(Task::of).collect();
    let mut lists: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut map_fields = Vec::new();
    let mut map_all = None;
    // The `Map` that moves a concat's or an arithmetic's value into place.
    let computed = |field: &str| {
        tasks
            .iter()
            .find(|t| t.kind == "Map" && t.fields.first().map(String::as_str) == Some(field))
    };
    for task in &tasks {
        let field = task.field();
        let operator = task.operator;
        match task.kind {
            "Filter" if operator == "PROJECTION" => {}
            "Map_all" => {
                let exclude: Vec<String> = task
                    .property("EXCLUDE_SOURCE_FIELDS_LIST")
                    .and_then(|list| serde_json::from_str(&list).ok())
                    .unwrap_or_default();
                map_all = Some(if exclude.is_empty() {
                    "{}".to_owned()
                } else {
                    format!("{{ exclude = {} }}", quoted_list(&exclude))
                });
            }
            // Written with its concat or arithmetic.
            "Map"
                if tasks
                    .iter()
                    .any(|t| t.kind != "Map" && t.destination == Some(field.as_str())) => {}
            "Map" => {
                let to = task.destination.map(str::to_owned).unwrap_or_else(|| field.clone());
                let (from_type, to_type) = (
                    task.property("SOURCE_DATA_TYPE"),
                    task.property("DESTINATION_DATA_TYPE"),
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
                let combined = task.destination.unwrap_or_default();
                let Some(map) = computed(combined) else {
                    notes.push(format!("flow {flow}: a {} task without its Map (left out)", task.kind));
                    continue;
                };
                let mut keys = Vec::new();
                if task.kind == "Merge" {
                    keys.push(format!("from = {}", quoted_list(&task.fields)));
                    let format = task.property("CONCAT_FORMAT").unwrap_or_default();
                    keys.push(format!("format = {}", quoted(&format)));
                } else {
                    let op = match operator {
                        "ADDITION" => "add",
                        "SUBTRACTION" => "subtract",
                        "MULTIPLICATION" => "multiply",
                        _ => "divide",
                    };
                    let right = task.fields.get(1).cloned().unwrap_or_default();
                    keys.push(format!(
                        "op = {}, left = {}, right = {}",
                        quoted(op),
                        quoted(&field),
                        quoted(&right)
                    ));
                }
                keys.push(format!("to = {}", quoted(map.destination.unwrap_or_default())));
                // flowform requires the computed value's type.
                let to_type = map.property("DESTINATION_DATA_TYPE").unwrap_or_else(|| "string".into());
                keys.push(format!("to-type = {}", quoted(&to_type)));
                let list = if task.kind == "Merge" { "concat" } else { "arithmetic" };
                lists
                    .entry(list)
                    .or_default()
                    .push(format!("{{ {} }}", keys.join(", ")));
            }
            "Mask" => {
                let length = task.property("MASK_LENGTH").unwrap_or_default();
                let mut keys = vec![format!("field = {}", quoted(&field))];
                match operator {
                    "MASK_FIRST_N" => keys.push(format!("first = {length}")),
                    "MASK_LAST_N" => keys.push(format!("last = {length}")),
                    _ => {}
                }
                if let Some(mask) = task.property("MASK_VALUE") {
                    keys.push(format!("char = {}", quoted(&mask)));
                }
                lists
                    .entry("mask")
                    .or_default()
                    .push(format!("{{ {} }}", keys.join(", ")));
            }
            "Truncate" => {
                let length = task.property("TRUNCATE_LENGTH").unwrap_or_default();
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
                let action = match task.property("VALIDATION_ACTION").as_deref() {
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
                    "flow {flow}: its {operator} filter on `{field}` is not one flowform writes (left out)"
                )),
            },
            other => notes.push(format!(
                "flow {flow}: a {other} task on `{field}` is not one flowform writes (left out)"
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
fn filter(task: &Task, field: &str, operator: &str) -> Option<String> {
    let data_type = task.property("DATA_TYPE").unwrap_or_else(|| "string".into());
    let kind = match data_type.as_str() {
        "string" | "boolean" | "datetime" => data_type.clone(),
        _ => "number".into(),
    };
    let value = |text: &str| -> Option<String> {
        Some(match kind.as_str() {
            "string" => quoted(text),
            "boolean" => text.parse::<bool>().ok()?.to_string(),
            "datetime" => datetime(&Value::from(text.parse::<f64>().ok()? / 1000.0))?,
            _ if text.parse::<i64>().is_ok() => text.to_owned(),
            _ => text.parse::<f64>().ok()?.to_string(),
        })
    };
    let (op, written) = match (operator, task.property("VALUES")) {
        ("EQUAL_TO" | "NOT_EQUAL_TO", Some(values)) => {
            let items: Option<Vec<String>> = values.split(',').map(value).collect();
            let op = if operator == "EQUAL_TO" { "in" } else { "not-in" };
            (op, format!("[{}]", items?.join(", ")))
        }
        ("BETWEEN", _) => {
            let lower = value(&task.property("LOWER_BOUND")?)?;
            let upper = value(&task.property("UPPER_BOUND")?)?;
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
            (op, value(&task.property("VALUE")?)?)
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
