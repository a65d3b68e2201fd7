/* curl.c -- getActiveJobs with libcurl: the decoder fed from the write
 * callback, gzip and HTTP errors handled by curl, SOAP faults by us. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include <taskprogress.h>

/* Exit statuses, the same in every example and in tpdump. */
enum { EXIT_DECODED = 0, EXIT_INVALID = 1, EXIT_TRANSPORT = 2, EXIT_FAULT = 3 };

/* ------------------------------------------------------------------------ */
/* The report: one line per task, one per fault (the same in every example) */
/* ------------------------------------------------------------------------ */

/* Longer strings are cut at a character boundary: a report line needs no
 * more, and a hostile server cannot make us allocate. */
#define TEXT_MAX 200

struct text {
  char buf[TEXT_MAX];
  size_t len;
  int cut;
};

struct report {
  struct text job_handle;
  struct text task_type;
  struct text task_state;
  double task_progress;
  int has_progress;
  struct text fault_code;
  struct text fault_string;
  struct text fault_reason;
  const char *fault_kind;
  int32_t fault_ips_code;
  int has_ips_code;
  int fault;
  unsigned long tasks;
  unsigned long max_tasks; /* stop after this many tasks; 0: all */
};

struct line {
  char buf[5 * TEXT_MAX + 64];
  size_t len;
};

static void
text_clear(struct text *t)
{
  t->len = 0;
  t->cut = 0;
}

static void
text_append(struct text *t, const char *s, size_t n)
{
  size_t room = sizeof t->buf - t->len;

  if (t->cut)
    return;
  if (n > room) {
    n = room;
    t->cut = 1;
  }
  memcpy(t->buf + t->len, s, n);
  t->len += n;
  if (t->cut) {
    /* The last character may have lost bytes: drop it whole, so that the
     * line stays valid UTF-8. */
    while (t->len > 0 && ((unsigned char)t->buf[t->len - 1] & 0xC0u) == 0x80u)
      t->len--;
    if (t->len > 0 && (unsigned char)t->buf[t->len - 1] >= 0xC0u)
      t->len--;
  }
}

static void
line_raw(struct line *l, const char *s, size_t n)
{
  size_t room = sizeof l->buf - 1 - l->len;

  if (n > room)
    n = room;
  memcpy(l->buf + l->len, s, n);
  l->len += n;
}

/* A field as it goes on a line: "-" when absent or empty, control bytes
 * replaced so that a server cannot forge lines or send terminal escapes,
 * "..." when cut. */
static void
line_text(struct line *l, const struct text *t)
{
  size_t i;

  if (t->len == 0) {
    line_raw(l, "-", 1);
    return;
  }
  for (i = 0; i < t->len && l->len < sizeof l->buf - 1; i++) {
    unsigned char c = (unsigned char)t->buf[i];
    l->buf[l->len++] = c < 0x20u || c == 0x7Fu ? '?' : (char)c;
  }
  if (t->cut)
    line_raw(l, "...", 3);
}

static void
line_tab(struct line *l)
{
  line_raw(l, "\t", 1);
}

static void
emit(const struct line *l)
{
  fwrite(l->buf, 1, l->len, stdout);
  fputc('\n', stdout);
}

static int
on_begin(void *user_data, tp_node node)
{
  struct report *r = user_data;

  if (node == TP_NODE_JOB) {
    text_clear(&r->job_handle);
  } else if (node == TP_NODE_TASK) {
    text_clear(&r->task_type);
    text_clear(&r->task_state);
    r->has_progress = 0;
  } else if (node == TP_NODE_FAULT) {
    r->fault = 1;
  }
  return 0;
}

static int
on_field(void *user_data, const tp_field *f)
{
  struct report *r = user_data;

  switch (f->id) {
  case TP_JOB_JOB_HANDLE:
    text_append(&r->job_handle, f->str, f->len);
    break;
  case TP_TASK_TYPE:
    text_append(&r->task_type, f->str, f->len);
    break;
  case TP_TASK_STATE:
    /* The raw text, not the enum: servers add states. */
    text_append(&r->task_state, f->str, f->len);
    break;
  case TP_TASK_PROGRESS:
    r->task_progress = f->value.d;
    r->has_progress = 1;
    break;
  case TP_FAULT_CODE:
    text_append(&r->fault_code, f->str, f->len);
    break;
  case TP_FAULT_STRING:
    text_append(&r->fault_string, f->str, f->len);
    break;
  case TP_FAULT_DETAIL_KIND:
    r->fault_kind = tp_fault_kind_name(f->value.fault_kind);
    break;
  case TP_FAULT_IPS_CODE:
    r->fault_ips_code = f->value.i;
    r->has_ips_code = 1;
    break;
  case TP_FAULT_IPS_REASON:
    text_append(&r->fault_reason, f->str, f->len);
    break;
  default:
    break;
  }
  return 0;
}

