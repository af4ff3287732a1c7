//! The size of a value's pretty-printed JSON, computed without writing it.
//!
//! Splitting a stack needs every flow's template size before it places the flow, which
//! used to mean serializing each flow with serde_json into a byte-counting writer: a
//! second full serialization of every template on top of the final one. [`pretty_size`]
//! walks the value with a [`serde::Serializer`] that only adds up lengths, the same
//! lengths `serde_json::to_writer_pretty` would write (two-space indent), with none of
//! the writing or formatting. Whatever it does not model (floats, unusual map keys) makes
//! it give up, and the caller falls back to serde_json, so the answer is always exact;
//! a test compares the two on every template we synthesize and on arbitrary JSON.
//!
//! Longer than most modules: the size computation mirrors serde_json's pretty printer
//! value by value, and its exactness tests are part of it.

use std::fmt::Display;

use serde::Serialize;
use serde::ser::{self, Impossible};

/// The length of `serde_json::to_writer_pretty(value)` and how many newlines it writes,
/// or `None` when the value holds something this module does not model.
pub fn pretty_size<T: Serialize + ?Sized>(value: &T) -> Option<Size> {
    let mut sizer = Sizer {
        size: Size::default(),
        depth: 0,
    };
    value.serialize(&mut sizer).ok()?;
    Some(sizer.size)
}

/// Bytes and newlines of pretty-printed JSON.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Size {
    /// Bytes written.
    pub bytes: usize,
    /// Of which newlines.
    pub lines: usize,
}

/// The value held something [`pretty_size`] does not model.
#[derive(Debug)]
pub struct Unmodelled;

impl Display for Unmodelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value the JSON sizer does not model")
    }
}

impl std::error::Error for Unmodelled {}

impl ser::Error for Unmodelled {
    fn custom<M: Display>(_: M) -> Self {
        Unmodelled
    }
}

struct Sizer {
    size: Size,
    /// Nesting depth of the container being written, as serde_json's indent level.
    depth: usize,
}

impl Sizer {
    fn add(&mut self, bytes: usize) {
        self.size.bytes += bytes;
    }

    /// A string literal: quotes plus each byte, escapes as serde_json writes them.
    fn string(&mut self, text: &str) {
        let escapes: usize = text
            .bytes()
            .map(|byte| match byte {
                b'"' | b'\\' | b'\x08' | b'\x0c' | b'\n' | b'\r' | b'\t' => 1,
                0x00..=0x1f => 5,
                _ => 0,
            })
            .sum();
        self.add(text.len() + escapes + 2);
    }

    fn integer(&mut self, value: impl Display) {
        // Integers are short; counting their digits this way allocates nothing.
        let mut counter = DigitCounter(0);
        let _ = std::fmt::write(&mut counter, format_args!("{value}"));
        self.add(counter.0);
    }

    /// Opens a container (`[` or `{`).
    fn open(&mut self) -> Compound<'_> {
        self.add(1);
        self.depth += 1;
        Compound {
            sizer: self,
            empty: true,
        }
    }

    /// Starts one element of the open container: a newline and the indent, after a comma
    /// unless it is the first.
    fn element(&mut self, first: bool) {
        self.size.lines += 1;
        self.add(usize::from(!first) + 1 + 2 * self.depth);
    }
}

/// Counts the bytes a `Display` writes.
struct DigitCounter(usize);

impl std::fmt::Write for DigitCounter {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.0 += text.len();
        Ok(())
    }
}

/// An open array or object.
struct Compound<'s> {
    sizer: &'s mut Sizer,
    empty: bool,
}

impl Compound<'_> {
    fn element(&mut self) {
        self.sizer.element(self.empty);
        self.empty = false;
    }

    fn key<K: Serialize + ?Sized>(&mut self, key: &K) -> Result<(), Unmodelled> {
        self.element();
        key.serialize(KeySizer { sizer: self.sizer })?;
        self.sizer.add(2); // ": "
        Ok(())
    }

    /// Closes the container: a newline and the outer indent unless it is empty, then the
    /// bracket.
    fn close(self) {
        self.sizer.depth -= 1;
        if !self.empty {
            self.sizer.size.lines += 1;
            self.sizer.add(1 + 2 * self.sizer.depth);
        }
        self.sizer.add(1);
    }
}

