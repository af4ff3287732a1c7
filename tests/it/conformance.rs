//! Conformance with the reference library: its integration scenarios for Slack, SAP OData,
//! Redshift, Snowflake, S3 to Salesforce on a schedule (with `onRunCompleted` and
//! `onDeactivated` rules) and the custom connectors (Asana, GitHub, Google Analytics 4,
//! HubSpot both ways, Mailchimp, Dynamics 365, SharePoint Online, Salesforce Marketing
//! Cloud with an `onRunStarted` rule, JDBC to S3 and to RDS for PostgreSQL) (`cdklabs/cdk-appflow`, `test/integ/*.integ.ts`, commit
//! e3d5a29), written in flowform TOML (`tests/conformance/<scenario>.toml`), give the same
//! AppFlow resources and event rules in meaning as the library's own snapshots
//! (`tests/conformance/cdk-appflow/<scenario>.json`, their `AWS::AppFlow::*` and
//! `AWS::Events::Rule` resources, Apache-2.0).
//!
//! "In meaning": both templates' AppFlow resources are flattened into property paths,
//! whose values are compared as literals where both are literals, and as "a reference"
//! where either comes from a secret, a parameter or another resource (the two libraries
//! spell those differently). Physical and logical names are left out. Every difference
//! must be one of the scenario's listed ones, each a bug of the reference library that
//! flowform fixes or a documented difference, and every listed one must occur, so the
//! list cannot go stale.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support;

