/* field_lookup.h -- from an element's local name, under the parent that
 * lib/fields.def names for it, to the field it carries: inline, since it
 * runs for nearly every element.
 * Written by lib/genfields.py from lib/fields.def: edit there. */
#ifndef TP_FIELD_LOOKUP_H
#define TP_FIELD_LOOKUP_H

#include <string.h>

#include "internal.h"

/* Whether the n bytes at a are those at b. Optimising for speed, the
 * compiler expands memcmp with a constant n inline (GCC 12 on x86-64);
 * optimising for size it calls the C library's, and the small targets'
 * (newlib's) compares byte by byte, 7 instructions a byte, when either side
 * is unaligned, as a name in expat's buffer is. There the bytes are
 * compared a word at a time: copying to a word is one load where the
 * processor allows unaligned ones. Measured gain on the Cortex-M4
 * (mcu/icount.sh, genbench.py 100 2 50): 4.9 instructions per byte of
 * 117.4, here and in dispatch.c's namespace check (since written out
 * there, faster still). On x86-64 the loop at -O2 cost 1.3 million
 * instructions of 184 million (callgrind, tpbench --only heap-reuse
 * --feeds 4096 medium) more than the inline memcmp. */
static TP_HOT_INLINE int
tp__same_bytes(const char *a, const char *b, size_t n) {
#ifdef __OPTIMIZE_SIZE__
  uint32_t x, y;
  size_t i;
  if (n < sizeof x)
    return memcmp(a, b, n) == 0;
  for (i = 0; i + sizeof x < n; i += sizeof x) {
    memcpy(&x, a + i, sizeof x);
    memcpy(&y, b + i, sizeof y);
    if (x != y)
      return 0;
  }
  /* The last word, overlapping the one before where n is not a
   * multiple: no loop over the bytes left. */
  memcpy(&x, a + n - sizeof x, sizeof x);
  memcpy(&y, b + n - sizeof y, sizeof y);
  return x == y;
#else
  return memcmp(a, b, n) == 0;
#endif
}

/* The lookup has two forms, made from the same rows. Optimising for
 * speed, a switch on the parent and on the name's length, then names of
 * constant length compared (NAME_GIVES), which the compiler expands
 * inline. Optimising for size (or with TP_OPTIMIZE_SIZE), a table: a
 * hash of the parent's role, the name's length and its first and last
 * bytes gives the one row such a name can be (the hash is perfect on
 * fields.def's rows: lib/genfields.py chose its multiplier), whose parent
 * and name decide, the names being tp__fields' own. Measured, each
 * against the other: on x86-64 at -O2 the switch takes 2.0 million fewer
 * instructions of 186 million (callgrind, tpbench --only heap-reuse
 * --feeds 4096 medium); on the Cortex-M4 at -Os the table is 980 bytes
 * smaller (lib/dispatch.o), within 0.1 instructions per byte of its speed
 * (mcu/icount.sh, genbench.py 100 2 50). */
#if defined(__OPTIMIZE_SIZE__) || defined(TP_OPTIMIZE_SIZE)

/* The names of fields.def's arrays (names.c), by their place among its
 * TP_CHILD rows: a table entry is a field's id, or TP_FIELD_COUNT_ and
 * an array's place. */
extern const tp_field_info tp__children[2];

#define TP_LOOKUP_SHIFT 25 /* 32 - the table's bits */
#define TP_LOOKUP_MUL 0x97F8E8C7u
#define TP_LOOKUP_NONE 255 /* an empty slot, a field with no element */

/* The generator lays the tables out, not clang-format: */
/* clang-format off */
static const uint8_t tp__lookup_slots[128] = {
    255, 255, 21, 2, 255, 255, 34, 255, 255, 255, 255, 255, 255, 255, 255, 23,
    255, 14, 255, 255, 255, 255, 255, 255, 255, 1, 8, 10, 255, 255, 255, 255,
    29, 255, 31, 255, 255, 255, 255, 255, 255, 26, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 9, 255, 15, 255, 255, 28,
    255, 255, 255, 255, 255, 255, 11, 255, 255, 13, 25, 255, 4, 255, 255, 255,
    255, 255, 255, 255, 255, 7, 255, 27, 0, 17, 255, 19, 255, 255, 255, 255,
    32, 255, 255, 22, 16, 255, 255, 6, 24, 255, 255, 255, 255, 255, 33, 255,
    255, 255, 18, 3, 5, 255, 255, 255, 255, 255, 255, 12, 255, 255, 20, 255,
    255
};

