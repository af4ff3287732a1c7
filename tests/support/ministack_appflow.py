"""MiniStack + the CloudFormation pieces it lacks for AppFlow templates.

MiniStack (PyPI `ministack`, tested with 1.5.33) answers CreateStack and
CreateChangeSet with "Template format error: Unrecognized resource types:
[...]" for any type missing from its provisioner table. This launcher patches
the table in-process and then runs MiniStack's own main() in the foreground:

  AWS::AppFlow::ConnectorProfile  stub. Ref = ConnectorProfileName; GetAtt
                                  ConnectorProfileArn, CredentialsArn.
  AWS::AppFlow::Flow              stub. Ref = FlowName; GetAtt FlowArn. Create
                                  and update fail (CREATE_FAILED/UPDATE_FAILED,
                                  then rollback) when a named connector profile
                                  or S3 bucket does not exist.
  AWS::SecretsManager::ResourcePolicy  real: PutResourcePolicy on the secret,
                                  readable with secretsmanager:GetResourcePolicy.

and models AppFlow's EventBridge destinations as AWS documents them (AppFlow guide,
EventBridge.html; EventBridge guide, eb-saas.html):
  * creating a flow with an EventBridge destination creates its partner event source
    (the destination's Object), deleting the flow deletes it;
  * AWS::Events::EventBus with EventSourceName fails unless that partner event source
    exists, and records the association;
  * a flow to EventBridge cannot be Active (on create or update) while its partner
    event source is not associated with an event bus ("Before you can activate the
    flow, you must go to Amazon EventBridge to associate the partner event source").

It also
  * applies AWS::S3::Bucket BucketEncryption and Tags (MiniStack 1.5.33's
    provisioner drops them), readable with GetBucketEncryption/-Tagging;
  * makes Ref of AWS::SecretsManager::Secret the secret ARN, as on AWS
    (MiniStack 1.5.33 gives the name);
  * refuses a Ref / Fn::Sub / Fn::GetAtt to an undefined name with
    CloudFormation's own ValidationError texts ("Template format error:
    Unresolved resource dependencies [X] in the Resources block of the
    template", "Template error: instance of Fn::GetAtt references undefined
    resource X"); MiniStack 1.5.33 deploys such templates;
  * lists the replace-on-update properties of the types above, so
    DescribeChangeSet says Replacement True/False instead of Conditional.

It serves CloudFormation StackSets too (self-managed, over MiniStack's own stacks in each
account and region): see ministack_stacksets.py beside this file; GET /_stub/stacksets
lists the requests it was sent.

The stubs keep each resource's resolved Properties in STUB_STATE, served
read-only at GET /_stub/appflow (JSON) so a test can check what a template
deployed; POST /_ministack/reset clears it with MiniStack's own state.

AppFlow API. The same endpoint answers the AppFlow API (service `appflow`, restJson1)
for SDK clients such as boto3 or aws-sdk-appflow pointed at it (endpoint_url
http://127.0.0.1:PORT; MiniStack routes by the SigV4 credential scope `appflow`).
Member names, paths and error shapes are botocore's appflow service model; responses
are built from STUB_STATE, converted from CloudFormation casing to the API's by walking
the botocore shape (TaskProperties and Tags become maps, TriggerProperties moves under
triggerProperties.Scheduled). Timestamps are epoch seconds. Errors: the model's HTTP
status, header x-amzn-ErrorType: <Code>, body {"message": "..."}.
  POST /start-flow      {flowName, clientToken?} -> {flowArn, flowStatus, executionId}.
                        On-demand flow: starts a run (InProgress; see /_stub/appflow/runs)
                        and publishes its Start report. Scheduled/event flow: activates it
                        (flowStatus Active, no executionId; ConflictException if an
                        EventBridge destination's partner source has no event bus). The same
                        clientToken answers the first call's response again.
                        ResourceNotFoundException (404) for an unknown flow.
  POST /stop-flow       {flowName} -> {flowArn, flowStatus: Suspended} for scheduled/event
                        flows; UnsupportedOperationException (400) for on-demand ones.
  POST /describe-flow   {flowName} -> DescribeFlowResponse: the template's properties plus
                        flowArn, flowStatus, createdAt, lastUpdatedAt, createdBy,
                        lastUpdatedBy, lastRunExecutionDetails (absent before any run).
                        flowStatus: StartFlow/StopFlow's, else the template's FlowStatus,
                        else Active (on-demand) / Draft (scheduled, event).
  POST /list-flows      {maxResults?, nextToken?} -> {flows: [FlowDefinition], nextToken?}
  POST /describe-flow-execution-records {flowName, maxResults?, nextToken?}
                        -> {flowExecutions: [ExecutionRecord], nextToken?}, newest first.
  POST /describe-connector-profiles {connectorProfileNames?, connectorType?,
                        connectorLabel?, maxResults?, nextToken?} -> {connectorProfileDetails}
                        (never credentials, as on AWS).
  POST /create-flow, /create-connector-profile  store an API-made ("console") flow or
                        profile in STUB_STATE in CloudFormation casing, served as above.
  POST /delete-flow, /delete-connector-profile  (ConflictException while a run is in
                        progress / the profile is in use, unless forceDelete).
Other AppFlow operations answer UnsupportedOperationException. Paging: maxResults 1-100
(default 20), opaque nextToken. SLOW_ACTIONS also takes these operation names
(SLOW_ACTIONS=StartFlow=5).

Test control (JSON bodies; 404 for an unknown flow, 400 for a bad body):
  POST /_stub/appflow/runs {"flow": NAME, "status": "Successful"|"Error"|"Canceled"|...,
        "message": "...", "records": N, "bytes": N, "seconds": S, "putFailures": N?,
        "bytesWritten": N?}
        queues the outcome of the next StartFlow of that flow (one per POST, used in
        order; with none queued a run succeeds with 0 records after 1 s). The run is
        InProgress for S seconds (default 1) after StartFlow, then has that status and
        results (computed from the clock whenever it is described). -> {"flow", "queued"}
  POST /_stub/appflow/history {"flow": NAME, "runs": [{"status", "message", "records",
        "bytes", "startedAt" (epoch seconds or ISO 8601), "seconds", "executionId"?}, ...]}
        adds past runs (no events); without startedAt, runs a minute apart before now, in
        list order. -> {"flow", "executionIds"}
POST /_ministack/reset clears runs, queued outcomes and API-made resources too.

Run events: each run publishes "AppFlow Start Flow Run Report" when it starts and "AppFlow
End Flow Run Report" when it ends (source aws.appflow, default event bus, through
MiniStack's EventBridge, so a rule there delivers them to SQS/SNS/Lambda targets). Detail:
flow-name, flow-arn, execution-id, created-by, source, destination, source-object,
destination-object, trigger-type, start-time; the end report adds end-time, status
("Execution Successful", "Execution Failed", "Execution Canceled"),
num-of-records-processed, num-of-records-filtered, num-of-record-failures,
num-of-documents-processed, data-processed (strings, as AppFlow sends them), and error
(the run's message) when the run failed.

Usage: BIND_HOST=127.0.0.1 GATEWAY_PORT=4566 python ministack_appflow.py
(every other MiniStack environment variable works as for `ministack`).

With EXIT_ON_STDIN_EOF=1 the server exits when its standard input closes: the Rust test
harness holds the other end of that pipe, so the server never outlives the test process,
even one that is killed.

Vendored from shared/reference/LOCAL-CLOUDFORMATION.md §11 for flowform's deploy tests;
it reaches into MiniStack internals, so ministack stays pinned (1.5.33, in .ci/run and
tests/support/local_cfn.rs).
"""
import base64
import json
import logging
import re
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import botocore.session
import ministack_stacksets  # beside this file: CloudFormation StackSets
import ministack.app as app
from ministack.core import router as _router
from ministack.services.cloudformation import changesets as cfn_changesets
from ministack.services.cloudformation import engine as cfn_engine
from ministack.services.cloudformation import handlers as cfn_handlers
import ministack.services.s3 as s3
import ministack.services.secretsmanager as sm
from ministack.core.responses import get_account_id, get_region
from ministack.services.cloudformation import provisioners as prov

