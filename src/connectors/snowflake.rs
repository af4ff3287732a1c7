//! Snowflake: a destination (a table, loaded from an intermediate bucket) and a profile of
//! the warehouse, its S3 stage and bucket, and a user. AppFlow user guide, "Snowflake"
//! (<https://docs.aws.amazon.com/appflow/latest/userguide/snowflake.html>).
//!
//! What AWS documents, and what flowform enforces:
//! - destination only: the flow schema has `SnowflakeDestinationProperties` and no
//!   Snowflake source; no write operation in the schema (Object, IntermediateBucketName,
//!   BucketPrefix, ErrorHandlingConfig);
//! - how the data moves: "Amazon AppFlow uses the Snowflake COPY command to move data using
//!   an S3 bucket": the profile names "the S3 bucket where Amazon AppFlow will write data
//!   prior to copying it" (`BucketName`, required, with `BucketPrefix`), so AppFlow gets the
//!   write statement on it through the shared permissions pass; the destination writes the
//!   same bucket and prefix as `IntermediateBucketName`/`BucketPrefix` (as the reference
//!   library does; no AWS text says they may differ), or its own when the profile is
//!   imported (and unknown here);
//! - profile: `Warehouse`, `Stage` (`<Database> <Schema> <Stage name>`, the API reference:
//!   flowform warns when a literal stage is not three dot-separated names, the form the
//!   reference library writes) and `BucketName` required, `AccountName` and `Region`
//!   optional; `Username` and `Password` required (credentials);
//! - Snowflake reads the bucket through its storage integration's IAM role, which AppFlow
//!   never references ("To configure the integration, see Configuring Secure Access to Amazon
//!   S3 in the Snowflake documentation", and "You must also add access to the kms:Decrypt
//!   action"). Given the integration's `STORAGE_AWS_IAM_USER_ARN` and
//!   `STORAGE_AWS_EXTERNAL_ID` (`storage-integration`), the stack creates that role as
//!   Snowflake's guide writes it: trusting the user with `sts:ExternalId`, allowed
//!   `s3:GetObject` and `s3:GetObjectVersion` under the prefix, `s3:ListBucket` and
//!   `s3:GetBucketLocation` on the bucket, `kms:Decrypt` on its key; its ARN is an output
//!   (the integration's `STORAGE_AWS_ROLE_ARN`). Without them, a warning prints what the
//!   role must allow;
//! - private connections: Snowflake is "integrated with AWS PrivateLink" (private-flows.html);
//!   `PrivateLinkServiceName` has the API's pattern `com.amazonaws.vpce.…` and goes with
//!   `private = true`.

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::cfn::Expr;
use crate::cfn::generated::connector_profile::{
    ConnectorProfileCredentials, ConnectorProfileProperties, SnowflakeConnectorProfileCredentials,
    SnowflakeConnectorProfileProperties,
};
use crate::cfn::resources::{Condition, Principal, Statement};
use crate::input::InputError;
use crate::input::lower::{At, Lowerer};
use crate::input::raw::{Sp, TomlCredential, TomlText};
use crate::model::validate::Checker;
use crate::model::{BucketRef, Credential, ErrorKind, Path, ProfileRef, Text, names};
use crate::synth::Synth;

use super::common::{self, ConnectorProfile, ObjectWords, ProfileKeys};
use super::staged::{ProfileRole, StagedDestination, staged_destination, staged_read_statements};
use super::{Access, BucketUse, ConnectorType, LowerProfile, ProfileConnector};

/// How messages name Snowflake tables.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Snowflake table",
    help: "name the table as `DATABASE.SCHEMA.TABLE`",
    what: "Snowflake table",
    allowed: "table names have no spaces, e.g. `SALES.PUBLIC.ACCOUNTS`",
};

/// The prefix of PrivateLink service names (the API's pattern for `PrivateLinkServiceName`).
const SERVICE_NAME_PREFIX: &str = "com.amazonaws.vpce.";

