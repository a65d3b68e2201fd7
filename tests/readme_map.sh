#!/bin/sh
# readme_map.sh -- tests/README.md, the map of this directory, names every
# file and directory in it (in backquotes: `name.c`, `data/`), so that the
# map cannot fall behind. In a build inside the source tree the directory
# also holds what the build writes (programs, objects, logs, tests/locale):
# only the kinds of file the tree keeps here are looked at.
set -u
srcdir=${srcdir:-.}
map="$srcdir/tests/README.md"
[ -f "$map" ] || { echo "no $map"; exit 1; }
missing=
n=0
for path in "$srcdir"/tests/*; do
  name=${path##*/}
  case $name in
    README.md) continue ;;
    *.c | *.h | *.sh | *.py | *.chk | *.txt | *.md) quoted="\`$name\`" ;;
    locale) continue ;;
    *)
      if test -d "$path" && test -n "$(find "$path" -name '*.md' -o -name '*.xml' -o -name '*.txt' | head -n 1)"; then
        quoted="\`$name/\`"
      else
        continue
      fi ;;
  esac
  n=$((n + 1))
  grep -q -F -e "$quoted" "$map" || missing="$missing $quoted"
done
if test -n "$missing"; then
  echo "tests/README.md does not name:$missing"
  exit 1
fi
echo "tests/README.md names all $n entries of tests/"
