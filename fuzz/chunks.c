/* chunks.c -- fuzz harness: split-independence. The first bytes choose the
 * split points (or a chunk size), prompt mode, the slice size, reuse
 * after tp_reset and the decoder's limits; the rest is decoded once whole and
 * once split, and the canonical traces and final statuses must be identical. */
#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Option byte 0. */
#define OPT_PROMPT_WHOLE 0x01u /* prompt mode in the whole decode */
#define OPT_PROMPT_SPLIT 0x02u /* prompt mode in the split decode */
#define OPT_REUSE 0x04u        /* split decode on a reset, used decoder */
#define OPT_REUSE_STOP 0x08u   /* ... whose first use a callback stopped */
#define OPT_CHUNKED 0x10u      /* fixed chunk size instead of cut points */
#define OPT_EMPTY_FEEDS 0x20u  /* a zero-length feed before every chunk */
#define OPT_FINISH_FIRST 0x40u /* the first use ends with tp_finish */

/* Option byte 12: limits, the same in both decodes; byte 13 sizes them. */
#define LIM_DEPTH 0x01u /* max_depth 1..16 */
#define LIM_VALUE 0x02u /* max_value_bytes 1..256 */
#define LIM_INPUT 0x04u /* max_input_bytes, a fraction of the body */
#define LIM_NONE 0x08u  /* every limit 0 ("none"), before the above */

#define MAX_CUTS 4u

typedef struct options {
  uint8_t opt;
  uint8_t reuse; /* how much of the body the first use sees, in 256ths */
  uint8_t chunk; /* chunk size - 1, or the number of cuts (mod 5) */
  uint8_t slice; /* max_slice of the split decode; 0: the default */
  uint16_t cuts[MAX_CUTS];
  uint8_t limits;
  uint8_t limit_size;
} options;

static void
read_options(fuzz_reader *r, options *o) {
  size_t i;
  o->opt = fuzz_u8(r);
  o->reuse = fuzz_u8(r);
  o->chunk = fuzz_u8(r);
  o->slice = fuzz_u8(r);
  for (i = 0; i < MAX_CUTS; i++)
    o->cuts[i] = fuzz_u16(r);
  o->limits = fuzz_u8(r);
  o->limit_size = fuzz_u8(r);
}

static void
set_limits(tp_config *cfg, const options *o, size_t len) {
  if (o->limits & LIM_NONE) {
    cfg->max_depth = 0;
    cfg->max_value_bytes = 0;
    cfg->max_input_bytes = 0;
  }
  if (o->limits & LIM_DEPTH)
    cfg->max_depth = 1u + o->limit_size % 16u;
  if (o->limits & LIM_VALUE)
    cfg->max_value_bytes = 1u + (size_t)o->limit_size;
  if (o->limits & LIM_INPUT)
    cfg->max_input_bytes = 1u + (uint64_t)len * o->limit_size / 256u;
}

/* Appends the final status. For TP_ERR_XML the position and message are
 * expat's own, and expat itself does not always report the same first
 * error for differently split malformed input ("r\0" whole: "syntax
 * error" at 0; "r" then "\0": "invalid token" at 1). Only the status is
 * compared then; the events before it still are, in full. */
static void
final_status(recorder *t, const tp_decoder *d) {
  rec_status(t, d);
  if (tp_get_error(d, NULL) == TP_ERR_XML) {
    size_t line = t->len - 1u;
    char *at;
    while (line > 0 && t->buf[line - 1] != '\n')
      line--;
    at = strstr(t->buf + line, " at ");
    if (at != NULL) {
      t->len = (size_t)(at - t->buf);
      t->buf[t->len] = '\0';
      rec_note(t, " (expat's position not compared)");
    }
  }
}

