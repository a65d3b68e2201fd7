/* show.h -- what tpdump's formats and the text renderer (text.h) share
 * for showing a response's values; private to tools/. It needs only the
 * library's header, so that another program can take the renderer
 * without tpdump's output.
 *
 * unsafe.c: the characters that could drive a terminal (C0 and C1
 * controls, DEL, the bidirectional embeddings, overrides and isolates).
 * unsafe_char returns the length of the one s[0..n) starts with and sets
 * *code to its code point, or returns 0; unsafe_shown_as is the ASCII
 * character the text renderer and the messages show for it;
 * make_printable rewrites a NUL-terminated string so, in place.
 *
 * values.c: a double as Python's repr() writes it, the non-finite ones
 * as JSON strings ("NaN", "INF", "-INF"); a dateTime as received, as a
 * JSON string. Both return the length written, as snprintf.
 */
#ifndef TPDUMP_SHOW_H
#define TPDUMP_SHOW_H

#include <stddef.h>

#include "taskprogress.h"

size_t unsafe_char(const char *s, size_t n, unsigned *code);
char unsafe_shown_as(unsigned code);
void make_printable(char *s);

size_t format_double(char *buf, size_t size, double d);
size_t format_datetime(char *buf, size_t size, const tp_datetime *dt);

#endif
