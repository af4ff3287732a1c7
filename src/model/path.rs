//! Model paths: where in a stack a value lives, e.g. `flow.accounts.filter[0].value`.
//!
//! Every error and warning carries the path of the value it is about. Paths are spelled
//! like the keys of the TOML format, so the TOML front end can turn a path back into the
//! exact span of the file, and Rust API users can read them as they are.

use std::fmt;
use std::sync::Arc;

/// One step of a [`Path`]. Keys are shared, so extending a path copies no strings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// A table key.
    Key(Arc<str>),
    /// A list index.
    Index(usize),
}

/// A location inside a stack.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path(Vec<Segment>);

impl Path {
    /// The stack itself.
    pub fn root() -> Self {
        Path(Vec::new())
    }

    /// This path extended by a key.
    pub fn key(&self, key: impl AsRef<str>) -> Self {
        let mut segments = Vec::with_capacity(self.0.len() + 1);
        segments.extend_from_slice(&self.0);
        segments.push(Segment::Key(Arc::from(key.as_ref())));
        Path(segments)
    }

    /// This path extended by a list index.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = Vec::with_capacity(self.0.len() + 1);
        segments.extend_from_slice(&self.0);
        segments.push(Segment::Index(index));
        Path(segments)
    }

    /// The segments, outermost first.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// Whether this path is `prefix` or lies below it.
    pub fn starts_with(&self, prefix: &Path) -> bool {
        self.0.starts_with(&prefix.0)
    }

    /// The path one step up (the root stays the root).
    pub fn parent(&self) -> Path {
        let mut segments = self.0.clone();
        segments.pop();
        Path(segments)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(stack)");
        }
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) => {
                    if position > 0 {
                        f.write_str(".")?;
                    }
                    if is_bare_key(key) {
                        f.write_str(key)?;
                    } else {
                        write!(f, "{key:?}")?;
                    }
                }
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Whether TOML accepts `key` unquoted.
fn is_bare_key(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_a_toml_key_path() {
        let path = Path::root()
            .key("flow")
            .key("accounts")
            .key("filter")
            .index(2)
            .key("value");
        assert_eq!(path.to_string(), "flow.accounts.filter[2].value");
        assert_eq!(Path::root().key("flow").key("a b").to_string(), "flow.\"a b\"");
        assert!(path.starts_with(&Path::root().key("flow")));
        assert_eq!(path.parent().to_string(), "flow.accounts.filter[2]");
    }
}
