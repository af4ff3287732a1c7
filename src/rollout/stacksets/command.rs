//! The StackSets engine behind `deploy`, `diff` and `destroy --targets`: the caller's
//! CloudFormation client as the StackSets API (as a delegated administrator when the
//! file says so), templates inline or through `--template-bucket`, then [`super::engine`].

use super::aws::AwsStackSets;
use super::engine::{self, Context};
use crate::deploy::Failure;
use crate::deploy::api::TemplateSource;
use crate::deploy::aws::AwsCloud;
use crate::deploy::retry::{RetryPolicy, Retrying};
use crate::deploy::ui::Ui;
use crate::deploy::workflow::{DeploySettings, template_source};
use crate::rollout::command::Rollout;
use crate::rollout::summary::Row;
use crate::rollout::targets::{Permissions, StackSetSettings};

/// What the stack sets say they are.
const DESCRIPTION: &str = "Deployed by flowform (AppFlow flows as code)";

fn client(base: &AwsCloud, settings: &StackSetSettings, ui: &Ui) -> Retrying<AwsStackSets> {
    let delegated_admin = matches!(
        settings.permissions,
        Permissions::ServiceManaged {
            delegated_admin: true,
            ..
        }
    );
    Retrying {
        inner: AwsStackSets::new(base.cloudformation().clone(), delegated_admin),
        policy: RetryPolicy::default(),
        interrupt: ui.interrupt.clone(),
    }
}

fn context<'a>(
    rollout: &'a Rollout,
    settings: &'a StackSetSettings,
    deploy: &'a DeploySettings,
    recheck: bool,
) -> Context<'a> {
    Context {
        targets: &rollout.targets,
        all: &rollout.all,
        recheck,
        settings,
        parameters: &deploy.parameters,
        description: DESCRIPTION,
    }
}

/// The file's own stacks (a stack set has one name, so targets name no other).
fn plans(rollout: &Rollout) -> &[crate::deploy::StackPlan] {
    rollout
        .plans
        .get(&None)
        .map(|planned| planned.stacks.as_slice())
        .unwrap_or_default()
}

/// Deploys the file's stacks as stack sets.
pub async fn deploy(
    base: &AwsCloud,
    ui: &mut Ui,
    rollout: &Rollout,
    settings: &StackSetSettings,
    deploy: &DeploySettings,
    recheck: bool,
) -> Result<Vec<Row>, Failure> {
    let stacks = plans(rollout);
    engine::check_plans(stacks)?;
    if deploy.no_execute {
        return Err(Failure::new(
            "StackSets have no change sets to prepare: `diff --targets` shows what a deploy would change",
        ));
    }
    let uploads = Retrying {
        inner: base.clone(),
        policy: RetryPolicy::default(),
        interrupt: ui.interrupt.clone(),
    };
    let mut plans: Vec<(crate::deploy::StackPlan, TemplateSource)> = Vec::new();
    for plan in stacks {
        plans.push((plan.clone(), template_source(&uploads, ui, plan, deploy).await?));
    }
    let api = client(base, settings, ui);
    Ok(engine::deploy(&api, ui, &context(rollout, settings, deploy, recheck), &plans).await)
}

/// Compares the stack sets and their instances with the file and the targets: a row per
/// target instance, and the stack sets' template diffs as lines to print.
pub async fn diff(
    base: &AwsCloud,
    ui: &mut Ui,
    rollout: &Rollout,
    settings: &StackSetSettings,
) -> Result<(Vec<Row>, Vec<String>), Failure> {
    let api = client(base, settings, ui);
    let none = DeploySettings::default();
    engine::diff(&api, &context(rollout, settings, &none, false), plans(rollout)).await
}

/// Deletes every stack instance of the file's stack sets, then the stack sets.
pub async fn destroy(
    base: &AwsCloud,
    ui: &mut Ui,
    rollout: &Rollout,
    settings: &StackSetSettings,
) -> Result<Vec<Row>, Failure> {
    let api = client(base, settings, ui);
    let none = DeploySettings::default();
    Ok(engine::destroy(&api, ui, &context(rollout, settings, &none, false), plans(rollout)).await)
}
