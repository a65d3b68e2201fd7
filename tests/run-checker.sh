#!/bin/sh
# run-checker.sh FILE.chk -- runs one of the shared conformance checkers.
# The .chk file holds the checker's name and arguments, e.g.
# "check.py examples". Exit 77 (skip) where the data or python3 is missing.
chk=$1
[ -n "$CONFORMANCE_DIR" ] || { echo "conformance data not found: skipped"; exit 77; }
py=${PYTHON3:-python3}
command -v "$py" >/dev/null 2>&1 || { echo "python3 not found: skipped"; exit 77; }
set -- $(cat "$chk")
script=$1
shift
case_dir=$1
shift
# The checkers find tools/tpdump under the project directory they are given.
exec "$py" "$CONFORMANCE_DIR/$script" "$abs_top_builddir" "$CONFORMANCE_DIR/$case_dir" "$@"
