/* dispatch.c -- expat's element handlers: give every element a role from
 * its parent's role and its (namespace, local name), skip what we do not
 * know, and fire the caller's begin and end callbacks. A field's text and
 * value are value_text.c's. */
#include <string.h>

#include "field_lookup.h"
#include "internal.h"
#include "value_text.h"

/* A local name never contains the separator, so the last one in a name
 * is the split point. */
#define NS_SEP (TP_NS_SEP[0])

static const char SOAP11_NS[] = "http://schemas.xmlsoap.org/soap/envelope/";
static const char SOAP12_NS[] = "http://www.w3.org/2003/05/soap-envelope";
static const char IPS_NS[] = "http://www.scene7.com/IpsApi/xsd";

#define LIT_LEN(s) (sizeof(s) - 1)

typedef enum ns_kind {
  NS_NONE,
  NS_SOAP11,
  NS_SOAP12,
  NS_IPS,
  NS_OTHER
} ns_kind;

typedef struct qname {
  ns_kind ns;
  const char *name; /* the whole name: the URI is its first uri_len bytes */
  size_t uri_len;
  const char *local;
  size_t local_len;
} qname;

/* Every API version's namespace is the bare IPS URI or the bare URI
 * followed by "/" and a version ("/2013-02-15", "/2022-11-01-beta"). */
static TP_HOT_INLINE int
is_ips_ns(const char *uri, size_t len) {
  return len >= LIT_LEN(IPS_NS) && memcmp(uri, IPS_NS, LIT_LEN(IPS_NS)) == 0 &&
         (len == LIT_LEN(IPS_NS) || uri[LIT_LEN(IPS_NS)] == '/');
}

static ns_kind
classify_ns(const char *uri, size_t len) {
  if (len == 0)
    return NS_NONE;
  if (is_ips_ns(uri, len))
    return NS_IPS;
  if (len == LIT_LEN(SOAP11_NS) && memcmp(uri, SOAP11_NS, len) == 0)
    return NS_SOAP11;
  if (len == LIT_LEN(SOAP12_NS) && memcmp(uri, SOAP12_NS, len) == 0)
    return NS_SOAP12;
  return NS_OTHER;
}

/* The exact split: the last separator (a namespace URI may contain a
 * newline, from a character reference; a local name never does). */
static TP_COLD void
split_exact(tp_state *st, const char *name, size_t len, qname *q) {
  const char *sep = strrchr(name, NS_SEP);
  size_t uri_len;
  q->name = name;
  if (sep == NULL) {
    q->uri_len = 0;
    q->local = name;
    q->local_len = len;
    q->ns = NS_NONE;
    return;
  }
  uri_len = (size_t)(sep - name);
  q->uri_len = uri_len;
  q->local = sep + 1;
  q->local_len = len - uri_len - 1;
  q->ns = classify_ns(name, uri_len);
  if (q->ns == NS_IPS && uri_len <= UINT8_MAX)
    st->ips_uri_len = (uint8_t)uri_len;
}

/* Splits an element's name. Nearly every element of a response is in the
 * IPS namespace the previous one used, so first try the split that URI's
 * length predicts (predicted_uri_len: that length, or 0 when the name
 * does not fit it): no search for the last separator, no comparison of
 * the version part (any "/version" is IPS). The guess is right unless the
 * local part it yields holds a separator itself (then the URI is longer),
 * which no name we recognise does; split_name returns 1 when the caller
 * must check that before acting on "not recognised". */
static TP_HOT_INLINE size_t
predicted_uri_len(const tp_state *st, const char *name, size_t len) {
  const size_t u = st->ips_uri_len;
  if (u != 0 && len > u && name[u] == NS_SEP && is_ips_ns(name, u))
    return u;
  return 0;
}

static int
split_name(tp_state *st, const char *name, qname *q) {
  const size_t len = strlen(name);
  const size_t u = predicted_uri_len(st, name, len);
  if (u != 0) {
    q->ns = NS_IPS;
    q->name = name;
    q->uri_len = u;
    q->local = name + u + 1;
    q->local_len = len - u - 1;
    return 1;
  }
  split_exact(st, name, len, q);
  return 0;
}

