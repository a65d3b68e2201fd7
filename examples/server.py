#!/usr/bin/env python3
"""server.py -- a canned IPS getActiveJobs endpoint on 127.0.0.1 for the
transport examples: chunked, Content-Length, close-delimited, gzip, fault,
error and truncated responses. Standard library only.

It listens on 127.0.0.1 only, on a port the kernel picks, and writes that
port to FILE (atomically) or to stdout. It stops by itself after
--max-requests requests (default 100) or --lifetime seconds (default 30),
whichever comes first (0: no such limit). A test starts it with
--parent $$ instead: then neither limit applies unless given, and it runs
until the test stops it, or at the latest until the test's shell is gone
(however that ended), never dying under a test that merely runs slowly.

Every POST is checked the way IPS would check it, in this order:
  HTTP       Content-Length is required (else 411). Content-Type must be
             text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2), and
             name the envelope's SOAP version (else 415, plain text); SOAP
             1.1 needs the header SOAPAction: "getActiveJobs", SOAP 1.2 the
             Content-Type parameter action="getActiveJobs" (else 400, plain
             text). No client decodes a plain-text answer as a response.
  the XML    a request that is not well-formed, or whose Envelope lacks an
             authHeader in http://www.scene7.com/IpsApi/xsd (exactly; a
             versioned namespace is refused) in its Header or a single
             getActiveJobsParam in a namespace starting with it in its
             Body, or holds an element IPS does not know there: an
             ipsApiFault 30003 (invalid request XML); appName or appVersion
             missing: 30002; a faultHttpStatusCode that is not 100 to 599
             or an includeWaitingJobs that is not an xsd:boolean: 30001.
  credentials  user and password missing: an authenticationFault 10001;
             wrong: 10000 (see --user and --password; accessToken and
             samlResponse are not accepted).
Faults are SOAP Faults in the request's SOAP version (1.1: faultcode,
faultstring, detail; 1.2: env:Code/env:Value, env:Reason/env:Text,
env:Detail), with the HTTP status the request's faultHttpStatusCode asks
for, else 500, framed as the path frames a response. A request that passes
gets the canned response in its SOAP version, its jobs narrowed to the
request's companyHandle and jobHandle when it gives them.

Paths:
  /chunked, /   the response in chunks of odd sizes, with a chunk
                extension and a trailer field
  /trickle      an interim 103 response, then the chunked one, written a
                few bytes at a time (head lines split between reads)
  /length       the response with Content-Length
  /close        the response delimited by closing the connection
  /gzip         gzip-compressed (Content-Encoding: gzip) when the request
                accepts gzip, plain otherwise; Content-Length
  /fault        an ipsApiFault (30001, Invalid jobHandle: j|999) once the
                request has passed, chunked
  /error        HTTP 503 with an HTML page (not SOAP)
  /truncated    chunked, and the connection closes in the middle of a chunk,
                inside the second task

Live views (tools/tpwatch) are tested against two more options:
  --evolve      each request that passes is a poll, and gets a response of
                its own instead of the file: progress advances with every
                poll, a new job starts every third poll (job k at poll
                3k-2), runs for eight polls, shows "Completed" on the ninth
                and is gone on the tenth. Every second job has a Japanese
                name (wide characters). lastProgressUpdate is the time of
                the poll.
  --schedule SPEC
                what some polls get instead, on any path: SPEC is
                POLL=EVENT[,POLL=EVENT...], polls counted from 1 (every
                POST to a known path with a Content-Length counts), EVENT
                one of
                  fault   an ipsApiFault 30001 (as /fault)
                  auth    an authenticationFault 10000, as for a wrong
                          password
                  html    HTTP 503 with an HTML page (as /error)
                  cut     the response cut off inside its second task
                          (as /truncated)
                e.g. --evolve --schedule 3=auth,5=html,7=cut
  --port N      listen on port N instead of one the kernel picks, so that a
                test can stop the server and start it again where the
                client looks for it.
"""

import argparse
import gzip
import http.server
import os
import re
import socket
import sys
import threading
import time
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
IPS_NS = "http://www.scene7.com/IpsApi/xsd"
SOAP_CTYPE = {SOAP11: "text/xml; charset=utf-8",
              SOAP12: "application/soap+xml; charset=utf-8"}

