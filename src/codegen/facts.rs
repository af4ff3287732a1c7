//! `src/connectors/facts.rs`: what the flow and profile schemas say about each connector.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::{Enum, Schema, literal, render_enum, render_serialize, strings, wrapped};

// ---------------------------------------------------------------------------------------
// The model: what facts.rs says, with owned strings
// ---------------------------------------------------------------------------------------

/// Everything `facts.rs` is written from.
pub(super) struct Facts {
    pub(super) connector_types: Enum,
    pub(super) operators: Enum,
    pub(super) task_property_keys: Enum,
    /// One per `connector_types` value, in its order.
    pub(super) connectors: Vec<Connector>,
}

pub(super) struct Connector {
    /// The `ConnectorType` variant.
    pub(super) variant: String,
    source: Option<Properties>,
    destination: Option<Properties>,
    profile: bool,
    profile_properties: Option<Properties>,
    profile_credentials: Option<Properties>,
    pub(super) operators: Option<Operators>,
}

#[derive(Debug, PartialEq)]
struct Properties {
    key: String,
    definition: String,
    properties: Vec<Property>,
}

#[derive(Debug, PartialEq)]
pub(super) struct Operators {
    pub(super) key: String,
    definition: String,
    /// `Operator` variants.
    pub(super) operators: Vec<String>,
}

#[derive(Debug, PartialEq)]
struct Property {
    name: String,
    required: bool,
    /// The `ValueKind` variant.
    kind: &'static str,
    enum_values: Vec<String>,
    pattern: Option<String>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    minimum: Option<i64>,
    maximum: Option<i64>,
    definition: Option<String>,
}

/// The scalar constraints `PropertyFacts` records; an array takes them from its items.
const CONSTRAINTS: &[&str] = &["enum", "pattern", "minLength", "maxLength", "minimum", "maximum"];

/// The keywords a property may have that say nothing `PropertyFacts` records: `format` is
/// a CloudFormation hint, item counts and an object's inner shape are left to the
/// definitions. Any keyword neither here, in [`CONSTRAINTS`] nor `type` or `items` panics,
/// so a new kind of constraint in a schema update is seen rather than dropped.
const IGNORED: &[&str] = &[
    "format",
    "description",
    "minItems",
    "maxItems",
    "uniqueItems",
    "insertionOrder",
    "properties",
    "patternProperties",
    "additionalProperties",
    "required",
];

pub(super) fn read_facts() -> Facts {
    let flow = Schema::flow();
    let profile = Schema::profile();
    let connector_types = Enum::read(&flow, "ConnectorType", str::to_owned);
    let operators = Enum::read(&flow, "Operator", camel_case);
    let task_property_keys = Enum::read(&flow, "OperatorPropertiesKeys", camel_case);
    let types = connector_types.spellings();

    let sources = entries(&flow, "SourceConnectorProperties", &types);
    let destinations = entries(&flow, "DestinationConnectorProperties", &types);
    let operator_entries = entries(&flow, "ConnectorOperator", &types);
    let profile_properties = entries(&profile, "ConnectorProfileProperties", &types);
    let profile_credentials = entries(&profile, "ConnectorProfileCredentials", &types);
    // The profile schema has its own copy of the enum; it spells the values as the flow
    // schema does, so an exact match is asked for.
    let mut has_profile = vec![false; types.len()];
    for value in profile.enum_values("ConnectorType") {
        let index = types.iter().position(|t| *t == value).unwrap_or_else(|| {
            panic!(
                "{}: ConnectorType value {value:?} is not a value of the flow schema's ConnectorType",
                profile.file
            )
        });
        has_profile[index] = true;
    }

    let properties = |schema: &Schema, entry: &Option<(String, String)>| {
        entry.as_ref().map(|(key, definition)| Properties {
            key: key.clone(),
            definition: definition.clone(),
            properties: definition_properties(schema, definition),
        })
    };
    let connectors = connector_types
        .variants
        .iter()
        .enumerate()
        .map(|(index, (variant, _))| Connector {
            variant: variant.clone(),
            source: properties(&flow, &sources[index]),
            destination: properties(&flow, &destinations[index]),
            profile: has_profile[index],
            profile_properties: properties(&profile, &profile_properties[index]),
            profile_credentials: properties(&profile, &profile_credentials[index]),
            operators: operator_entries[index].as_ref().map(|(key, definition)| Operators {
                key: key.clone(),
                definition: definition.clone(),
                operators: flow
                    .enum_values(definition)
                    .iter()
                    .map(|value| {
                        operators.variant_of(value).map(str::to_owned).unwrap_or_else(|| {
                            panic!(
                                "{}: {definition} allows {value:?}, which is no Operator value",
                                flow.file
                            )
                        })
                    })
                    .collect(),
            }),
        })
        .collect();
    Facts {
        connector_types,
        operators,
        task_property_keys,
        connectors,
    }
}

