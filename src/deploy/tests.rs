//! The workflow against a scripted fake CloudFormation, for the states a real endpoint
//! does not produce on demand: throttling, stacks stuck in failed states, change sets
//! that fail, operations still running when Ctrl-C comes, answers to prompts.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use serde_json::json;

use super::api::*;
use super::retry::{RetryPolicy, Retrying};
use super::ui::testing::Screen;
use super::ui::{Interrupt, Prompt, Ui};
use super::workflow::{DeploySettings, Deployed, deploy_stack};
use super::{Failure, StackPlan, destroy_stack};

/// A scripted CloudFormation: every call is recorded; answers come from the script.
#[derive(Default)]
struct Fake {
    calls: RefCell<Vec<String>>,
    /// The stack as `DescribeStacks` shows it (`None`: no stack).
    stack: RefCell<Option<StackInfo>>,
    /// Statuses the stack takes on successive `DescribeStacks` after an execution or a
    /// delete (the last one stays).
    statuses: RefCell<VecDeque<String>>,
    /// Answers to successive `DescribeChangeSet` calls (the last one stays).
    change_sets: RefCell<VecDeque<ChangeSetInfo>>,
    /// `DescribeStacks` answers `Throttling` this many times first.
    throttles: Cell<u32>,
    /// Stack events, newest first.
    events: RefCell<Vec<StackEvent>>,
    /// Every `CreateChangeSet` request.
    requests: RefCell<Vec<ChangeSetRequest>>,
    /// `DeleteStack` removes the stack at once (as on success).
    delete_removes_stack: Cell<bool>,
    /// Ctrl-C is "pressed" at this (1-based) `DescribeStacks` / `DescribeChangeSet` call.
    interrupt_at: Option<(&'static str, usize, Interrupt)>,
    /// `DescribeChangeSet` takes this long to answer (a slow or hanging endpoint).
    slow_change_set: Cell<Option<Duration>>,
    /// What `DescribeEvents` finds.
    findings: RefCell<Vec<Finding>>,
    /// What `ListChangeSets` lists: (ID, name).
    listed_change_sets: RefCell<Vec<(String, String)>>,
}

fn stack(status: &str) -> StackInfo {
    StackInfo {
        id: "arn:aws:cloudformation:us-east-1:123456789012:stack/crm/1".into(),
        name: "crm".into(),
        status: status.into(),
        status_reason: None,
        parameters: BTreeMap::new(),
        outputs: vec![StackOutput {
            key: "FlowArn".into(),
            value: "arn:aws:appflow:us-east-1:123456789012:flow/crm-accounts".into(),
        }],
        tags: BTreeMap::new(),
    }
}

fn event(id: &str, logical_id: &str, resource_type: &str, status: &str, reason: Option<&str>) -> StackEvent {
    StackEvent {
        id: id.into(),
        logical_id: logical_id.into(),
        resource_type: resource_type.into(),
        status: status.into(),
        reason: reason.map(String::from),
        physical_id: Some(format!("physical-{logical_id}")),
    }
}

fn change_set(status: &str, reason: Option<&str>, changes: Vec<ResourceChange>) -> ChangeSetInfo {
    ChangeSetInfo {
        status: status.into(),
        status_reason: reason.map(String::from),
        execution_status: if status == "CREATE_COMPLETE" {
            "AVAILABLE"
        } else {
            "UNAVAILABLE"
        }
        .into(),
        changes,
    }
}

fn add(logical_id: &str) -> ResourceChange {
    ResourceChange {
        action: "Add".into(),
        logical_id: logical_id.into(),
        resource_type: "AWS::AppFlow::Flow".into(),
        replacement: None,
        replacing_properties: Vec::new(),
    }
}

impl Fake {
    fn call(&self, name: &str) -> usize {
        self.calls.borrow_mut().push(name.to_string());
        let count = self.calls.borrow().iter().filter(|c| *c == name).count();
        if let Some((at_call, at, interrupt)) = &self.interrupt_at
            && *at_call == name
            && *at == count
        {
            interrupt.trigger();
        }
        count
    }

    fn called(&self, name: &str) -> usize {
        self.calls.borrow().iter().filter(|c| *c == name).count()
    }

