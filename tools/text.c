/* text.c -- tpdump --format=text: a progress report for a person, one
 * block per job (its header, then a line per task with its items
 * indented below) and a line per SOAP Fault, cut to the terminal's width.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#include <sys/ioctl.h> /* TIOCGWINSZ, for the width */
#endif
#include <unistd.h>

#include "tpdump.h"

/* Bytes kept of each string field; longer ones end in "..." when shown.
 * (Overridable, like JOB_TEXT_BYTES, for the microcontroller build.) */
#ifndef TPDUMP_TEXT_KEEP
#define TPDUMP_TEXT_KEEP 512
#endif
#define TEXT_KEEP TPDUMP_TEXT_KEEP
/* Widths honoured from COLUMNS or the terminal. */
#define MIN_WIDTH 20
#define MAX_WIDTH 1024
/* One output line: each column may take up to 4 bytes (UTF-8). */
#define LINE_BYTES (4 * MAX_WIDTH + 16)
/* A job's task and item lines wait here until the job ends, since the
 * job's name and state may come after its tasks (and a task's fields after
 * its items). A job that outgrows it has its header printed with what is
 * known so far (see text_spill). */
#ifndef TPDUMP_JOB_TEXT
#define TPDUMP_JOB_TEXT 262144
#endif
#define JOB_TEXT_BYTES TPDUMP_JOB_TEXT

struct tstr {
  size_t len;
  int set;  /* a fragment arrived */
  int open; /* more fragments of this value may follow */
  int cut;  /* bytes were dropped: show "..." */
  char s[TEXT_KEEP];
};

struct tnum {
  int set;
  int32_t i;
  double d;
};

struct tjob {
  struct tstr name, handle, state, message;
  struct tnum progress;
  int has_update;
  tp_datetime update;
};

struct ttask {
  struct tstr type, state, message;
  struct tnum processed, processing, pending, progress;
};

struct titem {
  struct tstr name, message;
  struct tnum progress;
};

struct tfault {
  struct tstr code, string, reason;
  struct tnum ips_code;
  int has_kind;
  tp_fault_kind kind;
};

