/* request_check.c -- see request_check.h. The elements a request must
 * hold are listed first, in document order, from the tp_request; the parse
 * then meets them one by one, comparing each leaf's text as it arrives. */
#include "request_check.h"

#include <expat.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOAP11_NS "http://schemas.xmlsoap.org/soap/envelope/"
#define SOAP12_NS "http://www.w3.org/2003/05/soap-envelope"
#define NS_SEP '|'
/* Envelope, Header, authHeader and its 9 members, Body,
 * getActiveJobsParam and its 4. */
#define MAX_ELEMENTS 20
/* The start of a leaf's text, kept for the value check of booleans and
 * ints and for messages. */
#define KEPT_TEXT 64

enum kind { K_CONTAINER, K_STRING, K_BOOL, K_INT };

/* One element the request must hold. */
typedef struct wanted {
  const char *uri;
  const char *local;
  int depth;
  enum kind kind;
  const char *value; /* a leaf's */
} wanted;

struct request_checker {
  XML_Parser parser;
  wanted want[MAX_ELEMENTS];
  size_t count;
  size_t next; /* the next element to start */
  int depth;
  const wanted *leaf; /* the open leaf, if any */
  size_t text_len;    /* its text so far */
  int text_differs;   /* a string leaf's text left its value */
  char text[KEPT_TEXT];
  int saw_decl;
  char ips_ns[96];
  char status[16];
  char outline[512];
  size_t outline_len;
  /* Of the open element at depth d: it has children in the outline, and
   * its namespace (the outline names one where it changes). */
  unsigned char kids[8];
  char uri[8][96];
  char why[1024]; /* the first fault found; empty: none */
};

/* Records the first fault and stops the parse. */
static void
fault(request_checker *c, const char *fmt, ...) {
  va_list ap;
  if (c->why[0] != '\0')
    return;
  va_start(ap, fmt);
  vsnprintf(c->why, sizeof c->why, fmt, ap);
  va_end(ap);
  if (c->why[0] == '\0')
    snprintf(c->why, sizeof c->why, "(fault)");
  XML_StopParser(c->parser, XML_FALSE);
}

static void
outline_add(request_checker *c, const char *s) {
  size_t n = strlen(s);
  if (n >= sizeof c->outline - c->outline_len)
    n = sizeof c->outline - c->outline_len - 1;
  memcpy(c->outline + c->outline_len, s, n);
  c->outline_len += n;
  c->outline[c->outline_len] = '\0';
}

/* ---- what the request must hold ---------------------------------------- */

static void
want(request_checker *c, const char *uri, const char *local, int depth,
     enum kind kind, const char *value) {
  wanted *w = &c->want[c->count++];
  w->uri = uri;
  w->local = local;
  w->depth = depth;
  w->kind = kind;
  w->value = value;
}

static void
want_string(request_checker *c, const char *uri, const char *local,
            const char *value) {
  if (value != NULL)
    want(c, uri, local, 3, K_STRING, value);
}

static void
want_bool(request_checker *c, const char *uri, const char *local,
          tp_optional_bool b) {
  if (b != TP_BOOL_UNSET)
    want(c, uri, local, 3, K_BOOL, b == TP_BOOL_TRUE ? "true" : "false");
}

/* Envelope, Header, authHeader and its members, Body, getActiveJobsParam
 * and its members, in the schema's order. */
static void
want_request(request_checker *c, const tp_request *r) {
  const char *soap = r->soap_version == TP_SOAP_12 ? SOAP12_NS : SOAP11_NS;
  const char *auth = TP_IPS_AUTH_NAMESPACE;
  const char *v = r->api_version ? r->api_version : TP_API_VERSION_DEFAULT;
  snprintf(c->ips_ns, sizeof c->ips_ns, "%s%s%s", auth, *v ? "/" : "", v);
  c->count = 0;
  want(c, soap, "Envelope", 0, K_CONTAINER, NULL);
  want(c, soap, "Header", 1, K_CONTAINER, NULL);
  want(c, auth, "authHeader", 2, K_CONTAINER, NULL);
  want_string(c, auth, "user", r->user);
  want_string(c, auth, "password", r->password);
  want_string(c, auth, "accessToken", r->access_token);
  want_string(c, auth, "samlResponse", r->saml_response);
  want_string(c, auth, "locale", r->locale);
  want_string(c, auth, "appName", r->app_name);
  want_string(c, auth, "appVersion", r->app_version);
  want_bool(c, auth, "gzipResponse", r->gzip_response);
  if (r->has_fault_http_status_code) {
    snprintf(c->status, sizeof c->status, "%d", r->fault_http_status_code);
    want(c, auth, "faultHttpStatusCode", 3, K_INT, c->status);
  }
  want(c, soap, "Body", 1, K_CONTAINER, NULL);
  want(c, c->ips_ns, "getActiveJobsParam", 2, K_CONTAINER, NULL);
  want_string(c, c->ips_ns, "companyHandle", r->company_handle);
  want_string(c, c->ips_ns, "jobHandle", r->job_handle);
  want_string(c, c->ips_ns, "originalName", r->original_name);
  want_bool(c, c->ips_ns, "includeWaitingJobs", r->include_waiting_jobs);
}

