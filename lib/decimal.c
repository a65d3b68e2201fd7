/* decimal.c -- exact, correctly rounded decimal to binary64 conversion. */
#include <float.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

/* Digits a shift keeps: the spare slot of the buffer is used too, since
 * more kept digits only leave less to trunc. Left shifts build their result
 * in place, in the headroom after them (a scratch buffer on the stack would
 * cost 800 bytes on a microcontroller). */
#define CAP ((uint32_t)(TP_DECIMAL_DIGITS + 1))

/* 28 keeps remainder * 10 + 9 (right shifts; the remainder is below 2^28)
 * below 2^32: each step is 32-bit arithmetic, where 60-bit shifts took
 * 64-bit shifts and multiplies, long sequences on a 32-bit processor. On
 * the Cortex-M4 that is 142 bytes less code, and the same count
 * (mcu/icount.sh, genbench.py 100 2 50: 111.3 instructions per byte
 * either way, whose doubles need at most one right shift). */
#define MAX_SHIFT 28u

/* 28 keeps digit * 2^28 + carry (left shifts; the carry stays below 2^28)
 * below 2^32: the division by 10 of every digit is then a 32-bit one,
 * which a 32-bit processor does with a multiply, where a 64-bit one is a
 * library call. Measured on the Cortex-M4 (mcu/icount.sh, genbench.py 100
 * 2 50, whose 17-digit doubles take this path there): 60-bit left shifts
 * cost 4.7 instructions per byte more (124.8 against 120.1). On x86-64
 * the 128-bit path below serves those doubles, and the count is unchanged. */
#define MAX_LEFT_SHIFT 28u

/* 2^28 < 10^9: a left shift by MAX_LEFT_SHIFT adds at most 9 digits. */
#define MAX_NEW_DIGITS 9u
_Static_assert(TP_DECIMAL_HEADROOM >= MAX_NEW_DIGITS,
               "the digit buffer needs room for a left shift");

#define MANT_BITS 52
#define EXP_BIAS 1023
#define MIN_EXP (-1022) /* of a normal double written 1.f x 2^e */
#define MAX_EXP 1023
#define INF_BITS ((uint64_t)0x7ff0000000000000u)
#define SIGN_BIT ((uint64_t)1 << 63)

/* Beyond these the answer is known without shifting: 0.1 x 10^311 is above
 * DBL_MAX, and 10^-331 is far below half the smallest subnormal (2^-1075,
 * about 2.5e-324). Between them the shifts stay short. */
#define DP_OVERFLOW 310
#define DP_UNDERFLOW (-330)

/* Right shift amounts for dp = 1..8: ceil(dp * log2(10)), the smallest k with
 * 10^dp <= 2^k, so that the value (< 10^dp) drops below 1 in one step. */
static const uint8_t RIGHT_SHIFT[9] = {0, 4, 7, 10, 14, 17, 20, 24, 27};

/* Left shift amounts for dp = -1..-18: floor(-dp * log2(10)), the largest
 * k with 2^k * 10^dp <= 1, so that the value (< 10^dp) stays below 1. At
 * dp = 0 (index 0, unused) doublings() decides. */
static const uint8_t LEFT_SHIFT[19] = {0,  3,  6,  9,  13, 16, 19, 23, 26, 29,
                                       33, 36, 39, 43, 46, 49, 53, 56, 59};

/* How many doublings bring a value in [0.1, 1) (dp = 0) to [0.5, 1): 0 at
 * or above 0.5, 1 at or above 0.25, 2 at or above 0.125, else 3, read from
 * its first three digits. */
static unsigned
doublings(const tp_decimal *dec) {
  const unsigned d0 = dec->d[0], d1 = dec->nd > 1 ? dec->d[1] : 0u,
                 d2 = dec->nd > 2 ? dec->d[2] : 0u;
  if (d0 >= 5)
    return 0;
  if (d0 >= 3 || (d0 == 2 && d1 >= 5))
    return 1;
  if (d0 == 2 || d1 > 2 || (d1 == 2 && d2 >= 5))
    return 2;
  return 3;
}

static void
trim_zeros(tp_decimal *dec) {
  while (dec->nd > 0 && dec->d[dec->nd - 1] == 0)
    dec->nd--;
}

