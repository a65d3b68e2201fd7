/* request_overflow.c -- built for 32 bits by request_overflow_32.sh: a
 * request whose length passes SIZE_MAX is refused naming the member whose
 * bytes overflowed it, never an unset one (issue 21: the closing tags'
 * overflow named include_waiting_jobs, the Body's opening named
 * company_handle, both unset). The strings are gigabytes long but cost
 * no memory: one megabyte of 'a's mapped over and over, and a last
 * megabyte ending in the NUL. Linux only (memfd_create). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "taskprogress.h"

#define MIB ((size_t)1 << 20)
#define MAPS 1536u /* 1.5 GiB of address space */

static const char *region_end; /* the NUL */

static int
map_region(void) {
  int plain = memfd_create("a", 0), last = memfd_create("a0", 0);
  static char buf[1 << 16];
  unsigned char *base;
  size_t i;
  if (plain < 0 || last < 0)
    return -1;
  memset(buf, 'a', sizeof buf);
  for (i = 0; i < MIB; i += sizeof buf)
    if (write(plain, buf, sizeof buf) != (ssize_t)sizeof buf ||
        write(last, buf, sizeof buf) != (ssize_t)sizeof buf)
      return -1;
  if (pwrite(last, "", 1, (off_t)(MIB - 1)) != 1)
    return -1;
  base = mmap(NULL, MAPS * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED)
    return -1;
  for (i = 0; i < MAPS; i++)
    if (mmap(base + i * MIB, MIB, PROT_READ, MAP_SHARED | MAP_FIXED,
             i + 1 < MAPS ? plain : last, 0) == MAP_FAILED)
      return -1;
  region_end = (const char *)base + MAPS * MIB - 1;
  return 0;
}

/* A string of `len` 'a's, for len < MAPS MiB. */
static const char *
string_of(size_t len) {
  return region_end - len;
}

static size_t
length_of(const tp_request *r) {
  size_t n = 0;
  if (tp_request_write(r, NULL, 0, &n) != TP_OK)
    return 0;
  return n;
}

static int failures;

static void
expect_bad(const tp_request *r, const char *want, const char *what) {
  const char *bad = "untouched";
  tp_status s = tp_request_check(r, &bad);
  if (s != TP_ERR_ARGUMENT || bad == NULL || strcmp(bad, want) != 0) {
    printf("FAIL: %s: status %d, bad field %s, want %s\n", what, (int)s,
           bad ? bad : "(null)", want);
    failures++;
  } else {
    printf("ok: %s: %s\n", what, bad);
  }
}

int
main(void) {
  tp_request r;
  size_t base, part_a, part_b;
  if (sizeof(size_t) != 4) {
    printf("not a 32-bit build: size_t has %u bytes\n",
           (unsigned)sizeof(size_t));
    return 77;
  }
  if (map_region() != 0) {
    printf("cannot map the strings (memfd_create, mmap)\n");
    return 77;
  }
  /* With user, password and company_handle empty, the request is `base`
   * bytes; each string adds its length. */
  tp_request_init(&r);
  r.user = r.password = r.company_handle = "";
  base = length_of(&r);
  if (base == 0)
    return 1;

  /* Overflow in the closing tags: SIZE_MAX + 1 bytes in all. */
  part_a = (SIZE_MAX - base) / 3 + 1;
  part_b = SIZE_MAX - base - 2 * part_a + 1;
  r.user = string_of(part_a);
  r.password = string_of(part_a);
  r.company_handle = string_of(part_b);
  expect_bad(&r, "company_handle", "overflow in the closing tags");

  /* Overflow in the Body's opening, 10 bytes before the closing tags,
   * with no getActiveJobsParam member set: app_version's bytes, the last
   * before it, brought it there. */
  tp_request_init(&r);
  r.user = r.password = r.app_version = "";
  base = length_of(&r);
  part_b = SIZE_MAX - base - 2 * part_a + 1 +
           strlen("</ips:getActiveJobsParam></soap:Body></soap:Envelope>\n") +
           10;
  r.user = string_of(part_a);
  r.password = string_of(part_a);
  r.app_version = string_of(part_b);
  expect_bad(&r, "app_version", "overflow in the Body's opening");
  return failures == 0 ? 0 : 1;
}
