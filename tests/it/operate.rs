//! `flowform run`, `status`, `history`, `stop` and `start` end to end, against the local
//! AppFlow API of `support/ministack_appflow.py` (on the local CloudFormation endpoint):
//! a stack is deployed with `flowform deploy`, the API is told how the next runs end, and
//! the commands are read as a user reads them: exit codes, output, what AppFlow then says.

use std::io::BufRead;
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
    let mut child = cfn.spawn_flowform(&dir, &["run", "flows.toml", "copy"]);
    let stderr = child.stderr.take().unwrap();
    let (sent, lines) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = sent.send(line);
        }
    });
    let mut seen = Vec::new();
    loop {
        let line = lines.recv().expect("flowform followed the run");
        let following = line.contains("InProgress");
        seen.push(line);
        if following {
            break;
        }
    }
    let killed = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    reader.join().unwrap();
    seen.extend(lines.try_iter());
    let text = seen.join("\n");
    assert_eq!(status.code(), Some(130), "{text}");
    assert!(
        text.contains("goes on in AppFlow") && text.contains("flowform history flows.toml ops-copy"),
        "{text}"
    );
    std::thread::sleep(Duration::from_millis(200));
    let history = cfn.flowform(Path::new(&dir), &["history", "flows.toml", "copy", "--format", "json"]);
    let page: Value = serde_json::from_str(&history.stdout).unwrap();
    assert_eq!(page["runs"][0]["status"], "InProgress", "the run goes on: {page}");
}
