//! The targets file of a rollout: where a flow file's stacks go, with what values.
//!
//! ```toml
//! [rollout]
//! engine = "direct"               # or "stacksets"
//! role-name = "FlowformDeployer"  # the role flowform assumes in each target account
//! concurrency = 4                 # targets deployed at once
//!
//! [values]                        # parameter values of every target (a target's win)
//! SyncSchedule = "rate(1hours)"
//!
//! [target.acme]
//! account = "111111111111"
//! regions = ["us-east-1", "eu-west-1"]
//! external-id = "acme-7d1f"
//! values = { InstanceUrl = "https://acme.example.com" }
//! ```
//!
//! A target is one account (`account`), several with the same values (`accounts`), or,
//! for StackSets with service-managed permissions, organizational units
//! (`organizational-units`), in one or more regions. Values are literals, `{ env = "VAR" }`
//! or `{ file = "PATH" }` (read at deploy time, as in a values file). Every problem of the
//! file is reported at once, each with a code, its span and a help line; what depends on the
//! templates (a value no template declares, a parameter without default a target gives no
//! value for) is checked by [`Targets::check_values`] once they are synthesized.
//!
//! Patterns are the APIs': account IDs `^[0-9]{12}$` and organizational units
//! `^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$` (CloudFormation API reference,
//! `CreateStackInstances` / `StackSetAutoDeploymentTargetSummary`); external IDs
//! `[\w+=,.@:/-]*`, 2 to 1,224 characters (STS API reference, `AssumeRole`).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use serde::Deserialize;
use serde_spanned::Spanned;
use thiserror::Error;

use crate::deploy::values::{self, Entry, Outside, Stdin, ValuesError};

/// Which AWS machinery rolls the stacks out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// Assume a role in each target account and run the change-set workflow there.
    Direct,
    /// CloudFormation StackSets: one stack set per stack, a stack instance per target
    /// account and region.
    StackSets(StackSetSettings),
}

/// How the stack sets are permitted and operated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackSetSettings {
    /// Self-managed (IAM roles you create) or service-managed (Organizations).
    pub permissions: Permissions,
    /// `ManagedExecution.Active`: CloudFormation queues operations instead of refusing one
    /// while another runs.
    pub managed_execution: bool,
    /// The operation preferences of every operation.
    pub preferences: Preferences,
}

/// The permission model of the stack sets (`PermissionModel`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Permissions {
    /// `SELF_MANAGED`: an administration role in this account assumes an execution role
    /// in each target account.
    SelfManaged {
        /// `AdministrationRoleARN` (default: `AWSCloudFormationStackSetAdministrationRole`
        /// of the calling account, CloudFormation's default).
        administration_role: Option<String>,
        /// `ExecutionRoleName` (default: `AWSCloudFormationStackSetExecutionRole`).
        execution_role_name: Option<String>,
    },
    /// `SERVICE_MANAGED`: Organizations' service-linked roles; targets are organizational
    /// units.
    ServiceManaged {
        /// `AutoDeployment.Enabled`: accounts added to a target unit get the stacks.
        auto_deployment: bool,
        /// `AutoDeployment.RetainStacksOnAccountRemoval`.
        retain_stacks_on_account_removal: bool,
        /// `CallAs = DELEGATED_ADMIN`: the caller is a delegated administrator, not the
        /// management account.
        delegated_admin: bool,
    },
}

/// How many at once, as a number or a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    /// A number of accounts.
    Count(u32),
    /// A percentage of the accounts.
    Percentage(u32),
}

/// `StackSetOperationPreferences`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preferences {
    /// `MaxConcurrentCount` / `MaxConcurrentPercentage`.
    pub max_concurrent: Option<Amount>,
    /// `FailureToleranceCount` / `FailureTolerancePercentage`.
    pub failure_tolerance: Option<Amount>,
    /// `RegionOrder`.
    pub region_order: Vec<String>,
    /// `RegionConcurrencyType = PARALLEL` (default sequential).
    pub regions_in_parallel: bool,
    /// `ConcurrencyMode = SOFT_FAILURE_TOLERANCE` (default strict).
    pub soft_failure_tolerance: bool,
}

/// The role flowform assumes in a target account (direct engine).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// This role ARN.
    Arn(String),
    /// The role of this name (with its path, if any) in each target account.
    Name(String),
}

impl Role {
    /// The role's ARN in `account` of `partition`.
    pub fn arn(&self, partition: &str, account: &str) -> String {
        match self {
            Role::Arn(arn) => arn.clone(),
            Role::Name(name) => format!("arn:{partition}:iam::{account}:role/{name}"),
        }
    }
}

