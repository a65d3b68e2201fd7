/* taskprogress.h -- stream the TaskProgress records out of Adobe Scene7 /
 * Dynamic Media IPS getActiveJobs SOAP responses, fed in chunks of any size.
 *
 * This header is the reference manual. Every public declaration carries its
 * contract: who owns what, how long pointers stay valid, and which errors can
 * happen.
 *
 * The model in one paragraph: the caller owns a tp_decoder (static, stack or
 * embedded in its own struct), initialises it once with tp_init(), hands it
 * the response bytes with tp_feed() as they arrive, and calls tp_finish() at
 * the end of input. While bytes are fed, the decoder calls the caller's
 * tp_callbacks: node begin/end for jobs, tasks, items, arrays and faults, and
 * one field callback per typed value or string fragment. tp_reset() prepares
 * the same decoder for the next response; tp_release() frees what expat
 * allocated. The library itself never calls malloc: expat's memory goes
 * through the memory suite given in tp_config (the C library's by default).
 */
#ifndef TASKPROGRESS_H
#define TASKPROGRESS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(TP_BUILDING_DLL)
#define TP_API __declspec(dllexport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#define TP_API __attribute__((visibility("default")))
#else
#define TP_API
#endif

/* Version of this header: TP_VERSION_MAJOR, TP_VERSION_MINOR and
 * TP_VERSION_MICRO. tp_version() gives the library's at run time. */
#include "taskprogress_version.h"

/* Returns the library version as "MAJOR.MINOR.MICRO", a static string. */
TP_API const char *tp_version(void);

/* ------------------------------------------------------------------------ */
/* Status                                                                   */
/* ------------------------------------------------------------------------ */

/* One status enum for every call. TP_OK is 0; every other value is an
 * error, except TP_STOPPED (a callback asked to stop). The list is
 * append-only: values never change meaning or number between releases. */
typedef enum tp_status {
  TP_OK = 0,
  /* A callback returned non-zero; decoding stopped where it asked. */
  TP_STOPPED = 1,
  /* A NULL pointer, a misaligned decoder, or an impossible argument or
   * setting (see tp_init) was passed. */
  TP_ERR_ARGUMENT = 2,
  /* The memory suite could not provide memory (expat's allocations). */
  TP_ERR_NO_MEMORY = 3,
  /* The call is not allowed in the decoder's state: tp_feed() after
   * tp_finish(), a call from the decoder's own callback, or any call on a
   * decoder that is not initialised (zeroed or released storage, a copy;
   * see tp_decoder for what cannot be told). Also the status of a
   * document whose arena decoder found the arena slot taken by another
   * decoder during a call (see "The arena slot"; tp_reset() to go on). */
  TP_ERR_STATE = 4,
  /* The input is not well-formed XML (expat's message is in the detail). */
  TP_ERR_XML = 5,
  /* The input ended before the document did. */
  TP_ERR_TRUNCATED = 6,
  /* The document is not a SOAP response: its root element is neither a
   * SOAP 1.1 or 1.2 Envelope nor one of the bare forms (see tp_node), or
   * its DOCTYPE names another root element (<!DOCTYPE html>). The detail
   * says which: "root element <html>", for a namespaced element followed
   * by " in " and its namespace URI; cut at a UTF-8 character boundary
   * and ended with "..." when longer than tp_error.detail. An HTML error
   * page from a proxy or load balancer ends up here, also in HTML's own
   * spellings that are not XML: <html lang=en> (an unquoted attribute)
   * gives "root element <html>", and <!doctype ...> in any case but
   * upper gives "<!doctype> (HTML)" (the name that follows is not read:
   * whether it has arrived depends on how the input was split). These are
   * recognised only before the root element, and only where expat keeps
   * the bytes around an error (XML_CONTEXT_BYTES, on in expat's default
   * build); otherwise they are TP_ERR_XML. */
  TP_ERR_NOT_SOAP = 7,
  /* The Envelope has no Body, or the Body holds neither a
   * getActiveJobsReturn nor a Fault. */
  TP_ERR_NO_BODY = 8,
  /* The document has a DOCTYPE declaration naming a root we accept
   * ("Envelope", "getActiveJobsReturn", "ipsApiFault",
   * "authenticationFault" or "authorizationFault", with or without a
   * prefix), or any DOCTYPE with an internal subset (declarations); SOAP
   * forbids them. Every DOCTYPE stops decoding
   * before a declaration in it is processed (others give TP_ERR_NOT_SOAP),
   * which shuts out entity expansion attacks. */
  TP_ERR_DOCTYPE = 9,
  /* An xsd:int field does not hold a valid xsd:int, or it is outside the
   * 32-bit range. The field is named in the error. */
  TP_ERR_BAD_INT = 10,
  /* An xsd:double field does not hold a valid xsd:double. */
  TP_ERR_BAD_DOUBLE = 11,
  /* An xsd:dateTime field does not hold a valid xsd:dateTime (lexical form,
   * day of month, time or timezone out of range). */
  TP_ERR_BAD_DATETIME = 12,
  /* A simple-typed field (a value we decode) contains a child element. */
  TP_ERR_UNEXPECTED_ELEMENT = 13,
  /* An internal invariant failed: a bug in this library. */
  TP_ERR_INTERNAL = 14,
  /* Elements are nested deeper than tp_config.max_depth. */
  TP_ERR_TOO_DEEP = 15,
  /* A typed value's text (xsd:int, xsd:double, xsd:dateTime) is longer
   * than tp_config.max_value_bytes. Strings have no such limit. */
  TP_ERR_VALUE_TOO_LONG = 16,
  /* The input is longer than tp_config.max_input_bytes. */
  TP_ERR_INPUT_TOO_LARGE = 17,
  /* The collector in strict mode (taskprogress_collect.h) could not keep
   * a string, task or item whole, or a field came twice. */
  TP_ERR_NOT_KEPT = 18,
  /* A setting asks for what this build of the library cannot do:
   * TP_FLAG_PROMPT where the expat it was built with cannot turn reparse
   * deferral off (see TP_FLAG_PROMPT). Nothing was initialised. */
  TP_ERR_UNSUPPORTED = 19
  /* Append new values here, never in between. */
} tp_status;

