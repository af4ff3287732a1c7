//! Pardot (Marketing Cloud Account Engagement): a source (a Pardot object) and an OAuth
//! profile of a business unit. AppFlow user guide, Pardot
//! (<https://docs.aws.amazon.com/appflow/latest/userguide/pardot.html>).
//!
//! What AWS documents, and what flowform enforces:
//! - source only: "You can use Pardot as a source only"; no change events, so no
//!   event-triggered flows; "a maximum frequency of one flow run per minute", AppFlow's own
//!   floor; "Amazon AppFlow supports Pardot version 4 only" (an account matter, in the
//!   README);
//! - profile properties: `BusinessUnitId`, required by the schema: "Your Pardot Business
//!   Unit ID begins with 0Uv and is 18 characters long", an error otherwise;
//!   `InstanceUrl` and `IsSandboxEnvironment`, optional ("You can connect Amazon AppFlow to
//!   your Pardot sandbox account in addition to your Pardot production account");
//! - credentials: "authentication via OAuth2", and through CloudFormation "you must fetch
//!   the access and refresh tokens" (AWS::AppFlow::ConnectorProfile): the access token is
//!   required. The refresh token renews it with the connected app's client ID and secret,
//!   which AppFlow reads itself from the secret's ARN (`ClientCredentialsArn`: "The secret
//!   manager ARN, which contains the client ID and client secret of the connected app"), so
//!   a refresh token needs the client secret, which gets AppFlow's read grant. "The refresh
//!   token policy ... must be set to Refresh token is valid until revoked" (README);
//! - filters: the schema's `PardotConnectorOperator` compares with `EQUAL_TO` alone,
//!   applied by the shared operator check from the generated facts.

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::cfn::Expr;
use crate::cfn::generated::connector_profile::{
    ConnectorProfileCredentials, ConnectorProfileProperties, PardotConnectorProfileCredentials,
    PardotConnectorProfileProperties,
};
use crate::input::InputError;
use crate::input::lower::{At, Lowerer};
use crate::input::raw::{Sp, TomlCredential, TomlText};
use crate::model::validate::Checker;
use crate::model::{Credential, Path, ProfileRef, SecretRef, Text};
use crate::synth::Synth;

use super::common::{self, ConnectorProfile, OAuthClient, ObjectSource, ObjectWords, ProfileKeys, object_source};
use super::{ConnectorType, LowerProfile, ProfileConnector};

/// How messages name Pardot objects.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Pardot object",
    help: "name the object as AppFlow lists it, e.g. `prospect`",
    what: "Pardot object",
    allowed: "object names have no spaces",
};

/// The instance URL's form in messages (production; the sandbox is `pi.demo.pardot.com`).
const URL_EXAMPLE: &str = "https://pi.pardot.com";

// ---------------------------------------------------------------------------------------
// Model

/// The Pardot settings of a connector profile the stack creates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PardotSettings {
    pub(crate) business_unit_id: Text,
    pub(crate) instance_url: Option<Text>,
    pub(crate) sandbox: Option<bool>,
    pub(crate) access_token: Option<Credential>,
    pub(crate) refresh_token: Option<Credential>,
    pub(crate) client_secret: Option<SecretRef>,
}

/// A Pardot connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type PardotConnectorProfile = ConnectorProfile<PardotSettings>;

impl ConnectorProfile<PardotSettings> {
    /// A profile the stack creates for the business unit `business_unit_id` (`0Uv...`, 18
    /// characters), signed in with `access_token`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let app = SecretRef::named("pardot-app");
    /// let profile = PardotConnectorProfile::new("mcae", "0Uv5e000000TNnkCAG", Credential::secret(&app, "accessToken"))
    ///     .refresh_token(Credential::secret(&app, "refreshToken"), &app)
    ///     .instance_url("https://pi.pardot.com")
    ///     .sandbox(false);
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(name: impl Into<String>, business_unit_id: impl Into<Text>, access_token: Credential) -> Self {
        let settings = PardotSettings {
            business_unit_id: business_unit_id.into(),
            access_token: Some(access_token),
            ..PardotSettings::default()
        };
        ConnectorProfile::owned(name, settings)
    }

    /// The refresh token, and the secret holding the connected app's `clientId` and
    /// `clientSecret` that AppFlow renews the access token with (TOML `oauth.refresh-token`
    /// and `oauth.client-secret`).
    pub fn refresh_token(self, token: Credential, client_secret: impl Into<SecretRef>) -> Self {
        let client_secret = client_secret.into();
        self.configure(|settings| {
            settings.refresh_token = Some(token);
            settings.client_secret = Some(client_secret);
        })
    }

