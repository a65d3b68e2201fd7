/* terminal.c -- what the text renderer asks of the terminal: the width
 * to cut lines to, and whether it takes UTF-8.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#include <sys/ioctl.h> /* TIOCGWINSZ, for the width */
#endif
#include <unistd.h>

#include "text.h"

long
parse_width(const char *s) {
  long width = 0;

  if (*s == '\0')
    return -1;
  for (; *s != '\0'; s++) {
    if (*s < '0' || *s > '9')
      return -1;
    if (width <= MAX_WIDTH)
      width = width * 10 + (*s - '0');
  }
  return width;
}

/* A terminal without a width of its own gets the traditional 80. */
#define DEFAULT_WIDTH 80

static size_t
tty_columns(void) {
#ifdef TIOCGWINSZ
  struct winsize ws;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
#endif
  return DEFAULT_WIDTH;
}

size_t
terminal_width(int have_option, size_t option) {
  const char *columns = getenv("COLUMNS");
  long given =
      have_option ? (long)(option <= MAX_WIDTH ? option : MAX_WIDTH) : -1;
  size_t width;

  if (given < 0 && columns != NULL)
    given = parse_width(columns);
  if (given >= 0) {
    width = (size_t)given;
  } else if (isatty(STDOUT_FILENO)) {
    width = tty_columns();
  } else {
    /* A pipe or a file: a program reads the lines, whole. */
    return 0;
  }
  if (width == 0)
    return 0;
  if (width < MIN_WIDTH)
    width = MIN_WIDTH;
  if (width > MAX_WIDTH)
    width = MAX_WIDTH;
  return width;
}

/* As the locale variables say: tpdump does not call setlocale. */
int
terminal_utf8(void) {
  static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
  size_t i;

  if (!isatty(STDOUT_FILENO))
    return 0;
  for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
    const char *v = getenv(vars[i]);
    if (v != NULL && *v != '\0')
      return strstr(v, "UTF-8") != NULL || strstr(v, "utf8") != NULL ||
             strstr(v, "UTF8") != NULL || strstr(v, "utf-8") != NULL;
  }
  return 0;
}
