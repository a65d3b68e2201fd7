/* options.c -- tpdump's command line, and --help and --version. */
#define _POSIX_C_SOURCE 200809L

#include <string.h>
#include <unistd.h>

#include "text.h"
#include "tpdump.h"

static const char usage_text[] =
    "Usage: tpdump [--format=json|events|text] [--chunk-size=N] [--prompt]\n"
    "              [--width=N] [--join-strings] [--memory-stats] [FILE]\n"
    "       tpdump --request\n"
    "Decode an Adobe Scene7/IPS getActiveJobs SOAP response with\n"
    "libtaskprogress and print what it holds. FILE absent or '-' reads\n"
    "standard input.\n"
    "\n"
    "  --format=json     one compact JSON object per ActiveJob, or one\n"
    "                    {\"fault\":{...}} line for a SOAP Fault (the "
    "default)\n"
    "  --format=events   one line per decoder callback, as it fires:\n"
    "                    OFFSET<TAB>NAME[<TAB>VALUE], where OFFSET counts the\n"
    "                    input bytes fed so far and NAME is job.begin,\n"
    "                    task.end, item.progress, fault.code, ...; a string\n"
    "                    fragment that is not the last prints NAME+. Array\n"
    "                    nodes (jobArray, taskProgressArray,\n"
    "                    taskItemProgressArray) are not printed.\n"
    "  --format=text     a progress report to read: for each job its name,\n"
    "                    type, submitting user, state, progress and last\n"
    "                    update, then one line per task: type, [bar]\n"
    "                    percent, state, counts as processed/processing/\n"
    "                    pending, message; its items indented below it. A\n"
    "                    SOAP Fault is one line. Then the jobs and tasks by\n"
    "                    state, or \"no active jobs\". The bars are ASCII\n"
    "                    unless standard output is a UTF-8 terminal\n"
    "  --width=N         cut text lines to N columns (20..1024) with \"...\";\n"
    "                    0 never cuts. Default: COLUMNS, else the terminal's\n"
    "                    width; through a pipe, lines are not cut\n"
    "  --join-strings    events: each string field on one line, its\n"
    "                    fragments joined, at its first fragment's OFFSET\n"
    "  --chunk-size=N    feed the decoder exactly N bytes at a time\n"
    "                    (1..1048576, default 65536)\n"
    "  --prompt          prompt mode (TP_FLAG_PROMPT): every callback fires\n"
    "                    as soon as the '>' completing its tag is fed\n"
    "  --memory-stats    print the arena's size and high-water mark to\n"
    "                    stderr at the end (tpdump decodes in a static\n"
    "                    24 KiB block and uses no heap)\n"
    "  --request         write the getActiveJobs request to send (for curl)\n"
    "                    from IPS_USER, IPS_PASSWORD, IPS_COMPANY, IPS_JOB,\n"
    "                    IPS_API_VERSION, IPS_SOAP_VERSION (1.1 or 1.2) and\n"
    "                    IPS_FAULT_HTTP_STATUS, and exit\n"
    "  --help            print this help and exit\n"
    "  --version         print the version and exit\n"
    "\n"
    "Exit status: 0 the response was decoded, 3 it is a SOAP Fault, 1 it is\n"
    "not a valid response (the error goes to stderr as FILE:LINE:COLUMN:),\n"
    "2 usage or I/O error, or --request without IPS_USER and IPS_PASSWORD.\n";

/* Follows every usage error's message; returns the exit status for it. */
static int
usage_hint(void) {
  static const char hint[] = "Try 'tpdump --help' for more information.\n";
  (void)!write(STDERR_FILENO, hint, sizeof hint - 1);
  return 2;
}

/* --help and --version: their output must reach stdout for the exit status
 * to be 0. */
static int
print_and_exit_status(const char *a, const char *b, const char *c) {
  struct printer p;

  memset(&p, 0, sizeof p);
  out_str(&p, a);
  out_str(&p, b);
  out_str(&p, c);
  out_flush(&p);
  if (p.write_errno != 0) {
    complain("write error: ", strerror(p.write_errno), NULL);
    return 2;
  }
  return 0;
}

