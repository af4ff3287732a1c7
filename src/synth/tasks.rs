//! A flow's tasks → AppFlow's `Tasks` list.
//!
//! The order is fixed and documented so templates never churn:
//!
//! 1. the automatic `PROJECTION` filter, listing the source fields the mappings and
//!    filters read (real field names, de-duplicated, first-seen order); left out when the
//!    flow maps all fields, since `Map_all` already fetches everything;
//! 2. mappings, 3. transforms, 4. filters, 5. validations, each in the order given.
//!
//! Fixes over the reference library: concat writes its `DestinationField`, the projection
//! never lists synthetic `"a,b"` names, an empty map-all exclude list is fine, validations
//! map to the operator their name says, and `MASK_LENGTH` is the real length for
//! first/last masks.
//!
//! Values no AWS document defines (the service model and the flow schema type every task
//! property as a free string), chosen from the only public evidence, and listed in the
//! README's "Verified against":
//! - `VALIDATION_ACTION`: `DropRecord` ignores the record (AWS's own sample template
//!   `aws-samples/amazon-appflow` `cf-template-sfdc-to-s3.json`, and cdk-appflow's deployed
//!   test stacks); `DropDataset` terminates the flow (cdk-appflow's `terminateFlow()`;
//!   `TerminateFlow` appears in no public source).
//! - `MASK_ALL` carries `MASK_LENGTH`, as the console emits it ("The AWS Console generated
//!   transform has length", cdk-appflow `transforms.ts`), with the value `5` that the
//!   console's output and cdk-appflow's deployed test stack hold; its meaning for a whole
//!   mask is undocumented.
//! - `CONCAT_FORMAT` is passed as written: whether AppFlow reads it as a separator or a
//!   template is undocumented.

use crate::cfn::Expr;
use crate::cfn::generated::flow::{
    ConnectorOperator, ConnectorType, Operator, Task, TaskPropertiesObject, TaskPropertyKey, TaskType,
};
use crate::model::{
    AnyFlow, Field, Filter, FilterOp, FilterType, Mapping, MaskScope, Transform, Validation, ValidationAction,
};

/// One `TaskProperties` entry.
fn property(key: TaskPropertyKey, value: impl Into<String>) -> TaskPropertiesObject {
    TaskPropertiesObject {
        key,
        value: Expr::Str(value.into()),
    }
}

/// The `MASK_LENGTH` of a whole-value mask: what the console emits (see the module docs).
const MASK_ALL_LENGTH: u32 = 5;

/// The complete, ordered task list of `flow`.
pub fn flow_tasks(flow: &AnyFlow) -> Vec<Task> {
    let builder = TaskBuilder {
        connector: flow.source().connector(),
    };
    let mut tasks = Vec::new();
    let maps_all = flow.mappings.iter().any(|m| matches!(m, Mapping::MapAll { .. }));
    if !maps_all {
        let mut projected: Vec<String> = Vec::new();
        let fields = flow
            .mappings
            .iter()
            .flat_map(Mapping::source_fields)
            .chain(flow.filters.iter().map(Filter::field));
        for field in fields {
            if !projected.iter().any(|seen| seen == field) {
                projected.push(field.to_owned());
            }
        }
        if !projected.is_empty() {
            tasks.push(builder.task(TaskType::Filter, projected, Operator::Projection, Vec::new(), None));
        }
    }
    for mapping in &flow.mappings {
        builder.mapping(mapping, &mut tasks);
    }
    tasks.extend(flow.transforms.iter().map(|t| builder.transform(t)));
    tasks.extend(flow.filters.iter().map(|f| builder.filter(f)));
    tasks.extend(flow.validations.iter().map(|v| builder.validation(v)));
    tasks
}

struct TaskBuilder {
    connector: ConnectorType,
}

impl TaskBuilder {
    fn task(
        &self,
        task_type: TaskType,
        source_fields: Vec<String>,
        operator: Operator,
        task_properties: Vec<TaskPropertiesObject>,
        destination_field: Option<String>,
    ) -> Task {
        Task {
            task_type,
            source_fields: source_fields.into_iter().map(Expr::Str).collect(),
            // Validation checked the source connector allows every operator of the flow.
            connector_operator: ConnectorOperator::new(self.connector, operator),
            task_properties,
            destination_field: destination_field.map(Expr::Str),
        }
    }

