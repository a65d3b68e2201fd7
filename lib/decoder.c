/* decoder.c -- the decoder's lifecycle: init, feed, finish, reset, release,
 * and the error report. */
#include <limits.h>
#include <string.h>

#include "arena.h"

/* The caller-owned storage must hold the state, suitably aligned. */
_Static_assert(sizeof(tp_state) <= TP_DECODER_SIZE,
               "TP_DECODER_SIZE too small for the decoder state");
_Static_assert(_Alignof(tp_state) <= _Alignof(tp_decoder),
               "tp_decoder is not aligned enough for the decoder state");

_Static_assert(TP_MAX_SLICE <= INT_MAX, "expat takes lengths as int");

/* Flags tp_init() knows; any other bit is refused. */
#define TP_KNOWN_FLAGS TP_FLAG_PROMPT

void
tp_config_init(tp_config *config) {
  if (config == NULL)
    return;
  memset(config, 0, sizeof *config);
  config->max_depth = TP_DEFAULT_MAX_DEPTH;
  config->max_value_bytes = TP_DEFAULT_MAX_VALUE_BYTES;
}

/* Reading a tp_decoder through a misaligned pointer is undefined, so it is
 * refused before any byte of it is read. */
static int
misaligned(const tp_decoder *decoder) {
  return (uintptr_t)(const void *)decoder % _Alignof(tp_decoder) != 0;
}

/* The decoders whose expat call is under way on this thread, innermost
 * first (linked through tp_state.outer): tp_init() must refuse a decoder
 * that is calling back, and cannot read its storage to find out, since
 * storage handed to tp_init() is usually uninitialised. */
#if defined(TP_NO_THREAD_LOCAL)
/* Without thread-local storage a shared list would race between threads:
 * the check is left out (see tp_init in the header). */
#define TP_TRACK_CALLING 0
#else
#define TP_TRACK_CALLING 1
static _Thread_local tp_state *calling;
#endif

/* An initialised, unreleased decoder at its own address, still owning its
 * arena; NULL otherwise. `decoder` is neither NULL nor misaligned. */
static tp_state *
live_or_null(tp_decoder *decoder) {
  tp_state *st = TP_STATE(decoder);
  if (st->magic != PHASE_MAGIC || st->self != st || st->parser == NULL)
    return NULL;
  if (st->arena != NULL && tp__arena_owner(st->arena) != st)
    return NULL;
  return st;
}

static tp_state *
live_state(tp_decoder *decoder) {
  if (decoder == NULL || misaligned(decoder))
    return NULL;
  return live_or_null(decoder);
}

static tp_status
current_status(const tp_state *st) {
  return st->error.status;
}

/* Expat's range for its amplification factors, 0 meaning "expat's
 * default"; NaN fails both comparisons. */
static int
valid_factor(float f) {
  return f == 0.0f || f >= 1.0f;
}

static int
valid_config(const tp_config *config) {
  if (config->memory != NULL && config->arena != NULL)
    return 0;
  if (config->arena == NULL && config->arena_size != 0)
    return 0;
#if SIZE_MAX > UINT32_MAX
  if (config->arena_size > (size_t)UINT32_MAX)
    return 0;
#endif
  if ((config->flags & ~(unsigned)TP_KNOWN_FLAGS) != 0)
    return 0;
  if (!valid_factor(config->expat_max_amplification) ||
      !valid_factor(config->expat_alloc_max_amplification))
    return 0;
  if (config->memory != NULL &&
      (config->memory->malloc_fcn == NULL ||
       config->memory->realloc_fcn == NULL || config->memory->free_fcn == NULL))
    return 0;
  return 1;
}

/* Readies the decoder's own state and dispatch's for a new document. */
static TP_NOINLINE void
reset_document(tp_state *st) {
  st->halted = 0;
  st->input_bytes = 0;
  st->pending_len = 0;
  memset(&st->error, 0, sizeof st->error);
  tp__reset_document(st);
}

/* Creates the parser through the decoder's memory suite or in its arena. */
static XML_Parser
create_parser(tp_state *st) {
  tp_arena *saved = tp__arena_enter(st->arena);
  XML_Parser p =
      XML_ParserCreate_MM(NULL, st->has_mem ? &st->mem : NULL, TP_NS_SEP);
  tp__arena_leave(saved);
  return p;
}

