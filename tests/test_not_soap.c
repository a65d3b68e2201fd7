/* test_not_soap.c -- documents that are not IPS responses, and what the
 * error says about them (issue 21's contract defects): HTML pages in their
 * HTML5 spellings are TP_ERR_NOT_SOAP, a DOCTYPE naming a root we accept
 * is TP_ERR_DOCTYPE (not "not a SOAP response: root element
 * <getActiveJobsReturn>"), and no control or bidirectional character from
 * the input reaches tp_error.detail or tp_format_error raw; a root name
 * too long for the arena is still not SOAP when the whole name has
 * arrived. Every case at several chunk sizes, in both modes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "support.h"
#include "taskprogress.h"

static const size_t CHUNKS[] = {1, 2, 3, 7, 64, 4096, 0};
#define NCHUNKS (sizeof CHUNKS / sizeof CHUNKS[0])
static const unsigned FLAGS[] = {0, TP_FLAG_PROMPT};

/* Decodes `doc` fed `chunk` bytes at a time (0: at once); fills *e. */
static tp_status
decode(const char *doc, size_t chunk, unsigned flags, tp_error *e, char *msg,
       size_t msg_size) {
  tp_decoder d;
  tp_config cfg;
  size_t len = strlen(doc);
  tp_status s;
  tp_config_init(&cfg);
  cfg.flags = flags;
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  s = feed_chunked(&d, doc, len, chunk);
  if (s == TP_OK)
    s = tp_finish(&d);
  assert_int_equal(tp_get_error(&d, e), s);
  if (msg != NULL)
    (void)tp_format_error(&d, msg, msg_size);
  tp_release(&d);
  return s;
}

static void
expect(const char *doc, tp_status want, const char *detail) {
  size_t c, f;
  for (f = 0; f < 2; f++)
    for (c = 0; c < NCHUNKS; c++) {
      tp_error e;
      tp_status s = decode(doc, CHUNKS[c], FLAGS[f], &e, NULL, 0);
      if (s != want || (detail != NULL && strcmp(e.detail, detail) != 0))
        fail_msg("%s\nchunk %zu flags %u: %s '%s', want %s '%s'", doc,
                 CHUNKS[c], FLAGS[f], tp_strerror(s), e.detail,
                 tp_strerror(want), detail ? detail : "");
    }
}

#define IPS "xmlns=\"http://www.scene7.com/IpsApi/xsd\""

static void
test_html_roots_are_not_soap(void **state) {
  (void)state;
  /* HTML5's spellings are not XML: expat stops at them. */
  expect("<!doctype html>\n<html><head><title>502 Bad Gateway</title></head>"
         "<body>upstream timed out</body></html>\n",
         TP_ERR_NOT_SOAP, "<!doctype> (HTML)");
  expect("<html lang=en><body>Service Unavailable</body></html>",
         TP_ERR_NOT_SOAP, "root element <html>");
  expect("\r\n  <!DOCTYPE html>\n<html lang=en></html>", TP_ERR_NOT_SOAP,
         "root element <html>");
  expect("<!doctype HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">\n<HTML>",
         TP_ERR_NOT_SOAP, "<!doctype> (HTML)");
  expect("<!DOCtype html>", TP_ERR_NOT_SOAP, "<!doctype> (HTML)");
  expect("<?xml version=\"1.0\"?>\n<HTML LANG=en>", TP_ERR_NOT_SOAP,
         "root element <HTML>");
  expect("<html><body>ok</body></html>", TP_ERR_NOT_SOAP,
         "root element <html>");
  /* Not HTML: expat's verdict stands. */
  expect("<htmlx lang=en>", TP_ERR_XML, NULL);
  expect("<Envelope lang=en>", TP_ERR_XML, NULL);
  expect("<!DOCTYPE 12>", TP_ERR_XML, NULL);
  expect("<!DOC-TYPE html>", TP_ERR_XML, NULL);
  expect("<!doctypo html>", TP_ERR_XML, NULL);
  /* Regression (check-fuzz, chunks): a '<!' inside a start tag that never
   * ended fails at once; the bytes after it, which arrive or not with the
   * chunking, must not decide. */
  expect("<soapenv:Envelop<!DOcodeCTYPEoapeappEnveloht", TP_ERR_XML, NULL);
  expect("<a x='1'<!doctype html>", TP_ERR_XML, NULL);
  expect("<!-- x --><!doctype html><html>", TP_ERR_NOT_SOAP,
         "<!doctype> (HTML)");
}

