//! The StackSets engine: one CloudFormation stack set per stack of the file, a stack
//! instance in each target account (or organizational unit) and region.
//!
//! - [`api`]: the calls, as a trait with plain data; [`aws`]: over the AWS SDK.
//! - [`engine`]: create or update each stack set, then its instances target by target
//!   with the target's values as parameter overrides, following each operation's
//!   instances; delete them; compare them.
//! - [`command`]: the engine behind `deploy`, `diff` and `destroy --targets`.
//!
//! MiniStack has no StackSets: the test launcher adds self-managed ones over its own
//! stacks (`tests/support/ministack_stacksets.py`), which the end-to-end tests deploy
//! through; service-managed ones, and the states a local endpoint will not produce, are
//! tested through the trait with a fake that answers as the API reference says, and the
//! SDK requests are compared with the reference field by field (`tests`).

pub mod api;
pub mod aws;
pub mod command;
pub mod engine;

#[cfg(test)]
mod tests;
