/* test_values.c -- the xsd:int, xsd:double and xsd:dateTime lexers against
 * every row of the W3C-derived tables in tests/conformance/xsd-lexical
 * (XSD 1.1 verdicts), each literal fed whole, byte by byte, and split at
 * every offset; plus locale independence. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "values.h"

#define MAX_LIT 4096

typedef struct row {
  char lit[MAX_LIT];
  size_t lit_len;
  int valid;
  char version[8];
  char *cols[16];
  int ncols;
} row;

/* Decodes a JSON string literal (as the tables write them) into UTF-8. */
static int
json_unquote(const char *s, char *out, size_t *out_len) {
  size_t n = 0;
  if (*s++ != '"')
    return -1;
  while (*s && *s != '"') {
    unsigned long cp;
    if (*s != '\\') {
      out[n++] = *s++;
      continue;
    }
    s++;
    switch (*s) {
    case 'n':
      out[n++] = '\n';
      s++;
      continue;
    case 't':
      out[n++] = '\t';
      s++;
      continue;
    case 'r':
      out[n++] = '\r';
      s++;
      continue;
    case '"':
      out[n++] = '"';
      s++;
      continue;
    case '\\':
      out[n++] = '\\';
      s++;
      continue;
    case '/':
      out[n++] = '/';
      s++;
      continue;
    case 'u':
      break;
    default:
      return -1;
    }
    cp = strtoul((char[5]){s[1], s[2], s[3], s[4], 0}, NULL, 16);
    s += 5;
    if (cp >= 0xD800 && cp < 0xDC00 && s[0] == '\\' && s[1] == 'u') {
      unsigned long lo =
          strtoul((char[5]){s[2], s[3], s[4], s[5], 0}, NULL, 16);
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      s += 6;
    }
    if (cp < 0x80) {
      out[n++] = (char)cp;
    } else if (cp < 0x800) {
      out[n++] = (char)(0xC0 | (cp >> 6));
      out[n++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out[n++] = (char)(0xE0 | (cp >> 12));
      out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
      out[n++] = (char)(0x80 | (cp & 0x3F));
    } else {
      out[n++] = (char)(0xF0 | (cp >> 18));
      out[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
      out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
      out[n++] = (char)(0x80 | (cp & 0x3F));
    }
  }
  out[n] = '\0';
  *out_len = n;
  return 0;
}

/* Splits a TSV line in place. */
static int
split_tsv(char *line, char **cols, int max) {
  int n = 0;
  char *p = line;
  line[strcspn(line, "\r\n")] = '\0';
  while (n < max) {
    cols[n++] = p;
    p = strchr(p, '\t');
    if (p == NULL)
      break;
    *p++ = '\0';
  }
  return n;
}

typedef void (*row_check)(const row *r, const char *piece_desc,
                          const size_t *cuts, size_t ncuts);

/* Runs `check` on the row with the literal cut into pieces at: nowhere,
 * every byte, and every single offset. */
static void
for_each_split(const row *r, row_check check) {
  size_t cuts[MAX_LIT];
  size_t i;
  check(r, "whole", NULL, 0);
  for (i = 0; i + 1 < r->lit_len; i++)
    cuts[i] = i + 1;
  check(r, "bytewise", cuts, r->lit_len ? r->lit_len - 1 : 0);
  for (i = 0; i <= r->lit_len; i++) {
    cuts[0] = i;
    check(r, "split", cuts, 1);
  }
}

static size_t rows_checked;

static FILE *
open_table(const char *name) {
  char file[256], path[1024];
  FILE *f;
  snprintf(file, sizeof file, "xsd-lexical/%s", name);
  test_path(path, sizeof path, conformance_dir(), file);
  f = fopen(path, "r");
  if (f == NULL)
    fail_msg("cannot open %s", path);
  return f;
}

/* Returns 1 and fills r for the next row that XSD 1.1 gives a verdict on. */
static int
next_row(FILE *f, row *r) {
  static char line[16384];
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "lexical\t", 8) == 0)
      continue;
    r->ncols = split_tsv(line, r->cols, 16);
    assert_true(r->ncols >= 4);
    assert_int_equal(json_unquote(r->cols[0], r->lit, &r->lit_len), 0);
    r->valid = atoi(r->cols[1]);
    snprintf(r->version, sizeof r->version, "%s", r->cols[2]);
    if (strcmp(r->version, "1.0") == 0)
      continue; /* we implement XSD 1.1 where the versions differ */
    return 1;
  }
  return 0;
}

