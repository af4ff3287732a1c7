//! `[connector.<name>]`: a connector built with the AppFlow Custom Connector SDK, registered
//! by the stack (`AWS::AppFlow::Connector`) from the Lambda function that implements it,
//! with the permission that lets AppFlow invoke the function (`AWS::Lambda::Permission`).
//!
//! What AWS documents, and what flowform writes:
//! - `ConnectorProvisioningType`: "Currently the only supported value is LAMBDA"
//!   (AppFlow API Reference, RegisterConnector), with the function's ARN in
//!   `ConnectorProvisioningConfig.Lambda.LambdaArn`;
//! - `ConnectorLabel`: unique per account and region (the SDK's README), the resource's
//!   primary identifier, so `Ref` returns it (AWS::AppFlow::Connector's schema); at most
//!   256 characters by the API (the CloudFormation schema says 512), `[a-zA-Z0-9][\w!@#.-]+`;
//! - the permission is the SDK's own, from its sample connector's template
//!   (`custom_connector_example/template.yml` of `awslabs/aws-appflow-custom-connector-python`):
//!   `lambda:InvokeFunction` for `appflow.amazonaws.com`, with `SourceAccount` the stack's
//!   account and `SourceArn` `arn:<partition>:appflow:<region>:<account>:*`, against the
//!   "confused deputy" problem (the SDK's README, "Lambda Permissions and Resource Policy");
//! - ordering: "Before you can register the connector, you must deploy the associated AWS
//!   lambda function" (RegisterConnector), and registering calls the function (its
//!   `describeConnectorConfiguration`, the SDK's README), so the registration waits for the
//!   permission (`DependsOn`); that AppFlow's call fails without it is inferred, not
//!   documented. Profiles that use the connector `Ref` it, so they are created after it.
//!
//! The function is an existing one (its ARN), or one the stack creates from a deployment
//! package in S3 (`AWS::Lambda::Function`), with a role as the SDK's sample template gives
//! its function: CloudWatch Logs for its own log group, and `secretsmanager:GetSecretValue`
//! on the secrets AppFlow keeps the connector's profiles' credentials in,
//! `appflow!<account>-<label>-*`. Its memory and timeout default to the sample's (256 MB,
//! 30 seconds).
//!
//! One registration has one permission, however many profiles use the connector.
//!
//! What the connector supports is its own (its `describeConnectorConfiguration`, which
//! `aws appflow describe-connector` shows as `supportedOperators` and
//! `supportedWriteOperations`): the file may repeat it (`operators`, `write-operations`),
//! and flows through the connector are then checked against it, as the schema's operator
//! sets check a native connector's.

use serde::Deserialize;

use crate::cfn::SubTemplate;
use crate::cfn::generated::connector::{Connector, ConnectorProvisioningConfig, LambdaConnectorProvisioningConfig};
use crate::cfn::resources::{LambdaCode, LambdaFunctionProperties, LambdaPermissionProperties, Principal, Statement};
use crate::cfn::{Expr, Limits, Resource, ResourceProperties};
use crate::connectors::common::{TomlWriteOperation, WriteOperationType};
use crate::connectors::facts::Operator;
use crate::connectors::staged::ProfileRole;
use crate::input::lower::{Allowed, At, Lowerer};
use crate::input::raw::{Sp, TomlText};
use crate::model::validate::Checker;
use crate::model::{ErrorKind, Path, Text, names};
use crate::synth::Synth;

/// A connector the stack registers from its Lambda function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredConnector {
    pub(crate) name: String,
    pub(crate) label: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) function: ConnectorFunction,
    /// The operators the connector declares it supports (`supportedOperators`), if known.
    pub(crate) operators: Option<Vec<Operator>>,
    /// The write operations it declares (`supportedWriteOperations`), if known.
    pub(crate) write_operations: Option<Vec<WriteOperationType>>,
}

