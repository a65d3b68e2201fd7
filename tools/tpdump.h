/* tpdump.h -- what the files of tpdump share; private to tools/.
 *
 * tpdump.c reads the input and runs the decoder; options.c parses the
 * command line; output.c holds the one output buffer every format writes
 * through, stderr's messages and the decoder's configuration for the
 * streaming formats; escape.c writes JSON string bodies; json.c, events.c
 * and text.c are the three formats (each a struct writer) writing through
 * output.c. text.c prints the text renderer's lines (text.h), which any
 * program of tools/ may share; show.h (unsafe.c, values.c) is what the
 * formats and the renderer both need. request.c is --request, from
 * request_env.c's mapping of the environment.
 */
#ifndef TPDUMP_H
#define TPDUMP_H

#include <stddef.h>
#include <stdint.h>

#include "show.h"
#include "taskprogress.h"

/* A microcontroller build (mcu/) defines smaller buffers. */
#ifndef TPDUMP_MAX_CHUNK
#define TPDUMP_MAX_CHUNK 1048576u
#endif
#ifndef TPDUMP_OUT_BUF
#define TPDUMP_OUT_BUF 65536u
#endif
#define MAX_CHUNK TPDUMP_MAX_CHUNK
#define DEFAULT_CHUNK (MAX_CHUNK < 65536u ? MAX_CHUNK : 65536u)
/* A job nests job > taskProgressArray > task > taskItemProgressArray >
 * item; a fault nests outer object > fault > detail. */
#define MAX_DEPTH 8

enum format { FORMAT_JSON, FORMAT_EVENTS, FORMAT_TEXT };

struct options {
  enum format format;
  size_t chunk;
  unsigned flags;
  const char *path;  /* NULL: standard input */
  const char *label; /* how messages name the input */
  int stats;         /* --memory-stats */
  int width_given;   /* --width: */
  size_t width;      /* its columns, 0 for no cutting */
  int join_strings;  /* --join-strings */
  int request;       /* --request */
};

/* One open JSON object or array. */
struct level {
  char closer;
  int has_members; /* a ',' is due before the next member */
};

/* Everything the printers need, passed to the callbacks as user_data. */
struct printer {
  size_t out_len;  /* bytes waiting in the output buffer */
  int write_errno; /* first write error; output is dropped after it */
  int too_deep;    /* the decoder nested deeper than a response can */
  uint64_t fed;    /* bytes handed to tp_feed so far, this chunk included */
  int fault_seen;
  /* from the options, for the formats */
  int width_given;
  size_t width;
  int join_strings;
  /* events */
  int field_open; /* --join-strings: a string field's line is open */
  /* json */
  int in_string;   /* a string value's opening quote has been written */
  int detail_open; /* the fault's "detail" object is the innermost */
  int depth;
  struct level stack[MAX_DEPTH];
};

/* One output format.
 *
 * The writer, not run(), gives the decoder its callbacks: json and events
 * take the decoder's events as they come (stream_to below), text takes
 * whole records from the library's collector, whose tp_collect_init()
 * fills the decoder's configuration itself, callbacks and all. A hook
 * that fills the configuration serves both, so run() has one path for
 * every format; a `callbacks` member beside it would have been a second
 * one, used by all but text. */
struct writer {
  /* Called once before decoding: fills *cfg as tp_config_init() does, with
   * the format's callbacks and `p` their user_data. run() adds the
   * settings that are not the format's (flags, arena) after it. */
  tp_status (*configure)(tp_config *cfg, struct printer *p);
  /* Whether a record is still open (the input ended inside it), and,
   * when decoding stopped, ending the output so far as the format can,
   * marking the open record incomplete. Both NULL for a format that never
   * leaves anything open. */
  int (*open)(const struct printer *p);
  void (*abandon)(struct printer *p);
  /* The response was decoded whole: what the format prints after it.
   * NULL for nothing. */
  void (*done)(struct printer *p);
};

extern const struct writer json_writer;
extern const struct writer events_writer;
extern const struct writer text_writer;

/* options.c. Returns -1 to go on, else the exit status (help, version,
 * usage error). */
int parse_options(int argc, char **argv, struct options *o);

/* request.c: tpdump --request, the getActiveJobs request from the IPS_*
 * variables to stdout; returns the exit status. */
int print_request(void);

/* output.c: stdout goes through one static buffer, written with write(2)
 * when full, by out_flush, and never after a write error. */
void out_flush(struct printer *p);
void out_bytes(struct printer *p, const char *s, size_t n);
void out_str(struct printer *p, const char *s);
void out_char(struct printer *p, char c);
/* A typed (non-string) field's value, as JSON. */
void out_value(struct printer *p, const tp_field *f);
void complain(const char *first, ...);
/* A writer's configure for a format that takes the decoder's own events:
 * tp_config_init(), then `callbacks` with `p`. */
tp_status stream_to(tp_config *cfg, const tp_callbacks *callbacks,
                    struct printer *p);

/* escape.c: the body of a JSON string, without the quotes: show.h's
 * unsafe characters, '"',
 * '\\' and C0 escaped, the rest of the UTF-8 as it is. */
void out_json_text(struct printer *p, const char *s, size_t n);

int is_string_field(const tp_field *f);
int printer_failed(const struct printer *p);

#endif
