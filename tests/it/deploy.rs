//! End-to-end tests of `flowform deploy`, `diff` and `destroy` against a real
//! CloudFormation API on 127.0.0.1 (MiniStack with the AppFlow launcher, see
//! `support/local_cfn.rs`). Every test starts its own server and runs the real binary,
//! as a user would, reading exit codes, output, and what landed in the account.

use std::path::{Path, PathBuf};

use crate::local_cfn::{ACCOUNT_ID, LocalCfn};
use serde_json::Value;

const JWT: &str = "--parameter=SalesforceJwt=eyJhbGciOiJub25lIn0.e30.test";

/// A fresh working directory for one test.
fn workdir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/deploy-tests/{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies `examples/<example>.toml` into `dir` as `flows.toml`.
fn copy_example(dir: &Path, example: &str) {
    let text =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("examples/{example}.toml")))
            .unwrap()
            .replace("#:schema ../schema/flowform.schema.json\n", "");
    std::fs::write(dir.join("flows.toml"), text).unwrap();
}

fn edit(dir: &Path, from: &str, to: &str) {
    let path = dir.join("flows.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "flows.toml has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The value of `key` in the `Outputs:` list a deploy printed.
fn output(stderr: &str, key: &str) -> String {
    let prefix = format!("    {key} = ");
    stderr
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no output {key} in:\n{stderr}"))
        .to_string()
}

/// The statements of a policy that grant something to AppFlow.
fn appflow_statements(policy: &Value) -> usize {
    policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["Principal"]["Service"] == "appflow.amazonaws.com")
        .count()
}

#[test]
fn deploy_redeploy_modify_diff_and_destroy() {
    let cfn = LocalCfn::start();
    let dir = workdir("lifecycle");
    copy_example(&dir, "s3_to_salesforce_upsert");
    let stack = ["--stack", "e2e-life"];

    let before = cfn.flowform(&dir, &[&["diff", "flows.toml"][..], &stack].concat());
    before
        .expect(1)
        .says("stack e2e-life: not deployed; a deploy creates it");

    // Without the NoEcho credential, nothing is created.
    cfn.flowform(&dir, &[&["deploy", "flows.toml"][..], &stack].concat())
        .expect(1)
        .says("needs a value for SalesforceJwt");

    let first = cfn
        .flowform(&dir, &[&["deploy", "flows.toml", JWT][..], &stack].concat())
        .expect(0);
    first
        .says("creates the stack: 6 changes")
        .says("[6/6")
        .says("stack e2e-life: CREATE_COMPLETE");
    assert_eq!(
        output(&first.stderr, "ContactsFlowArn"),
        format!("arn:aws:appflow:us-east-1:{ACCOUNT_ID}:flow/e2e-life-contacts")
    );

    // What landed: the flow with the start time the file asked for (2030-01-01T02:00Z,
    // still in the future, so kept), and the credential from the parameter.
    let appflow = cfn.appflow();
    let flow = &appflow["flows"]["e2e-life-contacts"];
    let start = &flow["TriggerConfig"]["TriggerProperties"]["ScheduleStartTime"];
    assert_eq!(start.to_string().trim_matches('"'), "1893463200", "{flow}");
    let profile = &appflow["connector_profiles"]["e2e-life-salesforce"];
    assert_eq!(
        profile["ConnectorProfileConfig"]["ConnectorProfileCredentials"]["Salesforce"]["JwtToken"],
        "eyJhbGciOiJub25lIn0.e30.test"
    );
    // Each bucket policy that landed holds exactly one AppFlow statement.
    for key in ["InboundBucketName", "ErrorsBucketName"] {
        let policy = cfn.bucket_policy(&output(&first.stderr, key));
        assert_eq!(appflow_statements(&policy), 1, "{key}: {policy}");
    }

    // An immediate redeploy changes nothing (the credential keeps its previous value).
    cfn.flowform(&dir, &[&["deploy", "flows.toml"][..], &stack].concat())
        .expect(0)
        .says("stack e2e-life: no changes")
        .says("deleted the change set");
    cfn.flowform(&dir, &[&["diff", "flows.toml"][..], &stack].concat())
        .expect(0)
        .says("stack e2e-life: no differences");

    // A modified flow: the diff names the property, the deploy updates in place.
    edit(&dir, "rate(1 days)", "rate(2 days)");
    cfn.flowform(&dir, &[&["diff", "flows.toml"][..], &stack].concat())
        .expect(1)
        .says("[~] AWS::AppFlow::Flow ContactsFlow")
        .says("~ Properties.TriggerConfig.TriggerProperties.ScheduleExpression: \"rate(1days)\" → \"rate(2days)\"");
    cfn.flowform(&dir, &[&["deploy", "flows.toml"][..], &stack].concat())
        .expect(0)
        .says("Modify  ContactsFlow")
        .says("stack e2e-life: UPDATE_COMPLETE");
    let flow = &cfn.appflow()["flows"]["e2e-life-contacts"];
    assert_eq!(
        flow["TriggerConfig"]["TriggerProperties"]["ScheduleExpression"],
        "rate(2days)"
    );
    cfn.flowform(&dir, &[&["diff", "flows.toml"][..], &stack].concat())
        .expect(0);

    // A task changed and one added: each is shown as that task, keyed by what identifies
    // it, not by its position in the list.
    edit(&dir, "char = \"#\"", "char = \"*\"");
    edit(
        &dir,
        "  { field = \"Email\", check = \"not-null\" },",
        "  { field = \"Email\", check = \"not-null\" },\n  { field = \"Phone\", check = \"not-null\" },",
    );
    let diff = cfn
        .flowform(&dir, &[&["diff", "flows.toml"][..], &stack].concat())
        .expect(1);
    diff.says("~ Properties.Tasks[Mask Phone")
        .says("+ Properties.Tasks[Validate Phone");
    assert!(
        !diff.stdout.contains("Properties.Tasks[1"),
        "no positional churn: {}",
        diff.stdout
    );
    // The same for programs.
    let json = cfn
        .flowform(
            &dir,
            &[&["diff", "flows.toml", "--format", "json"][..], &stack].concat(),
        )
        .expect(1);
    let document: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(document["changed"], true);
    assert_eq!(document["stacks"][0]["status"], "deployed");
    let change = &document["stacks"][0]["changes"][0];
    assert_eq!(
        (change["name"].as_str(), change["change"].as_str()),
        (Some("ContactsFlow"), Some("modified"))
    );
    let paths: Vec<&str> = change["leaves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"Properties.Tasks[Mask Phone].TaskProperties[MASK_VALUE].Value"),
        "{paths:?}"
    );
    // CloudFormation's own view: a change set, reviewed and deleted; nothing deployed.
    cfn.flowform(&dir, &[&["diff", "flows.toml", "--change-set"][..], &stack].concat())
        .expect(1)
        .says("updates the stack: 1 change")
        .says("Modify  ContactsFlow")
        .says("deleted the change set");
    cfn.flowform(&dir, &[&["diff", "flows.toml"][..], &stack].concat())
        .expect(1);
    // A change set prepared for review and never executed is cleaned up by the next deploy.
    cfn.flowform(&dir, &[&["deploy", "flows.toml", "--no-execute"][..], &stack].concat())
        .expect(0)
        .says("not executed (--no-execute)");
    cfn.flowform(&dir, &[&["deploy", "flows.toml"][..], &stack].concat())
        .expect(0)
        .says("an earlier --no-execute left");
    cfn.flowform(&dir, &[&["diff", "flows.toml", "--change-set"][..], &stack].concat())
        .expect(0)
        .says("no changes");

    // Destroy: refused without a terminal or --yes, then done.
    cfn.flowform(&dir, &["destroy", "e2e-life"])
        .expect(1)
        .says("refusing to delete stack e2e-life");
    cfn.flowform(&dir, &[&["destroy", "flows.toml", "--yes"][..], &stack].concat())
        .expect(0)
        .says("stack e2e-life: DELETE_COMPLETE");
    assert!(cfn.appflow()["flows"].get("e2e-life-contacts").is_none());
    cfn.flowform(&dir, &[&["diff", "flows.toml"][..], &stack].concat())
        .expect(1)
        .says("not deployed");
    cfn.flowform(&dir, &["destroy", "e2e-life", "--yes"])
        .expect(0)
        .says("does not exist: nothing to delete");
}

#[test]
fn a_replacement_is_refused_without_yes() {
    let cfn = LocalCfn::start();
    let dir = workdir("replacement");
    copy_example(&dir, "s3_to_salesforce_upsert");
    let stack = ["--stack", "e2e-replace", JWT];
    cfn.flowform(&dir, &[&["deploy", "flows.toml"][..], &stack].concat())
        .expect(0);

    // A physical bucket name: BucketName cannot change in place, so the bucket (and its
    // policy) is replaced.
    edit(
        &dir,
        "[bucket.errors]\n",
        "[bucket.errors]\nbucket-name = \"e2e-replace-errors\"\n",
    );
    cfn.flowform(&dir, &[&["diff", "flows.toml"][..], &stack[..2]].concat())
        .expect(1)
        .says("[~] AWS::S3::Bucket ErrorsBucket (REPLACEMENT: BucketName cannot change in place)");
    let refused = cfn
        .flowform(&dir, &[&["deploy", "flows.toml"][..], &stack].concat())
        .expect(1);
    refused
        .says("Modify  ErrorsBucket")
        .says("True (BucketName)")
        .says("refusing to execute the change set for e2e-replace: it replaces")
        .says("rerun with --yes")
        .says("deleted the change set");
    cfn.flowform(&dir, &[&["diff", "flows.toml"][..], &stack[..2]].concat())
        .expect(1)
        .says("ErrorsBucket");

    let approved = cfn
        .flowform(&dir, &[&["deploy", "flows.toml", "--yes"][..], &stack].concat())
        .expect(0);
    approved
        .says("(approved by --yes)")
        .says("stack e2e-replace: UPDATE_COMPLETE");
    assert_eq!(output(&approved.stderr, "ErrorsBucketName"), "e2e-replace-errors");
    assert_eq!(appflow_statements(&cfn.bucket_policy("e2e-replace-errors")), 1);

    // Encrypting the flow with a new key: KMSArn cannot change in place, and a flow
    // keeps its FlowName, so CloudFormation would fail halfway. flowform stops first,
    // even with --yes, and says what to do.
    edit(
        &dir,
        "[profile.salesforce.salesforce]\n",
        "[key.flows]\n\n[profile.salesforce.salesforce]\n",
    );
    edit(&dir, "[flow.contacts]\n", "[flow.contacts]\nkey = \"flows\"\n");
    cfn.flowform(&dir, &[&["diff", "flows.toml"][..], &stack[..2]].concat())
        .expect(1)
        .says("(REPLACEMENT: KMSArn cannot change in place)");
    cfn.flowform(&dir, &[&["deploy", "flows.toml", "--yes"][..], &stack].concat())
        .expect(1)
        .says("ContactsFlow must be replaced (KMSArn cannot change in place)")
        .says("rename it in the same change")
        .says("deleted the change set");
    assert!(cfn.appflow()["flows"]["e2e-replace-contacts"].get("KMSArn").is_none());
    cfn.flowform(&dir, &[&["diff", "flows.toml"][..], &stack[..2]].concat())
        .expect(1)
        .says("FlowsKey");
}

#[test]
fn a_failing_resource_rolls_back_and_says_why() {
    let cfn = LocalCfn::start();
    let dir = workdir("failure");
    // The flow uses an imported connector profile that does not exist in the account.
    copy_example(&dir, "salesforce_events_to_eventbridge");
    let stack = ["--stack", "e2e-fail"];
    let failed = cfn
        .flowform(&dir, &[&["deploy", "flows.toml"][..], &stack].concat())
        .expect(1);
    failed
        .says("CREATE_FAILED")
        .says("Connector profile crm-salesforce does not exist")
        .says("stack e2e-fail: ROLLBACK_COMPLETE")
        .says("Failed resources:")
        .says("the changes were rolled back");

    // The stack is left in ROLLBACK_COMPLETE: detected, with what to do.
    cfn.flowform(&dir, &[&["deploy", "flows.toml"][..], &stack].concat())
        .expect(1)
        .says("is in ROLLBACK_COMPLETE")
        .says("flowform destroy e2e-fail");
    // With --yes the empty stack is deleted and created again (and fails again, for the
    // same reason: proof the new attempt ran).
    cfn.flowform(&dir, &[&["deploy", "flows.toml", "--yes"][..], &stack].concat())
        .expect(1)
        .says("creates the stack")
        .says("Connector profile crm-salesforce does not exist");
}

#[test]
fn a_name_that_already_exists_fails_validation_and_says_which_and_where() {
    let cfn = LocalCfn::start();
    let dir = workdir("name-conflict");
    cfn.create_bucket("acme-taken-lake");
    std::fs::write(
        dir.join("flows.toml"),
        "[stack]\nname = \"e2e-conflict\"\n\n[bucket.lake]\nbucket-name = \"acme-taken-lake\"\n\n\
         [flow.copy]\nsource.s3 = { bucket = \"lake\", prefix = \"in\" }\ndestination.s3 = { bucket = \"lake\", prefix = \"out\" }\nmap-all = {}\n",
    )
    .unwrap();
    let failed = cfn.flowform(&dir, &["deploy", "flows.toml"]).expect(1);
    failed
        .says("Call DescribeEvents")
        .says("CloudFormation validation error NAME_CONFLICT_VALIDATION")
        .says("Resource of type 'AWS::S3::Bucket' with identifier 'acme-taken-lake' already exists.");
    assert!(
        failed
            .stderr
            .contains("error: deploying e2e-conflict failed (ROLLBACK_COMPLETE): Resource of type 'AWS::S3::Bucket'"),
        "the summary line says why: {}",
        failed.stderr
    );
}

/// A file of `count` Salesforce → S3 flows sharing one profile and one bucket.
fn many_flows(count: usize) -> String {
    let mut text = String::from(
        "[stack]\nname = \"e2e-big\"\n\n[bucket.lake]\n\n[profile.salesforce.salesforce]\n\
         instance-url = \"https://acme.my.salesforce.com\"\noauth.jwt = { parameter = \"SalesforceJwt\" }\n",
    );
    for n in 0..count {
        text.push_str(&format!(
            "\n[flow.flow-{n:04}]\nsource.salesforce = {{ profile = \"salesforce\", object = \"Account\" }}\n\
             destination.s3 = {{ bucket = \"lake\", prefix = \"accounts/{n}\" }}\nmap-all = {{}}\n"
        ));
    }
    text
}

#[test]
fn large_split_templates_go_through_s3_in_dependency_order() {
    let cfn = LocalCfn::start();
    let dir = workdir("large");
    std::fs::write(dir.join("flows.toml"), many_flows(120)).unwrap();

    let refused = cfn.flowform(&dir, &["deploy", "flows.toml", JWT]).expect(1);
    refused
        .says("split into 2 stacks")
        .says("over the 51,200 bytes CloudFormation accepts inline; pass --template-bucket");
    cfn.flowform(&dir, &["diff", "flows.toml"])
        .expect(1)
        .says("stack e2e-big: not deployed");

    cfn.create_bucket("flowform-templates");
    let deployed = cfn
        .flowform(
            &dir,
            &["deploy", "flows.toml", JWT, "--template-bucket", "flowform-templates"],
        )
        .expect(0);
    deployed
        .says("uploaded to s3://flowform-templates/flowform/e2e-big/")
        .says("done: 2 stacks, 2 deployed");
    let main = deployed.stderr.find("stack e2e-big: CREATE_COMPLETE").unwrap();
    let flows = deployed.stderr.find("stack e2e-big-flows-1: CREATE_COMPLETE").unwrap();
    assert!(main < flows, "the main stack (exports) is deployed first");
    assert!(!cfn.object_keys("flowform-templates").is_empty());
    assert_eq!(cfn.appflow()["flows"].as_object().unwrap().len(), 120);
    assert!(dir.join("flows.lock").is_file(), "the deploy records the split");
    cfn.flowform(&dir, &["diff", "flows.toml"]).expect(0);

    // Removing every flow of the flow stack: the deploy deletes it (after asking, as for
    // any removal) before the main stack stops exporting what it imported.
    let lock = std::fs::read_to_string(dir.join("flows.lock")).unwrap();
    let in_main = lock.lines().filter(|line| line.ends_with("= \"e2e-big\"")).count();
    assert!((1..120).contains(&in_main), "{lock}");
    std::fs::write(dir.join("flows.toml"), many_flows(in_main)).unwrap();
    cfn.flowform(&dir, &["diff", "flows.toml"])
        .expect(1)
        .says("stack e2e-big-flows-1: every flow of it was removed from the file; a deploy deletes it");
    let bucket = ["--template-bucket", "flowform-templates"];
    cfn.flowform(&dir, &[&["deploy", "flows.toml", JWT][..], &bucket].concat())
        .expect(1)
        .says("refusing to delete stack e2e-big-flows-1");
    assert_eq!(
        cfn.appflow()["flows"].as_object().unwrap().len(),
        120,
        "nothing changed"
    );
    let pruned = cfn
        .flowform(&dir, &[&["deploy", "flows.toml", JWT, "--yes"][..], &bucket].concat())
        .expect(0);
    pruned
        .says("stack e2e-big-flows-1: DELETE_COMPLETE")
        .says("1 emptied stack deleted");
    let deleted = pruned.stderr.find("stack e2e-big-flows-1: DELETE_COMPLETE").unwrap();
    let updated = pruned.stderr.find("stack e2e-big: template").expect(&pruned.stderr);
    assert!(deleted < updated, "the importer goes before the exports do");
    assert_eq!(cfn.appflow()["flows"].as_object().unwrap().len(), in_main);
    // The main stack's exports are no longer needed. The local endpoint reports a change
    // set that only removes outputs as "no changes" (CloudFormation executes it), so the
    // diff still shows them, and only them.
    let left = cfn.flowform(&dir, &["diff", "flows.toml"]).expect(1);
    left.says("stack e2e-big: 2 differences").says("[-] ExportLakeBucket");
    assert!(!left.stdout.contains("Resources"), "{}", left.stdout);

    // Back to 120: the new flows fill a new flow stack, which destroy deletes first.
    std::fs::write(dir.join("flows.toml"), many_flows(120)).unwrap();
    cfn.flowform(&dir, &[&["deploy", "flows.toml", JWT][..], &bucket].concat())
        .expect(0);
    // The main stack alone cannot go while a flow stack imports its exports: said so.
    cfn.flowform(&dir, &["destroy", "e2e-big", "--yes"])
        .expect(1)
        .says("stack e2e-big cannot be deleted")
        .says("another stack imports its exports, so delete that stack first");

    let destroyed = cfn.flowform(&dir, &["destroy", "flows.toml", "--yes"]).expect(0);
    let flows = destroyed.stderr.find("stack e2e-big-flows-1: DELETE_COMPLETE").unwrap();
    let main = destroyed.stderr.find("stack e2e-big: DELETE_COMPLETE").unwrap();
    assert!(flows < main, "flow stacks (importers) are deleted first");
    assert!(cfn.appflow()["flows"].as_object().unwrap().is_empty());
}

#[test]
fn the_flow_stacks_of_a_split_deploy_several_at_a_time() {
    let cfn = LocalCfn::start();
    let dir = workdir("concurrent");
    std::fs::write(dir.join("flows.toml"), many_flows(250)).unwrap();
    cfn.create_bucket("flowform-templates");
    let deployed = cfn
        .flowform(
            &dir,
            &[
                "deploy",
                "flows.toml",
                JWT,
                "--template-bucket",
                "flowform-templates",
                "--concurrency",
                "3",
            ],
        )
        .expect(0);
    let lock = std::fs::read_to_string(dir.join("flows.lock")).unwrap();
    let flow_stacks: std::collections::BTreeSet<&str> = lock
        .lines()
        .filter_map(|line| line.split(" = ").nth(1))
        .map(|stack| stack.trim_matches('"'))
        .filter(|stack| stack.starts_with("e2e-big-flows-"))
        .collect();
    assert!(flow_stacks.len() >= 2, "{lock}");
    deployed.says(&format!(
        "stack e2e-big: deploying its {} flow stacks, {} at a time",
        flow_stacks.len(),
        flow_stacks.len().min(3)
    ));
    let main = deployed.stderr.find("stack e2e-big: CREATE_COMPLETE").unwrap();
    for stack in &flow_stacks {
        // Each flow stack's lines carry its name, and it starts after the main stack.
        let done = deployed
            .stderr
            .find(&format!("[{stack}] stack {stack}: CREATE_COMPLETE"))
            .unwrap_or_else(|| panic!("{stack}: {}", deployed.stderr));
        assert!(main < done);
    }
    assert_eq!(cfn.appflow()["flows"].as_object().unwrap().len(), 250);
    cfn.flowform(&dir, &["diff", "flows.toml"]).expect(0);
}

#[test]
fn one_file_deploys_as_two_environments_with_one_committed_lock() {
    let cfn = LocalCfn::start();
    let dir = workdir("environments");
    copy_example(&dir, "s3_to_salesforce_upsert");
    cfn.flowform(&dir, &["synth", "flows.toml", "-o", "cfn"]).expect(0);
    let lock = std::fs::read_to_string(dir.join("flows.lock")).unwrap();
    assert!(lock.contains("= \"crm-sync\""), "{lock}");

    for environment in ["crm-dev", "crm-prod"] {
        cfn.flowform(&dir, &["deploy", "flows.toml", JWT, "--stack", environment, "--locked"])
            .expect(0)
            .says(&format!("stack {environment}: CREATE_COMPLETE"));
        cfn.flowform(&dir, &["diff", "flows.toml", "--stack", environment, "--locked"])
            .expect(0);
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("flows.lock")).unwrap(),
        lock,
        "the lock names the declared stack, whatever the environment"
    );
    cfn.flowform(&dir, &["validate", "flows.toml", "--locked"]).expect(0);
    // Each environment has its own, prefixed, physical names.
    let flows = cfn.appflow()["flows"].as_object().unwrap().clone();
    assert_eq!(flows.len(), 2, "{flows:?}");
    assert!(flows.keys().any(|name| name.starts_with("crm-dev")), "{flows:?}");
    assert!(flows.keys().any(|name| name.starts_with("crm-prod")), "{flows:?}");

    // A lock that does not place a new flow fails a locked deploy before any call.
    let text = std::fs::read_to_string(dir.join("flows.toml")).unwrap();
    let flows_start = text.find("\n[flow.").unwrap();
    let copy = text[flows_start..].replace("[flow.contacts", "[flow.contacts-copy");
    std::fs::write(dir.join("flows.toml"), format!("{text}{copy}")).unwrap();
    cfn.flowform(&dir, &["deploy", "flows.toml", JWT, "--stack", "crm-dev", "--locked"])
        .expect(1)
        .says("is not up to date (--locked)");
    assert_eq!(std::fs::read_to_string(dir.join("flows.lock")).unwrap(), lock);

    cfn.flowform(&dir, &["destroy", "flows.toml", "--stack", "crm-dev", "--yes"])
        .expect(0)
        .says("stack crm-dev: DELETE_COMPLETE");
    assert_eq!(cfn.appflow()["flows"].as_object().unwrap().len(), 1);
}

