#!/bin/sh
# Race mode over the suite (docs/races.md "The suite in race mode"): every
# scenario outside scenarios/datarace/ runs with --races and none may make a
# report (no false report on the suite's correct clients); the planted races
# of scenarios/datarace/ are all found (their expectations name each pair by
# function and direction, and {"races": N} counts them).
# Usage: tests/races-suite.sh [HVSIM]   (from the top of the tree)
set -eu
hvsim=${1:-build/hvsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

count() {   # FILE.json LABEL: scenarios, failures and reports of a run
	python3 - "$1" "$2" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
reports = [(r["name"], x) for r in res for x in (r.get("races") or [])]
bad = [r["name"] for r in res if r["status"] != "pass"]
print(f"{sys.argv[2]}: {len(res)} scenarios, {len(bad)} not passing, {len(reports)} race reports")
for name, x in reports[:20]:
    f, s = x["first"], x["second"]
    print(f"  {name}: {x['kind']}: {f['vm']} {f['dir']} {f.get('symbol', '')} / "
          f"{s['vm']} {s['dir']} {s.get('symbol', '')}")
sys.exit(1 if bad else 0)
PY
}

dirs=$(ls -d scenarios/*/ | grep -v '^scenarios/datarace/$')
st=0
"$hvsim" run $dirs --races -j 2 -q --json "$tmp/suite.json" >"$tmp/suite.out" 2>&1 || st=1
count "$tmp/suite.json" "race mode, suite without datarace/" || st=1
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; sys.exit(any(x.get("races") for x in r))' \
	"$tmp/suite.json" || { echo "FAIL: race reports on the suite's clients"; st=1; }
"$hvsim" run scenarios/datarace -j 2 -q --json "$tmp/planted.json" >"$tmp/planted.out" 2>&1 || st=1
count "$tmp/planted.json" "race mode, planted (datarace/)" || st=1
[ $st -eq 0 ] || { cat "$tmp/suite.out" "$tmp/planted.out"; echo "races-suite: FAIL"; exit 1; }
echo "races-suite: ok"