/* ---- the values --------------------------------------------------------- */

static int
all_digits(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return 0;
  }
  return n > 0;
}

/* xsd:int: an optional sign, then digits (leading zeros allowed). */
static int
same_int(const char *text, size_t n, const char *want_text) {
  long want_value = strtol(want_text, NULL, 10), v = 0;
  int negative = 0;
  size_t i = 0;
  if (n > 0 && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    i = 1;
  }
  if (!all_digits(text + i, n - i))
    return 0;
  for (; i < n; i++) {
    if (v > (INT_MAX - (text[i] - '0')) / 10)
      return 0;
    v = v * 10 + (text[i] - '0');
  }
  return (negative ? -v : v) == want_value;
}

/* Whether the leaf's text is its value. Strings were compared as they
 * came; booleans and ints have short spellings, kept whole. */
static int
leaf_matches(const request_checker *c) {
  const wanted *w = c->leaf;
  size_t n = c->text_len;
  if (w->kind == K_STRING)
    return !c->text_differs && n == strlen(w->value);
  if (n > sizeof c->text)
    return 0;
  if (w->kind == K_INT)
    return same_int(c->text, n, w->value);
  if (strcmp(w->value, "true") == 0)
    return (n == 4 && memcmp(c->text, "true", 4) == 0) ||
           (n == 1 && c->text[0] == '1');
  return (n == 5 && memcmp(c->text, "false", 5) == 0) ||
         (n == 1 && c->text[0] == '0');
}

/* ---- expat's callbacks -------------------------------------------------- */

static void XMLCALL
on_decl(void *ud, const XML_Char *version, const XML_Char *encoding,
        int standalone) {
  request_checker *c = ud;
  (void)standalone;
  if (version == NULL || strcmp(version, "1.0") != 0 || encoding == NULL ||
      strcmp(encoding, "UTF-8") != 0)
    fault(c, "the XML declaration gives version \"%s\", encoding \"%s\"",
          version ? version : "(none)", encoding ? encoding : "(none)");
  c->saw_decl = 1;
}

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  request_checker *c = ud;
  const char *sep = strchr(name, NS_SEP);
  const char *local = sep != NULL ? sep + 1 : name;
  size_t uri_len = sep != NULL ? (size_t)(sep - name) : 0;
  const wanted *w;
  if (c->why[0] != '\0')
    return;
  if (c->depth >= (int)sizeof c->kids) {
    fault(c, "%s nested %d deep", local, c->depth);
    return;
  }
  if (c->depth > 0) {
    outline_add(c, c->kids[c->depth - 1] ? " " : "(");
    c->kids[c->depth - 1] = 1;
  }
  if (uri_len >= sizeof c->uri[0]) {
    fault(c, "a namespace of %zu bytes", uri_len);
    return;
  }
  memcpy(c->uri[c->depth], name, uri_len);
  c->uri[c->depth][uri_len] = '\0';
  if (c->depth == 0 || strcmp(c->uri[c->depth], c->uri[c->depth - 1]) != 0) {
    outline_add(c, "{");
    outline_add(c, c->uri[c->depth]);
    outline_add(c, "}");
  }
  outline_add(c, local);
  c->kids[c->depth] = 0;
  if (c->leaf != NULL) {
    fault(c, "%s holds an element, %s", c->leaf->local, local);
    return;
  }
  if (c->next == c->count) {
    fault(c, "an element that was not asked for: {%.*s}%s", (int)uri_len, name,
          local);
    return;
  }
  w = &c->want[c->next];
  if (strcmp(local, w->local) != 0 || uri_len != strlen(w->uri) ||
      memcmp(name, w->uri, uri_len) != 0 || c->depth != w->depth) {
    fault(c, "{%.*s}%s at depth %d where {%s}%s at depth %d belongs",
          (int)uri_len, name, local, c->depth, w->uri, w->local, w->depth);
    return;
  }
  if (atts[0] != NULL) {
    fault(c, "%s has an attribute, %s", local, atts[0]);
    return;
  }
  c->next++;
  c->depth++;
  if (w->kind != K_CONTAINER) {
    c->leaf = w;
    c->text_len = 0;
    c->text_differs = 0;
  }
}

