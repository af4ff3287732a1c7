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
//! One registration has one permission, however many profiles use the connector.
//!
//! What the connector supports is its own (its `describeConnectorConfiguration`, which
//! `aws appflow describe-connector` shows as `supportedOperators` and
//! `supportedWriteOperations`): the file may repeat it (`operators`, `write-operations`),
//! and flows through the connector are then checked against it, as the schema's operator
//! sets check a native connector's.

use serde::Deserialize;

use crate::cfn::generated::connector::{Connector, ConnectorProvisioningConfig, LambdaConnectorProvisioningConfig};
use crate::cfn::resources::LambdaPermissionProperties;
use crate::cfn::{Expr, Limits, Resource, ResourceProperties};
use crate::connectors::common::{TomlWriteOperation, WriteOperationType};
use crate::connectors::facts::Operator;
use crate::input::lower::{At, Lowerer};
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
    pub(crate) lambda: Text,
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
            lambda: lambda_arn.into(),
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
    /// The ARN of the Lambda function that implements the connector, or a reference to it.
    pub lambda: Sp<TomlText>,
    /// The operators the connector supports, as `aws appflow describe-connector` lists its
    /// `supportedOperators` (e.g. `["EQUAL_TO", "BETWEEN"]`): filters through it are
    /// checked against them.
    pub operators: Option<Vec<Sp<String>>>,
    /// The write operations it supports (`supportedWriteOperations`): `insert`, `upsert`,
    /// `update`, `delete`.
    pub write_operations: Option<Vec<Sp<TomlWriteOperation>>>,
}

impl TomlConnector {
    /// Lowers `[connector.<name>]` at `at`.
    pub(crate) fn lower(&self, lowerer: &mut Lowerer, name: &str, at: &At) -> RegisteredConnector {
        let mut connector = RegisteredConnector::new(name, lowerer.text(&at.key("lambda"), &self.lambda));
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
        connector
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
        if self.lambda.literal().is_some_and(|arn| arn.trim().is_empty()) {
            let help = "give the ARN of the function that implements the connector, e.g. `arn:aws:lambda:us-east-1:123456789012:function:inventory-connector`";
            checker.error(
                path.key("lambda"),
                ErrorKind::Empty {
                    what: "the Lambda function's ARN",
                    help,
                },
            );
            return;
        }
        checker.check_text(path.key("lambda"), &self.lambda, Some(FUNCTION_ARN_LIMITS));
    }

    /// Adds the registration and its permission.
    pub(crate) fn synthesize(&self, synth: &mut Synth<'_>) {
        synth.declare_shared_texts([&self.lambda]);
        let lambda_arn = synth.text(&self.lambda);
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
}

/// An error only a registration has.
#[derive(Debug, Clone, PartialEq, thiserror::Error, miette::Diagnostic)]
pub enum RegistrationError {
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
