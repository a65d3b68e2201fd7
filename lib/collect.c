/* collect.c -- the collector (taskprogress_collect.h): whole records out of
 * the decoder's events, in the caller's pool.
 *
 * It sees only what any caller of the public callbacks sees, so the
 * decoder's guarantees are its assumptions: fields come inside their
 * record's begin and end, records nest job > task > item, and a string's
 * fragments are not interleaved with anything.
 *
 * One job (or fault) at a time: its record is in the collector, and the
 * pool is a stack that the job's tasks, items and strings are pushed on in
 * document order, emptied when the next job or fault begins. A string is
 * written at the top of the pool as its fragments come, NUL-terminated
 * after each, and becomes the pool's only when its last fragment has come,
 * so a record handed over early (tp_collect_open_job) is always readable.
 *
 * Tasks and items are kept whole or not at all: when the pool runs out
 * inside one of them, it is the last thing on the stack, so popping it
 * back off costs nothing, and an item named "..." for want of a few bytes
 * would be worse than one more counted as dropped. Later tasks of the job
 * (items of the task) are then dropped too, so that what is kept is always
 * the first ones, and "N more" means the ones after.
 */
#include <string.h>

#include "record_slots.h"

enum {
  COLLECTOR_MAGIC = 0x636f6c6c, /* "coll" */
  /* What the string being gathered does with its fragments. */
  STRING_NONE = 0, /* no string is open */
  STRING_KEEP,     /* appending */
  STRING_CUT,      /* kept as far as it fit; the rest is ignored */
  STRING_DROP      /* not kept: repeated, or its record was dropped */
};

/* Where an empty string points, so that it takes no pool. */
static const char empty[] = "";

/* A record's masks, wherever its struct puts them. */
struct masks {
  uint64_t *present, *cut, *repeated;
};

typedef struct collector_state {
  uint32_t magic;
  const struct collector_state *self;
  tp_collect_config config;
  unsigned char *pool;
  size_t top; /* bytes of the pool in use */
  tp_status status;
  int job_open, fault_open;
  /* A task (item) was dropped for want of room: later ones are too. */
  int tasks_full, items_full;
  tp_task_record *task, *last_task, *task_before;
  tp_item_record *item, *last_item, *item_before;
  size_t task_at, item_at; /* the top before the open task (item) */
  /* The string being gathered: its member, where its bytes go, how many
   * have come and how many more fit. */
  int string;
  unsigned char *string_record;
  const char **string_member;
  char *string_bytes;
  size_t string_len, string_room;
  int string_pool_bound; /* the pool, not max_string, gave string_room */
  uint64_t string_bit;
  uint64_t *string_cut;
  tp_job_record job;
  tp_fault_record fault;
} collector_state;

_Static_assert(sizeof(collector_state) <= sizeof(tp_collector),
               "TP_COLLECTOR_SIZE is too small for the collector");
_Static_assert(_Alignof(collector_state) <= _Alignof(tp_collector),
               "tp_collector is not aligned for the collector");
_Static_assert(_Alignof(tp_task_record) <= TP_COLLECT_ALIGN &&
                   _Alignof(tp_item_record) <= TP_COLLECT_ALIGN &&
                   (TP_COLLECT_ALIGN & (TP_COLLECT_ALIGN - 1)) == 0,
               "TP_COLLECT_ALIGN does not align the records");
_Static_assert(TP_FIELD_COUNT_ <= 64, "TP_FIELD_BIT's masks are 64 bits");

static collector_state *
state_of(tp_collector *c) {
  collector_state *st;

  /* Not even c->opaque of a NULL c: taking a member's address through a
   * null pointer is undefined. */
  if (c == NULL)
    return NULL;
  st = (collector_state *)(void *)c->opaque.bytes;
  return st->magic == COLLECTOR_MAGIC && st->self == st ? st : NULL;
}

static const collector_state *
const_state_of(const tp_collector *c) {
  return state_of((tp_collector *)(uintptr_t)c);
}

void
tp_collect_config_init(tp_collect_config *config, void *pool,
                       size_t pool_size) {
  if (config == NULL)
    return;
  memset(config, 0, sizeof *config);
  config->pool = pool;
  config->pool_size = pool_size;
  config->max_tasks = TP_COLLECT_UNLIMITED;
  config->max_items = TP_COLLECT_UNLIMITED;
  config->max_string = TP_COLLECT_UNLIMITED;
}

