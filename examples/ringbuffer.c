/* ringbuffer.c -- bare-metal style: a simulated UART interrupt fills a
 * 64-byte ring buffer, the main loop drains it into a static decoder; no
 * heap anywhere in the program. The response comes from a file, or from
 * a "modem" (a socket here) the request was streamed to through a 64-byte
 * transmit buffer. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h> /* snprintf only: no stdio stream, whose buffers malloc */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <taskprogress.h>

#include "report.h"
#include "request.h"

/* The "UART transmitter": write(2) on a file descriptor, no buffering. */
static int tx_failed;

static void
uart_tx(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t k = write(fd, s, n);
    if (k <= 0) {
      tx_failed = 1;
      return;
    }
    s += k;
    n -= (size_t)k;
  }
}

static void
uart_puts(int fd, const char *s) {
  uart_tx(fd, s, strlen(s));
}

/* The report goes out on the UART too, a line at a time. */
static void
emit_line(const char *line, size_t len) {
  uart_tx(1, line, len);
  uart_tx(1, "\n", 1);
}

/* ------------------------------------------------------------------------ */
/* The "hardware": a remote end sending a response byte by byte, and the    */
/* UART receive interrupt that puts each byte into the ring buffer.         */
/* ------------------------------------------------------------------------ */

/* What the remote end sends; a device would have the bytes arrive on a
 * wire, here they come from a file read once at start. */
static unsigned char input[1u << 21];
static size_t input_len;
static size_t input_pos; /* the next byte the remote end sends */

/* Single producer (the ISR), single consumer (the main loop). Indices run
 * freely and are reduced modulo the size, a power of two, so that "full"
 * (head - tail == RING_SIZE) and "empty" (head == tail) differ without a
 * wasted slot. Each index is written by one side only; the release/acquire
 * pairs order the byte stores before the index that publishes them. */
#define RING_SIZE 64u
static unsigned char ring[RING_SIZE];
static atomic_size_t ring_head; /* written by the ISR only */
static atomic_size_t ring_tail; /* written by the main loop only */
static atomic_bool rx_idle;     /* the remote end has sent everything */
static unsigned long rx_stalls; /* bytes held back because the ring was full */

static void
uart_rx_isr(void) {
  size_t head = atomic_load_explicit(&ring_head, memory_order_relaxed);
  size_t tail = atomic_load_explicit(&ring_tail, memory_order_acquire);

  if (input_pos == input_len) {
    atomic_store_explicit(&rx_idle, true, memory_order_release);
    return;
  }
  if (head - tail == RING_SIZE) {
    /* A bare UART would overrun here and lose the byte; this one has
     * hardware flow control (RTS deasserted), so the sender waits. */
    rx_stalls++;
    return;
  }
  ring[head % RING_SIZE] = input[input_pos++];
  atomic_store_explicit(&ring_head, head + 1, memory_order_release);
}

/* A deterministic xorshift32, so that every run interleaves the same way
 * for a given seed. */
static uint32_t prng_state = 1;

static uint32_t
prng(void) {
  uint32_t x = prng_state;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  prng_state = x;
  return x;
}

/* ------------------------------------------------------------------------ */
/* The firmware                                                             */
/* ------------------------------------------------------------------------ */

/* Static storage: the decoder and every byte expat will ever use. */
static tp_decoder decoder;
static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];
static struct report report;

static unsigned long feeds;
static size_t largest_feed;

/* The main loop: between two polls, the interrupt fires any number of
 * times (0 to 96); each poll hands the decoder what is in the ring, in
 * place, as one contiguous piece (up to the end of the array; the
 * wrapped-around rest goes in on the next poll). */
