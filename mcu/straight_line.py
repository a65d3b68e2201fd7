#!/usr/bin/env python3
"""How far below its starting stack pointer each straight run of an
image's code goes, for mcu/stack.sh.

usage: straight_line.py < objdump -d --no-show-raw-insn IMAGE
QEMU, logging once per translation block, shows the stack pointer where
each block starts. A block is straight code: it ends at the first
instruction that can change the program counter. So the lowest stack
pointer inside a block that starts at address A is its starting one minus
the deepest the instructions from A to that end go, which this computes
for every address where it is not zero ("add sp, rN" counts when rN was
loaded from a literal in the same run, as a Cortex-M0 makes a frame over
508 bytes). Prints "ADDRESS BYTES" lines (8 lowercase hex digits,
decimal), then "unknown N": how many instructions set the stack pointer
in a way the code alone does not tell (from a computed register, say). With any, stack.sh traces one instruction per
block instead, where the log itself shows every stack pointer."""
import re
import sys

INSN = re.compile(r"^\s*([0-9a-f]+):\t([a-z][a-z0-9.]*)\s*(.*)$")
COND = "(eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?"
BRANCH = re.compile(r"^(b|bl|blx|bx|blxns|bxns)" + COND + r"(\.n|\.w)?$")
ENDS = re.compile(r"^(cbz|cbnz|tbb|tbh|bkpt|svc|udf)" + COND + r"(\.n|\.w)?$")
IMM = re.compile(r"#(-?\d+)")


def registers(ops):
    """The registers of a list such as {r4, r5, lr} or {d8-d15}, in words."""
    inner = ops[ops.index("{") + 1:ops.index("}")]
    words = 0
    for part in inner.split(","):
        part = part.strip()
        m = re.match(r"([a-z]+)(\d+)-[a-z]+(\d+)$", part)
        n = int(m.group(3)) - int(m.group(2)) + 1 if m else 1
        words += n * (2 if part.startswith("d") else 1)
    return words


def effect(mnem, ops):
    """(change of sp in bytes or None if unknown, whether the block ends)."""
    plain = re.sub(r"\.(n|w)$", "", mnem)
    base = re.sub(COND + "$", "", plain)
    # Inside an IT block an instruction may not run: its raising of sp
    # then does not count, its lowering does.
    cond = base != plain
    ops = ops.split(";")[0].split("@")[0].strip()
    writes_pc = "pc" in ops.split("{")[-1] if "{" in ops else ops.startswith("pc")
    if BRANCH.match(mnem) or ENDS.match(mnem):
        return 0, True
    if base in ("push", "vpush") or (base.startswith("stmdb") and ops.startswith("sp!")):
        return -4 * registers(ops), False
    if base in ("pop", "vpop") or (base.startswith("ldm") and ops.startswith("sp!")):
        return 0 if cond else 4 * registers(ops), writes_pc
    if re.match(r"^str[a-z]*$", base) and re.search(r"\[sp, #-?\d+\]!", ops):
        return int(IMM.findall(ops)[-1]), False
    if re.match(r"^ldr[a-z]*$", base) and re.search(r"\[sp\], #-?\d+", ops):
        return 0 if cond else int(IMM.findall(ops)[-1]), ops.startswith("pc")
    if base.startswith(("str", "stm", "vstr", "cmp", "cmn", "tst", "teq")):
        return 0, False  # reads its first operand
    if ops.startswith("pc"):
        return 0, True
    if re.match(r"^sp(,|$)", ops):
        m = re.match(r"^sp, (sp, )?#(-?\d+)$", ops)
        if m and base in ("sub", "subw", "subs"):
            return -int(m.group(2)), False
        if m and base in ("add", "addw", "adds"):
            return 0 if cond else int(m.group(2)), False
        return None, False
    return 0, False


WORD = re.compile(r"^\s*([0-9a-f]+):\t\.word\t0x([0-9a-f]+)")
LITERAL = re.compile(r"^(r\d+), \[pc, #\d+\]\s*@ \(([0-9a-f]+) ")


def by_register(insns, words):
    """The change of sp by each "add sp, rN" whose rN was loaded from a
    literal earlier in the same straight run (a Cortex-M0's frames over
    508 bytes): address -> bytes."""
    known, changes = {}, {}
    for addr, mnem, ops in insns:
        ops = ops.split("@")[0].strip() if not mnem.startswith("ldr") else ops
        m = LITERAL.match(ops) if mnem.startswith("ldr") else None
        reg = re.match(r"^add(s)?$", mnem) and re.match(r"^sp, (r\d+)$", ops)
        if m and int(m.group(2), 16) in words:
            v = words[int(m.group(2), 16)]
            known[m.group(1)] = v - (1 << 32) if v >= 1 << 31 else v
        elif reg and reg.group(1) in known:
            changes[addr] = known[reg.group(1)]
        else:
            first = ops.split(",")[0].strip()
            known.pop(first, None)
        if effect(mnem, ops)[1]:
            known = {}
    return changes


def main():
    insns, words = [], {}
    for line in sys.stdin:
        m = INSN.match(line)
        if m:
            insns.append((int(m.group(1), 16), m.group(2), m.group(3)))
        m = WORD.match(line)
        if m:
            words[int(m.group(1), 16)] = int(m.group(2), 16)
    from_literal = by_register(insns, words)
    unknown = 0
    deepest = 0  # how far below the start the code after this one goes
    out = []
    # Backwards: an instruction's figure is its own change followed by the
    # rest of its block; a block's last instruction has no rest.
    for addr, mnem, ops in reversed(insns):
        change, ends = effect(mnem, ops)
        if addr in from_literal:
            change = from_literal[addr]
        if change is None:
            # Unknown: the block's figure cannot be had from the code.
            unknown += 1
            change, ends = 0, True
        rest = 0 if ends else deepest
        deepest = max(0, rest - change)
        if deepest:
            out.append("%08x %d" % (addr, deepest))
    sys.stdout.write("\n".join(reversed(out)) + ("\n" if out else ""))
    print("unknown %d" % unknown)


if __name__ == "__main__":
    main()
