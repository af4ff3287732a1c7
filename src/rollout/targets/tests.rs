//! The targets file: what it reads, and every problem reported with its span.

use std::path::Path;

use super::check::*;
use super::*;
use miette::Diagnostic;

use crate::deploy::values::Outside;

struct Fake;

impl Outside for Fake {
    fn env(&self, name: &str) -> Option<String> {
        (name == "ACME_SECRET_ARN").then(|| "arn:aws:secretsmanager:us-east-1:111111111111:secret:crm".to_string())
    }

    fn file(&self, _: &Path) -> std::io::Result<String> {
        Err(std::io::Error::new(std::io::ErrorKind::NotFound, "No such file"))
    }

    fn stdin(&self) -> Option<std::io::Result<String>> {
        Some(Ok("never read".into()))
    }
}

fn targets(text: &str) -> Result<Targets, Vec<TargetsError>> {
    parse(Path::new("customers.toml"), text, &Fake)
}

fn codes(errors: &[TargetsError]) -> Vec<&'static str> {
    errors.iter().map(|error| error.kind.code()).collect()
}

fn spanned<'t>(text: &'t str, error: &TargetsError) -> &'t str {
    &text[error.span().expect("a span")]
}

const VENDOR: &str = r#"
[rollout]
role-name = "FlowformDeployer"
concurrency = 2

[values]
Schedule = "rate(1hours)"

[target.acme]
account = "111111111111"
regions = ["us-east-1", "eu-west-1"]
external-id = "acme-7d1f"
values = { InstanceUrl = "https://acme.example.com", Secret = { env = "ACME_SECRET_ARN" } }

[target.globex]
account = "222222222222"
regions = ["us-east-1"]
role = "arn:aws:iam::222222222222:role/VendorFlows"
values = { InstanceUrl = "https://globex.example.com", Schedule = "rate(6hours)" }

[target.initech]
account = "999999999999"
regions = ["us-east-1"]
stack = "crm-initech"
values = { InstanceUrl = "https://initech.example.com" }
"#;

#[test]
fn a_vendor_file_gives_each_target_its_account_regions_role_and_values() {
    let read = targets(VENDOR).unwrap();
    assert_eq!(read.engine, Engine::Direct);
    assert_eq!(read.concurrency, 2);
    let acme = &read.targets[0];
    assert_eq!(
        acme.role.as_ref().unwrap().arn("aws", "111111111111"),
        "arn:aws:iam::111111111111:role/FlowformDeployer"
    );
    assert_eq!(acme.external_id.as_deref(), Some("acme-7d1f"));
    let values: Vec<(&str, &str)> = acme
        .values
        .iter()
        .map(|(k, v)| (k.as_str(), v.value.as_str()))
        .collect();
    assert_eq!(
        values,
        [
            ("InstanceUrl", "https://acme.example.com"),
            ("Schedule", "rate(1hours)"),
            ("Secret", "arn:aws:secretsmanager:us-east-1:111111111111:secret:crm"),
        ]
    );
    assert_eq!(
        read.targets[1].values["Schedule"].value, "rate(6hours)",
        "a target's own value wins"
    );
    assert_eq!(
        read.targets[1].role,
        Some(Role::Arn("arn:aws:iam::222222222222:role/VendorFlows".into()))
    );
    let labels: Vec<String> = read.deployments().iter().map(Deployment::label).collect();
    assert_eq!(
        labels,
        [
            "acme/us-east-1",
            "acme/eu-west-1",
            "globex/us-east-1",
            "initech/us-east-1"
        ]
    );
    assert_eq!(
        read.stack_names().into_iter().collect::<Vec<_>>(),
        [None, Some("crm-initech")]
    );
}

#[test]
fn every_problem_is_reported_at_once_with_its_span() {
    let text = r#"
[rollout]
concurrency = 0
preferences = { max-concurrent = 2 }

[target.acme]
account = "11111111111"
regions = ["us-east1", "eu-west-1", "eu-west-1"]
external-id = "x"
role = "arn:aws:iam::222222222222:role/Flows"
values = { Secret = { env = "UNSET" }, Token = { stdin = true } }

[target.globex]
accounts = ["222222222222"]
organizational-units = ["ou-ab12-cd34ef56"]
regions = []
stack = "9lives"

[target.copy]
account = "333333333333"
regions = ["us-east-1"]

[target.again]
account = "333333333333"
regions = ["us-east-1"]
"#;
    let errors = targets(text).unwrap_err();
    assert_eq!(
        codes(&errors),
        [
            "flowform::targets::range",
            "flowform::targets::setting",
            "flowform::targets::account",
            "flowform::targets::region",
            "flowform::targets::regions",
            "flowform::targets::external_id",
            "flowform::targets::role",
            "flowform::targets::value",
            "flowform::targets::value",
            "flowform::targets::where",
            "flowform::targets::where",
            "flowform::targets::regions",
            "flowform::targets::stack",
            "flowform::targets::duplicate",
        ],
        "{errors:#?}"
    );
    assert_eq!(spanned(text, &errors[0]), "0");
    assert_eq!(spanned(text, &errors[2]), "\"11111111111\"");
    assert_eq!(spanned(text, &errors[3]), "\"us-east1\"");
    assert_eq!(spanned(text, &errors[4]), "\"eu-west-1\"");
    assert!(errors[6].to_string().contains("account 222222222222"), "{}", errors[6]);
    assert_eq!(spanned(text, &errors[7]), "{ env = \"UNSET\" }");
    assert!(errors[8].to_string().contains("`env` or `file`"), "{}", errors[8]);
    assert_eq!(spanned(text, &errors[12]), "\"9lives\"");
    assert_eq!(spanned(text, &errors[13]), "again");
    assert!(errors[13].to_string().contains("`copy` and `again`"), "{}", errors[13]);
    for error in &errors {
        assert!(error.help().is_some() && error.code().is_some(), "{error}");
    }
}

