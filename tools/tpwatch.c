/* tpwatch.c -- tpwatch ENDPOINT: polls getActiveJobs and shows the jobs,
 * live on a terminal, one block per poll through a pipe (tpwatch.1).
 *
 * The command line and the credentials make the request once; then each
 * poll's answer is judged (jobs, a fault, an HTTP error, a body that is
 * not a response, a cut-off one, no answer at all) and the frame drawn:
 * a header, a status line, the summary and the jobs of the last good
 * answer, marked stale when the poll failed. A failed poll doubles the
 * wait before the next one.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "request_env.h"
#include "tpwatch.h"

/* The longest wait after failures, unless the interval is longer. */
#define MAX_BACKOFF 60.0

struct opts {
  const char *url;
  const char *credentials;
  const char *company, *job, *name, *api_version;
  int waiting, soap12, once, items, insecure, have_width;
  double interval;
  long connect_timeout, timeout;
  size_t width;
};

static volatile sig_atomic_t got_stop, got_winch;

static void
on_signal(int sig) {
  if (sig == SIGWINCH)
    got_winch = 1;
  else
    got_stop = 1;
}

static void
usage(FILE *f) {
  fprintf(f,
          "usage: tpwatch [OPTION]... ENDPOINT\n"
          "Polls IPS getActiveJobs at ENDPOINT and shows the jobs: live on a\n"
          "terminal, one block per poll through a pipe.\n"
          "Credentials: IPS_USER and IPS_PASSWORD, or --credentials FILE.\n"
          "  --credentials FILE   user on the first line, password on the "
          "second;\n"
          "                       refused if group or others may read it\n"
          "  --company HANDLE     only this company's jobs (or IPS_COMPANY)\n"
          "  --job HANDLE         only this job (or IPS_JOB)\n"
          "  --name NAME          only jobs of this originalName\n"
          "  --waiting            include waiting jobs\n"
          "  --interval SECONDS   between polls (default 5)\n"
          "  --once               poll once, print, exit (see EXIT STATUS)\n"
          "  --api-version V      YYYY-MM-DD[-beta] (or IPS_API_VERSION)\n"
          "  --soap12             SOAP 1.2 (default 1.1)\n"
          "  --connect-timeout S  (default 10)\n"
          "  --timeout S          a whole poll (default 30)\n"
          "  --items              each task's items, not only their count\n"
          "  --width N            columns (0: lines are not cut)\n"
          "  --insecure           no TLS verification: for tests only\n"
          "Exit: 0 ok, 1 fault or bad answer (--once), 2 usage or\n"
          "credentials, 3 no answer (--once), 4 system error.\n");
}

static int
number(const char *s, double max, double *out) {
  char *end;
  double d;

  errno = 0;
  d = strtod(s, &end);
  if (*s == '\0' || *end != '\0' || errno != 0 || !(d >= 0) || d > max)
    return -1;
  *out = d;
  return 0;
}

/* --opt VALUE or --opt=VALUE. */
static const char *
value_of(int argc, char **argv, int *i, const char *opt) {
  size_t n = strlen(opt);
  const char *a = argv[*i];

  if (strncmp(a, opt, n) != 0)
    return NULL;
  if (a[n] == '=')
    return a + n + 1;
  if (a[n] == '\0' && *i + 1 < argc)
    return argv[++*i];
  return NULL;
}

