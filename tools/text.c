/* text.c -- tpdump --format=text: a progress report for a person, one
 * block per job (its header, then a line per task with its items
 * indented below) and a line per SOAP Fault. The library's collector
 * gathers each job whole, in a static pool, since a job's name and state
 * may come after its tasks (and a task's fields after its items); this
 * part puts the lines out in reading order, and text_layout.c lays them
 * out.
 */
#include "tpdump.h"
#include "text.h"

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
  tp_collector collector;
  /* Aligned for the records, so that none needs padding and what fits
   * does not depend on where the linker put the pool. */
  _Alignas(TP_COLLECT_ALIGN) unsigned char pool[TPDUMP_POOL];
};

static struct text text_state;

static void
text_write_line(struct printer *p, struct tline *l) {
  out_bytes(p, l->b, tline_finish(l));
}

/* Blank line between blocks. */
static void
text_block_start(struct printer *p, struct text *t) {
  if (t->blocks++ > 0)
    out_char(p, '\n');
}

/* Indents of a task's and an item's line, which "... N more" lines
 * follow. */
#define TASK_INDENT 2
#define ITEM_INDENT 4

static void
text_more(struct printer *p, const struct text *t, size_t indent, size_t n,
          const char *what) {
  struct tline l;

  if (n == 0)
    return;
  layout_more(&l, &t->layout, indent, n, what);
  text_write_line(p, &l);
}

static void
text_job(struct printer *p, struct text *t, const tp_job_record *job) {
  const tp_task_record *k;
  const tp_item_record *it;
  struct tline l;
  int i;

  text_block_start(p, t);
  for (i = 0; i < JOB_HEADER_LINES; i++)
    if (layout_job_line(&l, &t->layout, job, i))
      text_write_line(p, &l);
  for (k = job->tasks; k != NULL; k = k->next) {
    layout_task(&l, &t->layout, k);
    text_write_line(p, &l);
    for (it = k->items; it != NULL; it = it->next) {
      layout_item(&l, &t->layout, it);
      text_write_line(p, &l);
    }
    text_more(p, t, ITEM_INDENT, k->dropped_items, "item");
  }
  text_more(p, t, TASK_INDENT, job->dropped_tasks, "task");
}

/* `note` follows the fault's line. */
static void
text_fault(struct printer *p, struct text *t, const tp_fault_record *f,
           const char *note) {
  struct tline l;

  text_block_start(p, t);
  layout_fault(&l, &t->layout, f);
  tline_ascii(&l, note);
  text_write_line(p, &l);
}

static int
text_on_job(void *user_data, const tp_job_record *job) {
  struct printer *p = user_data;

  text_job(p, &text_state, job);
  return printer_failed(p);
}

static int
text_on_fault(void *user_data, const tp_fault_record *fault) {
  struct printer *p = user_data;

  p->fault_seen = 1;
  text_fault(p, &text_state, fault, "");
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
    text_job(p, t, job);
    out_str(p, "  (incomplete: decoding stopped here)\n");
  }
  if (fault != NULL)
    text_fault(p, t, fault, " (incomplete)");
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

  layout_init(&t->layout, terminal_width(), terminal_utf8());
  tp_collect_config_init(&cc, t->pool, sizeof t->pool);
  cc.job = text_on_job;
  cc.fault = text_on_fault;
  cc.user_data = p;
  cc.max_string = TEXT_KEEP;
  return tp_collect_init(&t->collector, &cc, cfg);
}

const struct writer text_writer = {text_configure, text_open, text_abandon};
