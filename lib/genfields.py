#!/usr/bin/env python3
"""genfields.py -- writes the files that lib/fields.def and VERSION describe.

It writes, each file whole (no hand-written file is touched), from
lib/fields.def:
  include/taskprogress_fields.h  the tp_field_id enum (taskprogress.h
                                 includes it, make install installs it);
  lib/field_lookup.h             tp__lookup_child, from an element's parent
                                 and local name to its field;
  fuzz/fields.dict               those element names for libFuzzer;
and from VERSION (MAJOR.MINOR.MICRO, the one place the version is written):
  include/taskprogress_version.h TP_VERSION_MAJOR, _MINOR and _MICRO;
the C files formatted as the tree's .clang-format formats them. They are
checked in, so that the library builds without Python; `make check`
(tests/fields.sh) runs this with --check.

    python3 lib/genfields.py [--srcdir DIR] [--outdir DIR] [--check]

--srcdir: the tree to read (default: the one this script is in).
--outdir: where to write include/, lib/ and fuzz/ (default: --srcdir).
--check:  write nothing; exit 1, naming the stale files, if the outputs
          in --outdir differ from what fields.def and VERSION give.

Other programs read fields.def through parse() (the conformance events
checker does), so that there is one reader of its format.
"""

import argparse
import collections
import os
import re
import sys

# The enum's section heading per scope (tp_node TP_NODE_<scope>).
SCOPES = {
    "JOB": "ActiveJob",
    "TASK": "TaskProgress",
    "ITEM": "TaskItemProgress",
    "FAULT": "SOAP Fault",
}
RECORDS = ("JOB", "TASK", "ITEM")
# The parents whose children are looked up by name, in tp__lookup_child's
# order: the parent's name in fields.def, the lookup function, the role
# (lib/internal.h) dispatch.c passes for it. A record's fields are looked
# up under the record; a fault field under the parent its row names.
LOOKUPS = (
    ("JOB", "job_field", "ROLE_JOB"),
    ("TASK", "task_field", "ROLE_TASK"),
    ("ITEM", "item_field", "ROLE_ITEM"),
    ("FAULT", "fault_field", "ROLE_FAULT"),
    ("FAULT_IPS", "fault_ips_field", "ROLE_FAULT_IPS"),
)
FAULT_PARENTS = ("FAULT", "FAULT_IPS", "NONE")
TYPES = {"STRING", "INT", "DOUBLE", "DATETIME", "TASK_STATE", "FAULT_KIND"}
WIDTH = 80

NAME = r'"([A-Za-z_][\w.-]*)"'
COMMENT = r"\s*(/\*.*\*/)?$"
FIELD_RE = re.compile(r"TP_FIELD\((\w+),\s*%s,\s*(\w+),\s*(\w+)\)%s" % (NAME, COMMENT))
FAULT_RE = re.compile(r"TP_FAULT_FIELD\((\w+),\s*%s,\s*(\w+),\s*(\w+)\)%s" % (NAME, COMMENT))
CHILD_RE = re.compile(r"TP_CHILD\((\w+),\s*%s,\s*(\w+)\)$" % NAME)

# One row. parent: the element it is looked up under (a LOOKUPS name), or
# None for a fault field no element carries by name.
Field = collections.namedtuple("Field", "ident name scope type parent comment where")
Child = collections.namedtuple("Child", "parent name code where")


class DefError(Exception):
    pass


def parse_row(line, where):
    m = FIELD_RE.match(line)
    if m:
        ident, name, scope, typ, comment = m.groups()
        if scope not in RECORDS:
            raise DefError("%s: TP_FIELD's scope is JOB, TASK or ITEM, not %s "
                           "(a fault field is a TP_FAULT_FIELD)" % (where, scope))
        return Field(ident, name, scope, typ, scope, comment, where)
    m = FAULT_RE.match(line)
    if m:
        ident, name, parent, typ, comment = m.groups()
        if parent not in FAULT_PARENTS:
            raise DefError("%s: a fault field's parent is one of %s, not %s"
                           % (where, ", ".join(FAULT_PARENTS), parent))
        return Field(ident, name, "FAULT", typ, None if parent == "NONE" else parent,
                     comment, where)
    m = CHILD_RE.match(line)
    if m:
        parent, name, code = m.groups()
        if parent not in RECORDS:
            raise DefError("%s: TP_CHILD's scope is JOB, TASK or ITEM, not %s" % (where, parent))
        return Child(parent, name, code, where)
    raise DefError("%s: not a TP_FIELD, TP_FAULT_FIELD or TP_CHILD row: %s" % (where, line))


