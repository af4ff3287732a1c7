//! Amazon Redshift: a destination (a table, loaded from an intermediate bucket) and a
//! profile of a provisioned cluster or a Serverless workgroup, reached through the Redshift
//! Data API, with the two IAM roles AppFlow and Redshift need. AppFlow user guide, "Amazon
//! Redshift" (<https://docs.aws.amazon.com/appflow/latest/userguide/redshift.html>) and
//! "Service role policies" (security_iam_service-role-policies.html).
//!
//! Longer than most modules: a profile of three connection kinds and two roles it can
//! create, each rule with its evidence.
//!
//! What AWS documents, and what flowform enforces:
//! - destination only ("You can't use Amazon AppFlow to transfer data from Amazon
//!   Redshift"), insert only ("supports the insert action ... but not the update or upsert
//!   action"; the schema has no write operation);
//! - how the data moves: "Amazon AppFlow first stores the data in an S3 bucket that you
//!   provide. Then, Amazon Redshift gets the data from the S3 bucket": the profile's
//!   `BucketName` (required) gets AppFlow's write statement through the shared permissions
//!   pass, and the destination stages there (the shared staged destination);
//! - connection, exactly one: a provisioned cluster through the Data API ("Recommended":
//!   cluster identifier, database, database user name), a Serverless workgroup (workgroup,
//!   database; "you must also grant access privileges to a database user account ...
//!   Amazon Redshift names this user `IAMR:<role>`", which CloudFormation cannot do: a
//!   warning), or a JDBC URL with user name and password ("We don't recommend ... Amazon
//!   AppFlow will discontinue support for JDBC URLs": a warning). AppFlow wants the Data API
//!   role in every case (a JDBC-only profile failed with "dataApiRoleArn cannot be null or
//!   empty", crossplane-contrib/provider-upjet-aws#208);
//! - `RoleArn`, the role Redshift reads the bucket with: trusts `redshift.amazonaws.com`;
//!   AWS grants it `AmazonS3ReadOnlyAccess` and `kms:Decrypt`; the stack's role is scoped to
//!   the bucket and prefix (and the bucket's key). "You must also associate the role with the
//!   Amazon Redshift cluster": CloudFormation cannot do that to a cluster outside the stack,
//!   so a warning says how;
//! - `DataApiRoleArn`, the role AppFlow assumes: trusts `appflow.amazonaws.com`; AWS's
//!   example policy allows `redshift-data:ExecuteStatement`, `GetStatementResult`,
//!   `DescribeStatement`, `redshift:GetClusterCredentials` on the database and its users,
//!   `redshift-serverless:GetCredentials`, and the Data API's service-linked role; the
//!   stack's role is that policy scoped to the cluster (or the account's workgroups: a
//!   workgroup's ARN holds its ID, not its name), without the example's `Deny` (flowform
//!   writes none);
//! - given role ARNs instead are used as they are, with a warning of what they must allow.

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::cfn::Expr;
use crate::cfn::generated::connector_profile::{
    ConnectorProfileCredentials, ConnectorProfileProperties, RedshiftConnectorProfileCredentials,
    RedshiftConnectorProfileProperties,
};
use crate::cfn::resources::{Principal, Statement};
use crate::input::InputError;
use crate::input::lower::{At, Lowerer};
use crate::input::raw::{Sp, TomlCredential, TomlText};
use crate::model::validate::Checker;
use crate::model::{BucketRef, Credential, ErrorKind, Path, ProfileRef, Text, names};
use crate::permissions::appflow_statement;
use crate::synth::Synth;

use super::common::{self, ConnectorProfile, ObjectWords, ProfileKeys};
use super::staged::{ProfileRole, StagedDestination, staged_destination, staged_read_statements};
use super::{Access, BucketUse, ConnectorType, LowerProfile, ProfileConnector};

/// How messages name Redshift tables.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Redshift table",
    help: "name the table as `schema.table`, e.g. `public.accounts`",
    what: "Redshift table",
    allowed: "table names have no spaces, e.g. `public.accounts`",
};

/// The Data API actions of AWS's example policy (resource `*`: `DescribeStatement` and
/// `GetStatementResult` take no resource).
const DATA_API_ACTIONS: [&str; 3] = [
    "redshift-data:ExecuteStatement",
    "redshift-data:GetStatementResult",
    "redshift-data:DescribeStatement",
];

