/* arena_slot_hook_threads.c -- the arena slot hook (taskprogress.h, "The
 * arena slot") mapped to a pthread key, in a library built with
 * -DTP_NO_THREAD_LOCAL -DTP_PORT_ARENA_SLOT (tests/arena_slot_hook_threads.sh
 * builds it, under ThreadSanitizer): 8 threads decode 200 documents each at
 * the same time, each thread in its own arena, at several chunk sizes, and
 * every trace must be the one a single thread got for the same document.
 * Without the hook the threads would share one slot. First, on one
 * thread, the hook hands a call another decoder's arena (rogue_slot), as
 * a slot shared with another task would: the overlap must be reported. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "recorder.h"
#include "support.h"
#include "taskprogress.h"

#define THREADS 8
#define DOCS 200
/* Larger responses would only slow ThreadSanitizer down: the routing is
 * the same for every size. */
#define MAX_DOC_BYTES 65536

static pthread_key_t slot_key;
static atomic_ulong slot_sets;

/* Set only before the threads start: the slot another task would have put
 * there, for the test of a slot that changes under a call (rogue_slot). */
static void *rogue;

void *
tp_port_arena_slot_get(void) {
  return rogue != NULL ? rogue : pthread_getspecific(slot_key);
}

void
tp_port_arena_slot_set(void *arena) {
  atomic_fetch_add(&slot_sets, 1);
  if (pthread_setspecific(slot_key, arena) != 0)
    abort();
}

typedef struct doc {
  char *data;
  size_t len;
  recorder want;
} doc;

static doc docs[512];
static size_t ndocs;

static const size_t chunks[] = {1, 7, 64, 512, 0};
#define NCHUNKS (sizeof chunks / sizeof chunks[0])

/* Decodes DOCS documents, each thread starting elsewhere in the list;
 * returns how many traces differed from the reference. */
static void *
worker(void *arg) {
  const size_t t = (size_t)(uintptr_t)arg;
  unsigned char *arena = malloc(TP_ARENA_RECOMMENDED_SIZE);
  recorder got;
  uintptr_t bad = 0;
  size_t k;
  if (arena == NULL)
    abort();
  rec_init(&got);
  for (k = 0; k < DOCS; k++) {
    const doc *d = &docs[(t * 13 + k) % ndocs];
    rec_decode_arena(&got, d->data, d->len, chunks[(t + k) % NCHUNKS], 0, arena,
                     TP_ARENA_RECOMMENDED_SIZE, NULL);
    if (!rec_equal(&got, &d->want) && bad++ == 0) {
      fprintf(stderr, "thread %zu, document %zu, chunk %zu:\n", t, k,
              chunks[(t + k) % NCHUNKS]);
      rec_report_difference(&d->want, &got);
    }
  }
  /* Every call restored the slot: this thread's is empty again. */
  if (tp_port_arena_slot_get() != NULL) {
    fprintf(stderr, "thread %zu: the slot was not restored\n", t);
    bad++;
  }
  rec_free(&got);
  free(arena);
  return (void *)bad;
}

static const char slot_taken[] =
    "another decoder used the arena slot during this call";

/* Another decoder's arena, in the slot from the first field on. */
static int
rogue_field(void *user_data, const tp_field *field) {
  (void)field;
  if (rogue == NULL)
    rogue = user_data;
  return 0;
}

/* The slot holding another decoder's arena under a call, as another task
 * sharing it would leave it: the call ends with TP_ERR_STATE, its detail
 * and a tp_format_error line that tells it, no memory error; with the slot
 * the caller's again, tp_reset() makes both decoders decode as alone.
 * Returns how many checks failed. */
