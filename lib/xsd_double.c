/* xsd_double.c -- incremental xsd:double lexer (XSD 1.1 doubleRep). */
#include <string.h>

#include "values.h"

enum {
  DR_LEAD = 0, /* leading whitespace, then sign, digit, '.', I or N */
  DR_SIGN,     /* after a sign: a digit, '.' or INF must follow */
  DR_INT,      /* integer digits, at least one */
  DR_POINT,    /* '.' with no digit before it: a digit must follow */
  DR_FRAC,     /* after the point, with at least one mantissa digit */
  DR_EXP_MARK, /* after E: sign or digit */
  DR_EXP_SIGN, /* after E+ or E-: a digit must follow */
  DR_EXP,      /* exponent digits */
  DR_WORD,     /* inside INF or NaN, `word_pos` characters matched */
  DR_TRAIL,    /* trailing whitespace: nothing else may follow */
  DR_BAD
};
_Static_assert(DR_LEAD == 0, "tp__double_begin (values.h) starts in state 0");

enum { SPECIAL_NONE = 0, SPECIAL_INF, SPECIAL_NAN };
_Static_assert(SPECIAL_NONE == 0,
               "tp__double_begin (values.h) sets special to 0");

/* The exponent stops growing here; with `point` bounded by the text's
 * length, their sum can't overflow int64 and is still exact for any text
 * shorter than 10^17 bytes, long past where the answer is INF or 0. */
#define EXP_LIMIT ((int64_t)100000000000000000)

/* Same idea for the point, which moves one place per digit: it can't reach
 * this from real input, but saturating keeps the arithmetic defined. */
#define POINT_LIMIT ((int64_t)1000000000000000000)

/* tp__decimal_to_double's range; anything beyond is INF or 0 already. */
#define DP_CLAMP 100000

static const char INF_WORD[] = "INF";
static const char NAN_WORD[] = "NaN";

