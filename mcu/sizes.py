#!/usr/bin/env python3
"""sizes.py -- the figures of mcu/check.sh: flash and static RAM per part
of the linked images (from the linker's map files, each byte once, as
placed; they add up to arm-none-eabi-size's text, data and bss), RAM per
response (from the firmware's stats files), against the targets of
mcu/README.md; ends with the Cortex-M4's two summary lines and one line
per core, and writes the measured tables to SIZES_MD (mcu/SIZES.md's
fresh copy).

Usage: sizes.py BUILD_DIR RUN_DIR EXPAT_VERSION XML_CONTEXT_BYTES SECONDS
                TOOLCHAIN COLLECT_NOT_COMPARED SIZES_MD CORE...
BUILD_DIR/CORE holds a core's images and their map files, obj/lib and
obj/lib-small its library's objects without and with TP_OPTIMIZE_SIZE;
RUN_DIR/CORE its runs' stats and `result` (check.sh's counts of outputs
identical to the host's, the stack and speed figures when measured, and
the core's `size` tool).
TOOLCHAIN names what the figures were measured with; COLLECT_NOT_COMPARED,
when not empty, says why the collector's records were not compared.
"""
import bisect
import glob
import os
import re
import subprocess
import sys

KIB = 1024
FLASH_TARGET = 80 * KIB   # library + expat + C library functions they use
RAM_TARGET = 16 * KIB     # sample and genbench 1 1 10
RAM_CORPUS_TARGET = 24 * KIB
COLLECT_RAM_TARGET = 16 * KIB   # sample, with the collector and its pool
COLLECT_TEXT_TARGET = 2 * KIB   # library code the collector adds
LIB_SMALL_TARGET = 10 * KIB     # library with TP_OPTIMIZE_SIZE, as linked
# measure.elf's arena is smaller than TP_ARENA_RECOMMENDED_SIZE where the
# RAM is (the nRF51's 16 KiB): a response may need more than it has.
OUT_OF_ARENA = ', ran out of the %d-byte arena'

ONE_LINE = re.compile(r'^ (\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$')
NAME_ONLY = re.compile(r'^ (\.\S+|COMMON)\s*$')
REST = re.compile(r'^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$')


OUT_SECTION = re.compile(r'^(\.\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)')
OUT_NAME_ONLY = re.compile(r'^(\.\S+)\s*$')
OUT_REST = re.compile(r'^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s*$')
FLASH_SECTIONS = ('.text', '.ARM.exidx', '.data', '.tdata')
RAM_SECTIONS = ('.data', '.tdata', '.tbss', '.bss')


def read_map(map_path):
    """The output sections of a GNU ld map file, {name: (address, size,
    [(address, size, input section, origin)...])}, as linked."""
    with open(map_path) as f:
        lines = f.read().split('\n')
    try:
        start = lines.index('Linker script and memory map')
    except ValueError:
        sys.exit('sizes.py: %s is not a GNU ld map file' % map_path)
    sections = {}
    current = None
    out_pending = pending = None
    for line in lines[start + 1:]:
        m = OUT_SECTION.match(line)
        if m or (out_pending and OUT_REST.match(line)):
            if m:
                name, addr, size = m.group(1), m.group(2), m.group(3)
            else:
                m = OUT_REST.match(line)
                name, addr, size = out_pending, m.group(1), m.group(2)
            current = sections.setdefault(name, (int(addr, 16),
                                                 int(size, 16), []))
            out_pending = pending = None
            continue
        m = OUT_NAME_ONLY.match(line)
        if m:
            out_pending, pending = m.group(1), None
            continue
        out_pending = None
        m = ONE_LINE.match(line)
        if m:
            entry = (m.group(1), m.group(2), m.group(3), m.group(4))
        elif pending is not None and REST.match(line):
            m = REST.match(line)
            entry = (pending, m.group(1), m.group(2), m.group(3))
        else:
            m = NAME_ONLY.match(line)
            pending = m.group(1) if m else None
            continue
        pending = None
        if current is not None:
            current[2].append((int(entry[1], 16), int(entry[2], 16),
                               entry[0], entry[3]))
    return sections


