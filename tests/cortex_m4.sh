#!/bin/sh
# cortex_m4.sh -- the library (not expat) cross-compiles for a Cortex-M4
# with Debian's gcc-arm-none-eabi and newlib's headers, warning-free, without
# thread-local storage (-DTP_NO_THREAD_LOCAL), and needs no stdio, locale or
# allocator; prints .text/.data/.bss (also with -DTP_OPTIMIZE_SIZE) and
# the worst-case stack per entry point (from -fcallgraph-info), and fails
# if a handler's stack passes 512 bytes. Skipped where the cross compiler
# is missing.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
cc=${ARM_CC:-}
[ -n "$cc" ] || { echo "arm-none-eabi-gcc with newlib not found by configure (install gcc-arm-none-eabi libnewlib-arm-none-eabi): skipped"; exit 77; }
[ -n "${PYTHON3:-}" ] || { echo "python3 not found by configure (install python3): skipped"; exit 77; }
tools=${cc%gcc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# Only expat's headers are needed, for its types; they are the build
# machine's (expat itself is not cross-compiled here).
expat_inc=$(pkg-config --variable=includedir expat 2>/dev/null || echo /usr/include)
mkdir "$tmp/expat"
cp "$expat_inc/expat.h" "$expat_inc/expat_external.h" "$tmp/expat/" || exit 1
flags="-std=c11 -Os -mthumb -mcpu=cortex-m4 -ffunction-sections -fdata-sections
  -fcallgraph-info=su -DTP_NO_THREAD_LOCAL -Wall -Wextra -Wpedantic -Wshadow
  -Wconversion -Wsign-conversion -Werror"
for f in "$srcdir"/lib/*.c; do
  o="$tmp/$(basename "$f" .c).o"
  # shellcheck disable=SC2086
  (cd "$tmp" && $cc $flags -I"$srcdir/include" -I"$srcdir/lib" -isystem "$tmp/expat" -c "$f" -o "$o") || {
    echo "cross-compiling $f failed"; exit 1; }
done
echo "$(basename "$cc") $($cc -dumpversion), -Os -mthumb -mcpu=cortex-m4:"
"${tools}size" -t "$tmp"/*.o | tail -n 1 | awk '{printf "  .text %d  .data %d  .bss %d bytes\n", $1, $2, $3}'
# The size-optimised configuration (docs/microcontroller.md) must
# build warning-free too; make check-mcu shows it decodes the same.
mkdir "$tmp/small"
for f in "$srcdir"/lib/*.c; do
  # shellcheck disable=SC2086
  (cd "$tmp/small" && $cc $flags -DTP_OPTIMIZE_SIZE -I"$srcdir/include" -I"$srcdir/lib" -isystem "$tmp/expat" -c "$f") || {
    echo "cross-compiling $f with -DTP_OPTIMIZE_SIZE failed"; exit 1; }
done
text=$("${tools}size" -t "$tmp"/*.o | tail -n 1 | awk '{print $1}')
small=$("${tools}size" -t "$tmp"/small/*.o | tail -n 1 | awk '{print $1}')
echo "  with -DTP_OPTIMIZE_SIZE: .text $small bytes"
if [ "$small" -ge "$text" ]; then
  echo "-DTP_OPTIMIZE_SIZE compiled nothing out"; exit 1
fi
bad=$("${tools}nm" -u "$tmp"/*.o | awk '{print $NF}' |
      grep -E '^(malloc|calloc|realloc|free|printf|fprintf|snprintf|sprintf|puts|fopen|setlocale|localeconv|strtod|strtol|__aeabi_read_tp|__emutls_get_address)$' | sort -u)
needs=$("${tools}nm" -u "$tmp"/*.o | awk '{print $NF}' | grep -v -E '^(XML_|tp_)|:$' | sort -u | tr '\n' ' ')
echo "  C library functions used: $needs"
if [ -n "$bad" ]; then
  echo "the library needs: $bad"; exit 1
fi
"$PYTHON3" "$srcdir/tests/stack_usage.py" "$tmp"/*.ci > "$tmp/stack" || { cat "$tmp/stack"; exit 1; }
sed 's/^/  /' "$tmp/stack"
worst=$(awk '/^(tp__)?on_/ {if ($2 > w) w = $2} END {print w + 0}' "$tmp/stack")
if [ "$worst" -gt 512 ]; then
  echo "a handler needs $worst bytes of stack (budget 512)"; exit 1
fi
