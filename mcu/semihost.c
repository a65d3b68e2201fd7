/* semihost.c -- the C library's system calls for the firmware of mcu/,
 * through semihosting (QEMU's -semihosting): files on the host, the
 * console, the command line and the exit status. Arm's and RISC-V's
 * semihosting differ only in the trap that makes the call; newlib (on the
 * Cortex-M cores) and picolibc (on RISC-V) only in the system calls'
 * names. Only what the C library, expat, the library and tpdump (the
 * files of tools/) call is here. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#ifdef __PICOLIBC__
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#endif

#include "fw.h"

enum {
  SYS_OPEN = 0x01,
  SYS_CLOSE = 0x02,
  SYS_WRITE = 0x05,
  SYS_READ = 0x06,
  SYS_ERRNO = 0x13,
  SYS_GET_CMDLINE = 0x15,
  SYS_EXIT_EXTENDED = 0x20
};
/* SYS_OPEN modes: fopen's "rb", "wb", and for the console "r", "w", "a"
 * (QEMU maps ":tt" opened "a" to its stderr). */
enum { MODE_RB = 1, MODE_W = 4, MODE_WB = 5, MODE_A = 8 };
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

#define MAX_FILES 8

#ifdef __riscv
/* RISC-V's semihosting trap is an ebreak between two no-ops that mark it,
 * uncompressed and within one page (QEMU reads all three): aligned to 16
 * bytes, the 12 cannot straddle a page. */
