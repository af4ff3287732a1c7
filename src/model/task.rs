//! Flow tasks: [`Mapping`], [`Filter`], [`Transform`] and [`Validation`].
//!
//! These are what the user means ("map all but `Secret__c`", "`CreatedDate` between two
//! dates"); `synth::tasks` turns them into AppFlow's `Tasks` list, adds the automatic
//! `PROJECTION` task and fixes the order.
//!
//! Longer than most modules: every task kind with its builders and their docs; they share
//! the field and type rules, so they stay together.

use jiff::Timestamp;

use crate::connectors::facts::Operator;

/// A field with an optional AppFlow data type (`string`, `id`, `datetime`, `double`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub(crate) name: String,
    pub(crate) data_type: Option<String>,
}

impl Field {
    /// A field without a declared type.
    pub fn new(name: impl Into<String>) -> Self {
        Field {
            name: name.into(),
            data_type: None,
        }
    }

    /// A field of `data_type`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let plain = Field::new("Name");
    /// let typed = Field::typed("Amount", "double");
    /// assert_eq!((plain.name(), typed.name()), ("Name", "Amount"));
    /// ```
    pub fn typed(name: impl Into<String>, data_type: impl Into<String>) -> Self {
        Field {
            name: name.into(),
            data_type: Some(data_type.into()),
        }
    }

    /// The field name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl From<&str> for Field {
    fn from(name: &str) -> Self {
        Field::new(name)
    }
}

impl From<String> for Field {
    fn from(name: String) -> Self {
        Field::new(name)
    }
}

/// An arithmetic operation on two source fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithmeticOp {
    /// `left + right`.
    Add,
    /// `left - right`.
    Subtract,
    /// `left * right`.
    Multiply,
    /// `left / right`.
    Divide,
}

impl ArithmeticOp {
    /// The AppFlow operator it becomes.
    pub fn operator(self) -> Operator {
        match self {
            ArithmeticOp::Add => Operator::Addition,
            ArithmeticOp::Subtract => Operator::Subtraction,
            ArithmeticOp::Multiply => Operator::Multiplication,
            ArithmeticOp::Divide => Operator::Division,
        }
    }
}

impl ArithmeticOp {
    /// The operation's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            ArithmeticOp::Add => "add",
            ArithmeticOp::Subtract => "subtract",
            ArithmeticOp::Multiply => "multiply",
            ArithmeticOp::Divide => "divide",
        }
    }
}

/// How source fields reach the destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapping {
    /// Every source field, under its own name, except `exclude`.
    MapAll {
        /// Fields to leave out (may be empty).
        exclude: Vec<String>,
    },
    /// One field to one field, optionally with data types.
    Map {
        /// The source field.
        from: Field,
        /// The destination field.
        to: Field,
    },
    /// Several source fields joined into one destination field.
    Concat {
        /// The source fields, in order.
        from: Vec<String>,
        /// The `CONCAT_FORMAT`.
        format: String,
        /// The destination field (its data type is required).
        to: Field,
    },
    /// An arithmetic result of two source fields.
    Arithmetic {
        /// The operation.
        op: ArithmeticOp,
        /// The left operand.
        left: String,
        /// The right operand.
        right: String,
        /// The destination field (its data type is required).
        to: Field,
    },
}

impl Mapping {
    /// Maps every field.
    pub fn map_all() -> Self {
        Mapping::MapAll { exclude: Vec::new() }
    }

    /// Maps every field except these.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let everything_but = Mapping::map_all_except(["Ssn__c", "Salary__c"]);
    /// assert_ne!(everything_but, Mapping::map_all());
    /// ```
    pub fn map_all_except<I: IntoIterator<Item = S>, S: Into<String>>(exclude: I) -> Self {
        Mapping::MapAll {
            exclude: exclude.into_iter().map(Into::into).collect(),
        }
    }