/// One target of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Its name (`[target.<name>]`).
    pub name: String,
    /// Its accounts (none for organizational units).
    pub accounts: Vec<String>,
    /// Its organizational units (StackSets, service-managed).
    pub organizational_units: Vec<String>,
    /// Its regions, in the file's order.
    pub regions: Vec<String>,
    /// The role to assume in its accounts (direct engine); `None`: the caller's own
    /// credentials, which must then be of the target's account.
    pub role: Option<Role>,
    /// The external ID the role's trust policy asks for.
    pub external_id: Option<String>,
    /// Another stack name for its stacks (several targets in one account and region).
    pub stack: Option<String>,
    /// A bucket of its account, in each of its regions' reach, for templates over 51,200
    /// bytes (`deploy --template-bucket`, per target: each target is another account).
    pub template_bucket: Option<String>,
    /// Its parameter values: the file's `[values]`, then its own over them.
    pub values: BTreeMap<String, values::Value>,
    /// The span of its name.
    pub span: Range<usize>,
}

/// One account and region of a target: where one copy of the stacks goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deployment<'t> {
    /// The target.
    pub target: &'t Target,
    /// The account.
    pub account: &'t str,
    /// The region.
    pub region: &'t str,
}

impl Deployment<'_> {
    /// How the run names it: `acme/us-east-1`, with the account when the target has
    /// several (`acme/111111111111/us-east-1`).
    pub fn label(&self) -> String {
        if self.target.accounts.len() > 1 {
            format!("{}/{}/{}", self.target.name, self.account, self.region)
        } else {
            format!("{}/{}", self.target.name, self.region)
        }
    }
}

/// A targets file, read and checked.
#[derive(Debug, Clone)]
pub struct Targets {
    /// The file.
    pub path: PathBuf,
    /// Its text (for the diagnostics of [`Targets::check_values`]).
    pub text: String,
    /// The engine.
    pub engine: Engine,
    /// How many deployments run at once (direct engine).
    pub concurrency: usize,
    /// The targets, in the file's order.
    pub targets: Vec<Target>,
}