static int
is_local(const qname *q, const char *lit, size_t lit_len) {
  return q->local_len == lit_len && memcmp(q->local, lit, lit_len) == 0;
}

#define IS(q, lit) is_local((q), (lit), LIT_LEN(lit))

/* ------------------------------------------------------------------------ */
/* Errors and callbacks                                                     */

/* Appends to tp_error.detail; past its end, notes the cut. */
typedef struct detail_sink {
  char *buf;
  size_t len;
  int cut;
} detail_sink;

#define DETAIL_SIZE sizeof(((tp_error *)0)->detail)

static void
detail_put(detail_sink *k, const char *s, size_t n) {
  const size_t room = DETAIL_SIZE - 1u - k->len;
  if (k->cut)
    return;
  if (n > room) {
    n = room;
    k->cut = 1;
  }
  memcpy(k->buf + k->len, s, n);
  k->len += n;
}

/* Terminates the detail; a cut one ends in "..." after a whole UTF-8
 * character, so that the message stays valid UTF-8. */
static void
detail_end(detail_sink *k) {
  if (k->cut) {
    size_t n = DETAIL_SIZE - 4u;
    while (n > 0 && ((unsigned char)k->buf[n] & 0xC0u) == 0x80u)
      n--;
    memcpy(k->buf + n, "...", 3);
    k->len = n + 3;
  }
  k->buf[k->len] = '\0';
}

/* The document is something else than a SOAP response (an HTML error page
 * from a proxy, say): the error says what its root element is. `uri` is
 * NULL for a name from a DOCTYPE, which has no namespace. */
static TP_COLD void
not_soap(tp_state *st, const char *local, size_t local_len, const char *uri,
         size_t uri_len) {
  detail_sink k;
  if (st->halted)
    return;
  tp__set_error(st, TP_ERR_NOT_SOAP);
  k.buf = st->error.detail;
  k.len = 0;
  k.cut = 0;
  detail_put(&k, "root element <", 14);
  detail_put(&k, local, local_len);
  detail_put(&k, ">", 1);
  if (uri_len > 0) {
    detail_put(&k, " in ", 4);
    detail_put(&k, uri, uri_len);
  } else if (uri != NULL && local_len == 8 &&
             memcmp(local, "Envelope", 8) == 0) {
    detail_put(&k, " with no namespace", 18);
  }
  detail_end(&k);
}

static TP_HOT_INLINE void
emit_begin(tp_state *st, tp_node node) {
  if (st->cb && st->cb->begin && st->cb->begin(st->user_data, node))
    tp__set_error(st, TP_STOPPED);
}

static TP_HOT_INLINE void
emit_end(tp_state *st, tp_node node) {
  if (st->cb && st->cb->end && st->cb->end(st->user_data, node))
    tp__set_error(st, TP_STOPPED);
}

/* ------------------------------------------------------------------------ */
/* Roles                                                                    */

/* A role value that means "skip this element and all it holds". */
#define SKIP 0xFF

_Static_assert(ROLE_JOB == ROLE_JOB_ARRAY + 1 &&
                   ROLE_TASK == ROLE_TASK_ARRAY + 1 &&
                   ROLE_ITEM == ROLE_ITEM_ARRAY + 1,
               "an array's items role follows the array's role");
_Static_assert(ROLE_JOB_ARRAY < ROLE_ITEM && ROLE_ITEM - ROLE_JOB_ARRAY == 5,
               "the array and record roles are one range");

/* The child of an array or record element, in the IPS namespace: nearly
 * every element of a response comes through here. */
