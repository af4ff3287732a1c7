//! The `run`, `status`, `history`, `stop` and `start` command lines: arguments, the
//! connection (the deploy commands'), the tables and exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use jiff::Timestamp;
use serde_json::json;

use super::api::{AppFlow, Execution, FlowDetails};
use super::follow::{self, Outcome, bytes_text, duration_text, time_text};
use super::{DeployedFlow, find, flows_of};
use crate::deploy::Planned;
use crate::deploy::command::{AwsArgs, exit, stderr_ui, with_cloud};
use crate::deploy::{Failure, ui::Ui};
use crate::model::{ParsedSchedule, Schedule};

/// The file and the flow a command acts on.
#[derive(Debug, Clone, Args)]
pub struct FlowTarget {
    /// The flow file (TOML).
    pub file: PathBuf,
    /// The flow: its name in the file, or its physical name.
    pub flow: String,
    /// The stack the file was deployed as (`deploy --stack`), for an environment.
    #[arg(long)]
    pub stack: Option<String>,
}

/// `flowform run`.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub target: FlowTarget,
    /// Start the run and return, without following it.
    #[arg(long)]
    pub no_wait: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub aws: AwsArgs,
}

/// `flowform status`.
#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// The flow file (TOML).
    #[arg(default_value = "flowform.toml")]
    pub file: PathBuf,
    /// The stack the file was deployed as (`deploy --stack`).
    #[arg(long)]
    pub stack: Option<String>,
    /// `json` prints one JSON document on stdout, for programs.
    #[arg(long, value_enum, default_value_t = crate::cli::OutputFormat::Text)]
    pub format: crate::cli::OutputFormat,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub aws: AwsArgs,
}

/// `flowform history`.
#[derive(Debug, Clone, Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub target: FlowTarget,
    /// How many runs a page shows (AppFlow gives at most 100 at a time).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(i32).range(1..=100), value_name = "N")]
    pub limit: i32,
    /// The page after the one that printed this token.
    #[arg(long, value_name = "TOKEN")]
    pub page: Option<String>,
    /// `json` prints one JSON document on stdout, for programs.
    #[arg(long, value_enum, default_value_t = crate::cli::OutputFormat::Text)]
    pub format: crate::cli::OutputFormat,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub aws: AwsArgs,
}

/// `flowform stop` and `flowform start`.
#[derive(Debug, Clone, Args)]
pub struct SwitchArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub target: FlowTarget,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub aws: AwsArgs,
}

/// `flowform import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The flows to import, by name (repeatable; default: every flow of the account and
    /// region).
    #[arg(long = "flow", value_name = "NAME")]
    pub flows: Vec<String>,
    /// The stack name of the file written (flows named `<stack>-<name>` keep their
    /// names without a `name` key).
    #[arg(long, default_value = "imported")]
    pub stack: String,
    /// Write the flow file here (it must not exist); default: stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub aws: AwsArgs,
}

