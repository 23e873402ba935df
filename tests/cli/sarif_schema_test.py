#!/usr/bin/python3
"""sarif_schema_test.py SHAPELINT SCHEMA_JSON

Runs `shapelint check --format sarif` on several inputs and validates every
output against the official SARIF 2.1.0 JSON schema (sarif-2.1.0-rtm.5.json,
fetched and SHA-512-verified at configure time: tests/sarif/). Uses Debian's
python3-jsonschema with the validator the schema's `$schema` declares
(draft-04), and checks the `format`s the schema uses (uri, uri-reference,
date-time) with the RFC 3986 / RFC 3339 grammars below, since jsonschema only
checks them when optional packages are installed.

First a self-test: deliberately broken documents must be rejected, so a
validator that accepts everything cannot pass. Prints every violation with its
JSON path; exits 1 on any.
"""
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema
from jsonschema import validators

# RFC 3986 appendix B splits any string into the five components; each one is
# then checked against its character set (RFC 3986 section 3).
_SPLIT = re.compile(r"^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?$", re.S)
_PCT = r"%[0-9A-Fa-f]{2}"
_UNRESERVED_SUB = r"A-Za-z0-9\-._~!$&'()*+,;="
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*$")
_AUTHORITY = re.compile(rf"^(?:[{_UNRESERVED_SUB}:@\[\]]|{_PCT})*$")
_PATH = re.compile(rf"^(?:[{_UNRESERVED_SUB}:@/]|{_PCT})*$")
_QUERY = re.compile(rf"^(?:[{_UNRESERVED_SUB}:@/?]|{_PCT})*$")
_DATE_TIME = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)"
    r"(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$")


def _uri_reference(s, need_scheme=False):
    m = _SPLIT.match(s)
    if m is None:
        return False
    scheme, authority, path, query, fragment = m.group(2), m.group(4), m.group(5), m.group(7), m.group(9)
    if scheme is not None and not _SCHEME.match(scheme):
        return False
    if need_scheme and scheme is None:
        return False
    if scheme is None and authority is None and ":" in path.split("/")[0]:
        return False  # a relative path's first segment cannot hold ':' (path-noscheme)
    return (
        (authority is None or _AUTHORITY.match(authority) is not None)
        and _PATH.match(path) is not None
        and (query is None or _QUERY.match(query) is not None)
        and (fragment is None or _QUERY.match(fragment) is not None))


def make_format_checker():
    checker = jsonschema.FormatChecker()
    checker.checks("uri")(lambda s: not isinstance(s, str) or _uri_reference(s, need_scheme=True))
    checker.checks("uri-reference")(lambda s: not isinstance(s, str) or _uri_reference(s))
    checker.checks("date-time")(lambda s: not isinstance(s, str) or _DATE_TIME.match(s) is not None)
    return checker


def violations(validator, doc):
    out = []
    for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path)
        out.append(f"{path}: {e.message} (schema: {'/'.join(str(p) for p in e.absolute_schema_path)})")
    return out


# A minimal valid log with one result, for the self-test when no output is valid.
MINIMAL = {
    "version": "2.1.0",
    "runs": [{
        "tool": {"driver": {"name": "shapelint"}},
        "results": [{
            "ruleId": "shape-mismatch", "ruleIndex": 0, "level": "error", "message": {"text": "m"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "m.py"},
                                                "region": {"startLine": 1, "startColumn": 1}}}],
        }],
    }],
}


def self_test(validator, good):
    """Broken variants of a valid document must each be rejected."""
    def broken(mutate):
        d = copy.deepcopy(good)
        mutate(d)
        return d

    def result(d):
        return d["runs"][0]["results"][0]

    def region(d):
        return result(d)["locations"][0]["physicalLocation"]["region"]

    cases = {
        "no version": lambda d: d.pop("version"),
        "version 2.0.0": lambda d: d.update(version="2.0.0"),
        "runs is an object": lambda d: d.update(runs={}),
        "no tool.driver.name": lambda d: d["runs"][0]["tool"]["driver"].pop("name"),
        "level 'fatal'": lambda d: result(d).update(level="fatal"),
        "message without text or id": lambda d: result(d).update(message={}),
        "startLine 0": lambda d: region(d).update(startLine=0),
        "startColumn as a string": lambda d: region(d).update(startColumn="5"),
        "unknown property on a result": lambda d: result(d).update(bogus=1),
        "ruleIndex -2": lambda d: result(d).update(ruleIndex=-2),
        "uri with a space": lambda d: result(d)["locations"][0]["physicalLocation"]["artifactLocation"]
        .update(uri="my model.py"),
    }
    failed = []
    for name, mutate in cases.items():
        if not list(validator.iter_errors(broken(mutate))):
            failed.append(name)
    if not list(validator.iter_errors({})):
        failed.append("empty document")
    return failed


