/* request.c -- fuzz harness: the request writer. The first bytes choose
 * which strings are NULL or folded to ASCII, the SOAP version, the two
 * optional booleans, the API version and the fault status (out-of-range
 * values included), a buffer size, a piece size and a piece to stop at;
 * the rest holds the strings, each a length byte and its bytes (random:
 * invalid UTF-8 and control characters included). An oracle written here,
 * not taken from the library, says whether the request is valid; then:
 *
 * - refused: tp_request_check and tp_request_write say TP_ERR_ARGUMENT,
 *   check names a member the oracle found bad, and neither the buffer nor
 *   *length is touched; tp_request_stream never calls back and leaves its
 *   buffer alone ("nothing written", issue 16);
 * - accepted: check says TP_OK; the measured length is the full write's;
 *   a write into a buffer of the chosen size (once allocated at exactly
 *   that size, for ASan, once followed by guard bytes, for any build) is
 *   the prefix of the full request that fits, NUL-terminated, and writes
 *   nothing else; the stream's pieces are each `size` bytes but the last,
 *   and put together are the full request, or its prefix up to the piece
 *   that asked to stop; the full request is exactly the one asked for,
 *   by the test suite's check (tests/request_check.h: well-formed,
 *   namespace-aware XML with exactly the elements asked for, in schema
 *   order, every string parsing back to exactly the bytes given). */
#include "fuzz.h"
#include "request_check.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUARD 16u
#define GUARD_BYTE 0xA5u
#define UNTOUCHED_LENGTH ((size_t)0x5A5A5A5Au)

/* ---- the input -------------------------------------------------------- */

/* The string members, in the order of their slots in the input and of the
 * option masks' bits; api_version's bytes come last (slot NSTRINGS). */
enum {
  S_USER,
  S_PASSWORD,
  S_ACCESS_TOKEN,
  S_SAML_RESPONSE,
  S_LOCALE,
  S_APP_NAME,
  S_APP_VERSION,
  S_COMPANY_HANDLE,
  S_JOB_HANDLE,
  S_ORIGINAL_NAME,
  NSTRINGS
};

static const char *const member_names[NSTRINGS] = {
    "user",       "password",     "access_token", "saml_response",
    "locale",     "app_name",     "app_version",  "company_handle",
    "job_handle", "original_name"};

/* Option byte 7, the API version: the low 3 bits pick how it is made. */
enum {
  API_NULL,       /* NULL: TP_API_VERSION_DEFAULT */
  API_EMPTY,      /* "": the unversioned namespace */
  API_DOCUMENTED, /* one of IPS's, by the high 5 bits */
  API_DATE,       /* "dddd-dd-dd", digits from the api_version bytes
                   * (ASCII digits stay themselves) */
  API_DATE_BETA   /* the same, then "-beta" */
                  /* 5..7: the api_version bytes as they are */
};

/* The namespaces IPS has published (../shared/docs/ips-domain.md,
 * section 2). */
static const char *const documented_versions[] = {
    "2008-01-15",      "2008-09-10",      "2009-07-31",      "2010-01-31",
    "2011-11-04",      "2011-11-04-beta", "2012-02-14",      "2012-07-31",
    "2012-07-31-beta", "2013-02-15",      "2013-08-29-beta", "2014-04-03",
    "2016-01-14-beta", "2017-10-29-beta", "2021-01-11-beta", "2021-04-26-beta",
    "2022-11-01-beta", "2023-01-15"};

/* Option bytes 4-6 at 0xF0 and above give these instead of a valid value:
 * just out of range, far out, negative (as the enum's type takes it). */
static const int odd_enum_values[16] = {
    3,  4,  5,  7,    15,      255,     256,         65535,
    -1, -2, -3, -255, INT_MAX, INT_MIN, INT_MAX - 1, INT_MIN + 1};

