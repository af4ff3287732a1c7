//! Emission: templates → JSON or YAML text, and atomic writes of a set of files.
//!
//! JSON is canonical (two-space indentation, trailing newline). YAML uses serde-saphyr,
//! which quotes every string CloudFormation's YAML 1.1 reader would otherwise turn into
//! something else (`yes`, `on`, `No`, `2024-01-01`, `0x1F`, ...); a golden test pins that.
//! Writing is all or nothing: every file goes to a temporary sibling first, and only when
//! all are written are they renamed into place ([`Staging`]).

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
        // No block scalars: a literal block whose line starts with a tab (a tag value
        // "\t\n:x") is refused by libyaml-based readers and cfn-lint, and a folded one
        // depends on the reader's folding; quoted scalars read the same everywhere.
        Format::Yaml => {
            let options = serde_saphyr::ser_options! { prefer_block_scalars: false };
            serde_saphyr::to_string_with_options(template, options).unwrap_or_default()
        }
    }
}

/// Files being written all or nothing: each [`Staging::stage`] writes a temporary file next
/// to its target right away (so contents need not be held in memory together), and
/// [`Staging::commit`] renames them all into place. Dropping an uncommitted staging
/// removes its temporary files.
#[derive(Debug, Default)]
pub struct Staging {
    staged: Vec<(PathBuf, PathBuf)>,
}

impl Staging {
    /// Writes `contents` to a temporary file beside `path`, and returns `true`. A file that
    /// already holds exactly `contents` is left as it is, and `false` returned: its
    /// modification time stays, so build tools watching it see no change (and replacing a
    /// file by rename can make the file system flush the new one to disk at once: ext4
    /// does, to be safe against crashes).
    pub fn stage(&mut self, path: &Path, contents: &str) -> std::io::Result<bool> {
        if holds(path, contents) {
            return Ok(false);
        }
        let directory = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        create_directory(directory)?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temporary = directory.join(format!(".{file_name}.{}.tmp", std::process::id()));
        let mut file = std::fs::File::create(&temporary)?;
        self.staged.push((temporary, path.to_path_buf()));
        // No fsync: the guarantee is that a failed run leaves no partial output, which
        // the rename gives; forcing every template to disk would cost more than compiling it.
        file.write_all(contents.as_bytes())?;
        Ok(true)
    }

    /// Takes over the files `other` staged (so workers can stage in parallel).
    pub fn absorb(&mut self, mut other: Staging) {
        self.staged.append(&mut other.staged);
    }

    /// Moves every staged file into place.
    pub fn commit(mut self) -> std::io::Result<()> {
        for (temporary, path) in &self.staged {
            std::fs::rename(temporary, path)?;
        }
        self.staged.clear();
        Ok(())
    }
}

/// `create_dir_all`, with the one case it words badly said plainly: a symbolic link whose
/// target does not exist ("File exists" otherwise).
fn create_directory(directory: &Path) -> std::io::Result<()> {
    if let Ok(link) = std::fs::symlink_metadata(directory)
        && link.file_type().is_symlink()
        && std::fs::metadata(directory).is_err()
    {
        let target = std::fs::read_link(directory).unwrap_or_default();
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "`{}` is a symbolic link to `{}`, which does not exist",
                directory.display(),
                target.display()
            ),
        ));
    }
    std::fs::create_dir_all(directory)
}

/// Whether the file at `path` holds exactly `contents` (the size is checked first, so a
/// changed file is rarely read).
fn holds(path: &Path, contents: &str) -> bool {
    let same_size = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == contents.len() as u64);
    same_size && std::fs::read(path).is_ok_and(|existing| existing == contents.as_bytes())
}

impl Drop for Staging {
    fn drop(&mut self) {
        for (temporary, _) in &self.staged {
            let _ = std::fs::remove_file(temporary);
        }
    }
}

/// Writes every `(path, contents)` pair, or none of them (see [`Staging`]).
pub fn write_atomically(files: &[(PathBuf, String)]) -> std::io::Result<()> {
    let mut staging = Staging::default();
    for (path, contents) in files {
        staging.stage(path, contents)?;
    }
    staging.commit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn scratch(name: &str) -> PathBuf {
        let directory = std::env::temp_dir().join(format!("flowform-emit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&directory);
        std::fs::create_dir_all(&directory).unwrap();
        directory
    }

    #[test]
    fn a_file_that_already_holds_the_contents_is_not_rewritten() {
        let directory = scratch("unchanged");
        let (same, changed) = (directory.join("same.json"), directory.join("changed.json"));
        write_atomically(&[(same.clone(), "{}\n".into()), (changed.clone(), "{}\n".into())]).unwrap();
        let modified = |path: &Path| std::fs::metadata(path).unwrap().modified().unwrap();
        let before = (modified(&same), std::fs::metadata(&same).unwrap().ino());
        std::thread::sleep(std::time::Duration::from_millis(20));
        write_atomically(&[(same.clone(), "{}\n".into()), (changed.clone(), "{ }\n".into())]).unwrap();
        assert_eq!((modified(&same), std::fs::metadata(&same).unwrap().ino()), before);
        assert_eq!(std::fs::read_to_string(&changed).unwrap(), "{ }\n");
        let leftovers: Vec<_> = std::fs::read_dir(&directory)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        std::fs::remove_dir_all(directory).unwrap();
    }

    #[test]
    fn nothing_is_written_unless_every_file_is_staged() {
        let directory = scratch("all-or-nothing");
        let good = directory.join("good.json");
        // A file where a directory should be makes the second write fail.
        let blocked = directory.join("not-a-directory");
        std::fs::write(&blocked, "").unwrap();
        let result = write_atomically(&[(good.clone(), "{}\n".into()), (blocked.join("t.json"), "{}\n".into())]);
        assert!(result.is_err());
        assert!(!good.exists());
        std::fs::remove_dir_all(directory).unwrap();
    }
}
