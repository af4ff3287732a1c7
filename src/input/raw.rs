//! The raw TOML types: a 1:1 mirror of the file format, with a span on every value a
//! message may point at.
//!
//! Rules: kebab-case keys, unknown keys rejected, and choices externally tagged
//! (`source.<connector> = {...}`, `trigger.schedule = {...}`) rather than internally tagged
//! or untagged, because those lose spans. These types also generate the JSON Schema of the
//! format (`schema/flowform.schema.json`); their `///` docs become its descriptions.
//!
//! Longer than most modules: it mirrors the whole shared part of the format, one type per
//! table, with the docs the JSON Schema shows.

#[cfg(feature = "schema")]
use std::borrow::Cow;
use std::collections::BTreeMap;

#[cfg(feature = "schema")]
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

pub use crate::connectors::custom::registration::TomlConnector;
pub use crate::connectors::{TomlDestination, TomlProfile, TomlSource};
#[cfg(feature = "schema")]
use crate::model;

/// A `schemars` transform giving a key's subschema (its items', for a list) the official
/// schema's `limits` on the property its value becomes (`model::limits`): the format's
/// JSON Schema then refuses in the editor what validation reports at the span, from the
/// same generated numbers.
#[cfg(feature = "schema")]
pub(crate) fn with_limits(limits: &'static model::limits::Limits) -> impl FnMut(&mut Schema) {
    move |schema: &mut Schema| {
        if let Some(object) = schema.as_object_mut() {
            add_limits(object, limits);
        }
    }
}

/// A tag map: its keys within `Tag.Key`'s limits, its values within `Tag.Value`'s.
#[cfg(feature = "schema")]
fn tag_limits(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let mut names = serde_json::Map::new();
    add_limits(&mut names, &model::limits::TAG_KEY);
    object.insert("propertyNames".into(), names.into());
    if let Some(serde_json::Value::Object(values)) = object.get_mut("additionalProperties") {
        add_limits(values, &model::limits::TAG_VALUE);
    }
}

#[cfg(feature = "schema")]
fn add_limits(object: &mut serde_json::Map<String, serde_json::Value>, limits: &model::limits::Limits) {
    if object.get("type").is_some_and(|t| t == "array") {
        if let Some(serde_json::Value::Object(items)) = object.get_mut("items") {
            add_limits(items, limits);
        }
        return;
    }
    let keywords = [
        ("maxLength", limits.max_length.map(serde_json::Value::from)),
        ("minLength", limits.min_length.map(serde_json::Value::from)),
        ("pattern", limits.pattern.map(serde_json::Value::from)),
        ("minimum", limits.minimum.map(serde_json::Value::from)),
        ("maximum", limits.maximum.map(serde_json::Value::from)),
    ];
    for (keyword, value) in keywords {
        if let Some(value) = value {
            object.insert(keyword.into(), value);
        }
    }
}

/// A value with its byte span in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T>(pub toml::Spanned<T>);

impl<T> Sp<T> {
    /// The value.
    pub fn get(&self) -> &T {
        self.0.get_ref()
    }

    /// Its byte range in the file.
    pub fn span(&self) -> std::ops::Range<usize> {
        self.0.span()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        toml::Spanned::<T>::deserialize(deserializer).map(Sp)
    }
}

#[cfg(feature = "schema")]
impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }

    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

/// A flowform file: one CloudFormation stack of AppFlow flows. Table keys (`[bucket.lake]`)
/// are the names the rest of the file refers to, and the source of logical IDs.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlFile {
    /// The stack.
    pub stack: TomlStack,
    /// S3 buckets, by name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("propertyNames" = { "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" })))]
    pub bucket: BTreeMap<String, TomlBucket>,
    /// KMS keys, by name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("propertyNames" = { "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" })))]
    pub key: BTreeMap<String, TomlKey>,
    /// Secrets Manager secrets, by name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("propertyNames" = { "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" })))]
    pub secret: BTreeMap<String, TomlSecret>,
    /// Connector profiles, by name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("propertyNames" = { "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" })))]
    pub profile: BTreeMap<String, TomlProfile>,
    /// Custom connectors the stack registers from their Lambda functions, by name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("propertyNames" = { "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" })))]
    pub connector: BTreeMap<String, TomlConnector>,
    /// Amazon Connect Customer Profiles domains, by name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("propertyNames" = { "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" })))]
    pub domain: BTreeMap<String, TomlDomain>,
    /// SNS topics notifications and alarms go to, by name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("propertyNames" = { "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" })))]
    pub topic: BTreeMap<String, TomlTopic>,
    /// SQS queues notifications go to, by name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("propertyNames" = { "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" })))]
    pub queue: BTreeMap<String, TomlQueue>,
    /// Lambda functions notifications invoke, by name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("propertyNames" = { "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" })))]
    pub function: BTreeMap<String, TomlFunction>,
    /// EventBridge event buses notifications are sent to, by name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("propertyNames" = { "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" })))]
    pub bus: BTreeMap<String, TomlBus>,
    /// Flows, by name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("propertyNames" = { "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" })))]
    pub flow: BTreeMap<String, TomlFlow>,
}

