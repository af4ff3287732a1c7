//! Settings that are references (`model::Text`): a template parameter, a secret's JSON
//! key, a Parameter Store parameter or another stack's export, from TOML and from Rust,
//! through synthesis, the split and the deployer policy.

use crate::support;

use flowform::model::*;
use flowform::policy::{PolicyOptions, deployer_policy};
use serde_json::{Value, json};

const TOML: &str = r#"
[stack]
name = "crm"

[bucket.exports]

[secret.sf]
value.accessToken = { parameter = "SfAccessToken" }
value.refreshToken = { parameter = "SfRefreshToken" }
value.clientId = { parameter = "SfClientId" }
value.clientSecret = { parameter = "SfClientSecret" }
value.instanceUrl = { parameter = "SfInstanceUrl" }

[profile.salesforce.salesforce]
instance-url = { secret = "sf", key = "instanceUrl" }
oauth = { access-token = { secret = "sf", key = "accessToken" }, refresh-token = { secret = "sf", key = "refreshToken" }, client-secret = "sf" }

[flow.accounts]
description = { parameter = "AccountsDescription" }
source.salesforce = { profile = "salesforce", object = { ssm = "/crm/accounts-object" } }
destination.s3 = { bucket = "exports", prefix = "accounts" }
map-all = {}

[flow.contacts]
source.salesforce = { profile = "salesforce", object = { import = "crm-ContactObject" } }
destination.s3 = { bucket = "exports", prefix = "contacts" }
map-all = {}
"#;

/// The same stack as [`TOML`], built in Rust.
fn stack() -> Stack {
    let mut stack = Stack::new("crm");
    let exports = stack.add_bucket(Bucket::owned("exports"));
    let sf = stack.add_secret(
        Secret::owned("sf")
            .value_from_parameter("accessToken", "SfAccessToken")
            .value_from_parameter("refreshToken", "SfRefreshToken")
            .value_from_parameter("clientId", "SfClientId")
            .value_from_parameter("clientSecret", "SfClientSecret")
            .value_from_parameter("instanceUrl", "SfInstanceUrl"),
    );
    let salesforce = stack.add_profile(
        SalesforceConnectorProfile::new("salesforce", Text::secret(&sf, "instanceUrl")).refresh_token_grant(
            Credential::secret(&sf, "accessToken"),
            Credential::secret(&sf, "refreshToken"),
            &sf,
        ),
    );
    stack.add_flow(
        OnDemandFlow::new(
            "accounts",
            SalesforceSource::new(&salesforce, Text::ssm("/crm/accounts-object")),
            S3Destination::new(&exports).prefix("accounts"),
        )
        .description(Text::parameter("AccountsDescription"))
        .map_all(),
    );
    stack.add_flow(
        OnDemandFlow::new(
            "contacts",
            SalesforceSource::new(&salesforce, Text::import("crm-ContactObject")),
            S3Destination::new(&exports).prefix("contacts"),
        )
        .map_all(),
    );
    stack
}

fn compile_toml(text: &str) -> Vec<flowform::StackTemplate> {
    match flowform::compile_source("refs.toml", text, &support::options()) {
        Ok(synthesized) => synthesized.templates,
        Err(report) => {
            let rendered: Vec<String> = report.diagnostics.iter().map(|d| d.one_line()).collect();
            panic!("does not compile:\n{}", rendered.join("\n"))
        }
    }
}

#[test]
fn each_kind_of_reference_becomes_what_cloudformation_resolves() {
    let templates = compile_toml(TOML);
    assert_eq!(templates.len(), 1);
    let template = templates[0].template.to_json_value();
    support::assert_conforms(&support::Schemas::load(), &template);
    let flows = &template["Resources"];
    let object = |flow: &str| {
        &flows[flow]["Properties"]["SourceFlowConfig"]["SourceConnectorProperties"]["Salesforce"]["Object"]
    };
    assert_eq!(object("AccountsFlow"), &json!("{{resolve:ssm:/crm/accounts-object}}"));
    assert_eq!(object("ContactsFlow"), &json!({"Fn::ImportValue": "crm-ContactObject"}));
    assert_eq!(
        flows["AccountsFlow"]["Properties"]["Description"],
        json!({"Ref": "AccountsDescription"})
    );
    let url = &flows["SalesforceProfile"]["Properties"]["ConnectorProfileConfig"]["ConnectorProfileProperties"]["Salesforce"]
        ["InstanceUrl"];
    assert_eq!(
        url,
        &json!({"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": "SfSecret"}, ":SecretString:instanceUrl}}"]]})
    );
    // A setting's parameter is a plain String; the credentials' stay NoEcho.
    let parameters = &template["Parameters"];
    assert_eq!(parameters["AccountsDescription"]["Type"], "String");
    assert_eq!(parameters["AccountsDescription"].get("NoEcho"), None);
    assert_eq!(parameters["SfAccessToken"]["NoEcho"], true);
}

