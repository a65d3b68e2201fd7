/* request_check.h -- the one check that a written getActiveJobs request is
 * exactly the request a tp_request asks for: tests/test_request.c runs it
 * on every request it writes, the request fuzz harness (fuzz/request.c) on
 * every request it accepts, and mcu/request.c, built for the host, on the
 * requests whose bytes the Cortex-M4 must reproduce. Test code: it parses
 * with expat and uses the heap and stdio, never cmocka.
 *
 * What it checks, from the bytes alone and the header's contract:
 * - an XML declaration first (version 1.0, encoding UTF-8), no CR byte
 *   (a CR in a value must be a reference, which survives the parser's
 *   end-of-line handling) and no "]]>";
 * - well-formed, namespace-aware XML, with nothing outside the root but
 *   line feeds (no comment, PI or DOCTYPE) and no attribute anywhere;
 * - exactly the elements asked for, in the schema's order: the SOAP
 *   Envelope of the request's version, its Header holding authHeader in
 *   TP_IPS_AUTH_NAMESPACE with each member that is set, its Body holding
 *   getActiveJobsParam in the API version's namespace with each member
 *   that is set; no text but the leaves' (the request is compact);
 * - each leaf's value: a string parses back to exactly its bytes, a
 *   boolean and the status code to their value in any xsd:boolean or
 *   xsd:int spelling (the contract fixes the value, not its spelling). */
#ifndef TP_TEST_REQUEST_CHECK_H
#define TP_TEST_REQUEST_CHECK_H

#include <stddef.h>

#include "taskprogress.h"

typedef struct request_checker request_checker;

/* A checker, to run on any number of requests (its parser is made once
 * and reset for each); NULL when out of memory. */
request_checker *request_checker_new(void);
void request_checker_free(request_checker *c);

/* NULL when the len bytes at xml are exactly the request r asks for;
 * otherwise what is wrong, in words, valid until the next run. r must be
 * a request tp_request_check() accepts. */
const char *request_checker_run(request_checker *c, const tp_request *r,
                                const char *xml, size_t len);

/* The elements the last run saw (up to a fault), by local name, each
 * followed by its children in parentheses, with "{namespace}" before a
 * name whose namespace is not its parent's: for tp_request_init's request
 *   {http://schemas.xmlsoap.org/soap/envelope/}Envelope(Header(
 *   {http://www.scene7.com/IpsApi/xsd}authHeader(appName appVersion))
 *   Body({http://www.scene7.com/IpsApi/xsd/2022-11-01-beta}
 *   getActiveJobsParam))
 * on one line, without the line breaks. Empty before the first run. */
const char *request_checker_outline(const request_checker *c);

#endif