/* Each entry's parent role. */
static const uint8_t tp__lookup_parents[35] = {
    ROLE_JOB, ROLE_JOB, ROLE_JOB, ROLE_JOB, ROLE_JOB, ROLE_JOB, ROLE_JOB,
    ROLE_JOB, ROLE_JOB, ROLE_JOB, ROLE_JOB, ROLE_JOB, ROLE_JOB, ROLE_JOB,
    ROLE_JOB, ROLE_JOB, ROLE_TASK, ROLE_TASK, ROLE_TASK, ROLE_TASK, ROLE_TASK,
    ROLE_TASK, ROLE_TASK, ROLE_TASK, ROLE_ITEM, ROLE_ITEM, ROLE_ITEM,
    ROLE_ITEM, ROLE_FAULT, ROLE_FAULT, 255, ROLE_FAULT_IPS, ROLE_FAULT_IPS,
    ROLE_JOB, ROLE_TASK
};
/* clang-format on */

/* The field (tp_field_id, >= 0) or array (TP_CHILD_*) that the child
 * `local` (len bytes, not terminated) of a `parent` element carries;
 * -1 for any other name or parent. The namespace is the caller's to
 * check. */
static TP_HOT_INLINE int
tp__lookup_child(tp_role parent, const char *local, size_t len) {
  const uint32_t first = (unsigned char)local[0];
  const uint32_t last = len != 0 ? (unsigned char)local[len - 1] : 0;
  const uint32_t key =
      first + (last << 8) + ((uint32_t)len << 16) + ((uint32_t)parent << 24);
  const uint32_t slot = (uint32_t)(key * TP_LOOKUP_MUL) >> TP_LOOKUP_SHIFT;
  const unsigned e = tp__lookup_slots[slot];
  const tp_field_info *f;
  if (e == TP_LOOKUP_NONE || tp__lookup_parents[e] != (unsigned)parent)
    return -1;
  if (e >= TP_FIELD_COUNT_) { /* an array: the fields' path stays short */
    f = &tp__children[e - TP_FIELD_COUNT_];
    if (f->len != len || memcmp(local, f->name, len) != 0)
      return -1;
    switch (e) {
    case 33:
      return TP_CHILD_TASK_ARRAY;
    default:
      return TP_CHILD_ITEM_ARRAY;
    }
  }
  f = &tp__fields[e];
  if (f->len != len || !tp__same_bytes(local, f->name, len))
    return -1;
  return (int)e;
}

#else

/* Names are told apart by length first, then by their bytes (NAME_GIVES
 * returns the id when they match): one or two comparisons per element
 * instead of a walk over the parent's fields. */
#define NAME_GIVES(s, id)                                                      \
  if (tp__same_bytes(local, s, sizeof(s) - 1))                                 \
  return id

