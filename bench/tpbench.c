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
 * sets tp_config.max_slice (default 0: the library's defaults). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taskprogress.h"

typedef struct input {
  const char *name;
  char *data;
  size_t len;
  unsigned long repeat;
} input;

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
floor_parse(XML_Parser p, const input *in, size_t feed) {
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

static int
floor_run(const input *in, size_t feed, int prompt, int reuse) {
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
static size_t max_slice; /* --slice: tp_config.max_slice of every decoder */

static int
decoder_parse(tp_decoder *d, const input *in, size_t feed) {
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

static int
decoder_run(const input *in, size_t feed, int prompt, int reuse,
            int use_arena) {
  tp_decoder d;
  tp_config cfg;
  unsigned long r;
  int ok = 1, live = 0;
  tp_config_init(&cfg);
  cfg.callbacks = &CONSUMER;
  cfg.user_data = &sink;
  cfg.flags = prompt ? TP_FLAG_PROMPT : 0u;
  cfg.max_slice = max_slice;
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
    ok &= decoder_parse(&d, in, feed);
    if (!reuse) {
      tp_release(&d);
      live = 0;
    }
  }
  if (live)
    tp_release(&d);
  return ok;
}

/* ---- the sides ---- */

enum { FLOOR, FLOOR_REUSE, HEAP, HEAP_REUSE, ARENA, ARENA_REUSE, SIDES };

static const char *const side_names[SIDES] = {
    "floor", "floor-reuse", "heap", "heap-reuse", "arena", "arena-reuse"};

static int
run_side(int side, const input *in, size_t feed, int prompt) {
  const int reuse = side % 2 == 1;
  if (side <= FLOOR_REUSE)
    return floor_run(in, feed, prompt, reuse);
  return decoder_run(in, feed, prompt, reuse, side >= ARENA);
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

static double
median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, by_value);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static char *
read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;
  if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
    fprintf(stderr, "tpbench: cannot read %s\n", path);
    exit(2);
  }
  rewind(f);
  buf = malloc((size_t)n + 1u);
  if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "tpbench: cannot read %s\n", path);
    exit(2);
  }
  fclose(f);
  *len = (size_t)n;
  return buf;
}

#define MAX_INPUTS 8
#define MAX_FEEDS 8
#define MAX_REPS 31

/* The median over the rounds of num[r] / den[r]. */
static double
median_ratio(const double *num, const double *den, int reps) {
  double v[MAX_REPS];
  int r;
  for (r = 0; r < reps; r++)
    v[r] = num[r] / den[r];
  return median(v, reps);
}

int
main(int argc, char **argv) {
  input inputs[MAX_INPUTS];
  size_t feeds[MAX_FEEDS] = {0, 65536, 4096, 64, 1};
  int nfeeds = 5, ninputs = 0, reps = 9, prompt = 0, only = -1, i, f, r, s;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
      reps = atoi(argv[++i]);
      if (reps < 1 || reps > MAX_REPS)
        reps = 9;
    } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      const char *name = argv[++i];
      for (s = 0; s < SIDES; s++)
        if (strcmp(name, side_names[s]) == 0)
          only = s;
      if (only < 0) {
        fprintf(stderr, "tpbench: unknown side %s\n", name);
        return 2;
      }
    } else if (strcmp(argv[i], "--slice") == 0 && i + 1 < argc) {
      max_slice = strtoul(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--prompt") == 0) {
      prompt = 1;
    } else if (strcmp(argv[i], "--feeds") == 0 && i + 1 < argc) {
      char *list = argv[++i], *tok;
      nfeeds = 0;
      for (tok = strtok(list, ","); tok && nfeeds < MAX_FEEDS;
           tok = strtok(NULL, ","))
        feeds[nfeeds++] =
            strcmp(tok, "whole") == 0 ? 0 : strtoul(tok, NULL, 10);
    } else if (ninputs < MAX_INPUTS && strchr(argv[i], '=') != NULL) {
      char *eq = strchr(argv[i], '='), *x;
      input *in = &inputs[ninputs++];
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
      fprintf(stderr, "usage: tpbench [--reps N] [--only SIDE] "
                      "[--feeds whole,65536,...] [--slice N] [--prompt] "
                      "NAME=FILE[xN]...\n"
                      "sides: floor floor-reuse heap heap-reuse arena "
                      "arena-reuse\n");
      return 2;
    }
  }
  if (ninputs == 0) {
    fprintf(stderr, "tpbench: no input\n");
    return 2;
  }
  if (only >= 0) {
    /* One run of one side per input and feed: for callgrind. */
    for (i = 0; i < ninputs; i++)
      for (f = 0; f < nfeeds; f++) {
        size_t feed = feeds[f] ? feeds[f] : inputs[i].len;
        if (!run_side(only, &inputs[i], feed, prompt))
          return 1;
      }
    return 0;
  }
  printf("time / expat alone's, median of %d rounds%s; fresh: init and "
         "release per response, reuse: reset between responses\n",
         reps, prompt ? ", prompt mode" : "");
  printf("%-8s %-6s %11s %7s %7s %7s %7s   %7s %7s\n", "input", "feed",
         "expat MB/s", "heap", "heap", "arena", "arena", "arena/heap", "");
  printf("%-8s %-6s %11s %7s %7s %7s %7s   %7s %7s\n", "", "", "", "fresh",
         "reuse", "fresh", "reuse", "fresh", "reuse");
  for (i = 0; i < ninputs; i++) {
    const input *in = &inputs[i];
    double bytes = (double)in->len * (double)in->repeat;
    for (f = 0; f < nfeeds; f++) {
      size_t feed = feeds[f] ? feeds[f] : in->len;
      double t[SIDES][MAX_REPS], floor_t[MAX_REPS];
      char label[16];
      for (r = 0; r < reps; r++) {
        /* The order rotates, so that no side always runs on the caches
         * and clock another left behind. */
        for (s = 0; s < SIDES; s++) {
          const int side = (s + r) % SIDES;
          double t0 = now();
          if (!run_side(side, in, feed, prompt)) {
            fprintf(stderr, "tpbench: %s failed on %s\n", side_names[side],
                    in->name);
            return 1;
          }
          t[side][r] = now() - t0;
        }
        floor_t[r] = t[FLOOR][r];
      }
      if (feeds[f] == 0)
        snprintf(label, sizeof label, "whole");
      else
        snprintf(label, sizeof label, "%zu", feeds[f]);
      printf("%-8s %-6s %11.1f %7.3f %7.3f %7.3f %7.3f   %7.3f %7.3f\n",
             in->name, label, bytes / median(floor_t, reps) / 1e6,
             median_ratio(t[HEAP], t[FLOOR], reps),
             median_ratio(t[HEAP_REUSE], t[FLOOR_REUSE], reps),
             median_ratio(t[ARENA], t[FLOOR], reps),
             median_ratio(t[ARENA_REUSE], t[FLOOR_REUSE], reps),
             median_ratio(t[ARENA], t[HEAP], reps),
             median_ratio(t[ARENA_REUSE], t[HEAP_REUSE], reps));
      fflush(stdout);
    }
  }
  /* Keep the consumer's sums alive. */
  if (sink.nodes == 42u)
    printf("%llu\n", (unsigned long long)(sink.ints ^ sink.double_bits));
  for (i = 0; i < ninputs; i++)
    free(inputs[i].data);
  return 0;
}
