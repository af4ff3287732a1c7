//! Property tests over generated stacks: "exactly once" permissions, an idempotent
//! permissions pass, deterministic output, stable logical IDs, and schema conformance.

use crate::support;

use std::collections::BTreeSet;

use flowform::model::*;
use proptest::prelude::*;
use serde_json::Value;

/// What one generated flow does with the shared resources.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// S3 (shared bucket) → S3 (shared bucket): read + write.
    S3ToS3,
    /// Salesforce → S3 (shared bucket): write.
    SalesforceToS3,
    /// S3 (shared bucket) → Salesforce, errors to the shared bucket: read + write.
    S3ToSalesforce,
    /// Salesforce → Salesforce, errors to the shared bucket: write.
    SalesforceToSalesforce,
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::S3ToS3),
        Just(Shape::SalesforceToS3),
        Just(Shape::S3ToSalesforce),
        Just(Shape::SalesforceToSalesforce)
    ]
}

/// N flows sharing one bucket (encrypted with the shared key), the shared key (also the
/// flows' key when `flow_key`) and one client-credentials secret.
fn shared_stack(shapes: &[(Shape, bool)]) -> Stack {
    let mut stack = Stack::new("shared");
    let key = stack.add_key(Key::owned("shared"));
    let bucket = stack.add_bucket(Bucket::owned("shared").encryption_key(&key));
    let secret = stack.add_secret(support::client_secret("client").encryption_key(&key));
    let sf = stack.add_profile(
        SalesforceConnectorProfile::new("sf", "https://acme.my.salesforce.com").refresh_token_grant(
            Credential::secret(&secret, "accessToken"),
            Credential::secret(&secret, "refreshToken"),
            &secret,
        ),
    );
    for (index, (shape, flow_key)) in shapes.iter().enumerate() {
        let name = format!("flow-{index}");
        let sf_source = || Source::from(SalesforceSource::new(&sf, "Account"));
        let s3_source = || Source::from(S3Source::new(&bucket, "in"));
        let s3_destination = || Destination::from(S3Destination::new(&bucket).prefix(format!("out/{index}")));
        let sf_destination = || {
            Destination::from(
                SalesforceDestination::new(&sf, "Lead", WriteOperation::insert())
                    .error_handling(ErrorHandling::to_bucket(&bucket)),
            )
        };
        let (source, destination) = match shape {
            Shape::S3ToS3 => (s3_source(), s3_destination()),
            Shape::SalesforceToS3 => (sf_source(), s3_destination()),
            Shape::S3ToSalesforce => (s3_source(), sf_destination()),
            Shape::SalesforceToSalesforce => (sf_source(), sf_destination()),
        };
        let mut flow = OnDemandFlow::new(name, source, destination).mapping(Mapping::field("Id"));
        if *flow_key {
            flow = flow.encryption_key(&key);
        }
        stack.add_flow(flow);
    }
    stack
}

