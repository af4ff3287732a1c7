//! The template IR: parameters, resources and outputs in CloudFormation's canonical order.
//!
//! Sections are written in the order CloudFormation documents them
//! (`AWSTemplateFormatVersion`, `Description`, `Parameters`, `Conditions`, `Resources`,
//! `Outputs`), and
//! [`Template::canonicalize`] sorts the entries of each section by logical ID, so the same
//! model always gives the same bytes and adding a resource never moves another one.

use std::io;

use indexmap::IndexMap;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::ser::{Formatter, PrettyFormatter};

use super::generated::connector::Connector;
use super::generated::connector_profile::ConnectorProfile;
use super::generated::customer_profiles_integration::Integration;
use super::generated::flow::Flow;
use super::monitoring::{
    CloudWatchAlarmProperties, EventsRuleProperties, SnsTopicPolicyProperties, SnsTopicProperties,
    SqsQueuePolicyProperties, SqsQueueProperties,
};
use super::resources::{
    BucketPolicyProperties, BucketProperties, CustomerProfilesDomainProperties, CustomerProfilesObjectTypeProperties,
    EventBusProperties, GlueDatabaseProperties, IamRoleProperties, KmsKeyProperties, LambdaFunctionProperties,
    LambdaPermissionProperties, SecretProperties, SecretResourcePolicyProperties,
};
use super::value::Expr;
use crate::hash::FastState;

/// The only template format version CloudFormation knows.
pub const FORMAT_VERSION: &str = "2010-09-09";

/// One section of a template: entries by logical ID, in insertion order until
/// [`Template::canonicalize`] sorts them. Hashed with [`FastState`]: a split stack inserts
/// tens of thousands of IDs.
pub type Entries<V> = IndexMap<String, V, FastState>;

/// A CloudFormation template.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Template {
    /// The template's `Description`.
    pub description: Option<String>,
    /// `Parameters`, by logical ID.
    pub parameters: Entries<Parameter>,
    /// `Conditions`, by name: each an `Fn::Equals` (or another condition function).
    pub conditions: Entries<Expr>,
    /// `Resources`, by logical ID.
    pub resources: Entries<Resource>,
    /// `Outputs`, by logical ID.
    pub outputs: Entries<Output>,
}

impl Template {
    /// Sorts every section by logical ID (the documented, stable order).
    pub fn canonicalize(&mut self) {
        self.parameters.sort_unstable_keys();
        self.conditions.sort_unstable_keys();
        self.resources.sort_unstable_keys();
        self.outputs.sort_unstable_keys();
    }

    /// The template as pretty-printed JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut bytes = Vec::with_capacity(4096);
        // Serializing plain structs and strings into memory cannot fail, and the formatter
        // writes only whole UTF-8 characters.
        let _ = write_pretty(&mut bytes, self);
        let mut text = String::from_utf8(bytes).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The template as a JSON value (for tests and tools that inspect it).
    pub fn to_json_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl Serialize for Template {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("AWSTemplateFormatVersion", FORMAT_VERSION)?;
        if let Some(description) = &self.description {
            map.serialize_entry("Description", description)?;
        }
        if !self.parameters.is_empty() {
            map.serialize_entry("Parameters", &self.parameters)?;
        }
        if !self.conditions.is_empty() {
            map.serialize_entry("Conditions", &self.conditions)?;
        }
        map.serialize_entry("Resources", &self.resources)?;
        if !self.outputs.is_empty() {
            map.serialize_entry("Outputs", &self.outputs)?;
        }
        map.end()
    }
}

/// The type of a template parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParameterType {
    /// `String`.
    String,
    /// `Number`.
    Number,
}

/// A template parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    /// The parameter's type.
    #[serde(rename = "Type")]
    pub kind: ParameterType,
    /// What the parameter is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The value used when the deployer passes none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `true` for credentials: CloudFormation masks the value everywhere it shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_echo: Option<bool>,
    /// The only values CloudFormation accepts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed_values: Vec<String>,
    /// A regular expression the whole value must match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_pattern: Option<String>,
    /// The fewest characters a `String` value may have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// The most characters a `String` value may have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// What CloudFormation says when the value breaks `AllowedValues`/`AllowedPattern`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint_description: Option<String>,
}

impl Parameter {
    /// A parameter of `kind` with a description and no default or constraint.
    pub fn new(kind: ParameterType, description: impl Into<String>) -> Self {
        Parameter {
            kind,
            description: Some(description.into()),
            default: None,
            no_echo: None,
            allowed_values: Vec::new(),
            allowed_pattern: None,
            min_length: None,
            max_length: None,
            constraint_description: None,
        }
    }