def main():
    if len(sys.argv) != 3:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    shapelint = os.path.abspath(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        schema = json.load(f)
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=make_format_checker())
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.chdir(root)

    tmp = tempfile.mkdtemp(prefix="shapelint_sarif_")
    try:
        # A file name that is not a valid URI as written: the emitter must encode it.
        odd = os.path.join(tmp, "my model #1 100%.py")
        shutil.copyfile("fixtures/bugs/cat_dim_mismatch.py", odd)
        # (name, arguments, exit status, whether results must be non-empty)
        cases = [
            ("file with errors", ["fixtures/bugs/cat_dim_mismatch.py"], 1, True),
            ("clean file", ["fixtures/bugs/cat_dim_mismatch_fixed.py"], 0, False),
            ("syntax error", ["tests/cli/syntax_error.py"], 1, True),
            ("not UTF-8", ["tests/cli/latin1.py"], 1, True),
            ("folder", ["fixtures/bugs"], 1, True),
            ("errors and warnings, related locations",
             ["fixtures/seeds/s001_conv_view_mismatch.py", "fixtures/seeds/s001_unused_weight.py"], 1, True),
            ("missing path beside a clean file",
             ["no/such/file.py", "fixtures/bugs/cat_dim_mismatch_fixed.py"], 2, False),
            ("absolute path", [os.path.join(root, "fixtures/bugs/cat_dim_mismatch.py")], 1, True),
            ("file name with space, '#' and '%'", [odd], 1, True),
        ]
        # Violations the current emitter is known to produce, by case name: a
        # regular expression the known violations match. Any other violation
        # still fails the case, and so does the case no longer showing the
        # known one (remove the entry then). analyzer/emit/sarif.cc writes the
        # path as artifactLocation.uri unencoded; SARIF wants a URI reference,
        # so ' ', '#', '%' (any byte outside RFC 3986's set) need %XX.
        known_invalid = {}

        failures = 0
        first_good = None
        for name, args, want_status, want_results in cases:
            cmd = [shapelint, "check", "--format", "sarif"] + args
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            problems = []
            if proc.returncode != want_status:
                problems.append(f"exit status {proc.returncode}, want {want_status}")
            if "Sanitizer" in proc.stderr:
                problems.append("sanitizer report:\n" + proc.stderr)
            try:
                doc = json.loads(proc.stdout)
            except json.JSONDecodeError as e:
                doc = None
                problems.append(f"stdout is not JSON: {e}\n{proc.stdout[:500]}")
            if doc is not None:
                problems += violations(validator, doc)
                try:
                    results = doc["runs"][0]["results"]
                except (KeyError, IndexError, TypeError):
                    results = None
                if want_results and not results:
                    problems.append("no results, want at least one")
                if not want_results and results:
                    problems.append(f"{len(results)} results, want none")
                if not problems and want_results and first_good is None:
                    first_good = doc
            shown = " ".join(args)
            known = known_invalid.get(name)
            if known is not None:
                expected = [p for p in problems if re.search(known, p)]
                problems = [p for p in problems if not re.search(known, p)]
                if not expected:
                    problems.append("the known violation is gone: remove this case from known_invalid")
            if problems:
                failures += 1
                print(f"FAIL {name}: {' '.join(cmd)}")
                for p in problems[:20]:
                    print(f"  {p}")
                if len(problems) > 20:
                    print(f"  ... and {len(problems) - 20} more")
            elif known is not None:
                print(f"XFAIL {name}: {shown}: known violation ({len(expected)}x): {expected[0]}")
            else:
                print(f"ok   {name}: {shown}")

        base = first_good if first_good is not None else MINIMAL
        if violations(validator, MINIMAL):
            failures += 1
            print("FAIL self-test: the minimal SARIF log is rejected: " + "; ".join(violations(validator, MINIMAL)))
        missed = self_test(validator, base)
        if missed:
            failures += 1
            print("FAIL self-test: the validator accepted broken documents: " + ", ".join(missed))
        else:
            print("ok   self-test: every deliberately broken document is rejected")
        total = len(cases) + 1
        print(f"{total - failures} passed, {failures} failed")
        return 1 if failures else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
