//! Supporting resources: owned buckets, KMS keys and secrets with their single AppFlow
//! resource-policy statement, and the Glue databases and roles of catalogued flows.

use crate::cfn::resources::{
    BucketEncryption, BucketPolicyProperties, BucketProperties, CustomerProfilesDomainProperties,
    CustomerProfilesObjectTypeProperties, GlueDatabaseInput, GlueDatabaseProperties, IamRoleProperties, InlinePolicy,
    KmsKeyProperties, PolicyDocument, Principal, PublicAccessBlockConfiguration, SecretProperties,
    SecretResourcePolicyProperties, ServerSideEncryptionByDefault, ServerSideEncryptionRule, Statement,
};
use crate::cfn::{Expr, Parameter, Resource, ResourceProperties, SubTemplate};
use crate::model::{GlueCatalog, GlueDatabase, Origin, Secret, names};
use crate::permissions::appflow_statement;

use super::Synth;

/// What a value substituted into a secret's JSON may hold: anything but `"` and `\`
/// (CloudFormation matches `AllowedPattern` against the whole value).
const SECRET_VALUE_PATTERN: &str = "[^\"\\\\]*";

/// What AppFlow needs on the Glue Data Catalog to register tables (AWS's documented set).
const GLUE_ACTIONS: [&str; 29] = [
    "glue:BatchCreatePartition",
    "glue:BatchDeletePartition",
    "glue:BatchDeleteTable",
    "glue:BatchDeleteTableVersion",
    "glue:BatchGetPartition",
    "glue:BatchUpdatePartition",
    "glue:CreateDatabase",
    "glue:CreatePartition",
    "glue:CreatePartitionIndex",
    "glue:CreateTable",
    "glue:DeleteDatabase",
    "glue:DeletePartition",
    "glue:DeletePartitionIndex",
    "glue:DeleteTable",
    "glue:DeleteTableVersion",
    "glue:GetDatabase",
    "glue:GetDatabases",
    "glue:GetPartition",
    "glue:GetPartitionIndexes",
    "glue:GetPartitions",
    "glue:GetTable",
    "glue:GetTableVersion",
    "glue:GetTableVersions",
    "glue:GetTables",
    "glue:TagResource",
    "glue:UntagResource",
    "glue:UpdateDatabase",
    "glue:UpdatePartition",
    "glue:UpdateTable",
];

