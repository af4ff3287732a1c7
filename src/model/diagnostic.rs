//! Errors and warnings about a model, each tied to the [`Path`] of the value at fault.
//!
//! Every kind has a stable code (`flowform::<area>::<name>`), a message that says what is
//! wrong (lowercase, no trailing period, literals in backticks) and a help line that says
//! how to fix it. Validation collects every error instead of stopping at the first.
//!
//! Longer than most modules: it is the catalogue of every shared error and warning kind,
//! kept in one file so that codes stay unique and their wording consistent.

use std::borrow::Cow;
use std::fmt;

use miette::Diagnostic;
use thiserror::Error;

use super::path::Path;

/// A diagnostic kind attached to the place in the model it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<K> {
    /// Where the offending value is.
    pub path: Path,
    /// What is wrong with it.
    pub kind: K,
    /// The other place the problem involves, if any (the first of two things that clash).
    pub also: Option<Path>,
}

impl<K> Located<K> {
    /// `kind` at `path`.
    pub fn new(path: Path, kind: K) -> Self {
        Located { path, kind, also: None }
    }

    /// The same diagnostic, also pointing at `other` (the first of two that clash).
    pub fn also_at(mut self, other: Path) -> Self {
        self.also = Some(other);
        self
    }
}

impl<K: fmt::Display> fmt::Display for Located<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at `{}`)", self.kind, self.path)
    }
}

impl<K: fmt::Debug + fmt::Display> std::error::Error for Located<K> {}

impl<K: Diagnostic> Diagnostic for Located<K> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.kind.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.kind.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.kind.help()
    }
}

/// An error in a model: the model cannot be compiled.
pub type ModelError = Located<ErrorKind>;

/// A warning about a model: it compiles, but something needs the user's attention.
pub type ModelWarning = Located<WarningKind>;

