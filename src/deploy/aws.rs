//! [`CloudFormation`] over the AWS SDK for Rust.
//!
//! Credentials and region come from the standard AWS chain (environment, shared config
//! and credentials files, SSO, `credential_process`, instance roles) through
//! `aws-config`; `--profile`, `--region` and `--endpoint-url` override it. As in the AWS
//! CLI, `--profile` wins over credentials in the environment: the chain's first link is
//! the environment, so with `--profile` flowform uses the profile's provider alone (a
//! deploy under a stale `AWS_ACCESS_KEY_ID` would otherwise go to the wrong account).
//! Credentials are resolved, and the account they belong to asked of STS
//! (`GetCallerIdentity`, which needs no permission), before anything else, so a missing
//! or refused credential is one clear line within seconds, and every command says which
//! account and region it works on. An endpoint override (a local CloudFormation such as
//! MiniStack) switches S3 to path-style addressing, which local endpoints need.

use std::collections::BTreeMap;
use std::error::Error as _;

use aws_config::default_provider::credentials::DefaultCredentialsChain;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sdk_cloudformation as cfn;
use aws_sdk_cloudformation::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_cloudformation::types::{Capability, ChangeSetType as SdkChangeSetType, Parameter, Tag};

use super::api::{
    ApiError, ApiErrorKind, ChangeSetIds, ChangeSetInfo, ChangeSetRequest, ChangeSetType, CloudFormation, EventPage,
    Finding, FindingsOf, ParameterValue, ResourceChange, StackEvent, StackInfo, StackOutput, TemplateSource,
};

/// Where and as whom to connect.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Connection {
    /// The region; `None` takes it from the environment or profile.
    pub region: Option<String>,
    /// The named profile of the shared config files.
    pub profile: Option<String>,
    /// Another CloudFormation/S3 endpoint (a local one, for tests).
    pub endpoint_url: Option<String>,
}

/// CloudFormation and S3 clients for one region and account.
#[derive(Debug, Clone)]
pub struct AwsCloud {
    cloudformation: cfn::Client,
    appflow: aws_sdk_appflow::Client,
    s3: aws_sdk_s3::Client,
    /// The configuration the clients were made from (a rollout assumes roles with it).
    config: aws_config::SdkConfig,
    region: String,
    endpoint_url: Option<String>,
    /// The account the credentials belong to.
    account: String,
    /// The identity they are (`GetCallerIdentity`'s ARN).
    caller: String,
}

/// How long resolving credentials and asking STS who they are may take: an SSO or
/// `credential_process` provider may be slow, but a hung one must not hang the deploy.
const IDENTITY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// The advice when no credentials are found at all.
const NO_CREDENTIALS: &str = "no AWS credentials: run `aws configure` or `aws sso login`, or pass `--profile`";

