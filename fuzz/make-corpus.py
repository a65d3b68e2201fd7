#!/usr/bin/env python3
"""make-corpus.py -- write the seed corpora, OUTDIR/<harness>/.

The seeds are built, not kept: make writes them into fuzz/corpus of the
build tree (fuzz/Makefile.inc), and fuzz/run-fuzzers.sh into its work
directory. Sources: tests/data/*.xml and, from the conformance data
(default tests/conformance), examples/*.xml, responses/*.xml and the
xsd-lexical tables. The option bytes that the chunks, values, arena and
collect harnesses read first are derived from a hash of each file's name, so a
rerun gives the same files. The request harness's seeds are the requests
listed in REQUEST_SEEDS below. Prints the count and size of each corpus.

    python3 fuzz/make-corpus.py OUTDIR [CONFORMANCE_DIR]
"""
import glob
import hashlib
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Documents larger than these are left out: big seeds slow every execution
# and add nothing the mutator cannot reach from the small ones.
DECODE_MAX = 16384
SPLIT_MAX = 4096  # chunks and arena decode each seed several times


def option_bytes(name, n):
    """n deterministic bytes chosen by the file name."""
    return hashlib.sha256(name.encode()).digest()[:n]


def documents(conformance):
    paths = sorted(glob.glob(os.path.join(ROOT, "tests", "data", "*.xml")))
    for sub in ("examples", "responses"):
        paths += sorted(glob.glob(os.path.join(conformance, sub, "*.xml")))
    for path in paths:
        with open(path, "rb") as f:
            yield os.path.basename(path)[:-4], f.read()


def lexical_rows(conformance):
    """(type index, row number, literal bytes) from the xsd-lexical tables,
    in the order the values harness numbers its lexers."""
    for index, table in enumerate(("int", "double", "dateTime")):
        path = os.path.join(conformance, "xsd-lexical", table + ".tsv")
        with open(path, encoding="ascii") as f:
            lines = f.read().split("\n")
        seen = set()
        for number, line in enumerate(lines[1:], 1):
            if not line:
                continue
            literal = json.loads(line.split("\t")[0]).encode("utf-8")
            if literal in seen:
                continue
            seen.add(literal)
            yield index, table, number, literal


# The request harness (fuzz/request.c): the string members in its slot
# order, then the API version's bytes.
REQUEST_STRINGS = ("user", "password", "access_token", "saml_response",
                   "locale", "app_name", "app_version", "company_handle",
                   "job_handle", "original_name", "api_version")
APP = {"app_name": b"libtaskprogress", "app_version": b"2.0.0"}
CREDENTIALS = dict(APP, user=b"ips@example.com", password=b"s3cret",
                   company_handle=b"c|1234")
ALL_SET = dict(CREDENTIALS, access_token=b"tok", saml_response=b"PHNhbWw+",
               locale=b"en-US", job_handle=b"j|5678",
               original_name=b"Spring catalogue.pdf")
ODD = 0xF0  # option bytes from here give an out-of-range enum value
API = {"null": 0, "empty": 1, "documented": 2, "date": 3, "date-beta": 4,
       "raw": 5}


def request_seed(strings, soap=0, gzip=0, waiting=0, api="null", doc=0,
                 status=None, size=0xFFFF, piece=31, stop=0):
    """The option bytes of fuzz/request.c, then each string as a length
    byte and its bytes; a string absent from `strings` is NULL."""
    null = sum(1 << i for i, k in enumerate(REQUEST_STRINGS[:10])
               if strings.get(k) is None)
    out = bytearray()
    out += null.to_bytes(2, "little") + (0).to_bytes(2, "little")
    out += bytes([soap, gzip, waiting, API[api] | doc << 3])
    out += bytes([status is not None])
    out += ((status or 0) & 0xFFFF).to_bytes(2, "little")
    out += size.to_bytes(2, "little") + bytes([piece, stop])
    for k in REQUEST_STRINGS:
        v = strings.get(k) or b""
        out += bytes([len(v)]) + v
    return bytes(out)


def bad(value, field="password"):
    return dict(CREDENTIALS, **{field: value})