def parse(path):
    """fields.def's rows: ([Field], [Child]), checked; DefError if not."""
    fields, children = [], []
    in_comment = False
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if in_comment:
                in_comment = "*/" not in line
                continue
            if not line:
                continue
            if line.startswith("/*"):
                in_comment = "*/" not in line
                continue
            row = parse_row(line, "%s:%d" % (path, n))
            if isinstance(row, Field):
                if row.type not in TYPES:
                    raise DefError("%s: unknown type %s" % (row.where, row.type))
                fields.append(row)
            else:
                children.append(row)
    seen = {}
    for f in fields:
        if f.ident in seen:
            raise DefError("%s: %s is already at %s" % (f.where, f.ident, seen[f.ident]))
        seen[f.ident] = f.where
        if len(f.name) > 255:
            raise DefError("%s: a name longer than 255 bytes" % f.where)
    names = {}
    for row in [f for f in fields if f.parent] + children:
        key = (row.parent, row.name)
        if key in names:
            raise DefError("%s: %s %s is already at %s"
                           % (row.where, row.parent, row.name, names[key]))
        names[key] = row.where
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


def fields_header_text(fields):
    lines = [
        ("/* taskprogress_fields.h -- tp_field_id: every field the decoder reports.", None),
        (" * taskprogress.h includes this and documents the fields (units, ranges)", None),
        (" * and the functions that describe them: include that one.", None),
        (" * Written by lib/genfields.py from lib/fields.def: edit there. */", None),
        ("#ifndef TASKPROGRESS_FIELDS_H", None),
        ("#define TASKPROGRESS_FIELDS_H", None),
        ("", None),
        ("typedef enum tp_field_id {", None),
    ]
    scope = None
    for i, f in enumerate(fields):
        if f.scope != scope:
            lines.append(("  /* %s (scope TP_NODE_%s) */" % (SCOPES[f.scope], f.scope), None))
            scope = f.scope
        lines.append(("  %s%s," % (f.ident, " = 0" if i == 0 else ""), f.comment))
    lines += [
        ("  TP_FIELD_COUNT_", "/* not a field: the number of ids, for tables */"),
        ("} tp_field_id;", None),
        ("", None),
        ("#endif /* TASKPROGRESS_FIELDS_H */", None),
    ]
    return "\n".join(with_comments(lines)) + "\n"


# The lookup's table: a multiplicative hash of an element's parent role,
# local name length and first byte gives a slot, which holds the one
# fields.def row those could be (or none); the row's name then decides.
# The smallest table in which the hash is perfect on fields.def's rows,
# trying HASH_TRIES multipliers per size (a tenth of a second in all).
HASH_BITS = range(5, 9)
HASH_TRIES = 4096
# The roles of lib/internal.h's tp_role that LOOKUPS names, by value.
ROLE_VALUES = {"ROLE_JOB": 5, "ROLE_TASK": 7, "ROLE_ITEM": 9, "ROLE_FAULT": 11,
               "ROLE_FAULT_IPS": 15}


def hash_key(role, name):
    return (ord(name[0]) + (ord(name[-1]) << 8) + (len(name) << 16) + (role << 24)) & 0xFFFFFFFF


