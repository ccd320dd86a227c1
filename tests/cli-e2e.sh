#!/usr/bin/env bash
# cli-e2e.sh - the command line as a user meets it: the failure list and
# report paths before the closing count, --list, -k, -x, --last-failed,
# --tap, colour only on a terminal and never with NO_COLOR, explore (its
# default and --cold reports of a failing schedule the same) and
# lint over directories, JUnit valid against tests/schemas/junit.xsd.
# Run from the repository root after `make all`; every hvsim call is under
# `timeout`, so it cannot hang. Prints "cli-e2e: N passed, M failed".
set -u
hv=build/hvsim
dir=$(mktemp -d /tmp/hvsim-cli-XXXXXX)
export HVSIM_LASTFAILED=$dir/lastfailed
unset NO_COLOR
pass=0; fail=0
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "cli-e2e: $1"; [ -f "$dir/out" ] && sed 's/^/    | /' "$dir/out"; }
# run ARGS...: output in $dir/out, exit status in $rc
run() { timeout 120 "$@" > "$dir/out" 2>&1; rc=$?; }
has()     { if grep -qF -- "$2" "$dir/out"; then ok; else bad "$1: no line '$2'"; fi; }
hasnt()   { if grep -qF -- "$2" "$dir/out"; then bad "$1: unexpected '$2'"; else ok; fi; }
status()  { if [ "$rc" -eq "$2" ]; then ok; else bad "$1: exit $rc, wanted $2"; fi; }
lastline(){ if [ "$(tail -n 1 "$dir/out")" = "$2" ]; then ok; else bad "$1: last line not '$2'"; fi; }
# line numbers: the first line starting with $2 comes before the first with $3
before()  {
	local a b
	a=$(grep -nF -- "$2" "$dir/out" | head -n 1 | cut -d: -f1)
	b=$(grep -nF -- "$3" "$dir/out" | head -n 1 | cut -d: -f1)
	if [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]; then ok; else bad "$1: '$2' not before '$3'"; fi
}

mkdir -p "$dir/s/alpha" "$dir/s/beta"
cat > "$dir/s/alpha/a1-pass.json" <<'EOF'
{"name": "a1-pass", "clauses": ["PLT-1"], "vms": [{"name": "a", "program": "hello"}],
 "expect": [{"vm": "a", "console": "hello from vm 0 of 1"}]}
EOF
cat > "$dir/s/alpha/a2-fail.json" <<'EOF'
{"name": "a2-fail", "clauses": ["PLT-2"], "vms": [{"name": "a", "program": "hello"}],
 "expect": [{"vm": "a", "console": "goodbye"}]}
EOF
cat > "$dir/s/beta/b1-pass.json" <<'EOF'
{"name": "b1-pass", "vms": [{"name": "a", "program": "hello"}]}
EOF
echo '{"name": "b2-bad", "vms": [' > "$dir/s/beta/b2-bad.json"
s=$dir/s

# 1. the failure list and the reports, after the scenario lines, before the count
run $hv run "$s" -j 2 --junit "$dir/j.xml" --tap "$dir/t.tap"
status "run with a failure and an error" 2
has "run" "FAIL a2-fail: "
before "run" "PASS b1-pass" "failures:"
before "run" "failures:" "report: $dir/j.xml"
if [ "$(sed -n '/^failures:$/,$p' "$dir/out" | grep -c '^FAIL a2-fail: \|^ERROR ')" -eq 2 ]; then ok; else bad "run: failure list"; fi
has "run" "ERROR $s/beta/b2-bad.json:2:1: JSON syntax error"
has "run" "report: $dir/t.tap"
lastline "run" "2 passed, 2 failed"
if head -n 2 "$dir/t.tap" | tr '\n' ' ' | grep -qx 'TAP version 13 1..4 '; then ok; else bad "tap header"; fi
if grep -qx 'not ok 2 - a2-fail' "$dir/t.tap" && grep -qx 'ok 3 - b1-pass' "$dir/t.tap"; then ok; else bad "tap points"; fi
if xmllint --noout --schema tests/schemas/junit.xsd "$dir/j.xml" 2>/dev/null; then ok; else bad "junit schema"; fi

