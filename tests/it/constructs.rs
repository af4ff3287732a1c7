//! Per-construct tests: the exact CloudFormation each construct produces, and the typed
//! error each invalid model gets.

use crate::support;

use flowform::model::*;
use serde_json::{Value, json};

/// A stack with an owned bucket `lake`, an access-token Salesforce profile `sf` and the
/// given flow; returns the compiled template as JSON.
fn template_with(flow: impl FnOnce(&ProfileRef, &BucketRef) -> AnyFlow) -> Value {
    let stack = stack_with(flow);
    let compiled = flowform::compile(stack, &support::options()).unwrap_or_else(|e| panic!("{:?}", e.errors));
    let value = compiled.template.to_json_value();
    support::assert_conforms(&support::Schemas::load(), &value);
    value
}

fn stack_with(flow: impl FnOnce(&ProfileRef, &BucketRef) -> AnyFlow) -> Stack {
    let mut stack = Stack::new("test");
    let lake = stack.add_bucket(Bucket::owned("lake"));
    let sf = stack.add_profile(
        SalesforceConnectorProfile::new("sf", "https://acme.my.salesforce.com")
            .access_token(Credential::parameter("SfToken")),
    );
    stack.add_flow(flow(&sf, &lake));
    stack
}

fn on_demand(sf: &ProfileRef, lake: &BucketRef) -> OnDemandFlow {
    OnDemandFlow::new("f", SalesforceSource::new(sf, "Account"), S3Destination::new(lake))
}

fn tasks_of(flow: impl FnOnce(&ProfileRef, &BucketRef) -> AnyFlow) -> Value {
    template_with(flow)["Resources"]["FFlow"]["Properties"]["Tasks"].clone()
}

/// `stack` with an on-demand flow `f` from `sf`'s `Account` to `lake`, compiled, checked
/// against the official schemas.
fn compile_with_flow(mut stack: Stack, sf: &ProfileRef, lake: &BucketRef) -> Value {
    stack.add_flow(
        OnDemandFlow::new("f", SalesforceSource::new(sf, "Account"), S3Destination::new(lake))
            .mapping(Mapping::map_all()),
    );
    let template = flowform::compile(stack, &support::options())
        .unwrap()
        .template
        .to_json_value();
    support::assert_conforms(&support::Schemas::load(), &template);
    template
}

/// The error codes a model gets, in order.
fn error_codes(stack: Stack) -> Vec<String> {
    use miette::Diagnostic;
    match flowform::compile(stack, &support::options()) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics
            .errors
            .iter()
            .map(|e| e.code().unwrap().to_string())
            .collect(),
    }
}

#[test]
fn map_all_with_empty_exclude_list_and_no_projection() {
    let tasks = tasks_of(|sf, lake| on_demand(sf, lake).mapping(Mapping::map_all()).into_any());
    assert_eq!(
        tasks,
        json!([{"TaskType": "Map_all", "SourceFields": [], "ConnectorOperator": {"Salesforce": "NO_OP"},
                "TaskProperties": [{"Key": "EXCLUDE_SOURCE_FIELDS_LIST", "Value": "[]"}]}])
    );
    let tasks = tasks_of(|sf, lake| {
        on_demand(sf, lake)
            .mapping(Mapping::map_all_except(["Secret__c", "Ssn__c"]))
            .filter(Filter::boolean("IsDeleted").equals(false))
            .into_any()
    });
    assert_eq!(tasks[0]["TaskProperties"][0]["Value"], "[\"Secret__c\",\"Ssn__c\"]");
    assert_eq!(
        tasks.as_array().unwrap().len(),
        2,
        "map-all fetches every field: no PROJECTION task"
    );
}

#[test]
fn typed_map_and_projection_of_real_source_fields() {
    let tasks = tasks_of(|sf, lake| {
        on_demand(sf, lake)
            .mapping(Mapping::map(
                Field::typed("Id", "id"),
                Field::typed("account_id", "string"),
            ))
            .mapping(Mapping::concat(
                ["FirstName", "LastName"],
                " ",
                Field::typed("FullName", "string"),
            ))
            .mapping(Mapping::add("Amount", "Tax", Field::typed("Total", "double")))
            .filter(Filter::number("Amount").greater_than(100))
            .into_any()
    });
    assert_eq!(
        tasks,
        json!([
            {"TaskType": "Filter", "SourceFields": ["Id", "FirstName", "LastName", "Amount", "Tax"],
             "ConnectorOperator": {"Salesforce": "PROJECTION"}},
            {"TaskType": "Map", "SourceFields": ["Id"], "ConnectorOperator": {"Salesforce": "NO_OP"},
             "TaskProperties": [{"Key": "SOURCE_DATA_TYPE", "Value": "id"}, {"Key": "DESTINATION_DATA_TYPE", "Value": "string"}],
             "DestinationField": "account_id"},
            {"TaskType": "Merge", "SourceFields": ["FirstName", "LastName"], "ConnectorOperator": {"Salesforce": "NO_OP"},
             "TaskProperties": [{"Key": "CONCAT_FORMAT", "Value": " "}], "DestinationField": "FirstName,LastName"},
            {"TaskType": "Map", "SourceFields": ["FirstName,LastName"], "ConnectorOperator": {"Salesforce": "NO_OP"},
             "TaskProperties": [{"Key": "DESTINATION_DATA_TYPE", "Value": "string"}, {"Key": "SOURCE_DATA_TYPE", "Value": "string"}],
             "DestinationField": "FullName"},
            {"TaskType": "Arithmetic", "SourceFields": ["Amount", "Tax"], "ConnectorOperator": {"Salesforce": "ADDITION"},
             "TaskProperties": [{"Key": "MATH_OPERATION_FIELDS_ORDER", "Value": "Amount,Tax"}], "DestinationField": "Amount,Tax"},
            {"TaskType": "Map", "SourceFields": ["Amount,Tax"], "ConnectorOperator": {"Salesforce": "NO_OP"},
             "TaskProperties": [{"Key": "DESTINATION_DATA_TYPE", "Value": "double"}, {"Key": "SOURCE_DATA_TYPE", "Value": "string"}],
             "DestinationField": "Total"},
            {"TaskType": "Filter", "SourceFields": ["Amount"], "ConnectorOperator": {"Salesforce": "GREATER_THAN"},
             "TaskProperties": [{"Key": "DATA_TYPE", "Value": "double"}, {"Key": "VALUE", "Value": "100"}]}
        ])
    );
}