/// The `ConnectorType` value (its index in `types`) that a key of `parent` names. The
/// schemas spell some connectors' keys differently in case from their `ConnectorType`
/// values, hence the case-insensitive match; a key matching none, or several, panics so a
/// new or renamed connector cannot be dropped or misfiled.
fn match_key(parent: &str, key: &str, types: &[String]) -> usize {
    let matches: Vec<usize> = (0..types.len())
        .filter(|&i| types[i].eq_ignore_ascii_case(key))
        .collect();
    match matches[..] {
        [index] => index,
        [] => panic!("{parent}: key {key:?} matches no ConnectorType value (ignoring case); values: {types:?}"),
        _ => panic!(
            "{parent}: key {key:?} matches several ConnectorType values (ignoring case): {:?}",
            matches.iter().map(|&i| &types[i]).collect::<Vec<_>>()
        ),
    }
}

/// The entries of the object definition `parent`, one slot per connector type: the key as
/// spelled and the definition its `$ref` names.
fn entries(schema: &Schema, parent: &str, types: &[String]) -> Vec<Option<(String, String)>> {
    let mut slots: Vec<Option<(String, String)>> = vec![None; types.len()];
    for (key, node) in schema.properties(parent) {
        let index = match_key(parent, key, types);
        let definition = schema
            .ref_name(node)
            .unwrap_or_else(|| panic!("{}: {parent}.{key} is not a $ref to a definition", schema.file));
        if let Some((other, _)) = &slots[index] {
            panic!(
                "{}: {parent} has two keys for ConnectorType {:?}: {other:?} and {key:?}",
                schema.file, types[index]
            );
        }
        slots[index] = Some((key.clone(), definition.to_owned()));
    }
    slots
}

/// The properties of an object definition, in the schema's order.
fn definition_properties(schema: &Schema, definition: &str) -> Vec<Property> {
    let required: Vec<String> = match schema.definition(definition).get("required") {
        Some(list) => strings(list.as_array().expect("`required` is a list"), definition),
        None => Vec::new(),
    };
    let properties = schema.properties(definition);
    for name in &required {
        assert!(
            properties.contains_key(name),
            "{}: {definition} requires {name:?}, which it lacks",
            schema.file
        );
    }
    properties
        .iter()
        .map(|(name, node)| {
            property(
                schema,
                &format!("{definition}.{name}"),
                name,
                node,
                required.contains(name),
            )
        })
        .collect()
}

/// One property: its kind and constraints, through `$ref`s, and from the items of an array.
fn property(schema: &Schema, path: &str, name: &str, node: &Value, required: bool) -> Property {
    let (definition, node) = schema.resolve(node);
    let kind = kind(schema, path, node);
    let (item_definition, constrained) = if kind == "Array" {
        let items = node
            .get("items")
            .unwrap_or_else(|| panic!("{}: {path} is an array without items", schema.file));
        for keyword in CONSTRAINTS {
            assert!(
                node.get(keyword).is_none(),
                "{}: {path}: {keyword} on the array itself",
                schema.file
            );
        }
        let (item_definition, items) = schema.resolve(items);
        let item_kind = self::kind(schema, &format!("{path}[]"), items);
        assert!(
            item_kind != "Array",
            "{}: {path} is an array of arrays, which is not modelled",
            schema.file
        );
        (item_definition.filter(|_| item_kind == "Object"), items)
    } else {
        (definition.filter(|_| kind == "Object"), node)
    };
    let context = format!("{}: {path}", schema.file);
    Property {
        name: name.to_owned(),
        required,
        kind,
        enum_values: match constrained.get("enum") {
            Some(values) => strings(values.as_array().expect("`enum` is a list"), &context),
            None => Vec::new(),
        },
        pattern: constrained
            .get("pattern")
            .map(|p| p.as_str().expect("`pattern` is a string").to_owned()),
        min_length: unsigned(constrained, "minLength", &context),
        max_length: unsigned(constrained, "maxLength", &context),
        minimum: signed(constrained, "minimum", &context),
        maximum: signed(constrained, "maximum", &context),
        definition: item_definition.map(str::to_owned),
    }
}

