//! Monitoring: where AppFlow's run events go, and which of its metrics raise alarms.
//!
//! A stack declares **targets** (SNS topics and SQS queues it creates or imports, Lambda
//! functions and event buses it imports) and **monitoring**: notifications (AppFlow's EventBridge events,
//! each to a target) and CloudWatch alarms (on AppFlow's `AWS/AppFlow` metrics, each
//! notifying topics). Monitoring is declared for the whole stack, as every flow's default,
//! and per flow, on top of the default or (`inherit = false`) instead of it.
//!
//! [`rules_of`] and [`alarms_of`] resolve what one flow gets, merged and deduplicated:
//! validation, the permissions pass and synthesis all read that one resolution, so a
//! topic's policy names exactly the rules that publish to it.
//!
//! The events (AppFlow user guide, "Flow notifications",
//! <https://docs.aws.amazon.com/appflow/latest/userguide/flow-notifications.html>; Amazon
//! EventBridge events reference, "Amazon AppFlow events"): source `aws.appflow`, on the
//! account's default event bus, delivered best effort; `detail` carries `flow-name`,
//! `flow-arn` and, on the end-of-run report, `status` ("The status that indicates if the
//! flow run failed or was successful"). The guide does not list the status values: the
//! success value `Execution Successful` is the one public AWS samples match
//! (aws-samples' ADA AppFlow extension and AppFlow-to-Glue rules; cdk-appflow's async
//! task sample matches failure as `anything-but` it), so a failed run is matched as any
//! other status, which also counts a cancelled run as failed.

use std::collections::BTreeSet;

use super::flow::{AnyFlow, Trigger};
use super::resources::{KeyRef, Origin};
use super::{Stack, names};

/// What kind of resource a [`Target`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetKind {
    /// An SNS topic (`[topic.<name>]`).
    Topic,
    /// An SQS queue (`[queue.<name>]`).
    Queue,
    /// A Lambda function (`[function.<name>]`).
    Function,
    /// An EventBridge event bus (`[bus.<name>]`).
    Bus,
}

impl TargetKind {
    /// The TOML section, and the word in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Topic => "topic",
            TargetKind::Queue => "queue",
            TargetKind::Function => "function",
            TargetKind::Bus => "bus",
        }
    }
}

/// Where notifications go: an SNS topic, an SQS queue or a Lambda function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub(crate) name: String,
    pub(crate) kind: TargetKind,
    pub(crate) origin: Origin,
    pub(crate) key: Option<KeyRef>,
    pub(crate) retain: Option<bool>,
}

impl Target {
    fn new(name: impl Into<String>, kind: TargetKind, origin: Origin) -> Self {
        Target {
            name: name.into(),
            kind,
            origin,
            key: None,
            retain: None,
        }
    }

    /// An SNS topic the stack creates (`AWS::SNS::Topic`), with a topic policy that lets
    /// exactly this stack's rules and alarms publish to it.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let mut stack = Stack::new("crm");
    /// let alerts = stack.add_target(Target::topic("alerts"));
    /// let existing = stack.add_target(Target::imported_topic("ops", "arn:aws:sns:eu-west-1:123456789012:ops"));
    /// stack.set_monitoring(Monitoring::new().notify(Notification::to(&alerts)).notify(Notification::to(&existing).on([Event::RunFailed])));
    /// assert_eq!(alerts.name(), "alerts");
    /// ```
    pub fn topic(name: impl Into<String>) -> Self {
        Target::new(name, TargetKind::Topic, Origin::Owned)
    }

    /// An existing SNS topic, by ARN: its policy is the owner's to change (a warning
    /// prints the statement to add).
    pub fn imported_topic(name: impl Into<String>, arn: impl Into<String>) -> Self {
        Target::new(name, TargetKind::Topic, Origin::Imported(arn.into()))
    }

    /// An SQS queue the stack creates (`AWS::SQS::Queue`), with a queue policy that lets
    /// exactly this stack's rules send to it.
    pub fn queue(name: impl Into<String>) -> Self {
        Target::new(name, TargetKind::Queue, Origin::Owned)
    }

    /// An existing SQS queue, by ARN.
    pub fn imported_queue(name: impl Into<String>, arn: impl Into<String>) -> Self {
        Target::new(name, TargetKind::Queue, Origin::Imported(arn.into()))
    }

