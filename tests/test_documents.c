/* test_documents.c -- the shapes of document dispatch decides on, each
 * with the trace a reader of the IPS and SOAP specifications expects
 * (checked by hand when written): xsi:nil, namespaces that only look like
 * IPS's, SOAP 1.2's fault structure, the bare fault, the Envelope and
 * Body errors, and children that are skipped. Every case at several chunk
 * sizes and in both modes, and with callbacks missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "recorder.h"
#include "taskprogress.h"

static const struct {
  const char *what;
  const char *doc;
  const char *trace;
} CASES[] = {
    {"xsi:nil skips a field (\"true\", \" 1 \", after another attribute), "
     "\"false\" does not; fields in another namespace, or in one that only "
     "starts like IPS's, are skipped; any API version is IPS",
     "<getActiveJobsReturn xmlns=\"http://www.scene7.com/IpsApi/xsd\" xmln"
     "s:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><jobArray><items"
     "><name xsi:nil=\"true\">a</name><type xsi:nil=\" 1 \">b</type><state x"
     "si:nil=\"false\">c</state><locale a=\"1\" xsi:nil=\"true\">d</locale><jo"
     "bHandle other=\"x\">e</jobHandle><o:name xmlns:o=\"urn:o\">f</o:name><"
     "description xmlns=\"http://www.scene7.com/IpsApi/xsd/2014-04-03\">g<"
     "/description><serverName xmlns=\"http://www.scene7.com/IpsApi/xsdX\""
     ">h</serverName></items></jobArray></getActiveJobsReturn>",
     "begin jobArray\n"
     "begin job\n"
     "job.state = \"c\"\n"
     "job.jobHandle = \"e\"\n"
     "job.description = \"g\"\n"
     "end job\n"
     "end jobArray\n"
     "status no error\n"},
    {"SOAP 1.2: the Header and a second Body are skipped; the top Code/Value "
     "and the first Reason/Text are the fault's, a Subcode's Value and later "
     "Texts are not; an IPS fault's children in no namespace count, in "
     "another they do not",
     "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:H"
     "eader><x/></s:Header><s:Body><s:Fault><s:Code><s:Value>s:Receiver<"
     "/s:Value><s:Subcode><s:Value>x</s:Value></s:Subcode></s:Code><s:Re"
     "ason><s:Text xml:lang=\"en\">first</s:Text><s:Text xml:lang=\"de\">zwe"
     "ite</s:Text></s:Reason><s:Detail><i:authenticationFault xmlns:i=\"h"
     "ttp://www.scene7.com/IpsApi/xsd\"><i:code>401</i:code><reason>bad</"
     "reason><o:code xmlns:o=\"urn:o\">9</o:code></i:authenticationFault><"
     "/s:Detail></s:Fault></s:Body><s:Body><x/></s:Body></s:Envelope>",
     "begin fault\n"
     "fault.faultcode = \"s:Receiver\"\n"
     "fault.faultstring = \"first\"\n"
     "fault.type = authenticationFault\n"
     "fault.code = 401\n"
     "fault.reason = \"bad\"\n"
     "end fault\n"
     "status no error\n"},
    {"SOAP 1.1: faultcode qualified with the envelope's namespace; SOAP "
     "1.2's Code means nothing here; an ipsApiFault in another namespace is "
     "skipped",
     "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s"
     ":Body><s:Fault><s:faultcode>s:Server</s:faultcode><faultstring>boo"
     "m</faultstring><s:Code>x</s:Code><detail><o:ipsApiFault xmlns:o=\"u"
     "rn:o\"/><authorizationFault xmlns=\"http://www.scene7.com/IpsApi/xsd"
     "\"><code>403</code></authorizationFault></detail></s:Fault></s:Body"
     "></s:Envelope>",
     "begin fault\n"
     "fault.faultcode = \"s:Server\"\n"
     "fault.faultstring = \"boom\"\n"
     "fault.type = authorizationFault\n"
     "fault.code = 403\n"
     "end fault\n"
     "status no error\n"},
    {"A bare IPS fault at the root, with a versioned namespace; what its "
     "other children hold is skipped",
     "<authorizationFault xmlns=\"http://www.scene7.com/IpsApi/xsd/2012-0"
     "1-01\"><code>7</code><reason>no</reason><x><code>8</code></x></auth"
     "orizationFault>",
     "begin fault\n"
     "fault.type = authorizationFault\n"
     "fault.code = 7\n"
     "fault.reason = \"no\"\n"
     "end fault\n"
     "status no error\n"},
    {"An Envelope in no namespace", "<Envelope><Body/></Envelope>",
     "status not a SOAP response at 1:0 byte 0 'root element <Envelope> "
     "with "
     "no namespace'\n"},
    {"An Envelope without a Body",
     "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s"
     ":Header/></s:Envelope>",
     "status SOAP Body missing, or it holds neither getActiveJobsReturn "
     "nor "
     "Fault at 1:75 byte 75\n"},
    {"A Body with neither getActiveJobsReturn nor Fault",
     "<s:Envelope "
     "xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s"
     ":Body><x/></s:Body></s:Envelope>",
     "status SOAP Body missing, or it holds neither getActiveJobsReturn "
     "nor "
     "Fault at 1:76 byte 76\n"},
    {"A SOAP 1.1 Body in a SOAP 1.2 Envelope",
     "<s:Envelope "
     "xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><t:B"
     "ody "
     "xmlns:t=\"http://schemas.xmlsoap.org/soap/envelope/\"><getActive"
     "JobsReturn "
     "xmlns=\"http://www.scene7.com/IpsApi/xsd\"/></t:Body></s:"
     "Envelope>",
     "status SOAP Body missing, or it holds neither getActiveJobsReturn "
     "nor "
     "Fault at 1:194 byte 194\n"},
    {"Arrays' children other than items, and a jobArray in another "
     "namespace, are skipped",
     "<getActiveJobsReturn "
     "xmlns=\"http://www.scene7.com/IpsApi/xsd\"><x:j"
     "obArray "
     "xmlns:x=\"urn:x\"/><jobArray><item/><items><taskProgressArra"
     "y><items><taskItemProgressArray><itemz/></"
     "taskItemProgressArray></"
     "items></taskProgressArray></items></jobArray></"
     "getActiveJobsReturn"
     ">",
     "begin jobArray\n"
     "begin job\n"
     "begin taskProgressArray\n"
     "begin task\n"
     "begin taskItemProgressArray\n"
     "end taskItemProgressArray\n"
     "end task\n"
     "end taskProgressArray\n"
     "end job\n"
     "end jobArray\n"
     "status no error\n"},
};
#define NCASES (sizeof CASES / sizeof CASES[0])

static void
test_documents_give_their_traces(void **state) {
  static const size_t chunks[] = {1, 2, 5, 64, 0};
  static const unsigned flags[] = {0, TP_FLAG_PROMPT};
  size_t i, c, f;
  (void)state;
  for (i = 0; i < NCASES; i++)
    for (f = 0; f < 2; f++)
      for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        recorder r;
        rec_init(&r);
        (void)rec_decode(&r, CASES[i].doc, strlen(CASES[i].doc), chunks[c],
                         flags[f]);
        if (strcmp(r.buf, CASES[i].trace) != 0)
          fail_msg("%s\nchunk %zu flags %u:\n%s\nwant:\n%s", CASES[i].what,
                   chunks[c], flags[f], r.buf, CASES[i].trace);
        rec_free(&r);
      }
}

/* Any callback may be NULL: the document decodes to the same status. */
static int
count_begin(void *user_data, tp_node node) {
  (void)node;
  ++*(int *)user_data;
  return 0;
}

