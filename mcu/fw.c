/* fw.c -- the firmware's main for mcu/check.sh: runs tpdump (the files
 * of tools/, its main built in as tpdump_main) over every response named in
 * a list file, at each chunk size given, with its stdout and stderr sent to
 * host files.
 *
 * Usage (through -semihosting-config arg=...): fw LIST OUTDIR CHUNK...
 * LIST holds one path a line. For the Nth response (from 0) and each CHUNK
 * it runs "tpdump --format=events --chunk-size=CHUNK PATH" with stdout in
 * OUTDIR/N.CHUNK.out and stderr in OUTDIR/N.CHUNK.err, and writes
 * "N CHUNK STATUS" to OUTDIR/status. OUTDIR/tpdump-stats then gets
 * "stack BYTES", the peak stack of the tpdump runs (printing included),
 * and "heap BYTES", what newlib's malloc took through sbrk (for its
 * formatting and parsing of doubles).
 *
 * Then it writes the requests of request.c into OUTDIR (request-N.*, see
 * there), and OUTDIR/request-stats gets "check BYTES", "write BYTES" and
 * "stream BYTES": the peak stack of each writer over those requests. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fw.h"
#include "stack.h"

int tpdump_main(int argc, char **argv);

static void
put(int fd, const char *line) {
  (void)!write(fd, line, strlen(line));
}

static int
fail(const char *what, const char *path) {
  put(2, "fw: cannot ");
  put(2, what);
  put(2, " ");
  put(2, path);
  put(2, "\n");
  return 2;
}

/* newlib's printf here has no %zu: sizes go through unsigned long. */
#define UL(x) ((unsigned long)(x))

int main(int argc, char **argv);

int
main(int argc, char **argv) {
  static char path[512];
  static char name[600];
  static char line[80];
  unsigned long chunks[FW_MAX_ARGS];
  unsigned long tp_stack = 0;
  size_t req_stack[3];
  int nchunks = 0;
  int list, status_fd;
  unsigned n;
  int i;

  for (i = 3; i < argc; i++) {
    chunks[nchunks] = strtoul(argv[i], NULL, 10);
    if (chunks[nchunks] == 0)
      return fail("use chunk size", argv[i]);
    nchunks++;
  }
  if (nchunks == 0)
    return fail("run without", "LIST OUTDIR CHUNK...");
  list = open(argv[1], O_RDONLY);
  if (list < 0)
    return fail("read", argv[1]);
  snprintf(name, sizeof name, "%s/status", argv[2]);
  status_fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (status_fd < 0)
    return fail("write", name);
  for (n = 0; fw_next_path(list, path, sizeof path); n++) {
    for (i = 0; i < nchunks; i++) {
      char chunk_arg[32];
      char *args[5];
      size_t s;
      int st;

      snprintf(chunk_arg, sizeof chunk_arg, "--chunk-size=%lu", chunks[i]);
      args[0] = (char *)(uintptr_t) "tpdump";
      args[1] = (char *)(uintptr_t) "--format=events";
      args[2] = chunk_arg;
      args[3] = path;
      args[4] = NULL;
      snprintf(name, sizeof name, "%s/%u.%lu.out", argv[2], n, chunks[i]);
      if (fw_redirect(1, name) != 0)
        return fail("write", name);
      snprintf(name, sizeof name, "%s/%u.%lu.err", argv[2], n, chunks[i]);
      if (fw_redirect(2, name) != 0)
        return fail("write", name);
      FW_MEASURE_STACK(&s, st = tpdump_main(4, args));
      fw_redirect(1, NULL);
      fw_redirect(2, NULL);
      tp_stack = s > tp_stack ? s : tp_stack;
      snprintf(line, sizeof line, "%u %lu %d\n", n, chunks[i], st);
      put(status_fd, line);
    }
  }
  close(list);
  close(status_fd);
  snprintf(name, sizeof name, "%s/tpdump-stats", argv[2]);
  if (fw_redirect(1, name) != 0)
    return fail("write", name);
  snprintf(line, sizeof line, "stack %lu\nheap %lu\n", tp_stack,
           UL(fw_heap_used()));
  put(1, line);
  fw_redirect(1, NULL);

  if (fw_write_requests(argv[2], req_stack) != 0)
    return fail("write the requests into", argv[2]);
  snprintf(name, sizeof name, "%s/request-stats", argv[2]);
  if (fw_redirect(1, name) != 0)
    return fail("write", name);
  snprintf(line, sizeof line, "check %lu\nwrite %lu\nstream %lu\n",
           UL(req_stack[0]), UL(req_stack[1]), UL(req_stack[2]));
  put(1, line);
  fw_redirect(1, NULL);
  return 0;
}
