#!/usr/bin/env bash
# install-e2e.sh - hvsim as a user installs it: `make install` into a
# temporary DESTDIR and PREFIX, then, from a directory outside the tree and
# through a symlink on PATH: --version, the installed suite passes with
# `hvsim conform`, a guest driver of our own built with the installed
# hvsim-cc runs (and a wrong expectation about it fails), the installed man
# page renders without warnings; last `make uninstall` leaves no file under
# the prefix. Run from anywhere after `make all`; every command is under
# `timeout`, and the temporary directory goes whatever happens.
# Prints "install-e2e: N passed, M failed".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
make=${MAKE:-make}
dir=$(mktemp -d /tmp/hvsim-install-XXXXXX)
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM
stage=$dir/stage
prefix=/opt/hvsim-e2e
P=$stage$prefix
export XDG_STATE_HOME=$dir/state
unset HVSIM_LASTFAILED HVSIM_RT HVSIM_GUEST_CC
pass=0; fail=0
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "install-e2e: $1"; [ -f "$dir/out" ] && tail -n 20 "$dir/out" | sed 's/^/    | /'; }
# run SECONDS ARGS...: output in $dir/out, exit status in $rc
run() { local t=$1; shift; timeout "$t" "$@" > "$dir/out" 2>&1; rc=$?; }
status()  { if [ "$rc" -eq "$2" ]; then ok; else bad "$1: exit $rc, wanted $2"; fi; }
has()     { if grep -qF -- "$2" "$dir/out"; then ok; else bad "$1: no line '$2'"; fi; }
lastline(){ if [ "$(tail -n 1 "$dir/out")" = "$2" ]; then ok; else bad "$1: last line not '$2'"; fi; }

# 1. install into DESTDIR/PREFIX: every part where it belongs
run 600 "$make" -C "$root" --no-print-directory install DESTDIR="$stage" PREFIX="$prefix"
status "make install" 0
for f in bin/hvsim bin/hvsim-cc share/man/man1/hvsim.1 share/hvsim/guests/hello.elf \
	share/hvsim/rt/crt0.o share/hvsim/rt/librt-hvsim.a share/hvsim/rt/link.ld \
	share/hvsim/rt/include/hv.h share/hvsim/rt/include/shmem.h share/hvsim/rt/include/gic.h \
	share/hvsim/rt/include/shmem_regs.h share/hvsim/rt/include/gicv2_regs.h; do
	if [ -f "$P/$f" ]; then ok; else bad "install: no $prefix/$f"; fi
done
if [ -x "$P/bin/hvsim" ] && [ -x "$P/bin/hvsim-cc" ]; then ok; else bad "install: bin/ not executable"; fi
n_suite=$(cd "$root" && ls scenarios/*/*.json | wc -l)
n_inst=$(find "$P/share/hvsim/scenarios" -name '*.json' | wc -l)
if [ "$n_suite" -gt 0 ] && [ "$n_inst" -eq "$n_suite" ]; then ok; else bad "install: $n_inst of $n_suite scenarios"; fi
n_guests=$(ls "$root"/build/guests/*.elf | wc -l)
if [ "$(ls "$P"/share/hvsim/guests/*.elf | wc -l)" -eq "$n_guests" ]; then ok; else bad "install: guests"; fi
# nothing of the tree is named in what was installed: it works once the tree is gone
if grep -rqF -- "$root" "$P/bin/hvsim-cc" "$P/share/hvsim/rt/include"; then bad "install: names the tree"; else ok; fi

# 2. the installed tools through a symlink on PATH (hvsim resolves its real
# path), from a directory outside the tree
mkdir -p "$dir/path" "$dir/work"
ln -s "$P/bin/hvsim" "$dir/path/hvsim"
ln -s "$P/bin/hvsim-cc" "$dir/path/hvsim-cc"
export PATH="$dir/path:$PATH"
cd "$dir/work" || exit 1
run 30 hvsim --version
status "--version" 0
if grep -qx 'hvsim [0-9][0-9.]*' "$dir/out"; then ok; else bad "--version: not 'hvsim VERSION'"; fi
version=$(cat "$dir/out")
# the man page names the version it documents (bump man/hvsim.1's .TH with VERSION)
if grep -q "^\.TH HVSIM 1 \"[^\"]*\" \"$version\"" "$P/share/man/man1/hvsim.1"; then ok; else bad "man page .TH does not say '$version'"; fi
run 30 hvsim conform --list
has "conform --list" "$n_suite scenarios selected (--list: none run)"
run 900 hvsim conform -q -j 2
status "conform (installed suite)" 0
lastline "conform (installed suite)" "$n_suite passed, 0 failed"
# --last-failed state goes to XDG_STATE_HOME, never under the prefix
if [ -f "$XDG_STATE_HOME/hvsim/lastfailed" ]; then ok; else bad "conform: no state in \$XDG_STATE_HOME"; fi

# 3. a guest driver of our own, built with the installed hvsim-cc
cat > drv.c <<'EOF'
/* A user's guest driver: the runtime's printf, args, marks; exit 0. */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

int main(void)
{
    printf("my driver on vm %u of %u, arg %lu\n", hv_vmid(), hv_nvms(), hv_arg(0));
    hv_mark(7);
    return 0;
}
EOF
run 120 hvsim-cc -o drv.elf drv.c
status "hvsim-cc" 0
if [ -f drv.elf ] && [ "$(od -An -tx1 -j18 -N2 drv.elf | tr -d ' ')" = "b700" ]; then ok; else bad "hvsim-cc: drv.elf is not AArch64"; fi
run 30 hvsim-cc --version
has "hvsim-cc --version" "hvsim-cc "
mkdir -p sc
cat > sc/my.json <<'EOF'
{"description": "a user's own driver, named by path",
 "vms": [{"name": "a", "program": "../drv.elf", "args": [42]}],
 "expect": [{"vm": "a", "console": "my driver on vm 0 of 1, arg 42"}]}
EOF
cat > sc/wrong.json <<'EOF'
{"vms": [{"name": "a", "program": "../drv.elf", "args": [42]}],
 "expect": [{"vm": "a", "console": "arg 43"}]}
EOF
run 60 hvsim lint sc/my.json
status "lint my.json" 0
run 120 hvsim run sc/my.json
status "run my.json" 0
has "run my.json" "PASS my"
lastline "run my.json" "1 passed, 0 failed"
run 120 hvsim run sc/wrong.json
status "run wrong.json" 1
has "run wrong.json" "FAIL wrong: "

# 4. the man page renders, without a warning
run 60 env MANWIDTH=80 man --warnings -l "$P/share/man/man1/hvsim.1"
status "man -l" 0
has "man -l" "hvsim-cc"
if MANWIDTH=80 timeout 60 man --warnings -l "$P/share/man/man1/hvsim.1" 2>&1 >/dev/null | grep -q .; then
	bad "man -l: warnings"
else
	ok
fi

# 5. uninstall: no file left under the prefix, no share/hvsim
cd "$root" || exit 1
run 120 "$make" -C "$root" --no-print-directory uninstall DESTDIR="$stage" PREFIX="$prefix"
status "make uninstall" 0
left=$(find "$stage" ! -type d)
if [ -z "$left" ]; then ok; else bad "uninstall left: $left"; fi
if [ ! -e "$P/share/hvsim" ]; then ok; else bad "uninstall left share/hvsim"; fi

echo "install-e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
