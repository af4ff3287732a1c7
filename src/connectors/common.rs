//! Shapes many connectors share, each with its TOML form, lowering, checks and
//! synthesis: the settings every connector profile has ([`ConnectorProfile`]), an OAuth
//! client read from a secret ([`OAuthClient`]), an instance URL, an object a SaaS source
//! reads ([`ObjectSource`]), where failed records go ([`ErrorHandling`]), and a write
//! operation with the fields that identify records ([`WriteOperation`]).
//!
//! Longer than most modules: it is every shape connectors share, each small, in one place a
//! connector's author reads; splitting it would scatter the shapes across files.

use serde::Deserialize;

use crate::cfn::Expr;
use crate::cfn::generated::flow::{self, ErrorHandlingConfig};
use crate::input::InputError;
use crate::input::lower::{At, Lowerer};
use crate::input::raw::{Sp, TomlCredential, TomlText};
use crate::model::validate::Checker;
use crate::model::{BucketRef, Credential, ErrorKind, KeyRef, Path, ProfileRef, SecretRef, Text};
use crate::synth::Synth;

use super::constraints::{self, Role};
use super::facts::ConnectorType;
use super::{Access, BucketUse};

/// A connector profile: the settings every connector's profile has, and the connector's
/// own (`S`, the connector module's `*Settings`).
///
/// The settings methods (the connector's, [`ConnectorProfile::encryption_key`],
/// [`ConnectorProfile::profile_name`]) configure a profile the stack creates; an imported
/// profile is used as it exists, so they leave it unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorProfile<S> {
    pub(crate) base: ProfileBase,
    pub(crate) settings: S,
}

/// The settings every connector profile has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileBase {
    pub(crate) name: String,
    pub(crate) import: Option<String>,
    pub(crate) key: Option<KeyRef>,
    pub(crate) profile_name: Option<String>,
    pub(crate) private: bool,
}

impl ProfileBase {
    /// The profile's name in the stack.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The existing profile (name or ARN) an imported profile uses.
    pub fn imported(&self) -> Option<&str> {
        self.import.as_deref()
    }

    /// The key AppFlow encrypts the credentials of a created profile with.
    pub fn key(&self) -> Option<&KeyRef> {
        self.key.as_ref().filter(|_| self.import.is_none())
    }

    /// The physical name given to a created profile, if one was.
    pub fn profile_name(&self) -> Option<&str> {
        self.profile_name.as_deref().filter(|_| self.import.is_none())
    }

    /// Whether a created profile connects through AWS PrivateLink (`ConnectionMode:
    /// Private`).
    pub fn is_private(&self) -> bool {
        self.private && self.import.is_none()
    }

    /// The name AppFlow knows the profile by: an imported profile's (from its ARN), or the
    /// one a created profile gets (`<stack>-<name>` unless given).
    pub(crate) fn physical_name(&self, stack: &str) -> String {
        match &self.import {
            Some(existing) => existing
                .rsplit_once("connectorprofile/")
                .map_or(existing.as_str(), |(_, name)| name)
                .to_owned(),
            None => self
                .profile_name
                .clone()
                .unwrap_or_else(|| crate::model::names::physical_name(stack, &self.name)),
        }
    }
}

impl<S: Default> ConnectorProfile<S> {
    /// A profile the stack creates, with the connector's `settings`.
    pub(crate) fn owned(name: impl Into<String>, settings: S) -> Self {
        ConnectorProfile {
            base: ProfileBase {
                name: name.into(),
                ..ProfileBase::default()
            },
            settings,
        }
    }

    /// An existing profile, by profile name or ARN.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let mut stack = Stack::new("crm");
    /// // Created elsewhere: flowform neither creates it nor needs its credentials.
    /// let existing = stack.add_profile(SlackConnectorProfile::imported("chat", "acme-slack"));
    /// assert_eq!(existing.name(), "chat");
    /// ```
    pub fn imported(name: impl Into<String>, profile: impl Into<String>) -> Self {
        ConnectorProfile {
            base: ProfileBase {
                name: name.into(),
                import: Some(profile.into()),
                ..ProfileBase::default()
            },
            settings: S::default(),
        }
    }
}

impl<S> ConnectorProfile<S> {
    /// Changes the connector's settings of a profile the stack creates.
    pub(crate) fn configure(mut self, change: impl FnOnce(&mut S)) -> Self {
        if self.base.import.is_none() {
            change(&mut self.settings);
        }
        self
    }

    /// Encrypts the stored credentials with this key instead of the AWS-managed one.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let mut stack = Stack::new("crm");
    /// let key = stack.add_key(Key::owned("profiles"));
    /// let app = SecretRef::named("slack-app");
    /// let profile = SlackConnectorProfile::new("chat", "https://acme.slack.com")
    ///     .oauth(&app, Credential::secret(&app, "accessToken"))
    ///     .encryption_key(&key)
    ///     .profile_name("acme-slack");
    /// assert!(profile.is_owned());
    /// ```
    pub fn encryption_key(mut self, key: impl Into<KeyRef>) -> Self {
        if self.base.import.is_none() {
            self.base.key = Some(key.into());
        }
        self
    }

