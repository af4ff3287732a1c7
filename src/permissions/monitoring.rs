//! The monitoring part of the permissions pass: what EventBridge and CloudWatch must be
//! allowed to do on the stack's topics, queues and their keys.
//!
//! | use | grant |
//! |---|---|
//! | a rule notifies a topic | topic policy: `events.amazonaws.com` may `sns:Publish`, from exactly the stack's rules |
//! | an alarm notifies a topic | topic policy: `cloudwatch.amazonaws.com` may `sns:Publish`, from the account's alarms |
//! | a rule notifies a queue | queue policy: `events.amazonaws.com` may `sqs:SendMessage`, from exactly the stack's rules |
//! | a rule invokes a function | `AWS::Lambda::Permission` for that rule (synthesized with the rule) |
//! | a rule sends to an event bus | the stack's one role for bus targets (`events.amazonaws.com`) may `events:PutEvents` on it |
//! | the topic or queue is encrypted with a key | key policy: the service may `kms:GenerateDataKey*` + `kms:Decrypt` |
//!
//! Each topic and queue gets one policy (an `AWS::SNS::TopicPolicy` replaces the topic's
//! whole policy), with one statement per service. Sources:
//! - EventBridge user guide, "Using resource-based policies for Amazon EventBridge"
//!   (eb-use-resource-based.html): the SNS and SQS statements, `events.amazonaws.com`
//!   with `ArnEquals` `aws:SourceArn` on the rule's ARN;
//! - Amazon SNS developer guide, "Enable compatibility between event sources from AWS
//!   services and encrypted topics" (sns-key-management.html): the key statement for
//!   a service publishing to an encrypted topic, `kms:GenerateDataKey*` and `kms:Decrypt`;
//!   the same guide says EventBridge's KMS requests carry no `aws:SourceAccount` /
//!   `aws:SourceArn`, so its key statement has no condition (one would drop every
//!   notification);
//! - EventBridge user guide, "Permissions for event buses": "We recommend always using IAM
//!   roles when the target of a rule is an event bus"; the role's policy is its example
//!   ("Send events to an event bus in the same account"), `events:PutEvents` on the bus;
//! - a CloudWatch alarm's publish is guarded by `aws:SourceAccount` and an `ArnLike` on the
//!   account's alarms (the pattern of AWS's own samples, e.g. aws-samples'
//!   amazon-cloudwatch-auto-alarms topic policy).

use std::collections::{BTreeMap, BTreeSet};

use crate::cfn::Expr;
use crate::cfn::resources::{Condition, Principal, Statement};
use crate::model::monitoring::{alarms_of, rules_of};
use crate::model::{ModelWarning, Origin, Path, Stack, TargetKind, WarningKind};

/// The EventBridge service principal.
pub const EVENTS_PRINCIPAL: &str = "events.amazonaws.com";
/// The CloudWatch service principal (alarm actions).
pub const CLOUDWATCH_PRINCIPAL: &str = "cloudwatch.amazonaws.com";

/// The most rule ARNs a policy lists one by one; past it, the statement matches the
/// stack's rule-name prefix (`rule/<stack>.*`), which only its rules have, so the
/// policy stays far below SNS's and SQS's policy size limits.
const MAX_LISTED_RULES: usize = 20;

/// What EventBridge and CloudWatch are granted, per topic, queue and key name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonitoringGrants {
    /// Topic name → the physical names of the rules that publish to it.
    pub topic_rules: BTreeMap<String, BTreeSet<String>>,
    /// The topics alarms publish to.
    pub alarm_topics: BTreeSet<String>,
    /// Queue name → the physical names of the rules that send to it.
    pub queue_rules: BTreeMap<String, BTreeSet<String>>,
    /// Key name → the services that encrypt messages with it.
    pub key_services: BTreeMap<String, BTreeSet<&'static str>>,
    /// The event buses rules send to: the stack's role for them may `events:PutEvents`
    /// on each.
    pub buses: BTreeSet<String>,
}

