/* error_format.c -- one-line error messages without stdio, for targets
 * that have none. */
#include <string.h>

#include "internal.h"

typedef struct sink {
  char *buf;
  size_t size;
  size_t len; /* length of the full message, even past `size` */
} sink;

static void
put(sink *k, const char *s, size_t n) {
  if (k->len < k->size) {
    size_t room = k->size - 1u - k->len;
    size_t m = n < room ? n : room;
    memcpy(k->buf + k->len, s, m);
    k->buf[k->len + m] = '\0';
  }
  k->len += n;
}

static void
put_str(sink *k, const char *s) {
  put(k, s, strlen(s));
}

static void
put_uint(sink *k, uint64_t v) {
  char digits[20];
  size_t n = 0;
  do {
    digits[sizeof digits - 1u - n] = (char)('0' + (int)(v % 10u));
    v /= 10u;
    n++;
  } while (v != 0);
  put(k, digits + sizeof digits - n, n);
}

/* Control characters from the input would break the one-line promise. */
static void
put_sanitized(sink *k, const char *s) {
  for (; *s; s++) {
    char c = (unsigned char)*s < 0x20 ? ' ' : *s;
    put(k, &c, 1);
  }
}

size_t
tp_format_error(const tp_decoder *decoder, char *buf, size_t size) {
  tp_error e;
  sink k;
  k.buf = buf;
  k.size = buf == NULL ? 0u : size;
  k.len = 0;
  if (k.size > 0)
    buf[0] = '\0';
  /* Never an empty message: a caller printing it after a failed call
   * must not print a blank. */
  if (tp_get_error(decoder, &e) == TP_OK) {
    put_str(&k, tp_strerror(TP_OK));
    return k.len;
  }
  if (e.status == TP_ERR_ARGUMENT || e.status == TP_ERR_STATE) {
    /* About the call, not the input: no position to give. */
    put_str(&k, tp_strerror(e.status));
    return k.len;
  }
  put_uint(&k, e.line);
  put(&k, ":", 1);
  put_uint(&k, e.column);
  put(&k, ": ", 2);
  put_str(&k, tp_strerror(e.status));
  if (e.has_field) {
    put(&k, " in ", 4);
    put_str(&k, tp_node_name(tp_field_scope(e.field)));
    put(&k, ".", 1);
    put_str(&k, tp_field_name(e.field));
  }
  if (e.detail[0] != '\0') {
    if (e.has_field) {
      put(&k, ": '", 3);
      put_sanitized(&k, e.detail);
      put(&k, "'", 1);
    } else {
      put(&k, ": ", 2);
      put_sanitized(&k, e.detail);
    }
  } else if (e.has_field &&
             (e.status == TP_ERR_BAD_INT || e.status == TP_ERR_BAD_DOUBLE ||
              e.status == TP_ERR_BAD_DATETIME)) {
    put_str(&k, ": empty");
  }
  put(&k, " (byte ", 7);
  put_uint(&k, e.byte_offset);
  put(&k, ")", 1);
  return k.len;
}