// ---------------------------------------------------------------------------------------
// Profile

/// The Snowflake settings of a connector profile the stack creates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnowflakeSettings {
    pub(crate) warehouse: Text,
    pub(crate) stage: Text,
    pub(crate) bucket: Option<BucketRef>,
    pub(crate) prefix: Option<String>,
    pub(crate) account_name: Option<Text>,
    pub(crate) region: Option<Text>,
    pub(crate) private_link_service_name: Option<Text>,
    pub(crate) username: Option<Credential>,
    pub(crate) password: Option<Credential>,
    pub(crate) storage_integration: Option<StorageIntegration>,
}

/// The Snowflake storage integration the stack creates the IAM role for: what
/// `DESC INTEGRATION` shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageIntegration {
    pub(crate) user_arn: Text,
    pub(crate) external_id: Text,
}

impl StorageIntegration {
    /// The integration whose `STORAGE_AWS_IAM_USER_ARN` is `user_arn` and
    /// `STORAGE_AWS_EXTERNAL_ID` is `external_id`.
    pub fn new(user_arn: impl Into<Text>, external_id: impl Into<Text>) -> Self {
        StorageIntegration {
            user_arn: user_arn.into(),
            external_id: external_id.into(),
        }
    }
}

/// A Snowflake connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type SnowflakeConnectorProfile = ConnectorProfile<SnowflakeSettings>;

impl ConnectorProfile<SnowflakeSettings> {
    /// A profile the stack creates: AppFlow writes to `bucket` (under
    /// [`prefix`](ConnectorProfile::prefix)) and loads from `stage` (`DB.SCHEMA.STAGE`) with
    /// `warehouse`, signed in as `username` with `password`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let mut stack = Stack::new("warehouse");
    /// let staging = stack.add_bucket(Bucket::owned("staging"));
    /// let user = SecretRef::named("snowflake-user");
    /// let profile = SnowflakeConnectorProfile::new(
    ///     "snowflake",
    ///     "COMPUTE_WH",
    ///     "SALES.PUBLIC.APPFLOW_STAGE",
    ///     &staging,
    ///     Credential::secret(&user, "username"),
    ///     Credential::secret(&user, "password"),
    /// )
    /// .prefix("appflow")
    /// .account_name("vna33034")
    /// .region("us-west-2");
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(
        name: impl Into<String>,
        warehouse: impl Into<Text>,
        stage: impl Into<Text>,
        bucket: impl Into<BucketRef>,
        username: Credential,
        password: Credential,
    ) -> Self {
        let settings = SnowflakeSettings {
            warehouse: warehouse.into(),
            stage: stage.into(),
            bucket: Some(bucket.into()),
            username: Some(username),
            password: Some(password),
            ..SnowflakeSettings::default()
        };
        ConnectorProfile::owned(name, settings)
    }

    /// The key prefix AppFlow writes under in the bucket (TOML `prefix`).
    pub fn prefix(self, prefix: impl Into<String>) -> Self {
        let prefix = prefix.into();
        self.configure(|settings| settings.prefix = Some(prefix))
    }

    /// The Snowflake account's name, e.g. `vna33034` of `https://vna33034.snowflakecomputing.com`
    /// (TOML `account-name`).
    pub fn account_name(self, account: impl Into<Text>) -> Self {
        let account = account.into();
        self.configure(|settings| settings.account_name = Some(account))
    }

    /// The AWS Region of the Snowflake account (TOML `region`).
    pub fn region(self, region: impl Into<Text>) -> Self {
        let region = region.into();
        self.configure(|settings| settings.region = Some(region))
    }

