//! `flowform policy --targets`: the IAM roles a rollout needs, each with its trust policy
//! and its permissions, for the people who create them (a vendor's customers, a platform
//! team's account owners).
//!
//! - Direct engine: in each target account, the role flowform assumes. It trusts the
//!   identity that runs the rollout (`--principal`), with the target's external ID as a
//!   condition (`sts:ExternalId`, IAM user guide, "Access to AWS accounts owned by third
//!   parties"), and may do what `flowform deploy` does there: the deployer policy of the
//!   target's stacks, scoped to its account (and region, when it has one).
//! - StackSets, self-managed: the administration role in the administrator account
//!   (trusted by `cloudformation.amazonaws.com`, allowed `sts:AssumeRole` on the execution
//!   role of each target account) and the execution role in each target account (trusting
//!   the administration role), the names CloudFormation uses unless the file names others
//!   (CloudFormation user guide, "Grant self-managed permissions"). The execution role
//!   gets the stacks' deployer policy plus `cloudformation:*`, `s3:*` and `sns:*`, which
//!   the same guide gives as the minimum of an execution role for StackSets' own work
//!   (thin evidence: the guide does not say which calls these serve, so they are not
//!   scoped further).
//! - StackSets, service-managed: none; Organizations' service-linked roles do the work.
//!
//! The document's `caller` is what the identity running the rollout needs itself: for the
//! direct engine `sts:AssumeRole` on exactly the target roles; for StackSets the stack set
//! and stack instance actions the engine calls, on any resource (thin evidence on which
//! resource types each StackSets action is authorized against, so flowform does not scope
//! them), and `iam:PassRole` on the administration role when the file names one.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::targets::{Engine, Permissions, Targets};
use crate::deploy::Planned;
use crate::policy::{PolicyOptions, deployer_policy_of};

/// CloudFormation's default role names for self-managed StackSets.
const ADMINISTRATION_ROLE: &str = "AWSCloudFormationStackSetAdministrationRole";
const EXECUTION_ROLE: &str = "AWSCloudFormationStackSetExecutionRole";

/// What the roles are printed for.
pub struct RoleOptions<'a> {
    /// The partition.
    pub partition: &'a str,
    /// Who runs the rollout: an IAM role or user ARN, or an account ID (its root).
    pub principal: Option<&'a str>,
    /// `--template-bucket`.
    pub template_bucket: Option<String>,
}