impl RegisteredConnector {
    /// Registers the connector `lambda_arn` implements as `name` in the stack; its label is
    /// `<stack>-<name>` unless [`label`](RegisteredConnector::label) says.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let mut stack = Stack::new("crm");
    /// let connector = stack.add_connector(
    ///     RegisteredConnector::new("inventory", "arn:aws:lambda:us-east-1:123456789012:function:inventory-connector")
    ///         .label("InventoryConnector")
    ///         .description("The warehouse's inventory API"),
    /// );
    /// stack.add_profile(CustomConnectorProfile::registered("inventory", connector));
    /// ```
    pub fn new(name: impl Into<String>, lambda_arn: impl Into<Text>) -> Self {
        RegisteredConnector {
            name: name.into(),
            label: None,
            description: None,
            function: ConnectorFunction::Existing(lambda_arn.into()),
            operators: None,
            write_operations: None,
        }
    }

    /// The operators the connector supports, as its configuration declares them
    /// (`supportedOperators`; TOML `operators`): a flow's filters through it must use
    /// these.
    pub fn operators(mut self, operators: impl IntoIterator<Item = Operator>) -> Self {
        self.operators = Some(operators.into_iter().collect());
        self
    }

    /// The write operations the connector supports (`supportedWriteOperations`; TOML
    /// `write-operations`): a destination through it must use one of these.
    pub fn write_operations(mut self, operations: impl IntoIterator<Item = WriteOperationType>) -> Self {
        self.write_operations = Some(operations.into_iter().collect());
        self
    }

    /// Registers the connector implemented by the function the stack creates from `code`
    /// as `name` in the stack.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let code = FunctionCode::new("acme-artifacts", "connectors/inventory.zip", "inventory.handler.lambda_handler", "python3.12")
    ///     .memory(512)
    ///     .timeout(60);
    /// let connector = RegisteredConnector::from_code("inventory", code);
    /// # let _ = connector;
    /// ```
    pub fn from_code(name: impl Into<String>, code: FunctionCode) -> Self {
        RegisteredConnector {
            function: ConnectorFunction::Created(code),
            ..RegisteredConnector::new(name, "")
        }
    }

    /// The label AppFlow knows the connector by (TOML `label`).
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// What the connector is for (TOML `description`).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Its name in the stack.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The label AppFlow knows it by.
    pub(crate) fn physical_label(&self, stack: &str) -> String {
        self.label
            .clone()
            .unwrap_or_else(|| names::physical_name(stack, &self.name))
    }
}

/// The Lambda function that implements a registered connector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectorFunction {
    /// An existing function, by its ARN.
    Existing(Text),
    /// A function the stack creates from a deployment package in S3.
    Created(FunctionCode),
}

/// A function the stack creates for a connector: its deployment package in S3, handler,
/// runtime, memory and timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionCode {
    pub(crate) bucket: Text,
    pub(crate) key: Text,
    pub(crate) version: Option<Text>,
    pub(crate) handler: String,
    pub(crate) runtime: String,
    pub(crate) memory: u32,
    pub(crate) timeout: u32,
}

impl FunctionCode {
    /// The SDK sample's memory, in MB.
    pub const DEFAULT_MEMORY: u32 = 256;
    /// The SDK sample's timeout, in seconds.
    pub const DEFAULT_TIMEOUT: u32 = 30;

    /// The package at `key` in `bucket` (a `.zip` or `.jar`), run by `handler` on
    /// `runtime` (e.g. `python3.12`, `java21`).
    pub fn new(
        bucket: impl Into<Text>,
        key: impl Into<Text>,
        handler: impl Into<String>,
        runtime: impl Into<String>,
    ) -> Self {
        FunctionCode {
            bucket: bucket.into(),
            key: key.into(),
            version: None,
            handler: handler.into(),
            runtime: runtime.into(),
            memory: Self::DEFAULT_MEMORY,
            timeout: Self::DEFAULT_TIMEOUT,
        }
    }

    /// The package's S3 object version (TOML `version`).
    pub fn version(mut self, version: impl Into<Text>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// The function's memory in MB (TOML `memory`).
    pub fn memory(mut self, megabytes: u32) -> Self {
        self.memory = megabytes;
        self
    }

    /// The function's timeout in seconds (TOML `timeout`).
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.timeout = seconds;
        self
    }
}

