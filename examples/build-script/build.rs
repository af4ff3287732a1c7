//! Compiles `flows.toml` into `$OUT_DIR/<stack>.template.json`. Errors become
//! `cargo::error=` lines (the build fails and nothing is written), warnings
//! `cargo::warning=` lines.

use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=flows.toml");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    match flowform::synth_file("flows.toml") {
        Ok(synthesized) => {
            for warning in &synthesized.warnings {
                println!("cargo::warning={}", warning.one_line());
            }
            if let Err(error) = synthesized.write(&out_dir, flowform::Format::Json) {
                println!("cargo::error=cannot write templates to {}: {error}", out_dir.display());
            }
        }
        Err(report) => {
            for diagnostic in &report.diagnostics {
                let level = if diagnostic.is_error() { "error" } else { "warning" };
                println!("cargo::{level}={}", diagnostic.one_line());
            }
        }
    }
}