def placed(section):
    """The bytes each input section of an output section holds in the
    linked image: the map lists merged strings and some small constants at
    addresses that overlap, so each byte is counted once, for the first
    input section placed over it; what no input section covers is fill.
    No input section reaches past where the next one starts: ld lists a
    string section whose strings all went into another's merged block at
    its own address with the whole block's size, which would take the
    bytes of the sections after it (in measure-small.elf 302 bytes of
    expat's strings, counted as the library's)."""
    start, size, entries = section
    end = start + size
    covered = start
    entries = sorted(entries, key=lambda e: e[0])
    starts = sorted(set(e[0] for e in entries)) + [end]
    for addr, length, name, origin in entries:
        following = starts[bisect.bisect_right(starts, addr)] \
            if addr < end else end
        lo, hi = max(addr, covered), min(addr + length, end, following)
        if hi > lo:
            yield hi - lo, name, origin
            covered = hi


def parts(map_path, lib_dir, expat_dir, objects=None, texts=None):
    """Bytes of flash (code, constants, vectors, .data's initial values)
    and of static RAM (.data, .bss) per part of a linked image: lib,
    expat, libc, firmware, and fill (alignment between input sections).
    The flash parts add up to the image's text and data as
    arm-none-eabi-size counts them. When `objects` is a dict, it also gets
    the flash of each of the library's objects, by file name; when `texts`
    is, their code (.text) alone."""
    flash = {'lib': 0, 'expat': 0, 'libc': 0, 'firmware': 0, 'fill': 0}
    ram = dict.fromkeys(flash, 0)
    sections = read_map(map_path)
    for out in set(FLASH_SECTIONS + RAM_SECTIONS):
        if out not in sections:
            continue
        fill = sections[out][1]
        for size, section, origin in placed(sections[out]):
            fill -= size
            if origin.startswith(lib_dir + '/'):
                part = 'lib'
            elif origin.startswith(expat_dir + '/'):
                part = 'expat'
            elif '.a(' in origin:
                part = 'libc'
            else:
                part = 'firmware'
            if out in FLASH_SECTIONS:
                flash[part] += size
            if out in RAM_SECTIONS:
                ram[part] += size
            if part == 'lib' and out in FLASH_SECTIONS:
                name = os.path.basename(origin)
                if objects is not None:
                    objects[name] = objects.get(name, 0) + size
                if texts is not None and section.startswith('.text'):
                    texts[name] = texts.get(name, 0) + size
        if out in FLASH_SECTIONS:
            flash['fill'] += fill
        if out in RAM_SECTIONS:
            ram['fill'] += fill
    return flash, ram


def size_of(size_tool, elf):
    """arm-none-eabi-size's text, data and bss of an image or object."""
    out = subprocess.run([size_tool, '-B', elf], check=True,
                         stdout=subprocess.PIPE,
                         universal_newlines=True).stdout.split('\n')[1]
    text, data, bss = (int(w) for w in out.split()[:3])
    return text, data, bss


def against(value, target):
    if value <= target:
        return 'met (%d bytes to spare)' % (target - value)
    return 'MISSED by %d bytes' % (value - target)


def read_stats(path):
    """A stats file of measure.c or collect.c: {N: (high water, stack,
    out of memory)} per response, and the named figures."""
    per_file, named = {}, {}
    with open(path) as f:
        for line in f:
            w = line.split()
            if w[0].isdigit():
                per_file[int(w[0])] = (int(w[1]), int(w[2]),
                                       int(w[3]) if len(w) > 3 else 0)
            else:
                named[w[0]] = int(w[1])
    return per_file, named


def read_result(path):
    """A core's results, as check.sh wrote them: "KEY VALUE" lines."""
    with open(path) as f:
        return dict(l.rstrip('\n').split(' ', 1) for l in f if l.strip())


def thousands(n):
    return '{:,}'.format(n) if isinstance(n, int) else n


class Core:
    """What was measured of one core: its images' flash and static RAM by
    part, and measure.elf's RAM per response."""

    def __init__(self, name, build, run_dir, names):
        self.name = name
        self.build = os.path.join(build, name)
        self.run = os.path.join(run_dir, name)
        self.result = read_result(os.path.join(self.run, 'result'))
        self.lib_dir = os.path.realpath(os.path.join(self.build, 'obj', 'lib'))
        self.expat_dir = os.path.realpath(self.result['expat_obj'])
        self.size_tool = self.result['size_tool']
        self.names = names
        self.per_file, self.stats = read_stats(
            os.path.join(self.run, 'target', 'stats'))

    def image(self, name, lib='lib', objects=None, texts=None):
        """Flash and static RAM by part of NAME.elf, checked against
        arm-none-eabi-size's text, data and bss."""
        elf = os.path.join(self.build, name + '.elf')
        lib_dir = os.path.realpath(os.path.join(self.build, 'obj', lib))
        flash, ram = parts(elf + '.map', lib_dir, self.expat_dir, objects,
                           texts)
        text, data, bss = size_of(self.size_tool, elf)
        if sum(flash.values()) != text + data or \
                sum(ram.values()) != data + bss:
            sys.exit('sizes.py: %s: the map gives %d bytes of flash and %d of'
                     ' RAM, arm-none-eabi-size %d and %d'
                     % (elf, sum(flash.values()), sum(ram.values()),
                        text + data, data + bss))
        return flash, ram

    def ram(self, i):
        hw, stack, _ = self.per_file[i]
        return self.stats['decoder'] + hw + stack

    def worst(self):
        return max(range(len(self.names)), key=self.ram)

    def figure(self, key):
        return self.result.get(key, '?')