// ---------------------------------------------------------------------------------------
// Model

/// What a Redshift profile connects to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedshiftConnection {
    /// A provisioned cluster, by identifier, through the Data API.
    Cluster(String),
    /// A Serverless workgroup, by name, through the Data API.
    Workgroup(String),
    /// A JDBC URL (AWS: "Not recommended", to be discontinued).
    JdbcUrl(Text),
}

/// The Redshift settings of a connector profile the stack creates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedshiftSettings {
    pub(crate) connection: Option<RedshiftConnection>,
    pub(crate) database: Option<Text>,
    pub(crate) bucket: Option<BucketRef>,
    pub(crate) prefix: Option<String>,
    pub(crate) username: Option<Credential>,
    pub(crate) password: Option<Credential>,
    pub(crate) s3_role_arn: Option<String>,
    pub(crate) data_api_role_arn: Option<String>,
}

/// A Redshift connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type RedshiftConnectorProfile = ConnectorProfile<RedshiftSettings>;

impl ConnectorProfile<RedshiftSettings> {
    /// A profile the stack creates for database `database` of the provisioned cluster
    /// `cluster`, signed in as the database user `username` through the Data API, AppFlow
    /// staging records in `bucket`. The stack creates both roles unless given
    /// ([`s3_role_arn`](ConnectorProfile::s3_role_arn),
    /// [`data_api_role_arn`](ConnectorProfile::data_api_role_arn)).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let mut stack = Stack::new("warehouse");
    /// let staging = stack.add_bucket(Bucket::owned("staging"));
    /// let user = SecretRef::named("redshift-user");
    /// let cluster = RedshiftConnectorProfile::cluster("analytics", "analytics-cluster", "dev", &staging, Credential::secret(&user, "username"))
    ///     .prefix("appflow");
    /// let serverless = RedshiftConnectorProfile::serverless("lake", "analytics", "dev", &staging)
    ///     .data_api_role_arn("arn:aws:iam::123456789012:role/appflow-redshift-data-api");
    /// assert!(cluster.is_owned() && serverless.is_owned());
    /// ```
    pub fn cluster(
        name: impl Into<String>,
        cluster: impl Into<String>,
        database: impl Into<Text>,
        bucket: impl Into<BucketRef>,
        username: Credential,
    ) -> Self {
        let settings = RedshiftSettings {
            connection: Some(RedshiftConnection::Cluster(cluster.into())),
            database: Some(database.into()),
            bucket: Some(bucket.into()),
            username: Some(username),
            ..RedshiftSettings::default()
        };
        ConnectorProfile::owned(name, settings)
    }

    /// A profile the stack creates for database `database` of the Serverless workgroup
    /// `workgroup`, AppFlow staging records in `bucket`.
    pub fn serverless(
        name: impl Into<String>,
        workgroup: impl Into<String>,
        database: impl Into<Text>,
        bucket: impl Into<BucketRef>,
    ) -> Self {
        let settings = RedshiftSettings {
            connection: Some(RedshiftConnection::Workgroup(workgroup.into())),
            database: Some(database.into()),
            bucket: Some(bucket.into()),
            ..RedshiftSettings::default()
        };
        ConnectorProfile::owned(name, settings)
    }

    /// A profile the stack creates for the JDBC URL `url` (AWS: "Not recommended": a
    /// warning), signed in with `username` and `password`.
    pub fn jdbc(
        name: impl Into<String>,
        url: impl Into<Text>,
        bucket: impl Into<BucketRef>,
        username: Credential,
        password: Credential,
    ) -> Self {
        let settings = RedshiftSettings {
            connection: Some(RedshiftConnection::JdbcUrl(url.into())),
            bucket: Some(bucket.into()),
            username: Some(username),
            password: Some(password),
            ..RedshiftSettings::default()
        };
        ConnectorProfile::owned(name, settings)
    }

    /// The key prefix AppFlow stages under in the bucket (TOML `prefix`).
    pub fn prefix(self, prefix: impl Into<String>) -> Self {
        let prefix = prefix.into();
        self.configure(|settings| settings.prefix = Some(prefix))
    }

    /// An existing role Redshift reads the bucket with, instead of one the stack creates
    /// (TOML `s3-role-arn`).
    pub fn s3_role_arn(self, arn: impl Into<String>) -> Self {
        let arn = arn.into();
        self.configure(|settings| settings.s3_role_arn = Some(arn))
    }

