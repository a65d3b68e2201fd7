/* test_request.c -- the request writer's contract: every optional element
 * set or left out, in both SOAP versions and every API version, each
 * request parsed back and compared with what was asked by the shared
 * checker (tests/request_check.c); escaping; refusals that write nothing;
 * snprintf semantics at every buffer size; streaming at every piece size
 * and stopping at any piece; the HTTP headers; tp_request_init's
 * defaults. test_zero_heap.c shows the writer touches no heap. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request_check.h"
#include "support.h"
#include "taskprogress.h"

/* ------------------------------------------------------------ the data */

#define SOAP11_NS "http://schemas.xmlsoap.org/soap/envelope/"
#define AUTH_NS "http://www.scene7.com/IpsApi/xsd"

/* Every API version ../shared/docs/ips-domain.md (section 2) lists, then
 * the unversioned namespace and the default. */
static const char *const API_VERSIONS[] = {"2008-01-15",
                                           "2008-09-10",
                                           "2009-07-31",
                                           "2010-01-31",
                                           "2011-11-04",
                                           "2011-11-04-beta",
                                           "2012-02-14",
                                           "2012-07-31",
                                           "2012-07-31-beta",
                                           "2013-02-15",
                                           "2013-08-29-beta",
                                           "2014-04-03",
                                           "2016-01-14-beta",
                                           "2017-10-29-beta",
                                           "2021-01-11-beta",
                                           "2021-04-26-beta",
                                           "2022-11-01-beta",
                                           "2023-01-15",
                                           "",
                                           NULL};
#define N_API_VERSIONS (sizeof API_VERSIONS / sizeof API_VERSIONS[0])

/* The string members, in schema order within each part: the member name
 * is what tp_request_check() must report. */
typedef struct string_member {
  const char *member;
  const char *element;
  size_t offset;
  int required;
} string_member;