static unsigned long
rogue_slot(const doc *d, unsigned char *arena_a, unsigned char *arena_b) {
  static const tp_callbacks cb = {NULL, NULL, rogue_field};
  unsigned long bad = 0;
  size_t c;
  for (c = 0; c < NCHUNKS; c++) {
    tp_decoder a, b;
    tp_config cfg;
    tp_error e;
    tp_status s;
    char line[256];
    recorder got;
    tp_config_init(&cfg);
    cfg.arena = arena_b;
    cfg.arena_size = TP_ARENA_RECOMMENDED_SIZE;
    if (tp_init(&b, &cfg) != TP_OK)
      return bad + 1;
    cfg.callbacks = &cb;
    cfg.user_data = arena_b;
    cfg.arena = arena_a;
    if (tp_init(&a, &cfg) != TP_OK)
      return bad + 1;
    rogue = NULL;
    s = feed_chunked(&a, d->data, d->len, chunks[c]);
    if (s == TP_OK)
      s = tp_finish(&a);
    rogue = NULL;
    (void)tp_format_error(&a, line, sizeof line);
    if (s != TP_ERR_STATE || tp_get_error(&a, &e) != TP_ERR_STATE ||
        strcmp(e.detail, slot_taken) != 0 || strstr(line, slot_taken) == NULL) {
      fprintf(stderr, "rogue slot, chunk %zu: status %s, line '%s'\n",
              chunks[c], tp_strerror(s), line);
      bad++;
    }
    rec_init(&got);
    if (tp_reset(&b) != TP_OK || tp_reset(&a) != TP_OK)
      bad++;
    tp_release(&a);
    tp_release(&b);
    if (rec_decode_arena(&got, d->data, d->len, chunks[c], 0, arena_a,
                         TP_ARENA_RECOMMENDED_SIZE, NULL) != TP_OK ||
        !rec_equal(&got, &d->want))
      bad++;
    rec_free(&got);
  }
  return bad;
}

int
main(void) {
  static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];
  pthread_t threads[THREADS];
  corpus files;
  unsigned long bad = 0, sets;
  size_t i;
  if (pthread_key_create(&slot_key, NULL) != 0)
    return 1;
  corpus_load(&files);
  for (i = 0; i < files.count && ndocs < sizeof docs / sizeof docs[0]; i++) {
    doc *d = &docs[ndocs];
    d->data = read_file(files.paths[i], &d->len);
    if (d->data == NULL)
      return 1;
    if (d->len > MAX_DOC_BYTES) {
      free(d->data);
      continue;
    }
    rec_init(&d->want);
    rec_decode_arena(&d->want, d->data, d->len, 0, 0, arena, sizeof arena,
                     NULL);
    ndocs++;
  }
  if (ndocs < 20) {
    fprintf(stderr, "only %zu responses found\n", ndocs);
    return 1;
  }
  {
    unsigned char *arena_b = malloc(TP_ARENA_RECOMMENDED_SIZE);
    unsigned long rogue_bad;
    if (arena_b == NULL)
      return 1;
    rogue_bad = rogue_slot(&docs[0], arena, arena_b);
    printf("a slot changed under a call: %lu failures of %zu chunk sizes\n",
           rogue_bad, NCHUNKS);
    bad += rogue_bad;
    free(arena_b);
  }
  atomic_store(&slot_sets, 0);
  for (i = 0; i < THREADS; i++)
    if (pthread_create(&threads[i], NULL, worker, (void *)(uintptr_t)i) != 0)
      return 1;
  for (i = 0; i < THREADS; i++) {
    void *b;
    if (pthread_join(threads[i], &b) != 0)
      return 1;
    bad += (unsigned long)(uintptr_t)b;
  }
  /* At least tp_init's and one tp_feed's enter and leave per document:
   * the library did route through the hook. */
  sets = atomic_load(&slot_sets);
  if (sets < 4ul * THREADS * DOCS) {
    fprintf(stderr, "the hook was called %lu times\n", sets);
    bad++;
  }
  printf("%d threads x %d documents (%zu responses, chunks 1 to whole): "
         "%lu traces differ from the single-threaded ones; %lu slot sets\n",
         THREADS, DOCS, ndocs, bad, sets);
  for (i = 0; i < ndocs; i++) {
    rec_free(&docs[i].want);
    free(docs[i].data);
  }
  corpus_free(&files);
  return bad == 0 ? 0 : 1;
}
