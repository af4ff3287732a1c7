//! Synthesis of monitoring: the topics and queues the stack creates with their one policy
//! each (shared: they stay in the main stack of a split), and each flow's EventBridge
//! rules, the permissions that let them invoke functions, and its CloudWatch alarms
//! (owned by the flow: they go wherever it goes).

use crate::cfn::monitoring::{
    CloudWatchAlarmProperties, Dimension, EventDetail, EventPattern, EventsRuleProperties, RuleTarget,
    SnsTopicPolicyProperties, SnsTopicProperties, SqsQueuePolicyProperties, SqsQueueProperties,
};
use crate::cfn::resources::{
    Condition, IamRoleProperties, InlinePolicy, LambdaPermissionProperties, PolicyDocument, Principal, Statement,
};
use crate::cfn::{Expr, Resource, ResourceProperties};
use crate::model::monitoring::{Pattern, alarms_of, rules_of};
use crate::model::{AnyFlow, Origin, TargetKind, TargetRef, names};
use crate::permissions::{EVENTS_PRINCIPAL, Scope, target_statements};

use super::Synth;

/// The success status of AppFlow's end-of-run report (see `crate::model::monitoring`).
const SUCCESSFUL: &str = "Execution Successful";

/// A rule target's `Id`: the target's name, or (when two targets of the rule share a
/// name, of different kinds) its kind's initial and name, at most 64 characters.
fn target_id(targets: &[TargetRef], target: &TargetRef) -> String {
    if targets.iter().filter(|other| other.name == target.name).count() < 2 {
        return target.name.clone();
    }
    let kind = target.kind.as_str();
    format!("{}.{}", &kind[..1], target.name).chars().take(64).collect()
}

/// `arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/<name>`.
fn rule_arn(name: &str) -> Expr {
    Expr::arn("events", &["rule/", name].concat())
}

