/* text_line.c -- one line of the text renderer: built a character at a
 * time, counted in columns (width.c), cut to the width with "..." at the
 * end, never inside a character, and showing a response's text so that
 * it cannot drive the terminal.
 */
#include <string.h>

#include "show.h"
#include "text.h"

/* Bytes kept free for the "...\n" that ends a line. */
#define END_BYTES 4

void
tline_init(struct tline *l, size_t width) {
  l->len = 0;
  l->cols = 0;
  l->width = width;
  l->cut = 0;
}

/* Once a character did not fit, none after it goes in: a narrower one
 * would show text out of order. */
void
tline_char(struct tline *l, const char *c, size_t n) {
  size_t len;
  size_t w = char_columns(c, n, &len);

  if (l->cut)
    return;
  if ((l->width > 0 && l->cols + w > l->width) ||
      l->len + n > LINE_BYTES - END_BYTES) {
    l->cut = 1;
    return;
  }
  memcpy(l->b + l->len, c, n);
  l->len += n;
  l->cols += w;
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

/* UTF-8 as it is, but for show.h's unsafe characters, shown as one ASCII
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

/* A cut line loses whole characters from its end until "..." fits the
 * width. */
size_t
tline_finish(struct tline *l) {
  if (l->cut) {
    size_t keep = l->width == 0 ? l->cols : l->width > 3 ? l->width - 3 : 0;
    while (l->cols > keep) {
      size_t start = l->len;
      size_t len;
      do
        start--;
      while (start > 0 && ((unsigned char)l->b[start] & 0xc0) == 0x80);
      l->cols -= char_columns(l->b + start, l->len - start, &len);
      l->len = start;
    }
    memcpy(l->b + l->len, "...", 3);
    l->len += 3;
  }
  l->b[l->len++] = '\n';
  return l->len;
}
