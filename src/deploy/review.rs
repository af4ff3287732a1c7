//! The review of a change set: a table of what it does, and whether it needs a yes.

use super::api::ResourceChange;

/// Whether a change destroys something: a removal or a (possible) replacement. Either
/// loses the resource's state (for a flow, its run history), so it needs confirmation.
pub fn is_destructive(change: &ResourceChange) -> bool {
    change.action == "Remove" || matches!(change.replacement.as_deref(), Some("True" | "Conditional"))
}

/// The name property of the types flowform always names itself (`FlowName`,
/// `ConnectorProfileName`).
fn fixed_name_property(resource_type: &str) -> Option<&'static str> {
    match resource_type {
        "AWS::AppFlow::Flow" => Some("FlowName"),
        "AWS::AppFlow::ConnectorProfile" => Some("ConnectorProfileName"),
        "AWS::CustomerProfiles::Domain" => Some("DomainName"),
        "AWS::Events::Rule" => Some("Name"),
        _ => None,
    }
}

/// Replacements CloudFormation will fail to make: it creates the replacement before it
/// deletes the old resource, so a resource with a fixed name cannot be replaced unless
/// the name changes too (AWS: "CloudFormation cannot update a stack when a custom-named
/// resource requires replacing"). One message per such change, saying what to do.
pub fn impossible_replacements(changes: &[ResourceChange]) -> Vec<String> {
    changes
        .iter()
        .filter(|change| change.action == "Modify" && change.replacement.as_deref() == Some("True"))
        .filter_map(|change| {
            let name = fixed_name_property(&change.resource_type)?;
            if change.replacing_properties.iter().any(|p| p == name) {
                return None;
            }
            let cause = if change.replacing_properties.is_empty() {
                "a property that cannot change in place".to_string()
            } else {
                change.replacing_properties.join(", ")
            };
            Some(format!(
                "{} must be replaced ({cause} cannot change in place), but CloudFormation cannot replace a resource that keeps its {name}: rename it in the same change, or remove it in one deploy and add it back in the next (a flow loses its run history either way)",
                change.logical_id
            ))
        })
        .collect()
}

/// The review table: action, logical ID, type, replacement (with the properties that
/// force it), one row per change, columns aligned.
pub fn table(changes: &[ResourceChange]) -> Vec<String> {
    let rows: Vec<[String; 4]> = changes
        .iter()
        .map(|change| {
            let replacement = match change.replacement.as_deref() {
                None | Some("") => "-".to_string(),
                Some(value) if change.replacing_properties.is_empty() => value.to_string(),
                Some(value) => format!("{value} ({})", change.replacing_properties.join(", ")),
            };
            [
                change.action.clone(),
                change.logical_id.clone(),
                change.resource_type.clone(),
                replacement,
            ]
        })
        .collect();
    let header = ["ACTION", "LOGICAL ID", "TYPE", "REPLACEMENT"].map(String::from);
    let mut widths = header.clone().map(|h| h.len());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    std::iter::once(&header)
        .chain(&rows)
        .map(|row| {
            let line = format!(
                "  {:<w0$}  {:<w1$}  {:<w2$}  {}",
                row[0],
                row[1],
                row[2],
                row[3],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2]
            );
            line.trim_end().to_string()
        })
        .collect()
}

/// Whether the old physical resource of a destructive `change` is kept in the account:
/// a removed resource by the `DeletionPolicy` it was deployed with, a replaced one by the
/// `UpdateReplacePolicy` of the new template ("UpdateReplacePolicy attribute",
/// CloudFormation template reference).
pub fn keeps_old(change: &ResourceChange, deployed: &serde_json::Value, new: &serde_json::Value) -> bool {
    let policy = if change.action == "Remove" {
        &deployed["Resources"][&change.logical_id]["DeletionPolicy"]
    } else {
        &new["Resources"][&change.logical_id]["UpdateReplacePolicy"]
    };
    matches!(policy.as_str(), Some("Retain" | "RetainExceptOnCreate" | "Snapshot"))
}

/// What happens to the data of each removed or replaced resource, one line each, and
/// whether any is deleted.
pub fn data_fate(
    changes: &[ResourceChange],
    deployed: &serde_json::Value,
    new: &serde_json::Value,
) -> (Vec<String>, bool) {
    let mut lines = Vec::new();
    let mut any_deleted = false;
    for change in changes.iter().filter(|c| is_destructive(c)) {
        let verb = if change.action == "Remove" {
            "removed"
        } else {
            "replaced"
        };
        let what = if change.resource_type == "AWS::AppFlow::Flow" {
            "its run history"
        } else {
            "its data"
        };
        let fate = if keeps_old(change, deployed, new) {
            format!("the old one is kept in the account, outside the stack, with {what}")
        } else {
            any_deleted = true;
            format!("the old one is deleted, and {what} with it")
        };
        lines.push(format!(
            "  {} ({}) is {verb}: {fate}",
            change.logical_id, change.resource_type
        ));
    }
    (lines, any_deleted)
}

