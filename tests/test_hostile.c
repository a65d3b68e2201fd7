/* test_hostile.c -- hostile and broken input: every prefix of every
 * response truncated, a catalogue of attacks and malformations with the
 * error and position each must give, the limits, and after each failure the
 * same decoder, reset, decodes a valid response correctly. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "recorder.h"
#include "support.h"

#include "soap_docs.h"

static char *two_jobs;
static size_t two_jobs_len;
static recorder golden; /* two-jobs, decoded on a fresh decoder */

static int
setup(void **state) {
  (void)state;
  two_jobs = read_test_data("two-jobs.xml", &two_jobs_len);
  if (two_jobs == NULL)
    return -1;
  rec_init(&golden);
  rec_decode(&golden, two_jobs, two_jobs_len, 0, 0);
  return 0;
}

static int
teardown(void **state) {
  (void)state;
  free(two_jobs);
  rec_free(&golden);
  return 0;
}

/* A decoder that records into `rec`, kept across a case and its reset. */
typedef struct session {
  tp_decoder d;
  recorder rec;
} session;

static void
open_session(session *s, const tp_config *limits) {
  tp_config cfg;
  if (limits != NULL)
    cfg = *limits;
  else
    tp_config_init(&cfg);
  rec_init(&s->rec);
  cfg.callbacks = rec_callbacks();
  cfg.user_data = &s->rec;
  assert_int_equal(tp_init(&s->d, &cfg), TP_OK);
}

static tp_status
feed_all(session *s, const char *doc, size_t len, size_t chunk) {
  (void)feed_chunked(&s->d, doc, len, chunk);
  return tp_finish(&s->d);
}

/* After any failure: reset, and the same decoder decodes two-jobs into
 * exactly the golden trace. */
static void
expect_reusable(session *s) {
  assert_int_equal(tp_reset(&s->d), TP_OK);
  /* An error may have cut a string field short: no callback follows. */
  rec_clear(&s->rec);
  assert_int_equal(feed_all(s, two_jobs, two_jobs_len, 100), TP_OK);
  rec_status(&s->rec, &s->d);
  assert_string_equal(s->rec.buf, golden.buf);
}

static void
close_session(session *s) {
  tp_release(&s->d);
  rec_free(&s->rec);
}

/* ---- every prefix of every response ---- */

/* Code unit i of a document: bytes, or UTF-16 units when it begins with
 * a UTF-16 byte order mark. */
typedef struct units {
  const unsigned char *p;
  size_t count; /* whole units */
  int wide, big_endian;
} units;

static units
units_of(const char *doc, size_t from, size_t len) {
  const unsigned char *b = (const unsigned char *)doc;
  units u;
  u.wide = len >= 2 &&
           ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF));
  u.big_endian = u.wide && b[0] == 0xFE;
  u.p = b + from;
  u.count = u.wide ? (len - from) / 2 : len - from;
  return u;
}

static unsigned
unit(const units *u, size_t i) {
  if (!u->wide)
    return u->p[i];
  return u->big_endian ? (unsigned)u->p[2 * i] << 8 | u->p[2 * i + 1]
                       : (unsigned)u->p[2 * i + 1] << 8 | u->p[2 * i];
}

/* Whether units [i, count) start with `s` (ASCII). */
static int
units_at(const units *u, size_t i, const char *s) {
  for (; *s != '\0'; s++, i++) {
    if (i >= u->count || unit(u, i) != (unsigned char)*s)
      return 0;
  }
  return 1;
}

/* Whether cutting `doc` at byte n took away only whitespace, comments and
 * processing instructions (XML's Misc) from its end. Only then is the
 * prefix a whole document, which must decode as the whole one does; any
 * other cut leaves a document that was cut short. */
static int
cut_only_misc(const char *doc, size_t len, size_t n) {
  units u = units_of(doc, n, len);
  size_t i = 0;
  if (u.wide && (n % 2 != 0 || (len - n) % 2 != 0))
    return 0; /* inside a UTF-16 unit */
  while (i < u.count) {
    const char *end;
    unsigned c = unit(&u, i);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      i++;
      continue;
    }
    if (units_at(&u, i, "<!--"))
      end = "-->";
    else if (units_at(&u, i, "<?"))
      end = "?>";
    else
      return 0;
    i += 2;
    while (i < u.count && !units_at(&u, i, end))
      i++;
    if (i == u.count)
      return 0; /* the comment or PI itself was cut */
    i += strlen(end);
  }
  return 1;
}

