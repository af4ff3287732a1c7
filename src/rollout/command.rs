//! `deploy`, `diff` and `destroy` with `--targets`: the runtime, the caller's connection,
//! the engine the targets file chooses, the summary table (stdout) and the exit code.

use std::collections::BTreeMap;
use std::process::ExitCode;

use super::direct::{self, Run};
use super::stacksets;
use super::summary::Summary;
use super::targets::{Engine, Targets};
use crate::deploy::command::{DeployArgs, DestroyArgs, DiffArgs, deploy_settings, exit, stderr_ui, with_connection};
use crate::deploy::{Failure, Planned};
use crate::write_atomically;

/// What a rollout command works on: the targets and the stacks of each stack name they
/// deploy under.
pub struct Rollout {
    /// The targets file, read and checked, with only the targets `--target` names.
    pub targets: Targets,
    /// Every target of the file (what the StackSets engine takes the stack sets' own
    /// values from, whatever `--target` selects).
    pub all: Targets,
    /// The stacks of each stack name (`None`: the files' own).
    pub plans: BTreeMap<Option<String>, Planned>,
}

impl Rollout {
    /// The direct engine's run of these targets from `base`.
    fn direct<'a>(&'a self, base: &'a crate::deploy::aws::AwsCloud) -> Run<'a> {
        Run {
            base,
            targets: &self.targets,
            plans: &self.plans,
        }
    }

    /// The lock files to write (every compile of the file gives the same ones).
    fn locks(&self) -> Vec<(std::path::PathBuf, String)> {
        let mut locks: BTreeMap<std::path::PathBuf, String> = BTreeMap::new();
        for planned in self.plans.values() {
            for (path, text) in &planned.locks {
                locks.entry(path.clone()).or_insert_with(|| text.clone());
            }
        }
        locks.into_iter().collect()
    }
}

/// `flowform deploy --targets FILE`.
pub fn deploy(rollout: Rollout, args: &DeployArgs) -> ExitCode {
    if args.values.values_file.is_some() {
        say!(
            "error: with --targets, the parameter values are the targets file's (its `[values]` and each target's `values`); --parameters is not used"
        );
        return ExitCode::from(2);
    }
    if rollout.targets.engine == Engine::Direct && (args.role_arn.is_some() || args.template_bucket.is_some()) {
        // Both name something in one account (a role, a bucket in the stack's region),
        // and each target is another account.
        say!(
            "error: --role-arn and --template-bucket name a role or bucket of one account; the direct engine deploys to each target's account, so they are not used with --targets"
        );
        return ExitCode::from(2);
    }
    if matches!(rollout.targets.engine, Engine::StackSets(_)) {
        let unused = [
            ("--role-arn", args.role_arn.is_some()),
            ("--termination-protection", args.termination_protection),
            ("--notification-arn", !args.notification_arns.is_empty()),
            ("--disable-rollback", args.disable_rollback),
            ("--import-existing", args.import_existing),
            (
                "--require-approval broadening",
                args.require_approval == crate::deploy::command::RequireApproval::Broadening,
            ),
        ];
        if let Some((flag, _)) = unused.iter().find(|(_, given)| *given) {
            // Each is a setting of one stack operation or change set; StackSets run their
            // own operations in each account with the execution role.
            say!(
                "error: {flag} is not used by the StackSets engine (its operations run with the stack set's execution role, without change sets); remove it, or roll out with the direct engine"
            );
            return ExitCode::from(2);
        }
    }
    let settings = deploy_settings(args, args.values.parameters.iter().cloned().collect());
    let mut ui = stderr_ui(&args.aws, args.yes);
    let result = with_connection(&args.aws, &mut ui, async |base, ui| {
        ui.line(format!(
            "rolling out {} as {} (account {}) to {} target{} of {}",
            stack_list(&rollout),
            base.caller(),
            base.account(),
            rollout.targets.targets.len(),
            if rollout.targets.targets.len() == 1 { "" } else { "s" },
            rollout.targets.path.display()
        ));
        let locks = rollout.locks();
        if !locks.is_empty() {
            write_atomically(&locks)
                .map_err(|error| Failure::new(format!("cannot write the lock file: {error}; nothing was deployed")))?;
            for (path, _) in &locks {
                ui.line(format!(
                    "updated {} (commit it: it keeps every flow in its stack)",
                    path.display()
                ));
            }
        }
        let rows = match &rollout.targets.engine {
            Engine::Direct => direct::deploy(&rollout.direct(&base), ui, &settings, args.recheck).await,
            Engine::StackSets(stack_sets) => {
                stacksets::command::deploy(&base, ui, &rollout, stack_sets, &settings, args.recheck).await?
            }
        };
        Ok(Summary {
            rows,
            stopped: ui.interrupt.is_set(),
        })
    });
    match result {
        Ok(summary) => {
            if let Some(file) = &args.outputs_file
                && let Err(failure) = write_outputs(file, &summary)
            {
                for line in summary.render() {
                    out!("{line}");
                }
                return exit(failure);
            }
            finish(&summary)
        }
        Err(failure) => exit(failure),
    }
}

/// `--outputs-file` of a rollout: `{"<label>": {"account", "region", "stacks": {"<stack>":
/// {"<output>": "<value>"}}}}`, every deployment's stacks that have outputs.
fn write_outputs(file: &std::path::Path, summary: &Summary) -> Result<(), Failure> {
    let mut document = serde_json::Map::new();
    for row in &summary.rows {
        let entry = document
            .entry(row.label.clone())
            .or_insert_with(|| serde_json::json!({"account": row.account, "region": row.region, "stacks": {}}));
        if !row.outputs.is_empty() {
            let outputs: serde_json::Map<String, serde_json::Value> = row
                .outputs
                .iter()
                .map(|output| (output.key.clone(), output.value.clone().into()))
                .collect();
            entry["stacks"][&row.stack] = outputs.into();
        }
    }
    let text = serde_json::to_string_pretty(&document).unwrap_or_default() + "\n";
    write_atomically(&[(file.to_path_buf(), text)])
        .map_err(|error| Failure::new(format!("cannot write {}: {error}", file.display())))?;
    say!("wrote the outputs to {}", file.display());
    Ok(())
}

