/* token_limits.c -- how long one token may be before an arena decoder runs
 * out of memory: for each kind of token and each arena size, the longest
 * that still decodes inside an otherwise ordinary response (the shape of
 * examples/sample-response.xml, one job), found by bisection, and what one
 * byte more gets. Uses only the public API (and expat's version and
 * features), so the same file runs on the host and, built with a smaller
 * MAX_ARENA, in a firmware under QEMU (mcu/tokens.sh).
 * tests/token_limits.sh makes docs/token-limits.md from both outputs, and
 * fails when that page is not what this host measures.
 *
 * Usage: token_limits [ARENA_SIZE...]  (default: DEFAULT_ARENAS below)
 * Prints what the figures depend on first, "setup EXPAT POINTER_BYTES
 * CONTEXT_BYTES SLICE RECOMMENDED": expat's version string, the size of
 * a pointer (which sizes expat's structures), expat's XML_CONTEXT_BYTES
 * (what it keeps before a token), TP_DEFAULT_SLICE and
 * TP_ARENA_RECOMMENDED_SIZE; then one line per kind and arena:
 *   KIND ARENA LONGEST TOO_LONG
 * LONGEST is the most token bytes (between the token's own delimiters)
 * that decode however the input is split (see split()), "-" when even a
 * 1-byte token does not, or "streamed" when UPPER bytes still decode
 * (expat hands such text on as it arrives). TOO_LONG is what LONGEST + 1
 * bytes get where they fail: "no-memory+D" (or +D..E where splits
 * differ), TP_ERR_NO_MEMORY at D bytes after the token's first byte (its
 * '<', or for text its first byte), or the status's tp_strerror text in
 * quotes when it is anything else, or "-".
 * Exit status 0, or 1 when a decode contradicts the bisection's premise
 * (the figures would mean nothing: see the message). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "taskprogress.h"

/* Arena sizes measured by default: the recommended one between powers of
 * two (smaller ones do not hold the response itself on a 64-bit host). */
static const size_t DEFAULT_ARENAS[] = {16384, TP_ARENA_RECOMMENDED_SIZE, 32768,
                                        65536};
#ifndef MAX_ARENA /* a target with less RAM sets it lower */
#define MAX_ARENA 65536u
#endif
#define MAX_ARENAS 8
#define MAX_CHUNK 1024u
/* Past this a token is taken as streamed: expat's memory did not grow
 * with it (it is larger than any arena measured, many times over). */
#define UPPER 65536u

static _Alignas(tp_decoder) unsigned char decoder_storage[sizeof(tp_decoder)];
static unsigned char arena[MAX_ARENA];
static char feed_buf[MAX_CHUNK];

