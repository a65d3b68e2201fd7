/* icount.c -- instructions per input byte on the target, under QEMU's
 * -icount shift=0 (one instruction, one nanosecond of virtual time), for
 * the decoder and for expat alone on the same bytes in the same chunks.
 * icount.sh builds and runs it; see mcu/README.md, "Speed".
 *
 * Usage (through -semihosting-config arg=...): icount CHUNK FILE...
 * Prints "calibration TICK_MILLI" (instructions per SysTick tick, times
 * 1000), then per file "FILE BYTES DECODER EXPAT" (instructions).
 *
 * Only the feeding is timed: each tp_feed or XML_Parse call and the final
 * one (tp_finish, XML_Parse with isFinal) sit between two reads of the
 * SysTick counter, and the file is read from the host (semihosting) and
 * the decoder or parser set up outside those regions, so start-up and
 * semihosting are not counted. The decoder runs as measure.c's does: one
 * static decoder, a TP_ARENA_RECOMMENDED_SIZE arena, callbacks that only
 * count. Expat alone is what bench/ calls the floor (bench/harness.c), so
 * that the ratio compares with the host's: namespace-aware (the decoder's
 * separator), empty start, end and character-data handlers, newlib's
 * malloc.
 *
 * SysTick is the one timer every Cortex-M core has; QEMU drives it from
 * virtual time, which -icount makes a count of instructions (a read of the
 * counter ends QEMU's translation block, so it is exact, to a tick). Its
 * 24 bits wrap, so each region is taken modulo 2^24 (a 512-byte feed is
 * some 60,000 instructions). A region also counts its own few
 * instructions (the second read, the call's arguments): under 0.01 per
 * byte at 512-byte feeds, below the one decimal icount.sh prints. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <expat.h>

#include "counting.h"
#include "taskprogress.h"

/* The chunk icount.sh feeds; small, for the cores with little RAM. */
#define MAX_CHUNK 512

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_MASK 0xFFFFFFu

static unsigned char feed_buf[MAX_CHUNK];
static tp_decoder decoder;
static unsigned char arena[TP_ARENA_RECOMMENDED_SIZE];

/* Ticks counted in the regions timed so far. */
static uint64_t ticks;

#define TIMED(stmt)                                                            \
  do {                                                                         \
    uint32_t t0_ = SYST_CVR;                                                   \
    stmt;                                                                      \
    ticks += (t0_ - SYST_CVR) & SYST_MASK;                                     \
  } while (0)

static void XMLCALL
floor_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  (void)ud;
  (void)name;
  (void)atts;
}

static void XMLCALL
floor_end(void *ud, const XML_Char *name) {
  (void)ud;
  (void)name;
}

static void XMLCALL
floor_text(void *ud, const XML_Char *s, int len) {
  (void)ud;
  (void)s;
  (void)len;
}

/* Exactly 2 * n instructions (n >= 1): the known work calibration times. */
static __attribute__((noinline)) void
spin(uint32_t n) {
  /* Unified syntax, which the Cortex-M0's Thumb-1 assembler needs for
   * subs with three operands (GCC switches back after the block). */
  __asm__ volatile(".syntax unified\n1:\tsubs %0, %0, #1\n\tbne 1b"
                   : "+l"(n)
                   :
                   : "cc");
}

/* Instructions per tick, in thousandths (40000 on a 25 MHz mps2 board). */
static uint32_t tick_milli;

/* Returns 0 where SysTick does not count (a machine whose QEMU model gives
 * it no clock). */
static int
calibrate(void) {
  const uint32_t n = 1000000u;
  uint64_t one, two;

  ticks = 0;
  TIMED(spin(n));
  one = ticks;
  ticks = 0;
  TIMED(spin(2 * n));
  two = ticks;
  if (two <= one)
    return 0;
  /* The difference is 2 * n instructions, the call and the reads cancel. */
  tick_milli = (uint32_t)((2000ull * n) / (two - one));
  return 1;
}

