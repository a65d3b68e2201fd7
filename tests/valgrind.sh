#!/bin/sh
# valgrind.sh PROGRAM... -- runs each test program, then tpdump on the
# conformance responses, under valgrind memcheck; any error or leak fails.
set -u
[ -n "${VALGRIND:-}" ] || { echo "valgrind not found by configure (install valgrind and run ./configure again)"; exit 1; }
vg="$VALGRIND -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
failed=0
for prog in "$@"; do
  # Smaller sizes under valgrind: 2000 random doubles instead of 200000,
  # an 8 MB string instead of 100 MB, every 7th truncation point, the
  # collector checked on responses of up to 1500 bytes.
  TP_TEST_RANDOM=2000 TP_TEST_BIG_MB=8 TP_TEST_PREFIX_STEP=7 TP_TEST_COLLECT_BYTES=1500 $vg "$prog" > "$prog.valgrind.log" 2>&1
  rc=$?
  if [ $rc -eq 77 ]; then
    # Ran clean, but some of its checks cannot run under valgrind (the
    # zero-heap counter: valgrind replaces malloc); make check runs them.
    echo "PASS (valgrind), some checks skipped: $prog"
  elif [ $rc -ne 0 ]; then
    echo "FAIL (valgrind, exit $rc): $prog"; tail -n 30 "$prog.valgrind.log"; failed=$((failed + 1))
  else
    echo "PASS (valgrind): $prog"
  fi
done
# tpdump is a libtool wrapper around the shared library build.
n=0
conf=${CONFORMANCE_DIR:?run through make check-valgrind}
for f in "$conf"/examples/*.xml "$conf"/responses/*-00[0-4]*.xml; do
  for chunk in 65536 7; do
    $LIBTOOL --mode=execute $vg "$abs_top_builddir/tools/tpdump" --chunk-size=$chunk "$f" > /dev/null 2> tpdump.valgrind.log
    rc=$?
    if [ $rc -eq 99 ]; then
      echo "FAIL (valgrind): tpdump --chunk-size=$chunk $f"; cat tpdump.valgrind.log; failed=$((failed + 1))
    fi
    n=$((n + 1))
  done
done
echo "valgrind: $# programs, $n tpdump runs, $failed failed"
[ $failed -eq 0 ]
