//! Template parameters the stack declares: the description, default and constraints of
//! a parameter its references use (`{ parameter = "InstanceUrl" }`, a credential's
//! `NoEcho` parameter), so one file deploys to several environments with values that
//! differ, and CloudFormation checks each value before it creates anything.
//!
//! A reference alone already declares its parameter (a plain `String`, no default); a
//! declaration only adds to it. Defaults are for settings: a credential's parameter has
//! none (the default would be written into the template), which validation enforces.

/// The declaration of a template parameter that the stack's references use.
///
/// ```
/// use flowform::model::*;
///
/// let stack = Stack::new("crm").parameter(
///     DeclaredParameter::new("InstanceUrl")
///         .description("The CRM instance of this environment")
///         .default("https://dev.crm.example.com")
///         .allowed_pattern("https://[a-z0-9.-]+\\.example\\.com"),
/// );
/// # let _ = stack;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredParameter {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) default: Option<String>,
    pub(crate) allowed_values: Vec<String>,
    pub(crate) allowed_pattern: Option<String>,
    pub(crate) min_length: Option<u32>,
    pub(crate) max_length: Option<u32>,
    pub(crate) constraint_description: Option<String>,
}

impl DeclaredParameter {
    /// The declaration of the parameter `name` (the name references use).
    pub fn new(name: impl Into<String>) -> Self {
        DeclaredParameter {
            name: name.into(),
            ..Default::default()
        }
    }

    /// The parameter's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the parameter is for (CloudFormation's `Description`).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The value a deploy that passes none uses (`Default`); not for credentials.
    pub fn default(mut self, value: impl Into<String>) -> Self {
        self.default = Some(value.into());
        self
    }

    /// The only values CloudFormation accepts (`AllowedValues`).
    pub fn allowed_values<S: Into<String>>(mut self, values: impl IntoIterator<Item = S>) -> Self {
        self.allowed_values = values.into_iter().map(Into::into).collect();
        self
    }

    /// A regular expression the whole value must match (`AllowedPattern`).
    pub fn allowed_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.allowed_pattern = Some(pattern.into());
        self
    }

    /// The fewest characters a value may have (`MinLength`).
    pub fn min_length(mut self, length: u32) -> Self {
        self.min_length = Some(length);
        self
    }

    /// The most characters a value may have (`MaxLength`).
    pub fn max_length(mut self, length: u32) -> Self {
        self.max_length = Some(length);
        self
    }

    /// What CloudFormation says when a value breaks the constraints
    /// (`ConstraintDescription`).
    pub fn constraint_description(mut self, text: impl Into<String>) -> Self {
        self.constraint_description = Some(text.into());
        self
    }

    /// Why `value` breaks this declaration's constraints, if it does (as CloudFormation
    /// would say it). A pattern the `regex` crate cannot read (CloudFormation's are Java
    /// regular expressions) is not checked here; CloudFormation checks it.
    pub(crate) fn rejects(&self, value: &str) -> Option<String> {
        let length = value.chars().count();
        if !self.allowed_values.is_empty() && !self.allowed_values.iter().any(|allowed| allowed == value) {
            return Some(format!(
                "`{value}` is not one of the allowed values ({})",
                self.allowed_values.join(", ")
            ));
        }
        if let Some(min) = self.min_length
            && length < min as usize
        {
            return Some(format!(
                "`{value}` has {length} characters, fewer than the minimum {min}"
            ));
        }
        if let Some(max) = self.max_length
            && length > max as usize
        {
            return Some(format!(
                "`{value}` has {length} characters, more than the maximum {max}"
            ));
        }
        if let Some(pattern) = &self.allowed_pattern
            && let Ok(whole) = regex::Regex::new(&format!("^(?:{pattern})$"))
            && !whole.is_match(value)
        {
            return Some(format!("`{value}` does not match the allowed pattern `{pattern}`"));
        }
        None
    }
}
