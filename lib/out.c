/* out.c -- the bounded appender: counts what it is given, keeps what fits,
 * cuts where the caller's contract says, and cleans text that came from
 * the input before a terminal could see it. */
#include <string.h>

#include "out.h"

void
tp__out_init(tp_out *o, char *buf, size_t size) {
  memset(o, 0, sizeof *o);
  o->buf = buf;
  o->size = buf == NULL ? 0u : size;
}

static void
put_raw(tp_out *o, const char *s, size_t n) {
  if (o->overflow || o->stopped)
    return;
  if (n > SIZE_MAX - o->total) {
    o->overflow = 1;
    return;
  }
  if (o->write == NULL) {
    size_t room = o->size > o->fill ? o->size - 1u - o->fill : 0u;
    size_t m = n < room ? n : room;
    if (m > 0)
      memcpy(o->buf + o->fill, s, m);
    o->fill += m;
    o->total += n;
    return;
  }
  while (n > 0 && !o->stopped) {
    size_t m = o->size - o->fill;
    if (m > n)
      m = n;
    memcpy(o->buf + o->fill, s, m);
    o->fill += m;
    o->total += m;
    s += m;
    n -= m;
    if (o->fill == o->size) {
      o->fill = 0;
      o->stopped = (uint8_t)(o->write(o->user_data, o->buf, o->size) != 0);
    }
  }
}

/* How many bytes at s (n > 0 of them) make one character that must not
 * reach a terminal raw, or 0: DEL, the C1 controls (U+0080-U+009F, CSI
 * among them), the line and paragraph separators and the bidirectional
 * embeddings, overrides and isolates (U+2028-U+202E, U+2066-U+2069).
 * C0 controls are handled apart: they become spaces. */
static size_t
unsafe_length(const unsigned char *s, size_t n) {
  if (s[0] == 0x7F)
    return 1;
  if (n >= 2 && s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F)
    return 2;
  if (n >= 3 && s[0] == 0xE2 &&
      ((s[1] == 0x80 && s[2] >= 0xA8 && s[2] <= 0xAE) ||
       (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9)))
    return 3;
  return 0;
}

static void
put_clean(tp_out *o, const char *s, size_t n) {
  static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
  while (n > 0) {
    size_t plain = 0, bad = 0;
    while (plain < n && (unsigned char)s[plain] >= 0x20 &&
           (bad = unsafe_length((const unsigned char *)s + plain, n - plain)) ==
               0)
      plain++;
    put_raw(o, s, plain);
    s += plain;
    n -= plain;
    if (n == 0)
      break;
    if (bad == 0) {
      put_raw(o, " ", 1);
      bad = 1;
    } else {
      put_raw(o, replacement, 3);
    }
    s += bad;
    n -= bad;
  }
}

void
tp__out_put(tp_out *o, const char *s, size_t n) {
  if (o->clean)
    put_clean(o, s, n);
  else
    put_raw(o, s, n);
}

void
tp__out_str(tp_out *o, const char *s) {
  tp__out_put(o, s, strlen(s));
}

void
tp__out_uint(tp_out *o, uint64_t v) {
  char digits[20];
  size_t n = 0;
  do {
    digits[sizeof digits - 1u - n] = (char)('0' + (int)(v % 10u));
    v /= 10u;
    n++;
  } while (v != 0);
  put_raw(o, digits + sizeof digits - n, n);
}

/* The longest prefix of buf[0, n) that ends between UTF-8 characters. */
static size_t
whole_chars(const char *buf, size_t n) {
  size_t lead = n, need;
  unsigned char c;
  while (lead > 0 && n - lead < 3 &&
         ((unsigned char)buf[lead - 1] & 0xC0u) == 0x80u)
    lead--;
  if (lead == 0)
    return n;
  c = (unsigned char)buf[lead - 1];
  need = c >= 0xF0 ? 4u : c >= 0xE0 ? 3u : c >= 0xC0 ? 2u : 1u;
  return n - (lead - 1u) < need ? lead - 1u : n;
}

size_t
tp__out_end(tp_out *o, unsigned cut, int marked) {
  size_t keep = o->fill;
  const int short_ = marked || o->total > o->fill;
  if (o->write != NULL) {
    if (o->fill > 0 && !o->stopped)
      o->stopped = (uint8_t)(o->write(o->user_data, o->buf, o->fill) != 0);
    o->fill = 0;
    return o->total;
  }
  if (o->size == 0)
    return o->total;
  if (short_ && cut != TP_OUT_BYTES) {
    const int dots = cut >= TP_OUT_ELLIPSIS && o->size > 3u;
    if (dots && keep > o->size - 4u)
      keep = o->size - 4u;
    keep = whole_chars(o->buf, keep);
    if (cut == TP_OUT_WORDS && !(keep < o->fill && o->buf[keep] == ' ')) {
      size_t space = keep;
      while (space > 0 && o->buf[space - 1] != ' ')
        space--;
      if (space > 0)
        keep = space - 1u;
    }
    if (dots) {
      memcpy(o->buf + keep, "...", 3);
      keep += 3;
    }
  }
  o->buf[keep] = '\0';
  o->fill = keep;
  return o->total;
}