AUTH_FIELDS = ("user", "password", "accessToken", "samlResponse", "locale",
               "appName", "appVersion", "gzipResponse", "faultHttpStatusCode")
PARAM_FIELDS = ("companyHandle", "jobHandle", "originalName",
                "includeWaitingJobs")

ERROR_PAGE = b"""<!DOCTYPE html>
<html><head><title>503 Service Unavailable</title></head>
<body><h1>Service Unavailable</h1></body></html>
"""

# Odd sizes, so that chunk boundaries fall inside tags, entities and UTF-8
# sequences, and the client's reads straddle chunk headers.
CHUNK_SIZES = (1, 7, 13, 61, 3, 127, 509, 2, 1021, 31)


class Refusal(Exception):
    """Refused at the HTTP level: status and a plain-text reason."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Fault(Exception):
    """A SOAP Fault for the request: kind (ipsApiFault or
    authenticationFault), IPS code and reason."""

    def __init__(self, kind, code, reason):
        super().__init__(reason)
        self.kind = kind
        self.code = code
        self.reason = reason


def split_tag(tag):
    """(namespace, local name) of an ElementTree tag."""
    if tag.startswith("{"):
        ns, local = tag[1:].split("}", 1)
        return ns, local
    return "", tag


def ips_namespace(ns):
    """True for IPS's namespace, versioned or not."""
    return ns == IPS_NS or ns.startswith(IPS_NS + "/")


def media_type(value):
    """(media type, {parameter: value}) of a Content-Type value."""
    parts = value.split(";")
    params = {}
    for p in parts[1:]:
        if "=" in p:
            k, v = p.split("=", 1)
            params[k.strip().lower()] = v.strip().strip('"')
    return parts[0].strip().lower(), params


def children(element, part, known):
    """{local name: text} of element's children, all in element's
    namespace and named in known; a Fault 30003 otherwise."""
    ns = split_tag(element.tag)[0]
    values = {}
    for child in element:
        cns, local = split_tag(child.tag)
        if cns != ns or local not in known:
            raise Fault("ipsApiFault", 30003,
                        "Invalid request XML: %s in %s" % (child.tag, part))
        values[local] = (child.text or "").strip() if local in (
            "gzipResponse", "faultHttpStatusCode", "includeWaitingJobs") \
            else (child.text or "")
    return values


def envelope_version(headers):
    """The SOAP version Content-Type names, and its parameters; a Refusal
    for any other media type."""
    ctype, params = media_type(headers.get("Content-Type", ""))
    if ctype == "text/xml":
        return SOAP11, params
    if ctype == "application/soap+xml":
        return SOAP12, params
    raise Refusal(415, "Content-Type is %r: text/xml (SOAP 1.1) or "
                  "application/soap+xml (SOAP 1.2) expected"
                  % headers.get("Content-Type", ""))