/// `[stack]`: the CloudFormation stack.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlStack {
    /// The stack name: letters, digits and `-`, starting with a letter. It prefixes the
    /// physical names of flows and profiles (`<stack>-<flow>`).
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = r"^[A-Za-z][A-Za-z0-9-]*$"), length(min = 1, max = 128))
    )]
    pub name: Sp<String>,
    /// The template description.
    pub description: Option<Sp<String>>,
    /// Tags for every taggable resource the stack creates.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("maxProperties" = 50), transform = tag_limits))]
    pub tags: BTreeMap<String, Sp<String>>,
    /// Declarations of the template parameters the file's references use
    /// (`{ parameter = "InstanceUrl" }`): description, default and constraints, by name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("propertyNames" = { "pattern": "^[A-Za-z0-9]{1,255}$" })))]
    pub parameters: BTreeMap<String, TomlParameter>,
    /// Warnings the stack knows it has and handles: each is not reported, so
    /// `--deny-warnings` passes; one that matches no warning is itself a warning.
    #[serde(default)]
    pub acknowledge: Vec<TomlAcknowledgement>,
    /// What the stack keeps when it is deleted, by default: `data` (buckets, keys,
    /// secrets, domains, Glue databases, queues; the default), `all` (flows and profiles too) or
    /// `none` (a dev stack). A resource's `retain` wins.
    pub retention: Option<TomlRetention>,
    /// Notifications and alarms every flow gets (a flow's own `monitoring` adds to them),
    /// e.g. `monitoring.notify = [{ topic = "alerts" }]`: the topic hears of every failed
    /// run and every deactivation.
    pub monitoring: Option<Sp<TomlMonitoring>>,
}

/// `[stack] retention`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlRetention {
    /// Keep what holds data.
    Data,
    /// Keep everything with state or history, flows and profiles included.
    All,
    /// Keep nothing.
    None,
}

/// `[[stack.acknowledge]]`: a warning known and handled, and why.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlAcknowledgement {
    /// The warning's code, e.g. `permissions::manual_policy` (the `flowform::` prefix may
    /// be left out).
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^(flowform::)?[a-z_]+::[a-z_]+$")))]
    pub warning: Sp<String>,
    /// The item it is about, e.g. `bucket.landing` (default: anywhere in the stack).
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = r"^[a-z]+\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$"))
    )]
    pub at: Option<Sp<String>>,
    /// Why the warning needs nothing more (for the reviewer).
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub reason: Sp<String>,
}

/// `[stack.parameters.<Name>]`: what a template parameter the references use is for, its
/// default and the values CloudFormation accepts for it.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlParameter {
    /// What the parameter is for (`Description`).
    pub description: Option<Sp<String>>,
    /// The value of a deploy that passes none (`Default`); a credential's parameter has
    /// none.
    pub default: Option<Sp<String>>,
    /// The only values accepted (`AllowedValues`).
    pub allowed_values: Option<Sp<Vec<Sp<String>>>>,
    /// A regular expression the whole value must match (`AllowedPattern`).
    pub allowed_pattern: Option<Sp<String>>,
    /// The fewest characters (`MinLength`).
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 4294967295u32)))]
    pub min_length: Option<Sp<i64>>,
    /// The most characters (`MaxLength`).
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 4294967295u32)))]
    pub max_length: Option<Sp<i64>>,
    /// What CloudFormation says when a value breaks the constraints
    /// (`ConstraintDescription`).
    pub constraint_description: Option<Sp<String>>,
}

