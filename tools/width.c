/* width.c -- how many columns a character takes on a terminal: 2 for the
 * East Asian wide and fullwidth ones (CJK, most emoji), none for the
 * marks that combine with the character before, 1 for the rest, as
 * width_table.h lists them (genwidth.py writes it from Unicode's data).
 */
#include <stddef.h>

#include "text.h"

struct width_range {
  unsigned long first;
  unsigned long last;
};

#include "width_table.h"

static int
in_table(const struct width_range *t, size_t n, unsigned long cp) {
  size_t lo = 0;
  size_t hi = n;

  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cp < t[mid].first)
      hi = mid;
    else if (cp > t[mid].last)
      lo = mid + 1;
    else
      return 1;
  }
  return 0;
}

size_t
char_columns(const char *s, size_t n, size_t *len) {
  const unsigned char *u = (const unsigned char *)s;
  unsigned long cp;
  size_t k;
  size_t i;

  if (u[0] < 0x80) {
    *len = 1;
    return 1;
  }
  k = u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : 2;
  *len = k;
  if (k > n)
    return 1;
  cp = u[0] & (0x7fu >> k);
  for (i = 1; i < k; i++)
    cp = cp << 6 | (u[i] & 0x3fu);
  if (cp < 0x300) /* Latin-1 and Latin Extended: one column each */
    return 1;
  if (in_table(width_zero, sizeof width_zero / sizeof width_zero[0], cp))
    return 0;
  if (in_table(width_wide, sizeof width_wide / sizeof width_wide[0], cp))
    return 2;
  return 1;
}
