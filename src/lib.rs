//! flowform: Amazon AppFlow flows as code, compiled to plain CloudFormation.
//!
//! # Pipeline
//!
//! ```text
//!  flows.toml ─ parse ─► input::raw ─ lower ─► model::Stack ◄── Rust builder API (model)
//!                                                  │ validate     every rule, every error, with its path
//!                                                  │ grant        one statement per service and resource (AppFlow's, and monitoring's)
//!                                                  │ synthesize   typed cfn::Template (generated property types)
//!                                                  │ split        stacks within CloudFormation's quotas
//!                                                  ▼ emit         JSON or YAML, written all or nothing
//! ```
//!
//! | stage | function | module |
//! |---|---|---|
//! | parse | `toml`'s recoverable parser, item by item when the file allows | [`input`] (`items`, `light`) |
//! | lower | raw TOML → [`model::Stack`], every error of the file | [`input::lower`], each connector's `Lower` in [`connectors`] |
//! | validate | [`validate`] → [`Validated`] | [`model`] (`validate`), each connector's checks |
//! | grant | [`grant_permissions`] → [`Granted`] | [`permissions`] |
//! | synthesize | [`synthesize`] → [`cfn::Template`] | [`synth`], [`cfn`] |
//! | split | [`synthesize_split`] → [`Split`] | [`split`] |
//! | emit | [`emit`], [`write_atomically`] | [`synth::emit`] |
//!
//! Each stage takes what the one before gives, by type: synthesis takes only a [`Granted`]
//! stack, which only [`grant_permissions`] makes, from a [`Validated`] one. Connectors are
//! one module each in [`connectors`], behind one registry; the CloudFormation types and the
//! connector facts are generated from the official resource schemas (`src/codegen`).
//!
//! One driver runs validate and grant for every entry point: [`compile`] (one template),
//! [`compile_split`] (within the quotas), and the TOML front end ([`compile_source`],
//! [`synth_file`], the CLI), which lowers first and renders the model's diagnostics at their
//! places in the file.
//!
//! ```
//! use flowform::model::*;
//!
//! let mut stack = Stack::new("lake-curation");
//! let raw = stack.add_bucket(Bucket::owned("raw"));
//! let curated = stack.add_bucket(Bucket::owned("curated"));
//! stack.add_flow(
//!     OnScheduleFlow::new(
//!         "orders",
//!         Schedule::rate(1, RateUnit::Hours),
//!         S3Source::new(&raw, "orders").format(InputFileType::Csv),
//!         S3Destination::new(&curated).prefix("orders").file_type(FileType::Parquet),
//!     )
//!     .mapping(Mapping::map_all()),
//! );
//! let compiled = flowform::compile(stack, &flowform::CompileOptions::default()).unwrap();
//! assert!(compiled.template.resources.contains_key("OrdersFlow"));
//! ```
//!
//! The README has the SaaS scenarios (connector profiles, SaaS sources and destinations) in
//! both TOML and Rust.
//!
//! Beyond compiling (feature `deploy`): [`deploy`] deploys, diffs and destroys the
//! templates through CloudFormation change sets; [`operate`] runs and watches the deployed
//! flows through AppFlow's API (`run`, `status`, `history`, `stop`, `start`) and writes the
//! flow file of flows that already exist (`import`).

#![forbid(unsafe_code)]

/// `eprintln!` that never panics: a closed stderr (`flowform validate … 2>&1 | head`) drops
/// the line instead of aborting the run half-way (the standard macros panic on `EPIPE`).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `println!` that never panics: when the reader of a pipe quits (`flowform diff … |
/// head`), the rest is dropped quietly; any other failure (`> /dev/full`) is recorded,
/// and the command then exits with 1 ([`stdout_failed`]).
#[allow(unused_macros)]
macro_rules! out {
    ($($arg:tt)*) => {{
        $crate::write_stdout(format!("{}\n", format_args!($($arg)*)).as_bytes());
    }};
}

/// Whether a write to stdout failed for another reason than its reader quitting.
static STDOUT_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes `bytes` to stdout: a closed pipe drops them (the reader has what it wanted),
/// any other failure is recorded for [`stdout_failed`].
#[doc(hidden)]
pub fn write_stdout(bytes: &[u8]) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout.write_all(bytes).and_then(|()| stdout.flush())
        && error.kind() != std::io::ErrorKind::BrokenPipe
    {
        STDOUT_FAILED.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Whether some output to stdout was lost (a full disk, a closed file): the output is
/// incomplete, and the CLI exits with 1.
#[doc(hidden)]
pub fn stdout_failed() -> bool {
    STDOUT_FAILED.load(std::sync::atomic::Ordering::Relaxed)
}

pub mod cfn;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(test)]
mod codegen;
pub mod connectors;
#[cfg(feature = "deploy")]
pub mod deploy;
pub mod hash;
pub mod input;
pub mod model;
#[cfg(feature = "deploy")]
pub mod operate;
mod parallel;
pub mod permissions;
pub mod policy;
#[cfg(feature = "deploy")]
pub mod rollout;
pub mod split;
pub mod synth;

