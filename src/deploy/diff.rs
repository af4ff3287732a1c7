//! `flowform diff`: a structural diff of two templates, per resource and per property.
//!
//! Both sides are JSON values: the synthesized template and the deployed one
//! (`GetTemplate`). Resources are matched by logical ID; within a resource every leaf
//! that differs is listed with its path. A change to a property CloudFormation cannot
//! update in place (the resource schema's `createOnlyProperties`) or to the type is
//! called out as a replacement: it deletes and recreates the resource, and for a flow
//! that loses its run history.

use serde_json::{Map, Value};

/// The properties whose change replaces the resource, per type: the
/// `createOnlyProperties` of the CloudFormation resource schemas (the AppFlow ones are
/// checked against `schema/cloudformation/` by a test).
pub const REPLACING_PROPERTIES: &[(&str, &[&str])] = &[
    ("AWS::AppFlow::Connector", &["ConnectorLabel"]),
    (
        "AWS::AppFlow::ConnectorProfile",
        &["ConnectorProfileName", "ConnectorType", "ConnectorLabel"],
    ),
    ("AWS::AppFlow::Flow", &["FlowName", "KMSArn"]),
    ("AWS::CloudWatch::Alarm", &["AlarmName"]),
    ("AWS::CustomerProfiles::Domain", &["DomainName"]),
    ("AWS::CustomerProfiles::Integration", &["DomainName", "Uri"]),
    ("AWS::CustomerProfiles::ObjectType", &["DomainName", "ObjectTypeName"]),
    ("AWS::Events::Rule", &["Name"]),
    ("AWS::Glue::Database", &["CatalogId", "DatabaseName"]),
    ("AWS::IAM::Role", &["Path", "RoleName"]),
    ("AWS::KMS::Key", &[]),
    (
        "AWS::Lambda::Permission",
        &[
            "Action",
            "EventSourceToken",
            "FunctionName",
            "FunctionUrlAuthType",
            "InvokedViaFunctionUrl",
            "Principal",
            "PrincipalOrgID",
            "SourceAccount",
            "SourceArn",
        ],
    ),
    ("AWS::S3::Bucket", &["BucketName", "ObjectLockEnabled"]),
    ("AWS::SNS::Topic", &["TopicName", "FifoTopic"]),
    ("AWS::SQS::Queue", &["FifoQueue", "QueueName"]),
    ("AWS::S3::BucketPolicy", &["Bucket"]),
    ("AWS::SecretsManager::ResourcePolicy", &["SecretId"]),
    ("AWS::SecretsManager::Secret", &["Name"]),
];

/// What happened to one entry (a resource, parameter or output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Only in the new template.
    Added,
    /// Only in the deployed template.
    Removed,
    /// In both, different at these leaves.
    Modified(Vec<Leaf>),
}

/// One differing leaf: its path inside the entry, old and new value (`None` = absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    /// `Properties.TriggerConfig.TriggerProperties.ScheduleExpression`, `Tasks[2]`.
    pub path: String,
    /// The deployed value.
    pub old: Option<Value>,
    /// The new value.
    pub new: Option<Value>,
}

/// One differing entry of a template section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `Resources`, `Parameters`, `Outputs` or another top-level section.
    pub section: String,
    /// The logical ID or name.
    pub name: String,
    /// The resource type, for resources.
    pub resource_type: Option<String>,
    /// What changed.
    pub change: Change,
    /// For a modified resource: the properties (or `Type`) whose change replaces it.
    pub replaced_by: Vec<String>,
}

