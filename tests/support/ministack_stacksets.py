"""CloudFormation StackSets for the local endpoint (MiniStack 1.5.33 has none).

Self-managed stack sets only, as the CloudFormation API reference describes them, over
MiniStack's own stacks: a stack instance is a real stack, named as the stack set, in the
instance's account and region (created, updated and deleted through the endpoint's own
CloudFormation API, signed as that account and region, so MiniStack keeps it apart as
it keeps accounts apart). Operations run in the background, one instance after
another, and report per instance as ListStackSetOperationResults does. Roles are not
checked (MiniStack runs without IAM enforcement). Service-managed stack sets
(DeploymentTargets) are refused: the tests of that model use a fake.

Actions: CreateStackSet, UpdateStackSet, DeleteStackSet, DescribeStackSet,
CreateStackInstances, UpdateStackInstances, DeleteStackInstances, ListStackInstances,
DescribeStackInstance, DescribeStackSetOperation, ListStackSetOperationResults.
Every request's form is kept, so a test can read what was sent: GET /_stub/stacksets.
"""

import asyncio
import os
import re
import urllib.parse
import urllib.request
import uuid
from xml.sax.saxutils import escape

NS = "http://cloudformation.amazonaws.com/doc/2010-05-15/"
ACTIONS = {
    "CreateStackSet", "UpdateStackSet", "DeleteStackSet", "DescribeStackSet",
    "CreateStackInstances", "UpdateStackInstances", "DeleteStackInstances",
    "ListStackInstances", "DescribeStackInstance", "DescribeStackSetOperation",
    "ListStackSetOperationResults",
}
# Every request, in order: {"Action": ..., the form's fields}.
REQUESTS: list = []
# (account, region, name) -> stack set.
_SETS: dict = {}


class _Error(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _scope(headers):
    """(access key, region) of the request's signature."""
    auth = headers.get("authorization", "")
    match = re.search(r"Credential=([^/]+)/[^/]+/([^/]+)/", auth)
    return (match.group(1), match.group(2)) if match else ("", "us-east-1")


def _account(access_key):
    if re.fullmatch(r"\d{12}", access_key or ""):
        return access_key
    return os.environ.get("MINISTACK_ACCOUNT_ID", "000000000000")


def _members(form, name):
    """`Name.member.N` values, in order."""
    found = []
    n = 1
    while f"{name}.member.{n}" in form:
        found.append(form[f"{name}.member.{n}"])
        n += 1
    return found


def _parameters(form, name, previous=None):
    """`Name.member.N.ParameterKey/ParameterValue` as a dict; `UsePreviousValue` takes the
    value from `previous`."""
    found = {}
    n = 1
    while f"{name}.member.{n}.ParameterKey" in form:
        key = form[f"{name}.member.{n}.ParameterKey"]
        if form.get(f"{name}.member.{n}.UsePreviousValue") == "true":
            found[key] = (previous or {}).get(key, "")
        else:
            found[key] = form.get(f"{name}.member.{n}.ParameterValue", "")
        n += 1
    return found


def _tags(form):
    found = {}
    n = 1
    while f"Tags.member.{n}.Key" in form:
        found[form[f"Tags.member.{n}.Key"]] = form.get(f"Tags.member.{n}.Value", "")
        n += 1
    return found


def _settings(form):
    """What a stack set keeps of CreateStackSet's and UpdateStackSet's settings."""
    return {
        "capabilities": _members(form, "Capabilities"),
        "tags": _tags(form),
        "managed": form.get("ManagedExecution.Active") == "true",
        "execution_role": form.get("ExecutionRoleName"),
        "administration_role": form.get("AdministrationRoleARN"),
    }


def _xml(action, inner):
    return (f'<{action}Response xmlns="{NS}"><{action}Result>{inner}</{action}Result>'
            f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
            f"</{action}Response>")


def _params_xml(tag, values):
    members = "".join(
        f"<member><ParameterKey>{escape(k)}</ParameterKey><ParameterValue>{escape(v)}</ParameterValue></member>"
        for k, v in sorted(values.items()))
    return f"<{tag}>{members}</{tag}>"


def _find(caller, form):
    key = (*caller, form.get("StackSetName", ""))
    stack_set = _SETS.get(key)
    if stack_set is None:
        raise _Error("StackSetNotFoundException", f"StackSet {key[2]} not found", 404)
    return stack_set


def _call(port, account, region, form):
    """One CloudFormation query call to this endpoint as `account` in `region`: the XML."""
    body = urllib.parse.urlencode({**form, "Version": "2010-05-15"}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/", data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Authorization": f"AWS4-HMAC-SHA256 Credential={account}/20260101/{region}/cloudformation/aws4_request, SignedHeaders=host, Signature=0",
    })
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode()


