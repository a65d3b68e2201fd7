/* value_text.c -- the text of the field being read: kept for the error
 * message, counted against max_value_bytes, fed to the field's lexer,
 * and delivered as the field's value (or its error) at the end tag. Which
 * element is a field is dispatch.c's business. */
#include <string.h>

#include "arena.h"
#include "internal.h"
#include "value_text.h"

static TP_HOT_INLINE void
emit_field(tp_state *st, const tp_field *f) {
  if (st->set.cb && st->set.cb->field) {
    const int stop = st->set.cb->field(st->set.user_data, f);
    tp__arena_after_callback(st->feed.arena);
    if (stop)
      tp__fail_status(st, TP_STOPPED);
  }
}

/* A field with no value, copied: built with memset, GCC at -Os calls
 * newlib's, some 65 instructions for these 32 bytes, where the copy is a
 * short loop inline. Measured gain on the Cortex-M4 (mcu/icount.sh,
 * genbench.py 100 2 50): 0.8 instructions per byte (113.3 against 112.5);
 * x86-64 (callgrind, tpbench --only heap-reuse --feeds 4096 medium): lib/'s
 * own instructions 19,698,602 against 19,635,123. */
static const tp_field BLANK_FIELD = {.str = "", .last = 1};

static TP_HOT_INLINE void
init_field(tp_field *f, tp_field_id id, tp_type type) {
  memcpy(f, &BLANK_FIELD, sizeof *f);
  f->id = id;
  f->type = type;
}

static TP_COLD void
set_value_error(tp_state *st, tp_status status) {
  tp__fail(st, status, (int)st->value.field, st->value.excerpt,
           st->value.excerpt_len,
           st->value.excerpt_cut ? TP_DETAIL_CUT : TP_DETAIL_WHOLE);
}

void
tp__deliver_fault_kind(tp_state *st, tp_fault_kind kind) {
  tp_field f;
  init_field(&f, TP_FAULT_DETAIL_KIND, TP_TYPE_FAULT_KIND);
  f.value.fault_kind = kind;
  emit_field(st, &f);
}

/* Keeps the start of a typed value's text (after leading whitespace) for
 * the error message, and whether more followed: what is kept never
 * depends on how the text was split. */
static TP_HOT_INLINE void
keep_excerpt(tp_state *st, const char *s, size_t n) {
  size_t room = sizeof st->value.excerpt - 1u - st->value.excerpt_len;
  if (st->value.excerpt_len == 0) {
    while (n > 0 && tp__is_xml_space(*s)) {
      s++;
      n--;
    }
  }
  if (n > room) {
    /* Expat delivers whole characters; cut before one that does not fit,
     * so that the detail stays UTF-8. */
    st->value.excerpt_cut = 1;
    n = room;
    while (n > 0 && ((unsigned char)s[n] & 0xC0u) == 0x80u)
      n--;
  }
  memcpy(st->value.excerpt + st->value.excerpt_len, s, n);
  st->value.excerpt_len = (uint8_t)(st->value.excerpt_len + n);
}

/* Counts a typed value's text against max_value_bytes. Past the limit the
 * rest of the text is ignored and the error is reported at the end tag,
 * like every other value error: where a piece of text ends depends on the
 * chunking, so an error raised inside the text would move with it.
 * Returns 1 when the text is (now) too long. */
static TP_HOT_INLINE int
count_value_bytes(tp_state *st, size_t n) {
  if (n > st->value.room) {
    /* value_room stays 0: every later piece is too long as well. */
    st->value.too_long = 1;
    st->value.room = 0;
    return 1;
  }
  st->value.room -= n;
  return 0;
}

/* The bookkeeping every piece of a typed value's text gets: its first
 * bytes for a message, then its length. Returns whether the lexer should
 * see it: not once the text is too long or cannot be valid any more. */
static TP_HOT_INLINE int
typed_text(tp_state *st, const char *s, size_t n) {
  if (!st->value.excerpt_cut)
    keep_excerpt(st, s, n);
  return !count_value_bytes(st, n) && !st->value.bad;
}

static void
string_text(tp_state *st, const char *s, size_t n) {
  tp_field f;
  if (st->value.type == TP_TYPE_TASK_STATE) {
    st->value.state_candidates = tp__task_state_step(st->value.state_candidates,
                                                     st->value.match_len, s, n);
    /* Saturate: only "longer than any name" matters past this point. */
    st->value.match_len = n > UINT32_MAX - st->value.match_len
                              ? UINT32_MAX
                              : st->value.match_len + (uint32_t)n;
  }
  init_field(&f, st->value.field, st->value.type);
  f.str = s;
  f.len = n;
  f.last = 0;
  emit_field(st, &f);
}

void XMLCALL
tp__on_text(void *user_data, const XML_Char *s, int len) {
  tp_state *st = (tp_state *)user_data;
  tp_value *v = &st->value;
  size_t n;
  if (!st->doc.in_field || st->feed.halted || len <= 0)
    return;
  n = (size_t)len;
  /* Typed values: the lexers stop looking once the text cannot be valid. */
  switch (v->type) {
  case TP_TYPE_DOUBLE:
    if (typed_text(st, s, n))
      v->bad = (uint8_t)(tp__double_feed(&v->lex.d, s, n) != 0);
    return;
  case TP_TYPE_DATETIME:
    if (typed_text(st, s, n))
      v->bad = (uint8_t)(tp__datetime_feed(&v->lex.dt, s, n) != 0);
    return;
  case TP_TYPE_INT:
    if (typed_text(st, s, n))
      v->bad = (uint8_t)(tp__int_feed(&v->lex.i, s, n) != 0);
    return;
  case TP_TYPE_STRING:
  case TP_TYPE_TASK_STATE:
    string_text(st, s, n);
    return;
  case TP_TYPE_FAULT_KIND:
  case TP_TYPE_UNKNOWN: /* no field has it */
    return;
  }
}

void
tp__end_field(tp_state *st) {
  tp_value *v = &st->value;
  tp_status bad = TP_OK;
  tp_field f;
  init_field(&f, v->field, v->type);
  switch (v->type) {
  case TP_TYPE_STRING:
    break;
  case TP_TYPE_TASK_STATE:
    f.value.task_state =
        tp__task_state_result(v->state_candidates, v->match_len);
    break;
  case TP_TYPE_INT:
    if (v->too_long || v->bad || tp__int_end(&v->lex.i, &f.value.i) != 0)
      bad = TP_ERR_BAD_INT;
    break;
  case TP_TYPE_DOUBLE:
    if (v->too_long || v->bad || tp__double_end(&v->lex.d, &f.value.d) != 0)
      bad = TP_ERR_BAD_DOUBLE;
    break;
  case TP_TYPE_DATETIME:
    if (v->too_long || v->bad || tp__datetime_end(&v->lex.dt, &f.value.dt) != 0)
      bad = TP_ERR_BAD_DATETIME;
    break;
  case TP_TYPE_FAULT_KIND:
  case TP_TYPE_UNKNOWN: /* no field has it */
    return;
  }
  /* A typed value's text past max_value_bytes is reported as such, before
   * what the lexer made of the part it saw. */
  if (bad != TP_OK)
    set_value_error(st, v->too_long ? TP_ERR_VALUE_TOO_LONG : bad);
  else
    emit_field(st, &f);
}
