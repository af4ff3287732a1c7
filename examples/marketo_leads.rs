//! Marketo both ways: January's leads into S3 daily, enriched leads back into Marketo.
//!
//! The same stack as `examples/marketo_leads.toml`: a client-credentials profile whose
//! client ID and secret are in an existing secret, a daily flow (Marketo allows at most
//! one scheduled run an hour) filtering `updatedAt` with `BETWEEN`, and an on-demand flow
//! writing leads with an error bucket. Run: `cargo run --example marketo_leads`.

use flowform::model::*;

/// The stack this example compiles.
pub fn stack() -> Stack {
    let mut stack = Stack::new("marketing-sync");
    let lake = stack.add_bucket(Bucket::owned("lake"));
    let errors = stack.add_bucket(Bucket::owned("errors"));
    let app = stack.add_secret(Secret::imported(
        "marketo-app",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/marketo-AbCdEf",
    ));
    let marketo = stack.add_profile(
        MarketoConnectorProfile::new("marketo", "https://123-ABC-456.mktorest.com").client_credentials_grant(&app),
    );
    let january = |day: &str| day.parse::<Timestamp>().expect("valid timestamp");
    stack.add_flow(
        OnScheduleFlow::new(
            "leads",
            Schedule::rate(1, RateUnit::Days),
            MarketoSource::new(&marketo, "leads"),
            S3Destination::new(&lake).prefix("marketo/leads"),
        )
        .map_all()
        .filter(
            Filter::datetime("updatedAt").between(january("2030-01-01T00:00:00Z"), january("2030-01-31T00:00:00Z")),
        ),
    );
    stack.add_flow(
        OnDemandFlow::new(
            "enriched-leads",
            S3Source::new(&lake, "enriched/leads").format(InputFileType::Csv),
            MarketoDestination::new(&marketo, "leads")
                .error_handling(ErrorHandling::to_bucket(&errors).prefix("marketo-leads")),
        )
        .map_fields(["email", "firstName", "lastName"]),
    );
    stack
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    flowform::print_template(stack())
}
