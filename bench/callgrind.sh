#!/bin/sh
# callgrind.sh TPBENCH DATA_DIR [collect] -- instructions per input byte,
# counted by callgrind (repeatable on a noisy machine), for expat alone and
# for the decoder in heap and in arena mode, and the heap decoder's own
# share: instructions spent in lib/*.c and the inline functions of lib/*.h.
# "reuse" rows reset between responses (expat alone: XML_ParserReset),
# "fresh" rows create and free per response. RUNS (default 3) runs per
# count, 1 for large (its count varies least and takes longest).
# With "collect": tpbench --collect's sides instead (bench/collectbench.h),
# and the collector's own instructions, those in lib/collect.c.
set -eu
tpbench=$1
data=$2
table=${3:-decoder}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v valgrind >/dev/null 2>&1 || { echo "callgrind: valgrind not installed"; exit 0; }
total_of() {
  callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}
# Self cost of every function whose file matches the pattern $2.
self_in() {
  callgrind_annotate --auto=no --threshold=100 "$1" 2>/dev/null |
    awk -v p="$2" '$0 ~ p {gsub(",", "", $1); s += $1} END {print s + 0}'
}
# fewest OUT RUNS TPBENCH-ARGS...: the fewest instructions of RUNS runs,
# whose profile is kept in OUT. Expat seeds its hash tables at random,
# which moves the count by up to ~0.4% from run to run.
fewest() {
  out=$1
  n=$2
  shift 2
  best=""
  for run in $(seq "$n"); do
    valgrind --tool=callgrind --callgrind-out-file="$tmp/run.out" \
      "$tpbench" "$@" > /dev/null 2>&1
    total=$(total_of "$tmp/run.out")
    if [ -z "$best" ] || [ "$total" -lt "$best" ]; then
      best=$total
      cp "$tmp/run.out" "$out"
    fi
  done
  echo "$best"
}
if [ "$table" = collect ]; then
  printf '%-8s %-6s %11s %10s %12s %11s %8s %8s %11s\n' input feed "expat Ir/B" "read Ir/B" \
    "collect Ir/B" "capped Ir/B" collect capped "collect.c"
  printf '%-8s %-6s %11s %10s %12s %11s %8s %8s %11s\n' "" "" "" "" "" "" /read /read "Ir/B"
  for spec in small:4096 medium:4096; do
    name=${spec%%:*}
    feed=${spec#*:}
    file="$data/$name.xml"
    [ -f "$file" ] || continue
    repeat=""
    bytes=$(wc -c < "$file")
    if [ "$name" = small ]; then
      repeat=x200
      bytes=$((bytes * 200))
    fi
    set -- "${RUNS:-3}" --collect --feeds "$feed" "$name=$file$repeat"
    ir_floor=$(fewest "$tmp/floor.out" "$@" --only floor-reuse)
    ir_read=$(fewest "$tmp/read.out" "$@" --only read)
    ir_collect=$(fewest "$tmp/collect.out" "$@" --only collect)
    ir_capped=$(fewest "$tmp/capped.out" "$@" --only collect-capped)
    own=$(self_in "$tmp/collect.out" 'lib/collect[.]c:')
    awk -v n="$name" -v f="$feed" -v b="$bytes" -v tf="$ir_floor" -v tr="$ir_read" \
      -v tc="$ir_collect" -v tk="$ir_capped" -v o="$own" \
      'BEGIN {printf "%-8s %-6s %11.1f %10.1f %12.1f %11.1f %8.3f %8.3f %11.2f\n", n, f,
        tf / b, tr / b, tc / b, tk / b, tc / tr, tk / tr, o / b}'
  done
  exit 0
fi
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
  for side in floor heap arena; do
    best=$(fewest "$tmp/$side.out" "$runs" --only "$side$suffix" --feeds "$feed" "$name=$file$repeat")
    eval "total_$side=$best"
  done
  # Self cost of every function whose file is one of the library's.
  own=$(self_in "$tmp/heap.out" 'lib/[a-z_]+[.][ch]:')
  awk -v n="$name" -v f="$feed" -v m="$mode" -v b="$bytes" -v tf="$total_floor" \
    -v th="$total_heap" -v ta="$total_arena" -v o="$own" \
    'BEGIN {printf "%-8s %-6s %-6s %11.1f %11.1f %11.1f %9.1f%%\n", n, f, m, tf / b, th / b, ta / b, 100 * o / th}'
done