    /// Connects through AWS PrivateLink (`ConnectionMode: Private`; TOML `private = true`),
    /// for the connectors AppFlow integrates with it (validation says which).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let key = SecretRef::named("attribution");
    /// let profile = SingularConnectorProfile::new("attribution")
    ///     .api_key(Credential::secret(&key, "apiKey"))
    ///     .private_connection();
    /// assert!(profile.is_owned());
    /// ```
    pub fn private_connection(mut self) -> Self {
        if self.base.import.is_none() {
            self.base.private = true;
        }
        self
    }

    /// Gives the profile this physical name instead of `<stack>-<name>`.
    pub fn profile_name(mut self, profile_name: impl Into<String>) -> Self {
        if self.base.import.is_none() {
            self.base.profile_name = Some(profile_name.into());
        }
        self
    }

    /// The profile's name in the stack.
    pub fn name(&self) -> &str {
        &self.base.name
    }

    /// Whether the stack creates this profile.
    pub fn is_owned(&self) -> bool {
        self.base.import.is_none()
    }
}

/// The keys every `[profile.<name>.<connector>]` table has beside the connector's own.
/// Each connector's table declares them itself (serde's `flatten` would lose spans and
/// unknown-key errors); this borrows them for [`lower_profile`].
pub(crate) struct ProfileKeys<'a> {
    /// `import`: an existing profile, by name or ARN.
    pub import: &'a Option<Sp<String>>,
    /// `key`: the KMS key (a `[key.<name>]`) the credentials are encrypted with.
    pub key: &'a Option<Sp<String>>,
    /// `profile-name`: the physical name.
    pub profile_name: &'a Option<Sp<String>>,
    /// `private`: connect through AWS PrivateLink.
    pub private: &'a Option<Sp<bool>>,
}

/// Lowers the shared keys of a profile table: an imported profile when `import` is set
/// (an error if `others` says another key is set too), else `owned()` with `key` and
/// `profile-name` applied. `owned` returns `None` after reporting what it lacks.
pub(crate) fn lower_profile<S: Default>(
    lowerer: &mut Lowerer,
    name: &str,
    at: &At,
    span: std::ops::Range<usize>,
    raw: ProfileKeys<'_>,
    others: bool,
    owned: impl FnOnce(&mut Lowerer) -> Option<ConnectorProfile<S>>,
) -> Option<ConnectorProfile<S>> {
    if let Some(existing) = raw.import {
        if others || raw.key.is_some() || raw.profile_name.is_some() || raw.private.is_some() {
            let profile = name.to_owned();
            lowerer.error(InputError::ImportWithSettings { profile }, span);
        }
        return Some(ConnectorProfile::imported(
            name,
            lowerer.string(&at.key("import"), existing),
        ));
    }
    let mut profile = owned(lowerer)?;
    if let Some(key) = lowerer.opt_string(&at.key("key"), raw.key) {
        profile = profile.encryption_key(KeyRef::named(key));
    }
    if let Some(profile_name) = lowerer.opt_string(&at.key("profile-name"), raw.profile_name) {
        profile = profile.profile_name(profile_name);
    }
    if let Some(private) = raw.private {
        lowerer.record(&at.key("private"), private.span());
        if *private.get() {
            profile = profile.private_connection();
        }
    }
    Some(profile)
}

/// Where records AppFlow fails to write go, and whether the run stops at the first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorHandling {
    /// The bucket failed records are written to.
    pub bucket: Option<BucketRef>,
    /// The prefix inside that bucket.
    pub prefix: Option<String>,
    /// Stop the run at the first failed record.
    pub fail_on_first_error: Option<bool>,
}

impl ErrorHandling {
    /// Failed records go to `bucket`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let errors = BucketRef::named("errors");
    /// let handling = ErrorHandling::to_bucket(&errors).prefix("failed/partners").fail_on_first_error(false);
    /// let destination = SapODataDestination::new(
    ///     ProfileRef::named("erp"),
    ///     "/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner",
    ///     WriteOperation::insert(),
    /// )
    /// .error_handling(handling);
    /// # let _ = destination;
    /// ```
    pub fn to_bucket(bucket: impl Into<BucketRef>) -> Self {
        ErrorHandling {
            bucket: Some(bucket.into()),
            ..ErrorHandling::default()
        }
    }

    /// Under this prefix.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// Stop the run at the first failed record.
    pub fn fail_on_first_error(mut self, fail: bool) -> Self {
        self.fail_on_first_error = Some(fail);
        self
    }

    /// The bucket failed records go to, as a destination's [`BucketUse`].
    pub(crate) fn bucket_use(handling: &Option<ErrorHandling>) -> Option<BucketUse<'_>> {
        let handling = handling.as_ref()?;
        Some(BucketUse {
            at: &["error-handling", "bucket"],
            bucket: handling.bucket.as_ref()?,
            access: Access::Write,
            prefix: handling
                .prefix
                .as_deref()
                .map(|prefix| (prefix, ErrorHandlingConfig::BUCKET_PREFIX_LIMITS)),
            name: None,
        })
    }

    /// Its `ErrorHandlingConfig`.
    pub(crate) fn synthesize(handling: &Option<ErrorHandling>, synth: &Synth<'_>) -> Option<ErrorHandlingConfig> {
        handling.as_ref().map(|handling| ErrorHandlingConfig {
            bucket_name: handling.bucket.as_ref().map(|bucket| synth.bucket_name(bucket.name())),
            bucket_prefix: handling.prefix.clone().map(Expr::Str),
            fail_on_first_error: handling.fail_on_first_error.map(Expr::Bool),
        })
    }
}