static tp_status
decode_from_ring(void) {
  tp_status status = TP_OK;

  for (;;) {
    uint32_t interrupts = prng() % 97u;
    size_t head, tail, start, n;
    bool idle;

    while (interrupts-- > 0)
      uart_rx_isr();

    /* rx_idle before ring_head: once idle is seen, every byte pushed
     * before it is seen too. */
    idle = atomic_load_explicit(&rx_idle, memory_order_acquire);
    head = atomic_load_explicit(&ring_head, memory_order_acquire);
    tail = atomic_load_explicit(&ring_tail, memory_order_relaxed);
    if (head == tail) {
      if (idle)
        break;
      continue; /* a device would sleep until the next interrupt here */
    }
    start = tail % RING_SIZE;
    n = head - tail;
    if (n > RING_SIZE - start)
      n = RING_SIZE - start;
    status = tp_feed(&decoder, &ring[start], n);
    /* Only now may the ISR reuse these slots: the decoder reads the bytes
     * where they are, without copying them first. */
    atomic_store_explicit(&ring_tail, tail + n, memory_order_release);
    feeds++;
    if (n > largest_feed)
      largest_feed = n;
    if (status != TP_OK)
      break;
  }
  return status;
}

static int
load_input(const char *path) {
  int fd = open(path, O_RDONLY);
  ssize_t k;

  if (fd < 0)
    return -1;
  while (input_len < sizeof input &&
         (k = read(fd, input + input_len, sizeof input - input_len)) != 0) {
    if (k < 0) {
      close(fd);
      return -1;
    }
    input_len += (size_t)k;
  }
  if (input_len == sizeof input) {
    unsigned char extra;
    if (read(fd, &extra, 1) != 0) {
      close(fd);
      return -2;
    }
  }
  close(fd);
  return 0;
}

/* ------------------------------------------------------------------------ */
/* The modem: a transparent TCP link behind the UART, as a cellular or      */
/* Wi-Fi module gives one; here a socket. The firmware writes the HTTP      */
/* request into it and reads back the raw response, head and all.           */
/* ------------------------------------------------------------------------ */

struct target {
  char host[16]; /* dotted IPv4: no resolver, which would allocate */
  unsigned port;
  const char *path;
};

/* http://A.B.C.D:PORT/PATH */
static int
parse_target(const char *url, struct target *t, struct sockaddr_in *sa) {
  const char *p = url + 7, *colon;
  size_t n, i;
  char *end;
  unsigned long port;

  if (strncmp(url, "http://", 7) != 0)
    return -1;
  colon = strchr(p, ':');
  if (colon == NULL || (size_t)(colon - p) >= sizeof t->host)
    return -1;
  n = (size_t)(colon - p);
  memcpy(t->host, p, n);
  t->host[n] = '\0';
  port = strtoul(colon + 1, &end, 10);
  if (end == colon + 1 || port == 0 || port > 65535 || *end != '/')
    return -1;
  t->port = (unsigned)port;
  t->path = end;
  /* A space or control byte would let the URL inject request lines. */
  for (i = 0; t->path[i] != '\0'; i++) {
    if ((unsigned char)t->path[i] <= 0x20u || t->path[i] == 0x7F)
      return -1;
  }
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  return inet_pton(AF_INET, t->host, &sa->sin_addr) == 1 ? 0 : -1;
}

/* The UART transmit buffer: the request goes out 64 bytes at a time, and
 * no copy of the whole envelope exists anywhere. */
static char tx_fifo[64];

static int
tx_piece(void *user_data, const char *bytes, size_t length) {
  uart_tx(*(const int *)user_data, bytes, length);
  return tx_failed;
}

/* Sends the request: our request line and headers, the library's for the
 * SOAP version, Content-Length measured by the library, then the body. */
static int
modem_send(int fd, const struct target *t, const tp_request *r) {
  char line[512];
  const char *header;
  size_t body_len = 0, i;
  int n;

  if (tp_request_write(r, NULL, 0, &body_len) != TP_OK)
    return -1;
  n = snprintf(line, sizeof line,
               "POST %s HTTP/1.1\r\nHost: %s:%u\r\n"
               "Accept-Encoding: identity\r\nConnection: close\r\n",
               t->path, t->host, t->port);
  if (n < 0 || (size_t)n >= sizeof line)
    return -1;
  uart_tx(fd, line, (size_t)n);
  for (i = 0; (header = tp_request_header(r, i)) != NULL; i++) {
    uart_puts(fd, header);
    uart_puts(fd, "\r\n");
  }
  snprintf(line, sizeof line, "Content-Length: %zu\r\n\r\n", body_len);
  uart_puts(fd, line);
  if (tx_failed)
    return -1;
  return tp_request_stream(r, tx_fifo, sizeof tx_fifo, tx_piece, &fd, NULL) ==
                 TP_OK
             ? 0
             : -1;
}