/// `[bucket.<name>]`: an S3 bucket the stack creates, or (with `import`) an existing one.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlBucket {
    /// An existing bucket, by name or ARN. Without it, the stack creates the bucket.
    pub import: Option<Sp<String>>,
    /// The physical name of a created bucket (default: chosen by CloudFormation).
    pub bucket_name: Option<Sp<String>>,
    /// The KMS key (a `[key.<name>]`) the bucket is encrypted with.
    pub key: Option<Sp<String>>,
    /// Whether the stack keeps it when the stack is deleted or it is replaced (default:
    /// `[stack] retention`).
    pub retain: Option<bool>,
}

/// `[key.<name>]`: a KMS key the stack creates, or (with `import`) an existing one.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlKey {
    /// An existing key, by key ID or ARN.
    pub import: Option<Sp<String>>,
    /// The description of a created key.
    pub description: Option<Sp<String>>,
    /// Whether the stack keeps it when the stack is deleted or it is replaced (default:
    /// `[stack] retention`).
    pub retain: Option<bool>,
}

/// `[domain.<name>]`: an Amazon Connect Customer Profiles domain the stack creates, or
/// (with `import`) an existing one, for the flows whose destination is Customer Profiles.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlDomain {
    /// An existing domain, by name. Without it, the stack creates the domain.
    pub import: Option<Sp<String>>,
    /// The physical name of a created domain (default `<stack>-<name>`).
    pub domain_name: Option<Sp<String>>,
    /// How many days a created domain keeps profile data (`DefaultExpirationDays`, 1 to
    /// 1098): required for a created domain.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 1098)))]
    pub expiration_days: Option<Sp<i64>>,
    /// The KMS key (a `[key.<name>]`) a created domain encrypts its data with.
    pub key: Option<Sp<String>>,
    /// The URL of the SQS queue a created domain reports failed ingestion to.
    pub dead_letter_queue: Option<Sp<String>>,
    /// Object types the stack creates in the domain (created or imported), each from
    /// Customer Profiles' template of the same name (`aws customer-profiles
    /// list-profile-object-type-templates` lists them).
    #[serde(default)]
    pub object_types: Vec<Sp<String>>,
}

/// `[topic.<name>]`: an SNS topic the stack creates, or (with `import`) an existing one.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlTopic {
    /// An existing topic, by ARN. Without it, the stack creates the topic.
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$"))
    )]
    pub import: Option<Sp<String>>,
    /// The KMS key (a `[key.<name>]`) the topic is encrypted with.
    pub key: Option<Sp<String>>,
}

/// `[queue.<name>]`: an SQS queue the stack creates, or (with `import`) an existing one.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlQueue {
    /// An existing queue, by ARN. Without it, the stack creates the queue.
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = r"^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}$"))
    )]
    pub import: Option<Sp<String>>,
    /// The KMS key (a `[key.<name>]`) the queue is encrypted with (default: SQS's own
    /// encryption, SSE-SQS).
    pub key: Option<Sp<String>>,
    /// Whether the stack keeps a created queue (and its messages) when the stack is
    /// deleted or it is replaced (default: `[stack] retention`).
    pub retain: Option<bool>,
}

/// `[function.<name>]`: an existing Lambda function notifications invoke.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlFunction {
    /// The function, by ARN.
    #[cfg_attr(
        feature = "schema",
        schemars(regex(
            pattern = r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$"
        ))
    )]
    pub import: Sp<String>,
}

/// `[bus.<name>]`: an existing EventBridge event bus notifications are sent to (another
/// account's, or another bus of this one), through a role the stack creates.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlBus {
    /// The bus, by ARN.
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = r"^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]{1,256}$"))
    )]
    pub import: Sp<String>,
}

/// `monitoring`, of the stack (every flow's default) or of one flow.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlMonitoring {
    /// A flow's only: whether the stack's monitoring applies too (default `true`).
    pub inherit: Option<bool>,
    /// Notifications of AppFlow's events: each `{ topic | queue | function | bus =
    /// "<name>", on = [...] }`.
    #[serde(default)]
    pub notify: Vec<Sp<TomlNotification>>,
    /// CloudWatch alarms on the flow's metrics.
    #[serde(default)]
    pub alarm: Vec<Sp<TomlAlarm>>,
}

