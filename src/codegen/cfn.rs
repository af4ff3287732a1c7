//! `src/cfn/generated/`: the CloudFormation property types of the resources in
//! [`RESOURCES`], one module each, the way the AWS CDK generates its L1 classes.
//!
//! # The mapping
//!
//! - The resource's writable top-level properties (`readOnlyProperties` left out) are a
//!   struct named after the type name's last segment (`AWS::AppFlow::Flow` → `Flow`).
//! - Every object definition they reach is a struct named as the definition; an inline
//!   object is named `<Parent><Property>`. Only what is reached is written.
//! - A string without `enum`, an integer, a number or a boolean is a [`crate::cfn::Expr`]:
//!   CloudFormation takes an intrinsic wherever it takes a literal. `$ref`s to such
//!   definitions (`Object`, `BucketName`) are followed; no type is written for them.
//! - A string enum is a Rust enum named as its definition, or `<Parent><Property>` when
//!   inline (the property alone when it already starts with the parent's name: `Flow`'s
//!   `FlowStatus` is `FlowStatus`). Three are the enums of [`crate::connectors::facts`]
//!   instead: a definition named `ConnectorType` (its values must be facts' values,
//!   except for the schemas in [`Resource::own_connector_type`]), `OperatorPropertiesKeys`
//!   (`TaskPropertyKey`), and any enum all of whose values are the flow schema's
//!   `Operator` values (`Operator`, every `<X>ConnectorOperator`).
//! - An array is a `Vec`; an object without `properties` but with `patternProperties` or
//!   an `additionalProperties` schema is an `IndexMap<String, _>`. A struct field that
//!   would contain its own struct is boxed.
//! - A required property is the plain type; an optional one is an `Option` left out when
//!   `None`, or, for arrays and maps, left out when empty.
//! - Fields are in the schema's order, except that `schema/emit-order.json` (read by
//!   [`read_emit_orders`]) puts some first: the order the hand-written types wrote, which
//!   the committed templates keep.
//!
//! Anything the mapping does not cover (an unknown keyword, a free-form object, two names
//! that become one Rust name) panics, naming the schema and the place.
//!
//! Longer than most modules: it is the whole mapping from a schema to Rust types, each
//! rule with the check that refuses what it does not cover; writing the text is in
//! [`render`], its tests in `tests`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::facts::read_facts;
use super::{Enum, Schema, is_identifier, strings};

mod render;

/// One generated module: a resource schema and what its output needs beyond the mapping.
struct Resource {
    /// The schema file in `schema/cloudformation/`.
    file: &'static str,
    /// The module under `src/cfn/generated/`.
    module: &'static str,
    /// `Struct.Property` of enum-valued properties written as `Expr` (the enum is still
    /// generated, for its values).
    intrinsic_enums: &'static [&'static str],
    /// Whether the schema's `ConnectorType` spells values differently from the flow
    /// schema's, so that it gets an enum of its own instead of facts' `ConnectorType`.
    own_connector_type: bool,
    /// Whether `ConnectorOperator` gets `new(ConnectorType, Operator)` from the facts
    /// (which are the flow schema's, so only for the flow schema).
    operator_constructor: bool,
}

const RESOURCES: [Resource; 4] = [
    Resource {
        file: "aws-appflow-flow.json",
        module: "flow",
        // flowform writes an activation parameter's `Fn::If` there (`synth::flow`).
        intrinsic_enums: &["Flow.FlowStatus"],
        own_connector_type: false,
        operator_constructor: true,
    },
    Resource {
        file: "aws-appflow-connectorprofile.json",
        module: "connector_profile",
        intrinsic_enums: &[],
        own_connector_type: false,
        operator_constructor: false,
    },
    Resource {
        file: "aws-appflow-connector.json",
        module: "connector",
        intrinsic_enums: &[],
        own_connector_type: false,
        operator_constructor: false,
    },
    Resource {
        file: "aws-customerprofiles-integration.json",
        module: "customer_profiles_integration",
        intrinsic_enums: &[],
        // It spells a connector differently (in case) from AppFlow's enums: facts'
        // `ConnectorType` would serialize a value this schema does not allow.
        own_connector_type: true,
        operator_constructor: false,
    },
];

