//! End-to-end tests of a rollout (`deploy`, `diff`, `destroy` with `--targets`) against one
//! local CloudFormation standing for several accounts and regions: MiniStack keeps each
//! account apart (a 12-digit access key is that account; an assumed role's session
//! credentials are the role's account) and each region apart (the signature's scope), and
//! implements STS `AssumeRole`. As a vendor would: the vendor's credentials
//! (`AWS_ACCESS_KEY_ID=testing`, account 123456789012) assume `FlowformDeployer` in each
//! customer's account.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::local_cfn::LocalCfn;

/// A working directory with the vendor example and its targets file.
fn vendor_dir(name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join(format!("target/rollout-tests/{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rollout")).unwrap();
    let flows = std::fs::read_to_string(root.join("examples/vendor_rollout.toml"))
        .unwrap()
        .replace("#:schema ../schema/flowform.schema.json\n", "");
    std::fs::write(dir.join("vendor_rollout.toml"), flows).unwrap();
    std::fs::copy(
        root.join("examples/rollout/customers.toml"),
        dir.join("rollout/customers.toml"),
    )
    .unwrap();
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Stores the customer's Salesforce secret the flow file reads by name.
fn store_secret(cfn: &LocalCfn, account: &str, region: &str) {
    let body = r#"{"Name": "appflow/salesforce", "SecretString": "{\"jwt\": \"eyJhbGciOiJub25lIn0.e30.test\"}"}"#;
    let headers = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", "secretsmanager.CreateSecret"),
    ];
    let (status, answer) = cfn.call_in(account, region, "secretsmanager", "/", &headers, body);
    assert_eq!(status, 200, "CreateSecret in {account} {region}: {answer}");
}

/// The status of stack `stack` in `account` and `region`, or `None` when there is none.
fn stack_status(cfn: &LocalCfn, account: &str, region: &str, stack: &str) -> Option<String> {
    let answer = cfn.cloudformation_in(account, region, &format!("Action=DescribeStacks&StackName={stack}"));
    let start = answer.find("<StackStatus>")? + "<StackStatus>".len();
    let end = answer[start..].find("</StackStatus>")? + start;
    Some(answer[start..end].to_string())
}

/// The object the customer's flow exports, from the flow in the customer's account.
fn exported_object(cfn: &LocalCfn, account: &str, region: &str) -> String {
    let headers = [("Content-Type", "application/json")];
    let (status, answer) = cfn.call_in(
        account,
        region,
        "appflow",
        "/describe-flow",
        &headers,
        r#"{"flowName": "customer-crm-records"}"#,
    );
    assert_eq!(status, 200, "DescribeFlow in {account} {region}: {answer}");
    let flow: serde_json::Value = serde_json::from_str(&answer).unwrap();
    flow["sourceFlowConfig"]["sourceConnectorProperties"]["Salesforce"]["object"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Asserts the rows of `labels` say `unchanged` and that no change set was made for them.
#[track_caller]
fn untouched(run: &crate::local_cfn::Run, labels: &[&str]) {
    for label in labels {
        assert!(row(&run.stdout, label).contains("unchanged"), "{}", run.stdout);
        assert!(
            !run.stderr
                .contains(&format!("[{label}] stack customer-crm: creating change set")),
            "{label} was touched:\n{}",
            run.stderr
        );
    }
}

/// The summary row of `label` (the first cells up to the result).
fn row<'s>(stdout: &'s str, label: &str) -> &'s str {
    stdout
        .lines()
        .find(|line| line.starts_with(&format!("{label} ")))
        .unwrap_or_else(|| panic!("no row for {label} in:\n{stdout}"))
}

