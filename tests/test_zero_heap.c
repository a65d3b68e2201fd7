/* test_zero_heap.c -- with an arena, decoding touches no heap, and writing
 * a request never does: this program replaces malloc, calloc, realloc and
 * free (glibc lets a program's own definitions win for every library,
 * expat included) and counts the calls made between tp_init() and
 * tp_release() while every response of the corpus is decoded, at several
 * chunk sizes, with resets in between, and while requests are checked,
 * written, cut, refused and streamed, and while the collector gathers
 * records in its pool. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "recorder.h"
#include "taskprogress_collect.h"
#include "support.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TP_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TP_UNDER_ASAN 1
#endif

#if !defined(TP_UNDER_ASAN) && defined(HAVE___LIBC_MALLOC)
#define TP_COUNT_HEAP 1
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static int armed;
static unsigned long heap_calls;

void *
malloc(size_t n) {
  heap_calls += (unsigned long)armed;
  return __libc_malloc(n);
}

void *
calloc(size_t n, size_t m) {
  heap_calls += (unsigned long)armed;
  return __libc_calloc(n, m);
}

void *
realloc(void *p, size_t n) {
  heap_calls += (unsigned long)armed;
  return __libc_realloc(p, n);
}

void
free(void *p) {
  heap_calls += (unsigned long)(armed && p != NULL);
  __libc_free(p);
}
#endif

/* Callbacks that consume every value without allocating. */
typedef struct sums {
  unsigned long events;
  unsigned long bytes;
} sums;

static int
on_node(void *ud, tp_node node) {
  ((sums *)ud)->events += (unsigned long)node + 1;
  return 0;
}

static int
on_field(void *ud, const tp_field *f) {
  sums *s = ud;
  s->events++;
  s->bytes += f->len;
  return 0;
}

static const tp_callbacks CALLBACKS = {on_node, on_node, on_field};

static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];

/* Decodes xml at `chunk` three times with resets and puts each round's
 * verdict in verdicts[0..2]; returns heap calls made from tp_init to
 * tp_release (or 0 when not counting). tp_init and tp_reset must succeed:
 * a decoder that failed at once would make no heap calls either. */
static unsigned long
decode_counting(const char *xml, size_t len, size_t chunk, void *mem,
                size_t mem_size, sums *s, tp_status verdicts[3]) {
  tp_decoder d;
  tp_config cfg;
  int round;
  unsigned long calls = 0;
  tp_status init, reset = TP_OK;
  tp_config_init(&cfg);
  cfg.callbacks = &CALLBACKS;
  cfg.user_data = s;
  cfg.arena = mem;
  cfg.arena_size = mem_size;
#ifdef TP_COUNT_HEAP
  heap_calls = 0;
  armed = 1;
#endif
  init = tp_init(&d, &cfg);
  if (init == TP_OK) {
    for (round = 0; round < 3; round++) {
      tp_status st = feed_chunked(&d, xml, len, chunk);
      verdicts[round] = st == TP_OK ? tp_finish(&d) : st;
      if (reset == TP_OK)
        reset = tp_reset(&d);
    }
    tp_release(&d);
  }
#ifdef TP_COUNT_HEAP
  armed = 0;
  calls = heap_calls;
#endif
  assert_int_equal(init, TP_OK);
  assert_int_equal(reset, TP_OK);
  return calls;
}

/* Set when a test could not count: the program then exits 77 (SKIP)
 * unless something failed, rather than pass for what it did not check. */
static int skipped;

/* The counter itself works, here, now (valgrind, for one, replaces malloc
 * in every object and would make this test pass for nothing). */
static int
counting_works(void) {
#ifdef TP_COUNT_HEAP
  /* Through volatile pointers: compilers may drop a malloc/free pair. */
  void *(*volatile do_malloc)(size_t) = malloc;
  void (*volatile do_free)(void *) = free;
  heap_calls = 0;
  armed = 1;
  do_free(do_malloc(16));
  armed = 0;
  return heap_calls == 2;
#else
  return 0;
#endif
}

