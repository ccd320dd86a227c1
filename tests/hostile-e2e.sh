#!/usr/bin/env bash
# hostile-e2e.sh HVSIM GUESTS - the hostile-input corpus through the command
# line, as a user meets it. `make sanitize` runs it with the AddressSanitizer
# + UBSan build (build/asan/hvsim), so a crash, a leak of undefined behaviour
# or a hang anywhere on these paths fails CI.
#
# - every tests/bad-scenarios/X.json, through `lint` and `run`: exit 2, the
#   line `INVALID|ERROR <X.err>` (file and JSON path, the exact message the
#   CUnit corpus test checks at the loader), no sanitizer report;
# - the whole corpus in one `run` with a good scenario among it: the good one
#   still passes (no result lost to the others' errors);
# - hostile programs (a FIFO, /dev/zero, a directory, a text file, the ELF
#   seeds of tests/fuzz/corpus/elf that are not AArch64 guests, the host's
#   own x86 binary): exit 2 naming vms[0].program, for `lint` and `run`;
# - a guest that loops forever, with --timeout: ERROR "timed out after N s"
#   and the other scenario of the same run still passes;
# - one worker (-j 1) whose file times out, or whose process is killed while
#   it runs one: that file alone is an ERROR, the files after it pass (a
#   fresh worker takes them).
# Every call runs under `timeout`. Prints "hostile-e2e: N passed, M failed".
set -u
hv=${1:?usage: hostile-e2e.sh HVSIM GUESTS}
guests=${2:?usage: hostile-e2e.sh HVSIM GUESTS}
dir=$(mktemp -d /tmp/hvsim-hostile-XXXXXX)
trap 'rm -rf "$dir"' EXIT
export HVSIM_LASTFAILED=$dir/lastfailed
pass=0; fail=0
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "hostile-e2e: $1"; sed 's/^/    | /' "$dir/out" | head -n 20; }
# run ARGS...: output in $dir/out, exit status in $rc (124: hung)
run() { timeout 120 "$@" > "$dir/out" 2>&1; rc=$?; }
# clean WHAT: no sanitizer report, no crash
clean() {
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$dir/out"; then
		bad "$1: sanitizer report"
	elif [ "$rc" -ge 124 ]; then
		bad "$1: exit $rc (hang or crash)"
	else
		ok
	fi
}
expect2() {   # expect2 WHAT LINE: exit 2 and LINE in the output
	clean "$1"
	if [ "$rc" -eq 2 ]; then ok; else bad "$1: exit $rc, wanted 2"; fi
	if grep -qF -- "$2" "$dir/out"; then ok; else bad "$1: no line '$2'"; fi
}

# ---- the bad-scenario corpus -------------------------------------------------
n=0
for json in tests/bad-scenarios/*.json; do
	want=$(cat "${json%.json}.err")
	run "$hv" lint --guests "$guests" "$json"
	expect2 "lint $json" "INVALID $want"
	run "$hv" run --guests "$guests" "$json"
	expect2 "run $json" "ERROR $want"
	n=$((n + 1))
done
if [ "$n" -ge 90 ]; then ok; else bad "only $n bad scenarios found"; fi

run "$hv" run -j 2 --guests "$guests" tests/bad-scenarios/*.json tests/good-scenarios/minimal.json
clean "whole corpus in one run"
if [ "$rc" -eq 2 ]; then ok; else bad "whole corpus in one run: exit $rc, wanted 2"; fi
if grep -qx "PASS minimal" "$dir/out"; then ok; else bad "whole corpus: the good scenario did not pass"; fi
if grep -qx "1 passed, $n failed" "$dir/out"; then ok; else bad "whole corpus: not '1 passed, $n failed'"; fi

# ---- hostile programs --------------------------------------------------------
mkfifo "$dir/fifo"
mkdir "$dir/adir"
echo "not an ELF" > "$dir/text"
programs=("$dir/fifo" /dev/zero "$dir/adir" "$dir/text" "$(type -P true)")
for seed in tests/fuzz/corpus/elf/{big-endian,x86-64,truncated-header}; do
	programs+=("$PWD/$seed")
done
i=0
for prog in "${programs[@]}"; do
	i=$((i + 1))
	printf '{"vms": [{"name": "a", "program": "%s"}], "expect": [{"vm": "a", "exit": 0}]}\n' \
		"$prog" > "$dir/prog$i.json"
	run "$hv" lint --guests "$guests" "$dir/prog$i.json"
	expect2 "lint program $prog" "vms[0].program: $prog: "
	run "$hv" run --guests "$guests" "$dir/prog$i.json"
	expect2 "run program $prog" "vms[0].program: $prog: "
done

# ---- a guest that never stops ------------------------------------------------
run "$hv" run -j 2 --timeout 2 --guests "$guests" tests/timeout-scenarios/loop-forever.json \
	tests/good-scenarios/minimal.json
expect2 "loop-forever with --timeout 2" \
	"ERROR tests/timeout-scenarios/loop-forever.json: timed out after 2 s"
if grep -qx "PASS minimal" "$dir/out"; then ok; else bad "timeout: the other scenario did not pass"; fi

# ---- one worker: a timeout or a crash ends its file, not the run --------------
# Bytewise order: the looping file first, then two good ones in the same slot.
cp tests/timeout-scenarios/loop-forever.json "$dir/a-loop.json"
cp tests/good-scenarios/minimal.json "$dir/b-minimal.json"
cp tests/good-scenarios/minimal.json "$dir/c-minimal.json"
three=("$dir/a-loop.json" "$dir/b-minimal.json" "$dir/c-minimal.json")
after() {   # after WHAT: both files after the lost one passed
	if grep -qx "PASS b-minimal" "$dir/out" && grep -qx "PASS c-minimal" "$dir/out" &&
	   grep -qx "2 passed, 1 failed" "$dir/out"
	then ok; else bad "$1: the files after it did not both pass"; fi
}
run "$hv" run -j 1 --timeout 2 --guests "$guests" "${three[@]}"
expect2 "-j 1, a timeout then two files" "ERROR $dir/a-loop.json: timed out after 2 s"
after "-j 1 timeout"
# A crash: the worker is killed (SIGKILL: no sanitizer handler can take it)
# while it spins in the first file.
timeout 120 "$hv" run -j 1 --guests "$guests" "${three[@]}" > "$dir/out" 2>&1 &
tpid=$!
worker=
for _ in $(seq 100); do   # timeout -> hvsim -> its worker
	worker=$(pgrep -P "$(pgrep -P "$tpid" | head -n 1)" | head -n 1)
	[ -n "$worker" ] && break
	sleep 0.1
done
sleep 0.5
[ -n "$worker" ] && kill -KILL "$worker"
wait "$tpid"; rc=$?
expect2 "-j 1, a crash then two files" "ERROR $dir/a-loop.json: hvsim crashed running it (signal 9)"
after "-j 1 crash"

echo "hostile-e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
