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

/* The exponent stops growing here, and `scale`, which moves at most once
 * per byte, here and at its negative: their sum can't overflow int64 and
 * is exact for any text shorter than 10^17 bytes, long past where the
 * answer is INF or 0. */
#define LIMIT ((int64_t)100000000000000000)

/* `mant` takes 19 significant digits (10^19 - 1 < 2^64); `kept` counts
 * them, and is SPILLED once they have moved to the buffer. */
#define MANT_DIGITS 19u
#define SPILLED UINT8_MAX

/* The first MANT_DIGITS significant digits go to `mant`, from which
 * tp__decimal_small converts short values: speed only, the buffer and
 * tp__decimal_to_double give the same values. Measured gain on the
 * Cortex-M4 (mcu/icount.sh, genbench.py 100 2 50): 0.5 instructions per
 * byte (111.3 against 111.7); on x86-64 it also carries the 128-bit
 * path's gain (decimal.c). TP_OPTIMIZE_SIZE, which compiles out both of
 * tp__decimal_small's paths, leaves it out too: every digit goes to the
 * buffer, 356 bytes less code on the Cortex-M4, and fewer instructions
 * there (111.8 against 113.5), as `mant` then only cost. */
#ifdef TP_OPTIMIZE_SIZE
#define SHORT_PATH 0
#else
#define SHORT_PATH 1
#endif

/* tp__decimal_to_double's range; anything beyond is INF or 0 already. */
#define DP_CLAMP 100000

