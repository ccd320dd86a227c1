/* hv.h - the guest runtime: what every hvsim guest program can use.
 * Guests run at EL1h, MMU off, on the platform of CONTRACT section 2. */
#ifndef HV_GUEST_H
#define HV_GUEST_H

#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>

/* Platform addresses (CONTRACT 2). */
#define UART_BASE     0x09000000ul
#define TESTDEV_BASE  0x09010000ul
#define GICD_BASE     0x08000000ul
#define GICC_BASE     0x08010000ul
#define ECAM_BASE     0x3F000000ul
#define RAM_BASE      0x40000000ul

/* Test device registers. */
#define TD_EXIT   0x00
#define TD_MARK   0x04
#define TD_FAIL   0x08
#define TD_VMID   0x0C
#define TD_NVMS   0x10
#define TD_ARGC   0x14
#define TD_ARGSEL 0x18
#define TD_ARG_LO 0x1C
#define TD_ARG_HI 0x20
#define TD_CLOCK  0x24
#define TD_YIELD  0x28

/* Device accesses: one instruction each, of exactly this width. */
static inline uint8_t  mmio_read8(uint64_t a)  { uint8_t v;  __asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline uint16_t mmio_read16(uint64_t a) { uint16_t v; __asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline uint32_t mmio_read32(uint64_t a) { uint32_t v; __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline uint64_t mmio_read64(uint64_t a) { uint64_t v; __asm__ volatile("ldr %x0, [%1]" : "=r"(v) : "r"(a) : "memory"); return v; }
/* A load-acquire of a register: later accesses (shared data) are ordered
 * after it with no barrier (docs/races.md). */
static inline uint32_t mmio_read32_acq(uint64_t a) { uint32_t v; __asm__ volatile("ldar %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline void mmio_write8(uint64_t a, uint8_t v)   { __asm__ volatile("strb %w0, [%1]" :: "r"(v), "r"(a) : "memory"); }
static inline void mmio_write16(uint64_t a, uint16_t v) { __asm__ volatile("strh %w0, [%1]" :: "r"(v), "r"(a) : "memory"); }
static inline void mmio_write32(uint64_t a, uint32_t v) { __asm__ volatile("str %w0, [%1]" :: "r"(v), "r"(a) : "memory"); }
static inline void mmio_write64(uint64_t a, uint64_t v) { __asm__ volatile("str %x0, [%1]" :: "r"(v), "r"(a) : "memory"); }

/* Test device. */
__attribute__((noreturn)) void hv_exit(int code);
void hv_mark(uint32_t value);
void hv_fail(uint32_t id);            /* a failed check; the VM goes on */
uint32_t hv_vmid(void);
uint32_t hv_nvms(void);
uint32_t hv_argc(void);
uint64_t hv_arg(uint32_t i);          /* integer arg, or address of a string arg */
const char *hv_arg_str(uint32_t i);
uint32_t hv_clock(void);              /* instructions retired before this load */
void hv_yield(void);
/* Check helper: records FAIL id when cond is false; returns cond. */
int hv_check(int cond, uint32_t id);
/* Register check: on a mismatch prints "FAIL 0xID: WHAT got=.. want=.."
 * and records FAIL id; returns whether they matched. */
int hv_expect32(uint32_t got, uint32_t want, uint32_t id, const char *what);

/* Console (PL011). printf supports %d %i %u %x %X %p %s %c %% with l/ll/z and
 * width/zero-pad. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int puts(const char *s);
int putchar(int c);

/* libc subset. */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
char *strncpy(char *d, const char *s, size_t n);
/* Decimal or 0x-hex digits to a number (no sign, no checks): for string args. */
uint64_t hv_strtou(const char *s);
void *memmove(void *d, const void *s, size_t n);

/* CPU. */
static inline void irq_enable(void)  { __asm__ volatile("msr daifclr, #2" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("msr daifset, #2" ::: "memory"); }
static inline void wfi(void)         { __asm__ volatile("wfi" ::: "memory"); }
static inline void dsb(void)         { __asm__ volatile("dsb sy" ::: "memory"); }
/* Barriers between a shareable domain's CPUs (docs/races.md "Fences"):
 * dmb_ishst orders earlier stores before later stores (a release fence for
 * the flag store after it), dmb_ishld earlier loads before later accesses
 * (an acquire fence for the flag load before it). */
static inline void dmb_ishst(void)   { __asm__ volatile("dmb ishst" ::: "memory"); }
static inline void dmb_ishld(void)   { __asm__ volatile("dmb ishld" ::: "memory"); }

/* Flags handed over between VMs in shared data: a store-release makes the
 * stores before it visible to whoever reads the value with a load-acquire,
 * and orders that reader's later accesses after it (docs/races.md). */
static inline uint32_t ld_acq32(const volatile void *p)
{
	uint32_t v;
	__asm__ volatile("ldar %w0, [%1]" : "=r"(v) : "r"(p) : "memory");
	return v;
}
static inline uint8_t ld_acq8(const volatile void *p)
{
	uint32_t v;
	__asm__ volatile("ldarb %w0, [%1]" : "=r"(v) : "r"(p) : "memory");
	return (uint8_t)v;
}
static inline void st_rel32(volatile void *p, uint32_t v)
{
	__asm__ volatile("stlr %w0, [%1]" :: "r"(v), "r"(p) : "memory");
}
static inline void st_rel8(volatile void *p, uint8_t v)
{
	__asm__ volatile("stlrb %w0, [%1]" :: "r"((uint32_t)v), "r"(p) : "memory");
}

/* Interrupts: the vector table acknowledges through GICC_IAR, calls the
 * handler registered for the INTID (unregistered ones count as spurious
 * handling and record FAIL 0xDEAD), then writes GICC_EOIR. */
typedef void (*irq_handler_t)(uint32_t intid, void *arg);
void irq_register(uint32_t intid, irq_handler_t fn, void *arg);
extern volatile uint32_t irq_count[256]; /* handled interrupts per INTID */
/* Unmask IRQs until *count reaches want or `budget` instructions passed
 * (CLOCK), then mask again; returns whether the count was reached. */
int irq_wait_count(volatile uint32_t *count, uint32_t want, uint32_t budget);

/* Synchronous exceptions other than svc stop the guest with FAIL 0xE5C0 + EC
 * unless a handler is set; svc calls the svc handler with its immediate. */
typedef void (*svc_handler_t)(uint32_t imm, uint64_t *regs);
void svc_register(svc_handler_t fn);
typedef void (*sync_handler_t)(uint64_t esr, uint64_t far, uint64_t elr);
void sync_register(sync_handler_t fn);
/* After a sync handler returns, the guest resumes at elr + 4 (the instruction
 * after the faulting one) unless the handler called sync_set_resume(pc).
 * svc handlers resume after the svc (ELR already points past it). */
void sync_set_resume(uint64_t pc);

/* Runtime internals, called from vectors.S. frame: x0..x30, ELR, SPSR. */
void rt_irq_dispatch(void);
void rt_sync_dispatch(uint64_t *frame);

int main(void);

#endif