#[test]
fn filters_encode_values_as_appflow_expects() {
    let from: jiff::Timestamp = "2022-02-02T00:00:00Z".parse().unwrap();
    let to: jiff::Timestamp = "2022-03-01T00:00:00Z".parse().unwrap();
    let tasks = tasks_of(|sf, lake| {
        on_demand(sf, lake)
            .mapping(Mapping::field("Id"))
            .filter(Filter::datetime("CreatedDate").between(from, to))
            .filter(Filter::string("Stage").in_list(["Won", "Lost"]))
            .filter(Filter::string("Name").contains("Acme"))
            .filter(Filter::number("Score").not_in_list([1, 2]))
            .filter(Filter::number("Amount").less_than_or_equal(2.5).data_type("currency"))
            .filter(Filter::boolean("IsDeleted").not_equals(true))
            .into_any()
    });
    let filter = |i: usize| {
        (
            tasks[i]["ConnectorOperator"]["Salesforce"].clone(),
            tasks[i]["TaskProperties"].clone(),
        )
    };
    assert_eq!(
        tasks[0]["SourceFields"],
        json!(["Id", "CreatedDate", "Stage", "Name", "Score", "Amount", "IsDeleted"])
    );
    assert_eq!(
        filter(2),
        (
            json!("BETWEEN"),
            json!([{"Key": "DATA_TYPE", "Value": "datetime"}, {"Key": "LOWER_BOUND", "Value": "1643760000000"}, {"Key": "UPPER_BOUND", "Value": "1646092800000"}])
        )
    );
    assert_eq!(
        filter(3),
        (
            json!("EQUAL_TO"),
            json!([{"Key": "DATA_TYPE", "Value": "string"}, {"Key": "VALUES", "Value": "Won,Lost"}])
        )
    );
    assert_eq!(
        filter(4),
        (
            json!("CONTAINS"),
            json!([{"Key": "DATA_TYPE", "Value": "string"}, {"Key": "VALUE", "Value": "Acme"}])
        )
    );
    assert_eq!(
        filter(5),
        (
            json!("NOT_EQUAL_TO"),
            json!([{"Key": "DATA_TYPE", "Value": "double"}, {"Key": "VALUES", "Value": "1,2"}])
        )
    );
    assert_eq!(
        filter(6),
        (
            json!("LESS_THAN_OR_EQUAL_TO"),
            json!([{"Key": "DATA_TYPE", "Value": "currency"}, {"Key": "VALUE", "Value": "2.5"}])
        )
    );
    assert_eq!(
        filter(7),
        (
            json!("NOT_EQUAL_TO"),
            json!([{"Key": "DATA_TYPE", "Value": "boolean"}, {"Key": "VALUE", "Value": "true"}])
        )
    );
}

#[test]
fn transforms_and_validations() {
    let tasks = tasks_of(|sf, lake| {
        on_demand(sf, lake)
            .mapping(Mapping::map_all())
            .transform(Transform::mask_all("Ssn__c"))
            .transform(Transform::mask_first("Card__c", 12).with_mask("#"))
            .transform(Transform::truncate("Notes__c", 100))
            .validation(Validation::not_null("Id"))
            .validation(Validation::non_zero("Amount"))
            .validation(Validation::non_negative("Amount").terminate_flow())
            .validation(Validation::numeric("Score"))
            .into_any()
    });
    assert_eq!(
        tasks.as_array().unwrap()[1..].to_vec(),
        vec![
            json!({"TaskType": "Mask", "SourceFields": ["Ssn__c"], "ConnectorOperator": {"Salesforce": "MASK_ALL"},
                   "TaskProperties": [{"Key": "MASK_LENGTH", "Value": "5"}, {"Key": "MASK_VALUE", "Value": "*"}]}),
            json!({"TaskType": "Mask", "SourceFields": ["Card__c"], "ConnectorOperator": {"Salesforce": "MASK_FIRST_N"},
                   "TaskProperties": [{"Key": "MASK_LENGTH", "Value": "12"}, {"Key": "MASK_VALUE", "Value": "#"}]}),
            json!({"TaskType": "Truncate", "SourceFields": ["Notes__c"], "ConnectorOperator": {"Salesforce": "NO_OP"},
                   "TaskProperties": [{"Key": "TRUNCATE_LENGTH", "Value": "100"}]}),
            json!({"TaskType": "Validate", "SourceFields": ["Id"], "ConnectorOperator": {"Salesforce": "VALIDATE_NON_NULL"},
                   "TaskProperties": [{"Key": "VALIDATION_ACTION", "Value": "DropRecord"}]}),
            json!({"TaskType": "Validate", "SourceFields": ["Amount"], "ConnectorOperator": {"Salesforce": "VALIDATE_NON_ZERO"},
                   "TaskProperties": [{"Key": "VALIDATION_ACTION", "Value": "DropRecord"}]}),
            json!({"TaskType": "Validate", "SourceFields": ["Amount"], "ConnectorOperator": {"Salesforce": "VALIDATE_NON_NEGATIVE"},
                   "TaskProperties": [{"Key": "VALIDATION_ACTION", "Value": "DropDataset"}]}),
            json!({"TaskType": "Validate", "SourceFields": ["Score"], "ConnectorOperator": {"Salesforce": "VALIDATE_NUMERIC"},
                   "TaskProperties": [{"Key": "VALIDATION_ACTION", "Value": "DropRecord"}]}),
        ]
    );
}

