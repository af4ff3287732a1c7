//! Lowering of monitoring: `[topic.*]`, `[queue.*]`, `[function.*]` and `[bus.*]` → the
//! model's targets, and a stack's or flow's `monitoring` table → [`Monitoring`].

use std::ops::Range;

use super::{Allowed, At, Lowerer};
use crate::input::raw::*;
use crate::model::*;

impl Lowerer {
    /// Adds the targets of `topics`, `queues` and `functions` to `stack`.
    pub(super) fn targets(
        &mut self,
        stack: &mut Stack,
        topics: &[(String, Range<usize>, TomlTopic)],
        queues: &[(String, Range<usize>, TomlQueue)],
        functions: &[(String, Range<usize>, TomlFunction)],
    ) {
        for (name, _, topic) in topics {
            let path = self.root("topic").key(name);
            let mut target = match &topic.import {
                Some(arn) => Target::imported_topic(name, self.string(&path.key("import"), arn)),
                None => Target::topic(name),
            };
            if let Some(key) = self.opt_string(&path.key("key"), &topic.key) {
                target = target.encryption_key(KeyRef::named(key));
            }
            stack.add_target(target);
        }
        for (name, _, queue) in queues {
            let path = self.root("queue").key(name);
            let mut target = match &queue.import {
                Some(arn) => Target::imported_queue(name, self.string(&path.key("import"), arn)),
                None => Target::queue(name),
            };
            if let Some(key) = self.opt_string(&path.key("key"), &queue.key) {
                target = target.encryption_key(KeyRef::named(key));
            }
            if let Some(retain) = queue.retain {
                target = target.retain(retain);
            }
            stack.add_target(target);
        }
        for (name, _, function) in functions {
            let path = self.root("function").key(name);
            let arn = self.string(&path.key("import"), &function.import);
            stack.add_target(Target::function(name, arn));
        }
    }

    /// Adds the event buses of `buses` to `stack`.
    pub(super) fn buses(&mut self, stack: &mut Stack, buses: &[(String, Range<usize>, TomlBus)]) {
        for (name, _, bus) in buses {
            let arn = self.string(&self.root("bus").key(name).key("import"), &bus.import);
            stack.add_target(Target::bus(name, arn));
        }
    }

    /// A `monitoring` table at `path`.
    pub(super) fn monitoring(&mut self, path: &At, raw: &Sp<TomlMonitoring>) -> Monitoring {
        self.record(path, raw.span());
        let raw = raw.get();
        let mut monitoring = Monitoring::new();
        if let Some(inherit) = raw.inherit {
            monitoring = monitoring.inherit(inherit);
        }
        for (index, notification) in raw.notify.iter().enumerate() {
            let at = path.key("notify").index(index);
            if let Some(notification) = self.notification(&at, notification) {
                monitoring = monitoring.notify(notification);
            }
        }
        for (index, alarm) in raw.alarm.iter().enumerate() {
            let at = path.key("alarm").index(index);
            if let Some(alarm) = self.alarm(&at, alarm) {
                monitoring = monitoring.alarm(alarm);
            }
        }
        monitoring
    }

    fn notification(&mut self, path: &At, raw: &Sp<TomlNotification>) -> Option<Notification> {
        self.record(path, raw.span());
        let span = raw.span();
        let raw = raw.get();
        let choices = [
            ("topic", raw.topic.is_some()),
            ("queue", raw.queue.is_some()),
            ("function", raw.function.is_some()),
            ("bus", raw.bus.is_some()),
        ];
        if !self.exactly_one(&choices, span, "notify") {
            return None;
        }
        let target = match (&raw.topic, &raw.queue, &raw.function, &raw.bus) {
            (Some(topic), ..) => TargetRef::topic(self.string(&path.key("topic"), topic)),
            (_, Some(queue), ..) => TargetRef::queue(self.string(&path.key("queue"), queue)),
            (_, _, Some(function), _) => TargetRef::function(self.string(&path.key("function"), function)),
            (.., Some(bus)) => TargetRef::bus(self.string(&path.key("bus"), bus)),
            _ => return None,
        };
        let mut notification = Notification::to(target);
        if let Some(on) = &raw.on {
            let events = on.iter().enumerate().map(|(index, event)| {
                self.record(&path.key("on").index(index), event.span());
                match event.get() {
                    TomlRunEvent::RunStarted => Event::RunStarted,
                    TomlRunEvent::RunCompleted => Event::RunCompleted,
                    TomlRunEvent::RunSucceeded => Event::RunSucceeded,
                    TomlRunEvent::RunFailed => Event::RunFailed,
                    TomlRunEvent::Deactivated => Event::Deactivated,
                    TomlRunEvent::StatusReport => Event::StatusReport,
                }
            });
            notification = notification.on(events.collect::<Vec<_>>());
        }
        Some(notification)
    }