    /// An existing Lambda function, by ARN: the stack adds the permission for each rule
    /// that invokes it (`AWS::Lambda::Permission`).
    pub fn function(name: impl Into<String>, arn: impl Into<String>) -> Self {
        Target::new(name, TargetKind::Function, Origin::Imported(arn.into()))
    }

    /// An existing event bus, by ARN (another account's, or another bus of this one): the
    /// rules send to it with a role the stack creates, allowed `events:PutEvents` on it.
    pub fn bus(name: impl Into<String>, arn: impl Into<String>) -> Self {
        Target::new(name, TargetKind::Bus, Origin::Imported(arn.into()))
    }

    /// Encrypts a created topic or queue with this key (SSE-KMS); the key policy of a
    /// created key then lets EventBridge (and CloudWatch, for a topic) use it. For an
    /// imported topic or queue, the key it is encrypted with, for the warning's statement.
    pub fn encryption_key(mut self, key: impl Into<KeyRef>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Whether a created queue (which holds messages) is kept when the stack is deleted
    /// or it is replaced, whatever the stack's [`Retention`](crate::model::Retention) says.
    pub fn retain(mut self, retain: bool) -> Self {
        self.retain = Some(retain);
        self
    }

    /// The target's name in the stack.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Topic, queue or function.
    pub fn kind(&self) -> TargetKind {
        self.kind
    }

    /// Owned or imported.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Whether the stack keeps it: only a queue holds data (undelivered messages).
    pub(crate) fn holds_data(&self) -> bool {
        self.kind == TargetKind::Queue
    }
}

/// A reference to a [`Target`] of the stack: its kind and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TargetRef {
    pub(crate) kind: TargetKind,
    pub(crate) name: String,
}

impl TargetRef {
    /// The topic named `name`.
    pub fn topic(name: impl Into<String>) -> Self {
        TargetRef {
            kind: TargetKind::Topic,
            name: name.into(),
        }
    }

    /// The queue named `name`.
    pub fn queue(name: impl Into<String>) -> Self {
        TargetRef {
            kind: TargetKind::Queue,
            name: name.into(),
        }
    }

    /// The function named `name`.
    pub fn function(name: impl Into<String>) -> Self {
        TargetRef {
            kind: TargetKind::Function,
            name: name.into(),
        }
    }

    /// The event bus named `name`.
    pub fn bus(name: impl Into<String>) -> Self {
        TargetRef {
            kind: TargetKind::Bus,
            name: name.into(),
        }
    }

    /// The name it refers to.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The kind of target it refers to.
    pub fn kind(&self) -> TargetKind {
        self.kind
    }
}

impl From<&TargetRef> for TargetRef {
    fn from(value: &TargetRef) -> Self {
        value.clone()
    }
}

/// An AppFlow event a notification is sent on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Event {
    /// A run started (`AppFlow Start Flow Run Report`).
    RunStarted,
    /// A run ended, whatever its result (`AppFlow End Flow Run Report`).
    RunCompleted,
    /// A run ended successfully (the end report with status `Execution Successful`).
    RunSucceeded,
    /// A run ended in failure (the end report with any other status).
    RunFailed,
    /// AppFlow deactivated a scheduled or event flow after failures (`AppFlow Scheduled
    /// Flow Deactivated` / `AppFlow Event Flow Deactivated`).
    Deactivated,
    /// An event flow's five-minute count of the events it received (`AppFlow Event Flow
    /// Report`; cdk-appflow's `onStatus`).
    StatusReport,
}

impl Event {
    /// Every event, in TOML order.
    pub const ALL: [Event; 6] = [
        Event::RunStarted,
        Event::RunCompleted,
        Event::RunSucceeded,
        Event::RunFailed,
        Event::Deactivated,
        Event::StatusReport,
    ];

    /// The TOML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Event::RunStarted => "run-started",
            Event::RunCompleted => "run-completed",
            Event::RunSucceeded => "run-succeeded",
            Event::RunFailed => "run-failed",
            Event::Deactivated => "deactivated",
            Event::StatusReport => "status-report",
        }
    }

    /// The event with this TOML spelling.
    pub fn parse(text: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|event| event.as_str() == text)
    }

    /// Whether AppFlow sends it for flows with `trigger`: deactivation only happens to
    /// scheduled and event flows, the status report only to event flows.
    pub fn applies_to(self, trigger: &Trigger) -> bool {
        match self {
            Event::Deactivated => !matches!(trigger, Trigger::OnDemand(_)),
            Event::StatusReport => matches!(trigger, Trigger::OnEvent(_)),
            _ => true,
        }
    }

    /// The `detail-type` AppFlow sends it as, for a flow with `trigger`.
    pub(crate) fn detail_type(self, trigger: &Trigger) -> &'static str {
        match self {
            Event::RunStarted => "AppFlow Start Flow Run Report",
            Event::RunCompleted | Event::RunSucceeded | Event::RunFailed => "AppFlow End Flow Run Report",
            Event::Deactivated if matches!(trigger, Trigger::OnEvent(_)) => "AppFlow Event Flow Deactivated",
            Event::Deactivated => "AppFlow Scheduled Flow Deactivated",
            Event::StatusReport => "AppFlow Event Flow Report",
        }
    }
}

