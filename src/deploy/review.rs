//! The review of a change set: a table of what it does, and whether it needs a yes.

use super::api::ResourceChange;

/// Whether a change destroys something: a removal or a (possible) replacement. Either
/// loses the resource's state (for a flow, its run history), so it needs confirmation.
pub fn is_destructive(change: &ResourceChange) -> bool {
    change.action == "Remove" || matches!(change.replacement.as_deref(), Some("True" | "Conditional"))
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

/// "removes 1 and replaces 2 resources": what makes a change set destructive.
pub fn destructive_summary(changes: &[ResourceChange]) -> String {
    let removed = changes.iter().filter(|c| c.action == "Remove").count();
    let replaced = changes.iter().filter(|c| c.action != "Remove" && is_destructive(c)).count();
    let plural = |n: usize| if n == 1 { "resource" } else { "resources" };
    match (removed, replaced) {
        (0, n) => format!("replaces {n} {}", plural(n)),
        (n, 0) => format!("removes {n} {}", plural(n)),
        (r, n) => format!("removes {r} and replaces {n} {}", plural(n)),
    }
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
