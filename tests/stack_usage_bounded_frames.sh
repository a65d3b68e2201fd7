#!/bin/sh
# stack_usage_bounded_frames.sh -- regression: tests/stack_usage.py once
# rejected every frame that was not "static", but GCC marks some frames
# "dynamic,bounded" (i686 at -O0 realigns the stack, and says so): their
# figure is an upper bound, so they count as they are. An unbounded
# "dynamic" frame (a variable-length array) must still fail the check.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
[ -n "${PYTHON3:-}" ] || { echo "python3 not found by configure (install python3): skipped"; exit 77; }
cc=${CC:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/fixed.c" <<'C'
int tp_fixed(void) { volatile char b[300]; b[0] = 1; return b[0]; }
C
cat > "$tmp/vla.c" <<'C'
int tp_vla(int n) { volatile char b[n]; b[0] = 1; return b[0]; }
C
for f in fixed vla; do
  (cd "$tmp" && $cc -O0 -fno-inline -fcallgraph-info=su -c "$f.c") 2> "$tmp/err" || {
    # Older compilers have no -fcallgraph-info (gcc 10 added it).
    echo "$cc cannot write -fcallgraph-info: skipped"; cat "$tmp/err"; exit 77; }
done
grep -q '(static)' "$tmp/fixed.ci" && grep -q '(dynamic)' "$tmp/vla.ci" || {
  echo "$cc did not mark the frames as expected: skipped"; cat "$tmp/fixed.ci" "$tmp/vla.ci"; exit 77; }
# The host's compiler writes no bounded frame for so simple a function:
# the same frame, as i686's compiler labels it.
sed 's/(static)/(dynamic,bounded)/' "$tmp/fixed.ci" > "$tmp/bounded.ci"
failures=0
"$PYTHON3" "$srcdir/tests/stack_usage.py" "$tmp/fixed.ci" > "$tmp/static.out" || {
  echo "FAIL: a static frame was rejected"; cat "$tmp/static.out"; failures=$((failures + 1)); }
if "$PYTHON3" "$srcdir/tests/stack_usage.py" "$tmp/bounded.ci" > "$tmp/bounded.out"; then
  static=$(awk '$1 == "tp_fixed" {print $2}' "$tmp/static.out")
  bounded=$(awk '$1 == "tp_fixed" {print $2}' "$tmp/bounded.out")
  [ -n "$bounded" ] && [ "$bounded" = "$static" ] || {
    echo "FAIL: the bounded frame counts $bounded bytes, the same frame static $static"; failures=$((failures + 1)); }
else
  echo "FAIL: a dynamic,bounded frame was rejected"; cat "$tmp/bounded.out"; failures=$((failures + 1))
fi
if "$PYTHON3" "$srcdir/tests/stack_usage.py" "$tmp/vla.ci" > "$tmp/vla.out"; then
  echo "FAIL: an unbounded dynamic frame (a variable-length array) was accepted"; cat "$tmp/vla.out"
  failures=$((failures + 1))
fi
grep -q 'tp_vla' "$tmp/vla.out" || { echo "FAIL: the rejection does not name tp_vla"; cat "$tmp/vla.out"; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] && echo "static and bounded frames counted, the unbounded one rejected"
[ "$failures" -eq 0 ]
