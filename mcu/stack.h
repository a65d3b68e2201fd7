/* stack.h -- peak stack of a call, measured by painting: every word
 * between the stack's limit and the current stack pointer gets a pattern
 * before the call, and the lowest word that lost it afterwards marks the
 * deepest the call went. GCC on Arm or RISC-V, as the whole of mcu/ is. */
#ifndef FW_STACK_H
#define FW_STACK_H

#include <stddef.h>
#include <stdint.h>

#define FW_PAINT 0xa5a5a5a5u

#ifdef __riscv
#define FW_READ_SP "mv %0, sp"
#else
#define FW_READ_SP "mov %0, sp"
#endif

extern uint32_t __stack_limit__[];

/* Runs `call`, and sets *used to the bytes of stack it took below the
 * stack pointer of this expansion, its own frames and its callees'. The
 * painting loop makes no calls, so nothing below the stack pointer is
 * live while it runs. */
#define FW_MEASURE_STACK(used, call)                                           \
  do {                                                                         \
    uintptr_t fw_sp_;                                                          \
    uint32_t *fw_w_;                                                           \
    __asm__ volatile(FW_READ_SP : "=r"(fw_sp_));                               \
    for (fw_w_ = __stack_limit__; (uintptr_t)fw_w_ < fw_sp_; fw_w_++)          \
      *(volatile uint32_t *)fw_w_ = FW_PAINT;                                  \
    call;                                                                      \
    for (fw_w_ = __stack_limit__;                                              \
         (uintptr_t)fw_w_ < fw_sp_ && *(volatile uint32_t *)fw_w_ == FW_PAINT; \
         fw_w_++)                                                              \
      ;                                                                        \
    *(used) = (size_t)(fw_sp_ - (uintptr_t)fw_w_);                             \
  } while (0)

#endif
