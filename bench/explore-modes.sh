#!/usr/bin/env bash
# explore-modes.sh - does every way of running the search visit the same
# schedules with the same runs? For each mode (the default: warm re-execution
# with prefix snapshots; --cold, --snapshots, --no-snapshots, --fork, --fork -j 2, -j 2,
# -j 3, -j 4, --dpor, --dpor --sleep-sets) print one line:
# per scenario its schedule count, the digest of the schedules run and the
# digest of every run's event log (`-v --outcome-digest`). The plain modes must
# print the same; the reduced ones their own counts (docs/explore.md).
# Exit 1 when a plain mode differs from the default.
#
#   bench/explore-modes.sh [SCENARIO.json|DIR ...]
#   HVSIM=/path/to/hvsim bench/explore-modes.sh   (another build, to compare)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HVSIM=${HVSIM:-$ROOT/build/hvsim}
cd "$ROOT"
if [ $# -eq 0 ]; then
	set -- scenarios/races examples/checkset-race.json
fi
line() {
	# shellcheck disable=SC2086
	"$HVSIM" explore "$@" -v --outcome-digest 2>&1 |
		awk '/^explore /{n=$2; c=$3} /digest of the schedules/{sd=$NF}
		     /digest of the runs/{printf " %s%s %s %s |", n, c, sd, $NF}'
}
status=0
ref=$(line "$@")
for m in "" "--cold" "--snapshots" "--no-snapshots" "--fork" "--fork -j 2" "-j 2" "-j 3" "-j 4" "--dpor" "--dpor --sleep-sets"; do
	# shellcheck disable=SC2086
	got=$(line "$@" $m)
	printf '%-20s%s\n' "[${m:-default}]" "$got"
	case $m in
	--dpor*) ;;
	*) [ "$got" = "$ref" ] || status=1 ;;
	esac
done
exit $status