static int
by_value(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

/* Feeds one chunk and checks the status rule: once a feed returns an
 * error or TP_STOPPED, every later one returns the same. */
static void
feed(tp_decoder *d, const uint8_t *p, size_t n, int empty_first,
     tp_status *last) {
  tp_status s;
  if (empty_first) {
    s = tp_feed(d, p, 0);
    if (*last != TP_OK && s != *last)
      fuzz_fail("a zero-length feed forgot the decoder's status");
    *last = s;
  }
  s = tp_feed(d, p, n);
  if (*last != TP_OK && s != *last)
    fuzz_fail("tp_feed forgot an earlier error or stop");
  *last = s;
}

/* The first use of a decoder that is then reset: a prefix of the body,
 * maybe stopped by a callback, maybe finished. Its events are thrown away;
 * the point is the state it leaves for tp_reset to clear. */
static void
first_use(tp_decoder *d, recorder *t, const options *o, const uint8_t *body,
          size_t len) {
  size_t n = (size_t)((uint64_t)len * o->reuse / 255u);
  rec_clear(t);
  if (o->opt & OPT_REUSE_STOP)
    t->stop_at = 1u + o->reuse % 16u;
  (void)tp_feed(d, body, n);
  if (o->opt & OPT_FINISH_FIRST)
    (void)tp_finish(d);
  if (tp_reset(d) != TP_OK)
    fuzz_fail("tp_reset failed");
  rec_clear(t);
  t->stop_at = 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_reader r = {data, size};
  options o;
  const uint8_t *body;
  size_t len, head;
  recorder whole, split;
  tp_config cfg;
  tp_decoder d;
  tp_status last;

  read_options(&r, &o);
  body = r.p;
  len = r.n;
  fuzz_rec_init(&whole);
  fuzz_rec_init(&split);

  /* Whole: one feed, one XML_Parse call (the slice limit lifted). */
  rec_config(&cfg, &whole, (o.opt & OPT_PROMPT_WHOLE) ? TP_FLAG_PROMPT : 0u);
  cfg.max_slice = SIZE_MAX;
  set_limits(&cfg, &o, len);
  if (tp_init(&d, &cfg) != TP_OK)
    fuzz_fail("tp_init failed with malloc");
  last = tp_feed(&d, body, len);
  if (last != TP_OK && tp_finish(&d) != last)
    fuzz_fail("tp_finish forgot tp_feed's error");
  (void)tp_finish(&d);
  final_status(&whole, &d);
  tp_release(&d);

  /* Split: cut points or fixed-size chunks, maybe tiny slices, maybe a
   * decoder that was used and reset. */
  rec_config(&cfg, &split, (o.opt & OPT_PROMPT_SPLIT) ? TP_FLAG_PROMPT : 0u);
  /* Expat decides the encoding from the first bytes of its first call and
   * decides differently on fewer than 4 (" \0" whole is UTF-16LE, " "
   * alone UTF-8), so the first expat call always gets 4 bytes here: the
   * slice is at least 4 and no cut or chunk ends before byte 4. */
  cfg.max_slice = o.slice == 0 ? 0u : (size_t)o.slice + 3u;
  set_limits(&cfg, &o, len);
  if (tp_init(&d, &cfg) != TP_OK)
    fuzz_fail("tp_init failed with malloc");
  if (o.opt & OPT_REUSE)
    first_use(&d, &split, &o, body, len);
  last = TP_OK;
  head = len < 4u ? len : 4u;
  if (o.opt & OPT_CHUNKED) {
    size_t chunk = (size_t)o.chunk + 1u, off = 0;
    do {
      size_t n = len - off < chunk ? len - off : chunk;
      if (off == 0 && n < head)
        n = head;
      feed(&d, body + off, n, (o.opt & OPT_EMPTY_FEEDS) != 0, &last);
      off += n;
    } while (off < len);
  } else {
    size_t cuts[MAX_CUTS + 1];
    size_t ncuts = o.chunk % (MAX_CUTS + 1u), i, from = 0;
    for (i = 0; i < ncuts; i++) {
      cuts[i] = o.cuts[i] % (len + 1u);
      if (cuts[i] < head)
        cuts[i] = head;
    }
    qsort(cuts, ncuts, sizeof cuts[0], by_value);
    cuts[ncuts] = len;
    for (i = 0; i <= ncuts; i++) {
      feed(&d, body + from, cuts[i] - from, (o.opt & OPT_EMPTY_FEEDS) != 0,
           &last);
      from = cuts[i];
    }
  }
  /* The final status is the trace's last line, compared below. */
  if (last != TP_OK && tp_finish(&d) != last)
    fuzz_fail("tp_finish forgot tp_feed's error");
  (void)tp_finish(&d);
  final_status(&split, &d);
  tp_release(&d);

  fuzz_expect_equal(&whole, &split, "whole and split decodes differ");
  rec_free(&whole);
  rec_free(&split);
  return 0;
}
