#!/bin/sh
# arena_slot_hook_threads.sh -- builds the library with -DTP_NO_THREAD_LOCAL
# -DTP_PORT_ARENA_SLOT and tests/arena_slot_hook_threads.c (the hook on a
# pthread key; 8 threads x 200 documents, each trace the single-threaded
# one), all under ThreadSanitizer: a reported race fails the test. clang
# if there is one, else $CC. Skipped where ThreadSanitizer cannot build or
# run a threaded program.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
builddir=${abs_top_builddir:-$(pwd)}
if command -v clang > /dev/null 2>&1; then cc=clang; else cc=${CC:-cc}; fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
flags="-g -O1 -fsanitize=thread -pthread -Wall -Wextra -Werror"
cat > "$tmp/probe.c" << 'PROBE'
#include <pthread.h>
static int n;
static void *bump(void *arg) { (void)arg; n++; return 0; }
int main(void) {
  pthread_t t;
  if (pthread_create(&t, 0, bump, 0) != 0 || pthread_join(t, 0) != 0)
    return 1;
  return n - 1;
}
PROBE
# shellcheck disable=SC2086
if ! $cc $flags "$tmp/probe.c" -o "$tmp/probe" > "$tmp/probe.log" 2>&1 ||
  ! "$tmp/probe" >> "$tmp/probe.log" 2>&1; then
  sed 's/^/# /' "$tmp/probe.log" | head -n 5
  echo "$cc -fsanitize=thread cannot build or run a threaded program here (clang needs libclang-rt-14-dev): skipped"
  exit 77
fi
# shellcheck disable=SC2086
$cc $flags -DHAVE_CONFIG_H -DTP_NO_THREAD_LOCAL -DTP_PORT_ARENA_SLOT \
  -I"$builddir" -I"$srcdir/include" -I"$srcdir/lib" -I"$srcdir/tests" \
  "$srcdir"/lib/*.c "$srcdir/tests/recorder.c" "$srcdir/tests/support.c" \
  "$srcdir/tests/corpus.c" "$srcdir/tests/arena_slot_hook_threads.c" \
  ${EXPAT_LIBS:--lexpat} -o "$tmp/threads" || {
  echo "FAIL: the library with the arena slot hook does not build"
  exit 1
}
TSAN_OPTIONS="halt_on_error=1 ${TSAN_OPTIONS:-}" "$tmp/threads"
