//! The permissions pass: what AppFlow must be allowed to do on each bucket, key and
//! secret, and (`monitoring`) what EventBridge and CloudWatch must be allowed to do on the
//! topics, queues and keys the stack's notifications and alarms use.
//!
//! It walks the validated model and records, per resource, the union of the actions every
//! use needs (reference §4.2–4.4), so the synthesizer can write exactly **one**
//! `appflow.amazonaws.com` statement per owned resource, with the `aws:SourceAccount`
//! condition. Uses, and what they need:
//!
//! | use | grant |
//! |---|---|
//! | S3 source bucket | bucket read; its key `kms:Decrypt` |
//! | S3 destination bucket, error bucket | bucket write; its key `kms:GenerateDataKey` + `kms:Decrypt` |
//! | flow KMS key, profile KMS key | key encrypt + decrypt |
//! | client-credentials secret (`ClientCredentialsArn`) | secret read; its key decrypt |
//!
//! Credentials given as `{{resolve:secretsmanager:...}}` dynamic references need no grant:
//! CloudFormation resolves them with the deployer's permissions, AppFlow never reads them.
//! Imported resources cannot be changed by the stack; each gets one warning that prints
//! the exact statement to add by hand. The pass consumes a [`Validated`] stack and returns
//! a [`Granted`] one: the only input synthesis takes, so a template is never written
//! without its policies.

mod monitoring;

use std::collections::{BTreeMap, BTreeSet};

pub use monitoring::{CLOUDWATCH_PRINCIPAL, EVENTS_PRINCIPAL, MonitoringGrants};
pub(crate) use monitoring::{Scope, key_statements, target_statements};

use crate::cfn::Expr;
use crate::cfn::resources::{Condition, Principal, Statement};
use crate::connectors::Access;
use crate::model::{ModelWarning, Origin, Path, Validated, WarningKind};

/// The AppFlow service principal.
pub const APPFLOW_PRINCIPAL: &str = "appflow.amazonaws.com";

macro_rules! actions {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(
                #[doc = concat!("`", $text, "`")]
                $variant,
            )+
        }

        impl $name {
            /// The IAM action name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }
    };
}

actions!(
    /// S3 actions AppFlow may need on a bucket, in the order statements list them.
    S3Action {
        GetObject => "s3:GetObject",
        ListBucket => "s3:ListBucket",
        PutObject => "s3:PutObject",
        AbortMultipartUpload => "s3:AbortMultipartUpload",
        ListMultipartUploadParts => "s3:ListMultipartUploadParts",
        ListBucketMultipartUploads => "s3:ListBucketMultipartUploads",
        GetBucketAcl => "s3:GetBucketAcl",
        PutObjectAcl => "s3:PutObjectAcl",
    }
);

actions!(
    /// KMS actions AppFlow may need on a key.
    KmsAction {
        Encrypt => "kms:Encrypt",
        GenerateDataKey => "kms:GenerateDataKey",
        Decrypt => "kms:Decrypt",
    }
);

actions!(
    /// Secrets Manager actions AppFlow may need on a secret.
    SecretAction {
        GetSecretValue => "secretsmanager:GetSecretValue",
        DescribeSecret => "secretsmanager:DescribeSecret",
    }
);

const BUCKET_READ: &[S3Action] = &[S3Action::GetObject, S3Action::ListBucket];
const BUCKET_WRITE: &[S3Action] = &[
    S3Action::PutObject,
    S3Action::AbortMultipartUpload,
    S3Action::ListMultipartUploadParts,
    S3Action::ListBucketMultipartUploads,
    S3Action::GetBucketAcl,
    S3Action::PutObjectAcl,
];
/// What S3 needs on an SSE-KMS bucket's key for AppFlow to write to it. AppFlow uploads
/// by multipart upload, and "S3 must decrypt and read data from the encrypted file parts
/// before it completes the multipart upload", so `kms:Decrypt` is needed besides
/// `kms:GenerateDataKey`; S3 never calls `kms:Encrypt` for SSE-KMS objects (S3 API
/// reference, CreateMultipartUpload, "Permissions"; DEPLOY-TIME.md rule 4).
const KEY_S3_WRITE: &[KmsAction] = &[KmsAction::GenerateDataKey, KmsAction::Decrypt];
/// What S3 needs on an SSE-KMS bucket's key for AppFlow to read from it.
const KEY_DECRYPT: &[KmsAction] = &[KmsAction::Decrypt];
const KEY_ENCRYPT_DECRYPT: &[KmsAction] = &[KmsAction::Encrypt, KmsAction::GenerateDataKey, KmsAction::Decrypt];
const SECRET_READ: &[SecretAction] = &[SecretAction::GetSecretValue, SecretAction::DescribeSecret];

