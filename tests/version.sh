#!/bin/sh
# version.sh -- the version is written once, in VERSION, and every place
# that states it agrees: the header's macros as the compiler reads them
# (include/taskprogress_version.h, which lib/genfields.py writes from
# VERSION), tp_version() at run time (tpdump --version), configure's
# PACKAGE_VERSION (config.h) and taskprogress.pc of this build, and the
# man pages' title lines. That configure.ac takes it from VERSION, rather
# than state it again, is shown on a copy whose VERSION says another:
# autoconf's trace of AC_INIT must follow it (left out, and said so, where
# autoconf is missing: a tarball's build). CMakeLists.txt's is checked the
# same way by tests/cmake.sh, which has cmake.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
build=${abs_top_builddir:?run through make check}
[ -x "${TPDUMP:-}" ] || { echo "TPDUMP is not set to the built tools/tpdump"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

version=$(cat "$srcdir/VERSION")
case $version in
  *[!0-9.]* | .* | *. | *..* | "") echo "FAIL: VERSION is '$version', not MAJOR.MINOR.MICRO"; exit 1 ;;
esac

agrees() { # WHAT VALUE
  [ "$2" = "$version" ] || { echo "FAIL: $1 says '$2', VERSION $version"; fail=1; }
}
printf '#include "taskprogress.h"\nTP_VERSION_MAJOR TP_VERSION_MINOR TP_VERSION_MICRO\n' > "$tmp/v.c"
agrees "taskprogress.h (TP_VERSION_*)" \
  "$(${CC:-cc} -E -P -I"$srcdir/include" "$tmp/v.c" | awk 'NF { l = $0 } END { print l }' | tr -s ' ' .)"
agrees "tp_version() (tpdump --version)" "$("$TPDUMP" --version | sed 's/^tpdump (libtaskprogress) //')"
agrees "configure (config.h PACKAGE_VERSION)" \
  "$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$build/config.h")"
agrees "taskprogress.pc" "$(sed -n 's/^Version: //p' "$build/taskprogress.pc")"
for page in docs/libtaskprogress.3 tools/tpdump.1; do
  agrees "$page's .TH line" "$(sed -n '1s/^\.TH .*"libtaskprogress \([^"]*\)".*/\1/p' "$srcdir/$page")"
done

# A copy whose VERSION says another.
other=97.98.99
mkdir -p "$tmp/other"
cp "$srcdir/configure.ac" "$tmp/other/" || exit 1
chmod -R u+w "$tmp/other"
echo "$other" > "$tmp/other/VERSION"
left_out=
if command -v autoconf > /dev/null 2>&1; then
  got=$(cd "$tmp/other" && autoconf -t 'AC_INIT:$2' configure.ac 2> "$tmp/autoconf.log")
  [ "$got" = "$other" ] || {
    cat "$tmp/autoconf.log"; echo "FAIL: configure.ac's AC_INIT says '$got' for a VERSION of $other"; fail=1; }
else
  left_out="$left_out autoconf"
fi

[ $fail -eq 0 ] && echo "version: VERSION's $version in the header, tp_version(), configure, taskprogress.pc and the man pages; configure.ac follows VERSION${left_out:+ (not checked, not installed:$left_out)}"
exit $fail
