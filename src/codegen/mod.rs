//! The code generator: Rust source written from the official CloudFormation resource
//! schemas, checked in, and checked here.
//!
//! # What it writes
//!
//! - `src/connectors/facts.rs` ([`facts`]): the `ConnectorType`, `Operator` and
//!   `TaskPropertyKey` enums and, for every connector, what
//!   `schema/cloudformation/aws-appflow-flow.json` and `aws-appflow-connectorprofile.json`
//!   say about it: its source and destination properties, its profile properties and
//!   credentials (each property with its kind and constraints) and the task operators it
//!   allows.
//! - `src/cfn/generated/` ([`cfn`]): the CloudFormation property types of
//!   `AWS::AppFlow::Flow`, `AWS::AppFlow::ConnectorProfile`, `AWS::AppFlow::Connector` and
//!   `AWS::CustomerProfiles::Integration`, one module each, the way the AWS CDK generates
//!   its L1 classes, with the `VisitExprs` trait they all implement. They use facts' enums,
//!   so a schema update regenerates both.
//!
//! # Why a checked-in file and not a build script
//!
//! The output is ordinary Rust that can be read, grepped and reviewed in a diff, and
//! building the crate needs neither the schemas nor a JSON parser. The price is that the
//! files can go stale; the test `tests::generated_files_are_current` catches that.
//!
//! # Regenerating
//!
//! After changing a schema, `schema/emit-order.json` or this generator:
//!
//! ```text
//! SNAPSHOTS=overwrite cargo test --lib codegen
//! ```
//!
//! Without `SNAPSHOTS=overwrite` the test compares instead, and fails on a stale file with
//! that command. The generator panics, naming the schema and the key, on anything it cannot
//! place (a connector key that matches no `ConnectorType` value, or two; a property without
//! a type; a keyword it neither reads nor knows to ignore; two names that become one Rust
//! name), so a schema update cannot silently drop facts or properties.
//!
//! The tests use the generated modules, so the crate has to compile against the committed
//! files before they can be rewritten. A change to the generated *API* therefore takes two
//! steps: regenerate with the tests that need the new API left out, then put them back.
//!
//! More outputs are more rows in [`OUTPUTS`].

use std::fmt::Write as _;

use serde_json::{Map, Value};

/// The command that rewrites every output; the stale-file failure names it.
const REGENERATE: &str = "SNAPSHOTS=overwrite cargo test --lib codegen";