/* Each prefix is decoded whole, and fed in pieces of a size and with flags
 * that change from one prefix to the next. */
static const size_t PREFIX_CHUNKS[] = {1, 2, 3, 7, 64, 511};

static void
test_every_prefix(void **state) {
  corpus files;
  recorder full, part;
  size_t i, checked = 0, complete = 0;
  /* Every prefix normally; valgrind runs take every 7th. */
  size_t step = env_count("TP_TEST_PREFIX_STEP", 1);
  (void)state;
  corpus_load(&files);
  rec_init(&full);
  rec_init(&part);
  for (i = 0; i < files.count; i++) {
    size_t len, n;
    tp_status whole;
    char *xml, *full_end;
    /* tests/data and the conformance examples; the generated responses
     * are covered by the fuzzers. */
    if (strstr(files.paths[i], "/responses/") != NULL)
      continue;
    xml = read_file(files.paths[i], &len);
    assert_non_null(xml);
    whole = rec_decode(&full, xml, len, 0, 0);
    full_end = strstr(full.buf, "status ");
    for (n = 0; n < len; n += step) {
      size_t k = n % (sizeof PREFIX_CHUNKS / sizeof PREFIX_CHUNKS[0]);
      int only_misc = cut_only_misc(xml, len, n);
      int pass;
      for (pass = 0; pass < 2; pass++) {
        size_t chunk = pass == 0 ? 0 : PREFIX_CHUNKS[k];
        unsigned flags = pass == 0 ? 0 : (unsigned)(n / 2 % 2) * TP_FLAG_PROMPT;
        tp_status s = rec_decode(&part, xml, n, chunk, flags);
        char *end = strstr(part.buf, "status ");
        /* A whole document decodes as it did; a document cut short is
         * truncated, or fails as the whole one did where its error came
         * before the cut. TP_OK for it would accept a partial response as
         * the complete one. */
        if (only_misc ? s != whole
                      : s == TP_OK || (s != TP_ERR_TRUNCATED && s != whole))
          fail_msg("%s cut at %zu of %zu bytes (chunk %zu, flags %u): %s, "
                   "expected %s%s",
                   files.paths[i], n, len, chunk, flags, tp_strerror(s),
                   only_misc || whole == TP_OK ? "" : "a truncation or ",
                   only_misc        ? tp_strerror(whole)
                   : whole == TP_OK ? tp_strerror(TP_ERR_TRUNCATED)
                                    : tp_strerror(whole));
        assert_true(end - part.buf <= full_end - full.buf);
        if (memcmp(part.buf, full.buf, (size_t)(end - part.buf)) != 0)
          fail_msg("%s cut at %zu (chunk %zu, flags %u): not a prefix of the "
                   "full trace",
                   files.paths[i], n, chunk, flags);
        assert_int_equal(part.violations, 0);
        checked++;
        if (only_misc)
          complete++;
      }
    }
    free(xml);
  }
  print_message("%zu decodes of prefixes, %zu of them of whole documents "
                "followed by whitespace, comments or PIs\n",
                checked, complete);
  assert_true(checked > 20000 / step);
  assert_true(complete > 0);
  rec_free(&full);
  rec_free(&part);
  corpus_free(&files);
}

/* ---- the catalogue ---- */

typedef struct hcase {
  const char *name;
  const char *doc;
  size_t len; /* 0: strlen(doc) */
  tp_status status;
  unsigned long line, column;
  const char *message; /* part of tp_format_error's text */
  const char *trace;   /* part of the trace that must be there, or NULL */
  const char *absent;  /* part of the trace that must not be, or NULL */
} hcase;

static const char NUL_DOC[] =
    HEAD "<items><jobHandle>a\0b</jobHandle></items>" TAIL;

