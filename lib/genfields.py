#!/usr/bin/env python3
"""genfields.py -- writes the code that lib/fields.def describes.

From lib/fields.def it writes the tp_field_id enum in
include/taskprogress.h (only that enum: the rest of the header is kept as
it is) and lib/field_lookup.h, both formatted as the tree's .clang-format
formats them. Both outputs are checked in, so that the library builds
without Python; `make check` (tests/fields.sh) runs this with --check.

    python3 lib/genfields.py [--srcdir DIR] [--outdir DIR] [--check]

--srcdir: the tree to read (default: the one this script is in).
--outdir: where to write include/ and lib/ (default: --srcdir).
--check:  write nothing; exit 1, naming the stale files, if the outputs
          in --outdir differ from what fields.def gives.
"""

import argparse
import os
import re
import sys

# Per scope: the section heading in the enum, and for the scopes looked up
# by name, the lookup function and the record's role.
SCOPES = {
    "JOB": ("ActiveJob", "job_field", "ROLE_JOB"),
    "TASK": ("TaskProgress", "task_field", "ROLE_TASK"),
    "ITEM": ("TaskItemProgress", "item_field", "ROLE_ITEM"),
    "FAULT": ("SOAP Fault", None, None),
}
TYPES = {"STRING", "INT", "DOUBLE", "DATETIME", "TASK_STATE", "FAULT_KIND"}
WIDTH = 80

FIELD_RE = re.compile(
    r'TP_FIELD\((\w+),\s*"([A-Za-z_][\w.-]*)",\s*(\w+),\s*(\w+)\)'
    r"\s*(/\*.*\*/)?$"
)
CHILD_RE = re.compile(r'TP_CHILD\((\w+),\s*"([A-Za-z_][\w.-]*)",\s*(\w+)\)$')


class DefError(Exception):
    pass


def parse(path):
    fields, children = [], []
    in_comment = False
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            where = "%s:%d" % (path, n)
            if in_comment:
                in_comment = "*/" not in line
                continue
            if not line:
                continue
            if line.startswith("/*"):
                in_comment = "*/" not in line
                continue
            m = FIELD_RE.match(line)
            if m:
                ident, name, scope, typ, comment = m.groups()
                if scope not in SCOPES:
                    raise DefError("%s: unknown scope %s" % (where, scope))
                if typ not in TYPES:
                    raise DefError("%s: unknown type %s" % (where, typ))
                fields.append((ident, name, scope, typ, comment, where))
                continue
            m = CHILD_RE.match(line)
            if m:
                scope, name, code = m.groups()
                if SCOPES.get(scope, (None, None))[1] is None:
                    raise DefError("%s: no lookup for scope %s" % (where, scope))
                children.append((scope, name, code, where))
                continue
            raise DefError("%s: not a TP_FIELD or TP_CHILD row: %s" % (where, line))
    seen = {}
    for ident, name, scope, _, _, where in fields:
        if ident in seen:
            raise DefError("%s: %s is already at %s" % (where, ident, seen[ident]))
        seen[ident] = where
        if len(name) > 255:
            raise DefError("%s: a name longer than 255 bytes" % where)
    names = {}
    rows = [(scope, name, ident, where) for ident, name, scope, _, _, where in fields]
    for scope, name, what, where in rows + children:
        if SCOPES[scope][1] is None:
            continue
        key = (scope, name)
        if key in names:
            raise DefError("%s: %s %s is already at %s" % (where, scope, name, names[key]))
        names[key] = where
    if not fields:
        raise DefError("%s: no fields" % path)
    return fields, children


def with_comments(lines):
    """(code, comment) pairs to lines, the comments of consecutive lines
    aligned one space after the longest code, as clang-format aligns
    trailing comments."""
    out, run = [], []

    def flush():
        col = max(len(code) for code, _ in run) + 1
        for code, comment in run:
            out.append(code.ljust(col) + comment)
        run.clear()

    for code, comment in lines:
        if comment:
            run.append((code, comment))
            continue
        if run:
            flush()
        out.append(code)
    if run:
        flush()
    return out


