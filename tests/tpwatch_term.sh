#!/bin/sh
# tpwatch_term.sh -- tools/tpwatch in a real terminal: tmux, on a socket
# of its own, against examples/server.py --evolve. Progress advances from
# poll to poll; a wrong password, an HTML 503 page, a cut-off response and
# a server stopped then started again each show their status line, and the
# view recovers; Ctrl-C gives the terminal back as it was; NO_COLOR turns
# the colours off; at 40 and at 200 columns, and after a resize, with
# Japanese job names, no line is wider than the window.
#
# Environment: TPWATCH (default ./tools/tpwatch), TMUX_PROG (default tmux),
# srcdir (default .), PYTHON3. Exit: 0 pass, 1 fail, 77 skip (tpwatch not
# built: no libcurl; no tmux; no python3).

TPWATCH=${TPWATCH:-./tools/tpwatch}
TMUX_PROG=${TMUX_PROG-tmux}
srcdir=${srcdir:-.}

if test ! -x "$TPWATCH"; then
  echo "SKIP: $TPWATCH is not built (configure found no libcurl: install libcurl4-openssl-dev)"
  exit 77
fi
if test -z "$TMUX_PROG" || ! "$TMUX_PROG" -V >/dev/null 2>&1; then
  echo "SKIP: tmux not found by configure (install tmux)"
  exit 77
fi
PY=${PYTHON3:-python3}
if ! "$PY" -c 'import http.server' >/dev/null 2>&1; then
  echo "SKIP: python3 not found by configure (install python3): examples/server.py cannot run"
  exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tpwatch_term.XXXXXX") || exit 1
. "$srcdir/tests/lib.sh"
case $TPWATCH in /*) ;; *) TPWATCH=$(pwd)/$TPWATCH ;; esac
# A server of tmux's own: the user's sessions are not touched.
tm() {
  "$TMUX_PROG" -L "tpwatch-test-$$" -f /dev/null "$@"
}
trap 'tm kill-server 2>/dev/null; stop_server; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM
unset TMUX IPS_COMPANY IPS_JOB IPS_SOAP_VERSION IPS_API_VERSION IPS_FAULT_HTTP_STATUS NO_COLOR

# watch NAME COLS ENV...: a window NAME of COLS columns and 40 rows
# running tpwatch on $url every 0.2 s with ENV, in a shell that records
# its terminal settings before and after, and then says how tpwatch
# exited.
watch() {
  name=$1
  cols=$2
  shift 2
  cat >"$tmp/$name.sh" <<EOF
trap : INT
stty -a >"$tmp/$name.stty-before"
env IPS_USER=user@example.com IPS_PASSWORD=password LANG=C.UTF-8 TERM=xterm-256color $* "$TPWATCH" --interval 0.2 "$url"
rc=\$?
stty -a >"$tmp/$name.stty-after"
echo "EXIT=\$rc"
exec sleep 600
EOF
  if tm has-session 2>/dev/null; then
    tm new-window -d -n "$name" "sh $tmp/$name.sh"
  else
    tm new-session -d -s t -n "$name" -x "$cols" -y 40 "sh $tmp/$name.sh"
  fi
  tm resize-window -t "t:$name" -x "$cols" -y 40 2>/dev/null
}

# screen NAME: the window's text, wrapped lines joined (-J, which keeps
# the blanks a line was cleared to: dropped), to $tmp/screen.
screen() {
  tm capture-pane -p -J -t "t:$1" 2>/dev/null | sed 's/ *$//' >"$tmp/screen"
}

# wait_for NAME PATTERN...: until every PATTERN (grep -E) is on the
# screen, for up to 15 s; returns 1 if they never were.
wait_for() {
  name=$1
  shift
  i=0
  while test $i -lt 150; do
    screen "$name"
    ok=1
    for p in "$@"; do
      grep -Eq -- "$p" "$tmp/screen" || ok=0
    done
    test $ok = 1 && return 0
    sleep 0.1
    i=$((i + 1))
  done
  echo "# waited for: $*"
  sed 's/^/#   screen: /' "$tmp/screen" | head -n 12
  return 1
}

# polled NAME N: the screen of a later poll than N that succeeded.
polled_ok_after() {
  wait_for "$1" "poll ($(seq -s '|' $(($2 + 1)) $(($2 + 20))))  .*HTTP 200" '^ok$'
}

# poll_of: the poll number on $tmp/screen.
poll_of() {
  sed -n 's/.*  poll \([0-9]*\)  .*/\1/p' "$tmp/screen" | head -n 1
}

# job1: job 1's progress on $tmp/screen.
job1() {
  sed -n '/^Spring catalog upload #1 /,/^$/s/^  [A-Za-z]*, \([0-9]*\)%, last update .*/\1/p' "$tmp/screen" | head -n 1
}