def check_request(headers, body, asked, user, password):
    """Checks a getActiveJobs request; fills asked (the dict the caller
    keeps, so that a Fault raised half-way still finds the SOAP version
    and faultHttpStatusCode) with version, status and the param fields."""
    version, params = envelope_version(headers)
    asked["version"] = version
    try:
        root = ET.fromstring(body)
    except ET.ParseError as err:
        raise Fault("ipsApiFault", 30003, "Invalid request XML: %s" % err)
    ns, local = split_tag(root.tag)
    if local != "Envelope" or ns not in (SOAP11, SOAP12):
        raise Fault("ipsApiFault", 30003,
                    "Invalid request XML: root element %s" % root.tag)
    if ns != version:
        raise Refusal(415, "Content-Type %r does not match the SOAP %s "
                      "envelope" % (headers.get("Content-Type", ""),
                                    "1.1" if ns == SOAP11 else "1.2"))
    if version == SOAP11:
        action = headers.get("SOAPAction")
        if action is None or action.strip().strip('"') != "getActiveJobs":
            raise Refusal(400, "SOAPAction is %r, expected \"getActiveJobs\""
                          % action)
    elif params.get("action") != "getActiveJobs":
        raise Refusal(400, "Content-Type has action=%r, expected "
                      "\"getActiveJobs\"" % params.get("action"))

    header = root.find("{%s}Header" % ns)
    auth = None
    for e in header if header is not None else ():
        ens, elocal = split_tag(e.tag)
        if elocal == "authHeader" and ips_namespace(ens):
            if ens != IPS_NS:
                raise Fault("ipsApiFault", 30003, "Invalid request XML: "
                            "authHeader in %s, not %s" % (ens, IPS_NS))
            auth = e
    if auth is None:
        raise Fault("ipsApiFault", 30003,
                    "Invalid request XML: no authHeader in the SOAP Header")
    fields = children(auth, "authHeader", AUTH_FIELDS)
    if "faultHttpStatusCode" in fields:
        code = fields["faultHttpStatusCode"]
        if not re.fullmatch(r"[+-]?[0-9]+", code) or \
                not 100 <= int(code) <= 599:
            raise Fault("ipsApiFault", 30001,
                        "Invalid parameter: faultHttpStatusCode %r" % code)
        asked["status"] = int(code)
    for name in ("appName", "appVersion"):
        if name not in fields:
            raise Fault("ipsApiFault", 30002, "Missing parameter: " + name)
    if fields.get("gzipResponse", "false") not in ("true", "false", "1", "0"):
        raise Fault("ipsApiFault", 30001, "Invalid parameter: gzipResponse")

    soap_body = root.find("{%s}Body" % ns)
    items = list(soap_body) if soap_body is not None else []
    if len(items) != 1 or split_tag(items[0].tag)[1] != "getActiveJobsParam" \
            or not ips_namespace(split_tag(items[0].tag)[0]):
        raise Fault("ipsApiFault", 30003, "Invalid request XML: the SOAP "
                    "Body must hold one getActiveJobsParam")
    asked.update(children(items[0], "getActiveJobsParam", PARAM_FIELDS))
    if asked.get("includeWaitingJobs", "false") not in ("true", "false", "1",
                                                         "0"):
        raise Fault("ipsApiFault", 30001,
                    "Invalid parameter: includeWaitingJobs")

    if "user" not in fields or "password" not in fields:
        raise Fault("authenticationFault", 10001,
                    "Missing credentials: user and password are required")
    if fields["user"] != user or fields["password"] != password:
        raise Fault("authenticationFault", 10000,
                    "Invalid user name or password for %s" % fields["user"])


def fault_xml(fault, version):
    """A SOAP Fault carrying fault in its detail, in the SOAP version."""
    client = fault.kind == "authenticationFault"
    string = "AuthenticationException" if client else fault.kind
    detail = ('<%s xmlns="%s">\n     <code>%d</code>\n     <reason>%s</reason>'
              '\n    </%s>' % (fault.kind, IPS_NS, fault.code,
                              escape(fault.reason), fault.kind))
    if version == SOAP12:
        text = ("<env:Envelope xmlns:env=\"%s\">\n <env:Body>\n  <env:Fault>\n"
                "   <env:Code><env:Value>env:%s</env:Value></env:Code>\n"
                "   <env:Reason><env:Text xml:lang=\"en\">%s</env:Text>"
                "</env:Reason>\n   <env:Detail>\n    %s\n   </env:Detail>\n"
                "  </env:Fault>\n </env:Body>\n</env:Envelope>\n"
                % (SOAP12, "Sender" if client else "Receiver", string,
                   detail))
    else:
        text = ("<soapenv:Envelope xmlns:soapenv=\"%s\">\n <soapenv:Body>\n"
                "  <soapenv:Fault>\n   <faultcode>soapenv:%s</faultcode>\n"
                "   <faultstring>%s</faultstring>\n   <detail>\n    %s\n"
                "   </detail>\n  </soapenv:Fault>\n </soapenv:Body>\n"
                "</soapenv:Envelope>\n"
                % (SOAP11, "Client" if client else "Server", string, detail))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text).encode("utf-8")


TAG = re.compile(rb"<(/?)([A-Za-z_][\w.:-]*)[^>]*?(/?)>")


def job_spans(data):
    """(start, end) byte offsets of each items element directly under
    jobArray, in document order."""
    spans = []
    stack = []
    for m in TAG.finditer(data):
        local = m.group(2).rsplit(b":", 1)[-1]
        if m.group(1):  # end tag
            if stack:
                name, start = stack.pop()
                if name == b"items" and stack and stack[-1][0] == b"jobArray":
                    spans.append((start, m.end()))
        elif m.group(3):  # empty element
            if local == b"items" and stack and stack[-1][0] == b"jobArray":
                spans.append((m.start(), m.end()))
        else:
            stack.append((local, m.start()))
    return spans