    /// An existing role AppFlow calls the Data API with, instead of one the stack creates
    /// (TOML `data-api-role-arn`).
    pub fn data_api_role_arn(self, arn: impl Into<String>) -> Self {
        let arn = arn.into();
        self.configure(|settings| settings.data_api_role_arn = Some(arn))
    }
}

// ---------------------------------------------------------------------------------------
// TOML

/// `[profile.<name>.redshift]`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlRedshiftProfile {
    /// An existing profile, by name or ARN; no other key may be set then.
    pub import: Option<Sp<String>>,
    /// A provisioned cluster's identifier (the Data API; recommended).
    pub cluster: Option<Sp<String>>,
    /// A Serverless workgroup's name.
    pub workgroup: Option<Sp<String>>,
    /// A JDBC URL (not recommended: AppFlow will discontinue it).
    pub jdbc_url: Option<Sp<TomlText>>,
    /// The database (with `cluster` or `workgroup`).
    pub database: Option<Sp<TomlText>>,
    /// The bucket (a `[bucket.<name>]`) AppFlow stages records in.
    pub bucket: Option<Sp<String>>,
    /// The key prefix AppFlow stages under.
    pub prefix: Option<Sp<String>>,
    /// The database user (with `cluster` or `jdbc-url`), as a credential.
    pub username: Option<Sp<TomlCredential>>,
    /// The database user's password (with `jdbc-url`), as a credential.
    pub password: Option<Sp<TomlCredential>>,
    /// An existing role Redshift reads the bucket with (default: the stack creates one).
    pub s3_role_arn: Option<Sp<String>>,
    /// An existing role AppFlow calls the Data API with (default: the stack creates one).
    pub data_api_role_arn: Option<Sp<String>>,
    /// The KMS key (a `[key.<name>]`) the profile's credentials are encrypted with.
    pub key: Option<Sp<String>>,
    /// The physical profile name (default `<stack>-<name>`).
    pub profile_name: Option<Sp<String>>,
    /// Connect through AWS PrivateLink (not offered for Redshift: an error).
    pub private: Option<Sp<bool>>,
}

impl LowerProfile for ConnectorProfile<RedshiftSettings> {
    const CONNECTOR: ConnectorType = ConnectorType::Redshift;
    type Toml = TomlRedshiftProfile;

    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<TomlRedshiftProfile>) -> Option<Self> {
        let t = raw.get();
        let keys = ProfileKeys {
            import: &t.import,
            key: &t.key,
            profile_name: &t.profile_name,
            private: &t.private,
        };
        let others = t.cluster.is_some()
            || t.workgroup.is_some()
            || t.jdbc_url.is_some()
            || t.database.is_some()
            || t.bucket.is_some()
            || t.prefix.is_some()
            || t.username.is_some()
            || t.password.is_some()
            || t.s3_role_arn.is_some()
            || t.data_api_role_arn.is_some();
        common::lower_profile(lowerer, name, at, raw.span(), keys, others, |lowerer| {
            let connections = [t.cluster.is_some(), t.workgroup.is_some(), t.jdbc_url.is_some()];
            let connection = match connections.iter().filter(|set| **set).count() {
                0 => {
                    lowerer.error(RedshiftError::NoConnection, raw.span());
                    return None;
                }
                1 => {
                    if let Some(cluster) = &t.cluster {
                        RedshiftConnection::Cluster(lowerer.string(&at.key("cluster"), cluster))
                    } else if let Some(workgroup) = &t.workgroup {
                        RedshiftConnection::Workgroup(lowerer.string(&at.key("workgroup"), workgroup))
                    } else {
                        let url = t.jdbc_url.as_ref()?;
                        RedshiftConnection::JdbcUrl(lowerer.text(&at.key("jdbc-url"), url))
                    }
                }
                _ => {
                    lowerer.error(RedshiftError::ConflictingConnections, raw.span());
                    return None;
                }
            };
            let Some(bucket) = lowerer.opt_string(&at.key("bucket"), &t.bucket) else {
                lowerer.error(InputError::MissingKey { name: "bucket".into() }, raw.span());
                return None;
            };
            let mut settings = RedshiftSettings {
                connection: Some(connection),
                database: t
                    .database
                    .as_ref()
                    .map(|database| lowerer.text(&at.key("database"), database)),
                bucket: Some(BucketRef::named(bucket)),
                prefix: lowerer.opt_string(&at.key("prefix"), &t.prefix),
                s3_role_arn: lowerer.opt_string(&at.key("s3-role-arn"), &t.s3_role_arn),
                data_api_role_arn: lowerer.opt_string(&at.key("data-api-role-arn"), &t.data_api_role_arn),
                ..RedshiftSettings::default()
            };
            let slots = [
                ("username", &t.username, &mut settings.username),
                ("password", &t.password, &mut settings.password),
            ];
            common::lower_credentials(lowerer, name, at, slots);
            Some(ConnectorProfile::owned(name, settings))
        })
    }
}

