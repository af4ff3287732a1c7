//! Scenario (d): Salesforce change events → an EventBridge partner bus, through an
//! existing connector profile, encrypted with an owned key, with failed events written to
//! an owned bucket. Run: `cargo run --example salesforce_events_to_eventbridge`.

use flowform::model::*;

/// The stack this example compiles.
pub fn stack() -> Stack {
    let mut stack = Stack::new("crm-events");
    let key = stack.add_key(Key::owned("flows"));
    let errors = stack.add_bucket(Bucket::owned("event-errors"));
    let salesforce = stack.add_profile(SalesforceConnectorProfile::imported("salesforce", "crm-salesforce"));
    stack.add_flow(
        OnEventFlow::new(
            "account-changes",
            SalesforceSource::new(&salesforce, "AccountChangeEvent"),
            EventBridgeDestination::salesforce(Some("crm-accounts"))
                .error_handling(ErrorHandling::to_bucket(&errors).prefix("account-changes")),
        )
        .encryption_key(&key)
        .tag("domain", "crm")
        .map_all(),
    );
    stack
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    flowform::print_template(stack())
}