/// Everything that makes a model invalid.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum ErrorKind {
    /// Two things of one kind share a name.
    #[error("{kind} `{name}` is defined more than once")]
    #[diagnostic(code(flowform::model::duplicate_name), help("give each {kind} a unique name"))]
    DuplicateName {
        /// What kind of thing (`flow`, `bucket`, ...).
        kind: &'static str,
        /// The repeated name.
        name: String,
    },

    /// A name does not fit the rules for names of its kind.
    #[error("{kind} name `{name}` is invalid: {reason}")]
    #[diagnostic(code(flowform::model::invalid_name), help("{rule}"))]
    InvalidName {
        /// What kind of thing.
        kind: &'static str,
        /// The name.
        name: String,
        /// What is wrong with it.
        reason: String,
        /// What a valid name looks like.
        rule: String,
    },

    /// Two names turn into the same CloudFormation logical ID.
    #[error("`{name}` and `{other}` both become the CloudFormation logical ID `{logical_id}`")]
    #[diagnostic(
        code(flowform::model::logical_id_collision),
        help("logical IDs keep only letters and digits; rename one of them so they differ in more than punctuation")
    )]
    LogicalIdCollision {
        /// The later name.
        name: String,
        /// The earlier name.
        other: String,
        /// The logical ID both produce.
        logical_id: String,
    },

    /// A reference names something the stack does not define.
    #[error("unknown {kind} `{name}`")]
    #[diagnostic(code(flowform::model::unknown_reference), help("{}", unknown_help(kind, suggestion)))]
    UnknownReference {
        /// What kind of thing was referenced.
        kind: &'static str,
        /// The name used.
        name: String,
        /// The closest defined name, if one is close.
        suggestion: Option<String>,
    },

    /// A required value is empty.
    #[error("{what} must not be empty")]
    #[diagnostic(code(flowform::model::empty_value), help("{help}"))]
    Empty {
        /// What is empty.
        what: &'static str,
        /// How to fill it.
        help: &'static str,
    },

    /// A value is too long for AppFlow or CloudFormation.
    #[error("{what} is {length} characters long; the limit is {max}")]
    #[diagnostic(code(flowform::model::too_long), help("shorten it to at most {max} characters"))]
    TooLong {
        /// What is too long.
        what: &'static str,
        /// Its length.
        length: usize,
        /// The limit.
        max: usize,
    },

    /// A value has characters AWS does not allow where it goes.
    #[error("{what} `{value}` has characters that are not allowed there")]
    #[diagnostic(code(flowform::model::invalid_characters), help("{allowed}"))]
    InvalidCharacters {
        /// What the value is.
        what: &'static str,
        /// The value.
        value: String,
        /// What is allowed.
        allowed: &'static str,
    },

    /// A number is outside the range AppFlow accepts.
    #[error("{what} is {value}, outside the allowed range {min}..={max}")]
    #[diagnostic(code(flowform::model::out_of_range), help("use a value from {min} to {max}"))]
    OutOfRange {
        /// What the number is.
        what: &'static str,
        /// The number.
        value: i64,
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },

    /// An owned connector profile has no credentials.
    #[error("connector profile `{profile}` has no credentials")]
    #[diagnostic(
        code(flowform::profile::missing_credentials),
        help("set {ways}; flowform never writes placeholder tokens")
    )]
    MissingCredentials {
        /// The profile.
        profile: String,
        /// The ways its connector authenticates, as the keys that make each.
        ways: &'static str,
    },

    /// A created profile lacks one of the credentials its connector requires.
    #[error("this {connector} profile needs `{key}`")]
    #[diagnostic(
        code(flowform::profile::missing_credential),
        help(
            "add `{key} = {{ secret = \"...\", key = \"...\" }}` (or `{{ parameter = \"...\" }}`), {what}; or `import` a profile created in the AppFlow console"
        )
    )]
    MissingCredential {
        /// The connector, as its documentation names it.
        connector: &'static str,
        /// The credential's key in the profile's table.
        key: &'static str,
        /// What the credential is.
        what: &'static str,
    },

    /// A staged destination naming a bucket its created profile already names.
    #[error("the intermediate bucket is the profile's")]
    #[diagnostic(
        code(flowform::destination::intermediate_bucket_twice),
        help(
            "remove `bucket` and `prefix` here: a profile the stack creates names the bucket AppFlow stages records in (`BucketName`), and the destination writes the same; a destination names it only through an imported profile"
        )
    )]
    IntermediateBucketTwice,

    /// An endpoint that goes through a profile of another connector.
    #[error("profile `{profile}` is a `{profile_connector}` profile, not a `{connector}` one")]
    #[diagnostic(
        code(flowform::profile::other_connector),
        help(
            "name a `[profile.<name>.{connector}]` here: AppFlow reads and writes through a profile of the endpoint's own connector (`ConnectorProfileName` of a `{connector}` endpoint)"
        )
    )]
    ProfileOfAnotherConnector {
        /// The profile.
        profile: String,
        /// Its connector, as its TOML key.
        profile_connector: &'static str,
        /// The endpoint's connector, as its TOML key.
        connector: &'static str,
    },

    /// A staged destination through an imported profile that names no intermediate bucket.
    #[error("a destination through an imported profile needs its intermediate bucket")]
    #[diagnostic(
        code(flowform::destination::intermediate_bucket_unknown),
        help(
            "add `bucket` (and `prefix`): the imported profile's bucket, where AppFlow stages the records before the warehouse's COPY (`IntermediateBucketName` is required); flowform cannot read an imported profile's settings"
        )
    )]
    IntermediateBucketUnknown,

    /// A bucket whose name a destination constrains, created without a name.
    #[error("bucket `{bucket}` needs a name that matches `{pattern}`")]
    #[diagnostic(
        code(flowform::bucket::name_required),
        help(
            "give `[bucket.{bucket}]` a `bucket-name` that matches `{pattern}` (CloudFormation's generated name would not), or import the bucket"
        )
    )]
    BucketNameRequired {
        /// The bucket's name in the stack.
        bucket: String,
        /// The pattern its physical name must match.
        pattern: &'static str,
    },

    /// A PrivateLink service name on a public profile.
    #[error("a PrivateLink service name needs a private connection")]
    #[diagnostic(
        code(flowform::profile::service_name_without_private),
        help(
            "add `private = true` (`ConnectionMode: Private`), or remove `private-link-service-name`: a public profile does not use it"
        )
    )]
    ServiceNameWithoutPrivate,

    /// A private connection asked of a connector AppFlow does not reach through PrivateLink.
    #[error("AppFlow cannot connect to `{connector}` through AWS PrivateLink")]
    #[diagnostic(
        code(flowform::profile::private_connection_unsupported),
        help(
            "remove `private`: AppFlow connects privately only to \"SaaS applications ... integrated with AWS PrivateLink\" (AppFlow user guide, private-flows.html; the README's \"Private connections\" lists them)"
        )
    )]
    PrivateConnectionUnsupported {
        /// The connector, as its TOML key.
        connector: &'static str,
    },

    /// A value that must be an ARN is not.
    #[error("`{value}` is not a valid {what} ARN")]
    #[diagnostic(
        code(flowform::model::invalid_arn),
        help("use a full ARN such as `{example}`, or a plain name")
    )]
    InvalidArn {
        /// What the ARN should identify.
        what: &'static str,
        /// The value given.
        value: String,
        /// A valid example.
        example: &'static str,
    },

    /// A flow has no mapping task.
    #[error("flow `{flow}` has no mapping")]
    #[diagnostic(
        code(flowform::task::no_mapping),
        help("add `map-all` to copy every field, or `map` the fields the destination should receive")
    )]
    NoMapping {
        /// The flow.
        flow: String,
    },

    /// A flow has more than one map-all task.
    #[error("flow `{flow}` has more than one map-all")]
    #[diagnostic(
        code(flowform::task::duplicate_map_all),
        help("keep one map-all and merge the exclude lists")
    )]
    DuplicateMapAll {
        /// The flow.
        flow: String,
    },

    /// A computed mapping has no destination data type.
    #[error("the destination field of a {task} needs a data type")]
    #[diagnostic(
        code(flowform::task::missing_data_type),
        help("give the destination field a type, e.g. `string` or `double`")
    )]
    MissingDataType {
        /// `concat` or the arithmetic operation.
        task: &'static str,
    },

    /// A filter operator does not apply to the field's data type.
    #[error("filter operator `{operator}` does not apply to {field_type} fields")]
    #[diagnostic(code(flowform::filter::operator_type), help("{field_type} fields take: {allowed}"))]
    FilterOperatorType {
        /// The operator.
        operator: &'static str,
        /// The field's data type.
        field_type: &'static str,
        /// The operators that do apply.
        allowed: String,
    },

    /// A filter has the wrong number of values for its operator.
    #[error("filter operator `{operator}` takes {expected}, got {got}")]
    #[diagnostic(code(flowform::filter::value_count), help("give `{operator}` {expected}"))]
    FilterValueCount {
        /// The operator.
        operator: &'static str,
        /// How many it takes.
        expected: &'static str,
        /// How many it got.
        got: usize,
    },

    /// A filter value does not match the field's data type.
    #[error("filter value is a {got}, but the field is a {expected} field")]
    #[diagnostic(
        code(flowform::filter::value_type),
        help("give a {expected} value, or change the field's type")
    )]
    FilterValueType {
        /// The field's data type.
        expected: &'static str,
        /// The value's type.
        got: &'static str,
    },

    /// A value in a filter list would be split by AppFlow's comma-joined `VALUES`.
    #[error("filter value `{value}` contains a comma")]
    #[diagnostic(
        code(flowform::filter::comma_in_list),
        help("AppFlow joins list values with `,`, so a value cannot contain one; filter on that value alone with `=`")
    )]
    CommaInListValue {
        /// The value.
        value: String,
    },

    /// A number is NaN or infinite.
    #[error("filter value is not a finite number")]
    #[diagnostic(code(flowform::filter::non_finite), help("use a finite number"))]
    NonFiniteNumber,

    /// The source connector does not support a task operator.
    #[error("the {connector} source does not support the `{operator}` operator")]
    #[diagnostic(
        code(flowform::task::operator_not_supported),
        help("{connector} sources support: {allowed}")
    )]
    OperatorNotSupported {
        /// The operator.
        operator: &'static str,
        /// The source connector.
        connector: &'static str,
        /// What it does support, for the same task kind.
        allowed: String,
    },

    /// A mask is not a single character.
    #[error("mask `{mask}` must be exactly one character")]
    #[diagnostic(
        code(flowform::transform::invalid_mask),
        help("use a single character such as `*` or `#`")
    )]
    InvalidMask {
        /// The mask given.
        mask: String,
    },

    /// A length is zero.
    #[error("{what} must be a positive number, got 0")]
    #[diagnostic(code(flowform::transform::zero_length), help("use a length of 1 or more"))]
    ZeroLength {
        /// What the length is for.
        what: &'static str,
    },

    /// A transform or validation names a field the flow does not fetch.
    #[error("field `{field}` is not mapped, so the {task} never sees it")]
    #[diagnostic(
        code(flowform::task::field_not_mapped),
        help("map `{field}` (or use map-all) so AppFlow fetches it")
    )]
    FieldNotMapped {
        /// The field.
        field: String,
        /// The task kind.
        task: &'static str,
    },

    /// An event-triggered flow whose source cannot emit events.
    #[error("the {connector} source cannot trigger a flow on events")]
    #[diagnostic(
        code(flowform::flow::source_not_event_capable),
        help("event-triggered flows need a source whose events AppFlow receives: {sources}")
    )]
    SourceNotEventCapable {
        /// The source connector.
        connector: &'static str,
        /// The source connectors that can.
        sources: String,
    },

    /// An instance URL that is not an HTTPS URL.
    #[error("instance URL `{url}` is not an `https://` URL")]
    #[diagnostic(
        code(flowform::profile::invalid_instance_url),
        help("use the URL of the instance, e.g. `{example}`")
    )]
    InvalidInstanceUrl {
        /// The URL given.
        url: String,
        /// A URL of the right form.
        example: &'static str,
    },

    /// An error only one connector has.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Connector(#[from] crate::connectors::ConnectorError),

    /// A mistake in notifications, alarms or their targets.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Monitoring(#[from] super::validate::MonitoringError),

    /// A write operation needs id fields and has none, or has them and must not.
    #[error("{message}")]
    #[diagnostic(code(flowform::destination::id_fields), help("{help}"))]
    IdFields {
        /// What is wrong.
        message: &'static str,
        /// How to fix it.
        help: &'static str,
    },

    /// A schedule expression AppFlow does not accept.
    #[error("invalid schedule expression `{expression}`: {reason}")]
    #[diagnostic(
        code(flowform::schedule::invalid_expression),
        help(
            "use `rate(<n> minutes|hours|days)` or `cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)`"
        )
    )]
    InvalidSchedule {
        /// The expression given.
        expression: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A time zone that is not in the IANA database.
    #[error("unknown time zone `{name}`")]
    #[diagnostic(code(flowform::schedule::unknown_time_zone), help("{}", time_zone_help(suggestion)))]
    UnknownTimeZone {
        /// The name given.
        name: String,
        /// The closest IANA name.
        suggestion: Option<String>,
    },

    /// A schedule that runs more often than the source connector allows.
    #[error("a flow from {connector} runs at most once {every}")]
    #[diagnostic(
        code(flowform::schedule::too_frequent),
        help(
            "use `rate(1 {unit}s)` or slower{cron}: \"you can run schedule-triggered flows at a maximum frequency of one flow run per {unit}\" (AppFlow user guide, {connector})"
        )
    )]
    ScheduleTooFrequent {
        /// The source connector, as the guide names it.
        connector: &'static str,
        /// `a day`, `an hour`, `a minute`.
        every: &'static str,
        /// `day`, `hour`, `minute`.
        unit: &'static str,
        /// How a cron expression fits, e.g. `, or a cron expression with one minute`.
        cron: &'static str,
    },

    /// A date range longer than the source connector allows.
    #[error("this date range spans {days} days; a flow from {connector} reads at most {most}")]
    #[diagnostic(
        code(flowform::filter::date_range_too_long),
        help(
            "split the range over several flows or runs: the AppFlow user guide's {connector} page sets a date range of at most {most}"
        )
    )]
    DateRangeTooLong {
        /// The source connector, as the guide names it.
        connector: &'static str,
        /// The range's length in whole days (rounded up).
        days: i64,
        /// E.g. `30 days`.
        most: String,
    },

    /// A schedule that ends before it starts.
    #[error("the schedule ends before it starts")]
    #[diagnostic(
        code(flowform::schedule::end_before_start),
        help("set the end time after the start time")
    )]
    EndBeforeStart,

    /// A setting that applies only to incremental pulls, on a complete pull.
    #[error("{what} applies only to incremental pulls")]
    #[diagnostic(
        code(flowform::schedule::needs_incremental),
        help("use an incremental pull with a timestamp field, or remove {what}")
    )]
    NeedsIncrementalPull {
        /// The setting.
        what: &'static str,
    },

    /// A stack's locked flows no longer fit its quotas.
    #[error("stack `{stack}` no longer fits CloudFormation's quotas with the flows the lock keeps in it")]
    #[diagnostic(
        code(flowform::split::stack_full),
        help(
            "its flows grew (more tasks, longer names); move some flows to another stack by editing the lock file (a moved flow is deleted and recreated), or shrink them"
        )
    )]
    StackFull {
        /// The stack.
        stack: String,
    },

    /// The lock places a flow in a stack that is not one of this stack's.
    #[error("the lock places flow `{flow}` in stack `{stack}`, which is not `{main}` or `{main}-flows-N`")]
    #[diagnostic(
        code(flowform::split::foreign_stack),
        help(
            "the stack was renamed or the lock belongs to another file: fix or delete the entry (deleting it places the flow anew)"
        )
    )]
    ForeignLockedStack {
        /// The flow.
        flow: String,
        /// The stack the lock names.
        stack: String,
        /// This stack's main stack.
        main: String,
    },

    /// A value the official schema's constraints on its property refuse.
    #[error("this `{property}` {reason}")]
    #[diagnostic(
        code(flowform::model::schema_constraint),
        help(
            "the official AWS::AppFlow resource schema constrains `{property}` so, and CloudFormation would refuse the value: fix it"
        )
    )]
    SchemaConstraint {
        /// The CloudFormation property.
        property: &'static str,
        /// The value.
        value: String,
        /// What is wrong, in words.
        reason: String,
    },

    /// A name whose logical ID, or one derived from it, would pass CloudFormation's 255.
    #[error("`{name}` gives a logical ID of {length} characters; the limit is {max}")]
    #[diagnostic(
        code(flowform::model::logical_id_too_long),
        help(
            "CloudFormation allows 255 characters in a logical ID, and flowform derives longer ones from this one (the exports of split stacks): shorten the name"
        )
    )]
    LogicalIdTooLong {
        /// The name.
        name: String,
        /// The logical ID's length.
        length: usize,
        /// The longest allowed.
        max: usize,
    },

    /// The lock names one of this stack's flow stacks with a number flowform never writes.
    #[error("the lock places flow `{flow}` in stack `{stack}`, whose number is not one flowform writes")]
    #[diagnostic(
        code(flowform::split::locked_stack_number),
        help(
            "flow stacks are numbered 1 to {max}, without sign or leading zeros (`<stack>-flows-3`): fix the entry, or delete it to place the flow anew"
        )
    )]
    LockedStackNumber {
        /// The flow.
        flow: String,
        /// The stack the lock names.
        stack: String,
        /// The highest flow stack number.
        max: usize,
    },

    /// The flows need more flow stacks than one stack may split into.
    #[error("the flows need more than {max} flow stacks")]
    #[diagnostic(
        code(flowform::split::too_many_stacks),
        help(
            "CloudFormation's default quota is 2,000 stacks per account and region: split the flows over several files, or remove flows; if the lock names high stack numbers that are gone, delete those entries"
        )
    )]
    TooManyFlowStacks {
        /// The most flow stacks.
        max: usize,
    },

    /// An imported secret given a value.
    #[error("an imported secret's value cannot be set here")]
    #[diagnostic(
        code(flowform::secret::imported_value),
        help(
            "the stack only creates the values of secrets it creates: remove `value`, or remove `import` to create the secret"
        )
    )]
    ImportedSecretValue,

    /// An imported Customer Profiles domain given a setting of a created one.
    #[error("an imported domain's `{setting}` cannot be set here")]
    #[diagnostic(
        code(flowform::domain::imported_setting),
        help(
            "the stack only configures the domains it creates: remove `{setting}`, or remove `import` to create the domain"
        )
    )]
    ImportedDomainSetting {
        /// The setting.
        setting: &'static str,
    },

    /// A created Customer Profiles domain without `expiration-days`.
    #[error("a created domain needs `expiration-days`")]
    #[diagnostic(
        code(flowform::domain::no_expiration),
        help(
            "set `expiration-days` (1 to 1098): how long the domain keeps profile data, `DefaultExpirationDays`, which `AWS::CustomerProfiles::Domain` requires; or `import` an existing domain"
        )
    )]
    DomainWithoutExpiration,

    /// A secret ARN without the 6-character suffix Secrets Manager appends.
    #[error("secret ARN `{arn}` has no 6-character suffix")]
    #[diagnostic(
        code(flowform::secret::partial_arn),
        help(
            "CloudFormation does not find a secret by a partial ARN in a dynamic reference, and AppFlow needs the full ARN: use the full ARN (`aws secretsmanager describe-secret --secret-id <name> --query ARN`), which ends in `-` and six characters, or import the secret by name"
        )
    )]
    PartialSecretArn {
        /// The ARN given.
        arn: String,
    },

    /// A profile reads a secret the stack creates without a value.
    #[error("secret `{secret}` is created empty, so `{key}` cannot be read from it")]
    #[diagnostic(
        code(flowform::secret::no_value),
        help(
            "CloudFormation creates the profile right after the secret, before anyone could fill it: declare its value (`value.{key} = {{ parameter = \"<Name>\" }}` in `[secret.{secret}]`, passed at deploy time), or `import` the existing secret"
        )
    )]
    OwnedSecretWithoutValue {
        /// The secret.
        secret: String,
        /// The JSON key read from it.
        key: String,
    },

    /// A credential reads a JSON key its owned secret does not declare.
    #[error("secret `{secret}` has no JSON key `{key}`")]
    #[diagnostic(
        code(flowform::secret::unknown_key),
        help("{}", unknown_secret_key_help(declared, suggestion))
    )]
    UnknownSecretKey {
        /// The secret.
        secret: String,
        /// The key read.
        key: String,
        /// The keys it declares, in backticks.
        declared: String,
        /// The closest declared key.
        suggestion: Option<String>,
    },

    /// A client-credentials secret the stack creates lacks `clientId` or `clientSecret`.
    #[error("client secret `{secret}` has no {missing}")]
    #[diagnostic(
        code(flowform::secret::client_keys),
        help(
            "AppFlow reads the connected app's `clientId` and `clientSecret` from this secret: declare both in its `value`"
        )
    )]
    ClientSecretKeys {
        /// The secret.
        secret: String,
        /// The missing keys, in backticks.
        missing: String,
    },

    /// A client-credentials secret imported by name: `ClientCredentialsArn` needs its ARN.
    #[error("secret `{name}` is imported by name, but AppFlow reads client credentials by full ARN")]
    #[diagnostic(
        code(flowform::secret::client_secret_needs_arn),
        help(
            "import the secret by its full ARN, with the 6-character suffix (`aws secretsmanager describe-secret --secret-id <name> --query ARN`): an ARN built from the name lacks it and may not be found"
        )
    )]
    ClientSecretNeedsArn {
        /// The secret's name in the stack.
        name: String,
    },

    /// A map-all with other mappings beside it.
    #[error("a flow with `map-all` cannot have other mappings")]
    #[diagnostic(
        code(flowform::task::map_all_with_mappings),
        help(
            "`map-all` already maps every field under its own name: remove this mapping, or replace `map-all` with the mappings you want"
        )
    )]
    MapAllWithOtherMappings,

    /// Two mappings write one destination field.
    #[error("destination field `{field}` is written by two mappings")]
    #[diagnostic(
        code(flowform::task::duplicate_destination_field),
        help("each destination field takes one value: remove one mapping, or write to another field")
    )]
    DuplicateDestinationField {
        /// The field.
        field: String,
    },

    /// A task on a field `map-all` excludes.
    #[error("field `{field}` is excluded by `map-all`, so the {task} never sees it")]
    #[diagnostic(
        code(flowform::task::field_excluded),
        help("remove `{field}` from `map-all`'s `exclude`, or remove this {task}")
    )]
    FieldExcluded {
        /// The field.
        field: String,
        /// The task kind.
        task: &'static str,
    },

    /// More tags than AWS allows on one resource.
    #[error("{count} tags, but an AWS resource takes at most {max}")]
    #[diagnostic(
        code(flowform::model::too_many_tags),
        help("AWS allows {max} user tags per resource (a flow gets the stack's tags and its own): drop some")
    )]
    TooManyTags {
        /// How many there are.
        count: usize,
        /// The limit.
        max: usize,
    },

    /// Two things share a physical name AWS requires to be unique.
    #[error("{kind} name `{name}` is used twice")]
    #[diagnostic(code(flowform::model::duplicate_physical_name), help("{}", physical_name_help(kind)))]
    DuplicatePhysicalName {
        /// What is named (`flow`, `connector profile`, ...).
        kind: &'static str,
        /// The physical name.
        name: String,
    },

    /// A stack that would create no resource.
    #[error("stack `{stack}` creates no resources")]
    #[diagnostic(
        code(flowform::stack::empty),
        help(
            "CloudFormation rejects a template without resources (\"At least one Resources member must be defined\"): add a flow, or something the stack creates"
        )
    )]
    EmptyStack {
        /// The stack.
        stack: String,
    },

    /// A template parameter named both by a credential and by another setting.
    #[error("parameter `{name}` holds a credential, so it cannot also give a setting its value")]
    #[diagnostic(
        code(flowform::model::credential_parameter_reused),
        help("a credential's parameter is `NoEcho` and a setting's is not: give this setting a parameter of its own")
    )]
    CredentialParameterReused {
        /// The parameter.
        name: String,
    },

    /// A credential's parameter declared with a default.
    #[error("parameter `{name}` holds a credential, so it cannot have a default")]
    #[diagnostic(
        code(flowform::parameter::credential_default),
        help(
            "a default is written into the template in plain text; remove it and pass the value at deploy time (a values file can read it from an environment variable, a file or standard input)"
        )
    )]
    CredentialParameterDefault {
        /// The parameter.
        name: String,
    },

    /// A declared default that the declaration's own constraints reject.
    #[error("the default of parameter `{name}` breaks its constraints: {reason}")]
    #[diagnostic(
        code(flowform::parameter::default_rejected),
        help(
            "a deploy that passes no value would fail on it (cfn-lint E2015 flags such a template); change the default or the constraint"
        )
    )]
    ParameterDefaultRejected {
        /// The parameter.
        name: String,
        /// Which constraint, and how.
        reason: String,
    },

    /// A declared parameter whose minimum length is over its maximum.
    #[error("parameter `{name}` has a min-length of {min}, over its max-length of {max}")]
    #[diagnostic(
        code(flowform::parameter::lengths),
        help("no value could satisfy both; make min-length at most max-length")
    )]
    ParameterLengths {
        /// The parameter.
        name: String,
        /// `min-length`.
        min: u32,
        /// `max-length`.
        max: u32,
    },

    /// A description with characters AppFlow rejects.
    #[error("description has characters AppFlow does not accept: {characters}")]
    #[diagnostic(
        code(flowform::flow::invalid_description),
        help("AppFlow descriptions allow letters, digits, `_`, whitespace and `!@#-.?,`")
    )]
    InvalidDescription {
        /// The offending characters, in backticks.
        characters: String,
    },
}