#[test]
fn scheduled_trigger_properties() {
    let template = template_with(|sf, lake| {
        OnScheduleFlow::new(
            "f",
            Schedule::expression("rate(5 minutes)"),
            SalesforceSource::new(sf, "Account"),
            S3Destination::new(lake),
        )
        .incremental("SystemModstamp")
        .start_time("2030-01-01T00:00:00Z".parse().unwrap())
        .end_time("2031-01-01T00:00:00Z".parse().unwrap())
        .first_execution_from("2029-01-01T00:00:00Z".parse().unwrap())
        .offset_seconds(36_000)
        // Written as the time zone database spells it.
        .time_zone("america/new_york")
        .error_deactivation_threshold(100)
        .status(FlowStatus::Suspended)
        .mapping(Mapping::map_all())
        .into_any()
    });
    let flow = &template["Resources"]["FFlow"]["Properties"];
    assert_eq!(flow["FlowStatus"], "Suspended");
    assert_eq!(
        flow["TriggerConfig"],
        json!({"TriggerType": "Scheduled", "TriggerProperties": {
            "ScheduleExpression": "rate(5minutes)", "DataPullMode": "Incremental",
            "ScheduleStartTime": {"Ref": "FFlowStartTime"}, "ScheduleEndTime": 1924992000,
            "ScheduleOffset": 36000, "TimeZone": "America/New_York", "FirstExecutionFrom": 1861920000,
            "FlowErrorDeactivationThreshold": 100}})
    );
    assert_eq!(
        flow["SourceFlowConfig"]["IncrementalPullConfig"],
        json!({"DatetimeTypeFieldName": "SystemModstamp"})
    );
    assert_eq!(template["Parameters"]["FFlowStartTime"]["Type"], "Number");
    assert_eq!(template["Parameters"]["FFlowStartTime"]["Default"], "1893456000");
}

#[test]
fn on_demand_and_event_triggers() {
    let template = template_with(|sf, lake| on_demand(sf, lake).mapping(Mapping::map_all()).into_any());
    let flow = &template["Resources"]["FFlow"]["Properties"];
    assert_eq!(flow["TriggerConfig"], json!({"TriggerType": "OnDemand"}));
    assert!(flow.get("FlowStatus").is_none(), "on-demand flows have no status");
    assert_eq!(flow["FlowName"], "test-f");
    let template = template_with(|sf, _| {
        OnEventFlow::new(
            "f",
            SalesforceSource::new(sf, "AccountChangeEvent"),
            EventBridgeDestination::salesforce(None),
        )
        .status(FlowStatus::Draft)
        .mapping(Mapping::map_all())
        .into_any()
    });
    let flow = &template["Resources"]["FFlow"]["Properties"];
    assert_eq!(flow["TriggerConfig"], json!({"TriggerType": "Event"}));
    assert!(
        flow.get("FlowStatus").is_none(),
        "a draft leaves FlowStatus out: {flow}"
    );
    assert_eq!(
        flow["DestinationFlowConfigList"],
        json!([{"ConnectorType": "EventBridge", "DestinationConnectorProperties": {"EventBridge": {
            "Object": {"Fn::Sub": "aws.partner/appflow/salesforce.com/${AWS::AccountId}"}}}}])
    );
}

