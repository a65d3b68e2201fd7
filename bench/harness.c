/* harness.c -- the benchmark programs' shared parts (see harness.h). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "harness.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taskprogress.h"

/* ---- the floor: expat alone, namespace-aware, empty handlers ---- */

static void XMLCALL
floor_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  (void)ud;
  (void)name;
  (void)atts;
}

static void XMLCALL
floor_end(void *ud, const XML_Char *name) {
  (void)ud;
  (void)name;
}

static void XMLCALL
floor_text(void *ud, const XML_Char *s, int len) {
  (void)ud;
  (void)s;
  (void)len;
}

static void
floor_handlers(XML_Parser p, int prompt) {
  XML_SetElementHandler(p, floor_start, floor_end);
  XML_SetCharacterDataHandler(p, floor_text);
#ifdef HAVE_XML_SETREPARSEDEFERRALENABLED
  if (prompt)
    XML_SetReparseDeferralEnabled(p, XML_FALSE);
#else
  (void)prompt;
#endif
}

static int
floor_parse(XML_Parser p, const bench_input *in, size_t feed) {
  size_t off = 0;
  int ok = 1;
  while (off < in->len) {
    size_t n = in->len - off < feed ? in->len - off : feed;
    if (XML_Parse(p, in->data + off, (int)n, XML_FALSE) != XML_STATUS_OK)
      ok = 0;
    off += n;
  }
  if (XML_Parse(p, "", 0, XML_TRUE) != XML_STATUS_OK)
    ok = 0;
  return ok;
}

int
bench_floor_run(const bench_input *in, size_t feed, int prompt, int reuse) {
  XML_Parser p = NULL;
  unsigned long r;
  int ok = 1;
  for (r = 0; r < in->repeat; r++) {
    if (p == NULL) {
      p = XML_ParserCreateNS(NULL, '\n');
      if (p == NULL)
        return 0;
    } else {
      XML_ParserReset(p, NULL);
    }
    floor_handlers(p, prompt);
    ok &= floor_parse(p, in, feed);
    if (!reuse) {
      XML_ParserFree(p);
      p = NULL;
    }
  }
  if (p != NULL)
    XML_ParserFree(p);
  return ok;
}

/* ---- the decoder, with callbacks that consume every value ---- */

typedef struct consumer {
  uint64_t ints, double_bits, string_bytes, nodes;
} consumer;

static int
on_node(void *ud, tp_node node) {
  ((consumer *)ud)->nodes += (uint64_t)node + 1u;
  return 0;
}

static int
on_field(void *ud, const tp_field *f) {
  consumer *c = ud;
  switch (f->type) {
  case TP_TYPE_INT:
    c->ints += (uint64_t)(int64_t)f->value.i;
    break;
  case TP_TYPE_DOUBLE: {
    uint64_t bits;
    memcpy(&bits, &f->value.d, sizeof bits);
    c->double_bits ^= bits;
    break;
  }
  case TP_TYPE_DATETIME:
    c->ints += (uint64_t)f->value.dt.year + f->value.dt.nanosecond;
    break;
  default:
    c->string_bytes += f->len;
    break;
  }
  return 0;
}

static const tp_callbacks CONSUMER = {on_node, on_node, on_field};
static consumer sink;
static _Alignas(max_align_t) unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];

int
bench_decoder_parse(tp_decoder *d, const bench_input *in, size_t feed) {
  size_t off = 0;
  int ok = 1;
  while (off < in->len) {
    size_t n = in->len - off < feed ? in->len - off : feed;
    if (tp_feed(d, in->data + off, n) != TP_OK)
      ok = 0;
    off += n;
  }
  if (tp_finish(d) != TP_OK)
    ok = 0;
  return ok;
}

int
bench_decoder_run(const bench_input *in, size_t feed, const bench_options *o,
                  int reuse, int use_arena) {
  tp_decoder d;
  tp_config cfg;
  unsigned long r;
  int ok = 1, live = 0;
  tp_config_init(&cfg);
  cfg.callbacks = &CONSUMER;
  cfg.user_data = &sink;
  cfg.flags = o->prompt ? TP_FLAG_PROMPT : 0u;
  cfg.max_slice = o->max_slice;
  if (use_arena) {
    cfg.arena = arena;
    cfg.arena_size = sizeof arena;
  }
  for (r = 0; r < in->repeat; r++) {
    if (!live) {
      if (tp_init(&d, &cfg) != TP_OK)
        return 0;
      live = 1;
    } else if (tp_reset(&d) != TP_OK) {
      return 0;
    }
    ok &= bench_decoder_parse(&d, in, feed);
    if (!reuse) {
      tp_release(&d);
      live = 0;
    }
  }
  if (live)
    tp_release(&d);
  return ok;
}

