//! Per-environment parameter values: `flowform deploy --parameters FILE`.
//!
//! The file is TOML, one key per template parameter, so an environment's values live in
//! a file next to the flow file (`environments/prod.toml`) instead of on command lines:
//!
//! ```toml
//! InstanceUrl = "https://crm.example.com"
//! CrmJwt = { env = "PROD_CRM_JWT" }                # an environment variable
//! CrmClientSecret = { file = "/run/secrets/crm" }  # a file (one trailing newline dropped)
//! CrmRefreshToken = { stdin = true }               # standard input, for one value
//! ```
//!
//! Secret (`NoEcho`) values are read from where they are at deploy time, so they appear
//! neither in the file, nor in shell history, nor in `ps`. Every problem of the file is
//! reported at once, each a diagnostic with a code, the span and a help line; nothing is
//! deployed when there is one.

use std::collections::BTreeMap;
use std::io::Read;
use std::ops::Range;
use std::path::Path;

use miette::{Diagnostic, NamedSource};
use serde::Deserialize;
use serde_spanned::Spanned;
use thiserror::Error;

/// One entry of a values file: the value, or where to read it.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum Entry {
    /// The value itself.
    Text(String),
    /// A number, passed as its decimal text (CloudFormation parameter values are strings).
    Number(i64),
    /// Where to read it.
    From(Source),
}

/// Where a value is read at deploy time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Source {
    /// An environment variable.
    env: Option<String>,
    /// A file, relative to the values file.
    file: Option<String>,
    /// Standard input (one value per run).
    stdin: Option<bool>,
}

/// A value of a values file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The value.
    pub value: String,
    /// Whether it was written in the file itself (not read from elsewhere).
    pub literal: bool,
    /// Its key's span in the file.
    pub span: Range<usize>,
}

/// What is wrong with a values file.
#[derive(Debug, Error, Diagnostic)]
pub enum ValuesError {
    /// The file cannot be read.
    #[error("cannot read the values file `{path}`: {error}")]
    #[diagnostic(
        code(flowform::values::unreadable),
        help("pass the path of a TOML file of parameter values")
    )]
    Unreadable {
        /// The file.
        path: String,
        /// Why.
        error: String,
    },

    /// The file is not TOML of the expected shape.
    #[error("{message}")]
    #[diagnostic(
        code(flowform::values::invalid),
        help(
            "each key is a template parameter; its value is a string, a number, `{{ env = \"VAR\" }}`, `{{ file = \"PATH\" }}` or `{{ stdin = true }}`"
        )
    )]
    Invalid {
        /// The parser's message.
        message: String,
        /// The file.
        #[source_code]
        text: NamedSource<String>,
        /// Where.
        #[label("here")]
        span: Option<miette::SourceSpan>,
    },

    /// A source table that names no source, or several.
    #[error("the value of `{key}` must name exactly one source: `env`, `file` or `stdin = true`")]
    #[diagnostic(
        code(flowform::values::source),
        help("write `{{ env = \"VAR\" }}`, `{{ file = \"PATH\" }}` or `{{ stdin = true }}`")
    )]
    Source {
        /// The parameter.
        key: String,
        /// The file.
        #[source_code]
        text: NamedSource<String>,
        /// Where.
        #[label("here")]
        span: Range<usize>,
    },

    /// An environment variable that is not set.
    #[error("the environment variable `{variable}` (the value of `{key}`) is not set")]
    #[diagnostic(
        code(flowform::values::env_unset),
        help("export it before the deploy (in CI, from the secret store), or give the value another way")
    )]
    EnvUnset {
        /// The parameter.
        key: String,
        /// The variable.
        variable: String,
        /// The file.
        #[source_code]
        text: NamedSource<String>,
        /// Where.
        #[label("read here")]
        span: Range<usize>,
    },

    /// A value file that cannot be read.
    #[error("cannot read `{file}` (the value of `{key}`): {error}")]
    #[diagnostic(
        code(flowform::values::file_unreadable),
        help("a relative path is relative to the values file")
    )]
    FileUnreadable {
        /// The parameter.
        key: String,
        /// The file named.
        file: String,
        /// Why.
        error: String,
        /// The values file.
        #[source_code]
        text: NamedSource<String>,
        /// Where.
        #[label("read here")]
        span: Range<usize>,
    },

    /// Standard input asked for twice, or unusable.
    #[error("the value of `{key}` cannot come from standard input: {reason}")]
    #[diagnostic(
        code(flowform::values::stdin),
        help(
            "standard input gives one value per run, piped in (`printf %s \"$TOKEN\" | flowform deploy ...`); read the others from `env` or `file`"
        )
    )]
    Stdin {
        /// The parameter.
        key: String,
        /// Why.
        reason: &'static str,
        /// The file.
        #[source_code]
        text: NamedSource<String>,
        /// Where.
        #[label("here")]
        span: Range<usize>,
    },
}

