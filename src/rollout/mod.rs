//! Rolling a file's stacks out to many accounts and regions: `deploy`, `diff`, `destroy`
//! and `policy` with `--targets FILE`.
//!
//! The pattern is the one the AppFlow API walkthrough is written for: a software vendor
//! runs the same flows in many customers' accounts through a cross-account role it
//! assumes, or in its own account once per customer; a platform team with an AWS
//! Organization does the same across its accounts. Two engines, both AWS's own:
//!
//! - [`direct`]: for each target account and region, assume the target's role (STS, with
//!   its external ID) and run the change-set workflow of `flowform deploy` there, several
//!   targets at once; a target whose templates and values are what is deployed is left
//!   alone (no change set), and one summary table ends the run.
//! - [`stacksets`]: one CloudFormation stack set per stack, with self-managed or
//!   service-managed (Organizations) permissions, per-target parameter overrides and
//!   operation preferences, following each operation's stack instances.
//!
//! - [`targets`]: the targets file, read and checked with spans; [`roles`]: the IAM
//!   roles the targets need (`flowform policy --targets`);
//! - [`summary`]: the table a rollout ends with; [`command`]: the command lines.

pub mod command;
pub mod direct;
pub mod roles;
pub mod stacksets;
pub mod summary;
pub mod targets;