#define STRING_MEMBER(m, e, req)                                               \
  { #m, e, offsetof(tp_request, m), req }

static const string_member STRINGS[] = {
    STRING_MEMBER(user, "user", 0),
    STRING_MEMBER(password, "password", 0),
    STRING_MEMBER(access_token, "accessToken", 0),
    STRING_MEMBER(saml_response, "samlResponse", 0),
    STRING_MEMBER(locale, "locale", 0),
    STRING_MEMBER(app_name, "appName", 1),
    STRING_MEMBER(app_version, "appVersion", 1),
    STRING_MEMBER(company_handle, "companyHandle", 0),
    STRING_MEMBER(job_handle, "jobHandle", 0),
    STRING_MEMBER(original_name, "originalName", 0),
};
#define N_STRINGS (sizeof STRINGS / sizeof STRINGS[0])

static const char **
slot(tp_request *r, const string_member *m) {
  return (const char **)(void *)((char *)r + m->offset);
}

/* Values the combinations draw from: plain, empty (a value, sent as an
 * empty element), markup, line ends, and multi-byte UTF-8. */
static const char *const VALUES[] = {
    "jdoe@example.com",
    "",
    "p&ss<w>rd\"'",
    "]]>",
    "line1\r\nline2\rline3\n\tend",
    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
    "  spaced  ",
    "c|Company",
    "&amp;&#13;<![CDATA[x]]>",
};
#define N_VALUES (sizeof VALUES / sizeof VALUES[0])

/* Strings that come back unchanged: each character XML needs escaped,
 * line ends that a parser would normalise if they were sent raw, and
 * UTF-8 of every length at the edges of what is allowed. */
static const char *const NASTY[] = {
    "&",
    "<",
    ">",
    "\"",
    "'",
    "]]>",
    "]]]]>>",
    "&<>\"']]>",
    "\r",
    "\n",
    "\t",
    "\r\n",
    "a\rb\r\nc\nd\te\n\r",
    "&amp;&lt;&#13;&#x0D;",
    "\x7f",
    "\xc2\x80\xc2\x9f",
    "\xc3\xa9",
    "\xdf\xbf",
    "\xe0\xa0\x80",
    "\xe2\x82\xac",
    "\xed\x9f\xbf",
    "\xee\x80\x80",
    "\xef\xbf\xbd",
    "\xef\xb7\x90",
    "\xf0\x90\x80\x80",
    "\xf0\x9f\x98\x80",
    "\xf4\x8f\xbf\xbf",
    " a < b && c > d ]]> \xe2\x82\xac\xf4\x8f\xbf\xbf\xee\x80\x80\r\n",
};
#define N_NASTY (sizeof NASTY / sizeof NASTY[0])

/* ------------------------------------------------------ the checker */

/* The shared check of a written request (tests/request_check.c), made
 * once for the run: its parser is reset for each request (creating one
 * per request took a third of the run time). */
static request_checker *checker;

static int
group_setup(void **state) {
  (void)state;
  checker = request_checker_new();
  return checker == NULL ? -1 : 0;
}

static int
group_teardown(void **state) {
  (void)state;
  request_checker_free(checker);
  return 0;
}

/* A written request is exactly what r asks for: its length is the NUL's
 * place, and the checker finds nothing wrong. */
static void
verify(const tp_request *r, const char *xml, size_t len, const char *ctx) {
  const char *why;
  if (strlen(xml) != len)
    fail_msg("%s: %zu bytes before the NUL, length %zu", ctx, strlen(xml), len);
  why = request_checker_run(checker, r, xml, len);
  if (why != NULL)
    fail_msg("%s: %s\n%s", ctx, why, xml);
}

#define BIG 16384

/* Writes r, which must be accepted, checks the length three ways, and
 * parses it back. Returns the request in a static buffer. */
static const char *
write_and_verify(const tp_request *r, size_t *length, const char *ctx) {
  static char out[BIG];
  const char *bad = "unset";
  size_t n = 0, m = 0;
  tp_status st = tp_request_check(r, &bad);
  if (st != TP_OK)
    fail_msg("%s: refused (%s), naming %s", ctx, tp_strerror(st),
             bad ? bad : "nothing");
  assert_null(bad);
  assert_int_equal(tp_request_write(r, NULL, 0, &m), TP_OK);
  assert_int_equal(tp_request_write(r, out, sizeof out, &n), TP_OK);
  assert_int_equal(n, m);
  assert_true(n < sizeof out);
  verify(r, out, n, ctx);
  if (length != NULL)
    *length = n;
  return out;
}

/* Writes r, which must be accepted, once, and parses it back: for the
 * largest sweep, whose time is mostly spent here. */
static void
write_once_and_verify(const tp_request *r, const char *ctx) {
  static char out[BIG];
  size_t n = 0;
  tp_status st = tp_request_write(r, out, sizeof out, &n);
  if (st != TP_OK)
    fail_msg("%s: refused (%s)", ctx, tp_strerror(st));
  assert_true(n < sizeof out);
  verify(r, out, n, ctx);
}

/* ----------------------------------------------------- the combinations */

/* Two sweeps over the optional elements. The first sets each to every
 * state it has (the strings unset or set, the booleans unset, false or
 * true, the status unset or set: 4608 combinations), in both SOAP
 * versions, under an API version taken in turn by a hash of the
 * combination's number. The second sets each or not (2^11
 * combinations), the booleans' and the status's values and the strings
 * drawn from the combination's number, for each of the 40 pairs of SOAP
 * and API version. Together about 91000 requests: the whole product,
 * 184320, takes seconds, and minutes under valgrind. */
#define COMBINATIONS (256ul * 3 * 3 * 2)
#define SET_UNSET (1ul << 11)

static const int STATUSES[] = {100, 200, 404, 500, 599};
/* Out of range, but not sent: has_fault_http_status_code is 0. */
static const int IGNORED[] = {0, -1, 99, 600, INT_MAX, INT_MIN};

/* The optional strings set as the low 8 bits of `mask` say, the others
 * too, with values picked by `pick`. */
static void
draw_strings(tp_request *r, unsigned long mask, unsigned long pick) {
  size_t i, bit = 0;
  tp_request_init(r);
  for (i = 0; i < N_STRINGS; i++) {
    const char *v = VALUES[(pick * 5 + i * 3) % N_VALUES];
    if (STRINGS[i].required)
      *slot(r, &STRINGS[i]) = v;
    else
      *slot(r, &STRINGS[i]) = (mask >> bit++) & 1 ? v : NULL;
  }
}

static void
combination(tp_request *r, unsigned long c) {
  unsigned long rest = c >> 8;
  draw_strings(r, c, c);
  r->gzip_response = (tp_optional_bool)(rest % 3);
  rest /= 3;
  r->include_waiting_jobs = (tp_optional_bool)(rest % 3);
  rest /= 3;
  r->has_fault_http_status_code = (int)(rest % 2);
  r->fault_http_status_code =
      r->has_fault_http_status_code ? STATUSES[c % 5] : IGNORED[c % 6];
}

static tp_optional_bool
drawn_bool(int set, uint32_t mix) {
  return !set ? TP_BOOL_UNSET : mix & 1 ? TP_BOOL_TRUE : TP_BOOL_FALSE;
}

static void
set_unset(tp_request *r, unsigned long m, uint32_t mix) {
  draw_strings(r, m, mix >> 8);
  r->gzip_response = drawn_bool((m >> 8) & 1, mix >> 1);
  r->include_waiting_jobs = drawn_bool((m >> 9) & 1, mix >> 2);
  r->has_fault_http_status_code = (int)((m >> 10) & 1);
  r->fault_http_status_code = r->has_fault_http_status_code
                                  ? STATUSES[(mix >> 3) % 5]
                                  : IGNORED[(mix >> 3) % 6];
}

static void
describe(char *ctx, size_t size, const tp_request *r, const char *what,
         unsigned long c) {
  snprintf(ctx, size, "SOAP %s, api_version %s%s%s, %s %lu",
           r->soap_version == TP_SOAP_12 ? "1.2" : "1.1",
           r->api_version ? "\"" : "", r->api_version ? r->api_version : "NULL",
           r->api_version ? "\"" : "", what, c);
}

static uint32_t
hash(unsigned long a, unsigned long b) {
  return (uint32_t)(a * 2654435761u + b * 40503u) >> 7;
}

static void
test_every_combination(void **state) {
  unsigned long c, runs = 0;
  int soap;
  (void)state;
  for (soap = TP_SOAP_11; soap <= TP_SOAP_12; soap++) {
    for (c = 0; c < COMBINATIONS; c++) {
      tp_request r;
      char ctx[128];
      combination(&r, c);
      r.soap_version = (tp_soap_version)soap;
      r.api_version =
          API_VERSIONS[hash(c, (unsigned long)soap) % N_API_VERSIONS];
      describe(ctx, sizeof ctx, &r, "combination", c);
      (void)write_and_verify(&r, NULL, ctx);
      runs++;
    }
  }
  print_message("%lu combinations written and parsed back\n", runs);
}

static void
test_every_version(void **state) {
  unsigned long m, runs = 0;
  size_t v;
  int soap;
  (void)state;
  for (soap = TP_SOAP_11; soap <= TP_SOAP_12; soap++) {
    for (v = 0; v < N_API_VERSIONS; v++) {
      for (m = 0; m < SET_UNSET; m++) {
        tp_request r;
        char ctx[128];
        set_unset(&r, m, hash(m, v * 2 + (unsigned long)soap));
        r.soap_version = (tp_soap_version)soap;
        r.api_version = API_VERSIONS[v];
        describe(ctx, sizeof ctx, &r, "set/unset", m);
        write_once_and_verify(&r, ctx);
        runs++;
      }
    }
  }
  print_message("%lu set/unset combinations written and parsed back\n", runs);
}

/* A request with every element set to a plain value. */
static void
full_request(tp_request *r) {
  size_t i;
  tp_request_init(r);
  for (i = 0; i < N_STRINGS; i++)
    *slot(r, &STRINGS[i]) = STRINGS[i].element;
  r->gzip_response = TP_BOOL_TRUE;
  r->has_fault_http_status_code = 1;
  r->fault_http_status_code = 200;
  r->include_waiting_jobs = TP_BOOL_FALSE;
}

static void
test_escaping(void **state) {
  size_t i, j, k;
  (void)state;
  for (k = 0; k < N_NASTY; k++) {
    /* In each string member alone, then in all of them at once. */
    for (i = 0; i <= N_STRINGS; i++) {
      tp_request r;
      char ctx[128];
      full_request(&r);
      for (j = 0; j < N_STRINGS; j++)
        if (i == j || i == N_STRINGS)
          *slot(&r, &STRINGS[j]) = NASTY[k];
      snprintf(ctx, sizeof ctx, "NASTY[%zu] in %s", k,
               i < N_STRINGS ? STRINGS[i].member : "every member");
      (void)write_and_verify(&r, NULL, ctx);
    }
  }
}

/* ----------------------------------------------------------- refusals */

typedef struct sink {
  char *data; /* what write received, all pieces */
  size_t used, cap;
  size_t piece; /* the stream's buffer size */
  unsigned long calls;
  size_t stop_at;    /* the call (from 0) that returns non-zero */
  int short_piece;   /* a piece shorter than `piece` came */
  const char *error; /* a broken promise seen by the callback */
} sink;

static int
on_write(void *ud, const char *bytes, size_t length) {
  sink *s = ud;
  if (length == 0 && s->error == NULL)
    s->error = "a piece of 0 bytes";
  if (length > s->piece && s->error == NULL)
    s->error = "a piece longer than the buffer";
  if (s->short_piece && s->error == NULL)
    s->error = "a piece after a short one";
  if (length < s->piece)
    s->short_piece = 1;
  if (s->used + length > s->cap) {
    s->cap = (s->used + length) * 2;
    s->data = realloc(s->data, s->cap);
    assert_non_null(s->data);
  }
  memcpy(s->data + s->used, bytes, length);
  s->used += length;
  /* A broken promise stops the stream: it might never end otherwise. */
  return s->calls++ == s->stop_at || s->error != NULL;
}

static void
sink_init(sink *s, size_t piece) {
  memset(s, 0, sizeof *s);
  s->piece = piece;
  s->stop_at = (size_t)-1;
}

#define PATTERN 0xA5
#define GUARD 16
#define UNTOUCHED ((size_t)0x5eed)

static int
all_pattern(const char *p, size_t n) {
  static char pattern[BIG + 2 * GUARD];
  if (pattern[0] == 0)
    memset(pattern, PATTERN, sizeof pattern);
  assert_true(n <= sizeof pattern);
  return memcmp(p, pattern, n) == 0;
}

/* r is refused by every entry point, naming `member` (NULL: a NULL
 * request, where nothing is named), and nothing is written anywhere.
 * tp_request_stream's *length is held to tp_request_write's rule (left
 * alone when refused) although its contract promises only that `write`
 * is not called: a caller should not see a length for a refusal. */
static void
expect_refused(const tp_request *r, const char *member, const char *ctx) {
  static char buf[BIG];
  const char *bad = "unset";
  size_t n = UNTOUCHED;
  sink s;
  tp_status st = tp_request_check(r, &bad);
  if (st != TP_ERR_ARGUMENT)
    fail_msg("%s: tp_request_check gives %s", ctx, tp_strerror(st));
  if (member == NULL ? bad != NULL : bad == NULL || strcmp(bad, member) != 0)
    fail_msg("%s: tp_request_check names %s, not %s", ctx, bad ? bad : "NULL",
             member ? member : "NULL");
  assert_int_equal(tp_request_check(r, NULL), TP_ERR_ARGUMENT);

  memset(buf, PATTERN, sizeof buf);
  assert_int_equal(tp_request_write(r, buf, sizeof buf, &n), TP_ERR_ARGUMENT);
  if (n != UNTOUCHED || !all_pattern(buf, sizeof buf))
    fail_msg("%s: tp_request_write refused but wrote", ctx);
  assert_int_equal(tp_request_write(r, buf, 1, &n), TP_ERR_ARGUMENT);
  assert_int_equal(tp_request_write(r, NULL, 0, &n), TP_ERR_ARGUMENT);
  assert_int_equal(tp_request_write(r, buf, sizeof buf, NULL), TP_ERR_ARGUMENT);
  if (n != UNTOUCHED || !all_pattern(buf, sizeof buf))
    fail_msg("%s: tp_request_write refused but wrote", ctx);

  sink_init(&s, 64);
  assert_int_equal(tp_request_stream(r, buf, 64, on_write, &s, &n),
                   TP_ERR_ARGUMENT);
  assert_int_equal(tp_request_stream(r, buf, 1, on_write, &s, NULL),
                   TP_ERR_ARGUMENT);
  if (s.calls != 0 || n != UNTOUCHED || !all_pattern(buf, sizeof buf))
    fail_msg("%s: tp_request_stream refused but wrote (%lu calls)", ctx,
             s.calls);
  free(s.data);
}

/* Byte sequences that are not UTF-8 or that XML 1.0 forbids. */
static const char *const BAD_UTF8[] = {
    "\x80", /* lone continuation bytes */
    "\xbf",
    "\xc3", /* sequences cut short */
    "\xe2\x82",
    "\xf0\x9f\x98",
    "\xe2\x82x",
    "\xc3\xa9\x80", /* a continuation byte too many */
    "\xc0\x80",     /* overlong forms */
    "\xc1\xbf",
    "\xe0\x80\x80",
    "\xe0\x9f\xbf",
    "\xf0\x80\x80\x80",
    "\xf0\x8f\xbf\xbf",
    "\xe0\x82\xa9", /* U+00A9 and U+20AC, which are allowed, overlong */
    "\xf0\x82\x82\xac",
    "\xed\xa0\x80", /* surrogates, alone and as a CESU-8 pair */
    "\xed\xbf\xbf",
    "\xed\xa0\xbd\xed\xb8\x80",
    "\xf4\x90\x80\x80", /* above U+10FFFF */
    "\xf7\xbf\xbf\xbf",
    "\xef\xbf\xbe", /* U+FFFE, U+FFFF */
    "\xef\xbf\xbf",
};
#define N_BAD_UTF8 (sizeof BAD_UTF8 / sizeof BAD_UTF8[0])

/* Every forbidden sequence: BAD_UTF8, the bytes F5 to FF alone and as
 * the lead of four bytes, and the control characters but tab, LF and CR.
 * Returns how many there are. */
#define N_BAD_SEQUENCES (N_BAD_UTF8 + 2 * 11 + 28)

static size_t
bad_sequences(char out[][8], size_t room) {
  size_t n = 0, i;
  for (i = 0; i < N_BAD_UTF8 && n < room; i++)
    strcpy(out[n++], BAD_UTF8[i]);
  for (i = 0xF5; i <= 0xFF && n + 1 < room; i++) {
    out[n][0] = (char)i;
    out[n++][1] = '\0';
    out[n][0] = (char)i;
    strcpy(out[n++] + 1, "\x80\x80\x80");
  }
  for (i = 0x01; i < 0x20 && n < room; i++) {
    if (i == '\t' || i == '\n' || i == '\r')
      continue;
    out[n][0] = (char)i;
    out[n++][1] = '\0';
  }
  return n;
}

static void
test_bad_strings_refused(void **state) {
  char seqs[N_BAD_SEQUENCES + 1][8];
  size_t i, k, pos, total = 0;
  size_t nseqs = bad_sequences(seqs, sizeof seqs / sizeof seqs[0]);
  (void)state;
  assert_int_equal(nseqs, N_BAD_SEQUENCES);
  for (k = 0; k < nseqs; k++) {
    const char *seq = seqs[k];
    /* Alone, at the end, at the start, in the middle. */
    for (pos = 0; pos < 4; pos++) {
      /* Room for any seqs[k] as GCC reckons it (it sees the whole array). */
      char value[sizeof seqs + 8];
      snprintf(value, sizeof value, "%s%s%s", pos == 1 || pos == 3 ? "ok" : "",
               seq, pos >= 2 ? "ok" : "");
      for (i = 0; i < N_STRINGS; i++) {
        tp_request r;
        char ctx[160];
        size_t j;
        full_request(&r);
        /* A request that is fine but for this one value. */
        assert_int_equal(tp_request_check(&r, NULL), TP_OK);
        *slot(&r, &STRINGS[i]) = value;
        snprintf(ctx, sizeof ctx, "%s = \"", STRINGS[i].member);
        for (j = 0; value[j] != '\0'; j++)
          snprintf(ctx + strlen(ctx), sizeof ctx - strlen(ctx), "\\x%02x",
                   (unsigned char)value[j]);
        strncat(ctx, "\"", sizeof ctx - strlen(ctx) - 1);
        expect_refused(&r, STRINGS[i].member, ctx);
        total++;
      }
    }
  }
  print_message("%zu bad values refused\n", total);
}

static void
test_bad_fields_refused(void **state) {
  static const char *const bad_versions[] = {
      "2022-11-01-bet", "22-11-01",        "2022-11-01-beta-x",   "2022/11/01",
      "2022-11-01-",    "2022-11-01-BETA", "2022-11-01beta",      " 2022-11-01",
      "2022-11-01 ",    "2022-1-01",       "2022-11-1",           "abcd-ef-gh",
      "2022-11-01\n",   "-beta",           "2022-11-01-betabeta", "x"};
  static const int bad_statuses[] = {99,   600,  0,       -1,
                                     -200, 1000, INT_MAX, INT_MIN};
  static const int bad_bools[] = {3, 4, -1, 255, INT_MAX};
  static const int bad_soap[] = {2, 3, -1, INT_MAX};
  tp_request r;
  size_t i;
  (void)state;
  full_request(&r);
  r.app_name = NULL;
  expect_refused(&r, "app_name", "app_name NULL");
  full_request(&r);
  r.app_version = NULL;
  expect_refused(&r, "app_version", "app_version NULL");
  for (i = 0; i < sizeof bad_soap / sizeof bad_soap[0]; i++) {
    full_request(&r);
    r.soap_version = (tp_soap_version)bad_soap[i];
    expect_refused(&r, "soap_version", "soap_version out of range");
  }
  for (i = 0; i < sizeof bad_versions / sizeof bad_versions[0]; i++) {
    full_request(&r);
    r.api_version = bad_versions[i];
    expect_refused(&r, "api_version", bad_versions[i]);
  }
  for (i = 0; i < sizeof bad_statuses / sizeof bad_statuses[0]; i++) {
    char ctx[64];
    snprintf(ctx, sizeof ctx, "fault_http_status_code %d", bad_statuses[i]);
    full_request(&r);
    r.fault_http_status_code = bad_statuses[i];
    expect_refused(&r, "fault_http_status_code", ctx);
    /* Not sent, so not checked. */
    r.has_fault_http_status_code = 0;
    (void)write_and_verify(&r, NULL, ctx);
  }
  for (i = 0; i < sizeof bad_bools / sizeof bad_bools[0]; i++) {
    full_request(&r);
    r.gzip_response = (tp_optional_bool)bad_bools[i];
    expect_refused(&r, "gzip_response", "gzip_response out of range");
    full_request(&r);
    r.include_waiting_jobs = (tp_optional_bool)bad_bools[i];
    expect_refused(&r, "include_waiting_jobs",
                   "include_waiting_jobs out of range");
  }
  expect_refused(NULL, NULL, "NULL request");
}

/* Values at the edges of what is accepted, and what an odd but valid
 * field gives. */
static void
test_edges_accepted(void **state) {
  static const int statuses[] = {100, 101, 200, 500, 598, 599};
  /* Real dates only: whether "2022-13-45" is of the form YYYY-MM-DD the
   * contract does not say. */
  static const char *const versions[] = {"2024-02-29", "2099-12-31",
                                         "2099-12-31-beta"};
  tp_request r;
  size_t i;
  (void)state;
  for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
    full_request(&r);
    r.fault_http_status_code = statuses[i];
    (void)write_and_verify(&r, NULL, "status at the edge");
  }
  /* Any non-zero has_ sends the status. */
  full_request(&r);
  r.has_fault_http_status_code = -1;
  r.fault_http_status_code = 503;
  (void)write_and_verify(&r, NULL, "has_fault_http_status_code -1");
  /* Newer versions than this library knows are accepted. */
  for (i = 0; i < sizeof versions / sizeof versions[0]; i++) {
    full_request(&r);
    r.api_version = versions[i];
    (void)write_and_verify(&r, NULL, versions[i]);
  }
  /* Empty strings are values, sent as empty elements, the required ones
   * too. */
  full_request(&r);
  for (i = 0; i < N_STRINGS; i++)
    *slot(&r, &STRINGS[i]) = "";
  (void)write_and_verify(&r, NULL, "every string empty");
}

