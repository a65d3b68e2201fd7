/* values.c -- the typed values as tpdump's formats and the text renderer
 * write them: doubles as Python's repr does, dateTimes as received.
 */
/* stdio.h first: newlib's inttypes.h defines PRId64 and PRIu64 only once
 * sys/types.h (which stdio.h includes) has defined the 64-bit types. */
#include <stdio.h>

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "show.h"

/* Writes `d` as Python's repr(float) does, so that the output is the same
 * whatever produced it and reads back to the same double: the fewest
 * significant digits that round-trip, positional for decimal exponents
 * -4..15 and scientific otherwise. The non-finite values, which JSON lacks,
 * become the xsd:double spellings as JSON strings. */
size_t
format_double(char *buf, size_t size, double d) {
  char sci[40];
  char digits[20];
  size_t nd = 0;
  size_t len = 0;
  const char *s;
  double mag;
  long exp10;
  int prec;

  if (isnan(d))
    return (size_t)snprintf(buf, size, "\"NaN\"");
  if (isinf(d))
    return (size_t)snprintf(buf, size, d < 0 ? "\"-INF\"" : "\"INF\"");
  mag = signbit(d) ? -d : d;
  /* %.16e always round-trips, so the loop ends with a usable `sci`. */
  for (prec = 0; prec <= 16; prec++) {
    snprintf(sci, sizeof sci, "%.*e", prec, mag);
    if (strtod(sci, NULL) == mag)
      break;
  }
  for (s = sci; *s != 'e'; s++)
    if (*s != '.')
      digits[nd++] = *s;
  exp10 = strtol(s + 1, NULL, 10);
  while (nd > 1 && digits[nd - 1] == '0')
    nd--;
  if (signbit(d))
    buf[len++] = '-';
  if (exp10 >= -4 && exp10 <= 15) {
    if (exp10 < 0) {
      long z;
      buf[len++] = '0';
      buf[len++] = '.';
      for (z = -1; z > exp10; z--)
        buf[len++] = '0';
      memcpy(buf + len, digits, nd);
      len += nd;
    } else {
      size_t int_digits = (size_t)exp10 + 1;
      size_t i;
      for (i = 0; i < int_digits; i++)
        buf[len++] = i < nd ? digits[i] : '0';
      buf[len++] = '.';
      if (nd > int_digits) {
        memcpy(buf + len, digits + int_digits, nd - int_digits);
        len += nd - int_digits;
      } else {
        buf[len++] = '0';
      }
    }
    buf[len] = '\0';
    return len;
  }
  buf[len++] = digits[0];
  if (nd > 1) {
    buf[len++] = '.';
    memcpy(buf + len, digits + 1, nd - 1);
    len += nd - 1;
  }
  buf[len] = '\0';
  return len + (size_t)snprintf(buf + len, size - len, "e%c%02ld",
                                exp10 < 0 ? '-' : '+',
                                exp10 < 0 ? -exp10 : exp10);
}

/* The dateTime as written (no conversion to UTC), as a JSON string. */
size_t
format_datetime(char *buf, size_t size, const tp_datetime *dt) {
  int64_t year = dt->year;
  size_t len;
  int n;

  n = snprintf(buf, size, "\"%s%04" PRId64 "-%02u-%02uT%02u:%02u:%02u",
               year < 0 ? "-" : "", year < 0 ? -year : year,
               (unsigned)dt->month, (unsigned)dt->day, (unsigned)dt->hour,
               (unsigned)dt->minute, (unsigned)dt->second);
  len = (size_t)n;
  if (dt->nanosecond != 0) {
    char frac[16];
    size_t fl =
        (size_t)snprintf(frac, sizeof frac, "%09" PRIu32, dt->nanosecond);
    while (fl > 0 && frac[fl - 1] == '0')
      fl--;
    frac[fl] = '\0';
    len += (size_t)snprintf(buf + len, size - len, ".%s", frac);
  }
  if (dt->tz_is_z) {
    len += (size_t)snprintf(buf + len, size - len, "Z");
  } else if (dt->tz_minutes != TP_TZ_NONE) {
    int tz = dt->tz_minutes;
    int a = tz < 0 ? -tz : tz;
    len += (size_t)snprintf(buf + len, size - len, "%c%02d:%02d",
                            tz < 0 ? '-' : '+', a / 60, a % 60);
  }
  len += (size_t)snprintf(buf + len, size - len, "\"");
  return len;
}