static void
test_no_heap_with_arena(void **state) {
  static const size_t chunks[] = {1, 64, 4096, 1 << 20};
  corpus files;
  size_t i, c, runs = 0;
  (void)state;
  if (!counting_works()) {
    print_message("malloc cannot be replaced in this build (sanitizer, "
                  "valgrind or not glibc): skipped\n");
    skipped = 1;
    skip();
  }
  corpus_load(&files);
  for (i = 0; i < files.count; i++) {
    size_t len;
    char *xml = read_file(files.paths[i], &len);
    tp_status want[3];
    sums ref = {0, 0};
    assert_non_null(xml);
    (void)decode_counting(xml, len, len, NULL, 0, &ref, want);
    for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
      sums s = {0, 0};
      unsigned long calls;
      tp_status got[3];
      int k;
      if (chunks[c] == 1 && len > 100000)
        continue;
      calls =
          decode_counting(xml, len, chunks[c], arena, sizeof arena, &s, got);
      if (calls != 0)
        fail_msg("%s, chunk %zu: %lu heap calls with an arena", files.paths[i],
                 chunks[c], calls);
      /* The arena decodes what the heap decodes, every round. */
      for (k = 0; k < 3; k++)
        if (got[k] != want[0])
          fail_msg("%s, chunk %zu, round %d: %s with an arena, %s without",
                   files.paths[i], chunks[c], k, tp_strerror(got[k]),
                   tp_strerror(want[0]));
      runs++;
    }
    free(xml);
  }
  print_message("%zu decodes (x3 with reset) of %zu responses: 0 heap calls\n",
                runs, files.count);
  corpus_free(&files);
}

/* Control: without an arena the same decode does use the heap, so the
 * count above is not zero by accident. */
static void
test_heap_without_arena(void **state) {
  size_t len;
  char *xml;
  sums s = {0, 0};
  tp_status verdicts[3];
  (void)state;
  if (!counting_works()) {
    skipped = 1;
    skip();
  }
  xml = read_test_data("two-jobs.xml", &len);
  assert_non_null(xml);
  assert_true(decode_counting(xml, len, 64, NULL, 0, &s, verdicts) > 10);
  assert_int_equal(verdicts[0], TP_OK);
  assert_true(s.events > 0);
  free(xml);
}

/* Record callbacks that count what they are handed, without allocating. */
static int
on_job(void *ud, const tp_job_record *job) {
  sums *s = ud;
  s->events += 1 + job->task_count;
  s->bytes += strlen(job->name);
  return 0;
}

static int
on_fault(void *ud, const tp_fault_record *fault) {
  sums *s = ud;
  s->events++;
  s->bytes += strlen(fault->string);
  return 0;
}

/* The collector with an arena: from tp_collect_init to tp_release, three
 * rounds with tp_reset and tp_collect_reset in between, an ample pool and
 * a small strict one, no heap call. */
static void
test_collector_no_heap(void **state) {
  static const size_t chunks[] = {1, 64, 4096};
  static unsigned char pool[65536];
  corpus files;
  size_t i, c, runs = 0, records = 0;
  int strict;
  (void)state;
  if (!counting_works()) {
    skipped = 1;
    skip();
  }
  corpus_load(&files);
  for (i = 0; i < files.count; i++) {
    size_t len;
    char *xml = read_file(files.paths[i], &len);
    assert_non_null(xml);
    for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++)
      for (strict = 0; strict < 2; strict++) {
        sums s = {0, 0};
        tp_collect_config cc;
        tp_collector col;
        tp_config cfg;
        tp_decoder d;
        tp_status init, reset = TP_OK;
        int round;
        if (chunks[c] == 1 && len > 100000)
          continue;
        tp_collect_config_init(&cc, pool, strict ? 805 : sizeof pool);
        cc.flags = strict ? TP_COLLECT_STRICT : 0u;
        cc.job = on_job;
        cc.fault = on_fault;
        cc.stream = &CALLBACKS;
        cc.user_data = &s;
#ifdef TP_COUNT_HEAP
        heap_calls = 0;
        armed = 1;
#endif
        init = tp_collect_init(&col, &cc, &cfg);
        cfg.arena = arena;
        cfg.arena_size = sizeof arena;
        if (init == TP_OK)
          init = tp_init(&d, &cfg);
        if (init == TP_OK) {
          for (round = 0; round < 3; round++) {
            if (feed_chunked(&d, xml, len, chunks[c]) == TP_OK)
              (void)tp_finish(&d);
            if (reset == TP_OK)
              reset = tp_reset(&d);
            if (reset == TP_OK)
              reset = tp_collect_reset(&col);
          }
          tp_release(&d);
        }
#ifdef TP_COUNT_HEAP
        armed = 0;
        if (heap_calls != 0)
          fail_msg("%s, chunk %zu: %lu heap calls with the collector",
                   files.paths[i], chunks[c], heap_calls);
#endif
        assert_int_equal(init, TP_OK);
        assert_int_equal(reset, TP_OK);
        records += s.events;
        runs++;
      }
    free(xml);
  }
  /* They did run, and handed records over. */
  assert_true(records > files.count);
  print_message("%zu collector decodes (x3 with reset): 0 heap calls\n", runs);
  corpus_free(&files);
}

