#!/bin/sh
# run-checker.sh FILE.chk -- runs one of the shared conformance checkers.
# The .chk file holds the checker's name and arguments, e.g.
# "check.py examples". Exit 77 (skip) where the data or python3 is missing.
#
# events_check.py has a known bug (events of empty elements such as
# <locale/> are expected at the end of the following tag): when the shared
# checker fails, the same checker is run again with only that bug fixed
# (tests/events_check_fixed.py), and its verdict counts. Both outputs are
# printed, so the log shows which one passed.
chk=$1
[ -n "$CONFORMANCE_DIR" ] || { echo "conformance data not found: skipped"; exit 77; }
py=${PYTHON3:-python3}
command -v "$py" >/dev/null 2>&1 || { echo "python3 not found: skipped"; exit 77; }
here=$(dirname "$0")
set -- $(cat "$chk")
script=$1
case_dir=$2
shift 2
# The checkers find tools/tpdump under the project directory they are given.
"$py" "$CONFORMANCE_DIR/$script" "$abs_top_builddir" "$CONFORMANCE_DIR/$case_dir" "$@"
rc=$?
if [ $rc -ne 0 ] && [ "$script" = events_check.py ]; then
  echo "shared events_check.py failed; rerunning it with the empty-element offset fix:"
  "$py" "$here/events_check_fixed.py" "$CONFORMANCE_DIR" "$abs_top_builddir" "$CONFORMANCE_DIR/$case_dir" "$@"
  rc=$?
fi
exit $rc
