//! Acknowledged warnings: `[[stack.acknowledge]]` entries that say a warning is known and
//! handled ("this imported bucket's policy is managed by the landing-zone stack"), so
//! `--deny-warnings` passes on a correct setup, like `#[expect(lint)]` in Rust: an
//! acknowledgement names the warning's code, optionally the item it is about, and why;
//! one that matches no warning is itself a warning, so a stale one does not hide the next.

use miette::Diagnostic;

use super::diagnostic::{ModelWarning, WarningKind};
use super::path::{Path, Segment};

/// The acknowledgement of a warning the stack knows it has.
///
/// ```
/// use flowform::model::*;
///
/// let stack = Stack::new("crm").acknowledge(
///     Acknowledgement::new("permissions::manual_policy", "the bucket policy is managed by the landing-zone stack")
///         .at("bucket.landing"),
/// );
/// # let _ = stack;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    pub(crate) warning: String,
    pub(crate) at: Option<String>,
    pub(crate) reason: String,
}

impl Acknowledgement {
    /// Acknowledges the warning with `code` (`permissions::manual_policy`, with or without
    /// the `flowform::` prefix) wherever it occurs, for `reason`.
    pub fn new(code: impl Into<String>, reason: impl Into<String>) -> Self {
        Acknowledgement {
            warning: code.into(),
            at: None,
            reason: reason.into(),
        }
    }

    /// Only the warnings about the item `at` (`bucket.landing`, `flow.accounts`) or inside it.
    pub fn at(mut self, at: impl Into<String>) -> Self {
        self.at = Some(at.into());
        self
    }

    /// The code, with its `flowform::` prefix.
    fn code(&self) -> String {
        if self.warning.starts_with("flowform::") {
            self.warning.clone()
        } else {
            format!("flowform::{}", self.warning)
        }
    }

    /// Whether `path` is `at` or inside it (every warning when there is no `at`).
    fn covers(&self, path: &Path) -> bool {
        let Some(at) = &self.at else {
            return true;
        };
        let wanted: Vec<&str> = at.split('.').collect();
        let segments = path.segments();
        segments.len() >= wanted.len()
            && wanted.iter().zip(segments).all(|(want, segment)| match segment {
                Segment::Key(key) => &**key == *want,
                Segment::Index(_) => false,
            })
    }
}

/// `warnings` without those `acknowledgements` cover; with `report_unmatched`, one
/// warning more for each acknowledgement that covers none (not when the stack has errors:
/// a warning may then be missing only because its item could not be checked).
pub(crate) fn apply(
    acknowledgements: &[Acknowledgement],
    warnings: Vec<ModelWarning>,
    report_unmatched: bool,
) -> Vec<ModelWarning> {
    if acknowledgements.is_empty() {
        return warnings;
    }
    let codes: Vec<String> = acknowledgements.iter().map(Acknowledgement::code).collect();
    let mut used = vec![false; acknowledgements.len()];
    let mut kept: Vec<ModelWarning> = warnings
        .into_iter()
        .filter(|warning| {
            let code = warning.kind.code().map(|code| code.to_string()).unwrap_or_default();
            let found = acknowledgements
                .iter()
                .enumerate()
                .find(|(index, ack)| codes[*index] == code && ack.covers(&warning.path));
            match found {
                Some((index, _)) => {
                    used[index] = true;
                    false
                }
                None => true,
            }
        })
        .collect();
    if report_unmatched {
        for (index, ack) in acknowledgements.iter().enumerate() {
            if !used[index] {
                kept.push(ModelWarning::new(
                    Path::root().key("stack").key("acknowledge").index(index),
                    WarningKind::UnmatchedAcknowledgement {
                        code: codes[index].clone(),
                        at: ack.at.clone().unwrap_or_else(|| "the stack".into()),
                    },
                ));
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manual_policy(path: Path) -> ModelWarning {
        ModelWarning::new(
            path,
            WarningKind::ManualPolicy {
                kind: "bucket",
                service: "AppFlow",
                name: "landing".into(),
                policy: "bucket policy",
                resource: "acme-landing".into(),
                statement: "{}".into(),
            },
        )
    }

    #[test]
    fn an_acknowledgement_covers_its_code_at_its_item_and_inside_it() {
        let landing = Path::root().key("bucket").key("landing");
        let other = Path::root().key("bucket").key("other");
        let warnings = vec![manual_policy(landing.key("import")), manual_policy(other.clone())];
        let acks = [Acknowledgement::new("permissions::manual_policy", "managed elsewhere").at("bucket.landing")];
        let kept = apply(&acks, warnings, true);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].path, other);
        // Without `at`, and with the prefix, it covers every one.
        let acks = [Acknowledgement::new(
            "flowform::permissions::manual_policy",
            "all managed",
        )];
        assert!(apply(&acks, vec![manual_policy(other.clone())], true).is_empty());
    }

    #[test]
    fn an_acknowledgement_that_matches_nothing_is_a_warning_unless_there_are_errors() {
        let acks = [Acknowledgement::new("filter::no_date_range", "checked").at("flow.accounts")];
        let kept = apply(&acks, Vec::new(), true);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].path.to_string(), "stack.acknowledge[0]");
        assert_eq!(
            kept[0].kind.code().unwrap().to_string(),
            "flowform::stack::unmatched_acknowledgement"
        );
        assert!(apply(&acks, Vec::new(), false).is_empty());
    }
}