static int
parse(int argc, char **argv, struct opts *o) {
  int i;
  double d;
  const char *v;

  o->interval = 5;
  o->connect_timeout = 10;
  o->timeout = 30;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    } else if (strcmp(a, "--once") == 0) {
      o->once = 1;
    } else if (strcmp(a, "--items") == 0) {
      o->items = 1;
    } else if (strcmp(a, "--soap12") == 0) {
      o->soap12 = 1;
    } else if (strcmp(a, "--waiting") == 0) {
      o->waiting = 1;
    } else if (strcmp(a, "--insecure") == 0) {
      o->insecure = 1;
    } else if ((v = value_of(argc, argv, &i, "--credentials")) != NULL) {
      o->credentials = v;
    } else if ((v = value_of(argc, argv, &i, "--company")) != NULL) {
      o->company = v;
    } else if ((v = value_of(argc, argv, &i, "--job")) != NULL) {
      o->job = v;
    } else if ((v = value_of(argc, argv, &i, "--name")) != NULL) {
      o->name = v;
    } else if ((v = value_of(argc, argv, &i, "--api-version")) != NULL) {
      o->api_version = v;
    } else if ((v = value_of(argc, argv, &i, "--interval")) != NULL) {
      if (number(v, 86400, &o->interval) != 0 || o->interval < 0.05) {
        fprintf(stderr, "tpwatch: --interval %s: 0.05 to 86400 seconds\n", v);
        return WATCH_EXIT_USAGE;
      }
    } else if ((v = value_of(argc, argv, &i, "--connect-timeout")) != NULL ||
               (v = value_of(argc, argv, &i, "--timeout")) != NULL) {
      int connect = strncmp(a, "--connect", 9) == 0;
      if (number(v, 86400, &d) != 0 || d < 1 || d != (double)(long)d) {
        fprintf(stderr, "tpwatch: %s %s: whole seconds, 1 to 86400\n",
                connect ? "--connect-timeout" : "--timeout", v);
        return WATCH_EXIT_USAGE;
      }
      *(connect ? &o->connect_timeout : &o->timeout) = (long)d;
    } else if ((v = value_of(argc, argv, &i, "--width")) != NULL) {
      if (number(v, 100000, &d) != 0 || d != (double)(size_t)d) {
        fprintf(stderr, "tpwatch: --width %s: a number of columns\n", v);
        return WATCH_EXIT_USAGE;
      }
      o->have_width = 1;
      o->width = (size_t)d;
    } else if (a[0] == '-' || o->url != NULL) {
      usage(stderr);
      return WATCH_EXIT_USAGE;
    } else {
      o->url = a;
    }
  }
  if (o->url == NULL) {
    usage(stderr);
    return WATCH_EXIT_USAGE;
  }
  return -1;
}

/* The request: the environment as tpdump --request and the examples
 * read it (request_env.c),
 * then the options and the credentials file over it. */
static int
make_request(const struct opts *o, tp_request *r, char *user, size_t user_size,
             char *password, size_t password_size) {
  char why[300];
  const char *bad = NULL;

  if (request_from_env(r, why, sizeof why) != 0) {
    fprintf(stderr, "tpwatch: %s\n", why);
    return WATCH_EXIT_USAGE;
  }
  if (o->credentials != NULL) {
    if (creds_read(o->credentials, user, user_size, password, password_size,
                   why, sizeof why) != 0) {
      fprintf(stderr, "tpwatch: credentials: %s\n", why);
      return WATCH_EXIT_USAGE;
    }
    r->user = user;
    r->password = password;
  }
  if (r->user == NULL || r->password == NULL) {
    fprintf(stderr, "tpwatch: no credentials: set IPS_USER and IPS_PASSWORD, "
                    "or give --credentials FILE\n");
    return WATCH_EXIT_USAGE;
  }
  if (o->company != NULL)
    r->company_handle = o->company;
  if (o->job != NULL)
    r->job_handle = o->job;
  if (o->name != NULL)
    r->original_name = o->name;
  if (o->waiting)
    r->include_waiting_jobs = TP_BOOL_TRUE;
  if (o->api_version != NULL)
    r->api_version = o->api_version;
  if (o->soap12)
    r->soap_version = TP_SOAP_12;
  r->app_name = "tpwatch";
  r->app_version = tp_version();
  if (tp_request_check(r, &bad) != TP_OK) {
    fprintf(stderr, "tpwatch: the library refuses the request's %s\n",
            bad != NULL ? bad : "fields");
    return WATCH_EXIT_USAGE;
  }
  return -1;
}

/* What the last poll gave, and the last good answer. */
struct state {
  const struct opts *o;
  int live, colour, unicode;
  unsigned long polls;
  unsigned failures;
  double next; /* seconds to the next poll */
  char stamp[32];
  long http;
  double seconds;
  int answered; /* an HTTP answer came */
  char status[600];
  int have_good;
  char good_stamp[32];
  char *good;
  size_t good_len, good_cap;
  struct frame frame, summary, lines;
};

