#!/bin/sh
# request_overflow_32.sh -- the request writer built for 32 bits, where a
# request's length can pass SIZE_MAX: it must name the member that
# overflowed it, never an unset one (tests/request_overflow.c), built with
# configure's CC_X86_32. Skipped where configure found none.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
if [ -z "${CC_X86_32:-}" ]; then
  echo "no compiler of 32-bit x86 programs that this machine runs (configure's summary says what to install): skipped"
  exit 77
fi
# shellcheck disable=SC2086
$CC_X86_32 -O2 -std=c11 -Wall -Wextra -Wpedantic -Werror \
  -I"$srcdir/include" -I"$srcdir/lib" "$srcdir/tests/request_overflow.c" \
  "$srcdir/lib/request.c" "$srcdir/lib/out.c" "$srcdir/lib/strerror.c" \
  -o "$tmp/overflow" || { echo "FAIL: tests/request_overflow.c does not build with $CC_X86_32"; exit 1; }
"$tmp/overflow"
