#!/usr/bin/env python3
"""Worst-case stack per entry point, from GCC's -fcallgraph-info=su files.

usage: stack_usage.py FILE.ci...
Each entry point's figure is its own frame plus the deepest chain of the
library's functions it calls. Calls out of the library (expat, memcpy) and
calls through pointers (the caller's callbacks; expat calling our handlers)
are not followed: the handlers are listed as entry points of their own, and
a decode's worst case is tp_feed's plus the deepest handler's plus expat's
and the callbacks' own."""
import re
import sys

NODE = re.compile(r'node: \{ title: "([^"]+)" label: "([^"]*)"')
EDGE = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')
FRAME = re.compile(r'\\n(\d+) bytes \((static|dynamic[^)]*)\)')


def short(title):
    return title.rsplit(":", 1)[-1]


# Functions are keyed by GCC's full title: a static function's is
# "FILE:NAME", so two files' static put() stay two functions.

def main():
    frames, kinds, calls, defined = {}, {}, {}, set()
    for path in sys.argv[1:]:
        text = open(path, encoding="utf-8").read()
        for title, label in NODE.findall(text):
            m = FRAME.search(label)
            if m:
                frames[title] = int(m.group(1))
                kinds[title] = m.group(2)
                defined.add(title)
        for src, dst in EDGE.findall(text):
            calls.setdefault(src, set()).add(dst)

    memo = {}

    def depth(fn, seen):
        if fn in memo:
            return memo[fn]
        if fn not in defined or fn in seen:
            return 0  # outside the library, or recursion (there is none)
        seen = seen | {fn}
        deepest = max((depth(c, seen) for c in calls.get(fn, ())), default=0)
        memo[fn] = frames[fn] + deepest
        return memo[fn]

    # "dynamic,bounded" (i686 realigning its stack at -O0) gives an upper
    # bound, which is all a worst case needs; plain "dynamic" has none.
    dynamic = [short(f) for f, k in kinds.items()
               if k not in ("static", "dynamic,bounded")]
    roots = sorted((f for f in defined
                    if short(f).startswith("tp_") and not short(f).startswith("tp__")),
                   key=short)
    # expat's handlers: on_* in dispatch.c, tp__on_* where another file
    # defines one for dispatch.c to install.
    handlers = sorted((f for f in defined if short(f).startswith(("on_", "tp__on_"))),
                      key=short)
    print("%-24s %s" % ("entry point", "worst-case stack (bytes)"))
    for f in roots + handlers:
        print("%-24s %d" % (short(f), depth(f, frozenset())))
    if dynamic:
        print("functions with unbounded dynamic frames:", ", ".join(sorted(dynamic)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
