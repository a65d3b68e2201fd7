/* internal.h -- the decoder's private state and the functions the library's
 * files share. Nothing here is part of the public API. */
#ifndef TP_INTERNAL_H
#define TP_INTERNAL_H

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

/* expat.h declares its amplification controls only under XML_DTD, which
 * the library itself is built with (upstream's and Debian's default). */
#ifndef XML_DTD
#define XML_DTD 1
#endif
#include <expat.h>

#include "taskprogress.h"
#include "values.h"

/* Inlining decides most of the hot path's cost, and compilers' own
 * choices shift with every edit: the handlers' helpers say what they
 * want. Not when optimising for size (-Os: forced inlining made the
 * Cortex-M4 build half as large again), and plain inline / nothing where
 * the extension is missing. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(__OPTIMIZE_SIZE__)
#define TP_HOT_INLINE inline __attribute__((always_inline))
#else
#define TP_HOT_INLINE inline
#endif
#if defined(__GNUC__) || defined(__clang__)
#define TP_NOINLINE __attribute__((noinline))
#define TP_COLD __attribute__((noinline, cold))
#else
#define TP_NOINLINE
#define TP_COLD
#endif

/* What an open element means to us. Every element we understand gets one
 * of these on the role stack; everything else is skipped with a counter. */
typedef enum tp_role {
  ROLE_DOCUMENT = 0, /* below the root: nothing open yet */
  ROLE_ENVELOPE,
  ROLE_BODY,
  ROLE_RETURN, /* getActiveJobsReturn */
  ROLE_JOB_ARRAY,
  ROLE_JOB,
  ROLE_TASK_ARRAY,
  ROLE_TASK,
  ROLE_ITEM_ARRAY,
  ROLE_ITEM,
  ROLE_FIELD, /* a field we decode; which one is in `field` */
  ROLE_FAULT,
  ROLE_FAULT_CODE,   /* SOAP 1.2 Code: its Value is the faultcode */
  ROLE_FAULT_REASON, /* SOAP 1.2 Reason: its first Text is the faultstring */
  ROLE_FAULT_DETAIL, /* detail / Detail */
  ROLE_FAULT_IPS     /* ipsApiFault | authenticationFault | ... */
} tp_role;

/* Envelope, Body, array, record, field: the deepest path we decode is
 * Envelope/Body/getActiveJobsReturn/jobArray/items/taskProgressArray/items/
 * taskItemProgressArray/items/field, ten levels. */
#define TP_MAX_ROLE_DEPTH 12

/* Feeds shorter than this are gathered into one expat call (outside prompt
 * mode): expat's cost per call would otherwise dominate one-byte feeds. */
#define TP_COALESCE_BYTES 256u

/* Decoder lifecycle. */
enum {
  PHASE_UNINIT = 0,    /* never initialised, or released */
  PHASE_FEEDING,       /* accepting input */
  PHASE_FINISHED,      /* tp_finish() was called */
  PHASE_CALLING,       /* inside expat, which may be calling back: the caller's
                        * callbacks must not feed, finish, reset, release or
                        * initialise this decoder */
  PHASE_MAGIC = 0x7470 /* stored in `magic` to recognise an initialised one */
};

/* Expat joins an element's namespace URI and local name with this, as
 * the string XML_ParserCreate_MM takes; a local name never contains it. */
#define TP_NS_SEP "\n"

/* A caller-provided block serving expat's memory: see arena.h. */
typedef struct tp_arena tp_arena;

