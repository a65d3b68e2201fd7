/* collect.c -- the collector (taskprogress_collect.h) on the target and on
 * the host: decodes each response named in a list file through the
 * collector, with pools of several sizes and at each chunk size given, and
 * prints every record it hands over, so that mcu/check.sh can compare the
 * target's records with the host's. The target's image is collect.elf
 * (newlib-nano, no printf: its flash is the decode path's with the
 * collector); built for the host with -DFW_HOST, where it is the same
 * program over the host's files.
 *
 * Usage (through -semihosting-config arg=... on the target):
 *   collect LIST OUTDIR CHUNK...
 * For the Nth response of LIST (from 0), each pool of `pools` below and
 * each CHUNK it writes OUTDIR/N.POOL.CHUNK.out: every job and fault record
 * handed over, in full, then the statuses the decode ended with and the
 * record left open, if any (after an error, a cut-off response or a stop
 * in strict mode). Then OUTDIR/stats gets "N HIGH_WATER STACK" per
 * response, decoded again with the 2 KiB pool and a job callback that only
 * counts (as measure.c measures the decoder alone): the arena's high-water
 * mark and the peak stack from tp_init to tp_release, the collector's
 * callbacks and expat's frames included, each the worst over the chunk
 * sizes; then "decoder", "collector" and "pool" (their sizes) and "heap"
 * (what newlib's malloc took through sbrk; none is expected). On the host
 * stack and heap are 0: the target's figures are the ones that matter.
 *
 * Text is written without printf, and doubles as the hex of their bits, so
 * that both sides print the same bytes whatever their C library. The pool
 * sizes only compare where a record takes the same bytes of pool on both
 * sides: check.sh builds the host's program for 32 bits with the target's
 * alignment of doubles and 64-bit integers, and each output starts with
 * the records' sizes, so that a difference of layout shows as one. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taskprogress_collect.h"

#ifdef FW_HOST
#define FW_MEASURE_STACK(used, call)                                           \
  do {                                                                         \
    call;                                                                      \
    *(used) = 0;                                                               \
  } while (0)

static size_t
fw_heap_used(void) {
  return 0;
}

/* As the target's (semihost.c): the next line of `list`. */
static int
fw_next_path(int list, char *path, size_t size) {
  size_t len = 0;
  char c;

  while (read(list, &c, 1) == 1 && c != '\n')
    if (len + 1 < size)
      path[len++] = c;
  path[len] = '\0';
  return len > 0;
}
#else
#include "fw.h"
#include "stack.h"
#endif

#define MAX_CHUNK 512
#define MAX_CHUNKS 8
/* The pool measured, and one that holds every job of the corpus whole. */
#define SAMPLE_POOL 2048
#define AMPLE_POOL 16384

static const struct pool_run {
  const char *label;
  size_t size;
  unsigned flags;
} pools[] = {
    {"0", 0, 0},
    {"512", 512, 0},
    {"2048", SAMPLE_POOL, 0},
    {"2048-strict", SAMPLE_POOL, TP_COLLECT_STRICT},
    {"ample", AMPLE_POOL, 0},
};

static tp_decoder decoder;
static tp_collector collector;
static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];
/* Aligned alike on both sides: records are aligned from the pool's
 * address, so its alignment decides the padding. */
static _Alignas(TP_COLLECT_ALIGN) unsigned char pool[AMPLE_POOL];
static unsigned char feed_buf[MAX_CHUNK];

/* ------------------------------------------------------------ output */

typedef struct out {
  int fd;
  int failed;
  size_t len;
  char buf[1024];
} out;

static void
flush(out *o) {
  if (o->len > 0 && write(o->fd, o->buf, o->len) != (ssize_t)o->len)
    o->failed = 1;
  o->len = 0;
}

static void
put_bytes(out *o, const char *s, size_t n) {
  while (n > 0) {
    size_t take = sizeof o->buf - o->len;
    if (take > n)
      take = n;
    memcpy(o->buf + o->len, s, take);
    o->len += take;
    s += take;
    n -= take;
    if (o->len == sizeof o->buf)
      flush(o);
  }
}

static void
put_str(out *o, const char *s) {
  put_bytes(o, s, strlen(s));
}

static void
put_ulong(out *o, unsigned long v) {
  char tmp[24];
  size_t i = sizeof tmp;

  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  put_bytes(o, tmp + i, sizeof tmp - i);
}

static void
put_long(out *o, long v) {
  if (v < 0) {
    put_bytes(o, "-", 1);
    put_ulong(o, 0ul - (unsigned long)v);
  } else {
    put_ulong(o, (unsigned long)v);
  }
}