static TP_HOT_INLINE uint8_t
ips_child(tp_state *st, tp_role parent, const char *local, size_t len) {
  int id;
  switch (parent) {
  case ROLE_JOB_ARRAY:
  case ROLE_TASK_ARRAY:
  case ROLE_ITEM_ARRAY:
    /* "items", spelt out: compilers call memcmp for five bytes. */
    if (len != 5 || local[0] != 'i' || local[1] != 't' || local[2] != 'e' ||
        local[3] != 'm' || local[4] != 's')
      return SKIP;
    /* Each array's items are the next role: JOB after JOB_ARRAY... */
    emit_begin(st, parent == ROLE_JOB_ARRAY    ? TP_NODE_JOB
                   : parent == ROLE_TASK_ARRAY ? TP_NODE_TASK
                                               : TP_NODE_ITEM);
    return (uint8_t)(parent + 1);
  case ROLE_JOB:
  case ROLE_TASK:
  case ROLE_ITEM:
    id = tp__lookup_child(parent, local, len);
    if (id >= 0) {
      tp__begin_field(st, (tp_field_id)id);
      return ROLE_FIELD;
    }
    if (id == TP_CHILD_TASK_ARRAY) {
      emit_begin(st, TP_NODE_TASK_ARRAY);
      return ROLE_TASK_ARRAY;
    }
    if (id == TP_CHILD_ITEM_ARRAY) {
      emit_begin(st, TP_NODE_ITEM_ARRAY);
      return ROLE_ITEM_ARRAY;
    }
    return SKIP;
  default:
    return SKIP;
  }
}

static int
is_envelope_ns(const tp_state *st, ns_kind ns) {
  return ns == (st->soap12 ? NS_SOAP12 : NS_SOAP11);
}

/* SOAP 1.1 fault children are unqualified; some toolkits qualify them with
 * the envelope namespace: take both. */
static int
is_fault_child_ns(const tp_state *st, ns_kind ns) {
  return ns == NS_NONE || is_envelope_ns(st, ns);
}

/* `bare`: the IPS fault element is the document's root, so it is the
 * fault itself and opens TP_NODE_FAULT. */
static uint8_t
fault_child(tp_state *st, tp_role parent, const qname *q, int bare) {
  switch (parent) {
  case ROLE_FAULT:
    if (is_fault_child_ns(st, q->ns) && IS(q, "faultcode")) {
      tp__begin_field(st, TP_FAULT_CODE);
      return ROLE_FIELD;
    }
    if (is_fault_child_ns(st, q->ns) && IS(q, "faultstring")) {
      tp__begin_field(st, TP_FAULT_STRING);
      return ROLE_FIELD;
    }
    if (is_fault_child_ns(st, q->ns) && IS(q, "detail"))
      return ROLE_FAULT_DETAIL;
    if (is_envelope_ns(st, q->ns) && IS(q, "Detail"))
      return ROLE_FAULT_DETAIL;
    if (is_envelope_ns(st, q->ns) && IS(q, "Code"))
      return ROLE_FAULT_CODE;
    if (is_envelope_ns(st, q->ns) && IS(q, "Reason"))
      return ROLE_FAULT_REASON;
    return SKIP;
  case ROLE_FAULT_CODE:
    /* Only the top-level Value; Subcode/Value is skipped. */
    if (is_envelope_ns(st, q->ns) && IS(q, "Value") && !st->fault_value_seen) {
      st->fault_value_seen = 1;
      tp__begin_field(st, TP_FAULT_CODE);
      return ROLE_FIELD;
    }
    return SKIP;
  case ROLE_FAULT_REASON:
    /* The first Text, whatever its xml:lang; further translations skip. */
    if (is_envelope_ns(st, q->ns) && IS(q, "Text") && !st->fault_text_seen) {
      st->fault_text_seen = 1;
      tp__begin_field(st, TP_FAULT_STRING);
      return ROLE_FIELD;
    }
    return SKIP;
  case ROLE_FAULT_DETAIL: {
    tp_fault_kind kind;
    if (q->ns != NS_IPS)
      return SKIP;
    if (IS(q, "ipsApiFault"))
      kind = TP_FAULT_IPS_API;
    else if (IS(q, "authenticationFault"))
      kind = TP_FAULT_AUTHENTICATION;
    else if (IS(q, "authorizationFault"))
      kind = TP_FAULT_AUTHORIZATION;
    else
      return SKIP;
    if (bare) {
      emit_begin(st, TP_NODE_FAULT);
      if (st->halted)
        return SKIP;
    }
    tp__deliver_fault_kind(st, kind);
    return ROLE_FAULT_IPS;
  }
  case ROLE_FAULT_IPS:
    if (q->ns != NS_IPS && q->ns != NS_NONE)
      return SKIP;
    if (IS(q, "code")) {
      tp__begin_field(st, TP_FAULT_IPS_CODE);
      return ROLE_FIELD;
    }
    if (IS(q, "reason")) {
      tp__begin_field(st, TP_FAULT_IPS_REASON);
      return ROLE_FIELD;
    }
    return SKIP;
  default:
    return SKIP;
  }
}

