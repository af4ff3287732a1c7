//! Text CloudFormation may resolve at deploy time: a setting written in the file, or a
//! reference to a value that lives elsewhere (a template parameter, a secret, a Systems
//! Manager parameter, another stack's export).
//!
//! Settings AppFlow only passes on (an object's name, an instance URL, a flow's
//! description) are [`Text`]. Settings flowform must read to build the template (names,
//! schedules, fields, bucket names, which shape the resources and policies it writes) stay
//! literal, and credentials are always references ([`super::Credential`]). A reference is
//! checked for what can be checked before deploy (its name, that the secret exists);
//! what it resolves to is not seen until CloudFormation resolves it, so the checks of the
//! literal value (an instance URL's form, an object's characters) do not apply to it.

use super::resources::SecretRef;

/// A string setting: literal, or resolved by CloudFormation at deploy time.
///
/// ```
/// use flowform::model::*;
///
/// let mut stack = Stack::new("crm");
/// let lake = stack.add_bucket(Bucket::owned("lake"));
/// stack.add_flow(
///     OnDemandFlow::new("copy", S3Source::new(&lake, "in/"), S3Destination::new(&lake))
///         // From Parameter Store at deploy time; `Text::parameter("CopyDescription")`
///         // would be a template parameter instead.
///         .description(Text::ssm("/crm/copy/description"))
///         .map_all(),
/// );
/// let json = flowform::compile(stack, &flowform::CompileOptions::default()).unwrap().template.to_json();
/// assert!(json.contains("{{resolve:ssm:/crm/copy/description}}"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// The value itself.
    Literal(String),
    /// A `String` template parameter, passed at deploy time (`--parameter Name=...`).
    Parameter(String),
    /// One JSON key of a secret's `SecretString`, as a `secretsmanager` dynamic reference.
    Secret {
        /// The secret.
        secret: SecretRef,
        /// The JSON key inside it.
        key: String,
    },
    /// A `String` parameter of Systems Manager Parameter Store, as an `ssm` dynamic
    /// reference.
    Ssm(String),
    /// A value another stack exports, through `Fn::ImportValue`.
    Import(String),
}

impl Text {
    /// A `String` template parameter.
    pub fn parameter(name: impl Into<String>) -> Self {
        Text::Parameter(name.into())
    }

    /// The value of `json_key` in `secret`'s `SecretString`.
    pub fn secret(secret: impl Into<SecretRef>, json_key: impl Into<String>) -> Self {
        Text::Secret {
            secret: secret.into(),
            key: json_key.into(),
        }
    }

    /// The Parameter Store parameter `name` (a `String` parameter, not a `SecureString`).
    pub fn ssm(name: impl Into<String>) -> Self {
        Text::Ssm(name.into())
    }

    /// The export `name` of another stack in the account and region.
    pub fn import(export: impl Into<String>) -> Self {
        Text::Import(export.into())
    }

    /// The value, when it is written here; `None` for a reference.
    pub fn literal(&self) -> Option<&str> {
        match self {
            Text::Literal(value) => Some(value),
            _ => None,
        }
    }
}

/// An empty literal (the settings of an imported profile, which are never written).
impl Default for Text {
    fn default() -> Self {
        Text::Literal(String::new())
    }
}

impl From<&str> for Text {
    fn from(value: &str) -> Self {
        Text::Literal(value.to_owned())
    }
}

impl From<String> for Text {
    fn from(value: String) -> Self {
        Text::Literal(value)
    }
}

impl From<&String> for Text {
    fn from(value: &String) -> Self {
        Text::Literal(value.clone())
    }
}
