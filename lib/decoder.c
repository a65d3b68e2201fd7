/* decoder.c -- the decoder's lifecycle: configuration, the expat parser's
 * set-up, init, reset and release, and the one way in to a decoder's
 * state. Feeding is feed.c's, the error record error.c's. */
#include <limits.h>
#include <string.h>

#include "arena.h"

/* The caller-owned storage must hold the state, suitably aligned, with
 * the headroom the size policy keeps (internal.h). */
_Static_assert(sizeof(tp_state) + TP_DECODER_HEADROOM <= TP_DECODER_SIZE,
               "the decoder state eats into TP_DECODER_SIZE's headroom");
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

/* Reading through a misaligned pointer is undefined, so it is refused
 * before any byte is read. */
static int
misaligned(const tp_decoder *decoder) {
  return (uintptr_t)(const void *)decoder % _Alignof(tp_decoder) != 0;
}

tp_state *
tp__find(const tp_decoder *decoder, tp_status *why, unsigned need) {
  tp_state *st;
  if (decoder == NULL || misaligned(decoder)) {
    *why = TP_ERR_ARGUMENT;
    return NULL;
  }
  /* The library's own pointer, const only in the read-only calls. */
  st = TP_STATE((tp_decoder *)(uintptr_t)decoder);
  *why = TP_ERR_STATE;
  if (st->feed.magic != PHASE_MAGIC || st->feed.self != st ||
      st->feed.parser == NULL)
    return NULL;
  /* An arena another tp_init() took over holds that decoder's parser. */
  if (st->feed.arena != NULL && tp__arena_owner(st->feed.arena) != st)
    return NULL;
  if ((need == TP_FIND_IDLE && st->feed.phase == PHASE_CALLING) ||
      (need == TP_FIND_FEEDING && st->feed.phase != PHASE_FEEDING))
    return NULL;
  *why = TP_OK;
  return st;
}

tp_call
tp__enter(tp_state *st) {
  tp_call c;
  c.phase = st->feed.phase;
  c.saved = tp__arena_enter(st->feed.arena);
  st->feed.phase = PHASE_CALLING;
  return c;
}

tp_status
tp__leave(tp_state *st, tp_call c) {
  tp_status s = TP_OK;
  st->feed.phase = c.phase;
  if (!tp__arena_leave(st->feed.arena, c.saved)) {
    /* Expat may hold blocks of another decoder's arena: this document
     * ends here, and tp_reset() empties the arena for the next. */
    static const char why[] =
        "another decoder used the arena slot during this call";
    tp__fail(st, TP_ERR_STATE, -1, why, sizeof why - 1, TP_DETAIL_WORDS);
    s = TP_ERR_STATE;
  }
  return s;
}

/* Expat's range for its amplification factors, 0 meaning "expat's
 * default"; NaN fails both comparisons. */
static int
valid_factor(float f) {
  return f == 0.0f || f >= 1.0f;
}

static int
valid_config(const tp_config *config) {
  const tp_memory_suite *m = config->memory;
  if (m != NULL && config->arena != NULL)
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
  return m == NULL || (m->malloc_fcn != NULL && m->realloc_fcn != NULL &&
                       m->free_fcn != NULL);
}

static void
keep_settings(tp_settings *s, const tp_config *config, int arena) {
  s->cb = config->callbacks;
  s->user_data = config->user_data;
  s->memory = config->memory;
  s->flags = config->flags;
  s->depth_limit = config->max_depth == 0 ? ULONG_MAX : config->max_depth;
  s->value_limit =
      config->max_value_bytes == 0 ? SIZE_MAX : config->max_value_bytes;
  s->max_input_bytes = config->max_input_bytes;
  s->expat_max_amplification = config->expat_max_amplification;
  s->expat_amplification_threshold = config->expat_amplification_threshold;
  s->expat_alloc_max_amplification = config->expat_alloc_max_amplification;
  s->expat_alloc_threshold = config->expat_alloc_threshold;
  s->slice = config->max_slice != 0 ? config->max_slice
             : arena                ? TP_DEFAULT_SLICE
                                    : TP_DEFAULT_HEAP_SLICE;
  if (s->slice > TP_MAX_SLICE)
    s->slice = TP_MAX_SLICE;
}

/* Gives the parser our handlers and the caller's settings: after it is
 * created, and after XML_ParserReset, which clears them all. */
static void
install_handlers(tp_state *st) {
  const XML_Parser p = st->feed.parser;
  const tp_settings *s = &st->set;
  XML_SetUserData(p, st);
  XML_SetElementHandler(p, tp__on_start, tp__on_end);
  XML_SetCharacterDataHandler(p, tp__on_text);
  XML_SetStartDoctypeDeclHandler(p, tp__on_doctype);
#ifdef HAVE_XML_SETREPARSEDEFERRALENABLED
  if (s->flags & TP_FLAG_PROMPT)
    (void)XML_SetReparseDeferralEnabled(p, XML_FALSE);
#endif
    /* Expat refuses values out of its own range; keep its default then. */
#ifdef HAVE_XML_SETBILLIONLAUGHSATTACKPROTECTIONMAXIMUMAMPLIFICATION
  if (s->expat_max_amplification > 0.0f)
    (void)XML_SetBillionLaughsAttackProtectionMaximumAmplification(
        p, s->expat_max_amplification);
  if (s->expat_amplification_threshold > 0)
    (void)XML_SetBillionLaughsAttackProtectionActivationThreshold(
        p, (unsigned long long)s->expat_amplification_threshold);
#endif
#ifdef HAVE_XML_SETALLOCTRACKERMAXIMUMAMPLIFICATION
  if (s->expat_alloc_max_amplification > 0.0f)
    (void)XML_SetAllocTrackerMaximumAmplification(
        p, s->expat_alloc_max_amplification);
  if (s->expat_alloc_threshold > 0)
    (void)XML_SetAllocTrackerActivationThreshold(
        p, (unsigned long long)s->expat_alloc_threshold);
#endif
  (void)s;
}

