//! The errors only a TOML file can have: its syntax, its keys and values, and the shapes
//! of its tables, found while it is read and lowered.
//!
//! Like the model's kinds (`crate::model::ErrorKind`), each is a typed kind with a stable
//! code, a message, a help line and the [`Label`] its span gets; the lowering reports
//! them with `Lowerer::error(kind, span)`, and [`super::InputDiagnostic::new`] renders
//! any kind the same way. Errors a model built in Rust can have too live with the model,
//! and a connector's own ones in its module.

use std::borrow::Cow;

use miette::Diagnostic;
use thiserror::Error;

use crate::model::Label;

/// Everything that makes a TOML file unreadable as a flowform stack.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum InputError {
    /// The file is not TOML.
    #[error("{message}")]
    #[diagnostic(
        code(flowform::input::syntax),
        help("fix the TOML at this place (https://toml.io/en/v1.0.0)")
    )]
    Syntax {
        /// The TOML parser's description of what it found.
        message: String,
    },

    /// A key no table of the format has.
    #[error("unknown key `{name}`")]
    #[diagnostic(code(flowform::input::unknown_key), help("{help}"))]
    UnknownKey {
        /// The key.
        name: String,
        /// The closest allowed key, or the list of them.
        help: String,
    },

    /// A top-level table the format does not have.
    #[error("unknown key `{name}`")]
    #[diagnostic(code(flowform::input::unknown_key), help("{}", section_help(*suggestion)))]
    UnknownSection {
        /// The key.
        name: String,
        /// The closest section name, if one is close.
        suggestion: Option<&'static str>,
    },

    /// A value none of the allowed ones.
    #[error("unknown value `{value}`")]
    #[diagnostic(code(flowform::input::unknown_value), help("{help}"))]
    UnknownValue {
        /// The value.
        value: String,
        /// The closest allowed value, or the list of them.
        help: String,
    },

    /// A table lacks a key it needs.
    #[error("missing key `{name}`")]
    #[diagnostic(
        code(flowform::input::missing_key),
        help("add `{name} = ...` to this table (see the format reference in the README)")
    )]
    MissingKey {
        /// The key.
        name: String,
    },

    /// A profile that creates its connection has no instance URL.
    #[error("missing key `instance-url`")]
    #[diagnostic(
        code(flowform::input::missing_key),
        help("add `instance-url = \"{example}\"`, or `import` an existing profile")
    )]
    MissingInstanceUrl {
        /// What the connector's URLs look like.
        example: &'static str,
    },

    /// A value of the wrong TOML type.
    #[error("{message}")]
    #[diagnostic(
        code(flowform::input::wrong_type),
        help("see the format reference in the README for the type of this key")
    )]
    WrongType {
        /// serde's description, in TOML's terms.
        message: String,
    },

    /// A section that is not a table of named items.
    #[error("`{section}` must be a table of named {section}s")]
    #[diagnostic(code(flowform::input::wrong_type), help("write `[{section}.<name>]` sections"))]
    SectionNotTable {
        /// The section.
        section: &'static str,
    },

    /// A filter value that is an array inside the list, or a table.
    #[error("a filter value is a string, number, boolean or datetime")]
    #[diagnostic(
        code(flowform::input::wrong_type),
        help("give one value, or a flat list for `between`, `in` and `not-in`")
    )]
    NestedFilterValue,

    /// A key or table written twice.
    #[error("duplicate key")]
    #[diagnostic(
        code(flowform::input::duplicate_key),
        help("a key (or table) may appear once: rename one of them, or merge the two")
    )]
    DuplicateKey,

    /// A file without its `[stack]` table.
    #[error("missing `[stack]` table")]
    #[diagnostic(
        code(flowform::input::missing_stack),
        help("every file describes one stack: add `[stack]` with `name = \"...\"`")
    )]
    MissingStack,

    /// A string holding `{{resolve:...}}`, which CloudFormation would resolve.
    #[error("a value holds a CloudFormation dynamic reference (`{{{{resolve:...}}}}`)")]
    #[diagnostic(
        code(flowform::input::dynamic_reference),
        help(
            "remove it: CloudFormation resolves `{{{{resolve:...}}}}` in every string of a template; reference secrets as `{{ secret = \"<secret name>\", key = \"<JSON key>\" }}` or `{{ parameter = \"<Name>\" }}`"
        )
    )]
    DynamicReference,

    /// A count too big (or negative) to be one.
    #[error("{what} is {value}, outside the allowed range {min}..={max}")]
    #[diagnostic(code(flowform::model::out_of_range), help("use a value from {min} to {max}"))]
    CountOutOfRange {
        /// What the count is.
        what: &'static str,
        /// The number written.
        value: i64,
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },

    /// A count that must be positive but is not even a whole number that fits.
    #[error("{what} is {value}, but it must be a positive whole number")]
    #[diagnostic(code(flowform::model::out_of_range), help("{what} must be a whole number from 1"))]
    CountNotPositive {
        /// What the count is.
        what: &'static str,
        /// The number written.
        value: i64,
    },

    /// A datetime without a time zone offset.
    #[error("datetime `{datetime}` has no time zone offset")]
    #[diagnostic(
        code(flowform::input::datetime_offset),
        help("write a full offset datetime such as `2030-01-01T00:00:00Z` (or `+02:00`)")
    )]
    DatetimeWithoutOffset {
        /// The datetime as written.
        datetime: String,
    },

    /// A full offset datetime outside the times flowform computes with.
    #[error("datetime `{datetime}` is outside the times flowform can compute with")]
    #[diagnostic(
        code(flowform::input::datetime_out_of_range),
        help(
            "flowform's times run from -9999-01-02 to 9999-12-30T22:00:00Z (the jiff crate's range); for a schedule that never ends, leave `end` out"
        )
    )]
    DatetimeOutOfRange {
        /// The datetime as written.
        datetime: String,
    },

    /// A profile table with no connector table in it.
    #[error("profile `{profile}` names no connector")]
    #[diagnostic(code(flowform::input::missing_connector), help("{}", connector_help(profile, keys)))]
    MissingConnector {
        /// The profile.
        profile: String,
        /// The connector tables a profile may have.
        keys: &'static [&'static str],
    },

    /// An imported profile with settings only a created one has.
    #[error("imported profile `{profile}` cannot be configured here")]
    #[diagnostic(
        code(flowform::input::import_with_settings),
        help("an imported profile is used as it exists: keep only `import`, or remove it to create the profile")
    )]
    ImportWithSettings {
        /// The profile.
        profile: String,
    },

    /// A choice table (`source`, `trigger`, ...) naming none of its kinds.
    #[error("`{what}` names no kind")]
    #[diagnostic(code(flowform::input::missing_choice), help("set one of {options}"))]
    MissingChoice {
        /// The choice.
        what: String,
        /// Its kinds, each in backticks.
        options: String,
    },

    /// A choice table naming more than one of its kinds.
    #[error("`{what}` sets {chosen}")]
    #[diagnostic(code(flowform::input::conflicting_choice), help("keep exactly one of {options}"))]
    ConflictingChoice {
        /// The choice.
        what: String,
        /// The kinds set, each in backticks.
        chosen: String,
        /// Its kinds, each in backticks.
        options: String,
    },

    /// A mask given both a first and a last length.
    #[error("a mask hides the `first` or the `last` characters, not both")]
    #[diagnostic(
        code(flowform::input::conflicting_choice),
        help("keep `first = N` or `last = N` (or neither, to mask the whole value)")
    )]
    MaskBothEnds,

    /// A timestamp field on a complete pull.
    #[error("timestamp-field applies only to incremental pulls")]
    #[diagnostic(
        code(flowform::schedule::needs_incremental),
        help("add `pull = \"incremental\"`, or remove `timestamp-field`")
    )]
    TimestampFieldOnCompletePull,

    /// A credential written as plain text.
    #[error("a credential must not be written in the file")]
    #[diagnostic(
        code(flowform::input::plaintext_credential),
        help(
            "reference it instead: `{{ secret = \"<secret name>\", key = \"<JSON key>\" }}` or `{{ parameter = \"<NoEcho parameter>\" }}`"
        )
    )]
    PlaintextCredential,

    /// A created secret's value written as plain text.
    #[error("a secret's value must not be written in the file")]
    #[diagnostic(
        code(flowform::input::plaintext_credential),
        help("pass it as a NoEcho template parameter instead: `{{ parameter = \"<Name>\" }}`")
    )]
    PlaintextSecretValue,

    /// A created secret's value read from another secret.
    #[error("a secret's value cannot come from another secret")]
    #[diagnostic(
        code(flowform::secret::value_from_secret),
        help(
            "use a NoEcho template parameter: `{{ parameter = \"<Name>\" }}`, or import the other secret and use it directly"
        )
    )]
    SecretValueFromSecret,

    /// An `oauth` table with no grant in it.
    #[error("`oauth` holds no grant")]
    #[diagnostic(
        code(flowform::profile::missing_credentials),
        help(
            "add {grants}; each token is `{{ secret = \"<secret name>\", key = \"<JSON key>\" }}` or `{{ parameter = \"<NoEcho parameter>\" }}`"
        )
    )]
    NoGrant {
        /// The grants the connector has, as the keys that make each.
        grants: &'static str,
        /// The keys any grant starts with.
        keys: &'static str,
    },

    /// An `oauth` table with more than one grant in it.
    #[error("a profile authenticates one way: {ways}")]
    #[diagnostic(code(flowform::profile::conflicting_credentials), help("keep {grants}"))]
    ConflictingGrants {
        /// The grants, in words.
        ways: &'static str,
        /// The grants, as the keys that make each.
        grants: &'static str,
    },

    /// The file could not be read.
    #[error("cannot read `{name}`: {error}")]
    #[diagnostic(code(flowform::io::read), help("check the path and its permissions"))]
    Read {
        /// The file.
        name: String,
        /// Why.
        error: String,
    },

    /// A stage stopped without saying why: a bug in flowform, reported so that the run
    /// still fails loudly.
    #[error("flowform could not compile this file but found no error to report")]
    #[diagnostic(
        code(flowform::internal::unreported_failure),
        help("this is a bug in flowform: please report it with the file")
    )]
    UnreportedFailure,

    /// A refresh-token grant without the client that refreshes it.
    #[error("a refresh-token grant needs the connected app's client secret")]
    #[diagnostic(
        code(flowform::profile::missing_client_secret),
        help("add `client-secret = \"<secret name>\"`: a secret holding `clientId` and `clientSecret`")
    )]
    MissingClientSecret,

    /// A target file size without single-file aggregation, which alone uses it.
    #[error("`target-file-size-mb` needs `aggregation = \"single-file\"`")]
    #[diagnostic(
        code(flowform::input::target_size_without_single_file),
        help("add `aggregation = \"single-file\"`, or remove `target-file-size-mb`")
    )]
    TargetSizeWithoutSingleFile,

    /// An OAuth table without the access token CloudFormation needs.
    #[error("a {connector} OAuth profile needs an access token")]
    #[diagnostic(
        code(flowform::profile::missing_access_token),
        help(
            "add `oauth.access-token` (and `oauth.refresh-token`, so AppFlow can renew it): through CloudFormation \"you must fetch the access and refresh tokens\" (AWS::AppFlow::ConnectorProfile); or create the profile in the AppFlow console and `import` it"
        )
    )]
    MissingAccessToken {
        /// The connector, as its documentation names it.
        connector: &'static str,
    },
}

