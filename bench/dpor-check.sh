#!/usr/bin/env bash
# dpor-check.sh - does the partial-order reduction find what the plain search
# finds? For each scenario (default: every race scenario and the broken
# check-then-set example), run `hvsim explore` plain and with --dpor; print
# both verdicts, both schedule counts and the reduction factor (plain / reduced).
# Exit 1 when a verdict differs (a failure one search finds and the other
# does not), 0 otherwise.
#
#   bench/dpor-check.sh [SCENARIO.json ...]
#   HVSIM=/path/to/hvsim bench/dpor-check.sh      (a mutant's build, say)
#   DPOR_TIMEOUT=120 bench/dpor-check.sh           (per search; INCOMPLETE then)
#   DPOR_SCENARIOS="a.json b.json" bench/dpor-check.sh   (the default set)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HVSIM=${HVSIM:-$ROOT/build/hvsim}
TIMEOUT=${DPOR_TIMEOUT:-600}
cd "$ROOT"
if [ $# -eq 0 ]; then
	# shellcheck disable=SC2086
	set -- ${DPOR_SCENARIOS:-scenarios/races/*.json examples/checkset-race.json}
fi
# "explore NAME: N schedules, ..." then the verdict line "PASS NAME..."
search() {
	local out
	out=$("$HVSIM" explore "$1" -q --timeout "$TIMEOUT" "${@:2}" 2>/dev/null)
	local n verdict
	n=$(printf '%s\n' "$out" | sed -n 's/^explore [^:]*: \([0-9]*\) schedules\{0,1\},.*/\1/p' | head -1)
	verdict=$(printf '%s\n' "$out" | grep -m1 -oE '^(PASS|FAIL|ERROR|INCOMPLETE) ')
	if [ -z "$verdict" ]; then   # -q prints only what did not pass
		verdict=PASS
	fi
	echo "${verdict% } ${n:-?}"
}
bad=0
printf '%-28s %-10s %8s   %-10s %8s   %s\n' scenario plain schedules reduced schedules factor
for f in "$@"; do
	read -r pv pn < <(search "$f")
	read -r dv dn < <(search "$f" --dpor)
	factor=$(awk -v a="$pn" -v b="$dn" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }')
	flag=""
	if [ "$pv" != "$dv" ] && [ "$pv" != INCOMPLETE ] && [ "$dv" != INCOMPLETE ]; then
		flag="  VERDICTS DIFFER"
		bad=1
	fi
	printf '%-28s %-10s %8s   %-10s %8s   %s%s\n' "$(basename "$f" .json)" "$pv" "$pn" "$dv" "$dn" "$factor" "$flag"
done
exit $bad