def speed_measured(core):
    """icount.sh counts with the Cortex-M SysTick: other cores have no
    speed figures, and their summary line leaves them out."""
    return core.name.startswith('cortex-')


def path_of(flash):
    return flash['lib'] + flash['expat'] + flash['libc']


def m4_lines(core, run_dir, col_why):
    """The Cortex-M4's figures, which only it measures: the library with
    TP_OPTIMIZE_SIZE, the full newlib, tpdump, the request writer and the
    collector. Returns (figure lines, summary lines)."""
    out = []
    objects = {}
    for v in ('lib', 'lib-small'):
        objs = sorted(glob.glob(os.path.join(core.build, 'obj', v, '*.o')))
        sizes = [size_of(core.size_tool, o) for o in objs]
        objects[v] = dict(zip((os.path.basename(o) for o in objs), sizes))
        out.append('mcu: library %sobjects (unlinked): .text %d .data %d'
                   ' .bss %d bytes'
                   % ('with TP_OPTIMIZE_SIZE ' if v == 'lib-small' else '',
                      sum(x[0] for x in sizes), sum(x[1] for x in sizes),
                      sum(x[2] for x in sizes)))
    out.append('mcu: the request writer (lib/request.o, unlinked): .text %d'
               ' bytes, with TP_OPTIMIZE_SIZE %d'
               % (objects['lib']['request.o'][0],
                  objects['lib-small']['request.o'][0]))
    fw_objects = {}
    fw_flash, fw_ram = core.image('fw', objects=fw_objects)
    dec_texts = {}
    dec_flash, _ = core.image('measure', texts=dec_texts)
    full_flash, _ = core.image('measure-full')
    small_flash, _ = core.image('measure-small', 'lib-small')
    col_objects, col_texts = {}, {}
    col_flash, _ = core.image('collect', objects=col_objects, texts=col_texts)
    # What the collector adds: collect.elf is measure.elf's decode path
    # with the collector in place of callbacks that count.
    col_lib_flash = col_flash['lib'] - dec_flash['lib']
    col_lib_text = sum(col_texts.values()) - sum(dec_texts.values())
    dec_path, full_path = path_of(dec_flash), path_of(full_flash)
    small_path = path_of(small_flash)
    tdir = os.path.join(core.run, 'target')
    with open(os.path.join(tdir, 'tpdump-stats')) as f:
        tp = dict((l.split()[0], int(l.split()[1])) for l in f if l.strip())
    with open(os.path.join(tdir, 'request-stats')) as f:
        req_stack = dict((l.split()[0], int(l.split()[1]))
                         for l in f if l.strip())
    col_file, col = read_stats(os.path.join(core.run, 'collect-target',
                                            'stats'))
    names = core.names

    def col_ram(i):
        hw, stack, _ = col_file[i]
        return col['decoder'] + hw + col['collector'] + col['pool'] + stack

    out.append('mcu: fw.elf flash (code+constants+data): lib %d, expat %d, '
               'C library %d, tpdump+firmware %d, fill %d; image %d bytes; '
               'static RAM (.data+.bss) %d bytes'
               % (fw_flash['lib'], fw_flash['expat'], fw_flash['libc'],
                  fw_flash['firmware'], fw_flash['fill'],
                  sum(fw_flash.values()), sum(fw_ram.values())))
    out.append('mcu: decode-only image (measure.elf, newlib-nano): lib %d, '
               'expat %d, C library %d, start-up+semihosting+measuring %d, '
               'fill %d bytes'
               % (dec_flash['lib'], dec_flash['expat'], dec_flash['libc'],
                  dec_flash['firmware'], dec_flash['fill']))
    out.append('mcu:   decode path (lib+expat+C library) %d bytes, target %d:'
               ' %s' % (dec_path, FLASH_TARGET,
                        against(dec_path, FLASH_TARGET)))
    out.append('mcu:   with the full newlib instead (measure-full.elf): C'
               ' library %d, decode path %d bytes: %s'
               % (full_flash['libc'], full_path,
                  against(full_path, FLASH_TARGET)))
    out.append('mcu:   with TP_OPTIMIZE_SIZE (measure-small.elf): lib %d'
               ' instead of %d (target %d: %s), C library %d, decode path %d'
               ' bytes: %s'
               % (small_flash['lib'], dec_flash['lib'], LIB_SMALL_TARGET,
                  against(small_flash['lib'], LIB_SMALL_TARGET),
                  small_flash['libc'], small_path,
                  against(small_path, FLASH_TARGET)))
    worst = core.worst()
    for label, i in (('sample', 0), ('genbench 1 1 10', 1),
                     ('corpus max', worst)):
        hw, stack, _ = core.per_file[i]
        out.append('mcu: RAM %s: decoder %d + arena high water %d + peak stack'
                   ' %d = %d bytes%s'
                   % (label, core.stats['decoder'], hw, stack, core.ram(i),
                      '' if i != worst else ' (%s)'
                      % os.path.basename(names[i])))
    out.append('mcu:   sample, target %d: %s'
               % (RAM_TARGET, against(core.ram(0), RAM_TARGET)))
    out.append('mcu:   genbench 1 1 10, target %d: %s'
               % (RAM_TARGET, against(core.ram(1), RAM_TARGET)))
    out.append('mcu:   every response, target %d: %s'
               % (RAM_CORPUS_TARGET,
                  against(core.ram(worst), RAM_CORPUS_TARGET)))
    out.append("mcu: newlib's heap: decode path %d bytes; tpdump (its printf"
               " and strtod of doubles) %d bytes; tpdump's peak stack,"
               " printing included, %d bytes"
               % (core.stats['heap'], tp['heap'], tp['stack']))
    out.append('mcu: request writer in fw.elf: lib/request.o %d bytes of'
               ' flash (linked); peak stack, its 32-byte piece buffer aside:'
               ' tp_request_check %d, tp_request_write %d, tp_request_stream'
               ' %d bytes (its callback, which copies, included)'
               % (fw_objects.get('request.o', 0), req_stack['check'],
                  req_stack['write'], req_stack['stream']))
    col_worst = max(range(len(names)), key=col_ram)
    for label, i in (('sample', 0), ('genbench 1 1 10', 1),
                     ('corpus max', col_worst)):
        hw, stack, _ = col_file[i]
        out.append('mcu: collector RAM %s, %d-byte pool: decoder %d + arena'
                   ' high water %d + collector %d + pool %d + peak stack %d ='
                   ' %d bytes%s'
                   % (label, col['pool'], col['decoder'], hw,
                      col['collector'], col['pool'], stack, col_ram(i),
                      '' if i != col_worst else ' (%s)'
                      % os.path.basename(names[i])))
    out.append('mcu:   sample with the collector, target %d: %s'
               % (COLLECT_RAM_TARGET,
                  against(col_ram(0), COLLECT_RAM_TARGET)))
    out.append("mcu: collector flash (collect.elf against measure.elf): lib %d"
               " instead of %d, .text %d instead of %d; lib/collect.o linked:"
               " .text %d, constants %d bytes; newlib's heap %d bytes"
               % (col_flash['lib'], dec_flash['lib'], sum(col_texts.values()),
                  sum(dec_texts.values()), col_texts.get('collect.o', 0),
                  col_objects.get('collect.o', 0)
                  - col_texts.get('collect.o', 0), col['heap']))
    out.append('mcu:   library .text the collector adds, %d bytes (%d with'
               ' its constants), target %d: %s'
               % (col_lib_text, col_lib_flash, COLLECT_TEXT_TARGET,
                  against(col_lib_text, COLLECT_TEXT_TARGET)))
    r = core.result
    col_runs = r['col_runs']
    summary = [
        'mcu: %s/%s outputs identical, %s/%s request files; flash: lib %d,'
        ' expat %d, image %d bytes; RAM in all (decoder+arena+stack):'
        ' sample %d, genbench %d, corpus max %d bytes'
        % (r['same'], r['runs'], r['req_same'], r['req_files'],
           fw_flash['lib'], fw_flash['expat'], sum(fw_flash.values()),
           core.ram(0), core.ram(1), core.ram(worst)),
        'mcu: collector: %s; RAM for the sample with a %d-byte pool: %d'
        ' bytes (decoder %d, arena %d, collector %d, pool %d, stack %d);'
        ' flash: .text %d bytes'
        % ('%s/%s outputs identical' % (r['col_same'], col_runs)
           if not col_why else
           '%s outputs, not compared with the host' % col_runs,
           col['pool'], col_ram(0), col['decoder'], col_file[0][0],
           col['collector'], col['pool'], col_file[0][1], col_lib_text)]
    compared = ('mcu: compared with the host on the Cortex-M4: fw.elf and'
                ' fw-small.elf (the library with TP_OPTIMIZE_SIZE), %d runs'
                ' each, %d request files each; collect.elf, %s'
                % (int(r['runs']) // 2, int(r['req_files']) // 2,
                   'not compared: ' + col_why if col_why else
                   '%s record files (the host\'s built for 32-bit x86 with'
                   ' the target\'s record layout)' % col_runs))
    images = [('fw', fw_flash, fw_ram), ('measure', dec_flash, None),
              ('measure-full', full_flash, None),
              ('measure-small', small_flash, None),
              ('collect', col_flash, None)]
    return out, compared, summary, images


