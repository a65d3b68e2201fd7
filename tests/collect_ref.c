/* collect_ref.c -- see collect_ref.h. Written from the contract in
 * taskprogress_collect.h, not from lib/collect.c: where a record's members
 * are comes from the public structs by offsetof, whole values are sized at
 * once, and everything lives on the heap. */
#include "collect_ref.h"
#include "recorder.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void *
xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1u);
  if (p == NULL)
    abort();
  return p;
}

/* ---- logging the raw events ------------------------------------------ */

void
cref_log_init(cref_log *log) {
  memset(log, 0, sizeof *log);
}

void
cref_log_free(cref_log *log) {
  size_t i;
  for (i = 0; i < log->count; i++)
    free(log->events[i].text);
  free(log->events);
  memset(log, 0, sizeof *log);
}

static cref_event *
push_event(cref_log *log, int kind) {
  cref_event *e;
  if (log->count == log->cap) {
    log->cap = log->cap ? log->cap * 2 : 64;
    log->events = xrealloc(log->events, log->cap * sizeof *log->events);
  }
  e = &log->events[log->count++];
  memset(e, 0, sizeof *e);
  e->kind = kind;
  return e;
}

static int
counted(cref_log *log) {
  log->calls++;
  return log->stop_at != 0 && log->calls == log->stop_at;
}

static int
log_begin(void *ud, tp_node node) {
  cref_log *log = ud;
  if (counted(log))
    return 1;
  push_event(log, CREF_BEGIN)->node = node;
  return 0;
}

static int
log_end(void *ud, tp_node node) {
  cref_log *log = ud;
  if (counted(log))
    return 1;
  push_event(log, CREF_END)->node = node;
  return 0;
}

static int
log_field(void *ud, const tp_field *f) {
  cref_log *log = ud;
  cref_event *e = log->count ? &log->events[log->count - 1] : NULL;
  int is_string = f->type == TP_TYPE_STRING || f->type == TP_TYPE_TASK_STATE;
  if (counted(log))
    return 1;
  /* A fragment after a last one begins a new value. */
  if (e == NULL || e->kind != CREF_FIELD || e->complete || e->id != f->id) {
    e = push_event(log, CREF_FIELD);
    e->id = f->id;
    e->type = f->type;
    e->text = xrealloc(NULL, 1);
  }
  if (is_string && f->len > 0) {
    e->text = xrealloc(e->text, e->len + f->len + 1);
    memcpy(e->text + e->len, f->str, f->len);
    e->len += f->len;
  }
  e->text[e->len] = '\0';
  if (f->last || !is_string) {
    e->complete = 1;
    e->value = *f;
    e->value.str = NULL;
  }
  return 0;
}

static const tp_callbacks LOG_CALLBACKS = {log_begin, log_end, log_field};

const tp_callbacks *
cref_log_callbacks(void) {
  return &LOG_CALLBACKS;
}

/* ---- the records' members, by hand ----------------------------------- */

enum { K_STRING, K_STATE, K_INT, K_DOUBLE, K_DATETIME, K_FAULT_KIND };

typedef struct member {
  size_t at;
  int kind;
} member;

#define JOB(m, k)                                                              \
  { offsetof(tp_job_record, m), k }
#define TASK(m, k)                                                             \
  { offsetof(tp_task_record, m), k }
#define ITEM(m, k)                                                             \
  { offsetof(tp_item_record, m), k }
#define FAULT(m, k)                                                            \
  { offsetof(tp_fault_record, m), k }

