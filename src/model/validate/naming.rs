//! Stack-wide naming rules: the stack itself (name, description, tags), the names of
//! buckets, keys, secrets, profiles and flows, the physical names the stack creates or
//! imports, the logical IDs the template gets, and the declared items nothing uses.
//!
//! These passes look at every flow's names at once; `Checker::check` runs them on a
//! thread of their own while the flows are checked on the others.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::monitoring::{self, targets_of};
use crate::connectors::Profile;
use crate::hash::FastState;
use crate::model::diagnostic::{ErrorKind, ModelError, WarningKind};
use crate::model::flow::{AnyFlow, TextAt};
use crate::model::limits;
use crate::model::names;
use crate::model::path::Path;
use crate::model::profile::Credential;
use crate::model::resources::Origin;
use crate::model::text::Text;
use crate::model::{Stack, TargetKind};

use super::{Checker, imported_secret_name, profile_path, root};

/// 50", AWS General Reference, Tagging AWS resources). A flow gets the stack's tags and
/// its own.
pub(super) const MAX_TAGS: usize = 50;

/// Whether `c` may stand in a tag key or value: Unicode letters, digits and spaces, and
/// `_ . : / = + - @` (Tagging AWS resources, "Tag naming limits and requirements": the
/// pattern `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$` the tagging APIs share). Neither the
/// flow schema nor AppFlow's API reference gives AppFlow a looser one.
fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
}

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