/// `crm and crm-flows-1` — the stacks of the file's own name.
fn stack_list(rollout: &Rollout) -> String {
    // The file's own stacks when a target deploys them, else the first target's.
    let planned = rollout.plans.get(&None).or_else(|| rollout.plans.values().next());
    let stacks: Vec<&str> = planned
        .map(|planned| planned.stacks.iter().map(|plan| plan.stack.as_str()).collect())
        .unwrap_or_default();
    match stacks.as_slice() {
        [one] => format!("stack {one}"),
        many => format!("stacks {}", many.join(", ")),
    }
}

/// `flowform diff --targets FILE`: exit 0 (no differences anywhere), 1 (some), 2 (an
/// error in any deployment).
pub fn diff(rollout: Rollout, args: &DiffArgs) -> ExitCode {
    if args.change_set {
        say!(
            "error: --change-set compares one account and region; with --targets, `diff` compares templates (and `deploy --no-execute` prepares every target's change sets)"
        );
        return ExitCode::from(2);
    }
    if !args.values.parameters.is_empty() || args.values.values_file.is_some() {
        say!("error: parameter values only change what `diff --change-set` shows; the template diff does not use them");
        return ExitCode::from(2);
    }
    let json = args.format == crate::cli::OutputFormat::Json;
    // A diff asks nothing, so its deployments are compared several at once even on a
    // terminal (`yes` only skips questions).
    let mut ui = stderr_ui(&args.aws, true);
    let result = with_connection(&args.aws, &mut ui, async |base, ui| match &rollout.targets.engine {
        Engine::Direct => {
            let run = Run {
                base: &base,
                targets: &rollout.targets,
                plans: &rollout.plans,
            };
            let found = direct::diff(&run, ui).await;
            let mut rows = Vec::new();
            let mut documents = Vec::new();
            for (deployment, found) in found {
                if !json {
                    out!(
                        "== {} (account {}, region {})",
                        deployment.label(),
                        deployment.account,
                        deployment.region
                    );
                    for line in &found.lines {
                        out!("{line}");
                    }
                }
                documents.push(serde_json::json!({
                    "target": deployment.target.name,
                    "account": deployment.account,
                    "region": deployment.region,
                    "stacks": found.json,
                }));
                rows.extend(found.rows);
            }
            Ok((
                Summary {
                    rows,
                    stopped: ui.interrupt.is_set(),
                },
                documents,
            ))
        }
        Engine::StackSets(stack_sets) => {
            let (rows, lines) = stacksets::command::diff(&base, ui, &rollout, stack_sets).await?;
            let documents = if json {
                rows.iter()
                    .map(|row| {
                        serde_json::json!({
                            "target": row.target,
                            "account": row.account,
                            "region": row.region,
                            "stack": row.stack,
                            "result": row.outcome.to_string(),
                        })
                    })
                    .collect()
            } else {
                for line in lines {
                    out!("{line}");
                }
                Vec::new()
            };
            Ok((
                Summary {
                    rows,
                    stopped: ui.interrupt.is_set(),
                },
                documents,
            ))
        }
    });
    match result {
        Ok((summary, documents)) => {
            let changed = summary.rows.iter().any(|row| {
                !matches!(
                    row.outcome,
                    super::summary::Outcome::Differences(0) | super::summary::Outcome::Unchanged
                )
            });
            if json {
                let document = serde_json::json!({"changed": changed, "targets": documents});
                out!("{}", serde_json::to_string_pretty(&document).unwrap_or_default());
            } else {
                for line in summary.render() {
                    out!("{line}");
                }
            }
            if summary.failed() {
                ExitCode::from(2)
            } else if summary.interrupted() {
                ExitCode::from(130)
            } else {
                ExitCode::from(u8::from(changed))
            }
        }
        Err(failure) => {
            say!("error: {}", failure.message);
            ExitCode::from(2)
        }
    }
}

/// `flowform destroy FILE --targets FILE`.
pub fn destroy(rollout: Rollout, args: &DestroyArgs) -> ExitCode {
    if args.role_arn.is_some() {
        say!(
            "error: --role-arn names a role of one account; a rollout deletes in each target's account (or through the stack sets), so it is not used with --targets"
        );
        return ExitCode::from(2);
    }
    let mut ui = stderr_ui(&args.aws, args.yes);
    let result = with_connection(&args.aws, &mut ui, async |base, ui| {
        let rows = match &rollout.targets.engine {
            Engine::Direct => direct::destroy(&rollout.direct(&base), ui, None).await,
            Engine::StackSets(stack_sets) => stacksets::command::destroy(&base, ui, &rollout, stack_sets).await?,
        };
        Ok(Summary {
            rows,
            stopped: ui.interrupt.is_set(),
        })
    });
    match result {
        Ok(summary) => finish(&summary),
        Err(failure) => exit(failure),
    }
}

/// Prints the table (stdout) and the totals (stderr); the run's exit code.
fn finish(summary: &Summary) -> ExitCode {
    for line in summary.render() {
        out!("{line}");
    }
    say!("done: {}", summary.totals());
    ExitCode::from(summary.exit_code())
}