/// `schema/emit-order.json`, from the crate root.
const EMIT_ORDER_FILE: &str = "schema/emit-order.json";

/// `(struct, schema property names)`: those properties first, in this order, then the
/// rest in the schema's order.
type EmitOrder = Vec<(String, Vec<String>)>;

/// [`EMIT_ORDER_FILE`]: the property order the hand-written types wrote before the
/// generated ones replaced them (the committed golden templates were written in it), per
/// resource type name (`AWS::AppFlow::Flow`), in the file's order. Per resource, because
/// definitions of the same name in different schemas have different properties; its
/// `$comment` says the rest. A resource type that is no schema's of [`RESOURCES`], or a
/// value that is not an object of lists of strings, panics; the names themselves are
/// checked against the schema when a module is built.
fn read_emit_orders() -> Vec<(String, EmitOrder)> {
    let path = format!("{}/{EMIT_ORDER_FILE}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"));
    let types: Vec<String> = RESOURCES
        .iter()
        .map(|resource| type_name(&Schema::load(resource.file)))
        .collect();
    parse_emit_orders(&json, &types)
}

/// The emit orders of `json`, the content of [`EMIT_ORDER_FILE`], whose resources must be
/// among `types`.
fn parse_emit_orders(json: &Value, types: &[String]) -> Vec<(String, EmitOrder)> {
    let top = json
        .as_object()
        .unwrap_or_else(|| panic!("{EMIT_ORDER_FILE}: not an object"));
    let mut orders = Vec::new();
    for (resource, structs) in top {
        if resource == "$comment" {
            assert!(structs.is_string(), "{EMIT_ORDER_FILE}: $comment is not a string");
            continue;
        }
        assert!(
            types.contains(resource),
            "{EMIT_ORDER_FILE}: {resource:?} is the typeName of no schema the generator reads: {types:?}"
        );
        let structs = structs
            .as_object()
            .unwrap_or_else(|| panic!("{EMIT_ORDER_FILE}: {resource} is not an object"));
        let order = structs
            .iter()
            .map(|(name, properties)| {
                let context = format!("{EMIT_ORDER_FILE}: {resource}.{name}");
                let properties = properties
                    .as_array()
                    .unwrap_or_else(|| panic!("{context} is not a list"));
                (name.clone(), strings(properties, &context))
            })
            .collect();
        orders.push((resource.clone(), order));
    }
    orders
}

/// The emit order of the resource `type_name`: empty when the file does not list it.
fn emit_order(type_name: &str) -> EmitOrder {
    read_emit_orders()
        .into_iter()
        .find(|(resource, _)| resource == type_name)
        .map(|(_, order)| order)
        .unwrap_or_default()
}

/// A schema's `typeName`.
fn type_name(schema: &Schema) -> String {
    schema.json["typeName"]
        .as_str()
        .unwrap_or_else(|| panic!("{}: no typeName", schema.file))
        .to_owned()
}

/// The keywords a node may have that the mapping ignores: constraints the types do not
/// carry (CloudFormation checks them) and hints. `additionalProperties: false` beside
/// `properties` says the struct is closed, which it is. Anything else panics.
const IGNORED: &[&str] = &[
    "description",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "insertionOrder",
];

/// The keywords the mapping reads.
const READ: &[&str] = &[
    "type",
    "enum",
    "items",
    "properties",
    "required",
    "patternProperties",
    "additionalProperties",
];

// ---------------------------------------------------------------------------------------
// The model of one module
// ---------------------------------------------------------------------------------------

/// The Rust type of a property.
#[derive(Debug, Clone, PartialEq)]
enum Ty {
    Expr,
    /// A generated enum or one of facts'.
    Enum(String),
    Struct(String),
    Vec(Box<Ty>),
    Map(Box<Ty>),
}