impl Synth<'_> {
    pub(super) fn buckets(&mut self) {
        let stack = self.stack;
        for bucket in stack.buckets.iter().filter(|b| b.origin == Origin::Owned) {
            let id = names::bucket_id(&bucket.name);
            let by_default = match &bucket.key {
                Some(key) => ServerSideEncryptionByDefault {
                    sse_algorithm: "aws:kms",
                    kms_master_key_id: Some(self.key_arn(key.name())),
                },
                None => ServerSideEncryptionByDefault {
                    sse_algorithm: "AES256",
                    kms_master_key_id: None,
                },
            };
            let properties = BucketProperties {
                bucket_name: bucket.bucket_name.clone(),
                bucket_encryption: BucketEncryption {
                    server_side_encryption_configuration: vec![ServerSideEncryptionRule {
                        bucket_key_enabled: bucket.key.as_ref().map(|_| true),
                        server_side_encryption_by_default: by_default,
                    }],
                },
                public_access_block_configuration: PublicAccessBlockConfiguration::block_all(),
                tags: self.tags(&Default::default()),
            };
            self.template.resources.insert(
                id.clone(),
                Resource::new(ResourceProperties::Bucket(properties))
                    .retained_if(stack.retention.keeps(true, bucket.retain)),
            );
            self.output(
                format!("{id}Name"),
                format!("Name of bucket {}", bucket.name),
                Expr::reference(&id),
            );

            let actions = self.grants.bucket_actions(&bucket.name);
            if actions.is_empty() {
                continue;
            }
            let objects = SubTemplate::new()
                .var(&[id.as_str(), ".Arn"].concat())
                .text("/*")
                .build();
            let resources = vec![Expr::get_att(&id, "Arn"), objects];
            let policy = BucketPolicyProperties {
                bucket: Expr::reference(&id),
                policy_document: PolicyDocument::new(vec![appflow_statement(actions, resources, Expr::account_id())]),
            };
            self.template.resources.insert(
                names::bucket_policy_id(&bucket.name),
                Resource::new(ResourceProperties::BucketPolicy(policy)),
            );
        }
    }

    pub(super) fn keys(&mut self) {
        let stack = self.stack;
        for key in stack.keys.iter().filter(|k| k.origin == Origin::Owned) {
            // Without the account statement a key policy would lock everyone out of the key.
            let mut statements = vec![Statement {
                sid: Some("AccountAdministration".into()),
                principal: Some(Principal::Aws(Expr::sub(
                    "arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
                ))),
                ..Statement::allow(vec!["kms:*".into()], vec![Expr::Str("*".into())])
            }];
            let actions = self.grants.key_actions(&key.name);
            if !actions.is_empty() {
                statements.push(appflow_statement(
                    actions,
                    vec![Expr::Str("*".into())],
                    Expr::account_id(),
                ));
            }
            if let Some(services) = self.grants.monitoring.key_services.get(&key.name) {
                statements.extend(crate::permissions::key_statements(services, &Expr::account_id()));
            }
            let properties = KmsKeyProperties {
                description: key
                    .description
                    .clone()
                    .unwrap_or_else(|| format!("Key {} of stack {}", key.name, stack.name)),
                enable_key_rotation: true,
                key_policy: PolicyDocument::new(statements),
                tags: self.tags(&Default::default()),
            };
            self.template.resources.insert(
                names::key_id(&key.name),
                Resource::new(ResourceProperties::KmsKey(properties))
                    .retained_if(self.stack.retention.keeps(true, key.retain)),
            );
        }
    }

    /// The Customer Profiles domains the stack creates, kept when the stack deletes or
    /// replaces them: they hold the profiles; and the object types it creates in its
    /// domains, each from the template of its name (the template holds its fields and keys).
    pub(super) fn domains(&mut self) {
        let stack = self.stack;
        for domain in &stack.domains {
            for object_type in &domain.object_types {
                let properties = CustomerProfilesObjectTypeProperties {
                    domain_name: self.domain_name(&domain.name),
                    object_type_name: Expr::Str(object_type.clone()),
                    description: Expr::Str(format!(
                        "Object type {object_type} of domain {}, from Customer Profiles' template {object_type}",
                        domain.name
                    )),
                    template_id: Expr::Str(object_type.clone()),
                    tags: self.tags(&Default::default()),
                };
                self.template.resources.insert(
                    names::object_type_id(&domain.name, object_type),
                    Resource::new(ResourceProperties::CustomerProfilesObjectType(properties)),
                );
            }
        }
        for domain in stack.domains.iter().filter(|d| d.origin == Origin::Owned) {
            let properties = CustomerProfilesDomainProperties {
                domain_name: Expr::Str(
                    domain
                        .domain_name
                        .clone()
                        .unwrap_or_else(|| names::physical_name(&stack.name, &domain.name)),
                ),
                // Validation requires it for a created domain.
                default_expiration_days: Expr::Int(domain.expiration_days.unwrap_or(1).into()),
                default_encryption_key: domain.key.as_ref().map(|key| self.key_arn(key.name())),
                dead_letter_queue_url: domain.dead_letter_queue.clone().map(Expr::Str),
                tags: self.tags(&Default::default()),
            };
            let id = names::domain_id(&domain.name);
            self.template.resources.insert(
                id.clone(),
                Resource::new(ResourceProperties::CustomerProfilesDomain(properties))
                    .retained_if(self.stack.retention.keeps(true, None)),
            );
            self.output(
                [id.as_str(), "Name"].concat(),
                ["Name of Customer Profiles domain ", domain.name.as_str()].concat(),
                Expr::reference(&id),
            );
        }
    }

    pub(super) fn secrets(&mut self) {
        let stack = self.stack;
        for secret in stack.secrets.iter().filter(|s| s.origin == Origin::Owned) {
            let id = names::secret_id(&secret.name);
            let secret_string = (!secret.values.is_empty()).then(|| self.secret_string(secret));
            let description = match &secret_string {
                Some(_) => format!(
                    "Secret {} of stack {}; its value comes from NoEcho parameters",
                    secret.name, stack.name
                ),
                None => format!(
                    "Secret {} of stack {}; its value is set outside the template",
                    secret.name, stack.name
                ),
            };
            let properties = SecretProperties {
                name: secret.secret_name.clone(),
                description,
                kms_key_id: secret.key.as_ref().map(|key| self.key_arn(key.name())),
                secret_string,
                tags: self.tags(&Default::default()),
            };
            self.template.resources.insert(
                id.clone(),
                Resource::new(ResourceProperties::Secret(properties))
                    .retained_if(self.stack.retention.keeps(true, secret.retain)),
            );
            let actions = self.grants.secret_actions(&secret.name);
            if actions.is_empty() {
                continue;
            }
            let policy = SecretResourcePolicyProperties {
                secret_id: Expr::reference(&id),
                resource_policy: PolicyDocument::new(vec![appflow_statement(
                    actions,
                    vec![Expr::Str("*".into())],
                    Expr::account_id(),
                )]),
                block_public_policy: true,
            };
            self.template.resources.insert(
                names::secret_policy_id(&secret.name),
                Resource::new(ResourceProperties::SecretResourcePolicy(policy)),
            );
        }
    }

    /// An owned secret's `SecretString`: its JSON with each value a `NoEcho` parameter,
    /// substituted by `Fn::Sub` ("If you omit both GenerateSecretString and SecretString,
    /// you create an empty secret", AWS::SecretsManager::Secret; DEPLOY-TIME.md rule 1).
    /// Declares the parameters; each refuses `"` and `\`, which would break the JSON.
    fn secret_string(&mut self, secret: &Secret) -> Expr {
        // `{"<key>":"${<Parameter>}",...}`: keys JSON-quoted and kept literal, values the
        // parameters.
        let mut json = SubTemplate::new().text("{");
        for (index, (key, parameter)) in secret.values.iter().enumerate() {
            let quoted = serde_json::Value::from(key.as_str()).to_string();
            json = json
                .text(if index == 0 { "" } else { "," })
                .text(&quoted)
                .text(":\"")
                .var(parameter)
                .text("\"");
        }
        for (key, parameter) in &secret.values {
            let declared = self.declared(
                parameter,
                Parameter {
                    allowed_pattern: Some(SECRET_VALUE_PATTERN.into()),
                    constraint_description: Some(
                        "a secret value cannot contain `\"` or `\\`: it is written into the secret's JSON".into(),
                    ),
                    ..Parameter::secret(format!(
                        "The value of `{key}` in secret {}; pass it at deploy time",
                        secret.name
                    ))
                },
            );
            self.template.parameters.insert(parameter.clone(), declared);
        }
        json.text("}").build()
    }

    /// The Glue database name and role ARN of a flow's catalog, creating the database
    /// (once per name) and the role (once per flow) when the stack owns them.
    pub(super) fn glue(&mut self, flow: &str, catalog: &GlueCatalog) -> (Expr, Expr) {
        let database = match &catalog.database {
            GlueDatabase::Existing(name) => Expr::Str(name.clone()),
            GlueDatabase::Created(name) => {
                let id = names::glue_database_id(name);
                let properties = GlueDatabaseProperties {
                    catalog_id: Expr::account_id(),
                    database_input: GlueDatabaseInput {
                        name: name.clone(),
                        description: Some(format!("AppFlow tables of stack {}", self.stack.name)),
                    },
                };
                self.template.resources.entry(id.clone()).or_insert_with(|| {
                    Resource::new(ResourceProperties::GlueDatabase(properties))
                        .retained_if(self.stack.retention.keeps(true, None))
                });
                Expr::reference(id)
            }
        };
        let role = match &catalog.role_arn {
            Some(arn) => Expr::Str(arn.clone()),
            None => {
                let id = names::glue_role_id(flow);
                let name = catalog.database.name();
                let prefix = &catalog.table_prefix;
                let resources = vec![
                    Expr::arn("glue", "catalog"),
                    Expr::arn("glue", &format!("database/{name}")),
                    Expr::arn("glue", &format!("table/{name}/{prefix}*")),
                ];
                let trust = appflow_statement(vec!["sts:AssumeRole"], Vec::new(), Expr::account_id());
                let trust = Statement {
                    resource: Vec::new(),
                    ..trust
                };
                let properties = IamRoleProperties {
                    description: format!("Lets AppFlow register the tables of flow {flow} in Glue"),
                    assume_role_policy_document: PolicyDocument::new(vec![trust]),
                    policies: vec![InlinePolicy {
                        policy_name: "GlueDataCatalog".into(),
                        policy_document: PolicyDocument::new(vec![Statement::allow(
                            GLUE_ACTIONS.iter().map(|a| (*a).to_owned()).collect(),
                            resources,
                        )]),
                    }],
                    tags: self.tags(&Default::default()),
                };
                self.own_resource(id.clone(), Resource::new(ResourceProperties::IamRole(properties)));
                Expr::get_att(id, "Arn")
            }
        };
        (database, role)
    }

    pub(super) fn profile_output(&mut self, profile: &str) {
        let id = names::profile_id(profile);
        let value = Expr::get_att(&id, "ConnectorProfileArn");
        self.output(format!("{id}Arn"), format!("ARN of connector profile {profile}"), value);
    }
}