/// A scenario and the differences expected from the reference library's template, as
/// `(path, why)`: the path is present on one side only, or differs in value.
struct Scenario {
    name: &'static str,
    differences: &'static [(&'static str, &'static str)],
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "ondemand-slack-to-s3",
        differences: &[
            (
                "ConnectorProfile[Slack].ConnectorProfileConfig.ConnectorProfileCredentials.Slack.ClientId",
                "the library writes `dummyClientId` (APPFLOW.md §7.4); flowform the client's ID from the secret",
            ),
            (
                "ConnectorProfile[Slack].ConnectorProfileConfig.ConnectorProfileCredentials.Slack.ClientSecret",
                "the library writes `dummyClientSecret`; flowform the secret's `clientSecret`",
            ),
            (
                "Flow.DestinationFlowConfigList.0.DestinationConnectorProperties.S3.S3OutputFormatConfig.FileType",
                "flowform states the file type, JSON by default; the library leaves AppFlow's default unsaid",
            ),
        ],
    },
    Scenario {
        name: "ondemand-sapodata-to-s3",
        differences: &[
            (
                "ConnectorProfile[SAPOData].ConnectorProfileConfig.ConnectorProfileProperties.SAPOData.PortNumber",
                "the library writes a secret's string into the schema's integer; flowform a number",
            ),
            (
                "Flow.DestinationFlowConfigList.0.DestinationConnectorProperties.S3.S3OutputFormatConfig.FileType",
                "flowform states the file type, JSON by default; the library leaves AppFlow's default unsaid",
            ),
        ],
    },
    Scenario {
        name: "ondemand-salesforce-to-redshift",
        differences: &[
            (
                "ConnectorProfile[Redshift].ConnectorProfileConfig.ConnectorProfileCredentials.Redshift.Username",
                "the library writes the user name `admin` as a literal; flowform takes credentials as references",
            ),
            (
                "ConnectorProfile[Redshift].ConnectorProfileConfig.ConnectorProfileProperties.Redshift.ClusterIdentifier",
                "the library's cluster is in its stack (a Ref); flowform names an existing one",
            ),
            (
                "ConnectorProfile[Salesforce].ConnectorProfileConfig.ConnectorProfileCredentials.Salesforce.RefreshToken",
                "the library writes `dummyRefreshToken` for an access token alone (APPFLOW.md §7.4); flowform no placeholder",
            ),
        ],
    },
    Scenario {
        name: "ondemand-s3-to-snowflake",
        differences: &[
            (
                "ConnectorProfile[Snowflake].ConnectorProfileConfig.ConnectorProfileProperties.Snowflake.BucketName",
                "the library imports the bucket by a secret's value; flowform by name",
            ),
            (
                "Flow.DestinationFlowConfigList.0.DestinationConnectorProperties.Snowflake.IntermediateBucketName",
                "the same bucket, by name",
            ),
            (
                "Flow.DestinationFlowConfigList.0.DestinationConnectorProperties.Snowflake.ErrorHandlingConfig.BucketName",
                "the same bucket, by name",
            ),
        ],
    },
    Scenario {
        name: "ondemand-asana-to-s3",
        differences: &[(
            "Flow.DestinationFlowConfigList.0.DestinationConnectorProperties.S3.S3OutputFormatConfig.FileType",
            "flowform states the file type, JSON by default; the library leaves AppFlow's default unsaid",
        )],
    },
    Scenario {
        name: "ondemand-github-to-s3",
        differences: &[(
            "Flow.DestinationFlowConfigList.0.DestinationConnectorProperties.S3.S3OutputFormatConfig.FileType",
            "flowform states the file type, JSON by default; the library leaves AppFlow's default unsaid",
        )],
    },
    Scenario {
        name: "ondemand-googleanalytics4-to-s3",
        differences: &[
            (
                "ConnectorProfile[GoogleAnalytics4/OAUTH2].ConnectorProfileConfig.ConnectorProfileCredentials.CustomConnector.Oauth2.AccessToken",
                "the library writes `dummyAccessToken` (APPFLOW.md §7.4); flowform the access token from the secret",
            ),
            (
                "Flow.DestinationFlowConfigList.0.DestinationConnectorProperties.S3.S3OutputFormatConfig.FileType",
                "flowform states the file type, JSON by default; the library leaves AppFlow's default unsaid",
            ),
        ],
    },
    Scenario {
        name: "ondemand-hubspot-to-s3",
        differences: &[
            (
                "ConnectorProfile[HubSpot/OAUTH2].ConnectorProfileConfig.ConnectorProfileCredentials.CustomConnector.Oauth2.AccessToken",
                "the library writes `dummyAccessToken` (APPFLOW.md §7.4); flowform the access token from the secret",
            ),
            (
                "Flow.DestinationFlowConfigList.0.DestinationConnectorProperties.S3.S3OutputFormatConfig.FileType",
                "flowform states the file type, JSON by default; the library leaves AppFlow's default unsaid",
            ),
        ],
    },
    Scenario {
        name: "ondemand-s3-to-hubspot",
        differences: &[(
            "ConnectorProfile[HubSpot/OAUTH2].ConnectorProfileConfig.ConnectorProfileCredentials.CustomConnector.Oauth2.AccessToken",
            "the library writes `dummyAccessToken` (APPFLOW.md §7.4); flowform the access token from the secret",
        )],
    },
    Scenario {
        name: "ondemand-mailchimp-to-s3",
        differences: &[(
            "Flow.DestinationFlowConfigList.0.DestinationConnectorProperties.S3.S3OutputFormatConfig.FileType",
            "flowform states the file type, JSON by default; the library leaves AppFlow's default unsaid",
        )],
    },
    Scenario {
        name: "ondemand-microsoftdynamics365-to-s3",
        differences: &[],
    },
    Scenario {
        name: "ondemand-microsoftsharepointonline-to-s3",
        differences: &[(
            "Flow.SourceFlowConfig.SourceConnectorProperties.CustomConnector.CustomProperties.subEntities",
            "the library joins a drive name from the secret into the JSON array; flowform takes the names",
        )],
    },
    Scenario {
        name: "onschedule-salesforce-marketing-cloud-to-s3",
        differences: &[
            (
                "Flow.DestinationFlowConfigList.0.DestinationConnectorProperties.S3.S3OutputFormatConfig.FileType",
                "flowform states the file type, JSON by default; the library leaves AppFlow's default unsaid",
            ),
            (
                "Flow.FlowStatus",
                "flowform states that a scheduled flow is active; the library leaves it to its custom resource",
            ),
            (
                "Flow.TriggerConfig.TriggerProperties.ScheduleExpression",
                "the library writes the schedule through its `FlowTimeUpdater` custom resource; flowform the expression itself",
            ),
            (
                "Flow.TriggerConfig.TriggerProperties.ScheduleStartTime",
                "the library sets a start time through its custom resource; flowform lets AppFlow start at the next slot (`deploy` sets a start when asked)",
            ),
            (
                "Rule[AppFlow Start Flow Run Report].EventPattern.resources.0",
                "the library matches the flow's ARN in `resources`; flowform the documented `detail.flow-name` (the AppFlow guide lists `resources` as the ARNs involved, without saying the flow's is one)",
            ),
            (
                "Rule[AppFlow Start Flow Run Report].EventPattern.detail.flow-name.0",
                "the same flow, by the name its run reports carry",
            ),
            (
                "Rule[AppFlow Start Flow Run Report].Targets.0.Arn",
                "the library's `onRunStarted` without a target makes a rule that notifies nothing; flowform's names the queue",
            ),
            (
                "Rule[AppFlow Start Flow Run Report].Targets.0.Id",
                "the target's ID, the queue's name",
            ),
            (
                "Rule[AppFlow Start Flow Run Report].Name",
                "flowform names its rules `<stack>.<flow>.<events>`, so the queue policy can name them; the library leaves the name to CloudFormation",
            ),
            (
                "Rule[AppFlow Start Flow Run Report].Description",
                "flowform describes the rule; the library does not",
            ),
        ],
    },
    Scenario {
        name: "onschedule-s3-to-salesforce",
        differences: &[
            (
                "ConnectorProfile[Salesforce].ConnectorProfileConfig.ConnectorProfileCredentials.Salesforce.AccessToken",
                "the library writes `dummyAccessToken` (APPFLOW.md §7.4); flowform the access token from the secret",
            ),
            (
                "ConnectorProfile[Salesforce].ConnectorProfileConfig.ConnectorProfileCredentials.Salesforce.ClientCredentialsArn",
                "the library refers to the secret it imports by name; flowform takes its full ARN (AppFlow reads client credentials by ARN)",
            ),
            (
                "ConnectorProfile[Salesforce].ConnectorProfileConfig.ConnectorProfileCredentials.Salesforce.OAuth2GrantType",
                "flowform states the refresh-token profile's grant, `AUTHORIZATION_CODE`; the library leaves it unsaid",
            ),
            (
                "Flow.TriggerConfig.TriggerProperties.ScheduleExpression",
                "the library writes the schedule through its `FlowTimeUpdater` custom resource; flowform the expression itself",
            ),
            (
                "Rule[AppFlow End Flow Run Report].EventPattern.resources.0",
                "the library matches the flow's ARN in `resources`; flowform the documented `detail.flow-name`",
            ),
            (
                "Rule[AppFlow End Flow Run Report].EventPattern.detail.flow-name.0",
                "the same flow, by name",
            ),
            (
                "Rule[AppFlow End Flow Run Report].Targets.0.Arn",
                "the library's rule without a target notifies nothing; flowform's names the queue",
            ),
            (
                "Rule[AppFlow End Flow Run Report].Targets.0.Id",
                "the target's ID, the queue's name",
            ),
            (
                "Rule[AppFlow End Flow Run Report].Name",
                "flowform names its rules `<stack>.<flow>.<events>`, for the queue policy",
            ),
            (
                "Rule[AppFlow End Flow Run Report].Description",
                "flowform describes the rule; the library does not",
            ),
            (
                "Rule[AppFlow Scheduled Flow Deactivated].EventPattern.resources.0",
                "the library matches the flow's ARN in `resources`; flowform the documented `detail.flow-name`",
            ),
            (
                "Rule[AppFlow Scheduled Flow Deactivated].EventPattern.detail.flow-name.0",
                "the same flow, by name",
            ),
            (
                "Rule[AppFlow Scheduled Flow Deactivated].Targets.0.Arn",
                "the library's rule without a target notifies nothing; flowform's names the queue",
            ),
            (
                "Rule[AppFlow Scheduled Flow Deactivated].Targets.0.Id",
                "the target's ID, the queue's name",
            ),
            (
                "Rule[AppFlow Scheduled Flow Deactivated].Name",
                "flowform names its rules `<stack>.<flow>.<events>`, for the queue policy",
            ),
            (
                "Rule[AppFlow Scheduled Flow Deactivated].Description",
                "flowform describes the rule; the library does not",
            ),
        ],
    },
    Scenario {
        name: "ondemand-jdbcsmalldatascale-to-s3",
        differences: &[
            (
                "ConnectorProfile[JDBCsmall/CUSTOM].ConnectorProfileConfig.ConnectorProfileCredentials.CustomConnector.Custom.CredentialsMap.driver",
                "the library reads the driver from the secret; flowform takes it as a checked `postgresql` or `mysql`",
            ),
            (
                "ConnectorProfile[JDBCsmall/CUSTOM].ConnectorProfileConfig.ConnectorProfileCredentials.CustomConnector.Custom.CredentialsMap.port",
                "the library reads the port from the secret; flowform takes it as a checked number",
            ),
            (
                "Flow.DestinationFlowConfigList.0.DestinationConnectorProperties.S3.S3OutputFormatConfig.FileType",
                "flowform states the file type, JSON by default; the library leaves AppFlow's default unsaid",
            ),
            (
                "Flow.SourceFlowConfig.SourceConnectorProperties.CustomConnector.EntityName",
                "the library joins schema and table from the secret; flowform takes them as names (`schema.table`)",
            ),
        ],
    },
    Scenario {
        name: "ondemand-jdbcsmalldatascale-to-amazonrdsforpostgresql",
        differences: &[
            (
                "ConnectorProfile[AmazonRDSPostgreSQL/CUSTOM].ConnectorProfileConfig.ConnectorProfileCredentials.CustomConnector.Custom.CredentialsMap.port",
                "the library reads the port from the secret; flowform takes it as a checked number",
            ),
            (
                "ConnectorProfile[JDBCsmall/CUSTOM].ConnectorProfileConfig.ConnectorProfileCredentials.CustomConnector.Custom.CredentialsMap.driver",
                "the library reads the driver from the secret; flowform takes it as a checked `postgresql` or `mysql`",
            ),
            (
                "ConnectorProfile[JDBCsmall/CUSTOM].ConnectorProfileConfig.ConnectorProfileCredentials.CustomConnector.Custom.CredentialsMap.port",
                "the library reads the port from the secret; flowform takes it as a checked number",
            ),
            (
                "Flow.DestinationFlowConfigList.0.DestinationConnectorProperties.CustomConnector.EntityName",
                "the library joins schema and table from the secret; flowform takes them as names (`schema.table`)",
            ),
            (
                "Flow.SourceFlowConfig.SourceConnectorProperties.CustomConnector.EntityName",
                "the library joins schema and table from the secret; flowform takes them as names (`schema.table`)",
            ),
        ],
    },
];

