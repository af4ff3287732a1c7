//! Flows: [`OnDemandFlow`], [`OnScheduleFlow`] and [`OnEventFlow`].
//!
//! The three share one generic [`Flow`] whose type parameter is the trigger, so the
//! common builder methods (description, key, tags, tasks) are written once and the
//! trigger-specific ones (schedule settings, status) exist only where they apply. A stack
//! holds them as [`AnyFlow`] (`Flow<Trigger>`).

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::resources::KeyRef;
use super::schedule::Schedule;
use super::task::{Filter, Mapping, Transform, Validation};
use super::text::Text;
use crate::connectors::{Destination, Source};

/// The status of a triggered flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlowStatus {
    /// The flow runs on its trigger.
    Active,
    /// The flow exists but does not run.
    Suspended,
    /// The flow is saved but not validated or activated.
    Draft,
}

impl FlowStatus {
    /// The value as CloudFormation spells it (`FlowStatus`).
    pub fn as_str(self) -> &'static str {
        match self {
            FlowStatus::Active => "Active",
            FlowStatus::Suspended => "Suspended",
            FlowStatus::Draft => "Draft",
        }
    }
}

/// A flow with trigger `T`.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow<T> {
    pub(crate) name: String,
    pub(crate) flow_name: Option<String>,
    pub(crate) description: Option<Text>,
    pub(crate) key: Option<KeyRef>,
    pub(crate) tags: BTreeMap<String, String>,
    pub(crate) source: Source,
    pub(crate) destination: Destination,
    pub(crate) mappings: Vec<Mapping>,
    pub(crate) filters: Vec<Filter>,
    pub(crate) transforms: Vec<Transform>,
    pub(crate) validations: Vec<Validation>,
    pub(crate) trigger: T,
    pub(crate) retain: Option<bool>,
    /// Its own monitoring (boxed: most flows have none, and a stack holds thousands).
    pub(crate) monitoring: Option<Box<super::monitoring::Monitoring>>,
}

/// Runs when started by hand or through the API.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OnDemand;

/// Runs on a schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnSchedule {
    pub(crate) schedule: Schedule,
    pub(crate) pull: PullMode,
    pub(crate) start: Option<Timestamp>,
    pub(crate) end: Option<Timestamp>,
    pub(crate) offset_seconds: Option<u32>,
    pub(crate) time_zone: Option<String>,
    pub(crate) first_execution_from: Option<Timestamp>,
    pub(crate) error_deactivation_threshold: Option<u32>,
    pub(crate) status: FlowStatus,
}

/// Runs on events from the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnEvent {
    pub(crate) status: FlowStatus,
}

/// What each scheduled run transfers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullMode {
    /// All records, every run.
    Complete,
    /// What changed since the previous run: records whose `timestamp_field` changed, or
    /// (without one) what the source connector counts as new, such as S3's new files.
    /// `IncrementalPullConfig.DatetimeTypeFieldName` is optional in the flow schema.
    Incremental {
        /// The datetime field that marks a change (e.g. `LastModifiedDate`).
        timestamp_field: Option<String>,
    },
}

/// A flow's trigger, as stored in a stack.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// See [`OnDemand`].
    OnDemand(OnDemand),
    /// See [`OnSchedule`].
    OnSchedule(OnSchedule),
    /// See [`OnEvent`].
    OnEvent(OnEvent),
}

impl Trigger {
    /// The flow kind in messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Trigger::OnDemand(_) => "on-demand",
            Trigger::OnSchedule(_) => "scheduled",
            Trigger::OnEvent(_) => "event-triggered",
        }
    }
}

impl From<OnDemand> for Trigger {
    fn from(trigger: OnDemand) -> Self {
        Trigger::OnDemand(trigger)
    }
}

impl From<OnSchedule> for Trigger {
    fn from(trigger: OnSchedule) -> Self {
        Trigger::OnSchedule(trigger)
    }
}

impl From<OnEvent> for Trigger {
    fn from(trigger: OnEvent) -> Self {
        Trigger::OnEvent(trigger)
    }
}

/// A flow that runs when started.
pub type OnDemandFlow = Flow<OnDemand>;
/// A flow that runs on a schedule.
pub type OnScheduleFlow = Flow<OnSchedule>;
/// A flow that runs on source events.
pub type OnEventFlow = Flow<OnEvent>;
/// A flow of any kind, as a stack holds it.
pub type AnyFlow = Flow<Trigger>;

/// Where in a flow a setting that may be a reference is ([`Flow::texts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextAt {
    /// Under the source's table, at these keys.
    Source(&'static [&'static str]),
    /// Under the destination's table, at these keys.
    Destination(&'static [&'static str]),
    /// `description`.
    Description,
}

