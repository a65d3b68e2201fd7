/* arena.c -- a fixed arena for expat's memory: malloc, realloc and free
 * served from one caller-provided block, and the routing that tells expat's
 * context-free memory suite which decoder's arena to use.
 *
 * Layout: the block starts with the arena's bookkeeping (tp_arena); the
 * rest is a sequence of blocks, each a header followed by its payload.
 * Headers record the payload size (low bit: in use) and the previous
 * block's size, so free() can merge with both neighbours. Allocation is
 * first fit by address: it keeps the used extent compact. */
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

/* The slot: the arena of the decoder whose expat call is under way on
 * this thread (or RTOS task). Saved and restored around every call, so a
 * decoder used inside another decoder's callback routes to its own arena
 * and back. Where it lives is a build choice (taskprogress.h, "The arena
 * slot"): the integrator's per-task slot, a thread-local, or one global
 * shared by every thread. */
#if defined(TP_PORT_ARENA_SLOT)
static tp_arena *
slot(void) {
  return (tp_arena *)tp_port_arena_slot_get();
}

static void
set_slot(tp_arena *a) {
  tp_port_arena_slot_set(a);
}
#else
#if defined(TP_NO_THREAD_LOCAL)
static tp_arena *current_arena;
#else
static _Thread_local tp_arena *current_arena;
#endif

static tp_arena *
slot(void) {
  return current_arena;
}

static void
set_slot(tp_arena *a) {
  current_arena = a;
}
#endif

/* The free blocks form a list in address order, linked through the first
 * bytes of their payloads (offsets from `start`; NONE ends the list), and
 * tp_arena.first_free is its head. First fit along it places each block
 * where a walk over all blocks from the start would, without visiting the
 * blocks in use: expat creates a parser with ~75 allocations and frees
 * few, so walking all blocks cost a small response (3.8 KB) about as much
 * as the decoder's own work. */
#define NONE UINT32_MAX

_Static_assert(ALIGN - HDR >= sizeof(uint32_t) || ALIGN == HDR,
               "the smallest payload must hold a list link");

static size_t
size_of(const block *b) {
  return (size_t)(b->size & ~USED);
}

static uint32_t
offset_of(const tp_arena *a, const block *b) {
  return (uint32_t)((const unsigned char *)b - a->start);
}

static block *
block_at(tp_arena *a, uint32_t offset) {
  return (block *)(void *)(a->start + offset);
}