typedef struct input {
  uint16_t null_mask;  /* bit i: string i is NULL */
  uint16_t ascii_mask; /* bit i: string i folded to printable ASCII */
  uint8_t soap, gzip, waiting, api;
  uint8_t has_status;
  uint16_t status;
  uint16_t size_sel; /* the buffer size */
  uint8_t piece;     /* the stream's buffer size - 1 */
  uint8_t stop_at;   /* the stream's callback stops at this call; 0 never */
  char *strings[NSTRINGS + 1]; /* exactly as long as they are, for ASan */
} input;

static char *
copy_string(fuzz_reader *r, int fold) {
  size_t n = fuzz_u8(r), i;
  char *s;
  if (n > r->n)
    n = r->n;
  s = malloc(n + 1u);
  if (s == NULL)
    fuzz_fail("out of memory");
  memcpy(s, r->p, n);
  s[n] = '\0';
  r->p += n;
  r->n -= n;
  /* Folding maps control characters onto punctuation (0x06 is '&', 0x1C
   * '<', 0x1E '>'): mostly valid strings, so that the XML checks run, with
   * the characters that need escaping. A NUL ends the string either way. */
  for (i = 0; fold && i < n; i++) {
    unsigned char c = (unsigned char)(s[i] & 0x7F);
    if (c != '\0' && c < 0x20 && c != '\t' && c != '\n' && c != '\r')
      c = (unsigned char)(c + 0x20);
    s[i] = (char)c;
  }
  return s;
}

static void
read_input(fuzz_reader *r, input *in) {
  size_t i;
  in->null_mask = fuzz_u16(r);
  in->ascii_mask = fuzz_u16(r);
  in->soap = fuzz_u8(r);
  in->gzip = fuzz_u8(r);
  in->waiting = fuzz_u8(r);
  in->api = fuzz_u8(r);
  in->has_status = fuzz_u8(r);
  in->status = fuzz_u16(r);
  in->size_sel = fuzz_u16(r);
  in->piece = fuzz_u8(r);
  in->stop_at = fuzz_u8(r);
  for (i = 0; i <= NSTRINGS; i++)
    in->strings[i] =
        copy_string(r, (((unsigned)in->ascii_mask >> i) & 1u) != 0);
}

static void
free_input(input *in) {
  size_t i;
  for (i = 0; i <= NSTRINGS; i++)
    free(in->strings[i]);
}

static int
enum_value(uint8_t sel, int valid_values) {
  if (sel >= 0xF0u)
    return odd_enum_values[sel - 0xF0u];
  return sel % valid_values;
}

/* The API version string, in *buf when it is made here. */
static const char *
api_version(const input *in, char buf[16]) {
  const char *bytes = in->strings[NSTRINGS];
  size_t len = strlen(bytes), i;
  switch (in->api & 7u) {
  case API_NULL:
    return NULL;
  case API_EMPTY:
    return "";
  case API_DOCUMENTED:
    return documented_versions[(in->api >> 3) %
                               (sizeof documented_versions /
                                sizeof documented_versions[0])];
  case API_DATE:
  case API_DATE_BETA:
    for (i = 0; i < 10; i++)
      buf[i] =
          (char)('0' + (i < len ? ((unsigned char)bytes[i] + 2u) % 10u : 0u));
    buf[4] = buf[7] = '-';
    strcpy(buf + 10, (in->api & 7u) == API_DATE_BETA ? "-beta" : "");
    return buf;
  default:
    return bytes;
  }
}

static void
make_request(const input *in, tp_request *r, char api_buf[16]) {
  int status;
  tp_request_init(r);
  r->soap_version = (tp_soap_version)enum_value(in->soap, 2);
  r->api_version = api_version(in, api_buf);
  r->user = in->strings[S_USER];
  r->password = in->strings[S_PASSWORD];
  r->access_token = in->strings[S_ACCESS_TOKEN];
  r->saml_response = in->strings[S_SAML_RESPONSE];
  r->locale = in->strings[S_LOCALE];
  r->app_name = in->strings[S_APP_NAME];
  r->app_version = in->strings[S_APP_VERSION];
  r->company_handle = in->strings[S_COMPANY_HANDLE];
  r->job_handle = in->strings[S_JOB_HANDLE];
  r->original_name = in->strings[S_ORIGINAL_NAME];
  r->gzip_response = (tp_optional_bool)enum_value(in->gzip, 3);
  r->include_waiting_jobs = (tp_optional_bool)enum_value(in->waiting, 3);
  r->has_fault_http_status_code = in->has_status;
  status = (int16_t)in->status;
  if (in->status == 0x7FFFu)
    status = INT_MAX;
  else if (in->status == 0x8000u)
    status = INT_MIN;
  r->fault_http_status_code = status;
}

