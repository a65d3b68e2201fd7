#!/bin/sh
# check.sh -- make check-mcu: builds the firmware of mcu/ (the library,
# Debian's expat and tpdump (tools/*.c) with newlib) for three Cortex-M
# cores, cortex-m4 (QEMU mps2-an386), cortex-m33 (mps2-an505) and
# cortex-m0 (microbit, nRF51), and with picolibc for a RISC-V one,
# riscv32 (virt, rv32imac), runs it under QEMU over every response of
# tests/conformance and tests/data, the sample and a genbench response, at
# chunk sizes 1, 7 and 512, and compares each run's stdout, stderr and exit
# status byte for byte with the host's tpdump --format=events on the same
# file; then writes a few getActiveJobs requests on the target
# (mcu/request.c) and compares them byte for byte with the same requests
# written on the host. On the Cortex-M4 it also runs the library built
# with TP_OPTIMIZE_SIZE, and decodes every response through the collector
# (mcu/collect.c) with pools of several sizes, comparing every record with
# the host's. Prints the flash, RAM and stack measured on the targets, the
# Cortex-M4's two summary lines and one line per core, writes the measured
# table to mcu/out/run/SIZES.md and fails when it differs from the
# checked-in mcu/SIZES.md (same toolchain only; MCU_UPDATE_SIZES=1 writes
# it instead). Skipped (exit 77) where the cross compiler, QEMU or expat's
# source package cannot be had; without RISC-V's compiler or QEMU, the
# Cortex-M cores are checked and the check ends skipped. See
# mcu/README.md.
#
# Environment (make check-mcu sets it): ARM_CC, QEMU_ARM, RISCV_CC,
# QEMU_RISCV32, TPDUMP, PYTHON3, abs_top_builddir, srcdir (the top source
# directory), and CC, CFLAGS and EXPAT_LIBS for the host's side of the
# request check. MCU_CORES (default all four) chooses cores;
# MCU_UPDATE_SIZES=1 rewrites mcu/SIZES.md.
#
# Internal: check.sh --run-one CORE KIND LOG ELF ARG... runs one image
# under QEMU (KIND product: the core's own RAM; harness: as much as tpdump
# needs), its output in LOG and its exit status in LOG.rc.
set -u
chunks="1 7 512"

all_cores="cortex-m4 cortex-m33 cortex-m0 riscv32"
arm_cc=${ARM_CC:-} arm_qemu=${QEMU_ARM:-}
riscv_cc=${RISCV_CC:-} riscv_qemu=${QEMU_RISCV32:-}

# core_conf CORE: the core's compiler and its flags, C library options for
# the decode-only images (nano), start-up file, QEMU and its board and
# options, and linker script.
core_conf() {
  cc=$arm_cc qemu=$arm_qemu nano=--specs=nano.specs startup=startup.c board=
  case $1 in
  cortex-m4) machine=mps2-an386 ld=mps2-an386.ld ;;
  cortex-m33) machine=mps2-an505 ld=mps2-an505.ld ;;
  cortex-m0) machine=microbit ld=nrf51.ld ;;
  riscv32)
    # SiFive's E31 is an rv32imac core; on the virt board, for its RAM
    # (the sifive_e board has 16 KiB). picolibc is small already: one C
    # library for every image.
    cc=$riscv_cc qemu=$riscv_qemu nano="" startup=startup-riscv.c
    machine=virt ld=riscv-virt.ld board="-cpu sifive-e31 -bios none"
    arch="-march=rv32imac -mabi=ilp32 --specs=picolibc.specs" ;;
  *) echo "mcu: no such core: $1"; exit 1 ;;
  esac
  case $1 in cortex-*) arch="-mthumb -mcpu=$1 -mfloat-abi=soft" ;; esac
  tools=${cc%gcc}
}

if [ "${1:-}" = --run-one ]; then
  core=$2 kind=$3 log=$4 elf=$5
  shift 5
  core_conf "$core"
  # The nRF51's 16 KiB cannot hold tpdump (its 24 KiB of decoder and
  # arena, printf's heap): the harness images get 64 KiB, which the board
  # takes as a property. The decode path alone (measure.elf) runs in 16.
  grow=
  [ "$machine" = microbit ] && [ "$kind" = harness ] && grow="-global nrf51-soc.sram-size=65536"
  a=
  for x in "$elf" "$@"; do a="$a,arg=$x"; done
  # shellcheck disable=SC2086
  timeout 900 "$qemu" -M "$machine" $board $grow -nographic -monitor none -serial none \
    -semihosting-config "enable=on,target=native$a" -kernel "$elf" > "$log" 2>&1
  echo $? > "$log.rc"
  exit 0
