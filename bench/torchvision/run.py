#!/usr/bin/env python3
"""torchvision benchmark: shapelint extract (static) against real torch, per classification model.

For every default-weights classification builder of torchvision 0.14.1 listed in
shared/reference/torchvision_reference.csv: generate an entry file (gen_entries.py), get the
real-torch reference (tools/reference/tt_reference.py, reused from --reference-cache when
present), run `shapelint extract` on the same entry, compare unique_modules.json per module path
and print one row per model, then totals. Stdlib only; run with /usr/bin/python3.

    /usr/bin/python3 bench/torchvision/run.py [--models a,b,c] [--jobs N] [--json OUT]

CPU seconds are measured per child process with os.wait4() (the kernel's rusage of that child:
user + system time of all its threads, the same accounting RUSAGE_CHILDREN sums), so they stay
exact with --jobs > 1. See bench/torchvision/README.md for the columns.
"""
import argparse
import concurrent.futures
import datetime
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_entries  # noqa: E402  (stdlib-only sibling)

REPO = gen_entries.REPO
REFERENCE_SCRIPT = os.path.join("tools", "reference", "tt_reference.py")
COMPARED = ("class_name", "input_shapes", "output_shapes", "parameters")
CACHE_FILES = ("unique_modules.json", "pytorch_ops.json", "error.json")


# ---------------------------------------------------------------- processes
def run_measured(cmd, log_prefix, env=None, timeout=None):
    """Run cmd from the repo root, stdout/stderr to log_prefix.{out,err}.

    Returns {"exit_code", "wall_seconds", "cpu_seconds", "max_rss_mb", "timed_out"}; the exit
    code is negative for a signal (-9 after a timeout). Never raises for the child's failure."""
    timed_out = threading.Event()
    with open(log_prefix + ".out", "wb") as out, open(log_prefix + ".err", "wb") as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=err,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as e:
            err.write(f"cannot run {cmd[0]}: {e}\n".encode())
            return {"exit_code": 127, "wall_seconds": 0.0, "cpu_seconds": 0.0,
                    "max_rss_mb": 0.0, "timed_out": False}

        def kill():
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)     # reaped here, not by Popen
    return {"exit_code": proc.returncode, "wall_seconds": round(wall, 3),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
            "max_rss_mb": round(usage.ru_maxrss / 1024, 1), "timed_out": timed_out.is_set()}


def tail(path, n=1):
    try:
        with open(path, errors="replace") as f:
            lines = [line.rstrip() for line in f if line.strip()]
    except OSError:
        return ""
    return " | ".join(lines[-n:])


# ---------------------------------------------------------------- JSON files
def load_json(path):
    """path or path.gz, or None when neither exists."""
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rt") as f:
            return json.load(f)
    return None


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def per_path(unique_modules):
    """unique_modules.json expanded by occurrences: {module path: {compared field: value}}.

    The group's representative supplies class, shapes and parameters for every member, which
    is exactly what the file says about each of them."""
    out = {}
    for group in unique_modules.get("modules", []):
        record = {k: group.get(k) for k in COMPARED}
        for path in group.get("occurrences") or [group.get("module_path")]:
            out.setdefault(path, record)
    return out


def compare_modules(reference, static, limit=20):
    """Match torch's module paths against shapelint's (path, class, shapes, parameters)."""
    ref, got = per_path(reference), per_path(static)
    matched, mismatched, missing = 0, [], []
    for path, want in ref.items():
        have = got.get(path)
        if have is None:
            missing.append(path)
        elif have == want:
            matched += 1
        else:
            mismatched.append({"path": path, "fields": {
                k: {"torch": want[k], "shapelint": have[k]} for k in COMPARED
                if want[k] != have[k]}})
    extra = [p for p in got if p not in ref]
    return {"total": len(ref), "matched": matched, "mismatched_count": len(mismatched),
            "missing_count": len(missing), "extra_count": len(extra),
            "mismatched": mismatched[:limit], "missing": missing[:limit], "extra": extra[:limit]}


