//! The TOML examples in `examples/*.toml`: each compiles, matches its golden
//! `snapshots/<name>.json` (`SNAPSHOTS=overwrite cargo test` updates), conforms to the
//! official schemas, and, for the four core scenarios, gives byte-for-byte the template
//! the Rust API gives.

use crate::support;

use crate::s3_to_salesforce_upsert;
use crate::salesforce_events_to_eventbridge;
use crate::salesforce_to_s3_hourly;
use crate::salesforce_to_s3_on_demand;

use flowform::model::Stack;

fn compile_toml(name: &str) -> flowform::Synthesized {
    let path = support::root().join("examples").join(format!("{name}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    flowform::compile_source(&format!("examples/{name}.toml"), &text, &support::options()).unwrap_or_else(|report| {
        let rendered: Vec<String> = report.diagnostics.iter().map(|d| d.one_line()).collect();
        panic!("{name}.toml does not compile:\n{}", rendered.join("\n"))
    })
}

fn same_as_rust(name: &str, stack: Stack) {
    let from_toml = compile_toml(name).templates.remove(0).template;
    let from_rust = flowform::compile(stack, &support::options()).unwrap().template;
    assert_eq!(
        from_toml.to_json(),
        from_rust.to_json(),
        "{name}: TOML and Rust API differ"
    );
    support::assert_golden(name, "json", &from_toml.to_json());
}

#[test]
fn toml_and_rust_api_give_identical_templates() {
    same_as_rust("salesforce_to_s3_hourly", salesforce_to_s3_hourly::stack());
    same_as_rust("salesforce_to_s3_on_demand", salesforce_to_s3_on_demand::stack());
    same_as_rust("s3_to_salesforce_upsert", s3_to_salesforce_upsert::stack());
    same_as_rust(
        "salesforce_events_to_eventbridge",
        salesforce_events_to_eventbridge::stack(),
    );
    same_as_rust("zendesk_support", crate::zendesk_support::stack());
    same_as_rust("marketo_leads", crate::marketo_leads::stack());
    same_as_rust("observability_to_s3", crate::observability_to_s3::stack());
    same_as_rust("monitored_flows", crate::monitored_flows::stack());
    same_as_rust("salesforce_to_redshift", crate::salesforce_to_redshift::stack());
    same_as_rust("customer_profiles_contacts", crate::customer_profiles_contacts::stack());
    same_as_rust("hubspot_companies", crate::hubspot_companies::stack());
    same_as_rust(
        "custom_connector_registered",
        crate::custom_connector_registered::stack(),
    );
}

#[test]
fn every_toml_example_compiles_to_its_golden() {
    let schemas = support::Schemas::load();
    let mut names = Vec::new();
    for entry in std::fs::read_dir(support::root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            names.push(path.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    names.sort();
    assert!(names.len() >= 9, "expected the nine TOML examples, found {names:?}");
    for name in names {
        let synthesized = compile_toml(&name);
        let template = &synthesized.templates[0].template;
        support::assert_conforms(&schemas, &template.to_json_value());
        support::assert_golden(&name, "json", &template.to_json());
    }
}

/// `validate --deny-warnings` of `text` (a flow file) in a scratch directory: exit code
/// and stderr.
fn deny_warnings(name: &str, text: &str) -> (Option<i32>, String) {
    let dir = support::root().join(format!("target/acknowledge-tests/{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("flows.toml"), text).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_flowform"))
        .args(["validate", "--deny-warnings", "--color", "never", "flows.toml"])
        .current_dir(&dir)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn acknowledged_warnings_let_deny_warnings_pass_and_a_stale_one_is_a_warning() {
    let text = std::fs::read_to_string(support::root().join("examples/imported_resources.toml")).unwrap();
    let (code, stderr) = deny_warnings("none", &text);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("0 errors, 4 warnings (warnings denied)"), "{stderr}");

    let acknowledged = |acks: &str| text.replacen("\n[key.shared]", &format!("\n{acks}\n[key.shared]"), 1);
    let all = "[[stack.acknowledge]]\nwarning = \"permissions::manual_policy\"\nreason = \"the landing zone's stack grants AppFlow on these\"\n";
    let (code, stderr) = deny_warnings("all", &acknowledged(all));
    assert_eq!(code, Some(0), "{stderr}");

    // One item only: the other three stay.
    let one = "[[stack.acknowledge]]\nwarning = \"flowform::permissions::manual_policy\"\nat = \"bucket.landing\"\nreason = \"managed by the landing zone\"\n";
    let (code, stderr) = deny_warnings("one", &acknowledged(one));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("0 errors, 3 warnings"), "{stderr}");
    assert!(!stderr.contains("bucket `landing` is imported"), "{stderr}");

    // An acknowledgement that matches nothing is a warning at its place.
    let stale = format!(
        "{all}\n[[stack.acknowledge]]\nwarning = \"filter::no_date_range\"\nat = \"flow.leads\"\nreason = \"old\"\n"
    );
    let (code, stderr) = deny_warnings("stale", &acknowledged(&stale));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("the acknowledgement of `flowform::filter::no_date_range` at flow.leads matches no warning"),
        "{stderr}"
    );
    assert!(stderr.contains("0 errors, 1 warning"), "{stderr}");
}

