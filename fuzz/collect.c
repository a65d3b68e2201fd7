/* collect.c -- fuzz harness: the collector (taskprogress_collect.h). The
 * first bytes choose the pool's size and misalignment, the caps, strict
 * and prompt mode, the chunk size, a record callback or a stream callback
 * that stops, and a first decode of the same bytes before tp_reset; the
 * rest is decoded plainly and with the collector, and every record handed
 * over, the open record, the statuses and the pool's guard bytes must be
 * what the reference collector (tests/collect_ref.c) says. */
#include "fuzz.h"

#include <stdio.h>

#include "collect_ref.h"

/* Option byte 0. */
#define OPT_STRICT 0x01u   /* TP_COLLECT_STRICT */
#define OPT_PROMPT 0x02u   /* TP_FLAG_PROMPT */
#define OPT_REUSE 0x04u    /* decode the same bytes first, then reset */
#define OPT_STREAM 0x08u   /* a stream pass-through that records */
#define OPT_MISALIGN 0x70u /* the pool starts this many bytes (>> 4) in */
#define OPT_AMPLE 0x80u    /* a pool of 64 KiB, whatever bytes 1-2 say */

/* A cap byte: 0xff is no cap, else the cap is the byte mod `mod`. */
static size_t
cap(uint8_t b, unsigned mod) {
  return b == 0xff ? TP_COLLECT_UNLIMITED : (size_t)(b % mod);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_reader r = {data, size};
  const uint8_t opt = fuzz_u8(&r);
  const uint16_t pool = fuzz_u16(&r);
  const uint8_t tasks = fuzz_u8(&r);
  const uint8_t items = fuzz_u8(&r);
  const uint8_t string = fuzz_u8(&r);
  const uint8_t chunk = fuzz_u8(&r);
  const uint8_t stop = fuzz_u8(&r);
  const uint16_t stream_stop = fuzz_u16(&r);
  cref_case c;
  char why[512];

  cref_case_init(&c, (const char *)r.p, r.n);
  c.chunk = chunk;
  c.flags = (opt & OPT_PROMPT) ? TP_FLAG_PROMPT : 0u;
  c.pool_size = (opt & OPT_AMPLE) ? 65536u : pool % 4097u;
  c.misalign = (opt & OPT_MISALIGN) >> 4;
  c.max_tasks = cap(tasks, 8);
  c.max_items = cap(items, 8);
  c.max_string = cap(string, 64);
  c.collect_flags = (opt & OPT_STRICT) ? TP_COLLECT_STRICT : 0u;
  c.stop_at_record = stop % 4u;
  c.with_stream = (opt & OPT_STREAM) != 0;
  /* One stream stop in four, anywhere in the first 16384 callbacks. */
  c.stream_stop_at = (stream_stop & 3u) == 0 ? stream_stop >> 2 : 0u;
  if (opt & OPT_REUSE) {
    c.before = c.data;
    c.before_len = c.len;
  }
  if (cref_run(&c, why, sizeof why, NULL, NULL) != 0) {
    fprintf(stderr, "%s\n", why);
    fuzz_fail("the collector differs from the reference");
  }
  return 0;
}