    /// The Pardot instance's URL (TOML `instance-url`).
    pub fn instance_url(self, url: impl Into<Text>) -> Self {
        let url = url.into();
        self.configure(|settings| settings.instance_url = Some(url))
    }

    /// Whether the business unit is a sandbox (TOML `sandbox`).
    pub fn sandbox(self, sandbox: bool) -> Self {
        self.configure(|settings| settings.sandbox = Some(sandbox))
    }
}

/// Reads a Pardot object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PardotSource(pub(crate) ObjectSource);

impl PardotSource {
    /// Reads `object` through `profile`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let source = PardotSource::new(ProfileRef::named("mcae"), "prospect");
    /// # let _ = source;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        PardotSource(ObjectSource::new(profile, object))
    }
}

object_source! { PardotSource: Pardot, pardot = PardotSourceProperties, OBJECT, |_, _, _, _| {} }

// ---------------------------------------------------------------------------------------
// TOML

/// `oauth` of a Pardot profile.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlPardotOAuth {
    /// The access token (required: CloudFormation cannot run the authorization itself).
    pub access_token: Option<Sp<TomlCredential>>,
    /// The refresh token AppFlow renews the access token with.
    pub refresh_token: Option<Sp<TomlCredential>>,
    /// With a refresh token: the secret (a `[secret.<name>]`) holding the connected app's
    /// `clientId` and `clientSecret`, which AppFlow reads by ARN.
    pub client_secret: Option<Sp<String>>,
}

/// `[profile.<name>.pardot]`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlPardotProfile {
    /// An existing profile, by name or ARN; no other key may be set then.
    pub import: Option<Sp<String>>,
    /// The business unit's ID: `0Uv` and 15 more letters or digits.
    #[cfg_attr(feature = "schema", schemars(extend("pattern" = "^0Uv[A-Za-z0-9]{15}$")))]
    pub business_unit_id: Option<Sp<TomlText>>,
    /// The Pardot instance's URL, e.g. `https://pi.pardot.com` (or `https://pi.demo.pardot.com`
    /// for a sandbox).
    #[cfg_attr(feature = "schema", schemars(extend("pattern" = r"^https://\S+$", "maxLength" = 256)))]
    pub instance_url: Option<Sp<TomlText>>,
    /// Whether the business unit is a sandbox.
    pub sandbox: Option<bool>,
    /// The KMS key (a `[key.<name>]`) the profile's credentials are encrypted with.
    pub key: Option<Sp<String>>,
    /// The physical profile name (default `<stack>-<name>`).
    pub profile_name: Option<Sp<String>>,
    /// Connect through AWS PrivateLink (`ConnectionMode: Private`), for the connectors
    /// AppFlow integrates with it.
    pub private: Option<Sp<bool>>,
    /// OAuth: `access-token`, and `refresh-token` with `client-secret`.
    pub oauth: Option<Sp<TomlPardotOAuth>>,
}

impl LowerProfile for ConnectorProfile<PardotSettings> {
    const CONNECTOR: ConnectorType = ConnectorType::Pardot;
    type Toml = TomlPardotProfile;

    fn lower(lowerer: &mut Lowerer, name: &str, at: &At, raw: &Sp<TomlPardotProfile>) -> Option<Self> {
        let table = raw.get();
        let keys = ProfileKeys {
            import: &table.import,
            key: &table.key,
            profile_name: &table.profile_name,
            private: &table.private,
        };
        let others = table.business_unit_id.is_some()
            || table.instance_url.is_some()
            || table.sandbox.is_some()
            || table.oauth.is_some();
        common::lower_profile(lowerer, name, at, raw.span(), keys, others, |lowerer| {
            let Some(business_unit) = &table.business_unit_id else {
                let name = "business-unit-id".to_owned();
                lowerer.error(InputError::MissingKey { name }, raw.span());
                return None;
            };
            let mut settings = PardotSettings {
                business_unit_id: lowerer.text(&at.key("business-unit-id"), business_unit),
                sandbox: table.sandbox,
                ..PardotSettings::default()
            };
            settings.instance_url = table
                .instance_url
                .as_ref()
                .map(|url| lowerer.text(&at.key("instance-url"), url));
            if let Some(oauth) = &table.oauth {
                lower_oauth(lowerer, name, &at.key("oauth"), oauth, &mut settings)?;
            }
            Some(ConnectorProfile::owned(name, settings))
        })
    }
}

