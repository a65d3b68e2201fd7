/* tpdump -- print what an IPS getActiveJobs SOAP response holds, decoded by
 * libtaskprogress: one JSON line per ActiveJob (or one for a SOAP Fault), a
 * trace of the decoder's callbacks, or a progress report for a person.
 *
 * tpdump never touches the heap itself: input goes through one static
 * buffer and output through another, written with write(2). stdio is used
 * only for snprintf into memory, so glibc never allocates a FILE buffer for
 * stdout or stderr. (The decoder's expat parser still allocates through the
 * memory suite; tpdump passes none, so that is the C library's.)
 *
 * Output is produced while the decoder runs; a job is never held whole, so
 * the memory used does not grow with the input. (The text format holds a
 * job's task and item lines, up to a fixed 256 KiB, to print its header
 * first.)
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#include <sys/ioctl.h> /* TIOCGWINSZ, for --format=text's width */
#endif
#include <sys/uio.h>
#include <unistd.h>

#include "taskprogress.h"

/* A microcontroller build (mcu/) defines smaller buffers. */
#ifndef TPDUMP_MAX_CHUNK
#define TPDUMP_MAX_CHUNK 1048576u
#endif
#ifndef TPDUMP_OUT_BUF
#define TPDUMP_OUT_BUF 65536u
#endif
#define MAX_CHUNK TPDUMP_MAX_CHUNK
#define DEFAULT_CHUNK (MAX_CHUNK < 65536u ? MAX_CHUNK : 65536u)
/* A job nests job > taskProgressArray > task > taskItemProgressArray >
 * item; a fault nests outer object > fault > detail. */
#define MAX_DEPTH 8
#define MAX_MESSAGE_PARTS 8

static unsigned char in_buf[MAX_CHUNK];
static char out_buf[TPDUMP_OUT_BUF];

enum format { FORMAT_JSON, FORMAT_EVENTS, FORMAT_TEXT };

struct options {
  enum format format;
  size_t chunk;
  unsigned flags;
  const char *path;  /* NULL: standard input */
  const char *label; /* how messages name the input */
  int stats;         /* --memory-stats */
};

/* One open JSON object or array. */
struct level {
  char closer;
  int has_members; /* a ',' is due before the next member */
};

/* Everything the printers need, passed to the callbacks as user_data. */
struct printer {
  size_t out_len;  /* bytes waiting in out_buf */
  int write_errno; /* first write error; output is dropped after it */
  int too_deep;    /* the decoder nested deeper than a response can */
  uint64_t fed;    /* bytes handed to tp_feed so far, this chunk included */
  int fault_seen;
  enum format format;
  /* json */
  int in_string;   /* a string value's opening quote has been written */
  int detail_open; /* the fault's "detail" object is the innermost */
  int depth;
  struct level stack[MAX_DEPTH];
};

/* ------------------------------------------------------------------------ */
/* Output                                                                   */
/* ------------------------------------------------------------------------ */

static void
out_flush(struct printer *p) {
  size_t done = 0;

  while (done < p->out_len && p->write_errno == 0) {
    ssize_t n = write(STDOUT_FILENO, out_buf + done, p->out_len - done);
    if (n > 0)
      done += (size_t)n;
    else if (n == 0)
      p->write_errno = EIO; /* no progress: retrying would spin */
    else if (errno != EINTR)
      p->write_errno = errno;
  }
  p->out_len = 0;
}

static void
out_bytes(struct printer *p, const char *s, size_t n) {
  while (n > 0) {
    size_t room = sizeof out_buf - p->out_len;
    size_t k;

    if (room == 0) {
      out_flush(p);
      room = sizeof out_buf;
    }
    k = n < room ? n : room;
    memcpy(out_buf + p->out_len, s, k);
    p->out_len += k;
    s += k;
    n -= k;
  }
}

static void
out_str(struct printer *p, const char *s) {
  out_bytes(p, s, strlen(s));
}

static void
out_char(struct printer *p, char c) {
  out_bytes(p, &c, 1);
}

