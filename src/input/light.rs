//! A light TOML tree for the item-by-item fast path of lowering, and a serde
//! `Deserializer` over it.
//!
//! `toml`'s `DeTable` keeps every table in a B-tree of spanned, decoded keys: for the few
//! keys of a flow that is most of the parse (a profile of 10,000 flows put two thirds of
//! `toml`'s parse time into building those tables). This module reads an item in one pass
//! over its bytes into tables that are plain vectors, and deserializes from them with
//! `toml`'s own conventions (spans through `serde_spanned`, datetimes as
//! `toml_datetime`'s one-entry map), so the raw types cannot tell the two apart.
//!
//! It is a fast path, not a second TOML implementation to trust. The reader only finds
//! where keys and values start and end; what each scalar means, and whether it is valid,
//! is decided by `toml_parser`'s own decoders (bare keys and plain strings, which are
//! their own text, aside). [`parse`] applies `toml`'s table rules (ported from
//! `toml::de::parser::document`) and returns `None` on anything `toml` would report, and
//! on anything it does not handle (multi-line strings, a datetime written with a space,
//! TOML 1.1's multi-line inline tables). The caller then parses with `toml`, which reads
//! the item or reports the error. Differential tests compare both parsers on every
//! example, every UI input and random TOML-shaped text.
//!
//! Value spans are the same as `toml`'s for scalars, arrays and inline tables; a table
//! made by a header or a dotted key gets the span of its key. Lowering without
//! `record_all` only records item names' spans, which [`parse`] gets exactly right.
//!
//! Longer than most modules: it is one reader, and its differential tests against `toml`
//! (every example, every UI input, random documents) are half of the file.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{self, IntoDeserializer, Visitor};
use std::sync::OnceLock;

use toml::value::Datetime;
use toml_parser::decoder::{Encoding, ScalarKind};
use toml_parser::{ParseError, Raw, Span};

/// The nesting `toml` allows before it reports a recursion error (its `LIMIT`).
const DEPTH_LIMIT: u32 = 80;

/// Tables are searched key by key; one with more entries than this is left to `toml`, so a
/// pathological item can never make the search quadratic.
const MAX_TABLE_ENTRIES: usize = 256;

/// A value and its byte span in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Value<'t> {
    span: Range<usize>,
    kind: Kind<'t>,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind<'t> {
    String(Cow<'t, str>),
    /// The digits, without prefix or underscores, and their radix.
    Integer(Cow<'t, str>, u32),
    Float(Cow<'t, str>),
    Boolean(bool),
    /// Its text, which parses as a [`Datetime`] (checked when read).
    Datetime(Cow<'t, str>),
    Array(Array<'t>),
    Table(Table<'t>),
}

#[derive(Debug, Clone, PartialEq)]
struct Array<'t> {
    values: Vec<Value<'t>>,
    /// Made by `[[...]]` headers (which may add to it), not written inline.
    of_tables: bool,
}

/// A table: its entries in the order they were written, and how it was made, which
/// decides what may still be added to it (TOML's rules, as `toml` applies them).
#[derive(Debug, Clone, PartialEq, Default)]
struct Table<'t> {
    entries: Vec<(Key<'t>, Value<'t>)>,
    /// Made on the way to a header's or dotted key's table, not defined itself.
    implicit: bool,
    /// Made by a dotted key.
    dotted: bool,
    /// Written inline (`{ ... }`): closed once written.
    inline: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Key<'t> {
    name: Cow<'t, str>,
    span: Range<usize>,
}

impl<'t> Table<'t> {
    fn position(&self, name: &str) -> Option<usize> {
        self.entries.iter().position(|(key, _)| key.name == name)
    }

    fn push(&mut self, key: Key<'t>, value: Value<'t>) -> Option<&mut Value<'t>> {
        if self.entries.len() >= MAX_TABLE_ENTRIES {
            return None;
        }
        self.entries.push((key, value));
        self.entries.last_mut().map(|(_, value)| value)
    }
}

/// The one entry of a parsed item: its key, the key's span, and its value.
pub struct Entry<'t> {
    /// The key (`stack`, or the section).
    pub key: Cow<'t, str>,
    /// Where the key is written.
    pub key_span: Range<usize>,
    /// The value.
    pub value: Value<'t>,
}

impl<'t> Value<'t> {
    /// The value's byte span in the file.
    #[cfg(test)]
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The table's only entry; `None` unless this is a table of exactly one entry.
    pub fn into_only_entry(self) -> Option<Entry<'t>> {
        let Kind::Table(table) = self.kind else {
            return None;
        };
        let mut entries = table.entries.into_iter();
        let (key, value) = entries.next()?;
        entries.next().is_none().then_some(Entry {
            key: key.name,
            key_span: key.span,
            value,
        })
    }
}

/// Parses `text`, which starts at byte `offset` of the file (spans are the file's), into
/// its root table. `None` when `toml` would report an error, or when the text uses
/// something this reader leaves to `toml`.
pub fn parse(text: &str, offset: usize) -> Option<Value<'_>> {
    let reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        offset,
        depth: 0,
    };
    let root = reader.document()?;
    Some(Value {
        span: offset..offset + text.len(),
        kind: Kind::Table(root),
    })
}

