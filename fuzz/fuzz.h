/* fuzz.h -- what the harnesses share: the libFuzzer entry point, failure,
 * helpers to read the option bytes at the front of an input, and the test
 * suite's trace recorder (tests/recorder.h) set to fail at the first
 * contract violation. */
#ifndef TP_FUZZ_H
#define TP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "recorder.h"
#include "support.h"
#include "taskprogress.h"

/* libFuzzer's entry point; every harness defines it, and fuzz/replay.c
 * calls it without libFuzzer. Returns 0 (inputs are never rejected). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints `what` and aborts: how every harness reports a finding, so that
 * libFuzzer saves the input and the replay test fails. */
_Noreturn void fuzz_fail(const char *what);

/* ---- option bytes ----------------------------------------------------- */

/* A cursor over the input: options are taken from the front, and what is
 * left is the document. Past the end, every read gives 0, so short inputs
 * still run (with default options). */
typedef struct fuzz_reader {
  const uint8_t *p;
  size_t n;
} fuzz_reader;

uint8_t fuzz_u8(fuzz_reader *r);
uint16_t fuzz_u16(fuzz_reader *r);
/* FNV-1a over the bytes: a deterministic input-chosen number. */
uint32_t fuzz_hash(const uint8_t *p, size_t n);

/* ---- traces ----------------------------------------------------------- */

/* rec_init, with every contract violation a finding (fuzz_fail). */
void fuzz_rec_init(recorder *r);
/* Fails with `what` and both traces (to stderr) unless they are equal. */
void fuzz_expect_equal(const recorder *a, const recorder *b, const char *what);
/* Fails unless `prefix`'s trace is a prefix of `whole`'s. */
void fuzz_expect_prefix(const recorder *prefix, const recorder *whole,
                        const char *what);

#endif /* TP_FUZZ_H */