impl<'s> ser::Serializer for &'s mut Sizer {
    type Ok = ();
    type Error = Unmodelled;
    type SerializeSeq = Compound<'s>;
    type SerializeTuple = Compound<'s>;
    type SerializeTupleStruct = Compound<'s>;
    type SerializeTupleVariant = Variant<'s>;
    type SerializeMap = Compound<'s>;
    type SerializeStruct = Compound<'s>;
    type SerializeStructVariant = Variant<'s>;

    fn serialize_bool(self, value: bool) -> Result<(), Unmodelled> {
        self.add(if value { 4 } else { 5 });
        Ok(())
    }

    fn serialize_i8(self, value: i8) -> Result<(), Unmodelled> {
        self.integer(value);
        Ok(())
    }

    fn serialize_i16(self, value: i16) -> Result<(), Unmodelled> {
        self.integer(value);
        Ok(())
    }

    fn serialize_i32(self, value: i32) -> Result<(), Unmodelled> {
        self.integer(value);
        Ok(())
    }

    fn serialize_i64(self, value: i64) -> Result<(), Unmodelled> {
        self.integer(value);
        Ok(())
    }

    fn serialize_i128(self, value: i128) -> Result<(), Unmodelled> {
        self.integer(value);
        Ok(())
    }

    fn serialize_u8(self, value: u8) -> Result<(), Unmodelled> {
        self.integer(value);
        Ok(())
    }

    fn serialize_u16(self, value: u16) -> Result<(), Unmodelled> {
        self.integer(value);
        Ok(())
    }

    fn serialize_u32(self, value: u32) -> Result<(), Unmodelled> {
        self.integer(value);
        Ok(())
    }

    fn serialize_u64(self, value: u64) -> Result<(), Unmodelled> {
        self.integer(value);
        Ok(())
    }

    fn serialize_u128(self, value: u128) -> Result<(), Unmodelled> {
        self.integer(value);
        Ok(())
    }

    /// serde_json writes floats with `ryu`, whose lengths this module does not model.
    fn serialize_f32(self, _: f32) -> Result<(), Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_f64(self, _: f64) -> Result<(), Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_char(self, value: char) -> Result<(), Unmodelled> {
        self.string(value.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), Unmodelled> {
        self.string(value);
        Ok(())
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<(), Unmodelled> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(value.len()))?;
        for byte in value {
            seq.serialize_element(byte)?;
        }
        seq.end()
    }