# ---------------------------------------------------------------- the two sides
def torch_env(threads):
    env = dict(os.environ)
    if threads:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = str(threads)
    return env


def reference_side(model, entry, opts):
    """Cached reference for model, running torch first when the cache has none.

    Returns {"status": ok|error|missing, "cached", "stats", "modules", "error"}."""
    final = os.path.join(opts.reference_cache, model)
    stats_path = os.path.join(final, "stats.json")
    cached = os.path.exists(stats_path) and not opts.rerun_reference
    if not cached:
        if opts.offline:
            return {"status": "missing", "cached": False, "stats": None, "modules": None,
                    "error": f"no reference in {final} (--offline)"}
        partial = final + ".partial"
        shutil.rmtree(partial, ignore_errors=True)
        os.makedirs(partial)
        rel_entry = os.path.relpath(entry, REPO)
        rel_partial = os.path.relpath(partial, REPO)
        cmd = [opts.python, REFERENCE_SCRIPT, "--model-path", rel_entry + "::load_model",
               "--inputs-path", rel_entry + "::get_inputs", "--dir", rel_partial,
               "--stats", os.path.join(rel_partial, "stats.json")]
        log = os.path.join(opts.work_dir, "logs", model + ".torch")
        run = run_measured(cmd, log, env=torch_env(opts.torch_threads),
                           timeout=opts.torch_timeout)
        stats = load_json(os.path.join(partial, "stats.json")) or {}
        stats.setdefault("exit_code", run["exit_code"])
        if run["exit_code"] != 0:
            err = load_json(os.path.join(partial, "error.json"))
            stats["error"] = (f"{err['type']}: {err['message']}" if err else
                              "timed out" if run["timed_out"] else
                              tail(log + ".err") or f"exit {run['exit_code']}")
            shutil.copy(log + ".err", os.path.join(partial, "torch.log"))
        stats["bench"] = dict(run, command=" ".join(cmd).replace(
                                  rel_partial, os.path.relpath(final, REPO)),
                              threads=opts.torch_threads or "default",
                              date=datetime.datetime.now().isoformat(timespec="seconds"))
        write_json(os.path.join(partial, "stats.json"), stats)
        if run["exit_code"] not in (0, 2, 3) or run["timed_out"]:
            # not an outcome of the model (timeout, signal, broken interpreter): keep it out of
            # the cache so the next run tries again; the files stay in the work dir
            failed = os.path.join(opts.work_dir, "failed-reference", model)
            shutil.rmtree(failed, ignore_errors=True)
            os.makedirs(os.path.dirname(failed), exist_ok=True)
            os.replace(partial, failed)
            return {"status": "error", "cached": False, "stats": stats, "modules": None,
                    "error": f"{stats['error']} (not cached; see {failed})"}
        shutil.rmtree(final, ignore_errors=True)
        os.replace(partial, final)
    stats = load_json(stats_path)
    modules = load_json(os.path.join(final, "unique_modules.json"))
    ok = stats.get("exit_code") == 0 and modules is not None
    return {"status": "ok" if ok else "error", "cached": cached, "stats": stats,
            "modules": modules, "error": None if ok else stats.get("error", "no output")}


