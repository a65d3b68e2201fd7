/* ringbuffer.c -- bare-metal style: a simulated UART interrupt fills a
 * 64-byte ring buffer, the main loop drains it into a static decoder; no
 * heap anywhere in the program. */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h> /* snprintf only: no stdio stream, whose buffers malloc */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <taskprogress.h>

#include "report.h"

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

static void
usage(void) {
  uart_puts(2, "usage: ringbuffer [--seed=N] [--whole] [--stats] FILE\n"
               "Decodes FILE as it trickles through a 64-byte ring buffer\n"
               "(--whole: in one piece) and prints one line per task.\n"
               "Exit: 0 decoded, 3 SOAP Fault, 1 invalid response, 2 usage "
               "or I/O error.\n");
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
        usage();
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
      usage();
      return EXIT_TRANSPORT;
    }
  }
  if (path == NULL) {
    usage();
    return EXIT_TRANSPORT;
  }
  rc = load_input(path);
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
