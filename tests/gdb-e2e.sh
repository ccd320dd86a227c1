#!/usr/bin/env bash
# gdb-e2e.sh - hvsim's GDB stub against a real gdb-multiarch: a source-level
# breakpoint, registers, stepi, memory, continue to the exit; then a two-VM
# scenario: threads, another VM's registers, monitor commands, the verdict;
# eight VMs: threads, a breakpoint in one while others run, stepi 300 timed; a
# watchpoint on shared data hit by the peer VM, a device page; reverse
# execution back to the last writes of a shared word; bt from an IRQ handler
# to the interrupted code; ^C. Run from the
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

# A watchpoint on shared data, set in vm b's view, stops on vm a's write (the
# peer) on a's thread, after the store as GDB reports it; then on b's own write.
# Device pages (a shmem control page, the GIC) read as their registers.
port=$((port + 1))
build/hvsim debug tests/gdb/shared.json --vm b --gdb "$port" > "$out.stub" 2>&1 &
stub=$!
for _ in $(seq 50); do grep -q listening "$out.stub" 2>/dev/null && break; sleep 0.1; done
timeout 60 gdb-multiarch -q -batch -nx build/guests/race_checkset.elf \
	-ex "target remote :$port" -ex 'break race_checkset.c:21' -ex 'continue' -ex 'delete' \
	-ex 'monitor shmem' -ex 'monitor peek 0x1800000000 2' \
	-ex 'x/2xw 0x1800000000' -ex 'x/2xw 0x08000000' -ex 'x/4xw 0x08010000' -ex 'watch *(volatile unsigned *)0x1800001004' -ex 'continue' \
	-ex 'printf "watch pc=%lx\n", $pc' -ex 'x/i $pc - 4' -ex 'continue' \
	-ex 'printf "watch pc=%lx\n", $pc' -ex 'delete' -ex 'continue' > "$out.w" 2>&1
wait "$stub"
check '0x1800000000:	0x00030000	0x00000001' "$out.w"
check '^region "r": 1 page, live, attach list 0x0003' "$out.w"
check '^  index 0: vm a shmem0, control page 0x1800000000, pending 0x0000, attach list changed (unseen)' "$out.w"
check '^  index 1: vm b shmem0, control page 0x1800000000, pending 0x0000$' "$out.w"
check '^device registers of shmem0.ctl1 (peeked: no side effects):' "$out.w"
check '^0x1800000000: 00030000 00000001' "$out.w"
check '0x8000000:	0x00000000	0x00000007' "$out.w"          # GICD_CTLR, GICD_TYPER
check '0x8010000:	0x00000000	0x00000000	0x00000002	0x000003ff' "$out.w"   # ... GICC_IAR: spurious
check 'Thread 1 hit Hardware watchpoint 2: \*(volatile unsigned \*)0x1800001004' "$out.w"
check 'Old value = 1' "$out.w"
check 'New value = 0' "$out.w"
check 'watch pc=400010b8' "$out.w"
check '0x400010b4 <main+180>:	str	w0, \[x21, #4100\]' "$out.w"
check 'Thread 2 hit Hardware watchpoint 2' "$out.w"
check 'watch pc=40001094' "$out.w"
check 'the run ended: PASS' "$out.stub"

# Eight VMs: every one a thread; a breakpoint in v3 while v0..v2 have run
# their quanta and v4..v7 wait their turn; another VM's registers; stepi 300
# timed (target: under 1 s; the best of two runs, the machine is shared).
port=$((port + 1))
build/hvsim debug scenarios/sched/eight-vms.json --vm v3 --gdb "$port" > "$out.stub" 2>&1 &
stub=$!
for _ in $(seq 50); do grep -q listening "$out.stub" 2>/dev/null && break; sleep 0.1; done
timeout 60 gdb-multiarch -q -batch -nx build/guests/count.elf \
	-ex "target remote :$port" -ex 'break main' -ex 'continue' -ex 'info threads' \
	-ex 'thread 6' -ex 'printf "t6 pc=%lx sp=%lx\n", $pc, $sp' -ex 'thread 1' -ex 'printf "t1 pc=%lx\n", $pc' \
	-ex 'thread 4' -ex 'delete' \
	-ex 'python import time; t0 = time.time()' -ex 'stepi 300' -ex 'python t1 = time.time()' \
	-ex 'stepi 300' -ex 'python print("stepi 300 best %.3f s" % min(t1 - t0, time.time() - t1))' \
	-ex 'python print("stepi300-fast" if min(t1 - t0, time.time() - t1) < 1.0 else "stepi300-slow")' \
	-ex 'monitor vms' -ex 'continue' > "$out.e" 2>&1
