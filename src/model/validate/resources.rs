//! Buckets, KMS keys, secrets and connector profiles: each one's identity (the existing
//! resource an import names, the physical name an owned one gets), references between
//! them (`Checker::check_reference`), and the credentials profiles read from secrets
//! and template parameters.

use crate::cfn::Limits;
use crate::cfn::generated::flow::Flow;
use crate::connectors::Profile;
use crate::connectors::constraints::{self, Role};
use crate::connectors::facts::{ConnectorType, PropertyFacts};
use crate::model::diagnostic::{ErrorKind, WarningKind, suggest};
use crate::model::names;
use crate::model::path::Path;
use crate::model::profile::Credential;
use crate::model::resources::{Origin, SecretRef};
use crate::model::text::Text;
use crate::model::{Secret, Stack};

use super::{Checker, arn_account_and_region_are_plain, arn_parts, profile_path, root, split_secret_suffix};

/// Prefixes S3 reserves in general purpose bucket names (Amazon S3 User Guide, "General
/// purpose bucket naming rules").
const RESERVED_BUCKET_PREFIXES: &[&str] = &["xn--", "sthree-", "amzn-s3-demo-"];

/// Suffixes S3 reserves for access point, Object Lambda Access Point, Multi-Region Access
/// Point and directory bucket names (the same rules).
const RESERVED_BUCKET_SUFFIXES: &[&str] = &["-s3alias", "--ol-s3", ".mrap", "--x-s3"];

/// Why a name is not a general purpose bucket's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BucketNameProblem {
    /// Not 3 to 63 lowercase letters, digits, `-` and `.`, starting and ending with a
    /// letter or digit.
    Characters,
    /// One of the other rules, and which.
    Reserved(String),
}

/// What is wrong with `name` as a general purpose bucket's name, by S3's naming rules
/// (Amazon S3 User Guide, "General purpose bucket naming rules"); the flow schema's
/// `BucketName` (3 to 63, `\S+`) is looser, and the rules are what S3 enforces.
pub(crate) fn bucket_name_problem(name: &str) -> Option<BucketNameProblem> {
    let valid = (3..=63).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !valid {
        return Some(BucketNameProblem::Characters);
    }
    let reason = if name.contains("..") {
        Some("it has two adjacent periods".to_owned())
    } else if name.parse::<std::net::Ipv4Addr>().is_ok() {
        Some("it is formatted as an IP address".to_owned())
    } else if let Some(prefix) = RESERVED_BUCKET_PREFIXES.iter().find(|p| name.starts_with(**p)) {
        Some(format!("the prefix `{prefix}` is reserved"))
    } else {
        RESERVED_BUCKET_SUFFIXES
            .iter()
            .find(|s| name.ends_with(**s))
            .map(|suffix| format!("the suffix `{suffix}` is reserved"))
    };
    reason.map(BucketNameProblem::Reserved)
}

impl<'a> Checker<'a> {
    /// The buckets, keys, secrets and profiles, in that order.
    pub(super) fn check_resources(&mut self) {
        let stack = self.stack;
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
        for connector in &stack.connectors {
            connector.check(self, &root("connector").key(&connector.name));
        }
        for domain in &stack.domains {
            self.check_domain(domain);
        }
        for profile in &stack.profiles {
            self.check_profile(profile);
        }
    }