static void
put_hex64(out *o, uint64_t v) {
  static const char digits[] = "0123456789abcdef";
  char tmp[18];
  int i;

  tmp[0] = '0';
  tmp[1] = 'x';
  for (i = 0; i < 16; i++)
    tmp[2 + i] = digits[(v >> (60 - 4 * i)) & 0xf];
  put_bytes(o, tmp, sizeof tmp);
}

/* " NAME " after the indent: each member on a line of its own. */
static void
member(out *o, int depth, const char *name) {
  put_bytes(o, "\n        ", 3 + 2 * (size_t)depth);
  put_str(o, name);
  put_bytes(o, " ", 1);
}

/* Quoted, with controls, '"', '\\' and DEL as \xHH; other bytes (UTF-8,
 * where a cut shows) as they are. */
static void
put_string(out *o, int depth, const char *name, const char *s) {
  static const char digits[] = "0123456789abcdef";

  member(o, depth, name);
  put_bytes(o, "\"", 1);
  for (; *s != '\0'; s++) {
    unsigned char c = (unsigned char)*s;
    if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
      char esc[4] = {'\\', 'x', digits[c >> 4], digits[c & 0xf]};
      put_bytes(o, esc, sizeof esc);
    } else {
      put_bytes(o, s, 1);
    }
  }
  put_bytes(o, "\"", 1);
}

static void
put_int(out *o, int depth, const char *name, long v) {
  member(o, depth, name);
  put_long(o, v);
}

static void
put_size(out *o, int depth, const char *name, size_t v) {
  member(o, depth, name);
  put_ulong(o, (unsigned long)v);
}

static void
put_double(out *o, int depth, const char *name, double d) {
  uint64_t bits;

  memcpy(&bits, &d, sizeof bits);
  member(o, depth, name);
  put_hex64(o, bits);
}

static void
put_datetime(out *o, int depth, const char *name, const tp_datetime *dt) {
  member(o, depth, name);
  put_long(o, (long)dt->year);
  put_bytes(o, " ", 1);
  put_ulong(o, dt->month);
  put_bytes(o, " ", 1);
  put_ulong(o, dt->day);
  put_bytes(o, " ", 1);
  put_ulong(o, dt->hour);
  put_bytes(o, " ", 1);
  put_ulong(o, dt->minute);
  put_bytes(o, " ", 1);
  put_ulong(o, dt->second);
  put_bytes(o, " ns ", 4);
  put_ulong(o, (unsigned long)dt->nanosecond);
  put_bytes(o, " z ", 3);
  put_ulong(o, dt->tz_is_z);
  put_bytes(o, " tz ", 4);
  put_long(o, (long)dt->tz_minutes);
}

static void
put_masks(out *o, int depth, uint64_t present, uint64_t cut,
          uint64_t repeated) {
  member(o, depth, "present");
  put_hex64(o, present);
  member(o, depth, "cut");
  put_hex64(o, cut);
  member(o, depth, "repeated");
  put_hex64(o, repeated);
}

/* ------------------------------------------------------------ records */

static void
put_item(out *o, const tp_item_record *it) {
  put_str(o, "\n    item");
  put_masks(o, 2, it->present, it->cut, it->repeated);
  put_string(o, 2, "name", it->name);
  put_string(o, 2, "progress_message", it->progress_message);
  put_double(o, 2, "progress", it->progress);
  put_datetime(o, 2, "last_progress_update", &it->last_progress_update);
}

static void
put_task(out *o, const tp_task_record *t) {
  const tp_item_record *it;

  put_str(o, "\n  task");
  put_masks(o, 1, t->present, t->cut, t->repeated);
  put_size(o, 1, "item_count", t->item_count);
  put_size(o, 1, "dropped_items", t->dropped_items);
  put_string(o, 1, "type", t->type);
  put_string(o, 1, "progress_message", t->progress_message);
  put_string(o, 1, "state", t->state);
  put_int(o, 1, "state_value", (long)t->state_value);
  put_double(o, 1, "progress", t->progress);
  put_datetime(o, 1, "last_progress_update", &t->last_progress_update);
  put_int(o, 1, "num_processed", (long)t->num_processed);
  put_int(o, 1, "num_processing", (long)t->num_processing);
  put_int(o, 1, "num_pending", (long)t->num_pending);
  for (it = t->items; it != NULL; it = it->next)
    put_item(o, it);
}