void
bench_keep_alive(void) {
  if (sink.nodes == 42u)
    printf("%llu\n", (unsigned long long)(sink.ints ^ sink.double_bits));
}

/* ---- counts, to check a peer's decoding against ---- */

static int
count_begin(void *ud, tp_node node) {
  bench_counts *c = ud;
  c->jobs += node == TP_NODE_JOB;
  c->tasks += node == TP_NODE_TASK;
  c->items += node == TP_NODE_ITEM;
  return 0;
}

static int
count_end(void *ud, tp_node node) {
  (void)ud;
  (void)node;
  return 0;
}

static int
count_field(void *ud, const tp_field *f) {
  bench_counts *c = ud;
  if (f->type == TP_TYPE_INT) {
    c->ints += (uint64_t)(int64_t)f->value.i;
  } else if (f->type == TP_TYPE_DOUBLE) {
    uint64_t bits;
    memcpy(&bits, &f->value.d, sizeof bits);
    c->double_bits ^= bits;
  }
  return 0;
}

int
bench_decoder_counts(const bench_input *in, bench_counts *c) {
  static const tp_callbacks COUNT = {count_begin, count_end, count_field};
  tp_decoder d;
  tp_config cfg;
  int ok;
  memset(c, 0, sizeof *c);
  tp_config_init(&cfg);
  cfg.callbacks = &COUNT;
  cfg.user_data = c;
  if (tp_init(&d, &cfg) != TP_OK)
    return 0;
  ok = bench_decoder_parse(&d, in, 4096);
  tp_release(&d);
  return ok;
}

/* ---- timing ---- */

/* CPU time of the process, not wall time: on a shared machine with more
 * runnable threads than cores, wall time counts the waits for a core too,
 * which moved ratios by 10-20% from round to round. */
static double
now(void) {
  struct timespec t;
#if defined(CLOCK_PROCESS_CPUTIME_ID)
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
#else
  clock_gettime(CLOCK_MONOTONIC, &t);
#endif
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int
by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

double
bench_median(const double *values, int n) {
  double v[BENCH_MAX_REPS];
  memcpy(v, values, (size_t)n * sizeof *v);
  qsort(v, (size_t)n, sizeof *v, by_value);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double
bench_median_ratio(const double *num, const double *den, int reps) {
  double v[BENCH_MAX_REPS];
  int r;
  for (r = 0; r < reps && r < BENCH_MAX_REPS; r++)
    v[r] = num[r] / den[r];
  return bench_median(v, reps);
}

int
bench_rounds(const bench_options *o, const bench_input *in, size_t feed,
             int nsides, bench_side_fn run, const char *const *side_names,
             double t[][BENCH_MAX_REPS]) {
  int r, s;
  for (r = 0; r < o->reps; r++) {
    /* The order rotates, so that no side always runs on the caches and
     * clock another left behind. */
    for (s = 0; s < nsides; s++) {
      const int side = (s + r) % nsides;
      double t0 = now();
      if (!run(side, in, feed, o)) {
        fprintf(stderr, "bench: %s failed on %s\n", side_names[side], in->name);
        return 0;
      }
      t[side][r] = now() - t0;
    }
  }
  return 1;
}

int
bench_only(const bench_options *o, int side, bench_side_fn run) {
  int i, f;
  for (i = 0; i < o->ninputs; i++)
    for (f = 0; f < o->nfeeds; f++) {
      size_t feed = o->feeds[f] ? o->feeds[f] : o->inputs[i].len;
      if (!run(side, &o->inputs[i], feed, o))
        return 0;
    }
  return 1;
}

void
bench_feed_label(char *buf, size_t size, size_t feed) {
  if (feed == 0)
    snprintf(buf, size, "whole");
  else
    snprintf(buf, size, "%zu", feed);
}

int
bench_only_side(const bench_options *o, const char *const *side_names,
                int nsides, const char *program) {
  int s;
  if (o->only == NULL)
    return -1;
  for (s = 0; s < nsides; s++)
    if (strcmp(o->only, side_names[s]) == 0)
      return s;
  fprintf(stderr, "%s: unknown side %s\n", program, o->only);
  return -2;
}

int
bench_table(const bench_options *o, bench_side_fn run,
            const char *const *side_names, const char *peer) {
  char peer_over_heap[16];
  int i, f;
  snprintf(peer_over_heap, sizeof peer_over_heap, "%s/heap", peer);
  printf("%-8s %-6s %11s %7s %7s %7s %7s   %s\n", "input", "feed", "expat MB/s",
         "heap", "heap", peer, peer, peer_over_heap);
  printf("%-8s %-6s %11s %7s %7s %7s %7s   %7s %7s\n", "", "", "", "fresh",
         "reuse", "fresh", "reuse", "fresh", "reuse");
  for (i = 0; i < o->ninputs; i++) {
    const bench_input *in = &o->inputs[i];
    double bytes = (double)in->len * (double)in->repeat;
    for (f = 0; f < o->nfeeds; f++) {
      size_t feed = o->feeds[f] ? o->feeds[f] : in->len;
      double t[BENCH_SIDES][BENCH_MAX_REPS];
      char label[24]; /* "whole" or a size_t in decimal */
      if (!bench_rounds(o, in, feed, BENCH_SIDES, run, side_names, t))
        return 0;
      bench_feed_label(label, sizeof label, o->feeds[f]);
      printf("%-8s %-6s %11.1f %7.3f %7.3f %7.3f %7.3f   %7.3f %7.3f\n",
             in->name, label,
             bytes / bench_median(t[BENCH_FLOOR], o->reps) / 1e6,
             bench_median_ratio(t[BENCH_HEAP], t[BENCH_FLOOR], o->reps),
             bench_median_ratio(t[BENCH_HEAP_REUSE], t[BENCH_FLOOR_REUSE],
                                o->reps),
             bench_median_ratio(t[BENCH_PEER], t[BENCH_FLOOR], o->reps),
             bench_median_ratio(t[BENCH_PEER_REUSE], t[BENCH_FLOOR_REUSE],
                                o->reps),
             bench_median_ratio(t[BENCH_PEER], t[BENCH_HEAP], o->reps),
             bench_median_ratio(t[BENCH_PEER_REUSE], t[BENCH_HEAP_REUSE],
                                o->reps));
      fflush(stdout);
    }
  }
  return 1;
}

/* ---- options and inputs ---- */

static char *
read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;
  if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
    fprintf(stderr, "bench: cannot read %s\n", path);
    exit(2);
  }
  rewind(f);
  buf = malloc((size_t)n + 1u);
  if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "bench: cannot read %s\n", path);
    exit(2);
  }
  fclose(f);
  *len = (size_t)n;
  return buf;
}