static void
forget(collector_state *st) {
  st->status = TP_OK;
  st->job_open = st->fault_open = 0;
  st->string = STRING_NONE;
}

static const tp_callbacks collector_callbacks;

tp_status
tp_collect_init(tp_collector *collector, const tp_collect_config *config,
                tp_config *decoder_config) {
  collector_state *st;

  if (collector == NULL || config == NULL || decoder_config == NULL ||
      (uintptr_t)collector % _Alignof(tp_collector) != 0 ||
      (config->pool == NULL && config->pool_size != 0) ||
      (config->flags & ~TP_COLLECT_STRICT) != 0)
    return TP_ERR_ARGUMENT;
  st = (collector_state *)(void *)collector->opaque.bytes;
  memset(st, 0, sizeof *st);
  st->magic = COLLECTOR_MAGIC;
  st->self = st;
  st->config = *config;
  st->pool = config->pool;
  forget(st);
  tp_config_init(decoder_config);
  decoder_config->callbacks = &collector_callbacks;
  decoder_config->user_data = st;
  return TP_OK;
}

tp_status
tp_collect_reset(tp_collector *collector) {
  collector_state *st = state_of(collector);

  if (st == NULL)
    return TP_ERR_ARGUMENT;
  forget(st);
  return TP_OK;
}

tp_status
tp_collect_status(const tp_collector *collector) {
  const collector_state *st = const_state_of(collector);

  return st == NULL ? TP_ERR_ARGUMENT : st->status;
}

const tp_job_record *
tp_collect_open_job(const tp_collector *collector) {
  const collector_state *st = const_state_of(collector);

  return st != NULL && st->job_open ? &st->job : NULL;
}

const tp_fault_record *
tp_collect_open_fault(const tp_collector *collector) {
  const collector_state *st = const_state_of(collector);

  return st != NULL && st->fault_open ? &st->fault : NULL;
}

/* Something was not kept: the job (or fault) says so, and in strict mode
 * decoding stops here (the return value is the callback's). */
static int
lost(collector_state *st) {
  if (st->fault_open)
    st->fault.incomplete = 1;
  else
    st->job.incomplete = 1;
  if (st->config.flags & TP_COLLECT_STRICT) {
    st->status = TP_ERR_NOT_KEPT;
    return 1;
  }
  return 0;
}

/* `size` bytes for a record, aligned; NULL when the pool is full. */
static void *
pool_record(collector_state *st, size_t size) {
  size_t pad =
      (size_t)(0u - (uintptr_t)(st->pool + st->top)) & (TP_COLLECT_ALIGN - 1);
  void *at;

  if (st->pool == NULL || st->config.pool_size - st->top < pad ||
      st->config.pool_size - st->top - pad < size)
    return NULL;
  at = st->pool + st->top + pad;
  st->top += pad + size;
  return at;
}

static int
begin_task(collector_state *st) {
  tp_task_record *t = NULL;
  size_t at = st->top;

  st->items_full = 0;
  if (st->job.task_count < st->config.max_tasks && !st->tasks_full) {
    t = pool_record(st, sizeof *t);
    st->tasks_full = t == NULL;
  }
  st->task = t;
  if (t == NULL) {
    st->job.dropped_tasks++;
    return lost(st);
  }
  *t = tp__blank_task;
  st->task_at = at;
  st->task_before = st->last_task;
  if (st->last_task != NULL)
    st->last_task->next = t;
  else
    st->job.tasks = t;
  st->last_task = t;
  st->last_item = NULL;
  st->job.task_count++;
  return 0;
}

static int
begin_item(collector_state *st) {
  tp_item_record *it = NULL;
  size_t at = st->top;

  st->item = NULL;
  if (st->task == NULL) { /* the task was dropped: its items go with it */
    st->job.dropped_items++;
    return 0;
  }
  if (st->task->item_count < st->config.max_items && !st->items_full) {
    it = pool_record(st, sizeof *it);
    st->items_full = it == NULL;
  }
  st->item = it;
  if (it == NULL) {
    st->task->dropped_items++;
    st->job.dropped_items++;
    return lost(st);
  }
  *it = tp__blank_item;
  st->item_at = at;
  st->item_before = st->last_item;
  if (st->last_item != NULL)
    st->last_item->next = it;
  else
    st->task->items = it;
  st->last_item = it;
  st->task->item_count++;
  return 0;
}

/* The open item did not fit whole: off the stack and off its task's list,
 * counted as dropped. */
