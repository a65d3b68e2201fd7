#!/bin/sh
# run-fuzzers.sh -- build the libFuzzer harnesses and run each for SECONDS
# (default 60) with its dictionary, from its seed corpus (written by
# fuzz/make-corpus.py into the work directory, with $PYTHON3 or python3):
#   fuzz/run-fuzzers.sh [SECONDS [HARNESS...]]
# HARNESS names which to run (decode chunks values arena request collect);
# default all.
# Exits 1 if any harness finds something (the input is kept in the work
# directory and its path printed), 0 otherwise; also 0, with a note, when
# clang or libFuzzer is missing. $CC, $CFLAGS and $LIB_FUZZING_ENGINE are
# passed to build-fuzzers.sh; $FUZZ_WORKDIR keeps the work directory
# (builds, corpora, logs) instead of a temporary one; $FUZZ_JOBS runs that
# many harnesses at once (default: the processors online).
set -u

seconds=${1:-60}
[ $# -gt 0 ] && shift
harnesses=${*:-decode chunks values arena request collect}
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-clang}
LIB_FUZZING_ENGINE=${LIB_FUZZING_ENGINE:--fsanitize=fuzzer}
export CC LIB_FUZZING_ENGINE

if ! command -v "$CC" >/dev/null 2>&1; then
  echo "run-fuzzers: $CC not found; not fuzzing"
  exit 0
fi
probe=$(mktemp -d)
cat > "$probe/p.c" <<'PROBE'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)data; (void)size; return 0; }
PROBE
# shellcheck disable=SC2086
if ! "$CC" $LIB_FUZZING_ENGINE "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
  rm -rf "$probe"
  echo "run-fuzzers: $CC cannot link with $LIB_FUZZING_ENGINE (libFuzzer missing?); not fuzzing"
  exit 0
fi
rm -rf "$probe"

if [ -n "${FUZZ_WORKDIR:-}" ]; then
  work=$FUZZ_WORKDIR
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/tpfuzz.XXXXXX")
fi
echo "run-fuzzers: building in $work/bin"
"$here/build-fuzzers.sh" "$work/bin" || exit 1
py=${PYTHON3:-python3}
rm -rf "${work:?}/seeds"
"$py" "$here/make-corpus.py" "$work/seeds" >/dev/null || {
  echo "run-fuzzers: $py cannot write the seed corpus (fuzz/make-corpus.py)"
  exit 1
}

# The element names lib/fields.def looks up are a dictionary of their own
# (lib/genfields.py writes fields.dict); libFuzzer takes one.
cat "$here/soap.dict" "$here/fields.dict" > "$work/soap.dict" || exit 1

# One harness: its corpus from the seeds, then SECONDS of fuzzing; its
# exit status goes to $work/$h/rc.
run_one() {
  h=$1
  dict=$work/soap.dict
  extra=
  if [ "$h" = values ]; then
    dict=$here/values.dict
    extra=-max_len=4096 # long digit strings matter to xsd:double
  elif [ "$h" = request ]; then
    dict=$here/request.dict
    extra=-max_len=4096 # room for every string at its longest (15 + 11 * 256)
  fi
  # shellcheck disable=SC2086
  "$work/bin/fuzz_$h" -max_total_time="$seconds" -dict="$dict" $extra \
    -artifact_prefix="$work/$h/artifacts/" "$work/$h/corpus" \
    > "$work/$h/log" 2>&1
  echo $? > "$work/$h/rc"
}

# What a harness did, and whether it found something.
report() {
  h=$1
  rc=$(cat "$work/$h/rc")
  echo "run-fuzzers: $h for ${seconds}s"
  tail -n 1 "$work/$h/log" | sed "s/^/  /"
  grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$work/$h/log" | tail -n 1 | sed "s/^/  /"
  if [ "$rc" -ne 0 ] || [ -n "$(ls "$work/$h/artifacts")" ]; then
    echo "run-fuzzers: $h FOUND SOMETHING (exit $rc):"
    find "$work/$h/artifacts" -type f | sed "s|^|  |"
    grep -E 'FUZZ FINDING|ERROR|runtime error' "$work/$h/log" | head -n 5 | sed "s/^/  /"
    failed=1
  fi
}

# FUZZ_JOBS harnesses at a time (default: the processors online), each
# for its full SECONDS: on CI's 2 cores the six take 3 minutes, not 6.
jobs=${FUZZ_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
failed=0
batch=
running=0
for h in $harnesses; do
  if [ ! -d "$work/seeds/$h" ]; then
    echo "run-fuzzers: no harness $h"
    failed=1
    continue
  fi
  rm -rf "${work:?}/$h"
  mkdir -p "$work/$h/corpus" "$work/$h/artifacts"
  cp "$work/seeds/$h/"* "$work/$h/corpus/"
  run_one "$h" &
  batch="$batch $h"
  running=$((running + 1))
  if [ $running -ge "$jobs" ]; then
    wait
    for b in $batch; do report "$b"; done
    batch=
    running=0
  fi
done
wait
for b in $batch; do report "$b"; done
if [ $failed -eq 0 ] && [ -z "${FUZZ_WORKDIR:-}" ]; then
  rm -rf "$work"
fi
exit $failed
