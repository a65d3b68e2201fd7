/* recorder.c -- see recorder.h. */
#include "recorder.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void
append(recorder *r, const char *s, size_t n) {
  if (r->len + n + 1 > r->cap) {
    size_t cap = r->cap ? r->cap : 4096;
    while (r->len + n + 1 > cap)
      cap *= 2;
    r->buf = realloc(r->buf, cap);
    if (r->buf == NULL)
      abort();
    r->cap = cap;
  }
  memcpy(r->buf + r->len, s, n);
  r->len += n;
  r->buf[r->len] = '\0';
}

static void appendf(recorder *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void
appendf(recorder *r, const char *fmt, ...) {
  char tmp[512];
  int n;
  va_list ap;
  va_start(ap, fmt);
  n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof tmp)
    abort();
  append(r, tmp, (size_t)n);
}

/* Escapes so that a trace stays one event per line. */
static void
append_escaped(recorder *r, const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\\' || c == '"')
      appendf(r, "\\%c", c);
    else if (c < 0x20)
      appendf(r, "\\x%02x", c);
    else
      append(r, (const char *)&c, 1);
  }
}

/* Counts a broken contract rule, says which in the trace (so that a test
 * comparing traces shows it), and lets the fuzz harnesses stop there. */
static void
violation(recorder *r, const char *what) {
  r->violations++;
  appendf(r, "VIOLATION: %s\n", what);
  if (r->on_violation != NULL)
    r->on_violation(what);
}

/* Reads every byte of [p, p+n): under ASan a bad length or a dangling
 * pointer is reported at the callback that received it. */
static void
touch(const void *p, size_t n) {
  /* volatile: the reads must happen even though the sum is thrown away. */
  const volatile unsigned char *b = (const volatile unsigned char *)p;
  unsigned char sum = 0;
  size_t i;
  for (i = 0; i < n; i++)
    sum = (unsigned char)(sum ^ b[i]);
  (void)sum;
}

void
rec_init(recorder *r) {
  memset(r, 0, sizeof *r);
  append(r, "", 0);
}

void
rec_free(recorder *r) {
  free(r->buf);
  memset(r, 0, sizeof *r);
}

void
rec_clear(recorder *r) {
  r->len = 0;
  r->buf[0] = '\0';
  r->in_string = 0;
  r->state_len = 0;
  r->calls = 0;
  r->calls_after_stop = 0;
  r->violations = 0;
}

void
rec_note(recorder *r, const char *s) {
  append(r, s, strlen(s));
  append(r, "\n", 1);
}

static int
counted(recorder *r) {
  if (r->stop_at != 0 && r->calls >= r->stop_at) {
    r->calls_after_stop++;
    violation(r, "a callback fired after one returned non-zero");
    return 1;
  }
  r->calls++;
  return r->stop_at != 0 && r->calls == r->stop_at;
}

static void
check_no_open_string(recorder *r) {
  if (r->in_string) {
    r->in_string = 0;
    violation(r, "an event arrived inside a string field (no last fragment)");
  }
}

static int
on_node(recorder *r, const char *event, tp_node node) {
  int stop = counted(r);
  check_no_open_string(r);
  if ((unsigned)node > (unsigned)TP_NODE_FAULT)
    violation(r, "begin or end with an unknown node");
  else
    appendf(r, "%s %s\n", event, tp_node_name(node));
  return stop;
}

static int
on_begin(void *ud, tp_node node) {
  return on_node(ud, "begin", node);
}

static int
on_end(void *ud, tp_node node) {
  return on_node(ud, "end", node);
}