    /// The storage integration Snowflake reads the bucket through: the stack creates its
    /// role (TOML `storage-integration`).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let staging = BucketRef::named("staging");
    /// let user = SecretRef::named("snowflake-user");
    /// let profile = SnowflakeConnectorProfile::new(
    ///     "snowflake",
    ///     "COMPUTE_WH",
    ///     "SALES.PUBLIC.APPFLOW_STAGE",
    ///     &staging,
    ///     Credential::secret(&user, "username"),
    ///     Credential::secret(&user, "password"),
    /// )
    /// .storage_integration(StorageIntegration::new("arn:aws:iam::123456789001:user/abc1-b-self1234", "MYACCOUNT_SFCRole=2_a123456/s0aBCDEfGHIJklmNoPq="));
    /// assert!(profile.is_owned());
    /// ```
    pub fn storage_integration(self, integration: StorageIntegration) -> Self {
        self.configure(|settings| settings.storage_integration = Some(integration))
    }

    /// The Snowflake PrivateLink service name, with
    /// [`private_connection`](ConnectorProfile::private_connection) (TOML
    /// `private-link-service-name`).
    pub fn private_link_service_name(self, name: impl Into<Text>) -> Self {
        let name = name.into();
        self.configure(|settings| settings.private_link_service_name = Some(name))
    }
}

/// `[profile.<name>.snowflake]`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlSnowflakeProfile {
    /// An existing profile, by name or ARN; no other key may be set then.
    pub import: Option<Sp<String>>,
    /// The warehouse that runs the COPY.
    pub warehouse: Option<Sp<TomlText>>,
    /// The S3 stage, `DATABASE.SCHEMA.STAGE`.
    pub stage: Option<Sp<TomlText>>,
    /// The bucket (a `[bucket.<name>]`) AppFlow writes to before the COPY: the stage's.
    pub bucket: Option<Sp<String>>,
    /// The key prefix AppFlow writes under in it.
    pub prefix: Option<Sp<String>>,
    /// The Snowflake account's name, e.g. `vna33034`.
    pub account_name: Option<Sp<TomlText>>,
    /// The AWS Region of the Snowflake account.
    pub region: Option<Sp<TomlText>>,
    /// With `private = true`: the Snowflake PrivateLink service name (`com.amazonaws.vpce.…`).
    pub private_link_service_name: Option<Sp<TomlText>>,
    /// The user's name, as a credential.
    pub username: Option<Sp<TomlCredential>>,
    /// The user's password, as a credential.
    pub password: Option<Sp<TomlCredential>>,
    /// The storage integration Snowflake reads the bucket through, as `DESC INTEGRATION`
    /// shows it: the stack creates its IAM role.
    pub storage_integration: Option<Sp<TomlStorageIntegration>>,
    /// The KMS key (a `[key.<name>]`) the profile's credentials are encrypted with.
    pub key: Option<Sp<String>>,
    /// The physical profile name (default `<stack>-<name>`).
    pub profile_name: Option<Sp<String>>,
    /// Connect through AWS PrivateLink (`ConnectionMode: Private`).
    pub private: Option<Sp<bool>>,
}

/// `storage-integration`: a Snowflake storage integration's AWS identity.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlStorageIntegration {
    /// Its `STORAGE_AWS_IAM_USER_ARN`, the IAM user Snowflake assumes the role as.
    pub user_arn: Sp<TomlText>,
    /// Its `STORAGE_AWS_EXTERNAL_ID`, the external ID Snowflake passes.
    pub external_id: Sp<TomlText>,
}

