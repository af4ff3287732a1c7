//! Validation: every rule that must hold for a stack to compile, checked in one pass that
//! collects every error (and the warnings) instead of stopping at the first.
//!
//! Success yields a [`Validated`] stack, the only input the permissions pass and the
//! synthesizer accept, so they never see a dangling reference or an invalid value.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use jiff::Timestamp;
use miette::Diagnostic;

use crate::cfn::appflow::{Operator, operator_allowed};
use crate::hash::FastState;

use super::Stack;
use super::diagnostic::{ErrorKind, ModelError, ModelWarning, WarningKind, suggest};
use super::flow::{AnyFlow, OnSchedule, PullMode, Trigger};
use super::names;
use super::path::Path;
use super::profile::Credential;
use super::resources::{Origin, ProfileRef, SecretRef};
use super::task::{FilterOp, FilterType, FilterValue, Mapping, Transform};
use crate::connectors::{Access, BucketUse, Profile};

/// A stack that passed validation: the input of [`crate::grant_permissions`].
#[derive(Debug, Clone, PartialEq)]
pub struct Validated {
    pub(crate) stack: Stack,
}

impl Validated {
    /// The validated stack.
    pub fn stack(&self) -> &Stack {
        &self.stack
    }
}

/// Every error and warning of a failed compilation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics {
    /// The errors (at least one when compilation failed).
    pub errors: Vec<ModelError>,
    /// The warnings.
    pub warnings: Vec<ModelWarning>,
}

/// Every error, one per line with its path and help: what `{}` of a failed
/// [`crate::compile`] shows, so `?` into any error type loses none of them.
impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.errors.len() {
            1 => write!(f, "the stack has 1 error:")?,
            n => write!(f, "the stack has {n} errors:")?,
        }
        for error in &self.errors {
            write!(f, "\n- {error}")?;
            if let Some(help) = error.help() {
                write!(f, "; help: {help}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl Diagnostic for Diagnostics {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("flowform::model::invalid"))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.errors.iter().map(|error| error as &dyn Diagnostic)))
    }
}

/// Most user tags one AWS resource may carry ("Maximum user-created tags per resource:
/// 50", AWS General Reference, Tagging AWS resources). A flow gets the stack's tags and
/// its own.
const MAX_TAGS: usize = 50;

/// Where a physical name comes from: which item, and whether the stack creates what it
/// names (two imports of one existing resource do not clash).
#[derive(Clone, Copy)]
enum NamedBy {
    Flow(usize),
    Profile(usize),
    Bucket(usize),
    Secret(usize),
    /// A name a flow's destination creates, with the keys under its table.
    Destination(usize, &'static [&'static str]),
}

/// Stacks with at least this many flows are checked on every core.
const PARALLEL_FROM: usize = 512;

/// Checks every rule. `now` decides the "already in the past" warnings only; the template
/// never depends on it.
pub fn validate(stack: Stack, now: Timestamp) -> Result<(Validated, Vec<ModelWarning>), Diagnostics> {
    let mut checker = Checker::new(&stack, now);
    checker.check();
    let Checker { errors, warnings, .. } = checker;
    if errors.is_empty() {
        Ok((Validated { stack }, warnings))
    } else {
        Err(Diagnostics { errors, warnings })
    }
}

/// The validation pass, as connector modules see it: report, and check references.
pub(crate) struct Checker<'a> {
    stack: &'a Stack,
    now: Timestamp,
    errors: Vec<ModelError>,
    warnings: Vec<ModelWarning>,
}

fn root(kind: &str) -> Path {
    Path::root().key(kind)
}

/// The path of a profile's connector table, `profile.<name>.<connector>`.
fn profile_path(profile: &Profile) -> Path {
    root("profile").key(profile.base().name()).key(profile.key())
}

impl<'a> Checker<'a> {
    /// Reports an error at `path`.
    pub(crate) fn error(&mut self, path: Path, kind: ErrorKind) {
        self.errors.push(ModelError::new(path, kind));
    }

    /// Reports a warning at `path`.
    pub(crate) fn warn(&mut self, path: Path, kind: WarningKind) {
        self.warnings.push(ModelWarning::new(path, kind));
    }