def shapelint_side(model, entry, row, opts):
    out_dir = os.path.join(opts.work_dir, "shapelint", model)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(os.path.dirname(out_dir), exist_ok=True)   # shapelint makes one level only
    entry = os.path.relpath(entry, REPO)       # as the reference is given it (cwd = REPO)
    inputs = (["--input-shape", row["input_size"]] if opts.input_shape
              else ["--inputs-path", entry + "::get_inputs"])
    cmd = [opts.shapelint, "extract", "--model-path", entry + "::load_model", *inputs,
           "--dir", out_dir]
    log = os.path.join(opts.work_dir, "logs", model + ".shapelint")
    run = run_measured(cmd, log, timeout=opts.shapelint_timeout)
    modules = load_json(os.path.join(out_dir, "unique_modules.json"))
    diagnostics = []
    with open(log + ".out", errors="replace") as f:
        for line in f:          # FILE:LINE:COL: error[name]: message [in path]
            head, sep, rest = line.partition(": error[")
            if sep and head.count(":") >= 2:
                diagnostics.append(f"{os.path.basename(head)}: error[{rest.strip()}")
    if run["timed_out"]:
        error = f"timed out after {opts.shapelint_timeout}s"
    elif run["exit_code"] < 0:
        error = f"killed by signal {-run['exit_code']}"
    elif modules is None:
        error = tail(log + ".err").replace("shapelint: error: ", "") or \
            f"exit {run['exit_code']}, no unique_modules.json"
        error = error.replace(entry + "::", "")
    else:
        error = None
    meta = (modules or {}).get("metadata", {})
    return {"status": "ok" if error is None else "error", "run": run, "modules": modules,
            "error": error, "error_diagnostics": diagnostics,
            "total_params": meta.get("total_params"), "macs": meta.get("macs"),
            "output_dir": out_dir}


def batch_side(rows, entries, opts):
    """All models in ONE shapelint process (`extract --batch`): the packages the
    models import are parsed and executed once, which is how a user running
    shapelint over a model zoo pays for it. Returns the run's measurements."""
    out_root = os.path.join(opts.work_dir, "batch")
    os.makedirs(out_root, exist_ok=True)
    listing = os.path.join(opts.work_dir, "batch.txt")
    with open(listing, "w") as f:
        for row in rows:
            entry = os.path.relpath(entries[row["model"]], REPO)
            inputs = row["input_size"] if opts.input_shape else entry + "::get_inputs"
            f.write(f"{entry}::load_model {inputs} {os.path.join(out_root, row['model'])}\n")
    return run_measured([opts.shapelint, "extract", "--batch", listing],
                        os.path.join(opts.work_dir, "logs", "batch.shapelint"),
                        timeout=opts.shapelint_timeout)


# ---------------------------------------------------------------- formatting
def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def gmacs(macs):
    """GMACs from a MAC count; a symbolic count (a string such as "?21*?22 + 1928") prints
    as "symbolic" (the JSON keeps it whole)."""
    if is_number(macs):
        return f"{macs / 1e9:.3f}"
    return "n/a" if macs is None else "symbolic"


def num(v):
    return "n/a" if v is None else str(v) if is_number(v) else "symbolic"


def secs(v):
    return "-" if v is None else f"{v:.2f}"


def row_status(r):
    ref, sl = r["torch"], r["shapelint"]
    if ref["status"] != "ok":
        return f"torch {ref['status']}: {ref['error']}"
    if sl["status"] != "ok":
        return f"FAIL: {sl['error']}"
    if sl["error_diagnostics"]:
        n = len(sl["error_diagnostics"])
        return f"{n} error{'s' if n > 1 else ''}: {sl['error_diagnostics'][0]}"
    return "ok"


def print_table(results, out=sys.stdout, width=110):
    head = (f"{'model':<20} {'input':>7} {'modules':>9}  {'params static':>13} "
            f"{'params torch':>13} {'params CSV':>12}  {'GMACs sl':>8} {'GMACs CSV':>9}  "
            f"{'sl cpu s':>8} {'torch cpu s':>11}  status")
    print(head, file=out)
    print("-" * len(head), file=out)
    for r in results:
        cmp_ = r["modules"]
        mods = f"{cmp_['matched']}/{cmp_['total']}" if cmp_ else (
            f"-/{r['torch_total_modules']}" if r["torch_total_modules"] else "-")
        tp = r["torch_params"]
        flag = "*" if tp is not None and tp != r["csv"]["num_params"] else " "
        status = row_status(r)
        if len(status) > width:
            status = status[:width - 3] + "..."
        print(f"{r['model']:<20} {r['input']:>7} {mods:>9}  {num(r['static_params']):>13} "
              f"{num(tp):>12}{flag} {r['csv']['num_params']:>12}  "
              f"{gmacs(r['static_macs']):>8} {r['csv']['gmacs']:>9.3f}  "
              f"{secs(r['shapelint']['run']['cpu_seconds']):>8} "
              f"{secs(r['torch_cpu_seconds']):>10}{'c' if r['torch']['cached'] else ' '}  "
              f"{status}", file=out)