    /// Maps `from` to `to`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let mut stack = Stack::new("crm");
    /// let lake = stack.add_bucket(Bucket::owned("lake"));
    /// let flow = OnDemandFlow::new("contacts", S3Source::new(&lake, "in/"), S3Destination::new(&lake))
    ///     .mapping(Mapping::field("Id"))
    ///     .mapping(Mapping::map("LastName", Field::typed("last_name", "string")))
    ///     .mapping(Mapping::concat(["FirstName", "LastName"], " ", Field::typed("full_name", "string")))
    ///     .mapping(Mapping::multiply("Score", "Weight", Field::typed("weighted", "double")));
    /// stack.add_flow(flow);
    /// assert!(flowform::compile(stack, &flowform::CompileOptions::default()).is_ok());
    /// ```
    pub fn map(from: impl Into<Field>, to: impl Into<Field>) -> Self {
        Mapping::Map {
            from: from.into(),
            to: to.into(),
        }
    }

    /// Maps a field to the same name in the destination.
    pub fn field(name: impl Into<String>) -> Self {
        let name = name.into();
        Mapping::Map {
            from: Field::new(name.clone()),
            to: Field::new(name),
        }
    }

    /// Joins `from` with `format` into `to`.
    pub fn concat<I: IntoIterator<Item = S>, S: Into<String>>(from: I, format: impl Into<String>, to: Field) -> Self {
        Mapping::Concat {
            from: from.into_iter().map(Into::into).collect(),
            format: format.into(),
            to,
        }
    }

    /// `to = left + right`.
    pub fn add(left: impl Into<String>, right: impl Into<String>, to: Field) -> Self {
        Self::arithmetic(ArithmeticOp::Add, left, right, to)
    }

    /// `to = left - right`.
    pub fn subtract(left: impl Into<String>, right: impl Into<String>, to: Field) -> Self {
        Self::arithmetic(ArithmeticOp::Subtract, left, right, to)
    }

    /// `to = left * right`.
    pub fn multiply(left: impl Into<String>, right: impl Into<String>, to: Field) -> Self {
        Self::arithmetic(ArithmeticOp::Multiply, left, right, to)
    }

    /// `to = left / right`.
    pub fn divide(left: impl Into<String>, right: impl Into<String>, to: Field) -> Self {
        Self::arithmetic(ArithmeticOp::Divide, left, right, to)
    }

    /// `to = left <op> right`.
    pub fn arithmetic(op: ArithmeticOp, left: impl Into<String>, right: impl Into<String>, to: Field) -> Self {
        Mapping::Arithmetic {
            op,
            left: left.into(),
            right: right.into(),
            to,
        }
    }

    /// The destination field this mapping writes (none for map-all, which writes them all).
    pub(crate) fn destination_field(&self) -> Option<&str> {
        match self {
            Mapping::MapAll { .. } => None,
            Mapping::Map { to, .. } | Mapping::Concat { to, .. } | Mapping::Arithmetic { to, .. } => Some(&to.name),
        }
    }

    /// The intermediate field a concat or arithmetic task writes and the `Map` after it
    /// reads: its inputs joined by commas, the name the AppFlow console gives it.
    pub(crate) fn computed_field(&self) -> Option<String> {
        match self {
            Mapping::Concat { from, .. } => Some(from.join(",")),
            Mapping::Arithmetic { left, right, .. } => Some(format!("{left},{right}")),
            Mapping::MapAll { .. } | Mapping::Map { .. } => None,
        }
    }

    /// Map-all's excluded fields as AppFlow takes them, one JSON list of strings
    /// (`EXCLUDE_SOURCE_FIELDS_LIST`); `None` for the other mappings.
    pub(crate) fn excluded_list(&self) -> Option<String> {
        let Mapping::MapAll { exclude } = self else {
            return None;
        };
        Some(serde_json::to_string(exclude).unwrap_or_else(|_| "[]".into()))
    }

    /// The source fields this mapping reads, in order.
    pub(crate) fn source_fields(&self) -> Vec<&str> {
        match self {
            Mapping::MapAll { .. } => Vec::new(),
            Mapping::Map { from, .. } => vec![from.name.as_str()],
            Mapping::Concat { from, .. } => from.iter().map(String::as_str).collect(),
            Mapping::Arithmetic { left, right, .. } => vec![left.as_str(), right.as_str()],
        }
    }
}

