/* request.c -- the getActiveJobs request of the examples, filled from the
 * environment and written by the library, and the command line of curl.c
 * and socket.c. */
#include "request.h"

#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
parse_args(int argc, char **argv, struct args *a) {
  int argi;

  a->url = NULL;
  for (argi = 1; argi < argc; argi++) {
    if (strncmp(argv[argi], "--max-tasks=", 12) == 0) {
      char *end;
      a->max_tasks = strtoul(argv[argi] + 12, &end, 10);
      if (*end != '\0' || argv[argi][12] == '\0')
        return -1;
    } else if (strcmp(argv[argi], "--print-request") == 0) {
      a->print_request = 1;
    } else if (a->url == NULL && argv[argi][0] != '-') {
      a->url = argv[argi];
    } else {
      return -1;
    }
  }
  return a->print_request || a->url != NULL ? 0 : -1;
}

static void
usage(const char *synopsis) {
  fprintf(stderr,
          "usage: %s\n"
          "       %.*s --print-request\n"
          "POSTs a getActiveJobs request and prints one line per task:\n"
          "job handle, task type, state, progress. --print-request writes\n"
          "the request to stdout instead and sends nothing.\n"
          "The request comes from the environment: IPS_USER, IPS_PASSWORD,\n"
          "IPS_COMPANY, IPS_JOB, IPS_SOAP_VERSION (1.1 or 1.2),\n"
          "IPS_API_VERSION, IPS_FAULT_HTTP_STATUS.\n"
          "Exit: 0 decoded, 3 SOAP Fault, 1 invalid response, 2 request\n"
          "refused, usage or transport error.\n",
          synopsis, (int)strcspn(synopsis, " "), synopsis);
}

static int
to_stdout(void *user_data, const char *bytes, size_t length) {
  (void)user_data;
  return fwrite(bytes, 1, length, stdout) != length;
}

static int
print_request(const tp_request *r) {
  char buf[128];

  if (tp_request_stream(r, buf, sizeof buf, to_stdout, NULL, NULL) != TP_OK ||
      fflush(stdout) != 0) {
    fprintf(stderr, "writing the request: %s\n", strerror(errno));
    return -1;
  }
  return 0;
}

int
request_start(int argc, char **argv, const char *program, const char *synopsis,
              struct args *a, tp_request *r) {
  char why[200];

  if (parse_args(argc, argv, a) != 0) {
    usage(synopsis);
    return EXIT_TRANSPORT;
  }
  if (request_from_env(r, why, sizeof why) != 0) {
    fprintf(stderr, "%s: %s\n", program, why);
    return EXIT_TRANSPORT;
  }
  if (a->print_request)
    return print_request(r) == 0 ? EXIT_DECODED : EXIT_TRANSPORT;
  return -1;
}