/* One XML_Parse call, during which callbacks may fire: the decoder is
 * marked as calling back, so that those callbacks cannot feed, finish,
 * reset, release or initialise it. */
static enum XML_Status
call_parse(tp_state *st, const char *p, size_t n, int final) {
  enum XML_Status r;
  uint8_t phase = st->phase;
  st->phase = PHASE_CALLING;
#if TP_TRACK_CALLING
  st->outer = calling;
  calling = st;
#endif
  r = XML_Parse(st->parser, p, (int)n, final ? XML_TRUE : XML_FALSE);
#if TP_TRACK_CALLING
  calling = st->outer;
#endif
  st->phase = phase;
  return r;
}

/* Whether `st`, or a decoder using the arena at `arena` (NULL: none), is
 * calling back on this thread. Only the list is read, never `st`. */
static int
is_calling_back(const tp_state *st, const tp_arena *arena) {
#if TP_TRACK_CALLING
  const tp_state *c;
  for (c = calling; c != NULL; c = c->outer)
    if (c == st || (arena != NULL && c->arena == arena))
      return 1;
#else
  (void)st;
  (void)arena;
#endif
  return 0;
}

tp_status
tp_init(tp_decoder *decoder, const tp_config *config) {
  tp_state *st;
  if (decoder == NULL || config == NULL || misaligned(decoder) ||
      !valid_config(config))
    return TP_ERR_ARGUMENT;
  st = TP_STATE(decoder);
  if (is_calling_back(
          st, config->arena != NULL ? tp__arena_header(config->arena) : NULL))
    return TP_ERR_STATE;
  memset(st, 0, sizeof *st);
  if (config->arena != NULL) {
    st->arena = tp__arena_init(config->arena, config->arena_size);
    if (st->arena == NULL)
      return TP_ERR_NO_MEMORY;
    tp__arena_suite(&st->mem);
    st->has_mem = 1;
  } else if (config->memory != NULL) {
    const tp_memory_suite *m = config->memory;
    st->mem.malloc_fcn = m->malloc_fcn;
    st->mem.realloc_fcn = m->realloc_fcn;
    st->mem.free_fcn = m->free_fcn;
    st->has_mem = 1;
  }
  st->cb = config->callbacks;
  st->user_data = config->user_data;
  st->flags = config->flags;
  st->depth_limit = config->max_depth == 0 ? ULONG_MAX : config->max_depth;
  st->value_limit =
      config->max_value_bytes == 0 ? SIZE_MAX : config->max_value_bytes;
  st->max_input_bytes = config->max_input_bytes;
  st->expat_max_amplification = config->expat_max_amplification;
  st->expat_amplification_threshold = config->expat_amplification_threshold;
  st->expat_alloc_max_amplification = config->expat_alloc_max_amplification;
  st->expat_alloc_threshold = config->expat_alloc_threshold;
  if (config->max_slice != 0)
    st->slice = config->max_slice;
  else
    st->slice = st->arena != NULL ? TP_DEFAULT_SLICE : TP_DEFAULT_HEAP_SLICE;
  if (st->slice > TP_MAX_SLICE)
    st->slice = TP_MAX_SLICE;
  st->parser = create_parser(st);
  if (st->parser == NULL)
    return TP_ERR_NO_MEMORY;
  tp__install_handlers(st);
  reset_document(st);
  if (st->arena != NULL)
    tp__arena_set_owner(st->arena, st);
  st->self = st;
  st->magic = PHASE_MAGIC;
  st->phase = PHASE_FEEDING;
  return TP_OK;
}

/* Whether the arena refused an allocation during this document. */
static int
arena_refused(const tp_state *st) {
  return st->arena != NULL &&
         tp__arena_failures(st->arena) != st->arena_failures_base;
}