/// The help of [`InputError::UnknownSection`].
fn section_help(suggestion: Option<&str>) -> String {
    let sections = super::lower::SECTIONS
        .iter()
        .map(|s| format!("`[{s}]`"))
        .collect::<Vec<_>>()
        .join(", ");
    match suggestion {
        Some(close) => format!("did you mean `{close}`? a file has the tables {sections}"),
        None => format!("a file has the tables {sections}"),
    }
}

/// The help of [`InputError::MissingConnector`].
fn connector_help(profile: &str, keys: &[&str]) -> String {
    match keys {
        [only] => format!("write `[profile.{profile}.{only}]`"),
        _ => format!(
            "write `[profile.{profile}.<connector>]`, one of {}",
            keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ),
    }
}

impl Label for InputError {
    fn label(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            InputError::Syntax { .. } | InputError::Read { .. } | InputError::UnreportedFailure => "here",
            InputError::UnknownKey { .. } => "unknown key",
            InputError::UnknownSection { .. } => "unknown top-level key",
            InputError::UnknownValue { .. } => "not an allowed value",
            InputError::MissingKey { name } => return format!("this table needs `{name}`").into(),
            InputError::MissingInstanceUrl { .. } => "this profile needs `instance-url`",
            InputError::WrongType { .. } => "wrong type",
            InputError::SectionNotTable { .. } => "not a table",
            InputError::NestedFilterValue => "nested value",
            InputError::DuplicateKey => "defined again here",
            InputError::MissingStack => "the file starts here",
            InputError::DynamicReference => "CloudFormation would resolve this",
            InputError::CountOutOfRange { .. } | InputError::CountNotPositive { .. } => "out of range",
            InputError::DatetimeWithoutOffset { .. } => "needs a date, a time and an offset",
            InputError::DatetimeOutOfRange { .. } => "out of range",
            InputError::MissingConnector { .. } => "no connector table",
            InputError::ImportWithSettings { .. } => "has `import` and other settings",
            InputError::MissingChoice { .. } => "empty",
            InputError::ConflictingChoice { .. } => "more than one kind",
            InputError::MaskBothEnds => "second length",
            InputError::TimestampFieldOnCompletePull => "ignored by a complete pull",
            InputError::PlaintextCredential => "plaintext credential",
            InputError::PlaintextSecretValue => "plaintext secret value",
            InputError::SecretValueFromSecret => "a secret reference",
            InputError::NoGrant { keys, .. } => return format!("no {keys}").into(),
            InputError::ConflictingGrants { .. } => "more than one grant",
            InputError::MissingClientSecret => "no `client-secret`",
            InputError::MissingAccessToken { .. } => "no `access-token`",
            InputError::TargetSizeWithoutSingleFile => "only for single-file aggregation",
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::input::{InputDiagnostic, SourceFile};

    #[test]
    fn a_kind_gives_the_diagnostic_its_code_message_label_and_help() {
        let source = Arc::new(SourceFile::new("f.toml", "[stack]\nname = \"s\"\n"));
        let kind = InputError::MissingKey { name: "object".into() };
        let diagnostic = InputDiagnostic::new(&source, &kind, Some(8..12));
        assert_eq!(diagnostic.code, "flowform::input::missing_key");
        assert_eq!(diagnostic.message, "missing key `object`");
        assert_eq!(diagnostic.label.as_deref(), Some("this table needs `object`"));
        assert!(diagnostic.help.as_deref().unwrap().contains("add `object = ...`"));
        assert_eq!(diagnostic.line_column(), Some((2, 1)));
    }

    #[test]
    fn a_kind_without_a_place_has_no_label() {
        let source = Arc::new(SourceFile::new("f.toml", ""));
        let diagnostic = InputDiagnostic::new(&source, &InputError::UnreportedFailure, None);
        assert_eq!(diagnostic.span, None);
        assert_eq!(diagnostic.label, None);
        assert_eq!(diagnostic.code, "flowform::internal::unreported_failure");
    }

    #[test]
    fn unknown_sections_list_every_section_and_the_close_one() {
        let kind = InputError::UnknownSection {
            name: "flows".into(),
            suggestion: Some("flow"),
        };
        let help = kind.help().unwrap().to_string();
        assert!(help.starts_with("did you mean `flow`?"), "{help}");
        assert!(
            help.contains(
                "`[stack]`, `[key]`, `[secret]`, `[bucket]`, `[domain]`, `[topic]`, `[queue]`, `[function]`, `[bus]`, `[connector]`, `[profile]`, `[flow]`"
            ),
            "{help}"
        );
    }
}