// ---------------------------------------------------------------------------------------
// Checks

impl ProfileConnector for RedshiftSettings {
    // What each connection needs is reported by `check`, by its key.
    fn has_credentials(&self) -> bool {
        true
    }

    fn credentials(&self) -> Vec<(&'static [&'static str], &Credential)> {
        let mut found: Vec<(&'static [&'static str], &Credential)> = Vec::new();
        if let Some(username) = &self.username {
            found.push((&["username"], username));
        }
        if let Some(password) = &self.password {
            found.push((&["password"], password));
        }
        found
    }

    fn staging_bucket(&self) -> Option<(&BucketRef, Option<&str>)> {
        self.bucket.as_ref().map(|bucket| (bucket, self.prefix.as_deref()))
    }

    fn buckets(&self) -> Vec<BucketUse<'_>> {
        self.bucket
            .iter()
            .map(|bucket| BucketUse {
                at: &["bucket"],
                bucket,
                access: Access::Write,
                prefix: self
                    .prefix
                    .as_deref()
                    .map(|prefix| (prefix, RedshiftConnectorProfileProperties::BUCKET_PREFIX_LIMITS)),
                name: None,
            })
            .collect()
    }

    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        let mut texts: Vec<(&'static [&'static str], &Text)> = Vec::new();
        if let Some(RedshiftConnection::JdbcUrl(url)) = &self.connection {
            texts.push((&["jdbc-url"], url));
        }
        if let Some(database) = &self.database {
            texts.push((&["database"], database));
        }
        texts
    }

    fn check(&self, checker: &mut Checker<'_>, path: &Path) {
        let Some(connection) = &self.connection else {
            checker.error(path.clone(), RedshiftError::NoConnection.into());
            return;
        };
        let missing = |checker: &mut Checker<'_>, key: &'static str, what: &'static str| {
            let error = ErrorKind::MissingCredential {
                connector: "Redshift",
                key,
                what,
            };
            checker.error(path.clone(), error);
        };
        match connection {
            RedshiftConnection::Cluster(_) => {
                if self.username.is_none() {
                    missing(checker, "username", "the database user AppFlow gets credentials for");
                }
            }
            RedshiftConnection::Workgroup(_) => {
                let role = self
                    .data_api_role_arn
                    .clone()
                    .unwrap_or_else(|| "the stack's Data API role".into());
                checker.warn(path.key("workgroup"), RedshiftWarning::ServerlessGrant { role }.into());
            }
            RedshiftConnection::JdbcUrl(_) => {
                if self.username.is_none() {
                    missing(checker, "username", "the database user's name");
                }
                if self.password.is_none() {
                    missing(checker, "password", "the database user's password");
                }
                checker.warn(path.key("jdbc-url"), RedshiftWarning::JdbcUrl.into());
            }
        }
        if !matches!(connection, RedshiftConnection::JdbcUrl(_)) {
            if self.database.is_none() {
                checker.error(path.clone(), RedshiftError::MissingDatabase.into());
            }
            if self.password.is_some() {
                checker.warn(path.key("password"), RedshiftWarning::PasswordUnused.into());
            }
        }
        for (key, arn, limits) in [
            (
                "s3-role-arn",
                &self.s3_role_arn,
                RedshiftConnectorProfileProperties::ROLE_ARN_LIMITS,
            ),
            (
                "data-api-role-arn",
                &self.data_api_role_arn,
                RedshiftConnectorProfileProperties::DATA_API_ROLE_ARN_LIMITS,
            ),
        ] {
            if let Some(arn) = arn {
                checker.check_limits(|| path.key(key), &limits, arn);
                let warning = RedshiftWarning::GivenRole {
                    role: arn.clone(),
                    needs: if key == "s3-role-arn" {
                        "trust `redshift.amazonaws.com`, allow `s3:GetObject`, `s3:ListBucket` and `s3:GetBucketLocation` on the bucket and `kms:Decrypt` on its key, and be associated with the cluster or namespace"
                    } else {
                        "trust `appflow.amazonaws.com` and allow `redshift-data:ExecuteStatement`, `redshift-data:GetStatementResult`, `redshift-data:DescribeStatement` and `redshift:GetClusterCredentials` on the database and its users (`redshift-serverless:GetCredentials` for a workgroup)"
                    },
                };
                checker.warn(path.key(key), warning.into());
            }
        }
        if self.s3_role_arn.is_none() {
            let (target, how) = match connection {
                RedshiftConnection::Cluster(cluster) => (
                    format!("cluster `{cluster}`"),
                    format!("`aws redshift modify-cluster-iam-roles --cluster-identifier {cluster} --add-iam-roles <ARN>`"),
                ),
                RedshiftConnection::Workgroup(workgroup) => (
                    format!("namespace of workgroup `{workgroup}`"),
                    "`aws redshift-serverless update-namespace --namespace-name <namespace> --iam-roles <its roles> <ARN>` (the call replaces the namespace's list of roles: name the ones it has too)".into(),
                ),
                RedshiftConnection::JdbcUrl(_) => (
                    "cluster of the JDBC URL".into(),
                    "`aws redshift modify-cluster-iam-roles --cluster-identifier <cluster> --add-iam-roles <ARN>`".into(),
                ),
            };
            checker.warn(path.clone(), RedshiftWarning::AssociateRole { target, how }.into());
        }
    }

    fn synthesize(
        &self,
        synth: &mut Synth<'_>,
        profile: &str,
    ) -> (ConnectorProfileProperties, ConnectorProfileCredentials) {
        let profile_id = names::profile_id(profile);
        let role_arn = match &self.s3_role_arn {
            Some(arn) => Expr::Str(arn.clone()),
            None => self.create_s3_role(synth, profile, &profile_id),
        };
        let data_api_role_arn = match &self.data_api_role_arn {
            Some(arn) => Expr::Str(arn.clone()),
            None => self.create_data_api_role(synth, profile, &profile_id),
        };
        let (cluster, workgroup, url) = match &self.connection {
            Some(RedshiftConnection::Cluster(cluster)) => (Some(Expr::Str(cluster.clone())), None, None),
            Some(RedshiftConnection::Workgroup(workgroup)) => (None, Some(Expr::Str(workgroup.clone())), None),
            Some(RedshiftConnection::JdbcUrl(url)) => (None, None, Some(synth.text(url))),
            None => (None, None, None),
        };
        let serverless = workgroup.is_some();
        let properties = RedshiftConnectorProfileProperties {
            // Validation requires the bucket before synthesis runs.
            bucket_name: self
                .bucket
                .as_ref()
                .map_or(Expr::no_value(), |bucket| synth.bucket_name(bucket.name())),
            bucket_prefix: self.prefix.clone().map(Expr::Str),
            cluster_identifier: cluster,
            data_api_role_arn: Some(data_api_role_arn),
            database_name: self.database.as_ref().map(|database| synth.text(database)),
            database_url: url,
            is_redshift_serverless: serverless.then_some(Expr::Bool(true)),
            role_arn,
            workgroup_name: workgroup,
        };
        let credentials = RedshiftConnectorProfileCredentials {
            password: self.password.as_ref().map(|password| synth.credential(password)),
            username: self.username.as_ref().map(|username| synth.credential(username)),
        };
        (
            ConnectorProfileProperties {
                redshift: Some(Box::new(properties)),
                ..ConnectorProfileProperties::default()
            },
            ConnectorProfileCredentials {
                redshift: Some(Box::new(credentials)),
                ..ConnectorProfileCredentials::default()
            },
        )
    }
}

