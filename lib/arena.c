/* arena.c -- a fixed arena for expat's memory: malloc, realloc and free
 * served from one caller-provided block, and the routing that tells expat's
 * context-free memory suite which decoder's arena to use.
 *
 * Layout: the block starts with the arena's bookkeeping (tp_arena); the
 * rest is a sequence of blocks, each a header followed by its payload.
 * Headers record the payload size (low bit: in use) and the previous
 * block's size, so free() can merge with both neighbours. Allocation is
 * first fit from the start: it keeps the used extent compact. The walk
 * starts at the first free block, not at the arena's start: expat creates
 * a parser with ~70 allocations and frees hardly any until the end, so
 * walking the used blocks before the first free one cost as much as the
 * rest of a small response's decoding (first_free places every block
 * where the walk from the start would). */
#include <stddef.h>
#include <string.h>

#include "arena.h"

/* Payload alignment: what malloc would give. */
#define ALIGN ((size_t) _Alignof(max_align_t))

/* An 8-byte header sits right before each payload, and payloads are
 * ALIGN-aligned: so a block (header + payload) is a multiple of ALIGN and
 * a payload's size is that minus the header. Sizes fit 32 bits: arenas are
 * small, and tp_init() refuses any over 4 GiB. Halving the header against
 * a 16-byte one saves ~0.5 KiB of a 16 KiB arena (expat makes ~70 blocks
 * per document). */
typedef struct block {
  uint32_t size;      /* payload bytes | USED */
  uint32_t prev_size; /* previous block's payload bytes; 0 for the first */
} block;

#define USED ((uint32_t)1)
#define HDR sizeof(block)
#define PAYLOAD_FOR(n) ((((n) + HDR + (ALIGN - 1u)) & ~(ALIGN - 1u)) - HDR)

_Static_assert(HDR <= 8 && ALIGN % HDR == 0,
               "the block header must divide the alignment");

/* The arena of the decoder whose expat call is under way on this thread.
 * Saved and restored around every call, so a decoder used inside another
 * decoder's callback routes to its own arena and back. */
#if defined(TP_NO_THREAD_LOCAL)
/* Targets without thread-local storage: one global, so arena decoders must
 * not be used from two threads at once. */
static tp_arena *current_arena;
#else
static _Thread_local tp_arena *current_arena;
#endif

static size_t
size_of(const block *b) {
  return (size_t)(b->size & ~USED);
}

static unsigned char *
heap_start(tp_arena *a) {
  return a->start;
}

static block *
next_block(tp_arena *a, block *b) {
  unsigned char *n = (unsigned char *)b + HDR + size_of(b);
  return n + HDR <= a->end ? (block *)(void *)n : NULL;
}

static block *
prev_block(block *b) {
  return (block *)(void *)((unsigned char *)b - HDR - b->prev_size);
}

static int
is_first(tp_arena *a, block *b) {
  return (unsigned char *)b == heap_start(a);
}

/* Keeps first_free at or before `b`, a free block. */
static void
note_free(tp_arena *a, block *b) {
  uint32_t at = (uint32_t)((unsigned char *)b - a->start);
  if (at < a->first_free)
    a->first_free = at;
}

/* `b`, in use, was the first free block or holds it: the first free one
 * can only come after it. */
static void
skip_used(tp_arena *a, block *b) {
  a->first_free = (uint32_t)((unsigned char *)b + HDR + size_of(b) - a->start);
}

/* Notes a block's end as used: the high-water mark is the furthest byte
 * of the arena ever handed out, i.e. the size the arena needed. */
static void
note_extent(tp_arena *a, block *b) {
  size_t extent = (size_t)((unsigned char *)b + HDR + size_of(b) - a->base);
  if (extent > a->high_water)
    a->high_water = extent;
}

/* Joins `b` with the free block after it, if there is one. */
static void
merge_next(tp_arena *a, block *b) {
  block *n = next_block(a, b), *after;
  if (n == NULL || (n->size & USED))
    return;
  b->size = (uint32_t)(size_of(b) + HDR + size_of(n)) | (b->size & USED);
  after = next_block(a, b);
  if (after != NULL)
    after->prev_size = (uint32_t)size_of(b);
}

/* Cuts `b` (payload >= need) down to `need`, making the rest a free block
 * (merged with a free successor) when it can hold a header and payload. */
static void
split(tp_arena *a, block *b, size_t need) {
  size_t have = size_of(b);
  block *rest, *after;
  if (have < need + HDR + ALIGN)
    return;
  b->size = (uint32_t)need | (b->size & USED);
  /* The remainder starts right after the shortened payload; it fits. */
  rest = (block *)(void *)((unsigned char *)b + HDR + need);
  rest->size = (uint32_t)(have - need - HDR);
  rest->prev_size = (uint32_t)need;
  after = next_block(a, rest);
  if (after != NULL)
    after->prev_size = rest->size;
  merge_next(a, rest);
  note_free(a, rest);
}

tp_arena *
tp__arena_header(void *memory) {
  unsigned char *m = (unsigned char *)memory;
  return (tp_arena *)(void *)(m + (ALIGN - (uintptr_t)m % ALIGN) % ALIGN);
}