/// Records what every flow's rules and alarms need.
pub(super) fn collect(stack: &Stack) -> MonitoringGrants {
    let mut grants = MonitoringGrants::default();
    for flow in &stack.flows {
        for rule in rules_of(stack, flow) {
            for target in &rule.targets {
                let map = match target.kind {
                    TargetKind::Topic => &mut grants.topic_rules,
                    TargetKind::Queue => &mut grants.queue_rules,
                    TargetKind::Bus => {
                        grants.buses.insert(target.name.clone());
                        continue;
                    }
                    TargetKind::Function => continue,
                };
                map.entry(target.name.clone()).or_default().insert(rule.name.clone());
            }
        }
        for (alarm, _) in alarms_of(stack, flow) {
            grants
                .alarm_topics
                .extend(alarm.topics.iter().map(|topic| topic.name.clone()));
        }
    }
    for target in &stack.targets {
        let Some(key) = &target.key else { continue };
        let services = grants.key_services.entry(key.name().to_owned()).or_default();
        let (ruled, alarmed) = match target.kind {
            TargetKind::Topic => (
                grants.topic_rules.contains_key(&target.name),
                grants.alarm_topics.contains(&target.name),
            ),
            TargetKind::Queue => (grants.queue_rules.contains_key(&target.name), false),
            TargetKind::Function | TargetKind::Bus => (false, false),
        };
        if ruled {
            services.insert(EVENTS_PRINCIPAL);
        }
        if alarmed {
            services.insert(CLOUDWATCH_PRINCIPAL);
        }
    }
    grants.key_services.retain(|_, services| !services.is_empty());
    grants
}

/// Where the statements are written: the pieces of ARNs only a deploy knows.
pub(crate) struct Scope<'a> {
    /// The stack name (its rules' prefix).
    pub(crate) stack: &'a str,
    /// The ARN of a rule, from its physical name.
    pub(crate) rule_arn: &'a dyn Fn(&str) -> Expr,
    /// The ARN pattern of the account's alarms.
    pub(crate) alarms: Expr,
    /// The account.
    pub(crate) account: Expr,
}

/// The statements of the policy of topic or queue `kind` with ARN `resource`: the
/// `rules` that notify it and (for a topic) whether alarms do.
pub(crate) fn target_statements(
    kind: TargetKind,
    resource: Expr,
    rules: Option<&BTreeSet<String>>,
    alarms: bool,
    scope: &Scope,
) -> Vec<Statement> {
    let action = match kind {
        TargetKind::Queue => "sqs:SendMessage",
        _ => "sns:Publish",
    };
    let mut statements = Vec::new();
    if let Some(rules) = rules.filter(|rules| !rules.is_empty()) {
        let source = if rules.len() <= MAX_LISTED_RULES {
            let arns = rules.iter().map(|name| (scope.rule_arn)(name)).collect();
            Condition::string_equals("aws:SourceAccount", scope.account.clone())
                .with_source_arn(Some(Expr::List(arns)), None)
        } else {
            let prefix = (scope.rule_arn)(&format!("{}.*", scope.stack));
            Condition::string_equals("aws:SourceAccount", scope.account.clone()).with_source_arn(None, Some(prefix))
        };
        statements.push(Statement {
            sid: Some("EventBridgeRules".into()),
            principal: Some(Principal::Service(EVENTS_PRINCIPAL.into())),
            condition: Some(source),
            ..Statement::allow(vec![action.into()], vec![resource.clone()])
        });
    }
    if alarms {
        statements.push(Statement {
            sid: Some("CloudWatchAlarms".into()),
            principal: Some(Principal::Service(CLOUDWATCH_PRINCIPAL.into())),
            condition: Some(
                Condition::string_equals("aws:SourceAccount", scope.account.clone())
                    .with_source_arn(None, Some(scope.alarms.clone())),
            ),
            ..Statement::allow(vec![action.into()], vec![resource])
        });
    }
    statements
}

