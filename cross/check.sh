#!/bin/sh
# check.sh -- make check-cross: the library and its whole make check built
# for three other Linux machines, 32-bit x86 (i686-linux-gnu, which this
# machine runs itself), arm64 (aarch64-linux-gnu) and big-endian s390x
# (s390x-linux-gnu), the last two run under qemu-user. Each target is
# configured with --host from one copy of the sources (make distdir, as make
# coverage does: the tree itself is configured in place), its make check
# must pass, and its tpdump must print what the host's prints, byte for
# byte (stdout, stderr and exit status), on every response of
# tests/conformance and tests/data: --format=json, --format=events and
# --format=events --prompt, each at chunk sizes 1, 7 and 4096. One line per
# target ends the output:
#   cross TRIPLET: make check P passed, F failed, S skipped; corpus N/N identical
# (a file counts as identical when all nine of its runs are).
#
# The targets' expat, cmocka and libcurl (with what they need) come from
# Debian's archive, fetched once with apt-get download through a private
# apt state (the machine's configuration is not touched) and unpacked into
# a sysroot per target in the build tree (cross/out/cache). Debian's
# multiarch packages cannot do this on every target: bookworm's security
# archive has no s390x, so libexpat1:s390x cannot match the host's newer
# libexpat1. Programs are linked against the sysroot with its dynamic
# linker and libraries named in them (--dynamic-linker, DT_RPATH, which
# holds for the libraries' own dependencies too), so that every program of
# the build, and every one a test compiles with configure's CC, starts by
# its name: natively for i686, through the kernel's binfmt_misc and
# qemu-user for the others (cross/setup.sh registers them). An explicit
# emulator prefix would have to reach every test that runs a program it
# built, the conformance checkers among them.
#
# Skipped (exit 77, saying what to install) where a cross compiler, apt-get,
# qemu-user's registration or Debian's archive is missing: the README's
# "Other machines" installs what is needed, and runs cross/setup.sh.
#
# Environment (make check-cross sets it): TPDUMP (the host's), srcdir (the
# top source directory), abs_top_builddir, MAKE. CROSS_TARGETS chooses
# targets (default all three).
#
# Internal: check.sh --target TRIPLET builds and checks one target, its
# summary line in cross/out/TRIPLET.line; the targets run as jobs of one
# make, so that make's -j holds for all of them together.
set -u
formats="json events prompt"
chunks="1 7 4096"
all_targets="i686-linux-gnu aarch64-linux-gnu s390x-linux-gnu"
targets=${CROSS_TARGETS:-$all_targets}
srcdir=$(cd "${srcdir:-.}" && pwd)
top=${abs_top_builddir:-$(pwd)}
out=$top/cross/out
make=${MAKE:-make}

# target_conf TRIPLET: Debian's architecture, its multiarch directory and
# dynamic linker, and the sysroot.
target_conf() {
  case $1 in
  i686-linux-gnu) deb=i386 ldso=/lib/ld-linux.so.2 ;;
  aarch64-linux-gnu) deb=arm64 ldso=/lib/ld-linux-aarch64.so.1 ;;
  s390x-linux-gnu) deb=s390x ldso=/lib/ld64.so.1 ;;
  *) echo "cross: no such target: $1"; exit 1 ;;
  esac
  ma=$(echo "$1" | sed 's/^i686/i386/')
  sr=$out/cache/sysroot-$deb
  cc="$1-gcc --sysroot=$sr -Wl,--dynamic-linker=$sr$ldso -Wl,--disable-new-dtags,-rpath=$sr/lib/$ma:$sr/usr/lib/$ma"
}

# tpdump_args FORMAT CHUNK: tpdump's options for one way of the corpus.
tpdump_args() {
  case $1 in
  prompt) echo "--format=events --prompt --chunk-size=$2" ;;
  *) echo "--format=$1 --chunk-size=$2" ;;
  esac
}

# run_corpus BUILD DIR: every way of every file of $out/list through the
# tpdump of the build directory BUILD, into DIR. The program itself is run,
# with the library beside it, not libtool's wrapper script, which would
# start a shell for each of the runs (thousands, and under emulation).
run_corpus() {
  mkdir -p "$2" || exit 1
  bin=$1/tools/.libs/tpdump
  [ -x "$bin" ] || bin=$1/tools/tpdump
  n=0
  while read -r f; do
    for fmt in $formats; do
      for c in $chunks; do
        # shellcheck disable=SC2046
        LD_LIBRARY_PATH=$1/lib/.libs "$bin" $(tpdump_args "$fmt" "$c") "$f" \
          > "$2/$n.$fmt.$c.out" 2> "$2/$n.$fmt.$c.err"
        echo $? > "$2/$n.$fmt.$c.rc"
      done
    done
    n=$((n + 1))
  done < "$out/list"
}

