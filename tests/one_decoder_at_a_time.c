/* one_decoder_at_a_time.c -- the library built with -DTP_NO_THREAD_LOCAL
 * and no slot hook (tests/one_decoder_at_a_time.sh builds it, with
 * AddressSanitizer): one global arena slot, so calls into two arena
 * decoders must not overlap (taskprogress.h, "The arena slot"). Two
 * threads take turns, each holding its decoder inside a callback while the
 * other runs, so the overlap is the same on every run:
 * - nesting order (the second call ends first, as a decoder used inside
 *   another's callback would): both decode exactly as alone;
 * - crossed order (the first call ends while the second is under way):
 *   both decode exactly as alone too, since each callback's return gives
 *   its decoder the slot back;
 * no crash, no memory error, and tp_reset() makes both decode as alone
 * again. An overlap inside expat itself (two tasks in it at once) is not
 * made in a fixed order here: arena_slot_hook_threads.c hands a call a
 * foreign slot through the hook instead, and sees it reported. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recorder.h"
#include "support.h"
#include "taskprogress.h"

typedef struct side {
  const char *name;
  tp_decoder d;
  unsigned char *arena;
  recorder rec;
  size_t chunk;
  int pause;        /* hold at the first job's begin */
  sem_t paused, go; /* the callback posts paused, then waits for go */
  tp_status fed;    /* the first status other than TP_OK tp_feed gave */
  tp_status finished;
} side;

static char *doc;
static size_t doc_len;
static int failures;

static void
check(int ok, const char *what, const side *s) {
  if (!ok) {
    fprintf(stderr, "FAIL: %s: %s (chunk %zu)\n", s->name, what, s->chunk);
    failures++;
  }
}

static int
held_begin(void *user_data, tp_node node) {
  side *s = user_data;
  if (node == TP_NODE_JOB && s->pause) {
    s->pause = 0;
    sem_post(&s->paused);
    sem_wait(&s->go);
  }
  return rec_callbacks()->begin(&s->rec, node);
}

static int
held_end(void *user_data, tp_node node) {
  side *s = user_data;
  return rec_callbacks()->end(&s->rec, node);
}

static int
held_field(void *user_data, const tp_field *field) {
  side *s = user_data;
  return rec_callbacks()->field(&s->rec, field);
}

static const tp_callbacks held = {held_begin, held_end, held_field};

/* Feeds the whole document and finishes, recording the trace. */
static void
decode(side *s) {
  s->fed = feed_chunked(&s->d, doc, doc_len, s->chunk);
  s->finished = tp_finish(&s->d);
  rec_status(&s->rec, &s->d);
}

static void *
run(void *arg) {
  decode(arg);
  return NULL;
}

static void
start(side *s, const char *name, size_t chunk) {
  tp_config cfg;
  s->name = name;
  s->chunk = chunk;
  s->pause = 1;
  rec_init(&s->rec);
  sem_init(&s->paused, 0, 0);
  sem_init(&s->go, 0, 0);
  tp_config_init(&cfg);
  cfg.callbacks = &held;
  cfg.user_data = s;
  cfg.arena = s->arena;
  cfg.arena_size = TP_ARENA_RECOMMENDED_SIZE;
  if (tp_init(&s->d, &cfg) != TP_OK)
    abort();
}

/* tp_reset(), then the whole document again, alone. */
static void
again(side *s, const recorder *want) {
  rec_clear(&s->rec);
  check(tp_reset(&s->d) == TP_OK, "tp_reset", s);
  decode(s);
  check(rec_equal(&s->rec, want), "after tp_reset, not the trace alone", s);
  tp_release(&s->d);
  rec_free(&s->rec);
  sem_destroy(&s->paused);
  sem_destroy(&s->go);
}

/* Both threads held in a callback, a's call first; then a's call goes on
 * first when crossed, else b's. */
static void
overlap(side *a, side *b, int crossed) {
  pthread_t ta, tb;
  if (pthread_create(&ta, NULL, run, a) != 0)
    abort();
  sem_wait(&a->paused);
  if (pthread_create(&tb, NULL, run, b) != 0)
    abort();
  sem_wait(&b->paused);
  if (crossed) {
    sem_post(&a->go);
    pthread_join(ta, NULL);
    sem_post(&b->go);
    pthread_join(tb, NULL);
  } else {
    sem_post(&b->go);
    pthread_join(tb, NULL);
    sem_post(&a->go);
    pthread_join(ta, NULL);
  }
}

int
main(void) {
  static const size_t chunks[] = {1, 7, 64, 512, 0};
  size_t c;
  int crossed;
  recorder want;
  side a, b;
  doc = read_test_data("two-jobs.xml", &doc_len);
  a.arena = malloc(TP_ARENA_RECOMMENDED_SIZE);
  b.arena = malloc(TP_ARENA_RECOMMENDED_SIZE);
  if (doc == NULL || a.arena == NULL || b.arena == NULL)
    return 1;
  rec_init(&want);
  if (rec_decode(&want, doc, doc_len, 0, 0) != TP_OK)
    return 1;
  for (crossed = 0; crossed < 2; crossed++)
    for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
      start(&a, "first", chunks[c]);
      start(&b, "second", chunks[c]);
      overlap(&a, &b, crossed);
      if (!crossed) {
        check(a.finished == TP_OK && rec_equal(&a.rec, &want),
              "nesting order: not the trace alone", &a);
        check(b.finished == TP_OK && rec_equal(&b.rec, &want),
              "nesting order: not the trace alone", &b);
      } else {
        /* Each callback's return gives its decoder the slot back, so
         * taking turns inside callbacks harms neither. */
        check(a.finished == TP_OK && rec_equal(&a.rec, &want),
              "crossed order: not the trace alone", &a);
        check(b.finished == TP_OK && rec_equal(&b.rec, &want),
              "crossed order: not the trace alone", &b);
      }
      again(&a, &want);
      again(&b, &want);
    }
  printf("nesting and crossed order, %zu chunk sizes: both decoders as "
         "alone; %d failures\n",
         sizeof chunks / sizeof chunks[0], failures);
  rec_free(&want);
  free(a.arena);
  free(b.arena);
  free(doc);
  return failures == 0 ? 0 : 1;
}