/* Divides by 2^k (1 <= k <= MAX_SHIFT). Division only ever appends digits,
 * so the result is exact until CAP digits are kept; past that, trunc
 * records that the dropped remainder was non-zero. */
static void
shift_right(tp_decimal *dec, unsigned k) {
  const uint32_t mask = ((uint32_t)1 << k) - 1u;
  uint32_t r = 0;
  uint32_t w = 0;
  uint32_t n = 0;
  /* The quotient's first digit fixes the new decimal point; reading past
   * the digits reads zeros. d[0] != 0, so n grows and this ends. */
  while ((n >> k) == 0) {
    n = n * 10u + (r < dec->nd ? dec->d[r] : 0u);
    r++;
  }
  dec->dp -= (int32_t)r - 1;

  /* w < r throughout, so output never overwrites an unread digit. */
  while (r < dec->nd) {
    uint8_t q = (uint8_t)(n >> k);
    n = (n & mask) * 10u + dec->d[r++];
    dec->d[w++] = q;
  }
  while (n != 0) {
    if (w == CAP) {
      dec->trunc = 1;
      break;
    }
    dec->d[w++] = (uint8_t)(n >> k);
    n = (n & mask) * 10u;
  }
  dec->nd = w;
  trim_zeros(dec);
}

/* Multiplies by 2^k (1 <= k <= MAX_LEFT_SHIFT), keeping at most CAP digits.
 * The carry runs right to left, so the digits are built right-aligned in
 * the headroom after the current ones, always ahead of those still to be
 * read, and moved to the front once their count is known. */
static void
shift_left(tp_decimal *dec, unsigned k) {
  uint8_t *d = dec->d;
  const uint32_t end = dec->nd + MAX_NEW_DIGITS;
  uint32_t w = end;
  uint32_t len;
  uint32_t i;
  uint32_t carry = 0;
  for (i = dec->nd; i > 0; i--) {
    uint32_t n = ((uint32_t)d[i - 1] << k) + carry;
    carry = n / 10u;
    d[--w] = (uint8_t)(n - carry * 10u);
  }
  while (carry != 0) {
    uint32_t q = carry / 10u;
    d[--w] = (uint8_t)(carry - q * 10u);
    carry = q;
  }

  len = end - w;
  dec->dp += (int32_t)(len - dec->nd);
  if (len > CAP) {
    for (i = w + CAP; i < end; i++) {
      if (d[i] != 0) {
        dec->trunc = 1;
        break;
      }
    }
    len = CAP;
  }
  memmove(d, d + w, len);
  dec->nd = len;
  trim_zeros(dec);
}

static void
shift_left_by(tp_decimal *dec, unsigned k) {
  while (k > MAX_LEFT_SHIFT) {
    shift_left(dec, MAX_LEFT_SHIFT);
    k -= MAX_LEFT_SHIFT;
  }
  shift_left(dec, k);
}

static void
shift_right_by(tp_decimal *dec, unsigned k) {
  while (k > MAX_SHIFT) {
    shift_right(dec, MAX_SHIFT);
    k -= MAX_SHIFT;
  }
  if (k > 0)
    shift_right(dec, k);
}

/* The integer part rounded half to even. Only called on values below 2^53,
 * so at most 16 integer digits. A digit 5 followed by nothing kept is an
 * exact tie only if nothing non-zero was dropped either. */
static uint64_t
rounded_integer(const tp_decimal *dec) {
  uint64_t n = 0;
  uint32_t pos;
  uint32_t i;
  int round_up;
  if (dec->dp < 0)
    return 0; /* below 0.1 */
  pos = (uint32_t)dec->dp;
  for (i = 0; i < pos; i++)
    n = n * 10 + (i < dec->nd ? dec->d[i] : 0u);
  if (pos >= dec->nd)
    return n; /* an integer, or an integer plus less than one ulp of it */

  if (dec->d[pos] != 5)
    round_up = dec->d[pos] > 5;
  else if (pos + 1 < dec->nd || dec->trunc)
    round_up = 1;
  else
    round_up = (int)(n & 1);
  return n + (uint64_t)round_up;
}

/* Speed only, as is the 128-bit path: TP_OPTIMIZE_SIZE
 * (docs/microcontroller.md) compiles both out, and the decimal shifts below
 * serve. Each one's gain is written beside it: callgrind instructions of the
 * whole decode of bench/data/medium.xml (genbench.py 100 2 50) by bench/tpbench
 * --only heap-reuse --feeds 4096, with the path and without it. */
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0 &&                        \
    !defined(TP_OPTIMIZE_SIZE)