def perfect_hash(keys):
    """(bits, multiplier) of the smallest table where every key gets a
    slot of its own; None if there is none (two rows with the same key
    never get one)."""
    for bits in HASH_BITS:
        if len(keys) > 1 << bits:
            continue
        for k in range(1, HASH_TRIES + 1):
            mul = (0x9E3779B1 * k) & 0xFFFFFFFF | 1
            if len({(key * mul & 0xFFFFFFFF) >> (32 - bits) for key in keys}) == len(keys):
                return bits, mul
    return None


def lookup_entries(fields, children):
    """The rows looked up by name: (entry, role, name, result), entry being
    the field's id or, for an array, TP_FIELD_COUNT_ + its place among
    fields.def's TP_CHILD rows."""
    roles = {parent: role for parent, _, role in LOOKUPS}
    rows = [(i, roles[f.parent], f.name, f.ident) for i, f in enumerate(fields) if f.parent]
    rows += [(len(fields) + i, roles[c.parent], c.name, c.code) for i, c in enumerate(children)]
    return rows


def lookup_text(fields, children):
    rows = lookup_entries(fields, children)
    keys = [hash_key(ROLE_VALUES[role], name) for _, role, name, _ in rows]
    found = perfect_hash(keys)
    bits, mul = found or (0, 0)
    slots = [None] * (1 << bits) if found else []
    for (entry, _, _, _), key in zip(rows, keys if found else []):
        slots[(key * mul & 0xFFFFFFFF) >> (32 - bits)] = entry
    parents = ["255"] * (len(fields) + len(children))
    for entry, role, _, _ in rows:
        parents[entry] = role
    out = [
        "/* field_lookup.h -- from an element's local name, under the parent that",
        " * lib/fields.def names for it, to the field it carries: inline, since it",
        " * runs for nearly every element.",
        " * Written by lib/genfields.py from lib/fields.def: edit there. */",
        "#ifndef TP_FIELD_LOOKUP_H",
        "#define TP_FIELD_LOOKUP_H",
        "",
        "#include <string.h>",
        "",
        '#include "internal.h"',
        "",
        "/* Whether the n bytes at a are those at b. Optimising for speed, the",
        " * compiler expands memcmp with a constant n inline (GCC 12 on x86-64);",
        " * optimising for size it calls the C library's, and the small targets'",
        " * (newlib's) compares byte by byte, 7 instructions a byte, when either side",
        " * is unaligned, as a name in expat's buffer is. There the bytes are",
        " * compared a word at a time: copying to a word is one load where the",
        " * processor allows unaligned ones. Measured gain on the Cortex-M4",
        " * (mcu/icount.sh, genbench.py 100 2 50): 4.9 instructions per byte of",
        " * 117.4, here and in dispatch.c's namespace check (since written out",
        " * there, faster still). On x86-64 the loop at -O2 cost 1.3 million",
        " * instructions of 184 million (callgrind, tpbench --only heap-reuse",
        " * --feeds 4096 medium) more than the inline memcmp. */",
        "static TP_HOT_INLINE int",
        "tp__same_bytes(const char *a, const char *b, size_t n) {",
        "#ifdef __OPTIMIZE_SIZE__",
        "  uint32_t x, y;",
        "  size_t i;",
        "  if (n < sizeof x)",
        "    return memcmp(a, b, n) == 0;",
        "  for (i = 0; i + sizeof x < n; i += sizeof x) {",
        "    memcpy(&x, a + i, sizeof x);",
        "    memcpy(&y, b + i, sizeof y);",
        "    if (x != y)",
        "      return 0;",
        "  }",
        "  /* The last word, overlapping the one before where n is not a",
        "   * multiple: no loop over the bytes left. */",
        "  memcpy(&x, a + n - sizeof x, sizeof x);",
        "  memcpy(&y, b + n - sizeof y, sizeof y);",
        "  return x == y;",
        "#else",
        "  return memcmp(a, b, n) == 0;",
        "#endif",
        "}",
        "",
        "/* The lookup has two forms, made from the same rows. Optimising for",
        " * speed, a switch on the parent and on the name's length, then names of",
        " * constant length compared (NAME_GIVES), which the compiler expands",
        " * inline. Optimising for size (or with TP_OPTIMIZE_SIZE), a table: a",
        " * hash of the parent's role, the name's length and its first and last",
        " * bytes gives the one row such a name can be (the hash is perfect on",
        " * fields.def's rows: lib/genfields.py chose its multiplier), whose parent",
        " * and name decide, the names being tp__fields' own. Measured, each",
        " * against the other: on x86-64 at -O2 the switch takes %s million fewer" % LOOKUP_GAIN_HOST,
        " * instructions of %s million (callgrind, tpbench --only heap-reuse" % LOOKUP_OF_HOST,
        " * --feeds 4096 medium); on the Cortex-M4 at -Os the table is %s bytes" % LOOKUP_GAIN_SIZE,
        " * smaller (lib/dispatch.o), within 0.1 instructions per byte of its speed",
        " * (mcu/icount.sh, genbench.py 100 2 50). */",
        "#if defined(__OPTIMIZE_SIZE__) || defined(TP_OPTIMIZE_SIZE)",
        "",
        "/* The names of fields.def's arrays (names.c), by their place among its",
        " * TP_CHILD rows: a table entry is a field's id, or TP_FIELD_COUNT_ and",
        " * an array's place. */",
        "extern const tp_field_info tp__children[%d];" % len(children),
        "",
        "#define TP_LOOKUP_SHIFT %d /* 32 - the table's bits */" % (32 - bits),
        "#define TP_LOOKUP_MUL 0x%08Xu" % mul,
        "#define TP_LOOKUP_NONE 255 /* an empty slot, a field with no element */",
        "",
        "/* The generator lays the tables out, not clang-format: */",
        "/* clang-format off */",
        "static const uint8_t tp__lookup_slots[%d] = {" % len(slots),
    ]
    body = ", ".join("255" if e is None else str(e) for e in slots)
    out += wrap(body, "    ")
    out += [
        "};",
        "",
        "/* Each entry's parent role. */",
        "static const uint8_t tp__lookup_parents[%d] = {" % len(parents),
    ]
    out += wrap(", ".join(parents), "    ")
    out += ["};", "/* clang-format on */", ""]
    out += LOOKUP_HEAD + [
        "  const uint32_t first = (unsigned char)local[0];",
        "  const uint32_t last = len != 0 ? (unsigned char)local[len - 1] : 0;",
        "  const uint32_t key =",
        "      first + (last << 8) + ((uint32_t)len << 16) + ((uint32_t)parent << 24);",
        "  const uint32_t slot = (uint32_t)(key * TP_LOOKUP_MUL) >> TP_LOOKUP_SHIFT;",
        "  const unsigned e = tp__lookup_slots[slot];",
        "  const tp_field_info *f;",
        "  if (e == TP_LOOKUP_NONE || tp__lookup_parents[e] != (unsigned)parent)",
        "    return -1;",
        "  if (e >= TP_FIELD_COUNT_) { /* an array: the fields' path stays short */",
        "    f = &tp__children[e - TP_FIELD_COUNT_];",
        "    if (f->len != len || memcmp(local, f->name, len) != 0)",
        "      return -1;",
        "    switch (e) {",
    ]
    arrays = [(entry, result) for entry, _, _, result in rows if entry >= len(fields)]
    for entry, result in arrays[:-1]:
        out.append("    case %d:" % entry)
        out.append("      return %s;" % result)
    out += [
        "    default:",
        "      return %s;" % arrays[-1][1],
        "    }",
        "  }",
        "  f = &tp__fields[e];",
        "  if (f->len != len || !tp__same_bytes(local, f->name, len))",
        "    return -1;",
        "  return (int)e;",
        "}",
        "",
        "#else",
        "",
        "/* Names are told apart by length first, then by their bytes (NAME_GIVES",
        " * returns the id when they match): one or two comparisons per element",
        " * instead of a walk over the parent's fields. */",
        "#define NAME_GIVES(s, id)                                                      \\",
        "  if (tp__same_bytes(local, s, sizeof(s) - 1))                                 \\",
        "  return id",
    ]
    for parent, function, _ in LOOKUPS:
        entries = [(f.name, f.ident) for f in fields if f.parent == parent]
        entries += [(c.name, c.code) for c in children if c.parent == parent]
        out += [
            "",
            "static TP_HOT_INLINE int",
            "%s(const char *local, size_t len) {" % function,
            "  switch (len) {",
        ]
        for length in sorted({len(name) for name, _ in entries}):
            out.append("  case %d:" % length)
            for name, result in entries:
                if len(name) == length:
                    out.append('    NAME_GIVES("%s", %s);' % (name, result))
            out.append("    break;")
        out += ["  }", "  return -1;", "}"]
    out += [""] + LOOKUP_HEAD + ["  switch (parent) {"]
    for _, function, role in LOOKUPS:
        out += ["  case %s:" % role, "    return %s(local, len);" % function]
    out += [
        "  default:",
        "    return -1;",
        "  }",
        "}",
        "",
        "#endif",
        "",
        "#endif /* TP_FIELD_LOOKUP_H */",
    ]
    if not found:
        # No table: the switch serves every build.
        start = out.index("/* The lookup has two forms, made from the same rows. Optimising for")
        table = out.index("#if defined(__OPTIMIZE_SIZE__) || defined(TP_OPTIMIZE_SIZE)")
        switch = out.index("#else", table)
        out[start:switch + 1] = NO_TABLE
        assert out[-3:] == ["#endif", "", "#endif /* TP_FIELD_LOOKUP_H */"]
        del out[-3:-1]
    return "\n".join(out) + "\n"


