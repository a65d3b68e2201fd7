/* dispatch.h -- what element dispatch's files share: dispatch.c (the
 * document, the records and their fields), fault.c (faults) and
 * no_memory_verdict.c (what expat running out of memory means). */
#ifndef TP_DISPATCH_H
#define TP_DISPATCH_H

#include <string.h>

#include "arena.h"
#include "internal.h"
#include "value_text.h"

#define LIT_LEN(s) (sizeof(s) - 1)

typedef enum ns_kind {
  NS_NONE,
  NS_SOAP11,
  NS_SOAP12,
  NS_IPS,
  NS_OTHER
} ns_kind;

/* An element's name, split. */
typedef struct qname {
  ns_kind ns;
  const char *name; /* the whole name: the URI is its first uri_len bytes */
  size_t uri_len;
  const char *local;
  size_t local_len;
} qname;

/* Whether q's local name is the lit_len bytes at lit (dispatch.c): only
 * the elements outside the records and a fault's ask, so one copy, not
 * inline in each file that asks. */
int tp__is_local(const qname *q, const char *lit, size_t lit_len);

#define IS(q, lit) tp__is_local((q), (lit), LIT_LEN(lit))

/* A role value that means "skip this element and all it holds". */
#define SKIP 0xFF

static inline int
is_envelope_ns(const tp_state *st, ns_kind ns) {
  return ns == (st->doc.soap12 ? NS_SOAP12 : NS_SOAP11);
}

static TP_HOT_INLINE void
emit_begin(tp_state *st, tp_node node) {
  const tp_callbacks *cb = st->set.cb;
  if (cb && cb->begin) {
    const int stop = cb->begin(st->set.user_data, node);
    tp__arena_after_callback(st->feed.arena);
    if (stop)
      tp__fail_status(st, TP_STOPPED);
  }
}

/* Opens the field `id` and returns ROLE_FIELD (dispatch.c): fault.c's
 * fields that fields.def does not name come here, so that tp__begin_field
 * is not a second copy in fault.c where the compiler does not inline it. */
uint8_t tp__open_field(tp_state *st, tp_field_id id);

/* The field fields.def names for the child q of a `parent` element:
 * opens it and returns ROLE_FIELD, or SKIP for other names (dispatch.c;
 * one copy of the lookup, which the hot path inlines). */
uint8_t tp__field_child(tp_state *st, tp_role parent, const qname *q);

/* The role of a child of a fault element (`parent` one of the ROLE_FAULT*
 * roles); `bare`: the IPS fault element is the document's root, so it is
 * the fault itself and opens TP_NODE_FAULT (fault.c). */
uint8_t tp__fault_child(tp_state *st, tp_role parent, const qname *q, int bare);

/* What TP_ERR_NOT_SOAP says: what the root element is, written to
 * `detail` (`size` bytes). `uri` is NULL for a name from a DOCTYPE or an
 * HTML prolog, which has none. Returns the detail's length (dispatch.c). */
size_t tp__root_detail(char *detail, size_t size, const char *local,
                       size_t local_len, const char *uri, size_t uri_len);

/* Whether a local name (a DOCTYPE's, or a start tag's, prefix dropped) is
 * a root we accept (dispatch.c). */
int tp__is_accepted_root_n(const char *local, size_t len);

#endif /* TP_DISPATCH_H */
