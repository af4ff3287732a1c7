//! Operating deployed flows: `flowform run`, `status`, `history`, `stop` and `start`, and
//! adopting existing ones: `flowform import`.
//!
//! - [`api`]: the AppFlow calls, as a trait with plain data; `aws`: that trait over the
//!   AWS SDK, on the deploy commands' connection (credentials, `--profile`, region,
//!   endpoint).
//! - [`follow`]: starting a run and following it to its end, and the words and numbers
//!   every command prints about runs.
//! - [`import`]: existing flows → the flowform TOML that deploys them (`flowform import`).
//! - [`command`]: the command lines.
//!
//! A command names flows as the file does: the file is compiled in memory (with `--stack`
//! for an environment) and each flow's physical name read from its template, so `run
//! flows.toml accounts` runs the flow `accounts` of that file in the stack it deploys to.

pub mod api;
mod aws;
pub mod command;
pub mod follow;
pub mod import;

use crate::deploy::Planned;

/// A flow of the files, as the commands find it in the synthesized templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployedFlow {
    /// Its logical ID (`AccountsFlow`: the file's name in PascalCase, with `Flow`).
    pub logical_id: String,
    /// Its physical name, as AppFlow (and the console) knows it.
    pub name: String,
    /// The stack it is deployed in.
    pub stack: String,
    /// `OnDemand`, `Scheduled` or `Event`.
    pub trigger: String,
    /// A scheduled flow's expression.
    pub schedule: Option<String>,
}

impl DeployedFlow {
    /// Whether `name` is this flow: its name in the file or its physical name.
    pub fn is(&self, name: &str) -> bool {
        self.name == name || crate::model::names::flow_id(name) == self.logical_id
    }
}

/// Every flow the planned stacks deploy (a Customer Profiles integration's flow too), in
/// stack order.
pub fn flows_of(planned: &Planned) -> Vec<DeployedFlow> {
    let mut flows = Vec::new();
    for plan in &planned.stacks {
        let Some(resources) = plan.template["Resources"].as_object() else {
            continue;
        };
        for (id, resource) in resources {
            let properties = &resource["Properties"];
            let definition = match resource["Type"].as_str() {
                Some("AWS::AppFlow::Flow") => properties,
                Some("AWS::CustomerProfiles::Integration") => &properties["FlowDefinition"],
                _ => continue,
            };
            let Some(name) = definition["FlowName"].as_str() else {
                continue;
            };
            let trigger = &definition["TriggerConfig"];
            flows.push(DeployedFlow {
                logical_id: id.clone(),
                name: name.to_owned(),
                stack: plan.stack.clone(),
                trigger: trigger["TriggerType"].as_str().unwrap_or("OnDemand").to_owned(),
                schedule: trigger["TriggerProperties"]["ScheduleExpression"]
                    .as_str()
                    .map(str::to_owned),
            });
        }
    }
    flows
}

/// The flow `name` of `flows`, or a message listing them.
pub fn find<'a>(flows: &'a [DeployedFlow], name: &str) -> Result<&'a DeployedFlow, String> {
    flows.iter().find(|flow| flow.is(name)).ok_or_else(|| {
        let names: Vec<&str> = flows.iter().map(|flow| flow.name.as_str()).collect();
        // The names in the file are most physical names without their `<stack>-`.
        let short = flows
            .iter()
            .filter_map(|flow| flow.name.strip_prefix(&format!("{}-", flow.stack)).map(str::to_owned));
        let candidates: Vec<String> = short.chain(names.iter().map(|n| (*n).to_owned())).collect();
        let close = crate::model::suggest(name, candidates.iter().map(String::as_str));
        match close {
            Some(close) => format!("the file has no flow `{name}`; did you mean `{close}`?"),
            None => format!("the file has no flow `{name}`; its flows: {}", names.join(", ")),
        }
    })
}
