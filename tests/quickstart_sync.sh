#!/bin/sh
# quickstart_sync.sh -- .ci/run runs exactly what the README tells a new
# user to type: its Quick start's two commands first, then its "Full test
# suite" lines, so that CI proves both as written.
set -u
srcdir=${srcdir:-.}
fail=0

# readme_block HEADING-REGEX: the commands of the first code block after
# the README heading that matches (lower case).
readme_block() {
  awk -v h="$1" 'tolower($0) ~ "^#+ " h {q=1; next}
                 q && /^```/ {if (b) exit; b=1; next}
                 q && b && NF {print}' "$srcdir/README.md"
}

# ci_block MARKER: the commands of .ci/run after its comment line
# "# MARKER", up to the next comment or the end.
ci_block() {
  awk -v m="# $1" '$0 == m {q=1; next}
                   q && /^#/ {exit}
                   q && NF {print}' "$srcdir/.ci/run"
}

# same NAME HEADING-REGEX MARKER COUNT
same() {
  readme=$(readme_block "$2")
  ci=$(ci_block "$3")
  n=$(printf '%s\n' "$readme" | grep -c .)
  if [ "$n" -ne "$4" ]; then
    echo "FAIL: README's $1 has $n commands, not $4"
    fail=1
  elif [ "$readme" != "$ci" ]; then
    printf 'FAIL: README %s:\n%s\n.ci/run:\n%s\n' "$1" "$readme" "$ci"
    fail=1
  fi
}

same "Quick start" "quick ?start" "Quick start" 2
same "Full test suite" "full test suite" "Full test suite" 2
# The Quick start is .ci/run's first commands: nothing runs before them.
first=$(grep -v -E '^(#|set |cd |export |$)' "$srcdir/.ci/run" | head -n 2)
if [ "$first" != "$(ci_block "Quick start")" ]; then
  echo "FAIL: .ci/run runs something before the Quick start's commands"
  fail=1
fi
[ $fail -eq 0 ] && echo "README's Quick start and Full test suite are .ci/run's commands"
exit $fail
