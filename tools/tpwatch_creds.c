/* tpwatch_creds.c -- the credentials file: the user on its first line,
 * the password on its second. Refused, as ssh refuses a private key,
 * when anyone but its owner may read or write it: a password in such a
 * file is no longer a secret.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tpwatch.h"

/* Line `n` (0 or 1) of `text` into `out`, without its CR LF or LF. */
static int
line_of(const char *text, int n, char *out, size_t size) {
  size_t len;

  while (n-- > 0) {
    text = strchr(text, '\n');
    if (text == NULL)
      return -1;
    text++;
  }
  len = strcspn(text, "\n");
  if (len > 0 && text[len - 1] == '\r')
    len--;
  if (len == 0 || len >= size)
    return -1;
  memcpy(out, text, len);
  out[len] = '\0';
  return 0;
}

int
creds_read(const char *path, char *user, size_t user_size, char *password,
           size_t password_size, char *why, size_t why_size) {
  char text[2048];
  struct stat st;
  ssize_t n;
  int fd = open(path, O_RDONLY | O_NOCTTY);

  if (fd < 0) {
    snprintf(why, why_size, "%s: %s", path, strerror(errno));
    return -1;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(why, why_size, "%s: not a regular file", path);
    close(fd);
    return -1;
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    snprintf(why, why_size,
             "%s: permissions %04o are too open: others may read or change "
             "the password (chmod 600 it)",
             path, (unsigned)(st.st_mode & 07777));
    close(fd);
    return -1;
  }
  n = read(fd, text, sizeof text - 1);
  close(fd);
  if (n < 0) {
    snprintf(why, why_size, "%s: %s", path, strerror(errno));
    return -1;
  }
  text[n] = '\0';
  if (line_of(text, 0, user, user_size) != 0 ||
      line_of(text, 1, password, password_size) != 0) {
    snprintf(why, why_size,
             "%s: expected the user on the first line and the password on "
             "the second",
             path);
    return -1;
  }
  return 0;
}
