//! The declared template parameters (`[stack.parameters.<Name>]`): each a valid
//! CloudFormation parameter name that a reference uses, a credential's without a default,
//! and a default its own constraints accept.

use std::collections::BTreeSet;

use super::{Checker, root};
use crate::model::diagnostic::{ErrorKind, WarningKind};
use crate::model::{Credential, Text};

/// CloudFormation's rule for parameter names ("Parameters", CloudFormation user guide:
/// "alphanumeric ... unique among all logical names within the template"), at most 255
/// characters like any logical ID.
fn is_parameter_name(name: &str) -> bool {
    (1..=255).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl Checker<'_> {
    pub(super) fn check_declared_parameters(&mut self) {
        let stack = self.stack;
        if stack.parameters.is_empty() {
            return;
        }
        let credentials: BTreeSet<&str> = self
            .credentials()
            .into_iter()
            .filter_map(|(_, credential)| match credential {
                Credential::Parameter { name } => Some(name.as_str()),
                Credential::Secret { .. } => None,
            })
            .chain(stack.secrets.iter().flat_map(|s| s.values.values().map(String::as_str)))
            .collect();
        let settings: BTreeSet<&str> = self
            .all_texts()
            .into_iter()
            .map(|(_, text)| text)
            .chain(stack.connectors.iter().flat_map(|connector| connector.texts()))
            .filter_map(|text| match text {
                Text::Parameter(name) => Some(name.as_str()),
                _ => None,
            })
            .collect();
        let mut seen = BTreeSet::new();
        for declared in &stack.parameters {
            let name = declared.name.as_str();
            let path = || root("stack").key("parameters").key(name);
            if !seen.insert(name) {
                self.error(
                    path(),
                    ErrorKind::DuplicateName {
                        kind: "parameter",
                        name: name.to_owned(),
                    },
                );
                continue;
            }
            if !is_parameter_name(name) {
                self.error(
                    path(),
                    ErrorKind::InvalidName {
                        kind: "parameter",
                        name: name.to_owned(),
                        reason: "CloudFormation parameter names are letters and digits only".into(),
                        rule: "use 1 to 255 ASCII letters and digits, the name the references use (`{ parameter = \"InstanceUrl\" }`)".into(),
                    },
                );
                continue;
            }
            let is_credential = credentials.contains(name);
            if !is_credential && !settings.contains(name) {
                self.warn(path(), WarningKind::UnusedParameter { name: name.to_owned() });
            }
            if let (Some(min), Some(max)) = (declared.min_length, declared.max_length)
                && min > max
            {
                self.error(
                    path().key("min-length"),
                    ErrorKind::ParameterLengths {
                        name: name.to_owned(),
                        min,
                        max,
                    },
                );
            }
            let Some(default) = &declared.default else {
                continue;
            };
            if is_credential {
                self.error(
                    path().key("default"),
                    ErrorKind::CredentialParameterDefault { name: name.to_owned() },
                );
            } else if let Some(reason) = declared.rejects(default) {
                self.error(
                    path().key("default"),
                    ErrorKind::ParameterDefaultRejected {
                        name: name.to_owned(),
                        reason,
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::model::*;

    fn code(kind: &impl miette::Diagnostic) -> String {
        kind.code().map(|code| code.to_string()).unwrap_or_default()
    }

    fn error_codes(stack: Stack) -> Vec<String> {
        errors(stack).iter().map(|(_, kind)| code(kind)).collect()
    }

    /// The warnings about declared parameters (the helper stack's secret is unused, on
    /// purpose: only its value's parameter matters here).
    fn warning_codes(stack: Stack) -> Vec<String> {
        warnings(stack)
            .iter()
            .map(|(_, kind)| code(kind))
            .filter(|code| code.starts_with("flowform::parameter::"))
            .collect()
    }

    /// A stack whose flow's description is the parameter `InstanceUrl` and whose created
    /// secret takes its value from the (credential) parameter `SfToken`.
    fn with_parameter(parameter: DeclaredParameter) -> Stack {
        let mut stack = Stack::new("crm").parameter(parameter);
        let lake = stack.add_bucket(Bucket::owned("lake"));
        stack.add_secret(Secret::owned("token").value_from_parameter("token", "SfToken"));
        stack.add_flow(
            OnDemandFlow::new("accounts", S3Source::new(&lake, "in/"), S3Destination::new(&lake))
                .description(Text::parameter("InstanceUrl"))
                .map_all(),
        );
        stack
    }

    #[test]
    fn a_declared_setting_parameter_with_a_valid_default_passes() {
        let stack = with_parameter(
            DeclaredParameter::new("InstanceUrl")
                .default("https://crm.example.com")
                .allowed_pattern("https://.*")
                .min_length(10)
                .max_length(200),
        );
        assert_eq!(warning_codes(stack), Vec::<String>::new());
    }

    #[test]
    fn a_credential_default_a_rejected_default_and_contradicting_lengths_are_errors() {
        assert_eq!(
            error_codes(with_parameter(DeclaredParameter::new("SfToken").default("token"))),
            ["flowform::parameter::credential_default"]
        );
        for declared in [
            DeclaredParameter::new("InstanceUrl")
                .default("x")
                .allowed_values(["a", "b"]),
            DeclaredParameter::new("InstanceUrl")
                .default("ftp://x")
                .allowed_pattern("https://.*"),
            DeclaredParameter::new("InstanceUrl").default("x").min_length(2),
        ] {
            assert_eq!(
                error_codes(with_parameter(declared)),
                ["flowform::parameter::default_rejected"]
            );
        }
        assert_eq!(
            error_codes(with_parameter(
                DeclaredParameter::new("InstanceUrl").min_length(3).max_length(2)
            )),
            ["flowform::parameter::lengths"]
        );
    }

    #[test]
    fn a_bad_name_is_an_error_and_an_unused_declaration_a_warning() {
        assert_eq!(
            error_codes(with_parameter(DeclaredParameter::new("Instance-Url"))),
            ["flowform::model::invalid_name"]
        );
        assert_eq!(
            warning_codes(with_parameter(DeclaredParameter::new("Nobody"))),
            ["flowform::parameter::unused"]
        );
        let twice =
            with_parameter(DeclaredParameter::new("InstanceUrl")).parameter(DeclaredParameter::new("InstanceUrl"));
        assert_eq!(error_codes(twice), ["flowform::model::duplicate_name"]);
    }
}