/* The response, with the token to measure among a job's fields. */
static const char HEAD[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<soapenv:Envelope "
    "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"\n"
    "                  xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"\n"
    "                  "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
    "  <soapenv:Header/>\n"
    "  <soapenv:Body>\n"
    "    <getActiveJobsReturn "
    "xmlns=\"http://www.scene7.com/IpsApi/xsd/2022-11-01-beta\">\n"
    "      <jobArray>\n"
    "        <items>\n"
    "          <companyHandle>c|2384</companyHandle>\n"
    "          <jobHandle>j|2384||upload|88120417</jobHandle>\n"
    "          ";
static const char TAIL[] =
    "\n"
    "          <type>UrlUpload</type>\n"
    "          <state>Running</state>\n"
    "          <startDate>2024-03-18T09:14:02.517-05:00</startDate>\n"
    "          <progress>40</progress>\n"
    "          <taskProgressArray>\n"
    "            <items>\n"
    "              <taskType>com.scene7.upload.UploadAsyncTaskMonitor</"
    "taskType>\n"
    "              <taskState>Processing</taskState>\n"
    "              <progress>0.4</progress>\n"
    "            </items>\n"
    "          </taskProgressArray>\n"
    "        </items>\n"
    "      </jobArray>\n"
    "    </getActiveJobsReturn>\n"
    "  </soapenv:Body>\n"
    "</soapenv:Envelope>\n";

/* A kind of token: the response holds open, `n` filler bytes, close. For
 * an element name the filler is the name, and `close` and `end` write the
 * rest of the element around a second copy of it. */
typedef struct kind {
  const char *name;
  const char *open;
  const char *close;  /* after the filler */
  const char *end;    /* after a second filler, or NULL for none */
  size_t token_start; /* bytes of `open` before the token's first byte */
} kind;

static const kind KINDS[] = {
    {"comment", "<!--", "-->", NULL, 0},
    {"pi", "<?note ", "?>", NULL, 0},
    {"attribute", "<name note=\"", "\">Spring catalog upload</name>", NULL, 0},
    {"name", "<", ">note</", ">", 0},
    {"field-text", "<description>", "</description>", NULL, 13},
    {"other-text", "<note>", "</note>", NULL, 6},
};
#define NKINDS (sizeof KINDS / sizeof KINDS[0])

/* The response's parts, in order; a part with s == NULL is n filler
 * bytes. */
typedef struct part {
  const char *s;
  size_t n;
} part;

typedef struct doc {
  part parts[7];
  size_t nparts;
  size_t token_at; /* offset of the token's first byte */
} doc;

static void
add(doc *d, const char *s, size_t n) {
  d->parts[d->nparts].s = s;
  d->parts[d->nparts].n = s != NULL ? strlen(s) : n;
  d->nparts++;
}

static void
make_doc(doc *d, const kind *k, size_t n) {
  d->nparts = 0;
  add(d, HEAD, 0);
  add(d, k->open, 0);
  d->token_at = sizeof HEAD - 1 + k->token_start;
  add(d, NULL, n);
  add(d, k->close, 0);
  if (k->end != NULL) {
    add(d, NULL, n);
    add(d, k->end, 0);
  }
  add(d, TAIL, 0);
}

/* Copies `len` bytes of the response from offset `off` into `out`;
 * returns how many there were. */
static size_t
doc_bytes(const doc *d, size_t off, char *out, size_t len) {
  size_t i, done = 0, base = 0;
  for (i = 0; i < d->nparts && done < len; i++) {
    const part *p = &d->parts[i];
    if (off + done < base + p->n) {
      size_t from = off + done - base;
      size_t take = p->n - from < len - done ? p->n - from : len - done;
      if (p->s != NULL)
        memcpy(out + done, p->s + from, take);
      else
        memset(out + done, 'a', take);
      done += take;
    }
    base += p->n;
  }
  return done;
}

/* Decodes the response fed `first` bytes, then `chunk` bytes at a time,
 * in an arena of `arena_size` bytes; fills *e. */
static tp_status
decode(const doc *d, size_t arena_size, size_t first, size_t chunk,
       tp_error *e) {
  tp_decoder *dec = (tp_decoder *)(void *)decoder_storage;
  tp_config cfg;
  tp_status s;
  size_t off = 0, n;
  tp_config_init(&cfg);
  cfg.arena = arena;
  cfg.arena_size = arena_size;
  s = tp_init(dec, &cfg);
  if (s != TP_OK) {
    memset(e, 0, sizeof *e);
    e->status = s;
    return s;
  }
  while (s == TP_OK &&
         (n = doc_bytes(d, off, feed_buf,
                        off == 0 && first > 0 ? first : chunk)) > 0) {
    s = tp_feed(dec, feed_buf, n);
    off += n;
  }
  if (s == TP_OK)
    s = tp_finish(dec);
  (void)tp_get_error(dec, e);
  tp_release(dec);
  return s;
}

/* The ways of splitting the input a limit must hold for. Expat's buffer
 * must hold the unfinished token, what it keeps before it
 * (XML_CONTEXT_BYTES) and the next slice, and it grows by doubling, the
 * old buffer freed after the new one is taken; so what a token needs
 * depends on where the slices fall around it. The splits: byte-sized
 * feeds (tp_feed gathers them), feeds of one slice starting at every
 * PHASE_STEP-th offset, and feeds of a slice and a piece (FEED + 1 to
 * 2 FEED - 1 bytes, every CHUNK_STEP-th). The worst of them is the
 * figure; measured against every chunk size from 1 to 4096 when this
 * was written, which none beat. */
#define FEED 512u
#define PHASE_STEP 8u
#define CHUNK_STEP 1u
#define NPHASES (FEED / PHASE_STEP)
#define NSPLITS (1u + NPHASES + (FEED - 1u) / CHUNK_STEP)

static void
split(size_t i, size_t *first, size_t *chunk) {
  *first = 0;
  if (i == 0) {
    *chunk = 1;
  } else if (i <= NPHASES) {
    *first = (i - 1) * PHASE_STEP;
    *chunk = FEED;
  } else {
    *chunk = FEED + 1 + (i - 1 - NPHASES) * CHUNK_STEP;
  }
}

/* Whether a token of `n` bytes decodes at the first `nsplits` splits;
 * when it does not, *e is the first failure's error. */
static int
decodes_at(const kind *k, size_t arena_size, size_t n, size_t nsplits,
           tp_error *e) {
  doc d;
  size_t i, first, chunk;
  make_doc(&d, k, n);
  for (i = 0; i < nsplits; i++) {
    split(i, &first, &chunk);
    if (decode(&d, arena_size, first, chunk, e) != TP_OK)
      return 0;
  }
  return 1;
}

static int
decodes(const kind *k, size_t arena_size, size_t n, tp_error *e) {
  return decodes_at(k, arena_size, n, NSPLITS, e);
}

/* Whether a token of `n` bytes decodes fed in slices from its first
 * byte: quicker than decodes(), and never stricter. */
static int
decodes_aligned(const kind *k, size_t arena_size, size_t n) {
  doc d;
  tp_error e;
  make_doc(&d, k, n);
  return decode(&d, arena_size, 0, FEED, &e) == TP_OK;
}

static void
put(const char *s) {
  (void)fputs(s, stdout);
}

static void
put_size(size_t v) {
  char buf[24];
  size_t i = sizeof buf;
  buf[--i] = '\0';
  do {
    buf[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  put(buf + i);
}

/* What a token of `n` bytes gets, which must be TP_ERR_NO_MEMORY at
 * every split that fails, or the limit is not about memory; writes it
 * with the range of offsets from the token's first byte. Returns 0 when
 * the splits disagree about the status. */
static int
put_too_long(const kind *k, size_t arena_size, size_t n) {
  doc d;
  tp_error e;
  tp_status st = TP_OK;
  uint64_t lo = UINT64_MAX, hi = 0;
  size_t i, first, chunk;
  make_doc(&d, k, n);
  for (i = 0; i < NSPLITS; i++) {
    split(i, &first, &chunk);
    if (decode(&d, arena_size, first, chunk, &e) == TP_OK)
      continue;
    if (st != TP_OK && e.status != st) {
      (void)fprintf(stderr,
                    "token_limits: %s of %lu bytes, arena %lu: %s at one "
                    "split, %s at another\n",
                    k->name, (unsigned long)n, (unsigned long)arena_size,
                    tp_strerror(st), tp_strerror(e.status));
      return 0;
    }
    st = e.status;
    lo = e.byte_offset < lo ? e.byte_offset : lo;
    hi = e.byte_offset > hi ? e.byte_offset : hi;
  }
  if (st == TP_ERR_NO_MEMORY && lo >= d.token_at) {
    put("no-memory+");
    put_size((size_t)(lo - d.token_at));
    if (hi != lo) {
      put("..");
      put_size((size_t)(hi - d.token_at));
    }
  } else {
    put("\"");
    put(tp_strerror(st));
    put("\"");
  }
  return 1;
}

/* Measures one kind in one arena and writes its line. Returns 0 when the
 * decodes contradict the bisection (see main). */
static int
measure(const kind *k, size_t arena_size) {
  tp_error e;
  size_t lo = 1, hi = UPPER; /* lo decodes, hi does not */
  put(k->name);
  put(" ");
  put_size(arena_size);
  put(" ");
  if (!decodes(k, arena_size, 1, &e)) {
    put("- -\n");
    return 1;
  }
  /* Bytewise and aligned: a token that is streamed is at every split. */
  if (decodes_at(k, arena_size, UPPER, 2, &e)) {
    put("streamed -\n");
    return 1;
  }
  /* The aligned split first, which bounds the answer from above; then
   * every split, within two slices and XML_CONTEXT_BYTES below it. */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (decodes_aligned(k, arena_size, mid))
      lo = mid;
    else
      hi = mid;
  }
  lo = hi > 3 * 1024 ? hi - 3 * 1024 : 1;
  if (!decodes(k, arena_size, lo, &e)) {
    (void)fprintf(stderr, "token_limits: %s, arena %lu: %lu bytes fail\n",
                  k->name, (unsigned long)arena_size, (unsigned long)lo);
    return 0;
  }
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (decodes(k, arena_size, mid, &e))
      lo = mid;
    else
      hi = mid;
  }
  put_size(lo);
  put(" ");
  if (!put_too_long(k, arena_size, hi))
    return 0;
  put("\n");
  /* The bisection assumes that a longer token never needs less memory;
   * a few lengths past the limit must fail too. */
  for (hi = lo + 2; hi < lo + 64; hi += 7)
    if (decodes(k, arena_size, hi, &e)) {
      (void)fprintf(stderr,
                    "token_limits: %s, arena %lu: %lu bytes fail but %lu "
                    "decode\n",
                    k->name, (unsigned long)arena_size, (unsigned long)lo + 1,
                    (unsigned long)hi);
      return 0;
    }
  return 1;
}

/* Expat's XML_CONTEXT_BYTES, 0 when it keeps none. */
static size_t
context_bytes(void) {
  const XML_Feature *f;
  for (f = XML_GetFeatureList(); f->feature != XML_FEATURE_END; f++)
    if (f->feature == XML_FEATURE_CONTEXT_BYTES)
      return (size_t)f->value;
  return 0;
}

int
main(int argc, char **argv) {
  size_t arenas[MAX_ARENAS];
  size_t narenas = 0, a, k;
  int i, ok = 1;
  for (i = 1; i < argc && narenas < MAX_ARENAS; i++) {
    char *end;
    unsigned long v = strtoul(argv[i], &end, 10);
    arenas[narenas++] = *end == '\0' ? (size_t)v : 0;
  }
  if (argc == 1)
    for (; narenas < sizeof DEFAULT_ARENAS / sizeof DEFAULT_ARENAS[0];
         narenas++)
      arenas[narenas] = DEFAULT_ARENAS[narenas];
  /* The defaults too: a target built with a smaller MAX_ARENA must be
   * given sizes that fit it. */
  for (a = 0; a < narenas; a++)
    if (arenas[a] == 0 || arenas[a] > MAX_ARENA || i < argc) {
      (void)fprintf(stderr,
                    "usage: token_limits [ARENA_SIZE...] (each from 1 to "
                    "%lu, at most %d)\n",
                    (unsigned long)MAX_ARENA, MAX_ARENAS);
      return 2;
    }
  put("setup ");
  put(XML_ExpatVersion());
  put(" ");
  put_size(sizeof(void *));
  put(" ");
  put_size(context_bytes());
  put(" ");
  put_size(TP_DEFAULT_SLICE);
  put(" ");
  put_size(TP_ARENA_RECOMMENDED_SIZE);
  put("\n");
  for (k = 0; k < NKINDS && ok; k++)
    for (a = 0; a < narenas && ok; a++)
      ok = measure(&KINDS[k], arenas[a]);
  return ok && fflush(stdout) == 0 ? 0 : 1;
}