/* Instructions in the regions timed since `ticks` was zeroed. */
static uint64_t
instructions(void) {
  return ticks * tick_milli / 1000u;
}

static size_t
read_chunk(int fd, size_t chunk) {
  int n = read(fd, feed_buf, chunk);
  return n > 0 ? (size_t)n : 0;
}

/* Returns the instructions the decoder took to feed `path`, 0 on error. */
static uint64_t
decoder_run(const char *path, size_t chunk, uint64_t *bytes) {
  unsigned long events = 0;
  tp_config cfg;
  tp_status st;
  size_t n;
  int fd = open(path, O_RDONLY);

  if (fd < 0)
    return 0;
  tp_config_init(&cfg);
  cfg.callbacks = &counting;
  cfg.user_data = &events;
  cfg.arena = arena;
  cfg.arena_size = sizeof arena;
  st = tp_init(&decoder, &cfg);
  ticks = 0;
  *bytes = 0;
  while (st == TP_OK && (n = read_chunk(fd, chunk)) > 0) {
    *bytes += n;
    TIMED(st = tp_feed(&decoder, feed_buf, n));
  }
  if (st == TP_OK)
    TIMED(st = tp_finish(&decoder));
  tp_release(&decoder);
  close(fd);
  return st == TP_OK && events > 0 ? instructions() : 0;
}

/* The same for expat alone. */
static uint64_t
expat_run(const char *path, size_t chunk, uint64_t *bytes) {
  XML_Parser p = XML_ParserCreateNS(NULL, '\n');
  enum XML_Status xs = XML_STATUS_OK;
  size_t n;
  int fd = open(path, O_RDONLY);

  if (fd < 0 || p == NULL)
    return 0;
  XML_SetElementHandler(p, floor_start, floor_end);
  XML_SetCharacterDataHandler(p, floor_text);
  ticks = 0;
  *bytes = 0;
  while (xs == XML_STATUS_OK && (n = read_chunk(fd, chunk)) > 0) {
    *bytes += n;
    TIMED(xs = XML_Parse(p, (const char *)feed_buf, (int)n, XML_FALSE));
  }
  if (xs == XML_STATUS_OK)
    TIMED(xs = XML_Parse(p, "", 0, XML_TRUE));
  XML_ParserFree(p);
  close(fd);
  return xs == XML_STATUS_OK ? instructions() : 0;
}

static void
put(const char *s) {
  (void)!write(1, s, strlen(s));
}

static void
put_u64(uint64_t v, char after) {
  char buf[24];
  size_t i = sizeof buf;

  buf[--i] = after;
  do {
    buf[--i] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v != 0);
  (void)!write(1, buf + i, sizeof buf - i);
}

int main(int argc, char **argv);

int
main(int argc, char **argv) {
  unsigned long chunk;
  int i;

  if (argc < 3 || (chunk = strtoul(argv[1], NULL, 10)) == 0 ||
      chunk > MAX_CHUNK)
    return 2;
  SYST_RVR = SYST_MASK;
  SYST_CVR = 0;
  SYST_CSR = 5u; /* enabled, the processor's clock, no interrupt */
  if (!calibrate()) {
    put("icount: SysTick does not count\n");
    return 3;
  }
  put("calibration ");
  put_u64(tick_milli, '\n');
  for (i = 2; i < argc; i++) {
    uint64_t bytes = 0, expat_bytes = 0;
    uint64_t dec = decoder_run(argv[i], chunk, &bytes);
    uint64_t alone = expat_run(argv[i], chunk, &expat_bytes);

    if (dec == 0 || alone == 0 || bytes != expat_bytes) {
      put("icount: cannot decode ");
      put(argv[i]);
      put("\n");
      return 1;
    }
    put(argv[i]);
    put(" ");
    put_u64(bytes, ' ');
    put_u64(dec, ' ');
    put_u64(alone, '\n');
  }
  return 0;
}
