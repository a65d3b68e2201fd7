/* tpwatch.h -- what the files of tpwatch share; private to tools/.
 *
 * tpwatch.c parses the command line and runs the polling loop;
 * tpwatch_creds.c reads the credentials; tpwatch_poll.c sends one
 * getActiveJobs request with libcurl and keeps the answer's bytes;
 * tpwatch_render.c turns a response into lines through the text renderer
 * of tpdump (text.h), the one file that calls into it; tpwatch_screen.c
 * puts a frame of lines on the terminal, or through a pipe.
 */
#ifndef TPWATCH_H
#define TPWATCH_H

#include <stddef.h>
#include <signal.h>
#include <time.h>

#include "taskprogress.h"

/* Exit statuses (tpwatch.1, EXIT STATUS). */
enum {
  WATCH_EXIT_OK = 0,      /* --once: jobs shown; or stopped by a signal */
  WATCH_EXIT_ANSWER = 1,  /* --once: a fault, an HTTP error, a bad body */
  WATCH_EXIT_USAGE = 2,   /* usage, credentials, a request refused */
  WATCH_EXIT_NETWORK = 3, /* --once: no answer (connection, timeout) */
  WATCH_EXIT_SYSTEM = 4   /* libcurl or the output failed */
};

/* ---- tpwatch_creds.c ---- */
/* The user and password from `path` (first line the user, second the
 * password), refused unless it is a regular file that neither group nor
 * others may read or write. Returns 0, or -1 with why in `why`. */
int creds_read(const char *path, char *user, size_t user_size, char *password,
               size_t password_size, char *why, size_t why_size);

/* ---- tpwatch_poll.c ---- */
/* One poll's answer. */
struct answer {
  int network;    /* no usable HTTP answer: `error` says why */
  int cut;        /* the answer ended before its framing said */
  long http;      /* the HTTP status, 0 when none came */
  double seconds; /* from sending to the last byte */
  char error[256];
  char *body;
  size_t len, cap;
};

struct poller;
/* NULL (with why on stderr) when libcurl cannot start. `stop` is read
 * during transfers: non-zero aborts them. */
struct poller *poller_new(const char *url, const tp_request *r,
                          long connect_timeout, long timeout, int insecure,
                          volatile const sig_atomic_t *stop);
void poller_run(struct poller *p, struct answer *a);
void poller_free(struct poller *p);

/* ---- frames (tpwatch_render.c builds them, tpwatch_screen.c shows) ---- */
enum colour {
  COLOUR_NONE,
  COLOUR_TITLE, /* a job's name */
  COLOUR_DONE,
  COLOUR_ACTIVE,
  COLOUR_WAITING,
  COLOUR_FAILED,
  COLOUR_STALE
};

struct fline {
  char *s; /* without its '\n' */
  size_t len;
  size_t cols; /* its width in columns */
  enum colour colour;
};

struct frame {
  struct fline *v;
  size_t n, cap;
};

void frame_add(struct frame *f, const char *s, size_t len, size_t cols,
               enum colour c);
void frame_clear(struct frame *f);
void frame_free(struct frame *f);

/* ---- tpwatch_render.c ---- */
struct view {
  size_t width; /* 0: lines are not cut */
  int unicode;
  int items; /* --items: each task's items, else only their count */
  time_t now;
};

enum outcome { OUTCOME_JOBS, OUTCOME_FAULT, OUTCOME_INVALID };

/* A response's body as lines: the summary, then each job (or the fault's
 * line). `why` holds the decoder's message for OUTCOME_INVALID. */
enum outcome render_response(const struct view *v, const char *body, size_t len,
                             struct frame *summary, struct frame *lines,
                             char *why, size_t why_size);
/* Whether the terminal takes the renderer's block characters. */
int render_unicode(void);
/* Any text of ours (`s`, ASCII or UTF-8), cut to the view's width. */
void render_plain(const struct view *v, const char *s, enum colour c,
                  struct frame *f);

/* ---- tpwatch_screen.c ---- */
/* The terminal's columns and rows (0 when standard output is not one). */
void screen_size(size_t *cols, size_t *rows);
/* Alternate screen, cursor hidden; screen_end undoes both, and resets
 * the attributes. */
void screen_begin(void);
void screen_end(void);
/* Draws `f` over the last frame, from the top left, at most `rows` lines
 * of `cols` columns; colours when `colour`. */
void screen_draw(const struct frame *f, size_t cols, size_t rows, int colour);
/* Through a pipe: the lines as they are, then an empty line. */
void screen_block(const struct frame *f);
/* Whether writing to standard output failed. */
int screen_failed(void);

#endif