/* The string members of *r, in slot order. */
static const char *
string_member(const tp_request *r, size_t i) {
  const char *const all[NSTRINGS] = {
      r->user,       r->password,     r->access_token, r->saml_response,
      r->locale,     r->app_name,     r->app_version,  r->company_handle,
      r->job_handle, r->original_name};
  return all[i];
}

/* ---- the oracle ------------------------------------------------------- */

/* Well-formed UTF-8 by the table of the Unicode standard (section 3.9,
 * table 3-7: the second byte's range depends on the first), holding only
 * characters XML 1.0 allows: no C0 control but tab, LF and CR, no U+FFFE
 * or U+FFFF. */
static int
valid_text(const char *text) {
  const unsigned char *s = (const unsigned char *)text;
  while (*s != '\0') {
    unsigned char b = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t more, k;
    if (b < 0x80) {
      if (b < 0x20 && b != '\t' && b != '\n' && b != '\r')
        return 0;
      s++;
      continue;
    }
    if (b >= 0xC2 && b <= 0xDF)
      more = 1;
    else if (b >= 0xE0 && b <= 0xEF)
      more = 2;
    else if (b >= 0xF0 && b <= 0xF4)
      more = 3;
    else
      return 0;
    if (b == 0xE0)
      lo = 0xA0;
    else if (b == 0xED)
      hi = 0x9F;
    else if (b == 0xF0)
      lo = 0x90;
    else if (b == 0xF4)
      hi = 0x8F;
    if (s[1] < lo || s[1] > hi)
      return 0;
    for (k = 2; k <= more; k++) {
      if (s[k] < 0x80 || s[k] > 0xBF)
        return 0;
    }
    if (b == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
      return 0;
    s += more + 1;
  }
  return 1;
}

static int
is_digits(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return 0;
  }
  return 1;
}

/* "", "YYYY-MM-DD" or "YYYY-MM-DD-beta", as the header gives the form. */
static int
valid_api_version(const char *v) {
  size_t n = strlen(v);
  if (n == 0)
    return 1;
  if (n != 10 && n != 15)
    return 0;
  if (!is_digits(v, 4) || v[4] != '-' || !is_digits(v + 5, 2) || v[7] != '-' ||
      !is_digits(v + 8, 2))
    return 0;
  return n == 10 || memcmp(v + 10, "-beta", 5) == 0;
}

static int
valid_bool(tp_optional_bool b) {
  return b == TP_BOOL_UNSET || b == TP_BOOL_FALSE || b == TP_BOOL_TRUE;
}

/* Whether the member named `member` is one the request cannot carry. */
static int
member_is_bad(const tp_request *r, const char *member) {
  size_t i;
  if (strcmp(member, "soap_version") == 0)
    return r->soap_version != TP_SOAP_11 && r->soap_version != TP_SOAP_12;
  if (strcmp(member, "api_version") == 0)
    return r->api_version != NULL && !valid_api_version(r->api_version);
  if (strcmp(member, "gzip_response") == 0)
    return !valid_bool(r->gzip_response);
  if (strcmp(member, "include_waiting_jobs") == 0)
    return !valid_bool(r->include_waiting_jobs);
  if (strcmp(member, "fault_http_status_code") == 0 ||
      strcmp(member, "has_fault_http_status_code") == 0)
    return r->has_fault_http_status_code != 0 &&
           (r->fault_http_status_code < 100 || r->fault_http_status_code > 599);
  for (i = 0; i < NSTRINGS; i++) {
    const char *s = string_member(r, i);
    if (strcmp(member, member_names[i]) != 0)
      continue;
    if (s == NULL)
      return i == S_APP_NAME || i == S_APP_VERSION;
    return !valid_text(s);
  }
  return 0; /* not a member */
}

