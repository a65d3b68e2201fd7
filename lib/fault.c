/* fault.c -- the children of a SOAP 1.1 or 1.2 Fault and of the IPS fault
 * element in its detail (or at the root, in the bare form): which of
 * them carry the TP_FAULT_* fields. The fields named in fields.def are
 * looked up there; SOAP 1.2's Code/Value and Reason/Text and the detail's
 * kind are structure, decided here (fields.def says why). */
#include "dispatch.h"

/* SOAP 1.1's faultcode, faultstring and detail, SOAP 1.2's Code, Reason
 * and Detail; `env`: q is in the envelope's namespace. */
static uint8_t
fault_part(tp_state *st, const qname *q, int env) {
  if (q->ns == NS_NONE || env) {
    const uint8_t role = tp__field_child(st, ROLE_FAULT, q);
    if (role != SKIP)
      return role;
    if (IS(q, "detail"))
      return ROLE_FAULT_DETAIL;
  }
  if (!env)
    return SKIP;
  if (IS(q, "Detail"))
    return ROLE_FAULT_DETAIL;
  if (IS(q, "Code"))
    return ROLE_FAULT_CODE;
  if (IS(q, "Reason"))
    return ROLE_FAULT_REASON;
  return SKIP;
}

/* The IPS fault element, whose name is its kind. */
static uint8_t
ips_fault(tp_state *st, const qname *q, int bare) {
  const int kind =
      q->ns == NS_IPS ? tp__fault_kind_of(q->local, q->local_len) : -1;
  if (kind < 0)
    return SKIP;
  if (bare) {
    emit_begin(st, TP_NODE_FAULT);
    if (st->feed.halted)
      return SKIP;
  }
  tp__deliver_fault_kind(st, (tp_fault_kind)kind);
  return ROLE_FAULT_IPS;
}

uint8_t
tp__fault_child(tp_state *st, tp_role parent, const qname *q, int bare) {
  /* SOAP 1.1 fault children are unqualified; some toolkits qualify them
   * with the envelope namespace: fault_part takes both. */
  const int env = is_envelope_ns(st, q->ns);
  switch (parent) {
  case ROLE_FAULT:
    return fault_part(st, q, env);
  case ROLE_FAULT_CODE:
  case ROLE_FAULT_REASON: {
    /* Code: only the top-level Value (Subcode/Value is skipped). Reason:
     * the first Text, whatever its xml:lang (further translations skip).
     * One case for both: 36 bytes less code on the Cortex-M4. */
    const int code = parent == ROLE_FAULT_CODE;
    uint8_t *seen = code ? &st->doc.fault_value_seen : &st->doc.fault_text_seen;
    if (!env || *seen || !(code ? IS(q, "Value") : IS(q, "Text")))
      return SKIP;
    *seen = 1;
    return tp__open_field(st, code ? TP_FAULT_CODE : TP_FAULT_STRING);
  }
  case ROLE_FAULT_DETAIL:
    return ips_fault(st, q, bare);
  case ROLE_FAULT_IPS:
    if (q->ns != NS_IPS && q->ns != NS_NONE)
      return SKIP;
    return tp__field_child(st, ROLE_FAULT_IPS, q);
  default:
    return SKIP;
  }
}
