//! The hand-written pieces of the AppFlow resources the generated types
//! ([`super::generated`]) leave to flowform: the tag flowform writes on every resource, and
//! the operator check the generated facts answer.

use serde::Serialize;

pub use crate::connectors::facts::{ConnectorType, Operator, TaskPropertyKey};

/// A resource tag, as every resource flowform creates takes it (`Key`, `Value`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// The tag key.
    pub key: String,
    /// The tag value.
    pub value: String,
}

/// Whether the schema's `ConnectorOperator` enum of `connector` (as a source) holds
/// `operator` (from the generated facts).
pub fn operator_allowed(connector: ConnectorType, operator: Operator) -> bool {
    connector
        .facts()
        .operators
        .as_ref()
        .is_some_and(|operators| operators.operators.contains(&operator))
}
