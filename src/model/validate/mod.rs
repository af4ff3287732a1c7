//! Validation: every rule that must hold for a stack to compile, checked in one pass that
//! collects every error (and the warnings) instead of stopping at the first.
//!
//! Success yields a [`Validated`] stack, the only input the permissions pass and the
//! synthesizer accept, so they never see a dangling reference or an invalid value.
//!
//! This module holds the result types, the `Checker` connector modules report through,
//! the driver that runs every check in order and the ARN helpers the checks share; the
//! rules live in the submodules, one job each: `naming` (the stack, names, physical names,
//! logical IDs, unused items), `parameters` (the declared template parameters), `resources` (buckets, keys, secrets, profiles and their
//! credentials), `monitoring` (notification targets, notifications and alarms), `flows` (a flow, its trigger, source and destination) and `tasks`
//! (mappings, filters, transforms, validations and their operators). Each has its unit
//! tests, on small stacks from `testing`.

mod flows;
mod monitoring;
mod naming;
mod parameters;
mod resources;
mod tasks;
#[cfg(test)]
mod testing;

use std::fmt;

use jiff::Timestamp;
use miette::Diagnostic;

use super::Stack;
use super::diagnostic::{ErrorKind, ModelError, ModelWarning, WarningKind};
use super::flow::AnyFlow;
use super::path::Path;
use crate::connectors::Profile;
pub use monitoring::{MonitoringError, MonitoringWarning};
#[cfg(feature = "deploy")]
pub(crate) use resources::bucket_name_problem;

/// A stack that passed validation: the input of [`crate::grant_permissions`].
#[derive(Debug, Clone, PartialEq)]
pub struct Validated {
    pub(crate) stack: Stack,
}

impl Validated {
    /// The validated stack.
    pub fn stack(&self) -> &Stack {
        &self.stack
    }
}

/// Every error and warning of a failed compilation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics {
    /// The errors (at least one when compilation failed).
    pub errors: Vec<ModelError>,
    /// The warnings.
    pub warnings: Vec<ModelWarning>,
}

/// Every error, one per line with its path and help: what `{}` of a failed
/// [`crate::compile`] shows, so `?` into any error type loses none of them.
impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.errors.len() {
            1 => write!(f, "the stack has 1 error:")?,
            n => write!(f, "the stack has {n} errors:")?,
        }
        for error in &self.errors {
            write!(f, "\n- {error}")?;
            if let Some(help) = error.help() {
                write!(f, "; help: {help}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl Diagnostic for Diagnostics {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("flowform::model::invalid"))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.errors.iter().map(|error| error as &dyn Diagnostic)))
    }
}

/// Most user tags one AWS resource may carry ("Maximum user-created tags per resource:
/// Stacks with at least this many flows are checked on every core.
const PARALLEL_FROM: usize = 512;

/// Checks every rule. `now` decides the "already in the past" warnings only; the template
/// never depends on it.
pub fn validate(stack: Stack, now: Timestamp) -> Result<(Validated, Vec<ModelWarning>), Diagnostics> {
    let mut checker = Checker::new(&stack, now);
    checker.check();
    let Checker { errors, warnings, .. } = checker;
    if errors.is_empty() {
        Ok((Validated { stack }, warnings))
    } else {
        Err(Diagnostics { errors, warnings })
    }
}

/// The validation pass, as connector modules see it: report, and check references.
pub(crate) struct Checker<'a> {
    stack: &'a Stack,
    now: Timestamp,
    errors: Vec<ModelError>,
    warnings: Vec<ModelWarning>,
}

fn root(kind: &str) -> Path {
    Path::root().key(kind)
}

/// The path of a profile's connector table, `profile.<name>.<connector>`.
fn profile_path(profile: &Profile) -> Path {
    root("profile").key(profile.base().name()).key(profile.key())
}

impl<'a> Checker<'a> {
    /// The profile declared as `name`, for a connector's check of what it reads through it.
    pub(crate) fn profile(&self, name: &str) -> Option<&crate::connectors::Profile> {
        self.stack.profiles.iter().find(|profile| profile.base().name() == name)
    }

    /// The custom connector the stack registers as `name`, if it does.
    pub(crate) fn registered_connector(
        &self,
        name: &str,
    ) -> Option<&crate::connectors::custom::registration::RegisteredConnector> {
        self.stack.connectors.iter().find(|connector| connector.name == name)
    }

    /// The name of the stack being validated.
    pub(crate) fn stack_name(&self) -> &str {
        &self.stack.name
    }

    /// The Customer Profiles domain named `name`, if the stack declares one.
    pub(crate) fn domain(&self, name: &str) -> Option<&crate::model::Domain> {
        self.stack.domains.iter().find(|domain| domain.name == name)
    }

    /// Reports an error at `path`.
    pub(crate) fn error(&mut self, path: Path, kind: ErrorKind) {
        self.errors.push(ModelError::new(path, kind));
    }

    /// Reports a warning at `path`.
    pub(crate) fn warn(&mut self, path: Path, kind: WarningKind) {
        self.warnings.push(ModelWarning::new(path, kind));
    }