static TP_HOT_INLINE int
job_field(const char *local, size_t len) {
  switch (len) {
  case 4:
    NAME_GIVES("name", TP_JOB_NAME);
    NAME_GIVES("type", TP_JOB_TYPE);
    break;
  case 5:
    NAME_GIVES("state", TP_JOB_STATE);
    break;
  case 6:
    NAME_GIVES("locale", TP_JOB_LOCALE);
    break;
  case 8:
    NAME_GIVES("progress", TP_JOB_PROGRESS);
    break;
  case 9:
    NAME_GIVES("jobHandle", TP_JOB_JOB_HANDLE);
    NAME_GIVES("startDate", TP_JOB_START_DATE);
    NAME_GIVES("totalSize", TP_JOB_TOTAL_SIZE);
    break;
  case 10:
    NAME_GIVES("serverName", TP_JOB_SERVER_NAME);
    break;
  case 11:
    NAME_GIVES("description", TP_JOB_DESCRIPTION);
    NAME_GIVES("triggerTime", TP_JOB_TRIGGER_TIME);
    break;
  case 12:
    NAME_GIVES("originalName", TP_JOB_ORIGINAL_NAME);
    break;
  case 13:
    NAME_GIVES("companyHandle", TP_JOB_COMPANY_HANDLE);
    break;
  case 15:
    NAME_GIVES("submitUserEmail", TP_JOB_SUBMIT_USER_EMAIL);
    NAME_GIVES("progressMessage", TP_JOB_PROGRESS_MESSAGE);
    break;
  case 17:
    NAME_GIVES("taskProgressArray", TP_CHILD_TASK_ARRAY);
    break;
  case 18:
    NAME_GIVES("lastProgressUpdate", TP_JOB_LAST_PROGRESS_UPDATE);
    break;
  }
  return -1;
}

static TP_HOT_INLINE int
task_field(const char *local, size_t len) {
  switch (len) {
  case 8:
    NAME_GIVES("taskType", TP_TASK_TYPE);
    NAME_GIVES("progress", TP_TASK_PROGRESS);
    break;
  case 9:
    NAME_GIVES("taskState", TP_TASK_STATE);
    break;
  case 10:
    NAME_GIVES("numPending", TP_TASK_NUM_PENDING);
    break;
  case 12:
    NAME_GIVES("numProcessed", TP_TASK_NUM_PROCESSED);
    break;
  case 13:
    NAME_GIVES("numProcessing", TP_TASK_NUM_PROCESSING);
    break;
  case 15:
    NAME_GIVES("progressMessage", TP_TASK_PROGRESS_MESSAGE);
    break;
  case 18:
    NAME_GIVES("lastProgressUpdate", TP_TASK_LAST_PROGRESS_UPDATE);
    break;
  case 21:
    NAME_GIVES("taskItemProgressArray", TP_CHILD_ITEM_ARRAY);
    break;
  }
  return -1;
}

static TP_HOT_INLINE int
item_field(const char *local, size_t len) {
  switch (len) {
  case 8:
    NAME_GIVES("itemName", TP_ITEM_NAME);
    NAME_GIVES("progress", TP_ITEM_PROGRESS);
    break;
  case 15:
    NAME_GIVES("progressMessage", TP_ITEM_PROGRESS_MESSAGE);
    break;
  case 18:
    NAME_GIVES("lastProgressUpdate", TP_ITEM_LAST_PROGRESS_UPDATE);
    break;
  }
  return -1;
}

static TP_HOT_INLINE int
fault_field(const char *local, size_t len) {
  switch (len) {
  case 9:
    NAME_GIVES("faultcode", TP_FAULT_CODE);
    break;
  case 11:
    NAME_GIVES("faultstring", TP_FAULT_STRING);
    break;
  }
  return -1;
}

static TP_HOT_INLINE int
fault_ips_field(const char *local, size_t len) {
  switch (len) {
  case 4:
    NAME_GIVES("code", TP_FAULT_IPS_CODE);
    break;
  case 6:
    NAME_GIVES("reason", TP_FAULT_IPS_REASON);
    break;
  }
  return -1;
}

/* The field (tp_field_id, >= 0) or array (TP_CHILD_*) that the child
 * `local` (len bytes, not terminated) of a `parent` element carries;
 * -1 for any other name or parent. The namespace is the caller's to
 * check. */
static TP_HOT_INLINE int
tp__lookup_child(tp_role parent, const char *local, size_t len) {
  switch (parent) {
  case ROLE_JOB:
    return job_field(local, len);
  case ROLE_TASK:
    return task_field(local, len);
  case ROLE_ITEM:
    return item_field(local, len);
  case ROLE_FAULT:
    return fault_field(local, len);
  case ROLE_FAULT_IPS:
    return fault_ips_field(local, len);
  default:
    return -1;
  }
}

#endif

#endif /* TP_FIELD_LOOKUP_H */
