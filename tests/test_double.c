/* test_double.c -- xsd:double lexing, bit for bit against C-locale strtod. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "values.h"

/* Room for the longest generated literal: 4 x 5000 digits plus change. */
#define BUF_SIZE 24000

#define INF_BITS ((uint64_t)0x7ff0000000000000u)
#define QNAN_BITS ((uint64_t)0x7ff8000000000000u)
#define SIGN_BIT ((uint64_t)1 << 63)

/* Piece sizes; 0 means the whole text in one feed. */
static const size_t PIECES_ALL[] = {0, 1, 3};
static const size_t PIECES_TWO[] = {0, 7};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static unsigned long count_conversions; /* lexer runs checked, all tests */

/* ---- helpers ------------------------------------------------------------ */

/* splitmix64: a fixed seed makes a failure reproducible from its report. */
static uint64_t rng_state;

static uint64_t
next_random(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

static unsigned
random_below(unsigned n) {
  return (unsigned)(next_random() % n);
}

/* Shortens long literals in failure messages. */
static const char *
show(const char *s, size_t len) {
  static char out[200];
  size_t i, o = 0;
  for (i = 0; i < len && o + 32 < sizeof out; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f) {
      out[o++] = (char)c;
    } else {
      snprintf(out + o, sizeof out - o, "\\x%02x", c);
      o += 4;
    }
  }
  if (i < len)
    snprintf(out + o, sizeof out - o, "...(%zu)", len);
  else
    out[o] = '\0';
  return out;
}

/* Runs the lexer on s[0..len) in pieces of `piece` bytes (0: whole) and
 * checks the feed protocol on the way: an empty feed changes nothing, and
 * a failure is sticky and implies end fails with *out untouched. */
static int
lex(const char *s, size_t len, size_t piece, double *out) {
  tp_double_lexer lx;
  const double sentinel = 12345.0;
  double got = sentinel;
  int failed = 0;
  size_t i = 0;
  int r;

  tp__double_begin(&lx);
  if (tp__double_feed(&lx, s, 0) != 0)
    fail_msg("empty feed failed before any text");
  if (piece == 0)
    piece = len > 0 ? len : 1;
  while (i < len) {
    size_t k = len - i < piece ? len - i : piece;
    r = tp__double_feed(&lx, s + i, k);
    if (r != 0 && r != -1)
      fail_msg("feed returned %d on \"%s\"", r, show(s, len));
    if (failed && r != -1)
      fail_msg("feed failure not sticky on \"%s\"", show(s, len));
    if (r == -1)
      failed = 1;
    i += k;
  }
  if (tp__double_feed(&lx, s, 0) != (failed ? -1 : 0))
    fail_msg("empty feed changed the status on \"%s\"", show(s, len));
  r = tp__double_end(&lx, &got);
  if (r != 0 && r != -1)
    fail_msg("end returned %d on \"%s\"", r, show(s, len));
  if (failed && r != -1)
    fail_msg("end succeeded after feed failed on \"%s\"", show(s, len));
  if (r == -1 && bits_of(got) != bits_of(sentinel))
    fail_msg("end failed but wrote its output on \"%s\"", show(s, len));
  count_conversions++;
  *out = got;
  return r;
}

/* strtod's answer for a literal known to be valid XSD (strtod accepts a
 * superset); it must consume all but trailing XML whitespace. Nothing here
 * calls setlocale, so strtod works in the C locale: '.' is the point. */
static uint64_t
strtod_bits(const char *s) {
  char *end;
  double d = strtod(s, &end);
  while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
    end++;
  if (*end != '\0')
    fail_msg("strtod stopped early in \"%s\"", show(s, strlen(s)));
  return bits_of(d);
}

/* The lexer must accept s and give exactly `expect` at every piece size. */
static void
check_value(const char *s, size_t len, uint64_t expect, const size_t *pieces,
            size_t npieces) {
  for (size_t p = 0; p < npieces; p++) {
    double got;
    if (lex(s, len, pieces[p], &got) != 0)
      fail_msg("rejected valid \"%s\" (piece %zu)", show(s, len), pieces[p]);
    if (bits_of(got) != expect)
      fail_msg("\"%s\" (piece %zu): got %016llx (%.17g), want %016llx "
               "(%.17g)",
               show(s, len), pieces[p], (unsigned long long)bits_of(got), got,
               (unsigned long long)expect, double_from_bits(expect));
  }
}

/* As check_value, with strtod's answer as the expectation. */
static void
check_strtod(const char *s, const size_t *pieces, size_t npieces) {
  check_value(s, strlen(s), strtod_bits(s), pieces, npieces);
}