    fn new(stack: &'a Stack, now: Timestamp) -> Self {
        Checker {
            stack,
            now,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn check(&mut self) {
        self.check_stack();
        self.check_declared_parameters();
        let (stack, now) = (self.stack, self.now);
        // Names and logical IDs (a pass over every flow's names) are checked on a thread of
        // their own while the flows are checked on the others; errors keep their order.
        let each_flow = |flows: &[AnyFlow]| {
            let mut checker = Checker::new(stack, now);
            for flow in flows {
                checker.check_flow(flow);
            }
            (checker.errors, checker.warnings)
        };
        let (names, found) = crate::parallel::join(
            stack.flows.len() >= PARALLEL_FROM,
            || {
                let mut checker = Checker::new(stack, now);
                checker.check_names();
                checker.check_logical_ids();
                checker.check_physical_names();
                checker.check_usage();
                (checker.errors, checker.warnings)
            },
            || crate::parallel::map_chunks(&stack.flows, PARALLEL_FROM, each_flow),
        );
        let (name_errors, name_warnings) = names;
        self.errors.extend(name_errors);
        self.warnings.extend(name_warnings);
        self.check_resources();
        self.check_monitoring();
        // Each flow was checked on its own (big stacks on every core, each chunk gathering
        // its own errors and warnings); merged in flow order.
        for (errors, warnings) in found {
            self.errors.extend(errors);
            self.warnings.extend(warnings);
        }
    }
}

/// The secret name inside an imported secret's name or full ARN (`...:secret:<name>-AbCdEf`).
fn imported_secret_name(existing: &str) -> Option<&str> {
    match existing.split_once(":secret:") {
        Some((_, resource)) => split_secret_suffix(resource).map(|(name, _)| name),
        None => Some(existing),
    }
}

/// A secret ARN's resource part split into the name and the 6-character random suffix
/// Secrets Manager appends (`appflow/sf-AbCdEf` → `appflow/sf`, `AbCdEf`).
fn split_secret_suffix(resource: &str) -> Option<(&str, &str)> {
    let (name, suffix) = resource.rsplit_once('-')?;
    (!name.is_empty() && suffix.len() == 6 && suffix.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some((name, suffix))
}

/// Whether an ARN's region is empty or lowercase letters, digits and `-`, and its account
/// is empty or 12 digits.
fn arn_account_and_region_are_plain(arn: &str) -> bool {
    let mut parts = arn.splitn(6, ':').skip(3);
    let region = parts.next().unwrap_or_default();
    let account = parts.next().unwrap_or_default();
    region
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && (account.is_empty() || (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit())))
}

/// The resource part of an ARN of `service`, if `arn` is one.
pub(crate) fn arn_parts<'a>(arn: &'a str, service: &str) -> Option<&'a str> {
    let mut parts = arn.splitn(6, ':');
    let (prefix, partition, arn_service) = (parts.next()?, parts.next()?, parts.next()?);
    let (_region, _account, resource) = (parts.next()?, parts.next()?, parts.next()?);
    (prefix == "arn" && partition.starts_with("aws") && arn_service == service && !resource.is_empty())
        .then_some(resource)
}

#[cfg(test)]
mod tests {
    use super::testing::{codes, flow, now, stack, stack_with, warnings};
    use super::*;
    use crate::model::{Bucket, OnDemandFlow, S3Destination, S3Source};

    #[test]
    fn a_valid_stack_passes_without_warnings() {
        assert_eq!(warnings(stack_with(|flow| flow)), []);
        let (validated, _) = validate(stack_with(|flow| flow), now()).unwrap();
        assert_eq!(validated.stack().flows()[0].name(), "f");
    }

    #[test]
    fn every_pass_reports_and_errors_keep_their_order() {
        // Names first, then buckets, keys, secrets and profiles, then each flow in order.
        let (mut stack, lake) = stack();
        stack.add_flow(flow("first", &lake).flow_name("x"));
        stack.add_flow(OnDemandFlow::new(
            "second",
            S3Source::new(&lake, "in/"),
            S3Destination::new(&lake),
        ));
        stack.add_bucket(Bucket::imported("raw", "arn:aws:s3:::raw/exports"));
        stack.add_bucket(Bucket::owned("lake"));
        assert_eq!(
            codes(stack),
            [
                "bucket.lake flowform::model::duplicate_name",
                "bucket.raw.import flowform::model::invalid_arn",
                "flow.first.name flowform::model::invalid_name",
                "flow.second flowform::task::no_mapping",
            ]
        );
    }

    #[test]
    fn big_stacks_are_checked_in_parallel_in_the_same_order() {
        let (mut stack, lake) = stack();
        for index in 0..PARALLEL_FROM + 10 {
            let flow = flow(&format!("f{index}"), &lake);
            match index {
                3 | 515 => stack.add_flow(flow.description("a;b")),
                _ => stack.add_flow(flow),
            }
        }
        stack.add_flow(flow("f7", &lake));
        assert_eq!(
            codes(stack),
            [
                "flow.f7 flowform::model::duplicate_name",
                "flow.f7 flowform::model::duplicate_physical_name",
                "flow.f3.description flowform::flow::invalid_description",
                "flow.f515.description flowform::flow::invalid_description",
            ]
        );
    }

    #[test]
    fn diagnostics_show_every_error_with_its_help() {
        let diagnostics = validate(Stack::new("1st"), now()).unwrap_err();
        let shown = diagnostics.to_string();
        assert!(shown.starts_with("the stack has 2 errors:\n- "), "{shown}");
        assert_eq!(shown.matches("\n- ").count(), 2, "{shown}");
        assert!(
            shown.contains("(at `stack.name`); help: CloudFormation stack names"),
            "{shown}"
        );
        assert_eq!(diagnostics.related().unwrap().count(), 2);
    }

    #[test]
    fn arn_parts_takes_the_resource_of_one_service() {
        let arn = "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/abc:def";
        assert_eq!(arn_parts(arn, "kms"), Some("key/abc:def"));
        assert_eq!(arn_parts(arn, "s3"), None);
        assert_eq!(arn_parts("arn:aws:kms:eu-west-1:123456789012:", "kms"), None);
        assert_eq!(arn_parts("arn:aws:kms", "kms"), None);
        assert_eq!(arn_parts("nra:aws:kms:eu-west-1:123456789012:key/x", "kms"), None);
    }
}
