//! The deploying identity's IAM policy: least privilege for deploying exactly the given
//! stacks (`flowform policy`).
//!
//! CloudFormation calls each resource's handlers with the deployer's credentials (unless
//! a service role is given: "By default, CloudFormation uses a temporary session that it
//! generates from your user credentials for stack operations", CloudFormation user guide,
//! using-iam-servicerole.html), so the deployer needs what those handlers call. The
//! actions come from the handler permission lists of the CloudFormation registry schemas
//! (DEPLOY-TIME.md rule 13), less the names that are not IAM actions (the S3 bucket
//! schema lists `s3:DeleteBucketCors` and others that S3 authorizes under its `Put`
//! actions) and the calls for properties flowform never sets (S3 Tables, replication,
//! federated Glue databases, event bus policies and keys). Resources are scoped to the
//! ARNs the Service Authorization Reference allows for each action: `*` where an action
//! has no resource type (`appflow:CreateFlow`, `appflow:CreateConnectorProfile`,
//! `kms:CreateKey`, ...), the stacks, flows, profiles, buckets, secrets, Glue databases
//! and partner event buses by name otherwise. Names CloudFormation generates (a bucket,
//! secret or role without a name) cannot be known in advance: their statements use `*`
//! for the name and a note says so. The policy is read off the synthesized templates, so
//! it covers exactly what they create and use.
//!
//! The conditions on `kms:CreateGrant`, `kms:ListGrants` and AppFlow's own secrets are
//! those of AWS's managed policy `AmazonAppFlowFullAccess`.
//!
//! Longer than most modules: it derives the deployer's statements from every kind of
//! resource a template may hold, with the evidence for each action beside it.

mod monitoring;

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::split::StackTemplate;

/// Where the policy applies: the ARN parts it cannot learn from the templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyOptions {
    /// The partition (`aws`, `aws-cn`, `aws-us-gov`).
    pub partition: String,
    /// The region, or `*`.
    pub region: String,
    /// The account ID, or `*`.
    pub account: String,
    /// The bucket `flowform deploy --template-bucket` uploads big templates to.
    pub template_bucket: Option<String>,
    /// The role CloudFormation deploys with (`--role-arn`): the deployer then only needs
    /// CloudFormation and to pass that role; the role needs the rest.
    pub role_arn: Option<String>,
}

impl Default for PolicyOptions {
    fn default() -> Self {
        PolicyOptions {
            partition: "aws".into(),
            region: "*".into(),
            account: "*".into(),
            template_bucket: None,
            role_arn: None,
        }
    }
}

/// An IAM managed policy holds at most this many characters, whitespace excluded (IAM
/// quotas, "Managed policy size").
pub const MAX_MANAGED_POLICY_CHARS: usize = 6_144;

/// The policy document, and notes on what it could not scope.
#[derive(Debug, Clone, PartialEq)]
pub struct DeployerPolicy {
    /// The IAM policy document.
    pub document: Value,
    /// What the reader should know: unscoped names, the service role's policy, size.
    pub notes: Vec<String>,
}

/// Everything the templates create or use, by name.
#[derive(Default)]
struct Inventory {
    stacks: BTreeSet<String>,
    flows: BTreeSet<String>,
    owned_profiles: BTreeSet<String>,
    used_profiles: BTreeSet<String>,
    owned_buckets: BTreeSet<String>,
    unnamed_buckets: usize,
    flow_buckets: BTreeSet<String>,
    owned_keys: bool,
    /// A flow or profile encrypts with a KMS key (AppFlow then creates grants on it).
    appflow_uses_keys: bool,
    /// The imported keys they use, by ARN.
    appflow_keys: BTreeSet<String>,
    /// Keys of the stack's secrets that hold a value: Secrets Manager uses the key as the
    /// caller when the value is written.
    secret_keys: bool,
    /// Imported keys of such secrets, by ARN.
    imported_secret_keys: BTreeSet<String>,
    /// Secrets CloudFormation reads for dynamic references (with the caller's rights).
    referenced_secrets: BTreeSet<String>,
    /// Parameter Store parameters it reads for them, by name.
    referenced_parameters: BTreeSet<String>,
    owned_secrets: BTreeSet<String>,
    unnamed_secrets: usize,
    client_secrets: BTreeSet<String>,
    owned_roles: usize,
    /// The roles the stacks create that trust a service (AppFlow, Glue, Redshift), which
    /// are passed to AppFlow; a role a third party assumes (Snowflake's) is not.
    service_roles: usize,
    passed_roles: BTreeSet<String>,
    glue_databases: BTreeSet<String>,
    partner_buses: BTreeSet<String>,
    /// The Customer Profiles domains the stacks create or integrate flows with.
    profile_domains: BTreeSet<String>,
    /// Whether the stacks register custom connectors.
    registers_connectors: bool,
    /// The Lambda functions of the connectors they register (`*` in the account for one
    /// that is a reference).
    connector_functions: BTreeSet<String>,
    /// The deployment packages of the functions they create (`s3:GetObject`).
    function_packages: BTreeSet<String>,
    /// The rules, topics, queues and alarms of their monitoring.
    monitoring: monitoring::Monitoring,
}

