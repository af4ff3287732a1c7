//! Amazon Lookout for Metrics: a destination, the flow a detector reads. AppFlow user
//! guide, "Amazon Lookout for Metrics"
//! (<https://docs.aws.amazon.com/appflow/latest/userguide/lookout.html>).
//!
//! AWS has retired the service: "Amazon Lookout for Metrics is no longer available to new
//! customers. Existing Amazon Lookout for Metrics customers will be able to use the service
//! until September 12, 2025, when we will end support" (Lookout for Metrics developer
//! guide), and CloudFormation's notice gives Oct 9, 2025. flowform still emits the
//! destination exactly as the schema has it, for stacks that hold one, and warns.
//!
//! What AWS documents, and what flowform enforces:
//! - destination only, without a profile (`LookoutMetrics` is no `ConnectorProfile`
//!   connector type); `LookoutMetricsDestinationProperties` is empty in the AppFlow API, so
//!   the destination is written `LookoutMetrics: {}`;
//! - "only the Run flow on schedule option is available", every 5 or 10 minutes, once an
//!   hour or once a day: another trigger or rate is an error;
//! - "The default AWS managed CMK is not supported when using Amazon Lookout for Metrics as a
//!   destination": the flow needs its own `key`;
//! - the sources it takes are the guide's list, kept in the registry beside the connectors
//!   it names (`LOOKOUT_METRICS_SOURCES`): another is an error.

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::cfn::generated::flow::{DestinationConnectorProperties, LookoutMetricsDestinationProperties};
use crate::input::lower::{At, Lowerer};
use crate::model::validate::Checker;
use crate::model::{AnyFlow, ParsedSchedule, Path, Trigger};
use crate::synth::Synth;

use super::{ConnectorType, DestinationConnector, LOOKOUT_METRICS_SOURCES, Lower};

/// `destination.lookoutmetrics`: no settings.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TomlLookoutMetricsDestination {}

/// The flow a Lookout for Metrics detector reads (a retired service: a warning).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LookoutMetricsDestination;

impl LookoutMetricsDestination {
    /// The destination; the detector names the flow (`AppFlowConfig.FlowName`).
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let destination = LookoutMetricsDestination::new();
    /// # let _ = destination;
    /// ```
    pub fn new() -> Self {
        LookoutMetricsDestination
    }
}

impl Lower for LookoutMetricsDestination {
    const CONNECTOR: ConnectorType = ConnectorType::LookoutMetrics;
    type Toml = TomlLookoutMetricsDestination;

    fn lower(_lowerer: &mut Lowerer, _at: &At, _raw: &TomlLookoutMetricsDestination) -> Option<Self> {
        Some(LookoutMetricsDestination)
    }
}

impl DestinationConnector for LookoutMetricsDestination {
    fn check(&self, checker: &mut Checker<'_>, flow: &AnyFlow, path: &Path) {
        checker.warn(path.clone(), LookoutMetricsWarning::Retired.into());
        let flow_path = Path::root().key("flow").key(&flow.name);
        let source = flow.source.connector();
        if !LOOKOUT_METRICS_SOURCES
            .iter()
            .any(|(connector, _)| *connector == source)
        {
            let sources = LOOKOUT_METRICS_SOURCES
                .iter()
                .map(|(_, name)| *name)
                .collect::<Vec<_>>();
            let error = LookoutMetricsError::SourceNotSupported {
                connector: flow.source.name(),
                sources: sources.join(", "),
            };
            checker.error(flow_path.key("source").key(flow.source.key()), error.into());
        }
        if flow.key.is_none() {
            checker.error(flow_path.clone(), LookoutMetricsError::NeedsKey.into());
        }
        let Trigger::OnSchedule(schedule) = &flow.trigger else {
            checker.error(flow_path.key("trigger"), LookoutMetricsError::ScheduleOnly.into());
            return;
        };
        let allowed = match schedule.schedule.parse() {
            // By interval: `rate(60 minutes)` is `rate(1 hours)`.
            Ok(rate @ ParsedSchedule::Rate { .. }) => matches!(rate.shortest_interval(), 300 | 600 | 3_600 | 86_400),
            // The shared schedule check reports what is wrong with it.
            Err(_) => true,
            Ok(ParsedSchedule::Cron(_)) => false,
        };
        if !allowed {
            let expression = flow_path.key("trigger").key("schedule").key("expression");
            checker.error(expression, LookoutMetricsError::Frequency.into());
        }
    }

    fn synthesize(&self, _synth: &Synth<'_>) -> DestinationConnectorProperties {
        DestinationConnectorProperties {
            lookout_metrics: Some(Box::new(LookoutMetricsDestinationProperties { object: None })),
            ..DestinationConnectorProperties::default()
        }
    }
}

/// An error only a Lookout for Metrics destination has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum LookoutMetricsError {
    /// A trigger other than a schedule.
    #[error("a flow to Lookout for Metrics runs on a schedule")]
    #[diagnostic(
        code(flowform::lookoutmetrics::schedule_only),
        help(
            "use `trigger.schedule`: \"only the Run flow on schedule option is available\" (AppFlow user guide, Lookout for Metrics)"
        )
    )]
    ScheduleOnly,
    /// A rate other than the four the guide allows.
    #[error("a flow to Lookout for Metrics runs every 5 or 10 minutes, hourly or daily")]
    #[diagnostic(
        code(flowform::lookoutmetrics::frequency),
        help(
            "use `rate(5 minutes)`, `rate(10 minutes)`, `rate(1 hours)` or `rate(1 days)`, the detector's interval (AppFlow user guide, Lookout for Metrics)"
        )
    )]
    Frequency,
    /// A flow without its own KMS key.
    #[error("a flow to Lookout for Metrics needs its own KMS key")]
    #[diagnostic(
        code(flowform::lookoutmetrics::needs_key),
        help(
            "set the flow's `key` to a `[key.<name>]`: \"The default AWS managed CMK is not supported when using Amazon Lookout for Metrics as a destination\" (AppFlow user guide)"
        )
    )]
    NeedsKey,
    /// A source the guide does not list.
    #[error("Lookout for Metrics does not take data from {connector}")]
    #[diagnostic(
        code(flowform::lookoutmetrics::source_not_supported),
        help("its sources are {sources} (AppFlow user guide, Lookout for Metrics)")
    )]
    SourceNotSupported {
        /// The source connector, as the guide names it.
        connector: &'static str,
        /// The sources it takes.
        sources: String,
    },
}

/// A warning only a Lookout for Metrics destination has.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum LookoutMetricsWarning {
    /// The service is retired.
    #[error("Amazon Lookout for Metrics has reached its end of support")]
    #[diagnostic(
        code(flowform::lookoutmetrics::retired),
        severity(Warning),
        help(
            "\"Existing Amazon Lookout for Metrics customers will be able to use the service until September 12, 2025, when we will end support\" (Lookout for Metrics developer guide; CloudFormation's notice says Oct 9, 2025): write the data to S3 and detect anomalies there, e.g. with CloudWatch anomaly detection"
        )
    )]
    Retired,
}

impl crate::model::Label for LookoutMetricsError {}
impl crate::model::Label for LookoutMetricsWarning {}
