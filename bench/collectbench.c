/* collectbench.c -- tpbench --collect (see collectbench.h). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "collectbench.h"

#include <stdio.h>
#include <string.h>

#include "taskprogress.h"
#include "taskprogress_collect.h"

const char *const collect_side_names[COLLECT_SIDES] = {
    "floor-reuse", "read", "collect", "collect-capped"};

/* What a consumer read: the same on both sides when nothing was dropped. */
typedef struct reading {
  uint64_t jobs, tasks, items;
  uint64_t bytes;       /* sum of every string byte */
  uint64_t ints;        /* ints, dateTime parts, task states, fault kinds */
  uint64_t double_bits; /* xor of the doubles' bits */
  uint64_t kept;        /* the collector's masks and counts */
  uint64_t dropped_items, cut_strings;
} reading;

static reading read_sink, collect_sink;

/* Both sides read strings through this one function, so that neither
 * gets a cheaper loop than the other. */
static uint64_t
sum_bytes(const char *s, size_t n) {
  uint64_t h = 0;
  size_t i;
  for (i = 0; i < n; i++)
    h += (unsigned char)s[i];
  return h;
}

static uint64_t
sum_datetime(const tp_datetime *dt) {
  return (uint64_t)(int64_t)dt->year + dt->month + dt->day + dt->hour +
         dt->minute + dt->second + dt->tz_is_z +
         (uint64_t)(int64_t)dt->tz_minutes + dt->nanosecond;
}

static void
add_double(reading *r, double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  r->double_bits ^= bits;
}

/* ---- read: the decoder's callbacks, every value ---- */

static int
read_begin(void *ud, tp_node node) {
  reading *r = ud;
  r->jobs += node == TP_NODE_JOB;
  r->tasks += node == TP_NODE_TASK;
  r->items += node == TP_NODE_ITEM;
  return 0;
}

static int
read_end(void *ud, tp_node node) {
  (void)ud;
  (void)node;
  return 0;
}

static int
read_field(void *ud, const tp_field *f) {
  reading *r = ud;
  switch (f->type) {
  case TP_TYPE_INT:
    r->ints += (uint64_t)(int64_t)f->value.i;
    break;
  case TP_TYPE_DOUBLE:
    add_double(r, f->value.d);
    break;
  case TP_TYPE_DATETIME:
    r->ints += sum_datetime(&f->value.dt);
    break;
  case TP_TYPE_FAULT_KIND:
    r->ints += (uint64_t)f->value.fault_kind;
    break;
  case TP_TYPE_TASK_STATE:
    r->bytes += sum_bytes(f->str, f->len);
    if (f->last)
      r->ints += (uint64_t)f->value.task_state;
    break;
  default:
    r->bytes += sum_bytes(f->str, f->len);
    break;
  }
  return 0;
}

static const tp_callbacks READ = {read_begin, read_end, read_field};

/* ---- collect: the records, every member ---- */

static uint64_t
sum_string(const char *s) {
  return sum_bytes(s, strlen(s));
}

static void
read_masks(reading *r, uint64_t present, uint64_t cut, uint64_t repeated) {
  r->kept += present ^ repeated;
  for (; cut != 0; cut &= cut - 1)
    r->cut_strings++;
}

static void
read_item(reading *r, const tp_item_record *it) {
  r->items++;
  read_masks(r, it->present, it->cut, it->repeated);
  r->bytes += sum_string(it->name) + sum_string(it->progress_message);
  add_double(r, it->progress);
  r->ints += sum_datetime(&it->last_progress_update);
}

static void
read_task(reading *r, const tp_task_record *t) {
  const tp_item_record *it;
  r->tasks++;
  read_masks(r, t->present, t->cut, t->repeated);
  r->kept += t->item_count;
  r->dropped_items += t->dropped_items;
  r->bytes += sum_string(t->type) + sum_string(t->progress_message) +
              sum_string(t->state);
  add_double(r, t->progress);
  r->ints += sum_datetime(&t->last_progress_update) +
             (uint64_t)(int64_t)t->num_processed +
             (uint64_t)(int64_t)t->num_processing +
             (uint64_t)(int64_t)t->num_pending + (uint64_t)t->state_value;
  for (it = t->items; it != NULL; it = it->next)
    read_item(r, it);
}