static const member MEMBERS[TP_FIELD_COUNT_] = {
    [TP_JOB_COMPANY_HANDLE] = JOB(company_handle, K_STRING),
    [TP_JOB_JOB_HANDLE] = JOB(job_handle, K_STRING),
    [TP_JOB_NAME] = JOB(name, K_STRING),
    [TP_JOB_ORIGINAL_NAME] = JOB(original_name, K_STRING),
    [TP_JOB_TYPE] = JOB(type, K_STRING),
    [TP_JOB_STATE] = JOB(state, K_STRING),
    [TP_JOB_SUBMIT_USER_EMAIL] = JOB(submit_user_email, K_STRING),
    [TP_JOB_LOCALE] = JOB(locale, K_STRING),
    [TP_JOB_DESCRIPTION] = JOB(description, K_STRING),
    [TP_JOB_SERVER_NAME] = JOB(server_name, K_STRING),
    [TP_JOB_PROGRESS_MESSAGE] = JOB(progress_message, K_STRING),
    [TP_JOB_START_DATE] = JOB(start_date, K_DATETIME),
    [TP_JOB_TRIGGER_TIME] = JOB(trigger_time, K_DATETIME),
    [TP_JOB_LAST_PROGRESS_UPDATE] = JOB(last_progress_update, K_DATETIME),
    [TP_JOB_TOTAL_SIZE] = JOB(total_size, K_INT),
    [TP_JOB_PROGRESS] = JOB(progress, K_INT),
    [TP_TASK_TYPE] = TASK(type, K_STRING),
    [TP_TASK_STATE] = TASK(state, K_STATE),
    [TP_TASK_NUM_PROCESSED] = TASK(num_processed, K_INT),
    [TP_TASK_NUM_PROCESSING] = TASK(num_processing, K_INT),
    [TP_TASK_NUM_PENDING] = TASK(num_pending, K_INT),
    [TP_TASK_PROGRESS] = TASK(progress, K_DOUBLE),
    [TP_TASK_PROGRESS_MESSAGE] = TASK(progress_message, K_STRING),
    [TP_TASK_LAST_PROGRESS_UPDATE] = TASK(last_progress_update, K_DATETIME),
    [TP_ITEM_NAME] = ITEM(name, K_STRING),
    [TP_ITEM_PROGRESS] = ITEM(progress, K_DOUBLE),
    [TP_ITEM_PROGRESS_MESSAGE] = ITEM(progress_message, K_STRING),
    [TP_ITEM_LAST_PROGRESS_UPDATE] = ITEM(last_progress_update, K_DATETIME),
    [TP_FAULT_CODE] = FAULT(code, K_STRING),
    [TP_FAULT_STRING] = FAULT(string, K_STRING),
    [TP_FAULT_DETAIL_KIND] = FAULT(detail_kind, K_FAULT_KIND),
    [TP_FAULT_IPS_CODE] = FAULT(ips_code, K_INT),
    [TP_FAULT_IPS_REASON] = FAULT(ips_reason, K_STRING),
};

/* ---- the reference ---------------------------------------------------- */

typedef struct ref_state {
  const cref_params *p;
  cref_result *r;
  size_t top;
  cref_rec *rec; /* the open job or fault */
  long task;     /* index of the open task kept, -1 when none is */
  long item;     /* of the open item kept in it */
  int task_open; /* a task is open, kept or not */
  /* A task (item of the open task) was dropped for want of room: no later
   * one is kept. */
  int tasks_full, items_full;
  size_t task_top, item_top; /* the top before the open task (item) */
} ref_state;

static void
rec_free_kids(cref_rec *c) {
  size_t i, id;
  for (id = 0; id < TP_FIELD_COUNT_; id++)
    free(c->s[id].text);
  for (i = 0; i < c->nkids; i++)
    rec_free_kids(&c->kids[i]);
  free(c->kids);
}

static cref_rec *
new_rec(tp_node node) {
  cref_rec *c = xrealloc(NULL, sizeof *c);
  size_t id;
  memset(c, 0, sizeof *c);
  c->node = node;
  for (id = 0; id < TP_FIELD_COUNT_; id++)
    c->s[id].off = -1;
  return c;
}

static cref_rec *
add_kid(cref_rec *parent, tp_node node, size_t off) {
  cref_rec *k;
  size_t id;
  if (parent->nkids == parent->capkids) {
    parent->capkids = parent->capkids ? parent->capkids * 2 : 4;
    parent->kids = xrealloc(parent->kids, parent->capkids * sizeof *k);
  }
  k = &parent->kids[parent->nkids++];
  memset(k, 0, sizeof *k);
  k->node = node;
  k->off = off;
  for (id = 0; id < TP_FIELD_COUNT_; id++)
    k->s[id].off = -1;
  return k;
}