/* The body of a JSON string, without the quotes. Bytes >= 0x80 pass
 * through: the library delivers valid UTF-8. */
static void
out_json_text(struct printer *p, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t start = 0;
  size_t i;

  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char esc[7] = {'\\', 'u', '0', '0', 0, 0, 0};
    size_t esc_len = 2;

    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    switch (c) {
    case '"':
      esc[1] = '"';
      break;
    case '\\':
      esc[1] = '\\';
      break;
    case '\n':
      esc[1] = 'n';
      break;
    case '\t':
      esc[1] = 't';
      break;
    case '\r':
      esc[1] = 'r';
      break;
    case '\b':
      esc[1] = 'b';
      break;
    case '\f':
      esc[1] = 'f';
      break;
    default:
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 0xf];
      esc_len = 6;
      break;
    }
    out_bytes(p, s + start, i - start);
    out_bytes(p, esc, esc_len);
    start = i + 1;
  }
  out_bytes(p, s + start, n - start);
}

/* Messages go straight to fd 2 in one writev, so that they are not
 * interleaved with anything and need no stdio buffer. The list of parts
 * ends with NULL; "tpdump: " and a newline are added. */
static void
complain(const char *first, ...) {
  struct iovec iov[MAX_MESSAGE_PARTS + 2];
  int n = 0;
  const char *s;
  va_list ap;

  iov[n].iov_base = (void *)(uintptr_t) "tpdump: ";
  iov[n++].iov_len = 8;
  va_start(ap, first);
  for (s = first; s != NULL && n <= MAX_MESSAGE_PARTS;
       s = va_arg(ap, const char *)) {
    iov[n].iov_base = (void *)(uintptr_t)s;
    iov[n++].iov_len = strlen(s);
  }
  va_end(ap);
  iov[n].iov_base = (void *)(uintptr_t) "\n";
  iov[n++].iov_len = 1;
  /* Nothing sensible is left to do when stderr itself fails. */
  (void)!writev(STDERR_FILENO, iov, n);
}

/* Follows every usage error's message; returns the exit status for it. */
static int
usage_hint(void) {
  static const char hint[] = "Try 'tpdump --help' for more information.\n";
  (void)!write(STDERR_FILENO, hint, sizeof hint - 1);
  return 2;
}

/* ------------------------------------------------------------------------ */
/* Value formatting                                                         */
/* ------------------------------------------------------------------------ */

/* Writes `d` as Python's repr(float) does, so that the output is the same
 * whatever produced it and reads back to the same double: the fewest
 * significant digits that round-trip, positional for decimal exponents
 * -4..15 and scientific otherwise. The non-finite values, which JSON lacks,
 * become the xsd:double spellings as JSON strings. */
static size_t
format_double(char *buf, size_t size, double d) {
  char sci[40];
  char digits[20];
  size_t nd = 0;
  size_t len = 0;
  const char *s;
  double mag;
  long exp10;
  int prec;

  if (isnan(d))
    return (size_t)snprintf(buf, size, "\"NaN\"");
  if (isinf(d))
    return (size_t)snprintf(buf, size, d < 0 ? "\"-INF\"" : "\"INF\"");
  mag = signbit(d) ? -d : d;
  /* %.16e always round-trips, so the loop ends with a usable `sci`. */
  for (prec = 0; prec <= 16; prec++) {
    snprintf(sci, sizeof sci, "%.*e", prec, mag);
    if (strtod(sci, NULL) == mag)
      break;
  }
  for (s = sci; *s != 'e'; s++)
    if (*s != '.')
      digits[nd++] = *s;
  exp10 = strtol(s + 1, NULL, 10);
  while (nd > 1 && digits[nd - 1] == '0')
    nd--;
  if (signbit(d))
    buf[len++] = '-';
  if (exp10 >= -4 && exp10 <= 15) {
    if (exp10 < 0) {
      long z;
      buf[len++] = '0';
      buf[len++] = '.';
      for (z = -1; z > exp10; z--)
        buf[len++] = '0';
      memcpy(buf + len, digits, nd);
      len += nd;
    } else {
      size_t int_digits = (size_t)exp10 + 1;
      size_t i;
      for (i = 0; i < int_digits; i++)
        buf[len++] = i < nd ? digits[i] : '0';
      buf[len++] = '.';
      if (nd > int_digits) {
        memcpy(buf + len, digits + int_digits, nd - int_digits);
        len += nd - int_digits;
      } else {
        buf[len++] = '0';
      }
    }
    buf[len] = '\0';
    return len;
  }
  buf[len++] = digits[0];
  if (nd > 1) {
    buf[len++] = '.';
    memcpy(buf + len, digits + 1, nd - 1);
    len += nd - 1;
  }
  buf[len] = '\0';
  return len + (size_t)snprintf(buf + len, size - len, "e%c%02ld",
                                exp10 < 0 ? '-' : '+',
                                exp10 < 0 ? -exp10 : exp10);
}