/// Reads a document in one pass over its bytes.
///
/// It only finds where each key and value starts and ends; what a scalar means (and
/// whether it is valid) is decided by `toml_parser`'s own decoders, except for the bare
/// keys and plain strings that are their own text. Its grammar is TOML's, made strict
/// wherever being strict is simpler: it gives up (`None`) on multi-line strings, on a
/// datetime written with a space, on newlines or a trailing comma in an inline table,
/// and on anything malformed, all of which `toml` then reads or reports.
struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    offset: usize,
    /// Arrays and inline tables open around the value being read.
    depth: u32,
}

/// A header being filled: where its table goes, and what it is.
struct Header<'t> {
    path: Vec<Key<'t>>,
    key: Key<'t>,
    array: bool,
}

/// A byte that ends an unquoted value (a number, boolean or datetime), as `toml_parser`'s
/// lexer ends its atoms (it also splits at `.`, then joins the pieces of the value again).
fn ends_unquoted(byte: u8) -> bool {
    matches!(
        byte,
        b' ' | b'\t' | b',' | b']' | b'}' | b'#' | b'\r' | b'\n' | b'=' | b'[' | b'{'
    )
}

/// A byte TOML allows in a comment: tab, printable ASCII, or part of a non-ASCII character
/// (`toml_parser`'s `NON_EOL`).
fn is_comment_byte(byte: u8) -> bool {
    byte == b'\t' || (0x20..0x7f).contains(&byte) || byte >= 0x80
}

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    fn span(&self, start: usize, end: usize) -> Range<usize> {
        start + self.offset..end + self.offset
    }

    /// Takes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// Spaces, then a comment if one comes (checked as `toml_parser` checks comments).
    fn skip_comment(&mut self) -> Option<()> {
        self.skip_spaces();
        if self.peek() != Some(b'#') {
            return Some(());
        }
        let rest = &self.bytes[self.at..];
        let mut end = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
        if end > 0 && rest[end - 1] == b'\r' && end < rest.len() {
            end -= 1;
        }
        rest[..end].iter().all(|b| is_comment_byte(*b)).then(|| self.at += end)
    }

    /// A newline (`\n` or `\r\n`) if one comes.
    fn eat_newline(&mut self) -> bool {
        match (self.peek(), self.peek_at(1)) {
            (Some(b'\n'), _) => self.at += 1,
            (Some(b'\r'), Some(b'\n')) => self.at += 2,
            _ => return false,
        }
        true
    }

    /// The end of a line: spaces, a comment, then a newline or the end of the text.
    fn line_end(&mut self) -> Option<()> {
        self.skip_comment()?;
        (self.peek().is_none() || self.eat_newline()).then_some(())
    }

    /// Spaces, comments and newlines.
    fn skip_blank(&mut self) -> Option<()> {
        loop {
            self.skip_comment()?;
            if !self.eat_newline() {
                return Some(());
            }
        }
    }

    /// `toml::de::parser::document`: key-values go into the current table, which is put in
    /// place when the next header (or the end) comes.
    fn document(mut self) -> Option<Table<'t>> {
        let mut root = Table::default();
        let mut current = Table::default();
        let mut header: Option<Header<'t>> = None;
        loop {
            self.skip_blank()?;
            match self.peek() {
                None => break,
                Some(b'[') => {
                    finish_table(&mut root, &mut current, header.take())?;
                    let next = self.header()?;
                    start_table(&mut root, &mut current, &next)?;
                    header = Some(next);
                }
                Some(_) => {
                    let (path, key) = self.key()?;
                    let value = self.key_value()?;
                    insert(&mut current, path, key, value, false)?;
                }
            }
            self.line_end()?;
        }
        finish_table(&mut root, &mut current, header)?;
        Some(root)
    }

    /// `[key]` or `[[key]]`.
    fn header(&mut self) -> Option<Header<'t>> {
        self.eat(b'[')?;
        let array = self.eat(b'[').is_some();
        self.skip_spaces();
        let (path, key) = self.key()?;
        self.eat(b']')?;
        if array {
            self.eat(b']')?;
        }
        Some(Header { path, key, array })
    }

    /// A (dotted) key and the spaces after it: the keys before the last, and the last.
    fn key(&mut self) -> Option<(Vec<Key<'t>>, Key<'t>)> {
        let mut path = Vec::new();
        let mut key = self.simple_key()?;
        loop {
            self.skip_spaces();
            if self.eat(b'.').is_none() {
                break;
            }
            self.skip_spaces();
            path.push(std::mem::replace(&mut key, self.simple_key()?));
        }
        // `toml` reports a recursion error for keys this deep.
        (path.len() < DEPTH_LIMIT as usize).then_some((path, key))
    }

    /// One key of a dotted key: bare, or quoted.
    fn simple_key(&mut self) -> Option<Key<'t>> {
        let start = self.at;
        let name = match self.peek()? {
            b'"' | b'\'' => {
                let (raw, encoding) = self.quoted()?;
                match plain_string(raw) {
                    Some(plain) => Cow::Borrowed(plain),
                    None => {
                        let raw = Raw::new_unchecked(raw, Some(encoding), Span::new_unchecked(start, self.at));
                        let mut name = Cow::Borrowed("");
                        let mut failed = false;
                        raw.decode_key(&mut name, &mut |_: ParseError| failed = true);
                        if failed {
                            return None;
                        }
                        name
                    }
                }
            }
            _ => {
                let length = self.bytes[start..].iter().take_while(|b| is_bare_key_byte(**b)).count();
                if length == 0 {
                    return None;
                }
                self.at += length;
                Cow::Borrowed(&self.text[start..self.at])
            }
        };
        Some(Key {
            name,
            span: self.span(start, self.at),
        })
    }

    /// A one-line quoted string, quotes included, and how it is encoded. Multi-line
    /// strings are left to `toml`.
    fn quoted(&mut self) -> Option<(&'t str, Encoding)> {
        let start = self.at;
        let quote = self.peek()?;
        if self.peek_at(1) == Some(quote) && self.peek_at(2) == Some(quote) {
            return None;
        }
        let mut at = start + 1;
        loop {
            match *self.bytes.get(at)? {
                byte if byte == quote => break,
                b'\n' | b'\r' => return None,
                // An escape: the byte after it cannot end the string. (Other bytes of a
                // non-ASCII character are never a quote, so stepping over one is safe.)
                b'\\' if quote == b'"' => {
                    if matches!(self.bytes.get(at + 1), Some(b'\n' | b'\r')) {
                        return None;
                    }
                    at += 2;
                }
                _ => at += 1,
            }
        }
        self.at = at + 1;
        let encoding = if quote == b'"' {
            Encoding::BasicString
        } else {
            Encoding::LiteralString
        };
        Some((&self.text[start..self.at], encoding))
    }

    /// After a key: `=` and the value.
    fn key_value(&mut self) -> Option<Value<'t>> {
        self.eat(b'=')?;
        self.skip_spaces();
        self.value()
    }

    fn value(&mut self) -> Option<Value<'t>> {
        match self.peek()? {
            b'[' => self.nested(Self::array),
            b'{' => self.nested(Self::inline_table),
            b'"' | b'\'' => self.string(),
            _ => self.unquoted(),
        }
    }

    /// An array or inline table, within `toml`'s nesting limit.
    fn nested(&mut self, read: fn(&mut Self) -> Option<Value<'t>>) -> Option<Value<'t>> {
        self.depth += 1;
        // Well inside `toml`'s limit, whatever else counts towards it there.
        if self.depth >= DEPTH_LIMIT / 2 {
            return None;
        }
        let value = read(self);
        self.depth -= 1;
        value
    }

    /// `toml::de::parser::value::on_scalar`, for a quoted string.
    fn string(&mut self) -> Option<Value<'t>> {
        let start = self.at;
        let (raw, encoding) = self.quoted()?;
        let text = match plain_string(raw) {
            Some(plain) => Cow::Borrowed(plain),
            None => self.decode(raw, Some(encoding), start)?.1,
        };
        Some(Value {
            span: self.span(start, self.at),
            kind: Kind::String(text),
        })
    }

    /// `toml::de::parser::value::on_scalar`, for a number, boolean or datetime.
    fn unquoted(&mut self) -> Option<Value<'t>> {
        let start = self.at;
        let length = self.bytes[start..].iter().take_while(|b| !ends_unquoted(**b)).count();
        if length == 0 {
            return None;
        }
        self.at += length;
        // `1979-05-27 07:32:00`: a datetime written with a space is left to `toml`.
        let after_spaces = self.bytes[self.at..].iter().find(|b| !matches!(b, b' ' | b'\t'));
        if self.peek() == Some(b' ') && after_spaces.is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let (kind, decoded) = self.decode(&self.text[start..self.at], None, start)?;
        let kind = match kind {
            ScalarKind::String => Kind::String(decoded),
            ScalarKind::Boolean(value) => Kind::Boolean(value),
            ScalarKind::DateTime => {
                decoded.parse::<Datetime>().ok()?;
                Kind::Datetime(decoded)
            }
            ScalarKind::Float => Kind::Float(decoded),
            ScalarKind::Integer(radix) => Kind::Integer(decoded, radix.value()),
        };
        Some(Value {
            span: self.span(start, self.at),
            kind,
        })
    }

    /// A scalar as `toml_parser` decodes it; `None` if it reports an error.
    fn decode(&self, raw: &'t str, encoding: Option<Encoding>, start: usize) -> Option<(ScalarKind, Cow<'t, str>)> {
        let raw = Raw::new_unchecked(raw, encoding, Span::new_unchecked(start, start + raw.len()));
        let mut decoded = Cow::Borrowed("");
        let mut failed = false;
        let kind = raw.decode_scalar(&mut decoded, &mut |_: ParseError| failed = true);
        (!failed).then_some((kind, decoded))
    }

    /// `toml::de::parser::inline_table::on_inline_table`: one line, no trailing comma.
    fn inline_table(&mut self) -> Option<Value<'t>> {
        let start = self.at;
        self.eat(b'{')?;
        let mut table = Table {
            inline: true,
            ..Table::default()
        };
        self.skip_spaces();
        if self.eat(b'}').is_none() {
            loop {
                let (path, key) = self.key()?;
                let value = self.key_value()?;
                insert(&mut table, path, key, value, true)?;
                self.skip_spaces();
                if self.eat(b'}').is_some() {
                    break;
                }
                self.eat(b',')?;
                self.skip_spaces();
            }
        }
        Some(Value {
            span: self.span(start, self.at),
            kind: Kind::Table(table),
        })
    }

    /// `toml::de::parser::array::on_array`: values, commas, and blank lines or comments
    /// between them.
    fn array(&mut self) -> Option<Value<'t>> {
        let start = self.at;
        self.eat(b'[')?;
        let mut values = Vec::new();
        loop {
            self.skip_blank()?;
            if self.eat(b']').is_some() {
                break;
            }
            values.push(self.value()?);
            self.skip_blank()?;
            if self.eat(b']').is_some() {
                break;
            }
            self.eat(b',')?;
        }
        Some(Value {
            span: self.span(start, self.at),
            kind: Kind::Array(Array {
                values,
                of_tables: false,
            }),
        })
    }
}