    fn alarm(&mut self, path: &At, raw: &Sp<TomlAlarm>) -> Option<Alarm> {
        self.record(path, raw.span());
        let raw = raw.get();
        self.record(&path.key("metric"), raw.metric.span());
        let metric = match raw.metric.get() {
            TomlMetric::ExecutionsStarted => Metric::ExecutionsStarted,
            TomlMetric::ExecutionsFailed => Metric::ExecutionsFailed,
            TomlMetric::ExecutionsSucceeded => Metric::ExecutionsSucceeded,
            TomlMetric::ExecutionTime => Metric::ExecutionTime,
            TomlMetric::RecordsProcessed => Metric::RecordsProcessed,
        };
        let mut alarm = Alarm::new(metric);
        if let Some(name) = self.opt_string(&path.key("name"), &raw.name) {
            alarm = alarm.name(name);
        }
        if let Some(statistic) = &raw.statistic {
            self.record(&path.key("statistic"), statistic.span());
            alarm = alarm.statistic(match statistic.get() {
                TomlStatistic::Sum => Statistic::Sum,
                TomlStatistic::Average => Statistic::Average,
                TomlStatistic::Minimum => Statistic::Minimum,
                TomlStatistic::Maximum => Statistic::Maximum,
                TomlStatistic::SampleCount => Statistic::SampleCount,
            });
        }
        if let Some(comparison) = &raw.comparison {
            self.record(&path.key("comparison"), comparison.span());
            alarm = alarm.comparison(match comparison.get() {
                TomlComparison::AtLeast => Comparison::AtLeast,
                TomlComparison::Above => Comparison::Above,
                TomlComparison::Below => Comparison::Below,
                TomlComparison::AtMost => Comparison::AtMost,
            });
        }
        if let Some(threshold) = &raw.threshold {
            self.record(&path.key("threshold"), threshold.span());
            alarm = alarm.threshold(*threshold.get());
        }
        let mut read = true;
        let mut count = |lowerer: &mut Self, key: &str, value: &Option<Sp<i64>>, what: &'static str| {
            let value = value.as_ref()?;
            let counted = lowerer.count(&path.key(key), value, what, Allowed::Positive);
            read &= counted.is_some();
            counted
        };
        if let Some(period) = count(self, "period", &raw.period, "an alarm's period") {
            alarm = alarm.period(period);
        }
        if let Some(periods) = count(
            self,
            "evaluation-periods",
            &raw.evaluation_periods,
            "an alarm's evaluation periods",
        ) {
            alarm = alarm.evaluation_periods(periods);
        }
        if let Some(datapoints) = count(
            self,
            "datapoints-to-alarm",
            &raw.datapoints_to_alarm,
            "an alarm's datapoints",
        ) {
            alarm = alarm.datapoints_to_alarm(datapoints);
        }
        if let Some(missing) = &raw.missing_data {
            self.record(&path.key("missing-data"), missing.span());
            alarm = alarm.missing_data(match missing.get() {
                TomlMissingData::NotBreaching => MissingData::NotBreaching,
                TomlMissingData::Breaching => MissingData::Breaching,
                TomlMissingData::Ignore => MissingData::Ignore,
                TomlMissingData::Missing => MissingData::Missing,
            });
        }
        if let Some(topic) = self.opt_string(&path.key("topic"), &raw.topic) {
            alarm = alarm.notify(TargetRef::topic(topic));
        }
        read.then_some(alarm)
    }
}