def narrow(data, asked):
    """data with the jobs asked leaves out cut; (bytes, kept, total)."""
    wanted = {k: asked[k] for k in ("companyHandle", "jobHandle") if k in asked}
    root = ET.fromstring(data)
    jobs = [job for e in root.iter() if split_tag(e.tag)[1] == "jobArray"
            for job in e]
    spans = job_spans(data)
    if not wanted or len(spans) != len(jobs):
        return data, len(jobs), len(jobs)
    out = []
    pos = 0
    kept = 0
    for job, (start, end) in zip(jobs, spans):
        values = {split_tag(c.tag)[1]: (c.text or "") for c in job}
        if all(values.get(k) == v for k, v in wanted.items()):
            kept += 1
            continue
        out.append(data[pos:start])
        pos = end
    out.append(data[pos:])
    return b"".join(out), kept, len(jobs)


def accepts_gzip(header):
    """True when an Accept-Encoding value allows gzip (q > 0)."""
    for item in header.split(","):
        parts = [p.strip() for p in item.split(";")]
        if parts[0].lower() not in ("gzip", "x-gzip", "*"):
            continue
        q = 1.0
        for p in parts[1:]:
            if p.lower().startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            return True
    return False


EVENTS = ("fault", "auth", "html", "cut")
NAMES = ("Spring catalog upload", "\u6625\u306e\u30ab\u30bf\u30ed\u30b0"
         "\u753b\u50cf\u30a2\u30c3\u30d7\u30ed\u30fc\u30c9")
JOB_POLLS = 8  # polls a job runs before it completes


def parse_schedule(spec):
    """{poll: event} of a --schedule value."""
    schedule = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        poll, sep, event = part.partition("=")
        if not sep or not poll.isdigit() or int(poll) < 1 or event not in EVENTS:
            raise ValueError("%r: POLL=EVENT expected, EVENT one of %s"
                             % (part, ", ".join(EVENTS)))
        schedule[int(poll)] = event
    return schedule


def evolved_job(k, age, stamp):
    """Job k (from 0), age polls after it started, as an items element."""
    done = age >= JOB_POLLS
    p = min(age, JOB_POLLS) / JOB_POLLS
    name = "%s #%d" % (NAMES[k % len(NAMES)], k + 1)
    upload = min(1.0, 2 * p)
    publish = max(0.0, 2 * p - 1)
    files = 4
    processed = int(files * upload + 1e-9)

    def task(kind, state, prog, counts, message, items):
        return ("<items><taskType>com.scene7.%s</taskType>"
                "<taskState>%s</taskState><numProcessed>%d</numProcessed>"
                "<numProcessing>%d</numProcessing><numPending>%d</numPending>"
                "<progress>%s</progress><progressMessage>%s</progressMessage>"
                "<lastProgressUpdate>%s</lastProgressUpdate>%s</items>"
                % ((kind, state) + counts + (repr(prog), escape(message),
                                            stamp, items)))

    items = "".join(
        "<items><itemName>%s</itemName><progress>%s</progress>"
        "<progressMessage>%s</progressMessage></items>"
        % (escape("spring/file-%d.tif" % i),
           repr(1.0 if i < processed else 0.0),
           "Done" if i < processed else "Waiting")
        for i in range(files))
    tasks = task("upload.UploadAsyncTaskMonitor",
                 "Done" if upload >= 1 else "Processing", upload,
                 (processed, 0 if upload >= 1 else 1,
                  max(0, files - processed - 1)),
                 "Converted %d of %d files" % (processed, files),
                 "<taskItemProgressArray>%s</taskItemProgressArray>" % items)
    tasks += task("publish.PublishTaskMonitor",
                  "Done" if publish >= 1 else
                  "Processing" if publish > 0 else "New", publish,
                  (0, 0, 1) if publish < 1 else (1, 0, 0),
                  "Published" if publish >= 1 else "Waiting for upload"
                  if publish == 0 else "Publishing", "")
    return ("<items><companyHandle>c|2384</companyHandle>"
            "<jobHandle>j|2384||evolve|%d</jobHandle><name>%s</name>"
            "<type>UrlUpload</type><state>%s</state>"
            "<submitUserEmail>jane.doe@example.com</submitUserEmail>"
            "<progress>%d</progress><progressMessage>%s</progressMessage>"
            "<lastProgressUpdate>%s</lastProgressUpdate>"
            "<taskProgressArray>%s</taskProgressArray></items>"
            % (k + 1, escape(name), "Completed" if done else "Running",
               int(p * 100 + 1e-9), "Done" if done else "Uploading",
               stamp, tasks))