fi

srcdir=$(cd "${srcdir:-.}" && pwd)
build=${abs_top_builddir:-$(pwd)}/mcu/out
cores=${MCU_CORES:-$all_cores}
skip() { echo "mcu: skipped: $*"; exit 77; }
[ -n "$arm_cc" ] || skip "arm-none-eabi-gcc with newlib not found by configure (install gcc-arm-none-eabi libnewlib-arm-none-eabi)"
[ -n "$arm_qemu" ] || skip "qemu-system-arm not found by configure (install qemu-system-arm)"
[ -n "${PYTHON3:-}" ] || skip "python3 not found by configure (install python3)"
[ -x "${TPDUMP:-}" ] || { echo "mcu: the host's tools/tpdump is not built"; exit 1; }
# Without its tools the RISC-V core is left out, the Cortex-M cores are
# checked, and the check ends as skipped, saying why.
riscv_why=
case " $cores " in
*" riscv32 "*)
  [ -n "$riscv_cc" ] || riscv_why="riscv64-unknown-elf-gcc with picolibc not found by configure (install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf)"
  [ -n "$riscv_why" ] || [ -n "$riscv_qemu" ] || riscv_why="qemu-system-riscv32 not found by configure (install qemu-system-misc)"
  [ -z "$riscv_why" ] || cores=$(echo "$cores" | sed "s/ *riscv32//") ;;
esac
[ -n "$cores" ] || skip "the riscv32 core: $riscv_why"

# ---------------------------------------------------------------- expat
# Debian's expat source package, fetched once into the build tree with
# apt-get source through a private apt state (the machine's configuration
# is not touched): the release and the archive are the machine's own, read
# from its apt sources.
mkdir -p "$build/cache" || exit 1
expat_dir=$(ls -d "$build"/cache/src/expat-*/expat 2>/dev/null | tail -n 1)
if [ -z "$expat_dir" ] || [ ! -f "$expat_dir/lib/xmlparse.c" ]; then
  command -v apt-get >/dev/null 2>&1 || skip "apt-get not found: expat's Debian source package cannot be fetched"
  command -v dpkg-source >/dev/null 2>&1 || skip "dpkg-source not found (install dpkg-dev)"
  . "$srcdir/tests/debian_archive.sh"
  [ -n "$uri" ] || skip "no Debian archive for $codename in the machine's apt sources: expat's source package cannot be fetched"
  apt=$build/cache/apt
  rm -rf "$apt" "$build/cache/src"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$build/cache/src" || exit 1
  printf 'deb-src %s %s main\n' "$uri" "$codename" > "$apt/sources.list"
  aptopts="-q -o Dir::Etc::SourceList=$apt/sources.list -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=$apt/lists -o Dir::Cache=$apt/cache"
  echo "mcu: fetching expat's source package ($(cat "$apt/sources.list"))"
  # shellcheck disable=SC2086
  apt-get $aptopts update > "$apt/log" 2>&1 &&
    (cd "$build/cache/src" && apt-get $aptopts -o APT::Sandbox::User=root source expat) >> "$apt/log" 2>&1 ||
    { tail -n 5 "$apt/log"; skip "expat's source package could not be fetched (network, or install dpkg-dev)"; }
  expat_dir=$(ls -d "$build"/cache/src/expat-*/expat 2>/dev/null | tail -n 1)
  [ -f "$expat_dir/lib/xmlparse.c" ] || skip "expat's source package has no expat/lib/xmlparse.c"
fi
expat_version=$(basename "$(dirname "$expat_dir")")