/// A byte of a bare key: `A-Z a-z 0-9 - _` (TOML's `unquoted-key`).
fn is_bare_key_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'
}

/// The text of a one-line string that decodes to itself: `"..."` without escapes or
/// `'...'`, holding no quote of its kind and no control character but tab. Most strings
/// and quoted keys are like that; `toml_parser`'s decoder, which handles every other
/// string and reports what is invalid, costs several times more for them.
fn plain_string(raw: &str) -> Option<&str> {
    let quote = *raw.as_bytes().first()?;
    if !matches!(quote, b'"' | b'\'') || raw.len() < 2 || raw.as_bytes()[raw.len() - 1] != quote {
        return None;
    }
    let body = &raw[1..raw.len() - 1];
    let plain = |byte: &u8| {
        let byte = *byte;
        byte != quote && (byte == b'\t' || (byte >= 0x20 && byte != 0x7f)) && (quote == b'\'' || byte != b'\\')
    };
    body.as_bytes().iter().all(plain).then_some(body)
}

/// `State::capture_key_value` of `toml` (and `finish_value` of its inline tables): puts
/// `key = value` into `table` under the dotted `path`.
fn insert<'t>(table: &mut Table<'t>, path: Vec<Key<'t>>, key: Key<'t>, value: Value<'t>, inline: bool) -> Option<()> {
    let dotted = !path.is_empty();
    let parent = descend(table, path, true, inline)?;
    // "Using dotted keys to redefine tables already defined in [table] form is not allowed."
    if parent.dotted != dotted || parent.position(&key.name).is_some() {
        return None;
    }
    parent.push(key, value).map(|_| ())
}

