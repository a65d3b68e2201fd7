/* test_api.c -- the decoder's contract: argument and state errors, document
 * errors with their positions, stopping from callbacks, reset and reuse,
 * prompt mode timing, memory suites, independence of decoders. */
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

#include "recorder.h"
#include "support.h"

#include "soap_docs.h"

static char *two_jobs;
static size_t two_jobs_len;

static int
setup(void **state) {
  (void)state;
  two_jobs = read_test_data("two-jobs.xml", &two_jobs_len);
  return two_jobs == NULL ? -1 : 0;
}

static int
teardown(void **state) {
  (void)state;
  free(two_jobs);
  return 0;
}

static void
test_arguments(void **state) {
  tp_decoder d;
  tp_config cfg;
  tp_memory_suite bad = {malloc, NULL, free};
  (void)state;
  tp_config_init(&cfg);
  assert_int_equal(tp_init(NULL, &cfg), TP_ERR_ARGUMENT);
  assert_int_equal(tp_init(&d, NULL), TP_ERR_ARGUMENT);
  cfg.memory = &bad;
  assert_int_equal(tp_init(&d, &cfg), TP_ERR_ARGUMENT);
  cfg.memory = NULL;
  assert_int_equal(tp_feed(NULL, "x", 1), TP_ERR_ARGUMENT);
  assert_int_equal(tp_finish(NULL), TP_ERR_ARGUMENT);
  assert_int_equal(tp_reset(NULL), TP_ERR_ARGUMENT);
  tp_release(NULL);
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  assert_int_equal(tp_feed(&d, NULL, 1), TP_ERR_ARGUMENT);
  assert_int_equal(tp_feed(&d, NULL, 0), TP_OK);
  assert_int_equal(tp_feed(&d, "", 0), TP_OK);
  tp_release(&d);
  /* A released decoder refuses work instead of touching freed memory. */
  assert_int_equal(tp_feed(&d, "x", 1), TP_ERR_STATE);
  assert_int_equal(tp_finish(&d), TP_ERR_STATE);
  assert_int_equal(tp_reset(&d), TP_ERR_STATE);
  tp_release(&d);
}

static void
test_strings_never_null(void **state) {
  int v;
  (void)state;
  for (v = -3; v < 64; v++) {
    assert_non_null(tp_strerror((tp_status)v));
    assert_non_null(tp_field_name((tp_field_id)v));
    assert_non_null(tp_node_name((tp_node)v));
    assert_non_null(tp_task_state_name((tp_task_state)v));
    assert_non_null(tp_fault_kind_name((tp_fault_kind)v));
  }
  assert_string_equal(tp_strerror((tp_status)999), "unknown status");
  assert_string_equal(tp_field_name(TP_TASK_NUM_PENDING), "numPending");
  assert_int_equal(tp_field_scope(TP_ITEM_PROGRESS), TP_NODE_ITEM);
  assert_int_equal(tp_field_type(TP_JOB_PROGRESS), TP_TYPE_INT);
  assert_int_equal(tp_field_type(TP_TASK_PROGRESS), TP_TYPE_DOUBLE);
  /* The library's version is the header's it was built with (both come
   * from VERSION: tests/version.sh). */
  {
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", TP_VERSION_MAJOR, TP_VERSION_MINOR,
             TP_VERSION_MICRO);
    assert_string_equal(tp_version(), want);
  }
}

static void
test_finish_states(void **state) {
  tp_decoder d;
  tp_config cfg;
  (void)state;
  tp_config_init(&cfg);
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  assert_int_equal(tp_feed(&d, two_jobs, two_jobs_len), TP_OK);
  assert_int_equal(tp_finish(&d), TP_OK);
  assert_int_equal(tp_finish(&d), TP_OK);
  assert_int_equal(tp_feed(&d, "<", 1), TP_ERR_STATE);
  /* The refused feed did not change the decoder's verdict. */
  assert_int_equal(tp_get_error(&d, NULL), TP_OK);
  tp_release(&d);
}

typedef struct doc_case {
  const char *name;
  const char *doc;
  tp_status status;
  unsigned long line, column;
  const char *detail; /* substring of the formatted message */
} doc_case;

