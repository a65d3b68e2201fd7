/* test_collect.c -- the collector (taskprogress_collect.h) against a second,
 * simple one (collect_ref.c): every response of the corpus at several
 * chunk sizes, pool sizes and alignments, caps, flags, with an arena,
 * after a reset, stopped by a callback, by the stream or by strict mode;
 * its arguments; and TP_COLLECT_POOL_SIZE on responses of known shape. */
#define _POSIX_C_SOURCE 200809L /* popen */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_ref.h"
#include "corpus.h"
#include "support.h"

#define U TP_COLLECT_UNLIMITED

static corpus files;
static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];

static int
setup(void **state) {
  (void)state;
  corpus_load(&files);
  return 0;
}

static int
teardown(void **state) {
  (void)state;
  corpus_free(&files);
  return 0;
}

/* Runs one case; fails the test with the file and the case when the
 * collector and the reference disagree. */
static void
check(const cref_case *c, const char *path, size_t *records, int *lost) {
  char why[512];
  if (cref_run(c, why, sizeof why, records, lost) != 0)
    fail_msg("%s: chunk %zu flags %u pool %zu+%zu caps %zu/%zu/%zu "
             "collect flags %u stop at record %lu stream stop %lu "
             "before %s: %s",
             path, c->chunk, c->flags, c->pool_size, c->misalign, c->max_tasks,
             c->max_items, c->max_string, c->collect_flags, c->stop_at_record,
             c->stream_stop_at, c->before ? "yes" : "no", why);
}

/* A pool that holds any job of a document: more than its bytes. */
static size_t
ample(size_t len) {
  return 4 * len + 4096;
}

typedef struct doc {
  char *data;
  size_t len;
} doc;

/* Reads the i-th response; NULL data for one larger than
 * $TP_TEST_COLLECT_BYTES (valgrind runs only the small ones). */
static doc
load(size_t i) {
  doc d;
  d.data = read_file(files.paths[i], &d.len);
  if (d.data == NULL)
    fail_msg("cannot read %s", files.paths[i]);
  if (d.len > env_count("TP_TEST_COLLECT_BYTES", (unsigned long)-1)) {
    free(d.data);
    d.data = NULL;
  }
  return d;
}

/* Larger documents run at fewer chunk and pool sizes: byte feeds of every
 * megabyte would take the suite's time for nothing the small ones miss. */
#define SMALL 16384

static void
test_corpus_pools_and_chunks(void **state) {
  static const size_t chunks[] = {1, 7, 4096, 0};
  static const size_t pools[] = {0, 1, 8, 40, 100, 300, 805, 2048, 0};
  size_t i, k, m;
  (void)state;
  for (i = 0; i < files.count; i++) {
    doc d = load(i);
    if (d.data == NULL)
      continue;
    for (k = 0; k < sizeof chunks / sizeof *chunks; k++) {
      if ((d.len > SMALL && chunks[k] < 4096) ||
          (d.len > SMALL / 8 && chunks[k] == 1))
        continue;
      for (m = 0; m < sizeof pools / sizeof *pools; m++) {
        cref_case c;
        cref_case_init(&c, d.data, d.len);
        c.chunk = chunks[k];
        c.pool_size =
            m + 1 == sizeof pools / sizeof *pools ? ample(d.len) : pools[m];
        c.with_stream = chunks[k] == 7;
        check(&c, files.paths[i], NULL, NULL);
      }
    }
    free(d.data);
  }
}

/* A pool that starts 1 to 7 bytes past an aligned address. */
static void
test_corpus_misaligned_pools(void **state) {
  static const size_t pools[] = {40, 100, 300, 805};
  size_t i, m, skew;
  (void)state;
  for (i = 0; i < files.count; i++) {
    doc d = load(i);
    if (d.data == NULL)
      continue;
    for (m = 0; m < sizeof pools / sizeof *pools; m++)
      for (skew = 1; skew < 8; skew++) {
        cref_case c;
        cref_case_init(&c, d.data, d.len);
        c.chunk = d.len > SMALL ? 4096 : 7;
        c.pool_size = pools[m];
        c.misalign = skew;
        check(&c, files.paths[i], NULL, NULL);
      }
    free(d.data);
  }
}

