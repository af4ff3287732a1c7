//! [`AppFlow`] over the AWS SDK for Rust, on the clients of
//! [`AwsCloud`](crate::deploy::aws::AwsCloud) (the same credentials, region and endpoint
//! as `deploy`).

use aws_sdk_appflow::types::{ExecutionRecord, FlowStatus, TriggerType};
use jiff::Timestamp;

use std::sync::{Arc, Mutex};

use aws_sdk_appflow::config::interceptors::AfterDeserializationInterceptorContextRef;
use aws_sdk_appflow::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_appflow::error::BoxError;

use super::api::{ApiError, AppFlow, Execution, ExecutionPage, FlowDetails, LastRun, Started};
use crate::deploy::aws::{AwsCloud, api_error};

/// An SDK timestamp as a [`Timestamp`].
fn timestamp(value: Option<&aws_sdk_appflow::primitives::DateTime>) -> Option<Timestamp> {
    let value = value?;
    Timestamp::new(value.secs(), i32::try_from(value.subsec_nanos()).ok()?).ok()
}

fn status(value: Option<&FlowStatus>) -> String {
    value.map(|status| status.as_str().to_owned()).unwrap_or_default()
}

fn execution(record: &ExecutionRecord) -> Execution {
    let result = record.execution_result();
    let error = result.and_then(|result| result.error_info());
    Execution {
        id: record.execution_id().unwrap_or_default().to_owned(),
        status: record
            .execution_status()
            .map(|status| status.as_str().to_owned())
            .unwrap_or_default(),
        started: timestamp(record.started_at()),
        updated: timestamp(record.last_updated_at()),
        records: result.and_then(|result| result.records_processed()),
        bytes_processed: result.and_then(|result| result.bytes_processed()),
        bytes_written: result.and_then(|result| result.bytes_written()),
        message: error.and_then(|error| error.execution_message()).map(str::to_owned),
        put_failures: error.and_then(|error| error.put_failures_count()),
    }
}

/// Keeps the body of the response, as the API sent it: `flowform import` reads
/// `DescribeFlow` as JSON, so what a connector's properties hold is read by the
/// connector's own module (`crate::connectors`), not through a type per connector here.
#[derive(Debug, Clone, Default)]
struct RawBody(Arc<Mutex<Option<Vec<u8>>>>);

impl Intercept for RawBody {
    fn name(&self) -> &'static str {
        "flowform-raw-body"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _config: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let bytes = context.response().body().bytes().map(<[u8]>::to_vec);
        *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = bytes;
        Ok(())
    }
}

impl AppFlow for AwsCloud {
    async fn start_flow(&self, flow: &str, client_token: &str) -> Result<Started, ApiError> {
        let output = self
            .appflow()
            .start_flow()
            .flow_name(flow)
            .client_token(client_token)
            .send()
            .await
            .map_err(api_error)?;
        Ok(Started {
            flow_status: status(output.flow_status()),
            execution_id: output.execution_id().map(str::to_owned),
        })
    }

    async fn stop_flow(&self, flow: &str) -> Result<String, ApiError> {
        let output = self
            .appflow()
            .stop_flow()
            .flow_name(flow)
            .send()
            .await
            .map_err(api_error)?;
        Ok(status(output.flow_status()))
    }

    async fn describe_flow(&self, flow: &str) -> Result<Option<FlowDetails>, ApiError> {
        let output = match self.appflow().describe_flow().flow_name(flow).send().await {
            Ok(output) => output,
            Err(error) => {
                let error = api_error(error);
                return if error.code == "ResourceNotFoundException" {
                    Ok(None)
                } else {
                    Err(error)
                };
            }
        };
        let trigger = output.trigger_config();
        let scheduled = trigger
            .and_then(|trigger| trigger.trigger_properties())
            .and_then(|properties| properties.scheduled());
        let last = output.last_run_execution_details();
        Ok(Some(FlowDetails {
            name: output.flow_name().unwrap_or(flow).to_owned(),
            status: status(output.flow_status()),
            trigger: trigger
                .map(|trigger| trigger.trigger_type())
                .map(TriggerType::as_str)
                .unwrap_or("OnDemand")
                .to_owned(),
            schedule: scheduled.map(|scheduled| scheduled.schedule_expression().to_owned()),
            schedule_start: timestamp(scheduled.and_then(|scheduled| scheduled.schedule_start_time())),
            last_run: LastRun {
                status: last
                    .and_then(|last| last.most_recent_execution_status())
                    .map(|status| status.as_str().to_owned()),
                time: timestamp(last.and_then(|last| last.most_recent_execution_time())),
                message: last
                    .and_then(|last| last.most_recent_execution_message())
                    .map(str::to_owned),
            },
        }))
    }

    async fn list_flows(&self) -> Result<Vec<String>, ApiError> {
        let mut names = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let output = self
                .appflow()
                .list_flows()
                .set_next_token(token.take())
                .send()
                .await
                .map_err(api_error)?;
            names.extend(
                output
                    .flows()
                    .iter()
                    .filter_map(|flow| flow.flow_name())
                    .map(str::to_owned),
            );
            match output.next_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_owned()),
                _ => return Ok(names),
            }
        }
    }

    async fn flow_definition(&self, flow: &str) -> Result<Option<serde_json::Value>, ApiError> {
        let raw = RawBody::default();
        let sent = self
            .appflow()
            .describe_flow()
            .flow_name(flow)
            .customize()
            .interceptor(raw.clone())
            .send()
            .await;
        if let Err(error) = sent {
            let error = api_error(error);
            return if error.code == "ResourceNotFoundException" {
                Ok(None)
            } else {
                Err(error)
            };
        }
        let body = raw.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        let body = body.ok_or_else(|| ApiError::permanent("NoBody", "DescribeFlow answered without a body"))?;
        serde_json::from_slice(&body)
            .map(Some)
            .map_err(|error| ApiError::permanent("BadBody", format!("DescribeFlow's answer is not JSON: {error}")))
    }

    async fn executions(&self, flow: &str, max: i32, next_token: Option<&str>) -> Result<ExecutionPage, ApiError> {
        let output = self
            .appflow()
            .describe_flow_execution_records()
            .flow_name(flow)
            .max_results(max)
            .set_next_token(next_token.map(str::to_owned))
            .send()
            .await
            .map_err(api_error)?;
        Ok(ExecutionPage {
            executions: output.flow_executions().iter().map(execution).collect(),
            next_token: output.next_token().map(str::to_owned),
        })
    }
}
