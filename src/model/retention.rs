//! What a stack keeps when it is deleted or a resource is replaced: a stack-wide default
//! (`[stack] retention`) and a per-resource `retain` over it.
//!
//! Kept resources get `DeletionPolicy: RetainExceptOnCreate` and `UpdateReplacePolicy:
//! Retain`: kept when the stack is deleted or the resource replaced, but deleted when
//! the operation that created them rolls back, so a failed first deploy leaves nothing
//! behind to clash with the next attempt.

/// Which resources a stack keeps when it is deleted, by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Retention {
    /// Those that hold data: buckets, keys, secrets, Customer Profiles domains, Glue
    /// databases, SQS queues. Flows, profiles, topics, rules, alarms and policies are
    /// deleted.
    #[default]
    Data,
    /// Everything flowform creates that has state or history, flows (their run history)
    /// and connector profiles included: for production, and for resources adopted with
    /// CloudFormation's import, which requires a retaining policy.
    All,
    /// Nothing: for a dev or test stack that is created and destroyed often. A bucket
    /// that still holds objects cannot be deleted (the delete fails; empty it first).
    None,
}

impl Retention {
    /// Whether a resource is kept: its own `retain` when it has one, else this default
    /// for a resource that holds data (`holds_data`) or not.
    pub(crate) fn keeps(self, holds_data: bool, retain: Option<bool>) -> bool {
        retain.unwrap_or(match self {
            Retention::Data => holds_data,
            Retention::All => true,
            Retention::None => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resource_s_own_setting_wins_over_the_default() {
        assert!(Retention::Data.keeps(true, None));
        assert!(!Retention::Data.keeps(false, None));
        assert!(Retention::All.keeps(false, None));
        assert!(!Retention::None.keeps(true, None));
        assert!(Retention::None.keeps(true, Some(true)));
        assert!(!Retention::All.keeps(false, Some(false)));
    }
}
