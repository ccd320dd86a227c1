#!/bin/sh
# include-graph.sh - the project's structure, read from its #include lines.
#
#   tools/include-graph.sh            folder edges, then module edges, then checks
#   tools/include-graph.sh --files    every file-to-file edge
#   tools/include-graph.sh --dot      the module graph in Graphviz DOT
#   tools/include-graph.sh --check    the checks only
#
# A module is X.c with X.h (and X_int.h or X_internal.h, its private header
# shared by the files that make up its inside); the guest programs of
# scenarios/guests/ count as one module. The checks (exit 1 when one fails):
#   - floors: an edge may only go down: tools > reports > conformance > sim > vdev
#     (tests/, bench/ and the guests in scenarios/ stand beside the floors and
#     may include any floor; nothing in a floor includes them);
#   - no cycle between modules (coreutils' tsort finds them);
#   - every quoted include resolves to a file of the tree.
set -eu
cd "$(dirname "$0")/.."
mode=${1:-}

floor_of() {
	case $1 in
	vdev/*) echo 1 ;; sim/*) echo 2 ;; conformance/*) echo 3 ;;
	reports/*) echo 4 ;; tools/*) echo 5 ;; *) echo 0 ;;
	esac
}

# file -> included file, each resolved the way the compilers resolve it:
# beside the including file first, then from the root (-I.), and for guests
# from their runtime (-Iscenarios/guests/rt).
edges() {
	find vdev sim conformance reports tools tests bench scenarios/guests \
		-name '*.[chS]' -type f 2>/dev/null | LC_ALL=C sort |
	while read -r f; do
		dir=$(dirname "$f")
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
		while read -r inc; do
			for cand in "$dir/$inc" "$inc" "scenarios/guests/rt/$inc"; do
				if [ -f "$cand" ]; then
					realpath --relative-to=. "$cand" | sed "s|^|$f |"
					continue 2
				fi
			done
			echo "$f ?$inc"
		done
	done
}

module() {
	m=${1%.*}
	case $m in
	scenarios/guests/rt/*) ;;
	scenarios/guests/*) m="scenarios/guests/*" ;;
	esac
	m=${m%_internal}
	echo "${m%_int}"
}

all=$(edges)

case $mode in
--files)
	echo "$all" | sed 's/ / -> /'
	exit 0 ;;
--dot)
	echo "digraph includes {"
	echo "  rankdir=BT; node [shape=box, fontsize=10];"
	echo "$all" | while read -r a b; do
		ma=$(module "$a"); mb=$(module "$b")
		[ "$ma" = "$mb" ] || echo "  \"$ma\" -> \"$mb\";"
	done | LC_ALL=C sort -u
	echo "}"
	exit 0 ;;
""|--check) ;;
*)
	echo "usage: tools/include-graph.sh [--files | --dot | --check]" >&2
	exit 2 ;;
esac

bad=0
modules=$(echo "$all" | while read -r a b; do
	ma=$(module "$a"); mb=$(module "$b")
	[ "$ma" = "$mb" ] || echo "$ma $mb"
done | LC_ALL=C sort -u)
if [ "$mode" != --check ]; then
echo "== folders (edges counted)"
echo "$all" | while read -r a b; do
	fa=$(dirname "$a"); fb=$(dirname "$b")
	[ "$fa" = "$fb" ] || echo "$fa -> $fb"
done | LC_ALL=C sort | uniq -c

echo "== modules"
echo "$modules" | awk '{ if ($1 != last) { if (last != "") print line; line = $1 " ->"; last = $1 }
	line = line " " $2 } END { if (last != "") print line }'
fi

echo "== checks"
unresolved=$(echo "$all" | grep ' ?' || true)
if [ -n "$unresolved" ]; then
	echo "FAIL unresolved includes:"; echo "$unresolved" | sed 's/^/  /'
	bad=1
fi
upward=$(echo "$all" | while read -r a b; do
	ra=$(floor_of "$a"); rb=$(floor_of "$b")
	if [ "$ra" -gt 0 ] && { [ "$rb" -eq 0 ] || [ "$rb" -gt "$ra" ]; }; then
		echo "$a -> $b"
	fi
done)
if [ -n "$upward" ]; then
	echo "FAIL edges that go up a floor:"; echo "$upward" | sed 's/^/  /'
	bad=1
else
	echo "ok   no edge goes up a floor (tools > reports > conformance > sim > vdev)"
fi
if loops=$(echo "$modules" | tsort 2>&1 >/dev/null) && [ -z "$loops" ]; then
	echo "ok   no cycle among $(echo "$modules" | tr ' ' '\n' | LC_ALL=C sort -u | wc -l) modules"
else
	echo "FAIL module cycle:"; echo "$loops" | sed 's/^/  /'
	bad=1
fi
exit $bad