    fn serialize_none(self) -> Result<(), Unmodelled> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unmodelled> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Unmodelled> {
        self.add(4); // null
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unmodelled> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Unmodelled> {
        self.string(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Unmodelled> {
        value.serialize(self)
    }

    /// `{"Variant": value}`.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Unmodelled> {
        let mut outer = self.open();
        outer.key(variant)?;
        value.serialize(&mut *outer.sizer)?;
        outer.close();
        Ok(())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'s>, Unmodelled> {
        Ok(self.open())
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'s>, Unmodelled> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'s>, Unmodelled> {
        self.serialize_seq(Some(len))
    }

    /// `{"Variant": [elements]}`.
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Variant<'s>, Unmodelled> {
        Variant::open(self, variant)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'s>, Unmodelled> {
        Ok(self.open())
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'s>, Unmodelled> {
        Ok(self.open())
    }

    /// `{"Variant": {fields}}`.
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Variant<'s>, Unmodelled> {
        Variant::open(self, variant)
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Unmodelled;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unmodelled> {
        self.element();
        value.serialize(&mut *self.sizer)
    }

    fn end(self) -> Result<(), Unmodelled> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Unmodelled;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unmodelled> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Unmodelled> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Unmodelled;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unmodelled> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Unmodelled> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unmodelled;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unmodelled> {
        self.key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unmodelled> {
        value.serialize(&mut *self.sizer)
    }

    fn end(self) -> Result<(), Unmodelled> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Unmodelled;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Unmodelled> {
        self.key(key)?;
        value.serialize(&mut *self.sizer)
    }

    fn end(self) -> Result<(), Unmodelled> {
        self.close();
        Ok(())
    }
}

/// `{"Variant": …}` around a tuple or struct variant's own container.
struct Variant<'s> {
    inner: Compound<'s>,
}

impl<'s> Variant<'s> {
    fn open(sizer: &'s mut Sizer, variant: &'static str) -> Result<Self, Unmodelled> {
        // The outer object: `{`, a newline, the indent, the variant's name and `: `.
        sizer.add(1);
        sizer.depth += 1;
        sizer.element(true);
        sizer.string(variant);
        sizer.add(2);
        Ok(Variant { inner: sizer.open() })
    }

    fn close(self) {
        let sizer = self.inner.sizer;
        let inner_empty = self.inner.empty;
        Compound {
            sizer: &mut *sizer,
            empty: inner_empty,
        }
        .close();
        Compound { sizer, empty: false }.close();
    }
}

impl ser::SerializeTupleVariant for Variant<'_> {
    type Ok = ();
    type Error = Unmodelled;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unmodelled> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }

    fn end(self) -> Result<(), Unmodelled> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeStructVariant for Variant<'_> {
    type Ok = ();
    type Error = Unmodelled;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Unmodelled> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }

    fn end(self) -> Result<(), Unmodelled> {
        self.close();
        Ok(())
    }
}

/// A map key: serde_json writes strings as they are and integers quoted; anything else
/// is not modelled.
struct KeySizer<'s> {
    sizer: &'s mut Sizer,
}

impl KeySizer<'_> {
    fn quoted_integer(self, value: impl Display) -> Result<(), Unmodelled> {
        self.sizer.add(2);
        self.sizer.integer(value);
        Ok(())
    }
}

