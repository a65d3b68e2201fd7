#!/bin/sh
# tpdump_escapes.sh -- what a response's strings may hold never reaches the
# terminal raw through tpdump: C0 and C1 controls (U+009B is a one-character
# CSI), DEL and the bidirectional embeddings, overrides and isolates
# (U+202A..U+202E, U+2066..U+2069). Regression: the json and events formats
# passed C1, DEL and the bidirectional controls through as they came, and
# the text format and the messages on stderr the bidirectional ones.
#
# Each character goes into every string field the text format shows (a
# job's, a task's, an item's, a fault's), as a character reference, as raw
# UTF-8 (which the chunks then split), as ISO-8859-1 bytes and as UTF-16;
# every format at several chunk sizes must write none of them raw, the
# JSON must read back to the very string (the events' fragments joined,
# or joined by --join-strings), and the text format, its summary line
# too, must show each as tpdump(1) says: '?', or a space for a tab or line
# break. A root element's namespace URI holding them checks
# the error message on stderr.
#
# Environment: TPDUMP (default ./tools/tpdump), PYTHON3. Exit: 0 pass,
# 1 fail, 77 skip (no tpdump built, no python3).

TPDUMP=${TPDUMP:-./tools/tpdump}
if test ! -x "$TPDUMP"; then
  echo "SKIP: $TPDUMP is not built"
  exit 77
fi
PY=${PYTHON3:-python3}
if ! "$PY" -c 'import json' >/dev/null 2>&1; then
  echo "SKIP: python3 not found by configure (install python3)"
  exit 77
fi

exec "$PY" - "$TPDUMP" <<'EOF'
import atexit, json, os, shutil, subprocess, sys, tempfile

tpdump = sys.argv[1]
# What must never be written raw, and the characters next to them that
# must be left alone.
unsafe = ([chr(c) for c in range(0x80, 0xA0)] + ["\x7f"] +
          [chr(c) for c in range(0x202A, 0x202F)] +
          [chr(c) for c in range(0x2066, 0x206A)])
breaks = ["\t", "\n", "\r"]
neighbours = ["~", "\u00a0", "\u00e9", "\u2029", "\u202f", "\u2065", "\u206a"]
value = "<" + "|".join(breaks + unsafe + neighbours) + ">"
chunks = [1, 2, 3, 5, 7, 64, 65536]
passed = failed = 0


