#!/usr/bin/env python3
"""sizes.py -- the figures of mcu/check.sh: flash per part of the linked
images (from the linker's map files) and RAM per response (from the
firmware's stats files), against the targets of mcu/README.md; ends with
the two summary lines, the decoder's and the collector's.

Usage: sizes.py BUILD_DIR OBJ_DIR EXPAT_OBJ_DIR RUN_DIR SAME RUNS
                EXPAT_VERSION XML_CONTEXT_BYTES SECONDS REQ_SAME REQ_FILES
                COLLECT_SAME COLLECT_RUNS [COLLECT_NOT_COMPARED]
BUILD_DIR holds the images' map files (fw.elf.map, measure.elf.map,
measure-full.elf.map, measure-small.elf.map, collect.elf.map); OBJ_DIR/lib
and OBJ_DIR/lib-small the library's objects without and with
TP_OPTIMIZE_SIZE. REQ_SAME of REQ_FILES request files, and COLLECT_SAME of
COLLECT_RUNS collector outputs, were identical to the host's;
COLLECT_NOT_COMPARED, when not empty, says why the collector's were not
compared.
"""
import os
import re
import sys

KIB = 1024
FLASH_TARGET = 80 * KIB   # library + expat + C library functions they use
RAM_TARGET = 16 * KIB     # sample and genbench 1 1 10
RAM_CORPUS_TARGET = 24 * KIB
COLLECT_RAM_TARGET = 16 * KIB   # sample, with the collector and its pool
COLLECT_TEXT_TARGET = 2 * KIB   # library code the collector adds

ONE_LINE = re.compile(r'^ (\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$')
NAME_ONLY = re.compile(r'^ (\.\S+|COMMON)\s*$')
REST = re.compile(r'^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$')


def parts(map_path, lib_dir, expat_dir, objects=None, texts=None):
    """Bytes of flash (code, constants, .data's initial values) and of
    static RAM (.data, .bss) per part: lib, expat, libc, firmware. When
    `objects` is a dict, it also gets the flash of each of the library's
    objects, by file name; when `texts` is, their code (.text) alone."""
    flash = {'lib': 0, 'expat': 0, 'libc': 0, 'firmware': 0}
    ram = dict.fromkeys(flash, 0)
    with open(map_path) as f:
        lines = f.read().split('\n')
    try:
        start = lines.index('Linker script and memory map')
    except ValueError:
        sys.exit('sizes.py: %s is not a GNU ld map file' % map_path)
    pending = None
    for line in lines[start:]:
        m = ONE_LINE.match(line)
        if m:
            section, size, origin = m.group(1), int(m.group(3), 16), m.group(4)
        elif pending is not None and REST.match(line):
            m = REST.match(line)
            section, size, origin = pending, int(m.group(2), 16), m.group(3)
        else:
            m = NAME_ONLY.match(line)
            pending = m.group(1) if m else None
            continue
        pending = None
        if size == 0 or not section.startswith(('.text', '.rodata', '.data',
                                                 '.bss', 'COMMON', '.ARM.')):
            continue
        if origin.startswith(lib_dir + '/'):
            part = 'lib'
        elif origin.startswith(expat_dir + '/'):
            part = 'expat'
        elif '.a(' in origin:
            part = 'libc'
        else:
            part = 'firmware'
        if section.startswith(('.bss', 'COMMON')):
            ram[part] += size
        elif section.startswith('.data'):
            ram[part] += size
            flash[part] += size
        else:
            flash[part] += size
        if part == 'lib' and objects is not None and not section.startswith(
                ('.bss', 'COMMON')):
            name = os.path.basename(origin)
            objects[name] = objects.get(name, 0) + size
        if part == 'lib' and texts is not None and section.startswith(
                '.text'):
            name = os.path.basename(origin)
            texts[name] = texts.get(name, 0) + size
    return flash, ram


def against(value, target):
    if value <= target:
        return 'met (%d bytes to spare)' % (target - value)
    return 'MISSED by %d bytes' % (value - target)