    /// A Customer Profiles domain: its name as the schema allows it
    /// (`AWS::CustomerProfiles::Domain`: `^[a-zA-Z0-9_-]+$`, 1 to 64), a created one's
    /// expiration (required, 1 to 1098 days), key and queue.
    fn check_domain(&mut self, domain: &crate::model::Domain) {
        let path = root("domain").key(&domain.name);
        let physical = match &domain.origin {
            Origin::Imported(existing) => Some((path.key("import"), existing.clone())),
            Origin::Owned => domain
                .domain_name
                .as_ref()
                .map(|name| (path.key("domain-name"), name.clone())),
        };
        match physical {
            Some((at, name)) => self.check_limits(|| at, &DOMAIN_NAME_LIMITS, &name),
            None => {
                let physical = names::physical_name(&self.stack.name, &domain.name);
                self.check_limits(|| path.clone(), &DOMAIN_NAME_LIMITS, &physical);
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for (index, object_type) in domain.object_types.iter().enumerate() {
            let at = || path.key("object-types").index(index);
            self.check_limits(at, &OBJECT_TYPE_TEMPLATE_LIMITS, object_type);
            if !seen.insert(object_type.as_str()) {
                let kind = ErrorKind::DuplicateName {
                    kind: "object type",
                    name: object_type.clone(),
                };
                self.error(at(), kind);
            }
        }
        if let Origin::Imported(_) = domain.origin {
            let settings = [
                ("expiration-days", domain.expiration_days.is_some()),
                ("domain-name", domain.domain_name.is_some()),
                ("key", domain.key.is_some()),
                ("dead-letter-queue", domain.dead_letter_queue.is_some()),
            ];
            for (setting, _) in settings.into_iter().filter(|(_, set)| *set) {
                self.error(path.key(setting), ErrorKind::ImportedDomainSetting { setting });
            }
            return;
        }
        match domain.expiration_days {
            None => self.error(path.clone(), ErrorKind::DomainWithoutExpiration),
            Some(days) => self.check_number(|| path.key("expiration-days"), &EXPIRATION_DAYS_LIMITS, days.into()),
        }
        if let Some(key) = &domain.key {
            self.check_reference(|| path.key("key"), "key", key.name());
        }
        if let Some(queue) = &domain.dead_letter_queue {
            self.check_limits(|| path.key("dead-letter-queue"), &DEAD_LETTER_QUEUE_LIMITS, queue);
        }
    }

    /// Every credential of every owned profile, with its path.
    pub(super) fn credentials(&self) -> Vec<(Path, &'a Credential)> {
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
            "domain" => stack.domains.iter().map(|d| d.name.as_str()).collect(),
            "connector" => stack.connectors.iter().map(|c| c.name.as_str()).collect(),
            "topic" | "queue" | "function" | "bus" => (stack.targets.iter())
                .filter(|t| t.kind.as_str() == kind)
                .map(|t| t.name.as_str())
                .collect(),
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

    /// A general purpose bucket's name, by S3's naming rules ([`bucket_name_problem`]).
    fn check_s3_name(&mut self, path: Path, name: &str) {
        match bucket_name_problem(name) {
            None => {}
            Some(BucketNameProblem::Characters) => self.error(
                path,
                ErrorKind::InvalidCharacters {
                    what: "bucket name",
                    value: name.into(),
                    allowed: "S3 bucket names are 3 to 63 lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit",
                },
            ),
            Some(BucketNameProblem::Reserved(reason)) => self.error(
                path,
                ErrorKind::InvalidName {
                    kind: "bucket",
                    name: name.into(),
                    reason,
                    rule: "S3 bucket names have no `..`, are no IP address, and do not start with `xn--`, `sthree-` or `amzn-s3-demo-` or end with `-s3alias`, `--ol-s3`, `.mrap` or `--x-s3`".into(),
                },
            ),
        }
    }

    fn check_bucket_identity(&mut self, path: Path, existing: &str) {
        // Any partition: `arn:<partition>:s3:::<name>`.
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
        } else if existing.starts_with("arn:") {
            // The ARN is written as the flow's and the profile's `KMSArn`, whose schema
            // pattern (`arn:aws:kms:...`, the same in both) CloudFormation checks before it
            // provisions anything. It names the `aws` partition alone: the evidence for
            // other partitions is that pattern, nothing more (README, "Evidence").
            self.check_limits(|| path, &Flow::KMS_ARN_LIMITS, existing);
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
            if base.is_private() && !connector.supports_private_connection() {
                let connector = profile.key();
                self.error(
                    path.key("private"),
                    ErrorKind::PrivateConnectionUnsupported { connector },
                );
            }
            match (connector.private_link_service_name(), base.is_private()) {
                (Some(Some(_)), false) => {
                    self.error(
                        path.key("private-link-service-name"),
                        ErrorKind::ServiceNameWithoutPrivate,
                    );
                }
                (Some(None), true) => {
                    self.warn(path.key("private"), WarningKind::PrivateWithoutServiceName);
                }
                _ => {}
            }
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
                        ways: connector.credential_ways(),
                    },
                );
            }
            for used in connector.buckets() {
                let bucket_path = used.at.iter().fold(path.clone(), |path, key| path.key(key));
                self.check_reference(|| bucket_path.clone(), "bucket", used.bucket.name());
                if let Some((prefix, limits)) = &used.prefix {
                    self.check_limits(|| bucket_path.parent().key("prefix"), limits, prefix);
                }
            }
            for (at, secret) in connector.secrets() {
                let secret_path = at.iter().fold(path.clone(), |path, key| path.key(key));
                self.check_secret_read_by_arn(secret_path, secret, profile.connector());
            }
            // This profile's own credentials (not every profile's, filtered by path: that was
            // quadratic in the number of profiles, and two profiles of one name reported each
            // other's errors).
            for (at, credential) in connector.credentials() {
                let credential_path = at.iter().fold(path.clone(), |path, key| path.key(key));
                match credential {
                    Credential::Secret { secret, key } => self.check_secret_value(&credential_path, secret, key),
                    Credential::Parameter { name } => self.check_parameter(credential_path.key("parameter"), name),
                }
            }
            for (at, text) in connector.texts() {
                let facts = at
                    .last()
                    .and_then(|key| constraints::property(profile.connector(), Role::Profile, key));
                let limits = facts.map(PropertyFacts::limits);
                self.check_text(at.iter().fold(path.clone(), |path, key| path.key(key)), text, limits);
            }
        }
    }

    /// The physical name of the declared bucket `name` is within `limits` (a destination's
    /// own rule on it, such as a required name prefix); a bucket the stack creates must then be
    /// given its name, since CloudFormation's generated one would not fit. `path` is the
    /// reference to the bucket.
    pub(crate) fn check_bucket_name_limits(
        &mut self,
        path: impl Fn() -> Path,
        bucket: &crate::model::BucketRef,
        limits: &Limits,
    ) {
        let Some(declared) = self.stack.buckets.iter().find(|b| b.name == bucket.name()) else {
            // An unknown bucket is reported by the reference check.
            return;
        };
        let physical = match &declared.origin {
            Origin::Imported(existing) => Some(
                existing
                    .split_once(":s3:::")
                    .map_or(existing.as_str(), |(_, name)| name),
            ),
            Origin::Owned => declared.bucket_name.as_deref(),
        };
        let Some(physical) = physical else {
            let error = ErrorKind::BucketNameRequired {
                bucket: declared.name.clone(),
                pattern: limits.pattern.unwrap_or_default(),
            };
            self.error(path(), error);
            return;
        };
        self.check_limits(path, limits, physical);
    }

    /// One JSON key of a secret, read through a dynamic reference (`path` holds `secret`
    /// and `key`): the secret is declared, a created one gets the key, and the key cannot
    /// break out of the reference.
    fn check_secret_value(&mut self, path: &Path, secret: &SecretRef, key: &str) {
        if self.check_reference(|| path.key("secret"), "secret", secret.name()) {
            self.check_owned_secret_key(path, secret, key);
        }
        if key.is_empty() {
            self.error(
                path.key("key"),
                ErrorKind::Empty {
                    what: "the secret's JSON key",
                    help: "name the key inside the secret's JSON, e.g. `refreshToken`",
                },
            );
        } else if !key.chars().all(names::is_secret_char) {
            // The key is spliced into a dynamic reference CloudFormation parses:
            // `x}}{{resolve:ssm:...` would add a second one.
            self.error(
                path.key("key"),
                ErrorKind::InvalidCharacters {
                    what: "secret JSON key",
                    value: key.into(),
                    allowed: "a secret's JSON keys are letters, digits and `/_+=.@-` (no `:`, braces or spaces: the key is part of a dynamic reference)",
                },
            );
        }
    }

    /// A number within the schema's range on the property it becomes.
    pub(crate) fn check_number(&mut self, path: impl FnOnce() -> Path, limits: &Limits, value: i64) {
        if let Some(reason) = limits.number_violation(value) {
            let kind = ErrorKind::SchemaConstraint {
                property: limits.property,
                value: value.to_string(),
                reason,
            };
            self.error(path(), kind);
        }
    }

    /// A value flowform writes to a property: within the schema's `limits` on it.
    pub(crate) fn check_limits(&mut self, path: impl FnOnce() -> Path, limits: &Limits, value: &str) {
        if let Some(reason) = limits.violation(value) {
            let kind = ErrorKind::SchemaConstraint {
                property: limits.property,
                value: value.to_owned(),
                reason,
            };
            self.error(path(), kind);
        }
    }

    /// A setting that may be a reference: a literal against the schema's `limits` on the
    /// property it becomes, a reference for what can be known of it before deploy, its
    /// names.
    pub(crate) fn check_text(&mut self, path: Path, text: &Text, limits: Option<Limits>) {
        let (kind, name, reason, rule) = match text {
            Text::Literal(value) => {
                // A blank value is the model's to report (`ErrorKind::Empty`), saying what
                // to write; every pattern of these properties refuses one too.
                if let Some(limits) = limits
                    && !value.trim().is_empty()
                {
                    self.check_limits(|| path, &limits, value);
                }
                return;
            }
            Text::Parameter(name) => return self.check_parameter(path.key("parameter"), name),
            Text::Secret { secret, key } => return self.check_secret_value(&path, secret, key),
            Text::Ssm(name) => (
                "Systems Manager parameter",
                name,
                names::check_ssm_parameter_name(name),
                "Parameter Store names are letters, digits, `_.-` and `/` between levels, at most 1,011 characters; name a `String` parameter, e.g. `/acme/crm/instance-url`",
            ),
            Text::Import(export) => (
                "export",
                export,
                names::check_export_name(export),
                "name an export of another stack in the same account and region (`aws cloudformation list-exports` lists them)",
            ),
        };
        if let Some(reason) = reason {
            let at = if kind == "export" { "import" } else { "ssm" };
            self.error(
                path.key(at),
                ErrorKind::InvalidName {
                    kind,
                    name: name.clone(),
                    reason,
                    rule: rule.into(),
                },
            );
        }
    }

    /// A credential read from a secret the stack creates: the secret must get its value in
    /// the same deploy, with this JSON key. CloudFormation creates the profile minutes after
    /// the secret in the same operation, so an empty secret cannot be filled in between
    /// (AWS::SecretsManager::Secret; DEPLOY-TIME.md rule 1).
    fn check_owned_secret_key(&mut self, credential_path: &Path, secret: &SecretRef, key: &str) {
        let Some(owned) = self.owned_secret_with_value(credential_path.key("secret"), secret, key) else {
            return;
        };
        if !key.is_empty() && !owned.values.contains_key(key) {
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

    /// The secret the stack creates under this name, if it creates it and gives it a
    /// value; a created secret without one is an error at `path` (reading `key`): it
    /// would be created empty (DEPLOY-TIME.md rule 1).
    fn owned_secret_with_value(&mut self, path: Path, secret: &SecretRef, key: &str) -> Option<&'a Secret> {
        let owned = self.owned_secret(secret)?;
        if owned.values.is_empty() {
            self.error(
                path,
                ErrorKind::OwnedSecretWithoutValue {
                    secret: secret.name().into(),
                    key: key.into(),
                },
            );
            return None;
        }
        Some(owned)
    }

    /// The secret the stack creates under this name, if it creates it.
    fn owned_secret(&self, secret: &SecretRef) -> Option<&'a Secret> {
        let stack: &'a Stack = self.stack;
        stack
            .secrets
            .iter()
            .find(|s| s.name == secret.name() && s.origin == Origin::Owned)
    }

    /// A secret AppFlow reads itself, by ARN (such as a connected app's client
    /// credentials): declared, and imported by full ARN if imported.
    fn check_secret_read_by_arn(&mut self, path: Path, secret: &SecretRef, connector: ConnectorType) {
        if !self.check_reference(|| path.clone(), "secret", secret.name()) {
            return;
        }
        // The ARN becomes the profile's `ClientCredentialsArn`, whose schema pattern
        // (`arn:aws:secretsmanager:...`) names the `aws` partition alone, as `KMSArn`'s.
        let imported_arn = self.stack.secrets.iter().find_map(|s| match &s.origin {
            Origin::Imported(existing) if s.name == secret.name() && existing.starts_with("arn:") => Some(existing),
            _ => None,
        });
        if let Some(arn) = imported_arn.cloned()
            && let Some(facts) = constraints::credential_property(connector, "ClientCredentialsArn")
        {
            let import = root("secret").key(secret.name()).key("import");
            self.check_limits(|| import, &facts.limits(), &arn);
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
        let first = keys.first().copied().unwrap_or_default();
        let Some(owned) = self.owned_secret_with_value(path.clone(), secret, first) else {
            return;
        };
        let missing: Vec<&str> = keys
            .iter()
            .copied()
            .filter(|key| !owned.values.contains_key(*key))
            .collect();
        if !missing.is_empty() {
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
}

// `AWS::CustomerProfiles::Domain`'s limits, from its schema
// (`schema/cloudformation/aws-customerprofiles-domain.json`): flowform sets four of its
// properties and does not generate its types.
/// `AWS::CustomerProfiles::Domain`'s `DomainName` (its schema, `aws-customerprofiles-domain.json`).
const DOMAIN_NAME_LIMITS: Limits = Limits {
    property: "Domain.DomainName",
    pattern: Some("^[a-zA-Z0-9_-]+$"),
    min_length: Some(1),
    max_length: Some(64),
    minimum: None,
    maximum: None,
};

/// `AWS::CustomerProfiles::Domain`'s `DefaultExpirationDays`.
const EXPIRATION_DAYS_LIMITS: Limits = Limits {
    property: "Domain.DefaultExpirationDays",
    pattern: None,
    min_length: None,
    max_length: None,
    minimum: Some(1),
    maximum: Some(1098),
};

/// `AWS::CustomerProfiles::ObjectType`'s `TemplateId`, which flowform also names the
/// object type by (its `ObjectTypeName` pattern is looser).
const OBJECT_TYPE_TEMPLATE_LIMITS: Limits = Limits {
    property: "ObjectType.TemplateId",
    pattern: Some("^[a-zA-Z0-9_-]+$"),
    min_length: Some(1),
    max_length: Some(64),
    minimum: None,
    maximum: None,
};

/// `AWS::CustomerProfiles::Domain`'s `DeadLetterQueueUrl`.
const DEAD_LETTER_QUEUE_LIMITS: Limits = Limits {
    property: "Domain.DeadLetterQueueUrl",
    pattern: None,
    min_length: Some(0),
    max_length: Some(255),
    minimum: None,
    maximum: None,
};

#[cfg(test)]
mod tests {
    use super::super::testing::{errors, stack, stack_with, warnings};
    use crate::model::{
        Bucket, BucketRef, ErrorKind, Key, KeyRef, Mapping, OnDemandFlow, S3Destination, S3Source, Secret, WarningKind,
    };

    #[test]
    fn an_unknown_reference_names_the_closest_declared_one() {
        let (mut stack, lake) = stack();
        let typo = BucketRef::named("laek");
        stack.add_flow(
            OnDemandFlow::new("f", S3Source::new(&lake, "in/"), S3Destination::new(typo)).mapping(Mapping::map_all()),
        );
        stack.add_bucket(Bucket::owned("raw").encryption_key(KeyRef::named("lake")));
        let unknown = |kind, name: &str, suggestion: Option<&str>| ErrorKind::UnknownReference {
            kind,
            name: name.into(),
            suggestion: suggestion.map(Into::into),
        };
        assert_eq!(
            errors(stack),
            [
                // A bucket named like the key is no suggestion for a key: no keys are declared.
                ("bucket.raw.key".into(), unknown("key", "lake", None)),
                (
                    "flow.f.destination.s3.bucket".into(),
                    unknown("bucket", "laek", Some("lake"))
                ),
            ]
        );
    }

    #[test]
    fn bucket_names_and_imported_buckets() {
        let mut stack = stack_with(|flow| flow);
        stack.add_bucket(Bucket::owned("a").bucket_name("Acme_Exports"));
        stack.add_bucket(Bucket::imported("b", "arn:aws:s3:::acme/exports"));
        stack.add_bucket(Bucket::imported("c", "arn:aws:s3:::acme-c"));
        stack.add_bucket(Bucket::imported("d", "ac"));
        let found = errors(stack);
        let paths: Vec<&str> = found.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(paths, ["bucket.a.bucket-name", "bucket.b.import", "bucket.d.import"]);
        assert!(matches!(
            found[0].1,
            ErrorKind::InvalidCharacters {
                what: "bucket name",
                ..
            }
        ));
        assert!(matches!(found[1].1, ErrorKind::InvalidArn { what: "S3 bucket", .. }));
        assert!(matches!(
            found[2].1,
            ErrorKind::InvalidCharacters {
                what: "bucket name",
                ..
            }
        ));
    }

    #[test]
    fn bucket_names_follow_every_s3_naming_rule() {
        let mut stack = stack_with(|flow| flow);
        let names = [
            "my..bucket",
            "192.168.5.4",
            "xn--bucket",
            "sthree-bucket",
            "amzn-s3-demo-bucket",
            "bucket-s3alias",
            "bucket--ol-s3",
            "bucket.mrap",
            "bucket--x-s3",
        ];
        for (index, name) in names.iter().enumerate() {
            stack.add_bucket(Bucket::imported(format!("b{index}"), *name));
        }
        stack.add_bucket(Bucket::imported("fine", "my.bucket-2024"));
        stack.add_bucket(Bucket::imported("govcloud", "arn:aws-us-gov:s3:::my-bucket"));
        let found = errors(stack);
        assert_eq!(found.len(), names.len(), "{found:?}");
        for ((_, kind), name) in found.iter().zip(names) {
            assert!(
                matches!(kind, ErrorKind::InvalidName { kind: "bucket", name: n, .. } if n == name),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn an_imported_key_arn_meets_the_schemas_kms_arn_pattern() {
        let mut stack = stack_with(|flow| flow);
        stack.add_key(Key::imported(
            "gov",
            "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd",
        ));
        let found = errors(stack);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "key.gov.import");
        assert!(matches!(
            found[0].1,
            ErrorKind::SchemaConstraint {
                property: "Flow.KMSArn",
                ..
            }
        ));
    }

    #[test]
    fn imported_keys_are_ids_or_kms_key_arns() {
        let mut stack = stack_with(|flow| flow);
        stack.add_key(Key::imported("id", "1234abcd-12ab-34cd-56ef-1234567890ab"));
        stack.add_key(Key::imported("arn", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd"));
        stack.add_key(Key::imported(
            "alias",
            "arn:aws:kms:eu-west-1:123456789012:alias/exports",
        ));
        stack.add_key(Key::imported("spaced", "my key"));
        let found = errors(stack);
        let paths: Vec<&str> = found.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(paths, ["key.alias.import", "key.spaced.import"]);
        assert!(
            found
                .iter()
                .all(|(_, kind)| matches!(kind, ErrorKind::InvalidArn { what: "KMS key", .. }))
        );
    }

    #[test]
    fn an_imported_secret_arn_needs_its_suffix() {
        let arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/crm";
        let mut stack = stack_with(|flow| flow);
        stack.add_secret(Secret::imported("partial", arn));
        stack.add_secret(Secret::imported("full", format!("{arn}-AbCdEf")));
        stack.add_secret(Secret::imported("valued", "appflow/crm").value_from_parameter("token", "CrmToken"));
        assert_eq!(
            errors(stack),
            [
                (
                    "secret.partial.import".into(),
                    ErrorKind::PartialSecretArn { arn: arn.into() }
                ),
                ("secret.valued.value".into(), ErrorKind::ImportedSecretValue),
            ]
        );
    }

    #[test]
    fn an_imported_secret_named_like_an_arn_suffix_is_a_warning() {
        let mut stack = stack_with(|flow| flow);
        stack.add_secret(Secret::imported("crm", "appflow/crm-AbCdEf"));
        let suffix = WarningKind::SecretNameLikeArnSuffix {
            name: "appflow/crm-AbCdEf".into(),
        };
        // The names pass (which warns of unused items) runs before the secrets are checked.
        let unused = WarningKind::Unused {
            kind: "secret",
            name: "crm".into(),
        };
        assert_eq!(
            warnings(stack),
            [("secret.crm".into(), unused), ("secret.crm.import".into(), suffix)]
        );
    }

    #[test]
    fn owned_secret_names_values_and_parameters() {
        let mut stack = stack_with(|flow| flow);
        stack.add_secret(Secret::owned("s").secret_name("appflow/crm-AbCdEf"));
        stack.add_secret(Secret::owned("t").value_from_parameter("a:b", "Crm-Token"));
        let found = errors(stack);
        let paths: Vec<&str> = found.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "secret.s.secret-name",
                "secret.t.value.\"a:b\"",
                "secret.t.value.\"a:b\".parameter"
            ]
        );
        assert!(matches!(found[0].1, ErrorKind::InvalidName { kind: "secret", .. }));
        assert!(matches!(
            found[1].1,
            ErrorKind::InvalidCharacters {
                what: "secret JSON key",
                ..
            }
        ));
        assert!(matches!(found[2].1, ErrorKind::InvalidName { kind: "parameter", .. }));
    }
}
