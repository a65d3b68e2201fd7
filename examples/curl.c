/* curl.c -- getActiveJobs with libcurl: the decoder fed from the write
 * callback, gzip and HTTP errors handled by curl, SOAP faults by us. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include <taskprogress.h>

#include "curl_request.h"
#include "report.h"
#include "request.h"

/* ------------------------------------------------------------------------ */
/* The transfer                                                             */
/* ------------------------------------------------------------------------ */

struct transfer {
  tp_decoder decoder;
  tp_status status; /* of the last tp_feed() */
};

/* Called with the body as it arrives, already de-chunked and inflated by
 * curl, in pieces of any size (not NUL-terminated). */
static size_t
on_body(char *data, size_t size, size_t nmemb, void *user_data) {
  struct transfer *t = user_data;
  size_t len = size * nmemb; /* size is always 1 */

  t->status = tp_feed(&t->decoder, data, len);
  /* A short count makes curl abort the transfer (CURLE_WRITE_ERROR): once
   * the decoder has failed or stopped, the rest is not worth downloading. */
  return t->status == TP_OK ? len : 0;
}

/* The report goes to stdout, flushed (and checked) at exit. */
static void
emit_line(const char *line, size_t len) {
  fwrite(line, 1, len, stdout);
  fputc('\n', stdout);
}

static void
print_decoder_error(const tp_decoder *decoder, long http_status) {
  char msg[200];

  tp_format_error(decoder, msg, sizeof msg);
  fprintf(stderr, "curl: HTTP %ld: invalid response: %s\n", http_status, msg);
}

int
main(int argc, char **argv) {
  static struct report report;
  static struct transfer t;
  static struct args args;
  static char body[8192]; /* the request with credentials, tokens and all */
  static char errbuf[CURL_ERROR_SIZE];
  struct curl_slist *headers;
  tp_request request;
  tp_config config;
  const char *url;
  CURL *curl;
  CURLcode res;
  long http_status = 0;
  size_t body_len = 0;
  int rc;
  tp_status status;

  rc = request_start(argc, argv, "curl", "curl [--max-tasks=N] URL", &args,
                     &request);
  if (rc >= 0)
    return rc;
  url = args.url;
  report.max_tasks = args.max_tasks;
  /* body_len is the whole request's length: it fit iff it is shorter
   * than the buffer (the last byte is the NUL). */
  if (tp_request_write(&request, body, sizeof body, &body_len) != TP_OK ||
      body_len >= sizeof body) {
    fprintf(stderr, "curl: the request (%zu bytes) does not fit in %zu\n",
            body_len, sizeof body);
    return EXIT_TRANSPORT;
  }

  report_config(&config, &report, emit_line);
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

  headers = curl_request_headers(&request);
  if (headers == NULL) {
    fprintf(stderr, "curl: out of memory\n");
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    tp_release(&t.decoder);
    return EXIT_TRANSPORT;
  }

  curl_request_setup(curl, url, body, body_len, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "libtaskprogress-curl-example");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  /* A stalled server rather than a total timeout: a big response may
   * legitimately take minutes. */
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 30L);

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
