/* test_out.c -- lib/out.c, the one bounded appender behind error details,
 * tp_format_error and the request writer: it counts everything, keeps a
 * prefix that ends where its caller's contract says (a byte, a whole
 * UTF-8 character, "..." after one, or after a word), hands full buffers
 * to a writer, stops on overflow, and cleans what a terminal must not
 * see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "out.h"

/* Writes `s` into a buffer of `size` bytes with `cut`; returns the total. */
static size_t
write_cut(char *buf, size_t size, const char *s, unsigned cut, int marked) {
  tp_out o;
  tp__out_init(&o, buf, size);
  tp__out_str(&o, s);
  return tp__out_end(&o, cut, marked);
}

/* Whether s is valid UTF-8 (the few forms these tests write). */
static int
whole_utf8(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2, i;
    for (i = 1; i < n; i++)
      if ((p[i] & 0xC0) != 0x80)
        return 0;
    p += n;
  }
  return 1;
}

static void
test_every_size_cuts_where_asked(void **state) {
  /* One-, two-, three- and four-byte characters, and spaces. */
  static const char text[] = "ab \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 cd";
  const size_t len = sizeof text - 1;
  size_t size;
  (void)state;
  for (size = 1; size <= len + 2; size++) {
    char buf[64];
    size_t kept;
    memset(buf, 'x', sizeof buf);
    /* Bytes: snprintf's prefix. */
    assert_int_equal(write_cut(buf, size, text, TP_OUT_BYTES, 0), len);
    kept = size - 1 < len ? size - 1 : len;
    assert_int_equal(strlen(buf), kept);
    assert_memory_equal(buf, text, kept);
    /* Characters: a prefix of whole characters, as long as one can be. */
    assert_int_equal(write_cut(buf, size, text, TP_OUT_CHARS, 0), len);
    assert_true(whole_utf8(buf));
    assert_memory_equal(buf, text, strlen(buf));
    assert_true(strlen(buf) + 3 >= kept);
    /* Ellipsis: whole characters and "..." when cut, all of it otherwise. */
    (void)write_cut(buf, size, text, TP_OUT_ELLIPSIS, 0);
    assert_true(whole_utf8(buf));
    if (size > len) {
      assert_string_equal(buf, text);
    } else if (size > 3) {
      size_t n = strlen(buf);
      assert_true(n >= 3 && memcmp(buf + n - 3, "...", 3) == 0);
      assert_memory_equal(buf, text, n - 3);
      assert_true(n <= size - 1);
    }
    /* Words: the "..." follows a whole word where there is a space. */
    (void)write_cut(buf, size, text, TP_OUT_WORDS, 0);
    assert_true(whole_utf8(buf));
    if (size <= len && size > 3) {
      size_t n = strlen(buf);
      assert_true(memcmp(buf + n - 3, "...", 3) == 0);
      assert_true(n == 3 || text[n - 3] == ' ' || strchr(buf, ' ') == NULL);
    }
  }
}

static void
test_marked_text_ends_in_dots(void **state) {
  char buf[16];
  (void)state;
  assert_int_equal(write_cut(buf, sizeof buf, "12", TP_OUT_ELLIPSIS, 1), 2);
  assert_string_equal(buf, "12...");
  /* Too small for the dots: whole characters only. */
  (void)write_cut(buf, 3, "\xC3\xA9\xC3\xA9", TP_OUT_ELLIPSIS, 1);
  assert_string_equal(buf, "\xC3\xA9");
  (void)write_cut(buf, 2, "\xC3\xA9", TP_OUT_CHARS, 0);
  assert_string_equal(buf, "");
}

static void
test_count_only_and_numbers(void **state) {
  tp_out o;
  char buf[8];
  (void)state;
  tp__out_init(&o, NULL, 0);
  tp__out_str(&o, "abc");
  tp__out_uint(&o, 18446744073709551615u);
  assert_int_equal(tp__out_end(&o, TP_OUT_BYTES, 0), 23);
  tp__out_init(&o, buf, sizeof buf);
  tp__out_uint(&o, 0);
  tp__out_uint(&o, 42);
  assert_int_equal(tp__out_end(&o, TP_OUT_BYTES, 0), 3);
  assert_string_equal(buf, "042");
}