#[test]
fn each_environment_takes_its_values_from_its_values_file_secrets_from_env_and_stdin() {
    let cfn = LocalCfn::start();
    let dir = workdir("values");
    copy_example(&dir, "crm_environments");
    std::fs::create_dir_all(dir.join("environments")).unwrap();
    for environment in ["dev", "prod"] {
        let from = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("examples/environments/{environment}.toml"));
        std::fs::copy(from, dir.join(format!("environments/{environment}.toml"))).unwrap();
    }
    cfn.flowform(&dir, &["synth", "flows.toml", "-o", "cfn"]).expect(0);

    let dev = [
        "deploy",
        "flows.toml",
        "--stack",
        "crm-env-dev",
        "--parameters",
        "environments/dev.toml",
        "--locked",
    ];
    // The dev secret comes from an environment variable; unset, nothing is deployed.
    cfn.flowform(&dir, &dev)
        .expect(2)
        .says("the environment variable `DEV_SALESFORCE_JWT` (the value of `SalesforceJwt`) is not set")
        .says("flowform::values::env_unset")
        .says("nothing was deployed");
    cfn.flowform_with(&dir, &dev, &[("DEV_SALESFORCE_JWT", "dev-jwt")])
        .expect(0)
        .says("stack crm-env-dev: CREATE_COMPLETE");

    let prod = [
        "deploy",
        "flows.toml",
        "--stack",
        "crm-env-prod",
        "--parameters",
        "environments/prod.toml",
        "--locked",
    ];
    cfn.flowform(&dir, &prod)
        .expect(2)
        .says("cannot come from standard input: nothing was piped in");
    cfn.flowform_piped(&dir, &prod, &[], Some("prod-jwt\n"))
        .expect(0)
        .says("stack crm-env-prod: CREATE_COMPLETE");

    let state = cfn.appflow();
    let profile = |name: &str| state["connector_profiles"][name]["ConnectorProfileConfig"].clone();
    let dev_profile = profile("crm-env-dev-salesforce");
    let prod_profile = profile("crm-env-prod-salesforce");
    assert_eq!(
        dev_profile["ConnectorProfileProperties"]["Salesforce"]["InstanceUrl"],
        "https://acme--dev.sandbox.my.salesforce.com"
    );
    assert_eq!(
        dev_profile["ConnectorProfileCredentials"]["Salesforce"]["JwtToken"],
        "dev-jwt"
    );
    assert_eq!(
        prod_profile["ConnectorProfileProperties"]["Salesforce"]["InstanceUrl"],
        "https://acme.my.salesforce.com"
    );
    assert_eq!(
        prod_profile["ConnectorProfileCredentials"]["Salesforce"]["JwtToken"], "prod-jwt",
        "one line ending dropped"
    );
    let object = |flow: &str| {
        state["flows"][flow]["SourceFlowConfig"]["SourceConnectorProperties"]["Salesforce"]["Object"].clone()
    };
    assert_eq!(object("crm-env-dev-records"), "Contact");
    assert_eq!(object("crm-env-prod-records"), "Account", "the declared default");

    // A value the declaration does not allow is refused by CloudFormation before anything
    // changes; --parameter wins over the file.
    cfn.flowform_piped(
        &dir,
        &[&prod[..], &["--parameter", "RecordObject=Lead"]].concat(),
        &[],
        Some("prod-jwt"),
    )
    .expect(1)
    .says("RecordObject");
    assert_eq!(
        cfn.appflow()["flows"]["crm-env-prod-records"]["SourceFlowConfig"]["SourceConnectorProperties"]["Salesforce"]["Object"],
        "Account"
    );
}