/// `function = { ... }`: a function the stack creates for the connector.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlFunction {
    /// The bucket holding the deployment package, or a reference to its name.
    pub bucket: Sp<TomlText>,
    /// The package's key, e.g. `connectors/inventory.zip`.
    pub key: Sp<TomlText>,
    /// The package's object version.
    pub version: Option<Sp<TomlText>>,
    /// The handler, e.g. `inventory.handlers.lambda_handler`.
    pub handler: Sp<String>,
    /// The runtime, e.g. `python3.12` or `java21`.
    pub runtime: Sp<String>,
    /// Memory in MB (default 256).
    #[cfg_attr(feature = "schema", schemars(range(min = 128, max = 32768)))]
    pub memory: Option<Sp<i64>>,
    /// Timeout in seconds (default 30).
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 900)))]
    pub timeout: Option<Sp<i64>>,
}

/// `[connector.<name>]`: a custom connector the stack registers from its Lambda function.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlConnector {
    /// The label AppFlow knows the connector by (default `<stack>-<name>`), unique in the
    /// account and region.
    #[cfg_attr(feature = "schema", schemars(extend("pattern" = r"^[a-zA-Z0-9][\w!@#.-]+$", "maxLength" = 256)))]
    pub label: Option<Sp<String>>,
    /// What the connector is for.
    pub description: Option<Sp<String>>,
    /// The ARN of the existing Lambda function that implements the connector, or a
    /// reference to it.
    pub lambda: Option<Sp<TomlText>>,
    /// Instead of `lambda`: the function the stack creates from a package in S3.
    pub function: Option<Sp<TomlFunction>>,
    /// The operators the connector supports, as `aws appflow describe-connector` lists its
    /// `supportedOperators` (e.g. `["EQUAL_TO", "BETWEEN"]`): filters through it are
    /// checked against them.
    pub operators: Option<Vec<Sp<String>>>,
    /// The write operations it supports (`supportedWriteOperations`): `insert`, `upsert`,
    /// `update`, `delete`.
    pub write_operations: Option<Vec<Sp<TomlWriteOperation>>>,
}

impl TomlConnector {
    /// Lowers `[connector.<name>]` at `at`, named at `span`; `None` after reporting a
    /// table without its function.
    pub(crate) fn lower(
        &self,
        lowerer: &mut Lowerer,
        name: &str,
        at: &At,
        span: std::ops::Range<usize>,
    ) -> Option<RegisteredConnector> {
        let mut connector = match (&self.lambda, &self.function) {
            (Some(lambda), None) => RegisteredConnector::new(name, lowerer.text(&at.key("lambda"), lambda)),
            (None, Some(function)) => {
                let code = function.get().lower(lowerer, &at.key("function"), function.span())?;
                RegisteredConnector::from_code(name, code)
            }
            (Some(_), Some(function)) => {
                lowerer.error(RegistrationError::TwoFunctions, function.span());
                return None;
            }
            (None, None) => {
                lowerer.error(RegistrationError::NoFunction, span);
                return None;
            }
        };
        connector.label = lowerer.opt_string(&at.key("label"), &self.label);
        connector.description = lowerer.opt_string(&at.key("description"), &self.description);
        if let Some(operators) = &self.operators {
            let at = at.key("operators");
            let mut known = Vec::new();
            for (index, operator) in operators.iter().enumerate() {
                let name = lowerer.string(&at.index(index), operator);
                match Operator::parse(&name) {
                    Some(operator) => known.push(operator),
                    None => {
                        let allowed = Operator::ALL.iter().map(|op| format!("`{}`", op.as_str())).collect();
                        let error = RegistrationError::UnknownOperator { name, allowed };
                        lowerer.error(error, operator.span());
                    }
                }
            }
            connector.operators = Some(known);
        }
        if let Some(operations) = &self.write_operations {
            let at = at.key("write-operations");
            let kinds = operations.iter().enumerate().map(|(index, operation)| {
                lowerer.record(&at.index(index), operation.span());
                operation.get().kind()
            });
            connector.write_operations = Some(kinds.collect());
        }
        Some(connector)
    }
}