def report(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print("ok - " + what)
    else:
        failed += 1
        print("FAIL - " + what)


def shown(s):
    """The text format's rule: '?' for each unsafe character, a space for
    a tab or line break."""
    return "".join(" " if c in breaks else "?" if c in unsafe else c
                   for c in s)


def raw_found(out, allowed):
    """The control and bidirectional characters in `out` (bytes), other
    than `allowed`; output that is not UTF-8 counts as raw too."""
    try:
        text = out.decode("utf-8")
    except UnicodeDecodeError as e:
        return ["not UTF-8: %s" % e]
    found = sorted({"U+%04X" % ord(c) for c in text
                    if (ord(c) < 0x20 and c not in allowed) or c in unsafe})
    return found[:4] + ["%d more" % (len(found) - 4)] if len(found) > 4 \
        else found


def refs(s, keep=()):
    """`s` as XML text: character references but for the characters in
    `keep`, which go as they are."""
    return "".join(c if c in keep else "&#x%x;" % ord(c) for c in s)


def escaped(s, enc):
    """`s` as XML text written in encoding `enc`: raw wherever the
    encoding can carry the character (a CR always as a reference, which
    XML would otherwise read as a line feed)."""
    out = []
    for c in s:
        if c in "<>&" or c == "\r":
            out.append("&#x%x;" % ord(c))
            continue
        try:
            c.encode(enc)
            out.append(c)
        except UnicodeEncodeError:
            out.append("&#x%x;" % ord(c))
    return "".join(out)


def response(v):
    return ('<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body>'
            '<getActiveJobsReturn xmlns="http://www.scene7.com/IpsApi/xsd">'
            '<jobArray><items><jobHandle>h%(v)s</jobHandle><name>n%(v)s</name>'
            '<state>s%(v)s</state><progressMessage>m%(v)s</progressMessage>'
            '<taskProgressArray><items><taskType>a.b.t%(v)s</taskType>'
            '<taskState>s%(v)s</taskState><progressMessage>m%(v)s</progressMessage>'
            '<progress>0.5</progress><taskItemProgressArray><items>'
            '<itemName>i%(v)s</itemName><progress>1</progress>'
            '<progressMessage>m%(v)s</progressMessage></items>'
            '</taskItemProgressArray></items></taskProgressArray></items>'
            '</jobArray></getActiveJobsReturn></Body></Envelope>\n' % {"v": v})


def fault(v):
    return ('<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body>'
            '<Fault><faultcode>c%(v)s</faultcode><faultstring>f%(v)s</faultstring>'
            '<detail><ipsApiFault xmlns="http://www.scene7.com/IpsApi/xsd">'
            '<code>1</code><reason>r%(v)s</reason></ipsApiFault></detail>'
            '</Fault></Body></Envelope>\n' % {"v": v})


def encoded(doc, enc):
    text = '<?xml version="1.0" encoding="%s"?>\n' % enc + doc
    return text.encode("utf-16" if enc == "UTF-16" else enc)


tmp = tempfile.mkdtemp(prefix="tpdump_escapes.")
atexit.register(shutil.rmtree, tmp, True)
inputs = []  # (label, path, kind)
for kind, make in (("jobs", response), ("fault", fault)):
    for label, enc, text in (
            ("character references", "UTF-8", refs(value, keep="~")),
            ("raw UTF-8", "UTF-8", escaped(value, "utf-8")),
            ("ISO-8859-1", "ISO-8859-1", escaped(value, "iso-8859-1")),
            ("UTF-16", "UTF-16", escaped(value, "utf-16"))):
        path = os.path.join(tmp, "%s-%s.xml" % (kind, len(inputs)))
        with open(path, "wb") as f:
            f.write(encoded(make(text), enc))
        inputs.append(("%s, %s" % (kind, label), path, kind))

want_json = {
    "jobs": {"jobHandle": "h" + value, "name": "n" + value,
             "state": "s" + value, "progressMessage": "m" + value,
             "taskProgressArray": [{
                 "taskType": "a.b.t" + value, "taskState": "s" + value,
                 "progressMessage": "m" + value, "progress": 0.5,
                 "taskItemProgressArray": [{
                     "itemName": "i" + value, "progress": 1.0,
                     "progressMessage": "m" + value}]}]},
    "fault": {"fault": {"faultcode": "c" + value, "faultstring": "f" + value,
                        "detail": {"type": "ipsApiFault", "code": 1,
                                   "reason": "r" + value}}},
}
want_events = {
    "jobs": {"job.jobHandle": ["h" + value], "job.name": ["n" + value],
             "job.state": ["s" + value], "job.progressMessage": ["m" + value],
             "task.taskType": ["a.b.t" + value], "task.taskState": ["s" + value],
             "task.progressMessage": ["m" + value], "task.progress": [0.5],
             "item.itemName": ["i" + value], "item.progress": [1.0],
             "item.progressMessage": ["m" + value]},
    "fault": {"fault.faultcode": ["c" + value], "fault.faultstring": ["f" + value],
              "fault.type": ["ipsApiFault"], "fault.code": [1],
              "fault.reason": ["r" + value]},
}
S = shown(value)


def label(state):
    """The summary's label of a state: its first 31 bytes, at a character."""
    b = state.encode("utf-8")
    if len(b) > 31:
        n = 31
        while n > 0 and b[n] & 0xc0 == 0x80:
            n -= 1
        b = b[:n]
    return shown(b.decode("utf-8"))


L = label("s" + value)
want_text = {
    "jobs": ("n%s (h%s)\n  s%s\n  m%s\n"
             "  a.b.t%s [%s%s]  50%% s%s  ?/?/?  m%s\n"
             "    [%s] 100%% i%s  m%s\n"
             "\n1 job: 1 %s; 1 task: 1 %s\n"
             % (S, S, S, S, S, "#" * 20, "." * 20, S, S, "#" * 40, S, S, L, L)),
    "fault": "SOAP Fault: ipsApiFault 1: r%s (c%s: f%s)\n" % (S, S, S),
}


def run(args):
    env = dict(os.environ, COLUMNS="1024")
    return subprocess.run([tpdump] + args, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env)


def joined_events(out):
    """{scope.name: [value, ...]} from the events format, the fragments of
    a string joined; None when a line's VALUE is not JSON."""
    fields, pending = {}, {}
    for line in out.decode("utf-8").split("\n"):
        parts = line.split("\t", 2)
        if len(parts) < 3:
            continue
        name, v = parts[1], json.loads(parts[2])
        if name.endswith("+"):
            pending[name[:-1]] = pending.get(name[:-1], "") + v
            continue
        if isinstance(v, str):
            v = pending.pop(name, "") + v
        fields.setdefault(name, []).append(v)
    return fields


want_rc = {"jobs": 0, "fault": 3}
for what, path, kind in inputs:
    for fmt in ("json", "events", "joined", "text"):
        bad = []
        for n in chunks:
            args = ["--format=events", "--join-strings"] if fmt == "joined" \
                else ["--format=" + fmt]
            r = run(args + ["--chunk-size=%d" % n, path])
            if r.returncode != want_rc[kind] or r.stderr:
                bad.append("--chunk-size=%d: exit %d, stderr %r"
                           % (n, r.returncode, r.stderr[:200]))
                break
            found = raw_found(r.stdout, "\t\n" if fmt in ("events", "joined") else "\n")
            if found:
                bad.append("--chunk-size=%d: raw %s" % (n, ", ".join(found)))
                break
            try:
                if fmt == "json":
                    got = json.loads(r.stdout.decode("utf-8"))
                    if got != want_json[kind]:
                        bad.append("--chunk-size=%d: read back %r" % (n, got))
                        break
                elif fmt in ("events", "joined"):
                    got = joined_events(r.stdout)
                    if fmt == "joined" and b"+\t" in r.stdout:
                        bad.append("--chunk-size=%d: a fragment's line" % n)
                        break
                    if got != want_events[kind]:
                        bad.append("--chunk-size=%d: read back %r" % (n, got))
                        break
                elif r.stdout.decode("utf-8") != want_text[kind]:
                    bad.append("--chunk-size=%d: %r" % (n, r.stdout))
                    break
            except ValueError as e:
                bad.append("--chunk-size=%d: not JSON: %s" % (n, e))
                break
        report(not bad, "%s, --format=%s at chunk sizes %s: %s"
               % (what, "events --join-strings" if fmt == "joined" else fmt, ",".join(map(str, chunks)),
                  "; ".join(bad) if bad else
                  "none raw, the same string back" if fmt != "text" else
                  "each shown as '?' or a space"))

# The namespace URI of a root element that is not SOAP goes into the
# error message, which keeps its first bytes only: a few of each kind (no
# line feed, which is expat's namespace separator here and so refused in
# a URI).
path = os.path.join(tmp, "not-soap.xml")
with open(path, "wb") as f:
    f.write(encoded('<a xmlns="urn:%s"/>\n'
                    % refs("\x7f\x80\x9b\x9f\u202a\u202e\u2066\u2069\t\r"),
                    "UTF-8"))
bad = []
for n in chunks:
    r = run(["--chunk-size=%d" % n, path])
    found = raw_found(r.stderr, "\n")
    if r.returncode != 1 or r.stdout or found or \
            b"root element <a> in urn:" not in r.stderr:
        bad.append("--chunk-size=%d: exit %d, raw %s, stderr %r"
                   % (n, r.returncode, found, r.stderr[:200]))
        break
report(not bad, "the message for a namespace URI holding them: %s"
       % ("; ".join(bad) if bad else "none raw"))

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
