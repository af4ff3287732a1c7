//! Lowering: a parsed TOML document → the model, collecting every error.
//!
//! Each top-level item (`[stack]`, every `[bucket.x]`, `[flow.y]`, ...) is deserialized on
//! its own, so a mistake in one flow never hides a mistake in another. While building the
//! model, every value's span is recorded under its model [`Path`] in a [`SpanMap`], so the
//! model's own validation errors can point back at the file.
//!
//! A clean file laid out as items is parsed item by item (see `input::items`): each
//! flow's lines are parsed, lowered and freed on a worker, so a big file never holds its
//! whole TOML tree. Every other file, and every file with an error, is parsed whole.
//!
//! Longer than most modules: the lowering of the shared sections (stack, keys, secrets,
//! buckets, flows and their tasks) is one pass over one document. Each connector's own
//! tables are lowered in its module (`crate::connectors`); the tests proving the
//! item-by-item path lowers exactly as the whole-file path does are in `lower/tests.rs`.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

mod monitoring;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{InputDiagnostic, SourceFile, SpanMap, from_toml};
use super::error::InputError;
use super::items::{self, ItemValue};
use super::raw::*;
use crate::model::{self, *};

/// The sections a file may have, in the order they are lowered.
pub const SECTIONS: [&str; 12] = [
    "stack",
    "key",
    "secret",
    "bucket",
    "domain",
    "topic",
    "queue",
    "function",
    "bus",
    "connector",
    "profile",
    "flow",
];

/// The result of lowering one file.
pub struct Lowered {
    /// The model, when the file was complete enough to build one.
    pub stack: Option<Stack>,
    /// Where each model path came from.
    pub spans: SpanMap,
    /// Errors found before model validation.
    pub diagnostics: Vec<InputDiagnostic>,
    /// `(kind, name)` of items that could not be read, and `("credentials", profile)` of
    /// profiles whose credentials were wrong: the model errors these cause (unknown
    /// reference, no credentials) would only repeat an error already reported.
    pub unreadable: BTreeSet<(&'static str, String)>,
}

/// Parses and lowers `text`. With `record_all`, the span of every value is recorded;
/// without, only those of items (`flow.<name>`, `bucket.<name>`, ...), which is faster
/// and enough unless a diagnostic points inside an item (then lower again with it).
pub fn lower(source: &Arc<SourceFile>, text: &str, record_all: bool) -> Lowered {
    if !record_all && let Some(lowered) = lower_by_item(source, text) {
        return lowered;
    }
    lower_whole_file(source, text, record_all)
}

/// [`lower`] from one parse of the whole file: the path for files not laid out as items,
/// for files with errors (it finds them all), and for recording every span.
fn lower_whole_file(source: &Arc<SourceFile>, text: &str, record_all: bool) -> Lowered {
    // About one recorded span per 8 bytes of input; reserving avoids rehashing.
    let mut lowerer = Lowerer::new(source, record_all, if record_all { text.len() / 8 } else { 64 });
    let stack = lowerer.lower_document(text);
    Lowered {
        stack,
        spans: lowerer.spans,
        diagnostics: lowerer.diagnostics,
        unreadable: lowerer.unreadable,
    }
}

/// The fast path of [`lower`]: each item is parsed from its own lines (see
/// [`super::items`]), flows on every core, each freed as soon as it is lowered. Gives
/// exactly what the whole-file path gives, or `None` when the file is not laid out as
/// items or has any error: the whole-file path then lowers it and reports every error.
fn lower_by_item(source: &Arc<SourceFile>, text: &str) -> Option<Lowered> {
    let texts = items::split(text)?;
    let mut lowerer = Lowerer::new(source, false, 64);
    let mut raw = Items::default();
    let mut flows = Vec::new();
    for item in texts {
        if item.section == "flow" {
            flows.push(item);
            continue;
        }
        let parsed = items::parse(text, &item)?;
        if item.section == "stack" {
            lowerer.read_stack(parsed.name_span, parsed.value, &mut raw);
        } else {
            lowerer.read_named(item.section, item.name, parsed.name_span, parsed.value, &mut raw);
        }
    }
    let mut lowered = lowerer.lower_flows(flows, |lowerer, item| match items::parse(text, &item) {
        Some(parsed) => lowerer.lower_flow_item(item.name, parsed.name_span, parsed.value),
        None => {
            lowerer.gave_up = true;
            None
        }
    });
    if lowerer.gave_up || !lowerer.diagnostics.is_empty() {
        return None;
    }
    // The whole-file parse reads each section's items in name order (its tables are
    // B-trees); the model keeps that order.
    lowered.sort_by(|a, b| a.name().cmp(b.name()));
    raw.flows = lowered;
    raw.keys.sort_by(|a, b| a.0.cmp(&b.0));
    raw.secrets.sort_by(|a, b| a.0.cmp(&b.0));
    raw.buckets.sort_by(|a, b| a.0.cmp(&b.0));
    raw.domains.sort_by(|a, b| a.0.cmp(&b.0));
    raw.topics.sort_by(|a, b| a.0.cmp(&b.0));
    raw.queues.sort_by(|a, b| a.0.cmp(&b.0));
    raw.functions.sort_by(|a, b| a.0.cmp(&b.0));
    raw.buses.sort_by(|a, b| a.0.cmp(&b.0));
    raw.connectors.sort_by(|a, b| a.0.cmp(&b.0));
    raw.profiles.sort_by(|a, b| a.0.cmp(&b.0));
    let (stack, stack_span) = raw.stack.take()?;
    let stack = lowerer.build(&stack, stack_span, raw);
    if !lowerer.diagnostics.is_empty() {
        return None;
    }
    Some(Lowered {
        stack,
        spans: lowerer.spans,
        diagnostics: lowerer.diagnostics,
        unreadable: lowerer.unreadable,
    })
}

/// The values a count allows, for its message when it does not even fit a `u32`.
#[derive(Clone, Copy)]
pub(crate) enum Allowed {
    /// `min..=max`, as validation checks it.
    Range(i64, i64),
    /// 1 and up (zero is refused by validation).
    Positive,
}

impl Allowed {
    /// `min..=max` from a pair, as [`model::limits::range`] gives the schema's.
    fn within((min, max): (i64, i64)) -> Self {
        Allowed::Range(min, max)
    }
}

pub(crate) struct Lowerer {
    source: Arc<SourceFile>,
    spans: SpanMap,
    diagnostics: Vec<InputDiagnostic>,
    unreadable: BTreeSet<(&'static str, String)>,
    stack_unreadable: bool,
    record_all: bool,
    /// Set by the item-by-item path when an item's lines do not parse to that item alone.
    gave_up: bool,
}

/// Finds every error of an item serde stopped at the first error of: deserializes a copy
/// again and again, each time without the key or value the last error was about.
/// Runs only for items that failed, on a second parse of the file (the fast path consumes
/// the parsed document).
fn remaining_errors<T: for<'de> Deserialize<'de>>(
    source: &Arc<SourceFile>,
    mut value: toml::Spanned<DeValue<'_>>,
) -> Vec<InputDiagnostic> {
    const MAX_ERRORS_PER_ITEM: usize = 32;
    let mut found = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    for attempt in 0..MAX_ERRORS_PER_ITEM {
        let Err(error) = T::deserialize(value.clone().into_deserializer()) else {
            break;
        };
        let missing = error
            .message()
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next());
        // A required key this loop removed is now missing: that only repeats its error.
        // So is a key missing because it was misspelled: the unknown key's "did you mean"
        // already names it.
        let echo = missing.is_some_and(|name| {
            removed.iter().any(|r| r == name) || suggest(name, removed.iter().map(String::as_str)).is_some()
        });
        // Either way, drop the table that misses it (its span is the error's) and look
        // further. The first error was reported when the item was first read.
        if attempt > 0 && !echo {
            found.push(from_toml(source, &error, value.span()));
        }
        match error.span().and_then(|span| remove_at(&mut value, &span)) {
            Some(key) => removed.push(key),
            None => break,
        }
    }
    found
}

/// Removes the entry whose key or value is exactly at `span`, returning its key.
fn remove_at(value: &mut toml::Spanned<DeValue<'_>>, span: &Range<usize>) -> Option<String> {
    match value.get_mut() {
        DeValue::Table(table) => {
            let hit = table
                .iter()
                .find(|(k, v)| k.span() == *span || v.span() == *span)
                .map(|(k, _)| k.get_ref().to_string());
            if let Some(key) = hit {
                table.remove(key.as_str());
                return Some(key);
            }
            // Tables made by dotted keys do not span their contents: search every child.
            table.iter_mut().find_map(|(_, v)| remove_at(v, span))
        }
        DeValue::Array(array) => {
            if let Some(index) = array.iter().position(|item| item.span() == *span) {
                let items = std::mem::replace(array, toml::de::DeArray::new());
                *array = items
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| *i != index)
                    .map(|(_, v)| v)
                    .collect();
                return Some(index.to_string());
            }
            array.iter_mut().find_map(|v| remove_at(v, span))
        }
        _ => None,
    }
}