/// A notification: exactly one of `topic`, `queue`, `function`, `bus`, and the events.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[cfg_attr(feature = "schema", schemars(extend("minProperties" = 1)))]
pub struct TomlNotification {
    /// The `[topic.<name>]` notified.
    pub topic: Option<Sp<String>>,
    /// The `[queue.<name>]` notified.
    pub queue: Option<Sp<String>>,
    /// The `[function.<name>]` invoked.
    pub function: Option<Sp<String>>,
    /// The `[bus.<name>]` sent to.
    pub bus: Option<Sp<String>>,
    /// The events (default `["run-failed", "deactivated"]`).
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub on: Option<Vec<Sp<TomlRunEvent>>>,
}

/// An AppFlow event a notification is sent on.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlRunEvent {
    /// A run started.
    RunStarted,
    /// A run ended, whatever its result.
    RunCompleted,
    /// A run ended successfully.
    RunSucceeded,
    /// A run failed.
    RunFailed,
    /// AppFlow deactivated the (scheduled or event) flow after failures.
    Deactivated,
    /// An event flow's five-minute count of the events it received.
    StatusReport,
}

/// A CloudWatch alarm on one of a flow's AppFlow metrics.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlAlarm {
    /// Its name in the flow (default: the metric's), to tell two alarms on one metric apart.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")))]
    pub name: Option<Sp<String>>,
    /// The metric.
    pub metric: Sp<TomlMetric>,
    /// The statistic (default `Average` for `execution-time`, `Sum` otherwise).
    pub statistic: Option<Sp<TomlStatistic>>,
    /// How the statistic is compared with the threshold (default `>=`).
    pub comparison: Option<Sp<TomlComparison>>,
    /// The threshold (default 1 for `executions-failed`; required otherwise).
    pub threshold: Option<Sp<f64>>,
    /// The period in seconds: 10, 30 or a multiple of 60 (default 300).
    #[cfg_attr(feature = "schema", schemars(range(min = 10)))]
    pub period: Option<Sp<i64>>,
    /// How many periods are evaluated (default 1).
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub evaluation_periods: Option<Sp<i64>>,
    /// How many of them must breach (default: all).
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub datapoints_to_alarm: Option<Sp<i64>>,
    /// What a period without data counts as (default `notBreaching`).
    pub missing_data: Option<Sp<TomlMissingData>>,
    /// The `[topic.<name>]` notified when the alarm goes off.
    pub topic: Option<Sp<String>>,
}

/// An AppFlow metric.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlMetric {
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

/// An alarm's statistic.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlStatistic {
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

/// How an alarm compares its statistic with the threshold.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub enum TomlComparison {
    /// At least the threshold.
    #[serde(rename = ">=")]
    AtLeast,
    /// Above it.
    #[serde(rename = ">")]
    Above,
    /// Below it.
    #[serde(rename = "<")]
    Below,
    /// At most the threshold.
    #[serde(rename = "<=")]
    AtMost,
}

/// What an alarm makes of a period without data.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub enum TomlMissingData {
    /// Good (the default: a flow that did not run did not fail).
    #[serde(rename = "notBreaching")]
    NotBreaching,
    /// Bad.
    #[serde(rename = "breaching")]
    Breaching,
    /// Keep the current state.
    #[serde(rename = "ignore")]
    Ignore,
    /// `INSUFFICIENT_DATA`.
    #[serde(rename = "missing")]
    Missing,
}

/// `[secret.<name>]`: a Secrets Manager secret the stack creates, or (with `import`) an
/// existing one. A created secret gets its value from `value`: each JSON key's value is a
/// `NoEcho` template parameter the deployer passes.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlSecret {
    /// An existing secret, by name or full ARN (with its 6-character suffix).
    pub import: Option<Sp<String>>,
    /// The JSON keys of a created secret, each `{ parameter = "<NoEcho parameter>" }`, e.g.
    /// `value.clientId = { parameter = "CrmClientId" }`.
    #[serde(default)]
    pub value: BTreeMap<String, Sp<TomlCredential>>,
    /// The physical name of a created secret.
    pub secret_name: Option<Sp<String>>,
    /// The KMS key (a `[key.<name>]`) the secret is encrypted with.
    pub key: Option<Sp<String>>,
    /// Whether the stack keeps it when the stack is deleted or it is replaced (default:
    /// `[stack] retention`).
    pub retain: Option<bool>,
}

