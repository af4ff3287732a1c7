//! Your own connector: the Custom Connector SDK's sample Salesforce connector, created as
//! a Lambda function from its package in S3 and registered, with a profile and an
//! on-demand flow to S3.
//!
//! The same stack as `examples/custom_connector_registered.toml`: the function and its
//! role, the registration (`AWS::AppFlow::Connector`) and its `AWS::Lambda::Permission`,
//! a generic custom connector profile that names the registration, and a flow reading
//! `Account` at the sample's API version. Run: `cargo run --example custom_connector_registered`.

use flowform::model::*;

/// The stack this example compiles.
pub fn stack() -> Stack {
    let mut stack = Stack::new("sdk-sample");
    let connector = stack.add_connector(
        RegisteredConnector::from_code(
            "salesforce-sample",
            FunctionCode::new(
                Text::parameter("ConnectorCodeBucket"),
                "connectors/salesforce-sample.zip",
                "custom_connector_example.handlers.lambda_handler.salesforce_lambda_handler",
                "python3.12",
            ),
        )
        .label("SalesforceSample")
        .description("The Custom Connector SDK sample connector for Salesforce")
        .write_operations([
            WriteOperationType::Insert,
            WriteOperationType::Update,
            WriteOperationType::Upsert,
        ]),
    );
    let app = stack.add_secret(Secret::imported("salesforce-app", "appflow/sample-connector"));
    let oauth = OAuth2::authorization_code()
        .client(&app)
        .access_token(Credential::secret(&app, "accessToken"))
        .refresh_token(Credential::secret(&app, "refreshToken"))
        .token_url("https://login.salesforce.com/services/oauth2/token");
    let sample = stack.add_profile(
        CustomConnectorProfile::registered("sample", connector)
            .property("instanceUrl", "https://acme.my.salesforce.com")
            .property("is_sandbox_account", "false")
            .oauth2(oauth),
    );
    let landing = stack.add_bucket(Bucket::owned("landing"));
    stack.add_flow(
        OnDemandFlow::new(
            "accounts",
            CustomSource::new(&sample, "Account").api_version("v51.0"),
            S3Destination::new(&landing).prefix("sample/accounts"),
        )
        .map_all(),
    );
    stack
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    flowform::print_template(stack())
}