/// Where the lowerer is in the model: the path of the value it reads, while its span is
/// worth recording. Without `record_all` only items' spans (paths two deep, such as
/// `flow.accounts`) are kept, so deeper paths are not built at all: a flow has dozens
/// of values, and building each one's path (an allocation and a copy of every segment)
/// cost more than reading the value.
#[derive(Debug, Clone)]
pub(crate) struct At {
    path: Option<Path>,
    record_all: bool,
}

impl At {
    fn root(kind: &str, record_all: bool) -> At {
        At {
            path: Some(Path::root().key(kind)),
            record_all,
        }
    }

    fn extended(&self, extend: impl FnOnce(&Path) -> Path) -> At {
        let path = self
            .path
            .as_ref()
            .filter(|path| self.record_all || path.segments().len() < 2)
            .map(extend);
        At {
            path,
            record_all: self.record_all,
        }
    }

    /// The path one key deeper.
    pub(crate) fn key(&self, key: impl AsRef<str>) -> At {
        self.extended(|path| path.key(key))
    }

    /// The path one index deeper.
    pub(crate) fn index(&self, index: usize) -> At {
        self.extended(|path| path.index(index))
    }
}

/// Raw items of every section, in file order.
#[derive(Default)]
struct Items {
    stack: Option<(TomlStack, Range<usize>)>,
    keys: Vec<(String, Range<usize>, TomlKey)>,
    secrets: Vec<(String, Range<usize>, TomlSecret)>,
    buckets: Vec<(String, Range<usize>, TomlBucket)>,
    domains: Vec<(String, Range<usize>, TomlDomain)>,
    topics: Vec<(String, Range<usize>, TomlTopic)>,
    queues: Vec<(String, Range<usize>, TomlQueue)>,
    functions: Vec<(String, Range<usize>, TomlFunction)>,
    buses: Vec<(String, Range<usize>, TomlBus)>,
    connectors: Vec<(String, Range<usize>, TomlConnector)>,
    profiles: Vec<(String, Range<usize>, TomlProfile)>,
    /// Flows are lowered as soon as they are read, so their raw form is freed at once
    /// (a big file has thousands; nothing else refers to them).
    flows: Vec<AnyFlow>,
}

impl Lowerer {
    fn new(source: &Arc<SourceFile>, record_all: bool, spans: usize) -> Self {
        Lowerer {
            source: Arc::clone(source),
            spans: SpanMap::with_capacity(spans),
            diagnostics: Vec::new(),
            unreadable: BTreeSet::new(),
            stack_unreadable: false,
            record_all,
            gave_up: false,
        }
    }

    /// Reports `kind` at `span`: a kind of the file's ([`InputError`]), of the model's or
    /// of a connector's.
    pub(crate) fn error<K: miette::Diagnostic + Label>(&mut self, kind: K, span: Range<usize>) {
        let diagnostic = InputDiagnostic::new(&self.source, &kind, Some(span));
        self.diagnostics.push(diagnostic);
    }

    /// Records that the value at `at` is at `span` in the file.
    pub(crate) fn record(&mut self, at: &At, span: Range<usize>) {
        if let Some(path) = &at.path {
            self.spans.insert(path, span);
        }
    }

    /// The root of `kind` items.
    fn root(&self, kind: &str) -> At {
        At::root(kind, self.record_all)
    }

