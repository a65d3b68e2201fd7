#!/bin/sh
# man_names.sh -- libtaskprogress(3)'s NAME section names every function
# of the API, the TP_API declarations of the headers that docs/man-links.sh
# reads (make writes a page per name from the same list, so `man tp_feed`
# finds the page), and nothing else; and each page make wrote leads to it
# and renders without a warning (groff -ww), as man renders it, as does
# every man page of the tree (docs/, tools/). Exit 77
# (skip) for the rendering alone when groff is missing and nothing failed.
set -u
srcdir=${srcdir:-.}
builddir=${abs_top_builddir:-$(pwd)}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
# pass, fail, not_checked, summary
. "$srcdir/tests/lib.sh"
man="$srcdir/docs/libtaskprogress.3"

sh "$srcdir/docs/man-links.sh" "$srcdir/include/taskprogress.h" "$srcdir/include/taskprogress_collect.h" |
  sort > "$tmp/api"
[ "$(grep -c . "$tmp/api")" -gt 20 ] || fail "docs/man-links.sh found $(grep -c . "$tmp/api") functions"
sed -n '/^\.SH NAME/,/^\.SH /p' "$man" | sed 's/\\-.*//; s/\\%//g' | tr ', ' '\n\n' |
  grep '^tp_' | sort > "$tmp/name"
if cmp -s "$tmp/api" "$tmp/name"; then
  pass "the NAME section names the $(grep -c . "$tmp/api") functions of the headers"
else
  fail "the NAME section is not the headers' functions (< headers, > NAME):"
  diff "$tmp/api" "$tmp/name" | grep '^[<>]' | sed 's/^/#   /'
fi

# The pages make wrote, in a man tree of their own beside the page.
mkdir "$tmp/man" "$tmp/man/man3"
cp "$man" "$tmp/man/man3/"
ls "$builddir/docs/man3" 2> /dev/null | sed -n 's/\.3$//p' | sort > "$tmp/pages"
if cmp -s "$tmp/api" "$tmp/pages"; then
  pass "make wrote a page for each function"
else
  fail "the pages in docs/man3 of the build tree are not the functions (< headers, > pages):"
  diff "$tmp/api" "$tmp/pages" | grep '^[<>]' | sed 's/^/#   /'
fi
bad=0
while read -r f; do
  if [ "$(cat "$builddir/docs/man3/$f.3")" != ".so man3/libtaskprogress.3" ]; then
    fail "docs/man3/$f.3 does not lead to libtaskprogress(3)"
    bad=1
  fi
  cp "$builddir/docs/man3/$f.3" "$tmp/man/man3/"
done < "$tmp/pages"
[ $bad -eq 0 ] && pass "each is .so man3/libtaskprogress.3"
if ! command -v groff > /dev/null 2>&1; then
  not_checked "the pages rendered" "groff not found (install groff-base)"
else
  bad=0
  while read -r f; do
    (cd "$tmp/man" && groff -s -ww -man -Tutf8 "man3/$f.3" > "$tmp/out" 2> "$tmp/err")
    if [ $? -ne 0 ] || [ -s "$tmp/err" ] || ! grep -q "$f" "$tmp/out"; then
      fail "man3/$f.3 does not render libtaskprogress(3) without a warning"
      sed 's/^/#   /' "$tmp/err" | head -n 5
      bad=1
    fi
  done < "$tmp/pages"
  [ $bad -eq 0 ] && pass "each renders libtaskprogress(3), naming it, without a warning (groff -ww)"
  # Every man page of the tree, the programs' too.
  for page in "$srcdir"/docs/*.[1-9] "$srcdir"/tools/*.[1-9]; do
    [ -f "$page" ] || continue
    if groff -ww -man -Tutf8 "$page" > /dev/null 2> "$tmp/err" && [ ! -s "$tmp/err" ]; then
      pass "$(basename "$page") renders without a warning (groff -ww)"
    else
      fail "$(basename "$page") renders with a warning (groff -ww):"
      sed 's/^/#   /' "$tmp/err" | head -n 5
    fi
  done
fi
summary
