#!/bin/sh
# valgrind.sh PROGRAM... -- runs each test program, then tpdump on the
# conformance responses, under valgrind memcheck; any error or leak fails.
set -u
[ -n "${VALGRIND:-}" ] || { echo "valgrind not found by configure (install valgrind and run ./configure again)"; exit 1; }
vg="$VALGRIND -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
failed=0
# Smaller sizes under valgrind (smaller.sh says which).
. "$(dirname "$0")/smaller.sh"
# One program under valgrind; its exit status goes to PROG.valgrind.rc.
run_one() {
  $vg "$1" > "$1.valgrind.log" 2>&1
  echo $? > "$1.valgrind.rc"
}
# valgrind.sh --one PROG: run_one, as xargs calls it below.
if [ "${1:-}" = --one ]; then
  run_one "$2"
  exit 0
fi
# valgrind.sh --tpdump CHUNK FILE: tpdump (a libtool wrapper around the
# shared library build) on FILE; reports a failure with valgrind's words.
if [ "${1:-}" = --tpdump ]; then
  log=$(mktemp) || exit 1
  $LIBTOOL --mode=execute $vg "$abs_top_builddir/tools/tpdump" --chunk-size="$2" "$3" > /dev/null 2> "$log"
  [ $? -eq 99 ] && { echo "FAIL (valgrind): tpdump --chunk-size=$2 $3"; cat "$log"; }
  rm -f "$log"
  exit 0
fi
report() {
  rc=$(cat "$1.valgrind.rc")
  rm -f "$1.valgrind.rc"
  if [ "$rc" -eq 77 ]; then
    # Ran clean, but some of its checks cannot run under valgrind (the
    # zero-heap counter: valgrind replaces malloc); make check runs them.
    echo "PASS (valgrind), some checks skipped: $1"
  elif [ "$rc" -ne 0 ]; then
    echo "FAIL (valgrind, exit $rc): $1"; tail -n 30 "$1.valgrind.log"; failed=$((failed + 1))
  else
    echo "PASS (valgrind): $1"
  fi
}
# VALGRIND_JOBS programs at a time (default: the processors online; each
# valgrind runs on one core), through xargs -P where xargs has it: the
# suite's longest program no longer holds the others back.
jobs=${VALGRIND_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
# (xargs without -P runs them one after the other.)
parallel=
if [ "$jobs" -gt 1 ] && echo | xargs -P 2 true 2>/dev/null; then
  parallel="-P $jobs"
fi
# shellcheck disable=SC2086
printf '%s\n' "$@" | xargs $parallel -n 1 sh "$0" --one
for prog in "$@"; do report "$prog"; done
# tpdump on the conformance examples and a tenth of its responses, at
# two chunk sizes, as many at a time as the programs (the runs are short:
# one at a time, they took longer than all the programs together).
conf=${CONFORMANCE_DIR:?run through make check-valgrind}
for f in "$conf"/examples/*.xml "$conf"/responses/*-00[0-4]*.xml; do
  for chunk in 65536 7; do echo "$chunk $f"; done
done > tpdump.valgrind.list
n=$(($(wc -l < tpdump.valgrind.list)))
# shellcheck disable=SC2086
xargs $parallel -n 2 sh "$0" --tpdump < tpdump.valgrind.list > tpdump.valgrind.log
cat tpdump.valgrind.log
failed=$((failed + $(grep -c '^FAIL (valgrind): tpdump' tpdump.valgrind.log)))
rm -f tpdump.valgrind.list
echo "valgrind: $# programs, $n tpdump runs, $failed failed"
[ $failed -eq 0 ]