/// Lowers `oauth` into `settings`; `None` after reporting what is wrong with it.
fn lower_oauth(
    lowerer: &mut Lowerer,
    name: &str,
    at: &At,
    raw: &Sp<TomlPardotOAuth>,
    settings: &mut PardotSettings,
) -> Option<()> {
    lowerer.record(at, raw.span());
    let oauth = raw.get();
    let slots = [
        ("access-token", &oauth.access_token, &mut settings.access_token),
        ("refresh-token", &oauth.refresh_token, &mut settings.refresh_token),
    ];
    let readable = common::lower_credentials(lowerer, name, at, slots);
    settings.client_secret = lowerer
        .opt_string(&at.key("client-secret"), &oauth.client_secret)
        .map(SecretRef::named);
    if !readable {
        return None;
    }
    if oauth.access_token.is_none() {
        lowerer.credentials_unreadable(name);
        lowerer.error(InputError::MissingAccessToken { connector: "Pardot" }, raw.span());
        return None;
    }
    if settings.refresh_token.is_some() && settings.client_secret.is_none() {
        // Reported, and the rest of the profile still checked: nothing else depends on it.
        lowerer.error(InputError::MissingClientSecret, raw.span());
    }
    Some(())
}

// ---------------------------------------------------------------------------------------
// Checks and synthesis

impl ProfileConnector for PardotSettings {
    fn has_credentials(&self) -> bool {
        self.access_token.is_some()
    }

    fn credential_ways(&self) -> &'static str {
        "`oauth.access-token`, and `oauth.refresh-token` with `oauth.client-secret` so AppFlow can renew it"
    }

    fn credentials(&self) -> Vec<(&'static [&'static str], &Credential)> {
        let mut found: Vec<(&'static [&'static str], &Credential)> = Vec::new();
        if let Some(token) = &self.access_token {
            found.push((&["oauth", "access-token"], token));
        }
        if let Some(token) = &self.refresh_token {
            found.push((&["oauth", "refresh-token"], token));
        }
        found
    }

    fn secrets(&self) -> Vec<(&'static [&'static str], &SecretRef)> {
        self.client_secret
            .iter()
            .map(|secret| (&["oauth", "client-secret"][..], secret))
            .collect()
    }

    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        let mut texts: Vec<(&'static [&'static str], &Text)> = vec![(&["business-unit-id"], &self.business_unit_id)];
        if let Some(url) = &self.instance_url {
            texts.push((&["instance-url"], url));
        }
        texts
    }

    fn check(&self, checker: &mut Checker<'_>, path: &Path) {
        if let Some(id) = self.business_unit_id.literal() {
            let valid = id.len() == 18 && id.starts_with("0Uv") && id.chars().all(|c| c.is_ascii_alphanumeric());
            if !valid {
                let error = PardotError::InvalidBusinessUnitId { id: id.to_owned() };
                checker.error(path.key("business-unit-id"), error.into());
            }
        }
        if let Some(url) = self.instance_url.as_ref().and_then(Text::literal) {
            common::check_instance_url(checker, &path.key("instance-url"), url, URL_EXAMPLE);
        }
        if let Some(secret) = &self.client_secret {
            // AppFlow reads the connected app's `clientId` and `clientSecret` itself, by ARN.
            checker.check_secret_keys(path.key("oauth").key("client-secret"), secret, &OAuthClient::KEYS);
        }
    }

    fn synthesize(
        &self,
        synth: &mut Synth<'_>,
        _profile: &str,
    ) -> (ConnectorProfileProperties, ConnectorProfileCredentials) {
        let properties = PardotConnectorProfileProperties {
            business_unit_id: synth.text(&self.business_unit_id),
            instance_url: self.instance_url.as_ref().map(|url| synth.text(url)),
            is_sandbox_environment: self.sandbox.map(Expr::Bool),
        };
        let credentials = PardotConnectorProfileCredentials {
            access_token: self.access_token.as_ref().map(|token| synth.credential(token)),
            client_credentials_arn: self
                .client_secret
                .as_ref()
                .map(|secret| synth.secret_arn(secret.name())),
            connector_oauth_request: None,
            refresh_token: self.refresh_token.as_ref().map(|token| synth.credential(token)),
        };
        (
            ConnectorProfileProperties {
                pardot: Some(Box::new(properties)),
                ..ConnectorProfileProperties::default()
            },
            ConnectorProfileCredentials {
                pardot: Some(Box::new(credentials)),
                ..ConnectorProfileCredentials::default()
            },
        )
    }
}

/// An error only a Pardot profile has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum PardotError {
    /// A business unit ID not of the documented form.
    #[error("`{id}` is not a Pardot business unit ID")]
    #[diagnostic(
        code(flowform::pardot::invalid_business_unit_id),
        help(
            "\"Your Pardot Business Unit ID begins with 0Uv and is 18 characters long\" (AppFlow user guide, Pardot); Setup → Pardot Account Setup shows it"
        )
    )]
    InvalidBusinessUnitId {
        /// The ID given.
        id: String,
    },
}

impl crate::model::Label for PardotError {}
