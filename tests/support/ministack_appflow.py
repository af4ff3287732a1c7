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

The stubs keep each resource's resolved Properties in STUB_STATE, served
read-only at GET /_stub/appflow (JSON) so a test can check what a template
deployed; POST /_ministack/reset clears it with MiniStack's own state.

Usage: BIND_HOST=127.0.0.1 GATEWAY_PORT=4566 python ministack_appflow.py
(every other MiniStack environment variable works as for `ministack`).

With EXIT_ON_STDIN_EOF=1 the server exits when its standard input closes: the Rust test
harness holds the other end of that pipe, so the server never outlives the test process,
even one that is killed.

Vendored from shared/reference/LOCAL-CLOUDFORMATION.md §11 for flowform's deploy tests;
it reaches into MiniStack internals, so ministack stays pinned (1.5.33, in .ci/run and
tests/support/local_cfn.rs).
"""
import json
import re

import ministack.app as app
from ministack.services.cloudformation import changesets as cfn_changesets
from ministack.services.cloudformation import engine as cfn_engine
from ministack.services.cloudformation import handlers as cfn_handlers
import ministack.services.s3 as s3
import ministack.services.secretsmanager as sm
from ministack.core.responses import get_account_id, get_region
from ministack.services.cloudformation import provisioners as prov

STUB_STATE: dict = {"flows": {}, "connector_profiles": {}, "partner_event_sources": {}}


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
    return name, _profile_attrs(name)


def _profile_update(physical_id, old_props, new_props, stack_name):
    STUB_STATE["connector_profiles"][physical_id] = new_props
    return physical_id, _profile_attrs(physical_id)


def _profile_delete(physical_id, props):
    STUB_STATE["connector_profiles"].pop(physical_id, None)


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
    return name, {"FlowArn": _arn("flow", name)}


def _flow_update(physical_id, old_props, new_props, stack_name):
    _check_flow(new_props)
    _check_activation(physical_id, new_props)
    STUB_STATE["flows"][physical_id] = new_props
    return physical_id, {"FlowArn": _arn("flow", physical_id)}


def _flow_delete(physical_id, props):
    STUB_STATE["flows"].pop(physical_id, None)
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

# GET /_stub/appflow: read-only view of the stub state for tests.
# POST /_ministack/reset: clears the stub state too, then MiniStack's own.
_asgi = app.app


# SLOW_ACTIONS="DescribeChangeSet=5,..." makes those query-API actions answer after that
# many seconds: a slow endpoint, for the tests of Ctrl-C during a call in flight.
_SLOW = {}
for _entry in filter(None, __import__("os").environ.get("SLOW_ACTIONS", "").split(",")):
    _action, _, _seconds = _entry.partition("=")
    _SLOW[_action] = float(_seconds or 0)


async def _slowed(scope, receive):
    """The receive to pass on: the body replayed, after sleeping if its action is slow."""
    if not _SLOW or scope.get("type") != "http" or scope.get("method") != "POST":
        return receive
    import asyncio
    from urllib.parse import parse_qs
    messages, body = [], b""
    while True:
        message = await receive()
        messages.append(message)
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    action = (parse_qs(body.decode("utf-8", "replace")).get("Action") or [""])[0]
    if action in _SLOW:
        await asyncio.sleep(_SLOW[action])

    async def replay():
        return messages.pop(0) if messages else {"type": "http.disconnect"}
    return replay


async def _app_with_stub_view(scope, receive, send):
    receive = await _slowed(scope, receive)
    if scope.get("type") == "http" and scope.get("path") == "/_stub/appflow":
        body = json.dumps(STUB_STATE, default=str).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})
        return
    if scope.get("type") == "http" and scope.get("path") == "/_ministack/reset":
        STUB_STATE["flows"].clear()
        STUB_STATE["connector_profiles"].clear()
        STUB_STATE["partner_event_sources"].clear()
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