NO_TABLE = [
    "/* fields.def has two rows under one parent whose names have the same",
    " * length, first and last bytes, which the table form of the lookup",
    " * (lib/genfields.py, hash_key) cannot tell apart: the switch on the",
    " * length serves every build. */",
]
LOOKUP_HEAD = [
    "/* The field (tp_field_id, >= 0) or array (TP_CHILD_*) that the child",
    " * `local` (len bytes, not terminated) of a `parent` element carries;",
    " * -1 for any other name or parent. The namespace is the caller's to",
    " * check. */",
    "static TP_HOT_INLINE int",
    "tp__lookup_child(tp_role parent, const char *local, size_t len) {",
]
# The two forms' measured difference (lookup_text's comment says what).
LOOKUP_GAIN_HOST, LOOKUP_OF_HOST, LOOKUP_GAIN_SIZE = "2.0", "186", "980"


def wrap(text, indent):
    """text's comma-separated items on lines of at most WIDTH columns."""
    lines, line = [], indent
    for item in text.split(" "):
        if len(line) + len(item) + 1 > WIDTH and line.strip():
            lines.append(line.rstrip())
            line = indent
        line += item + " "
    lines.append(line.rstrip())
    return lines


def dict_text(fields, children):
    out = [
        "# fields.dict -- libFuzzer dictionary entries: the element names that",
        "# lib/fields.def looks up. fuzz/run-fuzzers.sh joins them to fuzz/soap.dict",
        "# for the decode, chunks and arena harnesses.",
        "# Written by lib/genfields.py from lib/fields.def: edit there.",
    ]
    names = [f.name for f in fields if f.parent] + [c.name for c in children]
    for name in sorted(set(names), key=names.index):
        out += ['name_%s="%s"' % (name, name),
                'open_%s="<%s>"' % (name, name),
                'close_%s="</%s>"' % (name, name)]
    return "\n".join(out) + "\n"


