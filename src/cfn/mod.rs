//! The CloudFormation layer: a typed template IR that knows nothing of flowform's model.
//!
//! - [`value`]: literals, intrinsic functions (`Ref`, `Fn::GetAtt`, `Fn::Sub`,
//!   `Fn::Join`, `Fn::If`, `Fn::Equals`), pseudo parameters and Secrets Manager dynamic
//!   references; `Fn::Sub` templates keep user text literal ([`value::SubTemplate`]).
//! - [`template`]: `Parameters`, `Resources` and `Outputs` in canonical order.
//! - [`generated`]: the property types of `AWS::AppFlow::Flow`, `AWS::AppFlow::ConnectorProfile`,
//!   `AWS::AppFlow::Connector` and `AWS::CustomerProfiles::Integration`, generated from the
//!   official schemas (`src/codegen`); [`appflow`]: the few hand-written pieces beside them.
//! - [`limits`]: the schemas' length, pattern and range limits on a property, and the
//!   check of a value against them.
//! - [`resources`]: the S3, KMS, Secrets Manager, IAM and Glue resources flowform creates;
//!   [`monitoring`]: the SNS, SQS, EventBridge and CloudWatch ones that watch its flows.

pub mod appflow;
#[rustfmt::skip]
pub mod generated;
pub mod limits;
pub mod monitoring;
pub mod resources;
pub mod template;
pub mod value;

pub use limits::Limits;
pub use template::{DeletionPolicy, Export, Output, Parameter, ParameterType, Resource, ResourceProperties, Template};
pub use value::{Expr, SubTemplate};
