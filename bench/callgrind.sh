#!/bin/sh
# callgrind.sh TPBENCH DATA_DIR -- instructions per input byte, counted by
# callgrind (repeatable on a noisy machine), for expat alone and for the
# decoder in heap and in arena mode, and the heap decoder's own share:
# instructions spent in lib/*.c and the inline functions of lib/*.h.
# "reuse" rows reset between responses (expat alone: XML_ParserReset),
# "fresh" rows create and free per response. RUNS (default 3) runs per
# count, 1 for large (its count varies least and takes longest).
set -eu
tpbench=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v valgrind >/dev/null 2>&1 || { echo "callgrind: valgrind not installed"; exit 0; }
total_of() {
  callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}
printf '%-8s %-6s %-6s %11s %11s %11s %10s\n' input feed mode "expat Ir/B" "heap Ir/B" "arena Ir/B" "own share"
for spec in medium:4096:reuse medium:65536:reuse large:4096:reuse small:4096:reuse small:4096:fresh; do
  name=${spec%%:*}
  rest=${spec#*:}
  feed=${rest%%:*}
  mode=${rest#*:}
  file="$data/$name.xml"
  [ -f "$file" ] || continue
  repeat=""
  bytes=$(wc -c < "$file")
  if [ "$name" = small ]; then
    repeat=x200
    bytes=$((bytes * 200))
  fi
  runs=${RUNS:-3}
  [ "$name" = large ] && runs=1
  suffix=""
  [ "$mode" = reuse ] && suffix=-reuse
  # Expat seeds its hash tables at random, which moves the count by up to
  # ~0.4% from run to run: each side is the fewest of the runs.
  for side in floor heap arena; do
    best=""
    for run in $(seq "$runs"); do
      valgrind --tool=callgrind --callgrind-out-file="$tmp/run.out" \
        "$tpbench" --only "$side$suffix" --feeds "$feed" "$name=$file$repeat" > /dev/null 2>&1
      total=$(total_of "$tmp/run.out")
      if [ -z "$best" ] || [ "$total" -lt "$best" ]; then
        best=$total
        cp "$tmp/run.out" "$tmp/$side.out"
      fi
    done
    eval "total_$side=$best"
  done
  # Self cost of every function whose file is one of the library's.
  own=$(callgrind_annotate --auto=no --threshold=100 "$tmp/heap.out" 2>/dev/null |
        awk '$0 ~ /lib\/[a-z_]+\.[ch]:/ {gsub(",", "", $1); s += $1} END {print s + 0}')
  awk -v n="$name" -v f="$feed" -v m="$mode" -v b="$bytes" -v tf="$total_floor" \
    -v th="$total_heap" -v ta="$total_arena" -v o="$own" \
    'BEGIN {printf "%-8s %-6s %-6s %11.1f %11.1f %11.1f %9.1f%%\n", n, f, m, tf / b, th / b, ta / b, 100 * o / th}'
done
