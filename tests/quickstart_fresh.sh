#!/bin/sh
# quickstart_fresh.sh -- the README's two Quick start commands, as written,
# on a fresh clone (this tree's HEAD) in a fresh Debian 12 (minbase, as a
# container image has it): they must pass, make check must skip nothing,
# and both together must take under 10 minutes. Prints each one's time.
# Needs root, debootstrap and the network (Debian's archive); run by
# `make check-quickstart`, not by make check or check-all: CI proves the
# same on its own fresh machine (.ci/run).
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
budget=600
root=$(pwd)/quickstart-root

[ "$(id -u)" = 0 ] || { echo "quickstart_fresh: needs root (debootstrap, chroot)"; exit 1; }
command -v debootstrap >/dev/null 2>&1 ||
  { echo "quickstart_fresh: debootstrap not found (install debootstrap)"; exit 1; }
command -v git >/dev/null 2>&1 || { echo "quickstart_fresh: git not found"; exit 1; }
commit=$(git -C "$srcdir" rev-parse HEAD) || exit 1
if [ -n "$(git -C "$srcdir" status --porcelain --untracked-files=no)" ]; then
  echo "quickstart_fresh: note: uncommitted changes are not tested, only HEAD ($commit)"
fi

# The commands, from the README itself (as tests/quickstart_sync.sh reads them).
cmds=$(awk 'tolower($0) ~ /^#+ .*quick ?start/ {q=1; next}
            q && /^```/ {if (b) exit; b=1; next}
            q && b && NF {print}' "$srcdir/README.md")
[ "$(printf '%s\n' "$cmds" | grep -c .)" = 2 ] ||
  { echo "quickstart_fresh: the README's Quick start is not two commands"; exit 1; }

rm -rf --one-file-system "$root" && mkdir -p "$root" || exit 1
echo "quickstart_fresh: debootstrap bookworm from $mirror into $root"
t0=$(date +%s)
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 ||
  { tail -n 20 "$root.log"; echo "quickstart_fresh: debootstrap failed"; exit 1; }
echo "quickstart_fresh: debootstrap took $(($(date +%s) - t0)) s (not counted)"
cp /etc/resolv.conf "$root/etc/resolv.conf"

# A fresh clone of HEAD, as a user's git clone gives it (no build outputs).
git clone -q --no-hardlinks "$srcdir" "$root/root/src" &&
  git -C "$root/root/src" checkout -q "$commit" || exit 1

# Each command runs in the chroot from the clone's root; /proc, /dev (with
# its ptys, for the terminal tests) and /sys are mounted in a mount
# namespace of its own, so they go away with it.
printf '%s\n' "$cmds" | head -n 1 >"$root/root/cmd1"
printf '%s\n' "$cmds" | tail -n 1 >"$root/root/cmd2"
run_in_root() { # N: runs /root/cmdN, output to $root/root/outN
  unshare --mount --propagation private sh -c '
    r=$1
    mount -t proc proc "$r/proc" && mount --rbind /dev "$r/dev" &&
      mount --rbind /sys "$r/sys" || exit 1
    exec chroot "$r" /usr/bin/env -i HOME=/root TERM=dumb \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      DEBIAN_FRONTEND=noninteractive \
      sh -c "cd /root/src && sh -eu /root/cmd$2"' sh "$root" "$1" \
    >"$root/root/out$1" 2>&1
}

total=0
fail=0
for n in 1 2; do
  t0=$(date +%s)
  run_in_root $n
  rc=$?
  t=$(($(date +%s) - t0))
  total=$((total + t))
  echo "quickstart_fresh: command $n: exit $rc, $t s: $(cat "$root/root/cmd$n")"
  if [ $rc -ne 0 ]; then
    tail -n 30 "$root/root/out$n"
    echo "FAIL: command $n (its output: $root/root/out$n)"
    fail=1
    break
  fi
done

if [ $fail -eq 0 ]; then
  # The first prints the sample's jobs as JSON lines: its last line is one.
  tail -n 1 "$root/root/out1" | grep -q '^{' ||
    { echo "FAIL: command 1 did not end with tpdump's JSON"; fail=1; }
  summary=$(grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR):' "$root/root/out2")
  printf '%s\n' "$summary"
  skipped=$(printf '%s\n' "$summary" | sed -n 's/^# SKIP: *//p')
  [ "$skipped" = 0 ] || { grep '^SKIP:' "$root/root/out2"; echo "FAIL: make check skipped $skipped"; fail=1; }
  echo "quickstart_fresh: both commands: $total s (budget $budget s)"
  [ $total -lt $budget ] || { echo "FAIL: over the budget"; fail=1; }
fi
[ $fail -eq 0 ] && rm -rf --one-file-system "$root" "$root.log"
exit $fail