class _PerTenant:
    """A dict per account and region, as AppFlow keeps flows and profiles: the one of the
    request in flight (MiniStack's request-scoped account and region, which its
    CloudFormation engine carries into the resource handlers). Requests without a
    signature (the `/_stub/appflow` controls) are the default account and region."""

    def __init__(self, make):
        self._make = make
        self._tenants: dict = {}

    def current(self) -> dict:
        return self._tenants.setdefault((get_account_id(), get_region()), self._make())

    def __getitem__(self, key):
        return self.current()[key]

    def clear(self):
        self._tenants.clear()


STUB_STATE = _PerTenant(lambda: {"flows": {}, "connector_profiles": {}, "partner_event_sources": {}})
# What the AppFlow API adds to STUB_STATE, kept apart so GET /_stub/appflow is unchanged:
# per flow {createdAt, lastUpdatedAt, status (set by StartFlow/StopFlow, else None), runs,
# next (queued outcomes of the next StartFlow runs), tokens (StartFlow clientTokens)};
# per connector profile {createdAt, lastUpdatedAt}.
_RUNTIME = _PerTenant(lambda: {"flows": {}, "profiles": {}})


def _new_meta() -> dict:
    now = time.time()
    return {"createdAt": now, "lastUpdatedAt": now, "status": None, "runs": [], "next": [], "tokens": {}}


def _flow_meta(name: str) -> dict:
    return _RUNTIME["flows"].setdefault(name, _new_meta())


def _profile_meta(name: str) -> dict:
    return _RUNTIME["profiles"].setdefault(name, _new_meta())


def _arn(kind: str, name: str) -> str:
    return f"arn:aws:appflow:{get_region()}:{get_account_id()}:{kind}/{name}"


def _profile_attrs(name: str) -> dict:
    return {
        "ConnectorProfileArn": _arn("connectorprofile", name),
        "CredentialsArn": f"arn:aws:secretsmanager:{get_region()}:{get_account_id()}:secret:appflow!{name}",
    }


def _profile_create(logical_id, props, stack_name):
    name = props.get("ConnectorProfileName") or f"{stack_name}-{logical_id}"
    if name in STUB_STATE["connector_profiles"]:
        raise ValueError(f"ConnectorProfile {name} already exists")
    STUB_STATE["connector_profiles"][name] = props
    _RUNTIME["profiles"][name] = _new_meta()
    return name, _profile_attrs(name)


def _profile_update(physical_id, old_props, new_props, stack_name):
    STUB_STATE["connector_profiles"][physical_id] = new_props
    _profile_meta(physical_id)["lastUpdatedAt"] = time.time()
    return physical_id, _profile_attrs(physical_id)


def _profile_delete(physical_id, props):
    STUB_STATE["connector_profiles"].pop(physical_id, None)
    _RUNTIME["profiles"].pop(physical_id, None)


def _check_flow(props):
    """The checks AppFlow itself makes on CreateFlow/UpdateFlow that a template
    can get wrong: the named connector profiles and S3 buckets must exist.
    (Messages are this stub's own wording.)"""
    configs = [props.get("SourceFlowConfig") or {}] + list(props.get("DestinationFlowConfigList") or [])
    for cfg in configs:
        profile = cfg.get("ConnectorProfileName")
        if profile and profile not in STUB_STATE["connector_profiles"]:
            raise ValueError(f"Connector profile {profile} does not exist")
        for key in ("SourceConnectorProperties", "DestinationConnectorProperties"):
            bucket = ((cfg.get(key) or {}).get("S3") or {}).get("BucketName")
            if bucket and bucket not in s3._buckets:
                raise ValueError(f"S3 bucket {bucket} does not exist")


def _partner_sources(props):
    """The partner event sources of a flow's EventBridge destinations."""
    return [((cfg.get("DestinationConnectorProperties") or {}).get("EventBridge") or {}).get("Object")
            for cfg in props.get("DestinationFlowConfigList") or []
            if cfg.get("ConnectorType") == "EventBridge"]


def _check_activation(name, props):
    if props.get("FlowStatus") != "Active":
        return
    for source in _partner_sources(props):
        if not STUB_STATE["partner_event_sources"].get(source, {}).get("event_bus"):
            raise ValueError(f"Flow {name} cannot be activated: its partner event source {source} "
                             "is not associated with an event bus")


def _flow_create(logical_id, props, stack_name):
    name = props.get("FlowName") or f"{stack_name}-{logical_id}"
    if name in STUB_STATE["flows"]:
        raise ValueError(f"Flow {name} already exists")
    _check_flow(props)
    for source in _partner_sources(props):
        STUB_STATE["partner_event_sources"][source] = {"flow": name, "event_bus": None}
    _check_activation(name, props)
    STUB_STATE["flows"][name] = props
    _RUNTIME["flows"][name] = _new_meta()
    return name, {"FlowArn": _arn("flow", name)}