/// The data type of a filtered field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterType {
    /// Text.
    String,
    /// A number.
    Number,
    /// `true`/`false`.
    Boolean,
    /// A point in time (compared as epoch milliseconds).
    Datetime,
}

impl FilterType {
    /// The type's name in messages and in `DATA_TYPE` (numbers default to `double`).
    pub fn name(self) -> &'static str {
        match self {
            FilterType::String => "string",
            FilterType::Number => "number",
            FilterType::Boolean => "boolean",
            FilterType::Datetime => "datetime",
        }
    }
}

/// A filter comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterOp {
    /// `=` one value.
    Equal,
    /// `!=` one value.
    NotEqual,
    /// `<`.
    LessThan,
    /// `<=`.
    LessThanOrEqual,
    /// `>`.
    GreaterThan,
    /// `>=`.
    GreaterThanOrEqual,
    /// Inclusive range of two values.
    Between,
    /// Substring match.
    Contains,
    /// Equal to one of a list.
    In,
    /// Equal to none of a list.
    NotIn,
}

impl FilterOp {
    /// The AppFlow operator this comparison becomes (lists use `VALUES` with `=`/`!=`).
    pub fn operator(self) -> Operator {
        match self {
            FilterOp::Equal | FilterOp::In => Operator::EqualTo,
            FilterOp::NotEqual | FilterOp::NotIn => Operator::NotEqualTo,
            FilterOp::LessThan => Operator::LessThan,
            FilterOp::LessThanOrEqual => Operator::LessThanOrEqualTo,
            FilterOp::GreaterThan => Operator::GreaterThan,
            FilterOp::GreaterThanOrEqual => Operator::GreaterThanOrEqualTo,
            FilterOp::Between => Operator::Between,
            FilterOp::Contains => Operator::Contains,
        }
    }

    /// The operator as written in TOML (`=`, `!=`, `<`, `between`, `in`, ...).
    pub fn symbol(self) -> &'static str {
        match self {
            FilterOp::Equal => "=",
            FilterOp::NotEqual => "!=",
            FilterOp::LessThan => "<",
            FilterOp::LessThanOrEqual => "<=",
            FilterOp::GreaterThan => ">",
            FilterOp::GreaterThanOrEqual => ">=",
            FilterOp::Between => "between",
            FilterOp::Contains => "contains",
            FilterOp::In => "in",
            FilterOp::NotIn => "not-in",
        }
    }

    /// Every operator.
    pub const ALL: [FilterOp; 10] = [
        FilterOp::Equal,
        FilterOp::NotEqual,
        FilterOp::LessThan,
        FilterOp::LessThanOrEqual,
        FilterOp::GreaterThan,
        FilterOp::GreaterThanOrEqual,
        FilterOp::Between,
        FilterOp::Contains,
        FilterOp::In,
        FilterOp::NotIn,
    ];

    /// Whether the operator applies to fields of `field_type`.
    pub fn applies_to(self, field_type: FilterType) -> bool {
        use FilterOp::*;
        match field_type {
            FilterType::String => matches!(self, Equal | NotEqual | Contains | In | NotIn | Between),
            FilterType::Number | FilterType::Datetime => !matches!(self, Contains),
            FilterType::Boolean => matches!(self, Equal | NotEqual),
        }
    }
}

/// A filter value.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterValue {
    /// Text.
    String(String),
    /// An integer.
    Integer(i64),
    /// A floating-point number.
    Float(f64),
    /// A boolean.
    Boolean(bool),
    /// A point in time.
    Datetime(Timestamp),
}

