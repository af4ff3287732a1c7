//! Names: the rules for names in a stack, and the CloudFormation logical IDs and physical
//! names derived from them.
//!
//! Logical IDs come only from the names the user gave (PascalCase plus a kind suffix:
//! bucket `raw-data` → `RawDataBucket`), never from positions or counters, so adding or
//! removing one flow never changes another resource's ID. Physical flow and profile names
//! default to `<stack>-<name>`, which is stable and always valid for AppFlow.

/// The longest name a bucket, key, secret, profile or flow may have in a stack.
pub const MAX_NAME_LENGTH: usize = 64;

/// The rule names in a stack follow, for messages.
pub const NAME_RULE: &str =
    "names start with a letter or digit and contain only letters, digits, `-` and `_` (at most 64 characters)";

/// Why `name` is not a valid name in a stack, if it is not.
pub fn check_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".into());
    }
    if name.len() > MAX_NAME_LENGTH {
        return Some(format!("it is {} characters long", name.len()));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("it must start with a letter or digit".into());
    }
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        .map(|c| format!("`{c}` is not allowed"))
}

/// Why `name` is not a valid CloudFormation stack name, if it is not.
pub fn check_stack_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".into());
    }
    if name.len() > 128 {
        return Some(format!("it is {} characters long; the limit is 128", name.len()));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some("it must start with a letter".into());
    }
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        .map(|c| format!("`{c}` is not allowed"))
}

/// PascalCase of a name: words split at `-`, `_` and `.`, first letters upper-cased,
/// everything that is not a letter or digit dropped.
pub fn pascal_case(name: &str) -> String {
    pascal_case_with(name, "")
}

/// [`pascal_case`] of `name` followed by `suffix`, in one allocation: every logical ID is
/// built this way, several per flow, and `format!` cost several times more.
fn pascal_case_with(name: &str, suffix: &str) -> String {
    let mut id = String::with_capacity(name.len() + suffix.len());
    let mut word_start = true;
    // Only ASCII letters and digits are kept, so working on bytes keeps the string valid.
    for byte in name.bytes() {
        match byte {
            b'-' | b'_' | b'.' => word_start = true,
            _ if byte.is_ascii_alphanumeric() => {
                id.push(char::from(if word_start { byte.to_ascii_uppercase() } else { byte }));
                word_start = false;
            }
            _ => {}
        }
    }
    id.push_str(suffix);
    id
}

/// `RawDataBucket`.
pub fn bucket_id(name: &str) -> String {
    pascal_case_with(name, "Bucket")
}

/// `RawDataBucketPolicy`.
pub fn bucket_policy_id(name: &str) -> String {
    pascal_case_with(name, "BucketPolicy")
}

/// `DataKey`.
pub fn key_id(name: &str) -> String {
    pascal_case_with(name, "Key")
}

/// `SfClientSecret`.
pub fn secret_id(name: &str) -> String {
    pascal_case_with(name, "Secret")
}

/// `SfClientSecretPolicy`.
pub fn secret_policy_id(name: &str) -> String {
    pascal_case_with(name, "SecretPolicy")
}

/// `CrmProfile`.
pub fn profile_id(name: &str) -> String {
    pascal_case_with(name, "Profile")
}

/// The logical ID of the custom connector the stack registers as `name`.
pub fn connector_id(name: &str) -> String {
    pascal_case_with(name, "Connector")
}

/// The logical ID of the permission that lets AppFlow invoke registered connector `name`'s
/// function.
pub fn connector_permission_id(name: &str) -> String {
    pascal_case_with(name, "ConnectorPermission")
}

/// The logical ID of the function the stack creates for registered connector `name`.
pub fn connector_function_id(name: &str) -> String {
    pascal_case_with(name, "ConnectorFunction")
}

/// The logical ID of that function's role.
pub fn connector_function_role_id(name: &str) -> String {
    pascal_case_with(name, "ConnectorFunctionRole")
}

/// The logical ID of Customer Profiles domain `name`.
pub fn domain_id(name: &str) -> String {
    pascal_case_with(name, "Domain")
}

/// The logical ID of object type `object_type` the stack creates in domain `domain`.
pub fn object_type_id(domain: &str, object_type: &str) -> String {
    [domain_id(domain), pascal_case_with(object_type, "ObjectType")].concat()
}

/// `AccountsFlow`.
pub fn flow_id(name: &str) -> String {
    pascal_case_with(name, FLOW_SUFFIX)
}

/// `AccountsFlowStartTime`: the parameter holding a scheduled flow's start time.
pub fn start_time_parameter(flow: &str) -> String {
    [flow_id(flow).as_str(), START_TIME_SUFFIX].concat()
}

/// `AccountsFlowGlueRole`: the role a flow's Glue catalog uses when none is given.
pub fn glue_role_id(flow: &str) -> String {
    [flow_id(flow).as_str(), GLUE_ROLE_SUFFIX].concat()
}

/// `AccountsFlowStatus`: the activation parameter of a flow awaiting activation.
pub fn status_parameter(flow: &str) -> String {
    [flow_id(flow).as_str(), STATUS_SUFFIX].concat()
}

