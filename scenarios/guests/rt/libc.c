/* libc.c - the libc subset guests (and GCC's struct copies) need.
 * Loops are kept as loops: no-tree-loop-distribute-patterns stops GCC from
 * turning the bodies of memset/memcpy back into calls to themselves. */
#include "hv.h"

#define RT_NOLIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

RT_NOLIBCALL void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}

RT_NOLIBCALL void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    if (dp == sp || n == 0)
        return d;
    if (dp < sp) {
        while (n--)
            *dp++ = *sp++;
    } else {
        dp += n;
        sp += n;
        while (n--)
            *--dp = *--sp;
    }
    return d;
}

RT_NOLIBCALL void *memset(void *d, int c, size_t n)
{
    unsigned char *dp = d;
    while (n--)
        *dp++ = (unsigned char)c;
    return d;
}

RT_NOLIBCALL int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

RT_NOLIBCALL size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

RT_NOLIBCALL int strcmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && *x == *y) {
        x++;
        y++;
    }
    return (*x > *y) - (*x < *y);
}

/* C semantics: copies at most n bytes and pads with NULs; no NUL is added
 * when s has n or more characters. */
RT_NOLIBCALL char *strncpy(char *d, const char *s, size_t n)
{
    size_t i = 0;
    for (; i < n && s[i]; i++)
        d[i] = s[i];
    for (; i < n; i++)
        d[i] = '\0';
    return d;
}

uint64_t hv_strtou(const char *s)
{
    uint64_t v = 0;
    if (s[0] == '0' && s[1] == 'x') {
        for (s += 2; *s; s++)
            v = v << 4 | (uint64_t)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
    } else {
        for (; *s; s++)
            v = v * 10 + (uint64_t)(*s - '0');
    }
    return v;
}
