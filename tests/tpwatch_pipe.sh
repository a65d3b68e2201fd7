#!/bin/sh
# tpwatch_pipe.sh -- tools/tpwatch through a pipe, against examples/server.py:
# the exact block of a poll (its times masked), one plain block per poll,
# what each kind of failure says and its exit status, and where the
# credentials may come from.
#
# Environment: TPWATCH (default ./tools/tpwatch), srcdir (default .),
# PYTHON3. Exit: 0 pass, 1 fail, 77 skip (tpwatch not built: no libcurl;
# no python3 for the server).

TPWATCH=${TPWATCH:-./tools/tpwatch}
srcdir=${srcdir:-.}

if test ! -x "$TPWATCH"; then
  echo "SKIP: $TPWATCH is not built (configure found no libcurl: install libcurl4-openssl-dev)"
  exit 77
fi
PY=${PYTHON3:-python3}
if ! "$PY" -c 'import http.server' >/dev/null 2>&1; then
  echo "SKIP: python3 not found by configure (install python3): examples/server.py cannot run"
  exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tpwatch_pipe.XXXXXX") || exit 1
. "$srcdir/tests/lib.sh"
watch_pid=
trap 'test -z "$watch_pid" || kill "$watch_pid" 2>/dev/null; stop_server; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM

# The environment a user's shell might have: none of it may reach the
# output through a pipe.
unset IPS_COMPANY IPS_JOB IPS_SOAP_VERSION IPS_API_VERSION IPS_FAULT_HTTP_STATUS
export IPS_USER=user@example.com IPS_PASSWORD=password
export COLUMNS=37 LANG=C.UTF-8 TERM=xterm

# mask: the poll's time, the server's port, the latency and the age of
# each job's last update are the run's; the rest is fixed.
mask() {
  sed -e 's/^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]  /TIME  /' \
    -e "s/127\\.0\\.0\\.1:$port/HOST/" \
    -e 's/  [0-9][0-9]* ms  /  N ms  /' \
    -e 's/ ([0-9][0-9]*d ago)/ (AGE)/' "$@"
}

start_server || exit 1
url=http://127.0.0.1:$port/

# ---- the block of one poll, exactly
cat >"$tmp/expected" <<'EOF'
TIME  http://HOST/  poll 1  N ms  HTTP 200
ok
2 jobs: 2 Running; 2 tasks: 1 Processing, 1 New; progress 20%

