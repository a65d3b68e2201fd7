#!/bin/sh
# run-checker.sh FILE.chk -- runs one of the conformance checkers in
# tests/conformance. The .chk file holds the checker's name and arguments,
# e.g. "check.py examples". Exit 77 (skip) where python3 is missing.
chk=$1
conf=${CONFORMANCE_DIR:?run through make check}
py=${PYTHON3:-}
[ -n "$py" ] || { echo "python3 not found by configure (install python3): skipped"; exit 77; }
set -- $(cat "$chk")
script=$1
case_dir=$2
shift 2
# The checkers find tools/tpdump under the project directory they are given.
exec "$py" "$conf/$script" "$abs_top_builddir" "$conf/$case_dir" "$@"
