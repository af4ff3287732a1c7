//! One flow: its physical name, description, key and tags, its trigger (the schedule's
//! expression, pull mode, offsets, time zone and start and end times), and the profile
//! and buckets its source and destination use. Each connector's own checks run from
//! here; the flow's tasks are checked in `tasks`.

use std::collections::BTreeSet;

use crate::cfn::generated::flow::Flow;
use crate::connectors::constraints::{self, Role};
use crate::connectors::facts::{ConnectorType, PropertyFacts};
use crate::connectors::{BucketUse, Profile, SourceRules};
use crate::model::diagnostic::{ErrorKind, WarningKind, suggest};
use crate::model::flow::{AnyFlow, OnSchedule, PullMode, Trigger};
use crate::model::limits;
use crate::model::names;
use crate::model::path::Path;
use crate::model::resources::ProfileRef;
use crate::model::task::{FilterOp, FilterValue};
use crate::model::text::Text;

use super::naming::MAX_TAGS;
use super::{Checker, root};

impl Checker<'_> {
    pub(super) fn check_flow(&mut self, flow: &AnyFlow) {
        let path = || root("flow").key(&flow.name);
        if let Some(flow_name) = &flow.flow_name
            && let Some(reason) = names::check_flow_name(flow_name)
        {
            let rule = "AppFlow flow names are 2 to 256 letters, digits and `_!@#.-`, starting with a letter or digit";
            self.error(
                path().key("name"),
                ErrorKind::InvalidName {
                    kind: "flow",
                    name: flow_name.clone(),
                    reason,
                    rule: rule.into(),
                },
            );
        }
        if let Some(text) = &flow.description {
            self.check_text(path().key("description"), text, Some(Flow::DESCRIPTION_LIMITS));
        }
        if let Some(description) = flow.description.as_ref().and_then(Text::literal) {
            let bad: BTreeSet<char> = description
                .chars()
                .filter(|c| !(c.is_alphanumeric() || c.is_whitespace() || "_!@#-.?,".contains(*c)))
                .collect();
            if !bad.is_empty() {
                let characters = bad.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(" ");
                self.error(path().key("description"), ErrorKind::InvalidDescription { characters });
            }
        }
        if let Some(key) = &flow.key {
            self.check_reference(|| path().key("key"), "key", key.name());
        }
        self.check_tags(|| path().key("tags"), &flow.tags);
        let merged = flow
            .tags
            .keys()
            .filter(|key| !self.stack.tags.contains_key(*key))
            .count()
            + self.stack.tags.len();
        if merged > MAX_TAGS && flow.tags.len() <= MAX_TAGS && self.stack.tags.len() <= MAX_TAGS {
            self.error(
                path().key("tags"),
                ErrorKind::TooManyTags {
                    count: merged,
                    max: MAX_TAGS,
                },
            );
        }
        self.check_trigger(flow, &path);
        self.check_source(flow, &path);
        self.check_destination(flow, &path);
        self.check_tasks(flow, &path);
    }

    fn check_trigger(&mut self, flow: &AnyFlow, path: &impl Fn() -> Path) {
        let Trigger::OnSchedule(schedule) = &flow.trigger else {
            return;
        };
        let path = || path().key("trigger").key("schedule");
        self.check_schedule(&flow.name, schedule, &path);
    }

    fn check_schedule(&mut self, flow: &str, schedule: &OnSchedule, path: &impl Fn() -> Path) {
        if let Err(reason) = schedule.schedule.parse() {
            self.error(
                path().key("expression"),
                ErrorKind::InvalidSchedule {
                    expression: schedule.schedule.expression.clone(),
                    reason,
                },
            );
        }
        match &schedule.pull {
            PullMode::Incremental {
                timestamp_field: Some(timestamp_field),
            } if timestamp_field.trim().is_empty() => self.error(
                path().key("timestamp-field"),
                ErrorKind::Empty {
                    what: "the timestamp field",
                    help: "name the datetime field that marks changed records, e.g. `LastModifiedDate`",
                },
            ),
            PullMode::Complete if schedule.first_execution_from.is_some() => self.error(
                path().key("first-execution-from"),
                ErrorKind::NeedsIncrementalPull {
                    what: "first-execution-from",
                },
            ),
            _ => {}
        }
        let ranged = [
            (
                "offset",
                "the schedule offset (seconds)",
                schedule.offset_seconds,
                limits::SCHEDULE_OFFSET,
            ),
            (
                "error-deactivation-threshold",
                "the error deactivation threshold",
                schedule.error_deactivation_threshold,
                limits::ERROR_DEACTIVATION_THRESHOLD,
            ),
        ];
        for (key, what, value, limits) in ranged {
            let (min, max) = limits::range(&limits);
            if let Some(value) = value
                && !(min..=max).contains(&i64::from(value))
            {
                let kind = ErrorKind::OutOfRange {
                    what,
                    value: value.into(),
                    min,
                    max,
                };
                self.error(path().key(key), kind);
            }
        }
        if let Some(zone) = &schedule.time_zone
            && jiff::tz::db().get(zone).is_err()
        {
            let available = jiff::tz::db().available();
            let names: Vec<String> = available.map(|name| name.to_string()).collect();
            let suggestion = suggest(zone, names.iter().map(String::as_str));
            self.error(
                path().key("time-zone"),
                ErrorKind::UnknownTimeZone {
                    name: zone.clone(),
                    suggestion,
                },
            );
        }
        if let (Some(start), Some(end)) = (schedule.start, schedule.end)
            && end <= start
        {
            self.error(path().key("end"), ErrorKind::EndBeforeStart);
        }
        if let Some(start) = schedule.start
            && start < self.now
        {
            let parameter = names::start_time_parameter(flow);
            self.warn(
                path().key("start"),
                WarningKind::StartTimeInPast {
                    start: start.to_string(),
                    parameter,
                },
            );
        }
        if let Some(end) = schedule.end
            && end < self.now
        {
            self.warn(path().key("end"), WarningKind::EndTimeInPast { end: end.to_string() });
        }
    }

    fn check_source(&mut self, flow: &AnyFlow, path: &impl Fn() -> Path) {
        let source = flow.source.endpoint();
        let path = path().key("source").key(flow.source.key());
        let accepts = |profile: &Profile| source.accepts_profile(profile);
        self.check_uses(&path, flow.source.key(), accepts, source.profile(), &source.buckets());
        self.check_texts(&path, &source.texts(), Some(flow.source.connector()), Role::Source);
        source.check(self, flow, &path);
        self.check_source_rules(flow, source.rules());
        if matches!(flow.trigger, Trigger::OnEvent(_)) && !flow.source.emits_events() {
            let sources = crate::connectors::Source::event_connectors()
                .iter()
                .map(|connector| format!("`{}`", connector.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            self.error(
                path.parent(),
                ErrorKind::SourceNotEventCapable {
                    connector: flow.source.name(),
                    sources,
                },
            );
        }
    }

    /// What the AppFlow guide says a flow from the source's connector may do: how often it
    /// is scheduled, and the date range it reads.
    fn check_source_rules(&mut self, flow: &AnyFlow, rules: SourceRules) {
        let flow_path = || root("flow").key(&flow.name);
        if let Some(shortest) = rules.shortest_schedule
            && let Trigger::OnSchedule(schedule) = &flow.trigger
            && let Ok(parsed) = schedule.schedule.parse()
            && parsed.shortest_interval() < shortest
        {
            let (every, unit, cron) = match shortest {
                86_400.. => (
                    "a day",
                    "day",
                    ", or a cron expression with one minute and one hour, e.g. `cron(0 6 * * ? *)`",
                ),
                3_600.. => (
                    "an hour",
                    "hour",
                    ", or a cron expression with one minute, e.g. `cron(0 * * * ? *)`",
                ),
                _ => ("a minute", "minute", ""),
            };
            let error = ErrorKind::ScheduleTooFrequent {
                connector: rules.name,
                every,
                unit,
                cron,
            };
            self.error(flow_path().key("trigger").key("schedule").key("expression"), error);
        }
        let ranges: Vec<(usize, i64)> = flow
            .filters
            .iter()
            .enumerate()
            .filter(|(_, filter)| filter.op == FilterOp::Between)
            .filter_map(|(index, filter)| match filter.values.as_slice() {
                [FilterValue::Datetime(from), FilterValue::Datetime(to)] => {
                    let seconds = to.as_second() - from.as_second();
                    Some((index, (seconds + 86_399).div_euclid(86_400)))
                }
                _ => None,
            })
            .collect();
        if let Some(most) = rules.longest_date_range_days {
            for &(index, days) in ranges.iter().filter(|(_, days)| *days > most) {
                let error = ErrorKind::DateRangeTooLong {
                    connector: rules.name,
                    days,
                    most: format!("{most} days"),
                };
                self.error(flow_path().key("filter").index(index).key("value"), error);
            }
        }
        // An incremental schedule reads the time since its last run: AppFlow sets that range.
        let incremental = matches!(&flow.trigger, Trigger::OnSchedule(schedule) if matches!(schedule.pull, PullMode::Incremental { .. }));
        let any_between = flow.filters.iter().any(|filter| filter.op == FilterOp::Between);
        if rules.needs_date_range && !any_between && !incremental {
            let warning = WarningKind::NoDateRange { connector: rules.name };
            self.warn(flow_path().key("source").key(flow.source.key()), warning);
        }
    }

    fn check_destination(&mut self, flow: &AnyFlow, path: &impl Fn() -> Path) {
        let destination = flow.destination.endpoint();
        let path = path().key("destination").key(flow.destination.key());
        let accepts = |profile: &Profile| destination.accepts_profile(profile);
        self.check_uses(
            &path,
            flow.destination.key(),
            accepts,
            destination.profile(),
            &destination.buckets(),
        );
        self.check_texts(
            &path,
            &destination.texts(),
            flow.destination.connector(),
            Role::Destination,
        );
        destination.check(self, flow, &path);
    }

    /// The settings of an endpoint at `path` that may be references.
    fn check_texts(
        &mut self,
        path: &Path,
        texts: &[(&'static [&'static str], &Text)],
        connector: Option<ConnectorType>,
        role: Role,
    ) {
        for (at, text) in texts {
            let facts = connector.and_then(|connector| constraints::property(connector, role, at.last()?));
            let limits = facts.map(PropertyFacts::limits);
            self.check_text(at.iter().fold(path.clone(), |path, key| path.key(key)), text, limits);
        }
    }

    /// The profile and buckets an endpoint at `path` uses are declared, and the profile is
    /// one of the endpoint's connector (`key`, its TOML key, unless the endpoint says which
    /// profiles it `accepts`: a profile of another connector would write another
    /// connector's settings, or none where this one needs them).
    fn check_uses(
        &mut self,
        path: &Path,
        key: &'static str,
        accepts: impl Fn(&Profile) -> Option<bool>,
        profile: Option<&ProfileRef>,
        buckets: &[BucketUse<'_>],
    ) {
        if let Some(profile) = profile
            && self.check_reference(|| path.key("profile"), "profile", profile.name())
            && let Some(declared) = self.profile(profile.name())
            && !accepts(declared).unwrap_or(declared.key() == key)
        {
            let error = ErrorKind::ProfileOfAnotherConnector {
                profile: profile.name().to_owned(),
                profile_connector: declared.key(),
                connector: key,
            };
            self.error(path.key("profile"), error);
        }
        for used in buckets {
            let at = |last: &str| {
                let (_, parents) = used.at.split_last().unwrap_or((&"", &[]));
                parents.iter().fold(path.clone(), |path, key| path.key(key)).key(last)
            };
            self.check_reference(|| at(used.at.last().unwrap_or(&"bucket")), "bucket", used.bucket.name());
            if let Some((prefix, limits)) = &used.prefix {
                self.check_limits(|| at("prefix"), limits, prefix);
            }
            if let Some(limits) = &used.name {
                self.check_bucket_name_limits(|| at(used.at.last().unwrap_or(&"bucket")), used.bucket, limits);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{errors, now, stack, stack_with, warnings};
    use crate::model::{
        ErrorKind, Mapping, OnEventFlow, OnScheduleFlow, RateUnit, S3Destination, S3Source, Schedule, Timestamp,
        WarningKind,
    };
    use jiff::SignedDuration;

    /// The stack with an hourly flow `f` from `lake` to `lake`, changed by `edit`.
    fn scheduled(edit: impl FnOnce(OnScheduleFlow) -> OnScheduleFlow) -> crate::model::Stack {
        let (mut stack, lake) = stack();
        let flow = OnScheduleFlow::new(
            "f",
            Schedule::rate(1, RateUnit::Hours),
            S3Source::new(&lake, "in/"),
            S3Destination::new(&lake),
        );
        stack.add_flow(edit(flow.mapping(Mapping::map_all())));
        stack
    }

    fn hours_from_now(hours: i64) -> Timestamp {
        now() + SignedDuration::from_hours(hours)
    }

    #[test]
    fn a_flow_name_longer_than_appflow_allows() {
        let found = errors(stack_with(|flow| flow.flow_name("x".repeat(257))));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "flow.f.name");
        assert!(
            matches!(&found[0].1, ErrorKind::InvalidName { kind: "flow", reason, .. } if reason.contains("2 to 256"))
        );
        assert_eq!(warnings(stack_with(|flow| flow.flow_name("x".repeat(256)))), []);
    }

    #[test]
    fn a_schedule_start_in_the_past_is_a_warning() {
        let found = warnings(scheduled(|flow| flow.start_time(hours_from_now(-1))));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "flow.f.trigger.schedule.start");
        assert!(
            matches!(&found[0].1, WarningKind::StartTimeInPast { parameter, .. } if *parameter == crate::model::names::start_time_parameter("f"))
        );
        assert_eq!(warnings(scheduled(|flow| flow.start_time(hours_from_now(1)))), []);
    }

    #[test]
    fn schedule_settings_out_of_range() {
        let found = errors(scheduled(|flow| {
            flow.start_time(hours_from_now(2))
                .end_time(hours_from_now(1))
                .offset_seconds(36_001)
                .time_zone("Europe/Pari")
        }));
        let paths: Vec<&str> = found.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "flow.f.trigger.schedule.offset",
                "flow.f.trigger.schedule.time-zone",
                "flow.f.trigger.schedule.end",
            ]
        );
        assert!(matches!(found[0].1, ErrorKind::OutOfRange { max: 36_000, .. }));
        assert_eq!(
            found[1].1,
            ErrorKind::UnknownTimeZone {
                name: "Europe/Pari".into(),
                suggestion: Some("Europe/Paris".into())
            }
        );
        assert_eq!(found[2].1, ErrorKind::EndBeforeStart);
    }

    #[test]
    fn a_flow_over_the_tag_limit_with_the_stack_tags() {
        // 26 tags of its own and 25 of the stack's: 51.
        let tagged = |stack_tags: &[String]| {
            let stack = stack_with(|flow| (0..26).fold(flow, |flow, i| flow.tag(format!("f{i}"), "x")));
            stack_tags.iter().fold(stack, |stack, key| stack.tag(key, "x"))
        };
        let mut stack_tags: Vec<String> = (0..25).map(|i| format!("s{i}")).collect();
        assert_eq!(
            errors(tagged(&stack_tags)),
            [("flow.f.tags".into(), ErrorKind::TooManyTags { count: 51, max: 50 })]
        );
        // A key both have is one tag: 50.
        stack_tags[0] = "f0".into();
        assert_eq!(warnings(tagged(&stack_tags)), []);
    }

    #[test]
    fn a_description_appflow_rejects() {
        let found = errors(stack_with(|flow| flow.description("sales; all <regions>")));
        assert_eq!(
            found,
            [(
                "flow.f.description".into(),
                ErrorKind::InvalidDescription {
                    characters: "`;` `<` `>`".into()
                }
            )]
        );
    }

    #[test]
    fn an_event_flow_from_a_source_that_emits_none() {
        let (mut stack, lake) = stack();
        stack.add_flow(
            OnEventFlow::new("f", S3Source::new(&lake, "in/"), S3Destination::new(&lake)).mapping(Mapping::map_all()),
        );
        let found = errors(stack);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "flow.f.source");
        assert!(matches!(
            found[0].1,
            ErrorKind::SourceNotEventCapable { connector: "S3", .. }
        ));
    }
}