def totals(results):
    both = [r for r in results if r["torch"]["status"] == "ok" and
            r["torch_cpu_seconds"] is not None]
    produced = [r for r in both if r["shapelint"]["modules"] is not None]

    def ratio(rows, key):
        t = sum(r[f"torch_{key}"] for r in rows)
        s = sum(r["shapelint"]["run"][key] for r in rows)
        return {"torch": round(t, 2), "shapelint": round(s, 2),
                "ratio": round(t / s, 1) if s else None, "models": len(rows)}
    cmps = [r["modules"] for r in results if r["modules"]]
    ref_total = sum(r["torch_total_modules"] or 0 for r in results)
    return {
        "models": len(results),
        "torch_ok": sum(r["torch"]["status"] == "ok" for r in results),
        "shapelint_output": sum(r["shapelint"]["modules"] is not None for r in results),
        "shapelint_failed": sum(r["shapelint"]["status"] != "ok" for r in results),
        "shapelint_with_errors": sum(bool(r["shapelint"]["error_diagnostics"]) for r in results),
        "fully_matched": sum(c["matched"] == c["total"] and c["total"] > 0 for c in cmps),
        "modules_matched": sum(c["matched"] for c in cmps),
        "modules_total": ref_total,
        "params_equal": sum(r["static_params"] is not None and
                            r["static_params"] == r["torch_params"] for r in results),
        "params_symbolic": sum(isinstance(r["static_params"], str) for r in results),
        "cpu_all": ratio(both, "cpu_seconds"),
        "cpu_shapelint_output": ratio(produced, "cpu_seconds"),
        "wall_all": ratio(both, "wall_seconds"),
        # tt_reference's own "seconds": model build + forward + JSON, without the
        # interpreter start and `import torch` that the process times above include
        "torch_in_script_wall": round(sum(
            (r["torch"]["stats"] or {}).get("seconds") or 0 for r in both), 2),
    }


def print_totals(t, out=sys.stdout):
    print(file=out)
    print(f"models: {t['models']}; torch ok: {t['torch_ok']}; shapelint wrote output: "
          f"{t['shapelint_output']} ({t['shapelint_with_errors']} of them with error "
          f"diagnostics), failed: {t['shapelint_failed']}", file=out)
    print(f"modules matched: {t['modules_matched']}/{t['modules_total']}; models fully "
          f"matched: {t['fully_matched']}; static params equal to torch: {t['params_equal']} "
          f"(symbolic: {t['params_symbolic']})", file=out)
    for key, label in (("cpu_all", "CPU, all models torch ran"),
                       ("cpu_shapelint_output", "CPU, models where shapelint wrote output"),
                       ("wall_all", "wall, all models torch ran")):
        v = t[key]
        print(f"time ratio torch/shapelint ({label}, n={v['models']}): "
              f"{v['torch']:.2f} s / {v['shapelint']:.2f} s = " +
              (f"{v['ratio']}x" if v['ratio'] is not None else "n/a"), file=out)
    w = t["wall_all"]
    if w["shapelint"]:
        print(f"torch in-script wall (build + forward + JSON, no interpreter start or torch "
              f"import), n={w['models']}: {t['torch_in_script_wall']:.2f} s = "
              f"{t['torch_in_script_wall'] / w['shapelint']:.1f}x shapelint wall", file=out)


def print_details(results, n, out=sys.stdout):
    for r in results:
        c = r["modules"]
        if not c or c["matched"] == c["total"]:
            continue
        print(f"\n{r['model']}: {c['mismatched_count']} mismatched, {c['missing_count']} "
              f"missing, {c['extra_count']} extra", file=out)
        for m in c["mismatched"][:n]:
            print(f"  {m['path']}: " + "; ".join(
                f"{k} torch={json.dumps(v['torch'])} shapelint={json.dumps(v['shapelint'])}"
                for k, v in m["fields"].items()), file=out)
        if c["missing"]:
            print(f"  missing: {', '.join(c['missing'][:n])}", file=out)
        if c["extra"]:
            print(f"  extra: {', '.join(c['extra'][:n])}", file=out)


