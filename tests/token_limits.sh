#!/bin/sh
# token_limits.sh -- docs/token-limits.md, the longest token of each kind
# that decodes in each arena size, is what tests/token_limits measures on
# this host: the file is made from the program's output (with --write:
# `make token-limits`), and the test fails when a fresh measurement
# differs from it. Checked in rather than made at build time so that the
# header, the README and the installed documents can point to one page
# that exists in the tree. The figures move with the machine (its
# pointer size and alignment, and the expat build it links: a cross build
# links its sysroot's, Debian's main archive's, which measures other
# names than the host's security update of the same expat_2.5.0), so the
# page names the machine and the setup it was measured with; elsewhere
# only the program's own check runs (its figures agree with every split
# of the input) and the page is not compared.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
top=${abs_top_builddir:-$(pwd)}
prog=$top/tests/token_limits
doc=$srcdir/docs/token-limits.md
tmp=${TMPDIR:-/tmp}/token_limits.$$
trap 'rm -f "$tmp".*' EXIT

[ -x "$prog" ] || { echo "FAIL: $prog is not built (make tests/token_limits)"; exit 1; }
"$prog" >"$tmp.out" 2>"$tmp.err"
rc=$?
if [ $rc -ne 0 ] || [ -s "$tmp.err" ]; then
  echo "FAIL: tests/token_limits exited $rc"
  cat "$tmp.err"
  exit 1
fi

# The page, from the host's measurement and the target's (measured by
# mcu/tokens.sh, checked in): every figure in it comes from there.
m4=$srcdir/mcu/token-limits-cortex-m4.txt
[ -f "$m4" ] || m4=
# Where the program runs: this machine, or a cross build's target.
machine=${TP_CROSS_HOST_CPU:-$(uname -m)}
awk -v machine="$machine" '
function label(kind) {
  if (kind == "comment") return "comment `<!--…-->`"
  if (kind == "pi") return "processing instruction `<?note …?>`"
  if (kind == "attribute") return "attribute value `note=\"…\"`"
  if (kind == "name") return "element name `<…>note</…>`"
  if (kind == "field-text") return "text of a field (`<description>…`)"
  if (kind == "other-text") return "text of an unknown element (`<note>…`)"
  return kind
}
function cell(longest, too_long) {
  if (longest == "-") return "—"
  if (longest == "streamed") return "no limit"
  sub(/^no-memory/, "", too_long)
  return longest " (" too_long ")"
}
FNR == 1 { t++ }
$1 == "setup" {
  setup[t] = $2 ", " $3 "-byte pointers, XML_CONTEXT_BYTES " $4
  slice = $5; recommended = $6
  next
}
{
  if (!((t, $1) in seen)) { seen[t, $1] = 1; kinds[t, ++nk[t]] = $1 }
  if (!((t, $2) in seen)) { seen[t, $2] = 1; arenas[t, ++na[t]] = $2 }
  figure[t, $1, $2] = cell($3, $4)
}
function table(t,   a, k, line, rule) {
  line = "| token |"
  rule = "| --- |"
  for (a = 1; a <= na[t]; a++) {
    line = line " arena " arenas[t, a] (arenas[t, a] == recommended ? " (recommended)" : "") " |"
    rule = rule " ---: |"
  }
  print line
  print rule
  for (k = 1; k <= nk[t]; k++) {
    line = "| " label(kinds[t, k]) " |"
    for (a = 1; a <= na[t]; a++)
      line = line " " figure[t, kinds[t, k], arenas[t, a]] " |"
    print line
  }
}
END {
  print "# Memory per token"
  print ""
  print "<!-- Written by tests/token_limits.sh --write (make token-limits) from what"
  print "     tests/token_limits.c measures on the host, and on the target by mcu/tokens.sh"
  print "     (make token-limits-mcu) into mcu/token-limits-cortex-m4.txt; make check fails"
  print "     when this page is not what the host measures. Do not edit. -->"
  print ""
  print "Expat holds each token (a tag, a comment, an attribute value) whole in memory until it"
  print "ends, so the longest token, not the response'"'"'s size, decides how much arena a response"
  print "needs beyond the usual ([security.md](security.md#memory-per-token) says why). Each figure"
  print "is the longest token, in bytes between its own delimiters, that decodes inside an otherwise"
  print "ordinary response (the shape of `examples/sample-response.xml`, one job), however the input"
  print "is split into chunks. One byte more gets `TP_ERR_NO_MEMORY`; in brackets, that error'"'"'s"
  print "`byte_offset` counted from the token'"'"'s first byte (`+0`: its `<`; a range where the"
  print "splits differ)."
  print "\"No limit\": expat hands text on as it arrives, so its length costs no memory."
  print "\"—\": the response does not decode in that arena at all."
  print "Measured with the default slice of " slice " bytes (`TP_DEFAULT_SLICE`); the recommended"
  print "arena is " recommended " bytes (`TP_ARENA_RECOMMENDED_SIZE`). Expat'"'"'s structures hold pointers,"
  print "so a 64-bit host and a 32-bit target need different arenas for the same token."
  print ""
  print "## The host"
  print ""
  print "Measured on the host: " machine ", " setup[1] "."
  print ""
  table(1)
  if (t < 2) exit
  print ""
  print "## A Cortex-M4"
  print ""
  print "Measured under QEMU (`mps2-an386`) by [mcu/tokens.sh](../mcu/tokens.sh), into"
  print "[mcu/token-limits-cortex-m4.txt](../mcu/token-limits-cortex-m4.txt): " setup[2] "."
  print ""
  table(2)
}' "$tmp.out" ${m4:+"$m4"} >"$tmp.md" || { echo "FAIL: formatting the table"; exit 1; }

if [ "${1:-}" = --write ]; then
  cp "$tmp.md" "$doc" && exit 0
  exit 1
fi

host_line=$(grep '^Measured on the host: ' "$tmp.md")
doc_line=$(grep '^Measured on the host: ' "$doc" 2>/dev/null)
if [ "$host_line" != "$doc_line" ]; then
  echo "docs/token-limits.md: ${doc_line:-no setup line}"
  echo "this build: $host_line"
  echo "tests/token_limits ran clean; the page, measured with another setup, is not compared"
  exit 0
fi
if ! cmp -s "$tmp.md" "$doc"; then
  echo "FAIL: docs/token-limits.md is not what this host measures (make token-limits rewrites it):"
  diff "$doc" "$tmp.md"
  exit 1
fi
echo "docs/token-limits.md is what tests/token_limits measures"