def _flow_update(physical_id, old_props, new_props, stack_name):
    _check_flow(new_props)
    _check_activation(physical_id, new_props)
    STUB_STATE["flows"][physical_id] = new_props
    meta = _flow_meta(physical_id)
    meta["lastUpdatedAt"] = time.time()
    if (old_props or {}).get("FlowStatus") != new_props.get("FlowStatus"):
        meta["status"] = None  # the template's FlowStatus wins over an earlier StartFlow/StopFlow
    return physical_id, {"FlowArn": _arn("flow", physical_id)}


def _flow_delete(physical_id, props):
    STUB_STATE["flows"].pop(physical_id, None)
    _RUNTIME["flows"].pop(physical_id, None)
    for source in _partner_sources(props):
        STUB_STATE["partner_event_sources"].pop(source, None)


def _policy_doc(props) -> str:
    doc = props.get("ResourcePolicy", {})
    return doc if isinstance(doc, str) else json.dumps(doc)


def _secret_policy_create(logical_id, props, stack_name):
    status, _headers, body = sm._put_resource_policy(
        {"SecretId": props["SecretId"], "ResourcePolicy": _policy_doc(props)})
    if status != 200:
        raise ValueError(f"PutResourcePolicy failed: {body!r}")
    arn = json.loads(body)["ARN"]
    return arn, {"Id": arn}


def _secret_policy_update(physical_id, old_props, new_props, stack_name):
    if old_props.get("SecretId") != new_props.get("SecretId"):
        _secret_policy_delete(physical_id, old_props)
    return _secret_policy_create(None, new_props, stack_name)


def _secret_policy_delete(physical_id, props):
    sm._delete_resource_policy({"SecretId": props.get("SecretId", physical_id)})


prov._RESOURCE_HANDLERS.update({
    "AWS::AppFlow::ConnectorProfile": {
        "create": _profile_create, "update": _profile_update, "delete": _profile_delete},
    "AWS::AppFlow::Flow": {
        "create": _flow_create, "update": _flow_update, "delete": _flow_delete},
    "AWS::SecretsManager::ResourcePolicy": {
        "create": _secret_policy_create, "update": _secret_policy_update,
        "delete": _secret_policy_delete},
})
# AWS::SecretsManager::Secret: MiniStack uses the secret *name* as physical id,
# so `Ref` gave the name; CloudFormation's Ref gives the secret ARN. Wrap its
# handlers so the physical id (and Ref) is the ARN.
_secret_handlers = dict(prov._RESOURCE_HANDLERS["AWS::SecretsManager::Secret"])


def _secret_name(physical_id):
    for name, secret in sm._secrets.items():
        if secret.get("ARN") == physical_id:
            return name
    return physical_id


def _secret_arn(result):
    physical_id, attrs = result
    return attrs.get("Arn", physical_id), attrs


def _secret_create(logical_id, props, stack_name):
    return _secret_arn(_secret_handlers["create"](logical_id, props, stack_name))


def _secret_update(physical_id, old_props, new_props, stack_name, logical_id=None):
    return _secret_arn(_secret_handlers["update"](
        _secret_name(physical_id), old_props, new_props, stack_name, logical_id))


def _secret_delete(physical_id, props):
    _secret_handlers["delete"](_secret_name(physical_id), props)


prov._RESOURCE_HANDLERS["AWS::SecretsManager::Secret"] = {
    **_secret_handlers, "create": _secret_create, "update": _secret_update,
    "delete": _secret_delete}

# AWS::S3::Bucket: MiniStack's provisioner ignores BucketEncryption and Tags.
# Apply them through its own S3 API functions after create/update, so
# GetBucketEncryption / GetBucketTagging show what the template asked for.
_bucket_handlers = dict(prov._RESOURCE_HANDLERS["AWS::S3::Bucket"])


def _xml_escape(text) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _apply_bucket_extras(name, props):
    rules = ((props.get("BucketEncryption") or {}).get("ServerSideEncryptionConfiguration") or [])
    if rules:
        xml = "".join(
            "<Rule><ApplyServerSideEncryptionByDefault>"
            + "".join(f"<{k}>{_xml_escape(v)}</{k}>" for k, v in (r.get("ServerSideEncryptionByDefault") or {}).items())
            + "</ApplyServerSideEncryptionByDefault>"
            + (f"<BucketKeyEnabled>{str(r['BucketKeyEnabled']).lower()}</BucketKeyEnabled>" if "BucketKeyEnabled" in r else "")
            + "</Rule>" for r in rules)
        status, _h, body = s3._put_bucket_encryption(
            name, f'<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">{xml}</ServerSideEncryptionConfiguration>'.encode())
        if status >= 400:
            raise ValueError(f"AWS::S3::Bucket BucketEncryption rejected: {body!r}")
    else:
        s3._delete_bucket_encryption(name)
    tags = props.get("Tags") or []
    if tags:
        xml = "".join(f"<Tag><Key>{_xml_escape(t['Key'])}</Key><Value>{_xml_escape(t['Value'])}</Value></Tag>" for t in tags)
        s3._put_bucket_tagging(name, f"<Tagging><TagSet>{xml}</TagSet></Tagging>".encode())
    else:
        s3._delete_bucket_tagging(name)


def _bucket_create(logical_id, props, stack_name):
    physical_id, attrs = _bucket_handlers["create"](logical_id, props, stack_name)
    _apply_bucket_extras(physical_id, props)
    return physical_id, attrs


def _bucket_update(physical_id, old_props, new_props, stack_name, *rest):
    new_id, attrs = _bucket_handlers["update"](physical_id, old_props, new_props, stack_name, *rest)
    _apply_bucket_extras(new_id, new_props)
    return new_id, attrs


prov._RESOURCE_HANDLERS["AWS::S3::Bucket"] = {
    **_bucket_handlers, "create": _bucket_create, "update": _bucket_update}

# AWS::Events::EventBus with EventSourceName: the partner event bus of a partner event
# source, which must exist (MiniStack 1.5.33 ignores EventSourceName).
_bus_handlers = dict(prov._RESOURCE_HANDLERS["AWS::Events::EventBus"])


def _bus_create(logical_id, props, stack_name):
    source = props.get("EventSourceName")
    if source is not None:
        if source not in STUB_STATE["partner_event_sources"]:
            raise ValueError(f"Event source {source} does not exist")
        if props.get("Name") != source:
            raise ValueError(f"A partner event bus must be named after its event source {source}")
    name, attrs = _bus_handlers["create"](logical_id, props, stack_name)
    if source is not None:
        STUB_STATE["partner_event_sources"][source]["event_bus"] = name
    return name, attrs


