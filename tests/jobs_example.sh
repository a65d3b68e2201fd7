#!/bin/sh
# jobs_example.sh -- examples/jobs.c, the collector's example, is byte for
# byte the program of the README's "A complete program" and the one of
# libtaskprogress(3) (in its source, escapes undone, and as groff renders
# it); it compiles with -std=c11 -Wall -Wextra -Wpedantic -Werror against
# the library built here and prints what it should (stdout, stderr, exit
# status) on the sample, on SOAP 1.1 and 1.2 faults, on the sample cut off
# inside its second job, and on a bad command line; the output the README
# and the man page show is the sample's. The man page renders without a
# warning. Exit 77 (skip) when groff is missing and nothing failed.
set -u
srcdir=${srcdir:-.}
builddir=${abs_top_builddir:-$(pwd)}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
# pass, fail, not_checked, summary
. "$srcdir/tests/lib.sh"
jobs="$srcdir/examples/jobs.c"
sample="$srcdir/examples/sample-response.xml"
man="$srcdir/docs/libtaskprogress.3"

# What it must print for the sample, read off examples/sample-response.xml:
# each job's name, state and progress (an integer percent), then each task's
# type, state and progress (a fraction: 0.4 is 40%); the second job's
# taskProgressArray is empty, and the items of its imageServingPublishJob
# are no tasks.
cat > "$tmp/sample.out" <<'EOF'
Spring catalog upload: Running, 40%
  com.scene7.upload.UploadAsyncTaskMonitor: Processing, 40%
  com.scene7.publish.PublishTaskMonitor: New, 0%
Nightly publish: Running, 0%
EOF

# same WHAT FILE: FILE is examples/jobs.c.
same() {
  if [ -s "$2" ] && cmp -s "$jobs" "$2"; then
    pass "$1 is examples/jobs.c"
  else
    fail "$1 is not examples/jobs.c"
    diff "$jobs" "$2" | sed 's/^/#   /' | head -n 10
  fi
}
# shows WHAT FILE: FILE is the sample's output.
shows() {
  if cmp -s "$tmp/sample.out" "$2"; then
    pass "$1 shows the sample's output"
  else
    fail "$1 does not show the sample's output"
    diff "$tmp/sample.out" "$2" | sed 's/^/#   /' | head -n 10
  fi
}

# The README's "A complete program": its first C block, and the first plain block after.
awk '/^## / {tour = ($0 == "## A complete program")}
     tour && !c && /^```c$/ {c = 1; next}
     c == 1 && /^```$/ {exit}
     c == 1 {print}' "$srcdir/README.md" > "$tmp/readme.c"
same "the README's complete program" "$tmp/readme.c"
awk '/^## / {tour = ($0 == "## A complete program")}
     !tour {next}
     inblock && /^```$/ {if (want) exit; inblock = 0; next}
     inblock {if (want) print; next}
     /^```/ {inblock = 1; n++; want = n > 1 && $0 == "```"}' "$srcdir/README.md" > "$tmp/readme.out"
shows "the README" "$tmp/readme.out"

# The man page's source: the .EX block that starts as jobs.c does, and the
# lines after `$ ./jobs` in the one that runs it, escapes undone. Only the
# escapes written for this are undone: a backslash left is a failure, and
# so is a bare - or ' (some groffs print them as a hyphen and a closing
# quote, which do not compile: \- and \(aq are the ASCII characters).
soh=$(printf '\001')
# unescape WHAT IN OUT
unescape() {
  if grep -n -e '^-' -e '[^\\]-' -e "'" -e '`' "$2" > "$tmp/bare"; then
    fail "$1: a bare - or quote"
    sed 's/^/#   /' "$tmp/bare" | head -n 5
  fi
  sed -e 's/\\e/'"$soh"'/g' -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' \
    -e 's/^\\&//' "$2" > "$tmp/unescaped"
  if grep -F "\\" "$tmp/unescaped" > "$tmp/unknown"; then
    fail "$1: escapes this test does not undo"
    sed 's/^/#   /' "$tmp/unknown" | head -n 5
  fi
  tr '\001' "\\" < "$tmp/unescaped" > "$3"
}
awk '/^\.EX$/ {ex = 1; first = 1; next}
     /^\.EE$/ {if (keep) exit; ex = 0; next}
     ex && first {first = 0; keep = ($0 ~ /^\/\* jobs\.c /)}
     keep {print}' "$man" > "$tmp/man.roff"
unescape "libtaskprogress(3)'s example" "$tmp/man.roff" "$tmp/man.c"
same "libtaskprogress(3)'s example" "$tmp/man.c"
awk '/^\.EX$/ {ex = 1; next}
     /^\.EE$/ {if (run) exit; ex = 0; next}
     run {print}
     ex && /^\$ \.\/jobs / {run = 1}' "$man" > "$tmp/man-out.roff"
