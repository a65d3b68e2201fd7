/* text.h -- what the parts of tpdump's text format share; private to
 * tools/.
 *
 * text.c has the library's collector gather each job (or fault) whole and
 * puts its lines out in reading order; text_layout.c lays a job, task,
 * item or fault record out as lines; text_line.c builds one line, cut to a
 * width in columns, showing a response's text safely; terminal.c finds
 * the width and whether the terminal takes UTF-8. Only text.c knows the
 * collector: the others take a record as it stands.
 */
#ifndef TPDUMP_TEXT_H
#define TPDUMP_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "taskprogress_collect.h"

/* Bytes kept of each string field (the collector's max_string); longer
 * ones end in "..." when shown. (Overridable, like TPDUMP_POOL, for the
 * microcontroller build.) */
#ifndef TPDUMP_TEXT_KEEP
#define TPDUMP_TEXT_KEEP 512
#endif
#define TEXT_KEEP TPDUMP_TEXT_KEEP
/* Widths honoured from COLUMNS or the terminal. */
#define MIN_WIDTH 20
#define MAX_WIDTH 1024
/* One output line: each column may take up to 4 bytes (UTF-8). */
#define LINE_BYTES (4 * MAX_WIDTH + 16)

/* text_line.c: a line being built, cut to `width` columns with "..." at
 * the end. One character takes one column. */
struct tline {
  size_t len;
  size_t cols;
  size_t width;
  int cut;
  char b[LINE_BYTES];
};

void tline_init(struct tline *l, size_t width);
/* One character of `n` bytes. */
void tline_char(struct tline *l, const char *c, size_t n);
void tline_ascii(struct tline *l, const char *s);
/* Spaces up to column `col`. */
void tline_pad(struct tline *l, size_t col);
/* Text from the response, with what escape.c names shown as ASCII. */
void tline_text(struct tline *l, const char *s, size_t n);
/* Ends the line with '\n' (a cut one in "..."); returns its length. */
size_t tline_finish(struct tline *l);

/* text_layout.c: how the lines look. */
struct layout {
  size_t width; /* columns per line */
  size_t bar;   /* cells of a progress bar */
  int unicode;  /* block characters for bars */
};

void layout_init(struct layout *lo, size_t width, int unicode);
/* A job's header is up to JOB_HEADER_LINES lines: line `i` into `l`,
 * returning 0 when the job has nothing for it. */
#define JOB_HEADER_LINES 3
int layout_job_line(struct tline *l, const struct layout *lo,
                    const tp_job_record *j, int i);
void layout_task(struct tline *l, const struct layout *lo,
                 const tp_task_record *k);
void layout_item(struct tline *l, const struct layout *lo,
                 const tp_item_record *it);
/* "... N more tasks" for `n` records of `what` ("task", "item") that were
 * not kept, indented by `indent` spaces as they would have been. */
void layout_more(struct tline *l, const struct layout *lo, size_t indent,
                 size_t n, const char *what);
void layout_fault(struct tline *l, const struct layout *lo,
                  const tp_fault_record *f);

/* terminal.c: COLUMNS when it is a number, else the terminal's width,
 * else 80, within MIN_WIDTH..MAX_WIDTH; and whether standard output is a
 * terminal whose locale variables say UTF-8. */
size_t terminal_width(void);
int terminal_utf8(void);

#endif