static void
check_invalid(const char *s, size_t len) {
  static const size_t pieces[] = {0, 1, 2};
  for (size_t p = 0; p < COUNT(pieces); p++) {
    double got;
    if (lex(s, len, pieces[p], &got) != -1)
      fail_msg("accepted invalid \"%s\" (piece %zu) as %.17g", show(s, len),
               pieces[p], got);
  }
}

/* Appends n copies of c; the buffers are sized for every caller. */
static size_t
put_repeat(char *buf, size_t pos, char c, size_t n) {
  memset(buf + pos, c, n);
  buf[pos + n] = '\0';
  return pos + n;
}

static size_t
put_str(char *buf, size_t pos, const char *s) {
  size_t n = strlen(s);
  memcpy(buf + pos, s, n + 1);
  return pos + n;
}

/* ---- exact decimal expansions ------------------------------------------ */

/* Writes the digits of n x 2^e2 (n > 0) to `digits`, no leading zeros, and
 * sets *e10 so that the value is digits x 10^e10: for e2 < 0 the value is
 * n x 5^-e2 / 10^-e2. Base 10^9 limbs; multipliers stay below 2^32 so that
 * limb * multiplier + carry fits in 64 bits. */
static size_t
exact_decimal(uint64_t n, int e2, char *digits, int *e10) {
  uint32_t limb[200];
  size_t nl = 0, len = 0;
  unsigned k = (unsigned)(e2 < 0 ? -e2 : e2);

  while (n != 0) {
    limb[nl++] = (uint32_t)(n % 1000000000u);
    n /= 1000000000u;
  }
  while (k > 0) {
    unsigned step = e2 < 0 ? (k < 13 ? k : 13) : (k < 31 ? k : 31);
    uint64_t mul = 1, carry = 0;
    for (unsigned i = 0; i < step; i++)
      mul *= e2 < 0 ? 5u : 2u;
    for (size_t i = 0; i < nl; i++) {
      uint64_t t = limb[i] * mul + carry;
      limb[i] = (uint32_t)(t % 1000000000u);
      carry = t / 1000000000u;
    }
    while (carry != 0) {
      assert_true(nl < COUNT(limb));
      limb[nl++] = (uint32_t)(carry % 1000000000u);
      carry /= 1000000000u;
    }
    k -= step;
  }
  len = (size_t)sprintf(digits, "%u", limb[nl - 1]);
  for (size_t i = nl - 1; i > 0; i--)
    len += (size_t)sprintf(digits + len, "%09u", limb[i - 1]);
  *e10 = e2 < 0 ? e2 : 0;
  return len;
}

/* Subtracts one unit in the last place; a leading digit may become 0,
 * which still reads correctly in the layouts below. */
static void
decrement_digits(char *digits, size_t len) {
  for (size_t i = len; i > 0; i--) {
    if (digits[i - 1] != '0') {
      digits[i - 1]--;
      return;
    }
    digits[i - 1] = '9';
  }
  fail_msg("decrement of zero");
}

/* digits x 10^e10 as d.ddd<tail>eX. */
static size_t
layout_scientific(char *buf, const char *sign, const char *digits, size_t len,
                  int e10, const char *tail) {
  return (size_t)sprintf(buf, "%s%c.%s%se%d", sign, digits[0], digits + 1, tail,
                         e10 + (int)len - 1);
}

/* digits x 10^e10 in positional notation, point included, tail after the
 * last digit: the leading zeros of tiny values run into the hundreds. */
static size_t
layout_positional(char *buf, const char *sign, const char *digits, size_t len,
                  int e10, const char *tail) {
  size_t pos = put_str(buf, 0, sign);
  long before = (long)len + e10; /* digits left of the point */
  if (e10 >= 0) {
    pos = put_str(buf, pos, digits);
    pos = put_repeat(buf, pos, '0', (size_t)e10);
    pos = put_str(buf, pos, ".");
  } else if (before > 0) {
    memcpy(buf + pos, digits, (size_t)before);
    pos += (size_t)before;
    buf[pos++] = '.';
    pos = put_str(buf, pos, digits + before);
  } else {
    pos = put_str(buf, pos, "0.");
    pos = put_repeat(buf, pos, '0', (size_t)-before);
    pos = put_str(buf, pos, digits);
  }
  return put_str(buf, pos, tail);
}

/* ---- random doubles ----------------------------------------------------- */

