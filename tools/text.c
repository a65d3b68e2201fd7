/* text.c -- tpdump --format=text: a progress report for a person, one
 * block per job (its header, then a line per task with its items
 * indented below) and a line per SOAP Fault. This part gathers each
 * record's fields as the decoder calls back and puts the lines out in
 * reading order; text_layout.c lays them out.
 */
#include <string.h>

#include "tpdump.h"
#include "text.h"

/* A job's task and item lines wait here until the job ends, since the
 * job's name and state may come after its tasks (and a task's fields after
 * its items). A job that outgrows it has its header printed with what is
 * known so far (see text_spill). */
#ifndef TPDUMP_JOB_TEXT
#define TPDUMP_JOB_TEXT 262144
#endif
#define JOB_TEXT_BYTES TPDUMP_JOB_TEXT

struct text {
  struct layout layout;
  int blocks; /* job and fault blocks printed so far */
  int in_job, in_task, in_item, in_fault;
  int header_out;    /* the job's header lines are printed already */
  int task_out;      /* the open task's line is printed already */
  int job_late;      /* a job field came after header_out */
  int task_late;     /* a task field came after task_out */
  size_t job_len;    /* bytes in job_text */
  size_t task_start; /* where the open task's line belongs in job_text */
  struct tjob job;
  struct ttask task;
  struct titem item;
  struct tfault fault;
  char job_text[JOB_TEXT_BYTES];
};

static struct text text_state;

static void
tstr_reset(struct tstr *t) {
  t->len = 0;
  t->set = 0;
  t->open = 0;
  t->cut = 0;
}

/* A field seen twice shows its last value. */
static void
tstr_add(struct tstr *t, const tp_field *f) {
  size_t n = f->len;
  size_t room;

  if (!t->open) {
    tstr_reset(t);
    t->open = 1;
  }
  t->set = 1;
  room = sizeof t->s - t->len;
  if (n > room) {
    n = room;
    t->cut = 1;
  }
  memcpy(t->s + t->len, f->str, n);
  t->len += n;
  if (f->last)
    t->open = 0;
}

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

/* `note` follows the name: a header printed again at the job's end. */
static void
text_job_header(struct printer *p, struct text *t, const char *note) {
  struct tline l;
  int i;

  text_block_start(p, t);
  for (i = 0; i < JOB_HEADER_LINES; i++)
    if (layout_job_line(&l, &t->layout, &t->job, i, note))
      text_write_line(p, &l);
}

/* The job's text so far, and the open task's line in its place (as known
 * now), go out; what follows is buffered again from the start. */
static void
text_spill(struct printer *p, struct text *t) {
  if (!t->header_out) {
    text_job_header(p, t, "");
    t->header_out = 1;
  }
  if (t->in_task && !t->task_out) {
    struct tline l;
    out_bytes(p, t->job_text, t->task_start);
    layout_task(&l, &t->layout, &t->task);
    text_write_line(p, &l);
    out_bytes(p, t->job_text + t->task_start, t->job_len - t->task_start);
    t->task_out = 1;
  } else {
    out_bytes(p, t->job_text, t->job_len);
  }
  t->job_len = 0;
  t->task_start = 0;
}

/* A task or item line: buffered while a job is open. */
static void
text_emit(struct printer *p, struct text *t, struct tline *l) {
  size_t n = tline_finish(l);

  if (!t->in_job) {
    out_bytes(p, l->b, n);
    return;
  }
  if (n > sizeof t->job_text - t->job_len)
    text_spill(p, t);
  memcpy(t->job_text + t->job_len, l->b, n);
  t->job_len += n;
}

static void
text_end_task(struct printer *p, struct text *t) {
  struct tline l;
  size_t n;

  layout_task(&l, &t->layout, &t->task);
  if (t->task_out) {
    /* Printed early with what was known then: print it again, complete. */
    if (t->task_late)
      text_emit(p, t, &l);
  } else if (!t->in_job) {
    text_emit(p, t, &l);
  } else {
    n = tline_finish(&l);
    if (n > sizeof t->job_text - t->job_len) {
      text_spill(p, t); /* prints the task line */
    } else {
      memmove(t->job_text + t->task_start + n, t->job_text + t->task_start,
              t->job_len - t->task_start);
      memcpy(t->job_text + t->task_start, l.b, n);
      t->job_len += n;
    }
  }
  t->in_task = 0;
}

static void
text_end_job(struct printer *p, struct text *t) {
  if (!t->header_out)
    text_job_header(p, t, "");
  out_bytes(p, t->job_text, t->job_len);
  if (t->header_out && t->job_late) {
    /* Job fields came after the header had to go out: show them. */
    int blocks = t->blocks;
    t->blocks = 0;
    text_job_header(p, t, " (updated)");
    t->blocks = blocks;
  }
  t->job_len = 0;
  t->in_job = 0;
}

static void
text_end_item(struct printer *p, struct text *t) {
  struct tline l;

  layout_item(&l, &t->layout, &t->item);
  text_emit(p, t, &l);
  t->in_item = 0;
}

/* `note` follows the fault's line. */
static void
text_end_fault(struct printer *p, struct text *t, const char *note) {
  struct tline l;

  text_block_start(p, t);
  layout_fault(&l, &t->layout, &t->fault);
  tline_ascii(&l, note);
  text_write_line(p, &l);
  t->in_fault = 0;
}

