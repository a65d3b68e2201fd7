/* report.h -- the report every example prints: one line per task, one per
 * fault, from the decoder callbacks; and the exit status it ends with. */
#ifndef EXAMPLES_REPORT_H
#define EXAMPLES_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <taskprogress.h>

/* Exit statuses, the same in every example and in tpdump. */
enum { EXIT_DECODED = 0, EXIT_INVALID = 1, EXIT_TRANSPORT = 2, EXIT_FAULT = 3 };

/* Longer strings are cut at a character boundary: a report line needs no
 * more, and a hostile server cannot make us allocate. */
#define TEXT_MAX 200

struct text {
  char buf[TEXT_MAX];
  size_t len;
  int cut;
};

/* Plain storage, no heap: an example may keep it static, as the bare-metal
 * one must. */
struct report {
  struct text job_handle;
  struct text task_type;
  struct text task_state;
  double task_progress;
  int has_progress;
  struct text fault_code;
  struct text fault_string;
  struct text fault_reason;
  const char *fault_kind;
  int32_t fault_ips_code;
  int has_ips_code;
  int fault;
  unsigned long tasks;
  unsigned long max_tasks; /* stop after this many tasks; 0: all */
  /* Writes one line (without its newline, which it adds): each example
   * has its own way to output. */
  void (*emit)(const char *line, size_t len);
};

/* Sets up config for a decoder that reports into r, lines going to emit;
 * the caller may change more of config before tp_init(). */
void report_config(tp_config *config, struct report *r,
                   void (*emit)(const char *line, size_t len));

/* The exit status for a decoder that got the whole body. */
int decoded_exit(tp_status status, const struct report *r);

#endif /* EXAMPLES_REPORT_H */
