/* arena.c -- fuzz harness: memory exhaustion. The first bytes choose a
 * tiny caller arena (a few hundred bytes to ~24 KiB) or a memory suite
 * whose Nth allocation fails; the decode must end in a clean
 * TP_ERR_NO_MEMORY after a prefix of the correct events, or give exactly
 * the trace of a malloc decode, and must leak nothing. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

/* Option byte 0. */
#define OPT_SUITE 0x01u    /* a failing memory suite instead of an arena */
#define OPT_PROMPT 0x02u   /* prompt mode */
#define OPT_REUSE 0x04u    /* decode twice, with tp_reset in between */
#define OPT_FAIL_ALL 0x08u /* suite: every allocation from the Nth fails */
#define OPT_MISALIGN 0x70u /* arena: start this many bytes (>> 4) in */

#define ARENA_MIN 200u
#define ARENA_MAX 24576u

/* ---- a counting memory suite that fails on request -------------------- */

/* The suite has no context pointer, so its state is global; the harness
 * runs one decode at a time. */
static struct {
  unsigned long count;   /* allocation requests so far */
  unsigned long fail_at; /* the request (1-based) that fails; 0 never */
  int fail_all;          /* and every one after it */
  long live;             /* blocks handed out and not freed */
  unsigned long refused; /* requests answered with NULL */
} suite_state;

static int
should_fail(void) {
  int fail;
  suite_state.count++;
  if (suite_state.fail_at == 0)
    return 0;
  fail = suite_state.count == suite_state.fail_at ||
         (suite_state.fail_all && suite_state.count > suite_state.fail_at);
  suite_state.refused += (unsigned long)fail;
  return fail;
}

static void *
suite_malloc(size_t n) {
  void *p;
  if (should_fail())
    return NULL;
  p = malloc(n);
  if (p != NULL)
    suite_state.live++;
  return p;
}

static void *
suite_realloc(void *old, size_t n) {
  void *p;
  if (should_fail())
    return NULL;
  p = realloc(old, n);
  if (p != NULL && old == NULL)
    suite_state.live++;
  return p;
}

static void
suite_free(void *p) {
  if (p != NULL)
    suite_state.live--;
  free(p);
}

static const tp_memory_suite FAILING = {suite_malloc, suite_realloc,
                                        suite_free};

/* ---- decoding --------------------------------------------------------- */

/* Feeds `len` bytes `chunk` at a time (0: all at once) and finishes. */
static void
feed_all(tp_decoder *d, const uint8_t *p, size_t len, size_t chunk) {
  (void)feed_chunked(d, p, len, chunk);
  (void)tp_finish(d);
}

/* Expat (2.5.0 to at least 2.8.4) ignores one failed allocation: when
 * getAttributeId cannot create the PREFIX entry for the first "xmlns:P" of
 * a document, the declaration is kept as a plain attribute, and the first
 * element or attribute that uses P fails with "unbound prefix" instead of
 * XML_ERROR_NO_MEMORY (fuzz/regressions/arena/expat-oom-unbound-prefix).
 * The library maps errors that follow a refusal of its arena to
 * TP_ERR_NO_MEMORY, but cannot see a caller's memory suite refuse: there,
 * and only there, that error counts as running out of memory when an
 * allocation was refused; build with -DFUZZ_STRICT_OOM to see it again. */
static int
is_expat_oom_as_unbound_prefix(const tp_decoder *d, int refused) {
#ifdef FUZZ_STRICT_OOM
  (void)d;
  (void)refused;
  return 0;
#else
  tp_error e;
  return refused && tp_get_error(d, &e) == TP_ERR_XML &&
         strcmp(e.detail, "unbound prefix") == 0;
#endif
}

/* Memory ran out at the root's start tag and its name alone gave the
 * verdict, not SOAP (lib/no_memory_verdict.c). With memory,
 * expat may first find the tag itself wrong (an unbound prefix, a bad
 * attribute: TP_ERR_XML, at the tag or later in it), or the detail may
 * name the root's namespace: the document is refused at that tag either
 * way, so this counts as running out of memory. */
static int
is_root_verdict_by_name(const tp_decoder *d, const tp_error *ref_error,
                        int ran_out) {
  tp_error e;
  return ran_out && tp_get_error(d, &e) == TP_ERR_NOT_SOAP &&
         (ref_error->status == TP_ERR_NOT_SOAP ||
          ref_error->status == TP_ERR_XML) &&
         ref_error->byte_offset >= e.byte_offset;
}

