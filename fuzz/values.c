/* values.c -- fuzz harness: the xsd:int, xsd:double and xsd:dateTime lexers
 * alone, fed whole, split at input-chosen points and byte by byte, against
 * independent references: a grammar matcher plus plain arithmetic for int,
 * the XSD 1.1 doubleRep grammar plus strtod_l in the C locale for double,
 * and a reference parser plus round-trip invariants for dateTime. */
#define _GNU_SOURCE /* strtod_l, newlocale */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "values.h"

/* Option byte 0: which lexer in the two low bits (int, double, dateTime;
 * 3 is int again), then: */
#define OPT_SECOND_CUT 0x04u /* two cut points instead of one */
#define OPT_BYTEWISE 0x08u   /* also one byte per feed */

#define MAX_CUTS 2u

/* A literal and how to cut it: `ncuts` sorted offsets. */
typedef struct pieces {
  const char *s;
  size_t n;
  size_t cuts[MAX_CUTS];
  size_t ncuts;
  int bytewise; /* ignore cuts: one byte per feed */
} pieces;

/* Runs `feed` over the pieces; returns 1 if any feed said "invalid". */
static int
feed_pieces(void *lx, lex_feed_fn feed, const pieces *p) {
  if (p->bytewise)
    return lex_feed_bytewise(lx, feed, p->s, p->n);
  return lex_feed_pieces(lx, feed, p->s, p->n, p->cuts, p->ncuts);
}

/* A feed that said "invalid" is final: the end must agree. */
static void
check_sticky(int feed_failed, int end_result) {
  if (feed_failed && end_result == 0)
    fuzz_fail("a lexer accepted a literal after a feed rejected it");
}

/* ---- the references --------------------------------------------------- */

static int
is_digit(char c) {
  return c >= '0' && c <= '9';
}

/* whiteSpace=collapse for these types: only leading and trailing XML
 * whitespace can go; any inside makes the literal invalid anyway. */
static void
collapse(const char **s, size_t *n) {
  while (*n > 0 && tp__is_xml_space((unsigned char)(*s)[0])) {
    (*s)++;
    (*n)--;
  }
  while (*n > 0 && tp__is_xml_space((unsigned char)(*s)[*n - 1]))
    (*n)--;
}

static size_t
count_digits(const char *s, size_t n, size_t i) {
  size_t k = 0;
  while (i + k < n && is_digit(s[i + k]))
    k++;
  return k;
}

/* xsd:int: [+-]?[0-9]+ within [-2^31, 2^31-1]. */
static int
ref_int(const char *s, size_t n, int32_t *out) {
  size_t i = 0, k;
  int negative = 0;
  uint64_t v = 0;
  collapse(&s, &n);
  if (i < n && (s[i] == '+' || s[i] == '-'))
    negative = s[i++] == '-';
  k = count_digits(s, n, i);
  if (k == 0 || i + k != n)
    return -1;
  while (i < n && s[i] == '0')
    i++;
  if (n - i > 10)
    return -1; /* at least 10^10 */
  for (; i < n; i++)
    v = v * 10u + (uint64_t)(s[i] - '0');
  if (v > (negative ? 2147483648u : 2147483647u))
    return -1;
  *out = negative ? (int32_t)(-(int64_t)v) : (int32_t)v;
  return 0;
}

/* XSD 1.1 doubleRep: (+|-)?(digits(.digits?)?|.digits)([Ee](+|-)?digits)?
 * or (+|-)?INF or NaN. Returns 0 for a number, 1 INF, 2 -INF, 3 NaN, -1
 * invalid. */