static void XMLCALL
on_end(void *ud, const XML_Char *name) {
  request_checker *c = ud;
  (void)name;
  if (c->why[0] != '\0')
    return;
  c->depth--;
  if (c->kids[c->depth])
    outline_add(c, ")");
  if (c->leaf == NULL)
    return;
  if (!leaf_matches(c))
    fault(c, "%s is \"%.*s\"%s, not \"%s\"", c->leaf->local,
          (int)(c->text_len < sizeof c->text ? c->text_len : sizeof c->text),
          c->text, c->text_len > sizeof c->text ? "..." : "", c->leaf->value);
  c->leaf = NULL;
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len) {
  request_checker *c = ud;
  size_t n = (size_t)len, keep;
  if (c->why[0] != '\0')
    return;
  if (c->leaf == NULL) {
    fault(c, "text \"%.*s\" between elements (the request is compact)", len, s);
    return;
  }
  if (c->leaf->kind == K_STRING &&
      (c->text_len + n > strlen(c->leaf->value) ||
       memcmp(c->leaf->value + c->text_len, s, n) != 0))
    c->text_differs = 1;
  if (c->text_len < sizeof c->text) {
    keep = sizeof c->text - c->text_len;
    memcpy(c->text + c->text_len, s, n < keep ? n : keep);
  }
  c->text_len += n;
}

/* Everything else reaches the default handler: only line feeds outside
 * the root may (a comment, PI, DOCTYPE or other whitespace would land
 * here). */
static void XMLCALL
on_other(void *ud, const XML_Char *s, int len) {
  request_checker *c = ud;
  int i;
  for (i = 0; i < len; i++) {
    if (s[i] != '\n') {
      fault(c, "\"%.*s\" outside the elements", len, s);
      return;
    }
  }
}

/* ---- the check ---------------------------------------------------------- */

request_checker *
request_checker_new(void) {
  request_checker *c = calloc(1, sizeof *c);
  if (c == NULL)
    return NULL;
  c->parser = XML_ParserCreateNS(NULL, NS_SEP);
  if (c->parser == NULL) {
    free(c);
    return NULL;
  }
  return c;
}

void
request_checker_free(request_checker *c) {
  if (c == NULL)
    return;
  XML_ParserFree(c->parser);
  free(c);
}

/* The raw bytes: a CR is sent as a reference (else the parser's
 * end-of-line handling would turn it into a LF), and "]]>" never appears
 * (">" is escaped). */
static const char *
check_raw(request_checker *c, const char *xml, size_t len) {
  static const char decl[] = "<?xml ";
  size_t i;
  if (len < sizeof decl - 1 || memcmp(xml, decl, sizeof decl - 1) != 0)
    return "the request does not begin with an XML declaration";
  for (i = 0; i < len; i++) {
    if (xml[i] == '\r') {
      snprintf(c->why, sizeof c->why, "a raw CR at byte %zu", i);
      return c->why;
    }
    if (xml[i] == ']' && i + 2 < len && xml[i + 1] == ']' &&
        xml[i + 2] == '>') {
      snprintf(c->why, sizeof c->why, "\"]]>\" at byte %zu", i);
      return c->why;
    }
  }
  return NULL;
}

const char *
request_checker_run(request_checker *c, const tp_request *r, const char *xml,
                    size_t len) {
  XML_Parser p = c->parser;
  const char *raw;
  c->why[0] = '\0';
  c->outline[0] = '\0';
  c->outline_len = 0;
  c->next = 0;
  c->depth = 0;
  c->leaf = NULL;
  c->saw_decl = 0;
  raw = check_raw(c, xml, len);
  if (raw != NULL)
    return raw;
  if (len > INT_MAX)
    return "the request is too long for one parse";
  want_request(c, r);
  if (!XML_ParserReset(p, NULL))
    return "XML_ParserReset failed";
  XML_SetUserData(p, c);
  XML_SetXmlDeclHandler(p, on_decl);
  XML_SetElementHandler(p, on_start, on_end);
  XML_SetCharacterDataHandler(p, on_text);
  XML_SetDefaultHandlerExpand(p, on_other);
  if (XML_Parse(p, xml, (int)len, XML_TRUE) != XML_STATUS_OK &&
      c->why[0] == '\0')
    snprintf(c->why, sizeof c->why,
             "not well-formed: %s at line %lu, column %lu",
             XML_ErrorString(XML_GetErrorCode(p)),
             (unsigned long)XML_GetCurrentLineNumber(p),
             (unsigned long)XML_GetCurrentColumnNumber(p));
  if (c->why[0] != '\0')
    return c->why;
  if (!c->saw_decl)
    return "no XML declaration";
  if (c->next != c->count) {
    snprintf(c->why, sizeof c->why, "%s is missing", c->want[c->next].local);
    return c->why;
  }
  return NULL;
}

const char *
request_checker_outline(const request_checker *c) {
  return c->outline;
}
