#!/usr/bin/env bash
# run.sh SECONDS HARNESS...: run each libFuzzer harness (build/fuzz/fuzz_NAME)
# for SECONDS on its corpus, one at a time, and print one line per harness:
# executions, seconds, executions per second, new corpus entries.
#
# The committed seeds in tests/fuzz/corpus/NAME are read only; what the run
# finds goes to build/fuzz/corpus/NAME (kept between runs). A crash, an
# abort() from an invariant, a leak or a sanitizer report stops that harness:
# its input is saved as build/fuzz/crashes/NAME-crash-*, the log is printed
# and the script fails after running the others.
set -uo pipefail
secs=${1:?usage: run.sh SECONDS HARNESS...}
shift
cd "$(dirname "$0")/../.."
status=0
passed=0
failed=0
printf '%-10s %12s %8s %10s %8s  %s\n' harness executions seconds exec/s corpus result
for bin in "$@"; do
	name=$(basename "$bin"); name=${name#fuzz_}
	seeds=tests/fuzz/corpus/$name
	work=build/fuzz/corpus/$name
	log=build/fuzz/$name.log
	mkdir -p "$work" build/fuzz/crashes
	if [ ! -d "$seeds" ]; then
		echo "fuzz: no seed corpus $seeds" >&2
		failed=$((failed + 1))
		status=1
		continue
	fi
	start=$(date +%s)
	LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="build/fuzz/crashes/$name-" "$work" "$seeds" >"$log" 2>&1
	rc=$?
	end=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	entries=$(find "$work" -type f | wc -l)
	if [ "$rc" -eq 0 ]; then
		result=ok
		passed=$((passed + 1))
	else
		result="FAILED (exit $rc, log $log)"
		failed=$((failed + 1))
		status=1
	fi
	printf '%-10s %12s %8s %10s %8s  %s\n' "$name" "${execs:-?}" $((end - start)) \
		"${rate:-?}" "$entries" "$result"
	if [ "$rc" -ne 0 ]; then
		grep -E 'ERROR|invariant|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -20 >&2
	fi
done
echo "fuzz: $passed passed, $failed failed"
exit $status
