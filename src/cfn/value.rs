//! CloudFormation values: literals, intrinsic functions and dynamic references.
//!
//! Every property that may hold something CloudFormation resolves at deploy time (a
//! resource's ARN, the account ID, a secret) is an [`Expr`]. Literal-only properties stay
//! plain Rust types in the typed property structs, so the type says where an intrinsic
//! may appear.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// A CloudFormation value: a literal or an intrinsic function call.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr {
    /// A literal string.
    Str(String),
    /// A literal boolean.
    Bool(bool),
    /// A literal integer.
    Int(i64),
    /// A list of values.
    List(Vec<Expr>),
    /// `{"Ref": name}`: a parameter, a resource or a pseudo parameter.
    Ref(String),
    /// `{"Fn::GetAtt": [resource, attribute]}`.
    GetAtt(String, String),
    /// `{"Fn::Sub": template}`.
    Sub(String),
    /// `{"Fn::Join": [separator, parts]}`.
    Join(String, Vec<Expr>),
    /// `{"Fn::ImportValue": export}`: a value another stack exports.
    ImportValue(String),
    /// `{"Fn::If": [condition, then, else]}`.
    If(String, Box<Expr>, Box<Expr>),
    /// `{"Fn::Equals": [left, right]}` (in the `Conditions` section).
    Equals(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// `{"Ref": "AWS::AccountId"}`.
    pub fn account_id() -> Self {
        Expr::Ref("AWS::AccountId".into())
    }

    /// `{"Ref": "AWS::Region"}`.
    pub fn region() -> Self {
        Expr::Ref("AWS::Region".into())
    }

    /// `{"Ref": "AWS::Partition"}`.
    pub fn partition() -> Self {
        Expr::Ref("AWS::Partition".into())
    }

    /// `{"Ref": logical_id}`.
    pub fn reference(logical_id: impl Into<String>) -> Self {
        Expr::Ref(logical_id.into())
    }

    /// `{"Fn::GetAtt": [logical_id, attribute]}`.
    pub fn get_att(logical_id: impl Into<String>, attribute: impl Into<String>) -> Self {
        Expr::GetAtt(logical_id.into(), attribute.into())
    }

    /// `{"Fn::Sub": template}` of a template written in the code. A template with text
    /// from the user is built with [`SubTemplate`], which keeps that text literal.
    pub fn sub(template: &'static str) -> Self {
        Expr::Sub(template.into())
    }

    /// `arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<resource>`,
    /// `resource` kept literal.
    pub fn arn(service: &str, resource: &str) -> Self {
        SubTemplate::new()
            .text("arn:")
            .var("AWS::Partition")
            .text(":")
            .text(service)
            .text(":")
            .var("AWS::Region")
            .text(":")
            .var("AWS::AccountId")
            .text(":")
            .text(resource)
            .build()
    }

    /// `arn:${AWS::Partition}:<service>::${AWS::AccountId}:<resource>`, for a global service
    /// (IAM), `resource` kept literal.
    pub fn arn_global(service: &str, resource: &str) -> Self {
        SubTemplate::new()
            .text("arn:")
            .var("AWS::Partition")
            .text(":")
            .text(service)
            .text("::")
            .var("AWS::AccountId")
            .text(":")
            .text(resource)
            .build()
    }

    /// `{"Ref": "AWS::NoValue"}`: the property is left out, as if never written.
    pub fn no_value() -> Self {
        Expr::Ref("AWS::NoValue".into())
    }

    /// `{"Fn::If": [condition, then, otherwise]}`.
    pub fn if_then(condition: impl Into<String>, then: Expr, otherwise: Expr) -> Self {
        Expr::If(condition.into(), Box::new(then), Box::new(otherwise))
    }

    /// `{"Fn::Equals": [left, right]}`.
    pub fn equals(left: Expr, right: Expr) -> Self {
        Expr::Equals(Box::new(left), Box::new(right))
    }

    /// A Secrets Manager dynamic reference to one JSON key of a secret's `SecretString`:
    /// `{{resolve:secretsmanager:<secret-id>:SecretString:<json_key>}}`.
    ///
    /// CloudFormation resolves it at deploy time, so the secret value never appears in
    /// the template. A literal `secret_id` gives a literal string; anything else (the
    /// `Ref` of a secret the stack creates) is spliced in with `Fn::Join`.
    pub fn secrets_manager(secret_id: Expr, json_key: &str) -> Self {
        const PREFIX: &str = "{{resolve:secretsmanager:";
        let suffix = format!(":SecretString:{json_key}}}}}");
        match secret_id {
            Expr::Str(id) => Expr::Str(format!("{PREFIX}{id}{suffix}")),
            other => Expr::Join(String::new(), vec![Expr::Str(PREFIX.into()), other, Expr::Str(suffix)]),
        }
    }

    /// The literal string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// An `Fn::Sub` template put together from literal text and variables. Text is kept
/// literal whatever it holds: a `${` in it is written `${!`, which `Fn::Sub` prints as
/// `${` ("To write a dollar sign and curly braces (${}) literally, add an exclamation
/// point (!) after the open curly brace", Fn::Sub docs). So text from a flow file can
/// never open a variable, and every place user text enters `Fn::Sub` goes through here
/// (`Expr::sub` takes only templates written in the code).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubTemplate(String);

impl SubTemplate {
    /// An empty template.
    pub fn new() -> Self {
        SubTemplate(String::new())
    }

    /// Appends `text`, literally.
    pub fn text(mut self, text: &str) -> Self {
        self.0.push_str(&text.replace("${", "${!"));
        self
    }

    /// Appends the variable `name` (a parameter, a logical ID, `Id.Attribute`, or a
    /// pseudo parameter such as `AWS::AccountId`).
    pub fn var(mut self, name: &str) -> Self {
        self.0.push_str("${");
        self.0.push_str(name);
        self.0.push('}');
        self
    }

    /// The `Fn::Sub`.
    pub fn build(self) -> Expr {
        Expr::Sub(self.0)
    }
}

impl From<&str> for Expr {
    fn from(value: &str) -> Self {
        Expr::Str(value.to_owned())
    }
}

impl From<String> for Expr {
    fn from(value: String) -> Self {
        Expr::Str(value)
    }
}

impl From<bool> for Expr {
    fn from(value: bool) -> Self {
        Expr::Bool(value)
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Expr::Str(s) => serializer.serialize_str(s),
            Expr::Bool(b) => serializer.serialize_bool(*b),
            Expr::Int(i) => serializer.serialize_i64(*i),
            Expr::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Expr::Ref(name) => single_key(serializer, "Ref", name),
            Expr::GetAtt(resource, attribute) => single_key(serializer, "Fn::GetAtt", &[resource, attribute]),
            Expr::Sub(template) => single_key(serializer, "Fn::Sub", template),
            Expr::Join(separator, parts) => single_key(serializer, "Fn::Join", &(separator, parts)),
            Expr::ImportValue(export) => single_key(serializer, "Fn::ImportValue", export),
            Expr::If(condition, then, otherwise) => single_key(serializer, "Fn::If", &(condition, then, otherwise)),
            Expr::Equals(left, right) => single_key(serializer, "Fn::Equals", &(left, right)),
        }
    }
}

