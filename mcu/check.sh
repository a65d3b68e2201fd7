#!/bin/sh
# check.sh -- make check-mcu: builds the firmware of mcu/ (the library,
# Debian's expat and tpdump (tools/*.c) for a Cortex-M4 with newlib), runs it
# under QEMU (mps2-an386) over every response of tests/conformance and
# tests/data, the sample and a genbench response, at chunk sizes 1, 7 and
# 512, and compares each run's stdout, stderr and exit status byte for
# byte with the host's tpdump --format=events on the same file; then
# writes a few getActiveJobs requests on the target (mcu/request.c) and
# compares them byte for byte with the same requests written on the host;
# and decodes every response through the collector (mcu/collect.c) with
# pools of several sizes, comparing every record with the host's.
# Prints the flash, RAM and stack measured on the target and ends with two
# summary lines, the decoder's and the collector's.
# Skipped (exit 77) where the cross compiler, QEMU or expat's source
# package cannot be had. See mcu/README.md.
#
# Environment (make check-mcu sets it): ARM_CC, QEMU_ARM, TPDUMP, PYTHON3,
# abs_top_builddir, srcdir (the top source directory), and CC, CFLAGS and
# EXPAT_LIBS for the host's side of the request check.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
build=${abs_top_builddir:-$(pwd)}/mcu/out
cc=${ARM_CC:-}
qemu=${QEMU_ARM:-}
chunks="1 7 512"