def main():
    (build, obj, expat_dir, run_dir, same, runs, expat_version, xcb,
     secs, req_same, req_files, col_same, col_runs) = sys.argv[1:14]
    col_why = sys.argv[14] if len(sys.argv) > 14 else ''
    lib_dir = os.path.realpath(os.path.join(obj, 'lib'))
    small_dir = os.path.realpath(os.path.join(obj, 'lib-small'))
    expat_dir = os.path.realpath(expat_dir)

    def image(name, lib=lib_dir, objects=None, texts=None):
        return parts(os.path.join(build, name + '.elf.map'), lib, expat_dir,
                     objects, texts)

    def path_of(flash):
        return flash['lib'] + flash['expat'] + flash['libc']

    fw_objects = {}
    fw_flash, fw_ram = image('fw', objects=fw_objects)
    dec_texts = {}
    dec_flash, _ = image('measure', texts=dec_texts)
    full_flash, _ = image('measure-full')
    small_flash, _ = image('measure-small', small_dir)
    col_objects, col_texts = {}, {}
    col_flash, _ = image('collect', objects=col_objects, texts=col_texts)
    # What the collector adds: collect.elf is measure.elf's decode path
    # with the collector in place of callbacks that count.
    col_lib_flash = col_flash['lib'] - dec_flash['lib']
    col_lib_text = sum(col_texts.values()) - sum(dec_texts.values())
    fw_image = sum(fw_flash.values())
    dec_path = path_of(dec_flash)
    full_path = path_of(full_flash)
    small_path = path_of(small_flash)

    per_file = {}
    with open(os.path.join(run_dir, 'target', 'stats')) as f:
        for line in f:
            w = line.split()
            if w[0] == 'decoder':
                decoder = int(w[1])
            elif w[0] == 'heap':
                heap_decode = int(w[1])
            else:
                per_file[int(w[0])] = (int(w[1]), int(w[2]))
    with open(os.path.join(run_dir, 'target', 'tpdump-stats')) as f:
        tp = dict((l.split()[0], int(l.split()[1])) for l in f if l.strip())
    with open(os.path.join(run_dir, 'target', 'request-stats')) as f:
        req_stack = dict((l.split()[0], int(l.split()[1]))
                         for l in f if l.strip())
    with open(os.path.join(run_dir, 'list')) as f:
        names = [l.strip() for l in f]
    col_file = {}
    col = {}
    with open(os.path.join(run_dir, 'collect-target', 'stats')) as f:
        for line in f:
            w = line.split()
            if w[0].isdigit():
                col_file[int(w[0])] = (int(w[1]), int(w[2]))
            else:
                col[w[0]] = int(w[1])

    def col_ram(i):
        hw, stack = col_file[i]
        return col['decoder'] + hw + col['collector'] + col['pool'] + stack

    def ram(i):
        hw, stack = per_file[i]
        return decoder + hw + stack

    sample, genbench = ram(0), ram(1)
    worst = max(range(len(names)), key=ram)
    print('mcu: expat %s (Debian source package), XML_CONTEXT_BYTES %s; '
          '%s runs of tpdump and %s of the collector under QEMU mps2-an386'
          ' in %s s' % (expat_version, xcb, runs, col_runs, secs))
    print('mcu: fw.elf flash (code+constants+data): lib %d, expat %d, '
          'C library %d, tpdump+firmware %d; image %d bytes; '
          'static RAM (.data+.bss) %d bytes'
          % (fw_flash['lib'], fw_flash['expat'], fw_flash['libc'],
             fw_flash['firmware'], fw_image, sum(fw_ram.values())))
    print('mcu: decode-only image (measure.elf, newlib-nano): lib %d, '
          'expat %d, C library %d, start-up+semihosting+measuring %d bytes'
          % (dec_flash['lib'], dec_flash['expat'], dec_flash['libc'],
             dec_flash['firmware']))
    print('mcu:   decode path (lib+expat+C library) %d bytes, target %d: %s'
          % (dec_path, FLASH_TARGET, against(dec_path, FLASH_TARGET)))
    print('mcu:   with the full newlib instead (measure-full.elf): C library'
          ' %d, decode path %d bytes: %s'
          % (full_flash['libc'], full_path, against(full_path, FLASH_TARGET)))
    print('mcu:   with TP_OPTIMIZE_SIZE (measure-small.elf): lib %d instead of'
          ' %d, C library %d, decode path %d bytes: %s'
          % (small_flash['lib'], dec_flash['lib'], small_flash['libc'],
             small_path, against(small_path, FLASH_TARGET)))
    for label, i in (('sample', 0), ('genbench 1 1 10', 1),
                     ('corpus max', worst)):
        hw, stack = per_file[i]
        print('mcu: RAM %s: decoder %d + arena high water %d + peak stack %d'
              ' = %d bytes%s' % (label, decoder, hw, stack, ram(i),
                                 '' if i != worst else ' (%s)'
                                 % os.path.basename(names[i])))
    print('mcu:   sample, target %d: %s' % (RAM_TARGET,
                                            against(sample, RAM_TARGET)))
    print('mcu:   genbench 1 1 10, target %d: %s'
          % (RAM_TARGET, against(genbench, RAM_TARGET)))
    print('mcu:   every response, target %d: %s'
          % (RAM_CORPUS_TARGET, against(ram(worst), RAM_CORPUS_TARGET)))
    print("mcu: newlib's heap: decode path %d bytes; tpdump (its printf and"
          " strtod of doubles) %d bytes; tpdump's peak stack, printing"
          " included, %d bytes" % (heap_decode, tp['heap'], tp['stack']))
    print('mcu: request writer in fw.elf: lib/request.o %d bytes of flash'
          ' (linked); peak stack, its 32-byte piece buffer aside:'
          ' tp_request_check %d, tp_request_write %d, tp_request_stream %d'
          ' bytes (its callback, which copies, included)'
          % (fw_objects.get('request.o', 0), req_stack['check'],
             req_stack['write'], req_stack['stream']))
    col_worst = max(range(len(names)), key=col_ram)
    for label, i in (('sample', 0), ('genbench 1 1 10', 1),
                     ('corpus max', col_worst)):
        hw, stack = col_file[i]
        print('mcu: collector RAM %s, %d-byte pool: decoder %d + arena high'
              ' water %d + collector %d + pool %d + peak stack %d = %d bytes%s'
              % (label, col['pool'], col['decoder'], hw, col['collector'],
                 col['pool'], stack, col_ram(i),
                 '' if i != col_worst else ' (%s)'
                 % os.path.basename(names[i])))
    print('mcu:   sample with the collector, target %d: %s'
          % (COLLECT_RAM_TARGET, against(col_ram(0), COLLECT_RAM_TARGET)))
    print("mcu: collector flash (collect.elf against measure.elf): lib %d"
          " instead of %d, .text %d instead of %d; lib/collect.o linked:"
          " .text %d, constants %d bytes; newlib's heap %d bytes"
          % (col_flash['lib'], dec_flash['lib'], sum(col_texts.values()),
             sum(dec_texts.values()), col_texts.get('collect.o', 0),
             col_objects.get('collect.o', 0) - col_texts.get('collect.o', 0),
             col['heap']))
    print('mcu:   library .text the collector adds, %d bytes (%d with its'
          ' constants), target %d: %s'
          % (col_lib_text, col_lib_flash, COLLECT_TEXT_TARGET,
             against(col_lib_text, COLLECT_TEXT_TARGET)))
    print('mcu: compared with the host: fw.elf and fw-small.elf (the library'
          ' with TP_OPTIMIZE_SIZE), %d runs each, %d request files each;'
          ' collect.elf, %s'
          % (int(runs) // 2, int(req_files) // 2,
             'not compared: ' + col_why if col_why else
             '%s record files (the host\'s built for 32-bit x86 with the'
             ' target\'s record layout)' % col_runs))
    print('mcu: %s/%s outputs identical, %s/%s request files; flash: lib %d,'
          ' expat %d, image %d bytes; RAM in all (decoder+arena+stack):'
          ' sample %d, genbench %d, corpus max %d bytes'
          % (same, runs, req_same, req_files, fw_flash['lib'],
             fw_flash['expat'], fw_image, sample, genbench, ram(worst)))
    print('mcu: collector: %s; RAM for the sample with a %d-byte pool: %d'
          ' bytes (decoder %d, arena %d, collector %d, pool %d, stack %d);'
          ' flash: .text %d bytes'
          % ('%s/%s outputs identical' % (col_same, col_runs) if not col_why
             else '%s outputs, not compared with the host' % col_runs,
             col['pool'], col_ram(0), col['decoder'], col_file[0][0],
             col['collector'], col['pool'], col_file[0][1], col_lib_text))
    return 0


if __name__ == '__main__':
    sys.exit(main())