/// The resources of `template` that CloudFormation's automatic import cannot adopt,
/// one line each with what to do: "The resource must have a DeletionPolicy of Retain or
/// RetainExceptOnCreate" and "a static custom name" ("Import AWS resources into a
/// CloudFormation stack automatically", CloudFormation user guide). Such a resource is
/// created as usual, and fails if one of its name exists.
pub fn not_importable(template: &serde_json::Value) -> Vec<String> {
    let named = [
        ("AWS::AppFlow::Flow", "FlowName"),
        ("AWS::AppFlow::ConnectorProfile", "ConnectorProfileName"),
        ("AWS::S3::Bucket", "BucketName"),
        ("AWS::SecretsManager::Secret", "Name"),
    ];
    let Some(resources) = template["Resources"].as_object() else {
        return Vec::new();
    };
    resources
        .iter()
        .filter_map(|(id, resource)| {
            let kind = resource["Type"].as_str()?;
            let (_, name_property) = named.iter().find(|(t, _)| *t == kind)?;
            let name = &resource["Properties"][*name_property];
            let retained = matches!(
                resource["DeletionPolicy"].as_str(),
                Some("Retain" | "RetainExceptOnCreate")
            );
            if !name.is_string() {
                None
            } else if !retained {
                Some(format!(
                    "  note: {id} ({kind}) cannot be adopted by --import-existing: it is not retained; give it `retain = true` (or the stack `retention = \"all\"`)"
                ))
            } else {
                None
            }
        })
        .collect()
}

/// The resource types whose resources grant access: IAM roles and policies, and the
/// resource policies of buckets, keys (the key policy is part of the key), secrets and
/// functions.
const GRANTING_TYPES: &[&str] = &[
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::S3::BucketPolicy",
    "AWS::KMS::Key",
    "AWS::SecretsManager::ResourcePolicy",
    "AWS::Lambda::Permission",
];

/// The changes that add or modify a resource that grants access: what
/// `--require-approval broadening` asks about (removing a grant narrows access).
pub fn broadening(changes: &[ResourceChange]) -> Vec<&ResourceChange> {
    changes
        .iter()
        .filter(|change| change.action != "Remove" && GRANTING_TYPES.contains(&change.resource_type.as_str()))
        .collect()
}

/// "removes 1 and replaces 2 resources": what makes a change set destructive.
pub fn destructive_summary(changes: &[ResourceChange]) -> String {
    let removed = changes.iter().filter(|c| c.action == "Remove").count();
    let replaced = changes
        .iter()
        .filter(|c| c.action != "Remove" && is_destructive(c))
        .count();
    let plural = |n: usize| if n == 1 { "resource" } else { "resources" };
    match (removed, replaced) {
        (0, n) => format!("replaces {n} {}", plural(n)),
        (n, 0) => format!("removes {n} {}", plural(n)),
        (r, n) => format!("removes {r} and replaces {n} {}", plural(n)),
    }
}

/// A note for each flow the change set creates with `FlowStatus: Suspended`: AppFlow's
/// create handler can start a flow but not stop one (its permissions list StartFlow, not
/// StopFlow), so a new flow declared suspended is created as a draft: it exists, is not
/// active and never runs until its status is `active` (DEPLOY-TIME.md rule 7).
pub fn suspended_new_flows(changes: &[ResourceChange], template: &serde_json::Value) -> Vec<String> {
    changes
        .iter()
        .filter(|change| change.action == "Add" && change.resource_type == "AWS::AppFlow::Flow")
        .filter(|change| template["Resources"][&change.logical_id]["Properties"]["FlowStatus"] == "Suspended")
        .map(|change| {
            format!(
                "  note: {} is new and declared suspended: AppFlow creates it as a draft (not active); it runs once its status is `active`",
                change.logical_id
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(action: &str, id: &str, replacement: Option<&str>, properties: &[&str]) -> ResourceChange {
        ResourceChange {
            action: action.into(),
            logical_id: id.into(),
            resource_type: "AWS::AppFlow::Flow".into(),
            replacement: replacement.map(String::from),
            replacing_properties: properties.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn removals_and_replacements_are_destructive() {
        assert!(is_destructive(&change("Remove", "A", None, &[])));
        assert!(is_destructive(&change("Modify", "A", Some("True"), &["FlowName"])));
        assert!(is_destructive(&change("Modify", "A", Some("Conditional"), &[])));
        assert!(!is_destructive(&change("Modify", "A", Some("False"), &[])));
        assert!(!is_destructive(&change("Add", "A", None, &[])));
    }

    #[test]
    fn fixed_name_replacements_are_impossible_unless_the_name_changes() {
        let kms = change("Modify", "AccountsFlow", Some("True"), &["KMSArn"]);
        let problems = impossible_replacements(&[kms]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("AccountsFlow must be replaced (KMSArn cannot change in place)"));
        let renamed = change("Modify", "AccountsFlow", Some("True"), &["FlowName", "KMSArn"]);
        assert!(impossible_replacements(&[renamed]).is_empty());
        let mut bucket = change("Modify", "Lake", Some("True"), &["BucketName"]);
        bucket.resource_type = "AWS::S3::Bucket".into();
        assert!(impossible_replacements(&[bucket]).is_empty());
    }

    #[test]
    fn the_table_aligns_columns_and_names_replacing_properties() {
        let lines = table(&[
            change("Add", "NewFlow", None, &[]),
            change("Modify", "AccountsFlow", Some("True"), &["FlowName"]),
        ]);
        assert_eq!(
            lines,
            [
                "  ACTION  LOGICAL ID    TYPE                REPLACEMENT",
                "  Add     NewFlow       AWS::AppFlow::Flow  -",
                "  Modify  AccountsFlow  AWS::AppFlow::Flow  True (FlowName)",
            ]
        );
        let summary = destructive_summary(&[
            change("Remove", "A", None, &[]),
            change("Modify", "B", Some("True"), &[]),
            change("Modify", "C", Some("True"), &[]),
        ]);
        assert_eq!(summary, "removes 1 and replaces 2 resources");
    }
}
