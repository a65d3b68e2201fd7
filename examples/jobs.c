/* jobs.c -- print each job of a getActiveJobs response, and its tasks. */
#include <stdio.h>
#include <taskprogress_collect.h>

static int
print_job(void *out, const tp_job_record *job) {
  fprintf(out, "%s: %s, %d%%\n", job->name, job->state, (int)job->progress);
  for (const tp_task_record *t = job->tasks; t != NULL; t = t->next)
    fprintf(out, "  %s: %s, %.0f%%\n", t->type, t->state, t->progress * 100);
  return 0;
}

static int
print_fault(void *out, const tp_fault_record *f) {
  return fprintf(out, "fault %d: %s\n", (int)f->ips_code, f->ips_reason) < 0;
}

int
main(int argc, char **argv) {
  static char pool[65536], buf[4096];
  size_t n;
  tp_collect_config cc;
  tp_collector collector;
  tp_config config;
  tp_decoder dec;
  tp_status st;
  tp_collect_config_init(&cc, pool, sizeof pool);
  cc.job = print_job;
  cc.fault = print_fault;
  cc.user_data = stdout;
  if (argc != 2 || !freopen(argv[1], "rb", stdin) ||
      tp_collect_init(&collector, &cc, &config) || tp_init(&dec, &config))
    return 2;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0 && !tp_feed(&dec, buf, n))
    ;
  if ((st = tp_finish(&dec)) != TP_OK && tp_format_error(&dec, buf, sizeof buf))
    fprintf(stderr, "%s: %s\n", argv[1], buf);
  tp_release(&dec);
  return st != TP_OK;
}
