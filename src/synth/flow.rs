//! Connector profiles and flows → `AWS::AppFlow::ConnectorProfile` and `AWS::AppFlow::Flow`.

use std::collections::BTreeSet;

use crate::cfn::appflow::{
    AggregationConfig, ConnectionMode, ConnectorProfileConfig, ConnectorProfileProperties, ConnectorType, DataPullMode,
    DestinationConnectorProperties, DestinationFlowConfig, ErrorHandlingConfig, EventBridgeDestinationProperties,
    FlowProperties, FlowStatus, GlueDataCatalog, IncrementalPullConfig, MetadataCatalogConfig, OAuth2GrantType,
    PrefixConfig, ProfileCredentials, ProfileProperties, S3DestinationProperties, S3InputFormatConfig,
    S3OutputFormatConfig, S3SourceProperties, SalesforceDestinationProperties, SalesforceProfileCredentials,
    SalesforceProfileProperties, SalesforceSourceProperties, ScheduledTriggerProperties, SourceConnectorProperties,
    SourceFlowConfig, TriggerConfig, TriggerType,
};
use crate::cfn::resources::EventBusProperties;
use crate::cfn::template::Entries;
use crate::cfn::{Expr, Parameter, ParameterType, Resource, ResourceProperties, SubTemplate, Template};
use crate::model::{
    Aggregation, AnyFlow, Destination, ErrorHandling, OnSchedule, PartnerBus, ProfileKind, PullMode, SalesforceAuth,
    Source, Trigger, names,
};

use super::tasks::flow_tasks;
use super::{FlowEntries, Synth};

impl<'a> Synth<'a> {
    pub(super) fn profiles(&mut self) {
        let stack = self.stack;
        for profile in &stack.profiles {
            let ProfileKind::Owned(owned) = &profile.kind else {
                continue;
            };
            let mut credentials = SalesforceProfileCredentials {
                access_token: None,
                refresh_token: None,
                jwt_token: None,
                client_credentials_arn: None,
                oauth2_grant_type: None,
            };
            let mut client_secret = None;
            match &owned.auth {
                Some(SalesforceAuth::RefreshToken {
                    refresh_token,
                    client_credentials,
                    access_token,
                }) => {
                    credentials.refresh_token = Some(self.credential(refresh_token));
                    credentials.access_token = Some(self.credential(access_token));
                    credentials.oauth2_grant_type = Some(OAuth2GrantType::AuthorizationCode);
                    client_secret = Some(client_credentials);
                }
                Some(SalesforceAuth::JwtBearer {
                    jwt,
                    client_credentials,
                }) => {
                    credentials.jwt_token = Some(self.credential(jwt));
                    credentials.oauth2_grant_type = Some(OAuth2GrantType::JwtBearer);
                    client_secret = client_credentials.as_ref();
                }
                Some(SalesforceAuth::AccessToken { access_token }) => {
                    credentials.access_token = Some(self.credential(access_token));
                }
                None => {}
            }
            let mut depends_on = Vec::new();
            if let Some(secret) = client_secret {
                credentials.client_credentials_arn = Some(self.secret_arn(secret.name()));
                // AppFlow reads the secret when it creates the profile: the policy must exist first.
                if self.has_secret_policy(secret.name()) {
                    depends_on.push(names::secret_policy_id(secret.name()));
                }
            }
            let properties = ConnectorProfileProperties {
                connector_profile_name: owned
                    .profile_name
                    .clone()
                    .unwrap_or_else(|| names::physical_name(&stack.name, &profile.name)),
                connector_type: ConnectorType::Salesforce,
                connection_mode: ConnectionMode::Public,
                kms_arn: owned.key.as_ref().map(|key| self.key_arn(key.name())),
                connector_profile_config: ConnectorProfileConfig {
                    connector_profile_properties: ProfileProperties::Salesforce(SalesforceProfileProperties {
                        instance_url: owned.instance_url.clone(),
                        is_sandbox_environment: owned.sandbox,
                    }),
                    connector_profile_credentials: ProfileCredentials::Salesforce(credentials),
                },
            };
            let resource =
                Resource::new(ResourceProperties::ConnectorProfile(Box::new(properties))).depending_on(depends_on);
            self.template
                .resources
                .insert(names::profile_id(&profile.name), resource);
            self.profile_output(&profile.name);
        }
    }

