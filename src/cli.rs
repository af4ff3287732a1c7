//! The command-line interface: `flowform synth`, `validate` and `schema`.
//!
//! Every command reads all its input files first and reports every diagnostic of every
//! file; `synth` writes nothing unless all files compiled (and, with `--deny-warnings`,
//! had no warnings), and then writes all templates atomically.
//!
//! Exit codes: 0 success, 1 input errors (or warnings with `--deny-warnings`, or an I/O
//! failure), 2 usage errors.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::input::{InputDiagnostic, StackTemplate};
use crate::{CompileOptions, Format, compile_source, emit, write_atomically};

const EXAMPLES: &str = "\
Examples:
  flowform synth examples/salesforce_to_s3_hourly.toml      write flowform.out/crm-ingest.template.json
  flowform synth flows/*.toml -o cfn --format yaml          one YAML template per stack into cfn/
  flowform synth flows.toml --stdout | aws cloudformation validate-template --template-body file:///dev/stdin
  flowform validate flows.toml --deny-warnings              check only; fail on warnings too
  flowform schema -o flowform.schema.json                   JSON Schema for editor completion

Exit codes: 0 success, 1 input errors (or warnings with --deny-warnings), 2 usage errors.";

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
        /// Print the templates to stdout instead of writing files.
        #[arg(long)]
        stdout: bool,
    },
    /// Check flow files (every check synth makes) without writing anything.
    Validate {
        /// The flow files (TOML).
        #[arg(default_value = "flowform.toml")]
        files: Vec<PathBuf>,
    },
    /// Print the JSON Schema of the flow file format (for editor completion).
    Schema {
        /// Write it to this file instead of stdout.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let colour = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal(),
    };
    let console = Console { colour };
    match cli.command {
        Command::Synth {
            files,
            out_dir,
            format,
            stdout,
        } => {
            let format = match format {
                FormatArg::Json => Format::Json,
                FormatArg::Yaml => Format::Yaml,
            };
            console.synth(&files, &out_dir, format, stdout, cli.deny_warnings)
        }
        Command::Validate { files } => console.validate(&files, cli.deny_warnings),
        Command::Schema { output } => console.schema(output),
    }
}

struct Console {
    colour: bool,
}

impl Console {
    fn report(&self, diagnostic: &InputDiagnostic) {
        let theme = if self.colour {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
        let mut text = String::new();
        if handler.render_report(&mut text, diagnostic).is_err() {
            text = diagnostic.one_line();
        }
        eprint!("{text}");
    }

    fn fail(&self, message: &str) -> ExitCode {
        eprintln!("error: {message}");
        ExitCode::from(1)
    }

    /// Compiles every file, prints every diagnostic, and returns the templates when
    /// nothing failed.
    fn compile_all(&self, files: &[PathBuf], deny_warnings: bool) -> Result<Vec<StackTemplate>, ExitCode> {
        let options = CompileOptions::default();
        let mut templates = Vec::new();
        let (mut errors, mut warnings) = (0, 0);
        for file in files {
            let text = match std::fs::read_to_string(file) {
                Ok(text) => text,
                Err(error) => {
                    eprintln!("error: cannot read `{}`: {error}", file.display());
                    errors += 1;
                    continue;
                }
            };
            let diagnostics = match compile_source(&file.display().to_string(), &text, &options) {
                Ok(synthesized) => {
                    templates.extend(synthesized.templates);
                    synthesized.warnings
                }
                Err(report) => report.diagnostics,
            };
            for diagnostic in &diagnostics {
                self.report(diagnostic);
                if diagnostic.is_error() {
                    errors += 1
                } else {
                    warnings += 1
                }
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for template in &templates {
            if !seen.insert(template.stack.clone()) {
                eprintln!(
                    "error: two files define the stack `{}`; stack names must be unique",
                    template.stack
                );
                errors += 1;
            }
        }
        let failed = errors > 0 || (deny_warnings && warnings > 0);
        if errors + warnings > 0 {
            let denied = if deny_warnings && warnings > 0 && errors == 0 {
                " (warnings denied)"
            } else {
                ""
            };
            eprintln!(
                "{errors} error{}, {warnings} warning{}{denied}",
                plural(errors),
                plural(warnings)
            );
        }
        if failed { Err(ExitCode::from(1)) } else { Ok(templates) }
    }

    fn synth(
        &self,
        files: &[PathBuf],
        out_dir: &std::path::Path,
        format: Format,
        stdout: bool,
        deny: bool,
    ) -> ExitCode {
        let templates = match self.compile_all(files, deny) {
            Ok(templates) => templates,
            Err(code) => {
                eprintln!("nothing was written");
                return code;
            }
        };
        if stdout {
            let mut out = std::io::stdout().lock();
            for (index, template) in templates.iter().enumerate() {
                if format != Format::Json && index > 0 {
                    let _ = writeln!(out, "---");
                }
                if out.write_all(emit(&template.template, format).as_bytes()).is_err() {
                    return ExitCode::from(1);
                }
            }
            return ExitCode::SUCCESS;
        }
        let synthesized = crate::Synthesized {
            templates,
            warnings: Vec::new(),
        };
        match synthesized.write(out_dir, format) {
            Ok(paths) => {
                for (path, template) in paths.iter().zip(&synthesized.templates) {
                    let resources = template.template.resources.len();
                    eprintln!("wrote {} ({resources} resource{})", path.display(), plural(resources));
                }
            }
            Err(error) => {
                return self.fail(&format!(
                    "cannot write templates to `{}`: {error}; nothing was written",
                    out_dir.display()
                ));
            }
        }
        ExitCode::SUCCESS
    }

    fn validate(&self, files: &[PathBuf], deny: bool) -> ExitCode {
        match self.compile_all(files, deny) {
            Ok(templates) => {
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
                eprintln!(
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

    fn schema(&self, output: Option<PathBuf>) -> ExitCode {
        let schema = crate::input::json_schema();
        match output {
            None => {
                print!("{schema}");
                ExitCode::SUCCESS
            }
            Some(path) => match write_atomically(&[(path.clone(), schema)]) {
                Ok(()) => {
                    eprintln!("wrote {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(error) => self.fail(&format!("cannot write `{}`: {error}", path.display())),
            },
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