static const hcase CASES[] = {
    {"billion laughs",
     "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
     "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
     "<lolz>&lol2;</lolz>",
     0, TP_ERR_DOCTYPE, 1, 36, "DOCTYPE", NULL, NULL},
    {"external entity",
     "<!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" ENV11
     "<s:Body>&x;</s:Body></s:Envelope>",
     0, TP_ERR_DOCTYPE, 1, 12, "DOCTYPE", NULL, NULL},
    {"external DTD",
     "<!DOCTYPE s:Envelope SYSTEM \"http://example.com/x.dtd\">" ENV11
     "<s:Body/></s:Envelope>",
     0, TP_ERR_DOCTYPE, 1, 54, "DOCTYPE", NULL, NULL},
    {"undefined entity", WRAP("<items><name>&bogus;</name></items>"), 0,
     TP_ERR_XML, 1, 168, "undefined entity", "begin job", NULL},
    {"invalid UTF-8", WRAP("<items><name>\xC3\x28</name></items>"), 0,
     TP_ERR_XML, 1, 168, "not well-formed", "begin job", NULL},
    {"overlong UTF-8", WRAP("<items><name>\xC0\xAF</name></items>"), 0,
     TP_ERR_XML, 1, 168, "not well-formed", NULL, NULL},
    {"NUL byte", NUL_DOC, sizeof NUL_DOC - 1, TP_ERR_XML, 1, 174,
     "not well-formed", "begin job", NULL},
    {"undeclared prefix", WRAP("<items><p:name>x</p:name></items>"), 0,
     TP_ERR_XML, 1, 162, "unbound prefix", "begin job", NULL},
    {"junk after the envelope", WRAP("") "junk", 0, TP_ERR_XML, 1, 210,
     "junk after document element", "end jobArray", NULL},
    {"a second document", WRAP("") WRAP(""), 0, TP_ERR_XML, 1, 210,
     "junk after document element", "end jobArray", NULL},
    {"comments, PIs and whitespace after the envelope",
     WRAP("") " <!-- c --> <?pi x?>\r\n\t", 0, TP_OK, 0, 0, NULL,
     "end jobArray", NULL},
    {"a job nested inside a task is skipped",
     WRAP(
         TASK("<jobArray><items><jobHandle>inner</jobHandle></items></jobArray>"
              "<items><jobHandle>inner2</jobHandle></items>")),
     0, TP_OK, 0, 0, NULL, "end task", "inner"},
    {"duplicate fields are each delivered",
     WRAP(TASK("<numPending>1</numPending><numPending>2</numPending>")), 0,
     TP_OK, 0, 0, NULL, "task.numPending = 1\ntask.numPending = 2\n", NULL},
    {"int overflow 2^31", WRAP(TASK("<numPending>2147483648</numPending>")), 0,
     TP_ERR_BAD_INT, 1, 235, "task.numPending: '2147483648'", NULL, NULL},
    {"int overflow -2^31-1", WRAP(TASK("<numPending>-2147483649</numPending>")),
     0, TP_ERR_BAD_INT, 1, 236, "'-2147483649'", NULL, NULL},
    {"int overflow with sign and zeros",
     WRAP(TASK("<numPending> +0002147483648 </numPending>")), 0, TP_ERR_BAD_INT,
     1, 241, "'+0002147483648 '", NULL, NULL},
    {"int overflow 2^32", WRAP(TASK("<numPending>4294967296</numPending>")), 0,
     TP_ERR_BAD_INT, 1, 235, "'4294967296'", NULL, NULL},
    {"int overflow 2^64+1",
     WRAP(TASK("<numPending>18446744073709551617</numPending>")), 0,
     TP_ERR_BAD_INT, 1, 245, "'18446744073709551617'", NULL, NULL},
    {"job progress overflow",
     WRAP("<items><progress>-99999999999</progress></items>"), 0,
     TP_ERR_BAD_INT, 1, 184, "job.progress", NULL, NULL},
    {"fault code overflow",
     ENV11 "<s:Body><s:Fault><detail><ipsApiFault "
           "xmlns=\"http://www.scene7.com/IpsApi/xsd\">"
           "<code>3000000000</code></ipsApiFault></detail></s:Fault></s:Body></"
           "s:Envelope>",
     0, TP_ERR_BAD_INT, 1, 159, "fault.code", "fault.type = ipsApiFault", NULL},
    {"Feb 30",
     WRAP(TASK("<lastProgressUpdate>2011-02-30T00:00:00</lastProgressUpdate>")),
     0, TP_ERR_BAD_DATETIME, 1, 252, "task.lastProgressUpdate", NULL, NULL},
    {"Feb 29 of a common year",
     WRAP(TASK("<lastProgressUpdate>2100-02-29T00:00:00</lastProgressUpdate>")),
     0, TP_ERR_BAD_DATETIME, 1, 252, "'2100-02-29T00:00:00'", NULL, NULL},
    {"month 13",
     WRAP(TASK("<lastProgressUpdate>2011-13-01T00:00:00</lastProgressUpdate>")),
     0, TP_ERR_BAD_DATETIME, 1, 252, "'2011-13-01T00:00:00'", NULL, NULL},
    {"hour 25",
     WRAP(TASK("<lastProgressUpdate>2011-01-01T25:00:00</lastProgressUpdate>")),
     0, TP_ERR_BAD_DATETIME, 1, 252, "'2011-01-01T25:00:00'", NULL, NULL},
    {"minute 60",
     WRAP(TASK("<lastProgressUpdate>2011-01-01T00:60:00</lastProgressUpdate>")),
     0, TP_ERR_BAD_DATETIME, 1, 252, "'2011-01-01T00:60:00'", NULL, NULL},
    {"second 60",
     WRAP(TASK("<lastProgressUpdate>2011-01-01T00:00:60</lastProgressUpdate>")),
     0, TP_ERR_BAD_DATETIME, 1, 252, "'2011-01-01T00:00:60'", NULL, NULL},
    {"offset +15:00",
     WRAP(TASK(
         "<lastProgressUpdate>2011-01-01T00:00:00+15:00</lastProgressUpdate>")),
     0, TP_ERR_BAD_DATETIME, 1, 258, "'2011-01-01T00:00:00+15:00'", NULL, NULL},
    {"missing seconds",
     WRAP(TASK("<lastProgressUpdate>2011-01-01T00:00</lastProgressUpdate>")), 0,
     TP_ERR_BAD_DATETIME, 1, 249, "'2011-01-01T00:00'", NULL, NULL},
    {"24:00:01",
     WRAP(TASK("<lastProgressUpdate>2011-01-01T24:00:01</lastProgressUpdate>")),
     0, TP_ERR_BAD_DATETIME, 1, 252, "'2011-01-01T24:00:01'", NULL, NULL},
    {"job dateTime with a space",
     WRAP("<items><startDate>2011-01-01 00:00:00</startDate></items>"), 0,
     TP_ERR_BAD_DATETIME, 1, 192, "job.startDate", NULL, NULL},
    {"item double with a comma",
     WRAP("<items><taskProgressArray><items><taskItemProgressArray><items>"
          "<progress>0,5</progress></items></taskItemProgressArray></items>"
          "</taskProgressArray></items>"),
     0, TP_ERR_BAD_DOUBLE, 1, 231, "item.progress: '0,5'", "begin item", NULL},
    {"xsi:nil on typed fields: left out",
     WRAP(TASK("<numPending " XSI " xsi:nil=\"true\"/><progress " XSI
               " xsi:nil=\" 1 \"></progress><taskType " XSI
               " xsi:nil=\"true\"/>"
               "<numProcessed>4</numProcessed>")),
     0, TP_OK, 0, 0, NULL, "task.numProcessed = 4", "task.numPending"},
    {"xsi:nil=\"false\" is a value",
     WRAP(TASK("<numPending " XSI " xsi:nil=\"false\"/>")), 0, TP_ERR_BAD_INT,
     1, 296, "numPending: empty", NULL, NULL},
    {"nil in another namespace is not xsi:nil",
     WRAP(TASK("<numPending xmlns:n=\"urn:x\" n:nil=\"true\">5</numPending>")),
     0, TP_OK, 0, 0, NULL, "task.numPending = 5", NULL},
};

