//! The `deploy`, `diff` and `destroy` command lines: arguments, the tokio runtime, the
//! AWS connection and exit codes. The work itself is in [`super::workflow`] and friends.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use super::api::CloudFormation;
use super::aws::{AwsCloud, Connection};
use super::batch::deploy_all;
use super::retry::{RetryPolicy, Retrying};
use super::ui::{Prompt, Ui};
use super::workflow::{DeploySettings, Deployed, deploy_stack};
use super::{Failure, Planned, StackDiff, destroy_stack, diff, diff_stack, values};
use crate::write_atomically;

/// Where the AWS calls go and how often to poll.
#[derive(Debug, Clone, Args)]
pub struct AwsArgs {
    /// The AWS region (default: AWS_REGION, then the profile's region).
    #[arg(long)]
    pub region: Option<String>,
    /// A named profile of ~/.aws/config (default: AWS_PROFILE, then `default`).
    #[arg(long)]
    pub profile: Option<String>,
    /// Send CloudFormation and S3 calls to this endpoint (a local CloudFormation, e.g.
    /// http://127.0.0.1:4566).
    #[arg(long, env = "AWS_ENDPOINT_URL")]
    pub endpoint_url: Option<String>,
    /// Milliseconds between polls while waiting for CloudFormation.
    #[arg(long, env = "FLOWFORM_POLL_INTERVAL_MS", default_value_t = 2000, value_name = "MS")]
    pub poll_interval: u64,
}

/// The parameter values of a deploy (or of `diff --change-set`).
#[derive(Debug, Clone, Args)]
pub struct ValuesArgs {
    /// A parameter value, `KEY=VALUE` (repeatable); it wins over `--parameters`.
    #[arg(long = "parameter", value_name = "KEY=VALUE", value_parser = key_value)]
    pub parameters: Vec<(String, String)>,
    /// A TOML file of parameter values for this environment: `Key = "value"`, or
    /// `Key = { env = "VAR" }`, `{ file = "PATH" }`, `{ stdin = true }` for secrets.
    #[arg(long = "parameters", value_name = "FILE")]
    pub values_file: Option<PathBuf>,
}

/// Where a rollout goes (`--targets`).
#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    /// Roll the stacks out to the targets of this file (accounts or organizational units,
    /// regions, roles, per-target values) instead of one account and region.
    #[arg(long, value_name = "FILE", conflicts_with = "stack")]
    pub targets: Option<PathBuf>,
    /// With --targets: only this target of the file (repeatable).
    #[arg(long = "target", value_name = "NAME", requires = "targets")]
    pub only: Vec<String>,
}

/// When a deploy asks before executing, beyond removals and replacements (always asked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RequireApproval {
    /// Only removals and replacements.
    Never,
    /// Also changes to what grants access.
    Broadening,
}

/// `flowform deploy`.
#[derive(Debug, Clone, Args)]
pub struct DeployArgs {
    /// The flow files (TOML).
    #[arg(default_value = "flowform.toml")]
    pub files: Vec<PathBuf>,
    /// Deploy under this stack name instead of the file's `[stack] name` (one file only;
    /// also prefixes physical names, so dev and prod copies do not clash).
    #[arg(long)]
    pub stack: Option<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub values: ValuesArgs,
    /// An IAM role CloudFormation assumes to deploy.
    #[arg(long)]
    pub role_arn: Option<String>,
    /// An S3 bucket (same region) for templates over 51,200 bytes, which CloudFormation
    /// only reads from S3.
    #[arg(long, value_name = "BUCKET")]
    pub template_bucket: Option<String>,
    /// Create and show the change sets, but do not execute them.
    #[arg(long)]
    pub no_execute: bool,
    /// Execute change sets that remove or replace resources, and delete flow stacks left
    /// without flows, without asking.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Fail instead of updating a file's lock: for CI, where the committed lock must
    /// already place every flow (the same lock serves every `--stack` environment).
    #[arg(long)]
    pub locked: bool,
    /// An SNS topic CloudFormation sends the stacks' events to (repeatable, at most 5).
    #[arg(long = "notification-arn", value_name = "ARN")]
    pub notification_arns: Vec<String>,
    /// Keep what was provisioned when a stack operation fails, instead of rolling back
    /// (to inspect it; the next deploy, or `continue-update-rollback`, moves on).
    #[arg(long)]
    pub disable_rollback: bool,
    /// Turn on termination protection for each stack deployed: `DeleteStack` is then
    /// refused until it is turned off.
    #[arg(long)]
    pub termination_protection: bool,
    /// `broadening` asks (or, without a terminal, refuses unless --yes) before a change set
    /// that adds or changes what grants access: IAM roles and policies, bucket, key,
    /// secret and function policies, like `cdk deploy --require-approval broadening`.
    #[arg(long, value_enum, default_value_t = RequireApproval::Never)]
    pub require_approval: RequireApproval,
    /// How many flow stacks of a split are deployed at once (when no question can come up:
    /// with --yes, or without a terminal); 1 deploys them one after another.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=16), value_name = "N")]
    pub concurrency: u16,
    /// Adopt existing resources of the same names (flows and profiles made in the
    /// console, by the CDK or raw CloudFormation) through CloudFormation's automatic import,
    /// instead of failing on their names; they must be retained (`retain = true`, or
    /// `retention = "all"`).
    #[arg(long)]
    pub import_existing: bool,
    /// Write every deployed stack's outputs to this JSON file
    /// (`{"<stack>": {"<output>": "<value>"}}`; with --targets, by target label first).
    #[arg(long, value_name = "FILE")]
    pub outputs_file: Option<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub rollout: TargetArgs,
    /// With --targets: create a change set for every stack, also those whose template,
    /// parameter values and tags are as deployed (a re-run otherwise leaves them alone;
    /// a NoEcho value is never compared, so its stacks always get one).
    #[arg(long, requires = "targets")]
    pub recheck: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub aws: AwsArgs,
}

