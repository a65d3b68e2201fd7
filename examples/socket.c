/* socket.c -- getActiveJobs over a plain POSIX socket: HTTP/1.1 parsed by
 * hand, chunked bodies de-chunked on the fly into the decoder. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include <taskprogress.h>

#include "report.h"
#include "request.h"

/* ------------------------------------------------------------------------ */
/* The URL                                                                  */
/* ------------------------------------------------------------------------ */

struct url {
  char host[256];
  char port[8];
  char path[1024];
};

/* Copies [s, e) into dst; 0 when it fits and holds no control byte or
 * space (which would let a URL inject request lines). */
static int
copy_part(char *dst, size_t size, const char *s, const char *e) {
  size_t n = (size_t)(e - s), i;

  if (n == 0 || n >= size)
    return -1;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c <= 0x20u || c == 0x7Fu)
      return -1;
  }
  memcpy(dst, s, n);
  dst[n] = '\0';
  return 0;
}

/* http://HOST[:PORT][/PATH], HOST a name, an IPv4 address or [IPv6]. Plain
 * HTTP only: real IPS endpoints want TLS, which is libcurl's business (see
 * curl.c); this one is for proxies, gateways and test servers. */
static int
parse_url(const char *s, struct url *u) {
  const char *host, *host_end, *p;

  if (strncmp(s, "http://", 7) != 0)
    return -1;
  s += 7;
  if (*s == '[') {
    host = s + 1;
    host_end = strchr(host, ']');
    if (host_end == NULL)
      return -1;
    p = host_end + 1;
  } else {
    host = s;
    host_end = s + strcspn(s, ":/?#@");
    p = host_end;
  }
  if (copy_part(u->host, sizeof u->host, host, host_end) != 0)
    return -1;
  if (*p == ':') {
    const char *port = ++p;
    while (*p >= '0' && *p <= '9')
      p++;
    if (p - port > 5 || copy_part(u->port, sizeof u->port, port, p) != 0)
      return -1;
  } else {
    snprintf(u->port, sizeof u->port, "80");
  }
  if (*p == '\0') {
    static const char root[] = "/";
    return copy_part(u->path, sizeof u->path, root, root + 1);
  }
  if (*p != '/')
    return -1;
  return copy_part(u->path, sizeof u->path, p, p + strcspn(p, "#"));
}

/* ------------------------------------------------------------------------ */
/* The connection                                                           */
/* ------------------------------------------------------------------------ */

static int
connect_to(const struct url *u) {
  struct addrinfo hints, *list, *ai;
  struct timeval timeout = {30, 0};
  int fd = -1, rc;

  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  rc = getaddrinfo(u->host, u->port, &hints, &list);
  if (rc != 0) {
    fprintf(stderr, "socket: %s: %s\n", u->host, gai_strerror(rc));
    return -1;
  }
  for (ai = list; ai != NULL; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0)
      continue;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
      break;
    close(fd);
    fd = -1;
  }
  if (fd < 0)
    fprintf(stderr, "socket: cannot connect to %s port %s: %s\n", u->host,
            u->port, strerror(errno));
  freeaddrinfo(list);
  if (fd >= 0) {
    /* A server that stops sending must not hang a poller forever. */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  }
  return fd;
}

