/* test_fields.c -- every tp_field_id through the element lookup
 * (lib/field_lookup.h) and through tp_field_name, tp_field_scope and
 * tp_field_type, as lib/fields.def describes it; and the ids that have
 * shipped, frozen: tp_field_id is append-only (the values are the ABI). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "field_lookup.h"
#include "recorder.h"

/* The element each field is looked up under, from fields.def: a record's
 * fields under the record, a fault field under the parent its row names,
 * and ROLE_DOCUMENT, under which nothing is looked up, for the ones that
 * are structural (NONE). */
#define ROLE_NONE ROLE_DOCUMENT
static const tp_role PARENT[TP_FIELD_COUNT_] = {
#define TP_FIELD(id, name, scope, type) [id] = ROLE_##scope,
#define TP_FAULT_FIELD(id, name, parent, type) [id] = ROLE_##parent,
#define TP_CHILD(scope, name, code)
#include "fields.def"
#undef TP_FIELD
#undef TP_FAULT_FIELD
#undef TP_CHILD
};
#undef ROLE_NONE

/* fields.def's arrays. */
static const struct {
  tp_role parent;
  const char *name;
  int code;
} CHILDREN[] = {
#define TP_FIELD(id, name, scope, type)
#define TP_FAULT_FIELD(id, name, parent, type)
#define TP_CHILD(scope, name, code) {ROLE_##scope, name, code},
#include "fields.def"
#undef TP_FIELD
#undef TP_FAULT_FIELD
#undef TP_CHILD
};
#define N_CHILDREN (sizeof CHILDREN / sizeof CHILDREN[0])

/* Every tp_role, and values past them: tp__lookup_child answers -1 for
 * what it does not know. */
#define ROLES_TRIED 64

/* The name in a buffer longer than any field's, as the parser's is: a
 * literal shorter than the names it is compared with is not. */
static int
lookup(tp_role role, const char *name) {
  char buf[256] = {0};
  size_t len = strlen(name);
  memcpy(buf, name, len);
  return tp__lookup_child(role, buf, len);
}

static void
test_every_field_id_round_trips(void **state) {
  int id;
  (void)state;
  for (id = 0; id < TP_FIELD_COUNT_; id++) {
    const char *name = tp_field_name((tp_field_id)id);
    tp_node scope = tp_field_scope((tp_field_id)id);
    tp_type type = tp_field_type((tp_field_id)id);
    size_t len;
    int r;
    assert_non_null(name);
    len = strlen(name);
    assert_true(len > 0);
    assert_string_not_equal(name, "?");
    assert_int_equal(len, tp__fields[id].len);
    assert_true(scope == TP_NODE_JOB || scope == TP_NODE_TASK ||
                scope == TP_NODE_ITEM || scope == TP_NODE_FAULT);
    assert_true(type < TP_TYPE_UNKNOWN);
    for (r = 0; r < ROLES_TRIED; r++) {
      int got = lookup((tp_role)r, name);
      if (r == (int)PARENT[id] && r != ROLE_DOCUMENT)
        assert_int_equal(got, id); /* its own parent finds it */
      else if (got >= 0)           /* another's field may share the name */
        assert_int_equal(PARENT[got], r);
    }
  }
}

static void
test_field_lookup_wants_the_whole_name(void **state) {
  int id;
  (void)state;
  for (id = 0; id < TP_FIELD_COUNT_; id++) {
    char buf[256];
    size_t len = tp__fields[id].len;
    tp_role role = PARENT[id];
    if (role == ROLE_DOCUMENT)
      continue;
    memcpy(buf, tp__fields[id].name, len);
    /* A prefix, a longer name, and each byte changed: not this field. */
    assert_int_not_equal(tp__lookup_child(role, buf, len - 1), id);
    buf[len] = 's';
    assert_int_not_equal(tp__lookup_child(role, buf, len + 1), id);
    for (size_t i = 0; i < len; i++) {
      buf[i] = (char)(buf[i] ^ 0x20);
      assert_int_not_equal(tp__lookup_child(role, buf, len), id);
      buf[i] = (char)(buf[i] ^ 0x20);
    }
  }
}