#[test]
fn a_vendor_rolls_out_to_three_accounts_in_two_regions_and_one_failure_is_its_own() {
    let cfn = LocalCfn::start();
    let dir = vendor_dir("vendor");
    // acme and globex keep the secret the flows read; initech has not stored it yet.
    store_secret(&cfn, "111111111111", "us-east-1");
    store_secret(&cfn, "111111111111", "eu-west-1");
    store_secret(&cfn, "222222222222", "us-east-1");
    let rollout = [
        "deploy",
        "vendor_rollout.toml",
        "--targets",
        "rollout/customers.toml",
        "--yes",
    ];

    let first = cfn.flowform(&dir, &rollout).expect(1);
    first
        .says("rolling out to 4 deployments, 4 at a time")
        .says("[acme/us-east-1] AWS account 111111111111 as arn:aws:sts::111111111111:assumed-role/FlowformDeployer/flowform-rollout, region us-east-1")
        .says("[initech/eu-west-1] AWS account 333333333333");
    for label in ["acme/us-east-1", "acme/eu-west-1", "globex/us-east-1"] {
        assert!(row(&first.stdout, label).contains("created"), "{}", first.stdout);
    }
    assert!(
        row(&first.stdout, "initech/eu-west-1").contains("FAILED"),
        "{}",
        first.stdout
    );
    assert!(
        first.stdout.contains("initech/eu-west-1 customer-crm: "),
        "the failure's message follows the table:\n{}",
        first.stdout
    );
    first.says("done: 4 deployments, 4 stacks: 3 created, 1 failed");
    // What landed, account by account and region by region, with each customer's values.
    assert_eq!(
        stack_status(&cfn, "111111111111", "us-east-1", "customer-crm").as_deref(),
        Some("CREATE_COMPLETE")
    );
    assert_eq!(
        stack_status(&cfn, "111111111111", "eu-west-1", "customer-crm").as_deref(),
        Some("CREATE_COMPLETE")
    );
    assert_eq!(
        stack_status(&cfn, "222222222222", "us-east-1", "customer-crm").as_deref(),
        Some("CREATE_COMPLETE")
    );
    assert_eq!(
        stack_status(&cfn, "222222222222", "eu-west-1", "customer-crm"),
        None,
        "globex is in us-east-1 only"
    );
    assert_eq!(
        stack_status(&cfn, "123456789012", "us-east-1", "customer-crm"),
        None,
        "nothing in the vendor's account"
    );
    assert_eq!(exported_object(&cfn, "111111111111", "eu-west-1"), "Account");
    assert_eq!(exported_object(&cfn, "222222222222", "us-east-1"), "Contact");

    // initech stores its secret; the re-run creates initech's stack and leaves the others
    // alone: no change set where the templates and values are as deployed.
    store_secret(&cfn, "333333333333", "eu-west-1");
    let second = cfn.flowform(&dir, &rollout).expect(0);
    untouched(&second, &["acme/us-east-1", "acme/eu-west-1", "globex/us-east-1"]);
    assert!(
        row(&second.stdout, "initech/eu-west-1").contains("created"),
        "{}",
        second.stdout
    );
    second.says("[acme/us-east-1] stack customer-crm: up to date");

    // One customer's value changes: only that customer's stack gets a change set.
    edit(
        &dir.join("rollout/customers.toml"),
        "RecordObject = \"Contact\"",
        "RecordObject = \"Opportunity\"",
    );
    let diff = cfn.flowform(
        &dir,
        &["diff", "vendor_rollout.toml", "--targets", "rollout/customers.toml"],
    );
    let diff = diff.expect(0);
    assert!(
        row(&diff.stdout, "globex/us-east-1").contains("no differences"),
        "templates are equal: {}",
        diff.stdout
    );
    let third = cfn.flowform(&dir, &rollout).expect(0);
    assert!(
        row(&third.stdout, "globex/us-east-1").contains("updated"),
        "{}",
        third.stdout
    );
    untouched(&third, &["acme/us-east-1", "acme/eu-west-1", "initech/eu-west-1"]);
    assert_eq!(exported_object(&cfn, "222222222222", "us-east-1"), "Opportunity");
    assert_eq!(exported_object(&cfn, "111111111111", "us-east-1"), "Account");

    let json = cfn
        .flowform(
            &dir,
            &[
                "diff",
                "vendor_rollout.toml",
                "--targets",
                "rollout/customers.toml",
                "--format",
                "json",
            ],
        )
        .expect(0);
    let document: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(document["changed"], false, "{document}");
    assert_eq!(document["targets"].as_array().unwrap().len(), 4, "{document}");
    assert_eq!(document["targets"][2]["account"], "222222222222");
    assert_eq!(document["targets"][2]["stacks"][0]["status"], "deployed");

    // A template change shows in every deployment's diff.
    edit(
        &dir.join("vendor_rollout.toml"),
        "prefix = \"salesforce\"",
        "prefix = \"crm\"",
    );
    let diff = cfn
        .flowform(
            &dir,
            &[
                "diff",
                "vendor_rollout.toml",
                "--targets",
                "rollout/customers.toml",
                "--target",
                "acme",
            ],
        )
        .expect(1);
    diff.says("== acme/us-east-1 (account 111111111111, region us-east-1)")
        .says("== acme/eu-west-1 (account 111111111111, region eu-west-1)");
    assert!(
        !diff.stdout.contains("globex"),
        "--target acme compares acme only:\n{}",
        diff.stdout
    );

    // Destroy over the same targets.
    let destroyed = cfn
        .flowform(
            &dir,
            &[
                "destroy",
                "vendor_rollout.toml",
                "--targets",
                "rollout/customers.toml",
                "--yes",
            ],
        )
        .expect(0);
    destroyed.says("done: 4 deployments, 4 stacks: 4 deleted");
    assert_eq!(stack_status(&cfn, "111111111111", "eu-west-1", "customer-crm"), None);
    assert_eq!(stack_status(&cfn, "333333333333", "eu-west-1", "customer-crm"), None);
}

