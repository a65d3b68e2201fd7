/* text.h -- the text renderer: the collector's records as lines for a
 * person, at a width in columns. tpdump --format=text uses it (text.c),
 * and any other program of tools/ may: it needs only the library's
 * headers and show.h, and hands each line to the caller's render_out.
 *
 * render.c renders a whole record (a job with its tasks and items, a
 * fault), the "no active jobs" line and the summary of counts;
 * text_layout.c lays out each kind of line; text_line.c builds one line,
 * cut to the width, showing a response's text safely; width.c counts a
 * character's columns (width_table.h, written by genwidth.py); terminal.c
 * finds the width and whether the terminal takes UTF-8.
 */
#ifndef TPDUMP_TEXT_H
#define TPDUMP_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "taskprogress_collect.h"

/* Widths honoured from an option, COLUMNS or the terminal. */
#define MIN_WIDTH 20
#define MAX_WIDTH 1024
/* Bytes of one line: a column may take 4 bytes (UTF-8), and marks that
 * take no column bytes too, so a line is also cut when its bytes are
 * full. An uncut line (width 0) holds a few strings of TPDUMP_TEXT_KEEP
 * bytes (text.c) and fits with room to spare. */
#define LINE_BYTES (4 * MAX_WIDTH + 16)

/* width.c: the columns the UTF-8 character at s[0..n) takes (0, 1 or 2),
 * and its length in bytes (at least 1; a sequence cut short counts
 * whole). */
size_t char_columns(const char *s, size_t n, size_t *len);

/* text_line.c: a line being built, cut to `width` columns (0: never cut)
 * with "..." at the end; never inside a character. */
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
/* Text from the response, with show.h's unsafe characters shown as
 * ASCII. */
void tline_text(struct tline *l, const char *s, size_t n);
/* Ends the line with '\n' (a cut one in "..."); returns its length. */
size_t tline_finish(struct tline *l);

/* text_layout.c: how the lines look. */
struct layout {
  size_t width; /* columns per line; 0: lines are not cut */
  size_t bar;   /* cells of a progress bar */
  int unicode;  /* block characters for bars */
};

void layout_init(struct layout *lo, size_t width, int unicode);
/* A job's header is up to JOB_HEADER_LINES lines: line `i` into `l`,
 * returning 0 when the job has nothing for it. */
#define JOB_HEADER_LINES 4
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

/* render.c: whole records, each line handed to `out` with its '\n'. */
typedef void (*render_out)(void *ctx, const char *line, size_t len);

/* The job's header, a line per task with its items indented below, and
 * the count of what was not kept. */
void render_job(const struct layout *lo, const tp_job_record *j, render_out out,
                void *ctx);
/* The fault's line, `note` (ASCII) at its end. */
void render_fault(const struct layout *lo, const tp_fault_record *f,
                  const char *note, render_out out, void *ctx);
/* What a response without a job (and without a fault) shows. */
void render_no_jobs(const struct layout *lo, render_out out, void *ctx);

/* Counts by state, of the jobs or of the tasks kept: the first
 * RENDER_STATES states seen each have their count, the rest are "other";
 * a record without a state counts as "?". */
#define RENDER_STATES 8
#define RENDER_LABEL 32
struct render_tally {
  size_t total;
  size_t kinds;
  size_t other;
  struct {
    char label[RENDER_LABEL]; /* the state, cut to fit at a character */
    size_t count;
  } kind[RENDER_STATES];
};
struct render_counts {
  struct render_tally jobs;
  struct render_tally tasks;
  size_t tasks_not_kept;
};

void render_counts_init(struct render_counts *c);
void render_count_job(struct render_counts *c, const tp_job_record *j);
/* "2 jobs: 2 Running; 3 tasks: 2 Processing, 1 New". */
void render_summary(const struct layout *lo, const struct render_counts *c,
                    render_out out, void *ctx);

/* terminal.c: the width lines are cut to. `option` (when have_option) is
 * the program's --width, else COLUMNS when it is a number, else the
 * terminal's width (80 when it has none) when standard output is a
 * terminal; 0 (from either, or through a pipe) means lines are not cut,
 * and any other width is clamped to MIN_WIDTH..MAX_WIDTH. terminal_utf8:
 * whether standard output is a terminal whose locale variables say
 * UTF-8. */
size_t terminal_width(int have_option, size_t option);
int terminal_utf8(void);
/* A width in plain decimal, saturating above MAX_WIDTH (so that huge
 * values clamp too); -1 when `s` is empty or holds anything else. */
long parse_width(const char *s);

#endif
