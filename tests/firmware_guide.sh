#!/bin/sh
# firmware_guide.sh -- docs/firmware.md builds what it shows: its Makefile
# and its CMake toolchain file and project, taken from the guide's own text
# (the fenced blocks marked "firmware_guide.sh: NAME"), each build the
# minimal firmware mcu/guide/main.c for the Cortex-M4 (the Makefile with
# soft float, CMake with hard float and TP_NO_THREAD_LOCAL left to its link
# check, which must choose ON); the guide's own QEMU command runs each on
# mps2-an386, and each must print for the sample the jobs, tasks, items and
# progress the host's tpdump decodes. Also: the guide's getentropy()
# compiles for the target, the FPU enable it shows is main.c's, and its
# Macros table names every TP_ and HAVE_ macro that lib/ and include/ test
# without defining (those a build sets).
# Run by make check-mcu after mcu/check.sh, whose fetched expat source
# (mcu/out/cache) it builds; skipped without it, the cross compiler, QEMU,
# cmake or python3.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
guide=$srcdir/docs/firmware.md
skip() { echo "firmware_guide: skipped: $*"; exit 77; }
[ -n "${ARM_CC:-}" ] || skip "arm-none-eabi-gcc with newlib not found by configure (install gcc-arm-none-eabi libnewlib-arm-none-eabi)"
[ -n "${QEMU_ARM:-}" ] || skip "qemu-system-arm not found by configure (install qemu-system-arm)"
[ -n "${CMAKE:-}" ] || skip "cmake not found by configure (install cmake)"
[ -n "${PYTHON3:-}" ] || skip "python3 not found by configure (install python3)"
[ -x "${TPDUMP:-}" ] || { echo "firmware_guide: TPDUMP is not set to the built tools/tpdump"; exit 1; }
expat_dir=$(ls -d "${abs_top_builddir:-$(pwd)}"/mcu/out/cache/src/expat-*/expat 2>/dev/null | tail -n 1)
[ -n "$expat_dir" ] && [ -f "$expat_dir/lib/xmlparse.c" ] ||
  skip "expat's source is not in mcu/out/cache of the build tree (make check-mcu fetches it first)"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# The guide names the tools by their plain names: these ones first.
PATH=$(dirname "$ARM_CC"):$(dirname "$QEMU_ARM"):$PATH
export PATH
sample=$srcdir/examples/sample-response.xml
fail=0

block() { # NAME: the fenced block the guide marks "firmware_guide.sh: NAME"
  awk -v mark="<!-- firmware_guide.sh: $1 -->" '
    $0 == mark { state = 1; next }
    state == 1 && /^```/ { state = 2; next }
    state == 2 && /^```/ { exit }
    state == 2 { print }' "$guide"
}
for name in Makefile toolchain.cmake CMakeLists.txt build run getentropy fpu; do
  block "$name" > "$tmp/$name" || exit 1
  [ -s "$tmp/$name" ] || { echo "FAIL: docs/firmware.md has no block marked firmware_guide.sh: $name"; exit 1; }
done

# What the firmware must print: a line per job, from the host's decode.
# shellcheck disable=SC2016
"$TPDUMP" "$sample" | "$PYTHON3" -c '
import json, sys
for line in sys.stdin:
    job = json.loads(line)
    tasks = job.get("taskProgressArray", [])
    items = sum(len(t.get("taskItemProgressArray", [])) for t in tasks)
    print("job %s: %d tasks, %d items, progress %d" % (job["jobHandle"], len(tasks), items, job["progress"]))
' > "$tmp/want" && [ -s "$tmp/want" ] || { echo "FAIL: the host's tpdump did not decode the sample"; exit 1; }

project() { # DIR: a firmware project beside the repository and expat's source
  mkdir -p "$1" && ln -s "$srcdir" "$1/libtaskprogress" && mkdir "$1/expat" &&
    ln -s "$expat_dir/lib" "$1/expat/lib"
}
run() { # HOW DIR: the guide's QEMU command in DIR, on the sample
  cp "$sample" "$2/sample-response.xml" || exit 1
  (cd "$2" && timeout 300 sh "$tmp/run") > "$tmp/$1.out" 2> "$tmp/$1.err"
  rc=$?
  if [ $rc -ne 0 ] || [ -s "$tmp/$1.err" ] || ! cmp -s "$tmp/want" "$tmp/$1.out"; then
    echo "FAIL: the firmware built $1 (exit $rc) printed, against what the host decodes:"
    diff "$tmp/want" "$tmp/$1.out" | head -n 10; head -n 5 "$tmp/$1.err"
    fail=1
  fi
}

