/* startup.c -- vector table and reset handler of the firmware of mcu/:
 * copies .data from flash, zeroes .bss, then runs main with the arguments
 * QEMU passes through semihosting and exits with its status. No newlib
 * start-up file (crt0) is linked: this is the whole of it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"

extern uint32_t __data_start__[], __data_end__[], __data_load__[];
extern uint32_t __bss_start__[], __bss_end__[];
extern uint32_t __stack_top__[];

int main(int argc, char **argv);
void Reset_Handler(void);
void Fault_Handler(void);

void
Reset_Handler(void) {
  static char *argv[FW_MAX_ARGS + 1];
  uint32_t *src = __data_load__;
  uint32_t *dst;
  int argc;

  /* Word loops, not memcpy/memset: nothing may touch .data or .bss before
   * they are set up, and the C library's functions might. */
  for (dst = __data_start__; dst < __data_end__;)
    *dst++ = *src++;
  for (dst = __bss_start__; dst < __bss_end__;)
    *dst++ = 0;
  argc = fw_command_line(argv, FW_MAX_ARGS);
  exit(main(argc, argv));
}

/* A fault ends the run with a status no tpdump run has, instead of
 * leaving QEMU spinning until the test times out. */
void
Fault_Handler(void) {
  fw_exit(FW_EXIT_FAULT);
}

/* The Cortex-M vector table: the initial stack pointer, then the
 * handlers; the core reads both from address 0 at reset. */
typedef void (*vector)(void);
__attribute__((section(".vectors"), used)) static const vector vectors[16] = {
    (vector)(uintptr_t)__stack_top__,
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage */
    Fault_Handler, /* BusFault */
    Fault_Handler, /* UsageFault */
    0,
    0,
    0,
    0,
    Fault_Handler, /* SVCall */
    Fault_Handler, /* DebugMonitor */
    0,
    Fault_Handler, /* PendSV */
    Fault_Handler, /* SysTick */
};
