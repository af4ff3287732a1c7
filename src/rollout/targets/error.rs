//! What can be wrong with a targets file: one kind per problem, each with its stable
//! code and its help line, drawn with its span by miette.

use std::ops::Range;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use thiserror::Error;

/// A problem of a targets file.
#[derive(Debug, Error)]
#[error("{kind}")]
pub struct TargetsError {
    /// What is wrong.
    pub kind: TargetsErrorKind,
    pub(in crate::rollout::targets) file: Option<NamedSource<String>>,
    pub(in crate::rollout::targets) span: Option<Range<usize>>,
}

impl TargetsError {
    /// The span the error points at, when it has one.
    pub fn span(&self) -> Option<Range<usize>> {
        self.span.clone()
    }
}

/// What is wrong with a targets file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TargetsErrorKind {
    /// The file cannot be read.
    #[error("cannot read the targets file: {0}")]
    Unreadable(String),
    /// Not TOML of the expected shape.
    #[error("{0}")]
    Invalid(String),
    /// A value of the file's values that cannot be read (env unset, file unreadable, ...).
    #[error("{0}")]
    Value(String),
    /// No `[target.*]` table.
    #[error("the targets file has no targets")]
    NoTargets,
    /// Not an account ID.
    #[error("`{0}` is not an AWS account ID")]
    Account(String),
    /// Not an organizational unit ID.
    #[error("`{0}` is not an organizational unit or root ID")]
    Unit(String),
    /// Not a region name.
    #[error("`{0}` is not an AWS region")]
    Region(String),
    /// No regions.
    #[error("target `{0}` has no regions")]
    NoRegions(String),
    /// A region given twice.
    #[error("target `{target}` lists the region `{region}` twice")]
    RepeatedRegion {
        /// The target.
        target: String,
        /// The region.
        region: String,
    },
    /// Neither or several of `account`, `accounts`, `organizational-units`.
    #[error("target `{0}` must name exactly one of `account`, `accounts` and `organizational-units`")]
    Where(String),
    /// Accounts where the engine deploys to organizational units, or the opposite.
    #[error("target `{target}`: {reason}")]
    WrongKind {
        /// The target.
        target: String,
        /// Why.
        reason: &'static str,
    },
    /// Not a role ARN.
    #[error("`{0}` is not an IAM role ARN")]
    RoleArn(String),
    /// The role is in another account than the target's.
    #[error("target `{target}`: the role `{role}` is in account {role_account}, not the target's {account}")]
    RoleAccount {
        /// The target.
        target: String,
        /// The role.
        role: String,
        /// Its account.
        role_account: String,
        /// The target's.
        account: String,
    },
    /// A role ARN for a target of several accounts.
    #[error("target `{0}` has several accounts, so it names its role with `role-name`, not one ARN")]
    RoleForAccounts(String),
    /// Not a role name.
    #[error("`{0}` is not an IAM role name")]
    RoleName(String),
    /// Not an external ID.
    #[error("`{0}` is not an external ID")]
    ExternalId(String),
    /// Not a stack name.
    #[error("`{0}` is not a stack name")]
    Stack(String),
    /// Two targets deploy the same stack to the same account and region.
    #[error("targets `{first}` and `{second}` both deploy stack {stack} to account {account} in {region}")]
    Duplicate {
        /// The first target.
        first: String,
        /// The second.
        second: String,
        /// The stack name (`the file's` for the file's own).
        stack: String,
        /// The account.
        account: String,
        /// The region.
        region: String,
    },
    /// A setting the engine does not use.
    #[error("`{setting}` is a setting of {applies}; this rollout's engine is {engine}")]
    Setting {
        /// The setting.
        setting: &'static str,
        /// What it applies to.
        applies: &'static str,
        /// The engine in use.
        engine: &'static str,
    },
    /// A number out of range.
    #[error("`{setting}` must be {range}")]
    Range {
        /// The setting.
        setting: &'static str,
        /// Its range.
        range: &'static str,
    },
    /// Both a count and a percentage.
    #[error("`{0}` and `{0}-percentage` cannot both be given")]
    CountAndPercentage(&'static str),
    /// A region of `region-order` no target deploys to.
    #[error("`region-order` names `{0}`, which no target deploys to")]
    RegionOrder(String),
    /// A region listed twice in `region-order`.
    #[error("`region-order` lists `{0}` twice")]
    RegionOrderRepeated(String),
    /// An account or unit listed twice in one target.
    #[error("target `{target}` lists `{account}` twice")]
    RepeatedAccount {
        /// The target.
        target: String,
        /// The account or unit.
        account: String,
    },
    /// More at once than strict failure tolerance allows.
    #[error(
        "`max-concurrent = {most}` is more than strict failure tolerance allows: at most one more than `failure-tolerance` ({tolerated})"
    )]
    StrictConcurrency {
        /// The concurrency asked for.
        most: u32,
        /// The failure tolerance.
        tolerated: u32,
    },
    /// Targets sharing a role, some with an external ID and some without.
    #[error("target `{target}` gives no external ID, but other targets assume the same role {role} with one")]
    MixedExternalIds {
        /// The role.
        role: String,
        /// A target without an external ID.
        target: String,
    },
    /// An external ID on a target that assumes no role.
    #[error("target `{0}` gives an external ID but names no role to assume")]
    ExternalIdWithoutRole(String),
    /// Both `role` and `role-name` on one target.
    #[error("target `{0}` names its role twice: `role` and `role-name`")]
    RoleTwice(String),
    /// Not an S3 bucket name.
    #[error("`{0}` is not an S3 bucket name")]
    Bucket(String),
    /// A value no template declares.
    #[error("target `{target}` gives a value for `{key}`, which no template of its stacks declares")]
    UnknownParameter {
        /// The parameter.
        key: String,
        /// The target.
        target: String,
        /// A suggestion or the declared parameters.
        hint: String,
    },
    /// Parameters without default a target gives no value for.
    #[error("target `{target}` gives no value for {parameters}: a parameter without default needs one")]
    MissingValues {
        /// The target.
        target: String,
        /// The parameters, comma-separated.
        parameters: String,
    },
}

