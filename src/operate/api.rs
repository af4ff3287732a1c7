//! The AppFlow calls the operations commands make, as a trait with plain data, like the
//! deploy workflow's [`CloudFormation`](crate::deploy::api::CloudFormation): the commands
//! never touch the SDK, [`AwsCloud`](crate::deploy::aws::AwsCloud) implements it with the
//! SDK (`super::aws`) and the tests with the local AppFlow API or fakes.
//!
//! Shapes follow the AppFlow API reference (`StartFlow`, `StopFlow`, `DescribeFlow`,
//! `DescribeFlowExecutionRecords`); statuses stay strings, as AppFlow adds values over time
//! (`ExecutionStatus` gained `CancelStarted` and `Canceled`).

use jiff::Timestamp;

pub use crate::deploy::api::ApiError;

/// What `StartFlow` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    /// The flow's status after the call (`Active` for a scheduled or event flow it
    /// activated).
    pub flow_status: String,
    /// The run it started (on-demand flows only).
    pub execution_id: Option<String>,
}

/// The most recent run, as `DescribeFlow` reports it (`lastRunExecutionDetails`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LastRun {
    /// `mostRecentExecutionStatus`.
    pub status: Option<String>,
    /// `mostRecentExecutionTime`.
    pub time: Option<Timestamp>,
    /// `mostRecentExecutionMessage`.
    pub message: Option<String>,
}

/// What `DescribeFlow` says about a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowDetails {
    /// `flowName`.
    pub name: String,
    /// `flowStatus`: `Active`, `Deprecated`, `Deleted`, `Draft`, `Errored`, `Suspended`.
    pub status: String,
    /// `triggerConfig.triggerType`: `Scheduled`, `Event` or `OnDemand`.
    pub trigger: String,
    /// The schedule expression of a scheduled flow.
    pub schedule: Option<String>,
    /// When a scheduled flow's schedule starts.
    pub schedule_start: Option<Timestamp>,
    /// The most recent run.
    pub last_run: LastRun,
}

/// One run of a flow (`ExecutionRecord`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Execution {
    /// `executionId`.
    pub id: String,
    /// `executionStatus`: `InProgress`, `Successful`, `Error`, `CancelStarted`, `Canceled`.
    pub status: String,
    /// `startedAt`.
    pub started: Option<Timestamp>,
    /// `lastUpdatedAt`.
    pub updated: Option<Timestamp>,
    /// `executionResult.recordsProcessed`.
    pub records: Option<i64>,
    /// `executionResult.bytesProcessed`.
    pub bytes_processed: Option<i64>,
    /// `executionResult.bytesWritten`.
    pub bytes_written: Option<i64>,
    /// `executionResult.errorInfo.executionMessage`.
    pub message: Option<String>,
    /// `executionResult.errorInfo.putFailuresCount`.
    pub put_failures: Option<i64>,
}

impl Execution {
    /// Whether the run is over.
    pub fn is_finished(&self) -> bool {
        !matches!(self.status.as_str(), "InProgress" | "CancelStarted")
    }

    /// Whether it ended well.
    pub fn succeeded(&self) -> bool {
        self.status == "Successful"
    }

    /// How long it ran (or has run so far).
    pub fn duration(&self) -> Option<jiff::SignedDuration> {
        Some(self.updated?.duration_since(self.started?))
    }
}

/// One page of `DescribeFlowExecutionRecords`, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecutionPage {
    /// The runs.
    pub executions: Vec<Execution>,
    /// The next page's token.
    pub next_token: Option<String>,
}

/// The AppFlow calls of `run`, `status`, `history`, `stop` and `start`.
#[allow(async_fn_in_trait)]
pub trait AppFlow {
    /// `StartFlow`, with `client_token` making a retried call start one run only.
    async fn start_flow(&self, flow: &str, client_token: &str) -> Result<Started, ApiError>;
    /// `StopFlow`: the flow's status after it.
    async fn stop_flow(&self, flow: &str) -> Result<String, ApiError>;
    /// `DescribeFlow`; `None` when there is no such flow.
    async fn describe_flow(&self, flow: &str) -> Result<Option<FlowDetails>, ApiError>;
    /// One page of `DescribeFlowExecutionRecords`.
    async fn executions(&self, flow: &str, max: i32, next_token: Option<&str>) -> Result<ExecutionPage, ApiError>;
    /// Every flow's name (`ListFlows`, every page).
    async fn list_flows(&self) -> Result<Vec<String>, ApiError>;
    /// `DescribeFlow`'s answer as the API sends it (JSON, the API reference's member names),
    /// for `flowform import`; `None` when there is no such flow.
    async fn flow_definition(&self, flow: &str) -> Result<Option<serde_json::Value>, ApiError>;
}
