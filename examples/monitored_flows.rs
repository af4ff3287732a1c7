//! Monitoring: the stack's default notifies an owned, KMS-encrypted SNS topic of every
//! failed run and deactivation and alarms on failed runs; one flow also reports its runs
//! to an SQS queue and the monitoring account's event bus, another leaves the default for a Lambda function of its own and an
//! alarm on slow runs.
//!
//! The same stack as `examples/monitored_flows.toml`. Run: `cargo run --example monitored_flows`.

use flowform::model::*;

/// The stack this example compiles.
pub fn stack() -> Stack {
    let mut stack = Stack::new("crm-monitored").description("Salesforce flows whose failures page the on-call team");
    let key = stack.add_key(Key::owned("alerts").description("Encrypts the alerts topic"));
    let alerts = stack.add_target(Target::topic("alerts").encryption_key(&key));
    let runs = stack.add_target(Target::queue("runs"));
    let on_call = stack.add_target(Target::function(
        "on-call",
        "arn:aws:lambda:eu-west-1:123456789012:function:page-on-call",
    ));
    let central = stack.add_target(Target::bus(
        "monitoring",
        "arn:aws:events:eu-west-1:210987654321:event-bus/default",
    ));
    stack.set_monitoring(
        Monitoring::new()
            .notify(Notification::to(&alerts))
            .alarm(Alarm::new(Metric::ExecutionsFailed).notify(&alerts)),
    );
    let lake = stack.add_bucket(Bucket::owned("lake"));
    let secret = stack.add_secret(Secret::imported(
        "sf",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/salesforce-AbCdEf",
    ));
    let salesforce = stack.add_profile(
        SalesforceConnectorProfile::new("salesforce", "https://acme.my.salesforce.com").refresh_token_grant(
            Credential::secret(&secret, "accessToken"),
            Credential::secret(&secret, "refreshToken"),
            &secret,
        ),
    );
    stack.add_flow(
        OnScheduleFlow::new(
            "accounts",
            Schedule::expression("rate(1 hour)"),
            SalesforceSource::new(&salesforce, "Account"),
            S3Destination::new(&lake).prefix("salesforce/account"),
        )
        .incremental("LastModifiedDate")
        .start_time("2030-01-01T00:00:00Z".parse().expect("valid timestamp"))
        .map_all()
        .monitoring(
            Monitoring::new()
                .notify(Notification::to(&runs).on([Event::RunStarted, Event::RunCompleted]))
                .notify(Notification::to(&central).on([Event::RunCompleted])),
        ),
    );
    let slow = Alarm::new(Metric::ExecutionTime)
        .threshold(900_000.0)
        .comparison(Comparison::Above)
        .evaluation_periods(3)
        .datapoints_to_alarm(2)
        .notify(&alerts);
    stack.add_flow(
        OnDemandFlow::new(
            "contacts",
            SalesforceSource::new(&salesforce, "Contact"),
            S3Destination::new(&lake).prefix("salesforce/contact"),
        )
        .map_all()
        .monitoring(
            Monitoring::new()
                .inherit(false)
                .notify(Notification::to(&on_call).on([Event::RunFailed]))
                .alarm(slow),
        ),
    );
    stack
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    flowform::print_template(stack())
}
