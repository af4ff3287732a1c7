//! The TOML front end: a file → the model, with every problem as a spanned diagnostic.
//!
//! - [`raw`]: the serde types that mirror the file format (and generate its JSON Schema).
//! - [`lower`](mod@lower): parse, deserialize each item, build the model and record where
//!   each model path came from. A file laid out as items is parsed item by item (`items`),
//!   each item with a light tree of `toml_parser` events (`light`) where it can;
//!   anything else, and every file with errors, with `toml::de::DeTable::parse_recoverable`.
//! - [`diagnostic`]: [`InputDiagnostic`] and [`InputReport`], rendered by any miette handler;
//!   [`InputError`]: the kinds of error only a file can have.
//!
//! [`compile_source`] runs the whole pipeline on one file's text; nothing here touches the
//! file system except [`synth_file`], which reads one file.

pub mod diagnostic;
mod error;
mod items;
mod light;
pub mod lower;
pub mod raw;

use std::sync::Arc;

pub use diagnostic::{InputDiagnostic, InputReport, SourceFile, SpanMap};
pub use error::InputError;

use crate::CompileOptions;
use crate::model::{ErrorKind, WarningKind};
pub use crate::split::StackTemplate;
use crate::split::{Lock, synthesize_split_as};

/// A compiled input file.
#[derive(Debug, Clone)]
pub struct Synthesized {
    /// The templates, one per stack, the main stack first (more than one when the file
    /// outgrows CloudFormation's quotas; see [`crate::split`]).
    pub templates: Vec<StackTemplate>,
    /// Where each flow lives: save it as the file's lock. It names the stacks the file
    /// declares, whatever name `CompileOptions::stack_name` deploys them under.
    pub lock: Lock,
    /// The stacks the lock placed flows in that hold none now (see [`crate::Split`]),
    /// named as deployed.
    pub emptied: Vec<String>,
    /// Warnings to show the user.
    pub warnings: Vec<InputDiagnostic>,
}

impl Synthesized {
    /// Writes every template into `directory` as `<stack>.template.<json|yaml>`, all or
    /// nothing (see [`crate::write_atomically`]), and returns the paths written.
    pub fn write(
        &self,
        directory: &std::path::Path,
        format: crate::Format,
    ) -> std::io::Result<Vec<std::path::PathBuf>> {
        let files: Vec<(std::path::PathBuf, String)> = self
            .templates
            .iter()
            .map(|t| {
                (
                    directory.join(t.file_name(format.extension())),
                    crate::emit(&t.template, format),
                )
            })
            .collect();
        crate::write_atomically(&files)?;
        Ok(files.into_iter().map(|(path, _)| path).collect())
    }
}

/// Compiles the TOML `text` of the file `name`: parse, lower, validate, grant permissions,
/// synthesize. On failure, every error of the file (and its warnings) is in the report.
/// Flows are placed in stacks as if no lock existed; see [`compile_source_locked`].
pub fn compile_source(name: &str, text: &str, options: &CompileOptions) -> Result<Synthesized, InputReport> {
    compile_source_locked(name, text, options, &Lock::default())
}

