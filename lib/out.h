/* out.h -- the one bounded appender (out.c): every text the library
 * writes (error details, tp_format_error's message, the request) goes
 * through it, so cutting, counting and cleaning are written once. */
#ifndef TP_OUT_H
#define TP_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "taskprogress.h"

typedef struct tp_out {
  char *buf;
  size_t size;  /* bytes of buf */
  size_t fill;  /* bytes in buf now */
  size_t total; /* bytes put in all, those past the end of buf included */
  /* Set: buf gathers the bytes, and `write` gets every full buf (and
   * tp__out_end the rest). Unset: buf keeps a NUL-terminated prefix. */
  tp_write_fn write;
  void *user_data;
  uint8_t clean;    /* replace controls and bidirectional characters */
  uint8_t overflow; /* total would not fit in a size_t (and stopped there) */
  uint8_t stopped;  /* `write` asked to stop */
} tp_out;

/* An appender into buf (size 0: count only; buf may then be NULL). */
void tp__out_init(tp_out *o, char *buf, size_t size);
void tp__out_put(tp_out *o, const char *s, size_t n);
void tp__out_str(tp_out *o, const char *s);
void tp__out_uint(tp_out *o, uint64_t v);

/* How tp__out_end finishes an output that did not fit in buf. */
enum {
  TP_OUT_BYTES = 0,    /* the longest prefix: snprintf's cut */
  TP_OUT_CHARS = 1,    /* the longest prefix of whole UTF-8 characters */
  TP_OUT_ELLIPSIS = 2, /* whole characters, then "..." */
  TP_OUT_WORDS = 3     /* "..." after a whole word where there is one */
};

/* Finishes the output: NUL-terminates buf (without `write`, size > 0),
 * or hands the rest to `write`. `marked`: end with "..." as if cut even
 * when it fit. Returns the total length. */
size_t tp__out_end(tp_out *o, unsigned cut, int marked);

#endif /* TP_OUT_H */
