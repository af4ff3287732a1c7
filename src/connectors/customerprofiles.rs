//! Amazon Connect Customer Profiles: a destination, an object type of a domain
//! (`[domain.<name>]`). The flow is not an `AWS::AppFlow::Flow`: CloudFormation's flow
//! schema has no Customer Profiles destination (its `DestinationConnectorProperties` lists
//! none, though the AppFlow API has `CustomerProfilesDestinationProperties`), and an
//! `AWS::CustomerProfiles::Integration` with a `FlowDefinition` is how CloudFormation
//! writes it: "Customer Profiles uses this information to create an AppFlow flow on behalf
//! of customers" (CloudFormation, `AWS::CustomerProfiles::Integration FlowDefinition`).
//! flowform builds the flow it would write, and `integration` turns it into that
//! definition, in the Integration schema's spelling (`OperatorPropertyKey`/`Property`,
//! `KmsArn`, `ServiceNow`).
//!
//! What AWS documents, and what flowform enforces:
//! - the sources the Integration schema has (`SourceConnectorProperties`): Salesforce,
//!   Marketo, Zendesk, ServiceNow and S3; another is an error;
//! - `FlowDefinition.KmsArn` is required: the flow needs its own `key`, which AppFlow
//!   encrypts the flow's data with, granted as any flow's key is;
//! - the task types the Integration schema has (no `Map_all`: list the fields), and no
//!   settings it lacks: a flow status (Customer Profiles starts the flow it creates), an
//!   error deactivation threshold, Salesforce's `data-transfer-api`, S3's input `format`;
//! - the object type is the domain's (`ObjectTypeName`, `^[a-zA-Z_][a-zA-Z_0-9-]*$`). It
//!   must exist in the domain before the integration is created: the domain's
//!   `object-types` creates it from Customer Profiles' template of that name ("A template
//!   is a predefined ProfileObjectType, such as “Salesforce-Account” or
//!   “Salesforce-Contact.”", API reference, GetProfileObjectTypeTemplate), and the
//!   integration waits for it; an object type a new domain does not get is a warning.
//!
//! Thin evidence, said so in the README: no AWS page says which principal uses the
//! domain's `DefaultEncryptionKey`, or whether a domain key needs more than the account
//! statement of the key policy flowform writes; the outputs give the flow's ARN as AppFlow
//! builds flow ARNs (`arn:<partition>:appflow:<region>:<account>:flow/<name>`), since the
//! integration has no attribute that returns it.

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::cfn::generated::customer_profiles_integration as cp;
use crate::cfn::generated::flow::{self, DestinationConnectorProperties, Flow};
use crate::cfn::{Expr, ResourceProperties};
use crate::input::lower::{At, Lowerer};
use crate::input::raw::Sp;
use crate::model::validate::Checker;
use crate::model::{AnyFlow, DomainRef, FlowStatus, Mapping, Origin, Path, Source, Trigger, names};
use crate::synth::Synth;

use super::facts::ConnectorType;
use super::{DestinationConnector, LowerDestination};

/// `destination.customerprofiles`: an object type of a domain.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlCustomerProfilesDestination {
    /// The domain (a `[domain.<name>]`).
    pub domain: Sp<String>,
    /// The object type the records become, e.g. `Salesforce-Contact` (it must exist in the
    /// domain).
    pub object_type: Sp<String>,
}

/// An object type of a Customer Profiles domain: the flow becomes the domain's integration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerProfilesDestination {
    pub(crate) domain: DomainRef,
    pub(crate) object_type: String,
}

impl CustomerProfilesDestination {
    /// Writes records of `object_type` into `domain`.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let destination = CustomerProfilesDestination::new(DomainRef::named("customers"), "Salesforce-Contact");
    /// # let _ = destination;
    /// ```
    pub fn new(domain: impl Into<DomainRef>, object_type: impl Into<String>) -> Self {
        CustomerProfilesDestination {
            domain: domain.into(),
            object_type: object_type.into(),
        }
    }
}

impl LowerDestination for CustomerProfilesDestination {
    const CONNECTOR: Option<ConnectorType> = None;
    type Toml = TomlCustomerProfilesDestination;