static int32_t
semihost(int op, const void *arg) {
  register int32_t a0 __asm__("a0") = op;
  register const void *a1 __asm__("a1") = arg;
  __asm__ volatile(".option push\n"
                   ".option norvc\n"
                   ".balign 16\n"
                   "slli x0, x0, 0x1f\n"
                   "ebreak\n"
                   "srai x0, x0, 7\n"
                   ".option pop"
                   : "+r"(a0)
                   : "r"(a1)
                   : "memory");
  return a0;
}
#else
static int32_t
semihost(int op, const void *arg) {
  register int32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
#endif

static int32_t handles[MAX_FILES];
static int32_t console[3];
static int console_open;

static void
open_console(void) {
  static const int modes[3] = {0, MODE_W, MODE_A};
  int fd;

  if (console_open)
    return;
  console_open = 1;
  for (fd = 0; fd < 3; fd++) {
    uint32_t block[3] = {(uint32_t)(uintptr_t) ":tt", (uint32_t)modes[fd], 3};
    console[fd] = semihost(SYS_OPEN, block);
    handles[fd] = console[fd];
  }
  for (; fd < MAX_FILES; fd++)
    handles[fd] = -1;
}

static int
host_errno(void) {
  return semihost(SYS_ERRNO, NULL);
}

static int32_t
host_open(const char *path, int mode) {
  uint32_t block[3] = {(uint32_t)(uintptr_t)path, (uint32_t)mode,
                       (uint32_t)strlen(path)};
  return semihost(SYS_OPEN, block);
}

static int32_t
handle_of(int fd) {
  open_console();
  if (fd < 0 || fd >= MAX_FILES || handles[fd] < 0) {
    errno = EBADF;
    return -1;
  }
  return handles[fd];
}

int _open(const char *path, int flags, ...);
int _close(int fd);
int _read(int fd, void *buf, size_t n);
int _write(int fd, const void *buf, size_t n);
off_t _lseek(int fd, off_t off, int whence);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
void *_sbrk(ptrdiff_t incr);
void _exit(int status);
int _kill(int pid, int sig);
int _getpid(void);
int _gettimeofday(struct timeval *tv, void *tz);

/* Files are opened to be read, or to be written from the start. */
int
_open(const char *path, int flags, ...) {
  int mode = MODE_RB;
  int fd;

  open_console();
  if ((flags & O_ACCMODE) == O_WRONLY && (flags & O_TRUNC))
    mode = MODE_WB;
  else if ((flags & O_ACCMODE) != O_RDONLY) {
    errno = EACCES;
    return -1;
  }
  for (fd = 3; fd < MAX_FILES && handles[fd] >= 0; fd++)
    ;
  if (fd == MAX_FILES) {
    errno = EMFILE;
    return -1;
  }
  handles[fd] = host_open(path, mode);
  if (handles[fd] < 0) {
    errno = host_errno();
    return -1;
  }
  return fd;
}

int
_close(int fd) {
  int32_t h = handle_of(fd);

  if (h < 0)
    return -1;
  handles[fd] = fd < 3 ? console[fd] : -1;
  if (fd < 3)
    return 0;
  return semihost(SYS_CLOSE, &h) == 0 ? 0 : -1;
}

/* SYS_READ and SYS_WRITE take the same block and both answer with the
 * bytes not transferred; -1 with errno EIO when the host refused. */
static int
transfer(int op, int fd, const void *buf, size_t n) {
  int32_t h = handle_of(fd);
  uint32_t block[3];
  int32_t left;

  if (h < 0)
    return -1;
  block[0] = (uint32_t)h;
  block[1] = (uint32_t)(uintptr_t)buf;
  block[2] = (uint32_t)n;
  left = semihost(op, block);
  if (left < 0 || (size_t)left > n) {
    errno = EIO;
    return -1;
  }
  return (int)(n - (size_t)left);
}

int
_read(int fd, void *buf, size_t n) {
  return transfer(SYS_READ, fd, buf, n);
}

int
_write(int fd, const void *buf, size_t n) {
  int done = transfer(SYS_WRITE, fd, buf, n);
  /* Nothing written of a non-empty buffer: a write that cannot go on. */
  if (done == 0 && n > 0) {
    errno = EIO;
    return -1;
  }
  return done;
}

int
fw_next_path(int list, char *path, size_t size) {
  size_t len = 0;
  char c;

  while (_read(list, &c, 1) == 1 && c != '\n')
    if (len + 1 < size)
      path[len++] = c;
  path[len] = '\0';
  return len > 0;
}

ssize_t
writev(int fd, const struct iovec *iov, int iovcnt) {
  ssize_t done = 0;
  int i;

  for (i = 0; i < iovcnt; i++) {
    int n = _write(fd, iov[i].iov_base, iov[i].iov_len);
    if (n < 0)
      return done > 0 ? done : -1;
    done += n;
    if ((size_t)n < iov[i].iov_len)
      break;
  }
  return done;
}

off_t
_lseek(int fd, off_t off, int whence) {
  (void)fd;
  (void)off;
  (void)whence;
  errno = ESPIPE;
  return -1;
}

int
_fstat(int fd, struct stat *st) {
  if (handle_of(fd) < 0)
    return -1;
  memset(st, 0, sizeof *st);
  st->st_mode = S_IFCHR;
  return 0;
}

int
_isatty(int fd) {
  return fd >= 0 && fd < 3;
}

extern unsigned char __heap_start__[], __heap_end__[];
static unsigned char *heap_top = __heap_start__;

void *
_sbrk(ptrdiff_t incr) {
  unsigned char *old = heap_top;

  if (incr > __heap_end__ - heap_top || incr < __heap_start__ - heap_top) {
    errno = ENOMEM;
    return (void *)-1;
  }
  heap_top += incr;
  return old;
}

size_t
fw_heap_used(void) {
  return (size_t)(heap_top - __heap_start__);
}

void
fw_exit(int status) {
  /* The extended call carries the status; plain SYS_EXIT cannot on
   * 32-bit Arm. */
  uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
  for (;;)
    semihost(SYS_EXIT_EXTENDED, block);
}

void
_exit(int status) {
  fw_exit(status);
}

int
_kill(int pid, int sig) {
  (void)pid;
  (void)sig;
  fw_exit(128 + sig);
}

int
_getpid(void) {
  return 1;
}

/* Expat seeds its hash salt from the time and the process id (see
 * README.md: a product should give it a hardware random number instead).
 * The board has no clock worth reading here. */
int
_gettimeofday(struct timeval *tv, void *tz) {
  (void)tz;
  tv->tv_sec = 0;
  tv->tv_usec = 0;
  return 0;
}

int
fw_command_line(char **argv, int max) {
  static char line[512];
  uint32_t block[2] = {(uint32_t)(uintptr_t)line, sizeof line - 1};
  char *s = line;
  int argc = 0;

  open_console();
  if (semihost(SYS_GET_CMDLINE, block) != 0)
    return 0;
  line[block[1]] = '\0';
  while (*s != '\0' && argc < max) {
    while (*s == ' ')
      *s++ = '\0';
    if (*s == '\0')
      break;
    argv[argc++] = s;
    while (*s != '\0' && *s != ' ')
      s++;
  }
  argv[argc] = NULL;
  return argc;
}

int
fw_redirect(int fd, const char *path) {
  int32_t h;

  open_console();
  if (fd < 1 || fd > 2) {
    errno = EBADF;
    return -1;
  }
  if (handles[fd] != console[fd])
    semihost(SYS_CLOSE, &handles[fd]);
  handles[fd] = console[fd];
  if (path == NULL)
    return 0;
  h = host_open(path, MODE_WB);
  if (h < 0) {
    errno = host_errno();
    return -1;
  }
  handles[fd] = h;
  return 0;
}

#ifdef __PICOLIBC__
/* picolibc calls the system calls by their POSIX names, newlib by the
 * names above. */
int
open(const char *path, int flags, ...) {
  return _open(path, flags);
}

int
close(int fd) {
  return _close(fd);
}

ssize_t
read(int fd, void *buf, size_t n) {
  return _read(fd, buf, n);
}

ssize_t
write(int fd, const void *buf, size_t n) {
  return _write(fd, buf, n);
}

off_t
lseek(int fd, off_t off, int whence) {
  return _lseek(fd, off, whence);
}

int
fstat(int fd, struct stat *st) {
  return _fstat(fd, st);
}

int
isatty(int fd) {
  return _isatty(fd);
}

void *
sbrk(ptrdiff_t incr) {
  return _sbrk(incr);
}

int
kill(pid_t pid, int sig) {
  return _kill((int)pid, sig);
}

pid_t
getpid(void) {
  return _getpid();
}

int
gettimeofday(struct timeval *restrict tv, void *restrict tz) {
  return _gettimeofday(tv, tz);
}

/* picolibc's stdio leaves its streams to the program; only stderr is
 * named (expat's debugging output, which nothing here turns on). */
static int
put_stderr(char c, FILE *f) {
  (void)f;
  return _write(2, &c, 1) == 1 ? (unsigned char)c : EOF;
}

static FILE fw_stderr =
    FDEV_SETUP_STREAM(put_stderr, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stderr = &fw_stderr;
#endif