static void
test_bad_arguments(void **state) {
  static char buf[BIG];
  tp_request r;
  size_t n = UNTOUCHED;
  sink s;
  (void)state;
  full_request(&r);
  /* buf NULL with a size. */
  assert_int_equal(tp_request_write(&r, NULL, 1, &n), TP_ERR_ARGUMENT);
  assert_int_equal(tp_request_write(&r, NULL, sizeof buf, &n), TP_ERR_ARGUMENT);
  assert_int_equal(n, UNTOUCHED);
  /* Streams with no room, no buffer or no callback. */
  sink_init(&s, 64);
  memset(buf, PATTERN, sizeof buf);
  assert_int_equal(tp_request_stream(&r, buf, 0, on_write, &s, &n),
                   TP_ERR_ARGUMENT);
  assert_int_equal(tp_request_stream(&r, NULL, 64, on_write, &s, &n),
                   TP_ERR_ARGUMENT);
  assert_int_equal(tp_request_stream(&r, buf, 64, NULL, &s, &n),
                   TP_ERR_ARGUMENT);
  assert_int_equal(s.calls, 0);
  assert_int_equal(n, UNTOUCHED);
  assert_true(all_pattern(buf, sizeof buf));
  /* The request was fine. */
  assert_int_equal(tp_request_stream(&r, buf, 64, on_write, &s, &n), TP_OK);
  assert_true(s.calls > 0);
  free(s.data);
}

