//! Golden templates of the Rust examples in `examples/`.
//!
//! Each example's `stack()` is compiled and compared byte for byte with
//! `snapshots/<example>.json`, which `.ci/run` also runs through cfn-lint.
//! To update the goldens after an intended change: `SNAPSHOTS=overwrite cargo test`.

use crate::support;

use crate::s3_to_salesforce_upsert;
use crate::salesforce_events_to_eventbridge;
use crate::salesforce_to_s3_hourly;
use crate::salesforce_to_s3_on_demand;

use flowform::model::Stack;

fn check_golden(name: &str, stack: Stack) {
    let compiled = flowform::compile(stack, &support::options()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let actual = compiled.template.to_json();
    support::assert_conforms(&support::Schemas::load(), &compiled.template.to_json_value());
    support::assert_golden(name, "json", &actual);
}

#[test]
fn salesforce_account_to_s3_every_hour() {
    check_golden("salesforce_to_s3_hourly", salesforce_to_s3_hourly::stack());
}

#[test]
fn salesforce_to_s3_on_demand_with_between_filter() {
    check_golden("salesforce_to_s3_on_demand", salesforce_to_s3_on_demand::stack());
}

#[test]
fn s3_to_salesforce_scheduled_upsert() {
    check_golden("s3_to_salesforce_upsert", s3_to_salesforce_upsert::stack());
}

#[test]
fn salesforce_change_events_to_eventbridge() {
    check_golden(
        "salesforce_events_to_eventbridge",
        salesforce_events_to_eventbridge::stack(),
    );
}

#[test]
fn zendesk_tickets_out_and_users_in() {
    check_golden("zendesk_support", crate::zendesk_support::stack());
}

#[test]
fn hubspot_companies_in_and_associations_out() {
    check_golden("hubspot_companies", crate::hubspot_companies::stack());
}

#[test]
fn a_registered_custom_connector_to_s3() {
    check_golden(
        "custom_connector_registered",
        crate::custom_connector_registered::stack(),
    );
}

#[test]
fn marketo_leads_out_and_back() {
    check_golden("marketo_leads", crate::marketo_leads::stack());
}

#[test]
fn every_golden_conforms_to_the_official_schemas() {
    let schemas = support::Schemas::load();
    let mut checked = 0;
    for entry in std::fs::read_dir(support::root().join("snapshots")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "json") {
            let template: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let problems = schemas.check_template(&template);
            assert!(problems.is_empty(), "{}:\n{}", path.display(), problems.join("\n"));
            checked += 1;
        }
    }
    assert!(checked >= 4, "expected the four goldens, found {checked}");
}

#[test]
fn the_schema_checker_catches_violations() {
    let schemas = support::Schemas::load();
    let mut template = flowform::compile(salesforce_to_s3_on_demand::stack(), &support::options())
        .unwrap()
        .template
        .to_json_value();
    let flow = &mut template["Resources"]["Accounts2024Flow"]["Properties"];
    flow["TriggerConfig"]["TriggerType"] = "Hourly".into();
    flow["Tasks"][0]["TaskProperties"] = serde_json::json!([{"Key": "MASK_SIZE", "Value": "1"}]);
    flow["Bogus"] = true.into();
    let problems = schemas.check_template(&template).join("\n");
    assert!(problems.contains("TriggerType: \"Hourly\" is not one of"), "{problems}");
    assert!(problems.contains("\"MASK_SIZE\" is not one of"), "{problems}");
    assert!(problems.contains("Bogus: no such property"), "{problems}");
}