/// Where failed records go.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlErrorHandling {
    /// The bucket (a `[bucket.<name>]`).
    pub bucket: Option<Sp<String>>,
    /// The prefix inside it.
    #[cfg_attr(feature = "schema", schemars(transform = crate::input::raw::with_limits(&ErrorHandlingConfig::BUCKET_PREFIX_LIMITS)))]
    pub prefix: Option<Sp<String>>,
    /// Stop the run at the first failed record.
    pub fail_on_first_error: Option<bool>,
}

impl TomlErrorHandling {
    /// Lowers `error-handling` at `at`.
    pub(crate) fn lower(lowerer: &mut Lowerer, at: &At, raw: &Option<Sp<TomlErrorHandling>>) -> Option<ErrorHandling> {
        let raw = raw.as_ref()?;
        lowerer.record(at, raw.span());
        let handling = raw.get();
        Some(ErrorHandling {
            bucket: lowerer
                .opt_string(&at.key("bucket"), &handling.bucket)
                .map(BucketRef::named),
            prefix: lowerer.opt_string(&at.key("prefix"), &handling.prefix),
            fail_on_first_error: handling.fail_on_first_error,
        })
    }
}

/// `WriteOperationType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WriteOperationType {
    /// Create new records.
    Insert,
    /// Update matching records, create the others.
    Upsert,
    /// Update matching records.
    Update,
    /// Delete matching records.
    Delete,
}

impl From<WriteOperationType> for flow::WriteOperationType {
    fn from(value: WriteOperationType) -> Self {
        match value {
            WriteOperationType::Insert => flow::WriteOperationType::Insert,
            WriteOperationType::Upsert => flow::WriteOperationType::Upsert,
            WriteOperationType::Update => flow::WriteOperationType::Update,
            WriteOperationType::Delete => flow::WriteOperationType::Delete,
        }
    }
}

impl From<WriteOperationType> for WriteOperation {
    /// The operation without id fields (a destination's `id_fields` adds them).
    fn from(kind: WriteOperationType) -> Self {
        WriteOperation {
            kind,
            id_fields: Vec::new(),
        }
    }
}

/// A write operation and the fields that identify existing records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOperation {
    pub(crate) kind: WriteOperationType,
    pub(crate) id_fields: Vec<String>,
}

impl WriteOperation {
    /// Create new records.
    pub fn insert() -> Self {
        WriteOperation {
            kind: WriteOperationType::Insert,
            id_fields: Vec::new(),
        }
    }

    /// Update records matched on `id_fields` (e.g. an external ID), create the rest.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let upsert = WriteOperation::upsert(["External_Id__c"]);
    /// assert_eq!(upsert, WriteOperation::with_ids(WriteOperationType::Upsert, ["External_Id__c"]));
    /// assert_ne!(upsert, WriteOperation::insert());
    /// ```
    pub fn upsert<I: IntoIterator<Item = S>, S: Into<String>>(id_fields: I) -> Self {
        Self::with_ids(WriteOperationType::Upsert, id_fields)
    }

    /// Update records matched on `id_fields`.
    pub fn update<I: IntoIterator<Item = S>, S: Into<String>>(id_fields: I) -> Self {
        Self::with_ids(WriteOperationType::Update, id_fields)
    }

    /// Delete records matched on `id_fields` (empty: the record ID).
    pub fn delete<I: IntoIterator<Item = S>, S: Into<String>>(id_fields: I) -> Self {
        Self::with_ids(WriteOperationType::Delete, id_fields)
    }

    /// Any operation with any id fields; validation checks the combination.
    pub fn with_ids<I: IntoIterator<Item = S>, S: Into<String>>(kind: WriteOperationType, id_fields: I) -> Self {
        WriteOperation {
            kind,
            id_fields: id_fields.into_iter().map(Into::into).collect(),
        }
    }

    /// An insert takes no id fields; upsert and update need them (`ids` is the path of
    /// `id-fields`).
    /// The operation fits its id fields, and each id field is named and within the
    /// schema's limits on the destination `connector`'s `IdFieldNames` (`^\S+$`, 128).
    pub(crate) fn check(&self, checker: &mut Checker<'_>, connector: ConnectorType, ids: &Path) {
        match self.kind {
            WriteOperationType::Insert if !self.id_fields.is_empty() => checker.error(
                ids.clone(),
                ErrorKind::IdFields {
                    message: "an insert takes no id fields",
                    help: "remove the id fields, or choose an operation that matches existing records on them (upsert or update)",
                },
            ),
            WriteOperationType::Upsert | WriteOperationType::Update if self.id_fields.is_empty() => checker.error(
                ids.clone(),
                ErrorKind::IdFields {
                    message: "upsert and update need id fields to match existing records",
                    help: "name the field(s) that identify a record, e.g. an external ID such as `External_Id__c`",
                },
            ),
            _ => {}
        }
        let limits = constraints::schema_property(connector, Role::Destination, "IdFieldNames").map(|p| p.limits());
        for (index, field) in self.id_fields.iter().enumerate() {
            checker.check_field_name(|| ids.index(index), field);
            if let Some(limits) = &limits
                && !field.trim().is_empty()
            {
                checker.check_limits(|| ids.index(index), limits, field);
            }
        }
    }
}

