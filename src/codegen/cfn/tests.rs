//! The generated types against the schemas and the rules. That they write what the
//! hand-written types wrote before them, byte for byte, the golden templates prove.

use serde_json::json;

use super::*;
use crate::cfn::Expr;
use crate::cfn::appflow::operator_allowed;
use crate::cfn::generated::{VisitExprs, flow};
use crate::connectors::facts::{ConnectorType, Operator, TaskPropertyKey};

fn pretty(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

#[test]
fn visit_exprs_reaches_every_expr_in_field_order() {
    // Each `x()` is the next `Ref`; fields are written in the generated field order, so
    // the visit must meet them as x1, x2, ...
    let mut count = 0;
    let mut x = || {
        count += 1;
        Expr::Ref(format!("x{count}"))
    };
    let mut value = flow::Flow {
        flow_name: x(),
        description: Some(x()),
        flow_status: Some(x()),
        kms_arn: Some(x()),
        trigger_config: flow::TriggerConfig {
            trigger_type: flow::TriggerType::Scheduled,
            trigger_properties: Some(flow::ScheduledTriggerProperties {
                schedule_expression: x(),
                data_pull_mode: None,
                schedule_start_time: Some(x()),
                schedule_end_time: Some(x()),
                schedule_offset: None,
                time_zone: Some(x()),
                first_execution_from: None,
                flow_error_deactivation_threshold: Some(x()),
            }),
        },
        source_flow_config: flow::SourceFlowConfig {
            connector_type: ConnectorType::CustomConnector,
            connector_profile_name: Some(x()),
            api_version: Some(x()),
            source_connector_properties: flow::SourceConnectorProperties {
                custom_connector: Some(Box::new(flow::CustomConnectorSourceProperties {
                    custom_properties: [("a".to_owned(), x()), ("b".to_owned(), x())].into_iter().collect(),
                    data_transfer_api: Some(flow::CustomConnectorSourcePropertiesDataTransferApi {
                        name: x(),
                        r#type: flow::CustomConnectorSourcePropertiesDataTransferApiType::Async,
                    }),
                    entity_name: x(),
                })),
                s3: Some(Box::new(flow::S3SourceProperties {
                    bucket_name: x(),
                    bucket_prefix: x(),
                    s3_input_format_config: Some(flow::S3InputFormatConfig::default()),
                })),
                ..Default::default()
            },
            incremental_pull_config: Some(flow::IncrementalPullConfig {
                datetime_type_field_name: Some(x()),
            }),
        },
        destination_flow_config_list: vec![
            flow::DestinationFlowConfig {
                connector_type: ConnectorType::S3,
                connector_profile_name: None,
                api_version: None,
                destination_connector_properties: flow::DestinationConnectorProperties {
                    s3: Some(Box::new(flow::S3DestinationProperties {
                        bucket_name: x(),
                        bucket_prefix: Some(x()),
                        s3_output_format_config: Some(flow::S3OutputFormatConfig {
                            aggregation_config: Some(flow::AggregationConfig {
                                aggregation_type: None,
                                target_file_size: Some(x()),
                            }),
                            ..Default::default()
                        }),
                    })),
                    ..Default::default()
                },
            },
            flow::DestinationFlowConfig {
                connector_type: ConnectorType::CustomConnector,
                connector_profile_name: Some(x()),
                api_version: None,
                destination_connector_properties: flow::DestinationConnectorProperties {
                    custom_connector: Some(Box::new(flow::CustomConnectorDestinationProperties {
                        custom_properties: [("c".to_owned(), x())].into_iter().collect(),
                        entity_name: x(),
                        error_handling_config: Some(flow::ErrorHandlingConfig {
                            bucket_name: Some(x()),
                            bucket_prefix: None,
                            fail_on_first_error: Some(x()),
                        }),
                        id_field_names: vec![x(), x()],
                        write_operation_type: None,
                    })),
                    ..Default::default()
                },
            },
        ],
        tasks: vec![flow::Task {
            task_type: flow::TaskType::Map,
            source_fields: vec![x()],
            connector_operator: flow::ConnectorOperator::new(ConnectorType::S3, Operator::NoOp),
            task_properties: vec![flow::TaskPropertiesObject {
                key: TaskPropertyKey::DestinationDataType,
                value: x(),
            }],
            destination_field: Some(x()),
        }],
        metadata_catalog_config: Some(flow::MetadataCatalogConfig {
            glue_data_catalog: Some(flow::GlueDataCatalog {
                database_name: x(),
                table_prefix: x(),
                role_arn: x(),
            }),
        }),
        tags: vec![flow::Tag { key: x(), value: x() }],
    };
    let total = count;
    let mut seen = Vec::new();
    value.visit_exprs_mut(&mut |expr| {
        let Expr::Ref(name) = expr else {
            panic!("not a Ref: {expr:?}")
        };
        seen.push(name.clone());
        *expr = Expr::Str(format!("visited {name}"));
    });
    let expected: Vec<String> = (1..=total).map(|n| format!("x{n}")).collect();
    assert_eq!(seen, expected);
    // The visit could rewrite every one of them: no `Ref` is left.
    assert!(!pretty(&value).contains("Ref"), "{}", pretty(&value));
}

// --- ConnectorOperator::new ----------------------------------------------------------

/// For every connector and operator: `new` gives the operator under the connector's
/// key exactly when the facts say its enum allows it (as `operator_allowed` does), and
/// `None` for a connector without operator facts.
#[test]
fn connector_operator_new_agrees_with_the_facts_for_every_connector() {
    for connector in ConnectorType::ALL {
        let facts = connector.facts().operators.as_ref();
        for operator in Operator::ALL {
            let generated = flow::ConnectorOperator::new(connector, operator);
            let allowed = facts.is_some_and(|f| f.operators.contains(&operator));
            assert_eq!(generated.is_some(), allowed, "{connector:?} {operator:?}");
            assert_eq!(
                operator_allowed(connector, operator),
                allowed,
                "{connector:?} {operator:?}"
            );
            if let (Some(generated), Some(facts)) = (generated, facts) {
                assert_eq!(
                    serde_json::to_value(generated).unwrap(),
                    json!({ facts.key: operator.as_str() }),
                    "{connector:?} {operator:?}"
                );
            }
        }
    }
    // Both ways to `None` occur: a connector without operator facts, and an operator a
    // connector's enum leaves out.
    assert!(
        ConnectorType::ALL.iter().any(|c| c.facts().operators.is_none()),
        "every connector has operator facts"
    );
    assert!(
        ConnectorType::ALL.iter().any(|c| c
            .facts()
            .operators
            .as_ref()
            .is_some_and(|o| o.operators.len() < Operator::ALL.len())),
        "every connector with operator facts allows every operator"
    );
}

/// `ConnectorOperator`'s fields are the schema's keys, and where a key is spelled
/// differently from the connector's `ConnectorType` value, `new` writes the key's spelling.
#[test]
fn connector_operator_new_keys_as_the_schema_spells_the_connector() {
    let schema = Schema::flow();
    let keys: Vec<&String> = schema.json["definitions"]["ConnectorOperator"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(flow::ConnectorOperator::FIELDS, keys);
    let differing: Vec<ConnectorType> = ConnectorType::ALL
        .into_iter()
        .filter(|c| c.facts().operators.as_ref().is_some_and(|o| o.key != c.as_str()))
        .collect();
    assert!(
        !differing.is_empty(),
        "no ConnectorOperator key differs from its ConnectorType value: the spelling is untested"
    );
    for connector in differing {
        let facts = connector.facts().operators.as_ref().unwrap();
        for &operator in facts.operators {
            let value = serde_json::to_value(flow::ConnectorOperator::new(connector, operator).unwrap()).unwrap();
            assert_eq!(value, json!({ facts.key: operator.as_str() }), "{connector:?}");
            assert!(value.get(connector.as_str()).is_none(), "{connector:?}");
        }
    }
}

// --- Fields --------------------------------------------------------------------------

/// The properties of struct `name` of `resource`, read from the schema directly: the
/// top-level writable ones for the resource's struct, else the definition's.
fn schema_properties(resource: &Resource, name: &str) -> Vec<String> {
    let schema = Schema::load(resource.file);
    let root = schema.json["typeName"].as_str().unwrap().rsplit("::").next().unwrap();
    if name == root {
        let read_only = schema.json["readOnlyProperties"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        schema.json["properties"]
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| !read_only.contains(&Value::String(format!("/properties/{k}"))))
            .cloned()
            .collect()
    } else {
        schema.properties(name).keys().cloned().collect()
    }
}

/// The resource of `type_name`.
fn resource_of(type_name: &str) -> &'static Resource {
    RESOURCES
        .iter()
        .find(|r| super::type_name(&Schema::load(r.file)) == type_name)
        .unwrap_or_else(|| panic!("no resource has the type {type_name}"))
}

#[test]
fn emit_order_names_are_schema_properties() {
    let orders = read_emit_orders();
    assert!(!orders.is_empty(), "{EMIT_ORDER_FILE} lists no resource");
    for (type_name, order) in &orders {
        let resource = resource_of(type_name);
        for (name, listed) in order {
            let properties = schema_properties(resource, name);
            for property in listed {
                assert!(
                    properties.contains(property),
                    "{}: {EMIT_ORDER_FILE} lists {name}.{property}, which the schema lacks",
                    resource.file
                );
            }
            let unique: BTreeSet<&String> = listed.iter().collect();
            assert_eq!(unique.len(), listed.len(), "{name} lists a property twice");
        }
    }
}

/// Every struct of every module written for a resource or a definition has all the
/// schema's properties as fields: those its emit order lists first, in that order, then
/// the rest in the schema's order. (The committed `FIELDS` and serialization order are
/// these fields', as `generated_files_are_current` holds them to the rendered text.)
#[test]
fn every_struct_has_every_schema_property_in_emit_order() {
    let orders = read_emit_orders();
    for resource in &RESOURCES {
        let module = Module::build(resource);
        let order = orders
            .iter()
            .find(|(type_name, _)| *type_name == module.type_name)
            .map_or(&[][..], |(_, order)| order);
        for (name, _) in order {
            assert!(
                module.structs.iter().any(|s| s.name == *name),
                "{}: {name} is listed but not written",
                resource.file
            );
        }
        let mut checked = 0;
        for s in &module.structs {
            if matches!(s.origin, Origin::Inline(_)) {
                continue;
            }
            let listed: &[String] = order.iter().find(|(n, _)| *n == s.name).map_or(&[], |(_, l)| l);
            let mut expected = listed.to_vec();
            expected.extend(
                schema_properties(resource, &s.name)
                    .into_iter()
                    .filter(|p| !listed.contains(p)),
            );
            let fields: Vec<&str> = s.fields.iter().map(|f| f.schema.as_str()).collect();
            assert_eq!(fields, expected, "{}: {}", resource.file, s.name);
            checked += 1;
        }
        assert!(checked > 0, "{}: no struct checked", resource.file);
    }
}

// --- Names ---------------------------------------------------------------------------

#[test]
fn names_follow_the_rules() {
    for (property, field) in [
        ("KMSArn", "kms_arn"),
        ("isSandboxEnvironment", "is_sandbox_environment"),
        ("OAuth2GrantType", "oauth2_grant_type"),
        ("ABCData", "abc_data"),
        ("S3InputFormatConfig", "s3_input_format_config"),
        ("DisableSSO", "disable_sso"),
        ("ConnectorOAuthRequest", "connector_oauth_request"),
        ("maxPageSize", "max_page_size"),
        ("Type", "r#type"),
        ("Self", "self_"),
    ] {
        assert_eq!(field_name(property), field, "{property}");
    }
    for (value, variant) in [
        ("PATH_AND_FILENAME", "PathAndFilename"),
        ("Map_all", "MapAll"),
        ("SingleFile", "SingleFile"),
        ("Draft", "Draft"),
        ("OAUTH2", "Oauth2"),
        ("BULKV2", "Bulkv2"),
        ("2xx", "V2xx"),
        ("Self", "SelfValue"),
        ("a-b.c", "ABC"),
    ] {
        assert_eq!(variant_name(value), variant, "{value}");
    }
    assert_eq!(inline_name("Flow", "FlowStatus"), "FlowStatus");
    assert_eq!(
        inline_name("ConnectorProfile", "ConnectionMode"),
        "ConnectorProfileConnectionMode"
    );
    assert_eq!(
        inline_name("AcmeSourceProperties", "paginationConfig"),
        "AcmeSourcePropertiesPaginationConfig"
    );
}

#[test]
fn the_generated_modules_use_facts_enums_where_the_rules_say() {
    let flow = Module::build(&RESOURCES[0]);
    let used: Vec<&str> = flow.facts_used.iter().copied().collect();
    assert_eq!(used, ["ConnectorType", "Operator", "TaskPropertyKey"]);
    assert!(flow.enums.iter().all(|e| !e.name.ends_with("ConnectorOperator")));
    // Every connector's operator enum is facts' `Operator`.
    for node in flow.schema.json["definitions"]["ConnectorOperator"]["properties"]
        .as_object()
        .unwrap()
        .values()
    {
        let definition = flow.schema.ref_name(node).unwrap();
        assert_eq!(
            flow.definitions[definition],
            Ty::Enum("Operator".to_owned()),
            "{definition}"
        );
    }
    // The integration schema's `ConnectorType` is its own: its values as that schema
    // spells them, some of which facts' `ConnectorType` lacks.
    let integration = Module::build(&RESOURCES[3]);
    assert!(integration.resource.own_connector_type);
    assert!(!integration.facts_used.contains("ConnectorType"));
    let own = integration.enums.iter().find(|e| e.name == "ConnectorType").unwrap();
    let schema = Schema::load(RESOURCES[3].file);
    let values: Vec<&str> = schema.json["definitions"]["ConnectorType"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(own.values.spellings(), values);
    assert!(
        values.iter().any(|v| ConnectorType::parse(v).is_none()),
        "every value is facts' too"
    );
}

// --- Synthetic schemas ---------------------------------------------------------------

const SYNTHETIC: Resource = Resource {
    file: "synthetic.json",
    module: "synthetic",
    intrinsic_enums: &[],
    own_connector_type: false,
    operator_constructor: false,
};

/// The module for a resource `AWS::Test::Thing` with `properties` and `definitions`.
fn synthetic(properties: Value, definitions: Value) -> String {
    synthetic_ordered(properties, definitions, &[])
}

/// The same, with an emit order.
fn synthetic_ordered(properties: Value, definitions: Value, order: &[(&str, &[&str])]) -> String {
    let schema = Schema {
        file: "synthetic.json",
        json: json!({ "typeName": "AWS::Test::Thing", "properties": properties, "definitions": definitions }),
    };
    let order = order
        .iter()
        .map(|(name, properties)| ((*name).to_owned(), properties.iter().map(|p| (*p).to_owned()).collect()))
        .collect();
    render::render(&Module::from_schema(&SYNTHETIC, schema, order))
}

#[test]
fn a_struct_that_contains_itself_is_boxed() {
    let text = synthetic(
        json!({ "Root": { "$ref": "#/definitions/Node" } }),
        json!({ "Node": { "type": "object", "properties": {
            "Next": { "$ref": "#/definitions/Node" },
            "Children": { "type": "array", "items": { "$ref": "#/definitions/Node" } },
            "Labels": { "type": "object", "patternProperties": { ".*": { "$ref": "#/definitions/Node" } } },
        } } }),
    );
    assert!(text.contains("pub next: Option<Box<Node>>,"), "{text}");
    assert!(text.contains("pub children: Vec<Node>,"), "{text}");
    assert!(text.contains("pub labels: indexmap::IndexMap<String, Node>,"), "{text}");
}

#[test]
#[should_panic(expected = "synthetic.json: Thing.ConnectorType: ConnectorType has values facts' ConnectorType lacks")]
fn a_connector_type_facts_lack_fails_the_generator() {
    synthetic(
        json!({ "ConnectorType": { "$ref": "#/definitions/ConnectorType" } }),
        json!({ "ConnectorType": { "type": "string", "enum": [ConnectorType::ALL[0].as_str(), "AcmeCrm"] } }),
    );
}

#[test]
#[should_panic(expected = "synthetic.json: Thing.foo_bar: two properties become the field foo_bar")]
fn two_properties_of_one_field_name_fail_the_generator() {
    synthetic(
        json!({ "FooBar": { "type": "string" }, "foo_bar": { "type": "string" } }),
        json!({}),
    );
}

#[test]
#[should_panic(expected = "synthetic.json: Thing.Mode: \"A_B\" and \"a-b\" both become AB")]
fn two_values_of_one_variant_fail_the_generator() {
    synthetic(
        json!({ "Mode": { "type": "string", "enum": ["A_B", "a-b"] } }),
        json!({}),
    );
}

#[test]
#[should_panic(expected = "synthetic.json: Thing.Choice: the keyword \"oneOf\"")]
fn an_unknown_keyword_fails_the_generator() {
    synthetic(json!({ "Choice": { "type": "object", "oneOf": [] } }), json!({}));
}

#[test]
fn the_emit_order_puts_listed_properties_first() {
    let text = synthetic_ordered(
        json!({ "A": { "type": "string" }, "B": { "type": "string" }, "C": { "$ref": "#/definitions/Part" } }),
        json!({ "Part": { "type": "object", "properties": { "X": { "type": "string" }, "Y": { "type": "string" } } } }),
        &[("Thing", &["C", "A"]), ("Part", &["Y"])],
    );
    assert!(
        text.contains(r#"pub const FIELDS: &[&str] = &["C", "A", "B"];"#),
        "{text}"
    );
    assert!(text.contains(r#"pub const FIELDS: &[&str] = &["Y", "X"];"#), "{text}");
    let c = text.find("pub c: ").unwrap();
    let a = text.find("pub a: ").unwrap();
    let b = text.find("pub b: ").unwrap();
    assert!(c < a && a < b, "{text}");
}

#[test]
#[should_panic(expected = "synthetic.json: schema/emit-order.json lists \"Widget\", which is no struct written")]
fn an_emit_order_naming_no_struct_fails_the_generator() {
    synthetic_ordered(json!({ "A": { "type": "string" } }), json!({}), &[("Widget", &["A"])]);
}

#[test]
#[should_panic(expected = "synthetic.json: Thing: schema/emit-order.json lists \"Gadget\", which is not a property")]
fn an_emit_order_naming_no_property_fails_the_generator() {
    synthetic_ordered(
        json!({ "A": { "type": "string" } }),
        json!({}),
        &[("Thing", &["Gadget"])],
    );
}

#[test]
#[should_panic(expected = "synthetic.json: Thing: schema/emit-order.json lists \"A\" twice")]
fn an_emit_order_naming_a_property_twice_fails_the_generator() {
    synthetic_ordered(
        json!({ "A": { "type": "string" } }),
        json!({}),
        &[("Thing", &["A", "A"])],
    );
}

#[test]
#[should_panic(
    expected = "schema/emit-order.json: \"AWS::Acme::Widget\" is the typeName of no schema the generator reads"
)]
fn an_emit_order_for_an_unknown_resource_fails_the_generator() {
    parse_emit_orders(
        &json!({ "$comment": "made up", "AWS::Acme::Widget": { "Widget": ["A"] } }),
        &["AWS::Acme::Gadget".to_owned()],
    );
}

#[test]
fn the_emit_order_file_keeps_its_order() {
    let orders = parse_emit_orders(
        &json!({ "$comment": "made up", "AWS::Acme::Gadget": { "Zed": ["Z", "A", "M"], "Alpha": ["B"] } }),
        &["AWS::Acme::Gadget".to_owned()],
    );
    let expected = vec![(
        "AWS::Acme::Gadget".to_owned(),
        vec![
            ("Zed".to_owned(), vec!["Z".to_owned(), "A".to_owned(), "M".to_owned()]),
            ("Alpha".to_owned(), vec!["B".to_owned()]),
        ],
    )];
    assert_eq!(orders, expected);
}
