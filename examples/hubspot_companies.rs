//! HubSpot both ways, through one profile: companies from S3 upserted into HubSpot by
//! their domain, ticket-to-contact association labels exported to S3 every day.
//!
//! The same stack as `examples/hubspot_companies.toml`, through the `HubSpot` preset: it
//! writes the connector's label, its OAuth token URL and its entity paths. Run:
//! `cargo run --example hubspot_companies`.

use flowform::model::*;

/// The stack this example compiles.
pub fn stack() -> Stack {
    let mut stack = Stack::new("hubspot-sync");
    let crm = stack.add_bucket(Bucket::owned("crm"));
    let app = stack.add_secret(Secret::imported(
        "hubspot-app",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/hubspot-Ab12Cd",
    ));
    let oauth = OAuth2::authorization_code()
        .client(&app)
        .access_token(Credential::secret(&app, "accessToken"))
        .refresh_token(Credential::secret(&app, "refreshToken"));
    let hubspot = stack.add_profile(HubSpot::profile("hubspot", oauth));
    stack.add_flow(
        OnDemandFlow::new(
            "companies-in",
            S3Source::new(&crm, "inbound/companies").format(InputFileType::Json),
            HubSpot::destination(&hubspot, &["company"], "v3", WriteOperation::upsert(["domain"]))
                .error_handling(ErrorHandling::to_bucket(&crm).prefix("errors/companies")),
        )
        .map_all(),
    );
    stack.add_flow(
        OnScheduleFlow::new(
            "ticket-contacts-out",
            Schedule::rate(1, RateUnit::Days),
            HubSpot::source(&hubspot, &["association_label", "ticket", "contact"], "v4"),
            S3Destination::new(&crm).prefix("exports/ticket-contacts"),
        )
        .map_all(),
    );
    stack
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    flowform::print_template(stack())
}