static const doc_case DOC_CASES[] = {
    {"empty input", "", TP_ERR_TRUNCATED, 1, 0, "ended"},
    {"valid minimal response", WRAP(TASK("<numPending>1</numPending>")), TP_OK,
     0, 0, NULL},
    {"not soap", "<Envelope><Body/></Envelope>", TP_ERR_NOT_SOAP, 1, 0, "SOAP"},
    {"wrong soap ns", "<s:Envelope xmlns:s=\"urn:x\"/>", TP_ERR_NOT_SOAP, 1, 0,
     "Envelope"},
    {"no body", ENV11 "<s:Header/></s:Envelope>", TP_ERR_NO_BODY, 1, 75,
     "Body"},
    {"empty body", ENV11 "<s:Body/></s:Envelope>", TP_ERR_NO_BODY, 1, 73,
     "Body"},
    {"doctype",
     "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>" ENV11 "<s:Body/></s:Envelope>",
     TP_ERR_DOCTYPE, 1, 12, "DOCTYPE"},
    {"mismatched tag", ENV11 "<s:Body></s:Bod></s:Envelope>", TP_ERR_XML, 1, 74,
     "mismatched tag"},
    {"bad int names its field", WRAP(TASK("<numPending>12a</numPending>")),
     TP_ERR_BAD_INT, 1, 228, "task.numPending: '12a'"},
    {"job progress is an int", WRAP("<items><progress>0.5</progress></items>"),
     TP_ERR_BAD_INT, 1, 175, "job.progress: '0.5'"},
    {"bad double", WRAP(TASK("<progress>1,5</progress>")), TP_ERR_BAD_DOUBLE, 1,
     226, "task.progress: '1,5'"},
    {"bad dateTime",
     WRAP(TASK("<lastProgressUpdate>2011-02-30T00:00:00</lastProgressUpdate>")),
     TP_ERR_BAD_DATETIME, 1, 252, "2011-02-30T00:00:00"},
    {"empty int", WRAP(TASK("<numPending/>")), TP_ERR_BAD_INT, 1, 226,
     "numPending: empty"},
    {"element inside a field", WRAP(TASK("<numPending><b>1</b></numPending>")),
     TP_ERR_UNEXPECTED_ELEMENT, 1, 225, "task.numPending"},
    /* Regressions: an HTML error page from a proxy was reported as a
     * DOCTYPE, or as "not a SOAP Envelope" without saying what it was. */
    {"html page with doctype", "<!DOCTYPE html><html><body>502</body></html>",
     TP_ERR_NOT_SOAP, 1, 14,
     "1:14: not a SOAP response: root element <html> (byte"},
    {"html page without doctype", "<html><body>502</body></html>",
     TP_ERR_NOT_SOAP, 1, 0,
     "1:0: not a SOAP response: root element <html> (byte"},
    {"html 4 doctype",
     "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" "
     "\"http://www.w3.org/TR/html4/strict.dtd\"><HTML/>",
     TP_ERR_NOT_SOAP, 1, 89, "not a SOAP response: root element <HTML>"},
    {"foreign root element",
     "<a:feed xmlns:a=\"http://www.w3.org/2005/Atom\"/>", TP_ERR_NOT_SOAP, 1, 0,
     "root element <feed> in http://www.w3.org/2005/Atom (byte"},
    {"doctype of a soap envelope",
     "<!DOCTYPE s:Envelope>" ENV11 "<s:Body/></s:Envelope>", TP_ERR_DOCTYPE, 1,
     20, "DOCTYPE"},
    {"doctype of an unprefixed envelope",
     "<!DOCTYPE Envelope>" ENV11 "<s:Body/></s:Envelope>", TP_ERR_DOCTYPE, 1,
     18, "DOCTYPE"},
    {"doctype with declarations, any name",
     "<!DOCTYPE html [<!ENTITY a \"b\">]><html/>", TP_ERR_DOCTYPE, 1, 15,
     "DOCTYPE"},
    /* The bare forms of AEM's proxy (regression: refused as not SOAP). */
    {"bare getActiveJobsReturn", RET "<jobArray/></getActiveJobsReturn>", TP_OK,
     0, 0, NULL},
    {"bare getActiveJobsReturn, wrong namespace",
     "<getActiveJobsReturn xmlns=\"http://www.scene7.com/IpsApi\"><jobArray/>"
     "</getActiveJobsReturn>",
     TP_ERR_NOT_SOAP, 1, 0, "root element <getActiveJobsReturn> in "},
    {"bare ipsApiFault",
     "<ipsApiFault xmlns=\"http://www.scene7.com/IpsApi/xsd\">"
     "<code>30000</code><reason>x</reason></ipsApiFault>",
     TP_OK, 0, 0, NULL},
    {"bare IPS element that is neither",
     "<jobArray xmlns=\"http://www.scene7.com/IpsApi/xsd\"/>", TP_ERR_NOT_SOAP,
     1, 0, "root element <jobArray> in http://www.scene7.com/IpsApi/xsd"},
    {"junk after envelope",
     ENV11 "<s:Body>" RET
           "<jobArray/></getActiveJobsReturn></s:Body></s:Envelope>junk",
     TP_ERR_XML, 1, 200, "junk after document element"},
};

static void
test_document_errors(void **state) {
  size_t k, chunk;
  (void)state;
  for (k = 0; k < sizeof DOC_CASES / sizeof DOC_CASES[0]; k++) {
    const doc_case *c = &DOC_CASES[k];
    for (chunk = 0; chunk <= 7; chunk += 7) {
      tp_decoder d;
      tp_config cfg;
      tp_error e;
      char msg[256];
      size_t len = strlen(c->doc), off = 0;
      tp_config_init(&cfg);
      assert_int_equal(tp_init(&d, &cfg), TP_OK);
      while (off < len) {
        size_t n = chunk && len - off > chunk ? chunk : len - off;
        (void)tp_feed(&d, c->doc + off, n);
        off += n;
      }
      if (tp_finish(&d) != c->status)
        fail_msg("%s: status %s, expected %s", c->name,
                 tp_strerror(tp_get_error(&d, NULL)), tp_strerror(c->status));
      tp_get_error(&d, &e);
      tp_format_error(&d, msg, sizeof msg);
      if (c->status != TP_OK) {
        if (e.line != c->line || e.column != c->column)
          fail_msg("%s: at %lu:%lu, expected %lu:%lu (%s)", c->name, e.line,
                   e.column, c->line, c->column, msg);
        if (strstr(msg, c->detail) == NULL)
          fail_msg("%s: message '%s' lacks '%s'", c->name, msg, c->detail);
        assert_non_null(strstr(msg, "(byte "));
      }
      /* Reset makes it usable again: the next response decodes. */
      assert_int_equal(tp_reset(&d), TP_OK);
      assert_int_equal(tp_feed(&d, two_jobs, two_jobs_len), TP_OK);
      assert_int_equal(tp_finish(&d), TP_OK);
      tp_release(&d);
    }
  }
}

/* Every prefix of a response is reported truncated at finish, and what was
 * delivered is a prefix of the full trace. */
static void
test_every_prefix_truncated(void **state) {
  recorder full, part;
  size_t n;
  char *body_end;
  (void)state;
  rec_init(&full);
  rec_init(&part);
  assert_int_equal(rec_decode(&full, two_jobs, two_jobs_len, 0, 0), TP_OK);
  /* Drop the final status line of the full trace for prefix checks. */
  body_end = strstr(full.buf, "status ");
  assert_non_null(body_end);
  for (n = 0; n < two_jobs_len; n++) {
    tp_status s = rec_decode(&part, two_jobs, n, 0, 0);
    char *p_end;
    /* Trailing whitespace after </Envelope> is the only thing a document
     * can lose and stay complete. */
    if (s == TP_OK) {
      assert_true(strspn(two_jobs + n, " \t\r\n") == two_jobs_len - n);
      continue;
    }
    assert_int_equal(s, TP_ERR_TRUNCATED);
    p_end = strstr(part.buf, "status ");
    assert_non_null(p_end);
    assert_true((size_t)(p_end - part.buf) <= (size_t)(body_end - full.buf));
    assert_memory_equal(part.buf, full.buf, (size_t)(p_end - part.buf));
    assert_int_equal(part.violations, 0);
  }
  rec_free(&full);
  rec_free(&part);
}