static double
double_from_bits(uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

/* Moves the digits kept in `mant` (dec.nd of them) to the buffer. */
static void
spill(tp_double_lexer *lx) {
  uint64_t m = lx->mant;
  uint32_t i = lx->dec.nd;
  while (i > 0) {
    lx->dec.d[--i] = (uint8_t)(m % 10u);
    m /= 10u;
  }
}

/* Leading zeros are never stored, and neither are digits past the buffer,
 * so memory stays constant; `point` keeps the magnitude exact instead. */
static void
mantissa_digit(tp_double_lexer *lx, uint8_t digit, int after_point) {
  tp_decimal *dec = &lx->dec;

  if (dec->nd == 0 && digit == 0) {
    if (after_point && lx->point > -POINT_LIMIT)
      lx->point--;
    return;
  }
  if (!after_point && lx->point < POINT_LIMIT)
    lx->point++;
  if (dec->nd < TP_SMALL_DIGITS) {
    lx->mant = lx->mant * 10u + digit;
    dec->nd++;
    return;
  }
  if (dec->nd == TP_SMALL_DIGITS)
    spill(lx);
  if (dec->nd < TP_DECIMAL_DIGITS)
    dec->d[dec->nd++] = digit;
  else if (digit != 0)
    dec->trunc = 1;
}

static void
exponent_digit(tp_double_lexer *lx, uint8_t digit) {
  if (lx->exponent < EXP_LIMIT) {
    lx->exponent = lx->exponent * 10 + digit;
    if (lx->exponent > EXP_LIMIT)
      lx->exponent = EXP_LIMIT;
  }
}

/* Starts INF or NaN on `c`, or fails. A sign only allows INF. */
static uint8_t
start_word(tp_double_lexer *lx, unsigned char c, int signed_) {
  if (c == 'I')
    lx->special = SPECIAL_INF;
  else if (c == 'N' && !signed_)
    lx->special = SPECIAL_NAN;
  else
    return DR_BAD;
  lx->word_pos = 1;
  return DR_WORD;
}

static uint8_t
step(tp_double_lexer *lx, unsigned char c) {
  const int is_digit = c >= '0' && c <= '9';
  const uint8_t digit = (uint8_t)(c - '0');

  switch (lx->state) {
  case DR_LEAD:
    if (tp__is_xml_space(c))
      return DR_LEAD;
    if (c == '+' || c == '-') {
      lx->dec.negative = (uint8_t)(c == '-');
      return DR_SIGN;
    }
    /* The rest is as after a sign. */
    TP_FALLTHROUGH;
  case DR_SIGN:
    if (is_digit) {
      mantissa_digit(lx, digit, 0);
      return DR_INT;
    }
    if (c == '.')
      return DR_POINT;
    return start_word(lx, c, lx->state == DR_SIGN);
  case DR_INT:
    if (is_digit) {
      mantissa_digit(lx, digit, 0);
      return DR_INT;
    }
    if (c == '.')
      return DR_FRAC;
    break;
  case DR_POINT:
    if (is_digit) {
      mantissa_digit(lx, digit, 1);
      return DR_FRAC;
    }
    return DR_BAD;
  case DR_FRAC:
    if (is_digit) {
      mantissa_digit(lx, digit, 1);
      return DR_FRAC;
    }
    break;
  case DR_EXP_MARK:
    if (c == '+' || c == '-') {
      lx->exp_negative = (uint8_t)(c == '-');
      return DR_EXP_SIGN;
    }
    TP_FALLTHROUGH;
  case DR_EXP_SIGN:
    if (is_digit) {
      exponent_digit(lx, digit);
      return DR_EXP;
    }
    return DR_BAD;
  case DR_EXP:
    if (is_digit) {
      exponent_digit(lx, digit);
      return DR_EXP;
    }
    return tp__is_xml_space(c) ? DR_TRAIL : DR_BAD;
  case DR_WORD: {
    const char *word = lx->special == SPECIAL_INF ? INF_WORD : NAN_WORD;
    if (lx->word_pos == 3)
      return tp__is_xml_space(c) ? DR_TRAIL : DR_BAD;
    if (c != (unsigned char)word[lx->word_pos])
      return DR_BAD;
    lx->word_pos++;
    return DR_WORD;
  }
  case DR_TRAIL:
    return tp__is_xml_space(c) ? DR_TRAIL : DR_BAD;
  default:
    return DR_BAD;
  }

  /* DR_INT and DR_FRAC: the mantissa may end here. */
  if (c == 'e' || c == 'E')
    return DR_EXP_MARK;
  return tp__is_xml_space(c) ? DR_TRAIL : DR_BAD;
}

/* Speed only: TP_OPTIMIZE_SIZE (README, "On a microcontroller") compiles
 * the eight-digit runs out, and the digit loop below does their work. */
#if !defined(TP_OPTIMIZE_SIZE)
#define ONES8 ((uint64_t)0x0101010101010101u)

/* Whether the eight bytes at s are all digits: each must have high nibble
 * 3, and still have it with 6 added (no carry: the low nibble was <= 9).
 * A byte of 0xFA or more carries into its neighbour, but fails the first
 * test itself. */
static int
eight_digits(const char *s, uint64_t *word) {
  const uint64_t high = ONES8 * 0xF0u, threes = ONES8 * 0x30u;
  const uint64_t v = tp__load8(s);
  *word = v;
  return (((v & high) ^ threes) | (((v + ONES8 * 0x06u) & high) ^ threes)) == 0;
}

/* The value of eight digits loaded little-endian (first digit lowest):
 * neighbours are merged into 2-, 4- and 8-digit numbers, each step
 * keeping every other lane; no lane ever overflows (99, 9999, 99999999). */
static uint64_t
eight_digit_value(uint64_t v) {
  v -= ONES8 * 0x30u;
  v = (v * 10u + (v >> 8)) & (uint64_t)0x00FF00FF00FF00FFu;
  v = (v * 100u + (v >> 16)) & (uint64_t)0x0000FFFF0000FFFFu;
  v = (v * 10000u + (v >> 32)) & (uint64_t)0xFFFFFFFFu;
  return v;
}
#endif

/* The mantissa while its significant digits fit `mant`: digits and the
 * point, from any state where they may come, with the state in registers;
 * what step() and mantissa_digit would do, one character at a time.
 * Returns where it stopped: at anything else (signs, whitespace, E), at a
 * second point, or once TP_SMALL_DIGITS significant digits are kept. */
static size_t
small_run(tp_double_lexer *lx, const char *s, size_t i, size_t n) {
  uint64_t m = lx->mant;
  uint32_t nd = lx->dec.nd;
  uint8_t state = lx->state;
  int after_point = state == DR_POINT || state == DR_FRAC;
  int64_t int_digits = 0; /* significant integer digits: point moves up */
  int64_t frac_zeros = 0; /* zeros after the point before any digit */
  if (state == DR_LEAD && n - i >= 2 && s[i] == '0' && s[i + 1] == '.') {
    /* "0.", how most fractions start: what the loop below would make of
     * it, in one step. */
    state = DR_FRAC;
    after_point = 1;
    i += 2;
  }
  while (i < n) {
    const char c = s[i];
    if (c == '.') {
      if (after_point)
        break;
      after_point = 1;
      state = state == DR_INT ? DR_FRAC : DR_POINT;
      i++;
    } else if (!tp__is_digit(c)) {
      break;
    } else if (nd == 0 && c == '0') {
      /* Not significant: only its place after the point counts. */
      state = after_point ? DR_FRAC : DR_INT;
      frac_zeros += after_point;
      i++;
    } else {
      /* Significant digits, as many as fit `mant`. */
      const size_t room = TP_SMALL_DIGITS - nd;
      const size_t end = n - i < room ? n : i + room;
      const size_t first = i;
#if !defined(TP_OPTIMIZE_SIZE)
      uint64_t word;
#endif
      if (room == 0)
        break;
#if !defined(TP_OPTIMIZE_SIZE)
      if (tp__little_endian()) {
        while (end - i >= 8 && eight_digits(s + i, &word)) {
          m = m * 100000000u + eight_digit_value(word);
          i += 8;
        }
      }
#endif
      while (i < end && tp__is_digit(s[i]))
        m = m * 10u + (uint64_t)(s[i++] - '0');
      nd += (uint32_t)(i - first);
      if (!after_point)
        int_digits += (int64_t)(i - first);
      state = after_point ? DR_FRAC : DR_INT;
    }
  }
  lx->mant = m;
  lx->dec.nd = nd;
  lx->state = state;
  /* A run moves the point one way only, by at most its length. */
  if (int_digits != 0)
    lx->point = lx->point > POINT_LIMIT - int_digits ? POINT_LIMIT
                                                     : lx->point + int_digits;
  if (frac_zeros != 0)
    lx->point = lx->point < -POINT_LIMIT + frac_zeros ? -POINT_LIMIT
                                                      : lx->point - frac_zeros;
  return i;
}

/* A run of mantissa digits once they are kept in the buffer (more than
 * TP_SMALL_DIGITS), stored in one go. Returns where the run ended. */
static size_t
big_run(tp_double_lexer *lx, const char *s, size_t i, size_t n) {
  tp_decimal *dec = &lx->dec;
  uint32_t nd = dec->nd;
  const size_t first = i;
  const size_t end =
      n - i < TP_DECIMAL_DIGITS - nd ? n : i + (TP_DECIMAL_DIGITS - nd);
  while (i < end && tp__is_digit(s[i]))
    dec->d[nd++] = (uint8_t)(s[i++] - '0');
  dec->nd = nd;
  if (lx->state == DR_INT) {
    const int64_t k = (int64_t)(i - first);
    lx->point = lx->point > POINT_LIMIT - k ? POINT_LIMIT : lx->point + k;
  }
  return i;
}

int
tp__double_feed(tp_double_lexer *lx, const char *s, size_t n) {
  size_t i = 0;
  while (i < n && lx->state != DR_BAD) {
    /* The runs stop at the digit that must change where digits are kept
     * (the 20th) or that no longer fits (the 801st), and at anything that
     * is not a digit: step() takes those. */
    if (lx->state <= DR_FRAC && lx->dec.nd < TP_SMALL_DIGITS) {
      const size_t j = small_run(lx, s, i, n);
      if (j != i) {
        i = j;
        continue;
      }
    } else if ((lx->state == DR_FRAC || lx->state == DR_INT) &&
               lx->dec.nd > TP_SMALL_DIGITS && lx->dec.nd < TP_DECIMAL_DIGITS) {
      i = big_run(lx, s, i, n);
      if (i == n)
        break;
    }
    lx->state = step(lx, (unsigned char)s[i]);
    i++;
  }
  return lx->state == DR_BAD ? -1 : 0;
}

int
tp__double_end(tp_double_lexer *lx, double *out) {
  tp_decimal *dec = &lx->dec;

  switch (lx->state) {
  case DR_INT:
  case DR_FRAC:
  case DR_EXP:
  case DR_TRAIL:
    break;
  case DR_WORD:
    if (lx->word_pos == 3)
      break;
    return -1;
  default:
    return -1;
  }
  /* The conversion below consumes the digits: a second end must not
   * answer from them. */
  lx->state = DR_BAD;

  if (lx->special == SPECIAL_NAN) {
    *out = double_from_bits((uint64_t)0x7ff8000000000000u);
    return 0;
  }
  if (lx->special == SPECIAL_INF) {
    *out = double_from_bits((uint64_t)0x7ff0000000000000u |
                            ((uint64_t)dec->negative << 63));
    return 0;
  }

  /* Zeros after the last significant digit were kept in case more
   * digits followed; the contract wants none. Where the digits are is
   * decided by how many arrived, before trimming. */
  const int in_mant = dec->nd <= TP_SMALL_DIGITS;
  if (in_mant) {
    while (dec->nd > 0 && lx->mant % 10u == 0) {
      lx->mant /= 10u;
      dec->nd--;
    }
  } else {
    while (dec->nd > 0 && dec->d[dec->nd - 1] == 0)
      dec->nd--;
  }
  if (dec->nd == 0) {
    dec->dp = 0; /* zero whatever the exponent; the sign stays */
  } else {
    int64_t dp = lx->point + (lx->exp_negative ? -lx->exponent : lx->exponent);
    if (dp > DP_CLAMP)
      dp = DP_CLAMP;
    else if (dp < -DP_CLAMP)
      dp = -DP_CLAMP;
    dec->dp = (int32_t)dp;
  }
  if (in_mant) {
    uint64_t bits;
    if (tp__decimal_small(lx->mant, dec->nd, dec->dp, &bits)) {
      *out = double_from_bits(bits | ((uint64_t)dec->negative << 63));
      return 0;
    }
    spill(lx);
  }
  *out = tp__decimal_to_double(dec);
  return 0;
}
