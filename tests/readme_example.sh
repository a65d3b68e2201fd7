#!/bin/sh
# readme_example.sh -- the README's complete example program compiles
# warning-free against the library and prints each task of the sample.
set -u
srcdir=${srcdir:-.}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# The ```c block of README.md that holds main().
awk '/^```c$/ {inblock=1; buf=""; next}
     /^```$/ && inblock {inblock=0; if (buf ~ /main\(void\)/) printf "%s", buf; next}
     inblock {buf = buf $0 "\n"}' "$srcdir/README.md" > "$tmp/prog.c"
[ -s "$tmp/prog.c" ] || { echo "no example program found in README.md"; exit 1; }
# shellcheck disable=SC2086
${CC:-cc} ${CFLAGS:-} -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror \
  -I"$srcdir/include" "$tmp/prog.c" "$abs_top_builddir/lib/.libs/libtaskprogress.a" \
  ${EXPAT_LIBS:--lexpat} -o "$tmp/prog" || { echo "README example does not compile"; exit 1; }
"$tmp/prog" < "$srcdir/examples/sample-response.xml" > "$tmp/out" || { echo "README example failed"; exit 1; }
cat "$tmp/out"
expected='com.scene7.upload.UploadAsyncTaskMonitor [Processing] 40%
com.scene7.publish.PublishTaskMonitor [New] 0%'
if [ "$(cat "$tmp/out")" != "$expected" ]; then
  echo "unexpected output; expected:"
  echo "$expected"
  exit 1
fi
# And an invalid response gives exit 1 with a positioned message.
printf '<Envelope/>' | "$tmp/prog" 2> "$tmp/err" && { echo "accepted a non-SOAP document"; exit 1; }
grep -q '^error: 1:0: not a SOAP response: root element <Envelope> with no namespace' "$tmp/err" || { cat "$tmp/err"; exit 1; }
echo "README example: ok"
