/* recorder.h -- turns decoder callbacks into a canonical text trace, the
 * oracle every decode test compares (string fragments are joined, typed
 * values printed exactly, the final status and its position appended). */
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
  /* Stop (return 1) from the callback with this 1-based index; 0 never. */
  unsigned long stop_at;
  unsigned long calls;
  /* Callbacks that arrived after one returned non-zero: must stay 0. */
  unsigned long calls_after_stop;
  /* Contract violations seen (fragment rules), must stay 0. */
  unsigned long violations;
} recorder;

void rec_init(recorder *r);
void rec_free(recorder *r);
const tp_callbacks *rec_callbacks(void);

/* Decodes data fed `chunk` bytes at a time (0: all at once) with `flags`,
 * recording into r (which is reset first). Returns the final status. */
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

/* Appends the decoder's status line to the trace. */
void rec_status(recorder *r, tp_decoder *d);

/* Reads tests/data/NAME (the directory from $TP_TEST_DATA); NULL on
 * failure. Free with free(). */
char *read_test_data(const char *name, size_t *len);

/* Reads a whole file; returns NULL on failure. Free with free(). */
char *read_file(const char *path, size_t *len);

#endif
