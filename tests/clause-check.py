#!/usr/bin/env python3
"""clause-check.py - is every rule of docs/device-model.md checked, and passing?

  tests/clause-check.py REPORT.json     (a report of `hvsim conform --json`)

The rules are the "### XXX-n Title" headings of docs/device-model.md. They
must be exactly the rows of conformance/clauses.c (the report's coverage
matrix). Then, in the report, every rule must be named by at least one
expectation of its own (an `expect` entry, not only a scenario's default
"exits 0 without fault or FAIL" check) that passed, and no expectation
naming it may have failed. An expectation names a rule through its own
"clause" key, or, without one, through its scenario's "clauses" list
(docs/scenario-format.md). Prints one line per rule (scenarios, expectations
that name it) and exits 1 on any gap. `make test` runs it on
reports/conformance.json.
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def doc_rules():
    path = os.path.join(ROOT, "docs", "device-model.md")
    with open(path, encoding="utf-8") as f:
        return [m.group(1) for m in re.finditer(r"^### ([A-Z]+-[0-9]+) ", f.read(), re.M)]


def table_rules():
    path = os.path.join(ROOT, "conformance", "clauses.c")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    body = text[text.index("spec_clauses[] = {"):]
    body = body[:body.index("};")]
    return re.findall(r'"([A-Z]+-[0-9]+)"', body)


def main(argv):
    if len(argv) != 2:
        print("usage: clause-check.py REPORT.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        report = json.load(f)
    bad = []
    rules, table = doc_rules(), table_rules()
    if not rules:
        bad.append("docs/device-model.md: no '### XXX-n' rule headings found")
    if rules != table:
        bad.append("docs/device-model.md rules %s differ from conformance/clauses.c %s"
                   % (sorted(set(rules) - set(table)) or "", sorted(set(table) - set(rules)) or ""))
    own, default, failed, scen = {}, {}, {}, {}
    for r in report.get("results", []):
        for e in r.get("expectations") or []:
            for c in e.get("clauses") or []:
                if not e.get("pass"):
                    failed.setdefault(c, []).append("%s %s" % (r["name"], e.get("where")))
                elif e.get("where") == "default":
                    default[c] = default.get(c, 0) + 1
                else:
                    own[c] = own.get(c, 0) + 1
                    scen.setdefault(c, set()).add(r["name"])
    status = {c["clause"]: c["status"] for c in report.get("coverage", [])}
    for rule in rules:
        line = "%-6s %-9s %3d scenarios, %4d expectations (+%d default checks)" % (
            rule, status.get(rule, "absent"), len(scen.get(rule, ())), own.get(rule, 0),
            default.get(rule, 0))
        print(line)
        if rule in failed:
            bad.append("%s: failing expectations: %s" % (rule, ", ".join(failed[rule][:5])))
        elif not own.get(rule):
            bad.append("%s: no passing expectation names it (only default checks: %d)"
                       % (rule, default.get(rule, 0)))
        elif status.get(rule) != "pass":
            bad.append("%s: the report's coverage matrix says %s" % (rule, status.get(rule)))
    for b in bad:
        print("clause-check: " + b)
    if bad:
        return 1
    print("clause-check: all %d rules of docs/device-model.md are named by passing expectations"
          % len(rules))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
