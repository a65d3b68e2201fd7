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
