/* taskprogress_records.h -- the records the collector hands over: a
 * struct per record, a member per field. taskprogress_collect.h includes
 * this and documents the records: include that one.
 * Written by lib/genfields.py from lib/fields.def: edit there. */
#ifndef TASKPROGRESS_RECORDS_H
#define TASKPROGRESS_RECORDS_H

#include "taskprogress.h"

/* A field's bit in a record's present, cut and repeated masks. */
#define TP_FIELD_BIT(id) ((uint64_t)1 << (id))

/* String members per record (TP_COLLECT_POOL_SIZE counts them). */
#define TP_ITEM_STRINGS 2
#define TP_TASK_STRINGS 3
#define TP_JOB_STRINGS 11
#define TP_FAULT_STRINGS 3

/* One TaskItemProgress. */
typedef struct tp_item_record {
  const struct tp_item_record *next; /* the task's next item, or NULL */
  uint64_t present;                  /* TP_FIELD_BIT of each field that came */
  uint64_t cut;                      /* ... of each string cut to fit */
  uint64_t repeated;                 /* ... of each field that came again */
  const char *name;                  /* itemName */
  const char *progress_message;      /* progressMessage */
  double progress;                   /* progress */
  tp_datetime last_progress_update;  /* lastProgressUpdate */
} tp_item_record;

/* One TaskProgress, with the items kept. */
typedef struct tp_task_record {
  const struct tp_task_record *next; /* the job's next task, or NULL */
  const tp_item_record *items;       /* the first item kept, or NULL */
  size_t item_count;                 /* items kept */
  size_t dropped_items;              /* items of this task not kept */
  uint64_t present;                  /* TP_FIELD_BIT of each field that came */
  uint64_t cut;                      /* ... of each string cut to fit */
  uint64_t repeated;                 /* ... of each field that came again */
  const char *type;                  /* taskType */
  const char *progress_message;      /* progressMessage */
  const char *state;                 /* taskState */
  double progress;                   /* progress */
  tp_datetime last_progress_update;  /* lastProgressUpdate */
  int32_t num_processed;             /* numProcessed */
  int32_t num_processing;            /* numProcessing */
  int32_t num_pending;               /* numPending */
  tp_task_state state_value;         /* taskState as a tp_task_state */
} tp_task_record;

/* One ActiveJob, with the tasks kept. */
typedef struct tp_job_record {
  const tp_task_record *tasks;      /* the first task kept, or NULL */
  size_t task_count;                /* tasks kept */
  size_t dropped_tasks;             /* tasks not kept */
  size_t dropped_items;             /* items not kept, of any task */
  uint64_t present;                 /* TP_FIELD_BIT of each field that came */
  uint64_t cut;                     /* ... of each string cut to fit */
  uint64_t repeated;                /* ... of each field that came again */
  const char *company_handle;       /* companyHandle */
  const char *job_handle;           /* jobHandle */
  const char *name;                 /* name */
  const char *original_name;        /* originalName */
  const char *type;                 /* type */
  const char *state;                /* state */
  const char *submit_user_email;    /* submitUserEmail */
  const char *locale;               /* locale */
  const char *description;          /* description */
  const char *server_name;          /* serverName */
  const char *progress_message;     /* progressMessage */
  tp_datetime start_date;           /* startDate */
  tp_datetime trigger_time;         /* triggerTime */
  tp_datetime last_progress_update; /* lastProgressUpdate */
  int32_t total_size;               /* totalSize */
  int32_t progress;                 /* progress */
  int incomplete;                   /* something of it was not kept */
} tp_job_record;

/* One SOAP Fault. */
typedef struct tp_fault_record {
  uint64_t present;          /* TP_FIELD_BIT of each field that came */
  uint64_t cut;              /* ... of each string cut to fit */
  uint64_t repeated;         /* ... of each field that came again */
  const char *code;          /* faultcode */
  const char *string;        /* faultstring */
  const char *ips_reason;    /* reason */
  int32_t ips_code;          /* code */
  tp_fault_kind detail_kind; /* type */
  int incomplete;            /* something of it was not kept */
} tp_fault_record;

#endif /* TASKPROGRESS_RECORDS_H */
