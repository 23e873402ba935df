#!/usr/bin/env bash
# cli_test.sh: the command line on bad input and its exit statuses. Each case
# asserts the exit status and a message; none may crash (the sanitizer build
# runs this too, and a sanitizer report fails the run).
set -u
BIN=$1
DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$DIR/../.." && pwd)
cd "$ROOT"
pass=0
fail=0
expect() {  # expect NAME STATUS PATTERN -- command...
  local name=$1 want=$2 pattern=$3
  shift 4
  local out status
  out=$("$@" 2>&1)
  status=$?
  if [ "$status" -eq "$want" ] && grep -qE -- "$pattern" <<<"$out" && ! grep -q "Sanitizer" <<<"$out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $name: status $status (want $want), output:"
    echo "$out" | head -20
  fi
}
expect "clean model" 0 "checked 1 file: 0 errors" -- "$BIN" check fixtures/seeds/s004_mlp_seq.py
expect "failing model" 1 "error\[shape-mismatch\]" -- "$BIN" check fixtures/seeds/s001_conv_view_mismatch.py
expect "syntax error" 1 "syntax_error.py:4:.*error\[syntax-error\]" -- "$BIN" check tests/cli/syntax_error.py
expect "not utf-8" 1 "latin1.py:2:.*error\[syntax-error\]: file is not valid UTF-8" -- "$BIN" check tests/cli/latin1.py
expect "empty file" 0 "checked 1 file: 0 errors, 0 warnings" -- "$BIN" check tests/cli/empty.py
expect "missing path" 2 "no/such/file.py: cannot read file" -- "$BIN" check no/such/file.py
expect "missing path does not stop the others" 2 "error\[shape-mismatch\]" -- \
  "$BIN" check no/such/file.py fixtures/seeds/s001_conv_view_mismatch.py
expect "code that recurses and loops forever" 0 "checked 1 file: 0 errors, 0 warnings" -- "$BIN" check tests/cli/hostile.py
expect "deeply nested code" 0 "nesting deeper than 400 levels" -- "$BIN" check tests/cli/deep.py
# pyproject.toml [tool.shapelint] (tests/cli/project): python-path, ignore, input-shapes.
expect "pyproject config: python-path + input-shapes make a definite error" 1 \
  "model.py:16:16: error\[shape-mismatch\]: .fc. \(Linear\) expects in_features = 1024 but gets 784" -- \
  "$BIN" check tests/cli/project/model.py
expect "pyproject config: ignored rule is silent" 1 "checked 1 file: 1 error, 0 warnings, 0 notes" -- \
  "$BIN" check tests/cli/project/model.py
expect "--config replaces the nearest pyproject.toml" 1 "warning\[unused-submodule\].*self.drop" -- \
  "$BIN" check --config /dev/null tests/cli/project/model.py
printf '[tool.shapelint]\nignore = ["no-such-rule"]\n' > "${TMPDIR:-/tmp}/shapelint_cfg_$$.toml"
expect "config naming an unknown rule" 2 "unknown rule 'no-such-rule'" -- \
  "$BIN" check --config "${TMPDIR:-/tmp}/shapelint_cfg_$$.toml" tests/cli/project/model.py
printf '[tool.shapelint\n' > "${TMPDIR:-/tmp}/shapelint_cfg_$$.toml"
expect "config that is not TOML" 2 "shapelint_cfg_$$.toml:1:.*invalid TOML" -- \
  "$BIN" check --config "${TMPDIR:-/tmp}/shapelint_cfg_$$.toml" tests/cli/project/model.py
rm -f "${TMPDIR:-/tmp}/shapelint_cfg_$$.toml"
expect "bad flag" 2 "unknown flag --frobnicate" -- "$BIN" check --frobnicate x.py
expect "json format" 1 '"name": "shape-mismatch"' -- "$BIN" check --format json fixtures/seeds/s001_conv_view_mismatch.py
expect "sarif format" 1 '"ruleId": "shape-mismatch"' -- "$BIN" check --format sarif fixtures/seeds/s001_conv_view_mismatch.py
expect "sarif is SARIF 2.1.0 with rules and locations" 0 "sarif ok" -- bash -c "'$BIN' check --format sarif fixtures/seeds/s001_conv_view_mismatch.py fixtures/seeds/s001_unused_weight.py | python3 -c \"
import json, sys
d = json.load(sys.stdin)
assert d['version'] == '2.1.0'
run = d['runs'][0]
rules = [r['id'] for r in run['tool']['driver']['rules']]
assert rules == ['shape-mismatch', 'unused-parameter'], rules
for r in run['results']:
    assert r['level'] in ('error', 'warning', 'note')
    assert rules[r['ruleIndex']] == r['ruleId']
    region = r['locations'][0]['physicalLocation']['region']
    assert region['startLine'] > 0 and region['startColumn'] > 0
print('sarif ok')\""
expect "explain" 0 "SL102 shape-mismatch" -- "$BIN" --explain shape-mismatch
expect "extract" 0 "wrote .*unique_modules.json \(7 modules, 5 unique\)" -- "$BIN" extract \
  --model-path fixtures/seeds/s004_conv_bn_relu_seq.py::load_model \
  --inputs-path fixtures/seeds/s004_conv_bn_relu_seq.py::get_inputs --dir "${TMPDIR:-/tmp}/shapelint_cli_test"
expect "extract input shape" 0 "wrote" -- "$BIN" extract --model-path fixtures/seeds/s004_mlp_seq.py::load_model \
  --input-shape Bx10 --dir "${TMPDIR:-/tmp}/shapelint_cli_test2"
expect "extract missing fn" 2 "defines no function 'nope'" -- "$BIN" extract \
  --model-path fixtures/seeds/s004_mlp_seq.py::nope --input-shape 1x10
expect "docs/rules.md is generated from the registry" 0 "^$" -- \
  bash -c "diff <('$BIN' --rules-markdown) docs/rules.md"
expect "docs/supported-api.md is generated from the registry" 0 "^$" -- \
  bash -c "diff <('$BIN' --supported-api-markdown) docs/supported-api.md"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