/* The dateTime as written (no conversion to UTC), as a JSON string. */
static size_t
format_datetime(char *buf, size_t size, const tp_datetime *dt) {
  int64_t year = dt->year;
  size_t len;
  int n;

  n = snprintf(buf, size, "\"%s%04" PRId64 "-%02u-%02uT%02u:%02u:%02u",
               year < 0 ? "-" : "", year < 0 ? -year : year,
               (unsigned)dt->month, (unsigned)dt->day, (unsigned)dt->hour,
               (unsigned)dt->minute, (unsigned)dt->second);
  len = (size_t)n;
  if (dt->nanosecond != 0) {
    char frac[16];
    size_t fl =
        (size_t)snprintf(frac, sizeof frac, "%09" PRIu32, dt->nanosecond);
    while (fl > 0 && frac[fl - 1] == '0')
      fl--;
    frac[fl] = '\0';
    len += (size_t)snprintf(buf + len, size - len, ".%s", frac);
  }
  if (dt->tz_is_z) {
    len += (size_t)snprintf(buf + len, size - len, "Z");
  } else if (dt->tz_minutes != TP_TZ_NONE) {
    int tz = dt->tz_minutes;
    int a = tz < 0 ? -tz : tz;
    len += (size_t)snprintf(buf + len, size - len, "%c%02d:%02d",
                            tz < 0 ? '-' : '+', a / 60, a % 60);
  }
  len += (size_t)snprintf(buf + len, size - len, "\"");
  return len;
}

/* A typed (non-string) field's value as JSON. */
static size_t
format_value(char *buf, size_t size, const tp_field *f) {
  switch (f->type) {
  case TP_TYPE_INT:
    return (size_t)snprintf(buf, size, "%" PRId32, f->value.i);
  case TP_TYPE_DOUBLE:
    return format_double(buf, size, f->value.d);
  case TP_TYPE_DATETIME:
    return format_datetime(buf, size, &f->value.dt);
  case TP_TYPE_FAULT_KIND:
    return (size_t)snprintf(buf, size, "\"%s\"",
                            tp_fault_kind_name(f->value.fault_kind));
  case TP_TYPE_STRING:
  case TP_TYPE_TASK_STATE:
  default:
    break;
  }
  return (size_t)snprintf(buf, size, "null");
}

static int
is_string_field(const tp_field *f) {
  return f->type == TP_TYPE_STRING || f->type == TP_TYPE_TASK_STATE;
}

/* Callbacks return this: stop decoding once output cannot be written (no
 * point decoding what nobody reads) or the structure went wrong. */
static int
printer_failed(const struct printer *p) {
  return p->write_errno != 0 || p->too_deep;
}

/* ------------------------------------------------------------------------ */
/* JSON printer                                                             */
/* ------------------------------------------------------------------------ */

static void
json_separator(struct printer *p) {
  if (p->depth == 0)
    return;
  if (p->stack[p->depth - 1].has_members)
    out_char(p, ',');
  p->stack[p->depth - 1].has_members = 1;
}