# 2. --list runs nothing; -k selects; a bad -k is a usage error
run $hv run "$s" --list
status "--list" 0
has "--list" "a2-fail"
hasnt "--list" "PASS"
lastline "--list" "4 scenarios selected (--list: none run)"
run $hv run "$s" --list -k 'alpha and not fail'
if [ "$(head -n 1 "$dir/out" | awk '{print $1, $2, $3}')" = "a1-pass alpha PLT-1" ]; then ok; else bad "-k alpha and not fail"; fi
lastline "-k list" "1 scenario selected (--list: none run)"
run $hv run "$s" -k 'PLT-2 or b1-pass'
status "-k run" 1
has "-k run" "PASS b1-pass"
hasnt "-k run" "a1-pass"
lastline "-k run" "1 passed, 1 failed"
run $hv run "$s" -k 'alpha and'
status "-k malformed" 2
has "-k malformed" "-k: expected a word after 'and'"
run $hv run "$s" -k nothing-like-this
status "-k none" 2

# 3. -x: stop at the first failure; the rest not run, not counted
run $hv run "$s" -x
status "-x" 1
has "-x" "stopped at the first failure (-x): 2 of 4 scenarios not run"
hasnt "-x" "b1-pass"
lastline "-x" "1 passed, 1 failed"

# 4. --last-failed: the failures of the last run (a partial run keeps the rest)
run $hv run "$s" -k beta
run $hv run "$s" --last-failed --list
if [ "$(grep -c . "$dir/out")" -eq 3 ] && grep -q '^a2-fail ' "$dir/out" && grep -q '^b2-bad ' "$dir/out"
then ok; else bad "--last-failed"; fi
rm -f "$HVSIM_LASTFAILED"
run $hv run "$s" --last-failed --list
has "--last-failed, nothing recorded" "running all of them"

# 5. colour: never in a pipe, on a terminal unless NO_COLOR
esc=$(printf '\033[')
run $hv run "$s/alpha"
hasnt "pipe colour" "$esc"
if command -v script > /dev/null; then
	timeout 120 script -qec "$hv run $s/alpha" /dev/null > "$dir/out" 2>&1
	has "terminal colour" "$esc"
	NO_COLOR=1 timeout 120 script -qec "$hv run $s/alpha" /dev/null > "$dir/out" 2>&1
	hasnt "NO_COLOR" "$esc"
fi

# 6. explore and lint take directories
run $hv explore "$s/alpha"
status "explore DIR" 1
has "explore DIR" "explore a1-pass: 1 schedule"
has "explore DIR" "FAIL a2-fail: "
lastline "explore DIR" "1 passed, 1 failed"
# 7. explore --dpor: the broken lock found, shrunk, replayable; one process only
run $hv explore examples/checkset-race.json --dpor
status "explore --dpor" 1
has "explore --dpor" "partial-order reduced:"
has "explore --dpor" "FAIL checkset-race: "
has "explore --dpor" "@13=b: after a's 4-byte write"
run $hv explore examples/checkset-race.json --dpor -j 2
status "explore --dpor -j 2" 2
has "explore --dpor -j 2" "not with --shard, -j or --reexec"
# explore's report of the failing schedule: the same events from prefix
# snapshots (the default: the log rewound, its mmio ring too) as with --cold
run $hv explore examples/checkset-race.json -q --json "$dir/warm.json"
status "explore --json" 1
run $hv explore examples/checkset-race.json -q --cold --json "$dir/cold.json"
status "explore --cold --json" 1
norm() { sed -e 's/"seconds":[0-9.e-]*/"seconds":S/g' -e 's/"command":"[^"]*"/"command":C/' "$1"; }
if grep -qF '"kind":"mmio"' "$dir/warm.json" && cmp -s <(norm "$dir/warm.json") <(norm "$dir/cold.json")
then ok; else bad "explore: the default's and --cold's reports differ"; fi
run $hv lint "$s"
status "lint" 2
has "lint" "OK $s/alpha/a1-pass.json"
has "lint" "INVALID $s/beta/b2-bad.json:2:1: JSON syntax error"
hasnt "lint" "PASS"
lastline "lint" "3 passed, 1 failed"

