//! Typed properties of the monitoring resources flowform creates: SNS topics and SQS
//! queues with their policies, EventBridge rules and CloudWatch alarms. Only the
//! properties flowform sets; the schemas (`schema/cloudformation/aws-sns-topic.json`,
//! `aws-sqs-queue.json`, `aws-events-rule.json`, `aws-cloudwatch-alarm.json`, ...) have
//! more.

use serde::Serialize;

use super::appflow::Tag;
use super::resources::PolicyDocument;
use super::value::Expr;

/// `AWS::SNS::Topic` properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SnsTopicProperties {
    /// `KmsMasterKeyId`: the key it encrypts messages with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_master_key_id: Option<Expr>,
    /// `Tags`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// `AWS::SNS::TopicPolicy` properties. The policy replaces the topic's whole policy, so
/// there is one per topic, with every statement the stack needs on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SnsTopicPolicyProperties {
    /// `Topics`: the topic's ARN.
    pub topics: Vec<Expr>,
    /// `PolicyDocument`.
    pub policy_document: PolicyDocument,
}

/// `AWS::SQS::Queue` properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SqsQueueProperties {
    /// `KmsMasterKeyId`: the key it encrypts messages with (SSE-KMS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_master_key_id: Option<Expr>,
    /// `SqsManagedSseEnabled`: SSE-SQS, when no key is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sqs_managed_sse_enabled: Option<bool>,
    /// `Tags`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// `AWS::SQS::QueuePolicy` properties (one per queue, like the topic policy).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SqsQueuePolicyProperties {
    /// `Queues`: the queue's URL.
    pub queues: Vec<Expr>,
    /// `PolicyDocument`.
    pub policy_document: PolicyDocument,
}

/// `AWS::Events::Rule` properties: a rule on the default event bus.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventsRuleProperties {
    /// `Name`.
    pub name: String,
    /// `Description`.
    pub description: String,
    /// `EventPattern`.
    pub event_pattern: EventPattern,
    /// `State`.
    pub state: &'static str,
    /// `Targets`.
    pub targets: Vec<RuleTarget>,
}

/// An event pattern on AppFlow's events of one flow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventPattern {
    /// `source`.
    pub source: Vec<&'static str>,
    /// `detail-type`.
    #[serde(rename = "detail-type")]
    pub detail_type: Vec<&'static str>,
    /// `detail`.
    pub detail: EventDetail,
}

/// What a pattern matches in an event's `detail`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventDetail {
    /// `flow-name`: the flow's name.
    #[serde(rename = "flow-name")]
    pub flow_name: Vec<Expr>,
    /// `status`: the run's result, on the end-of-run report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<serde_json::Value>,
}

/// A rule's target.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RuleTarget {
    /// `Id`, unique in the rule.
    pub id: String,
    /// `Arn`.
    pub arn: Expr,
    /// `RoleArn`: the role EventBridge sends to an event bus with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<Expr>,
}

/// `AWS::CloudWatch::Alarm` properties: an alarm on one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudWatchAlarmProperties {
    /// `AlarmDescription`.
    pub alarm_description: String,
    /// `Namespace`.
    pub namespace: &'static str,
    /// `MetricName`.
    pub metric_name: &'static str,
    /// `Dimensions`.
    pub dimensions: Vec<Dimension>,
    /// `Statistic`.
    pub statistic: &'static str,
    /// `Period`, in seconds.
    pub period: u32,
    /// `EvaluationPeriods`.
    pub evaluation_periods: u32,
    /// `DatapointsToAlarm`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datapoints_to_alarm: Option<u32>,
    /// `Threshold`.
    pub threshold: f64,
    /// `ComparisonOperator`.
    pub comparison_operator: &'static str,
    /// `TreatMissingData`.
    pub treat_missing_data: &'static str,
    /// `AlarmActions`: the topics notified.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alarm_actions: Vec<Expr>,
}

/// A metric dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Dimension {
    /// `Name`.
    pub name: &'static str,
    /// `Value`.
    pub value: Expr,
}

impl EventsRuleProperties {
    /// Every value that may refer to another resource: the flow name and the targets.
    pub(crate) fn visit_exprs_mut(&mut self, visit: &mut dyn FnMut(&mut Expr)) {
        self.event_pattern.detail.flow_name.iter_mut().for_each(&mut *visit);
        for target in &mut self.targets {
            visit(&mut target.arn);
            if let Some(role) = &mut target.role_arn {
                visit(role);
            }
        }
    }
}

impl CloudWatchAlarmProperties {
    /// Every value that may refer to another resource: the dimensions and the actions.
    pub(crate) fn visit_exprs_mut(&mut self, visit: &mut dyn FnMut(&mut Expr)) {
        self.dimensions
            .iter_mut()
            .for_each(|dimension| visit(&mut dimension.value));
        self.alarm_actions.iter_mut().for_each(visit);
    }
}
