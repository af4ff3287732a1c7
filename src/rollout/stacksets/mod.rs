//! The StackSets engine: one CloudFormation stack set per stack of the file, a stack
//! instance in each target account (or organizational unit) and region.
//!
//! - [`api`]: the calls, as a trait with plain data; [`aws`]: over the AWS SDK.
//! - [`engine`]: create or update each stack set, then its instances target by target
//!   with the target's values as parameter overrides, following each operation's
//!   instances; delete them; compare them.
//! - [`command`]: the engine behind `deploy`, `diff` and `destroy --targets`.
//!
//! The local CloudFormation the tests run has no StackSets, so the engine is tested
//! through the trait with a fake that answers as the API reference says, and the SDK
//! requests are compared with the reference field by field (`aws`'s tests).

pub mod api;
pub mod aws;
pub mod command;
pub mod engine;

#[cfg(test)]
mod tests;
