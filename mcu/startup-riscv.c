/* startup-riscv.c -- start-up of the firmware of mcu/ on a RISC-V core
 * (QEMU's virt board, rv32imac, picolibc), what startup.c is on a
 * Cortex-M: sets the global, stack and thread pointers and the trap
 * vector, copies .data and .tdata from flash, zeroes .tbss and .bss, then
 * runs main with the arguments QEMU passes through semihosting and exits
 * with its status. No picolibc start-up file (crt0) is linked. */
#include <stdint.h>
#include <stdlib.h>

#include "fw.h"

extern uint32_t __data_start__[], __data_end__[], __data_load__[];
extern uint32_t __tdata_start__[], __tdata_end__[], __tdata_load__[];
extern uint32_t __tbss_start__[], __tbss_end__[];
extern uint32_t __bss_start__[], __bss_end__[];

int main(int argc, char **argv);
void fw_reset(void);
void fw_trap(void) __attribute__((aligned(4)));

/* The core starts here in machine mode, with nothing set up. gp is set
 * without relaxation: relaxed, `la gp` would address gp from gp. The
 * thread pointer addresses the one thread's block of thread-local
 * variables (picolibc's errno), which the linker lays from __tls_start__.
 * mtvec's low two bits are its mode: 0, every trap at fw_trap. The
 * instruction that sets it is the only one of the firmware outside
 * rv32imac (Zicsr): enabled here alone, so that -march stays rv32imac,
 * the name picolibc's library is built under. */
__asm__(".section .text.start, \"ax\", @progbits\n"
        ".globl _start\n"
        "_start:\n"
        ".option push\n"
        ".option norelax\n"
        "  la gp, __global_pointer$\n"
        ".option pop\n"
        "  la sp, __stack_top__\n"
        "  la tp, __tls_start__\n"
        "  la t0, fw_trap\n"
        ".option push\n"
        ".option arch, +zicsr\n"
        "  csrw mtvec, t0\n"
        ".option pop\n"
        "  j fw_reset\n"
        ".previous\n");

void
fw_reset(void) {
  static char *argv[FW_MAX_ARGS + 1];
  uint32_t *src;
  uint32_t *dst;
  int argc;

  /* Word loops, not memcpy/memset: nothing may touch .data or .bss before
   * they are set up, and the C library's functions might. */
  for (src = __data_load__, dst = __data_start__; dst < __data_end__;)
    *dst++ = *src++;
  for (src = __tdata_load__, dst = __tdata_start__; dst < __tdata_end__;)
    *dst++ = *src++;
  for (dst = __tbss_start__; dst < __tbss_end__;)
    *dst++ = 0;
  for (dst = __bss_start__; dst < __bss_end__;)
    *dst++ = 0;
  argc = fw_command_line(argv, FW_MAX_ARGS);
  exit(main(argc, argv));
}

/* Any trap (an illegal instruction, a misaligned or faulting access) ends
 * the run with a status no tpdump run has, instead of leaving QEMU
 * spinning until the test times out. */
void
fw_trap(void) {
  fw_exit(FW_EXIT_FAULT);
}