impl TomlFunction {
    /// Lowers `function` at `at` (spanning `span`); `None` after reporting a number out of
    /// range.
    fn lower(&self, lowerer: &mut Lowerer, at: &At, span: std::ops::Range<usize>) -> Option<FunctionCode> {
        lowerer.record(at, span);
        let mut code = FunctionCode::new(
            lowerer.text(&at.key("bucket"), &self.bucket),
            lowerer.text(&at.key("key"), &self.key),
            lowerer.string(&at.key("handler"), &self.handler),
            lowerer.string(&at.key("runtime"), &self.runtime),
        );
        code.version = self
            .version
            .as_ref()
            .map(|version| lowerer.text(&at.key("version"), version));
        // The schema's ranges (AWS::Lambda::Function `MemorySize`, `Timeout`).
        if let Some(memory) = &self.memory {
            let what = "a function's memory in MB";
            code.memory = lowerer.count(&at.key("memory"), memory, what, Allowed::Range(128, 32_768))?;
        }
        if let Some(timeout) = &self.timeout {
            let what = "a function's timeout in seconds";
            code.timeout = lowerer.count(&at.key("timeout"), timeout, what, Allowed::Range(1, 900))?;
        }
        Some(code)
    }
}

/// A Lambda function's ARN as `AWS::Lambda::Permission`'s `FunctionName` takes it (its
/// schema's pattern, narrowed to a full ARN, which `LambdaArn` needs: `arn:*:.*:.*:[0-9]+:.*`).
const FUNCTION_ARN_LIMITS: Limits = Limits {
    property: "Permission.FunctionName",
    pattern: Some(
        r"^arn:aws[a-zA-Z-]*:lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?$",
    ),
    min_length: Some(1),
    max_length: Some(140),
    minimum: None,
    maximum: None,
};

/// A created function's `FunctionName` (AWS::Lambda::Function: at most 64; a function
/// name is letters, digits, hyphens and underscores, as `FunctionName` of
/// AWS::Lambda::Permission's pattern says).
const FUNCTION_NAME_LIMITS: Limits = Limits {
    property: "Function.FunctionName",
    pattern: Some(r"^[a-zA-Z0-9-_]+$"),
    min_length: Some(1),
    max_length: Some(64),
    minimum: None,
    maximum: None,
};

/// `Code.S3Bucket` (AWS::Lambda::Function, whose pattern's look-behind says: not ending
/// with a dot).
const CODE_BUCKET_LIMITS: Limits = Limits {
    property: "Code.S3Bucket",
    pattern: Some(r"^[0-9A-Za-z.\-_]*[0-9A-Za-z\-_]$"),
    min_length: Some(3),
    max_length: Some(63),
    minimum: None,
    maximum: None,
};

/// `Code.S3Key` and `Code.S3ObjectVersion` (AWS::Lambda::Function).
const CODE_KEY_LIMITS: Limits = Limits {
    property: "Code.S3Key",
    pattern: None,
    min_length: Some(1),
    max_length: Some(1024),
    minimum: None,
    maximum: None,
};

/// `MemorySize` (AWS::Lambda::Function), in MB.
const MEMORY_LIMITS: Limits = Limits {
    property: "Function.MemorySize",
    pattern: None,
    min_length: None,
    max_length: None,
    minimum: Some(128),
    maximum: Some(32_768),
};

/// `Timeout` (AWS::Lambda::Function), in seconds.
const TIMEOUT_LIMITS: Limits = Limits {
    property: "Function.Timeout",
    pattern: None,
    min_length: None,
    max_length: None,
    minimum: Some(1),
    maximum: Some(900),
};

/// `Handler` (AWS::Lambda::Function).
const HANDLER_LIMITS: Limits = Limits {
    property: "Function.Handler",
    pattern: Some(r"^[^\s]+$"),
    min_length: Some(1),
    max_length: Some(128),
    minimum: None,
    maximum: None,
};

/// `ConnectorLabel` as the AppFlow API takes it (RegisterConnector: at most 256; the
/// CloudFormation schema allows 512).
const LABEL_LIMITS: Limits = Limits {
    max_length: Some(256),
    ..Connector::CONNECTOR_LABEL_LIMITS
};