# The C type of a record member per field type. A TASK_STATE field is two
# members: its text, and its value as a tp_task_state named <member>_value.
MEMBER_TYPES = {
    "STRING": "const char *",
    "TASK_STATE": "const char *",
    "INT": "int32_t ",
    "DOUBLE": "double ",
    "DATETIME": "tp_datetime ",
    "FAULT_KIND": "tp_fault_kind ",
}
# Members in this order of types, so that a record has no padding inside.
MEMBER_ORDER = ("STRING", "TASK_STATE", "DOUBLE", "DATETIME", "INT", "FAULT_KIND")
# (The _value members of TASK_STATE fields come after all these.)
# The collector's records: scope, struct name, what it is, and the members
# that come before the fields (code, comment).
RECORD_STRUCTS = (
    ("ITEM", "tp_item_record", "one TaskItemProgress", [
        ("const struct tp_item_record *next;", "/* the task's next item, or NULL */"),
    ]),
    ("TASK", "tp_task_record", "one TaskProgress, with the items kept", [
        ("const struct tp_task_record *next;", "/* the job's next task, or NULL */"),
        ("const tp_item_record *items;", "/* the first item kept, or NULL */"),
        ("size_t item_count;", "/* items kept */"),
        ("size_t dropped_items;", "/* items of this task not kept */"),
    ]),
    ("JOB", "tp_job_record", "one ActiveJob, with the tasks kept", [
        ("const tp_task_record *tasks;", "/* the first task kept, or NULL */"),
        ("size_t task_count;", "/* tasks kept */"),
        ("size_t dropped_tasks;", "/* tasks not kept */"),
        ("size_t dropped_items;", "/* items not kept, of any task */"),
    ]),
    ("FAULT", "tp_fault_record", "one SOAP Fault", []),
)
# After the fields of a job and of a fault.
INCOMPLETE = ("int incomplete;", "/* something of it was not kept */")
MASKS = (
    ("uint64_t present;", "/* TP_FIELD_BIT of each field that came */"),
    ("uint64_t cut;", "/* ... of each string cut to fit */"),
    ("uint64_t repeated;", "/* ... of each field that came again */"),
)