/// A credential: `{ secret = "<secret name>", key = "<JSON key>" }` or
/// `{ parameter = "<NoEcho parameter>" }`. A plain string is rejected.
#[derive(Debug, Clone, PartialEq)]
pub enum TomlCredential {
    /// A literal value: an error, kept so the message can point at it.
    Plaintext,
    /// A JSON key of a secret.
    Secret {
        /// The secret's name in the file.
        secret: Sp<String>,
        /// The JSON key inside it.
        key: Sp<String>,
    },
    /// A `NoEcho` template parameter.
    Parameter(Sp<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TomlCredentialTable {
    secret: Option<Sp<String>>,
    key: Option<Sp<String>>,
    parameter: Option<Sp<String>>,
}

impl<'de> Deserialize<'de> for TomlCredential {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CredentialVisitor;
        impl<'de> Visitor<'de> for CredentialVisitor {
            type Value = TomlCredential;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`{ secret = \"...\", key = \"...\" }` or `{ parameter = \"...\" }`")
            }

            fn visit_str<E: de::Error>(self, _: &str) -> Result<TomlCredential, E> {
                Ok(TomlCredential::Plaintext)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TomlCredential, A::Error> {
                let table = TomlCredentialTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                match table {
                    TomlCredentialTable {
                        secret: Some(secret),
                        key: Some(key),
                        parameter: None,
                    } => Ok(TomlCredential::Secret { secret, key }),
                    TomlCredentialTable {
                        secret: None,
                        key: None,
                        parameter: Some(parameter),
                    } => Ok(TomlCredential::Parameter(parameter)),
                    TomlCredentialTable {
                        secret: Some(_),
                        key: None,
                        parameter: None,
                    } => Err(de::Error::missing_field("key")),
                    _ => Err(de::Error::custom(
                        "a credential is either `{ secret = \"...\", key = \"...\" }` or `{ parameter = \"...\" }`",
                    )),
                }
            }
        }
        deserializer.deserialize_any(CredentialVisitor)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for TomlCredential {
    fn schema_name() -> Cow<'static, str> {
        "TomlCredential".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A credential reference, never a value: a JSON key of a Secrets Manager secret (resolved by CloudFormation at deploy time) or a NoEcho template parameter.",
            "oneOf": [
                {
                    "type": "object",
                    "properties": {
                        "secret": {"type": "string", "description": "The secret's name in this file ([secret.<name>])."},
                        "key": {"type": "string", "description": "The JSON key inside the secret's SecretString."}
                    },
                    "required": ["secret", "key"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "properties": {"parameter": {"type": "string", "description": "The NoEcho template parameter (letters and digits)."}},
                    "required": ["parameter"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// A setting CloudFormation may resolve at deploy time: a string, or
/// `{ parameter = "<Name>" }`, `{ secret = "<secret name>", key = "<JSON key>" }`,
/// `{ ssm = "<parameter name>" }` or `{ import = "<export name>" }`.
#[derive(Debug, Clone, PartialEq)]
pub enum TomlText {
    /// The value itself.
    Literal(String),
    /// A `String` template parameter.
    Parameter(Sp<String>),
    /// A JSON key of a secret.
    Secret {
        /// The secret's name in the file.
        secret: Sp<String>,
        /// The JSON key inside it.
        key: Sp<String>,
    },
    /// A Systems Manager parameter.
    Ssm(Sp<String>),
    /// Another stack's export.
    Import(Sp<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TomlTextTable {
    parameter: Option<Sp<String>>,
    secret: Option<Sp<String>>,
    key: Option<Sp<String>>,
    ssm: Option<Sp<String>>,
    import: Option<Sp<String>>,
}

/// What a [`TomlText`] table may be, for its messages.
const TEXT_FORMS: &str = "a string, `{ parameter = \"...\" }`, `{ secret = \"...\", key = \"...\" }`, `{ ssm = \"...\" }` or `{ import = \"...\" }`";

impl<'de> Deserialize<'de> for TomlText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = TomlText;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(TEXT_FORMS)
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<TomlText, E> {
                Ok(TomlText::Literal(value.to_owned()))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<TomlText, E> {
                Ok(TomlText::Literal(value))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TomlText, A::Error> {
                let table = TomlTextTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                match table {
                    TomlTextTable {
                        parameter: Some(name),
                        secret: None,
                        key: None,
                        ssm: None,
                        import: None,
                    } => Ok(TomlText::Parameter(name)),
                    TomlTextTable {
                        parameter: None,
                        secret: Some(secret),
                        key: Some(key),
                        ssm: None,
                        import: None,
                    } => Ok(TomlText::Secret { secret, key }),
                    TomlTextTable {
                        parameter: None,
                        secret: Some(_),
                        key: None,
                        ssm: None,
                        import: None,
                    } => Err(de::Error::missing_field("key")),
                    TomlTextTable {
                        parameter: None,
                        secret: None,
                        key: None,
                        ssm: Some(name),
                        import: None,
                    } => Ok(TomlText::Ssm(name)),
                    TomlTextTable {
                        parameter: None,
                        secret: None,
                        key: None,
                        ssm: None,
                        import: Some(export),
                    } => Ok(TomlText::Import(export)),
                    _ => Err(de::Error::custom(format!("a value is {TEXT_FORMS}"))),
                }
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for TomlText {
    fn schema_name() -> Cow<'static, str> {
        "TomlText".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The value, or a reference CloudFormation resolves at deploy time: a template parameter, a JSON key of a Secrets Manager secret, a Systems Manager parameter or another stack's export.",
            "oneOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {"parameter": {"type": "string", "description": "A String template parameter (letters and digits), passed at deploy time."}},
                    "required": ["parameter"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "properties": {
                        "secret": {"type": "string", "description": "The secret's name in this file ([secret.<name>])."},
                        "key": {"type": "string", "description": "The JSON key inside the secret's SecretString."}
                    },
                    "required": ["secret", "key"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "properties": {"ssm": {"type": "string", "description": "A String parameter of Systems Manager Parameter Store, by name."}},
                    "required": ["ssm"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "properties": {"import": {"type": "string", "description": "The name of an export of another stack in the same account and region."}},
                    "required": ["import"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// A TOML datetime (`2030-01-01T00:00:00Z`); it must have a time and an offset.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct TomlDatetime(pub toml::value::Datetime);

#[cfg(feature = "schema")]
impl JsonSchema for TomlDatetime {
    fn schema_name() -> Cow<'static, str> {
        "TomlDatetime".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A TOML offset datetime such as 2030-01-01T00:00:00Z.",
            "type": "string",
            "format": "date-time"
        })
    }
}

/// Any TOML value (filter values: string, number, boolean, datetime, or a list of them).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct TomlAny(pub toml::Value);

#[cfg(feature = "schema")]
impl JsonSchema for TomlAny {
    fn schema_name() -> Cow<'static, str> {
        "TomlAny".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A string, number, boolean or datetime matching the field's type; a list of two for `between`, a list for `in` and `not-in`.",
            "type": ["string", "number", "boolean", "array"]
        })
    }
}

/// `[flow.<name>]`: a flow.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlFlow {
    /// The physical flow name (default `<stack>-<name>`).
    pub name: Option<Sp<String>>,
    /// Whether the stack keeps the flow, and its run history, when the stack is deleted or
    /// the flow replaced (default: `[stack] retention`).
    pub retain: Option<bool>,
    /// The description, or a reference to it.
    pub description: Option<Sp<TomlText>>,
    /// The KMS key (a `[key.<name>]`) AppFlow encrypts the flow's data with.
    pub key: Option<Sp<String>>,
    /// Tags (on top of the stack's).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("maxProperties" = 50), transform = tag_limits))]
    pub tags: BTreeMap<String, Sp<String>>,
    /// When the flow runs (default: on demand).
    pub trigger: Option<Sp<TomlTrigger>>,
    /// Where the flow reads from.
    pub source: Sp<TomlSource>,
    /// Where the flow writes to.
    pub destination: Sp<TomlDestination>,
    /// Map every source field, except `exclude`.
    pub map_all: Option<Sp<TomlMapAll>>,
    /// Fields mapped to the same name in the destination.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::DESTINATION_FIELD)))]
    pub map_fields: Vec<Sp<String>>,
    /// Field-to-field mappings.
    #[serde(default)]
    pub map: Vec<Sp<TomlMap>>,
    /// Fields joined into one.
    #[serde(default)]
    pub concat: Vec<Sp<TomlConcat>>,
    /// Arithmetic on two fields.
    #[serde(default)]
    pub arithmetic: Vec<Sp<TomlArithmetic>>,
    /// Filters.
    #[serde(default)]
    pub filter: Vec<Sp<TomlFilter>>,
    /// Masks.
    #[serde(default)]
    pub mask: Vec<Sp<TomlMask>>,
    /// Truncations.
    #[serde(default)]
    pub truncate: Vec<Sp<TomlTruncate>>,
    /// Validations.
    #[serde(default)]
    pub validate: Vec<Sp<TomlValidate>>,
    /// Notifications and alarms of this flow, on top of the stack's (or, with
    /// `inherit = false`, instead of them).
    pub monitoring: Option<Sp<TomlMonitoring>>,
}

/// When a flow runs: exactly one of `on-demand`, `schedule`, `event`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[cfg_attr(feature = "schema", schemars(extend("minProperties" = 1, "maxProperties" = 1)))]
pub struct TomlTrigger {
    /// Run when started.
    pub on_demand: Option<Sp<TomlOnDemand>>,
    /// Run on a schedule.
    pub schedule: Option<Sp<TomlSchedule>>,
    /// Run on source events.
    pub event: Option<Sp<TomlEvent>>,
}

/// `trigger.on-demand = {}`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TomlOnDemand {}

/// `trigger.schedule`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlSchedule {
    /// `rate(<n> minutes|hours|days)` or `cron(<6 fields>)`.
    #[cfg_attr(
        feature = "schema",
        schemars(regex(
            pattern = r"^\s*(rate\s*\(\s*[0-9]+\s*(minute|minutes|hour|hours|day|days)\s*\)|cron\s*\(\s*\S+(\s+\S+){5}\s*\))\s*$"
        ))
    )]
    pub expression: Sp<String>,
    /// `complete` (default) or `incremental`.
    pub pull: Option<Sp<TomlPull>>,
    /// The datetime field marking changed records (required for incremental pulls).
    pub timestamp_field: Option<Sp<String>>,
    /// When the schedule starts.
    pub start: Option<Sp<TomlDatetime>>,
    /// When the schedule ends.
    pub end: Option<Sp<TomlDatetime>>,
    /// Seconds to delay each run (0–36000).
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::SCHEDULE_OFFSET)))]
    pub offset: Option<Sp<i64>>,
    /// IANA time zone, e.g. `Europe/Paris`.
    pub time_zone: Option<Sp<String>>,
    /// Where the first incremental run starts reading.
    pub first_execution_from: Option<Sp<TomlDatetime>>,
    /// Consecutive failed runs before AppFlow deactivates the flow (1–100).
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::ERROR_DEACTIVATION_THRESHOLD)))]
    pub error_deactivation_threshold: Option<Sp<i64>>,
    /// `active` (default), `suspended` or `draft`.
    pub status: Option<Sp<TomlStatus>>,
}

