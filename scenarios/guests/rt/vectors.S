/* vectors.S - the EL1 exception vector table (VBAR_EL1, 16 entries x 0x80).
 *
 * Guests run at EL1h, so the simulator enters +0x200 (sync: svc, or a fault
 * under fault_delivery=guest) and +0x280 (IRQ). The SP_EL0 group (+0x000,
 * +0x080) is handled the same way in case a guest runs at EL1t. FIQ and
 * SError record FAIL 0xF1 and exit with code 0xF1; the lower-EL entries
 * (no EL0 code exists in a guest) record FAIL 0xF2 and exit 0xF2.
 *
 * IRQ frame (192 bytes): x0-x18, x29, x30, ELR_EL1, SPSR_EL1 (caller-saved
 * only: rt_irq_dispatch is a C function and keeps x19-x28 itself).
 * Sync frame (272 bytes): uint64_t frame[34], frame[0..30] = x0..x30,
 * frame[31] = ELR_EL1, frame[32] = SPSR_EL1, frame[33] = padding. It is
 * passed to rt_sync_dispatch(frame); every slot is reloaded on return, so
 * handlers may change registers and the return address. */

#define TESTDEV 0x09010000

    .cfi_sections .debug_frame      /* kept: link.ld discards .eh_frame */
#define TD_EXIT 0x00
#define TD_FAIL 0x08

    .section .text.vectors, "ax"
    .balign 2048
    .globl rt_vectors
rt_vectors:

.macro ventry label
    .balign 0x80
    b       \label
.endm

    /* current EL with SP_EL0 */
    ventry  rt_sync_entry           /* +0x000 sync */
    ventry  rt_irq_entry            /* +0x080 IRQ */
    ventry  rt_fiq_serror_entry     /* +0x100 FIQ */
    ventry  rt_fiq_serror_entry     /* +0x180 SError */
    /* current EL with SP_ELx */
    ventry  rt_sync_entry           /* +0x200 sync (svc: EC 0x15) */
    ventry  rt_irq_entry            /* +0x280 IRQ */
    ventry  rt_fiq_serror_entry     /* +0x300 FIQ */
    ventry  rt_fiq_serror_entry     /* +0x380 SError */
    /* lower EL, AArch64 */
    ventry  rt_lower_el_entry       /* +0x400 */
    ventry  rt_lower_el_entry       /* +0x480 */
    ventry  rt_lower_el_entry       /* +0x500 */
    ventry  rt_lower_el_entry       /* +0x580 */
    /* lower EL, AArch32 */
    ventry  rt_lower_el_entry       /* +0x600 */
    ventry  rt_lower_el_entry       /* +0x680 */
    ventry  rt_lower_el_entry       /* +0x700 */
    ventry  rt_lower_el_entry       /* +0x780 */
    .balign 0x80

/* Unwind information (DWARF CFI) for debuggers: each entry is described as
 * a signal frame, so `bt` in a handler goes through the entry to the code
 * the exception interrupted and on up its own frames. The CFA is the
 * interrupted SP (the frame sits right below it: guests run at EL1h, one
 * stack); the return column is the PC (DWARF 32), saved as ELR_EL1 in the
 * frame, and the interrupted x0-x30 are where the frame keeps them. Before
 * ELR is stored the PC column is undefined: the backtrace ends there. */
#define DWARF_PC 32

/* The CFI for x0..x17 saved at sp+0.. in a frame of \size bytes. */
.macro cfi_x0_x17 size
    .irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17
    .cfi_offset \r, 8 * \r - \size
    .endr
.endm

/* x0..x17 at sp+0..sp+143: the part both frames share. */
.macro save_x0_x17
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
.endm

.macro load_x0_x17
    ldp     x16, x17, [sp, #128]
    ldp     x14, x15, [sp, #112]
    ldp     x12, x13, [sp, #96]
    ldp     x10, x11, [sp, #80]
    ldp     x8, x9, [sp, #64]
    ldp     x6, x7, [sp, #48]
    ldp     x4, x5, [sp, #32]
    ldp     x2, x3, [sp, #16]
    ldp     x0, x1, [sp, #0]
.endm

    .text
    .type rt_irq_entry, %function
rt_irq_entry:
    .cfi_startproc
    .cfi_signal_frame
    .cfi_return_column DWARF_PC
    .cfi_undefined DWARF_PC
    sub     sp, sp, #192
    .cfi_def_cfa_offset 192
    save_x0_x17
    stp     x18, x29, [sp, #144]
    mrs     x0, elr_el1
    mrs     x1, spsr_el1
    stp     x30, x0, [sp, #160]
    cfi_x0_x17 192
    .cfi_offset x18, -48
    .cfi_offset x29, -40
    .cfi_offset x30, -32
    .cfi_offset DWARF_PC, -24
    str     x1, [sp, #176]
    bl      rt_irq_dispatch
    ldr     x1, [sp, #176]
    ldp     x30, x0, [sp, #160]
    msr     spsr_el1, x1
    msr     elr_el1, x0
    ldp     x18, x29, [sp, #144]
    load_x0_x17
    add     sp, sp, #192
    .cfi_def_cfa_offset 0
    eret
    .cfi_endproc
    .size rt_irq_entry, . - rt_irq_entry

    .type rt_sync_entry, %function
rt_sync_entry:
    .cfi_startproc
    .cfi_signal_frame
    .cfi_return_column DWARF_PC
    .cfi_undefined DWARF_PC
    sub     sp, sp, #272
    .cfi_def_cfa_offset 272
    save_x0_x17
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x0, elr_el1
    mrs     x1, spsr_el1
    stp     x30, x0, [sp, #240]
    cfi_x0_x17 272
    .irp r, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
    .cfi_offset \r, 8 * \r - 272
    .endr
    .cfi_offset DWARF_PC, -24
    str     x1, [sp, #256]
    mov     x0, sp
    bl      rt_sync_dispatch
    ldr     x1, [sp, #256]
    ldp     x30, x0, [sp, #240]
    msr     spsr_el1, x1
    msr     elr_el1, x0
    ldp     x28, x29, [sp, #224]
    ldp     x26, x27, [sp, #208]
    ldp     x24, x25, [sp, #192]
    ldp     x22, x23, [sp, #176]
    ldp     x20, x21, [sp, #160]
    ldp     x18, x19, [sp, #144]
    load_x0_x17
    add     sp, sp, #272
    .cfi_def_cfa_offset 0
    eret
    .cfi_endproc
    .size rt_sync_entry, . - rt_sync_entry

    /* Unexpected entries: FAIL id, then EXIT with the same code. */
    .type rt_fiq_serror_entry, %function
rt_fiq_serror_entry:
    mov     w0, #0xF1
    b       rt_unexpected
    .size rt_fiq_serror_entry, . - rt_fiq_serror_entry

    .type rt_lower_el_entry, %function
rt_lower_el_entry:
    mov     w0, #0xF2
    b       rt_unexpected
    .size rt_lower_el_entry, . - rt_lower_el_entry

rt_unexpected:
    movz    x1, #(TESTDEV >> 16), lsl #16
    str     w0, [x1, #TD_FAIL]
    str     w0, [x1, #TD_EXIT]
1:  b       1b
