#!/bin/sh
# no_malloc.sh -- our layer never allocates: no object of the library
# references the C library's allocator (expat's memory goes through the
# memory suite, which the library only passes on), nor stdio or locale.
set -u
lib="$abs_top_builddir/lib/.libs/libtpcore.a"
[ -f "$lib" ] || { echo "missing $lib"; exit 1; }
command -v nm >/dev/null 2>&1 || { echo "nm not found: skipped"; exit 77; }
bad=$(nm -u "$lib" | awk '{print $NF}' | grep -E '^(malloc|calloc|realloc|free|strdup|strndup|aligned_alloc|posix_memalign|printf|fprintf|snprintf|sprintf|fopen|setlocale|localeconv|strtod|strtol)$' | sort -u)
echo "undefined symbols of $lib:"
nm -u "$lib" | awk '{print "  " $NF}' | sort -u
if [ -n "$bad" ]; then
  echo "the library references: $bad"
  exit 1
fi
echo "no allocator, stdio or locale symbol referenced"
