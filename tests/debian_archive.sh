# debian_archive.sh -- sourced by mcu/check.sh and cross/check.sh, which
# fetch Debian packages through a private apt state: sets codename (the
# machine's Debian release, bookworm where /etc/os-release does not say)
# and uri (the archive that the machine's own apt sources use for that
# release, deb822 or one-line style; empty where they name none).
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || codename=bookworm
uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
      awk -v s="$codename" '/^URIs:/ {u = $2} /^Suites:/ {for (i = 2; i <= NF; i++) if ($i == s) {print u; exit}}')
[ -n "$uri" ] || uri=$(awk -v s="$codename" '$1 == "deb" && $3 == s {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