/* Returns a short English description of a status. Never returns NULL:
 * unknown values give "unknown status". The string is static. */
TP_API const char *tp_strerror(tp_status status);

/* ------------------------------------------------------------------------ */
/* Decoded values                                                           */
/* ------------------------------------------------------------------------ */

/* What a begin/end callback is about. Append-only.
 *
 * Accepted documents: a SOAP 1.1 or 1.2 Envelope whose Body holds a
 * getActiveJobsReturn or a Fault; or the same without Envelope and Body, a
 * root getActiveJobsReturn in the IPS namespace, as Adobe Experience
 * Manager's Dynamic Media proxy of the API (/scene7/api/IpsApiService)
 * answers. A root ipsApiFault, authenticationFault or authorizationFault
 * in the IPS namespace is taken as the bare form of a fault: it opens
 * TP_NODE_FAULT and gives its kind, code and reason, with no faultcode or
 * faultstring (no captured bare fault was seen; accepting it costs
 * nothing, since such an element can mean nothing else).
 *
 * A fault is a complete, valid response: tp_finish() returns TP_OK for
 * it. Only the begin (and end) callback with TP_NODE_FAULT, and the
 * TP_FAULT_* fields, tell the caller that the server refused the request:
 * watch for it. */
typedef enum tp_node {
  TP_NODE_JOB_ARRAY = 0,  /* getActiveJobsReturn/jobArray */
  TP_NODE_JOB = 1,        /* jobArray/items: one ActiveJob */
  TP_NODE_TASK_ARRAY = 2, /* a job's taskProgressArray */
  TP_NODE_TASK = 3,       /* taskProgressArray/items: one TaskProgress */
  TP_NODE_ITEM_ARRAY = 4, /* a task's taskItemProgressArray */
  TP_NODE_ITEM = 5,       /* taskItemProgressArray/items: TaskItemProgress */
  TP_NODE_FAULT = 6,      /* Body/Fault, or a bare IPS fault element */
  /* Not a node: tp_field_scope() of an unknown id. Never delivered to a
   * callback. */
  TP_NODE_UNKNOWN = 7
} tp_node;

/* Returns "jobArray", "job", "taskProgressArray", "task",
 * "taskItemProgressArray", "item" or "fault"; "?" for TP_NODE_UNKNOWN and
 * other unknown values. Never NULL; static. */
TP_API const char *tp_node_name(tp_node node);

/* The value type a field is delivered with. */
typedef enum tp_type {
  TP_TYPE_STRING = 0,     /* xsd:string, as fragments (see tp_field) */
  TP_TYPE_INT = 1,        /* xsd:int: tp_field.value.i */
  TP_TYPE_DOUBLE = 2,     /* xsd:double: tp_field.value.d */
  TP_TYPE_DATETIME = 3,   /* xsd:dateTime: tp_field.value.dt */
  TP_TYPE_TASK_STATE = 4, /* taskState: fragments, plus .value.task_state on
                           * the last one */
  TP_TYPE_FAULT_KIND = 5, /* which IPS fault: .value.fault_kind */
  /* Not a type: tp_field_type() of an unknown id. Never delivered. */
  TP_TYPE_UNKNOWN = 6
} tp_type;

/* Every field the decoder reports. The scope (job, task, item, fault) is
 * part of the identity because the same XML name means different things at
 * different levels: a job's progress is an xsd:int, a task's an
 * xsd:double. Append-only.
 *
 * Units and ranges of the progress fields, as the server sends them (the
 * decoder checks the lexical form only, never the range):
 *   TP_JOB_PROGRESS   an integer percent, 0..100 (any 32-bit value may
 *                     arrive);
 *   TP_TASK_PROGRESS  a fraction, 0.0..1.0 (0.4 is 40%);
 *   TP_ITEM_PROGRESS  a fraction like the task's (the IPS documentation
 *                     only says "progress complete");
 * and a double may be NaN, INF, -INF, negative or above 1.0 (xsd:double
 * allows all of them): check before showing it as a percentage.
 * numProcessed, numProcessing and numPending are counts, expected >= 0
 * but delivered as sent.
 *
 * The ids, TP_JOB_*, TP_TASK_*, TP_ITEM_* and TP_FAULT_* with the element
 * each is decoded from, are in taskprogress_fields.h, generated from the
 * library's one list of fields (lib/fields.def in its source tree). */
#include "taskprogress_fields.h"

/* The XML local name of a field ("jobHandle", "numPending", ...) and, for
 * the fault fields, "faultcode", "faultstring", "type", "code", "reason".
 * Never NULL ("?" for unknown ids); static. */
TP_API const char *tp_field_name(tp_field_id id);
/* The node a field belongs to (TP_NODE_JOB, _TASK, _ITEM or _FAULT);
 * TP_NODE_UNKNOWN for ids outside tp_field_id. */
TP_API tp_node tp_field_scope(tp_field_id id);
/* The type a field is delivered with; TP_TYPE_UNKNOWN for ids outside
 * tp_field_id. */
TP_API tp_type tp_field_type(tp_field_id id);

