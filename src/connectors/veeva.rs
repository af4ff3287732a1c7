//! Veeva Vault: a source (a Vault object, or documents with their files) and a profile of
//! the Vault's URL, a user name and a password. AppFlow user guide, "Veeva"
//! (<https://docs.aws.amazon.com/appflow/latest/userguide/veeva.html>).
//!
//! What AWS documents, and what flowform enforces:
//! - source only: "You can use Veeva as a source only" (the flow schema has no Veeva
//!   destination); the page names no change events, so no event-triggered flows;
//! - profile: "your user name, password, and Veeva instance name" (`Username`, `Password`,
//!   both required by the schema, and `InstanceUrl`). AWS's own sample builds the URL as
//!   `https://<domain>.veevavault.com` (aws-samples/aws-ai-appflow-veeva-integration,
//!   `code/template.yaml`), so another form is a warning;
//! - document extraction, an object under `documents/` such as
//!   `documents/types/component__c` (the same sample): "Currently Amazon AppFlow only
//!   supports Amazon S3 as a destination for document extraction" and "you can run flows at
//!   a maximum frequency of one flow run per hour", both errors here; `document-type` and
//!   the three `include-*` switches are "in Veeva document extract flow" (VeevaSourceProperties,
//!   AppFlow API reference), so on another object they are a warning (AWS does not say
//!   AppFlow rejects them: thin evidence);
//! - other objects: "a maximum frequency of one flow run per minute", AppFlow's own floor;
//! - filters: the schema's `VeevaConnectorOperator` (the API's also has `CONTAINS`; the
//!   schema, which cfn-lint checks, does not), applied by the shared operator check.

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::cfn::Expr;
use crate::cfn::generated::flow::{SourceConnectorProperties, VeevaSourceProperties};
use crate::input::lower::{At, Lowerer};
use crate::input::raw::{Sp, TomlText};
use crate::model::validate::Checker;
use crate::model::{AnyFlow, Path, ProfileRef, Text};
use crate::synth::Synth;

use super::common::{self, ConnectorProfile, ObjectWords};
use super::keyed::keyed_profile;
use super::{ConnectorType, Lower, SourceConnector, SourceRules};

/// How messages name Veeva objects.
const OBJECT: ObjectWords = ObjectWords {
    empty: "the Veeva object",
    help: "name the Vault object, or `documents/types/<type>` to extract documents",
    what: "Veeva object",
    allowed: "object names have no spaces, e.g. `documents/types/component__c`",
};

/// The prefix of the objects that extract documents (AWS's sample:
/// `documents/types/component__c`).
const DOCUMENTS: &str = "documents";

/// What the guide allows a document-extraction flow: one scheduled run an hour.
const DOCUMENT_RULES: SourceRules = SourceRules::named("Veeva (document extraction)").at_most_every(3_600);

// ---------------------------------------------------------------------------------------
// Profile

/// A Veeva connector profile, owned by the stack or imported
/// ([`ConnectorProfile::imported`]).
pub type VeevaConnectorProfile = ConnectorProfile<VeevaSettings>;

keyed_profile! {
    /// The Veeva settings of a connector profile the stack creates: the Vault's URL and the
    /// user AppFlow signs in as.
    VeevaSettings, TomlVeevaProfile: Veeva as "Veeva", veeva,
    url VeevaConnectorProfileProperties = "https://acme.veevavault.com",
    credentials VeevaConnectorProfileCredentials {
        username = "username": "the Vault user's name (the user needs API access)",
        password = "password": "the Vault user's password",
    },
    check check_profile
}

impl ConnectorProfile<VeevaSettings> {
    /// A profile the stack creates for the Vault at `instance_url`; give it its user with
    /// [`username`](ConnectorProfile::username) and [`password`](ConnectorProfile::password).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let user = SecretRef::named("vault-user");
    /// let profile = VeevaConnectorProfile::new("vault", "https://acme.veevavault.com")
    ///     .username(Credential::secret(&user, "username"))
    ///     .password(Credential::secret(&user, "password"));
    /// assert!(profile.is_owned());
    /// ```
    pub fn new(name: impl Into<String>, instance_url: impl Into<Text>) -> Self {
        let settings = VeevaSettings {
            instance_url: instance_url.into(),
            ..VeevaSettings::default()
        };
        ConnectorProfile::owned(name, settings)
    }
}

/// The connector's own rules for a profile it creates: a URL of the Vault form.
fn check_profile(settings: &VeevaSettings, checker: &mut Checker<'_>, path: &Path) {
    let Some(url) = settings.instance_url.literal() else {
        return;
    };
    let host = url.strip_prefix("https://").and_then(|rest| rest.split('/').next());
    if host.is_some_and(|host| !host.to_ascii_lowercase().ends_with(".veevavault.com")) {
        let warning = VeevaWarning::UnusualInstanceUrl { url: url.to_owned() };
        checker.warn(path.key("instance-url"), warning.into());
    }
}