    fn next<T: Clone>(queue: &RefCell<VecDeque<T>>) -> Option<T> {
        let mut queue = queue.borrow_mut();
        if queue.len() > 1 {
            queue.pop_front()
        } else {
            queue.front().cloned()
        }
    }
}

impl CloudFormation for Fake {
    async fn describe_stack(&self, _stack: &str) -> Result<Option<StackInfo>, ApiError> {
        self.call("DescribeStacks");
        if self.throttles.get() > 0 {
            self.throttles.set(self.throttles.get() - 1);
            return Err(ApiError {
                kind: ApiErrorKind::Throttling,
                code: "Throttling".into(),
                message: "Rate exceeded".into(),
            });
        }
        if self.called("ExecuteChangeSet") + self.called("DeleteStack") > 0
            && let Some(status) = Fake::next(&self.statuses)
            && let Some(info) = self.stack.borrow_mut().as_mut()
        {
            info.status = status;
        }
        Ok(self.stack.borrow().clone())
    }

    async fn create_change_set(&self, request: &ChangeSetRequest) -> Result<ChangeSetIds, ApiError> {
        self.call(match request.change_set_type {
            ChangeSetType::Create => "CreateChangeSet(CREATE)",
            ChangeSetType::Update => "CreateChangeSet(UPDATE)",
        });
        self.requests.borrow_mut().push(request.clone());
        let mut stack_state = self.stack.borrow_mut();
        if stack_state.is_none() {
            *stack_state = Some(stack("REVIEW_IN_PROGRESS"));
        }
        Ok(ChangeSetIds {
            id: "arn:changeSet/flowform-1".into(),
            stack_id: stack_state.as_ref().unwrap().id.clone(),
        })
    }

    async fn describe_change_set(&self, _id: &str) -> Result<ChangeSetInfo, ApiError> {
        self.call("DescribeChangeSet");
        if let Some(delay) = self.slow_change_set.get() {
            tokio::time::sleep(delay).await;
        }
        Ok(Fake::next(&self.change_sets).expect("a scripted change set"))
    }

    async fn set_termination_protection(&self, _stack: &str, enabled: bool) -> Result<(), ApiError> {
        self.call(if enabled {
            "EnableTerminationProtection"
        } else {
            "DisableTerminationProtection"
        });
        Ok(())
    }

    async fn execute_change_set(&self, _id: &str, _token: &str, _disable_rollback: bool) -> Result<(), ApiError> {
        self.call("ExecuteChangeSet");
        Ok(())
    }

    async fn list_change_sets(&self, _stack: &str) -> Result<Vec<(String, String)>, ApiError> {
        self.call("ListChangeSets");
        Ok(self.listed_change_sets.borrow().clone())
    }

    async fn delete_change_set(&self, _id: &str) -> Result<(), ApiError> {
        self.call("DeleteChangeSet");
        Ok(())
    }

    async fn validation_findings(&self, _of: FindingsOf<'_>) -> Result<Vec<Finding>, ApiError> {
        self.call("DescribeEvents");
        Ok(self.findings.borrow().clone())
    }

    async fn stack_events(&self, _stack: &str, _token: Option<&str>) -> Result<EventPage, ApiError> {
        self.call("DescribeStackEvents");
        // Events appear once the change set runs.
        let events = if self.called("ExecuteChangeSet") > 0 || self.called("DeleteStack") > 0 {
            self.events.borrow().clone()
        } else {
            self.events
                .borrow()
                .iter()
                .skip(self.events.borrow().len() - 1)
                .cloned()
                .collect()
        };
        Ok(EventPage {
            events,
            next_token: None,
        })
    }