/* TaskProgress.taskState. Servers may add states: TP_TASK_STATE_OTHER
 * means "not one of these" (an empty taskState included); the raw text is
 * always delivered too, as the field's fragments: show that for OTHER. */
typedef enum tp_task_state {
  TP_TASK_STATE_OTHER = 0,
  TP_TASK_STATE_UNKNOWN = 1,
  TP_TASK_STATE_NEW = 2,
  TP_TASK_STATE_PROCESSING = 3,
  TP_TASK_STATE_STOPPING = 4,
  TP_TASK_STATE_DONE = 5,
  TP_TASK_STATE_FAILED = 6
} tp_task_state;

/* "Unknown", "New", ... as the server spells them; "" for OTHER (and for
 * values outside the enum). Never NULL; static. */
TP_API const char *tp_task_state_name(tp_task_state state);

/* The IPS fault element found in a Fault's detail. */
typedef enum tp_fault_kind {
  TP_FAULT_IPS_API = 0,        /* ipsApiFault */
  TP_FAULT_AUTHENTICATION = 1, /* authenticationFault */
  TP_FAULT_AUTHORIZATION = 2   /* authorizationFault */
} tp_fault_kind;

/* "ipsApiFault", "authenticationFault" or "authorizationFault"; "?"
 * otherwise. Never NULL; static. */
TP_API const char *tp_fault_kind_name(tp_fault_kind kind);

/* No timezone was given (a "local" dateTime). */
#define TP_TZ_NONE INT16_MIN

/* An xsd:dateTime, validated, fields as written (not converted to UTC).
 * 24:00:00 is delivered as 00:00:00 of the next day. */
typedef struct tp_datetime {
  int32_t year;        /* XSD 1.1 numbering: 0 is 1 BCE, -1 is 2 BCE */
  uint8_t month;       /* 1..12 */
  uint8_t day;         /* 1..28/29/30/31 */
  uint8_t hour;        /* 0..23 */
  uint8_t minute;      /* 0..59 */
  uint8_t second;      /* 0..59 */
  uint8_t tz_is_z;     /* 1 when the timezone was written "Z" */
  int16_t tz_minutes;  /* offset east of UTC, -840..840, or TP_TZ_NONE */
  uint32_t nanosecond; /* first 9 fraction digits; later ones truncated */
} tp_datetime;

/* One field, as handed to tp_callbacks.field.
 *
 * Strings (TP_TYPE_STRING, TP_TYPE_TASK_STATE) arrive as the fragments
 * expat delivers, without copying: `str`/`len` point into expat's buffer.
 * Every fragment but the last has last == 0; the last call of a field
 * always has last == 1 and len == 0, and fires at the field's end tag. So
 * "<name>abc</name>" may give ("a",0) ("bc",0) ("",1) or ("abc",0) ("",1),
 * depending on how the input was chunked: append every fragment, use the
 * value when last is 1. An empty element gives only ("",1). A field that
 * appears twice in its record (a schema violation some servers may still
 * commit) is delivered twice, in document order, each time ending with
 * last == 1: the fragment after a last == 1 call begins a new value, so
 * empty the buffer there, or the values run together ("firstsecond").
 * Which one counts is the caller's choice. `str` is never
 * NULL, is not NUL-terminated, and is valid only during the callback.
 * Entities, character references and CDATA are already decoded; the text
 * is UTF-8 whatever the document's encoding.
 *
 * Typed values (int, double, dateTime, fault kind) arrive once, complete,
 * with last == 1 and str == "" / len == 0. */
typedef struct tp_field {
  tp_field_id id;
  tp_type type;
  const char *str;
  size_t len;
  int last;
  union {
    int32_t i;
    double d;
    tp_datetime dt;
    tp_task_state task_state; /* on the last call of TP_TASK_STATE */
    tp_fault_kind fault_kind;
  } value;
} tp_field;

/* ------------------------------------------------------------------------ */
/* Callbacks and configuration                                              */
/* ------------------------------------------------------------------------ */

/* The caller's callbacks. Any may be NULL (that event is ignored). Each
 * returns 0 to go on or non-zero to stop: then no further callback fires,
 * and tp_feed()/tp_finish() return TP_STOPPED. The same holds after an
 * error: no callback follows it, and nodes still open get no `end` (after
 * a stop or an error, discard what you gathered for them).
 *
 * Fields come in document order, which the schema does not fix: a job's
 * name may arrive after its tasks. To act on a job with all its fields,
 * gather them and act at the job's `end` (likewise for tasks and items).
 *
 * On the decoder that called them, callbacks may only read
 * (tp_get_error, tp_get_memory_stats): tp_feed, tp_finish and tp_reset
 * return TP_ERR_STATE there, and tp_release does nothing (release after
 * the outer call returns). Never call tp_init() from a callback on the
 * decoder calling back or with its arena: tp_init() reads nothing of what
 * it is given, so it cannot refuse, and would overwrite the parser that
 * is calling back. Other decoders may be used freely. user_data is
 * tp_config.user_data.
 *
 * A callback must return. Leaving it by longjmp (or a C++ exception)
 * abandons its decoder inside expat: every later call on that decoder
 * returns TP_ERR_STATE, tp_release() cannot free its parser (with malloc
 * or tp_config.memory that memory leaks; an arena is simply the caller's
 * again), and only tp_init() makes the storage a decoder again. Other
 * decoders, on this thread or any, are not affected: an arena decoder
 * whose callback used the abandoned arena decoder and caught the jump
 * takes the arena slot (below) back when that callback returns, so the
 * abandoned arena may be reused at once. */