/* ------------------------------------------------- buffers and streams */

/* The request as write_and_verify wrote and checked it, in memory of its
 * own (write_and_verify's buffer serves every call); the caller frees it. */
static char *
verified_copy(const tp_request *r, size_t *len, const char *ctx) {
  const char *xml = write_and_verify(r, len, ctx);
  char *copy = malloc(*len + 1);
  assert_non_null(copy);
  memcpy(copy, xml, *len + 1);
  return copy;
}

/* Writes at every size from 0 to the length + 2 into a buffer with guard
 * bytes after `size`: a prefix, NUL-terminated, nothing past it. */
static void
check_every_size(const tp_request *r, const char *ctx) {
  size_t len, size;
  char *full = verified_copy(r, &len, ctx);
  char *buf = malloc(len + 2 + GUARD);
  assert_non_null(buf);
  for (size = 0; size <= len + 2; size++) {
    size_t n = UNTOUCHED, cut = size == 0 ? 0 : (len < size ? len : size - 1);
    memset(buf, PATTERN, len + 2 + GUARD);
    assert_int_equal(tp_request_write(r, buf, size, &n), TP_OK);
    if (n != len)
      fail_msg("%s, size %zu: length %zu, not %zu", ctx, size, n, len);
    if (size > 0 && (memcmp(buf, full, cut) != 0 || buf[cut] != '\0'))
      fail_msg("%s, size %zu: not the first %zu bytes and a NUL", ctx, size,
               cut);
    /* Nothing after the NUL either (snprintf writes no more), and nothing
     * at all for size 0. */
    if (!all_pattern(buf + cut + (size > 0),
                     len + 2 + GUARD - cut - (size > 0)))
      fail_msg("%s, size %zu: bytes written past the NUL", ctx, size);
    /* Without length. */
    assert_int_equal(tp_request_write(r, buf, size, NULL), TP_OK);
  }
  free(buf);
  free(full);
}