fn single_key<S: Serializer, V: Serialize + ?Sized>(serializer: S, key: &str, value: &V) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn intrinsics_serialize_as_cloudformation_expects() {
        assert_eq!(
            serde_json::to_value(Expr::account_id()).unwrap(),
            json!({"Ref": "AWS::AccountId"})
        );
        assert_eq!(
            serde_json::to_value(Expr::get_att("Lake", "Arn")).unwrap(),
            json!({"Fn::GetAtt": ["Lake", "Arn"]})
        );
        assert_eq!(
            serde_json::to_value(Expr::sub("${A}/*")).unwrap(),
            json!({"Fn::Sub": "${A}/*"})
        );
        assert_eq!(
            serde_json::to_value(Expr::Join(",".into(), vec!["a".into(), Expr::region()])).unwrap(),
            json!({"Fn::Join": [",", ["a", {"Ref": "AWS::Region"}]]})
        );
        assert_eq!(
            Expr::arn("kms", "key/${AWS::Region}"),
            Expr::Sub("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${!AWS::Region}".into()),
            "text never opens a variable"
        );
        assert_eq!(
            SubTemplate::new().text("t_${Nope}-").var("Bucket.Arn").build(),
            Expr::Sub("t_${!Nope}-${Bucket.Arn}".into())
        );
        assert_eq!(
            serde_json::to_value(Expr::if_then("On", "Active".into(), Expr::no_value())).unwrap(),
            json!({"Fn::If": ["On", "Active", {"Ref": "AWS::NoValue"}]})
        );
        assert_eq!(
            serde_json::to_value(Expr::equals(Expr::reference("P"), "Active".into())).unwrap(),
            json!({"Fn::Equals": [{"Ref": "P"}, "Active"]})
        );
    }

    #[test]
    fn dynamic_reference_is_literal_for_imported_secret_and_joined_for_owned() {
        assert_eq!(
            Expr::secrets_manager("appflow/sf".into(), "refreshToken"),
            Expr::Str("{{resolve:secretsmanager:appflow/sf:SecretString:refreshToken}}".into())
        );
        assert_eq!(
            serde_json::to_value(Expr::secrets_manager(Expr::reference("ClientSecret"), "k")).unwrap(),
            json!({"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": "ClientSecret"}, ":SecretString:k}}"]]})
        );
    }
}