/* The link to the next free block, in a free block's payload. */
static uint32_t *
link_of(block *b) {
  return (uint32_t *)(void *)((unsigned char *)b + HDR);
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

/* Sets `b`'s payload size, keeping its USED bit, and tells the block after
 * it. */
static void
resize(tp_arena *a, block *b, size_t payload) {
  block *after;
  b->size = (uint32_t)payload | (b->size & USED);
  after = next_block(a, b);
  if (after != NULL)
    after->prev_size = (uint32_t)payload;
}

/* The link that points, or would point, at the first free block at or
 * after `offset`. */
static uint32_t *
link_before(tp_arena *a, uint32_t offset) {
  uint32_t *link = &a->first_free;
  while (*link != NONE && *link < offset)
    link = link_of(block_at(a, *link));
  return link;
}

/* Notes a block's end as used: the high-water mark is the furthest byte
 * of the arena ever handed out, i.e. the size the arena needed. */
static void
note_extent(tp_arena *a, block *b) {
  size_t extent = (size_t)((unsigned char *)b + HDR + size_of(b) - a->base);
  if (extent > a->high_water)
    a->high_water = extent;
}

/* Puts the free block `b` on the list where `*link` (the link to the first
 * free block after b) points. Free blocks never touch: a free block right
 * after b is *link's, and b absorbs it, taking its place in the list. */
static void
put_free(tp_arena *a, block *b, uint32_t *link) {
  block *n = next_block(a, b);
  if (n != NULL && (n->size & USED) == 0) {
    *link_of(b) = *link_of(n);
    resize(a, b, size_of(b) + HDR + size_of(n));
  } else {
    *link_of(b) = *link;
  }
  *link = offset_of(a, b);
}

/* Cuts `b` (in use, payload >= need) down to `need` when the rest can hold
 * a header and a payload; the rest is a free block, put on the list at
 * `*link` (the link to the first free block after b). */
static void
split(tp_arena *a, block *b, size_t need, uint32_t *link) {
  const size_t have = size_of(b);
  block *rest;
  if (have < need + HDR + ALIGN)
    return;
  b->size = (uint32_t)need | (b->size & USED);
  /* The remainder starts right after the shortened payload; it fits. */
  rest = (block *)(void *)((unsigned char *)b + HDR + need);
  rest->size = 0;
  rest->prev_size = (uint32_t)need;
  resize(a, rest, have - need - HDR);
  put_free(a, rest, link);
}

tp_arena *
tp__arena_header(void *memory) {
  unsigned char *m = (unsigned char *)memory;
  return (tp_arena *)(void *)(m + (ALIGN - (uintptr_t)m % ALIGN) % ALIGN);
}

void
tp__arena_clear(tp_arena *a) {
  block *b = (block *)(void *)a->start;
  b->size = (uint32_t)((size_t)(a->end - a->start) - HDR);
  b->prev_size = 0;
  *link_of(b) = NONE;
  a->first_free = 0;
  a->in_use = 0;
}

tp_arena *
tp__arena_init(void *memory, size_t size) {
  unsigned char *m = (unsigned char *)memory;
  unsigned char *end;
  tp_arena *a = tp__arena_header(memory);
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
  tp__arena_clear(a);
  a->high_water = (size_t)(a->start - m);
  a->base = m;
  return a;
}

static void *
arena_malloc_in(tp_arena *a, size_t n) {
  size_t need;
  uint32_t *link;
  if (n > a->size)
    return NULL;
  need = PAYLOAD_FOR(n ? n : 1u);
  for (link = &a->first_free; *link != NONE;
       link = link_of(block_at(a, *link))) {
    block *b = block_at(a, *link);
    if (size_of(b) >= need) {
      *link = *link_of(b);
      b->size |= USED;
      split(a, b, need, link);
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

/* Makes `b` free, merged with free neighbours, and puts it on the list. */
static void
release(tp_arena *a, block *b) {
  block *prev = offset_of(a, b) == 0 ? NULL : prev_block(b);
  b->size &= ~USED;
  if (prev != NULL && (prev->size & USED) == 0) {
    /* prev is on the list already, and n, if free, follows it there. */
    block *n = next_block(a, b);
    size_t merged = size_of(prev) + HDR + size_of(b);
    if (n != NULL && (n->size & USED) == 0) {
      *link_of(prev) = *link_of(n);
      merged += HDR + size_of(n);
    }
    resize(a, prev, merged);
    return;
  }
  put_free(a, b, link_before(a, offset_of(a, b)));
}

static void
arena_free_in(tp_arena *a, void *p) {
  block *b = header_of(p);
  a->in_use -= HDR + size_of(b);
  release(a, b);
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
    if (have >= need + HDR + ALIGN) {
      split(a, b, need, link_before(a, offset_of(a, b)));
      a->in_use -= have - need;
    }
    return p;
  }
  /* Grow in place into a free neighbour when it is big enough. */
  {
    block *nb = next_block(a, b);
    if (nb != NULL && (nb->size & USED) == 0 &&
        have + HDR + size_of(nb) >= need) {
      uint32_t *link = link_before(a, offset_of(a, nb));
      *link = *link_of(nb);
      resize(a, b, have + HDR + size_of(nb));
      split(a, b, need, link);
      a->in_use += size_of(b) - have;
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

/* Whether `p` can be one of `a`'s payloads. Compared as integers: `p`
 * may point into another object. */
static int
owns(const tp_arena *a, const void *p) {
  const uintptr_t u = (uintptr_t)p;
  return u >= (uintptr_t)a->start + HDR && u < (uintptr_t)a->end;
}

/* Expat handed back a block that is not the slot's arena's: the slot
 * does not hold the arena of the decoder calling, or did not when the
 * block was taken (two decoders overlapping on one shared slot). Giving
 * the block to this arena's lists would corrupt them. Emptying the slot
 * fails every later allocation, and makes every call under way, whichever
 * decoder's, see at its end that the slot changed (tp__arena_leave), even
 * when the slot holds the right arena again by then. */
static TP_COLD void
foreign(void) {
  set_slot(NULL);
}

/* The memory suite handed to expat for arena decoders. */
static void *
route_malloc(size_t n) {
  tp_arena *a = slot();
  return a ? arena_malloc_in(a, n) : NULL;
}

static void *
route_realloc(void *p, size_t n) {
  tp_arena *a = slot();
  if (a == NULL)
    return NULL;
  if (p != NULL && !owns(a, p)) {
    foreign();
    return NULL;
  }
  return arena_realloc_in(a, p, n);
}

static void
route_free(void *p) {
  tp_arena *a = slot();
  if (p == NULL || a == NULL)
    return;
  if (!owns(a, p)) {
    foreign();
    return;
  }
  arena_free_in(a, p);
}

void
tp__arena_suite(XML_Memory_Handling_Suite *suite) {
  suite->malloc_fcn = route_malloc;
  suite->realloc_fcn = route_realloc;
  suite->free_fcn = route_free;
}

tp_arena *
tp__arena_enter(tp_arena *a) {
  tp_arena *saved = NULL;
  if (a != NULL) {
    saved = slot();
    set_slot(a);
  }
  return saved;
}

void
tp__arena_resume(tp_arena *a) {
  set_slot(a);
}

int
tp__arena_leave(tp_arena *a, tp_arena *saved) {
  if (a == NULL)
    return 1;
  /* A call that ends with the slot not its own had its routing changed
   * under it, by another thread's call where the slot is shared.
   * Restoring would take the slot from whoever holds it now. */
  if (slot() != a)
    return 0;
  set_slot(saved);
  return 1;
}