static void
test_field_lookup_finds_the_arrays(void **state) {
  size_t i;
  int r;
  (void)state;
  assert_true(N_CHILDREN > 0);
  for (i = 0; i < N_CHILDREN; i++) {
    assert_true(CHILDREN[i].code < -1); /* neither a field nor "none" */
    for (r = 0; r < ROLES_TRIED; r++) {
      int got = lookup((tp_role)r, CHILDREN[i].name);
      if (r == (int)CHILDREN[i].parent)
        assert_int_equal(got, CHILDREN[i].code);
      else
        assert_int_not_equal(got, CHILDREN[i].code);
    }
  }
  assert_int_equal(lookup(ROLE_JOB, "items"), -1);
  assert_int_equal(lookup(ROLE_JOB_ARRAY, "jobHandle"), -1);
}

/* What fields.def leaves to dispatch.c's structure (its "Structural"
 * note): no parent finds those names as fields. */
static void
test_structural_names_are_not_looked_up(void **state) {
  static const char *const names[] = {"Fault",
                                      "detail",
                                      "Detail",
                                      "Code",
                                      "Value",
                                      "Reason",
                                      "Text",
                                      "ipsApiFault",
                                      "authenticationFault",
                                      "authorizationFault"};
  size_t i;
  int r;
  (void)state;
  for (i = 0; i < sizeof names / sizeof names[0]; i++) {
    for (r = 0; r < ROLES_TRIED; r++)
      assert_int_equal(lookup((tp_role)r, names[i]), -1);
  }
  for (r = 0; r < ROLES_TRIED; r++) {
    assert_int_not_equal(lookup((tp_role)r, "type"), TP_FAULT_DETAIL_KIND);
  }
}

static void
test_unknown_field_ids(void **state) {
  const tp_field_id bad[] = {TP_FIELD_COUNT_, (tp_field_id)(-1),
                             (tp_field_id)1000};
  size_t i;
  (void)state;
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_string_equal(tp_field_name(bad[i]), "?");
    assert_int_equal(tp_field_scope(bad[i]), TP_NODE_UNKNOWN);
    assert_int_equal(tp_field_type(bad[i]), TP_TYPE_UNKNOWN);
  }
}

/* Decoding: a child whose name has a known field's length but other
 * bytes is skipped, wherever it stands, and the fields around it decode
 * as without it. The unknown names are fields.def's, each with its first
 * and then its last byte changed. */
typedef struct doc {
  char buf[16384];
  size_t len;
} doc;

static void
put(doc *d, const char *s) {
  size_t n = strlen(s);
  assert_true(d->len + n < sizeof d->buf);
  memcpy(d->buf + d->len, s, n + 1);
  d->len += n;
}

/* Unknown children for a parent: every name fields.def gives it, changed. */
static void
put_unknowns(doc *d, tp_role parent, int with) {
  size_t i, k;
  char name[64];
  if (!with)
    return;
  for (i = 0; i < TP_FIELD_COUNT_ + N_CHILDREN; i++) {
    const char *known = i < TP_FIELD_COUNT_
                            ? tp__fields[i].name
                            : CHILDREN[i - TP_FIELD_COUNT_].name;
    tp_role role =
        i < TP_FIELD_COUNT_ ? PARENT[i] : CHILDREN[i - TP_FIELD_COUNT_].parent;
    size_t n = strlen(known);
    if (role != parent)
      continue;
    for (k = 0; k < 2; k++) {
      memcpy(name, known, n + 1);
      name[k == 0 ? 0 : n - 1] = 'Q';
      put(d, "<");
      put(d, name);
      put(d, ">1<x>2</x></");
      put(d, name);
      put(d, ">");
    }
  }
}

#define IPS "http://www.scene7.com/IpsApi/xsd/2014-04-03"