#[test]
fn s3_destination_with_glue_catalog_and_formatting() {
    let template = template_with(|sf, lake| {
        OnDemandFlow::new(
            "f",
            SalesforceSource::new(sf, "Account"),
            S3Destination::new(lake)
                .prefix("raw")
                .file_type(FileType::Parquet)
                .aggregation(Aggregation::SingleFile {
                    target_size_mb: Some(128),
                })
                .file_prefix(Prefix {
                    prefix_type: Some(PrefixType::PathAndFilename),
                    format: Some(PrefixFormat::Hour),
                    hierarchy: vec![PathPrefix::ExecutionId, PathPrefix::SchemaVersion],
                })
                .preserve_source_data_typing(true)
                .catalog(GlueCatalog::new(GlueDatabase::Created("crm_lake".into()), "sf_")),
        )
        .mapping(Mapping::map_all())
        .into_any()
    });
    let flow = &template["Resources"]["FFlow"]["Properties"];
    assert_eq!(
        flow["DestinationFlowConfigList"][0]["DestinationConnectorProperties"]["S3"],
        json!({"BucketName": {"Ref": "LakeBucket"}, "BucketPrefix": "raw", "S3OutputFormatConfig": {
            "FileType": "PARQUET",
            "AggregationConfig": {"AggregationType": "SingleFile", "TargetFileSize": 128},
            "PrefixConfig": {"PrefixType": "PATH_AND_FILENAME", "PrefixFormat": "HOUR", "PathPrefixHierarchy": ["EXECUTION_ID", "SCHEMA_VERSION"]},
            "PreserveSourceDataTyping": true}})
    );
    assert_eq!(
        flow["MetadataCatalogConfig"],
        json!({"GlueDataCatalog": {"DatabaseName": {"Ref": "CrmLakeGlueDatabase"}, "TablePrefix": "sf_",
               "RoleArn": {"Fn::GetAtt": ["FFlowGlueRole", "Arn"]}}})
    );
    let role = &template["Resources"]["FFlowGlueRole"]["Properties"];
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": "appflow.amazonaws.com"})
    );
    assert_eq!(
        role["Policies"][0]["PolicyDocument"]["Statement"][0]["Action"]
            .as_array()
            .unwrap()
            .len(),
        29
    );
    assert_eq!(
        template["Resources"]["CrmLakeGlueDatabase"]["Properties"]["DatabaseInput"]["Name"],
        "crm_lake"
    );
}

#[test]
fn owned_bucket_gets_one_appflow_statement_and_the_flow_waits_for_it() {
    let template = template_with(|sf, lake| on_demand(sf, lake).mapping(Mapping::map_all()).into_any());
    assert_eq!(template["Resources"]["FFlow"]["DependsOn"], json!(["LakeBucketPolicy"]));
    assert_eq!(
        template["Resources"]["LakeBucketPolicy"]["Properties"],
        json!({"Bucket": {"Ref": "LakeBucket"}, "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "appflow.amazonaws.com"},
            "Action": ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts",
                       "s3:ListBucketMultipartUploads", "s3:GetBucketAcl", "s3:PutObjectAcl"],
            "Resource": [{"Fn::GetAtt": ["LakeBucket", "Arn"]}, {"Fn::Sub": "${LakeBucket.Arn}/*"}],
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]}})
    );
    assert_eq!(
        template["Resources"]["LakeBucket"]["DeletionPolicy"],
        "RetainExceptOnCreate"
    );
    assert_eq!(template["Resources"]["LakeBucket"]["UpdateReplacePolicy"], "Retain");
    assert_eq!(
        template["Outputs"]["LakeBucketName"]["Value"],
        json!({"Ref": "LakeBucket"})
    );
    assert_eq!(
        template["Outputs"]["FFlowArn"]["Value"],
        json!({"Fn::GetAtt": ["FFlow", "FlowArn"]})
    );
    assert_eq!(
        template["Outputs"]["SfProfileArn"]["Value"],
        json!({"Fn::GetAtt": ["SfProfile", "ConnectorProfileArn"]})
    );
}

#[test]
fn profile_credentials_are_references_never_values() {
    let mut stack = Stack::new("test");
    let key = stack.add_key(Key::owned("creds"));
    let client = stack.add_secret(support::client_secret("client").encryption_key(&key));
    let lake = stack.add_bucket(Bucket::owned("lake"));
    let sf = stack.add_profile(
        SalesforceConnectorProfile::new("sf", "https://acme.my.salesforce.com")
            .sandbox(true)
            .encryption_key(&key)
            .refresh_token_grant(
                Credential::secret(&client, "accessToken"),
                Credential::secret(&client, "refreshToken"),
                &client,
            ),
    );
    let template = compile_with_flow(stack, &sf, &lake);
    let profile = &template["Resources"]["SfProfile"];
    assert_eq!(
        profile["DependsOn"],
        json!(["ClientSecretPolicy"]),
        "AppFlow reads the secret when it creates the profile"
    );
    assert_eq!(
        profile["Properties"],
        json!({"ConnectorProfileName": "test-sf", "ConnectorType": "Salesforce", "ConnectionMode": "Public",
               "KMSArn": {"Fn::GetAtt": ["CredsKey", "Arn"]},
               "ConnectorProfileConfig": {
                 "ConnectorProfileProperties": {"Salesforce": {"InstanceUrl": "https://acme.my.salesforce.com", "isSandboxEnvironment": true}},
                 "ConnectorProfileCredentials": {"Salesforce": {
                   "AccessToken": {"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": "ClientSecret"}, ":SecretString:accessToken}}"]]},
                   "RefreshToken": {"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": "ClientSecret"}, ":SecretString:refreshToken}}"]]},
                   "ClientCredentialsArn": {"Ref": "ClientSecret"},
                   "OAuth2GrantType": "AUTHORIZATION_CODE"}}}})
    );
    let secret_policy = &template["Resources"]["ClientSecretPolicy"]["Properties"]["ResourcePolicy"]["Statement"];
    assert_eq!(
        secret_policy[0]["Action"],
        json!(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"])
    );
    let key_statements = template["Resources"]["CredsKey"]["Properties"]["KeyPolicy"]["Statement"]
        .as_array()
        .unwrap()
        .clone();
    let appflow: Vec<&Value> = key_statements
        .iter()
        .filter(|s| s["Principal"]["Service"] == "appflow.amazonaws.com")
        .collect();
    assert_eq!(appflow.len(), 1, "exactly one AppFlow statement on the key");
    assert_eq!(
        appflow[0]["Action"],
        json!(["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"])
    );
    assert!(!template.to_string().contains("dummy"), "no placeholder tokens");
}

