/* tpbench.c -- the decoder against its floor, expat alone, measured the way
 * users run them: in one process, on the same bytes in memory, six sides
 * per round in an order that rotates from round to round:
 *
 *   floor        a fresh XML_ParserCreateNS per response, empty handlers
 *   floor-reuse  one expat parser, XML_ParserReset between responses
 *   heap         tp_init ... tp_release per response, expat on malloc
 *   heap-reuse   one decoder, tp_reset between responses
 *   arena        as heap, expat's memory in a TP_ARENA_RECOMMENDED_SIZE arena
 *   arena-reuse  as heap-reuse, in that arena
 *
 * Each decoder side is divided by the floor of the same kind (fresh or
 * reused) of the same round, and the table shows the median of those
 * per-round ratios; "a/h" is arena over heap the same way. The machines
 * are shared and noisy: only ratios measured side by side mean anything.
 *
 * usage: tpbench [--reps N] [--only SIDE] [--feeds LIST] [--slice N]
 *                [--prompt] NAME=FILE[xREPEAT]...
 * A response given as NAME=FILExN is decoded N times per timed run.
 * --only runs one side once per input and feed, for callgrind; --slice
 * sets tp_config.max_slice (default 0: the library's defaults). The parts
 * shared with bench/tpbench-gsoap.c are in bench/harness.c. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <stdio.h>
#include <string.h>

#include "harness.h"

enum { FLOOR, FLOOR_REUSE, HEAP, HEAP_REUSE, ARENA, ARENA_REUSE, SIDES };

static const char *const side_names[SIDES] = {
    "floor", "floor-reuse", "heap", "heap-reuse", "arena", "arena-reuse"};

static int
run_side(int side, const bench_input *in, size_t feed, const bench_options *o) {
  const int reuse = side % 2 == 1;
  if (side <= FLOOR_REUSE)
    return bench_floor_run(in, feed, o->prompt, reuse);
  return bench_decoder_run(in, feed, o, reuse, side >= ARENA);
}

int
main(int argc, char **argv) {
  bench_options o;
  int only = -1, i, f, s;
  if (bench_parse(argc, argv, &o) != 0) {
    fprintf(stderr, "usage: tpbench [--reps N] [--only SIDE] "
                    "[--feeds whole,65536,...] [--slice N] [--prompt] "
                    "NAME=FILE[xN]...\n"
                    "sides: floor floor-reuse heap heap-reuse arena "
                    "arena-reuse\n");
    return 2;
  }
  if (o.only != NULL) {
    for (s = 0; s < SIDES; s++)
      if (strcmp(o.only, side_names[s]) == 0)
        only = s;
    if (only < 0) {
      fprintf(stderr, "tpbench: unknown side %s\n", o.only);
      return 2;
    }
  }
  if (o.ninputs == 0) {
    fprintf(stderr, "tpbench: no input\n");
    return 2;
  }
  if (only >= 0) /* one run of one side per input and feed: for callgrind */
    return bench_only(&o, only, run_side) ? 0 : 1;
  printf("time / expat alone's, median of %d rounds%s; fresh: init and "
         "release per response, reuse: reset between responses\n",
         o.reps, o.prompt ? ", prompt mode" : "");
  printf("%-8s %-6s %11s %7s %7s %7s %7s   %7s %7s\n", "input", "feed",
         "expat MB/s", "heap", "heap", "arena", "arena", "arena/heap", "");
  printf("%-8s %-6s %11s %7s %7s %7s %7s   %7s %7s\n", "", "", "", "fresh",
         "reuse", "fresh", "reuse", "fresh", "reuse");
  for (i = 0; i < o.ninputs; i++) {
    const bench_input *in = &o.inputs[i];
    double bytes = (double)in->len * (double)in->repeat;
    for (f = 0; f < o.nfeeds; f++) {
      size_t feed = o.feeds[f] ? o.feeds[f] : in->len;
      double t[SIDES][BENCH_MAX_REPS];
      char label[16];
      if (!bench_rounds(&o, in, feed, SIDES, run_side, side_names, t))
        return 1;
      bench_feed_label(label, sizeof label, o.feeds[f]);
      printf("%-8s %-6s %11.1f %7.3f %7.3f %7.3f %7.3f   %7.3f %7.3f\n",
             in->name, label, bytes / bench_median(t[FLOOR], o.reps) / 1e6,
             bench_median_ratio(t[HEAP], t[FLOOR], o.reps),
             bench_median_ratio(t[HEAP_REUSE], t[FLOOR_REUSE], o.reps),
             bench_median_ratio(t[ARENA], t[FLOOR], o.reps),
             bench_median_ratio(t[ARENA_REUSE], t[FLOOR_REUSE], o.reps),
             bench_median_ratio(t[ARENA], t[HEAP], o.reps),
             bench_median_ratio(t[ARENA_REUSE], t[HEAP_REUSE], o.reps));
      fflush(stdout);
    }
  }
  bench_keep_alive();
  bench_free(&o);
  return 0;
}