/// What AppFlow is granted, per resource name (owned and imported alike).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants {
    /// Bucket name → actions.
    pub buckets: BTreeMap<String, BTreeSet<S3Action>>,
    /// Key name → actions.
    pub keys: BTreeMap<String, BTreeSet<KmsAction>>,
    /// Secret name → actions.
    pub secrets: BTreeMap<String, BTreeSet<SecretAction>>,
    /// What EventBridge and CloudWatch are granted on the topics, queues and keys that
    /// monitoring uses.
    pub monitoring: MonitoringGrants,
}

impl Grants {
    /// Actions granted on bucket `name`, in statement order.
    pub fn bucket_actions(&self, name: &str) -> Vec<&'static str> {
        self.buckets
            .get(name)
            .map(|set| set.iter().map(|a| a.as_str()).collect())
            .unwrap_or_default()
    }

    /// Actions granted on key `name`, in statement order.
    pub fn key_actions(&self, name: &str) -> Vec<&'static str> {
        self.keys
            .get(name)
            .map(|set| set.iter().map(|a| a.as_str()).collect())
            .unwrap_or_default()
    }

    /// Actions granted on secret `name`, in statement order.
    pub fn secret_actions(&self, name: &str) -> Vec<&'static str> {
        self.secrets
            .get(name)
            .map(|set| set.iter().map(|a| a.as_str()).collect())
            .unwrap_or_default()
    }
}

/// A validated stack with the permissions AppFlow needs: the input of
/// [`crate::synthesize`] and [`crate::synthesize_split`].
#[derive(Debug, Clone, PartialEq)]
pub struct Granted {
    pub(crate) validated: Validated,
    pub(crate) grants: Grants,
}

impl Granted {
    /// The validated stack.
    pub fn validated(&self) -> &Validated {
        &self.validated
    }

    /// What AppFlow is granted on each bucket, key and secret.
    pub fn grants(&self) -> &Grants {
        &self.grants
    }
}

/// Records every grant the model needs; returns the granted stack and one warning per
/// imported resource that needs a statement added by hand.
pub fn grant_permissions(validated: Validated) -> (Granted, Vec<ModelWarning>) {
    let mut collector = Collector {
        validated: &validated,
        grants: Grants::default(),
    };
    collector.collect();
    let mut grants = collector.grants;
    grants.monitoring = monitoring::collect(&validated.stack);
    let mut warnings = manual_policy_warnings(&validated, &grants);
    warnings.extend(monitoring::manual_policy_warnings(&validated.stack, &grants.monitoring));
    (Granted { validated, grants }, warnings)
}

struct Collector<'a> {
    validated: &'a Validated,
    grants: Grants,
}