def _bus_delete(physical_id, props):
    _bus_handlers["delete"](physical_id, props)
    source = STUB_STATE["partner_event_sources"].get(props.get("EventSourceName"))
    if source is not None:
        source["event_bus"] = None


prov._RESOURCE_HANDLERS["AWS::Events::EventBus"] = {
    **_bus_handlers, "create": _bus_create, "delete": _bus_delete}

# DescribeChangeSet reports Replacement=True only for properties listed here
# (and an update replaces the resource); a type with no entry is reported as
# "Conditional" for every change. Entries: the resource schemas'
# createOnlyProperties ("Update requires: Replacement" in the AWS reference).
for _type, _props in {
    "AWS::S3::Bucket": ("BucketName",),
    "AWS::S3::BucketPolicy": ("Bucket",),
    "AWS::KMS::Key": (),  # no createOnly properties: every change is Replacement=False
    "AWS::SecretsManager::Secret": ("Name",),
    "AWS::CloudWatch::Alarm": ("AlarmName",),
    "AWS::Events::Rule": ("Name",),
    "AWS::Events::EventBus": ("Name", "EventSourceName"),
}.items():
    prov._REPLACING_PROPERTIES.setdefault(_type, _props)
prov._REPLACING_PROPERTIES.update({
    "AWS::AppFlow::Flow": ("FlowName", "KMSArn"),
    "AWS::AppFlow::ConnectorProfile": ("ConnectorProfileName", "ConnectorType", "ConnectorLabel"),
    "AWS::SecretsManager::ResourcePolicy": ("SecretId",),
})

_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


def _undefined_refs(node, known, found):
    if isinstance(node, list):
        for v in node:
            _undefined_refs(v, known, found)
    elif isinstance(node, dict):
        if len(node) == 1:
            fn, args = next(iter(node.items()))
            if fn == "Ref" and isinstance(args, str):
                if args not in known and not args.startswith("AWS::"):
                    found.append(args)
                return
            if fn == "Fn::GetAtt":
                target = args.split(".", 1)[0] if isinstance(args, str) else (args[0] if args else "")
                if isinstance(target, str) and target not in known:
                    raise ValueError("Template error: instance of Fn::GetAtt references "
                                     f"undefined resource {target}")
                if isinstance(args, list):
                    _undefined_refs(args[1:], known, found)
                return
            if fn == "Fn::Sub":
                text, local = (args, {}) if isinstance(args, str) else (args[0], args[1] if len(args) > 1 else {})
                for var in _SUB_VAR.findall(text if isinstance(text, str) else ""):
                    name = var.split(".", 1)[0]
                    if name not in known and name not in local and not name.startswith("AWS::"):
                        found.append(name)
                _undefined_refs(local, known, found)
                return
        for v in node.values():
            _undefined_refs(v, known, found)


_original_validate = cfn_engine.validate_template_support


def _validate_with_refs(template, conditions, params=None):
    _original_validate(template, conditions, params)
    if isinstance(template, dict) and not template.get("Transform"):
        known = set(template.get("Parameters") or {}) | set(template.get("Resources") or {})
        for section in ("Resources", "Outputs"):
            found: list = []
            _undefined_refs(template.get(section) or {}, known, found)
            if found:
                raise ValueError(
                    "Template format error: Unresolved resource dependencies ["
                    + ", ".join(dict.fromkeys(found)) + f"] in the {section} block of the template")


for _module in (cfn_engine, cfn_changesets, cfn_handlers):
    _module.validate_template_support = _validate_with_refs

# ---------------------------------------------------------------------------------------
# The AppFlow API (service `appflow`, restJson1), served on the same endpoint.
#
# MiniStack routes a request by the service of its SigV4 credential scope (router.py
# detect_service): `appflow` is a real AWS service it does not implement, so it answered
# "Unsupported service: appflow". Registering a handler under that name in
# app.SERVICE_HANDLERS is the whole hook; everything MiniStack does around a service call
# (body decoding, AUTH, CloudTrail) still applies.
#
# Shapes come from botocore's service model (a MiniStack dependency): STUB_STATE holds
# CloudFormation-shaped properties (PascalCase, Key/Value lists), converted to the API's
# shapes by walking the botocore output shape and matching member names case-insensitively;
# API-created flows and profiles go the other way, guided by the CloudFormation resource
# schemas in schema/cloudformation.
# ---------------------------------------------------------------------------------------
_log = logging.getLogger("ministack.appflow-stub")
_APPFLOW = botocore.session.get_session().get_service_model("appflow")
# POST paths of the operations without URI labels: "/start-flow" -> "StartFlow".
_APPFLOW_OPS = {_APPFLOW.operation_model(op).http["requestUri"]: op
                for op in _APPFLOW.operation_names
                if "{" not in _APPFLOW.operation_model(op).http["requestUri"]}

# Member names that differ between the API and CloudFormation by more than case
# (API member, lower case -> CloudFormation property, lower case).
_MEMBER_ALIASES = {"failonfirstdestinationerror": "failonfirsterror",
                   "oauthrequest": "connectoroauthrequest"}
# The one structural difference (found by walking both schemas side by side): where the API
# nests a member one level deeper. (API shape, member) -> the API member wrapping CFN's value:
# CloudFormation's TriggerConfig.TriggerProperties is the API's triggerProperties.Scheduled.
_CFN_UNWRAPPED = {("TriggerConfig", "triggerProperties"): "Scheduled"}


def _cfn_schema(file_name: str):
    path = Path(__file__).resolve().parents[2] / "schema" / "cloudformation" / file_name
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


_FLOW_SCHEMA = _cfn_schema("aws-appflow-flow.json")
_PROFILE_SCHEMA = _cfn_schema("aws-appflow-connectorprofile.json")


def _lookup(props: dict, member: str):
    """(True, value) of the key of `props` naming API member `member`, ignoring case."""
    low = member.lower()
    alias = _MEMBER_ALIASES.get(low)
    for key, value in props.items():
        if key.lower() in (low, alias):
            return True, value
    return False, None


