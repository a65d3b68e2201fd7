#!/usr/bin/env python3
"""server.py -- a canned IPS getActiveJobs endpoint on 127.0.0.1 for the
transport examples: chunked, Content-Length, close-delimited, gzip, fault,
error and truncated responses. Standard library only.

It listens on 127.0.0.1 only, on a port the kernel picks, and writes that
port to FILE (atomically) or to stdout. It stops by itself after
--max-requests requests (default 100) or --lifetime seconds (default 30),
whichever comes first, so a test that dies cannot leave it running.

Every POST is checked the way IPS would see it (a SOAP 1.1 envelope with an
authHeader and a getActiveJobsParam, SOAPAction "getActiveJobs",
Content-Type text/xml); a request that fails the check gets HTTP 400 with a
plain-text reason, which no client decodes as a response.

Paths:
  /chunked, /   the response in chunks of odd sizes, with a chunk
                extension and a trailer field
  /trickle      an interim 103 response, then the chunked one, written a
                few bytes at a time (head lines split between reads)
  /length       the response with Content-Length
  /close        the response delimited by closing the connection
  /gzip         gzip-compressed (Content-Encoding: gzip) when the request
                accepts gzip, plain otherwise; Content-Length
  /fault        HTTP 500 with a SOAP 1.1 Fault (ipsApiFault), chunked
  /error        HTTP 503 with an HTML page (not SOAP)
  /truncated    chunked, and the connection closes in the middle of a chunk,
                inside the second task
"""

import argparse
import gzip
import http.server
import os
import socket
import sys
import threading
import time
import xml.etree.ElementTree as ET

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
IPS_PREFIX = "http://www.scene7.com/IpsApi/xsd"

ERROR_PAGE = b"""<!DOCTYPE html>
<html><head><title>503 Service Unavailable</title></head>
<body><h1>Service Unavailable</h1></body></html>
"""

# Odd sizes, so that chunk boundaries fall inside tags, entities and UTF-8
# sequences, and the client's reads straddle chunk headers.
CHUNK_SIZES = (1, 7, 13, 61, 3, 127, 509, 2, 1021, 31)


def ips_namespace(tag):
    """True when an ElementTree tag is in an IPS namespace."""
    if not tag.startswith("{"):
        return False
    ns = tag[1:].split("}", 1)[0]
    return ns == IPS_PREFIX or ns.startswith(IPS_PREFIX + "/")


