//! The table a rollout ends with: one row per target deployment and stack, with how it
//! ended and its outputs, then each failure's message in full.

use crate::deploy::api::StackOutput;

/// How one stack of one deployment ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The stack was created.
    Created,
    /// The stack was updated.
    Updated,
    /// Nothing to change.
    Unchanged,
    /// `--no-execute`: the change set is ready for review.
    Prepared,
    /// `diff`: the deploy would create the stack.
    New,
    /// `diff`: the deploy would make this many changes (0: none).
    Differences(usize),
    /// `destroy`: deleted.
    Deleted,
    /// `destroy`: there was nothing to delete.
    Absent,
    /// It failed (the message is the row's note).
    Failed,
    /// Ctrl-C stopped it while it ran (CloudFormation may carry on).
    Interrupted,
    /// Not started: an earlier stack of the deployment failed, or Ctrl-C came first.
    NotStarted,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl Outcome {
    fn text(&self) -> String {
        match self {
            Outcome::Created => "created".into(),
            Outcome::Updated => "updated".into(),
            Outcome::Unchanged => "unchanged".into(),
            Outcome::Prepared => "change set ready".into(),
            Outcome::New => "new".into(),
            Outcome::Differences(0) => "no differences".into(),
            Outcome::Differences(1) => "1 difference".into(),
            Outcome::Differences(n) => format!("{n} differences"),
            Outcome::Deleted => "deleted".into(),
            Outcome::Absent => "absent".into(),
            Outcome::Failed => "FAILED".into(),
            Outcome::Interrupted => "interrupted".into(),
            Outcome::NotStarted => "not started".into(),
        }
    }
}

/// One stack of one deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The target's name.
    pub target: String,
    /// The deployment (`acme/us-east-1`).
    pub label: String,
    /// Its account.
    pub account: String,
    /// Its region.
    pub region: String,
    /// The stack.
    pub stack: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Its outputs (after a deploy).
    pub outputs: Vec<StackOutput>,
    /// Why it failed, or was interrupted.
    pub note: Option<String>,
}

/// Every row of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The rows, in the targets file's order.
    pub rows: Vec<Row>,
    /// Ctrl-C came during the run (deployments it kept from starting are `not started`).
    pub stopped: bool,
}

impl Summary {
    /// Whether any stack failed.
    pub fn failed(&self) -> bool {
        self.rows.iter().any(|row| row.outcome == Outcome::Failed)
    }

    /// Whether Ctrl-C stopped or kept back any stack.
    pub fn interrupted(&self) -> bool {
        self.stopped || self.rows.iter().any(|row| matches!(row.outcome, Outcome::Interrupted))
    }

    /// The exit code of a deploy or destroy: 1 when any stack failed, 130 when Ctrl-C
    /// stopped the run, 0 otherwise.
    pub fn exit_code(&self) -> u8 {
        if self.failed() {
            1
        } else if self.interrupted() {
            130
        } else {
            0
        }
    }