def member(ident):
    """A field's member name: its id without TP_<scope>_, in lower case."""
    return re.sub(r"^TP_(JOB|TASK|ITEM|FAULT)_", "", ident).lower()


def record_members(fields, scope):
    rows, values = [], []
    for typ in MEMBER_ORDER:
        for f in fields:
            if f.scope == scope and f.type == typ:
                rows.append((MEMBER_TYPES[typ] + member(f.ident) + ";", "/* %s */" % f.name))
                if typ == "TASK_STATE":
                    values.append(("tp_task_state %s_value;" % member(f.ident),
                                   "/* %s as a tp_task_state */" % f.name))
    if scope in ("JOB", "FAULT"):
        values.append(INCOMPLETE)
    return rows + values


def records_header_text(fields):
    if len(fields) > 64:
        raise DefError("more than 64 fields: TP_FIELD_BIT's masks are 64 bits")
    lines = [
        ("/* taskprogress_records.h -- the records the collector hands over: a", None),
        (" * struct per record, a member per field. taskprogress_collect.h includes", None),
        (" * this and documents the records: include that one.", None),
        (" * Written by lib/genfields.py from lib/fields.def: edit there. */", None),
        ("#ifndef TASKPROGRESS_RECORDS_H", None),
        ("#define TASKPROGRESS_RECORDS_H", None),
        ("", None),
        ('#include "taskprogress.h"', None),
        ("", None),
        ("/* A field's bit in a record's present, cut and repeated masks. */", None),
        ("#define TP_FIELD_BIT(id) ((uint64_t)1 << (id))", None),
        ("", None),
        ("/* String members per record (TP_COLLECT_POOL_SIZE counts them). */", None),
    ]
    for scope, _, _, _ in RECORD_STRUCTS:
        n = sum(1 for f in fields if f.scope == scope and f.type in ("STRING", "TASK_STATE"))
        lines.append(("#define TP_%s_STRINGS %d" % (scope, n), None))
    for scope, name, what, head in RECORD_STRUCTS:
        lines += [("", None), ("/* %s%s. */" % (what[0].upper(), what[1:]), None),
                  ("typedef struct %s {" % name, None)]
        lines += [("  " + c, m) for c, m in head + list(MASKS) + record_members(fields, scope)]
        lines.append(("} %s;" % name, None))
    lines += [("", None), ("#endif /* TASKPROGRESS_RECORDS_H */", None)]
    return "\n".join(with_comments(lines)) + "\n"