/// `AccountsFlowActive`: the condition that its activation parameter is `Active`.
pub fn active_condition(flow: &str) -> String {
    [flow_id(flow).as_str(), ACTIVE_SUFFIX].concat()
}

/// `AccountsFlowPartnerBus`: the event bus associated with a flow's partner event source.
pub fn partner_bus_id(flow: &str) -> String {
    [flow_id(flow).as_str(), PARTNER_BUS_SUFFIX].concat()
}

/// Whether a template parameter is a flow's activation parameter ([`status_parameter`]).
pub fn is_status_parameter(name: &str) -> bool {
    name.ends_with(STATUS_SUFFIX) && name.len() > STATUS_SUFFIX.len()
}

/// Every logical ID (and condition name) a flow may use: [`flow_id`],
/// [`start_time_parameter`], [`glue_role_id`], [`status_parameter`], [`active_condition`]
/// and [`partner_bus_id`], from one PascalCase conversion.
pub fn flow_ids(flow: &str) -> [String; 6] {
    let id = flow_id(flow);
    let with = |suffix: &str| [id.as_str(), suffix].concat();
    let ids = [
        with(START_TIME_SUFFIX),
        with(GLUE_ROLE_SUFFIX),
        with(STATUS_SUFFIX),
        with(ACTIVE_SUFFIX),
        with(PARTNER_BUS_SUFFIX),
    ];
    let [start_time, glue_role, status, active, bus] = ids;
    [id, start_time, glue_role, status, active, bus]
}

const FLOW_SUFFIX: &str = "Flow";
const START_TIME_SUFFIX: &str = "StartTime";
const STATUS_SUFFIX: &str = "Status";
const ACTIVE_SUFFIX: &str = "Active";
const PARTNER_BUS_SUFFIX: &str = "PartnerBus";
const GLUE_ROLE_SUFFIX: &str = "GlueRole";

/// `AlertsTopic`: an SNS topic the stack creates.
pub fn topic_id(name: &str) -> String {
    pascal_case_with(name, "Topic")
}

/// `AlertsTopicPolicy`.
pub fn topic_policy_id(name: &str) -> String {
    pascal_case_with(name, "TopicPolicy")
}

/// `RunsQueue`: an SQS queue the stack creates.
pub fn queue_id(name: &str) -> String {
    pascal_case_with(name, "Queue")
}

/// `RunsQueuePolicy`.
pub fn queue_policy_id(name: &str) -> String {
    pascal_case_with(name, "QueuePolicy")
}

/// The logical ID of the one role the stack's rules send to event buses with (no name of
/// the file can give it: theirs end in their kind, `Topic`, `Rule`, `ConnectorFunctionRole`,
/// ...).
pub const BUS_ROLE_ID: &str = "EventBusTargetRole";

/// `AccountsFlowRunFailedRule`: flow `flow`'s EventBridge rule for the events of `slug`.
pub fn rule_id(flow: &str, slug: &str) -> String {
    [flow_id(flow), pascal_case_with(slug, "Rule")].concat()
}

/// `AccountsFlowRunFailedRuleOnFailurePermission`: the permission that lets rule
/// `rule_id` invoke function `function`.
pub fn rule_permission_id(rule_id: &str, function: &str) -> String {
    [rule_id, &pascal_case_with(function, "Permission")].concat()
}

/// `AccountsFlowExecutionsFailedAlarm`: flow `flow`'s alarm `label`.
pub fn alarm_id(flow: &str, label: &str) -> String {
    [flow_id(flow), pascal_case_with(label, "Alarm")].concat()
}

/// `CrmLakeGlueDatabase`: a Glue database the stack creates.
pub fn glue_database_id(database: &str) -> String {
    pascal_case_with(database, "GlueDatabase")
}

/// The default physical name of a flow or profile: `<stack>-<name>`.
pub fn physical_name(stack: &str, name: &str) -> String {
    [stack, "-", name].concat()
}

/// Whether `c` may stand in a secret name or a secret's JSON key as flowform writes them:
/// the characters Secrets Manager allows in names (letters, digits, `/_+=.@-`). Nothing
/// else can end or extend a `{{resolve:secretsmanager:<id>:SecretString:<key>}}`
/// dynamic reference (`:` starts its next field, `}}` ends it).
pub fn is_secret_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "/_+=.@-".contains(c)
}

/// Why `name` does not match AppFlow's `FlowName` pattern `[a-zA-Z0-9][\w!@#.-]+`.
pub fn check_flow_name(name: &str) -> Option<String> {
    if name.len() < 2 || name.len() > 256 {
        return Some("it must be 2 to 256 characters long".into());
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("it must start with a letter or digit".into());
    }
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_!@#.-".contains(*c)))
        .map(|c| format!("`{c}` is not allowed (letters, digits and `_!@#.-` are)"))
}

/// Why `name` does not match AppFlow's `ConnectorProfileName` pattern `[\w/!@#+=.-]+`.
pub fn check_profile_name(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > 256 {
        return Some("it must be 1 to 256 characters long".into());
    }
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_/!@#+=.-".contains(*c)))
        .map(|c| format!("`{c}` is not allowed (letters, digits and `_/!@#+=.-` are)"))
}