/// The key statements that let `services` encrypt messages for a topic or queue.
pub(crate) fn key_statements(services: &BTreeSet<&'static str>, account: &Expr) -> Vec<Statement> {
    services
        .iter()
        .map(|&service| {
            // EventBridge's KMS calls carry no source keys: a condition would refuse them.
            let condition = (service == CLOUDWATCH_PRINCIPAL)
                .then(|| Condition::string_equals("aws:SourceAccount", account.clone()));
            Statement {
                sid: Some(
                    if service == EVENTS_PRINCIPAL {
                        "EventBridgeMessages"
                    } else {
                        "CloudWatchAlarmMessages"
                    }
                    .into(),
                ),
                principal: Some(Principal::Service(service.into())),
                condition,
                ..Statement::allow(
                    vec!["kms:GenerateDataKey*".into(), "kms:Decrypt".into()],
                    vec![Expr::Str("*".into())],
                )
            }
        })
        .collect()
}

/// The services in a warning's wording.
fn services_text(services: &BTreeSet<&'static str>) -> &'static str {
    match (
        services.contains(EVENTS_PRINCIPAL),
        services.contains(CLOUDWATCH_PRINCIPAL),
    ) {
        (true, true) => "EventBridge and CloudWatch",
        (false, true) => "CloudWatch",
        _ => "EventBridge",
    }
}

/// One warning per imported topic, queue or key that needs a statement added by hand,
/// with the statements (matching the stack's rules by name prefix, so adding a flow
/// needs no change to them).
pub(super) fn manual_policy_warnings(stack: &Stack, grants: &MonitoringGrants) -> Vec<ModelWarning> {
    let account = Expr::Str("ACCOUNT_ID".into());
    // Past one rule the prefix reads better than a list that grows with every flow.
    let prefixed = |rules: Option<&BTreeSet<String>>| {
        rules.map(|rules| {
            if rules.len() > 1 {
                BTreeSet::from([format!("{}.*", stack.name)])
            } else {
                rules.clone()
            }
        })
    };
    let mut warnings = Vec::new();
    for target in &stack.targets {
        let Origin::Imported(arn) = &target.origin else {
            continue;
        };
        let (rules, alarms) = match target.kind {
            TargetKind::Topic => (
                grants.topic_rules.get(&target.name),
                grants.alarm_topics.contains(&target.name),
            ),
            TargetKind::Queue => (grants.queue_rules.get(&target.name), false),
            TargetKind::Function | TargetKind::Bus => continue,
        };
        let rules = prefixed(rules);
        // A rule notifies topics and queues in its own region and partition: the target's.
        let mut parts = arn.split(':');
        let partition = parts.nth(1).unwrap_or("aws").to_owned();
        let region = parts.nth(1).unwrap_or("REGION").to_owned();
        let rule_arn = |name: &str| Expr::Str(format!("arn:{partition}:events:{region}:ACCOUNT_ID:rule/{name}"));
        let scope = Scope {
            stack: &stack.name,
            rule_arn: &rule_arn,
            alarms: Expr::Str(format!("arn:{partition}:cloudwatch:{region}:ACCOUNT_ID:alarm:*")),
            account: account.clone(),
        };
        let statements = target_statements(target.kind, Expr::Str(arn.clone()), rules.as_ref(), alarms, &scope);
        if statements.is_empty() {
            continue;
        }
        let mut services = BTreeSet::new();
        if rules.is_some() {
            services.insert(EVENTS_PRINCIPAL);
        }
        if alarms {
            services.insert(CLOUDWATCH_PRINCIPAL);
        }
        let kind = target.kind.as_str();
        warnings.push(warning(
            kind,
            &target.name,
            services_text(&services),
            policy_name(target.kind),
            arn,
            &statements,
        ));
    }
    for key in &stack.keys {
        let Origin::Imported(existing) = &key.origin else {
            continue;
        };
        let Some(services) = grants.key_services.get(&key.name) else {
            continue;
        };
        let statements = key_statements(services, &account);
        warnings.push(warning(
            "key",
            &key.name,
            services_text(services),
            "key policy",
            existing,
            &statements,
        ));
    }
    warnings
}

fn policy_name(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Queue => "queue policy",
        _ => "topic policy",
    }
}

