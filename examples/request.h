/* request.h -- what curl.c and socket.c both send: the command line they
 * share and the SOAP getActiveJobs envelope, built without the heap. */
#ifndef EXAMPLES_REQUEST_H
#define EXAMPLES_REQUEST_H

#include <stddef.h>

struct sbuf {
  char buf[4096];
  size_t len;
  int overflow;
};

/* Appends s; on overflow b keeps what it had and says so. */
void sbuf_add(struct sbuf *b, const char *s);

/* A SOAP 1.1 getActiveJobs request. The credentials come from the
 * environment (IPS_USER, IPS_PASSWORD), never from the command line,
 * where every user of the machine could read them; IPS_COMPANY narrows
 * the request to one company. */
void build_envelope(struct sbuf *b);

/* [--max-tasks=N] URL: 0 when argv is that, -1 (for usage) otherwise. */
int parse_args(int argc, char **argv, unsigned long *max_tasks,
               const char **url);

/* The usage message for synopsis, "PROGRAM [--max-tasks=N] URL". */
void usage(const char *synopsis);

#endif /* EXAMPLES_REQUEST_H */
