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
 * With --collect, the table is instead the collector's against callbacks
 * that read every value (bench/collectbench.h), and --only takes its sides.
 *
 * usage: tpbench [--reps N] [--only SIDE] [--feeds LIST] [--slice N]
 *                [--prompt] [--collect] NAME=FILE[xREPEAT]...
 * A response given as NAME=FILExN is decoded N times per timed run.
 * --only runs one side once per input and feed, for callgrind; --slice
 * sets tp_config.max_slice (default 0: the library's defaults). The parts
 * shared with bench/tpbench-gsoap.c are in bench/harness.c. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <stdio.h>
#include <string.h>

#include "collectbench.h"
#include "harness.h"

static const char *const side_names[BENCH_SIDES] = {
    "floor", "floor-reuse", "heap", "heap-reuse", "arena", "arena-reuse"};

static int
run_side(int side, const bench_input *in, size_t feed, const bench_options *o) {
  const int reuse = side % 2 == 1;
  if (side <= BENCH_FLOOR_REUSE)
    return bench_floor_run(in, feed, o->prompt, reuse);
  return bench_decoder_run(in, feed, o, reuse, side >= BENCH_PEER);
}

int
main(int argc, char **argv) {
  bench_options o;
  int only, ok;
  if (bench_parse(argc, argv, &o) != 0) {
    fprintf(stderr, "usage: tpbench [--reps N] [--only SIDE] "
                    "[--feeds whole,65536,...] [--slice N] [--prompt] "
                    "[--collect] NAME=FILE[xN]...\n"
                    "sides: floor floor-reuse heap heap-reuse arena "
                    "arena-reuse\n"
                    "--collect sides: floor-reuse read collect "
                    "collect-capped\n");
    return 2;
  }
  if (o.collect)
    only = bench_only_side(&o, collect_side_names, COLLECT_SIDES, "tpbench");
  else
    only = bench_only_side(&o, side_names, BENCH_SIDES, "tpbench");
  if (only == -2)
    return 2;
  if (o.ninputs == 0) {
    fprintf(stderr, "tpbench: no input\n");
    return 2;
  }
  if (only >= 0) /* one run of one side per input and feed: for callgrind */
    return bench_only(&o, only, o.collect ? collect_run : run_side) ? 0 : 1;
  if (o.collect) {
    printf("time / expat alone's, median of %d rounds; every side reuses its "
           "parser or decoder; read: callbacks reading every value, collect: "
           "the collector (pool %u KiB) and a job callback reading every "
           "member, capped: the collector with fewer items kept\n",
           o.reps, COLLECT_POOL / 1024u);
    ok = collect_table(&o);
    collect_keep_alive();
    bench_free(&o);
    return ok ? 0 : 1;
  }
  printf("time / expat alone's, median of %d rounds%s; fresh: init and "
         "release per response, reuse: reset between responses\n",
         o.reps, o.prompt ? ", prompt mode" : "");
  ok = bench_table(&o, run_side, side_names, "arena");
  bench_keep_alive();
  bench_free(&o);
  return ok ? 0 : 1;
}
