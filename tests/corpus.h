/* corpus.h -- the response files the memory tests run over: tests/data,
 * and the conformance examples and responses in tests/conformance. */
#ifndef TP_TEST_CORPUS_H
#define TP_TEST_CORPUS_H

#include <stddef.h>

typedef struct corpus {
  char **paths;
  size_t count;
} corpus;

/* Collects every .xml file; never fails silently (aborts on errors). */
void corpus_load(corpus *c);
void corpus_free(corpus *c);

#endif