fn unknown_help(kind: &str, suggestion: &Option<String>) -> String {
    match suggestion {
        Some(name) => format!("did you mean `{name}`?"),
        None => format!("define the {kind} in the stack, or fix the name"),
    }
}

fn physical_name_help(kind: &str) -> String {
    let scope = if kind == "bucket" {
        "in all of AWS"
    } else {
        "per account and region"
    };
    format!("AWS allows one {kind} of a name {scope}, so the second fails to deploy: give one of them another name")
}

fn unknown_secret_key_help(declared: &str, suggestion: &Option<String>) -> String {
    match suggestion {
        Some(key) => format!("did you mean `{key}`? the secret declares {declared}"),
        None => format!("the secret declares {declared}: read one of them, or add this key to its `value`"),
    }
}

fn time_zone_help(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(name) => format!("did you mean `{name}`? time zones are IANA names such as `Europe/Paris`"),
        None => "time zones are IANA names such as `Europe/Paris` or `America/New_York`".into(),
    }
}

/// Everything flowform warns about: the model compiles, but a person must act.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum WarningKind {
    /// An imported resource needs a policy flowform cannot add.
    #[error("{kind} `{name}` is imported, so flowform cannot grant {service} access to it")]
    #[diagnostic(
        code(flowform::permissions::manual_policy),
        severity(Warning),
        help(
            "add this statement to the {policy} of `{resource}` (replace ACCOUNT_ID with the account the stack deploys to):\n{statement}"
        )
    )]
    ManualPolicy {
        /// `bucket`, `key`, `secret`, `topic` or `queue`.
        kind: &'static str,
        /// The service that needs the access: `AppFlow`, `EventBridge`, ...
        service: &'static str,
        /// The name in the stack.
        name: String,
        /// Which policy the statement goes in.
        policy: &'static str,
        /// The physical resource (name or ARN).
        resource: String,
        /// The statement, as pretty JSON.
        statement: String,
    },

    /// A flow from a source that needs a date range has none.
    #[error("a flow from {connector} needs a date range, and this flow filters on none")]
    #[diagnostic(
        code(flowform::filter::no_date_range),
        severity(Warning),
        help(
            "add a `between` filter on the records' date field, e.g. `{{ field = \"date\", type = \"datetime\", op = \"between\", value = [2026-01-01T00:00:00Z, 2026-01-31T00:00:00Z] }}` in the flow's `filter`: the AppFlow user guide's {connector} page says \"you must configure your flow with a date range\"; a run without one fails"
        )
    )]
    NoDateRange {
        /// The source connector, as the guide names it.
        connector: &'static str,
    },

    /// A private profile of a connector that names its endpoint service, without the name.
    #[error("a private connection without `private-link-service-name`")]
    #[diagnostic(
        code(flowform::profile::private_without_service_name),
        severity(Warning),
        help(
            "add the VPC endpoint service's name, `com.amazonaws.vpce.<region>.vpce-svc-…`: AppFlow connects to it (`PrivateLinkServiceName`, \"to be used for private data transfers\")"
        )
    )]
    PrivateWithoutServiceName,

    /// A declared resource nothing uses.
    #[error("{kind} `{name}` is declared but nothing uses it")]
    #[diagnostic(
        code(flowform::stack::unused),
        severity(Warning),
        help("remove it, or refer to it; a {kind} the stack creates is still created")
    )]
    Unused {
        /// `bucket`, `key`, `secret` or `profile`.
        kind: &'static str,
        /// Its name in the stack.
        name: String,
    },

    /// An acknowledgement that matches no warning.
    #[error("the acknowledgement of `{code}` at {at} matches no warning")]
    #[diagnostic(
        code(flowform::stack::unmatched_acknowledgement),
        severity(Warning),
        help(
            "remove it if the warning is gone, or correct its `warning` (a code such as `permissions::manual_policy`) or its `at` (an item such as `bucket.landing`)"
        )
    )]
    UnmatchedAcknowledgement {
        /// The acknowledged code.
        code: String,
        /// The item it names, or "the stack".
        at: String,
    },

    /// A declared template parameter no reference uses.
    #[error("parameter `{name}` is declared but no setting or credential uses it")]
    #[diagnostic(
        code(flowform::parameter::unused),
        severity(Warning),
        help(
            "refer to it (`{{ parameter = \"{name}\" }}`), or remove the declaration: alone, it adds nothing to the template"
        )
    )]
    UnusedParameter {
        /// The parameter.
        name: String,
    },

    /// An imported secret name that ends like an ARN suffix.
    #[error("secret name `{name}` ends with a hyphen and six characters, like an ARN suffix")]
    #[diagnostic(
        code(flowform::secret::name_like_suffix),
        severity(Warning),
        help(
            "Secrets Manager may read the end as an ARN suffix and find another secret or none; import the secret by its full ARN instead"
        )
    )]
    SecretNameLikeArnSuffix {
        /// The name.
        name: String,
    },

    /// A schedule start time that has already passed: a note, not a warning, since
    /// `flowform deploy` moves it to the schedule's next slot (so it cannot fail a CI run
    /// with `--deny-warnings` on the day the date passes).
    #[error("schedule start time {start} is in the past, and AppFlow rejects past start times")]
    #[diagnostic(
        code(flowform::schedule::start_in_past),
        severity(Advice),
        help(
            "nothing to do with `flowform deploy`, which passes the schedule's next slot as the template parameter `{parameter}`; another tool must pass a future one (`--parameter-overrides {parameter}=<epoch seconds>`)"
        )
    )]
    StartTimeInPast {
        /// The start time, RFC 3339.
        start: String,
        /// The template parameter that holds it.
        parameter: String,
    },

    /// A schedule end time that has already passed.
    #[error("schedule end time {end} is in the past; the flow would never run")]
    #[diagnostic(
        code(flowform::schedule::end_in_past),
        severity(Warning),
        help("move the end time into the future, or remove it")
    )]
    EndTimeInPast {
        /// The end time, RFC 3339.
        end: String,
    },

    /// A warning only one connector has.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Connector(#[from] crate::connectors::ConnectorWarning),

    /// A warning about notifications or alarms.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Monitoring(#[from] super::validate::MonitoringWarning),
}