impl Ty {
    fn render(&self) -> String {
        match self {
            Ty::Expr => "Expr".to_owned(),
            Ty::Enum(name) | Ty::Struct(name) => name.clone(),
            Ty::Vec(item) => format!("Vec<{}>", item.render()),
            Ty::Map(value) => format!("indexmap::IndexMap<String, {}>", value.render()),
        }
    }

    fn is_collection(&self) -> bool {
        matches!(self, Ty::Vec(_) | Ty::Map(_))
    }
}

struct Field {
    /// The property name, as the schema spells it.
    schema: String,
    /// The Rust field name (`r#type` for `Type`).
    rust: String,
    ty: Ty,
    required: bool,
    /// The field's struct leads back to the struct holding it: the field is a `Box`.
    boxed: bool,
    /// For an enum-valued property written as `Expr`: the enum of its values.
    values_of: Option<String>,
    /// The schema's limits on a scalar (each item, each value), if it sets any.
    limits: Option<FieldLimits>,
}

/// What a `crate::cfn::Limits` constant holds.
#[derive(Debug, Default, PartialEq)]
struct FieldLimits {
    pattern: Option<String>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    minimum: Option<i64>,
    maximum: Option<i64>,
}

impl Field {
    fn render_type(&self) -> String {
        let ty = self.ty.render();
        let ty = if self.boxed { format!("Box<{ty}>") } else { ty };
        if self.required || self.ty.is_collection() {
            ty
        } else {
            format!("Option<{ty}>")
        }
    }

    /// The `skip_serializing_if` of an optional property.
    fn skip(&self) -> Option<&'static str> {
        if self.required {
            return None;
        }
        Some(match self.ty {
            Ty::Vec(_) => "Vec::is_empty",
            Ty::Map(_) => "indexmap::IndexMap::is_empty",
            _ => "Option::is_none",
        })
    }

    /// Whether the default value is a valid "not set": `None` or empty.
    fn defaults(&self) -> bool {
        !self.required || self.ty.is_collection()
    }
}

/// Where a struct comes from, for its doc.
enum Origin {
    Resource,
    Definition,
    /// `Parent.Property`.
    Inline(String),
}

struct Struct {
    name: String,
    origin: Origin,
    fields: Vec<Field>,
}

struct GeneratedEnum {
    name: String,
    /// The definition, or `Parent.Property`.
    origin: String,
    values: Enum,
}

#[derive(Clone, Copy)]
enum Item {
    Struct(usize),
    Enum(usize),
}

/// What the facts say, as the mapping needs it.
struct Known {
    /// facts' `ConnectorType` values.
    connector_types: Vec<String>,
    /// facts' `ConnectorType` variants, in the same order.
    connector_variants: Vec<String>,
    /// The flow schema's `Operator` values.
    operators: Vec<String>,
    /// facts' `TaskPropertyKey` values.
    task_property_keys: Vec<String>,
    /// `(ConnectorOperator key, ConnectorType variant)` of every connector with operators.
    operator_keys: Vec<(String, String)>,
}

impl Known {
    fn read() -> Known {
        let facts = read_facts();
        Known {
            connector_types: facts.connector_types.spellings(),
            connector_variants: facts.connector_types.variants.iter().map(|(v, _)| v.clone()).collect(),
            operators: facts.operators.spellings(),
            task_property_keys: facts.task_property_keys.spellings(),
            operator_keys: facts
                .connectors
                .iter()
                .filter_map(|c| c.operators.as_ref().map(|o| (o.key.clone(), c.variant.clone())))
                .collect(),
        }
    }
}

/// One module, built from its schema.
struct Module<'r> {
    resource: &'r Resource,
    schema: Schema,
    known: Known,
    /// `AWS::AppFlow::Flow`.
    type_name: String,
    /// The resource's entry in `schema/emit-order.json`.
    emit_order: EmitOrder,
    /// The read-only properties left out.
    read_only: Vec<String>,
    structs: Vec<Struct>,
    enums: Vec<GeneratedEnum>,
    /// Every type written, in the order first reached.
    items: Vec<Item>,
    /// The type of every definition already mapped (structs and enums).
    definitions: BTreeMap<String, Ty>,
    /// facts' enums the module uses.
    facts_used: BTreeSet<&'static str>,
    /// `intrinsic_enums` entries met.
    intrinsic_met: BTreeSet<String>,
}