impl RegisteredConnector {
    /// Its label, description and function, at `path` (`connector.<name>`).
    pub(crate) fn check(&self, checker: &mut Checker<'_>, path: &Path) {
        let label = self.physical_label(checker.stack_name());
        checker.check_limits(|| path.key("label"), &LABEL_LIMITS, &label);
        if let Some(description) = &self.description {
            checker.check_limits(|| path.key("description"), &Connector::DESCRIPTION_LIMITS, description);
        }
        match &self.function {
            ConnectorFunction::Existing(lambda) => {
                if lambda.literal().is_some_and(|arn| arn.trim().is_empty()) {
                    let help = "give the ARN of the function that implements the connector, e.g. `arn:aws:lambda:us-east-1:123456789012:function:inventory-connector`";
                    let what = "the Lambda function's ARN";
                    checker.error(path.key("lambda"), ErrorKind::Empty { what, help });
                    return;
                }
                checker.check_text(path.key("lambda"), lambda, Some(FUNCTION_ARN_LIMITS));
            }
            ConnectorFunction::Created(code) => {
                let path = path.key("function");
                let name = self.function_name(checker.stack_name());
                checker.check_limits(|| path.clone(), &FUNCTION_NAME_LIMITS, &name);
                checker.check_text(path.key("bucket"), &code.bucket, Some(CODE_BUCKET_LIMITS));
                checker.check_text(path.key("key"), &code.key, Some(CODE_KEY_LIMITS));
                if let Some(version) = &code.version {
                    checker.check_text(path.key("version"), version, Some(CODE_KEY_LIMITS));
                }
                checker.check_limits(|| path.key("handler"), &HANDLER_LIMITS, &code.handler);
                checker.check_number(|| path.key("memory"), &MEMORY_LIMITS, code.memory.into());
                checker.check_number(|| path.key("timeout"), &TIMEOUT_LIMITS, code.timeout.into());
                if code.runtime.trim().is_empty() {
                    let help = "name a Lambda runtime, e.g. `python3.12` or `java21`";
                    checker.error(
                        path.key("runtime"),
                        ErrorKind::Empty {
                            what: "the runtime",
                            help,
                        },
                    );
                }
            }
        }
    }

    /// The name of the function the stack creates for it: `<stack>-<name>`.
    pub(crate) fn function_name(&self, stack: &str) -> String {
        names::physical_name(stack, &self.name)
    }

    /// The settings that may be references (the function's ARN, or its package's
    /// location), for the checks of declared parameters.
    pub(crate) fn texts(&self) -> Vec<&Text> {
        match &self.function {
            ConnectorFunction::Existing(lambda) => vec![lambda],
            ConnectorFunction::Created(code) => [&code.bucket, &code.key].into_iter().chain(&code.version).collect(),
        }
    }

    /// Adds the registration and its permission.
    pub(crate) fn synthesize(&self, synth: &mut Synth<'_>) {
        let lambda_arn = match &self.function {
            ConnectorFunction::Existing(lambda) => {
                synth.declare_shared_texts([lambda]);
                synth.text(lambda)
            }
            ConnectorFunction::Created(code) => self.create_function(synth, code),
        };
        let permission = LambdaPermissionProperties {
            action: "lambda:InvokeFunction",
            function_name: lambda_arn.clone(),
            principal: "appflow.amazonaws.com",
            source_account: Expr::account_id(),
            source_arn: Expr::arn("appflow", "*"),
        };
        let permission_id = names::connector_permission_id(&self.name);
        synth.shared_resource(
            permission_id.clone(),
            Resource::new(ResourceProperties::LambdaPermission(permission)),
        );
        let connector = Connector {
            connector_label: Some(Expr::Str(self.physical_label(synth.stack_name()))),
            connector_provisioning_config: ConnectorProvisioningConfig {
                lambda: Some(LambdaConnectorProvisioningConfig { lambda_arn }),
            },
            connector_provisioning_type: Expr::Str("LAMBDA".to_owned()),
            description: self.description.clone().map(Expr::Str),
        };
        let resource =
            Resource::new(ResourceProperties::Connector(Box::new(connector))).depending_on(vec![permission_id]);
        synth.shared_resource(names::connector_id(&self.name), resource);
    }