static int
read_job(void *ud, const tp_job_record *job) {
  reading *r = ud;
  const tp_task_record *t;
  r->jobs++;
  read_masks(r, job->present, job->cut, job->repeated);
  r->kept += job->task_count + job->dropped_tasks + (uint64_t)job->incomplete;
  r->bytes += sum_string(job->company_handle) + sum_string(job->job_handle) +
              sum_string(job->name) + sum_string(job->original_name) +
              sum_string(job->type) + sum_string(job->state) +
              sum_string(job->submit_user_email) + sum_string(job->locale) +
              sum_string(job->description) + sum_string(job->server_name) +
              sum_string(job->progress_message);
  r->ints += sum_datetime(&job->start_date) + sum_datetime(&job->trigger_time) +
             sum_datetime(&job->last_progress_update) +
             (uint64_t)(int64_t)job->total_size +
             (uint64_t)(int64_t)job->progress;
  for (t = job->tasks; t != NULL; t = t->next)
    read_task(r, t);
  return 0;
}

static int
read_fault(void *ud, const tp_fault_record *f) {
  reading *r = ud;
  read_masks(r, f->present, f->cut, f->repeated);
  r->bytes +=
      sum_string(f->code) + sum_string(f->string) + sum_string(f->ips_reason);
  r->ints += (uint64_t)(int64_t)f->ips_code + (uint64_t)f->detail_kind;
  return 0;
}

static _Alignas(max_align_t) unsigned char pool[COLLECT_POOL];

/* ---- the sides ---- */

static int
read_run(const bench_input *in, size_t feed, const bench_options *o,
         reading *r) {
  tp_decoder d;
  tp_config cfg;
  unsigned long k;
  int ok = 1;
  tp_config_init(&cfg);
  cfg.callbacks = &READ;
  cfg.user_data = r;
  cfg.max_slice = o->max_slice;
  if (tp_init(&d, &cfg) != TP_OK)
    return 0;
  for (k = 0; k < in->repeat; k++) {
    if (k > 0 && tp_reset(&d) != TP_OK)
      ok = 0;
    ok &= bench_decoder_parse(&d, in, feed);
  }
  tp_release(&d);
  return ok;
}

static int
collect_runs(const bench_input *in, size_t feed, const bench_options *o,
             int capped, reading *r) {
  tp_collect_config cc;
  tp_collector collector;
  tp_decoder d;
  tp_config cfg;
  unsigned long k;
  int ok = 1;
  tp_collect_config_init(&cc, pool, capped ? COLLECT_CAPPED_POOL : sizeof pool);
  cc.job = read_job;
  cc.fault = read_fault;
  cc.user_data = r;
  if (capped)
    cc.max_items = COLLECT_CAPPED_ITEMS;
  if (tp_collect_init(&collector, &cc, &cfg) != TP_OK)
    return 0;
  cfg.max_slice = o->max_slice;
  if (tp_init(&d, &cfg) != TP_OK)
    return 0;
  for (k = 0; k < in->repeat; k++) {
    if (k > 0 && tp_reset(&d) != TP_OK)
      ok = 0;
    ok &= bench_decoder_parse(&d, in, feed);
  }
  tp_release(&d);
  return ok && tp_collect_status(&collector) == TP_OK;
}

int
collect_run(int side, const bench_input *in, size_t feed,
            const bench_options *o) {
  switch (side) {
  case COLLECT_FLOOR:
    return bench_floor_run(in, feed, o->prompt, 1);
  case COLLECT_READ:
    return read_run(in, feed, o, &read_sink);
  default:
    return collect_runs(in, feed, o, side == COLLECT_CAPPED, &collect_sink);
  }
}

