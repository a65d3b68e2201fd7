#!/bin/sh
# reprefix.sh -- a build configured again with another --prefix installs a
# tpdump that runs from the new prefix: the library and tpdump are relinked
# for it (lib/install-dirs.stamp), without make clean. A scratch copy of
# the sources and real installs under a scratch directory; nothing else is
# touched.
set -eu
builddir=${abs_top_builddir:-$(pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A source tree of its own (what make dist would ship), configured in place
# as a user would.
make -s -C "$builddir" distdir distdir="$tmp/src" > "$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
srcdir=$tmp/src
cd "$srcdir"
./configure -q --prefix="$tmp/first" --disable-static > "$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
make -s > "$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
./configure -q --prefix="$tmp/second" --disable-static > "$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
make -s install > "$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
[ ! -e "$tmp/first" ] || { echo "something was installed under the first prefix"; exit 1; }
env -u LD_LIBRARY_PATH "$tmp/second/bin/tpdump" "$srcdir/examples/sample-response.xml" > "$tmp/out" 2> "$tmp/err" || {
  echo "the installed tpdump does not run after the prefix changed:"; cat "$tmp/err"; exit 1; }
[ ! -s "$tmp/err" ] && [ "$(grep -c '^{"companyHandle"' "$tmp/out")" -eq 2 ] || {
  echo "unexpected output:"; cat "$tmp/out" "$tmp/err"; exit 1; }
echo "prefix changed from first to second: the installed tpdump decodes the sample"
