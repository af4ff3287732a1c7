//! Amazon EventBridge: a destination that publishes a flow's events to a partner event
//! bus. Event-triggered flows only; the partner event source AppFlow creates with the
//! flow is associated with a bus the stack creates beside it, and an active flow starts
//! as a draft until that bus exists (the destination needs activation: see `deploy`).

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::cfn::generated::flow::{DestinationConnectorProperties, EventBridgeDestinationProperties};
use crate::cfn::resources::EventBusProperties;
use crate::cfn::{Expr, Resource, ResourceProperties, SubTemplate};
use crate::input::lower::{At, Lowerer};
use crate::input::raw::Sp;
use crate::model::validate::Checker;
use crate::model::{AnyFlow, ErrorKind, Path, Trigger, names};
use crate::synth::Synth;

use super::common::{ErrorHandling, TomlErrorHandling};
use super::{BucketUse, ConnectorType, CreatedName, DestinationConnector, Lower};

/// An error only an EventBridge destination has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum EventBridgeError {
    /// An EventBridge destination on a flow that is not event-triggered.
    #[error("only event-triggered flows can write to EventBridge")]
    #[diagnostic(
        code(flowform::flow::eventbridge_needs_event_flow),
        help("make this an event-triggered flow, or pick another destination")
    )]
    NeedsEventFlow,

    /// An EventBridge bus that is not an AppFlow partner event source.
    #[error("`{bus}` is not an AppFlow partner event source")]
    #[diagnostic(
        code(flowform::eventbridge::not_partner_source),
        help(
            "AppFlow publishes to the partner event source it creates with the flow, `aws.partner/appflow/salesforce.com/<account>/<suffix>`, and flowform associates it with a bus of the same name; the `default` bus and custom buses never receive AppFlow's events. Name the partner source in full, or use `salesforce-bus-suffix`"
        )
    )]
    NotPartnerEventSource {
        /// The bus given.
        bus: String,
    },

    /// Both ways of naming the bus.
    #[error("`bus` and `salesforce-bus-suffix` both name the bus")]
    #[diagnostic(
        code(flowform::input::conflicting_choice),
        help("keep `bus` (a full partner bus name) or `salesforce-bus-suffix`")
    )]
    BusNamedTwice,
}

impl crate::model::Label for EventBridgeError {
    fn label(&self) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed(match self {
            EventBridgeError::BusNamedTwice => "second bus name",
            _ => "here",
        })
    }
}

/// `destination.eventbridge`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlEventBridgeDestination {
    /// A partner event bus given in full. Default: this account's Salesforce partner bus.
    #[cfg_attr(
        feature = "schema",
        schemars(
            regex(pattern = r"^aws\.partner/appflow/[.\-_A-Za-z0-9]+(/[.\-_A-Za-z0-9]+)+$"),
            length(max = 256)
        )
    )]
    pub bus: Option<Sp<String>>,
    /// A suffix for this account's Salesforce partner bus.
    pub salesforce_bus_suffix: Option<Sp<String>>,
    /// Where failed events go.
    pub error_handling: Option<Sp<TomlErrorHandling>>,
}

/// The partner event bus an EventBridge destination publishes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartnerBus {
    /// `aws.partner/appflow/salesforce.com/<this account>[/<suffix>]`.
    Salesforce {
        /// An optional suffix naming the bus.
        suffix: Option<String>,
    },
    /// A bus name given in full.
    Named(String),
}

/// The partner event source AppFlow creates for Salesforce events, before the account.
const SALESFORCE_SOURCE_PREFIX: &str = "aws.partner/appflow/salesforce.com/";

impl PartnerBus {
    /// The partner event source's name, as a template value.
    fn source_name(&self) -> Expr {
        match self {
            PartnerBus::Named(bus) => Expr::Str(bus.clone()),
            PartnerBus::Salesforce { suffix } => {
                let name = SubTemplate::new().text(SALESFORCE_SOURCE_PREFIX).var("AWS::AccountId");
                match suffix {
                    Some(suffix) => name.text("/").text(suffix).build(),
                    None => name.build(),
                }
            }
        }
    }
}