/// The `ValueKind` variant of a resolved node.
fn kind(schema: &Schema, path: &str, node: &Value) -> &'static str {
    for keyword in node.as_object().unwrap().keys() {
        assert!(
            ["type", "items"]
                .iter()
                .chain(CONSTRAINTS)
                .chain(IGNORED)
                .any(|k| k == keyword),
            "{}: {path} has the keyword {keyword:?}, which the generator neither reads nor knows to ignore",
            schema.file
        );
    }
    match node.get("type").map(|t| {
        t.as_str()
            .unwrap_or_else(|| panic!("{}: {path}: type {t}", schema.file))
    }) {
        Some("string") => "String",
        Some("integer") => "Integer",
        Some("number") => "Number",
        Some("boolean") => "Boolean",
        Some("array") => "Array",
        Some("object") => "Object",
        Some(other) => panic!("{}: {path} has the unknown type {other:?}", schema.file),
        // Guessing (say, String) would write a wrong fact; better to be told.
        None => panic!("{}: {path} has neither a type nor a $ref", schema.file),
    }
}

fn unsigned(node: &Value, keyword: &str, context: &str) -> Option<u64> {
    let value = node.get(keyword)?;
    Some(
        value
            .as_u64()
            .unwrap_or_else(|| panic!("{context}: {keyword} {value} is not a u64")),
    )
}

fn signed(node: &Value, keyword: &str, context: &str) -> Option<i64> {
    let value = node.get(keyword)?;
    Some(
        value
            .as_i64()
            .unwrap_or_else(|| panic!("{context}: {keyword} {value} is not an i64")),
    )
}

/// `LESS_THAN_OR_EQUAL_TO` → `LessThanOrEqualTo`.
fn camel_case(screaming: &str) -> String {
    screaming
        .split('_')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase())
                .into_iter()
                .chain(chars.map(|c| c.to_ascii_lowercase()))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Writing facts.rs
// ---------------------------------------------------------------------------------------

pub(super) fn facts_rs() -> String {
    render_facts(&read_facts())
}

const HEADER: &str = "\
// @generated by src/codegen from schema/cloudformation/*.json: do not edit; regenerate with `SNAPSHOTS=overwrite cargo test --lib codegen`.

//! What the official CloudFormation resource schemas say about each AppFlow connector.
//!
//! From `schema/cloudformation/aws-appflow-flow.json` (`AWS::AppFlow::Flow`) and
//! `aws-appflow-connectorprofile.json` (`AWS::AppFlow::ConnectorProfile`): the connector
//! types, whether each can be a source, a destination or have a profile, the properties of
//! each role with their kinds and constraints, and the task operators each allows. Names and
//! values are spelled as the schemas spell them; [`CONNECTORS`] is indexed by
//! [`ConnectorType`].
//!
//! Written by `src/codegen`; `generated_files_are_current` fails when it is stale.
";

const TYPES: &str = "
/// What the schemas say about one connector.
#[derive(Debug)]
pub struct ConnectorFacts {
    /// The connector.
    pub connector_type: ConnectorType,
    /// Its entry in `SourceConnectorProperties`, if it can be a source.
    pub source: Option<PropertiesFacts>,
    /// Its entry in `DestinationConnectorProperties`, if it can be a destination.
    pub destination: Option<PropertiesFacts>,
    /// Whether AWS::AppFlow::ConnectorProfile's `ConnectorType` enum lists it.
    pub profile: bool,
    /// Its entry in the profile schema's `ConnectorProfileProperties`.
    pub profile_properties: Option<PropertiesFacts>,
    /// Its entry in the profile schema's `ConnectorProfileCredentials`.
    pub profile_credentials: Option<PropertiesFacts>,
    /// Its entry in the flow schema's `ConnectorOperator`, with the operators its enum allows.
    pub operators: Option<OperatorFacts>,
}

/// A connector's entry in one of the schemas' per-connector objects.
#[derive(Debug)]
pub struct PropertiesFacts {
    /// The key as the parent object spells it (which may differ in case from the
    /// `ConnectorType` value).
    pub key: &'static str,
    /// The definition it refers to, e.g. `<Connector>SourceProperties`.
    pub definition: &'static str,
    /// The definition's properties, in the schema's order.
    pub properties: &'static [PropertyFacts],
}

/// A connector's entry in `ConnectorOperator`.
#[derive(Debug)]
pub struct OperatorFacts {
    /// The key as `ConnectorOperator` spells it (which may differ in case from the
    /// `ConnectorType` value).
    pub key: &'static str,
    /// The enum definition it refers to: `<Connector>ConnectorOperator`, or `Operator`.
    pub definition: &'static str,
    /// The operators that enum allows, in its order.
    pub operators: &'static [Operator],
}

