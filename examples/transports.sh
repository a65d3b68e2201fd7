#!/bin/sh
# transports.sh -- the transport examples against examples/server.py on
# 127.0.0.1, sending requests the library writes: socket and curl (when
# built) over chunked, Content-Length, close-delimited, gzip, fault, error
# and truncated responses, and ringbuffer's modem over Content-Length and
# close, in SOAP 1.1 and 1.2; right, wrong and missing credentials (exit 3
# and the authenticationFault printed), faultHttpStatusCode, companyHandle
# and jobHandle filters, a request the library refuses (exit 2, nothing
# sent); their task lines checked against what tpdump decodes from the
# same sample, stderr empty on success. Then server.py's own checks, that
# examples/request.xml is what the library writes for its fields, and
# ringbuffer on files, whose output must not depend on how the bytes
# trickle in.
#
# Environment (set by make check): srcdir, abs_top_builddir, PYTHON3,
# TPDUMP, CONFORMANCE_DIR (default $srcdir/tests/conformance), VALGRIND
# (empty: the zero-heap check cannot run), CFLAGS (nor in a sanitizer or
# coverage build). Exit: 0 pass, 1 fail, 77 skip (no python3, or a check
# that could not run here: no curl example, no valgrind, a sanitizer or
# coverage build).

set -u
srcdir=${srcdir:-.}
builddir=${abs_top_builddir:-.}
TPDUMP=${TPDUMP:-$builddir/tools/tpdump}
PY=${PYTHON3:-}
sample=$srcdir/examples/sample-response.xml
socket=$builddir/examples/socket
curl=$builddir/examples/curl
ringbuffer=$builddir/examples/ringbuffer

if test -z "$PY" || ! "$PY" -c 'import http.server, gzip, json' >/dev/null 2>&1; then
  echo "python3 not found by configure (install python3; examples/server.py needs it): skipped"
  exit 77
fi
for prog in "$TPDUMP" "$socket" "$ringbuffer"; do
  if test ! -x "$prog"; then
    echo "FAIL: $prog is not built"
    exit 1
  fi
done
have_curl=no
test -x "$curl" && have_curl=yes
# libcurl honours proxy variables: here everything must go straight to
# 127.0.0.1.
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY
NO_PROXY=127.0.0.1
no_proxy=127.0.0.1
export NO_PROXY no_proxy

tmp=$(mktemp -d "${TMPDIR:-/tmp}/transports.XXXXXX") || exit 1
# pass, fail, not_checked, run, expect, lines, start_server, stop_server,
# summary
. "$srcdir/tests/lib.sh"
trap 'stop_server; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# ---------------------------------------------------------------- expected

# The lines every example prints for the sample, built from tpdump's JSON:
# job handle (as known when the task ends: "-" if the job gives it after
# its tasks), task type, state, progress in percent; "-" for absent or
# empty values, control characters as "?".
"$TPDUMP" --format=json "$sample" >"$tmp/sample.json" 2>"$tmp/err" || {
  echo "FAIL: tpdump cannot decode $sample"
  cat "$tmp/err"
  exit 1
}
"$PY" - "$tmp/sample.json" >"$tmp/expected" <<'EOF' || exit 1
import json, re, sys

def text(v):
    if v is None or v == "":
        return "-"
    return re.sub(r"[\x00-\x1f\x7f]", "?", v)

for line in open(sys.argv[1], encoding="utf-8"):
    job = json.loads(line)
    keys = list(job)
    handle = None
    if "jobHandle" in keys and ("taskProgressArray" not in keys or
            keys.index("jobHandle") < keys.index("taskProgressArray")):
        handle = job["jobHandle"]
    for task in job.get("taskProgressArray", []):
        p = task.get("progress")
        progress = "-" if p is None else "%.1f%%" % (float(p) * 100.0)
        print("\t".join((text(handle), text(task.get("taskType")),
                         text(task.get("taskState")), progress)))
EOF
tasks=$(grep -c '<taskType>' "$sample")
if test "$(lines "$tmp/expected")" -eq "$tasks" && test "$tasks" -gt 0; then
  pass "tpdump gives $tasks task lines for the sample"