impl Synth<'_> {
    /// The topics and queues the stack creates, and the policy of each that rules or
    /// alarms notify.
    pub(super) fn targets(&mut self) {
        let stack = self.stack;
        let grants = &self.grants.monitoring;
        let scope = Scope {
            stack: &stack.name,
            rule_arn: &rule_arn,
            alarms: Expr::arn("cloudwatch", "alarm:*"),
            account: Expr::account_id(),
        };
        for target in stack.targets.iter().filter(|t| t.origin == Origin::Owned) {
            let key = target.key.as_ref().map(|key| self.key_id_or_arn(key.name()));
            let tags = self.tags(&Default::default());
            let (id, policy_id, resource, arn, policy_target) = match target.kind {
                TargetKind::Topic => {
                    let id = names::topic_id(&target.name);
                    let properties = SnsTopicProperties {
                        kms_master_key_id: key,
                        tags,
                    };
                    let resource = Resource::new(ResourceProperties::SnsTopic(properties));
                    let arn = Expr::reference(&id);
                    (
                        id.clone(),
                        names::topic_policy_id(&target.name),
                        resource,
                        arn.clone(),
                        arn,
                    )
                }
                TargetKind::Queue => {
                    let id = names::queue_id(&target.name);
                    let properties = SqsQueueProperties {
                        // Encrypted either way: with the given key, or SQS's own (SSE-SQS).
                        sqs_managed_sse_enabled: key.is_none().then_some(true),
                        kms_master_key_id: key,
                        tags,
                    };
                    let resource = Resource::new(ResourceProperties::SqsQueue(properties))
                        .retained_if(stack.retention.keeps(target.holds_data(), target.retain));
                    let arn = Expr::get_att(&id, "Arn");
                    (
                        id.clone(),
                        names::queue_policy_id(&target.name),
                        resource,
                        arn,
                        Expr::reference(&id),
                    )
                }
                TargetKind::Function | TargetKind::Bus => continue,
            };
            self.template.resources.insert(id, resource);
            let (rules, alarms) = match target.kind {
                TargetKind::Topic => (
                    grants.topic_rules.get(&target.name),
                    grants.alarm_topics.contains(&target.name),
                ),
                _ => (grants.queue_rules.get(&target.name), false),
            };
            let statements = target_statements(target.kind, arn, rules, alarms, &scope);
            if statements.is_empty() {
                continue;
            }
            let policy_document = PolicyDocument::new(statements);
            let policy = match target.kind {
                TargetKind::Topic => ResourceProperties::SnsTopicPolicy(SnsTopicPolicyProperties {
                    topics: vec![policy_target],
                    policy_document,
                }),
                _ => ResourceProperties::SqsQueuePolicy(SqsQueuePolicyProperties {
                    queues: vec![policy_target],
                    policy_document,
                }),
            };
            self.template.resources.insert(policy_id, Resource::new(policy));
        }
    }

    /// The one role the stack's rules send to event buses with (EventBridge user guide,
    /// "Permissions for event buses": "We recommend always using IAM roles when the target
    /// of a rule is an event bus"), allowed `events:PutEvents` on exactly those buses and
    /// trusting EventBridge for this account only.
    pub(super) fn bus_role(&mut self) {
        let stack = self.stack;
        let buses: Vec<Expr> = (stack.targets.iter())
            .filter(|target| self.grants.monitoring.buses.contains(&target.name) && target.kind == TargetKind::Bus)
            .filter_map(|target| match &target.origin {
                Origin::Imported(arn) => Some(Expr::Str(arn.clone())),
                Origin::Owned => None,
            })
            .collect();
        if buses.is_empty() {
            return;
        }
        let trust = Statement {
            principal: Some(Principal::Service(EVENTS_PRINCIPAL.into())),
            condition: Some(Condition::same_account()),
            ..Statement::allow(vec!["sts:AssumeRole".into()], Vec::new())
        };
        let properties = IamRoleProperties {
            description: format!(
                "Lets the EventBridge rules of stack {} send to their event buses",
                stack.name
            ),
            assume_role_policy_document: PolicyDocument::new(vec![trust]),
            policies: vec![InlinePolicy {
                policy_name: "PutEventsOnTargetBuses".into(),
                policy_document: PolicyDocument::new(vec![Statement::allow(vec!["events:PutEvents".into()], buses)]),
            }],
            tags: self.tags(&Default::default()),
        };
        self.template.resources.insert(
            names::BUS_ROLE_ID.to_owned(),
            Resource::new(ResourceProperties::IamRole(properties)),
        );
    }

    /// What a `KmsMasterKeyId` names key `name` by: a created key's ID, an imported key
    /// as given (ID, ARN or alias).
    fn key_id_or_arn(&self, name: &str) -> Expr {
        match self
            .stack
            .keys
            .iter()
            .find(|key| key.name == name)
            .map(|key| &key.origin)
        {
            Some(Origin::Imported(existing)) => Expr::Str(existing.clone()),
            _ => Expr::reference(names::key_id(name)),
        }
    }

    /// The ARN a rule or alarm notifies `target` at.
    fn target_arn(&self, target: &TargetRef) -> Expr {
        let declared = self
            .stack
            .targets
            .iter()
            .find(|t| t.name == target.name && t.kind == target.kind);
        match declared.map(|t| &t.origin) {
            Some(Origin::Imported(arn)) => Expr::Str(arn.clone()),
            _ if target.kind == TargetKind::Queue => Expr::get_att(names::queue_id(&target.name), "Arn"),
            _ => Expr::reference(names::topic_id(&target.name)),
        }
    }

    /// Flow `flow`'s rules (with a permission per function they invoke) and alarms; the
    /// flow is named `flow_name` (its `Ref`, or the name of what stands for it).
    pub(super) fn monitoring(&mut self, flow: &AnyFlow, flow_name: &Expr) {
        let stack = self.stack;
        for rule in rules_of(stack, flow) {
            let (detail_type, status) = match &rule.pattern {
                Pattern::Events(events) => {
                    let mut types: Vec<&'static str> = events.iter().map(|e| e.detail_type(&flow.trigger)).collect();
                    types.dedup();
                    (types, None)
                }
                Pattern::Succeeded => (
                    vec![crate::model::Event::RunSucceeded.detail_type(&flow.trigger)],
                    Some(serde_json::json!([SUCCESSFUL])),
                ),
                Pattern::Failed => (
                    vec![crate::model::Event::RunFailed.detail_type(&flow.trigger)],
                    Some(serde_json::json!([{ "anything-but": SUCCESSFUL }])),
                ),
            };
            let targets = rule
                .targets
                .iter()
                .map(|target| RuleTarget {
                    id: target_id(&rule.targets, target),
                    arn: self.target_arn(target),
                    role_arn: (target.kind == TargetKind::Bus).then(|| Expr::get_att(names::BUS_ROLE_ID, "Arn")),
                })
                .collect();
            let described: Vec<String> = rule
                .targets
                .iter()
                .map(|t| format!("{} {}", t.kind.as_str(), t.name))
                .collect();
            let events = match &rule.pattern {
                Pattern::Events(events) => events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", "),
                Pattern::Succeeded => crate::model::Event::RunSucceeded.as_str().into(),
                Pattern::Failed => crate::model::Event::RunFailed.as_str().into(),
            };
            let properties = EventsRuleProperties {
                name: rule.name.clone(),
                description: format!(
                    "AppFlow {events} events of flow {} (stack {}), to {}",
                    flow.name,
                    stack.name,
                    described.join(", ")
                ),
                event_pattern: EventPattern {
                    source: vec!["aws.appflow"],
                    detail_type,
                    detail: EventDetail {
                        flow_name: vec![flow_name.clone()],
                        status,
                    },
                },
                state: "ENABLED",
                targets,
            };
            let resource = Resource::new(ResourceProperties::EventsRule(Box::new(properties)));
            self.own_resource(rule.logical_id.clone(), resource);
            for function in rule.targets.iter().filter(|t| t.kind == TargetKind::Function) {
                let permission = LambdaPermissionProperties {
                    action: "lambda:InvokeFunction",
                    function_name: self.target_arn(function),
                    principal: EVENTS_PRINCIPAL,
                    source_account: Expr::account_id(),
                    source_arn: Expr::get_att(&rule.logical_id, "Arn"),
                };
                self.own_resource(
                    names::rule_permission_id(&rule.logical_id, &function.name),
                    Resource::new(ResourceProperties::LambdaPermission(permission)),
                );
            }
        }
        for (alarm, _) in alarms_of(stack, flow) {
            let properties = CloudWatchAlarmProperties {
                alarm_description: format!(
                    "{} of AppFlow flow {} (stack {}), flowform alarm {}",
                    alarm.metric.metric_name(),
                    flow.name,
                    stack.name,
                    alarm.label()
                ),
                // AppFlow's metrics (AppFlow user guide, "Monitoring Amazon AppFlow with
                // CloudWatch": namespace `AWS/AppFlow`, dimension `FlowName`).
                namespace: "AWS/AppFlow",
                metric_name: alarm.metric.metric_name(),
                dimensions: vec![Dimension {
                    name: "FlowName",
                    value: flow_name.clone(),
                }],
                statistic: alarm.statistic_or_default().as_str(),
                period: alarm.period,
                evaluation_periods: alarm.evaluation_periods,
                datapoints_to_alarm: alarm.datapoints_to_alarm,
                // Validation made sure every alarm has one.
                threshold: alarm.threshold.unwrap_or_default(),
                comparison_operator: alarm.comparison.operator(),
                treat_missing_data: alarm.missing_data.as_str(),
                alarm_actions: alarm.topics.iter().map(|topic| self.target_arn(topic)).collect(),
            };
            self.own_resource(
                names::alarm_id(&flow.name, alarm.label()),
                Resource::new(ResourceProperties::CloudWatchAlarm(Box::new(properties))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::model::*;
    use crate::split::Lock;

    #[test]
    fn rules_and_alarms_go_with_their_flow_and_the_policies_stay_in_the_main_stack() {
        let mut stack = Stack::new("crm");
        let lake = stack.add_bucket(Bucket::owned("lake"));
        let alerts = stack.add_target(Target::topic("alerts"));
        let runs = stack.add_target(Target::queue("runs"));
        let pager = stack.add_target(Target::function(
            "pager",
            "arn:aws:lambda:eu-west-1:123456789012:function:pager",
        ));
        stack.set_monitoring(
            Monitoring::new()
                .notify(Notification::to(&alerts))
                .notify(Notification::to(&runs).on([Event::RunStarted, Event::RunCompleted]))
                .notify(Notification::to(&pager).on([Event::RunFailed]))
                .alarm(Alarm::new(Metric::ExecutionsFailed).notify(&alerts)),
        );
        for index in 0..150 {
            let flow = OnDemandFlow::new(
                format!("f{index:03}"),
                S3Source::new(&lake, "in/"),
                S3Destination::new(&lake),
            );
            stack.add_flow(flow.map_all());
        }
        let (split, _) = crate::compile_split(stack, &crate::CompileOptions::default(), &Lock::default()).unwrap();
        assert!(split.templates.len() > 1, "150 flows need a flow stack");
        let main = split.templates[0].template.to_json_value();
        let flow_stack = &split.templates[1];
        let last = flow_stack.flows.last().unwrap();
        let part = flow_stack.template.to_json_value();
        let resources = part["Resources"].as_object().unwrap();
        let id = names::flow_id(last);
        // The flow's failed-run rule notifies the topic and the function, through imports
        // of the main stack's exports; its permission and alarm are beside it.
        let rule = &resources[&format!("{id}RunFailedRule")]["Properties"];
        let targets: Vec<&Value> = rule["Targets"].as_array().unwrap().iter().map(|t| &t["Arn"]).collect();
        assert_eq!(targets[0]["Fn::ImportValue"], "crm:AlertsTopic");
        assert_eq!(targets[1], "arn:aws:lambda:eu-west-1:123456789012:function:pager");
        assert!(resources.contains_key(&format!("{id}RunFailedRulePagerPermission")));
        let alarm = &resources[&format!("{id}ExecutionsFailedAlarm")]["Properties"];
        assert_eq!(alarm["AlarmActions"][0]["Fn::ImportValue"], "crm:AlertsTopic");
        assert_eq!(alarm["Dimensions"][0]["Value"]["Ref"], id);
        let queue_rule = &resources[&format!("{id}RunStartedAndRunCompletedRule")]["Properties"];
        assert_eq!(queue_rule["Targets"][0]["Arn"]["Fn::ImportValue"], "crm:RunsQueue:Arn");
        // The main stack holds the one policy of each, naming the flow stack's rules by name.
        assert!(main["Resources"].get("AlertsTopicPolicy").is_some());
        let text = main["Resources"]["RunsQueuePolicy"].to_string();
        assert!(text.contains("rule/crm.*"), "past 20 rules, the prefix: {text}");
        assert!(part["Resources"].get("AlertsTopicPolicy").is_none());
    }
}