static int
on_end(void *user_data, tp_node node)
{
  struct report *r = user_data;
  struct line l;
  const char *kind;
  char num[32];

  l.len = 0;
  if (node == TP_NODE_TASK) {
    /* The job handle as known now: IPS sends it before the tasks. */
    line_text(&l, &r->job_handle);
    line_tab(&l);
    line_text(&l, &r->task_type);
    line_tab(&l);
    line_text(&l, &r->task_state);
    line_tab(&l);
    if (r->has_progress)
      snprintf(num, sizeof num, "%.1f%%", r->task_progress * 100.0);
    else
      snprintf(num, sizeof num, "-");
    line_raw(&l, num, strlen(num));
    emit(&l);
    r->tasks++;
    /* Stopping here ends the transfer too: no need to read the rest. */
    if (r->max_tasks != 0 && r->tasks >= r->max_tasks)
      return 1;
  } else if (node == TP_NODE_FAULT) {
    line_raw(&l, "fault\t", 6);
    line_text(&l, &r->fault_code);
    line_tab(&l);
    line_text(&l, &r->fault_string);
    line_tab(&l);
    kind = r->fault_kind != NULL ? r->fault_kind : "-";
    line_raw(&l, kind, strlen(kind));
    line_tab(&l);
    if (r->has_ips_code)
      snprintf(num, sizeof num, "%ld", (long)r->fault_ips_code);
    else
      snprintf(num, sizeof num, "-");
    line_raw(&l, num, strlen(num));
    line_tab(&l);
    line_text(&l, &r->fault_reason);
    emit(&l);
  }
  return 0;
}

/* The exit status for a decoder that got the whole body. */
static int
decoded_exit(tp_status status, const struct report *r)
{
  if (status == TP_STOPPED)
    return EXIT_DECODED; /* --max-tasks reached: what we asked for */
  if (status != TP_OK)
    return EXIT_INVALID;
  return r->fault ? EXIT_FAULT : EXIT_DECODED;
}

/* ------------------------------------------------------------------------ */
/* The request                                                              */
/* ------------------------------------------------------------------------ */

struct sbuf {
  char buf[4096];
  size_t len;
  int overflow;
};

