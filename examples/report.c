/* report.c -- the decoder callbacks shared by the examples: one line per
 * task, one per fault, with the fields made safe to print. */
#include "report.h"

#include <stdio.h> /* snprintf only: the lines go out through r->emit */
#include <string.h>

struct line {
  char buf[5 * TEXT_MAX + 64];
  size_t len;
};

static void
text_clear(struct text *t) {
  t->len = 0;
  t->cut = 0;
}

static void
text_append(struct text *t, const char *s, size_t n) {
  size_t room = sizeof t->buf - t->len;

  if (t->cut)
    return;
  if (n > room) {
    n = room;
    t->cut = 1;
  }
  memcpy(t->buf + t->len, s, n);
  t->len += n;
  if (t->cut) {
    /* The last character may have lost bytes: drop it whole, so that the
     * line stays valid UTF-8. */
    while (t->len > 0 && ((unsigned char)t->buf[t->len - 1] & 0xC0u) == 0x80u)
      t->len--;
    if (t->len > 0 && (unsigned char)t->buf[t->len - 1] >= 0xC0u)
      t->len--;
  }
}

static void
line_raw(struct line *l, const char *s, size_t n) {
  size_t room = sizeof l->buf - 1 - l->len;

  if (n > room)
    n = room;
  memcpy(l->buf + l->len, s, n);
  l->len += n;
}

/* A field as it goes on a line: "-" when absent or empty, control bytes
 * replaced so that a server cannot forge lines or send terminal escapes,
 * "..." when cut. */
static void
line_text(struct line *l, const struct text *t) {
  size_t i;

  if (t->len == 0) {
    line_raw(l, "-", 1);
    return;
  }
  for (i = 0; i < t->len && l->len < sizeof l->buf - 1; i++) {
    unsigned char c = (unsigned char)t->buf[i];
    l->buf[l->len++] = c < 0x20u || c == 0x7Fu ? '?' : (char)c;
  }
  if (t->cut)
    line_raw(l, "...", 3);
}

static void
line_tab(struct line *l) {
  line_raw(l, "\t", 1);
}

static int
on_begin(void *user_data, tp_node node) {
  struct report *r = user_data;

  if (node == TP_NODE_JOB) {
    text_clear(&r->job_handle);
  } else if (node == TP_NODE_TASK) {
    text_clear(&r->task_type);
    text_clear(&r->task_state);
    r->has_progress = 0;
  } else if (node == TP_NODE_FAULT) {
    r->fault = 1;
  }
  return 0;
}

static int
on_field(void *user_data, const tp_field *f) {
  struct report *r = user_data;

  switch (f->id) {
  case TP_JOB_JOB_HANDLE:
    text_append(&r->job_handle, f->str, f->len);
    break;
  case TP_TASK_TYPE:
    text_append(&r->task_type, f->str, f->len);
    break;
  case TP_TASK_STATE:
    /* The raw text, not the enum: servers add states. */
    text_append(&r->task_state, f->str, f->len);
    break;
  case TP_TASK_PROGRESS:
    r->task_progress = f->value.d;
    r->has_progress = 1;
    break;
  case TP_FAULT_CODE:
    text_append(&r->fault_code, f->str, f->len);
    break;
  case TP_FAULT_STRING:
    text_append(&r->fault_string, f->str, f->len);
    break;
  case TP_FAULT_DETAIL_KIND:
    r->fault_kind = tp_fault_kind_name(f->value.fault_kind);
    break;
  case TP_FAULT_IPS_CODE:
    r->fault_ips_code = f->value.i;
    r->has_ips_code = 1;
    break;
  case TP_FAULT_IPS_REASON:
    text_append(&r->fault_reason, f->str, f->len);
    break;
  default:
    break;
  }
  return 0;
}

static int
on_end(void *user_data, tp_node node) {
  struct report *r = user_data;
  struct line l;
  const char *kind;
  char num[32];

  l.len = 0;
  if (node == TP_NODE_TASK) {
    /* The job handle as known now: IPS sends it before the tasks. */
    line_text(&l, &r->job_handle);
    line_tab(&l);
    line_text(&l, &r->task_type);
    line_tab(&l);
    line_text(&l, &r->task_state);
    line_tab(&l);
    if (r->has_progress)
      snprintf(num, sizeof num, "%.1f%%", r->task_progress * 100.0);
    else
      snprintf(num, sizeof num, "-");
    line_raw(&l, num, strlen(num));
    r->emit(l.buf, l.len);
    r->tasks++;
    /* Stopping here ends the transfer too: no need to read the rest. */
    if (r->max_tasks != 0 && r->tasks >= r->max_tasks)
      return 1;
  } else if (node == TP_NODE_FAULT) {
    line_raw(&l, "fault\t", 6);
    line_text(&l, &r->fault_code);
    line_tab(&l);
    line_text(&l, &r->fault_string);
    line_tab(&l);
    kind = r->fault_kind != NULL ? r->fault_kind : "-";
    line_raw(&l, kind, strlen(kind));
    line_tab(&l);
    if (r->has_ips_code)
      snprintf(num, sizeof num, "%ld", (long)r->fault_ips_code);
    else
      snprintf(num, sizeof num, "-");
    line_raw(&l, num, strlen(num));
    line_tab(&l);
    line_text(&l, &r->fault_reason);
    r->emit(l.buf, l.len);
  }
  return 0;
}

void
report_config(tp_config *config, struct report *r,
              void (*emit)(const char *line, size_t len)) {
  static const tp_callbacks callbacks = {on_begin, on_end, on_field};

  r->emit = emit;
  tp_config_init(config);
  config->callbacks = &callbacks;
  config->user_data = r;
}

int
decoded_exit(tp_status status, const struct report *r) {
  if (status == TP_STOPPED)
    return EXIT_DECODED; /* --max-tasks reached: what we asked for */
  if (status != TP_OK)
    return EXIT_INVALID;
  return r->fault ? EXIT_FAULT : EXIT_DECODED;
}
