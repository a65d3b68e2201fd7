/* support.c -- see support.h. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "values.h"

const char *
test_data_dir(void) {
  const char *d = getenv("TP_TEST_DATA");
  return d != NULL && *d != '\0' ? d : "tests/data";
}

const char *
conformance_dir(void) {
  const char *d = getenv("CONFORMANCE_DIR");
  return d != NULL && *d != '\0' ? d : "tests/conformance";
}

void
test_path(char *path, size_t size, const char *dir, const char *name) {
  int n = snprintf(path, size, "%s/%s", dir, name);
  if (n < 0 || (size_t)n >= size) {
    fprintf(stderr, "path too long: %s/%s\n", dir, name);
    abort();
  }
}

char *
read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t cap = 0, n = 0;
  if (f == NULL)
    return NULL;
  for (;;) {
    size_t got;
    if (n + 65536 + 1 > cap) {
      cap = cap ? cap * 2 : 65536 * 2;
      buf = realloc(buf, cap);
      if (buf == NULL)
        abort();
    }
    got = fread(buf + n, 1, 65536, f);
    n += got;
    if (got == 0)
      break;
  }
  fclose(f);
  buf[n] = '\0';
  *len = n;
  return buf;
}

char *
read_test_data(const char *name, size_t *len) {
  char path[1024];
  test_path(path, sizeof path, test_data_dir(), name);
  return read_file(path, len);
}

char *
read_conformance(const char *name, size_t *len) {
  char path[1024];
  test_path(path, sizeof path, conformance_dir(), name);
  return read_file(path, len);
}

unsigned long
env_count(const char *name, unsigned long dflt) {
  const char *v = getenv(name);
  return v != NULL && *v != '\0' ? strtoul(v, NULL, 10) : dflt;
}

uint64_t
bits_of(double d) {
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  return b;
}

double
double_from_bits(uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

int
lex_feed_pieces(void *lexer, lex_feed_fn feed, const char *s, size_t n,
                const size_t *cuts, size_t ncuts) {
  int failed = 0;
  size_t i, from = 0;
  for (i = 0; i <= ncuts; i++) {
    size_t to = i < ncuts ? cuts[i] : n;
    failed |= feed(lexer, s + from, to - from) != 0;
    failed |= feed(lexer, s + to, 0) != 0;
    from = to;
  }
  return failed;
}

int
lex_feed_bytewise(void *lexer, lex_feed_fn feed, const char *s, size_t n) {
  int failed = 0;
  size_t i;
  for (i = 0; i < n; i++)
    failed |= feed(lexer, s + i, 1) != 0;
  return failed;
}

int
lex_feed_int(void *lexer, const char *s, size_t n) {
  return tp__int_feed(lexer, s, n);
}

int
lex_feed_double(void *lexer, const char *s, size_t n) {
  return tp__double_feed(lexer, s, n);
}

int
lex_feed_datetime(void *lexer, const char *s, size_t n) {
  return tp__datetime_feed(lexer, s, n);
}

tp_status
feed_chunked(tp_decoder *d, const void *data, size_t len, size_t chunk) {
  const char *p = data;
  size_t off = 0;
  tp_status s = TP_OK;
  if (chunk == 0)
    chunk = len;
  while (off < len && s == TP_OK) {
    size_t n = len - off < chunk ? len - off : chunk;
    s = tp_feed(d, p + off, n);
    off += n;
  }
  return s;
}