static void
test_random_doubles(void **state) {
  /* Precisions for "%.*g" (positive) and "%.*e" (negative); a literal
   * format string keeps -Wformat-nonliteral quiet. */
  static const int formats[] = {17, 16, 15, -20, -40};
  /* These keep every bit, so they must also give the original back. */
  static const int exact_format[] = {1, 0, 0, 1, 1};
  unsigned long n = env_count("TP_TEST_RANDOM", 200000);
  unsigned long done = 0, checks = 0;
  char buf[128];
  (void)state;

  rng_state = env_count("TP_TEST_SEED", 20240601u);
  while (done < n) {
    uint64_t b = next_random();
    /* Uniform patterns rarely land on subnormals: force some. */
    if (done % 16 == 15)
      b &= SIGN_BIT | 0x000fffffffffffffu;
    if (((b >> 52) & 0x7ff) == 0x7ff)
      continue; /* NaN and INF have no decimal form */
    for (size_t f = 0; f < COUNT(formats); f++) {
      uint64_t want;
      if (formats[f] > 0)
        snprintf(buf, sizeof buf, "%.*g", formats[f], double_from_bits(b));
      else
        snprintf(buf, sizeof buf, "%.*e", -formats[f], double_from_bits(b));
      want = strtod_bits(buf);
      if (exact_format[f] && want != b)
        fail_msg("strtod does not round-trip %s", buf);
      check_value(buf, strlen(buf), want, PIECES_ALL, COUNT(PIECES_ALL));
      checks += COUNT(PIECES_ALL);
    }
    done++;
  }
  print_message("random doubles: %lu values, %lu literals, %lu lexer runs\n",
                done, done * COUNT(formats), checks);
}

/* Decimal strings that are not printed doubles: any digit count (leading
 * zeros too), any point position, any exponent spelling. Short ones with
 * small exponents go through the exact fast path. */
static void
test_random_decimals(void **state) {
  unsigned long n = env_count("TP_TEST_RANDOM", 200000) / 2;
  char buf[256];
  (void)state;

  rng_state = env_count("TP_TEST_SEED", 20240601u) ^ 0x5555u;
  for (unsigned long i = 0; i < n; i++) {
    int fast = i % 2 == 0;
    unsigned nd = 1 + random_below(fast ? 16 : 45);
    unsigned point = random_below(nd + 2); /* nd + 1: no point */
    int e = fast ? (int)random_below(51) - 25 : (int)random_below(720) - 370;
    size_t pos = 0;
    if (random_below(3) == 0)
      buf[pos++] = random_below(2) ? '-' : '+';
    for (unsigned k = 0; k < nd; k++) {
      if (k == point)
        buf[pos++] = '.';
      buf[pos++] = (char)('0' + random_below(10));
    }
    if (point == nd)
      buf[pos++] = '.';
    switch (random_below(4)) {
    case 0:
      buf[pos] = '\0';
      break;
    case 1:
      snprintf(buf + pos, sizeof buf - pos, "e%d", e);
      break;
    case 2:
      snprintf(buf + pos, sizeof buf - pos, "E%+d", e);
      break;
    default:
      snprintf(buf + pos, sizeof buf - pos, "e%s%04d", e < 0 ? "-" : "",
               e < 0 ? -e : e);
      break;
    }
    check_strtod(buf, PIECES_TWO, COUNT(PIECES_TWO));
  }
  print_message("random decimals: %lu literals\n", n);
}

/* ---- halfway points ------------------------------------------------------ */

typedef struct hard_counts {
  unsigned long bases, ties, above, below;
} hard_counts;

/* Checks the literal against both the expected double and strtod, so a
 * disagreement says which of the two is off. */
static void
check_hard(const char *s, size_t len, uint64_t expect) {
  uint64_t st = strtod_bits(s);
  if (st != expect)
    fail_msg("strtod gives %016llx, the halfway rule %016llx for \"%s\"",
             (unsigned long long)st, (unsigned long long)expect, show(s, len));
  check_value(s, len, expect, PIECES_ALL, COUNT(PIECES_ALL));
}

/* The midpoint between the non-negative double `b` and the next one up,
 * exactly, just above and just below, in two layouts; with tails that put
 * the last non-zero digit at the end of the lexer's buffer or past it. */