else
  fail "tpdump gives $(wc -l <"$tmp/expected") task lines, the sample has $tasks tasks"
fi
head -n 1 "$tmp/expected" >"$tmp/expected-first"
: >"$tmp/empty"
printf 'fault\tsoapenv:Server\tipsApiFault\tipsApiFault\t30001\tInvalid jobHandle: j|999\n' \
  >"$tmp/expected-fault"
printf 'fault\tenv:Receiver\tipsApiFault\tipsApiFault\t30001\tInvalid jobHandle: j|999\n' \
  >"$tmp/expected-fault12"

# The server's credentials, and so the examples': XML metacharacters,
# "]]>" and non-ASCII, so that every request also checks the escaping.
IPS_USER='o&<"u">]]>'
IPS_PASSWORD="p'&amp;<![CDATA[ \303\251t\303\251"
IPS_PASSWORD=$(printf '%b' "$IPS_PASSWORD")
export IPS_USER IPS_PASSWORD
unset IPS_COMPANY IPS_JOB IPS_SOAP_VERSION IPS_API_VERSION IPS_FAULT_HTTP_STATUS
printf 'fault\tsoapenv:Client\tAuthenticationException\tauthenticationFault\t10000\tInvalid user name or password for %s\n' \
  "$IPS_USER" >"$tmp/expected-auth"
printf 'fault\tenv:Sender\tAuthenticationException\tauthenticationFault\t10000\tInvalid user name or password for %s\n' \
  "$IPS_USER" >"$tmp/expected-auth12"
printf 'fault\tsoapenv:Client\tAuthenticationException\tauthenticationFault\t10001\tMissing credentials: user and password are required\n' \
  >"$tmp/expected-nocred"

# ---------------------------------------------------------------- server

# It runs until the end of the server checks below (stop_server there),
# however long the clients take.
start_server --user "$IPS_USER" --password "$IPS_PASSWORD" \
  --response "$sample" || { echo "FAIL: server.py did not start"; exit 1; }
base="http://127.0.0.1:$port"
echo "# server.py on $base"

# ---------------------------------------------------------------- clients

# clean WHAT RC FILE CMD...: expect, and on success nothing on stderr.
clean() {
  before=$failed
  expect "$@"
  if test "$failed" -eq "$before" && test "$2" -eq 0 && test -s "$tmp/err"; then
    fail "$1: stderr not empty"
  fi
}

# requests: how many requests the server has logged.
requests() {
  grep -c '"POST ' "$tmp/server.log"
}