static int
text_begin(void *user_data, tp_node node) {
  struct printer *p = user_data;
  struct text *t = &text_state;

  switch (node) {
  case TP_NODE_JOB:
    memset(&t->job, 0, sizeof t->job);
    t->in_job = 1;
    t->header_out = 0;
    t->job_late = 0;
    t->job_len = 0;
    break;
  case TP_NODE_TASK:
    memset(&t->task, 0, sizeof t->task);
    t->in_task = 1;
    t->task_out = 0;
    t->task_late = 0;
    t->task_start = t->job_len;
    break;
  case TP_NODE_ITEM:
    memset(&t->item, 0, sizeof t->item);
    t->in_item = 1;
    break;
  case TP_NODE_FAULT:
    p->fault_seen = 1;
    memset(&t->fault, 0, sizeof t->fault);
    t->in_fault = 1;
    break;
  default: /* the arrays show as nothing of their own */
    break;
  }
  return printer_failed(p);
}

static int
text_end(void *user_data, tp_node node) {
  struct printer *p = user_data;
  struct text *t = &text_state;

  switch (node) {
  case TP_NODE_JOB:
    text_end_job(p, t);
    break;
  case TP_NODE_TASK:
    text_end_task(p, t);
    break;
  case TP_NODE_ITEM:
    text_end_item(p, t);
    break;
  case TP_NODE_FAULT:
    text_end_fault(p, t, "");
    break;
  default: /* the arrays show as nothing of their own */
    break;
  }
  return printer_failed(p);
}

static void
tnum_int(struct tnum *n, const tp_field *f) {
  n->set = 1;
  n->i = f->value.i;
}

static void
tnum_double(struct tnum *n, const tp_field *f) {
  n->set = 1;
  n->d = f->value.d;
}

static int
text_field(void *user_data, const tp_field *f) {
  struct printer *p = user_data;
  struct text *t = &text_state;
  tp_node scope = tp_field_scope(f->id);

  if (scope == TP_NODE_JOB && t->header_out)
    t->job_late = 1;
  if (scope == TP_NODE_TASK && t->task_out)
    t->task_late = 1;
  switch (f->id) {
  case TP_JOB_NAME:
    tstr_add(&t->job.name, f);
    break;
  case TP_JOB_JOB_HANDLE:
    tstr_add(&t->job.handle, f);
    break;
  case TP_JOB_STATE:
    tstr_add(&t->job.state, f);
    break;
  case TP_JOB_PROGRESS_MESSAGE:
    tstr_add(&t->job.message, f);
    break;
  case TP_JOB_PROGRESS:
    tnum_int(&t->job.progress, f);
    break;
  case TP_JOB_LAST_PROGRESS_UPDATE:
    t->job.has_update = 1;
    t->job.update = f->value.dt;
    break;
  case TP_TASK_TYPE:
    tstr_add(&t->task.type, f);
    break;
  case TP_TASK_STATE:
    tstr_add(&t->task.state, f);
    break;
  case TP_TASK_PROGRESS_MESSAGE:
    tstr_add(&t->task.message, f);
    break;
  case TP_TASK_NUM_PROCESSED:
    tnum_int(&t->task.processed, f);
    break;
  case TP_TASK_NUM_PROCESSING:
    tnum_int(&t->task.processing, f);
    break;
  case TP_TASK_NUM_PENDING:
    tnum_int(&t->task.pending, f);
    break;
  case TP_TASK_PROGRESS:
    tnum_double(&t->task.progress, f);
    break;
  case TP_ITEM_NAME:
    tstr_add(&t->item.name, f);
    break;
  case TP_ITEM_PROGRESS_MESSAGE:
    tstr_add(&t->item.message, f);
    break;
  case TP_ITEM_PROGRESS:
    tnum_double(&t->item.progress, f);
    break;
  case TP_FAULT_CODE:
    tstr_add(&t->fault.code, f);
    break;
  case TP_FAULT_STRING:
    tstr_add(&t->fault.string, f);
    break;
  case TP_FAULT_IPS_REASON:
    tstr_add(&t->fault.reason, f);
    break;
  case TP_FAULT_IPS_CODE:
    tnum_int(&t->fault.ips_code, f);
    break;
  case TP_FAULT_DETAIL_KIND:
    t->fault.has_kind = 1;
    t->fault.kind = f->value.fault_kind;
    break;
  default:
    /* Not shown: see the json format for every field. */
    break;
  }
  return printer_failed(p);
}

/* Decoding stopped: print what was decoded of the open records, and say
 * that the job (or fault) is incomplete. */
static void
text_abandon(struct printer *p) {
  struct text *t = &text_state;

  if (t->in_item)
    text_end_item(p, t);
  if (t->in_task)
    text_end_task(p, t);
  if (t->in_job) {
    text_end_job(p, t);
    out_str(p, "  (incomplete: decoding stopped here)\n");
  }
  if (t->in_fault)
    text_end_fault(p, t, " (incomplete)");
}

static int
text_open(const struct printer *p) {
  const struct text *t = &text_state;

  (void)p;
  return t->in_job || t->in_task || t->in_item || t->in_fault;
}

static tp_status
text_configure(tp_config *cfg, struct printer *p) {
  static const tp_callbacks callbacks = {text_begin, text_end, text_field};
  struct text *t = &text_state;

  layout_init(&t->layout, terminal_width(), terminal_utf8());
  return stream_to(cfg, &callbacks, p);
}

const struct writer text_writer = {text_configure, text_open, text_abandon};