impl Targets {
    /// Every account and region of every target, in the file's order.
    pub fn deployments(&self) -> Vec<Deployment<'_>> {
        self.targets
            .iter()
            .flat_map(|target| {
                target.accounts.iter().flat_map(move |account| {
                    target.regions.iter().map(move |region| Deployment {
                        target,
                        account,
                        region,
                    })
                })
            })
            .collect()
    }

    /// The distinct stack names the targets deploy under (`None`: the file's own).
    pub fn stack_names(&self) -> BTreeSet<Option<&str>> {
        self.targets.iter().map(|target| target.stack.as_deref()).collect()
    }

    /// Keeps only the targets named in `only` (all when it is empty); the names not
    /// found, each with a suggestion, as the error.
    pub fn select(&mut self, only: &[String]) -> Result<(), String> {
        if only.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = self.targets.iter().map(|target| target.name.as_str()).collect();
        let unknown: Vec<String> = only
            .iter()
            .filter(|name| !names.contains(&name.as_str()))
            .map(|name| match crate::model::suggest(name, names.iter().copied()) {
                Some(close) => format!("`{name}` (did you mean `{close}`?)"),
                None => format!("`{name}`"),
            })
            .collect();
        if !unknown.is_empty() {
            return Err(format!(
                "--target {}: {} has no such target; its targets are {}",
                unknown.join(", "),
                self.path.display(),
                names.join(", ")
            ));
        }
        self.targets.retain(|target| only.contains(&target.name));
        Ok(())
    }

    /// Checks the targets' values against the parameters of the templates each deploys
    /// (`parameters(stack)`: the declared parameters of the stacks deployed under that
    /// stack name, with whether each has a default): a value no template declares, and a
    /// parameter without default a target gives no value for, are errors.
    /// `given` are the parameters `--parameter` gives every target. `own_stack` is the
    /// stack name the files deploy under: a target naming it as its `stack` deploys to
    /// the same stack as a target without one.
    pub fn check_values<'p>(
        &self,
        parameters: impl Fn(Option<&str>) -> Vec<(&'p str, bool)>,
        given: &[&str],
        own_stack: Option<&str>,
    ) -> Result<(), Vec<TargetsError>> {
        let mut errors = Vec::new();
        if let Some(own) = own_stack {
            for named in self.targets.iter().filter(|t| t.stack.as_deref() == Some(own)) {
                let clash = self.targets.iter().filter(|t| t.stack.is_none()).find_map(|plain| {
                    plain.accounts.iter().find_map(|account| {
                        plain
                            .regions
                            .iter()
                            .find(|region| named.accounts.contains(account) && named.regions.contains(region))
                            .map(|region| (plain, account, region))
                    })
                });
                if let Some((plain, account, region)) = clash {
                    errors.push(self.error(
                        TargetsErrorKind::Duplicate {
                            first: plain.name.clone(),
                            second: named.name.clone(),
                            stack: own.to_string(),
                            account: account.clone(),
                            region: region.clone(),
                        },
                        named.span.clone(),
                    ));
                }
            }
        }
        for target in &self.targets {
            let declared = parameters(target.stack.as_deref());
            for (key, value) in &target.values {
                if !declared.iter().any(|(name, _)| name == key) {
                    let suggestion = crate::model::suggest(key, declared.iter().map(|(name, _)| *name));
                    errors.push(self.error(
                        TargetsErrorKind::UnknownParameter {
                            key: key.clone(),
                            target: target.name.clone(),
                            hint: match suggestion {
                                Some(close) => format!("did you mean `{close}`?"),
                                None if declared.is_empty() => "the templates declare no parameters".into(),
                                None => format!(
                                    "the templates declare {}",
                                    declared.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(", ")
                                ),
                            },
                        },
                        value.span.clone(),
                    ));
                }
            }
            let missing: Vec<&str> = declared
                .iter()
                .filter(|(name, has_default)| {
                    !has_default && !target.values.contains_key(*name) && !given.contains(name)
                })
                .map(|(name, _)| *name)
                .collect();
            if !missing.is_empty() {
                errors.push(
                    self.error(
                        TargetsErrorKind::MissingValues {
                            target: target.name.clone(),
                            parameters: missing
                                .iter()
                                .map(|name| format!("`{name}`"))
                                .collect::<Vec<_>>()
                                .join(", "),
                        },
                        target.span.clone(),
                    ),
                );
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    fn error(&self, kind: TargetsErrorKind, span: Range<usize>) -> TargetsError {
        TargetsError {
            kind,
            file: Some(NamedSource::new(self.path.display().to_string(), self.text.clone())),
            span: Some(span),
        }
    }
}

/// A problem of a targets file.
#[derive(Debug, Error)]
#[error("{kind}")]
pub struct TargetsError {
    /// What is wrong.
    pub kind: TargetsErrorKind,
    file: Option<NamedSource<String>>,
    span: Option<Range<usize>>,
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
    fn code(&self) -> &'static str {
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

    fn help(&self) -> String {
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    rollout: Option<RawRollout>,
    #[serde(default)]
    values: BTreeMap<Spanned<String>, Spanned<Entry>>,
    #[serde(default)]
    target: BTreeMap<Spanned<String>, RawTarget>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum RawEngine {
    Direct,
    Stacksets,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum RawPermissionModel {
    SelfManaged,
    ServiceManaged,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum RawCallAs {
    #[serde(rename = "self")]
    Itself,
    DelegatedAdmin,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum RawRegionConcurrency {
    Sequential,
    Parallel,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum RawConcurrencyMode {
    StrictFailureTolerance,
    SoftFailureTolerance,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRollout {
    engine: Option<RawEngine>,
    role_name: Option<Spanned<String>>,
    concurrency: Option<Spanned<i64>>,
    permission_model: Option<Spanned<RawPermissionModel>>,
    administration_role: Option<Spanned<String>>,
    execution_role_name: Option<Spanned<String>>,
    auto_deployment: Option<Spanned<bool>>,
    retain_stacks_on_account_removal: Option<Spanned<bool>>,
    call_as: Option<Spanned<RawCallAs>>,
    managed_execution: Option<Spanned<bool>>,
    preferences: Option<Spanned<RawPreferences>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPreferences {
    max_concurrent: Option<Spanned<i64>>,
    max_concurrent_percentage: Option<Spanned<i64>>,
    failure_tolerance: Option<Spanned<i64>>,
    failure_tolerance_percentage: Option<Spanned<i64>>,
    #[serde(default)]
    region_order: Vec<Spanned<String>>,
    region_concurrency: Option<RawRegionConcurrency>,
    concurrency_mode: Option<RawConcurrencyMode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTarget {
    account: Option<Spanned<String>>,
    accounts: Option<Spanned<Vec<Spanned<String>>>>,
    organizational_units: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    regions: Vec<Spanned<String>>,
    role: Option<Spanned<String>>,
    role_name: Option<Spanned<String>>,
    external_id: Option<Spanned<String>>,
    stack: Option<Spanned<String>>,
    template_bucket: Option<Spanned<String>>,
    #[serde(default)]
    values: BTreeMap<Spanned<String>, Spanned<Entry>>,
}

/// Reads and checks the targets file at `path`.
pub fn read(path: &Path, outside: &impl Outside) -> Result<Targets, Vec<TargetsError>> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        vec![TargetsError {
            kind: TargetsErrorKind::Unreadable(format!("`{}`: {error}", path.display())),
            file: None,
            span: None,
        }]
    })?;
    parse(path, &text, outside)
}

/// [`read`] of the text of the targets file `path`.
pub fn parse(path: &Path, text: &str, outside: &impl Outside) -> Result<Targets, Vec<TargetsError>> {
    let mut checker = Checker {
        name: path.display().to_string(),
        text,
        errors: Vec::new(),
    };
    let raw: RawFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            checker.push(TargetsErrorKind::Invalid(error.message().to_string()), span);
            return Err(checker.errors);
        }
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let rollout = raw.rollout.unwrap_or_default();
    let engine = checker.engine(&rollout);
    if let (Engine::StackSets(_), Some(value)) = (&engine, &rollout.concurrency) {
        checker.push(
            TargetsErrorKind::Setting {
                setting: "concurrency",
                applies: "the direct engine (StackSets take `preferences.max-concurrent`)",
                engine: "StackSets",
            },
            value.span(),
        );
    }
    let concurrency = match &rollout.concurrency {
        None => 4,
        Some(value) if (1..=32).contains(value.get_ref()) => *value.get_ref() as usize,
        Some(value) => {
            checker.push(
                TargetsErrorKind::Range {
                    setting: "concurrency",
                    range: "from 1 to 32",
                },
                value.span(),
            );
            1
        }
    };
    if let Some(name) = &rollout.role_name {
        checker.role_name(name);
    }
    let shared = checker.values(raw.values, base, outside);
    if raw.target.is_empty() {
        checker.push(TargetsErrorKind::NoTargets, 0..0);
    }
    let mut targets = Vec::new();
    // `toml` hands a table's keys over sorted; the file's order is the spans'.
    let mut raw_targets: Vec<(Spanned<String>, RawTarget)> = raw.target.into_iter().collect();
    raw_targets.sort_by_key(|(name, _)| name.span().start);
    for (name, target) in raw_targets {
        targets.push(checker.target(name, target, &engine, &rollout, &shared, base, outside));
    }
    checker.duplicates(&targets, engine == Engine::Direct);
    if matches!(engine, Engine::StackSets(_)) {
        checker.region_order(&rollout, &targets);
    }
    // In the file's order, whatever order the checks ran in.
    checker
        .errors
        .sort_by_key(|error| error.span.as_ref().map_or(0, |span| span.start));
    if checker.errors.is_empty() {
        Ok(Targets {
            path: path.to_path_buf(),
            text: text.to_string(),
            engine,
            concurrency,
            targets,
        })
    } else {
        Err(checker.errors)
    }
}

/// Gathers every problem of one file.
struct Checker<'t> {
    name: String,
    text: &'t str,
    errors: Vec<TargetsError>,
}

/// `^[0-9]{12}$`.
fn is_account(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// `^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$`.
fn is_unit(text: &str) -> bool {
    let part = |text: &str, range: std::ops::RangeInclusive<usize>| {
        range.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if let Some(root) = text.strip_prefix("r-") {
        return part(root, 4..=32);
    }
    text.strip_prefix("ou-")
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(root, unit)| part(root, 4..=32) && part(unit, 8..=32))
}

/// A region name: `us-east-1`, `us-gov-west-1`, `eusc-de-east-1` (the API's own pattern,
/// `^[a-zA-Z0-9-]{1,128}$`, would let `us-east1` through to fail at deploy time).
fn is_region(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() >= 3
        && (2..=4).contains(&parts[0].len())
        && parts[..parts.len() - 1]
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].len() <= 2
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// A role name with an optional path: `[\w+=,.@-]{1,64}`, after `path/` segments.
fn is_role_name(text: &str) -> bool {
    let (path, name) = text.rsplit_once('/').unwrap_or(("", text));
    let valid = |part: &str| part.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    (1..=64).contains(&name.len()) && valid(name) && path.len() <= 510 && path.split('/').all(valid)
}

/// An S3 bucket name: 3 to 63 of lowercase letters, digits, dots and hyphens, starting
/// and ending with a letter or digit (S3 user guide, "Bucket naming rules").
fn is_bucket(text: &str) -> bool {
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    (3..=63).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && edge(text.chars().next())
        && edge(text.chars().last())
}

/// `[\w+=,.@:/-]*`, 2 to 1,224 characters (STS `AssumeRole`, `ExternalId`).
fn is_external_id(text: &str) -> bool {
    (2..=1224).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c))
}

/// The account of a role ARN (`arn:<partition>:iam::<account>:role/<name>`).
fn role_account(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix("iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let name = resource.strip_prefix("role/")?;
    (partition.starts_with("aws") && is_account(account) && is_role_name(name)).then_some(account)
}

impl Checker<'_> {
    fn push(&mut self, kind: TargetsErrorKind, span: Range<usize>) {
        self.errors.push(TargetsError {
            kind,
            file: Some(NamedSource::new(self.name.clone(), self.text.to_string())),
            span: Some(span),
        });
    }

    fn engine(&mut self, rollout: &RawRollout) -> Engine {
        let stacksets = rollout.engine == Some(RawEngine::Stacksets);
        if !stacksets {
            let settings: [(&'static str, Option<Range<usize>>); 8] = [
                ("permission-model", rollout.permission_model.as_ref().map(Spanned::span)),
                (
                    "administration-role",
                    rollout.administration_role.as_ref().map(Spanned::span),
                ),
                (
                    "execution-role-name",
                    rollout.execution_role_name.as_ref().map(Spanned::span),
                ),
                ("auto-deployment", rollout.auto_deployment.as_ref().map(Spanned::span)),
                (
                    "retain-stacks-on-account-removal",
                    rollout.retain_stacks_on_account_removal.as_ref().map(Spanned::span),
                ),
                ("call-as", rollout.call_as.as_ref().map(Spanned::span)),
                (
                    "managed-execution",
                    rollout.managed_execution.as_ref().map(Spanned::span),
                ),
                ("preferences", rollout.preferences.as_ref().map(Spanned::span)),
            ];
            for (setting, span) in settings {
                if let Some(span) = span {
                    self.push(
                        TargetsErrorKind::Setting {
                            setting,
                            applies: "StackSets",
                            engine: "direct",
                        },
                        span,
                    );
                }
            }
            return Engine::Direct;
        }
        if let Some(name) = &rollout.role_name {
            self.push(
                TargetsErrorKind::Setting {
                    setting: "role-name",
                    applies: "the direct engine (StackSets use `execution-role-name`)",
                    engine: "StackSets",
                },
                name.span(),
            );
        }
        let service_managed = rollout
            .permission_model
            .as_ref()
            .is_some_and(|model| *model.get_ref() == RawPermissionModel::ServiceManaged);
        let permissions = if service_managed {
            for (setting, span) in [
                (
                    "administration-role",
                    rollout.administration_role.as_ref().map(Spanned::span),
                ),
                (
                    "execution-role-name",
                    rollout.execution_role_name.as_ref().map(Spanned::span),
                ),
            ] {
                if let Some(span) = span {
                    self.push(
                        TargetsErrorKind::Setting {
                            setting,
                            applies: "self-managed StackSets",
                            engine: "service-managed StackSets",
                        },
                        span,
                    );
                }
            }
            Permissions::ServiceManaged {
                auto_deployment: rollout.auto_deployment.as_ref().is_none_or(|v| *v.get_ref()),
                retain_stacks_on_account_removal: rollout
                    .retain_stacks_on_account_removal
                    .as_ref()
                    .is_some_and(|v| *v.get_ref()),
                delegated_admin: rollout
                    .call_as
                    .as_ref()
                    .is_some_and(|v| *v.get_ref() == RawCallAs::DelegatedAdmin),
            }
        } else {
            for (setting, span) in [
                ("auto-deployment", rollout.auto_deployment.as_ref().map(Spanned::span)),
                (
                    "retain-stacks-on-account-removal",
                    rollout.retain_stacks_on_account_removal.as_ref().map(Spanned::span),
                ),
                ("call-as", rollout.call_as.as_ref().map(Spanned::span)),
            ] {
                if let Some(span) = span {
                    self.push(
                        TargetsErrorKind::Setting {
                            setting,
                            applies: "service-managed StackSets",
                            engine: "self-managed StackSets",
                        },
                        span,
                    );
                }
            }
            if let Some(role) = &rollout.administration_role
                && role_account(role.get_ref()).is_none()
            {
                self.push(TargetsErrorKind::RoleArn(role.get_ref().clone()), role.span());
            }
            if let Some(name) = &rollout.execution_role_name {
                self.role_name(name);
            }
            Permissions::SelfManaged {
                administration_role: rollout.administration_role.as_ref().map(|r| r.get_ref().clone()),
                execution_role_name: rollout.execution_role_name.as_ref().map(|r| r.get_ref().clone()),
            }
        };
        let preferences = match &rollout.preferences {
            Some(preferences) => self.preferences(preferences.get_ref()),
            None => Preferences::default(),
        };
        Engine::StackSets(StackSetSettings {
            permissions,
            managed_execution: rollout.managed_execution.as_ref().is_none_or(|v| *v.get_ref()),
            preferences,
        })
    }

    fn preferences(&mut self, raw: &RawPreferences) -> Preferences {
        let max_concurrent = self.amount("max-concurrent", &raw.max_concurrent, &raw.max_concurrent_percentage, 1);
        let failure_tolerance = self.amount(
            "failure-tolerance",
            &raw.failure_tolerance,
            &raw.failure_tolerance_percentage,
            0,
        );
        let soft = raw.concurrency_mode == Some(RawConcurrencyMode::SoftFailureTolerance);
        // "MaxConcurrentCount is at most one more than the FailureToleranceCount if you're
        // using STRICT_FAILURE_TOLERANCE" (CloudFormation API reference,
        // `StackSetOperationPreferences`); strict is the default mode.
        if let (Some(Amount::Count(most)), Some(count)) = (max_concurrent, &raw.max_concurrent)
            && !soft
        {
            let tolerated = match failure_tolerance {
                Some(Amount::Count(tolerated)) => tolerated,
                _ => 0,
            };
            if most > tolerated + 1 {
                self.push(TargetsErrorKind::StrictConcurrency { most, tolerated }, count.span());
            }
        }
        Preferences {
            max_concurrent,
            failure_tolerance,
            region_order: raw.region_order.iter().map(|r| r.get_ref().clone()).collect(),
            regions_in_parallel: raw.region_concurrency == Some(RawRegionConcurrency::Parallel),
            soft_failure_tolerance: soft,
        }
    }

    /// A count (at least `least`) or a percentage (0 to 100), not both. The API's
    /// minimums: `MaxConcurrentCount` 1, `FailureToleranceCount` 0 (CloudFormation API
    /// reference, `StackSetOperationPreferences`).
    fn amount(
        &mut self,
        setting: &'static str,
        count: &Option<Spanned<i64>>,
        percentage: &Option<Spanned<i64>>,
        least: i64,
    ) -> Option<Amount> {
        match (count, percentage) {
            (Some(_), Some(percentage)) => {
                self.push(TargetsErrorKind::CountAndPercentage(setting), percentage.span());
                None
            }
            (Some(count), None) if *count.get_ref() < least || *count.get_ref() > i64::from(u32::MAX) => {
                self.push(
                    TargetsErrorKind::Range {
                        setting,
                        range: if least == 1 { "at least 1" } else { "at least 0" },
                    },
                    count.span(),
                );
                None
            }
            (Some(count), None) => Some(Amount::Count(*count.get_ref() as u32)),
            (None, Some(percentage)) if !(least..=100).contains(percentage.get_ref()) => {
                self.push(
                    TargetsErrorKind::Range {
                        setting,
                        range: if least == 1 {
                            "a percentage from 1 to 100"
                        } else {
                            "a percentage from 0 to 100"
                        },
                    },
                    percentage.span(),
                );
                None
            }
            (None, Some(percentage)) => Some(Amount::Percentage(*percentage.get_ref() as u32)),
            (None, None) => None,
        }
    }

    fn role_name(&mut self, name: &Spanned<String>) {
        if !is_role_name(name.get_ref()) {
            self.push(TargetsErrorKind::RoleName(name.get_ref().clone()), name.span());
        }
    }

    fn values(
        &mut self,
        raw: BTreeMap<Spanned<String>, Spanned<Entry>>,
        base: &Path,
        outside: &impl Outside,
    ) -> BTreeMap<String, values::Value> {
        let named = || NamedSource::new(self.name.clone(), self.text.to_string());
        let mut stdin = Stdin::Refused("a targets file reads its values from `env` or `file`");
        let mut found = BTreeMap::new();
        let mut failed = Vec::new();
        for (key, entry) in raw {
            let span = key.span();
            let key = key.into_inner();
            match values::resolve(&key, entry, base, outside, &named, &mut stdin) {
                Ok((value, literal)) => {
                    found.insert(key, values::Value { value, literal, span });
                }
                Err(error) => failed.push(*error),
            }
        }
        for error in failed {
            let span = value_error_span(&error);
            self.push(TargetsErrorKind::Value(error.to_string()), span);
        }
        found
    }

    #[allow(clippy::too_many_arguments)]
    fn target(
        &mut self,
        name: Spanned<String>,
        raw: RawTarget,
        engine: &Engine,
        rollout: &RawRollout,
        shared: &BTreeMap<String, values::Value>,
        base: &Path,
        outside: &impl Outside,
    ) -> Target {
        let span = name.span();
        let name = name.into_inner();
        let mut accounts = Vec::new();
        let mut units = Vec::new();
        let given = [
            raw.account.is_some(),
            raw.accounts.is_some(),
            raw.organizational_units.is_some(),
        ];
        if given.iter().filter(|given| **given).count() != 1 {
            self.push(TargetsErrorKind::Where(name.clone()), span.clone());
        }
        if let Some(account) = &raw.account {
            accounts.push(account.clone());
        }
        if let Some(list) = &raw.accounts {
            if list.get_ref().is_empty() {
                self.push(TargetsErrorKind::Where(name.clone()), list.span());
            }
            accounts.extend(list.get_ref().iter().cloned());
        }
        for account in &accounts {
            if !is_account(account.get_ref()) {
                self.push(TargetsErrorKind::Account(account.get_ref().clone()), account.span());
            }
        }
        if let Some(list) = &raw.organizational_units {
            if list.get_ref().is_empty() {
                self.push(TargetsErrorKind::Where(name.clone()), list.span());
            }
            for unit in list.get_ref() {
                if !is_unit(unit.get_ref()) {
                    self.push(TargetsErrorKind::Unit(unit.get_ref().clone()), unit.span());
                }
                units.push(unit.get_ref().clone());
            }
        }
        let service_managed = matches!(
            engine,
            Engine::StackSets(StackSetSettings {
                permissions: Permissions::ServiceManaged { .. },
                ..
            })
        );
        if service_managed && !accounts.is_empty() {
            self.push(
                TargetsErrorKind::WrongKind {
                    target: name.clone(),
                    reason: "service-managed StackSets deploy to organizational units, not accounts",
                },
                span.clone(),
            );
        } else if !service_managed && raw.organizational_units.is_some() {
            self.push(
                TargetsErrorKind::WrongKind {
                    target: name.clone(),
                    reason: "organizational units are targets of service-managed StackSets only",
                },
                span.clone(),
            );
        }
        if raw.regions.is_empty() {
            self.push(TargetsErrorKind::NoRegions(name.clone()), span.clone());
        }
        let mut regions: Vec<String> = Vec::new();
        for region in &raw.regions {
            if !is_region(region.get_ref()) {
                self.push(TargetsErrorKind::Region(region.get_ref().clone()), region.span());
            } else if regions.contains(region.get_ref()) {
                self.push(
                    TargetsErrorKind::RepeatedRegion {
                        target: name.clone(),
                        region: region.get_ref().clone(),
                    },
                    region.span(),
                );
            }
            regions.push(region.get_ref().clone());
        }
        let role = self.target_role(&name, &raw, engine, rollout, &accounts);
        if let Some(id) = &raw.external_id
            && !is_external_id(id.get_ref())
        {
            self.push(TargetsErrorKind::ExternalId(id.get_ref().clone()), id.span());
        }
        if let Some(stack) = &raw.stack {
            if matches!(engine, Engine::StackSets(_)) {
                self.push(
                    TargetsErrorKind::Setting {
                        setting: "stack",
                        applies: "the direct engine (a stack set has one name in every account)",
                        engine: "StackSets",
                    },
                    stack.span(),
                );
            } else if crate::deploy::command::check_stack_name(stack.get_ref()).is_err() {
                self.push(TargetsErrorKind::Stack(stack.get_ref().clone()), stack.span());
            }
        }
        if let Some(bucket) = &raw.template_bucket {
            if matches!(engine, Engine::StackSets(_)) {
                self.push(
                    TargetsErrorKind::Setting {
                        setting: "template-bucket",
                        applies: "the direct engine (StackSets read templates from the caller's `--template-bucket`)",
                        engine: "StackSets",
                    },
                    bucket.span(),
                );
            } else if !is_bucket(bucket.get_ref()) {
                self.push(TargetsErrorKind::Bucket(bucket.get_ref().clone()), bucket.span());
            }
        }
        let mut values = shared.clone();
        values.extend(self.values(raw.values, base, outside));
        Target {
            name,
            accounts: accounts.into_iter().map(Spanned::into_inner).collect(),
            organizational_units: units,
            regions,
            role,
            external_id: raw.external_id.map(Spanned::into_inner),
            stack: raw.stack.map(Spanned::into_inner),
            template_bucket: raw.template_bucket.map(Spanned::into_inner),
            values,
            span,
        }
    }

    fn target_role(
        &mut self,
        name: &str,
        raw: &RawTarget,
        engine: &Engine,
        rollout: &RawRollout,
        accounts: &[Spanned<String>],
    ) -> Option<Role> {
        if matches!(engine, Engine::StackSets(_)) {
            for (setting, span) in [
                ("role", raw.role.as_ref().map(Spanned::span)),
                ("role-name", raw.role_name.as_ref().map(Spanned::span)),
                ("external-id", raw.external_id.as_ref().map(Spanned::span)),
            ] {
                if let Some(span) = span {
                    self.push(
                        TargetsErrorKind::Setting {
                            setting,
                            applies: "the direct engine (StackSets assume their execution role)",
                            engine: "StackSets",
                        },
                        span,
                    );
                }
            }
            return None;
        }
        if let Some(role) = &raw.role {
            if raw.role_name.is_some() {
                self.push(TargetsErrorKind::RoleTwice(name.to_string()), role.span());
            }
            match role_account(role.get_ref()) {
                None => self.push(TargetsErrorKind::RoleArn(role.get_ref().clone()), role.span()),
                Some(_) if accounts.len() > 1 => {
                    self.push(TargetsErrorKind::RoleForAccounts(name.to_string()), role.span())
                }
                Some(role_account) => {
                    if let Some(account) = accounts.first()
                        && account.get_ref() != role_account
                    {
                        self.push(
                            TargetsErrorKind::RoleAccount {
                                target: name.to_string(),
                                role: role.get_ref().clone(),
                                role_account: role_account.to_string(),
                                account: account.get_ref().clone(),
                            },
                            role.span(),
                        );
                    }
                }
            }
            return Some(Role::Arn(role.get_ref().clone()));
        }
        let Some(role_name) = raw.role_name.as_ref().or(rollout.role_name.as_ref()) else {
            if let Some(id) = &raw.external_id {
                self.push(TargetsErrorKind::ExternalIdWithoutRole(name.to_string()), id.span());
            }
            return None;
        };
        if raw.role_name.is_some() {
            self.role_name(role_name);
        }
        Some(Role::Name(role_name.get_ref().clone()))
    }

    /// Two deployments of the same stack name to one account (or unit) and region, an
    /// account listed twice in one target, and targets sharing one role of an account
    /// where some give an external ID and some not (the role's trust policy asks every
    /// caller for one, or none).
    fn duplicates(&mut self, targets: &[Target], partition_free_roles: bool) {
        let mut seen: BTreeMap<(&str, &str, Option<&str>), &str> = BTreeMap::new();
        let mut found = Vec::new();
        for target in targets {
            let mut places: Vec<&str> = Vec::new();
            for place in target.accounts.iter().chain(&target.organizational_units) {
                if places.contains(&place.as_str()) {
                    found.push((
                        TargetsErrorKind::RepeatedAccount {
                            target: target.name.clone(),
                            account: place.clone(),
                        },
                        target.span.clone(),
                    ));
                    continue;
                }
                places.push(place);
                for region in &target.regions {
                    let key = (place.as_str(), region.as_str(), target.stack.as_deref());
                    match seen.get(&key) {
                        // The same target twice: a repeated region, reported as such.
                        Some(first) if *first == target.name => {}
                        Some(first) => found.push((
                            TargetsErrorKind::Duplicate {
                                first: first.to_string(),
                                second: target.name.clone(),
                                stack: target.stack.clone().unwrap_or_else(|| "of the flow file".to_string()),
                                account: place.clone(),
                                region: region.clone(),
                            },
                            target.span.clone(),
                        )),
                        None => {
                            seen.insert(key, &target.name);
                        }
                    }
                }
            }
        }
        if partition_free_roles {
            // Role ARNs compared without their partition: the same in any.
            let mut by_role: BTreeMap<(String, String), Vec<&Target>> = BTreeMap::new();
            for target in targets {
                if let Some(role) = &target.role {
                    for account in &target.accounts {
                        by_role
                            .entry((account.clone(), role.arn("aws", account)))
                            .or_default()
                            .push(target);
                    }
                }
            }
            for ((_, role), sharing) in by_role {
                let with = sharing.iter().filter(|t| t.external_id.is_some()).count();
                if with > 0 && with < sharing.len() {
                    let without = sharing.iter().find(|t| t.external_id.is_none()).expect("one without");
                    found.push((
                        TargetsErrorKind::MixedExternalIds {
                            role,
                            target: without.name.clone(),
                        },
                        without.span.clone(),
                    ));
                }
            }
        }
        found.dedup_by(|a, b| a.0 == b.0);
        for (kind, span) in found {
            self.push(kind, span);
        }
    }

    fn region_order(&mut self, rollout: &RawRollout, targets: &[Target]) {
        let Some(preferences) = &rollout.preferences else {
            return;
        };
        let mut listed: Vec<&str> = Vec::new();
        for region in &preferences.get_ref().region_order {
            let used = targets.iter().any(|target| target.regions.contains(region.get_ref()));
            if listed.contains(&region.get_ref().as_str()) {
                self.push(
                    TargetsErrorKind::RegionOrderRepeated(region.get_ref().clone()),
                    region.span(),
                );
            } else if !used {
                self.push(TargetsErrorKind::RegionOrder(region.get_ref().clone()), region.span());
            }
            listed.push(region.get_ref());
        }
    }
}

/// The span a values error points at (every kind but `Unreadable` has one).
fn value_error_span(error: &ValuesError) -> Range<usize> {
    match error {
        ValuesError::Source { span, .. }
        | ValuesError::EnvUnset { span, .. }
        | ValuesError::FileUnreadable { span, .. }
        | ValuesError::Stdin { span, .. } => span.clone(),
        ValuesError::Invalid { span, .. } => span.map(|s| s.offset()..s.offset() + s.len()).unwrap_or(0..0),
        ValuesError::Unreadable { .. } => 0..0,
    }
}

#[cfg(test)]
mod tests;
