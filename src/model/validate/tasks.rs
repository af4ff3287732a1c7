//! A flow's tasks: its mappings (map-all, map, concat, arithmetic), filters and their
//! values, transforms (mask, truncate) and validations, and whether the source connector
//! supports every operator they use.

use std::collections::{BTreeSet, HashMap};

use crate::cfn::appflow::{Operator, operator_allowed};
use crate::hash::FastState;
use crate::model::diagnostic::{ErrorKind, ModelError};
use crate::model::flow::AnyFlow;
use crate::model::limits;
use crate::model::path::Path;
use crate::model::task::{Field, FilterOp, FilterType, FilterValue, Mapping, MaskScope, Transform};

use super::Checker;

impl Checker<'_> {
    /// A field name: not empty.
    pub(crate) fn check_field_name(&mut self, path: impl FnOnce() -> Path, field: &str) {
        if field.trim().is_empty() {
            self.error(
                path(),
                ErrorKind::Empty {
                    what: "a field name",
                    help: "name the field, e.g. `Id`",
                },
            );
        }
    }

    /// A field a task reads: named, and within the schema's limits on `Task.SourceFields`.
    fn check_source_field(&mut self, path: impl Fn() -> Path, field: &str) {
        self.check_field_name(&path, field);
        self.check_limits(path, &limits::SOURCE_FIELD, field);
    }

    /// A field a task writes: named, and within the limits on `Task.DestinationField`.
    fn check_destination_field(&mut self, path: impl Fn() -> Path, field: &str) {
        self.check_field_name(&path, field);
        self.check_limits(path, &limits::DESTINATION_FIELD, field);
    }

    /// A value a task passes in its `TaskProperties` (a format, a filter's values, a data
    /// type): within the schema's limits on `TaskPropertiesObject.Value`.
    fn check_task_value(&mut self, path: impl FnOnce() -> Path, value: &str) {
        self.check_limits(path, &limits::TASK_VALUE, value);
    }

    /// The data types of a mapping's ends, which tasks pass as property values.
    fn check_data_types(&mut self, path: &impl Fn() -> Path, ends: &[(&'static str, &Field)]) {
        for (key, field) in ends {
            if let Some(data_type) = &field.data_type {
                self.check_task_value(|| path().key(key), data_type);
            }
        }
    }

    pub(super) fn check_tasks(&mut self, flow: &AnyFlow, path: &impl Fn() -> Path) {
        let map_all_count = flow
            .mappings
            .iter()
            .filter(|m| matches!(m, Mapping::MapAll { .. }))
            .count();
        if flow.mappings.is_empty() {
            self.error(
                path(),
                ErrorKind::NoMapping {
                    flow: flow.name.clone(),
                },
            );
        }
        if map_all_count > 1 {
            self.error(
                path().key("map-all"),
                ErrorKind::DuplicateMapAll {
                    flow: flow.name.clone(),
                },
            );
        }
        let mut mapped: BTreeSet<&str> = BTreeSet::new();
        // Destination field → the mapping that first writes it.
        let mut written: HashMap<&str, usize, FastState> = HashMap::default();
        let excluded: BTreeSet<&str> = flow
            .mappings
            .iter()
            .filter_map(|m| match m {
                Mapping::MapAll { exclude } => Some(exclude.iter().map(String::as_str)),
                _ => None,
            })
            .flatten()
            .collect();
        let mapping_path = |index: usize| path().key("mapping").index(index);
        for (index, mapping) in flow.mappings.iter().enumerate() {
            // Paths are built only for errors: this runs for every task of every flow.
            let path = || mapping_path(index);
            mapped.extend(mapping.source_fields());
            // `Map_all` maps every field itself: another mapping beside it would write a
            // field twice or contradict it.
            if map_all_count > 0 && !matches!(mapping, Mapping::MapAll { .. }) {
                self.error(path(), ErrorKind::MapAllWithOtherMappings);
            }
            if let Some(to) = mapping.destination_field()
                && !to.is_empty()
                && let Some(first) = written.insert(to, index)
            {
                self.errors.push(
                    ModelError::new(
                        path().key("to"),
                        ErrorKind::DuplicateDestinationField { field: to.into() },
                    )
                    .also_at(mapping_path(first).key("to")),
                );
            }
            match mapping {
                Mapping::MapAll { exclude } => {
                    for (i, field) in exclude.iter().enumerate() {
                        self.check_source_field(|| path().key("exclude").index(i), field);
                    }
                    // AppFlow takes the excluded fields as one JSON list, a property value.
                    self.check_task_value(|| path().key("exclude"), &mapping.excluded_list().unwrap_or_default());
                }
                Mapping::Map { from, to } => {
                    self.check_source_field(|| path().key("from"), &from.name);
                    self.check_destination_field(|| path().key("to"), &to.name);
                    self.check_data_types(&path, &[("from", from), ("to", to)]);
                }
                Mapping::Concat { from, format, to } => {
                    if from.is_empty() {
                        self.error(
                            path().key("from"),
                            ErrorKind::Empty {
                                what: "the concat field list",
                                help: "list the fields to join",
                            },
                        );
                    }
                    for (i, field) in from.iter().enumerate() {
                        self.check_source_field(|| path().key("from").index(i), field);
                    }
                    if format.is_empty() {
                        self.error(
                            path().key("format"),
                            ErrorKind::Empty {
                                what: "the concat format",
                                help: "give the text that joins the fields, e.g. `\" \"`",
                            },
                        );
                    } else {
                        self.check_task_value(|| path().key("format"), format);
                    }
                    self.check_destination_field(|| path().key("to"), &to.name);
                    if to.data_type.is_none() {
                        self.error(path().key("to"), ErrorKind::MissingDataType { task: "concat" });
                    }
                    self.check_data_types(&path, &[("to", to)]);
                }
                Mapping::Arithmetic { op, left, right, to } => {
                    self.check_source_field(|| path().key("left"), left);
                    self.check_source_field(|| path().key("right"), right);
                    self.check_destination_field(|| path().key("to"), &to.name);
                    if to.data_type.is_none() {
                        self.error(path().key("to"), ErrorKind::MissingDataType { task: op.name() });
                    }
                    self.check_data_types(&path, &[("to", to)]);
                }
            }
            // A concat or arithmetic task writes its result to an intermediate field named
            // by its inputs, which the `Map` after it reads (`synth::tasks`).
            if let Some(combined) = mapping.computed_field()
                && mapping.source_fields().iter().all(|field| !field.trim().is_empty())
            {
                let at = if matches!(mapping, Mapping::Concat { .. }) {
                    "from"
                } else {
                    "right"
                };
                self.check_limits(|| path().key(at), &limits::DESTINATION_FIELD, &combined);
            }
        }
        let connector = flow.source.connector();
        for (index, filter) in flow.filters.iter().enumerate() {
            let path = || path().key("filter").index(index);
            self.check_source_field(|| path().key("field"), &filter.field);
            if let Some(data_type) = &filter.data_type {
                self.check_task_value(|| path().key("data-type"), data_type);
            }
            if excluded.contains(filter.field.as_str()) {
                self.error(
                    path().key("field"),
                    ErrorKind::FieldExcluded {
                        field: filter.field.clone(),
                        task: "filter",
                    },
                );
            }
            if !filter.op.applies_to(filter.field_type) {
                let allowed = FilterOp::ALL
                    .iter()
                    .filter(|op| op.applies_to(filter.field_type))
                    .map(|op| format!("`{}`", op.symbol()))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(
                    path().key("op"),
                    ErrorKind::FilterOperatorType {
                        operator: filter.op.symbol(),
                        field_type: filter.field_type.name(),
                        allowed,
                    },
                );
                continue;
            }
            let operator = filter.op.operator();
            if !operator_allowed(connector, operator) {
                let allowed = FilterOp::ALL
                    .iter()
                    .filter(|op| operator_allowed(connector, op.operator()))
                    .map(|op| format!("`{}`", op.symbol()))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(
                    path().key("op"),
                    ErrorKind::OperatorNotSupported {
                        operator: operator.as_str(),
                        connector: flow.source.name(),
                        allowed,
                    },
                );
            }
            if self.check_filter_values(path, filter.op, filter.field_type, &filter.values) {
                let written = filter.property_values();
                for (i, value) in written.iter().enumerate() {
                    let at = || match written.len() {
                        1 => path().key("value"),
                        _ => path().key("value").index(i),
                    };
                    self.check_task_value(at, value);
                }
            }
        }
        for (index, transform) in flow.transforms.iter().enumerate() {
            let path = || path().key("transform").index(index);
            self.check_source_field(|| path().key("field"), transform.field());
            match transform {
                Transform::Mask { scope, mask, .. } => {
                    if mask.chars().count() != 1 {
                        self.error(path().key("mask"), ErrorKind::InvalidMask { mask: mask.clone() });
                    }
                    if matches!(scope, MaskScope::First(0) | MaskScope::Last(0)) {
                        self.error(
                            path().key("length"),
                            ErrorKind::ZeroLength {
                                what: "the mask length",
                            },
                        );
                    }
                }
                Transform::Truncate { length, .. } => {
                    if *length == 0 {
                        self.error(
                            path().key("length"),
                            ErrorKind::ZeroLength {
                                what: "the truncate length",
                            },
                        );
                    }
                }
            }
            if excluded.contains(transform.field()) {
                self.error(
                    path().key("field"),
                    ErrorKind::FieldExcluded {
                        field: transform.field().into(),
                        task: "transform",
                    },
                );
            } else if map_all_count == 0 && !transform.field().is_empty() && !mapped.contains(transform.field()) {
                self.error(
                    path().key("field"),
                    ErrorKind::FieldNotMapped {
                        field: transform.field().into(),
                        task: "transform",
                    },
                );
            }
        }
        for (index, validation) in flow.validations.iter().enumerate() {
            let path = || path().key("validation").index(index);
            self.check_source_field(|| path().key("field"), &validation.field);
            if excluded.contains(validation.field.as_str()) {
                self.error(
                    path().key("field"),
                    ErrorKind::FieldExcluded {
                        field: validation.field.clone(),
                        task: "validation",
                    },
                );
            } else if map_all_count == 0 && !validation.field.is_empty() && !mapped.contains(validation.field.as_str())
            {
                self.error(
                    path().key("field"),
                    ErrorKind::FieldNotMapped {
                        field: validation.field.clone(),
                        task: "validation",
                    },
                );
            }
        }
        self.check_task_operators(flow, path);
    }

    /// Every task's operator is in the source connector's `ConnectorOperator` enum (from
    /// the generated facts): a template with one outside it fails CloudFormation's schema
    /// check (a connector may allow `BETWEEN` alone). Filters are checked
    /// with their own message, naming the comparisons that would do.
    fn check_task_operators(&mut self, flow: &AnyFlow, path: &impl Fn() -> Path) {
        let connector = flow.source.connector();
        let mut used: Vec<(Path, Operator)> = Vec::new();
        for (index, mapping) in flow.mappings.iter().enumerate() {
            if let Mapping::Arithmetic { op, .. } = mapping {
                used.push((path().key("mapping").index(index), op.operator()));
            }
            used.push((path().key("mapping").index(index), Operator::NoOp));
        }
        let maps_all = flow.mappings.iter().any(|m| matches!(m, Mapping::MapAll { .. }));
        let projects = !flow.mappings.is_empty() || !flow.filters.is_empty();
        if projects && !maps_all {
            used.push((path(), Operator::Projection));
        }
        for (index, transform) in flow.transforms.iter().enumerate() {
            used.push((path().key("transform").index(index), transform.operator()));
        }
        for (index, validation) in flow.validations.iter().enumerate() {
            used.push((path().key("validation").index(index), validation.check.operator()));
        }
        for (at, operator) in used {
            if !operator_allowed(connector, operator) {
                let allowed = connector
                    .facts()
                    .operators
                    .as_ref()
                    .map(|facts| {
                        facts
                            .operators
                            .iter()
                            .map(|op| format!("`{}`", op.as_str()))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
                    .join(", ");
                self.error(
                    at,
                    ErrorKind::OperatorNotSupported {
                        operator: operator.as_str(),
                        connector: flow.source.name(),
                        allowed,
                    },
                );
            }
        }
    }

    fn check_filter_values(
        &mut self,
        path: impl Fn() -> Path,
        op: FilterOp,
        field_type: FilterType,
        values: &[FilterValue],
    ) -> bool {
        let (expected, fits) = match op {
            FilterOp::Between => ("exactly 2 values (lower and upper bound)", values.len() == 2),
            FilterOp::In | FilterOp::NotIn => ("a list of at least 1 value", !values.is_empty()),
            _ => ("exactly 1 value", values.len() == 1),
        };
        if !fits {
            self.error(
                path().key("value"),
                ErrorKind::FilterValueCount {
                    operator: op.symbol(),
                    expected,
                    got: values.len(),
                },
            );
            return false;
        }
        let mut valid = true;
        for (index, value) in values.iter().enumerate() {
            let value_path = || {
                if values.len() == 1 {
                    path().key("value")
                } else {
                    path().key("value").index(index)
                }
            };
            let matches_type = matches!(
                (field_type, value),
                (FilterType::String, FilterValue::String(_))
                    | (FilterType::Number, FilterValue::Integer(_) | FilterValue::Float(_))
                    | (FilterType::Boolean, FilterValue::Boolean(_))
                    | (FilterType::Datetime, FilterValue::Datetime(_))
            );
            if !matches_type {
                self.error(
                    value_path(),
                    ErrorKind::FilterValueType {
                        expected: field_type.name(),
                        got: value.type_name(),
                    },
                );
                valid = false;
                continue;
            }
            if let FilterValue::Float(number) = value
                && !number.is_finite()
            {
                self.error(value_path(), ErrorKind::NonFiniteNumber);
            }
            if matches!(op, FilterOp::In | FilterOp::NotIn)
                && let FilterValue::String(text) = value
                && text.contains(',')
            {
                self.error(value_path(), ErrorKind::CommaInListValue { value: text.clone() });
                valid = false;
            }
        }
        valid
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{errors, stack, stack_with, warnings};
    use crate::model::{
        ErrorKind, Field, Filter, FilterOp, FilterType, Mapping, OnDemandFlow, S3Destination, S3Source, Stack,
        Transform, Validation,
    };

    /// A stack with the flow `f` from `lake` to `lake` without tasks, changed by `edit`.
    fn with_tasks(edit: impl FnOnce(OnDemandFlow) -> OnDemandFlow) -> Stack {
        let (mut stack, lake) = stack();
        stack.add_flow(edit(OnDemandFlow::new(
            "f",
            S3Source::new(&lake, "in/"),
            S3Destination::new(&lake),
        )));
        stack
    }

    #[test]
    fn a_filter_the_source_connector_lacks() {
        let found = errors(stack_with(|flow| flow.filter(Filter::string("Name").contains("Acme"))));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "flow.f.filter[0].op");
        assert!(matches!(
            found[0].1,
            ErrorKind::OperatorNotSupported {
                operator: "CONTAINS",
                connector: "S3",
                ..
            }
        ));
        assert_eq!(
            warnings(stack_with(|flow| flow.filter(Filter::string("Name").equals("Acme")))),
            []
        );
    }

    #[test]
    fn fields_and_task_values_are_within_the_schemas_limits() {
        let long = |n: usize| "x".repeat(n);
        let found = errors(with_tasks(|flow| {
            flow.mapping(Mapping::map(long(2049).as_str(), long(257).as_str()))
                .mapping(Mapping::concat(
                    [long(200), long(200)],
                    "-",
                    Field::typed("Both", "string"),
                ))
                .filter(Filter::string("Name").equals(""))
        }));
        let places: Vec<(&str, &str)> = found
            .iter()
            .map(|(path, kind)| match kind {
                ErrorKind::SchemaConstraint { property, .. } => (path.as_str(), *property),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            places,
            [
                ("flow.f.mapping[0].from", "Task.SourceFields"),
                ("flow.f.mapping[0].to", "Task.DestinationField"),
                ("flow.f.mapping[1].from", "Task.DestinationField"),
                ("flow.f.filter[0].value", "TaskPropertiesObject.Value"),
            ]
        );
        let fitting = with_tasks(|flow| flow.mapping(Mapping::map(long(2048).as_str(), long(256).as_str())));
        assert_eq!(warnings(fitting), []);
    }

    #[test]
    fn a_mask_of_two_characters() {
        let found = errors(stack_with(|flow| {
            flow.transform(Transform::mask_all("Ssn").with_mask("##"))
        }));
        assert_eq!(
            found,
            [(
                "flow.f.transform[0].mask".into(),
                ErrorKind::InvalidMask { mask: "##".into() }
            )]
        );
        let masked = stack_with(|flow| flow.transform(Transform::mask_all("Ssn").with_mask("#")));
        assert_eq!(warnings(masked), []);
    }

    #[test]
    fn lengths_of_zero() {
        let found = errors(stack_with(|flow| {
            flow.transform(Transform::truncate("Name", 0))
                .transform(Transform::mask_last("Ssn", 0))
                .transform(Transform::truncate("Name", 1))
        }));
        let zero = |what| ErrorKind::ZeroLength { what };
        assert_eq!(
            found,
            [
                ("flow.f.transform[0].length".into(), zero("the truncate length")),
                ("flow.f.transform[1].length".into(), zero("the mask length")),
            ]
        );
    }

    #[test]
    fn mappings_that_conflict() {
        assert_eq!(
            errors(with_tasks(|flow| flow)),
            [("flow.f".into(), ErrorKind::NoMapping { flow: "f".into() })]
        );
        let found = errors(with_tasks(|flow| {
            flow.mapping(Mapping::map("Id", "id"))
                .mapping(Mapping::map("Key", "id"))
                .mapping(Mapping::map_all())
        }));
        let paths: Vec<&str> = found.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(
            paths,
            ["flow.f.mapping[0]", "flow.f.mapping[1]", "flow.f.mapping[1].to"]
        );
        assert!(matches!(found[0].1, ErrorKind::MapAllWithOtherMappings));
        assert_eq!(found[2].1, ErrorKind::DuplicateDestinationField { field: "id".into() });
        let concat = errors(with_tasks(|flow| {
            flow.mapping(Mapping::concat(["A", "B"], " ", Field::new("AB")))
        }));
        assert_eq!(
            concat,
            [(
                "flow.f.mapping[0].to".into(),
                ErrorKind::MissingDataType { task: "concat" }
            )]
        );
    }

    #[test]
    fn tasks_on_fields_not_mapped_or_excluded() {
        let found = errors(with_tasks(|flow| {
            flow.mapping(Mapping::field("Id"))
                .transform(Transform::mask_all("Ssn"))
                .validation(Validation::not_null("Id"))
        }));
        assert_eq!(
            found,
            [(
                "flow.f.transform[0].field".into(),
                ErrorKind::FieldNotMapped {
                    field: "Ssn".into(),
                    task: "transform"
                }
            )]
        );
        let found = errors(with_tasks(|flow| {
            flow.mapping(Mapping::map_all_except(["Ssn"]))
                .filter(Filter::string("Ssn").equals("x"))
        }));
        assert_eq!(
            found,
            [(
                "flow.f.filter[0].field".into(),
                ErrorKind::FieldExcluded {
                    field: "Ssn".into(),
                    task: "filter"
                }
            )]
        );
    }

    #[test]
    fn filter_values_of_the_wrong_count_type_or_text() {
        let found = errors(stack_with(|flow| {
            flow.filter(Filter::new(
                "Amount",
                FilterType::Number,
                FilterOp::Between,
                vec![1.into()],
            ))
            .filter(Filter::number("Amount").equals("ten"))
            .filter(Filter::string("Stage").in_list(["Won", "Lost, late"]))
            .filter(Filter::boolean("Open").less_than(true))
        }));
        let paths: Vec<&str> = found.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "flow.f.filter[0].value",
                "flow.f.filter[1].value",
                "flow.f.filter[2].value[1]",
                "flow.f.filter[3].op",
            ]
        );
        assert!(matches!(found[0].1, ErrorKind::FilterValueCount { got: 1, .. }));
        assert_eq!(
            found[1].1,
            ErrorKind::FilterValueType {
                expected: "number",
                got: "string"
            }
        );
        assert_eq!(
            found[2].1,
            ErrorKind::CommaInListValue {
                value: "Lost, late".into()
            }
        );
        assert!(matches!(
            found[3].1,
            ErrorKind::FilterOperatorType {
                field_type: "boolean",
                ..
            }
        ));
    }
}