static void
sbuf_add(struct sbuf *b, const char *s)
{
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
sbuf_add_xml(struct sbuf *b, const char *s)
{
  char one[2] = {0, 0};

  for (; *s != '\0'; s++) {
    switch (*s) {
    case '&': sbuf_add(b, "&amp;"); break;
    case '<': sbuf_add(b, "&lt;"); break;
    case '>': sbuf_add(b, "&gt;"); break;
    case '"': sbuf_add(b, "&quot;"); break;
    case '\'': sbuf_add(b, "&apos;"); break;
    default:
      one[0] = *s;
      sbuf_add(b, one);
      break;
    }
  }
}

static const char *
env_or(const char *name, const char *fallback)
{
  const char *v = getenv(name);
  return v != NULL ? v : fallback;
}

/* A SOAP 1.1 getActiveJobs request. The credentials come from the
 * environment (IPS_USER, IPS_PASSWORD), never from the command line,
 * where every user of the machine could read them; IPS_COMPANY narrows
 * the request to one company. */
static void
build_envelope(struct sbuf *b)
{
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
  sbuf_add(b,
           "</ips:password>\n"
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
  sbuf_add(b,
           "</ips:getActiveJobsParam>\n"
           "  </soapenv:Body>\n"
           "</soapenv:Envelope>\n");
}

/* ------------------------------------------------------------------------ */
/* The transfer                                                             */
/* ------------------------------------------------------------------------ */

static const char *const header_lines[] = {
  "Content-Type: text/xml;charset=UTF-8",
  "SOAPAction: \"getActiveJobs\"",
  /* curl would otherwise send "Expect: 100-continue" for larger bodies and
   * wait up to a second for an answer many SOAP servers never give. */
  "Expect:",
};

struct transfer {
  tp_decoder decoder;
  tp_status status; /* of the last tp_feed() */
};

/* Called with the body as it arrives, already de-chunked and inflated by
 * curl, in pieces of any size (not NUL-terminated). */
static size_t
on_body(char *data, size_t size, size_t nmemb, void *user_data)
{
  struct transfer *t = user_data;
  size_t len = size * nmemb; /* size is always 1 */

  t->status = tp_feed(&t->decoder, data, len);
  /* A short count makes curl abort the transfer (CURLE_WRITE_ERROR): once
   * the decoder has failed or stopped, the rest is not worth downloading. */
  return t->status == TP_OK ? len : 0;
}

static void
usage(void)
{
  fprintf(stderr,
          "usage: curl [--max-tasks=N] URL\n"
          "POSTs a getActiveJobs request (credentials from IPS_USER and\n"
          "IPS_PASSWORD, optional IPS_COMPANY) and prints one line per task:\n"
          "job handle, task type, state, progress.\n"
          "Exit: 0 decoded, 3 SOAP Fault, 1 invalid response, 2 transport "
          "error.\n");
}

static void
print_decoder_error(const tp_decoder *decoder, long http_status)
{
  char msg[200];

  tp_format_error(decoder, msg, sizeof msg);
  fprintf(stderr, "curl: HTTP %ld: invalid response: %s\n", http_status, msg);
}

int
main(int argc, char **argv)
{
  static const tp_callbacks callbacks = {on_begin, on_end, on_field};
  static struct report report;
  static struct transfer t;
  static struct sbuf body;
  static char errbuf[CURL_ERROR_SIZE];
  struct curl_slist *headers = NULL, *h;
  tp_config config;
  const char *url = NULL;
  CURL *curl;
  CURLcode res;
  long http_status = 0;
  int argi, rc;
  size_t i;
  tp_status status;

  for (argi = 1; argi < argc; argi++) {
    if (strncmp(argv[argi], "--max-tasks=", 12) == 0) {
      char *end;
      report.max_tasks = strtoul(argv[argi] + 12, &end, 10);
      if (*end != '\0' || argv[argi][12] == '\0') {
        usage();
        return EXIT_TRANSPORT;
      }
    } else if (url == NULL && argv[argi][0] != '-') {
      url = argv[argi];
    } else {
      usage();
      return EXIT_TRANSPORT;
    }
  }
  if (url == NULL) {
    usage();
    return EXIT_TRANSPORT;
  }
  build_envelope(&body);
  if (body.overflow) {
    fprintf(stderr, "curl: request too large\n");
    return EXIT_TRANSPORT;
  }

  tp_config_init(&config);
  config.callbacks = &callbacks;
  config.user_data = &report;
  if (tp_init(&t.decoder, &config) != TP_OK) {
    fprintf(stderr, "curl: cannot initialise the decoder\n");
    return EXIT_TRANSPORT;
  }
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
      (curl = curl_easy_init()) == NULL) {
    fprintf(stderr, "curl: cannot initialise libcurl\n");
    tp_release(&t.decoder);
    return EXIT_TRANSPORT;
  }

  for (i = 0; i < sizeof header_lines / sizeof header_lines[0]; i++) {
    h = curl_slist_append(headers, header_lines[i]);
    if (h == NULL) {
      fprintf(stderr, "curl: out of memory\n");
      curl_slist_free_all(headers);
      curl_easy_cleanup(curl);
      curl_global_cleanup();
      tp_release(&t.decoder);
      return EXIT_TRANSPORT;
    }
    headers = h;
  }

  curl_easy_setopt(curl, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS,
                   (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.buf);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)body.len);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "libtaskprogress-curl-example");
  /* "": advertise every encoding this libcurl can inflate, and inflate
   * it; the decoder then sees XML, never gzip. */
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  /* No signals: curl must not longjmp out of a resolver timeout. */
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  /* A stalled server rather than a total timeout: a big response may
   * legitimately take minutes. */
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 30L);
  /* CURLOPT_FAILONERROR stays off: IPS sends its Faults with HTTP 500,
   * and the body is what says why. */

  t.status = TP_OK;
  res = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http_status);

  if (res == CURLE_WRITE_ERROR && t.status != TP_OK) {
    /* We aborted: the decoder failed, or a callback stopped it. */
    if (t.status != TP_STOPPED)
      print_decoder_error(&t.decoder, http_status);
    rc = decoded_exit(t.status, &report);
  } else if (res == CURLE_OK) {
    status = tp_finish(&t.decoder);
    if (status != TP_OK && status != TP_STOPPED)
      print_decoder_error(&t.decoder, http_status);
    rc = decoded_exit(status, &report);
  } else if (res == CURLE_PARTIAL_FILE && http_status != 0) {
    /* The server closed before the framing said the body was complete:
     * a truncated response. The decoder tells what was missing. */
    status = tp_finish(&t.decoder);
    fprintf(stderr, "curl: HTTP %ld: %s\n", http_status,
            errbuf[0] != '\0' ? errbuf : curl_easy_strerror(res));
    if (status != TP_OK)
      print_decoder_error(&t.decoder, http_status);
    rc = EXIT_INVALID;
  } else {
    fprintf(stderr, "curl: %s: %s\n", url,
            errbuf[0] != '\0' ? errbuf : curl_easy_strerror(res));
    rc = EXIT_TRANSPORT;
  }

  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  curl_global_cleanup();
  tp_release(&t.decoder);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "curl: writing the report: %s\n", strerror(errno));
    return EXIT_TRANSPORT;
  }
  return rc;
}
