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

/* Exit statuses, the same in every example and in tpdump. */
enum { EXIT_DECODED = 0, EXIT_INVALID = 1, EXIT_TRANSPORT = 2, EXIT_FAULT = 3 };

/* ------------------------------------------------------------------------ */
/* The report: one line per task, one per fault (the same in every example) */
/* ------------------------------------------------------------------------ */

/* Longer strings are cut at a character boundary: a report line needs no
 * more, and a hostile server cannot make us allocate. */
#define TEXT_MAX 200

struct text {
  char buf[TEXT_MAX];
  size_t len;
  int cut;
};

struct report {
  struct text job_handle;
  struct text task_type;
  struct text task_state;
  double task_progress;
  int has_progress;
  struct text fault_code;
  struct text fault_string;
  struct text fault_reason;
  const char *fault_kind;
  int32_t fault_ips_code;
  int has_ips_code;
  int fault;
  unsigned long tasks;
  unsigned long max_tasks; /* stop after this many tasks; 0: all */
};

struct line {
  char buf[5 * TEXT_MAX + 64];
  size_t len;
};

static void
text_clear(struct text *t)
{
  t->len = 0;
  t->cut = 0;
}

static void
text_append(struct text *t, const char *s, size_t n)
{
  size_t room = sizeof t->buf - t->len;

  if (t->cut)
    return;
  if (n > room) {
    n = room;
    t->cut = 1;
  }
  memcpy(t->buf + t->len, s, n);
  t->len += n;
  if (t->cut) {
    /* The last character may have lost bytes: drop it whole, so that the
     * line stays valid UTF-8. */
    while (t->len > 0 && ((unsigned char)t->buf[t->len - 1] & 0xC0u) == 0x80u)
      t->len--;
    if (t->len > 0 && (unsigned char)t->buf[t->len - 1] >= 0xC0u)
      t->len--;
  }
}

static void
line_raw(struct line *l, const char *s, size_t n)
{
  size_t room = sizeof l->buf - 1 - l->len;

  if (n > room)
    n = room;
  memcpy(l->buf + l->len, s, n);
  l->len += n;
}

/* A field as it goes on a line: "-" when absent or empty, control bytes
 * replaced so that a server cannot forge lines or send terminal escapes,
 * "..." when cut. */
static void
line_text(struct line *l, const struct text *t)
{
  size_t i;

  if (t->len == 0) {
    line_raw(l, "-", 1);
    return;
  }
  for (i = 0; i < t->len && l->len < sizeof l->buf - 1; i++) {
    unsigned char c = (unsigned char)t->buf[i];
    l->buf[l->len++] = c < 0x20u || c == 0x7Fu ? '?' : (char)c;
  }
  if (t->cut)
    line_raw(l, "...", 3);
}

static void
line_tab(struct line *l)
{
  line_raw(l, "\t", 1);
}


/* The "UART transmitter": write(2) on a file descriptor, no buffering. */
static int tx_failed;

static void
uart_tx(int fd, const char *s, size_t n)
{
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
uart_puts(int fd, const char *s)
{
  uart_tx(fd, s, strlen(s));
}

static void
emit(const struct line *l)
{
  uart_tx(1, l->buf, l->len);
  uart_tx(1, "\n", 1);
}

static int
on_begin(void *user_data, tp_node node)
{
  struct report *r = user_data;

  if (node == TP_NODE_JOB) {
    text_clear(&r->job_handle);
  } else if (node == TP_NODE_TASK) {
    text_clear(&r->task_type);
    text_clear(&r->task_state);
    r->has_progress = 0;
  } else if (node == TP_NODE_FAULT) {
    r->fault = 1;
  }
  return 0;
}

static int
on_field(void *user_data, const tp_field *f)
{
  struct report *r = user_data;

  switch (f->id) {
  case TP_JOB_JOB_HANDLE:
    text_append(&r->job_handle, f->str, f->len);
    break;
  case TP_TASK_TYPE:
    text_append(&r->task_type, f->str, f->len);
    break;
  case TP_TASK_STATE:
    /* The raw text, not the enum: servers add states. */
    text_append(&r->task_state, f->str, f->len);
    break;
  case TP_TASK_PROGRESS:
    r->task_progress = f->value.d;
    r->has_progress = 1;
    break;
  case TP_FAULT_CODE:
    text_append(&r->fault_code, f->str, f->len);
    break;
  case TP_FAULT_STRING:
    text_append(&r->fault_string, f->str, f->len);
    break;
  case TP_FAULT_DETAIL_KIND:
    r->fault_kind = tp_fault_kind_name(f->value.fault_kind);
    break;
  case TP_FAULT_IPS_CODE:
    r->fault_ips_code = f->value.i;
    r->has_ips_code = 1;
    break;
  case TP_FAULT_IPS_REASON:
    text_append(&r->fault_reason, f->str, f->len);
    break;
  default:
    break;
  }
  return 0;
}

static int
on_end(void *user_data, tp_node node)
{
  struct report *r = user_data;
  struct line l;
  const char *kind;
  char num[32];

  l.len = 0;
  if (node == TP_NODE_TASK) {
    /* The job handle as known now: IPS sends it before the tasks. */
    line_text(&l, &r->job_handle);
    line_tab(&l);
    line_text(&l, &r->task_type);
    line_tab(&l);
    line_text(&l, &r->task_state);
    line_tab(&l);
    if (r->has_progress)
      snprintf(num, sizeof num, "%.1f%%", r->task_progress * 100.0);
    else
      snprintf(num, sizeof num, "-");
    line_raw(&l, num, strlen(num));
    emit(&l);
    r->tasks++;
    /* Stopping here ends the transfer too: no need to read the rest. */
    if (r->max_tasks != 0 && r->tasks >= r->max_tasks)
      return 1;
  } else if (node == TP_NODE_FAULT) {
    line_raw(&l, "fault\t", 6);
    line_text(&l, &r->fault_code);
    line_tab(&l);
    line_text(&l, &r->fault_string);
    line_tab(&l);
    kind = r->fault_kind != NULL ? r->fault_kind : "-";
    line_raw(&l, kind, strlen(kind));
    line_tab(&l);
    if (r->has_ips_code)
      snprintf(num, sizeof num, "%ld", (long)r->fault_ips_code);
    else
      snprintf(num, sizeof num, "-");
    line_raw(&l, num, strlen(num));
    line_tab(&l);
    line_text(&l, &r->fault_reason);
    emit(&l);
  }
  return 0;
}

/* The exit status for a decoder that got the whole body. */
static int
decoded_exit(tp_status status, const struct report *r)
{
  if (status == TP_STOPPED)
    return EXIT_DECODED; /* --max-tasks reached: what we asked for */
  if (status != TP_OK)
    return EXIT_INVALID;
  return r->fault ? EXIT_FAULT : EXIT_DECODED;
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
uart_rx_isr(void)
{
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
prng(void)
{
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
decode_from_ring(void)
{
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
load_input(const char *path)
{
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
usage(void)
{
  uart_puts(2, "usage: ringbuffer [--seed=N] [--whole] [--stats] FILE\n"
               "Decodes FILE as it trickles through a 64-byte ring buffer\n"
               "(--whole: in one piece) and prints one line per task.\n"
               "Exit: 0 decoded, 3 SOAP Fault, 1 invalid response, 2 usage "
               "or I/O error.\n");
}

int
main(int argc, char **argv)
{
  static const tp_callbacks callbacks = {on_begin, on_end, on_field};
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

  tp_config_init(&config);
  config.callbacks = &callbacks;
  config.user_data = &report;
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