static void
test_doctype_of_accepted_root_is_doctype(void **state) {
  (void)state;
  expect("<!DOCTYPE getActiveJobsReturn>\n<getActiveJobsReturn " IPS
         "><jobArray/></getActiveJobsReturn>",
         TP_ERR_DOCTYPE, "");
  expect("<!DOCTYPE ips:ipsApiFault>\n<ips:ipsApiFault "
         "xmlns:ips=\"http://www.scene7.com/IpsApi/xsd\"/>",
         TP_ERR_DOCTYPE, "");
  expect("<!DOCTYPE soap:Envelope>", TP_ERR_DOCTYPE, "");
  expect("<!DOCTYPE jobs>\n<jobs/>", TP_ERR_NOT_SOAP, "root element <jobs>");
}

/* Whether s holds a byte sequence that must not reach a terminal: C0
 * controls, DEL, C1 controls, line/paragraph separators, bidirectional
 * embeddings, overrides and isolates. */
static const char *
unsafe_in(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  for (; *p; p++) {
    if (*p < 0x20 || *p == 0x7F)
      return (const char *)p;
    if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
      return (const char *)p;
    if (p[0] == 0xE2 && ((p[1] == 0x80 && p[2] >= 0xA8 && p[2] <= 0xAE) ||
                         (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)))
      return (const char *)p;
  }
  return NULL;
}

static void
expect_clean(const char *doc, tp_status want) {
  size_t c, f;
  for (f = 0; f < 2; f++)
    for (c = 0; c < NCHUNKS; c++) {
      tp_error e;
      char msg[256];
      assert_int_equal(decode(doc, CHUNKS[c], FLAGS[f], &e, msg, sizeof msg),
                       want);
      if (unsafe_in(e.detail) != NULL || unsafe_in(msg) != NULL)
        fail_msg("%s: raw control in '%s' / '%s'", doc, e.detail, msg);
      /* What was there is shown as U+FFFD, not dropped. */
      assert_non_null(strstr(e.detail, "\xEF\xBF\xBD"));
    }
}

#define JOB(progress)                                                          \
  "<getActiveJobsReturn " IPS "><jobArray><items><progress>" progress          \
  "</progress></items></jobArray></getActiveJobsReturn>"

static void
test_detail_has_no_raw_controls(void **state) {
  (void)state;
  expect_clean(JOB("4&#x9B;2"), TP_ERR_BAD_INT);     /* CSI */
  expect_clean(JOB("4&#x85;2"), TP_ERR_BAD_INT);     /* NEL */
  expect_clean(JOB("4&#x7F;2"), TP_ERR_BAD_INT);     /* DEL */
  expect_clean(JOB("4&#x202E;2"), TP_ERR_BAD_INT);   /* RLO */
  expect_clean(JOB("4&#x2067;2"), TP_ERR_BAD_INT);   /* RLI */
  expect_clean(JOB("4&#x2028;2"), TP_ERR_BAD_INT);   /* LS */
  expect_clean(JOB("4\t&#x9B;\n2"), TP_ERR_BAD_INT); /* and C0 */
  /* A namespace URI is text too. */
  expect_clean("<x xmlns=\"urn:&#x202E;evil&#x9B;\"/>", TP_ERR_NOT_SOAP);
}

/* ---- Out of memory at the root's name ---- */

static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];
static char long_doc[40000];

/* Writes HEAD, `n` times 'a', then TAIL into long_doc. */
static const char *
long_name_doc(const char *head, size_t n, const char *tail) {
  size_t h = strlen(head), t = strlen(tail);
  assert_true(h + n + t < sizeof long_doc);
  memcpy(long_doc, head, h);
  memset(long_doc + h, 'a', n);
  memcpy(long_doc + h + n, tail, t + 1);
  return long_doc;
}

/* Decodes `doc` in the recommended arena fed `chunk` bytes at a time (0:
 * at once); fills *e, and returns the allocations the arena refused. */
static unsigned long
decode_in_arena(const char *doc, size_t chunk, unsigned flags, tp_error *e) {
  tp_decoder d;
  tp_config cfg;
  tp_memory_stats m;
  size_t len = strlen(doc);
  tp_status s;
  tp_config_init(&cfg);
  cfg.flags = flags;
  cfg.arena = arena;
  cfg.arena_size = sizeof arena;
  assert_int_equal(tp_init(&d, &cfg), TP_OK);
  s = feed_chunked(&d, doc, len, chunk);
  if (s == TP_OK)
    s = tp_finish(&d);
  assert_int_equal(tp_get_error(&d, e), s);
  assert_int_equal(tp_get_memory_stats(&d, &m), TP_OK);
  tp_release(&d);
  return m.failures;
}