/// What the reads need from the outside world: environment variables, files, standard
/// input (a trait so the unit tests give them without touching the process's).
pub trait Outside {
    /// The variable's value, if set.
    fn env(&self, name: &str) -> Option<String>;
    /// The file's contents.
    fn file(&self, path: &Path) -> std::io::Result<String>;
    /// All of standard input; `None` when it is a terminal (nothing was piped in).
    fn stdin(&self) -> Option<std::io::Result<String>>;
}

/// The process's environment, files and standard input.
pub struct Process;

impl Outside for Process {
    fn env(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn file(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }

    fn stdin(&self) -> Option<std::io::Result<String>> {
        use std::io::IsTerminal;
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            return None;
        }
        let mut text = String::new();
        Some(stdin.lock().read_to_string(&mut text).map(|_| text))
    }
}

/// An outside world with nothing in it, for the tests of what reads values.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::Path;

    /// No variables, no files, nothing on standard input.
    pub(crate) struct NoOutside;

    impl super::Outside for NoOutside {
        fn env(&self, _: &str) -> Option<String> {
            None
        }
        fn file(&self, _: &Path) -> std::io::Result<String> {
            Err(std::io::Error::other("no files"))
        }
        fn stdin(&self) -> Option<std::io::Result<String>> {
            None
        }
    }
}

/// A value read from a file or standard input without the one line ending that `echo`
/// and editors add (a secret never ends with one on purpose).
fn without_line_ending(mut text: String) -> String {
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    text
}

/// Reads the values file at `path`: every parameter and its value, or every problem.
pub fn read(path: &Path, outside: &impl Outside) -> Result<BTreeMap<String, Value>, Vec<ValuesError>> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| {
        vec![ValuesError::Unreadable {
            path: name.clone(),
            error: error.to_string(),
        }]
    })?;
    parse(&name, &text, path.parent().unwrap_or(Path::new(".")), outside)
}

/// [`read`] of the text of the values file `name`, whose relative paths are relative to
/// `base`.
pub fn parse(
    name: &str,
    text: &str,
    base: &Path,
    outside: &impl Outside,
) -> Result<BTreeMap<String, Value>, Vec<ValuesError>> {
    let named = || NamedSource::new(name, text.to_string());
    let entries: BTreeMap<Spanned<String>, Spanned<Entry>> = toml::from_str(text).map_err(|error| {
        vec![ValuesError::Invalid {
            message: error.message().to_string(),
            text: named(),
            span: error.span().map(Into::into),
        }]
    })?;
    let mut values = BTreeMap::new();
    let mut errors = Vec::new();
    let mut stdin = Stdin::Unused;
    for (key, entry) in entries {
        let span = key.span();
        let key = key.into_inner();
        match resolve(&key, entry, base, outside, &named, &mut stdin) {
            Ok((value, literal)) => {
                values.insert(key, Value { value, literal, span });
            }
            Err(error) => errors.push(*error),
        }
    }
    if errors.is_empty() { Ok(values) } else { Err(errors) }
}

/// Whether standard input may still give a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stdin {
    /// No value read it yet.
    Unused,
    /// A value already read it (it gives one per run).
    Used,
    /// Not here, for this reason (a rollout's targets file has one value per target).
    Refused(&'static str),
}