static void
put_job(out *o, const char *what, const tp_job_record *j) {
  const tp_task_record *t;

  put_str(o, what);
  put_masks(o, 0, j->present, j->cut, j->repeated);
  put_int(o, 0, "incomplete", (long)j->incomplete);
  put_size(o, 0, "task_count", j->task_count);
  put_size(o, 0, "dropped_tasks", j->dropped_tasks);
  put_size(o, 0, "dropped_items", j->dropped_items);
  put_string(o, 0, "company_handle", j->company_handle);
  put_string(o, 0, "job_handle", j->job_handle);
  put_string(o, 0, "name", j->name);
  put_string(o, 0, "original_name", j->original_name);
  put_string(o, 0, "type", j->type);
  put_string(o, 0, "state", j->state);
  put_string(o, 0, "submit_user_email", j->submit_user_email);
  put_string(o, 0, "locale", j->locale);
  put_string(o, 0, "description", j->description);
  put_string(o, 0, "server_name", j->server_name);
  put_string(o, 0, "progress_message", j->progress_message);
  put_datetime(o, 0, "start_date", &j->start_date);
  put_datetime(o, 0, "trigger_time", &j->trigger_time);
  put_datetime(o, 0, "last_progress_update", &j->last_progress_update);
  put_int(o, 0, "total_size", (long)j->total_size);
  put_int(o, 0, "progress", (long)j->progress);
  for (t = j->tasks; t != NULL; t = t->next)
    put_task(o, t);
  put_str(o, "\n");
}

static void
put_fault(out *o, const char *what, const tp_fault_record *f) {
  put_str(o, what);
  put_masks(o, 0, f->present, f->cut, f->repeated);
  put_int(o, 0, "incomplete", (long)f->incomplete);
  put_string(o, 0, "code", f->code);
  put_string(o, 0, "string", f->string);
  put_string(o, 0, "ips_reason", f->ips_reason);
  put_int(o, 0, "ips_code", (long)f->ips_code);
  put_int(o, 0, "detail_kind", (long)f->detail_kind);
  put_str(o, "\n");
}

static int
print_job(void *user_data, const tp_job_record *job) {
  put_job(user_data, "job", job);
  return 0;
}

static int
print_fault(void *user_data, const tp_fault_record *fault) {
  put_fault(user_data, "fault", fault);
  return 0;
}

/* What a product's callbacks would cost at least: a look at the record. */
static int
count_job(void *user_data, const tp_job_record *job) {
  *(unsigned long *)user_data += 1 + job->task_count;
  return 0;
}

static int
count_fault(void *user_data, const tp_fault_record *fault) {
  *(unsigned long *)user_data += 1 + (unsigned long)fault->ips_code;
  return 0;
}

/* ------------------------------------------------------------ decoding */

/* Decodes the file through the collector with `run`'s pool, at `chunk`
 * bytes a feed, printing to `o`, or only counting when `o` is NULL.
 * Returns the arena's high-water mark, or 0 when the file cannot be read
 * or the collector or decoder cannot start. A bad response is not a
 * failure: the corpus has many on purpose. */
static __attribute__((noinline)) size_t
collect(const char *path, size_t chunk, const struct pool_run *run, out *o) {
  unsigned long count = 0;
  tp_collect_config cc;
  tp_memory_stats ms;
  tp_config cfg;
  tp_status st, cst;
  const tp_job_record *open_job;
  const tp_fault_record *open_fault;
  int fd = open(path, O_RDONLY);
  int n;

  if (fd < 0)
    return 0;
  tp_collect_config_init(&cc, run->size > 0 ? pool : NULL, run->size);
  cc.job = o != NULL ? print_job : count_job;
  cc.fault = o != NULL ? print_fault : count_fault;
  cc.user_data = o != NULL ? (void *)o : (void *)&count;
  cc.flags = run->flags;
  if (tp_collect_init(&collector, &cc, &cfg) != TP_OK) {
    close(fd);
    return 0;
  }
  cfg.arena = arena;
  cfg.arena_size = sizeof arena;
  st = tp_init(&decoder, &cfg);
  if (st != TP_OK) {
    close(fd);
    return 0;
  }
  while (st == TP_OK && (n = (int)read(fd, feed_buf, chunk)) > 0)
    st = tp_feed(&decoder, feed_buf, (size_t)n);
  if (st == TP_OK)
    st = tp_finish(&decoder);
  cst = tp_collect_status(&collector);
  open_job = tp_collect_open_job(&collector);
  open_fault = tp_collect_open_fault(&collector);
  if (o != NULL) {
    put_str(o, "end status ");
    put_long(o, (long)st);
    put_str(o, " collect ");
    put_long(o, (long)cst);
    put_str(o, "\n");
    if (open_job != NULL)
      put_job(o, "open job", open_job);
    if (open_fault != NULL)
      put_fault(o, "open fault", open_fault);
  }
  ms.high_water = 0;
  (void)tp_get_memory_stats(&decoder, &ms);
  tp_release(&decoder);
  close(fd);
  return ms.high_water;
}