static void
check_halfway(uint64_t b, int negative, hard_counts *counts) {
  static char digits[2000], below[2000], tail[2000], buf[6000];
  const uint64_t sign = negative ? SIGN_BIT : 0;
  const char *sgn = negative ? "-" : "";
  uint64_t biased = b >> 52, m = b & 0x000fffffffffffffu;
  uint64_t lower = b | sign, upper = (b + 1) | sign;
  uint64_t tie = (b & 1) ? upper : lower;
  int e2 = -1074, e10;
  size_t len, n, edge;

  if (biased != 0) {
    m |= (uint64_t)1 << 52;
    e2 = (int)biased - 1075;
  }
  /* b + ulp/2 = (2m + 1) x 2^(e2 - 1), also across a binade. */
  len = exact_decimal(2 * m + 1, e2 - 1, digits, &e10);
  assert_true(len < TP_DECIMAL_DIGITS);
  memcpy(below, digits, len + 1);
  decrement_digits(below, len);

  n = layout_scientific(buf, sgn, digits, len, e10, "");
  check_hard(buf, n, tie);
  /* Zeros past the buffer are not "something non-zero dropped". */
  put_repeat(tail, 0, '0', 1000);
  n = layout_scientific(buf, sgn, digits, len, e10, tail);
  check_hard(buf, n, tie);
  n = layout_positional(buf, sgn, digits, len, e10, "");
  check_hard(buf, n, tie);
  counts->ties += 3;

  n = layout_scientific(buf, sgn, digits, len, e10, "0001");
  check_hard(buf, n, upper);
  put_repeat(tail, 0, '0', 850);
  put_str(tail, 850, "1");
  n = layout_scientific(buf, sgn, digits, len, e10, tail);
  check_hard(buf, n, upper);
  n = layout_positional(buf, sgn, digits, len, e10, tail);
  check_hard(buf, n, upper);
  /* The last digit the lexer keeps is the only non-zero one past the
   * midpoint: nothing is dropped on input, but the shifts must not lose
   * it when their expansions outgrow the buffer. */
  edge = TP_DECIMAL_DIGITS - len;
  put_repeat(tail, 0, '0', edge - 1);
  put_str(tail, edge - 1, "1");
  n = layout_scientific(buf, sgn, digits, len, e10, tail);
  check_hard(buf, n, upper);
  counts->above += 4;

  n = layout_scientific(buf, sgn, below, len, e10, "9999");
  check_hard(buf, n, lower);
  put_repeat(tail, 0, '9', 900);
  n = layout_scientific(buf, sgn, below, len, e10, tail);
  check_hard(buf, n, lower);
  n = layout_positional(buf, sgn, below, len, e10, tail);
  check_hard(buf, n, lower);
  edge = TP_DECIMAL_DIGITS - len + (below[0] == '0');
  put_repeat(tail, 0, '9', edge);
  n = layout_positional(buf, sgn, below, len, e10, tail);
  check_hard(buf, n, lower);
  counts->below += 4;
  counts->bases++;
}

static void
test_halfway(void **state) {
  static const uint64_t special[] = {
      0x0000000000000000u, /* 0 / smallest subnormal: 2^-1075 ties to 0 */
      0x0000000000000001u, /* smallest subnormal */
      0x0000000000000002u,
      0x0000000000000003u,
      0x00000000ffffffffu,
      0x0008000000000000u,
      0x000ffffffffffffeu,
      0x000fffffffffffffu, /* largest subnormal / smallest normal */
      0x0010000000000000u, /* smallest normal */
      0x0010000000000001u,
      0x001fffffffffffffu,
      0x3fe0000000000000u, /* 0.5 */
      0x3fefffffffffffffu, /* just below 1 */
      0x3ff0000000000000u, /* 1 */
      0x4340000000000000u, /* 2^53: midpoint 9007199254740993 */
      0x433fffffffffffffu,
      0x44b52d02c7e14af6u, /* midpoint is exactly 1e23 */
      0x44b52d02c7e14af5u,
      0x7fe0000000000000u,
      0x7feffffffffffffeu,
      0x7fefffffffffffffu, /* DBL_MAX: midpoint is the overflow boundary */
  };
  unsigned long n = env_count("TP_TEST_HALFWAY", 1500);
  hard_counts c = {0, 0, 0, 0};
  (void)state;

  for (size_t i = 0; i < COUNT(special); i++) {
    check_halfway(special[i], 0, &c);
    check_halfway(special[i], 1, &c);
  }
  rng_state = env_count("TP_TEST_SEED", 20240601u) ^ 0xaaaau;
  for (unsigned long i = 0; i < n; i++) {
    uint64_t b = next_random() & 0x7fffffffffffffffu;
    if (i % 2 == 0)
      b &= 0x000fffffffffffffu; /* subnormal */
    else if (b >= 0x7fefffffffffffffu)
      b = 0x7feffffffffffffeu;
    check_halfway(b, (int)(i % 3 == 0), &c);
  }
  print_message("halfway points: %lu bases, %lu exact ties, %lu just above, "
                "%lu just below (each at 3 piece sizes)\n",
                c.bases, c.ties, c.above, c.below);
}