/// Keys that name things (physical names, logical IDs) rather than say what AppFlow does.
const NAMES: &[&str] = &["ConnectorProfileName", "FlowName"];

/// A leaf as compared: a literal, or a reference of any kind.
fn leaf(value: &Value) -> String {
    match value {
        Value::String(text) if text.contains("{{resolve:") => "<reference>".into(),
        Value::Object(map) if map.keys().any(|key| key == "Ref" || key.starts_with("Fn::")) => "<reference>".into(),
        other => other.to_string(),
    }
}

fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) if !map.keys().any(|key| key == "Ref" || key.starts_with("Fn::")) => {
            for (key, child) in map {
                if NAMES.contains(&key.as_str()) {
                    continue;
                }
                flatten(&format!("{prefix}.{key}"), child, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                flatten(&format!("{prefix}.{index}"), child, out);
            }
        }
        leaf_value => {
            out.insert(prefix.to_owned(), leaf(leaf_value));
        }
    }
}

/// The AppFlow resources and event rules of a template, flattened, keyed by their type
/// (and a profile's connector type, a rule's detail types, so a scenario's two profiles or
/// rules do not mix).
fn appflow_paths(template: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let resources = template["Resources"].as_object().expect("a template has resources");
    for resource in resources.values() {
        let kind = resource["Type"].as_str().unwrap_or_default();
        let properties = &resource["Properties"];
        if kind == "AWS::Events::Rule" {
            let types: Vec<&str> = properties["EventPattern"]["detail-type"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            flatten(&format!("Rule[{}]", types.join(", ")), properties, &mut out);
            continue;
        }
        let Some(kind) = kind.strip_prefix("AWS::AppFlow::") else {
            continue;
        };
        let prefix = match kind {
            // Custom connectors' profiles are told apart by label and authentication (a
            // scenario may have two of one connector).
            "ConnectorProfile" => match properties["ConnectorLabel"].as_str() {
                Some(label) => format!(
                    "ConnectorProfile[{label}/{}]",
                    properties["ConnectorProfileConfig"]["ConnectorProfileCredentials"]["CustomConnector"]
                        ["AuthenticationType"]
                        .as_str()
                        .unwrap_or_default()
                ),
                None => format!(
                    "ConnectorProfile[{}]",
                    properties["ConnectorType"].as_str().unwrap_or_default()
                ),
            },
            other => other.to_owned(),
        };
        flatten(&prefix, properties, &mut out);
    }
    out
}

#[test]
fn the_reference_librarys_scenarios_give_the_same_appflow_resources() {
    let mut failures = Vec::new();
    for scenario in SCENARIOS {
        let dir = support::root().join("tests/conformance");
        let toml = std::fs::read_to_string(dir.join(format!("{}.toml", scenario.name))).unwrap();
        let compiled = flowform::compile_source(&format!("{}.toml", scenario.name), &toml, &support::options())
            .unwrap_or_else(|report| {
                let rendered: Vec<String> = report.diagnostics.iter().map(|d| d.one_line()).collect();
                panic!("{} does not compile:\n{}", scenario.name, rendered.join("\n"))
            });
        let ours: Value = serde_json::from_str(&compiled.templates[0].template.to_json()).unwrap();
        let theirs: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("cdk-appflow").join(format!("{}.json", scenario.name))).unwrap(),
        )
        .unwrap();
        let (ours, theirs) = (appflow_paths(&ours), appflow_paths(&theirs));
        let mut found: Vec<String> = Vec::new();
        for path in ours.keys().chain(theirs.keys()) {
            if found.contains(path) {
                continue;
            }
            let (mine, reference) = (ours.get(path), theirs.get(path));
            if mine != reference {
                found.push(path.clone());
                if !scenario.differences.iter().any(|(expected, _)| expected == path) {
                    failures.push(format!(
                        "{}: {path}: flowform {mine:?}, cdk-appflow {reference:?}",
                        scenario.name
                    ));
                }
            }
        }
        for (expected, why) in scenario.differences {
            if !found.iter().any(|path| path == expected) {
                failures.push(format!(
                    "{}: listed difference `{expected}` ({why}) no longer occurs",
                    scenario.name
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "differences from the reference library:\n{}",
        failures.join("\n")
    );
}