    fn lower(lowerer: &mut Lowerer, at: &At, raw: &TomlCustomerProfilesDestination) -> Option<Self> {
        let domain = lowerer.string(&at.key("domain"), &raw.domain);
        let object_type = lowerer.string(&at.key("object-type"), &raw.object_type);
        Some(CustomerProfilesDestination {
            domain: DomainRef::named(domain),
            object_type,
        })
    }
}

impl DestinationConnector for CustomerProfilesDestination {
    fn domain(&self) -> Option<&DomainRef> {
        Some(&self.domain)
    }

    fn check(&self, checker: &mut Checker<'_>, flow: &AnyFlow, path: &Path) {
        if checker.check_reference(|| path.key("domain"), "domain", self.domain.name())
            && let Some(domain) = checker.domain(self.domain.name())
            && domain.origin == Origin::Owned
            && !domain.object_types.contains(&self.object_type)
        {
            let warning = CustomerProfilesWarning::ObjectTypeNotCreated {
                object_type: self.object_type.clone(),
                domain: self.domain.name().to_owned(),
            };
            checker.warn(path.key("object-type"), warning.into());
        }
        checker.check_limits(
            || path.key("object-type"),
            &cp::Integration::OBJECT_TYPE_NAME_LIMITS,
            &self.object_type,
        );
        let flow_path = Path::root().key("flow").key(&flow.name);
        if integration_connector(flow.source.connector()).is_none() {
            let sources = cp::ConnectorType::ALL.map(cp::ConnectorType::as_str).join(", ");
            let error = CustomerProfilesError::SourceNotSupported {
                connector: flow.source.name(),
                sources,
            };
            checker.error(flow_path.key("source").key(flow.source.key()), error.into());
        }
        if flow.key.is_none() {
            checker.error(flow_path.clone(), CustomerProfilesError::NeedsKey.into());
        }
        if flow
            .mappings
            .iter()
            .any(|mapping| matches!(mapping, Mapping::MapAll { .. }))
        {
            checker.error(flow_path.key("map-all"), CustomerProfilesError::MapAll.into());
        }
        let (status, status_path) = match &flow.trigger {
            Trigger::OnSchedule(schedule) => {
                let schedule_path = flow_path.key("trigger").key("schedule");
                if schedule.error_deactivation_threshold.is_some() {
                    let setting = "error-deactivation-threshold";
                    let error = CustomerProfilesError::Unsupported { setting };
                    checker.error(schedule_path.key(setting), error.into());
                }
                (Some(schedule.status), schedule_path.key("status"))
            }
            Trigger::OnEvent(event) => (Some(event.status), flow_path.key("trigger").key("event").key("status")),
            Trigger::OnDemand(_) => (None, flow_path.clone()),
        };
        if let Some(status) = status.filter(|status| *status != FlowStatus::Active) {
            let status = status.as_str().to_lowercase();
            checker.error(status_path, CustomerProfilesError::Status { status }.into());
        }
        let source_path = flow_path.key("source").key(flow.source.key());
        let unsupported = match &flow.source {
            Source::Salesforce(source) if source.data_transfer_api.is_some() => Some("data-transfer-api"),
            Source::S3(source) if source.format.is_some() => Some("format"),
            _ => None,
        };
        if let Some(setting) = unsupported {
            let error = CustomerProfilesError::Unsupported { setting };
            checker.error(source_path.key(setting), error.into());
        }
    }

    // Not written: a destination without a flow-schema connector has no
    // `DestinationFlowConfig`; `flow_resource` stands for the flow.
    fn synthesize(&self, _synth: &Synth<'_>) -> DestinationConnectorProperties {
        DestinationConnectorProperties::default()
    }

    fn flow_resource(&self, synth: &Synth<'_>, flow: &Flow) -> Option<(ResourceProperties, Vec<String>)> {
        let integration = integration(flow, synth.domain_name(self.domain.name()), &self.object_type);
        // The object type must exist before the integration that writes it.
        let object_type = synth
            .domain_creates_object_type(self.domain.name(), &self.object_type)
            .then(|| names::object_type_id(self.domain.name(), &self.object_type));
        let properties = ResourceProperties::CustomerProfilesIntegration(Box::new(integration));
        Some((properties, object_type.into_iter().collect()))
    }
}

/// The Integration schema's connector for a flow-schema source connector: the schemas spell
/// ServiceNow differently (`Servicenow` in the flow's).
fn integration_connector(connector: ConnectorType) -> Option<cp::ConnectorType> {
    cp::ConnectorType::ALL
        .into_iter()
        .find(|candidate| candidate.as_str().eq_ignore_ascii_case(connector.as_str()))
}