static void
json_key(struct printer *p, const char *key) {
  json_separator(p);
  out_char(p, '"');
  out_str(p, key);
  out_str(p, "\":");
}

static void
json_push(struct printer *p, char opener) {
  if (p->depth == MAX_DEPTH) {
    p->too_deep = 1;
    return;
  }
  out_char(p, opener);
  p->stack[p->depth].closer = opener == '{' ? '}' : ']';
  p->stack[p->depth].has_members = 0;
  p->depth++;
}

static void
json_pop(struct printer *p) {
  if (p->depth == 0)
    return;
  p->depth--;
  out_char(p, p->stack[p->depth].closer);
}

/* Ends the current line: a job or fault is complete, or decoding failed. */
static void
json_close_all(struct printer *p) {
  int had_any = p->depth > 0;

  while (p->depth > 0)
    json_pop(p);
  p->detail_open = 0;
  if (had_any)
    out_char(p, '\n');
}

/* Decoding stopped mid-record: keep stdout valid JSON lines and mark the
 * record that lost its tail. The mark goes on the line's top-level object
 * (the job, or the fault's outer object), where a reader looks for it, not
 * on whichever task or item happened to be open. */
static void
json_abandon(struct printer *p) {
  if (p->in_string) {
    out_char(p, '"');
    p->in_string = 0;
  }
  while (p->depth > 1)
    json_pop(p);
  if (p->depth > 0) {
    json_key(p, "incomplete");
    out_str(p, "true");
  }
  json_close_all(p);
}

static int
json_begin(void *user_data, tp_node node) {
  struct printer *p = user_data;

  switch (node) {
  case TP_NODE_JOB:
    json_push(p, '{');
    break;
  case TP_NODE_TASK_ARRAY:
  case TP_NODE_ITEM_ARRAY:
    json_key(p, tp_node_name(node));
    json_push(p, '[');
    break;
  case TP_NODE_TASK:
  case TP_NODE_ITEM:
    json_separator(p);
    json_push(p, '{');
    break;
  case TP_NODE_FAULT:
    p->fault_seen = 1;
    json_push(p, '{');
    json_key(p, "fault");
    json_push(p, '{');
    break;
  case TP_NODE_JOB_ARRAY:
  default:
    break;
  }
  return printer_failed(p);
}

static int
json_end(void *user_data, tp_node node) {
  struct printer *p = user_data;

  switch (node) {
  case TP_NODE_JOB:
  case TP_NODE_FAULT:
    json_close_all(p);
    break;
  case TP_NODE_TASK_ARRAY:
  case TP_NODE_ITEM_ARRAY:
  case TP_NODE_TASK:
  case TP_NODE_ITEM:
    json_pop(p);
    break;
  case TP_NODE_JOB_ARRAY:
  default:
    break;
  }
  return printer_failed(p);
}

static void
json_open_detail(struct printer *p) {
  json_key(p, "detail");
  json_push(p, '{');
  p->detail_open = 1;
}

/* The fault's detail is not a node of its own: the detail kind opens it,
 * and it lasts until the fault ends. */
static void
json_fault_placement(struct printer *p, tp_field_id id) {
  if (id == TP_FAULT_DETAIL_KIND) {
    if (p->detail_open)
      json_pop(p);
    json_open_detail(p);
  } else if ((id == TP_FAULT_IPS_CODE || id == TP_FAULT_IPS_REASON) &&
             !p->detail_open) {
    /* A detail whose kind went unreported still gets its own object. */
    json_open_detail(p);
  }
}

static int
json_field(void *user_data, const tp_field *f) {
  struct printer *p = user_data;

  if (is_string_field(f)) {
    if (!p->in_string) {
      json_fault_placement(p, f->id);
      json_key(p, tp_field_name(f->id));
      out_char(p, '"');
      p->in_string = 1;
    }
    out_json_text(p, f->str, f->len);
    if (f->last) {
      out_char(p, '"');
      p->in_string = 0;
    }
  } else {
    char value[64];
    size_t n = format_value(value, sizeof value, f);
    json_fault_placement(p, f->id);
    json_key(p, tp_field_name(f->id));
    out_bytes(p, value, n);
  }
  return printer_failed(p);
}