static int
ref_double_grammar(const char *s, size_t n) {
  size_t i = 0, a, b = 0;
  if (n == 3 && memcmp(s, "INF", 3) == 0)
    return 1;
  if (n == 4 && memcmp(s, "+INF", 4) == 0)
    return 1;
  if (n == 4 && memcmp(s, "-INF", 4) == 0)
    return 2;
  if (n == 3 && memcmp(s, "NaN", 3) == 0)
    return 3;
  if (i < n && (s[i] == '+' || s[i] == '-'))
    i++;
  a = count_digits(s, n, i);
  i += a;
  if (i < n && s[i] == '.') {
    i++;
    b = count_digits(s, n, i);
    i += b;
  }
  if (a == 0 && b == 0)
    return -1;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    size_t e;
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-'))
      i++;
    e = count_digits(s, n, i);
    if (e == 0)
      return -1;
    i += e;
  }
  return i == n ? 0 : -1;
}

static int
is_nan_bits(uint64_t b) {
  return (b & 0x7ff0000000000000u) == 0x7ff0000000000000u &&
         (b & 0x000fffffffffffffu) != 0;
}

/* The reference value: grammar first (strtod takes far more: hex, "inf",
 * "nan", "1e"), then strtod_l in the C locale, which rounds correctly and,
 * like XSD 1.1, gives +-INF beyond the range and +-0 below it. */
static int
ref_double(const char *s, size_t n, uint64_t *out) {
  static locale_t c_locale;
  char *copy, *end;
  double d;
  collapse(&s, &n);
  switch (ref_double_grammar(s, n)) {
  case -1:
    return -1;
  case 1:
    *out = 0x7ff0000000000000u;
    return 0;
  case 2:
    *out = 0xfff0000000000000u;
    return 0;
  case 3:
    *out = 0x7ff8000000000000u;
    return 0;
  default:
    break;
  }
  if (c_locale == (locale_t)0) {
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (c_locale == (locale_t)0)
      fuzz_fail("newlocale(C) failed");
  }
  copy = malloc(n + 1u);
  if (copy == NULL)
    fuzz_fail("out of memory");
  memcpy(copy, s, n);
  copy[n] = '\0';
  d = strtod_l(copy, &end, c_locale);
  if (end != copy + n)
    fuzz_fail("strtod_l stopped early on a grammatical literal (harness bug)");
  free(copy);
  *out = bits_of(d);
  return 0;
}

