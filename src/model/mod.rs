//! The typed construct model: what a stack of AppFlow flows *means*, free of TOML and of
//! CloudFormation.
//!
//! Build it with the Rust API ([`Stack`] and the `add_*` methods) or from a TOML file; both
//! give the same model. Nothing here is checked on construction: [`validate`] checks
//! everything at once and reports every problem with the [`Path`] of the value at fault.

pub(crate) mod acknowledge;
mod diagnostic;
mod flow;
pub(crate) mod limits;
pub(crate) mod monitoring;
pub mod names;
mod parameter;
mod path;
mod profile;
mod resources;
mod retention;
mod schedule;
mod task;
mod text;
pub(crate) mod validate;

use std::collections::BTreeMap;

pub use crate::connectors::prelude::*;
pub use acknowledge::Acknowledgement;
pub use diagnostic::{ErrorKind, Label, Located, ModelError, ModelWarning, WarningKind, suggest};
pub use flow::{
    AnyFlow, Flow, FlowStatus, OnDemand, OnDemandFlow, OnEvent, OnEventFlow, OnSchedule, OnScheduleFlow, PullMode,
    Trigger,
};
pub use monitoring::{
    Alarm, Comparison, DEFAULT_EVENTS, DEFAULT_PERIOD, Event, Metric, MissingData, Monitoring, Notification, Statistic,
    Target, TargetKind, TargetRef,
};
pub use parameter::DeclaredParameter;
pub use path::{Path, Segment};
pub use profile::Credential;
pub use resources::{Bucket, BucketRef, Domain, DomainRef, Key, KeyRef, Origin, ProfileRef, Secret, SecretRef};
pub use retention::Retention;
pub use schedule::{ParsedSchedule, RateUnit, Schedule};
pub use task::{
    ArithmeticOp, Field, Filter, FilterField, FilterOp, FilterType, FilterValue, Mapping, MaskScope, Transform,
    Validation, ValidationAction, ValidationCheck,
};
pub use text::Text;
pub use validate::{Diagnostics, Validated, validate};

/// A point in time (schedule times, datetime filter values), re-exported from `jiff`.
pub use jiff::Timestamp;

/// One CloudFormation stack's worth of AppFlow resources.
#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) tags: BTreeMap<String, String>,
    pub(crate) parameters: Vec<DeclaredParameter>,
    pub(crate) acknowledgements: Vec<Acknowledgement>,
    pub(crate) retention: Retention,
    pub(crate) buckets: Vec<Bucket>,
    pub(crate) keys: Vec<Key>,
    pub(crate) secrets: Vec<Secret>,
    pub(crate) profiles: Vec<Profile>,
    pub(crate) domains: Vec<Domain>,
    pub(crate) connectors: Vec<RegisteredConnector>,
    pub(crate) targets: Vec<Target>,
    pub(crate) monitoring: Monitoring,
    pub(crate) flows: Vec<AnyFlow>,
}

