/* trace.c -- the harnesses' shared helpers: failure, byte touching, option
 * bytes and the canonical trace recorder (see fuzz.h). */
#include "fuzz.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void
fuzz_fail(const char *what) {
  fprintf(stderr, "FUZZ FINDING: %s\n", what);
  fflush(stderr);
  abort();
}

void
fuzz_touch(const void *p, size_t n) {
  /* volatile: the reads must happen even though the sum is thrown away. */
  const volatile unsigned char *b = (const volatile unsigned char *)p;
  unsigned char sum = 0;
  size_t i;
  for (i = 0; i < n; i++)
    sum = (unsigned char)(sum ^ b[i]);
  (void)sum;
}

uint8_t
fuzz_u8(fuzz_reader *r) {
  uint8_t v;
  if (r->n == 0)
    return 0;
  v = r->p[0];
  r->p++;
  r->n--;
  return v;
}

uint16_t
fuzz_u16(fuzz_reader *r) {
  uint16_t lo = fuzz_u8(r);
  uint16_t hi = fuzz_u8(r);
  return (uint16_t)(lo | (uint16_t)(hi << 8));
}

uint32_t
fuzz_hash(const uint8_t *p, size_t n) {
  uint32_t h = 2166136261u;
  size_t i;
  for (i = 0; i < n; i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

/* ---- trace buffer ----------------------------------------------------- */

static void
append(ftrace *t, const char *s, size_t n) {
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 1024;
    while (t->len + n + 1 > cap)
      cap *= 2;
    t->buf = realloc(t->buf, cap);
    if (t->buf == NULL)
      fuzz_fail("out of memory in the trace recorder");
    t->cap = cap;
  }
  memcpy(t->buf + t->len, s, n);
  t->len += n;
  t->buf[t->len] = '\0';
}

static void appendf(ftrace *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void
appendf(ftrace *t, const char *fmt, ...) {
  char tmp[256];
  int n;
  va_list ap;
  va_start(ap, fmt);
  n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof tmp)
    fuzz_fail("trace line too long");
  append(t, tmp, (size_t)n);
}

/* One event per line whatever the text holds: escape quotes, backslashes,
 * control bytes and non-ASCII bytes. */
static void
append_escaped(ftrace *t, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\\' || c == '"' || c < 0x20 || c >= 0x7f) {
      char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
      append(t, esc, sizeof esc);
    } else {
      append(t, (const char *)&c, 1);
    }
  }
}

void
ftrace_init(ftrace *t) {
  memset(t, 0, sizeof *t);
  append(t, "", 0);
}

void
ftrace_free(ftrace *t) {
  free(t->buf);
  memset(t, 0, sizeof *t);
}

void
ftrace_clear(ftrace *t) {
  t->len = 0;
  t->buf[0] = '\0';
  t->in_string = 0;
  t->state_len = 0;
  t->calls = 0;
  t->stop_at = 0;
  t->stopped = 0;
}

void
ftrace_note(ftrace *t, const char *s) {
  append(t, s, strlen(s));
  append(t, "\n", 1);
}

/* ---- callbacks -------------------------------------------------------- */

/* Counts the call, enforces "no callback after a stop", and says whether
 * this one stops. */
static int
counted(ftrace *t) {
  if (t->stopped)
    fuzz_fail("a callback fired after one returned non-zero");
  t->calls++;
  if (t->stop_at != 0 && t->calls == t->stop_at) {
    t->stopped = 1;
    return 1;
  }
  return 0;
}

static void
no_open_string(const ftrace *t) {
  if (t->in_string)
    fuzz_fail("an event arrived inside a string field (no last fragment)");
}

static int
on_begin(void *ud, tp_node node) {
  ftrace *t = ud;
  int stop = counted(t);
  no_open_string(t);
  if (node > TP_NODE_FAULT)
    fuzz_fail("begin with an unknown node");
  appendf(t, "begin %s\n", tp_node_name(node));
  return stop;
}

static int
on_end(void *ud, tp_node node) {
  ftrace *t = ud;
  int stop = counted(t);
  no_open_string(t);
  if (node > TP_NODE_FAULT)
    fuzz_fail("end with an unknown node");
  appendf(t, "end %s\n", tp_node_name(node));
  return stop;
}

