//! Salesforce contacts and Zendesk users into a Customer Profiles domain the stack creates.
//!
//! The same stack as `examples/customer_profiles_contacts.toml`: each flow becomes an
//! `AWS::CustomerProfiles::Integration` (CloudFormation's flow schema has no Customer
//! Profiles destination), encrypted with the stack's key. Run:
//! `cargo run --example customer_profiles_contacts`.

use flowform::model::*;

/// The stack this example compiles.
pub fn stack() -> Stack {
    let mut stack = Stack::new("contact-center").tag("team", "support");
    let key = stack.add_key(Key::owned("profiles").description("Encrypts the customer profiles and their flows"));
    let customers = stack.add_domain(
        Domain::owned("customers", 366)
            .encryption_key(&key)
            .object_type("Salesforce-Contact")
            .object_type("Zendesk-users"),
    );
    let sf_app = stack.add_secret(Secret::imported(
        "sf-app",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/salesforce-AbCdEf",
    ));
    let zendesk_app = stack.add_secret(Secret::imported(
        "zendesk",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/zendesk-AbCdEf",
    ));
    let crm = stack.add_profile(
        SalesforceConnectorProfile::new("crm", "https://acme.my.salesforce.com").refresh_token_grant(
            Credential::secret(&sf_app, "accessToken"),
            Credential::secret(&sf_app, "refreshToken"),
            &sf_app,
        ),
    );
    let helpdesk = stack.add_profile(
        ZendeskConnectorProfile::new("helpdesk", "https://acme.zendesk.com")
            .oauth(&zendesk_app, Credential::secret(&zendesk_app, "accessToken")),
    );
    stack.add_flow(
        OnScheduleFlow::new(
            "contacts",
            Schedule::rate(1, RateUnit::Hours),
            SalesforceSource::new(&crm, "Contact"),
            CustomerProfilesDestination::new(&customers, "Salesforce-Contact"),
        )
        .description("Salesforce contacts into customer profiles")
        .encryption_key(&key)
        .incremental("LastModifiedDate")
        .map_fields(["Id", "FirstName", "LastName", "Email", "Phone", "AccountId"]),
    );
    stack.add_flow(
        OnDemandFlow::new(
            "users",
            ZendeskSource::new(&helpdesk, "users"),
            CustomerProfilesDestination::new(&customers, "Zendesk-users"),
        )
        .encryption_key(&key)
        .map_fields(["id", "name", "email", "phone"])
        .filter(
            Filter::datetime("updated_at")
                .greater_than("2030-01-01T00:00:00Z".parse::<Timestamp>().expect("valid timestamp")),
        ),
    );
    stack
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    flowform::print_template(stack())
}