def _epoch(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return round(float(value), 3)
    if isinstance(value, str):
        try:
            return round(float(value), 3)
        except ValueError:
            try:
                return round(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp(), 3)
            except ValueError:
                return None
    return None


def _to_api(shape, value):
    """A CloudFormation-shaped value as the API shape `shape` (None: nothing to send)."""
    if value is None:
        return None
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return None
        out = {}
        for member, member_shape in shape.members.items():
            found, v = _lookup(value, member)
            wrapper = _CFN_UNWRAPPED.get((shape.name, member))
            if found and wrapper and isinstance(v, dict) and not _lookup(v, wrapper)[0]:
                v = {wrapper: v}
            if found:
                converted = _to_api(member_shape, v)
                if converted is not None:
                    out[member] = converted
        return out
    if kind == "list":
        items = value if isinstance(value, list) else [value]
        return [c for c in (_to_api(shape.member, v) for v in items) if c is not None]
    if kind == "map":
        if isinstance(value, list):  # CloudFormation's [{Key, Value}]
            pairs = [(kv.get("Key"), kv.get("Value")) for kv in value if isinstance(kv, dict)]
        elif isinstance(value, dict):
            pairs = list(value.items())
        else:
            return None
        return {str(k): _to_api(shape.value, v) for k, v in pairs if k is not None}
    if kind in ("integer", "long"):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return None
    if kind in ("double", "float"):
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
    if kind == "boolean":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    if kind == "timestamp":
        return _epoch(value)
    if kind == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        return None if isinstance(value, (dict, list)) else str(value)
    return None


def _schema_node(schema, node):
    while isinstance(node, dict) and "$ref" in node and schema:
        node = (schema.get("definitions") or {}).get(node["$ref"].rsplit("/", 1)[-1])
    return node if isinstance(node, dict) else None


def _to_cfn(shape, value, schema, node):
    """An API value of shape `shape` as CloudFormation properties (schema node `node`)."""
    node = _schema_node(schema, node)
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return value
        props = (node or {}).get("properties")
        out = {}
        for member, member_shape in shape.members.items():
            if member not in value:
                continue
            v = value[member]
            wrapper = _CFN_UNWRAPPED.get((shape.name, member))
            if wrapper and isinstance(v, dict):
                member_shape, v = member_shape.members[wrapper], v.get(wrapper)
                if v is None:
                    continue
            low = member.lower()
            alias = _MEMBER_ALIASES.get(low)
            if props is not None:
                key = next((k for k in props if k.lower() in (low, alias)), None)
                if key is None:  # not a CloudFormation property (clientToken, ...)
                    continue
                out[key] = _to_cfn(member_shape, v, schema, props[key])
            else:
                key = {"kmsArn": "KMSArn"}.get(member, member[:1].upper() + member[1:])
                out[key] = _to_cfn(member_shape, v, schema, None)
        return out
    if kind == "list":
        items = (node or {}).get("items")
        return [_to_cfn(shape.member, v, schema, items) for v in value or []]
    if kind == "map":
        as_list = ((node or {}).get("type") == "array") if node is not None \
            else shape.name in ("TagMap", "TaskPropertiesMap")
        if as_list:
            return [{"Key": k, "Value": v} for k, v in (value or {}).items()]
        return dict(value or {})
    return value


class _ApiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _error_response(code: str, message: str):
    status = (_APPFLOW.shape_for(code).metadata.get("error") or {}).get("httpStatusCode", 400) \
        if code in _APPFLOW.shape_names else 400
    return status, {"Content-Type": "application/json", "x-amzn-ErrorType": code}, \
        json.dumps({"message": message}).encode()


def _ok(payload: dict):
    return 200, {"Content-Type": "application/json"}, json.dumps(payload).encode()


def _required(req: dict, *names):
    for name in names:
        if req.get(name) in (None, ""):
            raise _ApiError("ValidationException", f"1 validation error detected: Value null at '{name}' "
                            "failed to satisfy constraint: Member must not be null")


def _page(items: list, req: dict):
    """(page, nextToken) of `items` for the request's maxResults/nextToken (default 20)."""
    size = req.get("maxResults", 20)
    if not isinstance(size, int) or not 1 <= size <= 100:
        raise _ApiError("ValidationException", f"1 validation error detected: Value '{size}' at 'maxResults' "
                        "failed to satisfy constraint: Member must have value between 1 and 100")
    start = 0
    if req.get("nextToken"):
        try:
            start = int(base64.b64decode(req["nextToken"]).decode().removeprefix("offset:"))
        except (ValueError, UnicodeDecodeError):
            raise _ApiError("ValidationException", "Invalid nextToken") from None
    end = start + size
    token = base64.b64encode(f"offset:{end}".encode()).decode() if end < len(items) else None
    return items[start:end], token


def _flow_props(name: str) -> dict:
    props = STUB_STATE["flows"].get(name) if isinstance(name, str) else None
    if props is None:
        raise _ApiError("ResourceNotFoundException", f"No flow exists with the name {name}")
    return props


def _trigger_type(props: dict) -> str:
    return (props.get("TriggerConfig") or {}).get("TriggerType") or "OnDemand"


def _flow_status(name: str, props: dict) -> str:
    """StartFlow/StopFlow's status, else the template's FlowStatus, else AppFlow's default:
    Active for an on-demand flow, Draft for a scheduled or event flow (CloudFormation leaves
    those Draft without FlowStatus: Active)."""
    return (_flow_meta(name)["status"] or props.get("FlowStatus")
            or ("Active" if _trigger_type(props) == "OnDemand" else "Draft"))


_STATUSES = ("InProgress", "Successful", "Error", "CancelStarted", "Canceled")
_SUCCESS_MESSAGE = "Successfully ran the flow"


def _run_state(run: dict, now: float) -> dict:
    """A run as seen at `now`: InProgress until startedAt + seconds, then its outcome."""
    ended = run["status"] != "InProgress" and now >= run["startedAt"] + run["seconds"]
    status = run["status"] if ended else "InProgress"
    return {"status": status, "ended": ended,
            "lastUpdatedAt": run["startedAt"] + run["seconds"] if ended else run["startedAt"]}


def _execution_record(run: dict, now: float) -> dict:
    state = _run_state(run, now)
    done = state["ended"]
    result = {"bytesProcessed": run["bytes"] if done else 0,
              "bytesWritten": run["bytesWritten"] if done else 0,
              "recordsProcessed": run["records"] if done else 0}
    if done and (state["status"] == "Error" or run["putFailures"]):
        result["errorInfo"] = {"putFailuresCount": run["putFailures"],
                               "executionMessage": run["message"] or ""}
    return {"executionId": run["executionId"], "executionStatus": state["status"],
            "executionResult": result, "startedAt": round(run["startedAt"], 3),
            "lastUpdatedAt": round(state["lastUpdatedAt"], 3),
            "dataPullStartTime": round(run["startedAt"], 3), "dataPullEndTime": round(run["startedAt"], 3)}


def _last_run(name: str, now: float):
    runs = _flow_meta(name)["runs"]
    if not runs:
        return None
    run = max(runs, key=lambda r: r["startedAt"])
    state = _run_state(run, now)
    details = {"MostRecentExecutionStatus": state["status"], "MostRecentExecutionTime": run["startedAt"]}
    if state["ended"]:
        details["MostRecentExecutionMessage"] = run["message"] or (
            _SUCCESS_MESSAGE if state["status"] == "Successful" else "")
    return details


def _report_ended_runs(name: str, now: float):
    """Publish the end report of every run of `name` seen ended and not yet reported."""
    for run in list(_flow_meta(name)["runs"]):
        if not run["reported"] and _run_state(run, now)["ended"]:
            run["reported"] = True
            _publish_run_event(name, run, end=True)


def _flow_view(name: str, now: float) -> dict:
    """The flow as CloudFormation-cased properties plus what the API adds."""
    props = _flow_props(name)
    meta = _flow_meta(name)
    _report_ended_runs(name, now)
    creator = f"arn:aws:iam::{get_account_id()}:root"
    view = {**props, "FlowArn": _arn("flow", name), "FlowName": name, "FlowStatus": _flow_status(name, props),
            "CreatedAt": meta["createdAt"], "LastUpdatedAt": meta["lastUpdatedAt"],
            "CreatedBy": creator, "LastUpdatedBy": creator}
    last = _last_run(name, now)
    if last:
        view["LastRunExecutionDetails"] = last
    return view


def _object_of(cfg: dict, key: str):
    props = (cfg.get(key) or {})
    for connector_props in props.values():
        if not isinstance(connector_props, dict):
            continue
        if "BucketName" in connector_props:
            return "s3://" + "/".join(filter(None, [connector_props.get("BucketName"),
                                                    connector_props.get("BucketPrefix")]))
        for k in ("Object", "EntityName", "ObjectPath"):
            if connector_props.get(k):
                return connector_props[k]
    return None


def _iso_event_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z[UTC]"


def _publish_run_event(name: str, run: dict, end: bool):
    """AppFlow's "Start/End Flow Run Report" on the default event bus, through MiniStack's
    EventBridge (which delivers to the matching rules' targets: SQS, SNS, Lambda, ...)."""
    props = STUB_STATE["flows"].get(name)
    if props is None:
        return
    source = props.get("SourceFlowConfig") or {}
    destination = (props.get("DestinationFlowConfigList") or [{}])[0]
    detail = {
        "flow-name": name,
        "created-by": f"arn:aws:iam::{get_account_id()}:root",
        "flow-arn": _arn("flow", name),
        "source": source.get("ConnectorType"),
        "destination": destination.get("ConnectorType"),
        "source-object": _object_of(source, "SourceConnectorProperties"),
        "destination-object": _object_of(destination, "DestinationConnectorProperties"),
        "trigger-type": {"OnDemand": "ONDEMAND", "Scheduled": "SCHEDULED", "Event": "EVENT"}.get(
            _trigger_type(props), _trigger_type(props).upper()),
        "execution-id": run["executionId"],
        "start-time": _iso_event_time(run["startedAt"]),
    }
    if end:
        ok = run["status"] == "Successful"
        detail.update({
            "num-of-records-processed": str(run["records"]),
            "num-of-records-filtered": "0",
            "num-of-documents-processed": "0",
            "num-of-record-failures": str(run["putFailures"]),
            "data-processed": str(run["bytes"]),
            "end-time": _iso_event_time(run["startedAt"] + run["seconds"]),
            "status": "Execution Successful" if ok else
            ("Execution Canceled" if run["status"] in ("Canceled", "CancelStarted") else "Execution Failed"),
        })
        if not ok:
            detail["error"] = run["message"] or ""
    try:
        from ministack.services import eventbridge
        eventbridge._put_events({"Entries": [{
            "Source": "aws.appflow",
            "DetailType": "AppFlow End Flow Run Report" if end else "AppFlow Start Flow Run Report",
            "Detail": json.dumps(detail), "Resources": [_arn("flow", name)], "EventBusName": "default",
        }]}, allow_aws_source=True)
    except Exception:  # best effort, as AppFlow's own delivery
        _log.exception("AppFlow run event for %s not published", name)


def _finish_run(name: str, run: dict):
    """Timer at a run's end: publish its end report, unless reset or already reported."""
    if run in (_RUNTIME["flows"].get(name) or {}).get("runs", []) and not run["reported"]:
        if _run_state(run, time.time())["ended"]:
            run["reported"] = True
            _publish_run_event(name, run, end=True)


def _new_run(outcome: dict, started_at: float) -> dict:
    status = outcome.get("status", "Successful")
    size = int(outcome.get("bytes", 0))
    return {
        "executionId": outcome.get("executionId") or str(uuid.uuid4()),
        "startedAt": started_at,
        "seconds": float(outcome.get("seconds", 1)),
        "status": status,
        "message": outcome.get("message"),
        "records": int(outcome.get("records", 0)),
        "bytes": size,
        "bytesWritten": int(outcome.get("bytesWritten", size if status == "Successful" else 0)),
        "putFailures": int(outcome.get("putFailures", 0)),
        "reported": False,
    }


def _start_flow(req):
    _required(req, "flowName")
    name = req["flowName"]
    props = _flow_props(name)
    meta = _flow_meta(name)
    token = req.get("clientToken")
    if token and token in meta["tokens"]:
        return meta["tokens"][token]
    if _trigger_type(props) != "OnDemand":
        # Scheduled and event flows: StartFlow activates the flow; no run starts.
        try:
            _check_activation(name, {**props, "FlowStatus": "Active"})
        except ValueError as e:
            raise _ApiError("ConflictException", str(e)) from None
        meta["status"] = "Active"
        response = {"flowArn": _arn("flow", name), "flowStatus": "Active"}
    else:
        run = _new_run(meta["next"].pop(0) if meta["next"] else {}, time.time())
        meta["runs"].append(run)
        _publish_run_event(name, run, end=False)
        try:
            import asyncio
            asyncio.get_running_loop().call_later(run["seconds"], _finish_run, name, run)
        except RuntimeError:
            import threading
            threading.Timer(run["seconds"], _finish_run, (name, run)).start()
        response = {"flowArn": _arn("flow", name), "flowStatus": _flow_status(name, props),
                    "executionId": run["executionId"]}
    if token:
        meta["tokens"][token] = response
    return response


def _stop_flow(req):
    _required(req, "flowName")
    name = req["flowName"]
    props = _flow_props(name)
    if _trigger_type(props) == "OnDemand":
        raise _ApiError("UnsupportedOperationException",
                        f"Stop flow is not supported for flow {name} with trigger type OnDemand")
    _flow_meta(name)["status"] = "Suspended"
    return {"flowArn": _arn("flow", name), "flowStatus": "Suspended"}


def _describe_flow(req):
    _required(req, "flowName")
    return _to_api(_APPFLOW.shape_for("DescribeFlowResponse"), _flow_view(req["flowName"], time.time()))


def _list_flows(req):
    now = time.time()
    shape = _APPFLOW.shape_for("FlowDefinition")
    page, token = _page(sorted(STUB_STATE["flows"]), req)
    flows = []
    for name in page:
        view = _flow_view(name, now)
        source = view.get("SourceFlowConfig") or {}
        destination = (view.get("DestinationFlowConfigList") or [{}])[0]
        view.update({"SourceConnectorType": source.get("ConnectorType"),
                     "SourceConnectorLabel": source.get("ConnectorLabel"),
                     "DestinationConnectorType": destination.get("ConnectorType"),
                     "DestinationConnectorLabel": destination.get("ConnectorLabel"),
                     "TriggerType": _trigger_type(view)})
        flows.append(_to_api(shape, view))
    return {"flows": flows, **({"nextToken": token} if token else {})}


def _describe_flow_execution_records(req):
    _required(req, "flowName")
    name = req["flowName"]
    _flow_props(name)
    now = time.time()
    _report_ended_runs(name, now)
    runs = sorted(_flow_meta(name)["runs"], key=lambda r: r["startedAt"], reverse=True)
    page, token = _page(runs, req)
    return {"flowExecutions": [_execution_record(r, now) for r in page], **({"nextToken": token} if token else {})}


def _describe_connector_profiles(req):
    names = req.get("connectorProfileNames")
    selected = [n for n in sorted(STUB_STATE["connector_profiles"])
                if (names is None or n in names)
                and (not req.get("connectorType")
                     or STUB_STATE["connector_profiles"][n].get("ConnectorType") == req["connectorType"])
                and (not req.get("connectorLabel")
                     or STUB_STATE["connector_profiles"][n].get("ConnectorLabel") == req["connectorLabel"])]
    page, token = _page(selected, req)
    shape = _APPFLOW.shape_for("ConnectorProfile")  # has no credentials member: none are returned
    details = []
    for name in page:
        props = STUB_STATE["connector_profiles"][name]
        meta = _profile_meta(name)
        view = {**props, **_profile_attrs(name), "ConnectorProfileName": name,
                "ConnectorProfileProperties": (props.get("ConnectorProfileConfig") or {}).get(
                    "ConnectorProfileProperties") or {},
                "CreatedAt": meta["createdAt"], "LastUpdatedAt": meta["lastUpdatedAt"]}
        details.append(_to_api(shape, view))
    return {"connectorProfileDetails": details, **({"nextToken": token} if token else {})}


def _create_flow(req):
    _required(req, "flowName", "triggerConfig", "sourceFlowConfig", "destinationFlowConfigList", "tasks")
    name = req["flowName"]
    if name in STUB_STATE["flows"]:
        raise _ApiError("ConflictException", f"Flow {name} already exists")
    props = _to_cfn(_APPFLOW.shape_for("CreateFlowRequest"), req, _FLOW_SCHEMA, _FLOW_SCHEMA)
    try:
        _flow_create(None, props, None)
    except ValueError as e:
        raise _ApiError("ResourceNotFoundException" if "profile" in str(e) else "ValidationException",
                        str(e)) from None
    return {"flowArn": _arn("flow", name), "flowStatus": _flow_status(name, props)}


def _create_connector_profile(req):
    _required(req, "connectorProfileName", "connectorType", "connectionMode", "connectorProfileConfig")
    name = req["connectorProfileName"]
    if name in STUB_STATE["connector_profiles"]:
        raise _ApiError("ConflictException", f"Connector profile {name} already exists")
    props = _to_cfn(_APPFLOW.shape_for("CreateConnectorProfileRequest"), req, _PROFILE_SCHEMA, _PROFILE_SCHEMA)
    _profile_create(None, props, None)
    return {"connectorProfileArn": _arn("connectorprofile", name)}


def _delete_flow(req):
    _required(req, "flowName")
    name = req["flowName"]
    props = _flow_props(name)
    now = time.time()
    if not req.get("forceDelete") and any(_run_state(r, now)["status"] == "InProgress"
                                          for r in _flow_meta(name)["runs"]):
        raise _ApiError("ConflictException", f"Flow {name} has a run in progress")
    _flow_delete(name, props)
    return {}


def _delete_connector_profile(req):
    _required(req, "connectorProfileName")
    name = req["connectorProfileName"]
    if name not in STUB_STATE["connector_profiles"]:
        raise _ApiError("ResourceNotFoundException", f"No connector profile exists with the name {name}")
    users = [f for f, p in STUB_STATE["flows"].items()
             if name in [c.get("ConnectorProfileName") for c in
                         [p.get("SourceFlowConfig") or {}] + list(p.get("DestinationFlowConfigList") or [])]]
    if users and not req.get("forceDelete"):
        raise _ApiError("ConflictException", f"Connector profile {name} is in use by flows {', '.join(users)}")
    _profile_delete(name, STUB_STATE["connector_profiles"][name])
    return {}


_APPFLOW_HANDLERS = {
    "StartFlow": _start_flow, "StopFlow": _stop_flow, "DescribeFlow": _describe_flow,
    "ListFlows": _list_flows, "DescribeFlowExecutionRecords": _describe_flow_execution_records,
    "DescribeConnectorProfiles": _describe_connector_profiles, "CreateFlow": _create_flow,
    "CreateConnectorProfile": _create_connector_profile, "DeleteFlow": _delete_flow,
    "DeleteConnectorProfile": _delete_connector_profile,
}


async def _appflow_handler(method, path, headers, body, query_params):
    op = _APPFLOW_OPS.get(path) if method == "POST" else None
    handler = _APPFLOW_HANDLERS.get(op)
    if handler is None:
        return _error_response("UnsupportedOperationException",
                               f"This AppFlow stub does not implement {op or method + ' ' + path}")
    try:
        req = json.loads(body or b"{}")
        if not isinstance(req, dict):
            raise ValueError("not an object")
    except ValueError:
        return _error_response("ValidationException", "The request body is not a JSON object")
    try:
        return _ok(handler(req))
    except _ApiError as e:
        return _error_response(e.code, e.message)


app.SERVICE_HANDLERS["appflow"] = _appflow_handler
# A service named in SERVICE_PATTERNS is routed by its credential scope at once; otherwise
# detect_service first checks the scope against botocore's whole catalog (every service
# model loaded, seconds on the first AppFlow call).
_router.SERVICE_PATTERNS.setdefault("appflow", {"host_patterns": [r"appflow\."]})


# Test control, POST /_stub/appflow/runs and POST /_stub/appflow/history (see the docstring).
def _control_outcome(entry: dict) -> dict:
    if not isinstance(entry, dict):
        raise _ApiError("ValidationException", "a run must be a JSON object")
    if entry.get("status", "Successful") not in _STATUSES:
        raise _ApiError("ValidationException", f"status must be one of {', '.join(_STATUSES)}")
    for key in ("records", "bytes", "bytesWritten", "putFailures", "seconds"):
        if key in entry and (isinstance(entry[key], bool) or not isinstance(entry[key], (int, float))):
            raise _ApiError("ValidationException", f"{key} must be a number")
    if "startedAt" in entry and _epoch(entry["startedAt"]) is None:
        raise _ApiError("ValidationException", "startedAt must be epoch seconds or an ISO 8601 time")
    return entry


def _control(path: str, req) -> dict:
    if not isinstance(req, dict):
        raise _ApiError("ValidationException", "the body must be a JSON object")
    name = req.get("flow")
    _flow_props(name)
    meta = _flow_meta(name)
    if path.endswith("/runs"):
        meta["next"].append(_control_outcome(req))
        return {"flow": name, "queued": len(meta["next"])}
    runs = req.get("runs")
    if not isinstance(runs, list):
        raise _ApiError("ValidationException", "runs must be a list")
    now = time.time()
    added = []
    for i, entry in enumerate(runs):
        entry = _control_outcome(entry)
        seconds = float(entry.get("seconds", 1))
        started = _epoch(entry["startedAt"]) if "startedAt" in entry else now - 60 * (len(runs) - i) - seconds
        run = _new_run(entry, started)
        run["reported"] = True  # seeded history publishes no events
        added.append(run)
    meta["runs"].extend(added)
    return {"flow": name, "executionIds": [r["executionId"] for r in added]}


async def _read_body(receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


async def _send_json(send, status: int, payload, headers=()):
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), *headers]})
    await send({"type": "http.response.body", "body": json.dumps(payload, default=str).encode()})