    /// Adds the function the stack creates from `code` and its role; returns its ARN.
    fn create_function(&self, synth: &mut Synth<'_>, code: &FunctionCode) -> Expr {
        synth.declare_shared_texts([&code.bucket, &code.key].into_iter().chain(&code.version));
        let function_name = self.function_name(synth.stack_name());
        let label = self.physical_label(synth.stack_name());
        // What the SDK's sample template gives its function: its logs, and the secrets
        // AppFlow stores the connector's profiles' credentials in.
        let log_group = |suffix: &str| {
            SubTemplate::new()
                .text("arn:")
                .var("AWS::Partition")
                .text(":logs:")
                .var("AWS::Region")
                .text(":")
                .var("AWS::AccountId")
                .text(&format!(":log-group:/aws/lambda/{function_name}{suffix}"))
                .build()
        };
        let credentials = SubTemplate::new()
            .text("arn:")
            .var("AWS::Partition")
            .text(":secretsmanager:")
            .var("AWS::Region")
            .text(":")
            .var("AWS::AccountId")
            .text(":secret:appflow!")
            .var("AWS::AccountId")
            .text(&format!("-{label}-*"))
            .build();
        let trust = Statement {
            principal: Some(Principal::Service("lambda.amazonaws.com".into())),
            ..Statement::allow(vec!["sts:AssumeRole".into()], Vec::new())
        };
        let role = ProfileRole {
            id: names::connector_function_role_id(&self.name),
            description: format!("The function of custom connector {label}"),
            trust,
            policy_name: "ConnectorFunction",
            statements: vec![
                Statement::allow(vec!["logs:CreateLogGroup".into()], vec![log_group("")]),
                Statement::allow(
                    vec!["logs:CreateLogStream".into(), "logs:PutLogEvents".into()],
                    vec![log_group(":*")],
                ),
                Statement::allow(vec!["secretsmanager:GetSecretValue".into()], vec![credentials]),
            ],
            output: format!("The role of custom connector {label}'s function"),
        }
        .create(synth);
        let function = LambdaFunctionProperties {
            function_name: Expr::Str(function_name),
            description: Some(format!("Custom connector {label}")),
            code: LambdaCode {
                s3_bucket: synth.text(&code.bucket),
                s3_key: synth.text(&code.key),
                s3_object_version: code.version.as_ref().map(|version| synth.text(version)),
            },
            handler: code.handler.clone(),
            runtime: code.runtime.clone(),
            memory_size: code.memory,
            timeout: code.timeout,
            role,
            tags: synth.tags(&Default::default()),
        };
        let id = names::connector_function_id(&self.name);
        let resource = Resource::new(ResourceProperties::LambdaFunction(Box::new(function)));
        synth.shared_resource(id.clone(), resource);
        Expr::get_att(id, "Arn")
    }
}

/// An error only a registration has.
#[derive(Debug, Clone, PartialEq, thiserror::Error, miette::Diagnostic)]
pub enum RegistrationError {
    /// A registration without its function.
    #[error("a registered connector needs its Lambda function")]
    #[diagnostic(
        code(flowform::connector::no_function),
        help(
            "add `lambda = \"arn:aws:lambda:...\"`, the function that implements the connector, or `function = {{ bucket, key, handler, runtime }}` for one the stack creates from its package in S3"
        )
    )]
    NoFunction,

    /// A registration with both an existing function and one to create.
    #[error("a registered connector has one function")]
    #[diagnostic(
        code(flowform::connector::two_functions),
        help("keep `lambda` for an existing function, or `function` for one the stack creates")
    )]
    TwoFunctions,

    /// An operator name AppFlow does not have.
    #[error("`{name}` is not an AppFlow operator")]
    #[diagnostic(
        code(flowform::connector::unknown_operator),
        help("write the operators as `aws appflow describe-connector` lists the connector's `supportedOperators`: {}", allowed.join(", "))
    )]
    UnknownOperator {
        /// The name written.
        name: String,
        /// The operators there are.
        allowed: Vec<String>,
    },
}