skip() { echo "mcu: skipped: $*"; exit 77; }
[ -n "$cc" ] || skip "arm-none-eabi-gcc with newlib not found by configure (install gcc-arm-none-eabi libnewlib-arm-none-eabi)"
[ -n "$qemu" ] || skip "qemu-system-arm not found by configure (install qemu-system-arm)"
[ -n "${PYTHON3:-}" ] || skip "python3 not found by configure (install python3)"
[ -x "${TPDUMP:-}" ] || { echo "mcu: the host's tools/tpdump is not built"; exit 1; }
tools=${cc%gcc}

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
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || codename=bookworm
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
        awk -v s="$codename" '/^URIs:/ {u = $2} /^Suites:/ {for (i = 2; i <= NF; i++) if ($i == s) {print u; exit}}')
  [ -n "$uri" ] || uri=$(awk -v s="$codename" '$1 == "deb" && $3 == s {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
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

arch="-mthumb -mcpu=cortex-m4 -mfloat-abi=soft"
opt="-Os -ffunction-sections -fdata-sections"
# Built once per configuration and kept in the build tree.
# MCU_XML_CONTEXT_BYTES overrides expat_config.h's value, to measure others.
xcb=${MCU_XML_CONTEXT_BYTES:-$(awk '$2 == "XML_CONTEXT_BYTES" && $1 == "#define" {print $3}' "$srcdir/mcu/expat_config.h")}
key=$(cat "$srcdir/mcu/expat_config.h" "$expat_dir/lib/xmlparse.c" | cksum | cut -d ' ' -f 1)
eobj=$build/cache/expat-obj-$key-$xcb
if [ ! -f "$eobj/stamp" ]; then
  rm -rf "$eobj" && mkdir -p "$eobj" || exit 1
  for f in xmlparse xmlrole xmltok; do
    # shellcheck disable=SC2086
    $cc -std=c99 $arch $opt -DNDEBUG -DXML_CONTEXT_BYTES="$xcb" -I"$srcdir/mcu" \
      -I"$expat_dir/lib" -c "$expat_dir/lib/$f.c" -o "$eobj/$f.o" || {
      echo "mcu: cross-compiling expat's $f.c failed"; exit 1; }
  done
  touch "$eobj/stamp"
fi

# ---------------------------------------------------------------- firmware
obj=$build/obj
rm -rf "$obj" && mkdir -p "$obj/lib" "$obj/lib-small" "$obj/fw" || exit 1
warn="-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wundef -Werror"
inc="-I$srcdir/mcu -I$srcdir/include -I$srcdir/lib -isystem $expat_dir/lib"
# The library twice: as it is, and with the speed-only paths compiled out
# (TP_OPTIMIZE_SIZE, README "On a microcontroller"), which must decode the
# same.
for f in "$srcdir"/lib/*.c; do
  for v in lib lib-small; do
    def=; [ $v = lib-small ] && def=-DTP_OPTIMIZE_SIZE
    # shellcheck disable=SC2086
    $cc -std=c11 $arch $opt $warn -DHAVE_CONFIG_H -DTP_NO_THREAD_LOCAL $def $inc \
      -c "$f" -o "$obj/$v/$(basename "$f" .c).o" || { echo "mcu: cross-compiling $f ($v) failed"; exit 1; }
  done
done
# The request writer's check runs the same mcu/request.c on the host,
# against the host's library (the one tools/tpdump links), with the test
# suite's request check (tests/request_check.c) on what it writes.
host_cc=${CC:-cc}
for f in mcu/request tests/request_check; do
  # shellcheck disable=SC2086
  $host_cc ${CFLAGS:-} -std=c11 -DFW_HOST -I"$srcdir/include" -I"$srcdir/tests" \
    -c "$srcdir/$f.c" -o "$obj/host-$(basename "$f").o" ||
    { echo "mcu: compiling $f.c for the host failed"; exit 1; }
done
top=${abs_top_builddir:-$(pwd)}
# shellcheck disable=SC2086
"$top/libtool" --quiet --mode=link $host_cc ${CFLAGS:-} -o "$obj/host-request" \
  "$obj/host-request.o" "$obj/host-request_check.o" "$top/lib/libtpcore.la" \
  ${EXPAT_LIBS:--lexpat} ||
  { echo "mcu: linking mcu/request.c with the host's lib/libtpcore.la failed"; exit 1; }
# tpdump's files as they are, with buffers that fit the RAM and main
# renamed; their objects are named tpdump-*.o, apart from the firmware's.
# (tpwatch's files are libcurl's program, not tpdump's.)
for f in "$srcdir"/tools/*.c; do
  case $f in */tpwatch*) continue ;; esac
  # shellcheck disable=SC2086
  $cc -std=c11 $arch $opt -Wall -Wextra -Werror -I"$srcdir/mcu/include" $inc \
    -DTPDUMP_MAX_CHUNK=512u -DTPDUMP_OUT_BUF=512u -DTPDUMP_TEXT_KEEP=64 \
    -DTPDUMP_POOL=4096 -Dmain=tpdump_main \
    -c "$f" -o "$obj/fw/tpdump-$(basename "$f" .c).o" || { echo "mcu: cross-compiling $f failed"; exit 1; }
done
for f in startup semihost fw request measure collect; do
  # shellcheck disable=SC2086
  $cc -std=c11 $arch $opt $warn -I"$srcdir/mcu/include" $inc \
    -c "$srcdir/mcu/$f.c" -o "$obj/fw/$f.o" || { echo "mcu: cross-compiling mcu/$f.c failed"; exit 1; }