/* Direct calls: the conversion's own contract, trunc included. */
static void
test_decimal_direct(void **state) {
  static char digits[2000];
  tp_decimal dec;
  int e10;
  size_t len;
  (void)state;

  memset(&dec, 0, sizeof dec);
  assert_true(bits_of(tp__decimal_to_double(&dec)) == 0);
  dec.negative = 1;
  dec.dp = 100000;
  assert_true(bits_of(tp__decimal_to_double(&dec)) == SIGN_BIT);

  dec.nd = 1;
  dec.d[0] = 1;
  dec.dp = 100000;
  dec.negative = 0;
  assert_true(bits_of(tp__decimal_to_double(&dec)) == INF_BITS);
  dec.nd = 1;
  dec.d[0] = 1;
  dec.dp = -100000;
  dec.negative = 1;
  assert_true(bits_of(tp__decimal_to_double(&dec)) == SIGN_BIT);

  /* 2^-1075 with 751 significant digits: a tie unless trunc says more
   * follows. */
  len = exact_decimal(1, -1075, digits, &e10);
  assert_true(len <= TP_DECIMAL_DIGITS);
  for (int trunc = 0; trunc < 2; trunc++) {
    memset(&dec, 0, sizeof dec);
    for (size_t i = 0; i < len; i++)
      dec.d[i] = (uint8_t)(digits[i] - '0');
    while (len > 0 && dec.d[len - 1] == 0)
      len--;
    dec.nd = (uint32_t)len;
    dec.dp = e10 + (int32_t)len;
    dec.trunc = (uint8_t)trunc;
    assert_true(bits_of(tp__decimal_to_double(&dec)) == (uint64_t)trunc);
  }
  print_message("direct conversions: 6\n");
}

/* ---- long and extreme inputs ------------------------------------------- */

static void
test_long_inputs(void **state) {
  static char buf[BUF_SIZE];
  static const size_t pieces[] = {0, 1, 4096};
  unsigned long count = 0;
  size_t pos;
  (void)state;

#define CHECK_STRTOD_BUF()                                                     \
  do {                                                                         \
    check_strtod(buf, pieces, COUNT(pieces));                                  \
    count++;                                                                   \
  } while (0)
#define CHECK_VALUE_BUF(bits)                                                  \
  do {                                                                         \
    assert_true(strtod_bits(buf) == (bits));                                   \
    check_value(buf, strlen(buf), (bits), pieces, COUNT(pieces));              \
    count++;                                                                   \
  } while (0)

  /* Thousands of leading zeros, before and after the point. */
  pos = put_repeat(buf, 0, '0', 3000);
  put_str(buf, pos, "1.5");
  CHECK_VALUE_BUF(bits_of(1.5));
  pos = put_str(buf, 0, "-0.");
  pos = put_repeat(buf, pos, '0', 3000);
  put_str(buf, pos, "15e3001");
  CHECK_VALUE_BUF(bits_of(-1.5));
  pos = put_str(buf, 0, "0.");
  pos = put_repeat(buf, pos, '0', 5000);
  put_str(buf, pos, "1");
  CHECK_VALUE_BUF(0);
  pos = put_str(buf, 0, "-0.");
  pos = put_repeat(buf, pos, '0', 5000);
  put_str(buf, pos, "1e5001");
  CHECK_VALUE_BUF(bits_of(-1.0));
  pos = put_repeat(buf, 0, '0', 5000);
  pos = put_str(buf, pos, ".");
  put_repeat(buf, pos, '0', 5000);
  CHECK_VALUE_BUF(0);

  /* A huge mantissa cancelled by the exponent: the point must not be
   * clamped before the exponent is added. */
  pos = put_str(buf, 0, "1");
  pos = put_repeat(buf, pos, '0', 5000);
  put_str(buf, pos, "e-5000");
  CHECK_VALUE_BUF(bits_of(1.0));
  pos = put_str(buf, 0, "1");
  put_repeat(buf, pos, '0', 400);
  CHECK_VALUE_BUF(INF_BITS);

  /* Exponents with thousands of digits. */
  pos = put_str(buf, 0, "1e");
  pos = put_repeat(buf, pos, '0', 5000);
  put_str(buf, pos, "5");
  CHECK_VALUE_BUF(bits_of(1e5));
  pos = put_str(buf, 0, "1e+");
  put_repeat(buf, pos, '9', 5000);
  CHECK_VALUE_BUF(INF_BITS);
  pos = put_str(buf, 0, "-1e+");
  put_repeat(buf, pos, '9', 5000);
  CHECK_VALUE_BUF(INF_BITS | SIGN_BIT);
  pos = put_str(buf, 0, "1e-");
  put_repeat(buf, pos, '9', 5000);
  CHECK_VALUE_BUF(0);
  pos = put_str(buf, 0, "-1e-");
  put_repeat(buf, pos, '9', 5000);
  CHECK_VALUE_BUF(SIGN_BIT);
  pos = put_str(buf, 0, "0e");
  put_repeat(buf, pos, '9', 5000);
  CHECK_VALUE_BUF(0);
  pos = put_str(buf, 0, "-0.000e+");
  put_repeat(buf, pos, '9', 5000);
  CHECK_VALUE_BUF(SIGN_BIT);
  pos = put_str(buf, 0, "-0.000e-");
  put_repeat(buf, pos, '9', 5000);
  CHECK_VALUE_BUF(SIGN_BIT);
  /* 10^4999 digits before the point, 10^-5000 after: they cancel. */
  pos = put_str(buf, 0, "0.");
  pos = put_repeat(buf, pos, '0', 4999);
  pos = put_str(buf, pos, "25e");
  pos = put_repeat(buf, pos, '0', 3000);
  put_str(buf, pos, "4999");
  CHECK_VALUE_BUF(bits_of(0.25));

  /* Thousands of significant digits, compared with strtod. */
  rng_state = env_count("TP_TEST_SEED", 20240601u) ^ 0x1234u;
  for (int round = 0; round < 40; round++) {
    size_t nd = 800 + random_below(5000);
    int e = (int)random_below(700) - 350 - (int)nd;
    pos = 0;
    if (round % 2)
      buf[pos++] = '-';
    buf[pos++] = (char)('1' + random_below(9));
    for (size_t i = 1; i < nd; i++)
      buf[pos++] = (char)('0' + random_below(10));
    snprintf(buf + pos, sizeof buf - pos, "e%d", e);
    CHECK_STRTOD_BUF();
    /* Only zeros after digit 800: exact, never truncated. */
    memset(buf + (round % 2) + 800, '0', nd - 800);
    CHECK_STRTOD_BUF();
  }

  /* Named boundaries. */
  static const struct {
    const char *s;
    uint64_t bits;
  } named[] = {
      {"1e400", INF_BITS},
      {"-1e400", INF_BITS | SIGN_BIT},
      {"1e-400", 0},
      {"-1e-400", SIGN_BIT},
      {"-0", SIGN_BIT},
      {"-0.0e0", SIGN_BIT},
      {"+0", 0},
      {"1.7976931348623157e308", 0x7fefffffffffffffu},
      {"1.7976931348623158e308", 0x7fefffffffffffffu},
      {"1.7976931348623159e308", INF_BITS},
      {"-1.7976931348623159e308", INF_BITS | SIGN_BIT},
      {"4.9406564584124654e-324", 1},
      {"2.4703282292062328e-324", 1},
      {"2.4703282292062327e-324", 0},
      {"-2.4703282292062327e-324", SIGN_BIT},
      {"2.2250738585072011e-308", 0x000fffffffffffffu},
      {"2.2250738585072014e-308", 0x0010000000000000u},
      {"1e23", 0x44b52d02c7e14af6u},
      {"9007199254740993", 0x4340000000000000u},
      {"9007199254740995", 0x4340000000000002u},
      {"0.1", 0x3fb999999999999au},
      {"0.25227415821964772", 0},
      {"123456789012345e-22", 0},
      {"1e22", 0},
      {"1e30", 0},
      {"123e35", 0},
      {"9999999999999999e22", 0},
      {"0.000000000000000000000000000001", 0},
  };
  for (size_t i = 0; i < COUNT(named); i++) {
    uint64_t want = strtod_bits(named[i].s);
    if (named[i].bits != 0 && want != named[i].bits)
      fail_msg("strtod disagrees on %s", named[i].s);
    check_value(named[i].s, strlen(named[i].s), want, pieces, COUNT(pieces));
    count++;
  }
#undef CHECK_STRTOD_BUF
#undef CHECK_VALUE_BUF
  print_message("long and extreme inputs: %lu literals\n", count);
}

