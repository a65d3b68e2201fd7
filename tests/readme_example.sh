#!/bin/sh
# readme_example.sh -- the complete program of the raw callbacks
# (docs/embedding.md, which the README leads to) compiles warning-free
# against the library, prints each task of the sample, and copes with what
# servers may send: faults, repeated fields, NaN, INF and out-of-range
# progress, states it does not know, invalid documents. The examples of
# "Sending the request" (docs/request.md) compile warning-free too and work
# against examples/server.py: the libcurl client (when libcurl is found)
# in both SOAP versions, with right and wrong credentials, and what the
# streaming example writes, sent as it is. Exit 77 (skip) when a part cannot
# run here (no libcurl, no python3) and nothing failed.
set -u
srcdir=${srcdir:-.}
tmp=$(mktemp -d) || exit 1
PY=${PYTHON3:-}
# not_checked, start_server, stop_server
. "$srcdir/tests/lib.sh"
trap 'stop_server; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
# The ```c block of docs/embedding.md that holds main(void).
awk '/^```c$/ {inblock=1; buf=""; next}
     /^```$/ && inblock {inblock=0; if (buf ~ /main\(void\)/) printf "%s", buf; next}
     inblock {buf = buf $0 "\n"}' "$srcdir/docs/embedding.md" > "$tmp/prog.c"
[ -s "$tmp/prog.c" ] || { echo "no example program found in docs/embedding.md"; exit 1; }
# shellcheck disable=SC2086
${CC:-cc} ${CFLAGS:-} -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror \
  -I"$srcdir/include" "$tmp/prog.c" "$abs_top_builddir/lib/.libs/libtaskprogress.a" \
  ${EXPAT_LIBS:--lexpat} -o "$tmp/prog" || { echo "the example of docs/embedding.md does not compile"; exit 1; }

failures=0
# check NAME EXIT EXPECTED_STDOUT [INPUT_FILE, default $tmp/in]
check() {
  "$tmp/prog" < "${4:-$tmp/in}" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  if [ "$rc" -ne "$2" ] || [ "$(cat "$tmp/out")" != "$3" ]; then
    echo "FAIL: $1: exit $rc (expected $2), output:"
    cat "$tmp/out" "$tmp/err"
    echo "expected:"
    echo "$3"
    failures=$((failures + 1))
  else
    echo "ok: $1"
  fi
}

# A response whose one job holds the tasks given as $1.
response() {
  printf '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
  printf '<getActiveJobsReturn xmlns="http://www.scene7.com/IpsApi/xsd/2013-02-15">'
  printf '<jobArray><items><progress>50</progress><taskProgressArray>%s' "$1"
  printf '</taskProgressArray></items></jobArray></getActiveJobsReturn></s:Body></s:Envelope>'
}
task() { # type state-element progress-element
  printf '<items><taskType>%s</taskType>%s%s</items>' "$1" "$2" "$3"
}

check "the sample" 0 'com.scene7.upload.UploadAsyncTaskMonitor [Processing] 40%
com.scene7.publish.PublishTaskMonitor [New] 0%' "$srcdir/examples/sample-response.xml"

# Regression: a Fault is TP_OK for the decoder; the example printed
# nothing and exited 0.
check "SOAP 1.1 fault with an ipsApiFault" 3 \
  'fault: Invalid jobHandle: j|999 & more (code 30001)' "$srcdir/tests/data/fault-soap11.xml"
check "SOAP 1.2 fault with an authorizationFault" 3 \
  'fault: User is not authorized for company c|111 (code 20002)' "$srcdir/tests/data/fault-soap12.xml"
printf '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault><faultcode>e:Server</faultcode><faultstring>Server busy</faultstring></e:Fault></e:Body></e:Envelope>' \
  > "$tmp/in"
check "fault without an IPS detail" 3 'fault: Server busy'
check "bare ipsApiFault (AEM's proxy)" 3 'fault: Missing parameter: companyHandle (code 30002)' \
  "$srcdir/tests/data/bare-ipsApiFault.xml"

check "bare getActiveJobsReturn (AEM's proxy)" 0 \
  'com.scene7.upload.UploadAsyncTaskMonitor [Processing] 40%' "$srcdir/tests/data/bare-getActiveJobsReturn.xml"

# Regression: a repeated field printed "firstsecond".
response "$(task first '' '<progress>0.25</progress>' | sed 's|</items>|<taskType>second</taskType></items>|')" \
  > "$tmp/in"
check "repeated taskType: the later value" 0 'second [-] 25%'
response "$(task t '<taskState>New</taskState><taskState>Done</taskState>' '<progress>1</progress>')" \
  > "$tmp/in"
check "repeated taskState" 0 't [Done] 100%'

# Regression: NaN and INF printed as "nan%" and "inf%".
response "$(task a '' '<progress>NaN</progress>')$(task b '' '<progress>INF</progress>')$(task c '' \
  '<progress>-INF</progress>')$(task d '' '<progress>1.5</progress>')$(task e '' \
  '<progress>-0.1</progress>')$(task f '' '')$(task g '' '<progress>1.0E-1</progress>')" \
  > "$tmp/in"
check "NaN, INF, out of range, absent progress" 0 'a [-] progress unknown
b [-] progress unknown
c [-] progress unknown
d [-] progress unknown
e [-] progress unknown
f [-] progress unknown
g [-] 10%'

# Regression: tp_task_state_name(OTHER) is "", so "-" never showed.
response "$(task a '<taskState>Paused</taskState>' '')$(task b '<taskState/>' '')$(task c '' '')" \
  > "$tmp/in"
check "unknown, empty and absent taskState" 0 'a [Paused] progress unknown
b [-] progress unknown
c [-] progress unknown'

# An invalid response gives exit 1 with a positioned message.
printf '<Envelope/>' > "$tmp/in"
check "a non-SOAP document" 1 ''
grep -q '^error: 1:0: not a SOAP response: root element <Envelope> with no namespace' "$tmp/err" \
  || { echo "FAIL: message"; cat "$tmp/err"; failures=$((failures + 1)); }
printf '<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>' > "$tmp/in"
check "an HTML error page" 1 ''
grep -q '^error: 1:14: not a SOAP response: root element <html> (byte 14)$' "$tmp/err" \
  || { echo "FAIL: message"; cat "$tmp/err"; failures=$((failures + 1)); }

# ------------------------------------------------ "Sending the request"

# block PATTERN: the ```c block of docs/request.md that matches PATTERN.
block() {
  awk -v pat="$1" '/^```c$/ {inblock=1; buf=""; next}
       /^```$/ && inblock {inblock=0; if (buf ~ pat) printf "%s", buf; next}
       inblock {buf = buf $0 "\n"}' "$srcdir/docs/request.md"
}
# build NAME SOURCE [LIBS...]: compiled as the first example is.
build() {
  name=$1
  src=$2
  shift 2
  # shellcheck disable=SC2086
  ${CC:-cc} ${CFLAGS:-} -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror \
    -I"$srcdir/include" "$src" "$abs_top_builddir/lib/.libs/libtaskprogress.a" \
    ${EXPAT_LIBS:--lexpat} "$@" -o "$tmp/$name"
}
# bad NAME: counts a failure, showing the last run's output.
bad() {
  echo "FAIL: $1"
  cat "$tmp/out" "$tmp/err"
  failures=$((failures + 1))
}

# The summary of the API redeclares the header's functions: a declaration
# that drifts from the header is a conflicting-types error.
block 'tp_request_header\\(const tp_request' > "$tmp/summary.c"
# shellcheck disable=SC2086
if [ ! -s "$tmp/summary.c" ] || ! ${CC:-cc} ${CFLAGS:-} -std=c11 -Wall -Wextra -Werror \
    -I"$srcdir/include" -c "$tmp/summary.c" -o "$tmp/summary.o"; then
  echo "FAIL: the request API summary in docs/request.md is not the header's"
  failures=$((failures + 1))
fi
block 'tp_request_stream\\(&request, piece' > "$tmp/stream.c"
block 'curl_easy_perform' > "$tmp/curl.c"
if [ ! -s "$tmp/stream.c" ] || [ ! -s "$tmp/curl.c" ]; then
  echo "FAIL: the examples of \"Sending the request\" are not in docs/request.md"
  failures=$((failures + 1))
fi
# The streaming example, with a link that is standard output.
cat "$tmp/stream.c" - > "$tmp/stream-main.c" <<'EOF'
#include <stdlib.h>

int
link_write(const char *bytes, size_t n) {
  return fwrite(bytes, 1, n, stdout) != n;
}

int
main(int argc, char **argv) {
  (void)argc;
  return post_get_active_jobs(argv[1], "/length", getenv("IPS_USER"),
                              getenv("IPS_PASSWORD")) == 0 ? 0 : 2;
}
EOF
build stream "$tmp/stream-main.c" || { echo "FAIL: the streaming example does not compile"; failures=$((failures + 1)); }

# configure's libcurl, not the build machine's pkg-config: when cross
# building, that one describes another architecture.
case ${TP_HAVE_CURL:-} in
yes)
  # shellcheck disable=SC2086
  build curl "$tmp/curl.c" ${CURL_CFLAGS:-} ${CURL_LIBS:-} ||
    { echo "FAIL: the libcurl example does not compile"; failures=$((failures + 1)); } ;;
no) not_checked "the libcurl example" "configure found no libcurl (install libcurl4-openssl-dev)" ;;
*) not_checked "the libcurl example" "run through make check, which says whether configure found libcurl" ;;
esac

if [ -z "$PY" ]; then
  not_checked "the request examples against examples/server.py" "python3 not found by configure (install python3)"
elif ! start_server; then
  bad "server.py did not start"
else
  unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY
  NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
  export NO_PROXY no_proxy
  # The server's default credentials (those of examples/request.xml).
  IPS_USER=user@example.com IPS_PASSWORD=password
  export IPS_USER IPS_PASSWORD
  unset IPS_COMPANY IPS_SOAP_VERSION
  base="http://127.0.0.1:$port"

  # What the streaming example wrote goes to the server as it is: it
  # must answer 200 with the sample, unchanged.
  if [ -x "$tmp/stream" ]; then
    "$tmp/stream" "127.0.0.1:$port" > "$tmp/request.http" 2> "$tmp/err" || bad "the streaming example: exit $?"
    "$PY" - "$port" "$tmp/request.http" "$srcdir/examples/sample-response.xml" > "$tmp/out" 2>&1 <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(open(sys.argv[2], "rb").read())
raw = b""
while True:
    data = s.recv(65536)
    if not data:
        break
    raw += data
head, _, body = raw.partition(b"\r\n\r\n")
print(head.split(b"\r\n")[0].decode())
sys.exit(0 if head.startswith(b"HTTP/1.1 200 ") and body == open(sys.argv[3], "rb").read() else 1)
EOF
    if [ $? -eq 0 ]; then
      echo "ok: the streaming example's request: $(cat "$tmp/out"), the sample"
    else
      bad "the streaming example's request was not answered with the sample"
    fi
  fi

  if [ -x "$tmp/curl" ]; then
    tasks='com.scene7.upload.UploadAsyncTaskMonitor
com.scene7.publish.PublishTaskMonitor'
    # answer WHAT EXIT EXPECTED_STDOUT PATH [VAR=VALUE...]: stderr empty
    # on success too.
    answer() {
      what=$1 want_rc=$2 want=$3 path=$4
      shift 4
      env "$@" "$tmp/curl" "$base$path" > "$tmp/out" 2> "$tmp/err"
      rc=$?
      if [ "$rc" -ne "$want_rc" ] || [ "$(cat "$tmp/out")" != "$want" ] ||
          { [ "$want_rc" -eq 0 ] && [ -s "$tmp/err" ]; }; then
        bad "the libcurl example, $what: exit $rc (expected $want_rc)"
      else
        echo "ok: the libcurl example, $what"
      fi
    }
    answer "SOAP 1.1" 0 "$tasks" /chunked
    answer "SOAP 1.2" 0 "$tasks" /trickle IPS_SOAP_VERSION=1.2
    tail -n 1 "$tmp/server.log" | grep -q ' SOAP 1.2$' || bad "the server did not see a SOAP 1.2 request"
    answer "companyHandle of no job" 0 "" /length 'IPS_COMPANY=c|1'
    answer "wrong password: the authenticationFault" 3 \
      'fault 10000: Invalid user name or password for user@example.com' /chunked IPS_PASSWORD=wrong
    answer "wrong password, SOAP 1.2" 3 \
      'fault 10000: Invalid user name or password for user@example.com' /close IPS_PASSWORD=wrong IPS_SOAP_VERSION=1.2
    answer "an ipsApiFault" 3 'fault 30001: Invalid jobHandle: j|999' /fault
    answer "an HTML error page" 1 "" /error
    # curl sees the connection close inside a chunk: a failed transfer.
    answer "a truncated response" 2 'com.scene7.upload.UploadAsyncTaskMonitor' /truncated
    answer "invalid UTF-8 in the password" 2 "" /chunked "IPS_PASSWORD=$(printf 'a\377')"
    grep -q 'the request cannot carry its password' "$tmp/err" || bad "no message naming the password"
  fi
  stop_server
fi

if [ "$failures" -ne 0 ]; then
  echo "docs examples: $failures failures"
  exit 1
fi
if [ "$unchecked" -ne 0 ]; then
  echo "docs examples: skipped: $unchecked parts could not run here (the # SKIP lines say why)"
  exit 77
fi
echo "docs examples: ok"
