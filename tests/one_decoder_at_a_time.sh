#!/bin/sh
# one_decoder_at_a_time.sh -- builds the library with -DTP_NO_THREAD_LOCAL
# and no arena slot hook, with tests/one_decoder_at_a_time.c (two arena
# decoders whose calls take turns inside callbacks, in a fixed order: both
# decode as alone, never a crash), under
# AddressSanitizer and UBSan with $CC, so that an arena block handed to the
# wrong arena shows as a memory error. Skipped where the sanitizers cannot
# build or run a threaded program.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
builddir=${abs_top_builddir:-$(pwd)}
cc=${CC:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
flags="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -pthread -Wall -Wextra -Werror"
cat > "$tmp/probe.c" << 'PROBE'
#include <pthread.h>
static void *nothing(void *arg) { return arg; }
int main(void) {
  pthread_t t;
  return pthread_create(&t, 0, nothing, 0) != 0 || pthread_join(t, 0) != 0;
}
PROBE
# shellcheck disable=SC2086
if ! $cc $flags "$tmp/probe.c" -o "$tmp/probe" > "$tmp/probe.log" 2>&1; then
  sed 's/^/# /' "$tmp/probe.log" | head -n 5
  echo "$cc -fsanitize=address,undefined cannot build a threaded program here: skipped"
  exit 77
fi
# LeakSanitizer cannot run under qemu-user (a cross build's make check):
# there the memory errors this test is for are still caught, without the
# leak check at exit.
if ! "$tmp/probe" >> "$tmp/probe.log" 2>&1; then
  if grep -q 'LeakSanitizer has encountered a fatal error' "$tmp/probe.log" &&
    ASAN_OPTIONS=detect_leaks=0 "$tmp/probe" > /dev/null 2>&1; then
    echo "# LeakSanitizer cannot run here (under emulation?): leaks are not checked"
    ASAN_OPTIONS=detect_leaks=0
    export ASAN_OPTIONS
  else
    sed 's/^/# /' "$tmp/probe.log" | head -n 5
    echo "$cc -fsanitize=address,undefined cannot run a threaded program here: skipped"
    exit 77
  fi
fi
# shellcheck disable=SC2086
$cc $flags -DHAVE_CONFIG_H -DTP_NO_THREAD_LOCAL \
  -I"$builddir" -I"$srcdir/include" -I"$srcdir/lib" -I"$srcdir/tests" \
  "$srcdir"/lib/*.c "$srcdir/tests/recorder.c" "$srcdir/tests/support.c" \
  "$srcdir/tests/one_decoder_at_a_time.c" ${EXPAT_LIBS:--lexpat} \
  -o "$tmp/overlap" || {
  echo "FAIL: the library without thread-local storage does not build"
  exit 1
}
"$tmp/overlap"