impl AwsCloud {
    /// Loads the configuration, resolves the credentials and asks STS whose they are;
    /// fails with one line of advice when there is no region or no usable credential.
    pub async fn connect(connection: &Connection) -> Result<AwsCloud, String> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(region) = &connection.region {
            loader = loader.region(Region::new(region.clone()));
        }
        let credentials = match &connection.profile {
            Some(profile) => {
                loader = loader.profile_name(profile);
                SharedCredentialsProvider::new(ProfileFileCredentialsProvider::builder().profile_name(profile).build())
            }
            None => SharedCredentialsProvider::new(
                DefaultCredentialsChain::builder()
                    .imds_client(quick_imds())
                    .build()
                    .await,
            ),
        };
        loader = loader.credentials_provider(credentials.clone());
        if let Some(endpoint) = &connection.endpoint_url {
            loader = loader.endpoint_url(endpoint);
        }
        let config = loader.load().await;
        let Some(region) = config.region().map(|region| region.to_string()) else {
            return Err(
                "no AWS region: pass --region, set AWS_REGION, or set a region in the profile (aws configure)".into(),
            );
        };
        let identity = async {
            credentials
                .provide_credentials()
                .await
                .map_err(|error| credentials_error(connection.profile.as_deref(), &error))?;
            caller_identity(&config).await.map_err(|error| {
                format!(
                    "the AWS credentials{} were refused: {error}",
                    profile_note(connection.profile.as_deref())
                )
            })
        };
        let (account, caller) = match tokio::time::timeout(IDENTITY_TIMEOUT, identity).await {
            Ok(identity) => identity?,
            Err(_) => {
                return Err(format!(
                    "the AWS credentials{} could not be resolved within {} s (an SSO login or credential_process that hangs?)",
                    profile_note(connection.profile.as_deref()),
                    IDENTITY_TIMEOUT.as_secs()
                ));
            }
        };
        Ok(AwsCloud::from_config(
            config,
            region,
            connection.endpoint_url.clone(),
            account,
            caller,
        ))
    }

    /// The clients of `config`, for `account` as `caller`.
    fn from_config(
        config: aws_config::SdkConfig,
        region: String,
        endpoint_url: Option<String>,
        account: String,
        caller: String,
    ) -> AwsCloud {
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(endpoint_url.is_some())
            .build();
        AwsCloud {
            cloudformation: cfn::Client::new(&config),
            appflow: aws_sdk_appflow::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            config,
            region,
            endpoint_url,
            account,
            caller,
        }
    }

    /// The same identity in `region`.
    pub fn in_region(&self, region: &str) -> AwsCloud {
        let config = self.config.to_builder().region(Region::new(region.to_string())).build();
        AwsCloud::from_config(
            config,
            region.to_string(),
            self.endpoint_url.clone(),
            self.account.clone(),
            self.caller.clone(),
        )
    }

    /// Assumes `role` (STS `AssumeRole`, with `external_id` when the role's trust policy
    /// asks for one) and returns clients for its account in `region`. The credentials are
    /// fetched and the account they belong to asked of STS before anything else, so a
    /// refused role is one line, and a role that is not in `account` (a wrong ARN) is
    /// caught before a stack is touched. The SDK's `AssumeRoleProvider` refreshes the
    /// credentials when they expire, so a long rollout does not outlive them.
    pub async fn assume(
        &self,
        role: &str,
        external_id: Option<&str>,
        account: &str,
        region: &str,
    ) -> Result<AwsCloud, String> {
        // STS is asked in the caller's region, not the target's: a region that must be
        // enabled ("opt-in") has to be enabled "in both the account making the request and
        // the account generating the credentials" (IAM user guide, "Managing AWS STS in an
        // AWS Region"), and regional STS credentials are valid in every region.
        let mut builder = aws_config::sts::AssumeRoleProvider::builder(role)
            .session_name("flowform-rollout")
            .configure(&self.config);
        if let Some(id) = external_id {
            builder = builder.external_id(id);
        }
        let provider = SharedCredentialsProvider::new(builder.build().await);
        let config = self
            .config
            .to_builder()
            .region(Region::new(region.to_string()))
            .credentials_provider(provider.clone())
            .build();
        let identity = async {
            provider
                .provide_credentials()
                .await
                .map_err(|error| format!("cannot assume the role {role}: {}", causes(&error)))?;
            caller_identity(&config)
                .await
                .map_err(|error| format!("the credentials of the role {role} were refused: {error}"))
        };
        let (assumed_account, caller) = match tokio::time::timeout(IDENTITY_TIMEOUT, identity).await {
            Ok(identity) => identity?,
            Err(_) => {
                return Err(format!(
                    "assuming the role {role} did not finish within {} s",
                    IDENTITY_TIMEOUT.as_secs()
                ));
            }
        };
        if assumed_account != account {
            return Err(format!(
                "the role {role} is in account {assumed_account}, not the target's {account}"
            ));
        }
        Ok(AwsCloud::from_config(
            config,
            region.to_string(),
            self.endpoint_url.clone(),
            assumed_account,
            caller,
        ))
    }

    /// The AWS partition of the caller (`aws`, `aws-cn`, `aws-us-gov`), from its ARN.
    pub fn partition(&self) -> &str {
        self.caller.split(':').nth(1).filter(|p| !p.is_empty()).unwrap_or("aws")
    }

    /// The CloudFormation client (a rollout's StackSets calls, `crate::rollout::stacksets`).
    pub(crate) fn cloudformation(&self) -> &cfn::Client {
        &self.cloudformation
    }

    /// The AppFlow client (the operations commands' calls, `crate::operate`).
    pub(crate) fn appflow(&self) -> &aws_sdk_appflow::Client {
        &self.appflow
    }

    /// The region the clients talk to.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The account the credentials belong to.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// Who the credentials are (an IAM user or assumed-role ARN).
    pub fn caller(&self) -> &str {
        &self.caller
    }
}

