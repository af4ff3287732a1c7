//! Synthesis: a validated, permission-granted model → a CloudFormation [`Template`].
//!
//! Pure and infallible: it reads the model, writes typed resources with deterministic
//! logical IDs ([`crate::model::names`]) and never does I/O. Submodules:
//! [`tasks`] builds a flow's task list, `support` the buckets, keys, secrets and Glue
//! resources, `flow` the flows and connector profiles, `monitoring` the topics, queues,
//! rules and alarms.

pub mod emit;
mod flow;
mod monitoring;
mod support;
pub mod tasks;

use std::collections::BTreeMap;

use crate::cfn::appflow::Tag;
use crate::cfn::{Expr, Output, Parameter, ParameterType, Resource, SubTemplate, Template};
use crate::model::{AnyFlow, Credential, Origin, Stack, Text, names};
use crate::permissions::{Granted, Grants, bucket_name_of};

/// Writes the template of a stack whose permissions were granted
/// ([`crate::grant_permissions`]).
pub fn synthesize(granted: &Granted) -> Template {
    let (mut template, flows) = synthesize_parts(granted, |_, entries| entries);
    FlowEntries::add_all(flows, &mut template);
    template.canonicalize();
    template
}

/// The template entries one flow owns: its own resources (the flow, its Glue role),
/// parameters (its schedule's start) and outputs, by logical ID. Whatever else it refers
/// to is shared with other flows.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FlowEntries {
    /// Its resources.
    pub resources: Vec<(String, Resource)>,
    /// Its parameters.
    pub parameters: Vec<(String, Parameter)>,
    /// Its conditions.
    pub conditions: Vec<(String, Expr)>,
    /// Its outputs.
    pub outputs: Vec<(String, Output)>,
}

impl FlowEntries {
    /// Adds the entries of every flow in `flows` to `template` (logical IDs are unique:
    /// validation checked them).
    pub(crate) fn add_all(flows: Vec<FlowEntries>, template: &mut Template) {
        // Room for all at once: growing a map of thousands of entries step by step
        // rehashes it again and again.
        template
            .resources
            .reserve(flows.iter().map(|f| f.resources.len()).sum());
        template
            .parameters
            .reserve(flows.iter().map(|f| f.parameters.len()).sum());
        template
            .conditions
            .reserve(flows.iter().map(|f| f.conditions.len()).sum());
        template.outputs.reserve(flows.iter().map(|f| f.outputs.len()).sum());
        for flow in flows {
            template.resources.extend(flow.resources);
            template.parameters.extend(flow.parameters);
            template.conditions.extend(flow.conditions);
            template.outputs.extend(flow.outputs);
        }
    }
}

/// [`synthesize`] in parts, unsorted: the template of everything the stack's flows share
/// (buckets, keys, secrets, profiles, Glue databases, their policies and outputs), and
/// `each(flow, entries)` of the entries each flow owns, in the stack's flow order. The
/// split places each flow's entries in a stack without ever merging them into one
/// template, and measures them in `each`, on the thread that just wrote them.
pub(crate) fn synthesize_parts<'v, U: Send>(
    granted: &'v Granted,
    each: impl Fn(&'v AnyFlow, FlowEntries) -> U + Sync,
) -> (Template, Vec<U>) {
    let validated = &granted.validated;
    let mut synth = Synth {
        stack: &validated.stack,
        grants: &granted.grants,
        template: Template::default(),
        owned: FlowEntries::default(),
    };
    synth.template.description = Some(validated.stack.description.clone().unwrap_or_else(|| {
        format!(
            "AppFlow flows of stack {}, synthesized by flowform",
            validated.stack.name
        )
    }));
    synth.buckets();
    synth.keys();
    synth.secrets();
    synth.domains();
    synth.targets();
    synth.bus_role();
    for connector in &validated.stack.connectors {
        connector.synthesize(&mut synth);
    }
    synth.profiles();
    let owned = synth.flows(each);
    (synth.template, owned)
}

/// The declaration of a setting's template parameter: a plain `String` (validation made
/// sure no credential's `NoEcho` parameter has its name).
fn text_parameter() -> Parameter {
    Parameter::new(
        ParameterType::String,
        "A setting of this stack's flows or profiles, passed at deploy time",
    )
}

/// An output that is not exported.
fn plain_output(description: String, value: Expr) -> Output {
    Output {
        description,
        value,
        export: None,
    }
}

/// The synthesizer's state: the model it reads and the template it writes.
pub(crate) struct Synth<'a> {
    stack: &'a Stack,
    grants: &'a Grants,
    template: Template,
    /// The entries the flow being synthesized has added so far (not in `template`).
    owned: FlowEntries,
}