static void
timestamp(char *buf, size_t size) {
  time_t now = time(NULL);
  struct tm tm;

  localtime_r(&now, &tm);
  strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
}

static void
view_now(const struct state *s, struct view *v, size_t *cols, size_t *rows) {
  screen_size(cols, rows);
  v->width = s->o->have_width ? s->o->width : *cols;
  v->unicode = s->unicode;
  v->items = s->o->items;
  v->now = time(NULL);
}

/* The frame of the last poll, at the terminal's width of the moment. */
static void
draw(struct state *s) {
  char line[1024];
  struct view v;
  size_t cols, rows, i;
  int stale = s->status[0] != '\0';

  view_now(s, &v, &cols, &rows);
  frame_clear(&s->frame);
  frame_clear(&s->summary);
  frame_clear(&s->lines);
  {
    char next[64] = "";
    if (stale && !s->o->once)
      snprintf(next, sizeof next, "  retry in %.1f s", s->next);
    if (s->answered)
      snprintf(line, sizeof line, "%s  %s  poll %lu  %.0f ms  HTTP %ld%s",
               s->stamp, s->o->url, s->polls, s->seconds * 1000, s->http, next);
    else
      snprintf(line, sizeof line, "%s  %s  poll %lu  no answer%s", s->stamp,
               s->o->url, s->polls, next);
  }
  render_plain(&v, line, COLOUR_TITLE, &s->frame);
  render_plain(&v, stale ? s->status : "ok",
               stale ? COLOUR_FAILED : COLOUR_DONE, &s->frame);
  if (stale && s->have_good) {
    snprintf(line, sizeof line, "stale: the jobs as of %s", s->good_stamp);
    render_plain(&v, line, COLOUR_STALE, &s->frame);
  }
  if (s->have_good) {
    char why[8];
    render_response(&v, s->good, s->good_len, &s->summary, &s->lines, why,
                    sizeof why);
    for (i = 0; i < s->summary.n; i++)
      frame_add(&s->frame, s->summary.v[i].s, s->summary.v[i].len,
                s->summary.v[i].cols, stale ? COLOUR_STALE : COLOUR_NONE);
    frame_add(&s->frame, "", 0, 0, COLOUR_NONE);
    for (i = 0; i < s->lines.n; i++)
      frame_add(&s->frame, s->lines.v[i].s, s->lines.v[i].len,
                s->lines.v[i].cols,
                stale ? COLOUR_STALE : s->lines.v[i].colour);
  }
  if (s->live)
    screen_draw(&s->frame, cols, rows, s->colour);
  else
    screen_block(&s->frame);
}

/* Judges one answer: 0 for jobs (kept as the last good answer), else
 * the exit status --once would give, the status line set. */
static int
judge(struct state *s, struct answer *a) {
  struct view v;
  size_t cols, rows;
  char why[300];
  enum outcome out;

  s->polls++;
  timestamp(s->stamp, sizeof s->stamp);
  s->http = a->http;
  s->seconds = a->seconds;
  s->answered = !a->network;
  s->status[0] = '\0';
  if (a->network) {
    snprintf(s->status, sizeof s->status, "no answer: %s", a->error);
    return WATCH_EXIT_NETWORK;
  }
  if (a->cut) {
    snprintf(s->status, sizeof s->status, "HTTP %ld: response cut off: %s",
             a->http, a->error);
    return WATCH_EXIT_ANSWER;
  }
  view_now(s, &v, &cols, &rows);
  v.width = 0;
  frame_clear(&s->lines);
  frame_clear(&s->summary);
  out = render_response(&v, a->body, a->len, &s->summary, &s->lines, why,
                        sizeof why);
  if (out == OUTCOME_FAULT) {
    snprintf(s->status, sizeof s->status, "HTTP %ld: %s", a->http,
             s->lines.n > 0 ? s->lines.v[0].s : "SOAP Fault");
    return WATCH_EXIT_ANSWER;
  }
  if (out == OUTCOME_INVALID || a->http < 200 || a->http > 299) {
    snprintf(s->status, sizeof s->status, "HTTP %ld: %s", a->http,
             out == OUTCOME_INVALID ? why : "not a success status");
    return WATCH_EXIT_ANSWER;
  }
  /* The answer becomes the last good one. */
  {
    char *b = s->good;
    size_t cap = s->good_cap;
    s->good = a->body;
    s->good_len = a->len;
    s->good_cap = a->cap;
    a->body = b;
    a->cap = cap;
  }
  s->have_good = 1;
  memcpy(s->good_stamp, s->stamp, sizeof s->stamp);
  return WATCH_EXIT_OK;
}

