/* request.c -- the request writer on the target and on the host: writes a
 * fixed set of getActiveJobs requests into files, so that mcu/check.sh can
 * compare the target's bytes with the host's. Part of fw.elf (fw.c calls
 * fw_write_requests after the tpdump runs, its peak stack measured per
 * writer); built for the host with -DFW_HOST, where it is the program
 *   request OUTDIR
 * and writes the same files from the host's library.
 *
 * For request N (from 0) it writes OUTDIR/request-N.write (tp_request_write
 * into a buffer with room for the whole request), OUTDIR/request-N.cut
 * (the same into CUT_SIZE bytes: the prefix and its NUL), and
 * OUTDIR/request-N.stream (the pieces tp_request_stream hands over from a
 * PIECE_SIZE-byte buffer, each after its length on a line of its own), and
 * a line to OUTDIR/requests:
 *   N CHECK BAD_FIELD WRITE LENGTH STREAM STREAM_LENGTH PIECES
 * (statuses as numbers, "-" for no bad field). On the host, each request
 * written is first checked to be exactly the one asked for, with the test
 * suite's request check (tests/request_check.c); the target's bytes must
 * equal the host's, so they are checked too, and the firmware (whose
 * sizes are measured) carries none of the check's code. */
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "taskprogress.h"

#ifdef FW_HOST
#include <stdio.h>

#include "request_check.h"

/* The host does not measure stack (the target's figures are the ones that
 * matter). */
#define FW_MEASURE_STACK(used, call)                                           \
  do {                                                                         \
    call;                                                                      \
    *(used) = 0;                                                               \
  } while (0)
int fw_write_requests(const char *outdir, size_t stack[3]);

static request_checker *checker;

/* 0 when the len bytes at xml are exactly request n, r, as asked. */
static int
check_request(const tp_request *r, unsigned n, const char *xml, size_t len) {
  const char *why = request_checker_run(checker, r, xml, len);
  if (why == NULL)
    return 0;
  fprintf(stderr, "request %u is not the one asked for: %s\n", n, why);
  return -1;
}
#else
#include "fw.h"
#include "stack.h"
#endif

/* Small enough that every request takes several pieces, as on a target
 * that sends from a small TX buffer. */
#define PIECE_SIZE 32u
#define CUT_SIZE 100u
#define MAX_REQUEST 1024u

/* The requests: the defaults with credentials that need escaping; every
 * member set, SOAP 1.2, multi-byte UTF-8; the unversioned namespace; and
 * two that must be refused. */
static void
make_request(tp_request *r, unsigned n) {
  tp_request_init(r);
  switch (n) {
  case 0:
    r->user = "ips@example.com";
    r->password = "p&ss<w>rd]]>'\"\r\n\tend";
    r->company_handle = "c|1234";
    break;
  case 1:
    r->soap_version = TP_SOAP_12;
    r->api_version = "2014-04-03";
    r->user = "ips@example.com";
    r->password = "s3cret";
    r->access_token = "tok";
    r->saml_response = "PHNhbWw+";
    r->locale = "de-DE";
    r->app_name = "fw";
    r->app_version = "1.0";
    r->gzip_response = TP_BOOL_TRUE;
    r->has_fault_http_status_code = 1;
    r->fault_http_status_code = 200;
    r->company_handle = "c|1234";
    r->job_handle = "j|5678";
    /* "Frühling €.pdf", then U+1D11E (four bytes) */
    r->original_name = "Fr\xc3\xbchling \xe2\x82\xac.pdf \xf0\x9d\x84\x9e";
    r->include_waiting_jobs = TP_BOOL_FALSE;
    break;
  case 2:
    r->api_version = "";
    r->gzip_response = TP_BOOL_FALSE;
    r->include_waiting_jobs = TP_BOOL_TRUE;
    r->has_fault_http_status_code = 1;
    r->fault_http_status_code = 599;
    r->original_name = "";
    break;
  case 3:
    r->password = "\xc0\xaf"; /* an overlong '/' */
    break;
  default:
    r->soap_version = (tp_soap_version)2;
    break;
  }
}

#define NREQUESTS 5u

/* The stream's pieces as they came, and their lengths: the callback only
 * copies, as a sink into a transmit FIFO would, so that the stack measured
 * is the writer's. */
typedef struct sink {
  char bytes[MAX_REQUEST];
  size_t len;
  size_t lengths[MAX_REQUEST / PIECE_SIZE + 1u];
  size_t count;
  int overflow;
} sink;

/* The buffers, on the stack of fw_write_requests while it runs rather
 * than in .bss: newlib's malloc rounds the heap it takes to 4 KiB pages
 * from where .bss ends, so growing .bss would change the heap figure of
 * the tpdump runs. */
typedef struct work {
  char request[MAX_REQUEST];
  char cut[CUT_SIZE];
  char piece[PIECE_SIZE];
  sink pieces;
} work;

static int
keep_piece(void *user_data, const char *bytes, size_t length) {
  sink *k = user_data;
  if (length > sizeof k->bytes - k->len ||
      k->count == sizeof k->lengths / sizeof k->lengths[0]) {
    k->overflow = 1;
    return 1;
  }
  memcpy(k->bytes + k->len, bytes, length);
  k->len += length;
  k->lengths[k->count++] = length;
  return 0;
}

/* Decimal, without printf (newlib-nano has none worth linking). */
static size_t
decimal(char *out, unsigned long v) {
  char tmp[24];
  size_t n = 0, i;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (i = 0; i < n; i++)
    out[i] = tmp[n - 1 - i];
  return n;
}

