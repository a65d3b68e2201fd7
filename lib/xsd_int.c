/* xsd_int.c -- incremental xsd:int lexer: sign, digits, 32-bit range. */
#include "values.h"

enum {
  INT_LEAD = 0, /* leading whitespace, sign or first digit expected */
  INT_SIGN,     /* after a sign: a digit must follow */
  INT_DIGITS,   /* inside the digits */
  INT_TRAIL,    /* trailing whitespace: nothing else may follow */
  INT_BAD
};
_Static_assert(INT_LEAD == 0, "tp__int_begin (values.h) starts in state 0");

/* 2^31: the magnitude of INT32_MIN; anything larger can never fit. */
#define INT_LIMIT 2147483648u

int
tp__int_feed(tp_int_lexer *lx, const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n && lx->state != INT_BAD; i++) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      uint32_t digit = (uint32_t)(c - '0');
      if (lx->state == INT_TRAIL) {
        lx->state = INT_BAD;
        break;
      }
      /* Check before multiplying: leading zeros of any length are fine,
       * but the value must never pass 2^31 (then it can only grow). */
      if (lx->magnitude > (INT_LIMIT - digit) / 10u) {
        lx->state = INT_BAD;
        break;
      }
      lx->magnitude = lx->magnitude * 10u + digit;
      lx->state = INT_DIGITS;
    } else if (tp__is_xml_space(c)) {
      if (lx->state == INT_DIGITS)
        lx->state = INT_TRAIL;
      else if (lx->state == INT_SIGN)
        lx->state = INT_BAD;
    } else if ((c == '+' || c == '-') && lx->state == INT_LEAD) {
      lx->negative = (uint8_t)(c == '-');
      lx->state = INT_SIGN;
    } else {
      lx->state = INT_BAD;
    }
  }
  return lx->state == INT_BAD ? -1 : 0;
}

int
tp__int_end(tp_int_lexer *lx, int32_t *out) {
  if (lx->state != INT_DIGITS && lx->state != INT_TRAIL)
    return -1;
  if (lx->negative) {
    /* -2^31 is representable; compute without overflowing int32. */
    *out = lx->magnitude == INT_LIMIT ? INT32_MIN : -(int32_t)lx->magnitude;
    return 0;
  }
  if (lx->magnitude > (uint32_t)INT32_MAX)
    return -1;
  *out = (int32_t)lx->magnitude;
  return 0;
}