fn warning(
    kind: &'static str,
    name: &str,
    service: &'static str,
    policy: &'static str,
    resource: &str,
    statements: &[Statement],
) -> ModelWarning {
    let statement = match statements {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(many),
    };
    let kind_warning = WarningKind::ManualPolicy {
        kind,
        service,
        name: name.into(),
        policy,
        resource: resource.into(),
        statement: statement.unwrap_or_default(),
    };
    ModelWarning::new(Path::root().key(kind).key(name), kind_warning)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::model::*;

    /// A stack of `flows` on-demand flows, each notifying topic `alerts` (encrypted with
    /// key `alerts`) of failures and with the failed-runs alarm, and the imported topic
    /// `ops` of completions.
    fn stack(flows: usize) -> Stack {
        let mut stack = Stack::new("crm");
        let lake = stack.add_bucket(Bucket::owned("lake"));
        let key = stack.add_key(Key::owned("alerts"));
        let alerts = stack.add_target(Target::topic("alerts").encryption_key(&key));
        let ops = stack.add_target(Target::imported_topic("ops", "arn:aws:sns:eu-west-1:123456789012:ops"));
        stack.set_monitoring(
            Monitoring::new()
                .notify(Notification::to(&alerts))
                .notify(Notification::to(&ops).on([Event::RunCompleted]))
                .alarm(Alarm::new(Metric::ExecutionsFailed).notify(&alerts)),
        );
        for index in 0..flows {
            let flow = OnDemandFlow::new(
                format!("f{index}"),
                S3Source::new(&lake, "in/"),
                S3Destination::new(&lake),
            );
            stack.add_flow(flow.map_all());
        }
        stack
    }

    fn compile(stack: Stack) -> (Value, Vec<ModelWarning>) {
        let compiled = crate::compile(stack, &crate::CompileOptions::default()).unwrap();
        (compiled.template.to_json_value(), compiled.warnings)
    }

    #[test]
    fn one_topic_policy_names_every_rule_once_and_the_key_policy_each_service_once() {
        let (template, warnings) = compile(stack(2));
        let resources = template["Resources"].as_object().unwrap();
        let policies: Vec<&Value> = resources
            .values()
            .filter(|r| r["Type"] == "AWS::SNS::TopicPolicy")
            .collect();
        assert_eq!(
            policies.len(),
            1,
            "one policy for the owned topic, none for the imported one"
        );
        let statements = policies[0]["Properties"]["PolicyDocument"]["Statement"]
            .as_array()
            .unwrap();
        assert_eq!(statements.len(), 2);
        assert_eq!(statements[0]["Principal"]["Service"], "events.amazonaws.com");
        let arns: Vec<&str> = statements[0]["Condition"]["ArnEquals"]["aws:SourceArn"]
            .as_array()
            .unwrap()
            .iter()
            .map(|arn| arn["Fn::Sub"].as_str().unwrap())
            .collect();
        assert_eq!(
            arns,
            [
                "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/crm.f0.run-failed",
                "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/crm.f1.run-failed",
            ]
        );
        assert_eq!(statements[1]["Principal"]["Service"], "cloudwatch.amazonaws.com");
        let key = &resources["AlertsKey"]["Properties"]["KeyPolicy"]["Statement"];
        let services: Vec<&Value> = key
            .as_array()
            .unwrap()
            .iter()
            .map(|s| &s["Principal"]["Service"])
            .collect();
        assert_eq!(
            services,
            [
                &Value::Null,
                &json!("cloudwatch.amazonaws.com"),
                &json!("events.amazonaws.com")
            ]
        );
        // The imported topic: one warning, with a statement that does not change as flows
        // are added.
        let manual: Vec<&ModelWarning> = warnings.iter().filter(|w| w.path.to_string() == "topic.ops").collect();
        assert_eq!(manual.len(), 1, "{warnings:?}");
        let WarningKind::ManualPolicy { statement, service, .. } = &manual[0].kind else {
            panic!()
        };
        assert_eq!(*service, "EventBridge");
        assert!(
            statement.contains("arn:aws:events:eu-west-1:ACCOUNT_ID:rule/crm.*"),
            "{statement}"
        );
    }

    #[test]
    fn past_twenty_rules_the_policy_matches_the_stack_s_prefix() {
        let (template, _) = compile(stack(21));
        let statement = &template["Resources"]["AlertsTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
        assert_eq!(statement["Condition"]["ArnEquals"], Value::Null);
        assert_eq!(
            statement["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"],
            "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/crm.*"
        );
    }
}