#[test]
fn a_wrong_key_or_engine_is_one_error_at_its_place() {
    let text = "[rollout]\nengine = \"cdk\"\n[target.a]\naccount = \"111111111111\"\nregions = [\"us-east-1\"]\n";
    let errors = targets(text).unwrap_err();
    assert_eq!(codes(&errors), ["flowform::targets::invalid"]);
    assert_eq!(spanned(text, &errors[0]), "\"cdk\"");
    let text = "[target.a]\naccount = \"111111111111\"\nregion = [\"us-east-1\"]\n";
    let errors = targets(text).unwrap_err();
    assert!(
        errors[0].to_string().contains("unknown field `region`"),
        "{}",
        errors[0]
    );
    let errors = targets("").unwrap_err();
    assert_eq!(codes(&errors), ["flowform::targets::no_targets"]);
}

#[test]
fn stacksets_take_their_own_settings_and_organizational_units() {
    let text = r#"
[rollout]
engine = "stacksets"
permission-model = "service-managed"
call-as = "delegated-admin"
preferences = { max-concurrent-percentage = 25, failure-tolerance = 1, region-order = ["eu-west-1", "us-east-1"], region-concurrency = "parallel" }

[target.platform]
organizational-units = ["ou-ab12-cd34ef56", "r-ab12"]
regions = ["us-east-1", "eu-west-1"]
values = { InstanceUrl = "https://corp.example.com" }
"#;
    let read = targets(text).unwrap();
    let Engine::StackSets(settings) = &read.engine else {
        panic!("{:?}", read.engine)
    };
    assert_eq!(
        settings.permissions,
        Permissions::ServiceManaged {
            auto_deployment: true,
            retain_stacks_on_account_removal: false,
            delegated_admin: true,
        }
    );
    assert!(settings.managed_execution);
    assert_eq!(settings.preferences.max_concurrent, Some(Amount::Percentage(25)));
    assert_eq!(settings.preferences.failure_tolerance, Some(Amount::Count(1)));
    assert!(settings.preferences.regions_in_parallel);
    assert_eq!(read.targets[0].organizational_units, ["ou-ab12-cd34ef56", "r-ab12"]);

    let text = r#"
[rollout]
engine = "stacksets"
role-name = "X"
administration-role = "arn:aws:iam::999999999999:role/Admin"
auto-deployment = true
preferences = { max-concurrent = 1, max-concurrent-percentage = 10, region-order = ["ap-south-1"] }

[target.acme]
account = "111111111111"
regions = ["us-east-1"]
stack = "crm-acme"
external-id = "abc"

[target.units]
organizational-units = ["ou-x"]
regions = ["us-east-1"]
"#;
    let errors = targets(text).unwrap_err();
    assert_eq!(
        codes(&errors),
        [
            "flowform::targets::setting",
            "flowform::targets::setting",
            "flowform::targets::range",
            "flowform::targets::region_order",
            "flowform::targets::setting",
            "flowform::targets::setting",
            "flowform::targets::where",
            "flowform::targets::unit",
        ],
        "{errors:#?}"
    );
}