opt="-Os -ffunction-sections -fdata-sections"
# MCU_XML_CONTEXT_BYTES overrides expat_config.h's value, to measure others.
xcb=${MCU_XML_CONTEXT_BYTES:-$(awk '$2 == "XML_CONTEXT_BYTES" && $1 == "#define" {print $3}' "$srcdir/mcu/expat_config.h")}
key=$(cat "$srcdir/mcu/expat_config.h" "$expat_dir/lib/xmlparse.c" | cksum | cut -d ' ' -f 1)
warn="-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wundef -Werror"
inc="-I$srcdir/mcu -I$srcdir/include -I$srcdir/lib -isystem $expat_dir/lib"
run=$build/run
rm -rf "$build/obj" "$build"/*.elf "$build"/*.map "$run" && mkdir -p "$run" || exit 1

# ---------------------------------------------------------------- firmware
# build_core CORE: expat (once per configuration and core, kept in the
# build tree), the library, tpdump and the firmware for CORE, linked into
# $build/CORE/*.elf. Every core gets fw.elf (tpdump and the request
# writer, compared with the host) and measure.elf (the decode path alone,
# measured); the Cortex-M4 also the library with TP_OPTIMIZE_SIZE
# (fw-small.elf, measure-small.elf), measure-full.elf (the full newlib)
# and collect.elf (the collector).
build_core() {
  core=$1
  core_conf "$core"
  out=$build/$core
  obj=$out/obj
  eobj=$build/cache/expat-obj-$core-$key-$xcb
  if [ ! -f "$eobj/stamp" ]; then
    rm -rf "$eobj" && mkdir -p "$eobj" || exit 1
    for f in xmlparse xmlrole xmltok; do
      # shellcheck disable=SC2086
      $cc -std=c99 $arch $opt -DNDEBUG -DXML_CONTEXT_BYTES="$xcb" -I"$srcdir/mcu" \
        -I"$expat_dir/lib" -c "$expat_dir/lib/$f.c" -o "$eobj/$f.o" || {
        echo "mcu: cross-compiling expat's $f.c for $core failed"; exit 1; }
    done
    touch "$eobj/stamp"
  fi
  variants=lib
  [ "$core" = cortex-m4 ] && variants="lib lib-small"
  rm -rf "$out" && mkdir -p "$obj/lib" "$obj/lib-small" "$obj/fw" || exit 1
  # The library as it is, and on the Cortex-M4 with the speed-only paths
  # compiled out (TP_OPTIMIZE_SIZE, README "On a microcontroller"), which
  # must decode the same.
  for f in "$srcdir"/lib/*.c; do
    for v in $variants; do
      def=; [ $v = lib-small ] && def=-DTP_OPTIMIZE_SIZE
      # shellcheck disable=SC2086
      $cc -std=c11 $arch $opt $warn -DHAVE_CONFIG_H -DTP_NO_THREAD_LOCAL $def $inc \
        -c "$f" -o "$obj/$v/$(basename "$f" .c).o" || { echo "mcu: cross-compiling $f ($v, $core) failed"; exit 1; }
    done
  done
  # tpdump's files as they are, with buffers that fit the RAM and main
  # renamed; their objects are named tpdump-*.o, apart from the firmware's.
  # (tpwatch's files are libcurl's program, not tpdump's.)
  for f in "$srcdir"/tools/*.c; do
    case $f in */tpwatch*) continue ;; esac
    # shellcheck disable=SC2086
    $cc -std=c11 $arch $opt -Wall -Wextra -Werror -I"$srcdir/mcu/include" $inc \
      -DTPDUMP_MAX_CHUNK=512u -DTPDUMP_OUT_BUF=512u -DTPDUMP_TEXT_KEEP=64 \
      -DTPDUMP_POOL=4096 -Dmain=tpdump_main \
      -c "$f" -o "$obj/fw/tpdump-$(basename "$f" .c).o" || { echo "mcu: cross-compiling $f for $core failed"; exit 1; }
  done
  fwsrc="$startup semihost.c fw.c request.c measure.c"
  [ "$core" = cortex-m4 ] && fwsrc="$fwsrc collect.c"
  for f in $fwsrc; do
    o=$f; [ "$f" = "$startup" ] && o=startup.c
    # shellcheck disable=SC2086
    $cc -std=c11 $arch $opt $warn -I"$srcdir/mcu/include" $inc \
      -c "$srcdir/mcu/$f" -o "$obj/fw/${o%.c}.o" || { echo "mcu: cross-compiling mcu/$f for $core failed"; exit 1; }
  done
  script=$srcdir/mcu/$ld
  if [ "$core" = cortex-m0 ]; then
    # tpdump does not fit the nRF51's 16 KiB (see --run-one): the harness
    # images are linked with its script given 64 KiB and the Cortex-M4's
    # stack reserve.
    hscript=$out/harness.ld
    sed -e 's/^\( *RAM .*LENGTH = \)16K$/\164K/' \
        -e "s/^STACK_SIZE = .*/$(grep '^STACK_SIZE = ' "$srcdir/mcu/mps2-an386.ld")/" \
        "$script" > "$hscript" || exit 1
    grep -q 'LENGTH = 64K$' "$hscript" || { echo "mcu: $ld has no 16K RAM line to grow for the harness"; exit 1; }
  else
    hscript=$script
  fi
  # link OUTPUT SCRIPT LINK-FLAGS OBJECTS...
  link() {
    lout=$1 lscript=$2 lflags=$3
    shift 3
    # shellcheck disable=SC2086
    $cc $arch $lflags -nostartfiles -T "$lscript" -Wl,--gc-sections \
      -Wl,-Map="$lout.map" -o "$lout" "$@" -lc -lgcc || { echo "mcu: linking $lout failed"; exit 1; }
  }
  # tpdump prints 64-bit integers, which newlib-nano's printf cannot: fw.elf
  # links the full newlib. The decode path prints nothing, and a product
  # would link newlib-nano, the usual C library on a Cortex-M: measure.elf
  # does, and measure-full.elf (linked only to be measured) shows the cost
  # of the full one.
  link "$out/fw.elf" "$hscript" "" "$obj"/fw/startup.o "$obj"/fw/semihost.o "$obj"/fw/fw.o \
    "$obj"/fw/request.o "$obj"/fw/tpdump-*.o "$obj"/lib/*.o "$eobj"/*.o
  if [ "$core" = cortex-m0 ]; then
    # The arena takes what the 16 KiB leave after the stack reserve and
    # the firmware's data: measure.elf is linked once with a small arena
    # to find what is free, then with the arena grown by that.
    small=1024
    # shellcheck disable=SC2086
    $cc -std=c11 $arch $opt $warn -I"$srcdir/mcu/include" $inc -DFW_ARENA_SIZE=$small \
      -c "$srcdir/mcu/measure.c" -o "$obj/fw/measure-probe.o" || { echo "mcu: cross-compiling mcu/measure.c for $core failed"; exit 1; }
    link "$out/measure-probe.elf" "$script" "$nano" "$obj"/fw/startup.o \
      "$obj"/fw/semihost.o "$obj"/fw/measure-probe.o "$obj"/lib/*.o "$eobj"/*.o
    heap=$("${tools}nm" "$out/measure-probe.elf" | awk '$3 == "__heap_start__" {s = $1} $3 == "__heap_end__" {e = $1} END {print s, e}')
    # shellcheck disable=SC2086
    set -- $heap
    [ $# -eq 2 ] || { echo "mcu: $core's measure-probe.elf has no __heap_start__ and __heap_end__"; exit 1; }
    asize=$(( (small + 0x$2 - 0x$1) / 8 * 8 ))
    # shellcheck disable=SC2086
    $cc -std=c11 $arch $opt $warn -I"$srcdir/mcu/include" $inc -DFW_ARENA_SIZE=$asize \
      -c "$srcdir/mcu/measure.c" -o "$obj/fw/measure.o" || { echo "mcu: cross-compiling mcu/measure.c for $core failed"; exit 1; }
  fi
  link "$out/measure.elf" "$script" "$nano" "$obj"/fw/startup.o "$obj"/fw/semihost.o \
    "$obj"/fw/measure.o "$obj"/lib/*.o "$eobj"/*.o
  echo "$eobj" > "$out/expat-obj"
  [ "$core" = cortex-m4 ] || return 0
  link "$out/measure-full.elf" "$script" "" "$obj"/fw/startup.o "$obj"/fw/semihost.o \
    "$obj"/fw/measure.o "$obj"/lib/*.o "$eobj"/*.o
  link "$out/fw-small.elf" "$script" "" "$obj"/fw/startup.o "$obj"/fw/semihost.o "$obj"/fw/fw.o \
    "$obj"/fw/request.o "$obj"/fw/tpdump-*.o "$obj"/lib-small/*.o "$eobj"/*.o
  link "$out/measure-small.elf" "$script" --specs=nano.specs "$obj"/fw/startup.o "$obj"/fw/semihost.o \
    "$obj"/fw/measure.o "$obj"/lib-small/*.o "$eobj"/*.o
  # The collector's run, linked as measure.elf is: what the collector adds
  # to the decode path is the difference of their library's flash.
  link "$out/collect.elf" "$script" --specs=nano.specs "$obj"/fw/startup.o "$obj"/fw/semihost.o \
    "$obj"/fw/collect.o "$obj"/lib/*.o "$eobj"/*.o
}
# Two cores build at a time: the first in the background, the others
# after one another beside it; each in a subshell of its own.
bg=
for core in $cores; do
  if [ -z "$bg" ]; then
    (build_core "$core") &
    bg=$!
  else
    (build_core "$core") || exit 1
  fi
done
[ -z "$bg" ] || wait "$bg" || exit 1

# ---------------------------------------------------------------- host
hobj=$run/host-obj
mkdir -p "$hobj" || exit 1
# The request writer's check runs the same mcu/request.c on the host,
# against the host's library (the one tools/tpdump links), with the test
# suite's request check (tests/request_check.c) on what it writes.
host_cc=${CC:-cc}
for f in mcu/request tests/request_check; do
  # shellcheck disable=SC2086
  $host_cc ${CFLAGS:-} -std=c11 -DFW_HOST -I"$srcdir/include" -I"$srcdir/tests" \
    -c "$srcdir/$f.c" -o "$hobj/host-$(basename "$f").o" ||
    { echo "mcu: compiling $f.c for the host failed"; exit 1; }
done
top=${abs_top_builddir:-$(pwd)}
# shellcheck disable=SC2086
"$top/libtool" --quiet --mode=link $host_cc ${CFLAGS:-} -o "$hobj/host-request" \
  "$hobj/host-request.o" "$hobj/host-request_check.o" "$top/lib/libtpcore.la" \
  ${EXPAT_LIBS:--lexpat} ||
  { echo "mcu: linking mcu/request.c with the host's lib/libtpcore.la failed"; exit 1; }

# The collector's run on the host (for the Cortex-M4's): mcu/collect.c
# with lib/ and the same expat, for 32-bit x86 with doubles and 64-bit
# integers aligned to 8 bytes, as on the target (-malign-double; SSE for
# doubles, not x87's wider registers). A record then takes the same bytes
# of pool on both sides, so that small pools keep the same tasks and cut
# the same strings; the host's own 64-bit library keeps fewer (its
# pointers are 8 bytes). The expat objects are kept with the target's.
collect_why=
[ -n "${CC_X86_32:-}" ] ||
  collect_why="no compiler of 32-bit x86 programs (configure's summary says what to install)"
with_m4=no
case " $cores " in *" cortex-m4 "*) with_m4=yes ;; esac
h32="-malign-double -msse2 -mfpmath=sse -O2"
if [ -z "$collect_why" ] && [ $with_m4 = yes ]; then
  h32obj=$build/cache/expat-host32-$key-$xcb
  # The stamp names the compiler the objects were made with.
  if [ "$(cat "$h32obj/stamp" 2>/dev/null)" != "$CC_X86_32" ]; then
    rm -rf "$h32obj" && mkdir -p "$h32obj" || exit 1
    for f in xmlparse xmlrole xmltok; do
      # shellcheck disable=SC2086
      $CC_X86_32 -std=c99 $h32 -DNDEBUG -DXML_CONTEXT_BYTES="$xcb" -I"$srcdir/mcu" \
        -I"$expat_dir/lib" -c "$expat_dir/lib/$f.c" -o "$h32obj/$f.o" || {
        echo "mcu: compiling expat's $f.c for 32-bit x86 failed"; exit 1; }
    done
    echo "$CC_X86_32" > "$h32obj/stamp"
  fi
  mkdir -p "$hobj/host32" || exit 1
  for f in "$srcdir"/lib/*.c "$srcdir/mcu/collect.c"; do
    # shellcheck disable=SC2086
    $CC_X86_32 -std=c11 $h32 $warn -DHAVE_CONFIG_H -DTP_NO_THREAD_LOCAL -DFW_HOST $inc \
      -c "$f" -o "$hobj/host32/$(basename "$f" .c)-$(basename "$(dirname "$f")").o" ||
      { echo "mcu: compiling $f for 32-bit x86 failed"; exit 1; }
  done
  $CC_X86_32 -o "$hobj/host-collect" "$hobj"/host32/*.o "$h32obj"/*.o ||
    { echo "mcu: linking mcu/collect.c for 32-bit x86 failed"; exit 1; }
fi

# ---------------------------------------------------------------- run
mkdir -p "$run/host" "$run/host-requests" "$run/collect-host" || exit 1
"$PYTHON3" "$srcdir/bench/genbench.py" 1 1 10 > "$run/genbench-1-1-10.xml" || exit 1
{
  echo "$srcdir/examples/sample-response.xml"
  echo "$run/genbench-1-1-10.xml"
  ls "$srcdir"/tests/conformance/examples/*.xml "$srcdir"/tests/conformance/responses/*.xml \
     "$srcdir"/tests/data/*.xml
} > "$run/list"
case $(cat "$run/list") in *" "*) echo "mcu: a path has a space, which the firmware's command line cannot carry"; exit 1 ;; esac

# Every image's run is a job, a line of check.sh --run-one's arguments.
# QEMU is single-threaded; two run at a time (CI's machines have two
# processors), the longest first, beside the host's runs.
job() { # CORE KIND IMAGE OUTDIR
  mkdir -p "$run/$1/$4" || exit 1
  echo "$1 $2 $run/$1/$3.log $build/$1/$3.elf $run/list $run/$1/$4 $chunks"
}
{
  for core in $cores; do
    [ "$core" = cortex-m4 ] && job "$core" harness collect collect-target
    job "$core" harness fw target
  done
  [ $with_m4 = yes ] && job cortex-m4 harness fw-small target-small
  for core in $cores; do
    job "$core" product measure target
  done
} > "$run/jobs" || exit 1
start=$(date +%s)
QEMU_ARM=$arm_qemu
export QEMU_ARM
xargs -P 2 -L 1 sh "$srcdir/mcu/check.sh" --run-one < "$run/jobs" &
jobs_pid=$!
if [ -z "$collect_why" ] && [ $with_m4 = yes ]; then
  # shellcheck disable=SC2086
  "$hobj/host-collect" "$run/list" "$run/collect-host" $chunks ||
    { echo "mcu: the host's collector run (mcu/collect.c) failed"; exit 1; }
fi
"$hobj/host-request" "$run/host-requests" || { echo "mcu: the host's request writer (mcu/request.c) failed"; exit 1; }
n=0
while read -r f; do
  for c in $chunks; do
    "$TPDUMP" --format=events --chunk-size="$c" "$f" > "$run/host/$n.$c.out" 2> "$run/host/$n.$c.err"
    echo "$n $c $?" >> "$run/host/status"
  done
  n=$((n + 1))
done < "$run/list"
wait "$jobs_pid"
secs=$(( $(date +%s) - start ))
failed=0
while read -r core kind log elf rest; do
  rc=$(cat "$log.rc" 2>/dev/null)
  if [ "$rc" != 0 ]; then
    echo "mcu: $core: $(basename "$elf") exited with status ${rc:-unknown} (QEMU ${kind} run; its output:)"
    cat "$log"
    failed=1
  fi
done < "$run/jobs"
[ "$failed" -eq 0 ] || exit 1

# ---------------------------------------------------------------- compare
# compare CORE DIR: counts the runs of $run/CORE/DIR identical to the
# host's (stdout, stderr and exit status) into same, names the others.
compare() {
  n=0
  while read -r f; do
    for c in $chunks; do
      hs=$(awk -v n="$n" -v c="$c" '$1 == n && $2 == c {print $3}' "$run/host/status")
      ts=$(awk -v n="$n" -v c="$c" '$1 == n && $2 == c {print $3}' "$run/$1/$2/status")
      if [ "$hs" = "$ts" ] && cmp -s "$run/host/$n.$c.out" "$run/$1/$2/$n.$c.out" &&
         cmp -s "$run/host/$n.$c.err" "$run/$1/$2/$n.$c.err"; then
        same=$((same + 1))
      else
        echo "mcu: DIFFERS ($1, $2): $f at chunk size $c (exit host $hs, target $ts; $run/host/$n.$c.* vs $run/$1/$2/$n.$c.*)"
      fi
      runs=$((runs + 1))
    done
    n=$((n + 1))
  done < "$run/list"
}
# compare_requests CORE DIR: every request file the host wrote, byte for
# byte, into req_same of req_files.
compare_requests() {
  for h in "$run"/host-requests/*; do
    req_files=$((req_files + 1))
    if cmp -s "$h" "$run/$1/$2/$(basename "$h")"; then
      req_same=$((req_same + 1))
    else
      echo "mcu: DIFFERS ($1, $2): the request file $(basename "$h") ($h vs $run/$1/$2/$(basename "$h"))"
    fi
  done
}
outputs() { # DIR: how many .out files it holds
  set -- "$1"/*.out
  if [ -e "$1" ]; then echo $#; else echo 0; fi
}
ok=1
for core in $cores; do
  same=0 runs=0 req_same=0 req_files=0
  dirs=target
  [ "$core" = cortex-m4 ] && dirs="target target-small"
  for d in $dirs; do
    compare "$core" "$d"
    compare_requests "$core" "$d"
  done
  [ "$same" -eq "$runs" ] && [ "$req_same" -eq "$req_files" ] || ok=0
  col_same=0 col_runs=0
  if [ "$core" = cortex-m4 ]; then
    # The collector: every record file the host wrote, byte for byte, and
    # no file of the target's that the host did not write.
    col_runs=$(outputs "$run/$core/collect-target")
    [ "$col_runs" -gt 0 ] || ok=0
    if [ -z "$collect_why" ]; then
      col_host=$(outputs "$run/collect-host")
      [ "$col_host" -gt "$col_runs" ] && col_runs=$col_host
      for h in "$run"/collect-host/*.out; do
        if cmp -s "$h" "$run/$core/collect-target/$(basename "$h")"; then
          col_same=$((col_same + 1))
        else
          echo "mcu: DIFFERS (collector): $(basename "$h") ($h vs $run/$core/collect-target/$(basename "$h"))"
        fi
      done
      [ "$col_same" -eq "$col_runs" ] || ok=0
    fi
  fi
  core_conf "$core"
  printf 'machine %s\nsame %s\nruns %s\nreq_same %s\nreq_files %s\ncol_same %s\ncol_runs %s\nexpat_obj %s\nsize_tool %s\n' \
    "$machine" "$same" "$runs" "$req_same" "$req_files" "$col_same" "$col_runs" \
    "$(cat "$build/$core/expat-obj")" "${tools}size" > "$run/$core/result"
done

# ---------------------------------------------------------------- stack, speed
# mcu/stack.sh and mcu/icount.sh, where they exist, measure the worst-case
# stack and the instructions per byte of each core; each ends with one
# line, whose figures go into the core's summary. mcu/tokens.sh compares
# the longest tokens the arena holds with the checked-in table of the
# cores that have one (the M4's: docs/token-limits.md).
# MCU_HARNESS_LD and MCU_HARNESS_QEMU: the linker script and QEMU options
# of an image that needs more RAM than the part has (see --run-one).
measure() { # CORE SCRIPT: runs mcu/SCRIPT.sh for CORE into $run/CORE/SCRIPT.log and .rc
  core_conf "$1"
  harness_ld=$srcdir/mcu/$ld harness_qemu=
  if [ -f "$build/$1/harness.ld" ]; then
    harness_ld=$build/$1/harness.ld harness_qemu="-global nrf51-soc.sram-size=65536"
  fi
  mkdir -p "$run/$1/$2" || return 1
  case $1:$2 in
  riscv32:icount)
    # icount.sh counts with the Cortex-M SysTick: the RISC-V core's speed
    # is not measured.
    printf '%s %s: not measured on RISC-V\n' "$2" "$1" > "$run/$1/$2.log"
    echo 77 > "$run/$1/$2.rc"
    return 0 ;;
  esac
  # shellcheck disable=SC2097,SC2098
  ARM_CC=$cc QEMU_ARM=$qemu PYTHON3=$PYTHON3 srcdir=$srcdir MCU_CORE=$1 \
    MCU_ARCH=$arch MCU_MACHINE=$machine MCU_BOARD=$board MCU_LD=$srcdir/mcu/$ld \
    MCU_EXPAT_DIR=$expat_dir/lib MCU_XML_CONTEXT_BYTES=$xcb MCU_OUT=$run/$1/$2 \
    MCU_LIST=$run/list MCU_ELF=$build/$1/measure.elf \
    MCU_HARNESS_LD=$harness_ld MCU_HARNESS_QEMU=$harness_qemu sh "$srcdir/mcu/$2.sh" > "$run/$1/$2.log"
  echo $? > "$run/$1/$2.rc"
}
# QEMU is single-threaded: the token tables (the M4's takes the longest)
# run beside the stack and speed measurements, one process each.
(for core in $cores; do measure "$core" tokens; done) &
tpid=$!
for core in $cores; do
  for t in stack icount; do measure "$core" "$t"; done
done
wait "$tpid"
for core in $cores; do
  for t in stack icount tokens; do
    sed '$d' "$run/$core/$t.log"
    last=$(tail -n 1 "$run/$core/$t.log")
    case $(cat "$run/$core/$t.rc") in
    0)
      case $t in
      stack) echo "$last" | sed -n "s/^stack $core: worst \([0-9]*\) bytes.*/stack \1/p" ;;
      icount) echo "$last" | sed -n "s/^icount $core: decoder \([0-9.]*\), expat alone \([0-9.]*\)\$/icount_d \1\nicount_x \2/p" ;;
      tokens) echo "$last" | sed -n "s/^tokens $core: .*/tokens_ok 1/p" ;;
      esac >> "$run/$core/result"
      grep -q "^$t" "$run/$core/result" || { echo "mcu: mcu/$t.sh's last line is not its summary: $last"; ok=0; }
      [ "$t" = tokens ] && echo "$last" ;;
    77) echo "$last" ;;
    *) echo "$last"; echo "mcu: mcu/$t.sh failed on $core (status $(cat "$run/$core/$t.rc"))"; ok=0 ;;
    esac
  done