/// The few words a diagnostic puts on the place it points at: what is wrong *there*
/// ("defined again here", "not a table"), beside its message and help line.
pub trait Label {
    /// The label of the span: "here" unless the kind says more.
    fn label(&self) -> Cow<'static, str> {
        Cow::Borrowed("here")
    }
}

impl<K: Label> Label for Located<K> {
    fn label(&self) -> Cow<'static, str> {
        self.kind.label()
    }
}

impl Label for ErrorKind {
    fn label(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            ErrorKind::UnknownReference { .. } => "not defined in this file",
            ErrorKind::DuplicateName { .. } => "defined again here",
            ErrorKind::LogicalIdCollision { .. } => "same logical ID",
            ErrorKind::MissingCredentials { .. } => "no credentials",
            ErrorKind::MissingCredential { key, .. } => return format!("no `{key}`").into(),
            ErrorKind::OutOfRange { .. } => "out of range",
            ErrorKind::NoMapping { .. } => "this flow maps no field",
            ErrorKind::DuplicatePhysicalName { .. } => "used again here",
            ErrorKind::DuplicateDestinationField { .. } => "written again here",
            ErrorKind::OwnedSecretWithoutValue { .. } => "created empty",
            ErrorKind::EmptyStack { .. } => "nothing to create",
            ErrorKind::Connector(error) => return error.label(),
            _ => "here",
        })
    }
}

