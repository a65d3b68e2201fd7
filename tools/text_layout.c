/* text_layout.c -- how the text renderer lays out each record as lines: a
 * job's header, a task's line with its type, bar and counts, an item's line
 * indented below, the count of those not kept, a SOAP Fault's line. A
 * record is laid out as it stands, whatever of it has arrived: a field
 * shows only when its bit is in the record's `present` mask.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "show.h"
#include "text.h"

/* Lines that are not cut get the bars of 80 columns. */
#define UNCUT_BAR_WIDTH 80

void
layout_init(struct layout *lo, size_t width, int unicode) {
  lo->width = width;
  lo->bar = (width > 0 ? width : UNCUT_BAR_WIDTH) / 4;
  if (lo->bar > 40)
    lo->bar = 40;
  lo->unicode = unicode;
}

#define HAS(record, id) (((record)->present & TP_FIELD_BIT(id)) != 0)
#define WAS_CUT(record, id) (((record)->cut & TP_FIELD_BIT(id)) != 0)
/* A string with something to show: text, or the mark of text cut away
 * (all of it, when the pool had no room left). */
#define FILLED(record, id, s) ((s)[0] != '\0' || WAS_CUT(record, id))

/* A string field; one the collector cut ends in "...". */
static void
tline_str(struct tline *l, const char *s, int cut) {
  tline_text(l, s, strlen(s));
  if (cut)
    tline_ascii(l, "...");
}

static void
tline_int(struct tline *l, int set, int32_t v, const char *suffix) {
  char buf[16];

  if (set)
    snprintf(buf, sizeof buf, "%" PRId32 "%s", v, suffix);
  else
    snprintf(buf, sizeof buf, "?");
  tline_ascii(l, buf);
}

/* "[#####.....]  50%": a fraction 0..1 fills the bar and shows as a whole
 * percentage (rounded down: 100% only when done). Anything else shows its
 * raw value: NaN (a bar of '?'), INF or above 1 (full), -INF or below 0
 * (empty); no value at all shows an empty bar and "-". */