static void
run_case(const hcase *c, size_t chunk) {
  session s;
  tp_error e;
  char msg[512];
  size_t len = c->len ? c->len : strlen(c->doc);
  tp_status st;
  open_session(&s, NULL);
  st = feed_all(&s, c->doc, len, chunk);
  rec_status(&s.rec, &s.d);
  tp_get_error(&s.d, &e);
  tp_format_error(&s.d, msg, sizeof msg);
  if (st != c->status)
    fail_msg("%s (chunk %zu): %s, expected %s\n%s", c->name, chunk, msg,
             tp_strerror(c->status), s.rec.buf);
  if (c->status != TP_OK) {
    if (e.line != c->line || e.column != c->column)
      fail_msg("%s (chunk %zu): at %lu:%lu, expected %lu:%lu (%s)", c->name,
               chunk, e.line, e.column, c->line, c->column, msg);
    if (strstr(msg, c->message) == NULL)
      fail_msg("%s: message '%s' lacks '%s'", c->name, msg, c->message);
  }
  if (c->trace != NULL && strstr(s.rec.buf, c->trace) == NULL)
    fail_msg("%s: trace lacks '%s'\n%s", c->name, c->trace, s.rec.buf);
  if (c->absent != NULL && strstr(s.rec.buf, c->absent) != NULL)
    fail_msg("%s: trace has '%s'\n%s", c->name, c->absent, s.rec.buf);
  assert_int_equal(s.rec.violations, 0);
  expect_reusable(&s);
  close_session(&s);
}

