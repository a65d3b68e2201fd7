/* prompt_unsupported.c -- run by tests/prompt_unsupported.sh, once in a
 * library built with the configuration configure chose and once in one
 * built as if expat could not turn reparse deferral off. The first argument
 * says which tp_init() must do with TP_FLAG_PROMPT: "accepted" (TP_OK) or
 * "refused" (TP_ERR_UNSUPPORTED, leaving nothing to release). Either way a
 * decoder without the flag must then decode the response (the second
 * argument) at several chunk sizes with the same events, so a refusal
 * costs nothing but the flag. Prints what differed; exit 0 when nothing
 * did. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "taskprogress.h"

static char doc[1 << 16];

/* Fields are not compared: a string arrives in as many fragments as the
 * input was split into. */
typedef struct counts {
  unsigned long begins, ends, fields;
} counts;

static int
same_nodes(const counts *a, const counts *b) {
  return a->begins == b->begins && a->ends == b->ends && b->fields > 0;
}

static int
on_begin(void *user, tp_node node) {
  (void)node;
  ((counts *)user)->begins++;
  return 0;
}

static int
on_end(void *user, tp_node node) {
  (void)node;
  ((counts *)user)->ends++;
  return 0;
}

static int
on_field(void *user, const tp_field *field) {
  (void)field;
  ((counts *)user)->fields++;
  return 0;
}

static const tp_callbacks callbacks = {on_begin, on_end, on_field};

/* Decodes doc[0..len) in chunks of `chunk` bytes with `flags`; returns the
 * status tp_init() gave, or what decoding ended with. */
static tp_status
decode(size_t len, size_t chunk, unsigned flags, counts *c) {
  tp_decoder d;
  tp_config cfg;
  tp_status s;
  memset(c, 0, sizeof *c);
  tp_config_init(&cfg);
  cfg.flags = flags;
  cfg.user_data = c;
  cfg.callbacks = &callbacks;
  s = tp_init(&d, &cfg);
  if (s != TP_OK)
    return s;
  s = feed_chunked(&d, doc, len, chunk);
  if (s == TP_OK)
    s = tp_finish(&d);
  tp_release(&d);
  return s;
}

int
main(int argc, char **argv) {
  static const size_t chunks[] = {1, 7, 64, 4096};
  tp_status want;
  counts whole, c;
  size_t len, i;
  int bad = 0;
  FILE *f;
  if (argc != 3 ||
      (strcmp(argv[1], "accepted") != 0 && strcmp(argv[1], "refused") != 0)) {
    fprintf(stderr, "usage: prompt_unsupported accepted|refused FILE\n");
    return 2;
  }
  want = strcmp(argv[1], "accepted") == 0 ? TP_OK : TP_ERR_UNSUPPORTED;
  f = fopen(argv[2], "rb");
  if (f == NULL) {
    perror(argv[2]);
    return 2;
  }
  len = fread(doc, 1, sizeof doc, f);
  fclose(f);
  if (decode(len, len, 0, &whole) != TP_OK || whole.fields == 0) {
    printf("%s does not decode without TP_FLAG_PROMPT\n", argv[2]);
    return 1;
  }
  for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
    tp_status got = decode(len, chunks[i], TP_FLAG_PROMPT, &c);
    if (got != want) {
      printf("chunk %zu, TP_FLAG_PROMPT: %s, expected %s\n", chunks[i],
             tp_strerror(got), tp_strerror(want));
      bad = 1;
    } else if (want == TP_ERR_UNSUPPORTED && (c.begins | c.fields) != 0) {
      printf("chunk %zu: refused, yet callbacks fired\n", chunks[i]);
      bad = 1;
    } else if (want == TP_OK && !same_nodes(&c, &whole)) {
      printf("chunk %zu, TP_FLAG_PROMPT: other events than without it\n",
             chunks[i]);
      bad = 1;
    }
    if (decode(len, chunks[i], 0, &c) != TP_OK || !same_nodes(&c, &whole)) {
      printf("chunk %zu, no flags: other events than whole\n", chunks[i]);
      bad = 1;
    }
  }
  return bad;
}
