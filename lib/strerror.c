/* strerror.c -- status messages and the library's version string. */
#include "taskprogress.h"

#define TP_STR_(x) #x
#define TP_STR(x) TP_STR_(x)

const char *
tp_version(void) {
  return TP_STR(TP_VERSION_MAJOR) "." TP_STR(TP_VERSION_MINOR) "." TP_STR(
      TP_VERSION_MICRO);
}

const char *
tp_strerror(tp_status status) {
  switch (status) {
  case TP_OK:
    return "no error";
  case TP_STOPPED:
    return "stopped by a callback";
  case TP_ERR_ARGUMENT:
    return "invalid argument";
  case TP_ERR_NO_MEMORY:
    return "out of memory";
  case TP_ERR_STATE:
    return "call not allowed in the decoder's state";
  case TP_ERR_XML:
    return "not well-formed XML";
  case TP_ERR_TRUNCATED:
    return "input ended before the document did";
  case TP_ERR_NOT_SOAP:
    return "not a SOAP response";
  case TP_ERR_NO_BODY:
    return "SOAP Body missing, or it holds neither getActiveJobsReturn nor "
           "Fault";
  case TP_ERR_DOCTYPE:
    return "DOCTYPE declaration (SOAP forbids DTDs)";
  case TP_ERR_BAD_INT:
    return "invalid xsd:int value";
  case TP_ERR_BAD_DOUBLE:
    return "invalid xsd:double value";
  case TP_ERR_BAD_DATETIME:
    return "invalid xsd:dateTime value";
  case TP_ERR_UNEXPECTED_ELEMENT:
    return "element inside a simple-typed field";
  case TP_ERR_INTERNAL:
    return "internal error in libtaskprogress";
  case TP_ERR_TOO_DEEP:
    return "elements nested deeper than max_depth";
  case TP_ERR_VALUE_TOO_LONG:
    return "typed value longer than max_value_bytes";
  case TP_ERR_INPUT_TOO_LARGE:
    return "input longer than max_input_bytes";
  case TP_ERR_NOT_KEPT:
    return "the collector could not keep a value whole (strict mode)";
  case TP_ERR_UNSUPPORTED:
    return "not available in this build of the library";
  }
  return "unknown status";
}
