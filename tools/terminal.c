/* terminal.c -- what the text format asks of the terminal: its width,
 * and whether it takes UTF-8.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#include <sys/ioctl.h> /* TIOCGWINSZ, for the width */
#endif
#include <unistd.h>

#include "text.h"

size_t
terminal_width(void) {
  const char *columns = getenv("COLUMNS");
  size_t width = 0;

  if (columns != NULL && *columns != '\0') {
    const char *s;
    /* Saturates above MAX_WIDTH, so that huge values clamp too. */
    for (s = columns; *s >= '0' && *s <= '9'; s++)
      if (width <= MAX_WIDTH)
        width = width * 10 + (size_t)(*s - '0');
    if (*s != '\0')
      width = 0;
  }
#ifdef TIOCGWINSZ
  if (width == 0 && isatty(STDOUT_FILENO)) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
      width = ws.ws_col;
  }
#endif
  if (width == 0)
    width = 80;
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
