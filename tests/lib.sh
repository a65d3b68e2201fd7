# lib.sh -- helpers the shell tests share; sourced (`. "$srcdir/tests/lib.sh"`)
# by tests/tpdump_cli.sh and examples/transports.sh after they have made
# their scratch directory $tmp. Uses $PY (empty: no python3) for JSON.

passed=0
failed=0

pass() {
  passed=$((passed + 1))
  echo "ok - $1"
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

# Every line of FILE is a JSON value (trivially true without python3).
json_lines() {
  test -z "$PY" && return 0
  "$PY" -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    json.loads(line)
' "$1" 2>/dev/null
}

# The summary line; the exit status is the verdict.
summary() {
  echo "$passed passed, $failed failed"
  test "$failed" -eq 0
}