static void
test_corpus_caps(void **state) {
  static const size_t caps[][3] = {{0, U, U}, {1, U, U}, {2, 0, U}, {U, 0, U},
                                   {U, 1, U}, {U, 2, 3}, {U, U, 0}, {U, U, 1},
                                   {U, U, 2}, {U, U, 5}, {1, 1, 1}, {3, 3, 17}};
  size_t i, k, whole;
  (void)state;
  for (i = 0; i < files.count; i++) {
    doc d = load(i);
    if (d.data == NULL)
      continue;
    for (k = 0; k < sizeof caps / sizeof *caps; k++)
      for (whole = 0; whole < 2; whole++) {
        cref_case c;
        cref_case_init(&c, d.data, d.len);
        c.chunk = whole || d.len > SMALL ? 0 : 7;
        c.pool_size = k % 2 ? 805 : ample(d.len);
        c.max_tasks = caps[k][0];
        c.max_items = caps[k][1];
        c.max_string = caps[k][2];
        check(&c, files.paths[i], NULL, NULL);
      }
    free(d.data);
  }
}

/* Prompt mode, and expat in the caller's arena. */
static void
test_corpus_prompt_and_arena(void **state) {
  static const size_t pools[] = {0, 100, 805, 0};
  size_t i, m, k;
  (void)state;
  for (i = 0; i < files.count; i++) {
    doc d = load(i);
    if (d.data == NULL)
      continue;
    for (m = 0; m < sizeof pools / sizeof *pools; m++)
      for (k = 0; k < 2; k++) {
        cref_case c;
        cref_case_init(&c, d.data, d.len);
        c.chunk = d.len > SMALL ? 4096 : k || d.len > SMALL / 8 ? 7 : 1;
        c.pool_size = m == 3 ? ample(d.len) : pools[m];
        c.flags = TP_FLAG_PROMPT;
        if (k) {
          c.arena = arena;
          c.arena_size = sizeof arena;
        }
        check(&c, files.paths[i], NULL, NULL);
      }
    free(d.data);
  }
}

/* Strict mode stops at the first loss, and says TP_ERR_NOT_KEPT (the
 * reference says where). */
static void
test_corpus_strict(void **state) {
  static const size_t pools[] = {0, 40, 300, 805, 0};
  size_t i, m, stopped = 0, whole;
  (void)state;
  for (i = 0; i < files.count; i++) {
    doc d = load(i);
    if (d.data == NULL)
      continue;
    for (m = 0; m < sizeof pools / sizeof *pools; m++)
      for (whole = 0; whole < 2; whole++) {
        cref_case c;
        int lost = 0;
        cref_case_init(&c, d.data, d.len);
        c.chunk = whole || d.len > SMALL ? 0 : 7;
        c.pool_size = m == 4 ? ample(d.len) : pools[m];
        c.collect_flags = TP_COLLECT_STRICT;
        c.with_stream = 1;
        if (m == 4) {
          c.max_tasks = 1;
          c.max_items = 1;
          c.max_string = 8;
        }
        check(&c, files.paths[i], NULL, &lost);
        stopped += (size_t)lost;
      }
    free(d.data);
  }
  /* The strict cases above did stop somewhere. */
  assert_true(stopped > 0);
}

/* A job or fault callback that stops, and a stream that stops. */
static void
test_corpus_stops(void **state) {
  size_t i, k, records;
  unsigned long at;
  (void)state;
  for (i = 0; i < files.count; i++) {
    doc d = load(i);
    if (d.data == NULL)
      continue;
    cref_case c;
    cref_case_init(&c, d.data, d.len);
    c.chunk = d.len > SMALL ? 4096 : 7;
    c.pool_size = 805;
    check(&c, files.paths[i], &records, NULL);
    for (k = 1; k <= records && k <= 3; k++) {
      c.stop_at_record = k;
      check(&c, files.paths[i], NULL, NULL);
    }
    c.stop_at_record = 0;
    for (at = 1; at < 400; at = at * 3 + 1) {
      c.stream_stop_at = at;
      check(&c, files.paths[i], NULL, NULL);
    }
    free(d.data);
  }
}

/* After tp_reset and tp_collect_reset, a response cut off inside a job
 * leaves nothing behind. */
static void
test_corpus_after_reset(void **state) {
  size_t i, blen;
  char *before = read_test_data("error-truncated.xml", &blen);
  (void)state;
  assert_non_null(before);
  for (i = 0; i < files.count; i++) {
    doc d = load(i);
    if (d.data == NULL)
      continue;
    cref_case c;
    cref_case_init(&c, d.data, d.len);
    c.chunk = d.len > SMALL ? 4096 : 7;
    c.pool_size = 805;
    c.before = before;
    c.before_len = blen;
    c.with_stream = 1;
    check(&c, files.paths[i], NULL, NULL);
    c.before = d.data; /* itself, stopped in strict mode */
    c.before_len = d.len;
    c.pool_size = 40;
    c.collect_flags = TP_COLLECT_STRICT;
    check(&c, files.paths[i], NULL, NULL);
    free(d.data);
  }
  free(before);
}

