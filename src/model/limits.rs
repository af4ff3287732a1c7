//! The official schemas' limits on the values of flowform's own shared settings, named
//! for what the model calls them: validation checks each value against them, and the
//! format's JSON Schema carries them, so an editor refuses what `flowform` would. Each is
//! the generated constant of the property the value becomes (`src/codegen`), never a
//! number typed here; connectors' own settings take theirs from the facts instead.

pub(crate) use crate::cfn::Limits;
use crate::cfn::generated::flow::{ScheduledTriggerProperties, Tag, Task, TaskPropertiesObject};

/// A field a task reads (`Task.SourceFields`).
pub(crate) const SOURCE_FIELD: Limits = Task::SOURCE_FIELDS_LIMITS;

/// A field a task writes (`Task.DestinationField`).
pub(crate) const DESTINATION_FIELD: Limits = Task::DESTINATION_FIELD_LIMITS;

/// A value a task passes in its properties: a format, a filter's values, a data type
/// (`TaskPropertiesObject.Value`).
pub(crate) const TASK_VALUE: Limits = TaskPropertiesObject::VALUE_LIMITS;

/// A schedule's delay in seconds (`ScheduledTriggerProperties.ScheduleOffset`).
pub(crate) const SCHEDULE_OFFSET: Limits = ScheduledTriggerProperties::SCHEDULE_OFFSET_LIMITS;

/// Consecutive failed runs before AppFlow deactivates a flow
/// (`ScheduledTriggerProperties.FlowErrorDeactivationThreshold`).
pub(crate) const ERROR_DEACTIVATION_THRESHOLD: Limits =
    ScheduledTriggerProperties::FLOW_ERROR_DEACTIVATION_THRESHOLD_LIMITS;

/// A tag's key (`Tag.Key`).
pub(crate) const TAG_KEY: Limits = Tag::KEY_LIMITS;

/// A tag's value (`Tag.Value`).
pub(crate) const TAG_VALUE: Limits = Tag::VALUE_LIMITS;

/// The range of a numeric limit, for messages and the lowering's bounds.
pub(crate) fn range(limits: &Limits) -> (i64, i64) {
    (limits.minimum.unwrap_or(i64::MIN), limits.maximum.unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_ranges_are_the_schemas() {
        assert_eq!(range(&SCHEDULE_OFFSET), (0, 36_000));
        assert_eq!(range(&ERROR_DEACTIVATION_THRESHOLD), (1, 100));
        assert_eq!((TAG_KEY.max_length, TAG_VALUE.max_length), (Some(128), Some(256)));
    }
}