# request_checks NAME PATH CMD...: what every example must do with the
# request it sends to PATH (a path whose framing CMD handles).
request_checks() {
  name=$1
  path=$2
  shift 2
  clean "$name $path, SOAP 1.2" 0 "$tmp/expected" \
    env IPS_SOAP_VERSION=1.2 "$@" "$base/$path"
  if tail -n 1 "$tmp/server.log" | grep -q ' SOAP 1.2$'; then
    pass "$name $path: the server saw a SOAP 1.2 request"
  else
    fail "$name $path: the server did not see a SOAP 1.2 request"
  fi
  clean "$name $path, API version 2014-04-03" 0 "$tmp/expected" \
    env IPS_API_VERSION=2014-04-03 "$@" "$base/$path"
  expect "$name wrong password: exit 3" 3 "$tmp/expected-auth" \
    env IPS_PASSWORD=wrong "$@" "$base/$path"
  expect "$name wrong password, SOAP 1.2: exit 3" 3 "$tmp/expected-auth12" \
    env IPS_PASSWORD=wrong IPS_SOAP_VERSION=1.2 "$@" "$base/$path"
  expect "$name no credentials: exit 3" 3 "$tmp/expected-nocred" \
    env -u IPS_USER -u IPS_PASSWORD "$@" "$base/$path"
  # The fault comes with HTTP 200: only the body says it is one.
  expect "$name faultHttpStatusCode 200: exit 3" 3 "$tmp/expected-auth" \
    env IPS_PASSWORD=wrong IPS_FAULT_HTTP_STATUS=200 "$@" "$base/$path"
  if tail -n 2 "$tmp/server.log" | grep -q 'authenticationFault 10000.*(HTTP 200)' &&
      tail -n 1 "$tmp/server.log" | grep -q '" 200 - SOAP 1.1$'; then
    pass "$name faultHttpStatusCode 200: the server answered the fault with 200"
  else
    fail "$name faultHttpStatusCode 200: not answered with HTTP 200"
  fi
  clean "$name companyHandle of the jobs: all tasks" 0 "$tmp/expected" \
    env IPS_COMPANY='c|2384' "$@" "$base/$path"
  clean "$name companyHandle of no job: no tasks" 0 "$tmp/empty" \
    env IPS_COMPANY='c|1' "$@" "$base/$path"
  clean "$name jobHandle of the upload job: its tasks" 0 "$tmp/expected" \
    env IPS_JOB='j|2384||upload|88120417' "$@" "$base/$path"
  clean "$name jobHandle of the publish job: no tasks" 0 "$tmp/empty" \
    env IPS_JOB='j|2384||publish|88120433' IPS_SOAP_VERSION=1.2 "$@" "$base/$path"
  if tail -n 2 "$tmp/server.log" | grep -q 'jobs: 1 of 2'; then
    pass "$name jobHandle: the server kept 1 job of 2"
  else
    fail "$name jobHandle: the server did not narrow the jobs to 1 of 2"
  fi
  # Refused by the library: named, exit 2, and nothing reaches the server.
  n=$(requests)
  expect "$name invalid UTF-8 password: exit 2" 2 "$tmp/empty" \
    env IPS_PASSWORD="$(printf 'ab\377')" "$@" "$base/$path"
  if grep -q 'IPS_PASSWORD: the library refuses the request.s password' "$tmp/err" &&
      test "$(requests)" -eq "$n"; then
    pass "$name invalid UTF-8 password: named on stderr, nothing sent"
  else
    fail "$name invalid UTF-8 password: not named, or sent ($n, $(requests) requests)"
  fi
  expect "$name control character in IPS_COMPANY: exit 2" 2 "$tmp/empty" \
    env IPS_COMPANY="$(printf 'c\0331')" "$@" "$base/$path"
  expect "$name IPS_FAULT_HTTP_STATUS=99: exit 2" 2 "$tmp/empty" \
    env IPS_FAULT_HTTP_STATUS=99 "$@" "$base/$path"
  expect "$name IPS_SOAP_VERSION=1.3: exit 2" 2 "$tmp/empty" \
    env IPS_SOAP_VERSION=1.3 "$@" "$base/$path"
}

# client NAME PROG: the checks both HTTP clients must pass.
client() {
  name=$1
  prog=$2
  clean "$name /chunked" 0 "$tmp/expected" "$prog" "$base/chunked"
  clean "$name /trickle (103 first, every line split)" 0 "$tmp/expected" \
    "$prog" "$base/trickle"
  clean "$name /length" 0 "$tmp/expected" "$prog" "$base/length"
  clean "$name /close" 0 "$tmp/expected" "$prog" "$base/close"
  clean "$name /trickle, SOAP 1.2" 0 "$tmp/expected" \
    env IPS_SOAP_VERSION=1.2 "$prog" "$base/trickle"
  clean "$name --max-tasks=1 stops early" 0 "$tmp/expected-first" \
    "$prog" --max-tasks=1 "$base/chunked"
  request_checks "$name" chunked "$prog"

  expect "$name /fault: exit 3" 3 "$tmp/expected-fault" "$prog" "$base/fault"
  expect "$name /fault, SOAP 1.2: exit 3" 3 "$tmp/expected-fault12" \
    env IPS_SOAP_VERSION=1.2 "$prog" "$base/fault"
  expect "$name wrong password on /trickle: exit 3" 3 "$tmp/expected-auth" \
    env IPS_PASSWORD=wrong "$prog" "$base/trickle"

  # Cut after the first task: it is printed, then the error.
  expect "$name /truncated: exit 1" 1 "$tmp/expected-first" \
    "$prog" "$base/truncated"
  if grep -q 'input ended before the document did' "$tmp/err"; then
    pass "$name /truncated: the decoder says the input ended"
  else
    fail "$name /truncated: no truncation message"
  fi

  expect "$name /error (HTML, HTTP 503): exit 1" 1 "$tmp/empty" \
    "$prog" "$base/error"
  if grep -q 'HTTP 503: invalid response' "$tmp/err"; then
    pass "$name /error: the status and the decoder's error are reported"
  else
    fail "$name /error: no 'HTTP 503: invalid response' message"
  fi

  # Port 1 on the loopback: nothing listens there.
  expect "$name connection refused: exit 2" 2 "$tmp/empty" \
    "$prog" "http://127.0.0.1:1/"
  expect "$name usage error: exit 2" 2 "$tmp/empty" "$prog"
}