#[test]
fn ctrl_c_mid_rollout_starts_no_further_target() {
    let cfn = LocalCfn::start();
    let dir = vendor_dir("interrupted");
    for (account, region) in [
        ("111111111111", "us-east-1"),
        ("111111111111", "eu-west-1"),
        ("222222222222", "us-east-1"),
    ] {
        store_secret(&cfn, account, region);
    }
    // One at a time, so Ctrl-C comes while the first deployment runs.
    edit(
        &dir.join("rollout/customers.toml"),
        "concurrency = 4",
        "concurrency = 1",
    );
    let (code, stderr) = cfn.interrupt_when(
        &dir,
        &[
            "deploy",
            "vendor_rollout.toml",
            "--targets",
            "rollout/customers.toml",
            "--yes",
        ],
        |line| line.contains("stack customer-crm: creating change set"),
        Duration::from_millis(0),
    );
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("== acme/us-east-1"), "{stderr}");
    assert!(
        !stderr.contains("== globex/us-east-1"),
        "no further deployment starts:\n{stderr}"
    );
    assert_eq!(stack_status(&cfn, "222222222222", "us-east-1", "customer-crm"), None);
}

#[test]
fn a_targets_file_with_problems_is_refused_before_any_call() {
    let cfn = LocalCfn::start();
    let dir = vendor_dir("problems");
    edit(
        &dir.join("rollout/customers.toml"),
        "account = \"222222222222\"",
        "account = \"22222222222\"",
    );
    edit(
        &dir.join("rollout/customers.toml"),
        "InstanceUrl = \"https://initech",
        "InstanceURL = \"https://initech",
    );
    let refused = cfn
        .flowform(
            &dir,
            &[
                "deploy",
                "vendor_rollout.toml",
                "--targets",
                "rollout/customers.toml",
                "--yes",
            ],
        )
        .expect(2);
    refused
        .says("flowform::targets::account")
        .says("1 error in rollout/customers.toml");
    edit(
        &dir.join("rollout/customers.toml"),
        "account = \"22222222222\"",
        "account = \"222222222222\"",
    );
    cfn.flowform(
        &dir,
        &[
            "deploy",
            "vendor_rollout.toml",
            "--targets",
            "rollout/customers.toml",
            "--yes",
        ],
    )
    .expect(2)
    .says("flowform::targets::unknown_parameter")
    .says("did you mean `InstanceUrl`?")
    .says("target `initech` gives no value for `InstanceUrl`");
    cfn.flowform(
        &dir,
        &[
            "deploy",
            "vendor_rollout.toml",
            "--targets",
            "rollout/customers.toml",
            "--target",
            "initek",
        ],
    )
    .expect(2)
    .says("`initek` (did you mean `initech`?)");
    // The same checks offline, for CI.
    cfn.flowform(
        &dir,
        &["validate", "vendor_rollout.toml", "--targets", "rollout/customers.toml"],
    )
    .expect(1)
    .says("flowform::targets::unknown_parameter");
    edit(
        &dir.join("rollout/customers.toml"),
        "InstanceURL = \"https://initech",
        "InstanceUrl = \"https://initech",
    );
    cfn.flowform(
        &dir,
        &["validate", "vendor_rollout.toml", "--targets", "rollout/customers.toml"],
    )
    .expect(0)
    .says("rollout/customers.toml valid: 3 targets, 4 deployments");
    // One account's role or bucket, and one stack name, do not fit a rollout.
    let rollout = ["deploy", "vendor_rollout.toml", "--targets", "rollout/customers.toml"];
    cfn.flowform(
        &dir,
        &[&rollout[..], &["--role-arn", "arn:aws:iam::111111111111:role/cfn"]].concat(),
    )
    .expect(2)
    .says("they are not used with --targets");
    cfn.flowform(&dir, &[&rollout[..], &["--stack", "other"]].concat())
        .expect(2)
        .says("cannot be used with");
    // The roles the customers create, offline, each with the stacks' deployer policy.
    let policy = cfn
        .flowform(
            &dir,
            &[
                "policy",
                "vendor_rollout.toml",
                "--targets",
                "rollout/customers.toml",
                "--principal",
                "999999999999",
            ],
        )
        .expect(0);
    let document: serde_json::Value = serde_json::from_str(&policy.stdout).unwrap();
    let roles = document["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 3, "{document}");
    assert_eq!(roles[2]["role"], "arn:aws:iam::333333333333:role/FlowformDeployer");
    assert_eq!(
        roles[2]["trust"]["Statement"][0]["Principal"]["AWS"],
        "arn:aws:iam::999999999999:root"
    );
    assert_eq!(
        roles[2]["permissions"]["Statement"][0]["Resource"][0],
        "arn:aws:cloudformation:eu-west-1:333333333333:stack/customer-crm/*"
    );
    assert_eq!(stack_status(&cfn, "111111111111", "us-east-1", "customer-crm"), None);
}

/// The StackSets requests the endpoint was sent (`tests/support/ministack_stacksets.py`
/// keeps each form), from the `n`th on.
fn stack_set_requests(cfn: &LocalCfn, from: usize) -> Vec<serde_json::Value> {
    let (status, body) = cfn.get("/_stub/stacksets");
    assert_eq!(status, 200, "{body}");
    let all: serde_json::Value = serde_json::from_str(&body).unwrap();
    all["requests"].as_array().unwrap()[from..].to_vec()
}

fn actions(requests: &[serde_json::Value]) -> Vec<&str> {
    requests
        .iter()
        .map(|request| request["Action"].as_str().unwrap())
        .filter(|action| !action.starts_with("Describe") && !action.starts_with("List"))
        .collect()
}

/// StackSets against the local endpoint's StackSets (self-managed, each instance a real
/// stack in its account and region: `tests/support/ministack_stacksets.py`), the
/// requests read back as sent and compared with the API reference's parameter names.
#[test]
fn an_organization_rolls_out_through_stacksets_and_one_value_changed_touches_one_target() {
    let cfn = LocalCfn::start();
    let dir = vendor_dir("stacksets");
    for (account, region) in [
        ("111111111111", "us-east-1"),
        ("111111111111", "eu-west-1"),
        ("222222222222", "us-east-1"),
    ] {
        store_secret(&cfn, account, region);
    }
    let targets = "[rollout]\nengine = \"stacksets\"\nexecution-role-name = \"FlowformExecution\"\npreferences = { max-concurrent = 2, failure-tolerance = 1, region-order = [\"us-east-1\", \"eu-west-1\"] }\n\n[values]\nRecordObject = \"Account\"\n\n[target.acme]\naccount = \"111111111111\"\nregions = [\"us-east-1\", \"eu-west-1\"]\nvalues = { InstanceUrl = \"https://acme.my.salesforce.com\" }\n\n[target.globex]\naccount = \"222222222222\"\nregions = [\"us-east-1\"]\nvalues = { InstanceUrl = \"https://globex.my.salesforce.com\", RecordObject = \"Contact\" }\n\n[target.initech]\naccount = \"333333333333\"\nregions = [\"eu-west-1\"]\nvalues = { InstanceUrl = \"https://initech.my.salesforce.com\" }\n";
    std::fs::write(dir.join("rollout/org.toml"), targets).unwrap();
    let rollout = [
        "deploy",
        "vendor_rollout.toml",
        "--targets",
        "rollout/org.toml",
        "--yes",
    ];

    // initech has not stored its secret: its instance fails, the others are created.
    let first = cfn.flowform(&dir, &rollout).expect(1);
    first
        .says("stack set customer-crm: created (self-managed permissions)")
        .says("111111111111 eu-west-1: SUCCEEDED")
        .says("333333333333 eu-west-1: FAILED");
    for label in ["acme/us-east-1", "acme/eu-west-1", "globex/us-east-1"] {
        assert!(row(&first.stdout, label).contains("created"), "{}", first.stdout);
    }
    assert!(
        row(&first.stdout, "initech/eu-west-1").contains("FAILED"),
        "{}",
        first.stdout
    );
    assert_eq!(
        stack_status(&cfn, "111111111111", "eu-west-1", "customer-crm").as_deref(),
        Some("CREATE_COMPLETE")
    );
    assert_eq!(exported_object(&cfn, "222222222222", "us-east-1"), "Contact");

    let sent = stack_set_requests(&cfn, 0);
    let create = sent.iter().find(|r| r["Action"] == "CreateStackSet").unwrap();
    assert_eq!(create["PermissionModel"], "SELF_MANAGED");
    assert_eq!(create["ExecutionRoleName"], "FlowformExecution");
    assert_eq!(create["ManagedExecution.Active"], "true");
    let instances: Vec<&serde_json::Value> = sent.iter().filter(|r| r["Action"] == "CreateStackInstances").collect();
    assert_eq!(instances.len(), 3, "one per target: {instances:?}");
    assert_eq!(instances[0]["Accounts.member.1"], "111111111111");
    assert_eq!(instances[0]["Regions.member.1"], "us-east-1");
    assert_eq!(instances[0]["Regions.member.2"], "eu-west-1");
    assert_eq!(instances[0]["OperationPreferences.MaxConcurrentCount"], "2");
    assert_eq!(instances[0]["OperationPreferences.FailureToleranceCount"], "1");
    assert_eq!(instances[0]["OperationPreferences.RegionOrder.member.1"], "us-east-1");
    assert!(
        instances[0]["OperationId"]
            .as_str()
            .unwrap()
            .starts_with("flowform-create-")
    );
    let overrides: Vec<(&str, &str)> = (1..=2)
        .map(|n| {
            (
                instances[1][format!("ParameterOverrides.member.{n}.ParameterKey")]
                    .as_str()
                    .unwrap(),
                instances[1][format!("ParameterOverrides.member.{n}.ParameterValue")]
                    .as_str()
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(
        overrides,
        [
            ("InstanceUrl", "https://globex.my.salesforce.com"),
            ("RecordObject", "Contact")
        ]
    );

    // initech stores its secret; one customer's value changes: one operation each.
    store_secret(&cfn, "333333333333", "eu-west-1");
    edit(
        &dir.join("rollout/org.toml"),
        "RecordObject = \"Contact\"",
        "RecordObject = \"Opportunity\"",
    );
    let before = stack_set_requests(&cfn, 0).len();
    let second = cfn.flowform(&dir, &rollout).expect(0);
    second.says("stack set customer-crm: template, parameters and settings as deployed");
    let changed = stack_set_requests(&cfn, before);
    assert_eq!(
        actions(&changed),
        ["UpdateStackInstances", "UpdateStackInstances"],
        "{changed:?}"
    );
    let accounts: Vec<&str> = changed
        .iter()
        .filter(|r| r["Action"] == "UpdateStackInstances")
        .map(|r| r["Accounts.member.1"].as_str().unwrap())
        .collect();
    assert_eq!(
        accounts,
        ["222222222222", "333333333333"],
        "globex's new value, initech's failed instance"
    );
    assert!(
        row(&second.stdout, "acme/us-east-1").contains("unchanged"),
        "{}",
        second.stdout
    );
    assert!(
        row(&second.stdout, "globex/us-east-1").contains("updated"),
        "{}",
        second.stdout
    );
    assert_eq!(exported_object(&cfn, "222222222222", "us-east-1"), "Opportunity");

    let destroyed = cfn
        .flowform(
            &dir,
            &[
                "destroy",
                "vendor_rollout.toml",
                "--targets",
                "rollout/org.toml",
                "--yes",
            ],
        )
        .expect(0);
    destroyed.says("stack set customer-crm: deleted");
    assert_eq!(stack_status(&cfn, "111111111111", "us-east-1", "customer-crm"), None);
    assert_eq!(stack_status(&cfn, "333333333333", "eu-west-1", "customer-crm"), None);
}
