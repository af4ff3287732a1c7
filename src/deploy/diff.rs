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
    ("AWS::CustomerProfiles::Domain", &["DomainName"]),
    ("AWS::CustomerProfiles::Integration", &["DomainName", "Uri"]),
    ("AWS::CustomerProfiles::ObjectType", &["DomainName", "ObjectTypeName"]),
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
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                leaf_diff(format!("{path}[{index}]"), Some(x), Some(y), leaves);
            }
        }
        (a, b) if a != b => leaves.push(Leaf {
            path,
            old: a.cloned(),
            new: b.cloned(),
        }),
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
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

    #[test]
    fn arrays_of_another_length_change_as_a_whole() {
        let mut changed = flow("f", "rate(1hours)");
        changed["Properties"]["Tasks"] = json!([{"TaskType": "Map_all"}, {"TaskType": "Filter"}]);
        let entries = diff_templates(
            &json!({"Resources": {"F": flow("f", "rate(1hours)")}}),
            &json!({"Resources": {"F": changed}}),
        );
        let Change::Modified(leaves) = &entries[0].change else {
            panic!("expected a modification");
        };
        assert_eq!(leaves.len(), 1);
        assert_eq!(leaves[0].path, "Properties.Tasks");
    }
}