static void
jobs_doc(doc *d, int with) {
  d->len = 0;
  put(d, "<getActiveJobsReturn xmlns='" IPS "'><jobArray><items>");
  put_unknowns(d, ROLE_JOB, with);
  put(d, "<name>n</name><taskProgressArray><items>");
  put_unknowns(d, ROLE_TASK, with);
  put(d, "<taskType>t</taskType><taskItemProgressArray><items>");
  put_unknowns(d, ROLE_ITEM, with);
  put(d, "<itemName>i</itemName><progress>0.5</progress></items>"
         "</taskItemProgressArray></items></taskProgressArray>"
         "<progress>7</progress></items></jobArray></getActiveJobsReturn>");
}

static void
fault_doc(doc *d, int with) {
  d->len = 0;
  put(d, "<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/'>"
         "<e:Body><e:Fault>");
  put_unknowns(d, ROLE_FAULT, with);
  put(d, "<faultcode>c</faultcode><faultstring>s</faultstring><detail>"
         "<ipsApiFault xmlns='" IPS "'>");
  put_unknowns(d, ROLE_FAULT_IPS, with);
  put(d, "<code>3</code><reason>r</reason></ipsApiFault></detail>"
         "</e:Fault></e:Body></e:Envelope>");
}

static void
test_unknown_children_of_known_lengths_are_skipped(void **state) {
  static const size_t chunks[] = {1, 3, 7, 64, 0};
  static doc plain, odd;
  void (*const make[])(doc *, int) = {jobs_doc, fault_doc};
  size_t m, c;
  (void)state;
  for (m = 0; m < 2; m++) {
    recorder want, got;
    make[m](&plain, 0);
    make[m](&odd, 1);
    assert_true(odd.len > plain.len);
    rec_init(&want);
    rec_init(&got);
    assert_int_equal(rec_decode(&want, plain.buf, plain.len, 0, 0), TP_OK);
    for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
      assert_int_equal(rec_decode(&got, odd.buf, odd.len, chunks[c], 0), TP_OK);
      assert_string_equal(got.buf, want.buf);
    }
    rec_free(&want);
    rec_free(&got);
  }
}

/* The ids as they shipped: a row moved, renamed or retyped in
 * lib/fields.def breaks callers compiled against the old header. A copy
 * on purpose, the one list here not read from fields.def: it holds the
 * table to what was released. */
