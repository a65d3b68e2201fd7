/* dispatch.c -- expat's element handlers: give every element a role from
 * its parent's role and its (namespace, local name), skip what we do not
 * know, and fire the caller's begin and end callbacks. A field's text and
 * value are value_text.c's, a fault's children fault.c's. */
#include <string.h>

#include "dispatch.h"
#include "field_lookup.h"
#include "out.h"

#define NS_SEP (TP_NS_SEP[0])

static const char SOAP11_NS[] = "http://schemas.xmlsoap.org/soap/envelope/";
static const char SOAP12_NS[] = "http://www.w3.org/2003/05/soap-envelope";
static const char IPS_NS[] = "http://www.scene7.com/IpsApi/xsd";

/* Whether the LIT_LEN(IPS_NS) bytes at uri are IPS_NS's (uri has that
 * many): every element of a response pays it. Optimising for size,
 * tp__same_bytes would loop over the words; written out, each is a load,
 * a load of the constant and two operations. Measured gain on the
 * Cortex-M4 (mcu/icount.sh, genbench.py 100 2 50): 1.4 instructions per
 * byte (111.4 to 110.0), at no cost in code size. Optimising for speed,
 * the compiler expands memcmp inline. */
static TP_HOT_INLINE int
is_ips_prefix(const char *uri) {
#ifdef __OPTIMIZE_SIZE__
  uint32_t x, y, diff = 0;
  size_t i;
  _Static_assert(LIT_LEN(IPS_NS) % sizeof x == 0, "IPS_NS is not whole words");
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC unroll 8
#endif
  for (i = 0; i < LIT_LEN(IPS_NS); i += sizeof x) {
    memcpy(&x, uri + i, sizeof x);
    memcpy(&y, IPS_NS + i, sizeof y);
    diff |= x ^ y;
  }
  return diff == 0;
#else
  return memcmp(uri, IPS_NS, LIT_LEN(IPS_NS)) == 0;
#endif
}

/* Every API version's namespace is the bare IPS URI or the bare URI
 * followed by "/" and a version ("/2013-02-15", "/2022-11-01-beta"). */
