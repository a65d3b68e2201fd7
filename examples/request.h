/* request.h -- what the examples share on the sending side: the
 * getActiveJobs request filled from the environment, and the command line
 * of curl.c and socket.c. */
#ifndef EXAMPLES_REQUEST_H
#define EXAMPLES_REQUEST_H

#include <stddef.h>

#include <taskprogress.h>

/* Fills *r with tp_request_init()'s defaults and the environment:
 *   IPS_USER, IPS_PASSWORD  the credentials (never on the command line,
 *                           where every user of the machine could read
 *                           them)
 *   IPS_COMPANY, IPS_JOB    companyHandle, jobHandle: only those jobs
 *   IPS_SOAP_VERSION        1.1 (the default) or 1.2
 *   IPS_API_VERSION         e.g. 2014-04-03; "" is not possible (unset
 *                           means the library's default)
 *   IPS_FAULT_HTTP_STATUS   faultHttpStatusCode: the HTTP status IPS
 *                           answers a fault with
 * A variable unset or empty leaves its element out. Then checks the
 * request as the library will write it. Returns 0; or -1 with why (a
 * NUL-terminated line naming the variable at fault, no newline) when the
 * request cannot be sent: the examples then exit with EXIT_TRANSPORT,
 * having sent nothing. No heap, no stdio stream: the ring-buffer example
 * uses it too. */
int request_from_env(tp_request *r, char *why, size_t size);

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
