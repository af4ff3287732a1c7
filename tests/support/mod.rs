//! Test support: checks templates against the official CloudFormation resource schemas
//! in `schema/cloudformation/`, and fixed compile options.
//!
//! The checker walks every property of every `AWS::AppFlow::*` resource, and of the
//! partner event buses, secrets and Customer Profiles domains and integrations flowform writes: each key must
//! exist in the schema, enum values must be allowed, types, lengths, ranges and patterns
//! must hold, and required properties must be present. Intrinsic functions and dynamic
//! references are values CloudFormation resolves later; they are accepted as they are.

#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::{Map, Value};

/// "Now" for tests: fixed, so warnings about the past never depend on the clock.
pub fn options() -> flowform::CompileOptions {
    flowform::CompileOptions {
        now: "2026-01-01T00:00:00Z".parse().unwrap(),
        stack_name: None,
    }
}

/// A secret the stack creates with what a Salesforce refresh-token profile reads from it:
/// the connected app's `clientId` and `clientSecret` and both tokens, each from a NoEcho
/// parameter (`SfClientId`, `SfClientSecret`, `SfAccessToken`, `SfRefreshToken`).
pub fn client_secret(name: &str) -> flowform::model::Secret {
    flowform::model::Secret::owned(name)
        .value_from_parameter("clientId", "SfClientId")
        .value_from_parameter("clientSecret", "SfClientSecret")
        .value_from_parameter("accessToken", "SfAccessToken")
        .value_from_parameter("refreshToken", "SfRefreshToken")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The official schemas flowform's AppFlow resources are checked against.
pub struct Schemas {
    by_type: Vec<(&'static str, Value)>,
}

impl Schemas {
    pub fn load() -> Self {
        let load = |file: &str| -> Value {
            let text = std::fs::read_to_string(root().join("schema/cloudformation").join(file)).unwrap();
            serde_json::from_str(&text).unwrap()
        };
        Schemas {
            by_type: vec![
                ("AWS::AppFlow::Flow", load("aws-appflow-flow.json")),
                (
                    "AWS::AppFlow::ConnectorProfile",
                    load("aws-appflow-connectorprofile.json"),
                ),
                ("AWS::Events::EventBus", load("aws-events-eventbus.json")),
                (
                    "AWS::CustomerProfiles::Integration",
                    load("aws-customerprofiles-integration.json"),
                ),
                (
                    "AWS::CustomerProfiles::Domain",
                    load("aws-customerprofiles-domain.json"),
                ),
                ("AWS::SecretsManager::Secret", load("aws-secretsmanager-secret.json")),
                ("AWS::AppFlow::Connector", load("aws-appflow-connector.json")),
                ("AWS::Lambda::Permission", load("aws-lambda-permission.json")),
                // The registry schema as cfn-lint bundles it (cfn-lint 1.x,
                // `data/schemas/resources`): the shared reference has none for functions.
                ("AWS::Lambda::Function", load("aws-lambda-function.json")),
                ("AWS::Events::Rule", load("aws-events-rule.json")),
                ("AWS::SNS::Topic", load("aws-sns-topic.json")),
                ("AWS::SNS::TopicPolicy", load("aws-sns-topicpolicy.json")),
                // As cfn-lint bundles it, like the function's: the shared reference has none.
                ("AWS::SQS::Queue", load("aws-sqs-queue.json")),
                ("AWS::SQS::QueuePolicy", load("aws-sqs-queuepolicy.json")),
                ("AWS::CloudWatch::Alarm", load("aws-cloudwatch-alarm.json")),
            ],
        }
    }

    pub fn schema(&self, type_name: &str) -> &Value {
        &self.by_type.iter().find(|(name, _)| *name == type_name).unwrap().1
    }

    /// Every schema violation in `template`, as `Resources.<id>.Properties.<path>: problem`.
    /// Also fails if the template has no AppFlow resource at all, so a broken walk cannot
    /// pass by checking nothing.
    pub fn check_template(&self, template: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        let mut checked = 0;
        for (id, resource) in template["Resources"].as_object().unwrap() {
            let type_name = resource["Type"].as_str().unwrap();
            let Some((_, schema)) = self.by_type.iter().find(|(name, _)| *name == type_name) else {
                continue;
            };
            checked += 1;
            let path = format!("Resources.{id}.Properties");
            let properties = &resource["Properties"];
            for read_only in schema["readOnlyProperties"].as_array().unwrap() {
                let name = read_only.as_str().unwrap().trim_start_matches("/properties/");
                if properties.get(name).is_some() {
                    problems.push(format!("{path}.{name}: read-only property set"));
                }
            }
            let root_schema = serde_json::json!({
                "type": "object",
                "properties": schema["properties"],
                "required": schema["required"],
            });
            check(schema, &root_schema, properties, &path, &mut problems);
        }
        if checked == 0 {
            problems.push("no AppFlow resource in the template".into());
        }
        problems
    }
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.trim_start_matches("#/definitions/");
            resolve(root, &root["definitions"][name])
        }
        None => schema,
    }
}

fn is_intrinsic(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|map| map.len() == 1 && map.keys().all(|key| key == "Ref" || key.starts_with("Fn::")))
}