#[test]
fn imported_resources_get_a_warning_with_the_exact_statement() {
    use miette::Diagnostic;
    let mut stack = Stack::new("test");
    let raw = stack.add_bucket(Bucket::imported("raw", "arn:aws:s3:::acme-raw"));
    let out = stack.add_bucket(Bucket::imported("out", "acme-out"));
    let sf = stack.add_profile(SalesforceConnectorProfile::imported(
        "sf",
        "arn:aws:appflow:eu-west-1:123456789012:connectorprofile/crm",
    ));
    stack.add_flow(
        OnDemandFlow::new(
            "f",
            S3Source::new(&raw, "in"),
            SalesforceDestination::new(&sf, "Lead", WriteOperation::insert())
                .error_handling(ErrorHandling::to_bucket(&out)),
        )
        .mapping(Mapping::field("Email")),
    );
    let compiled = flowform::compile(stack, &support::options()).unwrap();
    let template = compiled.template.to_json_value();
    assert!(
        template["Resources"].get("RawBucketPolicy").is_none(),
        "imported buckets are not changed"
    );
    let flow = &template["Resources"]["FFlow"]["Properties"];
    assert_eq!(
        flow["SourceFlowConfig"]["SourceConnectorProperties"]["S3"]["BucketName"],
        "acme-raw"
    );
    assert_eq!(flow["DestinationFlowConfigList"][0]["ConnectorProfileName"], "crm");
    let warnings: Vec<String> = compiled
        .warnings
        .iter()
        .map(|w| format!("{}\n{}", w, w.help().unwrap()))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    // In the order the stack defines the buckets.
    assert!(
        warnings[0].contains("bucket `raw` is imported")
            && warnings[0].contains("s3:GetObject")
            && !warnings[0].contains("s3:PutObject")
    );
    assert!(
        warnings[1].contains("bucket `out` is imported")
            && warnings[1].contains("\"arn:aws:s3:::acme-out/*\"")
            && warnings[1].contains("s3:PutObject")
    );
    assert!(
        warnings
            .iter()
            .all(|w| w.contains("\"aws:SourceAccount\": \"ACCOUNT_ID\""))
    );
    assert_eq!(
        compiled.warnings[0].code().unwrap().to_string(),
        "flowform::permissions::manual_policy"
    );
}

#[test]
fn one_run_reports_every_error() {
    let mut stack = Stack::new("9bad");
    let lake = stack.add_bucket(Bucket::owned("lake"));
    let s3 = stack.add_bucket(Bucket::owned("src"));
    let sf = stack.add_profile(SalesforceConnectorProfile::new("sf", "http://insecure"));
    stack.add_flow(OnEventFlow::new(
        "a",
        S3Source::new(&s3, "in"),
        S3Destination::new(&lake),
    ));
    stack.add_flow(
        OnScheduleFlow::new(
            "b",
            Schedule::expression("rate(2 weeks)"),
            SalesforceSource::new(&sf, "Account"),
            EventBridgeDestination::salesforce(None),
        )
        .time_zone("Europe/Pariss")
        .offset_seconds(36_001)
        .error_deactivation_threshold(0)
        .first_execution_from("2020-01-01T00:00:00Z".parse().unwrap())
        .mapping(Mapping::field(""))
        .transform(Transform::mask_last("Phone", 0).with_mask("**"))
        .transform(Transform::truncate("Notes", 0))
        .filter(Filter::boolean("IsDeleted").greater_than(true)),
    );
    stack.add_flow(
        OnDemandFlow::new(
            "c",
            S3Source::new(&s3, "in"),
            S3Destination::new(BucketRef::named("lak")),
        )
        .mapping(Mapping::map_all())
        .mapping(Mapping::map_all())
        .filter(Filter::string("Name").contains("x")),
    );
    stack.add_flow(
        OnDemandFlow::new(
            "c",
            SalesforceSource::new(&sf, "Account"),
            SalesforceDestination::new(&sf, "Lead", WriteOperation::upsert(Vec::<String>::new())),
        )
        .mapping(Mapping::concat(["A", "B"], "", Field::new("AB"))),
    );
    let codes = error_codes(stack);
    let expected = [
        "flowform::model::invalid_name",
        "flowform::model::duplicate_name",
        "flowform::profile::invalid_instance_url",
        "flowform::profile::missing_credentials",
        "flowform::flow::source_not_event_capable",
        "flowform::task::no_mapping",
        "flowform::schedule::invalid_expression",
        "flowform::schedule::needs_incremental",
        "flowform::model::out_of_range",
        "flowform::schedule::unknown_time_zone",
        "flowform::flow::eventbridge_needs_event_flow",
        "flowform::model::empty_value",
        "flowform::filter::operator_type",
        "flowform::transform::invalid_mask",
        "flowform::transform::zero_length",
        "flowform::task::field_not_mapped",
        "flowform::model::unknown_reference",
        "flowform::task::duplicate_map_all",
        "flowform::task::operator_not_supported",
        "flowform::destination::id_fields",
        "flowform::task::missing_data_type",
    ];
    for code in expected {
        assert!(codes.iter().any(|c| c == code), "missing {code} in {codes:#?}");
    }
    assert!(codes.len() >= 25, "{codes:#?}");
}