/* ---- lexical forms ------------------------------------------------------ */

typedef struct literal {
  const char *s;
  size_t len;
} literal;

/* clang-format off */
#define LIT(s) {s, sizeof(s) - 1}

static const literal VALID[] = {
    LIT("0"), LIT("-0"), LIT("+0"), LIT("1"), LIT("+1"), LIT("-1"),
    LIT("1."), LIT("-1."), LIT(".5"), LIT("-.5"), LIT("+.5"), LIT("0.5"),
    LIT("1.5e3"), LIT("1.5E3"), LIT("1.5e+3"), LIT("1.5e-3"), LIT("1e0"),
    LIT("1E+00"), LIT("1e-0"), LIT("1.e5"), LIT(".0e0"), LIT("0e0"),
    LIT("007"), LIT("00.00"), LIT("-00.0100e-0"),
    LIT("INF"), LIT("+INF"), LIT("-INF"), LIT("NaN"),
    LIT("  1.5  "), LIT("\t\n\r 1 \r\n\t"), LIT(" INF "), LIT(" NaN\n"),
    LIT("\n-INF\t"),
    LIT("12345678901234567890"), LIT("1e-5"), LIT("3.14159"),
    LIT("6.02214076E23"), LIT("-1.602176634e-19"),
    LIT("0.30000000000000004"),
};