done

# ---------------------------------------------------------------- figures
# What the figures depend on besides the sources: SIZES.md is compared
# only when they are the same.
newlib=$(printf '#include <newlib.h>\n_NEWLIB_VERSION\n' | $arm_cc -E -P -x c - 2>/dev/null | tr -d '"' | tail -n 1)
toolchain="arm-none-eabi-gcc $($arm_cc -dumpversion), newlib $newlib, $expat_version, XML_CONTEXT_BYTES $xcb, $("$arm_qemu" --version | head -n 1)"
case " $cores " in
*" riscv32 "*)
  picolibc=$(printf '#include <picolibc.h>\n__PICOLIBC_VERSION__\n' | $riscv_cc --specs=picolibc.specs -E -P -x c - 2>/dev/null | tr -d '"' | tail -n 1)
  toolchain="$toolchain; riscv64-unknown-elf-gcc $($riscv_cc -dumpversion), picolibc $picolibc" ;;
esac
# shellcheck disable=SC2086
"$PYTHON3" "$srcdir/mcu/sizes.py" "$build" "$run" "$expat_version" "$xcb" "$secs" \
  "$toolchain" "$collect_why" "$run/SIZES.md" $cores || ok=0
sizes_md=$srcdir/mcu/SIZES.md
if [ "${MCU_UPDATE_SIZES:-}" = 1 ]; then
  cp "$run/SIZES.md" "$sizes_md" && echo "mcu: wrote mcu/SIZES.md" || ok=0