    fn new(stack: &'a Stack, now: Timestamp) -> Self {
        Checker {
            stack,
            now,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn check(&mut self) {
        self.check_stack();
        let (stack, now) = (self.stack, self.now);
        // Names and logical IDs (a pass over every flow's names) are checked on a thread of
        // their own while the flows are checked on the others; errors keep their order.
        let each_flow = |flows: &[AnyFlow]| {
            let mut checker = Checker::new(stack, now);
            for flow in flows {
                checker.check_flow(flow);
            }
            (checker.errors, checker.warnings)
        };
        let (names, found) = crate::parallel::join(
            stack.flows.len() >= PARALLEL_FROM,
            || {
                let mut checker = Checker::new(stack, now);
                checker.check_names();
                checker.check_logical_ids();
                checker.check_physical_names();
                checker.check_usage();
                (checker.errors, checker.warnings)
            },
            || crate::parallel::map_chunks(&stack.flows, PARALLEL_FROM, each_flow),
        );
        let (name_errors, name_warnings) = names;
        self.errors.extend(name_errors);
        self.warnings.extend(name_warnings);
        for bucket in &stack.buckets {
            let path = root("bucket").key(&bucket.name);
            if let Origin::Imported(existing) = &bucket.origin {
                self.check_bucket_identity(path.key("import"), existing);
            }
            if let Some(name) = &bucket.bucket_name {
                self.check_s3_name(path.key("bucket-name"), name);
            }
            if let Some(key) = &bucket.key {
                self.check_reference(|| path.key("key"), "key", key.name());
            }
        }
        for key in &stack.keys {
            if let Origin::Imported(existing) = &key.origin {
                self.check_key_identity(root("key").key(&key.name).key("import"), existing);
            }
        }
        for secret in &stack.secrets {
            let path = root("secret").key(&secret.name);
            if let Origin::Imported(existing) = &secret.origin {
                self.check_secret_identity(path.key("import"), existing);
                if !secret.values.is_empty() {
                    self.error(path.key("value"), ErrorKind::ImportedSecretValue);
                }
            }
            if let Some(name) = &secret.secret_name {
                self.check_secret_name(path.key("secret-name"), name);
            }
            for (json_key, parameter) in &secret.values {
                let value_path = || path.key("value").key(json_key);
                if json_key.is_empty() || !json_key.chars().all(names::is_secret_char) {
                    self.error(
                        value_path(),
                        ErrorKind::InvalidCharacters {
                            what: "secret JSON key",
                            value: json_key.clone(),
                            allowed: "a secret's JSON keys are letters, digits and `/_+=.@-` (no `:`, braces or spaces: the key is part of a dynamic reference)",
                        },
                    );
                }
                self.check_parameter(value_path().key("parameter"), parameter);
            }
            if let Some(key) = &secret.key {
                self.check_reference(|| path.key("key"), "key", key.name());
            }
        }
        for profile in &stack.profiles {
            self.check_profile(profile);
        }
        // Each flow was checked on its own (big stacks on every core, each chunk gathering
        // its own errors and warnings); merged in flow order.
        for (errors, warnings) in found {
            self.errors.extend(errors);
            self.warnings.extend(warnings);
        }
    }

    fn check_stack(&mut self) {
        let stack = self.stack;
        if let Some(reason) = names::check_stack_name(&stack.name) {
            let rule = "CloudFormation stack names start with a letter and contain only letters, digits and `-` (at most 128 characters)";
            self.error(
                root("stack").key("name"),
                ErrorKind::InvalidName {
                    kind: "stack",
                    name: stack.name.clone(),
                    reason,
                    rule: rule.into(),
                },
            );
        }
        if let Some(description) = &stack.description {
            self.check_length(
                || root("stack").key("description"),
                "the stack description",
                description,
                1024,
            );
        }
        self.check_tags(|| root("stack").key("tags"), &stack.tags);
    }

    fn check_tags(&mut self, path: impl Fn() -> Path, tags: &BTreeMap<String, String>) {
        if let Some(first_over) = tags.keys().nth(MAX_TAGS) {
            self.error(
                path().key(first_over),
                ErrorKind::TooManyTags {
                    count: tags.len(),
                    max: MAX_TAGS,
                },
            );
        }
        for (key, value) in tags {
            let tag_path = path().key(key);
            if key.is_empty() {
                self.error(
                    tag_path.clone(),
                    ErrorKind::Empty {
                        what: "a tag key",
                        help: "give the tag a key",
                    },
                );
            } else if key.to_ascii_lowercase().starts_with("aws:") {
                self.error(
                    tag_path.clone(),
                    ErrorKind::InvalidName {
                        kind: "tag",
                        name: key.clone(),
                        reason: "the `aws:` prefix is reserved for AWS".into(),
                        rule: "use a key that does not start with `aws:`".into(),
                    },
                );
            }
            self.check_length(|| tag_path.clone(), "a tag key", key, 128);
            self.check_length(|| tag_path.key("value"), "a tag value", value, 256);
        }
    }

    fn check_length(&mut self, path: impl FnOnce() -> Path, what: &'static str, value: &str, max: usize) {
        let length = value.chars().count();
        if length > max {
            self.error(path(), ErrorKind::TooLong { what, length, max });
        }
    }

    /// Names are valid and unique within their kind.
    fn check_names(&mut self) {
        let stack = self.stack;
        let kinds: [(&'static str, Vec<&str>); 5] = [
            ("bucket", stack.buckets.iter().map(|b| b.name.as_str()).collect()),
            ("key", stack.keys.iter().map(|k| k.name.as_str()).collect()),
            ("secret", stack.secrets.iter().map(|s| s.name.as_str()).collect()),
            ("profile", stack.profiles.iter().map(|p| p.base().name()).collect()),
            ("flow", stack.flows.iter().map(|f| f.name.as_str()).collect()),
        ];
        for (kind, names_of_kind) in kinds {
            // Hashed, not a B-tree: this holds every flow name of big stacks.
            let mut seen: HashSet<&str, FastState> =
                HashSet::with_capacity_and_hasher(names_of_kind.len(), FastState::default());
            for name in names_of_kind {
                // The path only for an error: this runs over every flow of big stacks.
                let path = || root(kind).key(name);
                if let Some(reason) = names::check_name(name) {
                    let rule = names::NAME_RULE.to_owned();
                    self.error(
                        path(),
                        ErrorKind::InvalidName {
                            kind,
                            name: name.into(),
                            reason,
                            rule,
                        },
                    );
                }
                if !seen.insert(name) {
                    self.error(
                        path(),
                        ErrorKind::DuplicateName {
                            kind,
                            name: name.into(),
                        },
                    );
                }
            }
        }
    }

    /// No two things the stack creates share a physical name, and nothing it creates takes
    /// the name of something it imports: AppFlow flow and connector profile names are
    /// unique per account and region ("The name is unique for each ConnectorProfile in your
    /// Amazon Web Services account", CreateConnectorProfile), and so are secret names and
    /// partner event sources; bucket names are global (DEPLOY-TIME.md rule 12).
    fn check_physical_names(&mut self) {
        let stack = self.stack;
        // (kind, physical name) → where it first came from, and whether the stack creates it.
        let mut seen: HashMap<(&'static str, String), (NamedBy, bool), FastState> = HashMap::default();
        let mut clashes: Vec<(&'static str, String, NamedBy, NamedBy)> = Vec::new();
        let mut name =
            |kind: &'static str, physical: String, by: NamedBy, owned: bool| match seen.entry((kind, physical)) {
                Entry::Occupied(mut first) => {
                    let (first_by, first_owned) = *first.get();
                    if owned || first_owned {
                        clashes.push((kind, first.key().1.clone(), first_by, by));
                    }
                    if owned && !first_owned {
                        first.insert((by, owned));
                    }
                }
                Entry::Vacant(vacant) => {
                    vacant.insert((by, owned));
                }
            };
        for (index, flow) in stack.flows.iter().enumerate() {
            let physical = flow
                .flow_name
                .clone()
                .unwrap_or_else(|| names::physical_name(&stack.name, &flow.name));
            name("flow", physical, NamedBy::Flow(index), true);
            for created in flow.destination.endpoint().created_names() {
                name(
                    created.kind,
                    created.name,
                    NamedBy::Destination(index, created.at),
                    true,
                );
            }
        }
        for (index, profile) in stack.profiles.iter().enumerate() {
            let base = profile.base();
            let physical = base.physical_name(&stack.name);
            name(
                "connector profile",
                physical,
                NamedBy::Profile(index),
                base.imported().is_none(),
            );
        }
        for (index, bucket) in stack.buckets.iter().enumerate() {
            match (&bucket.origin, &bucket.bucket_name) {
                (Origin::Owned, Some(physical)) => name("bucket", physical.clone(), NamedBy::Bucket(index), true),
                (Origin::Imported(existing), _) => name(
                    "bucket",
                    crate::permissions::bucket_name_of(existing).to_owned(),
                    NamedBy::Bucket(index),
                    false,
                ),
                (Origin::Owned, None) => {}
            }
        }
        for (index, secret) in stack.secrets.iter().enumerate() {
            match (&secret.origin, &secret.secret_name) {
                (Origin::Owned, Some(physical)) => name("secret", physical.clone(), NamedBy::Secret(index), true),
                (Origin::Imported(existing), _) => {
                    if let Some(physical) = imported_secret_name(existing) {
                        name("secret", physical.to_owned(), NamedBy::Secret(index), false);
                    }
                }
                (Origin::Owned, None) => {}
            }
        }
        let path_of = |by: NamedBy| match by {
            NamedBy::Flow(index) => {
                let flow = &stack.flows[index];
                let path = root("flow").key(&flow.name);
                if flow.flow_name.is_some() {
                    path.key("name")
                } else {
                    path
                }
            }
            NamedBy::Destination(index, at) => {
                let flow = &stack.flows[index];
                let path = root("flow")
                    .key(&flow.name)
                    .key("destination")
                    .key(flow.destination.key());
                at.iter().fold(path, |path, key| path.key(key))
            }
            NamedBy::Profile(index) => {
                let profile = &stack.profiles[index];
                let path = profile_path(profile);
                match (profile.base().imported(), profile.base().profile_name()) {
                    (Some(_), _) => path.key("import"),
                    (None, Some(_)) => path.key("profile-name"),
                    (None, None) => path,
                }
            }
            NamedBy::Bucket(index) => {
                let bucket = &stack.buckets[index];
                let path = root("bucket").key(&bucket.name);
                if bucket.origin == Origin::Owned {
                    path.key("bucket-name")
                } else {
                    path.key("import")
                }
            }
            NamedBy::Secret(index) => {
                let secret = &stack.secrets[index];
                let path = root("secret").key(&secret.name);
                if secret.origin == Origin::Owned {
                    path.key("secret-name")
                } else {
                    path.key("import")
                }
            }
        };
        for (kind, physical, first, again) in clashes {
            self.errors.push(
                ModelError::new(
                    path_of(again),
                    ErrorKind::DuplicatePhysicalName { kind, name: physical },
                )
                .also_at(path_of(first)),
            );
        }
    }

    /// A stack that creates nothing is an error (CloudFormation: "At least one Resources
    /// member must be defined"; DEPLOY-TIME.md rule 12); a declared bucket, key, secret or
    /// profile that nothing uses is a warning.
    fn check_usage(&mut self) {
        let stack = self.stack;
        let creates_something = !stack.flows.is_empty()
            || stack.buckets.iter().any(|b| b.origin == Origin::Owned)
            || stack.keys.iter().any(|k| k.origin == Origin::Owned)
            || stack.secrets.iter().any(|s| s.origin == Origin::Owned)
            || stack.profiles.iter().any(|p| p.base().imported().is_none());
        if !creates_something {
            self.error(
                root("stack"),
                ErrorKind::EmptyStack {
                    stack: stack.name.clone(),
                },
            );
        }
        let mut used: HashSet<(&str, &str), FastState> = HashSet::default();
        for bucket in &stack.buckets {
            if let Some(key) = &bucket.key {
                used.insert(("key", key.name()));
            }
        }
        for secret in &stack.secrets {
            if let Some(key) = &secret.key {
                used.insert(("key", key.name()));
            }
        }
        for profile in &stack.profiles {
            if let Some(key) = profile.base().key() {
                used.insert(("key", key.name()));
            }
            for (_, secret) in profile.connector_side().secrets() {
                used.insert(("secret", secret.name()));
            }
        }
        for (_, credential) in self.credentials() {
            if let Credential::Secret { secret, .. } = credential {
                used.insert(("secret", secret.name()));
            }
        }
        for flow in &stack.flows {
            if let Some(key) = &flow.key {
                used.insert(("key", key.name()));
            }
            if let Some(profile) = flow.source.profile() {
                used.insert(("profile", profile.name()));
            }
            if let Some(profile) = flow.destination.profile() {
                used.insert(("profile", profile.name()));
            }
            for bucket in flow.source.buckets().into_iter().chain(flow.destination.buckets()) {
                used.insert(("bucket", bucket.name()));
            }
        }
        let declared = stack
            .buckets
            .iter()
            .map(|b| ("bucket", b.name.as_str()))
            .chain(stack.keys.iter().map(|k| ("key", k.name.as_str())))
            .chain(stack.secrets.iter().map(|s| ("secret", s.name.as_str())))
            .chain(stack.profiles.iter().map(|p| ("profile", p.base().name())));
        let unused: Vec<(&'static str, &str)> = declared.filter(|entry| !used.contains(entry)).collect();
        for (kind, name) in unused {
            self.warn(
                root(kind).key(name),
                WarningKind::Unused {
                    kind,
                    name: name.into(),
                },
            );
        }
    }

    /// No two names produce the same logical ID anywhere in the template. Paths are only
    /// built for the collisions (this runs over every flow of big stacks).
    fn check_logical_ids(&mut self) {
        let stack = self.stack;
        // (logical ID, the name it comes from, the section that name lives in)
        let mut ids: Vec<(String, &str, &'static str)> = Vec::with_capacity(stack.flows.len() * 3 + 16);
        for bucket in &stack.buckets {
            ids.push((names::bucket_id(&bucket.name), &bucket.name, "bucket"));
            ids.push((names::bucket_policy_id(&bucket.name), &bucket.name, "bucket"));
        }
        for key in &stack.keys {
            ids.push((names::key_id(&key.name), &key.name, "key"));
        }
        for secret in &stack.secrets {
            ids.push((names::secret_id(&secret.name), &secret.name, "secret"));
            ids.push((names::secret_policy_id(&secret.name), &secret.name, "secret"));
        }
        for profile in &stack.profiles {
            let name = profile.base().name();
            ids.push((names::profile_id(name), name, "profile"));
        }
        let mut databases = BTreeSet::new();
        for flow in &stack.flows {
            ids.extend(names::flow_ids(&flow.name).map(|id| (id, flow.name.as_str(), "flow")));
            if let Some(catalog) = flow.destination.endpoint().catalog()
                && databases.insert(catalog.database.name())
            {
                ids.push((names::glue_database_id(catalog.database.name()), &flow.name, "flow"));
            }
        }
        let credentials = self.credentials();
        let mut parameters = BTreeSet::new();
        for (_, credential) in &credentials {
            if let Credential::Parameter { name } = credential
                && parameters.insert(name.as_str())
            {
                ids.push((name.clone(), name, "parameter"));
            }
        }
        for secret in &stack.secrets {
            for parameter in secret.values.values() {
                if parameters.insert(parameter.as_str()) {
                    ids.push((parameter.clone(), parameter, "parameter"));
                }
            }
        }
        let mut first: HashMap<&str, &str, FastState> =
            HashMap::with_capacity_and_hasher(ids.len(), FastState::default());
        let mut collisions = Vec::new();
        for (id, name, section) in &ids {
            match first.entry(id.as_str()) {
                Entry::Occupied(other) if other.get() != name => {
                    let other = *other.get();
                    let path = if *section == "parameter" {
                        let from_secret = || {
                            stack.secrets.iter().find_map(|secret| {
                                let (key, _) = secret.values.iter().find(|(_, p)| p == name)?;
                                Some(root("secret").key(&secret.name).key("value").key(key).key("parameter"))
                            })
                        };
                        credentials
                            .iter()
                            .find(|(_, c)| matches!(c, Credential::Parameter { name: n } if n == name))
                            .map(|(p, _)| p.clone())
                            .or_else(from_secret)
                            .unwrap_or_default()
                    } else {
                        root(section).key(name)
                    };
                    let kind = ErrorKind::LogicalIdCollision {
                        name: (*name).to_owned(),
                        other: other.to_owned(),
                        logical_id: id.clone(),
                    };
                    collisions.push((path, kind));
                }
                Entry::Occupied(_) => {}
                Entry::Vacant(vacant) => {
                    vacant.insert(name);
                }
            }
        }
        for (path, kind) in collisions {
            self.error(path, kind);
        }
    }

    /// Every credential of every owned profile, with its path.
    fn credentials(&self) -> Vec<(Path, &'a Credential)> {
        let stack: &'a Stack = self.stack;
        let mut found = Vec::new();
        for profile in &stack.profiles {
            if profile.base().imported().is_some() {
                continue;
            }
            for (at, credential) in profile.connector_side().credentials() {
                found.push((
                    at.iter().fold(profile_path(profile), |path, key| path.key(key)),
                    credential,
                ));
            }
        }
        found
    }

    /// Checks that `name` is a declared `kind` (`bucket`, `key`, `secret` or `profile`),
    /// or reports it with the closest declared name.
    pub(crate) fn check_reference(&mut self, path: impl FnOnce() -> Path, kind: &'static str, name: &str) -> bool {
        let stack = self.stack;
        let defined: Vec<&str> = match kind {
            "bucket" => stack.buckets.iter().map(|b| b.name.as_str()).collect(),
            "key" => stack.keys.iter().map(|k| k.name.as_str()).collect(),
            "secret" => stack.secrets.iter().map(|s| s.name.as_str()).collect(),
            _ => stack.profiles.iter().map(|p| p.base().name()).collect(),
        };
        if defined.contains(&name) {
            return true;
        }
        let suggestion = suggest(name, defined);
        self.error(
            path(),
            ErrorKind::UnknownReference {
                kind,
                name: name.into(),
                suggestion,
            },
        );
        false
    }

    fn check_s3_name(&mut self, path: Path, name: &str) {
        let valid = (3..=63).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
            && name.starts_with(|c: char| c.is_ascii_alphanumeric())
            && name.ends_with(|c: char| c.is_ascii_alphanumeric());
        if !valid {
            self.error(
                path,
                ErrorKind::InvalidCharacters {
                    what: "bucket name",
                    value: name.into(),
                    allowed: "S3 bucket names are 3 to 63 lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit",
                },
            );
        }
    }

    fn check_bucket_identity(&mut self, path: Path, existing: &str) {
        if existing.starts_with("arn:") {
            match existing.split_once(":s3:::") {
                Some((_, name)) if !name.is_empty() && !name.contains('/') => self.check_s3_name(path, name),
                _ => self.error(
                    path,
                    ErrorKind::InvalidArn {
                        what: "S3 bucket",
                        value: existing.into(),
                        example: "arn:aws:s3:::my-bucket",
                    },
                ),
            }
        } else {
            self.check_s3_name(path, existing);
        }
    }

    fn check_key_identity(&mut self, path: Path, existing: &str) {
        let valid = if existing.starts_with("arn:") {
            arn_parts(existing, "kms").is_some_and(|resource| resource.starts_with("key/") && resource.len() > 4)
        } else {
            !existing.is_empty() && existing.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if !valid {
            self.error(
                path,
                ErrorKind::InvalidArn {
                    what: "KMS key",
                    value: existing.into(),
                    example: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                },
            );
        }
    }

    /// An imported secret: a name, or a full ARN. A dynamic reference by an ARN without its
    /// 6-character suffix is not found (`ResourceNotFoundException`; dynamic references
    /// docs; landing-zone-accelerator-on-aws#1103), and AppFlow's `ClientCredentialsArn`
    /// needs an ARN, so a partial ARN is an error (DEPLOY-TIME.md rule 9).
    fn check_secret_identity(&mut self, path: Path, existing: &str) {
        if existing.starts_with("arn:") {
            // The ARN is spliced into dynamic references and policies: every part must be
            // what AWS allows there, so nothing in it can end the reference.
            let resource = arn_parts(existing, "secretsmanager")
                .filter(|_| arn_account_and_region_are_plain(existing))
                .and_then(|resource| resource.strip_prefix("secret:"))
                .filter(|name| name.chars().all(names::is_secret_char));
            match resource {
                Some(resource) if split_secret_suffix(resource).is_some() => {}
                Some(resource) if !resource.is_empty() => {
                    self.error(path, ErrorKind::PartialSecretArn { arn: existing.into() });
                }
                _ => self.error(
                    path,
                    ErrorKind::InvalidArn {
                        what: "Secrets Manager secret",
                        value: existing.into(),
                        example: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/crm-AbCdEf",
                    },
                ),
            }
            return;
        }
        let valid = !existing.is_empty() && existing.len() <= 512 && existing.chars().all(names::is_secret_char);
        if valid && split_secret_suffix(existing).is_some() {
            self.warn(
                path.clone(),
                WarningKind::SecretNameLikeArnSuffix { name: existing.into() },
            );
        }
        if !valid {
            self.error(
                path,
                ErrorKind::InvalidArn {
                    what: "Secrets Manager secret",
                    value: existing.into(),
                    example: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/crm-AbCdEf",
                },
            );
        }
    }

    /// The physical name of a secret the stack creates: Secrets Manager's characters, and
    /// not ending like an ARN suffix ("Do not end your secret name with a hyphen followed
    /// by six characters", CreateSecret `Name`), which confuses partial-ARN look-ups.
    fn check_secret_name(&mut self, path: Path, name: &str) {
        let valid = !name.is_empty() && name.len() <= 512 && name.chars().all(names::is_secret_char);
        if !valid {
            self.error(
                path,
                ErrorKind::InvalidCharacters {
                    what: "secret name",
                    value: name.into(),
                    allowed: "secret names are at most 512 letters, digits and `/_+=.@-`",
                },
            );
        } else if split_secret_suffix(name).is_some() {
            self.error(
                path,
                ErrorKind::InvalidName {
                    kind: "secret",
                    name: name.into(),
                    reason: "it ends with a hyphen and six characters, like the suffix Secrets Manager adds to ARNs".into(),
                    rule: "Secrets Manager advises against such names (look-ups by partial ARN then find the wrong secret or none); end the name differently".into(),
                },
            );
        }
    }

    /// A template parameter name (a credential's or a secret value's).
    fn check_parameter(&mut self, path: Path, name: &str) {
        if let Some(reason) = names::check_parameter_name(name) {
            let rule = "template parameter names contain only letters and digits".to_owned();
            self.error(
                path,
                ErrorKind::InvalidName {
                    kind: "parameter",
                    name: name.into(),
                    reason,
                    rule,
                },
            );
        }
    }

    fn check_profile(&mut self, profile: &Profile) {
        let path = profile_path(profile);
        let base = profile.base();
        if let Some(existing) = base.imported() {
            let valid = if existing.starts_with("arn:") {
                arn_parts(existing, "appflow")
                    .and_then(|resource| resource.strip_prefix("connectorprofile/"))
                    .is_some_and(|name| names::check_profile_name(name).is_none())
            } else {
                names::check_profile_name(existing).is_none()
            };
            if !valid {
                self.error(
                    path.key("import"),
                    ErrorKind::InvalidArn {
                        what: "AppFlow connector profile",
                        value: existing.to_owned(),
                        example: "arn:aws:appflow:eu-west-1:123456789012:connectorprofile/crm",
                    },
                );
            }
        } else {
            let connector = profile.connector_side();
            connector.check(self, &path);
            if let Some(name) = base.profile_name()
                && let Some(reason) = names::check_profile_name(name)
            {
                let rule = "connector profile names use letters, digits and `_/!@#+=.-` (at most 256 characters)";
                self.error(
                    path.key("profile-name"),
                    ErrorKind::InvalidName {
                        kind: "connector profile",
                        name: name.to_owned(),
                        reason,
                        rule: rule.into(),
                    },
                );
            }
            if let Some(key) = base.key() {
                self.check_reference(|| path.key("key"), "key", key.name());
            }
            if !connector.has_credentials() {
                self.error(
                    path.clone(),
                    ErrorKind::MissingCredentials {
                        profile: base.name().to_owned(),
                    },
                );
            }
            for (at, secret) in connector.secrets() {
                let secret_path = at.iter().fold(path.clone(), |path, key| path.key(key));
                self.check_secret_read_by_arn(secret_path, secret);
            }
        }
        for (credential_path, credential) in self.credentials() {
            if !credential_path.starts_with(&root("profile").key(base.name())) {
                continue;
            }
            match credential {
                Credential::Secret { secret, key } => {
                    if self.check_reference(|| credential_path.key("secret"), "secret", secret.name()) {
                        self.check_owned_secret_key(&credential_path, secret, key);
                    }
                    if key.is_empty() {
                        self.error(
                            credential_path.key("key"),
                            ErrorKind::Empty {
                                what: "the secret's JSON key",
                                help: "name the key inside the secret's JSON, e.g. `refreshToken`",
                            },
                        );
                    } else if !key.chars().all(names::is_secret_char) {
                        // The key is spliced into a dynamic reference CloudFormation parses:
                        // `x}}{{resolve:ssm:...` would add a second one.
                        self.error(
                            credential_path.key("key"),
                            ErrorKind::InvalidCharacters {
                                what: "secret JSON key",
                                value: key.clone(),
                                allowed: "a secret's JSON keys are letters, digits and `/_+=.@-` (no `:`, braces or spaces: the key is part of a dynamic reference)",
                            },
                        );
                    }
                }
                Credential::Parameter { name } => self.check_parameter(credential_path.key("parameter"), name),
            }
        }
    }

    /// A credential read from a secret the stack creates: the secret must get its value in
    /// the same deploy, with this JSON key. CloudFormation creates the profile minutes after
    /// the secret in the same operation, so an empty secret cannot be filled in between
    /// (AWS::SecretsManager::Secret; DEPLOY-TIME.md rule 1).
    fn check_owned_secret_key(&mut self, credential_path: &Path, secret: &SecretRef, key: &str) {
        let Some(owned) = self.owned_secret(secret) else {
            return;
        };
        if owned.values.is_empty() {
            self.error(
                credential_path.key("secret"),
                ErrorKind::OwnedSecretWithoutValue {
                    secret: secret.name().into(),
                    key: key.into(),
                },
            );
        } else if !key.is_empty() && !owned.values.contains_key(key) {
            let suggestion = suggest(key, owned.values.keys().map(String::as_str));
            self.error(
                credential_path.key("key"),
                ErrorKind::UnknownSecretKey {
                    secret: secret.name().into(),
                    key: key.into(),
                    declared: owned
                        .values
                        .keys()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    suggestion,
                },
            );
        }
    }

    /// The secret the stack creates under this name, if it creates it.
    fn owned_secret(&self, secret: &SecretRef) -> Option<&'a super::Secret> {
        let stack: &'a Stack = self.stack;
        stack
            .secrets
            .iter()
            .find(|s| s.name == secret.name() && s.origin == Origin::Owned)
    }

    /// A secret AppFlow reads itself, by ARN (such as a connected app's client
    /// credentials): declared, and imported by full ARN if imported.
    fn check_secret_read_by_arn(&mut self, path: Path, secret: &SecretRef) {
        if !self.check_reference(|| path.clone(), "secret", secret.name()) {
            return;
        }
        let imported_by_name = self.stack.secrets.iter().any(|s| {
            s.name == secret.name() && matches!(&s.origin, Origin::Imported(existing) if !existing.starts_with("arn:"))
        });
        if imported_by_name {
            self.error(
                path,
                ErrorKind::ClientSecretNeedsArn {
                    name: secret.name().into(),
                },
            );
        }
    }

    /// A secret the stack creates and AppFlow reads `keys` from gets a value for each.
    /// Secrets it does not create are not checked: their keys cannot be seen.
    pub(crate) fn check_secret_keys(&mut self, path: Path, secret: &SecretRef, keys: &[&str]) {
        let Some(owned) = self.owned_secret(secret) else {
            return;
        };
        let missing: Vec<&str> = keys
            .iter()
            .copied()
            .filter(|key| !owned.values.contains_key(*key))
            .collect();
        if owned.values.is_empty() {
            self.error(
                path,
                ErrorKind::OwnedSecretWithoutValue {
                    secret: secret.name().into(),
                    key: keys.first().copied().unwrap_or_default().into(),
                },
            );
        } else if !missing.is_empty() {
            let missing = missing
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" and ");
            self.error(
                path,
                ErrorKind::ClientSecretKeys {
                    secret: secret.name().into(),
                    missing,
                },
            );
        }
    }

    fn check_flow(&mut self, flow: &AnyFlow) {
        let path = || root("flow").key(&flow.name);
        if let Some(flow_name) = &flow.flow_name
            && let Some(reason) = names::check_flow_name(flow_name)
        {
            let rule = "AppFlow flow names are 2 to 256 letters, digits and `_!@#.-`, starting with a letter or digit";
            self.error(
                path().key("name"),
                ErrorKind::InvalidName {
                    kind: "flow",
                    name: flow_name.clone(),
                    reason,
                    rule: rule.into(),
                },
            );
        }
        if let Some(description) = &flow.description {
            let bad: BTreeSet<char> = description
                .chars()
                .filter(|c| !(c.is_alphanumeric() || c.is_whitespace() || "_!@#-.?,".contains(*c)))
                .collect();
            if !bad.is_empty() {
                let characters = bad.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(" ");
                self.error(path().key("description"), ErrorKind::InvalidDescription { characters });
            }
            self.check_length(|| path().key("description"), "the flow description", description, 2048);
        }
        if let Some(key) = &flow.key {
            self.check_reference(|| path().key("key"), "key", key.name());
        }
        self.check_tags(|| path().key("tags"), &flow.tags);
        let merged = flow
            .tags
            .keys()
            .filter(|key| !self.stack.tags.contains_key(*key))
            .count()
            + self.stack.tags.len();
        if merged > MAX_TAGS && flow.tags.len() <= MAX_TAGS && self.stack.tags.len() <= MAX_TAGS {
            self.error(
                path().key("tags"),
                ErrorKind::TooManyTags {
                    count: merged,
                    max: MAX_TAGS,
                },
            );
        }
        self.check_trigger(flow, &path);
        self.check_source(flow, &path);
        self.check_destination(flow, &path);
        self.check_tasks(flow, &path);
    }

    fn check_trigger(&mut self, flow: &AnyFlow, path: &impl Fn() -> Path) {
        let Trigger::OnSchedule(schedule) = &flow.trigger else {
            return;
        };
        let path = || path().key("trigger").key("schedule");
        self.check_schedule(&flow.name, schedule, &path);
    }

    fn check_schedule(&mut self, flow: &str, schedule: &OnSchedule, path: &impl Fn() -> Path) {
        if let Err(reason) = schedule.schedule.parse() {
            self.error(
                path().key("expression"),
                ErrorKind::InvalidSchedule {
                    expression: schedule.schedule.expression.clone(),
                    reason,
                },
            );
        }
        match &schedule.pull {
            PullMode::Incremental {
                timestamp_field: Some(timestamp_field),
            } if timestamp_field.trim().is_empty() => self.error(
                path().key("timestamp-field"),
                ErrorKind::Empty {
                    what: "the timestamp field",
                    help: "name the datetime field that marks changed records, e.g. `LastModifiedDate`",
                },
            ),
            PullMode::Complete if schedule.first_execution_from.is_some() => self.error(
                path().key("first-execution-from"),
                ErrorKind::NeedsIncrementalPull {
                    what: "first-execution-from",
                },
            ),
            _ => {}
        }
        if let Some(offset) = schedule.offset_seconds
            && offset > 36_000
        {
            self.error(
                path().key("offset"),
                ErrorKind::OutOfRange {
                    what: "the schedule offset (seconds)",
                    value: offset.into(),
                    min: 0,
                    max: 36_000,
                },
            );
        }
        if let Some(threshold) = schedule.error_deactivation_threshold
            && !(1..=100).contains(&threshold)
        {
            self.error(
                path().key("error-deactivation-threshold"),
                ErrorKind::OutOfRange {
                    what: "the error deactivation threshold",
                    value: threshold.into(),
                    min: 1,
                    max: 100,
                },
            );
        }
        if let Some(zone) = &schedule.time_zone
            && jiff::tz::db().get(zone).is_err()
        {
            let available = jiff::tz::db().available();
            let names: Vec<String> = available.map(|name| name.to_string()).collect();
            let suggestion = suggest(zone, names.iter().map(String::as_str));
            self.error(
                path().key("time-zone"),
                ErrorKind::UnknownTimeZone {
                    name: zone.clone(),
                    suggestion,
                },
            );
        }
        if let (Some(start), Some(end)) = (schedule.start, schedule.end)
            && end <= start
        {
            self.error(path().key("end"), ErrorKind::EndBeforeStart);
        }
        if let Some(start) = schedule.start
            && start < self.now
        {
            let parameter = names::start_time_parameter(flow);
            self.warn(
                path().key("start"),
                WarningKind::StartTimeInPast {
                    start: start.to_string(),
                    parameter,
                },
            );
        }
        if let Some(end) = schedule.end
            && end < self.now
        {
            self.warn(path().key("end"), WarningKind::EndTimeInPast { end: end.to_string() });
        }
    }

    fn check_source(&mut self, flow: &AnyFlow, path: &impl Fn() -> Path) {
        let source = flow.source.endpoint();
        let path = path().key("source").key(flow.source.key());
        self.check_uses(&path, source.profile(), &source.buckets());
        source.check(self, flow, &path);
        if matches!(flow.trigger, Trigger::OnEvent(_)) && !flow.source.emits_events() {
            let sources = crate::connectors::Source::event_connectors()
                .iter()
                .map(|connector| format!("`{}`", connector.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            self.error(
                path.parent(),
                ErrorKind::SourceNotEventCapable {
                    connector: flow.source.connector().as_str(),
                    sources,
                },
            );
        }
    }

    fn check_destination(&mut self, flow: &AnyFlow, path: &impl Fn() -> Path) {
        let destination = flow.destination.endpoint();
        let path = path().key("destination").key(flow.destination.key());
        self.check_uses(&path, destination.profile(), &destination.buckets());
        destination.check(self, flow, &path);
    }

    /// The profile and buckets an endpoint at `path` uses are declared.
    fn check_uses(&mut self, path: &Path, profile: Option<&ProfileRef>, buckets: &[BucketUse<'_>]) {
        if let Some(profile) = profile {
            self.check_reference(|| path.key("profile"), "profile", profile.name());
        }
        for used in buckets {
            let _: Access = used.access;
            self.check_reference(
                || used.at.iter().fold(path.clone(), |path, key| path.key(key)),
                "bucket",
                used.bucket.name(),
            );
        }
    }

    /// A field name: not empty.
    pub(crate) fn check_field_name(&mut self, path: impl FnOnce() -> Path, field: &str) {
        if field.trim().is_empty() {
            self.error(
                path(),
                ErrorKind::Empty {
                    what: "a field name",
                    help: "name the field, e.g. `Id`",
                },
            );
        }
    }

    fn check_tasks(&mut self, flow: &AnyFlow, path: &impl Fn() -> Path) {
        let map_all_count = flow
            .mappings
            .iter()
            .filter(|m| matches!(m, Mapping::MapAll { .. }))
            .count();
        if flow.mappings.is_empty() {
            self.error(
                path(),
                ErrorKind::NoMapping {
                    flow: flow.name.clone(),
                },
            );
        }
        if map_all_count > 1 {
            self.error(
                path().key("map-all"),
                ErrorKind::DuplicateMapAll {
                    flow: flow.name.clone(),
                },
            );
        }
        let mut mapped: BTreeSet<&str> = BTreeSet::new();
        // Destination field → the mapping that first writes it.
        let mut written: HashMap<&str, usize, FastState> = HashMap::default();
        let excluded: BTreeSet<&str> = flow
            .mappings
            .iter()
            .filter_map(|m| match m {
                Mapping::MapAll { exclude } => Some(exclude.iter().map(String::as_str)),
                _ => None,
            })
            .flatten()
            .collect();
        let mapping_path = |index: usize| path().key("mapping").index(index);
        for (index, mapping) in flow.mappings.iter().enumerate() {
            // Paths are built only for errors: this runs for every task of every flow.
            let path = || mapping_path(index);
            mapped.extend(mapping.source_fields());
            // `Map_all` maps every field itself: another mapping beside it would write a
            // field twice or contradict it.
            if map_all_count > 0 && !matches!(mapping, Mapping::MapAll { .. }) {
                self.error(path(), ErrorKind::MapAllWithOtherMappings);
            }
            if let Some(to) = mapping.destination_field()
                && !to.is_empty()
                && let Some(first) = written.insert(to, index)
            {
                self.errors.push(
                    ModelError::new(
                        path().key("to"),
                        ErrorKind::DuplicateDestinationField { field: to.into() },
                    )
                    .also_at(mapping_path(first).key("to")),
                );
            }
            match mapping {
                Mapping::MapAll { exclude } => {
                    for (i, field) in exclude.iter().enumerate() {
                        self.check_field_name(|| path().key("exclude").index(i), field);
                    }
                }
                Mapping::Map { from, to } => {
                    self.check_field_name(|| path().key("from"), &from.name);
                    self.check_field_name(|| path().key("to"), &to.name);
                }
                Mapping::Concat { from, format, to } => {
                    if from.is_empty() {
                        self.error(
                            path().key("from"),
                            ErrorKind::Empty {
                                what: "the concat field list",
                                help: "list the fields to join",
                            },
                        );
                    }
                    for (i, field) in from.iter().enumerate() {
                        self.check_field_name(|| path().key("from").index(i), field);
                    }
                    if format.is_empty() {
                        self.error(
                            path().key("format"),
                            ErrorKind::Empty {
                                what: "the concat format",
                                help: "give the text that joins the fields, e.g. `\" \"`",
                            },
                        );
                    }
                    self.check_field_name(|| path().key("to"), &to.name);
                    if to.data_type.is_none() {
                        self.error(path().key("to"), ErrorKind::MissingDataType { task: "concat" });
                    }
                }
                Mapping::Arithmetic { op, left, right, to } => {
                    self.check_field_name(|| path().key("left"), left);
                    self.check_field_name(|| path().key("right"), right);
                    self.check_field_name(|| path().key("to"), &to.name);
                    if to.data_type.is_none() {
                        self.error(path().key("to"), ErrorKind::MissingDataType { task: op.name() });
                    }
                }
            }
        }
        let connector = flow.source.connector();
        for (index, filter) in flow.filters.iter().enumerate() {
            let path = || path().key("filter").index(index);
            self.check_field_name(|| path().key("field"), &filter.field);
            if excluded.contains(filter.field.as_str()) {
                self.error(
                    path().key("field"),
                    ErrorKind::FieldExcluded {
                        field: filter.field.clone(),
                        task: "filter",
                    },
                );
            }
            if !filter.op.applies_to(filter.field_type) {
                let allowed = FilterOp::ALL
                    .iter()
                    .filter(|op| op.applies_to(filter.field_type))
                    .map(|op| format!("`{}`", op.symbol()))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(
                    path().key("op"),
                    ErrorKind::FilterOperatorType {
                        operator: filter.op.symbol(),
                        field_type: filter.field_type.name(),
                        allowed,
                    },
                );
                continue;
            }
            let operator = filter.op.operator();
            if !operator_allowed(connector, operator) {
                let allowed = FilterOp::ALL
                    .iter()
                    .filter(|op| operator_allowed(connector, op.operator()))
                    .map(|op| format!("`{}`", op.symbol()))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(
                    path().key("op"),
                    ErrorKind::OperatorNotSupported {
                        operator: operator.as_str(),
                        connector: connector.as_str(),
                        allowed,
                    },
                );
            }
            self.check_filter_values(path, filter.op, filter.field_type, &filter.values);
        }
        for (index, transform) in flow.transforms.iter().enumerate() {
            let path = || path().key("transform").index(index);
            self.check_field_name(|| path().key("field"), transform.field());
            match transform {
                Transform::Mask { scope, mask, .. } => {
                    if mask.chars().count() != 1 {
                        self.error(path().key("mask"), ErrorKind::InvalidMask { mask: mask.clone() });
                    }
                    if matches!(scope, super::MaskScope::First(0) | super::MaskScope::Last(0)) {
                        self.error(
                            path().key("length"),
                            ErrorKind::ZeroLength {
                                what: "the mask length",
                            },
                        );
                    }
                }
                Transform::Truncate { length, .. } => {
                    if *length == 0 {
                        self.error(
                            path().key("length"),
                            ErrorKind::ZeroLength {
                                what: "the truncate length",
                            },
                        );
                    }
                }
            }
            if excluded.contains(transform.field()) {
                self.error(
                    path().key("field"),
                    ErrorKind::FieldExcluded {
                        field: transform.field().into(),
                        task: "transform",
                    },
                );
            } else if map_all_count == 0 && !transform.field().is_empty() && !mapped.contains(transform.field()) {
                self.error(
                    path().key("field"),
                    ErrorKind::FieldNotMapped {
                        field: transform.field().into(),
                        task: "transform",
                    },
                );
            }
        }
        for (index, validation) in flow.validations.iter().enumerate() {
            let path = || path().key("validation").index(index);
            self.check_field_name(|| path().key("field"), &validation.field);
            if excluded.contains(validation.field.as_str()) {
                self.error(
                    path().key("field"),
                    ErrorKind::FieldExcluded {
                        field: validation.field.clone(),
                        task: "validation",
                    },
                );
            } else if map_all_count == 0 && !validation.field.is_empty() && !mapped.contains(validation.field.as_str())
            {
                self.error(
                    path().key("field"),
                    ErrorKind::FieldNotMapped {
                        field: validation.field.clone(),
                        task: "validation",
                    },
                );
            }
        }
        self.check_task_operators(flow, path);
    }

    /// Every task's operator is in the source connector's `ConnectorOperator` enum (from
    /// the generated facts): a template with one outside it fails CloudFormation's schema
    /// check (a connector such as Amplitude allows `BETWEEN` alone). Filters are checked
    /// with their own message, naming the comparisons that would do.
    fn check_task_operators(&mut self, flow: &AnyFlow, path: &impl Fn() -> Path) {
        let connector = flow.source.connector();
        let mut used: Vec<(Path, Operator)> = Vec::new();
        for (index, mapping) in flow.mappings.iter().enumerate() {
            if let Mapping::Arithmetic { op, .. } = mapping {
                used.push((path().key("mapping").index(index), op.operator()));
            }
            used.push((path().key("mapping").index(index), Operator::NoOp));
        }
        let maps_all = flow.mappings.iter().any(|m| matches!(m, Mapping::MapAll { .. }));
        let projects = !flow.mappings.is_empty() || !flow.filters.is_empty();
        if projects && !maps_all {
            used.push((path(), Operator::Projection));
        }
        for (index, transform) in flow.transforms.iter().enumerate() {
            used.push((path().key("transform").index(index), transform.operator()));
        }
        for (index, validation) in flow.validations.iter().enumerate() {
            used.push((path().key("validation").index(index), validation.check.operator()));
        }
        for (at, operator) in used {
            if !operator_allowed(connector, operator) {
                let allowed = connector
                    .facts()
                    .operators
                    .as_ref()
                    .map(|facts| {
                        facts
                            .operators
                            .iter()
                            .map(|op| format!("`{}`", op.as_str()))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
                    .join(", ");
                self.error(
                    at,
                    ErrorKind::OperatorNotSupported {
                        operator: operator.as_str(),
                        connector: connector.as_str(),
                        allowed,
                    },
                );
            }
        }
    }

    fn check_filter_values(
        &mut self,
        path: impl Fn() -> Path,
        op: FilterOp,
        field_type: FilterType,
        values: &[FilterValue],
    ) {
        let (expected, fits) = match op {
            FilterOp::Between => ("exactly 2 values (lower and upper bound)", values.len() == 2),
            FilterOp::In | FilterOp::NotIn => ("a list of at least 1 value", !values.is_empty()),
            _ => ("exactly 1 value", values.len() == 1),
        };
        if !fits {
            self.error(
                path().key("value"),
                ErrorKind::FilterValueCount {
                    operator: op.symbol(),
                    expected,
                    got: values.len(),
                },
            );
            return;
        }
        for (index, value) in values.iter().enumerate() {
            let value_path = || {
                if values.len() == 1 {
                    path().key("value")
                } else {
                    path().key("value").index(index)
                }
            };
            let matches_type = matches!(
                (field_type, value),
                (FilterType::String, FilterValue::String(_))
                    | (FilterType::Number, FilterValue::Integer(_) | FilterValue::Float(_))
                    | (FilterType::Boolean, FilterValue::Boolean(_))
                    | (FilterType::Datetime, FilterValue::Datetime(_))
            );
            if !matches_type {
                self.error(
                    value_path(),
                    ErrorKind::FilterValueType {
                        expected: field_type.name(),
                        got: value.type_name(),
                    },
                );
                continue;
            }
            if let FilterValue::Float(number) = value
                && !number.is_finite()
            {
                self.error(value_path(), ErrorKind::NonFiniteNumber);
            }
            if matches!(op, FilterOp::In | FilterOp::NotIn)
                && let FilterValue::String(text) = value
                && text.contains(',')
            {
                self.error(value_path(), ErrorKind::CommaInListValue { value: text.clone() });
            }
        }
    }
}

/// The secret name inside an imported secret's name or full ARN (`...:secret:<name>-AbCdEf`).
fn imported_secret_name(existing: &str) -> Option<&str> {
    match existing.split_once(":secret:") {
        Some((_, resource)) => split_secret_suffix(resource).map(|(name, _)| name),
        None => Some(existing),
    }
}

/// A secret ARN's resource part split into the name and the 6-character random suffix
/// Secrets Manager appends (`appflow/sf-AbCdEf` → `appflow/sf`, `AbCdEf`).
fn split_secret_suffix(resource: &str) -> Option<(&str, &str)> {
    let (name, suffix) = resource.rsplit_once('-')?;
    (!name.is_empty() && suffix.len() == 6 && suffix.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some((name, suffix))
}

/// Whether an ARN's region is empty or lowercase letters, digits and `-`, and its account
/// is empty or 12 digits.
fn arn_account_and_region_are_plain(arn: &str) -> bool {
    let mut parts = arn.splitn(6, ':').skip(3);
    let region = parts.next().unwrap_or_default();
    let account = parts.next().unwrap_or_default();
    region
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && (account.is_empty() || (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit())))
}

/// The resource part of an ARN of `service`, if `arn` is one.
pub(crate) fn arn_parts<'a>(arn: &'a str, service: &str) -> Option<&'a str> {
    let mut parts = arn.splitn(6, ':');
    let (prefix, partition, arn_service) = (parts.next()?, parts.next()?, parts.next()?);
    let (_region, _account, resource) = (parts.next()?, parts.next()?, parts.next()?);
    (prefix == "arn" && partition.starts_with("aws") && arn_service == service && !resource.is_empty())
        .then_some(resource)
}