/// `finish_table` of `toml`: puts the table the last header opened in place.
fn finish_table<'t>(root: &mut Table<'t>, current: &mut Table<'t>, header: Option<Header<'t>>) -> Option<()> {
    let table = std::mem::take(current);
    let Some(header) = header else {
        *root = table;
        return Some(());
    };
    let parent = descend(root, header.path, false, false)?;
    let span = header.key.span.clone();
    let value = Value {
        span: span.clone(),
        kind: Kind::Table(table),
    };
    if !header.array {
        return parent.push(header.key, value).map(|_| ());
    }
    let index = match parent.position(&header.key.name) {
        Some(index) => index,
        None => {
            let array = Value {
                span,
                kind: Kind::Array(Array {
                    values: Vec::new(),
                    of_tables: true,
                }),
            };
            parent.push(header.key, array)?;
            parent.entries.len() - 1
        }
    };
    match &mut parent.entries[index].1.kind {
        Kind::Array(array) if array.of_tables => {
            array.values.push(value);
            Some(())
        }
        _ => None,
    }
}

/// `start_table` of `toml`: a `[table]` header may define a table made implicitly on the
/// way to an earlier header (it takes over that table's sub-tables), nothing else.
fn start_table<'t>(root: &mut Table<'t>, current: &mut Table<'t>, header: &Header<'t>) -> Option<()> {
    if !header.array {
        let parent = descend(root, header.path.clone(), false, false)?;
        if let Some(index) = parent.position(&header.key.name) {
            let (_, old) = parent.entries.remove(index);
            match old.kind {
                Kind::Table(table) if table.implicit && !table.dotted => *current = table,
                _ => return None,
            }
        }
    }
    current.implicit = false;
    current.dotted = false;
    Some(())
}

