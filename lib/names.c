/* names.c -- the vocabulary: field names, scopes and types (from
 * fields.def), and node, state and fault names. */
#include <string.h>

#include "field_lookup.h"
#include "internal.h"

/* Where a fault field is looked up is field_lookup.h's business; here
 * every row is a field. */
#define TP_FAULT_FIELD(id, name, parent, type) TP_FIELD(id, name, FAULT, type)
#define TP_CHILD(scope, name, code)

/* Each fields.def row's place in the list, to check it against the
 * header's enum: a header not regenerated from fields.def (or edited by
 * hand) fails to compile here instead of giving rows to the wrong ids. */
enum {
#define TP_FIELD(id, name, scope, type) TP_DEF_##id,
#include "fields.def"
#undef TP_FIELD
  TP_DEF_COUNT
};
_Static_assert((int)TP_DEF_COUNT == (int)TP_FIELD_COUNT_,
               "tp_field_id and lib/fields.def differ: run lib/genfields.py");
#define TP_FIELD(id, name, scope, type)                                        \
  _Static_assert((int)TP_DEF_##id == (int)id,                                  \
                 #id " is not at its fields.def place: run lib/genfields.py"); \
  _Static_assert(sizeof name - 1 <= UINT8_MAX, #id "'s name is too long");
#include "fields.def"
#undef TP_FIELD

const tp_field_info tp__fields[] = {
#define TP_FIELD(id, name, scope, type)                                        \
  [id] = {name, (uint8_t)(sizeof name - 1), TP_NODE_##scope, TP_TYPE_##type},
#include "fields.def"
#undef TP_FIELD
};
#undef TP_FAULT_FIELD
#undef TP_CHILD

/* The arrays' names, for the lookup (field_lookup.h): only their names
 * and lengths are read. */
#define TP_FIELD(id, name, scope, type)
#define TP_FAULT_FIELD(id, name, parent, type)
#define TP_CHILD(scope, name, code)                                            \
  {name, (uint8_t)(sizeof name - 1), TP_NODE_##scope, TP_TYPE_UNKNOWN},
const tp_field_info tp__children[] = {
#include "fields.def"
};
#undef TP_FIELD
#undef TP_FAULT_FIELD
#undef TP_CHILD

const char *
tp_field_name(tp_field_id id) {
  if ((unsigned)id >= (unsigned)TP_FIELD_COUNT_)
    return "?";
  return tp__fields[id].name;
}

tp_node
tp_field_scope(tp_field_id id) {
  if ((unsigned)id >= (unsigned)TP_FIELD_COUNT_)
    return TP_NODE_UNKNOWN;
  return (tp_node)tp__fields[id].scope;
}

tp_type
tp_field_type(tp_field_id id) {
  if ((unsigned)id >= (unsigned)TP_FIELD_COUNT_)
    return TP_TYPE_UNKNOWN;
  return (tp_type)tp__fields[id].type;
}

/* Indexed by tp_node, up to TP_NODE_UNKNOWN. */
static const char *const NODE_NAMES[] = {
    "jobArray", "job",  "taskProgressArray", "task", "taskItemProgressArray",
    "item",     "fault"};
_Static_assert(sizeof NODE_NAMES / sizeof NODE_NAMES[0] == TP_NODE_UNKNOWN,
               "a node without a name");

const char *
tp_node_name(tp_node node) {
  return (unsigned)node < TP_NODE_UNKNOWN ? NODE_NAMES[node] : "?";
}

/* Indexed by tp_fault_kind. */
static const char *const FAULT_KIND_NAMES[] = {
    "ipsApiFault", "authenticationFault", "authorizationFault"};
#define FAULT_KIND_COUNT (sizeof FAULT_KIND_NAMES / sizeof FAULT_KIND_NAMES[0])
_Static_assert(FAULT_KIND_COUNT == TP_FAULT_AUTHORIZATION + 1,
               "a fault kind without a name");

const char *
tp_fault_kind_name(tp_fault_kind kind) {
  return (unsigned)kind < FAULT_KIND_COUNT ? FAULT_KIND_NAMES[kind] : "?";
}

int
tp__fault_kind_of(const char *local, size_t len) {
  unsigned k;
  for (k = 0; k < FAULT_KIND_COUNT; k++)
    if (strlen(FAULT_KIND_NAMES[k]) == len &&
        memcmp(FAULT_KIND_NAMES[k], local, len) == 0)
      return (int)k;
  return -1;
}

/* Indexed by tp_task_state; OTHER has no name of its own. */
static const char *const STATE_NAMES[] = {
    "", "Unknown", "New", "Processing", "Stopping", "Done", "Failed"};
#define STATE_COUNT (sizeof STATE_NAMES / sizeof STATE_NAMES[0])

const char *
tp_task_state_name(tp_task_state state) {
  if ((unsigned)state >= STATE_COUNT)
    return "";
  return STATE_NAMES[state];
}

uint8_t
tp__task_state_all(void) {
  /* Bits 1..6: every named state is still possible. */
  return (uint8_t)(((1u << STATE_COUNT) - 1u) & ~1u);
}

uint8_t
tp__task_state_step(uint8_t candidates, uint32_t offset, const char *s,
                    size_t n) {
  unsigned i;
  for (i = 1; i < STATE_COUNT && candidates; i++) {
    size_t name_len;
    if (!(candidates & (1u << i)))
      continue;
    name_len = strlen(STATE_NAMES[i]);
    /* The text so far must still be a prefix of the name. */
    if (offset > name_len || n > name_len - offset ||
        memcmp(STATE_NAMES[i] + offset, s, n) != 0)
      candidates = (uint8_t)(candidates & ~(1u << i));
  }
  return candidates;
}

tp_task_state
tp__task_state_result(uint8_t candidates, uint32_t len) {
  unsigned i;
  for (i = 1; i < STATE_COUNT; i++) {
    if ((candidates & (1u << i)) && strlen(STATE_NAMES[i]) == len)
      return (tp_task_state)i;
  }
  return TP_TASK_STATE_OTHER;
}