# GET /_stub/appflow: read-only view of the stub state for tests.
# POST /_ministack/reset: clears the stub state too, then MiniStack's own.
_asgi = app.app


# SLOW_ACTIONS="DescribeChangeSet=5,..." makes those query-API actions answer after that
# many seconds: a slow endpoint, for the tests of Ctrl-C during a call in flight.
_SLOW = {}
for _entry in filter(None, __import__("os").environ.get("SLOW_ACTIONS", "").split(",")):
    _action, _, _seconds = _entry.partition("=")
    _SLOW[_action] = float(_seconds or 0)


async def _buffered(receive):
    """The request's messages, read to the end, and its body; `_replay` passes them on."""
    messages, body = [], b""
    while True:
        message = await receive()
        messages.append(message)
        body += message.get("body", b"")
        if not message.get("more_body"):
            return messages, body


def _replay(messages):
    """A receive that gives `messages` again, for MiniStack to read the request."""
    async def replay():
        return messages.pop(0) if messages else {"type": "http.disconnect"}
    return replay


async def _slowed(scope, receive):
    """The receive to pass on: the body replayed, after sleeping if its action is slow."""
    if not _SLOW or scope.get("type") != "http" or scope.get("method") != "POST":
        return receive
    import asyncio
    from urllib.parse import parse_qs
    messages, body = await _buffered(receive)
    action = (parse_qs(body.decode("utf-8", "replace")).get("Action") or [""])[0] \
        or _APPFLOW_OPS.get(scope.get("path"), "")
    if action in _SLOW:
        await asyncio.sleep(_SLOW[action])
    return _replay(messages)