tp_arena *
tp__arena_init(void *memory, size_t size) {
  unsigned char *m = (unsigned char *)memory;
  unsigned char *end;
  tp_arena *a = tp__arena_header(memory);
  block *b;
  size_t skip = (size_t)((unsigned char *)a - m);
  /* tp_init() refuses arenas over UINT32_MAX, where block sizes would
   * overflow; the few bytes above the last aligned block go unused. */
#if SIZE_MAX > UINT32_MAX
  if (size > (size_t)UINT32_MAX)
    return NULL;
#endif
  if (size < skip + sizeof(tp_arena) + 2u * ALIGN)
    return NULL;
  memset(a, 0, sizeof *a);
  a->size = (uint32_t)size;
  /* The first payload is the first aligned address after the bookkeeping
   * and one header. */
  {
    uintptr_t first = (uintptr_t)((unsigned char *)a + sizeof(tp_arena) + HDR);
    first = (first + ALIGN - 1u) & ~(uintptr_t)(ALIGN - 1u);
    a->start = (unsigned char *)first - HDR;
  }
  /* Blocks end on an alignment boundary minus the header. */
  end = m + size;
  end -= ((uintptr_t)end - (uintptr_t)a->start) % ALIGN;
  if (end < a->start + HDR + ALIGN)
    return NULL;
  a->end = end;
  b = (block *)(void *)a->start;
  b->size = (uint32_t)((size_t)(end - a->start) - HDR);
  b->prev_size = 0;
  a->first_free = 0;
  a->high_water = (size_t)(a->start - m);
  a->base = m;
  return a;
}

void
tp__arena_clear(tp_arena *a) {
  block *b = (block *)(void *)a->start;
  b->size = (uint32_t)((size_t)(a->end - a->start) - HDR);
  b->prev_size = 0;
  a->first_free = 0;
  a->in_use = 0;
}

static void *
arena_malloc_in(tp_arena *a, size_t n) {
  size_t need;
  block *b;
  if (n > a->size)
    return NULL;
  need = PAYLOAD_FOR(n ? n : 1u);
  b = a->start + a->first_free + HDR <= a->end
          ? (block *)(void *)(a->start + a->first_free)
          : NULL;
  for (; b != NULL; b = next_block(a, b)) {
    if ((b->size & USED) == 0 && size_of(b) >= need) {
      /* Every block before b is in use or too small: only those past it
       * can be free when b is the first free one. */
      const int was_first = (unsigned char *)b == a->start + a->first_free;
      split(a, b, need);
      b->size |= USED;
      if (was_first)
        skip_used(a, b);
      a->in_use += HDR + size_of(b);
      note_extent(a, b);
      a->allocations++;
      return (unsigned char *)b + HDR;
    }
  }
  a->failures++;
  return NULL;
}

static block *
header_of(void *p) {
  return (block *)(void *)((unsigned char *)p - HDR);
}

static void
arena_free_in(tp_arena *a, void *p) {
  block *b = header_of(p);
  a->in_use -= HDR + size_of(b);
  b->size &= ~USED;
  merge_next(a, b);
  if (!is_first(a, b)) {
    block *prev = prev_block(b);
    if ((prev->size & USED) == 0) {
      merge_next(a, prev);
      b = prev;
    }
  }
  note_free(a, b);
}

static void *
arena_realloc_in(tp_arena *a, void *p, size_t n) {
  block *b;
  size_t need, have;
  void *q;
  if (p == NULL)
    return arena_malloc_in(a, n);
  if (n > a->size)
    return NULL;
  b = header_of(p);
  need = PAYLOAD_FOR(n ? n : 1u);
  have = size_of(b);
  if (need <= have) {
    a->in_use -= have;
    split(a, b, need);
    a->in_use += size_of(b);
    return p;
  }
  /* Grow in place into a free neighbour when it is big enough. */
  {
    block *nb = next_block(a, b);
    if (nb != NULL && (nb->size & USED) == 0 &&
        have + HDR + size_of(nb) >= need) {
      const int was_first = (unsigned char *)nb == a->start + a->first_free;
      a->in_use -= have;
      merge_next(a, b);
      if (was_first)
        skip_used(a, b);
      split(a, b, need);
      a->in_use += size_of(b);
      note_extent(a, b);
      a->allocations++;
      return p;
    }
  }
  q = arena_malloc_in(a, n);
  if (q == NULL)
    return NULL; /* p stays valid, as realloc promises */
  memcpy(q, p, have);
  arena_free_in(a, p);
  return q;
}

/* The memory suite handed to expat for arena decoders. */
static void *
route_malloc(size_t n) {
  return current_arena ? arena_malloc_in(current_arena, n) : NULL;
}

static void *
route_realloc(void *p, size_t n) {
  return current_arena ? arena_realloc_in(current_arena, p, n) : NULL;
}

static void
route_free(void *p) {
  if (p != NULL && current_arena != NULL)
    arena_free_in(current_arena, p);
}

void
tp__arena_suite(XML_Memory_Handling_Suite *suite) {
  suite->malloc_fcn = route_malloc;
  suite->realloc_fcn = route_realloc;
  suite->free_fcn = route_free;
}

tp_arena *
tp__arena_enter(tp_arena *a) {
  tp_arena *saved = current_arena;
  if (a != NULL)
    current_arena = a;
  return saved;
}

void
tp__arena_leave(tp_arena *saved) {
  current_arena = saved;
}