Spring catalog upload (j|2384||upload|88120417)
  UrlUpload, submitted by jane.doe@example.com
  Running, 40%, last update 2024-03-18T09:15:47.203-05:00 (AGE)
  Optimizing files
  com.scene7.upload.UploadAsyncTaskMonitor [########............]  40% Processing  2/1/2  Converting 5 files & folders
    ... 2 more items
  com.scene7.publish.PublishTaskMonitor [....................]   0% New         0/0/5  Waiting for upload

Nightly publish (j|2384||publish|88120433)
  ImageServingPublish, submitted by ops@example.com
  Running, 0%, last update 2024-03-18T02:00:01.5Z (AGE)
  Starting to generate manifest files.

EOF
run "$TPWATCH" --once "$url"
mask "$tmp/out" >"$tmp/masked"
if test "$rc" -ne 0 || test -s "$tmp/err"; then
  fail "--once through a pipe: exit $rc (expected 0, stderr empty)"
elif ! cmp -s "$tmp/expected" "$tmp/masked"; then
  fail "--once through a pipe: not the expected block (lines not cut, COLUMNS ignored)"
  diff "$tmp/expected" "$tmp/masked" | sed 's/^/#   /' | head -n 20
else
  pass "--once through a pipe: the exact block, lines not cut, exit 0"
fi

# ---- one renderer: with --items, the lines of the jobs are tpdump
# --format=text's, but for the age of each last update; and its summary
# begins tpwatch's.
TPDUMP=${TPDUMP:-$(dirname "$TPWATCH")/tpdump}
if test -x "$TPDUMP"; then
  "$TPDUMP" --format=text --width=0 "$srcdir/examples/sample-response.xml" >"$tmp/tpdump"
  run "$TPWATCH" --once --items "$url"
  sed '1,4d; $d; s/ ([0-9]*d ago)$//' "$tmp/out" >"$tmp/jobs"
  # tpdump's ends in an empty line and its summary.
  sed '$d' "$tmp/tpdump" | sed '$d' >"$tmp/tpdump.jobs"
  if test "$rc" -eq 0 && cmp -s "$tmp/tpdump.jobs" "$tmp/jobs" &&
    sed -n 3p "$tmp/out" | grep -qF "$(tail -n 1 "$tmp/tpdump"); progress 20%"; then
    pass "tpwatch's jobs and summary are tpdump --format=text's (one renderer)"
  else
    fail "tpwatch's jobs are not tpdump --format=text's"
    diff "$tmp/tpdump.jobs" "$tmp/jobs" | sed 's/^/#   /' | head -n 10
  fi
else
  not_checked "tpwatch's jobs are tpdump's" "$TPDUMP is not built"
fi

# ---- --items unfolds the items; --width cuts
run "$TPWATCH" --once --items --width 40 "$url"
if test "$rc" -eq 0 && grep -q '^    \[.*spring/shoe-red' "$tmp/out" &&
  ! grep -q 'more items' "$tmp/out" &&
  test "$(awk 'length($0) > 40' "$tmp/out" | wc -l)" -eq 0 &&
  grep -q '\.\.\.$' "$tmp/out"; then
  pass "--items shows each item, --width 40 cuts every line to 40 columns"
else
  fail "--items --width 40"
fi

# ---- several polls: one plain block each, each starting with its time
# Made first: the loop below may read it before the shell in the
# background has opened it.
: >"$tmp/polls"
"$TPWATCH" --interval 0.2 "$url" >>"$tmp/polls" 2>"$tmp/polls.err" &
watch_pid=$!
i=0
while test "$(grep -c '^[0-9]\{4\}-' "$tmp/polls")" -lt 3 && test $i -lt 100; do
  sleep 0.1
  i=$((i + 1))
done
kill -TERM "$watch_pid"
wait "$watch_pid"
rc=$?
watch_pid=
# Three whole blocks, each the first one but for its poll number.
mask "$tmp/polls" | sed 's/  poll [0-9]*  /  poll 1  /' >"$tmp/polls.masked"
head -n $((3 * $(lines "$tmp/expected"))) "$tmp/polls.masked" >"$tmp/three"
cat "$tmp/expected" "$tmp/expected" "$tmp/expected" >"$tmp/expected3"
if test "$rc" -ne 0 || test -s "$tmp/polls.err"; then
  fail "polls through a pipe: exit $rc after SIGTERM (expected 0, stderr empty)"
elif grep -q "$(printf '\033')" "$tmp/polls"; then
  fail "polls through a pipe: an escape sequence"
elif ! cmp -s "$tmp/expected3" "$tmp/three"; then
  fail "polls through a pipe: not one block per poll"
  diff "$tmp/expected3" "$tmp/three" | sed 's/^/#   /' | head -n 10
elif ! sed -n 1p "$tmp/polls" | grep -q '^[0-9-]* [0-9:]*  http.*poll 1 ' ||
  ! grep -q '  poll 3  ' "$tmp/polls"; then
  fail "polls through a pipe: blocks do not start with the time and count the polls"
else
  pass "polls through a pipe: a plain block per poll, starting with its time; SIGTERM exits 0"
fi

# ---- each kind of failure: its status line, and --once's exit status
# check_failure WHAT RC PATTERN TPWATCH-ARGS...
check_failure() {
  what=$1
  want=$2
  pattern=$3
  shift 3
  run "$TPWATCH" --once "$@"
  if test "$rc" -ne "$want"; then
    fail "$what: exit $rc, expected $want"
  elif ! sed -n 2p "$tmp/out" | grep -q "$pattern"; then
    fail "$what: the status line does not say '$pattern'"
  elif ! grep -q "^tpwatch: ${pattern#^}" "$tmp/err"; then
    fail "$what: stderr does not say '$pattern'"
  else
    pass "$what: the status line says so, exit $want"
  fi
}
check_failure "a SOAP Fault" 1 \
  '^HTTP 500: SOAP Fault: ipsApiFault 30001: Invalid jobHandle' "${url}fault"
IPS_PASSWORD=wrong check_failure "a wrong password" 1 \
  '^HTTP 500: SOAP Fault: authenticationFault 10000: Invalid user name or password' "$url"
check_failure "an HTML error page" 1 '^HTTP 503: .*not a SOAP response' "${url}error"
check_failure "a cut-off response" 1 '^HTTP 200: response cut off' "${url}truncated"
# A port nothing listens on: the server's, once it has stopped.
stop_server
check_failure "no server" 3 '^no answer: ' "$url"
start_server || exit 1
url=http://127.0.0.1:$port/

# ---- credentials
# check_refused WHAT PATTERN TPWATCH-ARGS...: exit 2, nothing on stdout,
# the reason on stderr.
check_refused() {
  what=$1
  pattern=$2
  shift 2
  run "$@"
  if test "$rc" -eq 2 && test ! -s "$tmp/out" && grep -q "$pattern" "$tmp/err"; then
    pass "$what: refused, exit 2"
  else
    fail "$what: exit $rc, expected 2 and '$pattern' on stderr"
  fi
}
check_refused "no credentials" "IPS_USER and IPS_PASSWORD" \
  env -u IPS_USER -u IPS_PASSWORD "$TPWATCH" --once "$url"
printf 'user@example.com\npassword\n' >"$tmp/creds"
chmod 644 "$tmp/creds"
check_refused "a credentials file others can read" "too open" \
  env -u IPS_USER -u IPS_PASSWORD "$TPWATCH" --once --credentials "$tmp/creds" "$url"
chmod 600 "$tmp/creds"
run env -u IPS_USER -u IPS_PASSWORD "$TPWATCH" --once --credentials "$tmp/creds" "$url"
if test "$rc" -eq 0 && mask "$tmp/out" | cmp -s "$tmp/expected" -; then
  pass "a credentials file of mode 600: read, the jobs shown"
else
  fail "a credentials file of mode 600: exit $rc"
fi
check_refused "no endpoint" "usage" "$TPWATCH" --once
check_refused "a bad --interval" "interval" "$TPWATCH" --interval x "$url"
check_refused "a bad --api-version" "api_version" \
  "$TPWATCH" --once --api-version 2014 "$url"
run "$TPWATCH" --once --insecure "$url"
if test "$rc" -eq 0 && grep -q 'warning: --insecure' "$tmp/err"; then
  pass "--insecure warns on stderr"
else
  fail "--insecure: exit $rc, no warning"
fi

summary
