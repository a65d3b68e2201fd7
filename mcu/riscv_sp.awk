# riscv_sp.awk -- reads QEMU's log of the blocks a RISC-V image executed
# (-d exec,nochain: a "Trace" line per block run, its address the second
# field of the bracket) and follows the stack pointer through them with
# what riscv_sp.py found each instruction does to it (the file `table`),
# from `start` (where the start-up code has set sp to `top`, a decimal
# number). Prints, as lowest_sp.awk does, for every call of the function at
# address `entry` the stack pointer on entry and the lowest it went before
# that call returned, then the lowest stack pointer of the whole run.
# usage: awk -v entry=ADDR -v start=ADDR -v top=N -v table=FILE -f riscv_sp.awk LOG
# (addresses as 8 lowercase hex digits)
# output: "call N ENTRY-SP LOWEST-SP" lines, then "run LOWEST-SP"; where the
# stack pointer cannot be told, "unknown ADDR (WHY)" on stderr and exit
# status 1.
function reach(x) {
  if (inside && x < low) low = x
  if (x < run) run = x
}
function fail(what, a) {
  print "unknown " a " (" what ")" > "/dev/stderr"
  failed = 1
  exit 1
}
# One block from address a; `next_a` is where the log's next block starts
# ("" at the end), which is where QEMU cut it when that lies within.
function block(a, next_a,    x, k) {
  if (!tracking) {
    if (a != start) return
    tracking = 1; depth = 0; run = 0
  }
  if (inside && low < base && depth >= base) {
    printf "call %d %.0f %.0f\n", n, top + base, top + low
    inside = 0
  } else if (!inside && a == entry) {
    n++; inside = 1; base = depth; low = depth
  }
  if ((a in total) && !(next_a > a && next_a < runend[a])) {
    reach(depth + lowest[a])
    depth += total[a]
    return
  }
  for (x = a; ; x = nx[x]) {
    if (!(x in kind)) fail("not in the image", x)
    k = kind[x]
    if (k == "d") depth += arg[x]
    else if (k == "li") reg[r[x]] = arg[x]
    else if (k == "set") delete reg[arg[x]]
    else if (k == "add" || k == "sub") {
      if (!(arg[x] in reg)) fail("sp moved by " arg[x] ", whose value is not known", x)
      depth += k == "add" ? reg[arg[x]] : -reg[arg[x]]
    } else fail("sp set from a value the code does not tell", x)
    reach(depth)
    if (stop[x] || nx[x] == next_a) break
  }
}
BEGIN {
  while ((getline line < table) > 0) {
    f = split(line, w, " ")
    if (w[1] == "run") { total[w[2]] = w[3]; lowest[w[2]] = w[4]; runend[w[2]] = w[5] }
    else if (w[1] == "insn") {
      nx[w[2]] = w[3]; stop[w[2]] = w[4]; kind[w[2]] = w[5]; arg[w[2]] = w[6]
      if (w[5] == "li") { r[w[2]] = w[6]; arg[w[2]] = w[7] }
    }
  }
  top += 0
}
$1 == "Trace" {
  split($4, b, "/")
  if (have) block(prev, b[2])
  prev = b[2]; have = 1
}
END {
  if (failed) exit 1
  if (have) block(prev, "")
  if (inside)
    printf "call %d %.0f %.0f\n", n, top + base, top + low
  if (tracking)
    printf "run %.0f\n", top + run
}