/* The role of a new element, given its parent's; may fire begin callbacks
 * or record an error (then the return value does not matter). */
static TP_COLD uint8_t
child_role(tp_state *st, tp_role parent, const qname *q) {
  switch (parent) {
  case ROLE_DOCUMENT:
    if ((q->ns == NS_SOAP11 || q->ns == NS_SOAP12) && IS(q, "Envelope")) {
      st->soap12 = (uint8_t)(q->ns == NS_SOAP12);
      return ROLE_ENVELOPE;
    }
    /* The bare forms: AEM's Dynamic Media proxy of the IPS API
     * (/scene7/api/IpsApiService) answers with the Body's content alone. */
    if (q->ns == NS_IPS && IS(q, "getActiveJobsReturn")) {
      st->seen_payload = 1;
      return ROLE_RETURN;
    }
    if (q->ns == NS_IPS) {
      /* An IPS fault element as the root is a fault: begin, its kind, and
       * (at its end tag, see on_end) end. */
      const uint8_t role = fault_child(st, ROLE_FAULT_DETAIL, q, 1);
      if (role != SKIP)
        return role;
    }
    not_soap(st, q->local, q->local_len, q->name, q->uri_len);
    return SKIP;
  case ROLE_ENVELOPE:
    /* Header (whatever it holds) and anything after the Body are skipped;
     * only the first Body counts. */
    if (is_envelope_ns(st, q->ns) && IS(q, "Body") && !st->seen_body) {
      st->seen_body = 1;
      return ROLE_BODY;
    }
    return SKIP;
  case ROLE_BODY:
    if (q->ns == NS_IPS && IS(q, "getActiveJobsReturn")) {
      st->seen_payload = 1;
      return ROLE_RETURN;
    }
    if (is_envelope_ns(st, q->ns) && IS(q, "Fault")) {
      st->seen_payload = 1;
      emit_begin(st, TP_NODE_FAULT);
      return ROLE_FAULT;
    }
    return SKIP;
  case ROLE_RETURN:
    if (q->ns == NS_IPS && IS(q, "jobArray")) {
      emit_begin(st, TP_NODE_JOB_ARRAY);
      return ROLE_JOB_ARRAY;
    }
    return SKIP;
  case ROLE_JOB_ARRAY:
  case ROLE_TASK_ARRAY:
  case ROLE_ITEM_ARRAY:
  case ROLE_JOB:
  case ROLE_TASK:
  case ROLE_ITEM:
    return q->ns == NS_IPS ? ips_child(st, parent, q->local, q->local_len)
                           : SKIP;
  case ROLE_FIELD:
    /* A value we decode has a simple type: an element inside it means the
     * document is not what we think it is, and skipping it could deliver
     * a wrong value. */
    tp__set_error(st, TP_ERR_UNEXPECTED_ELEMENT);
    st->error.has_field = 1;
    st->error.field = st->field;
    return SKIP;
  case ROLE_FAULT:
  case ROLE_FAULT_CODE:
  case ROLE_FAULT_REASON:
  case ROLE_FAULT_DETAIL:
  case ROLE_FAULT_IPS:
    return fault_child(st, parent, q, 0);
  }
  return SKIP;
}

/* ------------------------------------------------------------------------ */
/* Handlers                                                                 */

static const char XSI_NIL[] =
    "http://www.w3.org/2001/XMLSchema-instance" TP_NS_SEP "nil";

/* xsd:boolean true, after whitespace collapse: "true" or "1". */
static int
is_true(const char *v) {
  size_t n;
  while (tp__is_xml_space(*v))
    v++;
  n = strlen(v);
  while (n > 0 && tp__is_xml_space(v[n - 1]))
    n--;
  return (n == 4 && memcmp(v, "true", 4) == 0) || (n == 1 && v[0] == '1');
}