#[test]
fn unknown_references_and_time_zones_suggest_the_closest_name() {
    let mut stack = Stack::new("test");
    stack.add_bucket(Bucket::owned("lake"));
    let sf = stack.add_profile(
        SalesforceConnectorProfile::new("sf", "https://x.my.salesforce.com").access_token(Credential::parameter("T")),
    );
    stack.add_flow(
        OnScheduleFlow::new(
            "f",
            Schedule::rate(1, RateUnit::Hours),
            SalesforceSource::new(&sf, "Account"),
            S3Destination::new(BucketRef::named("laek")),
        )
        .time_zone("Europe/Pari")
        .mapping(Mapping::map_all()),
    );
    let errors = flowform::compile(stack, &support::options()).unwrap_err().errors;
    let rendered: Vec<String> = errors
        .iter()
        .map(|e| format!("{e} | {}", miette::Diagnostic::help(e).unwrap()))
        .collect();
    assert!(
        rendered
            .iter()
            .any(|e| e.contains("unknown bucket `laek`") && e.contains("did you mean `lake`?")),
        "{rendered:#?}"
    );
    assert!(
        rendered
            .iter()
            .any(|e| e.contains("unknown time zone `Europe/Pari`") && e.contains("`Europe/Paris`")),
        "{rendered:#?}"
    );
    assert_eq!(errors[0].path.to_string(), "flow.f.trigger.schedule.time-zone");
}

#[test]
fn the_error_of_a_library_call_shows_every_error_with_its_place() {
    let mut stack = Stack::new("test");
    stack.add_flow(
        OnDemandFlow::new(
            "f",
            S3Source::new(BucketRef::named("in"), "x"),
            S3Destination::new(BucketRef::named("out")),
        )
        .mapping(Mapping::map_all()),
    );
    let shown = flowform::compile(stack, &support::options()).unwrap_err().to_string();
    assert!(shown.starts_with("the stack has 2 errors:"), "{shown}");
    assert!(
        shown.contains("unknown bucket `in` (at `flow.f.source.s3.bucket`)"),
        "{shown}"
    );
    assert!(
        shown.contains("unknown bucket `out` (at `flow.f.destination.s3.bucket`)"),
        "{shown}"
    );
    assert!(shown.contains("help: "), "{shown}");
}

#[test]
fn names_that_collide_as_logical_ids_are_rejected() {
    let mut stack = Stack::new("test");
    stack.add_bucket(Bucket::owned("raw-data"));
    stack.add_bucket(Bucket::owned("raw_data"));
    assert_eq!(error_codes(stack), vec!["flowform::model::logical_id_collision"; 2]);
}

#[test]
fn past_start_time_is_a_warning_naming_the_parameter() {
    let stack = stack_with(|sf, lake| {
        OnScheduleFlow::new(
            "f",
            Schedule::cron("0 6 * * ? *"),
            SalesforceSource::new(sf, "Account"),
            S3Destination::new(lake),
        )
        .start_time("2020-01-01T00:00:00Z".parse().unwrap())
        .mapping(Mapping::map_all())
        .into_any()
    });
    let compiled = flowform::compile(stack, &support::options()).unwrap();
    let warning = compiled
        .warnings
        .iter()
        .find(|w| matches!(w.kind, WarningKind::StartTimeInPast { .. }))
        .expect("warning");
    assert!(
        miette::Diagnostic::help(warning)
            .unwrap()
            .to_string()
            .contains("FFlowStartTime")
    );
    let expression = &compiled.template.to_json_value()["Resources"]["FFlow"]["Properties"]["TriggerConfig"]["TriggerProperties"]
        ["ScheduleExpression"];
    assert_eq!(expression, "cron(0 6 * * ? *)");
}

/// A stack of `count` flows `f0000`, ...; flows 3 and `count - 3` map nothing, and two more
/// flows, `x-y` first and `x_y` last, collide on their logical ID.
fn stack_with_errors(count: usize) -> Stack {
    let mut stack = Stack::new("test");
    let lake = stack.add_bucket(Bucket::owned("lake"));
    let sf = stack.add_profile(
        SalesforceConnectorProfile::new("sf", "https://acme.my.salesforce.com")
            .access_token(Credential::parameter("SfToken")),
    );
    let flow = |name: &str, maps: bool| {
        let flow = OnDemandFlow::new(name, SalesforceSource::new(&sf, "Account"), S3Destination::new(&lake));
        if maps { flow.mapping(Mapping::map_all()) } else { flow }.into_any()
    };
    stack.add_flow(flow("x-y", true));
    for index in 0..count {
        stack.add_flow(flow(&format!("f{index:04}"), index != 3 && index != count - 3));
    }
    stack.add_flow(flow("x_y", true));
    stack
}