/// `descend_path` of `toml` (both of them: `inline` is the inline tables' variant):
/// follows `path` from `table`, making the tables that are missing.
fn descend<'a, 't>(
    mut table: &'a mut Table<'t>,
    path: Vec<Key<'t>>,
    dotted: bool,
    inline: bool,
) -> Option<&'a mut Table<'t>> {
    for key in path {
        let index = match table.position(&key.name) {
            Some(index) => index,
            None => {
                let span = key.span.clone();
                let made = Table {
                    implicit: true,
                    dotted,
                    inline,
                    entries: Vec::new(),
                };
                table.push(
                    key,
                    Value {
                        span,
                        kind: Kind::Table(made),
                    },
                )?;
                table.entries.len() - 1
            }
        };
        let child = &mut table.entries[index].1.kind;
        table = match child {
            Kind::Array(array) if array.of_tables && !inline => match array.values.last_mut()?.kind {
                Kind::Table(ref mut last) => last,
                _ => return None,
            },
            Kind::Table(child) => {
                // The document's variant refuses to extend an inline table; the inline
                // variant's tables are all inline, so it cannot refuse that.
                if (child.inline && !inline) || (dotted && !child.implicit) {
                    return None;
                }
                child
            }
            _ => return None,
        };
    }
    Some(table)
}

/// Why a value could not be deserialized. The fast path gives up on any error (the
/// whole-file parse then reports it), so the message is only for tests.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

