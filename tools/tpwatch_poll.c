/* tpwatch_poll.c -- one getActiveJobs request with libcurl, the way
 * examples/curl.c sends it (curl_request.c is theirs to share), its
 * answer kept whole: tpwatch decodes the last good one again whenever it
 * draws, at the width of the moment.
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "curl_request.h"
#include "tpwatch.h"

/* An answer larger than this is not a job list anyone can read. */
#define MAX_BODY (64u << 20)

struct poller {
  CURL *curl;
  struct curl_slist *headers;
  char *body; /* the request */
  size_t body_len;
  volatile const sig_atomic_t *stop;
  char errbuf[CURL_ERROR_SIZE];
};

static size_t
on_body(char *data, size_t size, size_t nmemb, void *user_data) {
  struct answer *a = user_data;
  size_t len = size * nmemb;

  if (a->len + len > MAX_BODY)
    return 0;
  if (a->len + len > a->cap) {
    size_t cap = a->cap > 0 ? a->cap : 65536;
    char *b;
    while (cap < a->len + len)
      cap *= 2;
    b = realloc(a->body, cap);
    if (b == NULL)
      return 0;
    a->body = b;
    a->cap = cap;
  }
  memcpy(a->body + a->len, data, len);
  a->len += len;
  return len;
}

/* Ctrl-C should not wait for a slow server. */
static int
on_progress(void *user_data, curl_off_t dltotal, curl_off_t dlnow,
            curl_off_t ultotal, curl_off_t ulnow) {
  const struct poller *p = user_data;

  (void)dltotal;
  (void)dlnow;
  (void)ultotal;
  (void)ulnow;
  return *p->stop != 0;
}

struct poller *
poller_new(const char *url, const tp_request *r, long connect_timeout,
           long timeout, int insecure, volatile const sig_atomic_t *stop) {
  struct poller *p = calloc(1, sizeof *p);
  size_t len = 0;

  if (p == NULL || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    fprintf(stderr, "tpwatch: cannot initialise libcurl\n");
    free(p);
    return NULL;
  }
  p->stop = stop;
  tp_request_write(r, NULL, 0, &len);
  p->body = malloc(len + 1);
  p->curl = curl_easy_init();
  p->headers = curl_request_headers(r);
  if (p->body == NULL || p->curl == NULL || p->headers == NULL ||
      tp_request_write(r, p->body, len + 1, &p->body_len) != TP_OK) {
    fprintf(stderr, "tpwatch: cannot initialise libcurl\n");
    poller_free(p);
    return NULL;
  }
  curl_request_setup(p->curl, url, p->body, p->body_len, p->headers);
  curl_easy_setopt(p->curl, CURLOPT_USERAGENT, "tpwatch");
  curl_easy_setopt(p->curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(p->curl, CURLOPT_ERRORBUFFER, p->errbuf);
  curl_easy_setopt(p->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(p->curl, CURLOPT_XFERINFODATA, p);
  curl_easy_setopt(p->curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(p->curl, CURLOPT_CONNECTTIMEOUT, connect_timeout);
  curl_easy_setopt(p->curl, CURLOPT_TIMEOUT, timeout);
  if (insecure) {
    curl_easy_setopt(p->curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(p->curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  return p;
}

void
poller_run(struct poller *p, struct answer *a) {
  CURLcode res;
  double seconds = 0;

  a->len = 0;
  a->network = 0;
  a->cut = 0;
  a->http = 0;
  a->error[0] = '\0';
  p->errbuf[0] = '\0';
  curl_easy_setopt(p->curl, CURLOPT_WRITEDATA, a);
  res = curl_easy_perform(p->curl);
  curl_easy_getinfo(p->curl, CURLINFO_RESPONSE_CODE, &a->http);
  curl_easy_getinfo(p->curl, CURLINFO_TOTAL_TIME, &seconds);
  a->seconds = seconds;
  if (res == CURLE_OK)
    return;
  snprintf(a->error, sizeof a->error, "%s",
           p->errbuf[0] != '\0' ? p->errbuf : curl_easy_strerror(res));
  /* The server closed before the framing said the body was complete. */
  if (res == CURLE_PARTIAL_FILE && a->http != 0)
    a->cut = 1;
  else
    a->network = 1;
}

void
poller_free(struct poller *p) {
  if (p == NULL)
    return;
  if (p->curl != NULL)
    curl_easy_cleanup(p->curl);
  curl_slist_free_all(p->headers);
  if (p->body != NULL) {
    /* It holds the password. */
    memset(p->body, 0, p->body_len);
    free(p->body);
  }
  free(p);
  curl_global_cleanup();
}