    async fn get_template(&self, _stack: &str) -> Result<String, ApiError> {
        self.call("GetTemplate");
        Ok(r#"{"Resources": {"A": {"Type": "AWS::S3::Bucket"}}}"#.into())
    }

    async fn delete_stack(&self, _stack: &str, _role: Option<&str>) -> Result<(), ApiError> {
        self.call("DeleteStack");
        if self.delete_removes_stack.get() {
            *self.stack.borrow_mut() = None;
        }
        Ok(())
    }

    async fn upload_template(&self, bucket: &str, key: &str, _body: &str) -> Result<String, ApiError> {
        self.call("PutObject");
        Ok(format!("https://s3.us-east-1.amazonaws.com/{bucket}/{key}"))
    }
}

fn screen_ui(prompt: Prompt, yes: bool) -> (Ui, Screen) {
    let screen = Screen::default();
    let ui = Ui::new(Box::new(screen.clone()), prompt, yes, Duration::from_millis(1));
    (ui, screen)
}

fn plan() -> StackPlan {
    let template = json!({
        "Parameters": {"AccountsFlowStartTime": {"Type": "Number", "Default": "1"}},
        "Resources": {"AccountsFlow": {"Type": "AWS::AppFlow::Flow", "Properties": {"TriggerConfig": {
            "TriggerType": "Scheduled",
            "TriggerProperties": {"ScheduleExpression": "rate(1hours)", "ScheduleStartTime": {"Ref": "AccountsFlowStartTime"}}
        }}}}
    });
    StackPlan {
        stack: "crm".into(),
        body: template.to_string(),
        template,
        tags: [("team".to_string(), "data".to_string())].into(),
    }
}

fn run<T>(future: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// A fake for a first deploy that goes well.
fn creating() -> Fake {
    let fake = Fake::default();
    fake.change_sets.borrow_mut().extend([
        change_set("CREATE_IN_PROGRESS", None, vec![]),
        change_set("CREATE_COMPLETE", None, vec![add("AccountsFlow")]),
    ]);
    fake.statuses
        .borrow_mut()
        .extend(["CREATE_IN_PROGRESS", "CREATE_COMPLETE"].map(String::from));
    *fake.events.borrow_mut() = vec![
        event("e4", "crm", "AWS::CloudFormation::Stack", "CREATE_COMPLETE", None),
        event("e3", "AccountsFlow", "AWS::AppFlow::Flow", "CREATE_COMPLETE", None),
        event("e2", "AccountsFlow", "AWS::AppFlow::Flow", "CREATE_IN_PROGRESS", None),
        event(
            "e1",
            "crm",
            "AWS::CloudFormation::Stack",
            "REVIEW_IN_PROGRESS",
            Some("User Initiated"),
        ),
    ];
    fake
}

fn tiny_retries(fake: Fake) -> Retrying<Fake> {
    Retrying {
        inner: fake,
        policy: RetryPolicy {
            attempts: 3,
            first_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
        },
        interrupt: Interrupt::default(),
    }
}

#[test]
fn a_first_deploy_creates_streams_each_event_once_and_prints_outputs() {
    let fake = creating();
    let (mut ui, screen) = screen_ui(Prompt::None, false);
    let settings = DeploySettings::default();
    let result = run(deploy_stack(&fake, &mut ui, &plan(), &settings));
    assert!(matches!(result, Ok(Deployed::Executed(_))), "{result:?}");
    let text = screen.text();
    assert_eq!(fake.called("CreateChangeSet(CREATE)"), 1);
    assert_eq!(
        text.matches("CREATE_COMPLETE              AWS::AppFlow::Flow").count(),
        1,
        "{text}"
    );
    assert!(
        !text.contains("REVIEW_IN_PROGRESS"),
        "events before the execution are not replayed:\n{text}"
    );
    assert!(text.contains("[1/1 "), "{text}");
    assert!(
        text.contains("FlowArn = arn:aws:appflow:us-east-1:123456789012:flow/crm-accounts"),
        "{text}"
    );
}

#[test]
fn throttling_is_retried_with_backoff_and_gives_up_eventually() {
    let fake = creating();
    fake.throttles.set(2);
    let api = tiny_retries(fake);
    let (mut ui, _) = screen_ui(Prompt::None, false);
    let result = run(deploy_stack(&api, &mut ui, &plan(), &DeploySettings::default()));
    assert!(matches!(result, Ok(Deployed::Executed(_))), "{result:?}");

    let fake = creating();
    fake.throttles.set(50);
    let api = tiny_retries(fake);
    let result = run(deploy_stack(&api, &mut ui, &plan(), &DeploySettings::default()));
    let failure = result.unwrap_err();
    assert!(
        failure.message.contains("Rate exceeded (gave up after 3 attempts)"),
        "{failure:?}"
    );
    assert_eq!(api.inner.called("DescribeStacks"), 3);
}

#[test]
fn a_stack_in_update_rollback_failed_is_not_touched() {
    let fake = Fake::default();
    *fake.stack.borrow_mut() = Some(stack("UPDATE_ROLLBACK_FAILED"));
    let (mut ui, _) = screen_ui(Prompt::None, true);
    let failure = run(deploy_stack(&fake, &mut ui, &plan(), &DeploySettings::default())).unwrap_err();
    assert!(failure.message.contains("is in UPDATE_ROLLBACK_FAILED"), "{failure:?}");
    assert!(
        failure.message.contains("continue-update-rollback --stack-name crm"),
        "{failure:?}"
    );
    assert_eq!(fake.calls.borrow().as_slice(), ["DescribeStacks"]);
}

#[test]
fn a_busy_stack_is_not_touched() {
    let fake = Fake::default();
    *fake.stack.borrow_mut() = Some(stack("UPDATE_IN_PROGRESS"));
    let (mut ui, _) = screen_ui(Prompt::None, true);
    let failure = run(deploy_stack(&fake, &mut ui, &plan(), &DeploySettings::default())).unwrap_err();
    assert!(failure.message.contains("is busy (UPDATE_IN_PROGRESS)"), "{failure:?}");
}

#[test]
fn a_failing_change_set_is_reported_and_cleaned_up() {
    let fake = Fake::default();
    fake.change_sets.borrow_mut().push_back(change_set(
        "FAILED",
        Some("Template format error: Unresolved resource dependencies [X] in the Resources block of the template"),
        vec![],
    ));
    let (mut ui, _) = screen_ui(Prompt::None, false);
    let failure = run(deploy_stack(&fake, &mut ui, &plan(), &DeploySettings::default())).unwrap_err();
    assert!(
        failure.message.contains("Unresolved resource dependencies [X]"),
        "{failure:?}"
    );
    assert_eq!(failure.exit, 1);
    // The change set, and the empty stack it created, are deleted.
    assert_eq!(fake.called("DeleteChangeSet"), 1);
    assert_eq!(fake.called("DeleteStack"), 1);
    assert_eq!(fake.called("ExecuteChangeSet"), 0);
}

#[test]
fn an_empty_change_set_is_success() {
    let fake = Fake::default();
    *fake.stack.borrow_mut() = Some(stack("UPDATE_COMPLETE"));
    fake.change_sets.borrow_mut().push_back(change_set(
        "FAILED",
        Some("The submitted information didn't contain changes. Submit different information to create a change set."),
        vec![],
    ));
    let (mut ui, screen) = screen_ui(Prompt::None, false);
    let result = run(deploy_stack(&fake, &mut ui, &plan(), &DeploySettings::default()));
    assert_eq!(result, Ok(Deployed::NoChanges));
    assert!(screen.text().contains("stack crm: no changes"));
    assert_eq!(fake.called("CreateChangeSet(UPDATE)"), 1);
    assert_eq!(fake.called("DeleteChangeSet"), 1);
    assert_eq!(fake.called("DeleteStack"), 0, "an existing stack is never deleted");
}

fn replacing_update() -> Fake {
    let fake = Fake::default();
    *fake.stack.borrow_mut() = Some(stack("UPDATE_COMPLETE"));
    let mut change = add("LakeBucket");
    change.action = "Modify".into();
    change.resource_type = "AWS::S3::Bucket".into();
    change.replacement = Some("True".into());
    change.replacing_properties = vec!["BucketName".into()];
    fake.change_sets
        .borrow_mut()
        .push_back(change_set("CREATE_COMPLETE", None, vec![change]));
    fake.statuses.borrow_mut().push_back("UPDATE_COMPLETE".into());
    fake.events.borrow_mut().push(event(
        "e0",
        "crm",
        "AWS::CloudFormation::Stack",
        "CREATE_COMPLETE",
        None,
    ));
    fake
}

#[test]
fn the_prompt_says_truthfully_whether_a_replaced_resource_keeps_its_data() {
    let change = ResourceChange {
        action: "Modify".into(),
        logical_id: "LakeBucket".into(),
        resource_type: "AWS::S3::Bucket".into(),
        replacement: Some("True".into()),
        replacing_properties: vec!["BucketName".into()],
    };
    let removed = ResourceChange {
        action: "Remove".into(),
        logical_id: "OldFlow".into(),
        resource_type: "AWS::AppFlow::Flow".into(),
        replacement: None,
        replacing_properties: Vec::new(),
    };
    let kept = json!({"Resources": {"LakeBucket": {"DeletionPolicy": "RetainExceptOnCreate", "UpdateReplacePolicy": "Retain"}}});
    let (lines, deleted) = super::review::data_fate(std::slice::from_ref(&change), &json!(null), &kept);
    assert!(!deleted);
    assert_eq!(
        lines,
        [
            "  LakeBucket (AWS::S3::Bucket) is replaced: the old one is kept in the account, outside the stack, with its data"
        ]
    );
    let (lines, deleted) = super::review::data_fate(&[change, removed], &json!({"Resources": {"OldFlow": {}}}), &kept);
    assert!(deleted);
    assert_eq!(
        lines[1],
        "  OldFlow (AWS::AppFlow::Flow) is removed: the old one is deleted, and its run history with it"
    );
}

#[test]
fn a_replacement_is_asked_about_and_a_no_deletes_the_change_set() {
    let fake = replacing_update();
    let (mut ui, screen) = screen_ui(Prompt::Scripted(vec![false]), false);
    let failure = run(deploy_stack(&fake, &mut ui, &plan(), &DeploySettings::default())).unwrap_err();
    assert!(failure.message.contains("declined"), "{failure:?}");
    assert!(
        screen
            .text()
            .contains("The change set replaces 1 resource (data is lost where the old resource is deleted"),
        "{}",
        screen.text()
    );
    assert_eq!(fake.called("DeleteChangeSet"), 1);
    assert_eq!(fake.called("ExecuteChangeSet"), 0);

    let fake = replacing_update();
    let (mut ui, _) = screen_ui(Prompt::Scripted(vec![true]), false);
    let result = run(deploy_stack(&fake, &mut ui, &plan(), &DeploySettings::default()));
    assert!(matches!(result, Ok(Deployed::Executed(_))), "{result:?}");
}

#[test]
fn ctrl_c_while_executing_stops_waiting_and_says_where_the_stack_is() {
    let interrupt = Interrupt::default();
    let mut fake = replacing_update();
    fake.statuses.borrow_mut().clear();
    fake.statuses.borrow_mut().push_back("UPDATE_IN_PROGRESS".into());
    // DescribeStacks #1 is the check before the change set; #3 is mid-execution.
    fake.interrupt_at = Some(("DescribeStacks", 3, interrupt.clone()));
    let (mut ui, _) = screen_ui(Prompt::None, true);
    ui.interrupt = interrupt;
    let failure = run(deploy_stack(&fake, &mut ui, &plan(), &DeploySettings::default())).unwrap_err();
    assert_eq!(failure.exit, 130);
    assert!(
        failure.message.contains("stack crm is UPDATE_IN_PROGRESS"),
        "{failure:?}"
    );
    assert!(
        failure.message.contains("describe-stack-events --stack-name crm"),
        "{failure:?}"
    );
    assert_eq!(
        fake.called("DeleteChangeSet"),
        0,
        "an executed change set is CloudFormation's now"
    );
}

#[test]
fn ctrl_c_during_a_slow_call_is_honoured_at_once_and_nothing_is_executed() {
    let fake = creating();
    fake.slow_change_set.set(Some(Duration::from_secs(30)));
    let api = tiny_retries(fake);
    let (mut ui, screen) = screen_ui(Prompt::None, true);
    ui.interrupt = api.interrupt.clone();
    let interrupt = api.interrupt.clone();
    let started = std::time::Instant::now();
    let failure = run(async {
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            interrupt.trigger();
        });
        deploy_stack(&api, &mut ui, &plan(), &DeploySettings::default()).await
    })
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(failure.exit, 130, "{failure:?}");
    assert!(failure.message.contains("nothing was deployed"), "{failure:?}");
    assert_eq!(api.inner.called("ExecuteChangeSet"), 0);
    assert_eq!(
        api.inner.called("DeleteChangeSet"),
        1,
        "cleanup still runs: {}",
        screen.text()
    );
    assert_eq!(api.inner.called("DeleteStack"), 1, "and the empty stack goes");
}

#[test]
fn a_call_after_ctrl_c_is_not_made_but_cleanup_is() {
    let api = tiny_retries(creating());
    api.interrupt.trigger();
    let error = run(api.describe_stack("crm")).unwrap_err();
    assert!(error.is_interrupted(), "{error:?}");
    assert!(
        run(api.execute_change_set("arn:changeSet/flowform-1", "t", false))
            .unwrap_err()
            .is_interrupted()
    );
    assert_eq!(
        api.inner.called("DescribeStacks") + api.inner.called("ExecuteChangeSet"),
        0
    );
    run(api.delete_change_set("arn:changeSet/flowform-1")).unwrap();
    assert_eq!(api.inner.called("DeleteChangeSet"), 1);
    let failure = Failure::from(error);
    assert_eq!(failure.exit, 130);
}

#[test]
fn validation_warnings_are_shown_in_the_review_and_do_not_stop_the_deploy() {
    let fake = creating();
    fake.findings.borrow_mut().extend([
        Finding {
            name: "PROPERTY_VALIDATION".into(),
            status: "FAILED".into(),
            mode: "WARN".into(),
            reason: "Property FlowName is deprecated".into(),
            path: Some("/Resources/AccountsFlow/Properties/FlowName".into()),
            logical_id: Some("AccountsFlow".into()),
        },
        Finding {
            name: "PROPERTY_VALIDATION".into(),
            status: "SKIPPED".into(),
            mode: "WARN".into(),
            reason: "not checked".into(),
            ..Finding::default()
        },
    ]);
    let (mut ui, screen) = screen_ui(Prompt::None, true);
    let result = run(deploy_stack(&fake, &mut ui, &plan(), &DeploySettings::default()));
    assert!(matches!(result, Ok(Deployed::Executed(_))), "{result:?}");
    let text = screen.text();
    assert!(
        text.contains("  CloudFormation validation warning PROPERTY_VALIDATION (AccountsFlow, /Resources/AccountsFlow/Properties/FlowName): Property FlowName is deprecated"),
        "{text}"
    );
    assert!(!text.contains("not checked"), "only failed checks: {text}");
}

#[test]
fn import_existing_asks_cloudformation_to_adopt_and_names_what_it_cannot() {
    let fake = creating();
    let (mut ui, screen) = screen_ui(Prompt::None, true);
    let mut plan = plan();
    plan.template["Resources"]["AccountsFlow"]["Properties"]["FlowName"] = json!("crm-accounts");
    plan.template["Resources"]["KeptFlow"] = json!({"Type": "AWS::AppFlow::Flow", "DeletionPolicy": "RetainExceptOnCreate",
        "Properties": {"FlowName": "crm-kept"}});
    let settings = DeploySettings {
        import_existing: true,
        ..DeploySettings::default()
    };
    run(deploy_stack(&fake, &mut ui, &plan, &settings)).unwrap();
    assert!(fake.requests.borrow()[0].import_existing);
    let text = screen.text();
    assert!(
        text.contains(
            "note: AccountsFlow (AWS::AppFlow::Flow) cannot be adopted by --import-existing: it is not retained"
        ),
        "{text}"
    );
    assert!(!text.contains("KeptFlow (AWS"), "{text}");
}

#[test]
fn change_sets_an_earlier_no_execute_left_are_deleted_before_a_new_one() {
    let fake = replacing_update();
    fake.listed_change_sets.borrow_mut().extend([
        ("arn:changeSet/flowform-1".to_string(), "flowform-1".to_string()),
        ("arn:changeSet/someone-elses".to_string(), "review-by-alice".to_string()),
    ]);
    let (mut ui, screen) = screen_ui(Prompt::Scripted(vec![true]), false);
    run(deploy_stack(&fake, &mut ui, &plan(), &DeploySettings::default())).unwrap();
    assert!(
        screen
            .text()
            .contains("deleted the change set flowform-1 an earlier --no-execute left"),
        "{}",
        screen.text()
    );
    assert!(!screen.text().contains("review-by-alice"), "only flowform's own");
    assert_eq!(fake.called("DeleteChangeSet"), 1);
}

#[test]
fn require_approval_broadening_asks_about_new_grants_and_refuses_without_a_terminal() {
    let granting = || {
        let fake = creating();
        fake.change_sets.borrow_mut().clear();
        fake.change_sets.borrow_mut().push_back(change_set(
            "CREATE_COMPLETE",
            None,
            vec![
                add("AccountsFlow"),
                ResourceChange {
                    resource_type: "AWS::S3::BucketPolicy".into(),
                    ..add("LakeBucketPolicy")
                },
            ],
        ));
        fake
    };
    let settings = DeploySettings {
        require_approval_broadening: true,
        ..DeploySettings::default()
    };
    let fake = granting();
    let (mut ui, screen) = screen_ui(Prompt::None, false);
    let failure = run(deploy_stack(&fake, &mut ui, &plan(), &settings)).unwrap_err();
    assert!(failure.message.contains("grant access"), "{failure:?}");
    assert!(
        screen
            .text()
            .contains("permissions: Add AWS::S3::BucketPolicy LakeBucketPolicy"),
        "{}",
        screen.text()
    );
    assert_eq!(fake.called("ExecuteChangeSet"), 0);
    assert_eq!(fake.called("DeleteChangeSet"), 1);

    let fake = granting();
    let (mut ui, _) = screen_ui(Prompt::Scripted(vec![true]), false);
    assert!(run(deploy_stack(&fake, &mut ui, &plan(), &settings)).is_ok());
    assert_eq!(fake.called("ExecuteChangeSet"), 1);
    // Without the option, nothing is asked.
    let fake = granting();
    let (mut ui, _) = screen_ui(Prompt::None, false);
    assert!(run(deploy_stack(&fake, &mut ui, &plan(), &DeploySettings::default())).is_ok());
}

#[test]
fn retries_of_a_change_set_request_carry_one_client_token() {
    let fake = creating();
    let (mut ui, _) = screen_ui(Prompt::None, true);
    run(deploy_stack(&fake, &mut ui, &plan(), &DeploySettings::default())).unwrap();
    let request = fake.requests.borrow()[0].clone();
    assert_eq!(request.client_token, request.change_set_name);
    assert_eq!(
        request.tags.get("team").map(String::as_str),
        Some("data"),
        "the stack's tags"
    );
    assert!(
        regex::Regex::new("^[a-zA-Z0-9][-a-zA-Z0-9]{0,127}$")
            .unwrap()
            .is_match(&request.client_token),
        "{}",
        request.client_token
    );
}

#[test]
fn ctrl_c_before_execution_deletes_the_change_set() {
    let interrupt = Interrupt::default();
    let mut fake = Fake::default();
    fake.change_sets
        .borrow_mut()
        .push_back(change_set("CREATE_PENDING", None, vec![]));
    fake.interrupt_at = Some(("DescribeChangeSet", 2, interrupt.clone()));
    let (mut ui, _) = screen_ui(Prompt::None, false);
    ui.interrupt = interrupt;
    let failure = run(deploy_stack(&fake, &mut ui, &plan(), &DeploySettings::default())).unwrap_err();
    assert_eq!(failure.exit, 130);
    assert!(failure.message.contains("nothing was deployed"), "{failure:?}");
    assert_eq!(fake.called("DeleteChangeSet"), 1);
    assert_eq!(
        fake.called("DeleteStack"),
        1,
        "the empty REVIEW_IN_PROGRESS stack goes too"
    );
}

#[test]
fn a_rolled_back_creation_is_deleted_after_a_yes_and_created_again() {
    let fake = creating();
    *fake.stack.borrow_mut() = Some(stack("ROLLBACK_COMPLETE"));
    fake.delete_removes_stack.set(true);
    let (mut ui, _) = screen_ui(Prompt::Scripted(vec![true]), false);
    let result = run(deploy_stack(&fake, &mut ui, &plan(), &DeploySettings::default()));
    assert!(matches!(result, Ok(Deployed::Executed(_))), "{result:?}");
    assert_eq!(fake.called("DeleteStack"), 1);
    assert_eq!(fake.called("CreateChangeSet(CREATE)"), 1);

    let fake = Fake::default();
    *fake.stack.borrow_mut() = Some(stack("ROLLBACK_COMPLETE"));
    let (mut ui, _) = screen_ui(Prompt::None, false);
    let failure = run(deploy_stack(&fake, &mut ui, &plan(), &DeploySettings::default())).unwrap_err();
    assert!(failure.message.contains("flowform destroy crm"), "{failure:?}");
    assert_eq!(fake.called("DeleteStack"), 0);
}

#[test]
fn start_times_in_the_past_are_moved_to_the_next_slot() {
    let fake = creating();
    let (mut ui, _) = screen_ui(Prompt::None, false);
    let now: jiff::Timestamp = "2027-06-01T10:20:00Z".parse().unwrap();
    let settings = DeploySettings {
        now: Some(now),
        ..DeploySettings::default()
    };
    // The default (1 = 1970-01-01T00:00:01Z) is long past: the next hourly slot after
    // now + 5 minutes, on the same grid.
    run(deploy_stack(&fake, &mut ui, &plan(), &settings)).unwrap();
    let request = &fake.requests.borrow()[0];
    let expected = "2027-06-01T11:00:01Z".parse::<jiff::Timestamp>().unwrap().as_second();
    assert_eq!(
        request.parameters["AccountsFlowStartTime"],
        ParameterValue::Value(expected.to_string())
    );
    assert!(request.capabilities.is_empty());
    assert_eq!(request.template, TemplateSource::Body(plan().body));
}

#[test]
fn a_template_over_51200_bytes_needs_a_bucket_and_is_passed_by_url() {
    let mut big = plan();
    big.body = format!("{}{}", big.body, " ".repeat(60_000));
    let fake = creating();
    let (mut ui, _) = screen_ui(Prompt::None, false);
    let failure = run(deploy_stack(&fake, &mut ui, &big, &DeploySettings::default())).unwrap_err();
    assert!(failure.message.contains("pass --template-bucket"), "{failure:?}");
    assert_eq!(fake.called("CreateChangeSet(CREATE)"), 0);

    let settings = DeploySettings {
        template_bucket: Some("cfn-templates".into()),
        ..DeploySettings::default()
    };
    run(deploy_stack(&fake, &mut ui, &big, &settings)).unwrap();
    let TemplateSource::Url(url) = &fake.requests.borrow()[0].template else {
        panic!("expected a template URL");
    };
    assert!(
        url.starts_with("https://s3.us-east-1.amazonaws.com/cfn-templates/flowform/crm/"),
        "{url}"
    );
}

#[test]
fn a_failed_delete_is_a_failure_with_the_reasons() {
    let fake = Fake::default();
    *fake.stack.borrow_mut() = Some(stack("UPDATE_COMPLETE"));
    *fake.events.borrow_mut() = vec![
        event(
            "d3",
            "crm",
            "AWS::CloudFormation::Stack",
            "DELETE_FAILED",
            Some("The following resource(s) failed to delete: [LakeBucket]."),
        ),
        event(
            "d2",
            "LakeBucket",
            "AWS::S3::Bucket",
            "DELETE_FAILED",
            Some("The bucket you tried to delete is not empty"),
        ),
        event("d1", "crm", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", None),
    ];
    // After DeleteStack the stack reports DELETE_FAILED.
    fake.statuses.borrow_mut().push_back("DELETE_FAILED".into());
    let (mut ui, screen) = screen_ui(Prompt::None, true);
    let failure: Failure = run(destroy_stack(&fake, &mut ui, "crm", None)).unwrap_err();
    assert!(failure.message.contains("DELETE_FAILED"), "{failure:?}");
    assert!(
        failure
            .message
            .contains("LakeBucket: The bucket you tried to delete is not empty"),
        "{failure:?}"
    );
    assert!(screen.text().contains("Failed resources:"));

    let fake = Fake::default();
    *fake.stack.borrow_mut() = Some(stack("UPDATE_COMPLETE"));
    let (mut ui, _) = screen_ui(Prompt::None, false);
    let refused = run(destroy_stack(&fake, &mut ui, "crm", None)).unwrap_err();
    assert!(refused.message.contains("pass --yes"), "{refused:?}");
}

/// A plan whose template declares a `NoEcho` credential without a default.
fn plan_with_credential() -> StackPlan {
    let mut plan = plan();
    plan.template["Parameters"]["CrmJwt"] = json!({"Type": "String", "NoEcho": true});
    plan.body = plan.template.to_string();
    plan
}

#[test]
fn a_first_deploy_on_a_terminal_asks_for_the_noecho_parameters() {
    let fake = creating();
    let (mut ui, screen) = screen_ui(Prompt::Scripted(vec![]), false);
    ui.scripted_secrets = vec!["eyJ.jwt".into()];
    let result = run(deploy_stack(
        &fake,
        &mut ui,
        &plan_with_credential(),
        &DeploySettings::default(),
    ));
    assert!(matches!(result, Ok(Deployed::Executed(_))), "{result:?}");
    assert!(
        screen.text().contains("CrmJwt (NoEcho, not shown)"),
        "{}",
        screen.text()
    );
    let request = fake.requests.borrow()[0].clone();
    assert_eq!(request.parameters["CrmJwt"], ParameterValue::Value("eyJ.jwt".into()));
}

#[test]
fn without_a_terminal_or_an_answer_the_deploy_names_the_parameters_and_creates_nothing() {
    for prompt in [Prompt::None, Prompt::Scripted(vec![])] {
        let fake = creating();
        let (mut ui, _) = screen_ui(prompt, false);
        let failure = run(deploy_stack(
            &fake,
            &mut ui,
            &plan_with_credential(),
            &DeploySettings::default(),
        ))
        .unwrap_err();
        assert!(
            failure.message.contains("needs a value for CrmJwt") && failure.message.contains("--parameter CrmJwt=..."),
            "{}",
            failure.message
        );
        assert_eq!(fake.called("CreateChangeSet(CREATE)"), 0);
    }
}
