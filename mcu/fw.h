/* fw.h -- what the firmware's files of mcu/ share: the semihosting port
 * (semihost.c) and the start-up code (startup.c). */
#ifndef FW_H
#define FW_H

#include <stddef.h>

#define FW_MAX_ARGS 8
/* Exit status of a fault handler: no tpdump run exits with it. */
#define FW_EXIT_FAULT 99

/* Splits the command line QEMU passes (-semihosting-config arg=...) at
 * spaces into argv; returns argc. */
int fw_command_line(char **argv, int max);
/* Ends the run; QEMU exits with `status`. */
void fw_exit(int status) __attribute__((noreturn));
/* Sends file descriptor `fd` (1 or 2) to a new host file, or back to the
 * console when `path` is NULL. Returns 0, or -1 with errno set. */
int fw_redirect(int fd, const char *path);
/* Reads the next line of `list` into `path` (cut to `size` - 1 bytes);
 * returns 0 at the end of the list. */
int fw_next_path(int list, char *path, size_t size);
/* The most bytes newlib's malloc has taken through sbrk so far. */
size_t fw_heap_used(void);
/* Writes the requests of request.c into `outdir` and sets stack[0..2] to
 * the peak stack of tp_request_check, tp_request_write and
 * tp_request_stream; returns 0, or -1 when a file could not be written. */
int fw_write_requests(const char *outdir, size_t stack[3]);

#endif
