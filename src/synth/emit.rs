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
/// [`Staging::commit`] renames them all into place, putting back every file it replaced
/// if one rename fails. Dropping an uncommitted staging removes its temporary files.
///
/// What "all or nothing" means for a set of files: each file is replaced atomically
/// (rename); a failed commit restores the ones already replaced; an interrupt (SIGINT)
/// before the commit removes the temporaries ([`remove_in_flight`]); a process killed
/// outright leaves temporaries (`.<file>.<pid>.tmp`) that the next staging in the same
/// directory removes, and, if it was killed during the renames, a mix of old and new
/// templates that the next run rewrites.
#[derive(Debug, Default)]
pub struct Staging {
    staged: Vec<(PathBuf, PathBuf)>,
    /// Directories already cleared of earlier runs' temporaries.
    swept: Vec<PathBuf>,
}

/// The temporary files of every staging in flight, so an interrupt can remove them.
static IN_FLIGHT: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn in_flight() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    IN_FLIGHT.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes the temporary files of every staging in flight: for an interrupt handler,
/// which then exits (the stagings are never committed).
pub fn remove_in_flight() {
    for temporary in in_flight().drain(..) {
        let _ = std::fs::remove_file(temporary);
    }
}

/// Removes, from `directory`, the temporaries (`.<file>.<pid>.tmp`) and backups
/// (`.<file>.<pid>.bak`) of runs that no longer exist: a process killed outright leaves
/// them, and nothing else would. A run still going is left alone (its process exists;
/// where `/proc` cannot say, a file is only removed after a day).
fn sweep(directory: &Path) {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    let ours = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix('.') else {
            continue;
        };
        let Some(stem) = rest.strip_suffix(".tmp").or_else(|| rest.strip_suffix(".bak")) else {
            continue;
        };
        let Some((_, pid)) = stem.rsplit_once('.') else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid == ours {
            continue;
        }
        let gone = if Path::new("/proc/self").exists() {
            !Path::new(&format!("/proc/{pid}")).exists()
        } else {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|modified| modified.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 86_400)
        };
        if gone {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// `path`'s sibling `.<file name>.<pid>.<suffix>`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    directory.join(format!(".{file_name}.{}.{suffix}", std::process::id()))
}

/// `error` with the file it is about named first.
fn about(path: &Path, error: std::io::Error) -> std::io::Error {
    std::io::Error::new(error.kind(), format!("`{}`: {error}", path.display()))
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
        if !self.swept.iter().any(|swept| swept == directory) {
            sweep(directory);
            self.swept.push(directory.to_path_buf());
        }
        let temporary = sibling(path, "tmp");
        let mut file = std::fs::File::create(&temporary)?;
        in_flight().push(temporary.clone());
        self.staged.push((temporary, path.to_path_buf()));
        // No fsync: the guarantee is that a failed run leaves no partial output, which
        // the rename gives; forcing every template to disk would cost more than compiling it.
        file.write_all(contents.as_bytes())?;
        Ok(true)
    }

    /// Takes over the files `other` staged (so workers can stage in parallel).
    pub fn absorb(&mut self, mut other: Staging) {
        self.staged.append(&mut other.staged);
        self.swept.append(&mut other.swept);
    }

    /// Moves every staged file into place. If one cannot be (its target is a directory,
    /// an immutable file, ...), the files already moved are put back as they were, and
    /// the error names the file that failed.
    pub fn commit(mut self) -> std::io::Result<()> {
        // (target, its previous contents kept as a backup, if it had any)
        let mut replaced: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        let mut failure = None;
        for (temporary, path) in &self.staged {
            let backup = if path.is_file() {
                let backup = sibling(path, "bak");
                let kept = std::fs::hard_link(path, &backup).or_else(|_| std::fs::copy(path, &backup).map(drop));
                if let Err(error) = kept {
                    failure = Some(about(path, error));
                    break;
                }
                Some(backup)
            } else {
                None
            };
            if let Err(error) = std::fs::rename(temporary, path) {
                if let Some(backup) = backup {
                    let _ = std::fs::remove_file(backup);
                }
                failure = Some(about(path, error));
                break;
            }
            replaced.push((path.clone(), backup));
        }
        match failure {
            None => {
                for (_, backup) in replaced {
                    if let Some(backup) = backup {
                        let _ = std::fs::remove_file(backup);
                    }
                }
                self.forget();
                Ok(())
            }
            Some(error) => {
                for (path, backup) in replaced.into_iter().rev() {
                    let _ = match backup {
                        Some(backup) => std::fs::rename(backup, &path),
                        None => std::fs::remove_file(&path),
                    };
                }
                Err(error)
            }
        }
    }

    /// Drops the record of the staged files (moved into place, or removed).
    fn forget(&mut self) {
        let mut in_flight = in_flight();
        in_flight.retain(|temporary| !self.staged.iter().any(|(staged, _)| staged == temporary));
        self.staged.clear();
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
        self.forget();
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

    #[test]
    fn a_failed_commit_puts_back_every_file_it_replaced() {
        let directory = scratch("rollback");
        let (first, second) = (directory.join("a.json"), directory.join("b.json"));
        write_atomically(&[(first.clone(), "old\n".into())]).unwrap();
        // The second target is a directory: its rename fails after the first one's.
        std::fs::create_dir(&second).unwrap();
        let error = write_atomically(&[(first.clone(), "new\n".into()), (second.clone(), "new\n".into())]).unwrap_err();
        assert!(error.to_string().contains("b.json"), "{error}");
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "old\n");
        let names: Vec<String> = std::fs::read_dir(&directory)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.ends_with(".tmp") && !n.ends_with(".bak")),
            "{names:?}"
        );
        std::fs::remove_dir_all(directory).unwrap();
    }

    #[test]
    fn temporaries_of_runs_that_are_gone_are_swept() {
        let directory = scratch("sweep");
        // No process has this id (above the kernel's pid_max); ours, and other files, stay.
        let stale = directory.join(".crm.template.json.4194999.tmp");
        let backup = directory.join(".crm.lock.4194999.bak");
        let unrelated = directory.join(".editor.swp.tmp");
        for file in [&stale, &backup, &unrelated] {
            std::fs::write(file, "x").unwrap();
        }
        write_atomically(&[(directory.join("crm.template.json"), "{}\n".into())]).unwrap();
        assert!(!stale.exists() && !backup.exists());
        assert!(unrelated.exists());
        std::fs::remove_dir_all(directory).unwrap();
    }
}
