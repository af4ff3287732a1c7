//! Stack splitting: every template within CloudFormation's quotas, every import matched
//! by an export, and, the hard requirement, flows never moving between stacks when other
//! flows are added or removed across runs.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};

use flowform::model::*;
use flowform::split::{Lock, MAX_OUTPUTS, MAX_PARAMETERS, MAX_RESOURCES, MAX_TEMPLATE_BYTES, Split};
use proptest::prelude::*;

/// A stack with the named flows (Salesforce → S3 with a few tasks), `fields` mapped
/// fields each, and scheduled start times so every flow also adds a parameter.
fn stack(names: &[String], fields: usize) -> Stack {
    let mut stack = Stack::new("crm");
    let lake = stack.add_bucket(Bucket::owned("lake"));
    let key = stack.add_key(Key::owned("lake"));
    let sf = stack.add_profile(
        SalesforceConnectorProfile::new("sf", "https://acme.my.salesforce.com")
            .access_token(Credential::parameter("SfToken")),
    );
    for name in names {
        let mut flow = OnScheduleFlow::new(
            name.clone(),
            Schedule::rate(1, RateUnit::Hours),
            SalesforceSource::new(&sf, "Account"),
            S3Destination::new(&lake).prefix(name.clone()),
        )
        .start_time("2030-01-01T00:00:00Z".parse().unwrap())
        .encryption_key(&key)
        .transform(Transform::mask_last("Phone", 4))
        .validation(Validation::not_null("Id"));
        flow = flow.mapping(Mapping::field("Phone")).mapping(Mapping::field("Id"));
        for field in 0..fields {
            flow = flow.mapping(Mapping::map(
                Field::typed(format!("Custom_{field}__c"), "string"),
                Field::typed(format!("custom_{field}"), "string"),
            ));
        }
        stack.add_flow(flow);
    }
    stack
}

fn split(names: &[String], fields: usize, lock: &Lock) -> Split {
    flowform::compile_split(stack(names, fields), &support::options(), lock)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .0
}

fn names(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("flow-{i:04}")).collect()
}

/// Checks the quotas of every template.
fn check_quotas(split: &Split) {
    for part in &split.templates {
        let template = &part.template;
        assert!(
            template.resources.len() <= MAX_RESOURCES,
            "{}: {} resources",
            part.stack,
            template.resources.len()
        );
        assert!(
            template.outputs.len() <= MAX_OUTPUTS,
            "{}: {} outputs",
            part.stack,
            template.outputs.len()
        );
        assert!(
            template.parameters.len() <= MAX_PARAMETERS,
            "{}: {} parameters",
            part.stack,
            template.parameters.len()
        );
        let bytes = template.to_json().len();
        assert!(bytes <= MAX_TEMPLATE_BYTES, "{}: {bytes} bytes", part.stack);
    }
}

