#!/bin/sh
# installed.sh -- `make install` into a scratch DESTDIR gives a tree a user
# can build against with pkg-config: taskprogress.h and the headers it
# includes, as in the source tree, shared and static libraries,
# taskprogress.pc, tpdump, both man pages and a page per function (`man
# tp_feed` renders libtaskprogress(3)), the README with docs/ and the
# examples, each as it is in the source tree; a small program compiled with
# `pkg-config --cflags --libs taskprogress` runs and decodes the sample,
# and so does the example of libtaskprogress(3), taken from the installed
# man page, and the collector's examples/jobs.c, taken from the installed
# doc directory; the transport examples build there as docs/examples.md
# says; and every relative link of the installed documents, and every file
# the man pages name, resolves inside the installed tree (doc_links.sh).
set -eu
builddir=${abs_top_builddir:-$(pwd)}
srcdir=${srcdir:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s -C "$builddir" install DESTDIR="$tmp/root" > "$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; exit 1; }
prefix=$(sed -n 's/^prefix=//p' "$builddir/taskprogress.pc")
libdir=$(sed -n 's/^libdir=//p' "$builddir/taskprogress.pc" | sed "s|\${exec_prefix}|$prefix|; s|\${prefix}|$prefix|")
root="$tmp/root"
command -v pkg-config >/dev/null 2>&1 || { echo "pkg-config not installed (install pkg-config)"; exit 1; }
doc="$prefix/share/doc/libtaskprogress"
man3="$prefix/share/man/man3/libtaskprogress.3"
for f in "$prefix/include/taskprogress.h" "$libdir/libtaskprogress.a" "$libdir/libtaskprogress.so" \
         "$libdir/pkgconfig/taskprogress.pc" "$prefix/bin/tpdump" "$prefix/share/man/man1/tpdump.1" \
         "$man3" "$prefix/share/man/man3/tp_feed.3" "$doc/README.md" "$doc/docs/ips.md" \
         "$doc/examples/sample-response.xml" "$doc/examples/request.xml" "$doc/examples/jobs.c" \
         "$doc/sample-response.xml" "$doc/request.xml"; do
  [ -e "$root$f" ] || { echo "not installed: $f"; exit 1; }
  echo "installed: $f"
done
for h in taskprogress_collect.h $(cat "$srcdir/include/taskprogress.h" "$srcdir/include/taskprogress_collect.h" | sed -n 's/^#include "\(.*\)"$/\1/p'); do
  cmp "$srcdir/include/$h" "$root$prefix/include/$h" || { echo "not installed as it is: $h"; exit 1; }
  echo "installed: $prefix/include/$h"
done
cat > "$tmp/prog.c" <<'PROG'
#include <stdio.h>
#include <taskprogress.h>
static int tasks;
static int on_begin(void *ud, tp_node n) { (void)ud; tasks += n == TP_NODE_TASK; return 0; }
int main(void) {
  static const tp_callbacks cb = {on_begin, NULL, NULL};
  static char buf[65536];
  tp_decoder d; tp_config c; size_t n;
  tp_config_init(&c); c.callbacks = &cb;
  if (tp_init(&d, &c) != TP_OK) return 2;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) tp_feed(&d, buf, n);
  if (tp_finish(&d) != TP_OK) return 1;
  tp_release(&d);
  printf("libtaskprogress %s: %d tasks\n", tp_version(), tasks);
  return 0;
}
PROG
export PKG_CONFIG_PATH="$root$libdir/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$root"
flags=$(pkg-config --cflags --libs taskprogress)
echo "pkg-config --cflags --libs taskprogress: $flags"
# shellcheck disable=SC2086
${CC:-cc} -o "$tmp/prog" "$tmp/prog.c" $flags
out=$(LD_LIBRARY_PATH="$root$libdir" "$tmp/prog" < "$srcdir/examples/sample-response.xml")
echo "$out"
[ "$out" = "libtaskprogress $(pkg-config --modversion taskprogress): 2 tasks" ] || { echo "unexpected output"; exit 1; }
# Statically, too.
# shellcheck disable=SC2086
${CC:-cc} -o "$tmp/prog-static" "$tmp/prog.c" $(pkg-config --cflags taskprogress) \
  "$root$libdir/libtaskprogress.a" $(pkg-config --libs expat)
