#!/usr/bin/env python3
"""flowform and the reference library (@cdklabs/cdk-appflow) side by side, in one run,
synthesizing the same flows: N Salesforce -> S3 flows with a map-all, a filter, a mask and
a validation, sharing one profile and one bucket (scripts/flows.py N for flowform;
benches/cdk-appflow/synth.js N and synth-lean.js N for the CDK).

The CDK runs twice over: as users typically run it (synth.js: a plain `new App()`, so it
records construct creation stack traces, writes tree.json and runs the built-in
CloudFormation validation), and at its best (synth-lean.js: the same constructs in an App
set up the way cdk-appflow's integration snapshots are made: no tree, path or asset
metadata, no version reporting, no stack traces, no built-in validation; synth-lean.js
says where each setting comes from). Both must write the same Resources (Metadata and
AWS::CDK::Metadata aside); the script checks and says so.

For each N it reports the whole-process wall time (median of the runs, the three programs
taking turns so a change of load hits all three alike) and peak RSS of `flowform synth`
and of each `node synth*.js`, what each produced (stacks, resources, or the error that
stopped it), and the 1-minute load average before and after the row. Installs the pinned
npm packages on first use.

Usage: scripts/bench-vs-cdk.py [N ...]   (default: 1 10 100 490 1000 10000)
Environment: FLOWFORM_BIN, the flowform to run (default target/dist/flowform);
BENCH_RUNS, runs per program and N (default 5 up to N = 10, 3 above).
Needs: the shipped build (cargo build --profile dist), Node.js with npm, /usr/bin/time.
"""
import datetime
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
CDK = ROOT / "benches" / "cdk-appflow"
FLOWFORM = pathlib.Path(os.environ.get("FLOWFORM_BIN") or ROOT / "target" / "dist" / "flowform")
PROGRAMS = ["flowform", "cdk", "lean"]


def runs_for(count):
    return int(os.environ["BENCH_RUNS"]) if os.environ.get("BENCH_RUNS") else 5 if count <= 10 else 3


def measure(command, cwd=None):
    """(ok, seconds, peak RSS MB, stderr) of one run; /usr/bin/time reads the RSS."""
    with tempfile.NamedTemporaryFile("r") as report:
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-o", report.name, "-f", "%M", *command],
            cwd=cwd, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        kilobytes = report.read().split()[-1]
    return done.returncode == 0, seconds, int(kilobytes) / 1024, done.stderr


def first_error(stderr):
    """The error message of a failed run, on one line."""
    import re
    found = re.search(r"\[«\w+» ([^:\n]+: [^:\n]+)", stderr) or re.search(r"\n(\w*Error: [^\n]{0,160})", stderr)
    return found.group(1) if found else "failed"


def templates(directory):
    found = sorted(pathlib.Path(directory).glob("*.template.json"))
    resources = sum(len(json.loads(t.read_text()).get("Resources", {})) for t in found)
    return len(found), resources


def resources(directory):
    """Every template's Resources, without Metadata entries and AWS::CDK::Metadata."""
    found = {}
    for template in sorted(pathlib.Path(directory).glob("*.template.json")):
        for name, resource in json.loads(template.read_text()).get("Resources", {}).items():
            if resource.get("Type") != "AWS::CDK::Metadata":
                found[template.name, name] = {k: v for k, v in resource.items() if k != "Metadata"}
    return found


def version(package, *within):
    """An installed npm package's version (looked up under `within` first, as npm nests)."""
    for place in [*within, ""]:
        found = CDK / "node_modules" / place / ("node_modules" if place else "") / package / "package.json"
        if found.exists():
            return json.loads(found.read_text())["version"]
    return "?"


