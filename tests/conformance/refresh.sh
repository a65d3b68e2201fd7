#!/bin/sh
# refresh.sh DIR -- replaces the conformance cases, checkers and value
# tables in this directory with those of DIR (a newer hand-over of the same
# layout), keeping this directory's README.md, and shows what changed.
# Files that DIR no longer has are removed, so the corpus stays exactly the
# hand-over's.
set -eu
src=${1:?usage: refresh.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$src/check.py" ] && [ -d "$src/responses" ] || { echo "refresh.sh: $src is not a conformance directory" >&2; exit 2; }
for d in examples responses xsd-lexical; do
  rm -rf "${here:?}/$d"
  cp -R "$src/$d" "$here/$d"
done
for f in check.py compare.py events_check.py; do
  cp "$src/$f" "$here/$f"
done
chmod -R u+w "$here"
cd "$here" && git status --short -- . 2>/dev/null || true
