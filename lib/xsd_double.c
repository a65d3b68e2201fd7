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

enum { SPECIAL_NONE = 0, SPECIAL_INF, SPECIAL_NAN };

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
    /* fall through - the rest is as after a sign */
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
    /* fall through */
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

void
tp__double_begin(tp_double_lexer *lx) {
  /* d[] is only read below nd, so the 800 bytes need no clearing. */
  lx->dec.nd = 0;
  lx->dec.dp = 0;
  lx->dec.negative = 0;
  lx->dec.trunc = 0;
  lx->point = 0;
  lx->exponent = 0;
  lx->state = DR_LEAD;
  lx->exp_negative = 0;
  lx->word_pos = 0;
  lx->special = SPECIAL_NONE;
}

int
tp__double_feed(tp_double_lexer *lx, const char *s, size_t n) {
  size_t i = 0;
  while (i < n && lx->state != DR_BAD) {
    /* Significant fraction digits, the bulk of a server's doubles, go
     * straight into the buffer: it is what mantissa_digit would do. */
    if (lx->state == DR_FRAC && lx->dec.nd > 0) {
      tp_decimal *dec = &lx->dec;
      while (i < n && s[i] >= '0' && s[i] <= '9' &&
             dec->nd < TP_DECIMAL_DIGITS)
        dec->d[dec->nd++] = (uint8_t)(s[i++] - '0');
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

  /* Zeros after the last significant digit were stored in case more
   * digits followed; the contract wants none. */
  while (dec->nd > 0 && dec->d[dec->nd - 1] == 0)
    dec->nd--;
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
  *out = tp__decimal_to_double(dec);
  return 0;
}