/* Stops `doc` from each of full's callbacks in turn, fed `chunk` bytes at
 * a time: nothing follows the stop, feed/finish report it, and the trace
 * so far is a prefix of the full one. */
static void
expect_stop_at_every_callback(const recorder *full, const char *doc, size_t len,
                              size_t chunk) {
  recorder r;
  unsigned long k;
  rec_init(&r);
  for (k = 1; k <= full->calls; k++) {
    char *end;
    r.stop_at = k;
    assert_int_equal(rec_decode(&r, doc, len, chunk, 0), TP_STOPPED);
    assert_int_equal(r.calls, k);
    assert_int_equal(r.calls_after_stop, 0);
    end = strstr(r.buf, "status ");
    assert_non_null(end);
    assert_memory_equal(r.buf, full->buf, (size_t)(end - r.buf));
  }
  rec_free(&r);
}

static void
test_stop_at_every_callback(void **state) {
  recorder full;
  (void)state;
  rec_init(&full);
  assert_int_equal(rec_decode(&full, two_jobs, two_jobs_len, 0, 0), TP_OK);
  assert_true(full.calls > 40);
  expect_stop_at_every_callback(&full, two_jobs, two_jobs_len, 0);
  expect_stop_at_every_callback(&full, two_jobs, two_jobs_len, 64);
  rec_free(&full);
}

/* The bare fault form opens TP_NODE_FAULT and delivers its kind from one
 * start tag: a stop at the begin callback must hold back the kind. */
static void
test_stop_in_bare_fault(void **state) {
  static const char *const files[] = {"bare-ipsApiFault.xml",
                                      "bare-getActiveJobsReturn.xml"};
  size_t f;
  (void)state;
  for (f = 0; f < sizeof files / sizeof files[0]; f++) {
    recorder full;
    size_t len;
    char *doc = read_test_data(files[f], &len);
    assert_non_null(doc);
    rec_init(&full);
    assert_int_equal(rec_decode(&full, doc, len, 0, 0), TP_OK);
    expect_stop_at_every_callback(&full, doc, len, 1);
    rec_free(&full);
    free(doc);
  }
}

/* A root element's name longer than tp_error.detail is cut after a whole
 * UTF-8 character and marked with "...". */
static void
test_not_soap_name_truncated(void **state) {
  char doc[512], msg[256];
  size_t i, len = 0, dlen;
  tp_decoder d;
  tp_config cfg;
  tp_error e;
  (void)state;
  doc[len++] = '<';
  for (i = 0; i < 40; i++) { /* "é" is 2 bytes: 80 bytes in all */
    doc[len++] = (char)0xC3;
    doc[len++] = (char)0xA9;
  }
  memcpy(doc + len, "/>", 3);
  len += 2;
  tp_config_init(&cfg);
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  (void)tp_feed(&d, doc, len);
  assert_int_equal(tp_finish(&d), TP_ERR_NOT_SOAP);
  assert_int_equal(tp_get_error(&d, &e), TP_ERR_NOT_SOAP);
  dlen = strlen(e.detail);
  assert_true(dlen <= sizeof e.detail - 1);
  assert_true(dlen >= sizeof e.detail - 5);
  assert_memory_equal(e.detail, "root element <\xC3\xA9", 16);
  assert_string_equal(e.detail + dlen - 3, "...");
  /* Whole characters: an even number of bytes after "root element <". */
  assert_int_equal((dlen - 3 - 14) % 2, 0);
  for (i = 14; i < dlen - 3; i += 2) {
    assert_int_equal((unsigned char)e.detail[i], 0xC3);
    assert_int_equal((unsigned char)e.detail[i + 1], 0xA9);
  }
  assert_true(tp_format_error(&d, msg, sizeof msg) < sizeof msg);
  assert_non_null(strstr(msg, "not a SOAP response: root element <\xC3\xA9"));
  tp_release(&d);
}

/* A SOAP Fault is a complete response: tp_finish() says TP_OK, and only
 * TP_NODE_FAULT tells the caller. */
static void
test_fault_is_ok(void **state) {
  static const char *const files[] = {"fault-soap11.xml", "fault-soap12.xml",
                                      "bare-ipsApiFault.xml"};
  size_t f;
  (void)state;
  for (f = 0; f < sizeof files / sizeof files[0]; f++) {
    recorder r;
    size_t len;
    char *doc = read_test_data(files[f], &len);
    assert_non_null(doc);
    rec_init(&r);
    assert_int_equal(rec_decode(&r, doc, len, 0, 0), TP_OK);
    assert_memory_equal(r.buf, "begin fault\n", 12);
    assert_non_null(strstr(r.buf, "end fault\nstatus no error\n"));
    rec_free(&r);
    free(doc);
  }
}

/* A stopped decoder keeps saying so until reset, then works again. */
static void
test_stop_then_reset(void **state) {
  recorder r;
  tp_decoder d;
  tp_config cfg;
  (void)state;
  rec_init(&r);
  r.stop_at = 3;
  tp_config_init(&cfg);
  cfg.callbacks = rec_callbacks();
  cfg.user_data = &r;
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  assert_int_equal(tp_feed(&d, two_jobs, two_jobs_len), TP_STOPPED);
  assert_int_equal(tp_feed(&d, "  ", 2), TP_STOPPED);
  assert_int_equal(tp_finish(&d), TP_STOPPED);
  assert_int_equal(r.calls_after_stop, 0);
  r.stop_at = 0;
  r.calls = 0;
  assert_int_equal(tp_reset(&d), TP_OK);
  assert_int_equal(tp_feed(&d, two_jobs, two_jobs_len), TP_OK);
  assert_int_equal(tp_finish(&d), TP_OK);
  assert_true(r.calls > 40);
  tp_release(&d);
  rec_free(&r);
}