/* Runs `check` over every row of a table XSD 1.1 rules on. */
static void
run_table(const char *file, row_check check, size_t min_rows) {
  FILE *f = open_table(file);
  row r;
  size_t n = 0;
  while (next_row(f, &r)) {
    for_each_split(&r, check);
    n++;
  }
  fclose(f);
  assert_true(n >= min_rows);
  rows_checked += n;
}

/* ---- int ---- */

static void
check_int(const row *r, const char *desc, const size_t *cuts, size_t ncuts) {
  tp_int_lexer lx;
  int32_t v = 0;
  int ok;
  tp__int_begin(&lx);
  ok = lex_feed_pieces(&lx, lex_feed_int, r->lit, r->lit_len, cuts, ncuts) == 0;
  if (tp__int_end(&lx, &v) != 0)
    ok = 0;
  if (ok != r->valid)
    fail_msg("int %s (%s): verdict %d, expected %d", r->cols[0], desc, ok,
             r->valid);
  if (ok && v != (int32_t)strtol(r->cols[3], NULL, 10))
    fail_msg("int %s (%s): value %d, expected %s", r->cols[0], desc, (int)v,
             r->cols[3]);
}

static void
test_int_table(void **state) {
  (void)state;
  run_table("int.tsv", check_int, 100);
}

/* ---- double ---- */

static void
check_double(const row *r, const char *desc, const size_t *cuts, size_t ncuts) {
  tp_double_lexer lx;
  double v = 0;
  int ok;
  tp__double_begin(&lx);
  ok = lex_feed_pieces(&lx, lex_feed_double, r->lit, r->lit_len, cuts, ncuts) ==
       0;
  if (tp__double_end(&lx, &v) != 0)
    ok = 0;
  if (ok != r->valid)
    fail_msg("double %s (%s): verdict %d, expected %d", r->cols[0], desc, ok,
             r->valid);
  if (!ok)
    return;
  if (strcmp(r->cols[3], "nan") == 0) {
    if (!isnan(v))
      fail_msg("double %s (%s): expected NaN, got %a", r->cols[0], desc, v);
  } else {
    double want = strcmp(r->cols[3], "inf") == 0    ? HUGE_VAL
                  : strcmp(r->cols[3], "-inf") == 0 ? -HUGE_VAL
                                                    : strtod(r->cols[3], NULL);
    if (memcmp(&want, &v, sizeof v) != 0)
      fail_msg("double %s (%s): got %a, expected %a", r->cols[0], desc, v,
               want);
  }
}

static void
test_double_table(void **state) {
  (void)state;
  run_table("double.tsv", check_double, 190);
}

/* ---- dateTime ---- */

static void
check_datetime(const row *r, const char *desc, const size_t *cuts,
               size_t ncuts) {
  tp_datetime_lexer lx;
  tp_datetime v;
  int ok;
  memset(&v, 0, sizeof v);
  tp__datetime_begin(&lx);
  ok = lex_feed_pieces(&lx, lex_feed_datetime, r->lit, r->lit_len, cuts,
                       ncuts) == 0;
  if (tp__datetime_end(&lx, &v) != 0)
    ok = 0;
  if (ok != r->valid)
    fail_msg("dateTime %s (%s): verdict %d, expected %d", r->cols[0], desc, ok,
             r->valid);
  if (!ok)
    return;
  assert_true(r->ncols >= 11);
  {
    long want_tz =
        strcmp(r->cols[10], "none") == 0 ? TP_TZ_NONE : atol(r->cols[10]);
    if (v.year != atol(r->cols[3]) || v.month != atol(r->cols[4]) ||
        v.day != atol(r->cols[5]) || v.hour != atol(r->cols[6]) ||
        v.minute != atol(r->cols[7]) || v.second != atol(r->cols[8]) ||
        v.nanosecond != strtoul(r->cols[9], NULL, 10) ||
        v.tz_minutes != want_tz)
      fail_msg("dateTime %s (%s): got %d-%u-%u %u:%u:%u.%u tz %d", r->cols[0],
               desc, (int)v.year, v.month, v.day, v.hour, v.minute, v.second,
               (unsigned)v.nanosecond, v.tz_minutes);
  }
}

static void
test_datetime_table(void **state) {
  (void)state;
  run_table("dateTime.tsv", check_datetime, 160);
}