static void
pop_item(collector_state *st) {
  tp_task_record *t = st->task;

  st->top = st->item_at;
  if (st->item_before != NULL)
    st->item_before->next = NULL;
  else
    t->items = NULL;
  st->last_item = st->item_before;
  t->item_count--;
  t->dropped_items++;
  st->job.dropped_items++;
  st->item = NULL;
  st->items_full = 1;
}

/* Likewise the open task, with the items it had kept. */
static void
pop_task(collector_state *st) {
  tp_task_record *t = st->task;

  st->top = st->task_at;
  if (st->task_before != NULL)
    st->task_before->next = NULL;
  else
    st->job.tasks = NULL;
  st->last_task = st->task_before;
  st->job.task_count--;
  st->job.dropped_tasks++;
  st->job.dropped_items += t->item_count;
  st->task = NULL;
  st->item = NULL;
  st->tasks_full = 1;
}

static int
on_begin(void *user_data, tp_node node) {
  collector_state *st = user_data;
  const tp_callbacks *stream = st->config.stream;

  if (stream != NULL && stream->begin != NULL &&
      stream->begin(st->config.user_data, node) != 0)
    return 1;
  switch (node) {
  case TP_NODE_JOB_ARRAY:
    forget(st);
    return 0;
  case TP_NODE_JOB:
    forget(st);
    st->top = 0;
    st->job = tp__blank_job;
    st->job_open = 1;
    st->task = st->last_task = NULL;
    st->tasks_full = 0;
    return 0;
  case TP_NODE_TASK:
    return begin_task(st);
  case TP_NODE_ITEM:
    return begin_item(st);
  case TP_NODE_FAULT:
    forget(st);
    st->top = 0;
    st->fault = tp__blank_fault;
    st->fault_open = 1;
    return 0;
  default: /* the arrays: nothing of their own */
    return 0;
  }
}

static int
on_end(void *user_data, tp_node node) {
  collector_state *st = user_data;
  const tp_callbacks *stream = st->config.stream;

  if (stream != NULL && stream->end != NULL &&
      stream->end(st->config.user_data, node) != 0)
    return 1;
  switch (node) {
  case TP_NODE_JOB:
    st->job_open = 0;
    return st->config.job != NULL &&
           st->config.job(st->config.user_data, &st->job) != 0;
  case TP_NODE_TASK:
    st->task = NULL;
    return 0;
  case TP_NODE_ITEM:
    st->item = NULL;
    return 0;
  case TP_NODE_FAULT:
    st->fault_open = 0;
    return st->config.fault != NULL &&
           st->config.fault(st->config.user_data, &st->fault) != 0;
  default:
    return 0;
  }
}

/* The record a field of `scope` goes to, and its masks; NULL when it is
 * not kept. */
static unsigned char *
record_of(collector_state *st, tp_node scope, struct masks *m) {
  switch (scope) {
  case TP_NODE_JOB:
    m->present = &st->job.present;
    m->cut = &st->job.cut;
    m->repeated = &st->job.repeated;
    return (unsigned char *)&st->job;
  case TP_NODE_TASK:
    if (st->task == NULL)
      return NULL;
    m->present = &st->task->present;
    m->cut = &st->task->cut;
    m->repeated = &st->task->repeated;
    return (unsigned char *)st->task;
  case TP_NODE_ITEM:
    if (st->item == NULL)
      return NULL;
    m->present = &st->item->present;
    m->cut = &st->item->cut;
    m->repeated = &st->item->repeated;
    return (unsigned char *)st->item;
  case TP_NODE_FAULT:
    m->present = &st->fault.present;
    m->cut = &st->fault.cut;
    m->repeated = &st->fault.repeated;
    return (unsigned char *)&st->fault;
  default:
    return NULL;
  }
}

/* A typed value, or a TASK_STATE's value member. */
static void
store_value(unsigned char *record, const tp_field *f) {
  const struct tp__slot *slot = &tp__slots[f->id];

  switch (f->type) {
  case TP_TYPE_INT:
    memcpy(record + slot->at, &f->value.i, sizeof f->value.i);
    break;
  case TP_TYPE_DOUBLE:
    memcpy(record + slot->at, &f->value.d, sizeof f->value.d);
    break;
  case TP_TYPE_DATETIME:
    memcpy(record + slot->at, &f->value.dt, sizeof f->value.dt);
    break;
  case TP_TYPE_FAULT_KIND:
    memcpy(record + slot->at, &f->value.fault_kind, sizeof f->value.fault_kind);
    break;
  case TP_TYPE_TASK_STATE:
    memcpy(record + slot->value_at, &f->value.task_state,
           sizeof f->value.task_state);
    break;
  default:
    break;
  }
}