/// A generated file: its path from the crate root, and the function writing its text.
type Output = (&'static str, fn() -> String);

/// Every generated file.
const OUTPUTS: &[Output] = &[
    ("src/connectors/facts.rs", facts::facts_rs),
    ("src/cfn/generated/mod.rs", cfn::mod_rs),
    ("src/cfn/generated/flow.rs", cfn::flow_rs),
    ("src/cfn/generated/connector_profile.rs", cfn::connector_profile_rs),
    ("src/cfn/generated/connector.rs", cfn::connector_rs),
    (
        "src/cfn/generated/customer_profiles_integration.rs",
        cfn::customer_profiles_integration_rs,
    ),
];

/// `writeln!` into a `String`, which cannot fail.
macro_rules! emit {
    ($out:expr) => {
        $out.push('\n')
    };
    ($out:expr, $($arg:tt)*) => {
        writeln!($out, $($arg)*).expect("writing to a String cannot fail")
    };
}

mod cfn;
mod facts;

// ---------------------------------------------------------------------------------------
// Reading the schemas
// ---------------------------------------------------------------------------------------

/// One resource schema from `schema/cloudformation/`.
struct Schema {
    /// The file name, for panic messages.
    file: &'static str,
    json: Value,
}

impl Schema {
    fn load(file: &'static str) -> Schema {
        let path = format!("{}/schema/cloudformation/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"));
        Schema { file, json }
    }

    fn flow() -> Schema {
        Schema::load("aws-appflow-flow.json")
    }

    fn profile() -> Schema {
        Schema::load("aws-appflow-connectorprofile.json")
    }

    fn definition(&self, name: &str) -> &Value {
        self.json["definitions"]
            .get(name)
            .unwrap_or_else(|| panic!("{}: no definition {name:?}", self.file))
    }

    /// The definition a `{"$ref": "#/definitions/Name"}` node names, if it is one.
    fn ref_name<'a>(&self, node: &'a Value) -> Option<&'a str> {
        let reference = node.get("$ref")?.as_str()?;
        let name = reference
            .strip_prefix("#/definitions/")
            .unwrap_or_else(|| panic!("{}: unsupported $ref {reference:?}", self.file));
        Some(name)
    }

    /// Follows `$ref`s to the node that says what the value is, with the name of the last
    /// definition on the way (`None` for an inline node).
    fn resolve<'a>(&'a self, mut node: &'a Value) -> (Option<&'a str>, &'a Value) {
        let mut name = None;
        // A cycle of bare `$ref`s would describe nothing; a bound keeps it from hanging.
        for _ in 0..16 {
            let Some(target) = self.ref_name(node) else {
                return (name, node);
            };
            // Constraints beside a `$ref` would have to be merged with the target's; none of
            // the schemas has any, so they are refused rather than half-supported. A
            // `description` says nothing `PropertyFacts` records.
            let beside: Vec<&String> = node
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| *k != "$ref" && *k != "description")
                .collect();
            assert!(
                beside.is_empty(),
                "{}: $ref {target:?} has keywords beside it: {beside:?}",
                self.file
            );
            name = Some(target);
            node = self.definition(target);
        }
        panic!("{}: $ref chain through {name:?} does not end", self.file)
    }

    /// The `properties` of an object definition, in the schema's order (`serde_json`'s
    /// `preserve_order` feature, which the crate enables, keeps it).
    fn properties(&self, definition: &str) -> &Map<String, Value> {
        self.definition(definition)["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{}: {definition} has no properties", self.file))
    }

    /// The values of a string-enum definition, in the schema's order.
    fn enum_values(&self, definition: &str) -> Vec<String> {
        let values = self.definition(definition)["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: {definition} is not an enum", self.file));
        strings(values, &format!("{}: {definition}", self.file))
    }
}