static void
tline_bar(struct tline *l, const struct layout *lo, int set, double d) {
  static const char *const eighths[] = {"",
                                        "\xe2\x96\x8f",
                                        "\xe2\x96\x8e",
                                        "\xe2\x96\x8d",
                                        "\xe2\x96\x8c",
                                        "\xe2\x96\x8b",
                                        "\xe2\x96\x8a",
                                        "\xe2\x96\x89"};
  size_t eights = 0; /* filled eighths of a cell */
  size_t total = lo->bar * 8;
  char value[48];
  size_t i;

  if (!set || (d >= 0 && d <= 1) || isnan(d)) {
    if (set && !isnan(d))
      eights = (size_t)(d * (double)total + 1e-9);
  } else {
    eights = d > 1 ? total : 0;
  }
  if (!lo->unicode)
    eights -= eights % 8;
  tline_char(l, "[", 1);
  for (i = 0; i < lo->bar; i++) {
    size_t cell = eights >= 8 * (i + 1) ? 8
                  : eights > 8 * i      ? eights - 8 * i
                                        : 0;
    if (set && isnan(d))
      tline_char(l, "?", 1);
    else if (cell == 8)
      tline_char(l, lo->unicode ? "\xe2\x96\x88" : "#", lo->unicode ? 3 : 1);
    else if (cell > 0)
      tline_char(l, eighths[cell], 3);
    else
      tline_char(l, lo->unicode ? " " : ".", 1);
  }
  tline_char(l, "]", 1);
  if (!set) {
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
tline_short_type(struct tline *l, const char *type, int cut) {
  const char *dot = strrchr(type, '.');

  tline_str(l, dot != NULL ? dot + 1 : type, cut);
}

/* Its name (and handle). */
static void
job_name_line(struct tline *l, const tp_job_record *j) {
  int handle = HAS(j, TP_JOB_JOB_HANDLE);

  if (FILLED(j, TP_JOB_NAME, j->name)) {
    tline_str(l, j->name, WAS_CUT(j, TP_JOB_NAME));
    if (handle) {
      tline_ascii(l, " (");
      tline_str(l, j->job_handle, WAS_CUT(j, TP_JOB_JOB_HANDLE));
      tline_ascii(l, ")");
    }
  } else if (handle) {
    tline_ascii(l, "job ");
    tline_str(l, j->job_handle, WAS_CUT(j, TP_JOB_JOB_HANDLE));
  } else {
    tline_ascii(l, "job without a name or handle");
  }
}

/* State, progress and last update, those it has. */
static int
job_state_line(struct tline *l, const tp_job_record *j) {
  int parts = 0;

  tline_ascii(l, "  ");
  if (HAS(j, TP_JOB_STATE)) {
    tline_str(l, j->state, WAS_CUT(j, TP_JOB_STATE));
    parts++;
  }
  if (HAS(j, TP_JOB_PROGRESS)) {
    if (parts++ > 0)
      tline_ascii(l, ", ");
    tline_int(l, 1, j->progress, "%");
  }
  if (HAS(j, TP_JOB_LAST_PROGRESS_UPDATE)) {
    if (parts++ > 0)
      tline_ascii(l, ", ");
    tline_ascii(l, "last update ");
    tline_datetime(l, &j->last_progress_update);
  }
  return parts > 0;
}

/* Its type and who submitted it, those it has. */
static int
job_kind_line(struct tline *l, const tp_job_record *j) {
  int type = FILLED(j, TP_JOB_TYPE, j->type);
  int user = FILLED(j, TP_JOB_SUBMIT_USER_EMAIL, j->submit_user_email);

  tline_ascii(l, "  ");
  if (type)
    tline_str(l, j->type, WAS_CUT(j, TP_JOB_TYPE));
  if (type && user)
    tline_ascii(l, ", ");
  if (user) {
    tline_ascii(l, "submitted by ");
    tline_str(l, j->submit_user_email, WAS_CUT(j, TP_JOB_SUBMIT_USER_EMAIL));
  }
  return type || user;
}

int
layout_job_line(struct tline *l, const struct layout *lo,
                const tp_job_record *j, int i) {
  tline_init(l, lo->width);
  switch (i) {
  case 0:
    job_name_line(l, j);
    return 1;
  case 1:
    return job_kind_line(l, j);
  case 2:
    return job_state_line(l, j);
  case 3:
    if (!FILLED(j, TP_JOB_PROGRESS_MESSAGE, j->progress_message))
      return 0;
    tline_ascii(l, "  ");
    tline_str(l, j->progress_message, WAS_CUT(j, TP_JOB_PROGRESS_MESSAGE));
    return 1;
  default:
    return 0;
  }
}

/* The task's line with its type written whole, or (`short_type`)
 * without its package. */
static void
task_line(struct tline *l, const struct layout *lo, const tp_task_record *k,
          int short_type) {
  size_t col;

  tline_init(l, lo->width);
  tline_ascii(l, "  ");
  if (!FILLED(k, TP_TASK_TYPE, k->type))
    tline_ascii(l, "?");
  else if (short_type)
    tline_short_type(l, k->type, WAS_CUT(k, TP_TASK_TYPE));
  else
    tline_str(l, k->type, WAS_CUT(k, TP_TASK_TYPE));
  tline_ascii(l, " ");
  tline_bar(l, lo, HAS(k, TP_TASK_PROGRESS), k->progress);
  tline_ascii(l, " ");
  col = l->cols + 10;
  if (HAS(k, TP_TASK_STATE))
    tline_str(l, k->state, WAS_CUT(k, TP_TASK_STATE));
  else
    tline_ascii(l, "?");
  tline_pad(l, col);
  tline_ascii(l, "  ");
  tline_int(l, HAS(k, TP_TASK_NUM_PROCESSED), k->num_processed, "");
  tline_ascii(l, "/");
  tline_int(l, HAS(k, TP_TASK_NUM_PROCESSING), k->num_processing, "");
  tline_ascii(l, "/");
  tline_int(l, HAS(k, TP_TASK_NUM_PENDING), k->num_pending, "");
  if (FILLED(k, TP_TASK_PROGRESS_MESSAGE, k->progress_message)) {
    tline_ascii(l, "  ");
    tline_str(l, k->progress_message, WAS_CUT(k, TP_TASK_PROGRESS_MESSAGE));
  }
}

/* The type is the only name a task has, so it comes first: whole when
 * the line fits with it, else without the package, which leaves the
 * message more room. */
void
layout_task(struct tline *l, const struct layout *lo, const tp_task_record *k) {
  task_line(l, lo, k, 0);
  if (l->cut)
    task_line(l, lo, k, 1);
}

void
layout_item(struct tline *l, const struct layout *lo,
            const tp_item_record *it) {
  tline_init(l, lo->width);
  tline_ascii(l, "    ");
  tline_bar(l, lo, HAS(it, TP_ITEM_PROGRESS), it->progress);
  tline_ascii(l, " ");
  if (HAS(it, TP_ITEM_NAME))
    tline_str(l, it->name, WAS_CUT(it, TP_ITEM_NAME));
  else
    tline_ascii(l, "?");
  if (FILLED(it, TP_ITEM_PROGRESS_MESSAGE, it->progress_message)) {
    tline_ascii(l, "  ");
    tline_str(l, it->progress_message, WAS_CUT(it, TP_ITEM_PROGRESS_MESSAGE));
  }
}

void
layout_more(struct tline *l, const struct layout *lo, size_t indent, size_t n,
            const char *what) {
  char count[48];

  tline_init(l, lo->width);
  tline_pad(l, indent);
  /* U+2026 HORIZONTAL ELLIPSIS where the bars may use block characters. */
  if (lo->unicode)
    tline_char(l, "\xe2\x80\xa6", 3);
  else
    tline_ascii(l, "...");
  snprintf(count, sizeof count, " %zu more ", n);
  tline_ascii(l, count);
  tline_ascii(l, what);
  if (n != 1)
    tline_ascii(l, "s");
}

void
layout_fault(struct tline *l, const struct layout *lo,
             const tp_fault_record *f) {
  int kind = HAS(f, TP_FAULT_DETAIL_KIND);
  int code = HAS(f, TP_FAULT_IPS_CODE);
  int reason = HAS(f, TP_FAULT_IPS_REASON);
  int detail = kind || code || reason;

  tline_init(l, lo->width);
  tline_ascii(l, "SOAP Fault: ");
  if (detail) {
    tline_ascii(l, kind ? tp_fault_kind_name(f->detail_kind) : "detail");
    if (code) {
      tline_ascii(l, " ");
      tline_int(l, 1, f->ips_code, "");
    }
    if (reason) {
      tline_ascii(l, ": ");
      tline_str(l, f->ips_reason, WAS_CUT(f, TP_FAULT_IPS_REASON));
    }
    tline_ascii(l, " (");
  }
  if (HAS(f, TP_FAULT_CODE))
    tline_str(l, f->code, WAS_CUT(f, TP_FAULT_CODE));
  else
    tline_ascii(l, "?");
  if (HAS(f, TP_FAULT_STRING)) {
    tline_ascii(l, ": ");
    tline_str(l, f->string, WAS_CUT(f, TP_FAULT_STRING));
  }
  if (detail)
    tline_ascii(l, ")");
}
