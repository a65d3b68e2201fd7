#!/bin/sh
# stack.sh -- the decoder's worst-case stack on one core, measured by the
# stack pointer: QEMU runs the decode-only image (measure.c) and logs the
# registers at the start of every translation block (straight code, up to
# the next branch); straight_line.py reads from the image's code how far
# below its start each block goes, and lowest_sp.awk takes the stack
# pointer on entry to each decode and the lowest it reached before
# returning. The worst input is traced again one instruction per block,
# and must give the same figure. Painting (stack.h) misses frames
# reserved and never written, such as expat's for an encoding it must ask
# about; the stack pointer does not. On RISC-V (MCU_CORE riscv32) QEMU
# logs only the address of every block executed, and riscv_sp.py and
# riscv_sp.awk follow the stack pointer through the blocks' code from the
# start-up's, which sets it to the top of the stack; the worst input is
# traced again with the registers of every instruction logged.
#
# Inputs: the hostile set (hostile.py) at chunk sizes 1 and 512, and the
# corpus's responses of at most SMALL bytes (with the sample) at 512. The
# trace costs many times a plain run, so the corpus's long
# responses, which repeat the paths of the short ones, are left to the
# painted figures of check.sh.
#
# Then checks the reservation: the lowest stack pointer of the whole run
# (startup and main included) must stay above the linker script's
# __stack_limit__, with every hostile input decoded.
#
# Run by check.sh, not sourced, with: ARM_CC, QEMU_ARM, PYTHON3, srcdir,
# MCU_CORE, MCU_MACHINE, MCU_BOARD (more QEMU options, may be empty),
# MCU_OUT (a directory of its own), MCU_LIST (the corpus, one path a line)
# and MCU_ELF (the core's decode-only image).
# Ends with "stack CORE: worst W bytes (INPUT at chunk size C)".
# Exit 0, 1 on failure, 77 skipped.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
core=${MCU_CORE:?}
out=${MCU_OUT:?}
elf=${MCU_ELF:?}
small=1000
[ -n "${ARM_CC:-}" ] && [ -n "${QEMU_ARM:-}" ] && [ -n "${PYTHON3:-}" ] || {
  echo "mcu: stack $core: skipped: needs ARM_CC, QEMU_ARM and PYTHON3"; exit 77; }
