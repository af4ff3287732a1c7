//! Datadog and Dynatrace to S3: a month of logs and problems, on demand.
//!
//! The same stack as `examples/observability_to_s3.toml`: two API-key profiles whose keys
//! are in one secret the stack creates (its values `NoEcho` parameters), and two on-demand
//! flows, each with the date range its connector requires. Run:
//! `cargo run --example observability_to_s3`.

use flowform::model::*;

/// The stack this example compiles.
pub fn stack() -> Stack {
    let mut stack = Stack::new("observability-archive");
    let archive = stack.add_bucket(Bucket::owned("archive"));
    let keys = stack.add_secret(
        Secret::owned("monitoring")
            .value_from_parameter("datadogApiKey", "DatadogApiKey")
            .value_from_parameter("datadogApplicationKey", "DatadogApplicationKey")
            .value_from_parameter("dynatraceApiToken", "DynatraceApiToken"),
    );
    let datadog = stack.add_profile(
        DatadogConnectorProfile::new("datadog", "https://api.datadoghq.com")
            .api_key(Credential::secret(&keys, "datadogApiKey"))
            .application_key(Credential::secret(&keys, "datadogApplicationKey")),
    );
    let dynatrace = stack.add_profile(
        DynatraceConnectorProfile::new("dynatrace", "https://abc12345.live.dynatrace.com")
            .api_token(Credential::secret(&keys, "dynatraceApiToken")),
    );
    let day = |day: &str| day.parse::<Timestamp>().expect("valid timestamp");
    let november = || Filter::datetime("timestamp").between(day("2026-11-01T00:00:00Z"), day("2026-12-01T00:00:00Z"));
    stack.add_flow(
        OnDemandFlow::new(
            "datadog-logs",
            DatadogSource::new(&datadog, "logs"),
            S3Destination::new(&archive)
                .prefix("datadog/logs")
                .file_type(FileType::Json),
        )
        .map_all()
        .filter(november()),
    );
    stack.add_flow(
        OnDemandFlow::new(
            "dynatrace-problems",
            DynatraceSource::new(&dynatrace, "problems"),
            S3Destination::new(&archive)
                .prefix("dynatrace/problems")
                .file_type(FileType::Json),
        )
        .map_all()
        .filter(Filter::datetime("startTime").between(day("2026-11-01T00:00:00Z"), day("2026-12-01T00:00:00Z"))),
    );
    stack
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    flowform::print_template(stack())
}