static void
test_every_buffer_size(void **state) {
  tp_request r;
  size_t n = UNTOUCHED;
  (void)state;
  tp_request_init(&r);
  check_every_size(&r, "defaults");
  full_request(&r);
  r.soap_version = TP_SOAP_12;
  r.password = NASTY[N_NASTY - 1];
  check_every_size(&r, "every element");
  assert_int_equal(tp_request_write(&r, NULL, 0, &n), TP_OK);
  assert_int_not_equal(n, UNTOUCHED);
}

/* Streams at every piece size from 1 to the length + 1. */
static void
check_every_piece_size(const tp_request *r, const char *ctx) {
  size_t len, size;
  char *full = verified_copy(r, &len, ctx);
  char *buf = malloc(len + 1 + GUARD);
  assert_non_null(buf);
  for (size = 1; size <= len + 1; size++) {
    size_t n = UNTOUCHED;
    unsigned long want_calls = (unsigned long)((len + size - 1) / size);
    sink s;
    sink_init(&s, size);
    memset(buf, PATTERN, len + 1 + GUARD);
    assert_int_equal(tp_request_stream(r, buf, size, on_write, &s, &n), TP_OK);
    if (s.error != NULL)
      fail_msg("%s, piece size %zu: %s", ctx, size, s.error);
    if (n != len || s.used != len || memcmp(s.data, full, len) != 0)
      fail_msg("%s, piece size %zu: %zu bytes streamed (length %zu), not the "
               "%zu tp_request_write gives",
               ctx, size, s.used, n, len);
    if (s.calls != want_calls)
      fail_msg("%s, piece size %zu: %lu pieces, not %lu", ctx, size, s.calls,
               want_calls);
    if (!all_pattern(buf + size, len + 1 + GUARD - size))
      fail_msg("%s, piece size %zu: written past the buffer", ctx, size);
    free(s.data);
  }
  free(buf);
  free(full);
}