/* Where a record of `size` bytes goes, as an offset, or -1: the next
 * address at or after the top that is a multiple of TP_COLLECT_ALIGN. */
static long
place_record(ref_state *s, size_t size) {
  uintptr_t base = (uintptr_t)s->p->pool;
  uintptr_t at = (base + s->top + TP_COLLECT_ALIGN - 1) / TP_COLLECT_ALIGN *
                 TP_COLLECT_ALIGN;
  size_t off = (size_t)(at - base);
  if (s->p->pool == NULL || off > s->p->pool_size ||
      s->p->pool_size - off < size)
    return -1;
  s->top = off + size;
  return (long)off;
}

/* Something was lost: returns 1 when that stops decoding (strict). */
static int
lose(ref_state *s) {
  s->rec->incomplete = 1;
  return (s->p->flags & TP_COLLECT_STRICT) != 0;
}

static cref_rec *
open_task(ref_state *s) {
  return s->task < 0 ? NULL : &s->rec->kids[s->task];
}

static int
ref_begin(ref_state *s, tp_node node) {
  cref_rec *task;
  long off;
  switch (node) {
  case TP_NODE_JOB_ARRAY:
    if (s->rec != NULL) {
      rec_free_kids(s->rec);
      free(s->rec);
      s->rec = NULL;
    }
    return 0;
  case TP_NODE_JOB:
  case TP_NODE_FAULT:
    if (s->rec != NULL) {
      rec_free_kids(s->rec);
      free(s->rec);
    }
    s->rec = new_rec(node);
    s->top = 0;
    s->task = s->item = -1;
    s->task_open = 0;
    s->tasks_full = 0;
    return 0;
  case TP_NODE_TASK:
    s->task_open = 1;
    s->task = -1;
    s->items_full = 0;
    s->task_top = s->top;
    off = -1;
    if (s->rec->nkids < s->p->max_tasks && !s->tasks_full) {
      off = place_record(s, sizeof(tp_task_record));
      s->tasks_full = off < 0;
    }
    if (off < 0) {
      s->rec->dropped_tasks++;
      return lose(s);
    }
    add_kid(s->rec, TP_NODE_TASK, (size_t)off);
    s->task = (long)s->rec->nkids - 1;
    return 0;
  case TP_NODE_ITEM:
    s->item = -1;
    task = open_task(s);
    if (task == NULL) {
      s->rec->dropped_items++; /* with its task: counted, lost already */
      return 0;
    }
    s->item_top = s->top;
    off = -1;
    if (task->nkids < s->p->max_items && !s->items_full) {
      off = place_record(s, sizeof(tp_item_record));
      s->items_full = off < 0;
    }
    if (off < 0) {
      task->dropped_items++;
      s->rec->dropped_items++;
      return lose(s);
    }
    add_kid(task, TP_NODE_ITEM, (size_t)off);
    s->item = (long)task->nkids - 1;
    return 0;
  default:
    return 0;
  }
}

/* The length of text kept in `room` bytes: all of it, or up to the start
 * of the first character that does not fit whole. */
static size_t
kept_length(const char *text, size_t len, size_t room) {
  size_t k;
  if (len <= room)
    return len;
  k = room;
  while (k > 0 && ((unsigned char)text[k] & 0xc0) == 0x80)
    k--;
  return k;
}