client socket "$socket"
# We asked for identity: the server must not have compressed.
clean "socket /gzip (asks for identity)" 0 "$tmp/expected" "$socket" "$base/gzip"
if grep -q 'gzip not accepted' "$tmp/server.log" && ! grep -q 'gzip:' "$tmp/server.log"; then
  pass "socket /gzip: the response came uncompressed"
else
  fail "socket /gzip: the server compressed although socket asked for identity"
fi
expect "socket ftp:// URL refused: exit 2" 2 "$tmp/empty" "$socket" "ftp://127.0.0.1/"

if test "$have_curl" = yes; then
  client curl "$curl"
  clean "curl /gzip" 0 "$tmp/expected" "$curl" "$base/gzip"
  if grep -q 'gzip:' "$tmp/server.log"; then
    pass "curl /gzip: the response came compressed and was inflated"
  else
    fail "curl /gzip: the server did not compress"
  fi
else
  not_checked "the curl example" "not built (libcurl not found by configure: install libcurl4-openssl-dev)"
fi

# The ring buffer behind a modem: plain framing only.
clean "ringbuffer /length" 0 "$tmp/expected" "$ringbuffer" --seed=11 "$base/length"
clean "ringbuffer /close, SOAP 1.2" 0 "$tmp/expected" \
  env IPS_SOAP_VERSION=1.2 "$ringbuffer" --seed=12 "$base/close"
request_checks ringbuffer length "$ringbuffer" --seed=13
expect "ringbuffer /chunked: exit 2" 2 "$tmp/empty" \
  "$ringbuffer" "$base/chunked"
if grep -q 'Transfer-Encoding' "$tmp/err"; then
  pass "ringbuffer /chunked: the modem says it does not de-chunk"
else
  fail "ringbuffer /chunked: no Transfer-Encoding message"
fi

# zero_heap WHAT ARGS...: ringbuffer under valgrind allocates nothing at
# all, in the whole process, and prints the sample's lines.
zero_heap() {
  what=$1
  shift
  if test -z "${VALGRIND:-}"; then
    not_checked "ringbuffer under valgrind, $what" "${TP_VALGRIND_MISSING:-valgrind not found by configure (install valgrind)}"
    return
  fi
  case "${CFLAGS:-}" in
    *-fsanitize=*)
      not_checked "ringbuffer under valgrind, $what" "a sanitizer build, which valgrind cannot run"
      return ;;
    *--coverage*|*-fprofile-arcs*)
      not_checked "ringbuffer under valgrind, $what" "a coverage build, whose gcov runtime allocates as the program exits"
      return ;;
  esac
  "$builddir/libtool" --mode=execute "$VALGRIND" --error-exitcode=99 \
    "$ringbuffer" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  heap=$(grep -o 'total heap usage: [0-9,]* allocs' "$tmp/err")
  if test "$rc" -eq 0 && test "$heap" = "total heap usage: 0 allocs" &&
      cmp -s "$tmp/out" "$tmp/expected"; then
    pass "ringbuffer under valgrind, $what: $heap"
  else
    fail "ringbuffer under valgrind, $what: exit $rc, ${heap:-no heap summary}"
  fi
}
zero_heap "request streamed to the server, response from it" --seed=5 "$base/length"

# ---------------------------------------------------------------- the server

# server.py is the judge of the requests above: it must refuse what IPS
# would. Each case: the request (the library's, edited), what comes back.
"$socket" --print-request >"$tmp/request11.xml" 2>"$tmp/err" &&
  env IPS_SOAP_VERSION=1.2 "$socket" --print-request >"$tmp/request12.xml" 2>>"$tmp/err" ||
  fail "socket --print-request"