/* Sleeps `seconds`, redrawing on a resize; returns early on a stop. */
static void
wait_for(struct state *s, double seconds) {
  sigset_t block, orig;
  struct timespec start, now;

  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGWINCH);
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (;;) {
    double left;
    struct timespec ts;

    sigprocmask(SIG_BLOCK, &block, &orig);
    if (got_stop) {
      sigprocmask(SIG_SETMASK, &orig, NULL);
      return;
    }
    if (got_winch) {
      got_winch = 0;
      sigprocmask(SIG_SETMASK, &orig, NULL);
      if (s->live)
        draw(s);
      continue;
    }
    clock_gettime(CLOCK_MONOTONIC, &now);
    left = seconds - (double)(now.tv_sec - start.tv_sec) -
           (double)(now.tv_nsec - start.tv_nsec) / 1e9;
    if (left <= 0) {
      sigprocmask(SIG_SETMASK, &orig, NULL);
      return;
    }
    ts.tv_sec = (time_t)left;
    ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
    /* The signals are let in only while waiting: none is missed between
     * the checks above and the sleep. */
    pselect(0, NULL, NULL, NULL, &ts, &orig);
    sigprocmask(SIG_SETMASK, &orig, NULL);
  }
}

static void
catch_signals(void) {
  struct sigaction sa;

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  /* No SA_RESTART: a signal ends the wait at once. */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGWINCH, &sa, NULL);
}

int
main(int argc, char **argv) {
  static struct opts o;
  static struct state s;
  static char user[512], password[512];
  static struct answer a;
  struct poller *p;
  tp_request r;
  const char *no_colour = getenv("NO_COLOR");
  int rc = parse(argc, argv, &o);

  if (rc < 0)
    rc = make_request(&o, &r, user, sizeof user, password, sizeof password);
  if (rc >= 0)
    return rc;
  if (o.insecure)
    fprintf(stderr, "tpwatch: warning: --insecure: the server's certificate "
                    "is not checked; for tests only\n");
  p = poller_new(o.url, &r, o.connect_timeout, o.timeout, o.insecure,
                 &got_stop);
  memset(password, 0, sizeof password);
  if (p == NULL)
    return WATCH_EXIT_SYSTEM;
  s.o = &o;
  s.live = !o.once && isatty(STDOUT_FILENO);
  s.colour = s.live && (no_colour == NULL || no_colour[0] == '\0');
  s.unicode = render_unicode();
  catch_signals();
  if (s.live)
    screen_begin();
  while (!got_stop) {
    poller_run(p, &a);
    if (got_stop)
      break;
    rc = judge(&s, &a);
    if (rc == WATCH_EXIT_OK) {
      s.failures = 0;
      s.next = o.interval;
    } else {
      double cap = o.interval > MAX_BACKOFF ? o.interval : MAX_BACKOFF;
      unsigned i;
      s.next = o.interval;
      for (i = 0; i < s.failures + 1 && s.next < cap; i++)
        s.next *= 2;
      if (s.next > cap)
        s.next = cap;
      s.failures++;
    }
    draw(&s);
    if (screen_failed()) {
      rc = WATCH_EXIT_SYSTEM;
      break;
    }
    if (o.once) {
      if (rc != WATCH_EXIT_OK)
        fprintf(stderr, "tpwatch: %s\n", s.status);
      break;
    }
    wait_for(&s, s.next);
  }
  if (got_stop)
    rc = WATCH_EXIT_OK;
  if (s.live)
    screen_end();
  poller_free(p);
  free(a.body);
  free(s.good);
  frame_free(&s.frame);
  frame_free(&s.summary);
  frame_free(&s.lines);
  return rc;
}