/// The integration that creates `flow` (validated: its source is one the integration
/// takes, it has a key, and nothing the integration lacks) in `domain`, for `object_type`.
pub(crate) fn integration(flow: &Flow, domain: Expr, object_type: &str) -> cp::Integration {
    let source = &flow.source_flow_config;
    let definition = cp::FlowDefinition {
        description: flow.description.clone(),
        flow_name: flow.flow_name.clone(),
        kms_arn: flow.kms_arn.clone().unwrap_or_else(|| Expr::Str(String::new())),
        source_flow_config: cp::SourceFlowConfig {
            connector_profile_name: source.connector_profile_name.clone(),
            connector_type: integration_connector(source.connector_type).unwrap_or(cp::ConnectorType::S3),
            incremental_pull_config: source
                .incremental_pull_config
                .as_ref()
                .map(|config| cp::IncrementalPullConfig {
                    datetime_type_field_name: config.datetime_type_field_name.clone(),
                }),
            source_connector_properties: source_properties(&source.source_connector_properties),
        },
        tasks: flow.tasks.iter().filter_map(task).collect(),
        trigger_config: trigger(&flow.trigger_config),
    };
    cp::Integration {
        domain_name: domain,
        event_trigger_names: Vec::new(),
        flow_definition: Some(definition),
        object_type_name: Some(Expr::Str(object_type.to_owned())),
        object_type_names: Vec::new(),
        scope: None,
        tags: flow
            .tags
            .iter()
            .map(|tag| cp::Tag {
                key: tag.key.clone(),
                value: tag.value.clone(),
            })
            .collect(),
        uri: None,
    }
}

/// The source's properties in the Integration schema, which has fewer of them (validation
/// rejected the ones it lacks).
fn source_properties(properties: &flow::SourceConnectorProperties) -> cp::SourceConnectorProperties {
    let object = |object: &Expr| object.clone();
    cp::SourceConnectorProperties {
        marketo: properties.marketo.as_ref().map(|source| {
            Box::new(cp::MarketoSourceProperties {
                object: object(&source.object),
            })
        }),
        s3: properties.s3.as_ref().map(|source| {
            Box::new(cp::S3SourceProperties {
                bucket_name: source.bucket_name.clone(),
                bucket_prefix: Some(source.bucket_prefix.clone()),
            })
        }),
        salesforce: properties.salesforce.as_ref().map(|source| {
            Box::new(cp::SalesforceSourceProperties {
                enable_dynamic_field_update: source.enable_dynamic_field_update.clone(),
                include_deleted_records: source.include_deleted_records.clone(),
                object: object(&source.object),
            })
        }),
        service_now: properties.service_now.as_ref().map(|source| {
            Box::new(cp::ServiceNowSourceProperties {
                object: object(&source.object),
            })
        }),
        zendesk: properties.zendesk.as_ref().map(|source| {
            Box::new(cp::ZendeskSourceProperties {
                object: object(&source.object),
            })
        }),
    }
}

/// A task in the Integration schema's spelling; `None` for a task type it lacks
/// (validation rejected `map-all`, the only one flowform writes).
fn task(task: &flow::Task) -> Option<cp::Task> {
    let task_type = cp::TaskType::parse(task.task_type.as_str())?;
    let connector_operator = task.connector_operator.as_ref().map(|operator| cp::ConnectorOperator {
        marketo: operator.marketo,
        s3: operator.s3,
        salesforce: operator.salesforce,
        service_now: operator.service_now,
        zendesk: operator.zendesk,
    });
    Some(cp::Task {
        connector_operator,
        destination_field: task.destination_field.clone(),
        source_fields: task.source_fields.clone(),
        task_properties: task
            .task_properties
            .iter()
            .map(|property| cp::TaskPropertiesMap {
                operator_property_key: property.key,
                property: property.value.clone(),
            })
            .collect(),
        task_type,
    })
}