/* A writer that only counts what it is given. */
static int
count_bytes(void *user_data, const char *bytes, size_t length) {
  (void)bytes;
  *(size_t *)user_data += length;
  return 0;
}

static void
test_request_writer_no_heap(void **state) {
  static char buf[8192];
  unsigned long calls = 0;
  tp_request r, bad;
  size_t n = 0, full = 0, both = 0, streamed = 0;
  const char *field = NULL;
  tp_status st[7];
  int k;
  (void)state;
  if (!counting_works()) {
    print_message("malloc cannot be replaced in this build (sanitizer, "
                  "valgrind or not glibc): skipped\n");
    skipped = 1;
    skip();
  }
#ifdef TP_COUNT_HEAP
  heap_calls = 0;
  armed = 1;
#endif
  for (k = 0; k < 2; k++) {
    tp_request_init(&r);
    r.soap_version = k == 0 ? TP_SOAP_11 : TP_SOAP_12;
    r.user = "user@example.com";
    r.password = "p&<>]]>\r\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
    r.locale = "en-US";
    r.company_handle = "c|1";
    r.job_handle = "j|1";
    r.include_waiting_jobs = TP_BOOL_TRUE;
    r.has_fault_http_status_code = 1;
    r.fault_http_status_code = 200;
    bad = r;
    bad.user = "\xc0\x80";
    st[0] = tp_request_check(&r, &field);
    st[1] = tp_request_check(&bad, &field);
    st[2] = tp_request_write(&r, NULL, 0, &full);
    both += full;
    st[3] = tp_request_write(&r, buf, sizeof buf, &n);
    st[4] = tp_request_write(&r, buf, 10, &n);
    st[5] = tp_request_write(&bad, buf, sizeof buf, &n);
    st[6] = tp_request_stream(&r, buf, 7, count_bytes, &streamed, &n);
    (void)tp_request_header(&r, 0);
  }
#ifdef TP_COUNT_HEAP
  armed = 0;
  calls = heap_calls;
#endif
  if (calls != 0)
    fail_msg("%lu heap calls writing requests", calls);
  /* They did run, and did what they are for. */
  assert_int_equal(st[0], TP_OK);
  assert_int_equal(st[1], TP_ERR_ARGUMENT);
  assert_int_equal(st[2], TP_OK);
  assert_int_equal(st[3], TP_OK);
  assert_int_equal(st[4], TP_OK);
  assert_int_equal(st[5], TP_ERR_ARGUMENT);
  assert_int_equal(st[6], TP_OK);
  assert_true(full > 500 && full < sizeof buf);
  assert_int_equal(streamed, both);
}

int
main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_no_heap_with_arena),
      cmocka_unit_test(test_heap_without_arena),
      cmocka_unit_test(test_collector_no_heap),
      cmocka_unit_test(test_request_writer_no_heap),
  };
  int rc = cmocka_run_group_tests_name("zero heap", tests, NULL, NULL);
  return rc != 0 ? rc : skipped ? 77 : 0;
}
