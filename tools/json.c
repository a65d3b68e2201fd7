/* json.c -- tpdump --format=json: one compact JSON object per ActiveJob,
 * or one {"fault":{...}} line for a SOAP Fault, written as the decoder
 * calls back (a job is never held whole).
 */
#include "tpdump.h"

static void
json_separator(struct printer *p) {
  if (p->depth == 0)
    return;
  if (p->stack[p->depth - 1].has_members)
    out_char(p, ',');
  p->stack[p->depth - 1].has_members = 1;
}

static void
json_key(struct printer *p, const char *key) {
  json_separator(p);
  out_char(p, '"');
  out_str(p, key);
  out_str(p, "\":");
}

static void
json_push(struct printer *p, char opener) {
  if (p->depth == MAX_DEPTH) {
    p->too_deep = 1;
    return;
  }
  out_char(p, opener);
  p->stack[p->depth].closer = opener == '{' ? '}' : ']';
  p->stack[p->depth].has_members = 0;
  p->depth++;
}

static void
json_pop(struct printer *p) {
  if (p->depth == 0)
    return;
  p->depth--;
  out_char(p, p->stack[p->depth].closer);
}

/* Ends the current line: a job or fault is complete, or decoding failed. */
static void
json_close_all(struct printer *p) {
  int had_any = p->depth > 0;

  while (p->depth > 0)
    json_pop(p);
  p->detail_open = 0;
  if (had_any)
    out_char(p, '\n');
}

/* Decoding stopped mid-record: keep stdout valid JSON lines and mark the
 * record that lost its tail. The mark goes on the line's top-level object
 * (the job, or the fault's outer object), where a reader looks for it, not
 * on whichever task or item happened to be open. */
static int
json_open(const struct printer *p) {
  return p->depth > 0 || p->in_string;
}

static void
json_abandon(struct printer *p) {
  if (p->in_string) {
    out_char(p, '"');
    p->in_string = 0;
  }
  while (p->depth > 1)
    json_pop(p);
  if (p->depth > 0) {
    json_key(p, "incomplete");
    out_str(p, "true");
  }
  json_close_all(p);
}

static int
json_begin(void *user_data, tp_node node) {
  struct printer *p = user_data;

  switch (node) {
  case TP_NODE_JOB:
    json_push(p, '{');
    break;
  case TP_NODE_TASK_ARRAY:
  case TP_NODE_ITEM_ARRAY:
    json_key(p, tp_node_name(node));
    json_push(p, '[');
    break;
  case TP_NODE_TASK:
  case TP_NODE_ITEM:
    json_separator(p);
    json_push(p, '{');
    break;
  case TP_NODE_FAULT:
    p->fault_seen = 1;
    json_push(p, '{');
    json_key(p, "fault");
    json_push(p, '{');
    break;
  case TP_NODE_JOB_ARRAY:
  default:
    break;
  }
  return printer_failed(p);
}

static int
json_end(void *user_data, tp_node node) {
  struct printer *p = user_data;

  switch (node) {
  case TP_NODE_JOB:
  case TP_NODE_FAULT:
    json_close_all(p);
    break;
  case TP_NODE_TASK_ARRAY:
  case TP_NODE_ITEM_ARRAY:
  case TP_NODE_TASK:
  case TP_NODE_ITEM:
    json_pop(p);
    break;
  case TP_NODE_JOB_ARRAY:
  default:
    break;
  }
  return printer_failed(p);
}

static void
json_open_detail(struct printer *p) {
  json_key(p, "detail");
  json_push(p, '{');
  p->detail_open = 1;
}

/* The fault's detail is not a node of its own: the detail kind opens it,
 * and it lasts until the fault ends. */
static void
json_fault_placement(struct printer *p, tp_field_id id) {
  if (id == TP_FAULT_DETAIL_KIND) {
    if (p->detail_open)
      json_pop(p);
    json_open_detail(p);
  } else if ((id == TP_FAULT_IPS_CODE || id == TP_FAULT_IPS_REASON) &&
             !p->detail_open) {
    /* A detail whose kind went unreported still gets its own object. */
    json_open_detail(p);
  }
}

static int
json_field(void *user_data, const tp_field *f) {
  struct printer *p = user_data;

  if (is_string_field(f)) {
    if (!p->in_string) {
      json_fault_placement(p, f->id);
      json_key(p, tp_field_name(f->id));
      out_char(p, '"');
      p->in_string = 1;
    }
    out_json_text(p, f->str, f->len);
    if (f->last) {
      out_char(p, '"');
      p->in_string = 0;
    }
  } else {
    json_fault_placement(p, f->id);
    json_key(p, tp_field_name(f->id));
    out_value(p, f);
  }
  return printer_failed(p);
}

static tp_status
json_configure(tp_config *cfg, struct printer *p) {
  static const tp_callbacks callbacks = {json_begin, json_end, json_field};

  return stream_to(cfg, &callbacks, p);
}

const struct writer json_writer = {json_configure, json_open, json_abandon,
                                   NULL};
