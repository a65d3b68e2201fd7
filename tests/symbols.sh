#!/bin/sh
# symbols.sh -- the shared library exports exactly the public API listed in
# tests/exported-symbols.txt (internal tp__ helpers and everything else stay
# hidden). When the API grows, add the new names there, and bump the
# libtool version as configure.ac says.
set -u
srcdir=${srcdir:-.}
so="$abs_top_builddir/lib/.libs/libtaskprogress.so"
[ -f "$so" ] || { echo "no shared library built: skipped"; exit 77; }
command -v nm >/dev/null 2>&1 || { echo "nm not found: skipped"; exit 77; }
case "${CFLAGS:-}" in
  *--coverage*|*-fprofile-arcs*) echo "coverage build (make coverage): gcov's runtime exports symbols of its own (the plain build runs this test): skipped"; exit 77 ;;
esac
nm -D --defined-only "$so" | awk '$2 == "T" || $2 == "D" || $2 == "B" || $2 == "R" {print $3}' | sort > exported.tmp
if diff -u "$srcdir/tests/exported-symbols.txt" exported.tmp; then
  echo "$(wc -l < exported.tmp) exported symbols, as listed"
  rm -f exported.tmp
  exit 0
fi
echo "exported symbols differ from tests/exported-symbols.txt (- listed, + exported)"
rm -f exported.tmp
exit 1
