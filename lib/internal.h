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
 * Cortex-M4 build half as large again; forced in dispatch.c alone, with
 * its table lookup, it takes 0.5 instructions per byte off the M4's
 * 109.9 for 780 more bytes of dispatch.o: mcu/icount.sh, genbench.py 100
 * 2 50), not without optimisation (-O0: a debugger's and make coverage's
 * build, where each forced copy would count its branches again), and
 * plain inline / nothing where the extension is missing. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__) &&      \
    !defined(__OPTIMIZE_SIZE__)
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
 * mode): expat's cost per call would otherwise dominate one-byte feeds.
 * Measured gain: the sample of bench/ (genbench.py 1 1 10) 20 times in
 * one-byte feeds takes 15.3 million instructions, 49.5 million without
 * gathering (callgrind, reused heap decoder). 192 bytes, not more, so that
 * the state keeps its headroom (TP_DECODER_HEADROOM). */
#define TP_COALESCE_BYTES 192u

/* Decoder lifecycle. */
enum {
  PHASE_UNINIT = 0,    /* never initialised, or released */
  PHASE_FEEDING,       /* accepting input */
  PHASE_FINISHED,      /* tp_finish() was called */
  PHASE_CALLING,       /* inside expat, which may be calling back: the caller's
                        * callbacks must not feed, finish, reset or release
                        * this decoder */
  PHASE_MAGIC = 0x7470 /* stored in `magic` to recognise an initialised one */
};

/* Expat joins an element's namespace URI and local name with this, as
 * the string XML_ParserCreate_MM takes; a local name never contains it. */
#define TP_NS_SEP "\n"

/* A caller-provided block serving expat's memory: see arena.h. */
typedef struct tp_arena tp_arena;

/* The decoder's state is one struct in parts, each written by one file
 * and reset by it: a new field goes into its owner's part. */

/* tp_config as the decoder keeps it: written by tp_init(), read by all. */
typedef struct tp_settings {
  const tp_callbacks *cb;
  void *user_data;
  const tp_memory_suite *memory; /* NULL: malloc, or the arena */
  unsigned flags;
  unsigned long depth_limit; /* max_depth, or ULONG_MAX for none */
  size_t value_limit;        /* max_value_bytes, or SIZE_MAX for none */
  uint64_t max_input_bytes;  /* 0: none */
  size_t slice;              /* the most bytes one XML_Parse call gets */
  float expat_max_amplification;
  float expat_alloc_max_amplification;
  uint64_t expat_amplification_threshold;
  uint64_t expat_alloc_threshold;
} tp_settings;

/* The lifecycle and the input (decoder.c). */
typedef struct tp_feeding {
  /* The state's own address, set by tp_init(): a decoder copied elsewhere,
   * or storage that only happens to hold `magic`, does not match it. */
  const void *self;
  XML_Parser parser;
  tp_arena *arena;                   /* NULL: expat uses memory or malloc */
  unsigned long arena_failures_base; /* its failures as the document began */
  uint64_t input_bytes;              /* fed so far */
  uint16_t magic;
  uint8_t phase;
  /* Set once a callback stopped decoding or an error was recorded: expat's
   * XML_StopParser is not immediate, so every handler checks this first and
   * no callback ever follows a stop or an error. */
  uint8_t halted;
  /* Small feeds gathered before they reach expat (see take_bytes). */
  uint16_t pending_len;
  char pending[TP_COALESCE_BYTES];
} tp_feeding;

/* The document's structure (dispatch.c). */
typedef struct tp_document {
  uint8_t seen_root; /* the root element's start tag was seen */
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
} tp_document;

/* The field being read (value_text.c), set afresh by each field's start. */
typedef struct tp_value {
  tp_field_id field;
  tp_type type;
  uint8_t bad;
  /* taskState matcher: bit i set while the text still equals a prefix of
   * state name i; `match_len` characters seen. */
  uint8_t state_candidates;
  uint32_t match_len;
  size_t room; /* bytes the typed value being read may still have */
  union {
    tp_int_lexer i;
    tp_double_lexer d;
    tp_datetime_lexer dt;
  } lex;
  /* The first bytes of a typed value's text, for the error message. */
  char excerpt[40];
  uint8_t excerpt_len;
  uint8_t excerpt_cut; /* more text followed what was kept */
  uint8_t too_long;    /* the text passed max_value_bytes */
} tp_value;

typedef struct tp_state {
  tp_settings set;
  tp_feeding feed;
  tp_document doc;
  tp_value value;
  tp_error error; /* written only by tp__fail (decoder.c) */
} tp_state;

/* The size policy: the state leaves this many bytes of TP_DECODER_SIZE
 * free, on every target, for what later releases add without changing
 * the ABI (decoder.c asserts it). A part that needs more raises
 * TP_DECODER_SIZE, and with it the soname. */
