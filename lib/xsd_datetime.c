/* xsd_datetime.c -- incremental xsd:dateTime lexer and validator (XSD 1.1
 * lexical rules: year 0000 allowed, no leap seconds, 24:00:00 rolls over). */
#include <string.h>

#include "values.h"

enum {
  DT_LEAD = 0,   /* leading whitespace, '-' or the first year digit */
  DT_YEAR_SIGN,  /* after '-': a year digit must follow */
  DT_YEAR,       /* year digits, until the '-' before the month */
  DT_BODY,       /* inside "MM-DDThh:mm:ss", `pos` indexes BODY */
  DT_AFTER_SEC,  /* seconds complete: '.', timezone, whitespace or end */
  DT_FRAC_FIRST, /* after '.': at least one digit */
  DT_FRAC,       /* fraction digits */
  DT_TZ,         /* inside "hh:mm" of the offset, `pos` indexes TZ */
  DT_TRAIL,      /* trailing whitespace only */
  DT_BAD
};
_Static_assert(DT_LEAD == 0, "tp__datetime_begin (values.h) starts in state 0");

/* '#' is a digit; every other character must match itself. */
static const char BODY[] = "##-##T##:##:##";
static const char TZ[] = "##:##";

#define BODY_LEN (sizeof BODY - 1)
#define TZ_LEN (sizeof TZ - 1)

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

/* Stores a completed two-digit number of the body into its field. */
static void
store_body_number(tp_datetime_lexer *lx) {
  switch (lx->pos) {
  case 2:
    lx->dt.month = lx->num;
    break;
  case 5:
    lx->dt.day = lx->num;
    break;
  case 8:
    lx->dt.hour = lx->num;
    break;
  case 11:
    lx->dt.minute = lx->num;
    break;
  default: /* 14 */
    lx->dt.second = lx->num;
    break;
  }
  lx->num = 0;
}

/* One character of the year, or the '-' that ends it. */
static uint8_t
year_char(tp_datetime_lexer *lx, char c) {
  if (c >= '0' && c <= '9') {
    if (lx->pos == 0)
      lx->year_first_zero = (uint8_t)(c == '0');
    /* More than four digits may not start with 0 ("01999" is invalid). */
    if (lx->pos >= 4 && lx->year_first_zero)
      return DT_BAD;
    lx->year_abs = lx->year_abs * 10 + (c - '0');
    if (lx->year_abs > INT32_MAX)
      return DT_BAD;
    if (lx->pos < UINT8_MAX)
      lx->pos++;
    return DT_YEAR;
  }
  if (c == '-' && lx->pos >= 4) {
    lx->pos = 0;
    return DT_BODY;
  }
  return DT_BAD;
}

static uint8_t
body_char(tp_datetime_lexer *lx, char c) {
  char want = BODY[lx->pos];
  if (want == '#') {
    if (c < '0' || c > '9')
      return DT_BAD;
    lx->num = (uint8_t)(lx->num * 10 + (c - '0'));
    lx->pos++;
    if (lx->pos == BODY_LEN || BODY[lx->pos] != '#')
      store_body_number(lx);
    return lx->pos == BODY_LEN ? DT_AFTER_SEC : DT_BODY;
  }
  if (c != want)
    return DT_BAD;
  lx->pos++;
  return DT_BODY;
}

/* A timezone designator or trailing whitespace after the seconds or the
 * fraction. */
static uint8_t
zone_start_char(tp_datetime_lexer *lx, char c) {
  if (c == 'Z') {
    lx->dt.tz_is_z = 1;
    lx->dt.tz_minutes = 0;
    return DT_TRAIL;
  }
  if (c == '+' || c == '-') {
    lx->tz_negative = (uint8_t)(c == '-');
    lx->pos = 0;
    lx->num = 0;
    lx->tz_hours = 0;
    return DT_TZ;
  }
  if (tp__is_xml_space(c))
    return DT_TRAIL;
  return DT_BAD;
}

static uint8_t
tz_char(tp_datetime_lexer *lx, char c) {
  char want = TZ[lx->pos];
  if (want == '#') {
    if (c < '0' || c > '9')
      return DT_BAD;
    lx->num = (uint8_t)(lx->num * 10 + (c - '0'));
    lx->pos++;
    if (lx->pos == 2) {
      lx->tz_hours = lx->num;
      lx->num = 0;
    }
    if (lx->pos < TZ_LEN)
      return DT_TZ;
    /* Offsets are limited to +-14:00 with minutes 00..59. */
    if (lx->tz_hours > 14 || lx->num > 59 ||
        (lx->tz_hours == 14 && lx->num != 0))
      return DT_BAD;
    {
      int minutes = lx->tz_hours * 60 + lx->num;
      lx->dt.tz_minutes = (int16_t)(lx->tz_negative ? -minutes : minutes);
    }
    return DT_TRAIL;
  }
  if (c != want)
    return DT_BAD;
  lx->pos++;
  return DT_TZ;
}