impl LowerProfile for ConnectorProfile<SnowflakeSettings> {
    const CONNECTOR: ConnectorType = ConnectorType::Snowflake;
    type Toml = TomlSnowflakeProfile;

    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<TomlSnowflakeProfile>) -> Option<Self> {
        let t = raw.get();
        let keys = ProfileKeys {
            import: &t.import,
            key: &t.key,
            profile_name: &t.profile_name,
            private: &t.private,
        };
        let others = t.warehouse.is_some()
            || t.stage.is_some()
            || t.bucket.is_some()
            || t.prefix.is_some()
            || t.account_name.is_some()
            || t.region.is_some()
            || t.private_link_service_name.is_some()
            || t.username.is_some()
            || t.password.is_some()
            || t.storage_integration.is_some();
        common::lower_profile(lowerer, name, at, raw.span(), keys, others, |lowerer| {
            let warehouse = common::required_text(lowerer, at, "warehouse", &t.warehouse, raw.span());
            let stage = common::required_text(lowerer, at, "stage", &t.stage, raw.span());
            if t.bucket.is_none() {
                lowerer.error(InputError::MissingKey { name: "bucket".into() }, raw.span());
            }
            let (Some(warehouse), Some(stage), Some(_)) = (warehouse, stage, &t.bucket) else {
                return None;
            };
            let mut settings = SnowflakeSettings {
                warehouse,
                stage,
                bucket: lowerer.opt_string(&at.key("bucket"), &t.bucket).map(BucketRef::named),
                prefix: lowerer.opt_string(&at.key("prefix"), &t.prefix),
                account_name: common::optional_text(lowerer, at, "account-name", &t.account_name),
                region: common::optional_text(lowerer, at, "region", &t.region),
                private_link_service_name: common::optional_text(
                    lowerer,
                    at,
                    "private-link-service-name",
                    &t.private_link_service_name,
                ),
                storage_integration: t.storage_integration.as_ref().map(|raw| {
                    let at = at.key("storage-integration");
                    lowerer.record(&at, raw.span());
                    let integration = raw.get();
                    StorageIntegration {
                        user_arn: lowerer.text(&at.key("user-arn"), &integration.user_arn),
                        external_id: lowerer.text(&at.key("external-id"), &integration.external_id),
                    }
                }),
                ..SnowflakeSettings::default()
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

impl ProfileConnector for SnowflakeSettings {
    // Each missing credential is reported by `check`, by its key.
    fn has_credentials(&self) -> bool {
        true
    }

    fn supports_private_connection(&self) -> bool {
        true
    }

    fn private_link_service_name(&self) -> Option<Option<&Text>> {
        Some(self.private_link_service_name.as_ref())
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
                    .map(|prefix| (prefix, SnowflakeConnectorProfileProperties::BUCKET_PREFIX_LIMITS)),
                name: None,
            })
            .collect()
    }

    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        let mut texts: Vec<(&'static [&'static str], &Text)> =
            vec![(&["warehouse"], &self.warehouse), (&["stage"], &self.stage)];
        let optional: [(&'static [&'static str], &Option<Text>); 3] = [
            (&["account-name"], &self.account_name),
            (&["region"], &self.region),
            (&["private-link-service-name"], &self.private_link_service_name),
        ];
        texts.extend(
            optional
                .into_iter()
                .filter_map(|(at, text)| text.as_ref().map(|text| (at, text))),
        );
        if let Some(integration) = &self.storage_integration {
            texts.push((&["storage-integration", "user-arn"], &integration.user_arn));
            texts.push((&["storage-integration", "external-id"], &integration.external_id));
        }
        texts
    }

    fn check(&self, checker: &mut Checker<'_>, path: &Path) {
        for (key, credential, what) in [
            ("username", &self.username, "the Snowflake user's name"),
            ("password", &self.password, "the Snowflake user's password"),
        ] {
            if credential.is_none() {
                let error = ErrorKind::MissingCredential {
                    connector: "Snowflake",
                    key,
                    what,
                };
                checker.error(path.clone(), error);
            }
        }
        if let Some(stage) = self.stage.literal()
            && (stage.split('.').count() != 3 || stage.split('.').any(str::is_empty))
        {
            let warning = SnowflakeWarning::UnusualStage {
                stage: stage.to_owned(),
            };
            checker.warn(path.key("stage"), warning.into());
        }
        if let Some(service) = self.private_link_service_name.as_ref().and_then(Text::literal)
            && !service.starts_with(SERVICE_NAME_PREFIX)
        {
            let error = SnowflakeError::InvalidServiceName {
                name: service.to_owned(),
            };
            checker.error(path.key("private-link-service-name"), error.into());
        }
        if let Some(user) = self.storage_integration.as_ref().and_then(|i| i.user_arn.literal())
            && !(user.starts_with("arn:") && user.contains(":iam::") && user.contains(":user/"))
        {
            let error = SnowflakeError::StorageUser { user: user.to_owned() };
            checker.error(path.key("storage-integration").key("user-arn"), error.into());
        }
        if let (Some(bucket), None) = (&self.bucket, &self.storage_integration) {
            let objects = match self.prefix.as_deref() {
                Some(prefix) => format!("the bucket's objects under `{}/`", prefix.trim_end_matches('/')),
                None => "the bucket's objects".into(),
            };
            let warning = SnowflakeWarning::StorageIntegration {
                bucket: bucket.name().to_owned(),
                objects,
            };
            checker.warn(path.key("bucket"), warning.into());
        }
    }

    fn synthesize(
        &self,
        synth: &mut Synth<'_>,
        profile: &str,
    ) -> (ConnectorProfileProperties, ConnectorProfileCredentials) {
        if let (Some(integration), Some(bucket)) = (&self.storage_integration, &self.bucket) {
            self.create_storage_role(synth, profile, integration, bucket);
        }
        let properties = SnowflakeConnectorProfileProperties {
            account_name: self.account_name.as_ref().map(|text| synth.text(text)),
            // Validation requires the bucket before synthesis runs.
            bucket_name: self
                .bucket
                .as_ref()
                .map_or(Expr::no_value(), |bucket| synth.bucket_name(bucket.name())),
            bucket_prefix: self.prefix.clone().map(Expr::Str),
            private_link_service_name: self.private_link_service_name.as_ref().map(|text| synth.text(text)),
            region: self.region.as_ref().map(|text| synth.text(text)),
            stage: synth.text(&self.stage),
            warehouse: synth.text(&self.warehouse),
        };
        let credential = |synth: &mut Synth<'_>, credential: &Option<Credential>| {
            credential
                .as_ref()
                .map_or(Expr::no_value(), |credential| synth.credential(credential))
        };
        let credentials = SnowflakeConnectorProfileCredentials {
            password: credential(synth, &self.password),
            username: credential(synth, &self.username),
        };
        (
            ConnectorProfileProperties {
                snowflake: Some(Box::new(properties)),
                ..ConnectorProfileProperties::default()
            },
            ConnectorProfileCredentials {
                snowflake: Some(Box::new(credentials)),
                ..ConnectorProfileCredentials::default()
            },
        )
    }
}