impl Collector<'_> {
    fn bucket(&mut self, name: &str, actions: &[S3Action]) {
        self.grants.buckets.entry(name.to_owned()).or_default().extend(actions);
        let bucket_key = self
            .validated
            .stack
            .buckets
            .iter()
            .find(|b| b.name == name)
            .and_then(|b| b.key.clone());
        if let Some(key) = bucket_key {
            let key_actions = if actions == BUCKET_READ {
                KEY_DECRYPT
            } else {
                KEY_S3_WRITE
            };
            self.key(key.name(), key_actions);
        }
    }

    fn key(&mut self, name: &str, actions: &[KmsAction]) {
        self.grants.keys.entry(name.to_owned()).or_default().extend(actions);
    }

    fn secret(&mut self, name: &str) {
        self.grants
            .secrets
            .entry(name.to_owned())
            .or_default()
            .extend(SECRET_READ);
        let secret_key = self
            .validated
            .stack
            .secrets
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| s.key.clone());
        if let Some(key) = secret_key {
            self.key(key.name(), KEY_DECRYPT);
        }
    }

    fn collect(&mut self) {
        let stack = &self.validated.stack;
        for profile in &stack.profiles {
            if let Some(key) = profile.base().key() {
                self.key(key.name(), KEY_ENCRYPT_DECRYPT);
            }
            if profile.base().imported().is_none() {
                for (_, secret) in profile.connector_side().secrets() {
                    self.secret(secret.name());
                }
                for used in profile.connector_side().buckets() {
                    self.bucket(used.bucket.name(), access_actions(used.access));
                }
            }
        }
        for flow in &stack.flows {
            let source = flow.source.endpoint().buckets();
            for used in source.into_iter().chain(flow.destination.endpoint().buckets()) {
                self.bucket(used.bucket.name(), access_actions(used.access));
            }
            if let Some(key) = &flow.key {
                self.key(key.name(), KEY_ENCRYPT_DECRYPT);
            }
        }
    }
}

/// What AppFlow may do to a bucket it uses `access`-wise.
fn access_actions(access: Access) -> &'static [S3Action] {
    match access {
        Access::Read => BUCKET_READ,
        Access::Write => BUCKET_WRITE,
    }
}

/// The one statement that lets AppFlow do `actions` on `resources`, from `account`.
pub fn appflow_statement(actions: Vec<&'static str>, resources: Vec<Expr>, account: Expr) -> Statement {
    Statement {
        principal: Some(Principal::Service(APPFLOW_PRINCIPAL.into())),
        condition: Some(Condition::string_equals("aws:SourceAccount", account)),
        ..Statement::allow(actions.into_iter().map(str::to_owned).collect(), resources)
    }
}

/// The S3 bucket name inside a bucket name or ARN.
pub fn bucket_name_of(existing: &str) -> &str {
    existing.rsplit_once(":::").map_or(existing, |(_, name)| name)
}

/// One resource AppFlow uses, as the imported-resource warning needs it.
struct Use<'a> {
    kind: &'static str,
    policy: &'static str,
    name: &'a str,
    origin: &'a Origin,
    actions: Vec<&'static str>,
    resources: Vec<Expr>,
}

fn manual_policy_warnings(validated: &Validated, grants: &Grants) -> Vec<ModelWarning> {
    let stack = &validated.stack;
    let everything = || vec![Expr::Str("*".into())];
    let mut uses = Vec::new();
    for bucket in &stack.buckets {
        let arn = match &bucket.origin {
            Origin::Imported(existing) => format!("arn:aws:s3:::{}", bucket_name_of(existing)),
            Origin::Owned => String::new(),
        };
        uses.push(Use {
            kind: "bucket",
            policy: "bucket policy",
            name: &bucket.name,
            origin: &bucket.origin,
            actions: grants.bucket_actions(&bucket.name),
            resources: vec![Expr::Str(arn.clone()), Expr::Str(format!("{arn}/*"))],
        });
    }
    for key in &stack.keys {
        uses.push(Use {
            kind: "key",
            policy: "key policy",
            name: &key.name,
            origin: &key.origin,
            actions: grants.key_actions(&key.name),
            resources: everything(),
        });
    }
    for secret in &stack.secrets {
        uses.push(Use {
            kind: "secret",
            policy: "resource policy",
            name: &secret.name,
            origin: &secret.origin,
            actions: grants.secret_actions(&secret.name),
            resources: everything(),
        });
    }
    uses.into_iter()
        .filter_map(|usage| {
            let Origin::Imported(existing) = usage.origin else {
                return None;
            };
            if usage.actions.is_empty() {
                return None;
            }
            let statement = appflow_statement(usage.actions, usage.resources, Expr::Str("ACCOUNT_ID".into()));
            let warning = WarningKind::ManualPolicy {
                kind: usage.kind,
                service: "AppFlow",
                name: usage.name.into(),
                policy: usage.policy,
                resource: existing.clone(),
                statement: serde_json::to_string_pretty(&statement).unwrap_or_default(),
            };
            Some(ModelWarning::new(Path::root().key(usage.kind).key(usage.name), warning))
        })
        .collect()
}