/// STS `GetCallerIdentity` with `config`'s credentials: (account, ARN).
async fn caller_identity(config: &aws_config::SdkConfig) -> Result<(String, String), ApiError> {
    let identity = aws_sdk_sts::Client::new(config)
        .get_caller_identity()
        .send()
        .await
        .map_err(api_error)?;
    Ok((
        identity.account().unwrap_or("unknown").to_string(),
        identity.arn().unwrap_or("unknown").to_string(),
    ))
}

/// The instance metadata client of the default chain, patient enough for an EC2 instance
/// (which answers in milliseconds) but quick to give up elsewhere: the SDK's defaults
/// (1 s timeouts, several attempts) made "no credentials" take 15 s.
fn quick_imds() -> aws_config::imds::Client {
    aws_config::imds::Client::builder()
        .connect_timeout(std::time::Duration::from_millis(500))
        .read_timeout(std::time::Duration::from_millis(500))
        .max_attempts(1)
        .build()
}

/// ` (profile P)`, or nothing.
fn profile_note(profile: Option<&str>) -> String {
    profile.map(|p| format!(" of the profile `{p}`")).unwrap_or_default()
}

/// One line for a credentials provider's error.
fn credentials_error(profile: Option<&str>, error: &CredentialsError) -> String {
    let detail = causes(error);
    let not_loaded = matches!(error, CredentialsError::CredentialsNotLoaded(_));
    match profile {
        // The default chain's last link is the instance metadata service: its error only
        // says there is no instance role either.
        None if not_loaded || detail.contains("IMDS") => NO_CREDENTIALS.to_string(),
        None => format!("the AWS credentials cannot be loaded: {detail}"),
        // No profile files, no such profile, or a profile without credentials.
        Some(profile) if not_loaded => format!(
            "no AWS profile `{profile}` with credentials in the shared config or credentials files (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE){}",
            if error.source().is_some() {
                format!(": {detail}")
            } else {
                String::new()
            }
        ),
        Some(profile) => format!(
            "the AWS profile `{profile}` gives no credentials: {detail} (for an SSO profile, run `aws sso login --profile {profile}`)"
        ),
    }
}

/// Converts an SDK error, sorting out what is worth retrying.
pub(crate) fn api_error<E, R>(error: SdkError<E, R>) -> ApiError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + 'static,
{
    match &error {
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or("Unknown").to_string();
            let message = service
                .err()
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| DisplayErrorContext(&error).to_string());
            let kind = match code.as_str() {
                "Throttling"
                | "ThrottlingException"
                | "RequestLimitExceeded"
                | "TooManyRequestsException"
                | "SlowDown"
                | "RequestThrottled" => ApiErrorKind::Throttling,
                "InternalFailure" | "InternalError" | "ServiceUnavailable" | "RequestTimeout" => {
                    ApiErrorKind::Transient
                }
                _ => ApiErrorKind::Permanent,
            };
            ApiError { kind, code, message }
        }
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => ApiError {
            kind: ApiErrorKind::Transient,
            code: "NoResponse".into(),
            message: causes(&error),
        },
        _ => ApiError::permanent("RequestFailed", causes(&error)),
    }
}

/// An error and its sources on one line ("dispatch failure: io error: ... Connection
/// refused"), without the Debug dump `DisplayErrorContext` appends.
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|part| part.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

impl CloudFormation for AwsCloud {
    async fn describe_stack(&self, stack: &str) -> Result<Option<StackInfo>, ApiError> {
        let answer = match self.cloudformation.describe_stacks().stack_name(stack).send().await {
            Ok(answer) => answer,
            Err(error) => {
                let error = api_error(error);
                return if error.is_missing_stack() { Ok(None) } else { Err(error) };
            }
        };
        Ok(answer.stacks().first().map(|found| StackInfo {
            id: found.stack_id().unwrap_or(stack).to_string(),
            name: found.stack_name().unwrap_or(stack).to_string(),
            status: found
                .stack_status()
                .map(|status| status.as_str().to_string())
                .unwrap_or_default(),
            status_reason: found
                .stack_status_reason()
                .filter(|reason| !reason.is_empty())
                .map(str::to_string),
            parameters: found
                .parameters()
                .iter()
                .filter_map(|p| Some((p.parameter_key()?.to_string(), p.parameter_value()?.to_string())))
                .collect::<BTreeMap<_, _>>(),
            outputs: found
                .outputs()
                .iter()
                .map(|output| StackOutput {
                    key: output.output_key().unwrap_or_default().to_string(),
                    value: output.output_value().unwrap_or_default().to_string(),
                })
                .collect(),
            tags: found
                .tags()
                .iter()
                .filter_map(|tag| Some((tag.key()?.to_string(), tag.value()?.to_string())))
                .collect(),
        }))
    }

