//! Credentials: what a connector profile authenticates with.
//!
//! A credential is always a reference: a JSON key of a Secrets Manager secret (resolved by
//! CloudFormation at deploy time) or a `NoEcho` template parameter. There is no way to put
//! a literal token in the model, and no placeholder is ever invented for a missing one.

use super::resources::SecretRef;

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
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let tokens = SecretRef::named("sf-tokens");
    /// let access = Credential::secret(&tokens, "accessToken");
    /// let refresh = Credential::parameter("SfRefreshToken");
    /// assert_ne!(access, refresh);
    /// ```
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
