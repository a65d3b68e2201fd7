/* render.c -- the text renderer's whole records: a job as its header,
 * a line per task with its items indented below and the count of what
 * was not kept; a fault as its line; the line of a response without
 * jobs; and the summary of jobs and tasks by state. Each line goes to
 * the caller's render_out, so that a program may print it, or keep it
 * for a screen.
 */
#include <stdio.h>
#include <string.h>

#include "text.h"

/* Indents of a task's and an item's line, which "... N more" lines
 * follow. */
#define TASK_INDENT 2
#define ITEM_INDENT 4

static void
emit(struct tline *l, render_out out, void *ctx) {
  size_t n = tline_finish(l);

  out(ctx, l->b, n);
}

static void
more(const struct layout *lo, size_t indent, size_t n, const char *what,
     render_out out, void *ctx) {
  struct tline l;

  if (n == 0)
    return;
  layout_more(&l, lo, indent, n, what);
  emit(&l, out, ctx);
}

void
render_job(const struct layout *lo, const tp_job_record *j, render_out out,
           void *ctx) {
  const tp_task_record *k;
  const tp_item_record *it;
  struct tline l;
  int i;

  for (i = 0; i < JOB_HEADER_LINES; i++)
    if (layout_job_line(&l, lo, j, i))
      emit(&l, out, ctx);
  for (k = j->tasks; k != NULL; k = k->next) {
    layout_task(&l, lo, k);
    emit(&l, out, ctx);
    for (it = k->items; it != NULL; it = it->next) {
      layout_item(&l, lo, it);
      emit(&l, out, ctx);
    }
    more(lo, ITEM_INDENT, k->dropped_items, "item", out, ctx);
  }
  more(lo, TASK_INDENT, j->dropped_tasks, "task", out, ctx);
}

void
render_fault(const struct layout *lo, const tp_fault_record *f,
             const char *note, render_out out, void *ctx) {
  struct tline l;

  layout_fault(&l, lo, f);
  tline_ascii(&l, note);
  emit(&l, out, ctx);
}

void
render_no_jobs(const struct layout *lo, render_out out, void *ctx) {
  struct tline l;

  tline_init(&l, lo->width);
  tline_ascii(&l, "no active jobs");
  emit(&l, out, ctx);
}

/* ------------------------------------------------------------------------ */
/* Counts                                                                   */
/* ------------------------------------------------------------------------ */

void
render_counts_init(struct render_counts *c) {
  memset(c, 0, sizeof *c);
}

/* `state` cut to fit a label at a character boundary. */
static void
label_of(char *label, const char *state) {
  size_t n = strlen(state);

  if (n >= RENDER_LABEL) {
    n = RENDER_LABEL - 1;
    while (n > 0 && ((unsigned char)state[n] & 0xc0) == 0x80)
      n--;
  }
  memcpy(label, state, n);
  label[n] = '\0';
}

static void
tally(struct render_tally *t, int has_state, const char *state) {
  char label[RENDER_LABEL];
  size_t i;

  label_of(label, has_state ? state : "?");
  t->total++;
  for (i = 0; i < t->kinds; i++)
    if (strcmp(t->kind[i].label, label) == 0) {
      t->kind[i].count++;
      return;
    }
  if (t->kinds == RENDER_STATES) {
    t->other++;
    return;
  }
  memcpy(t->kind[t->kinds].label, label, sizeof label);
  t->kind[t->kinds++].count = 1;
}

void
render_count_job(struct render_counts *c, const tp_job_record *j) {
  const tp_task_record *k;

  tally(&c->jobs, (j->present & TP_FIELD_BIT(TP_JOB_STATE)) != 0, j->state);
  for (k = j->tasks; k != NULL; k = k->next)
    tally(&c->tasks, (k->present & TP_FIELD_BIT(TP_TASK_STATE)) != 0, k->state);
  c->tasks_not_kept += j->dropped_tasks;
}

static void
count(struct tline *l, size_t n, const char *what) {
  char buf[32];

  snprintf(buf, sizeof buf, "%zu ", n);
  tline_ascii(l, buf);
  tline_text(l, what, strlen(what));
}

/* "N things: n1 label1, n2 label2" */
static void
tally_line(struct tline *l, const struct render_tally *t, size_t not_kept,
           const char *one, const char *many) {
  size_t i;

  count(l, t->total + not_kept, t->total + not_kept == 1 ? one : many);
  for (i = 0; i < t->kinds; i++) {
    tline_ascii(l, i == 0 ? ": " : ", ");
    count(l, t->kind[i].count, t->kind[i].label);
  }
  if (t->other > 0) {
    tline_ascii(l, ", ");
    count(l, t->other, "other");
  }
  if (not_kept > 0) {
    tline_ascii(l, t->kinds > 0 ? ", " : ": ");
    count(l, not_kept, "not kept");
  }
}

void
render_summary(const struct layout *lo, const struct render_counts *c,
               render_out out, void *ctx) {
  struct tline l;

  tline_init(&l, lo->width);
  tally_line(&l, &c->jobs, 0, "job", "jobs");
  tline_ascii(&l, "; ");
  tally_line(&l, &c->tasks, c->tasks_not_kept, "task", "tasks");
  emit(&l, out, ctx);
}
