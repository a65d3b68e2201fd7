# lib.sh -- helpers the shell tests share; sourced (`. "$srcdir/tests/lib.sh"`)
# by tests/tpdump_cli.sh, tests/readme_example.sh and examples/transports.sh
# after they have made their scratch directory $tmp. Uses $PY (empty: no
# python3) for the checks written in Python and for examples/server.py.

passed=0
failed=0
unchecked=0

pass() {
  passed=$((passed + 1))
  echo "ok - $1"
}

# not_checked DESCRIPTION REASON: a check that cannot run here. It does not
# pass: unless another check fails, the test ends in SKIP with the reason.
not_checked() {
  unchecked=$((unchecked + 1))
  echo "# SKIP - $1: $2"
}

# fail DESCRIPTION: counts it, and shows the start of the last run's
# stdout and stderr.
fail() {
  failed=$((failed + 1))
  echo "FAIL - $1"
  for f in out err; do
    if test -s "$tmp/$f"; then
      sed "s/^/#   $f: /" "$tmp/$f" | head -n 10
    fi
  done
}

# run CMD...: stdout to $tmp/out, stderr to $tmp/err, exit status in $rc.
run() {
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

# expect WHAT RC FILE CMD...: exit status RC and stdout equal to FILE.
expect() {
  what=$1
  want_rc=$2
  want_out=$3
  shift 3
  run "$@"
  if test "$rc" -ne "$want_rc"; then
    fail "$what: exit $rc, expected $want_rc"
  elif ! cmp -s "$tmp/out" "$want_out"; then
    fail "$what: unexpected output"
    diff "$want_out" "$tmp/out" | sed 's/^/#   /' | head -n 10
  else
    pass "$what"
  fi
}

lines() {
  wc -l <"$1" | tr -d ' '
}

# py_check DESCRIPTION SCRIPT ARG...: a check written in Python: it passes
# when `python3 -c SCRIPT ARG...` exits 0.
py_check() {
  what=$1
  script=$2
  shift 2
  if test -z "$PY"; then
    not_checked "$what" "python3 not found by configure (install python3)"
  elif "$PY" -c "$script" "$@" >"$tmp/py.err" 2>&1; then
    pass "$what"
  else
    failed=$((failed + 1))
    echo "FAIL - $what"
    sed 's/^/#   python: /' "$tmp/py.err" | tail -n 5
  fi
}

# json_lines DESCRIPTION FILE: every line of FILE is a JSON value.
json_lines() {
  py_check "$1: every line is JSON" '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    json.loads(line)
' "$2"
}

# start_server ARG...: examples/server.py on 127.0.0.1 with ARGs, its log
# in $tmp/server.log, for as long as this test runs: no lifetime of its
# own, so a slow run cannot outlast it, and --parent makes it go when this
# shell does, however that ends. The test's EXIT trap calls stop_server.
# Sets server_pid and port; returns 1, the log shown, if it did not start.
start_server() {
  rm -f "$tmp/port"
  "$PY" "$srcdir/examples/server.py" --parent $$ --port-file "$tmp/port" \
    "$@" >"$tmp/server.log" 2>&1 &
  server_pid=$!
  # Python can take long to start on a loaded machine: the wait ends as
  # soon as the server is up or gone.
  i=0
  while test ! -s "$tmp/port"; do
    i=$((i + 1))
    if test $i -gt 600 || ! kill -0 "$server_pid" 2>/dev/null; then
      echo "# server.py did not start:"
      sed 's/^/#   /' "$tmp/server.log"
      stop_server
      return 1
    fi
    sleep 0.1 2>/dev/null || sleep 1
  done
  port=$(cat "$tmp/port")
}

# stop_server: stops the server start_server started, if it runs.
stop_server() {
  if test -n "${server_pid:-}"; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    server_pid=
  fi
}

# The summary line; the exit status is the verdict: 1 if a check failed,
# else 77 (SKIP) if one could not run here, else 0.
summary() {
  echo "$passed passed, $failed failed, $unchecked not checked"
  if test "$failed" -ne 0; then
    return 1
  fi
  if test "$unchecked" -ne 0; then
    echo "skipped: $unchecked checks could not run here (the # SKIP lines say why)"
    return 77
  fi
  return 0
}
