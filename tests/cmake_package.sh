#!/bin/sh
# cmake_package.sh -- the CMake build's install and its package: the
# library built with CMake is installed into a staging prefix, which is
# then moved elsewhere (the package must not name where it was installed);
# a project of its own (tests/cmake_package/, with tests/cmake/'s
# count_jobs.c, both copied out of the tree) finds it with
# find_package(taskprogress VERSION) and links taskprogress::taskprogress,
# and must count the sample's jobs as tpdump prints them, with no path of
# the source tree in its compile or link lines. The version file must
# refuse a version this one is not compatible with. Skipped where cmake is
# missing.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
cmake=${CMAKE:-}
[ -n "$cmake" ] || { echo "cmake not found by configure (install cmake): skipped"; exit 77; }
[ -x "${TPDUMP:-}" ] || { echo "TPDUMP is not set to the built tools/tpdump"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
sample=$srcdir/examples/sample-response.xml
cc_env=${CC:+-DCMAKE_C_COMPILER=$CC}
version=$(cat "$srcdir/VERSION")

run() { # LOG COMMAND...: runs it, its output into LOG, shown on failure
  log=$1; shift
  "$@" > "$log" 2>&1 || { cat "$log"; return 1; }
}
# shellcheck disable=SC2086
run "$tmp/lib.log" "$cmake" -S "$srcdir" -B "$tmp/lib" $cc_env -DTP_BUILD_TOOLS=OFF \
  -DCMAKE_INSTALL_PREFIX="$tmp/stage" &&
  run "$tmp/build.log" "$cmake" --build "$tmp/lib" -j 2 &&
  run "$tmp/install.log" "$cmake" --install "$tmp/lib" ||
  { echo "FAIL: building and installing the library with CMake"; exit 1; }
mv "$tmp/stage" "$tmp/prefix" && rm -rf "${tmp:?}/lib" || exit 1
for f in include/taskprogress.h include/taskprogress_collect.h include/taskprogress_records.h \
         include/taskprogress_fields.h include/taskprogress_version.h lib/pkgconfig/taskprogress.pc \
         lib/cmake/taskprogress/taskprogressConfig.cmake \
         lib/cmake/taskprogress/taskprogressConfigVersion.cmake; do
  [ -f "$tmp/prefix/$f" ] || { echo "FAIL: the CMake install has no $f"; exit 1; }
done

mkdir "$tmp/consumer" &&
  cp "$srcdir/tests/cmake_package/CMakeLists.txt" "$srcdir/tests/cmake/count_jobs.c" "$tmp/consumer/" ||
  exit 1
consumer() { # BUILD-DIR VERSION
  # shellcheck disable=SC2086
  "$cmake" -S "$tmp/consumer" -B "$1" $cc_env -DCMAKE_PREFIX_PATH="$tmp/prefix" \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
    -DTP_WANT_VERSION="$2" > "$1.log" 2>&1
}
fail=0
if ! consumer "$tmp/use" "$version" || ! run "$tmp/use-build.log" "$cmake" --build "$tmp/use" --verbose; then
  cat "$tmp/use.log"; echo "FAIL: the consumer project did not build against the installed package"; exit 1
fi
if grep -F "$srcdir" "$tmp/use/compile_commands.json" "$tmp/use-build.log" > "$tmp/leak"; then
  echo "FAIL: the consumer's build names the source tree:"; head -n 3 "$tmp/leak"; fail=1
fi
jobs=$("$tmp/use/count_jobs" < "$sample") || fail=1
want_jobs=$("$TPDUMP" "$sample" | grep -c .)
if [ "$jobs" != "$want_jobs" ]; then
  echo "FAIL: the consumer's count_jobs counted '$jobs' jobs, tpdump prints $want_jobs"; fail=1
fi
major=${version%%.*}
other=$((major + 1)).0
if consumer "$tmp/other" "$other"; then
  echo "FAIL: find_package(taskprogress $other) accepted version $version"; fail=1
fi
[ $fail -eq 0 ] && echo "cmake_package: find_package(taskprogress $version) on the moved install gives taskprogress::taskprogress; count_jobs counts $jobs jobs; $other is refused"
exit $fail
