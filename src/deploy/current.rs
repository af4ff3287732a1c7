//! Whether a stack is already what a deploy would make it, without a change set: the
//! deployed template is the planned one, every parameter has the value the deploy would
//! pass, and the stack's tags are the planned ones. A rollout uses it to leave alone the
//! targets nothing changed for (reads only: `DescribeStacks`, `GetTemplate`).
//!
//! A `NoEcho` parameter's value cannot be compared (CloudFormation answers `****`), so a
//! stack with one is never taken for up to date: its change set decides.

use serde_json::Value;

use super::api::{ChangeSetType, CloudFormation, ParameterValue, StackInfo};
use super::workflow::{DeploySettings, parameter_values};
use super::{Failure, StackPlan};

/// The statuses of a stack whose last operation succeeded.
const SETTLED: [&str; 3] = ["CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"];

/// Whether a deploy of `plan` with `settings` would change nothing in `info`, the stack
/// as deployed.
pub async fn up_to_date(
    api: &impl CloudFormation,
    plan: &StackPlan,
    settings: &DeploySettings,
    info: &StackInfo,
) -> Result<bool, Failure> {
    if !SETTLED.contains(&info.status.as_str()) || info.tags != plan.tags || !same_parameters(plan, settings, info) {
        return Ok(false);
    }
    let deployed = api.get_template(&info.id).await?;
    Ok(serde_json::from_str::<Value>(&deployed).ok().as_ref() == Some(&plan.template))
}

/// Whether every parameter of `plan` would keep the value `info` has.
fn same_parameters(plan: &StackPlan, settings: &DeploySettings, info: &StackInfo) -> bool {
    let Ok(planned) = parameter_values(plan, settings, &info.parameters, ChangeSetType::Update) else {
        return false;
    };
    if !planned.drafts.is_empty() {
        return false;
    }
    let declared = plan.template["Parameters"].as_object().cloned().unwrap_or_default();
    declared.iter().all(|(name, declaration)| {
        let expected = match planned.values.get(name) {
            Some(ParameterValue::Previous) => return true,
            Some(ParameterValue::Value(value)) => Some(value.clone()),
            None => match &declaration["Default"] {
                Value::String(text) => Some(text.clone()),
                Value::Null => None,
                other => Some(other.to_string()),
            },
        };
        let secret = declaration["NoEcho"] == true || declaration["NoEcho"] == "true";
        !secret && expected.as_ref() == info.parameters.get(name)
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    fn plan(parameters: Value) -> StackPlan {
        let template = json!({"Parameters": parameters, "Resources": {}});
        StackPlan {
            stack: "crm".into(),
            body: template.to_string(),
            template,
            tags: BTreeMap::new(),
        }
    }

    fn info(parameters: &[(&str, &str)]) -> StackInfo {
        StackInfo {
            id: "arn:aws:cloudformation:us-east-1:111111111111:stack/crm/1".into(),
            name: "crm".into(),
            status: "UPDATE_COMPLETE".into(),
            status_reason: None,
            parameters: parameters.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            outputs: Vec::new(),
            tags: BTreeMap::new(),
        }
    }

    fn settings(values: &[(&str, &str)]) -> DeploySettings {
        DeploySettings {
            parameters: values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..DeploySettings::default()
        }
    }

    #[test]
    fn a_parameter_is_the_same_when_its_value_or_default_is_what_is_deployed() {
        let plan = plan(json!({"Url": {"Type": "String"}, "Size": {"Type": "Number", "Default": "10"}}));
        let deployed = info(&[("Url", "https://a.example.com"), ("Size", "10")]);
        assert!(same_parameters(
            &plan,
            &settings(&[("Url", "https://a.example.com")]),
            &deployed
        ));
        assert!(!same_parameters(
            &plan,
            &settings(&[("Url", "https://b.example.com")]),
            &deployed
        ));
        assert!(!same_parameters(
            &plan,
            &settings(&[("Url", "https://a.example.com"), ("Size", "20")]),
            &deployed
        ));
        let resized = info(&[("Url", "https://a.example.com"), ("Size", "20")]);
        assert!(
            !same_parameters(&plan, &settings(&[("Url", "https://a.example.com")]), &resized),
            "the deploy would put the default back"
        );
        assert!(
            same_parameters(&plan, &settings(&[]), &deployed),
            "Url has no value and no default: the deploy keeps the deployed one"
        );
    }

    #[test]
    fn a_secret_parameter_is_never_taken_for_the_same() {
        let plan = plan(json!({"Token": {"Type": "String", "NoEcho": true}}));
        let deployed = info(&[("Token", "****")]);
        assert!(!same_parameters(&plan, &settings(&[("Token", "****")]), &deployed));
    }
}