/* Prompt mode: fed one byte at a time, the first job begins during the
 * feed of the '>' that completes its <items> start tag. */
typedef struct timing {
  size_t fed;
  size_t job_begin_at;
} timing;

static int
note_begin(void *ud, tp_node node) {
  timing *t = ud;
  if (node == TP_NODE_JOB && t->job_begin_at == 0)
    t->job_begin_at = t->fed;
  return 0;
}

static void
test_prompt_timing(void **state) {
  static const tp_callbacks cb = {note_begin, NULL, NULL};
  timing t = {0, 0};
  tp_decoder d;
  tp_config cfg;
  const char *items;
  size_t i;
  (void)state;
  tp_config_init(&cfg);
  cfg.callbacks = &cb;
  cfg.user_data = &t;
  cfg.flags = TP_FLAG_PROMPT;
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  for (i = 0; i < two_jobs_len; i++) {
    t.fed = i + 1;
    assert_int_equal(tp_feed(&d, two_jobs + i, 1), TP_OK);
  }
  assert_int_equal(tp_finish(&d), TP_OK);
  tp_release(&d);
  items = strstr(strstr(two_jobs, "<jobArray>"), "<items>");
  assert_non_null(items);
  assert_int_equal(t.job_begin_at, (size_t)(items - two_jobs) + 7);
}

/* Counting memory suite: expat's memory goes through it, and release
 * returns every block. */
static long live_blocks, total_allocs;

static void *
count_malloc(size_t n) {
  void *p = malloc(n);
  if (p) {
    live_blocks++;
    total_allocs++;
  }
  return p;
}

static void *
count_realloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (q && !p) {
    live_blocks++;
    total_allocs++;
  }
  return q;
}

static void
count_free(void *p) {
  if (p)
    live_blocks--;
  free(p);
}

static void
test_memory_suite(void **state) {
  static const tp_memory_suite suite = {count_malloc, count_realloc,
                                        count_free};
  tp_decoder d;
  tp_config cfg;
  (void)state;
  tp_config_init(&cfg);
  cfg.memory = &suite;
  live_blocks = total_allocs = 0;
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  assert_int_equal(tp_feed(&d, two_jobs, two_jobs_len), TP_OK);
  assert_int_equal(tp_finish(&d), TP_OK);
  assert_true(total_allocs > 0);
  assert_int_equal(tp_reset(&d), TP_OK);
  assert_int_equal(tp_feed(&d, two_jobs, two_jobs_len), TP_OK);
  assert_int_equal(tp_finish(&d), TP_OK);
  tp_release(&d);
  assert_int_equal(live_blocks, 0);
}

/* A suite that always fails gives TP_ERR_NO_MEMORY from tp_init. */
static void *
no_malloc(size_t n) {
  (void)n;
  return NULL;
}
static void *
no_realloc(void *p, size_t n) {
  (void)p;
  (void)n;
  return NULL;
}

static void
test_no_memory(void **state) {
  static const tp_memory_suite suite = {no_malloc, no_realloc, free};
  tp_decoder d;
  tp_config cfg;
  (void)state;
  tp_config_init(&cfg);
  cfg.memory = &suite;
  assert_int_equal(tp_init(&d, &cfg), TP_ERR_NO_MEMORY);
  tp_release(&d);
}

/* Two decoders fed alternately, byte by byte, do not disturb each other. */
static void
test_interleaved_decoders(void **state) {
  recorder ra, rb, want;
  tp_decoder a, b;
  tp_config ca, cb;
  size_t i;
  (void)state;
  rec_init(&ra);
  rec_init(&rb);
  rec_init(&want);
  rec_decode(&want, two_jobs, two_jobs_len, 0, 0);
  tp_config_init(&ca);
  ca.callbacks = rec_callbacks();
  ca.user_data = &ra;
  cb = ca;
  cb.user_data = &rb;
  assert_int_equal(tp_init(&a, &ca), TP_OK);
  assert_int_equal(tp_init(&b, &cb), TP_OK);
  for (i = 0; i < two_jobs_len; i++) {
    assert_int_equal(tp_feed(&a, two_jobs + i, 1), TP_OK);
    assert_int_equal(tp_feed(&b, two_jobs + i, 1), TP_OK);
  }
  assert_int_equal(tp_finish(&a), TP_OK);
  assert_int_equal(tp_finish(&b), TP_OK);
  rec_status(&ra, &a);
  rec_status(&rb, &b);
  assert_string_equal(ra.buf, want.buf);
  assert_string_equal(rb.buf, want.buf);
  tp_release(&a);
  tp_release(&b);
  rec_free(&ra);
  rec_free(&rb);
  rec_free(&want);
}

/* A callback may run a whole other decoder. */
static int
nested_begin(void *ud, tp_node node) {
  int *ok = ud;
  recorder r;
  if (node != TP_NODE_JOB)
    return 0;
  rec_init(&r);
  if (rec_decode(&r, two_jobs, two_jobs_len, 5, 0) == TP_OK)
    (*ok)++;
  rec_free(&r);
  return 0;
}

static void
test_decoder_inside_callback(void **state) {
  static const tp_callbacks cb = {nested_begin, NULL, NULL};
  int ok = 0;
  tp_decoder d;
  tp_config cfg;
  (void)state;
  tp_config_init(&cfg);
  cfg.callbacks = &cb;
  cfg.user_data = &ok;
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  assert_int_equal(tp_feed(&d, two_jobs, two_jobs_len), TP_OK);
  assert_int_equal(tp_finish(&d), TP_OK);
  tp_release(&d);
  assert_int_equal(ok, 2);
}

