/* record_slots.h -- where each field goes in the collector's records:
 * the offset of its member in its scope's record (and of the
 * tp_task_state member of a TASK_STATE field), by tp_field_id.
 * Written by lib/genfields.py from lib/fields.def: edit there. */
#ifndef TP_RECORD_SLOTS_H
#define TP_RECORD_SLOTS_H

#include <stddef.h>

#include "taskprogress_collect.h"

struct tp__slot {
  unsigned short at;       /* offsetof the member */
  unsigned short value_at; /* a TASK_STATE's _value member, else 0 */
};

static const struct tp__slot tp__slots[TP_FIELD_COUNT_] = {
    {offsetof(tp_job_record, company_handle), 0},
    {offsetof(tp_job_record, job_handle), 0},
    {offsetof(tp_job_record, name), 0},
    {offsetof(tp_job_record, original_name), 0},
    {offsetof(tp_job_record, type), 0},
    {offsetof(tp_job_record, state), 0},
    {offsetof(tp_job_record, submit_user_email), 0},
    {offsetof(tp_job_record, locale), 0},
    {offsetof(tp_job_record, description), 0},
    {offsetof(tp_job_record, server_name), 0},
    {offsetof(tp_job_record, progress_message), 0},
    {offsetof(tp_job_record, start_date), 0},
    {offsetof(tp_job_record, trigger_time), 0},
    {offsetof(tp_job_record, last_progress_update), 0},
    {offsetof(tp_job_record, total_size), 0},
    {offsetof(tp_job_record, progress), 0},
    {offsetof(tp_task_record, type), 0},
    {offsetof(tp_task_record, state), offsetof(tp_task_record, state_value)},
    {offsetof(tp_task_record, num_processed), 0},
    {offsetof(tp_task_record, num_processing), 0},
    {offsetof(tp_task_record, num_pending), 0},
    {offsetof(tp_task_record, progress), 0},
    {offsetof(tp_task_record, progress_message), 0},
    {offsetof(tp_task_record, last_progress_update), 0},
    {offsetof(tp_item_record, name), 0},
    {offsetof(tp_item_record, progress), 0},
    {offsetof(tp_item_record, progress_message), 0},
    {offsetof(tp_item_record, last_progress_update), 0},
    {offsetof(tp_fault_record, code), 0},
    {offsetof(tp_fault_record, string), 0},
    {offsetof(tp_fault_record, detail_kind), 0},
    {offsetof(tp_fault_record, ips_code), 0},
    {offsetof(tp_fault_record, ips_reason), 0},
};

/* A tp_item_record with no field yet: every string "". */
static const tp_item_record tp__blank_item = {
    .name = "",
    .progress_message = "",
};
/* A tp_task_record with no field yet: every string "". */
static const tp_task_record tp__blank_task = {
    .type = "",
    .state = "",
    .progress_message = "",
};
/* A tp_job_record with no field yet: every string "". */
static const tp_job_record tp__blank_job = {
    .company_handle = "",
    .job_handle = "",
    .name = "",
    .original_name = "",
    .type = "",
    .state = "",
    .submit_user_email = "",
    .locale = "",
    .description = "",
    .server_name = "",
    .progress_message = "",
};
/* A tp_fault_record with no field yet: every string "". */
static const tp_fault_record tp__blank_fault = {
    .code = "",
    .string = "",
    .ips_reason = "",
};

#endif /* TP_RECORD_SLOTS_H */