static void
test_catalogue(void **state) {
  size_t k;
  (void)state;
  for (k = 0; k < sizeof CASES / sizeof CASES[0]; k++) {
    run_case(&CASES[k], 0);
    run_case(&CASES[k], 1);
    run_case(&CASES[k], 7);
    {
      char msg[512];
      session s;
      size_t len = CASES[k].len ? CASES[k].len : strlen(CASES[k].doc);
      open_session(&s, NULL);
      (void)feed_all(&s, CASES[k].doc, len, 0);
      tp_format_error(&s.d, msg, sizeof msg);
      print_message("%-50s %s\n", CASES[k].name,
                    CASES[k].status == TP_OK ? "ok" : msg);
      close_session(&s);
    }
  }
}

/* ---- generated inputs, streamed ---- */

/* Feeds `count` copies of `piece`, in blocks. */
static tp_status
feed_repeated(tp_decoder *d, const char *piece, size_t count) {
  static char block[65536];
  size_t plen = strlen(piece), per = sizeof block / plen, i, done = 0;
  tp_status st = TP_OK;
  for (i = 0; i < per; i++)
    memcpy(block + i * plen, piece, plen);
  while (done < count && st == TP_OK) {
    size_t n = count - done < per ? count - done : per;
    st = tp_feed(d, block, n * plen);
    done += n;
  }
  return st;
}

/* A million levels inside an unknown element: stopped at the depth limit,
 * at once, whatever follows. */
static void
test_million_levels(void **state) {
  session s;
  tp_error e;
  tp_status st;
  (void)state;
  open_session(&s, NULL);
  st = tp_feed(&s.d, HEAD "<items><unknown>", strlen(HEAD "<items><unknown>"));
  assert_int_equal(st, TP_OK);
  st = feed_repeated(&s.d, "<a>", 1000000);
  assert_int_equal(st, TP_ERR_TOO_DEEP);
  assert_int_equal(tp_finish(&s.d), TP_ERR_TOO_DEEP);
  tp_get_error(&s.d, &e);
  /* Envelope, Body, Return, jobArray, items, unknown: 6 levels; the 64th
   * open element is the last allowed, the 65th is refused. */
  assert_int_equal(e.byte_offset, strlen(HEAD "<items><unknown>") + 58 * 3);
  assert_int_equal(s.rec.violations, 0);
  expect_reusable(&s);
  close_session(&s);
}