/// A write operation.
#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TomlWriteOperation {
    /// Create records.
    Insert,
    /// Update or create.
    Upsert,
    /// Update.
    Update,
    /// Delete.
    Delete,
}

impl TomlWriteOperation {
    /// The operation it names.
    pub(crate) fn kind(self) -> WriteOperationType {
        match self {
            TomlWriteOperation::Insert => WriteOperationType::Insert,
            TomlWriteOperation::Upsert => WriteOperationType::Upsert,
            TomlWriteOperation::Update => WriteOperationType::Update,
            TomlWriteOperation::Delete => WriteOperationType::Delete,
        }
    }

    /// Lowers `operation` (an insert when left out) with its `id-fields` (at `at`, the
    /// destination's table).
    pub(crate) fn lower_or_insert(
        lowerer: &mut Lowerer,
        at: &At,
        operation: &Option<Sp<TomlWriteOperation>>,
        id_fields: &[Sp<String>],
    ) -> WriteOperation {
        if let Some(operation) = operation {
            return Self::lower(lowerer, at, operation, id_fields);
        }
        let ids_at = at.key("id-fields");
        let ids: Vec<String> = id_fields
            .iter()
            .enumerate()
            .map(|(i, field)| lowerer.string(&ids_at.index(i), field))
            .collect();
        // A message about the id fields of the default insert points at the first.
        if let Some(first) = id_fields.first() {
            lowerer.record(&ids_at, first.span());
        }
        WriteOperation::with_ids(WriteOperationType::Insert, ids)
    }

    /// Lowers `operation` with its `id-fields` (at `at`, the destination's table).
    pub(crate) fn lower(
        lowerer: &mut Lowerer,
        at: &At,
        operation: &Sp<TomlWriteOperation>,
        id_fields: &[Sp<String>],
    ) -> WriteOperation {
        let kind = operation.get().kind();
        lowerer.record(&at.key("operation"), operation.span());
        let ids_at = at.key("id-fields");
        let ids: Vec<String> = id_fields
            .iter()
            .enumerate()
            .map(|(i, field)| lowerer.string(&ids_at.index(i), field))
            .collect();
        // A message about the id fields points at the first, or at the operation that
        // needs them.
        let span = id_fields.first().map_or(operation.span(), |first| first.span());
        lowerer.record(&ids_at, span);
        WriteOperation::with_ids(kind, ids)
    }
}

/// An OAuth client's ID and secret: the `clientId` and `clientSecret` JSON keys of one
/// Secrets Manager secret, written into the profile as dynamic references (so the secret
/// may be imported by name; AppFlow never reads it itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthClient {
    pub(crate) id: Credential,
    pub(crate) secret: Credential,
}

impl OAuthClient {
    /// The JSON keys the client's secret holds.
    pub(crate) const KEYS: [&'static str; 2] = ["clientId", "clientSecret"];

    /// The client whose `clientId` and `clientSecret` are in `secret`.
    pub fn from_secret(secret: impl Into<SecretRef>) -> Self {
        let secret = secret.into();
        OAuthClient {
            id: Credential::secret(secret.clone(), Self::KEYS[0]),
            secret: Credential::secret(secret, Self::KEYS[1]),
        }
    }

    /// Both credentials, at `oauth.client-secret` (where the file names the secret).
    pub(crate) fn credentials(&self) -> [(&'static [&'static str], &Credential); 2] {
        const AT: &[&str] = &["oauth", "client-secret"];
        [(AT, &self.id), (AT, &self.secret)]
    }
}

/// An instance URL: `https://` and a host, with no whitespace (the schemas only say
/// `\S+`, but AppFlow connects to it). Returns the host, lowercased, when it is one.
pub(crate) fn check_instance_url(
    checker: &mut Checker<'_>,
    path: &Path,
    url: &str,
    example: &'static str,
) -> Option<String> {
    let host = url
        .strip_prefix("https://")
        .map(|rest| rest.split('/').next().unwrap_or_default());
    match host {
        Some(host) if !host.is_empty() && !url.chars().any(char::is_whitespace) => Some(host.to_ascii_lowercase()),
        _ => {
            checker.error(
                path.clone(),
                ErrorKind::InvalidInstanceUrl {
                    url: url.into(),
                    example,
                },
            );
            None
        }
    }
}

/// A SaaS object a source reads (`tickets`, `leads`, ...) through a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectSource {
    pub(crate) profile: ProfileRef,
    pub(crate) object: Text,
}

impl ObjectSource {
    /// Reads `object` (a name, or a reference: [`Text`]) through `profile`.
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        ObjectSource {
            profile: profile.into(),
            object: object.into(),
        }
    }

    /// The object is named, without spaces (the schemas' `Object` pattern is `\S+`).
    pub(crate) fn check(&self, checker: &mut Checker<'_>, path: &Path, words: &ObjectWords) {
        check_object(checker, path.key("object"), &self.object, words);
    }
}

/// `source.<connector>` of a connector whose source is an object.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlObjectSource {
    /// The profile (a `[profile.<name>]`).
    pub profile: Sp<String>,
    /// The object, as the connector's API names it (or a reference to its name).
    pub object: Sp<TomlText>,
}