/// `flowform import`: reads the flows, writes their flow file (checked to compile), says
/// what it left out.
pub fn import(args: &ImportArgs) -> ExitCode {
    if let Err(message) = crate::deploy::command::check_stack_name(&args.stack) {
        say!("error: --stack: {message}");
        return ExitCode::from(2);
    }
    if let Some(output) = &args.output
        && output.exists()
    {
        say!(
            "error: {} exists; flowform import writes a new file only",
            output.display()
        );
        return ExitCode::from(2);
    }
    let mut ui = stderr_ui(&args.aws, false);
    let result = with_cloud(&args.aws, &mut ui, async |api, ui| {
        let names = if args.flows.is_empty() {
            let listed = ui.interrupt.run(api.inner.list_flows()).await;
            listed.ok_or_else(|| Failure::interrupted("interrupted"))??
        } else {
            args.flows.clone()
        };
        let mut definitions = Vec::new();
        for name in &names {
            let found = ui.interrupt.run(api.inner.flow_definition(name)).await;
            match found.ok_or_else(|| Failure::interrupted("interrupted"))?? {
                Some(definition) => definitions.push(definition),
                None => {
                    return Err(Failure::new(format!(
                        "there is no flow {name} in this account and region"
                    )));
                }
            }
        }
        Ok(definitions)
    });
    let definitions = match result {
        Ok(definitions) => definitions,
        Err(failure) => return exit(failure),
    };
    let imported = super::import::import(&args.stack, &definitions);
    for note in &imported.notes {
        say!("note: {note}");
    }
    // What is written must compile: a flow file that does not is no import.
    if let Err(report) = crate::compile_source("imported.toml", &imported.toml, &crate::CompileOptions::default()) {
        for diagnostic in &report.diagnostics {
            say!("error: the imported file does not compile: {}", diagnostic.one_line());
        }
        say!("nothing was written (please report this: it is a bug of flowform import)");
        return ExitCode::from(1);
    }
    match &args.output {
        Some(output) => {
            if let Err(error) = crate::write_atomically(&[(output.clone(), imported.toml)]) {
                say!("error: cannot write {}: {error}", output.display());
                return ExitCode::from(1);
            }
            say!(
                "wrote {} ({} flow{}, {} note{})",
                output.display(),
                imported.flows,
                if imported.flows == 1 { "" } else { "s" },
                imported.notes.len(),
                if imported.notes.len() == 1 { "" } else { "s" }
            );
        }
        None => out!("{}", imported.toml.trim_end()),
    }
    ExitCode::SUCCESS
}

/// The flow `target` names among the flows `planned` deploys; exit 2 with a message if none.
fn flow_of(planned: &Planned, target: &FlowTarget) -> Result<DeployedFlow, ExitCode> {
    find(&flows_of(planned), &target.flow).cloned().map_err(|message| {
        say!("error: {message}");
        ExitCode::from(2)
    })
}

/// `flowform run FILE FLOW`: 0 when the run succeeds, 1 when it fails, 130 on Ctrl-C (the
/// run goes on).
pub fn run(planned: Planned, args: &RunArgs) -> ExitCode {
    let flow = match flow_of(&planned, &args.target) {
        Ok(flow) => flow,
        Err(code) => return code,
    };
    let file = args.target.file.display().to_string();
    if let Some(message) = follow::not_on_demand(&file, &flow) {
        say!("error: {message}");
        return ExitCode::from(2);
    }
    let mut ui = stderr_ui(&args.aws, false);
    let result = with_cloud(&args.aws, &mut ui, async |api, ui| {
        follow::run(&api.inner, ui, &file, &flow, !args.no_wait).await
    });
    match result {
        Ok(Outcome::Succeeded(execution)) => {
            say!("{}", follow::summary(&flow.name, &execution));
            ExitCode::SUCCESS
        }
        Ok(Outcome::Failed(execution)) => {
            say!("{}", follow::summary(&flow.name, &execution));
            ExitCode::from(1)
        }
        Ok(Outcome::Started(id)) => {
            out!("{id}");
            ExitCode::SUCCESS
        }
        Err(failure) => exit(failure),
    }
}

/// A time in JSON output: RFC 3339, to the millisecond (AppFlow's precision).
fn json_time(time: Option<Timestamp>) -> Option<String> {
    time.map(|time| time.round(jiff::Unit::Millisecond).unwrap_or(time).to_string())
}

/// The next run of a scheduled flow from its `rate(...)` schedule and start, after `now`;
/// `None` for cron schedules (their next slot is AppFlow's to tell).
fn next_run(details: &FlowDetails, now: Timestamp) -> Option<Timestamp> {
    if details.status != "Active" {
        return None;
    }
    let ParsedSchedule::Rate { value, unit } = Schedule::expression(details.schedule.clone()?).parse().ok()? else {
        return None;
    };
    let interval = i64::from(value) * unit.seconds();
    let start = details.schedule_start?;
    if start > now {
        return Some(start);
    }
    let elapsed = now.as_second() - start.as_second();
    let slots = elapsed / interval + 1;
    Timestamp::from_second(start.as_second() + slots * interval).ok()
}