impl SnowflakeSettings {
    /// The role Snowflake's storage integration reads the staged records with, as
    /// Snowflake's "Configuring secure access to Amazon S3" writes it (loading only: no
    /// write or delete), and its ARN as an output.
    fn create_storage_role(
        &self,
        synth: &mut Synth<'_>,
        profile: &str,
        integration: &StorageIntegration,
        bucket: &BucketRef,
    ) {
        let id = format!("{}SnowflakeStorageRole", names::profile_id(profile));
        let actions = ["s3:GetObject", "s3:GetObjectVersion"];
        let statements = staged_read_statements(synth, bucket, self.prefix.as_deref(), &actions);
        let trust = Statement {
            principal: Some(Principal::Aws(synth.text(&integration.user_arn))),
            condition: Some(Condition::string_equals(
                "sts:ExternalId",
                synth.text(&integration.external_id),
            )),
            ..Statement::allow(vec!["sts:AssumeRole".into()], Vec::new())
        };
        ProfileRole {
            id,
            description: format!("Lets Snowflake's storage integration read what AppFlow stages for profile {profile}"),
            trust,
            policy_name: "ReadStagedRecords",
            statements,
            output: format!(
                "ARN of the role Snowflake's storage integration reads what AppFlow stages for profile {profile} with: the integration's STORAGE_AWS_ROLE_ARN"
            ),
        }
        .create(synth);
    }
}

// ---------------------------------------------------------------------------------------
// Destination

/// Loads a Snowflake table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnowflakeDestination(pub(crate) StagedDestination);