static const literal INVALID[] = {
    /* nothing, or no digit */
    LIT(""), LIT(" "), LIT(" \t\r\n"), LIT("+"), LIT("-"), LIT("."),
    LIT("+."), LIT("-."), LIT(".."), LIT("e"), LIT("e5"), LIT("E5"),
    LIT(".e5"), LIT("-e5"),
    /* incomplete or doubled exponent */
    LIT("1e"), LIT("1E+"), LIT("1e-"), LIT("1.e"), LIT("1e++5"),
    LIT("1e+-5"), LIT("1ee5"), LIT("1e5e"), LIT("1e5e5"), LIT("1e5.0"),
    /* foreign syntax */
    LIT("1.0f"), LIT("1,5"), LIT("1d5"), LIT("1_000"), LIT("0x10"),
    LIT("1.2.3"), LIT("1..2"), LIT("0.5."), LIT("++1"), LIT("+-1"),
    LIT("--1"),
    /* internal or non-XML whitespace */
    LIT("1 5"), LIT("1. 5"), LIT("1 e5"), LIT("1e 5"), LIT("1e+ 5"),
    LIT("- 1"), LIT("+ INF"), LIT("1 1"), LIT("1e5 x"), LIT("1\v"),
    LIT("\v1"), LIT("\f1"), LIT("1\xc2\xa0"),
    /* embedded NUL, non-ASCII digit */
    LIT("1\0"), LIT("\0" "1"), LIT("\xd9\xa1"),
    /* INF and NaN are case-sensitive, NaN takes no sign */
    LIT("inf"), LIT("nan"), LIT("NAN"), LIT("Inf"), LIT("+NaN"),
    LIT("-NaN"), LIT("+-INF"), LIT("INFINITY"), LIT("Infinity"),
    LIT("INFx"), LIT("IN"), LIT("I"), LIT("N"), LIT("Na"), LIT("NaNa"),
    LIT("NaN0"), LIT("INF1"), LIT("INF INF"), LIT("NaN NaN"),
};
/* clang-format on */

static void
test_lexical(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(VALID); i++) {
    uint64_t want = strtod_bits(VALID[i].s);
    check_value(VALID[i].s, VALID[i].len, want, PIECES_ALL, COUNT(PIECES_ALL));
  }
  /* strtod's NaN and signed zeros are what XSD asks for, but say so. */
  check_value("NaN", 3, QNAN_BITS, PIECES_ALL, COUNT(PIECES_ALL));
  check_value("-0", 2, SIGN_BIT, PIECES_ALL, COUNT(PIECES_ALL));
  check_value("+INF", 4, INF_BITS, PIECES_ALL, COUNT(PIECES_ALL));
  check_value("-INF", 4, INF_BITS | SIGN_BIT, PIECES_ALL, COUNT(PIECES_ALL));
  for (size_t i = 0; i < COUNT(INVALID); i++)
    check_invalid(INVALID[i].s, INVALID[i].len);
  print_message("lexical forms: %zu valid, %zu invalid\n", COUNT(VALID) + 4,
                COUNT(INVALID));
}

/* ---- piece independence ------------------------------------------------- */

static void
lex_split(const char *s, size_t len, size_t a, size_t b, int *r,
          uint64_t *bits) {
  tp_double_lexer lx;
  double out = 0.0;
  tp__double_begin(&lx);
  tp__double_feed(&lx, s, a);
  tp__double_feed(&lx, s + a, b - a);
  tp__double_feed(&lx, s + b, len - b);
  *r = tp__double_end(&lx, &out);
  *bits = *r == 0 ? bits_of(out) : 0;
}

static unsigned long
check_splits(const char *s, size_t len) {
  unsigned long n = 0;
  int r0, r;
  uint64_t b0, b;

  lex_split(s, len, len, len, &r0, &b0);
  for (size_t a = 0; a <= len; a++) {
    lex_split(s, len, a, len, &r, &b);
    if (r != r0 || b != b0)
      fail_msg("\"%s\" split at %zu differs from whole", show(s, len), a);
    n++;
  }
  /* Three pieces on the short ones. */
  if (len <= 40) {
    for (size_t a = 0; a <= len; a++) {
      for (size_t c = a; c <= len; c++) {
        lex_split(s, len, a, c, &r, &b);
        if (r != r0 || b != b0)
          fail_msg("\"%s\" split at %zu,%zu differs from whole", show(s, len),
                   a, c);
        n++;
      }
    }
  }
  return n;
}

