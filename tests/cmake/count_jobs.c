/* count_jobs.c -- a parent project's program: counts the jobs of the
 * response on standard input. Builds only if taskprogress::taskprogress
 * gives the header and links the library with its expat. */
#include <stdio.h>

#include <taskprogress.h>

static int
on_begin(void *user_data, tp_node node) {
  if (node == TP_NODE_JOB)
    ++*(unsigned long *)user_data;
  return 0;
}

static int
on_end(void *user_data, tp_node node) {
  (void)user_data;
  (void)node;
  return 0;
}

static int
on_field(void *user_data, const tp_field *f) {
  (void)user_data;
  (void)f;
  return 0;
}

int
main(void) {
  static tp_decoder dec;
  static unsigned char buf[4096];
  static const tp_callbacks cb = {on_begin, on_end, on_field};
  unsigned long jobs = 0;
  tp_config cfg;
  tp_status st;
  size_t n;

  tp_config_init(&cfg);
  cfg.callbacks = &cb;
  cfg.user_data = &jobs;
  st = tp_init(&dec, &cfg);
  while (st == TP_OK && (n = fread(buf, 1, sizeof buf, stdin)) > 0)
    st = tp_feed(&dec, buf, n);
  if (st == TP_OK)
    st = tp_finish(&dec);
  tp_release(&dec);
  if (st != TP_OK) {
    fprintf(stderr, "count_jobs: %s\n", tp_strerror(st));
    return 1;
  }
  printf("%lu\n", jobs);
  return 0;
}
