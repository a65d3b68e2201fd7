/* xsd_datetime.c -- xsd:dateTime lexer and validator (XSD 1.1 lexical
 * rules: year 0000 allowed, no leap seconds, 24:00:00 rolls over).
 *
 * Every valid literal is short once its whitespace is gone and its fraction
 * cut to TP_DT_RUN digits, so feed only collects the text (cut so when it
 * would not fit) and end parses it whole. */
#include <string.h>

#include "values.h"

enum { DT_COPY = 0, DT_CUT, DT_BAD };
_Static_assert(DT_COPY == 0, "tp__datetime_begin (values.h) starts in state 0");

/* Years are 4 digits or more without a leading 0, and must fit int32. */
#define MAX_YEAR_DIGITS 10
_Static_assert(TP_DT_RUN >= MAX_YEAR_DIGITS, "a year is never cut");

static int
is_leap(int32_t y) {
  /* Proleptic Gregorian with XSD 1.1 numbering (0000 is 1 BCE, a leap
   * year); C's remainder keeps the dividend's sign, and only == 0 is
   * tested, so negative years work too. */
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static uint8_t
days_in_month(int32_t y, unsigned m) {
  static const uint8_t days[12] = {31, 28, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31};
  if (m == 2 && is_leap(y))
    return 29;
  return days[m - 1];
}

/* Keeps one character of the text in the cut form: no whitespace (and
 * none but trailing), digit runs past TP_DT_RUN dropped, at most one of
 * them (only the fraction may be that long) and remembered at `cut`. */
static uint8_t
keep(tp_datetime_lexer *lx, char c) {
  if (tp__is_xml_space(c)) {
    lx->trail = lx->len > 0;
    return DT_CUT;
  }
  if (lx->trail)
    return DT_BAD;
  if (tp__is_digit(c) && lx->run == TP_DT_RUN) {
    if (lx->cut != 0 && lx->cut != lx->len)
      return DT_BAD;
    lx->cut = lx->len;
    lx->cut_nonzero |= c != '0';
    return DT_CUT;
  }
  if (lx->len == TP_DT_TEXT)
    return DT_BAD;
  lx->text[lx->len++] = c;
  lx->run = tp__is_digit(c) ? (uint8_t)(lx->run + 1) : 0;
  return DT_CUT;
}

int
tp__datetime_feed(tp_datetime_lexer *lx, const char *s, size_t n) {
  size_t i = 0;
  if (lx->state == DT_COPY) {
    if (n <= (size_t)(TP_DT_TEXT - lx->len)) {
      memcpy(lx->text + lx->len, s, n);
      lx->len = (uint8_t)(lx->len + n);
      return 0;
    }
    /* It would not fit: on in the cut form, from the start. */
    {
      const uint8_t len = lx->len;
      lx->len = 0;
      for (uint8_t k = 0; k < len && lx->state != DT_BAD; k++)
        lx->state = keep(lx, lx->text[k]);
    }
  }
  for (; i < n && lx->state != DT_BAD; i++)
    lx->state = keep(lx, s[i]);
  return lx->state == DT_BAD ? -1 : 0;
}

/* Two digits at p as a number, or -1. */
static int
two_digits(const char *p) {
  const unsigned a = (unsigned char)p[0] - '0', b = (unsigned char)p[1] - '0';
  return a > 9u || b > 9u ? -1 : (int)(a * 10u + b);
}

/* The fraction at p (after the point): the first nine digits in ns, the
 * rest only whether any is not 0. Returns where it ends, NULL if it has
 * no digit. */
static const char *
fraction(const tp_datetime_lexer *lx, const char *p, tp_datetime *dt,
         int *nonzero) {
  static const uint32_t POW10[9] = {1,      10,      100,      1000,     10000,
                                    100000, 1000000, 10000000, 100000000};
  const char *first = p;
  uint32_t ns = 0;
  for (; tp__is_digit(*p) && p - first < 9; p++)
    ns = ns * 10u + (uint32_t)(*p - '0');
  if (p == first)
    return NULL;
  dt->nanosecond = ns * POW10[9 - (p - first)];
  *nonzero = ns != 0;
  for (; tp__is_digit(*p); p++)
    *nonzero |= *p != '0';
  if (lx->cut == p - lx->text)
    *nonzero |= lx->cut_nonzero;
  return p;
}

/* "hh:mm" after the sign at p, within +-14:00; returns where it ends. */
static const char *
offset(const char *p, const char *end, tp_datetime *dt) {
  int h, m;
  if (end - p < 6 || p[3] != ':')
    return NULL;
  h = two_digits(p + 1);
  m = two_digits(p + 4);
  if (h < 0 || m < 0 || h > 14 || m > 59 || (h == 14 && m != 0))
    return NULL;
  dt->tz_minutes = (int16_t)(*p == '-' ? -(h * 60 + m) : h * 60 + m);
  return p + 6;
}

/* The literal's fields, from -?YYYY+-MM-DDThh:mm:ss(.s+)?(Z|[+-]hh:mm)?,
 * unchecked against the calendar. */
static int
parse(tp_datetime_lexer *lx, tp_datetime *dt, int *frac_nonzero) {
  char *end = lx->text + lx->len;
  const char *p = lx->text, *year_digits;
  int64_t year;
  int negative, hi, lo;
  while (p < end && tp__is_xml_space(*p))
    p++;
  while (end > p && tp__is_xml_space(end[-1]))
    end--;
  *end = '\0'; /* ends every run of digits below */
  negative = *p == '-';
  year_digits = p += negative;
  if (end - p < 19)
    return -1;
  hi = two_digits(p);
  lo = two_digits(p + 2);
  if (hi < 0 || lo < 0)
    return -1;
  year = hi * 100 + lo;
  for (p += 4; tp__is_digit(*p) && p - year_digits < MAX_YEAR_DIGITS; p++)
    year = year * 10 + (*p - '0');
  if ((p - year_digits > 4 && *year_digits == '0') || year > INT32_MAX ||
      end - p < 15 || p[0] != '-' || p[3] != '-' || p[6] != 'T' ||
      p[9] != ':' || p[12] != ':')
    return -1;
  dt->year = (int32_t)(negative ? -year : year);
  {
    const int month = two_digits(p + 1), day = two_digits(p + 4),
              hour = two_digits(p + 7), minute = two_digits(p + 10),
              second = two_digits(p + 13);
    if ((month | day | hour | minute | second) < 0)
      return -1;
    dt->month = (uint8_t)month;
    dt->day = (uint8_t)day;
    dt->hour = (uint8_t)hour;
    dt->minute = (uint8_t)minute;
    dt->second = (uint8_t)second;
  }
  p += 15;
  dt->nanosecond = 0;
  *frac_nonzero = 0;
  if (*p == '.' && (p = fraction(lx, p + 1, dt, frac_nonzero)) == NULL)
    return -1;
  if (lx->cut != 0 && lx->cut != p - lx->text)
    return -1; /* a cut run that was not the fraction */
  dt->tz_is_z = *p == 'Z';
  dt->tz_minutes = dt->tz_is_z ? 0 : TP_TZ_NONE;
  if (dt->tz_is_z)
    p++;
  else if ((*p == '+' || *p == '-') && (p = offset(p, end, dt)) == NULL)
    return -1;
  return p == end ? 0 : -1;
}

int
tp__datetime_end(tp_datetime_lexer *lx, tp_datetime *out) {
  tp_datetime dt;
  int frac_nonzero;
  if (lx->state == DT_BAD || parse(lx, &dt, &frac_nonzero) != 0)
    return -1;
  if (dt.month < 1 || dt.month > 12 || dt.day < 1 ||
      dt.day > days_in_month(dt.year, dt.month) || dt.minute > 59 ||
      dt.second > 59)
    return -1;
  if (dt.hour == 24) {
    /* 24:00:00 (with a zero fraction) is the first instant of the next
     * day; anything later in hour 24 does not exist. */
    if (dt.minute != 0 || dt.second != 0 || frac_nonzero)
      return -1;
    dt.hour = 0;
    dt.day++;
    if (dt.day > days_in_month(dt.year, dt.month)) {
      dt.day = 1;
      dt.month++;
      if (dt.month > 12) {
        if (dt.year == INT32_MAX)
          return -1;
        dt.month = 1;
        dt.year++;
      }
    }
  } else if (dt.hour > 23) {
    return -1;
  }
  *out = dt;
  return 0;
}
