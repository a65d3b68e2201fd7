/* collectbench.h -- tpbench --collect: what the collector
 * (taskprogress_collect.h) costs on top of the decoder. Four sides, each
 * reusing its parser or decoder between responses (tp_reset; the
 * collector needs no reset after a whole response):
 *
 *   floor-reuse      expat alone, as in tpbench
 *   read             the decoder in heap mode, with callbacks that read
 *                    every value: every byte of every string fragment,
 *                    the ints, doubles, dateTimes and task states
 *   collect          the collector, a pool that holds any job of the
 *                    input (COLLECT_POOL), and a job callback that reads
 *                    every member of the job, its tasks and their items
 *                    the same way (strings by strlen)
 *   collect-capped   the same with a COLLECT_CAPPED_POOL pool and
 *                    max_items COLLECT_CAPPED_ITEMS, which drop items
 *
 * Before an input is timed, read and collect must agree on every count
 * and checksum; the table's first lines say what collect-capped kept. */
#ifndef TP_BENCH_COLLECTBENCH_H
#define TP_BENCH_COLLECTBENCH_H

#include "harness.h"

#define COLLECT_POOL (1024u * 1024u)
#define COLLECT_CAPPED_POOL 2048u
#define COLLECT_CAPPED_ITEMS 8u

enum {
  COLLECT_FLOOR,
  COLLECT_READ,
  COLLECT_KEEP,
  COLLECT_CAPPED,
  COLLECT_SIDES
};
extern const char *const collect_side_names[COLLECT_SIDES];

/* One timed run of a side (see bench_side_fn). */
int collect_run(int side, const bench_input *in, size_t feed,
                const bench_options *o);

/* Checks every input, then prints the table for every input and feed:
 * expat alone's MB/s, the medians of each side over expat alone, and of
 * collect and collect-capped over read. 0 if a check or a side failed. */
int collect_table(const bench_options *o);

/* Prints nothing, but keeps the consumers from being optimised away. */
void collect_keep_alive(void);

#endif
