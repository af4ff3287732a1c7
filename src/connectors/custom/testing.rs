//! What the custom connectors' tests share: a file compiled to its template.

use serde_json::Value;

/// The template `toml` (after a `[stack]` named `t`, a bucket `lake` and an imported
/// secret `app`) compiles to, or the codes of its errors.
pub(super) fn compile(toml: &str) -> Result<Value, Vec<String>> {
    let file = format!(
        "[stack]\nname = \"t\"\n[bucket.lake]\n[secret.app]\nimport = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-Ab12Cd\"\n{toml}"
    );
    let options = crate::CompileOptions {
        now: "2026-01-01T00:00:00Z".parse().expect("a timestamp"),
        stack_name: None,
    };
    match crate::input::compile_source("t.toml", &file, &options) {
        Ok(compiled) => Ok(serde_json::from_str(&compiled.templates[0].template.to_json()).expect("JSON")),
        Err(report) => Err(report.errors().map(|d| d.code.clone()).collect()),
    }
}

/// The one resource of `kind` in `template`.
pub(super) fn resource<'t>(template: &'t Value, kind: &str) -> &'t Value {
    let resources = template["Resources"].as_object().expect("resources");
    let mut found = resources.values().filter(|r| r["Type"] == kind);
    let first = found.next().expect("one resource of the kind");
    assert!(found.next().is_none(), "more than one {kind}");
    &first["Properties"]
}