/// The roles, as one JSON document (`{"roles": [...]}`), and notes for stderr; an error
/// when a needed `--principal` is missing.
pub fn roles(
    targets: &Targets,
    plans: &BTreeMap<Option<String>, Planned>,
    options: &RoleOptions<'_>,
) -> Result<(Value, Vec<String>), String> {
    let mut notes = Vec::new();
    let mut roles = Vec::new();
    let mut caller: Vec<Value> = Vec::new();
    match &targets.engine {
        Engine::Direct => {
            let principal = principal_arn(options)
                .ok_or("pass --principal: the ARN of the role (or user) that runs the rollout, which each target's role trusts")?;
            // One role per account and role ARN, for all the targets it serves.
            let mut by_role: BTreeMap<(String, String), Vec<&super::targets::Target>> = BTreeMap::new();
            for target in &targets.targets {
                let Some(role) = &target.role else {
                    notes.push(format!(
                        "target `{}` names no role: it is deployed with the rollout's own credentials, which need the deployer policy (`flowform policy` without --targets)",
                        target.name
                    ));
                    continue;
                };
                for account in &target.accounts {
                    by_role
                        .entry((account.clone(), role.arn(options.partition, account)))
                        .or_default()
                        .push(target);
                }
            }
            let assumed: Vec<&str> = by_role.keys().map(|(_, arn)| arn.as_str()).collect();
            if !assumed.is_empty() {
                caller.push(json!({
                    "Sid": "AssumeTargetRoles",
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Resource": one_or_many(&assumed),
                }));
            }
            for ((account, arn), served) in by_role {
                let external_ids: Vec<&str> = served.iter().filter_map(|t| t.external_id.as_deref()).collect();
                let mut statement = json!({
                    "Effect": "Allow",
                    "Principal": {"AWS": principal},
                    "Action": "sts:AssumeRole",
                });
                if !external_ids.is_empty() {
                    statement["Condition"] = json!({"StringEquals": {"sts:ExternalId": one_or_many(&external_ids)}});
                } else {
                    notes.push(format!(
                        "the role {arn} trusts {principal} without an external ID; a vendor assuming roles in customers' accounts should give each customer one (`external-id`)"
                    ));
                }
                let regions: Vec<&str> = served
                    .iter()
                    .flat_map(|t| t.regions.iter().map(String::as_str))
                    .collect();
                let stacks: Vec<(String, Value)> = served.iter().flat_map(|t| templates_of(plans, &t.stack)).collect();
                // The bucket a target of this role uploads big templates to (its own).
                let bucket = served
                    .iter()
                    .find_map(|t| t.template_bucket.clone())
                    .or_else(|| options.template_bucket.clone());
                let (permissions, more) = permissions(&stacks, options, bucket, &account, &regions, &[]);
                notes.extend(more);
                roles.push(json!({
                    "account": account,
                    "role": arn,
                    "targets": served.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
                    "trust": {"Version": "2012-10-17", "Statement": [statement]},
                    "permissions": permissions,
                }));
            }
        }
        Engine::StackSets(settings) => {
            caller.push(json!({
                "Sid": "StackSets",
                "Effect": "Allow",
                "Action": [
                    "cloudformation:CreateStackSet",
                    "cloudformation:UpdateStackSet",
                    "cloudformation:DeleteStackSet",
                    "cloudformation:DescribeStackSet",
                    "cloudformation:ListStackInstances",
                    "cloudformation:DescribeStackInstance",
                    "cloudformation:CreateStackInstances",
                    "cloudformation:UpdateStackInstances",
                    "cloudformation:DeleteStackInstances",
                    "cloudformation:DescribeStackSetOperation",
                    "cloudformation:ListStackSetOperationResults",
                ],
                "Resource": "*",
            }));
            if let Permissions::SelfManaged {
                administration_role: Some(arn),
                ..
            } = &settings.permissions
            {
                caller.push(json!({
                    "Sid": "PassAdministrationRole",
                    "Effect": "Allow",
                    "Action": "iam:PassRole",
                    "Resource": arn,
                }));
            }
            stack_set_roles(settings, targets, plans, options, &mut roles, &mut notes)?;
        }
    }
    notes.sort();
    notes.dedup();
    let caller = json!({"principal": options.principal, "permissions": {"Version": "2012-10-17", "Statement": caller}});
    Ok((json!({"caller": caller, "roles": roles}), notes))
}

