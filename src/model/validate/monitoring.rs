//! Validation of monitoring: the targets (their ARNs and keys), every notification's
//! target and events, every alarm's threshold, period and topics, and what EventBridge
//! and CloudWatch allow per rule and per alarm.

use miette::Diagnostic;
use thiserror::Error;

use super::{Checker, arn_parts, root};
use crate::model::flow::{AnyFlow, Trigger};
use crate::model::monitoring::{Alarm, Monitoring, Target, alarms_of, rules_of};
use crate::model::path::Path;
use crate::model::{ErrorKind, Origin, Stack, TargetKind, names};

/// The most targets an EventBridge rule may have (EventBridge quotas, "Targets per rule":
/// 5, not adjustable).
pub(crate) const MAX_RULE_TARGETS: usize = 5;
/// The most actions an alarm may have per state (`AlarmActions`, `maxUniqueItems` 5 in
/// the `AWS::CloudWatch::Alarm` schema).
pub(crate) const MAX_ALARM_ACTIONS: usize = 5;

/// A monitoring mistake.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum MonitoringError {
    /// An event a flow's own notification names is one AppFlow never sends for it.
    #[error("AppFlow never sends `{event}` for {trigger} flows")]
    #[diagnostic(
        code(flowform::monitoring::event_not_sent),
        help(
            "AppFlow deactivates only scheduled and event flows, and sends the status report only for event flows (AppFlow user guide, \"Flow notifications\"); remove `{event}` from `on`"
        )
    )]
    EventNotSent {
        /// The event.
        event: &'static str,
        /// The flow's kind.
        trigger: &'static str,
    },

    /// A notification lists no events.
    #[error("`on` lists no events")]
    #[diagnostic(
        code(flowform::monitoring::no_events),
        help(
            "list the events to notify of, from `run-started`, `run-completed`, `run-succeeded`, `run-failed`, `deactivated`, `status-report`, or leave `on` out for `[\"run-failed\", \"deactivated\"]`"
        )
    )]
    NoEvents,

    /// `inherit` on the stack's monitoring, which has nothing to inherit from.
    #[error("`inherit` is a flow's setting")]
    #[diagnostic(
        code(flowform::monitoring::inherit_on_stack),
        help(
            "the stack's monitoring is every flow's default; to leave one flow out, set `inherit = false` in that flow's `monitoring`"
        )
    )]
    InheritOnStack,

    /// A flow's notifications need a rule with more targets than EventBridge allows.
    #[error("flow `{flow}` notifies {count} targets of the same events; an EventBridge rule has at most 5")]
    #[diagnostic(
        code(flowform::monitoring::too_many_targets),
        help(
            "notify fewer targets of these events (EventBridge quotas: 5 targets per rule, not adjustable), for instance one topic with several subscriptions"
        )
    )]
    TooManyTargets {
        /// The flow.
        flow: String,
        /// How many targets the rule would have.
        count: usize,
    },

    /// An alarm on a metric with no default threshold has none.
    #[error("an alarm on `{metric}` needs a `threshold`")]
    #[diagnostic(
        code(flowform::monitoring::no_threshold),
        help("set `threshold`: only `executions-failed` has a default (1, any failed run)")
    )]
    NoThreshold {
        /// The metric.
        metric: &'static str,
    },

    /// A threshold that is not a finite number.
    #[error("the threshold {value} is not a finite number")]
    #[diagnostic(
        code(flowform::monitoring::invalid_threshold),
        help("use a finite number, e.g. `1` or `600000`")
    )]
    InvalidThreshold {
        /// The value.
        value: f64,
    },

    /// A period AppFlow's metrics cannot be evaluated at.
    #[error("the period {period} s is not a multiple of 60")]
    #[diagnostic(
        code(flowform::monitoring::invalid_period),
        help(
            "AppFlow publishes standard-resolution metrics, so an alarm's period is a multiple of 60 seconds (PutMetricAlarm, `Period`: 10 and 30 are for high-resolution metrics only), e.g. 300"
        )
    )]
    InvalidPeriod {
        /// The period in seconds.
        period: u32,
    },

    /// The alarm looks back further than CloudWatch allows.
    #[error("{periods} periods of {period} s look back {total} s; CloudWatch allows at most {max} s")]
    #[diagnostic(
        code(flowform::monitoring::evaluation_too_long),
        help(
            "PutMetricAlarm: `EvaluationPeriods` × `Period` is at most one day, or seven days for periods of an hour or more; use fewer or shorter periods"
        )
    )]
    EvaluationTooLong {
        /// The evaluation periods.
        periods: u32,
        /// The period.
        period: u32,
        /// Their product.
        total: u64,
        /// The limit.
        max: u64,
    },

    /// More breaching datapoints than evaluated periods.
    #[error("{datapoints} datapoints to alarm out of {periods} evaluated periods")]
    #[diagnostic(
        code(flowform::monitoring::datapoints_above_periods),
        help("`datapoints-to-alarm` is at most `evaluation-periods`")
    )]
    DatapointsAbovePeriods {
        /// The datapoints.
        datapoints: u32,
        /// The periods.
        periods: u32,
    },

    /// Two alarms of a flow with one name.
    #[error("flow `{flow}` has two alarms named `{name}`")]
    #[diagnostic(
        code(flowform::monitoring::duplicate_alarm),
        help("give one of them a `name`: alarms are named after their metric unless named")
    )]
    DuplicateAlarm {
        /// The flow.
        flow: String,
        /// The alarm's name.
        name: String,
    },

    /// An alarm notifies more topics than CloudWatch allows.
    #[error("an alarm notifies at most 5 topics")]
    #[diagnostic(
        code(flowform::monitoring::too_many_actions),
        help("`AlarmActions` has at most 5 entries")
    )]
    TooManyActions,

    /// An imported target's ARN is not one of its kind.
    #[error("`{value}` is not the ARN of {what}")]
    #[diagnostic(code(flowform::monitoring::invalid_target_arn), help("{help}"))]
    InvalidTargetArn {
        /// What it should be.
        what: &'static str,
        /// The value.
        value: String,
        /// What a valid one looks like, and why.
        help: &'static str,
    },
}

