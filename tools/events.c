/* events.c -- tpdump --format=events: one line per decoder callback, as
 * it fires, with the input offset it fired at.
 */
/* stdio.h first: newlib's inttypes.h defines PRId64 and PRIu64 only once
 * sys/types.h (which stdio.h includes) has defined the 64-bit types. */
#include <stdio.h>

#include <inttypes.h>

#include "tpdump.h"

static int
is_array_node(tp_node node) {
  return node == TP_NODE_JOB_ARRAY || node == TP_NODE_TASK_ARRAY ||
         node == TP_NODE_ITEM_ARRAY;
}

/* "OFFSET<TAB>SCOPE.NAME" */
static void
events_head(struct printer *p, const char *scope, const char *name) {
  char offset[24];
  int n = snprintf(offset, sizeof offset, "%" PRIu64 "\t", p->fed);

  out_bytes(p, offset, (size_t)n);
  out_str(p, scope);
  out_char(p, '.');
  out_str(p, name);
}

static int
events_node(struct printer *p, tp_node node, const char *what) {
  if (!is_array_node(node)) {
    events_head(p, tp_node_name(node), what);
    out_char(p, '\n');
  }
  return printer_failed(p);
}

static int
events_begin(void *user_data, tp_node node) {
  struct printer *p = user_data;

  if (node == TP_NODE_FAULT)
    p->fault_seen = 1;
  return events_node(p, node, "begin");
}

static int
events_end(void *user_data, tp_node node) {
  return events_node(user_data, node, "end");
}

/* --join-strings: a string field's fragments on one line, written as
 * they come (fragments of a field come one after another, with no other
 * event between them), so that no field needs a buffer: the line gets the
 * offset of its first fragment, and its closing quote with the last. */
static void
events_joined(struct printer *p, const tp_field *f) {
  if (!p->field_open) {
    events_head(p, tp_node_name(tp_field_scope(f->id)), tp_field_name(f->id));
    out_str(p, "\t\"");
    p->field_open = 1;
  }
  out_json_text(p, f->str, f->len);
  if (f->last) {
    out_str(p, "\"\n");
    p->field_open = 0;
  }
}

static int
events_field(void *user_data, const tp_field *f) {
  struct printer *p = user_data;

  if (is_string_field(f) && p->join_strings) {
    events_joined(p, f);
    return printer_failed(p);
  }
  events_head(p, tp_node_name(tp_field_scope(f->id)), tp_field_name(f->id));
  if (is_string_field(f)) {
    /* "+" marks a fragment still to be continued, so a reader can join
     * them without knowing the field types. */
    if (!f->last)
      out_char(p, '+');
    out_str(p, "\t\"");
    out_json_text(p, f->str, f->len);
    out_char(p, '"');
  } else {
    out_char(p, '\t');
    out_value(p, f);
  }
  out_char(p, '\n');
  return printer_failed(p);
}

/* Decoding stopped inside a joined string: its line ends with what came
 * of it, and says so. */
static void
events_abandon(struct printer *p) {
  if (p->field_open)
    out_str(p, "\"\t(incomplete)\n");
  p->field_open = 0;
}

static tp_status
events_configure(tp_config *cfg, struct printer *p) {
  static const tp_callbacks callbacks = {events_begin, events_end,
                                         events_field};

  return stream_to(cfg, &callbacks, p);
}

/* A line is written whole, but for a joined string's. */
const struct writer events_writer = {events_configure, NULL, events_abandon,
                                     NULL};
