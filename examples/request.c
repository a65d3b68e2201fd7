/* request.c -- the getActiveJobs request of curl.c and socket.c, and the
 * command line they share. */
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sbuf_add(struct sbuf *b, const char *s) {
  size_t n = strlen(s);

  if (n > sizeof b->buf - b->len) {
    b->overflow = 1;
    return;
  }
  memcpy(b->buf + b->len, s, n);
  b->len += n;
}

/* Credentials are text inside XML: a password with '&' or '<' must not
 * break (or rewrite) the envelope. */
static void
sbuf_add_xml(struct sbuf *b, const char *s) {
  char one[2] = {0, 0};

  for (; *s != '\0'; s++) {
    switch (*s) {
    case '&':
      sbuf_add(b, "&amp;");
      break;
    case '<':
      sbuf_add(b, "&lt;");
      break;
    case '>':
      sbuf_add(b, "&gt;");
      break;
    case '"':
      sbuf_add(b, "&quot;");
      break;
    case '\'':
      sbuf_add(b, "&apos;");
      break;
    default:
      one[0] = *s;
      sbuf_add(b, one);
      break;
    }
  }
}

static const char *
env_or(const char *name, const char *fallback) {
  const char *v = getenv(name);
  return v != NULL ? v : fallback;
}

void
build_envelope(struct sbuf *b) {
  const char *company = env_or("IPS_COMPANY", "");

  sbuf_add(b,
           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<soapenv:Envelope"
           " xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
           " xmlns:ips=\"http://www.scene7.com/IpsApi/xsd/2022-11-01-beta\">\n"
           "  <soapenv:Header>\n"
           "    <ips:authHeader>\n"
           "      <ips:user>");
  sbuf_add_xml(b, env_or("IPS_USER", "user@example.com"));
  sbuf_add(b, "</ips:user>\n      <ips:password>");
  sbuf_add_xml(b, env_or("IPS_PASSWORD", ""));
  sbuf_add(b, "</ips:password>\n"
              "      <ips:locale>en-US</ips:locale>\n"
              "      <ips:appName>libtaskprogress-example</ips:appName>\n"
              "      <ips:appVersion>1.0</ips:appVersion>\n"
              "    </ips:authHeader>\n"
              "  </soapenv:Header>\n"
              "  <soapenv:Body>\n"
              "    <ips:getActiveJobsParam>");
  if (company[0] != '\0') {
    sbuf_add(b, "\n      <ips:companyHandle>");
    sbuf_add_xml(b, company);
    sbuf_add(b, "</ips:companyHandle>\n    ");
  }
  sbuf_add(b, "</ips:getActiveJobsParam>\n"
              "  </soapenv:Body>\n"
              "</soapenv:Envelope>\n");
}

int
parse_args(int argc, char **argv, unsigned long *max_tasks, const char **url) {
  int argi;

  *url = NULL;
  for (argi = 1; argi < argc; argi++) {
    if (strncmp(argv[argi], "--max-tasks=", 12) == 0) {
      char *end;
      *max_tasks = strtoul(argv[argi] + 12, &end, 10);
      if (*end != '\0' || argv[argi][12] == '\0')
        return -1;
    } else if (*url == NULL && argv[argi][0] != '-') {
      *url = argv[argi];
    } else {
      return -1;
    }
  }
  return *url == NULL ? -1 : 0;
}

void
usage(const char *synopsis) {
  fprintf(stderr,
          "usage: %s\n"
          "POSTs a getActiveJobs request (credentials from IPS_USER and\n"
          "IPS_PASSWORD, optional IPS_COMPANY) and prints one line per task:\n"
          "job handle, task type, state, progress.\n"
          "Exit: 0 decoded, 3 SOAP Fault, 1 invalid response, 2 transport "
          "error.\n",
          synopsis);
}