/* Depth limit off: a deep but finite document decodes. */
static void
test_depth_limit_off(void **state) {
  session s;
  tp_config cfg;
  (void)state;
  tp_config_init(&cfg);
  cfg.max_depth = 0;
  open_session(&s, &cfg);
  assert_int_equal(tp_feed(&s.d, HEAD "<items>", strlen(HEAD "<items>")),
                   TP_OK);
  assert_int_equal(feed_repeated(&s.d, "<a>", 5000), TP_OK);
  assert_int_equal(feed_repeated(&s.d, "</a>", 5000), TP_OK);
  assert_int_equal(tp_feed(&s.d, "</items>" TAIL, strlen("</items>" TAIL)),
                   TP_OK);
  assert_int_equal(tp_finish(&s.d), TP_OK);
  close_session(&s);
}

/* A 100 MB string decodes, in constant memory: inside a 24 KiB arena. */
static int
count_name_bytes(void *ud, const tp_field *f) {
  size_t *n = ud;
  if (f->id == TP_JOB_NAME)
    *n += f->len;
  return 0;
}

static void
test_huge_string(void **state) {
  static const tp_callbacks cb = {NULL, NULL, count_name_bytes};
  static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];
  size_t megabytes = env_count("TP_TEST_BIG_MB", 100), got = 0;
  tp_decoder d;
  tp_config cfg;
  tp_memory_stats ms;
  (void)state;
  tp_config_init(&cfg);
  cfg.callbacks = &cb;
  cfg.user_data = &got;
  cfg.arena = arena;
  cfg.arena_size = sizeof arena;
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  assert_int_equal(
      tp_feed(&d, HEAD "<items><name>", strlen(HEAD "<items><name>")), TP_OK);
  assert_int_equal(feed_repeated(&d, "0123456789abcdef", megabytes * 65536),
                   TP_OK);
  assert_int_equal(
      tp_feed(&d, "</name></items>" TAIL, strlen("</name></items>" TAIL)),
      TP_OK);
  assert_int_equal(tp_finish(&d), TP_OK);
  assert_int_equal(got, megabytes * 1048576);
  tp_get_memory_stats(&d, &ms);
  print_message("%zu MB string: arena high water %zu bytes\n", megabytes,
                ms.high_water);
  assert_true(ms.high_water < 16384);
  tp_release(&d);
}

/* 100,000 attributes on one start tag: ignored with malloc; a clean
 * out-of-memory error in an arena. */
static void
test_many_attributes(void **state) {
  static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];
  size_t cap = 100000 * 16 + 4096, n = 0, i;
  char *doc = malloc(cap);
  int pass;
  (void)state;
  assert_non_null(doc);
  n += (size_t)sprintf(doc + n, "%s<items", HEAD);
  for (i = 0; i < 100000; i++)
    n += (size_t)sprintf(doc + n, " a%zu=\"%zu\"", i, i % 10);
  n += (size_t)sprintf(doc + n, "><jobHandle>j</jobHandle></items>%s", TAIL);
  for (pass = 0; pass < 2; pass++) {
    session s;
    tp_config cfg;
    tp_status st;
    tp_config_init(&cfg);
    if (pass == 1) {
      cfg.arena = arena;
      cfg.arena_size = sizeof arena;
    }
    open_session(&s, &cfg);
    st = feed_all(&s, doc, n, 4096);
    rec_status(&s.rec, &s.d);
    if (pass == 0) {
      assert_int_equal(st, TP_OK);
      assert_non_null(strstr(s.rec.buf, "job.jobHandle = \"j\""));
    } else {
      assert_int_equal(st, TP_ERR_NO_MEMORY);
    }
    expect_reusable(&s);
    close_session(&s);
  }
  free(doc);
}

/* 10,000-digit numbers: leading zeros decode, a 10,000-digit int does not
 * fit, a 10,000-digit double is correctly rounded. */