// ---------------------------------------------------------------------------------------
// Source

/// `source.veeva`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlVeevaSource {
    /// The profile (a `[profile.<name>]`).
    pub profile: Sp<String>,
    /// The Vault object, or `documents/types/<type>` to extract documents.
    pub object: Sp<TomlText>,
    /// Document extraction: the document type, e.g. `Component`.
    pub document_type: Option<Sp<TomlText>>,
    /// Document extraction: every version of each document, not only the latest.
    pub include_all_versions: Option<bool>,
    /// Document extraction: the documents' renditions too.
    pub include_renditions: Option<bool>,
    /// Document extraction: the source files with their metadata (default: metadata only).
    pub include_source_files: Option<bool>,
}

/// Reads a Veeva Vault object, or extracts documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VeevaSource {
    pub(crate) profile: ProfileRef,
    pub(crate) object: Text,
    pub(crate) document_type: Option<Text>,
    pub(crate) include_all_versions: Option<bool>,
    pub(crate) include_renditions: Option<bool>,
    pub(crate) include_source_files: Option<bool>,
}

impl VeevaSource {
    /// Reads `object` through `profile`; an object under `documents/` extracts documents.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let documents = VeevaSource::new(ProfileRef::named("vault"), "documents/types/component__c")
    ///     .document_type("Component")
    ///     .include_source_files(true)
    ///     .include_renditions(false)
    ///     .include_all_versions(false);
    /// # let _ = documents;
    /// ```
    pub fn new(profile: impl Into<ProfileRef>, object: impl Into<Text>) -> Self {
        VeevaSource {
            profile: profile.into(),
            object: object.into(),
            document_type: None,
            include_all_versions: None,
            include_renditions: None,
            include_source_files: None,
        }
    }

    /// Document extraction: the document type (TOML `document-type`).
    pub fn document_type(mut self, document_type: impl Into<Text>) -> Self {
        self.document_type = Some(document_type.into());
        self
    }

    /// Document extraction: every version, not only the latest (`include-all-versions`).
    pub fn include_all_versions(mut self, include: bool) -> Self {
        self.include_all_versions = Some(include);
        self
    }

    /// Document extraction: the renditions too (`include-renditions`).
    pub fn include_renditions(mut self, include: bool) -> Self {
        self.include_renditions = Some(include);
        self
    }

    /// Document extraction: the source files with the metadata (`include-source-files`).
    pub fn include_source_files(mut self, include: bool) -> Self {
        self.include_source_files = Some(include);
        self
    }

    /// Whether the object extracts documents (a literal under `documents/`; a reference's
    /// value is not known, so its flow is not held to the document rules).
    fn extracts_documents(&self) -> bool {
        self.object
            .literal()
            .is_some_and(|object| object == DOCUMENTS || object.starts_with("documents/"))
    }

    /// The document settings that are set, by TOML key.
    fn document_settings(&self) -> Vec<&'static str> {
        [
            ("document-type", self.document_type.is_some()),
            ("include-all-versions", self.include_all_versions.is_some()),
            ("include-renditions", self.include_renditions.is_some()),
            ("include-source-files", self.include_source_files.is_some()),
        ]
        .into_iter()
        .filter_map(|(key, set)| set.then_some(key))
        .collect()
    }
}

impl Lower for VeevaSource {
    const CONNECTOR: ConnectorType = ConnectorType::Veeva;
    type Toml = TomlVeevaSource;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &TomlVeevaSource) -> Option<Self> {
        let profile = lowerer.string(&at.key("profile"), &raw.profile);
        let mut source = VeevaSource::new(ProfileRef::named(profile), lowerer.text(&at.key("object"), &raw.object));
        source.document_type = raw
            .document_type
            .as_ref()
            .map(|document_type| lowerer.text(&at.key("document-type"), document_type));
        source.include_all_versions = raw.include_all_versions;
        source.include_renditions = raw.include_renditions;
        source.include_source_files = raw.include_source_files;
        Some(source)
    }
}

impl SourceConnector for VeevaSource {
    fn profile(&self) -> Option<&ProfileRef> {
        Some(&self.profile)
    }