static void
test_missing_callbacks(void **state) {
  static const tp_callbacks none = {NULL, NULL, NULL},
                            begin_only = {count_begin, NULL, NULL};
  const tp_callbacks *const sets[] = {NULL, &none, &begin_only};
  size_t i, s;
  (void)state;
  for (i = 0; i < NCASES; i++)
    for (s = 0; s < 3; s++) {
      tp_decoder d;
      tp_config cfg;
      tp_error e;
      int begins = 0;
      recorder r;
      tp_config_init(&cfg);
      cfg.callbacks = sets[s];
      cfg.user_data = &begins;
      assert_int_equal(tp_init(&d, &cfg), TP_OK);
      (void)tp_feed(&d, CASES[i].doc, strlen(CASES[i].doc));
      (void)tp_finish(&d);
      (void)tp_get_error(&d, &e);
      tp_release(&d);
      /* The status the recorder saw, and as many begins. */
      rec_init(&r);
      assert_int_equal(rec_decode(&r, CASES[i].doc, strlen(CASES[i].doc), 0, 0),
                       e.status);
      if (s == 2) {
        int want = 0;
        const char *p = r.buf;
        while ((p = strstr(p, "begin ")) != NULL && ++want)
          p++;
        assert_int_equal(begins, want);
      }
      rec_free(&r);
    }
}

int
main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_documents_give_their_traces),
      cmocka_unit_test(test_missing_callbacks),
  };
  return cmocka_run_group_tests_name("documents", tests, NULL, NULL);
}