/* Case-insensitive "Name:" at the start of [p, e), then the value. */
static const char *
field_value(const char *p, const char *e, const char *name) {
  size_t n = strlen(name);

  if ((size_t)(e - p) <= n || strncasecmp(p, name, n) != 0 || p[n] != ':')
    return NULL;
  for (p += n + 1; p < e && (*p == ' ' || *p == '\t'); p++)
    ;
  return p;
}

/* The response is in input: keep only its body there. Plain framing only
 * (Content-Length or close): this modem passes bytes through, and
 * de-chunking is the socket example's business. */
static const char *
strip_head(void) {
  const char *s = (const char *)input, *end = NULL, *p, *e, *v;
  size_t i, body, length = (size_t)-1;

  for (i = 0; i + 3 < input_len; i++) {
    if (memcmp(s + i, "\r\n\r\n", 4) == 0) {
      end = s + i + 2;
      break;
    }
  }
  if (end == NULL)
    return "no end of the response head";
  /* Any status: IPS sends its faults with 500, or what was asked. */
  if (input_len < 12 || strncmp(s, "HTTP/1.", 7) != 0 || s[8] != ' ')
    return "malformed status line";
  for (p = strchr(s, '\n') + 1; p < end; p = e + 2) {
    e = p;
    while (e < end && *e != '\r')
      e++;
    if (field_value(p, e, "Transfer-Encoding") != NULL)
      return "Transfer-Encoding: use a path with Content-Length or close";
    v = field_value(p, e, "Content-Encoding");
    if (v != NULL && strncasecmp(v, "identity", 8) != 0)
      return "Content-Encoding: we asked for identity";
    v = field_value(p, e, "Content-Length");
    if (v != NULL)
      length = (size_t)strtoul(v, NULL, 10);
  }
  body = (size_t)(end + 2 - s);
  input_len -= body;
  /* A short body stays short: the decoder says what was missing. */
  if (length < input_len)
    input_len = length;
  memmove(input, input + body, input_len);
  return NULL;
}

/* 0 with the response body in input, or -1 after saying why. */
static int
exchange(const char *url, const tp_request *r) {
  struct target t;
  struct sockaddr_in sa;
  struct timeval timeout = {30, 0};
  const char *why;
  ssize_t k;
  int fd;

  if (parse_target(url, &t, &sa) != 0) {
    uart_puts(2, "ringbuffer: ");
    uart_puts(2, url);
    uart_puts(2, ": not an http://A.B.C.D:PORT/PATH URL\n");
    return -1;
  }
  fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (const struct sockaddr *)&sa, sizeof sa) != 0) {
    uart_puts(2, "ringbuffer: cannot connect: ");
    uart_puts(2, strerror(errno));
    uart_puts(2, "\n");
    if (fd >= 0)
      close(fd);
    return -1;
  }
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  if (modem_send(fd, &t, r) != 0) {
    uart_puts(2, "ringbuffer: sending the request failed\n");
    close(fd);
    return -1;
  }
  /* We said Connection: close: the response ends where the link does. */
  while (input_len < sizeof input &&
         (k = recv(fd, input + input_len, sizeof input - input_len, 0)) != 0) {
    if (k < 0) {
      if (errno == EINTR)
        continue;
      uart_puts(2, "ringbuffer: receiving the response failed\n");
      close(fd);
      return -1;
    }
    input_len += (size_t)k;
  }
  if (input_len == sizeof input) {
    unsigned char extra;
    if (recv(fd, &extra, 1, 0) > 0) {
      uart_puts(2, "ringbuffer: the response is too large for the input "
                   "buffer\n");
      close(fd);
      return -1;
    }
  }
  close(fd);
  why = strip_head();
  if (why != NULL) {
    uart_puts(2, "ringbuffer: bad HTTP response: ");
    uart_puts(2, why);
    uart_puts(2, "\n");
    return -1;
  }
  return 0;
}