/// Where a setting that may be a reference is: its path is built only for a message.
#[derive(Clone, Copy)]
pub(super) enum TextOwner<'a> {
    Profile(&'a Profile, &'static [&'static str]),
    Flow(&'a AnyFlow, TextAt),
}

impl TextOwner<'_> {
    fn path(self) -> Path {
        match self {
            TextOwner::Profile(profile, keys) => keys.iter().fold(profile_path(profile), |path, key| path.key(key)),
            TextOwner::Flow(flow, at) => flow.text_path(at),
        }
    }
}

impl<'a> Checker<'a> {
    /// Every setting of the stack that may be a reference: those of the profiles it
    /// creates, and of its flows.
    pub(super) fn all_texts(&self) -> Vec<(TextOwner<'a>, &'a Text)> {
        let stack: &'a Stack = self.stack;
        let profiles = stack.profiles.iter().filter(|p| p.base().imported().is_none());
        let mut found: Vec<(TextOwner<'a>, &'a Text)> = profiles
            .flat_map(|profile| {
                let texts = profile.connector_side().texts();
                texts
                    .into_iter()
                    .map(move |(at, text)| (TextOwner::Profile(profile, at), text))
            })
            .collect();
        for flow in &stack.flows {
            found.extend(
                flow.texts()
                    .into_iter()
                    .map(|(at, text)| (TextOwner::Flow(flow, at), text)),
            );
        }
        found
    }
}

impl Checker<'_> {
    pub(super) fn check_stack(&mut self) {
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

    pub(super) fn check_tags(&mut self, path: impl Fn() -> Path, tags: &BTreeMap<String, String>) {
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
            // Lengths from the flow schema's `Tag`; the same hold for the buckets, keys
            // and secrets the tags also land on (Tagging AWS resources, "Tag naming limits
            // and requirements").
            if !key.is_empty() {
                self.check_limits(|| tag_path.clone(), &limits::TAG_KEY, key);
            }
            self.check_limits(|| tag_path.key("value"), &limits::TAG_VALUE, value);
            for (text, at) in [(key, tag_path.clone()), (value, tag_path.key("value"))] {
                if !text.chars().all(is_tag_char) {
                    self.error(
                        at,
                        ErrorKind::InvalidCharacters {
                            what: "tag",
                            value: text.escape_debug().to_string(),
                            allowed: "tag keys and values are letters, digits, spaces and `_ . : / = + - @` (the rule every AWS service shares)",
                        },
                    );
                }
            }
        }
    }

    pub(super) fn check_length(&mut self, path: impl FnOnce() -> Path, what: &'static str, value: &str, max: usize) {
        let length = value.chars().count();
        if length > max {
            self.error(path(), ErrorKind::TooLong { what, length, max });
        }
    }

    /// Names are valid and unique within their kind.
    pub(super) fn check_names(&mut self) {
        let stack = self.stack;
        let kinds: [(&'static str, Vec<&str>); 11] = [
            ("bucket", stack.buckets.iter().map(|b| b.name.as_str()).collect()),
            ("domain", stack.domains.iter().map(|d| d.name.as_str()).collect()),
            ("connector", stack.connectors.iter().map(|c| c.name.as_str()).collect()),
            ("key", stack.keys.iter().map(|k| k.name.as_str()).collect()),
            ("secret", stack.secrets.iter().map(|s| s.name.as_str()).collect()),
            ("profile", stack.profiles.iter().map(|p| p.base().name()).collect()),
            ("flow", stack.flows.iter().map(|f| f.name.as_str()).collect()),
            ("topic", targets_of(stack, TargetKind::Topic)),
            ("queue", targets_of(stack, TargetKind::Queue)),
            ("function", targets_of(stack, TargetKind::Function)),
            ("bus", targets_of(stack, TargetKind::Bus)),
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
    pub(super) fn check_physical_names(&mut self) {
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
    pub(super) fn check_usage(&mut self) {
        let stack = self.stack;
        let creates_something = !stack.flows.is_empty()
            || stack.buckets.iter().any(|b| b.origin == Origin::Owned)
            || stack.keys.iter().any(|k| k.origin == Origin::Owned)
            || stack.secrets.iter().any(|s| s.origin == Origin::Owned)
            || stack.domains.iter().any(|d| d.origin == Origin::Owned)
            || !stack.connectors.is_empty()
            || stack.targets.iter().any(|t| t.origin == Origin::Owned)
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
            for bucket in profile.connector_side().buckets() {
                used.insert(("bucket", bucket.bucket.name()));
            }
            if let Some(connector) = profile.connector_side().registered_connector() {
                used.insert(("connector", connector));
            }
        }
        for (_, credential) in self.credentials() {
            if let Credential::Secret { secret, .. } = credential {
                used.insert(("secret", secret.name()));
            }
        }
        for (_, text) in self.all_texts() {
            if let Text::Secret { secret, .. } = text {
                used.insert(("secret", secret.name()));
            }
        }
        for target in &stack.targets {
            if let Some(key) = &target.key {
                used.insert(("key", key.name()));
            }
        }
        for monitoring in
            std::iter::once(&stack.monitoring).chain(stack.flows.iter().filter_map(|f| f.monitoring.as_deref()))
        {
            for notification in &monitoring.notifications {
                used.insert((notification.target.kind.as_str(), notification.target.name.as_str()));
            }
            for alarm in &monitoring.alarms {
                used.extend(
                    alarm
                        .topics
                        .iter()
                        .map(|topic| (topic.kind.as_str(), topic.name.as_str())),
                );
            }
        }
        for flow in &stack.flows {
            if let Some(key) = &flow.key {
                used.insert(("key", key.name()));
            }
            if let Some(profile) = flow.source.profile() {
                used.insert(("profile", profile.name()));
            }
            if let Some(domain) = flow.destination.endpoint().domain() {
                used.insert(("domain", domain.name()));
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
            .chain(stack.domains.iter().map(|d| ("domain", d.name.as_str())))
            .chain(stack.connectors.iter().map(|c| ("connector", c.name.as_str())))
            .chain(stack.targets.iter().map(|t| (t.kind.as_str(), t.name.as_str())))
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
    pub(super) fn check_logical_ids(&mut self) {
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
        for connector in &stack.connectors {
            ids.push((names::connector_id(&connector.name), &connector.name, "connector"));
            ids.push((
                names::connector_permission_id(&connector.name),
                &connector.name,
                "connector",
            ));
            if let crate::connectors::custom::registration::ConnectorFunction::Created(_) = connector.function {
                ids.push((
                    names::connector_function_id(&connector.name),
                    &connector.name,
                    "connector",
                ));
                ids.push((
                    names::connector_function_role_id(&connector.name),
                    &connector.name,
                    "connector",
                ));
            }
        }
        for domain in &stack.domains {
            ids.push((names::domain_id(&domain.name), &domain.name, "domain"));
            for object_type in &domain.object_types {
                ids.push((names::object_type_id(&domain.name, object_type), &domain.name, "domain"));
            }
        }
        for target in &stack.targets {
            let kind = target.kind.as_str();
            match target.kind {
                TargetKind::Topic => {
                    ids.push((names::topic_id(&target.name), &target.name, kind));
                    ids.push((names::topic_policy_id(&target.name), &target.name, kind));
                }
                TargetKind::Queue => {
                    ids.push((names::queue_id(&target.name), &target.name, kind));
                    ids.push((names::queue_policy_id(&target.name), &target.name, kind));
                }
                TargetKind::Function | TargetKind::Bus => {}
            }
        }
        let mut databases = BTreeSet::new();
        for flow in &stack.flows {
            ids.extend(names::flow_ids(&flow.name).map(|id| (id, flow.name.as_str(), "flow")));
            ids.extend(
                monitoring::logical_ids(stack, flow)
                    .into_iter()
                    .map(|id| (id, flow.name.as_str(), "flow")),
            );
            if let Some(catalog) = flow.destination.endpoint().catalog()
                && databases.insert(catalog.database.name())
            {
                let id = names::glue_database_id(catalog.database.name());
                // CloudFormation allows 255 characters in a logical ID (cfn-lint E3006), and
                // flowform derives longer ones (the exports of split stacks, `Export<id>Arn`).
                // Names of the file are at most 64 characters; a Glue database's, up to 255,
                // is the one that can pass.
                if id.len() > names::MAX_BASE_LOGICAL_ID {
                    let path = root("flow")
                        .key(&flow.name)
                        .key("destination")
                        .key(flow.destination.key());
                    self.error(
                        path.key("catalog").key("database"),
                        ErrorKind::LogicalIdTooLong {
                            name: catalog.database.name().to_owned(),
                            length: id.len(),
                            max: names::MAX_BASE_LOGICAL_ID,
                        },
                    );
                }
                ids.push((id, &flow.name, "flow"));
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
        // A setting's parameter is a plain `String`; a credential's is `NoEcho`. One name
        // for both would be declared twice, and which declaration won would decide
        // whether the credential is masked: an error.
        let texts = self.all_texts();
        let credential_parameters = parameters.clone();
        let mut text_parameters: Vec<(TextOwner<'_>, &str)> = Vec::new();
        for (owner, text) in &texts {
            if let Text::Parameter(name) = text {
                if credential_parameters.contains(name.as_str()) {
                    self.error(
                        owner.path().key("parameter"),
                        ErrorKind::CredentialParameterReused { name: name.clone() },
                    );
                } else if parameters.insert(name.as_str()) {
                    ids.push((name.clone(), name, "parameter"));
                    text_parameters.push((*owner, name));
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
                        let from_text = || {
                            let (owner, _) = text_parameters.iter().find(|(_, n)| n == name)?;
                            Some(owner.path().key("parameter"))
                        };
                        credentials
                            .iter()
                            .find(|(_, c)| matches!(c, Credential::Parameter { name: n } if n == name))
                            .map(|(p, _)| p.clone())
                            .or_else(from_secret)
                            .or_else(from_text)
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
}

#[cfg(test)]
mod tests {
    use super::super::testing::{errors, flow, now, stack, stack_with, warnings};
    use super::super::validate;
    use crate::model::{Bucket, ErrorKind, Stack, WarningKind};

    #[test]
    fn tag_characters_and_lengths() {
        let mut stack = stack_with(|flow| flow);
        stack.tags.insert("team;ops".into(), "data".into());
        stack.tags.insert("owner".into(), "a\tb".into());
        stack.tags.insert("k".repeat(129), "v".into());
        stack.tags.insert("Équipe data:v2/@+=-_.".into(), "Données 2024".into());
        let found = errors(stack);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found.iter().any(|(_, kind)| matches!(
            kind,
            ErrorKind::SchemaConstraint {
                property: "Tag.Key",
                ..
            }
        )));
        let characters = found
            .iter()
            .filter(|(_, kind)| matches!(kind, ErrorKind::InvalidCharacters { what: "tag", .. }))
            .count();
        assert_eq!(characters, 2);
    }

    #[test]
    fn two_flows_with_one_name() {
        let (mut stack, lake) = stack();
        stack.add_flow(flow("f", &lake));
        stack.add_flow(flow("f", &lake));
        let found = errors(stack);
        assert_eq!(
            found[0],
            (
                "flow.f".into(),
                ErrorKind::DuplicateName {
                    kind: "flow",
                    name: "f".into()
                }
            )
        );
        // Both would also be the AppFlow flow `test-f`.
        assert_eq!(
            found[1],
            (
                "flow.f".into(),
                ErrorKind::DuplicatePhysicalName {
                    kind: "flow",
                    name: "test-f".into()
                }
            )
        );
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn names_longer_than_the_limit() {
        let long = "b".repeat(65);
        let (mut too_long, lake) = stack();
        too_long.add_flow(flow(&long, &lake));
        let found = errors(too_long);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, format!("flow.{long}"));
        assert!(
            matches!(&found[0].1, ErrorKind::InvalidName { kind: "flow", reason, .. } if reason == "it is 65 characters long")
        );
        let (mut longest, lake) = stack();
        longest.add_flow(flow(&long[1..], &lake));
        assert_eq!(warnings(longest), []);
    }

    #[test]
    fn a_stack_that_creates_nothing() {
        let mut stack = Stack::new("test");
        stack.add_bucket(Bucket::imported("raw", "raw-exports"));
        let found = errors(stack.clone());
        assert_eq!(
            found,
            [("stack".into(), ErrorKind::EmptyStack { stack: "test".into() })]
        );
        stack.add_bucket(Bucket::owned("lake"));
        assert_eq!(warnings(stack).len(), 2, "both buckets are unused, and nothing fails");
    }

    #[test]
    fn an_unused_bucket_is_a_warning() {
        let mut stack = stack_with(|flow| flow);
        stack.add_bucket(Bucket::owned("spare"));
        assert_eq!(
            warnings(stack),
            [(
                "bucket.spare".into(),
                WarningKind::Unused {
                    kind: "bucket",
                    name: "spare".into()
                }
            )]
        );
    }

    #[test]
    fn two_names_with_one_logical_id() {
        let mut stack = stack_with(|flow| flow);
        stack.add_bucket(Bucket::owned("raw-data"));
        stack.add_bucket(Bucket::owned("raw_data"));
        let found = errors(stack);
        let collision = ErrorKind::LogicalIdCollision {
            name: "raw_data".into(),
            other: "raw-data".into(),
            logical_id: "RawDataBucket".into(),
        };
        assert_eq!(found[0], ("bucket.raw_data".into(), collision));
        assert!(
            matches!(&found[1].1, ErrorKind::LogicalIdCollision { logical_id, .. } if logical_id == "RawDataBucketPolicy")
        );
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn two_owned_buckets_with_one_physical_name() {
        let mut stack = stack_with(|flow| flow);
        stack.add_bucket(Bucket::owned("a").bucket_name("acme-exports"));
        stack.add_bucket(Bucket::owned("b").bucket_name("acme-exports"));
        let error = validate(stack, now()).unwrap_err().errors.remove(0);
        assert_eq!(error.path.to_string(), "bucket.b.bucket-name");
        assert_eq!(
            error.also.map(|also| also.to_string()).as_deref(),
            Some("bucket.a.bucket-name")
        );
        // Two imports of one bucket do not clash: neither is created.
        let mut stack = stack_with(|flow| flow);
        stack.add_bucket(Bucket::imported("a", "acme-exports"));
        stack.add_bucket(Bucket::imported("b", "arn:aws:s3:::acme-exports"));
        assert_eq!(warnings(stack).len(), 2);
    }

    #[test]
    fn reserved_and_too_many_stack_tags() {
        let mut stack = stack_with(|flow| flow).tag("aws:owner", "me");
        for index in 0..50 {
            stack = stack.tag(format!("t{index:02}"), "x");
        }
        let found = errors(stack);
        assert_eq!(
            found[0],
            ("stack.tags.t49".into(), ErrorKind::TooManyTags { count: 51, max: 50 })
        );
        assert_eq!(found[1].0, "stack.tags.\"aws:owner\"");
        assert!(matches!(&found[1].1, ErrorKind::InvalidName { kind: "tag", .. }));
        assert_eq!(found.len(), 2, "{found:?}");
    }
}