impl Synth<'_> {
    /// Adds a shared output.
    pub(crate) fn output(&mut self, logical_id: String, description: String, value: Expr) {
        self.template
            .outputs
            .insert(logical_id, plain_output(description, value));
    }

    /// Adds a shared resource (one a profile creates beside itself), once per logical ID.
    pub(crate) fn shared_resource(&mut self, logical_id: String, resource: Resource) {
        self.template.resources.entry(logical_id).or_insert(resource);
    }

    /// Adds a resource that belongs to the flow being synthesized alone.
    pub(crate) fn own_resource(&mut self, logical_id: String, resource: Resource) {
        self.owned.resources.push((logical_id, resource));
    }

    /// Adds a parameter that belongs to the flow being synthesized alone.
    fn own_parameter(&mut self, logical_id: String, parameter: Parameter) {
        self.owned.parameters.push((logical_id, parameter));
    }

    /// Adds a condition that belongs to the flow being synthesized alone.
    fn own_condition(&mut self, name: String, condition: Expr) {
        self.owned.conditions.push((name, condition));
    }

    /// Adds an output that belongs to the flow being synthesized alone.
    fn own_output(&mut self, logical_id: String, description: String, value: Expr) {
        self.owned.outputs.push((logical_id, plain_output(description, value)));
    }

    /// The name of the stack being synthesized.
    pub(crate) fn stack_name(&self) -> &str {
        &self.stack.name
    }

    /// The profile declared as `name`, for a destination that writes what its profile names.
    pub(crate) fn profile(&self, name: &str) -> Option<&crate::connectors::Profile> {
        self.stack.profiles.iter().find(|profile| profile.base().name() == name)
    }

    /// Stack tags overlaid with `extra`, sorted by key.
    pub(crate) fn tags(&self, extra: &BTreeMap<String, String>) -> Vec<Tag> {
        let mut merged = self.stack.tags.clone();
        merged.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        merged.into_iter().map(|(key, value)| Tag { key, value }).collect()
    }

    fn bucket_origin(&self, name: &str) -> Option<&Origin> {
        self.stack.buckets.iter().find(|b| b.name == name).map(|b| &b.origin)
    }

    /// The bucket's name, as AppFlow's `BucketName` wants it.
    pub(crate) fn bucket_name(&self, name: &str) -> Expr {
        match self.bucket_origin(name) {
            Some(Origin::Imported(existing)) => Expr::Str(bucket_name_of(existing).to_owned()),
            _ => Expr::reference(names::bucket_id(name)),
        }
    }

    /// The ARN of bucket `name`, or with `objects` of its objects under that prefix
    /// (`<prefix>/*`; `""` for every object).
    pub(crate) fn bucket_arn(&self, name: &str, objects: Option<&str>) -> Expr {
        let template = match self.bucket_origin(name) {
            Some(Origin::Imported(existing)) => SubTemplate::new()
                .text("arn:")
                .var("AWS::Partition")
                .text(":s3:::")
                .text(bucket_name_of(existing)),
            _ => SubTemplate::new().var(&[names::bucket_id(name).as_str(), ".Arn"].concat()),
        };
        let template = match objects {
            None => template,
            Some("") => template.text("/*"),
            Some(prefix) => template.text("/").text(prefix.trim_end_matches('/')).text("/*"),
        };
        template.build()
    }

    /// Whether bucket `name` exists outside the stack.
    pub(crate) fn bucket_is_imported(&self, name: &str) -> bool {
        matches!(self.bucket_origin(name), Some(Origin::Imported(_)))
    }

    /// The ARN of the KMS key bucket `name` encrypts with, if the stack knows it (a bucket
    /// it creates, given a key).
    pub(crate) fn bucket_key_arn(&self, name: &str) -> Option<Expr> {
        let bucket = self.stack.buckets.iter().find(|b| b.name == name)?;
        bucket.key.as_ref().map(|key| self.key_arn(key.name()))
    }

    /// Whether the stack writes a bucket policy for `name` (owned and granted).
    fn has_bucket_policy(&self, name: &str) -> bool {
        matches!(self.bucket_origin(name), Some(Origin::Owned)) && !self.grants.bucket_actions(name).is_empty()
    }

    pub(crate) fn key_arn(&self, name: &str) -> Expr {
        match self.stack.keys.iter().find(|k| k.name == name).map(|k| &k.origin) {
            Some(Origin::Imported(existing)) if existing.starts_with("arn:") => Expr::Str(existing.clone()),
            Some(Origin::Imported(key_id)) => Expr::arn("kms", &["key/", key_id.as_str()].concat()),
            _ => Expr::get_att(names::key_id(name), "Arn"),
        }
    }

    fn secret_origin(&self, name: &str) -> Option<&Origin> {
        self.stack.secrets.iter().find(|s| s.name == name).map(|s| &s.origin)
    }

    /// The secret's full ARN: as imported (validation requires the full ARN wherever an
    /// ARN is needed; one built from a name would lack the 6-character suffix and might
    /// not be found, DEPLOY-TIME.md rule 9), or the `Ref` of a secret the stack creates.
    pub(crate) fn secret_arn(&self, name: &str) -> Expr {
        match self.secret_origin(name) {
            Some(Origin::Imported(existing)) => Expr::Str(existing.clone()),
            _ => Expr::reference(names::secret_id(name)),
        }
    }

    pub(crate) fn has_secret_policy(&self, name: &str) -> bool {
        matches!(self.secret_origin(name), Some(Origin::Owned)) && !self.grants.secret_actions(name).is_empty()
    }

    /// A credential as a template value: a dynamic reference or a `NoEcho` parameter.
    pub(crate) fn credential(&mut self, credential: &Credential) -> Expr {
        match credential {
            Credential::Secret { secret, key } => {
                let secret_id = match self.secret_origin(secret.name()) {
                    Some(Origin::Imported(existing)) => Expr::Str(existing.clone()),
                    _ => Expr::reference(names::secret_id(secret.name())),
                };
                Expr::secrets_manager(secret_id, key)
            }
            Credential::Parameter { name } => {
                // A parameter an owned secret's value already declared keeps that
                // declaration (and its pattern).
                if !self.template.parameters.contains_key(name) {
                    let parameter = self.declared(
                        name,
                        Parameter::secret("A connector credential; pass it at deploy time"),
                    );
                    self.template.parameters.insert(name.clone(), parameter);
                }
                Expr::reference(name.clone())
            }
        }
    }

    /// Declares the parameters of the shared `texts` (a profile's).
    pub(crate) fn declare_shared_texts<'t>(&mut self, texts: impl IntoIterator<Item = &'t Text>) {
        for text in texts {
            if let Text::Parameter(name) = text
                && !self.template.parameters.contains_key(name)
            {
                let parameter = self.declared(name, text_parameter());
                self.template.parameters.insert(name.clone(), parameter);
            }
        }
    }

    /// Declares the parameters of the flow's own `texts`, once each.
    fn declare_own_texts<'t>(&mut self, texts: impl IntoIterator<Item = &'t Text>) {
        for text in texts {
            if let Text::Parameter(name) = text
                && !self.owned.parameters.iter().any(|(declared, _)| declared == name)
            {
                let parameter = self.declared(name, text_parameter());
                self.own_parameter(name.clone(), parameter);
            }
        }
    }

    /// `base`, the parameter a reference declares, with what the stack's declaration of
    /// `name` adds (description, default, constraints). A constraint `base` has (a
    /// secret value's pattern, which keeps the secret's JSON intact) is kept.
    pub(crate) fn declared(&self, name: &str, base: Parameter) -> Parameter {
        let Some(declared) = self.stack.declared_parameter(name) else {
            return base;
        };
        Parameter {
            description: declared.description.clone().or(base.description),
            default: declared.default.clone().or(base.default),
            allowed_values: if declared.allowed_values.is_empty() {
                base.allowed_values
            } else {
                declared.allowed_values.clone()
            },
            allowed_pattern: base.allowed_pattern.or_else(|| declared.allowed_pattern.clone()),
            min_length: declared.min_length.or(base.min_length),
            max_length: declared.max_length.or(base.max_length),
            constraint_description: base
                .constraint_description
                .or_else(|| declared.constraint_description.clone()),
            ..base
        }
    }

    /// A setting as a template value: the literal, or the reference CloudFormation
    /// resolves at deploy time (its parameter declared by the `declare_*_texts`).
    pub(crate) fn text(&self, text: &Text) -> Expr {
        match text {
            Text::Literal(value) => Expr::Str(value.clone()),
            Text::Parameter(name) => Expr::reference(name.clone()),
            Text::Secret { secret, key } => {
                let secret_id = match self.secret_origin(secret.name()) {
                    Some(Origin::Imported(existing)) => Expr::Str(existing.clone()),
                    _ => Expr::reference(names::secret_id(secret.name())),
                };
                Expr::secrets_manager(secret_id, key)
            }
            // `{{resolve:ssm:name}}`, without a version: the parameter's latest, read at
            // each stack operation ("Get a plaintext value from Systems Manager Parameter
            // Store", CloudFormation user guide). Validation keeps the name to
            // Parameter Store's characters, so it cannot close the reference.
            Text::Ssm(name) => Expr::Str(["{{resolve:ssm:", name.as_str(), "}}"].concat()),
            Text::Import(export) => Expr::ImportValue(export.clone()),
        }
    }

    /// The `ConnectorProfileName` of profile `name`.
    /// The name of Customer Profiles domain `name`: as imported, or the `Ref` of the one
    /// the stack creates (`Ref` returns the `DomainName`, its primary identifier).
    pub(crate) fn domain_name(&self, name: &str) -> Expr {
        match self.stack.domains.iter().find(|d| d.name == name).map(|d| &d.origin) {
            Some(Origin::Imported(existing)) => Expr::Str(existing.clone()),
            _ => Expr::reference(names::domain_id(name)),
        }
    }

    /// Whether the stack creates object type `object_type` in domain `domain`.
    pub(crate) fn domain_creates_object_type(&self, domain: &str, object_type: &str) -> bool {
        self.stack
            .domains
            .iter()
            .any(|d| d.name == domain && d.object_types.iter().any(|t| t == object_type))
    }

    pub(crate) fn profile_name(&self, name: &str) -> Expr {
        match self.stack.profiles.iter().map(|p| p.base()).find(|p| p.name() == name) {
            Some(base) if base.imported().is_some() => Expr::Str(base.physical_name(&self.stack.name)),
            _ => Expr::reference(names::profile_id(name)),
        }
    }
}