    /// The table, then each note (`label stack: message`), as lines. Outputs are
    /// `Key=Value`, comma-separated.
    pub fn render(&self) -> Vec<String> {
        let header = ["TARGET", "ACCOUNT", "REGION", "STACK", "RESULT", "OUTPUTS"].map(String::from);
        let cells: Vec<[String; 6]> = self
            .rows
            .iter()
            .map(|row| {
                let outputs: Vec<String> = row
                    .outputs
                    .iter()
                    .map(|output| format!("{}={}", output.key, output.value))
                    .collect();
                [
                    row.label.clone(),
                    row.account.clone(),
                    row.region.clone(),
                    row.stack.clone(),
                    row.outcome.text(),
                    outputs.join(", "),
                ]
            })
            .collect();
        let mut widths = header.clone().map(|cell| cell.chars().count());
        for line in &cells {
            for (width, cell) in widths.iter_mut().zip(line) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let format = |line: &[String; 6]| {
            let mut text = String::new();
            for (index, (cell, width)) in line.iter().zip(widths).enumerate() {
                if index == 5 {
                    text.push_str(cell);
                } else {
                    text.push_str(&format!("{cell:<width$}  "));
                }
            }
            text.trim_end().to_string()
        };
        let mut lines = vec![format(&header)];
        lines.extend(cells.iter().map(format));
        for row in &self.rows {
            if let Some(note) = &row.note {
                lines.push(format!("{} {}: {note}", row.label, row.stack));
            }
        }
        lines
    }

    /// `N deployments: a created, b updated, ...` for the last line of a run.
    pub fn totals(&self) -> String {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for row in &self.rows {
            let text = row.outcome.text();
            let text = if matches!(row.outcome, Outcome::Differences(n) if n > 0) {
                "with differences".to_string()
            } else {
                text.to_lowercase()
            };
            match counts.iter_mut().find(|(name, _)| *name == text) {
                Some((_, count)) => *count += 1,
                None => counts.push((text, 1)),
            }
        }
        let deployments: std::collections::BTreeSet<&str> = self.rows.iter().map(|row| row.label.as_str()).collect();
        let parts: Vec<String> = counts.iter().map(|(name, count)| format!("{count} {name}")).collect();
        format!(
            "{} deployment{}, {} stack{}: {}",
            deployments.len(),
            if deployments.len() == 1 { "" } else { "s" },
            self.rows.len(),
            if self.rows.len() == 1 { "" } else { "s" },
            parts.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, stack: &str, outcome: Outcome) -> Row {
        Row {
            target: label.split('/').next().unwrap_or_default().into(),
            label: label.into(),
            account: "111111111111".into(),
            region: label.split('/').nth(1).unwrap_or("us-east-1").into(),
            stack: stack.into(),
            outcome,
            outputs: Vec::new(),
            note: None,
        }
    }

    #[test]
    fn the_table_aligns_its_columns_and_lists_the_failures_after_it() {
        let mut created = row("acme/us-east-1", "crm", Outcome::Created);
        created.outputs = vec![StackOutput {
            key: "LakeBucket".into(),
            value: "crm-lake".into(),
        }];
        let mut failed = row("globex/eu-west-1", "crm", Outcome::Failed);
        failed.note = Some("CloudFormation rejected the change set".into());
        let summary = Summary {
            rows: vec![
                created,
                failed,
                row("globex/eu-west-1", "crm-flows-1", Outcome::NotStarted),
            ],
            stopped: false,
        };
        assert_eq!(
            summary.render(),
            [
                "TARGET            ACCOUNT       REGION     STACK        RESULT       OUTPUTS",
                "acme/us-east-1    111111111111  us-east-1  crm          created      LakeBucket=crm-lake",
                "globex/eu-west-1  111111111111  eu-west-1  crm          FAILED",
                "globex/eu-west-1  111111111111  eu-west-1  crm-flows-1  not started",
                "globex/eu-west-1 crm: CloudFormation rejected the change set",
            ]
        );
        assert_eq!(summary.exit_code(), 1);
        assert_eq!(
            summary.totals(),
            "2 deployments, 3 stacks: 1 created, 1 failed, 1 not started"
        );
    }

    #[test]
    fn ctrl_c_is_exit_130_unless_something_failed() {
        let summary = Summary {
            rows: vec![
                row("a/us-east-1", "crm", Outcome::Updated),
                row("b/us-east-1", "crm", Outcome::Interrupted),
            ],
            stopped: false,
        };
        assert_eq!(summary.exit_code(), 130);
        let mut summary = Summary {
            rows: vec![
                row("a/us-east-1", "crm", Outcome::Unchanged),
                row("b/us-east-1", "crm", Outcome::NotStarted),
            ],
            stopped: false,
        };
        assert_eq!(summary.exit_code(), 0);
        // Ctrl-C between two deployments: nothing was interrupted, but the run was.
        summary.stopped = true;
        assert_eq!(summary.exit_code(), 130);
    }
}