// ---------------------------------------------------------------------------------------
// The roles the stack creates

impl RedshiftSettings {
    /// The role Redshift reads the staged records with: trusts `redshift.amazonaws.com`
    /// (AWS's trust policy), reads the bucket under the prefix and decrypts with its key.
    fn create_s3_role(&self, synth: &mut Synth<'_>, profile: &str, profile_id: &str) -> Expr {
        let id = format!("{profile_id}RedshiftS3Role");
        // "you must authorize Amazon Redshift to get and decrypt the data".
        let statements = match &self.bucket {
            Some(bucket) => staged_read_statements(synth, bucket, self.prefix.as_deref(), &["s3:GetObject"]),
            None => Vec::new(),
        };
        let trust = Statement {
            principal: Some(Principal::Service("redshift.amazonaws.com".into())),
            ..Statement::allow(vec!["sts:AssumeRole".into()], Vec::new())
        };
        ProfileRole {
            id,
            description: format!("Lets Redshift read what AppFlow stages for profile {profile}"),
            trust,
            policy_name: "ReadStagedRecords",
            statements,
            output: format!(
                "ARN of the role Redshift reads what AppFlow stages for profile {profile} with: associate it with the cluster or namespace"
            ),
        }
        .create(synth)
    }

    /// The role AppFlow calls the Data API with: AWS's example policy, scoped to the cluster
    /// and database (or the account's workgroups), trusting `appflow.amazonaws.com` from this
    /// account.
    fn create_data_api_role(&self, synth: &mut Synth<'_>, profile: &str, profile_id: &str) -> Expr {
        let id = format!("{profile_id}RedshiftDataApiRole");
        let mut statements = vec![Statement::allow(
            DATA_API_ACTIONS.iter().map(|action| (*action).to_owned()).collect(),
            vec![Expr::Str("*".into())],
        )];
        let database = self.database.as_ref().and_then(Text::literal).unwrap_or("*");
        match &self.connection {
            Some(RedshiftConnection::Workgroup(_)) => statements.push(Statement::allow(
                vec!["redshift-serverless:GetCredentials".into()],
                vec![Expr::arn("redshift-serverless", "workgroup/*")],
            )),
            Some(RedshiftConnection::Cluster(cluster)) => statements.push(Statement::allow(
                vec!["redshift:GetClusterCredentials".into()],
                vec![
                    Expr::arn("redshift", &format!("dbname:{cluster}/{database}")),
                    Expr::arn("redshift", &format!("dbuser:{cluster}/*")),
                ],
            )),
            _ => statements.push(Statement::allow(
                vec!["redshift:GetClusterCredentials".into()],
                vec![Expr::arn("redshift", "dbname:*/*"), Expr::arn("redshift", "dbuser:*/*")],
            )),
        }
        statements.push(Statement::allow(
            vec!["iam:CreateServiceLinkedRole".into()],
            vec![Expr::arn_global(
                "iam",
                "role/aws-service-role/redshift-data.amazonaws.com/AWSServiceRoleForRedshift",
            )],
        ));
        let trust = Statement {
            resource: Vec::new(),
            ..appflow_statement(vec!["sts:AssumeRole"], Vec::new(), Expr::account_id())
        };
        ProfileRole {
            id,
            description: format!("Lets AppFlow load tables through the Redshift Data API for profile {profile}"),
            trust,
            policy_name: "RedshiftDataApi",
            statements,
            output: format!("ARN of the role AppFlow calls the Redshift Data API with for profile {profile}"),
        }
        .create(synth)
    }
}

