//! Monitoring end to end: a stack deployed to the local endpoint, whose flow's failed run
//! reaches the queue and the topic the file names, through the rule and the policies
//! flowform wrote.
//! The local AppFlow API (`support/ministack_appflow.py`) runs the flow and publishes
//! AppFlow's run reports to the default event bus; MiniStack's EventBridge delivers them
//! to the rule's targets (it does not evaluate the queue policy: its statement is read
//! back and checked instead).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::local_cfn::{ACCOUNT_ID, LocalCfn};

const FILE: &str = r#"
[stack]
name = "watched"
monitoring.notify = [{ queue = "failures", on = ["run-failed"] }, { topic = "alerts" }]
monitoring.alarm = [{ metric = "executions-failed", topic = "alerts" }]

[queue.failures]
[topic.alerts]
[bucket.lake]

[flow.copy]
source.s3 = { bucket = "lake", prefix = "in" }
destination.s3 = { bucket = "lake", prefix = "out" }
map-all = {}
"#;

/// The physical ID of resource `logical_id` of stack `stack`.
fn physical_id(cfn: &LocalCfn, stack: &str, logical_id: &str) -> String {
    let xml = cfn.cloudformation(&format!("Action=DescribeStackResources&StackName={stack}"));
    let member = xml
        .split("<member>")
        .find(|member| member.contains(&format!("<LogicalResourceId>{logical_id}</LogicalResourceId>")))
        .unwrap_or_else(|| panic!("no {logical_id} in {xml}"));
    let start = member.find("<PhysicalResourceId>").unwrap() + "<PhysicalResourceId>".len();
    member[start..].split('<').next().unwrap().to_string()
}

/// An SQS JSON-protocol call.
fn sqs(cfn: &LocalCfn, action: &str, body: Value) -> Value {
    let target = format!("AmazonSQS.{action}");
    let headers = [
        ("X-Amz-Target", target.as_str()),
        ("Content-Type", "application/x-amz-json-1.0"),
    ];
    let (status, text) = cfn.call("sqs", "/", &headers, &body.to_string());
    assert_eq!(status, 200, "{action}: {text}");
    serde_json::from_str(&text).unwrap()
}

/// Runs flow `flow` (`StartFlow`) with the outcome the local AppFlow API is told.
fn run(cfn: &LocalCfn, flow: &str, status: &str) {
    let outcome = json!({"flow": flow, "status": status, "message": "the source bucket is empty", "seconds": 0});
    let (code, text) = cfn.call("s3", "/_stub/appflow/runs", &[], &outcome.to_string());
    assert_eq!(code, 200, "{text}");
    let headers = [("Content-Type", "application/json")];
    let (code, text) = cfn.call(
        "appflow",
        "/start-flow",
        &headers,
        &json!({"flowName": flow}).to_string(),
    );
    assert_eq!(code, 200, "StartFlow: {text}");
}

/// Every message the queue receives within `wait`, as parsed events.
fn receive(cfn: &LocalCfn, queue: &str, wait: Duration) -> Vec<Value> {
    let mut events = Vec::new();
    let start = Instant::now();
    while start.elapsed() < wait {
        let received = sqs(
            cfn,
            "ReceiveMessage",
            json!({"QueueUrl": queue, "MaxNumberOfMessages": 10, "WaitTimeSeconds": 1}),
        );
        for message in received["Messages"].as_array().into_iter().flatten() {
            events.push(serde_json::from_str(message["Body"].as_str().unwrap()).unwrap());
        }
    }
    events
}

#[test]
fn a_failed_run_reaches_the_queue_and_topic_the_file_declares_and_a_successful_one_does_not() {
    let cfn = LocalCfn::start();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/deploy-tests/monitoring");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("flows.toml"), FILE).unwrap();
    let deployed = cfn.flowform(&dir, &["deploy", "flows.toml", "--yes"]);
    assert_eq!(deployed.code, 0, "{}", deployed.stderr);
    for resource in [
        "CopyFlowRunFailedRule",
        "FailuresQueuePolicy",
        "AlertsTopicPolicy",
        "CopyFlowExecutionsFailedAlarm",
    ] {
        assert!(
            deployed.stderr.contains(resource),
            "{resource} not deployed:\n{}",
            deployed.stderr
        );
    }
    assert_eq!(
        physical_id(&cfn, "watched", "CopyFlowRunFailedRule"),
        "watched.copy.run-failed"
    );

    // The queue's policy lets exactly that rule send, from this account.
    let queue = physical_id(&cfn, "watched", "FailuresQueue");
    let attributes = sqs(
        &cfn,
        "GetQueueAttributes",
        json!({"QueueUrl": queue, "AttributeNames": ["Policy"]}),
    );
    let policy: Value = serde_json::from_str(attributes["Attributes"]["Policy"].as_str().unwrap()).unwrap();
    let statement = &policy["Statement"][0];
    assert_eq!(statement["Principal"]["Service"], "events.amazonaws.com");
    assert_eq!(statement["Action"], json!(["sqs:SendMessage"]));
    let rule_arn = format!("arn:aws:events:us-east-1:{ACCOUNT_ID}:rule/watched.copy.run-failed");
    assert_eq!(statement["Condition"]["ArnEquals"]["aws:SourceArn"], json!([rule_arn]));
    assert_eq!(statement["Condition"]["StringEquals"]["aws:SourceAccount"], ACCOUNT_ID);

    // Someone subscribed to the topic: a queue of their own.
    let inbox = sqs(&cfn, "CreateQueue", json!({"QueueName": "on-call-inbox"}))["QueueUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let inbox_arn = sqs(
        &cfn,
        "GetQueueAttributes",
        json!({"QueueUrl": inbox, "AttributeNames": ["QueueArn"]}),
    )["Attributes"]["QueueArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let topic = physical_id(&cfn, "watched", "AlertsTopic");
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let subscribe = format!(
        "Action=Subscribe&TopicArn={topic}&Protocol=sqs&Endpoint={inbox_arn}&Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true"
    );
    let (status, text) = cfn.call("sns", "/", &form, &subscribe);
    assert_eq!(status, 200, "Subscribe: {text}");

    run(&cfn, "watched-copy", "Successful");
    assert_eq!(
        receive(&cfn, &queue, Duration::from_secs(3)),
        Vec::<Value>::new(),
        "a successful run is not a failure"
    );
    run(&cfn, "watched-copy", "Error");
    let events = receive(&cfn, &queue, Duration::from_secs(3));
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert_eq!(event["source"], "aws.appflow");
    assert_eq!(event["detail-type"], "AppFlow End Flow Run Report");
    assert_eq!(event["detail"]["flow-name"], "watched-copy");
    assert_ne!(event["detail"]["status"], "Execution Successful");
    assert_eq!(event["detail"]["error"], "the source bucket is empty");
    // The topic declared in the file was told too, through the same rule.
    let published = receive(&cfn, &inbox, Duration::from_secs(3));
    assert_eq!(published.len(), 1, "{published:?}");
    let message = &published[0];
    let event = match message.get("Message").and_then(Value::as_str) {
        Some(inner) => serde_json::from_str(inner).unwrap(),
        None => message.clone(),
    };
    assert_eq!(event["detail-type"], "AppFlow End Flow Run Report");
    assert_eq!(event["detail"]["flow-name"], "watched-copy");
}
