//! Connector profiles and flows → `AWS::AppFlow::ConnectorProfile` and `AWS::AppFlow::Flow`.

use std::collections::BTreeSet;

use crate::cfn::generated::connector_profile::{
    ConnectorProfile, ConnectorProfileConfig, ConnectorProfileConnectionMode,
};
use crate::cfn::generated::flow::{
    DestinationFlowConfig, Flow, GlueDataCatalog, IncrementalPullConfig, MetadataCatalogConfig,
    ScheduledTriggerProperties, ScheduledTriggerPropertiesDataPullMode, SourceFlowConfig, Tag, TriggerConfig,
    TriggerType,
};
use crate::cfn::template::Entries;
use crate::cfn::{Expr, Parameter, ParameterType, Resource, ResourceProperties, Template};
use crate::model::{AnyFlow, Destination, FlowStatus, OnSchedule, PullMode, Trigger, names};

use super::tasks::flow_tasks;
use super::{FlowEntries, Synth};

impl<'a> Synth<'a> {
    pub(super) fn profiles(&mut self) {
        let stack = self.stack;
        for profile in &stack.profiles {
            let base = profile.base();
            if base.imported().is_some() {
                continue;
            }
            let connector = profile.connector_side();
            let (connector_profile_properties, connector_profile_credentials) = connector.synthesize(self, base.name());
            self.declare_shared_texts(connector.texts().into_iter().map(|(_, text)| text));
            // AppFlow reads the secrets it is given by ARN when it creates the profile: their
            // policies must exist first.
            // The profile waits for the policies of the buckets it names too: AppFlow checks a
            // warehouse profile's connection as it creates it (its create runs a query:
            // crossplane-contrib/provider-upjet-aws#208).
            let depends_on = connector
                .secrets()
                .into_iter()
                .filter(|(_, secret)| self.has_secret_policy(secret.name()))
                .map(|(_, secret)| names::secret_policy_id(secret.name()))
                .chain(
                    connector
                        .buckets()
                        .into_iter()
                        .filter(|used| self.has_bucket_policy(used.bucket.name()))
                        .map(|used| names::bucket_policy_id(used.bucket.name())),
                )
                .collect();
            let properties = ConnectorProfile {
                connector_profile_name: Expr::Str(base.physical_name(&stack.name)),
                connector_type: profile.connector(),
                // Private connections exist for a few connectors only (validation checks
                // which), and need the SaaS account enabled for PrivateLink first.
                connection_mode: if base.is_private() {
                    ConnectorProfileConnectionMode::Private
                } else {
                    ConnectorProfileConnectionMode::Public
                },
                kms_arn: base.key().map(|key| self.key_arn(key.name())),
                connector_profile_config: Some(ConnectorProfileConfig {
                    connector_profile_properties: Some(connector_profile_properties),
                    connector_profile_credentials: Some(connector_profile_credentials),
                }),
                // A custom connector's label; a registered one's is a `Ref`, which also
                // orders the profile after the registration.
                connector_label: connector.connector_label(self),
            };
            let resource = Resource::new(ResourceProperties::ConnectorProfile(Box::new(properties)))
                .depending_on(depends_on)
                .retained_if(self.stack.retention.keeps(false, None));
            self.template.resources.insert(names::profile_id(base.name()), resource);
            self.profile_output(base.name());
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
        let mut properties = Flow {
            flow_name: Expr::Str(
                flow.flow_name
                    .clone()
                    .unwrap_or_else(|| names::physical_name(&stack.name, &flow.name)),
            ),
            description: flow.description.as_ref().map(|text| self.text(text)),
            flow_status,
            kms_arn: flow.key.as_ref().map(|key| self.key_arn(key.name())),
            trigger_config,
            source_flow_config: self.source(flow),
            destination_flow_config_list: self.destination(&flow.destination).into_iter().collect(),
            tasks: flow_tasks(flow),
            metadata_catalog_config: None,
            tags: self
                .tags(&flow.tags)
                .into_iter()
                .map(|tag| Tag {
                    key: Expr::Str(tag.key),
                    value: Expr::Str(tag.value),
                })
                .collect(),
        };
        if let Some(catalog) = flow.destination.endpoint().catalog() {
            let (database_name, role_arn) = self.glue(&flow.name, catalog);
            properties.metadata_catalog_config = Some(MetadataCatalogConfig {
                glue_data_catalog: Some(GlueDataCatalog {
                    database_name,
                    table_prefix: Expr::Str(catalog.table_prefix.clone()),
                    role_arn,
                }),
            });
        }
        // A resource that stands for the flow (a Customer Profiles integration) has no
        // `FlowArn`: the outputs say what AppFlow names the flow it creates.
        let mut depends_on = self.policy_dependencies(flow);
        let (resource, name, arn) = match flow.destination.endpoint().flow_resource(self, &properties) {
            Some((replacement, waits_for)) => {
                let name = properties.flow_name.as_str().unwrap_or_default().to_owned();
                let arn = Expr::arn("appflow", &["flow/", name.as_str()].concat());
                depends_on.extend(waits_for);
                (replacement, Expr::Str(name), arn)
            }
            None => (
                ResourceProperties::Flow(Box::new(properties)),
                Expr::reference(&id),
                Expr::get_att(&id, "FlowArn"),
            ),
        };
        let resource = Resource::new(resource)
            .depending_on(depends_on)
            .retained_if(self.stack.retention.keeps(false, flow.retain));
        self.own_resource(id.clone(), resource);
        self.declare_own_texts(flow.texts().into_iter().map(|(_, text)| text));
        flow.destination.endpoint().synthesize_beside(self, flow, &id);
        self.monitoring(flow, &name);
        // `concat` rather than `format!`: these run for every flow, and the formatting
        // machinery cost several times the allocation.
        self.own_output(
            [id.as_str(), "Name"].concat(),
            ["Name of flow ", flow.name.as_str()].concat(),
            name,
        );
        self.own_output(
            [id.as_str(), "Arn"].concat(),
            ["ARN of flow ", flow.name.as_str()].concat(),
            arn,
        );
        std::mem::take(&mut self.owned)
    }

    /// The `FlowStatus` of a flow whose trigger has `status`. A draft leaves it out: that
    /// is how a flow stays a draft ("Draft" is not a status the create handler sets;
    /// DEPLOY-TIME.md rule 7). An active flow whose destination needs activation (it
    /// cannot be active before what it writes to exists, DEPLOY-TIME.md rule 3) has an
    /// activation parameter as its status, `Draft` until the second deploy.
    fn flow_status(&mut self, flow: &AnyFlow, status: Option<FlowStatus>) -> Option<Expr> {
        match status? {
            FlowStatus::Draft => None,
            FlowStatus::Active if flow.destination.endpoint().needs_activation() => Some(self.activation(&flow.name)),
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

    /// The bucket policies a flow needs in place before AppFlow validates it on creation.
    fn policy_dependencies(&self, flow: &AnyFlow) -> Vec<String> {
        let source = flow.source.buckets();
        let buckets: BTreeSet<&str> = source
            .into_iter()
            .chain(flow.destination.buckets())
            .map(|bucket| bucket.name())
            .collect();
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
            schedule_expression: Expr::Str(expression),
            data_pull_mode: Some(match schedule.pull {
                PullMode::Complete => ScheduledTriggerPropertiesDataPullMode::Complete,
                PullMode::Incremental { .. } => ScheduledTriggerPropertiesDataPullMode::Incremental,
            }),
            schedule_start_time,
            schedule_end_time: schedule.end.map(|end| Expr::Int(end.as_second())),
            schedule_offset: schedule.offset_seconds.map(|offset| Expr::Int(offset.into())),
            time_zone: schedule
                .time_zone
                .as_deref()
                .map(|zone| Expr::Str(canonical_time_zone(zone))),
            first_execution_from: schedule.first_execution_from.map(|from| Expr::Int(from.as_second())),
            flow_error_deactivation_threshold: schedule
                .error_deactivation_threshold
                .map(|threshold| Expr::Int(threshold.min(100).into())),
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
                datetime_type_field_name: Some(Expr::Str(timestamp_field.clone())),
            }),
            _ => None,
        };
        let connector_type = flow.source.connector();
        let source = flow.source.endpoint();
        SourceFlowConfig {
            connector_type,
            connector_profile_name: source.profile().map(|profile| self.profile_name(profile.name())),
            api_version: source.api_version().map(|version| self.text(version)),
            source_connector_properties: source.synthesize(self),
            incremental_pull_config,
        }
    }

    /// The flow's destination; none for a destination the flow schema has no connector
    /// for, whose resource stands for the flow (`flow_resource`).
    fn destination(&self, destination: &Destination) -> Option<DestinationFlowConfig> {
        let connector_type = destination.connector()?;
        let destination = destination.endpoint();
        Some(DestinationFlowConfig {
            connector_type,
            connector_profile_name: destination.profile().map(|profile| self.profile_name(profile.name())),
            api_version: destination.api_version().map(|version| self.text(version)),
            destination_connector_properties: destination.synthesize(self),
        })
    }
}

/// The IANA name of `zone` as the time zone database spells it: validation looks zones up
/// without regard to case (`europe/paris`), and the template gets `Europe/Paris`.
fn canonical_time_zone(zone: &str) -> String {
    jiff::tz::db()
        .get(zone)
        .ok()
        .and_then(|tz| tz.iana_name().map(str::to_owned))
        .unwrap_or_else(|| zone.to_owned())
}