    async fn create_change_set(&self, request: &ChangeSetRequest) -> Result<ChangeSetIds, ApiError> {
        let mut call = self
            .cloudformation
            .create_change_set()
            .stack_name(&request.stack_name)
            .change_set_name(&request.change_set_name)
            .change_set_type(match request.change_set_type {
                ChangeSetType::Create => SdkChangeSetType::Create,
                ChangeSetType::Update => SdkChangeSetType::Update,
            })
            .description(&request.description)
            .client_token(&request.client_token)
            .set_import_existing_resources(request.import_existing.then_some(true))
            .set_role_arn(request.role_arn.clone());
        call = match &request.template {
            TemplateSource::Body(body) => call.template_body(body),
            TemplateSource::Url(url) => call.template_url(url),
        };
        for (key, value) in &request.parameters {
            let parameter = Parameter::builder().parameter_key(key);
            call = call.parameters(match value {
                ParameterValue::Value(value) => parameter.parameter_value(value).build(),
                ParameterValue::Previous => parameter.use_previous_value(true).build(),
            });
        }
        for capability in &request.capabilities {
            call = call.capabilities(Capability::from(capability.as_str()));
        }
        for (key, value) in &request.tags {
            call = call.tags(Tag::builder().key(key).value(value).build());
        }
        for topic in &request.notification_arns {
            call = call.notification_arns(topic);
        }
        let answer = call.send().await.map_err(api_error)?;
        Ok(ChangeSetIds {
            id: answer.id().unwrap_or(&request.change_set_name).to_string(),
            stack_id: answer.stack_id().unwrap_or(&request.stack_name).to_string(),
        })
    }

    async fn describe_change_set(&self, change_set_id: &str) -> Result<ChangeSetInfo, ApiError> {
        let mut info = ChangeSetInfo {
            status: String::new(),
            status_reason: None,
            execution_status: String::new(),
            changes: Vec::new(),
        };
        let mut next_token = None;
        loop {
            let page = self
                .cloudformation
                .describe_change_set()
                .change_set_name(change_set_id)
                .set_next_token(next_token)
                .send()
                .await
                .map_err(api_error)?;
            info.status = page.status().map(|s| s.as_str().to_string()).unwrap_or_default();
            info.status_reason = page.status_reason().map(str::to_string);
            info.execution_status = page
                .execution_status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default();
            for change in page.changes() {
                let Some(resource) = change.resource_change() else {
                    continue;
                };
                info.changes.push(ResourceChange {
                    action: resource.action().map(|a| a.as_str().to_string()).unwrap_or_default(),
                    logical_id: resource.logical_resource_id().unwrap_or_default().to_string(),
                    resource_type: resource.resource_type().unwrap_or_default().to_string(),
                    replacement: resource.replacement().map(|r| r.as_str().to_string()),
                    replacing_properties: resource
                        .details()
                        .iter()
                        .filter_map(|detail| {
                            let target = detail.target()?;
                            let recreation = target.requires_recreation()?.as_str();
                            (recreation != "Never").then(|| target.name().unwrap_or_default().to_string())
                        })
                        .filter(|name| !name.is_empty())
                        .collect(),
                });
            }
            next_token = page.next_token().map(str::to_string);
            if next_token.is_none() {
                return Ok(info);
            }
        }
    }

    async fn execute_change_set(
        &self,
        change_set_id: &str,
        token: &str,
        disable_rollback: bool,
    ) -> Result<(), ApiError> {
        self.cloudformation
            .execute_change_set()
            .change_set_name(change_set_id)
            .client_request_token(token)
            .set_disable_rollback(disable_rollback.then_some(true))
            .send()
            .await
            .map(|_| ())
            .map_err(api_error)
    }

    async fn set_termination_protection(&self, stack: &str, enabled: bool) -> Result<(), ApiError> {
        self.cloudformation
            .update_termination_protection()
            .stack_name(stack)
            .enable_termination_protection(enabled)
            .send()
            .await
            .map(|_| ())
            .map_err(api_error)
    }

