# lowest_sp.awk -- reads QEMU's register log (-d cpu,nochain: one entry
# per translation block executed, or per instruction with -singlestep) of
# the decode-only image and prints, for every call of the function at
# address `entry` (8 lowercase hex digits), the stack pointer on entry and
# the lowest it went before that call returned; then the lowest stack
# pointer of the whole run. A block's lowest is its starting stack pointer
# less what straight_line.py found its code goes below it (the file
# `depths`, "ADDRESS BYTES" lines; empty when every instruction is
# logged).
# usage: awk -v entry=00000454 -v depths=FILE -f lowest_sp.awk LOG
# output: "call N ENTRY-SP LOWEST-SP" lines, then "run LOWEST-SP".
function hex(s,    i, v) {
  v = 0
  for (i = 1; i <= 8; i++)
    v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
  return v
}
# Lowers `low` (and `run`) to x, a number; their hex strings follow.
function reach(x) {
  if (inside && x < low) { low = x; lowhex = sprintf("%08x", x) }
  if (run == "" || x < run) { run = x; runhex = sprintf("%08x", x) }
}
BEGIN {
  while (depths != "" && (getline line < depths) > 0) {
    split(line, f, " ")
    if (f[1] != "unknown")
      below[f[1]] = f[2]
  }
}
substr($0, 1, 4) == "R12=" {
  sp = substr($2, 5, 8); pc = substr($4, 5, 8)
  if (inside && pc == ret && sp == basehex) {
    # Back at the return address with the caller's stack pointer.
    printf "call %d %.0f %.0f\n", n, base, low
    inside = 0
  } else if (!inside && pc == entry) {
    n++; inside = 1; basehex = sp; base = hex(sp); low = base; lowhex = sp
    lr = hex(substr($3, 5, 8)); lr -= lr % 2
    ret = sprintf("%08x", lr)
  }
  # Hex strings of one width order as their numbers: most blocks need no
  # conversion.
  if (pc in below)
    reach(hex(sp) - below[pc])
  else if (runhex == "" || sp < runhex || (inside && sp < lowhex))
    reach(hex(sp))
}
END {
  if (inside)
    printf "call %d %.0f %.0f\n", n, base, low
  if (run != "")
    printf "run %.0f\n", run
}