# ---------------------------------------------------------------- main
def snapshot_binary(opts):
    """Copy the shapelint binary into the work dir, so that a rebuild while the benchmark runs
    cannot mix two builds (or catch one half-linked). None if it cannot be copied and run."""
    snap = os.path.join(opts.work_dir, "shapelint.bin")
    try:
        mtime = datetime.datetime.fromtimestamp(os.path.getmtime(opts.shapelint))
        shutil.copy2(opts.shapelint, snap)
        version = subprocess.run([snap, "--version"], capture_output=True, text=True,
                                 timeout=60, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError) as e:
        print(f"run.py: warning: cannot use {opts.shapelint} ({e}); every shapelint row will "
              f"fail", file=sys.stderr)
        return None
    return {"path": opts.shapelint, "snapshot": snap, "version": version,
            "mtime": mtime.isoformat(timespec="seconds")}


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", help="comma-separated subset (default: all 80)")
    ap.add_argument("--jobs", type=int, default=1, help="parallel runs per phase (default 1)")
    ap.add_argument("--shapelint", default="build/analyzer/cli/shapelint",
                    help="shapelint binary (default build/analyzer/cli/shapelint)")
    ap.add_argument("--reference-cache", default="bench/torchvision/reference",
                    help="reuse <DIR>/<model>/ when it has stats.json, else run torch and "
                         "store there (default bench/torchvision/reference)")
    ap.add_argument("--rerun-reference", action="store_true",
                    help="run torch even when the cache has the model (overwrites it)")
    ap.add_argument("--offline", action="store_true",
                    help="never run torch: a model missing from the cache is a row with an error")
    ap.add_argument("--json", help="write machine-readable results here")
    ap.add_argument("--csv", default=gen_entries.DEFAULT_CSV, help="reference CSV")
    ap.add_argument("--work-dir", default="build/bench/torchvision",
                    help="entries/, shapelint/<model>/ and logs/ go here "
                         "(default build/bench/torchvision)")
    ap.add_argument("--python", default="/usr/bin/python3", help="python with torch 1.13.1")
    ap.add_argument("--torch-threads", type=int, default=1,
                    help="OMP/OPENBLAS/MKL_NUM_THREADS for torch (default 1; 0 leaves them)")
    ap.add_argument("--torch-timeout", type=float, default=3600)
    ap.add_argument("--shapelint-timeout", type=float, default=300)
    ap.add_argument("--input-shape", action="store_true",
                    help="give shapelint --input-shape <CSV size> instead of --inputs-path")
    ap.add_argument("--details", type=int, default=0, metavar="N",
                    help="after the table, print up to N mismatched modules per model")
    opts = ap.parse_args(argv)
    for name in ("shapelint", "reference_cache", "work_dir"):
        value = getattr(opts, name)
        if not os.path.isabs(value):
            setattr(opts, name, os.path.join(REPO, value))
    return opts