static void
test_piece_independence(void **state) {
  static char buf[4000];
  static char digits[2000];
  unsigned long splits = 0, literals = 0;
  size_t n;
  int e10;
  (void)state;

  for (size_t i = 0; i < COUNT(VALID); i++, literals++)
    splits += check_splits(VALID[i].s, VALID[i].len);
  for (size_t i = 0; i < COUNT(INVALID); i++, literals++)
    splits += check_splits(INVALID[i].s, INVALID[i].len);

  /* The subnormal midpoint just above 2^-1075, in both layouts, and a
   * truncated tail: every split must agree on the last bit. */
  n = exact_decimal(1, -1075, digits, &e10);
  n = layout_scientific(buf, "-", digits, n, e10, "00000000001");
  splits += check_splits(buf, n);
  literals++;
  n = exact_decimal(1, -1075, digits, &e10);
  n = layout_positional(buf, "", digits, n, e10, "");
  splits += check_splits(buf, n);
  literals++;
  n = exact_decimal(0x3fffffffffffffu, 970, digits, &e10);
  n = layout_positional(buf, " ", digits, n, e10, "0 ");
  splits += check_splits(buf, n);
  literals++;
  splits += check_splits("  -0.00000123456789012345678901234e+0305  ", 42);
  literals++;
  print_message("piece independence: %lu literals, %lu splits\n", literals,
                splits);
}

/* Regression: the lexer once read eight digits at a time, and its first
 * eight-byte test took '.' (and any byte whose high nibble turns 3 once 6 is
 * added) for a digit. Every byte value at every place of such a window,
 * in the integer part and after the point, must still give what one-byte
 * pieces give. */
static void
test_eight_byte_digit_runs(void **state) {
  static const char *const SHAPES[] = {"1.234567890123", "123456789.0123",
                                       "0.000123456789012", "-98765432101234"};
  unsigned long checks = 0;
  (void)state;
  for (size_t k = 0; k < COUNT(SHAPES); k++) {
    const size_t len = strlen(SHAPES[k]);
    for (size_t pos = 0; pos < len; pos++) {
      for (int c = 1; c < 256; c++) {
        char buf[32];
        double whole, bytewise;
        int r_whole, r_bytewise;
        memcpy(buf, SHAPES[k], len);
        buf[pos] = (char)c;
        r_whole = lex(buf, len, 0, &whole);
        r_bytewise = lex(buf, len, 1, &bytewise);
        if (r_whole != r_bytewise ||
            (r_whole == 0 && bits_of(whole) != bits_of(bytewise)))
          fail_msg("\"%s\": whole %d (%.17g), one byte at a time %d (%.17g)",
                   show(buf, len), r_whole, whole, r_bytewise, bytewise);
        checks++;
      }
    }
  }
  print_message("eight-byte digit runs: %lu literals\n", checks);
}

/* The 128-bit path (up to 19 digits, powers of ten within +-27), where
 * server-printed doubles land: random mantissas of 1 to 19 digits at every
 * exponent of that range, and Java-style shortest forms of random doubles
 * between 1e-10 and 1e10, against strtod. */
static void
test_wide_range(void **state) {
  unsigned long n = env_count("TP_TEST_RANDOM", 200000), i, checks = 0;
  char buf[64];
  (void)state;
  for (i = 0; i < n; i++) {
    uint64_t w = next_random();
    int digits = 1 + (int)(next_random() % 19u);
    int k = (int)(next_random() % 55u) - 27;
    uint64_t limit = 1;
    int len;
    for (int d = 0; d < digits && limit <= UINT64_MAX / 10u; d++)
      limit *= 10u;
    if (digits < 20)
      w %= limit;
    len = snprintf(buf, sizeof buf, "%llue%d", (unsigned long long)w, k);
    check_value(buf, (size_t)len, strtod_bits(buf), PIECES_TWO,
                COUNT(PIECES_TWO));
    checks++;
    {
      double d = double_from_bits(next_random());
      double lo = 1e-10, hi = 1e10;
      if (!(d == d) || d < 0)
        d = -d;
      if (!(d >= lo && d <= hi))
        d = lo + (hi - lo) * (double)(next_random() >> 11) / 9007199254740992.0;
      for (int prec = 15; prec <= 17; prec++) {
        len = snprintf(buf, sizeof buf, "%.*g", prec, d);
        check_value(buf, (size_t)len, strtod_bits(buf), PIECES_TWO,
                    COUNT(PIECES_TWO));
        checks++;
      }
    }
  }
  print_message("wide range: %lu literals\n", checks);
}

int
main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lexical),
      cmocka_unit_test(test_piece_independence),
      cmocka_unit_test(test_eight_byte_digit_runs),
      cmocka_unit_test(test_decimal_direct),
      cmocka_unit_test(test_long_inputs),
      cmocka_unit_test(test_halfway),
      cmocka_unit_test(test_random_decimals),
      cmocka_unit_test(test_random_doubles),
      cmocka_unit_test(test_wide_range),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  print_message("lexer runs checked: %lu\n", count_conversions);
  return failed;
}