static int
is_nil(const XML_Char **atts) {
  for (; atts[0] != NULL; atts += 2) {
    if (strcmp(atts[0], XSI_NIL) == 0)
      return is_true(atts[1]);
  }
  return 0;
}

/* Makes `role` the role of the element just opened (depth `depth`). */
static TP_HOT_INLINE void
push_role(tp_state *st, unsigned depth, uint8_t role) {
  if (depth >= TP_MAX_ROLE_DEPTH) {
    tp__set_error(st, TP_ERR_INTERNAL);
    return;
  }
  st->roles[depth] = role;
  st->depth = (uint8_t)(depth + 1);
  /* Only a field's own text reaches on_text: an element inside a field
   * is an error, which halts. */
  st->in_field = (uint8_t)(role == ROLE_FIELD);
}

/* The general case of on_start: any parent, any name. */
static TP_COLD void
start_element(tp_state *st, const XML_Char *name, const XML_Char **atts) {
  const tp_role parent =
      st->depth ? (tp_role)st->roles[st->depth - 1] : ROLE_DOCUMENT;
  uint8_t role;
  qname q;
  const int guessed = split_name(st, name, &q);
  if (parent >= ROLE_JOB_ARRAY && parent <= ROLE_ITEM)
    role = q.ns == NS_IPS ? ips_child(st, parent, q.local, q.local_len) : SKIP;
  else
    role = child_role(st, parent, &q);
  if (st->halted)
    return;
  if (role == SKIP && guessed && memchr(q.local, NS_SEP, q.local_len)) {
    /* The guessed split was wrong (see split_name); no side effect has
     * happened, since only recognised names have any. */
    split_exact(st, name, strlen(name), &q);
    role = child_role(st, parent, &q);
    if (st->halted)
      return;
  }
  /* xsi:nil="true" on a field: it has no value, so it is left out like an
   * absent field (the schema makes none of them nillable, but servers
   * built on other toolkits may send it). */
  if (role == ROLE_FIELD && atts[0] != NULL && is_nil(atts))
    role = SKIP;
  if (role == SKIP) {
    st->skip_depth = 1;
    return;
  }
  push_role(st, st->depth, role);
}

static void XMLCALL
on_start(void *user_data, const XML_Char *name, const XML_Char **atts) {
  tp_state *st = (tp_state *)user_data;
  const unsigned depth = st->depth;
  if (st->halted)
    return;
  /* Every open element counts, skipped ones too: expat's own tag stack
   * grows with each of them. depth_limit is max_depth, or the largest
   * value when there is no limit. */
  if (depth + st->skip_depth >= st->depth_limit) {
    tp__set_error(st, TP_ERR_TOO_DEEP);
    return;
  }
  if (st->skip_depth) {
    st->skip_depth++;
    return;
  }
  /* The bulk of a response: a child of an array or record, in the IPS
   * namespace the previous element had, with no attributes. Its name is
   * split where split_name would guess, and a recognised name confirms
   * the guess; everything else takes the general path. */
  if (depth != 0 && atts[0] == NULL) {
    const tp_role parent = (tp_role)st->roles[depth - 1];
    if (parent >= ROLE_JOB_ARRAY && parent <= ROLE_ITEM) {
      const size_t len = strlen(name);
      const size_t u = predicted_uri_len(st, name, len);
      if (u != 0) {
        const uint8_t role = ips_child(st, parent, name + u + 1, len - u - 1);
        if (role != SKIP) {
          if (!st->halted)
            push_role(st, depth, role);
          return;
        }
      }
    }
  }
  start_element(st, name, atts);
}