static void
test_overflow_stops_counting(void **state) {
  tp_out o;
  char buf[4];
  (void)state;
  tp__out_init(&o, buf, sizeof buf);
  o.total = SIZE_MAX - 2;
  tp__out_put(&o, "ab", 2);
  assert_false(o.overflow);
  tp__out_put(&o, "cd", 2);
  assert_true(o.overflow);
  tp__out_put(&o, "e", 1); /* ignored from now on */
  assert_int_equal(o.total, SIZE_MAX);
}

typedef struct pieces {
  char got[64];
  size_t len;
  int calls, stop_at;
} pieces;

static int
collect(void *user_data, const char *bytes, size_t length) {
  pieces *p = user_data;
  memcpy(p->got + p->len, bytes, length);
  p->len += length;
  return ++p->calls == p->stop_at;
}

static void
test_writer_gets_full_buffers(void **state) {
  static const char text[] = "0123456789abcdefghij"; /* 20 bytes */
  int stop;
  (void)state;
  for (stop = 0; stop <= 7; stop++) {
    pieces p;
    tp_out o;
    char buf[3];
    size_t total;
    memset(&p, 0, sizeof p);
    p.stop_at = stop;
    tp__out_init(&o, buf, sizeof buf);
    o.write = collect;
    o.user_data = &p;
    tp__out_str(&o, text);
    total = tp__out_end(&o, TP_OUT_BYTES, 0);
    /* Seven calls of 3, 3, ... 2 bytes, or as many as asked. */
    assert_int_equal(p.calls, stop == 0 ? 7 : stop);
    assert_int_equal(total, p.len);
    assert_int_equal(p.len, stop == 0 || stop == 7 ? 20 : (size_t)stop * 3);
    assert_memory_equal(p.got, text, p.len);
    assert_int_equal(o.stopped, stop != 0);
  }
}

static void
test_clean_replaces_what_terminals_obey(void **state) {
  static const struct {
    const char *in, *out;
  } cases[] = {
      {"a\tb\nc\rd", "a b c d"},
      {"\x01\x1F", "  "},
      {"x\x7Fy", "x\xEF\xBF\xBDy"},
      {"\xC2\x80\xC2\x9B\xC2\x9F", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"\xC2\xA0\xC2\x7F", "\xC2\xA0\xC2\xEF\xBF\xBD"}, /* NBSP stays */
      {"\xE2\x80\xA7\xE2\x80\xA8\xE2\x80\xAE\xE2\x80\xAF",
       "\xE2\x80\xA7\xEF\xBF\xBD\xEF\xBF\xBD\xE2\x80\xAF"},
      {"\xE2\x81\xA5\xE2\x81\xA6\xE2\x81\xA9\xE2\x81\xAA",
       "\xE2\x81\xA5\xEF\xBF\xBD\xEF\xBF\xBD\xE2\x81\xAA"},
      {"\xE2\x80", "\xE2\x80"}, /* a sequence cut short is not one */
      {"\xC2", "\xC2"},
      {"plain \xC3\xA9", "plain \xC3\xA9"},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    tp_out o;
    char buf[64];
    tp__out_init(&o, buf, sizeof buf);
    o.clean = 1;
    tp__out_str(&o, cases[i].in);
    (void)tp__out_end(&o, TP_OUT_BYTES, 0);
    assert_string_equal(buf, cases[i].out);
  }
}

int
main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_size_cuts_where_asked),
      cmocka_unit_test(test_marked_text_ends_in_dots),
      cmocka_unit_test(test_count_only_and_numbers),
      cmocka_unit_test(test_overflow_stops_counting),
      cmocka_unit_test(test_writer_gets_full_buffers),
      cmocka_unit_test(test_clean_replaces_what_terminals_obey),
  };
  return cmocka_run_group_tests_name("out", tests, NULL, NULL);
}
