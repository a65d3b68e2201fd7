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

/* Text from the response, as UTF-8. Control characters could move the
 * cursor or rewrite the screen, so C0, DEL and C1 become '?', and tab and
 * line breaks a space (a record stays on its line). A sequence cut short
 * at the end (a truncated field) is dropped. */
void
tline_text(struct tline *l, const char *s, size_t n) {
  size_t i = 0;

  while (i < n && !l->cut) {
    unsigned char c = (unsigned char)s[i];
    size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

    if (i + k > n)
      break;
    if (c == '\t' || c == '\n' || c == '\r')
      tline_char(l, " ", 1);
    else if (c < 0x20 || c == 0x7f ||
             (c == 0xc2 && (unsigned char)s[i + 1] < 0xa0))
      tline_char(l, "?", 1);
    else
      tline_char(l, s + i, k);
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
