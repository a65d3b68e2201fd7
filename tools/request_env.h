/* request_env.h -- the getActiveJobs request from the environment, shared
 * by tpdump --request and the examples; private to the source tree.
 */
#ifndef TOOLS_REQUEST_ENV_H
#define TOOLS_REQUEST_ENV_H

#include <stddef.h>

#include <taskprogress.h>

/* Fills *r with tp_request_init()'s defaults and the environment:
 *   IPS_USER, IPS_PASSWORD  the credentials (never on the command line,
 *                           where every user of the machine could read
 *                           them)
 *   IPS_COMPANY, IPS_JOB    companyHandle, jobHandle: only those jobs
 *   IPS_SOAP_VERSION        1.1 (the default) or 1.2
 *   IPS_API_VERSION         e.g. 2014-04-03; "" is not possible (unset
 *                           means the library's default)
 *   IPS_FAULT_HTTP_STATUS   faultHttpStatusCode: the HTTP status IPS
 *                           answers a fault with
 * A variable unset or empty leaves its element out; locale is "en-US",
 * and the application the examples' (a program sets its own after). Then
 * checks the
 * request as the library will write it. Returns 0; or -1 with why (a
 * NUL-terminated line naming the variable at fault, no newline) when the
 * request cannot be sent: the examples then exit with EXIT_TRANSPORT,
 * having sent nothing. No heap, no stdio stream: the ring-buffer example
 * uses it too. */
int request_from_env(tp_request *r, char *why, size_t size);

#endif /* TOOLS_REQUEST_ENV_H */
