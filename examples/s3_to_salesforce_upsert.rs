//! Scenario (c): S3 → Salesforce, a daily upsert of contacts with an error bucket, a
//! masking transform and validations. The profile authenticates with a JWT passed as a
//! `NoEcho` parameter. Run: `cargo run --example s3_to_salesforce_upsert`.

use flowform::model::*;

/// The stack this example compiles.
pub fn stack() -> Stack {
    let mut stack = Stack::new("crm-sync");
    let inbound = stack.add_bucket(Bucket::owned("inbound"));
    let errors = stack.add_bucket(Bucket::owned("errors"));
    let salesforce = stack.add_profile(
        SalesforceConnectorProfile::new("salesforce", "https://acme--uat.sandbox.my.salesforce.com")
            .sandbox(true)
            .jwt_grant(Credential::parameter("SalesforceJwt")),
    );
    stack.add_flow(
        OnScheduleFlow::new(
            "contacts",
            Schedule::rate(1, RateUnit::Days),
            S3Source::new(&inbound, "crm/contacts").format(InputFileType::Csv),
            SalesforceDestination::new(&salesforce, "Contact", WriteOperationType::Upsert)
                .id_fields(["External_Id__c"])
                .data_transfer_api(DataTransferApi::Bulkv2)
                .error_handling(
                    ErrorHandling::to_bucket(&errors)
                        .prefix("contact-upserts")
                        .fail_on_first_error(false),
                ),
        )
        .start_time("2030-01-01T02:00:00Z".parse().expect("valid timestamp"))
        .offset_seconds(300)
        .error_deactivation_threshold(5)
        .map_fields(["External_Id__c", "Email", "Phone"])
        .mapping(Mapping::map(
            Field::new("last_name"),
            Field::typed("LastName", "string"),
        ))
        .transform(Transform::mask_last("Phone", 4).with_mask("#"))
        .validation(Validation::not_null("Email"))
        .validation(Validation::not_null("External_Id__c").terminate_flow()),
    );
    stack
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    flowform::print_template(stack())
}
