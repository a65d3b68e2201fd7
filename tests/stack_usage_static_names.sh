#!/bin/sh
# stack_usage_static_names.sh -- regression: tests/stack_usage.py once keyed
# functions by bare name, so a static put() in lib/request.c and another in
# lib/error_format.c were merged and tp_format_error was charged the larger
# frame. Two files with a static function of the same name, one with a big
# frame, must keep their own figures.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
[ -n "${PYTHON3:-}" ] || { echo "python3 not found by configure (install python3): skipped"; exit 77; }
cc=${CC:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/small.c" <<'C'
static int put(volatile char *p) { p[0] = 1; return p[0]; }
int tp_small(void) { volatile char b[8]; return put(b); }
C
cat > "$tmp/big.c" <<'C'
static int put(volatile char *p) { volatile char b[4000]; b[0] = p[0]; return b[0]; }
int tp_big(void) { volatile char b[8]; b[0] = 2; return put(b); }
C
for f in small big; do
  (cd "$tmp" && $cc -O0 -fno-inline -fcallgraph-info=su -c "$f.c") 2> "$tmp/err" || {
    # Older compilers have no -fcallgraph-info (gcc 10 added it).
    echo "$cc cannot write -fcallgraph-info: skipped"; cat "$tmp/err"; exit 77; }
done
"$PYTHON3" "$srcdir/tests/stack_usage.py" "$tmp/small.ci" "$tmp/big.ci" > "$tmp/out" || { cat "$tmp/out"; exit 1; }
small=$(awk '$1 == "tp_small" {print $2}' "$tmp/out")
big=$(awk '$1 == "tp_big" {print $2}' "$tmp/out")
cat "$tmp/out"
if [ -z "$small" ] || [ -z "$big" ] || [ "$small" -ge 1000 ] || [ "$big" -lt 3000 ]; then
  echo "tp_small ($small) must be charged its own put(), not big.c's; tp_big ($big) at least 3000"
  exit 1
fi