/// `trigger.event`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlEvent {
    /// `active` (default), `suspended` or `draft`.
    pub status: Option<Sp<TomlStatus>>,
}

/// What each scheduled run transfers.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlPull {
    /// All records.
    Complete,
    /// Records changed since the last run.
    Incremental,
}

/// A triggered flow's status.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlStatus {
    /// Runs on its trigger.
    Active,
    /// Does not run.
    Suspended,
    /// Saved, not activated.
    Draft,
}

/// `map-all`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlMapAll {
    /// Fields to leave out.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::SOURCE_FIELD)))]
    pub exclude: Vec<Sp<String>>,
}

/// One entry of `map`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlMap {
    /// The source field.
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::SOURCE_FIELD)))]
    pub from: Sp<String>,
    /// The destination field (default: the source field's name).
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::DESTINATION_FIELD)))]
    pub to: Option<Sp<String>>,
    /// The source field's AppFlow data type, e.g. `id`, `string`, `datetime`.
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::TASK_VALUE)))]
    pub from_type: Option<Sp<String>>,
    /// The destination field's data type.
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::TASK_VALUE)))]
    pub to_type: Option<Sp<String>>,
}

/// One entry of `concat`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlConcat {
    /// The fields to join, in order.
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::SOURCE_FIELD)))]
    pub from: Vec<Sp<String>>,
    /// The concat format.
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::TASK_VALUE)))]
    pub format: Sp<String>,
    /// The destination field.
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::DESTINATION_FIELD)))]
    pub to: Sp<String>,
    /// The destination field's data type (required).
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::TASK_VALUE)))]
    pub to_type: Option<Sp<String>>,
}