/// The events a notification is sent on when it names none: every failure, and (for a
/// scheduled or event flow) its deactivation.
pub const DEFAULT_EVENTS: [Event; 2] = [Event::RunFailed, Event::Deactivated];

/// A notification: these events of the flow, to this target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub(crate) target: TargetRef,
    pub(crate) on: Option<Vec<Event>>,
}

impl Notification {
    /// Notifies `target` of [`DEFAULT_EVENTS`].
    pub fn to(target: impl Into<TargetRef>) -> Self {
        Notification {
            target: target.into(),
            on: None,
        }
    }

    /// Notifies of these events instead.
    pub fn on(mut self, events: impl IntoIterator<Item = Event>) -> Self {
        self.on = Some(events.into_iter().collect());
        self
    }

    /// Whether the events were given (a stack default's inapplicable events are dropped
    /// for the flows they do not apply to; a flow's own are errors).
    pub(crate) fn events(&self) -> &[Event] {
        self.on.as_deref().unwrap_or(&DEFAULT_EVENTS)
    }
}

/// An AppFlow metric (namespace `AWS/AppFlow`, dimension `FlowName`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// `FlowExecutionsStarted`.
    ExecutionsStarted,
    /// `FlowExecutionsFailed`.
    ExecutionsFailed,
    /// `FlowExecutionsSucceeded`.
    ExecutionsSucceeded,
    /// `FlowExecutionTime`, in milliseconds.
    ExecutionTime,
    /// `FlowExecutionRecordsProcessed`.
    RecordsProcessed,
}

impl Metric {
    /// Every metric, in TOML order.
    pub const ALL: [Metric; 5] = [
        Metric::ExecutionsStarted,
        Metric::ExecutionsFailed,
        Metric::ExecutionsSucceeded,
        Metric::ExecutionTime,
        Metric::RecordsProcessed,
    ];

    /// The TOML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::ExecutionsStarted => "executions-started",
            Metric::ExecutionsFailed => "executions-failed",
            Metric::ExecutionsSucceeded => "executions-succeeded",
            Metric::ExecutionTime => "execution-time",
            Metric::RecordsProcessed => "records-processed",
        }
    }

    /// The metric with this TOML spelling.
    pub fn parse(text: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|metric| metric.as_str() == text)
    }

    /// The CloudWatch metric name (AppFlow user guide, "Monitoring Amazon AppFlow with
    /// Amazon CloudWatch"; the same names as cdk-appflow's `metricFlowExecution*`).
    pub fn metric_name(self) -> &'static str {
        match self {
            Metric::ExecutionsStarted => "FlowExecutionsStarted",
            Metric::ExecutionsFailed => "FlowExecutionsFailed",
            Metric::ExecutionsSucceeded => "FlowExecutionsSucceeded",
            Metric::ExecutionTime => "FlowExecutionTime",
            Metric::RecordsProcessed => "FlowExecutionRecordsProcessed",
        }
    }

    /// The statistic that fits it: an average run time, a count's sum.
    pub fn default_statistic(self) -> Statistic {
        match self {
            Metric::ExecutionTime => Statistic::Average,
            _ => Statistic::Sum,
        }
    }
}

/// An alarm's statistic (`Statistic`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statistic {
    /// `Sum`.
    Sum,
    /// `Average`.
    Average,
    /// `Minimum`.
    Minimum,
    /// `Maximum`.
    Maximum,
    /// `SampleCount`.
    SampleCount,
}

impl Statistic {
    /// The CloudFormation spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Statistic::Sum => "Sum",
            Statistic::Average => "Average",
            Statistic::Minimum => "Minimum",
            Statistic::Maximum => "Maximum",
            Statistic::SampleCount => "SampleCount",
        }
    }
}

