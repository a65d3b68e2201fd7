#!/bin/sh
# tokens.sh -- memory per token on the target: builds tests/token_limits.c
# (the host's measurement, the same file) into a firmware for MCU_CORE,
# runs it under QEMU, and compares its output with
# mcu/token-limits-MCU_CORE.txt, from which tests/token_limits.sh makes the
# target's table of docs/token-limits.md; with --write, writes that file
# instead (make token-limits-mcu). Run, not sourced, as
# `sh "$srcdir/mcu/tokens.sh"`, with the environment mcu/check.sh gives
# its per-core scripts: ARM_CC, QEMU_ARM, srcdir, MCU_CORE, MCU_ARCH,
# MCU_MACHINE, MCU_LD, MCU_EXPAT_DIR, MCU_XML_CONTEXT_BYTES, MCU_OUT.
# Ends with one line, "tokens CORE: ..."; exit 0 success, 1 failure, 77
# skipped (a core with no file to compare with, unless --write).
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
core=${MCU_CORE:-cortex-m4}
cc=${ARM_CC:-}
qemu=${QEMU_ARM:-}
out=${MCU_OUT:-}
expat_dir=${MCU_EXPAT_DIR:-}
want=$srcdir/mcu/token-limits-$core.txt
# The recommended arena and smaller ones a small part might give (the
# larger ones of the host's table take the firmware minutes more).
arenas="8192 12288 16384 23040"
max_arena=23040u

skip() { echo "mcu: tokens: skipped: $*"; echo "tokens $core: skipped"; exit 77; }
die() { echo "mcu: tokens: $*"; echo "tokens $core: failed"; exit 1; }
[ -n "$cc" ] || skip "no ARM_CC"
[ -n "$qemu" ] || skip "no QEMU_ARM"
[ -n "$out" ] || die "no MCU_OUT"
[ -f "$expat_dir/xmlparse.c" ] || skip "no expat source in MCU_EXPAT_DIR ($expat_dir)"
[ "${1:-}" = --write ] || [ -f "$want" ] || skip "no mcu/token-limits-$core.txt to compare with"

arch=${MCU_ARCH:-"-mthumb -mcpu=cortex-m4 -mfloat-abi=soft"}
opt="-Os -ffunction-sections -fdata-sections"
xcb=${MCU_XML_CONTEXT_BYTES:-1024}
inc="-I$srcdir/mcu -I$srcdir/include -I$srcdir/lib -isystem $expat_dir"
rm -rf "$out" && mkdir -p "$out" || die "cannot make $out"
for f in xmlparse xmlrole xmltok; do
  # shellcheck disable=SC2086
  $cc -std=c99 $arch $opt -DNDEBUG -DXML_CONTEXT_BYTES="$xcb" -I"$srcdir/mcu" \
    -I"$expat_dir" -c "$expat_dir/$f.c" -o "$out/expat-$f.o" ||
    die "cross-compiling expat's $f.c failed"
done
for f in "$srcdir"/lib/*.c; do
  # shellcheck disable=SC2086
  $cc -std=c11 $arch $opt -DHAVE_CONFIG_H -DTP_NO_THREAD_LOCAL $inc \
    -c "$f" -o "$out/lib-$(basename "$f" .c).o" || die "cross-compiling $f failed"
done
for f in mcu/startup mcu/semihost tests/token_limits; do
  # shellcheck disable=SC2086
  $cc -std=c11 $arch $opt -Wall -Wextra -Werror -DMAX_ARENA=$max_arena \
    -I"$srcdir/mcu/include" $inc -c "$srcdir/$f.c" -o "$out/fw-$(basename "$f").o" ||
    die "cross-compiling $f.c failed"
done
# shellcheck disable=SC2086
$cc $arch --specs=nano.specs -nostartfiles -T "${MCU_LD:-$srcdir/mcu/mps2-an386.ld}" \
  -Wl,--gc-sections -o "$out/tokens.elf" "$out"/*.o -lc -lgcc ||
  die "linking the firmware failed (does a $max_arena-byte arena fit the RAM?)"

a=
for x in "$out/tokens.elf" $arenas; do a="$a,arg=$x"; done
timeout 3600 "$qemu" -M "${MCU_MACHINE:-mps2-an386}" -nographic -monitor none -serial none \
  -semihosting-config "enable=on,target=native$a" -kernel "$out/tokens.elf" \
  >"$out/measured.txt" 2>"$out/stderr.txt"
rc=$?
[ $rc -eq 0 ] && [ ! -s "$out/stderr.txt" ] || {
  cat "$out/stderr.txt"
  die "the firmware exited $rc"
}
if [ "${1:-}" = --write ]; then
  cp "$out/measured.txt" "$want" || die "cannot write $want"
  echo "tokens $core: wrote mcu/token-limits-$core.txt"
  exit 0
fi
if ! cmp -s "$want" "$out/measured.txt"; then
  diff "$want" "$out/measured.txt" | sed 's/^/mcu: /'
  die "mcu/token-limits-$core.txt is not what the target measures (make token-limits-mcu rewrites it)"
fi
echo "tokens $core: $(grep -c -v '^setup ' "$want") figures as in mcu/token-limits-$core.txt"
