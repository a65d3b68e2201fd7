/* text_line.c -- one line of the text format: built a character at a
 * time, counted in columns, cut to the width with "..." at the end, and
 * showing a response's text so that it cannot drive the terminal.
 */
#include <string.h>

#include "tpdump.h"
#include "text.h"

void
tline_init(struct tline *l, size_t width) {
  l->len = 0;
  l->cols = 0;
  l->width = width;
  l->cut = 0;
}

void
tline_char(struct tline *l, const char *c, size_t n) {
  if (l->cols >= l->width) {
    l->cut = 1;
    return;
  }
  memcpy(l->b + l->len, c, n);
  l->len += n;
  l->cols++;
}

void
tline_ascii(struct tline *l, const char *s) {
  for (; *s != '\0'; s++)
    tline_char(l, s, 1);
}

void
tline_pad(struct tline *l, size_t col) {
  while (l->cols < col && !l->cut)
    tline_char(l, " ", 1);
}

/* UTF-8 as it is, but for escape.c's characters, shown as one ASCII
 * character each. A sequence cut short at the end (a truncated field) is
 * dropped. */
void
tline_text(struct tline *l, const char *s, size_t n) {
  size_t i = 0;

  while (i < n && !l->cut) {
    unsigned char c = (unsigned char)s[i];
    size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    unsigned code;

    if (i + k > n)
      break;
    if (unsafe_char(s + i, n - i, &code) > 0) {
      char shown = unsafe_shown_as(code);
      tline_char(l, &shown, 1);
    } else {
      tline_char(l, s + i, k);
    }
    i += k;
  }
}

/* A cut line loses its last columns to "...". */
size_t
tline_finish(struct tline *l) {
  if (l->cut) {
    size_t keep = l->width > 3 ? l->width - 3 : 0;
    while (l->cols > keep) {
      do
        l->len--;
      while (l->len > 0 && ((unsigned char)l->b[l->len] & 0xc0) == 0x80);
      l->cols--;
    }
    memcpy(l->b + l->len, "...", 3);
    l->len += 3;
  }
  l->b[l->len++] = '\n';
  return l->len;
}