static void
print_usage(void) {
  uart_puts(2, "usage: ringbuffer [--seed=N] [--whole] [--stats] FILE\n"
               "       ringbuffer [--seed=N] [--whole] [--stats] "
               "http://A.B.C.D:PORT/PATH\n"
               "Decodes FILE, or the response to a getActiveJobs request\n"
               "POSTed to the URL (Content-Length or close-delimited only;\n"
               "the request from IPS_USER, IPS_PASSWORD, IPS_COMPANY, "
               "IPS_JOB,\n"
               "IPS_SOAP_VERSION, IPS_API_VERSION, IPS_FAULT_HTTP_STATUS), "
               "as it\n"
               "trickles through a 64-byte ring buffer (--whole: in one "
               "piece),\n"
               "and prints one line per task.\n"
               "Exit: 0 decoded, 3 SOAP Fault, 1 invalid response, 2 request "
               "refused,\nusage, I/O or transport error.\n");
}

int
main(int argc, char **argv) {
  tp_config config;
  tp_status status;
  const char *path = NULL;
  int argi, whole = 0, stats = 0, rc;
  char msg[256];

  for (argi = 1; argi < argc; argi++) {
    if (strncmp(argv[argi], "--seed=", 7) == 0) {
      char *end;
      unsigned long seed = strtoul(argv[argi] + 7, &end, 10);
      /* xorshift32 must not start from 0. */
      if (*end != '\0' || argv[argi][7] == '\0' || (uint32_t)seed == 0) {
        print_usage();
        return EXIT_TRANSPORT;
      }
      prng_state = (uint32_t)seed;
    } else if (strcmp(argv[argi], "--whole") == 0) {
      whole = 1;
    } else if (strcmp(argv[argi], "--stats") == 0) {
      stats = 1;
    } else if (path == NULL && argv[argi][0] != '-') {
      path = argv[argi];
    } else {
      print_usage();
      return EXIT_TRANSPORT;
    }
  }
  if (path == NULL) {
    print_usage();
    return EXIT_TRANSPORT;
  }
  if (strncmp(path, "http://", 7) == 0) {
    tp_request request;

    if (request_from_env(&request, msg, sizeof msg) != 0) {
      uart_puts(2, "ringbuffer: ");
      uart_puts(2, msg);
      uart_puts(2, "\n");
      return EXIT_TRANSPORT;
    }
    if (exchange(path, &request) != 0)
      return EXIT_TRANSPORT;
    rc = 0;
  } else {
    rc = load_input(path);
  }
  if (rc != 0) {
    uart_puts(2, "ringbuffer: ");
    uart_puts(2, path);
    uart_puts(2, rc == -2 ? ": too large for the input buffer\n"
                          : ": cannot read\n");
    return EXIT_TRANSPORT;
  }

  report_config(&config, &report, emit_line);
  config.arena = arena;
  config.arena_size = sizeof arena;
  /* Prompt: a device shows progress when the bytes arrive, not one feed
   * later. The arena bounds what a hostile long tag can cost. */
  config.flags = TP_FLAG_PROMPT;
  if (tp_init(&decoder, &config) != TP_OK) {
    uart_puts(2, "ringbuffer: cannot initialise the decoder\n");
    return EXIT_TRANSPORT;
  }

  if (whole) {
    status = tp_feed(&decoder, input, input_len);
    feeds = 1;
    largest_feed = input_len;
  } else {
    status = decode_from_ring();
  }
  if (status == TP_OK)
    status = tp_finish(&decoder);
  if (status != TP_OK && status != TP_STOPPED) {
    tp_format_error(&decoder, msg, sizeof msg);
    uart_puts(2, "ringbuffer: invalid response: ");
    uart_puts(2, msg);
    uart_puts(2, "\n");
  }
  if (stats) {
    tp_memory_stats mem;
    tp_get_memory_stats(&decoder, &mem);
    snprintf(msg, sizeof msg,
             "ringbuffer: %zu bytes in %lu feeds of at most %zu bytes, "
             "%lu stalls; arena high water %zu of %zu bytes\n",
             input_len, feeds, largest_feed, rx_stalls, mem.high_water,
             mem.arena_size);
    uart_puts(2, msg);
  }
  tp_release(&decoder);
  rc = decoded_exit(status, &report);
  return tx_failed ? EXIT_TRANSPORT : rc;
}
