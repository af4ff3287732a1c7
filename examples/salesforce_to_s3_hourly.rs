//! Scenario (a): Salesforce `Account` → S3 every hour, mapping all fields.
//!
//! Incremental pulls on `LastModifiedDate`, Parquet files in an owned bucket encrypted
//! with an owned KMS key, a refresh-token OAuth profile whose client secret already
//! exists. Run: `cargo run --example salesforce_to_s3_hourly`.

use flowform::model::*;

/// The stack this example compiles.
pub fn stack() -> Stack {
    let mut stack = Stack::new("crm-ingest")
        .description("Salesforce accounts into the data lake")
        .tag("team", "data");
    let key = stack.add_key(Key::owned("lake").description("Encrypts the data lake"));
    let lake = stack.add_bucket(Bucket::owned("lake").encryption_key(&key));
    let client = stack.add_secret(Secret::imported(
        "sf-client",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/salesforce/client-AbCdEf",
    ));
    let salesforce = stack.add_profile(
        SalesforceConnectorProfile::new("salesforce", "https://acme.my.salesforce.com")
            .refresh_token_grant(
                Credential::secret(&client, "accessToken"),
                Credential::secret(&client, "refreshToken"),
                &client,
            )
            .encryption_key(&key),
    );
    stack.add_flow(
        OnScheduleFlow::new(
            "accounts",
            Schedule::expression("rate(1 hour)"),
            SalesforceSource::new(&salesforce, "Account").data_transfer_api(DataTransferApi::Automatic),
            S3Destination::new(&lake)
                .prefix("salesforce/account")
                .file_type(FileType::Parquet)
                .file_prefix(Prefix {
                    prefix_type: Some(PrefixType::Path),
                    format: Some(PrefixFormat::Day),
                    hierarchy: vec![],
                }),
        )
        .description("Hourly copy of Salesforce accounts")
        .incremental("LastModifiedDate")
        .start_time("2030-01-01T00:00:00Z".parse().expect("valid timestamp"))
        .time_zone("Europe/Paris")
        .map_all(),
    );
    stack
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    flowform::print_template(stack())
}