impl crate::model::Label for MonitoringError {}

/// The most rules an event bus holds by default (EventBridge quotas, "Rules per event bus":
/// 300, adjustable); every rule of the stack is on the account's default bus.
pub(crate) const RULES_PER_BUS: usize = 300;

/// A monitoring setup that compiles but needs a look.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum MonitoringWarning {
    /// More rules than the default event bus holds by default.
    #[error(
        "the stack's notifications make {count} EventBridge rules on the default event bus, whose quota is 300 by default"
    )]
    #[diagnostic(
        code(flowform::monitoring::rules_quota),
        severity(Warning),
        help(
            "ask for a higher \"Rules per event bus\" quota (EventBridge quotas, adjustable) before deploying, or notify fewer kinds of events: each distinct set of events of a flow is one rule"
        )
    )]
    RulesQuota {
        /// How many rules.
        count: usize,
    },
}

impl crate::model::Label for MonitoringWarning {}

/// The names of the stack's targets of `kind`.
pub(super) fn targets_of(stack: &Stack, kind: TargetKind) -> Vec<&str> {
    stack
        .targets
        .iter()
        .filter(|t| t.kind == kind)
        .map(|t| t.name.as_str())
        .collect()
}

/// Every logical ID flow `flow`'s monitoring adds: its rules, their permissions, its alarms.
pub(super) fn logical_ids(stack: &Stack, flow: &AnyFlow) -> Vec<String> {
    if flow.monitoring.is_none() && stack.monitoring.is_empty() {
        return Vec::new();
    }
    let mut ids = Vec::new();
    for rule in rules_of(stack, flow) {
        for function in rule.targets.iter().filter(|t| t.kind == TargetKind::Function) {
            ids.push(names::rule_permission_id(&rule.logical_id, &function.name));
        }
        ids.push(rule.logical_id);
    }
    // Alarms with one label are reported by the monitoring check; one ID each here.
    let mut labels: Vec<&str> = alarms_of(stack, flow)
        .into_iter()
        .map(|(alarm, _)| alarm.label())
        .collect();
    labels.sort_unstable();
    labels.dedup();
    ids.extend(labels.into_iter().map(|label| names::alarm_id(&flow.name, label)));
    ids
}

/// The path of monitoring: the stack's, or flow `flow`'s.
fn monitoring_path(flow: Option<&str>) -> Path {
    match flow {
        Some(flow) => root("flow").key(flow).key("monitoring"),
        None => root("stack").key("monitoring"),
    }
}