static int
request_is_valid(const tp_request *r) {
  static const char *const others[] = {"soap_version", "api_version",
                                       "gzip_response", "include_waiting_jobs",
                                       "fault_http_status_code"};
  size_t i;
  for (i = 0; i < sizeof others / sizeof others[0]; i++) {
    if (member_is_bad(r, others[i]))
      return 0;
  }
  for (i = 0; i < NSTRINGS; i++) {
    if (member_is_bad(r, member_names[i]))
      return 0;
  }
  return 1;
}

/* ---- the XML check ---------------------------------------------------- */

/* The test suite's check of a written request (tests/request_check.c),
 * made once: its parser is reset for each input. It stays reachable to the
 * end, so LeakSanitizer does not count it. */
static void
check_xml(const tp_request *r, const char *doc, size_t len) {
  static request_checker *checker;
  const char *why;
  if (checker == NULL)
    checker = request_checker_new();
  if (checker == NULL)
    fuzz_fail("out of memory");
  why = request_checker_run(checker, r, doc, len);
  if (why != NULL) {
    fprintf(stderr, "%s\n", why);
    fuzz_fail("an accepted request is not exactly the one asked for");
  }
}

/* ---- the writers ------------------------------------------------------ */

static void
expect_untouched(const unsigned char *p, size_t n, const char *what) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (p[i] != GUARD_BYTE)
      fuzz_fail(what);
  }
}

/* A buffer of `size` bytes followed by GUARD guard bytes, all GUARD_BYTE. */
static unsigned char *
guarded(size_t size) {
  unsigned char *b = malloc(size + GUARD);
  if (b == NULL)
    fuzz_fail("out of memory");
  memset(b, GUARD_BYTE, size + GUARD);
  return b;
}

typedef struct collector {
  char *bytes; /* what the pieces put together */
  size_t len, cap;
  size_t size; /* the stream's buffer size */
  unsigned calls, stop_at;
  int short_piece; /* a piece shorter than size came: it must be the last */
} collector;

static int
collect(void *ud, const char *bytes, size_t length) {
  collector *c = ud;
  c->calls++;
  if (length == 0 || length > c->size)
    fuzz_fail("a piece is empty or larger than the stream's buffer");
  if (c->short_piece)
    fuzz_fail("a piece after one shorter than the stream's buffer");
  c->short_piece = length < c->size;
  if (c->cap - c->len < length)
    fuzz_fail("the pieces are longer than the request");
  memcpy(c->bytes + c->len, bytes, length);
  c->len += length;
  return c->stop_at != 0 && c->calls == c->stop_at;
}

/* The stream into a buffer of `size` bytes (exactly that, or followed by
 * guard bytes): its pieces against the full request `full`. */
static void
check_stream(const tp_request *r, const char *full, size_t len, size_t size,
             unsigned stop_at, int with_guard) {
  collector c;
  unsigned char *buf = with_guard ? guarded(size) : malloc(size);
  size_t got = UNTOUCHED_LENGTH;
  tp_status st;
  if (buf == NULL)
    fuzz_fail("out of memory");
  memset(&c, 0, sizeof c);
  c.cap = len;
  c.bytes = malloc(len);
  c.size = size;
  c.stop_at = stop_at;
  if (c.bytes == NULL)
    fuzz_fail("out of memory");
  st = tp_request_stream(r, (char *)buf, size, collect, &c, &got);
  if (with_guard)
    expect_untouched(buf + size, GUARD, "tp_request_stream wrote past size");
  if (stop_at != 0 && stop_at <= c.calls) {
    if (st != TP_STOPPED || c.calls != stop_at)
      fuzz_fail("tp_request_stream went on after the callback said stop");
  } else {
    if (st != TP_OK)
      fuzz_fail("tp_request_stream failed on an accepted request");
    if (c.len != len)
      fuzz_fail("tp_request_stream's pieces are not the whole request");
  }
  if (got != c.len)
    fuzz_fail("tp_request_stream's *length is not the bytes handed over");
  if (memcmp(c.bytes, full, c.len) != 0)
    fuzz_fail("tp_request_stream's pieces differ from tp_request_write's");
  free(c.bytes);
  free(buf);
}