/// Publishes events to an EventBridge partner event bus.
#[derive(Debug, Clone, PartialEq)]
pub struct EventBridgeDestination {
    pub(crate) bus: PartnerBus,
    pub(crate) error_handling: Option<ErrorHandling>,
}

impl EventBridgeDestination {
    /// Publishes to `bus`.
    pub fn new(bus: PartnerBus) -> Self {
        EventBridgeDestination {
            bus,
            error_handling: None,
        }
    }

    /// Publishes to the Salesforce partner bus of this account, optionally suffixed.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let errors = BucketRef::named("errors");
    /// let events = EventBridgeDestination::salesforce(Some("crm"))
    ///     .error_handling(ErrorHandling::to_bucket(&errors).prefix("events"));
    /// let named = EventBridgeDestination::new(PartnerBus::Named(
    ///     "aws.partner/appflow/salesforce.com/123456789012/crm".into(),
    /// ));
    /// assert_ne!(events, named);
    /// ```
    pub fn salesforce(suffix: Option<&str>) -> Self {
        Self::new(PartnerBus::Salesforce {
            suffix: suffix.map(str::to_owned),
        })
    }

    /// Where events AppFlow fails to publish go.
    pub fn error_handling(mut self, error_handling: ErrorHandling) -> Self {
        self.error_handling = Some(error_handling);
        self
    }
}

impl Lower for EventBridgeDestination {
    const CONNECTOR: ConnectorType = ConnectorType::EventBridge;
    type Toml = TomlEventBridgeDestination;

    fn lower(lowerer: &mut Lowerer, at: &At, eb: &TomlEventBridgeDestination) -> Option<Self> {
        let bus = match (&eb.bus, &eb.salesforce_bus_suffix) {
            (Some(_), Some(suffix)) => {
                lowerer.error(EventBridgeError::BusNamedTwice, suffix.span());
                return None;
            }
            (Some(bus), None) => PartnerBus::Named(lowerer.string(&at.key("bus"), bus)),
            (None, suffix) => PartnerBus::Salesforce {
                suffix: lowerer.opt_string(&at.key("salesforce-bus-suffix"), suffix),
            },
        };
        let mut model = EventBridgeDestination::new(bus);
        model.error_handling = TomlErrorHandling::lower(lowerer, &at.key("error-handling"), &eb.error_handling);
        Some(model)
    }
}

/// An EventBridge destination publishes to a partner event source AppFlow creates,
/// `aws.partner/appflow/salesforce.com/<account>[/<suffix>]`; a bus such as `default`
/// or a custom bus is not one, and events sent there never arrive (AppFlow guide,
/// EventBridge.html; EventSourceName's pattern `^aws\.partner(/[\.\-_A-Za-z0-9]+){2,}$`
/// in the AWS::Events::EventBus schema; DEPLOY-TIME.md rule 3).
fn check_partner_bus(checker: &mut Checker<'_>, path: &Path, bus: &PartnerBus) {
    // The source name, its suffix included, is at most 256 characters; the account
    // part is 12 digits and a `/`.
    const MAX_SUFFIX: usize = 256 - SALESFORCE_SOURCE_PREFIX.len() - 13;
    let segments_ok = |text: &str| {
        text.split('/').all(|segment| {
            !segment.is_empty() && segment.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        })
    };
    match bus {
        PartnerBus::Named(name) => {
            let valid = name.len() <= 256
                && name
                    .strip_prefix("aws.partner/appflow/")
                    .is_some_and(|rest| rest.contains('/') && segments_ok(rest));
            if !valid {
                checker.error(
                    path.key("bus"),
                    EventBridgeError::NotPartnerEventSource { bus: name.clone() }.into(),
                );
            }
        }
        PartnerBus::Salesforce { suffix: Some(suffix) } => {
            if !segments_ok(suffix) || suffix.len() > MAX_SUFFIX {
                checker.error(
                    path.key("salesforce-bus-suffix"),
                    ErrorKind::InvalidCharacters {
                        what: "partner event source suffix",
                        value: suffix.clone(),
                        allowed: "a partner event source suffix is letters, digits, `.`, `-` and `_` (parts may be separated by `/`), at most 195 characters",
                    },
                );
            }
        }
        PartnerBus::Salesforce { suffix: None } => {}
    }
}

