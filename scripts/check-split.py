#!/usr/bin/env python3
"""Checks every template in a directory against CloudFormation's quotas and that every
Fn::ImportValue names an export of a template in the same directory.
Usage: scripts/check-split.py DIR"""
import json, pathlib, sys

templates = {p: json.loads(p.read_text()) for p in sorted(pathlib.Path(sys.argv[1]).glob("*.template.json"))}
exports = {o["Export"]["Name"] for t in templates.values() for o in t.get("Outputs", {}).values() if "Export" in o}
problems = []
def imports(node):
    if isinstance(node, dict):
        if set(node) == {"Fn::ImportValue"}:
            yield node["Fn::ImportValue"]
        for value in node.values():
            yield from imports(value)
    elif isinstance(node, list):
        for value in node:
            yield from imports(value)
for path, t in templates.items():
    size = path.stat().st_size
    for what, count, limit in [("resources", len(t["Resources"]), 500), ("outputs", len(t.get("Outputs", {})), 200),
                               ("parameters", len(t.get("Parameters", {})), 200), ("bytes", size, 1_048_576)]:
        if count > limit:
            problems.append(f"{path.name}: {count} {what} > {limit}")
    problems += [f"{path.name}: imports {i}, which no template exports" for i in imports(t) if i not in exports]
print(f"{len(templates)} templates checked against the quotas, {len(exports)} exports")
if problems:
    print("\n".join(problems))
    sys.exit(1)
