/* recorder.c -- see recorder.h. Test code: it may use the heap and stdio. */
#include "recorder.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int
counted(recorder *r) {
  if (r->stop_at != 0 && r->calls >= r->stop_at) {
    r->calls_after_stop++;
    return 1;
  }
  r->calls++;
  return r->stop_at != 0 && r->calls == r->stop_at;
}

static void
check_no_open_string(recorder *r) {
  if (r->in_string) {
    r->violations++;
    append(r, "VIOLATION: string not closed\n", 29);
    r->in_string = 0;
  }
}

static int
on_begin(void *ud, tp_node node) {
  recorder *r = ud;
  int stop = counted(r);
  check_no_open_string(r);
  appendf(r, "begin %s\n", tp_node_name(node));
  return stop;
}

static int
on_end(void *ud, tp_node node) {
  recorder *r = ud;
  int stop = counted(r);
  check_no_open_string(r);
  appendf(r, "end %s\n", tp_node_name(node));
  return stop;
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

static int
on_field(void *ud, const tp_field *f) {
  recorder *r = ud;
  int stop = counted(r);
  const char *scope = tp_node_name(tp_field_scope(f->id));
  if (f->type != tp_field_type(f->id))
    r->violations++;
  if (f->str == NULL)
    r->violations++;
  if (f->type == TP_TYPE_STRING || f->type == TP_TYPE_TASK_STATE) {
    if (r->in_string && r->string_id != f->id) {
      r->violations++;
      append(r, "VIOLATION: interleaved strings\n", 31);
    }
    if (!r->in_string) {
      appendf(r, "%s.%s = \"", scope, tp_field_name(f->id));
      r->in_string = 1;
      r->string_id = f->id;
    }
    if (f->last && f->len != 0)
      r->violations++;
    append_escaped(r, f->str, f->len);
    if (f->last) {
      append(r, "\"", 1);
      if (f->type == TP_TYPE_TASK_STATE)
        appendf(r, " state=%d", (int)f->value.task_state);
      append(r, "\n", 1);
      r->in_string = 0;
    }
    return stop;
  }
  check_no_open_string(r);
  if (!f->last || f->len != 0)
    r->violations++;
  appendf(r, "%s.%s = ", scope, tp_field_name(f->id));
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
    break;
  case TP_TYPE_FAULT_KIND:
    appendf(r, "%s\n", tp_fault_kind_name(f->value.fault_kind));
    break;
  case TP_TYPE_STRING:
  case TP_TYPE_TASK_STATE:
    break;
  case TP_TYPE_UNKNOWN: /* never delivered */
    r->violations++;
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
rec_status(recorder *r, tp_decoder *d) {
  tp_error e;
  tp_status s = tp_get_error(d, &e);
  appendf(r, "status %s", tp_strerror(s));
  if (s != TP_OK && s != TP_STOPPED) {
    appendf(r, " at %lu:%lu byte %" PRIu64, e.line, e.column, e.byte_offset);
    if (e.has_field)
      appendf(r, " field %s.%s", tp_node_name(tp_field_scope(e.field)),
              tp_field_name(e.field));
    if (e.detail[0])
      appendf(r, " '%s'", e.detail);
  }
  append(r, "\n", 1);
}

static tp_status
restart_with(recorder *r, tp_decoder *d, unsigned flags, void *arena,
             size_t arena_size) {
  tp_config cfg;
  r->len = 0;
  r->buf[0] = '\0';
  r->in_string = 0;
  r->calls = 0;
  r->calls_after_stop = 0;
  r->violations = 0;
  tp_config_init(&cfg);
  cfg.callbacks = rec_callbacks();
  cfg.user_data = r;
  cfg.flags = flags;
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
  tp_status s = TP_OK;
  size_t off = 0;
  if (chunk == 0)
    chunk = len ? len : 1;
  while (off < len && s == TP_OK) {
    size_t n = len - off < chunk ? len - off : chunk;
    s = tp_feed(d, data + off, n);
    off += n;
  }
  return tp_finish(d);
}

tp_status
rec_decode(recorder *r, const char *data, size_t len, size_t chunk,
           unsigned flags) {
  tp_decoder d;
  tp_status s;
  restart(r, &d, flags);
  s = feed_chunks(&d, data, len, chunk);
  rec_status(r, &d);
  tp_release(&d);
  return s;
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

char *
read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t cap = 0, n = 0;
  if (f == NULL)
    return NULL;
  for (;;) {
    size_t got;
    if (n + 65536 + 1 > cap) {
      cap = cap ? cap * 2 : 65536 * 2;
      buf = realloc(buf, cap);
      if (buf == NULL)
        abort();
    }
    got = fread(buf + n, 1, 65536, f);
    n += got;
    if (got == 0)
      break;
  }
  fclose(f);
  buf[n] = '\0';
  *len = n;
  return buf;
}

char *
read_test_data(const char *name, size_t *len) {
  char path[1024];
  const char *dir = getenv("TP_TEST_DATA");
  snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/data", name);
  return read_file(path, len);
}