async def _stack_sets(scope, receive, send):
    """Answers a StackSets action (`ministack_stacksets`); the receive to pass on when the
    request is another call, or None when it was answered."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    if (scope.get("type") != "http" or scope.get("method") != "POST" or scope.get("path") != "/"
            or "/cloudformation/aws4_request" not in headers.get("authorization", "")):
        return receive
    from urllib.parse import parse_qsl
    messages, body = await _buffered(receive)
    form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    if form.get("Action") in ministack_stacksets.ACTIONS:
        status, xml = ministack_stacksets.answer(form, headers, scope["server"][1])
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/xml")]})
        await send({"type": "http.response.body", "body": xml.encode()})
        return None
    return _replay(messages)


async def _app_with_stub_view(scope, receive, send):
    receive = await _slowed(scope, receive)
    receive = await _stack_sets(scope, receive, send)
    if receive is None:
        return
    if scope.get("type") == "http" and scope.get("path") == "/_stub/stacksets":
        body = json.dumps({"requests": ministack_stacksets.REQUESTS}).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})
        return
    if scope.get("type") == "http" and scope.get("path") == "/_stub/appflow":
        body = json.dumps(STUB_STATE.current(), default=str).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})
        return
    if (scope.get("type") == "http" and scope.get("method") == "POST"
            and scope.get("path") in ("/_stub/appflow/runs", "/_stub/appflow/history")):
        try:
            req = json.loads(await _read_body(receive) or b"null")
            await _send_json(send, 200, _control(scope["path"], req))
        except ValueError:
            await _send_json(send, 400, {"message": "The body is not JSON"})
        except _ApiError as e:
            await _send_json(send, _error_response(e.code, e.message)[0], {"message": e.message},
                             [(b"x-amzn-errortype", e.code.encode())])
        return
    if scope.get("type") == "http" and scope.get("path") == "/_ministack/reset":
        STUB_STATE.clear()
        _RUNTIME.clear()
        ministack_stacksets.reset()
    await _asgi(scope, receive, send)


app.app = _app_with_stub_view

def _exit_when_stdin_closes():
    import os
    import sys
    import threading

    def watch():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


if __name__ == "__main__":
    import os as _os

    if _os.environ.get("EXIT_ON_STDIN_EOF") == "1":
        _exit_when_stdin_closes()
    app.main()
