#!/bin/sh
# prompt_unsupported.sh -- TP_FLAG_PROMPT cannot be accepted and then
# ignored: the library is built twice from lib/*.c, with configure's
# config.h and with one that says expat has no XML_SetReparseDeferralEnabled
# (an expat before 2.6.0 without the backport, or a hand-written config.h
# that forgot it), and tests/prompt_unsupported.c checks that tp_init()
# accepts the flag in the first exactly when configure found the function,
# and refuses it with TP_ERR_UNSUPPORTED in the second.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
build=${abs_top_builddir:-$(pwd)}
cc=${CC:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
[ -f "$build/config.h" ] || { echo "FAIL: no config.h in $build"; exit 1; }
mkdir -p "$tmp/with" "$tmp/without" || exit 1
cp "$build/config.h" "$tmp/with/config.h" || exit 1
grep -v 'HAVE_XML_SETREPARSEDEFERRALENABLED' "$build/config.h" > "$tmp/without/config.h"
if grep -q '^#define HAVE_XML_SETREPARSEDEFERRALENABLED' "$build/config.h"; then
  expect=accepted
else
  expect=refused
fi
rc=0
for v in with without; do
  # shellcheck disable=SC2086
  $cc ${CFLAGS:-} -std=c11 -DHAVE_CONFIG_H -I"$tmp/$v" -I"$srcdir/include" -I"$srcdir/lib" \
    -I"$srcdir/tests" -I"$build/include" "$srcdir"/lib/*.c "$srcdir/tests/support.c" \
    "$srcdir/tests/prompt_unsupported.c" \
    -o "$tmp/$v/prompt" ${EXPAT_LIBS:--lexpat} || { echo "FAIL: building the library $v the function"; exit 1; }
  want=$expect
  [ "$v" = without ] && want=refused
  if "$tmp/$v/prompt" "$want" "$srcdir/examples/sample-response.xml"; then
    echo "ok: built $v XML_SetReparseDeferralEnabled, TP_FLAG_PROMPT $want"
  else
    echo "FAIL: built $v XML_SetReparseDeferralEnabled, TP_FLAG_PROMPT not $want as it should be"
    rc=1
  fi
done
exit $rc