/* A field's value. Returns 1 when the collector stops there (strict). */
static int
ref_field(ref_state *s, const cref_event *e) {
  cref_rec *c;
  tp_node scope = tp_field_scope(e->id);
  uint64_t bit = TP_FIELD_BIT(e->id);
  int kind = MEMBERS[e->id].kind;
  cref_string *str;
  size_t free_bytes, room, keep;
  int stop, pool_bound;

  if (scope == TP_NODE_JOB || scope == TP_NODE_FAULT)
    c = s->rec;
  else if (scope == TP_NODE_TASK)
    c = open_task(s);
  else
    c = s->item < 0 || open_task(s) == NULL ? NULL
                                            : &open_task(s)->kids[s->item];
  if (c == NULL)
    return 0;
  if (c->present & bit) {
    c->repeated |= bit;
    return lose(s);
  }
  c->present |= bit;
  if (kind != K_STRING && kind != K_STATE) {
    c->v[e->id] = e->value;
    return 0;
  }
  str = &c->s[e->id];
  free_bytes = s->p->pool == NULL ? 0 : s->p->pool_size - s->top;
  room = free_bytes == 0 ? 0 : free_bytes - 1;
  pool_bound = free_bytes == 0 || room < s->p->max_string;
  if (room > s->p->max_string)
    room = s->p->max_string;
  if (e->len > room && pool_bound && scope != TP_NODE_JOB &&
      scope != TP_NODE_FAULT) {
    /* A task or item the pool cannot hold whole is not kept at all. */
    cref_rec *task = open_task(s);
    if (scope == TP_NODE_ITEM) {
      s->top = s->item_top;
      rec_free_kids(&task->kids[--task->nkids]);
      task->dropped_items++;
      s->rec->dropped_items++;
      s->item = -1;
      s->items_full = 1;
    } else {
      s->top = s->task_top;
      s->rec->dropped_items += task->nkids;
      rec_free_kids(&s->rec->kids[--s->rec->nkids]);
      s->rec->dropped_tasks++;
      s->task = s->item = -1;
      s->tasks_full = 1;
    }
    return lose(s);
  }
  keep = kept_length(e->text, e->len, room);
  str->text = xrealloc(NULL, keep + 1);
  memcpy(str->text, e->text, keep);
  str->text[keep] = '\0';
  str->len = keep;
  stop = 0;
  if (keep < e->len) {
    c->cut |= bit;
    stop = lose(s);
  }
  if (e->complete && !stop) {
    /* Closed: an empty string takes no pool. */
    if (kind == K_STATE)
      c->state_value = e->value.value.task_state;
    if (keep > 0) {
      str->off = (long)s->top;
      s->top += keep + 1;
    }
  } else if (free_bytes > 0) {
    /* Open where it stopped: it is being written at the top. */
    str->off = (long)s->top;
  }
  return stop;
}

void
cref_compute(const cref_log *log, const cref_params *p, cref_result *r) {
  ref_state s;
  size_t i, cap = 0;

  memset(r, 0, sizeof *r);
  memset(&s, 0, sizeof s);
  s.p = p;
  s.r = r;
  s.task = s.item = -1;
  r->status = TP_OK;
  for (i = 0; i < log->count && !r->stopped; i++) {
    const cref_event *e = &log->events[i];
    switch (e->kind) {
    case CREF_BEGIN:
      r->stopped = ref_begin(&s, e->node);
      break;
    case CREF_FIELD:
      r->stopped = ref_field(&s, e);
      break;
    case CREF_END:
      if (e->node == TP_NODE_TASK) {
        s.task = s.item = -1;
        s.task_open = 0;
      } else if (e->node == TP_NODE_ITEM) {
        s.item = -1;
      } else if (e->node == TP_NODE_JOB || e->node == TP_NODE_FAULT) {
        if (r->ndelivered == cap) {
          cap = cap ? cap * 2 : 4;
          r->delivered = xrealloc(r->delivered, cap * sizeof *r->delivered);
        }
        r->delivered[r->ndelivered++] = *s.rec;
        free(s.rec);
        s.rec = NULL;
        if (p->stop_at_record == r->ndelivered)
          r->stopped = 1;
      }
      break;
    default:
      break;
    }
    if (r->stopped && e->kind != CREF_END)
      r->status = TP_ERR_NOT_KEPT;
  }
  r->open = s.rec;
}

void
cref_result_free(cref_result *r) {
  size_t i;
  for (i = 0; i < r->ndelivered; i++)
    rec_free_kids(&r->delivered[i]);
  free(r->delivered);
  if (r->open != NULL) {
    rec_free_kids(r->open);
    free(r->open);
  }
  memset(r, 0, sizeof *r);
}

/* ---- comparing -------------------------------------------------------- */

static int
differ(char *why, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, n, fmt, ap);
  va_end(ap);
  return 1;
}