if [ "${1:-}" = --target ]; then
  t=$2
  target_conf "$t"
  # The target's configure and make check get their own answers only.
  unset TPDUMP srcdir abs_top_builddir
  b=$out/$t
  mkdir -p "$b" || exit 1
  cd "$b" || exit 1
  start=$(date +%s)
  if [ ! -f Makefile ]; then
    # The sysroot's pkg-config files, not the machine's; the libraries the
    # targets' libcurl needs are found through the sysroot when linking.
    "$out/src/configure" --quiet --host="$t" CC="$cc" \
      PKG_CONFIG_LIBDIR="$sr/usr/lib/$ma/pkgconfig:$sr/usr/share/pkgconfig" \
      PKG_CONFIG_SYSROOT_DIR="$sr" > configure.log 2>&1 ||
      { cat configure.log; echo "cross $t: configure failed"; exit 1; }
  fi
  # The long tests at the sizes valgrind runs them at: emulated, every
  # instruction costs many of the host's.
  . "$out/src/tests/smaller.sh"
  "$make" check > check.log 2>&1
  rc=$?
  count() { # WHAT: the count make check's summary gives
    awk -v w="# $1:" '$1 " " $2 == w {n = $3} END {print n + 0}' check.log
  }
  passed=$(count PASS)
  failed=$(($(count FAIL) + $(count XPASS) + $(count ERROR)))
  skipped=$(count SKIP)
  # A test that fails, and every one that skips, with the reason its log
  # ends with.
  grep -E '^(FAIL|XPASS|ERROR|SKIP): ' check.log | while read -r verdict name; do
    echo "cross $t: $verdict $name: $(tail -n 2 "${name%.*}.log" 2>/dev/null | head -n 1)"
  done
  if [ $rc -ne 0 ] && [ "$failed" -eq 0 ]; then
    tail -n 20 check.log
    failed=1
  fi
  [ "$failed" -eq 0 ] || echo "cross $t: make check failed: see $b/check.log and $b/test-suite.log"
  mid=$(date +%s)
  # The corpus through this target's tpdump, against the host's runs.
  total=$(wc -l < "$out/list")
  same=0
  if [ -x tools/tpdump ]; then
    rm -rf corpus && run_corpus "$b" corpus
    n=0
    while read -r f; do
      ok=yes
      for fmt in $formats; do
        for c in $chunks; do
          for x in out err rc; do
            cmp -s "$out/host/$n.$fmt.$c.$x" "corpus/$n.$fmt.$c.$x" || ok=no
          done
          [ $ok = yes ] || break
        done
        [ $ok = yes ] || { echo "cross $t: $(basename "$f"): tpdump $(tpdump_args "$fmt" "$c") differs from the host's"; break; }
      done
      [ $ok = yes ] && same=$((same + 1))
      n=$((n + 1))
    done < "$out/list"
  fi
  end=$(date +%s)
  # Wall time here, and the processor time of everything this target ran
  # (the shell's times: its children's user and system time, last line).
  # (times writes to a file: in $(...), a subshell, its children are none.)
  times > times.raw
  echo "cross $t: make check (build included) $((mid - start)) s, corpus $((end - mid)) s; processor time $(tail -n 1 times.raw)" > times
  echo "cross $t: make check $passed passed, $failed failed, $skipped skipped; corpus $same/$total identical" > "$out/$t.line"
  [ "$failed" -eq 0 ] && [ "$same" -eq "$total" ]
  exit $?
fi

skip() { echo "cross: skipped: $*"; exit 77; }
setup="the README's \"Other machines\" says what to install"
for t in $targets; do
  command -v "$t-gcc" > /dev/null 2>&1 || skip "$t-gcc not found ($setup: gcc-$t)"
