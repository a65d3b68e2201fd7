#!/bin/sh
# quickstart_sync.sh -- .ci/run runs exactly the README's two Quick start
# commands, so CI proves what a new user is told to type.
set -u
srcdir=${srcdir:-.}
readme=$(awk 'tolower($0) ~ /^#+ .*quick ?start/ {q=1; next}
              q && /^```/ {if (b) exit; b=1; next}
              q && b && NF {print}' "$srcdir/README.md")
ci=$(grep -v -E '^(#|set |cd |export |$)' "$srcdir/.ci/run")
n=$(printf '%s\n' "$readme" | grep -c .)
if [ "$n" -ne 2 ]; then
  echo "README Quick start has $n commands, not 2"; exit 1
fi
if [ "$readme" != "$ci" ]; then
  printf 'README Quick start:\n%s\n.ci/run:\n%s\n' "$readme" "$ci"
  exit 1
fi
echo "README Quick start and .ci/run agree"