#[test]
fn values_are_checked_against_the_parameters_of_the_target_s_stacks() {
    let read = targets(VENDOR).unwrap();
    let declared = |stack: Option<&str>| match stack {
        None => vec![("InstanceUrl", false), ("Schedule", true), ("Secret", true)],
        Some(_) => vec![("InstanceUrl", false), ("Schedule", true), ("ApiKey", false)],
    };
    read.check_values(declared, &["ApiKey"], None)
        .expect("--parameter ApiKey=... gives every target its value");
    let errors = read.check_values(declared, &[], None).unwrap_err();
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        ["target `initech` gives no value for `ApiKey`: a parameter without default needs one"]
    );
    assert_eq!(&VENDOR[errors[0].span().unwrap()], "initech");

    let errors = read
        .check_values(
            |_| vec![("InstanceURL", false), ("Schedule", true), ("Secret", true)],
            &[],
            None,
        )
        .unwrap_err();
    assert_eq!(
        errors.len(),
        6,
        "an unknown and a missing value for each target: {errors:?}"
    );
    assert_eq!(errors[0].kind.code(), "flowform::targets::unknown_parameter");
    assert_eq!(errors[0].kind.help(), "did you mean `InstanceURL`?");
    assert_eq!(&VENDOR[errors[0].span().unwrap()], "InstanceUrl");

    // A target naming the file's own stack clashes with the targets that name none, in
    // the accounts and regions they share.
    let clash = VENDOR
        .replace(
            "stack = \"crm-initech\"",
            "stack = \"crm\"\nexternal-id = \"initech-1\"",
        )
        .replace("999999999999", "111111111111");
    let errors = targets(&clash)
        .unwrap()
        .check_values(
            |_| vec![("InstanceUrl", false), ("Schedule", true), ("Secret", true)],
            &[],
            Some("crm"),
        )
        .unwrap_err();
    assert_eq!(errors[0].kind.code(), "flowform::targets::duplicate", "{errors:?}");
    assert!(
        errors[0]
            .to_string()
            .contains("`acme` and `initech` both deploy stack crm"),
        "{}",
        errors[0]
    );
}

#[test]
fn selecting_targets_names_the_unknown_ones() {
    let mut read = targets(VENDOR).unwrap();
    let error = read.select(&["acme".into(), "globx".into()]).unwrap_err();
    assert!(error.contains("`globx` (did you mean `globex`?)"), "{error}");
    read.select(&["globex".into()]).unwrap();
    assert_eq!(read.targets.len(), 1);
}

#[test]
fn names_follow_the_api_patterns() {
    assert!(is_unit("ou-ab12-cd34ef56") && is_unit("r-ab12") && !is_unit("ou-ab12") && !is_unit("ou-AB12-cd34ef56"));
    assert!(is_region("us-east-1") && is_region("us-gov-west-1") && is_region("eusc-de-east-1"));
    assert!(!is_region("us-east1") && !is_region("US-EAST-1") && !is_region("east-1"));
    assert!(is_role_name("flowform/Deployer") && !is_role_name("a b") && !is_role_name(""));
    assert!(is_external_id("acme:7d1f/x") && !is_external_id("a") && !is_external_id("a b"));
    assert_eq!(
        role_account("arn:aws-cn:iam::111111111111:role/x"),
        Some("111111111111")
    );
    assert_eq!(role_account("arn:aws:iam::111111111111:user/x"), None);
}

#[test]
fn repeated_places_shared_roles_and_strict_tolerance_are_caught() {
    let text = r#"
[rollout]
role-name = "FlowformDeployer"

[target.acme]
accounts = ["111111111111", "111111111111"]
regions = ["us-east-1"]
external-id = "acme-7d1f"

[target.acme-eu]
account = "111111111111"
regions = ["eu-west-1"]
template-bucket = "Not_A_Bucket"

[target.own]
account = "999999999999"
regions = ["us-east-1"]
role-name = "X"
role = "arn:aws:iam::999999999999:role/X"
"#;
    let errors = targets(text).unwrap_err();
    assert_eq!(
        codes(&errors),
        [
            "flowform::targets::duplicate",
            "flowform::targets::role",
            "flowform::targets::bucket",
            "flowform::targets::role",
        ],
        "{errors:#?}"
    );
    assert!(
        errors[0].to_string().contains("lists `111111111111` twice"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].to_string().contains("target `acme-eu` gives no external ID"),
        "{}",
        errors[1]
    );
    assert!(errors[3].to_string().contains("names its role twice"), "{}", errors[3]);

    let text = r#"
[rollout]
engine = "stacksets"
concurrency = 3
preferences = { max-concurrent = 5, failure-tolerance = 1, region-order = ["us-east-1", "us-east-1"] }

[target.a]
account = "111111111111"
regions = ["us-east-1"]
"#;
    let errors = targets(text).unwrap_err();
    assert_eq!(
        codes(&errors),
        [
            "flowform::targets::setting",
            "flowform::targets::range",
            "flowform::targets::region_order"
        ],
        "{errors:#?}"
    );
    assert!(
        errors[1].kind.help().contains("lower `max-concurrent` to 2"),
        "{}",
        errors[1].kind.help()
    );
    let soft = text
        .replace("concurrency = 3\n", "")
        .replace(
            "failure-tolerance = 1,",
            "failure-tolerance = 1, concurrency-mode = \"soft-failure-tolerance\",",
        )
        .replace("[\"us-east-1\", \"us-east-1\"]", "[\"us-east-1\"]");
    targets(&soft).unwrap();

    let errors = targets("[target.a]\naccount = \"111111111111\"\nregions = [\"us-east-1\"]\nexternal-id = \"abc\"\n")
        .unwrap_err();
    assert!(errors[0].to_string().contains("names no role"), "{}", errors[0]);
}