impl SnowflakeDestination {
    /// Loads the table `object` (`DATABASE.SCHEMA.TABLE`) through `profile`, by way of the
    /// profile's bucket.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let errors = BucketRef::named("errors");
    /// let destination = SnowflakeDestination::new(ProfileRef::named("snowflake"), "SALES.PUBLIC.ACCOUNTS")
    ///     .error_handling(ErrorHandling::to_bucket(&errors).prefix("snowflake"));
    /// // An imported profile's bucket is not known here: name it.
    /// let imported = SnowflakeDestination::new(ProfileRef::named("existing"), "SALES.PUBLIC.ACCOUNTS")
    ///     .intermediate_bucket(BucketRef::named("staging"), "appflow");
    /// # let _ = (destination, imported);
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        SnowflakeDestination(StagedDestination::new(profile, object))
    }
}

staged_destination! { SnowflakeDestination: Snowflake, snowflake = SnowflakeDestinationProperties, OBJECT }

// ---------------------------------------------------------------------------------------
// Diagnostics

/// An error only a Snowflake profile or destination has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum SnowflakeError {
    /// A storage integration user that is not an IAM user's ARN.
    #[error("`{user}` is not an IAM user's ARN")]
    #[diagnostic(
        code(flowform::snowflake::storage_user),
        help(
            "use the integration's `STORAGE_AWS_IAM_USER_ARN` as `DESC INTEGRATION <name>` shows it, e.g. `arn:aws:iam::123456789001:user/abc1-b-self1234` (Snowflake, \"Configuring secure access to Amazon S3\")"
        )
    )]
    StorageUser {
        /// The value written.
        user: String,
    },
    /// A PrivateLink service name not of the API's form.
    #[error("`{name}` is not a PrivateLink service name")]
    #[diagnostic(
        code(flowform::snowflake::invalid_service_name),
        help(
            "use the service name Snowflake gives for the account, `com.amazonaws.vpce.<region>.vpce-svc-…` (the AppFlow API's pattern for `PrivateLinkServiceName`)"
        )
    )]
    InvalidServiceName {
        /// The name given.
        name: String,
    },
}

/// A warning only a Snowflake profile has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum SnowflakeWarning {
    /// A stage not of the `DATABASE.SCHEMA.STAGE` form.
    #[error("stage `{stage}` is not `DATABASE.SCHEMA.STAGE`")]
    #[diagnostic(
        code(flowform::snowflake::unusual_stage),
        severity(Warning),
        help(
            "AppFlow wants the stage as \"<Database> <Schema> <Stage name>\" (API reference), written `DATABASE.SCHEMA.STAGE`: check this is the stage's full name"
        )
    )]
    UnusualStage {
        /// The stage given.
        stage: String,
    },
    /// The storage integration's role, which the stack does not create.
    #[error(
        "Snowflake reads bucket `{bucket}` through its storage integration's IAM role, which this stack does not create"
    )]
    #[diagnostic(
        code(flowform::snowflake::storage_integration),
        severity(Warning),
        help(
            "the role that Snowflake's storage integration assumes (trusting its `STORAGE_AWS_IAM_USER_ARN` with its `STORAGE_AWS_EXTERNAL_ID`) must allow `s3:GetObject` and `s3:GetObjectVersion` on {objects}, `s3:ListBucket` and `s3:GetBucketLocation` on the bucket (Snowflake, \"Configuring secure access to Amazon S3\"), and `kms:Decrypt` (\"You must also add access to the kms:Decrypt action\", AppFlow user guide); or set `storage-integration = {{ user-arn = \"<STORAGE_AWS_IAM_USER_ARN>\", external-id = \"<STORAGE_AWS_EXTERNAL_ID>\" }}` and the stack creates it"
        )
    )]
    StorageIntegration {
        /// The bucket's name in the stack.
        bucket: String,
        /// The objects Snowflake reads, in words.
        objects: String,
    },
}

impl crate::model::Label for SnowflakeError {}
impl crate::model::Label for SnowflakeWarning {}
