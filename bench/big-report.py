#!/usr/bin/env python3
"""big-report.py - a large report's input, for bench/report-open.sh.

    bench/big-report.py SUITE.json FAILING.json N OUT.json

Joins the passing results of SUITE.json (the suite's --json report), repeated
with a numbered suffix until there are N - 10 of them, and 10 numbered copies
of FAILING.json's first result (a failing scenario, whose report section
carries its timeline and register traffic), into one --json report that
`hvsim merge OUT.json --html BIG.html` turns into an N-scenario HTML report.
"""
import copy
import json
import sys


def numbered(result, k):
    r = copy.deepcopy(result)
    r["name"] = "%s#%d" % (r["name"], k)
    r["file"] = "%s#%d" % (r["file"], k)
    return r


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    suite = json.load(open(argv[1]))
    failing = json.load(open(argv[2]))["results"][0]
    n = int(argv[3])
    passing = [r for r in suite["results"] if r["status"] == "pass"]
    if not passing or n < 20:
        sys.exit("big-report.py: need passing results and N >= 20")
    out = []
    k = 0
    while len(out) < n - 10:
        out.extend(numbered(r, k) for r in passing[: n - 10 - len(out)])
        k += 1
    out.extend(numbered(failing, k) for k in range(10))
    report = dict(suite, results=out)
    report["summary"] = dict(suite["summary"], total=n, passed=n - 10, failed=10,
                             errors=0, skipped=0, incomplete=0)
    json.dump(report, open(argv[4], "w"))


if __name__ == "__main__":
    main(sys.argv)
