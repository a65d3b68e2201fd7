/* escape.c -- the characters of a response that tpdump never writes
 * raw, and the JSON string bodies (json and events formats) that write
 * them as \uXXXX.
 *
 * A response's strings reach a terminal: through the text format, and
 * through the json and events formats whenever they are read there, piped
 * or not. Control characters can move the cursor or rewrite the screen
 * (C1's U+009B is a one-character CSI), and the bidirectional embeddings,
 * overrides and isolates reorder what is shown after them. The text
 * format and the messages show each of them as one ASCII character; JSON
 * may escape any character, so its strings stay the same string.
 */
#include <string.h>

#include "tpdump.h"

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

/* All of unsafe_char()'s characters are in the Basic Multilingual Plane:
 * one \uXXXX each. */
void
out_json_text(struct printer *p, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  /* The characters with a short escape, each followed by its letter. */
  static const char named[] = "\"\"\\\\\nn\tt\rr\bb\ff";
  size_t start = 0;
  size_t i = 0;

  while (i < n) {
    char esc[7] = {'\\', 'u', 0, 0, 0, 0, 0};
    size_t esc_len = 6;
    unsigned code = (unsigned char)s[i];
    size_t len = unsafe_char(s + i, n - i, &code);
    size_t k;

    if (len == 0) {
      if (code != '"' && code != '\\') {
        i++;
        continue;
      }
      len = 1;
    }
    esc[2] = hex[code >> 12 & 0xf];
    esc[3] = hex[code >> 8 & 0xf];
    esc[4] = hex[code >> 4 & 0xf];
    esc[5] = hex[code & 0xf];
    for (k = 0; k + 1 < sizeof named; k += 2)
      if ((unsigned char)named[k] == code) {
        esc[1] = named[k + 1];
        esc_len = 2;
      }
    out_bytes(p, s + start, i - start);
    out_bytes(p, esc, esc_len);
    i += len;
    start = i;
  }
  out_bytes(p, s + start, n - start);
}
