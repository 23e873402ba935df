#!/bin/sh
# Regenerate the real-torch goldens: for every fixtures/**/*.py defining load_model(),
# write fixtures/.../<name>.torch/{unique_modules,pytorch_ops}.json, or error.json when
# the forward raises.  Paths are passed relative to the repo root, so
# metadata.load_fn_location reads "fixtures/seeds/<name>.py:load_model".
# Timestamps differ on every run; everything else is deterministic.
set -eu
cd "$(dirname "$0")/../.."
PY=${PYTHON:-/usr/bin/python3}
status=0
for f in $(find fixtures -name '*.py' | sort); do
    grep -q '^def load_model' "$f" || continue
    out="${f%.py}.torch"
    rm -rf "$out"
    rc=0
    "$PY" tools/reference/tt_reference.py --model-path "$f::load_model" \
        --inputs-path "$f::get_inputs" --dir "$out" >/dev/null 2>"$out.log" || rc=$?
    case $rc in
        0) echo "ok     $f" ;;
        3) echo "error  $f ($(sed -n 's/.*"line": \(.*\)/line \1/p' "$out/error.json"))" ;;
        *) echo "FAILED $f (exit $rc)"; cat "$out.log"; status=1 ;;
    esac
    rm -f "$out.log"
done
exit $status
