#!/usr/bin/env bash
# debug-prompt-e2e.sh - a scripted session of the prompt debugger (hvsim
# debug without --gdb) with its output checked: si and Enter repeating it,
# p on a register, x at a register plus an offset, n over a call, finish,
# bt, a watchpoint on shared data, reverse-continue to the last write and
# reverse-stepi, thread N, monitor commands, the verdict so far and at the
# end; then bt in an IRQ handler through the exception entry. Run from the
# repository root after `make all`. Prints "debug-prompt-e2e: N passed, M failed".
set -u
out=$(mktemp)
pass=0; fail=0
check() { if grep -q -- "$1" "${2:-$out}"; then pass=$((pass+1)); else fail=$((fail+1)); echo "debug-prompt-e2e: missing: $1"; fi; }

printf '%s\n' 'b main' 'c' 'si' '' 'p $pc' 'x $sp+8 2' 'n 3' 'n' 'b hv_yield' 'c' 'bt' \
	'finish' 'd hv_yield' 'watch 0x1800001004' 'c' 'rc' 'x 0x1800001004 1' 'rsi' \
	'thread 1' 'thread' 'p x29' 'thread 2' 'shmem' 'verdict' 'd 0x1800001004' 'c' 'q' |
	timeout 60 build/hvsim debug tests/gdb/shared.json --vm b > "$out" 2>&1
check '(hvsim b) vm b at 0x40001000 (icount 1301): stp x29, x30, \[sp, #-0x60\]!  <main>'
check '(hvsim b) vm b at 0x40001004 (icount 1302)'
check '(hvsim b) vm b at 0x40001008 (icount 1303): mov x29, sp  <main+0x8>'      # Enter: si again
check '(hvsim b) $pc = 0x40001008 (1073745928)'
check '(hvsim b) 0x40ffff98: 4000003c 00000000'                                 # x $sp+8: the saved LR
check '(hvsim b) vm b at 0x40001014 (icount 1306): bl #0x40002480  <main+0x14>'
check '(hvsim b) vm b at 0x40001018 (icount 1323): cbz w0'                       # n: the call run whole
check '(hvsim b) vm b at 0x40002880 (icount 1389): movz x1, #0x28  <hv_yield>'
check '(hvsim b) #0  0x0000000040002880 in hv_yield'
check '^#1  0x000000004000106c in main+0x6c'
check '^#2  0x000000004000003c in _start+0x3c'
check '(hvsim b) vm b at 0x4000106c (icount 1394): ldr w1, \[x20\]  <main+0x6c>'  # finish
check 'watchpoint at 0x1800001004 (4 bytes, writes)'
check 'watchpoint 0x1800001004: vm b wrote it at 0x40001090: str w0, \[x21, #0x1004\]  <main+0x90>'
check '  old 0x00000000, new 0x00000001; vm b now at 0x40001094 (icount 1409)'
check '(hvsim b) back to the last access to watchpoint 0x1800001004: vm b writes it here'
check '^vm b at 0x40001090 (icount 1408): str w0, \[x21, #0x1004\]  <main+0x90>'
check '(hvsim b) 0x1800001004: 00000000'                                        # the old value, back
check '(hvsim b) vm b at 0x4000108c (icount 1407)'                             # rsi
check '(hvsim b) \[thread 1: vm a exited with code 0\]'
check '(hvsim a) \* 1 vm a: exited 0'
check '^  2 vm b (debugged): runnable at pc 0x4000108c, icount 1407'
check '(hvsim a) x29 = 0x'
check '(hvsim b) region "r": 1 page, live, attach list 0x0002'
check '^  index 1: vm b shmem0, control page 0x1800000000, pending 0x0000, attach list changed (unseen)'
check '(hvsim b) so far, the run not over: 1 of 2 expectations hold; not (yet):'
check '^  expect\[1\]: vm b exits 0: expected exit 0, got no exit and no fault (icount 1407)'
check 'removed watchpoint 0x1800001004'
check '(hvsim b) vm b exited with code 0'
check '^the run ended: PASS (2 expectations, 0 failed)'
[ "$fail" -eq 0 ] || { echo "--- session:"; cat "$out"; }

# bt in an IRQ handler: through rt_irq_entry to the interrupted leaf and its caller.
printf '%s\n' 'b on_sgi' 'c' 'bt' 'gic' 'q' |
	timeout 60 build/hvsim debug scenarios/gic/sgi-self.json > "$out.i" 2>&1
check '(hvsim a) #0  0x0000000040001000 in on_sgi' "$out.i"
check '^#1  0x[0-9a-f]* in rt_irq_dispatch+0x' "$out.i"
check '^#2  0x[0-9a-f]* in rt_irq_entry+0x' "$out.i"
check '^#3  0x0000000040002278 in gic_send_sgi_self+0x14  (interrupted here)' "$out.i"
check '^#4  0x00000000400010d8 in main+0xb8' "$out.i"
check '^#5  0x000000004000003c in _start+0x3c' "$out.i"
check '^  intid 7: enabled, active, priority 0x80, edge' "$out.i"
[ "$fail" -eq 0 ] || { echo "--- session:"; cat "$out.i"; }
rm -f "$out" "$out.i"
echo "debug-prompt-e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