static uint8_t
step(tp_datetime_lexer *lx, char c) {
  switch (lx->state) {
  case DT_LEAD:
    if (tp__is_xml_space(c))
      return DT_LEAD;
    if (c == '-') {
      lx->year_negative = 1;
      return DT_YEAR_SIGN;
    }
    return year_char(lx, c);
  case DT_YEAR_SIGN:
  case DT_YEAR:
    return year_char(lx, c);
  case DT_BODY:
    return body_char(lx, c);
  case DT_AFTER_SEC:
    if (c == '.')
      return DT_FRAC_FIRST;
    return zone_start_char(lx, c);
  case DT_FRAC_FIRST:
  case DT_FRAC:
    if (c >= '0' && c <= '9') {
      /* Digits past the ninth are validated and dropped (truncation). */
      if (c != '0')
        lx->frac_nonzero = 1;
      lx->dt.nanosecond += (uint32_t)(c - '0') * lx->frac_scale;
      lx->frac_scale /= 10u;
      return DT_FRAC;
    }
    if (lx->state == DT_FRAC_FIRST)
      return DT_BAD;
    return zone_start_char(lx, c);
  case DT_TZ:
    return tz_char(lx, c);
  case DT_TRAIL:
    return tp__is_xml_space(c) ? DT_TRAIL : DT_BAD;
  default:
    return DT_BAD;
  }
}

/* Speed only: TP_OPTIMIZE_SIZE (README, "On a microcontroller") compiles
 * the one-go prefix and suffix out, and step() reads them instead. */
#if !defined(TP_OPTIMIZE_SIZE)
static uint8_t
two_digits(const char *s) {
  return (uint8_t)((s[0] - '0') * 10 + (s[1] - '0'));
}

/* Whether the eight bytes at s have the shape `pat`, where '0' stands for
 * any digit and every other byte must match itself. XOR with the pattern
 * leaves a digit position holding 0..9 and any other position 0 when the
 * byte is right (*y gets that word); adding 6 to the digit positions
 * carries into the high nibble exactly when the value was above 9. A byte
 * that is far off can carry into its neighbour, but it has already failed
 * the first test. */
static int
matches8(const char *s, const char pat[8], const char high[8],
         const char six[8], const char exact[8], uint64_t *y) {
  *y = tp__load8(s) ^ tp__load8(pat);
  return ((*y & (tp__load8(high) | tp__load8(exact))) |
          ((*y + tp__load8(six)) & tp__load8(high))) == 0;
}

/* "YYYY-MM-" and "hh:mm:ss": the two words the common prefix checks. */
static const char DATE_PAT[8] = {'0', '0', '0', '0', '-', '0', '0', '-'};
static const char DATE_HIGH[8] = {'\xf0', '\xf0', '\xf0', '\xf0',
                                  0,      '\xf0', '\xf0', 0};
static const char DATE_SIX[8] = {6, 6, 6, 6, 0, 6, 6, 0};
static const char DATE_EXACT[8] = {0, 0, 0, 0, '\xff', 0, 0, '\xff'};
static const char TIME_PAT[8] = {'0', '0', ':', '0', '0', ':', '0', '0'};
static const char TIME_HIGH[8] = {'\xf0', '\xf0', 0,      '\xf0',
                                  '\xf0', 0,      '\xf0', '\xf0'};
static const char TIME_SIX[8] = {6, 6, 0, 6, 6, 0, 6, 6};
static const char TIME_EXACT[8] = {0, 0, '\xff', 0, 0, '\xff', 0, 0};

/* Byte k of a little-endian word. */
#define BYTE_AT(w, k) ((uint8_t)((w) >> (8 * (k))))

/* The common case, "YYYY-MM-DDThh:mm:ss" with a four-digit year at the
 * very start of the text and in one piece, read in one go; the result is
 * the state the character-by-character path would reach. */