def _tag(xml, name):
    match = re.search(f"<{name}>(.*?)</{name}>", xml, re.S)
    return match.group(1) if match else None


async def _settle(port, account, region, stack):
    """Waits for `stack` to settle: (status or None when gone, reason)."""
    for _ in range(600):
        xml = await asyncio.to_thread(_call, port, account, region, {"Action": "DescribeStacks", "StackName": stack})
        status = _tag(xml, "StackStatus")
        if status is None:
            return None, ""
        if not status.endswith("IN_PROGRESS"):
            return status, _tag(xml, "StackStatusReason") or ""
        await asyncio.sleep(0.05)
    return "TIMED_OUT", "the stack did not settle"


async def _run(port, stack_set, operation, kind, pairs):
    """Creates, updates or deletes the stacks of `pairs`, one after another."""
    for account, region in pairs:
        result = {"Account": account, "Region": region, "Status": "RUNNING", "StatusReason": ""}
        operation["results"].append(result)
        instance = stack_set["instances"].get((account, region), {})
        name = stack_set["name"]
        if kind == "delete":
            await asyncio.to_thread(_call, port, account, region, {"Action": "DeleteStack", "StackName": name})
            status, reason = await _settle(port, account, region, name)
            ok = status is None or status == "DELETE_COMPLETE"
            if ok:
                stack_set["instances"].pop((account, region), None)
        else:
            values = {**stack_set["parameters"], **instance.get("overrides", {})}
            action = "CreateStack" if kind == "create" else "UpdateStack"
            if kind == "update":
                # A stack a failed creation rolled back cannot be updated: it is created
                # again (assumed of StackSets, which brings such an instance up to date).
                current, _ = await _settle(port, account, region, name)
                if current in (None, "ROLLBACK_COMPLETE"):
                    if current:
                        await asyncio.to_thread(_call, port, account, region, {"Action": "DeleteStack", "StackName": name})
                        await _settle(port, account, region, name)
                    action = "CreateStack"
            form = {"Action": action, "StackName": name, "TemplateBody": stack_set["template"]}
            for n, (key, value) in enumerate(sorted(values.items()), 1):
                form[f"Parameters.member.{n}.ParameterKey"] = key
                form[f"Parameters.member.{n}.ParameterValue"] = value
            for n, capability in enumerate(stack_set["capabilities"], 1):
                form[f"Capabilities.member.{n}"] = capability
            xml = await asyncio.to_thread(_call, port, account, region, form)
            error = _tag(xml, "Message")
            if error and "No updates are to be performed" in error:
                status, reason = "UPDATE_COMPLETE", ""
            elif error:
                status, reason = "FAILED", error
            else:
                status, reason = await _settle(port, account, region, name)
            ok = status in ("CREATE_COMPLETE", "UPDATE_COMPLETE")
            instance["status"] = "CURRENT" if ok else "OUTDATED"
            instance["reason"] = "" if ok else f"ResourceStatusReason: {status} {reason}"
        result["Status"] = "SUCCEEDED" if ok else "FAILED"
        result["StatusReason"] = "" if ok else f"{status}: {reason}"
    failed = any(r["Status"] == "FAILED" for r in operation["results"])
    operation["status"] = "FAILED" if failed else "SUCCEEDED"


def _start(port, stack_set, kind, pairs, form):
    operation_id = form.get("OperationId") or str(uuid.uuid4())
    operation = {"id": operation_id, "action": kind.upper(), "status": "RUNNING", "results": []}
    stack_set["operations"][operation_id] = operation
    asyncio.get_event_loop().create_task(_run(port, stack_set, operation, kind, pairs))
    return operation_id


