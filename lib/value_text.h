/* value_text.h -- the field values' side of element dispatch
 * (value_text.c): dispatch.c opens and closes a field, value_text.c reads
 * its text and delivers it. */
#ifndef TP_VALUE_TEXT_H
#define TP_VALUE_TEXT_H

#include "internal.h"

/* A field element opened: its value starts. */
void tp__begin_field(tp_state *st, tp_field_id id);

/* The field's end tag: delivers its value, or records its error. */
void tp__end_field(tp_state *st);

/* Delivers the kind of an IPS fault, which its element's name gives. */
void tp__deliver_fault_kind(tp_state *st, tp_fault_kind kind);

#endif /* TP_VALUE_TEXT_H */