/// One property of a definition, with `$ref`s followed to its kind and constraints.
#[derive(Debug)]
pub struct PropertyFacts {
    /// The property name, as spelled in the schema.
    pub name: &'static str,
    /// Whether the definition's `required` lists it.
    pub required: bool,
    /// Its JSON type.
    pub kind: ValueKind,
    /// Allowed values of a string enum (of the items, for an array).
    pub enum_values: &'static [&'static str],
    /// `pattern` (of the items, for an array).
    pub pattern: Option<&'static str>,
    /// `minLength` (of the items, for an array).
    pub min_length: Option<u64>,
    /// `maxLength` (of the items, for an array).
    pub max_length: Option<u64>,
    /// `minimum` (of the items, for an array).
    pub minimum: Option<i64>,
    /// `maximum` (of the items, for an array).
    pub maximum: Option<i64>,
    /// The definition an object (or an array's items) refers to, e.g. \"ErrorHandlingConfig\";
    /// `None` for scalars and inline objects.
    pub definition: Option<&'static str>,
}

/// A JSON Schema `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// `string`.
    String,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `array`.
    Array,
    /// `object`.
    Object,
}

/// What a property below does not say: each one overrides the fields that apply to it.
const NOTHING: PropertyFacts = PropertyFacts {
    name: \"\",
    required: false,
    kind: ValueKind::String,
    enum_values: &[],
    pattern: None,
    min_length: None,
    max_length: None,
    minimum: None,
    maximum: None,
    definition: None,
};
";

fn render_facts(facts: &Facts) -> String {
    let mut out = String::from(HEADER);
    render_enum(
        &mut out,
        "ConnectorType",
        "A value of `ConnectorType` in AWS::AppFlow::Flow (every value, in the schema's order).",
        &facts.connector_types,
    );
    emit!(out);
    emit!(out, "    /// The facts about this connector.");
    emit!(out, "    pub fn facts(self) -> &'static ConnectorFacts {{");
    emit!(out, "        &CONNECTORS[self as usize]");
    emit!(out, "    }}");
    emit!(out, "}}");
    render_serialize(&mut out, "ConnectorType");
    render_enum(
        &mut out,
        "Operator",
        "A task operator: the values of the flow schema's `Operator` definition, in its order.",
        &facts.operators,
    );
    emit!(out, "}}");
    render_serialize(&mut out, "Operator");
    render_enum(
        &mut out,
        "TaskPropertyKey",
        "A `TaskProperties` key: the values of the flow schema's `OperatorPropertiesKeys`, in its order.",
        &facts.task_property_keys,
    );
    emit!(out, "}}");
    render_serialize(&mut out, "TaskPropertyKey");
    out.push_str(TYPES);

    emit!(out);
    emit!(out, "/// Every connector, indexed by `ConnectorType as usize`.");
    emit!(
        out,
        "pub static CONNECTORS: [ConnectorFacts; {}] = [",
        facts.connectors.len()
    );
    for connector in &facts.connectors {
        emit!(out, "    ConnectorFacts {{");
        emit!(out, "        connector_type: ConnectorType::{},", connector.variant);
        render_properties(&mut out, "source", &connector.source);
        render_properties(&mut out, "destination", &connector.destination);
        emit!(out, "        profile: {},", connector.profile);
        render_properties(&mut out, "profile_properties", &connector.profile_properties);
        render_properties(&mut out, "profile_credentials", &connector.profile_credentials);
        match &connector.operators {
            None => emit!(out, "        operators: None,"),
            Some(operators) => {
                emit!(out, "        operators: Some(OperatorFacts {{");
                emit!(out, "            key: {},", literal(&operators.key));
                emit!(out, "            definition: {},", literal(&operators.definition));
                emit!(out, "            operators: &[");
                let items: Vec<String> = operators.operators.iter().map(|o| format!("Operator::{o}")).collect();
                wrapped(&mut out, "                ", &items, 100);
                emit!(out, "            ],");
                emit!(out, "        }}),");
            }
        }
        emit!(out, "    }},");
    }
    emit!(out, "];");
    out
}

fn render_properties(out: &mut String, field: &str, properties: &Option<Properties>) {
    let Some(properties) = properties else {
        emit!(out, "        {field}: None,");
        return;
    };
    emit!(out, "        {field}: Some(PropertiesFacts {{");
    emit!(out, "            key: {},", literal(&properties.key));
    emit!(out, "            definition: {},", literal(&properties.definition));
    if properties.properties.is_empty() {
        emit!(out, "            properties: &[],");
    } else {
        emit!(out, "            properties: &[");
        for property in &properties.properties {
            render_property(out, property);
        }
        emit!(out, "            ],");
    }
    emit!(out, "        }}),");
}