/* Checks one constrained decode against the malloc one: either the very
 * same trace, or TP_ERR_NO_MEMORY after a prefix of its events. `refused`:
 * the caller's suite refused an allocation during this decode; `ran_out`:
 * it or the arena did. */
static void
judge(recorder *t, const tp_decoder *d, const recorder *ref, size_t ref_events,
      const tp_error *ref_error, int refused, int ran_out) {
  size_t events;
  tp_status s = tp_get_error(d, NULL);
  rec_drop_open_string(t);
  events = t->len;
  rec_status(t, d);
  if (s != TP_ERR_NO_MEMORY && !is_expat_oom_as_unbound_prefix(d, refused) &&
      !is_root_verdict_by_name(d, ref_error, ran_out)) {
    fuzz_expect_equal(ref, t,
                      "a decode that did not run out of memory "
                      "differs from the malloc decode");
    return;
  }
  /* The prefix check covers the events only, not the status line. */
  t->len = events;
  if (events > ref_events)
    fuzz_fail("more events before running out of memory than in all");
  fuzz_expect_prefix(t, ref,
                     "events before running out of memory "
                     "differ from the malloc decode");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_reader r = {data, size};
  const uint8_t opt = fuzz_u8(&r);
  const uint16_t amount = fuzz_u16(&r);
  const uint8_t chunk = fuzz_u8(&r);
  const unsigned flags = (opt & OPT_PROMPT) ? TP_FLAG_PROMPT : 0u;
  const int rounds = (opt & OPT_REUSE) ? 2 : 1;
  recorder ref, t;
  tp_error ref_error;
  size_t ref_events;
  tp_config cfg;
  tp_decoder d;
  unsigned char *arena = NULL;
  tp_status s;
  int round;

  fuzz_rec_init(&ref);
  fuzz_rec_init(&t);

  /* The reference: plain malloc, same chunking. */
  rec_config(&cfg, &ref, flags);
  if (tp_init(&d, &cfg) != TP_OK)
    fuzz_fail("tp_init failed with malloc");
  feed_all(&d, r.p, r.n, chunk);
  rec_drop_open_string(&ref);
  ref_events = ref.len;
  rec_status(&ref, &d);
  (void)tp_get_error(&d, &ref_error);
  tp_release(&d);

  rec_config(&cfg, &t, flags);
  if (opt & OPT_SUITE) {
    memset(&suite_state, 0, sizeof suite_state);
    suite_state.fail_at = amount % 512u;
    suite_state.fail_all = (opt & OPT_FAIL_ALL) != 0;
    cfg.memory = &FAILING;
  } else {
    /* Exactly the arena's size on the heap, so that ASan catches any
     * access past it; an offset start tests unaligned arenas. */
    size_t arena_size = ARENA_MIN + amount % (ARENA_MAX - ARENA_MIN + 1u);
    size_t skew = (opt & OPT_MISALIGN) >> 4;
    arena = malloc(arena_size + skew);
    if (arena == NULL)
      fuzz_fail("out of memory");
    cfg.arena = arena + skew;
    cfg.arena_size = arena_size;
  }

  s = tp_init(&d, &cfg);
  if (s != TP_OK) {
    if (s != TP_ERR_NO_MEMORY)
      fuzz_fail("tp_init failed with something else than TP_ERR_NO_MEMORY");
  } else {
    for (round = 0; round < rounds; round++) {
      tp_memory_stats ms;
      unsigned long refused_before;
      if (round > 0) {
        rec_clear(&t);
        if (tp_reset(&d) != TP_OK)
          fuzz_fail("tp_reset failed");
      }
      refused_before = suite_state.refused;
      feed_all(&d, r.p, r.n, chunk);
      if (tp_get_memory_stats(&d, &ms) != TP_OK)
        fuzz_fail("tp_get_memory_stats failed");
      if (arena != NULL &&
          (ms.arena_size != cfg.arena_size || ms.in_use > ms.arena_size ||
           ms.high_water > ms.arena_size))
        fuzz_fail("arena statistics out of bounds");
      /* Arena refusals are the library's to report: judged strictly. */
      {
        const int refused =
            (opt & OPT_SUITE) && suite_state.refused != refused_before;
        /* Either memory: the root's verdict by name follows any refusal. */
        const int ran_out = refused || (arena != NULL && ms.failures != 0);
        judge(&t, &d, &ref, ref_events, &ref_error, refused, ran_out);
      }
    }
    tp_release(&d);
  }
  if ((opt & OPT_SUITE) && suite_state.live != 0)
    fuzz_fail("the memory suite's blocks were not all freed");

  free(arena);
  rec_free(&ref);
  rec_free(&t);
  return 0;
}