impl TomlObjectSource {
    /// Lowers the source at `at`.
    pub(crate) fn lower(&self, lowerer: &mut Lowerer, at: &At) -> ObjectSource {
        let profile = lowerer.string(&at.key("profile"), &self.profile);
        ObjectSource::new(
            ProfileRef::named(profile),
            lowerer.text(&at.key("object"), &self.object),
        )
    }
}

/// How a connector's messages name its objects.
pub(crate) struct ObjectWords {
    /// The empty object, e.g. `the <connector> object`.
    pub empty: &'static str,
    /// How to name one, e.g. ``name the object, e.g. `Account` ``.
    pub help: &'static str,
    /// What an object is called, e.g. `<connector> object`.
    pub what: &'static str,
    /// What a name may hold.
    pub allowed: &'static str,
}

/// An object name: not empty and without whitespace (`Object` is `\S+` in the schemas).
/// A reference is only checked by the shared pass: its value is not known yet.
pub(crate) fn check_object(checker: &mut Checker<'_>, path: Path, object: &Text, words: &ObjectWords) {
    let Some(object) = object.literal() else {
        return;
    };
    if object.trim().is_empty() {
        checker.error(
            path,
            ErrorKind::Empty {
                what: words.empty,
                help: words.help,
            },
        );
    } else if object.chars().any(char::is_whitespace) {
        checker.error(
            path,
            ErrorKind::InvalidCharacters {
                what: words.what,
                value: object.into(),
                allowed: words.allowed,
            },
        );
    }
}

/// The settings of a profile that is an instance URL and an OAuth client, with an access
/// token when the connector needs one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstanceOAuth {
    pub(crate) instance_url: Text,
    pub(crate) client: Option<OAuthClient>,
    pub(crate) access_token: Option<Credential>,
}

/// A connector's profile settings that are an [`InstanceOAuth`] authenticated with an OAuth
/// client and its access token: they get [`ConnectorProfile::oauth`].
pub trait ClientAndTokenSettings {
    /// The instance URL and OAuth client inside.
    fn instance_oauth_mut(&mut self) -> &mut InstanceOAuth;
}

impl<S: ClientAndTokenSettings> ConnectorProfile<S> {
    /// Authenticates as the OAuth client whose `clientId` and `clientSecret` are in
    /// `client_secret`, with `access_token` (TOML `oauth.client-secret`,
    /// `oauth.access-token`).
    pub fn oauth(self, client_secret: impl Into<SecretRef>, access_token: Credential) -> Self {
        let client = OAuthClient::from_secret(client_secret);
        self.configure(|settings| {
            let settings = settings.instance_oauth_mut();
            settings.client = Some(client);
            settings.access_token = Some(access_token);
        })
    }
}

impl InstanceOAuth {
    /// The settings of the instance at `instance_url`, credentials to come.
    pub(crate) fn new(instance_url: impl Into<Text>) -> Self {
        InstanceOAuth {
            instance_url: instance_url.into(),
            ..InstanceOAuth::default()
        }
    }

    /// The client's ID and secret, then the access token, with their keys.
    pub(crate) fn credentials(&self) -> Vec<(&'static [&'static str], &Credential)> {
        let mut found: Vec<(&'static [&'static str], &Credential)> = Vec::new();
        if let Some(client) = &self.client {
            found.extend(client.credentials());
        }
        if let Some(token) = &self.access_token {
            found.push((&["oauth", "access-token"], token));
        }
        found
    }

    /// The host of an `https://` instance URL (an error otherwise), for the connector's
    /// own check of its form; `None` for a reference too, whose value is not known yet.
    pub(crate) fn check_url(&self, checker: &mut Checker<'_>, path: &Path, example: &'static str) -> Option<String> {
        let url = self.instance_url.literal()?;
        check_instance_url(checker, &path.key("instance-url"), url, example)
    }

    /// `InstanceUrl`, and the `(AccessToken, ClientId, ClientSecret)` credentials as template
    /// values. Validation requires the client before synthesis runs, so `NoValue` only
    /// stands for a client no valid stack lacks.
    pub(crate) fn synthesize(&self, synth: &mut Synth<'_>) -> (Expr, Option<Expr>, Expr, Expr) {
        let client = self.client.as_ref();
        (
            synth.text(&self.instance_url),
            self.access_token.as_ref().map(|token| synth.credential(token)),
            client.map_or(Expr::no_value(), |client| synth.credential(&client.id)),
            client.map_or(Expr::no_value(), |client| synth.credential(&client.secret)),
        )
    }
}

/// `oauth` of a profile that is an instance URL and an OAuth client.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlOAuthClient {
    /// The secret (a `[secret.<name>]`) holding the OAuth client's `clientId` and
    /// `clientSecret`.
    pub client_secret: Sp<String>,
    /// An access token (required by connectors AppFlow cannot authorize itself).
    pub access_token: Option<Sp<TomlCredential>>,
}

