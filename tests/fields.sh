#!/bin/sh
# fields.sh -- lib/fields.def is the one list of fields. The checked-in
# files lib/genfields.py writes from it (include/taskprogress_fields.h,
# lib/field_lookup.h, fuzz/fields.dict), and from VERSION
# (include/taskprogress_version.h), are what they give; adding a field
# is one fields.def row (shown on a copy of the tree: xsd:int `priority`
# on ActiveJob, as docs/contributing.md's "Adding a field" says, decoded by that
# copy's tpdump at several chunk sizes), and the generator then changes
# only files that are wholly its own; and an enum value without its row,
# or a row whose enum was not regenerated, fails to compile instead of
# giving tp_field_name() NULL. Skipped without python3.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
py=${PYTHON3:-}
[ -n "$py" ] || { echo "python3 not found by configure (install python3): skipped"; exit 77; }
[ -x "${TPDUMP:-}" ] || { echo "TPDUMP is not set to the built tools/tpdump"; exit 1; }
cc=${CC:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
flags="-std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Werror"
fail=0

"$py" "$srcdir/lib/genfields.py" --srcdir "$srcdir" --check || {
  echo "FAIL: the checked-in outputs are not what lib/fields.def and VERSION give"; fail=1; }

copy() { # DIR: the library's and tpdump's sources (tools/ but tpwatch's)
  mkdir -p "$1/tools" && cp -R "$srcdir/VERSION" "$srcdir/include" "$srcdir/lib" "$1/" &&
    cp "$srcdir"/tools/*.c "$1/tools/" || exit 1
  rm -f "$1"/tools/tpwatch*.c
  cp "$srcdir"/tools/*.h "$1/tools/" 2>/dev/null
  # make distcheck's source tree is read-only, and cp keeps the modes.
  chmod -R u+w "$1"
  rm -rf "$1"/lib/*.o "$1"/lib/*.lo "$1"/lib/.libs "$1"/lib/.deps
}
names_compiles() { # DIR
  # shellcheck disable=SC2086
  $cc $flags -I"$1/include" -I"$1/lib" -fsyntax-only "$1/lib/names.c" > "$1/cc.log" 2>&1
}
row='TP_FIELD(TP_JOB_PRIORITY, "priority", JOB, INT)'

# Adding a field: the row, then the generator.
copy "$tmp/add"
mkdir -p "$tmp/add/fuzz" && cp "$srcdir/fuzz/fields.dict" "$tmp/add/fuzz/" || exit 1
echo "$row" >> "$tmp/add/lib/fields.def"
"$py" "$tmp/add/lib/genfields.py" || { echo "FAIL: genfields.py on the added row"; exit 1; }
# What changed besides the row is the generator's, whole: each such file
# says so in its first lines.
changed=$(cd "$tmp/add" && for f in include/* lib/* fuzz/*; do
  cmp -s "$f" "$srcdir/$f" || echo "$f"; done)
for f in $changed; do
  [ "$f" = lib/fields.def ] && continue
  head -n 5 "$tmp/add/$f" | grep -q 'Written by lib/genfields.py' || {
    echo "FAIL: the generator changed $f, which is not its own"; fail=1; }
done
grep -q '^open_priority="<priority>"$' "$tmp/add/fuzz/fields.dict" || {
  echo "FAIL: priority is not in the fuzzers' dictionary"; fail=1; }
# shellcheck disable=SC2086
$cc $flags ${CFLAGS:-} -I"$tmp/add/include" -I"$tmp/add/lib" -I"$tmp/add/tools" \
  -o "$tmp/tpdump" "$tmp"/add/lib/*.c "$tmp"/add/tools/*.c ${EXPAT_LIBS:--lexpat} -lm \
  > "$tmp/add.log" 2>&1 || { cat "$tmp/add.log"; echo "FAIL: the tree with priority does not build"; exit 1; }
sample=$srcdir/examples/sample-response.xml
sed 's|<totalSize>73400320</totalSize>|&<priority>7</priority>|' "$sample" > "$tmp/priority.xml"
cmp -s "$sample" "$tmp/priority.xml" && { echo "FAIL: no totalSize to put priority after"; exit 1; }
for n in 1 3 7 512; do
  if ! "$tmp/tpdump" --format=events --chunk-size=$n "$tmp/priority.xml" |
       grep -q "$(printf '\tjob.priority\t7$')"; then
    echo "FAIL: job.priority 7 not decoded at chunk size $n"; fail=1
  fi
done
"$tmp/tpdump" --format=json "$tmp/priority.xml" | grep -q '"totalSize":73400320,"priority":7,' || {
  echo "FAIL: priority is not an xsd:int in the JSON"; fail=1; }
sed 's|<priority>7<|<priority>seven<|' "$tmp/priority.xml" > "$tmp/bad.xml"
"$tmp/tpdump" "$tmp/bad.xml" > "$tmp/bad.out" 2>&1 && {
  echo "FAIL: priority 'seven' decoded as an xsd:int"; fail=1; }
"$tmp/tpdump" --format=events "$sample" > "$tmp/got"
"$TPDUMP" --format=events "$sample" > "$tmp/want"
cmp -s "$tmp/want" "$tmp/got" || { echo "FAIL: the added field changed the sample's decoding"; fail=1; }

# Regression: an enum value without its row compiled warning-free and
# made tp_field_name() return NULL.
copy "$tmp/enum-only"
sed 's/^  TP_FIELD_COUNT_ /  TP_JOB_PRIORITY, TP_FIELD_COUNT_ /' "$srcdir/include/taskprogress_fields.h" \
  > "$tmp/enum-only/include/taskprogress_fields.h"
grep -q 'TP_JOB_PRIORITY, TP_FIELD_COUNT_' "$tmp/enum-only/include/taskprogress_fields.h" || {
  echo "FAIL: no TP_FIELD_COUNT_ line in the generated header"; exit 1; }
if names_compiles "$tmp/enum-only"; then
  echo "FAIL: an enum value without its fields.def row compiles"; fail=1
fi
# ... and a row without the generator run.
copy "$tmp/row-only"
echo "$row" >> "$tmp/row-only/lib/fields.def"
if names_compiles "$tmp/row-only"; then
  echo "FAIL: a fields.def row without its enum value compiles"; fail=1
fi
names_compiles "$tmp/add" || { cat "$tmp/add/cc.log"; echo "FAIL: names.c with priority"; fail=1; }

[ $fail -eq 0 ] && echo "fields: outputs match lib/fields.def; priority added by one row decodes at chunk sizes 1, 3, 7, 512, and the generator changed only its own files ($(echo $changed | sed 's| *lib/fields.def||')); an enum value or a row alone does not compile"
exit $fail