impl<'de> IntoDeserializer<'de, Error> for Value<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// `toml::de::ValueDeserializer`, over a light value.
impl<'de> de::Deserializer<'de> for Value<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.kind {
            Kind::String(Cow::Owned(text)) => visitor.visit_string(text),
            Kind::String(Cow::Borrowed(text)) => visitor.visit_str(text),
            Kind::Integer(digits, radix) => {
                if let Ok(value) = i64::from_str_radix(&digits, radix) {
                    visitor.visit_i64(value)
                } else if let Ok(value) = u64::from_str_radix(&digits, radix) {
                    visitor.visit_u64(value)
                } else if let Ok(value) = i128::from_str_radix(&digits, radix) {
                    visitor.visit_i128(value)
                } else if let Ok(value) = u128::from_str_radix(&digits, radix) {
                    visitor.visit_u128(value)
                } else {
                    Err(de::Error::custom("integer number overflowed"))
                }
            }
            Kind::Float(text) => match text.parse::<f64>() {
                // `toml` takes an overflow to infinity for an error, unless `inf` is written.
                Ok(value) if !value.is_infinite() || text.contains("inf") => visitor.visit_f64(value),
                _ => Err(de::Error::custom("floating-point number overflowed")),
            },
            Kind::Boolean(value) => visitor.visit_bool(value),
            Kind::Datetime(text) => visitor.visit_map(DatetimeText(Some(text))),
            Kind::Array(array) => visitor.visit_seq(de::value::SeqDeserializer::new(array.values.into_iter())),
            Kind::Table(table) => {
                let mut entries = table.entries;
                // `toml`'s tables are B-trees, read in key order.
                entries.sort_by(|(a, _), (b, _)| a.name.cmp(&b.name));
                visitor.visit_map(de::value::MapDeserializer::new(entries.into_iter()))
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if serde_spanned::de::is_spanned(name) {
            let span = self.span.clone();
            return visitor.visit_map(serde_spanned::de::SpannedDeserializer::new(self, span));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.kind {
            Kind::String(text) => visitor.visit_enum(de::value::CowStrDeserializer::new(text)),
            // `toml` also reads a one-entry table as a variant; flowform's enums are all
            // strings, so a table is an error, which the whole-file parse reports.
            _ => Err(de::Error::custom("wanted a string")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool u8 u16 u32 u64 u128 i8 i16 i32 i64 i128 f32 f64 char str string seq
        bytes byte_buf map unit ignored_any unit_struct tuple_struct tuple identifier
    }
}

/// A datetime as `toml_datetime` reads one: a map of one entry whose key marks it as a
/// datetime and whose value is its text. `toml_datetime::de::DatetimeDeserializer` would
/// print the parsed datetime to make that text, which cost more than the rest of the
/// filter it was in; the text as written parses to the same datetime.
struct DatetimeText<'de>(Option<Cow<'de, str>>);

impl<'de> de::MapAccess<'de> for DatetimeText<'de> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.0 {
            Some(_) => seed
                .deserialize(de::value::BorrowedStrDeserializer::new(datetime_key()))
                .map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let text = self
            .0
            .take()
            .ok_or_else(|| de::Error::custom("a datetime has one value"))?;
        seed.deserialize(de::value::CowStrDeserializer::new(text))
    }
}

/// The key that marks a map as a datetime. `toml_datetime` keeps it private, so it is
/// read, once, from the map its own deserializer makes.
fn datetime_key() -> &'static str {
    static KEY: OnceLock<String> = OnceLock::new();
    KEY.get_or_init(|| {
        let mut map = toml_datetime::de::DatetimeDeserializer::<Error>::new(Datetime {
            date: None,
            time: None,
            offset: None,
        });
        de::MapAccess::next_key::<String>(&mut map)
            .ok()
            .flatten()
            .unwrap_or_default()
    })
}

