/* fuzz.h -- what the harnesses share: the libFuzzer entry point, a
 * canonical trace recorder that checks the callback contract, and helpers to
 * read the option bytes at the front of an input. */
#ifndef TP_FUZZ_H
#define TP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "taskprogress.h"

/* libFuzzer's entry point; every harness defines it, and fuzz/replay.c
 * calls it without libFuzzer. Returns 0 (inputs are never rejected). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints `what` and aborts: how every harness reports a finding, so that
 * libFuzzer saves the input and the replay test fails. */
_Noreturn void fuzz_fail(const char *what);

/* Reads every byte of [p, p+n): a bad length or a dangling pointer becomes
 * an ASan report at the callback that received it. */
void fuzz_touch(const void *p, size_t n);

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

/* ---- trace recorder --------------------------------------------------- */

/* Turns callbacks into one text line per event: string fragments joined,
 * doubles as their bits (every NaN as "nan"), dateTimes field by field;
 * a string that never gets its last fragment is left out.
 * Two decodes of the same response must give the same text whatever the
 * chunking or flags. The recorder also checks the callback contract as it
 * goes and fails at once on a violation. */
typedef struct ftrace {
  char *buf;
  size_t len, cap;
  /* The string field whose fragments are being joined, if any. */
  int in_string;
  tp_field_id string_id;
  size_t string_start; /* where its line starts in buf */
  /* taskState: the first bytes and total length of the text so far, to
   * check the state value delivered with the last fragment. */
  char state_text[16];
  size_t state_len;
  unsigned long calls;
  /* The callback (1-based) that returns non-zero; 0: none does. */
  unsigned long stop_at;
  /* Set by the stopping callback; any callback after it is a violation. */
  int stopped;
} ftrace;

void ftrace_init(ftrace *t);
void ftrace_free(ftrace *t);
/* Forgets the events (keeps the buffer); also clears stop_at. */
void ftrace_clear(ftrace *t);
const tp_callbacks *ftrace_callbacks(void);
/* A config with these callbacks and `t` as user data (tp_config_init'ed). */
void ftrace_config(tp_config *cfg, ftrace *t, unsigned flags);
/* Removes a string field that has not had its last fragment: how much of
 * it arrived before an error or a stop depends on the chunking, and the
 * contract only gives a meaning to complete values. */
void ftrace_drop_open_string(ftrace *t);
/* Drops an open string, then appends the decoder's status with its
 * position and detail; also checks that tp_get_error's detail is
 * terminated and tp_format_error agrees. */
void ftrace_status(ftrace *t, const tp_decoder *d);
/* Appends a line of the harness's own. */
void ftrace_note(ftrace *t, const char *s);
/* Fails with `what` and both traces (to stderr) unless they are equal. */
void ftrace_expect_equal(const ftrace *a, const ftrace *b, const char *what);
/* Fails unless `prefix` is a prefix of `whole`. */
void ftrace_expect_prefix(const ftrace *prefix, const ftrace *whole,
                          const char *what);

#endif /* TP_FUZZ_H */
