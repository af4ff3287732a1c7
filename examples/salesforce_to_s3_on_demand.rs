//! Scenario (b): Salesforce → S3 on demand, projecting `Id`, `Name` and `CreatedDate`
//! with typed mappings and a `BETWEEN` filter on `CreatedDate`, written as JSON.
//!
//! Run: `cargo run --example salesforce_to_s3_on_demand`.

use flowform::model::*;

/// The stack this example compiles.
pub fn stack() -> Stack {
    let mut stack = Stack::new("crm-export");
    let exports = stack.add_bucket(Bucket::owned("exports"));
    // Created with its value: each JSON key comes from a NoEcho parameter passed at deploy.
    let client = stack.add_secret(
        Secret::owned("sf-client")
            .value_from_parameter("clientId", "SalesforceClientId")
            .value_from_parameter("clientSecret", "SalesforceClientSecret")
            .value_from_parameter("accessToken", "SalesforceAccessToken")
            .value_from_parameter("refreshToken", "SalesforceRefreshToken"),
    );
    let salesforce = stack.add_profile(
        SalesforceConnectorProfile::new("salesforce", "https://acme.my.salesforce.com").refresh_token_grant(
            Credential::secret(&client, "accessToken"),
            Credential::secret(&client, "refreshToken"),
            &client,
        ),
    );
    let from: Timestamp = "2024-01-01T00:00:00Z".parse().expect("valid timestamp");
    let to: Timestamp = "2024-12-31T23:59:59Z".parse().expect("valid timestamp");
    stack.add_flow(
        OnDemandFlow::new(
            "accounts-2024",
            SalesforceSource::new(&salesforce, "Account"),
            S3Destination::new(&exports)
                .prefix("accounts/2024")
                .file_type(FileType::Json),
        )
        .mapping(Mapping::map(Field::typed("Id", "id"), Field::typed("Id", "id")))
        .mapping(Mapping::map(
            Field::typed("Name", "string"),
            Field::typed("Name", "string"),
        ))
        .mapping(Mapping::map(
            Field::typed("CreatedDate", "datetime"),
            Field::typed("CreatedDate", "datetime"),
        ))
        .filter(Filter::datetime("CreatedDate").between(from, to)),
    );
    stack
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    flowform::print_template(stack())
}
