/* support.h -- helpers the cmocka tests and the fuzz harnesses share: where
 * the test data is, reading files, double bit patterns, and feeding the
 * value lexers in pieces. Test code: heap and stdio, never cmocka. */
#ifndef TP_TEST_SUPPORT_H
#define TP_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "taskprogress.h"

/* tests/data: $TP_TEST_DATA, else "tests/data" (relative to the current
 * directory, for a program run by hand from the source tree). */
const char *test_data_dir(void);
/* tests/conformance: $CONFORMANCE_DIR when set and not empty, else
 * "tests/conformance". */
const char *conformance_dir(void);

/* Writes DIR/NAME into path (aborts if it does not fit). */
void test_path(char *path, size_t size, const char *dir, const char *name);

/* Reads a whole file, NUL-terminated; NULL on failure. Free with free(). */
char *read_file(const char *path, size_t *len);
/* Reads NAME from test_data_dir(); NULL on failure. Free with free(). */
char *read_test_data(const char *name, size_t *len);
/* Reads NAME (a path below it) from conformance_dir(); NULL on failure. */
char *read_conformance(const char *name, size_t *len);

/* $NAME as a decimal count (how long a test runs, a seed), or dflt when
 * it is unset or empty. */
unsigned long env_count(const char *name, unsigned long dflt);

/* A double's bits and back, with no aliasing trouble. */
uint64_t bits_of(double d);
double double_from_bits(uint64_t bits);

/* Feeds a literal to one of lib/values.h's lexers (through a wrapper of
 * this type) in pieces, the whole literal or cut at the `ncuts` sorted
 * offsets in `cuts`, with an empty feed after every piece (harmless
 * anywhere, says the lexers' contract). Returns 1 if any feed said
 * "invalid", else 0. */
typedef int (*lex_feed_fn)(void *lexer, const char *s, size_t n);
int lex_feed_pieces(void *lexer, lex_feed_fn feed, const char *s, size_t n,
                    const size_t *cuts, size_t ncuts);
/* The same, one byte per feed. */
int lex_feed_bytewise(void *lexer, lex_feed_fn feed, const char *s, size_t n);
/* The wrappers: tp__int_feed, tp__double_feed and tp__datetime_feed. */
int lex_feed_int(void *lexer, const char *s, size_t n);
int lex_feed_double(void *lexer, const char *s, size_t n);
int lex_feed_datetime(void *lexer, const char *s, size_t n);

/* Feeds `len` bytes of `data` to `d`, `chunk` bytes a call (0: all in
 * one), up to the first status other than TP_OK, which it returns; TP_OK
 * when every byte went in. Does not finish: what comes next (tp_finish,
 * a reset, a check of the error) is the caller's. */
tp_status feed_chunked(tp_decoder *d, const void *data, size_t len,
                       size_t chunk);

#endif
