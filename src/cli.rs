//! The command-line interface: `flowform synth`, `validate` and `schema`, and (with the
//! `deploy` feature) `deploy`, `diff` and `destroy`, whose work is in [`crate::deploy`].
//!
//! Every command reads all its input files first and reports every diagnostic of every
//! file; `synth` writes nothing unless all files compiled (and, with `--deny-warnings`,
//! had no warnings), and then writes all templates atomically.
//!
//! Exit codes: 0 success, 1 input errors (or warnings with `--deny-warnings`, or an I/O
//! failure), 2 usage errors.
//!
//! Longer than most modules: every command's arguments, help text and output live here;
//! the work itself is in the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::input::InputDiagnostic;
use crate::split::{Lock, MAX_INLINE_TEMPLATE_BYTES, StackTemplate};
use crate::{CompileOptions, Format, Staging, compile_source_locked, emit, write_atomically};

const EXAMPLES: &str = "\
Examples:
  flowform synth examples/s3_to_s3_parquet_glue.toml        write flowform.out/<stack>.template.json
  flowform synth flows/*.toml -o cfn --format yaml          one YAML template per stack into cfn/
  flowform synth flows.toml --stdout | aws cloudformation validate-template --template-body file:///dev/stdin
  flowform validate flows.toml --deny-warnings              check only; fail on warnings too
  flowform schema -o flowform.schema.json                   JSON Schema for editor completion
  flowform diff flows.toml --profile dev                    what a deploy would change (exit 1 if anything)
  flowform deploy flows.toml --profile dev --template-bucket my-cfn-templates
  flowform destroy crm-ingest --yes                         delete a stack without asking

Exit codes: 0 success, 1 input errors (or warnings with --deny-warnings), 2 usage errors;
deploy/destroy: 1 also for failed or refused deploys, 130 for Ctrl-C; diff: 0 no differences,
1 differences, 2 errors.";

/// Amazon AppFlow flows as code: compile TOML descriptions of flows into CloudFormation.
#[derive(Debug, Parser)]
#[command(name = "flowform", version, after_help = EXAMPLES)]
pub struct Cli {
    /// When to colour diagnostics (`auto` honours NO_COLOR and whether stderr is a terminal).
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,

    /// Treat warnings as errors.
    #[arg(long, global = true)]
    pub deny_warnings: bool,

    /// Show at most this many diagnostics (the count of the rest follows); 0 shows all.
    #[arg(long, value_name = "N", default_value_t = 100, global = true)]
    pub max_diagnostics: usize,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// Colour when stderr is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// A template format on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// JSON.
    Json,
    /// YAML (strings that YAML 1.1 would misread are quoted).
    Yaml,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile flow files into CloudFormation templates, one `<stack>.template.json` per stack.
    ///
    /// Nothing is written unless every file compiles; then all templates are written
    /// atomically (temporary file, then rename).
    Synth {
        /// The flow files (TOML).
        #[arg(default_value = "flowform.toml")]
        files: Vec<PathBuf>,
        /// The directory templates are written to.
        #[arg(short = 'o', long = "out-dir", default_value = "flowform.out")]
        out_dir: PathBuf,
        /// The template format.
        #[arg(long, value_enum, default_value_t = FormatArg::Json)]
        format: FormatArg,
        /// Print the templates to stdout instead of writing files (the lock file is not
        /// updated either).
        #[arg(long)]
        stdout: bool,
        /// Fail instead of updating a file's lock (`<file>.lock`): for CI, to be sure the
        /// committed lock places every flow.
        #[arg(long)]
        locked: bool,
    },
    /// Check flow files (every check synth makes) without writing anything.
    Validate {
        /// The flow files (TOML).
        #[arg(default_value = "flowform.toml")]
        files: Vec<PathBuf>,
        /// Also fail when a file's lock (`<file>.lock`) is not up to date.
        #[arg(long)]
        locked: bool,
        /// `json` prints every diagnostic as one JSON array on stdout (for CI annotations
        /// and editors) instead of drawing them on stderr.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Also check this targets file of a rollout, and its values against the files'
        /// parameters (offline: no AWS call).
        #[cfg(feature = "deploy")]
        #[arg(long, value_name = "FILE", conflicts_with = "format")]
        targets: Option<PathBuf>,
    },
    /// Deploy flow files through CloudFormation change sets: review, execute, follow.
    ///
    /// Templates are synthesized in memory (never read from earlier `synth` output). For
    /// each stack (main stack first after a split) a change set is created and shown;
    /// one that removes or replaces resources needs confirmation (or --yes). Exit codes:
    /// 0 deployed or no changes, 1 failed or refused, 2 usage errors, 130 Ctrl-C.
    #[cfg(feature = "deploy")]
    Deploy(crate::deploy::command::DeployArgs),
    /// Show what a deploy would change: a per-resource, per-property diff between the
    /// synthesized templates and the deployed ones.
    ///
    /// Exit codes: 0 no differences, 1 differences, 2 errors.
    #[cfg(feature = "deploy")]
    Diff(crate::deploy::command::DiffArgs),
    /// Delete a stack (by name), or every stack a flow file deploys (flow stacks first).
    ///
    /// Asks for confirmation (or --yes). Exit codes: 0 deleted or absent, 1 failed or
    /// refused, 130 Ctrl-C.
    #[cfg(feature = "deploy")]
    Destroy(crate::deploy::command::DestroyArgs),
    /// Run an on-demand flow of a file and follow the run: status, records, data,
    /// elapsed time, and the error when it fails.
    ///
    /// Exit codes: 0 the run succeeded, 1 it failed, 2 usage errors, 130 Ctrl-C (the run
    /// goes on in AppFlow).
    #[cfg(feature = "deploy")]
    Run(crate::operate::command::RunArgs),
    /// Every flow of a file as AppFlow has it: status, trigger, last run and its result,
    /// next scheduled run.
    #[cfg(feature = "deploy")]
    Status(crate::operate::command::StatusArgs),
    /// The last runs of a flow of a file, newest first, a page at a time.
    #[cfg(feature = "deploy")]
    History(crate::operate::command::HistoryArgs),
    /// Suspend a scheduled or event flow (until `start`, or a deploy that changes it).
    #[cfg(feature = "deploy")]
    Stop(crate::operate::command::SwitchArgs),
    /// Activate a scheduled or event flow.
    #[cfg(feature = "deploy")]
    Start(crate::operate::command::SwitchArgs),
    /// Write the flowform file of flows that exist in the account (console-made, CDK,
    /// raw CloudFormation), so `deploy --import-existing` adopts them.
    #[cfg(feature = "deploy")]
    Import(crate::operate::command::ImportArgs),
    /// Print a least-privilege IAM policy for deploying (and destroying) exactly these
    /// files' stacks with `flowform deploy`: CloudFormation on those stacks, and what the
    /// resource handlers call with the deployer's credentials, scoped to the resources'
    /// ARNs where AWS allows. Notes on what could not be scoped go to stderr.
    Policy {
        /// The flow files (TOML).
        #[arg(default_value = "flowform.toml")]
        files: Vec<PathBuf>,
        /// The stack name the file is deployed under (`deploy --stack`; one file only).
        #[arg(long)]
        stack: Option<String>,
        /// The account ID the stacks deploy to (default: any, `*`).
        #[arg(long, default_value = "*")]
        account: String,
        /// The region they deploy to (default: any, `*`).
        #[arg(long, default_value = "*")]
        region: String,
        /// The AWS partition.
        #[arg(long, default_value = "aws")]
        partition: String,
        /// The bucket `deploy --template-bucket` uploads templates over 51,200 bytes to.
        #[arg(long, value_name = "BUCKET")]
        template_bucket: Option<String>,
        /// The role CloudFormation deploys with (`deploy --role-arn`): the policy is then the
        /// deployer's (CloudFormation and passing the role); the role needs the policy
        /// printed without this option.
        #[arg(long, conflicts_with = "operator")]
        role_arn: Option<String>,
        /// Print the policy of an operator of the flows instead: what `run`, `status`,
        /// `history`, `stop` and `start` need on them, and nothing to deploy.
        #[arg(long)]
        operator: bool,
        /// Print the IAM roles a rollout to this targets file needs instead, each with its
        /// trust policy and permissions: the role assumed in each target account, or the
        /// StackSets administration and execution roles.
        #[cfg(feature = "deploy")]
        #[arg(long, value_name = "FILE", conflicts_with_all = ["operator", "stack", "role_arn"])]
        targets: Option<PathBuf>,
        /// With --targets: who runs the rollout (a role or user ARN, or an account ID),
        /// which the target roles trust.
        #[cfg(feature = "deploy")]
        #[arg(long, value_name = "ARN", requires = "targets")]
        principal: Option<String>,
    },
    /// Print the JSON Schema of the flow file format (for editor completion).
    Schema {
        /// Write it to this file instead of stdout.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Print a completion script for a shell, e.g. `flowform completions bash >
    /// ~/.local/share/bash-completion/completions/flowform`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let code = run(Cli::parse());
    if crate::stdout_failed() {
        say!("error: cannot write to stdout: the output is incomplete");
        return ExitCode::from(1);
    }
    code
}

fn run(cli: Cli) -> ExitCode {
    let colour = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal(),
    };
    let json = matches!(
        cli.command,
        Command::Validate {
            format: OutputFormat::Json,
            ..
        }
    );
    let console = Console {
        colour,
        json: json.then(Default::default),
        // A program reading JSON gets every diagnostic.
        max_diagnostics: if json { 0 } else { cli.max_diagnostics },
    };
    match cli.command {
        Command::Synth {
            files,
            out_dir,
            format,
            stdout,
            locked,
        } => {
            let format = match format {
                FormatArg::Json => Format::Json,
                FormatArg::Yaml => Format::Yaml,
            };
            let checks = Checks {
                deny_warnings: cli.deny_warnings,
                locked,
                quiet: false,
            };
            console.synth(&files, &out_dir, format, stdout, checks)
        }
        Command::Validate {
            files,
            locked,
            #[cfg(feature = "deploy")]
            targets,
            ..
        } => {
            let checks = Checks {
                deny_warnings: cli.deny_warnings,
                locked,
                quiet: false,
            };
            let code = console.validate(&files, checks);
            #[cfg(feature = "deploy")]
            if let Some(targets) = targets
                && code == ExitCode::SUCCESS
            {
                let checks = Checks { quiet: true, ..checks };
                return match console.rollout(&files, &targets, &[], &[], checks) {
                    Ok(rollout) => {
                        let deployments = rollout.targets.deployments().len();
                        say!(
                            "{} valid: {} target{}, {deployments} deployment{}",
                            targets.display(),
                            rollout.targets.targets.len(),
                            plural(rollout.targets.targets.len()),
                            plural(deployments)
                        );
                        ExitCode::SUCCESS
                    }
                    // Problems of the targets file are input errors, as the flow file's.
                    Err(_) => ExitCode::from(1),
                };
            }
            code
        }
        Command::Schema { output } => console.schema(output),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "flowform", &mut script);
            match std::io::Write::write_all(&mut std::io::stdout(), &script) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => console.fail(&format!("cannot write the completion script: {error}")),
            }
        }
        Command::Policy {
            files,
            stack,
            account,
            region,
            partition,
            template_bucket,
            role_arn,
            operator,
            #[cfg(feature = "deploy")]
            targets,
            #[cfg(feature = "deploy")]
            principal,
        } => {
            #[cfg(feature = "deploy")]
            if let Some(targets) = targets {
                let options = crate::rollout::roles::RoleOptions {
                    partition: &partition,
                    principal: principal.as_deref(),
                    template_bucket,
                };
                return console.rollout_roles(&files, &targets, &options);
            }
            let options = crate::policy::PolicyOptions {
                partition,
                region,
                account,
                template_bucket,
                role_arn,
            };
            let checks = Checks {
                deny_warnings: cli.deny_warnings,
                locked: false,
                quiet: false,
            };
            console.policy(&files, stack, &options, checks, operator)
        }
        #[cfg(feature = "deploy")]
        Command::Deploy(args) => {
            let checks = Checks {
                deny_warnings: cli.deny_warnings,
                locked: args.locked,
                quiet: false,
            };
            if let Some(targets) = &args.rollout.targets {
                let given: Vec<String> = args.values.parameters.iter().map(|(key, _)| key.clone()).collect();
                return match console.rollout(&args.files, targets, &args.rollout.only, &given, checks) {
                    Ok(rollout) => crate::rollout::command::deploy(rollout, &args),
                    Err(code) => code,
                };
            }
            match console.plans(&args.files, args.stack.as_deref(), checks) {
                Ok(planned) => crate::deploy::command::deploy(planned, &args),
                Err(code) => code,
            }
        }
        #[cfg(feature = "deploy")]
        Command::Diff(args) => {
            let checks = Checks {
                deny_warnings: cli.deny_warnings,
                locked: false,
                quiet: false,
            };
            if let Some(targets) = &args.rollout.targets {
                return match console.rollout(&args.files, targets, &args.rollout.only, &[], checks) {
                    Ok(rollout) => crate::rollout::command::diff(rollout, &args),
                    Err(_) => ExitCode::from(2),
                };
            }
            match console.plans(&args.files, args.stack.as_deref(), checks) {
                Ok(planned) => crate::deploy::command::diff(planned, &args),
                Err(_) => ExitCode::from(2),
            }
        }
        #[cfg(feature = "deploy")]
        Command::Destroy(args) => {
            if let Some(targets) = &args.rollout.targets {
                let checks = Checks {
                    deny_warnings: false,
                    locked: false,
                    quiet: true,
                };
                let file = PathBuf::from(&args.target);
                return match console.rollout(std::slice::from_ref(&file), targets, &args.rollout.only, &[], checks) {
                    Ok(rollout) => crate::rollout::command::destroy(rollout, &args),
                    Err(code) => code,
                };
            }
            let stacks = if crate::deploy::command::is_file(&args.target) {
                let checks = Checks {
                    deny_warnings: false,
                    locked: false,
                    quiet: false,
                };
                let file = PathBuf::from(&args.target);
                match console.plans(std::slice::from_ref(&file), args.stack.as_deref(), checks) {
                    Ok(planned) => planned.destroy_order(),
                    Err(code) => return code,
                }
            } else if let Err(message) = crate::deploy::command::check_stack_name(&args.target) {
                say!("error: {message}, and no such flow file exists");
                return ExitCode::from(2);
            } else {
                vec![args.target.clone()]
            };
            crate::deploy::command::destroy(stacks, &args)
        }
        #[cfg(feature = "deploy")]
        Command::Run(args) => match console.operated(&args.target.file, args.target.stack.as_deref()) {
            Ok(planned) => crate::operate::command::run(planned, &args),
            Err(code) => code,
        },
        #[cfg(feature = "deploy")]
        Command::Status(args) => match console.operated(&args.file, args.stack.as_deref()) {
            Ok(planned) => crate::operate::command::status(planned, &args),
            Err(code) => code,
        },
        #[cfg(feature = "deploy")]
        Command::History(args) => match console.operated(&args.target.file, args.target.stack.as_deref()) {
            Ok(planned) => crate::operate::command::history(planned, &args),
            Err(code) => code,
        },
        #[cfg(feature = "deploy")]
        Command::Stop(args) => match console.operated(&args.target.file, args.target.stack.as_deref()) {
            Ok(planned) => crate::operate::command::switch(planned, &args, true),
            Err(code) => code,
        },
        #[cfg(feature = "deploy")]
        Command::Import(args) => crate::operate::command::import(&args),
        #[cfg(feature = "deploy")]
        Command::Start(args) => match console.operated(&args.target.file, args.target.stack.as_deref()) {
            Ok(planned) => crate::operate::command::switch(planned, &args, false),
            Err(code) => code,
        },
    }
}

/// How a command prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// For people: drawn diagnostics, aligned diffs.
    Text,
    /// For programs: JSON on stdout.
    Json,
}

struct Console {
    colour: bool,
    /// `--format json`: diagnostics are gathered here, as JSON, instead of drawn.
    json: Option<std::cell::RefCell<Vec<serde_json::Value>>>,
    /// How many diagnostics to render in one run (0: all): a file with 200,000 errors
    /// would otherwise print 85 MB. The library still returns every one.
    max_diagnostics: usize,
}

/// What besides errors makes a run fail.
#[derive(Clone, Copy)]
struct Checks {
    deny_warnings: bool,
    locked: bool,
    /// Report errors only: the operations commands read the file for its flows' names,
    /// and its warnings and notes are the business of `validate` and `deploy`.
    quiet: bool,
}

/// Every file compiled: the templates, and the lock files whose contents changed.
struct Compiled {
    templates: Vec<StackTemplate>,
    locks: Vec<(PathBuf, String)>,
    /// Flow stacks whose flows were all removed (named as deployed).
    emptied: Vec<String>,
}

/// One worker's staged templates, with (path, resources, bytes) of each for the report.
/// A worker's staged templates, and for each: its path, resource count, size in bytes, and
/// whether it changed (an unchanged file is left alone).
type StagedPart = (Staging, Vec<(PathBuf, usize, usize, bool)>);

/// The lock file of a flow file: `flows.toml` → `flows.lock`.
fn lock_path(file: &std::path::Path) -> PathBuf {
    file.with_extension("lock")
}

impl Console {
    fn report(&self, diagnostic: &InputDiagnostic) {
        if let Some(found) = &self.json {
            let (line, column) = diagnostic.line_column().unzip();
            let severity = if diagnostic.is_error() {
                "error"
            } else if diagnostic.is_warning() {
                "warning"
            } else {
                "note"
            };
            found.borrow_mut().push(serde_json::json!({
                "severity": severity,
                "code": diagnostic.code,
                "message": diagnostic.message,
                "help": diagnostic.help,
                "file": diagnostic.file(),
                "line": line,
                "column": column,
            }));
            return;
        }
        let theme = if self.colour {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        // Long words (ARNs, policy statements) are not broken: a wrapped ARN cannot be
        // copied.
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_break_words(false)
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
        let mut text = String::new();
        if !diagnostic.fits_graphical_rendering() || handler.render_report(&mut text, diagnostic).is_err() {
            text = diagnostic.one_line() + "\n";
        }
        let _ = std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes());
    }

    fn fail(&self, message: &str) -> ExitCode {
        say!("error: {message}");
        ExitCode::from(1)
    }

    /// Compiles every file with its lock, prints every diagnostic and the splits made,
    /// and returns the templates and changed locks when nothing failed.
    fn compile_all(&self, files: &[PathBuf], checks: Checks) -> Result<Compiled, ExitCode> {
        self.compile_all_with(files, &CompileOptions::default(), checks)
    }

    /// [`Console::compile_all`] with these options.
    fn compile_all_with(
        &self,
        files: &[PathBuf],
        options: &CompileOptions,
        checks: Checks,
    ) -> Result<Compiled, ExitCode> {
        let mut compiled = Compiled {
            templates: Vec::new(),
            locks: Vec::new(),
            emptied: Vec::new(),
        };
        let (mut errors, mut warnings) = (0, 0);
        let (mut shown, mut hidden) = (0, 0);
        // A file named twice (`flows.toml ./flows.toml`, overlapping globs) is compiled
        // once, not reported as two files defining one stack.
        let mut given = std::collections::BTreeSet::new();
        for file in files {
            if !given.insert(std::fs::canonicalize(file).unwrap_or_else(|_| file.clone())) {
                say!(
                    "note: `{}` is given more than once; it is compiled once",
                    file.display()
                );
                continue;
            }
            let text = match std::fs::read_to_string(file) {
                Ok(text) => text,
                Err(error) => {
                    say!("error: cannot read `{}`: {error}", file.display());
                    errors += 1;
                    continue;
                }
            };
            let lock_file = lock_path(file);
            let old_lock = match std::fs::read_to_string(&lock_file) {
                Ok(lock_text) => match Lock::parse(&lock_text) {
                    Ok(lock) => Some(lock),
                    Err(message) => {
                        say!("error: cannot read the lock file `{}`: {message}", lock_file.display());
                        say!("  help: fix it, or delete it to place every flow anew (a flow that moves is recreated)");
                        errors += 1;
                        continue;
                    }
                },
                Err(_) => None,
            };
            let lock = old_lock.clone().unwrap_or_default();
            let diagnostics = match compile_source_locked(&file.display().to_string(), &text, options, &lock) {
                Ok(synthesized) => {
                    if old_lock.as_ref() != Some(&synthesized.lock) {
                        if checks.locked {
                            say!(
                                "error: the lock file `{}` is not up to date (--locked); run `flowform synth` without --locked and commit it",
                                lock_file.display()
                            );
                            errors += 1;
                        }
                        compiled.locks.push((lock_file, synthesized.lock.to_toml()));
                    }
                    if synthesized.templates.len() > 1 && !checks.quiet {
                        say!("note: {}", split_summary(&synthesized.templates));
                    }
                    for stack in synthesized.emptied.iter().filter(|_| !checks.quiet) {
                        say!(
                            "note: stack `{stack}` has no flows any more, so no template is written for it; `flowform deploy` deletes it if it was deployed (or `flowform destroy {stack}`)"
                        );
                    }
                    compiled.emptied.extend(synthesized.emptied);
                    for template in &synthesized.templates {
                        let activations = template.activation_parameters();
                        if !activations.is_empty() && !checks.quiet {
                            let overrides: Vec<String> = activations.iter().map(|p| format!("{p}=Active")).collect();
                            say!(
                                "note: stack `{}` has flows created as drafts until what they write to exists (partner event sources associated with their buses): `flowform deploy` activates them in the same run; with `aws cloudformation deploy`, deploy once, then again with `--parameter-overrides {}`",
                                template.stack,
                                overrides.join(" ")
                            );
                        }
                    }
                    compiled.templates.extend(synthesized.templates);
                    synthesized.warnings
                }
                Err(report) => report.diagnostics,
            };
            for diagnostic in &diagnostics {
                if checks.quiet && !diagnostic.is_error() {
                    continue;
                }
                if self.max_diagnostics == 0 || shown < self.max_diagnostics {
                    self.report(diagnostic);
                    shown += 1;
                } else {
                    hidden += 1;
                }
                if diagnostic.is_error() {
                    errors += 1
                } else if diagnostic.is_warning() {
                    warnings += 1
                }
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for template in &compiled.templates {
            if !seen.insert(template.stack.clone()) {
                say!(
                    "error: two files define the stack `{}`; stack names must be unique",
                    template.stack
                );
                errors += 1;
            }
        }
        let failed = errors > 0 || (checks.deny_warnings && warnings > 0);
        if hidden > 0 {
            say!(
                "note: {hidden} more diagnostic{} not shown (the first {shown} are); `--max-diagnostics 0` shows all",
                plural(hidden)
            );
        }
        if errors + warnings > 0 {
            let denied = if checks.deny_warnings && warnings > 0 && errors == 0 {
                " (warnings denied)"
            } else {
                ""
            };
            say!(
                "{errors} error{}, {warnings} warning{}{denied}",
                plural(errors),
                plural(warnings)
            );
        }
        if failed { Err(ExitCode::from(1)) } else { Ok(compiled) }
    }

    fn synth(
        &self,
        files: &[PathBuf],
        out_dir: &std::path::Path,
        format: Format,
        stdout: bool,
        checks: Checks,
    ) -> ExitCode {
        let compiled = match self.compile_all(files, checks) {
            Ok(compiled) => compiled,
            Err(code) => {
                say!("nothing was written");
                return code;
            }
        };
        if stdout {
            let mut out = std::io::stdout().lock();
            for (index, template) in compiled.templates.iter().enumerate() {
                if format != Format::Json && index > 0 {
                    let _ = writeln!(out, "---");
                }
                match out.write_all(emit(&template.template, format).as_bytes()) {
                    Ok(()) => {}
                    // The reader quit (`| head`): it has what it wanted, and nothing was
                    // written to disk, so this is no failure.
                    Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
                    Err(error) => {
                        say!("error: cannot write to stdout: {error}");
                        return ExitCode::from(1);
                    }
                }
            }
            if let Err(error) = out.flush()
                && error.kind() != std::io::ErrorKind::BrokenPipe
            {
                say!("error: cannot write to stdout: {error}");
                return ExitCode::from(1);
            }
            return ExitCode::SUCCESS;
        }
        // Ctrl-C while the files are staged removes the temporaries before exiting (a
        // process killed outright leaves them to the next run, which sweeps them).
        remove_temporaries_on_interrupt();
        // Each template is written (to a temporary file) as soon as it is emitted, so the
        // output of a big split never sits in memory all at once; big splits are emitted
        // on every core.
        let mut staging = Staging::default();
        let chunk_size = compiled.templates.len().div_ceil(crate::parallel::threads()).max(8);
        let jobs: Vec<_> = compiled
            .templates
            .chunks(chunk_size)
            .map(|chunk| {
                move || -> Result<StagedPart, String> {
                    let mut staging = Staging::default();
                    let mut written = Vec::new();
                    for template in chunk {
                        let path = out_dir.join(template.file_name(format.extension()));
                        let text = emit(&template.template, format);
                        let changed = staging
                            .stage(&path, &text)
                            .map_err(|error| format!("cannot write `{}`: {error}", path.display()))?;
                        written.push((path, template.template.resources.len(), text.len(), changed));
                    }
                    Ok((staging, written))
                }
            })
            .collect();
        let results = crate::parallel::run_all(jobs);
        let mut written = Vec::new();
        for result in results {
            match result {
                Ok((part, files)) => {
                    staging.absorb(part);
                    written.extend(files);
                }
                Err(message) => return self.fail(&format!("{message}; nothing was written")),
            }
        }
        for (path, lock) in &compiled.locks {
            if let Err(error) = staging.stage(path, lock) {
                return self.fail(&format!(
                    "cannot write `{}`: {error}; nothing was written",
                    path.display()
                ));
            }
        }
        if let Err(error) = staging.commit() {
            // The error names the file; every file already replaced was put back.
            return self.fail(&format!("cannot write {error}; nothing was changed"));
        }
        for (path, resources, bytes, changed) in written {
            let inline = if bytes > MAX_INLINE_TEMPLATE_BYTES {
                ", over 51,200 bytes: deploy it through S3"
            } else {
                ""
            };
            say!(
                "{} {} ({resources} resource{}{inline})",
                if changed { "wrote" } else { "unchanged" },
                path.display(),
                plural(resources)
            );
        }
        for (path, _) in &compiled.locks {
            say!(
                "updated {} (commit it: it keeps every flow in its stack)",
                path.display()
            );
        }
        // The process ends next, and the OS takes the memory back at once: freeing
        // thousands of templates one allocation at a time would only delay the exit.
        std::mem::forget(compiled);
        ExitCode::SUCCESS
    }

    fn validate(&self, files: &[PathBuf], checks: Checks) -> ExitCode {
        let result = self.compile_all(files, checks);
        if let Some(found) = &self.json {
            let text = serde_json::to_string_pretty(&serde_json::Value::from(found.take())).unwrap_or_default();
            out!("{text}");
        }
        match result {
            Ok(Compiled { templates, .. }) => {
                let flows: usize = templates
                    .iter()
                    .map(|t| {
                        t.template
                            .resources
                            .values()
                            .filter(|r| r.properties.type_name() == "AWS::AppFlow::Flow")
                            .count()
                    })
                    .sum();
                say!(
                    "{} file{} valid: {} stack{}, {flows} flow{}",
                    files.len(),
                    plural(files.len()),
                    templates.len(),
                    plural(templates.len()),
                    plural(flows)
                );
                ExitCode::SUCCESS
            }
            Err(code) => code,
        }
    }

    /// The stacks `files` deploy (under `stack_name`, with one file), synthesized now,
    /// with the lock files to write (the deploy is what places new flows, so the lock
    /// must record it) and the flow stacks left without flows.
    #[cfg(feature = "deploy")]
    fn plans(
        &self,
        files: &[PathBuf],
        stack_name: Option<&str>,
        checks: Checks,
    ) -> Result<crate::deploy::Planned, ExitCode> {
        if let Some(name) = stack_name {
            if files.len() != 1 {
                say!(
                    "error: --stack names the stack of one flow file; {} were given",
                    files.len()
                );
                return Err(ExitCode::from(2));
            }
            if let Err(message) = crate::deploy::command::check_stack_name(name) {
                say!("error: --stack: {message}");
                return Err(ExitCode::from(2));
            }
        }
        let options = CompileOptions {
            stack_name: stack_name.map(str::to_string),
            ..CompileOptions::default()
        };
        let compiled = self.compile_all_with(files, &options, checks)?;
        Ok(crate::deploy::Planned {
            stacks: compiled.templates.iter().map(crate::deploy::StackPlan::new).collect(),
            emptied: compiled.emptied,
            locks: compiled.locks,
        })
    }

    /// The targets file `targets` (only the targets `only` names, when it names any), and
    /// the stacks `files` deploy under each stack name its targets use, synthesized now;
    /// every problem of the targets file, and every value that does not fit the templates'
    /// parameters, is drawn (exit 2).
    #[cfg(feature = "deploy")]
    fn rollout(
        &self,
        files: &[PathBuf],
        targets: &std::path::Path,
        only: &[String],
        given: &[String],
        checks: Checks,
    ) -> Result<crate::rollout::command::Rollout, ExitCode> {
        let problems = |errors: &[crate::rollout::targets::TargetsError]| {
            crate::deploy::command::render_reports(errors);
            say!(
                "{} error{} in {}",
                errors.len(),
                plural(errors.len()),
                targets.display()
            );
            ExitCode::from(2)
        };
        let mut read = crate::rollout::targets::read(targets, &crate::deploy::values::Process)
            .map_err(|errors| problems(&errors))?;
        let all = read.clone();
        if let Err(message) = read.select(only) {
            say!("error: {message}");
            return Err(ExitCode::from(2));
        }
        if files.len() != 1
            && let Some(target) = read.targets.iter().find(|target| target.stack.is_some())
        {
            say!(
                "error: target `{}` of {} names a stack name, which is one flow file's; {} files were given",
                target.name,
                targets.display(),
                files.len()
            );
            return Err(ExitCode::from(2));
        }
        let mut plans = std::collections::BTreeMap::new();
        for (index, stack) in read.stack_names().into_iter().enumerate() {
            // The file's diagnostics once: the other stack names compile the same file.
            let checks = Checks {
                quiet: checks.quiet || index > 0,
                ..checks
            };
            let planned = self.plans(files, stack, checks)?;
            plans.insert(stack.map(str::to_string), planned);
        }
        let declared = |stack: Option<&str>| -> Vec<(&str, bool)> {
            let planned = &plans[&stack.map(str::to_string)];
            let mut found: Vec<(&str, bool)> = Vec::new();
            for plan in &planned.stacks {
                for (name, declaration) in plan.template["Parameters"].as_object().into_iter().flatten() {
                    if !found.iter().any(|(known, _)| known == name) {
                        found.push((name.as_str(), declaration.get("Default").is_some()));
                    }
                }
            }
            found
        };
        let given: Vec<&str> = given.iter().map(String::as_str).collect();
        let own_stack = plans
            .get(&None)
            .and_then(|planned| planned.stacks.first())
            .map(|plan| plan.stack.as_str());
        read.check_values(declared, &given, own_stack)
            .map_err(|errors| problems(&errors))?;
        Ok(crate::rollout::command::Rollout {
            targets: read,
            all,
            plans,
        })
    }

    /// The stacks `file` deploys (as `stack`), for the operations commands: compiled
    /// quietly (only errors are shown; an input error is exit 2, as a usage error).
    #[cfg(feature = "deploy")]
    fn operated(&self, file: &std::path::Path, stack: Option<&str>) -> Result<crate::deploy::Planned, ExitCode> {
        let checks = Checks {
            deny_warnings: false,
            locked: false,
            quiet: true,
        };
        self.plans(&[file.to_path_buf()], stack, checks)
            .map_err(|_| ExitCode::from(2))
    }

    fn policy(
        &self,
        files: &[PathBuf],
        stack: Option<String>,
        options: &crate::policy::PolicyOptions,
        checks: Checks,
        operator: bool,
    ) -> ExitCode {
        if stack.is_some() && files.len() != 1 {
            say!(
                "error: --stack names the stack of one flow file; {} were given",
                files.len()
            );
            return ExitCode::from(2);
        }
        let compile = CompileOptions {
            stack_name: stack,
            ..CompileOptions::default()
        };
        let compiled = match self.compile_all_with(files, &compile, checks) {
            Ok(compiled) => compiled,
            Err(code) => return code,
        };
        let policy = if operator {
            crate::policy::operator_policy(&compiled.templates, options)
        } else {
            crate::policy::deployer_policy(&compiled.templates, options)
        };
        for note in &policy.notes {
            say!("note: {note}");
        }
        let text = serde_json::to_string_pretty(&policy.document).unwrap_or_default();
        out!("{text}");
        ExitCode::SUCCESS
    }

    /// `flowform policy --targets`: the roles the targets need, on stdout.
    #[cfg(feature = "deploy")]
    fn rollout_roles(
        &self,
        files: &[PathBuf],
        targets: &std::path::Path,
        options: &crate::rollout::roles::RoleOptions<'_>,
    ) -> ExitCode {
        let checks = Checks {
            deny_warnings: false,
            locked: false,
            quiet: true,
        };
        let rollout = match self.rollout(files, targets, &[], &[], checks) {
            Ok(rollout) => rollout,
            Err(code) => return code,
        };
        match crate::rollout::roles::roles(&rollout.targets, &rollout.plans, options) {
            Ok((document, notes)) => {
                for note in notes {
                    say!("note: {note}");
                }
                out!("{}", serde_json::to_string_pretty(&document).unwrap_or_default());
                ExitCode::SUCCESS
            }
            Err(message) => {
                say!("error: {message}");
                ExitCode::from(2)
            }
        }
    }

    fn schema(&self, output: Option<PathBuf>) -> ExitCode {
        let schema = crate::input::json_schema();
        match output {
            None => {
                crate::write_stdout(schema.as_bytes());
                ExitCode::SUCCESS
            }
            Some(path) => match write_atomically(&[(path.clone(), schema)]) {
                Ok(()) => {
                    say!("wrote {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(error) => self.fail(&format!("cannot write `{}`: {error}", path.display())),
            },
        }
    }
}

/// On SIGINT (Ctrl-C), removes the temporary files of the stagings in flight and exits
/// with 130, as a shell reports an interrupted command. Through signal-hook, which shares
/// the signal registry tokio uses, so `deploy`'s own Ctrl-C handling is untouched (this
/// is installed for `synth` only).
fn remove_temporaries_on_interrupt() {
    let Ok(mut signals) = signal_hook::iterator::Signals::new([signal_hook::consts::SIGINT]) else {
        return;
    };
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            crate::synth::emit::remove_in_flight();
            say!("interrupted: the temporary files are removed");
            std::process::exit(130);
        }
    });
}

/// "split into 3 stacks to stay within CloudFormation's quotas: crm (95 flows), crm-flows-1 (100 flows), ..."
fn split_summary(templates: &[StackTemplate]) -> String {
    let part = |t: &StackTemplate| format!("{} ({} flow{})", t.stack, t.flows.len(), plural(t.flows.len()));
    let listed: Vec<String> = if templates.len() <= 6 {
        templates.iter().map(part).collect()
    } else {
        let rest: usize = templates[2..templates.len() - 1].iter().map(|t| t.flows.len()).sum();
        vec![
            part(&templates[0]),
            part(&templates[1]),
            format!("{} more ({rest} flows)", templates.len() - 3),
            part(&templates[templates.len() - 1]),
        ]
    };
    format!(
        "split into {} stacks to stay within CloudFormation's quotas: {}",
        templates.len(),
        listed.join(", ")
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
