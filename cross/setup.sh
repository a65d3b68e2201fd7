#!/bin/sh
# cross/setup.sh -- what make check-cross needs from the machine, run once
# as root after the README's full-suite packages (not yet by CI: see
# check-cross in Makefile.am): the three targets' cross compilers and C libraries, and
# qemu-user for the two that this machine cannot run, registered with the
# kernel (binfmt_misc) so that every test runs a target program by its
# name. The targets' own expat, cmocka and libcurl are not installed here:
# cross/check.sh fetches them into sysroots of the build tree (see there).
set -eu
apt-get install -y --no-install-recommends \
  gcc-i686-linux-gnu libc6-dev-i386-cross \
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross \
  gcc-s390x-linux-gnu libc6-dev-s390x-cross \
  qemu-user qemu-user-binfmt binfmt-support
# The package registers its interpreters where systemd or binfmt-support's
# service runs at boot; a container or fresh CI machine may have neither,
# nor binfmt_misc mounted.
bm=/proc/sys/fs/binfmt_misc
[ -e $bm/register ] || mount -t binfmt_misc binfmt_misc $bm
for arch in aarch64 s390x; do
  [ -e $bm/qemu-$arch ] || update-binfmts --enable qemu-$arch
done
