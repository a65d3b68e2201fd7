#!/usr/bin/env python3
"""genwidth.py -- writes tools/width_table.h: the display width of each
code point, as ranges, from Python's unicodedata.

A terminal shows East Asian Wide and Fullwidth characters (CJK, most
emoji) in two columns and the marks that combine with the character
before them in none. The text format counts columns with this table, so
that a line cut to a width fits it. Two lists of ranges, sorted:
  width_wide  east_asian_width W or F: 2 columns;
  width_zero  general category Mn, Me or Cf, and the Hangul medial vowels
              and final consonants (U+1160..U+11FF) that join the
              syllable before them: 0 columns.
Every other code point takes one column. (The characters tpdump never
writes raw are replaced before they are counted.)

The table is checked in, so that tpdump builds without Python; `make
check` (tests/width_table.sh) runs this with --check.

    python3 tools/genwidth.py [--srcdir DIR] [--check]

--check: write nothing; exit 1 if the checked-in table differs from what
         this Python's unicodedata gives, 77 (skip) when that Python's
         Unicode version is not the one the table was written from.
"""

import argparse
import os
import re
import sys
import unicodedata

OUT = os.path.join("tools", "width_table.h")
ZERO_CATEGORIES = ("Mn", "Me", "Cf")
HANGUL_JOINING = range(0x1160, 0x1200)


def ranges(pred):
    """[(first, last)] of the code points for which pred is true."""
    out = []
    start = None
    for cp in range(0x110000):
        if pred(cp):
            if start is None:
                start = cp
        elif start is not None:
            out.append((start, cp - 1))
            start = None
    if start is not None:
        out.append((start, 0x10FFFF))
    return out


# Unassigned code points that Unicode reserves as wide (EastAsianWidth.txt's
# defaults); unicodedata has no width of its own for unassigned ones.
WIDE_UNASSIGNED = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
                   (0x20000, 0x2FFFD), (0x30000, 0x3FFFD))


def is_wide(cp):
    if unicodedata.category(chr(cp)) == "Cn":
        return any(a <= cp <= b for a, b in WIDE_UNASSIGNED)
    return unicodedata.east_asian_width(chr(cp)) in ("W", "F")


def is_zero(cp):
    return (unicodedata.category(chr(cp)) in ZERO_CATEGORIES
            or cp in HANGUL_JOINING) and not is_wide(cp)


def table(name, rs):
    lines = ["static const struct width_range %s[] = {" % name]
    for i in range(0, len(rs), 3):
        lines.append("    " + " ".join("{0x%05x, 0x%05x}," % r for r in rs[i:i + 3]))
    lines.append("};")
    return "\n".join(lines)


def text():
    version = unicodedata.unidata_version
    return "\n".join([
        "/* width_table.h -- the code points that take 2 columns and those",
        " * that take none, for width.c. Written by tools/genwidth.py from",
        " * Python's unicodedata: edit there. */",
        "/* Unicode %s */" % version,
        "#define WIDTH_UNICODE_VERSION \"%s\"" % version,
        "",
        "/* clang-format off */",
        table("width_wide", ranges(is_wide)),
        "",
        table("width_zero", ranges(is_zero)),
        "/* clang-format on */",
        "",
    ])


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--srcdir", default=here)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    path = os.path.join(args.srcdir, OUT)
    want = text()
    try:
        with open(path, encoding="utf-8") as f:
            current = f.read()
    except OSError:
        current = None
    if current == want:
        return 0
    if args.check:
        m = re.search(r'WIDTH_UNICODE_VERSION "([^"]*)"', current or "")
        if m and m.group(1) != unicodedata.unidata_version:
            print("%s was written from Unicode %s, this Python has %s: not compared"
                  % (path, m.group(1), unicodedata.unidata_version))
            return 77
        print("%s is not what tools/genwidth.py writes: run python3 tools/genwidth.py"
              % path)
        return 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(want)
    return 0


if __name__ == "__main__":
    sys.exit(main())
