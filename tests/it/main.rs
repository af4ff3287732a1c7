//! flowform's integration tests, in one binary: each links the library (and the AWS SDK),
//! so one binary instead of ten saves most of the test build's link time.
//!
//! - `binary`: how the command is linked (`build.rs`);
//! - `constructs`: the JSON each construct of the Rust API becomes;
//! - `examples`, `toml_examples`: the examples' golden templates (`SNAPSHOTS=overwrite cargo
//!   test` updates them), and that TOML and Rust give the same bytes;
//! - `properties`, `robustness`: property tests of the pipeline, and random and mutated
//!   TOML through it (no panic, every error with its place);
//! - `schema`: the JSON Schema of the format is current;
//! - `split`: stacks split within CloudFormation's quotas;
//! - `readme`: the README's commands;
//! - `references`: settings that are references (parameters, secrets, SSM, exports);
//! - `ui`: the rendered diagnostics of every bad input in `tests/ui/`;
//! - `deploy` (feature `deploy`): `flowform deploy`, `diff` and `destroy` against a local
//!   CloudFormation.

#[path = "../support/mod.rs"]
mod support;

#[cfg(feature = "deploy")]
#[path = "../support/local_cfn.rs"]
mod local_cfn;

#[path = "../../examples/custom_connector_registered.rs"]
mod custom_connector_registered;
#[path = "../../examples/customer_profiles_contacts.rs"]
mod customer_profiles_contacts;
#[path = "../../examples/hubspot_companies.rs"]
mod hubspot_companies;
#[path = "../../examples/marketo_leads.rs"]
mod marketo_leads;
#[path = "../../examples/monitored_flows.rs"]
mod monitored_flows;
#[path = "../../examples/observability_to_s3.rs"]
mod observability_to_s3;
#[path = "../../examples/s3_to_salesforce_upsert.rs"]
mod s3_to_salesforce_upsert;
#[path = "../../examples/salesforce_events_to_eventbridge.rs"]
mod salesforce_events_to_eventbridge;
#[path = "../../examples/salesforce_to_redshift.rs"]
mod salesforce_to_redshift;
#[path = "../../examples/salesforce_to_s3_hourly.rs"]
mod salesforce_to_s3_hourly;
#[path = "../../examples/salesforce_to_s3_on_demand.rs"]
mod salesforce_to_s3_on_demand;
#[path = "../../examples/zendesk_support.rs"]
mod zendesk_support;

mod binary;
mod conformance;
mod constructs;
#[cfg(feature = "deploy")]
mod deploy;
mod examples;
#[cfg(feature = "deploy")]
mod monitoring;
#[cfg(feature = "deploy")]
mod operate;
mod properties;
mod readme;
mod references;
mod robustness;
#[cfg(feature = "deploy")]
mod rollout;
mod schema;
mod split;
mod toml_examples;
mod ui;