def slots_text(fields):
    out = [
        "/* record_slots.h -- where each field goes in the collector's records:",
        " * the offset of its member in its scope's record (and of the",
        " * tp_task_state member of a TASK_STATE field), by tp_field_id.",
        " * Written by lib/genfields.py from lib/fields.def: edit there. */",
        "#ifndef TP_RECORD_SLOTS_H",
        "#define TP_RECORD_SLOTS_H",
        "",
        "#include <stddef.h>",
        "",
        '#include "taskprogress_collect.h"',
        "",
        "struct tp__slot {",
        "  unsigned short at;       /* offsetof the member */",
        "  unsigned short value_at; /* a TASK_STATE's _value member, else 0 */",
        "};",
        "",
        "static const struct tp__slot tp__slots[TP_FIELD_COUNT_] = {",
    ]
    structs = {scope: name for scope, name, _, _ in RECORD_STRUCTS}
    for f in fields:
        s, m = structs[f.scope], member(f.ident)
        value = "offsetof(%s, %s_value)" % (s, m) if f.type == "TASK_STATE" else "0"
        out.append("    {offsetof(%s, %s), %s}," % (s, m, value))
    out += ["};", ""]
    for scope, name, _, _ in RECORD_STRUCTS:
        strings = [member(f.ident) for f in fields
                   if f.scope == scope and f.type in ("STRING", "TASK_STATE")]
        out.append("/* A %s with no field yet: every string \"\". */" % name)
        out.append("static const %s tp__blank_%s = {" % (name, scope.lower()))
        out += ['    .%s = "",' % m for m in strings]
        out.append("};")
    out += ["", "#endif /* TP_RECORD_SLOTS_H */"]
    return "\n".join(out) + "\n"


def parse_version(path):
    """VERSION's (major, minor, micro); DefError unless it is one line
    MAJOR.MINOR.MICRO, as configure.ac and CMakeLists.txt read it too."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.match(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\n\Z", text)
    if not m:
        raise DefError("%s: not one line MAJOR.MINOR.MICRO: %r" % (path, text))
    return m.groups()


def version_header_text(version):
    major, minor, micro = version
    return "\n".join([
        "/* taskprogress_version.h -- the version of taskprogress.h, which includes",
        " * this: include that one.",
        " * Written by lib/genfields.py from VERSION: edit there. */",
        "#ifndef TASKPROGRESS_VERSION_H",
        "#define TASKPROGRESS_VERSION_H",
        "",
        "#define TP_VERSION_MAJOR %s" % major,
        "#define TP_VERSION_MINOR %s" % minor,
        "#define TP_VERSION_MICRO %s" % micro,
        "",
        "#endif /* TASKPROGRESS_VERSION_H */",
    ]) + "\n"


def outputs(srcdir):
    fields, children = parse(os.path.join(srcdir, "lib", "fields.def"))
    version = parse_version(os.path.join(srcdir, "VERSION"))
    return {
        os.path.join("include", "taskprogress_fields.h"): fields_header_text(fields),
        os.path.join("lib", "field_lookup.h"): lookup_text(fields, children),
        os.path.join("fuzz", "fields.dict"): dict_text(fields, children),
        os.path.join("include", "taskprogress_version.h"): version_header_text(version),
        os.path.join("include", "taskprogress_records.h"): records_header_text(fields),
        os.path.join("lib", "record_slots.h"): slots_text(fields),
    }


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--srcdir", default=here)
    ap.add_argument("--outdir")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    outdir = args.outdir or args.srcdir
    try:
        texts = outputs(args.srcdir)
    except (DefError, OSError) as e:
        print("genfields.py: %s" % e, file=sys.stderr)
        return 2
    stale = 0
    for rel, text in texts.items():
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
            print("%s is not what lib/fields.def and VERSION give: run python3 lib/genfields.py"
                  % path)
            stale += 1
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
