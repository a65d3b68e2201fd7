/* curl_request.h -- a getActiveJobs request handed to libcurl: what
 * examples/curl.c and tools/tpwatch share, so that both send it one way. */
#ifndef EXAMPLES_CURL_REQUEST_H
#define EXAMPLES_CURL_REQUEST_H

#include <stddef.h>

#include <curl/curl.h>

#include <taskprogress.h>

/* The HTTP headers: the library's for the SOAP version, then "Expect:".
 * NULL when out of memory. Free with curl_slist_free_all(). */
struct curl_slist *curl_request_headers(const tp_request *r);

/* Sets up `curl` to POST `body` (`len` bytes, kept by the caller until
 * the transfer is over) with `headers` to `url`: HTTP and HTTPS only,
 * every encoding this libcurl can inflate, no signals. TLS verification
 * is libcurl's default: on. */
void curl_request_setup(CURL *curl, const char *url, const char *body,
                        size_t len, struct curl_slist *headers);

#endif /* EXAMPLES_CURL_REQUEST_H */
