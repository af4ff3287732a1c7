//! The generated types against the schemas and the rules. That they write what the
//! hand-written types wrote before them, byte for byte, the golden templates prove.

use serde_json::json;

use super::*;
use crate::cfn::Expr;
use crate::cfn::appflow::operator_allowed;
use crate::cfn::generated::{VisitExprs, connector_profile as profile, flow};
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
                custom_connector: Some(flow::CustomConnectorSourceProperties {
                    custom_properties: [("a".to_owned(), x()), ("b".to_owned(), x())].into_iter().collect(),
                    data_transfer_api: Some(flow::CustomConnectorSourcePropertiesDataTransferApi {
                        name: x(),
                        r#type: flow::CustomConnectorSourcePropertiesDataTransferApiType::Async,
                    }),
                    entity_name: x(),
                }),
                sapo_data: Some(flow::SAPODataSourceProperties {
                    object_path: x(),
                    pagination_config: Some(flow::SAPODataPaginationConfig { max_page_size: x() }),
                    parallelism_config: None,
                }),
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
                    s3: Some(flow::S3DestinationProperties {
                        bucket_name: x(),
                        bucket_prefix: Some(x()),
                        s3_output_format_config: Some(flow::S3OutputFormatConfig {
                            aggregation_config: Some(flow::AggregationConfig {
                                aggregation_type: None,
                                target_file_size: Some(x()),
                            }),
                            ..Default::default()
                        }),
                    }),
                    ..Default::default()
                },
            },
            flow::DestinationFlowConfig {
                connector_type: ConnectorType::Salesforce,
                connector_profile_name: Some(x()),
                api_version: None,
                destination_connector_properties: flow::DestinationConnectorProperties {
                    salesforce: Some(flow::SalesforceDestinationProperties {
                        object: x(),
                        write_operation_type: None,
                        id_field_names: vec![x(), x()],
                        data_transfer_api: None,
                        error_handling_config: Some(flow::ErrorHandlingConfig {
                            bucket_name: Some(x()),
                            bucket_prefix: None,
                            fail_on_first_error: Some(x()),
                        }),
                    }),
                    ..Default::default()
                },
            },
        ],
        tasks: vec![flow::Task {
            task_type: flow::TaskType::Map,
            source_fields: vec![x()],
            connector_operator: flow::ConnectorOperator::new(ConnectorType::Salesforce, Operator::NoOp),
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

#[test]
fn connector_operator_new_keys_as_the_schema_and_checks_the_enum() {
    let servicenow = flow::ConnectorOperator::new(ConnectorType::Servicenow, Operator::Projection).unwrap();
    assert_eq!(
        serde_json::to_value(servicenow).unwrap(),
        json!({"ServiceNow": "PROJECTION"})
    );
    assert_eq!(
        flow::ConnectorOperator::new(ConnectorType::S3, Operator::Contains),
        None
    );
    assert!(flow::ConnectorOperator::new(ConnectorType::S3, Operator::Between).is_some());
    assert_eq!(
        flow::ConnectorOperator::new(ConnectorType::EventBridge, Operator::Projection),
        None
    );
    // And agrees with the facts everywhere, keyed as the facts spell the connector.
    for connector in ConnectorType::ALL {
        for operator in Operator::ALL {
            let generated = flow::ConnectorOperator::new(connector, operator);
            assert_eq!(
                generated.is_some(),
                operator_allowed(connector, operator),
                "{connector:?} {operator:?}"
            );
            if let Some(generated) = generated {
                let key = connector.facts().operators.as_ref().unwrap().key;
                assert_eq!(
                    serde_json::to_value(generated).unwrap(),
                    json!({ key: operator.as_str() })
                );
            }
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
        let read_only = schema.json["readOnlyProperties"].as_array().unwrap();
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

#[test]
fn emit_order_names_are_schema_properties() {
    for resource in &RESOURCES {
        for (name, listed) in resource.emit_order {
            let properties = schema_properties(resource, name);
            for property in *listed {
                assert!(
                    properties.iter().any(|p| p == property),
                    "{}: emit_order lists {name}.{property}, which the schema lacks",
                    resource.file
                );
            }
            let unique: BTreeSet<&&str> = listed.iter().collect();
            assert_eq!(unique.len(), listed.len(), "{name} lists a property twice");
        }
    }
}

/// Every struct the order tables name, with its compiled `FIELDS`: all the schema's
/// properties are fields, the listed ones first and in their order.
#[test]
fn ordered_structs_have_every_schema_property() {
    macro_rules! fields {
        ($module:ident: $($name:ident),* $(,)?) => {
            vec![$((stringify!($name), $module::$name::FIELDS)),*]
        };
    }
    #[rustfmt::skip]
    let compiled = [
        (&RESOURCES[0], fields!(flow: Flow, Tag, TriggerConfig, ScheduledTriggerProperties, SourceFlowConfig,
            SalesforceSourceProperties, S3SourceProperties, S3InputFormatConfig, IncrementalPullConfig,
            DestinationFlowConfig, S3DestinationProperties, S3OutputFormatConfig, AggregationConfig, PrefixConfig,
            SalesforceDestinationProperties, EventBridgeDestinationProperties, ErrorHandlingConfig,
            MetadataCatalogConfig, GlueDataCatalog, Task, TaskPropertiesObject)),
        (&RESOURCES[1], fields!(profile: ConnectorProfile, ConnectorProfileConfig,
            SalesforceConnectorProfileProperties, SalesforceConnectorProfileCredentials)),
    ];
    for (resource, structs) in compiled {
        let named: Vec<&str> = structs.iter().map(|(name, _)| *name).collect();
        let listed: Vec<&str> = resource.emit_order.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            named, listed,
            "{}: the test covers every struct of emit_order",
            resource.file
        );
        for ((name, fields), (_, order)) in structs.iter().zip(resource.emit_order) {
            let mut fields_sorted: Vec<&str> = fields.to_vec();
            fields_sorted.sort_unstable();
            let mut properties = schema_properties(resource, name);
            properties.sort_unstable();
            assert_eq!(fields_sorted, properties, "{name}");
            assert_eq!(&fields[..order.len()], *order, "{name}");
        }
    }
}

// --- Names ---------------------------------------------------------------------------

#[test]
fn names_follow_the_rules() {
    for (property, field) in [
        ("KMSArn", "kms_arn"),
        ("isSandboxEnvironment", "is_sandbox_environment"),
        ("OAuth2GrantType", "oauth2_grant_type"),
        ("SAPOData", "sapo_data"),
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
        inline_name("SAPODataSourceProperties", "paginationConfig"),
        "SAPODataSourcePropertiesPaginationConfig"
    );
}

#[test]
fn the_generated_modules_use_facts_enums_where_the_rules_say() {
    let flow = Module::build(&RESOURCES[0]);
    let used: Vec<&str> = flow.facts_used.iter().copied().collect();
    assert_eq!(used, ["ConnectorType", "Operator", "TaskPropertyKey"]);
    assert!(flow.enums.iter().all(|e| !e.name.ends_with("ConnectorOperator")));
    let integration = Module::build(&RESOURCES[3]);
    assert!(!integration.facts_used.contains("ConnectorType"));
    let own = integration.enums.iter().find(|e| e.name == "ConnectorType").unwrap();
    assert!(own.values.spellings().contains(&"ServiceNow".to_owned()));
}

// --- Synthetic schemas ---------------------------------------------------------------

const SYNTHETIC: Resource = Resource {
    file: "synthetic.json",
    module: "synthetic",
    emit_order: &[],
    intrinsic_enums: &[],
    own_connector_type: false,
    operator_constructor: false,
};

/// The module for a resource `AWS::Test::Thing` with `properties` and `definitions`.
fn synthetic(properties: Value, definitions: Value) -> String {
    let schema = Schema {
        file: "synthetic.json",
        json: json!({ "typeName": "AWS::Test::Thing", "properties": properties, "definitions": definitions }),
    };
    render::render(&Module::from_schema(&SYNTHETIC, schema))
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
        json!({ "ConnectorType": { "type": "string", "enum": ["Salesforce", "Hubspot"] } }),
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
