/* value_text.h -- the field values' side of element dispatch
 * (value_text.c): dispatch.c opens and closes a field, value_text.c reads
 * its text and delivers it. */
#ifndef TP_VALUE_TEXT_H
#define TP_VALUE_TEXT_H

#include "internal.h"

/* A field element opened: its value starts. Inline: nearly every element
 * of a response is a field, and dispatch.c is its one caller. */
/* What only typed values keep: their excerpt, length and validity. */
static TP_HOT_INLINE void
begin_typed(tp_state *st) {
  st->value.bad = 0;
  st->value.excerpt_len = 0;
  st->value.excerpt_cut = 0;
  st->value.room = st->set.value_limit;
  st->value.too_long = 0;
}

static TP_HOT_INLINE void
tp__begin_field(tp_state *st, tp_field_id id) {
  st->value.field = id;
  st->value.type = (tp_type)tp__fields[id].type;
  switch (st->value.type) {
  case TP_TYPE_INT:
    begin_typed(st);
    tp__int_begin(&st->value.lex.i);
    break;
  case TP_TYPE_DOUBLE:
    begin_typed(st);
    tp__double_begin(&st->value.lex.d);
    break;
  case TP_TYPE_DATETIME:
    begin_typed(st);
    tp__datetime_begin(&st->value.lex.dt);
    break;
  case TP_TYPE_TASK_STATE:
    st->value.state_candidates = tp__task_state_all();
    st->value.match_len = 0;
    break;
  case TP_TYPE_STRING:
  case TP_TYPE_FAULT_KIND:
  case TP_TYPE_UNKNOWN: /* no field has it */
    break;
  }
}

/* The field's end tag: delivers its value, or records its error. */
void tp__end_field(tp_state *st);

/* Delivers the kind of an IPS fault, which its element's name gives. */
void tp__deliver_fault_kind(tp_state *st, tp_fault_kind kind);

#endif /* TP_VALUE_TEXT_H */