#[test]
fn a_big_stack_checked_on_every_core_reports_errors_in_the_order_a_small_one_does() {
    // 600 flows take the parallel checks; 20 the serial ones.
    let big = error_codes(stack_with_errors(600));
    assert_eq!(
        big,
        [
            // The flow's own ID and those of its start-time parameter, Glue role,
            // activation parameter and condition, and partner event bus.
            "flowform::model::logical_id_collision",
            "flowform::model::logical_id_collision",
            "flowform::model::logical_id_collision",
            "flowform::model::logical_id_collision",
            "flowform::model::logical_id_collision",
            "flowform::model::logical_id_collision",
            "flowform::task::no_mapping",
            "flowform::task::no_mapping"
        ]
    );
    assert_eq!(big, error_codes(stack_with_errors(20)));
}

/// An active event flow to EventBridge: its status is an activation parameter (Draft by
/// default), and its partner event source is associated with a bus created after it.
#[test]
fn an_active_flow_to_eventbridge_waits_for_its_partner_bus() {
    let template = template_with(|sf, _| {
        OnEventFlow::new(
            "f",
            SalesforceSource::new(sf, "AccountChangeEvent"),
            EventBridgeDestination::salesforce(Some("crm")),
        )
        .mapping(Mapping::map_all())
        .into_any()
    });
    let source = json!({"Fn::Sub": "aws.partner/appflow/salesforce.com/${AWS::AccountId}/crm"});
    assert_eq!(
        template["Resources"]["FFlowPartnerBus"],
        json!({"Type": "AWS::Events::EventBus", "DependsOn": ["FFlow"],
               "Properties": {"Name": source, "EventSourceName": source}})
    );
    assert_eq!(
        template["Resources"]["FFlow"]["Properties"]["FlowStatus"],
        json!({"Fn::If": ["FFlowActive", "Active", {"Ref": "AWS::NoValue"}]})
    );
    assert_eq!(
        template["Conditions"]["FFlowActive"],
        json!({"Fn::Equals": [{"Ref": "FFlowStatus"}, "Active"]})
    );
    assert_eq!(template["Parameters"]["FFlowStatus"]["Default"], "Draft");
    assert_eq!(
        template["Parameters"]["FFlowStatus"]["AllowedValues"],
        json!(["Draft", "Active"])
    );
    // Suspended needs no activation: it is written as it is (a new flow stays a draft).
    let template = template_with(|sf, _| {
        OnEventFlow::new(
            "f",
            SalesforceSource::new(sf, "AccountChangeEvent"),
            EventBridgeDestination::salesforce(None),
        )
        .status(FlowStatus::Suspended)
        .mapping(Mapping::map_all())
        .into_any()
    });
    assert_eq!(template["Resources"]["FFlow"]["Properties"]["FlowStatus"], "Suspended");
    assert!(template["Parameters"].get("FFlowStatus").is_none(), "{template}");
    assert!(template["Resources"].get("FFlowPartnerBus").is_some());
}

/// Event flows may write to S3 (AWS's own example does), and an S3 source pulls
/// incrementally without a timestamp field.
#[test]
fn what_aws_allows_is_allowed() {
    let template = template_with(|sf, lake| {
        OnEventFlow::new(
            "f",
            SalesforceSource::new(sf, "AccountChangeEvent"),
            S3Destination::new(lake),
        )
        .mapping(Mapping::map_all())
        .into_any()
    });
    let flow = &template["Resources"]["FFlow"]["Properties"];
    assert_eq!(flow["FlowStatus"], "Active");
    assert_eq!(flow["DestinationFlowConfigList"][0]["ConnectorType"], "S3");
    let template = template_with(|_, lake| {
        OnScheduleFlow::new(
            "f",
            Schedule::rate(1, RateUnit::Hours),
            S3Source::new(lake, "in"),
            S3Destination::new(lake).prefix("out"),
        )
        .incremental_without_field()
        .mapping(Mapping::map_all())
        .into_any()
    });
    let flow = &template["Resources"]["FFlow"]["Properties"];
    assert_eq!(
        flow["TriggerConfig"]["TriggerProperties"]["DataPullMode"],
        "Incremental"
    );
    assert!(
        flow["SourceFlowConfig"].get("IncrementalPullConfig").is_none(),
        "{flow}"
    );
}

/// A secret the stack creates holds its value in the same deploy: `SecretString` is an
/// `Fn::Sub` over NoEcho parameters that refuse `"` and `\`.
#[test]
fn an_owned_secret_gets_its_value_from_noecho_parameters() {
    let mut stack = Stack::new("test");
    let lake = stack.add_bucket(Bucket::owned("lake"));
    let secret = stack.add_secret(support::client_secret("client"));
    let sf = stack.add_profile(
        SalesforceConnectorProfile::new("sf", "https://acme.my.salesforce.com").refresh_token_grant(
            Credential::secret(&secret, "accessToken"),
            // The same parameter for a direct credential keeps the secret's declaration.
            Credential::parameter("SfRefreshToken"),
            &secret,
        ),
    );
    let template = compile_with_flow(stack, &sf, &lake);
    assert_eq!(
        template["Resources"]["ClientSecret"]["Properties"]["SecretString"],
        json!({"Fn::Sub": "{\"accessToken\":\"${SfAccessToken}\",\"clientId\":\"${SfClientId}\",\"clientSecret\":\"${SfClientSecret}\",\"refreshToken\":\"${SfRefreshToken}\"}"})
    );
    for parameter in ["SfClientId", "SfClientSecret", "SfAccessToken", "SfRefreshToken"] {
        let declared = &template["Parameters"][parameter];
        assert_eq!(declared["NoEcho"], true, "{parameter}");
        assert_eq!(declared["AllowedPattern"], "[^\"\\\\]*", "{parameter}");
    }
}