/* Cut-off responses: what is open when the input ends is shown whole. */
static void
test_truncated_prefixes(void **state) {
  static const size_t pools[] = {100, 805, 0};
  size_t i, cut, m, step = env_count("TP_TEST_PREFIX_STEP", 11);
  (void)state;
  for (i = 0; i < files.count; i++) {
    doc d = load(i);
    if (d.data == NULL)
      continue;
    if (d.len <= 8192)
      for (cut = 0; cut < d.len; cut += step)
        for (m = 0; m < sizeof pools / sizeof *pools; m++) {
          cref_case c;
          cref_case_init(&c, d.data, cut);
          c.pool_size = pools[m] ? pools[m] : ample(d.len);
          c.max_string = m == 0 ? 4 : U;
          check(&c, files.paths[i], NULL, NULL);
        }
    free(d.data);
  }
}

/* The bare getActiveJobsReturn form hands its jobs over like the SOAP. */
static void
test_bare_form(void **state) {
  size_t len, records = 0;
  int lost = 1;
  char *bare = read_test_data("bare-getActiveJobsReturn.xml", &len);
  cref_case c;
  (void)state;
  assert_non_null(bare);
  cref_case_init(&c, bare, len);
  c.pool_size = 2048;
  check(&c, "bare-getActiveJobsReturn.xml", &records, &lost);
  assert_true(records > 0);
  assert_false(lost);
  free(bare);
}

/* ---- arguments --------------------------------------------------------- */

static void
test_init_arguments(void **state) {
  static _Alignas(tp_collector) unsigned char raw[sizeof(tp_collector) + 8];
  static char pool[64];
  tp_collect_config cc;
  tp_collector col, zero;
  tp_config cfg, untouched;
  (void)state;
  tp_collect_config_init(&cc, pool, sizeof pool);
  memset(&cfg, 0x5a, sizeof cfg);
  untouched = cfg;
  memset(&col, 0xa5, sizeof col);
  zero = col;
  assert_int_equal(tp_collect_init(NULL, &cc, &cfg), TP_ERR_ARGUMENT);
  assert_int_equal(tp_collect_init(&col, NULL, &cfg), TP_ERR_ARGUMENT);
  assert_int_equal(tp_collect_init(&col, &cc, NULL), TP_ERR_ARGUMENT);
  assert_int_equal(
      tp_collect_init((tp_collector *)(void *)(raw + 1), &cc, &cfg),
      TP_ERR_ARGUMENT);
  cc.pool = NULL;
  assert_int_equal(tp_collect_init(&col, &cc, &cfg), TP_ERR_ARGUMENT);
  cc.pool = pool;
  cc.flags = 0x2u;
  assert_int_equal(tp_collect_init(&col, &cc, &cfg), TP_ERR_ARGUMENT);
  cc.flags = ~0u;
  assert_int_equal(tp_collect_init(&col, &cc, &cfg), TP_ERR_ARGUMENT);
  assert_memory_equal(&cfg, &untouched, sizeof cfg);
  assert_memory_equal(&col, &zero, sizeof col);
  /* Neither a refused init nor zeroed storage is a collector. */
  memset(&zero, 0, sizeof zero);
  assert_int_equal(tp_collect_status(&zero), TP_ERR_ARGUMENT);
  assert_int_equal(tp_collect_reset(&zero), TP_ERR_ARGUMENT);
  assert_null(tp_collect_open_job(&zero));
  assert_null(tp_collect_open_fault(&zero));
  /* No pool at all is allowed, and so is every flag it knows. */
  tp_collect_config_init(&cc, NULL, 0);
  cc.flags = TP_COLLECT_STRICT;
  assert_int_equal(tp_collect_init(&col, &cc, &cfg), TP_OK);
  assert_int_equal(tp_collect_status(&col), TP_OK);
  assert_null(tp_collect_open_job(&col));
  assert_int_equal(tp_collect_reset(&col), TP_OK);
  /* The decoder config is tp_config_init's but for the callbacks. */
  assert_non_null(cfg.callbacks);
  assert_null(cfg.arena);
  assert_int_equal(cfg.flags, 0);
  tp_collect_config_init(NULL, pool, 1); /* harmless */
}

/* A NULL collector was refused after its member's address had been taken
 * through the null pointer (undefined; UBSan's "member access within null
 * pointer"): this fails in the sanitizer build if it comes back. */