/// The value of one entry `key` (the value and whether it was written in the file itself),
/// or why it cannot be had; `named` gives the file for the diagnostic.
pub(crate) fn resolve(
    key: &str,
    entry: Spanned<Entry>,
    base: &Path,
    outside: &impl Outside,
    named: &dyn Fn() -> NamedSource<String>,
    stdin: &mut Stdin,
) -> Result<(String, bool), Box<ValuesError>> {
    let span = entry.span();
    let key = key.to_string();
    match entry.into_inner() {
        Entry::Text(value) => Ok((value, true)),
        Entry::Number(number) => Ok((number.to_string(), true)),
        Entry::From(Source {
            env: Some(variable),
            file: None,
            stdin: None,
        }) => match outside.env(&variable) {
            Some(value) => Ok((value, false)),
            None => Err(Box::new(ValuesError::EnvUnset {
                key,
                variable,
                text: named(),
                span,
            })),
        },
        Entry::From(Source {
            env: None,
            file: Some(file),
            stdin: None,
        }) => match outside.file(&base.join(&file)) {
            Ok(contents) => Ok((without_line_ending(contents), false)),
            Err(error) => Err(Box::new(ValuesError::FileUnreadable {
                key,
                file,
                error: error.to_string(),
                text: named(),
                span,
            })),
        },
        Entry::From(Source {
            env: None,
            file: None,
            stdin: Some(true),
        }) => {
            let refused = match *stdin {
                Stdin::Unused => None,
                Stdin::Used => Some("another parameter of the file already reads it"),
                Stdin::Refused(reason) => Some(reason),
            };
            if *stdin == Stdin::Unused {
                *stdin = Stdin::Used;
            }
            let read = match refused {
                Some(reason) => Err(reason),
                None => outside.stdin().ok_or("it is a terminal, nothing was piped in"),
            };
            let reason = match read {
                Ok(Ok(contents)) if !contents.is_empty() => return Ok((without_line_ending(contents), false)),
                Ok(Ok(_)) => "nothing was piped in",
                Ok(Err(_)) => "it could not be read",
                Err(reason) => reason,
            };
            Err(Box::new(ValuesError::Stdin {
                key,
                reason,
                text: named(),
                span,
            }))
        }
        Entry::From(_) => Err(Box::new(ValuesError::Source {
            key,
            text: named(),
            span,
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake {
        stdin: Option<&'static str>,
    }

    impl Outside for Fake {
        fn env(&self, name: &str) -> Option<String> {
            (name == "PROD_JWT").then(|| "jwt-from-env".to_string())
        }

        fn file(&self, path: &Path) -> std::io::Result<String> {
            if path == Path::new("envs/secrets/sf") {
                Ok("secret-from-file\n".into())
            } else {
                Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "No such file or directory",
                ))
            }
        }

        fn stdin(&self) -> Option<std::io::Result<String>> {
            self.stdin.map(|text| Ok(text.to_string()))
        }
    }

    fn values(text: &str, stdin: Option<&'static str>) -> Result<BTreeMap<String, Value>, Vec<ValuesError>> {
        parse("envs/prod.toml", text, Path::new("envs"), &Fake { stdin })
    }

    fn codes(errors: &[ValuesError]) -> Vec<String> {
        errors.iter().map(|e| e.code().unwrap().to_string()).collect()
    }

    #[test]
    fn values_come_from_the_file_the_environment_files_and_stdin() {
        let read = values(
            "InstanceUrl = \"https://crm.example.com\"\nMaxRecords = 100\nJwt = { env = \"PROD_JWT\" }\nSecret = { file = \"secrets/sf\" }\nToken = { stdin = true }\n",
            Some("token-from-stdin\r\n"),
        )
        .unwrap();
        let plain: Vec<(&str, &str, bool)> = read
            .iter()
            .map(|(key, value)| (key.as_str(), value.value.as_str(), value.literal))
            .collect();
        assert_eq!(
            plain,
            [
                ("InstanceUrl", "https://crm.example.com", true),
                ("Jwt", "jwt-from-env", false),
                ("MaxRecords", "100", true),
                ("Secret", "secret-from-file", false),
                ("Token", "token-from-stdin", false),
            ]
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_span() {
        let text = "A = { env = \"UNSET\" }\nB = { file = \"missing\" }\nC = { stdin = true }\nD = { stdin = true }\nE = { env = \"X\", file = \"y\" }\n";
        let errors = values(text, Some("x")).unwrap_err();
        assert_eq!(
            codes(&errors),
            [
                "flowform::values::env_unset",
                "flowform::values::file_unreadable",
                "flowform::values::stdin",
                "flowform::values::source",
            ]
        );
        let ValuesError::EnvUnset { span, .. } = &errors[0] else {
            panic!("{errors:?}")
        };
        assert_eq!(&text[span.clone()], "{ env = \"UNSET\" }");
        assert!(errors[2].to_string().contains("`D`"), "{}", errors[2]);

        let errors = values("A = { stdin = true }\n", None).unwrap_err();
        assert!(errors[0].to_string().contains("terminal"), "{}", errors[0]);
        let errors = values("A = [1, 2]\n", None).unwrap_err();
        assert_eq!(codes(&errors), ["flowform::values::invalid"]);
        let errors = values("A = { url = \"x\" }\n", None).unwrap_err();
        assert_eq!(codes(&errors), ["flowform::values::invalid"]);
    }
}