/// Salesforce profiles as AWS requires them: both tokens for the refresh-token grant
/// (a Rust type error otherwise), and a My Domain instance URL.
#[test]
fn salesforce_instance_urls_must_be_the_api_host() {
    let codes = |url: &str| {
        let mut stack = Stack::new("test");
        let lake = stack.add_bucket(Bucket::owned("lake"));
        let sf = stack
            .add_profile(SalesforceConnectorProfile::new("sf", url).access_token(Credential::parameter("SfToken")));
        stack.add_flow(
            OnDemandFlow::new("f", SalesforceSource::new(&sf, "Account"), S3Destination::new(&lake))
                .mapping(Mapping::map_all()),
        );
        error_codes(stack)
    };
    for good in [
        "https://acme.my.salesforce.com",
        "https://acme--uat.sandbox.my.salesforce.com",
        "https://acme.my.salesforce.com/",
    ] {
        assert!(codes(good).is_empty(), "{good}: {:?}", codes(good));
    }
    for bad in [
        "https://acme.lightning.force.com",
        "https://acme--uat.sandbox.lightning.force.com",
        "https://login.salesforce.com",
        "https://acme.my.salesforce-setup.com",
        "https://acme.my.site.com",
        "https://acme.my.salesforce.com/lightning/page/home",
    ] {
        assert_eq!(codes(bad), ["flowform::salesforce::instance_url"], "{bad}");
    }
}

#[test]
fn a_flow_to_customer_profiles_is_an_integration_in_the_integration_schemas_spelling() {
    let mut stack = Stack::new("test");
    let key = stack.add_key(Key::owned("profiles"));
    let domain = stack.add_domain(Domain::imported("customers", "acme-customers"));
    let user = SecretRef::named("snow");
    stack.add_secret(Secret::imported("snow", "itsm/appflow"));
    let itsm = stack.add_profile(
        ServiceNowConnectorProfile::new("itsm", "https://acme.service-now.com").basic(
            Credential::secret(&user, "username"),
            Credential::secret(&user, "password"),
        ),
    );
    stack.add_flow(
        OnScheduleFlow::new(
            "users",
            Schedule::rate(1, RateUnit::Days),
            ServiceNowSource::new(&itsm, "sys_user"),
            CustomerProfilesDestination::new(&domain, "ServiceNow-sys_user"),
        )
        .encryption_key(&key)
        .mapping(Mapping::field("email")),
    );
    let template = flowform::compile(stack, &support::options())
        .unwrap_or_else(|e| panic!("{:?}", e.errors))
        .template
        .to_json_value();
    support::assert_conforms(&support::Schemas::load(), &template);
    let integration = &template["Resources"]["UsersFlow"];
    assert_eq!(integration["Type"], "AWS::CustomerProfiles::Integration");
    let properties = &integration["Properties"];
    assert_eq!(properties["DomainName"], "acme-customers");
    assert_eq!(properties["ObjectTypeName"], "ServiceNow-sys_user");
    let definition = &properties["FlowDefinition"];
    assert_eq!(definition["FlowName"], "test-users");
    assert_eq!(definition["KmsArn"], json!({"Fn::GetAtt": ["ProfilesKey", "Arn"]}));
    // The flow schema spells it `Servicenow`, the Integration schema `ServiceNow`.
    assert_eq!(definition["SourceFlowConfig"]["ConnectorType"], "ServiceNow");
    assert_eq!(
        definition["SourceFlowConfig"]["SourceConnectorProperties"],
        json!({"ServiceNow": {"Object": "sys_user"}})
    );
    let map = &definition["Tasks"][1];
    assert_eq!(map["ConnectorOperator"], json!({"ServiceNow": "NO_OP"}));
    assert_eq!(map["TaskType"], "Map");
    assert_eq!(
        definition["TriggerConfig"]["TriggerProperties"]["Scheduled"]["ScheduleExpression"],
        "rate(1days)"
    );
    // No attribute returns the flow's ARN: it is built as AppFlow builds it.
    let arn = &template["Outputs"]["UsersFlowArn"]["Value"];
    assert_eq!(
        arn,
        &json!({"Fn::Sub": "arn:${AWS::Partition}:appflow:${AWS::Region}:${AWS::AccountId}:flow/test-users"})
    );
    assert_eq!(template["Outputs"]["UsersFlowName"]["Value"], "test-users");
}

#[test]
fn a_flow_to_customer_profiles_from_a_source_it_does_not_take_is_an_error() {
    let mut stack = Stack::new("test");
    let key = stack.add_key(Key::owned("profiles"));
    let domain = stack.add_domain(Domain::owned("customers", 30));
    let ops = stack.add_profile(
        DatadogConnectorProfile::new("ops", "https://api.datadoghq.com")
            .api_key(Credential::parameter("DdApi"))
            .application_key(Credential::parameter("DdApp")),
    );
    stack.add_flow(
        OnDemandFlow::new(
            "logs",
            DatadogSource::new(&ops, "logs"),
            CustomerProfilesDestination::new(&domain, "Logs"),
        )
        .encryption_key(&key)
        .mapping(Mapping::field("id")),
    );
    assert_eq!(error_codes(stack), ["flowform::customerprofiles::source_not_supported"]);
}
