/* test_misuse.c -- a callback that leaves by longjmp (issue 21): it used to
 * leave its decoder in a thread-local list of decoders calling back, so
 * that the next tp_init() of any decoder on the thread read a dead stack
 * frame (SIGSEGV) and tp_release() did nothing. Now the decoder it left is
 * refused with TP_ERR_STATE, and no other decoder notices. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "recorder.h"
#include "support.h"
#include "taskprogress.h"

/* The response every decode here feeds (tests/data/two-jobs.xml). */
static char *two_jobs;
static size_t two_jobs_len;

/* A memory suite that remembers every block, so that the test can free
 * what a decoder abandoned by longjmp leaks, as a caller's pool would. */
#define MAX_BLOCKS 4096
static void *blocks[MAX_BLOCKS];

/* The slot that holds p (NULL: a free slot). */
static size_t
slot_of(const void *p) {
  size_t i;
  for (i = 0; i < MAX_BLOCKS; i++)
    if (blocks[i] == p)
      return i;
  abort();
}

static void *
pool_malloc(size_t n) {
  void *p = malloc(n);
  if (p != NULL)
    blocks[slot_of(NULL)] = p;
  return p;
}

/* The slot is found before realloc: the old pointer is not looked at
 * after it may have been freed. */
static void *
pool_realloc(void *p, size_t n) {
  size_t i;
  void *q;
  if (p == NULL)
    return pool_malloc(n);
  i = slot_of(p);
  q = realloc(p, n);
  if (q != NULL)
    blocks[i] = q;
  return q;
}

static void
pool_free(void *p) {
  if (p != NULL) {
    blocks[slot_of(p)] = NULL;
    free(p);
  }
}

static size_t
pool_free_all(void) {
  size_t i, n = 0;
  for (i = 0; i < MAX_BLOCKS; i++)
    if (blocks[i] != NULL) {
      free(blocks[i]);
      blocks[i] = NULL;
      n++;
    }
  return n;
}

static const tp_memory_suite pool = {pool_malloc, pool_realloc, pool_free};

static jmp_buf escape;

static int
jump_at_task(void *user_data, tp_node node) {
  (void)user_data;
  if (node == TP_NODE_TASK)
    longjmp(escape, 1);
  return 0;
}

static const tp_callbacks jumper = {jump_at_task, NULL, NULL};

/* The reference trace, from a decoder nobody jumped out of. */
static void
reference(recorder *want, size_t chunk) {
  rec_init(want);
  assert_int_equal(rec_decode(want, two_jobs, two_jobs_len, chunk, 0), TP_OK);
}

/* Decodes two_jobs with d (already initialised with the jumper) until the
 * callback jumps out. */
static void
feed_until_jump(tp_decoder *d, size_t chunk) {
  /* volatile: it changes between setjmp and longjmp. */
  volatile size_t off = 0;
  if (setjmp(escape) == 0) {
    while (off < two_jobs_len) {
      size_t n =
          chunk == 0 || chunk > two_jobs_len - off ? two_jobs_len - off : chunk;
      (void)tp_feed(d, two_jobs + off, n);
      off += n;
    }
    (void)tp_finish(d);
    fail_msg("the callback never jumped");
  }
}