struct text {
  size_t width; /* columns per line */
  size_t bar;   /* cells of a progress bar */
  int unicode;  /* block characters for bars */
  int blocks;   /* job and fault blocks printed so far */
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

/* A line being built, cut to the width with "..." at the end. */
struct tline {
  size_t len;
  size_t cols;
  size_t width;
  int cut;
  char b[LINE_BYTES];
};

static void
tline_init(struct tline *l, size_t width) {
  l->len = 0;
  l->cols = 0;
  l->width = width;
  l->cut = 0;
}

/* One character of `n` bytes, taking one column. */
static void
tline_char(struct tline *l, const char *c, size_t n) {
  if (l->cols >= l->width) {
    l->cut = 1;
    return;
  }
  memcpy(l->b + l->len, c, n);
  l->len += n;
  l->cols++;
}

static void
tline_ascii(struct tline *l, const char *s) {
  for (; *s != '\0'; s++)
    tline_char(l, s, 1);
}

static void
tline_pad(struct tline *l, size_t col) {
  while (l->cols < col && !l->cut)
    tline_char(l, " ", 1);
}

/* Text from the response, as UTF-8. Control characters could move the
 * cursor or rewrite the screen, so C0, DEL and C1 become '?', and tab and
 * line breaks a space (a record stays on its line). A sequence cut short
 * at the end (a truncated field) is dropped. */
static void
tline_text(struct tline *l, const char *s, size_t n) {
  size_t i = 0;

  while (i < n && !l->cut) {
    unsigned char c = (unsigned char)s[i];
    size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

    if (i + k > n)
      break;
    if (c == '\t' || c == '\n' || c == '\r')
      tline_char(l, " ", 1);
    else if (c < 0x20 || c == 0x7f ||
             (c == 0xc2 && (unsigned char)s[i + 1] < 0xa0))
      tline_char(l, "?", 1);
    else
      tline_char(l, s + i, k);
    i += k;
  }
}

static void
tline_str(struct tline *l, const struct tstr *t) {
  tline_text(l, t->s, t->len);
  if (t->cut)
    tline_ascii(l, "...");
}

/* Ends the line: a cut line loses its last columns to "...". */
static size_t
tline_finish(struct tline *l) {
  if (l->cut) {
    size_t keep = l->width > 3 ? l->width - 3 : 0;
    while (l->cols > keep) {
      do
        l->len--;
      while (l->len > 0 && ((unsigned char)l->b[l->len] & 0xc0) == 0x80);
      l->cols--;
    }
    memcpy(l->b + l->len, "...", 3);
    l->len += 3;
  }
  l->b[l->len++] = '\n';
  return l->len;
}

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
tline_int(struct tline *l, const struct tnum *v, const char *suffix) {
  char buf[16];

  if (v->set)
    snprintf(buf, sizeof buf, "%" PRId32 "%s", v->i, suffix);
  else
    snprintf(buf, sizeof buf, "?");
  tline_ascii(l, buf);
}

/* "[#####.....]  50%": a fraction 0..1 fills the bar and shows as a whole
 * percentage (rounded down: 100% only when done). Anything else shows its
 * raw value: NaN (a bar of '?'), INF or above 1 (full), -INF or below 0
 * (empty); no value at all shows an empty bar and "-". */
static void
tline_bar(struct tline *l, const struct text *t, const struct tnum *v) {
  static const char *const eighths[] = {"",
                                        "\xe2\x96\x8f",
                                        "\xe2\x96\x8e",
                                        "\xe2\x96\x8d",
                                        "\xe2\x96\x8c",
                                        "\xe2\x96\x8b",
                                        "\xe2\x96\x8a",
                                        "\xe2\x96\x89"};
  double d = v->d;
  size_t eights = 0; /* filled eighths of a cell */
  size_t total = t->bar * 8;
  char value[48];
  size_t i;

  if (!v->set || (d >= 0 && d <= 1) || isnan(d)) {
    if (v->set && !isnan(d))
      eights = (size_t)(d * (double)total + 1e-9);
  } else {
    eights = d > 1 ? total : 0;
  }
  if (!t->unicode)
    eights -= eights % 8;
  tline_char(l, "[", 1);
  for (i = 0; i < t->bar; i++) {
    size_t cell = eights >= 8 * (i + 1) ? 8
                  : eights > 8 * i      ? eights - 8 * i
                                        : 0;
    if (v->set && isnan(d))
      tline_char(l, "?", 1);
    else if (cell == 8)
      tline_char(l, t->unicode ? "\xe2\x96\x88" : "#", t->unicode ? 3 : 1);
    else if (cell > 0)
      tline_char(l, eighths[cell], 3);
    else
      tline_char(l, t->unicode ? " " : ".", 1);
  }
  tline_char(l, "]", 1);
  if (!v->set) {
    snprintf(value, sizeof value, "   -");
  } else if (d >= 0 && d <= 1) {
    snprintf(value, sizeof value, "%3d%%", (int)(d * 100 + 1e-9));
  } else {
    size_t n = format_double(value, sizeof value, d);
    /* format_double quotes the non-finite values for JSON. */
    if (value[0] == '"') {
      memmove(value, value + 1, n - 2);
      value[n - 2] = '\0';
    }
  }
  tline_char(l, " ", 1);
  if (strlen(value) < 4)
    tline_pad(l, l->cols + 4 - strlen(value));
  tline_ascii(l, value);
}

static void
tline_datetime(struct tline *l, const tp_datetime *dt) {
  char buf[64];
  size_t n = format_datetime(buf, sizeof buf, dt);

  /* Without the JSON quotes. */
  buf[n - 1] = '\0';
  tline_ascii(l, buf + 1);
}

/* The task type without its package ("UploadAsyncTaskMonitor"). */
static void
tline_short_type(struct tline *l, const struct tstr *type) {
  size_t start = type->len;

  while (start > 0 && type->s[start - 1] != '.')
    start--;
  tline_text(l, type->s + start, type->len - start);
  if (type->cut)
    tline_ascii(l, "...");
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
  const struct tjob *j = &t->job;
  struct tline l;
  int parts = 0;

  text_block_start(p, t);
  tline_init(&l, t->width);
  if (j->name.set && j->name.len > 0) {
    tline_str(&l, &j->name);
    if (j->handle.set) {
      tline_ascii(&l, " (");
      tline_str(&l, &j->handle);
      tline_ascii(&l, ")");
    }
  } else if (j->handle.set) {
    tline_ascii(&l, "job ");
    tline_str(&l, &j->handle);
  } else {
    tline_ascii(&l, "job without a name or handle");
  }
  tline_ascii(&l, note);
  text_write_line(p, &l);

  tline_init(&l, t->width);
  tline_ascii(&l, "  ");
  if (j->state.set) {
    tline_str(&l, &j->state);
    parts++;
  }
  if (j->progress.set) {
    if (parts++ > 0)
      tline_ascii(&l, ", ");
    tline_int(&l, &j->progress, "%");
  }
  if (j->has_update) {
    if (parts++ > 0)
      tline_ascii(&l, ", ");
    tline_ascii(&l, "last update ");
    tline_datetime(&l, &j->update);
  }
  if (parts > 0)
    text_write_line(p, &l);
  if (j->message.set && j->message.len > 0) {
    tline_init(&l, t->width);
    tline_ascii(&l, "  ");
    tline_str(&l, &j->message);
    text_write_line(p, &l);
  }
}

static void
text_task_line(const struct text *t, struct tline *l) {
  const struct ttask *k = &t->task;
  size_t col;

  tline_init(l, t->width);
  tline_ascii(l, "  ");
  tline_bar(l, t, &k->progress);
  tline_ascii(l, " ");
  col = l->cols + 10;
  if (k->state.set)
    tline_str(l, &k->state);
  else
    tline_ascii(l, "?");
  tline_pad(l, col);
  tline_ascii(l, "  ");
  tline_int(l, &k->processed, "");
  tline_ascii(l, "/");
  tline_int(l, &k->processing, "");
  tline_ascii(l, "/");
  tline_int(l, &k->pending, "");
  if (k->message.set && k->message.len > 0) {
    tline_ascii(l, "  ");
    tline_str(l, &k->message);
  }
  if (k->type.set && k->type.len > 0) {
    struct tline probe = *l;
    /* The type only when it fits whole: the message comes first. */
    tline_ascii(&probe, "  [");
    tline_short_type(&probe, &k->type);
    tline_ascii(&probe, "]");
    if (!probe.cut)
      *l = probe;
  }
}

static void
text_item_line(const struct text *t, struct tline *l) {
  const struct titem *it = &t->item;

  tline_init(l, t->width);
  tline_ascii(l, "    ");
  tline_bar(l, t, &it->progress);
  tline_ascii(l, " ");
  if (it->name.set)
    tline_str(l, &it->name);
  else
    tline_ascii(l, "?");
  if (it->message.set && it->message.len > 0) {
    tline_ascii(l, "  ");
    tline_str(l, &it->message);
  }
}

static void
text_fault_line(const struct text *t, struct tline *l) {
  const struct tfault *f = &t->fault;
  int detail = f->has_kind || f->ips_code.set || f->reason.set;

  tline_init(l, t->width);
  tline_ascii(l, "SOAP Fault: ");
  if (detail) {
    tline_ascii(l, f->has_kind ? tp_fault_kind_name(f->kind) : "detail");
    if (f->ips_code.set) {
      tline_ascii(l, " ");
      tline_int(l, &f->ips_code, "");
    }
    if (f->reason.set) {
      tline_ascii(l, ": ");
      tline_str(l, &f->reason);
    }
    tline_ascii(l, " (");
  }
  if (f->code.set)
    tline_str(l, &f->code);
  else
    tline_ascii(l, "?");
  if (f->string.set) {
    tline_ascii(l, ": ");
    tline_str(l, &f->string);
  }
  if (detail)
    tline_ascii(l, ")");
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
    text_task_line(t, &l);
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

  text_task_line(t, &l);
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

  text_item_line(t, &l);
  text_emit(p, t, &l);
  t->in_item = 0;
}

/* `note` follows the fault's line. */
static void
text_end_fault(struct printer *p, struct text *t, const char *note) {
  struct tline l;

  text_block_start(p, t);
  text_fault_line(t, &l);
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

/* The width: COLUMNS when it is a number, else the terminal's, else 80. */
static size_t
text_width(void) {
  const char *columns = getenv("COLUMNS");
  size_t width = 0;

  if (columns != NULL && *columns != '\0') {
    const char *s;
    /* Saturates above MAX_WIDTH, so that huge values clamp too. */
    for (s = columns; *s >= '0' && *s <= '9'; s++)
      if (width <= MAX_WIDTH)
        width = width * 10 + (size_t)(*s - '0');
    if (*s != '\0')
      width = 0;
  }
#ifdef TIOCGWINSZ
  if (width == 0 && isatty(STDOUT_FILENO)) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
      width = ws.ws_col;
  }
#endif
  if (width == 0)
    width = 80;
  if (width < MIN_WIDTH)
    width = MIN_WIDTH;
  if (width > MAX_WIDTH)
    width = MAX_WIDTH;
  return width;
}

/* Block characters only for a terminal that takes UTF-8, as the locale
 * variables say (tpdump does not call setlocale). */
static int
text_unicode(void) {
  static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
  size_t i;

  if (!isatty(STDOUT_FILENO))
    return 0;
  for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
    const char *v = getenv(vars[i]);
    if (v != NULL && *v != '\0')
      return strstr(v, "UTF-8") != NULL || strstr(v, "utf8") != NULL ||
             strstr(v, "UTF8") != NULL || strstr(v, "utf-8") != NULL;
  }
  return 0;
}

static void
text_setup(void) {
  struct text *t = &text_state;

  t->width = text_width();
  t->bar = t->width / 4;
  if (t->bar > 40)
    t->bar = 40;
  t->unicode = text_unicode();
}

const struct writer text_writer = {
    {text_begin, text_end, text_field}, text_setup, text_open, text_abandon};