/* ------------------------------------------------------------------------ */
/* Events printer                                                           */
/* ------------------------------------------------------------------------ */

static int
is_array_node(tp_node node) {
  return node == TP_NODE_JOB_ARRAY || node == TP_NODE_TASK_ARRAY ||
         node == TP_NODE_ITEM_ARRAY;
}

/* "OFFSET<TAB>SCOPE.NAME" */
static void
events_head(struct printer *p, const char *scope, const char *name) {
  char offset[24];
  int n = snprintf(offset, sizeof offset, "%" PRIu64 "\t", p->fed);

  out_bytes(p, offset, (size_t)n);
  out_str(p, scope);
  out_char(p, '.');
  out_str(p, name);
}

static int
events_node(struct printer *p, tp_node node, const char *what) {
  if (!is_array_node(node)) {
    events_head(p, tp_node_name(node), what);
    out_char(p, '\n');
  }
  return printer_failed(p);
}

static int
events_begin(void *user_data, tp_node node) {
  struct printer *p = user_data;

  if (node == TP_NODE_FAULT)
    p->fault_seen = 1;
  return events_node(p, node, "begin");
}

static int
events_end(void *user_data, tp_node node) {
  return events_node(user_data, node, "end");
}

static int
events_field(void *user_data, const tp_field *f) {
  struct printer *p = user_data;

  events_head(p, tp_node_name(tp_field_scope(f->id)), tp_field_name(f->id));
  if (is_string_field(f)) {
    /* "+" marks a fragment still to be continued, so a reader can join
     * them without knowing the field types. */
    if (!f->last)
      out_char(p, '+');
    out_str(p, "\t\"");
    out_json_text(p, f->str, f->len);
    out_char(p, '"');
  } else {
    char value[64];
    size_t n = format_value(value, sizeof value, f);
    out_char(p, '\t');
    out_bytes(p, value, n);
  }
  out_char(p, '\n');
  return printer_failed(p);
}

/* ------------------------------------------------------------------------ */
/* Text printer                                                             */
/* ------------------------------------------------------------------------ */

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
  case TP_NODE_JOB_ARRAY:
  case TP_NODE_TASK_ARRAY:
  case TP_NODE_ITEM_ARRAY:
  default:
    break;
  }
  return printer_failed(p);
}

