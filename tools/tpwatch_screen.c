/* tpwatch_screen.c -- frames on the terminal and through a pipe.
 *
 * On a terminal each frame is drawn over the last, in one write: cursor
 * home, each line rewritten and the rest of it cleared, then the rest of
 * the screen cleared. Nothing is erased before it is redrawn, so nothing
 * flickers. The drawing happens on the alternate screen with the cursor
 * hidden, and screen_end() gives back the screen and cursor as they were.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tpwatch.h"

#define CSI "\033["

static int failed;

static void
emit(const char *s, size_t n) {
  if (n > 0 && fwrite(s, 1, n, stdout) != n)
    failed = 1;
}

static void
emit_str(const char *s) {
  emit(s, strlen(s));
}

static void
flush(void) {
  if (fflush(stdout) != 0)
    failed = 1;
}

int
screen_failed(void) {
  return failed;
}

void
screen_size(size_t *cols, size_t *rows) {
  struct winsize ws;

  *cols = 0;
  *rows = 0;
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
    *cols = ws.ws_col;
    *rows = ws.ws_row;
  }
}

void
screen_begin(void) {
  /* A whole frame in one write. */
  static char buf[1 << 16];

  setvbuf(stdout, buf, _IOFBF, sizeof buf);
  emit_str(CSI "?1049h" CSI "?25l");
  flush();
}

void
screen_end(void) {
  emit_str(CSI "0m" CSI "?25h" CSI "?1049l");
  flush();
}

static const char *
sgr(enum colour c) {
  switch (c) {
  case COLOUR_TITLE:
    return CSI "1m";
  case COLOUR_DONE:
    return CSI "32m";
  case COLOUR_ACTIVE:
    return CSI "36m";
  case COLOUR_FAILED:
    return CSI "31m";
  case COLOUR_STALE:
    return CSI "2m";
  default:
    return "";
  }
}

void
screen_draw(const struct frame *f, size_t cols, size_t rows, int colour) {
  size_t i, shown = f->n;
  int more = rows > 1 && shown > rows;

  /* What does not fit is counted on the last row. */
  if (more)
    shown = rows - 1;
  emit_str(CSI "H");
  for (i = 0; i < shown; i++) {
    const struct fline *l = &f->v[i];
    const char *on = colour ? sgr(l->colour) : "";

    emit_str(on);
    emit(l->s, l->len);
    if (*on != '\0')
      emit_str(CSI "0m");
    /* A line as wide as the screen leaves the cursor past its last
     * column, where clearing would erase that column. */
    if (l->cols < cols)
      emit_str(CSI "K");
    if (i + 1 < shown)
      emit_str("\r\n");
  }
  if (more) {
    char line[96];
    int n = snprintf(line, sizeof line, "\r\n... %zu more lines", f->n - shown);
    /* ASCII: a byte a column ("\r\n" takes none). */
    if (n > 0 && cols > 0 && (size_t)n > cols + 2)
      n = (int)cols + 2;
    emit(line, n > 0 ? (size_t)n : 0);
    emit_str(CSI "K");
    shown++;
  }
  /* The rows below, from the start of the next one. */
  if (rows == 0 || shown < rows)
    emit_str(shown > 0 ? "\r\n" CSI "J" : CSI "J");
  flush();
}

void
screen_block(const struct frame *f) {
  size_t i;

  for (i = 0; i < f->n; i++) {
    emit(f->v[i].s, f->v[i].len);
    emit("\n", 1);
  }
  emit("\n", 1);
  flush();
}
