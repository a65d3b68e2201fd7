#!/bin/sh
# header_modes.sh -- the installed headers are usable from C89, C99, C11
# and C++ (98, 11, 17) with -pedantic-errors: the library itself needs
# C11, its users need not. Each mode compiles a file that includes every
# public header and uses their types, macros and functions (compiled, not
# linked). C++ is skipped, with the reason, where no C++ compiler is found.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
build=${abs_top_builddir:-$(pwd)}
cc=${CC:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/use.c" <<'SRC'
#include <taskprogress.h>
#include <taskprogress_collect.h>
#include <taskprogress_fields.h>
#include <taskprogress_records.h>
#include <taskprogress_version.h>

static unsigned char pool[TP_COLLECT_POOL_SIZE(4, 8, 64)];
static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];

int use(void);
int
use(void) {
  tp_decoder decoder;
  tp_config config;
  tp_collector collector;
  tp_collect_config cc;
  tp_status s;
  tp_collect_config_init(&cc, pool, sizeof pool);
  s = tp_collect_init(&collector, &cc, &config);
  if (s != TP_OK)
    return 1;
  config.arena = arena;
  config.arena_size = sizeof arena;
  config.flags = TP_FLAG_PROMPT;
  s = tp_init(&decoder, &config);
  if (s == TP_OK) {
    s = tp_feed(&decoder, "<a/>", 4);
    tp_release(&decoder);
  }
  return tp_strerror(s)[0] == '\0' &&
         tp_field_name(TP_TASK_NUM_PENDING)[0] != '\0' &&
         TP_VERSION_MAJOR >= 0;
}
SRC
cp "$tmp/use.c" "$tmp/use.cc"
inc="-I$srcdir/include -I$build/include"
rc=0
for std in c89 c99 c11; do
  # shellcheck disable=SC2086
  if $cc -std=$std -pedantic-errors -Wall -Wextra -Werror $inc -c "$tmp/use.c" -o "$tmp/use.o" 2> "$tmp/err"; then
    echo "ok: $std"
  else
    cat "$tmp/err"; echo "FAIL: the headers do not compile as $std"; rc=1
  fi
done
cxx=${CXX:-}
if [ -z "$cxx" ]; then
  for c in c++ g++ clang++; do
    if command -v "$c" > /dev/null 2>&1; then cxx=$c; break; fi
  done
fi
if [ -z "$cxx" ]; then
  echo "no C++ compiler (install g++): C++ not checked"
  [ $rc -eq 0 ] && exit 77
  exit $rc
fi
for std in c++98 c++11 c++17; do
  # shellcheck disable=SC2086
  if $cxx -std=$std -pedantic-errors -Wall -Wextra -Werror $inc -c "$tmp/use.cc" -o "$tmp/use.o" 2> "$tmp/err"; then
    echo "ok: $std ($cxx)"
  else
    cat "$tmp/err"; echo "FAIL: the headers do not compile as $std"; rc=1
  fi
done
exit $rc