typedef struct tp_callbacks {
  /* A node opens: fires when its start tag is complete. */
  int (*begin)(void *user_data, tp_node node);
  /* A node closes: fires when its end tag is complete. */
  int (*end)(void *user_data, tp_node node);
  /* A field value or string fragment; see tp_field. `field` is valid only
   * during the call. */
  int (*field)(void *user_data, const tp_field *field);
} tp_callbacks;

/* Memory functions for expat, with malloc/realloc/free semantics. */
typedef struct tp_memory_suite {
  void *(*malloc_fcn)(size_t size);
  void *(*realloc_fcn)(void *ptr, size_t size);
  void (*free_fcn)(void *ptr);
} tp_memory_suite;

/* tp_config.flags */
/* Prompt mode: turn expat's reparse deferral off, so that every callback
 * fires during the tp_feed() that delivers the '>' completing its tag.
 * Without it (the default, and the safe choice against inputs made of huge
 * tokens), expat may hold events back until more input arrives, at the
 * latest until tp_finish().
 *
 * Turning deferral off needs XML_SetReparseDeferralEnabled (expat 2.6.0,
 * or an older expat with the backport, as Debian's 2.5.0), which the
 * build detects (HAVE_XML_SETREPARSEDEFERRALENABLED; configure and CMake
 * define it, a hand-written config.h must: docs/firmware.md). A library
 * built without it cannot promise prompt callbacks, so tp_init() refuses
 * this flag with TP_ERR_UNSUPPORTED rather than accept it and do
 * nothing. (An expat that old may not defer at all, but the library
 * cannot tell a pre-2.6.0 expat from a newer one whose function was not
 * detected.) */
#define TP_FLAG_PROMPT 0x1u

/* The most bytes expat is given in one call by default: tp_feed() passes
 * larger chunks on in slices of this size. Expat copies whatever it cannot
 * consume at once into its own buffer, so the slice, not the caller's
 * chunk size, bounds expat's memory: larger slices are faster and use
 * more memory. TP_DEFAULT_SLICE applies to decoders with an arena, where
 * every byte counts (the arena figures are measured with it);
 * TP_DEFAULT_HEAP_SLICE to those whose expat allocates with malloc or
 * tp_config.memory. The figures, which move with every expat release, are
 * in bench/RESULTS.md. */
#define TP_DEFAULT_SLICE 512
#define TP_DEFAULT_HEAP_SLICE 4096
/* The largest slice: a larger tp_config.max_slice (SIZE_MAX included) is
 * taken as this. Expat copies each slice it gets into its own buffer, so
 * an unbounded slice would let one large tp_feed() grow expat's memory to
 * the size of the chunk, until the allocator refuses (TP_ERR_NO_MEMORY).
 * Larger slices stop gaining speed well below this one. */
#define TP_MAX_SLICE 65536

/* An arena of this size, plus the tp_decoder itself, makes 24 KiB: room
 * for every response of the project's conformance corpus. With the
 * default slice, expat's memory does not depend on the caller's chunk
 * size, on the response's size or on the length of its strings, but it
 * does grow with the number of distinct element names (expat keeps an
 * entry per qualified name for the whole document), so a document full of
 * unknown elements with varied names or prefixes needs more; and with the
 * longest single token (a start tag with its attributes, a comment, an
 * element name; not text): docs/token-limits.md is the measured table of
 * the longest of each that this and a few other sizes hold. The arena
 * needs no more after tp_reset() than for a first document, so sizing it
 * from one decode's high_water (tp_get_memory_stats) holds for reuse.
 * Running out is a clean TP_ERR_NO_MEMORY. What responses need, measured:
 * bench/RESULTS.md, "Arena high-water marks". */
#define TP_ARENA_RECOMMENDED_SIZE (24576 - TP_DECODER_SIZE)

/* Configuration, copied by tp_init(): it need not outlive the call, but
 * `callbacks` (a pointer), `memory` and `arena` must stay valid until
 * tp_release(). Always start from tp_config_init() so that fields added
 * later get their defaults. */