#[test]
fn stack_tags_termination_protection_and_an_outputs_file() {
    let cfn = LocalCfn::start();
    let dir = workdir("team-settings");
    copy_example(&dir, "s3_to_salesforce_upsert");
    edit(
        &dir,
        "name = \"crm-sync\"\n",
        "name = \"crm-sync\"\ntags = { team = \"data-platform\" }\n",
    );
    let deploy = [
        "deploy",
        "flows.toml",
        JWT,
        "--termination-protection",
        "--outputs-file",
        "out/outputs.json",
    ];
    cfn.flowform(&dir, &deploy)
        .expect(0)
        .says("termination protection on")
        .says("wrote the outputs to out/outputs.json");
    let stack = cfn.cloudformation("Action=DescribeStacks&StackName=crm-sync");
    assert!(
        stack.contains("<Key>team</Key>") && stack.contains("<Value>data-platform</Value>"),
        "the stack itself is tagged: {stack}"
    );
    assert!(
        stack.contains("<EnableTerminationProtection>true</EnableTerminationProtection>"),
        "{stack}"
    );
    let outputs: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("out/outputs.json")).unwrap()).unwrap();
    assert!(
        outputs["crm-sync"]["InboundBucketName"]
            .as_str()
            .is_some_and(|name| !name.is_empty()),
        "{outputs}"
    );
    // An unchanged redeploy writes the file too.
    std::fs::remove_file(dir.join("out/outputs.json")).unwrap();
    cfn.flowform(&dir, &deploy).expect(0).says("no changes");
    assert!(dir.join("out/outputs.json").is_file());

    cfn.flowform(&dir, &["destroy", "crm-sync", "--yes"])
        .expect(1)
        .says("has termination protection")
        .says("update-termination-protection --no-enable-termination-protection --stack-name crm-sync");
    assert!(
        !cfn.appflow()["flows"].as_object().unwrap().is_empty(),
        "nothing was deleted"
    );
}