# 7. race mode (docs/races.md): --races on run and replay, explore keeps each
#    distinct race once over all schedules and judges race expectations on them
#    (the suite's own clients make no report: docs/races.md; this scenario
#    rings the doorbell with no barrier after the data and expects nothing)
run $hv run tests/races/notify-no-barrier.json --races
status "run --races" 1
has "run --races" "race 1/1: missing-barrier-store"
has "run --races" "pc 0x40001044 <ring_doorbell+0x10>"
has "run --races" "replay: $hv replay tests/races/notify-no-barrier.json --races --schedule 'rr,q=10000'"
hasnt "run --races" "replay: $hv replay tests/races/notify-no-barrier.json --schedule"
run $hv run tests/races/notify-no-barrier.json
status "run without --races" 0
run $hv run tests/races/explore-two-writers.json
status "run explore-two-writers" 1
has "run explore-two-writers" "race mode reports a data-race between a in write_slot and b in write_slot: no report at all"
run $hv explore tests/races/explore-two-writers.json
status "explore races" 0
has "explore races" "bound exhausted"
has "explore races" "race 1/1: data-race"
hasnt "explore races" "race 2/"
sched=$(sed -n "s/.*replay: .* --races --schedule '\(.*\)'/\1/p" "$dir/out" | head -n 1)
run $hv replay tests/races/explore-two-writers.json --races --schedule "$sched"
status "replay a race" 0
has "replay a race" "race 1/1: data-race"
has "replay a race" "<write_slot+0x38>"

# 8. the client compatibility matrix: the suite's clients under every
# profile reading; the readings each client depends on are named, with the
# expectation that failed, in the text and in the HTML table
run $hv compat -j 2 -q --html "$dir/compat.html"
status "compat" 0
has "compat" "client compatibility (15 readings):"
has "compat" "  hab-channels: 15/15"
has "compat" "  qnx-sample: 12/15"
has "compat" "    FAIL irq_trigger=edge: vm a exits 0 without fault or FAIL: expected exit 0 without fault or FAIL, got fault deadlock"
has "compat" "    FAIL detached_pending=clear: vm b exits 0"
has "compat" "    FAIL connection_budget=1: vm drv exits 13: expected exit 13, got exit 12"
has "compat" "83 of 90 client runs pass"
lastline "compat" "6 passed, 0 failed"
if grep -q '<section id="compat">' "$dir/compat.html" &&
   grep -q '<td class="nm">optee-pci</td>' "$dir/compat.html" &&
   [ "$(grep -o '<td class="ok">PASS</td>' "$dir/compat.html" | wc -l)" -eq 83 ]; then ok; else bad "compat html table"; fi
# --compat on run: only files of a clients/ area count; none here, no table
run $hv run "$s/alpha/a1-pass.json" --compat --html "$dir/nc.html"
status "run --compat without clients" 0
hasnt "run --compat without clients" "client compatibility"
if grep -q 'id="compat"' "$dir/nc.html"; then bad "empty compat table written"; else ok; fi

# 9. coverage per rule: the failing expectation names IRQ-3, so only IRQ-3
# fails; PLT-1 (the scenario's list, checked by the passing default) passes
mkdir -p "$dir/pr"
cat > "$dir/pr/per-rule.json" <<'EOF'
{"name": "per-rule", "clauses": ["PLT-1"], "vms": [{"name": "a", "program": "hello"}],
 "expect": [{"vm": "a", "console": "hello from vm 0", "clause": "PLT-2"},
            {"vm": "a", "console": "goodbye", "clause": ["IRQ-3"]}]}
EOF
run $hv run "$dir/pr" --html "$dir/pr.html" --json "$dir/pr.json"
status "per-rule" 1
row() { sed -n "/<tr id=\"cov-$1\"/,/<\/tr>/p" "$dir/pr.html" | tr -d '\n'; }
if row IRQ-3 | grep -q 'chip fail">FAIL' && row PLT-1 | grep -q 'chip pass">PASS' &&
   row PLT-2 | grep -q 'chip pass">PASS'; then ok; else bad "per-rule coverage rows"; fi
if tr -d ' \n' < "$dir/pr.json" | grep -q '"clauses":\["IRQ-3"\]'; then ok; else bad "per-rule: JSON exp clauses"; fi

rm -rf "$dir"
echo "cli-e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