wait "$stub"
check 'Thread 4 hit Breakpoint 1, main () at scenarios/guests/count.c:17' "$out.e"
for t in 1 2 3; do
	check "^  $t    Thread $t (vm v$((t - 1)): runnable at pc 0x40001068, icount 2000)" "$out.e"
done
check '^\* 4    Thread 4 (vm v3 (debugged): runnable at pc 0x40001000, icount 1301)' "$out.e"
for t in 5 6 7 8; do
	check "^  $t    Thread $t (vm v$((t - 1)): runnable at pc 0x40000000, icount 0)" "$out.e"
done
check 't6 pc=40000000 sp=41000000' "$out.e"
check 't1 pc=40001068' "$out.e"
check '^4 vm v3 (debugged): runnable at pc 0x[0-9a-f]*, icount 1901$' "$out.e"
check 'stepi300-fast' "$out.e"
check 'exited normally' "$out.e"
check 'the run ended: PASS (11 expectations, 0 failed)' "$out.stub"
grep -h 'stepi 300 best' "$out.e"
[ "$fail" -eq 0 ] || { echo "--- gdb output:"; cat "$out.e"; }

# Reverse execution: who last wrote the shared word? From b's breakpoint
# after both VMs wrote data[1], a watchpoint and reverse-continue land on
# b's own increment, then on a's decrement before it (on a's thread);
# reverse-stepi goes one instruction of a back; reverse-continue with no
# stops left reaches the start; the run then goes forward to the end.
port=$((port + 1))
build/hvsim debug tests/gdb/shared.json --vm b --gdb "$port" > "$out.stub" 2>&1 &
stub=$!
for _ in $(seq 50); do grep -q listening "$out.stub" 2>/dev/null && break; sleep 0.1; done
timeout 60 gdb-multiarch -q -batch -nx build/guests/race_checkset.elf \
	-ex "target remote :$port" -ex 'break race_checkset.c:28' -ex 'continue' -ex 'delete' \
	-ex 'watch *(volatile unsigned *)0x1800001004' -ex 'reverse-continue' \
	-ex 'printf "back pc=%lx thread=%d\n", $pc, $_thread' -ex 'x/i $pc' \
	-ex 'reverse-continue' -ex 'printf "back pc=%lx thread=%d\n", $pc, $_thread' -ex 'x/i $pc' \
	-ex 'reverse-stepi' -ex 'printf "back pc=%lx thread=%d\n", $pc, $_thread' \
	-ex 'stepi' -ex 'printf "fwd pc=%lx thread=%d\n", $pc, $_thread' \
	-ex 'delete' -ex 'reverse-continue' -ex 'printf "start pc=%lx\n", $pc' -ex 'info threads' \
	-ex 'continue' > "$out.r" 2>&1
wait "$stub"
check 'Thread 2 hit Breakpoint 1, main () at scenarios/guests/race_checkset.c:28' "$out.r"
check 'Thread 2 hit Hardware watchpoint 2: \*(volatile unsigned \*)0x1800001004' "$out.r"
check 'back pc=40001090 thread=2' "$out.r"
check '=> 0x40001090 <main+144>:	str	w0, \[x21, #4100\]' "$out.r"
check 'Thread 1 hit Hardware watchpoint 2' "$out.r"
check 'back pc=400010b4 thread=1' "$out.r"
check '=> 0x400010b4 <main+180>:	str	w0, \[x21, #4100\]' "$out.r"
check 'back pc=400010b0 thread=1' "$out.r"
check 'fwd pc=400010b4 thread=1' "$out.r"
check 'No more reverse-execution history.' "$out.r"
check 'start pc=40000000' "$out.r"
check 'Thread 1 (vm a: runnable at pc 0x40000000, icount 0)' "$out.r"
check 'exited normally' "$out.r"
check 'the run ended: PASS' "$out.stub"
[ "$fail" -eq 0 ] || { echo "--- gdb output:"; cat "$out.r"; }