#[test]
fn imported_resources_warn_once_each_with_the_statement() {
    let warnings = compile_toml("imported_resources").warnings;
    let codes: Vec<&str> = warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(
        codes
            .iter()
            .filter(|c| **c == "flowform::permissions::manual_policy")
            .count(),
        4,
        "{codes:?}"
    );
    assert_eq!(codes.len(), 4, "only the manual policies: {codes:?}");
    let landing = warnings
        .iter()
        .find(|w| w.message.contains("bucket `landing`"))
        .unwrap();
    let help = landing.help.as_deref().unwrap();
    assert!(
        help.contains("\"arn:aws:s3:::acme-landing/*\"")
            && help.contains("s3:GetObject")
            && help.contains("s3:PutObject"),
        "{help}"
    );
    assert_eq!(
        landing.line_column(),
        Some((12, 9)),
        "points at the [bucket.landing] header"
    );
}

#[test]
fn yaml_output_keeps_yaml_1_1_lookalikes_as_strings() {
    let synthesized = compile_toml("masking_and_validation");
    let yaml = flowform::emit(&synthesized.templates[0].template, flowform::Format::Yaml);
    for hazard in [
        "Value: \"yes\"",
        "Value: \"on\"",
        "Value: \"No\"",
        "Value: \"2024-01-01\"",
    ] {
        assert!(yaml.contains(hazard), "{hazard} not quoted in:\n{yaml}");
    }
    support::assert_golden("masking_and_validation", "yaml", &yaml);
}

fn policy_options() -> flowform::policy::PolicyOptions {
    flowform::policy::PolicyOptions {
        account: "123456789012".into(),
        region: "eu-west-1".into(),
        ..flowform::policy::PolicyOptions::default()
    }
}

/// The deploying identity's policy of every example matches its golden
/// (`snapshots/policies/<name>.json`), and has, for each resource type its templates
/// hold, the statement that type's handlers need.
#[test]
fn every_toml_example_has_its_deployer_policy() {
    let needs: [(&str, &str); 22] = [
        ("AWS::AppFlow::Flow", "AppFlowFlows"),
        ("AWS::AppFlow::ConnectorProfile", "AppFlowConnectorProfiles"),
        ("AWS::S3::Bucket", "Buckets"),
        ("AWS::KMS::Key", "Keys"),
        ("AWS::SecretsManager::Secret", "Secrets"),
        ("AWS::IAM::Role", "StackRoles"),
        ("AWS::Glue::Database", "GlueDatabases"),
        ("AWS::Events::EventBus", "PartnerEventBuses"),
        ("AWS::S3::BucketPolicy", "Buckets"),
        ("AWS::SecretsManager::ResourcePolicy", "Secrets"),
        ("AWS::CustomerProfiles::Domain", "CustomerProfilesDomains"),
        ("AWS::CustomerProfiles::Integration", "CustomerProfilesDomains"),
        ("AWS::CustomerProfiles::ObjectType", "CustomerProfilesDomains"),
        ("AWS::AppFlow::Connector", "NoResourceLevelPermissions"),
        ("AWS::Lambda::Permission", "ConnectorFunctions"),
        ("AWS::Lambda::Function", "ConnectorFunctions"),
        ("AWS::Events::Rule", "NotificationRules"),
        ("AWS::SNS::Topic", "NotificationTopics"),
        ("AWS::SNS::TopicPolicy", "NotificationTopics"),
        ("AWS::SQS::Queue", "NotificationQueues"),
        ("AWS::SQS::QueuePolicy", "NotificationQueues"),
        ("AWS::CloudWatch::Alarm", "FlowAlarms"),
    ];
    let action = regex::Regex::new(r"^[a-z0-9-]+:[A-Z][A-Za-z]+$").unwrap();
    for entry in std::fs::read_dir(support::root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let synthesized = compile_toml(&name);
        let policy = flowform::policy::deployer_policy(&synthesized.templates, &policy_options());
        let text = format!("{}\n", serde_json::to_string_pretty(&policy.document).unwrap());
        support::assert_golden(&format!("policies/{name}"), "json", &text);
        let statements = policy.document["Statement"].as_array().unwrap();
        let sids: Vec<&str> = statements.iter().map(|s| s["Sid"].as_str().unwrap()).collect();
        for statement in statements {
            assert_eq!(statement["Effect"], "Allow");
            assert!(
                !statement["Resource"].as_array().unwrap().is_empty(),
                "{name}: {statement}"
            );
            for a in statement["Action"].as_array().unwrap() {
                assert!(action.is_match(a.as_str().unwrap()), "{name}: {a} is not an IAM action");
            }
        }
        for template in &synthesized.templates {
            let stack_arn = format!(
                "arn:aws:cloudformation:eu-west-1:123456789012:stack/{}/*",
                template.stack
            );
            assert!(text.contains(&stack_arn), "{name}: no statement for {stack_arn}");
            for resource in template.template.resources.values() {
                let type_name = resource.properties.type_name();
                let (_, sid) = needs.iter().find(|(t, _)| *t == type_name).unwrap();
                assert!(
                    sids.contains(sid),
                    "{name}: {type_name} needs the {sid} statement: {sids:?}"
                );
            }
        }
    }
}