/// `flowform diff`.
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The flow files (TOML).
    #[arg(default_value = "flowform.toml")]
    pub files: Vec<PathBuf>,
    /// Compare with this stack instead of the file's `[stack] name` (one file only).
    #[arg(long)]
    pub stack: Option<String>,
    /// Fail when a file's lock is not up to date (for CI).
    #[arg(long)]
    pub locked: bool,
    /// `json` prints the template diff as one JSON document on stdout, for programs.
    #[arg(long, value_enum, default_value_t = crate::cli::OutputFormat::Text, conflicts_with = "change_set")]
    pub format: crate::cli::OutputFormat,
    /// Show CloudFormation's own view instead of the template diff: create a change set
    /// for each stack, print its review (replacements CloudFormation cascades included),
    /// then delete it. Nothing is deployed.
    #[arg(long)]
    pub change_set: bool,
    /// With `--change-set`: an IAM role CloudFormation assumes.
    #[arg(long, requires = "change_set")]
    pub role_arn: Option<String>,
    /// With `--change-set`: an S3 bucket for templates over 51,200 bytes.
    #[arg(long, value_name = "BUCKET", requires = "change_set")]
    pub template_bucket: Option<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub values: ValuesArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub rollout: TargetArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub aws: AwsArgs,
}

/// `flowform destroy`.
#[derive(Debug, Clone, Args)]
pub struct DestroyArgs {
    /// A stack name, or a flow file (every stack it deploys, flow stacks first).
    pub target: String,
    /// With a flow file: the stack name it was deployed under (`deploy --stack`).
    #[arg(long)]
    pub stack: Option<String>,
    /// An IAM role CloudFormation assumes to delete.
    #[arg(long)]
    pub role_arn: Option<String>,
    /// Delete without asking.
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub rollout: TargetArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub aws: AwsArgs,
}

fn key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
        _ => Err(format!("expected KEY=VALUE, found `{text}`")),
    }
}

/// Checks a `--stack` value: CloudFormation's stack name rule.
pub fn check_stack_name(name: &str) -> Result<(), String> {
    let valid = name.len() <= 128
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a stack name: a letter, then letters, digits and hyphens, at most 128 characters"
        ))
    }
}

/// Runs `work` on a current-thread runtime with Ctrl-C wired to the UI, against the AWS
/// endpoint the arguments name.
pub(crate) fn with_cloud<T>(
    aws: &AwsArgs,
    ui: &mut Ui,
    work: impl AsyncFnOnce(&Retrying<AwsCloud>, &mut Ui) -> Result<T, Failure>,
) -> Result<T, Failure> {
    with_connection(aws, ui, async |cloud, ui| {
        ui.line(format!(
            "AWS account {} as {}, region {}",
            cloud.account(),
            cloud.caller(),
            cloud.region()
        ));
        let api = Retrying {
            inner: cloud,
            policy: RetryPolicy::default(),
            interrupt: ui.interrupt.clone(),
        };
        work(&api, ui).await
    })
}