"$PY" - "$port" "$tmp/request11.xml" "$tmp/request12.xml" >"$tmp/strict" 2>&1 <<'EOF'
import http.client, re, sys

port = int(sys.argv[1])
r11 = open(sys.argv[2], "rb").read()
r12 = open(sys.argv[3], "rb").read()
T11 = "text/xml; charset=utf-8"
T12 = 'application/soap+xml; charset=utf-8; action="getActiveJobs"'
A = {"SOAPAction": '"getActiveJobs"'}
IPS = b"http://www.scene7.com/IpsApi/xsd"

def post(body, ctype, extra=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": ctype}
    headers.update(extra or {})
    c.request("POST", "/length", body, headers)
    r = c.getresponse()
    return r.status, r.getheader("Content-Type", ""), r.read().decode("utf-8")

def code(text):
    m = re.search(r"<code>(\d+)</code>", text)
    return m and int(m.group(1))

cases = [
    # (what, body, content type, headers, status, IPS code or None)
    ("the library's SOAP 1.1 request", r11, T11, A, 200, None),
    ("the library's SOAP 1.2 request", r12, T12, None, 200, None),
    ("SOAP 1.1 without SOAPAction", r11, T11, None, 400, None),
    ("SOAP 1.1 with another SOAPAction", r11, T11, {"SOAPAction": "getJobLogs"}, 400, None),
    ("SOAP 1.2 without action", r12, "application/soap+xml; charset=utf-8", None, 400, None),
    ("SOAP 1.1 envelope as application/soap+xml", r11, T12, None, 415, None),
    ("SOAP 1.2 envelope as text/xml", r12, T11, A, 415, None),
    ("application/xml", r11, "application/xml", A, 415, None),
    ("not well-formed", r11[:-30], T11, A, 500, 30003),
    ("SOAP 1.2, not well-formed: a SOAP 1.2 fault", r12[:-30], T12, None, 500, 30003),
    ("authHeader in the versioned namespace",
     r11.replace(b'xmlns:a="' + IPS + b'"', b'xmlns:a="' + IPS + b'/2022-11-01-beta"'), T11, A, 500, 30003),
    ("getActiveJobsParam outside IPS's namespaces",
     r11.replace(b'xmlns:ips="' + IPS, b'xmlns:ips="urn:x'), T11, A, 500, 30003),
    ("an unknown authHeader element",
     r11.replace(b"<a:locale>", b"<a:role>x</a:role><a:locale>"), T11, A, 500, 30003),
    ("no appName", re.sub(rb"<a:appName>.*?</a:appName>", b"", r11), T11, A, 500, 30002),
    ("faultHttpStatusCode 200 and no appName",
     re.sub(rb"<a:appName>.*?</a:appName>", b"<a:faultHttpStatusCode>200</a:faultHttpStatusCode>", r11),
     T11, A, 200, 30002),
]
bad = 0
for what, body, ctype, extra, status, ips in cases:
    got, rtype, text = post(body, ctype, extra)
    ok = got == status and (ips is None or code(text) == ips)
    if ips is not None:
        # A fault in the version asked, with its media type.
        v12 = ctype.startswith("application/soap+xml")
        ok = ok and rtype.startswith("application/soap+xml" if v12 else "text/xml")
        ok = ok and (("<env:Code><env:Value>env:Receiver" in text) if v12
                     else ("<faultcode>soapenv:Server</faultcode>" in text))
    print("%s - server.py, %s: HTTP %d%s" % ("ok" if ok else "FAIL", what, got,
          "" if ips is None else ", code %s" % code(text)))
    bad += not ok
sys.exit(1 if bad else 0)
EOF
strict_rc=$?
sed 's/^/# /' "$tmp/strict"
if test "$strict_rc" -eq 0 && grep -q '^ok' "$tmp/strict"; then
  pass "server.py refuses what IPS would ($(grep -c '^ok' "$tmp/strict") cases)"
else
  fail "server.py: $(grep -c '^FAIL' "$tmp/strict") cases answered wrongly"
fi

# examples/request.xml is what the library writes for its fields: the
# same elements, namespaces and text, only indented and commented.
env IPS_USER=user@example.com IPS_PASSWORD=password "$socket" --print-request \
  >"$tmp/request.xml" 2>"$tmp/err"
if "$PY" - "$srcdir/examples/request.xml" "$tmp/request.xml" <<'EOF'
import sys
import xml.etree.ElementTree as ET
a, b = (ET.canonicalize(from_file=f, strip_text=True, rewrite_prefixes=True)
        for f in sys.argv[1:3])
sys.exit(a != b)
EOF
then
  pass "examples/request.xml is what tp_request_write() writes for its fields"
else
  fail "examples/request.xml differs from what tp_request_write() writes"
fi

stop_server
# The refusals are those of the strict cases, 6 of them: no example's
# request was refused, and no fault but those asked for was answered.
if test "$(grep -c 'bad request' "$tmp/server.log")" -ne 6 ||
    grep 'fault: ' "$tmp/server.log" | grep -v 'authenticationFault 1000[01]\|as asked\|ipsApiFault 3000[23]' |
    grep -q .; then
  fail "server.py refused a request, or answered an unexpected fault"
  grep 'bad request\|fault: ' "$tmp/server.log" | sed 's/^/#   /' | head -n 20
else
  pass "server.py accepted every example's request as a getActiveJobs SOAP request"
fi

# ---------------------------------------------------------------- ringbuffer

expect "ringbuffer --whole" 0 "$tmp/expected" "$ringbuffer" --whole "$sample"

# same_as_whole WHAT FILE SEED: through the ring, stdout, stderr and exit
# status equal those of the one-piece decode.
same_as_whole() {
  "$ringbuffer" --whole "$2" >"$tmp/whole.out" 2>"$tmp/whole.err"
  whole_rc=$?
  "$ringbuffer" --seed="$3" "$2" >"$tmp/ring.out" 2>"$tmp/ring.err"
  ring_rc=$?
  test "$whole_rc" -eq "$ring_rc" && test "$whole_rc" -ne 2 &&
    cmp -s "$tmp/whole.out" "$tmp/ring.out" &&
    cmp -s "$tmp/whole.err" "$tmp/ring.err"
}

for seed in 1 2 3 12345 4294967295; do
  if same_as_whole sample "$sample" "$seed" && cmp -s "$tmp/ring.out" "$tmp/expected"; then
    pass "ringbuffer --seed=$seed: same output as the one-piece decode"
  else
    fail "ringbuffer --seed=$seed: output differs from the one-piece decode"
    diff "$tmp/whole.out" "$tmp/ring.out" | sed 's/^/#   /' | head -n 10
  fi
done

head -c 3000 "$sample" >"$tmp/cut.xml"
if same_as_whole truncated "$tmp/cut.xml" 7 && test "$ring_rc" -eq 1 &&
    grep -q 'input ended' "$tmp/ring.err"; then
  pass "ringbuffer, truncated sample: exit 1, same output and error as whole"
else
  fail "ringbuffer, truncated sample: exit $ring_rc, or differs from whole"
fi

run "$ringbuffer" --stats --seed=99 "$sample"
if test "$rc" -eq 0 && grep -q 'stalls; arena high water' "$tmp/err"; then
  pass "ringbuffer --stats: $(sed 's/^ringbuffer: //' "$tmp/err")"
else
  fail "ringbuffer --stats: exit $rc"
fi

# Every conformance response (valid, fault, bad value, malformed), each
# with its own seed.
conf=${CONFORMANCE_DIR:-$srcdir/tests/conformance}
n=0
bad=
for f in "$conf"/examples/*.xml "$conf"/responses/*.xml; do
  n=$((n + 1))
  same_as_whole "$(basename "$f")" "$f" "$n" || bad="$bad $(basename "$f")"
done
if test -z "$bad" && test -d "$conf/responses"; then
  pass "ringbuffer: same output as the one-piece decode on $n conformance files"
else
  fail "ringbuffer differs from the one-piece decode on $n conformance files:$bad"
fi
expect "ringbuffer on fault-soap11.xml: exit 3" 3 "$tmp/expected-fault" \
  "$ringbuffer" "$conf/examples/fault-soap11.xml"

# No heap at all: valgrind counts the allocations of the whole process.
zero_heap "a file" --seed=5 "$sample"

summary
