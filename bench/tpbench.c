/* tpbench.c -- the decoder against its floor, expat alone, on the same
 * bytes in memory, in one run: MB/s of each and their ratio, the median of
 * alternating repetitions (the machines are shared and noisy: only ratios
 * measured side by side mean anything).
 *
 * usage: tpbench [--reps N] [--only floor|decoder] [--feeds LIST]
 *                [--prompt] NAME=FILE[xREPEAT]...
 * A response given as NAME=FILExN is decoded N times per timed run, with a
 * reset in between (for small responses). --only runs one side once per
 * feed, for callgrind. */
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
floor_run(const input *in, size_t feed, int prompt) {
  XML_Parser p = XML_ParserCreateNS(NULL, '\n');
  unsigned long r;
  int ok = 1;
  floor_handlers(p, prompt);
  for (r = 0; r < in->repeat; r++) {
    size_t off = 0;
    while (off < in->len) {
      size_t n = in->len - off < feed ? in->len - off : feed;
      if (XML_Parse(p, in->data + off, (int)n, XML_FALSE) != XML_STATUS_OK)
        ok = 0;
      off += n;
    }
    if (XML_Parse(p, "", 0, XML_TRUE) != XML_STATUS_OK)
      ok = 0;
    XML_ParserReset(p, NULL);
    floor_handlers(p, prompt);
  }
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

static int
decoder_run(const input *in, size_t feed, int prompt) {
  tp_decoder d;
  tp_config cfg;
  unsigned long r;
  int ok = 1;
  tp_config_init(&cfg);
  cfg.callbacks = &CONSUMER;
  cfg.user_data = &sink;
  cfg.flags = prompt ? TP_FLAG_PROMPT : 0u;
  if (tp_init(&d, &cfg) != TP_OK)
    return 0;
  for (r = 0; r < in->repeat; r++) {
    size_t off = 0;
    while (off < in->len) {
      size_t n = in->len - off < feed ? in->len - off : feed;
      if (tp_feed(&d, in->data + off, n) != TP_OK)
        ok = 0;
      off += n;
    }
    if (tp_finish(&d) != TP_OK)
      ok = 0;
    tp_reset(&d);
  }
  tp_release(&d);
  return ok;
}

/* ---- timing ---- */

static double
now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
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

int
main(int argc, char **argv) {
  input inputs[MAX_INPUTS];
  size_t feeds[MAX_FEEDS] = {0, 65536, 4096, 64, 1};
  int nfeeds = 5, ninputs = 0, reps = 5, prompt = 0, i, f, r;
  const char *only = NULL;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
      reps = atoi(argv[++i]);
      if (reps < 1 || reps > MAX_REPS)
        reps = 5;
    } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      only = argv[++i];
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
      fprintf(stderr,
              "usage: tpbench [--reps N] [--only floor|decoder] "
              "[--feeds whole,65536,...] [--prompt] NAME=FILE[xN]...\n");
      return 2;
    }
  }
  if (ninputs == 0) {
    fprintf(stderr, "tpbench: no input\n");
    return 2;
  }
  if (only != NULL) {
    /* One run of one side per input and feed: for callgrind. */
    for (i = 0; i < ninputs; i++)
      for (f = 0; f < nfeeds; f++) {
        size_t feed = feeds[f] ? feeds[f] : inputs[i].len;
        int ok = strcmp(only, "floor") == 0
                     ? floor_run(&inputs[i], feed, prompt)
                     : decoder_run(&inputs[i], feed, prompt);
        if (!ok)
          return 1;
      }
    return 0;
  }
  printf("%-8s %-7s %10s %10s %7s   (median of %d alternating runs%s)\n",
         "input", "feed", "floor", "decoder", "ratio", reps,
         prompt ? ", prompt mode" : "");
  for (i = 0; i < ninputs; i++) {
    const input *in = &inputs[i];
    double bytes = (double)in->len * (double)in->repeat;
    for (f = 0; f < nfeeds; f++) {
      size_t feed = feeds[f] ? feeds[f] : in->len;
      double tf[MAX_REPS], td[MAX_REPS], ratio[MAX_REPS];
      char label[16];
      for (r = 0; r < reps; r++) {
        /* Which side goes first alternates too, so that neither always
         * runs on the caches and clock the other left behind. */
        for (int side = 0; side < 2; side++) {
          const int run_floor = (side == 0) == (r % 2 == 0);
          double t0 = now();
          if (!(run_floor ? floor_run(in, feed, prompt)
                          : decoder_run(in, feed, prompt)))
            return 1;
          *(run_floor ? &tf[r] : &td[r]) = now() - t0;
        }
        ratio[r] = td[r] / tf[r];
      }
      if (feeds[f] == 0)
        snprintf(label, sizeof label, "whole");
      else
        snprintf(label, sizeof label, "%zu", feeds[f]);
      printf("%-8s %-7s %7.1f MB/s %7.1f MB/s %7.3f\n", in->name, label,
             bytes / median(tf, reps) / 1e6, bytes / median(td, reps) / 1e6,
             median(ratio, reps));
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