/* ---- checks and the table ---- */

static int
check_input(const bench_input *in, const bench_options *o, reading *capped) {
  bench_input once = *in;
  reading raw, kept;
  once.repeat = 1;
  memset(&raw, 0, sizeof raw);
  memset(&kept, 0, sizeof kept);
  memset(capped, 0, sizeof *capped);
  if (!read_run(&once, 4096, o, &raw) ||
      !collect_runs(&once, 4096, o, 0, &kept) ||
      !collect_runs(&once, 4096, o, 1, capped) || raw.jobs != kept.jobs ||
      raw.tasks != kept.tasks || raw.items != kept.items ||
      raw.bytes != kept.bytes || raw.ints != kept.ints ||
      raw.double_bits != kept.double_bits || kept.dropped_items != 0 ||
      kept.cut_strings != 0 || capped->jobs != raw.jobs) {
    fprintf(stderr, "tpbench: the collector and the callbacks disagree on %s\n",
            in->name);
    return 0;
  }
  capped->dropped_items = raw.items - capped->items;
  return 1;
}

int
collect_table(const bench_options *o) {
  int i, f;
  for (i = 0; i < o->ninputs; i++) {
    reading capped;
    if (!check_input(&o->inputs[i], o, &capped))
      return 0;
    printf("%s: collect-capped (pool %u B, max_items %u) keeps %llu of %llu "
           "items, %llu tasks, cuts %llu strings, per response\n",
           o->inputs[i].name, COLLECT_CAPPED_POOL, COLLECT_CAPPED_ITEMS,
           (unsigned long long)capped.items,
           (unsigned long long)(capped.items + capped.dropped_items),
           (unsigned long long)capped.tasks,
           (unsigned long long)capped.cut_strings);
  }
  printf("%-8s %-6s %11s %7s %7s %7s   %7s %7s\n", "input", "feed",
         "expat MB/s", "read", "collect", "capped", "collect", "capped");
  printf("%-8s %-6s %11s %7s %7s %7s   %7s %7s\n", "", "", "", "/expat",
         "/expat", "/expat", "/read", "/read");
  for (i = 0; i < o->ninputs; i++) {
    const bench_input *in = &o->inputs[i];
    double bytes = (double)in->len * (double)in->repeat;
    for (f = 0; f < o->nfeeds; f++) {
      size_t feed = o->feeds[f] ? o->feeds[f] : in->len;
      double t[COLLECT_SIDES][BENCH_MAX_REPS];
      char label[24]; /* "whole" or a size_t in decimal */
      if (!bench_rounds(o, in, feed, COLLECT_SIDES, collect_run,
                        collect_side_names, t))
        return 0;
      bench_feed_label(label, sizeof label, o->feeds[f]);
      printf("%-8s %-6s %11.1f %7.3f %7.3f %7.3f   %7.3f %7.3f\n", in->name,
             label, bytes / bench_median(t[COLLECT_FLOOR], o->reps) / 1e6,
             bench_median_ratio(t[COLLECT_READ], t[COLLECT_FLOOR], o->reps),
             bench_median_ratio(t[COLLECT_KEEP], t[COLLECT_FLOOR], o->reps),
             bench_median_ratio(t[COLLECT_CAPPED], t[COLLECT_FLOOR], o->reps),
             bench_median_ratio(t[COLLECT_KEEP], t[COLLECT_READ], o->reps),
             bench_median_ratio(t[COLLECT_CAPPED], t[COLLECT_READ], o->reps));
      fflush(stdout);
    }
  }
  return 1;
}

void
collect_keep_alive(void) {
  if (read_sink.bytes == 42u && collect_sink.bytes == 42u)
    printf("%llu\n", (unsigned long long)(read_sink.bytes ^ collect_sink.bytes ^
                                          read_sink.ints ^ collect_sink.kept));
}