/// `flowform status FILE`: every flow's status, trigger, last run and next run.
pub fn status(planned: Planned, args: &StatusArgs) -> ExitCode {
    let flows = flows_of(&planned);
    let mut ui = stderr_ui(&args.aws, false);
    let result = with_cloud(&args.aws, &mut ui, async |api, ui| {
        let mut found = Vec::new();
        for flow in &flows {
            let details = ui
                .interrupt
                .run(api.inner.describe_flow(&flow.name))
                .await
                .ok_or_else(|| Failure::interrupted("interrupted"))??;
            found.push((flow, details));
        }
        Ok(found)
    });
    let found = match result {
        Ok(found) => found,
        Err(failure) => return exit(failure),
    };
    let now = Timestamp::now();
    if args.format == crate::cli::OutputFormat::Json {
        let rows: Vec<serde_json::Value> = found
            .iter()
            .map(|(flow, details)| match details {
                None => json!({"flow": flow.name, "stack": flow.stack, "deployed": false}),
                Some(details) => json!({
                    "flow": flow.name,
                    "stack": flow.stack,
                    "deployed": true,
                    "status": details.status,
                    "trigger": details.trigger,
                    "schedule": details.schedule,
                    "lastRun": {
                        "status": details.last_run.status,
                        "time": json_time(details.last_run.time),
                        "message": details.last_run.message,
                    },
                    "nextRun": json_time(next_run(details, now)),
                }),
            })
            .collect();
        out!("{}", serde_json::to_string_pretty(&rows).unwrap_or_default());
        return ExitCode::SUCCESS;
    }
    let mut rows = vec![[
        "FLOW".to_owned(),
        "TRIGGER".into(),
        "STATUS".into(),
        "LAST RUN".into(),
        "RESULT".into(),
        "NEXT RUN".into(),
    ]];
    for (flow, details) in &found {
        let trigger = match &flow.schedule {
            Some(schedule) => schedule.clone(),
            None if flow.trigger == "Event" => "event".into(),
            None => "on demand".into(),
        };
        let row = match details {
            None => [
                flow.name.clone(),
                trigger,
                "not deployed".into(),
                "-".into(),
                "-".into(),
                "-".into(),
            ],
            Some(details) => {
                let last = &details.last_run;
                let mut result = last.status.clone().unwrap_or_else(|| "-".into());
                if let Some(message) = last.message.as_deref().filter(|m| !m.is_empty()) {
                    result = format!("{result}: {message}");
                }
                let next = next_run(details, now)
                    .map(|t| time_text(Some(t)))
                    .unwrap_or_else(|| "-".into());
                [
                    flow.name.clone(),
                    trigger,
                    details.status.clone(),
                    time_text(last.time),
                    result,
                    next,
                ]
            }
        };
        rows.push(row);
    }
    print_table(&rows);
    ExitCode::SUCCESS
}