def enum_text(fields):
    lines = [
        ("typedef enum tp_field_id {", None),
        ("  /* Written by lib/genfields.py from lib/fields.def: edit there. */", None),
    ]
    scope = None
    for i, (ident, _, s, _, comment, _) in enumerate(fields):
        if s != scope:
            lines.append(("  /* %s (scope TP_NODE_%s) */" % (SCOPES[s][0], s), None))
            scope = s
        lines.append(("  %s%s," % (ident, " = 0" if i == 0 else ""), comment))
    lines.append(("  TP_FIELD_COUNT_", "/* not a field: the number of ids, for tables */"))
    lines.append(("} tp_field_id;", None))
    return "\n".join(with_comments(lines)) + "\n"


def lookup_text(fields, children):
    out = [
        "/* field_lookup.h -- from a record's child element (local name) to the",
        " * field it carries: inline, since it runs for nearly every element.",
        " * Written by lib/genfields.py from lib/fields.def: edit there. */",
        "#ifndef TP_FIELD_LOOKUP_H",
        "#define TP_FIELD_LOOKUP_H",
        "",
        "#include <string.h>",
        "",
        '#include "internal.h"',
        "",
        "/* Names are told apart by length first, then by their bytes: one or two",
        " * comparisons per element instead of a walk over the record's fields. */",
        "#define NAME_IS(lit) (memcmp(local, lit, sizeof(lit) - 1) == 0)",
    ]
    looked_up = [s for s in SCOPES if SCOPES[s][1] is not None]
    for scope in looked_up:
        entries = [(name, ident) for ident, name, s, _, _, _ in fields if s == scope]
        entries += [(name, code) for s, name, code, _ in children if s == scope]
        out += [
            "",
            "static TP_HOT_INLINE int",
            "%s(const char *local, size_t len) {" % SCOPES[scope][1],
            "  switch (len) {",
        ]
        for length in sorted({len(name) for name, _ in entries}):
            out.append("  case %d:" % length)
            for name, result in entries:
                if len(name) == length:
                    out.append('    if (NAME_IS("%s"))' % name)
                    out.append("      return %s;" % result)
            out.append("    return -1;")
        out += ["  default:", "    return -1;", "  }", "}"]
    out += [
        "",
        "static TP_HOT_INLINE int",
        "tp__lookup_child(tp_role record, const char *local, size_t len) {",
        "  switch (record) {",
    ]
    for scope in looked_up:
        _, function, role = SCOPES[scope]
        out += ["  case %s:" % role, "    return %s(local, len);" % function]
    out += [
        "  default:",
        "    return -1;",
        "  }",
        "}",
        "",
        "#endif /* TP_FIELD_LOOKUP_H */",
    ]
    return "\n".join(out) + "\n"


def header_text(old, fields):
    start = old.find("typedef enum tp_field_id {\n")
    end = old.find("} tp_field_id;\n", start)
    if start < 0 or end < 0:
        raise DefError("include/taskprogress.h: no 'typedef enum tp_field_id {' ... "
                       "'} tp_field_id;' to replace")
    return old[:start] + enum_text(fields) + old[end + len("} tp_field_id;\n"):]


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--srcdir", default=here)
    ap.add_argument("--outdir")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    outdir = args.outdir or args.srcdir
    try:
        fields, children = parse(os.path.join(args.srcdir, "lib", "fields.def"))
        with open(os.path.join(args.srcdir, "include", "taskprogress.h"), encoding="utf-8") as f:
            header = header_text(f.read(), fields)
    except (DefError, OSError) as e:
        print("genfields.py: %s" % e, file=sys.stderr)
        return 2
    outputs = {
        os.path.join("include", "taskprogress.h"): header,
        os.path.join("lib", "field_lookup.h"): lookup_text(fields, children),
    }
    stale = 0
    for rel, text in outputs.items():
        long_lines = [l for l in text.splitlines() if len(l) > WIDTH]
        if long_lines:
            print("genfields.py: %s would get a line over %d columns (shorten the "
                  "comment in fields.def): %s" % (rel, WIDTH, long_lines[0]), file=sys.stderr)
            return 2
        path = os.path.join(outdir, rel)
        try:
            with open(path, encoding="utf-8") as f:
                current = f.read()
        except OSError:
            current = None
        if current == text:
            continue
        if args.check:
            print("%s is not what lib/fields.def gives: run python3 lib/genfields.py" % path)
            stale += 1
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