/// `[profile.<name>.<connector>]` of a profile that is an instance URL and an OAuth client.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlInstanceOAuthProfile {
    /// An existing profile, by name or ARN; no other key may be set then.
    pub import: Option<Sp<String>>,
    /// The instance's URL (`https://...`), or a reference to it.
    // `pattern` and `maxLength` constrain only a string: a reference table passes them.
    #[cfg_attr(feature = "schema", schemars(extend("pattern" = r"^https://\S+$", "maxLength" = 256)))]
    pub instance_url: Option<Sp<TomlText>>,
    /// The KMS key (a `[key.<name>]`) the profile's credentials are encrypted with.
    pub key: Option<Sp<String>>,
    /// The physical profile name (default `<stack>-<name>`).
    pub profile_name: Option<Sp<String>>,
    /// Connect through AWS PrivateLink (`ConnectionMode: Private`), for the connectors
    /// AppFlow integrates with it.
    pub private: Option<Sp<bool>>,
    /// OAuth: `client-secret` (a secret with `clientId` and `clientSecret`) and, if the
    /// connector needs one, `access-token`.
    pub oauth: Option<Sp<TomlOAuthClient>>,
}

impl TomlInstanceOAuthProfile {
    /// Lowers profile `name`; `wrap` makes the connector's settings, and `url_example`
    /// shows the instance URL's form in the message that asks for one.
    pub(crate) fn lower<S: Default>(
        raw: &Sp<TomlInstanceOAuthProfile>,
        lowerer: &mut Lowerer,
        name: &str,
        at: &At,
        url_example: &'static str,
        wrap: fn(InstanceOAuth) -> S,
    ) -> Option<ConnectorProfile<S>> {
        let table = raw.get();
        let keys = ProfileKeys {
            import: &table.import,
            key: &table.key,
            profile_name: &table.profile_name,
            private: &table.private,
        };
        let others = table.instance_url.is_some() || table.oauth.is_some();
        lower_profile(lowerer, name, at, raw.span(), keys, others, |lowerer| {
            let Some(url) = &table.instance_url else {
                lowerer.error(InputError::MissingInstanceUrl { example: url_example }, raw.span());
                return None;
            };
            let mut settings = InstanceOAuth::new(lowerer.text(&at.key("instance-url"), url));
            if let Some(oauth) = &table.oauth {
                let at = at.key("oauth");
                lowerer.record(&at, oauth.span());
                let client = lowerer.string(&at.key("client-secret"), &oauth.get().client_secret);
                settings.client = Some(OAuthClient::from_secret(SecretRef::named(client)));
                if let Some(token) = &oauth.get().access_token {
                    match lowerer.credential(&at.key("access-token"), token) {
                        Some(token) => settings.access_token = Some(token),
                        // Reported where it stands.
                        None => lowerer.credentials_unreadable(name),
                    }
                }
            }
            Some(ConnectorProfile::owned(name, wrap(settings)))
        })
    }
}

/// Implements `Lower` and `SourceConnector` for `$source`, a connector's source that is an
/// [`ObjectSource`] (`struct $source(ObjectSource)`): it reads `object` through `profile`,
/// is checked with `$words` and then `$check` (the connector's own rules, `fn(&$source,
/// &mut Checker, &AnyFlow, &Path)`), follows `$rules` (a `SourceRules`, none if left out),
/// and writes `SourceConnectorProperties.$field` as a `$properties { Object }`.
macro_rules! object_source {
    ($source:ident: $connector:ident, $field:ident = $properties:ident, $words:expr, $check:expr) => {
        $crate::connectors::common::object_source! {
            $source: $connector, $field = $properties, $words, $check, $crate::connectors::SourceRules::NONE
        }
    };
    ($source:ident: $connector:ident, $field:ident = $properties:ident, $words:expr, $check:expr, $rules:expr) => {
        impl $crate::connectors::Lower for $source {
            const CONNECTOR: $crate::connectors::ConnectorType = $crate::connectors::ConnectorType::$connector;
            type Toml = $crate::connectors::common::TomlObjectSource;

            fn lower(
                lowerer: &mut $crate::input::lower::Lowerer,
                at: &$crate::input::lower::At,
                raw: &$crate::connectors::common::TomlObjectSource,
            ) -> Option<Self> {
                Some($source(raw.lower(lowerer, at)))
            }
        }

        impl $crate::connectors::SourceConnector for $source {
            fn profile(&self) -> Option<&$crate::model::ProfileRef> {
                Some(&self.0.profile)
            }

            fn texts(&self) -> Vec<(&'static [&'static str], &$crate::model::Text)> {
                vec![(&["object"], &self.0.object)]
            }

            fn rules(&self) -> $crate::connectors::SourceRules {
                $rules
            }

            fn check(
                &self,
                checker: &mut $crate::model::validate::Checker<'_>,
                flow: &$crate::model::AnyFlow,
                path: &$crate::model::Path,
            ) {
                self.0.check(checker, path, &$words);
                let check: fn(
                    &$source,
                    &mut $crate::model::validate::Checker<'_>,
                    &$crate::model::AnyFlow,
                    &$crate::model::Path,
                ) = $check;
                check(self, checker, flow, path);
            }

            fn synthesize(
                &self,
                synth: &$crate::synth::Synth<'_>,
            ) -> $crate::cfn::generated::flow::SourceConnectorProperties {
                $crate::cfn::generated::flow::SourceConnectorProperties {
                    $field: Some(Box::new($crate::cfn::generated::flow::$properties {
                        object: synth.text(&self.0.object),
                    })),
                    ..Default::default()
                }
            }
        }
    };
}
pub(crate) use object_source;