int
bench_parse(int argc, char **argv, bench_options *o) {
  static const size_t default_feeds[] = {0, 65536, 4096, 64, 1};
  int i;
  memset(o, 0, sizeof *o);
  memcpy(o->feeds, default_feeds, sizeof default_feeds);
  o->nfeeds = (int)(sizeof default_feeds / sizeof default_feeds[0]);
  o->reps = 9;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
      o->reps = atoi(argv[++i]);
      if (o->reps < 1 || o->reps > BENCH_MAX_REPS)
        o->reps = 9;
    } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      o->only = argv[++i];
    } else if (strcmp(argv[i], "--slice") == 0 && i + 1 < argc) {
      o->max_slice = strtoul(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--prompt") == 0) {
      o->prompt = 1;
    } else if (strcmp(argv[i], "--collect") == 0) {
      o->collect = 1;
    } else if (strcmp(argv[i], "--feeds") == 0 && i + 1 < argc) {
      char *list = argv[++i], *tok;
      o->nfeeds = 0;
      for (tok = strtok(list, ","); tok && o->nfeeds < BENCH_MAX_FEEDS;
           tok = strtok(NULL, ","))
        o->feeds[o->nfeeds++] =
            strcmp(tok, "whole") == 0 ? 0 : strtoul(tok, NULL, 10);
    } else if (o->ninputs < BENCH_MAX_INPUTS && strchr(argv[i], '=') != NULL) {
      char *eq = strchr(argv[i], '='), *x;
      bench_input *in = &o->inputs[o->ninputs++];
      *eq = '\0';
      in->name = argv[i];
      x = strrchr(eq + 1, 'x');
      in->repeat = 1;
      if (x != NULL && x[1] >= '0' && x[1] <= '9' && strchr(x, '/') == NULL) {
        in->repeat = strtoul(x + 1, NULL, 10);
        *x = '\0';
      }
      in->data = read_all(eq + 1, &in->len);
    } else {
      return -1;
    }
  }
  return 0;
}

void
bench_free(bench_options *o) {
  int i;
  for (i = 0; i < o->ninputs; i++)
    free(o->inputs[i].data);
}