typedef struct tp_config {
  const tp_callbacks *callbacks; /* may be NULL: decode and validate only */
  void *user_data;               /* passed to every callback */
  unsigned flags; /* TP_FLAG_*; other bits are refused (TP_ERR_ARGUMENT) */
  /* Where expat's memory comes from; at most one of the two may be set.
   * Neither: the C library's malloc family.
   * memory: the caller's functions.
   * arena: `arena_size` bytes of caller memory (static, stack, or inside
   *   a struct; any alignment), and nothing else: every allocation expat
   *   makes for this decoder is served from it, and no heap is touched.
   *   Running out is TP_ERR_NO_MEMORY. At most UINT32_MAX bytes; a larger
   *   arena_size, or an arena_size without an arena, is TP_ERR_ARGUMENT.
   *   The arena belongs to this decoder alone until tp_release(): a
   *   tp_init() given the same arena (the same address) takes it over,
   *   and the first decoder then returns TP_ERR_STATE from every call
   *   (tp_release() frees nothing: its parser was overwritten, nothing is
   *   lost to the heap); not from inside the first decoder's callbacks
   *   (see tp_callbacks). Arenas of two live decoders must not overlap:
   *   memory shared between them at different addresses (arena and
   *   arena + 1, say) is the caller's error, which the library does not
   *   detect (it keeps no registry of decoders) and which corrupts both.
   *   Expat's allocator calls reach the right arena through a slot per
   *   thread, set around each call into expat and restored after, so
   *   decoders on several threads, or one decoder used inside another's
   *   callback, each use their own arena. Without thread-local storage,
   *   see "The arena slot" below: the one-decoder-at-a-time rule, and the
   *   hook that lifts it. */
  const tp_memory_suite *memory;
  void *arena;
  size_t arena_size;
  /* The most bytes one expat call gets; 0 means TP_DEFAULT_SLICE with an
   * arena and TP_DEFAULT_HEAP_SLICE without; values above TP_MAX_SLICE
   * (SIZE_MAX included) mean TP_MAX_SLICE. Larger slices are slightly
   * faster and need more memory. */
  size_t max_slice;
  /* Limits against hostile input; 0 means "no limit". tp_config_init()
   * sets the defaults below. Exceeding one stops decoding with its own
   * status, positioned where it happened. */
  /* Open elements at once, skipped ones included (TP_ERR_TOO_DEEP). Keeps
   * expat's tag stack, which grows with depth, small. */
  unsigned long max_depth;
  /* Bytes of one typed value's text, whitespace included
   * (TP_ERR_VALUE_TOO_LONG). Typed values are parsed in constant memory
   * whatever their length; the limit bounds the time spent on one. */
  size_t max_value_bytes;
  /* Bytes of input in all (TP_ERR_INPUT_TOO_LARGE); counted by tp_feed(),
   * nothing beyond the limit is parsed. */
  uint64_t max_input_bytes;
  /* Expat's own protections, passed through where the expat in use has
   * them (0 keeps expat's defaults). The factors must be 0 or at least
   * 1.0 (expat's own range); negative, NaN and 0 < f < 1 are
   * TP_ERR_ARGUMENT. DTDs are refused, so no entity can expand, but expat
   * also counts the predefined entities and character references as
   * amplification: past the threshold, a factor of 1.0 refuses a single
   * "&amp;". Keep factors well above 1 (expat's default is 100). A breach
   * of the billion laughs limit is TP_ERR_XML with expat's message; one of
   * the allocation tracker's (expat 2.7.2+, Debian backport) shows as
   * TP_ERR_NO_MEMORY. */
  float expat_max_amplification;          /* billion laughs factor */
  uint64_t expat_amplification_threshold; /* bytes before it applies */
  float expat_alloc_max_amplification;    /* allocation tracker factor */
  uint64_t expat_alloc_threshold;         /* bytes before it applies */
} tp_config;

/* ------------------------------------------------------------------------ */
/* The arena slot: builds without thread-local storage                      */
/* ------------------------------------------------------------------------ */

/* Where the arena slot lives is chosen when the library is compiled:
 *
 * - By default, a C11 _Thread_local variable: nothing to do.
 * - -DTP_PORT_ARENA_SLOT: a per-task slot that the integrator supplies by
 *   defining tp_port_arena_slot_get() and tp_port_arena_slot_set() below.
 *   For RTOS targets without thread-local storage (the compiler's TLS
 *   needs __aeabi_read_tp or similar) that run decoders in several tasks.
 *   It takes precedence over -DTP_NO_THREAD_LOCAL.
 * - -DTP_NO_THREAD_LOCAL alone: one global slot, shared by every task.
 *   Then calls into arena decoders must not overlap: one decoder at a
 *   time, whatever task it runs in (serialise tp_init, tp_feed,
 *   tp_finish and tp_reset of arena decoders with one mutex, or use the
 *   hook). Nesting is no overlap: a decoder used inside another's
 *   callback, in the same task, routes to its own arena and back.
 *   Decoders without an arena never use the slot. A decoder takes the
 *   slot back each time one of its callbacks returns, so decoders taking
 *   turns inside callbacks are safe. Overlap inside expat is detected
 *   where it shows (a call ends with the slot no longer holding its
 *   arena, or expat hands an arena a block of another): that decoder's
 *   call returns TP_ERR_STATE, detail "another decoder used the arena
 *   slot during this call", its document ends and tp_reset() starts the
 *   next. Detection is after the fact and not complete: an overlap it
 *   misses corrupts both arenas.
 *
 * The hook's contract: get returns what the calling task last passed to
 * set, or NULL if it never called set; each task has its own value. Only
 * arena decoders call them, in the task making the library call (set
 * around each call into expat, get on each of expat's allocations): they
 * must be cheap, and must not call the library. A FreeRTOS port, with
 * configNUM_THREAD_LOCAL_STORAGE_POINTERS at least 1 and index 0 kept for
 * the library (FreeRTOS starts every task's pointers at NULL):
 *
 *   #include "FreeRTOS.h"
 *   #include "task.h"
 *   #include "taskprogress.h"
 *
 *   void *tp_port_arena_slot_get(void) {
 *     return pvTaskGetThreadLocalStoragePointer(NULL, 0);
 *   }
 *   void tp_port_arena_slot_set(void *arena) {
 *     vTaskSetThreadLocalStoragePointer(NULL, 0, arena);
 *   }
 *
 * and the library compiled with -DTP_PORT_ARENA_SLOT. Not exported by the
 * library: the integrator's program defines them. */
void *tp_port_arena_slot_get(void);
void tp_port_arena_slot_set(void *arena);

/* Defaults of tp_config.max_depth and max_value_bytes. IPS responses nest
 * about 15 levels at most (with job-detail subtrees); typed values are a
 * few dozen bytes. */
#define TP_DEFAULT_MAX_DEPTH 64
#define TP_DEFAULT_MAX_VALUE_BYTES 65536

/* Fills *config with the defaults: no callbacks, no flags, malloc, the
 * default slice, TP_DEFAULT_MAX_DEPTH, TP_DEFAULT_MAX_VALUE_BYTES, no
 * input limit, expat's own defaults for its protections. */
TP_API void tp_config_init(tp_config *config);

/* ------------------------------------------------------------------------ */
/* The decoder                                                              */
/* ------------------------------------------------------------------------ */