static int
text_end(void *user_data, tp_node node) {
  struct printer *p = user_data;
  struct text *t = &text_state;
  struct tline l;

  switch (node) {
  case TP_NODE_JOB:
    text_end_job(p, t);
    break;
  case TP_NODE_TASK:
    text_end_task(p, t);
    break;
  case TP_NODE_ITEM:
    text_item_line(t, &l);
    text_emit(p, t, &l);
    t->in_item = 0;
    break;
  case TP_NODE_FAULT:
    text_block_start(p, t);
    text_fault_line(t, &l);
    text_write_line(p, &l);
    t->in_fault = 0;
    break;
  case TP_NODE_JOB_ARRAY:
  case TP_NODE_TASK_ARRAY:
  case TP_NODE_ITEM_ARRAY:
  default:
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
  struct tline l;

  if (t->in_item) {
    text_item_line(t, &l);
    text_emit(p, t, &l);
    t->in_item = 0;
  }
  if (t->in_task)
    text_end_task(p, t);
  if (t->in_job) {
    text_end_job(p, t);
    out_str(p, "  (incomplete: decoding stopped here)\n");
  }
  if (t->in_fault) {
    text_block_start(p, t);
    text_fault_line(t, &l);
    tline_ascii(&l, " (incomplete)");
    text_write_line(p, &l);
    t->in_fault = 0;
  }
}

static int
text_open(void) {
  const struct text *t = &text_state;
  return t->in_job || t->in_task || t->in_item || t->in_fault;
}

static const tp_callbacks json_callbacks = {json_begin, json_end, json_field};
static const tp_callbacks events_callbacks = {events_begin, events_end,
                                              events_field};
static const tp_callbacks text_callbacks = {text_begin, text_end, text_field};

/* ------------------------------------------------------------------------ */
/* Options                                                                  */
/* ------------------------------------------------------------------------ */

static const char usage_text[] =
    "Usage: tpdump [--format=json|events|text] [--chunk-size=N] [--prompt]\n"
    "              [--memory-stats] [FILE]\n"
    "Decode an Adobe Scene7/IPS getActiveJobs SOAP response with\n"
    "libtaskprogress and print what it holds. FILE absent or '-' reads\n"
    "standard input.\n"
    "\n"
    "  --format=json     one compact JSON object per ActiveJob, or one\n"
    "                    {\"fault\":{...}} line for a SOAP Fault (the "
    "default)\n"
    "  --format=events   one line per decoder callback, as it fires:\n"
    "                    OFFSET<TAB>NAME[<TAB>VALUE], where OFFSET counts the\n"
    "                    input bytes fed so far and NAME is job.begin,\n"
    "                    task.end, item.progress, fault.code, ...; a string\n"
    "                    fragment that is not the last prints NAME+. Array\n"
    "                    nodes (jobArray, taskProgressArray,\n"
    "                    taskItemProgressArray) are not printed.\n"
    "  --format=text     a progress report to read: for each job its name,\n"
    "                    state, progress and last update, then one line per\n"
    "                    task: [bar] percent, state, counts as\n"
    "                    processed/processing/pending, message; its items\n"
    "                    indented below it. A SOAP Fault is one line. Lines\n"
    "                    are cut to COLUMNS (or the terminal's width, else\n"
    "                    80) with \"...\"; the bars are ASCII unless standard\n"
    "                    output is a UTF-8 terminal\n"
    "  --chunk-size=N    feed the decoder exactly N bytes at a time\n"
    "                    (1..1048576, default 65536)\n"
    "  --prompt          prompt mode (TP_FLAG_PROMPT): every callback fires\n"
    "                    as soon as the '>' completing its tag is fed\n"
    "  --memory-stats    print the arena's size and high-water mark to\n"
    "                    stderr at the end (tpdump decodes in a static\n"
    "                    24 KiB block and uses no heap)\n"
    "  --help            print this help and exit\n"
    "  --version         print the version and exit\n"
    "\n"
    "Exit status: 0 the response was decoded, 3 it is a SOAP Fault, 1 it is\n"
    "not a valid response (the error goes to stderr as FILE:LINE:COLUMN:),\n"
    "2 usage or I/O error.\n";

/* --help and --version: their output must reach stdout for the exit status
 * to be 0. */
static int
print_and_exit_status(const char *a, const char *b, const char *c) {
  struct printer p;

  memset(&p, 0, sizeof p);
  out_str(&p, a);
  out_str(&p, b);
  out_str(&p, c);
  out_flush(&p);
  if (p.write_errno != 0) {
    complain("write error: ", strerror(p.write_errno), NULL);
    return 2;
  }
  return 0;
}

/* 1..MAX_CHUNK in plain decimal, or 0 when the text is anything else. */
static size_t
parse_chunk_size(const char *s) {
  size_t v = 0;

  if (*s == '\0')
    return 0;
  for (; *s != '\0'; s++) {
    if (*s < '0' || *s > '9')
      return 0;
    v = v * 10 + (size_t)(*s - '0');
    if (v > MAX_CHUNK)
      return 0;
  }
  return v;
}

/* Matches "--name=VALUE" and "--name VALUE" (consuming the next
 * argument). Returns 1 and sets *value, 0 when `argv[*i]` is another
 * option, -1 (after a message) when the value is missing. */
static int
option_value(int argc, char **argv, int *i, const char *name,
             const char **value) {
  const char *arg = argv[*i];
  size_t n = strlen(name);

  if (strncmp(arg, name, n) != 0)
    return 0;
  if (arg[n] == '=') {
    *value = arg + n + 1;
    return 1;
  }
  if (arg[n] != '\0')
    return 0;
  if (*i + 1 >= argc) {
    complain("option '", name, "' requires an argument", NULL);
    return -1;
  }
  *value = argv[++*i];
  return 1;
}

/* Returns -1 to go on, else the exit status (help, version, usage error). */
static int
parse_options(int argc, char **argv, struct options *o) {
  int only_files = 0;
  int have_file = 0;
  int i;
  /* Every field, so that none is read uninitialised (--memory-stats was). */
  static const struct options defaults = {
      .format = FORMAT_JSON, .chunk = DEFAULT_CHUNK, .label = "<stdin>"};

  *o = defaults;
  for (i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char *value = NULL;
    int r;

    if (only_files || arg[0] != '-' || arg[1] == '\0') {
      if (have_file) {
        complain("extra operand '", arg, "': only one FILE is read", NULL);
        return usage_hint();
      }
      have_file = 1;
      /* "-" is standard input, and messages call it <stdin>. */
      if (strcmp(arg, "-") != 0) {
        o->path = arg;
        o->label = arg;
      }
      continue;
    }
    if (strcmp(arg, "--") == 0) {
      only_files = 1;
    } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      return print_and_exit_status(usage_text, "", "");
    } else if (strcmp(arg, "--version") == 0) {
      return print_and_exit_status("tpdump (libtaskprogress) ", tp_version(),
                                   "\n");
    } else if (strcmp(arg, "--memory-stats") == 0) {
      o->stats = 1;
    } else if (strcmp(arg, "--prompt") == 0) {
      o->flags |= TP_FLAG_PROMPT;
    } else if ((r = option_value(argc, argv, &i, "--format", &value)) != 0) {
      if (r < 0)
        return usage_hint();
      if (strcmp(value, "json") == 0) {
        o->format = FORMAT_JSON;
      } else if (strcmp(value, "events") == 0) {
        o->format = FORMAT_EVENTS;
      } else if (strcmp(value, "text") == 0) {
        o->format = FORMAT_TEXT;
      } else {
        complain("invalid format '", value, "' (expected json, events or text)",
                 NULL);
        return usage_hint();
      }
    } else if ((r = option_value(argc, argv, &i, "--chunk-size", &value)) !=
               0) {
      if (r < 0)
        return usage_hint();
      o->chunk = parse_chunk_size(value);
      if (o->chunk == 0) {
        complain("invalid chunk size '", value, "' (expected 1..1048576)",
                 NULL);
        return usage_hint();
      }
    } else {
      complain("unknown option '", arg, "'", NULL);
      return usage_hint();
    }
  }
  return -1;
}