#[test]
fn destroy_says_what_it_kept_and_a_dev_stack_keeps_nothing() {
    let cfn = LocalCfn::start();
    let dir = workdir("retention");
    copy_example(&dir, "s3_to_salesforce_upsert");
    let first = cfn.flowform(&dir, &["deploy", "flows.toml", JWT]).expect(0);
    let inbound = output(&first.stderr, "InboundBucketName");
    let destroyed = cfn.flowform(&dir, &["destroy", "flows.toml", "--yes"]).expect(0);
    destroyed
        .says("Kept in the account (2 resources")
        .says(&format!("AWS::S3::Bucket InboundBucket: {inbound}"))
        .says(&format!("delete it with: aws s3 rb s3://{inbound} --force"));

    // A dev stack: nothing is kept.
    let dir = workdir("retention-none");
    copy_example(&dir, "s3_to_salesforce_upsert");
    edit(
        &dir,
        "name = \"crm-sync\"\n",
        "name = \"crm-dev\"\nretention = \"none\"\n",
    );
    cfn.flowform(&dir, &["deploy", "flows.toml", JWT]).expect(0);
    let destroyed = cfn.flowform(&dir, &["destroy", "flows.toml", "--yes"]).expect(0);
    assert!(
        !destroyed.stderr.contains("Kept in the account"),
        "{}",
        destroyed.stderr
    );
}