static void
test_every_piece_size(void **state) {
  tp_request r;
  (void)state;
  tp_request_init(&r);
  check_every_piece_size(&r, "defaults");
  full_request(&r);
  r.soap_version = TP_SOAP_12;
  r.password = NASTY[N_NASTY - 1];
  check_every_piece_size(&r, "every element");
}

/* A callback that stops at call k: TP_STOPPED, no call after it, and
 * *length counts the bytes up to and including the stopping call. */
static void
test_stop_streaming(void **state) {
  tp_request r;
  char buf[512];
  size_t len, p;
  static const size_t pieces[] = {1, 7, 64, 500};
  (void)state;
  full_request(&r);
  (void)write_and_verify(&r, &len, "stop");
  for (p = 0; p < sizeof pieces / sizeof pieces[0]; p++) {
    size_t size = pieces[p];
    size_t ncalls = (len + size - 1) / size;
    size_t ks[6], k;
    ks[0] = 0;
    ks[1] = 1;
    ks[2] = 2;
    ks[3] = ncalls / 2;
    ks[4] = ncalls - 2;
    ks[5] = ncalls - 1;
    for (k = 0; k < 6; k++) {
      sink s;
      size_t n = UNTOUCHED, stop = ks[k], want;
      if (stop >= ncalls)
        continue;
      want = (stop + 1) * size < len ? (stop + 1) * size : len;
      sink_init(&s, size);
      s.stop_at = stop;
      assert_int_equal(tp_request_stream(&r, buf, size, on_write, &s, &n),
                       TP_STOPPED);
      if (s.calls != stop + 1 || n != want || s.used != want)
        fail_msg("piece size %zu, stop at call %zu: %lu calls, length %zu, "
                 "%zu bytes received; want %zu calls, %zu bytes",
                 size, stop, s.calls, n, s.used, stop + 1, want);
      free(s.data);
    }
  }
}