/* A string begins at the top of the pool, with room for what max_string
 * and the pool allow and its NUL; with no room even for the NUL it stays
 * the blank record's "". */
static void
string_open(collector_state *st, unsigned char *record, tp_field_id id,
            const struct masks *m) {
  size_t free_bytes = st->config.pool_size - st->top;

  st->string = STRING_KEEP;
  st->string_record = record;
  st->string_member = (const char **)(void *)(record + tp__slots[id].at);
  st->string_bit = TP_FIELD_BIT(id);
  st->string_cut = m->cut;
  st->string_len = 0;
  st->string_bytes = NULL;
  st->string_room = 0;
  st->string_pool_bound = 1;
  if (st->pool != NULL && free_bytes > 0) {
    st->string_bytes = (char *)st->pool + st->top;
    st->string_room = free_bytes - 1;
    if (st->string_room >= st->config.max_string) {
      st->string_room = st->config.max_string;
      st->string_pool_bound = 0;
    }
    st->string_bytes[0] = '\0';
    *st->string_member = st->string_bytes;
  }
}

/* Appends a fragment, cutting it where the room ends, at the start of the
 * character that does not fit whole. */
static int
string_append(collector_state *st, const char *s, size_t n) {
  size_t take = n;
  unsigned char next;

  if (take > st->string_room)
    take = st->string_room;
  if (take > 0) {
    memcpy(st->string_bytes + st->string_len, s, take);
    st->string_len += take;
    st->string_room -= take;
  }
  if (take < n && st->string_pool_bound &&
      (st->string_record == (unsigned char *)st->item ||
       st->string_record == (unsigned char *)st->task)) {
    /* A task's or item's string the pool cannot hold: the record goes. */
    if (st->string_record == (unsigned char *)st->item)
      pop_item(st);
    else
      pop_task(st);
    st->string = STRING_DROP;
    return lost(st);
  }
  if (take < n) {
    /* Back to the first byte of the character whose first byte was not
     * taken: continuation bytes (10xxxxxx) belong to the one before. */
    next = (unsigned char)s[take];
    while (st->string_len > 0 && (next & 0xc0) == 0x80)
      next = (unsigned char)st->string_bytes[--st->string_len];
    st->string = STRING_CUT;
    *st->string_cut |= st->string_bit;
  }
  if (st->string_bytes != NULL)
    st->string_bytes[st->string_len] = '\0';
  return take < n ? lost(st) : 0;
}

/* The last fragment has come: the string's bytes are the pool's, but
 * for an empty one, which needs none. */
static void
string_close(collector_state *st, const tp_field *f) {
  if (st->string != STRING_DROP) {
    if (f->type == TP_TYPE_TASK_STATE)
      store_value(st->string_record, f);
    if (st->string_len == 0)
      *st->string_member = empty;
    else
      st->top += st->string_len + 1;
  }
  st->string = STRING_NONE;
}

static int
on_field(void *user_data, const tp_field *f) {
  collector_state *st = user_data;
  const tp_callbacks *stream = st->config.stream;
  int is_string = f->type == TP_TYPE_STRING || f->type == TP_TYPE_TASK_STATE;
  int stop = 0;
  struct masks m;
  unsigned char *record;

  if (stream != NULL && stream->field != NULL &&
      stream->field(st->config.user_data, f) != 0)
    return 1;
  if ((unsigned)f->id >= TP_FIELD_COUNT_)
    return 0;
  if (st->string == STRING_NONE) {
    /* The first call of a value: is it kept? */
    record = record_of(st, tp_field_scope(f->id), &m);
    if (record == NULL) {
      st->string = is_string ? STRING_DROP : STRING_NONE;
    } else if (*m.present & TP_FIELD_BIT(f->id)) {
      *m.repeated |= TP_FIELD_BIT(f->id);
      st->string = is_string ? STRING_DROP : STRING_NONE;
      stop = lost(st);
    } else {
      *m.present |= TP_FIELD_BIT(f->id);
      if (is_string)
        string_open(st, record, f->id, &m);
      else
        store_value(record, f);
    }
  }
  if (st->string == STRING_KEEP && f->len > 0)
    stop = string_append(st, f->str, f->len);
  if (is_string && f->last)
    string_close(st, f);
  return stop;
}

static const tp_callbacks collector_callbacks = {on_begin, on_end, on_field};
