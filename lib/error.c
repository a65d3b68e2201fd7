/* error.c -- the error record: written in one place (tp__fail), read by
 * tp_get_error(), and told as one line by tp_format_error(), without
 * stdio, for targets that have none. */
#include <string.h>

#include "out.h"

#include "internal.h"

void
tp__fail(tp_state *st, tp_status status, int field, const char *detail,
         size_t len, unsigned how) {
  tp_error *e = &st->error;
  XML_Index at;
  tp_out o;
  if (st->feed.halted)
    return;
  st->feed.halted = 1;
  e->status = status;
  /* No parser when its creation is what failed (an overlap on the arena
   * slot): no position, and nothing to stop. Expat before 2.2.1 does not
   * take a NULL parser. */
  if (st->feed.parser == NULL) {
    e->line = e->column = 0;
    at = 0;
  } else {
    e->line = (unsigned long)XML_GetCurrentLineNumber(st->feed.parser);
    e->column = (unsigned long)XML_GetCurrentColumnNumber(st->feed.parser);
    at = XML_GetCurrentByteIndex(st->feed.parser);
  }
  e->byte_offset = at < 0 ? 0u : (uint64_t)at;
  if (status == TP_ERR_INPUT_TOO_LARGE) {
    /* Expat stands at the end of what it was given; the limit is where
     * the input was cut. */
    e->byte_offset = st->set.max_input_bytes;
  }
  e->has_field = field >= 0;
  e->field = field >= 0 ? (tp_field_id)field : (tp_field_id)0;
  tp__out_init(&o, e->detail, sizeof e->detail);
  o.clean = 1;
  tp__out_put(&o, detail, len);
  (void)tp__out_end(&o, how == TP_DETAIL_WORDS ? TP_OUT_WORDS : TP_OUT_ELLIPSIS,
                    how == TP_DETAIL_CUT);
  if (st->feed.phase == PHASE_CALLING && st->feed.parser != NULL)
    (void)XML_StopParser(st->feed.parser, XML_FALSE);
}

void
tp__fail_status(tp_state *st, tp_status status) {
  tp__fail(st, status, -1, "", 0, TP_DETAIL_WHOLE);
}

/* Apart from tp__fail, so that its buffer and what it calls are on no
 * handler's stack: only expat's own refusal, after it returns, runs out of
 * memory. */
void
tp__fail_no_memory(tp_state *st) {
  char why[sizeof st->error.detail];
  size_t len;
  tp_status status;
  if (st->feed.halted)
    return;
  status = tp__no_memory_verdict(st, why, sizeof why, &len);
  tp__fail(st, status, -1, why, len, TP_DETAIL_WHOLE);
}

void
tp__clear_error(tp_state *st) {
  st->feed.halted = 0;
  memset(&st->error, 0, sizeof st->error);
}

tp_status
tp_get_error(const tp_decoder *decoder, tp_error *error) {
  tp_status why;
  const tp_state *st = tp__find(decoder, &why, TP_FIND_ANY);
  if (st == NULL) {
    if (error != NULL) {
      memset(error, 0, sizeof *error);
      error->status = why;
    }
    return why;
  }
  if (error != NULL)
    *error = st->error;
  return st->error.status;
}

size_t
tp_format_error(const tp_decoder *decoder, char *buf, size_t size) {
  tp_error e;
  tp_out o;
  tp__out_init(&o, buf, size);
  /* Never an empty message: a caller printing it after a failed call
   * must not print a blank. */
  if (tp_get_error(decoder, &e) == TP_OK || e.status == TP_ERR_ARGUMENT ||
      (e.status == TP_ERR_STATE && e.detail[0] == '\0')) {
    /* About the call, not the input: no position to give. A TP_ERR_STATE
     * with a detail was recorded for the document (arena decoders that
     * overlapped), and is told with where it stopped. */
    tp__out_str(&o, tp_strerror(e.status));
    return tp__out_end(&o, TP_OUT_CHARS, 0);
  }
  tp__out_uint(&o, e.line);
  tp__out_put(&o, ":", 1);
  tp__out_uint(&o, e.column);
  tp__out_put(&o, ": ", 2);
  tp__out_str(&o, tp_strerror(e.status));
  if (e.has_field) {
    tp__out_put(&o, " in ", 4);
    tp__out_str(&o, tp_node_name(tp_field_scope(e.field)));
    tp__out_put(&o, ".", 1);
    tp__out_str(&o, tp_field_name(e.field));
  }
  if (e.detail[0] != '\0') {
    tp__out_str(&o, e.has_field ? ": '" : ": ");
    tp__out_str(&o, e.detail);
    if (e.has_field)
      tp__out_put(&o, "'", 1);
  } else if (e.has_field &&
             (e.status == TP_ERR_BAD_INT || e.status == TP_ERR_BAD_DOUBLE ||
              e.status == TP_ERR_BAD_DATETIME)) {
    tp__out_str(&o, ": empty");
  }
  tp__out_put(&o, " (byte ", 7);
  tp__out_uint(&o, e.byte_offset);
  tp__out_put(&o, ")", 1);
  return tp__out_end(&o, TP_OUT_CHARS, 0);
}
