/* soap_docs.h -- building blocks for the small responses the tests write
 * inline: a SOAP 1.1 envelope around a jobArray, and a job with one task. */
#ifndef TP_TEST_SOAP_DOCS_H
#define TP_TEST_SOAP_DOCS_H

#define ENV11                                                                  \
  "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
#define RET                                                                    \
  "<getActiveJobsReturn "                                                      \
  "xmlns=\"http://www.scene7.com/IpsApi/xsd/2013-02-15\">"
#define HEAD ENV11 "<s:Body>" RET "<jobArray>"
#define TAIL "</jobArray></getActiveJobsReturn></s:Body></s:Envelope>"
#define WRAP(jobs) HEAD jobs TAIL
#define TASK(fields)                                                           \
  "<items><jobHandle>j1</jobHandle><taskProgressArray><items>" fields          \
  "</items></taskProgressArray></items>"
#define XSI "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""

#endif