/* OUTDIR/N.LABEL.CHUNK.out, or OUTDIR/NAME when label is NULL. */
static int
create(const char *outdir, unsigned long n, const char *label,
       unsigned long chunk) {
  static char path[640];
  out o;

  o.fd = -1;
  o.failed = 0;
  o.len = 0;
  put_str(&o, outdir);
  put_str(&o, "/");
  if (label != NULL) {
    put_ulong(&o, n);
    put_str(&o, ".");
    put_str(&o, label);
    put_str(&o, ".");
    put_ulong(&o, chunk);
    put_str(&o, ".out");
  } else {
    put_str(&o, "stats");
  }
  if (o.len >= sizeof path)
    return -1;
  memcpy(path, o.buf, o.len);
  path[o.len] = '\0';
  return open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
}

static void
fail(const char *what, const char *path) {
  out o = {2, 0, 0, {0}};
  put_str(&o, "collect: cannot ");
  put_str(&o, what);
  put_str(&o, " ");
  put_str(&o, path);
  put_str(&o, "\n");
  flush(&o);
}

/* The records' sizes, which decide what a pool holds. */
static void
put_layout(out *o) {
  put_str(o, "layout task ");
  put_ulong(o, (unsigned long)sizeof(tp_task_record));
  put_str(o, " item ");
  put_ulong(o, (unsigned long)sizeof(tp_item_record));
  put_str(o, "\n");
}

static const struct pool_run measured = {"measured", SAMPLE_POOL, 0};

/* Writes OUTDIR/N.LABEL.CHUNK.out for every pool and chunk size. */
static int
print_runs(const char *outdir, const char *path, unsigned long n,
           const size_t *chunks, int nchunks) {
  static out o;
  size_t p;
  int i;

  for (p = 0; p < sizeof pools / sizeof pools[0]; p++) {
    for (i = 0; i < nchunks; i++) {
      o.failed = 0;
      o.len = 0;
      o.fd = create(outdir, n, pools[p].label, (unsigned long)chunks[i]);
      if (o.fd < 0) {
        fail("write into", outdir);
        return -1;
      }
      put_layout(&o);
      if (collect(path, chunks[i], &pools[p], &o) == 0) {
        close(o.fd);
        fail("decode", path);
        return -1;
      }
      flush(&o);
      if (close(o.fd) != 0 || o.failed) {
        fail("write into", outdir);
        return -1;
      }
    }
  }
  return 0;
}

int main(int argc, char **argv);

int
main(int argc, char **argv) {
  static char path[512];
  static out stats;
  size_t chunks[MAX_CHUNKS];
  int nchunks = 0;
  int list;
  unsigned long n;
  int i;

  for (i = 3; i < argc && nchunks < MAX_CHUNKS; i++) {
    unsigned long c = strtoul(argv[i], NULL, 10);
    if (c == 0 || c > MAX_CHUNK)
      return 2;
    chunks[nchunks++] = (size_t)c;
  }
  if (nchunks == 0 || (list = open(argv[1], O_RDONLY)) < 0)
    return 2;
  if ((stats.fd = create(argv[2], 0, NULL, 0)) < 0) {
    fail("write into", argv[2]);
    return 1;
  }
  for (n = 0; fw_next_path(list, path, sizeof path); n++) {
    size_t hw = 0, stack = 0;
    if (print_runs(argv[2], path, n, chunks, nchunks) != 0)
      return 1;
    for (i = 0; i < nchunks; i++) {
      size_t h, s;
      FW_MEASURE_STACK(&s, h = collect(path, chunks[i], &measured, NULL));
      hw = h > hw ? h : hw;
      stack = s > stack ? s : stack;
    }
    put_ulong(&stats, n);
    put_str(&stats, " ");
    put_ulong(&stats, (unsigned long)hw);
    put_str(&stats, " ");
    put_ulong(&stats, (unsigned long)stack);
    put_str(&stats, "\n");
  }
  put_str(&stats, "decoder ");
  put_ulong(&stats, (unsigned long)sizeof decoder);
  put_str(&stats, "\ncollector ");
  put_ulong(&stats, (unsigned long)sizeof collector);
  put_str(&stats, "\npool ");
  put_ulong(&stats, (unsigned long)measured.size);
  put_str(&stats, "\nheap ");
  put_ulong(&stats, (unsigned long)fw_heap_used());
  put_str(&stats, "\n");
  flush(&stats);
  close(list);
  return close(stats.fd) != 0 || stats.failed;
}
