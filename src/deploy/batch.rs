//! Deploying the stacks of a run in an order that works: each main stack alone (its flow
//! stacks import its exports), then its flow stacks, several at a time when no question
//! can come up (`--yes`, or no terminal to ask on).

use futures_util::stream::{self, StreamExt};

use super::api::CloudFormation;
use super::ui::Ui;
use super::workflow::{DeploySettings, Deployed, deploy_stack};
use super::{Failure, StackPlan};

/// Deploys `plans` (each main stack followed by its flow stacks), at most `concurrency`
/// flow stacks at once; how each ended, in `plans` order. Every deploy started runs to its
/// end (an operation CloudFormation runs cannot be called back), and the first failure in
/// file order is the run's.
pub async fn deploy_all<'p>(
    api: &impl CloudFormation,
    ui: &mut Ui,
    plans: &'p [StackPlan],
    settings: &DeploySettings,
    concurrency: usize,
) -> Result<Vec<(&'p StackPlan, Deployed)>, Failure> {
    let together = (ui.yes || !ui.can_ask()) && concurrency > 1;
    let mut results = Vec::with_capacity(plans.len());
    let mut index = 0;
    while index < plans.len() {
        let main = &plans[index];
        results.push((main, deploy_stack(api, ui, main, settings).await?));
        let flow_stacks: Vec<&StackPlan> = plans[index + 1..]
            .iter()
            .take_while(|plan| is_flow_stack_of(&plan.stack, &main.stack))
            .collect();
        index += 1 + flow_stacks.len();
        if together && flow_stacks.len() > 1 {
            ui.line(format!(
                "stack {}: deploying its {} flow stacks, {} at a time",
                main.stack,
                flow_stacks.len(),
                concurrency.min(flow_stacks.len())
            ));
            results.extend(deploy_together(api, ui, &flow_stacks, settings, concurrency).await?);
        } else {
            for plan in flow_stacks {
                results.push((plan, deploy_stack(api, ui, plan, settings).await?));
            }
        }
    }
    Ok(results)
}

/// Deploys `plans` at most `concurrency` at a time on the one-thread runtime, each with a
/// [`Ui::child`] that prefixes its lines with the stack's name.
async fn deploy_together<'p>(
    api: &impl CloudFormation,
    ui: &Ui,
    plans: &[&'p StackPlan],
    settings: &DeploySettings,
    concurrency: usize,
) -> Result<Vec<(&'p StackPlan, Deployed)>, Failure> {
    let children: Vec<(usize, Ui)> = plans
        .iter()
        .enumerate()
        .map(|(position, plan)| (position, ui.child(&plan.stack)))
        .collect();
    let mut finished: Vec<(usize, Result<Deployed, Failure>)> = stream::iter(children)
        .map(|(position, mut child)| async move {
            (position, deploy_stack(api, &mut child, plans[position], settings).await)
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    finished.sort_by_key(|(position, _)| *position);
    finished
        .into_iter()
        .map(|(position, result)| result.map(|deployed| (plans[position], deployed)))
        .collect()
}

/// Whether `stack` is one of the flow stacks a split of `main` makes (`<main>-flows-<n>`).
fn is_flow_stack_of(stack: &str, main: &str) -> bool {
    stack
        .strip_prefix(main)
        .and_then(|rest| rest.strip_prefix("-flows-"))
        .is_some_and(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_stacks_are_known_by_the_split_s_names() {
        assert!(is_flow_stack_of("crm-flows-1", "crm"));
        assert!(is_flow_stack_of("crm-flows-12", "crm"));
        assert!(!is_flow_stack_of("crm", "crm"));
        assert!(!is_flow_stack_of("crm-flows-", "crm"));
        assert!(!is_flow_stack_of("crm-flows-x", "crm"));
        assert!(!is_flow_stack_of("billing-flows-1", "crm"));
    }
}