/// Runs `work` on a current-thread runtime with Ctrl-C wired to the UI, with the
/// connection the arguments name (credentials checked, nothing said yet).
pub(crate) fn with_connection<T>(
    aws: &AwsArgs,
    ui: &mut Ui,
    work: impl AsyncFnOnce(AwsCloud, &mut Ui) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return Err(Failure::new(format!("cannot start the async runtime: {error}"))),
    };
    let result = runtime.block_on(async {
        let interrupt = ui.interrupt.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                interrupt.trigger();
            }
        });
        let connection = Connection {
            region: aws.region.clone(),
            profile: aws.profile.clone(),
            endpoint_url: aws.endpoint_url.clone(),
        };
        let cloud = AwsCloud::connect(&connection).await.map_err(Failure::new)?;
        work(cloud, ui).await
    });
    // A prompt's blocked stdin read must not keep the process alive.
    runtime.shutdown_timeout(Duration::from_millis(100));
    result
}

pub(crate) fn stderr_ui(aws: &AwsArgs, yes: bool) -> Ui {
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    Ui::new(
        Box::new(std::io::stderr()),
        if interactive { Prompt::Stdin } else { Prompt::None },
        yes,
        Duration::from_millis(aws.poll_interval.max(1)),
    )
}

/// Draws each diagnostic on stderr (long words, such as ARNs, kept whole).
pub(crate) fn render_reports<D: miette::Diagnostic>(diagnostics: &[D]) {
    let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .with_break_words(false)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    for diagnostic in diagnostics {
        let mut text = String::new();
        if handler.render_report(&mut text, diagnostic).is_err() {
            text = format!("error: {diagnostic}\n");
        }
        say!("{}", text.trim_end());
    }
}

pub(crate) fn exit(failure: Failure) -> ExitCode {
    say!("error: {}", failure.message);
    ExitCode::from(failure.exit)
}

/// The settings of `deploy`'s arguments, with these parameter values.
pub(crate) fn deploy_settings(args: &DeployArgs, parameters: BTreeMap<String, String>) -> DeploySettings {
    DeploySettings {
        parameters,
        role_arn: args.role_arn.clone(),
        template_bucket: args.template_bucket.clone(),
        no_execute: args.no_execute,
        preview: false,
        notification_arns: args.notification_arns.clone(),
        disable_rollback: args.disable_rollback,
        termination_protection: args.termination_protection,
        import_existing: args.import_existing,
        require_approval_broadening: args.require_approval == RequireApproval::Broadening,
        now: None,
    }
}

/// Deletes the emptied flow stacks of `planned` that exist, writes its locks, then deploys
/// its stacks in order; the exit code.
pub fn deploy(planned: Planned, args: &DeployArgs) -> ExitCode {
    let plans = &planned.stacks;
    let parameters = match parameter_values(plans, &args.values) {
        Ok(parameters) => parameters,
        Err(code) => return code,
    };
    let settings = deploy_settings(args, parameters);
    let mut ui = stderr_ui(&args.aws, args.yes);
    let result = with_cloud(&args.aws, &mut ui, async |api, ui| {
        let pruned = prune(api, ui, &planned.emptied, args).await?;
        if !planned.locks.is_empty() {
            if let Err(error) = write_atomically(&planned.locks) {
                return Err(Failure::new(format!(
                    "cannot write the lock file: {error}; nothing was deployed"
                )));
            }
            for (path, _) in &planned.locks {
                ui.line(format!(
                    "updated {} (commit it: it keeps every flow in its stack)",
                    path.display()
                ));
            }
        }
        let mut changed = 0;
        let mut outputs = serde_json::Map::new();
        let results = deploy_all(api, ui, plans, &settings, usize::from(args.concurrency)).await?;
        for (plan, deployed) in results {
            if !matches!(deployed, Deployed::NoChanges) {
                changed += 1;
            } else if settings.termination_protection && !settings.no_execute {
                // Already up to date, perhaps deployed without it: turned on all the same.
                api.set_termination_protection(&plan.stack, true).await?;
            }
            if args.outputs_file.is_some() {
                // Unchanged stacks' outputs too: the file is every stack's, for scripts.
                let info = match deployed {
                    Deployed::Executed(info) => Some(info),
                    _ => api.describe_stack(&plan.stack).await?,
                };
                let values: serde_json::Map<String, serde_json::Value> = info
                    .map(|info| info.outputs.into_iter().map(|o| (o.key, o.value.into())).collect())
                    .unwrap_or_default();
                outputs.insert(plan.stack.clone(), values.into());
            }
        }
        if let Some(file) = &args.outputs_file {
            let text = serde_json::to_string_pretty(&outputs).unwrap_or_default() + "\n";
            write_atomically(&[(file.clone(), text)])
                .map_err(|error| Failure::new(format!("cannot write {}: {error}", file.display())))?;
            ui.line(format!("wrote the outputs to {}", file.display()));
        }
        Ok((changed, pruned))
    });
    match result {
        Ok((changed, pruned)) => {
            let verb = if args.no_execute { "prepared" } else { "deployed" };
            let deleted = if pruned > 0 {
                format!(", {pruned} emptied stack{} deleted", if pruned == 1 { "" } else { "s" })
            } else {
                String::new()
            };
            say!(
                "done: {} stack{}, {changed} {verb}, {} unchanged{deleted}",
                plans.len(),
                if plans.len() == 1 { "" } else { "s" },
                plans.len() - changed
            );
            ExitCode::SUCCESS
        }
        Err(failure) => exit(failure),
    }
}

