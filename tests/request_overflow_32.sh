#!/bin/sh
# request_overflow_32.sh -- the request writer built for 32 bits, where a
# request's length can pass SIZE_MAX: it must name the member that
# overflowed it, never an unset one (tests/request_overflow.c). Skipped
# where the compiler cannot build and run 32-bit x86 programs.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
cc=${CC:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
case $(uname -m) in
x86_64 | i?86) ;;
*)
  echo "32-bit x86 programs cannot run on $(uname -m): skipped"
  exit 77
  ;;
esac
# shellcheck disable=SC2086
if ! $cc -m32 -O2 -std=c11 -Wall -Wextra -Wpedantic -Werror \
    -I"$srcdir/include" -I"$srcdir/lib" "$srcdir/tests/request_overflow.c" \
    "$srcdir/lib/request.c" "$srcdir/lib/out.c" "$srcdir/lib/strerror.c" \
    -o "$tmp/overflow" 2>"$tmp/cc.log"; then
  if $cc -m32 -x c - -o "$tmp/probe" 2>/dev/null <<'PROBE'
int main(void) { return 0; }
PROBE
  then
    cat "$tmp/cc.log"
    echo "FAIL: tests/request_overflow.c does not build for 32 bits"
    exit 1
  fi
  echo "$cc -m32 cannot link 32-bit programs (install gcc-multilib): skipped"
  exit 77
fi
"$tmp/overflow"