fn check(root: &Value, schema: &Value, value: &Value, path: &str, problems: &mut Vec<String>) {
    let schema = resolve(root, schema);
    if is_intrinsic(value) {
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        problems.push(format!(
            "{path}: {value} is not one of {}",
            Value::Array(allowed.clone())
        ));
    }
    let kind = schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or(if schema.get("properties").is_some() {
            "object"
        } else {
            ""
        });
    match kind {
        "object" => match value.as_object() {
            Some(map) => check_object(root, schema, map, path, problems),
            None => problems.push(format!("{path}: expected an object, got {value}")),
        },
        "array" => match value.as_array() {
            Some(items) => {
                for (index, item) in items.iter().enumerate() {
                    check(root, &schema["items"], item, &format!("{path}[{index}]"), problems);
                }
            }
            None => problems.push(format!("{path}: expected an array, got {value}")),
        },
        "string" => match value.as_str() {
            Some(text) => check_string(schema, text, path, problems),
            None => problems.push(format!("{path}: expected a string, got {value}")),
        },
        "integer" | "number" => match value.as_f64() {
            Some(number) => {
                if kind == "integer" && !value.is_i64() && !value.is_u64() {
                    problems.push(format!("{path}: expected an integer, got {value}"));
                }
                if schema
                    .get("minimum")
                    .and_then(Value::as_f64)
                    .is_some_and(|min| number < min)
                    || schema
                        .get("maximum")
                        .and_then(Value::as_f64)
                        .is_some_and(|max| number > max)
                {
                    problems.push(format!("{path}: {number} is out of range"));
                }
            }
            None => problems.push(format!("{path}: expected a number, got {value}")),
        },
        "boolean" if !value.is_boolean() => problems.push(format!("{path}: expected a boolean, got {value}")),
        _ => {}
    }
}

fn check_object(root: &Value, schema: &Value, map: &Map<String, Value>, path: &str, problems: &mut Vec<String>) {
    let properties = schema.get("properties").and_then(Value::as_object);
    // A map's keys match a pattern (`ProfileProperties`, `CredentialsMap`).
    let patterned = |key: &str| {
        let patterns = schema.get("patternProperties").and_then(Value::as_object)?;
        patterns
            .iter()
            .find(|(pattern, _)| pattern_matches(pattern, key))
            .map(|(_, property)| property)
    };
    for (key, value) in map {
        match properties.and_then(|p| p.get(key)).or_else(|| patterned(key)) {
            Some(property) => check(root, property, value, &format!("{path}.{key}"), problems),
            None => problems.push(format!("{path}.{key}: no such property in the schema")),
        }
    }
    for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
        let name = required.as_str().unwrap();
        if !map.contains_key(name) {
            problems.push(format!("{path}: required property {name} is missing"));
        }
    }
}

fn check_string(schema: &Value, text: &str, path: &str, problems: &mut Vec<String>) {
    // A dynamic reference is replaced by the secret's value at deploy time.
    if text.starts_with("{{resolve:") {
        return;
    }
    let length = text.chars().count() as u64;
    if schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .is_some_and(|max| length > max)
        || schema
            .get("minLength")
            .and_then(Value::as_u64)
            .is_some_and(|min| length < min)
    {
        problems.push(format!("{path}: length {length} is out of bounds"));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str)
        && !pattern_matches(pattern, text)
    {
        problems.push(format!("{path}: {text:?} does not match {pattern}"));
    }
}

/// Whether `text` matches the schema pattern `pattern`, each pattern compiled once (the
/// property tests check thousands of templates). A pattern the regex crate cannot read (a
/// look-ahead) matches everything, as in flowform.
fn pattern_matches(pattern: &str, text: &str) -> bool {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    static COMPILED: LazyLock<Mutex<HashMap<String, Option<regex::Regex>>>> = LazyLock::new(Default::default);
    let mut compiled = COMPILED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let regex = compiled
        .entry(pattern.to_owned())
        .or_insert_with(|| regex::Regex::new(pattern).ok());
    regex.as_ref().is_none_or(|regex| regex.is_match(text))
}

/// Asserts a template conforms to the schemas.
pub fn assert_conforms(schemas: &Schemas, template: &Value) {
    let problems = schemas.check_template(template);
    assert!(problems.is_empty(), "schema violations:\n{}", problems.join("\n"));
}

/// Compares `actual` with `snapshots/<name>.<extension>`; with `SNAPSHOTS=overwrite`,
/// writes it instead.
pub fn assert_golden(name: &str, extension: &str, actual: &str) {
    let path = root().join("snapshots").join(format!("{name}.{extension}"));
    if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run `SNAPSHOTS=overwrite cargo test`", path.display()));
    assert!(
        expected == actual,
        "{name}: output differs from {}; if the change is intended, run `SNAPSHOTS=overwrite cargo test`\n{}",
        path.display(),
        diff(&expected, actual)
    );
}

/// The lines where `actual` differs from `expected`: the span between their common first
/// and last lines, with three lines of context, `-` for the expected lines and `+` for the
/// actual ones (enough to see a golden's change without a diff crate).
pub fn diff(expected: &str, actual: &str) -> String {
    let (old, new): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let context = prefix.saturating_sub(3);
    let mut out = format!("@@ line {} @@\n", prefix + 1);
    for line in &old[context..prefix] {
        out.push_str(&format!("  {line}\n"));
    }
    for line in &old[prefix..old.len() - suffix] {
        out.push_str(&format!("- {line}\n"));
    }
    for line in &new[prefix..new.len() - suffix] {
        out.push_str(&format!("+ {line}\n"));
    }
    for line in old[old.len() - suffix..].iter().take(3) {
        out.push_str(&format!("  {line}\n"));
    }
    out
}

#[test]
fn a_golden_diff_shows_the_changed_lines_with_context() {
    let expected = "a\nb\nc\nd\ne\nf\ng\nh\n";
    let actual = "a\nb\nc\nd\nE\nf\ng\nh\n";
    let shown = diff(expected, actual);
    assert_eq!(shown, "@@ line 5 @@\n  b\n  c\n  d\n- e\n+ E\n  f\n  g\n  h\n");
    assert!(diff("x\n", "x\ny\n").contains("+ y"));
}
