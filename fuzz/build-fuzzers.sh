#!/bin/sh
# build-fuzzers.sh -- compile the libFuzzer harnesses without autotools:
#   fuzz/build-fuzzers.sh OUTDIR
# Uses $CC (default clang), $CFLAGS (default: ASan + UBSan, no recovery)
# and $LIB_FUZZING_ENGINE (default -fsanitize=fuzzer), as OSS-Fuzz sets
# them. Writes OUTDIR/fuzz_{decode,chunks,values,arena,request,collect}.
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: build-fuzzers.sh OUTDIR}
CC=${CC:-clang}
CFLAGS=${CFLAGS:--O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all}
LIB_FUZZING_ENGINE=${LIB_FUZZING_ENGINE:--fsanitize=fuzzer}
HARNESSES="decode chunks values arena request collect"

# Coverage instrumentation for every object, not only the harness: OSS-Fuzz
# puts it in CFLAGS already.
case " $CFLAGS " in
  *fuzzer-no-link*|*-fsanitize=fuzzer\ *|*-fsanitize=fuzzer,*) ;;
  *) CFLAGS="$CFLAGS -fsanitize=fuzzer-no-link" ;;
esac

if pkg-config --exists expat 2>/dev/null; then
  EXPAT_CFLAGS=$(pkg-config --cflags expat)
  EXPAT_LIBS=$(pkg-config --libs expat)
else
  EXPAT_CFLAGS=
  EXPAT_LIBS=-lexpat
fi

mkdir -p "$out/obj"
out=$(cd "$out" && pwd)

# What configure would find: expat's reparse-deferral switch (prompt mode).
DEFS=
cat > "$out/obj/probe.c" <<'PROBE'
#include <expat.h>
int main(void) { return XML_SetReparseDeferralEnabled(0, XML_FALSE); }
PROBE
# shellcheck disable=SC2086
if $CC $EXPAT_CFLAGS "$out/obj/probe.c" -o "$out/obj/probe" $EXPAT_LIBS \
    >/dev/null 2>&1; then
  DEFS=-DHAVE_XML_SETREPARSEDEFERRALENABLED=1
fi

objs=
# The harnesses' trace recorder, helpers, request check and reference
# collector are the test suite's (tests/recorder.c, tests/support.c,
# tests/request_check.c, tests/collect_ref.c), built in as they are.
for src in "$srcdir"/lib/*.c "$srcdir/fuzz/fuzz.c" "$srcdir/tests/recorder.c" \
    "$srcdir/tests/support.c" "$srcdir/tests/request_check.c" \
    "$srcdir/tests/collect_ref.c"; do
  obj="$out/obj/$(basename "$(dirname "$src")")_$(basename "$src" .c).o"
  # shellcheck disable=SC2086
  $CC $CFLAGS $DEFS $EXPAT_CFLAGS -I"$srcdir/include" -I"$srcdir/lib" \
    -I"$srcdir/tests" -c "$src" -o "$obj"
  objs="$objs $obj"
done

for h in $HARNESSES; do
  # shellcheck disable=SC2086
  $CC $CFLAGS $DEFS $EXPAT_CFLAGS -I"$srcdir/include" -I"$srcdir/lib" \
    -I"$srcdir/tests" -c "$srcdir/fuzz/$h.c" -o "$out/obj/harness_$h.o"
  # shellcheck disable=SC2086
  $CC $CFLAGS $LIB_FUZZING_ENGINE "$out/obj/harness_$h.o" $objs \
    -o "$out/fuzz_$h" $EXPAT_LIBS
done
echo "built in $out:$(for h in $HARNESSES; do printf ' fuzz_%s' "$h"; done)"