    /// The `Map` that moves a computed (concat or arithmetic) value into its destination.
    fn computed_map(&self, combined: String, to: &Field) -> Task {
        let mut properties = Vec::new();
        if let Some(data_type) = &to.data_type {
            properties.push(property(TaskPropertyKey::DestinationDataType, data_type));
        }
        properties.push(property(TaskPropertyKey::SourceDataType, "string"));
        self.task(
            TaskType::Map,
            vec![combined],
            Operator::NoOp,
            properties,
            Some(to.name.clone()),
        )
    }

    fn mapping(&self, mapping: &Mapping, tasks: &mut Vec<Task>) {
        match mapping {
            Mapping::MapAll { .. } => {
                let list = mapping.excluded_list().unwrap_or_default();
                let properties = vec![property(TaskPropertyKey::ExcludeSourceFieldsList, list)];
                tasks.push(self.task(TaskType::MapAll, Vec::new(), Operator::NoOp, properties, None));
            }
            Mapping::Map { from, to } => {
                let mut properties = Vec::new();
                if let Some(data_type) = &from.data_type {
                    properties.push(property(TaskPropertyKey::SourceDataType, data_type));
                }
                if let Some(data_type) = &to.data_type {
                    properties.push(property(TaskPropertyKey::DestinationDataType, data_type));
                }
                tasks.push(self.task(
                    TaskType::Map,
                    vec![from.name.clone()],
                    Operator::NoOp,
                    properties,
                    Some(to.name.clone()),
                ));
            }
            Mapping::Concat { from, format, to } => {
                let combined = mapping.computed_field().unwrap_or_default();
                let properties = vec![property(TaskPropertyKey::ConcatFormat, format)];
                tasks.push(self.task(
                    TaskType::Merge,
                    from.clone(),
                    Operator::NoOp,
                    properties,
                    Some(combined.clone()),
                ));
                tasks.push(self.computed_map(combined, to));
            }
            Mapping::Arithmetic { op, left, right, to } => {
                let combined = mapping.computed_field().unwrap_or_default();
                let operator = op.operator();
                let properties = vec![property(TaskPropertyKey::MathOperationFieldsOrder, &combined)];
                let fields = vec![left.clone(), right.clone()];
                tasks.push(self.task(
                    TaskType::Arithmetic,
                    fields,
                    operator,
                    properties,
                    Some(combined.clone()),
                ));
                tasks.push(self.computed_map(combined, to));
            }
        }
    }

    fn filter(&self, filter: &Filter) -> Task {
        let data_type = filter.data_type.clone().unwrap_or_else(|| {
            match filter.field_type {
                FilterType::Number => "double",
                other => other.name(),
            }
            .to_owned()
        });
        let mut properties = vec![property(TaskPropertyKey::DataType, data_type)];
        let mut values = filter.property_values().into_iter();
        match filter.op {
            FilterOp::Between => {
                let (lower, upper) = (values.next(), values.next());
                properties.push(property(TaskPropertyKey::LowerBound, lower.unwrap_or_default()));
                properties.push(property(TaskPropertyKey::UpperBound, upper.unwrap_or_default()));
            }
            FilterOp::In | FilterOp::NotIn => {
                properties.push(property(TaskPropertyKey::Values, values.next().unwrap_or_default()));
            }
            _ => properties.push(property(TaskPropertyKey::Value, values.next().unwrap_or_default())),
        }
        self.task(
            TaskType::Filter,
            vec![filter.field.clone()],
            filter.op.operator(),
            properties,
            None,
        )
    }

    fn transform(&self, transform: &Transform) -> Task {
        match transform {
            Transform::Mask { field, scope, mask } => {
                let operator = transform.operator();
                let length = match scope {
                    MaskScope::All => MASK_ALL_LENGTH,
                    MaskScope::First(n) | MaskScope::Last(n) => *n,
                };
                let properties = vec![
                    property(TaskPropertyKey::MaskLength, length.to_string()),
                    property(TaskPropertyKey::MaskValue, mask),
                ];
                self.task(TaskType::Mask, vec![field.clone()], operator, properties, None)
            }
            Transform::Truncate { field, length } => {
                let properties = vec![property(TaskPropertyKey::TruncateLength, length.to_string())];
                self.task(
                    TaskType::Truncate,
                    vec![field.clone()],
                    Operator::NoOp,
                    properties,
                    None,
                )
            }
        }
    }

    fn validation(&self, validation: &Validation) -> Task {
        let operator = validation.check.operator();
        let action = match validation.action {
            ValidationAction::IgnoreRecord => "DropRecord",
            ValidationAction::TerminateFlow => "DropDataset",
        };
        let properties = vec![property(TaskPropertyKey::ValidationAction, action)];
        self.task(
            TaskType::Validate,
            vec![validation.field.clone()],
            operator,
            properties,
            None,
        )
    }
}