/* ------------------------------------------------------------------------ */
/* Reading and decoding                                                     */
/* ------------------------------------------------------------------------ */

/* Fills buf with n bytes unless the input ends first, so that every feed
 * but the last has exactly n bytes and event offsets do not depend on how
 * the pipe or file delivered the data. Returns 0 or an errno value. */
static int
read_full(int fd, unsigned char *buf, size_t n, size_t *got) {
  *got = 0;
  while (*got < n) {
    ssize_t r = read(fd, buf + *got, n - *got);
    if (r > 0)
      *got += (size_t)r;
    else if (r == 0)
      break;
    else if (errno != EINTR)
      return errno;
  }
  return 0;
}

/* Feeds the whole input. Returns the decoder's final status, or sets
 * *read_errno and returns TP_OK when the input could not be read. */
static tp_status
feed_all(int fd, const struct options *o, struct printer *p, tp_decoder *dec,
         int *read_errno) {
  tp_status st = TP_OK;

  *read_errno = 0;
  for (;;) {
    size_t got;
    /* What is decoded so far reaches the reader before we wait for more. */
    if (p->out_len > 0)
      out_flush(p);
    *read_errno = read_full(fd, in_buf, o->chunk, &got);
    if (*read_errno != 0)
      return TP_OK;
    if (got > 0) {
      p->fed += got;
      st = tp_feed(dec, in_buf, got);
      if (st != TP_OK)
        return st;
    }
    if (got < o->chunk)
      break;
  }
  return tp_finish(dec);
}

