/* taskprogress_collect.h -- the collector: whole records in memory the
 * caller sizes, on top of taskprogress.h's streaming callbacks.
 *
 * The decoder hands over fields as they arrive, in fragments and in
 * document order. The collector gathers them: once a job's end tag has
 * arrived it calls the caller back with the whole job (every field typed,
 * strings NUL-terminated, its tasks and their items), and once a fault's
 * has, with the fault. It uses only the public callbacks of the decoder,
 * no heap, no stdio and no locale: its state is a tp_collector, and the
 * strings, tasks and items of one job at a time live in a pool of bytes
 * the caller gives it.
 *
 *   tp_collect_config_init(&cc, pool, sizeof pool);
 *   cc.job = print_job;      int print_job(void *, const tp_job_record *)
 *   tp_collect_init(&collector, &cc, &config);
 *   tp_init(&decoder, &config);      then tp_feed() ... tp_finish()
 *
 * (examples/jobs.c is a complete program.)
 *
 * What does not fit is never lost silently, and is not an error unless
 * TP_COLLECT_STRICT asks for it:
 * - a string longer than max_string is cut at a UTF-8 character boundary,
 *   and its bit is set in the record's `cut` mask; so is a job's or
 *   fault's string longer than what is left of the pool;
 * - a task or item is kept whole or not at all: one beyond max_tasks or
 *   max_items, or that the pool cannot hold whole (its record, and each of
 *   its strings as max_string allows), is not kept, and counted: the job's
 *   dropped_tasks and dropped_items, the task's dropped_items. Once one
 *   was dropped for want of room, the later tasks of the job (items of the
 *   task) are dropped too, so what is kept is always the first ones;
 * - a field that comes twice in one record (a schema violation) keeps its
 *   first value, and its bit is set in the record's `repeated` mask;
 * and any of these sets the job's (or fault's) `incomplete`.
 */
#ifndef TASKPROGRESS_COLLECT_H
#define TASKPROGRESS_COLLECT_H

#include <stddef.h>
#include <stdint.h>

#include "taskprogress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Records                                                                  */
/* ------------------------------------------------------------------------ */

/* tp_job_record, tp_task_record, tp_item_record and tp_fault_record: a
 * member per field (tp_field_id without its TP_<scope>_ prefix, in lower
 * case: TP_JOB_SUBMIT_USER_EMAIL is job->submit_user_email), typed as
 * tp_field_type() says:
 *   strings           const char *, NUL-terminated, never NULL: "" when
 *                     the field did not come (XML text holds no NUL, so
 *                     nothing is hidden by the terminator);
 *   TP_TASK_STATE     its text in `state`, and its tp_task_state in
 *                     `state_value`;
 *   int, double, dateTime, fault kind
 *                     int32_t, double, tp_datetime, tp_fault_kind; 0 (a
 *                     zeroed tp_datetime) when the field did not come.
 * Whether a field came: record->present & TP_FIELD_BIT(id). Units and
 * ranges are the fields' (taskprogress.h, above tp_field_id).
 *
 * A job's tasks are a list in document order: job->tasks, then each
 * task's `next`, task_count of them; a task's items likewise. The counts
 * of what was not kept are exact: dropped_items of a task counts its items
 * that were not kept; a job's dropped_items counts every item of the job
 * not kept, those of its dropped tasks included.
 *
 * Lifetime: a record, and every string and record it points to, is valid
 * during the callback that hands it over, and stays unchanged until the
 * decoder next calls back (the next tp_feed or tp_finish that goes on
 * decoding), or tp_collect_init() or tp_collect_reset(). Copy what you
 * keep longer. */
#include "taskprogress_records.h"

/* ------------------------------------------------------------------------ */
/* Sizing the pool                                                          */
/* ------------------------------------------------------------------------ */

/* Records in the pool are aligned to this (the library asserts that it is
 * enough); the pool itself may have any alignment. */
#define TP_COLLECT_ALIGN 8

/* A pool of this many bytes holds any job of at most `tasks` tasks of at
 * most `items` items each, every string at most `string_max` bytes, with
 * max_tasks, max_items and max_string set to the same, and any fault: with
 * them, nothing is cut or dropped but by those limits. The job record
 * itself is in the tp_collector, not the pool:
 *   job strings              TP_JOB_STRINGS * (string_max + 1)
 *   + per task               sizeof(tp_task_record) + TP_COLLECT_ALIGN - 1
 *                            + TP_TASK_STRINGS * (string_max + 1)
 *   + per item               sizeof(tp_item_record) + TP_COLLECT_ALIGN - 1
 *                            + TP_ITEM_STRINGS * (string_max + 1)
 * (a non-empty string takes its bytes and a NUL, an empty one nothing; a
 * record may need padding before it, whatever the pool's alignment);
 * a pool for an actual response need only hold its largest job, with the
 * strings as long as they are, not as long as allowed. */
#define TP_COLLECT_POOL_SIZE(tasks, items, string_max)                         \
  ((size_t)TP_JOB_STRINGS * ((size_t)(string_max) + 1) +                       \
   (size_t)(tasks) *                                                           \
       (sizeof(tp_task_record) + TP_COLLECT_ALIGN - 1 +                        \
        (size_t)TP_TASK_STRINGS * ((size_t)(string_max) + 1) +                 \
        (size_t)(items) *                                                      \
            (sizeof(tp_item_record) + TP_COLLECT_ALIGN - 1 +                   \
             (size_t)TP_ITEM_STRINGS * ((size_t)(string_max) + 1))))

