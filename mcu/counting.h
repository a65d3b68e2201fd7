/* counting.h -- callbacks that only count events, for the images that
 * measure the decode path (measure.c, icount.c): the work a product's
 * callbacks add is theirs, not the library's. user_data is an unsigned
 * long counter. */
#ifndef FW_COUNTING_H
#define FW_COUNTING_H

#include "taskprogress.h"

static int
count_node(void *user_data, tp_node node) {
  (void)node;
  ++*(unsigned long *)user_data;
  return 0;
}

static int
count_field(void *user_data, const tp_field *f) {
  (void)f;
  ++*(unsigned long *)user_data;
  return 0;
}

static const tp_callbacks counting = {count_node, count_node, count_field};

#endif