/// The roles of a StackSets rollout.
fn stack_set_roles(
    settings: &super::targets::StackSetSettings,
    targets: &Targets,
    plans: &BTreeMap<Option<String>, Planned>,
    options: &RoleOptions<'_>,
    roles: &mut Vec<Value>,
    notes: &mut Vec<String>,
) -> Result<(), String> {
    match &settings.permissions {
        Permissions::ServiceManaged { .. } => notes.push(
            "service-managed stack sets need no roles of yours: StackSets uses Organizations' service-linked roles (trusted access for StackSets must be on in the organization)".into(),
        ),
        Permissions::SelfManaged {
            administration_role,
            execution_role_name,
        } => {
            let execution = execution_role_name.as_deref().unwrap_or(EXECUTION_ROLE);
            let administration = match administration_role {
                Some(arn) => arn.clone(),
                None => {
                    let account = options
                        .principal
                        .and_then(account_of)
                        .ok_or("pass --principal: the administrator account (or an identity ARN in it) the stack sets are created from")?;
                    format!("arn:{}:iam::{account}:role/{ADMINISTRATION_ROLE}", options.partition)
                }
            };
            let accounts: Vec<&str> = targets
                .targets
                .iter()
                .flat_map(|t| t.accounts.iter().map(String::as_str))
                .collect();
            let mut unique = accounts.clone();
            unique.sort_unstable();
            unique.dedup();
            let execution_arns: Vec<String> = unique
                .iter()
                .map(|account| format!("arn:{}:iam::{account}:role/{execution}", options.partition))
                .collect();
            roles.push(json!({
                "account": account_of(&administration).unwrap_or_default(),
                "role": administration,
                "trust": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudformation.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }]},
                "permissions": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Resource": one_or_many(&execution_arns.iter().map(String::as_str).collect::<Vec<_>>()),
                }]},
            }));
            let stacks = templates_of(plans, &None);
            for account in unique {
                let regions: Vec<&str> = targets
                    .targets
                    .iter()
                    .filter(|t| t.accounts.iter().any(|a| a == account))
                    .flat_map(|t| t.regions.iter().map(String::as_str))
                    .collect();
                let stackset_work = json!({
                    "Sid": "StackSetsOwnWork",
                    "Effect": "Allow",
                    "Action": ["cloudformation:*", "s3:*", "sns:*"],
                    "Resource": "*",
                });
                let (permissions, more) = permissions(&stacks, options, options.template_bucket.clone(), account, &regions, &[stackset_work]);
                notes.extend(more);
                roles.push(json!({
                    "account": account,
                    "role": format!("arn:{}:iam::{account}:role/{execution}", options.partition),
                    "trust": {"Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow",
                        "Principal": {"AWS": administration},
                        "Action": "sts:AssumeRole",
                    }]},
                    "permissions": permissions,
                }));
            }
        }
    }
    Ok(())
}

/// The deployer policy of `stacks` in `account`, scoped to its one region or to any when
/// it has several, with `extra` statements first.
fn permissions(
    stacks: &[(String, Value)],
    options: &RoleOptions<'_>,
    template_bucket: Option<String>,
    account: &str,
    regions: &[&str],
    extra: &[Value],
) -> (Value, Vec<String>) {
    let mut distinct: Vec<&str> = regions.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let policy = deployer_policy_of(
        stacks,
        &PolicyOptions {
            partition: options.partition.to_string(),
            region: match distinct.as_slice() {
                [one] => one.to_string(),
                _ => "*".to_string(),
            },
            account: account.to_string(),
            template_bucket,
            role_arn: None,
        },
    );
    let mut document = policy.document;
    if let Some(statements) = document["Statement"].as_array_mut() {
        for (index, statement) in extra.iter().enumerate() {
            statements.insert(index, statement.clone());
        }
    }
    (document, policy.notes)
}

/// The templates of the stacks deployed under `stack`, by stack name.
fn templates_of(plans: &BTreeMap<Option<String>, Planned>, stack: &Option<String>) -> Vec<(String, Value)> {
    plans
        .get(stack)
        .into_iter()
        .flat_map(|planned| {
            planned
                .stacks
                .iter()
                .map(|plan| (plan.stack.clone(), plan.template.clone()))
        })
        .collect()
}

/// A principal ARN from `--principal` (an account ID is its root).
fn principal_arn(options: &RoleOptions<'_>) -> Option<String> {
    let principal = options.principal?;
    if principal.len() == 12 && principal.bytes().all(|b| b.is_ascii_digit()) {
        Some(format!("arn:{}:iam::{principal}:root", options.partition))
    } else {
        Some(principal.to_string())
    }
}

/// The account of an IAM ARN, or the account ID itself.
fn account_of(principal: &str) -> Option<String> {
    if principal.len() == 12 && principal.bytes().all(|b| b.is_ascii_digit()) {
        return Some(principal.to_string());
    }
    principal
        .split(':')
        .nth(4)
        .filter(|account| account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string)
}