// ---------------------------------------------------------------------------------------
// Destination

/// Loads a Redshift table (insert only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedshiftDestination(pub(crate) StagedDestination);

impl RedshiftDestination {
    /// Loads the table `object` (`schema.table`) through `profile`, by way of the profile's
    /// bucket.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let errors = BucketRef::named("errors");
    /// let destination = RedshiftDestination::new(ProfileRef::named("warehouse"), "public.accounts")
    ///     .error_handling(ErrorHandling::to_bucket(&errors).prefix("redshift").fail_on_first_error(false));
    /// // An imported profile's bucket is not known here: name it.
    /// let imported = RedshiftDestination::new(ProfileRef::named("existing"), "public.accounts")
    ///     .intermediate_bucket(BucketRef::named("staging"), "appflow");
    /// # let _ = (destination, imported);
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        RedshiftDestination(StagedDestination::new(profile, object))
    }
}

staged_destination! { RedshiftDestination: Redshift, redshift = RedshiftDestinationProperties, OBJECT }

// ---------------------------------------------------------------------------------------
// Diagnostics

/// An error only a Redshift profile has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum RedshiftError {
    /// No connection.
    #[error("a Redshift profile connects to a cluster, a workgroup or a JDBC URL")]
    #[diagnostic(
        code(flowform::redshift::no_connection),
        help(
            "add `cluster = \"<identifier>\"` (a provisioned cluster, through the Data API: AWS recommends it), `workgroup = \"<name>\"` (Serverless), or `jdbc-url` (not recommended)"
        )
    )]
    NoConnection,
    /// More than one connection.
    #[error("a Redshift profile connects one way: a cluster, a workgroup or a JDBC URL")]
    #[diagnostic(
        code(flowform::redshift::conflicting_connections),
        help("keep one of `cluster`, `workgroup` and `jdbc-url`")
    )]
    ConflictingConnections,
    /// A Data API connection without its database.
    #[error("a Redshift profile through the Data API needs its database")]
    #[diagnostic(
        code(flowform::redshift::missing_database),
        help("add `database = \"<name>\"`: the cluster's or workgroup's database AppFlow loads")
    )]
    MissingDatabase,
}

