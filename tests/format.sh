#!/bin/sh
# format.sh -- every C file of the tree is as the repository's .clang-format
# writes it. The tree is formatted with clang-format 14 (Debian 12's);
# other major versions format some constructs differently, so they skip.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
cf=${CLANG_FORMAT:-}
[ -n "$cf" ] || { echo "clang-format not found by configure (install clang-format): skipped"; exit 77; }
major=$("$cf" --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
[ "$major" = 14 ] || { echo "the tree is formatted with clang-format 14, this is ${major:-unknown}: skipped"; exit 77; }
n=0
bad=0
for f in $(cd "$srcdir" && find lib include tools tests fuzz examples bench mcu \
             \( -path mcu/out -o -path bench/gsoap-gen -o -name .libs -o -name .deps \) -prune -o \
             \( -name '*.c' -o -name '*.h' \) -print | sort); do
  n=$((n + 1))
  if ! (cd "$srcdir" && "$cf" --dry-run --Werror "$f" > /dev/null 2>&1); then
    echo "not formatted: $f (clang-format -i $f)"
    bad=$((bad + 1))
  fi
done
echo "$n C files, $bad not formatted as .clang-format says"
[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
