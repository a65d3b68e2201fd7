/* tpwatch_render.c -- a response as tpwatch's lines: the only file of
 * tpwatch that calls into the text renderer (text.h), so that tpdump
 * --format=text and tpwatch show a job one way. What the renderer does
 * not do, tpwatch adds here on top of its line functions: a colour for
 * each line by the state it shows, the age of a job's last update, and
 * the overall progress after the renderer's summary.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "tpwatch.h"

/* One job's strings, tasks and items at a time (as tpdump's). */
#define POOL_SIZE 1048576
/* Bytes kept of each string (tpdump's TEXT_KEEP). */
#define KEEP 512
struct pass {
  const struct view *v;
  struct layout layout;
  struct frame *lines;
  struct render_counts counts;
  long progress_sum; /* of the jobs that give one */
  size_t progress_n;
  int fault_seen;
};

static _Alignas(TP_COLLECT_ALIGN) unsigned char pool[POOL_SIZE];

/* Any width but 0 (lines not cut) within the renderer's. */
static size_t
layout_width(const struct view *v) {
  if (v->width == 0)
    return 0;
  return v->width < MIN_WIDTH   ? MIN_WIDTH
         : v->width > MAX_WIDTH ? MAX_WIDTH
                                : v->width;
}

static void
put(struct pass *p, struct tline *l, enum colour c) {
  size_t len = tline_finish(l);

  /* A cut line's columns do not count its "...". */
  frame_add(p->lines, l->b, len - 1, l->cut ? l->cols + 3 : l->cols, c);
}

static enum colour
task_colour(const tp_task_record *k) {
  switch (k->state_value) {
  case TP_TASK_STATE_DONE:
    return COLOUR_DONE;
  case TP_TASK_STATE_PROCESSING:
  case TP_TASK_STATE_STOPPING:
    return COLOUR_ACTIVE;
  case TP_TASK_STATE_FAILED:
    return COLOUR_FAILED;
  default:
    return COLOUR_WAITING;
  }
}

/* A job's state is free text ("Running", "Completed", "Failed"...). */
static enum colour
job_colour(const tp_job_record *j) {
  static const struct {
    const char *word;
    enum colour c;
  } words[] = {{"fail", COLOUR_FAILED},   {"error", COLOUR_FAILED},
               {"abort", COLOUR_FAILED},  {"cancel", COLOUR_FAILED},
               {"complete", COLOUR_DONE}, {"done", COLOUR_DONE},
               {"finish", COLOUR_DONE},   {"run", COLOUR_ACTIVE},
               {"process", COLOUR_ACTIVE}};
  char lower[64];
  size_t i;

  for (i = 0; i + 1 < sizeof lower && j->state[i] != '\0'; i++)
    lower[i] = (char)(j->state[i] >= 'A' && j->state[i] <= 'Z'
                          ? j->state[i] - 'A' + 'a'
                          : j->state[i]);
  lower[i] = '\0';
  for (i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strstr(lower, words[i].word) != NULL)
      return words[i].c;
  return COLOUR_WAITING;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long long
days_from_civil(long long y, unsigned m, unsigned d) {
  long long era;
  unsigned yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (unsigned)(y - era * 400);
  doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long long)doe - 719468;
}

/* " (12s ago)": how long since the job's last update, by this machine's
 * clock (a time without a zone is taken as UTC). */
static void
age(struct tline *l, const tp_datetime *dt, time_t now) {
  long long t = days_from_civil(dt->year, dt->month, dt->day) * 86400 +
                dt->hour * 3600 + dt->minute * 60 + dt->second;
  long long s;
  char buf[48];

  if (dt->tz_minutes != TP_TZ_NONE)
    t -= (long long)dt->tz_minutes * 60;
  s = (long long)now - t;
  if (s < 0)
    snprintf(buf, sizeof buf, " (in the future)");
  else if (s < 60)
    snprintf(buf, sizeof buf, " (%llds ago)", s);
  else if (s < 3600)
    snprintf(buf, sizeof buf, " (%lldm%02llds ago)", s / 60, s % 60);
  else if (s < 86400)
    snprintf(buf, sizeof buf, " (%lldh%02lldm ago)", s / 3600, s / 60 % 60);
  else
    snprintf(buf, sizeof buf, " (%lldd ago)", s / 86400);
  tline_ascii(l, buf);
}

/* The header's line that ends in the last update: the one before the
 * message. */
#define STATE_LINE (JOB_HEADER_LINES - 2)