REQUEST_SEEDS = {
    "defaults": request_seed(APP),
    "credentials": request_seed(CREDENTIALS, size=0),
    "credentials-size-1": request_seed(CREDENTIALS, size=1, piece=0),
    "credentials-cut": request_seed(CREDENTIALS, size=200, stop=3),
    "credentials-room": request_seed(CREDENTIALS, size=0x8010, piece=255),
    "all-set-soap12": request_seed(ALL_SET, soap=1, gzip=2, waiting=1,
                                   status=200, piece=7),
    "all-set-false-true": request_seed(ALL_SET, gzip=1, waiting=2,
                                       status=500, stop=1),
    "all-empty": request_seed(dict((k, b"") for k in REQUEST_STRINGS[:10]),
                              api="empty"),
    "escapes": request_seed(bad(b"p&ss<w>rd]]>\"'\r\n\t&amp;")),
    "cr-only": request_seed(bad(b"\r", "original_name"), soap=1),
    "multibyte": request_seed(bad(
        "\u00dc\u00f1\u00ef\u20ac \U00010000 \U0010FFFF "
        "\uD7FF\uE000\uFFFD".encode("utf-8", "surrogatepass"), "user")),
    "api-documented-2010": request_seed(CREDENTIALS, api="documented", doc=3),
    "api-documented-2014": request_seed(CREDENTIALS, api="documented", doc=11),
    "api-date": request_seed(dict(CREDENTIALS, api_version=b"2022x11x01"),
                          api="date"),
    "api-date-beta": request_seed(dict(CREDENTIALS, api_version=b"2016x01x14"),
                                  api="date-beta"),
    "api-raw-valid": request_seed(dict(CREDENTIALS,
                                       api_version=b"2030-12-31-beta"),
                                  api="raw"),
    "bad-api-short": request_seed(dict(CREDENTIALS, api_version=b"2022-11-1"),
                                  api="raw"),
    "bad-api-upper-beta": request_seed(dict(CREDENTIALS,
                                            api_version=b"2022-11-01-BETA"),
                                       api="raw"),
    "bad-api-letters": request_seed(dict(CREDENTIALS,
                                         api_version=b"20x2-11-01"),
                                    api="raw"),
    "bad-soap-version": request_seed(CREDENTIALS, soap=ODD),
    "bad-soap-version-negative": request_seed(CREDENTIALS, soap=ODD + 8),
    "bad-gzip-response": request_seed(CREDENTIALS, gzip=ODD),
    "bad-include-waiting-jobs": request_seed(CREDENTIALS, waiting=ODD + 13),
    "status-100": request_seed(CREDENTIALS, status=100),
    "status-599": request_seed(CREDENTIALS, status=599),
    "bad-status-99": request_seed(CREDENTIALS, status=99),
    "bad-status-600": request_seed(CREDENTIALS, status=600),
    "bad-status-negative": request_seed(CREDENTIALS, status=-200),
    "bad-status-int-min": request_seed(CREDENTIALS, status=0x8000),
    "bad-missing-app-name": request_seed(dict(CREDENTIALS, app_name=None)),
    "bad-overlong": request_seed(bad(b"a\xc0\xafb")),
    "bad-overlong-3": request_seed(bad(b"\xe0\x9f\xbf")),
    "bad-surrogate": request_seed(bad(b"\xed\xa0\x80", "company_handle")),
    "bad-above-max": request_seed(bad(b"\xf4\x90\x80\x80", "locale")),
    "bad-fffe": request_seed(bad(b"x\xef\xbf\xbe", "job_handle")),
    "bad-ffff": request_seed(bad(b"\xef\xbf\xbf", "saml_response")),
    "bad-lone-continuation": request_seed(bad(b"\x80", "access_token")),
    "bad-truncated-at-end": request_seed(bad(b"abc\xe2\x82", "app_version")),
    "bad-control": request_seed(bad(b"pass\x01word")),
    "bad-escape-char": request_seed(bad(b"\x1b[0m", "original_name")),
    "bad-control-1f": request_seed(bad(b"\x1f", "user")),
}
# The stream at a few more piece sizes: some leave a last piece of 1 byte.
for _piece in (2, 3, 5, 6, 10, 64):
    REQUEST_SEEDS["credentials-piece-%d" % _piece] = request_seed(
        CREDENTIALS, piece=_piece - 1, size=_piece * 7)


def write(directory, name, data):
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main():
    if not 2 <= len(sys.argv) <= 3:
        sys.exit("usage: make-corpus.py OUTDIR [CONFORMANCE_DIR]")
    outdir = sys.argv[1]
    conformance = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        ROOT, "tests", "conformance")
    if not os.path.isdir(os.path.join(conformance, "responses")):
        sys.exit("conformance data not found at " + conformance)
    out = {}
    for harness in ("decode", "chunks", "values", "arena", "request",
                    "collect"):
        out[harness] = os.path.join(outdir, harness)
        shutil.rmtree(out[harness], ignore_errors=True)
        os.makedirs(out[harness])

    seen = set()
    for name, doc in documents(conformance):
        if name in seen:  # tests/data and examples share a few names
            name = "conf-" + name
        seen.add(name)
        if len(doc) <= DECODE_MAX:
            write(out["decode"], name + ".xml", doc)
        if len(doc) <= SPLIT_MAX:
            # chunks: 14 option bytes (see fuzz/chunks.c), then the document;
            # one seed in four sets limits (byte 12).
            opt = bytearray(option_bytes("chunks/" + name, 14))
            if opt[12] & 0x30:
                opt[12] = 0
            write(out["chunks"], name, bytes(opt) + doc)
            # arena: option, arena size or failing allocation, chunk size.
            opt = option_bytes("arena/" + name, 4)
            write(out["arena"], name, opt + doc)
            # collect: 10 option bytes (see fuzz/collect.c); half the seeds
            # get an ample pool, one in four no caps.
            opt = bytearray(option_bytes("collect/" + name, 10))
            if opt[1] & 1:
                opt[0] |= 0x80
            if opt[1] & 6 == 0:
                opt[3:6] = b"\xff\xff\xff"
            write(out["collect"], name, bytes(opt) + doc)

    for index, table, number, literal in lexical_rows(conformance):
        opt = option_bytes("values/%s/%d" % (table, number), 5)
        # The two low bits of byte 0 select the lexer.
        first = (opt[0] & 0xfc) | index
        write(out["values"], "%s-%03d" % (table, number),
              bytes([first]) + opt[1:] + literal)

    for name, data in sorted(REQUEST_SEEDS.items()):
        write(out["request"], name, data)

    for harness, directory in sorted(out.items()):
        files = os.listdir(directory)
        total = sum(os.path.getsize(os.path.join(directory, f)) for f in files)
        print("%-7s %4d files %8d bytes" % (harness, len(files), total))


if __name__ == "__main__":
    main()