static void
test_null_collector_member_access(void **state) {
  (void)state;
  assert_int_equal(tp_collect_status(NULL), TP_ERR_ARGUMENT);
  assert_int_equal(tp_collect_reset(NULL), TP_ERR_ARGUMENT);
  assert_null(tp_collect_open_job(NULL));
  assert_null(tp_collect_open_fault(NULL));
}

/* Strict mode, spelled out once: TP_STOPPED, then TP_ERR_NOT_KEPT. */
static void
test_strict_stops(void **state) {
  static char pool[40];
  size_t len;
  char *xml = read_test_data("two-jobs.xml", &len);
  tp_collect_config cc;
  tp_collector col;
  tp_config cfg;
  tp_decoder d;
  const tp_job_record *open;
  (void)state;
  assert_non_null(xml);
  tp_collect_config_init(&cc, pool, sizeof pool);
  cc.flags = TP_COLLECT_STRICT;
  assert_int_equal(tp_collect_init(&col, &cc, &cfg), TP_OK);
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  assert_int_equal(tp_feed(&d, xml, len), TP_STOPPED);
  assert_int_equal(tp_collect_status(&col), TP_ERR_NOT_KEPT);
  open = tp_collect_open_job(&col);
  assert_non_null(open);
  assert_true(open->incomplete);
  assert_true(open->cut != 0);
  tp_release(&d);
  free(xml);
}

/* ---- TP_COLLECT_POOL_SIZE ------------------------------------------- */

static void
grow(char **buf, size_t *len, size_t *cap, const char *s, size_t n) {
  if (*len + n + 1 > *cap) {
    *cap = (*len + n + 1) * 2;
    *buf = realloc(*buf, *cap);
    assert_non_null(*buf);
  }
  memcpy(*buf + *len, s, n);
  *len += n;
  (*buf)[*len] = '\0';
}

static void
put(char **buf, size_t *len, size_t *cap, const char *s) {
  grow(buf, len, cap, s, strlen(s));
}

/* <name>, `n` bytes of text (a 2-byte character where one fits, so that
 * cuts are tested between characters), </name>. */
static void
put_string(char **b, size_t *l, size_t *c, const char *name, size_t n) {
  size_t i;
  put(b, l, c, "<");
  put(b, l, c, name);
  put(b, l, c, ">");
  for (i = 0; i < n; i++)
    put(b, l, c, i % 3 == 1 && i + 1 < n ? (i++, "\xc3\xa9") : "x");
  put(b, l, c, "</");
  put(b, l, c, name);
  put(b, l, c, ">");
}

/* A response of one job with every string `s` bytes long, `tasks` tasks
 * of `items` items each. */
static char *
shaped_response(size_t tasks, size_t items, size_t s, size_t *len) {
  static const char *const job_strings[] = {
      "companyHandle",   "jobHandle",      "name",
      "originalName",    "type",           "state",
      "submitUserEmail", "locale",         "description",
      "serverName",      "progressMessage"};
  char *b = NULL;
  size_t l = 0, c = 0, t, i, k;
  assert_int_equal(sizeof job_strings / sizeof *job_strings, TP_JOB_STRINGS);
  put(&b, &l, &c,
      "<soapenv:Envelope "
      "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
      "<soapenv:Body><getActiveJobsReturn "
      "xmlns=\"http://www.scene7.com/IpsApi/xsd/2013-02-15\"><jobArray>"
      "<items>");
  for (k = 0; k < TP_JOB_STRINGS; k++)
    put_string(&b, &l, &c, job_strings[k], s);
  put(&b, &l, &c, "<progress>5</progress><taskProgressArray>");
  for (t = 0; t < tasks; t++) {
    put(&b, &l, &c, "<items>");
    put_string(&b, &l, &c, "taskType", s);
    put_string(&b, &l, &c, "taskState", s);
    put_string(&b, &l, &c, "progressMessage", s);
    put(&b, &l, &c, "<progress>0.5</progress><taskItemProgressArray>");
    for (i = 0; i < items; i++) {
      put(&b, &l, &c, "<items>");
      put_string(&b, &l, &c, "itemName", s);
      put_string(&b, &l, &c, "progressMessage", s);
      put(&b, &l, &c, "<progress>1.0</progress></items>");
    }
    put(&b, &l, &c, "</taskItemProgressArray></items>");
  }
  put(&b, &l, &c,
      "</taskProgressArray></items></jobArray></getActiveJobsReturn>"
      "</soapenv:Body></soapenv:Envelope>");
  *len = l;
  return b;
}

/* Whether the job loses something in a pool of `size` bytes starting
 * `skew` bytes past an aligned address (the reference checks the rest). */