    fn texts(&self) -> Vec<(&'static [&'static str], &Text)> {
        let mut texts: Vec<(&'static [&'static str], &Text)> = vec![(&["object"], &self.object)];
        if let Some(document_type) = &self.document_type {
            texts.push((&["document-type"], document_type));
        }
        texts
    }

    fn rules(&self) -> SourceRules {
        if self.extracts_documents() {
            DOCUMENT_RULES
        } else {
            SourceRules::NONE
        }
    }

    fn check(&self, checker: &mut Checker<'_>, flow: &AnyFlow, path: &Path) {
        common::check_object(checker, path.key("object"), &self.object, &OBJECT);
        if self.extracts_documents() {
            if flow.destination.connector() != Some(ConnectorType::S3) {
                let flow_path = Path::root().key("flow").key(&flow.name);
                let destination = flow_path.key("destination").key(flow.destination.key());
                checker.error(destination, VeevaError::DocumentsToS3Only.into());
            }
        } else if self.object.literal().is_some() {
            for key in self.document_settings() {
                let warning = VeevaWarning::DocumentSettingOnObject { key };
                checker.warn(path.key(key), warning.into());
            }
        }
    }

    fn synthesize(&self, synth: &Synth<'_>) -> SourceConnectorProperties {
        SourceConnectorProperties {
            veeva: Some(Box::new(VeevaSourceProperties {
                document_type: self
                    .document_type
                    .as_ref()
                    .map(|document_type| synth.text(document_type)),
                include_all_versions: self.include_all_versions.map(Expr::Bool),
                include_renditions: self.include_renditions.map(Expr::Bool),
                include_source_files: self.include_source_files.map(Expr::Bool),
                object: synth.text(&self.object),
            })),
            ..SourceConnectorProperties::default()
        }
    }
}

// ---------------------------------------------------------------------------------------
// Diagnostics

/// An error only a Veeva source has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum VeevaError {
    /// A document extraction to a destination other than S3.
    #[error("a Veeva document extraction writes to S3 only")]
    #[diagnostic(
        code(flowform::veeva::documents_to_s3_only),
        help(
            "write the documents to `destination.s3`, or read a Vault object instead of `documents/...`: \"Currently Amazon AppFlow only supports Amazon S3 as a destination for document extraction\" (AppFlow user guide, Veeva)"
        )
    )]
    DocumentsToS3Only,
}

/// A warning only a Veeva source or profile has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum VeevaWarning {
    /// A document setting on an object that extracts no documents.
    #[error("`{key}` applies to document extraction, and this object is not `documents/...`")]
    #[diagnostic(
        code(flowform::veeva::document_setting_on_object),
        severity(Warning),
        help(
            "remove it, or read documents (e.g. `object = \"documents/types/component__c\"`): the API reference describes it \"in Veeva document extract flow\" only"
        )
    )]
    DocumentSettingOnObject {
        /// The setting's key.
        key: &'static str,
    },
    /// An instance URL not of the `https://<vault>.veevavault.com` form.
    #[error("instance URL `{url}` is not a `https://<vault>.veevavault.com` URL")]
    #[diagnostic(
        code(flowform::veeva::unusual_instance_url),
        severity(Warning),
        help(
            "AppFlow asks for the Vault's name; AWS's own sample connects to `https://<domain>.veevavault.com`: check this is your Vault"
        )
    )]
    UnusualInstanceUrl {
        /// The URL.
        url: String,
    },
}

impl crate::model::Label for VeevaError {}
impl crate::model::Label for VeevaWarning {}

/// `flowform import`: the `veeva = { ... }` source table of these `Veeva` source properties.
#[cfg(feature = "deploy")]
pub(crate) fn import_source(
    properties: &serde_json::Value,
    profile: &str,
    context: &mut dyn super::import::ImportContext,
) -> Option<String> {
    use super::import::{profile_and_object, quoted, table, text};
    let mut keys = profile_and_object("veeva", properties, profile, context)?;
    if let Some(document_type) = text(properties, "documentType") {
        keys.push(format!("document-type = {}", quoted(document_type)));
    }
    for (member, key) in [
        ("includeAllVersions", "include-all-versions"),
        ("includeRenditions", "include-renditions"),
        ("includeSourceFiles", "include-source-files"),
    ] {
        if let Some(value) = properties[member].as_bool() {
            keys.push(format!("{key} = {value}"));
        }
    }
    Some(table("veeva", &keys))
}

#[cfg(all(test, feature = "deploy"))]
mod import_tests {
    use serde_json::json;

    use crate::connectors::import::testing::{compiled, files_destination, flow};

    #[test]
    fn a_veeva_source_is_imported() {
        let source = json!({
            "connectorType": "Veeva",
            "connectorProfileName": "vault",
            "sourceConnectorProperties": {"Veeva": {"object": "product__v", "includeAllVersions": false}}
        });
        let toml = compiled(flow(source, files_destination()));
        assert!(
            toml.contains(
                "source.veeva = { profile = \"vault\", object = \"product__v\", include-all-versions = false }"
            ),
            "{toml}"
        );
    }
}