/// Prints `rows` as columns (the last one unpadded), on stdout.
fn print_table<const N: usize>(rows: &[[String; N]]) {
    let widths: Vec<usize> = (0..N)
        .map(|column| rows.iter().map(|row| row[column].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate() {
            if column + 1 == N {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  ", width = widths[column]));
            }
        }
        out!("{}", line.trim_end());
    }
}

fn history_row(execution: &Execution) -> [String; 6] {
    [
        time_text(execution.started),
        execution.status.clone(),
        execution.duration().map(duration_text).unwrap_or_else(|| "-".into()),
        execution.records.map(|r| r.to_string()).unwrap_or_else(|| "-".into()),
        execution.bytes_processed.map(bytes_text).unwrap_or_else(|| "-".into()),
        execution.message.clone().unwrap_or_default(),
    ]
}

/// `flowform history FILE FLOW`: the flow's last runs, newest first, a page at a time.
pub fn history(planned: Planned, args: &HistoryArgs) -> ExitCode {
    let flow = match flow_of(&planned, &args.target) {
        Ok(flow) => flow,
        Err(code) => return code,
    };
    let mut ui = stderr_ui(&args.aws, false);
    let result = with_cloud(&args.aws, &mut ui, async |api, ui| {
        let page = api.inner.executions(&flow.name, args.limit, args.page.as_deref());
        let page = ui
            .interrupt
            .run(page)
            .await
            .ok_or_else(|| Failure::interrupted("interrupted"))?;
        page.map_err(|error| {
            if error.code == "ResourceNotFoundException" {
                Failure::new(format!("flow {} is not deployed in this account and region", flow.name))
            } else {
                error.into()
            }
        })
    });
    let page = match result {
        Ok(page) => page,
        Err(failure) => return exit(failure),
    };
    if args.format == crate::cli::OutputFormat::Json {
        let runs: Vec<serde_json::Value> = page
            .executions
            .iter()
            .map(|e| {
                json!({
                    "executionId": e.id,
                    "status": e.status,
                    "startedAt": json_time(e.started),
                    "lastUpdatedAt": json_time(e.updated),
                    "recordsProcessed": e.records,
                    "bytesProcessed": e.bytes_processed,
                    "bytesWritten": e.bytes_written,
                    "message": e.message,
                })
            })
            .collect();
        let document = json!({"flow": flow.name, "runs": runs, "nextPage": page.next_token});
        out!("{}", serde_json::to_string_pretty(&document).unwrap_or_default());
        return ExitCode::SUCCESS;
    }
    if page.executions.is_empty() {
        say!(
            "flow {} has no runs{}",
            flow.name,
            if args.page.is_some() { " on this page" } else { "" }
        );
        return ExitCode::SUCCESS;
    }
    let mut rows = vec![[
        "STARTED (UTC)".to_owned(),
        "STATUS".into(),
        "ELAPSED".into(),
        "RECORDS".into(),
        "DATA".into(),
        "MESSAGE".into(),
    ]];
    rows.extend(page.executions.iter().map(history_row));
    print_table(&rows);
    if let Some(token) = &page.next_token {
        say!(
            "more runs: flowform history {} {} --page '{token}'",
            args.target.file.display(),
            args.target.flow
        );
    }
    ExitCode::SUCCESS
}

/// `flowform stop FILE FLOW` (`stop`) and `flowform start FILE FLOW`: suspend or activate
/// a scheduled or event flow.
pub fn switch(planned: Planned, args: &SwitchArgs, stop: bool) -> ExitCode {
    let flow = match flow_of(&planned, &args.target) {
        Ok(flow) => flow,
        Err(code) => return code,
    };
    if flow.trigger == "OnDemand" {
        let what = if stop { "suspend" } else { "activate" };
        say!(
            "error: flow {} runs on demand: there is nothing to {what}; `flowform run {} {}` runs it",
            flow.name,
            args.target.file.display(),
            args.target.flow
        );
        return ExitCode::from(2);
    }
    let mut ui = stderr_ui(&args.aws, false);
    let result = with_cloud(&args.aws, &mut ui, async |api, ui: &mut Ui| {
        let call = async {
            if stop {
                api.inner.stop_flow(&flow.name).await
            } else {
                api.inner
                    .start_flow(&flow.name, &follow::client_token())
                    .await
                    .map(|started| started.flow_status)
            }
        };
        let status = ui
            .interrupt
            .run(call)
            .await
            .ok_or_else(|| Failure::interrupted("interrupted"))?;
        Ok(status?)
    });
    match result {
        Ok(status) => {
            say!(
                "flow {}: {status}. This lasts until a deploy changes the flow: the file's `status` is the durable setting",
                flow.name
            );
            ExitCode::SUCCESS
        }
        Err(failure) => exit(failure),
    }
}