# bt in an IRQ handler: through rt_irq_entry (a signal frame in the runtime's
# CFI) to the interrupted code, up to main, and no further.
port=$((port + 1))
build/hvsim debug scenarios/gic/sgi-self.json --gdb "$port" > "$out.stub" 2>&1 &
stub=$!
for _ in $(seq 50); do grep -q listening "$out.stub" 2>/dev/null && break; sleep 0.1; done
timeout 60 gdb-multiarch -q -batch -nx build/guests/gic_sgi.elf \
	-ex "target remote :$port" -ex 'break on_sgi' -ex 'continue' -ex 'bt' \
	-ex 'frame 3' -ex 'printf "interrupted pc=%lx\n", $pc' -ex 'monitor gic' -ex 'monitor verdict' \
	-ex 'delete' -ex 'continue' > "$out.i" 2>&1
wait "$stub"
check '^#0  on_sgi (intid=7, arg=0x0) at scenarios/guests/gic_sgi.c:29' "$out.i"
check '^#1  0x[0-9a-f]* in rt_irq_dispatch () at scenarios/guests/rt/irq.c' "$out.i"
check '^#2  <signal handler called>' "$out.i"
check '^#3  0x0000000040002278 in gic_send_sgi_self (sgi=sgi@entry=7) at scenarios/guests/rt/gic.c' "$out.i"
check '^#4  0x[0-9a-f]* in main () at scenarios/guests/gic_sgi.c:55' "$out.i"
if grep -q '^#5' "$out.i" || grep -qi 'corrupt\|Backtrace stopped' "$out.i"; then
	fail=$((fail+1)); echo "gdb-e2e: bt goes past main"
else
	pass=$((pass+1))
fi
check 'interrupted pc=40002278' "$out.i"
# monitor gic: the CPU interface and the SGI being handled (active), read without acknowledging
check '^vm a: distributor on, cpu interface on, PMR 0xf0, BPR 2, running priority 0x80, nothing pending beats them' "$out.i"
check '^  intid 7: enabled, active, priority 0x80, edge' "$out.i"
check '^  intid 8: enabled, priority 0x80, edge' "$out.i"
check '^so far, the run not over: 7 of 11 expectations hold; not (yet):' "$out.i"
check 'expect\[3\]: vm a acknowledges irq 9 exactly 2 times: expected 2 acknowledgements of intid 9, got 1' "$out.i"
check 'exited normally' "$out.i"
[ "$fail" -eq 0 ] || { echo "--- gdb output:"; cat "$out.i"; }

# ^C: GDB gets SIGINT during continue, sends 0x03; the stub pauses the system.
port=$((port + 1))
build/hvsim debug tests/gdb/spin.json --vm a --gdb "$port" > "$out.stub" 2>&1 &
stub=$!
for _ in $(seq 50); do grep -q listening "$out.stub" 2>/dev/null && break; sleep 0.1; done
gdb-multiarch -q -batch -nx build/guests/loop_forever.elf -ex "target remote :$port" \
	-ex 'continue' -ex 'info threads' -ex 'kill' > "$out.c" 2>&1 < /dev/null &
gdbpid=$!
sleep 1.5
kill -INT "$gdbpid" 2>/dev/null
for _ in $(seq 100); do kill -0 "$gdbpid" 2>/dev/null || break; sleep 0.1; done
kill "$gdbpid" 2>/dev/null      # bounded: a GDB that did not stop is ended
wait "$gdbpid" 2>/dev/null
for _ in $(seq 50); do kill -0 "$stub" 2>/dev/null || break; sleep 0.1; done
kill "$stub" 2>/dev/null
wait "$stub" 2>/dev/null
check 'Thread 1 received signal SIGINT, Interrupt.' "$out.c"
check 'Thread 2 (vm b: runnable at pc' "$out.c"
check 'killed' "$out.c"
[ "$fail" -eq 0 ] || { echo "--- gdb output:"; cat "$out.w" "$out.c"; }
rm -f "$out" "$out.stub" "$out.w" "$out.c" "$out.r" "$out.i" "$out.e"
echo "gdb-e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