static void
test_ten_thousand_digits(void **state) {
  static char doc[32768];
  static char digits[10001];
  session s;
  int n;
  (void)state;
  memset(digits, '0', 9999);
  digits[9999] = '7';
  n = snprintf(doc, sizeof doc, WRAP(TASK("<numPending>%s</numPending>")),
               digits);
  open_session(&s, NULL);
  assert_int_equal(feed_all(&s, doc, (size_t)n, 1000), TP_OK);
  assert_non_null(strstr(s.rec.buf, "task.numPending = 7\n"));
  close_session(&s);

  memset(digits, '1', 10000);
  n = snprintf(doc, sizeof doc, WRAP(TASK("<numPending>%s</numPending>")),
               digits);
  open_session(&s, NULL);
  assert_int_equal(feed_all(&s, doc, (size_t)n, 1000), TP_ERR_BAD_INT);
  expect_reusable(&s);
  close_session(&s);

  digits[0] = '9';
  digits[1] = '.';
  n = snprintf(doc, sizeof doc, WRAP(TASK("<progress>%se-9990</progress>")),
               digits);
  open_session(&s, NULL);
  assert_int_equal(feed_all(&s, doc, (size_t)n, 1000), TP_OK);
  {
    char want[64], lit[10016];
    snprintf(lit, sizeof lit, "%se-9990", digits);
    snprintf(want, sizeof want, "task.progress = %a\n", strtod(lit, NULL));
    assert_non_null(strstr(s.rec.buf, want));
  }
  close_session(&s);
}

/* The value-length limit: its own error, naming the field. */
static void
test_value_length_limit(void **state) {
  static char doc[8192];
  static char pad[2100];
  session s;
  tp_config cfg;
  tp_error e;
  char msg[256];
  int n;
  (void)state;
  memset(pad, ' ', 2000);
  pad[2000] = '\0';
  n = snprintf(doc, sizeof doc, WRAP(TASK("<numPending>%s5</numPending>")),
               pad);
  tp_config_init(&cfg);
  cfg.max_value_bytes = 1000;
  open_session(&s, &cfg);
  assert_int_equal(feed_all(&s, doc, (size_t)n, 0), TP_ERR_VALUE_TOO_LONG);
  tp_get_error(&s.d, &e);
  tp_format_error(&s.d, msg, sizeof msg);
  assert_true(e.has_field);
  assert_int_equal(e.field, TP_TASK_NUM_PENDING);
  assert_non_null(strstr(msg, "max_value_bytes in task.numPending"));
  expect_reusable(&s);
  close_session(&s);
  /* With the default limit the same value decodes. */
  open_session(&s, NULL);
  assert_int_equal(feed_all(&s, doc, (size_t)n, 0), TP_OK);
  close_session(&s);
}

/* The total input limit: nothing past it is parsed. */
static void
test_input_limit(void **state) {
  session s;
  tp_config cfg;
  tp_error e;
  (void)state;
  tp_config_init(&cfg);
  cfg.max_input_bytes = 1000;
  open_session(&s, &cfg);
  assert_int_equal(tp_feed(&s.d, two_jobs, 600), TP_OK);
  assert_int_equal(tp_feed(&s.d, two_jobs + 600, 600), TP_ERR_INPUT_TOO_LARGE);
  assert_int_equal(tp_finish(&s.d), TP_ERR_INPUT_TOO_LARGE);
  tp_get_error(&s.d, &e);
  assert_int_equal(e.byte_offset, 1000);
  /* Exactly the limit is fine: the whole response under a limit of its
   * own size. */
  cfg.max_input_bytes = two_jobs_len;
  tp_release(&s.d);
  cfg.callbacks = rec_callbacks();
  cfg.user_data = &s.rec;
  assert_int_equal(tp_init(&s.d, &cfg), TP_OK);
  assert_int_equal(feed_all(&s, two_jobs, two_jobs_len, 1), TP_OK);
  /* And reset starts the count again. */
  assert_int_equal(tp_reset(&s.d), TP_OK);
  assert_int_equal(feed_all(&s, two_jobs, two_jobs_len, 64), TP_OK);
  close_session(&s);
}

int
main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_catalogue),
      cmocka_unit_test(test_every_prefix),
      cmocka_unit_test(test_million_levels),
      cmocka_unit_test(test_depth_limit_off),
      cmocka_unit_test(test_huge_string),
      cmocka_unit_test(test_many_attributes),
      cmocka_unit_test(test_ten_thousand_digits),
      cmocka_unit_test(test_value_length_limit),
      cmocka_unit_test(test_input_limit),
  };
  return cmocka_run_group_tests_name("hostile input", tests, setup, teardown);
}