/// The policy of an operator of the flows `templates` deploy: what `flowform run`,
/// `status`, `history`, `stop`, `start` and `import` call (`appflow:StartFlow`, `StopFlow`,
/// `DescribeFlow`, `DescribeFlowExecutionRecords`, each with the `flow` resource type in
/// the Service Authorization Reference), on exactly those flows, and `ListFlows` (no
/// resource type); `GetCallerIdentity`, which they also call, needs no permission.
pub fn operator_policy(templates: &[StackTemplate], options: &PolicyOptions) -> DeployerPolicy {
    let values: Vec<(String, Value)> = templates
        .iter()
        .map(|t| (t.stack.clone(), t.template.to_json_value()))
        .collect();
    let inventory = Inventory::of(&values, options);
    let flows: Vec<String> = inventory
        .flows
        .iter()
        .map(|flow| {
            format!(
                "arn:{}:appflow:{}:{}:flow/{flow}",
                options.partition, options.region, options.account
            )
        })
        .collect();
    let mut notes = Vec::new();
    let statements = if flows.is_empty() {
        notes.push("the files deploy no flows: there is nothing to operate".to_owned());
        Vec::new()
    } else {
        vec![
            statement(
                "OperateFlows",
                &[
                    "appflow:DescribeFlow",
                    "appflow:DescribeFlowExecutionRecords",
                    "appflow:StartFlow",
                    "appflow:StopFlow",
                ],
                flows,
            ),
            // `flowform import` without `--flow` lists the account's flows; ListFlows has no
            // resource type (Service Authorization Reference), so `*`.
            statement("ListFlows", &["appflow:ListFlows"], vec!["*".into()]),
        ]
    };
    DeployerPolicy {
        document: json!({"Version": "2012-10-17", "Statement": statements}),
        notes,
    }
}

/// The least-privilege policy for deploying (and destroying) `templates`.
pub fn deployer_policy(templates: &[StackTemplate], options: &PolicyOptions) -> DeployerPolicy {
    let values: Vec<(String, Value)> = templates
        .iter()
        .map(|t| (t.stack.clone(), t.template.to_json_value()))
        .collect();
    deployer_policy_of(&values, options)
}

