#!/usr/bin/env python3
"""flowform and the reference library (@cdklabs/cdk-appflow) side by side, in one run,
synthesizing the same flows: N Salesforce -> S3 flows with a map-all, a filter, a mask and
a validation, sharing one profile and one bucket (scripts/flows.py N for flowform,
benches/cdk-appflow/synth.js N for the CDK).

For each N it reports the whole-process wall time (median of the runs) and peak RSS of
`flowform synth` and of `node synth.js`, and what each produced (stacks, resources, or
the error that stopped it). Installs the pinned npm packages on first use.

Usage: scripts/bench-vs-cdk.py [N ...]   (default: 1 10 100 490 1000 10000)
Needs: the shipped build (cargo build --profile dist), Node.js with npm, /usr/bin/time.
"""
import json
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
CDK = ROOT / "benches" / "cdk-appflow"
FLOWFORM = ROOT / "target" / "dist" / "flowform"
RUNS = 3


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


def bench(count, work):
    toml = work / f"flows-{count}.toml"
    toml.write_text(subprocess.run(
        [sys.executable, ROOT / "scripts" / "flows.py", str(count)],
        check=True, capture_output=True, text=True).stdout)
    row = {"n": count}
    for name, command, out in [
        ("flowform", [FLOWFORM, "synth", "--color", "never", toml, "-o", work / f"ff-{count}"], work / f"ff-{count}"),
        ("cdk", ["node", CDK / "synth.js", str(count), work / f"cdk-{count}"], work / f"cdk-{count}"),
    ]:
        runs = []
        for _ in range(RUNS):
            (work / f"flows-{count}.lock").unlink(missing_ok=True)
            # Every run writes into an empty directory (flowform leaves unchanged files alone).
            shutil.rmtree(out, ignore_errors=True)
            ok, seconds, rss, stderr = measure([str(part) for part in command], cwd=CDK if name == "cdk" else ROOT)
            runs.append((seconds, rss))
            if not ok:
                break
        row[name] = {
            "ok": ok,
            "seconds": statistics.median(s for s, _ in runs),
            "rss": max(r for _, r in runs),
            "result": "%d stacks, %d resources" % templates(out) if ok else first_error(stderr),
        }
    return row


def main():
    counts = [int(n) for n in sys.argv[1:]] or [1, 10, 100, 490, 1000, 10000]
    if not FLOWFORM.exists():
        sys.exit("build flowform first: cargo build --profile dist")
    if not (CDK / "node_modules" / "@cdklabs" / "cdk-appflow").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=CDK, check=True)
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"flowform (dist profile) vs @cdklabs/cdk-appflow 0.0.31 on aws-cdk-lib 2.276.0, node {node}; "
          f"median of {RUNS} runs")
    print()
    print("| N flows | flowform | flowform RSS | cdk-appflow | cdk-appflow RSS | speed-up | flowform output | cdk-appflow output |")
    print("|---:|---:|---:|---:|---:|---:|---|---|")
    with tempfile.TemporaryDirectory() as directory:
        for count in counts:
            row = bench(count, pathlib.Path(directory))
            ff, cdk = row["flowform"], row["cdk"]
            speedup = f"{cdk['seconds'] / max(ff['seconds'], 0.001):.0f}×" if cdk["ok"] and ff["ok"] else "–"
            cdk_time = f"{cdk['seconds']:.2f} s" if cdk["ok"] else f"fails after {cdk['seconds']:.2f} s"
            print(f"| {count:,} | {ff['seconds']:.3f} s | {ff['rss']:.0f} MB | {cdk_time} | {cdk['rss']:.0f} MB "
                  f"| {speedup} | {ff['result']} | {cdk['result']} |", flush=True)


if __name__ == "__main__":
    main()
