//! `flowform run`, `status`, `history`, `stop` and `start` end to end, against the local
//! AppFlow API of `support/ministack_appflow.py` (on the local CloudFormation endpoint):
//! a stack is deployed with `flowform deploy`, the API is told how the next runs end, and
//! the commands are read as a user reads them: exit codes, output, what AppFlow then says.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use crate::local_cfn::LocalCfn;

const FILE: &str = r#"
[stack]
name = "ops"

[bucket.lake]

[flow.copy]
source.s3 = { bucket = "lake", prefix = "in" }
destination.s3 = { bucket = "lake", prefix = "out" }
map-all = {}

[flow.hourly]
trigger.schedule = { expression = "rate(1 hour)", start = 2030-01-01T00:00:00Z }
source.s3 = { bucket = "lake", prefix = "in" }
destination.s3 = { bucket = "lake", prefix = "hourly" }
map-all = {}
"#;

/// A deployed [`FILE`] in a fresh directory.
fn deployed(cfn: &LocalCfn, name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/deploy-tests/{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("flows.toml"), FILE).unwrap();
    let run = cfn.flowform(&dir, &["deploy", "flows.toml", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

/// Tells the local AppFlow API how the next run of `flow` ends.
fn next_run(cfn: &LocalCfn, flow: &str, outcome: Value) {
    let mut body = outcome;
    body["flow"] = json!(flow);
    let (status, text) = cfn.call("s3", "/_stub/appflow/runs", &[], &body.to_string());
    assert_eq!(status, 200, "{text}");
}

#[test]
fn run_follows_a_run_to_its_end_and_exits_as_it_ended() {
    let cfn = LocalCfn::start();
    let dir = deployed(&cfn, "operate-run");
    next_run(
        &cfn,
        "ops-copy",
        json!({"status": "Successful", "records": 42, "bytes": 4200, "seconds": 1}),
    );
    let run = cfn.flowform(&dir, &["run", "flows.toml", "copy"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("InProgress"),
        "the run is followed live:\n{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("Successful   42 records  4.2 kB read  4.2 kB written"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("of ops-copy succeeded in 1."), "{}", run.stderr);

    next_run(
        &cfn,
        "ops-copy",
        json!({"status": "Error", "message": "Access Denied for bucket ops-lake", "records": 3, "seconds": 0}),
    );
    let failed = cfn.flowform(&dir, &["run", "flows.toml", "ops-copy"]);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert!(failed.stderr.contains("failed after"), "{}", failed.stderr);
    assert!(
        failed.stderr.contains(": Access Denied for bucket ops-lake"),
        "{}",
        failed.stderr
    );

    // Not an on-demand flow, or not a flow of the file: usage errors, before any call.
    let scheduled = cfn.flowform(&dir, &["run", "flows.toml", "hourly"]);
    assert_eq!(scheduled.code, 2, "{}", scheduled.stderr);
    assert!(
        scheduled.stderr.contains("flowform start flows.toml ops-hourly"),
        "{}",
        scheduled.stderr
    );
    assert!(!scheduled.stderr.contains("AWS account"), "{}", scheduled.stderr);
    let unknown = cfn.flowform(&dir, &["run", "flows.toml", "cpy"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("did you mean `copy`?"), "{}", unknown.stderr);

    // `--no-wait` prints the run's ID and returns at once.
    next_run(&cfn, "ops-copy", json!({"status": "Successful", "seconds": 30}));
    let started = cfn.flowform(&dir, &["run", "flows.toml", "copy", "--no-wait"]);
    assert_eq!(started.code, 0, "{}", started.stderr);
    let id = started.stdout.trim();
    assert_eq!(id.len(), 36, "an execution ID: {:?}", started.stdout);

    // History: newest first, a page at a time; the last page has no "more runs".
    let history = cfn.flowform(&dir, &["history", "flows.toml", "copy", "--limit", "2"]);
    assert_eq!(history.code, 0, "{}", history.stderr);
    let lines: Vec<&str> = history.stdout.lines().collect();
    assert!(lines[0].starts_with("STARTED (UTC)"), "{}", history.stdout);
    assert!(lines[1].contains("InProgress"), "{}", history.stdout);
    assert!(
        lines[2].contains("Error") && lines[2].contains("Access Denied"),
        "{}",
        history.stdout
    );
    let token = history
        .stderr
        .split("--page '")
        .nth(1)
        .expect("a next page")
        .split('\'')
        .next()
        .unwrap();
    let rest = cfn.flowform(
        &dir,
        &[
            "history",
            "flows.toml",
            "copy",
            "--limit",
            "2",
            "--page",
            token,
            "--format",
            "json",
        ],
    );
    assert_eq!(rest.code, 0, "{}", rest.stderr);
    let page: Value = serde_json::from_str(&rest.stdout).unwrap();
    assert_eq!(page["runs"].as_array().unwrap().len(), 1, "{page}");
    assert_eq!(page["runs"][0]["status"], "Successful");
    assert_eq!(page["runs"][0]["recordsProcessed"], 42);
    assert_eq!(page["nextPage"], Value::Null);
}

#[test]
fn status_shows_every_flow_and_stop_start_switch_a_scheduled_flow() {
    let cfn = LocalCfn::start();
    let dir = deployed(&cfn, "operate-status");
    next_run(
        &cfn,
        "ops-copy",
        json!({"status": "Error", "message": "the source is empty", "seconds": 0}),
    );
    assert_eq!(cfn.flowform(&dir, &["run", "flows.toml", "copy"]).code, 1);
    let status = cfn.flowform(&dir, &["status", "flows.toml"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    let copy = status.stdout.lines().find(|l| l.starts_with("ops-copy")).unwrap();
    assert!(
        copy.contains("on demand") && copy.contains("Error: the source is empty"),
        "{}",
        status.stdout
    );
    let hourly = status.stdout.lines().find(|l| l.starts_with("ops-hourly")).unwrap();
    assert!(
        hourly.contains("rate(1hours)") && hourly.contains("2030-01-01 00:00:00"),
        "{}",
        status.stdout
    );

    let stopped = cfn.flowform(&dir, &["stop", "flows.toml", "hourly"]);
    assert_eq!(stopped.code, 0, "{}", stopped.stderr);
    assert!(
        stopped.stderr.contains("Suspended") && stopped.stderr.contains("durable setting"),
        "{}",
        stopped.stderr
    );
    let json = cfn.flowform(&dir, &["status", "flows.toml", "--format", "json"]);
    let rows: Value = serde_json::from_str(&json.stdout).unwrap();
    let hourly = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["flow"] == "ops-hourly")
        .unwrap();
    assert_eq!(hourly["status"], "Suspended");
    assert_eq!(hourly["nextRun"], Value::Null, "a suspended flow does not run");
    assert_eq!(cfn.flowform(&dir, &["start", "flows.toml", "hourly"]).code, 0);
    let json = cfn.flowform(&dir, &["status", "flows.toml", "--format", "json"]);
    assert!(json.stdout.contains("\"status\": \"Active\""), "{}", json.stdout);
    let on_demand = cfn.flowform(&dir, &["stop", "flows.toml", "copy"]);
    assert_eq!(on_demand.code, 2, "{}", on_demand.stderr);
}

#[test]
fn ctrl_c_while_following_leaves_the_run_going_and_says_how_to_follow_it() {
    let cfn = LocalCfn::start();
    let dir = deployed(&cfn, "operate-ctrl-c");
    next_run(&cfn, "ops-copy", json!({"status": "Successful", "seconds": 60}));
    let following = |line: &str| line.contains("InProgress");
    let (code, text) = cfn.interrupt_when(&dir, &["run", "flows.toml", "copy"], following, Duration::ZERO);
    assert_eq!(code, Some(130), "{text}");
    assert!(
        text.contains("goes on in AppFlow") && text.contains("flowform history flows.toml ops-copy"),
        "{text}"
    );
    std::thread::sleep(Duration::from_millis(200));
    let history = cfn.flowform(Path::new(&dir), &["history", "flows.toml", "copy", "--format", "json"]);
    let page: Value = serde_json::from_str(&history.stdout).unwrap();
    assert_eq!(page["runs"][0]["status"], "InProgress", "the run goes on: {page}");
}

/// A file with every kind of task `import` writes, between two buckets.
const ADOPTED: &str = r##"
[stack]
name = "adopt"

[bucket.raw]
[bucket.curated]

[flow.orders]
description = "Orders, cleaned"
trigger.schedule = { expression = "rate(1 hour)", pull = "incremental", start = 2030-01-01T00:00:00Z }
source.s3 = { bucket = "raw", prefix = "orders", format = "csv" }
destination.s3 = { bucket = "curated", prefix = "orders", file-type = "parquet", prefix-type = "path", prefix-format = "day" }
map-fields = ["id", "email"]
map = [{ from = "amount", to = "total", from-type = "string", to-type = "double" }]
concat = [{ from = ["first", "last"], format = " ", to = "name", to-type = "string" }]
arithmetic = [{ op = "multiply", left = "price", right = "quantity", to = "gross", to-type = "double" }]
mask = [{ field = "email", last = 4, char = "#" }]
truncate = [{ field = "id", length = 10 }]
filter = [
  { field = "amount", type = "number", op = ">", value = 100 },
  { field = "created", type = "datetime", op = "between", value = [2030-01-01T00:00:00Z, 2030-02-01T00:00:00Z] },
  { field = "email", type = "string", op = "in", value = ["a@b.c", "d@e.f"] },
]
validate = [{ field = "id", check = "not-null", action = "terminate-flow" }]
tags = { team = "data" }

[flow.copy]
source.s3 = { bucket = "raw", prefix = "in" }
destination.s3 = { bucket = "curated" }
map-all = { exclude = ["secret"] }
"##;

/// The `AWS::AppFlow::Flow` properties of `template` by flow name, each `Ref` to a
/// parameter replaced by the parameter's default (what a deploy without values gives).
fn flow_properties(template: &Value) -> std::collections::BTreeMap<String, Value> {
    fn resolve(value: &mut Value, parameters: &Value) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(name)) = map.get("Ref")
                    && let Some(default) = parameters[name.as_str()].get("Default")
                {
                    *value = Value::String(default.to_string().trim_matches('"').to_owned());
                    return;
                }
                map.values_mut().for_each(|v| resolve(v, parameters));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| resolve(v, parameters)),
            Value::Number(number) => *value = Value::String(number.to_string()),
            _ => {}
        }
    }
    let mut flows = std::collections::BTreeMap::new();
    for resource in template["Resources"].as_object().unwrap().values() {
        if resource["Type"] == "AWS::AppFlow::Flow" {
            let mut properties = resource["Properties"].clone();
            resolve(&mut properties, &template["Parameters"]);
            flows.insert(properties["FlowName"].as_str().unwrap().to_owned(), properties);
        }
    }
    flows
}

/// The deployed flows as the local endpoint holds them (resolved), in the same form.
fn deployed_flows(cfn: &LocalCfn) -> std::collections::BTreeMap<String, Value> {
    let state = cfn.appflow();
    let template = json!({
        "Resources": state["flows"].as_object().unwrap().values()
            .enumerate()
            .map(|(i, p)| (format!("F{i}"), json!({"Type": "AWS::AppFlow::Flow", "Properties": p})))
            .collect::<serde_json::Map<String, Value>>(),
        "Parameters": {},
    });
    flow_properties(&template)
}

/// Compiles the imported file `path`: its flows' properties.
fn compiled_flows(path: &Path) -> std::collections::BTreeMap<String, Value> {
    let text = std::fs::read_to_string(path).unwrap();
    let compiled = flowform::compile_source("imported.toml", &text, &flowform::CompileOptions::default())
        .unwrap_or_else(|report| panic!("the imported file does not compile: {:?}\n{text}", report.diagnostics));
    flow_properties(&compiled.templates[0].template.to_json_value())
}

#[test]
fn a_deployed_file_imported_back_compiles_to_the_same_flows() {
    let cfn = LocalCfn::start();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/deploy-tests/operate-import");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("flows.toml"), ADOPTED).unwrap();
    let deployed = cfn.flowform(&dir, &["deploy", "flows.toml", "--yes"]);
    assert_eq!(deployed.code, 0, "{}", deployed.stderr);
    let import = cfn.flowform(&dir, &["import", "--stack", "adopt", "-o", "imported.toml"]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    assert!(
        import.stderr.contains("wrote imported.toml (2 flows, 0 notes)"),
        "{}",
        import.stderr
    );
    let text = std::fs::read_to_string(dir.join("imported.toml")).unwrap();
    assert!(text.contains("retention = \"all\""), "{text}");
    assert!(
        text.contains("[flow.orders]") && !text.contains("name = \"adopt-orders\""),
        "{text}"
    );
    assert_eq!(compiled_flows(&dir.join("imported.toml")), deployed_flows(&cfn));
    // The file exists now: import writes new files only.
    let again = cfn.flowform(&dir, &["import", "--stack", "adopt", "-o", "imported.toml"]);
    assert_eq!(again.code, 2, "{}", again.stderr);
}

#[test]
fn a_console_made_flow_is_imported_and_what_cannot_be_said_is_said() {
    let cfn = LocalCfn::start();
    cfn.create_bucket("console-in");
    cfn.create_bucket("console-out");
    // As the console creates it (CreateFlow): every field mapped, hourly, incremental.
    let flow = json!({
        "flowName": "console-copy",
        "description": "made in the console",
        "triggerConfig": {"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {
            "scheduleExpression": "rate(1hours)", "dataPullMode": "Incremental", "scheduleStartTime": 1893456000
        }}},
        "sourceFlowConfig": {"connectorType": "S3", "sourceConnectorProperties": {"S3": {
            "bucketName": "console-in", "bucketPrefix": "exports", "s3InputFormatConfig": {"s3InputFileType": "JSON"}
        }}},
        "destinationFlowConfigList": [{"connectorType": "S3", "destinationConnectorProperties": {"S3": {
            "bucketName": "console-out", "s3OutputFormatConfig": {"fileType": "CSV"}
        }}}],
        "tasks": [
            {"taskType": "Map_all", "sourceFields": [], "connectorOperator": {"S3": "NO_OP"},
             "taskProperties": {"EXCLUDE_SOURCE_FIELDS_LIST": "[]"}},
            {"taskType": "Sort", "sourceFields": ["id"], "connectorOperator": {"S3": "NO_OP"}}
        ],
    });
    let headers = [("Content-Type", "application/json")];
    let (status, text) = cfn.call("appflow", "/create-flow", &headers, &flow.to_string());
    assert_eq!(status, 200, "CreateFlow: {text}");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/deploy-tests/operate-console");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let import = cfn.flowform(&dir, &["import", "--flow", "console-copy", "--stack", "adopted"]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    // A task flowform has no word for is said, not silently dropped.
    assert!(import.stderr.contains("a Sort task on `id`"), "{}", import.stderr);
    assert!(
        import.stdout.contains("name = \"console-copy\""),
        "its name is kept:\n{}",
        import.stdout
    );
    std::fs::write(dir.join("imported.toml"), &import.stdout).unwrap();
    let compiled = compiled_flows(&dir.join("imported.toml"));
    let mut deployed = deployed_flows(&cfn);
    // The task it could not say is the one difference.
    let tasks = deployed["console-copy"]["Tasks"].as_array().unwrap().clone();
    deployed.get_mut("console-copy").unwrap()["Tasks"] = json!([tasks[0]]);
    assert_eq!(compiled["console-copy"]["Tasks"], deployed["console-copy"]["Tasks"]);
    for key in [
        "SourceFlowConfig",
        "DestinationFlowConfigList",
        "TriggerConfig",
        "Description",
    ] {
        assert_eq!(compiled["console-copy"][key], deployed["console-copy"][key], "{key}");
    }
}
