//! Zendesk both ways: tickets into S3 every hour, users upserted from S3 into Zendesk.
//!
//! The same stack as `examples/zendesk_support.toml`: an owned secret holds the OAuth
//! client and its access token (NoEcho parameters at deploy time), the tickets flow pulls
//! incrementally and filters on `updated_at` (`GREATER_THAN` is the one comparison
//! Zendesk's `ConnectorOperator` allows), the users flow upserts on `external_id` with an
//! error bucket. Run: `cargo run --example zendesk_support`.

use flowform::model::*;

/// The stack this example compiles.
pub fn stack() -> Stack {
    let mut stack = Stack::new("support-sync");
    let lake = stack.add_bucket(Bucket::owned("lake"));
    let errors = stack.add_bucket(Bucket::owned("errors"));
    let app = stack.add_secret(
        Secret::owned("zendesk-app")
            .value_from_parameter("clientId", "ZendeskClientId")
            .value_from_parameter("clientSecret", "ZendeskClientSecret")
            .value_from_parameter("accessToken", "ZendeskAccessToken"),
    );
    let zendesk = stack.add_profile(
        ZendeskConnectorProfile::new("zendesk", "https://acme.zendesk.com")
            .oauth(&app, Credential::secret(&app, "accessToken")),
    );
    stack.add_flow(
        OnScheduleFlow::new(
            "tickets",
            Schedule::rate(1, RateUnit::Hours),
            ZendeskSource::new(&zendesk, "tickets"),
            S3Destination::new(&lake)
                .prefix("zendesk/tickets")
                .file_type(FileType::Parquet),
        )
        .incremental_without_field()
        .map_all()
        .filter(
            Filter::datetime("updated_at")
                .greater_than("2030-01-01T00:00:00Z".parse::<Timestamp>().expect("valid timestamp")),
        ),
    );
    stack.add_flow(
        OnDemandFlow::new(
            "users",
            S3Source::new(&lake, "crm/users").format(InputFileType::Json),
            ZendeskDestination::new(&zendesk, "users", WriteOperationType::Upsert)
                .id_fields(["external_id"])
                .error_handling(ErrorHandling::to_bucket(&errors).prefix("zendesk-users")),
        )
        .map_fields(["external_id", "name", "email"]),
    );
    stack
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    flowform::print_template(stack())
}
