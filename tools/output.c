/* output.c -- tpdump's output, shared by every format: the one buffer
 * stdout goes through, the messages to stderr, values formatted as the
 * formats print them, and the decoder's configuration for the formats
 * that take its events as they come.
 *
 * stdio is used only for snprintf into memory, so the C library never
 * allocates a FILE buffer for stdout or stderr.
 */
#define _POSIX_C_SOURCE 200809L

/* stdio.h first: newlib's inttypes.h defines PRId64 and PRIu64 only once
 * sys/types.h (which stdio.h includes) has defined the 64-bit types. */
#include <stdio.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "tpdump.h"

#define MAX_MESSAGE_PARTS 8

static char out_buf[TPDUMP_OUT_BUF];

/* ------------------------------------------------------------------------ */
/* Output                                                                   */
/* ------------------------------------------------------------------------ */

void
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

void
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

void
out_str(struct printer *p, const char *s) {
  out_bytes(p, s, strlen(s));
}

void
out_char(struct printer *p, char c) {
  out_bytes(p, &c, 1);
}

/* Messages go straight to fd 2 in one writev, so that they are not
 * interleaved with anything and need no stdio buffer. The list of parts
 * ends with NULL; "tpdump: " and a newline are added. */
void
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

/* ------------------------------------------------------------------------ */
/* Value formatting                                                         */
/* ------------------------------------------------------------------------ */

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

void
out_value(struct printer *p, const tp_field *f) {
  char value[64];
  size_t n = format_value(value, sizeof value, f);

  out_bytes(p, value, n);
}

int
is_string_field(const tp_field *f) {
  return f->type == TP_TYPE_STRING || f->type == TP_TYPE_TASK_STATE;
}

tp_status
stream_to(tp_config *cfg, const tp_callbacks *callbacks, struct printer *p) {
  tp_config_init(cfg);
  cfg->callbacks = callbacks;
  cfg->user_data = p;
  return TP_OK;
}

/* Callbacks return this: stop decoding once output cannot be written (no
 * point decoding what nobody reads) or the structure went wrong. */
int
printer_failed(const struct printer *p) {
  return p->write_errno != 0 || p->too_deep;
}
