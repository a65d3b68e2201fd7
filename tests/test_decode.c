/* test_decode.c -- golden event traces: every response in tests/data
 * decodes into exactly its .trace, at every chunk size, with reparse
 * deferral on and off, and split at every byte offset into two pieces. */
#define _POSIX_C_SOURCE 200809L /* strdup, opendir */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recorder.h"
#include "support.h"

static const size_t CHUNKS[] = {0, 1, 2, 3, 7, 64, 4096};
static const unsigned FLAGS[] = {0, TP_FLAG_PROMPT};

typedef struct golden {
  char name[256];
  char *xml;
  size_t xml_len;
  char *trace;
  size_t trace_len;
} golden;

static golden *
load_golden(const char *name) {
  char file[300], path[1024];
  golden *g = calloc(1, sizeof *g);
  assert_non_null(g);
  snprintf(g->name, sizeof g->name, "%s", name);
  snprintf(file, sizeof file, "%s.xml", name);
  g->xml = read_test_data(file, &g->xml_len);
  assert_non_null(g->xml);
  snprintf(file, sizeof file, "%s.trace", name);
  test_path(path, sizeof path, test_data_dir(), file);
  g->trace = read_file(path, &g->trace_len);
  if (g->trace == NULL && getenv("TP_UPDATE_GOLDEN")) {
    /* Writing a missing golden file is a manual step: review it. */
    recorder r;
    FILE *f;
    rec_init(&r);
    rec_decode(&r, g->xml, g->xml_len, 0, 0);
    f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(r.buf, 1, r.len, f);
    fclose(f);
    g->trace = r.buf;
    g->trace_len = r.len;
    fprintf(stderr, "wrote %s\n", path);
  }
  if (g->trace == NULL)
    fail_msg("missing %s (run with TP_UPDATE_GOLDEN=1 to create it)", path);
  return g;
}

static void
free_golden(golden *g) {
  free(g->xml);
  free(g->trace);
  free(g);
}

static void
expect_trace(const golden *g, const recorder *r, const char *how) {
  if (r->violations != 0)
    fail_msg("%s (%s): %lu callback contract violations\n%s", g->name, how,
             r->violations, r->buf);
  if (strcmp(r->buf, g->trace) != 0)
    fail_msg("%s (%s): trace differs\n--- expected\n%s--- got\n%s", g->name,
             how, g->trace, r->buf);
}

/* Every chunk size x deferral on/off gives the golden trace. The group
 * setup of each response's group loaded it. */
static void
test_chunked(void **state) {
  const golden *g = *state;
  recorder r;
  size_t c, f;
  rec_init(&r);
  for (f = 0; f < sizeof FLAGS / sizeof FLAGS[0]; f++) {
    for (c = 0; c < sizeof CHUNKS / sizeof CHUNKS[0]; c++) {
      char how[64];
      rec_decode(&r, g->xml, g->xml_len, CHUNKS[c], FLAGS[f]);
      snprintf(how, sizeof how, "chunk %zu, flags %u", CHUNKS[c], FLAGS[f]);
      expect_trace(g, &r, how);
    }
  }
  rec_free(&r);
}

/* Two pieces, split at every byte offset. */
static void
test_every_split(void **state) {
  const golden *g = *state;
  recorder r;
  size_t split, f;
  rec_init(&r);
  for (f = 0; f < sizeof FLAGS / sizeof FLAGS[0]; f++) {
    for (split = 0; split <= g->xml_len; split++) {
      char how[64];
      rec_decode_split(&r, g->xml, g->xml_len, split, FLAGS[f]);
      snprintf(how, sizeof how, "split at %zu, flags %u", split, FLAGS[f]);
      expect_trace(g, &r, how);
    }
  }
  rec_free(&r);
}

/* The conformance example is the same document as
 * tests/data/two-jobs.xml: both must give the same golden trace. */
static void
test_conformance_example(void **state) {
  golden *g;
  char *xml;
  size_t len, c;
  recorder r;
  (void)state;
  g = load_golden("two-jobs");
  xml = read_conformance("examples/getActiveJobs-two-jobs.xml", &len);
  assert_non_null(xml);
  rec_init(&r);
  for (c = 0; c < sizeof CHUNKS / sizeof CHUNKS[0]; c++) {
    rec_decode(&r, xml, len, CHUNKS[c], 0);
    expect_trace(g, &r, "conformance example");
  }
  rec_free(&r);
  free(xml);
  free_golden(g);
}