impl<T> Flow<T> {
    /// The path of the setting at `at`.
    pub(crate) fn text_path(&self, at: TextAt) -> super::Path {
        let flow = super::Path::root().key("flow").key(&self.name);
        let (table, keys) = match at {
            TextAt::Description => return flow.key("description"),
            TextAt::Source(keys) => (flow.key("source").key(self.source.key()), keys),
            TextAt::Destination(keys) => (flow.key("destination").key(self.destination.key()), keys),
        };
        keys.iter().fold(table, |path, key| path.key(key))
    }
}

impl<T> Flow<T> {
    fn with_trigger(name: impl Into<String>, source: Source, destination: Destination, trigger: T) -> Self {
        Flow {
            name: name.into(),
            flow_name: None,
            description: None,
            key: None,
            tags: BTreeMap::new(),
            source,
            destination,
            mappings: Vec::new(),
            filters: Vec::new(),
            transforms: Vec::new(),
            validations: Vec::new(),
            trigger,
            retain: None,
            monitoring: None,
        }
    }

    /// Whether the flow (and its run history) is kept when the stack is deleted or the
    /// flow replaced, whatever the stack's [`Retention`](crate::model::Retention) default
    /// says.
    pub fn retain(mut self, retain: bool) -> Self {
        self.retain = Some(retain);
        self
    }

    /// Gives the flow its own notifications and alarms, on top of the stack's
    /// ([`crate::model::Stack::set_monitoring`]) or, with `inherit(false)`, instead of them.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let flow = OnDemandFlow::new(
    ///     "orders",
    ///     S3Source::new(BucketRef::named("raw"), "orders"),
    ///     S3Destination::new(BucketRef::named("curated")),
    /// )
    /// .map_all()
    /// .monitoring(Monitoring::new().notify(Notification::to(TargetRef::queue("runs")).on([Event::RunCompleted])));
    /// # let _ = flow;
    /// ```
    pub fn monitoring(mut self, monitoring: super::monitoring::Monitoring) -> Self {
        self.monitoring = Some(Box::new(monitoring));
        self
    }

    /// Sets the physical `FlowName` instead of the derived `<stack>-<name>`.
    pub fn flow_name(mut self, flow_name: impl Into<String>) -> Self {
        self.flow_name = Some(flow_name.into());
        self
    }

    /// Sets the description: text, or a reference ([`Text`]).
    pub fn description(mut self, description: impl Into<Text>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Encrypts the flow's data with this key instead of the AWS-managed one.
    pub fn encryption_key(mut self, key: impl Into<KeyRef>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Adds a tag (on top of the stack's tags; a flow tag wins over a stack tag).
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.insert(key.into(), value.into());
        self
    }

    /// Adds a mapping.
    pub fn mapping(mut self, mapping: Mapping) -> Self {
        self.mappings.push(mapping);
        self
    }

    /// Maps every source field under its own name (TOML `map-all = {}`).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let flow = OnDemandFlow::new(
    ///     "orders",
    ///     S3Source::new(BucketRef::named("raw"), "orders"),
    ///     S3Destination::new(BucketRef::named("curated")),
    /// )
    /// .map_all();
    /// # let _ = flow;
    /// ```
    pub fn map_all(self) -> Self {
        self.mapping(Mapping::map_all())
    }

    /// Maps these fields under their own names (TOML `map-fields = [...]`).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let flow = OnDemandFlow::new(
    ///     "orders",
    ///     S3Source::new(BucketRef::named("raw"), "orders"),
    ///     S3Destination::new(BucketRef::named("curated")),
    /// )
    /// .map_fields(["id", "total"]);
    /// # let _ = flow;
    /// ```
    pub fn map_fields<I: IntoIterator<Item = S>, S: Into<String>>(mut self, fields: I) -> Self {
        self.mappings.extend(fields.into_iter().map(Mapping::field));
        self
    }

    /// Adds a filter.
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filters.push(filter);
        self
    }

    /// Adds a transform (mask or truncate).
    pub fn transform(mut self, transform: Transform) -> Self {
        self.transforms.push(transform);
        self
    }

    /// Adds a validation.
    pub fn validation(mut self, validation: Validation) -> Self {
        self.validations.push(validation);
        self
    }

    /// The flow's name in the stack.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its settings that may be references, each with where it is in the flow.
    pub(crate) fn texts(&self) -> Vec<(TextAt, &Text)> {
        let source = self.source.endpoint().texts().into_iter();
        let destination = self.destination.endpoint().texts().into_iter();
        source
            .map(|(at, text)| (TextAt::Source(at), text))
            .chain(destination.map(|(at, text)| (TextAt::Destination(at), text)))
            .chain(self.description.iter().map(|text| (TextAt::Description, text)))
            .collect()
    }

    /// The source.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The destination.
    pub fn destination(&self) -> &Destination {
        &self.destination
    }

    /// The trigger.
    pub fn trigger(&self) -> &T {
        &self.trigger
    }

    /// The same flow with its trigger converted (e.g. into [`Trigger`]).
    pub fn into_any(self) -> Flow<Trigger>
    where
        T: Into<Trigger>,
    {
        Flow {
            name: self.name,
            flow_name: self.flow_name,
            description: self.description,
            key: self.key,
            tags: self.tags,
            source: self.source,
            destination: self.destination,
            mappings: self.mappings,
            filters: self.filters,
            transforms: self.transforms,
            validations: self.validations,
            trigger: self.trigger.into(),
            retain: self.retain,
            monitoring: self.monitoring,
        }
    }
}

impl OnDemandFlow {
    /// A flow from `source` to `destination` that runs when started.
    pub fn new(name: impl Into<String>, source: impl Into<Source>, destination: impl Into<Destination>) -> Self {
        Flow::with_trigger(name, source.into(), destination.into(), OnDemand)
    }
}

impl OnScheduleFlow {
    /// A flow from `source` to `destination` on `schedule`, pulling all records each run
    /// and active once deployed.
    pub fn new(
        name: impl Into<String>,
        schedule: Schedule,
        source: impl Into<Source>,
        destination: impl Into<Destination>,
    ) -> Self {
        let trigger = OnSchedule {
            schedule,
            pull: PullMode::Complete,
            start: None,
            end: None,
            offset_seconds: None,
            time_zone: None,
            first_execution_from: None,
            error_deactivation_threshold: None,
            status: FlowStatus::Active,
        };
        Flow::with_trigger(name, source.into(), destination.into(), trigger)
    }