/* Literals longer than the lexer's copy of the text (TP_DT_TEXT), which it
 * then keeps with its whitespace gone and its digit runs cut: long
 * padding, fractions and years, each fed in every split as the tables are.
 * `want` is "year month day hour minute second ns tz", or NULL: invalid. */
static void
test_datetime_long_forms(void **state) {
  static const struct {
    const char *head;
    char fill;
    size_t count;
    const char *tail;
    const char *want;
  } cases[] = {
      {"2001-02-03T04:05:06.123456789", '9', 40, "+14:00",
       "2001 2 3 4 5 6 123456789 840"},
      {"2000-02-29T24:00:00.", '0', 60, "Z", "2000 3 1 0 0 0 0 0"},
      {"-2147483647-12-31T23:59:59.", '9', 50, "",
       "-2147483647 12 31 23 59 "
       "59 999999999 none"},
      {"", ' ', 100, "2001-02-03T04:05:06.5\n",
       "2001 2 3 4 5 6 500000000 none"},
      {"2001-02-03T04:05:06Z", '\t', 100, "", "2001 2 3 4 5 6 0 0"},
      /* a non-zero digit past those kept, in hour 24 */
      {"2000-02-29T24:00:00.", '0', 60, "1", NULL},
      /* a cut run that is not the fraction, or two cut runs */
      {"1234567890", '1', 30, "-01-01T00:00:00", NULL},
      {"1234567890", '1', 10, "-01-01T00:00:00.1234567890123", NULL},
      {"2001-02-03T04:05:06+01:00", '0', 40, "", NULL},
      /* whitespace inside, or text after the trailing whitespace */
      {"2001-02-03T04:05:06.", '1', 50, " Z", NULL},
      {"2001-02-03T04:05:06.1", ' ', 50, "x", NULL},
  };
  static row r;
  static char want[128];
  (void)state;
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    size_t n = strlen(cases[k].head);
    memcpy(r.lit, cases[k].head, n);
    memset(r.lit + n, cases[k].fill, cases[k].count);
    n += cases[k].count;
    memcpy(r.lit + n, cases[k].tail, strlen(cases[k].tail));
    r.lit_len = n + strlen(cases[k].tail);
    assert_true(r.lit_len > TP_DT_TEXT);
    r.valid = cases[k].want != NULL;
    snprintf(want, sizeof want, "case%zu - - %s", k,
             r.valid ? cases[k].want : "");
    r.ncols = 0;
    for (char *t = strtok(want, " "); t != NULL; t = strtok(NULL, " "))
      r.cols[r.ncols++] = t;
    for_each_split(&r, check_datetime);
  }
}

/* "Z" and "+00:00" are the same offset, but a printer must be able to
 * give back what was received. */
static void
test_datetime_keeps_z(void **state) {
  tp_datetime_lexer lx;
  tp_datetime a, b;
  (void)state;
  tp__datetime_begin(&lx);
  assert_int_equal(tp__datetime_feed(&lx, "2001-01-01T00:00:00Z", 20), 0);
  assert_int_equal(tp__datetime_end(&lx, &a), 0);
  tp__datetime_begin(&lx);
  assert_int_equal(tp__datetime_feed(&lx, "2001-01-01T00:00:00+00:00", 25), 0);
  assert_int_equal(tp__datetime_end(&lx, &b), 0);
  assert_int_equal(a.tz_minutes, 0);
  assert_int_equal(b.tz_minutes, 0);
  assert_int_equal(a.tz_is_z, 1);
  assert_int_equal(b.tz_is_z, 0);
}

/* Values of any length decode in constant memory: a megabyte of padding
 * and leading zeros. */