fn strings(values: &[Value], context: &str) -> Vec<String> {
    values
        .iter()
        .map(|v| {
            v.as_str()
                .unwrap_or_else(|| panic!("{context}: enum value {v} is not a string"))
                .to_owned()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Shared by the outputs
// ---------------------------------------------------------------------------------------

/// A string enum of the schema and the Rust enum written for it.
struct Enum {
    /// `(Rust variant, schema spelling)`, in the schema's order.
    variants: Vec<(String, String)>,
    /// The first sentence of the definition's `description`, if it has one.
    description: Option<String>,
}

impl Enum {
    fn read(schema: &Schema, definition: &str, variant: fn(&str) -> String) -> Enum {
        let variants: Vec<(String, String)> = schema
            .enum_values(definition)
            .into_iter()
            .map(|value| (variant(&value), value))
            .collect();
        for (index, (name, value)) in variants.iter().enumerate() {
            assert!(
                is_identifier(name),
                "{}: {definition} value {value:?} is no Rust identifier",
                schema.file
            );
            assert!(
                variants[..index].iter().all(|(other, _)| other != name),
                "{}: two {definition} values become the variant {name}",
                schema.file
            );
        }
        let description = schema.definition(definition)["description"]
            .as_str()
            .map(first_sentence);
        Enum { variants, description }
    }

    fn spellings(&self) -> Vec<String> {
        self.variants.iter().map(|(_, value)| value.clone()).collect()
    }

    fn variant_of(&self, value: &str) -> Option<&str> {
        self.variants
            .iter()
            .find(|(_, v)| v == value)
            .map(|(name, _)| name.as_str())
    }
}

/// Whether `name` can be an enum variant (`Self` is the one capitalised keyword).
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    name != "Self"
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The first sentence of a schema `description`, on one line, safe in a `///` comment:
/// Markdown's active characters are escaped so the text renders as written.
fn first_sentence(description: &str) -> String {
    let text = description.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = text.find(". ").map_or(text.len(), |i| i + 1);
    let mut escaped = String::new();
    for c in text[..end].chars() {
        if matches!(c, '\\' | '`' | '[' | ']' | '<' | '>' | '*' | '_') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// A Rust literal for `text`: raw when that spares backslashes (patterns are full of
/// them), else the `Debug` form, which is a valid literal for any string.
fn literal(text: &str) -> String {
    let plain = format!("{text:?}");
    if plain.len() == text.len() + 2 || text.chars().any(char::is_control) {
        return plain;
    }
    let hashes = (0..)
        .map(|n| "#".repeat(n))
        .find(|h| !text.contains(&format!("\"{h}")))
        .unwrap();
    format!("r{hashes}\"{text}\"{hashes}")
}

/// `items` separated by `, `, broken into lines of at most `width` columns, each indented
/// by `indent`, with a trailing comma.
fn wrapped(out: &mut String, indent: &str, items: &[String], width: usize) {
    let mut line = String::new();
    for item in items {
        if !line.is_empty() && indent.len() + line.len() + 1 + item.len() + 1 > width {
            emit!(out, "{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(item);
        line.push(',');
    }
    if !line.is_empty() {
        emit!(out, "{indent}{line}");
    }
}

/// The enum, and its `impl` block left open for more methods.
fn render_enum(out: &mut String, name: &str, doc: &str, facts: &Enum) {
    emit!(out);
    emit!(out, "/// {doc}");
    if let Some(description) = &facts.description {
        emit!(out, "///");
        emit!(out, "/// The schema: {description}");
    }
    emit!(
        out,
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]"
    );
    emit!(out, "pub enum {name} {{");
    for (variant, value) in &facts.variants {
        emit!(out, "    /// `{value}`.");
        emit!(out, "    {variant},");
    }
    emit!(out, "}}");
    emit!(out);
    emit!(out, "impl {name} {{");
    emit!(out, "    /// Every value, in the schema's order.");
    emit!(out, "    pub const ALL: [{name}; {}] = [", facts.variants.len());
    for (variant, _) in &facts.variants {
        emit!(out, "        {name}::{variant},");
    }
    emit!(out, "    ];");
    emit!(out);
    emit!(out, "    /// The value as the schema spells it.");
    emit!(out, "    pub const fn as_str(self) -> &'static str {{");
    emit!(out, "        match self {{");
    for (variant, value) in &facts.variants {
        emit!(out, "            {name}::{variant} => {},", literal(value));
    }
    emit!(out, "        }}");
    emit!(out, "    }}");
    emit!(out);
    emit!(
        out,
        "    /// The value spelled `text`, exactly as the schema spells it."
    );
    emit!(out, "    pub fn parse(text: &str) -> Option<{name}> {{");
    emit!(out, "        match text {{");
    for (variant, value) in &facts.variants {
        emit!(out, "            {} => Some({name}::{variant}),", literal(value));
    }
    emit!(out, "            _ => None,");
    emit!(out, "        }}");
    emit!(out, "    }}");
}

fn render_serialize(out: &mut String, name: &str) {
    emit!(out);
    emit!(out, "impl serde::Serialize for {name} {{");
    emit!(
        out,
        "    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{"
    );
    emit!(out, "        serializer.serialize_str(self.as_str())");
    emit!(out, "    }}");
    emit!(out, "}}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_files_are_current() {
        let overwrite = std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite");
        for (path, generate) in OUTPUTS {
            let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
            let text = generate();
            if overwrite {
                let directory = std::path::Path::new(&full).parent().unwrap();
                std::fs::create_dir_all(directory)
                    .unwrap_or_else(|e| panic!("cannot create {}: {e}", directory.display()));
                std::fs::write(&full, &text).unwrap_or_else(|e| panic!("cannot write {full}: {e}"));
                continue;
            }
            let committed = std::fs::read_to_string(&full).unwrap_or_default();
            assert!(committed == text, "{path} is stale: regenerate it with `{REGENERATE}`");
        }
    }
}
