//! Diagnostics about an input file: a code, a message, a label on the exact span and a
//! help line, carrying the file's text so any miette handler can show the place.
//!
//! TOML syntax errors, serde errors (unknown keys and values get "did you mean"), lowering
//! errors and model errors (whose [`crate::model::Path`] is turned back into a span) all
//! end up as one [`InputDiagnostic`] type, collected in an [`InputReport`].

use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasherDefault;
use std::ops::Range;
use std::sync::Arc;

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, Severity, SourceCode, SourceSpan, SpanContents,
};

use super::InputError;
use crate::model::{Label, Located, Path, suggest};

/// An input file's name and text, with an index of line starts so that showing a
/// diagnostic costs the size of its window, not of the file (miette's own `str` source
/// scans from the start for every diagnostic, which is quadratic for big files).
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// `text`, shown under `name`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// The file name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The span of the key of the `key = value` whose value starts at byte `value_start`:
    /// TOML puts only whitespace and `=` between them, so the key is found by reading
    /// backwards (the last part of a dotted key, quotes included). The raw types keep
    /// values' spans only, and a message about a key must point at the key.
    pub fn key_before(&self, value_start: usize) -> Option<Range<usize>> {
        let before = self.text.get(..value_start)?.trim_end_matches([' ', '\t']);
        let before = before.strip_suffix('=')?.trim_end_matches([' ', '\t']);
        let end = before.len();
        let start = match before.chars().last()? {
            quote @ ('"' | '\'') => before[..end - 1].rfind(quote)?,
            // After the last character a bare key cannot hold, however many bytes it has
            // (the key is wrong then, and its span must still lie on characters).
            _ => before
                .char_indices()
                .rev()
                .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .map_or(0, |(i, c)| i + c.len_utf8()),
        };
        (start < end).then_some(start..end)
    }

    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|start| *start <= offset)
            .saturating_sub(1)
    }
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        // A window of whole lines around the span, one line wider than asked on each side.
        let first_line = self.line_of(start).saturating_sub(context_lines_before + 1);
        let last_line = self.line_of(end) + context_lines_after + 2;
        let from = self.line_starts[first_line];
        let to = self.line_starts.get(last_line).copied().unwrap_or(self.text.len());
        let window = &self.text.as_bytes()[from..to];
        let local = window.read_span(
            &SourceSpan::new((start - from).into(), span.len()),
            context_lines_before,
            context_lines_after,
        )?;
        let data = local.data();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::new((local.span().offset() + from).into(), data.len()),
            local.line() + first_line,
            local.column(),
            local.line_count() + first_line,
        )))
    }
}

/// The last column a diagnostic may point at and still be drawn under its line (see
/// [`InputDiagnostic::fits_graphical_rendering`]); far below miette's 65,535, and past
/// where a drawing helps anyone.
pub const MAX_RENDERED_COLUMN: usize = 4096;

/// One diagnostic about an input file.
#[derive(Debug, Clone)]
pub struct InputDiagnostic {
    /// The stable code, `flowform::<area>::<name>`.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
    /// Where in the file, if known.
    pub span: Option<Range<usize>>,
    /// What is wrong *there*.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// A second place the problem involves, with its label (the first of two that clash).
    pub also: Option<(Range<usize>, String)>,
    source: Arc<SourceFile>,
}

impl InputDiagnostic {
    /// `kind` about `source`, at `span` (with the kind's label) when it is known: the
    /// one way any kind, of the file, the model or a connector, becomes a diagnostic.
    pub fn new<K: Diagnostic + Label>(source: &Arc<SourceFile>, kind: &K, span: Option<Range<usize>>) -> Self {
        let code = kind.code().map_or_else(|| INVALID.to_owned(), |code| code.to_string());
        InputDiagnostic {
            code,
            message: kind.to_string(),
            severity: kind.severity().unwrap_or(Severity::Error),
            label: span.as_ref().map(|_| kind.label().into_owned()),
            span,
            help: kind.help().map(|help| help.to_string()),
            also: None,
            source: Arc::clone(source),
        }
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Whether it is a warning (what `--deny-warnings` fails on), not an error or a note.
    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// The file name.
    pub fn file(&self) -> &str {
        self.source.name()
    }

    /// 1-based line and column of the start of the span.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        let span = self.span.as_ref()?;
        let source = &self.source;
        let start = span.start.min(source.text.len());
        let line = source.line_of(start);
        let column = source.text.get(source.line_starts[line]..start)?.chars().count();
        Some((line + 1, column + 1))
    }

    /// Whether a graphical renderer can show it: each place it points at ends within the
    /// first [`MAX_RENDERED_COLUMN`] characters of its line. miette pads its labels with
    /// `format!` widths, which panic past 65,535 (a minified or generated file); such a
    /// diagnostic is shown on one line instead ([`InputDiagnostic::one_line`]).
    pub fn fits_graphical_rendering(&self) -> bool {
        let places = self.span.iter().chain(self.also.iter().map(|(span, _)| span));
        places.into_iter().all(|span| {
            let end = span.end.min(self.source.text.len());
            let line_start = self.source.line_starts[self.source.line_of(end)];
            self.source
                .text
                .get(line_start..end)
                .is_some_and(|before| before.chars().count() <= MAX_RENDERED_COLUMN)
        })
    }