    /// A `NoEcho` string parameter: a secret value the deployer passes, masked by
    /// CloudFormation everywhere it shows parameter values.
    pub fn secret(description: impl Into<String>) -> Self {
        Parameter {
            no_echo: Some(true),
            ..Parameter::new(ParameterType::String, description)
        }
    }
}

/// What CloudFormation does with a resource's physical resource when the stack deletes
/// or replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DeletionPolicy {
    /// Keep the physical resource.
    Retain,
    /// Keep it, except when the operation that created it rolls back: "RetainExceptOnCreate
    /// behaves like Retain for stack operations, except for the stack operation that
    /// initially created the resource. If the stack operation that created the resource is
    /// rolled back, CloudFormation deletes the resource" (DeletionPolicy attribute,
    /// CloudFormation template reference), so a failed first deploy orphans nothing.
    /// `UpdateReplacePolicy` does not take it; a replaced resource is kept (`Retain`).
    RetainExceptOnCreate,
    /// Delete it.
    Delete,
}

impl DeletionPolicy {
    /// The `UpdateReplacePolicy` that goes with it.
    fn on_replace(self) -> DeletionPolicy {
        match self {
            DeletionPolicy::RetainExceptOnCreate => DeletionPolicy::Retain,
            other => other,
        }
    }
}

/// A template resource: its typed properties plus resource attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The typed properties; they also decide the resource `Type`.
    pub properties: ResourceProperties,
    /// Logical IDs this resource must be created after (beyond what `Ref`/`GetAtt` imply).
    pub depends_on: Vec<String>,
    /// `DeletionPolicy`, and the `UpdateReplacePolicy` that goes with it; `None` is
    /// CloudFormation's default (delete).
    pub retention: Option<DeletionPolicy>,
}

impl Resource {
    /// A resource with no explicit dependencies and the default deletion behaviour.
    pub fn new(properties: ResourceProperties) -> Self {
        Resource {
            properties,
            depends_on: Vec::new(),
            retention: None,
        }
    }

    /// The same resource, kept when the stack deletes or replaces it (but deleted when the
    /// operation that created it rolls back).
    pub fn retained(mut self) -> Self {
        self.retention = Some(DeletionPolicy::RetainExceptOnCreate);
        self
    }

    /// The same resource, kept (see [`Resource::retained`]) when `retain`.
    pub fn retained_if(self, retain: bool) -> Self {
        if retain { self.retained() } else { self }
    }

    /// The same resource, created after `logical_ids`.
    pub fn depending_on(mut self, logical_ids: Vec<String>) -> Self {
        self.depends_on = logical_ids;
        self
    }
}

impl Serialize for Resource {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("Type", self.properties.type_name())?;
        if !self.depends_on.is_empty() {
            map.serialize_entry("DependsOn", &self.depends_on)?;
        }
        if let Some(policy) = self.retention {
            map.serialize_entry("DeletionPolicy", &policy)?;
            map.serialize_entry("UpdateReplacePolicy", &policy.on_replace())?;
        }
        map.serialize_entry("Properties", &self.properties)?;
        map.end()
    }
}

/// The typed properties of every resource type flowform writes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ResourceProperties {
    /// `AWS::AppFlow::Flow`.
    Flow(Box<Flow>),
    /// `AWS::AppFlow::ConnectorProfile`.
    ConnectorProfile(Box<ConnectorProfile>),
    /// `AWS::S3::Bucket`.
    Bucket(BucketProperties),
    /// `AWS::S3::BucketPolicy`.
    BucketPolicy(BucketPolicyProperties),
    /// `AWS::KMS::Key`.
    KmsKey(KmsKeyProperties),
    /// `AWS::SecretsManager::Secret`.
    Secret(SecretProperties),
    /// `AWS::SecretsManager::ResourcePolicy`.
    SecretResourcePolicy(SecretResourcePolicyProperties),
    /// `AWS::IAM::Role`.
    IamRole(IamRoleProperties),
    /// `AWS::Glue::Database`.
    GlueDatabase(GlueDatabaseProperties),
    /// `AWS::Events::EventBus`.
    EventBus(EventBusProperties),
    /// `AWS::CustomerProfiles::Domain`.
    CustomerProfilesDomain(CustomerProfilesDomainProperties),
    /// `AWS::CustomerProfiles::ObjectType`.
    CustomerProfilesObjectType(CustomerProfilesObjectTypeProperties),
    /// `AWS::CustomerProfiles::Integration`.
    CustomerProfilesIntegration(Box<Integration>),
    /// `AWS::AppFlow::Connector`.
    Connector(Box<Connector>),
    /// `AWS::Lambda::Permission`.
    LambdaPermission(LambdaPermissionProperties),
    /// `AWS::Lambda::Function`.
    LambdaFunction(Box<LambdaFunctionProperties>),
    /// `AWS::SNS::Topic`.
    SnsTopic(SnsTopicProperties),
    /// `AWS::SNS::TopicPolicy`.
    SnsTopicPolicy(SnsTopicPolicyProperties),
    /// `AWS::SQS::Queue`.
    SqsQueue(SqsQueueProperties),
    /// `AWS::SQS::QueuePolicy`.
    SqsQueuePolicy(SqsQueuePolicyProperties),
    /// `AWS::Events::Rule`.
    EventsRule(Box<EventsRuleProperties>),
    /// `AWS::CloudWatch::Alarm`.
    CloudWatchAlarm(Box<CloudWatchAlarmProperties>),
}

