#!/usr/bin/env bash
# mutants.sh - does the suite have teeth? Each tests/mutants/NNN-NAME.patch
# breaks one device rule (its first line names the rule) in vdev/*.c or
# sim/gic.c. For each patch: apply it to a copy of the tree, rebuild
# build/hvsim, run the conformance suite (`hvsim conform -j 2 -q`). The
# mutant is killed when the suite fails. Prints every survivor (a gap in the
# suite) and "K/N mutants killed". Not part of `make test`.
#
#   tools/mutants.sh                 every patch
#   tools/mutants.sh PATCH...        only these
#   MUTANT_SUITE=scenarios/matrix tools/mutants.sh
#                                    judge with part of the suite only
#   MUTANT_EXITFIRST=1 tools/mutants.sh
#                                    stop each suite run at its first failure
#                                    (hvsim -x): the same verdicts, much
#                                    faster, but "killed by" names only the
#                                    first killer
# Exit status: 0 when every mutant was killed, 1 otherwise.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JOBS=${MUTANT_JOBS:-2}
TIMEOUT=${MUTANT_TIMEOUT:-900}
SCEN_TIMEOUT=${MUTANT_SCENARIO_TIMEOUT:-20}   # a scenario that hangs under a mutant fails
SUITE_ARGS=()
if [ -n "${MUTANT_SUITE:-}" ]; then
	SUITE_ARGS=(--suite "$MUTANT_SUITE")
fi
RUN_ARGS=()
if [ -n "${MUTANT_EXITFIRST:-}" ]; then
	RUN_ARGS=(-x)
fi

if [ $# -gt 0 ]; then
	PATCHES=("$@")
else
	PATCHES=("$ROOT"/tests/mutants/*.patch)
fi
[ -e "${PATCHES[0]}" ] || { echo "mutants: no patches in tests/mutants/" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hvsim-mutants.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# The tree as it is now (tracked and new files, not .git), with its build
# directory so that a mutant rebuilds only the file it changes.
echo "mutants: copying the tree to $WORK"
(cd "$ROOT" && git ls-files -co --exclude-standard -z | \
	xargs -0 cp --parents -a -t "$WORK" 2>/dev/null) || true
if [ -d "$ROOT/build" ]; then
	cp -a "$ROOT/build" "$WORK/build"
fi
make -s -C "$WORK" all >"$WORK/build.log" 2>&1 || {
	echo "mutants: the unmutated tree does not build:" >&2
	tail -20 "$WORK/build.log" >&2
	exit 2
}
(cd "$WORK" && build/hvsim conform -j "$JOBS" -q "${SUITE_ARGS[@]}" >/dev/null 2>&1) || {
	echo "mutants: the suite fails on the unmutated tree; fix that first" >&2
	exit 2
}

n=0
killed=0
survivors=()
broken=()
for p in "${PATCHES[@]}"; do
	name=$(basename "$p" .patch)
	rule=$(head -1 "$p" | sed 's/^# *//')
	n=$((n + 1))
	if ! patch -s -p1 -d "$WORK" --dry-run <"$p" >/dev/null 2>&1; then
		echo "BROKEN  $name: does not apply"
		broken+=("$name")
		continue
	fi
	patch -s -p1 -d "$WORK" <"$p"
	if ! make -s -C "$WORK" build/hvsim >"$WORK/mutant-build.log" 2>&1; then
		echo "BROKEN  $name: does not build"
		broken+=("$name")
	else
		set +e
		out=$(cd "$WORK" && timeout "$TIMEOUT" build/hvsim conform -j "$JOBS" -q --timeout "$SCEN_TIMEOUT" "${SUITE_ARGS[@]}" "${RUN_ARGS[@]}" 2>&1)
		rc=$?
		set -e
		if [ $rc -ne 0 ]; then
			killed=$((killed + 1))
			failing=$(printf '%s\n' "$out" | grep -E '^(FAIL|ERROR|TIMEOUT|CRASH)' | \
				sed -E 's/^[A-Z]+ ([^:]*):.*/\1/' | awk '!seen[$0]++')   # once each: -q repeats them under 'failures:'
			nf=$(printf '%s\n' "$failing" | grep -c . || true)
			first=$(printf '%s\n' "$failing" | head -4 | tr '\n' ' ')
			if [ "$nf" -gt 4 ]; then
				first="$first(+$((nf - 4)) more)"
			fi
			echo "killed  $name by $nf: ${first:-exit $rc}"
		else
			echo "SURVIVED $name: $rule"
			survivors+=("$name: $rule")
		fi
	fi
	patch -s -R -p1 -d "$WORK" <"$p"
done

echo
if [ ${#survivors[@]} -gt 0 ]; then
	echo "survivors (suite gaps):"
	printf '  %s\n' "${survivors[@]}"
fi
if [ ${#broken[@]} -gt 0 ]; then
	echo "broken patches (not counted as killed):"
	printf '  %s\n' "${broken[@]}"
fi
echo "$killed/$n mutants killed"
[ "$killed" -eq "$n" ]
