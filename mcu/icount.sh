#!/bin/sh
# icount.sh -- instructions per input byte on one core, under QEMU's
# -icount shift=0: the decoder against expat alone on the same bytes in the
# same 512-byte chunks (mcu/icount.c), on examples/sample-response.xml and
# on bench/genbench.py 100 2 50 (2.5 MB, read from the host through
# semihosting, chunk by chunk, outside the regions counted). A few seconds.
# Run by mcu/check.sh per core, as `sh "$srcdir/mcu/icount.sh"`, with
# ARM_CC, QEMU_ARM, PYTHON3, srcdir, MCU_CORE, MCU_ARCH, MCU_MACHINE,
# MCU_LD, MCU_EXPAT_DIR, MCU_XML_CONTEXT_BYTES, MCU_OUT and MCU_LIST set
# (MCU_LIST is not read: the two inputs are fixed). Prints details
# prefixed `mcu:` and ends with `icount CORE: decoder D, expat alone X`
# (genbench 100 2 50, one decimal). Exit 0, 1 on failure, 77 skipped.
# The library is built as check.sh builds it (-Os, no TP_OPTIMIZE_SIZE);
# MCU_ICOUNT_DEFS adds flags to it (e.g. -DTP_OPTIMIZE_SIZE) to measure
# a variant.
set -u
core=${MCU_CORE:?} out=${MCU_OUT:?} cc=${ARM_CC:-} qemu=${QEMU_ARM:-}
skip() { echo "mcu: icount $core skipped: $*"; echo "icount $core: decoder ?, expat alone ?"; exit 77; }
fail() { echo "mcu: icount $core: $*"; echo "icount $core: decoder ?, expat alone ?"; exit 1; }
[ -n "$cc" ] || skip "no cross compiler"
[ -n "$qemu" ] || skip "no qemu-system-arm"
srcdir=$(cd "${srcdir:?}" && pwd)
expat=${MCU_EXPAT_DIR:?}
mkdir -p "$out/lib" "$out/expat" || exit 1
opt="-Os -ffunction-sections -fdata-sections"
warn="-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wundef -Werror"
inc="-I$srcdir/mcu -I$srcdir/include -I$srcdir/lib -isystem $expat"
for f in xmlparse xmlrole xmltok; do
  # shellcheck disable=SC2086
  $cc -std=c99 $MCU_ARCH $opt -DNDEBUG -DXML_CONTEXT_BYTES="${MCU_XML_CONTEXT_BYTES:?}" \
    -I"$srcdir/mcu" -I"$expat" -c "$expat/$f.c" -o "$out/expat/$f.o" ||
    fail "cross-compiling expat's $f.c failed"
done
for f in "$srcdir"/lib/*.c; do
  # shellcheck disable=SC2086
  $cc -std=c11 $MCU_ARCH $opt $warn -DHAVE_CONFIG_H -DTP_NO_THREAD_LOCAL ${MCU_ICOUNT_DEFS:-} \
    $inc -c "$f" -o "$out/lib/$(basename "$f" .c).o" || fail "cross-compiling $f failed"
done
for f in startup semihost icount; do
  # shellcheck disable=SC2086
  $cc -std=c11 $MCU_ARCH $opt $warn -I"$srcdir/mcu/include" $inc \
    -c "$srcdir/mcu/$f.c" -o "$out/$f.o" || fail "cross-compiling mcu/$f.c failed"
done
# shellcheck disable=SC2086
# It holds a TP_ARENA_RECOMMENDED_SIZE arena: on a part too small for
# that, check.sh's harness script and QEMU options give it more RAM
# (MCU_HARNESS_LD, MCU_HARNESS_QEMU), which does not change its count.
if ! $cc $MCU_ARCH --specs=nano.specs -nostartfiles -T "${MCU_HARNESS_LD:-${MCU_LD:?}}" -Wl,--gc-sections \
  -o "$out/icount.elf" "$out/startup.o" "$out/semihost.o" "$out/icount.o" \
  "$out"/lib/*.o "$out"/expat/*.o -lc -lgcc > "$out/link.log" 2>&1; then
  # A core whose memory cannot hold it is skipped, with by how much.
  over=$(grep -m 1 -o "region .* overflowed by [0-9]* bytes" "$out/link.log")
  [ -n "$over" ] && skip "icount.elf does not fit $core's memory ($over)"
  sed 's/^/mcu: /' "$out/link.log"; fail "linking icount.elf failed"
fi
"${PYTHON3:?}" "$srcdir/bench/genbench.py" 100 2 50 > "$out/genbench-100-2-50.xml" ||
  fail "bench/genbench.py failed"
sample=$srcdir/examples/sample-response.xml
medium=$out/genbench-100-2-50.xml
case "$sample$medium" in *" "* | *,*) fail "a path has a space or a comma, which QEMU's command line cannot carry" ;; esac
# shellcheck disable=SC2086
timeout 300 "$qemu" -M "${MCU_MACHINE:?}" ${MCU_HARNESS_QEMU:-} -icount shift=0 -nographic -monitor none -serial none \
  -semihosting-config "enable=on,target=native,arg=icount,arg=512,arg=$sample,arg=$medium" \
  -kernel "$out/icount.elf" > "$out/log" 2>&1
rc=$?
[ $rc -eq 3 ] && skip "SysTick does not count on $MCU_MACHINE"
[ $rc -eq 0 ] || { sed 's/^/mcu: /' "$out/log"; fail "icount.elf exited with status $rc"; }
awk -v core="$core" -v sample="$sample" -v medium="$medium" '
  function per(x, b) { return sprintf("%.1f", x / b) }
  $1 == "calibration" && NF == 2 {
    printf "mcu: icount %s: %.3f instructions per SysTick tick\n", core, $2 / 1000
    next
  }
  NF == 4 {
    name = $1 == sample ? "sample" : $1 == medium ? "genbench 100 2 50" : $1
    d[name] = per($3, $2); x[name] = per($4, $2)
    printf "mcu: icount %s: %s (%d bytes, 512-byte feeds): decoder %s, expat alone %s instructions per byte (%.2f x)\n",
      core, name, $2, d[name], x[name], $3 / $4
    next
  }
  { print "mcu: icount " core ": unexpected output: " $0; bad = 1 }
  END {
    if (bad || !("genbench 100 2 50" in d)) exit 1
    printf "icount %s: decoder %s, expat alone %s\n", core, d["genbench 100 2 50"], x["genbench 100 2 50"]
  }' "$out/log" || fail "icount.elf gave no figures"
