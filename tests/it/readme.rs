//! The README's TOML blocks compile, and its sample diagnostic is what flowform prints.

use crate::support;

fn readme() -> String {
    std::fs::read_to_string(support::root().join("README.md")).unwrap()
}

/// The fenced blocks of `lang` in the README.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let fence = format!("```{lang}\n");
    text.split(&fence)
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap().to_owned())
        .collect()
}

#[test]
fn every_complete_toml_block_compiles() {
    let text = readme();
    let files: Vec<String> = blocks(&text, "toml")
        .into_iter()
        .filter(|b| b.contains("[stack]"))
        .collect();
    assert!(!files.is_empty());
    for file in files {
        if let Err(report) = flowform::compile_source("README.md", &file, &support::options()) {
            let lines: Vec<String> = report.diagnostics.iter().map(|d| d.one_line()).collect();
            panic!("README block does not compile:\n{file}\n{}", lines.join("\n"));
        }
    }
}

#[test]
fn the_sample_diagnostic_is_what_flowform_prints() {
    let text = readme();
    let first_file = blocks(&text, "toml")
        .into_iter()
        .find(|b| b.contains("[stack]"))
        .unwrap();
    let sample = blocks(&text, "text")
        .into_iter()
        .find(|b| b.contains("unknown value `parqet`"))
        .unwrap();
    let dir = std::env::temp_dir().join(format!("flowform-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("flows.toml"), first_file.replace("\"parquet\"", "\"parqet\"")).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_flowform"))
        .current_dir(&dir)
        .args(["validate", "--color", "never", "flows.toml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&sample), "README sample differs from:\n{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

/// The environment the README's values and targets files read from: the two variables
/// they name, and no files.
#[cfg(feature = "deploy")]
struct Environment;

#[cfg(feature = "deploy")]
impl flowform::deploy::values::Outside for Environment {
    fn env(&self, name: &str) -> Option<String> {
        match name {
            "PROD_SALESFORCE_JWT" => Some("jwt".to_string()),
            "GLOBEX_OBJECT" => Some("Contact".to_string()),
            _ => None,
        }
    }
    fn file(&self, path: &std::path::Path) -> std::io::Result<String> {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            path.display().to_string(),
        ))
    }
    fn stdin(&self) -> Option<std::io::Result<String>> {
        None
    }
}

/// The README's values file reads as the deploy reads it.
#[cfg(feature = "deploy")]
#[test]
fn the_values_file_block_reads() {
    let text = readme();
    let block = blocks(&text, "toml")
        .into_iter()
        .find(|b| b.contains("# environments/prod.toml"))
        .expect("the values file block");
    let block: String = block.lines().map(|line| line.trim_start().to_string() + "\n").collect();
    let values = flowform::deploy::values::parse("README.md", &block, std::path::Path::new("."), &Environment)
        .unwrap_or_else(|errors| panic!("{errors:?}"));
    let read: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.value.as_str())).collect();
    assert_eq!(
        read,
        [
            ("InstanceUrl", "https://acme.my.salesforce.com"),
            ("RecordObject", "Account"),
            ("SalesforceJwt", "jwt")
        ]
    );
}

/// The README's targets files read as a rollout reads them.
#[cfg(feature = "deploy")]
#[test]
fn the_targets_file_blocks_read() {
    let text = readme();
    let files: Vec<String> = blocks(&text, "toml")
        .into_iter()
        .filter(|b| b.contains("[target."))
        .collect();
    assert_eq!(files.len(), 2, "the vendor's and the organization's");
    for file in files {
        let read = flowform::rollout::targets::parse(std::path::Path::new("README.md"), &file, &Environment)
            .unwrap_or_else(|errors| {
                panic!(
                    "README targets block does not read:\n{file}\n{}",
                    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
                )
            });
        assert_eq!(read.targets.len(), 2);
    }
    // The example beside the vendor example reads too.
    let path = support::root().join("examples/rollout/customers.toml");
    let example = std::fs::read_to_string(&path).unwrap();
    let read = flowform::rollout::targets::parse(&path, &example, &Environment).unwrap();
    assert_eq!(read.deployments().len(), 4);
}