static int
is_leap(int32_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static void
check_datetime(const tp_datetime *dt) {
  static const uint8_t days[12] = {31, 28, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31};
  unsigned dim;
  if (dt->month < 1 || dt->month > 12)
    fuzz_fail("dateTime month out of range");
  dim = days[dt->month - 1];
  if (dt->month == 2 && is_leap(dt->year))
    dim = 29;
  if (dt->day < 1 || dt->day > dim)
    fuzz_fail("dateTime day out of range for its month");
  if (dt->hour > 23 || dt->minute > 59 || dt->second > 59)
    fuzz_fail("dateTime time of day out of range");
  if (dt->nanosecond > 999999999u)
    fuzz_fail("dateTime nanosecond out of range");
  if (dt->tz_minutes == TP_TZ_NONE) {
    if (dt->tz_is_z)
      fuzz_fail("dateTime 'Z' without an offset");
  } else if (dt->tz_minutes < -840 || dt->tz_minutes > 840 ||
             (dt->tz_is_z && dt->tz_minutes != 0)) {
    fuzz_fail("dateTime timezone out of range");
  }
}

static void
put_datetime(ftrace *t, const tp_datetime *dt) {
  appendf(t, "%" PRId32 "-%02u-%02uT%02u:%02u:%02u.%09" PRIu32, dt->year,
          (unsigned)dt->month, (unsigned)dt->day, (unsigned)dt->hour,
          (unsigned)dt->minute, (unsigned)dt->second, dt->nanosecond);
  if (dt->tz_minutes == TP_TZ_NONE)
    append(t, " local", 6);
  else
    appendf(t, " %+d%s", (int)dt->tz_minutes, dt->tz_is_z ? "Z" : "");
}

/* The state a taskState text must map to: the exact name, else OTHER. */
static tp_task_state
expected_state(const ftrace *t) {
  int s;
  for (s = TP_TASK_STATE_UNKNOWN; s <= TP_TASK_STATE_FAILED; s++) {
    const char *name = tp_task_state_name((tp_task_state)s);
    if (strlen(name) == t->state_len &&
        memcmp(name, t->state_text, t->state_len) == 0)
      return (tp_task_state)s;
  }
  return TP_TASK_STATE_OTHER;
}

static int
on_field(void *ud, const tp_field *f) {
  ftrace *t = ud;
  int stop = counted(t);
  const char *scope, *name;
  fuzz_touch(f, sizeof *f);
  if ((unsigned)f->id >= (unsigned)TP_FIELD_COUNT_)
    fuzz_fail("field with an unknown id");
  if (f->type != tp_field_type(f->id))
    fuzz_fail("field delivered with the wrong type");
  if (f->str == NULL)
    fuzz_fail("field with str == NULL");
  fuzz_touch(f->str, f->len);
  scope = tp_node_name(tp_field_scope(f->id));
  name = tp_field_name(f->id);

  if (f->type == TP_TYPE_STRING || f->type == TP_TYPE_TASK_STATE) {
    if (t->in_string && t->string_id != f->id)
      fuzz_fail("fragments of two string fields interleave");
    if (!t->in_string) {
      t->string_start = t->len;
      appendf(t, "%s.%s = \"", scope, name);
      t->in_string = 1;
      t->string_id = f->id;
      t->state_len = 0;
    }
    if (f->last && f->len != 0)
      fuzz_fail("the last fragment of a string is not empty");
    if (f->type == TP_TYPE_TASK_STATE) {
      size_t room = t->state_len < sizeof t->state_text
                        ? sizeof t->state_text - t->state_len
                        : 0;
      memcpy(t->state_text + (sizeof t->state_text - room), f->str,
             f->len < room ? f->len : room);
      t->state_len += f->len;
    }
    append_escaped(t, f->str, f->len);
    if (f->last) {
      append(t, "\"", 1);
      if (f->type == TP_TYPE_TASK_STATE) {
        if (f->value.task_state != expected_state(t))
          fuzz_fail("taskState value does not match its text");
        appendf(t, " state=%d", (int)f->value.task_state);
      }
      append(t, "\n", 1);
      t->in_string = 0;
    }
    return stop;
  }

  no_open_string(t);
  if (!f->last || f->len != 0)
    fuzz_fail("a typed value is not a single last call with len 0");
  appendf(t, "%s.%s = ", scope, name);
  switch (f->type) {
  case TP_TYPE_INT:
    appendf(t, "%" PRId32 "\n", f->value.i);
    break;
  case TP_TYPE_DOUBLE: {
    uint64_t bits;
    memcpy(&bits, &f->value.d, sizeof bits);
    if ((bits & 0x7ff0000000000000u) == 0x7ff0000000000000u &&
        (bits & 0x000fffffffffffffu) != 0)
      append(t, "nan\n", 4);
    else
      appendf(t, "%016" PRIx64 "\n", bits);
    break;
  }
  case TP_TYPE_DATETIME:
    check_datetime(&f->value.dt);
    put_datetime(t, &f->value.dt);
    append(t, "\n", 1);
    break;
  case TP_TYPE_FAULT_KIND:
    if (f->value.fault_kind > TP_FAULT_AUTHORIZATION)
      fuzz_fail("fault kind out of range");
    appendf(t, "%s\n", tp_fault_kind_name(f->value.fault_kind));
    break;
  case TP_TYPE_STRING:
  case TP_TYPE_TASK_STATE:
    break;
  case TP_TYPE_UNKNOWN:
    fuzz_fail("a field of type TP_TYPE_UNKNOWN was delivered");
    break;
  }
  return stop;
}

static const tp_callbacks CALLBACKS = {on_begin, on_end, on_field};

const tp_callbacks *
ftrace_callbacks(void) {
  return &CALLBACKS;
}

void
ftrace_config(tp_config *cfg, ftrace *t, unsigned flags) {
  tp_config_init(cfg);
  cfg->callbacks = ftrace_callbacks();
  cfg->user_data = t;
  cfg->flags = flags;
}

void
ftrace_drop_open_string(ftrace *t) {
  if (!t->in_string)
    return;
  t->len = t->string_start;
  t->buf[t->len] = '\0';
  t->in_string = 0;
}

void
ftrace_status(ftrace *t, const tp_decoder *d) {
  tp_error e;
  tp_status s = tp_get_error(d, &e);
  char msg[160];
  size_t full;
  if (t->in_string && s == TP_OK)
    fuzz_fail("a string field never got its last fragment");
  ftrace_drop_open_string(t);
  if (s != e.status)
    fuzz_fail("tp_get_error's status and error.status differ");
  if (memchr(e.detail, '\0', sizeof e.detail) == NULL)
    fuzz_fail("tp_error.detail is not NUL-terminated");
  full = tp_format_error(d, msg, sizeof msg);
  if (full == 0 || (s == TP_OK) != (strcmp(msg, "no error") == 0))
    fuzz_fail("tp_format_error gives no message, or the wrong one for TP_OK");
  if (full < sizeof msg && strlen(msg) != full)
    fuzz_fail("tp_format_error's length differs from the message's");
  appendf(t, "status %d %s", (int)s, tp_strerror(s));
  if (s != TP_OK && s != TP_STOPPED) {
    appendf(t, " at %lu:%lu byte %" PRIu64, e.line, e.column, e.byte_offset);
    if (e.has_field)
      appendf(t, " field %s.%s", tp_node_name(tp_field_scope(e.field)),
              tp_field_name(e.field));
    append(t, " detail \"", 9);
    append_escaped(t, e.detail, strlen(e.detail));
    append(t, "\"", 1);
  }
  append(t, "\n", 1);
}

/* Prints both traces from the first line where they part. */
static void
report_difference(const ftrace *a, const ftrace *b) {
  size_t i = 0, line = 0;
  while (i < a->len && i < b->len && a->buf[i] == b->buf[i])
    i++;
  while (i > 0 && a->buf[i - 1] != '\n')
    i--;
  {
    size_t k;
    for (k = 0; k < i; k++)
      line += a->buf[k] == '\n';
  }
  fprintf(stderr,
          "traces differ from line %zu:\n--- first:\n%.2000s\n"
          "--- second:\n%.2000s\n",
          line + 1, a->buf + i, b->buf + i);
}

void
ftrace_expect_equal(const ftrace *a, const ftrace *b, const char *what) {
  if (a->len == b->len && memcmp(a->buf, b->buf, a->len) == 0)
    return;
  report_difference(a, b);
  fuzz_fail(what);
}

void
ftrace_expect_prefix(const ftrace *prefix, const ftrace *whole,
                     const char *what) {
  if (prefix->len <= whole->len &&
      memcmp(prefix->buf, whole->buf, prefix->len) == 0)
    return;
  report_difference(prefix, whole);
  fuzz_fail(what);
}
