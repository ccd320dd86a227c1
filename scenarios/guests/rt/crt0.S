/* crt0.S - guest entry (CONTRACT 2: EL1h, MMU off, DAIF all masked, x0 = 0).
 * The simulator has already set SP (below the scenario args at the top of
 * RAM), so SP is left alone. DAIF stays masked: guests call irq_enable(). */
    .cfi_sections .debug_frame         /* kept: link.ld discards .eh_frame */
    .section .text.start, "ax"
    .globl _start
    .type _start, %function
_start:
    .cfi_startproc
    .cfi_undefined x30                  /* the outermost frame: backtraces end here */
    adrp    x0, rt_vectors              /* VBAR_EL1 = vector table (2 KiB aligned) */
    add     x0, x0, :lo12:rt_vectors
    msr     vbar_el1, x0
    isb

    adrp    x0, __bss_start             /* zero .bss; both ends 16-byte aligned */
    add     x0, x0, :lo12:__bss_start
    adrp    x1, __bss_end
    add     x1, x1, :lo12:__bss_end
1:  cmp     x0, x1
    b.hs    2f
    stp     xzr, xzr, [x0], #16
    b       1b

2:  mov     x29, #0                     /* end of the frame chain for debuggers */
    mov     x30, #0
    bl      main
    bl      hv_exit                     /* exit code = main's return value (w0) */
3:  b       3b
    .cfi_endproc
    .size _start, . - _start
