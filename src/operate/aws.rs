//! [`AppFlow`] over the AWS SDK for Rust, on the clients of
//! [`AwsCloud`](crate::deploy::aws::AwsCloud) (the same credentials, region and endpoint
//! as `deploy`).

use aws_sdk_appflow::types::{ExecutionRecord, FlowStatus, TriggerType};
use jiff::Timestamp;

use super::api::{
    ApiError, AppFlow, EndpointDefinition, EndpointProperties, Execution, ExecutionPage, FlowDefinition, FlowDetails,
    LastRun, ScheduleDefinition, Started, TaskDefinition,
};
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

/// A task's connector operator, whichever connector's it is.
fn operator(operator: &aws_sdk_appflow::types::ConnectorOperator) -> Option<String> {
    macro_rules! first {
        ($($field:ident),+) => {
            None$(.or_else(|| operator.$field().map(|o| o.as_str().to_owned())))+
        };
    }
    first!(
        s3,
        salesforce,
        amplitude,
        datadog,
        dynatrace,
        google_analytics,
        infor_nexus,
        marketo,
        service_now,
        singular,
        slack,
        trendmicro,
        veeva,
        zendesk,
        sapo_data,
        custom_connector,
        pardot
    )
}

fn task(task: &aws_sdk_appflow::types::Task) -> TaskDefinition {
    TaskDefinition {
        task_type: task.task_type().as_str().to_owned(),
        source_fields: task.source_fields().to_vec(),
        operator: task.connector_operator().and_then(operator),
        destination_field: task.destination_field().map(str::to_owned),
        properties: task
            .task_properties()
            .into_iter()
            .flatten()
            .map(|(key, value)| (key.as_str().to_owned(), value.clone()))
            .collect(),
    }
}

fn source(config: &aws_sdk_appflow::types::SourceFlowConfig) -> EndpointDefinition {
    let properties = config.source_connector_properties();
    let properties = if let Some(s3) = properties.and_then(|p| p.s3()) {
        EndpointProperties::S3 {
            bucket: s3.bucket_name().to_owned(),
            prefix: s3.bucket_prefix().map(str::to_owned),
            file_type: s3
                .s3_input_format_config()
                .and_then(|format| format.s3_input_file_type())
                .map(|file_type| file_type.as_str().to_owned()),
            prefix_type: None,
            prefix_format: None,
            aggregation: None,
            preserve_source_data_typing: None,
        }
    } else if let Some(salesforce) = properties.and_then(|p| p.salesforce()) {
        EndpointProperties::SalesforceSource {
            object: salesforce.object().to_owned(),
            data_transfer_api: salesforce.data_transfer_api().map(|api| api.as_str().to_owned()),
            dynamic_field_update: salesforce.enable_dynamic_field_update(),
            include_deleted_records: salesforce.include_deleted_records(),
        }
    } else {
        EndpointProperties::Other
    };
    EndpointDefinition {
        connector: config.connector_type().as_str().to_owned(),
        profile: config.connector_profile_name().map(str::to_owned),
        properties,
    }
}

fn destination(config: &aws_sdk_appflow::types::DestinationFlowConfig) -> EndpointDefinition {
    let s3 = config.destination_connector_properties().and_then(|p| p.s3());
    let properties = match s3 {
        Some(s3) => {
            let format = s3.s3_output_format_config();
            let prefix = format.and_then(|format| format.prefix_config());
            EndpointProperties::S3 {
                bucket: s3.bucket_name().to_owned(),
                prefix: s3.bucket_prefix().map(str::to_owned),
                file_type: format
                    .and_then(|format| format.file_type())
                    .map(|t| t.as_str().to_owned()),
                prefix_type: prefix.and_then(|p| p.prefix_type()).map(|t| t.as_str().to_owned()),
                prefix_format: prefix.and_then(|p| p.prefix_format()).map(|f| f.as_str().to_owned()),
                aggregation: format
                    .and_then(|format| format.aggregation_config())
                    .and_then(|aggregation| aggregation.aggregation_type())
                    .map(|a| a.as_str().to_owned()),
                preserve_source_data_typing: format.and_then(|format| format.preserve_source_data_typing()),
            }
        }
        None => EndpointProperties::Other,
    };
    EndpointDefinition {
        connector: config.connector_type().as_str().to_owned(),
        profile: config.connector_profile_name().map(str::to_owned),
        properties,
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

    async fn flow_definition(&self, flow: &str) -> Result<Option<FlowDefinition>, ApiError> {
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
        let source_config = output.source_flow_config();
        let schedule = trigger
            .and_then(|trigger| trigger.trigger_properties())
            .and_then(|properties| properties.scheduled())
            .map(|scheduled| ScheduleDefinition {
                expression: scheduled.schedule_expression().to_owned(),
                pull_mode: scheduled.data_pull_mode().map(|mode| mode.as_str().to_owned()),
                start: timestamp(scheduled.schedule_start_time()),
                end: timestamp(scheduled.schedule_end_time()),
                time_zone: scheduled.timezone().map(str::to_owned),
                offset: scheduled.schedule_offset(),
                first_execution_from: timestamp(scheduled.first_execution_from()),
                error_deactivation_threshold: scheduled.flow_error_deactivation_threshold(),
                timestamp_field: source_config
                    .and_then(|config| config.incremental_pull_config())
                    .and_then(|pull| pull.datetime_type_field_name())
                    .map(str::to_owned),
            });
        Ok(Some(FlowDefinition {
            name: output.flow_name().unwrap_or(flow).to_owned(),
            description: output.description().filter(|d| !d.is_empty()).map(str::to_owned),
            kms_arn: output.kms_arn().map(str::to_owned),
            trigger: trigger
                .map(|trigger| trigger.trigger_type().as_str())
                .unwrap_or("OnDemand")
                .to_owned(),
            status: status(output.flow_status()),
            schedule,
            source: source_config.map(source).unwrap_or_default(),
            destinations: output.destination_flow_config_list().iter().map(destination).collect(),
            tasks: output.tasks().iter().map(task).collect(),
            tags: output
                .tags()
                .into_iter()
                .flatten()
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
        }))
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