/// Checks quotas, schema conformance and that every import has its export.
fn check_templates(split: &Split) {
    check_quotas(split);
    let schemas = support::Schemas::load();
    let main = &split.templates[0];
    let exports: BTreeSet<String> = main
        .template
        .outputs
        .values()
        .filter_map(|o| o.export.as_ref().map(|e| e.name.clone()))
        .collect();
    for part in &split.templates {
        let template = &part.template;
        let value = template.to_json_value();
        support::assert_conforms(&schemas, &value);
        let text = value.to_string();
        let imports: Vec<&str> = text
            .split("{\"Fn::ImportValue\":\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap())
            .collect();
        for import in imports {
            assert!(
                exports.contains(import),
                "{} imports {import}, which the main stack does not export",
                part.stack
            );
        }
        if part.stack != main.stack {
            for (id, resource) in &value["Resources"].as_object().unwrap().clone() {
                for dependency in resource["DependsOn"].as_array().into_iter().flatten() {
                    assert!(
                        template.resources.contains_key(dependency.as_str().unwrap()),
                        "{id} depends on a resource of another stack"
                    );
                }
            }
            let refs: Vec<&str> = text
                .split("{\"Ref\":\"")
                .skip(1)
                .map(|rest| rest.split('"').next().unwrap())
                .collect();
            for reference in refs {
                assert!(
                    reference.starts_with("AWS::")
                        || template.resources.contains_key(reference)
                        || template.parameters.contains_key(reference),
                    "{} refers to {reference} outside itself",
                    part.stack
                );
            }
        }
    }
    let placed: usize = split.templates.iter().map(|t| t.flows.len()).sum();
    assert_eq!(placed, split.lock.flows().len());
}

#[test]
fn a_stack_that_fits_stays_whole_and_is_locked_to_its_name() {
    let split = split(&names(0..20), 0, &Lock::default());
    assert_eq!(split.templates.len(), 1);
    assert_eq!(split.templates[0].stack, "crm");
    assert!(split.lock.flows().values().all(|s| s == "crm"));
    assert!(
        split.templates[0].template.outputs.values().all(|o| o.export.is_none()),
        "no exports without flow stacks"
    );
}

#[test]
fn many_flows_split_within_quotas_with_imports_of_shared_resources() {
    let split = split(&names(0..250), 0, &Lock::default());
    let stacks: Vec<&str> = split.templates.iter().map(|t| t.stack.as_str()).collect();
    assert_eq!(stacks, ["crm", "crm-flows-1", "crm-flows-2"]);
    check_templates(&split);
    let flow_stack = split.templates[1].template.to_json_value();
    let flow = flow_stack["Resources"].as_object().unwrap().values().next().unwrap();
    let properties = &flow["Properties"];
    assert_eq!(
        properties["KMSArn"],
        serde_json::json!({"Fn::ImportValue": "crm:LakeKey:Arn"})
    );
    assert_eq!(
        properties["SourceFlowConfig"]["ConnectorProfileName"],
        serde_json::json!({"Fn::ImportValue": "crm:SfProfile"})
    );
    assert!(
        flow.get("DependsOn").is_none(),
        "the bucket policy lives in the main stack, deployed first"
    );
    let main = split.templates[0].template.to_json_value();
    assert_eq!(main["Outputs"]["ExportLakeBucket"]["Export"]["Name"], "crm:LakeBucket");
    assert!(
        main["Resources"]["LakeBucketPolicy"].is_object(),
        "shared resources stay in the main stack"
    );
}

#[test]
fn each_flow_takes_its_own_glue_role_and_leaves_the_shared_database_in_the_main_stack() {
    let mut stack = Stack::new("lake");
    let raw = stack.add_bucket(Bucket::owned("raw"));
    let curated = stack.add_bucket(Bucket::owned("curated"));
    for name in names(0..240) {
        let catalog = GlueCatalog::new(
            GlueDatabase::Created("curated".into()),
            format!("{}_", name.replace('-', "_")),
        );
        stack.add_flow(
            OnDemandFlow::new(
                name.clone(),
                S3Source::new(&raw, name.clone()),
                S3Destination::new(&curated).prefix(name.clone()).catalog(catalog),
            )
            .mapping(Mapping::map_all()),
        );
    }
    let (split, _) = flowform::compile_split(stack, &support::options(), &Lock::default())
        .unwrap_or_else(|e| panic!("{:?}", e.errors.first()));
    assert!(
        split.templates.len() > 2,
        "240 flows with a role each need several stacks"
    );
    check_templates(&split);
    let database = names::glue_database_id("curated");
    for part in &split.templates {
        let template = &part.template;
        assert_eq!(
            template.resources.contains_key(&database),
            part.stack == "lake",
            "{}: the database is shared",
            part.stack
        );
        let roles = template.resources.keys().filter(|id| id.ends_with("GlueRole")).count();
        assert_eq!(roles, part.flows.len(), "{}: one role per flow", part.stack);
        for flow in &part.flows {
            assert!(
                template.resources.contains_key(&names::flow_id(flow)),
                "{}: {flow}",
                part.stack
            );
            assert!(
                template.resources.contains_key(&names::glue_role_id(flow)),
                "{}: the role of {flow} stays with it",
                part.stack
            );
        }
    }
}

#[test]
fn big_flows_split_by_template_size() {
    let split = split(&names(0..60), 300, &Lock::default());
    assert!(split.templates.len() > 1, "60 flows of 300 mappings exceed 1 MB");
    check_templates(&split);
}

#[test]
fn a_lock_file_round_trips() {
    let split = split(&names(0..150), 0, &Lock::default());
    let text = split.lock.to_toml();
    assert!(text.starts_with("# flowform lock file"));
    assert_eq!(Lock::parse(&text).unwrap(), split.lock);
    assert!(Lock::parse("version = 2\n").unwrap_err().contains("version 2"));
    assert!(Lock::parse("version = 1\nflows = 3\n").is_err());
}

#[test]
fn an_emptied_stack_is_dropped_and_its_number_not_reused() {
    let all = names(0..250);
    let first = split(&all, 0, &Lock::default());
    let emptied: BTreeSet<String> = first.templates[1].flows.iter().cloned().collect();
    let remaining: Vec<String> = all.iter().filter(|n| !emptied.contains(*n)).cloned().collect();
    let second = split(&remaining, 0, &first.lock);
    let stacks: Vec<&str> = second.templates.iter().map(|t| t.stack.as_str()).collect();
    assert_eq!(stacks, ["crm", "crm-flows-2"]);
    let mut grown = remaining.clone();
    grown.extend(names(1000..1150));
    let third = split(&grown, 0, &second.lock);
    assert!(
        third.templates.iter().all(|t| t.stack != "crm-flows-1"),
        "the number of a dropped stack is not reused"
    );
    check_templates(&third);
}

#[test]
fn an_environment_reads_and_writes_the_lock_of_the_declared_stack() {
    let lock = Lock::parse(
        "version = 1\n[flows]\nflow-0000 = \"crm\"\nflow-0001 = \"crm-flows-2\"\nflow-0002 = \"crm-flows-5\"\n",
    )
    .unwrap();
    let options = flowform::CompileOptions {
        stack_name: Some("crm-dev".into()),
        ..support::options()
    };
    let (split, _) = flowform::compile_split(stack(&names(0..2), 0), &options, &lock).unwrap();
    let stacks: Vec<&str> = split.templates.iter().map(|t| t.stack.as_str()).collect();
    assert_eq!(stacks, ["crm-dev", "crm-dev-flows-2"]);
    assert_eq!(
        split.lock.stack_of("flow-0001"),
        Some("crm-flows-2"),
        "the lock keeps declared names"
    );
    assert_eq!(split.lock.stack_of("flow-0000"), Some("crm"));
    assert_eq!(split.emptied, ["crm-dev-flows-5"], "named as deployed");
    // Without the environment, the same lock gives the declared names.
    let (declared, _) = flowform::compile_split(stack(&names(0..2), 0), &support::options(), &lock).unwrap();
    assert_eq!(declared.lock, split.lock);
    assert_eq!(declared.emptied, ["crm-flows-5"]);
}

#[test]
fn a_lock_naming_another_stack_is_an_error() {
    let lock = Lock::parse("version = 1\n[flows]\nflow-0001 = \"billing-flows-1\"\n").unwrap();
    let errors = flowform::compile_split(stack(&names(0..3), 0), &support::options(), &lock)
        .unwrap_err()
        .errors;
    assert_eq!(
        miette::Diagnostic::code(&errors[0]).unwrap().to_string(),
        "flowform::split::foreign_stack"
    );
}

#[test]
fn a_lock_naming_a_flow_stack_number_flowform_never_writes_is_an_error() {
    // The first overflowed the next stack number and dropped flows from every template
    // (exit 0); the others were read as `crm-flows-3` and rewritten.
    for stack_name in [
        "crm-flows-18446744073709551615",
        "crm-flows-2001",
        "crm-flows-+3",
        "crm-flows-03",
        "crm-flows-0",
        "crm-flows-",
    ] {
        let text = format!("version = 1\n[flows]\nflow-0001 = \"{stack_name}\"\n");
        let lock = Lock::parse(&text).unwrap();
        let errors = flowform::compile_split(stack(&names(0..250), 0), &support::options(), &lock)
            .unwrap_err()
            .errors;
        let codes: Vec<String> = errors
            .iter()
            .map(|e| miette::Diagnostic::code(e).unwrap().to_string())
            .collect();
        assert_eq!(codes, ["flowform::split::locked_stack_number"], "{stack_name}");
    }
    // The highest number flowform writes is read, and the next stack is not past it.
    let lock = Lock::parse("version = 1\n[flows]\nflow-0001 = \"crm-flows-2000\"\n").unwrap();
    let errors = flowform::compile_split(stack(&names(0..250), 0), &support::options(), &lock)
        .unwrap_err()
        .errors;
    let codes: Vec<String> = errors
        .iter()
        .map(|e| miette::Diagnostic::code(e).unwrap().to_string())
        .collect();
    assert_eq!(codes, ["flowform::split::too_many_stacks"]);
}

#[test]
fn every_flow_lands_in_exactly_one_template() {
    let names = names(0..250);
    let lock = Lock::parse("version = 1\n[flows]\nflow-0001 = \"crm-flows-7\"\n").unwrap();
    let split = split(&names, 0, &lock);
    let mut placed: Vec<&str> = split
        .templates
        .iter()
        .flat_map(|t| t.flows.iter().map(String::as_str))
        .collect();
    placed.sort_unstable();
    let expected: Vec<&str> = names.iter().map(String::as_str).collect();
    assert_eq!(placed, expected);
    // The locked flow stays where the lock says (new flows may fill that stack too).
    let seventh = split.templates.iter().find(|t| t.stack == "crm-flows-7").unwrap();
    assert!(seventh.flows.iter().any(|flow| flow == "flow-0001"));
}

/// A lock entry's stack name: ones flowform writes, ones it never writes, and garbage.
fn locked_stack() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("crm".to_owned()),
        4 => (1u64..=12).prop_map(|n| format!("crm-flows-{n}")),
        2 => (1u64..=2000).prop_map(|n| format!("crm-flows-{n}")),
        1 => any::<u64>().prop_map(|n| format!("crm-flows-{n}")),
        1 => "(crm|other)?-?(flows)?-?[+0-9]{0,22}",
        1 => "\\PC{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Issue 15's loss class: whatever the lock says, synth either refuses or places
    /// every flow of the input in exactly one template, as a flow resource of that
    /// template, and locks it there; nothing is dropped with exit 0.
    #[test]
    fn every_flow_appears_in_exactly_one_template_or_the_run_fails(
        count in 1usize..300,
        entries in prop::collection::vec((any::<prop::sample::Index>(), locked_stack()), 0..6),
        strangers in prop::collection::vec(locked_stack(), 0..3),
    ) {
        let names = names(0..count);
        let mut text = String::from("version = 1\n[flows]\n");
        for (flow, stack) in &entries {
            text.push_str(&format!("{} = {:?}\n", names[flow.index(count)], stack));
        }
        for (n, stack) in strangers.iter().enumerate() {
            text.push_str(&format!("gone-{n} = {stack:?}\n"));
        }
        let Ok(lock) = Lock::parse(&text) else { return Ok(()) };
        let Ok((split, _)) = flowform::compile_split(stack(&names, 0), &support::options(), &lock) else {
            return Ok(());
        };
        let mut placed: BTreeMap<String, usize> = BTreeMap::new();
        for part in &split.templates {
            let value = part.template.to_json_value();
            let resources = value["Resources"].as_object().unwrap();
            let flow_names: Vec<&str> = resources
                .values()
                .filter(|r| r["Type"] == "AWS::AppFlow::Flow")
                // AppFlow's flow name is the stack's name, a dash and the flow's.
                .map(|r| r["Properties"]["FlowName"].as_str().unwrap().strip_prefix("crm-").unwrap())
                .collect();
            prop_assert_eq!(flow_names.len(), part.flows.len(), "{} lists flows it lacks", &part.stack);
            for flow in flow_names {
                *placed.entry(flow.to_owned()).or_default() += 1;
                prop_assert_eq!(split.lock.stack_of(flow), Some(part.stack.as_str()), "{} locked elsewhere", flow);
            }
        }
        prop_assert!(placed.values().all(|&n| n == 1), "a flow in two templates: {:?}", placed);
        let expected: BTreeSet<&str> = names.iter().map(String::as_str).collect();
        prop_assert_eq!(placed.keys().map(String::as_str).collect::<BTreeSet<_>>(), expected);
        // The new lock holds exactly the flows of the input.
        prop_assert_eq!(split.lock.flows().len(), count);
    }
}