/* Powers of ten that are exact doubles (5^22 < 2^53). */
static const double EXACT_POW10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Clinger's observation: a mantissa of at most 2^53 and a power of ten
 * that are both exact doubles need one IEEE operation, which rounds
 * correctly. That relies on operations being done in double precision,
 * hence the guard. Returns 0 when the case is not that simple.
 * Gain: 809,243 instructions, 0.45%, under the 1% a fast path needs, but
 * on targets without __int128 (the Cortex-M4) it is the only short path,
 * and all that TP_OPTIMIZE_SIZE leaves out there. */
static int
fast_path(uint64_t m, int64_t e10, uint64_t *bits) {
  const uint64_t max_exact = (uint64_t)1 << 53;
  double v;
  if (e10 < -22 || e10 > 22 + 15 || m > max_exact)
    return 0;
  /* 1e30 and the like: move the surplus power into the mantissa while it
   * stays exact. */
  for (; e10 > 22; e10--) {
    if (m > max_exact / 10)
      return 0;
    m *= 10;
  }
  if (m > max_exact)
    return 0;
  v = (double)m;
  if (e10 >= 0)
    v *= EXACT_POW10[e10];
  else
    v /= EXACT_POW10[-e10];
  memcpy(bits, &v, sizeof v);
  return 1;
}
#else
#define fast_path(m, e10, bits) ((void)(m), (void)(e10), (void)(bits), 0)
#endif

#if defined(__SIZEOF_INT128__) && !defined(TP_OPTIMIZE_SIZE)
/* Up to 19 digits (the mantissa fits 64 bits) with a power of ten within
 * +-27 (5^27 < 2^63), which covers the doubles servers print (Java's
 * shortest form has at most 17 digits), are rounded exactly with 128-bit
 * integers: w x 10^k is w x 5^k x 2^k, and w / 10^k is w / 5^k x 2^-k with
 * the division's remainder as the sticky bit. GCC and Clang provide the
 * type where the target has it; elsewhere the decimal shifts below serve.
 * Gain: 4,986,614 instructions, 2.74%. */
__extension__ typedef unsigned __int128 u128;

/* clang-format off */
static const uint64_t POW5[28] = {
    1u, 5u, 25u, 125u, 625u, 3125u, 15625u, 78125u, 390625u, 1953125u,
    9765625u, 48828125u, 244140625u, 1220703125u, 6103515625u, 30517578125u,
    152587890625u, 762939453125u, 3814697265625u, 19073486328125u,
    95367431640625u, 476837158203125u, 2384185791015625u, 11920928955078125u,
    59604644775390625u, 298023223876953125u, 1490116119384765625u,
    7450580596923828125u};
/* clang-format on */

static unsigned
bit_length(u128 n) {
  uint64_t hi = (uint64_t)(n >> 64), lo = (uint64_t)n;
  if (hi != 0)
    return 128u - (unsigned)__builtin_clzll(hi);
  return lo != 0 ? 64u - (unsigned)__builtin_clzll(lo) : 0u;
}

/* The double nearest n x 2^e, where `sticky` says the true value is a bit
 * above n (non-zero bits were cut below it); n needs >= 55 bits when
 * sticky is set, so that they fall below the rounding bit. Returns 0 when
 * the result would not be a normal double (then the slow path decides). */
static int
round_bits(u128 n, int32_t e, int sticky, uint64_t *bits) {
  unsigned len = bit_length(n);
  int32_t shift = (int32_t)len - (MANT_BITS + 1);
  uint64_t m;
  int32_t biased;
  if (shift > 0) {
    u128 rest = n & (((u128)1 << shift) - 1u);
    u128 half = (u128)1 << (shift - 1);
    m = (uint64_t)(n >> shift);
    if (rest > half || (rest == half && (sticky || (m & 1u))))
      m++;
    if (m == (uint64_t)1 << (MANT_BITS + 1)) {
      m >>= 1;
      shift++;
    }
  } else {
    if (sticky)
      return 0;
    m = (uint64_t)(n << -shift);
  }
  /* m is in [2^52, 2^53): the value is 1.f x 2^(e + shift + 52). */
  biased = e + shift + MANT_BITS + EXP_BIAS;
  if (biased < 1 || biased > 2 * EXP_BIAS)
    return 0;
  *bits =
      ((uint64_t)biased << MANT_BITS) | (m & (((uint64_t)1 << MANT_BITS) - 1u));
  return 1;
}

