#!/usr/bin/env bash
# gdb-e2e.sh - hvsim's GDB stub against a real gdb-multiarch: a source-level
# breakpoint, registers, stepi, memory, continue to the exit; then a two-VM
# scenario: threads, another VM's registers, monitor commands, the verdict. Run from the
# repository root after `make all`. Prints "gdb-e2e: N passed, M failed".
set -u
port=$(( 20000 + $$ % 20000 ))
out=$(mktemp)
build/hvsim debug scenarios/platform/hello.json --gdb "$port" > "$out.stub" 2>&1 &
stub=$!
for _ in $(seq 50); do grep -q listening "$out.stub" 2>/dev/null && break; sleep 0.1; done
timeout 60 gdb-multiarch -q -batch -nx build/guests/hello.elf \
	-ex "target remote :$port" -ex 'break main' -ex 'continue' \
	-ex 'printf "pc=%lx\n", $pc' -ex 'stepi' -ex 'printf "pc=%lx\n", $pc' \
	-ex 'x/1xw 0x40000000' -ex 'delete' -ex 'continue' > "$out" 2>&1
wait "$stub"
pass=0; fail=0
check() { if grep -q -- "$1" "${2:-$out}"; then pass=$((pass+1)); else fail=$((fail+1)); echo "gdb-e2e: missing: $1"; fi; }
check 'Breakpoint 1, main () at scenarios/guests/hello.c'
check 'pc=40001000'
check 'pc=40001004'
check '0x40000000 <_start>:	0x90000000'
check 'exited normally'

# Every VM is a thread; another VM's registers while stopped; monitor commands.
port=$((port + 1))
build/hvsim debug tests/gdb/two-vms.json --vm a --gdb "$port" > "$out.stub" 2>&1 &
stub=$!
for _ in $(seq 50); do grep -q listening "$out.stub" 2>/dev/null && break; sleep 0.1; done
timeout 60 gdb-multiarch -q -batch -nx build/guests/hello.elf \
	-ex "target remote :$port" -ex 'break main' -ex 'continue' -ex 'info threads' \
	-ex 'thread 2' -ex 'printf "b pc=%lx\n", $pc' -ex 'thread 1' -ex 'printf "a pc=%lx\n", $pc' \
	-ex 'monitor vms' -ex 'monitor events 1' -ex 'delete' -ex 'continue' > "$out" 2>&1
wait "$stub"
check 'Thread 1 (vm a (debugged): runnable at pc 0x40001000, icount 1301)'
check 'Thread 2 (vm b: runnable at pc 0x40000000, icount 0)'
check 'b pc=40000000'
check 'a pc=40001000'
check '^2 vm b: runnable at pc 0x40000000, icount 0'
check '"kind":"switch","to":"a","reason":"start"'
check 'the run ended: PASS' "$out.stub"
[ "$fail" -eq 0 ] || { echo "--- gdb output:"; cat "$out"; }
rm -f "$out" "$out.stub"
echo "gdb-e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