/* tp_format_error truncates safely and reports the full length. */
static void
test_format_error_truncates(void **state) {
  tp_decoder d;
  tp_config cfg;
  char big[256], small[8];
  size_t full, got;
  const char *doc = WRAP(TASK("<numPending>12a</numPending>"));
  (void)state;
  tp_config_init(&cfg);
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  assert_int_equal(tp_format_error(&d, big, sizeof big), strlen("no error"));
  assert_string_equal(big, "no error");
  (void)tp_feed(&d, doc, strlen(doc));
  full = tp_format_error(&d, big, sizeof big);
  assert_int_equal(full, strlen(big));
  got = tp_format_error(&d, small, sizeof small);
  assert_int_equal(got, full);
  assert_int_equal(strlen(small), sizeof small - 1);
  assert_memory_equal(small, big, sizeof small - 1);
  assert_int_equal(tp_format_error(&d, NULL, 0), full);
  tp_release(&d);
}

/* ---- the contract's fine print (issue 13) ---- */

static const size_t CHUNKS[] = {1, 2, 3, 7, 64, 4096, 0};
#define NCHUNKS (sizeof CHUNKS / sizeof CHUNKS[0])

/* Decodes doc on `d` (initialised with cfg) fed `chunk` bytes at a time
 * (0: at once); returns the final status. */
static tp_status
decode_chunked(tp_decoder *d, const char *doc, size_t len, size_t chunk) {
  tp_status s = TP_OK;
  size_t i = 0;
  if (chunk == 0)
    chunk = len;
  while (s == TP_OK && i < len) {
    size_t n = len - i < chunk ? len - i : chunk;
    s = tp_feed(d, doc + i, n);
    i += n;
  }
  return s == TP_OK ? tp_finish(d) : s;
}

static int
valid_utf8(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    int n = *p < 0x80             ? 0
            : (*p & 0xE0) == 0xC0 ? 1
            : (*p & 0xF0) == 0xE0 ? 2
            : (*p & 0xF8) == 0xF0 ? 3
                                  : -1;
    if (n < 0)
      return 0;
    p++;
    while (n-- > 0) {
      if ((*p & 0xC0) != 0x80)
        return 0;
      p++;
    }
  }
  return 1;
}

/* tp_error.column counts characters: ten two-byte characters before the
 * error move the byte offset by 20 and the column by 10. */
static void
test_column_counts_characters(void **state) {
  const char *ascii =
      WRAP(TASK("<taskType>aaaaaaaaaa</taskType><numPending>x</numPending>"));
  const char *utf8 = WRAP(TASK("<taskType>\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                               "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
                               "\xa9</taskType><numPending>x</numPending>"));
  size_t c;
  (void)state;
  for (c = 0; c < NCHUNKS; c++) {
    tp_decoder d;
    tp_config cfg;
    tp_error ea, eu;
    tp_config_init(&cfg);
    assert_int_equal(tp_init(&d, &cfg), TP_OK);
    assert_int_equal(decode_chunked(&d, ascii, strlen(ascii), CHUNKS[c]),
                     TP_ERR_BAD_INT);
    tp_get_error(&d, &ea);
    tp_release(&d);
    assert_int_equal(tp_init(&d, &cfg), TP_OK);
    assert_int_equal(decode_chunked(&d, utf8, strlen(utf8), CHUNKS[c]),
                     TP_ERR_BAD_INT);
    tp_get_error(&d, &eu);
    tp_release(&d);
    assert_int_equal(eu.column, ea.column);
    assert_int_equal(eu.byte_offset, ea.byte_offset + 10);
  }
}

/* Regression: an excerpt was cut inside a UTF-8 sequence (a lone e2). */
static void
test_excerpt_not_cut_inside_character(void **state) {
  char doc[1024], field[128];
  size_t c, i, n = 0;
  (void)state;
  field[n++] = '1';
  for (i = 0; i < 20; i++) {
    memcpy(field + n, "\xe2\x82\xac", 3); /* the euro sign */
    n += 3;
  }
  field[n] = '\0';
  snprintf(doc, sizeof doc, WRAP(TASK("<numPending>%s</numPending>")), field);
  for (c = 0; c < NCHUNKS; c++) {
    tp_decoder d;
    tp_config cfg;
    tp_error e;
    char msg[256];
    tp_config_init(&cfg);
    assert_int_equal(tp_init(&d, &cfg), TP_OK);
    assert_int_equal(decode_chunked(&d, doc, strlen(doc), CHUNKS[c]),
                     TP_ERR_BAD_INT);
    tp_get_error(&d, &e);
    tp_format_error(&d, msg, sizeof msg);
    tp_release(&d);
    assert_true(valid_utf8(e.detail));
    assert_true(valid_utf8(msg));
    /* "1" and twelve euro signs fit 39 bytes; the thirteenth does not. */
    assert_int_equal(strlen(e.detail), 1 + 12 * 3 + 3);
    assert_memory_equal(e.detail, field, 37);
    assert_string_equal(e.detail + 37, "...");
  }
}

/* Regression: expat's longer messages were cut mid-word at 63 bytes. */
static void
test_expat_message_cut_at_word(void **state) {
  const char *doc = "<x xmlns:xml=\"urn:y\"/>";
  size_t c;
  (void)state;
  for (c = 0; c < NCHUNKS; c++) {
    tp_decoder d;
    tp_config cfg;
    tp_error e;
    size_t n;
    tp_config_init(&cfg);
    assert_int_equal(tp_init(&d, &cfg), TP_OK);
    assert_int_equal(decode_chunked(&d, doc, strlen(doc), CHUNKS[c]),
                     TP_ERR_XML);
    tp_get_error(&d, &e);
    tp_release(&d);
    n = strlen(e.detail);
    assert_true(n < sizeof e.detail);
    assert_true(n > 3);
    assert_string_equal(e.detail + n - 3, "...");
    /* What precedes "..." is the message up to the end of a word. */
    assert_memory_equal(e.detail, "reserved prefix (xml) must not be", 33);
    assert_true(e.detail[n - 4] != ' ');
    {
      const char *full = "reserved prefix (xml) must not be undeclared or "
                         "bound to another namespace name";
      assert_memory_equal(e.detail, full, n - 3);
      assert_int_equal(full[n - 3], ' ');
    }
  }
}

