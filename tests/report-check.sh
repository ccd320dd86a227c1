#!/usr/bin/env bash
# report-check.sh - the HTML report scales and shows a failure's register traffic.
# Run by make test after the suite wrote reports/conformance.html:
#  1. the whole suite's report is at most 5 KiB per scenario on average (every
#     suite scenario passes, so this is the passing scenarios' cost, table,
#     coverage matrix and page frame included);
#  2. a failing scenario (examples/pingpong-wrong-count.json) has its device
#     accesses in its HTML: rows of the event table and ticks on the timeline
#     (shmem control page and GIC registers by name), the event filter with an
#     mmio checkbox, and notify -> interrupt arrows.
# Usage: tests/report-check.sh [HVSIM] [SUITE_HTML]
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
hvsim=${1:-$root/build/hvsim}
suite_html=${2:-$root/reports/conformance.html}
tmp=$(mktemp -d /tmp/hvsim-report-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAILED: $*"; fails=$((fails + 1)); }

n=$(grep -c '<section class="sc ' "$suite_html")
bytes=$(stat -c %s "$suite_html")
if [ "$n" -gt 0 ] && [ $((bytes / n)) -le 5120 ]; then
	ok "suite report: $bytes bytes for $n scenarios, $((bytes / n)) per scenario (at most 5120)"
else
	bad "suite report: $bytes bytes for $n scenarios"
fi

HVSIM_LASTFAILED=$tmp/lf "$hvsim" run "$root/examples/pingpong-wrong-count.json" --html "$tmp/f.html" -q > "$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] && ok "the failing example fails (exit 1)" || bad "failing example: exit $rc"
has() { # NAME PATTERN MIN
	local c
	c=$(grep -oE "$2" "$tmp/f.html" | wc -l)
	if [ "$c" -ge "$3" ]; then ok "$1 ($c)"; else bad "$1: $c of at least $3"; fi
}
has "device-access rows in the event table" '<tr id="[^"]*" data-k="mmio">' 100
has "control-page register accesses named" 'class="det">shmem0\.ctl[0-9]+ \+0x[0-9a-f]+ [rw](8|16|32|64) = ' 10
has "GIC CPU interface accesses named" 'class="det">gicc \+0xc r32 = ' 3
has "device-access ticks on the timeline" '<path class="mm [rw]" data-k="mmio"' 100
has "an mmio checkbox in the event filter" '<input type="checkbox" value="mmio" checked>' 1
has "notify -> irq-ack arrows" '<path class="cause" data-k="notify"' 3
[ "$fails" -eq 0 ] && echo "report-check: all checks passed" || echo "report-check: $fails failed"
exit $((fails > 0))
