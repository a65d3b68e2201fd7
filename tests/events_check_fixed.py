#!/usr/bin/env python3
"""Runs ../shared/conformance/events_check.py with one fix applied in memory.

The shared checker computes where each event's tag completes as "the next
'>' after expat's CurrentByteIndex". For the end of an empty element
(<locale/>) expat's index is already past the tag, so the checker expects
the event at the end of the *following* tag, later than the '>' that
really completes it. The fix: for an empty element, the tag completes at
that index itself. Everything else in the checker is unchanged; if the
checker's text no longer matches (it was fixed upstream), this refuses to
run so that the plain checker is used instead.

usage: events_check_fixed.py CONFORMANCE_DIR ARGS...  (ARGS as for the checker)
"""
import os
import sys

conf = sys.argv[1]
path = os.path.join(conf, "events_check.py")
src = open(path, encoding="utf-8").read()
patches = [
    ("    stack, out = [], []\n", "    stack, out, starts = [], [], []\n"),
    ("    def start(name, attrs):\n",
     "    def start(name, attrs):\n        starts.append(p.CurrentByteIndex)\n"),
    ("        r = stack.pop()\n", "        r = stack.pop()\n        s0 = starts.pop()\n"),
    ("        off = tag_end(p.CurrentByteIndex)\n",
     "        i = p.CurrentByteIndex\n"
     "        empty = data[i - 2:i] == b\"/>\" and data.index(b\">\", s0) + 1 == i\n"
     "        off = i if empty else tag_end(i)\n"),
]
for old, new in patches:
    if src.count(old) != 1:
        sys.exit("events_check.py changed; the fix no longer applies: %r" % old)
    src = src.replace(old, new)
sys.path.insert(0, conf)
sys.argv = [path] + sys.argv[2:]
code = compile(src, path + " (empty-element fix)", "exec")
exec(code, {"__name__": "__main__", "__file__": path})