    /// Each run transfers only records whose `timestamp_field` changed since the last.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let mut stack = Stack::new("crm");
    /// let lake = stack.add_bucket(Bucket::owned("lake"));
    /// let flow = OnScheduleFlow::new(
    ///     "hourly",
    ///     Schedule::rate(1, RateUnit::Hours),
    ///     S3Source::new(&lake, "in/"),
    ///     S3Destination::new(&lake).prefix("out"),
    /// )
    /// .incremental("LastModifiedDate")
    /// .start_time("2030-01-01T00:00:00Z".parse().unwrap())
    /// .time_zone("Europe/Paris")
    /// .error_deactivation_threshold(5)
    /// .status(FlowStatus::Suspended)
    /// .map_all();
    /// assert_eq!(flow.name(), "hourly");
    /// stack.add_flow(flow);
    /// ```
    pub fn incremental(mut self, timestamp_field: impl Into<String>) -> Self {
        self.trigger.pull = PullMode::Incremental {
            timestamp_field: Some(timestamp_field.into()),
        };
        self
    }

    /// Each run transfers only what is new since the last, as the source connector tells
    /// it (an S3 source has no datetime field: AppFlow reads the files added since).
    pub fn incremental_without_field(mut self) -> Self {
        self.trigger.pull = PullMode::Incremental { timestamp_field: None };
        self
    }

    /// Each run transfers all records (the default).
    pub fn complete(mut self) -> Self {
        self.trigger.pull = PullMode::Complete;
        self
    }

    /// When the schedule starts. Emitted as a template parameter with this default, so a
    /// deploy can move it forward: AppFlow rejects start times in the past.
    pub fn start_time(mut self, start: Timestamp) -> Self {
        self.trigger.start = Some(start);
        self
    }

    /// When the schedule ends.
    pub fn end_time(mut self, end: Timestamp) -> Self {
        self.trigger.end = Some(end);
        self
    }

    /// Delays each run by this many seconds (0–36000).
    pub fn offset_seconds(mut self, seconds: u32) -> Self {
        self.trigger.offset_seconds = Some(seconds);
        self
    }

    /// The IANA time zone the schedule is read in (e.g. `Europe/Paris`).
    pub fn time_zone(mut self, time_zone: impl Into<String>) -> Self {
        self.trigger.time_zone = Some(time_zone.into());
        self
    }

    /// Where the first incremental run starts reading (AppFlow's default is 30 days back).
    pub fn first_execution_from(mut self, from: Timestamp) -> Self {
        self.trigger.first_execution_from = Some(from);
        self
    }

    /// Deactivates the flow after this many consecutive failed runs (1–100).
    pub fn error_deactivation_threshold(mut self, failures: u32) -> Self {
        self.trigger.error_deactivation_threshold = Some(failures);
        self
    }

    /// Active (the default), suspended or draft.
    pub fn status(mut self, status: FlowStatus) -> Self {
        self.trigger.status = status;
        self
    }
}

impl OnEventFlow {
    /// A flow from `source` to `destination` that runs on source events, active once
    /// deployed.
    pub fn new(name: impl Into<String>, source: impl Into<Source>, destination: impl Into<Destination>) -> Self {
        Flow::with_trigger(
            name,
            source.into(),
            destination.into(),
            OnEvent {
                status: FlowStatus::Active,
            },
        )
    }

    /// Active (the default), suspended or draft.
    pub fn status(mut self, status: FlowStatus) -> Self {
        self.trigger.status = status;
        self
    }
}
