#!/bin/sh
# man-links.sh HEADER... -- the functions of the API, one name a line: each
# TP_API declaration of the headers, read up to its "(" (the name may be on
# the declaration's next line). make writes a page per name that leads to
# libtaskprogress(3), so that `man tp_feed` finds it; tests/man_names.sh
# holds the page's NAME section to the same list.
set -u
awk '/^TP_API/ { decl = ""; open = 1 }
     open { decl = decl " " $0
            if (index(decl, "(")) {
              sub(/[ \t]*\(.*/, "", decl)
              n = split(decl, w, /[ \t*]+/)
              print w[n]
              open = 0
            } }' "$@"