/// [`deployer_policy`] of templates already as JSON values, by stack name (a rollout's
/// plans).
pub fn deployer_policy_of(values: &[(String, Value)], options: &PolicyOptions) -> DeployerPolicy {
    let inventory = Inventory::of(values, options);
    let arn = |service: &str, resource: &str| {
        format!(
            "arn:{}:{service}:{}:{}:{resource}",
            options.partition, options.region, options.account
        )
    };
    let mut notes = Vec::new();
    let mut statements = vec![statement(
        "CloudFormationStacks",
        &[
            "cloudformation:CreateChangeSet",
            "cloudformation:DescribeChangeSet",
            "cloudformation:ExecuteChangeSet",
            "cloudformation:DeleteChangeSet",
            "cloudformation:ListChangeSets",
            "cloudformation:DescribeStacks",
            "cloudformation:DescribeStackEvents",
            "cloudformation:GetTemplate",
            "cloudformation:DeleteStack",
            // `deploy --termination-protection`.
            "cloudformation:UpdateTerminationProtection",
        ],
        // The stack ID is unknown before the stack exists: `stack/<name>/*`.
        inventory
            .stacks
            .iter()
            .map(|stack| arn("cloudformation", &format!("stack/{stack}/*")))
            .collect(),
    )];
    // The findings of CloudFormation's pre-deployment validation (`DescribeEvents`), which
    // say why a change set or a stack operation failed validation. The evidence on which
    // resources the action can be scoped to is thin (the API reference does not say), so it
    // is granted on `*`: it only reads events, and a deploy without it still works (the
    // findings are then not shown).
    statements.push(statement(
        "CloudFormationValidationFindings",
        &["cloudformation:DescribeEvents"],
        vec!["*".to_owned()],
    ));
    // `GetCallerIdentity`, which every command calls to say which account it works on,
    // needs no permission ("No permissions are required to perform this operation", STS
    // API reference).
    if let Some(bucket) = &options.template_bucket {
        // CloudFormation reads a TemplateURL object with the caller's access ("TemplateURL
        // must reference a valid S3 object to which you have access").
        statements.push(statement(
            "TemplateUpload",
            &["s3:PutObject", "s3:GetObject"],
            vec![format!("arn:{}:s3:::{bucket}/flowform/*", options.partition)],
        ));
    }
    let resource_statements = inventory.resource_statements(options, &arn, &mut notes);
    match &options.role_arn {
        Some(role) => {
            statements.push(with_condition(
                statement("PassDeployRole", &["iam:PassRole"], vec![role.clone()]),
                json!({"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}}),
            ));
            notes.push(format!(
                "CloudFormation deploys with {role}: give that role the policy `flowform policy` prints without --role-arn, and a trust policy for cloudformation.amazonaws.com"
            ));
        }
        None => statements.extend(resource_statements),
    }
    let document = json!({"Version": "2012-10-17", "Statement": statements});
    let size = document.to_string().chars().filter(|c| !c.is_whitespace()).count();
    if size > MAX_MANAGED_POLICY_CHARS {
        notes.push(format!(
            "the policy is {size} characters (whitespace excluded), over the {MAX_MANAGED_POLICY_CHARS} an IAM managed policy holds: split its statements over several policies"
        ));
    }
    DeployerPolicy { document, notes }
}

fn statement(sid: &str, actions: &[&str], resources: Vec<String>) -> Value {
    let resources: BTreeSet<String> = resources.into_iter().collect();
    json!({"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources.into_iter().collect::<Vec<_>>()})
}

fn with_condition(mut statement: Value, condition: Value) -> Value {
    statement["Condition"] = condition;
    statement
}

/// The literal string of a template value, with the pseudo parameters of `options`
/// substituted into an `Fn::Sub`; `None` for anything resolved at deploy time.
fn literal(value: &Value, options: &PolicyOptions) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Object(map) => {
            let text = map.get("Fn::Sub")?.as_str()?;
            let text = text
                .replace("${AWS::AccountId}", &options.account)
                .replace("${AWS::Region}", &options.region)
                .replace("${AWS::Partition}", &options.partition);
            (!text.contains("${")).then_some(text)
        }
        _ => None,
    }
}

/// `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>`.
fn secret_arn(options: &PolicyOptions, name: &str) -> String {
    format!(
        "arn:{}:secretsmanager:{}:{}:secret:{name}",
        options.partition, options.region, options.account
    )
}

/// The logical ID a `Ref`, `Fn::GetAtt` or `Fn::ImportValue` (`<main>:<id>[:attr]`) points at.
fn target(value: &Value) -> Option<&str> {
    let map = value.as_object()?;
    if let Some(id) = map.get("Ref") {
        return id.as_str();
    }
    if let Some(args) = map.get("Fn::GetAtt") {
        return args.get(0)?.as_str();
    }
    map.get("Fn::ImportValue")?.as_str()?.split(':').nth(1)
}

impl Inventory {
    fn of(templates: &[(String, Value)], options: &PolicyOptions) -> Inventory {
        let mut inventory = Inventory::default();
        // Every resource of every stack, by logical ID (flow stacks refer to the main
        // stack's through imports).
        let mut resources: Map<String, Value> = Map::new();
        for (stack, template) in templates {
            inventory.stacks.insert(stack.clone());
            if let Some(map) = template["Resources"].as_object() {
                resources.extend(map.iter().map(|(id, resource)| (id.clone(), resource.clone())));
                for resource in map.values() {
                    let kind = resource["Type"].as_str().unwrap_or_default();
                    let name = literal(&resource["Properties"]["Name"], options);
                    inventory.monitoring.record(stack, kind, &resource["Properties"], name);
                }
            }
        }
        let named = |value: &Value, property: &str| -> Option<String> {
            literal(value, options).or_else(|| {
                let resource = resources.get(target(value)?)?;
                literal(&resource["Properties"][property], options)
            })
        };
        for resource in resources.values() {
            let properties = &resource["Properties"];
            match resource["Type"].as_str().unwrap_or_default() {
                "AWS::AppFlow::Flow" => {
                    inventory.flows.extend(literal(&properties["FlowName"], options));
                    // Settings may be references too (an object's name from a secret).
                    inventory.dynamic_references(properties, &resources, options);
                    if let Some(key) = properties.get("KMSArn") {
                        inventory.appflow_uses_keys = true;
                        inventory.appflow_keys.extend(literal(key, options));
                    }
                    let configs = std::iter::once(&properties["SourceFlowConfig"])
                        .chain(properties["DestinationFlowConfigList"].as_array().into_iter().flatten());
                    for config in configs {
                        if let Some(profile) = config.get("ConnectorProfileName") {
                            inventory.used_profiles.extend(named(profile, "ConnectorProfileName"));
                        }
                        for side in ["SourceConnectorProperties", "DestinationConnectorProperties"] {
                            for connector in config[side].as_object().into_iter().flat_map(|m| m.values()) {
                                for bucket in [
                                    &connector["BucketName"],
                                    &connector["ErrorHandlingConfig"]["BucketName"],
                                ] {
                                    if !bucket.is_null() {
                                        inventory.flow_buckets.extend(named(bucket, "BucketName"));
                                    }
                                }
                            }
                        }
                    }
                    let role = &properties["MetadataCatalogConfig"]["GlueDataCatalog"]["RoleArn"];
                    if let Some(role) = literal(role, options) {
                        inventory.passed_roles.insert(role);
                    }
                }
                "AWS::AppFlow::ConnectorProfile" => {
                    if let Some(name) = literal(&properties["ConnectorProfileName"], options) {
                        inventory.owned_profiles.insert(name.clone());
                        inventory.used_profiles.insert(name);
                    }
                    if let Some(key) = properties.get("KMSArn") {
                        inventory.appflow_uses_keys = true;
                        inventory.appflow_keys.extend(literal(key, options));
                    }
                    // Credentials, and settings that are references (an instance URL).
                    inventory.dynamic_references(properties, &resources, options);
                    let credentials = &properties["ConnectorProfileConfig"]["ConnectorProfileCredentials"];
                    for connector in credentials.as_object().into_iter().flat_map(|m| m.values()) {
                        if let Some(secret) = connector.get("ClientCredentialsArn") {
                            // An imported secret's ARN, or one of the stack's: by its name
                            // and the 6 random characters Secrets Manager appends.
                            let name = target(secret)
                                .and_then(|id| resources.get(id))
                                .map(|owned| literal(&owned["Properties"]["Name"], options));
                            let arn = match (literal(secret, options), name) {
                                (Some(arn), _) => arn,
                                (None, Some(Some(name))) => secret_arn(options, &format!("{name}-??????")),
                                (None, _) => secret_arn(options, "*"),
                            };
                            inventory.client_secrets.insert(arn);
                        }
                    }
                }
                "AWS::S3::Bucket" => match literal(&properties["BucketName"], options) {
                    Some(name) => {
                        inventory.owned_buckets.insert(name);
                    }
                    None => inventory.unnamed_buckets += 1,
                },
                "AWS::KMS::Key" => inventory.owned_keys = true,
                "AWS::SecretsManager::Secret" => {
                    match literal(&properties["Name"], options) {
                        Some(name) => {
                            inventory.owned_secrets.insert(name);
                        }
                        None => inventory.unnamed_secrets += 1,
                    }
                    if let (Some(key), Some(_)) = (properties.get("KmsKeyId"), properties.get("SecretString")) {
                        match literal(key, options) {
                            Some(arn) => inventory.imported_secret_keys.insert(arn),
                            None => std::mem::replace(&mut inventory.secret_keys, true),
                        };
                    }
                }
                "AWS::IAM::Role" => {
                    inventory.owned_roles += 1;
                    let trust = &properties["AssumeRolePolicyDocument"]["Statement"];
                    // A role only EventBridge assumes (monitoring's) is not passed to AppFlow.
                    let trusts_a_service = trust.as_array().into_iter().flatten().any(|statement| {
                        let service = &statement["Principal"]["Service"];
                        !service.is_null() && service != "events.amazonaws.com"
                    });
                    inventory.service_roles += usize::from(trusts_a_service);
                }
                "AWS::Glue::Database" => {
                    inventory
                        .glue_databases
                        .extend(literal(&properties["DatabaseInput"]["Name"], options));
                }
                "AWS::Events::EventBus" => inventory.partner_buses.extend(literal(&properties["Name"], options)),
                "AWS::AppFlow::Connector" => inventory.registers_connectors = true,
                "AWS::Lambda::Permission" => {
                    let function = &properties["FunctionName"];
                    // A function the stacks create is listed by its own name below.
                    let created = target(function)
                        .and_then(|id| resources.get(id))
                        .is_some_and(|resource| resource["Type"] == "AWS::Lambda::Function");
                    if !created {
                        let any = || {
                            let (partition, region, account) = (&options.partition, &options.region, &options.account);
                            format!("arn:{partition}:lambda:{region}:{account}:function:*")
                        };
                        inventory
                            .connector_functions
                            .insert(literal(function, options).unwrap_or_else(any));
                    }
                }
                "AWS::Lambda::Function" => {
                    let (partition, region, account) = (&options.partition, &options.region, &options.account);
                    let name = literal(&properties["FunctionName"], options).unwrap_or_else(|| "*".into());
                    let arn = format!("arn:{partition}:lambda:{region}:{account}:function:{name}");
                    inventory.connector_functions.insert(arn);
                    let code = &properties["Code"];
                    let package = match (literal(&code["S3Bucket"], options), literal(&code["S3Key"], options)) {
                        (Some(bucket), Some(key)) => format!("arn:{partition}:s3:::{bucket}/{key}"),
                        (Some(bucket), None) => format!("arn:{partition}:s3:::{bucket}/*"),
                        _ => format!("arn:{partition}:s3:::*"),
                    };
                    inventory.function_packages.insert(package);
                }
                "AWS::CustomerProfiles::Domain" => {
                    inventory
                        .profile_domains
                        .extend(literal(&properties["DomainName"], options));
                }
                // Customer Profiles creates the flow of an integration with the deployer's
                // rights ("Amazon AppFlow access requirements in Customer Profiles":
                // `appflow:CreateFlow`, `appflow:DeleteFlow`, Amazon Connect admin guide).
                "AWS::CustomerProfiles::Integration" => {
                    inventory
                        .profile_domains
                        .extend(named(&properties["DomainName"], "DomainName"));
                    let definition = &properties["FlowDefinition"];
                    inventory.flows.extend(literal(&definition["FlowName"], options));
                    inventory.dynamic_references(properties, &resources, options);
                    if let Some(key) = definition.get("KmsArn") {
                        inventory.appflow_uses_keys = true;
                        inventory.appflow_keys.extend(literal(key, options));
                    }
                    let source = &definition["SourceFlowConfig"];
                    if let Some(profile) = source.get("ConnectorProfileName") {
                        inventory.used_profiles.extend(named(profile, "ConnectorProfileName"));
                    }
                    let bucket = &source["SourceConnectorProperties"]["S3"]["BucketName"];
                    if !bucket.is_null() {
                        inventory.flow_buckets.extend(named(bucket, "BucketName"));
                    }
                }
                _ => {}
            }
        }
        inventory
    }

    /// The secrets of the `{{resolve:secretsmanager:<id>:...}}` dynamic references in
    /// `value`, and the parameters of its `{{resolve:ssm:<name>}}` ones: CloudFormation
    /// resolves them with the deployer's rights ("you must have permission to call
    /// GetSecretValue", dynamic references docs).
    fn dynamic_references(&mut self, value: &Value, resources: &Map<String, Value>, options: &PolicyOptions) {
        const PREFIX: &str = "{{resolve:secretsmanager:";
        match value {
            Value::String(text) => {
                if let Some(name) = text
                    .strip_prefix("{{resolve:ssm:")
                    .and_then(|rest| rest.strip_suffix("}}"))
                {
                    self.referenced_parameters.insert(name.to_owned());
                } else if let Some(rest) = text.strip_prefix(PREFIX)
                    && let Some((id, _)) = rest.split_once(":SecretString")
                {
                    let arn = if id.starts_with("arn:") {
                        id.to_owned()
                    } else {
                        secret_arn(options, &format!("{id}-??????"))
                    };
                    self.referenced_secrets.insert(arn);
                }
            }
            Value::Object(map) => {
                if let Some(parts) = map
                    .get("Fn::Join")
                    .and_then(|join| join.get(1))
                    .and_then(Value::as_array)
                    && parts.first().and_then(Value::as_str) == Some(PREFIX)
                    && let Some(secret) = parts.get(1)
                {
                    let name = target(secret)
                        .and_then(|id| resources.get(id))
                        .and_then(|owned| literal(&owned["Properties"]["Name"], options));
                    let arn = match name {
                        Some(name) => secret_arn(options, &format!("{name}-??????")),
                        None => secret_arn(options, "*"),
                    };
                    self.referenced_secrets.insert(arn);
                    return;
                }
                for child in map.values() {
                    self.dynamic_references(child, resources, options);
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.dynamic_references(item, resources, options);
                }
            }
            _ => {}
        }
    }

    /// The statements for what the stacks' resources need, in a fixed order.
    fn resource_statements(
        &self,
        options: &PolicyOptions,
        arn: &dyn Fn(&str, &str) -> String,
        notes: &mut Vec<String>,
    ) -> Vec<Value> {
        let partition = &options.partition;
        let mut statements = Vec::new();
        let has_flows = !self.flows.is_empty();
        let has_profiles = !self.owned_profiles.is_empty();
        // Actions with no resource type in the Service Authorization Reference.
        let mut unscoped: Vec<&str> = Vec::new();
        if has_flows {
            unscoped.extend(["appflow:CreateFlow", "s3:ListAllMyBuckets"]);
        }
        if has_profiles {
            unscoped.extend(["appflow:CreateConnectorProfile", "appflow:DescribeConnectorProfiles"]);
        }
        if has_flows || has_profiles {
            unscoped.extend(["kms:ListKeys", "kms:ListAliases"]);
        }
        if self.owned_keys {
            unscoped.push("kms:CreateKey");
        }
        if !self.glue_databases.is_empty() {
            unscoped.extend([
                "lakeformation:ListResources",
                "lakeformation:DescribeResource",
                "lakeformation:DescribeLakeFormationIdentityCenterConfiguration",
            ]);
        }
        if !self.partner_buses.is_empty() {
            // The EventBus delete handler lists it, and it has no resource type.
            unscoped.push("events:RemovePermission");
        }
        if self.registers_connectors {
            // AWS::AppFlow::Connector's handlers (its registry schema: create
            // `appflow:RegisterConnector` and `lambda:InvokeFunction`, update
            // `appflow:UpdateConnectorRegistration`, delete `appflow:UnRegisterConnector`,
            // read and list `appflow:DescribeConnector(s)`). Whether these take a
            // `connector/<label>` resource is not documented, so they are not scoped.
            unscoped.extend([
                "appflow:RegisterConnector",
                "appflow:UpdateConnectorRegistration",
                "appflow:UnRegisterConnector",
                "appflow:DescribeConnector",
                "appflow:DescribeConnectors",
                "appflow:ListConnectors",
            ]);
        }
        if !unscoped.is_empty() {
            statements.push(statement("NoResourceLevelPermissions", &unscoped, vec!["*".into()]));
        }
        if has_flows {
            statements.push(statement(
                "AppFlowFlows",
                &[
                    "appflow:DescribeFlow",
                    "appflow:UpdateFlow",
                    "appflow:StartFlow",
                    "appflow:StopFlow",
                    "appflow:DeleteFlow",
                    "appflow:TagResource",
                    "appflow:UntagResource",
                    "appflow:ListTagsForResource",
                ],
                self.flows
                    .iter()
                    .map(|flow| arn("appflow", &format!("flow/{flow}")))
                    .collect(),
            ));
        }
        if !self.used_profiles.is_empty() {
            statements.push(statement(
                "AppFlowUseConnectorProfiles",
                &["appflow:UseConnectorProfile"],
                self.used_profiles
                    .iter()
                    .map(|profile| arn("appflow", &format!("connectorprofile/{profile}")))
                    .collect(),
            ));
        }
        if has_profiles {
            statements.push(statement(
                "AppFlowConnectorProfiles",
                &["appflow:UpdateConnectorProfile", "appflow:DeleteConnectorProfile"],
                self.owned_profiles
                    .iter()
                    .map(|profile| arn("appflow", &format!("connectorprofile/{profile}")))
                    .collect(),
            ));
        }
        if has_flows || has_profiles {
            statements.extend(self.appflow_secret_statements());
        }
        if self.appflow_uses_keys {
            let mut keys: Vec<String> = self.appflow_keys.iter().cloned().collect();
            if self.owned_keys {
                keys.push(arn("kms", "key/*"));
            }
            statements.push(statement("AppFlowKeys", &["kms:DescribeKey"], keys.clone()));
            let via_appflow = format!("appflow.{}.amazonaws.com", options.region);
            statements.push(with_condition(
                statement("AppFlowKeyGrants", &["kms:CreateGrant"], keys.clone()),
                json!({"StringLike": {"kms:ViaService": via_appflow}, "Bool": {"kms:GrantIsForAWSResource": "true"}}),
            ));
            statements.push(with_condition(
                statement("AppFlowKeyGrantList", &["kms:ListGrants"], keys),
                json!({"StringLike": {"kms:ViaService": via_appflow}}),
            ));
        }
        if !self.referenced_secrets.is_empty() {
            statements.push(statement(
                "DynamicReferenceSecrets",
                &["secretsmanager:GetSecretValue"],
                self.referenced_secrets.iter().cloned().collect(),
            ));
        }
        if !self.referenced_parameters.is_empty() {
            // Resolved with the deployer's rights like the secrets above. The
            // CloudFormation guide's `ssm` page names no action; `ssm:GetParameters` is the
            // one the `AWS::SSM::Parameter::Value` parameter types need, and the Service
            // Authorization Reference scopes it to `parameter/<name>` (thin evidence: a
            // deploy would settle it).
            let parameters = self
                .referenced_parameters
                .iter()
                .map(|name| arn("ssm", &["parameter/", name.trim_start_matches('/')].concat()))
                .collect();
            statements.push(statement(
                "DynamicReferenceParameters",
                &["ssm:GetParameters"],
                parameters,
            ));
        }
        if self.secret_keys || !self.imported_secret_keys.is_empty() {
            // "When Secrets Manager uses a KMS key in cryptographic operations, it acts on
            // behalf of the user who is creating or changing the secret value" and needs
            // kms:GenerateDataKey and kms:Decrypt (Secrets Manager guide, security-encryption).
            let mut keys: Vec<String> = self.imported_secret_keys.iter().cloned().collect();
            if self.secret_keys {
                keys.push(arn("kms", "key/*"));
            }
            statements.push(with_condition(
                statement("SecretKeys", &["kms:GenerateDataKey", "kms:Decrypt"], keys),
                json!({"StringLike": {"kms:ViaService": format!("secretsmanager.{}.amazonaws.com", options.region)}}),
            ));
        }
        if !self.passed_roles.is_empty() || self.service_roles > 0 {
            let mut roles: Vec<String> = self.passed_roles.iter().cloned().collect();
            if self.service_roles > 0 {
                roles.push(format!("arn:{partition}:iam::{}:role/*", options.account));
            }
            statements.push(with_condition(
                statement("PassRolesToAppFlow", &["iam:PassRole"], roles),
                json!({"StringEquals": {"iam:PassedToService": "appflow.amazonaws.com"}}),
            ));
        }
        if !self.flow_buckets.is_empty() || self.unnamed_buckets > 0 {
            // The flow handlers read the policy of every bucket a flow reads or writes.
            let mut buckets: Vec<String> = self
                .flow_buckets
                .iter()
                .map(|bucket| format!("arn:{partition}:s3:::{bucket}"))
                .collect();
            if self.unnamed_buckets > 0 {
                buckets.push(format!("arn:{partition}:s3:::*"));
            }
            statements.push(statement(
                "FlowBuckets",
                &["s3:GetBucketLocation", "s3:GetBucketPolicy"],
                buckets,
            ));
        }
        if !self.owned_buckets.is_empty() || self.unnamed_buckets > 0 {
            let mut buckets: Vec<String> = self
                .owned_buckets
                .iter()
                .map(|bucket| format!("arn:{partition}:s3:::{bucket}"))
                .collect();
            if self.unnamed_buckets > 0 {
                buckets.push(format!("arn:{partition}:s3:::*"));
                notes.push(format!(
                    "CloudFormation names the stacks' buckets that have no `bucket-name` ({}), so the bucket statements cover `arn:{partition}:s3:::*`; give each a `bucket-name` to scope them",
                    self.unnamed_buckets
                ));
            }
            statements.push(statement("Buckets", BUCKET_ACTIONS, buckets));
        }
        if self.owned_keys {
            statements.push(statement("Keys", KEY_ACTIONS, vec![arn("kms", "key/*")]));
            notes.push(
                "the keys' IDs are known only once created, so the key statements cover `key/*` of the account and region".into(),
            );
        }
        if !self.owned_secrets.is_empty() || self.unnamed_secrets > 0 {
            // A secret's ARN ends in `-` and six random characters.
            let mut secrets: Vec<String> = self
                .owned_secrets
                .iter()
                .map(|secret| secret_arn(options, &format!("{secret}-??????")))
                .collect();
            if self.unnamed_secrets > 0 {
                secrets.push(secret_arn(options, "*"));
                notes.push(format!(
                    "CloudFormation names the stacks' secrets that have no `secret-name` ({}), so the secret statements cover `secret:*`; give each a `secret-name` to scope them",
                    self.unnamed_secrets
                ));
            }
            statements.push(statement("Secrets", SECRET_ACTIONS, secrets));
        }
        if self.owned_roles > 0 {
            statements.push(statement(
                "StackRoles",
                ROLE_ACTIONS,
                vec![format!("arn:{partition}:iam::{}:role/*", options.account)],
            ));
            notes.push(
                "the roles the stacks create (for Glue catalogs, for Redshift) get names CloudFormation chooses, so the role statements cover `role/*`, which lets the deployer create any role: give catalogued flows an existing `role-arn` and Redshift profiles their `s3-role-arn` and `data-api-role-arn`, or bound the deployer with a permissions boundary".into(),
            );
        }
        if !self.glue_databases.is_empty() {
            let mut databases = vec![arn("glue", "catalog")];
            for database in &self.glue_databases {
                databases.push(arn("glue", &format!("database/{database}")));
                databases.push(arn("glue", &format!("table/{database}/*")));
                databases.push(arn("glue", &format!("userDefinedFunction/{database}/*")));
            }
            statements.push(statement(
                "GlueDatabases",
                &[
                    "glue:CreateDatabase",
                    "glue:GetDatabase",
                    "glue:UpdateDatabase",
                    "glue:DeleteDatabase",
                ],
                databases,
            ));
        }
        if !self.profile_domains.is_empty() {
            statements.push(statement(
                "CustomerProfilesDomains",
                &[
                    "profile:CreateDomain",
                    "profile:GetDomain",
                    "profile:UpdateDomain",
                    "profile:DeleteDomain",
                    "profile:PutProfileObjectType",
                    "profile:GetProfileObjectType",
                    "profile:DeleteProfileObjectType",
                    "profile:GetProfileObjectTypeTemplate",
                    "profile:PutIntegration",
                    "profile:GetIntegration",
                    "profile:DeleteIntegration",
                    "profile:ListIntegrations",
                    "profile:TagResource",
                    "profile:UntagResource",
                    "profile:ListTagsForResource",
                ],
                self.profile_domains
                    .iter()
                    .flat_map(|domain| {
                        [
                            arn("profile", &format!("domains/{domain}")),
                            arn("profile", &format!("domains/{domain}/*")),
                        ]
                    })
                    .collect(),
            ));
        }
        statements.extend(self.monitoring.statements(arn));
        if !self.connector_functions.is_empty() {
            // AWS::Lambda::Permission's handlers (`lambda:AddPermission`, `GetPolicy`,
            // `RemovePermission`), the function AppFlow's registration calls, and, for a
            // function the stacks create, AWS::Lambda::Function's handlers.
            let mut actions = vec![
                "lambda:AddPermission",
                "lambda:GetPolicy",
                "lambda:RemovePermission",
                "lambda:InvokeFunction",
            ];
            if !self.function_packages.is_empty() {
                actions.extend([
                    "lambda:CreateFunction",
                    "lambda:GetFunction",
                    "lambda:GetFunctionConfiguration",
                    "lambda:UpdateFunctionCode",
                    "lambda:UpdateFunctionConfiguration",
                    "lambda:DeleteFunction",
                    "lambda:TagResource",
                    "lambda:UntagResource",
                    "lambda:ListTags",
                ]);
            }
            let functions = self.connector_functions.iter().cloned().collect();
            statements.push(statement("ConnectorFunctions", &actions, functions));
        }
        if !self.function_packages.is_empty() {
            // Lambda reads the package with the deployer's rights as it creates the
            // function, and is passed its role.
            statements.push(statement(
                "ConnectorFunctionPackages",
                &["s3:GetObject", "s3:GetObjectVersion"],
                self.function_packages.iter().cloned().collect(),
            ));
            statements.push(with_condition(
                statement(
                    "PassRolesToLambda",
                    &["iam:PassRole"],
                    vec![format!("arn:{partition}:iam::{}:role/*", options.account)],
                ),
                json!({"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}),
            ));
        }
        if !self.partner_buses.is_empty() {
            statements.push(statement(
                "PartnerEventBuses",
                &[
                    "events:CreateEventBus",
                    "events:DescribeEventBus",
                    "events:UpdateEventBus",
                    "events:DeleteEventBus",
                    "events:TagResource",
                    "events:UntagResource",
                    "events:ListTagsForResource",
                ],
                self.partner_buses
                    .iter()
                    .map(|bus| arn("events", &format!("event-bus/{bus}")))
                    .collect(),
            ));
        }
        statements
    }

    /// AppFlow's own secrets (`appflow!…`, created through AppFlow by the flow and profile
    /// handlers) with the managed policy's conditions, and the client-credentials secrets
    /// the profile handler reads.
    fn appflow_secret_statements(&self) -> Vec<Value> {
        let mut statements = vec![
            with_condition(
                statement(
                    "AppFlowCreatesItsSecrets",
                    &["secretsmanager:CreateSecret"],
                    vec!["*".into()],
                ),
                json!({"StringLike": {"secretsmanager:Name": "appflow!*"},
                       "ForAnyValue:StringEquals": {"aws:CalledVia": ["appflow.amazonaws.com"]}}),
            ),
            with_condition(
                statement(
                    "AppFlowSetsItsSecretPolicies",
                    &["secretsmanager:PutResourcePolicy"],
                    vec!["*".into()],
                ),
                json!({"ForAnyValue:StringEquals": {"aws:CalledVia": ["appflow.amazonaws.com"]},
                       "StringEqualsIgnoreCase": {"secretsmanager:ResourceTag/aws:secretsmanager:owningService": "appflow"}}),
            ),
        ];
        if !self.client_secrets.is_empty() {
            statements.push(statement(
                "ClientCredentialSecrets",
                &["secretsmanager:GetSecretValue"],
                self.client_secrets.iter().cloned().collect(),
            ));
        }
        statements
    }
}

/// What the S3 bucket handlers call for the properties flowform sets (encryption, public
/// access block, tags) and the bucket policy handlers, plus the read handler's reads.
const BUCKET_ACTIONS: &[&str] = &[
    "s3:CreateBucket",
    "s3:DeleteBucket",
    "s3:ListBucket",
    "s3:PutEncryptionConfiguration",
    "s3:GetEncryptionConfiguration",
    "s3:PutBucketPublicAccessBlock",
    "s3:GetBucketPublicAccessBlock",
    "s3:PutBucketTagging",
    "s3:GetBucketTagging",
    "s3:GetAccelerateConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetAnalyticsConfiguration",
    "s3:GetBucketCORS",
    "s3:GetInventoryConfiguration",
    "s3:GetBucketLogging",
    "s3:GetMetricsConfiguration",
    "s3:GetBucketNotification",
    "s3:GetBucketVersioning",
    "s3:GetReplicationConfiguration",
    "s3:GetBucketWebsite",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketOwnershipControls",
    "s3:GetIntelligentTieringConfiguration",
    "s3:GetBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
];

/// The KMS key handlers (create, read, update, delete), less `kms:CreateKey` (`*`).
const KEY_ACTIONS: &[&str] = &[
    "kms:DescribeKey",
    "kms:EnableKeyRotation",
    "kms:DisableKeyRotation",
    "kms:GetKeyRotationStatus",
    "kms:EnableKey",
    "kms:DisableKey",
    "kms:PutKeyPolicy",
    "kms:GetKeyPolicy",
    "kms:UpdateKeyDescription",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ListResourceTags",
    "kms:ScheduleKeyDeletion",
];

/// The secret and secret resource policy handlers (without replication, which flowform
/// never configures).
const SECRET_ACTIONS: &[&str] = &[
    "secretsmanager:CreateSecret",
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetSecretValue",
    "secretsmanager:UpdateSecret",
    "secretsmanager:DeleteSecret",
    "secretsmanager:TagResource",
    "secretsmanager:UntagResource",
    "secretsmanager:PutResourcePolicy",
    "secretsmanager:GetResourcePolicy",
    "secretsmanager:DeleteResourcePolicy",
];

/// The IAM role handlers for a role with inline policies.
const ROLE_ACTIONS: &[&str] = &[
    "iam:CreateRole",
    "iam:GetRole",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
    "iam:UpdateAssumeRolePolicy",
    "iam:DeleteRole",
    "iam:PutRolePolicy",
    "iam:GetRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:ListRolePolicies",
    "iam:ListAttachedRolePolicies",
    "iam:TagRole",
    "iam:UntagRole",
];