impl ResourceProperties {
    /// The CloudFormation resource type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            ResourceProperties::Flow(_) => "AWS::AppFlow::Flow",
            ResourceProperties::ConnectorProfile(_) => "AWS::AppFlow::ConnectorProfile",
            ResourceProperties::Bucket(_) => "AWS::S3::Bucket",
            ResourceProperties::BucketPolicy(_) => "AWS::S3::BucketPolicy",
            ResourceProperties::KmsKey(_) => "AWS::KMS::Key",
            ResourceProperties::Secret(_) => "AWS::SecretsManager::Secret",
            ResourceProperties::SecretResourcePolicy(_) => "AWS::SecretsManager::ResourcePolicy",
            ResourceProperties::IamRole(_) => "AWS::IAM::Role",
            ResourceProperties::GlueDatabase(_) => "AWS::Glue::Database",
            ResourceProperties::EventBus(_) => "AWS::Events::EventBus",
            ResourceProperties::CustomerProfilesDomain(_) => "AWS::CustomerProfiles::Domain",
            ResourceProperties::CustomerProfilesObjectType(_) => "AWS::CustomerProfiles::ObjectType",
            ResourceProperties::CustomerProfilesIntegration(_) => "AWS::CustomerProfiles::Integration",
            ResourceProperties::Connector(_) => "AWS::AppFlow::Connector",
            ResourceProperties::LambdaPermission(_) => "AWS::Lambda::Permission",
            ResourceProperties::LambdaFunction(_) => "AWS::Lambda::Function",
            ResourceProperties::SnsTopic(_) => "AWS::SNS::Topic",
            ResourceProperties::SnsTopicPolicy(_) => "AWS::SNS::TopicPolicy",
            ResourceProperties::SqsQueue(_) => "AWS::SQS::Queue",
            ResourceProperties::SqsQueuePolicy(_) => "AWS::SQS::QueuePolicy",
            ResourceProperties::EventsRule(_) => "AWS::Events::Rule",
            ResourceProperties::CloudWatchAlarm(_) => "AWS::CloudWatch::Alarm",
        }
    }

    /// Visits every value of the resource types a flow owns that may refer to shared
    /// resources in a split: the generated ones (the flow and what stands for one), its
    /// rules, alarms and the permissions that let its rules invoke functions.
    pub(crate) fn visit_flow_exprs_mut(&mut self, visit: &mut dyn FnMut(&mut Expr)) {
        use super::generated::VisitExprs;
        match self {
            ResourceProperties::Flow(properties) => properties.visit_exprs_mut(visit),
            ResourceProperties::CustomerProfilesIntegration(properties) => properties.visit_exprs_mut(visit),
            ResourceProperties::EventsRule(properties) => properties.visit_exprs_mut(visit),
            ResourceProperties::CloudWatchAlarm(properties) => properties.visit_exprs_mut(visit),
            ResourceProperties::LambdaPermission(properties) => {
                visit(&mut properties.function_name);
                visit(&mut properties.source_arn);
            }
            _ => {}
        }
    }
}

/// A template output.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Output {
    /// What the value is.
    pub description: String,
    /// The value.
    pub value: Expr,
    /// The name other stacks import it by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub export: Option<Export>,
}

/// An output's `Export`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Export {
    /// The export name, unique in the account and region.
    pub name: String,
}

/// `value` as the pretty JSON of a template ([`Template::to_json`] without the final
/// newline): what the split measures its entries with writes the same bytes.
pub(crate) fn write_pretty<W: io::Write, T: Serialize + ?Sized>(writer: W, value: &T) -> serde_json::Result<()> {
    let mut serializer =
        serde_json::Serializer::with_formatter(writer, CloudFormationFormatter(PrettyFormatter::new()));
    value.serialize(&mut serializer)
}