/// One entry of `arithmetic`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlArithmetic {
    /// `add`, `subtract`, `multiply` or `divide`.
    pub op: Sp<TomlArithmeticOp>,
    /// The left operand field.
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::SOURCE_FIELD)))]
    pub left: Sp<String>,
    /// The right operand field.
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::SOURCE_FIELD)))]
    pub right: Sp<String>,
    /// The destination field.
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::DESTINATION_FIELD)))]
    pub to: Sp<String>,
    /// The destination field's data type (required).
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::TASK_VALUE)))]
    pub to_type: Option<Sp<String>>,
}

/// An arithmetic operation.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlArithmeticOp {
    /// `+`.
    Add,
    /// `-`.
    Subtract,
    /// `*`.
    Multiply,
    /// `/`.
    Divide,
}

/// One entry of `filter`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlFilter {
    /// The field.
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::SOURCE_FIELD)))]
    pub field: Sp<String>,
    /// The field's type: `string`, `number`, `boolean` or `datetime`.
    #[serde(rename = "type")]
    pub field_type: Sp<TomlFilterType>,
    /// `=`, `!=`, `<`, `<=`, `>`, `>=`, `between`, `contains`, `in`, `not-in`.
    pub op: Sp<TomlFilterOp>,
    /// The value; `[lower, upper]` for `between`; a list for `in`/`not-in`.
    pub value: Sp<TomlAny>,
    /// The `DATA_TYPE` AppFlow is told (default: the type; `double` for numbers).
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::TASK_VALUE)))]
    pub data_type: Option<Sp<String>>,
}