static int
in_pool(const cref_params *p, const void *q) {
  uintptr_t a = (uintptr_t)q, b = (uintptr_t)p->pool;
  return p->pool != NULL && a >= b && a < b + p->pool_size;
}

static int
same_datetime(const tp_datetime *a, const tp_datetime *b) {
  return a->year == b->year && a->month == b->month && a->day == b->day &&
         a->hour == b->hour && a->minute == b->minute &&
         a->second == b->second && a->tz_is_z == b->tz_is_z &&
         a->tz_minutes == b->tz_minutes && a->nanosecond == b->nanosecond;
}

/* The members of one record of any kind, its masks given apart. */
static int
check_members(const cref_rec *want, const unsigned char *got, uint64_t present,
              uint64_t cut, uint64_t repeated, const cref_params *p,
              const char *what, char *why, size_t n) {
  size_t id;
  if (present != want->present || cut != want->cut ||
      repeated != want->repeated)
    return differ(
        why, n,
        "%s: masks present/cut/repeated %#llx/%#llx/%#llx, want "
        "%#llx/%#llx/%#llx",
        what, (unsigned long long)present, (unsigned long long)cut,
        (unsigned long long)repeated, (unsigned long long)want->present,
        (unsigned long long)want->cut, (unsigned long long)want->repeated);
  for (id = 0; id < TP_FIELD_COUNT_; id++) {
    const member *m = &MEMBERS[id];
    const cref_string *ws = &want->s[id];
    const char *name = tp_field_name((tp_field_id)id);
    const char *gs;
    int32_t i32;
    double d;
    tp_datetime dt;
    tp_fault_kind fk;
    if (tp_field_scope((tp_field_id)id) != want->node)
      continue;
    switch (m->kind) {
    case K_STRING:
    case K_STATE:
      memcpy(&gs, got + m->at, sizeof gs);
      if (gs == NULL)
        return differ(why, n, "%s: %s is NULL", what, name);
      if (ws->off >= 0) {
        if (gs != (const char *)p->pool + ws->off)
          return differ(
              why, n, "%s: %s at pool offset %ld, want %ld", what, name,
              in_pool(p, gs) ? (long)(gs - (const char *)p->pool) : -1L,
              ws->off);
      } else if (in_pool(p, gs) || ws->len != 0) {
        return differ(why, n, "%s: %s in the pool, want \"\" outside", what,
                      name);
      }
      if (strlen(gs) != ws->len ||
          memcmp(gs, ws->text ? ws->text : "", ws->len) != 0)
        return differ(why, n,
                      "%s: %s is \"%.60s\" (%zu bytes), want "
                      "\"%.60s\" (%zu bytes)",
                      what, name, gs, strlen(gs), ws->text ? ws->text : "",
                      ws->len);
      if (m->kind == K_STATE) {
        tp_task_state ts;
        memcpy(&ts, got + offsetof(tp_task_record, state_value), sizeof ts);
        if (ts != want->state_value)
          return differ(why, n, "%s: state_value %d, want %d", what, (int)ts,
                        (int)want->state_value);
      }
      break;
    case K_INT:
      memcpy(&i32, got + m->at, sizeof i32);
      if (i32 != want->v[id].value.i)
        return differ(why, n, "%s: %s %ld, want %ld", what, name, (long)i32,
                      (long)want->v[id].value.i);
      break;
    case K_DOUBLE:
      memcpy(&d, got + m->at, sizeof d);
      if (memcmp(&d, &want->v[id].value.d, sizeof d) != 0)
        return differ(why, n, "%s: %s %a, want %a", what, name, d,
                      want->v[id].value.d);
      break;
    case K_DATETIME:
      memcpy(&dt, got + m->at, sizeof dt);
      if (!same_datetime(&dt, &want->v[id].value.dt))
        return differ(why, n, "%s: %s differs", what, name);
      break;
    default:
      memcpy(&fk, got + m->at, sizeof fk);
      if (fk != want->v[id].value.fault_kind)
        return differ(why, n, "%s: %s %d, want %d", what, name, (int)fk,
                      (int)want->v[id].value.fault_kind);
      break;
    }
  }
  return 0;
}