/// serde_json's pretty printer, but with DEL and the C1 controls (U+007F to U+009F)
/// escaped. JSON allows them raw; CloudFormation's readers do not: cfn-lint cannot parse
/// a template holding one ("control characters are not allowed", E0000). Every string of
/// every template goes through here, so no text from a flow file can make one unreadable.
struct CloudFormationFormatter<'a>(PrettyFormatter<'a>);

impl Formatter for CloudFormationFormatter<'_> {
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        // DEL and every byte of a character above U+007F are 0x7F or more in UTF-8, so a
        // fragment without such a byte (nearly all of them) is written as it is, without
        // decoding its characters: every string of every template passes here, and the
        // split measures every entry through here too. (An OR over the bytes, which the
        // compiler vectorizes; `any` stops early and is not.)
        let bytes = fragment.as_bytes();
        if bytes.iter().fold(false, |seen, &byte| seen | (byte >= 0x7f)) {
            let mut start = 0;
            for (at, character) in fragment.char_indices() {
                if ('\u{7f}'..='\u{9f}').contains(&character) {
                    writer.write_all(&bytes[start..at])?;
                    write!(writer, "\\u{:04x}", u32::from(character))?;
                    start = at + character.len_utf8();
                }
            }
            return writer.write_all(&bytes[start..]);
        }
        writer.write_all(bytes)
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::resources::GlueDatabaseInput;
    use serde_json::json;

    #[test]
    fn delete_and_c1_controls_are_escaped_and_the_rest_kept() {
        let template = Template {
            description: Some("a\u{7f}b\u{85}c\u{9f}d\u{a0}e\u{1}f \"é\"".into()),
            ..Template::default()
        };
        let json = template.to_json();
        // DEL and C1 escaped; U+00A0 kept; C0 escaped by serde_json already.
        let expected = "\"a\\u007fb\\u0085c\\u009fd\u{a0}e\\u0001f \\\"é\\\"\"";
        assert!(json.contains(expected), "{json}");
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["Description"], "a\u{7f}b\u{85}c\u{9f}d\u{a0}e\u{1}f \"é\"");
    }

    #[test]
    fn exactly_delete_and_the_c1_controls_are_escaped_among_the_first_code_points() {
        // Every code point up to U+0FFF, each alone and between others (the byte search
        // must find a control at any position, and keep the characters around it whole).
        for code in (0u32..0x1000).filter_map(char::from_u32) {
            let text = format!("x{code}é{code}");
            let mut written = Vec::new();
            write_pretty(&mut written, &text).unwrap();
            let written = String::from_utf8(written).unwrap();
            // (serde_json writes the C0 controls its own way, some as `\n`.)
            if code >= ' ' {
                let escaped = ('\u{7f}'..='\u{9f}').contains(&code);
                let as_escape = format!("\\u{:04x}", u32::from(code));
                assert_eq!(written.contains(&as_escape), escaped, "{code:?}: {written}");
                assert_eq!(written.contains(code), !escaped, "{code:?}: {written}");
            }
            assert_eq!(serde_json::from_str::<String>(&written).unwrap(), text);
        }
    }

    #[test]
    fn sections_come_in_canonical_order_and_entries_sorted() {
        let mut template = Template {
            description: Some("d".into()),
            ..Template::default()
        };
        let database = |name: &str| {
            Resource::new(ResourceProperties::GlueDatabase(GlueDatabaseProperties {
                catalog_id: Expr::account_id(),
                database_input: GlueDatabaseInput {
                    name: name.into(),
                    description: None,
                },
            }))
        };
        template.resources.insert("Zeta".into(), database("z"));
        template.resources.insert(
            "Alpha".into(),
            database("a").retained().depending_on(vec!["Zeta".into()]),
        );
        template.outputs.insert(
            "Out".into(),
            Output {
                description: "o".into(),
                value: Expr::reference("Alpha"),
                export: None,
            },
        );
        template.canonicalize();
        let text = template.to_json();
        let order: Vec<usize> = ["AWSTemplateFormatVersion", "Description", "Resources", "Outputs"]
            .iter()
            .map(|key| text.find(key).unwrap())
            .collect();
        assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{text}");
        assert!(text.find("\"Alpha\"").unwrap() < text.find("\"Zeta\"").unwrap());
        assert_eq!(
            template.to_json_value()["Resources"]["Alpha"],
            json!({
                "Type": "AWS::Glue::Database",
                "DependsOn": ["Zeta"],
                "DeletionPolicy": "RetainExceptOnCreate",
                "UpdateReplacePolicy": "Retain",
                "Properties": {"CatalogId": {"Ref": "AWS::AccountId"}, "DatabaseInput": {"Name": "a"}}
            })
        );
    }
}