nm=${ARM_CC%gcc}nm
rm -rf "$out" && mkdir -p "$out/hostile" "$out/o" || exit 1
"$PYTHON3" "$srcdir/mcu/hostile.py" "$out/hostile" || exit 1
ls "$out"/hostile/*.xml > "$out/hostile.list" || exit 1
{
  head -n 1 "$MCU_LIST"
  tail -n +2 "$MCU_LIST" | while read -r f; do
    [ "$(wc -c < "$f")" -le "$small" ] && echo "$f"
  done
} > "$out/corpus.list"

# The decode function measure.c calls once per file and chunk size (GCC
# may name it decode.constprop.0); Thumb's low address bit cleared.
entry=$("$nm" "$elf" | awk '$3 ~ /^decode($|\.)/ {print $1; exit}')
limit=$("$nm" "$elf" | awk '$3 == "__stack_limit__" {print $1; exit}')
top=$("$nm" "$elf" | awk '$3 == "__stack_top__" {print $1; exit}')
[ -n "$entry" ] && [ -n "$limit" ] && [ -n "$top" ] || {
  echo "mcu: stack $core: decode, __stack_limit__ or __stack_top__ not in $elf"; exit 1; }
entry=$(printf '%08x' $(( (0x$entry / 2) * 2 )))
step=
if [ "$core" = riscv32 ]; then
  # The start-up code (startup-riscv.c) sets sp to the top and jumps
  # here; from here on riscv_sp.awk follows it.
  start=$("$nm" "$elf" | awk '$3 == "fw_reset" {print $1; exit}')
  [ -n "$start" ] || { echo "mcu: stack $core: fw_reset not in $elf"; exit 1; }
  "${ARM_CC%gcc}objdump" -d --no-show-raw-insn "$elf" | "$PYTHON3" "$srcdir/mcu/riscv_sp.py" > "$out/table" || exit 1
else
  # Logging every instruction costs about three times logging every block;
  # the blocks' own depths come from the code (straight_line.py), unless
  # some instruction sets sp in a way the code does not tell.
  "${ARM_CC%gcc}objdump" -d --no-show-raw-insn "$elf" | "$PYTHON3" "$srcdir/mcu/straight_line.py" > "$out/depths" || exit 1
  if [ "${MCU_STACK_STEP:-}" = 1 ] || ! grep -q '^unknown 0$' "$out/depths"; then
    step=-singlestep
    : > "$out/depths"
  fi
fi

trace() { # NAME CHUNK...: runs the image over NAME.list, writes NAME.sp
  name=$1; shift
  a=",arg=measure,arg=$out/$name.list,arg=$out/o"
  for c in "$@"; do a="$a,arg=$c"; done
  rm -f "$out/log" && mkfifo "$out/log" || return 1
  log=cpu
  if [ "$core" != riscv32 ]; then
    LC_ALL=C awk -v entry="$entry" -v depths="$out/depths" -f "$srcdir/mcu/lowest_sp.awk" \
      < "$out/log" > "$out/$name.sp" &
  elif [ -z "$step" ]; then
    log=exec
    LC_ALL=C awk -v entry="$entry" -v start="$start" -v top=$((0x$top)) -v table="$out/table" \
      -f "$srcdir/mcu/riscv_sp.awk" < "$out/log" > "$out/$name.sp" &
  else
    # RISC-V's registers, from the start-up's jump on, in Arm's form
    # for lowest_sp.awk: sp as R13, ra as R14, pc as R15.
    LC_ALL=C awk -v start="$start" '$1 == "pc" {pc = $2; if (pc == start) on = 1}
      on && $1 == "x0/zero" {print "R12=00000000 R13=" $6 " R14=" $4 " R15=" pc}' < "$out/log" |
      LC_ALL=C awk -v entry="$entry" -v depths= -f "$srcdir/mcu/lowest_sp.awk" > "$out/$name.sp" &
  fi
  apid=$!
  # shellcheck disable=SC2086
  timeout 900 "$QEMU_ARM" -M "$MCU_MACHINE" ${MCU_BOARD:-} -nographic -monitor none -serial none \
    -semihosting-config "enable=on,target=native$a" -kernel "$elf" \
    $step -d $log,nochain -D "$out/log" > "$out/$name.qemu" 2>&1
  rc=$?
  wait "$apid" || rc=1
  [ "$rc" -eq 0 ] || { echo "mcu: stack $core: the traced run over $name.list exited with status $rc"; cat "$out/$name.qemu"; }
  return "$rc"
}
trace hostile 1 512 || exit 1
trace corpus 512 || exit 1

# "call N ENTRY LOWEST" lines: call N is file (N-1)/chunks, chunk size
# (N-1)%chunks of its list.
report() { # NAME CHUNK...
  name=$1; shift
  awk -v chunks="$*" -v list="$out/$name.list" '
    BEGIN { n = split(chunks, c, " "); while ((getline f < list) > 0) files[k++] = f }
    $1 == "call" {
      i = $2 - 1; used = $3 - $4
      printf "%d %s %d\n", used, files[int(i / n)], c[i % n + 1]
    }' "$out/$name.sp"
}
{ report hostile 1 512; report corpus 512; } | sort -n -r > "$out/used"
calls=$(wc -l < "$out/used")
expected=$(( $(wc -l < "$out/hostile.list") * 2 + $(wc -l < "$out/corpus.list") ))
[ "$calls" -eq "$expected" ] || {
  echo "mcu: stack $core: $calls decodes traced, $expected expected"; exit 1; }
sample=$(awk -v s="$(head -n 1 "$MCU_LIST")" '$2 == s {print $1; exit}' "$out/used")
lowest=$(awk '$1 == "run" {print $2}' "$out/hostile.sp" "$out/corpus.sp" | sort -n | head -n 1)
reserved=$(( 0x$top - 0x$limit ))
echo "mcu: stack $core, by the stack pointer over $calls decodes ($(wc -l < "$out/hostile.list") hostile responses at chunk sizes 1 and 512, $(wc -l < "$out/corpus.list") of the corpus at 512): sample $sample bytes"
head -n 3 "$out/used" | while read -r w f c; do
  echo "mcu: stack $core: $w bytes for $(basename "$f") at chunk size $c"
done
# The whole run, startup and main included, within the reservation.
spare=$(( lowest - 0x$limit ))
echo "mcu: stack $core: the linker script reserves $reserved bytes; the deepest run left $spare of them unused"
if [ "$spare" -lt 0 ]; then
  echo "mcu: stack $core: the stack went $(( -spare )) bytes below __stack_limit__"; exit 1
fi
set -- $(head -n 1 "$out/used")
worst=$1 file=$2 chunk=$3
if [ -n "$step" ]; then
  echo "mcu: stack $core: an instruction sets sp from a register: every instruction was traced"
else
  # The worst once more, every instruction logged: the blocks' depths
  # must give exactly what the stack pointer itself shows.
  echo "$file" > "$out/worst.list"
  step=-singlestep
  : > "$out/depths"
  trace worst "$chunk" || exit 1
  again=$(awk '$1 == "call" {print $3 - $4; exit}' "$out/worst.sp")
  if [ "$again" != "$worst" ]; then
    echo "mcu: stack $core: $(basename "$file") at chunk size $chunk takes $again bytes traced instruction by instruction, $worst by blocks"
    exit 1
  fi
fi
echo "stack $core: worst $worst bytes ($(basename "$file") at chunk size $chunk)"
