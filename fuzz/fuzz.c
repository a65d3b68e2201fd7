/* fuzz.c -- the harnesses' shared helpers: failure, option bytes, and the
 * recorder set up for fuzzing (see fuzz.h). */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

_Noreturn void
fuzz_fail(const char *what) {
  fprintf(stderr, "FUZZ FINDING: %s\n", what);
  fflush(stderr);
  abort();
}

uint8_t
fuzz_u8(fuzz_reader *r) {
  uint8_t v;
  if (r->n == 0)
    return 0;
  v = r->p[0];
  r->p++;
  r->n--;
  return v;
}

uint16_t
fuzz_u16(fuzz_reader *r) {
  uint16_t lo = fuzz_u8(r);
  uint16_t hi = fuzz_u8(r);
  return (uint16_t)(lo | (uint16_t)(hi << 8));
}

uint32_t
fuzz_hash(const uint8_t *p, size_t n) {
  uint32_t h = 2166136261u;
  size_t i;
  for (i = 0; i < n; i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

void
fuzz_rec_init(recorder *r) {
  rec_init(r);
  r->on_violation = fuzz_fail;
}

void
fuzz_expect_equal(const recorder *a, const recorder *b, const char *what) {
  if (rec_equal(a, b))
    return;
  rec_report_difference(a, b);
  fuzz_fail(what);
}

void
fuzz_expect_prefix(const recorder *prefix, const recorder *whole,
                   const char *what) {
  if (rec_is_prefix(prefix, whole))
    return;
  rec_report_difference(prefix, whole);
  fuzz_fail(what);
}
