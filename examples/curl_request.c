/* curl_request.c -- a getActiveJobs request handed to libcurl (see
 * curl_request.h). */
#include "curl_request.h"

struct curl_slist *
curl_request_headers(const tp_request *r) {
  struct curl_slist *headers = NULL, *h;
  const char *line;
  size_t i;

  for (i = 0;; i++) {
    /* After the library's lines: curl would otherwise send "Expect:
     * 100-continue" for larger bodies and wait up to a second for an
     * answer many SOAP servers never give. */
    line = tp_request_header(r, i);
    h = curl_slist_append(headers, line != NULL ? line : "Expect:");
    if (h == NULL) {
      curl_slist_free_all(headers);
      return NULL;
    }
    headers = h;
    if (line == NULL)
      return headers;
  }
}

void
curl_request_setup(CURL *curl, const char *url, const char *body, size_t len,
                   struct curl_slist *headers) {
  curl_easy_setopt(curl, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS,
                   (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)len);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  /* "": advertise every encoding this libcurl can inflate, and inflate
   * it; the decoder then sees XML, never gzip. */
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  /* No signals: curl must not longjmp out of a resolver timeout. */
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  /* CURLOPT_FAILONERROR stays off: IPS sends its Faults with HTTP 500,
   * and the body is what says why. */
}
