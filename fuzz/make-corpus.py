#!/usr/bin/env python3
"""make-corpus.py -- regenerate the seed corpora in fuzz/corpus/<harness>/.

Sources: tests/data/*.xml and, from the conformance data (default
tests/conformance), examples/*.xml,
responses/*.xml and the xsd-lexical tables. The option bytes that the
chunks, values and arena harnesses read first are derived from a hash of
each file's name, so a rerun gives the same files.

    python3 fuzz/make-corpus.py [CONFORMANCE_DIR]
"""
import glob
import hashlib
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Documents larger than these are left out: big seeds slow every execution
# and add nothing the mutator cannot reach from the small ones.
DECODE_MAX = 16384
SPLIT_MAX = 4096  # chunks and arena decode each seed several times


def option_bytes(name, n):
    """n deterministic bytes chosen by the file name."""
    return hashlib.sha256(name.encode()).digest()[:n]


def documents(conformance):
    paths = sorted(glob.glob(os.path.join(ROOT, "tests", "data", "*.xml")))
    for sub in ("examples", "responses"):
        paths += sorted(glob.glob(os.path.join(conformance, sub, "*.xml")))
    for path in paths:
        with open(path, "rb") as f:
            yield os.path.basename(path)[:-4], f.read()


def lexical_rows(conformance):
    """(type index, row number, literal bytes) from the xsd-lexical tables,
    in the order the values harness numbers its lexers."""
    for index, table in enumerate(("int", "double", "dateTime")):
        path = os.path.join(conformance, "xsd-lexical", table + ".tsv")
        with open(path, encoding="ascii") as f:
            lines = f.read().split("\n")
        seen = set()
        for number, line in enumerate(lines[1:], 1):
            if not line:
                continue
            literal = json.loads(line.split("\t")[0]).encode("utf-8")
            if literal in seen:
                continue
            seen.add(literal)
            yield index, table, number, literal


def write(directory, name, data):
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main():
    conformance = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        ROOT, "tests", "conformance")
    if not os.path.isdir(os.path.join(conformance, "responses")):
        sys.exit("conformance data not found at " + conformance)
    out = {}
    for harness in ("decode", "chunks", "values", "arena"):
        out[harness] = os.path.join(HERE, "corpus", harness)
        shutil.rmtree(out[harness], ignore_errors=True)
        os.makedirs(out[harness])

    seen = set()
    for name, doc in documents(conformance):
        if name in seen:  # tests/data and examples share a few names
            name = "conf-" + name
        seen.add(name)
        if len(doc) <= DECODE_MAX:
            write(out["decode"], name + ".xml", doc)
        if len(doc) <= SPLIT_MAX:
            # chunks: 14 option bytes (see fuzz/chunks.c), then the document;
            # one seed in four sets limits (byte 12).
            opt = bytearray(option_bytes("chunks/" + name, 14))
            if opt[12] & 0x30:
                opt[12] = 0
            write(out["chunks"], name, bytes(opt) + doc)
            # arena: option, arena size or failing allocation, chunk size.
            opt = option_bytes("arena/" + name, 4)
            write(out["arena"], name, opt + doc)

    for index, table, number, literal in lexical_rows(conformance):
        opt = option_bytes("values/%s/%d" % (table, number), 5)
        # The two low bits of byte 0 select the lexer.
        first = (opt[0] & 0xfc) | index
        write(out["values"], "%s-%03d" % (table, number),
              bytes([first]) + opt[1:] + literal)

    for harness, directory in sorted(out.items()):
        files = os.listdir(directory)
        total = sum(os.path.getsize(os.path.join(directory, f)) for f in files)
        print("%-7s %4d files %8d bytes" % (harness, len(files), total))


if __name__ == "__main__":
    main()
