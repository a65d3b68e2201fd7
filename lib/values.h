/* values.h -- incremental lexers for xsd:int, xsd:double and xsd:dateTime.
 *
 * Internal to the library (hidden symbols, tp__ prefix). Each lexer takes
 * the element's text in any number of pieces, so a value split across
 * chunks or expat callbacks is never parsed from partial text, and its
 * memory is constant whatever the text's length (whitespace padding and
 * leading zeros of any length decode).
 *
 * Protocol, the same for all three:
 *   tp__X_begin(&lx);                       before the text
 *   tp__X_feed(&lx, s, n);                  for every piece (n may be 0)
 *   tp__X_end(&lx, &out);                   after the last piece
 * feed returns -1 once it has seen that the text cannot be valid (sticky:
 * later feeds keep returning -1), else 0; the dateTime lexer mostly sees
 * it only at end. end returns 0 and stores the value, or -1 (out
 * untouched) when the whole text is not a valid literal.
 * All three apply whiteSpace=collapse: only U+0020, U+0009, U+000A and
 * U+000D count as whitespace, and only before or after the literal.
 */
#ifndef TP_VALUES_H
#define TP_VALUES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "taskprogress.h"

/* A switch case that goes on into the next one, said so that
 * -Wimplicit-fallthrough (GCC and Clang) knows; a no-op elsewhere. */
#if defined(__has_attribute)
#if __has_attribute(fallthrough)
#define TP_FALLTHROUGH __attribute__((fallthrough))
#endif
#endif
#ifndef TP_FALLTHROUGH
#define TP_FALLTHROUGH ((void)0)
#endif

/* XML's whitespace, the only characters whiteSpace=collapse removes. */
static inline int
tp__is_xml_space(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline int
tp__is_digit(char c) {
  return (unsigned char)(c - '0') <= 9u;
}

/* ---- xsd:int ---------------------------------------------------------- */

typedef struct tp_int_lexer {
  uint32_t magnitude; /* absolute value so far; <= 2147483648 */
  uint8_t state;
  uint8_t negative;
} tp_int_lexer;

/* Each lexer starts all 0 (state 0 is its LEAD state), but for the text
 * it keeps, which is only read below its length. Inline: one runs for
 * every typed field. */
static inline void
tp__int_begin(tp_int_lexer *lx) {
  memset(lx, 0, sizeof *lx);
}
int tp__int_feed(tp_int_lexer *lx, const char *s, size_t n);
int tp__int_end(tp_int_lexer *lx, int32_t *out);

/* ---- xsd:double ------------------------------------------------------- */

/* Significant digits kept for correct rounding. 768 decimal digits decide
 * the rounding of any double; digits beyond the buffer only matter as
 * "something non-zero follows" (trunc). */
#define TP_DECIMAL_DIGITS 800

/* An exact decimal: value = 0.d[0]d[1]...d[nd-1] x 10^dp, with `trunc` set
 * when non-zero digits were dropped after d[nd-1]. Digits are values 0..9,
 * d[0] != 0 when nd > 0, and there are no trailing zeros. */
/* Room for the digits a left shift can add (decimal.c asserts it is
 * enough): the conversion shifts in place, right-aligned in this headroom,
 * instead of in a stack buffer. */
#define TP_DECIMAL_HEADROOM 19

typedef struct tp_decimal {
  uint8_t d[TP_DECIMAL_DIGITS + 1 + TP_DECIMAL_HEADROOM];
  uint32_t nd;
  int32_t dp;
  uint8_t negative;
  uint8_t trunc;
} tp_decimal;

/* Converts *dec to the nearest double (ties to even), destroying *dec.
 * Too large gives +-INF and too small +-0, as XSD 1.1's doubleRound does.
 * Needs dp within +-100000 (callers clamp: beyond that the result is
 * INF or 0 anyway). */
double tp__decimal_to_double(tp_decimal *dec);

/* The bits of the magnitude m x 10^e10 (m > 0) when a short exact path
 * applies (the doubles servers print); returns 0, and *bits untouched,
 * when only tp__decimal_to_double can. */
int tp__decimal_small(uint64_t m, int64_t e10, uint64_t *bits);

/* The mantissa's digits go to `mant` while they fit, then all to dec.d.
 * Either way the value is those digits, as an integer, x 10^(scale +-
 * exponent). */
typedef struct tp_double_lexer {
  tp_decimal dec;
  uint64_t mant;
  int64_t scale;    /* -1 per digit after the point, +1 per one dropped */
  int64_t exponent; /* the E part, saturated */
  uint8_t state;
  uint8_t exp_negative;
  uint8_t word_pos; /* position inside INF / NaN */
  uint8_t special;  /* 0 number, 1 INF, 2 NaN */
  uint8_t kept;     /* significant digits in mant */
} tp_double_lexer;

static inline void
tp__double_begin(tp_double_lexer *lx) {
  memset(&lx->dec.nd, 0, sizeof *lx - offsetof(tp_double_lexer, dec.nd));
}
_Static_assert(offsetof(tp_double_lexer, dec.nd) ==
                   TP_DECIMAL_DIGITS + 1 + TP_DECIMAL_HEADROOM,
               "tp__double_begin clears all but the digits, which come first");
int tp__double_feed(tp_double_lexer *lx, const char *s, size_t n);
int tp__double_end(tp_double_lexer *lx, double *out);

/* ---- xsd:dateTime ----------------------------------------------------- */

/* Digits kept of a run: a year's ten (more can't fit int32) and, in the
 * fraction, one past the nine that count, so that any cut is seen. */
#define TP_DT_RUN 10

/* The longest valid literal once cut: -YYYYYYYYYY-MM-DDThh:mm:ss, a point,
 * TP_DT_RUN fraction digits and +hh:mm. */
#define TP_DT_TEXT (1 + TP_DT_RUN + 15 + 1 + TP_DT_RUN + 6)

typedef struct tp_datetime_lexer {
  char text[TP_DT_TEXT + 1]; /* as fed, or cut */
  uint8_t len;
  uint8_t state;
  uint8_t run;         /* digits at the end of text, when cut */
  uint8_t cut;         /* where digits past TP_DT_RUN were dropped, or 0 */
  uint8_t cut_nonzero; /* one of them was not 0 */
  uint8_t trail;       /* whitespace after the text, when cut */
} tp_datetime_lexer;

static inline void
tp__datetime_begin(tp_datetime_lexer *lx) {
  memset(&lx->len, 0, sizeof *lx - offsetof(tp_datetime_lexer, len));
}
_Static_assert(offsetof(tp_datetime_lexer, len) == TP_DT_TEXT + 1,
               "tp__datetime_begin clears all but the text, which comes first");
int tp__datetime_feed(tp_datetime_lexer *lx, const char *s, size_t n);
int tp__datetime_end(tp_datetime_lexer *lx, tp_datetime *out);

#endif /* TP_VALUES_H */