impl FilterValue {
    /// The value's kind in messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            FilterValue::String(_) => "string",
            FilterValue::Integer(_) | FilterValue::Float(_) => "number",
            FilterValue::Boolean(_) => "boolean",
            FilterValue::Datetime(_) => "datetime",
        }
    }

    /// The value as AppFlow wants it in `VALUE`/`VALUES`: datetimes as epoch milliseconds.
    pub(crate) fn render(&self) -> String {
        match self {
            FilterValue::String(s) => s.clone(),
            FilterValue::Integer(i) => i.to_string(),
            FilterValue::Float(f) => f.to_string(),
            FilterValue::Boolean(b) => b.to_string(),
            FilterValue::Datetime(t) => t.as_millisecond().to_string(),
        }
    }
}

impl From<&str> for FilterValue {
    fn from(value: &str) -> Self {
        FilterValue::String(value.to_owned())
    }
}

impl From<String> for FilterValue {
    fn from(value: String) -> Self {
        FilterValue::String(value)
    }
}

impl From<i64> for FilterValue {
    fn from(value: i64) -> Self {
        FilterValue::Integer(value)
    }
}

impl From<f64> for FilterValue {
    fn from(value: f64) -> Self {
        FilterValue::Float(value)
    }
}

impl From<bool> for FilterValue {
    fn from(value: bool) -> Self {
        FilterValue::Boolean(value)
    }
}

impl From<Timestamp> for FilterValue {
    fn from(value: Timestamp) -> Self {
        FilterValue::Datetime(value)
    }
}

/// Keeps only the records whose field satisfies a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub(crate) field: String,
    pub(crate) field_type: FilterType,
    pub(crate) data_type: Option<String>,
    pub(crate) op: FilterOp,
    pub(crate) values: Vec<FilterValue>,
}

/// A typed field to build a [`Filter`] on: `Filter::number("Amount").greater_than(100)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterField {
    field: String,
    field_type: FilterType,
    data_type: Option<String>,
}

impl Filter {
    /// A filter from its parts; validation checks that they fit together.
    pub fn new(field: impl Into<String>, field_type: FilterType, op: FilterOp, values: Vec<FilterValue>) -> Self {
        Filter {
            field: field.into(),
            field_type,
            data_type: None,
            op,
            values,
        }
    }

    /// Filters on a string field.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let web = Filter::string("LeadSource").in_list(["Web", "Partner"]);
    /// let big = Filter::number("Amount").data_type("currency").greater_than(1_000);
    /// let recent = Filter::datetime("CreatedDate")
    ///     .between("2024-01-01T00:00:00Z".parse::<Timestamp>().unwrap(), "2025-01-01T00:00:00Z".parse::<Timestamp>().unwrap());
    /// assert_eq!((web.field(), big.field(), recent.field()), ("LeadSource", "Amount", "CreatedDate"));
    /// ```
    pub fn string(field: impl Into<String>) -> FilterField {
        FilterField::new(field, FilterType::String)
    }

    /// Filters on a number field.
    pub fn number(field: impl Into<String>) -> FilterField {
        FilterField::new(field, FilterType::Number)
    }

    /// Filters on a boolean field.
    pub fn boolean(field: impl Into<String>) -> FilterField {
        FilterField::new(field, FilterType::Boolean)
    }

    /// Filters on a datetime field.
    pub fn datetime(field: impl Into<String>) -> FilterField {
        FilterField::new(field, FilterType::Datetime)
    }

    /// Overrides the `DATA_TYPE` AppFlow is told (e.g. `currency` for a number field).
    pub fn data_type(mut self, data_type: impl Into<String>) -> Self {
        self.data_type = Some(data_type.into());
        self
    }

    /// The filtered field.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The values as AppFlow takes them in `TaskProperties`: a range's bounds apart
    /// (`LOWER_BOUND`, `UPPER_BOUND`), any other comparison's values joined by commas
    /// (`VALUES` for a list, `VALUE` for one).
    pub(crate) fn property_values(&self) -> Vec<String> {
        let rendered = self.values.iter().map(FilterValue::render);
        match self.op {
            FilterOp::Between => rendered.collect(),
            _ => vec![rendered.collect::<Vec<_>>().join(",")],
        }
    }
}