static int
never_called(void *ud, const char *bytes, size_t length) {
  (void)ud;
  (void)bytes;
  (void)length;
  fuzz_fail("tp_request_stream called back for a refused request");
}

static void
check_refused(const tp_request *r, size_t size, size_t piece) {
  unsigned char *buf = guarded(size);
  size_t got = UNTOUCHED_LENGTH;
  const char *bad = "(not set)";

  if (tp_request_check(r, &bad) != TP_ERR_ARGUMENT)
    fuzz_fail("tp_request_check accepted an invalid request");
  if (bad == NULL || !member_is_bad(r, bad)) {
    fprintf(stderr, "bad_field: %s\n", bad ? bad : "NULL");
    fuzz_fail("tp_request_check named a member that is not at fault");
  }
  if (tp_request_write(r, NULL, 0, &got) != TP_ERR_ARGUMENT)
    fuzz_fail("tp_request_write measured an invalid request");
  if (got != UNTOUCHED_LENGTH)
    fuzz_fail("a refused measure set *length");
  if (tp_request_write(r, (char *)buf, size, &got) != TP_ERR_ARGUMENT)
    fuzz_fail("tp_request_write wrote an invalid request");
  if (got != UNTOUCHED_LENGTH)
    fuzz_fail("a refused write set *length");
  expect_untouched(buf, size + GUARD, "a refused write touched the buffer");
  free(buf);

  buf = guarded(piece);
  if (tp_request_stream(r, (char *)buf, piece, never_called, NULL, NULL) !=
      TP_ERR_ARGUMENT)
    fuzz_fail("tp_request_stream wrote an invalid request");
  expect_untouched(buf, piece + GUARD, "a refused stream touched its buffer");
  free(buf);
  if (r->soap_version != TP_SOAP_11 && r->soap_version != TP_SOAP_12 &&
      tp_request_header(r, 0) != NULL)
    fuzz_fail("tp_request_header gave a line for an unknown SOAP version");
}

/* A write into `size` bytes: the prefix of `full` that fits, NUL, and
 * nothing else. */
static void
check_cut(const tp_request *r, const char *full, size_t len, size_t size) {
  unsigned char *buf = guarded(size);
  char *exact = malloc(size);
  size_t got = UNTOUCHED_LENGTH, kept = 0;

  if (tp_request_write(r, (char *)buf, size, &got) != TP_OK || got != len)
    fuzz_fail("a write into a short buffer did not give the full length");
  expect_untouched(buf + size, GUARD, "tp_request_write wrote past size");
  if (size > 0) {
    kept = len < size ? len : size - 1;
    if (memcmp(buf, full, kept) != 0)
      fuzz_fail("a cut write is not a prefix of the full request");
    if (buf[kept] != '\0')
      fuzz_fail("a cut write is not NUL-terminated after the prefix");
    expect_untouched(buf + kept + 1, size - kept - 1,
                     "tp_request_write wrote after the NUL");
  }
  /* The same at exactly `size` bytes, for ASan (malloc(0) may give NULL,
   * which size 0 allows). */
  if (exact == NULL && size > 0)
    fuzz_fail("out of memory");
  got = UNTOUCHED_LENGTH;
  if (tp_request_write(r, exact, size, &got) != TP_OK || got != len)
    fuzz_fail("a write into an exact buffer did not give the full length");
  if (size > 0 && memcmp(exact, buf, (len < size ? len : size - 1) + 1) != 0)
    fuzz_fail("the same write gave different bytes");
  free(exact);
  free(buf);
}

/* The refusals of arguments no request makes valid (cheap, so every
 * input runs them). */