static int
check_task(const cref_rec *want, const tp_task_record *got,
           const cref_params *p, char *why, size_t n, const char *what) {
  const tp_item_record *it;
  size_t i;
  char where[96];
  if (check_members(want, (const unsigned char *)got, got->present, got->cut,
                    got->repeated, p, what, why, n))
    return 1;
  if (got->item_count != want->nkids ||
      got->dropped_items != want->dropped_items)
    return differ(why, n, "%s: item_count %zu dropped_items %zu, want %zu %zu",
                  what, got->item_count, got->dropped_items, want->nkids,
                  want->dropped_items);
  for (i = 0, it = got->items; i < want->nkids; i++, it = it->next) {
    const cref_rec *w = &want->kids[i];
    snprintf(where, sizeof where, "%s item %zu", what, i);
    if ((const unsigned char *)it != p->pool + w->off)
      return differ(why, n, "%s: not at pool offset %zu", where, w->off);
    if (check_members(w, (const unsigned char *)it, it->present, it->cut,
                      it->repeated, p, where, why, n))
      return 1;
  }
  if (it != NULL)
    return differ(why, n, "%s: more items listed than item_count", what);
  return 0;
}

int
cref_check_job(const cref_rec *want, const tp_job_record *got,
               const cref_params *p, char *why, size_t n) {
  const tp_task_record *t;
  size_t i;
  char where[64];
  if (want->node != TP_NODE_JOB)
    return differ(why, n, "a job, where the reference has a fault");
  if (check_members(want, (const unsigned char *)got, got->present, got->cut,
                    got->repeated, p, "job", why, n))
    return 1;
  if (got->task_count != want->nkids ||
      got->dropped_tasks != want->dropped_tasks ||
      got->dropped_items != want->dropped_items ||
      got->incomplete != want->incomplete)
    return differ(why, n,
                  "job: task_count %zu dropped_tasks %zu dropped_items %zu "
                  "incomplete %d, want %zu %zu %zu %d",
                  got->task_count, got->dropped_tasks, got->dropped_items,
                  got->incomplete, want->nkids, want->dropped_tasks,
                  want->dropped_items, want->incomplete);
  for (i = 0, t = got->tasks; i < want->nkids; i++, t = t->next) {
    snprintf(where, sizeof where, "task %zu", i);
    if ((const unsigned char *)t != p->pool + want->kids[i].off)
      return differ(why, n, "%s: not at pool offset %zu", where,
                    want->kids[i].off);
    if (check_task(&want->kids[i], t, p, why, n, where))
      return 1;
  }
  if (t != NULL)
    return differ(why, n, "job: more tasks listed than task_count");
  return 0;
}

int
cref_check_fault(const cref_rec *want, const tp_fault_record *got,
                 const cref_params *p, char *why, size_t n) {
  if (want->node != TP_NODE_FAULT)
    return differ(why, n, "a fault, where the reference has a job");
  if (check_members(want, (const unsigned char *)got, got->present, got->cut,
                    got->repeated, p, "fault", why, n))
    return 1;
  if (got->incomplete != want->incomplete)
    return differ(why, n, "fault: incomplete %d, want %d", got->incomplete,
                  want->incomplete);
  return 0;
}

/* ---- a whole comparison ----------------------------------------------- */

void
cref_case_init(cref_case *c, const char *data, size_t len) {
  memset(c, 0, sizeof *c);
  c->data = data;
  c->len = len;
  c->max_tasks = c->max_items = c->max_string = TP_COLLECT_UNLIMITED;
}

enum { GUARD = 64, GUARD_BYTE = 0xa5 };

typedef struct run_state {
  const cref_result *ref;
  const cref_params *p;
  size_t next; /* the record callback expected next */
  char *why;
  size_t why_size;
  int failed;
  int judging; /* off while the document before is decoded */
  recorder *stream;
} run_state;