/* --------------------------------------------------- headers, defaults */

static void
test_headers(void **state) {
  tp_request r;
  const char *h, *action, *end;
  size_t i;
  (void)state;
  tp_request_init(&r);
  assert_string_equal(tp_request_header(&r, 0),
                      "Content-Type: text/xml; charset=utf-8");
  assert_string_equal(tp_request_header(&r, 1),
                      "SOAPAction: \"getActiveJobs\"");
  for (i = 2; i < 6; i++)
    assert_null(tp_request_header(&r, i));
  assert_null(tp_request_header(&r, (size_t)-1));
  r.soap_version = TP_SOAP_12;
  h = tp_request_header(&r, 0);
  assert_string_equal(h, "Content-Type: application/soap+xml; charset=utf-8; "
                         "action=\"getActiveJobs\"");
  for (i = 1; i < 6; i++)
    assert_null(tp_request_header(&r, i));
  assert_null(tp_request_header(&r, (size_t)-1));
  /* SOAP 1.2 carries SOAP 1.1's SOAPAction value as its action. */
  action = strstr(h, "action=");
  assert_non_null(action);
  action += strlen("action=");
  end = action + strlen(action);
  assert_int_equal((size_t)(end - action),
                   strlen("SOAPAction: \"getActiveJobs\"") -
                       strlen("SOAPAction: "));
  r.soap_version = TP_SOAP_11;
  assert_memory_equal(action, tp_request_header(&r, 1) + strlen("SOAPAction: "),
                      (size_t)(end - action));
  assert_null(tp_request_header(NULL, 0));
  assert_null(tp_request_header(NULL, 1));
  r.soap_version = (tp_soap_version)2;
  assert_null(tp_request_header(&r, 0));
  r.soap_version = (tp_soap_version)-1;
  assert_null(tp_request_header(&r, 0));
}