/* A memory suite that knows how much is allocated at once, at most. */
static size_t heap_now, heap_peak;

static void *
sized_malloc(size_t n) {
  size_t *p = malloc(n + sizeof(max_align_t));
  if (p == NULL)
    return NULL;
  *p = n;
  heap_now += n;
  if (heap_now > heap_peak)
    heap_peak = heap_now;
  return (char *)p + sizeof(max_align_t);
}

static void
sized_free(void *q) {
  size_t *p;
  if (q == NULL)
    return;
  p = (size_t *)(void *)((char *)q - sizeof(max_align_t));
  heap_now -= *p;
  free(p);
}

static void *
sized_realloc(void *q, size_t n) {
  void *r;
  size_t old;
  if (q == NULL)
    return sized_malloc(n);
  old = *(size_t *)(void *)((char *)q - sizeof(max_align_t));
  r = sized_malloc(n);
  if (r == NULL)
    return NULL;
  memcpy(r, q, old < n ? old : n);
  sized_free(q);
  return r;
}

/* Regression: max_slice was capped only to INT_MAX, so one large feed
 * grew expat's buffer to its size (and about 1 GB failed with
 * TP_ERR_NO_MEMORY). With max_slice = SIZE_MAX, an 8 MB feed keeps
 * expat's memory bounded. */
static void
test_max_slice_capped(void **state) {
  static const tp_memory_suite suite = {sized_malloc, sized_realloc,
                                        sized_free};
  static const char head[] = HEAD "<items><description>";
  static const char tail[] = "</description></items>" TAIL;
  const size_t body = 8u << 20;
  size_t len = strlen(head) + body + strlen(tail);
  char *doc = malloc(len);
  tp_decoder d;
  tp_config cfg;
  (void)state;
  assert_non_null(doc);
  memcpy(doc, head, strlen(head));
  memset(doc + strlen(head), 'a', body);
  memcpy(doc + strlen(head) + body, tail, strlen(tail));
  tp_config_init(&cfg);
  cfg.memory = &suite;
  cfg.max_slice = SIZE_MAX;
  heap_now = heap_peak = 0;
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  assert_int_equal(tp_feed(&d, doc, len), TP_OK);
  assert_int_equal(tp_finish(&d), TP_OK);
  tp_release(&d);
  assert_int_equal(heap_now, 0);
  /* Expat's buffer holds about two slices at most. */
  assert_true(heap_peak < 4u * TP_MAX_SLICE + 65536u);
  free(doc);
}

/* Regression: meaningless settings were accepted silently. */
static void
test_config_refused(void **state) {
  static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];
  tp_decoder d;
  tp_config cfg;
  float nan = 0.0f / 0.0f;
  (void)state;
  tp_config_init(&cfg);
  cfg.arena_size = 4096; /* without an arena: was heap mode */
  assert_int_equal(tp_init(&d, &cfg), TP_ERR_ARGUMENT);
  tp_config_init(&cfg);
  cfg.flags = 0x2u;
  assert_int_equal(tp_init(&d, &cfg), TP_ERR_ARGUMENT);
  cfg.flags = TP_FLAG_PROMPT | 0x80000000u;
  assert_int_equal(tp_init(&d, &cfg), TP_ERR_ARGUMENT);
  tp_config_init(&cfg);
  cfg.expat_max_amplification = -1.0f;
  assert_int_equal(tp_init(&d, &cfg), TP_ERR_ARGUMENT);
  cfg.expat_max_amplification = nan;
  assert_int_equal(tp_init(&d, &cfg), TP_ERR_ARGUMENT);
  cfg.expat_max_amplification = 0.5f;
  assert_int_equal(tp_init(&d, &cfg), TP_ERR_ARGUMENT);
  tp_config_init(&cfg);
  cfg.expat_alloc_max_amplification = 0.99f;
  assert_int_equal(tp_init(&d, &cfg), TP_ERR_ARGUMENT);
  cfg.expat_alloc_max_amplification = nan;
  assert_int_equal(tp_init(&d, &cfg), TP_ERR_ARGUMENT);
#if SIZE_MAX > UINT32_MAX
  tp_config_init(&cfg);
  cfg.arena = arena;
  cfg.arena_size = (size_t)5 << 30; /* was capped to 4 GiB without a word */
  assert_int_equal(tp_init(&d, &cfg), TP_ERR_ARGUMENT);
#endif
  /* The edges that are meaningful still work. */
  tp_config_init(&cfg);
  cfg.flags = TP_FLAG_PROMPT;
  cfg.expat_max_amplification = 1.0f;
  cfg.expat_alloc_max_amplification = 1.0f / 0.0f;
  cfg.arena = arena;
  cfg.arena_size = sizeof arena;
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  assert_int_equal(decode_chunked(&d, two_jobs, two_jobs_len, 0), TP_OK);
  tp_release(&d);
  /* Unknown field ids get sentinels, as the name functions do. */
  assert_int_equal(tp_field_scope(TP_FIELD_COUNT_), TP_NODE_UNKNOWN);
  assert_int_equal(tp_field_type(TP_FIELD_COUNT_), TP_TYPE_UNKNOWN);
  assert_int_equal(tp_field_scope((tp_field_id)-1), TP_NODE_UNKNOWN);
  assert_int_equal(tp_field_type((tp_field_id)1000), TP_TYPE_UNKNOWN);
  assert_string_equal(tp_node_name(TP_NODE_UNKNOWN), "?");
  assert_string_equal(tp_field_name(TP_FIELD_COUNT_), "?");
}

/* The billion laughs factor counts predefined entities: 1.0 refuses a
 * single &amp; once past the threshold, as the header says. */
