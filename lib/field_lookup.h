/* field_lookup.h -- from a record's child element (local name) to the
 * field it carries: inline, since it runs for nearly every element. */
#ifndef TP_FIELD_LOOKUP_H
#define TP_FIELD_LOOKUP_H

#include <string.h>

#include "internal.h"

/* Names are told apart by length first, then by their bytes: one or two
 * comparisons per element instead of a walk over the record's fields. */
#define NAME_IS(lit) (memcmp(local, lit, sizeof(lit) - 1) == 0)

static TP_HOT_INLINE int
job_field(const char *local, size_t len) {
  switch (len) {
  case 4:
    return NAME_IS("name") ? TP_JOB_NAME : NAME_IS("type") ? TP_JOB_TYPE : -1;
  case 5:
    return NAME_IS("state") ? TP_JOB_STATE : -1;
  case 6:
    return NAME_IS("locale") ? TP_JOB_LOCALE : -1;
  case 8:
    return NAME_IS("progress") ? TP_JOB_PROGRESS : -1;
  case 9:
    return NAME_IS("jobHandle")   ? TP_JOB_JOB_HANDLE
           : NAME_IS("startDate") ? TP_JOB_START_DATE
           : NAME_IS("totalSize") ? TP_JOB_TOTAL_SIZE
                                  : -1;
  case 10:
    return NAME_IS("serverName") ? TP_JOB_SERVER_NAME : -1;
  case 11:
    return NAME_IS("description")   ? TP_JOB_DESCRIPTION
           : NAME_IS("triggerTime") ? TP_JOB_TRIGGER_TIME
                                    : -1;
  case 12:
    return NAME_IS("originalName") ? TP_JOB_ORIGINAL_NAME : -1;
  case 13:
    return NAME_IS("companyHandle") ? TP_JOB_COMPANY_HANDLE : -1;
  case 15:
    return NAME_IS("progressMessage")   ? TP_JOB_PROGRESS_MESSAGE
           : NAME_IS("submitUserEmail") ? TP_JOB_SUBMIT_USER_EMAIL
                                        : -1;
  case 17:
    return NAME_IS("taskProgressArray") ? TP_CHILD_TASK_ARRAY : -1;
  case 18:
    return NAME_IS("lastProgressUpdate") ? TP_JOB_LAST_PROGRESS_UPDATE : -1;
  default:
    return -1;
  }
}

static TP_HOT_INLINE int
task_field(const char *local, size_t len) {
  switch (len) {
  case 8:
    return NAME_IS("progress")   ? TP_TASK_PROGRESS
           : NAME_IS("taskType") ? TP_TASK_TYPE
                                 : -1;
  case 9:
    return NAME_IS("taskState") ? TP_TASK_STATE : -1;
  case 10:
    return NAME_IS("numPending") ? TP_TASK_NUM_PENDING : -1;
  case 12:
    return NAME_IS("numProcessed") ? TP_TASK_NUM_PROCESSED : -1;
  case 13:
    return NAME_IS("numProcessing") ? TP_TASK_NUM_PROCESSING : -1;
  case 15:
    return NAME_IS("progressMessage") ? TP_TASK_PROGRESS_MESSAGE : -1;
  case 18:
    return NAME_IS("lastProgressUpdate") ? TP_TASK_LAST_PROGRESS_UPDATE : -1;
  case 21:
    return NAME_IS("taskItemProgressArray") ? TP_CHILD_ITEM_ARRAY : -1;
  default:
    return -1;
  }
}

static TP_HOT_INLINE int
item_field(const char *local, size_t len) {
  switch (len) {
  case 8:
    return NAME_IS("progress")   ? TP_ITEM_PROGRESS
           : NAME_IS("itemName") ? TP_ITEM_NAME
                                 : -1;
  case 15:
    return NAME_IS("progressMessage") ? TP_ITEM_PROGRESS_MESSAGE : -1;
  case 18:
    return NAME_IS("lastProgressUpdate") ? TP_ITEM_LAST_PROGRESS_UPDATE : -1;
  default:
    return -1;
  }
}

static TP_HOT_INLINE int
tp__lookup_child(tp_role record, const char *local, size_t len) {
  switch (record) {
  case ROLE_JOB:
    return job_field(local, len);
  case ROLE_TASK:
    return task_field(local, len);
  case ROLE_ITEM:
    return item_field(local, len);
  default:
    return -1;
  }
}

#endif /* TP_FIELD_LOOKUP_H */
