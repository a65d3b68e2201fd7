#!/bin/sh
# tpdump_zero_heap.sh -- tpdump decodes in static memory: valgrind counts
# "total heap usage: 0 allocs" on the sample and on a 50 MB response (or
# TP_TEST_BIG_MB's), and the run itself succeeded (a program that fails to
# start also has 0 allocs).
set -u
vg=${VALGRIND:-}
[ -n "$vg" ] || { echo "${TP_VALGRIND_MISSING:-valgrind not found by configure (install valgrind)}: skipped"; exit 77; }
case "${CFLAGS:-}" in
  *-fsanitize=*) echo "sanitizer build: valgrind cannot run it (the plain build runs this test): skipped"; exit 77 ;;
  *--coverage*|*-fprofile-arcs*) echo "coverage build (make coverage): gcov's runtime allocates as the program exits (the plain build runs this test): skipped"; exit 77 ;;
esac
libtool="$abs_top_builddir/libtool"
tpdump="$abs_top_builddir/tools/tpdump"
srcdir=${srcdir:-.}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0

run() { # FILE EXPECTED_JOBS
  "$libtool" --mode=execute "$vg" --error-exitcode=99 "$tpdump" "$1" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  jobs=$(grep -c '^{' "$tmp/out")
  heap=$(grep -o 'total heap usage: [0-9,]* allocs' "$tmp/err")
  echo "$(basename "$1"): exit $rc, $jobs jobs, $heap"
  if [ $rc -ne 0 ] || [ "$jobs" -ne "$2" ] || [ "$heap" != "total heap usage: 0 allocs" ]; then
    cat "$tmp/err"; failed=$((failed + 1))
  fi
}

run "$srcdir/examples/sample-response.xml" 2
# The text format holds a job's lines in static memory, not on the heap.
"$libtool" --mode=execute "$vg" --error-exitcode=99 "$tpdump" --format=text \
  "$srcdir/examples/sample-response.xml" > "$tmp/out" 2> "$tmp/err"
rc=$?
heap=$(grep -o 'total heap usage: [0-9,]* allocs' "$tmp/err")
echo "sample, --format=text: exit $rc, $(wc -l < "$tmp/out") lines, $heap"
if [ $rc -ne 0 ] || [ "$heap" != "total heap usage: 0 allocs" ] || ! grep -q '^Nightly publish' "$tmp/out"; then
  cat "$tmp/err"; failed=$((failed + 1))
fi
if [ -n "${PYTHON3:-}" ]; then
  # One job with 4,400 task items per megabyte: 50 MB, or TP_TEST_BIG_MB's
  # megabytes (tests/smaller.sh).
  "$PYTHON3" "$srcdir/bench/genbench.py" 1 1 $((${TP_TEST_BIG_MB:-50} * 4400)) > "$tmp/big.xml" || exit 1
  echo "generated $(wc -c < "$tmp/big.xml") bytes"
  run "$tmp/big.xml" 1
else
  [ $failed -eq 0 ] || exit 1
  echo "python3 not found by configure (install python3): the 50 MB response was not generated: skipped"
  exit 77
fi
[ $failed -eq 0 ]