def bench(count, work):
    toml = work / f"flows-{count}.toml"
    toml.write_text(subprocess.run(
        [sys.executable, ROOT / "scripts" / "flows.py", str(count)],
        check=True, capture_output=True, text=True).stdout)
    commands = {
        "flowform": ([FLOWFORM, "synth", "--color", "never", toml, "-o", work / f"ff-{count}"], ROOT),
        "cdk": (["node", CDK / "synth.js", str(count), work / f"cdk-{count}"], CDK),
        "lean": (["node", CDK / "synth-lean.js", str(count), work / f"lean-{count}"], CDK),
    }
    row = {"n": count, "load": [os.getloadavg()[0]]}
    runs = {name: [] for name in PROGRAMS}
    failed = {}
    for _ in range(runs_for(count)):
        # The programs take turns, so a change of load on the machine hits all three alike.
        for name in PROGRAMS:
            if name in failed:
                continue
            command, cwd = commands[name]
            out = command[-1]
            (work / f"flows-{count}.lock").unlink(missing_ok=True)
            # Every run writes into an empty directory (flowform leaves unchanged files alone).
            shutil.rmtree(out, ignore_errors=True)
            ok, seconds, rss, stderr = measure([str(part) for part in command], cwd=cwd)
            runs[name].append((seconds, rss))
            if not ok:
                failed[name] = stderr
    row["load"].append(os.getloadavg()[0])
    for name in PROGRAMS:
        out = commands[name][0][-1]
        row[name] = {
            "ok": name not in failed,
            "seconds": statistics.median(s for s, _ in runs[name]),
            "rss": max(r for _, r in runs[name]),
            "result": first_error(failed[name]) if name in failed else "%d stacks, %d resources" % templates(out),
        }
    if "cdk" not in failed and "lean" not in failed:
        typical, lean = resources(work / f"cdk-{count}"), resources(work / f"lean-{count}")
        row["same"] = typical == lean or sorted(
            set(typical) ^ set(lean) | {key for key in set(typical) & set(lean) if typical[key] != lean[key]})
    return row


def main():
    counts = [int(n) for n in sys.argv[1:]] or [1, 10, 100, 490, 1000, 10000]
    if not FLOWFORM.exists():
        sys.exit(f"build flowform first: cargo build --profile dist (or point FLOWFORM_BIN at one; no {FLOWFORM})")
    if not (CDK / "node_modules" / "@cdklabs" / "cdk-appflow").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=CDK, check=True)
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    started = datetime.datetime.now(datetime.timezone.utc)
    print(f"{started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, niceness {os.nice(0)}; flowform {FLOWFORM} vs "
          f"@cdklabs/cdk-appflow {version('@cdklabs/cdk-appflow')} on aws-cdk-lib {version('aws-cdk-lib')} "
          f"(@aws/cloudformation-validate {version('@aws/cloudformation-validate', 'aws-cdk-lib')}), "
          f"constructs {version('constructs')}, node {node}; median of {runs_for(1)} runs up to N = 10, "
          f"of {runs_for(11)} above; load averages {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    print()
    print("| N flows | flowform | flowform RSS | cdk-appflow | cdk-appflow RSS | speed-up | cdk-appflow lean "
          "| lean RSS | speed-up (lean) | flowform output | cdk-appflow output | load (1 min) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|")
    same = []
    with tempfile.TemporaryDirectory() as directory:
        for count in counts:
            row = bench(count, pathlib.Path(directory))
            ff = row["flowform"]
            cells = []
            for name in ["cdk", "lean"]:
                cdk = row[name]
                speedup = f"{cdk['seconds'] / max(ff['seconds'], 0.001):.0f}×" if cdk["ok"] and ff["ok"] else "–"
                cdk_time = f"{cdk['seconds']:.2f} s" if cdk["ok"] else f"fails after {cdk['seconds']:.2f} s"
                cells.append(f"{cdk_time} | {cdk['rss']:.0f} MB | {speedup}")
            result = row["cdk"]["result"]
            if row["lean"]["result"] != result:
                result = f"{result}; lean: {row['lean']['result']}"
            if "same" in row:
                same.append((count, row["same"]))
            print(f"| {count:,} | {ff['seconds']:.3f} s | {ff['rss']:.0f} MB | {cells[0]} | {cells[1]} "
                  f"| {ff['result']} | {result} | {row['load'][0]:.2f} → {row['load'][1]:.2f} |", flush=True)
    print()
    print(f"load averages at the end: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    for count, verdict in same:
        print(f"N = {count:,}: typical and lean cdk-appflow wrote "
              + ("the same Resources" if verdict is True else f"different Resources: {verdict[:5]}"))


if __name__ == "__main__":
    main()