def evolved_response(poll):
    """The response of poll `poll` (from 1) in evolving mode."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    jobs = []
    k = 0
    while 3 * k + 1 <= poll:
        age = poll - (3 * k + 1)
        if age <= JOB_POLLS:
            jobs.append(evolved_job(k, age, stamp))
        k += 1
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<soapenv:Envelope xmlns:soapenv="%s"><soapenv:Body>'
            '<getActiveJobsReturn xmlns="%s/2022-11-01-beta"><jobArray>%s'
            '</jobArray></getActiveJobsReturn></soapenv:Body>'
            '</soapenv:Envelope>\n' % (SOAP11, IPS_NS, "".join(jobs))
            ).encode("utf-8")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # chunked needs 1.1
    server_version = "tp-example-server/1.0"
    timeout = 10  # a stuck client must not hold the server

    soap = None  # the SOAP version of the request, once known

    def log_message(self, fmt, *args):  # pylint: disable=arguments-differ
        sys.stderr.write("server.py: %s\n" % (fmt % args))

    def log_request(self, code="-", size="-"):
        # With the SOAP version, so that a test can tell which was asked.
        version = {SOAP11: " SOAP 1.1", SOAP12: " SOAP 1.2"}.get(self.soap, "")
        self.log_message('"%s" %s %s%s', self.requestline, str(code),
                         str(size), version)

    def do_GET(self):  # pylint: disable=invalid-name
        self.plain(405, "POST a getActiveJobs request\n")

    def do_POST(self):  # pylint: disable=invalid-name
        self.close_connection = True  # every response ends the connection
        try:
            self.respond()
        except (BrokenPipeError, ConnectionResetError):
            # Clients may hang up early on purpose (--max-tasks).
            self.log_message("client closed the connection early")

    PATHS = ("/", "/chunked", "/trickle", "/length", "/close", "/gzip",
             "/fault", "/error", "/truncated")

    def respond(self):
        self.server.count_request()
        path = self.path.split("?", 1)[0]
        if path not in self.PATHS:
            self.plain(404, "no such path: %s\n" % path)
            return
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.plain(411, "Content-Length required\n")
            return
        body = self.rfile.read(int(length))
        asked = {"version": SOAP11, "status": 500}
        poll = self.server.count_poll()
        event = self.server.schedule.get(poll)
        if event:
            self.log_message("poll %d: %s, as scheduled", poll, event)
        try:
            try:
                check_request(self.headers, body, asked, self.server.user,
                              self.server.password)
                if event == "auth":
                    raise Fault("authenticationFault", 10000,
                                "Invalid user name or password for %s"
                                % self.server.user)
            finally:
                self.soap = asked.get("version")
        except Refusal as err:
            self.log_message("bad request: %s", err.reason)
            self.plain(err.status, err.reason + "\n")
            return
        except Fault as fault:
            self.log_message("fault: %s %d: %s (HTTP %d)", fault.kind,
                             fault.code, fault.reason, asked["status"])
            self.deliver(path, asked["status"],
                         fault_xml(fault, asked["version"]), asked["version"])
            return
        if event in ("html", "fault", "cut"):
            path = {"html": "/error", "fault": "/fault",
                    "cut": "/truncated"}[event]
        if path == "/error":
            self.whole(503, ERROR_PAGE, ctype="text/html")
            return
        if path == "/fault":
            if self.server.fault is not None:
                data = self.server.fault
            else:
                data = fault_xml(Fault("ipsApiFault", 30001,
                                       "Invalid jobHandle: j|999"),
                                 asked["version"])
            self.log_message("fault: ipsApiFault as asked (HTTP %d)",
                             asked["status"])
            self.deliver("/chunked", asked["status"], data, asked["version"])
            return
        # The response in the request's SOAP version: IPS answers in the
        # one it is asked in.
        other = SOAP12 if asked["version"] == SOAP11 else SOAP11
        response = self.server.response
        if self.server.evolve:
            response = evolved_response(poll)
        response = response.replace(other.encode(), asked["version"].encode())
        response, kept, total = narrow(response, asked)
        if kept != total:
            self.log_message("jobs: %d of %d (companyHandle %r, jobHandle %r)",
                             kept, total, asked.get("companyHandle"),
                             asked.get("jobHandle"))
        cut = None
        if path == "/truncated":
            # Inside the second task (or halfway without one): the client
            # prints the first before it finds out the rest is missing.
            first = response.find(b"<taskType>")
            cut = response.find(b"<taskType>", first + 1)
            if cut <= 0:
                cut = len(response) // 2
        self.deliver(path, 200, response, asked["version"], cut)

    def deliver(self, path, status, data, version, cut=None):
        """Sends data framed as path frames a response."""
        ctype = SOAP_CTYPE[version]
        if path == "/trickle":
            self.trickle(status, data, ctype)
        elif path == "/length":
            self.whole(status, data, ctype)
        elif path == "/close":
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
        elif path == "/gzip":
            if accepts_gzip(self.headers.get("Accept-Encoding", "")):
                packed = gzip.compress(data)
                self.log_message("gzip: %d bytes sent as %d", len(data),
                                 len(packed))
                self.whole(status, packed, ctype, encoding="gzip")
            else:
                self.log_message("gzip not accepted: sent as is")
                self.whole(status, data, ctype)
        else:
            self.chunked(status, data, ctype, cut)

    def plain(self, status, text):
        self.close_connection = True
        self.whole(status, text.encode("utf-8"), ctype="text/plain")

    def whole(self, status, data, ctype, encoding=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def chunked(self, status, data, ctype, cut=None):
        """Sends data in chunks of CHUNK_SIZES; with cut, stops after that
        many bytes, in the middle of a chunk, and closes."""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Trailer", "X-Checksum")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()
        for i, (frame, pos) in enumerate(chunk_frames(data)):
            if cut is not None and pos + len(frame) > cut:
                # The chunk's size line promises more than is sent.
                self.wfile.write(frame[:cut - pos])
                self.wfile.flush()
                return  # close_connection is set: the socket closes
            self.wfile.write(frame)
            if i % 3 == 0:
                # Let the client see the response in several reads.
                self.wfile.flush()
                time.sleep(0.002)

    def trickle(self, status, data, ctype):
        """An interim 103 response, then the chunked response, all written
        a few bytes at a time: every head line and chunk size line of the
        response is split between reads."""
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.log_request(status)
        raw = (b"HTTP/1.1 103 Early Hints\r\n"
               b"Link: </ips.css>; rel=preload\r\n\r\n"
               b"HTTP/1.1 %d %s\r\n" % (status, self.responses.get(
                   status, ("Status",))[0].encode()) +
               b"Server: " + self.server_version.encode() + b"\r\n"
               b"content-type: " + ctype.encode() + b"\r\n"
               b"TRANSFER-ENCODING:   chunked  \r\n"
               b"X-Long: " + b"x" * 600 + b"\r\n"
               b"Connection: close\r\n\r\n")
        raw += b"".join(frame for frame, _ in chunk_frames(data))
        pos = 0
        i = 0
        while pos < len(raw):
            size = (1, 2, 3, 5, 8, 13)[i % 6]
            self.wfile.write(raw[pos:pos + size])
            self.wfile.flush()
            if i % 16 == 0:
                time.sleep(0.001)
            pos += size
            i += 1


def chunk_frames(data):
    """Yields (framed chunk, offset in data), the last-chunk and trailer
    included."""
    pos = 0
    i = 0
    while pos < len(data):
        size = min(CHUNK_SIZES[i % len(CHUNK_SIZES)], len(data) - pos)
        # Upper- and lower-case hex, and an extension now and then: both
        # are legal and clients must cope.
        head = ("%X" if i % 2 else "%x") % size
        if i % 5 == 3:
            head += ';name="value"'
        yield head.encode() + b"\r\n" + data[pos:pos + size] + b"\r\n", pos
        pos += size
        i += 1
    yield b"0\r\nX-Checksum: none\r\n\r\n", pos


class Server(http.server.HTTPServer):
    def __init__(self, response, fault, max_requests, user, password,
                 port=0, evolve=False, schedule=None):
        # 127.0.0.1 only, whatever the environment says.
        super().__init__(("127.0.0.1", port), Handler)
        self.evolve = evolve
        self.schedule = schedule or {}
        self.polls = 0
        self.response = response
        self.fault = fault
        self.user = user
        self.password = password
        self.max_requests = max_requests
        self.requests = 0
        self.lock = threading.Lock()

    def count_request(self):
        with self.lock:
            self.requests += 1

    def count_poll(self):
        """The number of this poll, from 1."""
        with self.lock:
            self.polls += 1
            return self.polls

    def done(self):
        with self.lock:
            return 0 < self.max_requests <= self.requests


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port-file", metavar="FILE",
                        help="write the port here (default: print it on stdout)")
    parser.add_argument("--response", metavar="FILE",
                        default=os.path.join(here, "sample-response.xml"),
                        help="the getActiveJobs response to serve (default: %(default)s)")
    parser.add_argument("--fault", metavar="FILE",
                        help="the SOAP Fault to serve on /fault, as it is, whatever "
                        "the SOAP version asked (default: an ipsApiFault 30001, "
                        "Invalid jobHandle: j|999, in the version asked)")
    # The defaults are request.xml's, so that the template works as it is
    # shipped; the examples and transports.sh set IPS_USER and IPS_PASSWORD.
    parser.add_argument("--user", default=os.environ.get("SERVER_IPS_USER", "user@example.com"),
                        help="the user the credentials must name (default: "
                        "$SERVER_IPS_USER, else %(default)s)")
    parser.add_argument("--password", default=os.environ.get("SERVER_IPS_PASSWORD", "password"),
                        help="the password they must give (default: "
                        "$SERVER_IPS_PASSWORD, else %(default)s)")
    parser.add_argument("--max-requests", metavar="N", type=int,
                        help="stop after N requests, 0 for no limit (default: 100, "
                        "none with --parent)")
    parser.add_argument("--lifetime", metavar="SECONDS", type=float,
                        help="stop after SECONDS, 0 for no limit (default: 30, "
                        "none with --parent)")
    parser.add_argument("--port", metavar="N", type=int, default=0,
                        help="listen on port N (default: one the kernel picks)")
    parser.add_argument("--evolve", action="store_true",
                        help="a response of its own per poll: progress advances, "
                        "jobs start and complete (see above)")
    parser.add_argument("--schedule", metavar="SPEC", default="",
                        help="POLL=EVENT,...: what those polls get instead "
                        "(EVENT: %s; see above)" % ", ".join(EVENTS))
    parser.add_argument("--parent", metavar="PID", type=int,
                        help="stop as soon as PID is no longer this process's "
                        "parent (it exited): a test passes its shell's $$")
    args = parser.parse_args()
    if args.parent is not None and os.getppid() != args.parent:
        parser.error("--parent %d: the parent is %d" % (args.parent, os.getppid()))
    if args.max_requests is None:
        args.max_requests = 0 if args.parent is not None else 100
    if args.lifetime is None:
        args.lifetime = 0 if args.parent is not None else 30.0

    with open(args.response, "rb") as f:
        response = f.read()
    fault = None
    if args.fault:
        with open(args.fault, "rb") as f:
            fault = f.read()

    try:
        schedule = parse_schedule(args.schedule)
    except ValueError as err:
        parser.error("--schedule %s" % err)
    server = Server(response, fault, args.max_requests, args.user,
                    args.password, args.port, args.evolve, schedule)
    port = server.server_address[1]
    if args.port_file:
        # Written whole, then renamed, so a reader never sees half a number.
        tmp = args.port_file + ".tmp"
        with open(tmp, "w", encoding="ascii") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    else:
        print(port, flush=True)

    deadline = time.monotonic() + args.lifetime if args.lifetime > 0 else None
    server.timeout = 0.2
    try:
        while not server.done():
            if deadline is not None and time.monotonic() >= deadline:
                break
            # An orphan is adopted by another process: the test is gone.
            if args.parent is not None and os.getppid() != args.parent:
                break
            server.handle_request()
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