/// One value, or a list of them (IAM takes either).
fn one_or_many(values: &[&str]) -> Value {
    match values {
        [one] => json!(one),
        many => json!(many),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::values::testing::NoOutside;

    fn targets(text: &str) -> Targets {
        super::super::targets::parse(std::path::Path::new("t.toml"), text, &NoOutside).unwrap()
    }

    fn options(principal: Option<&str>) -> RoleOptions<'_> {
        RoleOptions {
            partition: "aws",
            principal,
            template_bucket: None,
        }
    }

    #[test]
    fn each_customer_role_trusts_the_vendor_with_the_customer_s_external_id() {
        let read = targets(
            "[rollout]\nrole-name = \"FlowformDeployer\"\n[target.acme]\naccount = \"111111111111\"\nregions = [\"eu-west-1\"]\nexternal-id = \"acme-7d1f\"\n[target.globex]\naccount = \"222222222222\"\nregions = [\"us-east-1\", \"eu-west-1\"]\n",
        );
        let error = roles(&read, &BTreeMap::new(), &options(None)).unwrap_err();
        assert!(error.contains("--principal"), "{error}");
        let (document, notes) = roles(
            &read,
            &BTreeMap::new(),
            &options(Some("arn:aws:iam::999999999999:role/vendor-ci")),
        )
        .unwrap();
        let acme = &document["roles"][0];
        assert_eq!(acme["role"], "arn:aws:iam::111111111111:role/FlowformDeployer");
        assert_eq!(
            acme["trust"]["Statement"][0]["Principal"]["AWS"],
            "arn:aws:iam::999999999999:role/vendor-ci"
        );
        assert_eq!(
            acme["trust"]["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"],
            "acme-7d1f"
        );
        assert_eq!(document["roles"][1]["trust"]["Statement"][0].get("Condition"), None);
        assert_eq!(
            document["caller"]["permissions"]["Statement"][0]["Resource"],
            json!([
                "arn:aws:iam::111111111111:role/FlowformDeployer",
                "arn:aws:iam::222222222222:role/FlowformDeployer"
            ]),
            "the caller may assume exactly the target roles"
        );
        assert!(
            notes.iter().any(|note| note.contains("without an external ID")),
            "{notes:?}"
        );
    }

    #[test]
    fn self_managed_stack_sets_need_an_administration_and_an_execution_role() {
        let read = targets(
            "[rollout]\nengine = \"stacksets\"\n[target.a]\naccounts = [\"111111111111\", \"222222222222\"]\nregions = [\"us-east-1\"]\n",
        );
        let (document, _) = roles(&read, &BTreeMap::new(), &options(Some("999999999999"))).unwrap();
        let admin = &document["roles"][0];
        assert_eq!(
            admin["role"],
            "arn:aws:iam::999999999999:role/AWSCloudFormationStackSetAdministrationRole"
        );
        assert_eq!(
            admin["trust"]["Statement"][0]["Principal"]["Service"],
            "cloudformation.amazonaws.com"
        );
        assert_eq!(
            admin["permissions"]["Statement"][0]["Resource"],
            json!([
                "arn:aws:iam::111111111111:role/AWSCloudFormationStackSetExecutionRole",
                "arn:aws:iam::222222222222:role/AWSCloudFormationStackSetExecutionRole"
            ])
        );
        let execution = &document["roles"][2];
        assert_eq!(execution["trust"]["Statement"][0]["Principal"]["AWS"], admin["role"]);
        assert_eq!(execution["permissions"]["Statement"][0]["Sid"], "StackSetsOwnWork");

        let read = targets(
            "[rollout]\nengine = \"stacksets\"\npermission-model = \"service-managed\"\n[target.a]\norganizational-units = [\"r-ab12\"]\nregions = [\"us-east-1\"]\n",
        );
        let (document, notes) = roles(&read, &BTreeMap::new(), &options(None)).unwrap();
        assert_eq!(document["roles"], json!([]));
        assert!(notes[0].contains("service-linked roles"), "{notes:?}");
    }
}