static const char NOT_SOAP_LONG[] = "root element <aaaaaaaa";
static const char READING_NAME[] = "while reading an element name";

/* Decodes `doc` at every chunk size and mode: the verdict must be `want`
 * with a detail starting with `detail`, at byte `at` (where the root's
 * start tag begins), and the same at each. Returns whether the arena ran
 * out. */
static int
expect_in_arena(const char *doc, tp_status want, const char *detail,
                uint64_t at) {
  size_t c, f;
  int ran_out = 0;
  for (f = 0; f < 2; f++)
    for (c = 0; c < NCHUNKS; c++) {
      tp_error e;
      unsigned long refused = decode_in_arena(doc, CHUNKS[c], FLAGS[f], &e);
      /* The start of a cut detail; "" for none at all. */
      int other = detail[0] == '\0'
                      ? e.detail[0] != '\0'
                      : strncmp(e.detail, detail, strlen(detail)) != 0;
      if (e.status != want || other || e.byte_offset != at)
        fail_msg("%.40s... (%zu bytes), chunk %zu flags %u: %s '%s' at %lu, "
                 "want %s '%s' at %lu",
                 doc, strlen(doc), CHUNKS[c], FLAGS[f], tp_strerror(e.status),
                 e.detail, (unsigned long)e.byte_offset, tp_strerror(want),
                 detail, (unsigned long)at);
      ran_out |= refused != 0;
    }
  return ran_out;
}

/* Regression (issue 24): an HTML page whose root element's name was too
 * long for the arena got "out of memory" instead of "not a SOAP
 * response". Names long enough for expat to run out once the tag has
 * arrived are not SOAP; those it runs out on before the name ends say
 * so. The lengths are 64-bit expat's around the recommended arena; on
 * hosts where expat needs less, the last still runs out. */
static void
test_html_long_root_name_is_not_soap(void **state) {
  static const size_t KNOWN[] = {5000, 6000, 8000};
  static const char *const TAILS[] = {
      "><body>Bad Gateway</body></html>",
      " lang=\"en\"><body>Bad Gateway</body></html>"};
  size_t i, t;
  int ran_out = 0;
  (void)state;
  for (t = 0; t < 2; t++)
    for (i = 0; i < sizeof KNOWN / sizeof KNOWN[0]; i++)
      ran_out |= expect_in_arena(long_name_doc("<", KNOWN[i], TAILS[t]),
                                 TP_ERR_NOT_SOAP, NOT_SOAP_LONG, 0);
  if (sizeof(void *) >= 8)
    assert_true(ran_out); /* or the test proves nothing */
  /* After a prolog, the position is the root's. */
  (void)expect_in_arena(
      long_name_doc("<?xml version=\"1.0\"?>\n<", 5000, TAILS[0]),
      TP_ERR_NOT_SOAP, NOT_SOAP_LONG, 22);
  /* A name still arriving when memory ran out: no verdict but memory's. */
  assert_true(expect_in_arena(long_name_doc("<", 30000, TAILS[0]),
                              TP_ERR_NO_MEMORY, READING_NAME, 0));
}

/* A short root name whose attributes take the memory is known: HTML. A
 * name we accept, whatever prefix it has, leaves the verdict to memory. */
static void
test_root_name_known_when_memory_runs_out(void **state) {
  (void)state;
  assert_true(expect_in_arena(long_name_doc("<html lang=\"", 30000, "\">"),
                              TP_ERR_NOT_SOAP, "root element <html>", 0));
  assert_true(expect_in_arena(
      long_name_doc("<soap:Envelope "
                    "xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                    "note=\"",
                    30000, "\"/>"),
      TP_ERR_NO_MEMORY, "", 0));
}

int
main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_html_roots_are_not_soap),
      cmocka_unit_test(test_doctype_of_accepted_root_is_doctype),
      cmocka_unit_test(test_detail_has_no_raw_controls),
      cmocka_unit_test(test_html_long_root_name_is_not_soap),
      cmocka_unit_test(test_root_name_known_when_memory_runs_out),
  };
  return cmocka_run_group_tests_name("not_soap", tests, NULL, NULL);
}
