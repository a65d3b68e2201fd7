/* tpdump -- print what an IPS getActiveJobs SOAP response holds, decoded by
 * libtaskprogress: one JSON line per ActiveJob (or one for a SOAP Fault), a
 * trace of the decoder's callbacks, or a progress report for a person.
 *
 * This file reads the input and runs the decoder; tpdump.h says where the
 * rest is.
 *
 * tpdump never touches the heap: input goes through one static buffer and
 * output through another (output.c), written with write(2), and the
 * decoder and expat's parser live in static storage (expat allocates from
 * the arena below). Output is produced while the decoder runs, so the
 * memory used does not grow with the input: json and events never hold a
 * job whole; text holds one job at a time in a fixed pool (text.c), to
 * print its header first, and counts what does not fit.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tpdump.h"

static unsigned char in_buf[MAX_CHUNK];

/* Fills buf with n bytes unless the input ends first, so that every feed
 * but the last has exactly n bytes and event offsets do not depend on how
 * the pipe or file delivered the data. Returns 0 or an errno value. */
static int
read_full(int fd, unsigned char *buf, size_t n, size_t *got) {
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
feed_all(int fd, const struct options *o, struct printer *p, tp_decoder *dec,
         int *read_errno) {
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
report(const struct options *o, const struct writer *w, struct printer *p,
       const tp_decoder *dec, tp_status st, int read_errno) {
  int status;

  if (read_errno == 0 && st == TP_OK && !(w->open != NULL && w->open(p))) {
    if (w->done != NULL)
      w->done(p);
    out_flush(p);
    status = p->fault_seen ? 3 : 0;
  } else {
    if (w->abandon != NULL)
      w->abandon(p);
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
      /* It may quote the response (a namespace URI). */
      make_printable(msg);
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
print_memory_stats(const tp_decoder *dec) {
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
run(const struct options *o) {
  static const struct writer *const writers[] = {[FORMAT_JSON] = &json_writer,
                                                 [FORMAT_EVENTS] =
                                                     &events_writer,
                                                 [FORMAT_TEXT] = &text_writer};
  const struct writer *w = writers[o->format];
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
  p.width_given = o->width_given;
  p.width = o->width;
  p.join_strings = o->join_strings;
  st = w->configure(&cfg, &p);
  if (st == TP_OK) {
    cfg.flags = o->flags;
    cfg.arena = memory.arena;
    cfg.arena_size = sizeof memory.arena;
    st = tp_init(dec, &cfg);
  }
  if (st != TP_OK) {
    complain("cannot create the decoder: ", tp_strerror(st), NULL);
    if (fd != STDIN_FILENO)
      close(fd);
    return 2;
  }
  st = feed_all(fd, o, &p, dec, &read_errno);
  status = report(o, w, &p, dec, st, read_errno);
  if (o->stats)
    print_memory_stats(dec);
  tp_release(dec);
  if (fd != STDIN_FILENO)
    close(fd);
  return status;
}

int
main(int argc, char **argv) {
  struct options o;
  int status = parse_options(argc, argv, &o);

  if (status >= 0)
    return status;
  if (o.request)
    return print_request();
  return run(&o);
}