/// Every difference between the `deployed` and the `new` template.
pub fn diff_templates(deployed: &Value, new: &Value) -> Vec<Entry> {
    let empty = Map::new();
    let as_map = |v: &Value, key: &str| -> Map<String, Value> {
        v.get(key).and_then(Value::as_object).cloned().unwrap_or_default()
    };
    let mut entries = Vec::new();
    let sections = ["Parameters", "Resources", "Outputs"];
    for section in sections {
        let (old, new) = (as_map(deployed, section), as_map(new, section));
        for (name, new_value) in &new {
            let resource_type = type_of(new_value);
            match old.get(name) {
                None => entries.push(Entry {
                    section: section.into(),
                    name: name.clone(),
                    resource_type: (section == "Resources").then_some(resource_type).flatten(),
                    change: Change::Added,
                    replaced_by: Vec::new(),
                }),
                Some(old_value) if old_value != new_value => {
                    let mut leaves = Vec::new();
                    leaf_diff(String::new(), Some(old_value), Some(new_value), &mut leaves);
                    let replaced_by = if section == "Resources" {
                        replacing(old_value, new_value, &leaves)
                    } else {
                        Vec::new()
                    };
                    entries.push(Entry {
                        section: section.into(),
                        name: name.clone(),
                        resource_type: (section == "Resources").then_some(resource_type).flatten(),
                        change: Change::Modified(leaves),
                        replaced_by,
                    });
                }
                Some(_) => {}
            }
        }
        for (name, old_value) in &old {
            if !new.contains_key(name) {
                entries.push(Entry {
                    section: section.into(),
                    name: name.clone(),
                    resource_type: (section == "Resources").then(|| type_of(old_value)).flatten(),
                    change: Change::Removed,
                    replaced_by: Vec::new(),
                });
            }
        }
    }
    // Any other top-level section (Description, Metadata, ...) as a whole.
    let (old_top, new_top) = (
        deployed.as_object().unwrap_or(&empty),
        new.as_object().unwrap_or(&empty),
    );
    let mut others: Vec<&String> = old_top.keys().chain(new_top.keys()).collect();
    others.sort();
    others.dedup();
    for key in others {
        if sections.contains(&key.as_str()) || old_top.get(key) == new_top.get(key) {
            continue;
        }
        let mut leaves = Vec::new();
        leaf_diff(String::new(), old_top.get(key), new_top.get(key), &mut leaves);
        entries.push(Entry {
            section: key.clone(),
            name: String::new(),
            resource_type: None,
            change: Change::Modified(leaves),
            replaced_by: Vec::new(),
        });
    }
    entries
}

fn type_of(resource: &Value) -> Option<String> {
    resource.get("Type").and_then(Value::as_str).map(str::to_string)
}

/// The leaves of a resource diff that force a replacement.
fn replacing(old: &Value, new: &Value, leaves: &[Leaf]) -> Vec<String> {
    if type_of(old) != type_of(new) {
        return vec!["Type".into()];
    }
    let kind = type_of(new).unwrap_or_default();
    let Some((_, properties)) = REPLACING_PROPERTIES.iter().find(|(t, _)| *t == kind) else {
        return Vec::new();
    };
    let mut found: Vec<String> = leaves
        .iter()
        .filter_map(|leaf| {
            let rest = leaf.path.strip_prefix("Properties.")?;
            let property = rest.split(['.', '[']).next()?;
            properties.contains(&property).then(|| property.to_string())
        })
        .collect();
    found.dedup();
    found
}

/// Collects the differing leaves under `path`.
fn leaf_diff(path: String, old: Option<&Value>, new: Option<&Value>, leaves: &mut Vec<Leaf>) {
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            for (key, value) in b {
                leaf_diff(join(&path, key), a.get(key), Some(value), leaves);
            }
            for (key, value) in a {
                if !b.contains_key(key) {
                    leaf_diff(join(&path, key), Some(value), None, leaves);
                }
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => list_diff(&path, a, b, leaves),
        (a, b) if a != b => leaves.push(Leaf {
            path,
            old: a.cloned(),
            new: b.cloned(),
        }),
        _ => {}
    }
}

