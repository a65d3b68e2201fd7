/* tpbench-gsoap.c -- gSOAP's generated binding of the same response, the
 * peer a C user would otherwise pick, against expat alone and the decoder
 * in the same process and rounds (bench/harness.c: same bytes in memory,
 * rotating order, CPU time, median of per-round ratios). Six sides:
 *
 *   floor, floor-reuse   expat alone, as in tpbench
 *   heap, heap-reuse     the decoder in heap mode, as in tpbench
 *   gsoap                a soap context per response: soap_new1 ...
 *                        soap_destroy, soap_end, soap_free
 *   gsoap-reuse          one context, soap_destroy and soap_end between
 *                        responses
 *
 * gSOAP reads the bytes through soap->frecv, at most feed bytes per call,
 * deserialises the envelope into the structs soapcpp2 generated from
 * bench/gsoap/ips.gsoap, and a consumer then walks the tree reading every
 * value as the decoder's callbacks do (sum the ints, xor the double bits,
 * count string bytes; a dateTime, time_t here, is added to the ints).
 * Before timing an input, gSOAP's jobs, tasks, items, int sum and double
 * bits must equal the decoder's; each timed run checks its task and item
 * counts again, so a failed deserialisation fails instead of timing fast.
 *
 * usage: tpbench-gsoap [--reps N] [--only SIDE] [--feeds LIST]
 *                      NAME=FILE[xREPEAT]... */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "ns.nsmap"
#include "soapH.h"

/* ---- gSOAP, reading from memory ---- */

typedef struct source {
  const char *data;
  size_t len, off, feed;
} source;

static size_t
source_recv(struct soap *soap, char *buf, size_t len) {
  source *s = soap->user;
  size_t n = s->len - s->off;
  if (n > s->feed)
    n = s->feed;
  if (n > len)
    n = len;
  memcpy(buf, s->data + s->off, n);
  s->off += n;
  return n;
}

typedef struct gs_consumer {
  uint64_t ints, double_bits, string_bytes;
} gs_consumer;

static gs_consumer gs_sink;

static void
gs_string(const char *s) {
  if (s != NULL)
    gs_sink.string_bytes += strlen(s);
}

static void
gs_double(double d, bench_counts *c) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  gs_sink.double_bits ^= bits;
  c->double_bits ^= bits;
}

static void
gs_int(int i, bench_counts *c) {
  gs_sink.ints += (uint64_t)(int64_t)i;
  c->ints += (uint64_t)(int64_t)i;
}

static void
gs_date(time_t t) {
  gs_sink.ints += (uint64_t)(int64_t)t;
}

/* Reads every value of the tree, and counts what it saw into c. */
static void
gs_consume(const struct _ns__getActiveJobsReturn *ret, bench_counts *c) {
  int j, t, i;
  if (ret->jobArray == NULL)
    return;
  for (j = 0; j < ret->jobArray->__sizeitems; j++) {
    const struct ns__ActiveJob *job = &ret->jobArray->items[j];
    c->jobs++;
    gs_string(job->companyHandle);
    gs_string(job->jobHandle);
    gs_string(job->name);
    gs_string(job->originalName);
    gs_string(job->type);
    gs_string(job->state);
    gs_string(job->submitUserEmail);
    gs_string(job->locale);
    gs_string(job->description);
    gs_string(job->serverName);
    gs_date(job->startDate);
    gs_date(job->triggerTime);
    gs_int(job->totalSize, c);
    gs_int(job->progress, c);
    gs_string(job->progressMessage);
    gs_date(job->lastProgressUpdate);
    if (job->taskProgressArray == NULL)
      continue;
    for (t = 0; t < job->taskProgressArray->__sizeitems; t++) {
      const struct ns__TaskProgress *task = &job->taskProgressArray->items[t];
      c->tasks++;
      gs_string(task->taskType);
      gs_string(task->taskState);
      gs_int(task->numProcessed, c);
      gs_int(task->numProcessing, c);
      gs_int(task->numPending, c);
      gs_double(task->progress, c);
      gs_string(task->progressMessage);
      gs_date(task->lastProgressUpdate);
      if (task->taskItemProgressArray == NULL)
        continue;
      for (i = 0; i < task->taskItemProgressArray->__sizeitems; i++) {
        const struct ns__TaskItemProgress *item =
            &task->taskItemProgressArray->items[i];
        c->items++;
        gs_string(item->itemName);
        gs_double(item->progress, c);
        gs_string(item->progressMessage);
        gs_date(item->lastProgressUpdate);
      }
    }
  }
}

/* One response: the envelope as a generated client stub reads it. */
static int
gs_decode(struct soap *soap, const bench_input *in, size_t feed,
          bench_counts *c) {
  struct _ns__getActiveJobsReturn ret;
  source src;
  src.data = in->data;
  src.len = in->len;
  src.off = 0;
  src.feed = feed;
  soap->user = &src;
  soap->frecv = source_recv;
  soap_default__ns__getActiveJobsReturn(soap, &ret);
  if (soap_begin_recv(soap) || soap_envelope_begin_in(soap) ||
      soap_recv_header(soap) || soap_body_begin_in(soap) ||
      soap_get__ns__getActiveJobsReturn(soap, &ret, "ns:getActiveJobsReturn",
                                        NULL) == NULL ||
      soap_body_end_in(soap) || soap_envelope_end_in(soap) ||
      soap_end_recv(soap))
    return 0;
  gs_consume(&ret, c);
  return 1;
}