/* Regression: the fuzz harnesses had a recorder of their own that checked
 * more of the callback contract than this one (taskState value against its
 * text, dateTime ranges, the fault kind, calls after a stop). Now one
 * recorder serves both: each broken rule is a violation here too. */
static tp_field
last_call_of(tp_field_id id) {
  tp_field f;
  memset(&f, 0, sizeof f);
  f.id = id;
  f.type = tp_field_type(id);
  f.str = "";
  f.last = 1;
  return f;
}

static void
test_recorder_flags_contract_violations(void **state) {
  const tp_callbacks *cb = rec_callbacks();
  recorder r;
  tp_field f;
  (void)state;
  rec_init(&r);

  f = last_call_of(TP_TASK_STATE);
  f.str = "Done";
  f.len = 4;
  f.last = 0;
  assert_int_equal(cb->field(&r, &f), 0);
  f.len = 0;
  f.last = 1;
  f.value.task_state = TP_TASK_STATE_FAILED;
  assert_int_equal(cb->field(&r, &f), 0);
  assert_int_equal(r.violations, 1);
  assert_non_null(strstr(r.buf, "VIOLATION: taskState value"));

  rec_clear(&r);
  f = last_call_of(TP_JOB_START_DATE);
  f.value.dt.year = 2001;
  f.value.dt.month = 2;
  f.value.dt.day = 29;
  f.value.dt.tz_minutes = TP_TZ_NONE;
  assert_int_equal(cb->field(&r, &f), 0);
  assert_int_equal(r.violations, 1);

  rec_clear(&r);
  r.stop_at = 1;
  assert_int_equal(cb->begin(&r, TP_NODE_JOB), 1);
  assert_int_equal(r.violations, 0);
  assert_int_equal(cb->end(&r, TP_NODE_JOB), 1);
  assert_int_equal(r.calls_after_stop, 1);
  assert_int_equal(r.violations, 1);
  rec_free(&r);
}

static int
by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The response the next group is about: cmocka's public API runs groups
 * of a size known when compiling, so each response gets a group of its
 * own, whose setup loads it and hands it to the tests as their state. */
static const char *group_response;

static int
load_group(void **state) {
  *state = load_golden(group_response);
  return 0;
}

/* Also after a failed setup, which left no state. */
static int
free_group(void **state) {
  if (*state != NULL)
    free_golden(*state);
  return 0;
}

int
main(void) {
  static const struct CMUnitTest per_response[] = {
      cmocka_unit_test(test_chunked),
      cmocka_unit_test(test_every_split),
  };
  static const struct CMUnitTest others[] = {
      cmocka_unit_test(test_conformance_example),
      cmocka_unit_test(test_recorder_flags_contract_violations),
  };
  DIR *dir = opendir(test_data_dir());
  struct dirent *e;
  char **names = NULL;
  size_t n = 0, i;
  int failed = 0;
  if (dir == NULL) {
    fprintf(stderr, "cannot open %s\n", test_data_dir());
    return 1;
  }
  while ((e = readdir(dir)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len > 4 && strcmp(e->d_name + len - 4, ".xml") == 0) {
      names = realloc(names, (n + 1) * sizeof *names);
      names[n] = strdup(e->d_name);
      names[n][len - 4] = '\0';
      n++;
    }
  }
  closedir(dir);
  if (n == 0) {
    fprintf(stderr, "no .xml files in %s\n", test_data_dir());
    return 1;
  }
  qsort(names, n, sizeof *names, by_name);
  for (i = 0; i < n; i++) {
    char group[300];
    snprintf(group, sizeof group, "decode %s", names[i]);
    group_response = names[i];
    print_message("%s\n", group);
    failed += cmocka_run_group_tests_name(group, per_response, load_group,
                                          free_group);
  }
  failed += cmocka_run_group_tests_name("decode", others, NULL, NULL);
  for (i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return failed;
}