impl Label for WarningKind {
    fn label(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            WarningKind::ManualPolicy { .. } => "imported here",
            WarningKind::Unused { .. } | WarningKind::UnusedParameter { .. } => "declared here",
            WarningKind::StartTimeInPast { .. } | WarningKind::EndTimeInPast { .. } => "in the past",
            WarningKind::Connector(warning) => return warning.label(),
            _ => "here",
        })
    }
}

/// The longest name a suggestion is looked for: a longer one is no typo of a name (and
/// the edit distance costs the product of the lengths, for every candidate).
const LONGEST_SUGGESTED: usize = 256;

/// The name among `candidates` closest to `name`, if it is close enough to be a typo.
/// Bounded: nothing for names past 256 characters, and candidates whose
/// length alone puts them too far are skipped before any distance is computed.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let length = name.chars().count();
    if length > LONGEST_SUGGESTED {
        return None;
    }
    let limit = (length / 3).max(2);
    candidates
        .into_iter()
        // The distance is at least the difference of the lengths.
        .filter(|candidate| candidate.chars().count().abs_diff(length) <= limit)
        .map(|candidate| {
            (
                edit_distance(&name.to_lowercase(), &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate.to_owned())
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(suggest("lkae", ["lake", "archive"]), Some("lake".into()));
        assert_eq!(suggest("zzz", ["lake", "archive"]), None);
        assert_eq!(suggest("lakes", ["lake"]), Some("lake".into()));
        // A huge name is no typo: nothing is computed for it.
        let huge = "Europe/Paris".repeat(8_000);
        assert_eq!(suggest(&huge, [huge.as_str()]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn located_error_keeps_code_and_help_of_its_kind() {
        let error = ModelError::new(
            Path::root().key("flow").key("a"),
            ErrorKind::NoMapping { flow: "a".into() },
        );
        assert_eq!(error.code().unwrap().to_string(), "flowform::task::no_mapping");
        assert!(error.help().unwrap().to_string().contains("map-all"));
        assert_eq!(error.to_string(), "flow `a` has no mapping (at `flow.a`)");
    }
}
