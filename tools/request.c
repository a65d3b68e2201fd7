/* request.c -- tpdump --request: the getActiveJobs request that the IPS_*
 * variables describe (request_env.c), written to stdout for curl.
 */
#include <stdlib.h>
#include <string.h>

#include "request_env.h"
#include "tpdump.h"

static int
to_output(void *user_data, const char *bytes, size_t length) {
  struct printer *p = user_data;

  out_bytes(p, bytes, length);
  return p->write_errno != 0;
}

static int
set(const char *name) {
  const char *v = getenv(name);
  return v != NULL && v[0] != '\0';
}

int
print_request(void) {
  struct printer p;
  tp_request r;
  char why[200];
  char buf[256];

  /* A request without them only earns a fault: say so here instead. */
  if (!set("IPS_USER") || !set("IPS_PASSWORD")) {
    complain("--request: set IPS_USER and IPS_PASSWORD to the IPS "
             "credentials (the password is never taken from the command "
             "line)",
             NULL);
    return 2;
  }
  if (request_from_env(&r, why, sizeof why) != 0) {
    make_printable(why);
    complain("--request: ", why, NULL);
    return 2;
  }
  r.app_name = "tpdump";
  r.app_version = tp_version();
  memset(&p, 0, sizeof p);
  if (tp_request_stream(&r, buf, sizeof buf, to_output, &p, NULL) != TP_OK &&
      p.write_errno == 0) {
    complain("--request: the library refuses the request", NULL);
    return 2;
  }
  out_flush(&p);
  if (p.write_errno != 0) {
    complain("write error: ", strerror(p.write_errno), NULL);
    return 2;
  }
  return 0;
}