/// Implements `LowerProfile` and the shared parts of `ProfileConnector` for `$settings`, the
/// settings of a connector profile that is an [`InstanceOAuth`] (`struct
/// $settings(InstanceOAuth)`): lowered from a [`TomlInstanceOAuthProfile`] (`$url` shows the
/// instance URL's form), checked by `$check` (`fn(&$settings, &mut Checker, &Path)`), and
/// written as `ConnectorProfileProperties.$field = $properties { InstanceUrl }` and
/// `ConnectorProfileCredentials.$field = $credentials { AccessToken, ClientId, ClientSecret }`.
macro_rules! instance_oauth_profile {
    ($settings:ident: $connector:ident, $field:ident = ($properties:ident, $credentials:ident), $url:expr, $check:expr) => {
        impl $crate::connectors::LowerProfile for $crate::connectors::common::ConnectorProfile<$settings> {
            const CONNECTOR: $crate::connectors::ConnectorType = $crate::connectors::ConnectorType::$connector;
            type Toml = $crate::connectors::common::TomlInstanceOAuthProfile;

            fn lower(
                lowerer: &mut $crate::input::lower::Lowerer,
                name: &str,
                at: &$crate::input::lower::At,
                raw: &$crate::input::raw::Sp<$crate::connectors::common::TomlInstanceOAuthProfile>,
            ) -> Option<Self> {
                $crate::connectors::common::TomlInstanceOAuthProfile::lower(raw, lowerer, name, at, $url, $settings)
            }
        }

        impl $crate::connectors::ProfileConnector for $settings {
            fn has_credentials(&self) -> bool {
                self.0.client.is_some()
            }

            fn credentials(&self) -> Vec<(&'static [&'static str], &$crate::model::Credential)> {
                self.0.credentials()
            }

            fn texts(&self) -> Vec<(&'static [&'static str], &$crate::model::Text)> {
                vec![(&["instance-url"], &self.0.instance_url)]
            }

            fn check(&self, checker: &mut $crate::model::validate::Checker<'_>, path: &$crate::model::Path) {
                let check: fn(&$settings, &mut $crate::model::validate::Checker<'_>, &$crate::model::Path) = $check;
                check(self, checker, path);
            }

            fn synthesize(
                &self,
                synth: &mut $crate::synth::Synth<'_>,
                _profile: &str,
            ) -> (
                $crate::cfn::generated::connector_profile::ConnectorProfileProperties,
                $crate::cfn::generated::connector_profile::ConnectorProfileCredentials,
            ) {
                use $crate::cfn::generated::connector_profile as profile;
                let (instance_url, access_token, client_id, client_secret) = self.0.synthesize(synth);
                (
                    profile::ConnectorProfileProperties {
                        $field: Some(Box::new(profile::$properties { instance_url })),
                        ..Default::default()
                    },
                    profile::ConnectorProfileCredentials {
                        $field: Some(Box::new(profile::$credentials {
                            access_token,
                            client_id,
                            client_secret,
                            connector_oauth_request: None,
                        })),
                        ..Default::default()
                    },
                )
            }
        }
    };
}
pub(crate) use instance_oauth_profile;

/// A user name and password (basic authentication), each a credential: the shape of a
/// profile that may authenticate either this way or with OAuth (`basic = { ... }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicAuth {
    pub(crate) username: Credential,
    pub(crate) password: Credential,
}

impl BasicAuth {
    /// Signs in as `username` with `password`.
    pub fn new(username: Credential, password: Credential) -> Self {
        BasicAuth { username, password }
    }

    /// Both credentials, at `basic.username` and `basic.password`.
    pub(crate) fn credentials(&self) -> [(&'static [&'static str], &Credential); 2] {
        [
            (&["basic", "username"], &self.username),
            (&["basic", "password"], &self.password),
        ]
    }
}

/// `basic`: a user name and password.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlBasicAuth {
    /// The user name, as a credential.
    pub username: Sp<TomlCredential>,
    /// The password, as a credential.
    pub password: Sp<TomlCredential>,
}

impl TomlBasicAuth {
    /// Lowers `basic` of profile `name` at `at`; `None` after reporting a plaintext value.
    pub(crate) fn lower(raw: &Sp<TomlBasicAuth>, lowerer: &mut Lowerer, name: &str, at: &At) -> Option<BasicAuth> {
        lowerer.record(at, raw.span());
        let username = lowerer.credential(&at.key("username"), &raw.get().username);
        let password = lowerer.credential(&at.key("password"), &raw.get().password);
        match (username, password) {
            (Some(username), Some(password)) => Some(BasicAuth { username, password }),
            _ => {
                // Reported where it stands.
                lowerer.credentials_unreadable(name);
                None
            }
        }
    }
}

/// An OAuth client with the tokens a profile made through CloudFormation needs ("you must
/// fetch the access and refresh tokens", AWS::AppFlow::ConnectorProfile): the client's ID
/// and secret from one secret, an access token, and the refresh token AppFlow renews it
/// with (`oauth = { client-secret, access-token, refresh-token }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthTokens {
    pub(crate) client: OAuthClient,
    pub(crate) access_token: Credential,
    pub(crate) refresh_token: Option<Credential>,
}

