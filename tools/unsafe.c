/* unsafe.c -- the characters of a response that tpdump never writes raw
 * (escape.c says why), and the ASCII character each is shown as where it
 * is not escaped: the text renderer and the messages.
 */
#include <string.h>

#include "show.h"

/* The strings are valid UTF-8, and expat hands its character data over in
 * whole characters, so the end of a fragment never cuts one of these (the
 * tests feed them raw at every chunk size); a sequence cut short, as the
 * text format's truncated strings may end, is none of them. */
size_t
unsafe_char(const char *s, size_t n, unsigned *code) {
  const unsigned char *u = (const unsigned char *)s;

  if (n == 0)
    return 0;
  if (u[0] < 0x20 || u[0] == 0x7f) {
    *code = u[0];
    return 1;
  }
  /* C1: U+0080..U+009F is 0xc2 0x80..0xc2 0x9f, its second byte. */
  if (u[0] == 0xc2 && n >= 2 && u[1] < 0xa0) {
    *code = u[1];
    return 2;
  }
  if (u[0] == 0xe2 && n >= 3) {
    unsigned cp = 0x2000u | ((u[1] & 0x3fu) << 6) | (u[2] & 0x3fu);
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
      *code = cp;
      return 3;
    }
  }
  return 0;
}

/* Tab and line breaks become a space, so that a record stays on its line
 * and its words apart; anything else, '?'. */
char
unsafe_shown_as(unsigned code) {
  return code == '\t' || code == '\n' || code == '\r' ? ' ' : '?';
}

void
make_printable(char *s) {
  size_t n = strlen(s);
  size_t to = 0;
  size_t i = 0;

  while (i < n) {
    unsigned code;
    size_t k = unsafe_char(s + i, n - i, &code);
    if (k > 0) {
      s[to++] = unsafe_shown_as(code);
      i += k;
    } else {
      s[to++] = s[i++];
    }
  }
  s[to] = '\0';
}