impl crate::model::Label for RegistrationError {}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testing::{compile, resource};

    const PROFILE: &str = "[profile.p.custom]\nconnector = \"inventory\"\napi-key = { key = { secret = \"app\", key = \"apiKey\" } }\n\
        [flow.f]\nsource.custom = { profile = \"p\", entity = \"items\" }\ndestination.s3 = { bucket = \"lake\" }\nmap-all = {}\n";

    #[test]
    fn an_existing_function_is_registered_with_one_permission_however_many_profiles_use_it() {
        let second = "[profile.q.custom]\nconnector = \"inventory\"\napi-key = { key = { secret = \"app\", key = \"apiKey\" } }\n\
            [flow.g]\nsource.custom = { profile = \"q\", entity = \"items\" }\ndestination.s3 = { bucket = \"lake\" }\nmap-all = {}\n";
        let template = compile(&format!(
            "[connector.inventory]\nlambda = \"arn:aws:lambda:eu-west-1:123456789012:function:inventory\"\n{PROFILE}{second}"
        ))
        .expect("compiles");
        let permission = resource(&template, "AWS::Lambda::Permission");
        assert_eq!(
            permission["FunctionName"],
            "arn:aws:lambda:eu-west-1:123456789012:function:inventory"
        );
        assert_eq!(permission["Principal"], "appflow.amazonaws.com");
        assert_eq!(permission["SourceAccount"], json!({"Ref": "AWS::AccountId"}));
        let connector = resource(&template, "AWS::AppFlow::Connector");
        assert_eq!(connector["ConnectorLabel"], "t-inventory");
        assert_eq!(
            template["Resources"]["InventoryConnector"]["DependsOn"],
            json!(["InventoryConnectorPermission"])
        );
        for profile in ["PProfile", "QProfile"] {
            let label = &template["Resources"][profile]["Properties"]["ConnectorLabel"];
            assert_eq!(label, &json!({"Ref": "InventoryConnector"}));
        }
        assert!(template["Resources"].get("InventoryConnectorFunction").is_none());
    }

    #[test]
    fn a_registration_has_exactly_one_function() {
        let none = compile(&format!("[connector.inventory]\nlabel = \"Inventory\"\n{PROFILE}"));
        assert_eq!(none.expect_err("no function"), ["flowform::connector::no_function"]);
        let both = compile(&format!(
            "[connector.inventory]\nlambda = \"arn:aws:lambda:eu-west-1:123456789012:function:inventory\"\n\
             function = {{ bucket = \"code\", key = \"c.zip\", handler = \"h\", runtime = \"python3.12\" }}\n{PROFILE}"
        ));
        assert_eq!(both.expect_err("two functions"), ["flowform::connector::two_functions"]);
    }

    #[test]
    fn a_created_function_is_named_checked_and_bounded() {
        let long = "a".repeat(63);
        let errors = compile(&format!(
            "[connector.{long}]\nfunction = {{ bucket = \"code\", key = \"c.zip\", handler = \"h\", runtime = \"python3.12\" }}\n\
             [profile.p.custom]\nconnector = \"{long}\"\napi-key = {{ key = {{ secret = \"app\", key = \"apiKey\" }} }}\n\
             [flow.f]\nsource.custom = {{ profile = \"p\", entity = \"items\" }}\ndestination.s3 = {{ bucket = \"lake\" }}\nmap-all = {{}}\n"
        ))
        .expect_err("a function name over 64 characters");
        assert_eq!(errors, ["flowform::model::schema_constraint"]);
        let errors = compile(&format!(
            "[connector.inventory]\nfunction = {{ bucket = \"code\", key = \"c.zip\", handler = \"h\", runtime = \"python3.12\", timeout = 901 }}\n{PROFILE}"
        ))
        .expect_err("a timeout over 900 seconds");
        assert_eq!(errors, ["flowform::model::schema_constraint"]);
        let template = compile(&format!(
            "[connector.inventory]\nfunction = {{ bucket = \"code\", key = \"c.zip\", handler = \"h\", runtime = \"java21\", memory = 1024 }}\n{PROFILE}"
        ))
        .expect("compiles");
        let function = resource(&template, "AWS::Lambda::Function");
        assert_eq!(function["FunctionName"], "t-inventory");
        assert_eq!(function["MemorySize"], 1024);
        assert_eq!(function["Timeout"], 30);
        assert_eq!(function["Code"], json!({"S3Bucket": "code", "S3Key": "c.zip"}));
        assert_eq!(
            resource(&template, "AWS::Lambda::Permission")["FunctionName"],
            json!({"Fn::GetAtt": ["InventoryConnectorFunction", "Arn"]})
        );
    }
}