static void
test_amplification_factor_one(void **state) {
  const char *doc = WRAP(TASK("<taskType>a&amp;b</taskType>"));
  tp_decoder d;
  tp_config cfg;
  (void)state;
  tp_config_init(&cfg);
  cfg.expat_max_amplification = 1.0f;
  cfg.expat_amplification_threshold = 1;
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
#ifdef HAVE_XML_SETBILLIONLAUGHSATTACKPROTECTIONMAXIMUMAMPLIFICATION
  assert_int_equal(decode_chunked(&d, doc, strlen(doc), 0), TP_ERR_XML);
#endif
  tp_release(&d);
  cfg.expat_max_amplification = 2.0f;
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  assert_int_equal(decode_chunked(&d, doc, strlen(doc), 0), TP_OK);
  tp_release(&d);
}

/* Regression: tp_format_error gave "" (and returned 0) for a stop and
 * after a refused call, so "error: %s" printed a blank. */
static void
test_format_error_never_blank(void **state) {
  recorder r;
  tp_decoder d;
  tp_config cfg;
  char msg[200];
  (void)state;
  rec_init(&r);
  r.stop_at = 2;
  tp_config_init(&cfg);
  cfg.callbacks = rec_callbacks();
  cfg.user_data = &r;
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  assert_int_equal(tp_format_error(&d, msg, sizeof msg), strlen("no error"));
  assert_string_equal(msg, "no error");
  assert_int_equal(tp_feed(&d, two_jobs, two_jobs_len), TP_STOPPED);
  assert_true(tp_format_error(&d, msg, sizeof msg) > 0);
  assert_non_null(strstr(msg, "stopped by a callback"));
  assert_non_null(strstr(msg, "(byte "));
  /* Feed after finish: refused, not recorded; the message is not blank. */
  r.stop_at = 0;
  assert_int_equal(tp_reset(&d), TP_OK);
  assert_int_equal(tp_feed(&d, two_jobs, two_jobs_len), TP_OK);
  assert_int_equal(tp_finish(&d), TP_OK);
  assert_int_equal(tp_feed(&d, "<", 1), TP_ERR_STATE);
  assert_int_equal(tp_get_error(&d, NULL), TP_OK);
  assert_true(tp_format_error(&d, msg, sizeof msg) > 0);
  assert_true(msg[0] != '\0');
  tp_release(&d);
  /* A released decoder: the state error, without a position. */
  assert_true(tp_format_error(&d, msg, sizeof msg) > 0);
  assert_string_equal(msg, tp_strerror(TP_ERR_STATE));
  assert_true(tp_format_error(NULL, msg, sizeof msg) > 0);
  assert_string_equal(msg, tp_strerror(TP_ERR_ARGUMENT));
  rec_free(&r);
}

/* Callbacks that call back into their own decoder. */
typedef struct reentry {
  tp_decoder *d;
  const tp_config *cfg;
  int which; /* 0 feed, 1 finish, 2 reset, 3 release */
  int done;
  tp_status got;
} reentry;

static int
reenter_begin(void *ud, tp_node node) {
  reentry *re = ud;
  if (node != TP_NODE_TASK || re->done)
    return 0;
  re->done = 1;
  switch (re->which) {
  case 0:
    re->got = tp_feed(re->d, "<x/>", 4);
    break;
  case 1:
    re->got = tp_finish(re->d);
    break;
  case 2:
    re->got = tp_reset(re->d);
    break;
  default:
    tp_release(re->d);
    re->got = TP_ERR_STATE;
    break;
  }
  return 0;
}

/* Regression: these leaked the parser (tp_release), broke the outer
 * decode (TP_ERR_XML) or reported TP_ERR_INTERNAL. Each is refused with
 * TP_ERR_STATE (tp_release does nothing) and the outer decode goes on
 * unharmed, with nothing leaked. tp_init() from a callback is not here:
 * it reads nothing of the storage it is given, so it cannot tell, and the
 * header forbids it (issue 21 removed the thread-local list of decoders
 * calling back that told it, which crashed after a longjmp). */
static void
test_own_decoder_from_callback(void **state) {
  static const tp_callbacks cb = {reenter_begin, NULL, NULL};
  static const tp_memory_suite suite = {sized_malloc, sized_realloc,
                                        sized_free};
  static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];
  int which, mode;
  size_t c;
  (void)state;
  for (mode = 0; mode < 2; mode++)
    for (which = 0; which < 4; which++)
      for (c = 0; c < NCHUNKS; c++) {
        tp_decoder d;
        tp_config cfg;
        reentry re = {&d, &cfg, which, 0, TP_OK};
        tp_config_init(&cfg);
        cfg.callbacks = &cb;
        cfg.user_data = &re;
        if (mode == 0) {
          cfg.memory = &suite;
        } else {
          cfg.arena = arena;
          cfg.arena_size = sizeof arena;
        }
        heap_now = 0;
        assert_int_equal(tp_init(&d, &cfg), TP_OK);
        assert_int_equal(decode_chunked(&d, two_jobs, two_jobs_len, CHUNKS[c]),
                         TP_OK);
        assert_int_equal(re.done, 1);
        assert_int_equal(re.got, TP_ERR_STATE);
        tp_release(&d);
        assert_int_equal(heap_now, 0);
      }
}

/* Regression: a decoder copied to another address decoded on with wrong
 * events and TP_OK. */
static void
test_copied_decoder_refused(void **state) {
  tp_decoder *d = malloc(sizeof *d), *copy = malloc(sizeof *copy);
  tp_config cfg;
  tp_error e;
  size_t half = two_jobs_len / 2;
  (void)state;
  assert_non_null(d);
  assert_non_null(copy);
  tp_config_init(&cfg);
  assert_int_equal(tp_init(d, &cfg), TP_OK);
  assert_int_equal(tp_feed(d, two_jobs, half), TP_OK);
  memcpy(copy, d, sizeof *d);
  assert_int_equal(tp_feed(copy, two_jobs + half, two_jobs_len - half),
                   TP_ERR_STATE);
  assert_int_equal(tp_feed(copy, "x", 1), TP_ERR_STATE);
  assert_int_equal(tp_finish(copy), TP_ERR_STATE);
  assert_int_equal(tp_reset(copy), TP_ERR_STATE);
  assert_int_equal(tp_get_error(copy, &e), TP_ERR_STATE);
  tp_release(copy); /* ignored: the parser is the original's */
  /* The original is untouched. */
  assert_int_equal(tp_feed(d, two_jobs + half, two_jobs_len - half), TP_OK);
  assert_int_equal(tp_finish(d), TP_OK);
  tp_release(d);
  free(copy);
  free(d);
}