/// The trigger in the Integration schema's spelling (it has no error deactivation
/// threshold: validation rejected one).
fn trigger(trigger: &flow::TriggerConfig) -> cp::TriggerConfig {
    let trigger_type = match trigger.trigger_type {
        flow::TriggerType::Scheduled => cp::TriggerType::Scheduled,
        flow::TriggerType::Event => cp::TriggerType::Event,
        flow::TriggerType::OnDemand => cp::TriggerType::OnDemand,
    };
    let trigger_properties = trigger
        .trigger_properties
        .as_ref()
        .map(|scheduled| cp::TriggerProperties {
            scheduled: Some(cp::ScheduledTriggerProperties {
                data_pull_mode: scheduled.data_pull_mode.map(|mode| match mode {
                    flow::ScheduledTriggerPropertiesDataPullMode::Incremental => {
                        cp::ScheduledTriggerPropertiesDataPullMode::Incremental
                    }
                    flow::ScheduledTriggerPropertiesDataPullMode::Complete => {
                        cp::ScheduledTriggerPropertiesDataPullMode::Complete
                    }
                }),
                first_execution_from: scheduled.first_execution_from.clone(),
                schedule_end_time: scheduled.schedule_end_time.clone(),
                schedule_expression: scheduled.schedule_expression.clone(),
                schedule_offset: scheduled.schedule_offset.clone(),
                schedule_start_time: scheduled.schedule_start_time.clone(),
                timezone: scheduled.time_zone.clone(),
            }),
        });
    cp::TriggerConfig {
        trigger_properties,
        trigger_type,
    }
}

/// An error only a Customer Profiles destination has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum CustomerProfilesError {
    /// A source the Integration schema does not take.
    #[error("a Customer Profiles integration does not take data from {connector}")]
    #[diagnostic(
        code(flowform::customerprofiles::source_not_supported),
        help(
            "its sources are {sources} (`AWS::CustomerProfiles::Integration` SourceConnectorProperties): write to S3 and use an S3 source"
        )
    )]
    SourceNotSupported {
        /// The source connector.
        connector: &'static str,
        /// The sources it takes.
        sources: String,
    },
    /// A flow without its own KMS key.
    #[error("a flow to Customer Profiles needs its own KMS key")]
    #[diagnostic(
        code(flowform::customerprofiles::needs_key),
        help(
            "set the flow's `key` to a `[key.<name>]`: the integration's `FlowDefinition.KmsArn` is required (`AWS::CustomerProfiles::Integration`)"
        )
    )]
    NeedsKey,
    /// `map-all`, which the integration has no task type for.
    #[error("a Customer Profiles integration cannot map all fields")]
    #[diagnostic(
        code(flowform::customerprofiles::map_all),
        help(
            "list the fields with `map-fields` or `map`: the integration's task types are Arithmetic, Filter, Map, Mask, Merge, Truncate and Validate, without `Map_all`"
        )
    )]
    MapAll,
    /// A status other than active.
    #[error("a Customer Profiles integration's flow cannot be {status}")]
    #[diagnostic(
        code(flowform::customerprofiles::status),
        help(
            "remove `status`: the integration has no flow status, and Customer Profiles starts the flow it creates (stop it in the AppFlow console or with `aws appflow stop-flow`)"
        )
    )]
    Status {
        /// The status written.
        status: String,
    },
    /// A setting the Integration schema lacks.
    #[error("a Customer Profiles integration has no `{setting}`")]
    #[diagnostic(
        code(flowform::customerprofiles::unsupported),
        help(
            "remove it: `AWS::CustomerProfiles::Integration`'s flow definition has no such property, so the flow would silently go without it"
        )
    )]
    Unsupported {
        /// The setting.
        setting: &'static str,
    },
}

/// A warning only a Customer Profiles destination has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum CustomerProfilesWarning {
    /// An object type a domain the stack creates does not get.
    #[error("domain `{domain}` is new, and this stack does not create its object type `{object_type}`")]
    #[diagnostic(
        code(flowform::customerprofiles::object_type_not_created),
        severity(Warning),
        help(
            "Customer Profiles creates the integration only for an object type of the domain: add `object-types = [\"{object_type}\"]` to `[domain.{domain}]` if it is the name of one of Customer Profiles' templates (\"Salesforce-Account\", \"Salesforce-Contact\", ...: `aws customer-profiles list-profile-object-type-templates`), or create it before this stack"
        )
    )]
    ObjectTypeNotCreated {
        /// The object type.
        object_type: String,
        /// The domain's name in the stack.
        domain: String,
    },
}

impl crate::model::Label for CustomerProfilesError {}
impl crate::model::Label for CustomerProfilesWarning {}