impl Stack {
    /// An empty stack. `name` is the CloudFormation stack name and prefixes the physical
    /// names of the flows and profiles it creates.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let mut stack = Stack::new("crm").description("CRM exports").tag("team", "data");
    /// let lake = stack.add_bucket(Bucket::owned("lake"));
    /// stack.add_flow(OnDemandFlow::new("accounts", S3Source::new(&lake, "in/"), S3Destination::new(&lake)).map_all());
    /// assert_eq!(stack.name(), "crm");
    /// let compiled = flowform::compile(stack, &flowform::CompileOptions::default()).expect("the stack is valid");
    /// assert!(compiled.template.resources.contains_key("AccountsFlow"));
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        Stack {
            name: name.into(),
            description: None,
            tags: BTreeMap::new(),
            parameters: Vec::new(),
            acknowledgements: Vec::new(),
            retention: Retention::Data,
            buckets: Vec::new(),
            keys: Vec::new(),
            secrets: Vec::new(),
            profiles: Vec::new(),
            domains: Vec::new(),
            connectors: Vec::new(),
            targets: Vec::new(),
            monitoring: Monitoring::new(),
            flows: Vec::new(),
        }
    }

    /// Sets the template description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Adds a tag to every taggable resource the stack creates.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.insert(key.into(), value.into());
        self
    }

    /// Declares a template parameter the stack's references use: its description,
    /// default and constraints (see [`DeclaredParameter`]).
    pub fn parameter(mut self, parameter: DeclaredParameter) -> Self {
        self.parameters.push(parameter);
        self
    }

    /// Acknowledges a warning the stack knows it has (see [`Acknowledgement`]): it is not
    /// reported, and `--deny-warnings` passes.
    pub fn acknowledge(mut self, acknowledgement: Acknowledgement) -> Self {
        self.acknowledgements.push(acknowledgement);
        self
    }

    /// Which resources the stack keeps when it is deleted, by default (see [`Retention`];
    /// a resource's own `retain` wins).
    pub fn retention(mut self, retention: Retention) -> Self {
        self.retention = retention;
        self
    }

    /// The declared template parameters.
    pub fn parameters(&self) -> &[DeclaredParameter] {
        &self.parameters
    }

    /// The declaration of the parameter `name`, if the stack has one.
    pub(crate) fn declared_parameter(&self, name: &str) -> Option<&DeclaredParameter> {
        self.parameters.iter().find(|declared| declared.name == name)
    }

    /// Adds a bucket and returns a reference to it.
    pub fn add_bucket(&mut self, bucket: Bucket) -> BucketRef {
        let reference = BucketRef::named(&bucket.name);
        self.buckets.push(bucket);
        reference
    }

    /// Adds a KMS key and returns a reference to it.
    pub fn add_key(&mut self, key: Key) -> KeyRef {
        let reference = KeyRef::named(&key.name);
        self.keys.push(key);
        reference
    }

    /// Adds a secret and returns a reference to it.
    pub fn add_secret(&mut self, secret: Secret) -> SecretRef {
        let reference = SecretRef::named(&secret.name);
        self.secrets.push(secret);
        reference
    }

    /// Adds a Customer Profiles domain and returns a reference to it.
    pub fn add_domain(&mut self, domain: Domain) -> DomainRef {
        let reference = DomainRef::named(&domain.name);
        self.domains.push(domain);
        reference
    }

    /// Adds a notification target (topic, queue or function) and returns a reference to it.
    pub fn add_target(&mut self, target: Target) -> TargetRef {
        let reference = TargetRef {
            kind: target.kind,
            name: target.name.clone(),
        };
        self.targets.push(target);
        reference
    }

    /// Sets the monitoring every flow gets (a flow's own adds to it, or replaces it with
    /// `inherit(false)`): for instance, a topic notified of every failed run and
    /// deactivation, `Monitoring::new().notify(Notification::to(&alerts))`.
    pub fn set_monitoring(&mut self, monitoring: Monitoring) {
        self.monitoring = monitoring;
    }

    /// Registers a custom connector and returns its name, for the profiles that use it
    /// ([`CustomConnectorProfile::registered`]).
    pub fn add_connector(&mut self, connector: RegisteredConnector) -> String {
        let name = connector.name.clone();
        self.connectors.push(connector);
        name
    }

    /// Adds a connector profile and returns a reference to it.
    pub fn add_profile(&mut self, profile: impl Into<Profile>) -> ProfileRef {
        let profile = profile.into();
        let reference = ProfileRef::named(profile.base().name());
        self.profiles.push(profile);
        reference
    }

    /// Adds a flow of any kind.
    pub fn add_flow<T: Into<Trigger>>(&mut self, flow: Flow<T>) {
        self.flows.push(flow.into_any());
    }

    /// The stack name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The flows, in the order they were added.
    pub fn flows(&self) -> &[AnyFlow] {
        &self.flows
    }

    /// The buckets, in the order they were added.
    pub fn buckets(&self) -> &[Bucket] {
        &self.buckets
    }

    /// Removes the flow named `name` and returns it, if there is one.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let mut stack = Stack::new("crm");
    /// let lake = stack.add_bucket(Bucket::owned("lake"));
    /// stack.add_flow(OnDemandFlow::new("old", S3Source::new(&lake, "in/"), S3Destination::new(&lake)).map_all());
    /// assert!(stack.remove_flow("old").is_some());
    /// assert!(stack.flows().is_empty());
    /// ```
    pub fn remove_flow(&mut self, name: &str) -> Option<AnyFlow> {
        let position = self.flows.iter().position(|flow| flow.name == name)?;
        Some(self.flows.remove(position))
    }
}