/// A filtered field's type.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlFilterType {
    /// Text.
    String,
    /// A number.
    Number,
    /// A boolean.
    Boolean,
    /// A datetime.
    Datetime,
}

/// A filter operator.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub enum TomlFilterOp {
    /// Equal.
    #[serde(rename = "=")]
    Equal,
    /// Not equal.
    #[serde(rename = "!=")]
    NotEqual,
    /// Less than.
    #[serde(rename = "<")]
    LessThan,
    /// Less than or equal.
    #[serde(rename = "<=")]
    LessThanOrEqual,
    /// Greater than.
    #[serde(rename = ">")]
    GreaterThan,
    /// Greater than or equal.
    #[serde(rename = ">=")]
    GreaterThanOrEqual,
    /// Inclusive range.
    #[serde(rename = "between")]
    Between,
    /// Substring.
    #[serde(rename = "contains")]
    Contains,
    /// One of a list.
    #[serde(rename = "in")]
    In,
    /// None of a list.
    #[serde(rename = "not-in")]
    NotIn,
}

/// One entry of `mask`: the whole value, or the `first`/`last` N characters.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlMask {
    /// The field.
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::SOURCE_FIELD)))]
    pub field: Sp<String>,
    /// Mask the first N characters.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub first: Option<Sp<i64>>,
    /// Mask the last N characters.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub last: Option<Sp<i64>>,
    /// The mask character (default `*`).
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 1)))]
    pub char: Option<Sp<String>>,
}

/// One entry of `truncate`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlTruncate {
    /// The field.
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::SOURCE_FIELD)))]
    pub field: Sp<String>,
    /// How many characters to keep.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub length: Sp<i64>,
}

/// One entry of `validate`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlValidate {
    /// The field.
    #[cfg_attr(feature = "schema", schemars(transform = with_limits(&model::limits::SOURCE_FIELD)))]
    pub field: Sp<String>,
    /// `not-null`, `non-zero`, `non-negative` or `numeric`.
    pub check: Sp<TomlCheck>,
    /// `ignore-record` (default) or `terminate-flow`.
    pub action: Option<Sp<TomlAction>>,
}

/// What a validation checks.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlCheck {
    /// Not null.
    NotNull,
    /// Not zero.
    NonZero,
    /// Not negative.
    NonNegative,
    /// A number.
    Numeric,
}

/// What happens to a failing record.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlAction {
    /// Drop the record.
    IgnoreRecord,
    /// Stop the run.
    TerminateFlow,
}