#define TP_DECODER_HEADROOM 128u

/* The state lives in the caller's tp_decoder. */
#define TP_STATE(decoder) ((tp_state *)(void *)(decoder)->opaque.bytes)

/* How tp__fail treats the detail it is given. */
enum {
  TP_DETAIL_WHOLE = 0, /* as given; cut between characters, with "...",
                        * when longer than tp_error.detail */
  TP_DETAIL_CUT = 1,   /* already cut short: end it with "..." */
  TP_DETAIL_WORDS = 2  /* a sentence: when too long, cut after a word */
};

/* Records the first error (or stop) and halts decoding; later ones are
 * dropped. The position is the parser's, but for TP_ERR_INPUT_TOO_LARGE,
 * which is where the input was cut. `field` is the field at fault, or -1;
 * `detail` (`len` bytes) goes into tp_error.detail as tp_error promises:
 * valid UTF-8, without control or bidirectional characters. */
void tp__fail(tp_state *st, tp_status status, int field, const char *detail,
              size_t len, unsigned how);
/* tp__fail with no field and no detail, as most errors are: a call of two
 * arguments at each of their call sites rather than of six, two of them
 * on the stack on 32-bit Arm (some 10 bytes of code a site at -Os). */
void tp__fail_status(tp_state *st, tp_status status);
/* No error, not halted: a new document begins. */
void tp__clear_error(tp_state *st);

/* What a call needs of the decoder it is given (tp__find). */
enum {
  TP_FIND_ANY = 0,    /* live: the read-only calls */
  TP_FIND_IDLE = 1,   /* live and not calling back */
  TP_FIND_FEEDING = 2 /* live and taking input */
};

/* The one way in to a decoder's state: the state of a live decoder in the
 * phase `need` asks for, or NULL with *why: TP_ERR_ARGUMENT (NULL,
 * misaligned) or TP_ERR_STATE (never initialised, released, copied or
 * moved, its arena taken over, or in another phase). */
tp_state *tp__find(const tp_decoder *decoder, tp_status *why, unsigned need);

/* One pair around every call into expat (decoder.c): expat's allocations
 * go to this decoder's arena, and its callbacks see it as calling. */
typedef struct tp_call {
  tp_arena *saved; /* the arena routing before the call */
  uint8_t phase;   /* the phase before the call */
} tp_call;
/* tp__leave returns TP_ERR_STATE, recorded as the decoder's error, when
 * the arena routing changed under the call (tp__arena_leave). */
tp_call tp__enter(tp_state *st);
tp_status tp__leave(tp_state *st, tp_call c);

/* Element dispatch (dispatch.c): expat's handlers for elements and the
 * DOCTYPE. */
void XMLCALL tp__on_start(void *user_data, const XML_Char *name,
                          const XML_Char **atts);
void XMLCALL tp__on_end(void *user_data, const XML_Char *name);
void XMLCALL tp__on_doctype(void *user_data, const XML_Char *name,
                            const XML_Char *sysid, const XML_Char *pubid,
                            int has_internal_subset);
/* Readies dispatch's part for a new document. */
void tp__document_reset(tp_document *doc);
/* The text of the open field (value_text.c). */
void XMLCALL tp__on_text(void *user_data, const XML_Char *s, int len);
/* After expat refused the input before any element: whether what it
 * refused is an HTML page (<!doctype html>, <html lang=en>); then the
 * error is recorded as TP_ERR_NOT_SOAP. */
int tp__html_prolog(tp_state *st, enum XML_Error code);
/* Records that expat ran out of memory: TP_ERR_NO_MEMORY, or what
 * tp__no_memory_verdict says instead. */
void tp__fail_no_memory(tp_state *st);
/* Expat ran out of memory: TP_ERR_NOT_SOAP when the root element's whole
 * name has arrived and is no root we accept, else TP_ERR_NO_MEMORY; with
 * the detail that says why (`*len` bytes, 0 for none) written to `detail`
 * (`size` bytes). */
tp_status tp__no_memory_verdict(const tp_state *st, char *detail, size_t size,
                                size_t *len);

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
/* The fault kind an IPS fault element's local name gives, or -1. */
int tp__fault_kind_of(const char *local, size_t len);
/* Starts matching a taskState text against the known names. */
uint8_t tp__task_state_all(void);
/* Narrows the candidate set with more text. */
uint8_t tp__task_state_step(uint8_t candidates, uint32_t offset, const char *s,
                            size_t n);
/* The state the candidate set denotes once `len` characters were seen. */
tp_task_state tp__task_state_result(uint8_t candidates, uint32_t len);

#endif /* TP_INTERNAL_H */