/// One `PropertyFacts`: the fields it has, then `..NOTHING` for the rest; on one line if
/// that fits in `WIDTH` columns, else the fields wrapped.
fn render_property(out: &mut String, property: &Property) {
    const WIDTH: usize = 120;
    let indent = "                ";
    let inner = format!("{indent}    ");
    let values: Vec<String> = property.enum_values.iter().map(|v| literal(v)).collect();
    let mut fields = vec![
        format!("name: {}", literal(&property.name)),
        format!("required: {}", property.required),
        format!("kind: ValueKind::{}", property.kind),
    ];
    // An enum list too long for a line of its own gets a block of its own, after the rest.
    let enum_field = (!values.is_empty()).then(|| format!("enum_values: &[{}]", values.join(", ")));
    let long_enum = enum_field
        .as_ref()
        .filter(|field| inner.len() + field.len() + 1 > WIDTH)
        .is_some();
    fields.extend(enum_field.filter(|_| !long_enum));
    let optional = [
        ("pattern", property.pattern.as_deref().map(literal)),
        ("min_length", property.min_length.map(|n| n.to_string())),
        ("max_length", property.max_length.map(|n| n.to_string())),
        ("minimum", property.minimum.map(|n| n.to_string())),
        ("maximum", property.maximum.map(|n| n.to_string())),
        ("definition", property.definition.as_deref().map(literal)),
    ];
    let mut complete = !values.is_empty();
    for (name, value) in optional {
        match value {
            Some(value) => fields.push(format!("{name}: Some({value})")),
            None => complete = false,
        }
    }
    // With every field given, `..NOTHING` would be a needless update (clippy says so).
    let rest = if complete { "" } else { "..NOTHING" };
    let line = match rest {
        "" => format!("{indent}PropertyFacts {{ {} }},", fields.join(", ")),
        _ => format!("{indent}PropertyFacts {{ {}, {rest} }},", fields.join(", ")),
    };
    if !long_enum && line.len() <= WIDTH {
        emit!(out, "{line}");
        return;
    }
    // What the property is on the first line, what it allows below.
    emit!(out, "{indent}PropertyFacts {{");
    let (identity, constraints) = fields.split_at(3);
    wrapped(out, &inner, identity, WIDTH);
    wrapped(out, &inner, constraints, WIDTH);
    if long_enum {
        emit!(out, "{inner}enum_values: &[");
        wrapped(out, &format!("{inner}    "), &values, WIDTH);
        emit!(out, "{inner}],");
    }
    if !rest.is_empty() {
        emit!(out, "{inner}{rest}");
    }
    emit!(out, "{indent}}},");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::first_sentence;
    use crate::connectors::facts::{
        CONNECTORS, ConnectorFacts, ConnectorType, Operator, PropertiesFacts, TaskPropertyKey, ValueKind,
    };

    // --- The schemas, read fresh ------------------------------------------------------
    //
    // These helpers read the schema JSON by hand, without the generator's `Schema` methods,
    // so that the facts are checked against the schemas and not against themselves.

    /// The definitions of a schema file.
    fn definitions(schema: &Schema) -> &Map<String, Value> {
        schema.json["definitions"].as_object().unwrap()
    }

    /// The keys of the per-connector object `parent`, with the definition each refers to.
    fn keys(schema: &Schema, parent: &str) -> Vec<(String, String)> {
        definitions(schema)[parent]["properties"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(key, node)| {
                let reference = node["$ref"].as_str().unwrap();
                (
                    key.clone(),
                    reference.strip_prefix("#/definitions/").unwrap().to_owned(),
                )
            })
            .collect()
    }

    /// The entry of `parent` for `connector`: the key that is its `ConnectorType` value
    /// ignoring case (at most one may be), and the definition that key refers to.
    fn entry(schema: &Schema, parent: &str, connector: ConnectorType) -> Option<(String, String)> {
        let mut matching = keys(schema, parent)
            .into_iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(connector.as_str()));
        let found = matching.next();
        assert!(matching.next().is_none(), "{parent}: two keys for {connector:?}");
        found
    }

    /// `$ref`s followed to the node that says what the value is, with the last definition
    /// named on the way.
    fn follow<'a>(schema: &'a Schema, mut node: &'a Value) -> (Option<&'a str>, &'a Value) {
        let mut name = None;
        while let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let target = reference.strip_prefix("#/definitions/").unwrap();
            name = Some(target);
            node = &definitions(schema)[target];
        }
        (name, node)
    }

    fn string_list(node: Option<&Value>) -> Vec<String> {
        node.map_or_else(Vec::new, |list| {
            list.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        })
    }

    /// The properties of `definition` as its schema says them: `$ref`s followed, an
    /// array's constraints and definition taken from its items.
    fn schema_properties(schema: &Schema, definition: &str) -> Vec<Property> {
        let node = &definitions(schema)[definition];
        let required = string_list(node.get("required"));
        node["properties"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, node)| {
                let (named, node) = follow(schema, node);
                let kind = match node["type"].as_str().unwrap() {
                    "string" => "String",
                    "integer" => "Integer",
                    "number" => "Number",
                    "boolean" => "Boolean",
                    "array" => "Array",
                    "object" => "Object",
                    other => panic!("{definition}.{name}: type {other}"),
                };
                let (named, constrained) = match kind {
                    "Array" => follow(schema, &node["items"]),
                    _ => (named, node),
                };
                let object = constrained["type"] == "object";
                Property {
                    name: name.clone(),
                    required: required.contains(name),
                    kind,
                    enum_values: string_list(constrained.get("enum")),
                    pattern: constrained.get("pattern").map(|p| p.as_str().unwrap().to_owned()),
                    min_length: constrained.get("minLength").map(|n| n.as_u64().unwrap()),
                    max_length: constrained.get("maxLength").map(|n| n.as_u64().unwrap()),
                    minimum: constrained.get("minimum").map(|n| n.as_i64().unwrap()),
                    maximum: constrained.get("maximum").map(|n| n.as_i64().unwrap()),
                    definition: named.filter(|_| object).map(str::to_owned),
                }
            })
            .collect()
    }

    /// The compiled facts in the generator's model, to compare with `==`.
    fn compiled(facts: Option<&PropertiesFacts>) -> Option<Properties> {
        facts.map(|facts| Properties {
            key: facts.key.to_owned(),
            definition: facts.definition.to_owned(),
            properties: facts
                .properties
                .iter()
                .map(|p| Property {
                    name: p.name.to_owned(),
                    required: p.required,
                    kind: match p.kind {
                        ValueKind::String => "String",
                        ValueKind::Integer => "Integer",
                        ValueKind::Number => "Number",
                        ValueKind::Boolean => "Boolean",
                        ValueKind::Array => "Array",
                        ValueKind::Object => "Object",
                    },
                    enum_values: p.enum_values.iter().map(|v| (*v).to_owned()).collect(),
                    pattern: p.pattern.map(str::to_owned),
                    min_length: p.min_length,
                    max_length: p.max_length,
                    minimum: p.minimum,
                    maximum: p.maximum,
                    definition: p.definition.map(str::to_owned),
                })
                .collect(),
        })
    }

    /// The four per-connector objects of properties: the schema, the object, and the
    /// facts field holding each connector's entry.
    type Role = (Schema, &'static str, fn(&ConnectorFacts) -> Option<&PropertiesFacts>);

    fn roles() -> [Role; 4] {
        [
            (Schema::flow(), "SourceConnectorProperties", |f| f.source.as_ref()),
            (Schema::flow(), "DestinationConnectorProperties", |f| {
                f.destination.as_ref()
            }),
            (Schema::profile(), "ConnectorProfileProperties", |f| {
                f.profile_properties.as_ref()
            }),
            (Schema::profile(), "ConnectorProfileCredentials", |f| {
                f.profile_credentials.as_ref()
            }),
        ]
    }

    // --- Every connector against the schemas ------------------------------------------

    #[test]
    fn the_enums_are_the_schema_enums() {
        let flow = Schema::flow();
        let values = |name: &str| string_list(definitions(&flow)[name].get("enum"));
        let connector_types: Vec<&str> = ConnectorType::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(connector_types, values("ConnectorType"));
        let operators: Vec<&str> = Operator::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(operators, values("Operator"));
        let task_property_keys: Vec<&str> = TaskPropertyKey::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(task_property_keys, values("OperatorPropertiesKeys"));
    }

    #[test]
    fn every_connector_facts_point_back_to_itself() {
        assert_eq!(CONNECTORS.len(), ConnectorType::ALL.len());
        for connector in ConnectorType::ALL {
            assert_eq!(connector.facts().connector_type, connector);
            assert_eq!(ConnectorType::parse(connector.as_str()), Some(connector));
        }
    }

    /// Every connector's source, destination, profile properties and credentials are the
    /// entry of the schema's object for it (key, definition, and every property with its
    /// kind and constraints), or `None` when the object has no key for it; and every key
    /// of the objects is some connector's.
    #[test]
    fn every_connectors_entries_are_the_schema_objects() {
        let mut compared: Vec<Property> = Vec::new();
        for (schema, parent, field) in roles() {
            let mut claimed = 0;
            for connector in ConnectorType::ALL {
                let expected = entry(&schema, parent, connector).map(|(key, definition)| Properties {
                    properties: schema_properties(&schema, &definition),
                    key,
                    definition,
                });
                let built = compiled(field(connector.facts()));
                assert_eq!(built, expected, "{parent} for {connector:?}");
                claimed += usize::from(expected.is_some());
                compared.extend(expected.into_iter().flat_map(|e| e.properties));
            }
            assert_eq!(
                claimed,
                keys(&schema, parent).len(),
                "{parent} has a key no connector claims"
            );
        }
        // The schemas exercise each way the reader takes, so the comparison above covers
        // them: a constraint behind a `$ref`, an array's item constraints, an object's
        // definition, integer bounds, a string enum, and a pattern whose literal is raw.
        let any = |what: &str, test: fn(&Property) -> bool| {
            assert!(compared.iter().any(test), "no connector property has {what}");
        };
        any("item constraints", |p| {
            p.kind == "Array" && (p.pattern.is_some() || p.max_length.is_some())
        });
        any("an object definition", |p| p.kind == "Object" && p.definition.is_some());
        any("integer bounds", |p| {
            p.kind == "Integer" && p.minimum.is_some() && p.maximum.is_some()
        });
        any("an enum", |p| !p.enum_values.is_empty());
        any("a pattern with a backslash", |p| {
            p.pattern.as_ref().is_some_and(|p| p.contains('\\'))
        });
        let flow = Schema::flow();
        let behind_ref = keys(&flow, "SourceConnectorProperties")
            .into_iter()
            .any(|(_, definition)| {
                definitions(&flow)[&definition]["properties"]
                    .as_object()
                    .unwrap()
                    .values()
                    .any(|node| node.get("$ref").is_some() && follow(&flow, node).1.get("pattern").is_some())
            });
        assert!(behind_ref, "no source property has its constraints behind a $ref");
    }

    /// A connector is a source, a destination, has a profile and profile properties or
    /// credentials exactly when the schemas list it there; each role is some connectors'
    /// and not others'.
    #[test]
    fn roles_are_presence_in_the_schemas() {
        let profile = Schema::profile();
        let profile_types = string_list(definitions(&profile)["ConnectorType"].get("enum"));
        for connector in ConnectorType::ALL {
            let facts = connector.facts();
            for (schema, parent, field) in roles() {
                let listed = keys(&schema, parent)
                    .iter()
                    .any(|(key, _)| key.eq_ignore_ascii_case(connector.as_str()));
                assert_eq!(field(facts).is_some(), listed, "{connector:?} in {parent}");
            }
            // The profile schema spells its `ConnectorType` values as the flow schema does.
            assert_eq!(
                facts.profile,
                profile_types.iter().any(|t| t == connector.as_str()),
                "{connector:?} in the profile's ConnectorType"
            );
        }
        for (_, parent, field) in roles() {
            assert!(
                CONNECTORS.iter().any(|c| field(c).is_some()),
                "no connector in {parent}"
            );
            assert!(
                CONNECTORS.iter().any(|c| field(c).is_none()),
                "every connector in {parent}"
            );
        }
        assert!(CONNECTORS.iter().any(|c| c.profile) && CONNECTORS.iter().any(|c| !c.profile));
    }

    /// Every connector's operators are the enum its `ConnectorOperator` entry refers to
    /// (its own, or `Operator`), read fresh, in its order; `None` without an entry.
    #[test]
    fn every_connectors_operators_are_its_schema_enum() {
        let flow = Schema::flow();
        for connector in ConnectorType::ALL {
            let expected = entry(&flow, "ConnectorOperator", connector).map(|(key, definition)| {
                let values = string_list(follow(&flow, &definitions(&flow)[&definition]).1.get("enum"));
                assert!(!values.is_empty(), "{definition} is no enum");
                (key, definition, values)
            });
            let built = connector.facts().operators.as_ref().map(|o| {
                let values = o.operators.iter().map(|o| o.as_str().to_owned()).collect();
                (o.key.to_owned(), o.definition.to_owned(), values)
            });
            assert_eq!(built, expected, "{connector:?}");
        }
        assert_eq!(
            CONNECTORS.iter().filter(|c| c.operators.is_some()).count(),
            keys(&flow, "ConnectorOperator").len(),
            "ConnectorOperator has a key no connector claims"
        );
        assert!(CONNECTORS.iter().any(|c| c.operators.is_none()));
    }

    /// The schemas spell some connectors' keys differently (in case) from their
    /// `ConnectorType` values: the facts keep the key's spelling, while `ConnectorType`
    /// parses only its own.
    #[test]
    fn keys_keep_the_schema_spelling() {
        let mut differing = Vec::new();
        for connector in ConnectorType::ALL {
            let facts = connector.facts();
            let entries = [
                &facts.source,
                &facts.destination,
                &facts.profile_properties,
                &facts.profile_credentials,
            ];
            let keys = entries
                .into_iter()
                .flatten()
                .map(|p| p.key)
                .chain(facts.operators.as_ref().map(|o| o.key));
            for key in keys {
                assert!(key.eq_ignore_ascii_case(connector.as_str()), "{connector:?}: {key}");
                if key != connector.as_str() {
                    assert_eq!(ConnectorType::parse(key), None, "{key} parses, though misspelt");
                    differing.push(key);
                }
            }
        }
        assert!(
            !differing.is_empty(),
            "no key differs from its ConnectorType value any more: the case-insensitive match is untested"
        );
    }

    /// Compares the compiled statics with what the generator read, field by field: this
    /// catches a literal that does not mean what was written (escaping) and a field left out.
    #[test]
    fn the_compiled_facts_are_what_the_generator_read() {
        let facts = read_facts();
        assert_eq!(facts.connectors.len(), CONNECTORS.len());
        for (read, built) in facts.connectors.iter().zip(&CONNECTORS) {
            let ConnectorFacts { connector_type, .. } = built;
            assert_eq!(read.variant, format!("{connector_type:?}"));
            assert_eq!(
                read.source,
                compiled(built.source.as_ref()),
                "{connector_type:?} source"
            );
            assert_eq!(
                read.destination,
                compiled(built.destination.as_ref()),
                "{connector_type:?} destination"
            );
            assert_eq!(read.profile, built.profile, "{connector_type:?} profile");
            assert_eq!(read.profile_properties, compiled(built.profile_properties.as_ref()));
            assert_eq!(read.profile_credentials, compiled(built.profile_credentials.as_ref()));
            let operators = built.operators.as_ref().map(|o| Operators {
                key: o.key.to_owned(),
                definition: o.definition.to_owned(),
                operators: o.operators.iter().map(|o| format!("{o:?}")).collect(),
            });
            assert_eq!(read.operators, operators, "{connector_type:?} operators");
        }
    }

    #[test]
    fn names_follow_the_naming_rule() {
        assert_eq!(camel_case("LESS_THAN_OR_EQUAL_TO"), "LessThanOrEqualTo");
        assert_eq!(camel_case("MASK_FIRST_N"), "MaskFirstN");
        assert_eq!(camel_case("NO_OP"), "NoOp");
        assert_eq!(Operator::ValidateNonNull.as_str(), "VALIDATE_NON_NULL");
        assert_eq!(literal(r"\S+"), r#"r"\S+""#);
        assert_eq!(literal(r#"a"\b"#), r##"r#"a"\b"#"##);
        assert_eq!(literal("plain"), "\"plain\"");
        assert_eq!(first_sentence("Sets the `x`.  More\n text."), r"Sets the \`x\`.");
    }

    // --- Synthetic schemas ------------------------------------------------------------

    /// A schema with one per-connector object, `Parent`, whose keys are `keys`.
    fn synthetic(keys: &[&str]) -> Schema {
        let properties: Map<String, Value> = keys
            .iter()
            .map(|key| {
                (
                    (*key).to_owned(),
                    serde_json::json!({ "$ref": format!("#/definitions/{key}Properties") }),
                )
            })
            .collect();
        Schema {
            file: "synthetic.json",
            json: serde_json::json!({ "definitions": { "Parent": { "type": "object", "properties": properties } } }),
        }
    }

    fn types(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn keys_match_connector_types_ignoring_case() {
        let slots = entries(
            &synthetic(&["AcmeCrm", "Globex"]),
            "Parent",
            &types(&["Globex", "Initech", "Acmecrm"]),
        );
        assert_eq!(
            slots,
            [
                Some(("Globex".to_owned(), "GlobexProperties".to_owned())),
                None,
                Some(("AcmeCrm".to_owned(), "AcmeCrmProperties".to_owned()))
            ]
        );
    }

    #[test]
    #[should_panic(expected = "Parent: key \"Initech\" matches no ConnectorType value")]
    fn an_unmatched_key_fails_the_generator() {
        entries(
            &synthetic(&["Globex", "Initech"]),
            "Parent",
            &types(&["Globex", "Acme"]),
        );
    }

    #[test]
    #[should_panic(expected = "Parent: key \"Acme\" matches several ConnectorType values")]
    fn an_ambiguous_key_fails_the_generator() {
        entries(&synthetic(&["Acme"]), "Parent", &types(&["Acme", "ACME"]));
    }

    #[test]
    #[should_panic(expected = "synthetic.json: Parent has two keys for ConnectorType \"Acmecrm\"")]
    fn two_keys_for_one_connector_fail_the_generator() {
        entries(&synthetic(&["AcmeCrm", "acmecrm"]), "Parent", &types(&["Acmecrm"]));
    }
}
