/* arena.h -- the arena (arena.c): a caller-provided block serving expat's
 * memory. Its bookkeeping lives at the block's start; the rest of the
 * library reads and changes it only through the functions below (the
 * accessors are inline: tp_feed() checks the owner on every call). */
#ifndef TP_ARENA_H
#define TP_ARENA_H

#include "internal.h"

/* The bookkeeping, at the start of the caller's block. */
struct tp_arena {
  uint32_t size;             /* bytes the caller gave (at most UINT32_MAX) */
  uint32_t first_free;       /* the first free block (see arena.c) */
  const void *owner;         /* see tp__arena_owner */
  unsigned char *base;       /* the caller's memory */
  unsigned char *start;      /* the first block */
  unsigned char *end;        /* end of the usable blocks */
  size_t in_use;             /* bytes of blocks in use, headers included */
  size_t high_water;         /* furthest byte ever used, from the start */
  unsigned long allocations; /* successful malloc/growing realloc calls */
  unsigned long failures;    /* requests that did not fit */
};

/* Sets up an arena in `memory`; NULL when `size` is too small. */
tp_arena *tp__arena_init(void *memory, size_t size);
/* Makes every block free at once, as freeing each would, keeping the
 * owner and the counts (high-water mark, allocations, failures). */
void tp__arena_clear(tp_arena *a);
/* Where tp__arena_init(memory, ...) puts the bookkeeping. */
tp_arena *tp__arena_header(void *memory);
/* The memory suite that routes expat's calls to the current arena. */
void tp__arena_suite(XML_Memory_Handling_Suite *suite);
/* Makes `a` the current arena (if not NULL: heap decoders leave the slot
 * alone); returns the previous one, which tp__arena_leave(a, saved)
 * restores. Wrap every call into expat with them. Leave returns 0, and
 * restores nothing, when the slot no longer holds `a`: another decoder's
 * routing overlapped the call (see tp_config's arena in taskprogress.h),
 * and expat may have allocated from the wrong arena during it. */
tp_arena *tp__arena_enter(tp_arena *a);
/* Makes `a` (not NULL) the current arena again after the caller's code has
 * run inside a call of its decoder: a decoder that the callback used and
 * abandoned (longjmp) left its own arena in the slot, which expat, going
 * on, would allocate from while the caller reuses that memory. */
void tp__arena_resume(tp_arena *a);
/* Every site that calls the caller's callbacks calls this after each,
 * with its decoder's arena (NULL: a heap decoder, nothing to do). */
static TP_HOT_INLINE void
tp__arena_after_callback(tp_arena *a) {
  if (a != NULL)
    tp__arena_resume(a);
}
int tp__arena_leave(tp_arena *a, tp_arena *saved);
/* The decoder whose parser lives in the arena (NULL: none). A second
 * tp_init() with the same arena takes it over; the first decoder then
 * sees it is no longer the owner and refuses work instead of letting
 * expat use the memory. */
static inline const void *
tp__arena_owner(const tp_arena *a) {
  return a->owner;
}

static inline void
tp__arena_set_owner(tp_arena *a, const void *owner) {
  a->owner = owner;
}

/* Requests that did not fit, since tp__arena_init. */
static inline unsigned long
tp__arena_failures(const tp_arena *a) {
  return a->failures;
}

/* Fills the arena's fields of `stats`. */
static inline void
tp__arena_stats(const tp_arena *a, tp_memory_stats *stats) {
  stats->arena_size = a->size;
  stats->in_use = a->in_use;
  stats->high_water = a->high_water;
  stats->allocations = a->allocations;
  stats->failures = a->failures;
}

#endif /* TP_ARENA_H */