void
tp__set_error(tp_state *st, tp_status status) {
  XML_Index at;
  if (st->halted)
    return;
  st->error.status = status;
  st->error.line = (unsigned long)XML_GetCurrentLineNumber(st->parser);
  st->error.column = (unsigned long)XML_GetCurrentColumnNumber(st->parser);
  at = XML_GetCurrentByteIndex(st->parser);
  st->error.byte_offset = at < 0 ? 0u : (uint64_t)at;
  st->halted = 1;
  /* From a handler: expat stops at the end of the current event, not at
   * once, so handlers check `halted` first. */
  if (st->phase == PHASE_CALLING)
    (void)XML_StopParser(st->parser, XML_FALSE);
}

/* Expat's errors that, at the final call, only mean "the input stopped
 * too early". */
static int
is_truncation(enum XML_Error code) {
  return code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
         code == XML_ERROR_PARTIAL_CHAR ||
         code == XML_ERROR_UNCLOSED_CDATA_SECTION;
}

/* Copies expat's message into `dst` (`size` bytes, at least 8). One that
 * does not fit is cut after a whole word and ends in "...": a message cut
 * mid-word reads as a different one. */
static void
copy_message(char *dst, size_t size, const char *msg) {
  size_t n = strlen(msg), keep;
  if (n < size) {
    memcpy(dst, msg, n + 1u);
    return;
  }
  keep = size - 4u; /* room for "..." and the NUL */
  while (keep > 0 && msg[keep] != ' ')
    keep--;
  if (keep == 0) {
    /* One long word: cut it, but not inside a UTF-8 sequence. */
    keep = size - 4u;
    while (keep > 0 && ((unsigned char)msg[keep] & 0xC0u) == 0x80u)
      keep--;
  }
  memcpy(dst, msg, keep);
  memcpy(dst + keep, "...", 4);
}

/* Turns expat's verdict on a failed XML_Parse into ours, unless one of our
 * handlers already recorded why it stopped the parser. */
static void
record_expat_error(tp_state *st, int final) {
  enum XML_Error code;
  tp_status status = TP_ERR_XML;
  const XML_LChar *msg;
  if (st->halted)
    return;
  code = XML_GetErrorCode(st->parser);
  if (code == XML_ERROR_NO_MEMORY || arena_refused(st)) {
    /* Expat does not check every allocation (2.5.0 to 2.8.x: a refused
     * prefix binding turns into "unbound prefix" later); once the arena
     * said no, the error is the arena's. */
    status = TP_ERR_NO_MEMORY;
  } else if (final && is_truncation(code)) {
    /* These only mean "the input stopped too early" at the final call. */
    status = TP_ERR_TRUNCATED;
  }
  tp__set_error(st, status);
  msg = XML_ErrorString(code);
  if (status == TP_ERR_XML && msg != NULL)
    copy_message(st->error.detail, sizeof st->error.detail, msg);
}

/* Hands bytes to expat in slices of at most st->slice. */
static void
parse_slices(tp_state *st, const char *p, size_t len) {
  tp_arena *saved = tp__arena_enter(st->arena);
  while (len > 0 && !st->halted) {
    size_t n = len < st->slice ? len : st->slice;
    if (call_parse(st, p, n, 0) == XML_STATUS_ERROR) {
      record_expat_error(st, 0);
      break;
    }
    p += n;
    len -= n;
  }
  tp__arena_leave(saved);
}

static void
flush_pending(tp_state *st) {
  size_t n = st->pending_len;
  st->pending_len = 0;
  if (n > 0)
    parse_slices(st, st->pending, n);
}

/* Takes the bytes: small feeds are gathered in `pending` first (outside
 * prompt mode), because expat pays a fixed cost per call that would
 * dominate at one byte per feed; events then fire up to
 * TP_COALESCE_BYTES later, which reparse deferral allows anyway. */
static void
take_bytes(tp_state *st, const char *p, size_t len) {
  if ((st->flags & TP_FLAG_PROMPT) == 0 && len < TP_COALESCE_BYTES) {
    size_t room = TP_COALESCE_BYTES - st->pending_len;
    size_t n = len < room ? len : room;
    memcpy(st->pending + st->pending_len, p, n);
    st->pending_len = (uint16_t)(st->pending_len + n);
    p += n;
    len -= n;
    if (st->pending_len < TP_COALESCE_BYTES)
      return;
    flush_pending(st);
    if (len > 0 && !st->halted) {
      memcpy(st->pending, p, len);
      st->pending_len = (uint16_t)len;
    }
    return;
  }
  flush_pending(st);
  if (!st->halted)
    parse_slices(st, p, len);
}

