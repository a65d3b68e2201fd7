/* feed.c -- the input: tp_feed() and tp_finish() hand the bytes to expat,
 * gathering small feeds, slicing large ones and stopping at the input
 * limit, and turn expat's own verdicts into statuses. */
#include <string.h>

#include "arena.h"

/* Whether the arena refused an allocation during this document. */
static int
arena_refused(const tp_state *st) {
  return st->feed.arena != NULL &&
         tp__arena_failures(st->feed.arena) != st->feed.arena_failures_base;
}

/* Expat's errors that, at the final call, only mean "the input stopped
 * too early". */
static int
is_truncation(enum XML_Error code) {
  return code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
         code == XML_ERROR_PARTIAL_CHAR ||
         code == XML_ERROR_UNCLOSED_CDATA_SECTION;
}

/* Turns expat's verdict on a failed XML_Parse into ours, unless one of our
 * handlers already recorded why it stopped the parser. */
static void
record_expat_error(tp_state *st, int final) {
  enum XML_Error code;
  const char *msg;
  if (st->feed.halted)
    return;
  code = XML_GetErrorCode(st->feed.parser);
  if (code == XML_ERROR_NO_MEMORY || arena_refused(st)) {
    /* Expat does not check every allocation (2.5.0 to 2.8.x: a refused
     * prefix binding turns into "unbound prefix" later); once the arena
     * said no, the error is the arena's. */
    tp__fail_no_memory(st);
  } else if (final && is_truncation(code)) {
    tp__fail_status(st, TP_ERR_TRUNCATED);
  } else if (st->doc.seen_root || !tp__html_prolog(st, code)) {
    msg = XML_ErrorString(code);
    if (msg == NULL)
      msg = "";
    tp__fail(st, TP_ERR_XML, -1, msg, strlen(msg), TP_DETAIL_WORDS);
  }
}

/* Hands bytes to expat in slices of at most the configured slice; `final`
 * marks the last of them (len 0: only the end of input). Returns whether
 * expat refused them; the caller says what that means. */
static int
parse(tp_state *st, const char *p, size_t len, int final) {
  int refused = 0;
  tp_call c = tp__enter(st);
  do {
    const size_t n = len < st->set.slice ? len : st->set.slice;
    const XML_Bool last = final && n == len ? XML_TRUE : XML_FALSE;
    if (XML_Parse(st->feed.parser, p, (int)n, last) == XML_STATUS_ERROR) {
      refused = 1;
      break;
    }
    p += n;
    len -= n;
  } while (len > 0 && !st->feed.halted);
  tp__leave(st, c);
  return refused;
}

static void
flush_pending(tp_state *st) {
  size_t n = st->feed.pending_len;
  st->feed.pending_len = 0;
  if (n > 0 && parse(st, st->feed.pending, n, 0))
    record_expat_error(st, 0);
}

/* Takes the bytes, small ones gathered in `pending` first (outside prompt
 * mode; see TP_COALESCE_BYTES): their events then fire up to
 * TP_COALESCE_BYTES later, which reparse deferral allows anyway. */
static void
take_bytes(tp_state *st, const char *p, size_t len) {
  tp_feeding *f = &st->feed;
  if ((st->set.flags & TP_FLAG_PROMPT) == 0 && len < TP_COALESCE_BYTES) {
    size_t room = TP_COALESCE_BYTES - f->pending_len;
    size_t n = len < room ? len : room;
    memcpy(f->pending + f->pending_len, p, n);
    f->pending_len = (uint16_t)(f->pending_len + n);
    if (f->pending_len < TP_COALESCE_BYTES)
      return;
    flush_pending(st);
    if (len > n && !f->halted) {
      memcpy(f->pending, p + n, len - n);
      f->pending_len = (uint16_t)(len - n);
    }
    return;
  }
  flush_pending(st);
  if (!f->halted && parse(st, p, len, 0))
    record_expat_error(st, 0);
}

/* The input limit is reached: everything up to it is parsed as if the
 * input ended there, so that events expat deferred fire (what fires must
 * not depend on how the input was split), then decoding stops with the
 * limit's error unless an earlier error came first. Expat's own verdict on
 * the cut document (unclosed elements) is not the news. */
static void
stop_at_input_limit(tp_state *st) {
  flush_pending(st);
  if (st->feed.halted)
    return;
  if (parse(st, "", 0, 1) &&
      !is_truncation(XML_GetErrorCode(st->feed.parser))) {
    /* A real error inside the allowed bytes, which a non-final parse may
     * not have seen yet: it comes first. */
    record_expat_error(st, 0);
  }
  tp__fail_status(st, TP_ERR_INPUT_TOO_LARGE);
}

tp_status
tp_feed(tp_decoder *decoder, const void *data, size_t len) {
  tp_status why;
  tp_state *st;
  size_t allowed = len;
  if (data == NULL && len > 0)
    return TP_ERR_ARGUMENT;
  st = tp__find(decoder, &why, TP_FIND_FEEDING);
  if (st == NULL)
    return why;
  if (st->feed.halted)
    return st->error.status;
  if (st->set.max_input_bytes != 0 &&
      len > st->set.max_input_bytes - st->feed.input_bytes)
    allowed = (size_t)(st->set.max_input_bytes - st->feed.input_bytes);
  st->feed.input_bytes += allowed;
  if (allowed > 0)
    take_bytes(st, (const char *)data, allowed);
  if (allowed < len && !st->feed.halted)
    stop_at_input_limit(st);
  return st->error.status;
}

tp_status
tp_finish(tp_decoder *decoder) {
  tp_status why;
  tp_state *st = tp__find(decoder, &why, TP_FIND_IDLE);
  if (st == NULL)
    return why;
  if (st->feed.phase == PHASE_FEEDING && !st->feed.halted) {
    flush_pending(st);
    if (!st->feed.halted && parse(st, "", 0, 1))
      record_expat_error(st, 1);
  }
  st->feed.phase = PHASE_FINISHED;
  return st->error.status;
}
