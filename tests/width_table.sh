#!/bin/sh
# width_table.sh -- tools/width_table.h, the display widths the text
# renderer counts columns with, is what tools/genwidth.py writes from
# Python's unicodedata. Skipped without python3, or when this Python's
# Unicode version is not the one the table was written from.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
py=${PYTHON3:-}
[ -n "$py" ] || { echo "python3 not found by configure (install python3): skipped"; exit 77; }
"$py" "$srcdir/tools/genwidth.py" --srcdir "$srcdir" --check
rc=$?
case $rc in
  0) echo "tools/width_table.h is what tools/genwidth.py writes" ;;
  77) ;;
  *) echo "FAIL: tools/width_table.h is stale"; rc=1 ;;
esac
exit $rc