#[derive(Debug, Clone)]
enum Change {
    /// Remove the flow at this position (modulo the count).
    Remove(usize),
    /// Insert a new flow at this position (modulo the count).
    Add(usize),
}

fn changes() -> impl Strategy<Value = Vec<Change>> {
    prop::collection::vec(
        prop_oneof![
            any::<usize>().prop_map(Change::Remove),
            any::<usize>().prop_map(Change::Add)
        ],
        0..120,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Runs synth several times, feeding each run's lock to the next, with flows removed
    /// and new flows inserted anywhere in the file between runs.
    #[test]
    fn flows_never_move_when_others_are_added_or_removed(start in 1usize..320, rounds in prop::collection::vec(changes(), 1..4)) {
        let mut current = names(0..start);
        let mut lock = Lock::default();
        let mut placed: BTreeMap<String, String> = BTreeMap::new();
        let mut fresh = 10_000;
        for round in rounds {
            for change in round {
                match change {
                    Change::Remove(at) if !current.is_empty() => {
                        let at = at % current.len();
                        current.remove(at);
                    }
                    Change::Remove(_) => {}
                    Change::Add(at) => {
                        let at = at % (current.len() + 1);
                        current.insert(at, format!("flow-{fresh}"));
                        fresh += 1;
                    }
                }
            }
            let result = split(&current, 0, &lock);
            check_quotas(&result);
            for (flow, stack) in result.lock.flows() {
                if let Some(before) = placed.get(flow) {
                    prop_assert_eq!(before, stack, "flow {} moved", flow);
                }
            }
            placed.retain(|flow, _| current.contains(flow));
            placed.extend(result.lock.flows().iter().map(|(f, s)| (f.clone(), s.clone())));
            lock = result.lock;
        }
    }
}

/// A flow file with flows `flow-<first>` .. `flow-<first + count - 1>` (no tasks).
fn flow_file(first: usize, count: usize) -> String {
    let mut text = String::from(
        "[stack]\nname = \"crm\"\n\n[bucket.lake]\n\n[profile.sf.salesforce]\n\
         instance-url = \"https://acme.my.salesforce.com\"\noauth.jwt = { parameter = \"SfJwt\" }\n",
    );
    for n in first..first + count {
        text.push_str(&format!(
            "\n[flow.flow-{n:03}]\nsource.salesforce = {{ profile = \"sf\", object = \"Account\" }}\n\
             destination.s3 = {{ bucket = \"lake\", prefix = \"p{n}\" }}\nmap-all = {{}}\n"
        ));
    }
    text
}

#[test]
fn synth_names_the_stacks_whose_flows_were_all_removed() {
    let dir = std::env::temp_dir().join(format!("flowform-emptied-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let synth = |dir: &std::path::Path| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_flowform"))
            .args(["synth", "--color", "never", "flows.toml", "-o", "out"])
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stderr).unwrap()
    };
    std::fs::write(dir.join("flows.toml"), flow_file(0, 150)).unwrap();
    let first = synth(&dir);
    assert!(first.contains("split into 2 stacks"), "{first}");
    assert!(!first.contains("no flows any more"), "{first}");
    // Only the flows of the main stack remain.
    let lock = Lock::parse(&std::fs::read_to_string(dir.join("flows.lock")).unwrap()).unwrap();
    let main_count = lock.flows().values().filter(|stack| *stack == "crm").count();
    std::fs::write(dir.join("flows.toml"), flow_file(0, main_count)).unwrap();
    let second = synth(&dir);
    assert!(
        second.contains(
            "note: stack `crm-flows-1` has no flows any more, so no template is written for it; `flowform deploy` deletes it if it was deployed (or `flowform destroy crm-flows-1`)"
        ),
        "{second}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn synth_leaves_unchanged_templates_alone_and_rewrites_changed_ones() {
    let dir = std::env::temp_dir().join(format!("flowform-unchanged-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let synth = || {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_flowform"))
            .args(["synth", "--color", "never", "flows.toml", "-o", "out"])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stderr).unwrap()
    };
    let modified = |name: &str| {
        std::fs::metadata(dir.join("out").join(name))
            .unwrap()
            .modified()
            .unwrap()
    };
    std::fs::write(dir.join("flows.toml"), flow_file(0, 150)).unwrap();
    let first = synth();
    assert!(first.contains("wrote out/crm.template.json") && first.contains("wrote out/crm-flows-1.template.json"));
    let (main, flows) = (modified("crm.template.json"), modified("crm-flows-1.template.json"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    // The last flow changes; it lives in the flow stack, so only that template changes.
    std::fs::write(
        dir.join("flows.toml"),
        flow_file(0, 150).replace("prefix = \"p149\"", "prefix = \"q149\""),
    )
    .unwrap();
    let second = synth();
    assert!(second.contains("unchanged out/crm.template.json"), "{second}");
    assert!(second.contains("wrote out/crm-flows-1.template.json"), "{second}");
    assert_eq!(modified("crm.template.json"), main);
    assert_ne!(modified("crm-flows-1.template.json"), flows);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn integrations_in_flow_stacks_import_the_domain_the_main_stack_creates() {
    let mut stack = Stack::new("profiles");
    let raw = stack.add_bucket(Bucket::owned("raw"));
    let key = stack.add_key(Key::owned("profiles"));
    let domain = stack.add_domain(Domain::owned("customers", 365).encryption_key(&key));
    for name in names(0..700) {
        stack.add_flow(
            OnDemandFlow::new(
                name.clone(),
                S3Source::new(&raw, name.clone()),
                CustomerProfilesDestination::new(&domain, "Contacts"),
            )
            .encryption_key(&key)
            .mapping(Mapping::field("email")),
        );
    }
    let (split, _) = flowform::compile_split(stack, &support::options(), &Lock::default())
        .unwrap_or_else(|e| panic!("{:?}", e.errors.first()));
    assert!(split.templates.len() > 1, "700 integrations need several stacks");
    check_templates(&split);
    let domain_id = names::domain_id("customers");
    for part in &split.templates {
        let template = part.template.to_json_value();
        assert_eq!(
            template["Resources"].get(&domain_id).is_some(),
            part.stack == "profiles",
            "{}: the domain is shared",
            part.stack
        );
        for flow in &part.flows {
            let integration = &template["Resources"][names::flow_id(flow)];
            assert_eq!(integration["Type"], "AWS::CustomerProfiles::Integration", "{flow}");
            let domain_name = &integration["Properties"]["DomainName"];
            if part.stack == "profiles" {
                assert_eq!(domain_name["Ref"], domain_id.as_str(), "{flow}");
            } else {
                assert!(
                    domain_name.get("Fn::ImportValue").is_some(),
                    "{}: {domain_name}",
                    part.stack
                );
            }
        }
    }
}
