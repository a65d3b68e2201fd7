#!/bin/sh
# cmake.sh -- the CMake build (CMakeLists.txt) against the autotools one:
# built on its own (expat from find_package) and taken in by a parent
# project with add_subdirectory() that hands it expat as a target of its
# own (tests/cmake/), each CMake-built tpdump must print exactly what the
# autotools tpdump prints for the sample, as JSON and as events at several
# chunk sizes, with the same exit status; and the parent's own program,
# linked against taskprogress::taskprogress, must decode it. CMake's
# project version is VERSION's, read from it rather than stated again: a
# copy whose VERSION says another gets that one. TP_NO_THREAD_LOCAL=AUTO
# keeps thread-local storage on the host (tests/firmware_guide.sh sees it
# turned off for a Cortex-M), and the parent's TP_EXPAT_TARGET is the
# expat used. A cross build (configure's --host, TP_CROSS_HOST_CPU) gives
# CMake a toolchain file for its target, with configure's compiler and its
# flags, and the sysroot these name to find expat in (never the build
# machine's), and builds tpdump there too (TP_BUILD_TOOLS, off by default
# when cross-compiling), which runs as every program of that build does
# (cross/check.sh). Skipped where cmake is missing.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
cmake=${CMAKE:-}
[ -n "$cmake" ] || { echo "cmake not found by configure (install cmake): skipped"; exit 77; }
[ -x "${TPDUMP:-}" ] || { echo "TPDUMP is not set to the built tools/tpdump"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
sample=$srcdir/examples/sample-response.xml
cc_env=${CC:+-DCMAKE_C_COMPILER=$CC}
tools_on=
if [ -n "${TP_CROSS_HOST_CPU:-}" ]; then
  # shellcheck disable=SC2086
  set -- ${CC:-cc}
  compiler=$1
  shift
  sysroot=
  for f in "$@"; do
    case $f in --sysroot=*) sysroot=${f#--sysroot=} ;; esac
  done
  {
    echo "set(CMAKE_SYSTEM_NAME Linux)"
    echo "set(CMAKE_SYSTEM_PROCESSOR $TP_CROSS_HOST_CPU)"
    echo "set(CMAKE_C_COMPILER \"$compiler\")"
    echo "set(CMAKE_C_FLAGS_INIT \"$*\")"
    if [ -n "$sysroot" ]; then
      echo "set(CMAKE_FIND_ROOT_PATH \"$sysroot\")"
      echo "set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)"
      for kind in LIBRARY INCLUDE PACKAGE; do
        echo "set(CMAKE_FIND_ROOT_PATH_MODE_$kind ONLY)"
      done
    fi
  } > "$tmp/toolchain.cmake"
  cc_env="-DCMAKE_TOOLCHAIN_FILE=$tmp/toolchain.cmake"
  tools_on=-DTP_BUILD_TOOLS=ON
fi

build() { # NAME SOURCE-DIR CMAKE-ARGS...
  name=$1; src=$2; shift 2
  # shellcheck disable=SC2086
  "$cmake" -S "$src" -B "$tmp/$name" $cc_env "$@" > "$tmp/$name.log" 2>&1 &&
    "$cmake" --build "$tmp/$name" -j 2 >> "$tmp/$name.log" 2>&1 || {
      cat "$tmp/$name.log"; echo "cmake: the $name build failed"; exit 1; }
}

build alone "$srcdir" $tools_on
build parent "$srcdir/tests/cmake" -DTP_SOURCE_DIR="$srcdir"

fail=0
version=$(cat "$srcdir/VERSION")
got=$(sed -n 's/^-- libtaskprogress //p' "$tmp/alone.log")
[ "$got" = "$version" ] || { echo "FAIL: CMake's project version is '$got', VERSION $version"; fail=1; }
# Regression: a parent's plain set(TP_EXPAT_TARGET ...) was dropped by the
# option's set(CACHE) (policy CMP0126 before 3.21), and the library found
# the host's expat itself, which a cross build has not.
if grep -q 'Found EXPAT' "$tmp/parent.log"; then
  echo "FAIL: the parent's TP_EXPAT_TARGET was dropped: the library looked for expat itself"; fail=1
fi
# The host links _Thread_local: the link check must not give it up there.
grep -q 'TP_NO_THREAD_LOCAL: OFF (AUTO: _Thread_local links)' "$tmp/alone.log" ||
  { grep 'TP_NO_THREAD_LOCAL' "$tmp/alone.log"; echo "FAIL: TP_NO_THREAD_LOCAL=AUTO did not keep thread-local storage on the host"; fail=1; }
other=97.98.99
mkdir -p "$tmp/other/include"
cp "$srcdir/CMakeLists.txt" "$srcdir/taskprogress.pc.in" "$tmp/other/" &&
  cp -R "$srcdir/lib" "$srcdir/cmake" "$tmp/other/" &&
  cp "$srcdir"/include/*.h "$tmp/other/include/" || exit 1
chmod -R u+w "$tmp/other"
echo "$other" > "$tmp/other/VERSION"
# shellcheck disable=SC2086
"$cmake" -S "$tmp/other" -B "$tmp/other-build" -DTP_BUILD_TOOLS=OFF $cc_env \
  > "$tmp/other.log" 2>&1 || { cat "$tmp/other.log"; echo "FAIL: cmake on the copy"; fail=1; }
got=$(sed -n 's/^-- libtaskprogress //p' "$tmp/other.log")
[ "$got" = "$other" ] || { echo "FAIL: CMake's project version is '$got' for a VERSION of $other"; fail=1; }

for tool in "$tmp/alone/tpdump" "$tmp/parent/libtaskprogress/tpdump"; do
  for args in "--format=json" "--format=events --chunk-size=1" \
              "--format=events --chunk-size=7" "--format=events --chunk-size=512" \
              "--format=events --prompt --chunk-size=3"; do
    # shellcheck disable=SC2086
    "$TPDUMP" $args "$sample" > "$tmp/want" 2>&1; want=$?
    # shellcheck disable=SC2086
    "$tool" $args "$sample" > "$tmp/got" 2>&1; got=$?
    if [ "$want" != "$got" ] || ! cmp -s "$tmp/want" "$tmp/got"; then
      echo "FAIL: $tool $args differs from the autotools tpdump (exit $got, not $want):"
      diff "$tmp/want" "$tmp/got" | head -n 10
      fail=1
    fi
  done
done
jobs=$("$tmp/parent/count_jobs" < "$sample") || fail=1
want_jobs=$("$TPDUMP" "$sample" | grep -c .)
if [ "$jobs" != "$want_jobs" ]; then
  echo "FAIL: the parent's count_jobs counted '$jobs' jobs, tpdump prints $want_jobs"; fail=1
fi
[ $fail -eq 0 ] && echo "cmake: both CMake builds' tpdump print what the autotools one prints; count_jobs counts $jobs jobs; the project version follows VERSION"
exit $fail
