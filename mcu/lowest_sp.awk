# lowest_sp.awk -- reads QEMU's per-instruction register log (-singlestep
# -d cpu,nochain) of the decode-only image and prints, for every call of
# the function at address `entry` (8 hex digits, lowercase), the stack
# pointer on entry and the lowest it went before that call returned; then
# the lowest stack pointer of the whole run. Addresses are compared as
# 8-digit hex strings, which order as the numbers do.
# usage: awk -v entry=00000454 -f lowest_sp.awk LOG
# output: "call N ENTRY-SP LOWEST-SP" lines, then "run LOWEST-SP".
function hex(s,    i, v) {
  v = 0
  for (i = 1; i <= 8; i++)
    v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
  return v
}
substr($0, 1, 4) == "R12=" {
  sp = substr($2, 5, 8); pc = substr($4, 5, 8)
  if (run == "" || sp < run)
    run = sp
  if (inside) {
    # Back at the return address with the caller's stack pointer.
    if (pc == ret && sp == base) {
      printf "call %d %d %d\n", n, hex(base), hex(low)
      inside = 0
    } else if (sp < low)
      low = sp
  } else if (pc == entry) {
    n++; inside = 1; base = sp; low = sp
    lr = hex(substr($3, 5, 8)); lr -= lr % 2
    ret = sprintf("%08x", lr)
  }
}
END {
  if (inside)
    printf "call %d %d %d\n", n, hex(base), hex(low)
  if (run != "")
    printf "run %d\n", hex(run)
}