# ---- the main window: progress, failures and recovery, colour, Ctrl-C
# Each failure twice in a row: shown for 0.4 s, then 0.8 s (the backoff).
start_server --evolve --schedule 4=auth,5=auth,8=html,9=html,12=cut,13=cut || exit 1
url=http://127.0.0.1:$port/
watch main 100

# Job 1 runs from poll 1 to 9 (0% to 100%).
if wait_for main 'poll [0-9]+  .*HTTP 200' '^Spring catalog upload #1 '; then
  first_poll=$(poll_of)
  first=$(job1)
  if polled_ok_after main $((first_poll + 1)) && test "$(job1)" -gt "$first"; then
    pass "after three polls the screen shows progress advanced (job 1: $first% at poll $first_poll, $(job1)% at poll $(poll_of))"
  else
    fail "after three polls: job 1 still at $first%"
  fi
else
  fail "tpwatch does not show job 1"
fi

# check_failure WHAT PATTERN: its status line, the last jobs marked
# stale, then a later poll that succeeded.
check_failure() {
  what=$1
  if ! wait_for main "$2" '^stale: the jobs as of ' '^[0-9]+ jobs?: [0-9]+ Running'; then
    fail "$what: no status line, or the jobs not kept as stale"
  else
    n=$(poll_of)
    if polled_ok_after main "$n"; then
      pass "$what: said on the status line (jobs kept, stale); the view recovers"
    else
      fail "$what: the view does not recover"
    fi
  fi
}
check_failure "a wrong password" '^HTTP 500: SOAP Fault: authenticationFault 10000: Invalid user name or password'
check_failure "a 503 HTML page" '^HTTP 503: .*not a SOAP response'
check_failure "a cut-off response" '^HTTP 200: response cut off'

# Stopped, then started again on the same port, without schedule.
stop_server
if wait_for main '^no answer: ' 'no answer  retry in [0-9.]* s$' '^stale: the jobs as of '; then
  n=$(poll_of)
else
  fail "a server stopped: no 'no answer' status line"
  n=0
fi
start_server --evolve --port "$port" || exit 1
if polled_ok_after main "$n"; then
  pass "a server stopped and started again: 'no answer', then the view recovers"
else
  fail "a server stopped and started again: the view does not recover"
fi

tm capture-pane -p -e -t t:main >"$tmp/colours"
if grep -q "$(printf '\033')\\[[0-9;]*3[0-7]m" "$tmp/colours"; then
  pass "colours by state on a terminal"
else
  fail "no colour on a terminal without NO_COLOR"
fi

tm send-keys -t t:main C-c
if wait_for main '^EXIT=0$' && test "$(tm display -p -t t:main '#{cursor_flag} #{alternate_on}')" = "1 0" &&
  cmp -s "$tmp/main.stty-before" "$tmp/main.stty-after" &&
  ! grep -q 'poll' "$tmp/screen"; then
  pass "Ctrl-C: exit 0, cursor shown, the screen and terminal settings as they were"
else
  fail "Ctrl-C: the terminal is not given back as it was ($(tm display -p -t t:main '#{cursor_flag} #{alternate_on}'))"
fi

# ---- NO_COLOR
watch nocolour 100 NO_COLOR=1
if wait_for nocolour 'poll [0-9]*  .*HTTP 200' '^ok$' '^Spring catalog upload'; then
  tm capture-pane -p -e -t t:nocolour >"$tmp/colours"
  if grep -q "$(printf '\033')" "$tmp/colours"; then
    fail "NO_COLOR: attributes on the screen"
    grep "$(printf '\033')" "$tmp/colours" | head -n 3 | od -c | head -n 5 | sed 's/^/#   /'
  else
    pass "NO_COLOR: no colour and no attribute on the screen"
  fi
else
  fail "NO_COLOR: tpwatch does not show the jobs"
fi

# ---- widths, with Japanese job names (job 2 starts at poll 4)
# within NAME COLS: every line of the screen fits COLS columns, a wide
# character counting two.
within() {
  py_check "$1" '
import sys, unicodedata
cols = int(sys.argv[2])
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    if w > cols:
        sys.exit("%d columns: %s" % (w, line))
' "$tmp/screen" "$2"
}
for cols in 40 200; do
  watch "w$cols" "$cols"
  if wait_for "w$cols" '^春のカタログ' '^ok$'; then
    within "$cols columns, Japanese job names: no line wider than the window" "$cols"
  else
    fail "$cols columns: tpwatch does not show the jobs"
  fi
done
tm resize-window -t t:w200 -x 60 -y 40
sleep 0.5
if wait_for w200 '^ok$'; then
  within "resized from 200 to 60 columns: no line wider than the window" 60
  if test "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$tmp/screen")" -lt 50; then
    fail "resized to 60 columns: the lines are not drawn to the new width"
  fi
fi

summary