static int
is_leap(int32_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static void
check_datetime(recorder *r, const tp_datetime *dt) {
  static const uint8_t days[12] = {31, 28, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31};
  unsigned dim;
  if (dt->month < 1 || dt->month > 12) {
    violation(r, "dateTime month out of range");
    return;
  }
  dim = days[dt->month - 1];
  if (dt->month == 2 && is_leap(dt->year))
    dim = 29;
  if (dt->day < 1 || dt->day > dim)
    violation(r, "dateTime day out of range for its month");
  if (dt->hour > 23 || dt->minute > 59 || dt->second > 59)
    violation(r, "dateTime time of day out of range");
  if (dt->nanosecond > 999999999u)
    violation(r, "dateTime nanosecond out of range");
  if (dt->tz_minutes == TP_TZ_NONE) {
    if (dt->tz_is_z)
      violation(r, "dateTime 'Z' without an offset");
  } else if (dt->tz_minutes < -840 || dt->tz_minutes > 840 ||
             (dt->tz_is_z && dt->tz_minutes != 0)) {
    violation(r, "dateTime timezone out of range");
  }
}

static void
put_datetime(recorder *r, const tp_datetime *dt) {
  appendf(r, "%" PRId32 "-%02u-%02u %02u:%02u:%02u.%09" PRIu32, dt->year,
          dt->month, dt->day, dt->hour, dt->minute, dt->second, dt->nanosecond);
  if (dt->tz_minutes == TP_TZ_NONE)
    append(r, " local", 6);
  else
    appendf(r, " %+d%s", dt->tz_minutes, dt->tz_is_z ? "Z" : "");
}

/* The state a taskState text must map to: the exact name, else OTHER. */
static tp_task_state
expected_state(const recorder *r) {
  int s;
  for (s = TP_TASK_STATE_UNKNOWN; s <= TP_TASK_STATE_FAILED; s++) {
    const char *name = tp_task_state_name((tp_task_state)s);
    if (strlen(name) == r->state_len &&
        memcmp(name, r->state_text, r->state_len) == 0)
      return (tp_task_state)s;
  }
  return TP_TASK_STATE_OTHER;
}

static void
string_fragment(recorder *r, const tp_field *f, const char *scope,
                const char *name) {
  if (r->in_string && r->string_id != f->id) {
    r->in_string = 0;
    violation(r, "fragments of two string fields interleave");
  }
  if (!r->in_string) {
    r->string_start = r->len;
    appendf(r, "%s.%s = \"", scope, name);
    r->in_string = 1;
    r->string_id = f->id;
    r->state_len = 0;
  }
  if (f->last && f->len != 0)
    violation(r, "the last fragment of a string is not empty");
  if (f->type == TP_TYPE_TASK_STATE) {
    size_t room = r->state_len < sizeof r->state_text
                      ? sizeof r->state_text - r->state_len
                      : 0;
    memcpy(r->state_text + (sizeof r->state_text - room), f->str,
           f->len < room ? f->len : room);
    r->state_len += f->len;
  }
  append_escaped(r, f->str, f->len);
  if (f->last) {
    append(r, "\"", 1);
    if (f->type == TP_TYPE_TASK_STATE) {
      appendf(r, " state=%d", (int)f->value.task_state);
      if (f->value.task_state != expected_state(r)) {
        append(r, "\n", 1);
        r->in_string = 0;
        violation(r, "taskState value does not match its text");
        return;
      }
    }
    append(r, "\n", 1);
    r->in_string = 0;
  }
}

static int
on_field(void *ud, const tp_field *f) {
  recorder *r = ud;
  int stop = counted(r);
  const char *scope, *name;
  touch(f, sizeof *f);
  if ((unsigned)f->id >= (unsigned)TP_FIELD_COUNT_) {
    violation(r, "field with an unknown id");
    return stop;
  }
  if (f->type != tp_field_type(f->id))
    violation(r, "field delivered with the wrong type");
  if (f->str == NULL) {
    violation(r, "field with str == NULL");
    return stop;
  }
  touch(f->str, f->len);
  scope = tp_node_name(tp_field_scope(f->id));
  name = tp_field_name(f->id);
  if (f->type == TP_TYPE_STRING || f->type == TP_TYPE_TASK_STATE) {
    string_fragment(r, f, scope, name);
    return stop;
  }
  check_no_open_string(r);
  if (!f->last || f->len != 0)
    violation(r, "a typed value is not a single last call with len 0");
  appendf(r, "%s.%s = ", scope, name);
  switch (f->type) {
  case TP_TYPE_INT:
    appendf(r, "%" PRId32 "\n", f->value.i);
    break;
  case TP_TYPE_DOUBLE:
    appendf(r, "%a\n", f->value.d);
    break;
  case TP_TYPE_DATETIME:
    put_datetime(r, &f->value.dt);
    append(r, "\n", 1);
    check_datetime(r, &f->value.dt);
    break;
  case TP_TYPE_FAULT_KIND:
    appendf(r, "%s\n", tp_fault_kind_name(f->value.fault_kind));
    if ((unsigned)f->value.fault_kind > (unsigned)TP_FAULT_AUTHORIZATION)
      violation(r, "fault kind out of range");
    break;
  case TP_TYPE_STRING:
  case TP_TYPE_TASK_STATE:
    break;
  case TP_TYPE_UNKNOWN: /* never delivered */
    append(r, "\n", 1);
    violation(r, "a field of type TP_TYPE_UNKNOWN was delivered");
    break;
  }
  return stop;
}

static const tp_callbacks CALLBACKS = {on_begin, on_end, on_field};

const tp_callbacks *
rec_callbacks(void) {
  return &CALLBACKS;
}

void
rec_config(tp_config *cfg, recorder *r, unsigned flags) {
  tp_config_init(cfg);
  cfg->callbacks = rec_callbacks();
  cfg->user_data = r;
  cfg->flags = flags;
}

void
rec_drop_open_string(recorder *r) {
  if (!r->in_string)
    return;
  r->len = r->string_start;
  r->buf[r->len] = '\0';
  r->in_string = 0;
}

/* What tp_get_error and tp_format_error say must agree with each other. */
static void
check_error_report(recorder *r, const tp_decoder *d, const tp_error *e,
                   tp_status s) {
  char msg[160];
  size_t full;
  if (s != e->status)
    violation(r, "tp_get_error's status and error.status differ");
  if (memchr(e->detail, '\0', sizeof e->detail) == NULL)
    violation(r, "tp_error.detail is not NUL-terminated");
  if (strcmp(tp_strerror(s), "unknown status") == 0)
    violation(r, "a status outside tp_status");
  full = tp_format_error(d, msg, sizeof msg);
  if (full == 0 || (s == TP_OK) != (strcmp(msg, "no error") == 0))
    violation(r, "tp_format_error gives no message, or the wrong one for "
                 "TP_OK");
  if (full < sizeof msg && strlen(msg) != full)
    violation(r, "tp_format_error's length differs from the message's");
}

void
rec_status(recorder *r, const tp_decoder *d) {
  tp_error e;
  tp_status s = tp_get_error(d, &e);
  if (r->in_string && s == TP_OK) {
    r->in_string = 0;
    violation(r, "a string field never got its last fragment");
  }
  rec_drop_open_string(r);
  appendf(r, "status %s", tp_strerror(s));
  if (s != TP_OK && s != TP_STOPPED) {
    appendf(r, " at %lu:%lu byte %" PRIu64, e.line, e.column, e.byte_offset);
    if (e.has_field)
      appendf(r, " field %s.%s", tp_node_name(tp_field_scope(e.field)),
              tp_field_name(e.field));
    if (e.detail[0]) {
      const char *end = memchr(e.detail, '\0', sizeof e.detail);
      append(r, " '", 2);
      append_escaped(r, e.detail,
                     end ? (size_t)(end - e.detail) : sizeof e.detail);
      append(r, "'", 1);
    }
  }
  append(r, "\n", 1);
  check_error_report(r, d, &e, s);
}

static tp_status
restart_with(recorder *r, tp_decoder *d, unsigned flags, void *arena,
             size_t arena_size) {
  tp_config cfg;
  rec_clear(r);
  rec_config(&cfg, r, flags);
  cfg.arena = arena;
  cfg.arena_size = arena_size;
  return tp_init(d, &cfg);
}

static void
restart(recorder *r, tp_decoder *d, unsigned flags) {
  if (restart_with(r, d, flags, NULL, 0) != TP_OK)
    abort();
}

/* Feeds in chunks (0: all at once) and finishes. */
static tp_status
feed_chunks(tp_decoder *d, const char *data, size_t len, size_t chunk) {
  (void)feed_chunked(d, data, len, chunk);
  return tp_finish(d);
}

tp_status
rec_decode_arena(recorder *r, const char *data, size_t len, size_t chunk,
                 unsigned flags, void *arena, size_t arena_size,
                 tp_memory_stats *stats) {
  tp_decoder d;
  tp_status s = restart_with(r, &d, flags, arena, arena_size);
  if (s != TP_OK) {
    appendf(r, "status %s (tp_init)\n", tp_strerror(s));
    return s;
  }
  s = feed_chunks(&d, data, len, chunk);
  rec_status(r, &d);
  if (stats != NULL)
    tp_get_memory_stats(&d, stats);
  tp_release(&d);
  return s;
}

tp_status
rec_decode(recorder *r, const char *data, size_t len, size_t chunk,
           unsigned flags) {
  return rec_decode_arena(r, data, len, chunk, flags, NULL, 0, NULL);
}

tp_status
rec_decode_split(recorder *r, const char *data, size_t len, size_t split,
                 unsigned flags) {
  tp_decoder d;
  tp_status s;
  restart(r, &d, flags);
  s = tp_feed(&d, data, split);
  if (s == TP_OK)
    s = tp_feed(&d, data + split, len - split);
  s = tp_finish(&d);
  rec_status(r, &d);
  tp_release(&d);
  return s;
}

int
rec_equal(const recorder *a, const recorder *b) {
  return a->len == b->len && memcmp(a->buf, b->buf, a->len) == 0;
}

int
rec_is_prefix(const recorder *a, const recorder *b) {
  return a->len <= b->len && memcmp(a->buf, b->buf, a->len) == 0;
}

void
rec_report_difference(const recorder *a, const recorder *b) {
  size_t i = 0, k, line = 0;
  while (i < a->len && i < b->len && a->buf[i] == b->buf[i])
    i++;
  while (i > 0 && a->buf[i - 1] != '\n')
    i--;
  for (k = 0; k < i; k++)
    line += a->buf[k] == '\n';
  fprintf(stderr,
          "traces differ from line %zu:\n--- first:\n%.2000s\n"
          "--- second:\n%.2000s\n",
          line + 1, a->buf + i, b->buf + i);
}
