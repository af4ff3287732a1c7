//! Reading a file item by item, the fast path of lowering.
//!
//! Parsing a whole file with `DeTable::parse` builds every table in it at once. For
//! 10,000 flows that is about 180 MB of B-tree nodes and parser events, and most of the
//! run goes into page faults for memory that is touched once. A flowform file is a run of
//! items: `[stack]`, `[bucket.x]`, `[flow.y]`, each with its sub-tables. In TOML, no line
//! of one item can change what another item's lines mean. So each item's lines can be
//! parsed on their own, lowered, and freed, and on every core.
//!
//! That holds only when the file is laid out as items. [`split`] and [`parse`] accept a
//! file only when they can show that parsing item by item gives exactly what the whole
//! file gives. Otherwise they return `None`, and the caller parses the whole file, which is
//! also the path that reports errors. The rules:
//!
//! - Nothing but comments and blank lines comes before the first table header (root
//!   keys, even dotted ones, can define items).
//! - Every header names an item: `[stack…]`, or `[<section>.<name>…]` with a known section.
//!   A bare `[flow]` header and `[[flow.x]]` arrays are left to the whole-file parse.
//! - Each item's headers are contiguous, so all its lines are parsed together and the
//!   parser itself finds a table defined twice. An item seen again further down falls back.
//! - Each item's lines must parse without error to exactly that one item. A line that
//!   starts with `[` inside a multi-line string or array is not a header. Taking it for one
//!   leaves an unclosed string or array in the lines before it, which fails to parse, so the
//!   file falls back.

use std::collections::HashSet;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::light;
use super::lower::SECTIONS;
use crate::hash::FastState;

/// One item's lines: every table under `stack` or `<section>.<name>`, which are contiguous
/// in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemText {
    /// `stack`, or the item's section (`key`, `secret`, `bucket`, `profile`, `flow`).
    pub section: &'static str,
    /// The item's name (`stack` for the stack).
    pub name: String,
    /// Its lines.
    pub range: Range<usize>,
}

/// An item parsed from its own lines, every value span relative to the whole file.
pub struct ParsedItem<'t> {
    /// Where the item's name is written (the `stack` key for the stack).
    pub name_span: Range<usize>,
    /// The item's table.
    pub value: ItemValue<'t>,
}

/// An item's value, as one of the two parsers read it.
pub enum ItemValue<'t> {
    /// Read by `toml`: the whole-file path, and items the light reader leaves to `toml`.
    Toml(Spanned<DeValue<'t>>),
    /// Read by [`light`] (the item-by-item path only).
    Light(light::Value<'t>),
}

/// Splits `text` into its items, in file order. Returns `None` when the file is not laid
/// out as items (see the module documentation).
pub fn split(text: &str) -> Option<Vec<ItemText>> {
    let mut items: Vec<ItemText> = Vec::new();
    let mut seen: HashSet<(&'static str, &str), FastState> = HashSet::default();
    let mut first_header = None;
    for start in line_starts(text) {
        let line = text[start..].trim_start_matches([' ', '\t']);
        if !line.starts_with('[') {
            continue;
        }
        let (section, name) = header_item(line)?;
        first_header.get_or_insert(start);
        if let Some(last) = items.last_mut() {
            if last.section == section && last.name == name {
                continue;
            }
            last.range.end = start;
        }
        if !seen.insert((section, name)) {
            return None;
        }
        items.push(ItemText {
            section,
            name: name.to_owned(),
            range: start..text.len(),
        });
    }
    let preamble = &text[..first_header.unwrap_or(text.len())];
    match DeTable::parse(preamble) {
        Ok(root) if root.get_ref().is_empty() => Some(items),
        _ => None,
    }
}

/// Parses one item's lines. Returns `None` unless they parse without error to exactly
/// that item. The light reader reads them when it can, `toml` otherwise.
pub fn parse<'t>(text: &'t str, item: &ItemText) -> Option<ParsedItem<'t>> {
    parse_light(text, item).or_else(|| parse_with_toml(text, item))
}

/// [`parse`] with the [`light`] reader.
fn parse_light<'t>(text: &'t str, item: &ItemText) -> Option<ParsedItem<'t>> {
    let section = light::parse(&text[item.range.clone()], item.range.start)?.into_only_entry()?;
    if section.key != item.section {
        return None;
    }
    if item.section == "stack" {
        return Some(ParsedItem {
            name_span: section.key_span,
            value: ItemValue::Light(section.value),
        });
    }
    let named = section.value.into_only_entry()?;
    (named.key == item.name.as_str()).then_some(ParsedItem {
        name_span: named.key_span,
        value: ItemValue::Light(named.value),
    })
}

