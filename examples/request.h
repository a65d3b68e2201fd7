/* request.h -- what the examples share on the sending side: the
 * getActiveJobs request filled from the environment, and the command line
 * of curl.c and socket.c. */
#ifndef EXAMPLES_REQUEST_H
#define EXAMPLES_REQUEST_H

#include <stddef.h>

#include <taskprogress.h>

/* request_from_env(): the request from the IPS_* variables. */
#include "../tools/request_env.h"

/* The command line of curl.c and socket.c. */
struct args {
  unsigned long max_tasks;
  const char *url;
  int print_request; /* --print-request: write the request, send nothing */
};

/* The start curl.c and socket.c share: parses [--max-tasks=N] URL or
 * --print-request into *a (usage on stderr when argv is neither), fills
 * *r with request_from_env() (the refusal on stderr after "program: "),
 * and for --print-request writes the request to stdout. Returns -1 when
 * the program goes on to send *r to a->url, else the exit status to
 * return: EXIT_TRANSPORT for usage, a refused request or a failed write,
 * EXIT_DECODED once the request is printed. synopsis is "PROGRAM
 * [--max-tasks=N] URL". */
int request_start(int argc, char **argv, const char *program,
                  const char *synopsis, struct args *a, tp_request *r);

#endif /* EXAMPLES_REQUEST_H */