/// A key reads as `toml`'s keys do: as a string, or a spanned string.
impl<'de> IntoDeserializer<'de, Error> for Key<'de> {
    type Deserializer = Value<'de>;

    fn into_deserializer(self) -> Value<'de> {
        Value {
            span: self.span,
            kind: Kind::String(self.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde::Deserialize;

    use super::*;

    /// What a reader made of a text: nothing (a parse error), or the text as a
    /// `toml::Value` (or the error that reading it as one gave).
    type Read = Option<Result<toml::Value, String>>;

    /// Both readers' view of `text`: the light reader's, then `toml`'s.
    fn both(text: &str) -> (Read, Read) {
        let light = parse(text, 0).map(|root| toml::Value::deserialize(root).map_err(|e| e.to_string()));
        let whole = toml::de::DeTable::parse(text).ok().map(|root| {
            let span = root.span();
            let value = toml::Spanned::new(span, toml::de::DeValue::Table(root.into_inner()));
            toml::Value::deserialize(toml::de::ValueDeserializer::from(value)).map_err(|e| e.to_string())
        });
        (light, whole)
    }

    /// The light reader never accepts what `toml` rejects, and reads what both accept
    /// alike: the same value, or an error for both. (Debug text, because NaN is not equal
    /// to itself.)
    fn assert_agrees(text: &str) {
        let (light, whole) = both(text);
        match (&light, &whole) {
            (None, _) => {}
            (Some(Ok(light)), Some(Ok(whole))) => assert_eq!(format!("{light:?}"), format!("{whole:?}"), "{text:?}"),
            (Some(Err(_)), Some(Err(_))) => {}
            _ => panic!("{text:?}: light {light:?}, toml {whole:?}"),
        }
    }

    fn files(directory: &str) -> Vec<String> {
        let directory = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(directory);
        std::fs::read_dir(directory)
            .expect("the directory exists")
            .map(|entry| entry.expect("readable").path())
            .filter(|path| path.extension().is_some_and(|e| e == "toml"))
            .map(|path| std::fs::read_to_string(path).expect("readable"))
            .collect()
    }

    #[test]
    fn reads_every_example_and_ui_input_as_toml_does() {
        for text in files("examples") {
            assert!(
                parse(&text, 0).is_some(),
                "the light reader leaves an example to toml:\n{text}"
            );
            assert_agrees(&text);
        }
        for text in files("tests/ui") {
            assert_agrees(&text);
        }
    }

    #[test]
    fn reads_every_kind_of_value_as_toml_does() {
        let text = r#"
            # a comment
            plain = "a\tb \u00e9"
            literal = 'C:\x'
            int = [0, -17, +5, 1_000, 0xff, 0o17, 0b101, 9223372036854775807]
            float = [1.5, -0.0, 6.02e23, inf, -inf, nan]
            bool = [true, false]
            when = [1979-05-27T07:32:00Z, 1979-05-27T00:32:00.5-07:00, 1979-05-27T07:32:00, 1979-05-27, 07:32:00]
            # Read as written, not as printed: forms the printer would normalize.
            written = [1979-05-27t07:32:00z, 07:32:00.1234567891234, 1979-05-27T07:32:00+00:00]
            nested = [[1, 2], { a = { b = 1 } }, []]
            dotted.a.b = 1
            dotted.a.c = 2
            "quoted key" = { 'x y'.z = 1, w = {} }
            [table]
            a = 1
            [table.sub]
            b = 2
            [[array]]
            c = 1
            [[array]]
            d = 2
            [array.sub]
            e = 3
            [x.y.z]
            f = 4
            [x]
            g = 5
        "#;
        assert!(
            matches!(both(text).0, Some(Ok(_))),
            "the light reader takes every valid construct here"
        );
        assert_agrees(text);
    }

    #[test]
    fn a_datetime_field_reads_as_toml_reads_it() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Times {
            at: Datetime,
            spanned: toml::Spanned<Datetime>,
        }
        let text = "at = 1979-05-27T07:32:00.999999999999-07:00\nspanned = 1979-05-27t07:32:00z";
        let light = Times::deserialize(parse(text, 0).expect("reads")).expect("deserializes");
        let whole: Times = toml::from_str(text).expect("toml reads it");
        assert_eq!(light, whole);
        assert_eq!(light.at.to_string(), "1979-05-27T07:32:00.999999999-07:00");
        let start = text.find("1979-05-27t").expect("written");
        assert_eq!(light.spanned.span(), start..text.len());
        assert!(datetime_key().starts_with("$__toml"), "{}", datetime_key());
    }

    #[test]
    fn reads_strings_and_quoted_keys_as_toml_does() {
        for text in [
            "a = \"plain é ✓\"\nb = 'literal \\ back'\nc = \"\"\nd = ''",
            "a = \"tab\there\"\nb = 'tab\there'",
            "a = \"esc \\\" quote\"\nb = \"\\u00e9\\t\"",
            "a = 'it\"s'\nb = \"it's\"",
            "\"quoted key\" = 1\n'literal key' = 2\n\"\" = 3\n\"esc\\tkey\" = 4\nbare-key_9 = 5",
            "\"a.b\".c = 1\n'x'.\"y\".z = 2",
        ] {
            assert!(matches!(both(text).0, Some(Ok(_))), "the light reader takes {text:?}");
            assert_agrees(text);
        }
        assert_eq!(plain_string("\"ab\""), Some("ab"));
        assert_eq!(plain_string("'a\\b'"), Some("a\\b"));
        assert_eq!(plain_string("\"a\\b\""), None, "escapes are decoded");
        assert_eq!(plain_string("\"\"\"a\"\"\""), None, "multi-line strings are decoded");
        assert_eq!(plain_string("\""), None);
        assert_eq!(plain_string("abc"), None);
    }

    #[test]
    fn leaves_multi_line_strings_and_spaced_datetimes_to_toml() {
        for text in [
            "a = \"\"\"two\nlines\"\"\"",
            "a = '''two\nlines'''",
            "a = \"\"\"\"\"\"",
            "a = 1979-05-27 07:32:00Z",
            "a = [1979-05-27 07:32:00]",
            "a = { b = 1, }",
            "a = { b = 1,\n c = 2 }",
        ] {
            let (light, whole) = both(text);
            assert!(light.is_none(), "the light reader took {text:?}");
            assert!(matches!(whole, Some(Ok(_))), "toml takes {text:?}: {whole:?}");
        }
    }

    #[test]
    fn leaves_whatever_toml_rejects_to_toml() {
        for text in [
            "a = 1\na = 2",
            "a.b = 1\n[a]\nc = 1",
            "[a]\nb = 1\n[a]\nc = 1",
            "[a.b]\n[a]\nb = 1\n[a]",
            "a = { b = 1 }\na.c = 2",
            "a = [1]\n[[a]]",
            "[[a]]\n[a]",
            "a = 1\n[a.b]",
            "x = { a.b = 1, a = 2 }",
            "x = { a = 1, a.b = 2 }",
            "a = \"\\q\"",
            "a = 1979-13-27",
            "a = \"unterminated",
            "a = 1 b = 2",
            "[a]]",
            "a = \"\u{0}\"",
            "a = \"\u{7f}\"",
            "a = '\u{7f}'",
            "a = '\u{1}'",
            "\"\u{7f}\" = 1",
            "'\u{1}' = 1",
            "a = \"\u{8}\"",
            "# \u{7f} a control character in a comment",
            "a = 1 # \u{1}",
            "a = 1\r",
            "a = 1\r# c",
            "# c\rb = 1",
            "a = \"abc\\\nb = \"x\"",
            "a = 1 2",
            "[a] x",
            "a = [1 2]",
            "a = { b = 1 c = 2 }",
            "a = 1979-05-27T25:00:00",
            "[ [a] ]",
            "[[a] ]",
            "a. = 1",
            ".a = 1",
            "a = ,",
            "a = [,]",
            "a = [1,,2]",
            "a == 1",
            "a = 1.",
            "a = +",
            "= 1",
            "a = tru",
            "a = [1, 2",
            "a = { b = 1",
            "\"a = 1",
            "a = 'x",
        ] {
            let (light, whole) = both(text);
            assert!(whole.is_none(), "toml rejects {text:?}");
            assert!(light.is_none(), "the light reader took {text:?}");
        }
    }

    #[test]
    fn numbers_out_of_range_fail_to_read_in_both() {
        for text in ["a = 1e999", "a = 99999999999999999999", "a = -1e999"] {
            let (light, whole) = both(text);
            assert!(matches!(light, Some(Err(_))), "{text}: {light:?}");
            assert!(matches!(whole, Some(Err(_))), "{text}: {whole:?}");
        }
    }

    #[test]
    fn deep_nesting_is_left_to_toml() {
        let deep = format!("a = {}1{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&deep, 0).is_none());
        let keys = (0..100).map(|i| format!("k{i}")).collect::<Vec<_>>().join(".");
        assert!(parse(&format!("{keys} = 1"), 0).is_none());
        for depth in 1..=90 {
            let arrays = format!("a = {}1{}", "[".repeat(depth), "]".repeat(depth));
            let tables = format!("a = {}1{}", "{ b = ".repeat(depth), " }".repeat(depth));
            for text in [arrays, tables] {
                assert_agrees(&text);
                assert_eq!(parse(&text, 0).is_some(), depth < 40, "{text}");
            }
        }
    }

    #[test]
    fn spans_are_the_files() {
        let text = "[flow.a]\nx = 'v'\n";
        let root = parse(text, 100).unwrap();
        let flow = root.into_only_entry().unwrap();
        assert_eq!(flow.key_span, 101..105);
        let a = flow.value.into_only_entry().unwrap();
        assert_eq!(a.key_span, 106..107);
        let x = a.value.into_only_entry().unwrap();
        assert_eq!(x.key_span, 109..110);
        assert_eq!(x.value.span(), 113..116);
    }

    /// Pieces of TOML, so random text often gets as far as the table rules.
    const PIECES: &[&str] = &[
        "\r\n",
        "\r",
        "\t",
        "# c",
        "\"\"\"",
        "'''",
        "\"a\\\"b\"",
        "\"\\u00e9\"",
        "1979-05-27 07:32:00",
        "07:32:00.5",
        "-0.5e3",
        "1_000",
        "nan",
        "[",
        "]",
        "[[",
        "]]",
        "{",
        "}",
        "=",
        ",",
        ".",
        "\n",
        " ",
        "a",
        "b",
        "c",
        "'q'",
        "\"k\"",
        "1",
        "-2",
        "0x1f",
        "1.5",
        "inf",
        "1e999",
        "true",
        "2024-01-01T00:00:00Z",
        "2024-01-01",
        "\"s\"",
        "'''m'''",
        "#c",
        "\\",
        "\u{0}",
        "é",
        "_",
        "+",
        "x.y",
        "[a]",
        "[a.b]",
        "[[a]]",
        "[[a.b]]",
        "a.b = 1",
        "a = {}",
        "a = []",
        "b = { c = 1 }",
        "99999999999999999999",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

        #[test]
        fn never_accepts_what_toml_rejects_nor_reads_differently(parts in prop::collection::vec(0..PIECES.len(), 0..40)) {
            let text: String = parts.iter().map(|i| PIECES[*i]).collect();
            assert_agrees(&text);
        }

        #[test]
        fn any_text_is_safe(text in "\\PC{0,200}") {
            assert_agrees(&text);
        }
    }
}
