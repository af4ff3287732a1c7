//! Connector profiles (Salesforce first) and the credentials they hold.
//!
//! A credential is always a reference: a JSON key of a Secrets Manager secret (resolved by
//! CloudFormation at deploy time) or a `NoEcho` template parameter. There is no way to put
//! a literal token in the model, and no placeholder is ever invented for a missing one.

use super::resources::{KeyRef, SecretRef};

/// Where a credential's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// One JSON key of a secret's `SecretString`, as a dynamic reference.
    Secret {
        /// The secret.
        secret: SecretRef,
        /// The JSON key inside it.
        key: String,
    },
    /// A `NoEcho` template parameter the deployer passes.
    Parameter {
        /// The parameter's logical ID.
        name: String,
    },
}

impl Credential {
    /// The value of `json_key` in `secret`'s `SecretString`.
    pub fn secret(secret: impl Into<SecretRef>, json_key: impl Into<String>) -> Self {
        Credential::Secret {
            secret: secret.into(),
            key: json_key.into(),
        }
    }

    /// A `NoEcho` template parameter.
    pub fn parameter(name: impl Into<String>) -> Self {
        Credential::Parameter { name: name.into() }
    }
}

/// How AppFlow authenticates to Salesforce.
///
/// There is no client-credentials grant: the schema's `OAuth2GrantType` enum still lists
/// `CLIENT_CREDENTIALS`, but AppFlow's API model says since 2024-10-11 "The
/// CLIENT_CREDENTIALS value is not supported for Salesforce" (API reference,
/// SalesforceConnectorProfileCredentials and SalesforceMetadata), and such a profile fails
/// with "AuthCode cannot be blank for connector: SALESFORCE" (terraform-provider-aws#43998).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SalesforceAuth {
    /// OAuth refresh-token grant (`AUTHORIZATION_CODE`): an access and a refresh token plus
    /// the connected app's client ID and secret, stored in a secret AppFlow reads itself.
    ///
    /// Both tokens are required: through CloudFormation "you must fetch the access and
    /// refresh tokens" (AWS::AppFlow::ConnectorProfile), and without the access token
    /// AppFlow fails with "AuthCode cannot be blank" (terraform-provider-aws#26396). An
    /// expired access token is fine: AppFlow refreshes it.
    RefreshToken {
        /// The access token AppFlow starts with.
        access_token: Credential,
        /// The refresh token.
        refresh_token: Credential,
        /// The secret holding `clientId` and `clientSecret` (`ClientCredentialsArn`).
        client_credentials: SecretRef,
    },

    /// OAuth JWT bearer flow (`JWT_BEARER`).
    JwtBearer {
        /// The signed JWT.
        jwt: Credential,
        /// The connected app's client credentials, when the org requires them.
        client_credentials: Option<SecretRef>,
    },
    /// A bare access token (it expires; for short-lived setups and tests).
    AccessToken {
        /// The access token.
        access_token: Credential,
    },
}

impl SalesforceAuth {
    /// The secret AppFlow reads the connected app's client ID and secret from
    /// (`ClientCredentialsArn`), if the grant has one.
    pub fn client_credentials(&self) -> Option<&SecretRef> {
        match self {
            SalesforceAuth::RefreshToken { client_credentials, .. } => Some(client_credentials),
            SalesforceAuth::JwtBearer { client_credentials, .. } => client_credentials.as_ref(),
            SalesforceAuth::AccessToken { .. } => None,
        }
    }
}

/// A Salesforce connector profile, owned by the stack or imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesforceConnectorProfile {
    pub(crate) name: String,
    pub(crate) kind: ProfileKind,
}

/// An owned profile's settings, or the identity of an imported one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProfileKind {
    Owned(OwnedProfile),
    Imported(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OwnedProfile {
    pub(crate) instance_url: String,
    pub(crate) sandbox: bool,
    pub(crate) auth: Option<SalesforceAuth>,
    pub(crate) key: Option<KeyRef>,
    pub(crate) profile_name: Option<String>,
}

/// The settings methods (`sandbox`, the credential methods, `encryption_key`,
/// `profile_name`) configure a profile the stack creates; an imported profile is used as it
/// exists, so they leave it unchanged.
impl SalesforceConnectorProfile {
    /// A profile the stack creates for the Salesforce instance at `instance_url`.
    /// Set its credentials with one of the `*_grant`/`access_token` methods.
    pub fn new(name: impl Into<String>, instance_url: impl Into<String>) -> Self {
        SalesforceConnectorProfile {
            name: name.into(),
            kind: ProfileKind::Owned(OwnedProfile {
                instance_url: instance_url.into(),
                sandbox: false,
                auth: None,
                key: None,
                profile_name: None,
            }),
        }
    }

    /// An existing profile, by profile name or ARN.
    pub fn imported(name: impl Into<String>, profile: impl Into<String>) -> Self {
        SalesforceConnectorProfile {
            name: name.into(),
            kind: ProfileKind::Imported(profile.into()),
        }
    }

    /// Marks the instance as a sandbox (`isSandboxEnvironment`).
    pub fn sandbox(mut self, sandbox: bool) -> Self {
        if let ProfileKind::Owned(owned) = &mut self.kind {
            owned.sandbox = sandbox;
        }
        self
    }

    /// Authenticates with an access token, a refresh token and the connected app's
    /// client-credentials secret (AppFlow needs both tokens; an expired access token is
    /// refreshed).
    pub fn refresh_token_grant(
        self,
        access_token: Credential,
        refresh_token: Credential,
        client_credentials: impl Into<SecretRef>,
    ) -> Self {
        self.auth(SalesforceAuth::RefreshToken {
            access_token,
            refresh_token,
            client_credentials: client_credentials.into(),
        })
    }

    /// Authenticates with a JWT bearer token.
    pub fn jwt_bearer(self, jwt: Credential) -> Self {
        self.auth(SalesforceAuth::JwtBearer {
            jwt,
            client_credentials: None,
        })
    }

    /// Authenticates with an access token alone.
    pub fn access_token(self, access_token: Credential) -> Self {
        self.auth(SalesforceAuth::AccessToken { access_token })
    }

    /// Sets the authentication (replacing any set before).
    pub fn auth(mut self, auth: SalesforceAuth) -> Self {
        if let ProfileKind::Owned(owned) = &mut self.kind {
            owned.auth = Some(auth);
        }
        self
    }

    /// Encrypts the stored credentials with this key instead of the AWS-managed one.
    pub fn encryption_key(mut self, key: impl Into<KeyRef>) -> Self {
        if let ProfileKind::Owned(owned) = &mut self.kind {
            owned.key = Some(key.into());
        }
        self
    }

    /// Gives the profile this physical name instead of `<stack>-<name>`.
    pub fn profile_name(mut self, profile_name: impl Into<String>) -> Self {
        if let ProfileKind::Owned(owned) = &mut self.kind {
            owned.profile_name = Some(profile_name.into());
        }
        self
    }

    /// The profile's name in the stack.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the stack creates this profile.
    pub fn is_owned(&self) -> bool {
        matches!(self.kind, ProfileKind::Owned(_))
    }
}