/* Bytes of caller-owned storage a decoder takes: part of the ABI. The
 * size policy: the decoder's state leaves at least 128 bytes of it free
 * on every target (a static assertion in the library holds it), so that
 * later releases can add to the state without changing the ABI; a
 * release that needs more raises TP_DECODER_SIZE and the library's
 * soname with it. */
#define TP_DECODER_SIZE 1536

/* The decoder. Caller-owned and opaque: declare one (static, on the stack,
 * or inside your own struct), never copy or move an initialised one, and
 * touch it only through the functions below. One decoder serves one thread
 * at a time; distinct decoders are independent (no global state).
 *
 * Storage must be aligned for a tp_decoder, as declared objects, malloc()
 * and _Alignas(tp_decoder) storage are; a misaligned pointer (say, into a
 * byte pool) is TP_ERR_ARGUMENT (tp_release ignores it).
 *
 * What is caught, and what cannot be: the state remembers its own address,
 * so a decoder copied or moved elsewhere returns TP_ERR_STATE (the original
 * stays usable). "Never initialised" is recognised reliably only in zeroed
 * storage (static, = {0}, memset) and after tp_release(): other storage
 * that happens to hold a live decoder's marker and address, such as a
 * decoder at the same address that was never released, is taken for live,
 * and using it is undefined. tp_init() does not read the storage it is
 * given (it is usually uninitialised), so initialising a live decoder
 * again is not detected: with the heap it leaks the first parser; release
 * first. */
typedef struct tp_decoder {
  union {
    unsigned char bytes[TP_DECODER_SIZE];
    long double align_ld;
    void *align_ptr;
    uint64_t align_u64;
  } opaque;
} tp_decoder;

/* Initialises *decoder with *config and creates its expat parser through
 * the memory suite or in the arena.
 * Returns TP_OK; TP_ERR_ARGUMENT when decoder or config is NULL, decoder
 * is misaligned, both `memory` and `arena` are set, a suite lacks a
 * function, or a setting is out of range (unknown flags, arena_size
 * without an arena or over UINT32_MAX, an amplification factor that is
 * negative, NaN or below 1.0 but not 0); TP_ERR_NO_MEMORY when expat cannot
 * allocate (or the arena is too small even for its bookkeeping);
 * TP_ERR_UNSUPPORTED for TP_FLAG_PROMPT in a build whose expat cannot turn
 * reparse deferral off (see TP_FLAG_PROMPT); TP_ERR_STATE when another
 * arena decoder's call overlapped this one on a shared arena slot (see
 * "The arena slot"). On failure
 * nothing is held and tp_release() is not needed (calling it is harmless). */
TP_API tp_status tp_init(tp_decoder *decoder, const tp_config *config);

/* Feeds the next `len` bytes of the response. Chunks may split the input
 * anywhere, even inside a UTF-8 sequence or a tag; len 0 is allowed; any
 * len is allowed (large chunks are passed to expat in slices). Callbacks
 * fire from inside this call. The decoder does not keep `data` after it
 * returns.
 * Returns TP_OK; TP_STOPPED if a callback stopped decoding (now or
 * earlier); the error status (TP_ERR_XML, TP_ERR_BAD_INT, ...) if the input
 * is not a valid response, now or earlier: the first error is kept and
 * returned again; TP_ERR_ARGUMENT when decoder is NULL or misaligned, or
 * data is NULL and len > 0; TP_ERR_STATE after tp_finish(), from one of
 * this decoder's callbacks, or for a decoder that is not initialised (see
 * tp_decoder).
 *
 * When several apply, this and every other call answers in this order:
 * TP_ERR_ARGUMENT first, then TP_ERR_STATE, then the kept status (stop or
 * first error). So tp_feed(d, NULL, 5) after a stop is TP_ERR_ARGUMENT.
 * A call refused with TP_ERR_ARGUMENT or TP_ERR_STATE changes nothing in
 * the decoder; the one TP_ERR_STATE that is not a refusal, arena decoders
 * overlapping on a shared arena slot, ends the document (tp_get_error()
 * has it, with its detail). */
TP_API tp_status tp_feed(tp_decoder *decoder, const void *data, size_t len);

/* Marks the end of input. Events that expat held back fire now.
 * Returns TP_OK when a complete, valid response was decoded;
 * TP_ERR_TRUNCATED if the input ended inside the document (or was empty);
 * otherwise as tp_feed(). Calling it again returns the same status;
 * calling it from one of this decoder's callbacks is TP_ERR_STATE. */
TP_API tp_status tp_finish(tp_decoder *decoder);

/* Makes the decoder ready for a new response with the same configuration.
 * Without an arena it reuses its expat parser (no new allocation of the
 * parser itself). With an arena it frees the parser and creates it again
 * in the emptied arena, so that the next response needs exactly what it
 * would need after tp_init(): expat's reset would keep grown tables and
 * blocks, and an arena sized from one decode would fall short after a
 * reset. Clears any error or stop. Returns TP_OK, TP_ERR_ARGUMENT for NULL
 * or a misaligned decoder, TP_ERR_STATE if the decoder is not initialised
 * or is calling back, TP_ERR_NO_MEMORY if the parser cannot be created
 * again (not expected), or TP_ERR_STATE if another arena decoder's call
 * overlapped the re-creation on a shared arena slot; after those two the
 * decoder is released, and only tp_init() makes it a decoder again. */
TP_API tp_status tp_reset(tp_decoder *decoder);

/* Frees the expat parser. The decoder must be tp_init()ed again before any
 * further use. NULL, misaligned, copied and already released decoders are
 * ignored, and so is a call from one of the decoder's own callbacks (the
 * parser is in use: release after tp_feed()/tp_finish() returns). */
TP_API void tp_release(tp_decoder *decoder);