impl FilterField {
    fn new(field: impl Into<String>, field_type: FilterType) -> Self {
        FilterField {
            field: field.into(),
            field_type,
            data_type: None,
        }
    }

    /// Overrides the `DATA_TYPE` AppFlow is told (e.g. `currency` for a number field).
    pub fn data_type(mut self, data_type: impl Into<String>) -> Self {
        self.data_type = Some(data_type.into());
        self
    }

    fn build(self, op: FilterOp, values: Vec<FilterValue>) -> Filter {
        Filter {
            field: self.field,
            field_type: self.field_type,
            data_type: self.data_type,
            op,
            values,
        }
    }

    /// `field = value`.
    pub fn equals(self, value: impl Into<FilterValue>) -> Filter {
        self.build(FilterOp::Equal, vec![value.into()])
    }

    /// `field != value`.
    pub fn not_equals(self, value: impl Into<FilterValue>) -> Filter {
        self.build(FilterOp::NotEqual, vec![value.into()])
    }

    /// `field < value`.
    pub fn less_than(self, value: impl Into<FilterValue>) -> Filter {
        self.build(FilterOp::LessThan, vec![value.into()])
    }

    /// `field <= value`.
    pub fn less_than_or_equal(self, value: impl Into<FilterValue>) -> Filter {
        self.build(FilterOp::LessThanOrEqual, vec![value.into()])
    }

    /// `field > value`.
    pub fn greater_than(self, value: impl Into<FilterValue>) -> Filter {
        self.build(FilterOp::GreaterThan, vec![value.into()])
    }

    /// `field >= value`.
    pub fn greater_than_or_equal(self, value: impl Into<FilterValue>) -> Filter {
        self.build(FilterOp::GreaterThanOrEqual, vec![value.into()])
    }

    /// `lower <= field <= upper`.
    pub fn between(self, lower: impl Into<FilterValue>, upper: impl Into<FilterValue>) -> Filter {
        self.build(FilterOp::Between, vec![lower.into(), upper.into()])
    }

    /// `field` contains `value`.
    pub fn contains(self, value: impl Into<FilterValue>) -> Filter {
        self.build(FilterOp::Contains, vec![value.into()])
    }

    /// `field` is one of `values`.
    pub fn in_list<I: IntoIterator<Item = V>, V: Into<FilterValue>>(self, values: I) -> Filter {
        self.build(FilterOp::In, values.into_iter().map(Into::into).collect())
    }

    /// `field` is none of `values`.
    pub fn not_in_list<I: IntoIterator<Item = V>, V: Into<FilterValue>>(self, values: I) -> Filter {
        self.build(FilterOp::NotIn, values.into_iter().map(Into::into).collect())
    }
}

/// Which characters of a value a mask hides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaskScope {
    /// The whole value.
    All,
    /// The first N characters.
    First(u32),
    /// The last N characters.
    Last(u32),
}

/// A change to a field's value on its way to the destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transform {
    /// Replaces characters with a mask character.
    Mask {
        /// The field.
        field: String,
        /// Which characters.
        scope: MaskScope,
        /// The mask character (exactly one).
        mask: String,
    },
    /// Keeps only the first `length` characters.
    Truncate {
        /// The field.
        field: String,
        /// How many characters to keep.
        length: u32,
    },
}

impl Transform {
    /// The AppFlow operator it becomes.
    pub fn operator(&self) -> Operator {
        match self {
            Transform::Mask { scope, .. } => match scope {
                MaskScope::All => Operator::MaskAll,
                MaskScope::First(_) => Operator::MaskFirstN,
                MaskScope::Last(_) => Operator::MaskLastN,
            },
            Transform::Truncate { .. } => Operator::NoOp,
        }
    }
}

impl Transform {
    /// Masks the whole value with `*`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let hidden = Transform::mask_all("Ssn__c").with_mask("#");
    /// let last_four = Transform::mask_last("Phone", 4);
    /// let short = Transform::truncate("Description", 200);
    /// assert_eq!((hidden.field(), last_four.field(), short.field()), ("Ssn__c", "Phone", "Description"));
    /// ```
    pub fn mask_all(field: impl Into<String>) -> Self {
        Transform::Mask {
            field: field.into(),
            scope: MaskScope::All,
            mask: "*".into(),
        }
    }

