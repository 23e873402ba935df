#!/usr/bin/env bash
# precommit_test.sh SHAPELINT REPO_ROOT: the repository's .pre-commit-hooks.yaml
# driven by the real `pre-commit` tool (Debian's package) in a throwaway git
# repository, offline.
#
# pre-commit clones the hook repository at a commit, so an uncommitted
# .pre-commit-hooks.yaml in REPO_ROOT would be invisible to it: the working
# tree's file is committed into a temporary hook repository, which the
# project's .pre-commit-config.yaml names as `repo:` (the same file, as
# pre-commit reads it from a clone of this repository). language: system
# installs nothing: the shapelint binary's folder is put on PATH.
#
# (a) a commit of a model whose nn.Linear is fed a wrongly sized flatten is
#     blocked and shows the diagnostic; (b) once fixed it goes through; (c) a
#     commit of a non-Python file does not run the hook.
set -u
if [ $# -ne 2 ]; then
  echo "usage: $0 SHAPELINT REPO_ROOT" >&2
  exit 2
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$2" && pwd)

PC_BIN=/usr/bin/pre-commit
[ -x "$PC_BIN" ] || PC_BIN=$(command -v pre-commit || true)
if [ -z "$PC_BIN" ] || ! command -v git >/dev/null 2>&1; then
  echo "FAIL: needs git and pre-commit (apt-get install pre-commit git; ./setup.sh installs them)"
  echo "0 passed, 1 failed"
  exit 1
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/shapelint_precommit.XXXXXX")
trap 'rm -rf "$T"' EXIT

# Nothing of the caller's git or pre-commit setup leaks in (this may itself run
# inside a git hook), and nothing is written outside $T.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES \
  GIT_CONFIG GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT GIT_PREFIX GIT_NAMESPACE GIT_COMMON_DIR \
  PRE_COMMIT PRE_COMMIT_CONFIG SKIP
export HOME=$T/home XDG_CONFIG_HOME=$T/home/.config XDG_CACHE_HOME=$T/home/.cache
export PRE_COMMIT_HOME=$T/pre-commit-home
export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
export PATH="$(dirname "$BIN"):$PATH"
mkdir -p "$HOME" "$PRE_COMMIT_HOME"

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() {  # bad NAME OUTPUT
  fail=$((fail + 1))
  echo "FAIL: $1, output:"
  echo "$2" | tail -40
}
gitq() { git -c init.defaultBranch=main "$@" >/dev/null 2>&1; }

# The manifest itself, as pre-commit parses it.
if out=$("$PC_BIN" validate-manifest "$ROOT/.pre-commit-hooks.yaml" 2>&1); then
  ok "validate-manifest .pre-commit-hooks.yaml"
else
  bad "validate-manifest .pre-commit-hooks.yaml" "$out"
fi

# The hook repository: the working tree's .pre-commit-hooks.yaml, committed.
HOOKS=$T/hooks-repo
mkdir -p "$HOOKS"
cp "$ROOT/.pre-commit-hooks.yaml" "$HOOKS/"
(cd "$HOOKS" && gitq init && git config user.name test && git config user.email test@example.invalid &&
  gitq add .pre-commit-hooks.yaml && gitq commit -m hooks) || { bad "hook repository" "git failed"; exit 1; }
REV=$(git -C "$HOOKS" rev-parse HEAD)

# The project that uses the hook.
P=$T/project
mkdir -p "$P"
cd "$P" || exit 1
gitq init && git config user.name test && git config user.email test@example.invalid
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $HOOKS
    rev: $REV
    hooks:
      - id: shapelint
EOF
if ! out=$("$PC_BIN" install 2>&1); then
  bad "pre-commit install" "$out"
  exit 1
fi
gitq add .pre-commit-config.yaml
if out=$(git commit -m config 2>&1); then ok "commit of the config alone"; else bad "commit of the config alone" "$out"; fi

# conv to 16 channels on 32x32, pool -> 16x16x16, flatten: 4096 features, but
# nn.Linear is sized for 8x8 maps (1024).
write_model() {  # write_model IN_FEATURES
  cat >model.py <<EOF
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc = nn.Linear($1, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv(x)))
        x = torch.flatten(x, 1)
        return self.fc(x)


def load_model():
    return Net()


def get_inputs():
    return torch.randn(1, 3, 32, 32)


if __name__ == "__main__":
    model = load_model()
    model(get_inputs())
EOF
}

# (a) blocked, with the diagnostic.
write_model "16 * 8 * 8"
gitq add model.py
out=$(git commit -m "broken model" 2>&1)
status=$?
if [ "$status" -ne 0 ] && grep -qE "model\.py:[0-9]+:[0-9]+: error\[(shape-mismatch|view-size-mismatch)\]" <<<"$out" &&
  grep -q "shapelint (PyTorch shape check).*Failed" <<<"$out" && ! grep -q "Sanitizer" <<<"$out" &&
  [ -z "$(git rev-list -n1 --all -- model.py)" ]; then
  ok "(a) a model with a flatten/Linear size error is blocked (git commit exit $status)"
else
  bad "(a) broken model: git commit exit $status, want non-zero with error[shape-mismatch] on model.py" "$out"
fi

# (b) fixed: the commit goes through.
write_model "16 * 16 * 16"
gitq add model.py
out=$(git commit -m "fixed model" 2>&1)
status=$?
if [ "$status" -eq 0 ] && grep -q "shapelint (PyTorch shape check).*Passed" <<<"$out" && ! grep -q "Sanitizer" <<<"$out" &&
  [ "$(git log -1 --format=%s)" = "fixed model" ]; then
  ok "(b) the fixed model commits (exit 0)"
else
  bad "(b) fixed model: git commit exit $status, want 0 with the hook Passed" "$out"
fi

# (c) a non-Python file does not run the hook. Its content is the broken model,
# which shapelint would report if it were handed the file.
write_model "16 * 8 * 8"
mv model.py notes.txt
git checkout -q -- model.py
gitq add notes.txt
out=$(git commit -m "notes" 2>&1)
status=$?
if [ "$status" -eq 0 ] && grep -q "shapelint (PyTorch shape check).*(no files to check)Skipped" <<<"$out" &&
  ! grep -q "error\[" <<<"$out"; then
  ok "(c) a commit of a non-Python file skips the hook"
else
  bad "(c) non-Python file: git commit exit $status, want 0 with the hook Skipped" "$out"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
