#!/bin/sh
# token_limits.sh -- docs/token-limits.md, the longest token of each kind
# that decodes in each arena size, is what tests/token_limits measures on
# this host: the file is made from the program's output (with --write:
# `make token-limits`), and the test fails when a fresh measurement
# differs from it. Checked in rather than made at build time so that the
# header, the README and the installed documents can point to one page
# that exists in the tree; skipped where expat, its XML_CONTEXT_BYTES or
# the pointer size are not the ones the file was measured with, since the
# figures move with each of them.
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

# The page, from the measurement: every figure in it comes from there.
awk '
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
$1 == "setup" {
  expat = $2; pointer = $3; context = $4; slice = $5; recommended = $6
  next
}
{
  if (!($1 in seen)) { seen[$1] = 1; kinds[++nk] = $1 }
  if (!($2 in seen_arena)) { seen_arena[$2] = 1; arenas[++na] = $2 }
  figure[$1, $2] = cell($3, $4)
}
END {
  print "# Memory per token"
  print ""
  print "<!-- Written by tests/token_limits.sh --write (make token-limits) from what"
  print "     tests/token_limits.c measures; make check fails when this page is not what"
  print "     the host measures. Do not edit. -->"
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
  print ""
  print "Measured on: " expat ", " pointer "-byte pointers, XML_CONTEXT_BYTES " context "."
  print ""
  print "With the default slice of " slice " bytes (`TP_DEFAULT_SLICE`); the recommended arena"
  print "is " recommended " bytes (`TP_ARENA_RECOMMENDED_SIZE`). Expat'"'"'s structures hold pointers,"
  print "so on a 32-bit target (a Cortex-M) the figures differ; they are not measured here."
  print ""
  line = "| token |"
  rule = "| --- |"
  for (a = 1; a <= na; a++) {
    line = line " arena " arenas[a] (arenas[a] == recommended ? " (recommended)" : "") " |"
    rule = rule " ---: |"
  }
  print line
  print rule
  for (k = 1; k <= nk; k++) {
    line = "| " label(kinds[k]) " |"
    for (a = 1; a <= na; a++)
      line = line " " figure[kinds[k], arenas[a]] " |"
    print line
  }
}' "$tmp.out" >"$tmp.md" || { echo "FAIL: formatting the table"; exit 1; }

if [ "${1:-}" = --write ]; then
  cp "$tmp.md" "$doc" && exit 0
  exit 1
fi

host_line=$(grep '^Measured on: ' "$tmp.md")
doc_line=$(grep '^Measured on: ' "$doc" 2>/dev/null)
if [ "$host_line" != "$doc_line" ]; then
  echo "docs/token-limits.md: ${doc_line:-no setup line}"
  echo "this host: $host_line"
  echo "skipped: measured with another setup"
  exit 77
fi
if ! cmp -s "$tmp.md" "$doc"; then
  echo "FAIL: docs/token-limits.md is not what this host measures (make token-limits rewrites it):"
  diff "$doc" "$tmp.md"
  exit 1
fi
echo "docs/token-limits.md is what tests/token_limits measures"
