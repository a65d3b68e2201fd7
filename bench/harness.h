/* harness.h -- what the benchmark programs share (bench/tpbench.c and
 * bench/tpbench-gsoap.c): the inputs and options, expat alone (the floor),
 * the decoder with a consumer that reads every value, CPU-time rounds in
 * rotating order, and medians of per-round ratios. */
#ifndef TP_BENCH_HARNESS_H
#define TP_BENCH_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_MAX_INPUTS 8
#define BENCH_MAX_FEEDS 8
#define BENCH_MAX_REPS 31

typedef struct bench_input {
  const char *name;
  char *data;
  size_t len;
  unsigned long repeat; /* decoded this many times per timed run */
} bench_input;

typedef struct bench_options {
  bench_input inputs[BENCH_MAX_INPUTS];
  int ninputs;
  size_t feeds[BENCH_MAX_FEEDS]; /* 0: the whole response in one call */
  int nfeeds;
  int reps;
  int prompt;       /* --prompt */
  const char *only; /* --only SIDE, or NULL */
  size_t max_slice; /* --slice: tp_config.max_slice of every decoder */
  int collect;      /* --collect: tpbench's collector table */
} bench_options;

/* Parses [--reps N] [--only SIDE] [--feeds LIST] [--slice N] [--prompt]
 * [--collect] NAME=FILE[xN]...; returns 0, or -1 on an argument it does not
 * know (the caller prints its usage). Exits on a file it cannot read. */
int bench_parse(int argc, char **argv, bench_options *o);
void bench_free(bench_options *o);

/* One timed run of a side: the response decoded in->repeat times at
 * feed bytes per call; 0 if any decoding failed. */
typedef int (*bench_side_fn)(int side, const bench_input *in, size_t feed,
                             const bench_options *o);

/* expat alone: XML_ParserCreateNS per response (reuse: XML_ParserReset
 * between responses), empty handlers. */
int bench_floor_run(const bench_input *in, size_t feed, int prompt, int reuse);
/* The decoder, heap or arena, fresh (tp_init ... tp_release per response)
 * or reused (tp_reset between responses), callbacks reading every value. */
int bench_decoder_run(const bench_input *in, size_t feed,
                      const bench_options *o, int reuse, int use_arena);
/* One response into an initialised decoder, feed bytes per tp_feed, then
 * tp_finish; 0 if either failed. */
struct tp_decoder;
int bench_decoder_parse(struct tp_decoder *d, const bench_input *in,
                        size_t feed);

/* What a correct decoding of a response finds, to check a peer against. */
typedef struct bench_counts {
  uint64_t jobs, tasks, items;
  uint64_t ints;        /* sum of the xsd:int values */
  uint64_t double_bits; /* xor of the xsd:double values' bits */
} bench_counts;
int bench_decoder_counts(const bench_input *in, bench_counts *c);

/* reps rounds of the nsides sides, in an order that rotates from round to
 * round; t[side][round] is the process's CPU time. 0 if a side failed
 * (reported on stderr). */
int bench_rounds(const bench_options *o, const bench_input *in, size_t feed,
                 int nsides, bench_side_fn run, const char *const *side_names,
                 double t[][BENCH_MAX_REPS]);
/* The six sides of both programs, in this order: expat alone, the decoder
 * in heap mode, and the program's peer (the arena, or gSOAP), each fresh
 * and reused; a side's index is odd when it is reused. */
enum {
  BENCH_FLOOR,
  BENCH_FLOOR_REUSE,
  BENCH_HEAP,
  BENCH_HEAP_REUSE,
  BENCH_PEER,
  BENCH_PEER_REUSE,
  BENCH_SIDES
};

/* The index of --only's side among the nsides side_names; -1 without
 * --only, -2 (after a message on stderr) for an unknown one. */
int bench_only_side(const bench_options *o, const char *const *side_names,
                    int nsides, const char *program);

/* Prints the table for every input and feed: expat alone's MB/s, then the
 * medians of heap and peer over expat alone, and of peer over heap, each
 * fresh and reused; peer names the peer's columns. 0 if a side failed. */
int bench_table(const bench_options *o, bench_side_fn run,
                const char *const *side_names, const char *peer);

/* One run of one side per input and feed, untimed: for callgrind. */
int bench_only(const bench_options *o, int side, bench_side_fn run);

/* The median of n values (not reordered; n <= BENCH_MAX_REPS). */
double bench_median(const double *v, int n);
/* The median over the rounds of num[r] / den[r]. */
double bench_median_ratio(const double *num, const double *den, int reps);
void bench_feed_label(char *buf, size_t size, size_t feed);
/* Prints nothing, but keeps the decoder's consumer from being optimised
 * away. */
void bench_keep_alive(void);

#endif