/// What identifies an element of a template list, when it has such a thing: a task by
/// its type, source fields and destination field (`Map Phone → phone`), a policy statement
/// by its `Sid`, a tag by its `Key`, a destination by its connector type.
fn element_key(value: &Value) -> Option<String> {
    let object = value.as_object()?;
    if let Some(task_type) = object.get("TaskType").and_then(Value::as_str) {
        let sources: Vec<String> = object
            .get("SourceFields")
            .and_then(Value::as_array)
            .map(|fields| {
                fields
                    .iter()
                    .map(|f| f.as_str().map_or_else(|| f.to_string(), str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let mut key = format!("{task_type} {}", sources.join(", "));
        if let Some(destination) = object.get("DestinationField").and_then(Value::as_str) {
            key.push_str(&format!(" → {destination}"));
        }
        return Some(key.trim_end().to_string());
    }
    ["Sid", "Key", "ConnectorType"]
        .iter()
        .find_map(|field| object.get(*field).and_then(Value::as_str))
        .map(str::to_string)
}

/// The differences of two lists under `path`. Elements with an identity
/// ([`element_key`]) are matched by it, so a task added, removed or changed shows as that
/// task (`Tasks[Map Phone → phone]`) wherever it sits; other lists of one length are
/// compared element by element, and of different lengths by their longest common
/// subsequence, so one insertion is one `+`, not a change to every later element.
fn list_diff(path: &str, old: &[Value], new: &[Value], leaves: &mut Vec<Leaf>) {
    let keyed = |list: &[Value]| -> Option<Vec<String>> {
        let keys: Option<Vec<String>> = list.iter().map(element_key).collect();
        keys.filter(|keys| {
            let mut unique = keys.clone();
            unique.sort();
            unique.dedup();
            unique.len() == keys.len()
        })
    };
    if let (Some(old_keys), Some(new_keys)) = (keyed(old), keyed(new)) {
        for (key, value) in new_keys.iter().zip(new) {
            let before = old_keys.iter().position(|k| k == key).map(|i| &old[i]);
            leaf_diff(format!("{path}[{key}]"), before, Some(value), leaves);
        }
        for (key, value) in old_keys.iter().zip(old) {
            if !new_keys.contains(key) {
                leaf_diff(format!("{path}[{key}]"), Some(value), None, leaves);
            }
        }
        return;
    }
    if old.len() == new.len() {
        for (index, (x, y)) in old.iter().zip(new).enumerate() {
            leaf_diff(format!("{path}[{index}]"), Some(x), Some(y), leaves);
        }
        return;
    }
    // Longest common subsequence of equal elements (lists in templates are short).
    let (n, m) = (old.len(), new.len());
    let mut lengths = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lengths[i][j] = if old[i] == new[j] {
                lengths[i + 1][j + 1] + 1
            } else {
                lengths[i + 1][j].max(lengths[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            i += 1;
            j += 1;
        } else if j < m && (i == n || lengths[i][j + 1] >= lengths[i + 1][j]) {
            leaves.push(Leaf {
                path: format!("{path}[{j}]"),
                old: None,
                new: Some(new[j].clone()),
            });
            j += 1;
        } else {
            leaves.push(Leaf {
                path: format!("{path}[{i}]"),
                old: Some(old[i].clone()),
                new: None,
            });
            i += 1;
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The diff as JSON, for programs: one object per entry with its section, name, type,
/// change (`added`, `removed`, `modified`), the properties that force a replacement and,
/// for a modification, each differing leaf with its old and new value (`null`: absent).
pub fn to_json(entries: &[Entry]) -> Value {
    entries
        .iter()
        .map(|entry| {
            let (change, leaves) = match &entry.change {
                Change::Added => ("added", Vec::new()),
                Change::Removed => ("removed", Vec::new()),
                Change::Modified(leaves) => (
                    "modified",
                    leaves
                        .iter()
                        .map(|leaf| serde_json::json!({"path": leaf.path, "old": leaf.old, "new": leaf.new}))
                        .collect(),
                ),
            };
            serde_json::json!({
                "section": entry.section,
                "name": entry.name,
                "type": entry.resource_type,
                "change": change,
                "replaced_by": entry.replaced_by,
                "leaves": leaves,
            })
        })
        .collect()
}

/// A value on one line, cut to a readable length.
fn show(value: &Value) -> String {
    const LIMIT: usize = 100;
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        text
    } else {
        format!("{}…", text.chars().take(LIMIT).collect::<String>())
    }
}

/// The diff as lines: `[+]` added, `[-]` removed, `[~]` modified, with each modified
/// leaf below its entry and replacements called out.
pub fn render(entries: &[Entry]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut section = "";
    for entry in entries {
        if entry.section != section {
            section = &entry.section;
            lines.push(format!("  {section}"));
        }
        let kind = entry
            .resource_type
            .as_deref()
            .map(|t| format!("{t} "))
            .unwrap_or_default();
        let (mark, suffix) = match &entry.change {
            Change::Added => ("[+]", String::new()),
            Change::Removed => (
                "[-]",
                if entry.section == "Resources" {
                    " (deleted)".into()
                } else {
                    String::new()
                },
            ),
            Change::Modified(_) if !entry.replaced_by.is_empty() => (
                "[~]",
                format!(
                    " (REPLACEMENT: {} cannot change in place)",
                    entry.replaced_by.join(", ")
                ),
            ),
            Change::Modified(_) => ("[~]", String::new()),
        };
        lines.push(
            format!("    {mark} {kind}{}{suffix}", entry.name)
                .trim_end()
                .to_string(),
        );
        if let Change::Modified(leaves) = &entry.change {
            for leaf in leaves {
                let path = if leaf.path.is_empty() { "(value)" } else { &leaf.path };
                lines.push(match (&leaf.old, &leaf.new) {
                    (None, Some(new)) => format!("        + {path}: {}", show(new)),
                    (Some(old), None) => format!("        - {path}: {}", show(old)),
                    (Some(old), Some(new)) => format!("        ~ {path}: {} → {}", show(old), show(new)),
                    (None, None) => continue,
                });
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flow(name: &str, schedule: &str) -> Value {
        json!({"Type": "AWS::AppFlow::Flow", "Properties": {
            "FlowName": name,
            "TriggerConfig": {"TriggerType": "Scheduled", "TriggerProperties": {"ScheduleExpression": schedule}},
            "Tasks": [{"TaskType": "Map_all"}]
        }})
    }

    #[test]
    fn the_appflow_replacing_properties_are_the_schemas_create_only_properties() {
        for (resource_type, file) in [
            ("AWS::AppFlow::Flow", "aws-appflow-flow.json"),
            ("AWS::AppFlow::ConnectorProfile", "aws-appflow-connectorprofile.json"),
            ("AWS::CustomerProfiles::Domain", "aws-customerprofiles-domain.json"),
            (
                "AWS::CustomerProfiles::Integration",
                "aws-customerprofiles-integration.json",
            ),
            ("AWS::Events::Rule", "aws-events-rule.json"),
            ("AWS::SNS::Topic", "aws-sns-topic.json"),
            ("AWS::SQS::Queue", "aws-sqs-queue.json"),
            ("AWS::CloudWatch::Alarm", "aws-cloudwatch-alarm.json"),
        ] {
            let path = format!("{}/schema/cloudformation/{file}", env!("CARGO_MANIFEST_DIR"));
            let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            let create_only: Vec<&str> = schema["createOnlyProperties"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().trim_start_matches("/properties/"))
                .collect();
            let listed = REPLACING_PROPERTIES
                .iter()
                .find(|(t, _)| *t == resource_type)
                .unwrap()
                .1;
            assert_eq!(listed, create_only.as_slice(), "{resource_type}");
        }
    }

    #[test]
    fn identical_templates_have_no_diff() {
        let template = json!({"Resources": {"F": flow("f", "rate(1hours)")}});
        assert!(diff_templates(&template, &template).is_empty());
    }

    #[test]
    fn modified_properties_are_listed_by_path() {
        let old = json!({"Resources": {"F": flow("f", "rate(1hours)")}});
        let new = json!({"Resources": {"F": flow("f", "rate(2hours)")}});
        let entries = diff_templates(&old, &new);
        assert_eq!(entries.len(), 1);
        assert!(entries[0].replaced_by.is_empty());
        assert_eq!(
            render(&entries),
            [
                "  Resources",
                "    [~] AWS::AppFlow::Flow F",
                "        ~ Properties.TriggerConfig.TriggerProperties.ScheduleExpression: \"rate(1hours)\" → \"rate(2hours)\"",
            ]
        );
    }

    #[test]
    fn create_only_properties_are_called_replacements() {
        let old = json!({"Resources": {"F": flow("f", "rate(1hours)"), "Gone": {"Type": "AWS::S3::Bucket"}}});
        let new = json!({"Resources": {"F": flow("g", "rate(1hours)"), "New": {"Type": "AWS::KMS::Key"}},
                         "Outputs": {"O": {"Value": "x"}}});
        let entries = diff_templates(&old, &new);
        let lines = render(&entries);
        assert_eq!(
            lines,
            [
                "  Resources",
                "    [~] AWS::AppFlow::Flow F (REPLACEMENT: FlowName cannot change in place)",
                "        ~ Properties.FlowName: \"f\" → \"g\"",
                "    [+] AWS::KMS::Key New",
                "    [-] AWS::S3::Bucket Gone (deleted)",
                "  Outputs",
                "    [+] O",
            ]
        );
    }

    fn with_tasks(tasks: Value) -> Value {
        let mut changed = flow("f", "rate(1hours)");
        changed["Properties"]["Tasks"] = tasks;
        json!({"Resources": {"F": changed}})
    }

    fn task(task_type: &str, source: &str, destination: &str, value: &str) -> Value {
        json!({"TaskType": task_type, "SourceFields": [source], "DestinationField": destination,
               "TaskProperties": [{"Key": "VALUE", "Value": value}]})
    }

    #[test]
    fn a_task_added_removed_or_changed_is_shown_as_that_task() {
        let old = with_tasks(json!([
            task("Map", "Id", "id", "a"),
            task("Map", "Phone", "phone", "a"),
            task("Mask", "Phone", "phone", "*")
        ]));
        let new = with_tasks(json!([
            task("Map", "Name", "name", "a"),
            task("Map", "Id", "id", "a"),
            task("Mask", "Phone", "phone", "#")
        ]));
        let entries = diff_templates(&old, &new);
        let lines = render(&entries);
        let heads: Vec<&str> = lines[2..].iter().map(|line| line.split(": ").next().unwrap()).collect();
        assert_eq!(
            heads,
            [
                "        + Properties.Tasks[Map Name → name]",
                "        ~ Properties.Tasks[Mask Phone → phone].TaskProperties[VALUE].Value",
                "        - Properties.Tasks[Map Phone → phone]",
            ],
            "{lines:#?}"
        );
        assert!(lines[3].ends_with("\"*\" → \"#\""), "{lines:#?}");
    }

    #[test]
    fn lists_without_identities_are_aligned_so_one_insertion_is_one_line() {
        let old = json!({"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"L": ["a", "b", "c"]}}}});
        let new = json!({"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"L": ["a", "x", "b", "c"]}}}});
        let Change::Modified(leaves) = &diff_templates(&old, &new)[0].change else {
            panic!("expected a modification");
        };
        assert_eq!(leaves.len(), 1, "{leaves:?}");
        assert_eq!(leaves[0].path, "Properties.L[1]");
        assert_eq!(leaves[0].new, Some(json!("x")));
        assert_eq!(leaves[0].old, None);
    }
}