/// The longest logical ID flowform derives others from: CloudFormation's 255, less what
/// the longest derived one adds, `Export` and the longest attribute a split stack imports
/// (`ConnectorProfileArn`).
pub const MAX_BASE_LOGICAL_ID: usize = 255 - "Export".len() - "ConnectorProfileArn".len();

/// Why `name` is not a valid template parameter logical ID (letters and digits).
pub fn check_parameter_name(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > 255 {
        return Some("it must be 1 to 255 characters long".into());
    }
    name.chars()
        .find(|c| !c.is_ascii_alphanumeric())
        .map(|c| format!("`{c}` is not allowed in a CloudFormation logical ID (letters and digits are)"))
}

/// Why `name` is not a Parameter Store parameter name: `a-zA-Z0-9_.-` and `/` between
/// levels, at most 1,011 characters (SSM API reference, `PutParameter` `Name`: "Parameter
/// names can include only the following symbols and letters: a-zA-Z0-9_.-", "the slash
/// character ( / ) is used to delineate hierarchies", "The maximum length for the fully
/// qualified parameter name is 1011 characters"). It is spliced into an `ssm` dynamic
/// reference, so `:` (a version) and braces must not pass.
pub fn check_ssm_parameter_name(name: &str) -> Option<String> {
    if name.is_empty() || name.chars().count() > 1011 {
        return Some("it must be 1 to 1,011 characters long".into());
    }
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/')))
        .map(|c| format!("`{c}` is not allowed (letters, digits, `_.-` and `/` are)"))
}

/// Why `name` cannot be an export's name. CloudFormation documents no pattern for export
/// names (`Output.ExportName` is a plain string in the API reference); flowform refuses
/// only what no export name can hold: nothing, whitespace and control characters.
pub fn check_export_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".into());
    }
    name.chars()
        .find(|c| c.is_whitespace() || c.is_control())
        .map(|c| format!("{c:?} is not allowed in an export name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssm_and_export_names() {
        assert_eq!(check_ssm_parameter_name("/acme/crm/instance-url"), None);
        assert!(
            check_ssm_parameter_name("url:3").is_some(),
            "a version would open the reference"
        );
        assert!(check_ssm_parameter_name("a}}{{resolve:x").is_some());
        assert!(check_ssm_parameter_name("").is_some());
        assert_eq!(check_export_name("network-VpcId"), None);
        assert!(check_export_name("two words").is_some());
    }

    #[test]
    fn logical_ids_are_pascal_case_with_a_kind_suffix() {
        assert_eq!(bucket_id("raw-data"), "RawDataBucket");
        assert_eq!(bucket_policy_id("raw-data"), "RawDataBucketPolicy");
        assert_eq!(flow_id("sf_accounts_v2"), "SfAccountsV2Flow");
        assert_eq!(start_time_parameter("accounts"), "AccountsFlowStartTime");
        assert_eq!(glue_database_id("crm_lake"), "CrmLakeGlueDatabase");
        assert_eq!(pascal_case("a-b"), pascal_case("a_b"));
        assert_eq!(
            flow_ids("sf-accounts"),
            [
                flow_id("sf-accounts"),
                start_time_parameter("sf-accounts"),
                glue_role_id("sf-accounts"),
                status_parameter("sf-accounts"),
                active_condition("sf-accounts"),
                partner_bus_id("sf-accounts"),
            ]
        );
        assert_eq!(flow_ids("a")[2], "AFlowGlueRole");
    }

    /// PascalCase by its definition: split into words, each word's letters and digits
    /// with the first upper-cased.
    fn pascal_case_by_definition(name: &str) -> String {
        name.split(['-', '_', '.'])
            .flat_map(|word| {
                let mut chars = word.chars().filter(char::is_ascii_alphanumeric);
                chars
                    .next()
                    .map(|first| first.to_ascii_uppercase())
                    .into_iter()
                    .chain(chars)
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn pascal_case_follows_its_definition(name in "[-_.a-zA-Z0-9 é$ß]{0,24}") {
            proptest::prop_assert_eq!(pascal_case(&name), pascal_case_by_definition(&name));
            proptest::prop_assert_eq!(secret_policy_id(&name), pascal_case_by_definition(&name) + "SecretPolicy");
        }
    }

    #[test]
    fn name_rules() {
        assert_eq!(check_name("accounts-v2"), None);
        assert!(check_name("-x").is_some());
        assert!(check_name("a b").unwrap().contains("` `"));
        assert!(check_name(&"a".repeat(65)).is_some());
        assert_eq!(check_stack_name("crm-ingest"), None);
        assert!(check_stack_name("1crm").is_some());
        assert!(check_stack_name("crm_ingest").is_some());
        assert_eq!(check_flow_name("crm-ingest-accounts"), None);
        assert!(check_flow_name("a b").is_some());
        assert_eq!(check_profile_name("crm/sf"), None);
        assert!(check_parameter_name("Sf-Token").is_some());
    }
}
