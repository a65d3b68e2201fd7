/* request.c -- the getActiveJobs request: checked in full, then written in
 * one pass into a caller buffer or through a caller callback. */
#include <stddef.h>
#include <string.h>

#include "out.h"

/* Returns the code point at *p (advancing it), or -1 for bytes that are
 * not valid UTF-8 or a character XML 1.0 forbids. */
static long
next_char(const unsigned char **p) {
  const unsigned char *s = *p;
  unsigned long c = s[0];
  unsigned long min;
  int extra, i;
  if (c < 0x80) {
    extra = 0;
    min = 0;
  } else if (c >= 0xC2 && c <= 0xDF) {
    extra = 1;
    c &= 0x1F;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    extra = 2;
    c &= 0x0F;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    extra = 3;
    c &= 0x07;
    min = 0x10000;
  } else {
    return -1;
  }
  for (i = 1; i <= extra; i++) {
    if ((s[i] & 0xC0) != 0x80) /* a NUL stops here too */
      return -1;
    c = (c << 6) | (s[i] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return -1;
  if ((c < 0x20 && c != 0x9 && c != 0xA && c != 0xD) || c == 0xFFFE ||
      c == 0xFFFF)
    return -1;
  *p = s + extra + 1;
  return (long)c;
}

/* The reference a character needs in element content, or NULL. '>' is
 * escaped so that "]]>" never appears; CR because a parser would read a
 * raw CR as LF; quotes need nothing outside attributes. */
static const char *
reference(long c) {
  switch (c) {
  case '&':
    return "&amp;";
  case '<':
    return "&lt;";
  case '>':
    return "&gt;";
  case '\r':
    return "&#13;";
  default:
    return NULL;
  }
}

/* Writes s escaped, unescaped runs in one put. Returns 0, having written
 * only what came before, when s is not valid UTF-8 or holds a character
 * XML forbids. */
static int
put_text(tp_out *o, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  const unsigned char *run = p;
  while (*p != '\0') {
    const unsigned char *start = p;
    long c = next_char(&p);
    const char *ref;
    if (c < 0)
      return 0;
    ref = reference(c);
    if (ref != NULL) {
      tp__out_put(o, (const char *)run, (size_t)(start - run));
      tp__out_str(o, ref);
      run = p;
    }
  }
  tp__out_put(o, (const char *)run, (size_t)(p - run));
  return 1;
}

/* ------------------------------------------------------------ the fields */

enum part { AUTH, PARAM };
enum kind { STRING, BOOL, STATUS };

/* The elements in schema order; the member name is what
 * tp_request_check() reports. */
struct field {
  const char *element;
  const char *member;
  unsigned char part;
  unsigned char kind;
  unsigned char required;
  size_t offset;
};

#define FIELD(member, element, part, kind, required)                           \
  { element, #member, part, kind, required, offsetof(tp_request, member) }

static const struct field fields[] = {
    FIELD(user, "user", AUTH, STRING, 0),
    FIELD(password, "password", AUTH, STRING, 0),
    FIELD(access_token, "accessToken", AUTH, STRING, 0),
    FIELD(saml_response, "samlResponse", AUTH, STRING, 0),
    FIELD(locale, "locale", AUTH, STRING, 0),
    FIELD(app_name, "appName", AUTH, STRING, 1),
    FIELD(app_version, "appVersion", AUTH, STRING, 1),
    FIELD(gzip_response, "gzipResponse", AUTH, BOOL, 0),
    FIELD(fault_http_status_code, "faultHttpStatusCode", AUTH, STATUS, 0),
    FIELD(company_handle, "companyHandle", PARAM, STRING, 0),
    FIELD(job_handle, "jobHandle", PARAM, STRING, 0),
    FIELD(original_name, "originalName", PARAM, STRING, 0),
    FIELD(include_waiting_jobs, "includeWaitingJobs", PARAM, BOOL, 0),
};

#define NFIELDS (sizeof fields / sizeof fields[0])

static const char *const part_prefix[] = {"a:", "ips:"};

static const char *
string_of(const tp_request *r, const struct field *f) {
  return *(const char *const *)(const void *)((const char *)r + f->offset);
}

static tp_optional_bool
bool_of(const tp_request *r, const struct field *f) {
  return *(const tp_optional_bool *)(const void *)((const char *)r + f->offset);
}

/* --------------------------------------------------------- the envelope */

/* "", "YYYY-MM-DD" or "YYYY-MM-DD-beta", digits where the Ys, Ms and Ds
 * are (a malformed version would name a namespace IPS does not have). */
static int
api_version_ok(const char *v) {
  static const char pattern[] = "dddd-dd-dd";
  size_t i;
  if (v[0] == '\0')
    return 1;
  for (i = 0; pattern[i] != '\0'; i++) {
    if (pattern[i] == 'd' ? !(v[i] >= '0' && v[i] <= '9') : v[i] != '-')
      return 0;
  }
  return v[i] == '\0' || strcmp(v + i, "-beta") == 0;
}

/* Writes the whole request to o, checking each field on the way; a
 * refusal names the member at fault in *bad_field. Run first on a
 * counting out, so that a refused request writes nothing. */
static tp_status
emit(const tp_request *r, tp_out *o, const char **bad_field) {
  const char *version =
      r->api_version != NULL ? r->api_version : TP_API_VERSION_DEFAULT;
  /* The member whose bytes came last: the one that overflowed a size_t,
   * when the length does. */
  const char *last_set = NULL;
  int in_param = 0;
  size_t i;
  *bad_field = NULL;
  if (r->soap_version != TP_SOAP_11 && r->soap_version != TP_SOAP_12) {
    *bad_field = "soap_version";
    return TP_ERR_ARGUMENT;
  }
  if (!api_version_ok(version)) {
    *bad_field = "api_version";
    return TP_ERR_ARGUMENT;
  }
  tp__out_str(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<soap:Envelope xmlns:soap=\"");
  tp__out_str(o, r->soap_version == TP_SOAP_12
                     ? "http://www.w3.org/2003/05/soap-envelope"
                     : "http://schemas.xmlsoap.org/soap/envelope/");
  tp__out_str(o,
              "\"><soap:Header><a:authHeader xmlns:a=\"" TP_IPS_AUTH_NAMESPACE
              "\">");

  for (i = 0; i < NFIELDS; i++) {
    const struct field *f = &fields[i];
    const char *value = NULL; /* a STRING's or BOOL's text */
    int ok, present;
    if (f->part == PARAM && !in_param) {
      tp__out_str(o,
                  "</a:authHeader></soap:Header><soap:Body>"
                  "<ips:getActiveJobsParam xmlns:ips=\"" TP_IPS_AUTH_NAMESPACE);
      if (version[0] != '\0') {
        tp__out_put(o, "/", 1);
        tp__out_str(o, version);
      }
      tp__out_put(o, "\">", 2);
      in_param = 1;
    }
    if (f->kind == STRING) {
      value = string_of(r, f);
      present = value != NULL;
      ok = present || !f->required;
    } else if (f->kind == BOOL) {
      const tp_optional_bool b = bool_of(r, f);
      present = b != TP_BOOL_UNSET;
      ok = !present || b == TP_BOOL_FALSE || b == TP_BOOL_TRUE;
      value = b == TP_BOOL_TRUE ? "true" : "false";
    } else {
      const int code = r->fault_http_status_code;
      present = r->has_fault_http_status_code != 0;
      ok = !present || (code >= 100 && code <= 599);
    }
    if (ok && present) {
      tp__out_put(o, "<", 1);
      tp__out_str(o, part_prefix[f->part]);
      tp__out_str(o, f->element);
      tp__out_put(o, ">", 1);
      if (f->kind == STRING)
        ok = put_text(o, value);
      else if (f->kind == BOOL)
        tp__out_str(o, value);
      else
        tp__out_uint(o, (uint64_t)r->fault_http_status_code);
      tp__out_put(o, "</", 2);
      tp__out_str(o, part_prefix[f->part]);
      tp__out_str(o, f->element);
      tp__out_put(o, ">", 1);
      last_set = f->member;
    }
    if (!ok || o->overflow) {
      *bad_field = ok ? last_set : f->member;
      return TP_ERR_ARGUMENT;
    }
  }
  tp__out_str(o, "</ips:getActiveJobsParam></soap:Body></soap:Envelope>\n");
  if (o->overflow) {
    *bad_field = last_set;
    return TP_ERR_ARGUMENT;
  }
  return TP_OK;
}

/* Checks and measures *r: the first pass of every write. */
static tp_status
measure(const tp_request *r, size_t *length, const char **bad_field) {
  tp_out count;
  tp_status st;
  tp__out_init(&count, NULL, 0);
  st = emit(r, &count, bad_field);
  *length = count.total;
  return st;
}

/* ------------------------------------------------------------ public API */

void
tp_request_init(tp_request *request) {
  if (request == NULL)
    return;
  memset(request, 0, sizeof *request);
  request->soap_version = TP_SOAP_11;
  request->api_version = TP_API_VERSION_DEFAULT;
  request->app_name = "libtaskprogress";
  request->app_version = tp_version();
  request->gzip_response = TP_BOOL_UNSET;
  request->include_waiting_jobs = TP_BOOL_UNSET;
}

tp_status
tp_request_check(const tp_request *request, const char **bad_field) {
  const char *bad = NULL;
  size_t len;
  tp_status st = TP_ERR_ARGUMENT;
  if (request != NULL)
    st = measure(request, &len, &bad);
  if (bad_field != NULL)
    *bad_field = bad;
  return st;
}

tp_status
tp_request_write(const tp_request *request, char *buf, size_t size,
                 size_t *length) {
  tp_out o;
  const char *bad;
  size_t len;
  tp_status st;
  if (request == NULL || (buf == NULL && size > 0))
    return TP_ERR_ARGUMENT;
  st = measure(request, &len, &bad);
  if (st != TP_OK)
    return st;
  if (size > 0) {
    tp__out_init(&o, buf, size);
    (void)emit(request, &o, &bad);
    (void)tp__out_end(&o, TP_OUT_BYTES, 0);
  }
  if (length != NULL)
    *length = len;
  return TP_OK;
}

tp_status
tp_request_stream(const tp_request *request, char *buf, size_t size,
                  tp_write_fn write, void *user_data, size_t *length) {
  tp_out o;
  const char *bad;
  size_t len;
  tp_status st;
  if (request == NULL || buf == NULL || size == 0 || write == NULL)
    return TP_ERR_ARGUMENT;
  st = measure(request, &len, &bad);
  if (st != TP_OK)
    return st;
  tp__out_init(&o, buf, size);
  o.write = write;
  o.user_data = user_data;
  (void)emit(request, &o, &bad);
  len = tp__out_end(&o, TP_OUT_BYTES, 0);
  if (length != NULL)
    *length = len;
  return o.stopped ? TP_STOPPED : TP_OK;
}

const char *
tp_request_header(const tp_request *request, size_t index) {
  if (request == NULL)
    return NULL;
  if (request->soap_version == TP_SOAP_11 && index == 0)
    return "Content-Type: text/xml; charset=utf-8";
  if (request->soap_version == TP_SOAP_11 && index == 1)
    return "SOAPAction: \"getActiveJobs\"";
  if (request->soap_version == TP_SOAP_12 && index == 0)
    return "Content-Type: application/soap+xml; charset=utf-8; "
           "action=\"getActiveJobs\"";
  return NULL;
}
