#!/usr/bin/python3
"""schema-check.py - keeps scenarios/scenario.schema.json in step with the loader.

Run by `make test` (Debian's python3-jsonschema, hence /usr/bin/python3):

1. the schema is what tools/gen-scenario-schema.py writes, and is itself a
   valid draft 2020-12 schema;
2. every good scenario (the suite, tests/good-scenarios/, examples/) passes
   both `hvsim lint` and the schema;
3. every file of tests/bad-scenarios/ is refused by the loader, and:
   - one refused for a structural reason (unknown key, wrong type, number out
     of range, missing required key, a value outside a fixed list) is refused
     by the schema too;
   - one the schema accepts must be listed in SCHEMA_BLIND below with the
     reason a JSON Schema cannot see its mistake, and a listed file the schema
     refuses fails the check (the list stays exact).

Usage: tests/schema-check.py [HVSIM]   (default build/hvsim)
"""
import glob
import json
import os
import re
import subprocess
import sys

import jsonschema

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SCHEMA = os.path.join(ROOT, "scenarios", "scenario.schema.json")

# The loader's structural refusals, told by its message (conformance/json_util.c,
# scenario_*.c).
STRUCTURAL = re.compile(
    r"unknown key|missing \(required\)|expected .*, got |out of range|too large for a JSON "
    r"number|is not an integer|is not a number|not used by|is not a (policy|fault kind|event "
    r"kind|host action|trigger|VM name|clause ID|GSS status)|bad value|reserved")

# Mistakes a JSON Schema cannot see: they depend on other parts of the file,
# on how the text is parsed, or on compiling a regex.
SCHEMA_BLIND = {
    "dup-key-expect.json": "a duplicate key is gone once the JSON is parsed",
    "dup-key-top.json": "a duplicate key is gone once the JSON is parsed",
    "dup-key-vm.json": "a duplicate key is gone once the JSON is parsed",
    "dup-vm-name.json": "uniqueness of one property across array items",
    "create-conflict.json": "two creates of one region with different sizes, across VMs",
    "subst-illegal-create.json": "a create's name after another key's subst",
    "host-id-not-attached.json": "an id attached by an earlier step",
    "host-mark-unknown-vm.json": "a VM name defined elsewhere in the file",
    "unknown-vm-in-event.json": "a VM name defined elsewhere in the file",
    "unknown-vm-in-expect.json": "a VM name defined elsewhere in the file",
    "loc-in-default-window.json": "address layout of several instances",
    "loc-over-gic.json": "address layout: loc against the platform devices",
    "loc-over-ram.json": "address layout: loc against the VM's ram",
    "loc-twice.json": "address layout of several instances",
    "window-overlap.json": "address layout of several instances",
    "bad-regex.json": "compiling the regex",
    "regex-compiled-too-large.json": "compiling the regex",
    "regex-nested-too-deep.json": "compiling the regex",
    "regex-pcre2-too-large.json": "compiling the regex",
    "regex-stacked-plus.json": "compiling the regex",
}


def load_json(path):
    """The parsed file, or None when it is not JSON text (editors flag that too)."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            return json.load(f)
    except (ValueError, UnicodeDecodeError):
        return None


def lint(hvsim, paths):
    """{path: None (OK) or reason} from one `hvsim lint` run."""
    out = subprocess.run([hvsim, "lint"] + paths, capture_output=True, text=True, cwd=ROOT)
    res = {}
    for line in out.stdout.splitlines():
        if line.startswith("OK "):
            res[line[3:]] = None
        elif line.startswith("INVALID "):   # "INVALID FILE: ..." or "INVALID FILE:L:C: ..."
            reason = line[8:]
            res.update((p, reason) for p in paths if reason.startswith(p + ":"))
    return res


def main():
    hvsim = sys.argv[1] if len(sys.argv) > 1 else "build/hvsim"
    bad = []
    gen = subprocess.run([os.path.join(ROOT, "tools", "gen-scenario-schema.py"), "--check"],
                         capture_output=True, text=True)
    if gen.returncode:
        bad.append(gen.stderr.strip())
    with open(SCHEMA) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    val = jsonschema.Draft202012Validator(schema)

    good = sorted(glob.glob("scenarios/*/*.json", root_dir=ROOT) +
                  glob.glob("tests/good-scenarios/*.json", root_dir=ROOT) +
                  glob.glob("examples/*.json", root_dir=ROOT))
    good = [g for g in good if not g.endswith(".schema.json")]
    linted = lint(hvsim, good)
    for g in good:
        # tests/good-scenarios/ name programs that need not exist (the unit tests
        # load them without running): only their program files may be missing.
        missing_elf = g.startswith("tests/good-scenarios/") and re.search(
            r": vms\[\d+\]\.program: .*cannot open", linted.get(g) or "")
        if g not in linted or (linted[g] is not None and not missing_elf):
            bad.append("good %s: the loader refuses it: %s" % (g, linted.get(g)))
        errs = list(val.iter_errors(load_json(os.path.join(ROOT, g))))
        if errs:
            e = min(errs, key=lambda e: len(e.path))
            bad.append("good %s: the schema refuses it at %s: %s" %
                       (g, "/".join(map(str, e.path)), e.message[:200]))

    # The schema lives in scenarios/ but is no scenario: a directory run skips it.
    listed = subprocess.run([hvsim, "run", "scenarios", "--list"], capture_output=True,
                            text=True, cwd=ROOT).stdout
    n_suite = len(glob.glob("scenarios/*/*.json", root_dir=ROOT))
    if "%d scenarios selected" % n_suite not in listed:
        bad.append("hvsim run scenarios --list does not select exactly the %d suite files" % n_suite)

    files = sorted(glob.glob("tests/bad-scenarios/*.json", root_dir=ROOT))
    linted = lint(hvsim, files)
    n_struct = n_refused = 0
    for b in files:
        name = os.path.basename(b)
        reason = linted.get(b)
        if reason is None:
            bad.append("bad %s: the loader accepts it" % b)
            continue
        doc = load_json(os.path.join(ROOT, b))
        refused = doc is None or not val.is_valid(doc)
        n_refused += refused
        structural = bool(STRUCTURAL.search(reason.split(": ", 2)[-1]))
        n_struct += structural
        if structural and not refused:
            bad.append("bad %s: a structural mistake the schema accepts (%s)" % (b, reason))
        elif not refused and name not in SCHEMA_BLIND:
            bad.append("bad %s: the schema accepts it: make the schema refuse it, or list it "
                       "in SCHEMA_BLIND with the reason it cannot (%s)" % (b, reason))
        elif refused and name in SCHEMA_BLIND:
            bad.append("bad %s: listed in SCHEMA_BLIND but the schema refuses it" % b)
    for name in SCHEMA_BLIND:
        if "tests/bad-scenarios/" + name not in files:
            bad.append("SCHEMA_BLIND names %s, which is not in tests/bad-scenarios/" % name)

    for msg in bad:
        print("schema-check: " + msg)
    print("schema-check: %d good scenarios pass the loader and the schema; %d bad files: "
          "%d refused by the schema (%d of them structural), %d the schema cannot see%s" %
          (len(good), len(files), n_refused, n_struct, len(files) - n_refused,
           "" if not bad else "; %d problems" % len(bad)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