#[test]
fn references_from_rust_give_the_toml_bytes() {
    let from_toml = compile_toml(TOML).remove(0).template.to_json();
    let from_rust = flowform::compile(stack(), &support::options())
        .unwrap()
        .template
        .to_json();
    assert_eq!(from_toml, from_rust);
}

#[test]
fn the_deployer_may_read_what_the_references_read() {
    let templates = compile_toml(TOML);
    let options = PolicyOptions {
        partition: "aws".into(),
        region: "eu-west-1".into(),
        account: "123456789012".into(),
        template_bucket: None,
        role_arn: None,
    };
    let policy = deployer_policy(&templates, &options).document;
    let statement = |sid: &str| -> Value {
        let statements = policy["Statement"].as_array().unwrap();
        statements
            .iter()
            .find(|s| s["Sid"] == sid)
            .cloned()
            .unwrap_or_else(|| panic!("no {sid} in {policy:#}"))
    };
    assert_eq!(
        statement("DynamicReferenceParameters")["Resource"],
        json!(["arn:aws:ssm:eu-west-1:123456789012:parameter/crm/accounts-object"])
    );
    assert_eq!(
        statement("DynamicReferenceSecrets")["Action"],
        json!(["secretsmanager:GetSecretValue"])
    );
}

#[test]
fn a_flow_stack_declares_the_parameters_of_its_flows() {
    // 150 flows split over two stacks, every one reading its object from one parameter:
    // each stack declares it, and the profile's stays in the main stack.
    let mut text = String::from(
        "[stack]\nname = \"big\"\n\n[bucket.exports]\n\n[profile.sf.salesforce]\ninstance-url = { parameter = \"SfUrl\" }\noauth = { access-token = { parameter = \"SfToken\" } }\n",
    );
    for n in 0..150 {
        text.push_str(&format!(
            "\n[flow.f{n}]\nsource.salesforce = {{ profile = \"sf\", object = {{ parameter = \"ObjectName\" }} }}\ndestination.s3 = {{ bucket = \"exports\", prefix = \"p{n}\" }}\nmap-all = {{}}\n"
        ));
    }
    let templates = compile_toml(&text);
    assert!(
        templates.len() >= 2,
        "expected a split, got {} stack(s)",
        templates.len()
    );
    for (index, stack) in templates.iter().enumerate() {
        let template = stack.template.to_json_value();
        let parameters = template["Parameters"].as_object().cloned().unwrap_or_default();
        assert_eq!(parameters["ObjectName"]["Type"], "String", "stack {index}");
        assert_eq!(parameters.contains_key("SfUrl"), index == 0, "stack {index}");
    }
}

/// The errors of `stack`, as `path: code` lines.
fn error_paths(stack: Stack) -> Vec<String> {
    let errors = flowform::validate(stack, support::options().now).unwrap_err().errors;
    errors
        .iter()
        .map(|e| format!("{}: {}", e.path, miette::Diagnostic::code(e).unwrap()))
        .collect()
}

#[test]
fn a_reference_is_checked_for_its_form_not_its_value() {
    let mut stack = Stack::new("crm");
    stack.add_profile(
        SalesforceConnectorProfile::new("sf", Text::ssm("/crm/url:2")).access_token(Credential::parameter("Token")),
    );
    // No literal URL check applies to a parameter.
    stack.add_profile(
        SalesforceConnectorProfile::new("ok", Text::parameter("SfUrl")).access_token(Credential::parameter("Token")),
    );
    let found = error_paths(stack);
    assert!(
        found.contains(&"profile.sf.salesforce.instance-url.ssm: flowform::model::invalid_name".to_owned()),
        "{found:?}"
    );
    assert!(!found.iter().any(|e| e.starts_with("profile.ok")), "{found:?}");
}

#[test]
fn each_profile_reports_its_own_credential_errors_once() {
    let mut stack = Stack::new("crm");
    for _ in 0..2 {
        stack.add_profile(
            SalesforceConnectorProfile::new("sf", "https://acme.my.salesforce.com")
                .access_token(Credential::parameter("Bad-Token")),
        );
    }
    let found = error_paths(stack);
    let bad = "profile.sf.salesforce.oauth.access-token.parameter: flowform::model::invalid_name";
    assert_eq!(
        found.iter().filter(|e| *e == bad).count(),
        2,
        "one per profile: {found:?}"
    );
}