/// A warning only a Redshift profile has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum RedshiftWarning {
    /// A JDBC URL.
    #[error("AppFlow will discontinue JDBC URLs for Redshift")]
    #[diagnostic(
        code(flowform::redshift::jdbc_url),
        severity(Warning),
        help(
            "\"We don't recommend that you choose the JDBC URL option because Amazon AppFlow can't use JDBC URLs to connect to private Amazon Redshift clusters. Amazon AppFlow will discontinue support for JDBC URLs in the near future\" (AppFlow user guide): use `cluster` and `database`"
        )
    )]
    JdbcUrl,
    /// A password with the Data API, which does not use it.
    #[error("the Data API signs in without a password")]
    #[diagnostic(
        code(flowform::redshift::password_unused),
        severity(Warning),
        help(
            "remove `password`: AppFlow gets temporary credentials for the database user (`redshift:GetClusterCredentials`); only a JDBC URL takes one"
        )
    )]
    PasswordUnused,
    /// Serverless needs a GRANT CloudFormation cannot run.
    #[error("the workgroup's database must grant AppFlow's Data API role its privileges")]
    #[diagnostic(
        code(flowform::redshift::serverless_grant),
        severity(Warning),
        help(
            "after the deploy, run in the database `GRANT ALL ON ALL TABLES IN SCHEMA <schema> TO \"IAMR:<role name>\"` for {role}: \"Until you grant the access privileges, Amazon AppFlow can't access your database\" (AppFlow user guide, Redshift Serverless)"
        )
    )]
    ServerlessGrant {
        /// The role, or how it is made.
        role: String,
    },
    /// The S3 role the stack creates must be associated with the cluster.
    #[error("Redshift reads the staged records with a role the {target} must be associated with")]
    #[diagnostic(
        code(flowform::redshift::associate_role),
        severity(Warning),
        help(
            "after the deploy, associate the stack's `...RedshiftS3Role` (its ARN is an output) with it: {how}. \"You must also associate the role with the Amazon Redshift cluster that receives the data\" (AppFlow user guide); CloudFormation cannot change a cluster or namespace outside the stack"
        )
    )]
    AssociateRole {
        /// What to associate it with, e.g. ``cluster `analytics` ``.
        target: String,
        /// The command that does it.
        how: String,
    },
    /// A role given by ARN.
    #[error("role `{role}` is given, so flowform does not create or check it")]
    #[diagnostic(code(flowform::redshift::given_role), severity(Warning), help("it must {needs}"))]
    GivenRole {
        /// The role's ARN.
        role: String,
        /// What it must allow.
        needs: &'static str,
    },
}

impl crate::model::Label for RedshiftError {}
impl crate::model::Label for RedshiftWarning {}

#[cfg(all(test, feature = "deploy"))]
mod import_tests {
    use serde_json::json;

    use crate::connectors::import::testing::{compiled, flow};

    #[test]
    fn a_warehouse_destination_is_imported_with_its_staging_bucket() {
        let source = json!({"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "acme-in", "bucketPrefix": "a"}}});
        let destination = json!({
            "connectorType": "Redshift",
            "connectorProfileName": "warehouse",
            "destinationConnectorProperties": {"Redshift": {
                "object": "public.accounts", "intermediateBucketName": "acme-staging", "bucketPrefix": "appflow"
            }}
        });
        let toml = compiled(flow(source, destination));
        assert!(
            toml.contains("destination.redshift = { profile = \"warehouse\", object = \"public.accounts\", bucket = \"acme-staging\", prefix = \"appflow\" }"),
            "{toml}"
        );
    }
}