#[test]
fn ctrl_c_during_a_slow_call_stops_the_deploy_and_nothing_is_executed() {
    // DescribeChangeSet answers after 30 s: Ctrl-C comes while it is in flight.
    let cfn = LocalCfn::start_with(&[("SLOW_ACTIONS", "DescribeChangeSet=30")]);
    let dir = workdir("ctrl-c");
    copy_example(&dir, "s3_to_salesforce_upsert");
    // The DescribeChangeSet call follows at once; given a moment, it is in flight.
    let waiting = |line: &str| line.contains("creating change set");
    let (code, text) = cfn.interrupt_when(
        &dir,
        &["deploy", "flows.toml", JWT],
        waiting,
        std::time::Duration::from_millis(500),
    );
    assert_eq!(code, Some(130), "{text}");
    assert!(text.contains("nothing was deployed"), "{text}");
    assert!(!text.contains("executing"), "{text}");
    assert!(
        cfn.appflow()["flows"].as_object().unwrap().is_empty(),
        "no flow was created"
    );
}

#[test]
fn the_profile_named_on_the_command_line_wins_over_credentials_in_the_environment() {
    let cfn = LocalCfn::start();
    let dir = workdir("profile");
    copy_example(&dir, "s3_to_salesforce_upsert");
    // The harness points AWS_SHARED_CREDENTIALS_FILE here.
    std::fs::write(
        dir.join("no-aws-credentials"),
        "[team]\naws_access_key_id = 222222222222\naws_secret_access_key = team-secret\n",
    )
    .unwrap();
    let exported = [("AWS_ACCESS_KEY_ID", "111111111111")];
    cfn.flowform_with(&dir, &["deploy", "flows.toml", JWT, "--profile", "team"], &exported)
        .expect(0)
        .says("AWS account 222222222222 as arn:aws:iam::222222222222:root, region us-east-1")
        .says("stack crm-sync: CREATE_COMPLETE");
    cfn.flowform_with(&dir, &["diff", "flows.toml", "--profile", "team"], &exported)
        .expect(0);
    // Without --profile the exported key is used, as the AWS CLI does: another account,
    // where nothing was deployed.
    cfn.flowform_with(&dir, &["diff", "flows.toml"], &exported)
        .expect(1)
        .says("AWS account 111111111111")
        .says("stack crm-sync: not deployed");

    cfn.flowform_with(&dir, &["diff", "flows.toml", "--profile", "missing"], &exported)
        .expect(2)
        .says("no AWS profile `missing` with credentials");
    // No instance role either, should CI run on an EC2 instance that has one.
    let no_credentials = [
        ("AWS_ACCESS_KEY_ID", ""),
        ("AWS_SECRET_ACCESS_KEY", ""),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let none = cfn
        .flowform_with(&dir, &["deploy", "flows.toml", JWT], &no_credentials)
        .expect(1);
    none.says("error: no AWS credentials: run `aws configure` or `aws sso login`, or pass `--profile`");
    assert!(!none.stderr.contains("IMDS"), "{}", none.stderr);
}

#[test]
fn usage_errors_are_caught_before_any_call() {
    let cfn = LocalCfn::start();
    let dir = workdir("usage");
    copy_example(&dir, "s3_to_salesforce_upsert");
    cfn.flowform(&dir, &["deploy", "flows.toml", "--parameter", "SalesforceJw=x"])
        .expect(2)
        .says("no template declares the parameter `SalesforceJw`; did you mean `SalesforceJwt`?");
    cfn.flowform(&dir, &["deploy", "flows.toml", "flows.toml", "--stack", "other"])
        .expect(2)
        .says("--stack names the stack of one flow file; 2 were given");
    cfn.flowform(&dir, &["deploy", "flows.toml", "--stack", "not_a_stack"])
        .expect(2)
        .says("`not_a_stack` is not a stack name");
    cfn.flowform(&dir, &["deploy", "flows.toml", "--parameter", "novalue"])
        .expect(2)
        .says("expected KEY=VALUE");
    cfn.flowform(&dir, &["destroy", "bad_name!"])
        .expect(2)
        .says("is not a stack name");
    // A file with errors deploys nothing and reports every error.
    edit(&dir, "rate(1 days)", "rate(1 fortnight)");
    cfn.flowform(&dir, &["deploy", "flows.toml", JWT])
        .expect(1)
        .says("fortnight");
    cfn.flowform(&dir, &["diff", "flows.toml"]).expect(2);
    assert!(cfn.appflow()["flows"].as_object().unwrap().is_empty());
}

#[test]
fn a_stack_with_an_iam_role_deploys_with_the_capabilities_acknowledged() {
    let cfn = LocalCfn::start();
    let dir = workdir("glue");
    copy_example(&dir, "s3_to_s3_parquet_glue");
    let deployed = cfn.flowform(&dir, &["deploy", "flows.toml"]).expect(0);
    deployed
        .says("Add     OrdersFlowGlueRole")
        .says("acknowledging CAPABILITY_IAM and CAPABILITY_NAMED_IAM")
        .says("stack lake-curation: CREATE_COMPLETE");
    let flow = &cfn.appflow()["flows"]["lake-curation-orders"];
    assert!(
        flow["KMSArn"]
            .as_str()
            .is_some_and(|arn| arn.starts_with("arn:aws:kms:us-east-1:")),
        "{flow}"
    );
    assert_eq!(appflow_statements(&cfn.bucket_policy("acme-lake-curated")), 1);
}

/// An event flow to EventBridge, with an owned profile and an owned secret whose value
/// comes from NoEcho parameters.
const EVENTS_TO_EVENTBRIDGE: &str = r#"
[stack]
name = "crm-events"

[secret.sf-client]
value.clientId = { parameter = "SalesforceClientId" }
value.clientSecret = { parameter = "SalesforceClientSecret" }

[profile.salesforce.salesforce]
instance-url = "https://acme.my.salesforce.com"
oauth.jwt = { parameter = "SalesforceJwt" }
oauth.client-secret = "sf-client"

[flow.account-changes]
trigger.event = {}
source.salesforce = { profile = "salesforce", object = "AccountChangeEvent" }
destination.eventbridge = { salesforce-bus-suffix = "crm-accounts" }
map-all = {}
"#;

const CLIENT: [&str; 2] = [
    "--parameter=SalesforceClientId=3MVG9-test",
    "--parameter=SalesforceClientSecret=0123456789ABCDEF",
];

/// One `flowform deploy` ends with the flow active and its partner event source
/// associated with a bus: a first change set creates the flow as a draft (AppFlow makes
/// its partner event source) and the bus after it, a second activates the flow. A
/// template that asks for an active flow straight away fails, as on AWS.
#[test]
fn an_event_flow_to_eventbridge_is_activated_after_its_bus_exists() {
    let cfn = LocalCfn::start();
    let dir = workdir("eventbridge");
    std::fs::write(dir.join("flows.toml"), EVENTS_TO_EVENTBRIDGE).unwrap();
    let source = format!("aws.partner/appflow/salesforce.com/{ACCOUNT_ID}/crm-accounts");

    // Asking for Active on the first deploy, as a plain template deploy would, fails:
    // the flow cannot be active before its partner event source is associated.
    let eager = [
        &[
            "deploy",
            "flows.toml",
            JWT,
            "--parameter=AccountChangesFlowStatus=Active",
        ][..],
        &CLIENT,
    ]
    .concat();
    cfn.flowform(&dir, &eager)
        .expect(1)
        .says("is not associated with an event bus");
    cfn.flowform(&dir, &["destroy", "crm-events", "--yes"]).expect(0);

    let deploy = [&["deploy", "flows.toml", JWT][..], &CLIENT].concat();
    let first = cfn.flowform(&dir, &deploy).expect(0);
    first
        .says("creates the stack")
        .says("stack crm-events: activating 1 flow awaiting activation")
        .says("activates the flows: 1 change")
        .says("AccountChangesFlow")
        .says("stack crm-events: UPDATE_COMPLETE");
    let appflow = cfn.appflow();
    assert_eq!(
        appflow["flows"]["crm-events-account-changes"]["FlowStatus"], "Active",
        "{appflow}"
    );
    assert_eq!(
        appflow["partner_event_sources"][&source]["event_bus"], source,
        "the partner event source is associated with its bus: {appflow}"
    );
    // The secret was created with its value, from the parameters.
    assert!(first.stderr.contains("SfClientSecret"), "{}", first.stderr);

    // Deployed again: already active, nothing to change, no second change set.
    let again = cfn.flowform(&dir, &["deploy", "flows.toml"]).expect(0);
    again.says("stack crm-events: no changes");
    assert!(!again.stderr.contains("activating"), "{}", again.stderr);

    cfn.flowform(&dir, &["destroy", "crm-events", "--yes"]).expect(0);
}

/// A secret the stack creates holds its value in the same deploy, so the profile that
/// reads it is created in one go: the first deploy asks for the NoEcho parameters, and
/// later deploys keep them.
#[test]
fn an_owned_secret_with_its_value_deploys_in_one_go() {
    let cfn = LocalCfn::start();
    let dir = workdir("owned-secret");
    copy_example(&dir, "salesforce_to_s3_on_demand");
    cfn.flowform(&dir, &["deploy", "flows.toml"]).expect(1).says(
        "needs a value for SalesforceAccessToken, SalesforceClientId, SalesforceClientSecret, SalesforceRefreshToken",
    );
    let values = [
        "--parameter=SalesforceClientId=3MVG9-client",
        "--parameter=SalesforceClientSecret=0123456789ABCDEF",
        "--parameter=SalesforceAccessToken=00D-access",
        "--parameter=SalesforceRefreshToken=5Aep-refresh",
    ];
    cfn.flowform(&dir, &[&["deploy", "flows.toml"][..], &values].concat())
        .expect(0)
        .says("stack crm-export: CREATE_COMPLETE");
    // The profile read its tokens from the secret created in the same operation.
    let appflow = cfn.appflow();
    let credentials = &appflow["connector_profiles"]["crm-export-salesforce"]["ConnectorProfileConfig"]["ConnectorProfileCredentials"]
        ["Salesforce"];
    assert_eq!(credentials["AccessToken"], "00D-access", "{appflow}");
    assert_eq!(credentials["RefreshToken"], "5Aep-refresh", "{appflow}");
    assert!(
        credentials["ClientCredentialsArn"]
            .as_str()
            .is_some_and(|arn| arn.starts_with("arn:aws:secretsmanager:")),
        "{credentials}"
    );
    cfn.flowform(&dir, &["deploy", "flows.toml"])
        .expect(0)
        .says("stack crm-export: no changes");
}