fn appflow_statements(document: &Value) -> Vec<&Value> {
    document["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["Principal"]["Service"] == "appflow.amazonaws.com")
        .collect()
}

fn actions(statement: &Value) -> BTreeSet<String> {
    statement["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

const READ: &[&str] = &["s3:GetObject", "s3:ListBucket"];
const WRITE: &[&str] = &[
    "s3:PutObject",
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
    "s3:ListBucketMultipartUploads",
    "s3:GetBucketAcl",
    "s3:PutObjectAcl",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn exactly_one_statement_per_resource_with_the_union_of_actions(shapes in prop::collection::vec((shape(), any::<bool>()), 1..24)) {
        let template = flowform::compile(shared_stack(&shapes), &support::options()).unwrap().template.to_json_value();
        support::assert_conforms(&support::Schemas::load(), &template);
        let resources = &template["Resources"];

        let bucket = appflow_statements(&resources["SharedBucketPolicy"]["Properties"]["PolicyDocument"]);
        prop_assert_eq!(bucket.len(), 1);
        let reads = shapes.iter().any(|(s, _)| matches!(s, Shape::S3ToS3 | Shape::S3ToSalesforce));
        let mut expected = set(WRITE);
        if reads { expected.extend(set(READ)); }
        prop_assert_eq!(actions(bucket[0]), expected);

        let key = appflow_statements(&resources["SharedKey"]["Properties"]["KeyPolicy"]);
        prop_assert_eq!(key.len(), 1);
        // Every shape writes the bucket (S3 needs GenerateDataKey and Decrypt) and the
        // profile reads the secret (Decrypt); only a flow encrypting its own data with the
        // key adds Encrypt. Always one statement.
        let mut expected = set(&["kms:GenerateDataKey", "kms:Decrypt"]);
        if shapes.iter().any(|(_, flow_key)| *flow_key) { expected.extend(set(&["kms:Encrypt"])); }
        prop_assert_eq!(actions(key[0]), expected);

        let secret = appflow_statements(&resources["ClientSecretPolicy"]["Properties"]["ResourcePolicy"]);
        prop_assert_eq!(secret.len(), 1);
        prop_assert_eq!(actions(secret[0]), set(&["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]));

        // Every flow waits for the bucket policy it needs.
        for index in 0..shapes.len() {
            let flow = &resources[format!("Flow{index}Flow")];
            prop_assert_eq!(&flow["DependsOn"], &serde_json::json!(["SharedBucketPolicy"]));
        }
    }

    #[test]
    fn grants_depend_on_the_stack_alone(shapes in prop::collection::vec((shape(), any::<bool>()), 1..12)) {
        let validate = || flowform::validate(shared_stack(&shapes), support::options().now).unwrap().0;
        let (first, first_warnings) = flowform::grant_permissions(validate());
        let (second, second_warnings) = flowform::grant_permissions(validate());
        prop_assert_eq!(&first, &second);
        prop_assert_eq!(first_warnings, second_warnings);
        prop_assert_eq!(flowform::synthesize(&first).to_json(), flowform::synthesize(&second).to_json());
    }

    #[test]
    fn same_model_same_bytes_and_adding_a_flow_moves_nothing(
        shapes in prop::collection::vec((shape(), any::<bool>()), 1..12),
        extra in shape(),
    ) {
        let before = flowform::compile(shared_stack(&shapes), &support::options()).unwrap().template;
        let again = flowform::compile(shared_stack(&shapes), &support::options()).unwrap().template;
        prop_assert_eq!(before.to_json(), again.to_json());

        let mut more = shapes.clone();
        more.push((extra, false));
        let after = flowform::compile(shared_stack(&more), &support::options()).unwrap().template;
        for (id, resource) in &before.resources {
            let moved = after.resources.get(id);
            prop_assert!(moved.is_some(), "{} disappeared", id);
            // The shared policies may gain actions; every other resource is untouched.
            if !id.ends_with("Policy") && id != "SharedKey" {
                prop_assert_eq!(Some(resource), moved, "{} changed", id);
            }
        }
    }
}

#[test]
fn removing_a_flow_leaves_the_others_untouched() {
    let shapes = vec![(Shape::SalesforceToS3, false); 5];
    let before = flowform::compile(shared_stack(&shapes), &support::options())
        .unwrap()
        .template;
    let mut stack = shared_stack(&shapes);
    stack.remove_flow("flow-2").unwrap();
    let after = flowform::compile(stack, &support::options()).unwrap().template;
    assert!(!after.resources.contains_key("Flow2Flow"));
    for id in [
        "Flow0Flow",
        "Flow1Flow",
        "Flow3Flow",
        "Flow4Flow",
        "SharedBucketPolicy",
        "SfProfile",
    ] {
        assert_eq!(before.resources.get(id), after.resources.get(id), "{id} changed");
    }
}

#[test]
fn the_operator_table_matches_the_schema_enums() {
    use flowform::cfn::appflow::{ConnectorType, Operator, operator_allowed};
    let schemas = support::Schemas::load();
    let definitions = &schemas.schema("AWS::AppFlow::Flow")["definitions"];
    for (connector, definition) in [
        (ConnectorType::Salesforce, "SalesforceConnectorOperator"),
        (ConnectorType::S3, "S3ConnectorOperator"),
    ] {
        let allowed: BTreeSet<&str> = definitions[definition]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for operator in Operator::ALL {
            assert_eq!(
                operator_allowed(connector, operator),
                allowed.contains(operator.as_str()),
                "{connector:?} {}",
                operator.as_str()
            );
        }
    }
}

#[test]
fn key_grants_follow_what_uses_the_key() {
    // A key used only to encrypt a written bucket gets what S3's multipart uploads need,
    // GenerateDataKey and Decrypt, and no Encrypt (S3 never calls it for SSE-KMS).
    let mut stack = Stack::new("k");
    let key = stack.add_key(Key::owned("k"));
    let out = stack.add_bucket(Bucket::owned("out").encryption_key(&key));
    let src = stack.add_bucket(Bucket::owned("src"));
    stack.add_flow(
        OnDemandFlow::new("f", S3Source::new(&src, "in"), S3Destination::new(&out)).mapping(Mapping::field("a")),
    );
    let template = flowform::compile(stack, &support::options())
        .unwrap()
        .template
        .to_json_value();
    let key = appflow_statements(&template["Resources"]["KKey"]["Properties"]["KeyPolicy"]);
    assert_eq!(actions(key[0]), set(&["kms:Decrypt", "kms:GenerateDataKey"]));
    let src = appflow_statements(&template["Resources"]["SrcBucketPolicy"]["Properties"]["PolicyDocument"]);
    assert_eq!(actions(src[0]), set(READ));
}