def main(argv=None):
    opts = parse_args(argv)
    try:
        rows = gen_entries.read_models(opts.csv, opts.models.split(",") if opts.models else None)
    except (OSError, ValueError) as e:
        print(f"run.py: {e}", file=sys.stderr)
        return 2
    os.makedirs(os.path.join(opts.work_dir, "logs"), exist_ok=True)
    binary = snapshot_binary(opts)
    os.makedirs(opts.reference_cache, exist_ok=True)
    entries = gen_entries.write_entries(rows, os.path.join(opts.work_dir, "entries"))

    def progress(phase, i, model, text):
        print(f"[{phase} {i}/{len(rows)}] {model}: {text}", file=sys.stderr, flush=True)

    def phase(name, fn):
        results = {}
        with concurrent.futures.ThreadPoolExecutor(max(1, opts.jobs)) as pool:
            futures = {pool.submit(fn, r): r["model"] for r in rows}
            for i, fut in enumerate(concurrent.futures.as_completed(futures), 1):
                model = futures[fut]
                try:
                    results[model] = fut.result()
                except Exception as e:      # a bug here must not lose the other rows
                    results[model] = {"status": "error", "error": f"run.py: {e!r}",
                                      "cached": False, "stats": None, "modules": None,
                                      "run": {"cpu_seconds": None, "wall_seconds": None},
                                      "error_diagnostics": [], "total_params": None,
                                      "macs": None}
                res = results[model]
                text = res["status"] if res["status"] == "ok" else f"{res['status']}: " \
                    f"{res['error']}"
                if name == "torch" and res.get("stats") and "bench" in res["stats"]:
                    b = res["stats"]["bench"]
                    text += f" ({'cached, ' if res['cached'] else ''}" \
                            f"{b['cpu_seconds']:.1f} s cpu, {b['max_rss_mb']:.0f} MB)"
                progress(name, i, model, text)
        return results

    refs = phase("torch", lambda r: reference_side(r["model"], entries[r["model"]], opts))
    if binary:
        opts.shapelint = binary["snapshot"]
    sls = phase("shapelint", lambda r: shapelint_side(r["model"], entries[r["model"]], r, opts))

    batch = batch_side(rows, entries, opts)

    results = []
    for row in rows:
        model, ref, sl = row["model"], refs[row["model"]], sls[row["model"]]
        bench = (ref["stats"] or {}).get("bench") or {}
        modules = compare_modules(ref["modules"], sl["modules"]) \
            if ref["modules"] is not None and sl["modules"] is not None else None
        results.append({
            "model": model, "input": row["input_size"].split("x")[-1],
            "input_size": row["input_size"], "entry": os.path.relpath(entries[model], REPO),
            "csv": {"num_params": int(row["num_params"]), "gmacs": float(row["gflops"]),
                    "notes": row["notes"]},
            "modules": modules,
            "torch_total_modules": len(per_path(ref["modules"])) if ref["modules"] else None,
            "torch_params": (ref["stats"] or {}).get("total_params"),
            "static_params": sl["total_params"], "static_macs": sl["macs"],
            "torch_cpu_seconds": bench.get("cpu_seconds"),
            "torch_wall_seconds": bench.get("wall_seconds"),
            "torch": {k: ref[k] for k in ("status", "cached", "error", "stats")},
            "shapelint": {k: sl[k] for k in ("status", "error", "error_diagnostics", "run",
                                             "total_params", "macs", "modules")},
        })
    t = totals(results)
    torch_cpu = t["cpu_all"]["torch"]
    t["cpu_batch"] = {"torch": torch_cpu, "shapelint": round(batch["cpu_seconds"] or 0, 2),
                      "ratio": round(torch_cpu / batch["cpu_seconds"], 1) if batch["cpu_seconds"] else None,
                      "models": len(rows), "exit_code": batch["exit_code"],
                      "max_rss_mb": batch.get("max_rss_mb")}
    print_table(results)
    print_totals(t)
    b = t["cpu_batch"]
    print(f"time ratio torch/shapelint (CPU, all {b['models']} models in one shapelint process, "
          f"extract --batch): {b['torch']:.2f} s / {b['shapelint']:.2f} s = "
          + (f"{b['ratio']}x" if b["ratio"] else "n/a") + f" (peak RSS {b['max_rss_mb']} MB)")
    print("(c) = torch seconds measured when the reference cache was made; * = torch params "
          "differ from the CSV (see README)")
    if opts.details:
        print_details(results, opts.details)
    if opts.json:
        for r in results:       # the JSON keeps the comparison, not the whole outputs
            r["shapelint"]["modules"] = r["shapelint"]["modules"] is not None
        write_json(opts.json, {
            "generated": datetime.datetime.now().isoformat(timespec="seconds"),
            "shapelint": binary,
            "reference_cache": opts.reference_cache, "torch_threads": opts.torch_threads,
            "cpu_time": "os.wait4 rusage per child: ru_utime + ru_stime",
            "totals": t, "models": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