static int
on_record(run_state *rs, const tp_job_record *job,
          const tp_fault_record *fault) {
  const cref_rec *want;
  if (!rs->judging)
    return 0;
  if (rs->failed)
    return 1;
  if (rs->next >= rs->ref->ndelivered) {
    rs->failed = differ(rs->why, rs->why_size,
                        "record %zu handed over, the reference has %zu",
                        rs->next + 1, rs->ref->ndelivered);
    return 1;
  }
  want = &rs->ref->delivered[rs->next++];
  rs->failed =
      job != NULL ? cref_check_job(want, job, rs->p, rs->why, rs->why_size)
                  : cref_check_fault(want, fault, rs->p, rs->why, rs->why_size);
  if (rs->failed)
    return 1;
  return rs->p->stop_at_record == rs->next;
}

static int
on_job(void *ud, const tp_job_record *job) {
  return on_record(ud, job, NULL);
}

static int
on_fault(void *ud, const tp_fault_record *fault) {
  return on_record(ud, NULL, fault);
}

/* The stream pass-through: a recorder, reached through the run's state,
 * which job, fault and stream callbacks share as user data. */
static int
stream_begin(void *ud, tp_node node) {
  return rec_callbacks()->begin(((run_state *)ud)->stream, node);
}
static int
stream_end(void *ud, tp_node node) {
  return rec_callbacks()->end(((run_state *)ud)->stream, node);
}
static int
stream_field(void *ud, const tp_field *f) {
  return rec_callbacks()->field(((run_state *)ud)->stream, f);
}
static const tp_callbacks STREAM = {stream_begin, stream_end, stream_field};

static tp_status
feed_all(tp_decoder *d, const char *data, size_t len, size_t chunk) {
  tp_status s = feed_chunked(d, data, len, chunk);
  return s == TP_OK ? tp_finish(d) : s;
}