typedef struct tp_state {
  /* The state's own address, set by tp_init(): a decoder copied elsewhere,
   * or storage that only happens to hold `magic`, does not match it. */
  const struct tp_state *self;
  /* The decoder whose expat call was under way on this thread when this
   * one's began (decoder.c keeps the list). */
  struct tp_state *outer;
  XML_Parser parser;
  tp_arena *arena; /* NULL: expat uses `mem` or malloc */
  unsigned long
      arena_failures_base; /* tp__arena_failures() when the document began */
  size_t slice;            /* the most bytes one XML_Parse call gets */
  /* Limits and what they count. */
  unsigned long depth_limit; /* max_depth, or ULONG_MAX for none */
  size_t value_limit;        /* max_value_bytes, or SIZE_MAX for none */
  uint64_t max_input_bytes;  /* 0: none */
  uint64_t input_bytes;      /* fed so far */
  /* Small feeds gathered before they reach expat (see take_bytes). */
  uint16_t pending_len;
  char pending[TP_COALESCE_BYTES];
  size_t value_room; /* bytes the typed value being read may still have */
  float expat_max_amplification;
  uint64_t expat_amplification_threshold;
  float expat_alloc_max_amplification;
  uint64_t expat_alloc_threshold;
  const tp_callbacks *cb;
  void *user_data;
  unsigned flags;
  XML_Memory_Handling_Suite mem;
  int has_mem;

  uint16_t magic;
  uint8_t phase;
  /* Set once a callback stopped decoding or an error was recorded: expat's
   * XML_StopParser is not immediate, so every handler checks this first and
   * no callback ever follows a stop or an error. */
  uint8_t halted;

  /* Document structure. */
  uint8_t seen_body;
  uint8_t seen_payload; /* getActiveJobsReturn or Fault inside the Body */
  uint8_t soap12;
  uint8_t fault_text_seen;  /* a SOAP 1.2 Reason/Text was delivered */
  uint8_t fault_value_seen; /* a SOAP 1.2 Code/Value was delivered */

  /* Role stack; skip_depth counts open elements inside a skipped one. */
  uint8_t depth;
  uint8_t roles[TP_MAX_ROLE_DEPTH];
  uint8_t in_field; /* the top role is ROLE_FIELD: text is a value */
  /* Length of the IPS namespace URI the last IPS element had (0: none
   * yet): where the next one's local name probably starts. A hint only. */
  uint8_t ips_uri_len;
  unsigned long skip_depth;

  /* The field being read (role ROLE_FIELD on top of the stack). */
  tp_field_id field;
  tp_type field_type;
  uint8_t value_bad;
  /* taskState matcher: bit i set while the text still equals a prefix of
   * state name i; `match_len` characters seen. */
  uint8_t state_candidates;
  uint32_t match_len;
  union {
    tp_int_lexer i;
    tp_double_lexer d;
    tp_datetime_lexer dt;
  } lex;
  /* The first bytes of a typed value's text, for the error message. */
  char excerpt[40];
  uint8_t excerpt_len;
  uint8_t excerpt_cut;    /* more text followed what was kept */
  uint8_t value_too_long; /* the text passed max_value_bytes */

  tp_error error;
} tp_state;

/* The state lives in the caller's tp_decoder. */
#define TP_STATE(decoder) ((tp_state *)(void *)(decoder)->opaque.bytes)

/* Element dispatch (dispatch.c). */
void tp__install_handlers(tp_state *st);
/* Readies dispatch's own state for a new document. */
void tp__reset_document(tp_state *st);

/* Records the first error, at the parser's current position, and halts
 * decoding (decoder.c); later errors are dropped. */
void tp__set_error(tp_state *st, tp_status status);

/* Name tables (names.c). */
typedef struct tp_field_info {
  const char *name;
  uint8_t len;
  uint8_t scope; /* tp_node */
  uint8_t type;  /* tp_type */
} tp_field_info;
/* Indexed by tp_field_id. */
extern const tp_field_info tp__fields[TP_FIELD_COUNT_];
/* Children of a record that are arrays, as tp__lookup_child (in
 * field_lookup.h) reports them; fields are reported by their id. */
#define TP_CHILD_TASK_ARRAY (-2) /* taskProgressArray, in a job */
#define TP_CHILD_ITEM_ARRAY (-3) /* taskItemProgressArray, in a task */
/* Starts matching a taskState text against the known names. */
uint8_t tp__task_state_all(void);
/* Narrows the candidate set with more text. */
uint8_t tp__task_state_step(uint8_t candidates, uint32_t offset, const char *s,
                            size_t n);
/* The state the candidate set denotes once `len` characters were seen. */
tp_task_state tp__task_state_result(uint8_t candidates, uint32_t len);

#endif /* TP_INTERNAL_H */