static int
send_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    /* MSG_NOSIGNAL: a peer that hung up gives EPIPE, not a SIGPIPE that
     * would kill the process. */
    ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
    if (k < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

/* ------------------------------------------------------------------------ */
/* HTTP/1.1 response parsing: a byte-driven state machine, so that the head */
/* and the chunk framing may be split anywhere between reads, and the body  */
/* bytes go from the read buffer straight into the decoder.                 */
/* ------------------------------------------------------------------------ */

#define HEAD_MAX 65536 /* bytes of response head (and of trailers) */

enum http_state {
  H_HEAD,          /* status line and header fields */
  H_BODY,          /* Content-Length or close-delimited body */
  H_CHUNK_SIZE,    /* hex digits of a chunk size */
  H_CHUNK_EXT,     /* ";name=value" after the size: ignored */
  H_CHUNK_SIZE_LF, /* the LF after the size line's CR */
  H_CHUNK_DATA,    /* chunk bytes: into the decoder */
  H_CHUNK_DATA_CR, /* the CRLF after chunk data */
  H_CHUNK_DATA_LF,
  H_TRAILER, /* trailer fields after the last chunk: ignored */
  H_DONE
};

/* http_input() results */
enum { HTTP_MORE = 0, HTTP_DONE = 1, HTTP_BAD = -1, HTTP_DECODER = -2 };

struct http {
  enum http_state state;
  char line[256]; /* the head line being read, NUL-terminated */
  size_t line_len;
  int line_long; /* the line did not fit in `line` */
  size_t head_bytes;
  int have_status;
  int status;
  int chunked;
  int te_unsupported;
  int has_length;
  uint64_t length;
  int ce_unsupported;
  int head_done;
  uint64_t left;     /* bytes left in the chunk or Content-Length body */
  int digits;        /* of the chunk size so far */
  const char *error; /* for HTTP_BAD */
  tp_decoder *decoder;
  tp_status decode_status;
};

static int
http_fail(struct http *h, const char *why) {
  h->error = why;
  return HTTP_BAD;
}

/* Field values are trimmed of optional whitespace; names compare
 * case-insensitively. */
static int
value_is(const char *v, const char *word) {
  return strcasecmp(v, word) == 0;
}

static int
head_field(struct http *h) {
  char *colon, *v, *end;

  if (h->line[0] == ' ' || h->line[0] == '\t')
    return http_fail(h, "obsolete header line folding");
  colon = strchr(h->line, ':');
  if (colon == NULL || colon == h->line || colon[-1] == ' ' ||
      colon[-1] == '\t')
    return http_fail(h, "malformed header field");
  *colon = '\0';
  if (h->line_long) {
    /* Only a few fields matter, and none of them is long legitimately. */
    if (value_is(h->line, "Transfer-Encoding") ||
        value_is(h->line, "Content-Length") ||
        value_is(h->line, "Content-Encoding"))
      return http_fail(h, "header field too long");
    return HTTP_MORE;
  }
  v = colon + 1;
  while (*v == ' ' || *v == '\t')
    v++;
  end = v + strlen(v);
  while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
    *--end = '\0';

  if (value_is(h->line, "Transfer-Encoding")) {
    if (value_is(v, "chunked"))
      h->chunked = 1;
    else
      h->te_unsupported = 1; /* "gzip, chunked" and the like */
  } else if (value_is(h->line, "Content-Length")) {
    uint64_t n = 0;
    const char *p = v;
    if (*p == '\0')
      return http_fail(h, "empty Content-Length");
    for (; *p != '\0'; p++) {
      if (*p < '0' || *p > '9' || n > (UINT64_MAX - 9) / 10)
        return http_fail(h, "invalid Content-Length");
      n = n * 10 + (uint64_t)(*p - '0');
    }
    /* Two different lengths: a smuggling attempt or a broken proxy. */
    if (h->has_length && n != h->length)
      return http_fail(h, "conflicting Content-Length fields");
    h->has_length = 1;
    h->length = n;
  } else if (value_is(h->line, "Content-Encoding")) {
    /* We asked for identity; anything else would reach the decoder as
     * compressed bytes. */
    if (!value_is(v, "identity"))
      h->ce_unsupported = 1;
  }
  return HTTP_MORE;
}

static int
head_end(struct http *h) {
  if (!h->have_status)
    return http_fail(h, "empty status line");
  if (h->status >= 100 && h->status < 200) {
    if (h->status == 101)
      return http_fail(h, "unexpected protocol switch");
    /* An interim response (103 Early Hints, an unasked 100 Continue):
     * the real one follows. */
    h->have_status = 0;
    h->chunked = h->te_unsupported = h->has_length = h->ce_unsupported = 0;
    return HTTP_MORE;
  }
  if (h->te_unsupported)
    return http_fail(h, "unsupported Transfer-Encoding");
  if (h->ce_unsupported)
    return http_fail(h, "unsupported Content-Encoding (we asked for identity)");
  h->head_done = 1;
  if (h->status == 204 || h->status == 304) {
    h->state = H_DONE;
    return HTTP_DONE;
  }
  /* Transfer-Encoding overrides Content-Length (RFC 9112, 6.3). */
  if (h->chunked) {
    h->state = H_CHUNK_SIZE;
    h->left = 0;
    h->digits = 0;
  } else {
    h->state = H_BODY;
    h->left = h->length;
    if (h->has_length && h->left == 0) {
      h->state = H_DONE;
      return HTTP_DONE;
    }
  }
  return HTTP_MORE;
}

static int
head_line(struct http *h) {
  const char *s = h->line;

  if (h->line_len == 0 && !h->line_long)
    return head_end(h);
  if (h->have_status)
    return head_field(h);
  /* "HTTP/1.1 200 OK": the version, three digits, an optional reason. */
  if (strncmp(s, "HTTP/1.", 7) != 0 || s[7] < '0' || s[7] > '9' ||
      s[8] != ' ' || s[9] < '1' || s[9] > '5' || s[10] < '0' || s[10] > '9' ||
      s[11] < '0' || s[11] > '9' || (s[12] != ' ' && s[12] != '\0'))
    return http_fail(h, "malformed status line");
  h->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
  h->have_status = 1;
  return HTTP_MORE;
}

static int
hex_value(unsigned char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static int
http_feed(struct http *h, const unsigned char *p, size_t n) {
  h->decode_status = tp_feed(h->decoder, p, n);
  return h->decode_status == TP_OK ? HTTP_MORE : HTTP_DECODER;
}

static void
chunk_size_done(struct http *h) {
  h->digits = 0;
  h->head_bytes = 0;
  if (h->left == 0) {
    h->state = H_TRAILER;
    h->line_len = 0;
  } else {
    h->state = H_CHUNK_DATA;
  }
}

/* Consumes n bytes of the response. */
static int
http_input(struct http *h, const unsigned char *p, size_t n) {
  size_t i = 0;

  while (i < n) {
    unsigned char c;
    size_t k;
    int v, r;

    switch (h->state) {
    case H_HEAD:
      c = p[i++];
      if (++h->head_bytes > HEAD_MAX)
        return http_fail(h, "response head too large");
      if (c != '\n') {
        if (h->line_len < sizeof h->line - 1)
          h->line[h->line_len++] = (char)c;
        else
          h->line_long = 1;
        break;
      }
      if (h->line_len > 0 && h->line[h->line_len - 1] == '\r')
        h->line_len--;
      h->line[h->line_len] = '\0';
      r = head_line(h);
      h->line_len = 0;
      h->line_long = 0;
      if (r != HTTP_MORE)
        return r;
      break;

    case H_BODY:
      k = n - i;
      if (h->has_length && k > h->left)
        k = (size_t)h->left;
      if (http_feed(h, p + i, k) != HTTP_MORE)
        return HTTP_DECODER;
      i += k;
      if (h->has_length) {
        h->left -= k;
        if (h->left == 0) {
          h->state = H_DONE;
          return HTTP_DONE;
        }
      }
      break;

    case H_CHUNK_SIZE:
      c = p[i++];
      v = hex_value(c);
      if (v >= 0) {
        if (h->left > (UINT64_MAX >> 4))
          return http_fail(h, "chunk size too large");
        h->left = h->left * 16 + (uint64_t)v;
        h->digits++;
      } else if (h->digits == 0) {
        return http_fail(h, "malformed chunk size");
      } else if (c == ';' || c == ' ' || c == '\t') {
        h->state = H_CHUNK_EXT;
        h->head_bytes = 0;
      } else if (c == '\r') {
        h->state = H_CHUNK_SIZE_LF;
      } else if (c == '\n') {
        chunk_size_done(h); /* a bare LF: tolerated, as most clients do */
      } else {
        return http_fail(h, "malformed chunk size");
      }
      break;

    case H_CHUNK_EXT:
      c = p[i++];
      if (c == '\n')
        chunk_size_done(h);
      else if (++h->head_bytes > HEAD_MAX)
        return http_fail(h, "chunk extension too long");
      break;

    case H_CHUNK_SIZE_LF:
      if (p[i++] != '\n')
        return http_fail(h, "malformed chunk size line");
      chunk_size_done(h);
      break;

    case H_CHUNK_DATA:
      k = n - i;
      if (k > h->left)
        k = (size_t)h->left;
      if (http_feed(h, p + i, k) != HTTP_MORE)
        return HTTP_DECODER;
      i += k;
      h->left -= k;
      if (h->left == 0)
        h->state = H_CHUNK_DATA_CR;
      break;

    case H_CHUNK_DATA_CR:
      c = p[i++];
      if (c == '\r')
        h->state = H_CHUNK_DATA_LF;
      else if (c == '\n')
        h->state = H_CHUNK_SIZE;
      else
        return http_fail(h, "chunk data longer than its size");
      break;

    case H_CHUNK_DATA_LF:
      if (p[i++] != '\n')
        return http_fail(h, "chunk data longer than its size");
      h->state = H_CHUNK_SIZE;
      break;

    case H_TRAILER:
      c = p[i++];
      if (++h->head_bytes > HEAD_MAX)
        return http_fail(h, "trailer section too large");
      if (c == '\n') {
        if (h->line_len == 0) {
          h->state = H_DONE;
          return HTTP_DONE;
        }
        h->line_len = 0;
      } else if (c != '\r') {
        h->line_len++;
      }
      break;

    case H_DONE:
      return HTTP_DONE;
    }
  }
  return h->state == H_DONE ? HTTP_DONE : HTTP_MORE;
}

/* ------------------------------------------------------------------------ */

/* The report goes to stdout, flushed (and checked) at exit. */
static void
emit_line(const char *line, size_t len) {
  fwrite(line, 1, len, stdout);
  fputc('\n', stdout);
}

static void
print_decoder_error(const tp_decoder *decoder, const struct http *h) {
  char msg[200];

  tp_format_error(decoder, msg, sizeof msg);
  fprintf(stderr, "socket: HTTP %d: invalid response: %s\n", h->status, msg);
}

/* The request goes out through a small buffer, straight into send(): no
 * room for the whole envelope is needed. */
static int
send_piece(void *user_data, const char *bytes, size_t length) {
  return send_all(*(const int *)user_data, bytes, length);
}

/* The request line and headers: ours, then the library's for the SOAP
 * version, then the body's length. 0, or -1 when they do not fit. */
static int
request_head(char *buf, size_t size, const struct url *url, const tp_request *r,
             size_t body_len) {
  const int v6 = strchr(url->host, ':') != NULL;
  const int port = strcmp(url->port, "80") != 0;
  const char *line;
  size_t len = 0, i;
  int n;

  n = snprintf(buf, size,
               "POST %s HTTP/1.1\r\n"
               "Host: %s%s%s%s%s\r\n"
               /* No Accept-Encoding at all would mean "anything": say
                * identity, as we cannot inflate. */
               "Accept-Encoding: identity\r\n"
               "User-Agent: libtaskprogress-socket-example\r\n"
               "Connection: close\r\n",
               url->path, v6 ? "[" : "", url->host, v6 ? "]" : "",
               port ? ":" : "", port ? url->port : "");
  for (i = 0; n >= 0 && (size_t)n < size - len; i++) {
    len += (size_t)n;
    line = tp_request_header(r, i);
    if (line == NULL)
      break;
    n = snprintf(buf + len, size - len, "%s\r\n", line);
  }
  if (n < 0 || (size_t)n >= size - len)
    return -1;
  n = snprintf(buf + len, size - len, "Content-Length: %zu\r\n\r\n", body_len);
  return n < 0 || (size_t)n >= size - len ? -1 : 0;
}

int
main(int argc, char **argv) {
  static struct report report;
  static struct http h;
  static struct args args;
  struct url url;
  tp_request request;
  tp_decoder decoder;
  tp_config config;
  char head[1536];
  char piece[256];        /* the request goes out in pieces of this size */
  unsigned char buf[512]; /* small on purpose: every boundary gets crossed */
  size_t body_len = 0;
  int fd, r = HTTP_MORE, eof = 0, read_error = 0, rc;
  tp_status status;

  rc = request_start(argc, argv, "socket",
                     "socket [--max-tasks=N] http://HOST[:PORT]/PATH", &args,
                     &request);
  if (rc >= 0)
    return rc;
  report.max_tasks = args.max_tasks;
  if (parse_url(args.url, &url) != 0) {
    fprintf(stderr, "socket: %s: not an http://HOST[:PORT]/PATH URL\n",
            args.url);
    return EXIT_TRANSPORT;
  }

  /* Measured for Content-Length; the bytes are written while they are
   * sent. */
  if (tp_request_write(&request, NULL, 0, &body_len) != TP_OK ||
      request_head(head, sizeof head, &url, &request, body_len) != 0) {
    fprintf(stderr, "socket: request too large\n");
    return EXIT_TRANSPORT;
  }

  report_config(&config, &report, emit_line);
  if (tp_init(&decoder, &config) != TP_OK) {
    fprintf(stderr, "socket: cannot initialise the decoder\n");
    return EXIT_TRANSPORT;
  }

  fd = connect_to(&url);
  if (fd < 0) {
    tp_release(&decoder);
    return EXIT_TRANSPORT;
  }
  if (send_all(fd, head, strlen(head)) != 0 ||
      tp_request_stream(&request, piece, sizeof piece, send_piece, &fd, NULL) !=
          TP_OK) {
    fprintf(stderr, "socket: sending the request: %s\n", strerror(errno));
    close(fd);
    tp_release(&decoder);
    return EXIT_TRANSPORT;
  }

  h.decoder = &decoder;
  while (r == HTTP_MORE) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      fprintf(stderr, "socket: receiving the response: %s\n",
              errno == EAGAIN || errno == EWOULDBLOCK ? "timed out"
                                                      : strerror(errno));
      read_error = 1;
      break;
    }
    if (n == 0) {
      eof = 1;
      break;
    }
    r = http_input(&h, buf, (size_t)n);
  }
  /* Whatever follows the body (nothing, with Connection: close) is not
   * ours to read: hang up. */
  close(fd);

  if (r == HTTP_BAD) {
    fprintf(stderr, "socket: bad HTTP response: %s\n", h.error);
    rc = EXIT_TRANSPORT;
  } else if (!h.head_done) {
    if (eof)
      fprintf(stderr, "socket: connection closed before the response head\n");
    rc = EXIT_TRANSPORT;
  } else if (r == HTTP_DECODER) {
    /* The decoder failed or a callback stopped it: the rest of the body
     * is not worth reading. */
    if (h.decode_status != TP_STOPPED)
      print_decoder_error(&decoder, &h);
    rc = decoded_exit(h.decode_status, &report);
  } else if (read_error) {
    rc = EXIT_TRANSPORT;
  } else if (eof && !(h.state == H_BODY && !h.has_length)) {
    /* An orderly close before the framing said the body was complete: a
     * truncated response. The decoder tells what was missing. */
    status = tp_finish(&decoder);
    fprintf(stderr,
            "socket: HTTP %d: connection closed before the end of "
            "the body\n",
            h.status);
    if (status != TP_OK)
      print_decoder_error(&decoder, &h);
    rc = EXIT_INVALID;
  } else {
    status = tp_finish(&decoder);
    if (status != TP_OK && status != TP_STOPPED)
      print_decoder_error(&decoder, &h);
    rc = decoded_exit(status, &report);
  }
  tp_release(&decoder);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "socket: writing the report: %s\n", strerror(errno));
    return EXIT_TRANSPORT;
  }
  return rc;
}