static void
check_bad_arguments(const tp_request *r) {
  char buf[8];
  const char *bad = "(not set)";
  size_t got = UNTOUCHED_LENGTH;
  if (tp_request_check(NULL, &bad) != TP_ERR_ARGUMENT || bad != NULL)
    fuzz_fail("tp_request_check took a NULL request");
  if (tp_request_write(NULL, buf, sizeof buf, &got) != TP_ERR_ARGUMENT ||
      tp_request_write(r, NULL, 1, &got) != TP_ERR_ARGUMENT ||
      got != UNTOUCHED_LENGTH)
    fuzz_fail("tp_request_write took a NULL request or buffer");
  if (tp_request_stream(NULL, buf, sizeof buf, never_called, NULL, &got) !=
          TP_ERR_ARGUMENT ||
      tp_request_stream(r, NULL, sizeof buf, never_called, NULL, &got) !=
          TP_ERR_ARGUMENT ||
      tp_request_stream(r, buf, 0, never_called, NULL, &got) !=
          TP_ERR_ARGUMENT ||
      tp_request_stream(r, buf, sizeof buf, NULL, NULL, &got) !=
          TP_ERR_ARGUMENT)
    fuzz_fail("tp_request_stream took a NULL or empty argument");
  if (tp_request_header(NULL, 0) != NULL)
    fuzz_fail("tp_request_header gave a line for a NULL request");
}

static void
check_headers(const tp_request *r) {
  const char *h0 = tp_request_header(r, 0);
  const char *h1 = tp_request_header(r, 1);
  if (h0 == NULL || strncmp(h0, "Content-Type: ", 14) != 0)
    fuzz_fail("no Content-Type header for a valid request");
  if (r->soap_version == TP_SOAP_12
          ? strstr(h0, "application/soap+xml") == NULL || h1 != NULL
          : strstr(h0, "text/xml") == NULL || h1 == NULL ||
                strncmp(h1, "SOAPAction: ", 12) != 0 ||
                tp_request_header(r, 2) != NULL)
    fuzz_fail("the HTTP headers do not match the SOAP version");
}

static void
check_accepted(const tp_request *r, const input *in) {
  size_t len = UNTOUCHED_LENGTH, got = UNTOUCHED_LENGTH, size;
  const char *bad = "(not set)";
  char *full;
  unsigned pieces;

  if (tp_request_check(r, &bad) != TP_OK || bad != NULL) {
    fprintf(stderr, "bad_field: %s\n", bad ? bad : "NULL");
    fuzz_fail("tp_request_check refused a valid request");
  }
  if (tp_request_write(r, NULL, 0, &len) != TP_OK)
    fuzz_fail("tp_request_write refused to measure a valid request");
  full = malloc(len + 1u);
  if (full == NULL)
    fuzz_fail("out of memory");
  if (tp_request_write(r, full, len + 1u, &got) != TP_OK || got != len)
    fuzz_fail("the full write's length is not the measured one");
  if (strlen(full) != len)
    fuzz_fail("the full request is not NUL-terminated at its length");
  check_headers(r);
  check_xml(r, full, len);

  size = (in->size_sel & 0x8000u) ? len + 1u + (in->size_sel & 0xFFu)
                                  : in->size_sel % (len + 2u);
  check_cut(r, full, len, size);
  /* The whole stream at the chosen piece size, then one stopped by the
   * callback (when stop_at is past the last piece it runs to the end). */
  check_stream(r, full, len, in->piece + 1u, 0, 0);
  pieces = (unsigned)((len + in->piece) / (in->piece + 1u));
  check_stream(r, full, len, in->piece + 1u,
               in->stop_at == 0 ? pieces : in->stop_at, 1);
  free(full);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_reader rd = {data, size};
  input in;
  tp_request r;
  char api_buf[16];
  size_t i;

  read_input(&rd, &in);
  for (i = 0; i < NSTRINGS; i++) {
    if (((unsigned)in.null_mask >> i) & 1u) {
      free(in.strings[i]);
      in.strings[i] = NULL;
    }
  }
  make_request(&in, &r, api_buf);
  check_bad_arguments(&r);
  if (request_is_valid(&r))
    check_accepted(&r, &in);
  else
    check_refused(&r, in.size_sel & 0x3FFu, in.piece + 1u);
  free_input(&in);
  return 0;
}
