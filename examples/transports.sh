#!/bin/sh
# transports.sh -- the transport examples against examples/server.py on
# 127.0.0.1: socket and curl (when built) over chunked, Content-Length,
# close-delimited, gzip, fault, error and truncated responses, their task
# lines checked against what tpdump decodes from the same sample; and
# ringbuffer, whose output must not depend on how the bytes trickle in.
#
# Environment (set by make check): srcdir, abs_top_builddir, PYTHON3,
# TPDUMP, CONFORMANCE_DIR (default $srcdir/tests/conformance), VALGRIND
# (empty: the zero-heap check is skipped), CFLAGS (a sanitizer build skips the
# valgrind check). Exit: 0 pass, 1 fail, 77 skip (no python3).

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
server_pid=
cleanup() {
  if test -n "$server_pid"; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# pass, fail, run, expect, lines, summary
. "$srcdir/tests/lib.sh"

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

# ---------------------------------------------------------------- server

"$PY" "$srcdir/examples/server.py" --port-file "$tmp/port" \
  --response "$sample" --lifetime 30 >"$tmp/server.log" 2>&1 &
server_pid=$!
i=0
while test ! -s "$tmp/port"; do
  i=$((i + 1))
  if test $i -gt 100 || ! kill -0 "$server_pid" 2>/dev/null; then
    echo "FAIL: server.py did not start"
    cat "$tmp/server.log"
    exit 1
  fi
  sleep 0.1 2>/dev/null || sleep 1
done
port=$(cat "$tmp/port")
base="http://127.0.0.1:$port"
echo "# server.py on $base"

# ---------------------------------------------------------------- clients

# client NAME PROG: the checks both HTTP clients must pass.
client() {
  name=$1
  prog=$2
  expect "$name /chunked" 0 "$tmp/expected" "$prog" "$base/chunked"
  expect "$name /trickle (103 first, every line split)" 0 "$tmp/expected" \
    "$prog" "$base/trickle"
  expect "$name /length" 0 "$tmp/expected" "$prog" "$base/length"
  expect "$name /close" 0 "$tmp/expected" "$prog" "$base/close"
  # The server parses the request: escaping must keep it well-formed.
  expect "$name credentials with XML metacharacters" 0 "$tmp/expected" \
    env IPS_USER='o&<"u">' IPS_PASSWORD="p'&amp;<![CDATA[" IPS_COMPANY='c|2384' \
    "$prog" "$base/chunked"
  expect "$name --max-tasks=1 stops early" 0 "$tmp/expected-first" \
    "$prog" --max-tasks=1 "$base/chunked"

  expect "$name /fault: exit 3" 3 "$tmp/expected-fault" "$prog" "$base/fault"
  if grep -q 'Invalid jobHandle: j|999' "$tmp/out"; then
    pass "$name /fault: the reason is printed"
  else
    fail "$name /fault: the reason is not printed"
  fi

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
expect "socket /gzip (asks for identity)" 0 "$tmp/expected" "$socket" "$base/gzip"
if grep -q 'gzip not accepted' "$tmp/server.log" && ! grep -q 'gzip:' "$tmp/server.log"; then
  pass "socket /gzip: the response came uncompressed"
else
  fail "socket /gzip: the server compressed although socket asked for identity"
fi
expect "socket ftp:// URL refused: exit 2" 2 "$tmp/empty" "$socket" "ftp://127.0.0.1/"

if test "$have_curl" = yes; then
  client curl "$curl"
  expect "curl /gzip" 0 "$tmp/expected" "$curl" "$base/gzip"
  if grep -q 'gzip:' "$tmp/server.log"; then
    pass "curl /gzip: the response came compressed and was inflated"
  else
    fail "curl /gzip: the server did not compress"
  fi
else
  echo "# curl example not built (libcurl not found by configure: install libcurl4-openssl-dev): its checks skipped"
fi

kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null
server_pid=
if grep -q 'bad request' "$tmp/server.log"; then
  fail "server.py refused a request"
  grep 'bad request' "$tmp/server.log" | sed 's/^/#   /'
else
  pass "server.py accepted every request as a getActiveJobs SOAP request"
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
if test -z "${VALGRIND:-}"; then
  echo "# valgrind not found by configure (install valgrind): zero-heap check skipped"
else
  case "${CFLAGS:-}" in
    *-fsanitize=*)
      echo "# sanitizer build: zero-heap check skipped (valgrind cannot run it)" ;;
    *)
      "$builddir/libtool" --mode=execute "$VALGRIND" --error-exitcode=99 \
        "$ringbuffer" --seed=5 "$sample" >"$tmp/out" 2>"$tmp/err"
      rc=$?
      heap=$(grep -o 'total heap usage: [0-9,]* allocs' "$tmp/err")
      if test "$rc" -eq 0 && test "$heap" = "total heap usage: 0 allocs" &&
          cmp -s "$tmp/out" "$tmp/expected"; then
        pass "ringbuffer under valgrind: $heap"
      else
        fail "ringbuffer under valgrind: exit $rc, ${heap:-no heap summary}"
      fi ;;
  esac
fi

summary