/// `flowform policy` prints the same document, and with `--role-arn` only what the
/// deployer needs besides the role.
#[test]
fn the_policy_command_prints_the_document() {
    let run = |extra: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_flowform"))
            .current_dir(support::root())
            .args(["policy", "examples/salesforce_events_to_eventbridge.toml"])
            .args(["--account", "123456789012", "--region", "eu-west-1"])
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        (
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (stdout, _) = run(&[]);
    let golden =
        std::fs::read_to_string(support::root().join("snapshots/policies/salesforce_events_to_eventbridge.json"))
            .unwrap();
    assert_eq!(stdout, golden);
    let role = "arn:aws:iam::123456789012:role/cfn-deployer";
    let (stdout, stderr) = run(&["--role-arn", role]);
    let document: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let sids: Vec<&str> = document["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Sid"].as_str().unwrap())
        .collect();
    assert_eq!(
        sids,
        [
            "CloudFormationStacks",
            "CloudFormationValidationFindings",
            "PassDeployRole"
        ]
    );
    assert!(stderr.contains(role), "{stderr}");
    // An operator's policy: the flows' run and status calls, on exactly its flows.
    let (stdout, _) = run(&["--operator"]);
    let document: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(document["Statement"].as_array().unwrap().len(), 2, "{document}");
    assert_eq!(
        document["Statement"][1]["Action"],
        serde_json::json!(["appflow:ListFlows"])
    );
    let statement = &document["Statement"][0];
    assert_eq!(statement["Sid"], "OperateFlows");
    assert_eq!(
        statement["Action"],
        serde_json::json!([
            "appflow:DescribeFlow",
            "appflow:DescribeFlowExecutionRecords",
            "appflow:StartFlow",
            "appflow:StopFlow"
        ])
    );
    let resources = statement["Resource"].as_array().unwrap();
    assert!(!resources.is_empty());
    for resource in resources {
        assert!(
            resource
                .as_str()
                .unwrap()
                .starts_with("arn:aws:appflow:eu-west-1:123456789012:flow/"),
            "{resource}"
        );
    }
}

#[test]
fn validate_prints_every_diagnostic_as_json_for_programs() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_flowform"))
        .args([
            "validate",
            "--format",
            "json",
            "tests/ui/declared_parameters_misuse.toml",
        ])
        .current_dir(support::root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "flowform::parameter::default_rejected",
            "flowform::parameter::credential_default",
            "flowform::parameter::lengths",
            "flowform::model::invalid_name"
        ]
    );
    assert_eq!(found[0]["severity"], "error");
    assert_eq!(
        (found[0]["line"].as_u64(), found[0]["column"].as_u64()),
        (Some(9), Some(11))
    );
    assert!(found[0]["help"].as_str().is_some_and(|help| !help.is_empty()));
    assert_eq!(found[0]["file"], "tests/ui/declared_parameters_misuse.toml");
}

#[test]
fn completion_scripts_cover_every_command_and_option() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_flowform"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        for word in [
            "deploy",
            "destroy",
            "parameters",
            "change-set",
            "termination-protection",
        ] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
}
