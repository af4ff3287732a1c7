//! Typed properties of the supporting resources flowform creates: S3 buckets and bucket
//! policies, KMS keys, Secrets Manager secrets and resource policies, IAM roles and Glue
//! databases, plus the IAM policy document they share.

use std::collections::BTreeMap;

use serde::Serialize;

use super::appflow::Tag;
use super::value::Expr;

/// The IAM policy language version every document uses.
pub const POLICY_VERSION: &str = "2012-10-17";

/// An IAM policy document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    /// `Version`.
    pub version: &'static str,
    /// `Statement`.
    pub statement: Vec<Statement>,
}

impl PolicyDocument {
    /// A document with these statements.
    pub fn new(statement: Vec<Statement>) -> Self {
        PolicyDocument {
            version: POLICY_VERSION,
            statement,
        }
    }
}

/// An IAM policy statement (always `Allow`: flowform never writes `Deny`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    /// `Sid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: &'static str,
    /// `Principal` (resource policies only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<Principal>,
    /// `Action`.
    pub action: Vec<String>,
    /// `Resource` (absent in trust policies).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource: Vec<Expr>,
    /// `Condition`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
}

impl Statement {
    /// An `Allow` statement.
    pub fn allow(action: Vec<String>, resource: Vec<Expr>) -> Self {
        Statement {
            sid: None,
            effect: "Allow",
            principal: None,
            action,
            resource,
            condition: None,
        }
    }
}

/// A statement's `Principal`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Principal {
    /// `{"Service": "..."}`.
    Service(String),
    /// `{"AWS": ...}`.
    #[serde(rename = "AWS")]
    Aws(Expr),
}

/// A statement's `Condition`: `StringEquals` on condition keys, such as
/// `aws:SourceAccount` (the confused-deputy guard for service principals) or
/// `sts:ExternalId` (a trust policy's guard for a third party's principal), and
/// `ArnEquals`/`ArnLike` on `aws:SourceArn` (which resources a service acts for).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    /// `ArnEquals`: each condition key and the ARNs it may be.
    #[serde(rename = "ArnEquals", skip_serializing_if = "BTreeMap::is_empty")]
    pub arn_equals: BTreeMap<&'static str, Expr>,
    /// `ArnLike`: each condition key and the ARN pattern it must match.
    #[serde(rename = "ArnLike", skip_serializing_if = "BTreeMap::is_empty")]
    pub arn_like: BTreeMap<&'static str, Expr>,
    /// `StringEquals`: each condition key and the value it must have.
    #[serde(rename = "StringEquals", skip_serializing_if = "BTreeMap::is_empty")]
    pub string_equals: BTreeMap<&'static str, Expr>,
}

impl Condition {
    /// `aws:SourceAccount` equals this stack's account.
    pub fn same_account() -> Self {
        Condition::string_equals("aws:SourceAccount", Expr::account_id())
    }

    /// Condition key `key` equals `value`.
    pub fn string_equals(key: &'static str, value: Expr) -> Self {
        Condition {
            arn_equals: BTreeMap::new(),
            arn_like: BTreeMap::new(),
            string_equals: BTreeMap::from([(key, value)]),
        }
    }

    /// The same condition, and `aws:SourceArn` one of `arns` (a list) or matching the
    /// pattern `like`.
    pub fn with_source_arn(mut self, arns: Option<Expr>, like: Option<Expr>) -> Self {
        if let Some(arns) = arns {
            self.arn_equals.insert("aws:SourceArn", arns);
        }
        if let Some(like) = like {
            self.arn_like.insert("aws:SourceArn", like);
        }
        self
    }
}

/// `AWS::S3::Bucket` properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketProperties {
    /// `BucketName` (left to CloudFormation when unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket_name: Option<String>,
    /// `BucketEncryption`.
    pub bucket_encryption: BucketEncryption,
    /// `PublicAccessBlockConfiguration`.
    pub public_access_block_configuration: PublicAccessBlockConfiguration,
    /// `Tags`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// `BucketEncryption`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketEncryption {
    /// `ServerSideEncryptionConfiguration`.
    pub server_side_encryption_configuration: Vec<ServerSideEncryptionRule>,
}

/// `ServerSideEncryptionRule`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ServerSideEncryptionRule {
    /// `ServerSideEncryptionByDefault`.
    pub server_side_encryption_by_default: ServerSideEncryptionByDefault,
    /// `BucketKeyEnabled` (cuts KMS requests for SSE-KMS buckets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket_key_enabled: Option<bool>,
}

/// `ServerSideEncryptionByDefault`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerSideEncryptionByDefault {
    /// `SSEAlgorithm`: `AES256` or `aws:kms`.
    #[serde(rename = "SSEAlgorithm")]
    pub sse_algorithm: &'static str,
    /// `KMSMasterKeyID`.
    #[serde(rename = "KMSMasterKeyID", skip_serializing_if = "Option::is_none")]
    pub kms_master_key_id: Option<Expr>,
}

/// `PublicAccessBlockConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublicAccessBlockConfiguration {
    /// `BlockPublicAcls`.
    pub block_public_acls: bool,
    /// `BlockPublicPolicy`.
    pub block_public_policy: bool,
    /// `IgnorePublicAcls`.
    pub ignore_public_acls: bool,
    /// `RestrictPublicBuckets`.
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlockConfiguration {
    /// Every public-access block on.
    pub fn block_all() -> Self {
        PublicAccessBlockConfiguration {
            block_public_acls: true,
            block_public_policy: true,
            ignore_public_acls: true,
            restrict_public_buckets: true,
        }
    }
}