"$tmp/prog-static" < "$srcdir/examples/sample-response.xml"
LD_LIBRARY_PATH="$root$libdir" "$root$prefix/bin/tpdump" --version
# The man pages point to what is installed: tpdump(1) to libtaskprogress(3)
# and the doc directory, whose files are those of the source tree.
grep -q '^\.BR libtaskprogress (3)' "$root$prefix/share/man/man1/tpdump.1" || { echo "tpdump(1) does not point to libtaskprogress(3)"; exit 1; }
# Every file of the doc directory is the source tree's file of the same
# path (the two at its top are links into examples/, for tpdump(1)).
n=0
for f in $(cd "$root$doc" && find . -type f -o -type l | sed 's|^\./||' | sort); do
  case $f in
    */*) src=$f ;;
    *) src=examples/$f ;;
  esac
  [ "$f" = README.md ] && src=README.md
  cmp "$srcdir/$src" "$root$doc/$f" || { echo "not installed as it is: $doc/$f"; exit 1; }
  n=$((n + 1))
done
echo "installed as in the source tree: the $n files of $doc"
# man finds a function's page, and renders libtaskprogress(3) for it.
if command -v man > /dev/null 2>&1 && command -v groff > /dev/null 2>&1; then
  MANPAGER=cat MANWIDTH=80 man -M "$root$prefix/share/man" tp_feed > "$tmp/man.out" 2> "$tmp/man.err" || true
  if ! grep -q 'tp_feed' "$tmp/man.out" || ! grep -q '^LIBTASKPROGRESS(3)' "$tmp/man.out" || [ -s "$tmp/man.err" ]; then
    cat "$tmp/man.err"; echo "man tp_feed does not render libtaskprogress(3)"; exit 1
  fi
  echo "man tp_feed: libtaskprogress(3)"
else
  echo "man tp_feed: not checked (install man-db and groff-base)"
fi
# The complete example of libtaskprogress(3), as the installed page has it
# (roff escapes undone), built with pkg-config and run on the installed
# sample: its output is what the page says it prints.
sed -n '/^\.SH EXAMPLES/,/^\.SH FILES/p' "$root$man3" > "$tmp/examples.roff"
sed -n '/^\.EX/,/^\.EE/p' "$tmp/examples.roff" | sed '/^\.E[XE]$/d; s/\\-/-/g; s/\\e/\\/g; s/\\(aq/'"'"'/g' > "$tmp/blocks"
awk '/^int main/ {m = 1} {print} m && /^}$/ {exit}' "$tmp/blocks" > "$tmp/man-example.c"
grep -q '^int main' "$tmp/man-example.c" || { echo "no example program in libtaskprogress(3)"; exit 1; }
want=$(sed -n '/^\$ \.\/task/,/^\.EE/p' "$tmp/blocks" | sed '1d; /^\.EE/d')
# shellcheck disable=SC2086
${CC:-cc} -std=c11 -Wall -Wextra -Werror -o "$tmp/task" "$tmp/man-example.c" $flags
got=$(LD_LIBRARY_PATH="$root$libdir" "$tmp/task" < "$root$doc/examples/sample-response.xml")
printf '%s\n' "$got"
[ -n "$want" ] && [ "$got" = "$want" ] || { printf 'libtaskprogress(3) says it prints:\n%s\n' "$want"; exit 1; }
# The collector's program, as installed beside the README, built against
# the installed headers and library: its output is the sample's jobs.
# shellcheck disable=SC2086
${CC:-cc} -std=c11 -Wall -Wextra -Werror -o "$tmp/jobs" "$root$doc/examples/jobs.c" $flags
got=$(LD_LIBRARY_PATH="$root$libdir" "$tmp/jobs" "$root$doc/examples/sample-response.xml")
printf '%s\n' "$got"
[ "$(printf '%s\n' "$got" | grep -c '^[^ ]')" = 2 ] && [ "$(printf '%s\n' "$got" | grep -c '^  ')" = 2 ] ||
  { echo "jobs.c does not print the sample's 2 jobs and 2 tasks"; exit 1; }
# The transport examples, built in the installed doc directory as
# docs/examples.md says (libcurl's where pkg-config knows it), and run on
# the sample where they need no server.
ex="$root$doc/examples"
sed -n '/^## Building them/,/^## /p' "$srcdir/docs/examples.md" | grep '^cc -std=c11 ' > "$tmp/build-lines"
[ "$(grep -c . "$tmp/build-lines")" = 3 ] || { echo "docs/examples.md: not 3 build lines"; exit 1; }
while read -r line; do
  e=${line##*-o ~/}
  if [ "$e" = curl ] && ! pkg-config --exists libcurl 2> /dev/null; then
    echo "examples/curl.c: not built (no libcurl)"
    continue
  fi
  # The page's own line, the warnings made errors, the program in $tmp.
  line=$(printf '%s\n' "$line" | sed "s|^cc -std=c11 |${CC:-cc} -std=c11 -Wall -Wextra -Werror |; s|-o ~/|-o $tmp/|")
  (cd "$ex" && eval "$line") || { echo "the installed examples/$e.c does not build: $line"; exit 1; }
  echo "built: the installed examples/$e.c"
done < "$tmp/build-lines"
LD_LIBRARY_PATH="$root$libdir" "$tmp/ringbuffer" --seed=7 "$ex/sample-response.xml" > "$tmp/ring.out"
[ "$(grep -c . "$tmp/ring.out")" = 2 ] || { cat "$tmp/ring.out"; echo "the installed ringbuffer example does not print the sample's 2 tasks"; exit 1; }
# Every link of the installed documents, and every file the man pages
# name, resolves inside the installed tree.
srcdir="$srcdir" ${SHELL:-sh} "$srcdir/tests/doc_links.sh" "$root$prefix" || { echo "installed documents link to missing files"; exit 1; }
echo "install check: ok"