def m0_lines(core):
    """Whether the decode path fits the nRF51's 16 KiB: measure.elf's
    static RAM (the decoder, the arena whole, the firmware's data) and
    stack reserve fill the RAM by construction; the sample must decode in
    that arena without running out, within the reserve."""
    _, ram = core.image('measure')
    static = sum(ram.values())
    arena = core.stats['arena']
    firmware = static - core.stats['decoder'] - arena
    hw, stack, oom = core.per_file[0]
    need = core.stats['decoder'] + hw + stack + firmware
    reserve = 16 * KIB - static
    out_of_arena = sum(1 for v in core.per_file.values() if v[2])
    verdict = ('yes' if not oom and stack < reserve and need <= 16 * KIB
               else 'NO')
    spare = 16 * KIB - need
    return ('mcu %s: does the sample decode in the 16 KiB part? %s: decoder'
            ' %d + arena high water %d + peak stack %d + firmware data %d ='
            ' %d of %d bytes (%d %s); the arena, %d bytes, is what the RAM'
            ' leaves beside a %d-byte stack reserve; %d of %d responses run'
            ' out of it at some chunk size'
            % (core.name, verdict, core.stats['decoder'], hw, stack, firmware,
               need, 16 * KIB, abs(spare), 'to spare' if spare >= 0 else 'over',
               arena, reserve, out_of_arena, len(core.per_file)))