use jiff::Timestamp;

pub use input::{InputDiagnostic, InputReport, Synthesized, compile_source, compile_source_locked, synth_file};
pub use model::{Diagnostics, ModelError, ModelWarning, Validated, validate};
pub use permissions::{Granted, grant_permissions};
pub use split::{Lock, Split, StackTemplate, synthesize_split, synthesize_split_as};
pub use synth::emit::{Format, Staging, emit, write_atomically};
pub use synth::synthesize;

/// Settings of one compilation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileOptions {
    /// The time "in the past" warnings compare against. It never changes the template.
    pub now: Timestamp,
    /// Deploy under this stack name instead of the one the stack declares (`flowform
    /// deploy --stack`). The name also prefixes physical names, so one file can be
    /// deployed twice (dev and prod) without clashes.
    pub stack_name: Option<String>,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            now: Timestamp::now(),
            stack_name: None,
        }
    }
}

impl CompileOptions {
    /// Applies the options that change the model (the stack name override).
    pub(crate) fn apply(&self, stack: &mut model::Stack) {
        if let Some(name) = &self.stack_name {
            stack.name.clone_from(name);
        }
    }
}

/// A successful compilation.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    /// The CloudFormation template.
    pub template: cfn::Template,
    /// Warnings the user should read (imported resources needing manual policies, start
    /// times in the past, ...).
    pub warnings: Vec<ModelWarning>,
}

/// The driver every entry point shares: applies `options`, validates `stack` and grants
/// AppFlow its permissions, returning the granted stack and every warning so far.
pub(crate) fn validate_and_grant(
    mut stack: model::Stack,
    options: &CompileOptions,
) -> Result<(Granted, Vec<ModelWarning>), Diagnostics> {
    options.apply(&mut stack);
    let acknowledgements = std::mem::take(&mut stack.acknowledgements);
    let (validated, mut warnings) = validate(stack, options.now).map_err(|mut diagnostics| {
        diagnostics.warnings = model::acknowledge::apply(&acknowledgements, diagnostics.warnings, false);
        diagnostics
    })?;
    let (granted, grant_warnings) = grant_permissions(validated);
    warnings.extend(grant_warnings);
    Ok((granted, model::acknowledge::apply(&acknowledgements, warnings, true)))
}

/// Validates `stack`, grants AppFlow its permissions and synthesizes one template,
/// whatever its size ([`compile_split`] keeps within CloudFormation's quotas).
pub fn compile(stack: model::Stack, options: &CompileOptions) -> Result<Compiled, Diagnostics> {
    let (granted, warnings) = validate_and_grant(stack, options)?;
    Ok(Compiled {
        template: synthesize(&granted),
        warnings,
    })
}

/// Like [`compile`], but splits the result into as many stacks as CloudFormation's quotas
/// require, keeping each flow in the stack `lock` places it in (see [`split`]). Returns the
/// split and the warnings. The lock names the stacks the model declares, also when
/// `options` deploys it under another name (see [`split::synthesize_split_as`]).
pub fn compile_split(
    stack: model::Stack,
    options: &CompileOptions,
    lock: &Lock,
) -> Result<(Split, Vec<ModelWarning>), Diagnostics> {
    let declared = stack.name().to_owned();
    let (granted, warnings) = validate_and_grant(stack, options)?;
    match split::synthesize_split_as(&granted, &declared, lock) {
        Ok(split) => Ok((split, warnings)),
        Err(errors) => Err(Diagnostics { errors, warnings }),
    }
}

/// Compiles `stack`, prints the template to stdout and every warning to stderr; on
/// errors prints them all and returns a failing exit code. For examples and small
/// programs that build a stack in Rust.
pub fn print_template(stack: model::Stack) -> std::process::ExitCode {
    match compile(stack, &CompileOptions::default()) {
        Ok(compiled) => {
            for warning in compiled.warnings {
                say!("{:?}", miette::Report::new(warning));
            }
            let _ = std::io::Write::write_all(&mut std::io::stdout(), compiled.template.to_json().as_bytes());
            std::process::ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            // Each on its own: the aggregate's message already lists them all.
            for error in diagnostics.errors {
                say!("{:?}", miette::Report::new(error));
            }
            for warning in diagnostics.warnings {
                say!("{:?}", miette::Report::new(warning));
            }
            std::process::ExitCode::FAILURE
        }
    }
}

/// The README's Rust examples, compiled and run as doctests so they stay true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