/* How much of its arena a decoder uses (all zero without an arena). */
typedef struct tp_memory_stats {
  size_t arena_size;         /* the bytes given in tp_config.arena_size */
  size_t in_use;             /* bytes allocated now, bookkeeping included */
  size_t high_water;         /* the most of the arena ever used: an arena
                              * of this size would have sufficed so far */
  unsigned long allocations; /* allocations served since tp_init() */
  unsigned long failures;    /* allocations refused for lack of room */
} tp_memory_stats;

/* Fills *stats for an initialised decoder. Returns TP_OK, TP_ERR_ARGUMENT
 * for NULL, TP_ERR_STATE for a decoder that is not initialised. */
TP_API tp_status tp_get_memory_stats(const tp_decoder *decoder,
                                     tp_memory_stats *stats);

/* Where and why decoding failed. */
typedef struct tp_error {
  tp_status status;   /* TP_OK when there is no error */
  unsigned long line; /* 1-based line of the event that failed, 0 if none */
  /* 0-based column in characters (Unicode code points, as expat counts),
   * not bytes: byte_offset is the exact position. */
  unsigned long column;
  uint64_t byte_offset; /* offset of that event from the start of input */
  int has_field;        /* 1 when the error is about a field's value */
  tp_field_id field;    /* that field, when has_field */
  /* A NUL-terminated, valid UTF-8 explanation: expat's message for
   * TP_ERR_XML (cut after a whole word, with "...", if longer than 63
   * bytes), the first bytes of the offending text for a bad value (up to
   * 39 bytes, cut between characters, followed by "..." when cut), the
   * root element for TP_ERR_NOT_SOAP (cut between characters, with "..."),
   * else "". Text from the input is shown safe for a terminal: tab, line
   * feed and carriage return become spaces, and DEL, the C1 controls
   * (U+0080-U+009F), the line and paragraph separators and the
   * bidirectional controls (U+2028-U+202E, U+2066-U+2069) become U+FFFD,
   * so the detail holds none of them. */
  char detail[64];
} tp_error;

/* Returns the decoder's current status and fills *error (if not NULL) with
 * the first error's position and details. The status is TP_OK while
 * decoding goes well, TP_STOPPED after a stop, else the first error: it
 * describes the document, not the last call. A call refused with
 * TP_ERR_ARGUMENT or TP_ERR_STATE is not recorded (report it with
 * tp_strerror() of what the call returned); the one TP_ERR_STATE that is,
 * with a detail, is arena decoders overlapping on a shared slot (see "The
 * arena slot"), which ends the document. For a NULL or misaligned
 * decoder it returns TP_ERR_ARGUMENT, for one that is not initialised
 * TP_ERR_STATE, with *error zeroed but for that status. */
TP_API tp_status tp_get_error(const tp_decoder *decoder, tp_error *error);

/* Writes a one-line message for tp_get_error()'s status into buf as
 * "LINE:COLUMN: text (byte OFFSET)", NUL-terminated and truncated to fit
 * `size` between UTF-8 characters: for TP_STOPPED too ("stopped by a
 * callback"), "no error" for TP_OK, and tp_strerror()'s text alone for
 * TP_ERR_ARGUMENT and TP_ERR_STATE (a NULL, misaligned or uninitialised
 * decoder) unless the TP_ERR_STATE was recorded with a detail, which is
 * then told as the input's errors are. The message is never empty. Returns the
 * length the full message has (like snprintf), never 0. Does not use stdio. */
TP_API size_t tp_format_error(const tp_decoder *decoder, char *buf,
                              size_t size);

/* ------------------------------------------------------------------------ */
/* The request                                                              */
/* ------------------------------------------------------------------------ */

/* The other half of the conversation: the getActiveJobs request whose
 * response the decoder reads, written without heap, stdio or locale into a
 * caller buffer or through a caller callback. Pure functions of the
 * tp_request they are given: any number may run at once, on any thread.
 *
 * The request is a SOAP envelope. Its Header holds IPS's authHeader, always
 * in the namespace TP_IPS_AUTH_NAMESPACE whatever the API version (IPS
 * puts authHeader and its faults there); its Body holds
 * getActiveJobsParam in the API version's namespace,
 * TP_IPS_AUTH_NAMESPACE "/" api_version. The bytes are UTF-8, compact (no
 * whitespace between elements), and begin with an XML declaration. */

#define TP_IPS_AUTH_NAMESPACE "http://www.scene7.com/IpsApi/xsd"

/* The API version of the newest published IPS schema (Experience Manager
 * 6.5 LTS; operation examples also show later dates, with no schema to
 * check them against): tp_request_init()'s default, and what a NULL
 * api_version means. */
#define TP_API_VERSION_DEFAULT "2022-11-01-beta"

/* Which SOAP the request speaks. IPS answers in the version it is asked
 * in, and each needs its own HTTP headers (tp_request_header()). */
typedef enum tp_soap_version {
  TP_SOAP_11 = 0, /* http://schemas.xmlsoap.org/soap/envelope/ */
  TP_SOAP_12 = 1  /* http://www.w3.org/2003/05/soap-envelope */
} tp_soap_version;

/* An optional xsd:boolean: TP_BOOL_UNSET leaves the element out, and lets
 * IPS apply its own default. Zero is unset. */
typedef enum tp_optional_bool {
  TP_BOOL_UNSET = 0,
  TP_BOOL_FALSE = 1,
  TP_BOOL_TRUE = 2
} tp_optional_bool;

