/* tpdump -- print what an IPS getActiveJobs SOAP response holds, decoded by
 * libtaskprogress: one JSON line per ActiveJob (or one for a SOAP Fault), or
 * a trace of the decoder's callbacks.
 *
 * tpdump never touches the heap itself: input goes through one static
 * buffer and output through another, written with write(2). stdio is used
 * only for snprintf into memory, so glibc never allocates a FILE buffer for
 * stdout or stderr. (The decoder's expat parser still allocates through the
 * memory suite; tpdump passes none, so that is the C library's.)
 *
 * Output is produced while the decoder runs; a job is never held whole, so
 * the memory used does not grow with the input.
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

enum format { FORMAT_JSON, FORMAT_EVENTS };

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
out_flush(struct printer *p)
{
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
out_bytes(struct printer *p, const char *s, size_t n)
{
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
out_str(struct printer *p, const char *s)
{
  out_bytes(p, s, strlen(s));
}

static void
out_char(struct printer *p, char c)
{
  out_bytes(p, &c, 1);
}

/* The body of a JSON string, without the quotes. Bytes >= 0x80 pass
 * through: the library delivers valid UTF-8. */
static void
out_json_text(struct printer *p, const char *s, size_t n)
{
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
    case '"': esc[1] = '"'; break;
    case '\\': esc[1] = '\\'; break;
    case '\n': esc[1] = 'n'; break;
    case '\t': esc[1] = 't'; break;
    case '\r': esc[1] = 'r'; break;
    case '\b': esc[1] = 'b'; break;
    case '\f': esc[1] = 'f'; break;
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
complain(const char *first, ...)
{
  struct iovec iov[MAX_MESSAGE_PARTS + 2];
  int n = 0;
  const char *s;
  va_list ap;

  iov[n].iov_base = (void *)(uintptr_t) "tpdump: ";
  iov[n++].iov_len = 8;
  va_start(ap, first);
  for (s = first; s != NULL && n <= MAX_MESSAGE_PARTS; s = va_arg(ap, const char *)) {
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
usage_hint(void)
{
  static const char hint[] =
    "Try 'tpdump --help' for more information.\n";
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
format_double(char *buf, size_t size, double d)
{
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
format_datetime(char *buf, size_t size, const tp_datetime *dt)
{
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
    size_t fl = (size_t)snprintf(frac, sizeof frac, "%09" PRIu32,
                                 dt->nanosecond);
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
format_value(char *buf, size_t size, const tp_field *f)
{
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
is_string_field(const tp_field *f)
{
  return f->type == TP_TYPE_STRING || f->type == TP_TYPE_TASK_STATE;
}

/* Callbacks return this: stop decoding once output cannot be written (no
 * point decoding what nobody reads) or the structure went wrong. */
static int
printer_failed(const struct printer *p)
{
  return p->write_errno != 0 || p->too_deep;
}

/* ------------------------------------------------------------------------ */
/* JSON printer                                                             */
/* ------------------------------------------------------------------------ */

static void
json_separator(struct printer *p)
{
  if (p->depth == 0)
    return;
  if (p->stack[p->depth - 1].has_members)
    out_char(p, ',');
  p->stack[p->depth - 1].has_members = 1;
}

static void
json_key(struct printer *p, const char *key)
{
  json_separator(p);
  out_char(p, '"');
  out_str(p, key);
  out_str(p, "\":");
}

static void
json_push(struct printer *p, char opener)
{
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
json_pop(struct printer *p)
{
  if (p->depth == 0)
    return;
  p->depth--;
  out_char(p, p->stack[p->depth].closer);
}

/* Ends the current line: a job or fault is complete, or decoding failed. */
static void
json_close_all(struct printer *p)
{
  int had_any = p->depth > 0;

  while (p->depth > 0)
    json_pop(p);
  p->detail_open = 0;
  if (had_any)
    out_char(p, '\n');
}

/* Decoding stopped mid-record: keep stdout valid JSON lines and mark the
 * record that lost its tail. */
static void
json_abandon(struct printer *p)
{
  if (p->in_string) {
    out_char(p, '"');
    p->in_string = 0;
  }
  while (p->depth > 0 && p->stack[p->depth - 1].closer == ']')
    json_pop(p);
  if (p->depth > 0) {
    json_key(p, "incomplete");
    out_str(p, "true");
  }
  json_close_all(p);
}

static int
json_begin(void *user_data, tp_node node)
{
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
json_end(void *user_data, tp_node node)
{
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
json_open_detail(struct printer *p)
{
  json_key(p, "detail");
  json_push(p, '{');
  p->detail_open = 1;
}

/* The fault's detail is not a node of its own: the detail kind opens it,
 * and it lasts until the fault ends. */
static void
json_fault_placement(struct printer *p, tp_field_id id)
{
  if (id == TP_FAULT_DETAIL_KIND) {
    if (p->detail_open)
      json_pop(p);
    json_open_detail(p);
  } else if ((id == TP_FAULT_IPS_CODE || id == TP_FAULT_IPS_REASON)
             && !p->detail_open) {
    /* A detail whose kind went unreported still gets its own object. */
    json_open_detail(p);
  }
}

static int
json_field(void *user_data, const tp_field *f)
{
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
is_array_node(tp_node node)
{
  return node == TP_NODE_JOB_ARRAY || node == TP_NODE_TASK_ARRAY
         || node == TP_NODE_ITEM_ARRAY;
}

/* "OFFSET<TAB>SCOPE.NAME" */
static void
events_head(struct printer *p, const char *scope, const char *name)
{
  char offset[24];
  int n = snprintf(offset, sizeof offset, "%" PRIu64 "\t", p->fed);

  out_bytes(p, offset, (size_t)n);
  out_str(p, scope);
  out_char(p, '.');
  out_str(p, name);
}

static int
events_node(struct printer *p, tp_node node, const char *what)
{
  if (!is_array_node(node)) {
    events_head(p, tp_node_name(node), what);
    out_char(p, '\n');
  }
  return printer_failed(p);
}

static int
events_begin(void *user_data, tp_node node)
{
  struct printer *p = user_data;

  if (node == TP_NODE_FAULT)
    p->fault_seen = 1;
  return events_node(p, node, "begin");
}

static int
events_end(void *user_data, tp_node node)
{
  return events_node(user_data, node, "end");
}

static int
events_field(void *user_data, const tp_field *f)
{
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

static const tp_callbacks json_callbacks = {json_begin, json_end, json_field};
static const tp_callbacks events_callbacks = {events_begin, events_end,
                                              events_field};

/* ------------------------------------------------------------------------ */
/* Options                                                                  */
/* ------------------------------------------------------------------------ */

static const char usage_text[] =
  "Usage: tpdump [--format=json|events] [--chunk-size=N] [--prompt] [FILE]\n"
  "Decode an Adobe Scene7/IPS getActiveJobs SOAP response with\n"
  "libtaskprogress and print what it holds. FILE absent or '-' reads\n"
  "standard input.\n"
  "\n"
  "  --format=json     one compact JSON object per ActiveJob, or one\n"
  "                    {\"fault\":{...}} line for a SOAP Fault (the default)\n"
  "  --format=events   one line per decoder callback, as it fires:\n"
  "                    OFFSET<TAB>NAME[<TAB>VALUE], where OFFSET counts the\n"
  "                    input bytes fed so far and NAME is job.begin,\n"
  "                    task.end, item.progress, fault.code, ...; a string\n"
  "                    fragment that is not the last prints NAME+. Array\n"
  "                    nodes (jobArray, taskProgressArray,\n"
  "                    taskItemProgressArray) are not printed.\n"
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
print_and_exit_status(const char *a, const char *b, const char *c)
{
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
parse_chunk_size(const char *s)
{
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
             const char **value)
{
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
parse_options(int argc, char **argv, struct options *o)
{
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
      } else {
        complain("invalid format '", value, "' (expected json or events)",
                 NULL);
        return usage_hint();
      }
    } else if ((r = option_value(argc, argv, &i, "--chunk-size", &value))
               != 0) {
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
read_full(int fd, unsigned char *buf, size_t n, size_t *got)
{
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
feed_all(int fd, const struct options *o, struct printer *p,
         tp_decoder *dec, int *read_errno)
{
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
       tp_status st, int read_errno)
{
  int status;

  if (read_errno == 0 && st == TP_OK && p->depth == 0 && !p->in_string) {
    out_flush(p);
    status = p->fault_seen ? 3 : 0;
  } else {
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
print_memory_stats(const tp_decoder *dec)
{
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

static int
run(const struct options *o)
{
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
  tp_config_init(&cfg);
  cfg.callbacks =
    o->format == FORMAT_EVENTS ? &events_callbacks : &json_callbacks;
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
main(int argc, char **argv)
{
  struct options o;
  int status = parse_options(argc, argv, &o);

  if (status >= 0)
    return status;
  return run(&o);
}