done
command -v apt-get > /dev/null 2>&1 || skip "apt-get not found: the targets' libraries come from Debian's archive"
command -v dpkg-deb > /dev/null 2>&1 || skip "dpkg-deb not found: the targets' libraries come from Debian's archive"
[ -x "${TPDUMP:-}" ] || { echo "cross: the host's tools/tpdump is not built"; exit 1; }
mkdir -p "$out/cache" || exit 1
rm -f "$out"/*.line
t0=$(date +%s)

# ---------------------------------------------------------------- sysroots
# fetch_sysroot DEBIAN-ARCH DIR PACKAGE...: the packages and all they
# depend on (the C library's own included: the sysroot runs alone), from
# the machine's Debian release (its main archive: the security archive has
# no s390x).
fetch_sysroot() {
  apt=$2.apt
  rm -rf "$apt" "$2" && mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs" "$2" || return 1
  : > "$apt/status"
  printf 'deb %s %s main\n' "$uri" "$codename" > "$apt/sources.list"
  set -- "$1" "$2" -q -o APT::Architecture="$1" -o APT::Architectures="$1" \
    -o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null \
    -o Dir::State::Lists="$apt/lists" -o Dir::State::status="$apt/status" \
    -o Dir::Cache="$apt/cache" -o Acquire::Languages=none -o APT::Sandbox::User=root
  root=$2
  shift 2
  apt-get "$@" update > "$apt/log" 2>&1 || return 1
  pkgs=$(apt-cache "$@" depends --recurse --no-recommends --no-suggests --no-conflicts \
           --no-breaks --no-replaces --no-enhances $want 2>> "$apt/log" |
         grep '^[a-z0-9]' | sort -u)
  # shellcheck disable=SC2086
  (cd "$apt/debs" && apt-get "$@" download $pkgs) >> "$apt/log" 2>&1 || return 1
  for d in "$apt"/debs/*.deb; do
    dpkg-deb -x "$d" "$root" || return 1
  done
  # The packages' absolute links (libexpat.so, the dynamic linker's) are
  # made to point inside the sysroot.
  find "$root" -type l | while read -r l; do
    case $(readlink "$l") in /*) ln -sfn "$root$(readlink "$l")" "$l" || exit 1 ;; esac
  done
  # libc6-dbg's files, named by build ID, where valgrind looks for them
  # beside the dynamic linker (its .debug directory): it needs the
  # linker's symbols to start a program.
  if [ -d "$root/usr/lib/debug/.build-id" ]; then
    mkdir -p "$root/lib/$ma/.debug" &&
      find "$root/usr/lib/debug/.build-id" -name '*.debug' -exec mv {} "$root/lib/$ma/.debug/" \; || return 1
  fi
}
. "$srcdir/tests/debian_archive.sh"
[ -n "$uri" ] || skip "no Debian archive for $codename in the machine's apt sources: the targets' libraries cannot be fetched"
pids=
for t in $targets; do
  target_conf "$t"
  # What make check links (the sanitizers' runtimes for the tests built
  # with them), and on i686, which runs valgrind, the C library's symbols.
  want="libc6 libexpat1-dev libcmocka-dev libcurl4-openssl-dev libasan8 libubsan1"
  [ "$deb" = i386 ] && want="$want libc6-dbg"
  # The stamp names what the sysroot was made from.
  key="$uri $codename $want"
  if [ "$(cat "$sr.stamp" 2>/dev/null)" != "$key" ]; then
    rm -f "$sr.stamp"
    (fetch_sysroot "$deb" "$sr" && echo "$key" > "$sr.stamp") &
    pids="$pids $!"
  fi
done
for p in $pids; do wait "$p"; done
for t in $targets; do
  target_conf "$t"
  [ -f "$sr.stamp" ] || { tail -n 5 "$sr.apt/log"; skip "the $deb packages could not be fetched from $uri (network?)"; }
  # Can this machine run the target's programs?
  printf 'int main(void) { return 0; }\n' > "$out/cache/true.c"
  # shellcheck disable=SC2086
  $cc "$out/cache/true.c" -o "$out/cache/true-$t" || { echo "cross: $t-gcc cannot link a program against $sr"; exit 1; }
  "$out/cache/true-$t" 2> /dev/null ||
    skip "this machine cannot run $t programs: qemu-user's binfmt_misc registration is missing (run cross/setup.sh as root, once)"
done

t1=$(date +%s)

# ---------------------------------------------------------------- sources
# One copy of the sources for all targets, kept from one run to the next.
rm -rf "$out/src.new"
(cd "$top" && "$make" -s --no-print-directory distdir distdir="$out/src.new") > "$out/distdir.log" 2>&1 ||
  { cat "$out/distdir.log"; echo "cross: make distdir failed"; exit 1; }
if [ -d "$out/src" ]; then
  # Only the files that changed are replaced, so that the targets' makes
  # rebuild only what depends on them.
  (cd "$out/src.new" && find . -type f) | while read -r f; do
    cmp -s "$out/src.new/$f" "$out/src/$f" ||
      { mkdir -p "$(dirname "$out/src/$f")" && cp -p "$out/src.new/$f" "$out/src/$f"; } || exit 1
  done || exit 1
  (cd "$out/src" && find . -type f) | while read -r f; do
    [ -e "$out/src.new/$f" ] || rm -f "$out/src/$f"
  done
  rm -rf "$out/src.new"
else
  mv "$out/src.new" "$out/src" || exit 1
fi

# ---------------------------------------------------------------- host
{
  ls "$srcdir"/tests/conformance/examples/*.xml "$srcdir"/tests/conformance/responses/*.xml \
     "$srcdir"/tests/data/*.xml
} > "$out/list"
t2=$(date +%s)
rm -rf "$out/host" && run_corpus "$top" "$out/host"
t3=$(date +%s)

# ---------------------------------------------------------------- targets
{
  echo "all:$targets"
  for t in $targets; do
    printf '%s:\n\t+@$(SHELL) %s --target %s\n' "$t" "$srcdir/cross/check.sh" "$t"
  done
  echo ".PHONY: all$targets"
} > "$out/Makefile"
"$make" -k -s --no-print-directory -f "$out/Makefile" all
rc=$?
echo "cross: sysroots $((t1 - t0)) s, sources $((t2 - t1)) s, host's corpus $((t3 - t2)) s, targets $(($(date +%s) - t3)) s"
for t in $targets; do
  cat "$out/$t/times" 2>/dev/null
done
for t in $targets; do
  cat "$out/$t.line" 2>/dev/null || { echo "cross $t: no result"; rc=1; }
done
exit $rc