    /// `file:line:column: message` (for `cargo::error=` lines and plain logs).
    pub fn one_line(&self) -> String {
        let location = match self.line_column() {
            Some((line, column)) => format!("{}:{line}:{column}", self.file()),
            None => self.file().to_owned(),
        };
        let help = self
            .help
            .as_ref()
            .map(|h| format!(" (help: {})", h.replace('\n', " ")))
            .unwrap_or_default();
        format!("{location}: {} [{}]{help}", self.message, self.code)
    }
}

impl fmt::Display for InputDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputDiagnostic {}

impl Diagnostic for InputDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        let label = LabeledSpan::new_with_span(self.label.clone(), span);
        let also = self
            .also
            .clone()
            .map(|(span, label)| LabeledSpan::new_with_span(Some(label), span));
        Some(Box::new(std::iter::once(label).chain(also)))
    }
}

/// Every diagnostic of one or more input files.
#[derive(Debug, Clone, Default)]
pub struct InputReport {
    /// Errors and warnings, errors first within each file, in file order.
    pub diagnostics: Vec<InputDiagnostic>,
}

impl InputReport {
    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &InputDiagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &InputDiagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }

    /// Whether there is any error.
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
}

impl fmt::Display for InputReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self.errors().count();
        let warnings = self.warnings().count();
        write!(
            f,
            "{errors} error{}, {warnings} warning{}",
            plural(errors),
            plural(warnings)
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl std::error::Error for InputReport {}

impl Diagnostic for InputReport {
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.diagnostics.iter().map(|d| d as &dyn Diagnostic)))
    }
}

/// Where each model path came from in the file: filled while lowering, read when a model
/// error needs a span. Keys are 64-bit hashes of the paths, so recording a span stores no
/// path (tens of thousands are recorded for a big file, and few are ever read).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpanMap {
    spans: HashMap<u64, Range<usize>, BuildHasherDefault<IdentityHasher>>,
}

/// Passes a precomputed hash through.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 << 8) | u64::from(*byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn path_hash(path: &Path) -> u64 {
    use std::hash::BuildHasher;
    crate::hash::FastState::default().hash_one(path)
}

impl SpanMap {
    /// An empty map with room for `capacity` spans.
    pub fn with_capacity(capacity: usize) -> Self {
        SpanMap {
            spans: HashMap::with_capacity_and_hasher(capacity, BuildHasherDefault::default()),
        }
    }

    /// Adds every span of `other`.
    pub fn extend(&mut self, other: SpanMap) {
        self.spans.extend(other.spans);
    }

    /// Records that `path` was written at `span`.
    pub fn insert(&mut self, path: &Path, span: Range<usize>) {
        self.spans.insert(path_hash(path), span);
    }

    /// Whether `path` itself (not an ancestor) has a recorded span.
    pub fn contains(&self, path: &Path) -> bool {
        self.spans.contains_key(&path_hash(path))
    }

    /// The span of `path`, or of its nearest recorded ancestor.
    pub fn find(&self, path: &Path) -> Option<Range<usize>> {
        let mut current = path.clone();
        loop {
            if let Some(span) = self.spans.get(&path_hash(&current)) {
                return Some(span.clone());
            }
            if current.segments().is_empty() {
                return None;
            }
            current = current.parent();
        }
    }
}

/// The code of a kind that has none (every kind of flowform's has one).
const INVALID: &str = "flowform::model::invalid";

/// A model diagnostic, placed at the span its path came from (and, for two things that
/// clash, also at the first one's).
pub fn from_model<K: Diagnostic + Label>(
    source: &Arc<SourceFile>,
    spans: &SpanMap,
    located: &Located<K>,
) -> InputDiagnostic {
    let mut diagnostic = InputDiagnostic::new(source, &located.kind, spans.find(&located.path));
    if let Some(span) = located.also.as_ref().and_then(|other| spans.find(other)) {
        diagnostic.also = Some((span, "first here".into()));
    }
    diagnostic
}

