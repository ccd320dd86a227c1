/* memsnap.h - a snapshot of a range of anonymous memory (a VM's RAM, a shared
 * region's data pages).
 *
 * It keeps the pages that were resident when it was taken (mincore); a
 * restore puts those back and zeroes every page touched since (they were
 * zero then), so it costs the pages a run touched, not the size of RAM.
 */
#ifndef HVSIM_MEMSNAP_H
#define HVSIM_MEMSNAP_H

#include <stdint.h>
#include <stddef.h>

struct memsnap;
struct memsnap *memsnap_take(uint8_t *base, size_t size);
/* Puts the memory back as it was when taken. Returns 0, -1 on error. */
int memsnap_restore(struct memsnap *s);
void memsnap_free(struct memsnap *s);

#endif