/// The parameter values of a run: the values file's, then `--parameter`'s over them;
/// exit 2 (after saying why) for a problem of the file or a parameter no template declares.
fn parameter_values(plans: &[super::StackPlan], args: &ValuesArgs) -> Result<BTreeMap<String, String>, ExitCode> {
    let mut parameters: BTreeMap<String, String> = BTreeMap::new();
    if let Some(file) = &args.values_file {
        parameters.extend(read_values(file, plans)?);
    }
    parameters.extend(args.parameters.iter().cloned());
    for name in parameters.keys() {
        if !plans.iter().any(|plan| plan.template["Parameters"].get(name).is_some()) {
            let declared: Vec<&str> = plans
                .iter()
                .filter_map(|plan| plan.template["Parameters"].as_object())
                .flat_map(|p| p.keys().map(String::as_str))
                .collect();
            let hint = match crate::model::suggest(name, declared.iter().copied()) {
                Some(close) => format!("; did you mean `{close}`?"),
                None if declared.is_empty() => "; the templates declare no parameters".into(),
                None => format!("; the templates declare {}", declared.join(", ")),
            };
            say!("error: no template declares the parameter `{name}`{hint}");
            return Err(ExitCode::from(2));
        }
    }
    Ok(parameters)
}

/// The values of the values file `file`, every problem printed (exit 2) when it has any.
/// A `NoEcho` value written in the file itself is allowed, with a warning.
fn read_values(file: &Path, plans: &[super::StackPlan]) -> Result<BTreeMap<String, String>, ExitCode> {
    match values::read(file, &values::Process) {
        Ok(read) => {
            let mut found = BTreeMap::new();
            for (key, value) in read {
                let no_echo = plans
                    .iter()
                    .any(|plan| plan.template["Parameters"][&key]["NoEcho"] == true);
                if no_echo && value.literal {
                    say!(
                        "warning: `{key}` is a NoEcho parameter, but {} holds its value in plain text: read it with `{key} = {{ env = \"VAR\" }}` or `{{ file = \"PATH\" }}` instead, unless the file is never committed",
                        file.display()
                    );
                }
                found.insert(key, value.value);
            }
            Ok(found)
        }
        Err(errors) => {
            render_reports(&errors);
            say!(
                "{} error{} in {}; nothing was deployed",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" },
                file.display()
            );
            Err(ExitCode::from(2))
        }
    }
}

/// Deletes the flow stacks in `emptied` that exist (asking first, as for any removal);
/// with `--no-execute` only says it would. How many were deleted.
async fn prune(
    api: &impl CloudFormation,
    ui: &mut Ui,
    emptied: &[String],
    args: &DeployArgs,
) -> Result<usize, Failure> {
    let mut deleted = 0;
    for stack in emptied {
        if api.describe_stack(stack).await?.is_none() {
            continue;
        }
        if args.no_execute {
            ui.line(format!(
                "stack {stack}: every flow of it was removed from the file; a deploy without --no-execute deletes it"
            ));
            continue;
        }
        ui.line(format!(
            "stack {stack}: every flow of it was removed from the file, so it is deleted (its flows would keep running)"
        ));
        deleted += usize::from(destroy_stack(api, ui, stack, args.role_arn.as_deref()).await?);
    }
    Ok(deleted)
}

