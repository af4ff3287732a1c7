//! UI tests: every `tests/ui/*.toml` is a bad input run through `flowform synth` exactly
//! as a user would; its rendered diagnostics (no colour, 100 columns) must equal
//! `tests/ui/<name>.stderr`, the exit code must be 1, and nothing may be written.
//! A first line `# args: ...` adds command-line flags.
//! To update the expected output after an intended change: `SNAPSHOTS=overwrite cargo test`.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn flowform(args: &[&str], out_dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flowform"))
        .current_dir(support::root())
        .args(args)
        .arg("--out-dir")
        .arg(out_dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowform-ui-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn assert_nothing_written(dir: &Path, case: &str) {
    let written: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "{case}: a failed run wrote {written:?}");
}

#[test]
fn every_bad_input_gets_its_diagnostic_and_writes_nothing() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(support::root().join("tests/ui"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 30,
        "expected at least 30 UI cases, found {}",
        cases.len()
    );
    let overwrite = std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_stem().unwrap().to_string_lossy().into_owned();
        let relative = format!("tests/ui/{name}.toml");
        let text = std::fs::read_to_string(case).unwrap();
        let mut args = vec!["synth", "--color", "never", relative.as_str()];
        if let Some(extra) = text.lines().next().and_then(|l| l.strip_prefix("# args: ")) {
            args.extend(extra.split_whitespace());
        }
        let out_dir = scratch(&name);
        let output = flowform(&args, &out_dir);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(1), "{name}: exit code\n{stderr}");
        assert!(output.stdout.is_empty(), "{name}: printed to stdout");
        assert!(stderr.contains("nothing was written"), "{name}: {stderr}");
        assert_nothing_written(&out_dir, &name);
        let expected_path = case.with_extension("stderr");
        if overwrite {
            std::fs::write(&expected_path, &stderr).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != stderr {
            failures.push(format!(
                "--- {name}: differs from {}\n{}",
                expected_path.display(),
                support::diff(&expected, &stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} UI case(s) differ; if intended, run `SNAPSHOTS=overwrite cargo test`\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_huge_input_reports_every_error_and_writes_nothing() {
    let mut text = String::from("[stack]\nname = \"huge\"\n\n[bucket.lake]\n\n");
    text.push_str("[profile.sf.salesforce]\ninstance-url = \"https://acme.my.salesforce.com\"\noauth.access-token = { parameter = \"T\" }\n\n");
    for i in 0..3_000 {
        // Every flow misspells its bucket.
        text.push_str(&format!(
            "[flow.f{i}]\nsource.salesforce = {{ profile = \"sf\", object = \"Account\" }}\ndestination.s3 = {{ bucket = \"laek\" }}\nmap-all = {{}}\n\n"
        ));
    }
    let file = std::env::temp_dir().join(format!("flowform-huge-{}.toml", std::process::id()));
    std::fs::write(&file, &text).unwrap();
    let out_dir = scratch("huge");
    let output = flowform(&["synth", "--color", "never", file.to_str().unwrap()], &out_dir);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("3000 errors, 0 warnings"),
        "{}",
        &stderr[stderr.len().saturating_sub(300)..]
    );
    // Shown: the first 100, then the count of the rest (the library returns all).
    assert_eq!(stderr.matches("flowform::model::unknown_reference").count(), 100);
    assert!(stderr.contains("note: 2900 more diagnostics not shown (the first 100 are)"));
    assert_nothing_written(&out_dir, "huge");
    let _ = std::fs::remove_file(file);
}

#[test]
fn a_good_file_is_written_and_a_bad_one_next_to_it_blocks_both() {
    let out_dir = scratch("mixed");
    let good = "examples/salesforce_to_s3_on_demand.toml";
    let output = flowform(&["synth", good, "tests/ui/no_mapping.toml"], &out_dir);
    assert_eq!(output.status.code(), Some(1));
    assert_nothing_written(&out_dir, "mixed");
    let output = flowform(&["synth", good], &out_dir);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = std::fs::read_to_string(out_dir.join("crm-export.template.json")).unwrap();
    let golden = std::fs::read_to_string(support::root().join("snapshots/salesforce_to_s3_on_demand.json")).unwrap();
    assert_eq!(written, golden);
    let _ = std::fs::remove_dir_all(out_dir);
}

#[test]
fn usage_errors_exit_with_2_and_version_works() {
    let out_dir = scratch("usage");
    let output = flowform(&["synth", "--format", "xml"], &out_dir);
    assert_eq!(output.status.code(), Some(2));
    let version = Command::new(env!("CARGO_BIN_EXE_flowform"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(version.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("flowform "));
}

/// `flowform validate … 2>&1 | head` and `flowform synth --stdout … | head`: the reader
/// quits after a few lines, and flowform ends quietly (no panic on the closed pipe),
/// having written no file.
#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    // Enough warnings and flows to overflow any pipe buffer, so the writes do hit the
    // closed pipe.
    let mut text = String::from("[stack]\nname = \"pipe\"\n\n[bucket.lake]\n");
    for i in 0..1_500 {
        text.push_str(&format!("[bucket.unused-{i}]\nimport = \"acme-unused-{i}\"\n"));
    }
    for i in 0..300 {
        text.push_str(&format!(
            "[flow.f{i}]\nsource.s3 = {{ bucket = \"lake\", prefix = \"in\" }}\ndestination.s3 = {{ bucket = \"lake\", prefix = \"out/{i}\" }}\nmap-all = {{}}\n"
        ));
    }
    let dir = scratch("pipe");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("pipe.toml");
    std::fs::write(&file, &text).unwrap();
    let out_dir = dir.join("out");
    for (args, reads_stdout) in [
        (vec!["validate", "--color", "never"], false),
        (vec!["synth", "--stdout", "--color", "never", "--out-dir", "out"], true),
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_flowform"))
            .current_dir(&dir)
            .args(&args)
            .arg(&file)
            .stdin(Stdio::null())
            .stdout(if reads_stdout { Stdio::piped() } else { Stdio::null() })
            .stderr(if reads_stdout { Stdio::null() } else { Stdio::piped() })
            .spawn()
            .unwrap();
        let mut first = [0u8; 64];
        if reads_stdout {
            child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        } else {
            child.stderr.take().unwrap().read_exact(&mut first).unwrap();
        }
        // The pipe's read end is dropped here, as `head` closes it.
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: ended with {status}");
        assert!(!out_dir.exists(), "{args:?} wrote files");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// A diagnostic far into a long line (a minified or generated file) is shown on one line
/// instead of drawn: miette's drawing panics past column 65,535 (exit 101).
#[test]
fn a_diagnostic_far_into_its_line_is_shown_on_one_line() {
    let dir = scratch("long-line");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("long.toml");
    let padding = "a".repeat(70_000);
    std::fs::write(
        &file,
        format!("[stack]\nname = \"s\"\ndescription = \"{padding}\", bogus = 1\n"),
    )
    .unwrap();
    let output = flowform(&["synth", "--color", "never", file.to_str().unwrap()], &dir.join("out"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("long.toml:3:70017: "), "{stderr}");
    assert!(stderr.contains("[flowform::input::syntax]"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Output that cannot be written (`> /dev/full`) is an error, not a silent success.
#[test]
fn output_to_a_full_device_fails_with_1() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not on this system
    };
    for args in [
        vec!["schema"],
        vec!["synth", "--stdout", "examples/salesforce_to_s3_hourly.toml"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_flowform"))
            .current_dir(support::root())
            .args(&args)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("cannot write to stdout"), "{args:?}: {stderr}");
    }
    // Diagnostics to a full stderr: the errors still decide the exit code, and nothing
    // panics.
    let output = Command::new(env!("CARGO_BIN_EXE_flowform"))
        .current_dir(support::root())
        .args(["validate", "tests/ui/references_misuse.toml"])
        .stderr(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
}

/// A file named twice is compiled once; an out dir that is a dangling symbolic link is
/// named as such.
#[test]
fn a_file_named_twice_and_a_dangling_out_dir() {
    let dir = scratch("twice");
    std::fs::create_dir_all(&dir).unwrap();
    let example = support::root().join("examples/salesforce_to_s3_hourly.toml");
    let copy = dir.join("flows.toml");
    std::fs::copy(&example, &copy).unwrap();
    let same = dir.join(".").join("flows.toml");
    let output = Command::new(env!("CARGO_BIN_EXE_flowform"))
        .current_dir(&dir)
        .args(["validate", copy.to_str().unwrap(), same.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("is given more than once; it is compiled once"),
        "{stderr}"
    );
    #[cfg(unix)]
    {
        let link = dir.join("out");
        std::os::unix::fs::symlink(dir.join("missing"), &link).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_flowform"))
            .current_dir(&dir)
            .args(["synth", copy.to_str().unwrap(), "-o", link.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("is a symbolic link to"), "{stderr}");
        assert!(stderr.contains("which does not exist"), "{stderr}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// A lock that cannot be replaced (here a directory) fails the run naming the lock, and
/// the templates already renamed into place are taken back: nothing changes.
#[test]
fn a_lock_that_cannot_be_replaced_changes_nothing() {
    let dir = scratch("lock-dir");
    std::fs::create_dir_all(dir.join("flows.lock")).unwrap();
    std::fs::copy(
        support::root().join("examples/salesforce_to_s3_hourly.toml"),
        dir.join("flows.toml"),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_flowform"))
        .current_dir(&dir)
        .args(["synth", "--color", "never", "flows.toml", "-o", "out"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write `flows.lock`"), "{stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_nothing_written(&dir.join("out"), "lock-dir");
    let _ = std::fs::remove_dir_all(dir);
}