def check_request(handler, body):
    """Returns None for a plausible getActiveJobs request, else why not."""
    ctype = handler.headers.get("Content-Type", "")
    if ctype.split(";", 1)[0].strip().lower() != "text/xml":
        return "Content-Type is %r, expected text/xml" % ctype
    action = handler.headers.get("SOAPAction", "")
    if action.strip().strip('"') != "getActiveJobs":
        return "SOAPAction is %r, expected \"getActiveJobs\"" % action
    try:
        root = ET.fromstring(body)
    except ET.ParseError as err:
        return "request is not well-formed XML: %s" % err
    if root.tag != "{%s}Envelope" % SOAP11:
        return "root element is %s, expected a SOAP 1.1 Envelope" % root.tag
    header = root.find("{%s}Header" % SOAP11)
    if header is None or not any(
            ips_namespace(e.tag) and e.tag.endswith("}authHeader")
            for e in header):
        return "no authHeader in the SOAP Header"
    soap_body = root.find("{%s}Body" % SOAP11)
    if soap_body is None or not any(
            ips_namespace(e.tag) and e.tag.endswith("}getActiveJobsParam")
            for e in soap_body):
        return "no getActiveJobsParam in the SOAP Body"
    return None


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


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # chunked needs 1.1
    server_version = "tp-example-server/1.0"
    timeout = 10  # a stuck client must not hold the server

    def log_message(self, fmt, *args):  # pylint: disable=arguments-differ
        sys.stderr.write("server.py: %s\n" % (fmt % args))

    def do_GET(self):  # pylint: disable=invalid-name
        self.plain(405, "POST a getActiveJobs request\n")

    def do_POST(self):  # pylint: disable=invalid-name
        self.close_connection = True  # every response ends the connection
        try:
            self.respond()
        except (BrokenPipeError, ConnectionResetError):
            # Clients may hang up early on purpose (--max-tasks).
            self.log_message("client closed the connection early")

    def respond(self):
        self.server.count_request()
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.plain(411, "Content-Length required\n")
            return
        body = self.rfile.read(int(length))
        problem = check_request(self, body)
        if problem is not None:
            self.log_message("bad request: %s", problem)
            self.plain(400, problem + "\n")
            return
        path = self.path.split("?", 1)[0]
        response = self.server.response
        if path in ("/", "/chunked"):
            self.chunked(200, response)
        elif path == "/trickle":
            self.trickle(response)
        elif path == "/length":
            self.whole(200, response)
        elif path == "/close":
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(response)
        elif path == "/gzip":
            if accepts_gzip(self.headers.get("Accept-Encoding", "")):
                packed = gzip.compress(response)
                self.log_message("gzip: %d bytes sent as %d", len(response),
                                 len(packed))
                self.whole(200, packed, encoding="gzip")
            else:
                self.log_message("gzip not accepted: sent as is")
                self.whole(200, response)
        elif path == "/fault":
            self.chunked(500, self.server.fault)
        elif path == "/error":
            self.whole(503, ERROR_PAGE, ctype="text/html")
        elif path == "/truncated":
            # Inside the second task (or halfway without one): the client
            # prints the first before it finds out the rest is missing.
            first = response.find(b"<taskType>")
            cut = response.find(b"<taskType>", first + 1)
            self.chunked(200, response, cut=cut if cut > 0 else len(response) // 2)
        else:
            self.plain(404, "no such path: %s\n" % path)

    def plain(self, status, text):
        self.close_connection = True
        self.whole(status, text.encode("utf-8"), ctype="text/plain")

    def whole(self, status, data, ctype="text/xml; charset=utf-8",
              encoding=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def chunked(self, status, data, cut=None):
        """Sends data in chunks of CHUNK_SIZES; with cut, stops after that
        many bytes, in the middle of a chunk, and closes."""
        self.send_response(status)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
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

    def trickle(self, data):
        """An interim 103 response, then the chunked response, all written
        a few bytes at a time: every head line and chunk size line of the
        response is split between reads."""
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.log_request(200)
        raw = (b"HTTP/1.1 103 Early Hints\r\n"
               b"Link: </ips.css>; rel=preload\r\n\r\n"
               b"HTTP/1.1 200 OK\r\n"
               b"Server: " + self.server_version.encode() + b"\r\n"
               b"content-type: text/xml; charset=utf-8\r\n"
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
    def __init__(self, response, fault, max_requests):
        # 127.0.0.1 only, whatever the environment says.
        super().__init__(("127.0.0.1", 0), Handler)
        self.response = response
        self.fault = fault
        self.max_requests = max_requests
        self.requests = 0
        self.lock = threading.Lock()

    def count_request(self):
        with self.lock:
            self.requests += 1

    def done(self):
        with self.lock:
            return self.requests >= self.max_requests


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port-file", metavar="FILE",
                        help="write the port here (default: print it on stdout)")
    parser.add_argument("--response", metavar="FILE",
                        default=os.path.join(here, "sample-response.xml"),
                        help="the getActiveJobs response to serve (default: %(default)s)")
    # The conformance example's Fault: what IPS answers for a job it does
    # not know.
    parser.add_argument("--fault", metavar="FILE",
                        default=os.path.normpath(os.path.join(
                            here, "..", "tests", "conformance", "examples", "fault-soap11.xml")),
                        help="the SOAP Fault to serve on /fault (default: %(default)s)")
    parser.add_argument("--max-requests", metavar="N", type=int, default=100,
                        help="stop after N requests (default: %(default)s)")
    parser.add_argument("--lifetime", metavar="SECONDS", type=float, default=30.0,
                        help="stop after SECONDS (default: %(default)s)")
    args = parser.parse_args()

    with open(args.response, "rb") as f:
        response = f.read()
    with open(args.fault, "rb") as f:
        fault = f.read()

    server = Server(response, fault, args.max_requests)
    port = server.server_address[1]
    if args.port_file:
        # Written whole, then renamed, so a reader never sees half a number.
        tmp = args.port_file + ".tmp"
        with open(tmp, "w", encoding="ascii") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    else:
        print(port, flush=True)

    deadline = time.monotonic() + args.lifetime
    server.timeout = 0.2
    try:
        while not server.done() and time.monotonic() < deadline:
            server.handle_request()
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
