#!/bin/sh
# doc_links.sh [PREFIX] -- every relative link of the documents resolves,
# to a file inside the tree they are read in, and a link to a heading
# (FILE.md#heading) to a heading of that file (as GitHub names it: lower
# case, punctuation dropped, spaces to hyphens).
#
# Without an argument (make check) the tree is the source tree: README.md,
# docs/*.md and every Markdown document they lead to, link after link.
# With PREFIX, an installed tree (make check-install gives the one it
# installed into a DESTDIR): every Markdown document under
# PREFIX/share/doc/libtaskprogress, and the files the installed man pages
# name (share/doc/libtaskprogress/... under the prefix, and .so pages).
set -u
srcdir=${srcdir:-.}
# pass, fail, summary
. "$srcdir/tests/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# The links of a Markdown file, one a line, and its headings' anchors,
# outside fenced code blocks.
links() {
  awk '/^```/ { fence = !fence; next }
       fence { next }
       { s = $0
         while (match(s, /\]\([^)]*\)/)) {
           print substr(s, RSTART + 2, RLENGTH - 3)
           s = substr(s, RSTART + RLENGTH)
         } }' "$1"
}
anchors() {
  awk '/^```/ { fence = !fence; next }
       fence || !/^#+ / { next }
       { s = tolower($0)
         sub(/^#+ +/, "", s)
         gsub(/[^a-z0-9 _-]/, "", s)
         gsub(/ /, "-", s)
         print s }' "$1"
}
# abs DIR: DIR with its symbolic links and .. resolved.
abs() {
  (cd "$1" 2> /dev/null && pwd -P)
}

if [ $# -eq 0 ]; then
  root=$(abs "$srcdir")
  for f in "$root"/README.md "$root"/docs/*.md; do echo "$f"; done > "$tmp/queue"
else
  root=$(abs "$1") || { echo "no such directory: $1"; exit 1; }
  find "$root/share/doc/libtaskprogress" -name '*.md' | sort > "$tmp/queue"
  [ -s "$tmp/queue" ] || { echo "no Markdown document under $1/share/doc/libtaskprogress"; exit 1; }
fi

# check_md FILE: its links; in the source tree, the Markdown documents it
# links to join the queue.
check_md() {
  file=$1
  dir=${file%/*}
  name=${file#"$root"/}
  n=0
  bad=0
  links "$file" > "$tmp/links"
  while IFS= read -r link; do
    case $link in
      http://* | https://* | mailto:*) continue ;;
    esac
    n=$((n + 1))
    path=${link%%#*}
    frag=
    case $link in *'#'*) frag=${link#*#} ;; esac
    if [ -z "$path" ]; then
      target=$file
    else
      target=$dir/$path
      if ! tdir=$(abs "$(dirname "$target")"); then
        fail "$name: $link: no such file"
        bad=1
        continue
      fi
      case $tdir/ in
        "$root"/*) ;;
        *) fail "$name: $link: outside the tree"; bad=1; continue ;;
      esac
      target=$tdir/${target##*/}
      if [ ! -e "$target" ]; then
        fail "$name: $link: no such file"
        bad=1
        continue
      fi
    fi
    if [ -n "$frag" ]; then
      if ! anchors "$target" | grep -q -x -F -e "$frag"; then
        fail "$name: $link: no such heading"
        bad=1
        continue
      fi
    fi
    case $target in
      *.md)
        if [ $# -eq 0 ] || [ "$2" = queue ]; then
          grep -q -x -F -e "$target" "$tmp/queue" "$tmp/done" 2> /dev/null || echo "$target" >> "$tmp/queue"
        fi ;;
    esac
  done < "$tmp/links"
  [ $bad -eq 0 ] && pass "$name: $n relative links resolve"
  echo "$file" >> "$tmp/done"
}

: > "$tmp/done"
if [ $# -eq 0 ]; then
  # The queue grows as documents are read.
  i=1
  while file=$(sed -n "${i}p" "$tmp/queue") && [ -n "$file" ]; do
    if [ -f "$file" ]; then
      check_md "$file" queue
    else
      fail "${file#"$root"/}: no such file"
    fi
    i=$((i + 1))
  done
else
  while IFS= read -r file; do
    check_md "$file" no
  done < "$tmp/queue"

  # The installed man pages: the files they name under the prefix, and the
  # page a .so line sources (from the top of the man tree, as man does).
  mandir=$root/share/man
  find "$mandir" -type f -name '*.[1-9]' | sort > "$tmp/pages"
  [ -s "$tmp/pages" ] || fail "no man page under $1/share/man"
  while IFS= read -r page; do
    name=${page#"$root"/}
    sed -n 's/\\-/-/g; s/^\.so  *//p' "$page" > "$tmp/so"
    sed 's/\\-/-/g; s/\\f[BIRP]//g' "$page" | grep -o 'share/doc/libtaskprogress/[A-Za-z0-9_./-]*' |
      sed 's/[.]*$//' | sort -u > "$tmp/named"
    bad=0
    while IFS= read -r f; do
      [ -e "$mandir/$f" ] || { fail "$name: .so $f: no such page"; bad=1; }
    done < "$tmp/so"
    while IFS= read -r f; do
      [ -e "$root/$f" ] || { fail "$name: names $f, not installed"; bad=1; }
    done < "$tmp/named"
    [ $bad -eq 0 ] && pass "$name: every file it names is installed ($(cat "$tmp/so" "$tmp/named" | grep -c .))"
  done < "$tmp/pages"
fi
summary
