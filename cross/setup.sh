#!/bin/sh
# cross/setup.sh -- run once as root after the packages of the README's
# "Other machines" (its install line runs it): registers qemu-user with
# the kernel (binfmt_misc) for the two targets of make check-cross that
# this machine cannot run itself, so that every test runs a target
# program by its name. Debian's qemu-user-binfmt registers them where systemd or
# binfmt-support's service runs at boot; a container or a fresh CI machine
# may have neither running, nor binfmt_misc mounted.
set -eu
bm=/proc/sys/fs/binfmt_misc
[ -e $bm/register ] || mount -t binfmt_misc binfmt_misc $bm
for arch in aarch64 s390x; do
  [ -e $bm/qemu-$arch ] || update-binfmts --enable qemu-$arch
done