/// How an alarm compares the statistic with its threshold (`ComparisonOperator`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `>=`.
    AtLeast,
    /// `>`.
    Above,
    /// `<`.
    Below,
    /// `<=`.
    AtMost,
}

impl Comparison {
    /// The TOML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::AtLeast => ">=",
            Comparison::Above => ">",
            Comparison::Below => "<",
            Comparison::AtMost => "<=",
        }
    }

    /// The CloudFormation spelling.
    pub fn operator(self) -> &'static str {
        match self {
            Comparison::AtLeast => "GreaterThanOrEqualToThreshold",
            Comparison::Above => "GreaterThanThreshold",
            Comparison::Below => "LessThanThreshold",
            Comparison::AtMost => "LessThanOrEqualToThreshold",
        }
    }
}

/// What an alarm makes of a period without data (`TreatMissingData`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MissingData {
    /// Good: a flow that did not run did not fail (the default).
    #[default]
    NotBreaching,
    /// Bad: for "it should have run" alarms.
    Breaching,
    /// Keep the current state.
    Ignore,
    /// `INSUFFICIENT_DATA`.
    Missing,
}

impl MissingData {
    /// The CloudFormation (and TOML) spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            MissingData::NotBreaching => "notBreaching",
            MissingData::Breaching => "breaching",
            MissingData::Ignore => "ignore",
            MissingData::Missing => "missing",
        }
    }
}

/// The period an alarm evaluates when none is given, in seconds.
pub const DEFAULT_PERIOD: u32 = 300;

/// A CloudWatch alarm on one of a flow's metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    pub(crate) name: Option<String>,
    pub(crate) metric: Metric,
    pub(crate) statistic: Option<Statistic>,
    pub(crate) comparison: Comparison,
    pub(crate) threshold: Option<f64>,
    pub(crate) period: u32,
    pub(crate) evaluation_periods: u32,
    pub(crate) datapoints_to_alarm: Option<u32>,
    pub(crate) missing_data: MissingData,
    pub(crate) topics: Vec<TargetRef>,
}

impl Alarm {
    /// An alarm on `metric` when its statistic reaches the threshold (`>=`) in one
    /// five-minute period; a period without data is fine. Failed executions have the
    /// threshold 1 by default; every other metric needs [`Alarm::threshold`].
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let alerts = TargetRef::topic("alerts");
    /// let failed = Alarm::new(Metric::ExecutionsFailed).notify(&alerts);
    /// let slow = Alarm::new(Metric::ExecutionTime)
    ///     .threshold(600_000.0)
    ///     .comparison(Comparison::Above)
    ///     .evaluation_periods(3)
    ///     .notify(&alerts);
    /// let monitoring = Monitoring::new().alarm(failed).alarm(slow);
    /// # let _ = monitoring;
    /// ```
    pub fn new(metric: Metric) -> Self {
        Alarm {
            name: None,
            metric,
            statistic: None,
            comparison: Comparison::AtLeast,
            threshold: (metric == Metric::ExecutionsFailed).then_some(1.0),
            period: DEFAULT_PERIOD,
            evaluation_periods: 1,
            datapoints_to_alarm: None,
            missing_data: MissingData::NotBreaching,
            topics: Vec::new(),
        }
    }

    /// Names the alarm in the flow (default: the metric's name), to tell apart two
    /// alarms on one metric.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The statistic (default: `Average` for execution time, `Sum` otherwise).
    pub fn statistic(mut self, statistic: Statistic) -> Self {
        self.statistic = Some(statistic);
        self
    }

    /// How the statistic is compared with the threshold (default `>=`).
    pub fn comparison(mut self, comparison: Comparison) -> Self {
        self.comparison = comparison;
        self
    }

    /// The threshold.
    pub fn threshold(mut self, threshold: f64) -> Self {
        self.threshold = Some(threshold);
        self
    }

    /// The period, in seconds (10, 30 or a multiple of 60; default 300).
    pub fn period(mut self, seconds: u32) -> Self {
        self.period = seconds;
        self
    }

    /// How many periods are evaluated (default 1).
    pub fn evaluation_periods(mut self, periods: u32) -> Self {
        self.evaluation_periods = periods;
        self
    }

    /// How many of the evaluated periods must breach (default: all of them).
    pub fn datapoints_to_alarm(mut self, datapoints: u32) -> Self {
        self.datapoints_to_alarm = Some(datapoints);
        self
    }

    /// What a period without data counts as (default: not breaching).
    pub fn missing_data(mut self, missing_data: MissingData) -> Self {
        self.missing_data = missing_data;
        self
    }