/* Out of line: the one-operation path, tried first, then saves no
 * registers for it. */
static TP_NOINLINE int
wide_path(uint64_t w, int64_t e10, uint64_t *bits) {
  const int32_t k = (int32_t)e10;
  if (e10 < -27 || e10 > 27)
    return 0;
  if (k >= 0)
    return round_bits((u128)w * POW5[k], k, 0, bits);
  {
    /* Scale w up to 127 bits before dividing: the quotient keeps >= 64. */
    unsigned s = 127u - bit_length(w);
    u128 num = (u128)w << s;
    u128 q = num / POW5[-k];
    int sticky = (q * POW5[-k]) != num;
    return round_bits(q, k - (int32_t)s, sticky, bits);
  }
}
#else
#define wide_path(m, e10, bits) ((void)(m), (void)(e10), (void)(bits), 0)
#endif

/* The magnitude's bits, for 0 < value and DP_UNDERFLOW <= dp <= DP_OVERFLOW,
 * keeping at most CAP digits. Scales by powers of two until the value is
 * in [0.5, 1), then takes 53 bits (fewer for subnormals) and rounds once on
 * the remainder. */
static uint64_t
convert(tp_decimal *dec) {
  int32_t exp2 = 0;
  int32_t e;
  unsigned extra;
  uint64_t mant;
  uint64_t biased;
  while (dec->dp > 0) {
    unsigned k = dec->dp < 9 ? RIGHT_SHIFT[dec->dp] : MAX_SHIFT;
    shift_right(dec, k);
    exp2 += (int32_t)k;
  }
  while (dec->dp < 0) {
    unsigned k = dec->dp > -19 ? LEFT_SHIFT[-dec->dp] : MAX_SHIFT;
    shift_left_by(dec, k);
    exp2 -= (int32_t)k;
  }
  /* In [0.1, 1): the doublings up to [0.5, 1) are left to the last shift,
   * which takes two passes over the digits with them or without, rather
   * than a pass of their own. Measured on the Cortex-M4 (mcu/icount.sh,
   * genbench.py 100 2 50): 0.4 instructions per byte (111.4 against 111.0). */
  extra = doublings(dec);
  exp2 -= (int32_t)extra;

  /* value = R x 2^exp2 with R (the digits x 2^extra) in [0.5, 1), so
   * 1.f x 2^(exp2 - 1). */
  e = exp2 - 1;
  if (e < MIN_EXP) {
    /* Subnormal: fewer bits fit; shifting first keeps one rounding. */
    shift_right_by(dec, (unsigned)(MIN_EXP - e));
    e = MIN_EXP;
  }
  if (e > MAX_EXP)
    return INF_BITS;

  shift_left_by(dec, MANT_BITS + 1 + extra);
  mant = rounded_integer(dec);
  if (mant == (uint64_t)2 << MANT_BITS) {
    /* Rounded up to the next binade. */
    mant >>= 1;
    e++;
    if (e > MAX_EXP)
      return INF_BITS;
  }

  /* A subnormal lacks the implicit bit, and its exponent field is 0; one
   * that rounded up to 2^52 becomes the smallest normal by itself. */
  if (mant < (uint64_t)1 << MANT_BITS)
    biased = 0;
  else
    biased = (uint64_t)(e + EXP_BIAS);
  return (biased << MANT_BITS) | (mant & (((uint64_t)1 << MANT_BITS) - 1));
}

int
tp__decimal_small(uint64_t m, int64_t e10, uint64_t *bits) {
  return fast_path(m, e10, bits) || wide_path(m, e10, bits);
}

double
tp__decimal_to_double(tp_decimal *dec) {
  uint64_t bits;
  double out;
  if (dec->nd == 0 || dec->dp < DP_UNDERFLOW)
    bits = 0;
  else if (dec->dp > DP_OVERFLOW)
    bits = INF_BITS;
  else
    bits = convert(dec);
  if (dec->negative)
    bits |= SIGN_BIT;
  memcpy(&out, &bits, sizeof out);
  return out;
}
