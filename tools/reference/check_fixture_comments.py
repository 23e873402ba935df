#!/usr/bin/env python3
"""Check a fixture's inline expectation comments against REAL torch.

    python3 check_fixture_comments.py fixtures/seeds/*.py

- `# shape: AxB` on `name = ...` inside the model file: the shape `name` has right
  after that line ran (last execution wins), traced with sys.settrace.
- `# error: [...]`: the forward raises and the innermost traceback line in the
  file is this line (the same line tt_reference puts in error.json).
- `# warning: [unused-parameter]` on `self.NAME = nn.Parameter(...)`: after a
  forward + backward, NAME.grad is still None (forward never read it).
Standard library + torch; exits 1 on any mismatch.
"""
import os
import re
import sys

import torch

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tt_reference as ref  # noqa: E402  (reuses its loader and shape formatting)

COMMENT = re.compile(r"#\s*(shape|error|warning):\s*(.*?)\s*$")


def check(path):
    real = os.path.realpath(path)
    lines = open(real).read().splitlines()
    expect = {i + 1: COMMENT.search(l).groups() for i, l in enumerate(lines) if COMMENT.search(l)}
    _, _, load = ref.load_callable(path + "::load_model")
    _, _, get_inputs = ref.load_callable(path + "::get_inputs")
    model, inputs = load(), get_inputs()
    model.eval()
    args = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)

    seen, last = {}, {}                     # line -> {var: shape}; frame -> current line

    def snapshot(frame):
        line = last.get(id(frame))
        if line:
            seen[line] = {k: ref.shape_str(v) for k, v in frame.f_locals.items()
                          if isinstance(v, torch.Tensor)}

    def local(frame, event, arg):
        if event in ("line", "return"):
            snapshot(frame)
            last[id(frame)] = frame.f_lineno
        return local

    def glob(frame, event, arg):
        return local if os.path.realpath(frame.f_code.co_filename) == real else None

    raised = None
    sys.settrace(glob)
    try:
        with torch.no_grad():
            model(*args)
    except Exception as exc:
        raised = exc
    finally:
        sys.settrace(None)

    problems = []
    for line, (kind, what) in sorted(expect.items()):
        text = lines[line - 1]
        if kind == "shape":
            var = re.match(r"\s*(\w+)\s*=", text)
            got = seen.get(line, {}).get(var.group(1)) if var else None
            if got != what:
                problems.append(f"{line}: expected shape {what}, torch gives {got}")
        elif kind == "error":
            got = ref.error_line(raised, path) if raised else None
            if got != line:
                problems.append(f"{line}: expected the error here, torch raised at {got}")
        elif kind == "warning":
            name = re.search(r"self\.(\w+)\s*=\s*(?:nn|torch\.nn)\.Parameter", text)
            model.train()
            model.zero_grad()
            model(*args).sum().backward()
            if not name or getattr(model, name.group(1)).grad is not None:
                problems.append(f"{line}: parameter is read by forward (or not a Parameter)")
    if raised and not any(k == "error" for k, _ in expect.values()):
        problems.append(f"forward raised without an error comment: {raised}")
    return problems


if __name__ == "__main__":
    bad = 0
    for p in sys.argv[1:]:
        probs = check(p)
        print(("ok    " if not probs else "FAIL  ") + p)
        for msg in probs:
            print("      " + msg)
        bad += bool(probs)
    sys.exit(1 if bad else 0)
