/* taskprogress_fields.h -- tp_field_id: every field the decoder reports.
 * taskprogress.h includes this and documents the fields (units, ranges)
 * and the functions that describe them: include that one.
 * Written by lib/genfields.py from lib/fields.def: edit there. */
#ifndef TASKPROGRESS_FIELDS_H
#define TASKPROGRESS_FIELDS_H

typedef enum tp_field_id {
  /* ActiveJob (scope TP_NODE_JOB) */
  TP_JOB_COMPANY_HANDLE = 0,
  TP_JOB_JOB_HANDLE,
  TP_JOB_NAME,
  TP_JOB_ORIGINAL_NAME,
  TP_JOB_TYPE,
  TP_JOB_STATE,
  TP_JOB_SUBMIT_USER_EMAIL,
  TP_JOB_LOCALE,
  TP_JOB_DESCRIPTION,
  TP_JOB_SERVER_NAME,
  TP_JOB_PROGRESS_MESSAGE,
  TP_JOB_START_DATE,
  TP_JOB_TRIGGER_TIME,
  TP_JOB_LAST_PROGRESS_UPDATE,
  TP_JOB_TOTAL_SIZE,
  TP_JOB_PROGRESS,
  /* TaskProgress (scope TP_NODE_TASK) */
  TP_TASK_TYPE,
  TP_TASK_STATE,
  TP_TASK_NUM_PROCESSED,
  TP_TASK_NUM_PROCESSING,
  TP_TASK_NUM_PENDING,
  TP_TASK_PROGRESS,
  TP_TASK_PROGRESS_MESSAGE,
  TP_TASK_LAST_PROGRESS_UPDATE,
  /* TaskItemProgress (scope TP_NODE_ITEM) */
  TP_ITEM_NAME,
  TP_ITEM_PROGRESS,
  TP_ITEM_PROGRESS_MESSAGE,
  TP_ITEM_LAST_PROGRESS_UPDATE,
  /* SOAP Fault (scope TP_NODE_FAULT) */
  TP_FAULT_CODE,        /* SOAP 1.1 faultcode, SOAP 1.2 Code/Value */
  TP_FAULT_STRING,      /* SOAP 1.1 faultstring, SOAP 1.2 first Reason/Text */
  TP_FAULT_DETAIL_KIND, /* which IPS fault element the detail holds */
  TP_FAULT_IPS_CODE,    /* the IPS fault's code (xsd:int) */
  TP_FAULT_IPS_REASON,  /* the IPS fault's reason */
  TP_FIELD_COUNT_       /* not a field: the number of ids, for tables */
} tp_field_id;

#endif /* TASKPROGRESS_FIELDS_H */