    /// Adds every flow's resources, parameters and outputs, and returns `each` of the
    /// entries each flow owns. Big stacks are synthesized on every core: each chunk of
    /// flows into a template of its own, merged after in flow order.
    pub(super) fn flows<U: Send>(&mut self, each: impl Fn(&'a AnyFlow, FlowEntries) -> U + Sync) -> Vec<U> {
        let (stack, grants) = (self.stack, self.grants);
        let parts = crate::parallel::map_chunks(&stack.flows, 512, |flows| {
            let mut part = Synth {
                stack,
                grants,
                template: Template::default(),
                owned: FlowEntries::default(),
            };
            let owned: Vec<U> = flows.iter().map(|flow| each(flow, part.flow(flow))).collect();
            (part.template, owned)
        });
        let mut owned = Vec::with_capacity(stack.flows.len());
        for (part, part_owned) in parts {
            // An entry two parts share, such as a Glue database, is the same in both; the
            // first is kept.
            fn keep_first<V>(into: &mut Entries<V>, from: Entries<V>) {
                for (id, value) in from {
                    into.entry(id).or_insert(value);
                }
            }
            keep_first(&mut self.template.resources, part.resources);
            keep_first(&mut self.template.parameters, part.parameters);
            keep_first(&mut self.template.outputs, part.outputs);
            owned.extend(part_owned);
        }
        owned
    }

    /// Adds one flow's entries and returns those it owns.
    fn flow(&mut self, flow: &AnyFlow) -> FlowEntries {
        let stack = self.stack;
        let id = names::flow_id(&flow.name);
        let (trigger_config, status) = self.trigger(flow);
        let flow_status = self.flow_status(flow, status);
        let mut properties = FlowProperties {
            flow_name: flow
                .flow_name
                .clone()
                .unwrap_or_else(|| names::physical_name(&stack.name, &flow.name)),
            description: flow.description.clone(),
            flow_status,
            kms_arn: flow.key.as_ref().map(|key| self.key_arn(key.name())),
            trigger_config,
            source_flow_config: self.source(flow),
            destination_flow_config_list: vec![self.destination(&flow.destination)],
            tasks: flow_tasks(flow),
            metadata_catalog_config: None,
            tags: self.tags(&flow.tags),
        };
        if let Destination::S3(destination) = &flow.destination
            && let Some(catalog) = &destination.catalog
        {
            let (database_name, role_arn) = self.glue(&flow.name, catalog);
            properties.metadata_catalog_config = Some(MetadataCatalogConfig {
                glue_data_catalog: GlueDataCatalog {
                    database_name,
                    table_prefix: catalog.table_prefix.clone(),
                    role_arn,
                },
            });
        }
        let resource =
            Resource::new(ResourceProperties::Flow(Box::new(properties))).depending_on(self.policy_dependencies(flow));
        self.own_resource(id.clone(), resource);
        if let Destination::EventBridge(eventbridge) = &flow.destination {
            self.partner_bus(flow, &id, &eventbridge.bus);
        }
        // `concat` rather than `format!`: these run for every flow, and the formatting
        // machinery cost several times the allocation.
        self.own_output(
            [id.as_str(), "Name"].concat(),
            ["Name of flow ", flow.name.as_str()].concat(),
            Expr::reference(&id),
        );
        self.own_output(
            [id.as_str(), "Arn"].concat(),
            ["ARN of flow ", flow.name.as_str()].concat(),
            Expr::get_att(&id, "FlowArn"),
        );
        std::mem::take(&mut self.owned)
    }

    /// The `FlowStatus` of a flow whose trigger has `status`. A draft leaves it out: that
    /// is how a flow stays a draft ("Draft" is not a status the create handler sets;
    /// DEPLOY-TIME.md rule 7). An active flow to EventBridge cannot be active before its
    /// partner event source is associated with a bus (rule 3), so its status is an
    /// activation parameter, `Draft` until the bus exists (see [`Synth::partner_bus`]).
    fn flow_status(&mut self, flow: &AnyFlow, status: Option<FlowStatus>) -> Option<Expr> {
        match status? {
            FlowStatus::Draft => None,
            FlowStatus::Active if matches!(flow.destination, Destination::EventBridge(_)) => {
                Some(self.activation(&flow.name))
            }
            status => Some(Expr::Str(status.as_str().into())),
        }
    }

    /// The activation parameter and condition of flow `flow`, and its `FlowStatus`:
    /// `Active` when the parameter is, left out (a draft) otherwise.
    fn activation(&mut self, flow: &str) -> Expr {
        let parameter = names::status_parameter(flow);
        let condition = names::active_condition(flow);
        self.own_parameter(
            parameter.clone(),
            Parameter {
                default: Some(FlowStatus::Draft.as_str().into()),
                allowed_values: vec![FlowStatus::Draft.as_str().into(), FlowStatus::Active.as_str().into()],
                ..Parameter::new(
                    ParameterType::String,
                    format!(
                        "Status of flow {flow}: Draft until its partner event source is associated with its event bus (the first deploy does that), then Active; flowform deploy sets it, with aws cloudformation deploy deploy once, then again with {parameter}=Active"
                    ),
                )
            },
        );
        self.own_condition(
            condition.clone(),
            Expr::equals(Expr::reference(&parameter), FlowStatus::Active.as_str().into()),
        );
        Expr::if_then(condition, FlowStatus::Active.as_str().into(), Expr::no_value())
    }

    /// The association of an EventBridge destination's partner event source with an event
    /// bus: an `AWS::Events::EventBus` whose `Name` and `EventSourceName` are the source's
    /// name, created after the flow (AppFlow creates the source with the flow). Events
    /// sent to a source that is not associated are dropped: "Before you can activate the
    /// flow, you must go to Amazon EventBridge to associate the partner event source with
    /// the event bus" (AppFlow guide, EventBridge.html; EventBridge guide, eb-saas.html;
    /// AWS::Events::EventBus `EventSourceName`; DEPLOY-TIME.md rule 3).
    fn partner_bus(&mut self, flow: &AnyFlow, flow_id: &str, bus: &PartnerBus) {
        let name = partner_source_name(bus);
        let properties = EventBusProperties {
            name: name.clone(),
            event_source_name: name,
            tags: self.tags(&flow.tags),
        };
        self.own_resource(
            names::partner_bus_id(&flow.name),
            Resource::new(ResourceProperties::EventBus(properties)).depending_on(vec![flow_id.to_owned()]),
        );
    }

    /// The bucket policies a flow needs in place before AppFlow validates it on creation.
    fn policy_dependencies(&self, flow: &AnyFlow) -> Vec<String> {
        let mut buckets = BTreeSet::new();
        if let Source::S3(source) = &flow.source {
            buckets.insert(source.bucket.name());
        }
        match &flow.destination {
            Destination::S3(destination) => {
                buckets.insert(destination.bucket.name());
            }
            Destination::Salesforce(destination) => buckets.extend(error_bucket(&destination.error_handling)),
            Destination::EventBridge(destination) => buckets.extend(error_bucket(&destination.error_handling)),
        }
        buckets
            .into_iter()
            .filter(|bucket| self.has_bucket_policy(bucket))
            .map(names::bucket_policy_id)
            .collect()
    }

    fn trigger(&mut self, flow: &AnyFlow) -> (TriggerConfig, Option<FlowStatus>) {
        match &flow.trigger {
            Trigger::OnDemand(_) => (
                TriggerConfig {
                    trigger_type: TriggerType::OnDemand,
                    trigger_properties: None,
                },
                None,
            ),
            Trigger::OnEvent(event) => (
                TriggerConfig {
                    trigger_type: TriggerType::Event,
                    trigger_properties: None,
                },
                Some(event.status),
            ),
            Trigger::OnSchedule(schedule) => {
                let properties = self.schedule(&flow.name, schedule);
                let config = TriggerConfig {
                    trigger_type: TriggerType::Scheduled,
                    trigger_properties: Some(properties),
                };
                (config, Some(schedule.status))
            }
        }
    }

    fn schedule(&mut self, flow: &str, schedule: &OnSchedule) -> ScheduledTriggerProperties {
        let expression = match schedule.schedule.parse() {
            Ok(parsed) => parsed.to_string(),
            Err(_) => schedule.schedule.expression.clone(),
        };
        let schedule_start_time = schedule.start.map(|start| {
            let parameter = names::start_time_parameter(flow);
            self.own_parameter(
                parameter.clone(),
                Parameter {
                    default: Some(start.as_second().to_string()),
                    ..Parameter::new(
                        ParameterType::Number,
                        format!(
                            "Start of the schedule of flow {flow}, epoch seconds (default {start}); AppFlow rejects past times, so flowform deploy passes the next future slot"
                        ),
                    )
                },
            );
            Expr::reference(parameter)
        });
        ScheduledTriggerProperties {
            schedule_expression: expression,
            data_pull_mode: Some(match schedule.pull {
                PullMode::Complete => DataPullMode::Complete,
                PullMode::Incremental { .. } => DataPullMode::Incremental,
            }),
            schedule_start_time,
            schedule_end_time: schedule.end.map(|end| end.as_second()),
            schedule_offset: schedule.offset_seconds,
            time_zone: schedule.time_zone.clone(),
            first_execution_from: schedule.first_execution_from.map(|from| from.as_second()),
            flow_error_deactivation_threshold: schedule.error_deactivation_threshold.map(|t| t.min(100) as u8),
        }
    }

    fn source(&self, flow: &AnyFlow) -> SourceFlowConfig {
        let incremental_pull_config = match &flow.trigger {
            Trigger::OnSchedule(OnSchedule {
                pull:
                    PullMode::Incremental {
                        timestamp_field: Some(timestamp_field),
                    },
                ..
            }) => Some(IncrementalPullConfig {
                datetime_type_field_name: timestamp_field.clone(),
            }),
            _ => None,
        };
        match &flow.source {
            Source::Salesforce(source) => SourceFlowConfig {
                connector_type: ConnectorType::Salesforce,
                connector_profile_name: Some(self.profile_name(source.profile.name())),
                api_version: None,
                source_connector_properties: SourceConnectorProperties::Salesforce(SalesforceSourceProperties {
                    object: source.object.clone(),
                    data_transfer_api: source.data_transfer_api,
                    enable_dynamic_field_update: source.dynamic_field_update,
                    include_deleted_records: source.include_deleted_records,
                }),
                incremental_pull_config,
            },
            Source::S3(source) => SourceFlowConfig {
                connector_type: ConnectorType::S3,
                connector_profile_name: None,
                api_version: None,
                source_connector_properties: SourceConnectorProperties::S3(S3SourceProperties {
                    bucket_name: self.bucket_name(source.bucket.name()),
                    bucket_prefix: source.prefix.clone(),
                    s3_input_format_config: source.format.map(|format| S3InputFormatConfig {
                        s3_input_file_type: format,
                    }),
                }),
                incremental_pull_config,
            },
        }
    }

    fn error_handling(&self, error_handling: &Option<ErrorHandling>) -> Option<ErrorHandlingConfig> {
        error_handling.as_ref().map(|handling| ErrorHandlingConfig {
            bucket_name: handling.bucket.as_ref().map(|bucket| self.bucket_name(bucket.name())),
            bucket_prefix: handling.prefix.clone(),
            fail_on_first_error: handling.fail_on_first_error,
        })
    }

    fn destination(&self, destination: &Destination) -> DestinationFlowConfig {
        match destination {
            Destination::S3(s3) => DestinationFlowConfig {
                connector_type: ConnectorType::S3,
                connector_profile_name: None,
                api_version: None,
                destination_connector_properties: DestinationConnectorProperties::S3(S3DestinationProperties {
                    bucket_name: self.bucket_name(s3.bucket.name()),
                    bucket_prefix: s3.prefix.clone(),
                    s3_output_format_config: S3OutputFormatConfig {
                        file_type: s3.file_type,
                        aggregation_config: s3.aggregation.map(|aggregation| AggregationConfig {
                            aggregation_type: aggregation.aggregation_type(),
                            target_file_size: match aggregation {
                                Aggregation::SingleFile { target_size_mb } => target_size_mb,
                                Aggregation::None => None,
                            },
                        }),
                        prefix_config: s3.file_prefix.as_ref().map(|prefix| PrefixConfig {
                            prefix_type: prefix.prefix_type,
                            prefix_format: prefix.format,
                            path_prefix_hierarchy: prefix.hierarchy.clone(),
                        }),
                        preserve_source_data_typing: s3.preserve_source_data_typing,
                    },
                }),
            },
            Destination::Salesforce(salesforce) => DestinationFlowConfig {
                connector_type: ConnectorType::Salesforce,
                connector_profile_name: Some(self.profile_name(salesforce.profile.name())),
                api_version: None,
                destination_connector_properties: DestinationConnectorProperties::Salesforce(
                    SalesforceDestinationProperties {
                        object: salesforce.object.clone(),
                        write_operation_type: salesforce.operation.kind,
                        id_field_names: salesforce.operation.id_fields.clone(),
                        data_transfer_api: salesforce.data_transfer_api,
                        error_handling_config: self.error_handling(&salesforce.error_handling),
                    },
                ),
            },
            Destination::EventBridge(eventbridge) => DestinationFlowConfig {
                connector_type: ConnectorType::EventBridge,
                connector_profile_name: None,
                api_version: None,
                destination_connector_properties: DestinationConnectorProperties::EventBridge(
                    EventBridgeDestinationProperties {
                        object: partner_source_name(&eventbridge.bus),
                        error_handling_config: self.error_handling(&eventbridge.error_handling),
                    },
                ),
            },
        }
    }
}

/// The name of the partner event source an EventBridge destination publishes to.
fn partner_source_name(bus: &PartnerBus) -> Expr {
    match bus {
        PartnerBus::Named(bus) => Expr::Str(bus.clone()),
        PartnerBus::Salesforce { suffix } => {
            let name = SubTemplate::new()
                .text("aws.partner/appflow/salesforce.com/")
                .var("AWS::AccountId");
            match suffix {
                Some(suffix) => name.text("/").text(suffix).build(),
                None => name.build(),
            }
        }
    }
}

fn error_bucket(error_handling: &Option<ErrorHandling>) -> Option<&str> {
    error_handling
        .as_ref()
        .and_then(|handling| handling.bucket.as_ref())
        .map(|bucket| bucket.name())
}