    /// Masks the first `n` characters with `*`.
    pub fn mask_first(field: impl Into<String>, n: u32) -> Self {
        Transform::Mask {
            field: field.into(),
            scope: MaskScope::First(n),
            mask: "*".into(),
        }
    }

    /// Masks the last `n` characters with `*`.
    pub fn mask_last(field: impl Into<String>, n: u32) -> Self {
        Transform::Mask {
            field: field.into(),
            scope: MaskScope::Last(n),
            mask: "*".into(),
        }
    }

    /// Uses `mask` instead of `*` (masks only; ignored on truncation).
    pub fn with_mask(mut self, mask: impl Into<String>) -> Self {
        if let Transform::Mask { mask: current, .. } = &mut self {
            *current = mask.into();
        }
        self
    }

    /// Keeps the first `length` characters.
    pub fn truncate(field: impl Into<String>, length: u32) -> Self {
        Transform::Truncate {
            field: field.into(),
            length,
        }
    }

    /// The transformed field.
    pub fn field(&self) -> &str {
        match self {
            Transform::Mask { field, .. } | Transform::Truncate { field, .. } => field,
        }
    }
}

/// What a validation checks; a record fails when the check fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidationCheck {
    /// The value is not null.
    NotNull,
    /// The value is not zero.
    NonZero,
    /// The value is not negative.
    NonNegative,
    /// The value is a number.
    Numeric,
}

impl ValidationCheck {
    /// The AppFlow operator it becomes.
    pub fn operator(self) -> Operator {
        match self {
            ValidationCheck::NotNull => Operator::ValidateNonNull,
            ValidationCheck::NonZero => Operator::ValidateNonZero,
            ValidationCheck::NonNegative => Operator::ValidateNonNegative,
            ValidationCheck::Numeric => Operator::ValidateNumeric,
        }
    }
}

/// What happens to a record that fails a validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidationAction {
    /// Drop the record and go on (`DropRecord`).
    IgnoreRecord,
    /// Stop the whole run (`DropDataset`, the value cdk-appflow writes; see `synth::tasks`).
    TerminateFlow,
}

/// A check on every record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    pub(crate) field: String,
    pub(crate) check: ValidationCheck,
    pub(crate) action: ValidationAction,
}

impl Validation {
    /// Checks `field` with `check`; failing records are dropped until
    /// [`Validation::terminate_flow`] says otherwise.
    pub fn new(field: impl Into<String>, check: ValidationCheck) -> Self {
        Validation {
            field: field.into(),
            check,
            action: ValidationAction::IgnoreRecord,
        }
    }

    /// `field` must not be null.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let required = Validation::not_null("Id").terminate_flow();
    /// let skipped = Validation::non_negative("Amount").ignore_record();
    /// assert_ne!(required, skipped);
    /// ```
    pub fn not_null(field: impl Into<String>) -> Self {
        Self::new(field, ValidationCheck::NotNull)
    }

    /// `field` must not be zero.
    pub fn non_zero(field: impl Into<String>) -> Self {
        Self::new(field, ValidationCheck::NonZero)
    }

    /// `field` must not be negative.
    pub fn non_negative(field: impl Into<String>) -> Self {
        Self::new(field, ValidationCheck::NonNegative)
    }

    /// `field` must be a number.
    pub fn numeric(field: impl Into<String>) -> Self {
        Self::new(field, ValidationCheck::Numeric)
    }

    /// A failing record drops just that record.
    pub fn ignore_record(mut self) -> Self {
        self.action = ValidationAction::IgnoreRecord;
        self
    }

    /// A failing record stops the run.
    pub fn terminate_flow(mut self) -> Self {
        self.action = ValidationAction::TerminateFlow;
        self
    }

    /// Sets the action.
    pub fn action(mut self, action: ValidationAction) -> Self {
        self.action = action;
        self
    }
}
