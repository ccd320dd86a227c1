#!/usr/bin/env bash
# report-open.sh - how long headless Chromium takes to open an HTML report.
# Not part of make test (Chromium is not a dependency): install Debian's
# chromium by hand to run it.
#   [NICE=-15] bench/report-open.sh REPORT.html [ROUNDS]
# (NICE, as root, raises the browser's priority on a machine others load.)
# Opens a copy of the report with one line appended: a load handler that
# records performance.now() (milliseconds from the start of navigation to
# the load event: reading, parsing, styling and layout of the whole page, and
# the report's own script, which runs before load) in the DOM, then forces
# style and layout of the whole page (reading document.body.offsetHeight)
# and records the time again: the page is then ready to paint. --dump-dom
# prints both. Alternates that copy (B) with an empty page (A)
# ROUNDS times and prints min and median of each, so a loaded machine shows
# in A. Wall time and CPU time (user + sys of every browser process) of the
# whole browser run are printed too: on a shared, loaded machine the CPU
# time B - A is the report's own cost, and wall times are inflated by waiting.
set -eu
report=$(realpath "$1")
rounds=${2:-7}
tmp=$(mktemp -d /tmp/hvsim-open.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
probe='<script>addEventListener("load",function(){var d=document.documentElement;d.setAttribute("data-load-ms",performance.now().toFixed(1));void document.body.offsetHeight;d.setAttribute("data-layout-ms",performance.now().toFixed(1));});</script>'
{ echo '<!doctype html><title>empty</title>'; echo "$probe"; } > "$tmp/a.html"
{ cat "$report"; echo "$probe"; } > "$tmp/b.html"
open_ms() {   # prints "load_ms layout_ms wall_s cpu_s"
	local ms lay
	TIMEFORMAT='%R %U %S'
	{ time nice -n "${NICE:-0}" chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$1" \
		> "$tmp/dom" 2>/dev/null ; } 2> "$tmp/time"
	ms=$(grep -o 'data-load-ms="[0-9.]*"' "$tmp/dom" | grep -o '[0-9.]*' || echo NaN)
	lay=$(grep -o 'data-layout-ms="[0-9.]*"' "$tmp/dom" | grep -o '[0-9.]*' || echo NaN)
	read -r wall user sys < "$tmp/time"
	echo "$ms $lay $wall $(echo "$user + $sys" | bc)"
}
al=() ay=() aw=() ac=() bl=() by=() bw=() bc=() dc=()
for i in $(seq "$rounds"); do
	read -r l y w c < <(open_ms "$tmp/a.html"); al+=("$l"); ay+=("$y"); aw+=("$w"); ac+=("$c")
	read -r l y w c2 < <(open_ms "$tmp/b.html"); bl+=("$l"); by+=("$y"); bw+=("$w"); bc+=("$c2")
	dc+=("$(echo "$c2 - $c" | bc)")
done
stats() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {printf "min %.3f, median %.3f", v[1], (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
echo "report: $report ($(stat -c %s "$report") bytes), $rounds rounds, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "A empty page, navigation to load event (ms):  $(stats "${al[@]}")"
echo "B report,     navigation to load event (ms):  $(stats "${bl[@]}")"
echo "A empty page, to load + full layout (ms):    $(stats "${ay[@]}")"
echo "B report,     to load + full layout (ms):    $(stats "${by[@]}")"
echo "A empty page, whole browser run (s):          $(stats "${aw[@]}")"
echo "B report,     whole browser run (s):          $(stats "${bw[@]}")"
echo "A empty page, CPU of all browser processes (s): $(stats "${ac[@]}")"
echo "B report,     CPU of all browser processes (s): $(stats "${bc[@]}")"
echo "B - A, CPU the report costs, per pair (s):    $(stats "${dc[@]}")"