static double
double_from_bits(uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

/* Moves the significant digits of `mant` (< 10^19) to the buffer, for
 * good. In parts of nine digits: two 64-bit divisions, then 32-bit ones,
 * which a 32-bit processor does with a multiply, where a 64-bit one is a
 * library call. Measured on the Cortex-M4 (mcu/icount.sh, genbench.py 100
 * 2 50, whose 17-digit doubles come here there): a 64-bit division per
 * digit cost 2.7 instructions per byte more (120.1 against 117.4). */
static void
spill(tp_double_lexer *lx) {
  const uint32_t billion = 1000000000u;
  uint64_t m = lx->mant;
  uint32_t part[3];
  uint32_t nd = 0;
  uint32_t p;
  part[0] = (uint32_t)(m % billion);
  m /= billion;
  part[1] = (uint32_t)(m % billion);
  part[2] = (uint32_t)(m / billion);
  for (p = 3; p-- > 0;) {
    uint32_t v = part[p];
    uint32_t width = 9;
    uint32_t j;
    if (nd == 0) { /* the leading part: its own digits, none for 0 */
      width = 0;
      for (uint32_t t = v; t != 0; t /= 10u)
        width++;
    }
    for (j = width; j > 0; j--, v /= 10u)
      lx->dec.d[nd + j - 1] = (uint8_t)(v % 10u);
    nd += width;
  }
  lx->dec.nd = nd;
  lx->kept = SPILLED;
}

/* A mantissa digit once `mant` is full: kept while the buffer has room,
 * past it only its place and whether it is 0 count. */
static void
long_digit(tp_double_lexer *lx, uint8_t digit) {
  tp_decimal *dec = &lx->dec;
  if (SHORT_PATH && lx->kept != SPILLED)
    spill(lx);
  if (dec->nd < TP_DECIMAL_DIGITS) {
    dec->d[dec->nd++] = digit;
  } else {
    if (lx->scale < LIMIT)
      lx->scale++;
    if (digit != 0)
      dec->trunc = 1;
  }
}

/* A run of mantissa digits, from s[i] (a digit) to the first non-digit.
 * Digits after the point lower the scale. */
static size_t
digit_run(tp_double_lexer *lx, const char *s, size_t i, size_t n) {
  const size_t first = i;
  if (!SHORT_PATH && lx->dec.nd == 0) /* leading zeros are not kept */
    while (i < n && s[i] == '0')
      i++;
  if (SHORT_PATH && lx->kept < MANT_DIGITS) {
    uint64_t m = lx->mant;
    uint32_t d; /* not 64 bits: each digit's test is then one compare */
    size_t from, end;
    if (m == 0) /* leading zeros are not kept */
      while (i < n && s[i] == '0')
        i++;
    from = i;
    end = n - i < MANT_DIGITS - lx->kept ? n : i + (MANT_DIGITS - lx->kept);
    for (; i < end && (d = (uint32_t)(unsigned char)s[i] - '0') <= 9u; i++)
      m = m * 10u + d;
    lx->mant = m;
    lx->kept = (uint8_t)(lx->kept + (i - from));
  }
  for (; i < n && tp__is_digit(s[i]); i++)
    long_digit(lx, (uint8_t)(s[i] - '0'));
  if (lx->state >= DR_POINT) {
    const size_t k = i - first;
    lx->scale =
        k < (uint64_t)(lx->scale + LIMIT) ? lx->scale - (int64_t)k : -LIMIT;
    lx->state = DR_FRAC;
  } else {
    lx->state = DR_INT;
  }
  return i;
}

static void
exponent_digit(tp_double_lexer *lx, uint8_t digit) {
  if (lx->exponent < LIMIT) {
    lx->exponent = lx->exponent * 10 + digit;
    if (lx->exponent > LIMIT)
      lx->exponent = LIMIT;
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

/* Every character but the mantissa's digits, which digit_run takes. */
static uint8_t
step(tp_double_lexer *lx, unsigned char c) {
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
    if (c == '.')
      return DR_POINT;
    return start_word(lx, c, lx->state == DR_SIGN);
  case DR_INT:
    if (c == '.')
      return DR_FRAC;
    TP_FALLTHROUGH;
  case DR_FRAC: /* the mantissa may end here */
    if (c == 'e' || c == 'E')
      return DR_EXP_MARK;
    return tp__is_xml_space(c) ? DR_TRAIL : DR_BAD;
  case DR_EXP_MARK:
    if (c == '+' || c == '-') {
      lx->exp_negative = (uint8_t)(c == '-');
      return DR_EXP_SIGN;
    }
    TP_FALLTHROUGH;
  case DR_EXP_SIGN:
  case DR_EXP:
    if (tp__is_digit((char)c)) {
      exponent_digit(lx, (uint8_t)(c - '0'));
      return DR_EXP;
    }
    return lx->state == DR_EXP && tp__is_xml_space(c) ? DR_TRAIL : DR_BAD;
  case DR_WORD: {
    const char *word = lx->special == SPECIAL_INF ? "INF" : "NaN";
    if (lx->word_pos == 3)
      return tp__is_xml_space(c) ? DR_TRAIL : DR_BAD;
    if (c != (unsigned char)word[lx->word_pos])
      return DR_BAD;
    lx->word_pos++;
    return DR_WORD;
  }
  case DR_TRAIL:
    return tp__is_xml_space(c) ? DR_TRAIL : DR_BAD;
  default: /* DR_POINT wants a digit; DR_BAD stays */
    return DR_BAD;
  }
}

int
tp__double_feed(tp_double_lexer *lx, const char *s, size_t n) {
  size_t i = 0;
  while (i < n && lx->state != DR_BAD) {
    if (lx->state <= DR_FRAC && tp__is_digit(s[i]))
      i = digit_run(lx, s, i, n);
    else
      lx->state = step(lx, (unsigned char)s[i++]);
  }
  return lx->state == DR_BAD ? -1 : 0;
}

int
tp__double_end(tp_double_lexer *lx, double *out) {
  tp_decimal *dec = &lx->dec;
  int64_t e10;
  if (lx->state != DR_INT && lx->state != DR_FRAC && lx->state != DR_EXP &&
      lx->state != DR_TRAIL && !(lx->state == DR_WORD && lx->word_pos == 3))
    return -1;
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

  /* The value is the digits, as an integer, x 10^e10. */
  e10 = lx->scale + (lx->exp_negative ? -lx->exponent : lx->exponent);
  if ((!SHORT_PATH || lx->mant == 0) && dec->nd == 0) {
    *out = double_from_bits((uint64_t)dec->negative << 63);
    return 0;
  }
  if (SHORT_PATH && lx->kept != SPILLED) {
    uint64_t bits;
    while (lx->mant % 10u == 0) {
      lx->mant /= 10u;
      e10++;
    }
    if (tp__decimal_small(lx->mant, e10, &bits)) {
      *out = double_from_bits(bits | ((uint64_t)dec->negative << 63));
      return 0;
    }
    spill(lx);
  }
  /* As 0.d[0]d[1]... x 10^dp, without the zeros after the last digit. */
  e10 += dec->nd;
  while (dec->d[dec->nd - 1] == 0)
    dec->nd--;
  dec->dp = (int32_t)(e10 > DP_CLAMP    ? DP_CLAMP
                      : e10 < -DP_CLAMP ? -DP_CLAMP
                                        : e10);
  *out = tp__decimal_to_double(dec);
  return 0;
}