static void
test_long_padding(void **state) {
  static char pad[1 << 20];
  tp_int_lexer il;
  tp_double_lexer dl;
  tp_datetime_lexer tl;
  int32_t i;
  double d;
  tp_datetime dt;
  (void)state;
  memset(pad, ' ', sizeof pad);
  tp__int_begin(&il);
  assert_int_equal(tp__int_feed(&il, pad, sizeof pad), 0);
  memset(pad, '0', sizeof pad);
  assert_int_equal(tp__int_feed(&il, pad, sizeof pad), 0);
  assert_int_equal(tp__int_feed(&il, "42", 2), 0);
  memset(pad, '\n', sizeof pad);
  assert_int_equal(tp__int_feed(&il, pad, sizeof pad), 0);
  assert_int_equal(tp__int_end(&il, &i), 0);
  assert_int_equal(i, 42);

  tp__double_begin(&dl);
  memset(pad, '0', sizeof pad);
  assert_int_equal(tp__double_feed(&dl, "-", 1), 0);
  assert_int_equal(tp__double_feed(&dl, pad, sizeof pad), 0);
  assert_int_equal(tp__double_feed(&dl, "0.5", 3), 0);
  assert_int_equal(tp__double_end(&dl, &d), 0);
  assert_true(d == -0.5);

  tp__datetime_begin(&tl);
  memset(pad, '\t', sizeof pad);
  assert_int_equal(tp__datetime_feed(&tl, pad, sizeof pad), 0);
  assert_int_equal(tp__datetime_feed(&tl, "2001-02-03T04:05:06.", 20), 0);
  memset(pad, '7', sizeof pad);
  assert_int_equal(tp__datetime_feed(&tl, pad, sizeof pad), 0);
  assert_int_equal(tp__datetime_end(&tl, &dt), 0);
  assert_int_equal(dt.nanosecond, 777777777);
}

/* Out-of-range ints in every form are errors, not wrapped values. */
static void
test_int_overflow_forms(void **state) {
  static const char *const bad[] = {
      "2147483648",           "-2147483649",   "+2147483648",    "4294967296",
      "99999999999999999999", "0002147483648", "-0002147483649",
  };
  size_t k;
  (void)state;
  for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    tp_int_lexer lx;
    int32_t v;
    tp__int_begin(&lx);
    (void)tp__int_feed(&lx, bad[k], strlen(bad[k]));
    if (tp__int_end(&lx, &v) == 0)
      fail_msg("%s decoded as %d", bad[k], (int)v);
  }
}

/* Set when a case could not run here: the program then exits 77 (SKIP)
 * unless something failed, rather than pass for what it did not check. */
static int skipped;

/* A comma-decimal locale must not change how doubles parse. make check
 * compiles de_DE.UTF-8 into the build tree (TP_TEST_LOCPATH) where the
 * machine has none installed. */
static void
test_double_locale_independent(void **state) {
  static const char *const locales[] = {"de_DE.UTF-8", "de_DE.utf8",
                                        "fr_FR.UTF-8", "fr_FR.utf8",
                                        "nl_NL.UTF-8", "ru_RU.UTF-8"};
  const char *locpath = getenv("TP_TEST_LOCPATH");
  size_t k;
  const char *got = NULL;
  tp_double_lexer lx;
  double d;
  (void)state;
  for (k = 0; k < sizeof locales / sizeof locales[0] && got == NULL; k++)
    got = setlocale(LC_ALL, locales[k]);
  if (got == NULL && locpath != NULL && *locpath != '\0' &&
      setenv("LOCPATH", locpath, 1) == 0) {
    got = setlocale(LC_ALL, "de_DE.UTF-8");
    unsetenv("LOCPATH");
  }
  if (got == NULL || strcmp(localeconv()->decimal_point, ",") != 0) {
    setlocale(LC_ALL, "C");
    print_message("no comma-decimal locale (install the locales package "
                  "and run ./configure again): skipped\n");
    skipped = 1;
    skip();
  }
  tp__double_begin(&lx);
  assert_int_equal(tp__double_feed(&lx, "0.25", 4), 0);
  assert_int_equal(tp__double_end(&lx, &d), 0);
  assert_true(d == 0.25);
  tp__double_begin(&lx);
  (void)tp__double_feed(&lx, "1,5", 3);
  assert_int_not_equal(tp__double_end(&lx, &d), 0);
  tp__double_begin(&lx);
  assert_int_equal(tp__double_feed(&lx, "3.14159", 7), 0);
  assert_int_equal(tp__double_end(&lx, &d), 0);
  setlocale(LC_ALL, "C");
  assert_true(d == strtod("3.14159", NULL));
}

int
main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_int_table),
      cmocka_unit_test(test_double_table),
      cmocka_unit_test(test_datetime_table),
      cmocka_unit_test(test_datetime_long_forms),
      cmocka_unit_test(test_datetime_keeps_z),
      cmocka_unit_test(test_long_padding),
      cmocka_unit_test(test_int_overflow_forms),
      cmocka_unit_test(test_double_locale_independent),
  };
  int rc = cmocka_run_group_tests_name("xsd values", tests, NULL, NULL);
  fprintf(stderr, "xsd-lexical rows checked: %zu\n", rows_checked);
  return rc != 0 ? rc : skipped ? 77 : 0;
}