/// `AWS::S3::BucketPolicy` properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketPolicyProperties {
    /// `Bucket`.
    pub bucket: Expr,
    /// `PolicyDocument`.
    pub policy_document: PolicyDocument,
}

/// `AWS::KMS::Key` properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KmsKeyProperties {
    /// `Description`.
    pub description: String,
    /// `EnableKeyRotation`.
    pub enable_key_rotation: bool,
    /// `KeyPolicy`.
    pub key_policy: PolicyDocument,
    /// `Tags`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// `AWS::SecretsManager::Secret` properties. flowform never writes a secret value:
/// the secret is created empty and filled outside the template.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecretProperties {
    /// `Name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Description`.
    pub description: String,
    /// `KmsKeyId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<Expr>,
    /// `SecretString`: the secret's JSON, an `Fn::Sub` over `NoEcho` parameters (never a
    /// literal). Without it the secret is created empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_string: Option<Expr>,
    /// `Tags`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// `AWS::Events::EventBus` properties, as flowform writes them: the event bus that
/// receives a partner event source's events (its association with the source).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventBusProperties {
    /// `Name`: for a partner event bus, the partner event source's name.
    pub name: Expr,
    /// `EventSourceName`: the partner event source the bus is matched with.
    pub event_source_name: Expr,
    /// `Tags`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// `AWS::CustomerProfiles::Domain` properties: the ones flowform sets (the schema,
/// `schema/cloudformation/aws-customerprofiles-domain.json`, also has matching and data
/// store settings, which are Customer Profiles' own business, not a flow's).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomerProfilesDomainProperties {
    /// `DomainName`.
    pub domain_name: Expr,
    /// `DefaultExpirationDays`.
    pub default_expiration_days: Expr,
    /// `DefaultEncryptionKey`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_encryption_key: Option<Expr>,
    /// `DeadLetterQueueUrl`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead_letter_queue_url: Option<Expr>,
    /// `Tags`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// `AWS::CustomerProfiles::ObjectType` properties: an object type made from one of
/// Customer Profiles' templates (`TemplateId`), which holds its fields and keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomerProfilesObjectTypeProperties {
    /// `DomainName`.
    pub domain_name: Expr,
    /// `ObjectTypeName`.
    pub object_type_name: Expr,
    /// `Description` (required).
    pub description: Expr,
    /// `TemplateId`.
    pub template_id: Expr,
    /// `Tags`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// `AWS::SecretsManager::ResourcePolicy` properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecretResourcePolicyProperties {
    /// `SecretId`.
    pub secret_id: Expr,
    /// `ResourcePolicy`.
    pub resource_policy: PolicyDocument,
    /// `BlockPublicPolicy`.
    pub block_public_policy: bool,
}

/// `AWS::Lambda::Permission` properties: the ones flowform sets, letting an AWS service
/// invoke a function (the schema, `schema/cloudformation/aws-lambda-permission.json`, has
/// more).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LambdaPermissionProperties {
    /// `Action`, e.g. `lambda:InvokeFunction`.
    pub action: &'static str,
    /// `FunctionName`: the function's name or ARN.
    pub function_name: Expr,
    /// `Principal`: the service, e.g. `appflow.amazonaws.com`.
    pub principal: &'static str,
    /// `SourceAccount`: the account whose resources may invoke it.
    pub source_account: Expr,
    /// `SourceArn`: the resources that may invoke it.
    pub source_arn: Expr,
}

/// `AWS::Lambda::Function` properties: the ones flowform sets, for a function created
/// from a deployment package in S3 (the schema has more).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LambdaFunctionProperties {
    /// `FunctionName`.
    pub function_name: Expr,
    /// `Description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `Code`.
    pub code: LambdaCode,
    /// `Handler`.
    pub handler: String,
    /// `Runtime`.
    pub runtime: String,
    /// `MemorySize`, in MB.
    pub memory_size: u32,
    /// `Timeout`, in seconds.
    pub timeout: u32,
    /// `Role`: the execution role's ARN.
    pub role: Expr,
    /// `Tags`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// A function's `Code`: its deployment package in S3.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LambdaCode {
    /// `S3Bucket`.
    #[serde(rename = "S3Bucket")]
    pub s3_bucket: Expr,
    /// `S3Key`.
    #[serde(rename = "S3Key")]
    pub s3_key: Expr,
    /// `S3ObjectVersion`.
    #[serde(rename = "S3ObjectVersion", skip_serializing_if = "Option::is_none")]
    pub s3_object_version: Option<Expr>,
}

/// `AWS::IAM::Role` properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IamRoleProperties {
    /// `Description`.
    pub description: String,
    /// `AssumeRolePolicyDocument`.
    pub assume_role_policy_document: PolicyDocument,
    /// `Policies` (inline).
    pub policies: Vec<InlinePolicy>,
    /// `Tags`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// An inline role policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InlinePolicy {
    /// `PolicyName`.
    pub policy_name: String,
    /// `PolicyDocument`.
    pub policy_document: PolicyDocument,
}

/// `AWS::Glue::Database` properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GlueDatabaseProperties {
    /// `CatalogId`.
    pub catalog_id: Expr,
    /// `DatabaseInput`.
    pub database_input: GlueDatabaseInput,
}

/// `DatabaseInput`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GlueDatabaseInput {
    /// `Name`.
    pub name: String,
    /// `Description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}
