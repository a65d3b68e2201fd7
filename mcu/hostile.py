#!/usr/bin/env python3
"""Writes the responses that push the stack hardest, for mcu/stack.sh.

usage: hostile.py DIR
Each file is a getActiveJobs response with one hostile part, named for
it: an encoding expat does not know (whose frame reserves a whole code
page), nesting to tp_config.max_depth and beyond, long names, many
attributes and namespace declarations, long comments, processing
instructions, CDATA and character references. Their decode status does
not matter here; the stack they take does. The sizes stay within the
firmware's arena so that expat gets to parse them instead of failing
the first allocation."""
import os
import sys

NS = "http://www.scene7.com/IpsApi/xsd/2022-11-01-beta"


def response(inner, encoding="UTF-8", before_root=""):
    return ('<?xml version="1.0" encoding="%s"?>\n%s'
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
            '<soapenv:Body><getActiveJobsReturn xmlns="%s"><jobArray><items>'
            '<jobHandle>j|1</jobHandle>%s<progress>40</progress>'
            '</items></jobArray></getActiveJobsReturn></soapenv:Body></soapenv:Envelope>\n'
            % (encoding, before_root, NS, inner))


def cases():
    # Encodings: expat's own four, and names it has to ask about.
    for enc in ("windows-1252", "ISO-8859-15", "x-unknown", "US-ASCII", "ISO-8859-1"):
        yield "encoding-" + enc.lower(), response("<name>caf\u00e9</name>", enc).encode(
            "latin-1" if enc.startswith(("ISO", "windows")) else "ascii", "replace")
    yield "encoding-utf-16", response("<name>x</name>", "UTF-16").encode("utf-16")
    # Nesting: to the default limit (64) and one past it.
    for depth in (63, 64, 65):
        yield "nesting-%d" % depth, response("<x>" * depth + "</x>" * depth).encode()
    # Names and attributes.
    yield "long-element-name", response("<%s/>" % ("n" * 600)).encode()
    yield "long-attribute-name", response('<x %s="1"/>' % ("a" * 600)).encode()
    yield "long-attribute-value", response('<x a="%s"/>' % ("v" * 600)).encode()
    yield "many-attributes", response(
        "<x %s/>" % " ".join('a%d="%d"' % (i, i) for i in range(60))).encode()
    yield "many-namespaces", response(
        "<x %s/>" % " ".join('xmlns:p%d="urn:p%d"' % (i, i) for i in range(40))).encode()
    yield "long-prefix", response('<%s:x xmlns:%s="urn:p"/>' % ("p" * 300, "p" * 300)).encode()
    # Markup that is not elements.
    yield "long-comment", response("<!--%s-->" % ("c" * 600)).encode()
    yield "long-pi", response("<?target %s?>" % ("p" * 600)).encode()
    yield "long-cdata", response("<name><![CDATA[%s]]></name>" % ("d" * 600)).encode()
    yield "long-text", response("<description>%s</description>" % ("t" * 600)).encode()
    yield "character-references", response(
        "<description>%s</description>" % ("&#x10FFFF;&amp;&#233;" * 40)).encode()
    yield "internal-subset", response(
        "<name>&e;</name>", before_root='<!DOCTYPE soapenv:Envelope [<!ENTITY e "%s">]>\n'
        % ("e" * 200)).encode()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in cases():
        with open(os.path.join(out, name + ".xml"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
