//! Salesforce contacts into Amazon Redshift every hour, through the Redshift Data API.
//!
//! The same stack as `examples/salesforce_to_redshift.toml`: a Redshift profile of a
//! provisioned cluster whose database user is in an existing secret, AppFlow staging the
//! records in a bucket the stack creates, and the two roles the stack creates for it.
//! Run: `cargo run --example salesforce_to_redshift`.

use flowform::model::*;

/// The stack this example compiles.
pub fn stack() -> Stack {
    let mut stack = Stack::new("crm-warehouse");
    let staging = stack.add_bucket(Bucket::owned("redshift-staging"));
    let app = stack.add_secret(Secret::imported(
        "sf-app",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/salesforce-AbCdEf",
    ));
    let user = stack.add_secret(Secret::imported("redshift", "prod/redshift/appflow"));
    let crm = stack.add_profile(
        SalesforceConnectorProfile::new("crm", "https://acme.my.salesforce.com").refresh_token_grant(
            Credential::secret(&app, "accessToken"),
            Credential::secret(&app, "refreshToken"),
            &app,
        ),
    );
    let warehouse = stack.add_profile(
        RedshiftConnectorProfile::cluster(
            "warehouse",
            "analytics",
            "dev",
            &staging,
            Credential::secret(&user, "username"),
        )
        .prefix("appflow"),
    );
    stack.add_flow(
        OnScheduleFlow::new(
            "contacts",
            Schedule::rate(1, RateUnit::Hours),
            SalesforceSource::new(&crm, "Contact"),
            RedshiftDestination::new(&warehouse, "public.contact").error_handling(
                ErrorHandling::to_bucket(&staging)
                    .prefix("errors")
                    .fail_on_first_error(false),
            ),
        )
        .incremental("LastModifiedDate")
        .map_fields(["Id", "FirstName", "LastName", "Email"]),
    );
    stack
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    flowform::print_template(stack())
}