def main():
    (build, run_dir, expat_version, xcb, secs, toolchain, col_why,
     sizes_out) = sys.argv[1:9]
    with open(os.path.join(run_dir, 'list')) as f:
        names = [l.strip() for l in f]
    cores = [Core(c, build, run_dir, names) for c in sys.argv[9:]]
    lines, summary, rows, flash_rows, ram_rows = [], [], [], [], []
    m4 = [c for c in cores if c.name == 'cortex-m4']
    compared = None
    if m4:
        out, compared, summary, images = m4_lines(m4[0], run_dir, col_why)
        lines += out
    for core in cores:
        fw_flash, fw_ram = core.image('fw')
        dec_flash, dec_ram = core.image('measure')
        if core.name != 'cortex-m4':
            lines.append('mcu %s: fw.elf flash: lib %d, expat %d, C library'
                         ' %d, tpdump+firmware %d, fill %d; image %d bytes;'
                         ' measure.elf: decode path %d, image %d bytes'
                         % (core.name, fw_flash['lib'], fw_flash['expat'],
                            fw_flash['libc'], fw_flash['firmware'],
                            fw_flash['fill'], sum(fw_flash.values()),
                            path_of(dec_flash), sum(dec_flash.values())))
            worst = core.worst()
            for label, i in (('sample', 0), ('genbench 1 1 10', 1),
                             ('corpus max', worst)):
                hw, stack, oom = core.per_file[i]
                lines.append('mcu %s: RAM %s: decoder %d + arena high water'
                             ' %d + peak stack %d = %d bytes%s%s'
                             % (core.name, label, core.stats['decoder'], hw,
                                stack, core.ram(i), '' if i != worst else
                                ' (%s)' % os.path.basename(names[i]),
                                OUT_OF_ARENA % core.stats['arena']
                                if oom else ''))
        if core.name == 'cortex-m0':
            lines.append(m0_lines(core))
        r = core.result
        summary.append(
            'mcu %s: %s/%s outputs identical; flash: image %d bytes; RAM in'
            ' all: sample %d bytes; worst stack %s bytes%s'
            % (core.name, r['same'], r['runs'], sum(fw_flash.values()),
               core.ram(0), core.figure('stack'),
               '; instructions per byte (genbench 100 2 50): decoder %s,'
               ' expat alone %s' % (core.figure('icount_d'),
                                    core.figure('icount_x'))
               if speed_measured(core) else ''))
        rows.append((core, fw_flash, dec_flash))
        imgs = images if core.name == 'cortex-m4' else \
            [('fw', fw_flash, fw_ram), ('measure', dec_flash, dec_ram)]
        for name, flash, _ in imgs:
            flash_rows.append((core.name, name, flash))
        worst = core.worst()
        for label, i in (('sample', 0), ('genbench 1 1 10', 1),
                         ('corpus max (%s)' % os.path.basename(names[worst]),
                          worst)):
            ram_rows.append((core, label, i))
    print('mcu: expat %s (Debian source package), XML_CONTEXT_BYTES %s;'
          ' under QEMU (%s) in %s s'
          % (expat_version, xcb, ', '.join(
              '%s on %s' % (c.name, c.result['machine']) for c in cores),
             secs))
    for line in lines:
        print(line)
    if compared:
        print(compared)
    for line in summary:
        print(line)
    write_sizes(sizes_out, toolchain, rows, flash_rows, ram_rows,
                lines, summary)
    return 0