/// [`compile_source`], keeping every flow in the stack `lock` places it in.
pub fn compile_source_locked(
    name: &str,
    text: &str,
    options: &CompileOptions,
    lock: &Lock,
) -> Result<Synthesized, InputReport> {
    let source = Arc::new(SourceFile::new(name, text));
    // Spans inside items are recorded only when a diagnostic needs them (`spans_for`).
    let lowered = lower::lower(&source, text, false);
    let mut diagnostics = lowered.diagnostics;
    let Some(stack) = lowered.stack else {
        return Err(failure(&source, diagnostics));
    };
    let declared = stack.name().to_owned();
    match crate::validate_and_grant(stack, options) {
        Err(model) => {
            let errors: Vec<&crate::model::ModelError> = model
                .errors
                .iter()
                .filter(|error| match &error.kind {
                    ErrorKind::UnknownReference { kind, name, .. } => {
                        !lowered.unreadable.contains(&(*kind, name.clone()))
                    }
                    ErrorKind::MissingCredentials { profile, .. } => {
                        !lowered.unreadable.contains(&("credentials", profile.clone()))
                    }
                    // At `profile.<name>.<connector>`: a credential that could not be read
                    // (written in plain text) was reported where it stands.
                    ErrorKind::MissingCredential { .. } => match error.path.segments() {
                        [_, crate::model::Segment::Key(profile), ..] => {
                            !lowered.unreadable.contains(&("credentials", profile.to_string()))
                        }
                        _ => true,
                    },
                    ErrorKind::OwnedSecretWithoutValue { secret, .. }
                    | ErrorKind::UnknownSecretKey { secret, .. }
                    | ErrorKind::ClientSecretKeys { secret, .. } => {
                        !lowered.unreadable.contains(&("secret value", secret.clone()))
                    }
                    // Items that could not be read are missing from the model, which
                    // may be all that makes it empty.
                    ErrorKind::EmptyStack { .. } => diagnostics.is_empty(),
                    _ => true,
                })
                .collect();
            let warnings: Vec<&crate::model::ModelWarning> = model
                .warnings
                .iter()
                .filter(|warning| !echoes_an_error(true, warning))
                .collect();
            let paths = errors
                .iter()
                .flat_map(|e| std::iter::once(&e.path).chain(&e.also))
                .chain(warnings.iter().map(|w| &w.path));
            let spans = spans_for(&lowered.spans, &source, text, paths);
            for error in errors {
                diagnostics.push(diagnostic::from_model(&source, &spans, error));
            }
            for warning in warnings {
                diagnostics.push(diagnostic::from_model(&source, &spans, warning));
            }
            Err(failure(&source, diagnostics))
        }
        Ok((granted, mut warnings)) => {
            let lowering_failed = !diagnostics.is_empty();
            warnings.retain(|warning| !echoes_an_error(lowering_failed, warning));
            let spans = spans_for(&lowered.spans, &source, text, warnings.iter().map(|w| &w.path));
            for warning in &warnings {
                diagnostics.push(diagnostic::from_model(&source, &spans, warning));
            }
            let report = finish(diagnostics);
            if report.has_errors() {
                return Err(report);
            }
            match synthesize_split_as(&granted, &declared, lock) {
                Ok(split) => Ok(Synthesized {
                    templates: split.templates,
                    lock: split.lock,
                    emptied: split.emptied,
                    warnings: report.diagnostics,
                }),
                Err(errors) => {
                    let paths = errors.iter().flat_map(|e| std::iter::once(&e.path).chain(&e.also));
                    let spans = spans_for(&lowered.spans, &source, text, paths);
                    let mut diagnostics = report.diagnostics;
                    for error in &errors {
                        diagnostics.push(diagnostic::from_model(&source, &spans, error));
                    }
                    Err(failure(&source, diagnostics))
                }
            }
        }
    }
}

/// The span map to place diagnostics at `paths` with: the first pass's, which holds only
/// the spans of items, when it has every path; otherwise one from lowering the file again
/// with every span recorded (so a clean file never pays for recording them).
/// In a file with errors, "nothing uses it" is mostly the echo of one: the flow that
/// could not be read, or whose reference is misspelled, is what used it.
fn echoes_an_error(failed: bool, warning: &crate::model::ModelWarning) -> bool {
    failed
        && matches!(
            warning.kind,
            WarningKind::Unused { .. } | WarningKind::UnusedParameter { .. }
        )
}

fn spans_for<'a, 'p>(
    first: &'a SpanMap,
    source: &Arc<SourceFile>,
    text: &str,
    mut paths: impl Iterator<Item = &'p crate::model::Path>,
) -> std::borrow::Cow<'a, SpanMap> {
    if paths.all(|path| first.contains(path)) {
        std::borrow::Cow::Borrowed(first)
    } else {
        std::borrow::Cow::Owned(lower::lower(source, text, true).spans)
    }
}