static size_t
fast_prefix(tp_datetime_lexer *lx, const char *s, size_t n) {
  uint64_t date, time;
  if (n < 19 ||
      !matches8(s, DATE_PAT, DATE_HIGH, DATE_SIX, DATE_EXACT, &date) ||
      !tp__is_digit(s[8]) || !tp__is_digit(s[9]) || s[10] != 'T' ||
      !matches8(s + 11, TIME_PAT, TIME_HIGH, TIME_SIX, TIME_EXACT, &time))
    return 0;
  if (tp__little_endian()) {
    /* Digit values are 0..9 in place, separators 0: ten times each byte
     * plus the next gives every two-digit number at its first byte. */
    date = date * 10u + (date >> 8);
    time = time * 10u + (time >> 8);
    lx->year_abs = BYTE_AT(date, 0) * 100 + BYTE_AT(date, 2);
    lx->dt.month = BYTE_AT(date, 5);
    lx->dt.hour = BYTE_AT(time, 0);
    lx->dt.minute = BYTE_AT(time, 3);
    lx->dt.second = BYTE_AT(time, 6);
  } else {
    lx->year_abs = two_digits(s) * 100 + two_digits(s + 2);
    lx->dt.month = two_digits(s + 5);
    lx->dt.hour = two_digits(s + 11);
    lx->dt.minute = two_digits(s + 14);
    lx->dt.second = two_digits(s + 17);
  }
  lx->dt.day = two_digits(s + 8);
  lx->year_first_zero = (uint8_t)(s[0] == '0');
  lx->pos = 4;
  lx->state = DT_AFTER_SEC;
  return 19;
}

/* After a fast prefix: the fraction and a "+hh:mm" offset, when they are
 * in this piece, in one go too; the same states as step() would reach. */
static size_t
fast_suffix(tp_datetime_lexer *lx, const char *s, size_t n, size_t i) {
  if (i < n && s[i] == '.') {
    static const uint32_t POW10[10] = {1,         10,        100,     1000,
                                       10000,     100000,    1000000, 10000000,
                                       100000000, 1000000000};
    const size_t first = ++i;
    size_t k;
    uint32_t v = 0;
    if (n - i >= 4 && tp__is_digit(s[i]) & tp__is_digit(s[i + 1]) &
                          tp__is_digit(s[i + 2]) & !tp__is_digit(s[i + 3])) {
      /* Milliseconds, what servers print. */
      v = (uint32_t)two_digits(s + i) * 10u + (uint32_t)(s[i + 2] - '0');
      i += 3;
    } else {
      /* Up to nine digits here; a tenth and later go through step(). */
      while (i < n && i - first < 9 && tp__is_digit(s[i]))
        v = v * 10u + (uint32_t)(s[i++] - '0');
    }
    k = i - first;
    if (k == 0) {
      lx->state = DT_FRAC_FIRST;
      return i;
    }
    lx->dt.nanosecond = v * POW10[9 - k];
    lx->frac_scale = k < 9 ? POW10[8 - k] : 0u;
    lx->frac_nonzero = (uint8_t)(v != 0);
    lx->state = DT_FRAC;
    if (k == 9)
      return i;
  }
  if (i + 6 <= n && ((s[i] == '+') | (s[i] == '-')) & tp__is_digit(s[i + 1]) &
                        tp__is_digit(s[i + 2]) & (s[i + 3] == ':') &
                        tp__is_digit(s[i + 4]) & tp__is_digit(s[i + 5])) {
    uint8_t h = two_digits(s + i + 1), m = two_digits(s + i + 4);
    int minutes = h * 60 + m;
    if (h > 14 || m > 59 || (h == 14 && m != 0)) {
      lx->state = DT_BAD;
      return i;
    }
    lx->dt.tz_minutes = (int16_t)(s[i] == '-' ? -minutes : minutes);
    lx->state = DT_TRAIL;
    i += 6;
  }
  return i;
}
#endif

int
tp__datetime_feed(tp_datetime_lexer *lx, const char *s, size_t n) {
  size_t i = 0;
#if !defined(TP_OPTIMIZE_SIZE)
  if (lx->state == DT_LEAD) {
    i = fast_prefix(lx, s, n);
    if (i > 0)
      i = fast_suffix(lx, s, n, i);
  }
#endif
  for (; i < n && lx->state != DT_BAD; i++)
    lx->state = step(lx, s[i]);
  return lx->state == DT_BAD ? -1 : 0;
}

int
tp__datetime_end(tp_datetime_lexer *lx, tp_datetime *out) {
  tp_datetime dt = lx->dt;
  if (lx->state != DT_AFTER_SEC && lx->state != DT_FRAC &&
      lx->state != DT_TRAIL)
    return -1;
  dt.year = lx->year_negative ? -(int32_t)lx->year_abs : (int32_t)lx->year_abs;
  if (dt.month < 1 || dt.month > 12)
    return -1;
  if (dt.day < 1 || dt.day > days_in_month(dt.year, dt.month))
    return -1;
  if (dt.minute > 59 || dt.second > 59)
    return -1;
  if (dt.hour == 24) {
    /* 24:00:00 (with a zero fraction) is the first instant of the next
     * day; anything later in hour 24 does not exist. */
    if (dt.minute != 0 || dt.second != 0 || lx->frac_nonzero)
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