/* Opens OUTDIR/NAME[N]EXT for writing (n == -1: no number). */
static int
create(const char *outdir, const char *name, unsigned n, const char *ext) {
  char path[512];
  size_t d = strlen(outdir), k = strlen(name), e = strlen(ext);
  if (d + k + e + 26 > sizeof path)
    return -1;
  memcpy(path, outdir, d);
  path[d++] = '/';
  memcpy(path + d, name, k);
  d += k;
  if (n != (unsigned)-1)
    d += decimal(path + d, n);
  memcpy(path + d, ext, e + 1);
  return open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
}

static int
put(int fd, const char *bytes, size_t len) {
  return len == 0 || write(fd, bytes, len) == (ssize_t)len ? 0 : -1;
}

/* Writes " V" (or "V" first on the line). */
static int
put_number(int fd, unsigned long v, int first) {
  char buf[24];
  size_t n = 0;
  if (!first)
    buf[n++] = ' ';
  n += decimal(buf + n, v);
  return put(fd, buf, n);
}

static int
write_file(const char *outdir, unsigned n, const char *ext, const char *bytes,
           size_t len) {
  int fd = create(outdir, "request-", n, ext), rc;
  if (fd < 0)
    return -1;
  rc = put(fd, bytes, len);
  return close(fd) == 0 ? rc : -1;
}

/* The pieces, each after its length on a line of its own, so that the
 * file shows where the stream cut. */
static int
write_pieces(const char *outdir, unsigned n, const sink *k) {
  int fd = create(outdir, "request-", n, ".stream"), rc = 0;
  size_t i, from = 0;
  if (fd < 0)
    return -1;
  for (i = 0; i < k->count && rc == 0; i++) {
    rc = put_number(fd, k->lengths[i], 1);
    if (rc == 0)
      rc = put(fd, "\n", 1);
    if (rc == 0)
      rc = put(fd, k->bytes + from, k->lengths[i]);
    from += k->lengths[i];
  }
  return close(fd) == 0 ? rc : -1;
}

/* Writes request n's files and its line of OUTDIR/requests (open as
 * `table`), maxing stack[0..2]. */
static int
one_request(const char *outdir, int table, unsigned n, work *w,
            size_t stack[3]) {
  tp_request r;
  const char *bad = NULL;
  size_t len = 0, cut_len = 0, stream_len = 0, s;
  tp_status check_st, write_st, stream_st;
  int rc = 0;

  make_request(&r, n);
  FW_MEASURE_STACK(&s, check_st = tp_request_check(&r, &bad));
  stack[0] = s > stack[0] ? s : stack[0];
  memset(w->request, 0, sizeof w->request);
  FW_MEASURE_STACK(
      &s, write_st = tp_request_write(&r, w->request, sizeof w->request, &len));
  stack[1] = s > stack[1] ? s : stack[1];
  (void)tp_request_write(&r, w->cut, sizeof w->cut, &cut_len);
  memset(&w->pieces, 0, sizeof w->pieces);
  FW_MEASURE_STACK(
      &s, stream_st = tp_request_stream(&r, w->piece, sizeof w->piece,
                                        keep_piece, &w->pieces, &stream_len));
  stack[2] = s > stack[2] ? s : stack[2];
  if (w->pieces.overflow || len >= sizeof w->request)
    return -1;
  if (write_st == TP_OK) {
#ifdef FW_HOST
    rc = check_request(&r, n, w->request, len);
    if (rc == 0)
#endif
      rc = write_file(outdir, n, ".write", w->request, len);
    if (rc == 0)
      rc = write_file(outdir, n, ".cut", w->cut,
                      cut_len < sizeof w->cut ? cut_len + 1 : sizeof w->cut);
    if (rc == 0)
      rc = write_pieces(outdir, n, &w->pieces);
  }
  if (rc == 0)
    rc = put_number(table, n, 1) | put_number(table, check_st, 0) |
         put(table, " ", 1) |
         put(table, bad != NULL ? bad : "-", bad != NULL ? strlen(bad) : 1) |
         put_number(table, write_st, 0) | put_number(table, len, 0) |
         put_number(table, stream_st, 0) | put_number(table, stream_len, 0) |
         put_number(table, w->pieces.count, 0) | put(table, "\n", 1);
  return rc;
}

/* Writes every request's files and OUTDIR/requests; stack[0..2] get the
 * peak stack of tp_request_check, tp_request_write and tp_request_stream
 * (its callback, which only copies, included) over the requests. Returns
 * 0, or -1 when a file could not be written. */
int
fw_write_requests(const char *outdir, size_t stack[3]) {
  work w;
  int table = create(outdir, "requests", (unsigned)-1, "");
  int rc = table < 0 ? -1 : 0;
  unsigned n;

  stack[0] = stack[1] = stack[2] = 0;
  for (n = 0; n < NREQUESTS && rc == 0; n++)
    rc = one_request(outdir, table, n, &w, stack);
  if (table >= 0 && close(table) != 0)
    rc = -1;
  return rc;
}

#ifdef FW_HOST
int main(int argc, char **argv);

int
main(int argc, char **argv) {
  size_t stack[3];
  int rc;
  if (argc != 2)
    return 2;
  checker = request_checker_new();
  if (checker == NULL)
    return 1;
  rc = fw_write_requests(argv[1], stack);
  request_checker_free(checker);
  return rc == 0 ? 0 : 1;
}
#endif