impl TargetsErrorKind {
    /// The stable code (`flowform::targets::...`).
    pub fn code(&self) -> &'static str {
        match self {
            TargetsErrorKind::Unreadable(_) => "flowform::targets::unreadable",
            TargetsErrorKind::Invalid(_) => "flowform::targets::invalid",
            TargetsErrorKind::Value(_) => "flowform::targets::value",
            TargetsErrorKind::NoTargets => "flowform::targets::no_targets",
            TargetsErrorKind::Account(_) => "flowform::targets::account",
            TargetsErrorKind::Unit(_) => "flowform::targets::unit",
            TargetsErrorKind::Region(_) => "flowform::targets::region",
            TargetsErrorKind::NoRegions(_) | TargetsErrorKind::RepeatedRegion { .. } => "flowform::targets::regions",
            TargetsErrorKind::Where(_) | TargetsErrorKind::WrongKind { .. } => "flowform::targets::where",
            TargetsErrorKind::RoleArn(_)
            | TargetsErrorKind::RoleAccount { .. }
            | TargetsErrorKind::RoleForAccounts(_)
            | TargetsErrorKind::RoleName(_) => "flowform::targets::role",
            TargetsErrorKind::ExternalId(_) => "flowform::targets::external_id",
            TargetsErrorKind::Stack(_) => "flowform::targets::stack",
            TargetsErrorKind::Duplicate { .. } => "flowform::targets::duplicate",
            TargetsErrorKind::Setting { .. } => "flowform::targets::setting",
            TargetsErrorKind::Range { .. } | TargetsErrorKind::CountAndPercentage(_) => "flowform::targets::range",
            TargetsErrorKind::RegionOrder(_) | TargetsErrorKind::RegionOrderRepeated(_) => {
                "flowform::targets::region_order"
            }
            TargetsErrorKind::RepeatedAccount { .. } => "flowform::targets::duplicate",
            TargetsErrorKind::StrictConcurrency { .. } => "flowform::targets::range",
            TargetsErrorKind::MixedExternalIds { .. }
            | TargetsErrorKind::ExternalIdWithoutRole(_)
            | TargetsErrorKind::RoleTwice(_) => "flowform::targets::role",
            TargetsErrorKind::Bucket(_) => "flowform::targets::bucket",
            TargetsErrorKind::UnknownParameter { .. } => "flowform::targets::unknown_parameter",
            TargetsErrorKind::MissingValues { .. } => "flowform::targets::missing_value",
        }
    }

    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            TargetsErrorKind::Unreadable(_) => "pass the path of a TOML targets file (`--targets FILE`)".into(),
            TargetsErrorKind::Invalid(_) => "the file has `[rollout]` settings, `[values]` every target gets, and one `[target.<name>]` table per target with `account`, `regions` and its `values`".into(),
            TargetsErrorKind::Value(_) => "a value is a string, a number, `{ env = \"VAR\" }` or `{ file = \"PATH\" }`".into(),
            TargetsErrorKind::NoTargets => "add a target: `[target.acme]` with `account = \"111111111111\"` and `regions = [\"us-east-1\"]`".into(),
            TargetsErrorKind::Account(_) => "an account ID is 12 digits, e.g. `111111111111`".into(),
            TargetsErrorKind::Unit(_) => "an organizational unit ID looks like `ou-ab12-cd34ef56`, a root ID like `r-ab12` (`aws organizations list-roots`)".into(),
            TargetsErrorKind::Region(_) => "a region name looks like `us-east-1` or `eu-west-2`".into(),
            TargetsErrorKind::NoRegions(_) => "give the regions the target's stacks go to: `regions = [\"us-east-1\"]`".into(),
            TargetsErrorKind::RepeatedRegion { .. } => "list each region once".into(),
            TargetsErrorKind::Where(_) => "write `account = \"111111111111\"`, `accounts = [...]` (the same values in several accounts) or, with service-managed StackSets, `organizational-units = [...]`".into(),
            TargetsErrorKind::WrongKind { .. } => "service-managed StackSets deploy to organizational units; the direct engine and self-managed StackSets deploy to accounts".into(),
            TargetsErrorKind::RoleArn(_) => "a role ARN looks like `arn:aws:iam::111111111111:role/FlowformDeployer`".into(),
            TargetsErrorKind::RoleAccount { .. } => "a target's role is in the target's account: fix the account or the role".into(),
            TargetsErrorKind::RoleForAccounts(_) => "write `role-name = \"FlowformDeployer\"`: the role of that name in each account".into(),
            TargetsErrorKind::RoleName(_) => "a role name is 1 to 64 letters, digits and `+=,.@_-`, after an optional path (`flowform/Deployer`)".into(),
            TargetsErrorKind::ExternalId(_) => "an external ID is 2 to 1,224 letters, digits and `+=,.@:/-_` (STS `AssumeRole`)".into(),
            TargetsErrorKind::Stack(_) => "a stack name is a letter, then letters, digits and hyphens, at most 128 characters".into(),
            TargetsErrorKind::Duplicate { .. } => "give one of them another stack name (`stack = \"crm-acme\"`), so each customer's stacks are their own".into(),
            TargetsErrorKind::Setting { .. } => "remove it, or choose the engine it belongs to (`engine = \"stacksets\"`)".into(),
            TargetsErrorKind::Range { .. } => "change the number".into(),
            TargetsErrorKind::CountAndPercentage(_) => "keep one of them".into(),
            TargetsErrorKind::RegionOrder(_) => "list the targets' regions, in the order to deploy them".into(),
            TargetsErrorKind::RegionOrderRepeated(_) => "list each region once".into(),
            TargetsErrorKind::RepeatedAccount { .. } => "list each account once".into(),
            TargetsErrorKind::StrictConcurrency { tolerated, .. } => format!(
                "lower `max-concurrent` to {}, raise `failure-tolerance`, or set `concurrency-mode = \"soft-failure-tolerance\"`",
                tolerated + 1
            ),
            TargetsErrorKind::MixedExternalIds { .. } => "give each target that assumes this role an external ID (the role's trust policy asks for one), or give them their own roles".into(),
            TargetsErrorKind::ExternalIdWithoutRole(_) => "name the role (`role`, or `role-name` in [rollout]), or remove the external ID".into(),
            TargetsErrorKind::RoleTwice(_) => "keep `role` (an ARN) or `role-name` (a name in each account)".into(),
            TargetsErrorKind::Bucket(_) => "an S3 bucket name is 3 to 63 lowercase letters, digits, dots and hyphens".into(),
            TargetsErrorKind::UnknownParameter { hint, .. } => hint.clone(),
            TargetsErrorKind::MissingValues { .. } => "give each in the target's `values` (or in `[values]`, for every target); a rollout asks no questions".into(),
        }
    }
}

impl Diagnostic for TargetsError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.kind.help()))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.file.as_ref().map(|file| file as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("here".into()),
            span,
        ))))
    }
}