int
cref_run(const cref_case *c, char *why, size_t why_size, size_t *records,
         int *lost) {
  cref_log log;
  cref_params p;
  cref_result ref;
  recorder plain, stream;
  tp_collect_config cc;
  tp_collector col;
  tp_config cfg;
  tp_decoder d;
  tp_status plain_status, got;
  unsigned char *block;
  run_state rs;
  int failed = 0;
  size_t i;

  /* The raw events, fed alike. */
  cref_log_init(&log);
  log.stop_at = c->stream_stop_at;
  tp_config_init(&cfg);
  cfg.callbacks = cref_log_callbacks();
  cfg.user_data = &log;
  cfg.flags = c->flags;
  if (tp_init(&d, &cfg) != TP_OK)
    abort();
  plain_status = feed_all(&d, c->data, c->len, c->chunk);
  tp_release(&d);

  block = xrealloc(NULL, c->pool_size + c->misalign + 2 * GUARD + 8);
  memset(block, GUARD_BYTE, c->pool_size + c->misalign + 2 * GUARD + 8);
  memset(&p, 0, sizeof p);
  /* GUARD is a multiple of 8 and malloc aligns at least that much. */
  p.pool = block + GUARD + c->misalign;
  p.pool_size = c->pool_size;
  p.max_tasks = c->max_tasks;
  p.max_items = c->max_items;
  p.max_string = c->max_string;
  p.flags = c->collect_flags;
  p.stop_at_record = c->stop_at_record;
  cref_compute(&log, &p, &ref);

  memset(&rs, 0, sizeof rs);
  rs.ref = &ref;
  rs.p = &p;
  rs.why = why;
  rs.why_size = why_size;
  rec_init(&stream);
  rec_init(&plain);
  stream.stop_at = c->stream_stop_at;
  rs.stream = &stream;

  tp_collect_config_init(&cc, (void *)(uintptr_t)p.pool, p.pool_size);
  cc.job = on_job;
  cc.fault = on_fault;
  cc.user_data = &rs;
  cc.stream = c->with_stream || c->stream_stop_at ? &STREAM : NULL;
  cc.max_tasks = c->max_tasks;
  cc.max_items = c->max_items;
  cc.max_string = c->max_string;
  cc.flags = c->collect_flags;
  if (tp_collect_init(&col, &cc, &cfg) != TP_OK)
    abort();
  cfg.flags = c->flags;
  cfg.arena = c->arena;
  cfg.arena_size = c->arena_size;
  if (tp_init(&d, &cfg) != TP_OK)
    abort();
  if (c->before != NULL) {
    /* Whatever it hands over is not judged: it is another document. */
    stream.stop_at = 0;
    (void)feed_all(&d, c->before, c->before_len, c->chunk);
    rec_clear(&stream);
    stream.stop_at = c->stream_stop_at;
    if (tp_reset(&d) != TP_OK || tp_collect_reset(&col) != TP_OK)
      failed = differ(why, why_size, "tp_reset or tp_collect_reset failed");
    else if (tp_collect_open_job(&col) != NULL ||
             tp_collect_open_fault(&col) != NULL ||
             tp_collect_status(&col) != TP_OK)
      failed = differ(why, why_size,
                      "tp_collect_reset left an open record or a status");
  }
  rs.judging = 1;
  got = failed ? TP_OK : feed_all(&d, c->data, c->len, c->chunk);
  if (failed || rs.failed) {
    failed = 1;
  } else if (rs.next != ref.ndelivered) {
    failed = differ(why, why_size, "%zu records handed over, want %zu", rs.next,
                    ref.ndelivered);
  } else if ((ref.stopped ? TP_STOPPED : plain_status) != got) {
    failed = differ(why, why_size, "decoding ended with %s, want %s",
                    tp_strerror(got),
                    tp_strerror(ref.stopped ? TP_STOPPED : plain_status));
  } else if (tp_collect_status(&col) != ref.status) {
    failed =
        differ(why, why_size, "tp_collect_status %s, want %s",
               tp_strerror(tp_collect_status(&col)), tp_strerror(ref.status));
  } else {
    const tp_job_record *oj = tp_collect_open_job(&col);
    const tp_fault_record *of = tp_collect_open_fault(&col);
    const cref_rec *want = ref.open;
    char inner[400];
    if (want == NULL && (oj != NULL || of != NULL))
      failed = differ(why, why_size, "an open record, want none");
    else if (want != NULL && want->node == TP_NODE_JOB &&
             (oj == NULL || of != NULL))
      failed = differ(why, why_size, "no open job, want one");
    else if (want != NULL && want->node == TP_NODE_FAULT &&
             (of == NULL || oj != NULL))
      failed = differ(why, why_size, "no open fault, want one");
    else if (oj != NULL && cref_check_job(want, oj, &p, inner, sizeof inner))
      failed = differ(why, why_size, "open %s", inner);
    else if (of != NULL && cref_check_fault(want, of, &p, inner, sizeof inner))
      failed = differ(why, why_size, "open %s", inner);
  }
  for (i = 0; !failed && i < GUARD + c->misalign; i++)
    if (block[i] != GUARD_BYTE)
      failed = differ(why, why_size, "written before the pool");
  for (i = 0; !failed && i < GUARD + 8; i++)
    if (p.pool[p.pool_size + i] != GUARD_BYTE)
      failed = differ(why, why_size, "written past the pool");
  tp_release(&d);

  if (!failed && (c->with_stream || c->stream_stop_at)) {
    /* The stream saw what a plain decode sees, up to where it stopped. */
    plain.stop_at = c->stream_stop_at;
    rec_config(&cfg, &plain, c->flags);
    if (tp_init(&d, &cfg) != TP_OK)
      abort();
    (void)feed_all(&d, c->data, c->len, c->chunk);
    tp_release(&d);
    rec_drop_open_string(&stream);
    rec_drop_open_string(&plain);
    if (stream.violations != 0 || stream.calls_after_stop != 0)
      failed = differ(why, why_size, "the stream's callback contract broken");
    else if (ref.stopped ? !rec_is_prefix(&stream, &plain)
                         : !rec_equal(&stream, &plain)) {
      rec_report_difference(&stream, &plain);
      failed = differ(why, why_size,
                      "the stream's events differ from a plain decode's");
    }
  }
  if (records != NULL)
    *records = ref.ndelivered;
  if (lost != NULL) {
    *lost = ref.open != NULL && ref.open->incomplete;
    for (i = 0; i < ref.ndelivered; i++)
      *lost |= ref.delivered[i].incomplete;
  }
  rec_free(&stream);
  rec_free(&plain);
  cref_result_free(&ref);
  cref_log_free(&log);
  free(block);
  return failed;
}
