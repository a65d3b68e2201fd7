#!/bin/sh
# refresh.sh DIR -- copies the conformance cases, checkers and value
# tables of DIR (a newer hand-over of the same layout) over those in this
# directory, keeping this directory's README.md, and shows what changed.
# Cases the project added itself (files DIR does not have) are kept: they
# are listed, so that one the hand-over dropped on purpose can be removed
# by hand.
set -eu
src=${1:?usage: refresh.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$src/check.py" ] && [ -d "$src/responses" ] || { echo "refresh.sh: $src is not a conformance directory" >&2; exit 2; }
for d in examples responses xsd-lexical; do
  mkdir -p "$here/$d"
  cp -R "$src/$d/." "$here/$d/"
  for f in "$here/$d"/*; do
    [ -e "$src/$d/$(basename "$f")" ] || echo "kept, not in $src: $d/$(basename "$f")"
  done
done
for f in check.py compare.py events_check.py; do
  cp "$src/$f" "$here/$f"
done
chmod -R u+w "$here"
cd "$here" && git status --short -- . 2>/dev/null || true
