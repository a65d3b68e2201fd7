#!/bin/sh
# callgrind.sh TPBENCH DATA_DIR -- instructions per input byte, counted by
# callgrind (repeatable on a noisy machine), for expat alone and for the
# decoder, and the decoder's own share: instructions spent in lib/*.c and
# the inline functions of lib/*.h. RUNS (default 3) runs per count.
set -eu
tpbench=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v valgrind >/dev/null 2>&1 || { echo "callgrind: valgrind not installed"; exit 0; }
printf '%-8s %-6s %12s %12s %14s\n' input feed "floor Ir/B" "decoder Ir/B" "own share"
for spec in medium:4096 medium:65536 large:4096 small:4096; do
  name=${spec%%:*}
  feed=${spec#*:}
  file="$data/$name.xml"
  [ -f "$file" ] || continue
  repeat=""
  [ "$name" = small ] && repeat=x200
  bytes=$(wc -c < "$file")
  [ "$name" = small ] && bytes=$((bytes * 200))
  # Expat seeds its hash tables at random, which moves the count by up to
  # ~0.4% from run to run: each side is the fewest of RUNS runs.
  for side in floor decoder; do
    best=""
    for run in $(seq "${RUNS:-3}"); do
      valgrind --tool=callgrind --callgrind-out-file="$tmp/run.out" \
        "$tpbench" --only "$side" --feeds "$feed" "$name=$file$repeat" > /dev/null 2>&1
      total=$(callgrind_annotate "$tmp/run.out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
      if [ -z "$best" ] || [ "$total" -lt "$best" ]; then
        best=$total
        cp "$tmp/run.out" "$tmp/$side.out"
      fi
    done
  done
  total_floor=$(callgrind_annotate "$tmp/floor.out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  total_dec=$(callgrind_annotate "$tmp/decoder.out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  # Self cost of every function whose file is one of the library's.
  own=$(callgrind_annotate --auto=no --threshold=100 "$tmp/decoder.out" 2>/dev/null |
        awk '$0 ~ /lib\/[a-z_]+\.[ch]:/ {gsub(",", "", $1); s += $1} END {print s + 0}')
  awk -v n="$name" -v f="$feed" -v b="$bytes" -v tf="$total_floor" -v td="$total_dec" -v o="$own" \
    'BEGIN {printf "%-8s %-6s %12.1f %12.1f %13.1f%%\n", n, f, tf / b, td / b, 100 * o / td}'
done