unescape "libtaskprogress(3)'s output" "$tmp/man-out.roff" "$tmp/man.out"
shows "libtaskprogress(3)" "$tmp/man.out"

# Rendered, as a reader sees it: no warning, and the program as it is
# (a hyphen, quote or backslash groff turns into something else differs).
if ! command -v groff > /dev/null 2>&1; then
  not_checked "libtaskprogress(3) rendered" "groff not found (install groff-base)"
else
  groff -ww -man -Tutf8 "$man" > /dev/null 2> "$tmp/err"
  rc=$?
  : > "$tmp/out"
  if [ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ]; then
    pass "groff -ww renders libtaskprogress(3) without a warning"
  else
    fail "groff -ww: exit $rc, or warnings"
  fi
  groff -man -Tutf8 -P-cbou "$man" 2> /dev/null |
    awk -v first="$(head -n 1 "$jobs")" -v n="$(wc -l < "$jobs")" '
      !go && index($0, first) && substr($0, 1, index($0, first) - 1) ~ /^ *$/ {
        go = 1; indent = index($0, first) - 1
      }
      go && n-- > 0 {print substr($0, indent + 1)}' > "$tmp/rendered.c"
  same "libtaskprogress(3)'s example, rendered" "$tmp/rendered.c"
fi

# Compiled as a user compiles it, against the library built here (and the
# expat configure found, not the build machine's pkg-config).
# shellcheck disable=SC2086
if ! ${CC:-cc} ${CFLAGS:-} -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$srcdir/include" \
    "$jobs" "$builddir/lib/.libs/libtaskprogress.a" ${EXPAT_LIBS:--lexpat} \
    -o "$tmp/jobs" > "$tmp/out" 2> "$tmp/err"; then
  fail "examples/jobs.c does not compile with -std=c11 -Wall -Wextra -Wpedantic -Werror"
  summary
  exit 1
fi
pass "examples/jobs.c compiles with -std=c11 -Wall -Wextra -Wpedantic -Werror"

# runs WHAT EXIT STDOUT-FILE STDERR-FILE ARG...
runs() {
  what=$1 want_rc=$2 want_out=$3 want_err=$4
  shift 4
  "$tmp/jobs" "$@" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  if [ "$rc" -ne "$want_rc" ]; then
    fail "$what: exit $rc, expected $want_rc"
  elif ! cmp -s "$want_out" "$tmp/out"; then
    fail "$what: stdout"
    diff "$want_out" "$tmp/out" | sed 's/^/#   /' | head -n 10
  elif ! cmp -s "$want_err" "$tmp/err"; then
    fail "$what: stderr"
    diff "$want_err" "$tmp/err" | sed 's/^/#   /' | head -n 10
  else
    pass "$what"
  fi
}
: > "$tmp/none"

runs "the sample" 0 "$tmp/sample.out" "$tmp/none" "$sample"

# A fault is a complete response: its IPS code and reason (whitespace
# around the xsd:int, &amp; decoded), exit 0.
echo 'fault 30001: Invalid jobHandle: j|999 & more' > "$tmp/fault11.out"
runs "a SOAP 1.1 fault" 0 "$tmp/fault11.out" "$tmp/none" "$srcdir/tests/data/fault-soap11.xml"
echo 'fault 20002: User is not authorized for company c|111' > "$tmp/fault12.out"
runs "a SOAP 1.2 fault" 0 "$tmp/fault12.out" "$tmp/none" "$srcdir/tests/data/fault-soap12.xml"

# Cut inside the second job's <state> start tag (3743 bytes are lines 1 to
# 81 and the 10 spaces before it): the first job whole, the second not at
# all, and the position of the tag left open.
head -c 3747 "$sample" > "$tmp/cut.xml"
if [ "$(head -c 3743 "$sample" | wc -l)" -ne 81 ] || [ "$(tail -n 1 "$tmp/cut.xml")" != "          <sta" ] ||
    [ "$(grep -c '<name>' "$tmp/cut.xml")" -ne 2 ]; then
  fail "examples/sample-response.xml changed: the cut is not inside the second job's <state>"
fi
head -n 3 "$tmp/sample.out" > "$tmp/cut.out"
echo "$tmp/cut.xml: 82:10: input ended before the document did (byte 3743)" > "$tmp/cut.err"
runs "the sample cut off in its second job" 1 "$tmp/cut.out" "$tmp/cut.err" "$tmp/cut.xml"

runs "no argument" 2 "$tmp/none" "$tmp/none"
runs "a file that does not exist" 2 "$tmp/none" "$tmp/none" "$tmp/missing.xml"

summary
