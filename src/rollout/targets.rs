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
use std::path::PathBuf;

use miette::NamedSource;

use crate::deploy::values;

mod check;
mod error;

pub use check::{parse, read};
pub use error::{TargetsError, TargetsErrorKind};

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

#[cfg(test)]
mod tests;