impl OAuthTokens {
    /// The client whose `clientId` and `clientSecret` are in `client_secret`, with
    /// `access_token` (TOML `client-secret`, `access-token`).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let app = SecretRef::named("app");
    /// let tokens = OAuthTokens::new(&app, Credential::secret(&app, "accessToken"))
    ///     .refresh_token(Credential::secret(&app, "refreshToken"));
    /// # let _ = tokens;
    /// ```
    pub fn new(client_secret: impl Into<SecretRef>, access_token: Credential) -> Self {
        OAuthTokens {
            client: OAuthClient::from_secret(client_secret),
            access_token,
            refresh_token: None,
        }
    }

    /// The refresh token AppFlow renews the access token with (TOML `refresh-token`).
    pub fn refresh_token(mut self, token: Credential) -> Self {
        self.refresh_token = Some(token);
        self
    }

    /// Every credential, with its keys below the profile's table.
    pub(crate) fn credentials(&self) -> Vec<(&'static [&'static str], &Credential)> {
        let mut found = self.client.credentials().to_vec();
        found.push((&["oauth", "access-token"], &self.access_token));
        if let Some(token) = &self.refresh_token {
            found.push((&["oauth", "refresh-token"], token));
        }
        found
    }

    /// `(ClientId, ClientSecret, AccessToken, RefreshToken)` as template values.
    pub(crate) fn synthesize(&self, synth: &mut Synth<'_>) -> (Expr, Expr, Expr, Option<Expr>) {
        (
            synth.credential(&self.client.id),
            synth.credential(&self.client.secret),
            synth.credential(&self.access_token),
            self.refresh_token.as_ref().map(|token| synth.credential(token)),
        )
    }
}

/// `oauth = { client-secret, access-token, refresh-token }`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlOAuthTokens {
    /// The secret (a `[secret.<name>]`) holding the OAuth client's `clientId` and
    /// `clientSecret`.
    pub client_secret: Sp<String>,
    /// The access token (required: CloudFormation cannot run the authorization itself).
    pub access_token: Option<Sp<TomlCredential>>,
    /// The refresh token AppFlow renews the access token with.
    pub refresh_token: Option<Sp<TomlCredential>>,
}

impl TomlOAuthTokens {
    /// Lowers `oauth` of profile `name` (of `connector`, as messages name it) at `at`;
    /// `None` after reporting what is wrong with it.
    pub(crate) fn lower(
        raw: &Sp<TomlOAuthTokens>,
        lowerer: &mut Lowerer,
        name: &str,
        at: &At,
        connector: &'static str,
    ) -> Option<OAuthTokens> {
        lowerer.record(at, raw.span());
        let oauth = raw.get();
        let client = lowerer.string(&at.key("client-secret"), &oauth.client_secret);
        let mut credential = |key: &str, raw: &Option<Sp<TomlCredential>>| -> Result<Option<Credential>, ()> {
            let Some(raw) = raw else {
                return Ok(None);
            };
            match lowerer.credential(&at.key(key), raw) {
                Some(credential) => Ok(Some(credential)),
                // Reported where it stands.
                None => {
                    lowerer.credentials_unreadable(name);
                    Err(())
                }
            }
        };
        let access_token = credential("access-token", &oauth.access_token);
        let refresh_token = credential("refresh-token", &oauth.refresh_token);
        let (Ok(access_token), Ok(refresh_token)) = (access_token, refresh_token) else {
            return None;
        };
        let Some(access_token) = access_token else {
            lowerer.credentials_unreadable(name);
            lowerer.error(InputError::MissingAccessToken { connector }, raw.span());
            return None;
        };
        Some(OAuthTokens {
            client: OAuthClient::from_secret(SecretRef::named(client)),
            access_token,
            refresh_token,
        })
    }
}

/// Lowers the optional text setting `key` of the table at `at`.
pub(crate) fn optional_text(lowerer: &mut Lowerer, at: &At, key: &str, value: &Option<Sp<TomlText>>) -> Option<Text> {
    value.as_ref().map(|value| lowerer.text(&at.key(key), value))
}

/// Lowers the required text setting `key` of the table at `at` (spanning `table`); `None`
/// after reporting it missing.
pub(crate) fn required_text(
    lowerer: &mut Lowerer,
    at: &At,
    key: &str,
    value: &Option<Sp<TomlText>>,
    table: std::ops::Range<usize>,
) -> Option<Text> {
    let text = optional_text(lowerer, at, key, value);
    if text.is_none() {
        lowerer.error(InputError::MissingKey { name: key.to_owned() }, table);
    }
    text
}

/// A credential key of a profile's table, its raw value, and where its lowered value goes.
pub(crate) type CredentialSlot<'a> = (&'a str, &'a Option<Sp<TomlCredential>>, &'a mut Option<Credential>);

/// Lowers the credentials of profile `name` at `at` into their slots, each `(key, raw,
/// slot)`; `false` when one could not be read (reported where it stands, and the profile's
/// credentials marked unreadable, so validation does not report them missing too).
pub(crate) fn lower_credentials<const N: usize>(
    lowerer: &mut Lowerer,
    name: &str,
    at: &At,
    slots: [CredentialSlot<'_>; N],
) -> bool {
    let mut readable = true;
    for (key, raw, slot) in slots {
        if let Some(raw) = raw {
            *slot = lowerer.credential(&at.key(key), raw);
            readable &= slot.is_some();
        }
    }
    if !readable {
        lowerer.credentials_unreadable(name);
    }
    readable
}
