#!/usr/bin/env python3
"""riscv_sp.py -- what each instruction of a RISC-V image does to the
stack pointer, for riscv_sp.awk, which follows QEMU's log of the blocks
executed (-d exec): reads `objdump -d --no-show-raw-insn` on stdin.

A block runs from its first instruction up to a branch or jump (or until
QEMU cut it, where the log's next block starts). For every address, the
straight run from it: "run ADDR TOTAL LOWEST END", TOTAL the bytes sp moves
by to its end, LOWEST the lowest it goes on the way (both relative to the
start, not above 0), END the address after the run's last instruction;
or "slow ADDR" when the run's effect depends on registers: then its
instructions are followed one by one, as "insn ADDR NEXT STOP KIND ARG"
lines: KIND d (sp moves by ARG), li (ARG "REG VALUE"), add or sub (sp
moves by the register ARG, up or down), set (ARG REG gets an unknown
value), ? (sp gets a value the code does not tell), STOP 1 after a branch
or jump. Only registers that some instruction adds to or subtracts from
sp are followed (GCC's -msave-restore: `li t1,-16` before `sub sp,sp,t1`,
and large frames)."""
import re
import sys

LINE = re.compile(r'^\s*([0-9a-f]+):\t(\S+)(?:\t(\S*))?')
IMM = re.compile(r'^-?(0x[0-9a-f]+|[0-9]+)$')
BRANCH = re.compile(r'^(b[a-z]*|c\.b[a-z]*)$')
STOPS = {'j', 'jal', 'jr', 'jalr', 'ret', 'call', 'tail', 'ecall', 'ebreak',
         'mret', 'wfi', 'c.j', 'c.jal', 'c.jr', 'c.jalr', 'unimp'}
NO_RD = {'sb', 'sh', 'sw', 'j', 'jr', 'ret', 'ecall', 'ebreak', 'mret',
         'wfi', 'fence', 'fence.i', 'tail', 'unimp', 'nop', 'csrw', 'csrs',
         'csrc', 'csrwi', 'csrsi', 'csrci'}


def imm(s):
    return int(s, 0)


def main():
    insns = []
    for line in sys.stdin:
        m = LINE.match(line)
        if m:
            insns.append((m.group(1), m.group(2),
                          (m.group(3) or '').split(',')))
    # The registers sp is moved by.
    sp_regs = set()
    for _, op, args in insns:
        if op in ('add', 'sub') and args[:2] == ['sp', 'sp'] and \
                len(args) == 3 and not IMM.match(args[2]):
            sp_regs.add(args[2])
    kinds = []
    for i, (addr, op, args) in enumerate(insns):
        stop = op in STOPS or bool(BRANCH.match(op))
        rd = args[0] if args and args[0] and op not in NO_RD and \
            not BRANCH.match(op) else None
        kind, arg = 'd', 0
        if rd == 'sp':
            if op in ('addi', 'add') and args[1] == 'sp' and \
                    IMM.match(args[2]):
                arg = imm(args[2])
            elif op in ('add', 'sub') and args[1] == 'sp' and \
                    args[2] in sp_regs:
                kind, arg = op, args[2]
            else:
                kind, arg = '?', 0
        elif rd in sp_regs:
            if op == 'li' and IMM.match(args[1]):
                kind, arg = 'li', '%s %d' % (rd, imm(args[1]))
            elif op == 'lui' and IMM.match(args[1]):
                kind, arg = 'li', '%s %d' % (rd, imm(args[1]) << 12)
            else:
                kind, arg = 'set', rd
        nxt = insns[i + 1][0] if i + 1 < len(insns) else '00000000'
        kinds.append((addr, nxt, stop, kind, arg))
    out = []
    for i, (addr, nxt, stop, kind, arg) in enumerate(kinds):
        out.append('insn %s %s %d %s %s' % (addr, nxt, stop, kind, arg))
        total = lowest = 0
        j = i
        while True:
            _, jnext, jstop, jkind, jarg = kinds[j]
            if jkind != 'd':
                out.append('slow %s' % addr)
                break
            total += jarg
            lowest = min(lowest, total)
            if jstop or j + 1 == len(kinds):
                out.append('run %s %d %d %s' % (addr, total, lowest, jnext))
                break
            j += 1
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
