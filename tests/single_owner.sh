#!/bin/sh
# single_owner.sh -- issue 15's single owners in lib/ stay single: the
# error position is captured in one place, the namespace separator and the
# IPS-namespace rule are written once, only arena.c and arena.h touch the
# arena's bookkeeping, and only error.c writes the error record.
set -u
lib="${srcdir:-.}/lib"
fail=0
once() { # what, pattern, files...
  what=$1 pat=$2
  shift 2
  n=$(cat "$@" | grep -c -E -e "$pat")
  if [ "$n" -ne 1 ]; then
    echo "$what: $n places, not one:"
    grep -n -E -e "$pat" "$@"
    fail=1
  fi
}
once "error position" 'XML_GetCurrentLineNumber' "$lib"/*.c
once "namespace separator" "#define[[:space:]]+[A-Z_]*NS_SEP[[:space:]]+['\"]" "$lib"/*.c "$lib"/*.h
if ! grep -A1 'XML_ParserCreate_MM(' "$lib"/*.c | grep -q 'TP_NS_SEP'; then
  echo "the parser is created with a separator of its own"
  fail=1
fi
once "IPS-namespace rule" '(memcmp|tp__same_bytes)\([a-z]+, IPS_NS' "$lib"/*.c
if grep -n -E "(arena|\ba)->(size|owner|base|start|end|in_use|high_water|allocations|failures|magic)\b" \
    "$lib"/*.c "$lib"/*.h | grep -v -E "^$lib/arena\.[ch]:"; then
  echo "the arena's bookkeeping read outside arena.c/arena.h"
  fail=1
fi
# The error record has one writer: error.c (tp__fail, tp__clear_error).
if grep -n -E "(st->error|->error\.)" "$lib"/*.c | grep -v -E "^$lib/error\.c:" |
    grep -E "(st->error(\.[a-z_]+)? *=[^=]|&st->error)"; then
  echo "the error record written outside error.c"
  fail=1
fi
exit $fail
