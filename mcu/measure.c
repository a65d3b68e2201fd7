/* measure.c -- the decode path alone, as a product would link it: decodes
 * each response named in a list file with callbacks that only count, at
 * each chunk size given, in one static decoder and arena, and records what
 * that took. check.sh measures the flash of this image (library, expat and
 * the C library functions they pull in; no printf) and runs it.
 *
 * Usage (through -semihosting-config arg=...): measure LIST OUTDIR CHUNK...
 * LIST holds one path a line. OUTDIR/stats gets "N HIGH_WATER STACK" for
 * the Nth response (from 0): the arena's high-water mark
 * (tp_get_memory_stats) and the peak stack from tp_init to tp_release,
 * expat's frames included, each the worst over the chunk sizes, and 1 when
 * the arena ran out at any of them (else 0); then "decoder SIZE" (sizeof
 * (tp_decoder)), "arena SIZE" and "heap BYTES", what newlib's malloc took
 * through sbrk (none is expected). Exit status 0 when every response could
 * be read and decoding it produced events.
 *
 * The arena is TP_ARENA_RECOMMENDED_SIZE unless FW_ARENA_SIZE says
 * otherwise: on a 16 KiB part check.sh gives it what the RAM leaves. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "counting.h"
#include "fw.h"
#include "stack.h"
#include "taskprogress.h"

#define MAX_CHUNK 512

static unsigned char feed_buf[MAX_CHUNK];
static tp_decoder decoder;
#ifndef FW_ARENA_SIZE
#define FW_ARENA_SIZE TP_ARENA_RECOMMENDED_SIZE
#endif
static unsigned char arena[FW_ARENA_SIZE];

/* Decodes the file at `chunk` bytes a feed. Returns the arena's high-water
 * mark, or 0 when the file cannot be read or gave no event, and sets
 * *no_memory when the arena ran out. A bad response is not a failure here:
 * the corpus has many on purpose. */
static __attribute__((noinline)) size_t
decode(const char *path, size_t chunk, int *no_memory) {
  unsigned long events = 0;
  tp_memory_stats ms;
  tp_config cfg;
  tp_status st;
  int fd = open(path, O_RDONLY);
  int n;

  if (fd < 0)
    return 0;
  tp_config_init(&cfg);
  cfg.callbacks = &counting;
  cfg.user_data = &events;
  cfg.arena = arena;
  cfg.arena_size = sizeof arena;
  st = tp_init(&decoder, &cfg);
  while (st == TP_OK && (n = read(fd, feed_buf, chunk)) > 0)
    st = tp_feed(&decoder, feed_buf, (size_t)n);
  if (st == TP_OK)
    st = tp_finish(&decoder);
  *no_memory = st == TP_ERR_NO_MEMORY;
  ms.high_water = 0;
  (void)tp_get_memory_stats(&decoder, &ms);
  tp_release(&decoder);
  close(fd);
  return ms.high_water;
}

/* Text out without printf, which the decode path does not need. */
static void
put(int fd, const char *s) {
  (void)!write(fd, s, strlen(s));
}

static void
put_ulong(int fd, unsigned long v, char after) {
  char buf[24];
  size_t i = sizeof buf;

  buf[--i] = after;
  do {
    buf[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  (void)!write(fd, buf + i, sizeof buf - i);
}

int main(int argc, char **argv);

int
main(int argc, char **argv) {
  static char path[512];
  size_t chunks[FW_MAX_ARGS];
  int nchunks = 0;
  int list, stats;
  unsigned long n;
  int i;

  for (i = 3; i < argc; i++) {
    unsigned long c = strtoul(argv[i], NULL, 10);
    if (c == 0 || c > MAX_CHUNK)
      return 2;
    chunks[nchunks++] = (size_t)c;
  }
  if (nchunks == 0 || (list = open(argv[1], O_RDONLY)) < 0)
    return 2;
  strncpy(path, argv[2], sizeof path - 7);
  strcat(path, "/stats");
  if ((stats = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
    return 2;
  for (n = 0; fw_next_path(list, path, sizeof path); n++) {
    size_t hw = 0, stack = 0;
    int out_of_memory = 0;
    for (i = 0; i < nchunks; i++) {
      size_t h, s;
      int oom;
      FW_MEASURE_STACK(&s, h = decode(path, chunks[i], &oom));
      out_of_memory |= oom;
      if (h == 0) {
        put(2, "measure: cannot decode ");
        put(2, path);
        put(2, "\n");
        return 1;
      }
      hw = h > hw ? h : hw;
      stack = s > stack ? s : stack;
    }
    put_ulong(stats, n, ' ');
    put_ulong(stats, hw, ' ');
    put_ulong(stats, stack, ' ');
    put_ulong(stats, (unsigned long)out_of_memory, '\n');
  }
  put(stats, "decoder ");
  put_ulong(stats, sizeof decoder, '\n');
  put(stats, "arena ");
  put_ulong(stats, sizeof arena, '\n');
  put(stats, "heap ");
  put_ulong(stats, fw_heap_used(), '\n');
  close(stats);
  close(list);
  return 0;
}