impl<'r> Module<'r> {
    fn build(resource: &'r Resource) -> Module<'r> {
        let schema = Schema::load(resource.file);
        let order = emit_order(&type_name(&schema));
        Module::from_schema(resource, schema, order)
    }

    fn from_schema(resource: &'r Resource, schema: Schema, emit_order: EmitOrder) -> Module<'r> {
        let type_name = type_name(&schema);
        let name = type_name.rsplit("::").next().unwrap().to_owned();
        let read_only: Vec<String> = match schema.json.get("readOnlyProperties") {
            Some(list) => strings(list.as_array().expect("a list"), resource.file)
                .iter()
                .map(|pointer| {
                    let name = pointer
                        .strip_prefix("/properties/")
                        .filter(|rest| !rest.contains('/'))
                        .unwrap_or_else(|| {
                            panic!("{}: read-only {pointer:?} is not a top-level property", resource.file)
                        });
                    name.to_owned()
                })
                .collect(),
            None => Vec::new(),
        };
        let mut module = Module {
            resource,
            known: Known::read(),
            type_name,
            emit_order,
            read_only,
            structs: Vec::new(),
            enums: Vec::new(),
            items: Vec::new(),
            definitions: BTreeMap::new(),
            facts_used: BTreeSet::new(),
            intrinsic_met: BTreeSet::new(),
            schema,
        };
        let root = module.schema.json.clone();
        let mut properties = root["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{}: no properties", resource.file))
            .clone();
        for name in &module.read_only {
            assert!(
                properties.shift_remove(name).is_some(),
                "{}: read-only {name:?} is no property",
                resource.file
            );
        }
        let required = required(&root, resource.file);
        module.add_struct(&name, Origin::Resource, &properties, &required);
        module.finish();
        module
    }

    fn context(&self, path: &str) -> String {
        format!("{}: {path}", self.resource.file)
    }

    /// Whether a type written is named `name`.
    fn taken(&self, name: &str) -> bool {
        self.structs.iter().any(|s| s.name == name) || self.enums.iter().any(|e| e.name == name)
    }

    fn reserve(&self, name: &str, path: &str) {
        assert!(
            is_identifier(name) && name.starts_with(|c: char| c.is_ascii_uppercase()),
            "{}: {name:?} is no Rust type name",
            self.context(path)
        );
        assert!(
            !self.taken(name) && !["Expr", "VisitExprs", "Box", "Option", "Vec", "String"].contains(&name),
            "{}: two types would be named {name}",
            self.context(path)
        );
    }

    /// Writes the struct `name` with `properties` and returns its type. Its index is
    /// taken before its fields are mapped, so the file lists types in the order reached.
    fn add_struct(&mut self, name: &str, origin: Origin, properties: &Map<String, Value>, required: &[String]) -> Ty {
        self.reserve(name, name);
        for property in required {
            assert!(
                properties.contains_key(property),
                "{}: requires {property:?}, which it lacks",
                self.context(name)
            );
        }
        let index = self.structs.len();
        self.structs.push(Struct {
            name: name.to_owned(),
            origin,
            fields: Vec::new(),
        });
        self.items.push(Item::Struct(index));
        let mut fields: Vec<Field> = Vec::new();
        for property in self.ordered(name, properties) {
            let path = format!("{name}.{property}");
            let mut ty = self.ty(&properties[&property], name, &property);
            let mut values_of = None;
            if self.resource.intrinsic_enums.contains(&path.as_str()) {
                let Ty::Enum(values) = ty else {
                    panic!("{}: listed in intrinsic_enums but not an enum", self.context(&path))
                };
                values_of = Some(values);
                ty = Ty::Expr;
                self.intrinsic_met.insert(path.clone());
            }
            let rust = field_name(&property);
            assert!(
                fields.iter().all(|f| f.rust != rust),
                "{}: two properties become the field {rust}",
                self.context(&path)
            );
            let limits = match ty {
                Ty::Expr | Ty::Vec(_) | Ty::Map(_) => self.limits(&properties[&property], &path),
                Ty::Enum(_) | Ty::Struct(_) => None,
            };
            fields.push(Field {
                required: required.contains(&property),
                schema: property,
                rust,
                ty,
                boxed: false,
                values_of,
                limits,
            });
        }
        self.structs[index].fields = fields;
        Ty::Struct(name.to_owned())
    }

    /// The limits `node` sets on a scalar, through `$ref`s, array items and map values;
    /// `None` when it sets none (a `minLength` of 0 says nothing) or is no scalar.
    fn limits(&self, node: &Value, path: &str) -> Option<FieldLimits> {
        let (_, target) = self.schema.resolve(node);
        match target.get("type").and_then(Value::as_str) {
            Some("array") => return self.limits(&target["items"], path),
            Some("object") => {
                let value = match target.get("patternProperties").and_then(Value::as_object) {
                    Some(patterns) => patterns.values().next()?,
                    None => target.get("additionalProperties").filter(|v| v.is_object())?,
                };
                return self.limits(value, path);
            }
            Some("string" | "integer" | "number") if target.get("enum").is_none() => {}
            _ => return None,
        }
        let number = |key: &str| {
            target.get(key).map(|v| {
                v.as_i64()
                    .unwrap_or_else(|| panic!("{}: {key} {v} is no integer", self.context(path)))
            })
        };
        let length = |key: &str| {
            target.get(key).map(|v| {
                v.as_u64()
                    .unwrap_or_else(|| panic!("{}: {key} {v} is no length", self.context(path)))
            })
        };
        let limits = FieldLimits {
            pattern: target.get("pattern").map(|p| {
                p.as_str()
                    .unwrap_or_else(|| panic!("{}: pattern {p} is no string", self.context(path)))
                    .to_owned()
            }),
            min_length: length("minLength").filter(|&min| min > 0),
            max_length: length("maxLength"),
            minimum: number("minimum"),
            maximum: number("maximum"),
        };
        (limits != FieldLimits::default()).then_some(limits)
    }

    /// The property names of struct `name`: those its emit order lists, then the rest.
    fn ordered(&self, name: &str, properties: &Map<String, Value>) -> Vec<String> {
        let listed: &[String] = self
            .emit_order
            .iter()
            .find(|(s, _)| s == name)
            .map_or(&[], |(_, names)| names);
        for (index, property) in listed.iter().enumerate() {
            assert!(
                properties.contains_key(property),
                "{}: {EMIT_ORDER_FILE} lists {property:?}, which is not a property",
                self.context(name)
            );
            assert!(
                !listed[..index].contains(property),
                "{}: {EMIT_ORDER_FILE} lists {property:?} twice",
                self.context(name)
            );
        }
        let mut names: Vec<String> = listed.to_vec();
        names.extend(properties.keys().filter(|k| !listed.contains(k)).cloned());
        names
    }

    /// The type of the property `property` of `parent`, whose schema is `node`.
    fn ty(&mut self, node: &Value, parent: &str, property: &str) -> Ty {
        let path = format!("{parent}.{property}");
        let (definition, target) = self.schema.resolve(node);
        let (definition, target) = (definition.map(str::to_owned), target.clone());
        if let Some(ty) = definition.as_ref().and_then(|d| self.definitions.get(d)) {
            return ty.clone();
        }
        let object = target
            .as_object()
            .unwrap_or_else(|| panic!("{}: not a schema object", self.context(&path)));
        for keyword in object.keys() {
            assert!(
                READ.contains(&keyword.as_str()) || IGNORED.contains(&keyword.as_str()),
                "{}: the keyword {keyword:?}, which the generator neither reads nor knows to ignore",
                self.context(&path)
            );
        }
        let kind = target.get("type").map(|t| {
            t.as_str()
                .unwrap_or_else(|| panic!("{}: type {t}", self.context(&path)))
                .to_owned()
        });
        let ty = match kind.as_deref() {
            Some("string") => match target.get("enum") {
                Some(values) => {
                    let values = strings(values.as_array().expect("`enum` is a list"), &self.context(&path));
                    self.enum_ty(definition.as_deref(), values, parent, property)
                }
                None => Ty::Expr,
            },
            Some("integer" | "number" | "boolean") => {
                assert!(
                    target.get("enum").is_none(),
                    "{}: an enum that is not of strings",
                    self.context(&path)
                );
                Ty::Expr
            }
            Some("array") => {
                let items = target
                    .get("items")
                    .unwrap_or_else(|| panic!("{}: an array without items", self.context(&path)));
                Ty::Vec(Box::new(self.ty(items, parent, property)))
            }
            Some("object") => self.object_ty(definition.as_deref(), &target, parent, property),
            Some(other) => panic!("{}: the unknown type {other:?}", self.context(&path)),
            None => panic!("{}: neither a type nor a $ref", self.context(&path)),
        };
        if let Some(definition) = definition {
            self.definitions.insert(definition, ty.clone());
        }
        ty
    }

    fn object_ty(&mut self, definition: Option<&str>, target: &Value, parent: &str, property: &str) -> Ty {
        let path = format!("{parent}.{property}");
        let additional = target.get("additionalProperties");
        let closed = matches!(additional, None | Some(Value::Bool(false)));
        if let Some(properties) = target.get("properties") {
            assert!(
                closed && target.get("patternProperties").is_none(),
                "{}: both properties and other keys, which is not modelled",
                self.context(&path)
            );
            let properties = properties.as_object().expect("`properties` is an object").clone();
            let required = required(target, &self.context(&path));
            let (name, origin) = match definition {
                Some(definition) => {
                    // Reserved before its fields are mapped, so a recursive `$ref` meets it.
                    self.definitions
                        .insert(definition.to_owned(), Ty::Struct(definition.to_owned()));
                    (definition.to_owned(), Origin::Definition)
                }
                None => (inline_name(parent, property), Origin::Inline(path)),
            };
            return self.add_struct(&name, origin, &properties, &required);
        }
        let value = match (target.get("patternProperties"), additional) {
            (Some(patterns), _) if closed => {
                let patterns = patterns.as_object().expect("`patternProperties` is an object");
                let mut values = patterns.values();
                let (Some(value), None) = (values.next(), values.next()) else {
                    panic!("{}: patternProperties with other than one pattern", self.context(&path))
                };
                value.clone()
            }
            (None, Some(schema @ Value::Object(_))) => schema.clone(),
            _ => panic!("{}: an object that is neither a struct nor a map", self.context(&path)),
        };
        Ty::Map(Box::new(self.ty(&value, parent, property)))
    }

    fn enum_ty(&mut self, definition: Option<&str>, values: Vec<String>, parent: &str, property: &str) -> Ty {
        let path = format!("{parent}.{property}");
        assert!(!values.is_empty(), "{}: an empty enum", self.context(&path));
        let within = |known: &[String]| values.iter().all(|v| known.contains(v));
        if definition == Some("ConnectorType") {
            let subset = within(&self.known.connector_types);
            if !self.resource.own_connector_type {
                assert!(
                    subset,
                    "{}: ConnectorType has values facts' ConnectorType lacks: {:?}",
                    self.context(&path),
                    values
                        .iter()
                        .filter(|v| !self.known.connector_types.contains(v))
                        .collect::<Vec<_>>()
                );
                return self.facts("ConnectorType");
            }
            assert!(
                !subset,
                "{}: ConnectorType is now within facts' ConnectorType: drop own_connector_type",
                self.context(&path)
            );
        } else if definition == Some("OperatorPropertiesKeys") {
            assert!(
                within(&self.known.task_property_keys),
                "{}: OperatorPropertiesKeys has values facts' TaskPropertyKey lacks",
                self.context(&path)
            );
            return self.facts("TaskPropertyKey");
        } else if within(&self.known.operators) {
            return self.facts("Operator");
        }
        let (name, origin) = match definition {
            Some(definition) => (definition.to_owned(), definition.to_owned()),
            None => (inline_name(parent, property), path.clone()),
        };
        self.reserve(&name, &path);
        let variants: Vec<(String, String)> = values.into_iter().map(|v| (variant_name(&v), v)).collect();
        for (index, (variant, value)) in variants.iter().enumerate() {
            if let Some((_, other)) = variants[..index].iter().find(|(v, _)| v == variant) {
                panic!("{}: {other:?} and {value:?} both become {variant}", self.context(&path));
            }
        }
        self.items.push(Item::Enum(self.enums.len()));
        self.enums.push(GeneratedEnum {
            name: name.clone(),
            origin,
            values: Enum {
                variants,
                description: None,
            },
        });
        Ty::Enum(name)
    }

    fn facts(&mut self, name: &'static str) -> Ty {
        self.facts_used.insert(name);
        Ty::Enum(name.to_owned())
    }

    /// The checks that need the whole module, and the boxes.
    fn finish(&mut self) {
        for name in &self.facts_used {
            assert!(
                !self.taken(name),
                "{}: a type would be named {name}, as facts' is",
                self.resource.file
            );
        }
        for path in self.resource.intrinsic_enums {
            assert!(
                self.intrinsic_met.contains(*path),
                "{}: intrinsic_enums lists {path:?}, which is no enum property",
                self.resource.file
            );
        }
        for (name, _) in &self.emit_order {
            assert!(
                self.structs.iter().any(|s| s.name == *name),
                "{}: {EMIT_ORDER_FILE} lists {name:?}, which is no struct written",
                self.resource.file
            );
        }
        // A field is boxed when its struct (held directly, not in a collection) leads back
        // to the struct holding it.
        let mut boxes = Vec::new();
        for (index, s) in self.structs.iter().enumerate() {
            for (field, f) in s.fields.iter().enumerate() {
                if let Ty::Struct(target) = &f.ty
                    && self.reaches(target, &s.name)
                {
                    boxes.push((index, field));
                }
            }
        }
        // A choice among many (every field optional, more than four of them structs, like
        // `SourceConnectorProperties`) holds each struct boxed: only one is ever set, and
        // inline they made every flow's IR hundreds of bytes larger (BENCHMARKS.md).
        for (index, s) in self.structs.iter().enumerate() {
            let all_optional = s.fields.iter().all(|f| !f.required);
            let structs = s.fields.iter().filter(|f| matches!(f.ty, Ty::Struct(_))).count();
            if all_optional && structs > 4 {
                for (field, f) in s.fields.iter().enumerate() {
                    if matches!(f.ty, Ty::Struct(_)) {
                        boxes.push((index, field));
                    }
                }
            }
        }
        for (index, field) in boxes {
            self.structs[index].fields[field].boxed = true;
        }
    }

    fn strukt(&self, name: &str) -> &Struct {
        self.structs.iter().find(|s| s.name == name).unwrap()
    }

    /// Whether struct `from` holds struct `to` directly: through struct-typed fields, not
    /// through collections (which are heap-allocated already).
    fn reaches(&self, from: &str, to: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(name) = stack.pop() {
            if name == to {
                return true;
            }
            if seen.insert(name.clone()) {
                stack.extend(self.strukt(&name).fields.iter().filter_map(|f| match &f.ty {
                    Ty::Struct(target) => Some(target.clone()),
                    _ => None,
                }));
            }
        }
        false
    }

    /// The structs that hold an `Expr` somewhere.
    fn with_exprs(&self) -> BTreeSet<String> {
        let mut with = BTreeSet::new();
        loop {
            let before = with.len();
            for s in &self.structs {
                if s.fields.iter().any(|f| holds_exprs(&f.ty, &with)) {
                    with.insert(s.name.clone());
                }
            }
            if with.len() == before {
                return with;
            }
        }
    }
}

fn required(node: &Value, context: &str) -> Vec<String> {
    match node.get("required") {
        Some(list) => strings(list.as_array().expect("`required` is a list"), context),
        None => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------

/// `<Parent><Property>`, or `<Property>` when it already starts with `<Parent>`.
fn inline_name(parent: &str, property: &str) -> String {
    let mut chars = property.chars();
    let property: String = chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect();
    if property.starts_with(parent) {
        property
    } else {
        format!("{parent}{property}")
    }
}

/// The variant for an enum value: the value split at every character that is not an
/// ASCII letter or digit; each part capitalised, and lower-cased after its first letter
/// when it has no lower-case letter (`PATH_AND_FILENAME` → `PathAndFilename`, `Map_all` →
/// `MapAll`, `SingleFile` and `Draft` kept, `OAUTH2` → `Oauth2`); a `V` before a leading
/// digit; `Self` → `SelfValue`. A value with no letter or digit panics.
fn variant_name(value: &str) -> String {
    let mut name = String::new();
    for word in value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let shout = !word.chars().any(|c| c.is_ascii_lowercase());
        for (index, c) in word.chars().enumerate() {
            name.push(match index {
                0 => c.to_ascii_uppercase(),
                _ if shout => c.to_ascii_lowercase(),
                _ => c,
            });
        }
    }
    assert!(!name.is_empty(), "the enum value {value:?} has no letter or digit");
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push_str("Value");
    }
    name
}

/// The snake-case field name of a property. Words start at an upper-case letter after a
/// lower-case letter or a digit, and at the last upper-case letter of a run of two or more
/// when a lower-case letter follows (`KMSArn` → `kms_arn`, `ABCData` → `abc_data`), but
/// not after a single one (`OAuth2GrantType` → `oauth2_grant_type`); any character that is
/// not an ASCII letter or digit is `_`. A keyword gets `r#`, or a trailing `_` where `r#`
/// is not allowed.
fn field_name(property: &str) -> String {
    let chars: Vec<char> = property.chars().collect();
    let mut name = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            name.push('_');
            continue;
        }
        if c.is_ascii_uppercase() && index > 0 {
            let previous = chars[index - 1];
            let next_lower = chars.get(index + 1).is_some_and(char::is_ascii_lowercase);
            let run = chars[..index]
                .iter()
                .rev()
                .take_while(|c| c.is_ascii_uppercase())
                .count();
            let starts_word = previous.is_ascii_lowercase() || previous.is_ascii_digit() || (run >= 2 && next_lower);
            if starts_word && !name.ends_with('_') {
                name.push('_');
            }
        }
        name.push(c.to_ascii_lowercase());
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    const KEYWORDS: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
        "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
        "move", "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type",
        "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
    ];
    if ["crate", "self", "super", "_"].contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// Whether a value of `ty` holds an `Expr`, given the structs that do.
fn holds_exprs(ty: &Ty, with_exprs: &BTreeSet<String>) -> bool {
    match ty {
        Ty::Expr => true,
        Ty::Enum(_) => false,
        Ty::Struct(name) => with_exprs.contains(name),
        Ty::Vec(inner) | Ty::Map(inner) => holds_exprs(inner, with_exprs),
    }
}

// ---------------------------------------------------------------------------------------
// The outputs
// ---------------------------------------------------------------------------------------

pub(super) fn mod_rs() -> String {
    render::mod_rs()
}

pub(super) fn flow_rs() -> String {
    render::render(&Module::build(&RESOURCES[0]))
}

pub(super) fn connector_profile_rs() -> String {
    render::render(&Module::build(&RESOURCES[1]))
}

pub(super) fn connector_rs() -> String {
    render::render(&Module::build(&RESOURCES[2]))
}

pub(super) fn customer_profiles_integration_rs() -> String {
    render::render(&Module::build(&RESOURCES[3]))
}

#[cfg(test)]
mod tests;
