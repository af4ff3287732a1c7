#!/usr/bin/env python3
"""Checks schema/flowform.schema.json, the JSON Schema editors use for flow files.

Every example must validate against it, and it must still catch at least as many of the
bad inputs in tests/ui/ as it did when this floor was set (each one a TOML file flowform
rejects; files TOML itself cannot parse are the parser's business, not the schema's).
Usage: check-format-schema.py [MIN_CAUGHT]
"""
import datetime
import glob
import json
import sys
import tomllib

import jsonschema

MIN_CAUGHT = int(sys.argv[1]) if len(sys.argv) > 1 else 31


def as_json(value):
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    return value


validator = jsonschema.Draft202012Validator(json.load(open("schema/flowform.schema.json")))
failed = False
for path in sorted(glob.glob("examples/*.toml")):
    errors = list(validator.iter_errors(as_json(tomllib.load(open(path, "rb")))))
    for error in errors:
        print(f"{path}: {error.json_path}: {error.message}", file=sys.stderr)
    failed |= bool(errors)

caught, parsed = [], 0
for path in sorted(glob.glob("tests/ui/*.toml")):
    try:
        document = tomllib.load(open(path, "rb"))
    except tomllib.TOMLDecodeError:
        continue
    parsed += 1
    if any(True for _ in validator.iter_errors(as_json(document))):
        caught.append(path)
print(f"the JSON Schema catches {len(caught)} of the {parsed} parseable UI cases (floor {MIN_CAUGHT})")
if len(caught) < MIN_CAUGHT:
    print("the JSON Schema catches fewer bad inputs than it did: see what changed", file=sys.stderr)
    failed = True
sys.exit(1 if failed else 0)