/// Prints what a deploy of `planned` would change; exit 0 (none), 1 (changes), 2 (error).
pub fn diff(planned: Planned, args: &DiffArgs) -> ExitCode {
    if args.change_set {
        return diff_with_change_sets(&planned, args);
    }
    if !args.values.parameters.is_empty() || args.values.values_file.is_some() {
        say!("error: parameter values only change what `diff --change-set` shows; the template diff does not use them");
        return ExitCode::from(2);
    }
    let json = args.format == crate::cli::OutputFormat::Json;
    let mut ui = stderr_ui(&args.aws, false);
    let result = with_cloud(&args.aws, &mut ui, async |api, _ui| {
        let mut changed = false;
        let mut stacks = Vec::new();
        for stack in &planned.emptied {
            if let Some(info) = api.describe_stack(stack).await? {
                changed = true;
                if json {
                    stacks.push(serde_json::json!({"stack": stack, "status": "emptied", "changes": []}));
                } else {
                    out!(
                        "stack {stack}: every flow of it was removed from the file; a deploy deletes it ({})",
                        info.status
                    );
                }
            }
        }
        for plan in &planned.stacks {
            let found = diff_stack(api, plan).await?;
            changed |= found.has_changes();
            if json {
                let (status, entries) = match &found {
                    StackDiff::New(entries) => ("new", entries),
                    StackDiff::Existing(entries) => ("deployed", entries),
                };
                stacks.push(
                    serde_json::json!({"stack": plan.stack, "status": status, "changes": diff::to_json(entries)}),
                );
            } else {
                print_diff(&plan.stack, &found);
            }
        }
        if json {
            let document = serde_json::json!({"changed": changed, "stacks": stacks});
            out!("{}", serde_json::to_string_pretty(&document).unwrap_or_default());
        }
        Ok(changed)
    });
    match result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        Err(failure) => {
            say!("error: {}", failure.message);
            ExitCode::from(2)
        }
    }
}

/// `diff --change-set`: each stack's change set reviewed (on stdout) and deleted; exit 0
/// (no changes), 1 (changes), 2 (error).
fn diff_with_change_sets(planned: &Planned, args: &DiffArgs) -> ExitCode {
    let parameters = match parameter_values(&planned.stacks, &args.values) {
        Ok(parameters) => parameters,
        Err(code) => return code,
    };
    let settings = DeploySettings {
        parameters,
        role_arn: args.role_arn.clone(),
        template_bucket: args.template_bucket.clone(),
        preview: true,
        ..DeploySettings::default()
    };
    let mut ui = stderr_ui(&args.aws, false);
    ui.set_output(Box::new(std::io::stdout()));
    let result = with_cloud(&args.aws, &mut ui, async |api, ui| {
        let mut changed = false;
        for stack in &planned.emptied {
            if let Some(info) = api.describe_stack(stack).await? {
                changed = true;
                ui.line(format!(
                    "stack {stack}: every flow of it was removed from the file; a deploy deletes it ({})",
                    info.status
                ));
            }
        }
        for plan in &planned.stacks {
            changed |= !matches!(deploy_stack(api, ui, plan, &settings).await?, Deployed::NoChanges);
        }
        Ok(changed)
    });
    match result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        Err(failure) if failure.exit == 130 => exit(failure),
        Err(failure) => {
            say!("error: {}", failure.message);
            ExitCode::from(2)
        }
    }
}

fn print_diff(stack: &str, found: &StackDiff) {
    for line in diff_lines(stack, found) {
        out!("{line}");
    }
}

/// What `diff` prints for one stack.
pub(crate) fn diff_lines(stack: &str, found: &StackDiff) -> Vec<String> {
    let mut lines = Vec::new();
    match found {
        StackDiff::Existing(entries) if entries.is_empty() => lines.push(format!("stack {stack}: no differences")),
        StackDiff::Existing(entries) => {
            let replaced = entries.iter().filter(|e| !e.replaced_by.is_empty()).count();
            let note = if replaced > 0 {
                format!(", {replaced} replacement{}", if replaced == 1 { "" } else { "s" })
            } else {
                String::new()
            };
            lines.push(format!(
                "stack {stack}: {} difference{}{note}",
                entries.len(),
                if entries.len() == 1 { "" } else { "s" }
            ));
            lines.extend(diff::render(entries));
        }
        StackDiff::New(entries) => {
            lines.push(format!("stack {stack}: not deployed; a deploy creates it"));
            lines.extend(diff::render(entries));
        }
    }
    lines
}

/// Whether `target` names a flow file rather than a stack.
pub fn is_file(target: &str) -> bool {
    Path::new(target).is_file() || target.ends_with(".toml")
}

/// Deletes `stacks` in order.
pub fn destroy(stacks: Vec<String>, args: &DestroyArgs) -> ExitCode {
    let mut ui = stderr_ui(&args.aws, args.yes);
    let result = with_cloud(&args.aws, &mut ui, async |api, ui| {
        let mut deleted = 0;
        for stack in &stacks {
            deleted += usize::from(destroy_stack(api, ui, stack, args.role_arn.as_deref()).await?);
        }
        Ok(deleted)
    });
    match result {
        Ok(deleted) => {
            say!("done: {deleted} stack{} deleted", if deleted == 1 { "" } else { "s" });
            ExitCode::SUCCESS
        }
        Err(failure) => exit(failure),
    }
}