impl ser::Serializer for KeySizer<'_> {
    type Ok = ();
    type Error = Unmodelled;
    type SerializeSeq = Impossible<(), Unmodelled>;
    type SerializeTuple = Impossible<(), Unmodelled>;
    type SerializeTupleStruct = Impossible<(), Unmodelled>;
    type SerializeTupleVariant = Impossible<(), Unmodelled>;
    type SerializeMap = Impossible<(), Unmodelled>;
    type SerializeStruct = Impossible<(), Unmodelled>;
    type SerializeStructVariant = Impossible<(), Unmodelled>;

    fn serialize_str(self, value: &str) -> Result<(), Unmodelled> {
        self.sizer.string(value);
        Ok(())
    }

    fn serialize_char(self, value: char) -> Result<(), Unmodelled> {
        self.sizer.string(value.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Unmodelled> {
        self.sizer.string(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Unmodelled> {
        value.serialize(self)
    }

    fn serialize_i8(self, value: i8) -> Result<(), Unmodelled> {
        self.quoted_integer(value)
    }

    fn serialize_i16(self, value: i16) -> Result<(), Unmodelled> {
        self.quoted_integer(value)
    }

    fn serialize_i32(self, value: i32) -> Result<(), Unmodelled> {
        self.quoted_integer(value)
    }

    fn serialize_i64(self, value: i64) -> Result<(), Unmodelled> {
        self.quoted_integer(value)
    }

    fn serialize_u8(self, value: u8) -> Result<(), Unmodelled> {
        self.quoted_integer(value)
    }

    fn serialize_u16(self, value: u16) -> Result<(), Unmodelled> {
        self.quoted_integer(value)
    }

    fn serialize_u32(self, value: u32) -> Result<(), Unmodelled> {
        self.quoted_integer(value)
    }

    fn serialize_u64(self, value: u64) -> Result<(), Unmodelled> {
        self.quoted_integer(value)
    }

    fn serialize_bool(self, _: bool) -> Result<(), Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_f32(self, _: f32) -> Result<(), Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_f64(self, _: f64) -> Result<(), Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_none(self) -> Result<(), Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_unit(self) -> Result<(), Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Unmodelled> {
        Err(Unmodelled)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unmodelled> {
        Err(Unmodelled)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::Value;

    use super::{Size, pretty_size};

    /// What serde_json itself writes.
    fn written<T: Serialize + ?Sized>(value: &T) -> Size {
        let text = serde_json::to_string_pretty(value).expect("serializable");
        Size {
            bytes: text.len(),
            lines: text.bytes().filter(|b| *b == b'\n').count(),
        }
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(Vec<u8>),
        Tuple(i32, String),
        EmptyTuple(),
        Struct { name: String, inner: Option<Box<Shape>> },
        EmptyStruct {},
    }

    #[derive(Serialize)]
    struct Fields {
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<String>,
        kept: Option<u64>,
        empty: Vec<String>,
        nested: std::collections::BTreeMap<i64, Vec<Shape>>,
        character: char,
        flag: bool,
        unit: (),
    }

    #[test]
    fn every_serde_shape_sizes_as_serde_json_writes_it() {
        let shapes = vec![
            Shape::Unit,
            Shape::Newtype(vec![0, 7, 255]),
            Shape::Newtype(Vec::new()),
            Shape::Tuple(-42, "tab\there \"quoted\" \\ \u{1}".into()),
            Shape::EmptyTuple(),
            Shape::Struct {
                name: "ünïcödé ☃".into(),
                inner: Some(Box::new(Shape::EmptyStruct {})),
            },
            Shape::Struct {
                name: String::new(),
                inner: None,
            },
        ];
        let value = Fields {
            skipped: None,
            kept: Some(u64::MAX),
            empty: Vec::new(),
            nested: [(-1, shapes), (7, Vec::new())].into_iter().collect(),
            character: '\n',
            flag: false,
            unit: (),
        };
        assert_eq!(pretty_size(&value), Some(written(&value)));
        for scalar in [Value::Null, Value::Bool(true), Value::from("x"), Value::from(0)] {
            assert_eq!(pretty_size(&scalar), Some(written(&scalar)));
        }
    }

    #[test]
    fn floats_are_not_modelled() {
        assert_eq!(pretty_size(&1.5_f64), None);
        assert_eq!(pretty_size(&vec![serde_json::json!({ "a": 0.1 })]), None);
    }

    #[test]
    fn every_entry_of_every_example_template_sizes_as_written() {
        let directory = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut checked = 0;
        for entry in std::fs::read_dir(directory).expect("the examples exist") {
            let path = entry.expect("readable").path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable");
            let name = path.display().to_string();
            let compiled = crate::compile_source(&name, &text, &crate::CompileOptions::default())
                .unwrap_or_else(|_| panic!("{name} compiles"));
            for stack in &compiled.templates {
                let template = &stack.template;
                assert_eq!(pretty_size(template), Some(written(template)), "{name}");
                for (id, resource) in &template.resources {
                    assert_eq!(pretty_size(resource), Some(written(resource)), "{name}: {id}");
                    checked += 1;
                }
                for (id, parameter) in &template.parameters {
                    assert_eq!(pretty_size(parameter), Some(written(parameter)), "{name}: {id}");
                }
                for (id, output) in &template.outputs {
                    assert_eq!(pretty_size(output), Some(written(output)), "{name}: {id}");
                }
            }
        }
        assert!(checked >= 20, "only {checked} resources checked");
    }

    /// Arbitrary JSON without floats: strings with escapes and non-ASCII, nested arrays
    /// and objects, empty ones included.
    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            "[\\x00-\\x7f\"\\\\é☃]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec(("[a-z\\x00-\\x1f\"]{0,6}", inner), 0..6)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_json_sizes_as_serde_json_writes_it(value in json()) {
            prop_assert_eq!(pretty_size(&value), Some(written(&value)));
        }
    }
}