    fn deserialize<T: for<'de> Deserialize<'de>>(&mut self, value: ItemValue<'_>) -> Option<T> {
        let value = match value {
            ItemValue::Toml(value) => value,
            // Only the item-by-item path reads light values, and it gives up on any error:
            // the whole-file parse then finds and reports it.
            ItemValue::Light(value) => {
                let read = T::deserialize(value).ok();
                self.gave_up |= read.is_none();
                return read;
            }
        };
        let span = value.span();
        match T::deserialize(value.into_deserializer()) {
            Ok(item) => Some(item),
            Err(error) => {
                let diagnostic = from_toml(&self.source, &error, span);
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    fn lower_document(&mut self, text: &str) -> Option<Stack> {
        let (document, errors) = DeTable::parse_recoverable(text);
        for error in &errors {
            let diagnostic = from_toml(&self.source, error, 0..0);
            self.diagnostics.push(diagnostic);
        }
        // Owned, so each item is deserialized without copying its tree.
        // The missing-stack error points at the first character, whole even when it is
        // not ASCII (a span inside a character is outside the text).
        let first_character = text.chars().next().map_or(0, char::len_utf8);
        let mut items = self.read_items(document.into_inner(), first_character);
        if errors.is_empty() {
            self.find_remaining_errors(text);
        }
        let (stack, stack_span) = items.stack.take()?;
        self.build(&stack, stack_span, items)
    }

    /// For every item that could not be read, the errors after its first.
    fn find_remaining_errors(&mut self, text: &str) {
        let unreadable: Vec<(&'static str, String)> = self.unreadable.iter().cloned().collect();
        if unreadable.is_empty() && !self.stack_unreadable {
            return;
        }
        let (document, _) = DeTable::parse_recoverable(text);
        let mut document = document.into_inner();
        if self.stack_unreadable
            && let Some(value) = document.remove("stack")
        {
            self.diagnostics
                .extend(remaining_errors::<TomlStack>(&self.source, value));
        }
        for (kind, name) in unreadable {
            let Some(DeValue::Table(section)) = document.get_mut(kind).map(|v| v.get_mut()) else {
                continue;
            };
            let Some(value) = section.remove(name.as_str()) else {
                continue;
            };
            let more = match kind {
                "key" => remaining_errors::<TomlKey>(&self.source, value),
                "secret" => remaining_errors::<TomlSecret>(&self.source, value),
                "bucket" => remaining_errors::<TomlBucket>(&self.source, value),
                "domain" => remaining_errors::<TomlDomain>(&self.source, value),
                "topic" => remaining_errors::<TomlTopic>(&self.source, value),
                "queue" => remaining_errors::<TomlQueue>(&self.source, value),
                "function" => remaining_errors::<TomlFunction>(&self.source, value),
                "bus" => remaining_errors::<TomlBus>(&self.source, value),
                "connector" => remaining_errors::<TomlConnector>(&self.source, value),
                "profile" => remaining_errors::<TomlProfile>(&self.source, value),
                _ => remaining_errors::<TomlFlow>(&self.source, value),
            };
            self.diagnostics.extend(more);
        }
    }

    fn read_items(&mut self, document: DeTable<'_>, first_character: usize) -> Items {
        let mut items = Items::default();
        let mut stack_seen = false;
        for (key, value) in document {
            let section = key.get_ref().as_ref();
            match section {
                "stack" => {
                    stack_seen = true;
                    self.read_stack(key.span(), ItemValue::Toml(value), &mut items);
                }
                "key" | "secret" | "bucket" | "domain" | "topic" | "queue" | "function" | "bus" | "connector"
                | "profile" | "flow" => {
                    let value_span = value.span();
                    let DeValue::Table(table) = value.into_inner() else {
                        let section = SECTIONS.iter().find(|s| **s == section).copied().unwrap_or("flow");
                        self.error(InputError::SectionNotTable { section }, value_span);
                        continue;
                    };
                    let mut flows = Vec::new();
                    for (name, item) in table {
                        let name_text = name.get_ref().to_string();
                        if section == "flow" {
                            flows.push((name_text, name.span(), item));
                        } else {
                            self.read_named(section, name_text, name.span(), ItemValue::Toml(item), &mut items);
                        }
                    }
                    let lowered = self.lower_flows(flows, |lowerer, (name, span, item)| {
                        lowerer.lower_flow_item(name, span, ItemValue::Toml(item))
                    });
                    items.flows.extend(lowered);
                }
                other => {
                    let close = suggest(other, SECTIONS);
                    let suggestion = SECTIONS.into_iter().find(|s| close.as_deref() == Some(*s));
                    let name = other.to_owned();
                    self.error(InputError::UnknownSection { name, suggestion }, key.span());
                }
            }
        }
        if !stack_seen {
            self.error(InputError::MissingStack, 0..first_character);
        }
        items
    }

    /// Reads the `[stack]` table, written at `key_span`.
    fn read_stack(&mut self, key_span: Range<usize>, value: ItemValue<'_>, items: &mut Items) {
        self.record(&self.root("stack"), key_span.clone());
        match self.deserialize::<TomlStack>(value) {
            Some(stack) => items.stack = Some((stack, key_span)),
            None => self.stack_unreadable = true,
        }
    }

    /// Reads the item `<section>.<name>`, named at `span`, of any section but flows (which
    /// [`Self::lower_flows`] lowers).
    fn read_named(&mut self, section: &str, name: String, span: Range<usize>, item: ItemValue<'_>, items: &mut Items) {
        self.record(&self.root(section).key(&name), span.clone());
        let read = match section {
            "key" => self
                .deserialize(item)
                .map(|raw| items.keys.push((name.clone(), span, raw))),
            "secret" => self
                .deserialize(item)
                .map(|raw| items.secrets.push((name.clone(), span, raw))),
            "bucket" => self
                .deserialize(item)
                .map(|raw| items.buckets.push((name.clone(), span, raw))),
            "domain" => self
                .deserialize(item)
                .map(|raw| items.domains.push((name.clone(), span, raw))),
            "topic" => self
                .deserialize(item)
                .map(|raw| items.topics.push((name.clone(), span, raw))),
            "queue" => self
                .deserialize(item)
                .map(|raw| items.queues.push((name.clone(), span, raw))),
            "function" => self
                .deserialize(item)
                .map(|raw| items.functions.push((name.clone(), span, raw))),
            "bus" => self
                .deserialize(item)
                .map(|raw| items.buses.push((name.clone(), span, raw))),
            "connector" => self
                .deserialize(item)
                .map(|raw| items.connectors.push((name.clone(), span, raw))),
            _ => self
                .deserialize(item)
                .map(|raw| items.profiles.push((name.clone(), span, raw))),
        };
        if read.is_none() {
            let kind = SECTIONS.iter().copied().find(|s| *s == section).unwrap_or("profile");
            self.unreadable.insert((kind, name));
        }
    }

    /// Deserializes and lowers one flow, named at `span`; its raw form is dropped right after.
    fn lower_flow_item(&mut self, name: String, span: Range<usize>, item: ItemValue<'_>) -> Option<AnyFlow> {
        self.record(&self.root("flow").key(&name), span.clone());
        match self.deserialize::<TomlFlow>(item) {
            Some(raw) => self.flow(&name, span, &raw),
            None => {
                self.unreadable.insert(("flow", name));
                None
            }
        }
    }

    /// Lowers each of `entries` with `lower`, on every core for big files: each flow is
    /// independent of the others. Each worker has its own spans and diagnostics, merged in
    /// order.
    fn lower_flows<E: Send>(
        &mut self,
        entries: Vec<E>,
        lower: impl Fn(&mut Lowerer, E) -> Option<AnyFlow> + Sync,
    ) -> Vec<AnyFlow> {
        const PARALLEL_FROM: usize = 512;
        let threads = crate::parallel::threads();
        if entries.len() < PARALLEL_FROM || threads < 2 {
            return entries.into_iter().filter_map(|entry| lower(self, entry)).collect();
        }
        let lower = &lower;
        let jobs: Vec<_> = crate::parallel::split_owned(entries, threads)
            .into_iter()
            .map(|chunk| {
                let capacity = if self.record_all { chunk.len() * 40 } else { chunk.len() };
                let mut worker = Lowerer::new(&self.source, self.record_all, capacity);
                move || {
                    let flows: Vec<AnyFlow> = chunk
                        .into_iter()
                        .filter_map(|entry| lower(&mut worker, entry))
                        .collect();
                    (flows, worker)
                }
            })
            .collect();
        let results: Vec<(Vec<AnyFlow>, Lowerer)> = crate::parallel::run_all(jobs);
        // The first chunk's vector, grown once, takes the others: flows are big, and
        // copying all of them into a vector grown step by step cost 5 % of lowering.
        let total: usize = results.iter().map(|(chunk_flows, _)| chunk_flows.len()).sum();
        let mut flows: Vec<AnyFlow> = Vec::new();
        for (chunk_flows, worker) in results {
            if flows.is_empty() {
                flows = chunk_flows;
                flows.reserve_exact(total - flows.len());
            } else {
                flows.extend(chunk_flows);
            }
            self.spans.extend(worker.spans);
            self.diagnostics.extend(worker.diagnostics);
            self.unreadable.extend(worker.unreadable);
            self.gave_up |= worker.gave_up;
        }
        flows
    }

    /// A string of the file, its span recorded. Every string the file gives the model
    /// passes here (or through [`Lowerer::no_dynamic_reference`]).
    pub(crate) fn string(&mut self, path: &At, value: &Sp<String>) -> String {
        self.record(path, value.span());
        self.no_dynamic_reference(value.get(), value.span());
        value.get().clone()
    }

    /// A setting that may be a reference ([`Text`]): a literal is checked like any
    /// string, each part of a reference is recorded under its key.
    pub(crate) fn text(&mut self, path: &At, value: &Sp<TomlText>) -> Text {
        self.record(path, value.span());
        match value.get() {
            TomlText::Literal(literal) => {
                self.no_dynamic_reference(literal, value.span());
                Text::Literal(literal.clone())
            }
            TomlText::Parameter(name) => Text::Parameter(self.string(&path.key("parameter"), name)),
            TomlText::Secret { secret, key } => {
                let secret = self.string(&path.key("secret"), secret);
                Text::secret(SecretRef::named(secret), self.string(&path.key("key"), key))
            }
            TomlText::Ssm(name) => Text::Ssm(self.string(&path.key("ssm"), name)),
            TomlText::Import(export) => Text::Import(self.string(&path.key("import"), export)),
        }
    }

    /// CloudFormation resolves `{{resolve:...}}` wherever it stands in a template's
    /// strings (dynamic references docs), so text from the file that holds one would
    /// read an SSM parameter or a secret at deploy time: an error. Credentials are
    /// references written as tables, so no value needs the pattern.
    fn no_dynamic_reference(&mut self, text: &str, span: Range<usize>) {
        if text.contains("{{resolve:") {
            self.error(InputError::DynamicReference, span);
        }
    }

    /// [`Lowerer::string`] of an optional value.
    pub(crate) fn opt_string(&mut self, path: &At, value: &Option<Sp<String>>) -> Option<String> {
        value.as_ref().map(|v| self.string(path, v))
    }

    /// Tags, each key's span recorded at `tags.<key>` (a message about the key points at
    /// the key) and its value's at `tags.<key>.value`.
    fn tags(&mut self, path: &At, tags: &std::collections::BTreeMap<String, Sp<String>>) -> Vec<(String, String)> {
        tags.iter()
            .map(|(k, v)| {
                let at = path.key(k);
                let value = self.string(&at.key("value"), v);
                let key_span = self.source.key_before(v.span().start).unwrap_or(v.span());
                self.no_dynamic_reference(k, key_span.clone());
                self.record(&at, key_span);
                (k.clone(), value)
            })
            .collect()
    }

    /// A `[stack.parameters.<name>]` declaration, its values' spans recorded under `path`
    /// (the declaration's own span, its key's, is recorded at `path`).
    fn declared_parameter(&mut self, path: &At, name: &str, raw: &TomlParameter) -> DeclaredParameter {
        let mut declared = DeclaredParameter::new(name);
        if let Some(first) = [
            &raw.description,
            &raw.default,
            &raw.allowed_pattern,
            &raw.constraint_description,
        ]
        .into_iter()
        .flatten()
        .map(|value| value.span())
        .chain(raw.allowed_values.iter().map(|values| values.span()))
        .chain(
            [&raw.min_length, &raw.max_length]
                .into_iter()
                .flatten()
                .map(|value| value.span()),
        )
        .min_by_key(|span| span.start)
        {
            let span = self.source.key_before(first.start).unwrap_or(first);
            self.record(path, span);
        }
        if let Some(description) = self.opt_string(&path.key("description"), &raw.description) {
            declared = declared.description(description);
        }
        if let Some(default) = self.opt_string(&path.key("default"), &raw.default) {
            declared = declared.default(default);
        }
        if let Some(values) = &raw.allowed_values {
            let values: Vec<String> = values
                .get()
                .iter()
                .map(|value| self.string(&path.key("allowed-values"), value))
                .collect();
            declared = declared.allowed_values(values);
        }
        if let Some(pattern) = self.opt_string(&path.key("allowed-pattern"), &raw.allowed_pattern) {
            declared = declared.allowed_pattern(pattern);
        }
        let lengths = Allowed::Range(0, u32::MAX.into());
        if let Some(min) = &raw.min_length
            && let Some(min) = self.count(&path.key("min-length"), min, "a parameter's min-length", lengths)
        {
            declared = declared.min_length(min);
        }
        if let Some(max) = &raw.max_length
            && let Some(max) = self.count(&path.key("max-length"), max, "a parameter's max-length", lengths)
        {
            declared = declared.max_length(max);
        }
        if let Some(text) = self.opt_string(&path.key("constraint-description"), &raw.constraint_description) {
            declared = declared.constraint_description(text);
        }
        declared
    }

    /// A non-negative integer that fits a `u32`, or an error at its span naming the range
    /// the setting allows (`allowed`, e.g. `0..=36000`; validation checks values inside
    /// `u32` against it with the same words).
    pub(crate) fn count(&mut self, path: &At, value: &Sp<i64>, what: &'static str, allowed: Allowed) -> Option<u32> {
        self.record(path, value.span());
        match u32::try_from(*value.get()) {
            Ok(count) => Some(count),
            Err(_) => {
                let value_written = *value.get();
                match allowed {
                    Allowed::Range(min, max) => {
                        let kind = InputError::CountOutOfRange {
                            what,
                            value: value_written,
                            min,
                            max,
                        };
                        self.error(kind, value.span());
                    }
                    Allowed::Positive => {
                        let kind = InputError::CountNotPositive {
                            what,
                            value: value_written,
                        };
                        self.error(kind, value.span());
                    }
                }
                None
            }
        }
    }

    fn timestamp(&mut self, path: &At, value: &Sp<TomlDatetime>) -> Option<Timestamp> {
        self.record(path, value.span());
        self.offset_timestamp(value)
    }

    /// An offset datetime as a timestamp, or an error at its span.
    fn offset_timestamp(&mut self, value: &Sp<TomlDatetime>) -> Option<Timestamp> {
        let datetime = &value.get().0;
        let complete = datetime.date.is_some() && datetime.time.is_some() && datetime.offset.is_some();
        let parsed = timestamp_of(datetime);
        if parsed.is_none() {
            let datetime = datetime.to_string();
            // A full offset datetime that still has no timestamp lies past the range of
            // time flowform computes with, not without its offset.
            let kind = if complete {
                InputError::DatetimeOutOfRange { datetime }
            } else {
                InputError::DatetimeWithoutOffset { datetime }
            };
            self.error(kind, value.span());
        }
        parsed
    }

    fn build(&mut self, raw: &TomlStack, _span: Range<usize>, items: Items) -> Option<Stack> {
        let stack_path = self.root("stack");
        let mut stack = Stack::new(self.string(&stack_path.key("name"), &raw.name));
        if let Some(description) = &raw.description {
            stack = stack.description(self.string(&stack_path.key("description"), description));
        }
        for (key, value) in self.tags(&stack_path.key("tags"), &raw.tags) {
            stack = stack.tag(key, value);
        }
        if let Some(retention) = raw.retention {
            stack = stack.retention(match retention {
                TomlRetention::Data => Retention::Data,
                TomlRetention::All => Retention::All,
                TomlRetention::None => Retention::None,
            });
        }
        for (index, raw_ack) in raw.acknowledge.iter().enumerate() {
            let path = stack_path.key("acknowledge").index(index);
            let key_span = self
                .source
                .key_before(raw_ack.warning.span().start)
                .unwrap_or(raw_ack.warning.span());
            self.record(&path, key_span);
            let warning = self.string(&path.key("warning"), &raw_ack.warning);
            let reason = self.string(&path.key("reason"), &raw_ack.reason);
            let mut acknowledgement = Acknowledgement::new(warning, reason);
            if let Some(at) = self.opt_string(&path.key("at"), &raw_ack.at) {
                acknowledgement = acknowledgement.at(at);
            }
            stack = stack.acknowledge(acknowledgement);
        }
        for (name, raw_parameter) in &raw.parameters {
            stack =
                stack.parameter(self.declared_parameter(&stack_path.key("parameters").key(name), name, raw_parameter));
        }
        for (name, _, key) in &items.keys {
            let path = self.root("key").key(name);
            let mut model_key = match &key.import {
                Some(existing) => Key::imported(name, self.string(&path.key("import"), existing)),
                None => Key::owned(name),
            };
            if let Some(description) = &key.description {
                model_key = model_key.description(self.string(&path.key("description"), description));
            }
            if let Some(retain) = key.retain {
                model_key = model_key.retain(retain);
            }
            stack.add_key(model_key);
        }
        for (name, _, secret) in &items.secrets {
            let path = self.root("secret").key(name);
            let mut model_secret = match &secret.import {
                Some(existing) => Secret::imported(name, self.string(&path.key("import"), existing)),
                None => Secret::owned(name),
            };
            if let Some(secret_name) = self.opt_string(&path.key("secret-name"), &secret.secret_name) {
                model_secret = model_secret.secret_name(secret_name);
            }
            if let Some(key) = self.opt_string(&path.key("key"), &secret.key) {
                model_secret = model_secret.encryption_key(KeyRef::named(key));
            }
            if let Some(retain) = secret.retain {
                model_secret = model_secret.retain(retain);
            }
            for (json_key, value) in &secret.value {
                match self.secret_value(&path.key("value").key(json_key), value) {
                    Some(parameter) => model_secret = model_secret.value_from_parameter(json_key, parameter),
                    // Reported: checks of the keys read from the secret would only echo it.
                    None => {
                        self.unreadable.insert(("secret value", name.clone()));
                    }
                }
            }
            stack.add_secret(model_secret);
        }
        for (name, _, bucket) in &items.buckets {
            let path = self.root("bucket").key(name);
            let mut model_bucket = match &bucket.import {
                Some(existing) => Bucket::imported(name, self.string(&path.key("import"), existing)),
                None => Bucket::owned(name),
            };
            if let Some(bucket_name) = self.opt_string(&path.key("bucket-name"), &bucket.bucket_name) {
                model_bucket = model_bucket.bucket_name(bucket_name);
            }
            if let Some(key) = self.opt_string(&path.key("key"), &bucket.key) {
                model_bucket = model_bucket.encryption_key(KeyRef::named(key));
            }
            if let Some(retain) = bucket.retain {
                model_bucket = model_bucket.retain(retain);
            }
            stack.add_bucket(model_bucket);
        }
        for (name, _, domain) in &items.domains {
            let path = self.root("domain").key(name);
            let mut model_domain = match &domain.import {
                Some(existing) => Domain::imported(name, self.string(&path.key("import"), existing)),
                // Validation reports a created domain without its expiration.
                None => Domain {
                    expiration_days: None,
                    ..Domain::owned(name, 0)
                },
            };
            if let Some(days) = &domain.expiration_days {
                let allowed = Allowed::Range(1, 1098);
                model_domain.expiration_days = self.count(
                    &path.key("expiration-days"),
                    days,
                    "a domain's expiration days",
                    allowed,
                );
            }
            if let Some(domain_name) = self.opt_string(&path.key("domain-name"), &domain.domain_name) {
                model_domain = model_domain.domain_name(domain_name);
            }
            if let Some(key) = self.opt_string(&path.key("key"), &domain.key) {
                model_domain = model_domain.encryption_key(KeyRef::named(key));
            }
            if let Some(queue) = self.opt_string(&path.key("dead-letter-queue"), &domain.dead_letter_queue) {
                model_domain = model_domain.dead_letter_queue(queue);
            }
            for (index, object_type) in domain.object_types.iter().enumerate() {
                let object_type = self.string(&path.key("object-types").index(index), object_type);
                model_domain = model_domain.object_type(object_type);
            }
            stack.add_domain(model_domain);
        }
        self.targets(&mut stack, &items.topics, &items.queues, &items.functions);
        self.buses(&mut stack, &items.buses);
        if let Some(monitoring) = &raw.monitoring {
            let monitoring = self.monitoring(&stack_path.key("monitoring"), monitoring);
            stack.set_monitoring(monitoring);
        }
        for (name, span, connector) in &items.connectors {
            let path = self.root("connector").key(name);
            match connector.lower(self, name, &path, span.clone()) {
                Some(registered) => {
                    stack.add_connector(registered);
                }
                // Reported where it stands; what names it is not reported again.
                None => {
                    self.unreadable.insert(("connector", name.clone()));
                }
            }
        }
        for (name, span, profile) in &items.profiles {
            match self.profile(name, span.clone(), profile) {
                Some(profile) => {
                    stack.add_profile(profile);
                }
                None => {
                    self.unreadable.insert(("profile", name.clone()));
                }
            }
        }
        stack.flows = items.flows;
        Some(stack)
    }

    fn profile(&mut self, name: &str, span: Range<usize>, raw: &TomlProfile) -> Option<Profile> {
        let path = self.root("profile").key(name);
        let chosen = raw.chosen();
        if !chosen.iter().any(|(_, set)| *set) {
            let kind = InputError::MissingConnector {
                profile: name.to_owned(),
                keys: TomlProfile::KEYS,
            };
            self.error(kind, span);
            return None;
        }
        if !self.exactly_one(&chosen, span, &["profile.", name].concat()) {
            return None;
        }
        raw.lower(self, name, &path)
    }

    /// Marks profile `name`'s credentials as reported: validation's "no credentials"
    /// would only repeat the error less precisely.
    pub(crate) fn credentials_unreadable(&mut self, name: &str) {
        self.unreadable.insert(("credentials", name.to_owned()));
    }

    /// A credential reference; a plaintext value is an error.
    pub(crate) fn credential(&mut self, path: &At, raw: &Sp<TomlCredential>) -> Option<Credential> {
        self.record(path, raw.span());
        match raw.get() {
            TomlCredential::Plaintext => {
                self.error(InputError::PlaintextCredential, raw.span());
                None
            }
            TomlCredential::Secret { secret, key } => {
                let secret = self.string(&path.key("secret"), secret);
                let key = self.string(&path.key("key"), key);
                Some(Credential::secret(SecretRef::named(secret), key))
            }
            TomlCredential::Parameter(parameter) => {
                Some(Credential::parameter(self.string(&path.key("parameter"), parameter)))
            }
        }
    }

    /// The parameter a secret's JSON key takes its value from: only a `NoEcho` parameter,
    /// never a literal, and not another secret (CloudFormation cannot resolve a dynamic
    /// reference inside a secret's value).
    fn secret_value(&mut self, path: &At, raw: &Sp<TomlCredential>) -> Option<String> {
        // A message about the JSON key points at the key.
        let key_span = self.source.key_before(raw.span().start).unwrap_or(raw.span());
        self.record(path, key_span);
        match raw.get() {
            TomlCredential::Parameter(parameter) => Some(self.string(&path.key("parameter"), parameter)),
            TomlCredential::Plaintext => {
                self.error(InputError::PlaintextSecretValue, raw.span());
                None
            }
            TomlCredential::Secret { .. } => {
                self.error(InputError::SecretValueFromSecret, raw.span());
                None
            }
        }
    }

    fn status(&mut self, path: &At, status: &Option<Sp<TomlStatus>>) -> FlowStatus {
        match status {
            Some(status) => {
                self.record(path, status.span());
                match status.get() {
                    TomlStatus::Active => FlowStatus::Active,
                    TomlStatus::Suspended => FlowStatus::Suspended,
                    TomlStatus::Draft => FlowStatus::Draft,
                }
            }
            None => FlowStatus::Active,
        }
    }

    /// Exactly one of `choices` is set, or an error at `span`.
    fn exactly_one(&mut self, set: &[(&str, bool)], span: Range<usize>, what: &str) -> bool {
        let chosen = set.iter().filter(|(_, s)| *s).count();
        if chosen == 1 {
            return true;
        }
        // Only an error needs the names (checked once per flow, thousands of times).
        let chosen: Vec<&str> = set.iter().filter(|(_, s)| *s).map(|(n, _)| *n).collect();
        let options = set
            .iter()
            .map(|(n, _)| format!("`{what}.{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let what = what.to_owned();
        let kind = match chosen.len() {
            0 => InputError::MissingChoice { what, options },
            _ => InputError::ConflictingChoice {
                what,
                chosen: chosen
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(" and "),
                options,
            },
        };
        self.error(kind, span);
        false
    }

    fn flow(&mut self, name: &str, span: Range<usize>, raw: &TomlFlow) -> Option<AnyFlow> {
        let path = self.root("flow").key(name);
        let source = self.source(&path.key("source"), &raw.source);
        let destination = self.destination(&path.key("destination"), &raw.destination);
        let trigger = self.trigger(&path.key("trigger"), &raw.trigger);
        let (source, destination, trigger) = (source?, destination?, trigger?);
        let mut flow = match trigger {
            Trigger::OnDemand(_) => OnDemandFlow::new(name, source, destination).into_any(),
            Trigger::OnEvent(event) => OnEventFlow::new(name, source, destination)
                .status(event.status)
                .into_any(),
            Trigger::OnSchedule(schedule) => {
                let mut flow = OnScheduleFlow::new(name, schedule.schedule.clone(), source, destination);
                flow.trigger = schedule;
                flow.into_any()
            }
        };
        let _ = span;
        if let Some(flow_name) = self.opt_string(&path.key("name"), &raw.name) {
            flow = flow.flow_name(flow_name);
        }
        if let Some(retain) = raw.retain {
            flow = flow.retain(retain);
        }
        if let Some(description) = &raw.description {
            flow = flow.description(self.text(&path.key("description"), description));
        }
        if let Some(key) = self.opt_string(&path.key("key"), &raw.key) {
            flow = flow.encryption_key(KeyRef::named(key));
        }
        for (key, value) in self.tags(&path.key("tags"), &raw.tags) {
            flow = flow.tag(key, value);
        }
        self.tasks(&path, raw, &mut flow);
        if let Some(monitoring) = &raw.monitoring {
            flow = flow.monitoring(self.monitoring(&path.key("monitoring"), monitoring));
        }
        Some(flow)
    }

    fn trigger(&mut self, path: &At, raw: &Option<Sp<TomlTrigger>>) -> Option<Trigger> {
        let Some(raw) = raw else {
            return Some(Trigger::OnDemand(OnDemand));
        };
        self.record(path, raw.span());
        let trigger = raw.get();
        let set = [
            ("on-demand", trigger.on_demand.is_some()),
            ("schedule", trigger.schedule.is_some()),
            ("event", trigger.event.is_some()),
        ];
        if !self.exactly_one(&set, raw.span(), "trigger") {
            return None;
        }
        if let Some(event) = &trigger.event {
            self.record(&path.key("event"), event.span());
            let status = self.status(&path.key("event").key("status"), &event.get().status);
            return Some(Trigger::OnEvent(OnEvent { status }));
        }
        let Some(schedule) = &trigger.schedule else {
            return Some(Trigger::OnDemand(OnDemand));
        };
        let path = path.key("schedule");
        self.record(&path, schedule.span());
        let raw = schedule.get();
        let expression = Schedule::expression(self.string(&path.key("expression"), &raw.expression));
        let timestamp_field = self.opt_string(&path.key("timestamp-field"), &raw.timestamp_field);
        let pull = match raw.pull.as_ref().map(|p| (p.get(), p.span())) {
            Some((TomlPull::Incremental, pull_span)) => {
                self.record(&path.key("pull"), pull_span);
                // Optional: `IncrementalPullConfig.DatetimeTypeFieldName` is not required by
                // the flow schema, and S3 sources have no such field (DEPLOY-TIME.md rule 6).
                PullMode::Incremental { timestamp_field }
            }
            _ => {
                if let Some(field) = &raw.timestamp_field {
                    self.error(InputError::TimestampFieldOnCompletePull, field.span());
                }
                PullMode::Complete
            }
        };
        let start = raw.start.as_ref().and_then(|t| self.timestamp(&path.key("start"), t));
        let end = raw.end.as_ref().and_then(|t| self.timestamp(&path.key("end"), t));
        let first = raw
            .first_execution_from
            .as_ref()
            .and_then(|t| self.timestamp(&path.key("first-execution-from"), t));
        let offset = raw.offset.as_ref().and_then(|o| {
            self.count(
                &path.key("offset"),
                o,
                "the schedule offset (seconds)",
                Allowed::within(model::limits::range(&model::limits::SCHEDULE_OFFSET)),
            )
        });
        let threshold = raw.error_deactivation_threshold.as_ref().and_then(|t| {
            self.count(
                &path.key("error-deactivation-threshold"),
                t,
                "the error deactivation threshold",
                Allowed::within(model::limits::range(&model::limits::ERROR_DEACTIVATION_THRESHOLD)),
            )
        });
        let time_zone = self.opt_string(&path.key("time-zone"), &raw.time_zone);
        let status = self.status(&path.key("status"), &raw.status);
        Some(Trigger::OnSchedule(OnSchedule {
            schedule: expression,
            pull,
            start,
            end,
            offset_seconds: offset,
            time_zone,
            first_execution_from: first,
            error_deactivation_threshold: threshold,
            status,
        }))
    }

    fn source(&mut self, path: &At, raw: &Sp<TomlSource>) -> Option<Source> {
        self.record(path, raw.span());
        let source = raw.get();
        if !self.exactly_one(&source.chosen(), raw.span(), "source") {
            return None;
        }
        source.lower(self, path)
    }

    fn destination(&mut self, path: &At, raw: &Sp<TomlDestination>) -> Option<Destination> {
        self.record(path, raw.span());
        let destination = raw.get();
        if !self.exactly_one(&destination.chosen(), raw.span(), "destination") {
            return None;
        }
        destination.lower(self, path)
    }

    fn field(&mut self, path: &At, name: &Sp<String>, data_type: &Option<Sp<String>>) -> Field {
        let name = self.string(path, name);
        Field {
            name,
            data_type: self.opt_string(&path.key("type"), data_type),
        }
    }

    fn tasks(&mut self, path: &At, raw: &TomlFlow, flow: &mut AnyFlow) {
        let mut mappings: Vec<(Range<usize>, Mapping)> = Vec::new();
        let next = |mappings: &Vec<(Range<usize>, Mapping)>| path.key("mapping").index(mappings.len());
        if let Some(map_all) = &raw.map_all {
            let at = next(&mappings);
            let exclude = map_all
                .get()
                .exclude
                .iter()
                .enumerate()
                .map(|(i, f)| self.string(&at.key("exclude").index(i), f))
                .collect();
            mappings.push((map_all.span(), Mapping::MapAll { exclude }));
        }
        for field in &raw.map_fields {
            let at = next(&mappings);
            let name = self.string(&at.key("from"), field);
            self.record(&at.key("to"), field.span());
            mappings.push((field.span(), Mapping::field(name)));
        }
        for map in &raw.map {
            let at = next(&mappings);
            let entry = map.get();
            let from = self.field(&at.key("from"), &entry.from, &entry.from_type);
            let to_name = entry.to.as_ref().unwrap_or(&entry.from);
            let to = self.field(&at.key("to"), to_name, &entry.to_type);
            mappings.push((map.span(), Mapping::Map { from, to }));
        }
        for concat in &raw.concat {
            let at = next(&mappings);
            let entry = concat.get();
            let from = entry
                .from
                .iter()
                .enumerate()
                .map(|(i, f)| self.string(&at.key("from").index(i), f))
                .collect();
            self.record(&at.key("from"), concat.span());
            let format = self.string(&at.key("format"), &entry.format);
            let to = self.field(&at.key("to"), &entry.to, &entry.to_type);
            mappings.push((concat.span(), Mapping::Concat { from, format, to }));
        }
        for arithmetic in &raw.arithmetic {
            let at = next(&mappings);
            let entry = arithmetic.get();
            let op = match entry.op.get() {
                TomlArithmeticOp::Add => ArithmeticOp::Add,
                TomlArithmeticOp::Subtract => ArithmeticOp::Subtract,
                TomlArithmeticOp::Multiply => ArithmeticOp::Multiply,
                TomlArithmeticOp::Divide => ArithmeticOp::Divide,
            };
            let left = self.string(&at.key("left"), &entry.left);
            let right = self.string(&at.key("right"), &entry.right);
            let to = self.field(&at.key("to"), &entry.to, &entry.to_type);
            mappings.push((arithmetic.span(), Mapping::Arithmetic { op, left, right, to }));
        }
        for (index, (span, mapping)) in mappings.into_iter().enumerate() {
            self.record(&path.key("mapping").index(index), span);
            flow.mappings.push(mapping);
        }
        for (index, filter) in raw.filter.iter().enumerate() {
            let at = path.key("filter").index(index);
            self.record(&at, filter.span());
            if let Some(model) = self.filter(&at, filter.get()) {
                flow.filters.push(model);
            }
        }
        let mut transforms = Vec::new();
        for mask in &raw.mask {
            let at = path.key("transform").index(transforms.len());
            self.record(&at, mask.span());
            let entry = mask.get();
            let field = self.string(&at.key("field"), &entry.field);
            let scope = match (&entry.first, &entry.last) {
                (Some(_), Some(last)) => {
                    self.error(InputError::MaskBothEnds, last.span());
                    continue;
                }
                (Some(first), None) => self
                    .count(&at.key("length"), first, "the mask length", Allowed::Positive)
                    .map(MaskScope::First),
                (None, Some(last)) => self
                    .count(&at.key("length"), last, "the mask length", Allowed::Positive)
                    .map(MaskScope::Last),
                (None, None) => Some(MaskScope::All),
            };
            let mask_char = match &entry.char {
                Some(c) => self.string(&at.key("mask"), c),
                None => "*".into(),
            };
            if let Some(scope) = scope {
                transforms.push(Transform::Mask {
                    field,
                    scope,
                    mask: mask_char,
                });
            }
        }
        for truncate in &raw.truncate {
            let at = path.key("transform").index(transforms.len());
            self.record(&at, truncate.span());
            let entry = truncate.get();
            let field = self.string(&at.key("field"), &entry.field);
            if let Some(length) = self.count(
                &at.key("length"),
                &entry.length,
                "the truncate length",
                Allowed::Positive,
            ) {
                transforms.push(Transform::Truncate { field, length });
            }
        }
        flow.transforms = transforms;
        for (index, validate) in raw.validate.iter().enumerate() {
            let at = path.key("validation").index(index);
            self.record(&at, validate.span());
            let entry = validate.get();
            let field = self.string(&at.key("field"), &entry.field);
            let check = match entry.check.get() {
                TomlCheck::NotNull => ValidationCheck::NotNull,
                TomlCheck::NonZero => ValidationCheck::NonZero,
                TomlCheck::NonNegative => ValidationCheck::NonNegative,
                TomlCheck::Numeric => ValidationCheck::Numeric,
            };
            let action = match entry.action.as_ref().map(|a| *a.get()) {
                Some(TomlAction::TerminateFlow) => ValidationAction::TerminateFlow,
                _ => ValidationAction::IgnoreRecord,
            };
            flow.validations
                .push(model::Validation::new(field, check).action(action));
        }
    }

    fn filter(&mut self, path: &At, raw: &TomlFilter) -> Option<Filter> {
        let field = self.string(&path.key("field"), &raw.field);
        self.record(&path.key("op"), raw.op.span());
        self.record(&path.key("value"), raw.value.span());
        let field_type = match raw.field_type.get() {
            TomlFilterType::String => FilterType::String,
            TomlFilterType::Number => FilterType::Number,
            TomlFilterType::Boolean => FilterType::Boolean,
            TomlFilterType::Datetime => FilterType::Datetime,
        };
        let op = match raw.op.get() {
            TomlFilterOp::Equal => FilterOp::Equal,
            TomlFilterOp::NotEqual => FilterOp::NotEqual,
            TomlFilterOp::LessThan => FilterOp::LessThan,
            TomlFilterOp::LessThanOrEqual => FilterOp::LessThanOrEqual,
            TomlFilterOp::GreaterThan => FilterOp::GreaterThan,
            TomlFilterOp::GreaterThanOrEqual => FilterOp::GreaterThanOrEqual,
            TomlFilterOp::Between => FilterOp::Between,
            TomlFilterOp::Contains => FilterOp::Contains,
            TomlFilterOp::In => FilterOp::In,
            TomlFilterOp::NotIn => FilterOp::NotIn,
        };
        let span = raw.value.span();
        let values = match &raw.value.get().0 {
            toml::Value::Array(items) => {
                let mut values = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    self.record(&path.key("value").index(index), span.clone());
                    values.push(self.filter_value(item, span.clone())?);
                }
                values
            }
            single => vec![self.filter_value(single, span)?],
        };
        let mut filter = Filter::new(field, field_type, op, values);
        filter.data_type = self.opt_string(&path.key("data-type"), &raw.data_type);
        Some(filter)
    }

    fn filter_value(&mut self, value: &toml::Value, span: Range<usize>) -> Option<FilterValue> {
        match value {
            toml::Value::String(s) => {
                self.no_dynamic_reference(s, span);
                Some(FilterValue::String(s.clone()))
            }
            toml::Value::Integer(i) => Some(FilterValue::Integer(*i)),
            toml::Value::Float(f) => Some(FilterValue::Float(*f)),
            toml::Value::Boolean(b) => Some(FilterValue::Boolean(*b)),
            toml::Value::Datetime(datetime) => {
                let spanned = Sp(toml::Spanned::new(span.clone(), TomlDatetime(*datetime)));
                self.offset_timestamp(&spanned).map(FilterValue::Datetime)
            }
            toml::Value::Array(_) | toml::Value::Table(_) => {
                self.error(InputError::NestedFilterValue, span);
                None
            }
        }
    }
}

/// The instant an offset datetime names; `None` without a date, time or offset. Built
/// from its parts: printing it and parsing the text back (what jiff reads) cost as much as
/// the rest of a flow's filter. A leap second (`:60`) reads as `:59`, as jiff's parser has
/// it.
fn timestamp_of(datetime: &toml::value::Datetime) -> Option<Timestamp> {
    let (date, time, offset) = (datetime.date?, datetime.time?, datetime.offset?);
    let minutes = match offset {
        toml::value::Offset::Z => 0,
        toml::value::Offset::Custom { minutes } => minutes,
    };
    let civil = jiff::civil::DateTime::new(
        i16::try_from(date.year).ok()?,
        i8::try_from(date.month).ok()?,
        i8::try_from(date.day).ok()?,
        i8::try_from(time.hour).ok()?,
        i8::try_from(time.minute).ok()?,
        i8::try_from(time.second.min(59)).ok()?,
        i32::try_from(time.nanosecond).ok()?,
    )
    .ok()?;
    jiff::tz::Offset::from_seconds(i32::from(minutes) * 60)
        .ok()?
        .to_timestamp(civil)
        .ok()
}

#[cfg(test)]
mod tests;