static void XMLCALL
on_end(void *user_data, const XML_Char *name) {
  tp_state *st = (tp_state *)user_data;
  tp_role role;
  (void)name;
  if (st->halted)
    return;
  if (st->skip_depth) {
    st->skip_depth--;
    return;
  }
  if (st->depth == 0) {
    tp__set_error(st, TP_ERR_INTERNAL);
    return;
  }
  role = (tp_role)st->roles[--st->depth];
  /* Fields first: four ends in five close one. */
  if (role == ROLE_FIELD) {
    st->in_field = 0;
    tp__end_field(st);
    return;
  }
  switch (role) {
  case ROLE_JOB_ARRAY:
    emit_end(st, TP_NODE_JOB_ARRAY);
    break;
  case ROLE_JOB:
    emit_end(st, TP_NODE_JOB);
    break;
  case ROLE_TASK_ARRAY:
    emit_end(st, TP_NODE_TASK_ARRAY);
    break;
  case ROLE_TASK:
    emit_end(st, TP_NODE_TASK);
    break;
  case ROLE_ITEM_ARRAY:
    emit_end(st, TP_NODE_ITEM_ARRAY);
    break;
  case ROLE_ITEM:
    emit_end(st, TP_NODE_ITEM);
    break;
  case ROLE_FAULT:
    emit_end(st, TP_NODE_FAULT);
    break;
  case ROLE_BODY:
    if (!st->seen_payload)
      tp__set_error(st, TP_ERR_NO_BODY);
    break;
  case ROLE_ENVELOPE:
    if (!st->seen_body)
      tp__set_error(st, TP_ERR_NO_BODY);
    break;
  case ROLE_FAULT_IPS:
    /* At the root, the IPS fault element is the whole fault. */
    if (st->depth == 0)
      emit_end(st, TP_NODE_FAULT);
    break;
  default: /* the rest end nothing; ROLE_FIELD ended above */
    break;
  }
}

static void XMLCALL
on_doctype(void *user_data, const XML_Char *name, const XML_Char *sysid,
           const XML_Char *pubid, int has_internal_subset) {
  tp_state *st = (tp_state *)user_data;
  const size_t len = strlen(name);
  const char *colon = memchr(name, ':', len);
  const char *local = colon != NULL ? colon + 1 : name;
  (void)sysid;
  (void)pubid;
  /* Either way decoding stops here, before any declaration of the
   * internal subset is processed. A DOCTYPE names the root element to
   * come: one that is no Envelope (<!DOCTYPE html>) shows what the
   * document is, unless it declares things, which is a DTD whatever the
   * name. */
  if (has_internal_subset || strcmp(local, "Envelope") == 0)
    tp__set_error(st, TP_ERR_DOCTYPE);
  else
    not_soap(st, name, len, NULL, 0);
}

void
tp__install_handlers(tp_state *st) {
  XML_SetUserData(st->parser, st);
  XML_SetElementHandler(st->parser, on_start, on_end);
  XML_SetCharacterDataHandler(st->parser, tp__on_text);
  XML_SetStartDoctypeDeclHandler(st->parser, on_doctype);
#ifdef HAVE_XML_SETREPARSEDEFERRALENABLED
  if (st->flags & TP_FLAG_PROMPT)
    (void)XML_SetReparseDeferralEnabled(st->parser, XML_FALSE);
#endif
    /* Expat refuses values out of its own range; keep its default then. */
#ifdef HAVE_XML_SETBILLIONLAUGHSATTACKPROTECTIONMAXIMUMAMPLIFICATION
  if (st->expat_max_amplification > 0.0f)
    (void)XML_SetBillionLaughsAttackProtectionMaximumAmplification(
        st->parser, st->expat_max_amplification);
  if (st->expat_amplification_threshold > 0)
    (void)XML_SetBillionLaughsAttackProtectionActivationThreshold(
        st->parser, (unsigned long long)st->expat_amplification_threshold);
#endif
#ifdef HAVE_XML_SETALLOCTRACKERMAXIMUMAMPLIFICATION
  if (st->expat_alloc_max_amplification > 0.0f)
    (void)XML_SetAllocTrackerMaximumAmplification(
        st->parser, st->expat_alloc_max_amplification);
  if (st->expat_alloc_threshold > 0)
    (void)XML_SetAllocTrackerActivationThreshold(
        st->parser, (unsigned long long)st->expat_alloc_threshold);
#endif
}

void
tp__reset_document(tp_state *st) {
  st->seen_body = 0;
  st->seen_payload = 0;
  st->soap12 = 0;
  st->fault_text_seen = 0;
  st->fault_value_seen = 0;
  st->depth = 0;
  st->skip_depth = 0;
  st->in_field = 0;
  st->ips_uri_len = 0;
}