def _handle(form, caller, port):
    action = form["Action"]
    if action == "CreateStackSet":
        key = (*caller, form["StackSetName"])
        if key in _SETS:
            raise _Error("NameAlreadyExistsException", f"StackSet {form['StackSetName']} already exists")
        if form.get("PermissionModel") == "SERVICE_MANAGED":
            raise _Error("ValidationError", "the local StackSets stub has self-managed stack sets only")
        _SETS[key] = {
            "name": form["StackSetName"], "id": f"{form['StackSetName']}:{uuid.uuid4()}",
            "template": form.get("TemplateBody", ""), "parameters": _parameters(form, "Parameters"),
            **_settings(form), "instances": {}, "operations": {},
        }
        return f"<StackSetId>{_SETS[key]['id']}</StackSetId>"
    stack_set = _find(caller, form)
    name = stack_set["name"]
    if action == "DescribeStackSet":
        capabilities = "".join(f"<member>{c}</member>" for c in stack_set["capabilities"])
        tags = "".join(f"<member><Key>{escape(k)}</Key><Value>{escape(v)}</Value></member>"
                       for k, v in sorted(stack_set["tags"].items()))
        roles = "".join(f"<{tag}>{escape(value)}</{tag}>" for tag, value in (
            ("ExecutionRoleName", stack_set["execution_role"]),
            ("AdministrationRoleARN", stack_set["administration_role"])) if value)
        return (f"<StackSet><StackSetName>{name}</StackSetName><StackSetId>{stack_set['id']}</StackSetId>"
                f"<Status>ACTIVE</Status><TemplateBody>{escape(stack_set['template'])}</TemplateBody>"
                f"{_params_xml('Parameters', stack_set['parameters'])}<PermissionModel>SELF_MANAGED</PermissionModel>"
                f"<Capabilities>{capabilities}</Capabilities><Tags>{tags}</Tags>{roles}"
                f"<ManagedExecution><Active>{str(stack_set['managed']).lower()}</Active></ManagedExecution>"
                f"</StackSet>")
    if action == "UpdateStackSet":
        stack_set["template"] = form.get("TemplateBody", stack_set["template"])
        stack_set["parameters"] = _parameters(form, "Parameters", stack_set["parameters"])
        stack_set.update(_settings(form))
        pairs = sorted(stack_set["instances"])
        return f"<OperationId>{_start(port, stack_set, 'update', pairs, form)}</OperationId>"
    if action == "DeleteStackSet":
        if stack_set["instances"]:
            raise _Error("StackSetNotEmptyException", f"StackSet {name} has stack instances")
        del _SETS[(*caller, name)]
        return ""
    if action in ("CreateStackInstances", "UpdateStackInstances", "DeleteStackInstances"):
        if any(k.startswith("DeploymentTargets") for k in form):
            raise _Error("ValidationError", "the local StackSets stub has self-managed stack sets only")
        pairs = [(a, r) for a in _members(form, "Accounts") for r in _members(form, "Regions")]
        kind = action[:6].lower()
        overrides = _parameters(form, "ParameterOverrides")
        for pair in pairs:
            if kind == "create":
                stack_set["instances"].setdefault(pair, {"overrides": overrides, "status": "OUTDATED", "reason": ""})
            elif kind == "update":
                if pair not in stack_set["instances"]:
                    raise _Error("StackInstanceNotFoundException", f"no stack instance {pair}")
                stack_set["instances"][pair]["overrides"] = overrides
        return f"<OperationId>{_start(port, stack_set, kind, pairs, form)}</OperationId>"
    if action == "ListStackInstances":
        members = "".join(
            f"<member><StackSetId>{stack_set['id']}</StackSetId><Account>{a}</Account><Region>{r}</Region>"
            f"<Status>{i['status']}</Status><StatusReason>{escape(i['reason'])}</StatusReason></member>"
            for (a, r), i in sorted(stack_set["instances"].items()))
        return f"<Summaries>{members}</Summaries>"
    if action == "DescribeStackInstance":
        pair = (form.get("StackInstanceAccount"), form.get("StackInstanceRegion"))
        instance = stack_set["instances"].get(pair)
        if instance is None:
            raise _Error("StackInstanceNotFoundException", f"no stack instance {pair}", 404)
        return (f"<StackInstance><Account>{pair[0]}</Account><Region>{pair[1]}</Region>"
                f"<Status>{instance['status']}</Status>{_params_xml('ParameterOverrides', instance['overrides'])}"
                f"</StackInstance>")
    operation = stack_set["operations"].get(form.get("OperationId"))
    if operation is None:
        raise _Error("OperationNotFoundException", f"no operation {form.get('OperationId')}", 404)
    if action == "DescribeStackSetOperation":
        return (f"<StackSetOperation><OperationId>{operation['id']}</OperationId><Action>{operation['action']}</Action>"
                f"<Status>{operation['status']}</Status></StackSetOperation>")
    members = "".join(
        f"<member><Account>{r['Account']}</Account><Region>{r['Region']}</Region><Status>{r['Status']}</Status>"
        f"<StatusReason>{escape(r['StatusReason'])}</StatusReason></member>"
        for r in operation["results"])
    return f"<Summaries>{members}</Summaries>"


def answer(form, headers, port):
    """(status, XML body) of a StackSets action."""
    REQUESTS.append(dict(form))
    key, region = _scope(headers)
    caller = (_account(key), region)
    try:
        return 200, _xml(form["Action"], _handle(form, caller, port))
    except _Error as error:
        return error.status, (f'<ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type><Code>{error.code}</Code>'
                              f"<Message>{escape(error.message)}</Message></Error>"
                              f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>")


def reset():
    REQUESTS.clear()
    _SETS.clear()