/* ------------------------------------------------------------------------ */
/* The collector                                                            */
/* ------------------------------------------------------------------------ */

/* tp_collect_config.flags */
/* Strict mode: the first string cut, task or item dropped or field
 * repeated stops decoding there: tp_feed()/tp_finish() return TP_STOPPED,
 * tp_collect_status() TP_ERR_NOT_KEPT, tp_get_error() says where, and
 * tp_collect_open_job() (or _fault) shows the record as it stood, with
 * the loss in its masks and counts. */
#define TP_COLLECT_STRICT 0x1u

/* No limit: the default of max_tasks, max_items and max_string. */
#define TP_COLLECT_UNLIMITED ((size_t)-1)

/* The collector's configuration, copied by tp_collect_init(): it need not
 * outlive the call, but `pool` and `stream` must stay valid as long as
 * the collector is used. Always start from tp_collect_config_init(), so
 * that members added later get their defaults. */
typedef struct tp_collect_config {
  /* A job is whole: its end tag has arrived. Return 0 to go on, non-zero
   * to stop decoding (tp_feed() returns TP_STOPPED). May be NULL. */
  int (*job)(void *user_data, const tp_job_record *job);
  /* A SOAP Fault (or bare IPS fault) is whole; as `job`. May be NULL.
   * A fault is the server's refusal: handle it as an answer. */
  int (*fault)(void *user_data, const tp_fault_record *fault);
  /* The decoder's own events too, each before the collector takes it: for
   * per-item (or per-task) work on responses larger than any pool, while
   * the collector keeps the job's summary. Same rules as tp_callbacks; a
   * non-zero return stops decoding. May be NULL. */
  const tp_callbacks *stream;
  void *user_data; /* passed to job, fault and stream */
  /* pool_size bytes of any alignment, for one job's (or fault's) strings,
   * tasks and items at a time; NULL only with pool_size 0. With no room,
   * a job still arrives, with its numbers, every string cut to "" and
   * every task dropped (counted). See TP_COLLECT_POOL_SIZE. */
  void *pool;
  size_t pool_size;
  /* Tasks kept per job, items kept per task, bytes kept per string (the
   * NUL not counted). 0 is a limit too: max_items = 0 keeps a job and its
   * tasks with no items, and counts the items. Default
   * TP_COLLECT_UNLIMITED: as many as the pool holds. */
  size_t max_tasks;
  size_t max_items;
  size_t max_string;
  unsigned flags; /* TP_COLLECT_*; other bits are refused */
} tp_collect_config;

/* Fills *config with the defaults, and the pool: no callbacks, no limits
 * but the pool's, not strict. `pool` may be NULL with pool_size 0. */
TP_API void tp_collect_config_init(tp_collect_config *config, void *pool,
                                   size_t pool_size);

/* Bytes of caller-owned storage a collector takes, with room for later
 * releases to grow its state (the library asserts it fits). */
#define TP_COLLECTOR_SIZE 640

/* The collector. Caller-owned and opaque, like tp_decoder: declare one,
 * never copy an initialised one, use it only through these functions.
 * It holds the open job (or fault) record; the pool holds the rest. One
 * collector serves one decoder at a time. */
typedef struct tp_collector {
  union {
    unsigned char bytes[TP_COLLECTOR_SIZE];
    long double align_ld;
    void *align_ptr;
    uint64_t align_u64;
  } opaque;
} tp_collector;

/* Initialises *collector from *config, and fills *decoder_config for a
 * decoder that feeds it: as tp_config_init() does, with `callbacks` and
 * `user_data` the collector's (give yours to tp_collect_config). Change
 * other decoder settings (an arena, flags, limits) after this call, then
 * tp_init() the decoder with it. Returns TP_OK, or TP_ERR_ARGUMENT when a
 * pointer is NULL, collector is misaligned, pool is NULL with a
 * pool_size, or flags has unknown bits (then nothing is written). Holds
 * nothing: there is no release. */
TP_API tp_status tp_collect_init(tp_collector *collector,
                                 const tp_collect_config *config,
                                 tp_config *decoder_config);

/* Forgets the open record and the status, as after tp_collect_init():
 * call it with tp_reset() when a response stopped part way and the
 * collector will read another. (A job or fault that begins starts afresh
 * anyway; this makes tp_collect_open_job() and tp_collect_status() forget
 * the last response.) TP_OK or TP_ERR_ARGUMENT. */
TP_API tp_status tp_collect_reset(tp_collector *collector);

/* TP_OK, or TP_ERR_NOT_KEPT after TP_COLLECT_STRICT stopped decoding;
 * TP_ERR_ARGUMENT for a NULL or uninitialised collector. */
TP_API tp_status tp_collect_status(const tp_collector *collector);

/* The job, or fault, whose end tag has not arrived: after decoding
 * stopped (an error, a cut-off response, a stop), what was gathered of it,
 * with its tasks and items so far (the last of which may lack fields).
 * NULL when none is open, or for a NULL or uninitialised collector.
 * Valid as records handed to callbacks are. */
TP_API const tp_job_record *tp_collect_open_job(const tp_collector *collector);
TP_API const tp_fault_record *
tp_collect_open_fault(const tp_collector *collector);

#ifdef __cplusplus
}
#endif

#endif /* TASKPROGRESS_COLLECT_H */
