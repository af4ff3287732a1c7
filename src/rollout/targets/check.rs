//! Reading a targets file: the TOML as written (spans kept), then every check of it, all
//! problems gathered before any is reported. Long because each setting has its rule and
//! its message; what depends on the templates is `Targets::check_values`.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use miette::NamedSource;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::{
    Amount, Engine, Permissions, Preferences, Role, StackSetSettings, Target, Targets, TargetsError, TargetsErrorKind,
};
use crate::deploy::values::{self, Entry, Outside, Stdin, ValuesError};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    rollout: Option<RawRollout>,
    #[serde(default)]
    values: BTreeMap<Spanned<String>, Spanned<Entry>>,
    #[serde(default)]
    target: BTreeMap<Spanned<String>, RawTarget>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum RawEngine {
    Direct,
    Stacksets,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum RawPermissionModel {
    SelfManaged,
    ServiceManaged,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum RawCallAs {
    #[serde(rename = "self")]
    Itself,
    DelegatedAdmin,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum RawRegionConcurrency {
    Sequential,
    Parallel,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum RawConcurrencyMode {
    StrictFailureTolerance,
    SoftFailureTolerance,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRollout {
    engine: Option<RawEngine>,
    role_name: Option<Spanned<String>>,
    concurrency: Option<Spanned<i64>>,
    permission_model: Option<Spanned<RawPermissionModel>>,
    administration_role: Option<Spanned<String>>,
    execution_role_name: Option<Spanned<String>>,
    auto_deployment: Option<Spanned<bool>>,
    retain_stacks_on_account_removal: Option<Spanned<bool>>,
    call_as: Option<Spanned<RawCallAs>>,
    managed_execution: Option<Spanned<bool>>,
    preferences: Option<Spanned<RawPreferences>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPreferences {
    max_concurrent: Option<Spanned<i64>>,
    max_concurrent_percentage: Option<Spanned<i64>>,
    failure_tolerance: Option<Spanned<i64>>,
    failure_tolerance_percentage: Option<Spanned<i64>>,
    #[serde(default)]
    region_order: Vec<Spanned<String>>,
    region_concurrency: Option<RawRegionConcurrency>,
    concurrency_mode: Option<RawConcurrencyMode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTarget {
    account: Option<Spanned<String>>,
    accounts: Option<Spanned<Vec<Spanned<String>>>>,
    organizational_units: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    regions: Vec<Spanned<String>>,
    role: Option<Spanned<String>>,
    role_name: Option<Spanned<String>>,
    external_id: Option<Spanned<String>>,
    stack: Option<Spanned<String>>,
    template_bucket: Option<Spanned<String>>,
    #[serde(default)]
    values: BTreeMap<Spanned<String>, Spanned<Entry>>,
}

/// Reads and checks the targets file at `path`.
pub fn read(path: &Path, outside: &impl Outside) -> Result<Targets, Vec<TargetsError>> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        vec![TargetsError {
            kind: TargetsErrorKind::Unreadable(format!("`{}`: {error}", path.display())),
            file: None,
            span: None,
        }]
    })?;
    parse(path, &text, outside)
}

/// [`read`] of the text of the targets file `path`.
pub fn parse(path: &Path, text: &str, outside: &impl Outside) -> Result<Targets, Vec<TargetsError>> {
    let mut checker = Checker {
        name: path.display().to_string(),
        text,
        errors: Vec::new(),
    };
    let raw: RawFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            checker.push(TargetsErrorKind::Invalid(error.message().to_string()), span);
            return Err(checker.errors);
        }
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let rollout = raw.rollout.unwrap_or_default();
    let engine = checker.engine(&rollout);
    if let (Engine::StackSets(_), Some(value)) = (&engine, &rollout.concurrency) {
        checker.push(
            TargetsErrorKind::Setting {
                setting: "concurrency",
                applies: "the direct engine (StackSets take `preferences.max-concurrent`)",
                engine: "StackSets",
            },
            value.span(),
        );
    }
    let concurrency = match &rollout.concurrency {
        None => 4,
        Some(value) if (1..=32).contains(value.get_ref()) => *value.get_ref() as usize,
        Some(value) => {
            checker.push(
                TargetsErrorKind::Range {
                    setting: "concurrency",
                    range: "from 1 to 32",
                },
                value.span(),
            );
            1
        }
    };
    if let Some(name) = &rollout.role_name {
        checker.role_name(name);
    }
    let shared = checker.values(raw.values, base, outside);
    if raw.target.is_empty() {
        checker.push(TargetsErrorKind::NoTargets, 0..0);
    }
    let mut targets = Vec::new();
    // `toml` hands a table's keys over sorted; the file's order is the spans'.
    let mut raw_targets: Vec<(Spanned<String>, RawTarget)> = raw.target.into_iter().collect();
    raw_targets.sort_by_key(|(name, _)| name.span().start);
    for (name, target) in raw_targets {
        targets.push(checker.target(name, target, &engine, &rollout, &shared, base, outside));
    }
    checker.duplicates(&targets, engine == Engine::Direct);
    if matches!(engine, Engine::StackSets(_)) {
        checker.region_order(&rollout, &targets);
    }
    // In the file's order, whatever order the checks ran in.
    checker
        .errors
        .sort_by_key(|error| error.span.as_ref().map_or(0, |span| span.start));
    if checker.errors.is_empty() {
        Ok(Targets {
            path: path.to_path_buf(),
            text: text.to_string(),
            engine,
            concurrency,
            targets,
        })
    } else {
        Err(checker.errors)
    }
}

/// Gathers every problem of one file.
struct Checker<'t> {
    name: String,
    text: &'t str,
    errors: Vec<TargetsError>,
}

/// `^[0-9]{12}$`.
pub(super) fn is_account(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// `^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$`.
pub(super) fn is_unit(text: &str) -> bool {
    let part = |text: &str, range: std::ops::RangeInclusive<usize>| {
        range.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if let Some(root) = text.strip_prefix("r-") {
        return part(root, 4..=32);
    }
    text.strip_prefix("ou-")
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(root, unit)| part(root, 4..=32) && part(unit, 8..=32))
}

/// A region name: `us-east-1`, `us-gov-west-1`, `eusc-de-east-1` (the API's own pattern,
/// `^[a-zA-Z0-9-]{1,128}$`, would let `us-east1` through to fail at deploy time).
pub(super) fn is_region(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() >= 3
        && (2..=4).contains(&parts[0].len())
        && parts[..parts.len() - 1]
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].len() <= 2
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// A role name with an optional path: `[\w+=,.@-]{1,64}`, after `path/` segments.
pub(super) fn is_role_name(text: &str) -> bool {
    let (path, name) = text.rsplit_once('/').unwrap_or(("", text));
    let valid = |part: &str| part.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    (1..=64).contains(&name.len()) && valid(name) && path.len() <= 510 && path.split('/').all(valid)
}

/// An S3 bucket name, by the rules the flow file's buckets are checked against.
pub(super) fn is_bucket(text: &str) -> bool {
    crate::model::validate::bucket_name_problem(text).is_none()
}

/// `[\w+=,.@:/-]*`, 2 to 1,224 characters (STS `AssumeRole`, `ExternalId`).
pub(super) fn is_external_id(text: &str) -> bool {
    (2..=1224).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c))
}

/// The account of a role ARN (`arn:<partition>:iam::<account>:role/<name>`).
pub(super) fn role_account(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix("iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let name = resource.strip_prefix("role/")?;
    (partition.starts_with("aws") && is_account(account) && is_role_name(name)).then_some(account)
}

impl Checker<'_> {
    fn push(&mut self, kind: TargetsErrorKind, span: Range<usize>) {
        self.errors.push(TargetsError {
            kind,
            file: Some(NamedSource::new(self.name.clone(), self.text.to_string())),
            span: Some(span),
        });
    }

    fn engine(&mut self, rollout: &RawRollout) -> Engine {
        let stacksets = rollout.engine == Some(RawEngine::Stacksets);
        if !stacksets {
            let settings: [(&'static str, Option<Range<usize>>); 8] = [
                ("permission-model", rollout.permission_model.as_ref().map(Spanned::span)),
                (
                    "administration-role",
                    rollout.administration_role.as_ref().map(Spanned::span),
                ),
                (
                    "execution-role-name",
                    rollout.execution_role_name.as_ref().map(Spanned::span),
                ),
                ("auto-deployment", rollout.auto_deployment.as_ref().map(Spanned::span)),
                (
                    "retain-stacks-on-account-removal",
                    rollout.retain_stacks_on_account_removal.as_ref().map(Spanned::span),
                ),
                ("call-as", rollout.call_as.as_ref().map(Spanned::span)),
                (
                    "managed-execution",
                    rollout.managed_execution.as_ref().map(Spanned::span),
                ),
                ("preferences", rollout.preferences.as_ref().map(Spanned::span)),
            ];
            for (setting, span) in settings {
                if let Some(span) = span {
                    self.push(
                        TargetsErrorKind::Setting {
                            setting,
                            applies: "StackSets",
                            engine: "direct",
                        },
                        span,
                    );
                }
            }
            return Engine::Direct;
        }
        if let Some(name) = &rollout.role_name {
            self.push(
                TargetsErrorKind::Setting {
                    setting: "role-name",
                    applies: "the direct engine (StackSets use `execution-role-name`)",
                    engine: "StackSets",
                },
                name.span(),
            );
        }
        let service_managed = rollout
            .permission_model
            .as_ref()
            .is_some_and(|model| *model.get_ref() == RawPermissionModel::ServiceManaged);
        let permissions = if service_managed {
            for (setting, span) in [
                (
                    "administration-role",
                    rollout.administration_role.as_ref().map(Spanned::span),
                ),
                (
                    "execution-role-name",
                    rollout.execution_role_name.as_ref().map(Spanned::span),
                ),
            ] {
                if let Some(span) = span {
                    self.push(
                        TargetsErrorKind::Setting {
                            setting,
                            applies: "self-managed StackSets",
                            engine: "service-managed StackSets",
                        },
                        span,
                    );
                }
            }
            Permissions::ServiceManaged {
                auto_deployment: rollout.auto_deployment.as_ref().is_none_or(|v| *v.get_ref()),
                retain_stacks_on_account_removal: rollout
                    .retain_stacks_on_account_removal
                    .as_ref()
                    .is_some_and(|v| *v.get_ref()),
                delegated_admin: rollout
                    .call_as
                    .as_ref()
                    .is_some_and(|v| *v.get_ref() == RawCallAs::DelegatedAdmin),
            }
        } else {
            for (setting, span) in [
                ("auto-deployment", rollout.auto_deployment.as_ref().map(Spanned::span)),
                (
                    "retain-stacks-on-account-removal",
                    rollout.retain_stacks_on_account_removal.as_ref().map(Spanned::span),
                ),
                ("call-as", rollout.call_as.as_ref().map(Spanned::span)),
            ] {
                if let Some(span) = span {
                    self.push(
                        TargetsErrorKind::Setting {
                            setting,
                            applies: "service-managed StackSets",
                            engine: "self-managed StackSets",
                        },
                        span,
                    );
                }
            }
            if let Some(role) = &rollout.administration_role
                && role_account(role.get_ref()).is_none()
            {
                self.push(TargetsErrorKind::RoleArn(role.get_ref().clone()), role.span());
            }
            if let Some(name) = &rollout.execution_role_name {
                self.role_name(name);
            }
            Permissions::SelfManaged {
                administration_role: rollout.administration_role.as_ref().map(|r| r.get_ref().clone()),
                execution_role_name: rollout.execution_role_name.as_ref().map(|r| r.get_ref().clone()),
            }
        };
        let preferences = match &rollout.preferences {
            Some(preferences) => self.preferences(preferences.get_ref()),
            None => Preferences::default(),
        };
        Engine::StackSets(StackSetSettings {
            permissions,
            managed_execution: rollout.managed_execution.as_ref().is_none_or(|v| *v.get_ref()),
            preferences,
        })
    }

    fn preferences(&mut self, raw: &RawPreferences) -> Preferences {
        let max_concurrent = self.amount("max-concurrent", &raw.max_concurrent, &raw.max_concurrent_percentage, 1);
        let failure_tolerance = self.amount(
            "failure-tolerance",
            &raw.failure_tolerance,
            &raw.failure_tolerance_percentage,
            0,
        );
        let soft = raw.concurrency_mode == Some(RawConcurrencyMode::SoftFailureTolerance);
        // "MaxConcurrentCount is at most one more than the FailureToleranceCount if you're
        // using STRICT_FAILURE_TOLERANCE" (CloudFormation API reference,
        // `StackSetOperationPreferences`); strict is the default mode.
        if let (Some(Amount::Count(most)), Some(count)) = (max_concurrent, &raw.max_concurrent)
            && !soft
        {
            let tolerated = match failure_tolerance {
                Some(Amount::Count(tolerated)) => tolerated,
                _ => 0,
            };
            if most > tolerated + 1 {
                self.push(TargetsErrorKind::StrictConcurrency { most, tolerated }, count.span());
            }
        }
        Preferences {
            max_concurrent,
            failure_tolerance,
            region_order: raw.region_order.iter().map(|r| r.get_ref().clone()).collect(),
            regions_in_parallel: raw.region_concurrency == Some(RawRegionConcurrency::Parallel),
            soft_failure_tolerance: soft,
        }
    }

    /// A count (at least `least`) or a percentage (0 to 100), not both. The API's
    /// minimums: `MaxConcurrentCount` 1, `FailureToleranceCount` 0 (CloudFormation API
    /// reference, `StackSetOperationPreferences`).
    fn amount(
        &mut self,
        setting: &'static str,
        count: &Option<Spanned<i64>>,
        percentage: &Option<Spanned<i64>>,
        least: i64,
    ) -> Option<Amount> {
        match (count, percentage) {
            (Some(_), Some(percentage)) => {
                self.push(TargetsErrorKind::CountAndPercentage(setting), percentage.span());
                None
            }
            (Some(count), None) if *count.get_ref() < least || *count.get_ref() > i64::from(u32::MAX) => {
                self.push(
                    TargetsErrorKind::Range {
                        setting,
                        range: if least == 1 { "at least 1" } else { "at least 0" },
                    },
                    count.span(),
                );
                None
            }
            (Some(count), None) => Some(Amount::Count(*count.get_ref() as u32)),
            (None, Some(percentage)) if !(least..=100).contains(percentage.get_ref()) => {
                self.push(
                    TargetsErrorKind::Range {
                        setting,
                        range: if least == 1 {
                            "a percentage from 1 to 100"
                        } else {
                            "a percentage from 0 to 100"
                        },
                    },
                    percentage.span(),
                );
                None
            }
            (None, Some(percentage)) => Some(Amount::Percentage(*percentage.get_ref() as u32)),
            (None, None) => None,
        }
    }

    fn role_name(&mut self, name: &Spanned<String>) {
        if !is_role_name(name.get_ref()) {
            self.push(TargetsErrorKind::RoleName(name.get_ref().clone()), name.span());
        }
    }

    fn values(
        &mut self,
        raw: BTreeMap<Spanned<String>, Spanned<Entry>>,
        base: &Path,
        outside: &impl Outside,
    ) -> BTreeMap<String, values::Value> {
        let named = || NamedSource::new(self.name.clone(), self.text.to_string());
        let mut stdin = Stdin::Refused("a targets file reads its values from `env` or `file`");
        let mut found = BTreeMap::new();
        let mut failed = Vec::new();
        for (key, entry) in raw {
            let span = key.span();
            let key = key.into_inner();
            match values::resolve(&key, entry, base, outside, &named, &mut stdin) {
                Ok((value, literal)) => {
                    found.insert(key, values::Value { value, literal, span });
                }
                Err(error) => failed.push(*error),
            }
        }
        for error in failed {
            let span = value_error_span(&error);
            self.push(TargetsErrorKind::Value(error.to_string()), span);
        }
        found
    }

    #[allow(clippy::too_many_arguments)]
    fn target(
        &mut self,
        name: Spanned<String>,
        raw: RawTarget,
        engine: &Engine,
        rollout: &RawRollout,
        shared: &BTreeMap<String, values::Value>,
        base: &Path,
        outside: &impl Outside,
    ) -> Target {
        let span = name.span();
        let name = name.into_inner();
        let mut accounts = Vec::new();
        let mut units = Vec::new();
        let given = [
            raw.account.is_some(),
            raw.accounts.is_some(),
            raw.organizational_units.is_some(),
        ];
        if given.iter().filter(|given| **given).count() != 1 {
            self.push(TargetsErrorKind::Where(name.clone()), span.clone());
        }
        if let Some(account) = &raw.account {
            accounts.push(account.clone());
        }
        if let Some(list) = &raw.accounts {
            if list.get_ref().is_empty() {
                self.push(TargetsErrorKind::Where(name.clone()), list.span());
            }
            accounts.extend(list.get_ref().iter().cloned());
        }
        for account in &accounts {
            if !is_account(account.get_ref()) {
                self.push(TargetsErrorKind::Account(account.get_ref().clone()), account.span());
            }
        }
        if let Some(list) = &raw.organizational_units {
            if list.get_ref().is_empty() {
                self.push(TargetsErrorKind::Where(name.clone()), list.span());
            }
            for unit in list.get_ref() {
                if !is_unit(unit.get_ref()) {
                    self.push(TargetsErrorKind::Unit(unit.get_ref().clone()), unit.span());
                }
                units.push(unit.get_ref().clone());
            }
        }
        let service_managed = matches!(
            engine,
            Engine::StackSets(StackSetSettings {
                permissions: Permissions::ServiceManaged { .. },
                ..
            })
        );
        if service_managed && !accounts.is_empty() {
            self.push(
                TargetsErrorKind::WrongKind {
                    target: name.clone(),
                    reason: "service-managed StackSets deploy to organizational units, not accounts",
                },
                span.clone(),
            );
        } else if !service_managed && raw.organizational_units.is_some() {
            self.push(
                TargetsErrorKind::WrongKind {
                    target: name.clone(),
                    reason: "organizational units are targets of service-managed StackSets only",
                },
                span.clone(),
            );
        }
        if raw.regions.is_empty() {
            self.push(TargetsErrorKind::NoRegions(name.clone()), span.clone());
        }
        let mut regions: Vec<String> = Vec::new();
        for region in &raw.regions {
            if !is_region(region.get_ref()) {
                self.push(TargetsErrorKind::Region(region.get_ref().clone()), region.span());
            } else if regions.contains(region.get_ref()) {
                self.push(
                    TargetsErrorKind::RepeatedRegion {
                        target: name.clone(),
                        region: region.get_ref().clone(),
                    },
                    region.span(),
                );
            }
            regions.push(region.get_ref().clone());
        }
        let role = self.target_role(&name, &raw, engine, rollout, &accounts);
        if let Some(id) = &raw.external_id
            && !is_external_id(id.get_ref())
        {
            self.push(TargetsErrorKind::ExternalId(id.get_ref().clone()), id.span());
        }
        if let Some(stack) = &raw.stack {
            if matches!(engine, Engine::StackSets(_)) {
                self.push(
                    TargetsErrorKind::Setting {
                        setting: "stack",
                        applies: "the direct engine (a stack set has one name in every account)",
                        engine: "StackSets",
                    },
                    stack.span(),
                );
            } else if crate::deploy::command::check_stack_name(stack.get_ref()).is_err() {
                self.push(TargetsErrorKind::Stack(stack.get_ref().clone()), stack.span());
            }
        }
        if let Some(bucket) = &raw.template_bucket {
            if matches!(engine, Engine::StackSets(_)) {
                self.push(
                    TargetsErrorKind::Setting {
                        setting: "template-bucket",
                        applies: "the direct engine (StackSets read templates from the caller's `--template-bucket`)",
                        engine: "StackSets",
                    },
                    bucket.span(),
                );
            } else if !is_bucket(bucket.get_ref()) {
                self.push(TargetsErrorKind::Bucket(bucket.get_ref().clone()), bucket.span());
            }
        }
        let mut values = shared.clone();
        values.extend(self.values(raw.values, base, outside));
        Target {
            name,
            accounts: accounts.into_iter().map(Spanned::into_inner).collect(),
            organizational_units: units,
            regions,
            role,
            external_id: raw.external_id.map(Spanned::into_inner),
            stack: raw.stack.map(Spanned::into_inner),
            template_bucket: raw.template_bucket.map(Spanned::into_inner),
            values,
            span,
        }
    }

    fn target_role(
        &mut self,
        name: &str,
        raw: &RawTarget,
        engine: &Engine,
        rollout: &RawRollout,
        accounts: &[Spanned<String>],
    ) -> Option<Role> {
        if matches!(engine, Engine::StackSets(_)) {
            for (setting, span) in [
                ("role", raw.role.as_ref().map(Spanned::span)),
                ("role-name", raw.role_name.as_ref().map(Spanned::span)),
                ("external-id", raw.external_id.as_ref().map(Spanned::span)),
            ] {
                if let Some(span) = span {
                    self.push(
                        TargetsErrorKind::Setting {
                            setting,
                            applies: "the direct engine (StackSets assume their execution role)",
                            engine: "StackSets",
                        },
                        span,
                    );
                }
            }
            return None;
        }
        if let Some(role) = &raw.role {
            if raw.role_name.is_some() {
                self.push(TargetsErrorKind::RoleTwice(name.to_string()), role.span());
            }
            match role_account(role.get_ref()) {
                None => self.push(TargetsErrorKind::RoleArn(role.get_ref().clone()), role.span()),
                Some(_) if accounts.len() > 1 => {
                    self.push(TargetsErrorKind::RoleForAccounts(name.to_string()), role.span())
                }
                Some(role_account) => {
                    if let Some(account) = accounts.first()
                        && account.get_ref() != role_account
                    {
                        self.push(
                            TargetsErrorKind::RoleAccount {
                                target: name.to_string(),
                                role: role.get_ref().clone(),
                                role_account: role_account.to_string(),
                                account: account.get_ref().clone(),
                            },
                            role.span(),
                        );
                    }
                }
            }
            return Some(Role::Arn(role.get_ref().clone()));
        }
        let Some(role_name) = raw.role_name.as_ref().or(rollout.role_name.as_ref()) else {
            if let Some(id) = &raw.external_id {
                self.push(TargetsErrorKind::ExternalIdWithoutRole(name.to_string()), id.span());
            }
            return None;
        };
        if raw.role_name.is_some() {
            self.role_name(role_name);
        }
        Some(Role::Name(role_name.get_ref().clone()))
    }

    /// Two deployments of the same stack name to one account (or unit) and region, an
    /// account listed twice in one target, and targets sharing one role of an account
    /// where some give an external ID and some not (the role's trust policy asks every
    /// caller for one, or none).
    fn duplicates(&mut self, targets: &[Target], partition_free_roles: bool) {
        let mut seen: BTreeMap<(&str, &str, Option<&str>), &str> = BTreeMap::new();
        let mut found = Vec::new();
        for target in targets {
            let mut places: Vec<&str> = Vec::new();
            for place in target.accounts.iter().chain(&target.organizational_units) {
                if places.contains(&place.as_str()) {
                    found.push((
                        TargetsErrorKind::RepeatedAccount {
                            target: target.name.clone(),
                            account: place.clone(),
                        },
                        target.span.clone(),
                    ));
                    continue;
                }
                places.push(place);
                for region in &target.regions {
                    let key = (place.as_str(), region.as_str(), target.stack.as_deref());
                    match seen.get(&key) {
                        // The same target twice: a repeated region, reported as such.
                        Some(first) if *first == target.name => {}
                        Some(first) => found.push((
                            TargetsErrorKind::Duplicate {
                                first: first.to_string(),
                                second: target.name.clone(),
                                stack: target.stack.clone().unwrap_or_else(|| "of the flow file".to_string()),
                                account: place.clone(),
                                region: region.clone(),
                            },
                            target.span.clone(),
                        )),
                        None => {
                            seen.insert(key, &target.name);
                        }
                    }
                }
            }
        }
        if partition_free_roles {
            // Role ARNs compared without their partition: the same in any.
            let mut by_role: BTreeMap<(String, String), Vec<&Target>> = BTreeMap::new();
            for target in targets {
                if let Some(role) = &target.role {
                    for account in &target.accounts {
                        by_role
                            .entry((account.clone(), role.arn("aws", account)))
                            .or_default()
                            .push(target);
                    }
                }
            }
            for ((_, role), sharing) in by_role {
                let with = sharing.iter().filter(|t| t.external_id.is_some()).count();
                if with > 0 && with < sharing.len() {
                    let without = sharing.iter().find(|t| t.external_id.is_none()).expect("one without");
                    found.push((
                        TargetsErrorKind::MixedExternalIds {
                            role,
                            target: without.name.clone(),
                        },
                        without.span.clone(),
                    ));
                }
            }
        }
        found.dedup_by(|a, b| a.0 == b.0);
        for (kind, span) in found {
            self.push(kind, span);
        }
    }

    fn region_order(&mut self, rollout: &RawRollout, targets: &[Target]) {
        let Some(preferences) = &rollout.preferences else {
            return;
        };
        let mut listed: Vec<&str> = Vec::new();
        for region in &preferences.get_ref().region_order {
            let used = targets.iter().any(|target| target.regions.contains(region.get_ref()));
            if listed.contains(&region.get_ref().as_str()) {
                self.push(
                    TargetsErrorKind::RegionOrderRepeated(region.get_ref().clone()),
                    region.span(),
                );
            } else if !used {
                self.push(TargetsErrorKind::RegionOrder(region.get_ref().clone()), region.span());
            }
            listed.push(region.get_ref());
        }
    }
}

/// The span a values error points at (every kind but `Unreadable` has one).
fn value_error_span(error: &ValuesError) -> Range<usize> {
    match error {
        ValuesError::Source { span, .. }
        | ValuesError::EnvUnset { span, .. }
        | ValuesError::FileUnreadable { span, .. }
        | ValuesError::Stdin { span, .. } => span.clone(),
        ValuesError::Invalid { span, .. } => span.map(|s| s.offset()..s.offset() + s.len()).unwrap_or(0..0),
        ValuesError::Unreadable { .. } => 0..0,
    }
}