# ---------------------------------------------------------------- make
project "$tmp/mk" || exit 1
cp "$tmp/Makefile" "$tmp/mk/Makefile" || exit 1
if make -C "$tmp/mk" > "$tmp/mk.log" 2>&1; then
  run "with the Makefile" "$tmp/mk"
else
  cat "$tmp/mk.log"; echo "FAIL: the guide's Makefile did not build"; fail=1
fi

# ---------------------------------------------------------------- CMake
project "$tmp/cm" || exit 1
cp "$tmp/toolchain.cmake" "$tmp/CMakeLists.txt" "$tmp/cm/" || exit 1
mkdir "$tmp/bin" && ln -s "$CMAKE" "$tmp/bin/cmake" || exit 1
if (cd "$tmp/cm" && PATH=$tmp/bin:$PATH sh -e "$tmp/build") > "$tmp/cm.log" 2>&1; then
  grep -q 'TP_NO_THREAD_LOCAL: ON (AUTO' "$tmp/cm.log" ||
    { grep 'TP_NO_THREAD_LOCAL' "$tmp/cm.log"; echo "FAIL: CMake's link check did not choose TP_NO_THREAD_LOCAL"; fail=1; }
  # The hard-float build is what exercises the FPU enable.
  "${ARM_CC%gcc}readelf" -h "$tmp/cm/build/firmware.elf" | grep -q 'hard-float ABI' ||
    { echo "FAIL: the toolchain file's firmware is not built for hard float"; fail=1; }
  run "with CMake" "$tmp/cm/build"
else
  cat "$tmp/cm.log"; echo "FAIL: the guide's CMake project did not build"; fail=1
fi

# ---------------------------------------------------------------- the text
cp "$tmp/getentropy" "$tmp/getentropy.c" &&
  "$ARM_CC" -std=c11 -mthumb -mcpu=cortex-m4 -Wall -Wextra -Wpedantic -Wconversion -Werror \
    -c "$tmp/getentropy.c" -o "$tmp/getentropy.o" ||
  { echo "FAIL: docs/firmware.md's getentropy() does not compile for the target"; fail=1; }
main=$(cat "$srcdir/mcu/guide/main.c")
fpu=$(cat "$tmp/fpu")
case $main in
  *"$fpu"*) ;;
  *) echo "FAIL: the FPU enable docs/firmware.md shows is not mcu/guide/main.c's"; fail=1 ;;
esac
cond=$(grep -hE '^[[:space:]]*#[[:space:]]*(if|elif|ifdef|ifndef)' "$srcdir"/lib/*.[ch] "$srcdir"/include/*.h |
       grep -oE '\b(TP|HAVE)_[A-Z0-9_]+' | sort -u)
defined=$(sed -nE 's/^[[:space:]]*#[[:space:]]*define[[:space:]]+((TP|HAVE)_[A-Z0-9_]+).*/\1/p' \
            "$srcdir"/lib/*.[ch] "$srcdir"/include/*.h | sort -u)
sed -n '/^## Macros$/,/^## /p' "$guide" > "$tmp/macros"
macros=0
for m in $cond; do
  printf '%s\n' "$defined" | grep -qx "$m" && continue
  macros=$((macros + 1))
  grep -qF "| \`$m\` |" "$tmp/macros" ||
    { echo "FAIL: docs/firmware.md's Macros table does not name $m, which lib/ or include/ tests"; fail=1; }
done
[ $fail -eq 0 ] && echo "firmware_guide: the guide's Makefile (soft float) and CMake (hard float, TP_NO_THREAD_LOCAL by its link check) builds decode the sample under QEMU as the host does; its Macros table names all $macros macros a build sets"
exit $fail