/* 1..MAX_CHUNK in plain decimal, or 0 when the text is anything else. */
static size_t
parse_chunk_size(const char *s) {
  size_t v = 0;

  if (*s == '\0')
    return 0;
  for (; *s != '\0'; s++) {
    if (*s < '0' || *s > '9')
      return 0;
    v = v * 10 + (size_t)(*s - '0');
    if (v > MAX_CHUNK)
      return 0;
  }
  return v;
}

/* Matches "--name=VALUE" and "--name VALUE" (consuming the next
 * argument). Returns 1 and sets *value, 0 when `argv[*i]` is another
 * option, -1 (after a message) when the value is missing. */
static int
option_value(int argc, char **argv, int *i, const char *name,
             const char **value) {
  const char *arg = argv[*i];
  size_t n = strlen(name);

  if (strncmp(arg, name, n) != 0)
    return 0;
  if (arg[n] == '=') {
    *value = arg + n + 1;
    return 1;
  }
  if (arg[n] != '\0')
    return 0;
  if (*i + 1 >= argc) {
    complain("option '", name, "' requires an argument", NULL);
    return -1;
  }
  *value = argv[++*i];
  return 1;
}

int
parse_options(int argc, char **argv, struct options *o) {
  int only_files = 0;
  int have_file = 0;
  int i;
  /* Every field, so that none is read uninitialised (--memory-stats was). */
  static const struct options defaults = {
      .format = FORMAT_JSON, .chunk = DEFAULT_CHUNK, .label = "<stdin>"};

  *o = defaults;
  for (i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char *value = NULL;
    int r;

    if (only_files || arg[0] != '-' || arg[1] == '\0') {
      if (have_file) {
        complain("extra operand '", arg, "': only one FILE is read", NULL);
        return usage_hint();
      }
      have_file = 1;
      /* "-" is standard input, and messages call it <stdin>. */
      if (strcmp(arg, "-") != 0) {
        o->path = arg;
        o->label = arg;
      }
      continue;
    }
    if (strcmp(arg, "--") == 0) {
      only_files = 1;
    } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      return print_and_exit_status(usage_text, "", "");
    } else if (strcmp(arg, "--version") == 0) {
      return print_and_exit_status("tpdump (libtaskprogress) ", tp_version(),
                                   "\n");
    } else if (strcmp(arg, "--memory-stats") == 0) {
      o->stats = 1;
    } else if (strcmp(arg, "--prompt") == 0) {
      o->flags |= TP_FLAG_PROMPT;
    } else if (strcmp(arg, "--join-strings") == 0) {
      o->join_strings = 1;
    } else if (strcmp(arg, "--request") == 0) {
      o->request = 1;
    } else if ((r = option_value(argc, argv, &i, "--width", &value)) != 0) {
      long width = r < 0 ? -1 : parse_width(value);
      if (r < 0)
        return usage_hint();
      if (width < 0) {
        complain("invalid width '", value,
                 "' (expected a number of columns, 0 for no cutting)", NULL);
        return usage_hint();
      }
      o->width_given = 1;
      o->width = (size_t)width;
    } else if ((r = option_value(argc, argv, &i, "--format", &value)) != 0) {
      if (r < 0)
        return usage_hint();
      if (strcmp(value, "json") == 0) {
        o->format = FORMAT_JSON;
      } else if (strcmp(value, "events") == 0) {
        o->format = FORMAT_EVENTS;
      } else if (strcmp(value, "text") == 0) {
        o->format = FORMAT_TEXT;
      } else {
        complain("invalid format '", value, "' (expected json, events or text)",
                 NULL);
        return usage_hint();
      }
    } else if ((r = option_value(argc, argv, &i, "--chunk-size", &value)) !=
               0) {
      if (r < 0)
        return usage_hint();
      o->chunk = parse_chunk_size(value);
      if (o->chunk == 0) {
        complain("invalid chunk size '", value, "' (expected 1..1048576)",
                 NULL);
        return usage_hint();
      }
    } else {
      complain("unknown option '", arg, "'", NULL);
      return usage_hint();
    }
  }
  if (o->join_strings && o->format != FORMAT_EVENTS) {
    complain("--join-strings applies to --format=events only", NULL);
    return usage_hint();
  }
  if (o->request && have_file) {
    complain("--request reads no FILE", NULL);
    return usage_hint();
  }
  return -1;
}