/// A TOML parse or deserialization error, with "did you mean" for unknown keys and values.
pub fn from_toml(source: &Arc<SourceFile>, error: &toml::de::Error, fallback: Range<usize>) -> InputDiagnostic {
    let message = error.message().trim().to_owned();
    let span = error.span().unwrap_or(fallback);
    let first_line = message.lines().next().unwrap_or_default().to_owned();
    let kind = if let Some(rest) = first_line.strip_prefix("unknown field ") {
        let (name, expected) = split_expected(rest);
        let help = did_you_mean(&name, &expected, "keys");
        InputError::UnknownKey { name, help }
    } else if let Some(rest) = first_line.strip_prefix("unknown variant ") {
        let (value, expected) = split_expected(rest);
        let help = did_you_mean(&value, &expected, "values");
        InputError::UnknownValue { value, help }
    } else if let Some(rest) = first_line.strip_prefix("missing field ") {
        let name = rest.trim_matches('`').to_owned();
        InputError::MissingKey { name }
    } else if first_line.starts_with("invalid type") {
        let message = humanize(&first_line.replace("invalid type: ", "wrong type: "));
        InputError::WrongType { message }
    } else if first_line.starts_with("a value is ") || first_line.starts_with("a credential is ") {
        // A reference table of the wrong shape (`raw::TomlText`, `raw::TomlCredential`).
        InputError::WrongType { message: first_line }
    } else if first_line == "duplicate key" {
        InputError::DuplicateKey
    } else {
        InputError::Syntax { message: first_line }
    };
    InputDiagnostic::new(source, &kind, Some(span))
}

/// serde's wording in user terms: TOML arrays and tables, never Rust type names.
fn humanize(message: &str) -> String {
    let mut text = message
        .replace("sequence", "an array")
        .replace(", expected map", ", expected a table")
        .replace("floating point", "number")
        .replace("integer `", "number `");
    // serde names Rust's integer and float types; the file has whole numbers and numbers.
    for rust in ["i64", "u64", "i32", "u32", "u8", "usize"] {
        text = text.replace(&format!("expected {rust}"), "expected a whole number");
    }
    text = text.replace("expected f64", "expected a number");
    for prefix in ["struct Toml", "enum Toml"] {
        while let Some(start) = text.find(prefix) {
            let end = text[start + prefix.len()..]
                .find(|c: char| !c.is_ascii_alphanumeric())
                .map_or(text.len(), |i| start + prefix.len() + i);
            let replacement = if prefix.starts_with("struct") {
                "a table"
            } else {
                "one of the documented values"
            };
            text.replace_range(start..end, replacement);
        }
    }
    text
}

/// Splits "`name`, expected one of `a`, `b`" into the name and the expected list.
fn split_expected(rest: &str) -> (String, Vec<String>) {
    let (name, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
    let name = name.trim().trim_matches('`').to_owned();
    let expected = expected
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_owned())
        .collect();
    (name, expected)
}

fn did_you_mean(name: &str, expected: &[String], what: &str) -> String {
    let list = expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ");
    match suggest(name, expected.iter().map(String::as_str)) {
        Some(close) => format!("did you mean `{close}`? valid {what} here: {list}"),
        None if expected.is_empty() => format!("no {what} are allowed here"),
        None => format!("valid {what} here: {list}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_of_a_value_is_found_back_from_the_value() {
        let text =
            "tags = { team = \"data\", \"aws:x\" = \"y\", 'lit' =\t\"z\" }\nvalue.clientId = { parameter = \"P\" }\n";
        let source = SourceFile::new("t.toml", text);
        let key_of = |value: &str| {
            let start = text.find(value).unwrap();
            source.key_before(start).map(|span| &text[span])
        };
        assert_eq!(key_of("\"data\""), Some("team"));
        assert_eq!(key_of("\"y\""), Some("\"aws:x\""));
        assert_eq!(key_of("\"z\""), Some("'lit'"));
        assert_eq!(key_of("{ parameter"), Some("clientId"), "the last part of a dotted key");
        assert_eq!(source.key_before(0), None);
        // A character a bare key cannot hold, of more than one byte: the span starts after
        // it, not inside it (the campaign found `value.éclientSecret` spanning from `é`'s
        // second byte).
        let text = "value.éclient = { parameter = \"P\" }\n";
        let source = SourceFile::new("t.toml", text);
        let span = source.key_before(text.find('{').unwrap()).unwrap();
        assert_eq!(&text[span], "client");
    }

    #[test]
    fn indexed_source_reads_the_same_spans_as_miette() {
        let text = "[stack]\nname = \"x\"\n\n[flow.a]\r\nsource = 1\nlast line without newline";
        let indexed = SourceFile::new("f.toml", text);
        for start in 0..text.len() {
            for len in [0, 1, 3, 12] {
                if start + len > text.len() {
                    continue;
                }
                for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                    let span = SourceSpan::new(start.into(), len);
                    let expected = text.read_span(&span, before, after).unwrap();
                    let actual = indexed.read_span(&span, before, after).unwrap();
                    let at = format!("span {start}+{len} context {before}/{after}");
                    assert_eq!(actual.data(), expected.data(), "{at}");
                    assert_eq!(actual.span(), expected.span(), "{at}");
                    assert_eq!(
                        (actual.line(), actual.column()),
                        (expected.line(), expected.column()),
                        "{at}"
                    );
                    assert_eq!(actual.name(), Some("f.toml"));
                }
            }
        }
        assert!(indexed.read_span(&SourceSpan::new(text.len().into(), 1), 0, 0).is_err());
    }
}
