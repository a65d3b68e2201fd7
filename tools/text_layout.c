/* text_layout.c -- how the text format lays out each record as lines: a
 * job's header, a task's line with its bar and counts, an item's line
 * indented below, a SOAP Fault's line. A record is laid out as it stands,
 * whatever of it has arrived.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tpdump.h"
#include "text.h"

void
layout_init(struct layout *lo, size_t width, int unicode) {
  lo->width = width;
  lo->bar = width / 4;
  if (lo->bar > 40)
    lo->bar = 40;
  lo->unicode = unicode;
}

static void
tline_str(struct tline *l, const struct tstr *t) {
  tline_text(l, t->s, t->len);
  if (t->cut)
    tline_ascii(l, "...");
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
tline_bar(struct tline *l, const struct layout *lo, const struct tnum *v) {
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
  size_t total = lo->bar * 8;
  char value[48];
  size_t i;

  if (!v->set || (d >= 0 && d <= 1) || isnan(d)) {
    if (v->set && !isnan(d))
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
    if (v->set && isnan(d))
      tline_char(l, "?", 1);
    else if (cell == 8)
      tline_char(l, lo->unicode ? "\xe2\x96\x88" : "#", lo->unicode ? 3 : 1);
    else if (cell > 0)
      tline_char(l, eighths[cell], 3);
    else
      tline_char(l, lo->unicode ? " " : ".", 1);
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

/* Its name (and handle). */
static void
job_name_line(struct tline *l, const struct tjob *j, const char *note) {
  if (j->name.set && j->name.len > 0) {
    tline_str(l, &j->name);
    if (j->handle.set) {
      tline_ascii(l, " (");
      tline_str(l, &j->handle);
      tline_ascii(l, ")");
    }
  } else if (j->handle.set) {
    tline_ascii(l, "job ");
    tline_str(l, &j->handle);
  } else {
    tline_ascii(l, "job without a name or handle");
  }
  tline_ascii(l, note);
}

/* State, progress and last update, those it has. */
static int
job_state_line(struct tline *l, const struct tjob *j) {
  int parts = 0;

  tline_ascii(l, "  ");
  if (j->state.set) {
    tline_str(l, &j->state);
    parts++;
  }
  if (j->progress.set) {
    if (parts++ > 0)
      tline_ascii(l, ", ");
    tline_int(l, &j->progress, "%");
  }
  if (j->has_update) {
    if (parts++ > 0)
      tline_ascii(l, ", ");
    tline_ascii(l, "last update ");
    tline_datetime(l, &j->update);
  }
  return parts > 0;
}

int
layout_job_line(struct tline *l, const struct layout *lo, const struct tjob *j,
                int i, const char *note) {
  tline_init(l, lo->width);
  switch (i) {
  case 0:
    job_name_line(l, j, note);
    return 1;
  case 1:
    return job_state_line(l, j);
  case 2:
    if (!j->message.set || j->message.len == 0)
      return 0;
    tline_ascii(l, "  ");
    tline_str(l, &j->message);
    return 1;
  default:
    return 0;
  }
}

void
layout_task(struct tline *l, const struct layout *lo, const struct ttask *k) {
  size_t col;

  tline_init(l, lo->width);
  tline_ascii(l, "  ");
  tline_bar(l, lo, &k->progress);
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

void
layout_item(struct tline *l, const struct layout *lo, const struct titem *it) {
  tline_init(l, lo->width);
  tline_ascii(l, "    ");
  tline_bar(l, lo, &it->progress);
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

void
layout_fault(struct tline *l, const struct layout *lo, const struct tfault *f) {
  int detail = f->has_kind || f->ips_code.set || f->reason.set;

  tline_init(l, lo->width);
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
