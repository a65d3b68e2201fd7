/* field_lookup.h -- from an element's local name, under the parent that
 * lib/fields.def names for it, to the field it carries: inline, since it
 * runs for nearly every element.
 * Written by lib/genfields.py from lib/fields.def: edit there. */
#ifndef TP_FIELD_LOOKUP_H
#define TP_FIELD_LOOKUP_H

#include <string.h>

#include "internal.h"

/* Names are told apart by length first, then by their bytes: one or two
 * comparisons per element instead of a walk over the parent's fields. */
#define NAME_IS(lit) (memcmp(local, lit, sizeof(lit) - 1) == 0)

static TP_HOT_INLINE int
job_field(const char *local, size_t len) {
  switch (len) {
  case 4:
    if (NAME_IS("name"))
      return TP_JOB_NAME;
    if (NAME_IS("type"))
      return TP_JOB_TYPE;
    return -1;
  case 5:
    if (NAME_IS("state"))
      return TP_JOB_STATE;
    return -1;
  case 6:
    if (NAME_IS("locale"))
      return TP_JOB_LOCALE;
    return -1;
  case 8:
    if (NAME_IS("progress"))
      return TP_JOB_PROGRESS;
    return -1;
  case 9:
    if (NAME_IS("jobHandle"))
      return TP_JOB_JOB_HANDLE;
    if (NAME_IS("startDate"))
      return TP_JOB_START_DATE;
    if (NAME_IS("totalSize"))
      return TP_JOB_TOTAL_SIZE;
    return -1;
  case 10:
    if (NAME_IS("serverName"))
      return TP_JOB_SERVER_NAME;
    return -1;
  case 11:
    if (NAME_IS("description"))
      return TP_JOB_DESCRIPTION;
    if (NAME_IS("triggerTime"))
      return TP_JOB_TRIGGER_TIME;
    return -1;
  case 12:
    if (NAME_IS("originalName"))
      return TP_JOB_ORIGINAL_NAME;
    return -1;
  case 13:
    if (NAME_IS("companyHandle"))
      return TP_JOB_COMPANY_HANDLE;
    return -1;
  case 15:
    if (NAME_IS("submitUserEmail"))
      return TP_JOB_SUBMIT_USER_EMAIL;
    if (NAME_IS("progressMessage"))
      return TP_JOB_PROGRESS_MESSAGE;
    return -1;
  case 17:
    if (NAME_IS("taskProgressArray"))
      return TP_CHILD_TASK_ARRAY;
    return -1;
  case 18:
    if (NAME_IS("lastProgressUpdate"))
      return TP_JOB_LAST_PROGRESS_UPDATE;
    return -1;
  default:
    return -1;
  }
}

static TP_HOT_INLINE int
task_field(const char *local, size_t len) {
  switch (len) {
  case 8:
    if (NAME_IS("taskType"))
      return TP_TASK_TYPE;
    if (NAME_IS("progress"))
      return TP_TASK_PROGRESS;
    return -1;
  case 9:
    if (NAME_IS("taskState"))
      return TP_TASK_STATE;
    return -1;
  case 10:
    if (NAME_IS("numPending"))
      return TP_TASK_NUM_PENDING;
    return -1;
  case 12:
    if (NAME_IS("numProcessed"))
      return TP_TASK_NUM_PROCESSED;
    return -1;
  case 13:
    if (NAME_IS("numProcessing"))
      return TP_TASK_NUM_PROCESSING;
    return -1;
  case 15:
    if (NAME_IS("progressMessage"))
      return TP_TASK_PROGRESS_MESSAGE;
    return -1;
  case 18:
    if (NAME_IS("lastProgressUpdate"))
      return TP_TASK_LAST_PROGRESS_UPDATE;
    return -1;
  case 21:
    if (NAME_IS("taskItemProgressArray"))
      return TP_CHILD_ITEM_ARRAY;
    return -1;
  default:
    return -1;
  }
}

static TP_HOT_INLINE int
item_field(const char *local, size_t len) {
  switch (len) {
  case 8:
    if (NAME_IS("itemName"))
      return TP_ITEM_NAME;
    if (NAME_IS("progress"))
      return TP_ITEM_PROGRESS;
    return -1;
  case 15:
    if (NAME_IS("progressMessage"))
      return TP_ITEM_PROGRESS_MESSAGE;
    return -1;
  case 18:
    if (NAME_IS("lastProgressUpdate"))
      return TP_ITEM_LAST_PROGRESS_UPDATE;
    return -1;
  default:
    return -1;
  }
}

static TP_HOT_INLINE int
fault_field(const char *local, size_t len) {
  switch (len) {
  case 9:
    if (NAME_IS("faultcode"))
      return TP_FAULT_CODE;
    return -1;
  case 11:
    if (NAME_IS("faultstring"))
      return TP_FAULT_STRING;
    return -1;
  default:
    return -1;
  }
}

static TP_HOT_INLINE int
fault_ips_field(const char *local, size_t len) {
  switch (len) {
  case 4:
    if (NAME_IS("code"))
      return TP_FAULT_IPS_CODE;
    return -1;
  case 6:
    if (NAME_IS("reason"))
      return TP_FAULT_IPS_REASON;
    return -1;
  default:
    return -1;
  }
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

#endif /* TP_FIELD_LOOKUP_H */