impl Checker<'_> {
    /// Checks the targets, the stack's monitoring and every flow's.
    pub(super) fn check_monitoring(&mut self) {
        let stack = self.stack;
        for target in &stack.targets {
            self.check_target(target);
        }
        if !stack.monitoring.inherit {
            self.error(
                monitoring_path(None).key("inherit"),
                ErrorKind::Monitoring(MonitoringError::InheritOnStack),
            );
        }
        self.check_declared(&stack.monitoring, None, None);
        let mut rules = 0;
        for flow in &stack.flows {
            if let Some(own) = flow.monitoring.as_deref() {
                self.check_declared(own, Some(&flow.name), Some(&flow.trigger));
            }
            if flow.monitoring.is_some() || !stack.monitoring.is_empty() {
                rules += self.check_applied(flow);
            }
        }
        if rules > RULES_PER_BUS {
            let kind = MonitoringWarning::RulesQuota { count: rules };
            self.warn(monitoring_path(None), crate::model::WarningKind::Monitoring(kind));
        }
    }

    /// An imported target's ARN, and the key of any target.
    fn check_target(&mut self, target: &Target) {
        let path = || root(target.kind.as_str()).key(&target.name);
        if let Some(key) = &target.key {
            self.check_reference(|| path().key("key"), "key", key.name());
        }
        let Origin::Imported(arn) = &target.origin else { return };
        let (service, what, help, valid): (_, _, _, fn(&str) -> bool) = match target.kind {
            TargetKind::Topic => (
                "sns",
                "an SNS topic",
                "a topic ARN is `arn:aws:sns:<region>:<account>:<name>`; EventBridge notifies standard topics (a FIFO topic, `.fifo`, needs a message group ID flowform does not set)",
                |name| !name.is_empty() && !name.ends_with(".fifo") && !name.contains(':'),
            ),
            TargetKind::Queue => (
                "sqs",
                "an SQS queue",
                "a queue ARN is `arn:aws:sqs:<region>:<account>:<name>`; EventBridge sends to standard queues here (a FIFO queue, `.fifo`, needs a message group ID flowform does not set)",
                |name| !name.is_empty() && !name.ends_with(".fifo") && !name.contains(':'),
            ),
            TargetKind::Bus => (
                "events",
                "an EventBridge event bus",
                "an event bus ARN is `arn:aws:events:<region>:<account>:event-bus/<name>`",
                |resource| {
                    resource
                        .strip_prefix("event-bus/")
                        .is_some_and(|name| !name.is_empty() && !name.contains('/'))
                },
            ),
            TargetKind::Function => (
                "lambda",
                "a Lambda function",
                "a function ARN is `arn:aws:lambda:<region>:<account>:function:<name>`, optionally with `:<alias or version>`",
                |resource| {
                    resource
                        .strip_prefix("function:")
                        .is_some_and(|name| !name.is_empty() && name.split(':').count() <= 2)
                },
            ),
        };
        let region_and_account = arn.split(':').nth(3).is_some_and(|region| !region.is_empty())
            && arn
                .split(':')
                .nth(4)
                .is_some_and(|account| account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()));
        if !(region_and_account && arn_parts(arn, service).is_some_and(valid)) {
            let kind = MonitoringError::InvalidTargetArn {
                what,
                value: arn.clone(),
                help,
            };
            self.error(path().key("import"), ErrorKind::Monitoring(kind));
        }
    }

    /// What a monitoring declares: its references, events and alarms. `flow` and
    /// `trigger` are those of a flow's own monitoring.
    fn check_declared(&mut self, monitoring: &Monitoring, flow: Option<&str>, trigger: Option<&Trigger>) {
        for (index, notification) in monitoring.notifications.iter().enumerate() {
            let path = || monitoring_path(flow).key("notify").index(index);
            let target = &notification.target;
            self.check_reference(|| path().key(target.kind.as_str()), target.kind.as_str(), &target.name);
            if notification.on.as_ref().is_some_and(Vec::is_empty) {
                self.error(path().key("on"), ErrorKind::Monitoring(MonitoringError::NoEvents));
            }
            let Some(trigger) = trigger else { continue };
            for (at, event) in notification.on.iter().flatten().enumerate() {
                if !event.applies_to(trigger) {
                    let kind = MonitoringError::EventNotSent {
                        event: event.as_str(),
                        trigger: trigger.kind(),
                    };
                    self.error(path().key("on").index(at), ErrorKind::Monitoring(kind));
                }
            }
        }
        for (index, alarm) in monitoring.alarms.iter().enumerate() {
            self.check_alarm(alarm, &|| monitoring_path(flow).key("alarm").index(index));
        }
    }

    fn check_alarm(&mut self, alarm: &Alarm, path: &dyn Fn() -> Path) {
        let report = |checker: &mut Self, at: Path, kind: MonitoringError| {
            checker.error(at, ErrorKind::Monitoring(kind));
        };
        match alarm.threshold {
            None => {
                let kind = MonitoringError::NoThreshold {
                    metric: alarm.metric.as_str(),
                };
                report(self, path().key("metric"), kind);
            }
            Some(value) if !value.is_finite() => {
                report(
                    self,
                    path().key("threshold"),
                    MonitoringError::InvalidThreshold { value },
                );
            }
            Some(_) => {}
        }
        if alarm.period == 0 || !alarm.period.is_multiple_of(60) {
            let kind = MonitoringError::InvalidPeriod { period: alarm.period };
            report(self, path().key("period"), kind);
        } else {
            let total = u64::from(alarm.period) * u64::from(alarm.evaluation_periods);
            let max = if alarm.period >= 3600 { 7 * 86_400 } else { 86_400 };
            if total > max {
                let kind = MonitoringError::EvaluationTooLong {
                    periods: alarm.evaluation_periods,
                    period: alarm.period,
                    total,
                    max,
                };
                report(self, path().key("evaluation-periods"), kind);
            }
        }
        for (key, value) in [
            ("evaluation-periods", Some(alarm.evaluation_periods)),
            ("datapoints-to-alarm", alarm.datapoints_to_alarm),
        ] {
            if value == Some(0) {
                let kind = ErrorKind::OutOfRange {
                    what: "a count of periods",
                    value: 0,
                    min: 1,
                    max: i64::from(u32::MAX),
                };
                self.error(path().key(key), kind);
            }
        }
        if let Some(datapoints) = alarm.datapoints_to_alarm
            && datapoints > alarm.evaluation_periods
        {
            let kind = MonitoringError::DatapointsAbovePeriods {
                datapoints,
                periods: alarm.evaluation_periods,
            };
            report(self, path().key("datapoints-to-alarm"), kind);
        }
        if alarm.topics.len() > MAX_ALARM_ACTIONS {
            report(self, path().key("topic"), MonitoringError::TooManyActions);
        }
        for topic in &alarm.topics {
            self.check_reference(|| path().key("topic"), "topic", &topic.name);
        }
    }

    /// What the stack's and the flow's monitoring give the flow together: rules within
    /// EventBridge's target limit, alarms with distinct names. How many rules it has.
    fn check_applied(&mut self, flow: &AnyFlow) -> usize {
        let stack = self.stack;
        let rules = rules_of(stack, flow);
        for rule in &rules {
            if rule.targets.len() > MAX_RULE_TARGETS {
                let kind = MonitoringError::TooManyTargets {
                    flow: flow.name.clone(),
                    count: rule.targets.len(),
                };
                self.error(monitoring_path(Some(&flow.name)), ErrorKind::Monitoring(kind));
            }
        }
        let mut seen: Vec<&str> = Vec::new();
        for (alarm, own) in alarms_of(stack, flow) {
            let label = alarm.label();
            if seen.contains(&label) {
                let kind = MonitoringError::DuplicateAlarm {
                    flow: flow.name.clone(),
                    name: label.into(),
                };
                let path = if own {
                    monitoring_path(Some(&flow.name))
                } else {
                    monitoring_path(None)
                };
                self.error(path.key("alarm"), ErrorKind::Monitoring(kind));
            }
            seen.push(label);
        }
        rules.len()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, flow, stack, warnings};
    use super::*;
    use crate::model::{Alarm, Event, Metric, Notification, Target, TargetRef};

    #[test]
    fn a_stack_default_drops_what_a_flow_never_sends_and_a_flow_s_own_is_an_error() {
        let (mut stack, lake) = stack();
        let alerts = stack.add_target(Target::topic("alerts"));
        // `deactivated` is in the default events: an on-demand flow just does not get it.
        stack.set_monitoring(Monitoring::new().notify(Notification::to(&alerts)));
        stack.add_flow(flow("f", &lake));
        assert_eq!(warnings(stack.clone()), []);
        stack.add_flow(flow("g", &lake).monitoring(
            Monitoring::new().notify(Notification::to(&alerts).on([Event::RunStarted, Event::StatusReport])),
        ));
        assert_eq!(
            codes(stack),
            ["flow.g.monitoring.notify[0].on[1] flowform::monitoring::event_not_sent"]
        );
    }

    #[test]
    fn references_arns_and_alarm_settings_are_checked() {
        let (mut stack, lake) = stack();
        stack.add_target(Target::imported_topic(
            "ops",
            "arn:aws:sns:eu-west-1:123456789012:ops.fifo",
        ));
        stack.add_target(Target::function("pager", "arn:aws:lambda:eu-west-1:123456789012:pager"));
        stack.add_target(Target::queue("runs").encryption_key(crate::model::KeyRef::named("nope")));
        stack.add_target(Target::bus(
            "central",
            "arn:aws:events:eu-west-1:123456789012:rule/central",
        ));
        let alarm = Alarm::new(Metric::ExecutionTime)
            .period(30)
            .evaluation_periods(2)
            .datapoints_to_alarm(3);
        stack.add_flow(
            flow("f", &lake).monitoring(
                Monitoring::new()
                    .notify(Notification::to(TargetRef::queue("run")))
                    .alarm(alarm.notify(TargetRef::topic("ops")))
                    .alarm(Alarm::new(Metric::ExecutionsFailed).threshold(f64::NAN))
                    .alarm(
                        Alarm::new(Metric::ExecutionsFailed)
                            .period(3600)
                            .evaluation_periods(200),
                    ),
            ),
        );
        assert_eq!(
            codes(stack),
            [
                "topic.ops.import flowform::monitoring::invalid_target_arn",
                "function.pager.import flowform::monitoring::invalid_target_arn",
                "queue.runs.key flowform::model::unknown_reference",
                "bus.central.import flowform::monitoring::invalid_target_arn",
                "flow.f.monitoring.notify[0].queue flowform::model::unknown_reference",
                "flow.f.monitoring.alarm[0].metric flowform::monitoring::no_threshold",
                "flow.f.monitoring.alarm[0].period flowform::monitoring::invalid_period",
                "flow.f.monitoring.alarm[0].datapoints-to-alarm flowform::monitoring::datapoints_above_periods",
                "flow.f.monitoring.alarm[1].threshold flowform::monitoring::invalid_threshold",
                "flow.f.monitoring.alarm[2].evaluation-periods flowform::monitoring::evaluation_too_long",
                "flow.f.monitoring.alarm flowform::monitoring::duplicate_alarm",
            ]
        );
    }

    #[test]
    fn a_rule_has_at_most_five_targets_and_an_unused_target_is_a_warning() {
        let (mut stack, lake) = stack();
        let mut monitoring = Monitoring::new();
        for index in 0..6 {
            let topic = stack.add_target(Target::topic(format!("t{index}")));
            monitoring = monitoring.notify(Notification::to(&topic).on([Event::RunFailed]));
        }
        stack.add_target(Target::queue("spare"));
        stack.add_flow(flow("f", &lake).monitoring(monitoring));
        assert_eq!(
            codes(stack.clone()),
            ["flow.f.monitoring flowform::monitoring::too_many_targets"]
        );
        stack.flows[0].monitoring.as_mut().unwrap().notifications.pop();
        let unused: Vec<String> = warnings(stack).into_iter().map(|(path, _)| path).collect();
        assert_eq!(unused, ["topic.t5", "queue.spare"]);
    }

    #[test]
    fn past_the_default_bus_quota_the_rules_are_a_warning() {
        let (mut stack, lake) = stack();
        let alerts = stack.add_target(Target::queue("alerts"));
        stack.set_monitoring(
            Monitoring::new().notify(Notification::to(&alerts).on([Event::RunStarted, Event::RunFailed])),
        );
        for index in 0..151 {
            stack.add_flow(flow(&format!("f{index}"), &lake));
        }
        let found = warnings(stack);
        let quota: Vec<_> = found
            .iter()
            .filter(|(_, kind)| kind.code().unwrap().to_string().ends_with("rules_quota"))
            .collect();
        assert_eq!(quota.len(), 1, "302 rules: {found:?}");
    }

    #[test]
    fn inherit_is_a_flow_s_setting() {
        let (mut stack, lake) = stack();
        stack.set_monitoring(Monitoring::new().inherit(false));
        stack.add_flow(flow("f", &lake));
        assert_eq!(
            codes(stack),
            ["stack.monitoring.inherit flowform::monitoring::inherit_on_stack"]
        );
    }
}
