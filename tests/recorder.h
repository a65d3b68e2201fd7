/* recorder.h -- the one canonical trace recorder, shared by the cmocka tests
 * and the fuzz harnesses: it turns decoder callbacks into one text line per
 * event, the format of the golden traces in tests/data (string fragments
 * joined, typed values printed exactly, doubles with %a, the final status
 * and its position appended; a string that never got its last fragment is
 * left out), and checks the callback contract as it goes. Two decodes of
 * the same response must give the same text whatever the chunking or
 * flags. Test code: it uses the heap and stdio, never cmocka. */
#ifndef TP_TEST_RECORDER_H
#define TP_TEST_RECORDER_H

#include <stddef.h>

#include "taskprogress.h"

typedef struct recorder {
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
  /* Stop (return 1) from the callback with this 1-based index; 0 never. */
  unsigned long stop_at;
  unsigned long calls;
  /* Callbacks that arrived after one returned non-zero: must stay 0. */
  unsigned long calls_after_stop;
  /* Contract violations seen, must stay 0. Each also appends a line
   * "VIOLATION: what" to the trace. */
  unsigned long violations;
  /* Called with a description at every violation when set: the fuzz
   * harnesses abort there, so that libFuzzer keeps the input. */
  void (*on_violation)(const char *what);
} recorder;

void rec_init(recorder *r);
void rec_free(recorder *r);
/* Forgets the events and counters (keeps the buffer, stop_at and
 * on_violation). */
void rec_clear(recorder *r);
const tp_callbacks *rec_callbacks(void);
/* A tp_config_init'ed config with these callbacks and r as user data. */
void rec_config(tp_config *cfg, recorder *r, unsigned flags);

/* Decodes data fed `chunk` bytes at a time (0: all at once) with `flags`,
 * recording into r (which is cleared first). Returns the final status (a
 * failing tp_init's, recorded as rec_decode_arena does). */
tp_status rec_decode(recorder *r, const char *data, size_t len, size_t chunk,
                     unsigned flags);

/* Feeds with a fresh decoder, splitting once at `split`. */
tp_status rec_decode_split(recorder *r, const char *data, size_t len,
                           size_t split, unsigned flags);

/* As rec_decode, with expat's memory in `arena` (arena_size bytes); when
 * stats is not NULL it receives the arena's figures before release. If
 * tp_init fails, its status is recorded and returned. */
tp_status rec_decode_arena(recorder *r, const char *data, size_t len,
                           size_t chunk, unsigned flags, void *arena,
                           size_t arena_size, tp_memory_stats *stats);

/* Removes a string field that has not had its last fragment: how much of
 * it arrived before an error or a stop depends on the chunking, and the
 * contract only gives a meaning to complete values. */
void rec_drop_open_string(recorder *r);

/* Drops an open string (a violation if the decode succeeded), then appends
 * the decoder's status line with its position, field and detail; also
 * checks that tp_get_error's detail is terminated and that
 * tp_format_error agrees. */
void rec_status(recorder *r, const tp_decoder *d);

/* Appends a line of the caller's own. */
void rec_note(recorder *r, const char *s);

/* Whether a's trace equals b's; whether a's is a prefix of b's. */
int rec_equal(const recorder *a, const recorder *b);
int rec_is_prefix(const recorder *a, const recorder *b);
/* Prints both traces to stderr from the first line where they part. */
void rec_report_difference(const recorder *a, const recorder *b);

#endif