static TP_HOT_INLINE int
is_ips_ns(const char *uri, size_t len) {
  return len >= LIT_LEN(IPS_NS) && is_ips_prefix(uri) &&
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

/* Splits an element's name (len bytes) at its last separator (a
 * namespace URI may contain a newline, from a character reference; a
 * local name never does). */
static void
split_name(tp_state *st, const char *name, size_t len, qname *q) {
  const char *sep = strrchr(name, NS_SEP);
  q->name = name;
  q->uri_len = sep == NULL ? 0 : (size_t)(sep - name);
  q->local = sep == NULL ? name : sep + 1;
  q->local_len = len - (size_t)(q->local - name);
  q->ns = classify_ns(name, q->uri_len); /* NS_NONE for no URI */
  if (q->ns == NS_IPS && q->uri_len <= UINT8_MAX)
    st->doc.ips_uri_len = (uint8_t)q->uri_len;
}

int
tp__is_local(const qname *q, const char *lit, size_t lit_len) {
  return q->local_len == lit_len && memcmp(q->local, lit, lit_len) == 0;
}

/* ---- Errors and callbacks --------------------------------------------- */

TP_COLD size_t
tp__root_detail(char *detail, size_t size, const char *local, size_t local_len,
                const char *uri, size_t uri_len) {
  tp_out o;
  tp__out_init(&o, detail, size);
  o.clean = 1;
  tp__out_put(&o, "root element <", LIT_LEN("root element <"));
  tp__out_put(&o, local, local_len);
  tp__out_put(&o, ">", 1);
  if (uri_len > 0) {
    tp__out_put(&o, " in ", LIT_LEN(" in "));
    tp__out_put(&o, uri, uri_len);
  } else if (uri != NULL && local_len == 8 &&
             memcmp(local, "Envelope", 8) == 0) {
    tp__out_put(&o, " with no namespace", LIT_LEN(" with no namespace"));
  }
  (void)tp__out_end(&o, TP_OUT_ELLIPSIS, 0);
  return o.fill;
}

/* The document is something else than a SOAP response (an HTML error page
 * from a proxy, say): the error says what its root element is. */
static TP_COLD void
not_soap(tp_state *st, const char *local, size_t local_len, const char *uri,
         size_t uri_len) {
  char detail[sizeof st->error.detail];
  const size_t len =
      tp__root_detail(detail, sizeof detail, local, local_len, uri, uri_len);
  tp__fail(st, TP_ERR_NOT_SOAP, -1, detail, len, TP_DETAIL_WHOLE);
}

static TP_HOT_INLINE void
emit_end(tp_state *st, tp_node node) {
  const tp_callbacks *cb = st->set.cb;
  if (cb && cb->end) {
    const int stop = cb->end(st->set.user_data, node);
    tp__arena_after_callback(st->feed.arena);
    if (stop)
      tp__fail_status(st, TP_STOPPED);
  }
}

/* ---- Roles ------------------------------------------------------------ */

/* The array and record roles are one range, in tp_node's order: an
 * array's items role follows the array's role. */
#define NODE_OF(role) ((tp_node)((role)-ROLE_JOB_ARRAY))
_Static_assert(TP_NODE_JOB_ARRAY == 0 && NODE_OF(ROLE_JOB) == TP_NODE_JOB &&
                   NODE_OF(ROLE_TASK_ARRAY) == TP_NODE_TASK_ARRAY &&
                   NODE_OF(ROLE_TASK) == TP_NODE_TASK &&
                   NODE_OF(ROLE_ITEM_ARRAY) == TP_NODE_ITEM_ARRAY &&
                   NODE_OF(ROLE_ITEM) == TP_NODE_ITEM,
               "the array and record roles are not in tp_node's order");

/* The child `local` (len bytes) of an array or record element, in the
 * IPS namespace: nearly every element of a response comes through here;
 * and the named fields of a fault (tp__field_child), which the lookup
 * finds alike. */
static TP_HOT_INLINE uint8_t
ips_child(tp_state *st, tp_role parent, const char *local, size_t len) {
  int id;
  if (parent == ROLE_JOB_ARRAY || parent == ROLE_TASK_ARRAY ||
      parent == ROLE_ITEM_ARRAY) {
    if (len != LIT_LEN("items") ||
        !tp__same_bytes(local, "items", LIT_LEN("items")))
      return SKIP;
    /* Each array's items are the next role: JOB after JOB_ARRAY... */
    emit_begin(st, NODE_OF(parent + 1));
    return (uint8_t)(parent + 1);
  }
  /* ROLE_JOB, ROLE_TASK, ROLE_ITEM, the fault parents */
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
}

uint8_t
tp__open_field(tp_state *st, tp_field_id id) {
  tp__begin_field(st, id);
  return ROLE_FIELD;
}

uint8_t
tp__field_child(tp_state *st, tp_role parent, const qname *q) {
  return ips_child(st, parent, q->local, q->local_len);
}

/* The roots we accept: an Envelope, or the bare forms. AEM's Dynamic
 * Media proxy of the IPS API (/scene7/api/IpsApiService) answers with the
 * Body's content alone; an IPS fault element as the root is a fault. */
static TP_COLD uint8_t
root_role(tp_state *st, const qname *q) {
  uint8_t role;
  st->doc.seen_root = 1;
  if ((q->ns == NS_SOAP11 || q->ns == NS_SOAP12) && IS(q, "Envelope")) {
    st->doc.soap12 = (uint8_t)(q->ns == NS_SOAP12);
    return ROLE_ENVELOPE;
  }
  if (q->ns == NS_IPS && IS(q, "getActiveJobsReturn")) {
    st->doc.seen_payload = 1;
    return ROLE_RETURN;
  }
  role = tp__fault_child(st, ROLE_FAULT_DETAIL, q, 1);
  if (role == SKIP && !st->feed.halted)
    not_soap(st, q->local, q->local_len, q->name, q->uri_len);
  return role;
}

/* The role of an element outside the records, given its parent's. */
static TP_COLD uint8_t
envelope_child(tp_state *st, tp_role parent, const qname *q) {
  switch (parent) {
  case ROLE_DOCUMENT:
    return root_role(st, q);
  case ROLE_ENVELOPE:
    /* Header (whatever it holds) and anything after the Body are skipped;
     * only the first Body counts. */
    if (is_envelope_ns(st, q->ns) && IS(q, "Body") && !st->doc.seen_body) {
      st->doc.seen_body = 1;
      return ROLE_BODY;
    }
    return SKIP;
  case ROLE_BODY:
    if (q->ns == NS_IPS && IS(q, "getActiveJobsReturn")) {
      st->doc.seen_payload = 1;
      return ROLE_RETURN;
    }
    if (is_envelope_ns(st, q->ns) && IS(q, "Fault")) {
      st->doc.seen_payload = 1;
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
  case ROLE_FIELD:
    /* A value we decode has a simple type: an element inside it means the
     * document is not what we think it is, and skipping it could deliver
     * a wrong value. */
    tp__fail(st, TP_ERR_UNEXPECTED_ELEMENT, (int)st->value.field, "", 0,
             TP_DETAIL_WHOLE);
    return SKIP;
  default:
    return tp__fault_child(st, parent, q, 0);
  }
}

/* The role of a new element (its name len bytes), given its parent's;
 * may fire begin callbacks or record an error (then the return value does
 * not matter). The one place every element's role is decided. */
static TP_HOT_INLINE uint8_t
child_role(tp_state *st, tp_role parent, const char *name, size_t len) {
  const size_t u = st->doc.ips_uri_len;
  qname q;
  int guess;
  if (parent < ROLE_JOB_ARRAY || parent > ROLE_ITEM) {
    split_name(st, name, len, &q);
    return envelope_child(st, parent, &q);
  }
  /* Nearly every element of a response is in the IPS namespace the
   * previous one used: first try the split that URI's length predicts,
   * with no search for the last separator and no comparison of the
   * version part (any "/version" is IPS). The guess is right unless the
   * local part it yields holds a separator itself (then the URI is
   * longer), which no name we recognise does: a name not recognised is
   * then split exactly, the guess having had no side effect. Measured
   * gain: 4.2 million of 186.8 million instructions (2.2%), callgrind,
   * genbench.py 100 2 50 fed in 4 KiB chunks to a reused heap decoder.
   * One call of ips_child for both, which the hot path inlines. */
  guess = u != 0 && len > u && name[u] == NS_SEP && is_ips_ns(name, u);
  for (;;) {
    const char *local = name + u + 1;
    size_t local_len = len - u - 1;
    uint8_t role;
    if (!guess) {
      split_name(st, name, len, &q);
      if (q.ns != NS_IPS)
        return SKIP;
      local = q.local;
      local_len = q.local_len;
    }
    role = ips_child(st, parent, local, local_len);
    if (role != SKIP || !guess || st->feed.halted ||
        memchr(local, NS_SEP, local_len) == NULL)
      return role;
    guess = 0;
  }
}

/* ---- Handlers --------------------------------------------------------- */

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

static TP_COLD int
is_nil(const XML_Char **atts) {
  for (; atts[0] != NULL; atts += 2) {
    if (strcmp(atts[0], XSI_NIL) == 0)
      return is_true(atts[1]);
  }
  return 0;
}

void XMLCALL
tp__on_start(void *user_data, const XML_Char *name, const XML_Char **atts) {
  tp_state *st = (tp_state *)user_data;
  tp_document *doc = &st->doc;
  const unsigned depth = doc->depth;
  tp_role parent;
  uint8_t role;
  if (st->feed.halted)
    return;
  /* Every open element counts, skipped ones too: expat's own tag stack
   * grows with each of them. depth_limit is max_depth, or the largest
   * value when there is no limit. */
  if (depth + doc->skip_depth >= st->set.depth_limit) {
    tp__fail_status(st, TP_ERR_TOO_DEEP);
    return;
  }
  if (doc->skip_depth) {
    doc->skip_depth++;
    return;
  }
  parent = depth ? (tp_role)doc->roles[depth - 1] : ROLE_DOCUMENT;
  role = child_role(st, parent, name, strlen(name));
  if (st->feed.halted)
    return;
  /* xsi:nil="true" on a field: it has no value, so it is left out like an
   * absent field (the schema makes none of them nillable, but servers
   * built on other toolkits may send it). */
  if (role == ROLE_FIELD && atts[0] != NULL && is_nil(atts))
    role = SKIP;
  if (role == SKIP) {
    doc->skip_depth = 1;
    return;
  }
  if (depth >= TP_MAX_ROLE_DEPTH) {
    tp__fail_status(st, TP_ERR_INTERNAL);
    return;
  }
  doc->roles[depth] = role;
  doc->depth = (uint8_t)(depth + 1);
  /* Only a field's own text reaches on_text: an element inside a field
   * is an error, which halts. */
  doc->in_field = (uint8_t)(role == ROLE_FIELD);
}

void XMLCALL
tp__on_end(void *user_data, const XML_Char *name) {
  tp_state *st = (tp_state *)user_data;
  tp_document *doc = &st->doc;
  tp_role role;
  (void)name;
  if (st->feed.halted)
    return;
  if (doc->skip_depth) {
    doc->skip_depth--;
    return;
  }
  if (doc->depth == 0) {
    tp__fail_status(st, TP_ERR_INTERNAL);
    return;
  }
  role = (tp_role)doc->roles[--doc->depth];
  /* Fields first: four ends in five close one. */
  if (role == ROLE_FIELD) {
    doc->in_field = 0;
    tp__end_field(st);
    return;
  }
  if (role >= ROLE_JOB_ARRAY && role <= ROLE_ITEM) {
    emit_end(st, NODE_OF(role));
  } else if (role == ROLE_FAULT ||
             (role == ROLE_FAULT_IPS && doc->depth == 0)) {
    /* At the root, the IPS fault element is the whole fault. */
    emit_end(st, TP_NODE_FAULT);
  } else if ((role == ROLE_BODY && !doc->seen_payload) ||
             (role == ROLE_ENVELOPE && !doc->seen_body)) {
    tp__fail_status(st, TP_ERR_NO_BODY);
  }
}

int
tp__is_accepted_root_n(const char *local, size_t len) {
  return (len == LIT_LEN("Envelope") && memcmp(local, "Envelope", len) == 0) ||
         (len == LIT_LEN("getActiveJobsReturn") &&
          memcmp(local, "getActiveJobsReturn", len) == 0) ||
         tp__fault_kind_of(local, len) >= 0;
}

static int
is_accepted_root(const char *local) {
  return tp__is_accepted_root_n(local, strlen(local));
}

void XMLCALL
tp__on_doctype(void *user_data, const XML_Char *name, const XML_Char *sysid,
               const XML_Char *pubid, int has_internal_subset) {
  tp_state *st = (tp_state *)user_data;
  const size_t len = strlen(name);
  const char *colon = memchr(name, ':', len);
  (void)sysid;
  (void)pubid;
  /* Either way decoding stops here, before any declaration of the
   * internal subset is processed. A DOCTYPE names the root element to
   * come: one that is no root we accept (<!DOCTYPE html>) shows what the
   * document is, unless it declares things, which is a DTD whatever the
   * name. */
  if (has_internal_subset || is_accepted_root(colon ? colon + 1 : name))
    tp__fail_status(st, TP_ERR_DOCTYPE);
  else
    not_soap(st, name, len, NULL, 0);
}

/* ASCII letters compared without case: HTML's names. */
static int
ascii_prefix_nocase(const char *s, size_t n, const char *lower) {
  size_t i;
  for (i = 0; lower[i] != '\0'; i++)
    if (i >= n || (s[i] | 0x20) != lower[i])
      return 0;
  return 1;
}

int
tp__html_prolog(tp_state *st, enum XML_Error code) {
  int offset = 0, size = 0;
  const char *buf = XML_GetInputContext(st->feed.parser, &offset, &size);
  size_t at, n, before;
  const char *p;
  /* Expat keeps the bytes around the error only where it was built with
   * XML_CONTEXT_BYTES (its default): without them this is TP_ERR_XML. */
  if (buf == NULL || offset < 0 || size <= 0 || offset >= size)
    return 0;
  at = (size_t)offset;
  while (at > 0 && buf[at] != '<')
    at--;
  if (buf[at] != '<')
    return 0;
  p = buf + at + 1;
  n = (size_t)size - at - 1;    /* bytes after the '<' */
  before = (size_t)offset - at; /* those before the error, and one */
  /* What decides may only be bytes expat had to see to fail, or the
   * verdict would depend on how the input was split. A syntax error at a
   * declaration's '<' comes once its whole name and the byte after it
   * have arrived (a '<' that is wrong where it stands fails at once, as an
   * invalid token): a name that is DOCTYPE but for its case is HTML's. */
  if (code == XML_ERROR_SYNTAX && at == (size_t)offset && n > 8 &&
      p[0] == '!') {
    if (!ascii_prefix_nocase(p + 1, 7, "doctype") ||
        memcmp(p + 1, "DOCTYPE", 7) == 0 ||
        !(tp__is_xml_space(p[8]) || p[8] == '>'))
      return 0;
    tp__fail(st, TP_ERR_NOT_SOAP, -1, "<!doctype> (HTML)", 17, TP_DETAIL_WHOLE);
    return 1;
  }
  /* <html followed by a delimiter, before the error (an unquoted
   * attribute value, <html lang=en>). */
  if (before < 6 || !ascii_prefix_nocase(p, before - 1, "html") ||
      !(tp__is_xml_space(p[4]) || p[4] == '>' || p[4] == '/'))
    return 0;
  not_soap(st, p, 4, NULL, 0);
  return 1;
}

void
tp__document_reset(tp_document *doc) {
  memset(doc, 0, sizeof *doc);
}
