/* no_memory_verdict.c -- what it means that expat ran out of memory:
 * the name being read took it, or the root element, whole by then, is
 * none we accept (then the document is not SOAP, whatever memory it
 * would take). */
#include <string.h>

#include "dispatch.h"
#include "out.h"

/* A byte that may start an element's name: expat has checked the rest,
 * so only the name's end needs finding. */
static int
is_name_start(unsigned char c) {
  return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_' || c == ':' ||
         c >= 0x80;
}

static const char READING_NAME[] = "while reading an element name";

tp_status
tp__no_memory_verdict(const tp_state *st, char *detail, size_t size,
                      size_t *len) {
  int offset = 0, avail = 0;
  const char *buf = XML_GetInputContext(st->feed.parser, &offset, &avail);
  const char *name, *end, *colon;
  size_t n = 0;
  *len = 0;
  /* Expat stands at the start of the token it could not finish: its
   * bytes so far are in its buffer where it keeps XML_CONTEXT_BYTES (its
   * default; without them nothing more can be said). */
  if (buf == NULL || offset < 0 || avail - offset < 2 || buf[offset] != '<' ||
      !is_name_start((unsigned char)buf[offset + 1]))
    return TP_ERR_NO_MEMORY;
  name = buf + offset + 1;
  end = buf + avail;
  while (name + n < end && !tp__is_xml_space(name[n]) && name[n] != '>' &&
         name[n] != '/')
    n++;
  if (name + n == end) {
    /* The name has not ended in what expat holds: it is what took the
     * memory, and nothing says yet which element it names. */
    tp_out o;
    tp__out_init(&o, detail, size);
    tp__out_put(&o, READING_NAME, LIT_LEN(READING_NAME));
    (void)tp__out_end(&o, TP_OUT_ELLIPSIS, 0);
    *len = o.fill;
    return TP_ERR_NO_MEMORY;
  }
  if (st->doc.seen_root)
    return TP_ERR_NO_MEMORY;
  /* The root's whole name has arrived (its attributes, or the work on the
   * tag, took the memory): a name we would accept, whatever namespace its
   * prefix comes to mean, leaves the verdict to memory. */
  colon = memchr(name, ':', n);
  if (colon != NULL
          ? tp__is_accepted_root_n(colon + 1, n - (size_t)(colon + 1 - name))
          : tp__is_accepted_root_n(name, n))
    return TP_ERR_NO_MEMORY;
  *len = tp__root_detail(detail, size, name, n, NULL, 0);
  return TP_ERR_NOT_SOAP;
}
