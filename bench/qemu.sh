#!/bin/bash
# qemu.sh - the ALU loop of bench/mips.c under Debian's qemu-system-aarch64
# (plain TCG, and TCG with exact counting: -icount shift=0,align=off),
# against the simulator's VM on the same loop. Not a dependency: without
# qemu-system-aarch64 it says so and exits 0.
#
# Each QEMU figure is the CPU time (user + sys) of a whole process at
# ITER iterations minus that at 1000 iterations (start-up and shut-down
# cancel), so it is the loop's own speed; runs alternate, ROUNDS times.
# usage: bench/qemu.sh [ITERATIONS] [ROUNDS]
set -u
ITER=${1:-100000000}
ROUNDS=${2:-5}
MIPS=${MIPS:-build/bench/mips}
QEMU=$(command -v qemu-system-aarch64 || true)
if [ -z "$QEMU" ]; then
	echo "bench-qemu: SKIPPED: qemu-system-aarch64 is not installed (apt-get install qemu-system-arm)"
	exit 0
fi
[ -x "$MIPS" ] || { echo "bench-qemu: $MIPS is not built (make bench)" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

le() {   # one 32-bit word, little-endian
	local w; w=$(printf '%08x' "$1")
	printf "\\x${w:6:2}\\x${w:4:2}\\x${w:2:2}\\x${w:0:2}"
}
guest() {   # $1 iterations -> $2: the loop, then PSCI SYSTEM_OFF by hvc
	{
		le $((0xd2800000 | (($1 & 0xffff) << 5)))           # movz x0, lo
		le $((0xf2a00000 | ((($1 >> 16) & 0xffff) << 5)))   # movk x0, hi, lsl 16
		le 0xd503201f; le 0xd503201f                        # nop; nop
		le 0x91000421; le 0x91000442                        # 1: add x1; add x2
		le 0xf1000400; le 0x54ffffa1                        # subs x0; b.ne 1b
		le 0xd2800100; le 0xf2b08000                        # x0 = 0x84000008
		le 0xd4000002; le 0x14000000                        # hvc #0; b .
	} > "$2"
}
guest "$ITER" "$TMP/big.bin"
guest 1000 "$TMP/small.bin"

cpu() {   # CPU seconds (user + sys) of one qemu run
	local out
	out=$( { TIMEFORMAT='%3U %3S'; time "$QEMU" -M virt -cpu cortex-a72 -m 128 -nographic \
		-monitor none -serial none -display none -no-reboot \
		-device loader,file="$1",addr=0x40100000,cpu-num=0 "${@:2}" >/dev/null 2>&1; } 2>&1 )
	echo "$out" | awk '{ printf "%.3f", $1 + $2 }'
}
stats() {   # values on stdin -> "min median"
	sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
		printf "min %8.1f median %8.1f", v[1], m }'
}
INSNS=$(( 4 * (ITER - 1000) ))
: > "$TMP/plain"; : > "$TMP/icount"
for r in $(seq "$ROUNDS"); do
	pb=$(cpu "$TMP/big.bin"); ib=$(cpu "$TMP/big.bin" -icount shift=0,align=off)
	ps=$(cpu "$TMP/small.bin"); is=$(cpu "$TMP/small.bin" -icount shift=0,align=off)
	awk -v b="$pb" -v s="$ps" -v n="$INSNS" 'BEGIN { printf "%.1f\n", n / (b - s) / 1e6 }' >> "$TMP/plain"
	awk -v b="$ib" -v s="$is" -v n="$INSNS" 'BEGIN { printf "%.1f\n", n / (b - s) / 1e6 }' >> "$TMP/icount"
done
"$MIPS" "$ITER" 10000 "$ROUNDS" > "$TMP/mips" || exit 1
read -r _ HC HD HF < <(grep '^hvsim-mips' "$TMP/mips")
P=$(stats < "$TMP/plain"); I=$(stats < "$TMP/icount")
echo "ALU loop (add; add; subs; b.ne), $ITER iterations, $ROUNDS alternating rounds, CPU time"
echo "  $("$QEMU" --version | head -1)"
echo "  qemu TCG:                            $P M instr/s"
echo "  qemu TCG -icount shift=0,align=off:  $I M instr/s"
echo "  hvsim, quantum 10000 (block ends):   median $HC M instr/s"
echo "  hvsim, quantum 10001 (inside blocks): median $HD M instr/s"
echo "  the floor (bare Unicorn, adding block hook): median $HF M instr/s"
IM=$(stats < "$TMP/icount" | awk '{ print $4 }'); PM=$(stats < "$TMP/plain" | awk '{ print $4 }')
awk -v c="$HC" -v d="$HD" -v f="$HF" -v i="$IM" -v p="$PM" 'BEGIN {
	printf "  ratio hvsim / qemu -icount (target >= 2): %.2f (block ends) %.2f (inside blocks)\n", c / i, d / i
	printf "  ratio hvsim / qemu TCG:                   %.2f (block ends) %.2f (inside blocks)\n", c / p, d / p
	printf "  ratio floor / qemu -icount:               %.2f (the most any block-hook count reaches)\n", f / i }'