impl DestinationConnector for EventBridgeDestination {
    fn buckets(&self) -> Vec<BucketUse<'_>> {
        ErrorHandling::bucket_use(&self.error_handling).into_iter().collect()
    }

    fn created_names(&self) -> Vec<CreatedName> {
        let (name, at): (String, &'static [&'static str]) = match &self.bus {
            PartnerBus::Named(bus) => (bus.clone(), &["bus"]),
            PartnerBus::Salesforce { suffix } => {
                let suffix = suffix.as_deref().map(|s| ["/", s].concat()).unwrap_or_default();
                ([SALESFORCE_SOURCE_PREFIX, "<account>", &suffix].concat(), &[])
            }
        };
        vec![CreatedName {
            kind: "partner event source",
            name,
            at,
        }]
    }

    /// The flow cannot be active before its partner event source is associated with a bus
    /// (DEPLOY-TIME.md rule 3), and the source exists only once the flow does.
    fn needs_activation(&self) -> bool {
        true
    }

    fn check(&self, checker: &mut Checker<'_>, flow: &AnyFlow, path: &Path) {
        if !matches!(flow.trigger, Trigger::OnEvent(_)) {
            checker.error(path.clone(), EventBridgeError::NeedsEventFlow.into());
        }
        check_partner_bus(checker, path, &self.bus);
    }

    fn synthesize(&self, synth: &Synth<'_>) -> DestinationConnectorProperties {
        DestinationConnectorProperties {
            event_bridge: Some(Box::new(EventBridgeDestinationProperties {
                object: self.bus.source_name(),
                error_handling_config: ErrorHandling::synthesize(&self.error_handling, synth),
            })),
            ..DestinationConnectorProperties::default()
        }
    }

    /// The association of the partner event source with an event bus: an
    /// `AWS::Events::EventBus` whose `Name` and `EventSourceName` are the source's name,
    /// created after the flow (AppFlow creates the source with the flow). Events sent to a
    /// source that is not associated are dropped: "Before you can activate the flow, you
    /// must go to Amazon EventBridge to associate the partner event source with the event
    /// bus" (AppFlow guide, EventBridge.html; EventBridge guide, eb-saas.html;
    /// AWS::Events::EventBus `EventSourceName`; DEPLOY-TIME.md rule 3).
    fn synthesize_beside(&self, synth: &mut Synth<'_>, flow: &AnyFlow, flow_id: &str) {
        let name = self.bus.source_name();
        let properties = EventBusProperties {
            name: name.clone(),
            event_source_name: name,
            tags: synth.tags(&flow.tags),
        };
        synth.own_resource(
            names::partner_bus_id(&flow.name),
            Resource::new(ResourceProperties::EventBus(properties)).depending_on(vec![flow_id.to_owned()]),
        );
    }
}

/// `flowform import`: the `eventbridge = { ... }` destination table of these `EventBridge`
/// destination properties (the partner event source is its `object`).
#[cfg(feature = "deploy")]
pub(crate) fn import_destination(
    properties: &serde_json::Value,
    context: &mut dyn super::import::ImportContext,
) -> Option<String> {
    use super::import::{error_handling, quoted, table, text};
    let mut keys = vec![format!("bus = {}", quoted(text(properties, "object")?))];
    keys.extend(error_handling(&properties["errorHandlingConfig"], context));
    Some(table("eventbridge", &keys))
}
