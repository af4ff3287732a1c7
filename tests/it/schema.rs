//! `schema/flowform.schema.json` is the JSON Schema of the TOML format, generated from
//! the raw input types. A stale copy fails here with the command that regenerates it.

use crate::support;

#[test]
fn the_committed_schema_is_current() {
    let path = support::root().join("schema/flowform.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let current = flowform::input::json_schema();
    assert!(
        committed == current,
        "schema/flowform.schema.json is stale: regenerate it with `cargo run -- schema -o schema/flowform.schema.json`"
    );
}

#[test]
fn the_schema_describes_every_section_and_rejects_unknown_keys() {
    let schema: serde_json::Value = serde_json::from_str(&flowform::input::json_schema()).unwrap();
    let properties = schema["properties"].as_object().unwrap();
    for section in flowform::input::lower::SECTIONS {
        assert!(properties.contains_key(section), "section {section} missing");
    }
    assert_eq!(schema["required"], serde_json::json!(["stack"]));
    let flow = &schema["$defs"]["TomlFlow"];
    assert_eq!(flow["additionalProperties"], false);
    for key in [
        "trigger",
        "source",
        "destination",
        "map-all",
        "map-fields",
        "filter",
        "mask",
        "truncate",
        "validate",
    ] {
        assert!(flow["properties"].get(key).is_some(), "flow key {key} missing");
    }
}