static void
test_init_defaults(void **state) {
  tp_request r;
  size_t i;
  int documented = 0;
  (void)state;
  memset(&r, PATTERN, sizeof r);
  tp_request_init(&r);
  assert_int_equal(r.soap_version, TP_SOAP_11);
  assert_non_null(r.api_version);
  assert_string_equal(r.api_version, TP_API_VERSION_DEFAULT);
  for (i = 0; i + 2 < N_API_VERSIONS; i++)
    documented |= strcmp(TP_API_VERSION_DEFAULT, API_VERSIONS[i]) == 0;
  assert_true(documented);
  assert_non_null(r.app_name);
  assert_string_equal(r.app_name, "libtaskprogress");
  assert_non_null(r.app_version);
  assert_string_equal(r.app_version, tp_version());
  for (i = 0; i < N_STRINGS; i++)
    if (!STRINGS[i].required)
      assert_null(*slot(&r, &STRINGS[i]));
  assert_int_equal(r.gzip_response, TP_BOOL_UNSET);
  assert_int_equal(r.include_waiting_jobs, TP_BOOL_UNSET);
  assert_int_equal(r.has_fault_http_status_code, 0);
  tp_request_init(NULL);
}

/* What tp_request_init alone gives, spelled out: the SOAP 1.1 envelope,
 * authHeader with appName and appVersion, an empty getActiveJobsParam in
 * the default version's namespace. */
static void
test_init_request(void **state) {
  tp_request r;
  (void)state;
  tp_request_init(&r);
  (void)write_and_verify(&r, NULL, "tp_request_init");
  assert_string_equal(request_checker_outline(checker),
                      "{" SOAP11_NS "}Envelope(Header({" AUTH_NS
                      "}authHeader(appName appVersion)) Body({" AUTH_NS
                      "/" TP_API_VERSION_DEFAULT "}getActiveJobsParam))");
}

int
main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_combination),
      cmocka_unit_test(test_every_version),
      cmocka_unit_test(test_escaping),
      cmocka_unit_test(test_bad_strings_refused),
      cmocka_unit_test(test_bad_fields_refused),
      cmocka_unit_test(test_edges_accepted),
      cmocka_unit_test(test_bad_arguments),
      cmocka_unit_test(test_every_buffer_size),
      cmocka_unit_test(test_every_piece_size),
      cmocka_unit_test(test_stop_streaming),
      cmocka_unit_test(test_headers),
      cmocka_unit_test(test_init_defaults),
      cmocka_unit_test(test_init_request),
  };
  return cmocka_run_group_tests_name("request", tests, group_setup,
                                     group_teardown);
}