/* The input limit is reached: everything up to it is parsed as if the
 * input ended there, so that events expat deferred fire (what fires must
 * not depend on how the input was split), then decoding stops with the
 * limit's error unless an earlier error came first. Expat's own verdict on
 * the cut document (unclosed elements) is not the news. */
static void
stop_at_input_limit(tp_state *st) {
  tp_arena *saved;
  flush_pending(st);
  if (st->halted)
    return;
  saved = tp__arena_enter(st->arena);
  if (call_parse(st, "", 0, 1) == XML_STATUS_ERROR &&
      !is_truncation(XML_GetErrorCode(st->parser))) {
    /* A real error inside the allowed bytes, which a non-final parse may
     * not have seen yet: it comes first. */
    record_expat_error(st, 0);
  }
  tp__arena_leave(saved);
  if (st->halted)
    return;
  tp__set_error(st, TP_ERR_INPUT_TOO_LARGE);
  /* Expat stands at the end of what it was given; the limit is where the
   * input was cut. */
  st->error.byte_offset = st->max_input_bytes;
}

/* tp_feed for everything but the small feeds it only gathers (not cold:
 * in prompt mode every feed comes here). Argument errors come first, then
 * state errors, then the status the decoder keeps. */
static TP_NOINLINE tp_status
feed(tp_decoder *decoder, const void *data, size_t len) {
  tp_state *st;
  size_t allowed = len;
  if (decoder == NULL || misaligned(decoder) || (data == NULL && len > 0))
    return TP_ERR_ARGUMENT;
  st = live_or_null(decoder);
  if (st == NULL || st->phase != PHASE_FEEDING)
    return TP_ERR_STATE;
  if (st->halted)
    return current_status(st);
  if (st->max_input_bytes != 0 && len > st->max_input_bytes - st->input_bytes)
    allowed = (size_t)(st->max_input_bytes - st->input_bytes);
  st->input_bytes += allowed;
  if (allowed > 0)
    take_bytes(st, (const char *)data, allowed);
  if (allowed < len && !st->halted)
    stop_at_input_limit(st);
  return current_status(st);
}

tp_status
tp_feed(tp_decoder *decoder, const void *data, size_t len) {
  tp_state *st = live_state(decoder);
  /* A feed that only joins the gathered bytes (see take_bytes), as one
   * byte at a time does: the checks of feed() that can fail here, then
   * the copy, with nothing else on the way. */
  if (st != NULL && st->phase == PHASE_FEEDING && !st->halted && data != NULL &&
      (st->flags & TP_FLAG_PROMPT) == 0 &&
      len < TP_COALESCE_BYTES - st->pending_len &&
      (st->max_input_bytes == 0 ||
       len <= st->max_input_bytes - st->input_bytes)) {
    if (len == 1)
      st->pending[st->pending_len] = *(const char *)data;
    else
      memcpy(st->pending + st->pending_len, data, len);
    st->pending_len = (uint16_t)(st->pending_len + len);
    st->input_bytes += len;
    return current_status(st);
  }
  return feed(decoder, data, len);
}

/* The state behind a decoder that may finish or reset now, or NULL with
 * the status to return. */
static tp_state *
idle_state(tp_decoder *decoder, tp_status *why) {
  tp_state *st;
  if (decoder == NULL || misaligned(decoder)) {
    *why = TP_ERR_ARGUMENT;
    return NULL;
  }
  st = live_or_null(decoder);
  if (st == NULL || st->phase == PHASE_CALLING) {
    *why = TP_ERR_STATE;
    return NULL;
  }
  return st;
}

