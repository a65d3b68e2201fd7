/* sys/uio.h -- newlib has no writev(); tpdump (tools/output.c) uses it
 * for its messages, and the firmware of mcu/ supplies it (semihost.c). */
#ifndef FW_SYS_UIO_H
#define FW_SYS_UIO_H

#include <sys/types.h>

struct iovec {
  void *iov_base;
  size_t iov_len;
};

ssize_t writev(int fd, const struct iovec *iov, int iovcnt);

#endif