/* Readies everything but the parser for a new document: each part's
 * owner resets its own part (the value part is set afresh by each
 * field). */
static void
begin_document(tp_state *st) {
  tp__clear_error(st);
  st->feed.input_bytes = 0;
  st->feed.pending_len = 0;
  if (st->feed.arena != NULL)
    st->feed.arena_failures_base = tp__arena_failures(st->feed.arena);
  tp__document_reset(&st->doc);
  install_handlers(st);
}

/* Creates the parser through the caller's memory suite or in the arena:
 * TP_OK, TP_ERR_NO_MEMORY, or TP_ERR_STATE (tp__leave). */
static tp_status
create_parser(tp_state *st) {
  XML_Memory_Handling_Suite suite, *ms = NULL;
  tp_call c;
  if (st->feed.arena != NULL) {
    tp__arena_suite(&suite);
    ms = &suite;
  } else if (st->set.memory != NULL) {
    suite.malloc_fcn = st->set.memory->malloc_fcn;
    suite.realloc_fcn = st->set.memory->realloc_fcn;
    suite.free_fcn = st->set.memory->free_fcn;
    ms = &suite;
  }
  c = tp__enter(st);
  st->feed.parser = XML_ParserCreate_MM(NULL, ms, TP_NS_SEP);
  if (tp__leave(st, c) != TP_OK)
    return TP_ERR_STATE;
  return st->feed.parser != NULL ? TP_OK : TP_ERR_NO_MEMORY;
}

tp_status
tp_init(tp_decoder *decoder, const tp_config *config) {
  tp_state *st;
  tp_status s;
  if (decoder == NULL || config == NULL || misaligned(decoder) ||
      !valid_config(config))
    return TP_ERR_ARGUMENT;
#ifndef HAVE_XML_SETREPARSEDEFERRALENABLED
  /* Accepting the flag and doing nothing would let a caller rely on
   * callbacks that may come a feed late (TP_FLAG_PROMPT). */
  if (config->flags & TP_FLAG_PROMPT)
    return TP_ERR_UNSUPPORTED;
#endif
  /* The storage is not read: it is usually uninitialised (see tp_init in
   * the header for what that cannot catch). */
  st = TP_STATE(decoder);
  memset(st, 0, sizeof *st);
  if (config->arena != NULL) {
    st->feed.arena = tp__arena_init(config->arena, config->arena_size);
    if (st->feed.arena == NULL)
      return TP_ERR_NO_MEMORY;
  }
  keep_settings(&st->set, config, st->feed.arena != NULL);
  s = create_parser(st);
  if (s != TP_OK)
    return s;
  begin_document(st);
  if (st->feed.arena != NULL)
    tp__arena_set_owner(st->feed.arena, st);
  st->feed.self = st;
  st->feed.magic = PHASE_MAGIC;
  st->feed.phase = PHASE_FEEDING;
  return TP_OK;
}

/* Frees the parser through the memory it came from. An arena holds all of
 * expat's memory, and freeing it is all XML_ParserFree does: emptying the
 * arena at once leaves it as freeing block by block would, for a few
 * instructions instead of ~13,000 per parser. */
static void
free_parser(tp_state *st) {
  if (st->feed.arena != NULL) {
    tp__arena_clear(st->feed.arena);
  } else {
    tp_call c = tp__enter(st);
    XML_ParserFree(st->feed.parser);
    tp__leave(st, c);
  }
  st->feed.parser = NULL;
}

tp_status
tp_reset(tp_decoder *decoder) {
  tp_status why;
  tp_state *st = tp__find(decoder, &why, TP_FIND_IDLE);
  if (st == NULL)
    return why;
  if (st->feed.arena != NULL) {
    /* XML_ParserReset keeps blocks and grown tables, and the next document
     * allocates around them: an arena then needs more after every reset
     * than for a first document. A new parser in the emptied arena places
     * every block as tp_init() did. */
    free_parser(st);
    why = create_parser(st);
    if (why != TP_OK) {
      /* Not expected: the arena held this parser before. */
      st->feed.magic = 0;
      st->feed.phase = PHASE_UNINIT;
      return why;
    }
  } else {
    tp_call c = tp__enter(st);
    XML_Bool ok = XML_ParserReset(st->feed.parser, NULL);
    tp__leave(st, c);
    if (!ok)
      return TP_ERR_INTERNAL;
  }
  begin_document(st);
  st->feed.phase = PHASE_FEEDING;
  return TP_OK;
}

void
tp_release(tp_decoder *decoder) {
  tp_status why;
  tp_state *st = tp__find(decoder, &why, TP_FIND_IDLE);
  if (st == NULL)
    return;
  free_parser(st);
  if (st->feed.arena != NULL)
    tp__arena_set_owner(st->feed.arena, NULL);
  st->feed.magic = 0;
  st->feed.phase = PHASE_UNINIT;
}

tp_status
tp_get_memory_stats(const tp_decoder *decoder, tp_memory_stats *stats) {
  tp_status why;
  const tp_state *st;
  if (stats == NULL)
    return TP_ERR_ARGUMENT;
  memset(stats, 0, sizeof *stats);
  st = tp__find(decoder, &why, TP_FIND_ANY);
  if (st != NULL && st->feed.arena != NULL)
    tp__arena_stats(st->feed.arena, stats);
  return why;
}