/// Reads and compiles one TOML file (the build-script entry point).
pub fn synth_file(path: impl AsRef<std::path::Path>) -> Result<Synthesized, InputReport> {
    let path = path.as_ref();
    let name = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => compile_source(&name, &text, &CompileOptions::default()),
        Err(error) => {
            let source = Arc::new(SourceFile::new(name.clone(), String::new()));
            let error = InputError::Read {
                name: name.clone(),
                error: error.to_string(),
            };
            let diagnostic = InputDiagnostic::new(&source, &error, None);
            Err(InputReport {
                diagnostics: vec![diagnostic],
            })
        }
    }
}

/// The report of a failed compile: [`finish`]ed, and never without an error. A stage
/// that stops without reporting why is a bug in flowform; the user still gets an error
/// (and a failed run writes nothing) instead of a silent success that wrote nothing.
fn failure(source: &Arc<SourceFile>, diagnostics: Vec<InputDiagnostic>) -> InputReport {
    let mut report = finish(diagnostics);
    if !report.has_errors() {
        report
            .diagnostics
            .insert(0, InputDiagnostic::new(source, &InputError::UnreportedFailure, None));
    }
    report
}

/// The code of the error a failed run adds when no stage said what was wrong; tests
/// assert it never appears.
pub const UNREPORTED_FAILURE: &str = "flowform::internal::unreported_failure";

/// Orders diagnostics by place, errors before warnings at the same place, and drops
/// exact repeats (two checks of one value can say the same thing).
fn finish(mut diagnostics: Vec<InputDiagnostic>) -> InputReport {
    diagnostics.sort_by_key(|d| (d.span.as_ref().map_or(0, |s| s.start), !d.is_error()));
    diagnostics.dedup_by(|a, b| a.code == b.code && a.message == b.message && a.span == b.span);
    InputReport { diagnostics }
}

/// The JSON Schema of the TOML format, as pretty JSON with a trailing newline (the
/// contents of `schema/flowform.schema.json`).
#[cfg(feature = "schema")]
pub fn json_schema() -> String {
    let mut settings = schemars::generate::SchemaSettings::draft2020_12();
    settings.transforms.push(Box::new(without_null));
    let mut schema = settings.into_generator().into_root_schema_for::<raw::TomlFile>();
    schema.insert("title".into(), "flowform".into());
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Drops the `null` schemars allows for every `Option` field: a TOML key is either absent
/// or a value, never null, and editors (taplo) report each failed alternative of an
/// `anyOf`, so a wrong boolean came out as several messages.
#[cfg(feature = "schema")]
fn without_null(schema: &mut schemars::Schema) {
    if let Some(object) = schema.as_object_mut() {
        if let Some(serde_json::Value::Array(types)) = object.get_mut("type") {
            types.retain(|t| t != "null");
            if types.len() == 1 {
                let only = types.remove(0);
                object.insert("type".into(), only);
            }
        }
        let is_null = |v: &serde_json::Value| {
            v.get("type").is_some_and(|t| t == "null") && v.as_object().is_some_and(|o| o.len() == 1)
        };
        if let Some(serde_json::Value::Array(choices)) = object.get("anyOf")
            && choices.len() == 2
            && let Some(kept) = choices.iter().find(|v| !is_null(v)).cloned()
            && choices.iter().any(is_null)
        {
            object.remove("anyOf");
            if let serde_json::Value::Object(kept) = kept {
                for (key, value) in kept {
                    object.entry(key).or_insert(value);
                }
            }
        }
    }
    schemars::transform::transform_subschemas(&mut without_null, schema);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_without_an_error_still_reports_one() {
        let source = Arc::new(SourceFile::new("f.toml", "[stack]"));
        let warning = WarningKind::Unused {
            kind: "bucket",
            name: "b".into(),
        };
        let warning_only = vec![InputDiagnostic::new(&source, &warning, None)];
        let report = failure(&source, warning_only);
        assert!(report.has_errors());
        assert_eq!(report.diagnostics[0].code, UNREPORTED_FAILURE);
        assert_eq!(report.diagnostics.len(), 2);

        let error = vec![InputDiagnostic::new(&source, &InputError::MissingStack, Some(0..1))];
        let report = failure(&source, error);
        assert_eq!(report.diagnostics.len(), 1, "a real error needs no safety net");
        assert_eq!(report.diagnostics[0].code, "flowform::input::missing_stack");
    }
}