    /// Notifies this topic when the alarm goes off.
    pub fn notify(mut self, topic: impl Into<TargetRef>) -> Self {
        self.topics.push(topic.into());
        self
    }

    /// The alarm's name in its flow.
    pub(crate) fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(self.metric.as_str())
    }

    /// The statistic it uses.
    pub(crate) fn statistic_or_default(&self) -> Statistic {
        self.statistic.unwrap_or(self.metric.default_statistic())
    }
}

/// Notifications and alarms: a stack's default for every flow, or one flow's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Monitoring {
    pub(crate) inherit: bool,
    pub(crate) notifications: Vec<Notification>,
    pub(crate) alarms: Vec<Alarm>,
}

impl Default for Monitoring {
    fn default() -> Self {
        Monitoring::new()
    }
}

impl Monitoring {
    /// No notifications and no alarms; a flow's own also gets the stack's.
    pub fn new() -> Self {
        Monitoring {
            inherit: true,
            notifications: Vec::new(),
            alarms: Vec::new(),
        }
    }

    /// Adds a notification.
    pub fn notify(mut self, notification: Notification) -> Self {
        self.notifications.push(notification);
        self
    }

    /// Adds an alarm.
    pub fn alarm(mut self, alarm: Alarm) -> Self {
        self.alarms.push(alarm);
        self
    }

    /// For a flow's monitoring: whether the stack's default applies too (default `true`).
    pub fn inherit(mut self, inherit: bool) -> Self {
        self.inherit = inherit;
        self
    }

    /// Whether it declares nothing.
    pub(crate) fn is_empty(&self) -> bool {
        self.notifications.is_empty() && self.alarms.is_empty()
    }
}

/// The notifications that apply to `flow`: the stack's (unless the flow opts out), then
/// its own.
pub(crate) fn notifications_of<'a>(stack: &'a Stack, flow: &'a AnyFlow) -> Vec<&'a Notification> {
    let own = flow.monitoring.as_deref();
    let inherited = own.is_none_or(|own| own.inherit);
    let from_stack = inherited
        .then_some(&stack.monitoring)
        .into_iter()
        .flat_map(|m| &m.notifications);
    from_stack
        .chain(own.into_iter().flat_map(|m| &m.notifications))
        .collect()
}

/// The alarms that apply to `flow`, each with whether it is the flow's own.
pub(crate) fn alarms_of<'a>(stack: &'a Stack, flow: &'a AnyFlow) -> Vec<(&'a Alarm, bool)> {
    let own = flow.monitoring.as_deref();
    let inherited = own.is_none_or(|own| own.inherit);
    let from_stack = inherited
        .then_some(&stack.monitoring)
        .into_iter()
        .flat_map(|m| &m.alarms);
    let from_flow = own.into_iter().flat_map(|m| &m.alarms);
    from_stack
        .map(|alarm| (alarm, false))
        .chain(from_flow.map(|alarm| (alarm, true)))
        .collect()
}

/// What an EventBridge rule of a flow matches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Pattern {
    /// These events, whatever their detail.
    Events(Vec<Event>),
    /// The end-of-run report with a successful status.
    Succeeded,
    /// The end-of-run report with any other status.
    Failed,
}

impl Pattern {
    /// The slug that names the rule: its events joined by `-and-`.
    fn slug(&self) -> String {
        match self {
            Pattern::Events(events) => events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join("-and-"),
            Pattern::Succeeded => Event::RunSucceeded.as_str().into(),
            Pattern::Failed => Event::RunFailed.as_str().into(),
        }
    }
}

/// One EventBridge rule of a flow: what it matches and the targets it notifies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rule {
    /// Its logical ID, `<Flow>Flow<Slug>Rule`.
    pub(crate) logical_id: String,
    /// Its physical name (see [`rule_name`]).
    pub(crate) name: String,
    /// What it matches.
    pub(crate) pattern: Pattern,
    /// The targets, in the order first named.
    pub(crate) targets: Vec<TargetRef>,
}