static const struct {
  tp_field_id id;
  int value;
  const char *name;
  tp_node scope;
  tp_type type;
} SHIPPED[] = {
    {TP_JOB_COMPANY_HANDLE, 0, "companyHandle", TP_NODE_JOB, TP_TYPE_STRING},
    {TP_JOB_JOB_HANDLE, 1, "jobHandle", TP_NODE_JOB, TP_TYPE_STRING},
    {TP_JOB_NAME, 2, "name", TP_NODE_JOB, TP_TYPE_STRING},
    {TP_JOB_ORIGINAL_NAME, 3, "originalName", TP_NODE_JOB, TP_TYPE_STRING},
    {TP_JOB_TYPE, 4, "type", TP_NODE_JOB, TP_TYPE_STRING},
    {TP_JOB_STATE, 5, "state", TP_NODE_JOB, TP_TYPE_STRING},
    {TP_JOB_SUBMIT_USER_EMAIL, 6, "submitUserEmail", TP_NODE_JOB,
     TP_TYPE_STRING},
    {TP_JOB_LOCALE, 7, "locale", TP_NODE_JOB, TP_TYPE_STRING},
    {TP_JOB_DESCRIPTION, 8, "description", TP_NODE_JOB, TP_TYPE_STRING},
    {TP_JOB_SERVER_NAME, 9, "serverName", TP_NODE_JOB, TP_TYPE_STRING},
    {TP_JOB_PROGRESS_MESSAGE, 10, "progressMessage", TP_NODE_JOB,
     TP_TYPE_STRING},
    {TP_JOB_START_DATE, 11, "startDate", TP_NODE_JOB, TP_TYPE_DATETIME},
    {TP_JOB_TRIGGER_TIME, 12, "triggerTime", TP_NODE_JOB, TP_TYPE_DATETIME},
    {TP_JOB_LAST_PROGRESS_UPDATE, 13, "lastProgressUpdate", TP_NODE_JOB,
     TP_TYPE_DATETIME},
    {TP_JOB_TOTAL_SIZE, 14, "totalSize", TP_NODE_JOB, TP_TYPE_INT},
    {TP_JOB_PROGRESS, 15, "progress", TP_NODE_JOB, TP_TYPE_INT},
    {TP_TASK_TYPE, 16, "taskType", TP_NODE_TASK, TP_TYPE_STRING},
    {TP_TASK_STATE, 17, "taskState", TP_NODE_TASK, TP_TYPE_TASK_STATE},
    {TP_TASK_NUM_PROCESSED, 18, "numProcessed", TP_NODE_TASK, TP_TYPE_INT},
    {TP_TASK_NUM_PROCESSING, 19, "numProcessing", TP_NODE_TASK, TP_TYPE_INT},
    {TP_TASK_NUM_PENDING, 20, "numPending", TP_NODE_TASK, TP_TYPE_INT},
    {TP_TASK_PROGRESS, 21, "progress", TP_NODE_TASK, TP_TYPE_DOUBLE},
    {TP_TASK_PROGRESS_MESSAGE, 22, "progressMessage", TP_NODE_TASK,
     TP_TYPE_STRING},
    {TP_TASK_LAST_PROGRESS_UPDATE, 23, "lastProgressUpdate", TP_NODE_TASK,
     TP_TYPE_DATETIME},
    {TP_ITEM_NAME, 24, "itemName", TP_NODE_ITEM, TP_TYPE_STRING},
    {TP_ITEM_PROGRESS, 25, "progress", TP_NODE_ITEM, TP_TYPE_DOUBLE},
    {TP_ITEM_PROGRESS_MESSAGE, 26, "progressMessage", TP_NODE_ITEM,
     TP_TYPE_STRING},
    {TP_ITEM_LAST_PROGRESS_UPDATE, 27, "lastProgressUpdate", TP_NODE_ITEM,
     TP_TYPE_DATETIME},
    {TP_FAULT_CODE, 28, "faultcode", TP_NODE_FAULT, TP_TYPE_STRING},
    {TP_FAULT_STRING, 29, "faultstring", TP_NODE_FAULT, TP_TYPE_STRING},
    {TP_FAULT_DETAIL_KIND, 30, "type", TP_NODE_FAULT, TP_TYPE_FAULT_KIND},
    {TP_FAULT_IPS_CODE, 31, "code", TP_NODE_FAULT, TP_TYPE_INT},
    {TP_FAULT_IPS_REASON, 32, "reason", TP_NODE_FAULT, TP_TYPE_STRING},
};

static void
test_shipped_field_ids_keep_their_values(void **state) {
  size_t i;
  (void)state;
  assert_true(TP_FIELD_COUNT_ >= sizeof SHIPPED / sizeof SHIPPED[0]);
  for (i = 0; i < sizeof SHIPPED / sizeof SHIPPED[0]; i++) {
    assert_int_equal((int)SHIPPED[i].id, SHIPPED[i].value);
    assert_string_equal(tp_field_name(SHIPPED[i].id), SHIPPED[i].name);
    assert_int_equal(tp_field_scope(SHIPPED[i].id), SHIPPED[i].scope);
    assert_int_equal(tp_field_type(SHIPPED[i].id), SHIPPED[i].type);
  }
}

int
main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_field_id_round_trips),
      cmocka_unit_test(test_field_lookup_wants_the_whole_name),
      cmocka_unit_test(test_field_lookup_finds_the_arrays),
      cmocka_unit_test(test_structural_names_are_not_looked_up),
      cmocka_unit_test(test_unknown_field_ids),
      cmocka_unit_test(test_unknown_children_of_known_lengths_are_skipped),
      cmocka_unit_test(test_shipped_field_ids_keep_their_values),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
