#!/usr/bin/env python3
"""torchvision_floor: keeps the torchvision benchmark from regressing.

Runs bench/torchvision/run.py offline (torch answers from the committed
reference cache, so no torch run is needed), then compares the totals with
the floor checked in at bench/torchvision/floor.json. Raise the floor when
shapelint improves; this test fails when a number drops below it.

usage: torchvision_floor.py SHAPELINT_BINARY WORK_DIR
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    shapelint, work = sys.argv[1], sys.argv[2]
    out = os.path.join(work, "results.json")
    run = subprocess.run([sys.executable, os.path.join(ROOT, "bench/torchvision/run.py"), "--offline",
                          "--shapelint", shapelint, "--work-dir", work, "--json", out, "--jobs", "2"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if run.returncode != 0:
        print(run.stdout[-3000:])
        print(f"bench/torchvision/run.py exited {run.returncode}")
        return 1
    results = json.load(open(out))
    totals = results["totals"]
    within = 0
    for row in results["models"]:
        macs = (row.get("shapelint") or {}).get("macs")
        gflops = (row.get("csv") or {}).get("gmacs")
        if isinstance(macs, int) and gflops:
            if abs(macs / 1e9 - float(gflops)) <= 0.005 * float(gflops) + 0.0005:
                within += 1
    measured = {
        "models_fully_matched": totals["fully_matched"],
        "modules_matched": totals["modules_matched"],
        "params_equal_torch": totals["params_equal"],
        "gmacs_within_half_percent": within,
        "models_with_error_diagnostics": totals["shapelint_with_errors"],
        "models_failed": totals["shapelint_failed"],
    }
    floor = json.load(open(os.path.join(ROOT, "bench/torchvision/floor.json")))
    failures = []
    for key, value in measured.items():
        bound = floor[key]
        worse = value > bound if key in ("models_with_error_diagnostics", "models_failed") else value < bound
        print(f"{key}: {value} (floor {bound})")
        if worse:
            failures.append(key)
    print(f"{len(measured) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
