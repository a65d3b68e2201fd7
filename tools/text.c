/* text.c -- tpdump --format=text: a progress report for a person, one
 * block per job and a line per SOAP Fault, as the text renderer (text.h)
 * lays them out, then a summary of the jobs and tasks by state, or the
 * line that says there are none. The library's collector gathers each job
 * whole, in a static pool, since a job's name and state may come after
 * its tasks (and a task's fields after its items).
 */
#include "tpdump.h"
#include "text.h"

/* Bytes kept of each string field (the collector's max_string); longer
 * ones end in "..." when shown. (Overridable, like TPDUMP_POOL, for the
 * microcontroller build.) */
#ifndef TPDUMP_TEXT_KEEP
#define TPDUMP_TEXT_KEEP 512
#endif

/* The collector's pool: one job's strings, tasks and items at a time.
 * Tasks and items beyond it are counted ("... N more items"), and strings
 * that come once it is full are cut. 1 MiB holds a job of some ten
 * thousand items with short names; the microcontroller build defines a
 * smaller one. */
#ifndef TPDUMP_POOL
#define TPDUMP_POOL 1048576
#endif

struct text {
  struct layout layout;
  int blocks; /* job and fault blocks printed so far */
  struct render_counts counts;
  tp_collector collector;
  /* Aligned for the records, so that none needs padding and what fits
   * does not depend on where the linker put the pool. */
  _Alignas(TP_COLLECT_ALIGN) unsigned char pool[TPDUMP_POOL];
};

static struct text text_state;

static void
text_out(void *ctx, const char *line, size_t len) {
  out_bytes(ctx, line, len);
}

/* Blank line between blocks. */
static void
text_block_start(struct printer *p, struct text *t) {
  if (t->blocks++ > 0)
    out_char(p, '\n');
}

static int
text_on_job(void *user_data, const tp_job_record *job) {
  struct printer *p = user_data;
  struct text *t = &text_state;

  text_block_start(p, t);
  render_job(&t->layout, job, text_out, p);
  render_count_job(&t->counts, job);
  return printer_failed(p);
}

static int
text_on_fault(void *user_data, const tp_fault_record *fault) {
  struct printer *p = user_data;
  struct text *t = &text_state;

  p->fault_seen = 1;
  text_block_start(p, t);
  render_fault(&t->layout, fault, "", text_out, p);
  return printer_failed(p);
}

/* Decoding stopped: print what was gathered of the open job (or fault),
 * and say that it is incomplete. */
static void
text_abandon(struct printer *p) {
  struct text *t = &text_state;
  const tp_job_record *job = tp_collect_open_job(&t->collector);
  const tp_fault_record *fault = tp_collect_open_fault(&t->collector);

  if (job != NULL) {
    text_block_start(p, t);
    render_job(&t->layout, job, text_out, p);
    out_str(p, "  (incomplete: decoding stopped here)\n");
  }
  if (fault != NULL) {
    text_block_start(p, t);
    render_fault(&t->layout, fault, " (incomplete)", text_out, p);
  }
}

/* The response was read whole: the summary after its jobs, or the line
 * that says it had none. A fault is the whole answer: nothing follows. */
static void
text_done(struct printer *p) {
  struct text *t = &text_state;

  if (p->fault_seen)
    return;
  if (t->counts.jobs.total == 0) {
    render_no_jobs(&t->layout, text_out, p);
    return;
  }
  out_char(p, '\n');
  render_summary(&t->layout, &t->counts, text_out, p);
}

static int
text_open(const struct printer *p) {
  const struct text *t = &text_state;

  (void)p;
  return tp_collect_open_job(&t->collector) != NULL ||
         tp_collect_open_fault(&t->collector) != NULL;
}

static tp_status
text_configure(tp_config *cfg, struct printer *p) {
  struct text *t = &text_state;
  tp_collect_config cc;

  layout_init(&t->layout, terminal_width(p->width_given, p->width),
              terminal_utf8());
  render_counts_init(&t->counts);
  tp_collect_config_init(&cc, t->pool, sizeof t->pool);
  cc.job = text_on_job;
  cc.fault = text_on_fault;
  cc.user_data = p;
  cc.max_string = TPDUMP_TEXT_KEEP;
  return tp_collect_init(&t->collector, &cc, cfg);
}

const struct writer text_writer = {text_configure, text_open, text_abandon,
                                   text_done};