/* Turns the outcome into the exit status, with the matching message. */
static int
report(const struct options *o, struct printer *p, const tp_decoder *dec,
       tp_status st, int read_errno) {
  int status;

  if (read_errno == 0 && st == TP_OK && p->depth == 0 && !p->in_string &&
      !(p->format == FORMAT_TEXT && text_open())) {
    out_flush(p);
    status = p->fault_seen ? 3 : 0;
  } else {
    if (p->format == FORMAT_TEXT)
      text_abandon(p);
    else
      json_abandon(p);
    out_flush(p);
    status = 2;
    if (read_errno != 0) {
      complain(o->label, ": ", strerror(read_errno), NULL);
    } else if (p->write_errno != 0) {
      /* reported below */
    } else if (p->too_deep) {
      complain(o->label, ": records nested deeper than a response can", NULL);
    } else if (st == TP_OK) {
      complain(o->label, ": the decoder ended inside a record", NULL);
      status = 1;
    } else {
      char msg[256];
      tp_format_error(dec, msg, sizeof msg);
      complain(o->label, ":", msg, NULL);
      status = 1;
    }
  }
  if (p->write_errno != 0) {
    complain("write error: ", strerror(p->write_errno), NULL);
    status = 2;
  }
  return status;
}

/* The decoder and expat's arena in static storage, 24 KiB in all: tpdump
 * uses no heap (tests/tpdump_zero_heap.sh checks it with valgrind). */
static struct {
  tp_decoder decoder;
  unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];
} memory;

static void
print_memory_stats(const tp_decoder *dec) {
  tp_memory_stats ms;
  char line[160];
  int n;
  if (tp_get_memory_stats(dec, &ms) != TP_OK)
    return;
  n = snprintf(line, sizeof line,
               "arena %zu bytes, high water %zu, in use %zu, "
               "%lu allocations, %lu refused",
               ms.arena_size, ms.high_water, ms.in_use, ms.allocations,
               ms.failures);
  if (n > 0)
    complain(line, NULL);
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

static int
run(const struct options *o) {
  struct printer p;
  tp_decoder *dec = &memory.decoder;
  tp_config cfg;
  tp_status st;
  int fd = STDIN_FILENO;
  int read_errno;
  int status;

  if (o->path != NULL) {
    fd = open(o->path, O_RDONLY);
    if (fd < 0) {
      complain(o->label, ": ", strerror(errno), NULL);
      return 2;
    }
  }
  memset(&p, 0, sizeof p);
  p.format = o->format;
  if (o->format == FORMAT_TEXT)
    text_setup();
  tp_config_init(&cfg);
  cfg.callbacks = o->format == FORMAT_EVENTS ? &events_callbacks
                  : o->format == FORMAT_TEXT ? &text_callbacks
                                             : &json_callbacks;
  cfg.user_data = &p;
  cfg.flags = o->flags;
  cfg.arena = memory.arena;
  cfg.arena_size = sizeof memory.arena;
  st = tp_init(dec, &cfg);
  if (st != TP_OK) {
    complain("cannot create the decoder: ", tp_strerror(st), NULL);
    if (fd != STDIN_FILENO)
      close(fd);
    return 2;
  }
  st = feed_all(fd, o, &p, dec, &read_errno);
  status = report(o, &p, dec, st, read_errno);
  if (o->stats)
    print_memory_stats(dec);
  tp_release(dec);
  if (fd != STDIN_FILENO)
    close(fd);
  return status;
}

int
main(int argc, char **argv) {
  struct options o;
  int status = parse_options(argc, argv, &o);

  if (status >= 0)
    return status;
  return run(&o);
}