elif [ -n "$riscv_why" ]; then
  echo "mcu: mcu/SIZES.md not compared: the riscv32 core was left out"
elif [ "$cores" != "$all_cores" ]; then
  echo "mcu: mcu/SIZES.md not compared: MCU_CORES chose $cores"
elif [ ! -f "$sizes_md" ]; then
  echo "mcu: there is no mcu/SIZES.md; write it with: MCU_UPDATE_SIZES=1 make check-mcu"
  ok=0
elif [ "$(grep -m 1 '^Toolchain: ' "$sizes_md")" != "$(grep -m 1 '^Toolchain: ' "$run/SIZES.md")" ]; then
  echo "mcu: mcu/SIZES.md not compared: it was measured with another toolchain ($(grep -m 1 '^Toolchain: ' "$sizes_md" | cut -c 12-))"
elif ! diff -u "$sizes_md" "$run/SIZES.md"; then
  echo "mcu: DIFFERS: mcu/SIZES.md and this measurement ($run/SIZES.md, the diff above); if the change is meant, regenerate it with: MCU_UPDATE_SIZES=1 make check-mcu"
  ok=0
fi
[ "$ok" -eq 1 ] || exit 1
status=0
if [ -n "$collect_why" ]; then
  echo "mcu: skipped: the collector's records were not compared with the host's: $collect_why"
  status=77
fi
if [ -n "$riscv_why" ]; then
  echo "mcu: skipped: the riscv32 core: $riscv_why"
  status=77
fi
exit $status