def write_sizes(path, toolchain, rows, flash_rows, ram_rows, lines, summary):
    """mcu/SIZES.md: the measured tables, which a fresh measurement with
    the same toolchain must give again byte for byte."""
    t = thousands
    md = ['# The firmware of mcu/, measured', '',
          'Written by `make check-mcu` (`mcu/sizes.py`), not by hand: a fresh'
          ' measurement with the same toolchain must give this file byte for'
          ' byte, or `make check-mcu` fails. When a change moves a figure,'
          ' regenerate it with `MCU_UPDATE_SIZES=1 make check-mcu` and commit'
          ' it with the change. What each figure is:'
          ' [README.md](README.md#measured).', '',
          'Toolchain: ' + toolchain, '',
          '## Per core', '',
          '| core | QEMU board | outputs identical to the host\'s'
          ' | `fw.elf` image | decode path (`measure.elf`) | `measure.elf`'
          ' image | RAM in all, sample | worst stack | instructions per byte,'
          ' decoder | expat alone |',
          '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
          ' ---: |']
    for core, fw_flash, dec_flash in rows:
        r = core.result
        md.append('| %s | `%s` | %s/%s | %s | %s | %s | %s | %s | %s | %s |'
                  % (core.name, r['machine'], r['same'], r['runs'],
                     t(sum(fw_flash.values())), t(path_of(dec_flash)),
                     t(sum(dec_flash.values())), t(core.ram(0)),
                     core.figure('stack'), core.figure('icount_d'),
                     core.figure('icount_x')))
    md += ['', '## Flash by part (bytes, as linked)', '',
           '| core | image | library | expat | C library and libgcc'
           ' | firmware | fill | image (text + data) |',
           '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |']
    for core, name, f in flash_rows:
        md.append('| %s | `%s.elf` | %s | %s | %s | %s | %s | %s |'
                  % (core, name, t(f['lib']), t(f['expat']), t(f['libc']),
                     t(f['firmware']), t(f['fill']), t(sum(f.values()))))
    md += ['', '## RAM of the decode path (bytes, `measure.elf`)', '',
           '| core | response | decoder | arena high water | peak stack'
           ' (painted) | in all |',
           '| --- | --- | ---: | ---: | ---: | ---: |']
    for core, label, i in ram_rows:
        hw, stack, oom = core.per_file[i]
        md.append('| %s | %s%s | %s | %s | %s | %s |'
                  % (core.name, label, OUT_OF_ARENA % core.stats['arena']
                     if oom else '', t(core.stats['decoder']), t(hw),
                     t(stack), t(core.ram(i))))
    md += ['', '## As `make check-mcu` prints them', '', '```']
    md += lines + summary + ['```', '']
    with open(path, 'w') as f:
        f.write('\n'.join(md))


if __name__ == '__main__':
    sys.exit(main())
