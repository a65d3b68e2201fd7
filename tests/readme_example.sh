#!/bin/sh
# readme_example.sh -- the README's complete example program compiles
# warning-free against the library, prints each task of the sample, and
# copes with what servers may send: faults, repeated fields, NaN, INF and
# out-of-range progress, states it does not know, invalid documents.
set -u
srcdir=${srcdir:-.}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# The ```c block of README.md that holds main().
awk '/^```c$/ {inblock=1; buf=""; next}
     /^```$/ && inblock {inblock=0; if (buf ~ /main\(void\)/) printf "%s", buf; next}
     inblock {buf = buf $0 "\n"}' "$srcdir/README.md" > "$tmp/prog.c"
[ -s "$tmp/prog.c" ] || { echo "no example program found in README.md"; exit 1; }
# shellcheck disable=SC2086
${CC:-cc} ${CFLAGS:-} -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror \
  -I"$srcdir/include" "$tmp/prog.c" "$abs_top_builddir/lib/.libs/libtaskprogress.a" \
  ${EXPAT_LIBS:--lexpat} -o "$tmp/prog" || { echo "README example does not compile"; exit 1; }

failures=0
# check NAME EXIT EXPECTED_STDOUT [INPUT_FILE, default $tmp/in]
check() {
  "$tmp/prog" < "${4:-$tmp/in}" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  if [ "$rc" -ne "$2" ] || [ "$(cat "$tmp/out")" != "$3" ]; then
    echo "FAIL: $1: exit $rc (expected $2), output:"
    cat "$tmp/out" "$tmp/err"
    echo "expected:"
    echo "$3"
    failures=$((failures + 1))
  else
    echo "ok: $1"
  fi
}

# A response whose one job holds the tasks given as $1.
response() {
  printf '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
  printf '<getActiveJobsReturn xmlns="http://www.scene7.com/IpsApi/xsd/2013-02-15">'
  printf '<jobArray><items><progress>50</progress><taskProgressArray>%s' "$1"
  printf '</taskProgressArray></items></jobArray></getActiveJobsReturn></s:Body></s:Envelope>'
}
task() { # type state-element progress-element
  printf '<items><taskType>%s</taskType>%s%s</items>' "$1" "$2" "$3"
}

check "the sample" 0 'com.scene7.upload.UploadAsyncTaskMonitor [Processing] 40%
com.scene7.publish.PublishTaskMonitor [New] 0%' "$srcdir/examples/sample-response.xml"

# Regression: a Fault is TP_OK for the decoder; the example printed
# nothing and exited 0.
check "SOAP 1.1 fault with an ipsApiFault" 3 \
  'fault: Invalid jobHandle: j|999 & more (code 30001)' "$srcdir/tests/data/fault-soap11.xml"
check "SOAP 1.2 fault with an authorizationFault" 3 \
  'fault: User is not authorized for company c|111 (code 20002)' "$srcdir/tests/data/fault-soap12.xml"
printf '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault><faultcode>e:Server</faultcode><faultstring>Server busy</faultstring></e:Fault></e:Body></e:Envelope>' \
  > "$tmp/in"
check "fault without an IPS detail" 3 'fault: Server busy'
check "bare ipsApiFault (AEM's proxy)" 3 'fault: Missing parameter: companyHandle (code 30002)' \
  "$srcdir/tests/data/bare-ipsApiFault.xml"

check "bare getActiveJobsReturn (AEM's proxy)" 0 \
  'com.scene7.upload.UploadAsyncTaskMonitor [Processing] 40%' "$srcdir/tests/data/bare-getActiveJobsReturn.xml"

# Regression: a repeated field printed "firstsecond".
response "$(task first '' '<progress>0.25</progress>' | sed 's|</items>|<taskType>second</taskType></items>|')" \
  > "$tmp/in"
check "repeated taskType: the later value" 0 'second [-] 25%'
response "$(task t '<taskState>New</taskState><taskState>Done</taskState>' '<progress>1</progress>')" \
  > "$tmp/in"
check "repeated taskState" 0 't [Done] 100%'

# Regression: NaN and INF printed as "nan%" and "inf%".
response "$(task a '' '<progress>NaN</progress>')$(task b '' '<progress>INF</progress>')$(task c '' \
  '<progress>-INF</progress>')$(task d '' '<progress>1.5</progress>')$(task e '' \
  '<progress>-0.1</progress>')$(task f '' '')$(task g '' '<progress>1.0E-1</progress>')" \
  > "$tmp/in"
check "NaN, INF, out of range, absent progress" 0 'a [-] progress unknown
b [-] progress unknown
c [-] progress unknown
d [-] progress unknown
e [-] progress unknown
f [-] progress unknown
g [-] 10%'

# Regression: tp_task_state_name(OTHER) is "", so "-" never showed.
response "$(task a '<taskState>Paused</taskState>' '')$(task b '<taskState/>' '')$(task c '' '')" \
  > "$tmp/in"
check "unknown, empty and absent taskState" 0 'a [Paused] progress unknown
b [-] progress unknown
c [-] progress unknown'

# An invalid response gives exit 1 with a positioned message.
printf '<Envelope/>' > "$tmp/in"
check "a non-SOAP document" 1 ''
grep -q '^error: 1:0: not a SOAP response: root element <Envelope> with no namespace' "$tmp/err" \
  || { echo "FAIL: message"; cat "$tmp/err"; failures=$((failures + 1)); }
printf '<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>' > "$tmp/in"
check "an HTML error page" 1 ''
grep -q '^error: 1:14: not a SOAP response: root element <html> (byte 14)$' "$tmp/err" \
  || { echo "FAIL: message"; cat "$tmp/err"; failures=$((failures + 1)); }

if [ "$failures" -ne 0 ]; then
  echo "README example: $failures failures"
  exit 1
fi
echo "README example: ok"