static void
test_longjmp_leaves_decoder_refused(void **state) {
  static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];
  static const size_t chunks[] = {1, 7, 64, 4096, 0};
  size_t c;
  int mode;
  (void)state;
  two_jobs = read_test_data("two-jobs.xml", &two_jobs_len);
  assert_non_null(two_jobs);
  for (mode = 0; mode < 2; mode++)
    for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
      tp_decoder d, other;
      tp_config cfg;
      tp_error e;
      recorder want, got;
      tp_config_init(&cfg);
      cfg.callbacks = &jumper;
      if (mode == 0) {
        cfg.memory = &pool;
      } else {
        cfg.arena = arena;
        cfg.arena_size = sizeof arena;
      }
      assert_int_equal(tp_init(&d, &cfg), TP_OK);
      feed_until_jump(&d, chunks[c]);

      /* The decoder that was left: refused, and tp_release harmless. */
      assert_int_equal(tp_feed(&d, "x", 1), TP_ERR_STATE);
      assert_int_equal(tp_finish(&d), TP_ERR_STATE);
      assert_int_equal(tp_reset(&d), TP_ERR_STATE);
      assert_int_equal(tp_get_error(&d, &e), TP_OK);
      tp_release(&d);
      assert_int_equal(tp_feed(&d, "x", 1), TP_ERR_STATE);

      /* Another decoder on the same thread (it crashed here), then the
       * abandoned storage itself, initialised again: both decode as if
       * nothing had happened. */
      reference(&want, chunks[c]);
      rec_init(&got);
      assert_int_equal(rec_decode(&got, two_jobs, two_jobs_len, chunks[c], 0),
                       TP_OK);
      assert_string_equal(got.buf, want.buf);
      tp_config_init(&cfg);
      assert_int_equal(tp_init(&other, &cfg), TP_OK);
      assert_int_equal(tp_feed(&other, two_jobs, two_jobs_len), TP_OK);
      assert_int_equal(tp_finish(&other), TP_OK);
      tp_release(&other);
      rec_config(&cfg, &got, 0);
      rec_clear(&got);
      if (mode == 1) {
        cfg.arena = arena;
        cfg.arena_size = sizeof arena;
      }
      assert_int_equal(tp_init(&d, &cfg), TP_OK);
      assert_int_equal(tp_feed(&d, two_jobs, two_jobs_len), TP_OK);
      assert_int_equal(tp_finish(&d), TP_OK);
      rec_status(&got, &d);
      tp_release(&d);
      assert_string_equal(got.buf, want.buf);
      rec_free(&want);
      rec_free(&got);

      /* What the header says leaks: the first parser, with the heap. */
      if (mode == 0)
        assert_true(pool_free_all() > 0);
      else
        assert_int_equal(pool_free_all(), 0);
    }
  free(two_jobs);
}

/* The decoder whose callback uses an arena decoder that jumps out. */
typedef struct outer {
  tp_decoder inner;
  unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];
  size_t chunk;
  int jumped;
  int jobs;
} outer;

static int
outer_begin(void *user_data, tp_node node) {
  outer *o = user_data;
  tp_config cfg;
  if (node != TP_NODE_JOB)
    return 0;
  o->jobs++;
  if (o->jumped)
    return 0;
  o->jumped = 1;
  tp_config_init(&cfg);
  cfg.callbacks = &jumper;
  cfg.arena = o->arena;
  cfg.arena_size = sizeof o->arena;
  if (tp_init(&o->inner, &cfg) == TP_OK)
    feed_until_jump(&o->inner, o->chunk);
  /* The abandoned arena is the caller's again, to reuse at once: nothing
   * of the outer decoder may be in it. */
  memset(o->arena, 0xaa, sizeof o->arena);
  return 0;
}

/* Regression: an arena decoder abandoned (longjmp) inside another arena
 * decoder's callback, which catches the jump, left the arena slot holding
 * the abandoned arena, and the outer decoder's expat went on allocating
 * from it: the caller reusing that memory crashed the outer decode. The
 * slot is the outer decoder's again when its callback returns, and the
 * outer document decodes as it would alone. */
static void
test_abandoned_inner_arena_not_used_by_outer(void **state) {
  static const tp_callbacks cb = {outer_begin, NULL, NULL};
  static const size_t chunks[] = {1, 7, 64, 4096, 0};
  static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];
  static outer o;
  size_t c;
  (void)state;
  two_jobs = read_test_data("two-jobs.xml", &two_jobs_len);
  assert_non_null(two_jobs);
  for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
    tp_decoder d;
    tp_config cfg;
    recorder want, got;
    tp_status s;
    tp_config_init(&cfg);
    cfg.callbacks = &cb;
    cfg.user_data = &o;
    cfg.arena = arena;
    cfg.arena_size = sizeof arena;
    o.chunk = chunks[c];
    o.jumped = 0;
    o.jobs = 0;
    assert_int_equal(tp_init(&d, &cfg), TP_OK);
    s = feed_chunked(&d, two_jobs, two_jobs_len, chunks[c]);
    assert_int_equal(o.jumped, 1);
    assert_int_equal(s, TP_OK);
    assert_int_equal(tp_finish(&d), TP_OK);
    assert_int_equal(o.jobs, 2);

    reference(&want, chunks[c]);
    rec_init(&got);
    assert_int_equal(tp_reset(&d), TP_OK);
    tp_release(&d);
    assert_int_equal(rec_decode_arena(&got, two_jobs, two_jobs_len, chunks[c],
                                      0, arena, sizeof arena, NULL),
                     TP_OK);
    assert_string_equal(got.buf, want.buf);
    rec_free(&want);
    rec_free(&got);
  }
  free(two_jobs);
}

int
main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_longjmp_leaves_decoder_refused),
      cmocka_unit_test(test_abandoned_inner_arena_not_used_by_outer),
  };
  return cmocka_run_group_tests_name("misuse", tests, NULL, NULL);
}
