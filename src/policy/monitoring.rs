//! The deployer's statements for the monitoring resources: EventBridge rules, SNS topics,
//! SQS queues and their policies, CloudWatch alarms.
//!
//! The shared reference's schemas of these types carry no handler permission lists, so
//! the actions are the CRUD calls of each resource in the Service Authorization
//! Reference (Amazon EventBridge, Amazon SNS, Amazon SQS, Amazon CloudWatch): thin
//! evidence, said so in the README. Scoping: rules by their fixed names
//! (`rule/<stack>.<flow>.<events>`); topics, queues and alarms are named by
//! CloudFormation (`<stack>-<logical ID>-<random>`, "Name type" in the CloudFormation user
//! guide), so by the `<stack>-*` prefix of the stacks that create them.

use std::collections::BTreeSet;

use serde_json::Value;

use super::statement;

/// An ARN of a global service (IAM): the same without its region.
fn global(arn: &str) -> String {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        [prefix, partition, service, _region, account, resource] => {
            format!("{prefix}:{partition}:{service}::{account}:{resource}")
        }
        _ => arn.to_owned(),
    }
}

/// What the templates create for monitoring.
#[derive(Default)]
pub(super) struct Monitoring {
    /// The rules' names.
    pub(super) rules: BTreeSet<String>,
    /// The stacks that create topics.
    pub(super) topic_stacks: BTreeSet<String>,
    /// The stacks that create queues.
    pub(super) queue_stacks: BTreeSet<String>,
    /// The stacks that create alarms.
    pub(super) alarm_stacks: BTreeSet<String>,
    /// Whether a rule sends to an event bus with a role (passed to EventBridge).
    pub(super) passes_role: bool,
}

impl Monitoring {
    /// Records resource `kind` (its type) with `properties`, named `name` if it has a fixed
    /// one, in `stack`.
    pub(super) fn record(&mut self, stack: &str, kind: &str, properties: &Value, name: Option<String>) {
        match kind {
            "AWS::Events::Rule" => {
                self.rules.extend(name);
                let targets = properties["Targets"].as_array().into_iter().flatten();
                self.passes_role |= targets.into_iter().any(|target| target.get("RoleArn").is_some());
            }
            "AWS::SNS::Topic" => {
                self.topic_stacks.insert(stack.to_owned());
            }
            "AWS::SQS::Queue" => {
                self.queue_stacks.insert(stack.to_owned());
            }
            "AWS::CloudWatch::Alarm" => {
                self.alarm_stacks.insert(stack.to_owned());
            }
            _ => {}
        }
    }

    /// The statements, `arn(service, resource)` making ARNs in the policy's scope.
    pub(super) fn statements(&self, arn: &dyn Fn(&str, &str) -> String) -> Vec<Value> {
        let mut statements = Vec::new();
        let prefixed = |stacks: &BTreeSet<String>, service: &str, before: &str| -> Vec<String> {
            stacks
                .iter()
                .map(|stack| arn(service, &format!("{before}{stack}-*")))
                .collect()
        };
        if !self.rules.is_empty() {
            statements.push(statement(
                "NotificationRules",
                &[
                    "events:PutRule",
                    "events:DescribeRule",
                    "events:DeleteRule",
                    "events:EnableRule",
                    "events:DisableRule",
                    "events:PutTargets",
                    "events:RemoveTargets",
                    "events:ListTargetsByRule",
                ],
                self.rules
                    .iter()
                    .map(|rule| arn("events", &format!("rule/{rule}")))
                    .collect(),
            ));
        }
        if !self.topic_stacks.is_empty() {
            statements.push(statement(
                "NotificationTopics",
                &[
                    "sns:CreateTopic",
                    "sns:DeleteTopic",
                    "sns:GetTopicAttributes",
                    "sns:SetTopicAttributes",
                    "sns:ListSubscriptionsByTopic",
                    "sns:TagResource",
                    "sns:UntagResource",
                    "sns:ListTagsForResource",
                ],
                prefixed(&self.topic_stacks, "sns", ""),
            ));
        }
        if !self.queue_stacks.is_empty() {
            statements.push(statement(
                "NotificationQueues",
                &[
                    "sqs:CreateQueue",
                    "sqs:DeleteQueue",
                    "sqs:GetQueueUrl",
                    "sqs:GetQueueAttributes",
                    "sqs:SetQueueAttributes",
                    "sqs:TagQueue",
                    "sqs:UntagQueue",
                    "sqs:ListQueueTags",
                ],
                prefixed(&self.queue_stacks, "sqs", ""),
            ));
        }
        if self.passes_role {
            // `PutTargets` with a `RoleArn` passes the role to EventBridge; the role is the
            // stack's (`EventBusTargetRole`), named by CloudFormation.
            statements.push(super::with_condition(
                statement(
                    "PassRoleToEventBridge",
                    &["iam:PassRole"],
                    vec![global(&arn("iam", "role/*"))],
                ),
                serde_json::json!({"StringEquals": {"iam:PassedToService": "events.amazonaws.com"}}),
            ));
        }
        if !self.alarm_stacks.is_empty() {
            statements.push(statement(
                "FlowAlarms",
                &[
                    "cloudwatch:PutMetricAlarm",
                    "cloudwatch:DescribeAlarms",
                    "cloudwatch:DeleteAlarms",
                    "cloudwatch:TagResource",
                    "cloudwatch:UntagResource",
                    "cloudwatch:ListTagsForResource",
                ],
                prefixed(&self.alarm_stacks, "cloudwatch", "alarm:"),
            ));
        }
        statements
    }
}
