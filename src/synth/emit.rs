//! Emission: templates → JSON or YAML text, and atomic writes of a set of files.
//!
//! JSON is canonical (two-space indentation, trailing newline). YAML uses serde-saphyr,
//! which quotes every string CloudFormation's YAML 1.1 reader would otherwise turn into
//! something else (`yes`, `on`, `No`, `2024-01-01`, `0x1F`, ...); a golden test pins that.
//! Writing is all or nothing: every file goes to a temporary sibling first, and only when
//! all are written are they renamed into place.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cfn::Template;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// JSON (the default).
    #[default]
    Json,
    /// YAML.
    #[cfg(feature = "yaml")]
    Yaml,
}

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            #[cfg(feature = "yaml")]
            Format::Yaml => "yaml",
        }
    }
}

/// The template as text in `format`.
pub fn emit(template: &Template, format: Format) -> String {
    match format {
        Format::Json => template.to_json(),
        #[cfg(feature = "yaml")]
        Format::Yaml => serde_saphyr::to_string(template).unwrap_or_default(),
    }
}

/// Writes every `(path, contents)` pair, or none of them: contents go to temporary files
/// next to their targets, which are renamed into place only once all were written.
pub fn write_atomically(files: &[(PathBuf, String)]) -> std::io::Result<()> {
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let result = (|| {
        for (path, contents) in files {
            let directory = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            std::fs::create_dir_all(directory)?;
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let temporary = directory.join(format!(".{file_name}.{}.tmp", std::process::id()));
            let mut file = std::fs::File::create(&temporary)?;
            staged.push((temporary, path));
            file.write_all(contents.as_bytes())?;
            file.sync_all()?;
        }
        for (temporary, path) in &staged {
            std::fs::rename(temporary, path)?;
        }
        Ok(())
    })();
    if result.is_err() {
        for (temporary, _) in &staged {
            let _ = std::fs::remove_file(temporary);
        }
    }
    result
}
