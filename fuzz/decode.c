/* decode.c -- fuzz harness: the input is one response, fed whole. Callbacks
 * read every byte they are given; a second decode stops at a callback the
 * input chooses, a third runs without callbacks, and all must agree. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* tp_format_error into a buffer of exactly `size` bytes on the heap, so
 * that ASan sees a write one byte too far. */
static void
check_format_error(const tp_decoder *d, size_t size) {
  char *buf = malloc(size ? size : 1u);
  char whole[256];
  size_t full, got;
  if (buf == NULL)
    fuzz_fail("out of memory");
  full = tp_format_error(d, whole, sizeof whole);
  got = tp_format_error(d, buf, size);
  if (got != full)
    fuzz_fail("tp_format_error's length depends on the buffer size");
  if (size > 0) {
    size_t expect = full < size - 1u ? full : size - 1u;
    /* Cut between UTF-8 characters, never inside one (the message is
     * valid UTF-8). */
    while (expect < full && expect > 0 &&
           ((unsigned char)whole[expect] & 0xC0u) == 0x80u)
      expect--;
    if (memchr(buf, '\0', size) == NULL || strlen(buf) != expect ||
        memcmp(buf, whole, expect) != 0)
      fuzz_fail("tp_format_error's truncated message is wrong");
    if (memchr(buf, '\n', expect) != NULL)
      fuzz_fail("tp_format_error's message is not one line");
  }
  free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint32_t h = fuzz_hash(data, size);
  const unsigned flags = (h & 1u) ? TP_FLAG_PROMPT : 0u;
  recorder full, part;
  tp_config cfg;
  tp_decoder d;
  tp_status fed, done;

  fuzz_rec_init(&full);
  fuzz_rec_init(&part);

  /* Run 1: everything, every callback returning 0. */
  rec_config(&cfg, &full, flags);
  if (tp_init(&d, &cfg) != TP_OK)
    fuzz_fail("tp_init failed with malloc");
  fed = tp_feed(&d, data, size);
  done = tp_finish(&d);
  if (fed != TP_OK && done != fed)
    fuzz_fail("tp_finish forgot tp_feed's error");
  if (tp_finish(&d) != done)
    fuzz_fail("a second tp_finish gives another status");
  if (tp_feed(&d, data, size) != TP_ERR_STATE)
    fuzz_fail("tp_feed after tp_finish is not TP_ERR_STATE");
  if (done == TP_STOPPED)
    fuzz_fail("TP_STOPPED although no callback stopped");
  check_format_error(&d, (h >> 8) % 96u);
  rec_status(&full, &d);
  tp_release(&d);
  tp_release(&d); /* harmless, says the contract */

  /* Run 2: the same again, stopping at an input-chosen callback: exactly
   * that many callbacks fire, and they are the first ones of run 1. (The
   * same flags: how text is cut into fragments may differ between modes.) */
  if (full.calls > 0) {
    tp_status s;
    rec_config(&cfg, &part, flags);
    part.stop_at = 1u + (h >> 1) % full.calls;
    if (tp_init(&d, &cfg) != TP_OK)
      fuzz_fail("tp_init failed with malloc");
    s = tp_feed(&d, data, size);
    if (s != TP_OK && s != TP_STOPPED) {
      fprintf(stderr, "status %d after %lu of %lu callbacks\n", (int)s,
              part.calls, full.calls);
      fuzz_fail("an error before the callback that stops");
    }
    s = tp_finish(&d);
    if (s != TP_STOPPED) {
      fprintf(stderr, "status %d after %lu of %lu callbacks, stop at %lu\n",
              (int)s, part.calls, full.calls, part.stop_at);
      fuzz_fail("a stopped decode does not end in TP_STOPPED");
    }
    if (part.calls != part.stop_at)
      fuzz_fail("the stop did not happen at the chosen callback");
    rec_drop_open_string(&part);
    fuzz_expect_prefix(&part, &full, "events before a stop differ");
    tp_release(&d);
  }

  /* Run 3: no callbacks at all, just validation: the same verdict. */
  {
    tp_config bare;
    tp_config_init(&bare);
    bare.flags = flags;
    if (tp_init(&d, &bare) != TP_OK)
      fuzz_fail("tp_init failed with malloc");
    (void)tp_feed(&d, data, size);
    if (tp_finish(&d) != done)
      fuzz_fail("the status depends on whether callbacks are set");
    tp_release(&d);
  }

  rec_free(&full);
  rec_free(&part);
  return 0;
}