/* Regression: a decoder at a misaligned address was used (undefined
 * behaviour) instead of being refused. */
static void
test_misaligned_decoder_refused(void **state) {
  static _Alignas(tp_decoder) unsigned char pool[sizeof(tp_decoder) + 1];
  tp_decoder *odd = (tp_decoder *)(void *)(pool + 1);
  tp_config cfg;
  tp_memory_stats ms;
  (void)state;
  tp_config_init(&cfg);
  assert_int_equal(tp_init(odd, &cfg), TP_ERR_ARGUMENT);
  assert_int_equal(tp_feed(odd, "x", 1), TP_ERR_ARGUMENT);
  assert_int_equal(tp_finish(odd), TP_ERR_ARGUMENT);
  assert_int_equal(tp_reset(odd), TP_ERR_ARGUMENT);
  assert_int_equal(tp_get_error(odd, NULL), TP_ERR_ARGUMENT);
  assert_int_equal(tp_get_memory_stats(odd, &ms), TP_ERR_ARGUMENT);
  tp_release(odd);
  /* The aligned start of the same pool is fine. */
  assert_int_equal(tp_init((tp_decoder *)(void *)pool, &cfg), TP_OK);
  tp_release((tp_decoder *)(void *)pool);
}

/* Regression: with several errors at once the kept status won
 * (tp_feed(d, NULL, 5) after a stop returned TP_STOPPED): argument errors
 * come first, then state errors, then the kept status. */
static void
test_error_precedence(void **state) {
  recorder r;
  tp_decoder d;
  tp_config cfg;
  (void)state;
  rec_init(&r);
  r.stop_at = 1;
  tp_config_init(&cfg);
  cfg.callbacks = rec_callbacks();
  cfg.user_data = &r;
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  assert_int_equal(tp_feed(&d, two_jobs, two_jobs_len), TP_STOPPED);
  assert_int_equal(tp_feed(&d, NULL, 5), TP_ERR_ARGUMENT);
  assert_int_equal(tp_feed(&d, "x", 1), TP_STOPPED);
  assert_int_equal(tp_finish(&d), TP_STOPPED);
  assert_int_equal(tp_feed(&d, NULL, 5), TP_ERR_ARGUMENT);
  assert_int_equal(tp_feed(&d, "x", 1), TP_ERR_STATE);
  assert_int_equal(tp_get_error(&d, NULL), TP_STOPPED);
  tp_release(&d);
  assert_int_equal(tp_feed(&d, NULL, 5), TP_ERR_ARGUMENT);
  assert_int_equal(tp_feed(&d, "x", 1), TP_ERR_STATE);
  rec_free(&r);
}

/* tp_config_init sets every field from whatever the storage held: its
 * memset gives the zeros (no field may rely on an assignment after it),
 * the two limits their defaults. */
static void
test_config_init_defaults_from_garbage(void **state) {
  tp_config cfg;
  (void)state;
  memset(&cfg, 0xA5, sizeof cfg);
  tp_config_init(&cfg);
  assert_null(cfg.callbacks);
  assert_null(cfg.user_data);
  assert_null(cfg.memory);
  assert_null(cfg.arena);
  assert_int_equal(cfg.arena_size, 0);
  assert_int_equal(cfg.max_slice, 0);
  assert_int_equal(cfg.flags, 0);
  assert_int_equal(cfg.max_depth, TP_DEFAULT_MAX_DEPTH);
  assert_int_equal(cfg.max_value_bytes, TP_DEFAULT_MAX_VALUE_BYTES);
  assert_int_equal(cfg.max_input_bytes, 0);
  assert_true(cfg.expat_max_amplification == 0.0f);
  assert_int_equal(cfg.expat_amplification_threshold, 0);
  assert_true(cfg.expat_alloc_max_amplification == 0.0f);
  assert_int_equal(cfg.expat_alloc_threshold, 0);
}

int
main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_arguments),
      cmocka_unit_test(test_config_init_defaults_from_garbage),
      cmocka_unit_test(test_strings_never_null),
      cmocka_unit_test(test_finish_states),
      cmocka_unit_test(test_document_errors),
      cmocka_unit_test(test_every_prefix_truncated),
      cmocka_unit_test(test_stop_at_every_callback),
      cmocka_unit_test(test_stop_then_reset),
      cmocka_unit_test(test_prompt_timing),
      cmocka_unit_test(test_memory_suite),
      cmocka_unit_test(test_no_memory),
      cmocka_unit_test(test_interleaved_decoders),
      cmocka_unit_test(test_decoder_inside_callback),
      cmocka_unit_test(test_format_error_truncates),
      cmocka_unit_test(test_stop_in_bare_fault),
      cmocka_unit_test(test_not_soap_name_truncated),
      cmocka_unit_test(test_fault_is_ok),
      cmocka_unit_test(test_column_counts_characters),
      cmocka_unit_test(test_excerpt_not_cut_inside_character),
      cmocka_unit_test(test_expat_message_cut_at_word),
      cmocka_unit_test(test_max_slice_capped),
      cmocka_unit_test(test_config_refused),
      cmocka_unit_test(test_amplification_factor_one),
      cmocka_unit_test(test_format_error_never_blank),
      cmocka_unit_test(test_own_decoder_from_callback),
      cmocka_unit_test(test_copied_decoder_refused),
      cmocka_unit_test(test_misaligned_decoder_refused),
      cmocka_unit_test(test_error_precedence),
  };
  return cmocka_run_group_tests_name("api", tests, setup, teardown);
}
