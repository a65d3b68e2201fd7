/* request_env.c -- the getActiveJobs request filled from the IPS_*
 * variables: the one mapping of the environment to a tp_request, for
 * tpdump --request and the examples (examples/request.c).
 */
#include "request_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
env(const char *name) {
  const char *v = getenv(name);
  return v != NULL && v[0] != '\0' ? v : NULL;
}

/* The variable behind each tp_request member the library may refuse, so
 * that the message names what the user can change. */
#define NOT_TEXT "not valid UTF-8, or holds a character XML 1.0 forbids"

static const struct {
  const char *member;
  const char *variable;
  const char *why;
} sources[] = {
    {"user", "IPS_USER", NOT_TEXT},
    {"password", "IPS_PASSWORD", NOT_TEXT},
    {"company_handle", "IPS_COMPANY", NOT_TEXT},
    {"job_handle", "IPS_JOB", NOT_TEXT},
    {"api_version", "IPS_API_VERSION", "not YYYY-MM-DD or YYYY-MM-DD-beta"},
    {"fault_http_status_code", "IPS_FAULT_HTTP_STATUS",
     "not an HTTP status, 100 to 599"},
};

int
request_from_env(tp_request *r, char *why, size_t size) {
  const char *soap = env("IPS_SOAP_VERSION");
  const char *status = env("IPS_FAULT_HTTP_STATUS");
  const char *bad = NULL;
  size_t i;

  tp_request_init(r);
  r->user = env("IPS_USER");
  r->password = env("IPS_PASSWORD");
  r->company_handle = env("IPS_COMPANY");
  r->job_handle = env("IPS_JOB");
  if (env("IPS_API_VERSION") != NULL)
    r->api_version = env("IPS_API_VERSION");
  r->locale = "en-US";
  r->app_name = "libtaskprogress-example";
  r->app_version = "1.0";
  if (soap != NULL) {
    if (strcmp(soap, "1.1") == 0) {
      r->soap_version = TP_SOAP_11;
    } else if (strcmp(soap, "1.2") == 0) {
      r->soap_version = TP_SOAP_12;
    } else {
      snprintf(why, size, "IPS_SOAP_VERSION is %s: 1.1 or 1.2 expected", soap);
      return -1;
    }
  }
  if (status != NULL) {
    char *end;
    long code = strtol(status, &end, 10);

    /* The range is the library's to check; this only has to fit an int. */
    if (*end != '\0' || code < 0 || code > 999) {
      snprintf(why, size,
               "IPS_FAULT_HTTP_STATUS is %s: an HTTP status "
               "expected",
               status);
      return -1;
    }
    r->has_fault_http_status_code = 1;
    r->fault_http_status_code = (int)code;
  }
  if (tp_request_check(r, &bad) == TP_OK)
    return 0;
  for (i = 0; i < sizeof sources / sizeof sources[0]; i++) {
    if (bad != NULL && strcmp(bad, sources[i].member) == 0) {
      snprintf(why, size,
               "%s: the library refuses the request's %s (%s): nothing sent",
               sources[i].variable, bad, sources[i].why);
      return -1;
    }
  }
  snprintf(why, size, "the library refuses the request's %s: nothing sent",
           bad != NULL ? bad : "fields");
  return -1;
}