/// [`parse`] with `toml`.
fn parse_with_toml<'t>(text: &'t str, item: &ItemText) -> Option<ParsedItem<'t>> {
    let offset = item.range.start;
    let root = DeTable::parse(&text[item.range.clone()]).ok()?.into_inner();
    let mut entries = root.into_iter();
    let (section, value) = entries.next()?;
    if entries.next().is_some() || section.get_ref() != item.section {
        return None;
    }
    let (name_span, mut value) = if item.section == "stack" {
        (section.span(), value)
    } else {
        let DeValue::Table(table) = value.into_inner() else {
            return None;
        };
        let mut named = table.into_iter();
        let (name, value) = named.next()?;
        if named.next().is_some() || name.get_ref() != &item.name {
            return None;
        }
        (name.span(), value)
    };
    shift(&mut value, offset);
    Some(ParsedItem {
        name_span: name_span.start + offset..name_span.end + offset,
        value: ItemValue::Toml(value),
    })
}

/// Where each line after the first starts, then the first line (at 0) too: every offset
/// a header could start at.
fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(text.match_indices('\n').map(|(newline, _)| newline + 1))
}

/// The item a header line names: `("stack", "stack")` or `(section, name)`. `None` for
/// anything else, including headers this reader does not decode (keys with escapes).
fn header_item(line: &str) -> Option<(&'static str, &str)> {
    let (array, mut rest) = match line.strip_prefix("[[") {
        Some(rest) => (true, rest),
        None => (false, line.strip_prefix('[')?),
    };
    // The first two keys and how many there are: all an item's identity needs.
    let mut keys: [&str; 2] = [""; 2];
    let mut count = 0;
    loop {
        let (key, after) = simple_key(rest.trim_start_matches([' ', '\t']))?;
        if let Some(slot) = keys.get_mut(count) {
            *slot = key;
        }
        count += 1;
        rest = after.trim_start_matches([' ', '\t']);
        match rest.strip_prefix('.') {
            Some(after) => rest = after,
            None => break,
        }
    }
    rest.strip_prefix(if array { "]]" } else { "]" })?;
    let section = SECTIONS.iter().copied().find(|s| *s == keys[0])?;
    match (section, count) {
        ("stack", 1) if !array => Some(("stack", "stack")),
        ("stack", n) if n > 1 => Some(("stack", "stack")),
        ("stack", _) => None,
        (_, n) if n > 2 || (n == 2 && !array) => Some((section, keys[1])),
        _ => None,
    }
}

/// A bare key, or a quoted one without escapes, and the text after it.
fn simple_key(text: &str) -> Option<(&str, &str)> {
    let bare = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    match text.chars().next()? {
        quote @ ('"' | '\'') => {
            let body = &text[1..];
            let end = body.find(quote)?;
            let key = &body[..end];
            let plain = !key.contains(['\\', '\n', '\r']) && !key.chars().any(char::is_control);
            plain.then(|| (key, &body[end + 1..]))
        }
        c if bare(c) => {
            let end = text.find(|c: char| !bare(c)).unwrap_or(text.len());
            Some((&text[..end], &text[end..]))
        }
        _ => None,
    }
}

