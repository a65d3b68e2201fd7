/* collect_ref.h -- a second, deliberately simple collector, to check the
 * library's (lib/collect.c) against: the raw events of a plain decode are
 * logged whole (a string's fragments joined), then the documented pool
 * rules of taskprogress_collect.h are applied to whole values to say what
 * the collector must hand over, where in the pool each task, item and
 * string must be, and what it must show as open when decoding ends or
 * stops. cref_run() drives both and compares them. Shared by the cmocka
 * tests and the fuzz harness: heap and stdio, never cmocka. */
#ifndef TP_TEST_COLLECT_REF_H
#define TP_TEST_COLLECT_REF_H

#include <stddef.h>
#include <stdint.h>

#include "taskprogress_collect.h"

/* ---- the raw events --------------------------------------------------- */

enum { CREF_BEGIN, CREF_END, CREF_FIELD };

typedef struct cref_event {
  int kind;
  tp_node node;   /* CREF_BEGIN, CREF_END */
  tp_field_id id; /* CREF_FIELD */
  tp_type type;   /* CREF_FIELD */
  tp_field value; /* the last call's value (typed fields, taskState) */
  char *text;     /* strings: the fragments joined (heap) */
  size_t len;     /* of text */
  int complete;   /* the last fragment came (typed values: always) */
} cref_event;

typedef struct cref_log {
  cref_event *events;
  size_t count, cap;
  /* Stop (return 1) at the raw callback with this 1-based index, without
   * logging it; 0 never. */
  unsigned long stop_at;
  unsigned long calls;
} cref_log;

void cref_log_init(cref_log *log);
void cref_log_free(cref_log *log);
/* Callbacks that log into the cref_log given as user data. */
const tp_callbacks *cref_log_callbacks(void);

/* ---- the reference ---------------------------------------------------- */

/* What the collector is given. */
typedef struct cref_params {
  const unsigned char *pool; /* its actual address: alignment depends on it */
  size_t pool_size;
  size_t max_tasks, max_items, max_string;
  unsigned flags; /* TP_COLLECT_* */
  /* The job or fault callback with this 1-based index returns non-zero;
   * 0 never. */
  unsigned long stop_at_record;
} cref_params;

/* A string as the collector must show it: `text` (len bytes) at pool
 * offset `off`, or, when off is -1, "" outside the pool. */
typedef struct cref_string {
  char *text;
  size_t len;
  long off;
} cref_string;

/* A record, whatever its kind, by field id. */
typedef struct cref_rec {
  tp_node node;
  uint64_t present, cut, repeated;
  cref_string s[TP_FIELD_COUNT_];
  tp_field v[TP_FIELD_COUNT_]; /* typed values (zero when absent) */
  tp_task_state state_value;
  size_t off;            /* tasks and items: where in the pool */
  struct cref_rec *kids; /* a job's tasks kept, a task's items kept */
  size_t nkids, capkids;
  size_t dropped_tasks, dropped_items;
  int incomplete;
} cref_rec;

typedef struct cref_result {
  cref_rec *delivered; /* every job and fault handed over, in order */
  size_t ndelivered;
  cref_rec *open;   /* the job or fault left open; NULL if none */
  int stopped;      /* the collector stopped decoding (strict, or a callback) */
  tp_status status; /* what tp_collect_status() must say */
} cref_result;

void cref_compute(const cref_log *log, const cref_params *p, cref_result *r);
void cref_result_free(cref_result *r);

/* 0 when the collector's record equals the reference's; else 1, with the
 * first difference in why. */
int cref_check_job(const cref_rec *want, const tp_job_record *got,
                   const cref_params *p, char *why, size_t why_size);
int cref_check_fault(const cref_rec *want, const tp_fault_record *got,
                     const cref_params *p, char *why, size_t why_size);

/* ---- a whole comparison ----------------------------------------------- */

typedef struct cref_case {
  const char *data;
  size_t len;
  size_t chunk;   /* feed size; 0: all at once */
  unsigned flags; /* TP_FLAG_* */
  void *arena;    /* for expat, in the collector's decode; may be NULL */
  size_t arena_size;
  size_t pool_size;
  size_t misalign; /* the pool starts this many bytes past an 8-aligned one */
  size_t max_tasks, max_items, max_string; /* TP_COLLECT_UNLIMITED: none */
  unsigned collect_flags;
  unsigned long stop_at_record; /* as cref_params */
  /* A recorder as the stream pass-through: it must see the plain decode's
   * events (a prefix when decoding stopped). With stream_stop_at, it stops
   * decoding at that 1-based callback. */
  int with_stream;
  unsigned long stream_stop_at;
  /* Decoded first by the same decoder and collector, then tp_reset() and
   * tp_collect_reset(): what it left must not show. May be NULL. */
  const char *before;
  size_t before_len;
} cref_case;

/* A case with the defaults: no caps, no flags, whole feeds. */
void cref_case_init(cref_case *c, const char *data, size_t len);

/* Decodes c's document plainly and with the collector, and compares every
 * record handed over, the open record, the collector's status, the
 * decoder's verdict and the pool's guard bytes. 0 when all agree; else 1
 * with why. *records (may be NULL) gets the reference's count of records
 * handed over, *lost whether any was incomplete. */
int cref_run(const cref_case *c, char *why, size_t why_size, size_t *records,
             int *lost);

#endif /* TP_TEST_COLLECT_REF_H */
