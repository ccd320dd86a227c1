#!/usr/bin/env bash
# dpor-mutants.sh - bench/dpor-check.sh on broken devices: for each
# tests/mutants/*.patch (default: every one), build hvsim with it applied
# (in a copy of the tree) and compare the plain and the reduced search on the
# race scenarios. Prints one line per mutant and scenario where either search
# fails, and "VERDICTS DIFFER" where only one does. Exit 1 when any differ.
#
#   bench/dpor-mutants.sh [PATCH...]
#   DPOR_TIMEOUT=90 bench/dpor-mutants.sh tests/mutants/0[0-3]*.patch
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -gt 0 ]; then PATCHES=("$@"); else PATCHES=("$ROOT"/tests/mutants/*.patch); fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hvsim-dpor-mutants.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
(cd "$ROOT" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -a -t "$WORK" 2>/dev/null) || true
[ -d "$ROOT/build" ] && cp -a "$ROOT/build" "$WORK/build"
make -s -C "$WORK" build/hvsim >/dev/null 2>&1 || { echo "dpor-mutants: the tree does not build" >&2; exit 2; }
bad=0
for p in "${PATCHES[@]}"; do
	name=$(basename "$p" .patch)
	if ! (cd "$WORK" && patch -s -p1 <"$p"); then
		echo "$name: does not apply"; continue
	fi
	if make -s -C "$WORK" build/hvsim >/dev/null 2>&1; then
		out=$(cd "$WORK" && HVSIM="$WORK/build/hvsim" bench/dpor-check.sh 2>&1)
		rc=$?
		[ $rc -ne 0 ] && bad=1
		printf '%s\n' "$out" | awk -v m="$name" 'NR > 1 && ($2 != "PASS" || $4 != "PASS") { print m ": " $0 }'
		[ $rc -eq 0 ] && echo "$name: same verdicts"
	else
		echo "$name: does not build"
	fi
	(cd "$WORK" && patch -s -R -p1 <"$p")
done
exit $bad