tp_status
tp_finish(tp_decoder *decoder) {
  tp_status why;
  tp_state *st = idle_state(decoder, &why);
  if (st == NULL)
    return why;
  if (st->phase == PHASE_FINISHED || st->halted) {
    st->phase = PHASE_FINISHED;
    return current_status(st);
  }
  st->phase = PHASE_FINISHED;
  flush_pending(st);
  if (st->halted)
    return current_status(st);
  {
    tp_arena *saved = tp__arena_enter(st->arena);
    if (call_parse(st, "", 0, 1) == XML_STATUS_ERROR)
      record_expat_error(st, 1);
    tp__arena_leave(saved);
  }
  return current_status(st);
}

/* Frees the parser through the memory it came from. An arena holds all of
 * expat's memory, and freeing it is all XML_ParserFree does: emptying the
 * arena at once leaves it as freeing block by block would, for a few
 * instructions instead of ~13,000 per parser. */
static void
free_parser(tp_state *st) {
  if (st->arena != NULL) {
    tp__arena_clear(st->arena);
  } else {
    XML_ParserFree(st->parser);
  }
  st->parser = NULL;
}

tp_status
tp_reset(tp_decoder *decoder) {
  tp_status why;
  tp_state *st = idle_state(decoder, &why);
  if (st == NULL)
    return why;
  if (st->arena != NULL) {
    /* XML_ParserReset keeps blocks and grown tables, and the next document
     * allocates around them: an arena then needs more after every reset
     * than for a first document. A new parser in the emptied arena places
     * every block as tp_init() did. */
    free_parser(st);
    st->parser = create_parser(st);
    if (st->parser == NULL) {
      /* Not expected: the arena held this parser before. */
      st->magic = 0;
      st->phase = PHASE_UNINIT;
      return TP_ERR_NO_MEMORY;
    }
  } else {
    /* XML_ParserReset keeps the parser's memory but clears every handler,
     * the user data and the deferral setting: install them again. */
    XML_Bool ok = XML_ParserReset(st->parser, NULL);
    if (!ok)
      return TP_ERR_INTERNAL;
  }
  tp__install_handlers(st);
  reset_document(st);
  if (st->arena != NULL)
    st->arena_failures_base = tp__arena_failures(st->arena);
  st->phase = PHASE_FEEDING;
  return TP_OK;
}

void
tp_release(tp_decoder *decoder) {
  tp_state *st;
  if (decoder == NULL || misaligned(decoder))
    return;
  st = TP_STATE(decoder);
  if (st->magic != PHASE_MAGIC || st->self != st || st->parser == NULL ||
      st->phase == PHASE_CALLING)
    return;
  /* An arena another decoder took over holds that decoder's parser now:
   * ours is gone with nothing to free. */
  if (st->arena == NULL || tp__arena_owner(st->arena) == st) {
    free_parser(st);
    if (st->arena != NULL)
      tp__arena_set_owner(st->arena, NULL);
  }
  st->parser = NULL;
  st->magic = 0;
  st->phase = PHASE_UNINIT;
}

/* The state behind a const decoder for the read-only calls, or NULL with
 * the status to return. */
static const tp_state *
readable_state(const tp_decoder *decoder, tp_status *why) {
  const tp_state *st;
  if (decoder == NULL || misaligned(decoder)) {
    *why = TP_ERR_ARGUMENT;
    return NULL;
  }
  st = live_or_null((tp_decoder *)(uintptr_t)decoder);
  *why = st == NULL ? TP_ERR_STATE : TP_OK;
  return st;
}

tp_status
tp_get_error(const tp_decoder *decoder, tp_error *error) {
  tp_status why;
  const tp_state *st = readable_state(decoder, &why);
  if (st == NULL) {
    if (error != NULL) {
      memset(error, 0, sizeof *error);
      error->status = why;
    }
    return why;
  }
  if (error != NULL)
    *error = st->error;
  return st->error.status;
}

tp_status
tp_get_memory_stats(const tp_decoder *decoder, tp_memory_stats *stats) {
  tp_status why;
  const tp_state *st;
  if (stats == NULL)
    return TP_ERR_ARGUMENT;
  memset(stats, 0, sizeof *stats);
  st = readable_state(decoder, &why);
  if (st == NULL)
    return why;
  if (st->arena != NULL)
    tp__arena_stats(st->arena, stats);
  return TP_OK;
}