/// Moves every value span of `value` by `offset`: the item was parsed from a slice of the
/// file starting there. (Key spans are left: only errors read them, and a file with errors
/// takes the whole-file path.)
fn shift(value: &mut Spanned<DeValue<'_>>, offset: usize) {
    let span = value.span();
    let inner = std::mem::replace(value.get_mut(), DeValue::Boolean(false));
    *value = Spanned::new(span.start + offset..span.end + offset, inner);
    match value.get_mut() {
        DeValue::Table(table) => {
            for (_, child) in table.iter_mut() {
                shift(child, offset);
            }
        }
        DeValue::Array(array) => {
            for child in array.iter_mut() {
                shift(child, offset);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Option<Vec<(&'static str, String, &str)>> {
        split(text).map(|items| items.into_iter().map(|i| (i.section, i.name, &text[i.range])).collect())
    }

    #[test]
    fn splits_at_each_new_item_and_keeps_sub_tables_with_their_item() {
        let text = "# a comment\n\n[stack]\nname = \"s\"\n[stack.tags]\nteam = \"x\"\n\
                    [profile.sf.crm]\nimport = \"p\"\n  [flow.a]\nsource.x = 1\n\
                    [[flow.a.filter]]\nfield = \"f\"\n[flow.'b']\n";
        let got = items(text).expect("laid out as items");
        let names: Vec<_> = got.iter().map(|(s, n, _)| (*s, n.as_str())).collect();
        assert_eq!(
            names,
            [("stack", "stack"), ("profile", "sf"), ("flow", "a"), ("flow", "b")]
        );
        assert!(got[0].2.starts_with("[stack]") && got[0].2.ends_with("team = \"x\"\n"));
        assert_eq!(got[2].2, "  [flow.a]\nsource.x = 1\n[[flow.a.filter]]\nfield = \"f\"\n");
        assert_eq!(got[3].2, "[flow.'b']\n");
    }

    #[test]
    fn leaves_files_not_laid_out_as_items_to_the_whole_file_parse() {
        for text in [
            "stack.name = \"s\"\n[flow.a]\n",              // a key before the first header
            "[stack]\n[flow]\na.source = 1\n",             // a section header
            "[stack]\n[[flow.a]]\n",                       // an array of items
            "[stack]\n[flow.a]\n[flow.b]\n[flow.a.x]\n",   // an item split in two
            "[stack]\n[flow.a]\nx = 1\n[flow.a]\ny = 2\n", // a table defined twice
            "[stack]\n[flow.\"a\\u0062\"]\n",              // an escaped name
            "[stack]\n[flows.a]\n",                        // an unknown section
            "[stack]\n[flow.a]\nx = [\n[1],\n]\n",         // `[` starting a line inside an array
        ] {
            let split = split(text);
            let reparsed = split
                .as_ref()
                .map(|items| items.iter().all(|item| parse(text, item).is_some()));
            assert_ne!(reparsed, Some(true), "{text:?} must fall back, split as {split:?}");
        }
    }

    #[test]
    fn a_header_line_inside_a_multi_line_string_makes_the_item_before_it_fail_to_parse() {
        let text = "[stack]\nname = \"s\"\n[flow.a]\nx = \"\"\"\n[flow.b]\n\"\"\"\n";
        let items = split(text).expect("the splitter only looks at line starts");
        assert_eq!(items.len(), 3);
        assert!(parse(text, &items[1]).is_none());
    }

    /// The fast path is the one taken: every item of every example is read by the light
    /// reader, not handed to `toml` (which would still be correct, only slower).
    #[test]
    fn the_light_reader_reads_every_item_of_the_examples() {
        let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut read = 0;
        for entry in std::fs::read_dir(examples).expect("the examples exist") {
            let path = entry.expect("readable").path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable");
            for item in split(&text).expect("laid out as items") {
                let light = parse_light(&text, &item);
                assert!(light.is_some(), "{}: {} {}", path.display(), item.section, item.name);
                read += 1;
            }
        }
        assert!(read > 20, "{read} items");
    }

    #[test]
    fn parsed_items_carry_spans_of_the_whole_file() {
        let text = "[stack]\nname = \"s\"\n\n[flow.abc]\nprefix = \"p\"\n";
        let items = split(text).unwrap();
        for (reader, flow, stack) in [
            ("light", parse_light(text, &items[1]), parse_light(text, &items[0])),
            (
                "toml",
                parse_with_toml(text, &items[1]),
                parse_with_toml(text, &items[0]),
            ),
        ] {
            let (flow, stack) = (flow.expect(reader), stack.expect(reader));
            assert_eq!(&text[flow.name_span.clone()], "abc", "{reader}");
            assert_eq!(&text[stack.name_span], "stack", "{reader}");
            let prefix = match flow.value {
                ItemValue::Toml(value) => {
                    let DeValue::Table(table) = value.into_inner() else {
                        panic!("a table")
                    };
                    table.get("prefix").unwrap().span()
                }
                ItemValue::Light(value) => {
                    let entry = value.into_only_entry().unwrap();
                    assert_eq!(&text[entry.key_span], "prefix");
                    entry.value.span()
                }
            };
            assert_eq!(&text[prefix], "\"p\"", "{reader}");
        }
    }
}