    async fn list_change_sets(&self, stack: &str) -> Result<Vec<(String, String)>, ApiError> {
        let mut found = Vec::new();
        let mut next_token = None;
        for _ in 0..20 {
            let page = self
                .cloudformation
                .list_change_sets()
                .stack_name(stack)
                .set_next_token(next_token)
                .send()
                .await
                .map_err(api_error)?;
            for summary in page.summaries() {
                if let (Some(id), Some(name)) = (summary.change_set_id(), summary.change_set_name()) {
                    found.push((id.to_string(), name.to_string()));
                }
            }
            next_token = page.next_token().map(str::to_string);
            if next_token.is_none() {
                break;
            }
        }
        Ok(found)
    }

    async fn delete_change_set(&self, change_set_id: &str) -> Result<(), ApiError> {
        self.cloudformation
            .delete_change_set()
            .change_set_name(change_set_id)
            .send()
            .await
            .map(|_| ())
            .map_err(api_error)
    }

    async fn validation_findings(&self, of: FindingsOf<'_>) -> Result<Vec<Finding>, ApiError> {
        let mut findings = Vec::new();
        let mut next_token = None;
        // A bound on pages, as for stack events: the findings of one operation fit in
        // a few.
        for _ in 0..20 {
            let mut call = self.cloudformation.describe_events().set_next_token(next_token);
            call = match of {
                FindingsOf::ChangeSet(id) => call.change_set_name(id),
                FindingsOf::Stack(stack) => call.stack_name(stack),
            };
            let page = call.send().await.map_err(api_error)?;
            for event in page.operation_events() {
                let Some(name) = event.validation_name() else {
                    continue;
                };
                findings.push(Finding {
                    name: name.to_string(),
                    status: event
                        .validation_status()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    mode: event
                        .validation_failure_mode()
                        .map(|m| m.as_str().to_string())
                        .unwrap_or_default(),
                    reason: event.validation_status_reason().unwrap_or_default().to_string(),
                    path: event.validation_path().map(str::to_string),
                    logical_id: event.logical_resource_id().map(str::to_string),
                });
            }
            next_token = page.next_token().map(str::to_string);
            if next_token.is_none() {
                break;
            }
        }
        Ok(findings)
    }

    async fn stack_events(&self, stack: &str, next_token: Option<&str>) -> Result<EventPage, ApiError> {
        let page = self
            .cloudformation
            .describe_stack_events()
            .stack_name(stack)
            .set_next_token(next_token.map(str::to_string))
            .send()
            .await
            .map_err(api_error)?;
        Ok(EventPage {
            events: page
                .stack_events()
                .iter()
                .map(|event| StackEvent {
                    id: event.event_id().unwrap_or_default().to_string(),
                    logical_id: event.logical_resource_id().unwrap_or_default().to_string(),
                    resource_type: event.resource_type().unwrap_or_default().to_string(),
                    // `as_str` keeps values the SDK does not know (REVIEW_IN_PROGRESS).
                    status: event
                        .resource_status()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    reason: event
                        .resource_status_reason()
                        .filter(|reason| !reason.is_empty())
                        .map(str::to_string),
                    physical_id: event
                        .physical_resource_id()
                        .filter(|id| !id.is_empty())
                        .map(str::to_string),
                })
                .collect(),
            next_token: page.next_token().map(str::to_string),
        })
    }

    async fn get_template(&self, stack: &str) -> Result<String, ApiError> {
        let answer = self
            .cloudformation
            .get_template()
            .stack_name(stack)
            .template_stage(cfn::types::TemplateStage::Original)
            .send()
            .await
            .map_err(api_error)?;
        Ok(answer.template_body().unwrap_or_default().to_string())
    }

    async fn delete_stack(&self, stack: &str, role_arn: Option<&str>) -> Result<(), ApiError> {
        self.cloudformation
            .delete_stack()
            .stack_name(stack)
            .set_role_arn(role_arn.map(str::to_string))
            .send()
            .await
            .map(|_| ())
            .map_err(api_error)
    }

    async fn upload_template(&self, bucket: &str, key: &str, body: &str) -> Result<String, ApiError> {
        self.s3
            .put_object()
            .bucket(bucket)
            .key(key)
            .content_type("application/json")
            .body(body.as_bytes().to_vec().into())
            .send()
            .await
            .map_err(api_error)?;
        // Path-style URLs: CloudFormation accepts them in every region, and local
        // endpoints understand no other form.
        Ok(match &self.endpoint_url {
            Some(endpoint) => format!("{}/{bucket}/{key}", endpoint.trim_end_matches('/')),
            None => format!("https://s3.{}.amazonaws.com/{bucket}/{key}", self.region),
        })
    }
}
