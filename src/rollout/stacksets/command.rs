//! The StackSets engine's commands (in progress).

use super::super::command::Rollout;
use super::super::summary::Row;
use super::super::targets::StackSetSettings;
use crate::deploy::Failure;
use crate::deploy::aws::AwsCloud;
use crate::deploy::ui::Ui;
use crate::deploy::workflow::DeploySettings;

/// Deploys through stack sets.
pub async fn deploy(
    _base: &AwsCloud,
    _ui: &mut Ui,
    _rollout: &Rollout,
    _settings: &StackSetSettings,
    _deploy: &DeploySettings,
) -> Result<Vec<Row>, Failure> {
    Err(Failure::new("the StackSets engine is not built yet"))
}

/// Compares the stack sets.
pub async fn diff(_base: &AwsCloud, _ui: &mut Ui, _rollout: &Rollout) -> Result<Vec<Row>, Failure> {
    Err(Failure::new("the StackSets engine is not built yet"))
}

/// Deletes the stack sets.
pub async fn destroy(
    _base: &AwsCloud,
    _ui: &mut Ui,
    _rollout: &Rollout,
    _settings: &StackSetSettings,
) -> Result<Vec<Row>, Failure> {
    Err(Failure::new("the StackSets engine is not built yet"))
}