static int
is_leap(int64_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static unsigned
days_in(int64_t y, unsigned m) {
  static const unsigned char days[12] = {31, 28, 31, 30, 31, 30,
                                         31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29u : days[m - 1];
}

/* Two digits at s[i]; -1 if they are not. */
static int
two_digits(const char *s, size_t n, size_t i) {
  if (i + 2 > n || !is_digit(s[i]) || !is_digit(s[i + 1]))
    return -1;
  return (s[i] - '0') * 10 + (s[i + 1] - '0');
}

/* XSD 1.1 dateTime: -?YYYY+-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?, with the
 * value constraints (day for the month and year, 24:00:00 only with a zero
 * fraction and then the next day, offsets within +-14:00). Years beyond
 * int32 are rejected: tp_datetime cannot hold them. */
static int
ref_datetime(const char *s, size_t n, tp_datetime *out) {
  size_t i = 0, k;
  int negative = 0, frac_nonzero = 0;
  int64_t year = 0;
  int month, day, hour, minute, second;
  uint32_t ns = 0, scale = 100000000u;
  tp_datetime dt;
  collapse(&s, &n);
  if (i < n && s[i] == '-') {
    negative = 1;
    i++;
  }
  k = count_digits(s, n, i);
  if (k < 4 || (k > 4 && s[i] == '0') || k > 10)
    return -1;
  for (; k > 0; k--, i++)
    year = year * 10 + (s[i] - '0');
  if (year > INT32_MAX)
    return -1;
  if (negative)
    year = -year;
  if (i >= n || s[i++] != '-' || (month = two_digits(s, n, i)) < 0)
    return -1;
  i += 2;
  if (i >= n || s[i++] != '-' || (day = two_digits(s, n, i)) < 0)
    return -1;
  i += 2;
  if (i >= n || s[i++] != 'T' || (hour = two_digits(s, n, i)) < 0)
    return -1;
  i += 2;
  if (i >= n || s[i++] != ':' || (minute = two_digits(s, n, i)) < 0)
    return -1;
  i += 2;
  if (i >= n || s[i++] != ':' || (second = two_digits(s, n, i)) < 0)
    return -1;
  i += 2;
  if (i < n && s[i] == '.') {
    i++;
    k = count_digits(s, n, i);
    if (k == 0)
      return -1;
    for (; k > 0; k--, i++) {
      frac_nonzero |= s[i] != '0';
      ns += (uint32_t)(s[i] - '0') * scale;
      scale /= 10u;
    }
  }
  memset(&dt, 0, sizeof dt);
  dt.tz_minutes = TP_TZ_NONE;
  if (i < n && s[i] == 'Z') {
    dt.tz_is_z = 1;
    dt.tz_minutes = 0;
    i++;
  } else if (i < n && (s[i] == '+' || s[i] == '-')) {
    int tz_negative = s[i++] == '-', th, tm;
    if ((th = two_digits(s, n, i)) < 0)
      return -1;
    i += 2;
    if (i >= n || s[i++] != ':' || (tm = two_digits(s, n, i)) < 0)
      return -1;
    i += 2;
    if (th > 14 || tm > 59 || (th == 14 && tm != 0))
      return -1;
    dt.tz_minutes = (int16_t)(tz_negative ? -(th * 60 + tm) : th * 60 + tm);
  }
  if (i != n)
    return -1;
  if (month < 1 || month > 12 || day < 1 ||
      (unsigned)day > days_in(year, (unsigned)month))
    return -1;
  if (minute > 59 || second > 59)
    return -1;
  if (hour == 24) {
    if (minute != 0 || second != 0 || frac_nonzero)
      return -1;
    hour = 0;
    if ((unsigned)++day > days_in(year, (unsigned)month)) {
      day = 1;
      if (++month > 12) {
        month = 1;
        if (++year > INT32_MAX)
          return -1;
      }
    }
  } else if (hour > 23) {
    return -1;
  }
  dt.year = (int32_t)year;
  dt.month = (uint8_t)month;
  dt.day = (uint8_t)day;
  dt.hour = (uint8_t)hour;
  dt.minute = (uint8_t)minute;
  dt.second = (uint8_t)second;
  dt.nanosecond = ns;
  *out = dt;
  return 0;
}

static int
same_datetime(const tp_datetime *a, const tp_datetime *b) {
  return a->year == b->year && a->month == b->month && a->day == b->day &&
         a->hour == b->hour && a->minute == b->minute &&
         a->second == b->second && a->nanosecond == b->nanosecond &&
         a->tz_is_z == b->tz_is_z && a->tz_minutes == b->tz_minutes;
}

/* ---- the checks ------------------------------------------------------- */

static void
check_int(const pieces *p) {
  tp_int_lexer lx;
  int32_t got = 0, want = 0;
  int failed, r, ref;
  tp__int_begin(&lx);
  failed = feed_pieces(&lx, lex_feed_int, p);
  r = tp__int_end(&lx, &got);
  check_sticky(failed, r);
  ref = ref_int(p->s, p->n, &want);
  if (r != ref)
    fuzz_fail(r == 0 ? "xsd:int accepted an invalid literal"
                     : "xsd:int rejected a valid literal");
  if (r == 0 && got != want)
    fuzz_fail("xsd:int value differs from the reference");
}

static void
check_double(const pieces *p) {
  tp_double_lexer *lx = malloc(sizeof *lx); /* ~900 bytes */
  double got = 0;
  uint64_t want = 0, got_bits;
  int failed, r, ref;
  if (lx == NULL)
    fuzz_fail("out of memory");
  tp__double_begin(lx);
  failed = feed_pieces(lx, lex_feed_double, p);
  r = tp__double_end(lx, &got);
  free(lx);
  check_sticky(failed, r);
  ref = ref_double(p->s, p->n, &want);
  if (r != ref)
    fuzz_fail(r == 0 ? "xsd:double accepted an invalid literal"
                     : "xsd:double rejected a valid literal");
  if (r != 0)
    return;
  got_bits = bits_of(got);
  if (is_nan_bits(want) ? !is_nan_bits(got_bits) : got_bits != want) {
    fprintf(stderr, "xsd:double: got %016llx, strtod_l %016llx\n",
            (unsigned long long)got_bits, (unsigned long long)want);
    fuzz_fail("xsd:double value differs from strtod_l");
  }
}

/* Writes dt in the canonical lexical form the lexer must read back. */
static size_t
format_datetime(const tp_datetime *dt, char *buf, size_t size) {
  int64_t y = dt->year;
  int n = snprintf(buf, size, "%s%04lld-%02u-%02uT%02u:%02u:%02u.%09lu",
                   y < 0 ? "-" : "", (long long)(y < 0 ? -y : y),
                   (unsigned)dt->month, (unsigned)dt->day, (unsigned)dt->hour,
                   (unsigned)dt->minute, (unsigned)dt->second,
                   (unsigned long)dt->nanosecond);
  if (n < 0 || (size_t)n >= size)
    fuzz_fail("dateTime format overflow (harness bug)");
  if (dt->tz_is_z) {
    n += snprintf(buf + n, size - (size_t)n, "Z");
  } else if (dt->tz_minutes != TP_TZ_NONE) {
    int m = dt->tz_minutes;
    n += snprintf(buf + n, size - (size_t)n, "%c%02d:%02d", m < 0 ? '-' : '+',
                  (m < 0 ? -m : m) / 60, (m < 0 ? -m : m) % 60);
  }
  return (size_t)n;
}

static void
check_datetime(const pieces *p) {
  tp_datetime_lexer lx;
  tp_datetime got, want, again;
  int failed, r, ref;
  memset(&got, 0, sizeof got);
  tp__datetime_begin(&lx);
  failed = feed_pieces(&lx, lex_feed_datetime, p);
  r = tp__datetime_end(&lx, &got);
  check_sticky(failed, r);
  ref = ref_datetime(p->s, p->n, &want);
  if (r != ref)
    fuzz_fail(r == 0 ? "xsd:dateTime accepted an invalid literal"
                     : "xsd:dateTime rejected a valid literal");
  if (r != 0)
    return;
  if (!same_datetime(&got, &want))
    fuzz_fail("xsd:dateTime fields differ from the reference");
  /* Round trip: the value written canonically reads back the same, and
   * the reference agrees on that text too. */
  {
    char text[80];
    size_t len = format_datetime(&got, text, sizeof text);
    tp__datetime_begin(&lx);
    if (tp__datetime_feed(&lx, text, len) != 0 ||
        tp__datetime_end(&lx, &again) != 0 || !same_datetime(&got, &again))
      fuzz_fail("xsd:dateTime does not read back its canonical form");
    if (ref_datetime(text, len, &again) != 0 || !same_datetime(&got, &again))
      fuzz_fail("the canonical dateTime form is not valid (harness bug)");
  }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_reader r = {data, size};
  uint8_t opt = fuzz_u8(&r);
  uint16_t c0 = fuzz_u16(&r), c1 = fuzz_u16(&r);
  pieces p;
  p.s = (const char *)r.p;
  p.n = r.n;
  p.bytewise = 0;
  p.cuts[0] = c0 % (p.n + 1u);
  p.cuts[1] = c1 % (p.n + 1u);
  p.ncuts = (opt & OPT_SECOND_CUT) ? 2u : 1u;
  if (p.ncuts == 2 && p.cuts[1] < p.cuts[0]) {
    size_t t = p.cuts[0];
    p.cuts[0] = p.cuts[1];
    p.cuts[1] = t;
  }
  for (;;) {
    switch ((opt & 0x03u) % 3u) {
    case 0:
      check_int(&p);
      break;
    case 1:
      check_double(&p);
      break;
    default:
      check_datetime(&p);
      break;
    }
    if (p.bytewise || !(opt & OPT_BYTEWISE))
      break;
    p.bytewise = 1;
  }
  return 0;
}