static int
on_job(void *user_data, const tp_job_record *j) {
  struct pass *p = user_data;
  const tp_task_record *k;
  const tp_item_record *it;
  struct tline l;
  int i;

  /* A blank line between jobs, as tpdump's. */
  if (p->counts.jobs.total > 0)
    frame_add(p->lines, "", 0, 0, COLOUR_NONE);
  render_count_job(&p->counts, j);
  if ((j->present & TP_FIELD_BIT(TP_JOB_PROGRESS)) != 0) {
    p->progress_sum += j->progress;
    p->progress_n++;
  }
  for (i = 0; i < JOB_HEADER_LINES; i++) {
    if (!layout_job_line(&l, &p->layout, j, i))
      continue;
    if (i == STATE_LINE &&
        (j->present & TP_FIELD_BIT(TP_JOB_LAST_PROGRESS_UPDATE)) != 0)
      age(&l, &j->last_progress_update, p->v->now);
    put(p, &l, i == 0 ? COLOUR_TITLE : job_colour(j));
  }
  for (k = j->tasks; k != NULL; k = k->next) {
    layout_task(&l, &p->layout, k);
    put(p, &l, task_colour(k));
    for (it = k->items; it != NULL; it = it->next) {
      layout_item(&l, &p->layout, it);
      put(p, &l, COLOUR_NONE);
    }
    if (k->dropped_items > 0) {
      layout_more(&l, &p->layout, 4, k->dropped_items, "item");
      put(p, &l, COLOUR_NONE);
    }
  }
  if (j->dropped_tasks > 0) {
    layout_more(&l, &p->layout, 2, j->dropped_tasks, "task");
    put(p, &l, COLOUR_NONE);
  }
  return 0;
}

static int
on_fault(void *user_data, const tp_fault_record *f) {
  struct pass *p = user_data;
  struct tline l;

  p->fault_seen = 1;
  layout_fault(&l, &p->layout, f);
  put(p, &l, COLOUR_FAILED);
  return 0;
}

static void
to_frame(void *ctx, const char *line, size_t len) {
  struct pass *p = ctx;

  frame_add(p->lines, line, len - 1, 0, COLOUR_NONE);
}

/* The renderer's summary, and the jobs' mean progress after it:
 * "2 jobs: 1 Running, 1 Queued; 3 tasks: 2 Processing, 1 New; 45%". */
static void
summary_line(struct pass *p, struct frame *summary) {
  struct frame one = {NULL, 0, 0};
  struct tline l;
  char buf[48];

  p->lines = &one;
  render_summary(&p->layout, &p->counts, to_frame, p);
  tline_init(&l, p->layout.width);
  if (one.n > 0)
    tline_text(&l, one.v[0].s, one.v[0].len);
  frame_free(&one);
  if (p->progress_n > 0) {
    snprintf(buf, sizeof buf, "; progress %ld%%",
             p->progress_sum / (long)p->progress_n);
    tline_ascii(&l, buf);
  }
  p->lines = summary;
  put(p, &l, COLOUR_NONE);
}

enum outcome
render_response(const struct view *v, const char *body, size_t len,
                struct frame *summary, struct frame *lines, char *why,
                size_t why_size) {
  struct pass p;
  tp_collector collector;
  tp_collect_config cc;
  tp_decoder decoder;
  tp_config cfg;
  tp_status st;

  memset(&p, 0, sizeof p);
  render_counts_init(&p.counts);
  p.v = v;
  p.lines = lines;
  layout_init(&p.layout, layout_width(v), v->unicode);
  tp_collect_config_init(&cc, pool, sizeof pool);
  cc.job = on_job;
  cc.fault = on_fault;
  cc.user_data = &p;
  cc.max_string = KEEP;
  /* Folded: the renderer's "... N more items" is the count. */
  if (!v->items)
    cc.max_items = 0;
  why[0] = '\0';
  if (tp_collect_init(&collector, &cc, &cfg) != TP_OK ||
      tp_init(&decoder, &cfg) != TP_OK) {
    snprintf(why, why_size, "cannot start the decoder");
    return OUTCOME_INVALID;
  }
  st = tp_feed(&decoder, body, len);
  if (st == TP_OK)
    st = tp_finish(&decoder);
  if (st != TP_OK)
    tp_format_error(&decoder, why, why_size);
  tp_release(&decoder);
  if (p.fault_seen)
    return OUTCOME_FAULT;
  if (st != TP_OK)
    return OUTCOME_INVALID;
  if (p.counts.jobs.total == 0) {
    p.lines = lines;
    render_no_jobs(&p.layout, to_frame, &p);
  }
  summary_line(&p, summary);
  return OUTCOME_JOBS;
}

int
render_unicode(void) {
  return terminal_utf8();
}

void
render_plain(const struct view *v, const char *s, enum colour c,
             struct frame *f) {
  struct tline l;
  size_t len;

  tline_init(&l, layout_width(v));
  tline_text(&l, s, strlen(s));
  len = tline_finish(&l);
  frame_add(f, l.b, len - 1, l.cut ? l.cols + 3 : l.cols, c);
}

void
frame_add(struct frame *f, const char *s, size_t len, size_t cols,
          enum colour c) {
  struct fline *fl;

  if (f->n == f->cap) {
    size_t cap = f->cap > 0 ? 2 * f->cap : 64;
    struct fline *v = realloc(f->v, cap * sizeof *v);
    if (v == NULL)
      return;
    f->v = v;
    f->cap = cap;
  }
  fl = &f->v[f->n];
  fl->s = malloc(len + 1);
  if (fl->s == NULL)
    return;
  memcpy(fl->s, s, len);
  fl->s[len] = '\0';
  fl->len = len;
  fl->cols = cols;
  fl->colour = c;
  f->n++;
}

void
frame_clear(struct frame *f) {
  size_t i;

  for (i = 0; i < f->n; i++)
    free(f->v[i].s);
  f->n = 0;
}

void
frame_free(struct frame *f) {
  frame_clear(f);
  free(f->v);
  f->v = NULL;
  f->cap = 0;
}