/// The patterns `events` need, for a flow with `trigger`: the plain events in one, each
/// status filter on its own (EventBridge matches a field's values only in events that
/// have the field, so a status filter cannot share a rule with events without one).
fn patterns(events: &[Event], trigger: &Trigger) -> Vec<Pattern> {
    let mut set: BTreeSet<Event> = events.iter().copied().filter(|e| e.applies_to(trigger)).collect();
    if set.contains(&Event::RunSucceeded) && set.contains(&Event::RunFailed) {
        set.insert(Event::RunCompleted);
    }
    if set.contains(&Event::RunCompleted) {
        set.remove(&Event::RunSucceeded);
        set.remove(&Event::RunFailed);
    }
    let mut patterns = Vec::new();
    let plain: Vec<Event> = set
        .iter()
        .copied()
        .filter(|e| !matches!(e, Event::RunSucceeded | Event::RunFailed))
        .collect();
    if !plain.is_empty() {
        patterns.push(Pattern::Events(plain));
    }
    if set.contains(&Event::RunFailed) {
        patterns.push(Pattern::Failed);
    }
    if set.contains(&Event::RunSucceeded) {
        patterns.push(Pattern::Succeeded);
    }
    patterns
}

/// The rules of `flow`: one per distinct pattern, with every target that wants it.
pub(crate) fn rules_of(stack: &Stack, flow: &AnyFlow) -> Vec<Rule> {
    let mut rules: Vec<Rule> = Vec::new();
    for notification in notifications_of(stack, flow) {
        for pattern in patterns(notification.events(), &flow.trigger) {
            let target = &notification.target;
            match rules.iter_mut().find(|rule| rule.pattern == pattern) {
                Some(rule) if rule.targets.contains(target) => {}
                Some(rule) => rule.targets.push(target.clone()),
                None => {
                    let slug = pattern.slug();
                    rules.push(Rule {
                        logical_id: names::rule_id(&flow.name, &slug),
                        name: rule_name(&stack.name, &flow.name, &slug),
                        pattern,
                        targets: vec![target.clone()],
                    });
                }
            }
        }
    }
    rules.sort_by(|a, b| a.pattern.cmp(&b.pattern));
    rules
}

/// The physical name of a flow's rule: `<stack>.<flow>.<slug>`, fixed so the stack's topic
/// and queue policies can name the rule's ARN without a reference to it (the rule may be
/// in a split flow stack). A stack name holds no `.`, so the prefix `<stack>.` is this
/// stack's alone. `AWS::Events::Rule` `Name`: at most 64 of `[\.\-_A-Za-z0-9]` (its
/// schema); a longer name is cut and ends in a hash of the whole, to stay unique.
pub(crate) fn rule_name(stack: &str, flow: &str, slug: &str) -> String {
    const MAX: usize = 64;
    let full = format!("{stack}.{flow}.{slug}");
    if full.len() <= MAX {
        return full;
    }
    let hash = format!("{:08x}", stable_hash(&full) as u32);
    // By characters: names are checked to be ASCII, but this runs on unchecked ones too.
    let mut cut: String = full.chars().take(MAX - hash.len() - 1).collect();
    cut.push('.');
    cut.push_str(&hash);
    cut
}

/// FNV-1a: a hash that never changes between releases or platforms (physical names are
/// derived from it, and must not change when flowform is upgraded).
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FlowStatus, OnDemand, OnEvent};

    #[test]
    fn status_filters_get_their_own_rule_and_completion_covers_both() {
        let event = Trigger::OnEvent(OnEvent {
            status: FlowStatus::Active,
        });
        assert_eq!(
            patterns(&DEFAULT_EVENTS, &event),
            vec![Pattern::Events(vec![Event::Deactivated]), Pattern::Failed]
        );
        let on_demand = Trigger::OnDemand(OnDemand);
        assert_eq!(patterns(&DEFAULT_EVENTS, &on_demand), vec![Pattern::Failed]);
        assert_eq!(
            patterns(&[Event::RunFailed, Event::RunSucceeded, Event::RunStarted], &on_demand),
            vec![Pattern::Events(vec![Event::RunStarted, Event::RunCompleted])]
        );
        assert_eq!(patterns(&[Event::StatusReport], &on_demand), vec![]);
    }

    #[test]
    fn rule_names_fit_eventbridge_and_stay_unique() {
        assert_eq!(rule_name("crm", "accounts", "run-failed"), "crm.accounts.run-failed");
        let long = rule_name(&"s".repeat(60), "accounts", "run-failed");
        let other = rule_name(&"s".repeat(60), "accounts", "deactivated");
        assert_eq!(long.len(), 64);
        assert_ne!(long, other);
        assert!(long.chars().all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c)));
        // Fixed forever: a changed hash would rename (replace) every long-named rule.
        assert_eq!(format!("{:016x}", stable_hash("a")), "af63dc4c8601ec8c");
    }
}