static struct soap *
gs_new(void) {
  struct soap *soap = soap_new1(SOAP_C_UTFSTRING);
  if (soap != NULL) {
    soap_set_namespaces(soap, namespaces);
    /* gSOAP refuses arrays of more than SOAP_MAXOCCURS (100,000) items
     * by default; the large response has 200,000. */
    soap->maxoccurs = (size_t)1 << 30;
  }
  return soap;
}

/* What every timed run of each input must find: the decoder's counts. */
static bench_counts expected[BENCH_MAX_INPUTS];

static int
gs_run(const bench_input *in, size_t feed, int reuse,
       const bench_counts *want) {
  struct soap *soap = NULL;
  unsigned long r;
  int ok = 1;
  for (r = 0; r < in->repeat && ok; r++) {
    bench_counts c;
    memset(&c, 0, sizeof c);
    if (soap == NULL && (soap = gs_new()) == NULL)
      return 0;
    ok = gs_decode(soap, in, feed, &c) && c.tasks == want->tasks &&
         c.items == want->items;
    if (!ok)
      soap_print_fault(soap, stderr);
    soap_destroy(soap);
    soap_end(soap);
    if (!reuse) {
      soap_free(soap);
      soap = NULL;
    }
  }
  if (soap != NULL)
    soap_free(soap);
  return ok;
}

/* gSOAP must decode what the decoder decodes. */
static int
gs_check(const bench_input *in, bench_counts *want) {
  bench_counts d, g;
  struct soap *soap = gs_new();
  int ok;
  memset(&g, 0, sizeof g);
  if (soap == NULL || !bench_decoder_counts(in, &d))
    return 0;
  ok = gs_decode(soap, in, 4096, &g);
  if (!ok)
    soap_print_fault(soap, stderr);
  soap_destroy(soap);
  soap_end(soap);
  soap_free(soap);
  if (ok && memcmp(&d, &g, sizeof d) != 0) {
    fprintf(stderr,
            "tpbench-gsoap: %s: gSOAP found %llu jobs, %llu tasks, %llu "
            "items (ints %llu, doubles %llx), the decoder %llu, %llu, "
            "%llu (%llu, %llx)\n",
            in->name, (unsigned long long)g.jobs, (unsigned long long)g.tasks,
            (unsigned long long)g.items, (unsigned long long)g.ints,
            (unsigned long long)g.double_bits, (unsigned long long)d.jobs,
            (unsigned long long)d.tasks, (unsigned long long)d.items,
            (unsigned long long)d.ints, (unsigned long long)d.double_bits);
    ok = 0;
  }
  *want = d;
  return ok;
}

/* ---- the sides ---- */

static const char *const side_names[BENCH_SIDES] = {
    "floor", "floor-reuse", "heap", "heap-reuse", "gsoap", "gsoap-reuse"};

static int
run_side(int side, const bench_input *in, size_t feed, const bench_options *o) {
  const int reuse = side % 2 == 1;
  if (side <= BENCH_FLOOR_REUSE)
    return bench_floor_run(in, feed, o->prompt, reuse);
  if (side <= BENCH_HEAP_REUSE)
    return bench_decoder_run(in, feed, o, reuse, 0);
  return gs_run(in, feed, reuse, &expected[in - o->inputs]);
}

int
main(int argc, char **argv) {
  bench_options o;
  int only, i, ok;
  if (bench_parse(argc, argv, &o) != 0 || o.prompt || o.collect) {
    fprintf(stderr, "usage: tpbench-gsoap [--reps N] [--only SIDE] "
                    "[--feeds whole,65536,...] NAME=FILE[xN]...\n"
                    "sides: floor floor-reuse heap heap-reuse gsoap "
                    "gsoap-reuse\n");
    return 2;
  }
  only = bench_only_side(&o, side_names, BENCH_SIDES, "tpbench-gsoap");
  if (only == -2)
    return 2;
  if (o.ninputs == 0) {
    fprintf(stderr, "tpbench-gsoap: no input\n");
    return 2;
  }
  for (i = 0; i < o.ninputs; i++)
    if (!gs_check(&o.inputs[i], &expected[i])) {
      fprintf(stderr, "tpbench-gsoap: gSOAP did not decode %s\n",
              o.inputs[i].name);
      return 1;
    }
  if (only >= 0)
    return bench_only(&o, only, run_side) ? 0 : 1;
  printf("gSOAP %d.%d.%d, C binding (soapcpp2 -c); time / expat alone's, "
         "median of %d rounds; fresh: a parser, decoder or soap context per "
         "response, reuse: reset between responses\n",
         GSOAP_VERSION / 100000, GSOAP_VERSION / 1000 % 100,
         GSOAP_VERSION % 1000, o.reps);
  ok = bench_table(&o, run_side, side_names, "gsoap");
  bench_keep_alive();
  if (gs_sink.ints == 42u)
    printf("%llu\n",
           (unsigned long long)(gs_sink.double_bits ^ gs_sink.string_bytes));
  bench_free(&o);
  return ok ? 0 : 1;
}