/* What to ask. The strings are NUL-terminated UTF-8, borrowed: they must
 * stay valid while a tp_request_* call runs, and are not kept after it.
 * A NULL string leaves its optional element out; an empty string is a
 * value and is sent as an empty element. Every string is escaped for XML
 * text (& < > and carriage return become references, so a password with
 * "]]>" or "&" neither breaks nor rewrites the envelope and a CR reaches
 * IPS as a CR); a string that is not valid UTF-8 (overlong forms,
 * surrogates and code points above U+10FFFF included) or holds a
 * character XML 1.0 forbids (U+0000 to U+001F except tab, LF and CR;
 * U+FFFE, U+FFFF) is refused with TP_ERR_ARGUMENT, and nothing is written.
 * Elements are written in the schema's order, whatever the order here.
 * Always start from tp_request_init() so that fields added later get
 * their defaults. */
typedef struct tp_request {
  tp_soap_version soap_version;
  /* The API version: "YYYY-MM-DD" or "YYYY-MM-DD-beta" (for example
   * "2014-04-03", "2022-11-01-beta"); "" for the unversioned namespace of
   * IPS before 4.0; NULL for TP_API_VERSION_DEFAULT. Any other form is
   * TP_ERR_ARGUMENT. Versions newer than this library are accepted. */
  const char *api_version;
  /* authHeader: every element optional but app_name and app_version,
   * which must not be NULL. Give user and password, or an access_token,
   * or a saml_response, as the account requires. */
  const char *user;
  const char *password;
  const char *access_token;
  const char *saml_response;
  const char *locale; /* e.g. "en-US": the language of fault reasons */
  const char *app_name;
  const char *app_version;
  tp_optional_bool gzip_response; /* ask for (or refuse) gzip encoding */
  /* The HTTP status IPS should answer a fault with (it uses 500 when this
   * is left out; 200 makes faults reach clients that drop error bodies).
   * Sent only when has_fault_http_status_code is non-zero; must be an
   * HTTP status, 100 to 599, else TP_ERR_ARGUMENT. */
  int has_fault_http_status_code;
  int fault_http_status_code;
  /* getActiveJobsParam: every element optional. Without company_handle
   * IPS lists the jobs of every company the user may see. */
  const char *company_handle;
  const char *job_handle;
  const char *original_name;
  tp_optional_bool include_waiting_jobs;
} tp_request;

/* Fills *request with the defaults: SOAP 1.1, TP_API_VERSION_DEFAULT,
 * app_name "libtaskprogress", app_version tp_version(), every optional
 * element unset. Does nothing for NULL. */
TP_API void tp_request_init(tp_request *request);

/* Checks *request as tp_request_write() would, writing nothing. Returns
 * TP_OK, or TP_ERR_ARGUMENT for a NULL request or a field the request
 * cannot carry; then *bad_field (when bad_field is not NULL) is set to the
 * name of the tp_request member at fault ("password", "api_version",
 * "soap_version", ...), a static string; it is set to NULL on TP_OK and
 * for a NULL request. A request whose length would not fit in a size_t is
 * refused too, naming the member that overflowed it. */
TP_API tp_status tp_request_check(const tp_request *request,
                                  const char **bad_field);

/* Writes the request into buf with snprintf's semantics: at most size - 1
 * bytes of it followed by a NUL (nothing when size is 0; buf may then be
 * NULL), so the output is always a prefix of the full request. *length
 * (when length is not NULL) is set to the full request's length, NUL not
 * counted: the request fit iff *length < size, and tp_request_write(r,
 * NULL, 0, &n) measures it, for a Content-Length header or a buffer.
 * Returns TP_OK, also when the request was cut; TP_ERR_ARGUMENT when
 * tp_request_check() refuses the request or buf is NULL with a non-zero
 * size: then neither buf nor *length is touched. */
TP_API tp_status tp_request_write(const tp_request *request, char *buf,
                                  size_t size, size_t *length);

/* Receives the request in pieces: `length` (at least 1) bytes at `bytes`,
 * valid during the call only. Returns 0 to go on, non-zero to stop. */
typedef int (*tp_write_fn)(void *user_data, const char *bytes, size_t length);

/* Writes the request through `write`, for a target with no room for the
 * whole of it (a socket, a UART, a TLS record): the bytes are gathered in
 * the caller's buf, and `write` gets them whenever buf is full and once at
 * the end, so every piece but the last is exactly `size` bytes and the
 * pieces put together are the bytes tp_request_write() gives. No NUL is
 * written. *length (when not NULL) is set to the number of bytes handed to
 * `write`, those of a call that asked to stop included.
 * Returns TP_OK; TP_STOPPED when `write` returned non-zero (nothing more is
 * written); TP_ERR_ARGUMENT, before any call to `write` and with *length
 * untouched, when tp_request_check() refuses the request, or buf or write
 * is NULL, or size is 0. Not reentrant on the same buf. */
TP_API tp_status tp_request_stream(const tp_request *request, char *buf,
                                   size_t size, tp_write_fn write,
                                   void *user_data, size_t *length);

/* The HTTP header lines to send with the request, one per index from 0
 * until NULL, as static strings without line terminator, ready for
 * curl_slist_append() or for "\r\n" after each on a socket:
 *   SOAP 1.1: "Content-Type: text/xml; charset=utf-8" and
 *             "SOAPAction: \"getActiveJobs\"";
 *   SOAP 1.2: "Content-Type: application/soap+xml; charset=utf-8;
 *             action=\"getActiveJobs\"" (one line).
 * Returns NULL past the last line, and for a NULL request or an unknown
 * soap_version. The request line, Host and Content-Length are the
 * transport's: Content-Length is the length tp_request_write() gives. */
TP_API const char *tp_request_header(const tp_request *request, size_t index);

#ifdef __cplusplus
}
#endif

#endif /* TASKPROGRESS_H */
