/* console.c - PL011 console and printf (CONTRACT 2: a store to UART DR at
 * offset 0 appends one byte to the VM's console). One strb per byte.
 * Formats: %d %i %u %x %X %p %s %c %% with flags '-' '0', width (or '*'),
 * precision for %s, and length h hh l ll z j t. */
#include "hv.h"

int putchar(int c)
{
    mmio_write8(UART_BASE, (uint8_t)c);
    return (unsigned char)c;
}

int puts(const char *s)
{
    int n = 0;
    while (*s) {
        putchar(*s++);
        n++;
    }
    putchar('\n');
    return n + 1;
}

/* Output goes either to the UART (buf == NULL) or into buf[0..cap-1]. */
struct sink {
    char *buf;
    size_t cap;
    size_t len;              /* characters produced so far */
};

static void sink_put(struct sink *k, char c)
{
    if (!k->buf)
        putchar(c);
    else if (k->len + 1 < k->cap)
        k->buf[k->len] = c;
    k->len++;
}

static void sink_pad(struct sink *k, char c, int n)
{
    while (n-- > 0)
        sink_put(k, c);
}

static void fmt_string(struct sink *k, const char *s, int width, int prec, int left)
{
    int n = 0;
    if (!s)
        s = "(null)";
    while (s[n] && (prec < 0 || n < prec))
        n++;
    if (!left)
        sink_pad(k, ' ', width - n);
    for (int i = 0; i < n; i++)
        sink_put(k, s[i]);
    if (left)
        sink_pad(k, ' ', width - n);
}

static void fmt_number(struct sink *k, uint64_t v, int neg, unsigned base, int upper,
                       const char *prefix, int width, int zero, int left)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, plen = 0;
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    if (neg)
        prefix = "-";
    while (prefix && prefix[plen])
        plen++;
    int pad = width - n - plen;
    if (!left && !zero)
        sink_pad(k, ' ', pad);
    for (int i = 0; i < plen; i++)
        sink_put(k, prefix[i]);
    if (!left && zero)
        sink_pad(k, '0', pad);
    while (n)
        sink_put(k, tmp[--n]);
    if (left)
        sink_pad(k, ' ', pad);
}

static void vformat(struct sink *k, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            sink_put(k, *fmt);
            continue;
        }
        fmt++;
        int left = 0, zero = 0, width = 0, prec = -1, lng = 0;
        for (;; fmt++) {
            if (*fmt == '-')
                left = 1;
            else if (*fmt == '0')
                zero = 1;
            else
                break;
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                left = 1;
                width = -width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            if (*fmt == '*') {
                prec = va_arg(ap, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    prec = prec * 10 + (*fmt++ - '0');
            }
        }
        /* lng: 0 int, 1 long / long long / size_t (all 64-bit here), -1 short, -2 char */
        for (;; fmt++) {
            if (*fmt == 'l' || *fmt == 'z' || *fmt == 'j' || *fmt == 't')
                lng = 1;
            else if (*fmt == 'h')
                lng = lng == -1 ? -2 : -1;
            else
                break;
        }
        if (left)
            zero = 0;
        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = lng == 1 ? va_arg(ap, int64_t) : va_arg(ap, int);
            if (lng == -1)
                v = (short)v;
            else if (lng == -2)
                v = (signed char)v;
            uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
            fmt_number(k, u, v < 0, 10, 0, NULL, width, zero, left);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = lng == 1 ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
            if (lng == -1)
                v = (unsigned short)v;
            else if (lng == -2)
                v = (unsigned char)v;
            fmt_number(k, v, 0, *fmt == 'u' ? 10 : 16, *fmt == 'X', NULL, width, zero, left);
            break;
        }
        case 'p':
            fmt_number(k, (uint64_t)(uintptr_t)va_arg(ap, void *), 0, 16, 0, "0x",
                       width, zero, left);
            break;
        case 's':
            fmt_string(k, va_arg(ap, const char *), width, prec, left);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            if (!left)
                sink_pad(k, ' ', width - 1);
            sink_put(k, c);
            if (left)
                sink_pad(k, ' ', width - 1);
            break;
        }
        case '%':
            sink_put(k, '%');
            break;
        case '\0':
            return;
        default:             /* unknown conversion: print it as written */
            sink_put(k, '%');
            sink_put(k, *fmt);
            break;
        }
    }
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct sink k = { buf, n, 0 };
    char dummy;
    if (!buf || n == 0) {
        k.buf = &dummy;      /* count only */
        k.cap = 0;
    }
    vformat(&k, fmt, ap);
    if (n > 0 && buf)
        buf[k.len < n ? k.len : n - 1] = '\0';
    return (int)k.len;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

int printf(const char *fmt, ...)
{
    struct sink k = { NULL, 0, 0 };
    va_list ap;
    va_start(ap, fmt);
    vformat(&k, fmt, ap);
    va_end(ap);
    return (int)k.len;
}