static int
loses(const char *xml, size_t len, size_t tasks, size_t items, size_t s,
      size_t size, size_t skew) {
  cref_case c;
  size_t records = 0;
  int lost = 0;
  cref_case_init(&c, xml, len);
  c.chunk = 7;
  c.pool_size = size;
  c.misalign = skew;
  c.max_tasks = tasks;
  c.max_items = items;
  c.max_string = s;
  check(&c, "shaped response", &records, &lost);
  assert_int_equal(records, 1);
  return lost;
}

static void
test_pool_size_macro(void **state) {
  static const size_t shapes[][3] = {{0, 0, 0},  {0, 0, 9}, {1, 1, 1},
                                     {2, 3, 10}, {3, 0, 7}, {1, 5, 33},
                                     {4, 2, 0},  {2, 2, 64}};
  size_t k;
  (void)state;
  for (k = 0; k < sizeof shapes / sizeof *shapes; k++) {
    size_t tasks = shapes[k][0], items = shapes[k][1], s = shapes[k][2];
    size_t len, formula = TP_COLLECT_POOL_SIZE(tasks, items, s), need = 0;
    size_t skew, records = tasks + tasks * items;
    char *xml = shaped_response(tasks, items, s, &len);
    for (skew = 0; skew < TP_COLLECT_ALIGN; skew++) {
      size_t lo = 0;
      assert_false(loses(xml, len, tasks, items, s, formula, skew));
      /* The fewest bytes that lose nothing at this alignment. */
      while (lo < formula && loses(xml, len, tasks, items, s, lo, skew))
        lo++;
      if (lo > need)
        need = lo;
    }
    /* One byte less than the most any alignment needs loses something
     * (need is that most, so it does by construction at one alignment);
     * the formula allows TP_COLLECT_ALIGN - 1 bytes of padding per
     * record, which the worst alignment need not all take, and a NUL for
     * each empty string, which takes none. */
    print_message("TP_COLLECT_POOL_SIZE(%zu, %zu, %zu) = %zu, needed %zu, "
                  "slack %zu\n",
                  tasks, items, s, formula, need, formula - need);
    assert_true(need > 0 || s == 0);
    if (s > 0)
      assert_true(formula - need <= records * (TP_COLLECT_ALIGN - 1));
    if (tasks == 0 && s > 0)
      assert_int_equal(formula, need);
    free(xml);
  }
}

/* Sizes the README promises: 2 KiB holds a typical job. */
static void
check_2k(const char *xml, size_t len, const char *what) {
  cref_case c;
  size_t records = 0;
  int lost = 1;
  cref_case_init(&c, xml, len);
  c.chunk = 4096;
  c.pool_size = 2048;
  c.misalign = 3;
  check(&c, what, &records, &lost);
  assert_true(records > 0);
  assert_false(lost);
}

static void
test_2k_pool(void **state) {
  char path[1024], cmd[2200];
  const char *python = getenv("PYTHON3");
  char *xml, *gen = NULL;
  size_t len, glen = 0, gcap = 0;
  FILE *p;
  (void)state;
  test_path(path, sizeof path, test_data_dir(),
            "../../examples/sample-response.xml");
  xml = read_file(path, &len);
  assert_non_null(xml);
  check_2k(xml, len, path);
  free(xml);
  if (python == NULL || *python == '\0') {
    skip(); /* no python3: configure said so */
  }
  snprintf(cmd, sizeof cmd, "'%s' '%s/../../bench/genbench.py' 1 1 10", python,
           test_data_dir());
  p = popen(cmd, "r");
  assert_non_null(p);
  for (;;) {
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, p);
    if (n == 0)
      break;
    grow(&gen, &glen, &gcap, buf, n);
  }
  assert_int_equal(pclose(p), 0);
  assert_true(glen > 1000);
  check_2k(gen, glen, "genbench.py 1 1 10");
  free(gen);
}

int
main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_init_arguments),
      cmocka_unit_test(test_null_collector_member_access),
      cmocka_unit_test(test_strict_stops),
      cmocka_unit_test(test_bare_form),
      cmocka_unit_test(test_pool_size_macro),
      cmocka_unit_test(test_2k_pool),
      cmocka_unit_test(test_corpus_pools_and_chunks),
      cmocka_unit_test(test_corpus_misaligned_pools),
      cmocka_unit_test(test_corpus_caps),
      cmocka_unit_test(test_corpus_prompt_and_arena),
      cmocka_unit_test(test_corpus_strict),
      cmocka_unit_test(test_corpus_stops),
      cmocka_unit_test(test_corpus_after_reset),
      cmocka_unit_test(test_truncated_prefixes),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