done
link() { # OUTPUT LINK-FLAGS OBJECTS...
  out=$1; lflags=$2; shift 2
  # shellcheck disable=SC2086
  $cc $arch $lflags -nostartfiles -T "$srcdir/mcu/mps2-an386.ld" -Wl,--gc-sections \
    -Wl,-Map="$out.map" -o "$out" "$@" -lc -lgcc || { echo "mcu: linking $out failed"; exit 1; }
}
# tpdump prints 64-bit integers, which newlib-nano's printf cannot: fw.elf
# links the full newlib. The decode path prints nothing, and a product
# would link newlib-nano, the usual C library on a Cortex-M: measure.elf
# does, and measure-full.elf (linked only to be measured) shows the cost
# of the full one.
link "$build/fw.elf" "" "$obj"/fw/startup.o "$obj"/fw/semihost.o "$obj"/fw/fw.o \
  "$obj"/fw/request.o "$obj"/fw/tpdump-*.o "$obj"/lib/*.o "$eobj"/*.o
link "$build/measure.elf" --specs=nano.specs "$obj"/fw/startup.o "$obj"/fw/semihost.o \
  "$obj"/fw/measure.o "$obj"/lib/*.o "$eobj"/*.o
link "$build/measure-full.elf" "" "$obj"/fw/startup.o "$obj"/fw/semihost.o \
  "$obj"/fw/measure.o "$obj"/lib/*.o "$eobj"/*.o
link "$build/fw-small.elf" "" "$obj"/fw/startup.o "$obj"/fw/semihost.o "$obj"/fw/fw.o \
  "$obj"/fw/request.o "$obj"/fw/tpdump-*.o "$obj"/lib-small/*.o "$eobj"/*.o
link "$build/measure-small.elf" --specs=nano.specs "$obj"/fw/startup.o "$obj"/fw/semihost.o \
  "$obj"/fw/measure.o "$obj"/lib-small/*.o "$eobj"/*.o
# The collector's run, linked as measure.elf is: what the collector adds
# to the decode path is the difference of their library's flash.
link "$build/collect.elf" --specs=nano.specs "$obj"/fw/startup.o "$obj"/fw/semihost.o \
  "$obj"/fw/collect.o "$obj"/lib/*.o "$eobj"/*.o

# The collector's run on the host: mcu/collect.c with lib/ and the same
# expat, for 32-bit x86 with doubles and 64-bit integers aligned to 8
# bytes, as on the target (-malign-double; SSE for doubles, not x87's
# wider registers). A record then takes the same bytes of pool on both
# sides, so that small pools keep the same tasks and cut the same strings;
# the host's own 64-bit library keeps fewer (its pointers are 8 bytes).
# The expat objects are kept with the target's.
collect_why=
h32="-m32 -malign-double -msse2 -mfpmath=sse -O2"
case $(uname -m) in
x86_64 | i?86) ;;
*) collect_why="32-bit x86 programs cannot run on $(uname -m)" ;;
esac
if [ -z "$collect_why" ] && ! echo 'int main(void) { return 0; }' |
    $host_cc -m32 -x c - -o "$obj/host32-probe" 2>/dev/null; then
  collect_why="$host_cc -m32 cannot link 32-bit programs (install gcc-multilib)"
fi
if [ -z "$collect_why" ]; then
  hobj=$build/cache/expat-host32-$key-$xcb
  if [ ! -f "$hobj/stamp" ]; then
    rm -rf "$hobj" && mkdir -p "$hobj" || exit 1
    for f in xmlparse xmlrole xmltok; do
      # shellcheck disable=SC2086
      $host_cc -std=c99 $h32 -DNDEBUG -DXML_CONTEXT_BYTES="$xcb" -I"$srcdir/mcu" \
        -I"$expat_dir/lib" -c "$expat_dir/lib/$f.c" -o "$hobj/$f.o" || {
        echo "mcu: compiling expat's $f.c for 32-bit x86 failed"; exit 1; }
    done
    touch "$hobj/stamp"
  fi
  mkdir -p "$obj/host32" || exit 1
  for f in "$srcdir"/lib/*.c "$srcdir/mcu/collect.c"; do
    # shellcheck disable=SC2086
    $host_cc -std=c11 $h32 $warn -DHAVE_CONFIG_H -DTP_NO_THREAD_LOCAL -DFW_HOST $inc \
      -c "$f" -o "$obj/host32/$(basename "$f" .c)-$(basename "$(dirname "$f")").o" ||
      { echo "mcu: compiling $f for 32-bit x86 failed"; exit 1; }
  done
  $host_cc -m32 -o "$obj/host-collect" "$obj"/host32/*.o "$hobj"/*.o ||
    { echo "mcu: linking mcu/collect.c for 32-bit x86 failed"; exit 1; }
fi

# ---------------------------------------------------------------- run
run=$build/run
rm -rf "$run" && mkdir -p "$run/target" "$run/target-small" "$run/host" "$run/host-requests" \
  "$run/collect-target" "$run/collect-host" || exit 1
"$PYTHON3" "$srcdir/bench/genbench.py" 1 1 10 > "$run/genbench-1-1-10.xml" || exit 1
{
  echo "$srcdir/examples/sample-response.xml"
  echo "$run/genbench-1-1-10.xml"
  ls "$srcdir"/tests/conformance/examples/*.xml "$srcdir"/tests/conformance/responses/*.xml \
     "$srcdir"/tests/data/*.xml
} > "$run/list"
case $(cat "$run/list") in *" "*) echo "mcu: a path has a space, which the firmware's command line cannot carry"; exit 1 ;; esac
total=$(wc -l < "$run/list")

qemu_run() { # ELF ARGS...
  elf=$1; shift
  a=
  for x in "$elf" "$@"; do a="$a,arg=$x"; done
  timeout 900 "$qemu" -M mps2-an386 -nographic -monitor none -serial none \
    -semihosting-config "enable=on,target=native$a" -kernel "$elf"
}
start=$(date +%s)
# Both images and the host's runs at once: QEMU is single-threaded.
# shellcheck disable=SC2086
qemu_run "$build/fw.elf" "$run/list" "$run/target" $chunks > "$run/fw.log" 2>&1 &
fpid=$!
# shellcheck disable=SC2086
qemu_run "$build/measure.elf" "$run/list" "$run/target" $chunks > "$run/measure.log" 2>&1 &
mpid=$!
# shellcheck disable=SC2086
qemu_run "$build/fw-small.elf" "$run/list" "$run/target-small" $chunks > "$run/fw-small.log" 2>&1 &
spid=$!
# shellcheck disable=SC2086
qemu_run "$build/collect.elf" "$run/list" "$run/collect-target" $chunks > "$run/collect.log" 2>&1 &
cpid=$!
if [ -z "$collect_why" ]; then
  # shellcheck disable=SC2086
  "$obj/host-collect" "$run/list" "$run/collect-host" $chunks ||
    { echo "mcu: the host's collector run (mcu/collect.c) failed"; exit 1; }
fi
"$obj/host-request" "$run/host-requests" || { echo "mcu: the host's request writer (mcu/request.c) failed"; exit 1; }
n=0
while read -r f; do
  for c in $chunks; do
    "$TPDUMP" --format=events --chunk-size="$c" "$f" > "$run/host/$n.$c.out" 2> "$run/host/$n.$c.err"
    echo "$n $c $?" >> "$run/host/status"
  done
  n=$((n + 1))
done < "$run/list"
wait "$fpid"; frc=$?
wait "$mpid"; mrc=$?
wait "$spid"; src=$?
wait "$cpid"; crc=$?
if [ "$frc" -ne 0 ]; then
  echo "mcu: the firmware (fw.elf) exited with status $frc"; cat "$run/fw.log"; exit 1
fi
if [ "$src" -ne 0 ]; then
  echo "mcu: the firmware with TP_OPTIMIZE_SIZE (fw-small.elf) exited with status $src"; cat "$run/fw-small.log"; exit 1
fi
if [ "$mrc" -ne 0 ]; then
  echo "mcu: the decode-only image (measure.elf) exited with status $mrc"; cat "$run/measure.log"; exit 1
fi
if [ "$crc" -ne 0 ]; then
  echo "mcu: the collector's run (collect.elf) exited with status $crc"; cat "$run/collect.log"; exit 1
fi
secs=$(( $(date +%s) - start ))

same=0
for t in target target-small; do
  n=0
  while read -r f; do
    for c in $chunks; do
      hs=$(awk -v n="$n" -v c="$c" '$1 == n && $2 == c {print $3}' "$run/host/status")
      ts=$(awk -v n="$n" -v c="$c" '$1 == n && $2 == c {print $3}' "$run/$t/status")
      if [ "$hs" = "$ts" ] && cmp -s "$run/host/$n.$c.out" "$run/$t/$n.$c.out" &&
         cmp -s "$run/host/$n.$c.err" "$run/$t/$n.$c.err"; then
        same=$((same + 1))
      else
        echo "mcu: DIFFERS ($t): $f at chunk size $c (exit host $hs, target $ts; $run/host/$n.$c.* vs $run/$t/$n.$c.*)"
      fi
    done
    n=$((n + 1))
  done < "$run/list"
done
runs=$((2 * total * $(echo $chunks | wc -w)))
# The requests: every file the host wrote, byte for byte in both images.
req_same=0
req_files=0
for t in target target-small; do
  for h in "$run"/host-requests/*; do
    req_files=$((req_files + 1))
    if cmp -s "$h" "$run/$t/$(basename "$h")"; then
      req_same=$((req_same + 1))
    else
      echo "mcu: DIFFERS ($t): the request file $(basename "$h") ($h vs $run/$t/$(basename "$h"))"
    fi
  done
done
# The collector: every record file the host wrote, byte for byte, and
# no file of the target's that the host did not write.
outputs() { # DIR: how many .out files it holds
  set -- "$1"/*.out
  if [ -e "$1" ]; then echo $#; else echo 0; fi
}
col_same=0
col_runs=$(outputs "$run/collect-target")
if [ -z "$collect_why" ]; then
  col_host=$(outputs "$run/collect-host")
  [ "$col_host" -gt "$col_runs" ] && col_runs=$col_host
  for h in "$run"/collect-host/*.out; do
    if cmp -s "$h" "$run/collect-target/$(basename "$h")"; then
      col_same=$((col_same + 1))
    else
      echo "mcu: DIFFERS (collector): $(basename "$h") ($h vs $run/collect-target/$(basename "$h"))"
    fi
  done
fi

# ---------------------------------------------------------------- speed
# Instructions per byte under QEMU -icount (mcu/icount.sh, README "Speed").
(
  export MCU_CORE=cortex-m4 MCU_ARCH="$arch" MCU_MACHINE=mps2-an386 \
    MCU_LD="$srcdir/mcu/mps2-an386.ld" MCU_EXPAT_DIR="$expat_dir/lib" MCU_XML_CONTEXT_BYTES="$xcb" \
    MCU_OUT="$build/icount-cortex-m4" MCU_LIST="$run/list" ARM_CC="$cc" QEMU_ARM="$qemu" srcdir
  sh "$srcdir/mcu/icount.sh"
)
icount_rc=$?

# ---------------------------------------------------------------- figures
for v in lib lib-small; do
  "${tools}size" -t "$obj/$v"/*.o | tail -n 1 |
    awk -v v="$v" '{printf "mcu: %s objects (%s): .text %d .data %d .bss %d bytes\n", v == "lib" ? "library" : "library with TP_OPTIMIZE_SIZE", "unlinked", $1, $2, $3}'
done
"${tools}size" "$obj/lib/request.o" "$obj/lib-small/request.o" | awk 'NR > 1 {t[NR] = $1}
  END {printf "mcu: the request writer (lib/request.o, unlinked): .text %d bytes, with TP_OPTIMIZE_SIZE %d\n", t[2], t[3]}'
"$PYTHON3" "$srcdir/mcu/sizes.py" "$build" "$obj" "$eobj" "$run" "$same" "$runs" \
  "$expat_version" "$xcb" "$secs" "$req_same" "$req_files" "$col_same" "$col_runs" \
  "${collect_why:-}"
rc=$?
[ "$icount_rc" -eq 1 ] && rc=1
[ "$same" -eq "$runs" ] && [ "$req_same" -eq "$req_files" ] || exit 1
[ "$col_runs" -gt 0 ] || exit 1
if [ -n "$collect_why" ]; then
  echo "mcu: skipped: the collector's records were not compared with the host's: $collect_why"
  exit 77
fi
[ "$col_same" -eq "$col_runs" ] && exit $rc
exit 1
